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
		return args_fail(-EINVAL, l->err,
				 "unknown protocol '%s' (tcp, tfo, sctp)", word);
	if (l->seen & (1u << p))
		return args_fail(-EINVAL, l->err, "protocol '%s' twice", word);
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
		return args_fail(ret, err, "'%s': a comma list of tcp, tfo, sctp",
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
		return args_fail(ret, err,
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
		return args_fail(-ENODEV, l->err, "no interface '%s'", word);
	if (l->n == l->max)
		return args_fail(-EINVAL, l->err, "more than %u interfaces",
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
		return args_fail(ret, err, "'%s': none, or a comma list of interfaces",
				 s);
	*n = l.n;
	return ret;
}

int args_cache_network(int argc, char **argv, bool *one, uint64_t *network,
		       char *err)
{
	*one = false;
	if (!argc)
		return 0;
	if (argc != 2 || strcmp(argv[0], "network"))
		return args_fail(-EINVAL, err, "expected nothing or 'network ID'");
	*one = true;
	return args_network_id(argv[1], network, err);
}

/* ---- policy ----------------------------------------------------------- */

static const struct args_keyword policy_words[] = {
	{ "mode", HEY_A_POLICY_MODE },
	{ "protocols", HEY_A_POLICY_PROTOCOLS },
	{ "allowed", HEY_A_POLICY_ALLOWED },
	{ "prefer", HEY_A_POLICY_PREFER },
	{ "exclude", HEY_A_POLICY_EXCLUDE },
	{ NULL, 0 },
};

static int policy_value(const struct args_keyword *kw, const char *s, void *obj,
			char *err)
{
	struct heynl_policy *p = obj;
	unsigned int v;

	switch (kw->attr) {
	case HEY_A_POLICY_MODE:
		if (hey_value_of(hey_mode_names, s, &v))
			return args_fail(-EINVAL, err,
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
	static const struct args_keyword *const words[] = { policy_words, NULL };
	const struct syntax_u32 *nums[] = {
		syntax_policy_delays, syntax_policy_limits, NULL
	};

	memset(p, 0, sizeof(*p));
	if (!argc)
		return args_fail(-EINVAL, err, "nothing to set");
	return args_keyword_pairs(argc, argv, words, nums, p, &p->present,
				  policy_value, err);
}
