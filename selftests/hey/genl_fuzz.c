// SPDX-License-Identifier: GPL-2.0
/*
 * genl_fuzz: random and mutated requests to every command of the "hey"
 * generic netlink family, as root and as an unprivileged user.
 *
 * HEY_FUZZ_COUNT requests in all (10,000 by default), half of them as root
 * and half from a child that became nobody (uid and gid 65534, no
 * supplementary groups, every capability gone from all sets and the
 * bounding set), go to every command number from HEY_CMD_UNSPEC to beyond
 * HEY_CMD_MAX, the event commands included, as do and dump requests with
 * and without NLM_F_ACK, several to a datagram. About a third are valid
 * requests built from the uapi attribute enums with the right types; the
 * rest carry one mutation each (see enum mut). It proves:
 *
 *  - every request is answered (NLMSG_ERROR, or data and NLMSG_DONE) within
 *    HEY_FUZZ_TIMEOUT_MS, save a write done without NLM_F_ACK, which
 *    owes no answer;
 *  - every errno is one the uapi comment allows for that request: EPERM
 *    for every unprivileged SET, DEL and FLUSH whatever its attributes;
 *    EOPNOTSUPP for commands that are no requests; EINVAL with an extack
 *    message for what the strict validation must refuse (ERANGE for a
 *    value out of range or a binary attribute of the wrong size); ENODEV for
 *    interfaces that do not exist; ENOENT for DEL_CACHE; valid requests
 *    succeed (as root; GETs also as nobody);
 *  - replies and events are well-formed, and the events group is closed to
 *    nobody;
 *  - afterwards the family still answers, a SET_POLICY/GET_POLICY round
 *    trip works, the module's cache counter agrees with a dump of the
 *    cache, nobody changed nothing, and the kmalloc and skbuff slabs did
 *    not grow with the requests.
 *
 * Root's requests change the namespace's state (policy, network ids, the
 * history cache): the fixture saves policy and network ids first and puts
 * them back at the end, and flushes the cache, so later tests see defaults.
 *
 * Replay: the seed is printed (HEY_FUZZ_SEED=...); exporting it generates
 * the same requests again. Each request depends on the seed, the run and
 * its index alone, and a failing one is printed with its bytes.
 * HEY_FUZZ_ONLY=N sends request N of each run alone (its bytes do not
 * depend on the others; the kernel's state may). HEY_FUZZ_VERBOSE=1
 * prints every request before it goes out (so one that kills the kernel
 * is named) and its answer; 2 adds its bytes.
 *
 * The requests go out over a raw NETLINK_GENERIC socket, not libnl: libnl
 * keeps the framing consistent (it computes nlmsg_len and every nla_len
 * from what was put, and pads each attribute), so a truncated attribute
 * header, an nla_len past the end of the message, a genl header cut short
 * or several requests in one datagram cannot be built with it, and its
 * receive side stops at a malformed reply instead of reporting it; those
 * malformed bytes are the point. The family id and the events group come
 * from CTRL_CMD_GETFAMILY on a raw socket too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "hey_test.h"

#define NOBODY 65534
#define FZ_MAX_MSG (68 * 1024)
#define FZ_MAX_ATTRS 64
#define FZ_RBUF (256 * 1024)
#define FZ_MAX_IF 32
#define FZ_SIGS 48		/* distinct findings kept, per run */
#define NLA_MAX_LEN 0xffff

#define flog(fmt, ...) fprintf(stderr, "# " fmt "\n", ##__VA_ARGS__)

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

/* ---- deterministic generator ----------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A generator of its own per request: (seed, stream) alone decide it. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ splitmix64(&stream);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_u64(r) >> 32) * n) >> 32);
}

static bool rng_pct(struct rng *r, unsigned int pct)
{
	return rng_below(r, 100) < pct;
}

static void rng_bytes(struct rng *r, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint64_t v = rng_u64(r);
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* ---- what the uapi comment says about each command ------------------- */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_BE16, K_ADDR, K_PROTOS,
	    K_IFLIST, K_STR, K_NEST, K_NAME };

enum space { SP_STATUS, SP_STATS, SP_RACE, SP_CACHE, SP_POLICY, SP_NETWORK,
	     SP_RESOLVE };

static const uint16_t space_max[] = {
	[SP_STATUS] = HEY_A_STATUS_MAX, [SP_STATS] = HEY_A_STATS_MAX,
	[SP_RACE] = HEY_A_RACE_MAX, [SP_CACHE] = HEY_A_CACHE_MAX,
	[SP_POLICY] = HEY_A_POLICY_MAX, [SP_NETWORK] = HEY_A_NETWORK_MAX,
	[SP_RESOLVE] = HEY_A_RESOLVE_MAX,
};

/* The type of attribute @type in @sp, K_NONE for an unknown one. */
static enum kind kind_of(enum space sp, unsigned int type)
{
	if (!type || type > space_max[sp])
		return K_NONE;
	switch (sp) {
	case SP_STATUS:
		return type == HEY_A_STATUS_VERSION ? K_STR :
		       type == HEY_A_STATUS_ATTACHED ? K_U64 :
		       type == HEY_A_STATUS_PAD ? K_NONE : K_U32;
	case SP_STATS:
		return type == HEY_A_STATS_PAD ? K_NONE : K_U64;
	case SP_RACE:
		switch (type) {
		case HEY_A_RACE_ID: case HEY_A_RACE_AGE_MS: return K_U64;
		case HEY_A_RACE_STATE: return K_U8;
		case HEY_A_RACE_LEAVES: return K_NEST;
		case HEY_A_RACE_PAD: return K_NONE;
		default: return K_U32;
		}
	case SP_CACHE:
		switch (type) {
		case HEY_A_CACHE_NETWORK: return K_U64;
		case HEY_A_CACHE_FAMILY: return K_U16;
		case HEY_A_CACHE_ADDR: return K_ADDR;
		case HEY_A_CACHE_NAME: return K_NAME;
		case HEY_A_CACHE_PORT: return K_BE16;
		case HEY_A_CACHE_PROTOCOL: case HEY_A_CACHE_RESULT:
		case HEY_A_CACHE_CHANGE: return K_U8;
		case HEY_A_CACHE_PAD: return K_NONE;
		default: return K_U32;
		}
	case SP_POLICY:
		switch (type) {
		case HEY_A_POLICY_PROTOCOLS: return K_PROTOS;
		case HEY_A_POLICY_PREFER: case HEY_A_POLICY_EXCLUDE:
			return K_IFLIST;
		default: return K_U32;
		}
	case SP_NETWORK:
		switch (type) {
		case HEY_A_NETWORK_IFINDEX: return K_U32;
		case HEY_A_NETWORK_ID: return K_U64;
		case HEY_A_NETWORK_IFNAME: return K_STR;
		default: return K_NONE;
		}
	case SP_RESOLVE:
		switch (type) {
		case HEY_A_RESOLVE_ID: return K_U64;
		case HEY_A_RESOLVE_NAME: return K_STR;
		case HEY_A_RESOLVE_PORT: return K_BE16;
		case HEY_A_RESOLVE_FAMILIES: return K_U8;
		case HEY_A_RESOLVE_PATHS: return K_IFLIST;
		case HEY_A_RESOLVE_ENDPOINT: return K_NEST;
		case HEY_A_RESOLVE_PAD: return K_NONE;
		default: return K_U32;
		}
	}
	return K_NONE;
}

static size_t kind_len(enum kind k)
{
	switch (k) {
	case K_U8: return 1;
	case K_U16: case K_BE16: return 2;
	case K_U32: return 4;
	case K_U64: return 8;
	default: return 0;
	}
}

#define M_DO 1
#define M_DUMP 2
#define BIT(n) (1ULL << (n))
#define CACHE_KEY (BIT(HEY_A_CACHE_NETWORK) | BIT(HEY_A_CACHE_FAMILY) | \
		   BIT(HEY_A_CACHE_ADDR) | BIT(HEY_A_CACHE_NAME) | \
		   BIT(HEY_A_CACHE_PORT) | BIT(HEY_A_CACHE_PROTOCOL))
#define CACHE_SET (CACHE_KEY | BIT(HEY_A_CACHE_RESULT) | \
		   BIT(HEY_A_CACHE_SUCCESSES) | BIT(HEY_A_CACHE_FAILURES) | \
		   BIT(HEY_A_CACHE_ERROR) | BIT(HEY_A_CACHE_HANDSHAKE_US) | \
		   BIT(HEY_A_CACHE_SRTT_US) | BIT(HEY_A_CACHE_AGE_MS))
#define POLICY_ALL ((BIT(HEY_A_POLICY_MAX + 1) - 1) & ~1ULL)

static const struct cspec {
	const char *name;
	enum space space;	/* its attributes, or those of its replies */
	uint8_t mode;		/* M_DO, M_DUMP; 0: no request at all */
	bool admin;		/* CAP_NET_ADMIN */
	bool ifindex;		/* takes interfaces: ENODEV */
	uint64_t takes;		/* the attributes a request may carry */
} cmds[__HEY_CMD_MAX] = {
	[HEY_CMD_UNSPEC] = { "UNSPEC", SP_CACHE, 0, false, false, 0 },
	[HEY_CMD_GET_STATUS] = { "GET_STATUS", SP_STATUS, M_DO, false, false,
				 0 },
	[HEY_CMD_GET_STATS] = { "GET_STATS", SP_STATS, M_DO, false, false, 0 },
	[HEY_CMD_GET_RACES] = { "GET_RACES", SP_RACE, M_DUMP, false, false, 0 },
	[HEY_CMD_GET_CACHE] = { "GET_CACHE", SP_CACHE, M_DUMP, false, false,
				BIT(HEY_A_CACHE_NETWORK) },
	[HEY_CMD_SET_CACHE] = { "SET_CACHE", SP_CACHE, M_DO, true, false,
				CACHE_SET },
	[HEY_CMD_DEL_CACHE] = { "DEL_CACHE", SP_CACHE, M_DO, true, false,
				CACHE_KEY },
	[HEY_CMD_FLUSH_CACHE] = { "FLUSH_CACHE", SP_CACHE, M_DO, true, false,
				  BIT(HEY_A_CACHE_NETWORK) },
	[HEY_CMD_GET_POLICY] = { "GET_POLICY", SP_POLICY, M_DO, false, false,
				 0 },
	[HEY_CMD_SET_POLICY] = { "SET_POLICY", SP_POLICY, M_DO, true, true,
				 POLICY_ALL },
	[HEY_CMD_GET_NETWORK] = { "GET_NETWORK", SP_NETWORK, M_DO | M_DUMP,
				  false, true, BIT(HEY_A_NETWORK_IFINDEX) },
	[HEY_CMD_SET_NETWORK] = { "SET_NETWORK", SP_NETWORK, M_DO, true, true,
				  BIT(HEY_A_NETWORK_IFINDEX) |
				  BIT(HEY_A_NETWORK_ID) },
	[HEY_CMD_RACE_DONE] = { "RACE_DONE", SP_RACE, 0, false, false, 0 },
	[HEY_CMD_CACHE_CHANGED] = { "CACHE_CHANGED", SP_CACHE, 0, false, false,
				    0 },
	[HEY_CMD_REGISTER_RESOLVER] = { "REGISTER_RESOLVER", SP_RESOLVE, M_DO,
					true, false, 0 },
	[HEY_CMD_RESOLVE] = { "RESOLVE", SP_RESOLVE, 0, false, false, 0 },
	[HEY_CMD_RESOLVE_ANSWER] = { "RESOLVE_ANSWER", SP_RESOLVE, M_DO, true,
				     false, BIT(HEY_A_RESOLVE_ID) |
				     BIT(HEY_A_RESOLVE_IFINDEX) |
				     BIT(HEY_A_RESOLVE_FLAGS) |
				     BIT(HEY_A_RESOLVE_ENDPOINT) },
};

/* Command numbers past HEY_CMD_MAX: no spec, EOPNOTSUPP. */
static const struct cspec beyond = { "BEYOND", SP_CACHE, 0, false, false, 0 };

static const struct cspec *cspec_of(unsigned int cmd)
{
	return cmd <= HEY_CMD_MAX ? &cmds[cmd] : &beyond;
}

static bool takes(const struct cspec *c, unsigned int type)
{
	return type < 64 && (c->takes & BIT(type));
}

/* ---- messages -------------------------------------------------------- */

enum mut {
	MUT_NONE,		/* a valid request */
	MUT_ATTR_TYPE,		/* attribute type 0, > MAX, not taken */
	MUT_ATTR_LEN,		/* attribute of 0, 1, 3, 7, 17, 4096 bytes */
	MUT_TRUNC_NLA,		/* a truncated nlattr header at the end */
	MUT_NLA_LEN_BIG,	/* nla_len larger than the message */
	MUT_NESTED_FLAG,	/* NLA_F_NESTED (_NET_BYTEORDER) on a scalar */
	MUT_DEEP_NEST,		/* 32 levels of nesting */
	MUT_NEST_GARBAGE,	/* a nest holding random bytes */
	MUT_RANDOM_BYTES,	/* random bytes after the genl header */
	MUT_OUT_OF_RANGE,	/* port 0, family 99, id with bit 63, ... */
	MUT_DUPLICATE,		/* an attribute twice */
	MUT_GENL_RESERVED,	/* genlmsghdr.reserved != 0 */
	MUT_GENL_VERSION,	/* genlmsghdr.version 0, 255, random */
	MUT_OVERSIZE,		/* about 64 KiB */
	MUT_FLAGS,		/* odd nlmsg_flags, or no NLM_F_REQUEST */
	MUT_MODE,		/* a do sent as a dump, a dump as a do */
	MUT_TRUNC_GENL,		/* the genl header cut short */
	__MUT_MAX
};

