// SPDX-License-Identifier: GPL-2.0
/*
 * Paths: the interfaces a race may use. A path is an interface that is up,
 * has its carrier, is allowed by the application (HEY_PATHS, and
 * SO_BINDTODEVICE on its socket) and has a route of its own to at least
 * one of the endpoints. The interface of the main route comes first (it
 * is what a plain connect() would use); the others follow by ifindex.
 * The kernel keeps no handshake RTT per interface that a module may read
 * (tcp_metrics has no exported lookup), so RTT does not order them yet.
 */

#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <net/ip6_route.h>
#include <net/ip_fib.h>
#include <net/route.h>

#include "order.h"
#include "paths.h"
#include "pernet.h"

static bool endpoint_v4(const struct hey_endpoint *ep, __be32 *a4)
{
	const struct in6_addr *a6 = (const struct in6_addr *)ep->addr;

	if (ep->family == AF_INET) {
		memcpy(a4, ep->addr, 4);
		return true;
	}
	if (ipv6_addr_v4mapped(a6)) {
		*a4 = a6->s6_addr32[3];
		return true;
	}
	return false;
}

/*
 * The interface the routing table sends ep through, restricted to oif
 * when oif is set; 0 when there is no such route. For IPv4 the FIB is
 * asked directly: an output route lookup with an oif assumes the
 * destination on-link when no route matches, which would make every
 * interface look usable.
 */
static int route_dev(struct net *net, const struct hey_endpoint *ep, int oif)
{
	struct flowi6 fl6 = {};
	struct dst_entry *dst;
	int ifindex = 0;
	__be32 a4;

	/* Loopback addresses are only ever reached through loopback. */
	if ((endpoint_v4(ep, &a4) && ipv4_is_loopback(a4)) ||
	    (ep->family == AF_INET6 &&
	     ipv6_addr_loopback((const struct in6_addr *)ep->addr)))
		return oif && oif != LOOPBACK_IFINDEX ? 0 : LOOPBACK_IFINDEX;

	if (endpoint_v4(ep, &a4)) {
		struct flowi4 fl4 = { .daddr = a4, .flowi4_oif = oif };
		struct fib_result res;

		rcu_read_lock();
		if (!fib_lookup(net, &fl4, &res, 0) &&
		    (res.type == RTN_UNICAST || res.type == RTN_LOCAL))
			ifindex = FIB_RES_DEV(res) ? FIB_RES_DEV(res)->ifindex : 0;
		rcu_read_unlock();
		/* A local destination is reached through loopback. */
		if (ifindex && res.type == RTN_LOCAL)
			ifindex = oif && oif != LOOPBACK_IFINDEX ? 0 :
				  LOOPBACK_IFINDEX;
		return oif && ifindex != oif ? 0 : ifindex;
	}

	memcpy(&fl6.daddr, ep->addr, sizeof(fl6.daddr));
	fl6.flowi6_oif = oif;
	dst = ip6_route_output(net, NULL, &fl6);
	if (!dst->error && dst->dev)
		ifindex = dst->dev->ifindex;
	dst_release(dst);
	return oif && ifindex != oif ? 0 : ifindex;
}

static bool policy_allows(const struct hey_paths *policy, int ifindex)
{
	bool listed = false;
	u32 i;

	for (i = 0; i < policy->count; i++)
		if (policy->ifindex[i] == ifindex)
			listed = true;
	switch (policy->mode) {
	case HEY_PATHS_ALLOW:
		return listed;
	case HEY_PATHS_DENY:
		return !listed;
	default:
		return true;
	}
}

/*
 * The interfaces that are up, have carrier and are allowed (less
 * loopback unless asked), in ifindex order: up to max of them.
 */
static int paths_usable(struct net *net, const struct hey_paths *policy,
			int bound_ifindex, bool loopback, int *out, int max)
{
	struct net_device *dev;
	int n = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (n == max)
			break;
		if (!netif_running(dev) || !netif_carrier_ok(dev) ||
		    (!loopback && (dev->flags & IFF_LOOPBACK)))
			continue;
		if (bound_ifindex && dev->ifindex != bound_ifindex)
			continue;
		if (!policy_allows(policy, dev->ifindex))
			continue;
		out[n++] = dev->ifindex;
	}
	rcu_read_unlock();
	return n;
}

/*
 * The paths a race by name asks the resolver about: every usable
 * interface but loopback; whether a path has a route to an answer is
 * known only when the answer comes.
 */
int hey_paths_all(struct net *net, const struct hey_paths *policy,
		  int bound_ifindex, int *paths, int max)
{
	return paths_usable(net, policy, bound_ifindex, false, paths, max);
}

