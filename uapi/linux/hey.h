/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hey: Happy Eyeballs connection racing inside the kernel.
 *
 * Documentation
 * =============
 *
 * Attaching
 * ---------
 *
 * An application turns an ordinary, unconnected TCP socket (AF_INET or
 * AF_INET6, SOCK_STREAM, IPPROTO_TCP) into a hey socket with
 *
 *    setsockopt(fd, SOL_TCP, TCP_ULP, HEY_ULP_NAME, sizeof(HEY_ULP_NAME) - 1);
 *
 * The kernel loads hey.ko on demand when the caller has CAP_NET_ADMIN;
 * otherwise the module must already be loaded. Errors:
 *
 *    ENOENT       the module is not loaded and could not be loaded.
 *    EEXIST       a ULP (hey or another) is already attached to the socket.
 *    ENOTCONN     the socket is listening (the TCP ULP core refuses it).
 *    EISCONN      the socket is connected, or its connect() is in progress.
 *    ENOPROTOOPT  the socket is not a TCP socket (UDP, SCTP, MPTCP: reported
 *                 by that protocol, which takes no TCP_ULP).
 *    EOPNOTSUPP   the socket is an AF_UNIX socket.
 *    ENOMEM       no memory for the per-socket state (charged to the
 *                 caller's memory cgroup).
 *
 * getsockopt(fd, SOL_TCP, TCP_ULP, ...) then reports "hey". A hey socket
 * behaves exactly like the TCP socket it was for every operation hey does
 * not take over. While any socket uses it, the module cannot be unloaded
 * (rmmod fails with EBUSY).
 *
 * listen() on a hey socket fails with EINVAL (the TCP core refuses a ULP
 * that cannot be cloned to accepted sockets).
 *
 * Racing
 * ------
 *
 * connect() on a hey socket races connection attempts ("leaves") instead of
 * making one. Each leaf is a TCP socket of the application's own: created
 * in the caller's context (its network namespace, credentials, cgroup and
 * LSM label), with the options the application set on its socket copied
 * over. The first leaf to complete its handshake wins and becomes the
 * application's socket behind the same file descriptor; the others are
 * reset and freed. Leaves are ordered paths, then protocols, then
 * endpoints; see Documentation/design.md for the rules.
 *
 * connect() behaves as on TCP: 0 when a leaf won; EINPROGRESS for a
 * non-blocking socket, which becomes writable when the race ends (SO_ERROR
 * then says how); EALREADY while a race runs; EISCONN after a win;
 * EINPROGRESS when SO_SNDTIMEO expires; EINTR (or a restart) when a signal
 * arrives, the race going on. When every leaf failed: ECONNREFUSED if any
 * was refused, else ENETUNREACH, EHOSTUNREACH or ETIMEDOUT, the error of
 * the leaf that got furthest. No usable path: ENETUNREACH. Too many races
 * in flight in the namespace: EAGAIN.
 *
 * Socket options, level SOL_HEY (set before connect(); EISCONN after):
 *
 * HEY_ENDPOINTS (set, get): struct hey_endpoint[], at most
 *    HEY_MAX_ENDPOINTS: further endpoints raced alongside the connect()
 *    address. An empty value clears the list. A port of 0 means the port
 *    given to connect(). On an AF_INET socket an IPv6 endpoint needs
 *    HEY_F_ANY_FAMILY (EAFNOSUPPORT otherwise). EINVAL: bad family, length
 *    not a multiple of the struct, a non-zero reserved field.
 *
 * HEY_PATHS (set, get): struct hey_paths: allow only (HEY_PATHS_ALLOW) or
 *    never (HEY_PATHS_DENY) use the listed interfaces. SO_BINDTODEVICE on
 *    the socket restricts racing to that device as well.
 *
 * HEY_TIMING (set, get): struct hey_timing: the racing mode and the bounds
 *    of the attempt delay. Zero delays mean the namespace policy's (see
 *    HEY_CMD_SET_POLICY; by default delays within [100 ms, 2 s], 250 ms
 *    when nothing is known), and so does the mode when all is zero.
 *
 * HEY_FLAGS (set, get): int, HEY_F_* bits; unknown bits: EOPNOTSUPP.
 *
 * HEY_INFO (get, also after the win): struct hey_info: the winner, the
 *    time from connect() to established, the early data bytes it
 *    delivered, and every leaf's path, protocol, endpoint, start offset,
 *    outcome, errno and TFO flags. ENOTCONN before a connect().
 *
 * HEY_PROTOCOLS (set, get): struct hey_protocols: the protocols a race
 *    may use, most preferred first: HEY_PROTO_TCP, HEY_PROTO_TFO (TCP
 *    Fast Open) and HEY_PROTO_SCTP (a one-to-one SCTP association to the
 *    same endpoints, on sctp_port if it is not 0). count 0 means TCP only,
 *    the default. EINVAL: count above HEY_MAX_PROTOCOLS, an unknown or
 *    repeated protocol, a non-zero reserved field. The protocol level of
 *    the tree sits between paths and endpoints; its branches wait 1.5
 *    times the endpoint delay.
 *
 * HEY_EARLY_DATA (set, get): up to HEY_MAX_EARLY_DATA bytes that the
 *    winning connection sends first, exactly once: in its SYN when a TFO
 *    leaf wins with its SYN data acknowledged, else right after the
 *    handshake. Only with HEY_F_IDEMPOTENT do TFO leaves put it in their
 *    SYNs; losing TFO leaves may then have delivered it to the server
 *    too (that is what idempotent means). An empty value clears it.
 *    EMSGSIZE: longer than HEY_MAX_EARLY_DATA. It is consumed by the
 *    race. sendto(fd, buf, len, MSG_FASTOPEN, addr, addrlen) on an
 *    unconnected hey socket does the same with buf and starts the race as
 *    connect(addr) would; it returns the bytes taken (at most
 *    HEY_MAX_EARLY_DATA) once the race won, or at once on a non-blocking
 *    socket, as TFO does.
 *
 * HEY_HOST (set, get): a name to connect to instead of connect()'s
 *    address: a host name ("www.example.com") or a DNS-SD service
 *    instance name ("Printer._ipp._tcp.example.com", or ending in
 *    ".local" for multicast DNS), at most HEY_MAX_HOST bytes, with or
 *    without a terminating NUL. connect() then gives the port (ignored
 *    for a service instance, whose SRV records give it) and nothing
 *    else: its address is not used, but its family must be AF_INET or
 *    AF_INET6. The socket's family decides the address families raced,
 *    as for HEY_ENDPOINTS (an AF_INET6 socket races both unless
 *    IPV6_V6ONLY; an AF_INET socket IPv4 only, unless HEY_F_ANY_FAMILY).
 *    HEY_ENDPOINTS is not used by a race by name. An empty value
 *    clears the name. EINVAL: a NUL inside, a control character, an
 *    empty label or one above 63 bytes. The name is resolved per path
 *    by the registered resolver (heyd; see HEY_CMD_REGISTER_RESOLVER):
 *    each interface races the addresses its own network's DNS gave.
 *    The race starts on a path when its AAAA answer arrives, or 50 ms
 *    after its A answer if the AAAA answer has not come (RFC 8305
 *    section 3); answers that come later add leaves while no leaf has
 *    won. connect() errors of a race by name, besides those above:
 *
 *    EDESTADDRREQ  no resolver is registered in the namespace, or it
 *                  went away before answering.
 *    ETIMEDOUT     the resolver gave no address within
 *                  net.hey.resolve_timeout milliseconds.
 *    ENXIO         every path's answer is final and none had a usable
 *                  address: the name does not exist or has no A/AAAA
 *                  records there.
 *
 * Generic netlink
 * ---------------
 *
 * Family HEY_GENL_NAME, version HEY_GENL_VERSION. The family is per network
 * namespace: every answer describes the namespace of the requesting socket.
 * Every command validates its attributes strictly: an attribute a command
 * does not take is refused with EINVAL and an extack message, and so is a
 * non-zero genlmsghdr.reserved field.
 *
 * HEY_CMD_GET_STATUS
 * ~~~~~~~~~~~~~~~~~~
 *
 * A do request without attributes; no privilege needed. The reply carries:
 *
 *    HEY_A_STATUS_VERSION: NLA_NUL_STRING, the module version
 *    HEY_A_STATUS_API: NLA_U32, HEY_GENL_VERSION of the running module
 *    HEY_A_STATUS_SOCKETS: NLA_U32, sockets in this namespace with the
 *                          hey ULP attached right now
 *    HEY_A_STATUS_ATTACHED: NLA_U64, attaches in this namespace since it
 *                           was created (or since hey.ko was loaded)
 *
 * HEY_CMD_GET_STATS
 * ~~~~~~~~~~~~~~~~~
 *
 * A do request without attributes; no privilege needed. The reply carries
 * one NLA_U64 per counter of enum hey_stats_attr, for the requester's
 * namespace: races started, won, failed, cancelled and rejected, races in
 * flight, wins by family, by path (the main route's or another) and by
 * protocol, fallbacks (a win by another leaf than the first), leaves
 * started, failed and aborted, failed races by errno, and the history
 * cache's hits, prunes, entries and evictions.
 *
 * Privilege and validation
 * ~~~~~~~~~~~~~~~~~~~~~~~~
 *
 * Every SET, DEL and FLUSH command needs CAP_NET_ADMIN in the user
 * namespace that owns the requester's network namespace (EPERM
 * otherwise); GET commands and dumps need none. A request is checked
 * whole before anything changes: EINVAL with an extack message naming the
 * attribute for an unknown attribute, a wrong type or length, a missing
 * one; ERANGE (the netlink core's policy check, with its extack message)
 * for a value outside an attribute's range or a binary attribute above
 * its size; ENODEV for an interface that does not exist. Dumps are
 * restartable: a dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 *
 * HEY_CMD_GET_RACES
 * ~~~~~~~~~~~~~~~~~
 *
 * A dump of the namespace's recent finished races, oldest first, at most
 * net.hey.race_log of them: HEY_A_RACE_* attributes, with one nested
 * HEY_A_LEAF per leaf inside HEY_A_RACE_LEAVES. No attributes in the
 * request.
 *
 * HEY_CMD_GET_CACHE, HEY_CMD_SET_CACHE, HEY_CMD_DEL_CACHE,
 * HEY_CMD_FLUSH_CACHE
 * ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *
 * The history cache: per network (see HEY_CMD_SET_NETWORK), destination,
 * port, protocol and family, what happened to the attempts that finished.
 * The destination is an address, or for a race by name also the name:
 * such a race records each finished leaf under its address and under
 * HEY_A_CACHE_NAME (the HEY_HOST name, ASCII letters folded to lower
 * case, without a final dot) and its family. A candidate leaf takes what
 * its address's entry says; a leaf of a race by name whose address has
 * no entry takes its name's entry for its family, which orders it and
 * sets its delay but never prunes it. Races by address never read name
 * entries. Entries expire net.hey.cache_timeout seconds after their
 * last update; at most net.hey.cache_size are kept, the least recently
 * used going first.
 *
 * GET_CACHE is a dump of HEY_A_CACHE_* entries; HEY_A_CACHE_NETWORK in
 * the request limits it to one network. SET_CACHE adds or replaces the
 * entry of the key (NETWORK, FAMILY, PORT, PROTOCOL, and ADDR or NAME
 * unless FAMILY is AF_UNSPEC, all required) with RESULT (required) and
 * the optional counters; AGE_MS backdates it (EINVAL if that is past the
 * timeout): this is how a saved cache is loaded back. DEL_CACHE deletes
 * the entry of the key (ENOENT if there is none). FLUSH_CACHE deletes
 * every entry, or those of HEY_A_CACHE_NETWORK. NAME is 1 to
 * HEY_MAX_HOST bytes (a trailing NUL not counted; ERANGE otherwise) and
 * follows HEY_HOST's rules (EINVAL with extack otherwise); it goes with
 * FAMILY AF_INET or AF_INET6 and without ADDR. Replies and events carry
 * it NUL-terminated, folded.
 *
 * HEY_CMD_GET_POLICY, HEY_CMD_SET_POLICY
 * ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *
 * System defaults for the namespace's races; a socket's own HEY_TIMING
 * and HEY_PROTOCOLS take precedence over MODE, the delays and PROTOCOLS.
 * MIN_DELAY_MS and MAX_DELAY_MS replace HEY_TIMING's zeros, and MODE
 * applies to sockets whose HEY_TIMING is all zeros (or never set);
 * DEFAULT_DELAY_MS is the expected handshake time when nothing is known
 * (250 ms). PROTOCOLS is the order raced by sockets that set no
 * HEY_PROTOCOLS (TCP alone by default); ALLOWED masks every race's
 * protocols, a race left with none failing with EPROTONOSUPPORT. PREFER
 * puts those interfaces' paths first, in that order; EXCLUDE never races
 * over those interfaces. MAX_LEAVES and MAX_RACES are the sysctls of the
 * same names. GET replies with all of them; SET takes any subset and
 * applies all of it or nothing (an empty PREFER or EXCLUDE clears it).
 *
 * HEY_CMD_GET_NETWORK, HEY_CMD_SET_NETWORK
 * ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *
 * The id of the network an interface is attached to, which keys the
 * history cache: the helper derives it from what identifies the network.
 * Until set, and after a set to 0, an interface's id is
 * HEY_NETWORK_DEFAULT | ifindex. A new id makes the history learned under
 * the old one inapplicable to the interface. GET with HEY_A_NETWORK_IFINDEX
 * answers for one interface, a dump for every interface of the
 * namespace. SET needs IFINDEX and ID; an ID with HEY_NETWORK_DEFAULT's
 * bit set is EINVAL.
 *
 * HEY_CMD_REGISTER_RESOLVER, HEY_CMD_RESOLVE, HEY_CMD_RESOLVE_ANSWER
 * ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *
 * How names are resolved (see HEY_HOST). REGISTER_RESOLVER (admin, no
 * attributes) makes the sending netlink socket the namespace's resolver
 * until it is closed; EBUSY while another socket is registered. Each
 * race by name sends HEY_CMD_RESOLVE by unicast to the registered
 * socket's port id, and to no other socket (there is no multicast group
 * for it), with HEY_A_RESOLVE_ID, NAME, PORT, FAMILIES and PATHS (the
 * interfaces it wants answers for). A request that cannot be delivered
 * fails the race at once: EDESTADDRREQ when the resolver's socket is
 * gone, ETIMEDOUT when its receive buffer is full (the resolver then
 * reads ENOBUFS). The resolver answers with any number of
 * RESOLVE_ANSWER requests for that ID, one path (IFINDEX) each,
 * carrying endpoints (HEY_A_RESOLVE_ENDPOINT nests) as they arrive and
 * FLAGS saying which answers are final for the path. Only the
 * registered socket may answer (EPERM otherwise); ENOENT for an ID that
 * is no longer resolving (the race ended or gave up waiting), which the
 * resolver should ignore; ENODEV for a path the request did not name.
 * At most HEY_MAX_ENDPOINTS endpoints are kept per path, the first
 * that came.
 *
 * Events
 * ~~~~~~
 *
 * The multicast group HEY_MCGRP_EVENTS (joining needs CAP_NET_ADMIN)
 * carries HEY_CMD_RACE_DONE, with a finished race's HEY_A_RACE_*
 * attributes, and HEY_CMD_CACHE_CHANGED, with an entry's HEY_A_CACHE_*
 * attributes and HEY_A_CACHE_CHANGE.
 */

