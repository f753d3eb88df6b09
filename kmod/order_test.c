// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hey_order" for order.c: the RFC 6724 classification and
 * destination rules, the RFC 8305 interleaving, and (where the running
 * kernel's loopback device allows) the route lookups behind them.
 *
 * Built as hey_kunit.ko, apart from hey.ko, so that hey.ko still builds
 * for kernels without KUnit.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "order.h"

#define LINK IPV6_ADDR_SCOPE_LINKLOCAL
#define SITE IPV6_ADDR_SCOPE_SITELOCAL
#define GLOBAL IPV6_ADDR_SCOPE_GLOBAL

static bool ep_is_ipv4(const struct hey_endpoint *ep)
{
	struct in6_addr addr;

	if (ep->family == AF_INET)
		return true;
	memcpy(&addr, ep->addr, sizeof(addr));
	return ipv6_addr_v4mapped(&addr);
}

/* An endpoint from text: IPv6 if it has a colon, else IPv4. */
static void parse_ep(struct kunit *test, struct hey_endpoint *ep,
		     const char *text)
{
	memset(ep, 0, sizeof(*ep));
	if (strchr(text, ':')) {
		ep->family = AF_INET6;
		KUNIT_ASSERT_EQ_MSG(test, in6_pton(text, -1, ep->addr, -1, NULL),
				    1, "bad address %s", text);
	} else {
		ep->family = AF_INET;
		KUNIT_ASSERT_EQ_MSG(test, in4_pton(text, -1, ep->addr, -1, NULL),
				    1, "bad address %s", text);
	}
}

/*
 * A classified item: destination @dst reached from source @src (NULL: no
 * source, so unusable), whose subnet prefix is @plen long.
 */
static void mk(struct kunit *test, struct hey_order_item *item, int index,
	       const char *dst, const char *src, int plen, bool deprecated)
{
	memset(item, 0, sizeof(*item));
	item->index = index;
	parse_ep(test, &item->ep, dst);
	if (src) {
		item->usable = true;
		item->deprecated = deprecated;
		item->src_plen = plen;
		if (ep_is_ipv4(&item->ep))
			KUNIT_ASSERT_EQ_MSG(test,
					    in4_pton(src, -1, (u8 *)&item->src.v4,
						     -1, NULL),
					    1, "bad IPv4 source %s", src);
		else
			KUNIT_ASSERT_EQ_MSG(test,
					    in6_pton(src, -1, item->src.v6.s6_addr,
						     -1, NULL),
					    1, "bad IPv6 source %s", src);
	}
	hey_order_classify(item);
}

/* The usual subnets: /64 for IPv6, /24 for IPv4. */
static void item(struct kunit *test, struct hey_order_item *it, int index,
		 const char *dst, const char *src)
{
	mk(test, it, index, dst, src, src && !strchr(src, ':') ? 24 : 64,
	   false);
}

/*
 * @win must go before @lose by some rule other than Rule 10: whichever
 * is given first, and with Rule 10 favouring @lose in the comparison.
 */
static void expect_first(struct kunit *test, const char *why,
			 const struct hey_order_item *win,
			 const struct hey_order_item *lose)
{
	struct hey_order_item v[2];

	v[0] = *lose;
	v[0].index = 0;
	v[1] = *win;
	v[1].index = 1;
	KUNIT_EXPECT_LT_MSG(test, hey_order_compare(&v[1], &v[0]), 0, "%s",
			    why);
	KUNIT_EXPECT_GT_MSG(test, hey_order_compare(&v[0], &v[1]), 0, "%s",
			    why);
	hey_order_sort(v, 2);
	KUNIT_EXPECT_EQ_MSG(test, v[0].index, 1, "%s (loser given first)", why);

	v[0] = *win;
	v[0].index = 0;
	v[1] = *lose;
	v[1].index = 1;
	hey_order_sort(v, 2);
	KUNIT_EXPECT_EQ_MSG(test, v[0].index, 0, "%s (winner given first)", why);
}

/* The items' original positions, in their current order, are @want. */
static void expect_indexes(struct kunit *test,
			   const struct hey_order_item *items, int n,
			   const int *want)
{
	int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, items[i].index, want[i],
				    "position %d", i);
}

