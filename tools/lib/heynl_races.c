// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_attr.h"
#include "heynl_races.h"

static const struct nla_policy race_policy[HEY_A_RACE_MAX + 1] = {
	[HEY_A_RACE_ID] = HEYNL_POL_U64,
	[HEY_A_RACE_AGE_MS] = HEYNL_POL_U64,
	[HEY_A_RACE_STATE] = HEYNL_POL_U8,
	[HEY_A_RACE_ERROR] = HEYNL_POL_U32,
	[HEY_A_RACE_WINNER] = HEYNL_POL_U32,
	[HEY_A_RACE_CONNECT_US] = HEYNL_POL_U32,
	[HEY_A_RACE_EARLY_DATA] = HEYNL_POL_U32,
	[HEY_A_RACE_PRUNED] = HEYNL_POL_U32,
	[HEY_A_RACE_LEAVES] = { .type = NLA_NESTED },
};

static const struct nla_policy leaf_policy[HEY_A_LEAF_MAX + 1] = {
	[HEY_A_LEAF_IFINDEX] = HEYNL_POL_U32,
	[HEY_A_LEAF_NETWORK] = HEYNL_POL_U64,
	[HEY_A_LEAF_PROTOCOL] = HEYNL_POL_U8,
	[HEY_A_LEAF_FAMILY] = HEYNL_POL_U16,
	[HEY_A_LEAF_ADDR] = HEYNL_POL_ADDR,
	[HEY_A_LEAF_PORT] = HEYNL_POL_U16,
	[HEY_A_LEAF_OUTCOME] = HEYNL_POL_U8,
	[HEY_A_LEAF_ERROR] = HEYNL_POL_U32,
	[HEY_A_LEAF_FLAGS] = HEYNL_POL_U16,
	[HEY_A_LEAF_START_US] = HEYNL_POL_U32,
	[HEY_A_LEAF_END_US] = HEYNL_POL_U32,
	[HEY_A_LEAF_CACHE] = HEYNL_POL_U8,
};

static int leaf_parse(struct nlattr *nest, struct heynl_leaf *leaf)
{
	struct nlattr *tb[HEY_A_LEAF_MAX + 1];

	if (nla_parse_nested(tb, HEY_A_LEAF_MAX, nest, leaf_policy))
		return -EPROTO;
	if (!tb[HEY_A_LEAF_FAMILY] || !tb[HEY_A_LEAF_ADDR] ||
	    !tb[HEY_A_LEAF_PORT] || !tb[HEY_A_LEAF_PROTOCOL] ||
	    !tb[HEY_A_LEAF_OUTCOME])
		return -EPROTO;
	leaf->present = heynl_present(tb, HEY_A_LEAF_MAX);
	leaf->family = nla_get_u16(tb[HEY_A_LEAF_FAMILY]);
	if (heynl_get_addr(tb[HEY_A_LEAF_ADDR], leaf->family, leaf->addr))
		return -EPROTO;
	leaf->port = ntohs(nla_get_u16(tb[HEY_A_LEAF_PORT]));
	leaf->protocol = nla_get_u8(tb[HEY_A_LEAF_PROTOCOL]);
	leaf->outcome = nla_get_u8(tb[HEY_A_LEAF_OUTCOME]);
	if (tb[HEY_A_LEAF_IFINDEX])
		leaf->ifindex = nla_get_u32(tb[HEY_A_LEAF_IFINDEX]);
	if (tb[HEY_A_LEAF_NETWORK])
		leaf->network = nla_get_u64(tb[HEY_A_LEAF_NETWORK]);
	if (tb[HEY_A_LEAF_ERROR])
		leaf->error = nla_get_u32(tb[HEY_A_LEAF_ERROR]);
	if (tb[HEY_A_LEAF_FLAGS])
		leaf->flags = nla_get_u16(tb[HEY_A_LEAF_FLAGS]);
	if (tb[HEY_A_LEAF_START_US])
		leaf->start_us = nla_get_u32(tb[HEY_A_LEAF_START_US]);
	if (tb[HEY_A_LEAF_END_US])
		leaf->end_us = nla_get_u32(tb[HEY_A_LEAF_END_US]);
	if (tb[HEY_A_LEAF_CACHE])
		leaf->cache = nla_get_u8(tb[HEY_A_LEAF_CACHE]);
	return 0;
}

static int leaves_parse(struct nlattr *leaves, struct heynl_race *race)
{
	struct nlattr *nest;
	int rem, ret;

	nla_for_each_nested(nest, leaves, rem) {
		if (nla_type(nest) != HEY_A_LEAF)
			return -EPROTO;
		if (race->n_leaves == HEY_MAX_LEAVES)
			return -EPROTO;
		ret = leaf_parse(nest, &race->leaves[race->n_leaves]);
		if (ret)
			return ret;
		race->n_leaves++;
	}
	return 0;
}