#ifndef _UAPI_LINUX_HEY_H
#define _UAPI_LINUX_HEY_H

#include <linux/types.h>

#define HEY_ULP_NAME "hey"

#define HEY_GENL_NAME "hey"
#define HEY_GENL_VERSION 1

/*
 * Socket option level for hey's own options. Not an IANA or kernel
 * assigned number: chosen far above the kernel's SOL_* range so that it
 * cannot collide with a level a future kernel gives to TCP sockets.
 */
#define SOL_HEY 0x4845

#define HEY_MAX_ENDPOINTS 16
#define HEY_MAX_LEAVES 16
#define HEY_MAX_PATHS 16
#define HEY_MAX_PROTOCOLS 3
#define HEY_MAX_EARLY_DATA 4096
#define HEY_MAX_HOST 255

enum hey_sockopt {
	HEY_ENDPOINTS = 1,
	HEY_PATHS = 2,
	HEY_TIMING = 3,
	HEY_FLAGS = 4,
	HEY_INFO = 5,
	HEY_PROTOCOLS = 6,
	HEY_EARLY_DATA = 7,
	HEY_HOST = 8,
};

/* One endpoint: an IPv4 or IPv6 address and a port. */
struct hey_endpoint {
	__u16 family;		/* AF_INET or AF_INET6 */
	__be16 port;		/* network order; 0: the connect() port */
	__u32 scope_id;		/* IPv6 link-local: interface index */
	__u8 addr[16];		/* IPv4: the first 4 bytes */
};