static const char *const mut_name[] = {
	"valid", "attr-type", "attr-len", "trunc-nla", "nla-len-big",
	"nested-flag", "deep-nest", "nest-garbage", "random-bytes",
	"out-of-range", "duplicate", "genl-reserved", "genl-version",
	"oversize", "flags", "mode", "trunc-genl",
};

struct fmsg {
	uint8_t buf[FZ_MAX_MSG];
	size_t len;
	uint32_t attr_off[FZ_MAX_ATTRS];	/* top-level attributes */
	unsigned int n_attrs;
	unsigned int depth;			/* open nests */
	/* one attribute's payload replaced (out-of-range values) */
	int ovr_type;
	uint8_t ovr[4096];
	size_t ovr_len;
	bool ovr_done;
	bool addr_mismatch;	/* put ADDR with the other family's length */
	/* what the oracle needs */
	uint8_t cmd;
	enum mut mut;
	char what[96];		/* the mutation in words */
	bool request;		/* NLM_F_REQUEST set */
	bool dump;		/* both NLM_F_DUMP bits */
	bool hdr_bad;		/* the genl core refuses the header */
	bool must_fail;		/* the uapi contract refuses it */
};

static struct nlmsghdr *m_nlh(struct fmsg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static struct genlmsghdr *m_genl(struct fmsg *m)
{
	return (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
}

static void m_start(struct fmsg *m, uint16_t family, uint8_t cmd)
{
	struct nlmsghdr *nlh = m_nlh(m);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	m_genl(m)->cmd = cmd;
	m_genl(m)->version = HEY_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->n_attrs = 0;
	m->depth = 0;
	m->ovr_type = -1;
	m->ovr_done = false;
	m->addr_mismatch = false;
	m->cmd = cmd;
	m->mut = MUT_NONE;
	m->what[0] = '\0';
	m->request = true;
	m->dump = false;
	m->hdr_bad = false;
	m->must_fail = false;
}

/* Appends an attribute (the override's payload instead, if it is the one). */
static long m_put(struct fmsg *m, uint16_t type, const void *data, size_t len)
{
	size_t tot;
	struct nlattr *a;
	long off = (long)m->len;

	if (!m->depth && m->ovr_type == (type & NLA_TYPE_MASK) &&
	    !m->ovr_done) {
		m->ovr_done = true;
		data = m->ovr;
		len = m->ovr_len;
	}
	tot = NLA_ALIGN(NLA_HDRLEN + len);
	if (NLA_HDRLEN + len > NLA_MAX_LEN || m->len + tot > sizeof(m->buf))
		return -1;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, tot - NLA_HDRLEN - len);
	if (!m->depth && m->n_attrs < FZ_MAX_ATTRS)
		m->attr_off[m->n_attrs++] = m->len;
	m->len += tot;
	return off;
}

static void m_u8(struct fmsg *m, uint16_t t, uint8_t v)
{
	m_put(m, t, &v, 1);
}

static void m_u16(struct fmsg *m, uint16_t t, uint16_t v)
{
	m_put(m, t, &v, 2);
}

static void m_u32(struct fmsg *m, uint16_t t, uint32_t v)
{
	m_put(m, t, &v, 4);
}

static void m_u64(struct fmsg *m, uint16_t t, uint64_t v)
{
	m_put(m, t, &v, 8);
}

static void m_be16(struct fmsg *m, uint16_t t, uint16_t v)
{
	v = htons(v);
	m_put(m, t, &v, 2);
}

static long m_nest_start(struct fmsg *m, uint16_t type)
{
	long off = m_put(m, type, NULL, 0);

	if (off >= 0)
		m->depth++;
	return off;
}

static void m_nest_end(struct fmsg *m, long off)
{
	if (off < 0)
		return;
	m->depth--;
	((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

/* Puts the override if nothing did, then sets nlmsg_len. */
static void m_finish(struct fmsg *m)
{
	if (m->ovr_type >= 0 && !m->ovr_done)
		m_put(m, m->ovr_type, m->ovr, m->ovr_len);
	m_nlh(m)->nlmsg_len = m->len;
}

static void m_set_override(struct fmsg *m, int type, const void *p, size_t n)
{
	m->ovr_type = type;
	m->ovr_len = n < sizeof(m->ovr) ? n : sizeof(m->ovr);
	memcpy(m->ovr, p, m->ovr_len);
}

static void m_what(struct fmsg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void m_what(struct fmsg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->what, sizeof(m->what), fmt, ap);
	va_end(ap);
}

/* ---- the namespace the requests go to -------------------------------- */

struct fz {
	uint64_t seed;
	unsigned int count;		/* requests in both runs */
	unsigned int timeout_ms;
	unsigned int verbose;
	long only;			/* HEY_FUZZ_ONLY; -1: all */
	uint16_t family;
	uint32_t mcgrp;			/* the events group, 0: none */
	unsigned int n_grps;		/* the family's groups */
	uint32_t ifindex[FZ_MAX_IF];	/* interfaces that exist */
	unsigned int n_if;
	long cache_timeout_s;		/* -1: unknown */
};

/* A history cache key: a small pool, so that SET and DEL meet. */
struct ckey {
	uint64_t net;
	uint16_t family;
	uint8_t addr[16];
	const char *name;	/* a name key (no addr), or NULL */
	uint16_t port;
	uint8_t proto;
};

/* Keys 0 to 7 by address (or AF_UNSPEC), the others by name. */
#define N_KEYS 12

/* Names the kernel takes; the case and a final dot fold away. */
static const char *const key_names[] = {
	"www.example.test", "WWW.Example.TEST.", "My Printer._ipp._tcp.local",
	"x",
};

static void cache_key(unsigned int i, struct ckey *k)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint16_t families[] = { AF_INET, AF_INET6, AF_UNSPEC };

	memset(k, 0, sizeof(*k));
	k->net = 1 + i % 3;
	k->family = families[i % 3];
	k->port = i & 1 ? 443 : 8000 + i;
	if (i >= 8) {
		/* a race by name's: AF_INET or AF_INET6, no address */
		k->name = key_names[i - 8];
		k->family = i & 1 ? AF_INET6 : AF_INET;
		k->proto = 1 + i % 3;
		return;
	}
	if (k->family == AF_INET) {
		uint8_t a[4] = { 192, 0, 2, (uint8_t)(1 + i) };

		memcpy(k->addr, a, 4);
	} else if (k->family == AF_INET6) {
		memcpy(k->addr, v6, 16);
		k->addr[15] = 1 + i;
	}
	/* AF_UNSPEC is the network-wide TFO entry */
	k->proto = k->family == AF_UNSPEC ? HEY_PROTO_TFO : 1 + i % 3;
}

static void put_key(struct fmsg *m, const struct ckey *k)
{
	size_t alen = k->family == AF_INET ? 4 : 16;

	/* an address of the other family's length: refused, but for
	 * AF_UNSPEC, which should have none, what happens is open
	 */
	if (m->addr_mismatch) {
		alen = alen == 4 ? 16 : 4;
		m->must_fail |= k->family != AF_UNSPEC &&
				takes(cspec_of(m->cmd), HEY_A_CACHE_ADDR);
	}
	m_u64(m, HEY_A_CACHE_NETWORK, k->net);
	m_u16(m, HEY_A_CACHE_FAMILY, k->family);
	if (k->name) {
		/* the NUL is optional: "x" goes without */
		m_put(m, HEY_A_CACHE_NAME, k->name,
		      strlen(k->name) + (strlen(k->name) > 1));
		/* with an address too: refused ("a name entry has none") */
		if (m->addr_mismatch)
			m_put(m, HEY_A_CACHE_ADDR, k->addr, alen);
	} else if (k->family != AF_UNSPEC || m->addr_mismatch) {
		m_put(m, HEY_A_CACHE_ADDR, k->addr, alen);
	}
	m_be16(m, HEY_A_CACHE_PORT, k->port);
	m_u8(m, HEY_A_CACHE_PROTOCOL, k->proto);
}

static uint64_t pool_net(struct rng *r)
{
	return 1 + rng_below(r, 3);
}

static uint32_t some_ifindex(const struct fz *fz, struct rng *r)
{
	return fz->n_if ? fz->ifindex[rng_below(r, fz->n_if)] : 1;
}

/* n distinct existing interfaces, from the start or the end of the list. */
static size_t put_iflist(const struct fz *fz, struct rng *r, uint32_t *out,
			 bool tail)
{
	size_t n = rng_below(r, (fz->n_if < 3 ? fz->n_if : 3) + 1), i;

	for (i = 0; i < n; i++)
		out[i] = fz->ifindex[tail ? fz->n_if - 1 - i : i];
	return n;
}

static void build_set_policy(const struct fz *fz, struct rng *r,
			     struct fmsg *m)
{
	uint8_t protos[3] = { HEY_PROTO_TCP, HEY_PROTO_TFO, HEY_PROTO_SCTP };
	uint32_t list[3];
	size_t n;
	int i;

	if (rng_pct(r, 50))
		m_u32(m, HEY_A_POLICY_MODE, rng_below(r, __HEY_RACE_MAX));
	if (rng_pct(r, 50)) {
		/* all three or none, so that min <= default <= max holds */
		uint32_t min = 10 + rng_below(r, 1991);
		uint32_t max = min + rng_below(r, 60000 - min + 1);

		m_u32(m, HEY_A_POLICY_MIN_DELAY_MS, min);
		m_u32(m, HEY_A_POLICY_MAX_DELAY_MS, max);
		m_u32(m, HEY_A_POLICY_DEFAULT_DELAY_MS,
		      min + rng_below(r, max - min + 1));
	}
	if (rng_pct(r, 50)) {
		for (i = 2; i > 0; i--) {
			uint32_t j = rng_below(r, i + 1);
			uint8_t t = protos[i];

			protos[i] = protos[j];
			protos[j] = t;
		}
		m_put(m, HEY_A_POLICY_PROTOCOLS, protos, 1 + rng_below(r, 3));
	}
	if (rng_pct(r, 50))
		m_u32(m, HEY_A_POLICY_ALLOWED, BIT(HEY_PROTO_TCP) |
		      (rng_below(r, 4) << HEY_PROTO_TFO));
	/* PREFER from the front of the interface list, EXCLUDE from the
	 * back: disjoint as long as there are enough interfaces.
	 */
	if (rng_pct(r, 40)) {
		n = put_iflist(fz, r, list, false);
		m_put(m, HEY_A_POLICY_PREFER, list, n * 4);
	}
	if (rng_pct(r, 30) && fz->n_if > 6) {
		n = put_iflist(fz, r, list, true);
		m_put(m, HEY_A_POLICY_EXCLUDE, list, n * 4);
	} else if (rng_pct(r, 20)) {
		m_put(m, HEY_A_POLICY_EXCLUDE, NULL, 0);
	}
	if (rng_pct(r, 40))
		m_u32(m, HEY_A_POLICY_MAX_LEAVES, 1 + rng_below(r, 16));
	if (rng_pct(r, 40))
		m_u32(m, HEY_A_POLICY_MAX_RACES, 1 + rng_below(r, 1048576));
}

/*
 * An answer to a request no race made (ids are the fuzzer's own): a path,
 * flags, and up to two well-formed endpoints.
 */
static void build_answer(const struct fz *fz, struct rng *r, struct fmsg *m)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	unsigned int i, n = rng_below(r, 3);
	long nest;

	m_u64(m, HEY_A_RESOLVE_ID, rng_u64(r) >> 40);
	m_u32(m, HEY_A_RESOLVE_IFINDEX, some_ifindex(fz, r));
	if (rng_pct(r, 50))
		m_u32(m, HEY_A_RESOLVE_FLAGS, rng_below(r, 4));
	for (i = 0; i < n; i++) {
		bool six = rng_pct(r, 50);

		nest = m_nest_start(m, HEY_A_RESOLVE_ENDPOINT | NLA_F_NESTED);
		m_u16(m, HEY_A_ENDPOINT_FAMILY, six ? AF_INET6 : AF_INET);
		m_put(m, HEY_A_ENDPOINT_ADDR, six ? v6 : v4, six ? 16 : 4);
		if (rng_pct(r, 50))
			m_be16(m, HEY_A_ENDPOINT_PORT, 1 + rng_below(r, 65535));
		if (rng_pct(r, 50))
			m_u32(m, HEY_A_ENDPOINT_TTL, rng_below(r, 86400));
		m_nest_end(m, nest);
	}
}

/*
 * A valid request for m->cmd, or for a command that is no request a
 * plausible one (an event's attributes). Returns true for a dump.
 */
static bool build_valid(const struct fz *fz, struct rng *r, struct fmsg *m)
{
	struct ckey k;
	long nest;

	cache_key(rng_below(r, N_KEYS), &k);
	switch (m->cmd) {
	case HEY_CMD_GET_STATUS:
	case HEY_CMD_GET_STATS:
	case HEY_CMD_GET_POLICY:
		return false;
	case HEY_CMD_GET_RACES:
		return true;
	case HEY_CMD_GET_CACHE:
		if (rng_pct(r, 50))
			m_u64(m, HEY_A_CACHE_NETWORK, pool_net(r));
		return true;
	case HEY_CMD_SET_CACHE:
		put_key(m, &k);
		m_u8(m, HEY_A_CACHE_RESULT, k.family == AF_UNSPEC ?
		     HEY_CACHE_FAILED : 1 + rng_below(r, 3));
		if (rng_pct(r, 50))
			m_u32(m, HEY_A_CACHE_SUCCESSES, rng_below(r, 1000));
		if (rng_pct(r, 50))
			m_u32(m, HEY_A_CACHE_FAILURES, rng_below(r, 1000));
		if (rng_pct(r, 30))
			m_u32(m, HEY_A_CACHE_ERROR, 1 + rng_below(r, 133));
		if (rng_pct(r, 50))
			m_u32(m, HEY_A_CACHE_HANDSHAKE_US,
			      rng_below(r, 10000000));
		if (rng_pct(r, 50))
			m_u32(m, HEY_A_CACHE_SRTT_US, rng_below(r, 10000000));
		if (rng_pct(r, 30) &&
		    (fz->cache_timeout_s < 0 || fz->cache_timeout_s > 2))
			m_u32(m, HEY_A_CACHE_AGE_MS, rng_below(r, 1000));
		return false;
	case HEY_CMD_DEL_CACHE:
		put_key(m, &k);
		return false;
	case HEY_CMD_FLUSH_CACHE:
		if (rng_pct(r, 50))
			m_u64(m, HEY_A_CACHE_NETWORK, pool_net(r));
		return false;
	case HEY_CMD_SET_POLICY:
		build_set_policy(fz, r, m);
		return false;
	case HEY_CMD_GET_NETWORK:
		if (rng_pct(r, 50))
			return true;
		m_u32(m, HEY_A_NETWORK_IFINDEX, some_ifindex(fz, r));
		return false;
	case HEY_CMD_SET_NETWORK:
		m_u32(m, HEY_A_NETWORK_IFINDEX, some_ifindex(fz, r));
		m_u64(m, HEY_A_NETWORK_ID, rng_pct(r, 30) ? 0 :
		      rng_pct(r, 70) ? pool_net(r) :
		      rng_u64(r) & (HEY_NETWORK_DEFAULT - 1));
		return false;
	case HEY_CMD_RACE_DONE:
		m_u64(m, HEY_A_RACE_ID, rng_u64(r) >> 40);
		m_u8(m, HEY_A_RACE_STATE, HEY_STATE_CONNECTED);
		nest = m_nest_start(m, HEY_A_RACE_LEAVES | NLA_F_NESTED);
		m_nest_end(m, m_nest_start(m, HEY_A_LEAF | NLA_F_NESTED));
		m_nest_end(m, nest);
		return rng_pct(r, 30);
	case HEY_CMD_CACHE_CHANGED:
		put_key(m, &k);
		m_u8(m, HEY_A_CACHE_CHANGE, HEY_CACHE_CHANGE_UPDATED);
		return rng_pct(r, 30);
	case HEY_CMD_REGISTER_RESOLVER:
		return false;
	case HEY_CMD_RESOLVE:
		m_u64(m, HEY_A_RESOLVE_ID, rng_u64(r) >> 40);
		m_put(m, HEY_A_RESOLVE_NAME, "www.example.com", 16);
		return rng_pct(r, 30);
	case HEY_CMD_RESOLVE_ANSWER:
		build_answer(fz, r, m);
		return false;
	default:	/* UNSPEC, and beyond HEY_CMD_MAX */
		if (rng_pct(r, 50))
			m_u32(m, 1 + rng_below(r, 8), (uint32_t)rng_u64(r));
		return rng_pct(r, 30);
	}
}

/* A top-level attribute type the command takes, or -1. */
static int taken_type(const struct cspec *c, struct rng *r)
{
	int n = 0, i, t;

	for (i = 1; i < 64; i++)
		n += takes(c, i);
	if (!n)
		return -1;
	t = rng_below(r, n);
	for (i = 1; i < 64; i++)
		if (takes(c, i) && !t--)
			return i;
	return -1;
}

/* A type the command refuses: 0, past MAX, or one it does not take. */
static uint16_t refused_type(const struct cspec *c, struct rng *r)
{
	uint16_t max = space_max[c->space];
	int i, n = 0, t;

	switch (rng_below(r, 4)) {
	case 0:
		return 0;
	case 1:
		return max + 1 + rng_below(r, 8);
	case 2:
		return rng_pct(r, 50) ? NLA_TYPE_MASK :
		       max + 1 + rng_below(r, NLA_TYPE_MASK - max);
	}
	for (i = 1; i <= max; i++)
		n += !takes(c, i);
	if (!n)
		return max + 1;
	t = rng_below(r, n);
	for (i = 1; i <= max; i++)
		if (!takes(c, i) && !t--)
			return i;
	return max + 1;
}

static struct nlattr *m_attr(struct fmsg *m, unsigned int i)
{
	return (struct nlattr *)(m->buf + m->attr_off[i]);
}

/*
 * Out-of-range values. strict: the uapi comment says the value is
 * refused (only where the command takes the attribute; one it does not
 * take is refused anyway).
 */
struct oor {
	enum space space;
	uint16_t type;
	uint64_t v;
	bool strict;
	const char *what;
};

static const struct oor oors[] = {
	{ SP_CACHE, HEY_A_CACHE_PORT, 0, false, "port 0" },
	{ SP_CACHE, HEY_A_CACHE_FAMILY, 99, true, "family 99" },
	{ SP_CACHE, HEY_A_CACHE_FAMILY, 0xffff, true, "family 65535" },
	{ SP_CACHE, HEY_A_CACHE_PROTOCOL, 0, true, "protocol 0" },
	{ SP_CACHE, HEY_A_CACHE_PROTOCOL, 99, true, "protocol 99" },
	{ SP_CACHE, HEY_A_CACHE_RESULT, 0, true, "result 0" },
	{ SP_CACHE, HEY_A_CACHE_RESULT, __HEY_CACHE_RESULT_MAX, true,
	  "result past max" },
	{ SP_CACHE, HEY_A_CACHE_NETWORK, 0, false, "network 0" },
	{ SP_CACHE, HEY_A_CACHE_NETWORK, HEY_NETWORK_DEFAULT | 999999, false,
	  "network with bit 63" },
	{ SP_CACHE, HEY_A_CACHE_NETWORK, ~0ULL, false, "network ~0" },
	{ SP_CACHE, HEY_A_CACHE_ERROR, 0, false, "error 0" },
	{ SP_CACHE, HEY_A_CACHE_ERROR, 0xffffffff, false, "error ~0" },
	{ SP_CACHE, HEY_A_CACHE_AGE_MS, 0xffffffff, false, "age 2^32-1 ms" },
	{ SP_CACHE, HEY_A_CACHE_ADDR, 0, true, "address of the other family" },
	{ SP_POLICY, HEY_A_POLICY_MODE, __HEY_RACE_MAX, true, "mode past max" },
	{ SP_POLICY, HEY_A_POLICY_MODE, 0xffffffff, true, "mode ~0" },
	{ SP_POLICY, HEY_A_POLICY_MIN_DELAY_MS, 0, true, "min delay 0" },
	{ SP_POLICY, HEY_A_POLICY_MIN_DELAY_MS, 9, true, "min delay 9" },
	{ SP_POLICY, HEY_A_POLICY_MIN_DELAY_MS, 60001, true,
	  "min delay 60001" },
	{ SP_POLICY, HEY_A_POLICY_MIN_DELAY_MS, 0xffffffff, true,
	  "min delay 2^32-1" },
	{ SP_POLICY, HEY_A_POLICY_MAX_DELAY_MS, 0, true, "max delay 0" },
	{ SP_POLICY, HEY_A_POLICY_MAX_DELAY_MS, 0xffffffff, false,
	  "max delay 2^32-1" },
	{ SP_POLICY, HEY_A_POLICY_DEFAULT_DELAY_MS, 0, false,
	  "default delay 0" },
	{ SP_POLICY, HEY_A_POLICY_DEFAULT_DELAY_MS, 0xffffffff, false,
	  "default delay 2^32-1" },
	{ SP_POLICY, HEY_A_POLICY_ALLOWED, 1, true, "allowed bit 0" },
	{ SP_POLICY, HEY_A_POLICY_ALLOWED, BIT(__HEY_PROTO_MAX), true,
	  "allowed bit past max" },
	{ SP_POLICY, HEY_A_POLICY_ALLOWED, 0xffffffff, true, "allowed ~0" },
	{ SP_POLICY, HEY_A_POLICY_ALLOWED, 0, false, "allowed 0" },
	{ SP_POLICY, HEY_A_POLICY_MAX_LEAVES, 0, true, "max leaves 0" },
	{ SP_POLICY, HEY_A_POLICY_MAX_LEAVES, HEY_MAX_LEAVES + 1, true,
	  "max leaves 17" },
	{ SP_POLICY, HEY_A_POLICY_MAX_RACES, 0, true, "max races 0" },
	{ SP_POLICY, HEY_A_POLICY_MAX_RACES, 1048577, true,
	  "max races 2^20+1" },
	{ SP_POLICY, HEY_A_POLICY_PROTOCOLS, 0, true, "protocol 0 in list" },
	{ SP_POLICY, HEY_A_POLICY_PROTOCOLS, 99, true, "protocol 99 in list" },
	{ SP_POLICY, HEY_A_POLICY_PROTOCOLS, 0x0101, true, "protocol twice" },
	{ SP_POLICY, HEY_A_POLICY_PROTOCOLS, 0x01030201, true,
	  "four protocols" },
	{ SP_POLICY, HEY_A_POLICY_PREFER, 0, true, "prefer ifindex 0" },
	{ SP_POLICY, HEY_A_POLICY_PREFER, 999999, true,
	  "prefer ifindex 999999" },
	{ SP_POLICY, HEY_A_POLICY_EXCLUDE, 999999, true,
	  "exclude ifindex 999999" },
	{ SP_NETWORK, HEY_A_NETWORK_IFINDEX, 0, true, "ifindex 0" },
	{ SP_NETWORK, HEY_A_NETWORK_IFINDEX, 999999, true, "ifindex 999999" },
	{ SP_NETWORK, HEY_A_NETWORK_IFINDEX, 0xffffffff, true, "ifindex ~0" },
	{ SP_NETWORK, HEY_A_NETWORK_ID, HEY_NETWORK_DEFAULT, true,
	  "id with bit 63" },
	{ SP_NETWORK, HEY_A_NETWORK_ID, ~0ULL, true, "id ~0" },
};

/*
 * Names HEY_A_CACHE_NAME refuses: by the policy (length: ERANGE) or by
 * HEY_HOST's rules (EINVAL). len 0: strlen() + 1; the 256-byte one is
 * made in bad_name().
 */
static const struct bad_name {
	const char *name;
	size_t len;
	const char *what;
} bad_names[] = {
	{ "", 0, "empty name attribute" },
	{ "", 1, "name of a NUL alone" },
	{ "a..b", 0, "name with an empty label" },
	{ ".a", 0, "name with a leading dot" },
	{ "a\tb", 0, "name with a tab" },
	{ "a\0b", 4, "name with a NUL inside" },
	{ "a\x7f", 0, "name with a DEL" },
	{ NULL, 64, "name with a label of 64 bytes" },
	{ NULL, HEY_MAX_HOST + 1, "name of 256 bytes" },
};

/* The bytes of bad_names[i] into buf (HEY_MAX_HOST + 2): its length. */
static size_t bad_name(unsigned int i, uint8_t *buf)
{
	const struct bad_name *b = &bad_names[i];
	size_t n;

	if (b->name) {
		n = b->len ? b->len : strlen(b->name) + 1;
		memcpy(buf, b->name, n);
		return n;
	}
	/* one long label, or labels of 49 bytes: no NUL either way */
	for (n = 0; n < b->len; n++)
		buf[n] = b->len == 64 || n % 50 != 49 ? 'a' : '.';
	return n;
}

/* Sets up the override for an out-of-range value; false if none fits. */
static bool pick_oor(const struct fz *fz, struct rng *r, struct fmsg *m)
{
	const struct cspec *c = cspec_of(m->cmd);
	unsigned int n = 0, i, t;
	const struct oor *o = NULL;
	uint8_t b[HEY_MAX_HOST + 2];
	size_t len;

	for (i = 0; i < ARRAY_SIZE(oors); i++)
		n += oors[i].space == c->space;
	if (c->space == SP_CACHE)
		n += ARRAY_SIZE(bad_names);
	if (!n)
		return false;
	t = rng_below(r, n);
	for (i = 0; i < ARRAY_SIZE(oors); i++)
		if (oors[i].space == c->space && !t--)
			o = &oors[i];
	if (!o) {
		/* a bad name: refused whatever the key, or not taken */
		m_what(m, "%s", bad_names[t].what);
		len = bad_name(t, b);
		m_set_override(m, HEY_A_CACHE_NAME, b, len);
		m->must_fail = true;
		return true;
	}
	m_what(m, "%s", o->what);
	if (o->type == HEY_A_CACHE_ADDR && takes(c, o->type)) {
		/* put_key() puts it, with the other family's length */
		m->addr_mismatch = true;
		return true;
	}
	if (o->type == HEY_A_CACHE_ADDR) {
		rng_bytes(r, b, 4);
		m_set_override(m, o->type, b, 4);
		m->must_fail = true;
		return true;
	}
	switch (kind_of(c->space, o->type)) {
	case K_U8:
	case K_U16:
	case K_U32:
	case K_U64:
		len = kind_len(kind_of(c->space, o->type));
		memcpy(b, &o->v, len);	/* little endian: the low bytes */
		break;
	case K_BE16:
		len = 2;
		b[0] = o->v >> 8;
		b[1] = o->v;
		break;
	case K_PROTOS:
		for (len = 0; len < 4 && (len == 0 || (o->v >> (8 * len)));
		     len++)
			b[len] = o->v >> (8 * len);
		break;
	case K_IFLIST:
		len = 4;
		memcpy(b, &o->v, 4);
		break;
	default:
		return false;
	}
	m_set_override(m, o->type, b, len);
	/* GET_NETWORK's dump takes no IFINDEX: what it does with one is open */
	m->must_fail = !takes(c, o->type) || o->strict;
	(void)fz;
	return true;
}

/*
 * The index of a top-level scalar or binary attribute of the message; one
 * the command takes (or any of its space) is added when there is none.
 */
static int scalar_type(const struct cspec *c, struct fmsg *m, struct rng *r)
{
	unsigned int i, start = m->n_attrs ? rng_below(r, m->n_attrs) : 0;
	int t;

	for (i = 0; i < m->n_attrs; i++) {
		struct nlattr *a = m_attr(m, (start + i) % m->n_attrs);
		enum kind k = kind_of(c->space, a->nla_type & NLA_TYPE_MASK);

		if (kind_len(k) || k == K_ADDR || k == K_PROTOS ||
		    k == K_IFLIST)
			return (start + i) % m->n_attrs;
	}
	t = taken_type(c, r);
	if (t < 0)
		t = 1 + rng_below(r, space_max[c->space]);
	m_u32(m, t, (uint32_t)rng_u64(r));
	return m->n_attrs - 1;
}

static void mutate(const struct fz *fz, struct rng *r, struct fmsg *m)
{
	const struct cspec *c = cspec_of(m->cmd);
	uint16_t max = space_max[c->space];
	uint8_t junk[640];
	struct nlattr *a;
	size_t len;
	int i, t;

	switch (m->mut) {
	case MUT_NONE:
	case MUT_OUT_OF_RANGE:	/* set up before building */
	case __MUT_MAX:
		break;
	case MUT_ATTR_TYPE: {
		uint16_t type = refused_type(c, r);

		len = rng_below(r, 9);
		rng_bytes(r, junk, len);
		m_put(m, type, junk, len);
		m_what(m, "type %u, %zu bytes", type, len);
		m->must_fail = true;
		break;
	}
	case MUT_ATTR_LEN: {
		static const size_t lens[] = { 0, 1, 3, 7, 17, 4096 };
		enum kind k;

		a = NULL;
		t = taken_type(c, r);
		if (t < 0)
			t = 1 + rng_below(r, max);
		k = kind_of(c->space, t);
		do
			len = lens[rng_below(r, ARRAY_SIZE(lens))];
		while (len == kind_len(k) || (k == K_ADDR && len == 4));
		rng_bytes(r, m->ovr, len);
		/* replace it in place when it is there, else add it */
		for (i = 0; i < (int)m->n_attrs; i++) {
			a = m_attr(m, i);
			if ((a->nla_type & NLA_TYPE_MASK) == t)
				break;
		}
		if (a && i < (int)m->n_attrs && NLA_ALIGN(len) == (size_t)
		    NLA_ALIGN(a->nla_len - NLA_HDRLEN)) {
			a->nla_len = NLA_HDRLEN + len;
			memcpy(a + 1, m->ovr, len);
		} else {
			m_put(m, t, m->ovr, len);
		}
		m_what(m, "type %d with %zu bytes", t, len);
		/* random bytes of a name may make a good one */
		m->must_fail = !takes(c, t) || kind_len(k) || k == K_ADDR ||
			       (k == K_IFLIST && len % 4) ||
			       (k == K_PROTOS && len > HEY_MAX_PROTOCOLS) ||
			       (k == K_NAME && (!len || len > HEY_MAX_HOST + 1));
		break;
	}
	case MUT_TRUNC_NLA:
		len = 1 + rng_below(r, 3);
		if (rng_pct(r, 50)) {
			rng_bytes(r, m->buf + m->len, len);
			m->len += len;
			m_what(m, "%zu bytes after the last attribute", len);
		} else {
			a = (struct nlattr *)(m->buf + m->len);
			a->nla_len = rng_below(r, NLA_HDRLEN);
			a->nla_type = 1 + rng_below(r, max);
			m->len += NLA_HDRLEN;
			m_what(m, "an attribute header with nla_len %u",
			       a->nla_len);
		}
		m->must_fail = true;
		break;
	case MUT_NLA_LEN_BIG:
		i = m->n_attrs ? (int)rng_below(r, m->n_attrs) :
			scalar_type(c, m, r);
		a = m_attr(m, i);
		len = m->len - m->attr_off[i] + 1 + rng_below(r, 1000);
		a->nla_len = len > NLA_MAX_LEN ? NLA_MAX_LEN : len;
		m_what(m, "attribute %d of %u: nla_len %u, %zu bytes left", i,
		       m->n_attrs, a->nla_len, m->len - m->attr_off[i]);
		m->must_fail = true;
		break;
	case MUT_NESTED_FLAG:
		i = scalar_type(c, m, r);
		a = m_attr(m, i);
		if (rng_pct(r, 75)) {
			a->nla_type |= NLA_F_NESTED;
			m->must_fail = true;
		} else {
			/* the core ignores the byte-order bit */
			a->nla_type |= NLA_F_NET_BYTEORDER;
			m->must_fail = !takes(c, a->nla_type & NLA_TYPE_MASK);
		}
		m_what(m, "type 0x%x", a->nla_type);
		break;
	case MUT_DEEP_NEST: {
		long off[32];
		bool flag = rng_pct(r, 70);

		t = taken_type(c, r);
		if (t < 0)
			t = 1 + rng_below(r, max);
		for (i = 0; i < 32; i++) {
			uint32_t type = i ? 1 + rng_below(r, max) : (uint32_t)t;

			off[i] = m_nest_start(m, type |
					      (flag ? NLA_F_NESTED : 0));
		}
		m_u32(m, 1 + rng_below(r, max), (uint32_t)rng_u64(r));
		for (i = 31; i >= 0; i--)
			m_nest_end(m, off[i]);
		m_what(m, "32 levels in type %d%s", t,
		       flag ? ", NLA_F_NESTED" : "");
		m->must_fail = true;
		break;
	}
	case MUT_NEST_GARBAGE:
		t = taken_type(c, r);
		if (t < 0)
			t = 1 + rng_below(r, max);
		len = 1 + rng_below(r, 64);
		rng_bytes(r, junk, len);
		m_put(m, t | NLA_F_NESTED, junk, len);
		m_what(m, "type %d nested, %zu random bytes", t, len);
		m->must_fail = true;
		break;
	case MUT_RANDOM_BYTES:
		len = rng_below(r, sizeof(junk));
		rng_bytes(r, junk, len);
		m->len = NLMSG_HDRLEN + GENL_HDRLEN;
		memcpy(m->buf + m->len, junk, len);
		m->len += len;
		m->n_attrs = 0;
		m_what(m, "%zu random bytes", len);
		break;
	case MUT_DUPLICATE:
		if (!m->n_attrs) {
			t = 1 + rng_below(r, max);
			m_u32(m, t, 1);
			m_u32(m, t, 2);
			m_what(m, "type %d twice", t);
			/* a u32 the command takes may well be valid */
			m->must_fail = !takes(c, t) ||
				       kind_of(c->space, t) != K_U32;
			break;
		}
		a = m_attr(m, rng_below(r, m->n_attrs));
		len = NLA_ALIGN(a->nla_len);
		if (m->len + len <= sizeof(m->buf)) {
			memcpy(m->buf + m->len, a, len);
			m->len += len;
		}
		m_what(m, "type %u twice", a->nla_type & NLA_TYPE_MASK);
		break;
	case MUT_GENL_RESERVED:
		m_genl(m)->reserved = 1 + rng_below(r, 0xffff);
		m_what(m, "reserved 0x%x", m_genl(m)->reserved);
		m->hdr_bad = true;
		break;
	case MUT_GENL_VERSION: {
		static const uint8_t versions[] = { 0, 255, 2 };

		t = rng_below(r, ARRAY_SIZE(versions) + 1);
		m_genl(m)->version = t < (int)ARRAY_SIZE(versions) ?
				     versions[t] : (uint8_t)rng_u64(r);
		m_what(m, "version %u", m_genl(m)->version);
		break;
	}
	case MUT_OVERSIZE:
		if (rng_pct(r, 50)) {
			/* one unknown attribute of about 64 KiB */
			len = 60000 + rng_below(r, NLA_MAX_LEN - NLA_HDRLEN -
						   60000 - 3);
			if (m->len + NLA_ALIGN(NLA_HDRLEN + len) >
			    sizeof(m->buf))
				len = sizeof(m->buf) - m->len - NLA_HDRLEN - 4;
			a = (struct nlattr *)(m->buf + m->len);
			a->nla_len = NLA_HDRLEN + len;
			a->nla_type = max + 1;
			rng_bytes(r, a + 1, len);
			memset((uint8_t *)(a + 1) + len, 0,
			       NLA_ALIGN(len) - len);
			m->len += NLA_ALIGN(NLA_HDRLEN + len);
			m_what(m, "unknown attribute of %zu bytes", len);
			m->must_fail = true;
		} else {
			/* one attribute again and again */
			if (!m->n_attrs)
				scalar_type(c, m, r);
			a = m_attr(m, 0);
			len = NLA_ALIGN(a->nla_len);
			t = a->nla_type & NLA_TYPE_MASK;
			while (m->len + len <= 64 * 1024)
				m_put(m, a->nla_type, a + 1,
				      a->nla_len - NLA_HDRLEN);
			m_what(m, "type %d repeated to %zu bytes", t, m->len);
			m->must_fail = !takes(c, t);
		}
		break;
	case MUT_FLAGS: {
		static const uint16_t odd[] = {
			NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_REPLACE,
			NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, 0x1000, 0x8000,
			NLM_F_MULTI,
		};
		struct nlmsghdr *nlh = m_nlh(m);

		switch (rng_below(r, 4)) {
		case 0:
			/* the kernel acks a non-request without looking */
			nlh->nlmsg_flags &= ~NLM_F_REQUEST;
			nlh->nlmsg_flags |= NLM_F_ACK;
			m->request = false;
			break;
		case 1:
			nlh->nlmsg_flags |= NLM_F_ECHO;
			break;
		default: {
			uint16_t f;

			if (m->dump && rng_pct(r, 50))
				nlh->nlmsg_flags &= ~NLM_F_MATCH;
			nlh->nlmsg_flags |= odd[rng_below(r, ARRAY_SIZE(odd))];
			m->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
			/* what genl_header_check() lets through */
			f = nlh->nlmsg_flags & ~(m->dump ? NLM_F_DUMP : 0);
			m->hdr_bad = f & ~(NLM_F_REQUEST | NLM_F_ACK |
					   NLM_F_ECHO);
			break;
		}
		}
		m_what(m, "nlmsg_flags 0x%x", nlh->nlmsg_flags);
		break;
	}
	case MUT_MODE:
		m->dump = !m->dump;
		if (!m->dump)
			m_nlh(m)->nlmsg_flags &= ~NLM_F_DUMP;
		else
			m_nlh(m)->nlmsg_flags |= NLM_F_DUMP;
		m_what(m, "sent as a %s", m->dump ? "dump" : "do");
		break;
	case MUT_TRUNC_GENL:
		m->len = NLMSG_HDRLEN + rng_below(r, GENL_HDRLEN);
		m_what(m, "nlmsg_len %zu", m->len);
		m->hdr_bad = true;
		break;
	}
	(void)fz;
}

/*
 * Request @index of run @run: which command, valid or mutated, do or dump,
 * with or without NLM_F_ACK, all from (seed, run, index).
 */
static void gen_message(const struct fz *fz, unsigned int run,
			unsigned int index, uint32_t seq, struct fmsg *m)
{
	struct rng r;
	unsigned int cmd;
	enum mut mut;
	bool dump;

	rng_init(&r, fz->seed, (uint64_t)run << 32 | index);
	cmd = rng_pct(&r, 93) ? rng_below(&r, __HEY_CMD_MAX) :
	      __HEY_CMD_MAX + rng_below(&r, 256 - __HEY_CMD_MAX);
	mut = rng_pct(&r, 30) ? MUT_NONE : 1 + rng_below(&r, __MUT_MAX - 1);
	/* 64 KiB costs the debug kernel tens of ms: a third as often */
	if (mut == MUT_OVERSIZE && rng_pct(&r, 67))
		do
			mut = 1 + rng_below(&r, __MUT_MAX - 1);
		while (mut == MUT_OVERSIZE);

	m_start(m, fz->family, cmd);
	m->mut = mut;
	if (mut == MUT_OUT_OF_RANGE && !pick_oor(fz, &r, m)) {
		mut = MUT_ATTR_TYPE;
		m->mut = mut;
	}
	dump = build_valid(fz, &r, m);
	m->dump = dump;
	/* GET_NETWORK's dump takes no IFINDEX: what it does with one is open */
	if (mut == MUT_OUT_OF_RANGE && dump && cmd == HEY_CMD_GET_NETWORK &&
	    m->ovr_type == HEY_A_NETWORK_IFINDEX)
		m->must_fail = false;
	m_nlh(m)->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0) |
				(rng_pct(&r, 50) ? NLM_F_ACK : 0);
	mutate(fz, &r, m);
	m_finish(m);
	m_nlh(m)->nlmsg_seq = seq;
}

/* ---- the oracle ------------------------------------------------------ */

struct expect {
	int errs[6];		/* errnos the request may get */
	unsigned int n_errs;
	bool ok;		/* it may succeed */
	bool must_ok;		/* it must (a valid request) */
	bool reply;		/* a successful do owes a data reply */
};

static void allow(struct expect *e, int err)
{
	e->errs[e->n_errs++] = err;
}

static bool allowed(const struct expect *e, int err)
{
	unsigned int i;

	for (i = 0; i < e->n_errs; i++)
		if (e->errs[i] == err)
			return true;
	return false;
}

static void expect_for(const struct fmsg *m, bool priv, struct expect *e)
{
	const struct cspec *c = cspec_of(m->cmd);

	memset(e, 0, sizeof(*e));
	if (!m->request) {		/* acked, never looked at */
		e->ok = true;
		e->must_ok = true;
		return;
	}
	/* the genl core checks the header before the command and privilege */
	if (m->hdr_bad) {
		allow(e, EINVAL);
		return;
	}
	if (!c->mode) {
		allow(e, EOPNOTSUPP);
		return;
	}
	if (c->admin && !priv) {
		allow(e, EPERM);
		return;
	}
	if (!(c->mode & (m->dump ? M_DUMP : M_DO))) {
		/* a GET may grow the other form one day; a write may not */
		allow(e, EOPNOTSUPP);
		allow(e, EINVAL);
		e->ok = !c->admin;
		e->reply = !m->dump && !c->admin;
		return;
	}
	e->reply = !m->dump && !c->admin;
	/*
	 * Another socket may be the resolver (EBUSY); no race waits for an
	 * answer, which the resolver alone may give (EPERM, else ENOENT).
	 */
	if (m->cmd == HEY_CMD_REGISTER_RESOLVER)
		allow(e, EBUSY);
	if (m->cmd == HEY_CMD_RESOLVE_ANSWER) {
		allow(e, EPERM);
		allow(e, ENOENT);
	}
	if (m->mut == MUT_NONE) {
		e->ok = m->cmd != HEY_CMD_RESOLVE_ANSWER;
		e->must_ok = e->ok && m->cmd != HEY_CMD_REGISTER_RESOLVER;
		if (m->cmd == HEY_CMD_DEL_CACHE)
			allow(e, ENOENT);
		return;
	}
	allow(e, EINVAL);
	/* the core's policy checks: a value out of range, a wrong size */
	allow(e, ERANGE);
	if (c->ifindex)
		allow(e, ENODEV);
	if (m->must_fail)
		return;
	e->ok = true;
	if (m->cmd == HEY_CMD_DEL_CACHE)
		allow(e, ENOENT);
}

static void expect_str(const struct expect *e, char *buf, size_t n)
{
	unsigned int i;
	size_t o = 0;

	buf[0] = '\0';
	if (e->ok)
		o += snprintf(buf + o, n - o, "success");
	for (i = 0; i < e->n_errs && o < n; i++)
		o += snprintf(buf + o, n - o, "%s%s", o ? " or " : "",
			      errname(e->errs[i]));
}

/* ---- raw netlink ----------------------------------------------------- */

struct nlsk {
	int fd;
	uint32_t portid;
};

static uint8_t rbuf[FZ_RBUF] __attribute__((aligned(8)));

static int nlsk_open(struct nlsk *s, unsigned int timeout_ms)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };
	socklen_t sl = sizeof(sa);
	int one = 1, rcvbuf = 1 << 20;

	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sl) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		int err = -errno;

		close(s->fd);
		s->fd = -1;
		return err;
	}
	/* capped at net.core.rmem_max without CAP_NET_ADMIN: fine */
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	s->portid = sa.nl_pid;
	return 0;
}