/* Fills paths[] with up to max ifindexes; returns how many. */
int hey_paths_collect(struct net *net, const struct hey_paths *policy,
		      int bound_ifindex, const struct hey_order_item *items,
		      int n, int *paths, int max)
{
	int cand[HEY_MAX_PATHS];
	int i, n_cand, n_paths = 0, primary = 0;

	for (i = 0; i < n && !primary; i++)
		primary = route_dev(net, &items[i].ep, bound_ifindex);

	n_cand = paths_usable(net, policy, bound_ifindex, true, cand,
			      ARRAY_SIZE(cand));

	/* The main route's interface first, if the policy allows it. */
	for (i = 0; i < n_cand; i++)
		if (cand[i] == primary) {
			paths[n_paths++] = primary;
			break;
		}
	for (i = 0; i < n_cand && n_paths < max; i++) {
		int j;

		if (cand[i] == primary)
			continue;
		for (j = 0; j < n; j++)
			if (route_dev(net, &items[j].ep, cand[i]) == cand[i])
				break;
		if (j < n)
			paths[n_paths++] = cand[i];
	}
	return n_paths;
}

/*
 * The paths of a plain single connect(), remembered. A race of one
 * endpoint that every interface may carry (race_plan_lone()) must know
 * that only one path has a route to it; asking costs a route lookup per
 * interface that is up, for every connect(), and was the largest part of
 * what hey added to one over a fast link. The answer depends only on the
 * destination, the socket's bound device, the routes and the interfaces,
 * so it holds until one of those changes: the kernel bumps rt_genid (IPv4)
 * and the fib6 serial number (IPv6) on every change of its tables and
 * rules, to invalidate the routes sockets cache; the notifier below
 * counts the interfaces' changes (up, down, carrier, gone).
 */
static void memo_now(struct net *net, struct hey_paths_memo *memo,
		     struct hey_paths_memo_slot *now)
{
	now->gen_v4 = rt_genid_ipv4(net);
#if IS_ENABLED(CONFIG_IPV6)
	now->gen_v6 = rt_genid_ipv6(net);
#endif
	now->gen = atomic_read(&memo->gen);
	/* the generations before the lookup that fills a slot with them */
	smp_rmb();
}

static bool memo_holds(const struct hey_paths_memo_slot *s,
		       const struct hey_paths_memo_slot *now)
{
	return s->family == now->family && s->bound_ifindex ==
	       now->bound_ifindex && !memcmp(s->addr, now->addr,
					     sizeof(s->addr)) &&
	       s->gen_v4 == now->gen_v4 && s->gen_v6 == now->gen_v6 &&
	       s->gen == now->gen;
}

/*
 * How many paths (at most 2) have a route to item's endpoint with every
 * interface allowed, and the first of them in *path.
 */
int hey_paths_lone(struct net *net, struct hey_paths_memo *memo,
		   const struct hey_order_item *item, int bound_ifindex,
		   int *path)
{
	static const struct hey_paths every = { .mode = HEY_PATHS_ALL };
	const struct hey_endpoint *ep = &item->ep;
	struct hey_paths_memo_slot now = {}, *s;
	int paths[2], n;
	unsigned int seq;

	now.family = ep->family;
	memcpy(now.addr, ep->addr, sizeof(now.addr));
	now.bound_ifindex = bound_ifindex;
	memo_now(net, memo, &now);
	s = &memo->slot[jhash(now.addr, sizeof(now.addr), bound_ifindex) %
			HEY_PATHS_MEMO_SLOTS];

	do {
		seq = read_seqbegin(&memo->lock);
		n = -1;
		if (memo_holds(s, &now)) {
			n = s->n;
			*path = s->path;
		}
	} while (read_seqretry(&memo->lock, seq));
	if (n >= 0)
		return n;

	n = hey_paths_collect(net, &every, bound_ifindex, item, 1, paths,
			      ARRAY_SIZE(paths));
	*path = n ? paths[0] : 0;
	now.n = n;
	now.path = *path;
	write_seqlock(&memo->lock);
	*s = now;
	write_sequnlock(&memo->lock);
	return n;
}

void hey_paths_memo_init(struct hey_paths_memo *memo)
{
	seqlock_init(&memo->lock);
}

/* Any change of an interface: what the memo holds may be wrong now. */
static int paths_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	atomic_inc(&hey_net_lookup(dev_net(dev))->paths_memo.gen);
	return NOTIFY_DONE;
}

static struct notifier_block hey_paths_notifier = {
	.notifier_call = paths_netdev_event,
};

int __init hey_paths_init(void)
{
	return register_netdevice_notifier(&hey_paths_notifier);
}

void hey_paths_exit(void)
{
	unregister_netdevice_notifier(&hey_paths_notifier);
}