enum hey_paths_mode {
	HEY_PATHS_ALL,		/* every usable interface (the default) */
	HEY_PATHS_ALLOW,	/* only the listed interfaces */
	HEY_PATHS_DENY,		/* every usable interface but the listed */
};

struct hey_paths {
	__u32 mode;		/* enum hey_paths_mode */
	__u32 count;		/* entries used in ifindex[] */
	__u32 ifindex[HEY_MAX_PATHS];
};

enum hey_race_mode {
	HEY_RACE_DELAYED,	/* next attempt after a delay (default) */
	HEY_RACE_FAILOVER,	/* next attempt only when the previous failed */
	HEY_RACE_IMMEDIATE,	/* every attempt at once */
	__HEY_RACE_MAX
};

struct hey_timing {
	__u32 mode;		/* enum hey_race_mode */
	__u32 min_delay_ms;	/* 0: 100 ms; at least 10 ms */
	__u32 max_delay_ms;	/* 0: 2000 ms; at least min_delay_ms */
	__u32 reserved;		/* 0 */
};

enum hey_flags {
	/* an AF_INET socket may race IPv6 endpoints too */
	HEY_F_ANY_FAMILY = 1 << 0,
	/*
	 * the early data (HEY_EARLY_DATA or sendto(MSG_FASTOPEN)) is
	 * idempotent: it may reach the server more than once, so TFO leaves
	 * may carry it in their SYNs
	 */
	HEY_F_IDEMPOTENT = 1 << 1,
	HEY_F_ALL = HEY_F_ANY_FAMILY | HEY_F_IDEMPOTENT
};

