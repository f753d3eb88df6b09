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
 *    of the attempt delay. Zeros mean the defaults (delayed racing, delays
 *    within [100 ms, 2 s], 250 ms when nothing is known).
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
 * started, failed and aborted, and failed races by errno.
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

enum hey_sockopt {
	HEY_ENDPOINTS = 1,
	HEY_PATHS = 2,
	HEY_TIMING = 3,
	HEY_FLAGS = 4,
	HEY_INFO = 5,
	HEY_PROTOCOLS = 6,
	HEY_EARLY_DATA = 7,
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
	__HEY_A_STATS_LAST
};

#define HEY_A_STATS_MAX (__HEY_A_STATS_LAST - 1)

#endif /* _UAPI_LINUX_HEY_H */
