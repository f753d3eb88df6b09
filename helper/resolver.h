/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyd as the kernel's resolver (races by name, HEY_HOST): the kernel
 * facing side; resolve.c is the DNS side.
 *
 * Whenever the family appears heyd registers a netlink socket as the
 * namespace's resolver (HEY_CMD_REGISTER_RESOLVER); the kernel sends
 * HEY_CMD_RESOLVE to that socket alone. Each request names the paths
 * (interfaces) it wants answers for; each path has one resolve_path
 * (a c-ares channel bound to the interface, its servers from the
 * configuration, else resolved, else /etc/resolv.conf), made when a
 * request first names the interface and kept for later ones. A host
 * name is asked A and AAAA, a DNS-SD service instance name SRV and TXT
 * then A and AAAA of the targets (with the SRV port, priority and
 * weight); each answer goes to the kernel (HEY_CMD_RESOLVE_ANSWER) as
 * it arrives, AAAA and A apart, with FINAL_AAAA / FINAL_A once a family
 * has nothing more to come on that path. A request is forgotten when
 * every path is final, or when the kernel answers ENOENT (it no longer
 * wants it: its DNS queries are cancelled, with ares_cancel() of the
 * path's channel, once no wanted request has queries on that channel;
 * see resolver.c's cancel_forgotten()). Names
 * ending in .local are asked by multicast DNS instead, on the same path
 * (mdns.c: one-shot queries from an ephemeral port, no avahi-daemon
 * needed), and answered alike.
 *
 * Bounded: at most max-requests (config.h) requests at once (the next
 * ones are answered FINAL with no address, and logged), a forgotten one
 * counted until its queries under way end; at most RESOLVER_MAX_PATHS
 * interfaces with a channel (an idle one is dropped for a new one),
 * each caching at most RESOLVE_CACHE_DEFAULT answers and
 * RESOLVE_CACHE_BYTES bytes of them (resolve.h). The c-ares sockets of every channel, and the mDNS
 * sockets, are in one epoll set whose fd the event loop polls.
 */
#ifndef HEYD_RESOLVER_H
#define HEYD_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define RESOLVER_MAX_PATHS	64

/* The epoll set: 0, or -errno. cfg is kept, not copied. */
int resolver_init(const struct heyd_config *cfg);
void resolver_exit(void);

/*
 * The family is there: registers. 0, or -errno (logged). EBUSY: another
 * resolver is registered in the namespace; resolver_tick() tries again
 * with a bounded backoff (resolver_deadline() says when) until it goes.
 */
int resolver_module_up(void);
/* The family went away: every request and channel is dropped. */
void resolver_module_down(void);

/* The registered socket to poll, or -1; resolver_nl_ready when readable. */
int resolver_nl_fd(void);
void resolver_nl_ready(void);

/* The epoll set of the DNS sockets; resolver_dns_ready when readable. */
int resolver_dns_fd(void);
void resolver_dns_ready(void);

/* After every event: the epoll set follows c-ares' sockets. */
void resolver_sync(void);

/* c-ares' next timeout, or the next registration attempt (ms, CLOCK_MONOTONIC), or -1. */
int64_t resolver_deadline(void);
/* What is due; true when it registered (a new resolver_nl_fd()). */
bool resolver_tick(int64_t now);

/*
 * A HEY_CMD_RESOLVE from the kernel, parsed: the request starts (or is
 * answered with no address: max-requests under way, no memory). The
 * kernel's ENOENT for an answer of request id: resolver_forget(id).
 * resolver_nl_ready() calls both; the unit tests call them directly.
 */
/*
 * The configuration (the one resolver_init() was given) changed: every
 * path's channels are made again with it, each once its lookups under
 * way have ended (logged); nothing in flight is dropped.
 */
void resolver_reconfigure(void);

struct heynl_resolve_request;
void resolver_request(const struct heynl_resolve_request *q);
void resolver_forget(uint64_t id);

/* What the resolver holds now (heyd's SIGUSR1 line, the unit tests). */
struct resolver_stats {
	int requests;			/* under way, forgotten ones included */
	int paths;			/* interfaces with a slot */
	unsigned long cache_entries;	/* answers cached, every path */
	size_t cache_bytes;		/* and their bytes */
};
void resolver_stats(struct resolver_stats *st);

#endif /* HEYD_RESOLVER_H */