enum hey_proto {
	HEY_PROTO_TCP = 1,
	HEY_PROTO_TFO = 2,	/* TCP with Fast Open (RFC 7413) */
	HEY_PROTO_SCTP = 3,	/* one-to-one SCTP (SOCK_STREAM) */
	__HEY_PROTO_MAX
};

/* Which protocols a race may use, most preferred first. */
struct hey_protocols {
	__u8 count;		/* entries used in order[]; 0: TCP only */
	__u8 order[HEY_MAX_PROTOCOLS];	/* enum hey_proto, each once */
	__be16 sctp_port;	/* SCTP leaves' port; 0: the endpoint's */
	__u16 reserved;		/* 0 */
};

enum hey_state {
	HEY_STATE_IDLE,		/* no connect() yet */
	HEY_STATE_RACING,
	HEY_STATE_CONNECTED,	/* a leaf won */
	HEY_STATE_FAILED,	/* every leaf failed */
};

enum hey_outcome {
	HEY_LEAF_PENDING,	/* not started: the race ended first */
	HEY_LEAF_RUNNING,
	HEY_LEAF_WON,
	HEY_LEAF_FAILED,	/* error says why */
	HEY_LEAF_ABORTED,	/* reset because another leaf won */
};

enum hey_leaf_flags {
	HEY_LEAF_F_SYN_DATA = 1 << 0,	/* its SYN carried early data */
	HEY_LEAF_F_SYN_DATA_ACKED = 1 << 1,	/* which the SYN-ACK acked */
	HEY_LEAF_F_COOKIE_REQ = 1 << 2,	/* TFO: no cookie yet, asked for one */
	HEY_LEAF_F_TFO_NEGATIVE = 1 << 3,	/* TFO failed here: remembered */
};

