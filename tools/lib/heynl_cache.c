// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_attr.h"
#include "heynl_cache.h"

static const struct nla_policy cache_policy[HEY_A_CACHE_MAX + 1] = {
	[HEY_A_CACHE_NETWORK] = HEYNL_POL_U64,
	[HEY_A_CACHE_FAMILY] = HEYNL_POL_U16,
	[HEY_A_CACHE_ADDR] = HEYNL_POL_ADDR,
	[HEY_A_CACHE_PORT] = HEYNL_POL_U16,
	[HEY_A_CACHE_PROTOCOL] = HEYNL_POL_U8,
	[HEY_A_CACHE_RESULT] = HEYNL_POL_U8,
	[HEY_A_CACHE_SUCCESSES] = HEYNL_POL_U32,
	[HEY_A_CACHE_FAILURES] = HEYNL_POL_U32,
	[HEY_A_CACHE_ERROR] = HEYNL_POL_U32,
	[HEY_A_CACHE_HANDSHAKE_US] = HEYNL_POL_U32,
	[HEY_A_CACHE_SRTT_US] = HEYNL_POL_U32,
	[HEY_A_CACHE_AGE_MS] = HEYNL_POL_U32,
	[HEY_A_CACHE_CHANGE] = HEYNL_POL_U8,
	[HEY_A_CACHE_NAME] = HEYNL_POL_STRING(HEY_MAX_HOST),
};

/* The optional u32 attributes and where they go. */
static const struct heynl_u32_field cache_u32[] = {
	{ HEY_A_CACHE_SUCCESSES, offsetof(struct heynl_cache_entry, successes) },
	{ HEY_A_CACHE_FAILURES, offsetof(struct heynl_cache_entry, failures) },
	{ HEY_A_CACHE_ERROR, offsetof(struct heynl_cache_entry, error) },
	{ HEY_A_CACHE_HANDSHAKE_US,
	  offsetof(struct heynl_cache_entry, handshake_us) },
	{ HEY_A_CACHE_SRTT_US, offsetof(struct heynl_cache_entry, srtt_us) },
	{ HEY_A_CACHE_AGE_MS, offsetof(struct heynl_cache_entry, age_ms) },
};

#define N_CACHE_U32 (sizeof(cache_u32) / sizeof(cache_u32[0]))

int heynl_cache_entry_parse(struct nl_msg *msg, struct heynl_cache_entry *e)
{
	struct nlattr *tb[HEY_A_CACHE_MAX + 1];
	int ret;

	memset(e, 0, sizeof(*e));
	ret = heynl_parse(msg, tb, HEY_A_CACHE_MAX, cache_policy);
	if (ret)
		return ret;
	e->present = heynl_present(tb, HEY_A_CACHE_MAX);
	if (tb[HEY_A_CACHE_CHANGE])
		e->change = nla_get_u8(tb[HEY_A_CACHE_CHANGE]);
	if (tb[HEY_A_CACHE_NETWORK])
		e->network = nla_get_u64(tb[HEY_A_CACHE_NETWORK]);
	if (e->change == HEY_CACHE_CHANGE_FLUSHED)
		return 0;
	if ((e->present & HEYNL_CACHE_KEY) != HEYNL_CACHE_KEY)
		return -EPROTO;
	e->family = nla_get_u16(tb[HEY_A_CACHE_FAMILY]);
	if (tb[HEY_A_CACHE_NAME]) {
		/* the policy took a NUL at its end: none before it */
		const char *name = nla_data(tb[HEY_A_CACHE_NAME]);
		size_t len = nla_len(tb[HEY_A_CACHE_NAME]) - 1;

		if (tb[HEY_A_CACHE_ADDR] || !len || strlen(name) != len ||
		    (e->family != AF_INET && e->family != AF_INET6))
			return -EPROTO;
		memcpy(e->name, name, len + 1);
	} else if (e->family != AF_UNSPEC &&
		   (!tb[HEY_A_CACHE_ADDR] ||
		    heynl_get_addr(tb[HEY_A_CACHE_ADDR], e->family, e->addr))) {
		return -EPROTO;
	}
	e->port = ntohs(nla_get_u16(tb[HEY_A_CACHE_PORT]));
	e->protocol = nla_get_u8(tb[HEY_A_CACHE_PROTOCOL]);
	/* a deletion event may say only which key went */
	if (tb[HEY_A_CACHE_RESULT])
		e->result = nla_get_u8(tb[HEY_A_CACHE_RESULT]);
	else if (e->change != HEY_CACHE_CHANGE_DELETED)
		return -EPROTO;
	heynl_get_u32s(tb, cache_u32, N_CACHE_U32, e);
	return 0;
}

int heynl_cache_put(struct nl_msg *msg, const struct heynl_cache_entry *e,
		    bool key_only)
{
	int len = e->family == AF_INET ? 4 : 16;

	bool named = HEYNL_HAS(e, HEY_A_CACHE_NAME);

	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, e->network) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, e->family) ||
	    (named && nla_put_string(msg, HEY_A_CACHE_NAME, e->name)) ||
	    (e->family != AF_UNSPEC && !named &&
	     nla_put(msg, HEY_A_CACHE_ADDR, len, e->addr)) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(e->port)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL, e->protocol))
		return -EMSGSIZE;
	if (key_only)
		return 0;
	if (nla_put_u8(msg, HEY_A_CACHE_RESULT, e->result))
		return -EMSGSIZE;
	return heynl_put_u32s(msg, cache_u32, N_CACHE_U32, e, e->present);
}

static int cache_parse(struct nl_msg *msg, void *out)
{
	struct heynl_cache_entry *e = heynl_vec_add(out);

	if (!e)
		return -ENOMEM;
	return heynl_cache_entry_parse(msg, e);
}

static int put_network(struct nl_msg *msg, const void *network)
{
	if (!network)
		return 0;
	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, *(const uint64_t *)network))
		return -EMSGSIZE;
	return 0;
}

int heynl_cache_get(struct heynl *h, bool one_network, uint64_t network,
		    struct heynl_vec *entries)
{
	return heynl_dump(h, HEY_CMD_GET_CACHE, put_network,
			  one_network ? &network : NULL, cache_parse, entries);
}

static int cache_do(struct heynl *h, uint8_t cmd,
		    const struct heynl_cache_entry *e, bool key_only)
{
	struct nl_msg *msg = heynl_msg(h, cmd, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = heynl_cache_put(msg, e, key_only);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return heynl_request(h, msg, NULL, NULL);
}

int heynl_cache_set(struct heynl *h, const struct heynl_cache_entry *e)
{
	return cache_do(h, HEY_CMD_SET_CACHE, e, false);
}

int heynl_cache_del(struct heynl *h, const struct heynl_cache_entry *e)
{
	return cache_do(h, HEY_CMD_DEL_CACHE, e, true);
}

int heynl_cache_flush(struct heynl *h, bool one_network, uint64_t network)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_FLUSH_CACHE, 0);

	if (!msg)
		return -ENOMEM;
	if (put_network(msg, one_network ? &network : NULL)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(h, msg, NULL, NULL);
}