/* ---- Classification: RFC 6724 sections 2.1, 3.1 and 3.2 -------------- */

struct class_case {
	const char *addr;
	u8 prec;
	u8 label;
	u8 scope;
};

static const struct class_case class_cases[] = {
	/* Each row of the default policy table, section 2.1. */
	{ "::1", 50, 0, LINK },
	{ "2001:db8::1", 40, 1, GLOBAL },
	{ "::ffff:192.0.2.1", 35, 4, GLOBAL },
	{ "192.0.2.1", 35, 4, GLOBAL },
	{ "2002:c633:6401::1", 30, 2, GLOBAL },
	{ "2001:0:53aa:64c::1", 5, 5, GLOBAL },
	{ "fc00::1", 3, 13, GLOBAL },
	{ "fdff:ffff::1", 3, 13, GLOBAL },
	{ "::192.0.2.1", 1, 3, GLOBAL },
	{ "fec0::1", 1, 11, SITE },
	{ "feff:ffff::1", 1, 11, SITE },
	{ "3ffe::1", 1, 12, GLOBAL },
	/* Just outside a row: ::/0. */
	{ "2001:1::1", 40, 1, GLOBAL },
	{ "2003::1", 40, 1, GLOBAL },
	{ "3fff::1", 40, 1, GLOBAL },
	{ "fbff::1", 40, 1, GLOBAL },
	{ "fe00::1", 40, 1, GLOBAL },
	{ "::fffe:c000:201", 40, 1, GLOBAL },
	/* Inside ::/96 but not ::1. */
	{ "::2", 1, 3, GLOBAL },
	{ "::", 1, 3, GLOBAL },
	/* IPv6 scopes, section 3.1. */
	{ "fe80::1", 40, 1, LINK },
	{ "febf:ffff::1", 40, 1, LINK },
	{ "ff01::1", 40, 1, 1 },
	{ "ff02::1", 40, 1, LINK },
	{ "ff05::2", 40, 1, SITE },
	{ "ff08::1", 40, 1, 8 },
	{ "ff0e::1", 40, 1, GLOBAL },
	{ "ff12::1", 40, 1, LINK },
	/* IPv4 scopes, section 3.2. */
	{ "127.0.0.1", 35, 4, LINK },
	{ "127.255.255.255", 35, 4, LINK },
	{ "::ffff:127.0.0.1", 35, 4, LINK },
	{ "169.254.0.1", 35, 4, LINK },
	{ "169.254.255.254", 35, 4, LINK },
	{ "::ffff:169.254.13.78", 35, 4, LINK },
	{ "169.253.255.255", 35, 4, GLOBAL },
	{ "169.255.0.1", 35, 4, GLOBAL },
	{ "126.255.255.255", 35, 4, GLOBAL },
	{ "128.0.0.1", 35, 4, GLOBAL },
	{ "10.1.2.3", 35, 4, GLOBAL },
	{ "172.16.0.1", 35, 4, GLOBAL },
	{ "192.168.1.1", 35, 4, GLOBAL },
	{ "100.64.0.1", 35, 4, GLOBAL },
};

