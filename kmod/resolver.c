// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of name resolution. The kernel cannot resolve names;
 * a userspace resolver (heyd) registers itself per namespace, receives a
 * request for every race by name, sent by unicast to its socket alone
 * (no multicast group: 6.1's genl mcast_bind cannot tell the registered
 * socket from any other CAP_NET_ADMIN one, and the names applications
 * look up are for the resolver only), and answers with endpoints per
 * path as its DNS answers arrive.
 *
 * Requests waiting for answers are kept in the namespace's "resolving"
 * xarray, by race id. An entry holds no reference of its own: the race
 * erases it (hey_resolver_cancel()) before the engine's reference goes,
 * so a race found there under the xarray's lock can be taken.
 *
 * The resolver stays registered as long as its netlink socket lives:
 * NETLINK_URELEASE tells when it is closed (the helper exited or died),
 * and every race still waiting is told (EDESTADDRREQ), as the sunrpc and
 * nfc users of that notifier do for their peers.
 */

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "netlink.h"
#include "pernet.h"
#include "race.h"
#include "resolver.h"

static const struct nla_policy hey_endpoint_policy[HEY_A_ENDPOINT_MAX + 1] = {
	[HEY_A_ENDPOINT_FAMILY] = { .type = NLA_U16 },
	[HEY_A_ENDPOINT_ADDR] = NLA_POLICY_MIN_LEN(4),
	[HEY_A_ENDPOINT_PORT] = { .type = NLA_BE16 },
	[HEY_A_ENDPOINT_TTL] = { .type = NLA_U32 },
	[HEY_A_ENDPOINT_PRIORITY] = { .type = NLA_U16 },
	[HEY_A_ENDPOINT_WEIGHT] = { .type = NLA_U16 },
};

const struct nla_policy hey_resolve_answer_policy[HEY_A_RESOLVE_MAX + 1] = {
	[HEY_A_RESOLVE_ID] = { .type = NLA_U64 },
	[HEY_A_RESOLVE_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&hey_ifindex_range),
	[HEY_A_RESOLVE_FLAGS] = NLA_POLICY_MASK(NLA_U32, HEY_RESOLVE_F_ALL),
	[HEY_A_RESOLVE_ENDPOINT] = NLA_POLICY_NESTED(hey_endpoint_policy),
};

bool hey_resolver_registered(const struct hey_net *hn)
{
	return READ_ONCE(hn->resolver_portid);
}

int hey_resolver_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	u32 old;

	old = cmpxchg(&hn->resolver_portid, 0, info->snd_portid);
	if (old && old != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "another socket is the namespace's resolver");
		return -EBUSY;
	}
	return 0;
}

/*
 * One endpoint nest into ep; false with an extack message when it is not
 * an endpoint a race could use.
 */
static bool answer_endpoint(const struct nlattr *nest, __be16 port,
			    struct hey_answer_ep *aep,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HEY_A_ENDPOINT_MAX + 1];
	const struct in6_addr *a6;
	struct hey_endpoint *ep = &aep->ep;
	int len;

	if (nla_parse_nested(tb, HEY_A_ENDPOINT_MAX, nest,
			     hey_endpoint_policy, extack))
		return false;
	if (!tb[HEY_A_ENDPOINT_FAMILY] || !tb[HEY_A_ENDPOINT_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an endpoint needs FAMILY and ADDR");
		return false;
	}
	memset(aep, 0, sizeof(*aep));
	ep->family = nla_get_u16(tb[HEY_A_ENDPOINT_FAMILY]);
	len = nla_len(tb[HEY_A_ENDPOINT_ADDR]);
	if ((ep->family != AF_INET || len != 4) &&
	    (ep->family != AF_INET6 || len != 16)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HEY_A_ENDPOINT_ADDR],
				    "ADDR is not an address of FAMILY");
		return false;
	}
	nla_memcpy(ep->addr, tb[HEY_A_ENDPOINT_ADDR], len);
	a6 = (const struct in6_addr *)ep->addr;
	if (ep->family == AF_INET6 &&
	    (ipv6_addr_any(a6) || ipv6_addr_is_multicast(a6) ||
	     ipv6_addr_v4mapped(a6))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HEY_A_ENDPOINT_ADDR],
				    "not a unicast IPv6 address");
		return false;
	}
	if (ep->family == AF_INET) {
		__be32 a4;

		memcpy(&a4, ep->addr, 4);
		if (ipv4_is_zeronet(a4) || ipv4_is_multicast(a4) ||
		    ipv4_is_lbcast(a4)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HEY_A_ENDPOINT_ADDR],
					    "not a unicast IPv4 address");
			return false;
		}
	}
	ep->port = tb[HEY_A_ENDPOINT_PORT] ?
		   nla_get_be16(tb[HEY_A_ENDPOINT_PORT]) : port;
	if (!ep->port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HEY_A_ENDPOINT_PORT],
				    "port 0");
		return false;
	}
	if (tb[HEY_A_ENDPOINT_TTL])
		aep->ttl = nla_get_u32(tb[HEY_A_ENDPOINT_TTL]);
	if (tb[HEY_A_ENDPOINT_PRIORITY])
		aep->priority = nla_get_u16(tb[HEY_A_ENDPOINT_PRIORITY]);
	if (tb[HEY_A_ENDPOINT_WEIGHT])
		aep->weight = nla_get_u16(tb[HEY_A_ENDPOINT_WEIGHT]);
	return true;
}

/* The race waiting for request id, referenced; NULL if none is. */
static struct hey_race *resolving_get(struct hey_net *hn, u64 id)
{
	struct hey_race *race;

