// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_attr.h"
#include "heynl_policy.h"

static const struct nla_policy policy_policy[HEY_A_POLICY_MAX + 1] = {
	[HEY_A_POLICY_MODE] = HEYNL_POL_U32,
	[HEY_A_POLICY_MIN_DELAY_MS] = HEYNL_POL_U32,
	[HEY_A_POLICY_MAX_DELAY_MS] = HEYNL_POL_U32,
	[HEY_A_POLICY_DEFAULT_DELAY_MS] = HEYNL_POL_U32,
	[HEY_A_POLICY_PROTOCOLS] = { .type = NLA_UNSPEC,
				     .maxlen = HEY_MAX_PROTOCOLS },
	[HEY_A_POLICY_ALLOWED] = HEYNL_POL_U32,
	[HEY_A_POLICY_PREFER] = { .type = NLA_UNSPEC,
				  .maxlen = 4 * HEYNL_POLICY_MAX_IFS },
	[HEY_A_POLICY_EXCLUDE] = { .type = NLA_UNSPEC,
				   .maxlen = 4 * HEYNL_POLICY_MAX_IFS },
	[HEY_A_POLICY_MAX_LEAVES] = HEYNL_POL_U32,
	[HEY_A_POLICY_MAX_RACES] = HEYNL_POL_U32,
};

/* The u32 attributes and where they go. */
static const struct heynl_u32_field policy_u32[] = {
	{ HEY_A_POLICY_MODE, offsetof(struct heynl_policy, mode) },
	{ HEY_A_POLICY_MIN_DELAY_MS,
	  offsetof(struct heynl_policy, min_delay_ms) },
	{ HEY_A_POLICY_MAX_DELAY_MS,
	  offsetof(struct heynl_policy, max_delay_ms) },
	{ HEY_A_POLICY_DEFAULT_DELAY_MS,
	  offsetof(struct heynl_policy, default_delay_ms) },
	{ HEY_A_POLICY_ALLOWED, offsetof(struct heynl_policy, allowed) },
	{ HEY_A_POLICY_MAX_LEAVES, offsetof(struct heynl_policy, max_leaves) },
	{ HEY_A_POLICY_MAX_RACES, offsetof(struct heynl_policy, max_races) },
};

#define N_POLICY_U32 (sizeof(policy_u32) / sizeof(policy_u32[0]))

static int get_ifindexes(struct nlattr *a, uint32_t *v, unsigned int *n)
{
	int len = nla_len(a);

	if (len % 4)
		return -EPROTO;
	memcpy(v, nla_data(a), len);
	*n = len / 4;
	return 0;
}

int heynl_policy_parse(struct nl_msg *msg, struct heynl_policy *p)
{
	struct nlattr *tb[HEY_A_POLICY_MAX + 1];
	int ret;

	memset(p, 0, sizeof(*p));
	ret = heynl_parse(msg, tb, HEY_A_POLICY_MAX, policy_policy);
	if (ret)
		return ret;
	p->present = heynl_present(tb, HEY_A_POLICY_MAX);
	heynl_get_u32s(tb, policy_u32, N_POLICY_U32, p);
	if (tb[HEY_A_POLICY_PROTOCOLS]) {
		p->n_protocols = nla_len(tb[HEY_A_POLICY_PROTOCOLS]);
		memcpy(p->protocols, nla_data(tb[HEY_A_POLICY_PROTOCOLS]),
		       p->n_protocols);
	}
	if (tb[HEY_A_POLICY_PREFER] &&
	    get_ifindexes(tb[HEY_A_POLICY_PREFER], p->prefer, &p->n_prefer))
		return -EPROTO;
	if (tb[HEY_A_POLICY_EXCLUDE] &&
	    get_ifindexes(tb[HEY_A_POLICY_EXCLUDE], p->exclude, &p->n_exclude))
		return -EPROTO;
	return 0;
}

int heynl_policy_put(struct nl_msg *msg, const struct heynl_policy *p)
{
	if (heynl_put_u32s(msg, policy_u32, N_POLICY_U32, p, p->present))
		return -EMSGSIZE;
	if (HEYNL_HAS(p, HEY_A_POLICY_PROTOCOLS) &&
	    nla_put(msg, HEY_A_POLICY_PROTOCOLS, p->n_protocols, p->protocols))
		return -EMSGSIZE;
	if (HEYNL_HAS(p, HEY_A_POLICY_PREFER) &&
	    nla_put(msg, HEY_A_POLICY_PREFER, 4 * p->n_prefer, p->prefer))
		return -EMSGSIZE;
	if (HEYNL_HAS(p, HEY_A_POLICY_EXCLUDE) &&
	    nla_put(msg, HEY_A_POLICY_EXCLUDE, 4 * p->n_exclude, p->exclude))
		return -EMSGSIZE;
	return 0;
}

static int policy_reply(struct nl_msg *msg, void *arg)
{
	return heynl_policy_parse(msg, arg);
}

int heynl_policy_get(struct heynl *h, struct heynl_policy *p)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_GET_POLICY, 0);

	memset(p, 0, sizeof(*p));
	if (!msg)
		return -ENOMEM;
	return heynl_request(h, msg, policy_reply, p);
}

int heynl_policy_set(struct heynl *h, const struct heynl_policy *p)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_SET_POLICY, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = heynl_policy_put(msg, p);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return heynl_request(h, msg, NULL, NULL);
}
