// SPDX-License-Identifier: GPL-2.0
/*
 * Destination address ordering: RFC 6724 section 6 sorts the destinations,
 * RFC 8305 section 4 then interleaves the address families.
 *
 * The first half of this file is pure: it looks only at the items it is
 * given, so the KUnit suite in order_test.c can check it exhaustively.
 * The second half asks the kernel what RFC 6724 needs to know about each
 * destination (a route, the source address a connect() would use, whether
 * that source is deprecated, its prefix length) and fills the items.
 */

#include <linux/inetdevice.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/nexthop.h>
#include <net/route.h>
#include <net/sock.h>

#include "order.h"

/*
 * The default policy table of RFC 6724 section 2.1, ordered by prefix
 * length, longest first, so that the first match is the longest match.
 * Linux keeps labels only (net/ipv6/addrlabel.c, "ip addrlabel"), without
 * precedences, and exports no way to read them.
 */
static const struct policy {
	struct in6_addr prefix;
	u8 plen;
	u8 prec;
	u8 label;
} policy_table[] = {
	/* ::1/128, loopback */
	{ { .s6_addr = { [15] = 1 } }, 128, 50, 0 },
	/* ::ffff:0:0/96, IPv4-mapped: every IPv4 destination */
	{ { .s6_addr = { [10] = 0xff, [11] = 0xff } }, 96, 35, 4 },
	/* ::/96, IPv4-compatible (deprecated by RFC 4291) */
	{ { }, 96, 1, 3 },
	/* 2001::/32, Teredo */
	{ { .s6_addr = { 0x20, 0x01 } }, 32, 5, 5 },
	/* 2002::/16, 6to4 */
	{ { .s6_addr = { 0x20, 0x02 } }, 16, 30, 2 },
	/* 3ffe::/16, the former 6bone */
	{ { .s6_addr = { 0x3f, 0xfe } }, 16, 1, 12 },
	/* fec0::/10, site-local (deprecated by RFC 3879) */
	{ { .s6_addr = { 0xfe, 0xc0 } }, 10, 1, 11 },
	/* fc00::/7, unique local (RFC 4193) */
	{ { .s6_addr = { 0xfc } }, 7, 3, 13 },
	/* ::/0, everything else */
	{ { }, 0, 40, 1 },
};

static const struct policy *policy_lookup(const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policy_table) - 1; i++)
		if (ipv6_prefix_equal(addr, &policy_table[i].prefix,
				      policy_table[i].plen))
			return &policy_table[i];
	return &policy_table[ARRAY_SIZE(policy_table) - 1];
}

/*
 * Scope of an address, RFC 6724 section 3.1 (IPv6) and 3.2 (IPv4, seen as
 * IPv4-mapped). The loopback address has link-local scope (RFC 4007
 * section 4); so do IPv4 loopback and auto-configured (169.254/16)
 * addresses; every other IPv4 address, private ones included, is global.
 */
static u8 scope_of(const struct in6_addr *addr)
{
	if (ipv6_addr_v4mapped(addr)) {
		u32 v4 = ntohl(addr->s6_addr32[3]);

		if ((v4 >> 24) == 127 || (v4 >> 16) == 0xa9fe)
			return IPV6_ADDR_SCOPE_LINKLOCAL;
		return IPV6_ADDR_SCOPE_GLOBAL;
	}
	/* Multicast carries its scope in the low 4 bits of its 2nd byte. */
	if (addr->s6_addr[0] == 0xff)
		return addr->s6_addr[1] & 0x0f;
	if (ipv6_addr_loopback(addr))
		return IPV6_ADDR_SCOPE_LINKLOCAL;
	if (addr->s6_addr[0] == 0xfe) {
		if ((addr->s6_addr[1] & 0xc0) == 0x80)
			return IPV6_ADDR_SCOPE_LINKLOCAL;
		if ((addr->s6_addr[1] & 0xc0) == 0xc0)
			return IPV6_ADDR_SCOPE_SITELOCAL;
	}
	return IPV6_ADDR_SCOPE_GLOBAL;
}

/* Whether the destination is reached over IPv4, however it was given. */
static bool is_ipv4(const struct hey_order_item *item)
{
	struct in6_addr addr;

	if (item->ep.family == AF_INET)
		return true;
	memcpy(&addr, item->ep.addr, sizeof(addr));
	return ipv6_addr_v4mapped(&addr);
}

static void dst_addr(const struct hey_order_item *item, struct in6_addr *addr)
{
	__be32 v4;

	if (item->ep.family == AF_INET) {
		memcpy(&v4, item->ep.addr, sizeof(v4));
		ipv6_addr_set_v4mapped(v4, addr);
	} else {
		memcpy(addr, item->ep.addr, sizeof(*addr));
	}
}