int heynl_race_parse(struct nl_msg *msg, struct heynl_race *race)
{
	struct nlattr *tb[HEY_A_RACE_MAX + 1];
	int ret;

	memset(race, 0, sizeof(*race));
	ret = heynl_parse(msg, tb, HEY_A_RACE_MAX, race_policy);
	if (ret)
		return ret;
	if (!tb[HEY_A_RACE_ID] || !tb[HEY_A_RACE_STATE])
		return -EPROTO;
	race->present = heynl_present(tb, HEY_A_RACE_MAX);
	race->id = nla_get_u64(tb[HEY_A_RACE_ID]);
	race->state = nla_get_u8(tb[HEY_A_RACE_STATE]);
	if (tb[HEY_A_RACE_AGE_MS])
		race->age_ms = nla_get_u64(tb[HEY_A_RACE_AGE_MS]);
	if (tb[HEY_A_RACE_ERROR])
		race->error = nla_get_u32(tb[HEY_A_RACE_ERROR]);
	if (tb[HEY_A_RACE_WINNER])
		race->winner = nla_get_u32(tb[HEY_A_RACE_WINNER]);
	if (tb[HEY_A_RACE_CONNECT_US])
		race->connect_us = nla_get_u32(tb[HEY_A_RACE_CONNECT_US]);
	if (tb[HEY_A_RACE_EARLY_DATA])
		race->early_data = nla_get_u32(tb[HEY_A_RACE_EARLY_DATA]);
	if (tb[HEY_A_RACE_PRUNED])
		race->pruned = nla_get_u32(tb[HEY_A_RACE_PRUNED]);
	if (tb[HEY_A_RACE_LEAVES])
		return leaves_parse(tb[HEY_A_RACE_LEAVES], race);
	return 0;
}

static int races_parse(struct nl_msg *msg, void *out)
{
	struct heynl_race *race = heynl_vec_add(out);

	if (!race)
		return -ENOMEM;
	return heynl_race_parse(msg, race);
}

int heynl_races_get(struct heynl *h, struct heynl_vec *races)
{
	return heynl_dump(h, HEY_CMD_GET_RACES, NULL, NULL, races_parse,
			  races);
}

void heynl_leaf_from_info(const struct hey_leaf_info *li,
			  struct heynl_leaf *leaf)
{
	memset(leaf, 0, sizeof(*leaf));
	leaf->present = HEYNL_BIT(HEY_A_LEAF_IFINDEX) |
			HEYNL_BIT(HEY_A_LEAF_PROTOCOL) |
			HEYNL_BIT(HEY_A_LEAF_FAMILY) |
			HEYNL_BIT(HEY_A_LEAF_ADDR) |
			HEYNL_BIT(HEY_A_LEAF_PORT) |
			HEYNL_BIT(HEY_A_LEAF_OUTCOME) |
			HEYNL_BIT(HEY_A_LEAF_FLAGS);
	leaf->ifindex = li->ifindex;
	leaf->protocol = li->protocol;
	leaf->family = li->endpoint.family;
	memcpy(leaf->addr, li->endpoint.addr,
	       li->endpoint.family == AF_INET ? 4 : 16);
	leaf->port = ntohs(li->endpoint.port);
	leaf->outcome = li->outcome;
	leaf->flags = li->flags;
	if (li->error > 0) {
		leaf->error = li->error;
		leaf->present |= HEYNL_BIT(HEY_A_LEAF_ERROR);
	}
	if (li->start_us != ~0U) {
		leaf->start_us = li->start_us;
		leaf->present |= HEYNL_BIT(HEY_A_LEAF_START_US);
	}
	if (li->end_us != ~0U) {
		leaf->end_us = li->end_us;
		leaf->present |= HEYNL_BIT(HEY_A_LEAF_END_US);
	}
}

void heynl_race_from_info(const struct hey_info *info,
			  struct heynl_race *race)
{
	unsigned int i;

	memset(race, 0, sizeof(*race));
	race->present = HEYNL_BIT(HEY_A_RACE_STATE) |
			HEYNL_BIT(HEY_A_RACE_EARLY_DATA);
	race->state = info->state;
	race->early_data = info->early_data;
	if (info->state == HEY_STATE_CONNECTED) {
		race->connect_us = info->connect_us;
		race->present |= HEYNL_BIT(HEY_A_RACE_CONNECT_US);
	}
	if (info->winner != ~0U) {
		race->winner = info->winner;
		race->present |= HEYNL_BIT(HEY_A_RACE_WINNER);
	}
	if (info->error > 0) {
		race->error = info->error;
		race->present |= HEYNL_BIT(HEY_A_RACE_ERROR);
	}
	race->n_leaves = info->n_leaves < HEY_MAX_LEAVES ? info->n_leaves :
			 HEY_MAX_LEAVES;
	for (i = 0; i < race->n_leaves; i++)
		heynl_leaf_from_info(&info->leaves[i], &race->leaves[i]);
}