struct hey_leaf_info {
	struct hey_endpoint endpoint;
	__u32 ifindex;		/* the path */
	__u8 protocol;		/* enum hey_proto */
	__u8 outcome;		/* enum hey_outcome */
	__u16 flags;		/* enum hey_leaf_flags */
	__s32 error;		/* positive errno of a failed leaf */
	__u32 start_us;		/* from connect(); ~0U: never started */
	__u32 end_us;		/* from connect(); ~0U: still running */
};

struct hey_info {
	__u32 state;		/* enum hey_state */
	__u32 n_leaves;
	__u32 winner;		/* index in leaves[], ~0U: none */
	__u32 connect_us;	/* connect() to established */
	__s32 error;		/* positive errno of a failed race */
	__u32 early_data;	/* early data bytes the winner delivered */
	struct hey_leaf_info leaves[HEY_MAX_LEAVES];
};

enum hey_cmd {
	HEY_CMD_UNSPEC,
	HEY_CMD_GET_STATUS,
	HEY_CMD_GET_STATS,
	HEY_CMD_GET_RACES,	/* dump */
	HEY_CMD_GET_CACHE,	/* dump */
	HEY_CMD_SET_CACHE,	/* admin: add or replace one entry */
	HEY_CMD_DEL_CACHE,	/* admin: delete one entry */
	HEY_CMD_FLUSH_CACHE,	/* admin */
	HEY_CMD_GET_POLICY,
	HEY_CMD_SET_POLICY,	/* admin */
	HEY_CMD_GET_NETWORK,	/* do (one interface) or dump */
	HEY_CMD_SET_NETWORK,	/* admin */
	HEY_CMD_RACE_DONE,	/* event on HEY_MCGRP_EVENTS */
	HEY_CMD_CACHE_CHANGED,	/* event on HEY_MCGRP_EVENTS */
	HEY_CMD_REGISTER_RESOLVER,	/* admin */
	HEY_CMD_RESOLVE,		/* request, unicast to the resolver */
	HEY_CMD_RESOLVE_ANSWER,		/* admin, registered resolver only */
	__HEY_CMD_MAX
};

#define HEY_CMD_MAX (__HEY_CMD_MAX - 1)

enum hey_status_attr {
	HEY_A_STATUS_UNSPEC,
	HEY_A_STATUS_PAD,
	HEY_A_STATUS_VERSION,
	HEY_A_STATUS_API,
	HEY_A_STATUS_SOCKETS,
	HEY_A_STATUS_ATTACHED,
	__HEY_A_STATUS_LAST
};

#define HEY_A_STATUS_MAX (__HEY_A_STATUS_LAST - 1)

/* The multicast group of HEY_CMD_RACE_DONE and HEY_CMD_CACHE_CHANGED. */
#define HEY_MCGRP_EVENTS "events"