static void nlsk_close(struct nlsk *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int nlsk_send(struct nlsk *s, const void *buf, size_t len)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&k,
			   sizeof(k));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/*
 * The attribute at *p of the *rem bytes left, which it then steps over;
 * NULL at the end, and then *bad (if set) says whether the bytes did not
 * end with a whole attribute.
 */
static const struct nlattr *attr_next(const uint8_t **p, size_t *rem,
				      bool *bad)
{
	const struct nlattr *a = (const void *)*p;
	size_t step;

	if (*rem < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
	    a->nla_len > *rem) {
		if (bad)
			*bad = *rem != 0;
		return NULL;
	}
	step = NLA_ALIGN(a->nla_len);
	if (step > *rem)	/* the last one's padding may be missing */
		step = *rem;
	*p += step;
	*rem -= step;
	return a;
}

static const uint8_t *attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* The same for the messages of a datagram. */
static const struct nlmsghdr *msg_next(const uint8_t **p, size_t *rem,
				       bool *bad)
{
	const struct nlmsghdr *nlh = (const void *)*p;
	size_t step;

	if (*rem < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > *rem) {
		*bad = *rem != 0;
		return NULL;
	}
	step = NLMSG_ALIGN(nlh->nlmsg_len);
	if (step > *rem)
		step = *rem;
	*p += step;
	*rem -= step;
	return nlh;
}