/*
 * The source as an IPv6 address, and the length of its prefix in that
 * form: an IPv4 subnet prefix starts after the 96 bits of ::ffff:0:0/96.
 */
static int src_addr(const struct hey_order_item *item, struct in6_addr *addr)
{
	if (is_ipv4(item)) {
		ipv6_addr_set_v4mapped(item->src.v4, addr);
		return 96 + min_t(int, item->src_plen, 32);
	}
	*addr = item->src.v6;
	return min_t(int, item->src_plen, 128);
}

/**
 * hey_order_classify - derive what RFC 6724 compares from an item
 * @item: the destination, with its source and src_plen filled
 *
 * Sets the scope, label and precedence of the destination and of its
 * source, and CommonPrefixLen(source, destination). The source fields are
 * meaningless when the item is not usable, and hey_order_compare() then
 * ignores them.
 */
void hey_order_classify(struct hey_order_item *item)
{
	const struct policy *policy;
	struct in6_addr dst, src;
	int plen;

	dst_addr(item, &dst);
	policy = policy_lookup(&dst);
	item->dst_scope = scope_of(&dst);
	item->dst_label = policy->label;
	item->dst_prec = policy->prec;

	plen = src_addr(item, &src);
	item->src_scope = scope_of(&src);
	item->src_label = policy_lookup(&src)->label;
	/*
	 * RFC 6724 section 2.2: the bits the two have in common, "up to the
	 * length of S's prefix", so that two destinations on the source's
	 * own subnet tie and keep their order (the RFC's example:
	 * CommonPrefixLen(fe80::1, fe80::2) is 64). Linux's own source
	 * address selection caps at the prefix length the same way.
	 */
	item->common_plen = min(ipv6_addr_diff(&src, &dst), plen);
}

/* Negative: @a goes first. */
static int prefer(bool a, bool b)
{
	return (int)b - (int)a;
}

/**
 * hey_order_compare - compare two destinations by RFC 6724 section 6
 * @a: one destination, classified
 * @b: the other one, classified
 *
 * Return: negative when @a goes first, positive when @b does. Only two
 * items with the same index compare equal.
 */
int hey_order_compare(const struct hey_order_item *a,
		      const struct hey_order_item *b)
{
	int ret;

	/* Rule 1: avoid unusable destinations. */
	ret = prefer(a->usable, b->usable);
	if (ret)
		return ret;

	/*
	 * The rules that look at Source(D) only apply when there is one:
	 * section 6 leaves Source(D) undefined for a destination without a
	 * source address (Rule 1: "or if Source(DB) is undefined"). Two
	 * unusable destinations go on to the rules about the destinations
	 * alone.
	 */
	if (a->usable) {
		/* Rule 2: prefer matching scope. */
		ret = prefer(a->dst_scope == a->src_scope,
			     b->dst_scope == b->src_scope);
		if (ret)
			return ret;

		/* Rule 3: avoid deprecated addresses. */
		ret = prefer(!a->deprecated, !b->deprecated);
		if (ret)
			return ret;

		/*
		 * Rule 4, prefer home addresses, only matters on a Mobile
		 * IPv6 node (RFC 6275): not applied, the items carry no
		 * home address flag.
		 */

		/* Rule 5: prefer matching label. */
		ret = prefer(a->dst_label == a->src_label,
			     b->dst_label == b->src_label);
		if (ret)
			return ret;
	}

	/* Rule 6: prefer higher precedence. */
	if (a->dst_prec != b->dst_prec)
		return a->dst_prec > b->dst_prec ? -1 : 1;

	/*
	 * Rule 7, prefer native transport, would need to know whether the
	 * route ends in an encapsulating tunnel, which the route does not
	 * say; the policy table already ranks the transition prefixes
	 * (6to4, Teredo) low in Rule 6. Not applied.
	 */

	/* Rule 8: prefer smaller scope. */
	if (a->dst_scope != b->dst_scope)
		return a->dst_scope < b->dst_scope ? -1 : 1;

	/*
	 * Rule 9: use longest matching prefix. RFC 6724 section 6 applies
	 * it "When DA and DB belong to the same address family (both are
	 * IPv6 or both are IPv4)", so IPv4 included (some resolvers, Go's
	 * for one, keep it to IPv6 so as not to defeat DNS round robin;
	 * section 6 allows that: "Rules 9 and 10 MAY be superseded"). With
	 * the default policy table two destinations of different families
	 * never get here (Rule 6: only IPv4 has precedence 35), but the
	 * family is checked so that the rule stays the RFC's whatever the
	 * items hold.
	 */
	if (a->usable && is_ipv4(a) == is_ipv4(b) &&
	    a->common_plen != b->common_plen)
		return a->common_plen > b->common_plen ? -1 : 1;

	/* Rule 10: otherwise, leave the order unchanged. */
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return 0;
}