/*
 * Network ids. Userspace names the network an interface is attached to
 * with a non-zero id below HEY_NETWORK_DEFAULT; until it does, an
 * interface's id is HEY_NETWORK_DEFAULT | ifindex.
 */
#define HEY_NETWORK_DEFAULT 0x8000000000000000ULL	/* bit 63 */

/* One leaf of a race, nested in HEY_A_RACE_LEAVES (one HEY_A_LEAF each). */
enum hey_leaf_attr {
	HEY_A_LEAF_UNSPEC,
	HEY_A_LEAF,			/* nest: the attributes below */
	HEY_A_LEAF_IFINDEX,		/* NLA_U32 */
	HEY_A_LEAF_NETWORK,		/* NLA_U64, the path's network id */
	HEY_A_LEAF_PROTOCOL,		/* NLA_U8, enum hey_proto */
	HEY_A_LEAF_FAMILY,		/* NLA_U16, AF_INET or AF_INET6 */
	HEY_A_LEAF_ADDR,		/* binary, 4 or 16 bytes */
	HEY_A_LEAF_PORT,		/* NLA_BE16 */
	HEY_A_LEAF_OUTCOME,		/* NLA_U8, enum hey_outcome */
	HEY_A_LEAF_ERROR,		/* NLA_U32, positive errno */
	HEY_A_LEAF_FLAGS,		/* NLA_U16, enum hey_leaf_flags */
	HEY_A_LEAF_START_US,		/* NLA_U32, absent: never started */
	HEY_A_LEAF_END_US,		/* NLA_U32, absent: never finished */
	HEY_A_LEAF_CACHE,		/* NLA_U8, enum hey_leaf_cache */
	HEY_A_LEAF_PAD,
	__HEY_A_LEAF_LAST
};

#define HEY_A_LEAF_MAX (__HEY_A_LEAF_LAST - 1)

/* What the history cache did to a leaf when the race was built. */
enum hey_leaf_cache {
	HEY_LEAF_CACHE_NONE,		/* nothing known */
	HEY_LEAF_CACHE_GOOD,		/* known to work: its measured delay */
	HEY_LEAF_CACHE_SLOW,		/* outrun last time: after the others */
};

/* A finished race, in HEY_CMD_GET_RACES dumps and HEY_CMD_RACE_DONE. */
enum hey_race_attr {
	HEY_A_RACE_UNSPEC,
	HEY_A_RACE_PAD,
	HEY_A_RACE_ID,			/* NLA_U64, counts up per namespace */
	HEY_A_RACE_AGE_MS,		/* NLA_U64, since it started */
	HEY_A_RACE_STATE,		/* NLA_U8, enum hey_state */
	HEY_A_RACE_ERROR,		/* NLA_U32, positive errno if failed */
	HEY_A_RACE_WINNER,		/* NLA_U32, index of the winning leaf */
	HEY_A_RACE_CONNECT_US,		/* NLA_U32 */
	HEY_A_RACE_EARLY_DATA,		/* NLA_U32, bytes delivered */
	HEY_A_RACE_PRUNED,		/* NLA_U32, leaves the cache left out */
	HEY_A_RACE_LEAVES,		/* nest of HEY_A_LEAF */
	__HEY_A_RACE_LAST
};

#define HEY_A_RACE_MAX (__HEY_A_RACE_LAST - 1)

enum hey_cache_result {
	HEY_CACHE_SUCCESS = 1,		/* completed its handshake */
	HEY_CACHE_FAILED,		/* failed: pruned until it expires */
	HEY_CACHE_OUTRUN,		/* still waiting when a later start won */
	__HEY_CACHE_RESULT_MAX
};

/*
 * One history cache entry. The key: NETWORK, FAMILY, ADDR or NAME, PORT
 * and PROTOCOL. FAMILY AF_UNSPEC (without ADDR) is a TFO entry for every
 * destination of a network and port: RFC 7413 negative results. NAME
 * (without ADDR, FAMILY AF_INET or AF_INET6) is what races by name
 * (HEY_HOST) learned of that family of the name's addresses.
 */