/* NULL, or what is wrong with these attributes and those nested in them. */
static const char *attrs_check(const uint8_t *p, size_t len, int depth)
{
	const struct nlattr *a;
	const char *bad;
	bool left = false;

	while ((a = attr_next(&p, &len, &left))) {
		if (!(a->nla_type & NLA_F_NESTED) || depth >= 8)
			continue;
		bad = attrs_check(attr_data(a), attr_len(a), depth + 1);
		if (bad)
			return bad;
	}
	return left ? "an attribute past its message" : NULL;
}

/* Attribute @type among attrs, or NULL. */
static const struct nlattr *attr_find(const uint8_t *p, size_t len,
				      unsigned int type)
{
	const struct nlattr *a;

	while ((a = attr_next(&p, &len, NULL)))
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

typedef void (*on_data_t)(uint8_t cmd, const uint8_t *attrs, size_t len,
			  void *arg);

/* What ends a request's answer. */
enum wait {
	W_ERR,		/* its NLMSG_ERROR (NLM_F_ACK, or no request) */
	W_DUMP,		/* its NLMSG_DONE, or an NLMSG_ERROR */
	/* nothing: a do without NLM_F_ACK owes no answer when it succeeds */
	W_NONE,
};

struct answer {
	int err;		/* positive errno, 0 */
	bool have_err;		/* an NLMSG_ERROR for the request */
	bool done;		/* an NLMSG_DONE for it */
	unsigned int data;	/* family messages for it */
	unsigned int stray;	/* messages for no request of the batch */
	bool timeout;
	const char *bad;	/* the first malformed reply */
	char extack[160];
};

/* One request of a batch, and what came back for it. */
struct pending {
	uint32_t seq;
	enum wait w;
	bool ended;
	struct answer a;
};

/* Takes one message for @p; returns true when it ends @p's answer. */
static bool absorb(const struct nlmsghdr *nlh, uint16_t family,
		   struct pending *p, on_data_t on_data, void *arg)
{
	struct answer *a = &p->a;
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (plen < sizeof(*e)) {
			a->bad = a->bad ?: "short NLMSG_ERROR";
			return true;
		}
		if (e->error > 0)
			a->bad = a->bad ?: "positive error in NLMSG_ERROR";
		if (a->have_err)
			a->bad = a->bad ?: "two NLMSG_ERRORs for one request";
		a->have_err = true;
		a->err = -e->error;
		heynl_extack_msg(nlh, nlh->nlmsg_len, a->extack,
				 sizeof(a->extack));
		return true;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (p->w != W_DUMP || plen < sizeof(int)) {
			a->bad = a->bad ?: "NLMSG_DONE for no dump";
			return true;
		}
		a->done = true;
		a->err = -*(const int *)NLMSG_DATA(nlh);
		heynl_extack_msg(nlh, nlh->nlmsg_len, a->extack,
				 sizeof(a->extack));
		return true;
	}
	if (nlh->nlmsg_type == family && plen >= GENL_HDRLEN) {
		const struct genlmsghdr *g = NLMSG_DATA(nlh);
		const uint8_t *at = (const uint8_t *)g + GENL_HDRLEN;
		const char *bad = attrs_check(at, plen - GENL_HDRLEN, 0);

		if (bad)
			a->bad = a->bad ?: bad;
		if (a->have_err || a->done)
			a->bad = a->bad ?: "a reply after the request's end";
		a->data++;
		if (on_data && !bad)
			on_data(g->cmd, at, plen - GENL_HDRLEN, arg);
		return false;
	}
	a->bad = a->bad ?: "a reply of an unexpected type";
	return false;
}