static int compare(const void *a, const void *b)
{
	return hey_order_compare(a, b);
}

/**
 * hey_order_sort - sort destinations by RFC 6724 section 6
 * @items: classified destinations, each with its original position in
 *	   index (Rule 10)
 * @n: how many
 *
 * sort() is a heapsort and not stable: Rule 10 is what makes the result
 * the one a stable sort would give, as long as the indexes differ.
 */
void hey_order_sort(struct hey_order_item *items, int n)
{
	if (n > 1)
		sort(items, n, sizeof(*items), compare, NULL);
}

/**
 * hey_order_interleave - alternate address families, RFC 8305 section 4
 * @items: sorted destinations
 * @n: how many
 *
 * The first destination's family stays first, then the families
 * alternate one by one (a "First Address Family Count" of 1), each keeping
 * its own order; when one family runs out, the rest of the other follows.
 */
void hey_order_interleave(struct hey_order_item *items, int n)
{
	struct hey_order_item tmp;
	bool want_v4;
	int i, j;

	if (n < 3)
		return;
	want_v4 = !is_ipv4(&items[0]);
	for (i = 1; i < n; i++, want_v4 = !want_v4) {
		for (j = i; j < n && is_ipv4(&items[j]) != want_v4; j++)
			;
		if (j == n)
			return;
		/* Move items[j] up to i, shifting the ones between down. */
		if (j > i) {
			tmp = items[j];
			memmove(&items[i + 1], &items[i],
				(j - i) * sizeof(*items));
			items[i] = tmp;
		}
	}
}

/* ---- What the kernel knows about a destination ----------------------- */

/* The source's subnet prefix; unknown: all of the address. */
static u8 ipv4_src_plen(struct net *net, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	struct net_device *dev;
	u8 plen = 32;

	rcu_read_lock();
	dev = __ip_dev_find(net, addr, false);
	in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_local == addr) {
				plen = ifa->ifa_prefixlen;
				break;
			}
		}
	}
	rcu_read_unlock();
	return plen;
}

static void fill_ipv4(struct net *net, struct hey_order_item *item,
		      __be32 daddr, int oif)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_oif = oif,
		.flowi4_proto = IPPROTO_TCP,
		.flowi4_uid = sock_net_uid(net, NULL),
	};
	struct rtable *rt;

	/*
	 * Unreachable, blackhole and prohibit routes fail the lookup
	 * itself. With an oif and no route, the lookup assumes the
	 * destination is on that link, as connect() on a socket bound to
	 * the device would.
	 */
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;
	/* Without a source there is nothing to connect from (Rule 1). */
	if (!rt->dst.error && fl4.saddr) {
		item->usable = true;
		item->src.v4 = fl4.saddr;
		item->src_plen = ipv4_src_plen(net, fl4.saddr);
	}
	ip_rt_put(rt);
}

#if IS_ENABLED(CONFIG_IPV6)
/*
 * Whether @addr is on @dev, and if so its flags and prefix length.
 * ipv6_get_ifaddr() would do, but 6.1 does not export it.
 */
static bool ipv6_src_info(struct net_device *dev, const struct in6_addr *addr,
			  struct hey_order_item *item)
{
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;

	idev = dev ? __in6_dev_get(dev) : NULL;
	if (!idev)
		return false;
	list_for_each_entry_rcu(ifa, &idev->addr_list, if_list) {
		if (ipv6_addr_equal(&ifa->addr, addr)) {
			item->deprecated = READ_ONCE(ifa->flags) &
					   IFA_F_DEPRECATED;
			item->src_plen = ifa->prefix_len;
			return true;
		}
	}
	return false;
}

/*
 * The device of the route's next hop, as fib6_info_nh_dev() finds it but
 * without trusting a nexthop object to have an IPv6 next hop. dst->dev
 * will not do for a local destination: it is the loopback device there.
 */
static struct net_device *route_dev(struct fib6_info *from,
				    struct dst_entry *dst)
{
	struct fib6_nh *nh;

	if (!from)
		return dst->dev;
	nh = from->nh ? nexthop_fib6_nh(from->nh) : from->fib6_nh;
	return nh ? nh->fib_nh_dev : dst->dev;
}