enum hey_cache_attr {
	HEY_A_CACHE_UNSPEC,
	HEY_A_CACHE_PAD,
	HEY_A_CACHE_NETWORK,		/* NLA_U64, key */
	HEY_A_CACHE_FAMILY,		/* NLA_U16, key */
	HEY_A_CACHE_ADDR,		/* binary, 4 or 16 bytes, key */
	HEY_A_CACHE_PORT,		/* NLA_BE16, key */
	HEY_A_CACHE_PROTOCOL,		/* NLA_U8, enum hey_proto, key */
	HEY_A_CACHE_RESULT,		/* NLA_U8, enum hey_cache_result, last */
	HEY_A_CACHE_SUCCESSES,		/* NLA_U32 */
	HEY_A_CACHE_FAILURES,		/* NLA_U32 */
	HEY_A_CACHE_ERROR,		/* NLA_U32, positive errno, last failure */
	HEY_A_CACHE_HANDSHAKE_US,	/* NLA_U32, last handshake time */
	HEY_A_CACHE_SRTT_US,		/* NLA_U32, smoothed handshake time */
	HEY_A_CACHE_AGE_MS,		/* NLA_U32, since the last update */
	HEY_A_CACHE_CHANGE,		/* NLA_U8, enum hey_cache_change: events */
	HEY_A_CACHE_NAME,		/* NLA_STRING, as HEY_HOST, key */
	__HEY_A_CACHE_LAST
};

#define HEY_A_CACHE_MAX (__HEY_A_CACHE_LAST - 1)

enum hey_cache_change {
	HEY_CACHE_CHANGE_UPDATED = 1,	/* added or updated */
	HEY_CACHE_CHANGE_DELETED,	/* deleted, evicted or expired */
	HEY_CACHE_CHANGE_FLUSHED,	/* all gone; no key attributes */
};

/* System defaults for sockets that do not set their own. */
enum hey_policy_attr {
	HEY_A_POLICY_UNSPEC,
	HEY_A_POLICY_MODE,		/* NLA_U32, enum hey_race_mode */
	HEY_A_POLICY_MIN_DELAY_MS,	/* NLA_U32, 10 .. 60000 */
	HEY_A_POLICY_MAX_DELAY_MS,	/* NLA_U32, >= min_delay_ms */
	HEY_A_POLICY_DEFAULT_DELAY_MS,	/* NLA_U32, when nothing is known */
	HEY_A_POLICY_PROTOCOLS,		/* binary: u8 enum hey_proto, each once */
	HEY_A_POLICY_ALLOWED,		/* NLA_U32, bit (1 << enum hey_proto) */
	HEY_A_POLICY_PREFER,		/* binary: u32 ifindex[], paths first */
	HEY_A_POLICY_EXCLUDE,		/* binary: u32 ifindex[], never used */
	HEY_A_POLICY_MAX_LEAVES,	/* NLA_U32, net.hey.max_leaves */
	HEY_A_POLICY_MAX_RACES,		/* NLA_U32, net.hey.max_races */
	__HEY_A_POLICY_LAST
};

#define HEY_A_POLICY_MAX (__HEY_A_POLICY_LAST - 1)

/* The network an interface is attached to. */
enum hey_network_attr {
	HEY_A_NETWORK_UNSPEC,
	HEY_A_NETWORK_PAD,
	HEY_A_NETWORK_IFINDEX,		/* NLA_U32 */
	HEY_A_NETWORK_ID,		/* NLA_U64; 0 in a set: back to default */
	HEY_A_NETWORK_IFNAME,		/* NLA_NUL_STRING, in replies */
	__HEY_A_NETWORK_LAST
};

#define HEY_A_NETWORK_MAX (__HEY_A_NETWORK_LAST - 1)