/*
 * Reads the answers to the @n requests of a datagram, the last of which,
 * @p[n - 1], may be a sentinel (GET_STATUS with NLM_F_ACK, W_ERR) that a
 * W_NONE request relies on: the kernel handles the requests of a datagram
 * in order within sendmsg(), so whatever a request answers comes before
 * the answers of the requests after it, but for a dump's later parts,
 * which come as it is read. Reads until every request but the W_NONE ones
 * has ended. Returns 0, or -ETIMEDOUT when the answers stopped short.
 */
static int collect(struct nlsk *s, uint16_t family, struct pending *p,
		   unsigned int n, on_data_t on_data, void *arg)
{
	unsigned int i, open = 0;

	for (i = 0; i < n; i++) {
		memset(&p[i].a, 0, sizeof(p[i].a));
		p[i].ended = false;
		open += p[i].w != W_NONE;
	}
	while (open) {
		ssize_t len = recv(s->fd, rbuf, sizeof(rbuf), MSG_TRUNC);
		const struct nlmsghdr *nlh;
		const uint8_t *at = rbuf;
		bool left = false;
		size_t rem;

		if (len < 0) {
			bool timeout = errno == EAGAIN || errno == EWOULDBLOCK;

			for (i = 0; i < n; i++) {
				if (p[i].ended)
					continue;
				if (timeout)
					p[i].a.timeout = true;
				else
					p[i].a.bad = p[i].a.bad ?:
						"recv() failed (overrun?)";
			}
			return -ETIMEDOUT;
		}
		if (len > (ssize_t)sizeof(rbuf)) {
			p[0].a.bad = "a datagram larger than 256 KiB";
			len = sizeof(rbuf);
		}
		rem = len;
		while ((nlh = msg_next(&at, &rem, &left))) {
			if (nlh->nlmsg_pid != s->portid)
				p[0].a.bad = p[0].a.bad ?:
					"a reply to another port id";
			for (i = 0; i < n && p[i].seq != nlh->nlmsg_seq; i++)
				;
			if (i == n) {
				p[0].a.stray++;
			} else if (absorb(nlh, family, &p[i], on_data, arg) &&
				   !p[i].ended) {
				p[i].ended = true;
				open -= p[i].w != W_NONE;
			}
		}
		if (left)
			p[0].a.bad = p[0].a.bad ?:
				"nlmsg_len past the datagram";
	}
	return 0;
}

