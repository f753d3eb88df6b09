// SPDX-License-Identifier: GPL-2.0
/* heyd as the kernel's resolver. See resolver.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "clock.h"
#include "heynl_events.h"
#include "heynl_resolve.h"
#include "log.h"
#include "mdns.h"
#include "resolve.h"
#include "resolver.h"

/* Requests come in bursts: room for many before the socket overflows. */
#define RCVBUF_BYTES	(1 << 20)
/* Another resolver registered: tried again after 100 ms, doubling to 5 s. */
#define RETRY_FIRST_MS	100
#define RETRY_MAX_MS	5000
#define MAX_EPOLL_FDS	(RESOLVER_MAX_PATHS * (RESOLVE_MAX_FDS + MDNS_MAX_FDS))

/*
 * One interface's channels, shared by every request that names it: DNS,
 * and multicast DNS for .local names, each made when first needed.
 */
struct rpath {
	int ifindex;		/* 0: a free slot */
	char ifname[IF_NAMESIZE];
	struct resolve_path *p;
	struct mdns_path *m;
	int busy;		/* lookups under way on it */
	bool stale;		/* made before a reload: dropped once idle */
};

struct request;

/* One path of one request. */
struct lookup {
	struct request *r;
	uint32_t ifindex;
	uint32_t final;		/* HEY_RESOLVE_F_* the kernel was told */
	int nsrv;		/* a service's SRV targets; -1 until known */
	int targets_done[2];	/* their AAAA [1] and A [0] answers so far */
	int naddrs;		/* endpoints sent */
	int status;		/* the last failure of its queries, for the log */
	bool refused;		/* the kernel refused an answer of it */
	bool running;		/* its DONE has not come */
};

struct request {
	struct request *next;
	uint64_t id;
	char name[HEY_MAX_HOST + 1];
	uint8_t families;
	bool service;
	bool mdns;		/* a .local name: multicast DNS */
	bool dead;		/* not wanted any more: send nothing */
	int holds;		/* running lookups, and the starter's */
	int npaths;
	struct lookup lk[HEY_MAX_PATHS];
};

/* An fd in the epoll set, and the path whose socket it is. */
struct regfd {
	int fd, slot;
	bool mdns;		/* the path's mDNS socket, else c-ares' */
	uint32_t events;
};

static struct {
	const struct heyd_config *cfg;
	int epfd;
	bool open;		/* nl is registered */
	struct heynl nl;
	int64_t retry_at;	/* EBUSY: when to try again, -1: not */
	int retry_ms;		/* the backoff after that */
	int tries;		/* registrations refused in a row */
	struct rpath paths[RESOLVER_MAX_PATHS];
	struct request *reqs;
	int nreqs;
	struct regfd reg[MAX_EPOLL_FDS];
	int nreg;
} rs = { .epfd = -1, .retry_at = -1 };

/* ---- answers ------------------------------------------------------- */