static void class_case_desc(const struct class_case *c, char *desc)
{
	strscpy(desc, c->addr, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(classify, class_cases, class_case_desc);

/* Each address as a destination, and as its own source. */
static void classify_test(struct kunit *test)
{
	const struct class_case *c = test->param_value;
	struct hey_order_item it;

	memset(&it, 0, sizeof(it));
	parse_ep(test, &it.ep, c->addr);
	if (it.ep.family == AF_INET)
		memcpy(&it.src.v4, it.ep.addr, 4);
	else if (ep_is_ipv4(&it.ep))
		memcpy(&it.src.v4, &it.ep.addr[12], 4);
	else
		memcpy(&it.src.v6, it.ep.addr, 16);
	it.usable = true;
	it.src_plen = 128;
	hey_order_classify(&it);

	KUNIT_EXPECT_EQ(test, it.dst_prec, c->prec);
	KUNIT_EXPECT_EQ(test, it.dst_label, c->label);
	KUNIT_EXPECT_EQ(test, it.dst_scope, c->scope);
	KUNIT_EXPECT_EQ(test, it.src_label, c->label);
	KUNIT_EXPECT_EQ(test, it.src_scope, c->scope);
	/* An address shares all its bits with itself. */
	KUNIT_EXPECT_EQ(test, it.common_plen, 128);
}

/* AF_INET and the IPv4-mapped form are one destination. */
static void classify_mapped_test(struct kunit *test)
{
	struct hey_order_item a, b;

	item(test, &a, 0, "192.0.2.1", "192.0.2.7");
	item(test, &b, 0, "::ffff:192.0.2.1", "192.0.2.7");
	KUNIT_EXPECT_EQ(test, a.dst_prec, b.dst_prec);
	KUNIT_EXPECT_EQ(test, a.dst_label, b.dst_label);
	KUNIT_EXPECT_EQ(test, a.dst_scope, b.dst_scope);
	KUNIT_EXPECT_EQ(test, a.src_label, b.src_label);
	KUNIT_EXPECT_EQ(test, a.src_scope, b.src_scope);
	KUNIT_EXPECT_EQ(test, a.common_plen, b.common_plen);
	KUNIT_EXPECT_EQ(test, a.src_label, 4);
}

struct prefix_case {
	const char *dst;
	const char *src;
	int src_plen;
	int want;
};

static const struct prefix_case prefix_cases[] = {
	/* Section 2.2: "CommonPrefixLen(fe80::1, fe80::2) is 64". */
	{ "fe80::1", "fe80::2", 64, 64 },
	{ "fe80::1", "fe80::2", 128, 126 },
	{ "2001:db8:1::1", "2001:db8:1::2", 64, 64 },
	{ "2001:db8:3ffe::1", "2001:db8:3f44::2", 64, 40 },
	{ "2001:db8::1", "2001:db8::1", 128, 128 },
	{ "8000::1", "::1", 128, 0 },
	/* IPv4, as IPv4-mapped: 96 bits in common before the address. */
	{ "10.1.2.3", "10.1.2.4", 32, 125 },
	{ "10.1.2.3", "10.1.2.4", 24, 120 },
	{ "10.1.2.3", "10.1.2.4", 8, 104 },
	{ "192.0.2.1", "198.51.100.1", 24, 101 },
	{ "::ffff:10.1.2.3", "10.1.2.4", 32, 125 },
};

static void prefix_case_desc(const struct prefix_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s from %s/%d", c->dst, c->src,
		 c->src_plen);
}

KUNIT_ARRAY_PARAM(prefix, prefix_cases, prefix_case_desc);

static void common_prefix_test(struct kunit *test)
{
	const struct prefix_case *c = test->param_value;
	struct hey_order_item it;

	mk(test, &it, 0, c->dst, c->src, c->src_plen, false);
	KUNIT_EXPECT_EQ(test, it.common_plen, c->want);
}

/* ---- The rules of RFC 6724 section 6, one at a time ------------------- */

static void rule1_test(struct kunit *test)
{
	struct hey_order_item a, b;

	/* IPv6 would win on precedence (Rule 6), but it has no route. */
	item(test, &a, 0, "192.0.2.1", "192.0.2.2");
	item(test, &b, 0, "2001:db8::1", NULL);
	expect_first(test, "Rule 1: unusable last", &a, &b);

	/* Also when everything else is the same. */
	item(test, &a, 0, "2001:db8::1", "2001:db8::2");
	item(test, &b, 0, "2001:db8::1", "2001:db8::2");
	b.usable = false;
	expect_first(test, "Rule 1: only usability differs", &a, &b);
}

/*
 * Two unusable destinations have no source: Rules 2, 3, 5 and 9 do not
 * look at the source fields, Rules 6 and 8 still order them.
 */
static void rule1_both_unusable_test(struct kunit *test)
{
	struct hey_order_item v[2];
	static const int kept[] = { 0, 1 };

	item(test, &v[0], 0, "2001:db8::1", NULL);
	item(test, &v[1], 1, "192.0.2.1", NULL);
	expect_first(test, "unusable: Rule 6 still applies", &v[0], &v[1]);

	item(test, &v[0], 0, "fe80::1", NULL);
	item(test, &v[1], 1, "2001:db8::1", NULL);
	expect_first(test, "unusable: Rule 8 still applies", &v[0], &v[1]);

	/* Stale source fields that would win Rules 2, 3 and 9 for v[1]. */
	mk(test, &v[0], 0, "2001:db8:1::1", "fe80::2", 128, true);
	mk(test, &v[1], 1, "2001:db8:1::5", "2001:db8:1::4", 128, false);
	v[0].usable = false;
	v[1].usable = false;
	hey_order_sort(v, 2);
	expect_indexes(test, v, 2, kept);
}

static void rule2_test(struct kunit *test)
{
	struct hey_order_item a, b;

	/* Only the scope of the source differs. */
	item(test, &a, 0, "2001:db8:1::1", "2001:db8:1::2");
	item(test, &b, 0, "2001:db8:1::5", "fe80::2");
	expect_first(test, "Rule 2: matching scope", &a, &b);

	/* And it outranks precedence: IPv4 first (section 10.2, 2nd). */
	item(test, &a, 0, "198.51.100.121", "198.51.100.117");
	item(test, &b, 0, "2001:db8:1::1", "fe80::1");
	expect_first(test, "Rule 2 before Rule 6", &a, &b);
}

static void rule3_test(struct kunit *test)
{
	struct hey_order_item a, b;

	/*
	 * The same source, deprecated for b only. b shares 127 bits with
	 * it and a only 46, so Rule 9 would have put b first.
	 */
	mk(test, &a, 0, "2001:db8:2::1", "2001:db8:1::2", 128, false);
	mk(test, &b, 0, "2001:db8:1::3", "2001:db8:1::2", 128, true);
	KUNIT_EXPECT_GT(test, b.common_plen, a.common_plen);
	expect_first(test, "Rule 3: avoid deprecated", &a, &b);
}

static void rule5_test(struct kunit *test)
{
	struct hey_order_item a, b;

	/* Only the label of the source differs (1 against 6to4's 2). */
	item(test, &a, 0, "2001:db8:1::1", "2001:db8:1::2");
	item(test, &b, 0, "2001:db8:1::5", "2002:c633:6401::2");
	expect_first(test, "Rule 5: matching label", &a, &b);

	/* It outranks precedence: 6to4 (30) before ::/0 (40). */
	item(test, &a, 0, "2002:c633:6401::1", "2002:c633:6401::2");
	item(test, &b, 0, "2001:db8:1::1", "2002:c633:6401::2");
	expect_first(test, "Rule 5 before Rule 6", &a, &b);
}

static void rule6_test(struct kunit *test)
{
	struct hey_order_item a, b;

	/* Matching scope and label on both sides: 40 against 35. */
	item(test, &a, 0, "2001:db8::1", "2001:db8::2");
	item(test, &b, 0, "192.0.2.1", "192.0.2.2");
	expect_first(test, "Rule 6: IPv6 global before IPv4", &a, &b);

	/* Unique local addresses: 3 against 35. */
	item(test, &a, 0, "192.0.2.1", "192.0.2.2");
	item(test, &b, 0, "fd00::1", "fd00::2");
	expect_first(test, "Rule 6: IPv4 before ULA", &a, &b);
	item(test, &b, 0, "fc00::1", "fc00::2");
	expect_first(test, "Rule 6: IPv4 before fc00::/7", &a, &b);

	/* Teredo: 5 against 35. */
	item(test, &b, 0, "2001:0:53aa:64c::1", "2001:0:53aa:64c::2");
	expect_first(test, "Rule 6: IPv4 before Teredo", &a, &b);

	/* Loopback: 50 against 35. */
	item(test, &a, 0, "::1", "::1");
	item(test, &b, 0, "127.0.0.1", "127.0.0.1");
	expect_first(test, "Rule 6: ::1 before 127.0.0.1", &a, &b);

	/* ::/0 (40) against 6to4 (30), both with matching labels. */
	item(test, &a, 0, "2001:db8:1::1", "2001:db8:1::2");
	item(test, &b, 0, "2002:c633:6401::1", "2002:c633:6401::2");
	expect_first(test, "Rule 6: native before 6to4", &a, &b);
}

static void rule8_test(struct kunit *test)
{
	struct hey_order_item a, b;

	item(test, &a, 0, "fe80::1", "fe80::2");
	item(test, &b, 0, "2001:db8:1::1", "2001:db8:1::2");
	expect_first(test, "Rule 8: link-local before global", &a, &b);

	item(test, &a, 0, "fec0::1", "fec0::2");
	item(test, &b, 0, "3ffe::1", "3ffe::2");
	/* Both precedence 1; labels 11 and 12 each match their source. */
	expect_first(test, "Rule 8: site-local before global", &a, &b);

	item(test, &a, 0, "169.254.1.1", "169.254.1.2");
	item(test, &b, 0, "192.0.2.1", "192.0.2.2");
	expect_first(test, "Rule 8: IPv4 link-local before global", &a, &b);
}

static void rule9_test(struct kunit *test)
{
	struct hey_order_item v[2];
	static const int kept[] = { 0, 1 };

	/* 64 bits (capped at the /64) against 40. */
	item(test, &v[0], 0, "2001:db8:1::1", "2001:db8:1::2");
	item(test, &v[1], 0, "2001:db8:3ffe::1", "2001:db8:3f44::2");
	expect_first(test, "Rule 9: IPv6", &v[0], &v[1]);

	/* Section 6 applies it to two IPv4 destinations as well. */
	mk(test, &v[0], 0, "10.1.2.3", "10.1.2.4", 32, false);
	mk(test, &v[1], 0, "10.200.0.1", "10.1.2.4", 32, false);
	expect_first(test, "Rule 9: IPv4", &v[0], &v[1]);

	/* Within the source's /8 both share all of it: a tie, Rule 10. */
	mk(test, &v[0], 0, "10.200.0.1", "10.1.2.4", 8, false);
	mk(test, &v[1], 1, "10.1.2.3", "10.1.2.4", 8, false);
	hey_order_sort(v, 2);
	expect_indexes(test, v, 2, kept);

	/* Same for two destinations on the source's /64. */
	mk(test, &v[0], 0, "2001:db8:1::ff", "2001:db8:1::2", 64, false);
	mk(test, &v[1], 1, "2001:db8:1::3", "2001:db8:1::2", 64, false);
	hey_order_sort(v, 2);
	expect_indexes(test, v, 2, kept);

	/*
	 * Not across families. The default table keeps such a pair apart
	 * by Rule 6, so the items are made equal by hand up to Rule 9.
	 */
	item(test, &v[0], 0, "2001:db8:1::1", "2001:db8:1::2");
	item(test, &v[1], 1, "10.1.2.3", "10.1.2.4");
	v[1].dst_prec = v[0].dst_prec;
	v[1].dst_label = v[0].dst_label;
	v[1].src_label = v[0].src_label;
	v[0].common_plen = 64;
	v[1].common_plen = 125;
	hey_order_sort(v, 2);
	KUNIT_EXPECT_EQ(test, v[0].ep.family, AF_INET6);
	v[0].index = 1;
	v[1].index = 0;
	hey_order_sort(v, 2);
	KUNIT_EXPECT_EQ(test, v[0].ep.family, AF_INET);
}

/* Rule 10: equal destinations keep their order, though sort() is a heap. */
static void rule10_test(struct kunit *test)
{
	struct hey_order_item *v;
	int want[16];
	int i, k;

	v = kunit_kcalloc(test, 16, sizeof(*v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);

	/* Sixteen equal ones. */
	for (i = 0; i < 16; i++) {
		item(test, &v[i], i, "2001:db8:1::1", "2001:db8:1::2");
		want[i] = i;
	}
	hey_order_sort(v, 16);
	expect_indexes(test, v, 16, want);

	/* Two classes, interleaved: each keeps its order. */
	for (i = 0; i < 16; i++)
		item(test, &v[i], i, "2001:db8:1::1",
		     i % 3 ? "2001:db8:1::2" : NULL);
	for (i = 0, k = 0; i < 16; i++)
		if (i % 3)
			want[k++] = i;
	for (i = 0; i < 16; i += 3)
		want[k++] = i;
	hey_order_sort(v, 16);
	expect_indexes(test, v, 16, want);

	/* Only the index differs: compare says so, and nothing else. */
	KUNIT_EXPECT_LT(test, hey_order_compare(&v[0], &v[1]), 0);
	KUNIT_EXPECT_GT(test, hey_order_compare(&v[1], &v[0]), 0);
	KUNIT_EXPECT_EQ(test, hey_order_compare(&v[0], &v[0]), 0);
}

/* A longer list: every rule at once. */
static void sort_mixed_test(struct kunit *test)
{
	struct hey_order_item v[8];
	static const int want[] = { 4, 3, 6, 0, 1, 5, 7, 2 };

	item(test, &v[0], 0, "192.0.2.1", "192.0.2.2");
	item(test, &v[1], 1, "198.51.100.1", "192.0.2.2");
	item(test, &v[2], 2, "2001:db8:9::1", NULL);
	item(test, &v[3], 3, "2001:db8:3ffe::1", "2001:db8:3f44::2");
	item(test, &v[4], 4, "2001:db8:3f44::1", "2001:db8:3f44::2");
	item(test, &v[5], 5, "fd00::1", "fd00::2");
	item(test, &v[6], 6, "2001:db8:5::1", "2001:db8:3f44::2");
	mk(test, &v[7], 7, "2001:db8:7::1", "2001:db8:3f44::2", 64, true);
	/*
	 * v[2] has no route (Rule 1); v[7]'s source is deprecated (Rule 3,
	 * which outranks precedence); the ULA v[5] comes after IPv4 (Rule
	 * 6); v[4], v[3] and v[6] share 64, 40 and 34 bits with their
	 * source, v[0] and v[1] 120 and 101 (Rule 9).
	 */
	hey_order_sort(v, 8);
	expect_indexes(test, v, 8, want);
}

/* ---- RFC 6724 section 10.2, verbatim -------------------------------- */

struct example {
	const char *name;
	/* The order of the RFC's result, with the sources it names. */
	const char *dst1, *src1, *dst2, *src2;
	bool deprecated2;
};

/*
 * The fifth example, "prefer home address", is Rule 4, which does not
 * apply here (see hey_order_compare()).
 */
static const struct example examples[] = {
	{ "1st: prefer matching scope",
	  "2001:db8:1::1", "2001:db8:1::2", "198.51.100.121", "169.254.13.78" },
	{ "2nd: prefer matching scope",
	  "198.51.100.121", "198.51.100.117", "2001:db8:1::1", "fe80::1" },
	{ "3rd: prefer higher precedence",
	  "2001:db8:1::1", "2001:db8:1::2", "10.1.2.3", "10.1.2.4" },
	{ "4th: prefer smaller scope",
	  "fe80::1", "fe80::2", "2001:db8:1::1", "2001:db8:1::2" },
	{ "6th: avoid deprecated addresses",
	  "2001:db8:1::1", "2001:db8:1::2", "fe80::1", "fe80::2", true },
	{ "7th: longest matching prefix",
	  "2001:db8:1::1", "2001:db8:1::2", "2001:db8:3ffe::1",
	  "2001:db8:3f44::2" },
	{ "8th: prefer matching label",
	  "2002:c633:6401::1", "2002:c633:6401::2", "2001:db8:1::1",
	  "2002:c633:6401::2" },
	{ "9th: prefer higher precedence",
	  "2001:db8:1::1", "2001:db8:1::2", "2002:c633:6401::1",
	  "2002:c633:6401::2" },
};

static void example_desc(const struct example *e, char *desc)
{
	strscpy(desc, e->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rfc6724, examples, example_desc);

static void rfc6724_example_test(struct kunit *test)
{
	const struct example *e = test->param_value;
	struct hey_order_item a, b;

	item(test, &a, 0, e->dst1, e->src1);
	item(test, &b, 0, e->dst2, e->src2);
	b.deprecated = e->deprecated2;
	expect_first(test, e->name, &a, &b);
}

/* ---- RFC 8305 section 4: interleaving -------------------------------- */

/* Items with these destinations, indexed in order, then interleaved. */
static void interleave(struct kunit *test, const char * const *dsts, int n,
		       const int *want)
{
	struct hey_order_item v[8];
	int i;

	KUNIT_ASSERT_LE(test, n, (int)ARRAY_SIZE(v));
	for (i = 0; i < n; i++)
		item(test, &v[i], i, dsts[i], NULL);
	hey_order_interleave(v, n);
	expect_indexes(test, v, n, want);
}

static void interleave_test(struct kunit *test)
{
	static const char * const v6_first[] = {
		"2001:db8::1", "2001:db8::2", "2001:db8::3",
		"192.0.2.1", "192.0.2.2",
	};
	static const int v6_first_want[] = { 0, 3, 1, 4, 2 };
	static const char * const v4_first[] = {
		"192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1",
	};
	static const int v4_first_want[] = { 0, 3, 1, 2 };
	static const char * const v4_short[] = {
		"192.0.2.1", "2001:db8::1", "2001:db8::2", "2001:db8::3",
	};
	static const int v4_short_want[] = { 0, 1, 2, 3 };
	static const char * const mixed[] = {
		"2001:db8::1", "192.0.2.1", "192.0.2.2", "192.0.2.3",
		"2001:db8::2", "2001:db8::3",
	};
	static const int mixed_want[] = { 0, 1, 4, 2, 5, 3 };
	static const char * const mapped[] = {
		"2001:db8::1", "2001:db8::2", "::ffff:192.0.2.1",
	};
	static const int mapped_want[] = { 0, 2, 1 };

	interleave(test, v6_first, ARRAY_SIZE(v6_first), v6_first_want);
	interleave(test, v4_first, ARRAY_SIZE(v4_first), v4_first_want);
	interleave(test, v4_short, ARRAY_SIZE(v4_short), v4_short_want);
	interleave(test, mixed, ARRAY_SIZE(mixed), mixed_want);
	/* An IPv4-mapped destination is IPv4. */
	interleave(test, mapped, ARRAY_SIZE(mapped), mapped_want);
}

static void interleave_unchanged_test(struct kunit *test)
{
	static const char * const only_v6[] = {
		"2001:db8::1", "fe80::1", "2001:db8::3", "::1",
	};
	static const char * const only_v4[] = {
		"192.0.2.1", "10.0.0.1", "127.0.0.1",
	};
	static const char * const alternating[] = {
		"192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2",
		"192.0.2.3",
	};
	static const char * const two[] = { "192.0.2.1", "192.0.2.2" };
	static const int same[] = { 0, 1, 2, 3, 4 };
	struct hey_order_item one;

	interleave(test, only_v6, ARRAY_SIZE(only_v6), same);
	interleave(test, only_v4, ARRAY_SIZE(only_v4), same);
	interleave(test, alternating, ARRAY_SIZE(alternating), same);
	interleave(test, two, ARRAY_SIZE(two), same);
	interleave(test, alternating + 1, 2, same);

	/* Nothing to look at, and one item: neither is touched. */
	hey_order_interleave(NULL, 0);
	item(test, &one, 7, "2001:db8::1", NULL);
	hey_order_interleave(&one, 1);
	KUNIT_EXPECT_EQ(test, one.index, 7);
	hey_order_sort(NULL, 0);
	hey_order_sort(&one, 1);
	KUNIT_EXPECT_EQ(test, one.index, 7);
}

/* ---- The kernel-facing half, in the initial namespace ----------------- */

static void fill_invalid_test(struct kunit *test)
{
	struct hey_order_item it;

	memset(&it, 0, sizeof(it));
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, 0), -EINVAL);
	it.ep.family = AF_UNIX;
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, 0), -EINVAL);
	parse_ep(test, &it.ep, "192.0.2.1");
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, -1), -EINVAL);
	parse_ep(test, &it.ep, "fe80::1");
	it.ep.scope_id = (u32)INT_MAX + 1;
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, 0), -EINVAL);
}

