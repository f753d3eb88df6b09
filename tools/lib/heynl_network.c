// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_attr.h"
#include "heynl_network.h"

static const struct nla_policy network_policy[HEY_A_NETWORK_MAX + 1] = {
	[HEY_A_NETWORK_IFINDEX] = HEYNL_POL_U32,
	[HEY_A_NETWORK_ID] = HEYNL_POL_U64,
	[HEY_A_NETWORK_IFNAME] = { .type = NLA_STRING },
};

int heynl_network_parse(struct nl_msg *msg, struct heynl_network *n)
{
	struct nlattr *tb[HEY_A_NETWORK_MAX + 1];
	int ret;

	memset(n, 0, sizeof(*n));
	ret = heynl_parse(msg, tb, HEY_A_NETWORK_MAX, network_policy);
	if (ret)
		return ret;
	if (!tb[HEY_A_NETWORK_IFINDEX] || !tb[HEY_A_NETWORK_ID])
		return -EPROTO;
	n->present = heynl_present(tb, HEY_A_NETWORK_MAX);
	n->ifindex = nla_get_u32(tb[HEY_A_NETWORK_IFINDEX]);
	n->id = nla_get_u64(tb[HEY_A_NETWORK_ID]);
	if (tb[HEY_A_NETWORK_IFNAME])
		nla_strlcpy(n->ifname, tb[HEY_A_NETWORK_IFNAME],
			    sizeof(n->ifname));
	return 0;
}

static int network_reply(struct nl_msg *msg, void *arg)
{
	return heynl_network_parse(msg, arg);
}

int heynl_network_get(struct heynl *h, uint32_t ifindex,
		      struct heynl_network *n)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_GET_NETWORK, 0);

	memset(n, 0, sizeof(*n));
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HEY_A_NETWORK_IFINDEX, ifindex)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(h, msg, network_reply, n);
}

static int networks_parse(struct nl_msg *msg, void *out)
{
	struct heynl_network *n = heynl_vec_add(out);

	if (!n)
		return -ENOMEM;
	return heynl_network_parse(msg, n);
}

int heynl_network_dump(struct heynl *h, struct heynl_vec *networks)
{
	return heynl_dump(h, HEY_CMD_GET_NETWORK, NULL, NULL, networks_parse,
			  networks);
}

int heynl_network_set(struct heynl *h, uint32_t ifindex, uint64_t id)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_SET_NETWORK, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HEY_A_NETWORK_IFINDEX, ifindex) ||
	    nla_put_u64(msg, HEY_A_NETWORK_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(h, msg, NULL, NULL);
}