static void send_answer(uint64_t id, uint32_t ifindex, uint32_t flags,
			const struct heynl_resolve_endpoint *e, int n)
{
	struct nl_msg *msg;
	int ret;

	if (!rs.open)
		return;
	msg = heynl_resolve_answer_msg(&rs.nl, id, ifindex, flags, e, n);
	if (!msg) {
		logmsg("resolve %" PRIu64 ": cannot build an answer", id);
		return;
	}
	/* the kernel's errors come back on the socket: resolver_nl_ready */
	ret = nl_send_auto(rs.nl.sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		logmsg("resolve %" PRIu64 ": sending an answer: %s", id,
		       nl_geterror(ret));
}

/* FINAL with nothing, for every path of a request not started. */
static void answer_nothing(const struct heynl_resolve_request *q,
			   const char *why)
{
	logmsg("resolve %" PRIu64 " %s: %s: answered with no address",
	       q->id, q->name, why);
	for (int i = 0; i < q->npaths; i++)
		send_answer(q->id, q->paths[i], HEY_RESOLVE_F_FINAL, NULL, 0);
}

static uint32_t family_bit(int family)
{
	return family == AF_INET6 ? HEY_RESOLVE_F_FINAL_AAAA :
				    HEY_RESOLVE_F_FINAL_A;
}

/* What is final before any answer: the families not asked for. */
static uint32_t unwanted(uint8_t families)
{
	uint32_t f = 0;

	if (!(families & HEY_RESOLVE_IPV6))
		f |= HEY_RESOLVE_F_FINAL_AAAA;
	if (!(families & HEY_RESOLVE_IPV4))
		f |= HEY_RESOLVE_F_FINAL_A;
	return f;
}

static const char *lk_ifname(const struct lookup *lk, char *buf)
{
	if (!if_indextoname(lk->ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", lk->ifindex);
	return buf;
}

/* Sends what a lookup has to say: endpoints and/or new final bits. */
static void lookup_answer(struct lookup *lk, uint32_t final,
			  const struct heynl_resolve_endpoint *e, int n)
{
	struct request *r = lk->r;
	char ifname[IF_NAMESIZE];

	final |= lk->final;
	if (r->dead || lk->final == HEY_RESOLVE_F_FINAL ||
	    (!n && final == lk->final))
		return;
	lk->final = final;
	lk->naddrs += n;
	logdbg("resolve %" PRIu64 " %s on %s: %d endpoint%s%s%s", r->id,
	       r->name, lk_ifname(lk, ifname), n, n == 1 ? "" : "s",
	       final & HEY_RESOLVE_F_FINAL_AAAA ? ", AAAA final" : "",
	       final & HEY_RESOLVE_F_FINAL_A ? ", A final" : "");
	send_answer(r->id, lk->ifindex, final, e, n);
}

/* ---- requests ------------------------------------------------------ */

static void request_put(struct request *r)
{
	struct request **pp;

	if (--r->holds > 0)
		return;
	for (pp = &rs.reqs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	rs.nreqs--;
	free(r);
}

static struct rpath *path_of(int ifindex);

static void lookup_done(struct lookup *lk, int status)
{
	struct request *r = lk->r;
	char ifname[IF_NAMESIZE];
	struct rpath *rp = path_of(lk->ifindex);

	if (rp)
		rp->busy--;
	lk->running = false;
	if (!r->dead && lk->final != HEY_RESOLVE_F_FINAL) {
		if (!lk->naddrs)
			logmsg("resolve %" PRIu64 " %s on %s: no address: %s",
			       r->id, r->name, lk_ifname(lk, ifname),
			       resolve_strstatus(status ? status : lk->status));
		lookup_answer(lk, HEY_RESOLVE_F_FINAL, NULL, 0);
	}
	request_put(r);
}

static void on_addrs(struct lookup *lk, const struct resolve_event *ev)
{
	struct heynl_resolve_endpoint e[RESOLVE_MAX_ADDRS];
	uint32_t bit = family_bit(ev->family), final = 0;
	int n = 0;

	if (ev->status != RESOLVE_OK)
		lk->status = ev->status;
	if (lk->final & bit)
		return;		/* not asked for, or already final */
	for (int i = 0; i < ev->n && n < RESOLVE_MAX_ADDRS; i++) {
		const struct resolve_addr *a = &ev->addrs[i];

		memset(&e[n], 0, sizeof(e[n]));
		e[n].family = a->family;
		memcpy(e[n].addr, a->addr, 16);
		e[n].ttl = a->ttl;
		if (ev->srv) {
			e[n].port = ev->srv->port;
			e[n].srv = true;
			e[n].priority = ev->srv->priority;
			e[n].weight = ev->srv->weight;
		}
		/* what the kernel would refuse, with the whole answer */
		if (!heynl_resolve_endpoint_usable(&e[n]) ||
		    (ev->srv && !ev->srv->port)) {
			logmsg("resolve %" PRIu64 " %s: an unusable address "
			       "or port 0 in the answer, left out",
			       lk->r->id, lk->r->name);
			continue;
		}
		n++;
	}
	if (!ev->srv) {
		if (ev->final)
			final = bit;
	} else if (ev->final) {
		/* a family of a service is final when every target's is */
		int *done = &lk->targets_done[ev->family == AF_INET6];

		if (++*done >= lk->nsrv && lk->nsrv >= 0)
			final = bit;
	}
	lookup_answer(lk, final, e, n);
}

static void on_event(const struct resolve_event *ev, void *arg)
{
	struct lookup *lk = arg;

	switch (ev->type) {
	case RESOLVE_EV_ADDRS:
		on_addrs(lk, ev);
		break;
	case RESOLVE_EV_SRV:
		if (ev->status == RESOLVE_OK)
			lk->nsrv = ev->n;
		else
			lk->status = ev->status;
		break;
	case RESOLVE_EV_DONE:
		lookup_done(lk, ev->status);
		break;
	default:
		/* TXT: nothing the kernel takes; BROWSE: not asked */
		break;
	}
}

static struct request *request_find(uint64_t id)
{
	for (struct request *r = rs.reqs; r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

/* ---- paths --------------------------------------------------------- */

static struct rpath *path_of(int ifindex)
{
	for (int i = 0; i < RESOLVER_MAX_PATHS; i++)
		if (rs.paths[i].ifindex == ifindex)
			return &rs.paths[i];
	return NULL;
}

static void path_drop(struct rpath *rp)
{
	resolve_path_free(rp->p);
	mdns_path_free(rp->m);
	memset(rp, 0, sizeof(*rp));
}

static const char *const source_names[] = {
	[RESOLVE_SRC_CONFIG] = "the configuration",
	[RESOLVE_SRC_RESOLVED] = "systemd-resolved",
	[RESOLVE_SRC_RESOLV_CONF] = "/etc/resolv.conf",
};

/* The slot of ifindex, taken when first needed; NULL when it cannot. */
static struct rpath *path_slot(int ifindex)
{
	char ifname[IF_NAMESIZE];
	struct rpath *rp = path_of(ifindex), *slot = NULL;

	if (!if_indextoname(ifindex, ifname)) {
		logmsg("resolve: interface %d: %s", ifindex, strerror(errno));
		return NULL;
	}
	/*
	 * The index now names another interface, or the configuration was
	 * reloaded since the channels were made: new channels.
	 */
	if (rp && (strcmp(rp->ifname, ifname) || rp->stale) && !rp->busy)
		path_drop(rp);
	else if (rp)
		return rp;
	for (int i = 0; i < RESOLVER_MAX_PATHS && !slot; i++)
		if (!rs.paths[i].ifindex)
			slot = &rs.paths[i];
	/* full: an idle path makes room */
	for (int i = 0; i < RESOLVER_MAX_PATHS && !slot; i++)
		if (!rs.paths[i].busy) {
			path_drop(&rs.paths[i]);
			slot = &rs.paths[i];
		}
	if (!slot) {
		logmsg("resolve: %s: %d interfaces busy resolving already",
		       ifname, RESOLVER_MAX_PATHS);
		return NULL;
	}
	slot->ifindex = ifindex;
	snprintf(slot->ifname, sizeof(slot->ifname), "%s", ifname);
	return slot;
}

/* The DNS channel of a path, made when first needed; NULL when it cannot. */
static struct resolve_path *path_dns(struct rpath *rp)
{
	struct resolve_config rc = { 0 };
	int ret;

	if (rp->p)
		return rp->p;
	rc.ifname = rp->ifname;
	rc.ifindex = rp->ifindex;
	rc.servers = config_servers(rs.cfg, rp->ifname);
	rc.timeout_ms = rs.cfg->dns_timeout_ms;
	rc.tries = rs.cfg->dns_tries;
	ret = resolve_path_new(&rc, &rp->p);
	if (ret) {
		logmsg("resolve: %s: no DNS channel: %s", rp->ifname,
		       resolve_strstatus(ret));
		return NULL;
	}
	logmsg("resolve: %s: DNS servers from %s", rp->ifname,
	       source_names[resolve_path_source(rp->p)]);
	return rp->p;
}

/*
 * The multicast DNS querier of a path, made when first needed: it waits
 * as long as a DNS query does (dns-timeout, dns-tries).
 */
static struct mdns_path *path_mdns(struct rpath *rp)
{
	struct mdns_config mc = {
		.ifname = rp->ifname,
		.ifindex = rp->ifindex,
		.timeout_ms = rs.cfg->dns_timeout_ms,
		.tries = rs.cfg->dns_tries,
	};
	int ret;

	if (rp->m)
		return rp->m;
	ret = mdns_path_new(&mc, &rp->m);
	if (ret) {
		logmsg("resolve: %s: no multicast DNS: %s", rp->ifname,
		       resolve_strstatus(ret));
		return NULL;
	}
	logmsg("resolve: %s: .local names by one-shot multicast DNS queries",
	       rp->ifname);
	return rp->m;
}

/* ---- the kernel's requests ----------------------------------------- */

static bool is_mdns(const char *name)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	return (n == 5 || (n > 5 && name[n - 6] == '.')) &&
	       !strncasecmp(name + n - 5, "local", 5);
}

static void lookup_start(struct request *r, struct lookup *lk)
{
	struct rpath *rp = path_slot(lk->ifindex);
	struct resolve_path *p = NULL;
	struct mdns_path *m = NULL;
	int ret;

	if (rp && r->mdns)
		m = path_mdns(rp);
	else if (rp)
		p = path_dns(rp);
	if (!p && !m) {
		lookup_answer(lk, HEY_RESOLVE_F_FINAL, NULL, 0);
		return;
	}
	lk->running = true;
	r->holds++;
	rp->busy++;
	if (m)
		ret = r->service ? mdns_service(m, r->name, on_event, lk) :
				   mdns_host(m, r->name, on_event, lk);
	else
		ret = r->service ? resolve_service(p, r->name, on_event, lk) :
				   resolve_host(p, r->name, on_event, lk);
	if (ret) {
		/* no memory: no events will come */
		lookup_done(lk, RESOLVE_ERROR);
	}
}

void resolver_request(const struct heynl_resolve_request *q)
{
	char buf[DNSNAME_BUF];
	struct request *r;

	if (request_find(q->id)) {
		logmsg("resolve %" PRIu64 ": asked twice, ignored", q->id);
		return;
	}
	if (rs.nreqs >= rs.cfg->max_requests) {
		answer_nothing(q, "too many requests under way");
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		answer_nothing(q, "out of memory");
		return;
	}
	r->id = q->id;
	memcpy(r->name, q->name, sizeof(r->name));
	r->families = q->families;
	r->mdns = is_mdns(q->name);
	/* Instance._service._tcp.domain: DNS-SD; anything else a host */
	r->service = dnsname_instance(q->name, strlen(q->name), buf,
				      sizeof(buf)) >= 0;
	r->npaths = q->npaths;
	r->holds = 1;
	r->next = rs.reqs;
	rs.reqs = r;
	rs.nreqs++;
	logdbg("resolve %" PRIu64 " %s (%s%s%s%s) on %d path%s", r->id,
	       r->name, r->service ? "service instance" : "host",
	       r->mdns ? ", multicast DNS" : "",
	       r->families & HEY_RESOLVE_IPV6 ? ", AAAA" : "",
	       r->families & HEY_RESOLVE_IPV4 ? ", A" : "", r->npaths,
	       r->npaths == 1 ? "" : "s");
	for (int i = 0; i < r->npaths; i++) {
		struct lookup *lk = &r->lk[i];

		lk->r = r;
		lk->ifindex = q->paths[i];
		lk->final = unwanted(r->families);
		lk->nsrv = -1;
	}
	for (int i = 0; i < r->npaths && !r->dead; i++)
		lookup_start(r, &r->lk[i]);
	request_put(r);
}

/*
 * Nothing more is sent for it; its DNS queries are cancelled at the
 * next resolver_sync() when no wanted request shares their channel (see
 * cancel_forgotten()), and it goes with them; else it goes once its
 * lookups under way end, at most dns-timeout x dns-tries later, holding
 * its place among max-requests until then.
 */
void resolver_forget(uint64_t id)
{
	struct request *r = request_find(id);

	if (r && !r->dead) {
		logdbg("resolve %" PRIu64 " %s: no longer wanted", id, r->name);
		r->dead = true;
	}
}

/*
 * The configuration changed under rs.cfg (heyd's SIGHUP). c-ares takes
 * its servers, timeout and tries when a channel is made (and 1.18 refuses
 * new servers while queries are pending), so every channel is made
 * again: an idle one at the next resolver_sync(), before any new
 * request can use it; one with lookups under way keeps serving them,
 * and the requests that come meanwhile, with what it was made with,
 * until they have all ended. Nothing in flight is dropped.
 */
void resolver_reconfigure(void)
{
	for (int s = 0; s < RESOLVER_MAX_PATHS; s++) {
		struct rpath *rp = &rs.paths[s];

		if (!rp->ifindex)
			continue;
		rp->stale = true;
		if (rp->busy)
			logmsg("resolve: %s: %d lookups under way keep its "
			       "old DNS settings until they end", rp->ifname,
			       rp->busy);
	}
}

void resolver_stats(struct resolver_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->requests = rs.nreqs;
	for (int i = 0; i < RESOLVER_MAX_PATHS; i++) {
		const struct resolve_stats *ps;

		if (!rs.paths[i].ifindex)
			continue;
		st->paths++;
		if (!rs.paths[i].p)
			continue;
		ps = resolve_path_stats(rs.paths[i].p);
		st->cache_entries += ps->cache_entries;
		st->cache_bytes += ps->cache_bytes;
	}
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct heynl_resolve_request q;
	int ret;

	(void)arg;
	ret = heynl_resolve_request_parse(msg, &q);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		logmsg("resolve: a malformed request from the kernel, ignored");
		return 0;
	}
	resolver_request(&q);
	return 0;
}

static void on_error(const struct nlmsghdr *nlh, size_t len, int err,
		     void *arg)
{
	struct request *r;
	uint32_t ifindex = 0;
	uint64_t id = 0;

	(void)arg;
	if (heynl_resolve_answer_echo(nlh, len, &id, &ifindex)) {
		logmsg("resolve: the kernel refused a message: %s",
		       strerror(err));
		return;
	}
	if (err == ENOENT) {
		/* the race ended or gave up waiting */
		resolver_forget(id);
		return;
	}
	r = request_find(id);
	logmsg("resolve %" PRIu64 ": the kernel refused the answer for "
	       "interface %u: %s", id, ifindex, strerror(err));
	/*
	 * The final bits it carried are lost with it: the race would wait
	 * for its timeout. Once per path, say final with nothing.
	 */
	for (int i = 0; r && !r->dead && i < r->npaths; i++) {
		struct lookup *lk = &r->lk[i];

		if (lk->ifindex != ifindex || lk->refused)
			continue;
		lk->refused = true;
		send_answer(id, ifindex, HEY_RESOLVE_F_FINAL, NULL, 0);
		lk->final = HEY_RESOLVE_F_FINAL;
	}
}

void resolver_nl_ready(void)
{
	int ret;

	if (!rs.open)
		return;
	ret = heynl_group_read(&rs.nl, on_msg, on_error, NULL);
	if (ret == -ENOBUFS)
		logmsg("resolve: requests lost (socket overflow): those "
		       "races failed with ETIMEDOUT");
	else if (ret)
		logmsg("resolve: reading requests: %s", strerror(-ret));
}

int resolver_nl_fd(void)
{
	return rs.open ? nl_socket_get_fd(rs.nl.sk) : -1;
}

/* ---- the module ---------------------------------------------------- */

/* One attempt to register: 0, or -errno. */
static int try_register(void)
{
	int ret;

	ret = heynl_open(&rs.nl);
	if (ret)
		return ret;
	nl_socket_set_buffer_size(rs.nl.sk, RCVBUF_BYTES, 0);
	/*
	 * The kernel sends requests to this socket alone, by unicast to
	 * its port id, from the moment it is registered: no group to join.
	 */
	ret = heynl_resolver_register(&rs.nl);
	/* read from the event loop, which must not block */
	if (!ret && nl_socket_set_nonblocking(rs.nl.sk) < 0)
		ret = -EIO;
	if (ret) {
		heynl_close(&rs.nl);
		return ret;
	}
	rs.open = true;
	return 0;
}

/*
 * Registers, and when another resolver holds the place (EBUSY) tries
 * again from resolver_tick() with a bounded backoff, logging the first
 * refusal and the takeover: the other one may be a heyd on its way out
 * (a restart), or a resolver under test.
 */
int resolver_module_up(void)
{
	int ret;

	if (rs.open)
		resolver_module_down();
	ret = try_register();
	if (!ret) {
		logmsg("resolve: registered as the resolver");
		return 0;
	}
	if (ret == -EBUSY) {
		logmsg("resolve: another resolver is registered: names are "
		       "not resolved by this heyd until it goes (trying "
		       "again every %d ms at most)", RETRY_MAX_MS);
		rs.tries = 1;
		rs.retry_ms = RETRY_FIRST_MS;
		rs.retry_at = now_ms() + rs.retry_ms;
	} else {
		logmsg("resolve: cannot register as the resolver: %s",
		       strerror(-ret));
	}
	return ret;
}

/* The backoff's attempt, when due: true when it registered. */
static bool retry_register(int64_t now)
{
	int ret;

	if (rs.retry_at < 0 || now < rs.retry_at)
		return false;
	ret = try_register();
	if (!ret) {
		logmsg("resolve: registered as the resolver (the other one "
		       "went, %d attempts refused)", rs.tries);
		rs.retry_at = -1;
		return true;
	}
	if (ret != -EBUSY) {
		logmsg("resolve: cannot register as the resolver: %s",
		       strerror(-ret));
		rs.retry_at = -1;
		return false;
	}
	rs.tries++;
	logdbg("resolve: another resolver still registered (attempt %d)",
	       rs.tries);
	rs.retry_ms = rs.retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS :
						       rs.retry_ms * 2;
	rs.retry_at = now + rs.retry_ms;
	return false;
}

void resolver_module_down(void)
{
	struct request *r, *next;

	rs.retry_at = -1;
	if (rs.open) {
		heynl_close(&rs.nl);
		rs.open = false;
	}
	/* no callback runs once a channel is freed: free the requests */
	for (int i = 0; i < RESOLVER_MAX_PATHS; i++)
		if (rs.paths[i].ifindex)
			path_drop(&rs.paths[i]);
	for (r = rs.reqs; r; r = next) {
		next = r->next;
		free(r);
	}
	rs.reqs = NULL;
	rs.nreqs = 0;
	resolver_sync();
}

/* ---- the event loop's side ----------------------------------------- */

int resolver_init(const struct heyd_config *cfg)
{
	rs.cfg = cfg;
	rs.epfd = epoll_create1(EPOLL_CLOEXEC);
	return rs.epfd < 0 ? -errno : 0;
}

void resolver_exit(void)
{
	resolver_module_down();
	if (rs.epfd >= 0)
		close(rs.epfd);
	rs.epfd = -1;
}

int resolver_dns_fd(void)
{
	return rs.epfd;
}

void resolver_dns_ready(void)
{
	struct epoll_event evs[32];
	int n = epoll_wait(rs.epfd, evs, 32, 0);

	for (int i = 0; i < n; i++) {
		int slot = evs[i].data.u64 >> 33, fd = (int)evs[i].data.u64;
		bool mdns = evs[i].data.u64 >> 32 & 1;
		uint32_t e = evs[i].events;
		struct rpath *rp;

		if (slot >= RESOLVER_MAX_PATHS)
			continue;
		/* a channel dropped since: its sockets went with it */
		rp = &rs.paths[slot];
		if (mdns && rp->m)
			mdns_process_fd(rp->m, fd);
		else if (!mdns && rp->p)
			resolve_process_fd(rp->p, fd,
					   e & (EPOLLIN | EPOLLERR | EPOLLHUP),
					   e & EPOLLOUT);
	}
}

/*
 * The DNS queries of requests the kernel no longer wants end at once
 * rather than at their timeout (dns-timeout x dns-tries later), so that
 * the request goes with all it held and frees its place among
 * max-requests. c-ares 1.18 has no per-query cancel, only ares_cancel()
 * of a whole channel, and a channel is an interface's, shared by every
 * request on it. Cancelling it while a wanted request has queries on it
 * would end those too: re-sending them would restart their wait at each
 * race that ends, and a channel per request would cost a c-ares channel
 * (its resolv.conf read, its sockets) for each. So a path's channel is
 * cancelled when every lookup running on it belongs to forgotten
 * requests: at once for a request alone on its interface, else as soon
 * as the wanted ones on it have ended; until then the forgotten
 * queries run unheard, as before. Called outside c-ares' callbacks
 * (ares_cancel() runs them). Multicast DNS queries (mdns.c) end at
 * their own timeout.
 */
static void cancel_forgotten(void)
{
	for (int s = 0; s < RESOLVER_MAX_PATHS; s++) {
		struct rpath *rp = &rs.paths[s];
		int dead = 0, live = 0;

		if (!rp->p || !rp->busy)
			continue;
		for (struct request *r = rs.reqs; r; r = r->next) {
			if (r->mdns)
				continue;
			for (int i = 0; i < r->npaths; i++)
				if (r->lk[i].running &&
				    r->lk[i].ifindex == (uint32_t)rp->ifindex)
					*(r->dead ? &dead : &live) += 1;
		}
		if (!dead || live)
			continue;
		logdbg("resolve: %s: the queries of %d lookups no longer "
		       "wanted cancelled", rp->ifname, dead);
		resolve_cancel(rp->p);
	}
}

/*
 * Every socket c-ares wants watched, and every mDNS socket (for
 * reading), is (re)set in the epoll set, MOD then ADD: c-ares may have
 * closed one and opened another under the same number since the last
 * call, which closing took out of the set. Those no longer wanted go
 * out.
 */
void resolver_sync(void)
{
	struct regfd now[MAX_EPOLL_FDS];
	int n = 0;

	/* outside c-ares' callbacks: forgotten queries and old channels go */
	cancel_forgotten();
	for (int s = 0; s < RESOLVER_MAX_PATHS; s++)
		if (rs.paths[s].stale && !rs.paths[s].busy)
			path_drop(&rs.paths[s]);

	for (int s = 0; s < RESOLVER_MAX_PATHS; s++) {
		struct resolve_fd fds[RESOLVE_MAX_FDS];
		int mfds[MDNS_MAX_FDS], k;

		k = rs.paths[s].p ? resolve_fds(rs.paths[s].p, fds,
						RESOLVE_MAX_FDS) : 0;
		for (int i = 0; i < k && n < MAX_EPOLL_FDS; i++)
			now[n++] = (struct regfd){
				.fd = fds[i].fd, .slot = s,
				.events = (fds[i].read ? EPOLLIN : 0) |
					  (fds[i].write ? EPOLLOUT : 0),
			};
		k = rs.paths[s].m ? mdns_fds(rs.paths[s].m, mfds,
					     MDNS_MAX_FDS) : 0;
		for (int i = 0; i < k && n < MAX_EPOLL_FDS; i++)
			now[n++] = (struct regfd){
				.fd = mfds[i], .slot = s, .mdns = true,
				.events = EPOLLIN,
			};
	}
	for (int i = 0; i < rs.nreg; i++) {
		bool kept = false;

		for (int j = 0; j < n && !kept; j++)
			kept = now[j].fd == rs.reg[i].fd;
		if (!kept)	/* fails harmlessly when closed already */
			epoll_ctl(rs.epfd, EPOLL_CTL_DEL, rs.reg[i].fd, NULL);
	}
	for (int i = 0; i < n; i++) {
		struct epoll_event ev = {
			.events = now[i].events,
			.data.u64 = (uint64_t)now[i].slot << 33 |
				    (uint64_t)now[i].mdns << 32 |
				    (uint32_t)now[i].fd,
		};

		if (epoll_ctl(rs.epfd, EPOLL_CTL_MOD, now[i].fd, &ev) &&
		    errno == ENOENT &&
		    epoll_ctl(rs.epfd, EPOLL_CTL_ADD, now[i].fd, &ev))
			logmsg("resolve: epoll: %s", strerror(errno));
	}
	memcpy(rs.reg, now, n * sizeof(now[0]));
	rs.nreg = n;
}

int64_t resolver_deadline(void)
{
	int64_t at = rs.retry_at, now = now_ms();

	for (int s = 0; s < RESOLVER_MAX_PATHS; s++) {
		int64_t t;

		t = rs.paths[s].p ? resolve_timeout_ms(rs.paths[s].p) : -1;
		if (t >= 0)
			at = deadline_min(at, now + t);
		t = rs.paths[s].m ? mdns_timeout_ms(rs.paths[s].m) : -1;
		if (t >= 0)
			at = deadline_min(at, now + t);
	}
	return at;
}

bool resolver_tick(int64_t now)
{
	bool registered = retry_register(now);

	/* c-ares, and the mDNS querier, know which queries are due */
	for (int s = 0; s < RESOLVER_MAX_PATHS; s++) {
		if (rs.paths[s].p && resolve_timeout_ms(rs.paths[s].p) >= 0)
			resolve_process_timeouts(rs.paths[s].p);
		if (rs.paths[s].m && mdns_timeout_ms(rs.paths[s].m) >= 0)
			mdns_process_timeouts(rs.paths[s].m);
	}
	return registered;
}
