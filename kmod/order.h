/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_ORDER_H
#define _HEY_ORDER_H

#include <linux/in6.h>
#include <linux/types.h>
#include <uapi/linux/hey.h>

struct net;

/*
 * One destination to be ordered: RFC 6724 section 6 (destination address
 * selection), then RFC 8305 section 4 (family interleaving).
 *
 * An IPv4 destination, given as AF_INET or as an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d), is handled as IPv4 everywhere: route lookup, source,
 * policy table (where RFC 6724 section 2.1 gives it as ::ffff:0:0/96) and
 * interleaving.
 */
struct hey_order_item {
	/* Input. */
	struct hey_endpoint ep;
	/*
	 * Position in the original list: the last tie-breaker (Rule 10).
	 * hey_order_endpoints() sets it; other callers of hey_order_sort()
	 * set it themselves.
	 */
	int index;

	/* Filled by hey_order_fill(), or by a caller that knows better. */
	bool usable;		/* a route and a source address exist */
	bool deprecated;	/* the source address is deprecated */
	u8 src_plen;		/* the source's subnet prefix: 0-32, 0-128 */
	union {
		__be32 v4;	/* IPv4 destination */
		struct in6_addr v6;
	} src;

	/* Derived by hey_order_classify(). */
	u8 dst_scope;		/* IPV6_ADDR_SCOPE_*, RFC 6724 section 3.1 */
	u8 src_scope;
	u8 dst_label;		/* RFC 6724 section 2.1 policy table */
	u8 src_label;
	u8 dst_prec;
	u8 common_plen;		/* CommonPrefixLen(src, dst), 0 to 128 */
};

void hey_order_classify(struct hey_order_item *item);
int hey_order_compare(const struct hey_order_item *a,
		      const struct hey_order_item *b);
void hey_order_sort(struct hey_order_item *items, int n);
void hey_order_interleave(struct hey_order_item *items, int n);

int hey_order_fill(struct net *net, struct hey_order_item *item, int oif);
void hey_order_endpoints(struct net *net, struct hey_order_item *items, int n,
			 int oif);

#endif /* _HEY_ORDER_H */
