// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/hey.h>

#include "args.h"
#include "heynames.h"
#include "syntax.h"

static int fail(int ret, char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ARGS_ERR_LEN, fmt, ap);
	va_end(ap);
	return ret;
}

int args_u64(const char *s, uint64_t max, uint64_t *v)
{
	const char *digits = "0123456789";
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = "0123456789abcdefABCDEF";
		s += 2;
	}
	/* strtoull would take a sign, spaces, and "0x" twice */
	if (!s[0] || s[strspn(s, digits)])
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (*end || errno || *v > max)
		return -EINVAL;
	return 0;
}

int args_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (args_u64(s, UINT32_MAX, &x))
		return -EINVAL;
	*v = x;
	return 0;
}

int args_network_id(const char *s, uint64_t *id, char *err)
{
	if (args_u64(s, UINT64_MAX, id) || !*id)
		return fail(-EINVAL, err,
			    "network id '%s': a number above 0, decimal or 0x hex",
			    s);
	return 0;
}

/* Calls fn(word, arg) for each word of a comma list; stops at an error. */
static int each_item(const char *s, int (*fn)(const char *word, void *arg),
		     void *arg)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	if (!s[0] || s[0] == ',' || s[strlen(s) - 1] == ',' ||
	    strstr(s, ",,"))
		ret = -EINVAL;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save))
		ret = fn(tok, arg);
	free(copy);
	return ret;
}

struct proto_list {
	uint8_t *order;
	unsigned int n;
	uint32_t seen;
	char *err;
};

static int proto_item(const char *word, void *arg)
{
	struct proto_list *l = arg;
	unsigned int p;

	if (hey_value_of(hey_proto_names, word, &p))
		return fail(-EINVAL, l->err,
			    "unknown protocol '%s' (tcp, tfo, sctp)", word);
	if (l->seen & (1u << p))
		return fail(-EINVAL, l->err, "protocol '%s' twice", word);
	l->seen |= 1u << p;
	if (l->order)
		l->order[l->n] = p;
	l->n++;
	return 0;
}

int args_protocols(const char *s, uint8_t *order, unsigned int *n, char *err)
{
	struct proto_list l = { .order = order, .err = err };
	int ret;

	err[0] = '\0';
	ret = each_item(s, proto_item, &l);
	if (ret == -EINVAL && !err[0])
		return fail(ret, err, "'%s': a comma list of tcp, tfo, sctp",
			    s);
	*n = l.n;
	return ret;
}

int args_protocol_mask(const char *s, uint32_t *mask, char *err)
{
	struct proto_list l = { .err = err };
	int ret;

	if (!strcmp(s, "all")) {
		*mask = (1u << HEY_PROTO_TCP) | (1u << HEY_PROTO_TFO) |
			(1u << HEY_PROTO_SCTP);
		return 0;
	}
	err[0] = '\0';
	ret = each_item(s, proto_item, &l);
	if (ret == -EINVAL && !err[0])
		return fail(ret, err,
			    "'%s': all, or a comma list of tcp, tfo, sctp", s);
	*mask = l.seen;
	return ret;
}

struct if_list {
	uint32_t *ifindex;
	unsigned int n, max;
	char *err;
};

static int if_item(const char *word, void *arg)
{
	struct if_list *l = arg;
	unsigned int idx = if_nametoindex(word);

	if (!idx)
		return fail(-ENODEV, l->err, "no interface '%s'", word);
	if (l->n == l->max)
		return fail(-EINVAL, l->err, "more than %u interfaces",
			    l->max);
	l->ifindex[l->n++] = idx;
	return 0;
}

int args_interfaces(const char *s, uint32_t *ifindex, unsigned int *n,
		    unsigned int max, char *err)
{
	struct if_list l = { .ifindex = ifindex, .max = max, .err = err };
	int ret;

	*n = 0;
	if (!strcmp(s, "none"))
		return 0;
	err[0] = '\0';
	ret = each_item(s, if_item, &l);
	if (ret == -EINVAL && !err[0])
		return fail(ret, err, "'%s': none, or a comma list of interfaces",
			    s);
	*n = l.n;
	return ret;
}

/* ---- keyword lists ---------------------------------------------------- */