static void fill_ipv6(struct net *net, struct hey_order_item *item,
		      const struct in6_addr *daddr, int oif)
{
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.flowi6_oif = oif,
		.flowi6_proto = IPPROTO_TCP,
		.flowi6_uid = sock_net_uid(net, NULL),
	};
	struct fib6_info *from;
	struct net_device *dev;
	struct dst_entry *dst;
	int err;

	/*
	 * A link-local destination names its link with the scope id, as
	 * sin6_scope_id does for connect(); without one it cannot be
	 * connected to, and one naming a link other than @oif is outside
	 * the restriction.
	 */
	if (__ipv6_addr_needs_scope_id(ipv6_addr_type(daddr))) {
		if (!item->ep.scope_id && !oif)
			return;
		if (item->ep.scope_id && oif && item->ep.scope_id != (u32)oif)
			return;
		if (item->ep.scope_id)
			fl6.flowi6_oif = item->ep.scope_id;
	}

	/* Never NULL: a failed lookup is a reject route with dst->error. */
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error)
		goto out;

	/*
	 * The source connect() would pick (ip6_dst_lookup_tail()): the
	 * route's preferred source if it has one, else source address
	 * selection on the route's device.
	 */
	rcu_read_lock();
	from = rcu_dereference(((struct rt6_info *)dst)->from);
	dev = route_dev(from, dst);
	if (from && from->fib6_prefsrc.plen) {
		item->src.v6 = from->fib6_prefsrc.addr;
		err = 0;
	} else {
		err = ipv6_dev_get_saddr(net, dev, daddr, 0, &item->src.v6);
	}
	if (!err) {
		item->usable = true;
		item->src_plen = 128;
		/* The source is usually on the route's device. */
		if (!ipv6_src_info(dev, &item->src.v6, item))
			ipv6_src_info(ipv6_dev_find(net, &item->src.v6, NULL),
				      &item->src.v6, item);
	}
	rcu_read_unlock();
out:
	dst_release(dst);
}
#else
static void fill_ipv6(struct net *net, struct hey_order_item *item,
		      const struct in6_addr *daddr, int oif)
{
}
#endif

/**
 * hey_order_fill - find out what ordering needs to know about a destination
 * @net: the namespace the connection is made in
 * @item: its ep is the destination; the other fields are filled
 * @oif: 0, or the only interface the connection may use
 *
 * Looks up the route and the source address a connect() to item->ep would
 * use, then classifies the item. An IPv4-mapped IPv6 destination is looked
 * up as the IPv4 address it maps. Process context; takes no lock but RCU.
 *
 * Return: 0 when the item is filled, usable or not; -EINVAL for a family
 * other than AF_INET and AF_INET6, a negative @oif or a scope id that is
 * no interface index (the item is then left as it was).
 */
int hey_order_fill(struct net *net, struct hey_order_item *item, int oif)
{
	struct in6_addr daddr;
	__be32 v4;

	if (oif < 0 || item->ep.scope_id > INT_MAX)
		return -EINVAL;
	if (item->ep.family != AF_INET && item->ep.family != AF_INET6)
		return -EINVAL;

	item->usable = false;
	item->deprecated = false;
	item->src_plen = 0;
	memset(&item->src, 0, sizeof(item->src));

	dst_addr(item, &daddr);
	if (ipv6_addr_v4mapped(&daddr)) {
		memcpy(&v4, &daddr.s6_addr32[3], sizeof(v4));
		fill_ipv4(net, item, v4, oif);
	} else {
		fill_ipv6(net, item, &daddr, oif);
	}
	hey_order_classify(item);
	return 0;
}

/**
 * hey_order_endpoints - order destinations for a race
 * @net: the namespace the connections are made in
 * @items: the destinations in the order given (item->ep); each item's
 *	   index is set to its position here
 * @n: how many
 * @oif: 0, or the only interface the connections may use
 *
 * Fills every item, sorts by RFC 6724 and interleaves the families by
 * RFC 8305. Unusable destinations (and invalid ones) stay last: Rule 1
 * puts them there and interleaving only reorders the usable ones, since
 * an attempt that cannot start should not delay one that can.
 */
void hey_order_endpoints(struct net *net, struct hey_order_item *items, int n,
			 int oif)
{
	int i, usable = 0;

	for (i = 0; i < n; i++) {
		items[i].index = i;
		if (hey_order_fill(net, &items[i], oif)) {
			items[i].usable = false;
			hey_order_classify(&items[i]);
		}
		usable += items[i].usable;
	}
	hey_order_sort(items, n);
	hey_order_interleave(items, usable);
}
