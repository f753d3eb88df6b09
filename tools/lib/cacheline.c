// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/hey.h>

#include "cacheline.h"
#include "heynames.h"
#include "kwargs.h"
#include "syntax.h"

/*
 * The key: what "cache del" takes. dst is an address (or any), and says
 * the family; a name goes with family.
 */
static const struct args_keyword cache_key_words[] = {
	{ "network", HEY_A_CACHE_NETWORK },
	{ "dst", HEY_A_CACHE_ADDR },
	{ "name", HEY_A_CACHE_NAME },
	{ "family", HEY_A_CACHE_FAMILY },
	{ "port", HEY_A_CACHE_PORT },
	{ "proto", HEY_A_CACHE_PROTOCOL },
	{ NULL, 0 },
};

/* What "cache add" takes besides the key and the counters. */
static const struct args_keyword cache_value_words[] = {
	{ "result", HEY_A_CACHE_RESULT },
	{ "error", HEY_A_CACHE_ERROR },
	{ NULL, 0 },
};

static int cache_dst(const char *s, struct heynl_cache_entry *e, char *err)
{
	if (!strcmp(s, "any")) {
		e->family = AF_UNSPEC;
		return 0;
	}
	if (inet_pton(AF_INET, s, e->addr) == 1) {
		e->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, e->addr) == 1) {
		e->family = AF_INET6;
		return 0;
	}
	return args_fail(-EINVAL, err, "dst '%s': an IPv4 or IPv6 address, or any",
			 s);
}

/*
 * What is wrong with the n bytes of a name by HEY_HOST's rules, or NULL
 * (the kernel's words, less "of the name").
 */
static const char *name_invalid(const unsigned char *name, size_t n)
{
	size_t i, label = 0;

	if (!n)
		return "empty";
	for (i = 0; i < n; i++) {
		if (name[i] < 0x20 || name[i] == 0x7f)
			return "a NUL or control character";
		if (name[i] != '.') {
			if (++label > 63)
				return "a label above 63 bytes";
			continue;
		}
		if (!label)
			return "an empty label";
		label = 0;
	}
	return NULL;
}

int cacheline_name(const char *s, char *name, char *err)
{
	unsigned char buf[HEY_MAX_HOST];
	const char *p, *why;
	size_t n = 0, i;

	for (p = s; *p; p++) {
		unsigned int c = (unsigned char)*p;

		if (c == '\\' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		    p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
			c = (p[1] - '0') * 100 + (p[2] - '0') * 10 +
			    (p[3] - '0');
			p += 3;
			if (c > 255)
				return args_fail(-EINVAL, err,
						 "name '%s': \\%03u is no byte", s,
						 c);
		} else if (c == '\\') {
			if (!p[1])
				return args_fail(-EINVAL, err,
						 "name '%s': a '\\' at its end",
						 s);
			c = (unsigned char)*++p;
		}
		/* not the name itself: it would not fit err */
		if (n == HEY_MAX_HOST)
			return args_fail(-EINVAL, err,
					 "a name above 255 bytes");
		buf[n++] = c;
	}
	why = name_invalid(buf, n);
	if (why)
		return args_fail(-EINVAL, err, "name '%s': %s", s, why);
	/* as the kernel keys it: ASCII lower case, no final dot */
	if (buf[n - 1] == '.')
		n--;
	for (i = 0; i < n; i++)
		name[i] = buf[i] >= 'A' && buf[i] <= 'Z' ?
			  buf[i] - 'A' + 'a' : buf[i];
	name[n] = '\0';
	return 0;
}

void cacheline_print_name(FILE *f, const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		if (*p == ' ' || *p == '\\')
			fprintf(f, "\\%03u", *p);
		else
			fputc(*p, f);
}

static int cache_family(const char *s, struct heynl_cache_entry *e, char *err)
{
	if (!strcmp(s, "inet"))
		e->family = AF_INET;
	else if (!strcmp(s, "inet6"))
		e->family = AF_INET6;
	else
		return args_fail(-EINVAL, err, "family '%s': inet or inet6", s);
	return 0;
}

static int cache_value(const struct args_keyword *kw, const char *s, void *obj,
		       char *err)
{
	struct heynl_cache_entry *e = obj;
	unsigned int v;
	uint64_t port;
	int x;

	switch (kw->attr) {
	case HEY_A_CACHE_NETWORK:
		return args_network_id(s, &e->network, err);
	case HEY_A_CACHE_ADDR:
		return cache_dst(s, e, err);
	case HEY_A_CACHE_NAME:
		return cacheline_name(s, e->name, err);
	case HEY_A_CACHE_FAMILY:
		return cache_family(s, e, err);
	case HEY_A_CACHE_PORT:
		if (args_u64(s, 65535, &port) || !port)
			return args_fail(-EINVAL, err, "port '%s': 1 to 65535", s);
		e->port = port;
		return 0;
	case HEY_A_CACHE_PROTOCOL:
		if (hey_value_of(hey_proto_names, s, &v))
			return args_fail(-EINVAL, err,
					 "proto '%s': tcp, tfo or sctp", s);
		e->protocol = v;
		return 0;
	case HEY_A_CACHE_RESULT:
		if (hey_value_of(hey_result_names, s, &v))
			return args_fail(-EINVAL, err,
					 "result '%s': success, failed or outrun",
					 s);
		e->result = v;
		return 0;
	default:
		x = hey_errno_parse(s);
		if (x < 0)
			return args_fail(-EINVAL, err,
					 "error '%s': an errno name (ECONNREFUSED) or number",
					 s);
		e->error = x;
		return 0;
	}
}