/* A link-local destination needs its link; no lookup is made without. */
static void fill_link_local_test(struct kunit *test)
{
	struct hey_order_item it;

	memset(&it, 0, sizeof(it));
	parse_ep(test, &it.ep, "fe80::1");
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, 0), 0);
	KUNIT_EXPECT_FALSE(test, it.usable);
	KUNIT_EXPECT_EQ(test, it.dst_scope, LINK);

	it.ep.scope_id = 1;
	KUNIT_EXPECT_EQ(test, hey_order_fill(&init_net, &it, 2), 0);
	KUNIT_EXPECT_FALSE(test, it.usable);
}

static void fill_loopback_test(struct kunit *test)
{
	struct hey_order_item v[4];
	static const int want[] = { 1, 0, 3, 2 };
	__be32 lo4 = htonl(INADDR_LOOPBACK);

	if (!netif_running(init_net.loopback_dev))
		kunit_skip(test, "the loopback device is down");

	memset(v, 0, sizeof(v));
	parse_ep(test, &v[0].ep, "127.0.0.1");
	KUNIT_ASSERT_EQ(test, hey_order_fill(&init_net, &v[0], 0), 0);
	KUNIT_EXPECT_TRUE(test, v[0].usable);
	KUNIT_EXPECT_TRUE(test, v[0].src.v4 == lo4);
	KUNIT_EXPECT_EQ(test, v[0].src_plen, 8);
	KUNIT_EXPECT_FALSE(test, v[0].deprecated);
	KUNIT_EXPECT_EQ(test, v[0].dst_scope, LINK);

	parse_ep(test, &v[1].ep, "::1");
	KUNIT_ASSERT_EQ(test, hey_order_fill(&init_net, &v[1], 0), 0);
	KUNIT_EXPECT_TRUE(test, v[1].usable);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_loopback(&v[1].src.v6));
	KUNIT_EXPECT_EQ(test, v[1].src_plen, 128);
	KUNIT_EXPECT_FALSE(test, v[1].deprecated);
	KUNIT_EXPECT_EQ(test, v[1].dst_prec, 50);

	/* Looked up as the IPv4 address it maps. */
	parse_ep(test, &v[2].ep, "::ffff:127.0.0.1");
	KUNIT_ASSERT_EQ(test, hey_order_fill(&init_net, &v[2], 0), 0);
	KUNIT_EXPECT_TRUE(test, v[2].usable);
	KUNIT_EXPECT_TRUE(test, v[2].src.v4 == lo4);

	/*
	 * The whole of it: ::1 (precedence 50) first, then the two IPv4
	 * ones in their order, the one of no family (v[2]) last.
	 */
	memset(v, 0, sizeof(v));
	parse_ep(test, &v[0].ep, "127.0.0.1");
	parse_ep(test, &v[1].ep, "::1");
	parse_ep(test, &v[3].ep, "::ffff:127.0.0.1");
	hey_order_endpoints(&init_net, v, 4, 0);
	expect_indexes(test, v, 4, want);
	KUNIT_EXPECT_TRUE(test, v[2].usable);
	KUNIT_EXPECT_FALSE(test, v[3].usable);
}