/* A well-formed request of our own (snapshots, restores), with an ack. */
static int request(struct nlsk *s, uint16_t family, struct fmsg *m,
		   uint32_t seq, on_data_t on_data, void *arg, char *extack,
		   size_t exlen)
{
	struct pending p = { .seq = seq };
	int ret;

	m_finish(m);
	m_nlh(m)->nlmsg_flags |= NLM_F_ACK;
	m_nlh(m)->nlmsg_seq = seq;
	m->dump = (m_nlh(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	p.w = m->dump ? W_DUMP : W_ERR;
	ret = nlsk_send(s, m->buf, m->len);
	if (ret)
		return ret;
	ret = collect(s, family, &p, 1, on_data, arg);
	if (extack)
		snprintf(extack, exlen, "%s", p.a.extack);
	if (ret)
		return ret;
	if (p.a.bad || p.a.stray)
		return -EBADMSG;
	return -p.a.err;
}

static struct fmsg ctl_msg;	/* for request() */
static uint32_t ctl_seq = 0x70000000;

struct resolve {
	uint16_t id;
	uint32_t grp;
	unsigned int n_grps;
};

static void on_family(uint8_t cmd, const uint8_t *at, size_t len, void *arg)
{
	struct resolve *res = arg;
	const struct nlattr *a = attr_find(at, len, CTRL_ATTR_FAMILY_ID);
	const struct nlattr *grps, *nest, *g;
	const uint8_t *p;
	size_t rem;

	(void)cmd;
	if (a && attr_len(a) >= 2)
		memcpy(&res->id, attr_data(a), 2);
	grps = attr_find(at, len, CTRL_ATTR_MCAST_GROUPS);
	if (!grps)
		return;
	p = attr_data(grps);
	rem = attr_len(grps);
	while ((nest = attr_next(&p, &rem, NULL))) {
		a = attr_find(attr_data(nest), attr_len(nest),
			      CTRL_ATTR_MCAST_GRP_NAME);
		g = attr_find(attr_data(nest), attr_len(nest),
			      CTRL_ATTR_MCAST_GRP_ID);
		if (a && g && attr_len(g) >= 4 &&
		    !strncmp((const char *)attr_data(a), HEY_MCGRP_EVENTS,
			     attr_len(a)))
			memcpy(&res->grp, attr_data(g), 4);
		res->n_grps++;
	}
}

/*
 * The family id (CTRL_CMD_GETFAMILY), its events group and how many
 * groups it has: 0 or -errno.
 */
static int resolve_family(struct nlsk *s, uint16_t *id, uint32_t *grp,
			  unsigned int *n_grps)
{
	struct resolve res = { 0, 0, 0 };
	int ret;

	m_start(&ctl_msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	m_genl(&ctl_msg)->version = 1;
	m_put(&ctl_msg, CTRL_ATTR_FAMILY_NAME, HEY_GENL_NAME,
	      sizeof(HEY_GENL_NAME));
	ret = request(s, GENL_ID_CTRL, &ctl_msg, ctl_seq += 2, on_family,
		      &res, NULL, 0);
	if (ret)
		return ret;
	if (!res.id)
		return -ENOENT;
	*id = res.id;
	*grp = res.grp;
	*n_grps = res.n_grps;
	return 0;
}

/* Whether nobody may join a group (a finding: 1) when it exists. */
static unsigned int nobody_joins(const struct fz *fz, uint32_t grp,
				 const char *name)
{
	struct nlsk s;
	int ret;

	if (!grp || nlsk_open(&s, fz->timeout_ms))
		return 0;
	ret = setsockopt(s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			 sizeof(grp)) ? errno : 0;
	nlsk_close(&s);
	if (ret != EPERM) {
		flog("FAIL nobody joining \"%s\": %s, expected EPERM", name,
		     ret ? strerror(ret) : "success");
		return 1;
	}
	return 0;
}

/* ---- one run --------------------------------------------------------- */

enum {
	RES_OK, RES_EPERM, RES_EINVAL, RES_EOPNOTSUPP, RES_ENODEV, RES_ENOENT,
	RES_ERANGE, RES_OTHER, RES_NONE, __RES_MAX
};
static const char *const r_name[] = { "ok", "EPERM", "EINVAL", "EOPNOTSUPP",
				      "ENODEV", "ENOENT", "ERANGE", "other",
				      "none" };

struct run {
	const char *name;
	bool priv;
	unsigned int run;	/* 0: root, 1: nobody */
	unsigned int sent;
	unsigned int by_mut[__MUT_MAX];
	unsigned int by_cmd[__HEY_CMD_MAX + 1][__RES_MAX];
	double cmd_seconds[__HEY_CMD_MAX + 1];
	double mut_seconds[__MUT_MAX];
	unsigned int findings;
	unsigned int set_cache_ok;
	/* findings alike: the same kind, command, shape, form and errno */
	struct sig {
		const char *kind;
		uint8_t cmd;
		enum mut mut;
		bool dump;
		int err;
		unsigned int n, first;
		char text[160];
	} sigs[FZ_SIGS];
	unsigned int n_sigs;
	double seconds;
};

static void hexdump(const uint8_t *p, size_t len)
{
	size_t i, show = len > 192 ? 192 : len;
	char line[3 * 32 + 1];

	for (i = 0; i < show; i += 32) {
		size_t j, o = 0;

		for (j = i; j < show && j < i + 32; j++)
			o += snprintf(line + o, sizeof(line) - o, "%02x", p[j]);
		flog("    %s", line);
	}
	if (show < len)
		flog("    ... %zu bytes in all", len);
}

/*
 * One finding. The first of its kind (kind, command, shape, do or dump,
 * errno) is printed in full with what replays it; the others are counted.
 */
static void finding(struct run *rn, const struct fz *fz, const struct fmsg *m,
		    unsigned int index, const char *kind, int err,
		    const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void finding(struct run *rn, const struct fz *fz, const struct fmsg *m,
		    unsigned int index, const char *kind, int err,
		    const char *fmt, ...)
{
	struct sig *g = NULL;
	unsigned int i;
	va_list ap;

	rn->findings++;
	for (i = 0; i < rn->n_sigs; i++) {
		g = &rn->sigs[i];
		if (g->kind == kind && g->cmd == m->cmd && g->mut == m->mut &&
		    g->dump == m->dump && g->err == err) {
			g->n++;
			return;
		}
	}
	if (rn->n_sigs == FZ_SIGS)
		return;
	g = &rn->sigs[rn->n_sigs++];
	*g = (struct sig){ kind, m->cmd, m->mut, m->dump, err, 1, index, "" };
	va_start(ap, fmt);
	vsnprintf(g->text, sizeof(g->text), fmt, ap);
	va_end(ap);
	flog("FAIL %s #%u %s %s (%s%s%s, flags 0x%x): %s", rn->name, index,
	     cspec_of(m->cmd)->name, mut_name[m->mut], m->what,
	     m->what[0] ? ", " : "", m->dump ? "dump" : "do",
	     ((const struct nlmsghdr *)m->buf)->nlmsg_flags, g->text);
	flog("  replay: HEY_FUZZ_SEED=0x%016" PRIx64 " HEY_FUZZ_ONLY=%u "
	     "(run %s), %zu bytes:", fz->seed, index, rn->name, m->len);
	hexdump(m->buf, m->len);
}

static int result_bucket(const struct answer *a)
{
	static const int errs[] = {
		[RES_EPERM] = EPERM, [RES_EINVAL] = EINVAL,
		[RES_EOPNOTSUPP] = EOPNOTSUPP, [RES_ENODEV] = ENODEV,
		[RES_ENOENT] = ENOENT, [RES_ERANGE] = ERANGE,
	};
	int i;

	if (!a->err)
		return a->have_err || a->done || a->data ? RES_OK : RES_NONE;
	for (i = RES_EPERM; i <= RES_ERANGE; i++)
		if (errs[i] == a->err)
			return i;
	return RES_OTHER;
}

static void check_answer(struct run *rn, const struct fz *fz,
			 const struct fmsg *m, unsigned int index,
			 const struct expect *e, const struct answer *a)
{
	bool answered = a->have_err || a->done || a->data;
	char exp[96];

	expect_str(e, exp, sizeof(exp));
	if (a->timeout) {
		finding(rn, fz, m, index, "no answer", 0,
			"no answer within %u ms", fz->timeout_ms);
		return;
	}
	if (a->bad)
		finding(rn, fz, m, index, "malformed reply", 0, "%s", a->bad);
	if (a->stray)
		finding(rn, fz, m, index, "stray reply", 0,
			"%u replies with a foreign sequence number", a->stray);
	if (a->err) {
		if (!allowed(e, a->err))
			finding(rn, fz, m, index, "errno", a->err,
				"%s (extack \"%s\"), expected %s",
				errname(a->err), a->extack, exp);
		else if (a->err == EINVAL && !a->extack[0] &&
			 m->mut != MUT_TRUNC_GENL)
			/* the genl core says nothing of a header cut short */
			finding(rn, fz, m, index, "no extack", a->err,
				"EINVAL without an extack message");
		return;
	}
	if (!e->ok) {
		finding(rn, fz, m, index, "accepted", 0,
			"succeeded (%u replies), expected %s", a->data, exp);
		return;
	}
	/* only a write done without NLM_F_ACK may go unanswered */
	if (!answered && (e->reply || !cspec_of(m->cmd)->admin || m->dump))
		finding(rn, fz, m, index, "no answer", 0,
			"no answer at all (sentinel acked)");
	if (e->reply && !a->data)
		finding(rn, fz, m, index, "no reply", 0,
			"succeeded without the reply a GET owes");
	if (m->cmd == HEY_CMD_SET_CACHE && rn->priv)
		rn->set_cache_ok++;
}

/* ---- events ---------------------------------------------------------- */

struct events {
	struct nlsk sk;
	unsigned int race_done, cache_changed, overruns, bad;
};

static void events_drain(const struct fz *fz, struct events *ev)
{
	if (ev->sk.fd < 0)
		return;
	for (;;) {
		ssize_t n = recv(ev->sk.fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		const uint8_t *p = rbuf;
		bool left = false;
		size_t rem;

		if (n < 0) {
			if (errno == ENOBUFS) {
				ev->overruns++;
				continue;
			}
			return;
		}
		rem = n;
		while ((nlh = msg_next(&p, &rem, &left))) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);
			const uint8_t *at = (const uint8_t *)g + GENL_HDRLEN;
			const struct nlattr *ch;
			size_t alen;

			if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    nlh->nlmsg_type != fz->family) {
				ev->bad++;
				continue;
			}
			alen = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			if (attrs_check(at, alen, 0)) {
				ev->bad++;
			} else if (g->cmd == HEY_CMD_RACE_DONE) {
				ev->race_done++;
			} else if (g->cmd == HEY_CMD_CACHE_CHANGED) {
				ch = attr_find(at, alen, HEY_A_CACHE_CHANGE);
				if (!ch || attr_len(ch) != 1 || !*attr_data(ch) ||
				    *attr_data(ch) > HEY_CACHE_CHANGE_FLUSHED)
					ev->bad++;
				else
					ev->cache_changed++;
			} else {
				ev->bad++;
			}
		}
		ev->bad += left;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Requests go out in batches: up to FZ_BATCH in one datagram, which the
 * kernel handles one after the other. When one of them owes no answer (a
 * do without NLM_F_ACK), a sentinel follows: an NLMSG_NOOP with NLM_F_ACK,
 * which the netlink core acks without looking further, after all the
 * batch's requests are done with. A request that the kernel may take as a
 * dump while the batch has one already (one dump at a time per socket),
 * or that would take the batch past FZ_BATCH_BYTES (so that the answers
 * fit the receive buffer), goes in the next batch.
 */
#define FZ_BATCH 8
#define FZ_BATCH_BYTES 16384

static struct fmsg fuzz_msgs[FZ_BATCH + 1];	/* the last: carried over */
static uint8_t sbuf[FZ_MAX_MSG + FZ_BATCH_BYTES + 64];

static bool maybe_dump(const struct fmsg *m)
{
	return m->dump && m->request && !m->hdr_bad;
}

static void account(struct run *rn, const struct fmsg *m,
		    const struct answer *a, double seconds)
{
	unsigned int c = m->cmd <= HEY_CMD_MAX ? m->cmd : __HEY_CMD_MAX;

	rn->by_mut[m->mut]++;
	rn->by_cmd[c][a->timeout ? RES_NONE : result_bucket(a)]++;
	rn->cmd_seconds[c] += seconds;
	rn->mut_seconds[m->mut] += seconds;
}

static void show_request(const struct run *rn, unsigned int index,
			 const struct fmsg *m, unsigned int verbose)
{
	flog("%s #%u -> %s %s %s%s%s flags 0x%x, %zu bytes", rn->name, index,
	     cspec_of(m->cmd)->name, mut_name[m->mut], m->what,
	     m->what[0] ? ", " : "", m->dump ? "dump" : "do",
	     ((const struct nlmsghdr *)m->buf)->nlmsg_flags, m->len);
	if (verbose > 1)
		hexdump(m->buf, m->len);
}

/* Sends @count requests of run rn->run; returns the findings. */
static unsigned int fuzz_run(const struct fz *fz, struct run *rn,
			     unsigned int count, struct events *ev)
{
	struct fmsg *slot[FZ_BATCH + 1], *t;
	struct pending pend[FZ_BATCH + 1];
	unsigned int index[FZ_BATCH], next, end, n, k, batches = 0, i, j;
	bool carry = false, sentinel;
	double t0 = now();
	struct nlsk s;
	int ret;

	for (k = 0; k <= FZ_BATCH; k++)
		slot[k] = &fuzz_msgs[k];
	next = fz->only >= 0 ? (unsigned int)fz->only : 0;
	end = fz->only >= 0 ? next + 1 : count;
	if (end > count)
		end = count;
	ret = nlsk_open(&s, fz->timeout_ms);
	if (ret) {
		flog("%s: netlink socket: %s", rn->name, strerror(-ret));
		return 1;
	}
	/* errors echo only the request's header: 64 KiB echoes cost */
	k = 1;
	setsockopt(s.fd, SOL_NETLINK, NETLINK_CAP_ACK, &k, sizeof(k));
	while (next < end || carry) {
		size_t bytes = 0;
		double t1 = now();
		bool dumping = false;

		/* fill the batch: first what did not fit the last one */
		n = 0;
		if (carry) {
			t = slot[0];
			slot[0] = slot[FZ_BATCH];
			slot[FZ_BATCH] = t;
			index[0] = next - 1;
			bytes = NLMSG_ALIGN(slot[0]->len);
			dumping = maybe_dump(slot[0]);
			n = 1;
			carry = false;
		}
		while (n < FZ_BATCH && next < end) {
			struct fmsg *m = slot[n];

			gen_message(fz, rn->run, next, 2 * next + 1, m);
			if (n && (bytes + NLMSG_ALIGN(m->len) > FZ_BATCH_BYTES ||
				  (dumping && maybe_dump(m)))) {
				t = slot[n];
				slot[n] = slot[FZ_BATCH];
				slot[FZ_BATCH] = t;
				next++;
				carry = true;
				break;
			}
			index[n++] = next++;
			bytes += NLMSG_ALIGN(m->len);
			dumping |= maybe_dump(m);
		}

		/* one datagram: the requests, each 4-aligned, the sentinel */
		bytes = 0;
		sentinel = false;
		for (k = 0; k < n; k++) {
			const struct fmsg *m = slot[k];

			memcpy(sbuf + bytes, m->buf, m->len);
			memset(sbuf + bytes + m->len, 0,
			       NLMSG_ALIGN(m->len) - m->len);
			bytes += NLMSG_ALIGN(m->len);
			pend[k].seq = 2 * index[k] + 1;
			pend[k].w = maybe_dump(m) ? W_DUMP :
				    m_nlh(slot[k])->nlmsg_flags & NLM_F_ACK ?
				    W_ERR : W_NONE;
			sentinel |= pend[k].w == W_NONE;
			if (fz->verbose)
				show_request(rn, index[k], m, fz->verbose);
		}
		if (sentinel) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)(sbuf + bytes);

			memset(nlh, 0, NLMSG_HDRLEN);
			nlh->nlmsg_len = NLMSG_HDRLEN;
			nlh->nlmsg_type = NLMSG_NOOP;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			nlh->nlmsg_seq = 2 * index[n - 1] + 2;
			bytes += NLMSG_HDRLEN;
			pend[n].seq = nlh->nlmsg_seq;
			pend[n].w = W_ERR;
		}

		ret = nlsk_send(&s, sbuf, bytes);
		if (ret) {
			finding(rn, fz, slot[0], index[0], "send", -ret,
				"sending %u requests in %zu bytes: %s", n,
				bytes, strerror(-ret));
			break;
		}
		ret = collect(&s, fz->family, pend, n + sentinel, NULL, NULL);
		t1 = (now() - t1) / n;
		rn->sent += n;
		batches++;
		if (sentinel && (pend[n].a.err || pend[n].a.bad ||
				 pend[n].a.data))
			finding(rn, fz, slot[n - 1], index[n - 1], "sentinel",
				pend[n].a.err, "the NLMSG_NOOP after it: %s",
				pend[n].a.bad ?: pend[n].a.err ?
				errname(pend[n].a.err) : "a reply");
		for (k = 0; k < n; k++) {
			const struct fmsg *m = slot[k];
			struct expect e;

			expect_for(m, rn->priv, &e);
			account(rn, m, &pend[k].a, t1);
			if (fz->verbose)
				flog("%s #%u <- %s, %u replies%s%s", rn->name,
				     index[k], pend[k].a.timeout ? "timeout" :
				     pend[k].a.err ? errname(pend[k].a.err) :
				     "ok", pend[k].a.data,
				     pend[k].a.extack[0] ? ": " : "",
				     pend[k].a.extack);
			check_answer(rn, fz, m, index[k], &e, &pend[k].a);
		}
		if (ret) {
			/* what comes next could be these ones' answers */
			flog("%s: stopping after requests went unanswered",
			     rn->name);
			break;
		}
		if (ev && !(batches % 4))
			events_drain(fz, ev);
	}
	nlsk_close(&s);
	rn->seconds = now() - t0;

	flog("%s: %u requests in %u datagrams in %.1f s (%.2f ms each), "
	     "%u findings", rn->name, rn->sent, batches, rn->seconds,
	     rn->sent ? rn->seconds * 1000 / rn->sent : 0.0, rn->findings);
	for (i = 0; i < rn->n_sigs; i++) {
		const struct sig *g = &rn->sigs[i];

		flog("  %4u x %s: %s %s %s (first #%u): %s", g->n, g->kind,
		     cspec_of(g->cmd)->name, mut_name[g->mut],
		     g->dump ? "dump" : "do", g->first, g->text);
	}
	if (rn->n_sigs == FZ_SIGS)
		flog("  (more kinds of findings not listed)");
	{
		char line[768];
		size_t o = 0;

		for (j = 0; j < __MUT_MAX; j++)
			o += snprintf(line + o, sizeof(line) - o, " %s=%u/%.1fs",
				      mut_name[j], rn->by_mut[j],
				      rn->mut_seconds[j]);
		flog(" shapes:%s", line);
	}
	for (i = 0; i <= __HEY_CMD_MAX; i++) {
		char line[256];
		size_t o = 0;

		for (j = 0; j < __RES_MAX; j++)
			if (rn->by_cmd[i][j])
				o += snprintf(line + o, sizeof(line) - o,
					      " %s=%u", r_name[j],
					      rn->by_cmd[i][j]);
		flog("  %-13s %5.1f s%s", i < __HEY_CMD_MAX ? cmds[i].name :
		     "> MAX", rn->cmd_seconds[i], line);
	}
	return rn->findings;
}

/* ---- state: snapshot, restore, compare ------------------------------- */

struct blob {
	int err;		/* of the GET; EOPNOTSUPP: not there yet */
	uint8_t b[4096];
	size_t len;
	unsigned int n;		/* reply messages */
};

static void on_blob(uint8_t cmd, const uint8_t *at, size_t len, void *arg)
{
	struct blob *bl = arg;
	uint32_t l = len;

	(void)cmd;
	bl->n++;
	if (bl->len + sizeof(l) + len > sizeof(bl->b))
		return;
	memcpy(bl->b + bl->len, &l, sizeof(l));
	memcpy(bl->b + bl->len + sizeof(l), at, len);
	bl->len += sizeof(l) + len;
}

/* The replies to a GET (do or dump), in order. */
static int get_blob(struct nlsk *s, uint16_t family, uint8_t cmd, bool dump,
		    struct blob *bl)
{
	memset(bl, 0, sizeof(*bl));
	m_start(&ctl_msg, family, cmd);
	if (dump)
		m_nlh(&ctl_msg)->nlmsg_flags |= NLM_F_DUMP;
	bl->err = -request(s, family, &ctl_msg, ctl_seq += 2, on_blob, bl,
			   NULL, 0);
	return -bl->err;
}

static uint64_t stat_of(struct nlsk *s, uint16_t family, unsigned int attr)
{
	struct blob bl;
	const struct nlattr *a;
	uint64_t v = ~0ULL;

	if (get_blob(s, family, HEY_CMD_GET_STATS, false, &bl) || !bl.n)
		return v;
	a = attr_find(bl.b + 4, bl.len - 4, attr);
	if (a && attr_len(a) == 8)
		memcpy(&v, attr_data(a), 8);
	return v;
}

struct state {
	struct blob policy;
	struct blob networks;
};

static void snapshot(struct nlsk *s, uint16_t family, struct state *st)
{
	get_blob(s, family, HEY_CMD_GET_POLICY, false, &st->policy);
	get_blob(s, family, HEY_CMD_GET_NETWORK, true, &st->networks);
}

/* SET_POLICY with every attribute of a GET_POLICY reply. */
static int set_policy_from(struct nlsk *s, uint16_t family,
			   const struct blob *bl, char *extack, size_t n)
{
	const uint8_t *p = bl->b + 4;
	size_t rem = bl->n ? bl->len - 4 : 0;
	bool prefer = false, exclude = false;
	const struct nlattr *a;

	m_start(&ctl_msg, family, HEY_CMD_SET_POLICY);
	while ((a = attr_next(&p, &rem, NULL))) {
		unsigned int t = a->nla_type & NLA_TYPE_MASK;

		if (t && t <= HEY_A_POLICY_MAX)
			m_put(&ctl_msg, a->nla_type, attr_data(a), attr_len(a));
		prefer |= t == HEY_A_POLICY_PREFER;
		exclude |= t == HEY_A_POLICY_EXCLUDE;
	}
	if (!prefer)
		m_put(&ctl_msg, HEY_A_POLICY_PREFER, NULL, 0);
	if (!exclude)
		m_put(&ctl_msg, HEY_A_POLICY_EXCLUDE, NULL, 0);
	return request(s, family, &ctl_msg, ctl_seq += 2, NULL, NULL, extack,
		       n);
}

static uint64_t u64_attr(const uint8_t *at, size_t len, unsigned int type)
{
	const struct nlattr *a = attr_find(at, len, type);
	uint64_t v = 0;

	if (a && attr_len(a) == 8)
		memcpy(&v, attr_data(a), 8);
	else if (a && attr_len(a) == 4)
		memcpy(&v, attr_data(a), 4);
	return v;
}

/* Puts every interface's network id back (a default id: 0). */
static int restore_networks(struct nlsk *s, uint16_t family,
			    const struct blob *bl)
{
	size_t off = 0;
	int ret = 0, r;

	while (off + 4 <= bl->len) {
		uint32_t l;
		const uint8_t *at = bl->b + off + 4;
		uint64_t id;

		memcpy(&l, bl->b + off, 4);
		id = u64_attr(at, l, HEY_A_NETWORK_ID);
		m_start(&ctl_msg, family, HEY_CMD_SET_NETWORK);
		m_u32(&ctl_msg, HEY_A_NETWORK_IFINDEX,
		      (uint32_t)u64_attr(at, l, HEY_A_NETWORK_IFINDEX));
		m_u64(&ctl_msg, HEY_A_NETWORK_ID,
		      id & HEY_NETWORK_DEFAULT ? 0 : id);
		r = request(s, family, &ctl_msg, ctl_seq += 2, NULL, NULL,
			    NULL, 0);
		if (r && r != -ENODEV && !ret)
			ret = r;
		off += 4 + l;
	}
	return ret;
}

static bool blob_eq(const struct blob *a, const struct blob *b)
{
	return a->err == b->err && a->n == b->n && a->len == b->len &&
	       !memcmp(a->b, b->b, a->len);
}

/* Entries in a GET_CACHE dump, or -errno. */
static long cache_dump_count(struct nlsk *s, uint16_t family)
{
	struct blob bl;
	int ret = get_blob(s, family, HEY_CMD_GET_CACHE, true, &bl);

	return ret ? ret : (long)bl.n;
}

static int flush_cache(struct nlsk *s, uint16_t family)
{
	m_start(&ctl_msg, family, HEY_CMD_FLUSH_CACHE);
	return request(s, family, &ctl_msg, ctl_seq += 2, NULL, NULL, NULL, 0);
}

/* ---- slabs ----------------------------------------------------------- */

/* kmalloc-<size> (not -cg-, -rcl-, dma-) and the skb caches */
static bool slab_counted(const char *name)
{
	return (!strncmp(name, "kmalloc-", 8) && name[8] >= '0' &&
		name[8] <= '9') || !strncmp(name, "skbuff_", 7);
}

/*
 * Active objects in the kmalloc and skbuff caches, or -1. Each cache is
 * shrunk first: SLUB counts the slabs cached per CPU as full, and with
 * KASAN freed objects wait in a quarantine; a shrink empties both.
 */
static long slab_total(void)
{
	char line[512], name[64], path[128];
	FILE *shrink;
	long total = 0, n;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		FILE *f = fopen("/proc/slabinfo", "r");

		if (!f)
			return -1;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%63s %ld", name, &n) != 2 ||
			    !slab_counted(name))
				continue;
			if (pass) {
				total += n;
				continue;
			}
			snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
				 name);
			shrink = fopen(path, "w");
			if (shrink) {
				fputs("1", shrink);
				fclose(shrink);
			}
		}
		fclose(f);
	}
	return total;
}