/* A keyword parsed by a function of its own: its word and attribute. */
struct keyword {
	const char *word;
	int attr;
};

/* The keyword of word in NULL-ended tables ts of keywords, or NULL. */
static const struct keyword *keyword_find(const struct keyword *const *ts,
					  const char *word)
{
	const struct keyword *t;

	for (; *ts; ts++)
		for (t = *ts; t->word; t++)
			if (!strcmp(t->word, word))
				return t;
	return NULL;
}

static const char *keyword_word(const struct keyword *const *ts, int attr)
{
	const struct keyword *t;

	for (; *ts; ts++)
		for (t = *ts; t->word; t++)
			if (t->attr == attr)
				return t->word;
	return "?";
}

/* A numeric keyword of table t into obj, marking its attribute. */
static int keyword_u32(const struct syntax_u32 *kw, const char *s, void *obj,
		       uint32_t *present, char *err)
{
	if (args_u32(s, syntax_at(obj, kw)))
		return fail(-EINVAL, err, "%s '%s': a number up to 4294967295",
			    kw->word, s);
	*present |= HEYNL_BIT(kw->attr);
	return 0;
}

/*
 * Walks "keyword value" pairs: each keyword once, with a value; numeric
 * ones (in the NULL-ended list of tables nums) go into obj, those of
 * words to value(kw, s, obj, err). present collects their attributes.
 */
