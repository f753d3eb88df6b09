// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "clock.h"
#include "heynl.h"
#include "heynl_network.h"
#include "log.h"
#include "netid.h"
#include "netid_hash.h"

/* Unknown routers are nudged again after this long. */
#define NUDGE_INTERVAL_MS 10000
#define MAX_GATEWAYS 4

#define NUD_HAS_LLADDR (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | \
			NUD_PROBE | NUD_STALE | NUD_DELAY)

static struct nl_cache_mngr *mngr;
static struct nl_cache *links, *addrs, *routes, *neighs;
static bool module_up, dirty;

/* What heyd knows of an interface. */
struct ifstate {
	int ifindex;
	bool pushed;		/* id is what the kernel has */
	bool seen;		/* in the last walk over the links */
	bool unknown;		/* routers whose lladdr is not known */
	uint64_t id;
	uint64_t gateways;	/* a hash of the default gateways */
	int64_t nudged;		/* when, or -1 */
};

static struct ifstate *ifs;
static size_t n_ifs, cap_ifs;

static struct ifstate *ifstate_get(int ifindex)
{
	struct ifstate *s;
	size_t i;

	for (i = 0; i < n_ifs; i++)
		if (ifs[i].ifindex == ifindex)
			return &ifs[i];
	if (n_ifs == cap_ifs) {
		size_t cap = cap_ifs ? 2 * cap_ifs : 16;

		s = reallocarray(ifs, cap, sizeof(*s));
		if (!s)
			return NULL;
		ifs = s;
		cap_ifs = cap;
	}
	s = &ifs[n_ifs++];
	memset(s, 0, sizeof(*s));
	s->ifindex = ifindex;
	s->nudged = -1;
	return s;
}

/* What one interface's walk over the caches finds. */
struct gather {
	int ifindex;
	struct netid_inputs in;
	unsigned int n_gw;
	struct nl_addr *gw[MAX_GATEWAYS];	/* not held: in routes */
	bool unknown;
};

static bool is_default(struct rtnl_route *r)
{
	struct nl_addr *dst = rtnl_route_get_dst(r);

	return rtnl_route_get_table(r) == RT_TABLE_MAIN &&
	       rtnl_route_get_type(r) == RTN_UNICAST &&
	       (!dst || !nl_addr_get_prefixlen(dst));
}

/* An on-link IPv6 prefix (no gateway), neither link-local nor multicast. */
static bool is_link_prefix(struct rtnl_route *r)
{
	struct nl_addr *dst = rtnl_route_get_dst(r);
	const uint8_t *a;
	unsigned int len;

	if (rtnl_route_get_family(r) != AF_INET6 ||
	    rtnl_route_get_table(r) != RT_TABLE_MAIN ||
	    rtnl_route_get_type(r) != RTN_UNICAST || !dst)
		return false;
	len = nl_addr_get_prefixlen(dst);
	a = nl_addr_get_binary_addr(dst);
	if (!len || len > 64 || nl_addr_get_len(dst) != 16)
		return false;
	return !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80) && a[0] != 0xff;
}

static void router_of(struct gather *g, struct nl_addr *gw)
{
	struct rtnl_neigh *n;
	struct nl_addr *ll;

	if (g->n_gw < MAX_GATEWAYS)
		g->gw[g->n_gw++] = gw;
	n = rtnl_neigh_get(neighs, g->ifindex, gw);
	ll = n && (rtnl_neigh_get_state(n) & NUD_HAS_LLADDR) ?
	     rtnl_neigh_get_lladdr(n) : NULL;
	if (ll && nl_addr_get_len(ll))
		netid_add_router(&g->in, nl_addr_get_binary_addr(ll),
				 nl_addr_get_len(ll));
	else
		g->unknown = true;
	if (n)
		rtnl_neigh_put(n);
}

struct nh_walk {
	struct gather *g;
	struct rtnl_route *r;
	bool deflt, prefix;
};

static void on_nexthop(struct rtnl_nexthop *nh, void *arg)
{
	struct nh_walk *w = arg;
	struct nl_addr *gw = rtnl_route_nh_get_gateway(nh);

	if ((int)rtnl_route_nh_get_ifindex(nh) != w->g->ifindex)
		return;
	if (w->deflt && gw)
		router_of(w->g, gw);
	if (w->prefix && !gw) {
		struct nl_addr *dst = rtnl_route_get_dst(w->r);

		netid_add_prefix(&w->g->in, nl_addr_get_binary_addr(dst),
				 nl_addr_get_prefixlen(dst));
	}
}