/* ---- privileges ------------------------------------------------------ */

/* Becomes nobody with no capability left anywhere: 0 or -errno. */
static int drop_privileges(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	int cap, i;

	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return -errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		return -errno;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d))
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/* and check */
	if (syscall(SYS_capget, &h, d))
		return -errno;
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return -EPERM;
	if (prctl(PR_CAPBSET_READ, CAP_NET_ADMIN, 0, 0, 0) != 0 ||
	    getuid() != NOBODY || geteuid() != NOBODY || getgid() != NOBODY ||
	    getegid() != NOBODY || getgroups(0, NULL) != 0)
		return -EPERM;
	return 0;
}

/* ---- setup ----------------------------------------------------------- */

static uint64_t fz_seed;

static void __attribute__((constructor)) pick_seed(void)
{
	const char *env = getenv("HEY_FUZZ_SEED");

	if (env && *env)
		fz_seed = strtoull(env, NULL, 0);
	else if (getrandom(&fz_seed, sizeof(fz_seed), 0) != sizeof(fz_seed))
		fz_seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ getpid();
}

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned int)strtoul(v, NULL, 0) : def;
}

/* The interfaces of the namespace, for valid interface attributes. */
static void fz_interfaces(struct fz *fz)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	fz->n_if = 0;
	for (i = ifs; i && i->if_index && fz->n_if < FZ_MAX_IF; i++)
		fz->ifindex[fz->n_if++] = i->if_index;
	if (ifs)
		if_freenameindex(ifs);
}

static void fz_config(struct fz *fz)
{
	FILE *f;

	memset(fz, 0, sizeof(*fz));
	fz->seed = fz_seed;
	fz->count = env_uint("HEY_FUZZ_COUNT", 10000);
	fz->timeout_ms = env_uint("HEY_FUZZ_TIMEOUT_MS", 10000);
	fz->verbose = env_uint("HEY_FUZZ_VERBOSE", 0);
	fz->only = getenv("HEY_FUZZ_ONLY") && *getenv("HEY_FUZZ_ONLY") ?
		   (long)env_uint("HEY_FUZZ_ONLY", 0) : -1;
	fz->family = 0x7fff;	/* resolved later; any value to generate */
	fz_interfaces(fz);
	fz->cache_timeout_s = -1;
	f = fopen("/proc/sys/net/hey/cache_timeout", "r");
	if (f) {
		if (fscanf(f, "%ld", &fz->cache_timeout_s) != 1)
			fz->cache_timeout_s = -1;
		fclose(f);
	}
}

FIXTURE(genl_fuzz) {
	double t0;
	struct fz fz;
	struct nlsk ctl;
	struct state saved;
	bool saved_ok;
};

FIXTURE_SETUP(genl_fuzz)
{
	int ret;

	self->ctl.fd = -1;
	self->t0 = now();
	fz_config(&self->fz);
	TH_LOG("HEY_FUZZ_SEED=0x%016" PRIx64 " HEY_FUZZ_COUNT=%u "
	       "(export them to replay)", self->fz.seed, self->fz.count);
	/*
	 * Looking the family up makes the kernel try to load hey.ko: only
	 * where the module is there (the VM) or must be.
	 */
	if (access("/sys/module/hey", F_OK)) {
		if (!getenv("HEY_VM"))
			SKIP(return, "hey.ko is not loaded (run under tools/vm/run)");
		ASSERT_EQ(0, access("/sys/module/hey", F_OK));
	}
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, nlsk_open(&self->ctl, self->fz.timeout_ms));
	ret = resolve_family(&self->ctl, &self->fz.family, &self->fz.mcgrp,
			     &self->fz.n_grps);
	ASSERT_EQ(0, ret) TH_LOG("family %s: %s", HEY_GENL_NAME,
				 strerror(-ret));
	/* events only: resolve requests are unicast to the resolver */
	ASSERT_EQ(1, self->fz.n_grps);
	TH_LOG("family id %u, events group %u, %u interfaces",
	       self->fz.family, self->fz.mcgrp, self->fz.n_if);
	snapshot(&self->ctl, self->fz.family, &self->saved);
	self->saved_ok = true;
	if (self->saved.policy.err || self->saved.networks.err)
		TH_LOG("GET_POLICY: %s, GET_NETWORK dump: %s (not restored)",
		       strerror(self->saved.policy.err),
		       strerror(self->saved.networks.err));
	TH_LOG("setup: %.1f s", now() - self->t0);
}

/* Flush the cache, put policy and network ids back, and check they are. */
FIXTURE_TEARDOWN(genl_fuzz)
{
	struct state now_st;
	char extack[160] = "";
	double t;
	int ret;

	if (!self->saved_ok) {
		nlsk_close(&self->ctl);
		return;
	}
	ret = flush_cache(&self->ctl, self->fz.family);
	EXPECT_TRUE(!ret || ret == -EOPNOTSUPP) TH_LOG("FLUSH_CACHE: %s",
						       strerror(-ret));
	if (!self->saved.policy.err) {
		ret = set_policy_from(&self->ctl, self->fz.family,
				      &self->saved.policy, extack,
				      sizeof(extack));
		EXPECT_EQ(0, ret) TH_LOG("restoring the policy: %s (%s)",
					 strerror(-ret), extack);
	}
	if (!self->saved.networks.err) {
		ret = restore_networks(&self->ctl, self->fz.family,
				       &self->saved.networks);
		EXPECT_EQ(0, ret) TH_LOG("restoring network ids: %s",
					 strerror(-ret));
	}
	t = now();
	snapshot(&self->ctl, self->fz.family, &now_st);
	EXPECT_TRUE(blob_eq(&self->saved.policy, &now_st.policy))
		TH_LOG("the policy is not what it was before the test");
	EXPECT_TRUE(blob_eq(&self->saved.networks, &now_st.networks))
		TH_LOG("network ids are not what they were before the test");
	nlsk_close(&self->ctl);
	TH_LOG("%.1f s in all (%.1f s the last snapshot)", now() - self->t0,
	       now() - t);
}