static int keyword_pairs(int argc, char **argv,
			 const struct keyword *const *words,
			 const struct syntax_u32 *const *nums, void *obj,
			 uint32_t *present,
			 int (*value)(const struct keyword *kw, const char *s,
				      void *obj, char *err),
			 char *err)
{
	const struct syntax_u32 *num = NULL;
	const struct keyword *kw;
	int i, j, attr, ret;

	for (i = 0; i < argc; i += 2) {
		kw = keyword_find(words, argv[i]);
		for (j = 0, num = NULL; !kw && !num && nums && nums[j]; j++)
			num = syntax_find(nums[j], argv[i]);
		if (!kw && !num)
			return fail(-EINVAL, err, "unknown keyword '%s'",
				    argv[i]);
		attr = kw ? kw->attr : num->attr;
		if (*present & HEYNL_BIT(attr))
			return fail(-EINVAL, err, "'%s' twice", argv[i]);
		if (i + 1 == argc)
			return fail(-EINVAL, err, "'%s' needs a value",
				    argv[i]);
		if (num) {
			ret = keyword_u32(num, argv[i + 1], obj, present, err);
		} else {
			ret = value(kw, argv[i + 1], obj, err);
			*present |= HEYNL_BIT(attr);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- cache ------------------------------------------------------------ */

/* The key: what "cache del" takes. */
static const struct keyword cache_key_words[] = {
	{ "network", HEY_A_CACHE_NETWORK },
	{ "dst", HEY_A_CACHE_FAMILY },
	{ "port", HEY_A_CACHE_PORT },
	{ "proto", HEY_A_CACHE_PROTOCOL },
	{ NULL, 0 },
};

/* What "cache add" takes besides the key and the counters. */
static const struct keyword cache_value_words[] = {
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
	return fail(-EINVAL, err, "dst '%s': an IPv4 or IPv6 address, or any",
		    s);
}

static int cache_value(const struct keyword *kw, const char *s, void *obj,
		       char *err)
{
	struct heynl_cache_entry *e = obj;
	unsigned int v;
	uint64_t port;
	int x;

	switch (kw->attr) {
	case HEY_A_CACHE_NETWORK:
		return args_network_id(s, &e->network, err);
	case HEY_A_CACHE_FAMILY:
		return cache_dst(s, e, err);
	case HEY_A_CACHE_PORT:
		if (args_u64(s, 65535, &port) || !port)
			return fail(-EINVAL, err, "port '%s': 1 to 65535", s);
		e->port = port;
		return 0;
	case HEY_A_CACHE_PROTOCOL:
		if (hey_value_of(hey_proto_names, s, &v))
			return fail(-EINVAL, err,
				    "proto '%s': tcp, tfo or sctp", s);
		e->protocol = v;
		return 0;
	case HEY_A_CACHE_RESULT:
		if (hey_value_of(hey_result_names, s, &v))
			return fail(-EINVAL, err,
				    "result '%s': success, failed or outrun",
				    s);
		e->result = v;
		return 0;
	default:
		x = hey_errno_parse(s);
		if (x < 0)
			return fail(-EINVAL, err,
				    "error '%s': an errno name (ECONNREFUSED) or number",
				    s);
		e->error = x;
		return 0;
	}
}

int args_cache_entry(int argc, char **argv, bool key_only,
		     struct heynl_cache_entry *e, char *err)
{
	static const struct keyword *const all[] = {
		cache_key_words, cache_value_words, NULL
	};
	static const struct keyword *const key[] = { cache_key_words, NULL };
	const struct syntax_u32 *counters[] = { syntax_cache_counters, NULL };
	uint32_t need = HEYNL_CACHE_KEY;
	int ret, attr;

	memset(e, 0, sizeof(*e));
	if (!key_only)
		need |= HEYNL_BIT(HEY_A_CACHE_RESULT);
	ret = keyword_pairs(argc, argv, key_only ? key : all,
			    key_only ? NULL : counters, e, &e->present,
			    cache_value, err);
	if (ret)
		return ret;
	for (attr = 0; attr < 32; attr++)
		if ((need & ~e->present) & HEYNL_BIT(attr))
			return fail(-EINVAL, err, "'%s' missing",
				    keyword_word(all, attr));
	if (e->family == AF_UNSPEC && e->protocol != HEY_PROTO_TFO)
		return fail(-EINVAL, err,
			    "dst any is the TFO entry of a network and port: proto tfo");
	if (e->family != AF_UNSPEC)
		e->present |= HEYNL_BIT(HEY_A_CACHE_ADDR);
	return 0;
}

int args_cache_network(int argc, char **argv, bool *one, uint64_t *network,
		       char *err)
{
	*one = false;
	if (!argc)
		return 0;
	if (argc != 2 || strcmp(argv[0], "network"))
		return fail(-EINVAL, err, "expected nothing or 'network ID'");
	*one = true;
	return args_network_id(argv[1], network, err);
}

/* ---- policy ----------------------------------------------------------- */

static const struct keyword policy_words[] = {
	{ "mode", HEY_A_POLICY_MODE },
	{ "protocols", HEY_A_POLICY_PROTOCOLS },
	{ "allowed", HEY_A_POLICY_ALLOWED },
	{ "prefer", HEY_A_POLICY_PREFER },
	{ "exclude", HEY_A_POLICY_EXCLUDE },
	{ NULL, 0 },
};

static int policy_value(const struct keyword *kw, const char *s, void *obj,
			char *err)
{
	struct heynl_policy *p = obj;
	unsigned int v;

	switch (kw->attr) {
	case HEY_A_POLICY_MODE:
		if (hey_value_of(hey_mode_names, s, &v))
			return fail(-EINVAL, err,
				    "mode '%s': delayed, failover or immediate",
				    s);
		p->mode = v;
		return 0;
	case HEY_A_POLICY_PROTOCOLS:
		return args_protocols(s, p->protocols, &p->n_protocols, err);
	case HEY_A_POLICY_ALLOWED:
		return args_protocol_mask(s, &p->allowed, err);
	case HEY_A_POLICY_PREFER:
		return args_interfaces(s, p->prefer, &p->n_prefer,
				       HEYNL_POLICY_MAX_IFS, err);
	default:
		return args_interfaces(s, p->exclude, &p->n_exclude,
				       HEYNL_POLICY_MAX_IFS, err);
	}
}

int args_policy(int argc, char **argv, struct heynl_policy *p, char *err)
{
	static const struct keyword *const words[] = { policy_words, NULL };
	const struct syntax_u32 *nums[] = {
		syntax_policy_delays, syntax_policy_limits, NULL
	};

	memset(p, 0, sizeof(*p));
	if (!argc)
		return fail(-EINVAL, err, "nothing to set");
	return keyword_pairs(argc, argv, words, nums, p, &p->present,
			     policy_value, err);
}

int args_split(char *line, char **words, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	tok = strtok_r(line, " \t", &save);
	if (tok && tok[0] == '#')
		return 0;
	for (; tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -EINVAL;
		words[n++] = tok;
	}
	return n;
}