static void on_route(struct nl_object *obj, void *arg)
{
	struct rtnl_route *r = (struct rtnl_route *)obj;
	struct nh_walk w = { .g = arg, .r = r };

	w.deflt = is_default(r);
	w.prefix = is_link_prefix(r);
	if (w.deflt || w.prefix)
		rtnl_route_foreach_nexthop(r, on_nexthop, &w);
}

static void on_addr(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct gather *g = arg;
	struct nl_addr *local = rtnl_addr_get_local(a);
	unsigned int len = rtnl_addr_get_prefixlen(a);

	if (rtnl_addr_get_ifindex(a) != g->ifindex ||
	    rtnl_addr_get_family(a) != AF_INET6 ||
	    rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE || !local ||
	    nl_addr_get_len(local) != 16 || !len || len > 64)
		return;
	netid_add_prefix(&g->in, nl_addr_get_binary_addr(local), len);
}

/* A hash of the gateways' addresses, in any order. */
static uint64_t gateways_hash(const struct gather *g)
{
	uint64_t h = 0, x;
	unsigned int i, j;

	for (i = 0; i < g->n_gw; i++) {
		const uint8_t *a = nl_addr_get_binary_addr(g->gw[i]);

		x = 0xcbf29ce484222325ull;
		for (j = 0; j < nl_addr_get_len(g->gw[i]); j++)
			x = (x ^ a[j]) * 0x100000001b3ull;
		h += x;
	}
	return h;
}

/* An empty UDP datagram to each gateway: the kernel resolves it. */
static void nudge(const struct gather *g, const char *ifname)
{
	unsigned int i;

	for (i = 0; i < g->n_gw; i++) {
		int family = nl_addr_get_family(g->gw[i]);
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
		struct sockaddr_in s4 = { .sin_family = AF_INET };
		struct sockaddr *sa;
		socklen_t len;
		int fd;

		if (family == AF_INET6 && nl_addr_get_len(g->gw[i]) == 16) {
			memcpy(&s6.sin6_addr, nl_addr_get_binary_addr(g->gw[i]),
			       16);
			s6.sin6_port = htons(9);
			s6.sin6_scope_id = g->ifindex;
			sa = (struct sockaddr *)&s6;
			len = sizeof(s6);
		} else if (family == AF_INET &&
			   nl_addr_get_len(g->gw[i]) == 4) {
			memcpy(&s4.sin_addr, nl_addr_get_binary_addr(g->gw[i]),
			       4);
			s4.sin_port = htons(9);
			sa = (struct sockaddr *)&s4;
			len = sizeof(s4);
		} else {
			continue;
		}
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (fd < 0)
			continue;
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
			       strlen(ifname) + 1) ||
		    sendto(fd, "", 0, 0, sa, len) < 0)
			logdbg("network: %s: asking for the router: %s",
			       ifname, strerror(errno));
		close(fd);
	}
}

/* The id of one interface now (and a nudge when its routers are unknown). */
static uint64_t derive(struct ifstate *s, const char *ifname, int64_t now)
{
	struct gather g = { .ifindex = s->ifindex };
	uint64_t id, gws;

	nl_cache_foreach(routes, on_route, &g);
	nl_cache_foreach(addrs, on_addr, &g);
	gws = gateways_hash(&g);
	id = netid_hash(&g.in);
	s->unknown = g.unknown;
	if (g.unknown && (s->nudged < 0 ||
			  now - s->nudged >= NUDGE_INTERVAL_MS)) {
		nudge(&g, ifname);
		s->nudged = now;
	}
	if (!g.unknown)
		s->nudged = -1;
	/* the same routers, their addresses not known for a while */
	if (!id && g.n_gw && gws == s->gateways && s->pushed)
		id = s->id;
	s->gateways = gws;
	return id;
}

static void push(struct heynl *h, bool *open, struct ifstate *s,
		 const char *ifname, uint64_t id)
{
	int ret;

	if (!*open) {
		ret = heynl_open(h);
		if (ret) {
			logdbg("network: %s: %s", ifname, strerror(-ret));
			return;
		}
		*open = true;
	}
	ret = heynl_network_set(h, s->ifindex, id);
	if (ret) {
		/* ENODEV: gone meanwhile; the link cache will say so */
		if (ret != -ENODEV)
			logmsg("network: %s: setting id 0x%" PRIx64 ": %s%s%s",
			       ifname, id, strerror(-ret),
			       h->extack[0] ? ": " : "", h->extack);
		return;
	}
	s->pushed = true;
	s->id = id;
	if (id)
		logmsg("network: %s: id 0x%" PRIx64, ifname, id);
	else
		logmsg("network: %s: default id (no known default router)",
		       ifname);
}