static unsigned int priv_count(const struct fz *fz)
{
	return fz->count / 2;
}

TEST_F_TIMEOUT(genl_fuzz, privileged, 900)
{
	struct fz *fz = &self->fz;
	struct run rn = { .name = "root", .priv = true, .run = 0 };
	struct events ev = { .sk = { .fd = -1 } };
	long slab_before, slab_after, entries, dumped;
	uint64_t counted;
	double t;
	int ret;

	if (!self->saved_ok)	/* skipped */
		return;
	if (fz->mcgrp) {
		ASSERT_EQ(0, nlsk_open(&ev.sk, fz->timeout_ms));
		ret = setsockopt(ev.sk.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				 &fz->mcgrp, sizeof(fz->mcgrp));
		ASSERT_EQ(0, ret) TH_LOG("root joining %s: %s",
					 HEY_MCGRP_EVENTS, strerror(errno));
	} else {
		TH_LOG("no \"%s\" group: events not checked", HEY_MCGRP_EVENTS);
	}
	t = now();
	slab_before = slab_total();
	TH_LOG("slabs counted in %.1f s", now() - t);

	fuzz_run(fz, &rn, priv_count(fz), &ev);
	events_drain(fz, &ev);

	/* the module's own counter against what a dump shows */
	entries = cache_dump_count(&self->ctl, fz->family);
	counted = stat_of(&self->ctl, fz->family, HEY_A_STATS_CACHE_ENTRIES);
	TH_LOG("cache: %ld entries dumped, HEY_A_STATS_CACHE_ENTRIES %" PRIu64,
	       entries, counted);
	EXPECT_LE(0, entries) TH_LOG("GET_CACHE dump: %s", strerror(-entries));
	if (entries >= 0)
		EXPECT_EQ((uint64_t)entries, counted);
	if (fz->mcgrp) {
		TH_LOG("events: %u CACHE_CHANGED, %u RACE_DONE, %u malformed, "
		       "%u overruns; %u SET_CACHE succeeded",
		       ev.cache_changed, ev.race_done, ev.bad, ev.overruns,
		       rn.set_cache_ok);
		EXPECT_EQ(0, ev.bad);
		if (rn.set_cache_ok && !ev.overruns)
			EXPECT_LT(0, ev.cache_changed)
				TH_LOG("successful SET_CACHEs sent no event");
		nlsk_close(&ev.sk);
	}

	/* back to where it was, then the slabs */
	ret = flush_cache(&self->ctl, fz->family);
	EXPECT_EQ(0, ret) TH_LOG("FLUSH_CACHE: %s", strerror(-ret));
	dumped = cache_dump_count(&self->ctl, fz->family);
	EXPECT_EQ(0, dumped);
	EXPECT_EQ(0, stat_of(&self->ctl, fz->family,
			     HEY_A_STATS_CACHE_ENTRIES));
	if (!self->saved.policy.err)
		set_policy_from(&self->ctl, fz->family, &self->saved.policy,
				NULL, 0);
	if (!self->saved.networks.err)
		restore_networks(&self->ctl, fz->family, &self->saved.networks);
	t = now();
	slab_after = slab_total();
	TH_LOG("slabs counted in %.1f s", now() - t);
	if (slab_before >= 0 && slab_after >= 0) {
		TH_LOG("kmalloc and skbuff slabs: %ld active objects before, "
		       "%ld after (%+ld for %u requests)", slab_before,
		       slab_after, slab_after - slab_before, rn.sent);
		/* noise is tens of objects; a leak in one path in ten, 500 */
		EXPECT_GT(50 + (long)rn.sent / 10, slab_after - slab_before)
			TH_LOG("the slabs grew with the requests");
	}
	ASSERT_EQ(0, rn.findings);
}

TEST_F_TIMEOUT(genl_fuzz, unprivileged, 900)
{
	struct fz *fz = &self->fz;
	struct state after;
	uint64_t entries_before;
	int status;
	pid_t pid;

	if (!self->saved_ok)	/* skipped */
		return;
	entries_before = stat_of(&self->ctl, fz->family,
				 HEY_A_STATS_CACHE_ENTRIES);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct run rn = { .name = "nobody", .priv = false, .run = 1 };
		int ret = drop_privileges();

		if (ret) {
			flog("dropping privileges: %s", strerror(-ret));
			_exit(2);
		}
		rn.findings += nobody_joins(fz, fz->mcgrp, HEY_MCGRP_EVENTS);
		fuzz_run(fz, &rn, fz->count - priv_count(fz), NULL);
		_exit(rn.findings ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("the unprivileged child died");
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* nobody changed nothing */
	snapshot(&self->ctl, fz->family, &after);
	EXPECT_TRUE(blob_eq(&self->saved.policy, &after.policy))
		TH_LOG("the policy changed under nobody's requests");
	EXPECT_TRUE(blob_eq(&self->saved.networks, &after.networks))
		TH_LOG("network ids changed under nobody's requests");
	EXPECT_EQ(entries_before, stat_of(&self->ctl, fz->family,
					  HEY_A_STATS_CACHE_ENTRIES));
}

/* After all that: the family answers, and a policy round trip works. */
TEST_F(genl_fuzz, family_still_answers)
{
	struct hey_status st;
	struct blob set, got;
	char extack[160] = "";
	uint32_t lo = self->fz.n_if ? self->fz.ifindex[0] : 1;
	uint8_t protos[2] = { HEY_PROTO_TFO, HEY_PROTO_TCP };
	int ret;

	if (!self->saved_ok)	/* skipped */
		return;
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(HEY_GENL_VERSION, st.api);

	/* every value different from the defaults */
	m_start(&ctl_msg, self->fz.family, HEY_CMD_SET_POLICY);
	m_u32(&ctl_msg, HEY_A_POLICY_MODE, HEY_RACE_FAILOVER);
	m_u32(&ctl_msg, HEY_A_POLICY_MIN_DELAY_MS, 120);
	m_u32(&ctl_msg, HEY_A_POLICY_MAX_DELAY_MS, 1500);
	m_u32(&ctl_msg, HEY_A_POLICY_DEFAULT_DELAY_MS, 300);
	m_put(&ctl_msg, HEY_A_POLICY_PROTOCOLS, protos, sizeof(protos));
	m_u32(&ctl_msg, HEY_A_POLICY_ALLOWED, BIT(HEY_PROTO_TCP) |
	      BIT(HEY_PROTO_TFO));
	m_put(&ctl_msg, HEY_A_POLICY_PREFER, &lo, sizeof(lo));
	m_put(&ctl_msg, HEY_A_POLICY_EXCLUDE, NULL, 0);
	m_u32(&ctl_msg, HEY_A_POLICY_MAX_LEAVES, 7);
	m_u32(&ctl_msg, HEY_A_POLICY_MAX_RACES, 77);
	m_finish(&ctl_msg);
	memset(&set, 0, sizeof(set));
	set.n = 1;
	set.len = 4 + ctl_msg.len - NLMSG_HDRLEN - GENL_HDRLEN;
	memcpy(set.b + 4, ctl_msg.buf + NLMSG_HDRLEN + GENL_HDRLEN,
	       set.len - 4);
	ret = request(&self->ctl, self->fz.family, &ctl_msg, ctl_seq += 2,
		      NULL, NULL, extack, sizeof(extack));
	ASSERT_EQ(0, ret) TH_LOG("SET_POLICY: %s (%s)", strerror(-ret),
				 extack);
	ASSERT_EQ(0, get_blob(&self->ctl, self->fz.family,
			      HEY_CMD_GET_POLICY, false, &got));
	ASSERT_EQ(1, got.n);
	{
		static const unsigned int u32s[] = {
			HEY_A_POLICY_MODE, HEY_A_POLICY_MIN_DELAY_MS,
			HEY_A_POLICY_MAX_DELAY_MS,
			HEY_A_POLICY_DEFAULT_DELAY_MS, HEY_A_POLICY_ALLOWED,
			HEY_A_POLICY_MAX_LEAVES, HEY_A_POLICY_MAX_RACES,
		};
		const uint8_t *gat = got.b + 4, *sat = set.b + 4;
		size_t glen = got.len - 4;
		const struct nlattr *a;
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(u32s); i++) {
			const struct nlattr *want =
				attr_find(sat, set.len - 4, u32s[i]);

			a = attr_find(gat, glen, u32s[i]);
			ASSERT_NE(NULL, a) TH_LOG("GET_POLICY lacks %u",
						  u32s[i]);
			ASSERT_EQ(NLA_HDRLEN + 4, a->nla_len);
			EXPECT_EQ(*(const uint32_t *)attr_data(want),
				  *(const uint32_t *)attr_data(a))
				TH_LOG("policy attribute %u", u32s[i]);
		}
		a = attr_find(gat, glen, HEY_A_POLICY_PROTOCOLS);
		ASSERT_NE(NULL, a);
		ASSERT_EQ(NLA_HDRLEN + sizeof(protos), a->nla_len);
		EXPECT_EQ(0, memcmp(attr_data(a), protos, sizeof(protos)));
		a = attr_find(gat, glen, HEY_A_POLICY_PREFER);
		ASSERT_NE(NULL, a);
		ASSERT_EQ(NLA_HDRLEN + 4, a->nla_len);
		EXPECT_EQ(lo, *(const uint32_t *)attr_data(a));
		a = attr_find(gat, glen, HEY_A_POLICY_EXCLUDE);
		if (a)
			EXPECT_EQ(NLA_HDRLEN, a->nla_len);
	}
	/* the fixture's teardown puts the saved policy back and checks it */
}

/*
 * On any machine, module or not: the generator is deterministic, covers
 * every command and every mutation, and its valid requests are what the
 * uapi comment describes.
 */
static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static const char *valid_check(struct fmsg *m)
{
	const struct cspec *c = cspec_of(m->cmd);
	const uint8_t *p = m->buf + NLMSG_HDRLEN + GENL_HDRLEN;
	size_t rem = m->len - NLMSG_HDRLEN - GENL_HDRLEN;
	bool dump = (m_nlh(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	const struct nlattr *a;

	if (m_genl(m)->reserved || m_genl(m)->version != HEY_GENL_VERSION)
		return "genl header";
	if (c->mode && !(c->mode & (dump ? M_DUMP : M_DO)))
		return "do or dump";
	if (attrs_check(p, rem, 0))
		return "attribute framing";
	while (c->mode && (a = attr_next(&p, &rem, NULL))) {
		unsigned int t = a->nla_type & NLA_TYPE_MASK;
		enum kind k = kind_of(c->space, t);
		size_t l = attr_len(a);

		if (!takes(c, t))
			return "an attribute the command does not take";
		/* strict validation wants NLA_F_NESTED on a nest, only there */
		if ((a->nla_type & ~NLA_TYPE_MASK) !=
		    (k == K_NEST ? NLA_F_NESTED : 0))
			return "flags in nla_type";
		if (kind_len(k) && l != kind_len(k))
			return "scalar length";
		if (k == K_ADDR && l != 4 && l != 16)
			return "address length";
		if (k == K_IFLIST && l % 4)
			return "ifindex list length";
		if (k == K_PROTOS && (!l || l > HEY_MAX_PROTOCOLS))
			return "protocol list length";
		if (k == K_NAME && (!l || l > HEY_MAX_HOST + 1))
			return "name length";
	}
	return NULL;
}

TEST(generator_is_deterministic_and_well_formed)
{
	unsigned int cmd_seen[__HEY_CMD_MAX + 1] = { 0 };
	unsigned int mut_seen[__MUT_MAX] = { 0 };
	uint64_t h[3] = { 0xcbf29ce484222325ULL, 0xcbf29ce484222325ULL,
			  0xcbf29ce484222325ULL };
	struct fz fz;
	size_t biggest = 0;
	unsigned int pass, run, i;
	double t;

	fz_config(&fz);
	t = now();
	for (pass = 0; pass < 3; pass++) {
		fz.seed = pass < 2 ? fz_seed : fz_seed + 1;
		for (run = 0; run < 2; run++) {
			/* another seed: a few are enough to differ */
			for (i = 0; i < (pass == 2 ? 100 : fz.count / 2); i++) {
				struct fmsg *m = &fuzz_msgs[0];
				const char *bad;

				gen_message(&fz, run, i, 2 * i + 1, m);
				h[pass] = fnv1a(h[pass], m->buf, m->len);
				if (pass)
					continue;
				ASSERT_EQ(m->len, m_nlh(m)->nlmsg_len);
				ASSERT_GE(m->len, NLMSG_HDRLEN);
				ASSERT_GE(sizeof(m->buf), m->len);
				if (m->len > biggest)
					biggest = m->len;
				cmd_seen[m->cmd <= HEY_CMD_MAX ? m->cmd :
					 __HEY_CMD_MAX]++;
				mut_seen[m->mut]++;
				if (m->mut != MUT_NONE)
					continue;
				bad = valid_check(m);
				ASSERT_EQ(NULL, bad) {
					TH_LOG("run %u #%u %s: %s", run, i,
					       cspec_of(m->cmd)->name, bad);
					hexdump(m->buf, m->len);
				}
			}
		}
	}
	EXPECT_EQ(h[0], h[1]) TH_LOG("the same seed made other requests");
	EXPECT_NE(h[0], h[2]) TH_LOG("another seed made the same requests");
	for (i = 0; i <= __HEY_CMD_MAX; i++)
		EXPECT_LT(0, cmd_seen[i]) TH_LOG("command %u never sent", i);
	for (i = 0; i < __MUT_MAX; i++)
		EXPECT_LT(0, mut_seen[i]) TH_LOG("no %s request", mut_name[i]);
	EXPECT_LE(60000, biggest);
	TH_LOG("%u requests generated in %.1f s", 2 * fz.count + 200,
	       now() - t);
}

TEST_HARNESS_MAIN