int cacheline_parse(int argc, char **argv, bool key_only,
		     struct heynl_cache_entry *e, char *err)
{
	static const struct args_keyword *const all[] = {
		cache_key_words, cache_value_words, NULL
	};
	static const struct args_keyword *const key[] = { cache_key_words, NULL };
	const struct syntax_u32 *counters[] = { syntax_cache_counters, NULL };
	uint32_t need = HEYNL_CACHE_KEY & ~HEYNL_BIT(HEY_A_CACHE_FAMILY);
	bool dst, name;
	int ret, attr;

	memset(e, 0, sizeof(*e));
	if (!key_only)
		need |= HEYNL_BIT(HEY_A_CACHE_RESULT);
	ret = args_keyword_pairs(argc, argv, key_only ? key : all,
				 key_only ? NULL : counters, e, &e->present,
				 cache_value, err);
	if (ret)
		return ret;
	dst = HEYNL_HAS(e, HEY_A_CACHE_ADDR);
	name = HEYNL_HAS(e, HEY_A_CACHE_NAME);
	if (!HEYNL_HAS(e, HEY_A_CACHE_NETWORK))
		return args_fail(-EINVAL, err, "'network' missing");
	if (!dst && !name)
		return args_fail(-EINVAL, err, "'dst' or 'name' missing");
	if (dst && name)
		return args_fail(-EINVAL, err, "'dst' or 'name', not both");
	if (dst && HEYNL_HAS(e, HEY_A_CACHE_FAMILY))
		return args_fail(-EINVAL, err,
				 "'family' goes with 'name': dst has its own");
	if (name && !HEYNL_HAS(e, HEY_A_CACHE_FAMILY))
		return args_fail(-EINVAL, err,
				 "'name' needs 'family inet' or 'family inet6'");
	for (attr = 0; attr < 32; attr++)
		if ((need & ~e->present) & HEYNL_BIT(attr))
			return args_fail(-EINVAL, err, "'%s' missing",
					 args_keyword_word(all, attr));
	if (e->family == AF_UNSPEC && e->protocol != HEY_PROTO_TFO)
		return args_fail(-EINVAL, err,
				 "dst any is the TFO entry of a network and port: proto tfo");
	e->present |= HEYNL_BIT(HEY_A_CACHE_FAMILY);
	if (e->family == AF_UNSPEC)
		e->present &= ~HEYNL_BIT(HEY_A_CACHE_ADDR);
	return 0;
}

const char *cacheline_addr(uint16_t family, const uint8_t *addr, char *buf,
			   size_t len)
{
	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "any");
	return buf;
}

void cacheline_print(FILE *f, const struct heynl_cache_entry *e)
{
	char addr[INET6_ADDRSTRLEN], buf[HEY_NAME_BUF];
	const struct syntax_u32 *c;

	fprintf(f, "network 0x%" PRIx64, e->network);
	if (HEYNL_HAS(e, HEY_A_CACHE_NAME)) {
		fputs(" name ", f);
		cacheline_print_name(f, e->name);
		fprintf(f, " family %s",
			e->family == AF_INET ? "inet" : "inet6");
	} else {
		fprintf(f, " dst %s",
			cacheline_addr(e->family, e->addr, addr,
				       sizeof(addr)));
	}
	fprintf(f, " port %u proto %s", e->port,
		hey_name_or_num(hey_proto_names, e->protocol, buf,
				sizeof(buf)));
	if (HEYNL_HAS(e, HEY_A_CACHE_RESULT))
		fprintf(f, " result %s",
			hey_name_or_num(hey_result_names, e->result, buf,
					sizeof(buf)));
	for (c = syntax_cache_counters; c->word; c++) {
		if (!HEYNL_HAS(e, c->attr))
			continue;
		fprintf(f, " %s %" PRIu32, c->word, syntax_get(e, c));
		/* the error goes after the failures it explains */
		if (c->attr == HEY_A_CACHE_FAILURES && e->error)
			fprintf(f, " error %s",
				hey_errno_name(e->error, buf, sizeof(buf)));
	}
	if (e->error && !HEYNL_HAS(e, HEY_A_CACHE_FAILURES))
		fprintf(f, " error %s",
			hey_errno_name(e->error, buf, sizeof(buf)));
}