static struct kunit_case hey_order_cases[] = {
	KUNIT_CASE_PARAM(classify_test, classify_gen_params),
	KUNIT_CASE(classify_mapped_test),
	KUNIT_CASE_PARAM(common_prefix_test, prefix_gen_params),
	KUNIT_CASE(rule1_test),
	KUNIT_CASE(rule1_both_unusable_test),
	KUNIT_CASE(rule2_test),
	KUNIT_CASE(rule3_test),
	KUNIT_CASE(rule5_test),
	KUNIT_CASE(rule6_test),
	KUNIT_CASE(rule8_test),
	KUNIT_CASE(rule9_test),
	KUNIT_CASE(rule10_test),
	KUNIT_CASE(sort_mixed_test),
	KUNIT_CASE_PARAM(rfc6724_example_test, rfc6724_gen_params),
	KUNIT_CASE(interleave_test),
	KUNIT_CASE(interleave_unchanged_test),
	KUNIT_CASE(fill_invalid_test),
	KUNIT_CASE(fill_link_local_test),
	KUNIT_CASE(fill_loopback_test),
	{}
};

static struct kunit_suite hey_order_suite = {
	.name = "hey_order",
	.test_cases = hey_order_cases,
};

kunit_test_suite(hey_order_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of hey's destination address ordering");