/* Per-namespace counters, all NLA_U64, in the HEY_CMD_GET_STATS reply. */
enum hey_stats_attr {
	HEY_A_STATS_UNSPEC,
	HEY_A_STATS_PAD,
	HEY_A_STATS_RACES,		/* races started */
	HEY_A_STATS_WON,		/* races a leaf won */
	HEY_A_STATS_FAILED,		/* races every leaf lost */
	HEY_A_STATS_CANCELLED,		/* closed or disconnected mid-race */
	HEY_A_STATS_REJECTED,		/* refused: too many races in flight */
	HEY_A_STATS_IN_FLIGHT,		/* races running now */
	HEY_A_STATS_WINS_IPV4,
	HEY_A_STATS_WINS_IPV6,
	HEY_A_STATS_WINS_PRIMARY_PATH,	/* won on the main route's path */
	HEY_A_STATS_WINS_OTHER_PATH,
	HEY_A_STATS_WINS_TCP,
	HEY_A_STATS_FALLBACKS,		/* the winner was not the first leaf */
	HEY_A_STATS_LEAVES_STARTED,
	HEY_A_STATS_LEAVES_FAILED,
	HEY_A_STATS_LEAVES_ABORTED,	/* reset because another leaf won */
	HEY_A_STATS_ERR_REFUSED,	/* failed races, by their errno */
	HEY_A_STATS_ERR_TIMEDOUT,
	HEY_A_STATS_ERR_HOSTUNREACH,
	HEY_A_STATS_ERR_NETUNREACH,
	HEY_A_STATS_ERR_OTHER,
	HEY_A_STATS_WINS_TFO,
	HEY_A_STATS_WINS_SCTP,
	HEY_A_STATS_TFO_SYN_DATA_ACKED,	/* wins whose SYN data was acked */
	HEY_A_STATS_TFO_NEGATIVE,	/* TFO failures remembered */
	HEY_A_STATS_TFO_SKIPPED,	/* TFO not tried: remembered failure */
	HEY_A_STATS_CACHE_HITS,		/* leaves the history cache knew */
	HEY_A_STATS_CACHE_PRUNED,	/* leaves left out: failed lately */
	HEY_A_STATS_CACHE_ENTRIES,	/* entries now */
	HEY_A_STATS_CACHE_EVICTED,	/* entries dropped: cache full */
	HEY_A_STATS_MEASURED,		/* losers let finish (measure mode) */
	HEY_A_STATS_RESOLVES,		/* races by name (HEY_HOST) */
	HEY_A_STATS_RESOLVE_NO_RESOLVER, /* failed: EDESTADDRREQ */
	HEY_A_STATS_RESOLVE_TIMEOUT,	/* failed: no answer in time */
	HEY_A_STATS_RESOLVE_NO_ADDRESS,	/* failed: ENXIO */
	HEY_A_STATS_RESOLVE_ENDPOINTS,	/* endpoints the resolver gave */
	HEY_A_STATS_WON_AT_ONCE,	/* won within connect(): no race made */
	__HEY_A_STATS_LAST
};

#define HEY_A_STATS_MAX (__HEY_A_STATS_LAST - 1)

/* HEY_A_RESOLVE_FAMILIES: the address families a race by name wants. */
enum hey_resolve_families {
	HEY_RESOLVE_IPV4 = 1 << 0,	/* A records */
	HEY_RESOLVE_IPV6 = 1 << 1,	/* AAAA records */
};

/* HEY_A_RESOLVE_FLAGS of an answer: what is final for its path. */
enum hey_resolve_flags {
	HEY_RESOLVE_F_FINAL_A = 1 << 0,	   /* no more IPv4 endpoints */
	HEY_RESOLVE_F_FINAL_AAAA = 1 << 1, /* no more IPv6 endpoints */
	HEY_RESOLVE_F_FINAL = HEY_RESOLVE_F_FINAL_A | HEY_RESOLVE_F_FINAL_AAAA,
	HEY_RESOLVE_F_ALL = HEY_RESOLVE_F_FINAL,
};

/* A name to resolve (HEY_CMD_RESOLVE) and its answers. */
enum hey_resolve_attr {
	HEY_A_RESOLVE_UNSPEC,
	HEY_A_RESOLVE_PAD,
	HEY_A_RESOLVE_ID,		/* NLA_U64, names the request */
	HEY_A_RESOLVE_NAME,		/* NLA_NUL_STRING, as HEY_HOST */
	HEY_A_RESOLVE_PORT,		/* NLA_BE16, connect()'s port */
	HEY_A_RESOLVE_FAMILIES,		/* NLA_U8, enum hey_resolve_families */
	HEY_A_RESOLVE_PATHS,		/* binary: u32 ifindex[] */
	HEY_A_RESOLVE_IFINDEX,		/* NLA_U32, the path answered for */
	HEY_A_RESOLVE_FLAGS,		/* NLA_U32, enum hey_resolve_flags */
	HEY_A_RESOLVE_ENDPOINT,		/* nest, HEY_A_ENDPOINT_*; repeated */
	__HEY_A_RESOLVE_LAST
};

#define HEY_A_RESOLVE_MAX (__HEY_A_RESOLVE_LAST - 1)

/* One endpoint of an answer. */
enum hey_endpoint_attr {
	HEY_A_ENDPOINT_UNSPEC,
	HEY_A_ENDPOINT_FAMILY,		/* NLA_U16, AF_INET or AF_INET6 */
	HEY_A_ENDPOINT_ADDR,		/* binary, 4 or 16 bytes */
	HEY_A_ENDPOINT_PORT,		/* NLA_BE16; absent: the request's */
	HEY_A_ENDPOINT_TTL,		/* NLA_U32, seconds */
	HEY_A_ENDPOINT_PRIORITY,	/* NLA_U16, SRV: lower goes first */
	HEY_A_ENDPOINT_WEIGHT,		/* NLA_U16, SRV: higher goes first */
	__HEY_A_ENDPOINT_LAST
};

#define HEY_A_ENDPOINT_MAX (__HEY_A_ENDPOINT_LAST - 1)

#endif /* _UAPI_LINUX_HEY_H */