	xa_lock(&hn->resolving);
	race = xa_load(&hn->resolving, id);
	if (race)
		hey_race_get(race);
	xa_unlock(&hn->resolving);
	return race;
}

int hey_resolver_answer_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct hey_answer *ans;
	struct hey_race *race;
	struct nlattr *nla;
	int rem, err;

	if (info->snd_portid != READ_ONCE(hn->resolver_portid)) {
		NL_SET_ERR_MSG(info->extack,
			       "only the registered resolver answers");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, HEY_A_RESOLVE_ID)) {
		NL_SET_ERR_MSG(info->extack, "HEY_A_RESOLVE_ID is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, HEY_A_RESOLVE_IFINDEX)) {
		NL_SET_ERR_MSG(info->extack,
			       "HEY_A_RESOLVE_IFINDEX is required");
		return -EINVAL;
	}
	ans = kzalloc(sizeof(*ans), GFP_KERNEL);
	if (!ans)
		return -ENOMEM;
	ans->ifindex = nla_get_u32(a[HEY_A_RESOLVE_IFINDEX]);
	if (a[HEY_A_RESOLVE_FLAGS])
		ans->flags = nla_get_u32(a[HEY_A_RESOLVE_FLAGS]);

	race = resolving_get(hn, nla_get_u64(a[HEY_A_RESOLVE_ID]));
	if (!race) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_RESOLVE_ID],
				    "no race is waiting for this request");
		err = -ENOENT;
		goto out;
	}
	/* All checked before the race sees any; extras beyond the cap go. */
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		struct hey_answer_ep aep;

		if (nla_type(nla) != HEY_A_RESOLVE_ENDPOINT)
			continue;
		if (!answer_endpoint(nla, hey_race_port(race), &aep,
				     info->extack)) {
			err = -EINVAL;
			goto out_put;
		}
		if (ans->n < HEY_MAX_ENDPOINTS)
			ans->eps[ans->n++] = aep;
	}
	err = hey_race_resolved(race, ans);
	if (err == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_RESOLVE_IFINDEX],
				    "the request did not ask for this path");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_RESOLVE_ID],
				    "no race is waiting for this request");
out_put:
	hey_race_put(race);
out:
	kfree(ans);
	return err;
}

/*
 * Registers the race under id and sends the request to the resolver's
 * socket. -EDESTADDRREQ when no resolver is there to hear it (none
 * registered, or its socket is gone: -ECONNREFUSED, before
 * NETLINK_URELEASE cleared it); -ETIMEDOUT when its receive buffer is
 * full (-EAGAIN): the request is lost as if the resolver had not
 * answered, so the race fails as it would at its deadline, at once
 * (the resolver's next recv() says ENOBUFS).
 */
int hey_resolver_request(struct hey_net *hn, struct hey_race *race, u64 id,
			 const char *name, __be16 port, u8 families,
			 const int *paths, int n_paths)
{
	u32 portid = READ_ONCE(hn->resolver_portid);
	struct sk_buff *msg;
	u32 p32[HEY_MAX_PATHS];
	void *hdr;
	int i, err;

	if (!portid)
		return -EDESTADDRREQ;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < n_paths; i++)
		p32[i] = paths[i];
	hdr = hey_genl_put(msg, HEY_CMD_RESOLVE);
	if (!hdr ||
	    nla_put_u64_64bit(msg, HEY_A_RESOLVE_ID, id, HEY_A_RESOLVE_PAD) ||
	    nla_put_string(msg, HEY_A_RESOLVE_NAME, name) ||
	    nla_put_be16(msg, HEY_A_RESOLVE_PORT, port) ||
	    nla_put_u8(msg, HEY_A_RESOLVE_FAMILIES, families) ||
	    nla_put(msg, HEY_A_RESOLVE_PATHS, n_paths * sizeof(p32[0]), p32)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);

	/* Before the request goes: an answer may come at once. */
	err = xa_insert(&hn->resolving, id, race, GFP_KERNEL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	/* consumes msg, sent or not; never blocks (MSG_DONTWAIT) */
	err = genlmsg_unicast(hn->net, msg, portid);
	if (err) {
		xa_erase(&hn->resolving, id);
		if (err == -ECONNREFUSED)
			return -EDESTADDRREQ;
		return err == -EAGAIN ? -ETIMEDOUT : err;
	}
	return 0;
}

void hey_resolver_cancel(struct hey_net *hn, u64 id)
{
	xa_erase(&hn->resolving, id);
}

/* The resolver's socket closed: races waiting for it are told. */
static void resolver_gone(struct hey_net *hn)
{
	struct hey_race *race;
	unsigned long id;

	xa_lock(&hn->resolving);
	xa_for_each(&hn->resolving, id, race) {
		hey_race_get(race);
		xa_unlock(&hn->resolving);
		hey_race_resolver_gone(race);
		hey_race_put(race);
		xa_lock(&hn->resolving);
	}
	xa_unlock(&hn->resolving);
}

static int resolver_release(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;
	struct hey_net *hn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid || !check_net(n->net))
		return NOTIFY_DONE;
	hn = hey_net_lookup(n->net);
	if (cmpxchg(&hn->resolver_portid, n->portid, 0) != n->portid)
		return NOTIFY_DONE;
	resolver_gone(hn);
	return NOTIFY_DONE;
}

static struct notifier_block hey_resolver_notifier = {
	.notifier_call = resolver_release,
};

int __init hey_resolver_init(void)
{
	return netlink_register_notifier(&hey_resolver_notifier);
}

void hey_resolver_exit(void)
{
	netlink_unregister_notifier(&hey_resolver_notifier);
}
