/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyd's resolver: DNS per network path (issue 6), on c-ares.
 *
 * A path is an interface with its own c-ares channel: its queries go out
 * bound to the interface (ares_set_local_dev, SO_BINDTODEVICE) to that
 * network's DNS servers, the first of:
 *   1. the explicit list of the configuration ("ADDR[:PORT],[ADDR6]:PORT");
 *   2. the servers systemd-resolved knows for the link, read from its
 *      state file /run/systemd/resolve/netif/IFINDEX (no D-Bus: see
 *      resolved_link_servers() in dnsname.h for why this is read
 *      leniently);
 *   3. /etc/resolv.conf (c-ares' own initialisation). Beware that on a
 *      host where that file points at resolved's stub (127.0.0.53), a
 *      channel bound to another interface cannot reach it: resolved's
 *      per-link file is what serves such a host.
 *
 * Queries: A and AAAA of a host name, AAAA sent first, each family
 * reported on its own as its answer arrives, every address with its TTL,
 * with a final marker per family (RFC 8305 section 3 is the caller's: it
 * starts on AAAA, or 50 ms after A). DNS-SD over unicast DNS (RFC 6763):
 * the PTR browse of a service type, and the resolution of an instance,
 * SRV and TXT, then A and AAAA of every SRV target (reported with the
 * target's port, priority and weight). Answers are cached per path for
 * their TTL (the lowest of the answer's records, at most a day) in a
 * cache bounded by count and by bytes (cache_max answers, cache_bytes
 * bytes of their copies, answers above RESOLVE_CACHE_ANSWER_MAX not
 * kept; the expired, else those expiring first, make room); a cached
 * answer is reported again with its TTLs aged. Negative answers, and
 * answers that do not parse, are not cached.
 *
 * Every count and name is bounded (RESOLVE_MAX_*, dnsname.h); answers
 * are parsed by c-ares' parsers (but PTR: see dns_answer_ptrs() in
 * dnsname.h); an answer c-ares cannot parse, or one
 * whose names fail the checks of dnsname.h, is reported as
 * RESOLVE_BADRESP or RESOLVE_BADNAME.
 *
 * Nothing here blocks: the caller's event loop polls the fds of
 * resolve_fds(), calls resolve_process_fd() when one is ready and
 * resolve_process_timeouts() at resolve_timeout_ms(). Callbacks run from
 * those calls, or from resolve_host()/resolve_browse()/resolve_service()
 * themselves for what the cache answers.
 *
 * Names ending in .local are multicast DNS's: mdns.c, not here.
 */
#ifndef HEYD_RESOLVE_H
#define HEYD_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsname.h"

#define RESOLVE_MAX_ADDRS	16	/* addresses per family and answer */
#define RESOLVE_MAX_SRV		8	/* SRV records (and targets) of an instance */
#define RESOLVE_MAX_INSTANCES	32	/* PTR records of a browse */
#define RESOLVE_MAX_TXT		32	/* strings of a TXT answer */
#define RESOLVE_MAX_FDS		16	/* sockets of a channel (ARES_GETSOCK_MAXNUM) */
#define RESOLVE_TTL_CAP		86400u
#define RESOLVE_CACHE_DEFAULT	128	/* entries per path */
#define RESOLVE_CACHE_BYTES	32768	/* bytes of answers per path */
#define RESOLVE_CACHE_ANSWER_MAX 4096	/* bytes: larger answers are not cached */

enum resolve_status {
	RESOLVE_OK,
	RESOLVE_NODATA,		/* the name exists, without such records */
	RESOLVE_NXDOMAIN,
	RESOLVE_SERVFAIL,	/* no server answered: failure, refused, unreachable */
	RESOLVE_BADRESP,	/* an answer c-ares could not parse */
	RESOLVE_BADNAME,	/* a name asked, or in an answer, that is no name */
	RESOLVE_NOSERVICE,	/* SRV target ".": decidedly not available */
	RESOLVE_TIMEOUT,
	RESOLVE_ERROR,		/* anything else: memory, no server, ... */
};

const char *resolve_strstatus(int status);

enum resolve_source {
	RESOLVE_SRC_CONFIG,
	RESOLVE_SRC_RESOLVED,
	RESOLVE_SRC_RESOLV_CONF,
};

struct resolve_config {
	const char *ifname;	/* bind to it; NULL: unbound (tests) */
	int ifindex;		/* for resolved's state file; 0: skip it */
	const char *servers;	/* explicit list, or NULL */
	/* resolved's per-link state; NULL: /run/systemd/resolve/netif */
	const char *resolved_dir;
	int timeout_ms;		/* per try; 0: 2000 */
	int tries;		/* 0: 2 */
	int cache_max;		/* entries; 0: RESOLVE_CACHE_DEFAULT, <0: none */
	size_t cache_bytes;	/* bytes of answers; 0: RESOLVE_CACHE_BYTES */
	/* the cache's clock in ms; NULL: CLOCK_MONOTONIC */
	int64_t (*now_ms)(void *arg);
	void *now_arg;
};

struct resolve_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 bytes for AF_INET */
	uint32_t ttl;
};

struct resolve_srv {
	char target[DNSNAME_BUF];
	uint16_t port, priority, weight;
};

struct resolve_txt {
	const unsigned char *data;
	size_t len;
};

enum resolve_event_type {
	RESOLVE_EV_ADDRS,	/* addresses of one family of a host */
	RESOLVE_EV_BROWSE,	/* the instances of a service type */
	RESOLVE_EV_SRV,		/* the SRV records of an instance */
	RESOLVE_EV_TXT,		/* the TXT strings of an instance */
	RESOLVE_EV_DONE,	/* the request is over: no more events */
};

/* What a callback gets; every pointer is valid during the call only. */
struct resolve_event {
	enum resolve_event_type type;
	int status;		/* enum resolve_status */
	bool final;		/* ADDRS: the last report of this family of this host */
	bool cached;		/* answered from the path's cache */
	int family;		/* ADDRS */
	const char *name;	/* the name asked (query form) */
	uint32_t ttl;		/* the lowest TTL of the records reported */
	int n;			/* the length of the array below */
	const struct resolve_addr *addrs;	/* ADDRS */
	const struct resolve_srv *srvs;		/* SRV, by priority then weight */
	const char *const *instances;		/* BROWSE, in query form */
	const struct resolve_txt *txt;		/* TXT */
	/* ADDRS of an SRV target: the SRV record it came from */
	const struct resolve_srv *srv;
};

typedef void (*resolve_cb)(const struct resolve_event *ev, void *arg);

struct resolve_path;

struct resolve_stats {
	unsigned long queries;		/* sent to the network */
	unsigned long cache_hits;
	unsigned long cache_evictions;	/* unexpired answers given up for room */
	/* what the cache holds now: answers, and the bytes of their copies */
	unsigned long cache_entries;
	size_t cache_bytes;
};

/* 0, or an enum resolve_status (servers that do not parse: BADNAME). */
int resolve_path_new(const struct resolve_config *cfg,
		     struct resolve_path **out);
/* Cancels every request: no callback runs after (nor during) it. */
void resolve_path_free(struct resolve_path *p);
enum resolve_source resolve_path_source(const struct resolve_path *p);
const struct resolve_stats *resolve_path_stats(const struct resolve_path *p);

/*
 * Requests. Each one ends with exactly one RESOLVE_EV_DONE event, which
 * may come before the call returns (everything cached, or a name that
 * is no name); the return value is 0, or -1 when the request could not
 * start at all (no memory), without events.
 */
int resolve_host(struct resolve_path *p, const char *name, resolve_cb cb,
		 void *arg);
/* "_http._tcp.example.com" */
int resolve_browse(struct resolve_path *p, const char *service,
		   resolve_cb cb, void *arg);
/* "Instance._http._tcp.example.com": SRV and TXT, then the targets */
int resolve_service(struct resolve_path *p, const char *instance,
		    resolve_cb cb, void *arg);

/* The event loop's side. */
struct resolve_fd {
	int fd;
	bool read, write;
};
/* The sockets to poll now: how many were written to out. */
int resolve_fds(struct resolve_path *p, struct resolve_fd *out, int max);
/* In how many ms resolve_process_timeouts() is due; -1: nothing pending. */
int64_t resolve_timeout_ms(struct resolve_path *p);
void resolve_process_fd(struct resolve_path *p, int fd, bool readable,
			bool writable);
void resolve_process_timeouts(struct resolve_path *p);

/*
 * Ends every query under way on the channel now, not at its timeout:
 * each request's callbacks run before it returns (its queries reported
 * RESOLVE_ERROR, then DONE), and the channel's sockets close. c-ares
 * 1.18 cancels no single query: call it only when no query on the
 * channel is wanted any more. Not from a callback.
 */
void resolve_cancel(struct resolve_path *p);

/*
 * c-ares' parsers and the checks of what they give, shared with the
 * multicast DNS querier (mdns.c). Each returns an enum resolve_status
 * (RESOLVE_NODATA when nothing usable came) and the count in *n:
 * resolve_parse_addrs() the A (qtype ns_t_a) or AAAA records owned by
 * the question's name (TTLs less age, capped), at most RESOLVE_MAX_ADDRS;
 * resolve_parse_srv() the SRV records whose target is a host name, by
 * priority then weight (a target "." only: RESOLVE_NOSERVICE; only bad
 * ones: RESOLVE_BADNAME), at most RESOLVE_MAX_SRV; resolve_parse_txt()
 * the TXT strings, pointing into *mem, which resolve_txt_free() frees.
 */
int resolve_parse_addrs(int qtype, const unsigned char *msg, int len,
			uint32_t age, struct resolve_addr *out, int *n);
int resolve_parse_srv(const unsigned char *msg, int len,
		      struct resolve_srv *out, int *n);
int resolve_parse_txt(const unsigned char *msg, int len,
		      struct resolve_txt *out, int *n, void **mem);
void resolve_txt_free(void *mem);

/*
 * For the unit tests and the fuzzer: handle msg[0..len) as the answer to
 * a query of qtype (ns_t_a, ns_t_aaaa, ns_t_ptr, ns_t_srv, ns_t_txt) for
 * name, exactly as one from the network, reporting to cb, but neither
 * caching it nor asking for the SRV targets. Returns its status.
 */
int resolve_feed_answer(struct resolve_path *p, int qtype, const char *name,
			const unsigned char *msg, int len, resolve_cb cb,
			void *arg);

#endif /* HEYD_RESOLVE_H */