struct link_walk {
	struct heynl h;
	bool open;
	int64_t now;
};

static void on_link(struct nl_object *obj, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct link_walk *w = arg;
	const char *name = rtnl_link_get_name(l);
	struct ifstate *s;
	uint64_t id;

	if (rtnl_link_get_flags(l) & IFF_LOOPBACK)
		return;
	s = ifstate_get(rtnl_link_get_ifindex(l));
	if (!s)
		return;
	s->seen = true;
	id = derive(s, name ? name : "?", w->now);
	if (!s->pushed || s->id != id)
		push(&w->h, &w->open, s, name ? name : "?", id);
}

static void update(void)
{
	struct link_walk w = { .now = now_ms() };
	size_t i, n = 0;

	dirty = false;
	if (!module_up)
		return;
	for (i = 0; i < n_ifs; i++)
		ifs[i].seen = false;
	nl_cache_foreach(links, on_link, &w);
	if (w.open)
		heynl_close(&w.h);
	/* interfaces gone: the kernel forgot their ids too */
	for (i = 0; i < n_ifs; i++)
		if (ifs[i].seen)
			ifs[n++] = ifs[i];
	n_ifs = n;
}

static void on_change(struct nl_cache *cache, struct nl_object *obj,
		      int action, void *arg)
{
	(void)cache;
	(void)obj;
	(void)action;
	(void)arg;
	dirty = true;
}

int netid_init(void)
{
	static const char *const kinds[] = {
		"route/link", "route/addr", "route/route", "route/neigh"
	};
	struct nl_cache **caches[] = { &links, &addrs, &routes, &neighs };
	unsigned int i;
	int err;

	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &mngr);
	if (err < 0) {
		logmsg("network: rtnetlink: %s", nl_geterror(err));
		return -EIO;
	}
	for (i = 0; i < 4; i++) {
		err = nl_cache_mngr_add(mngr, kinds[i], on_change, NULL,
					caches[i]);
		if (err < 0) {
			logmsg("network: rtnetlink %s: %s", kinds[i],
			       nl_geterror(err));
			netid_exit();
			return -EIO;
		}
	}
	return 0;
}

void netid_exit(void)
{
	if (mngr)
		nl_cache_mngr_free(mngr);
	mngr = NULL;
	free(ifs);
	ifs = NULL;
	n_ifs = cap_ifs = 0;
}

int netid_fd(void)
{
	return nl_cache_mngr_get_fd(mngr);
}

/* After lost notifications (a socket overflow): every cache dumped again. */
static void refill(void)
{
	struct nl_cache *caches[] = { links, addrs, routes, neighs };
	struct nl_sock *sk = nl_socket_alloc();
	unsigned int i;

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		logmsg("network: rtnetlink: cannot dump again");
		nl_socket_free(sk);
		return;
	}
	for (i = 0; i < 4; i++)
		nl_cache_refill(sk, caches[i]);
	nl_socket_free(sk);
	dirty = true;
}

void netid_data_ready(void)
{
	int err = nl_cache_mngr_data_ready(mngr);

	if (err < 0) {
		logmsg("network: rtnetlink: %s: dumping again",
		       nl_geterror(err));
		refill();
	}
	if (dirty)
		update();
}

void netid_module_up(void)
{
	size_t i;

	module_up = true;
	for (i = 0; i < n_ifs; i++)
		ifs[i].pushed = false;
	update();
}

void netid_module_down(void)
{
	module_up = false;
}

int64_t netid_deadline(void)
{
	int64_t d = -1;
	size_t i;

	if (!module_up)
		return -1;
	for (i = 0; i < n_ifs; i++)
		if (ifs[i].unknown && ifs[i].nudged >= 0)
			d = deadline_min(d, ifs[i].nudged + NUDGE_INTERVAL_MS);
	return d;
}

void netid_tick(int64_t now)
{
	int64_t d = netid_deadline();

	if (d >= 0 && now >= d)
		update();
}
