// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "hey": the control plane that heyctl and
 * heyd speak. Every command answers for the network namespace of the
 * requesting socket.
 */

#include <net/genetlink.h>
#include <uapi/linux/hey.h>

#include "netlink.h"
#include "pernet.h"
#include "version.h"

static struct genl_family hey_genl_family;

static int hey_status_fill(struct sk_buff *skb, const struct hey_net *hn)
{
	if (nla_put_string(skb, HEY_A_STATUS_VERSION, HEY_VERSION) ||
	    nla_put_u32(skb, HEY_A_STATUS_API, HEY_GENL_VERSION) ||
	    nla_put_u32(skb, HEY_A_STATUS_SOCKETS,
			atomic_read(&hn->sockets)) ||
	    nla_put_u64_64bit(skb, HEY_A_STATUS_ATTACHED,
			      atomic64_read(&hn->attached), HEY_A_STATUS_PAD))
		return -EMSGSIZE;
	return 0;
}

static int hey_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &hey_genl_family, 0,
				HEY_CMD_GET_STATUS);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	ret = hey_status_fill(msg, hn);
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int hey_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &hey_genl_family, 0,
				HEY_CMD_GET_STATS);
	if (!hdr)
		goto err_free;
	for (i = HEY_A_STATS_RACES; i <= HEY_A_STATS_MAX; i++)
		if (nla_put_u64_64bit(msg, i, atomic64_read(&hn->stats[i]),
				      HEY_A_STATS_PAD))
			goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * No op has a policy of its own yet: with resv_start_op left at zero the
 * core then refuses every attribute and any reserved header bits, which is
 * the strict validation each command needs.
 */
static const struct genl_ops hey_genl_ops[] = {
	{
		.cmd = HEY_CMD_GET_STATUS,
		.doit = hey_status_get_doit,
	},
	{
		.cmd = HEY_CMD_GET_STATS,
		.doit = hey_stats_get_doit,
	},
};

static struct genl_family hey_genl_family __ro_after_init = {
	.name = HEY_GENL_NAME,
	.version = HEY_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = hey_genl_ops,
	.n_ops = ARRAY_SIZE(hey_genl_ops),
	.resv_start_op = 0,
};

int __init hey_genl_register(void)
{
	return genl_register_family(&hey_genl_family);
}

void hey_genl_unregister(void)
{
	genl_unregister_family(&hey_genl_family);
}
