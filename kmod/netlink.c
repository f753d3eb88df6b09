// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "hey": the control plane that heyctl and
 * heyd speak. Every command answers for the network namespace of the
 * requesting socket.
 */

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/hey.h>

#include "cache.h"
#include "netlink.h"
#include "network.h"
#include "pernet.h"
#include "policy.h"
#include "racelog.h"
#include "resolver.h"
#include "sockopt.h"
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
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
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
	for (i = HEY_A_STATS_RACES; i <= HEY_A_STATS_MAX; i++) {
		u64 v = hey_stat_read(hn, i);

		if (i == HEY_A_STATS_CACHE_ENTRIES)
			v = READ_ONCE(hn->cache.count);
		if (nla_put_u64_64bit(msg, i, v, HEY_A_STATS_PAD))
			goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- races ---------------------------------------------------------- */

static int leaf_fill(struct sk_buff *skb, const struct hey_race_record *r,
		     int i)
{
	const struct hey_leaf_info *li = &r->leaves[i].info;
	const struct hey_endpoint *ep = &li->endpoint;
	int alen = ep->family == AF_INET ? 4 : 16;
	struct nlattr *nest;

	nest = nla_nest_start(skb, HEY_A_LEAF);
	if (!nest ||
	    nla_put_u32(skb, HEY_A_LEAF_IFINDEX, li->ifindex) ||
	    nla_put_u64_64bit(skb, HEY_A_LEAF_NETWORK, r->leaves[i].network,
			      HEY_A_LEAF_PAD) ||
	    nla_put_u8(skb, HEY_A_LEAF_PROTOCOL, li->protocol) ||
	    nla_put_u16(skb, HEY_A_LEAF_FAMILY, ep->family) ||
	    nla_put(skb, HEY_A_LEAF_ADDR, alen, ep->addr) ||
	    nla_put_be16(skb, HEY_A_LEAF_PORT, ep->port) ||
	    nla_put_u8(skb, HEY_A_LEAF_OUTCOME, li->outcome) ||
	    nla_put_u32(skb, HEY_A_LEAF_ERROR, li->error) ||
	    nla_put_u16(skb, HEY_A_LEAF_FLAGS, li->flags) ||
	    nla_put_u8(skb, HEY_A_LEAF_CACHE, r->leaves[i].cache) ||
	    (li->start_us != ~0U &&
	     nla_put_u32(skb, HEY_A_LEAF_START_US, li->start_us)) ||
	    (li->end_us != ~0U &&
	     nla_put_u32(skb, HEY_A_LEAF_END_US, li->end_us)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int race_fill(struct sk_buff *skb, const struct hey_race_record *r)
{
	u64 age_ms = ktime_ms_delta(ktime_get(), r->start);
	struct nlattr *nest;
	int i;

	if (nla_put_u64_64bit(skb, HEY_A_RACE_ID, r->id, HEY_A_RACE_PAD) ||
	    nla_put_u64_64bit(skb, HEY_A_RACE_AGE_MS, age_ms,
			      HEY_A_RACE_PAD) ||
	    nla_put_u8(skb, HEY_A_RACE_STATE, r->state) ||
	    nla_put_u32(skb, HEY_A_RACE_ERROR, r->error) ||
	    (r->winner != ~0U &&
	     nla_put_u32(skb, HEY_A_RACE_WINNER, r->winner)) ||
	    nla_put_u32(skb, HEY_A_RACE_CONNECT_US, r->connect_us) ||
	    nla_put_u32(skb, HEY_A_RACE_EARLY_DATA, r->early_data) ||
	    nla_put_u32(skb, HEY_A_RACE_PRUNED, r->pruned))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HEY_A_RACE_LEAVES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < r->n_leaves; i++)
		if (leaf_fill(skb, r, i))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct race_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int race_dump_one(const struct hey_race_record *r, void *arg)
{
	struct race_dump *d = arg;
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &hey_genl_family, NLM_F_MULTI,
			  HEY_CMD_GET_RACES);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(d->cb, hdr);
	if (race_fill(d->skb, r)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/* cb->args[0]: the id of the last race dumped. */
static int hey_races_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct hey_net *hn = hey_net_lookup(sock_net(skb->sk));
	struct race_dump d = { .skb = skb, .cb = cb };
	u64 last = cb->args[0];
	int err;

	cb->seq = hey_racelog_gen(hn);
	err = hey_racelog_walk(hn, &last, race_dump_one, &d);
	cb->args[0] = last;
	/* A full skb ends this part of the dump; the next goes on. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ---- the history cache ---------------------------------------------- */

/* The key's attributes, in every cache command that names an entry. */
#define HEY_CACHE_KEY_POLICY						\
	[HEY_A_CACHE_NETWORK] = { .type = NLA_U64 },			\
	[HEY_A_CACHE_FAMILY] = { .type = NLA_U16 },			\
	[HEY_A_CACHE_ADDR] = NLA_POLICY_MIN_LEN(4),			\
	[HEY_A_CACHE_PORT] = { .type = NLA_BE16 },			\
	[HEY_A_CACHE_PROTOCOL] = NLA_POLICY_RANGE(NLA_U8, HEY_PROTO_TCP, \
						  __HEY_PROTO_MAX - 1),	\
	[HEY_A_CACHE_NAME] = { .type = NLA_STRING, .len = HEY_MAX_HOST }

static const struct nla_policy hey_cache_key_policy[HEY_A_CACHE_MAX + 1] = {
	HEY_CACHE_KEY_POLICY,
};

static const struct nla_policy hey_cache_set_policy[HEY_A_CACHE_MAX + 1] = {
	HEY_CACHE_KEY_POLICY,
	[HEY_A_CACHE_RESULT] = NLA_POLICY_RANGE(NLA_U8, HEY_CACHE_SUCCESS,
						__HEY_CACHE_RESULT_MAX - 1),
	[HEY_A_CACHE_SUCCESSES] = { .type = NLA_U32 },
	[HEY_A_CACHE_FAILURES] = { .type = NLA_U32 },
	[HEY_A_CACHE_ERROR] = NLA_POLICY_MAX(NLA_U32, MAX_ERRNO),
	[HEY_A_CACHE_HANDSHAKE_US] = { .type = NLA_U32 },
	[HEY_A_CACHE_SRTT_US] = { .type = NLA_U32 },
	[HEY_A_CACHE_AGE_MS] = { .type = NLA_U32 },
};

static const struct nla_policy hey_cache_net_policy[HEY_A_CACHE_MAX + 1] = {
	[HEY_A_CACHE_NETWORK] = { .type = NLA_U64 },
};

/* A key's name, NUL-terminated: the key holds its bytes alone. */
static int cache_put_name(struct sk_buff *skb, const struct hey_cache_key *key)
{
	struct nlattr *a = nla_reserve(skb, HEY_A_CACHE_NAME,
				       key->name_len + 1);
	char *s;

	if (!a)
		return -EMSGSIZE;
	s = nla_data(a);
	memcpy(s, key->name, key->name_len);
	s[key->name_len] = '\0';
	return 0;
}

static int cache_fill(struct sk_buff *skb, const struct hey_cache_key *key,
		      const struct hey_cache_val *val)
{
	int alen = key->family == AF_INET ? 4 : 16;

	if (nla_put_u64_64bit(skb, HEY_A_CACHE_NETWORK, key->network,
			      HEY_A_CACHE_PAD) ||
	    nla_put_u16(skb, HEY_A_CACHE_FAMILY, key->family) ||
	    (key->family != AF_UNSPEC && !key->name_len &&
	     nla_put(skb, HEY_A_CACHE_ADDR, alen, key->addr)) ||
	    (key->name_len && cache_put_name(skb, key)) ||
	    nla_put_be16(skb, HEY_A_CACHE_PORT, key->port) ||
	    nla_put_u8(skb, HEY_A_CACHE_PROTOCOL, key->protocol) ||
	    nla_put_u8(skb, HEY_A_CACHE_RESULT, val->result) ||
	    nla_put_u32(skb, HEY_A_CACHE_SUCCESSES, val->successes) ||
	    nla_put_u32(skb, HEY_A_CACHE_FAILURES, val->failures) ||
	    nla_put_u32(skb, HEY_A_CACHE_ERROR, val->error) ||
	    nla_put_u32(skb, HEY_A_CACHE_HANDSHAKE_US, val->handshake_us) ||
	    nla_put_u32(skb, HEY_A_CACHE_SRTT_US, val->srtt_us) ||
	    nla_put_u32(skb, HEY_A_CACHE_AGE_MS, val->age_ms))
		return -EMSGSIZE;
	return 0;
}

/* cb->args[0]: where hey_cache_next() goes on. */
static int hey_cache_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *net_attr = info->attrs[HEY_A_CACHE_NETWORK];
	struct hey_net *hn = hey_net_lookup(sock_net(skb->sk));
	u64 network = net_attr ? nla_get_u64(net_attr) : 0;
	struct hey_cache_key key;
	struct hey_cache_val val;
	char name[HEY_MAX_HOST];
	u64 pos = cb->args[0];
	void *hdr;

	cb->seq = hey_cache_gen(hn);
	while (hey_cache_next(hn, &pos, !net_attr, network, &key, name,
			      &val)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hey_genl_family,
				  NLM_F_MULTI, HEY_CMD_GET_CACHE);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (cache_fill(skb, &key, &val)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
	return skb->len;
}

/*
 * Whether a required attribute is there; if not, extack names the
 * missing type and says so in words (what: a string literal, which
 * outlives the request as NL_SET_ERR_MSG needs).
 */
static bool require(struct genl_info *info, int type, const char *what)
{
	if (!GENL_REQ_ATTR_CHECK(info, type))
		return true;
	if (info->extack)
		info->extack->_msg = what;
	return false;
}

/* Refuses attr with extack what (a string that outlives the request). */
static int refuse(struct genl_info *info, const struct nlattr *attr,
		  const char *what)
{
	if (info->extack) {
		info->extack->_msg = what;
		info->extack->bad_attr = attr;
	}
	return -EINVAL;
}

/*
 * A name key: HEY_HOST's rules (the policy bounded the length), folded
 * into buf (HEY_MAX_HOST bytes), which key->name then points to.
 */
static int cache_key_name(struct genl_info *info, struct hey_cache_key *key,
			  char *buf)
{
	const struct nlattr *name = info->attrs[HEY_A_CACHE_NAME];
	const char *s = nla_data(name), *why;
	unsigned int len = nla_len(name);

	if (info->attrs[HEY_A_CACHE_ADDR])
		return refuse(info, info->attrs[HEY_A_CACHE_ADDR],
			      "a name entry has no address");
	if (len && !s[len - 1])
		len--;
	why = len ? hey_host_invalid(s, len) : "the name is empty";
	if (why)
		return refuse(info, name, why);
	key->name_len = hey_cache_name(buf, s, len);
	key->name = buf;
	return 0;
}

/*
 * The key of SET_CACHE and DEL_CACHE, every part of it required; a name
 * goes into name (HEY_MAX_HOST bytes).
 */
static int cache_key_parse(struct genl_info *info, struct hey_cache_key *key,
			   char *name)
{
	struct nlattr **a = info->attrs;
	struct nlattr *addr = a[HEY_A_CACHE_ADDR];

	if (!require(info, HEY_A_CACHE_NETWORK,
		     "HEY_A_CACHE_NETWORK is required"))
		return -EINVAL;
	if (!require(info, HEY_A_CACHE_FAMILY,
		     "HEY_A_CACHE_FAMILY is required"))
		return -EINVAL;
	if (!require(info, HEY_A_CACHE_PORT,
		     "HEY_A_CACHE_PORT is required"))
		return -EINVAL;
	if (!require(info, HEY_A_CACHE_PROTOCOL,
		     "HEY_A_CACHE_PROTOCOL is required"))
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->network = nla_get_u64(a[HEY_A_CACHE_NETWORK]);
	key->family = nla_get_u16(a[HEY_A_CACHE_FAMILY]);
	key->port = nla_get_be16(a[HEY_A_CACHE_PORT]);
	key->protocol = nla_get_u8(a[HEY_A_CACHE_PROTOCOL]);
	if (!key->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_CACHE_PORT],
				    "port 0 is no destination");
		return -EINVAL;
	}
	switch (key->family) {
	case AF_UNSPEC:
		if (addr) {
			NL_SET_ERR_MSG_ATTR(info->extack, addr,
					    "AF_UNSPEC entries have no address");
			return -EINVAL;
		}
		if (a[HEY_A_CACHE_NAME]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_CACHE_NAME],
					    "AF_UNSPEC entries have no name");
			return -EINVAL;
		}
		if (key->protocol != HEY_PROTO_TFO) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[HEY_A_CACHE_PROTOCOL],
					    "AF_UNSPEC entries are TFO's");
			return -EINVAL;
		}
		return 0;
	case AF_INET:
	case AF_INET6:
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_CACHE_FAMILY],
				    "family must be AF_UNSPEC, AF_INET or AF_INET6");
		return -EINVAL;
	}
	if (a[HEY_A_CACHE_NAME])
		return cache_key_name(info, key, name);
	if (!require(info, HEY_A_CACHE_ADDR,
		     "HEY_A_CACHE_ADDR or HEY_A_CACHE_NAME is required"))
		return -EINVAL;
	if (nla_len(addr) != (key->family == AF_INET ? 4 : 16)) {
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "address length does not match the family");
		return -EINVAL;
	}
	memcpy(key->addr, nla_data(addr), nla_len(addr));
	return 0;
}

static u32 attr_u32(struct nlattr **a, int type)
{
	return a[type] ? nla_get_u32(a[type]) : 0;
}

static int hey_cache_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct hey_cache_key key;
	struct hey_cache_val val = {};
	char name[HEY_MAX_HOST];
	int err;

	err = cache_key_parse(info, &key, name);
	if (err)
		return err;
	if (!require(info, HEY_A_CACHE_RESULT,
		     "HEY_A_CACHE_RESULT is required"))
		return -EINVAL;
	val.result = nla_get_u8(a[HEY_A_CACHE_RESULT]);
	val.successes = attr_u32(a, HEY_A_CACHE_SUCCESSES);
	val.failures = attr_u32(a, HEY_A_CACHE_FAILURES);
	val.error = attr_u32(a, HEY_A_CACHE_ERROR);
	val.handshake_us = attr_u32(a, HEY_A_CACHE_HANDSHAKE_US);
	val.srtt_us = attr_u32(a, HEY_A_CACHE_SRTT_US);
	val.age_ms = attr_u32(a, HEY_A_CACHE_AGE_MS);
	err = hey_cache_set(hn, &key, &val);
	if (err == -ESTALE) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_CACHE_AGE_MS],
				    "the entry would have expired");
		return -EINVAL;
	}
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the cache is off (net.hey.cache_size is 0)");
	return err;
}

static int hey_cache_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct hey_cache_key key;
	char name[HEY_MAX_HOST];
	int err;

	err = cache_key_parse(info, &key, name);
	if (err)
		return err;
	err = hey_cache_del(hn, &key);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "no such entry");
	return err;
}

static int hey_cache_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct nlattr *net_attr = info->attrs[HEY_A_CACHE_NETWORK];

	hey_cache_flush(hn, !net_attr, net_attr ? nla_get_u64(net_attr) : 0);
	return 0;
}

/* ---- policy --------------------------------------------------------- */

#define HEY_POLICY_MAX_DELAY_MS 60000

/* A policy's bounds are s16: larger ones need a range of their own. */
static struct netlink_range_validation hey_delay_range = {
	.min = 10,
	.max = HEY_POLICY_MAX_DELAY_MS,
};

static struct netlink_range_validation hey_max_races_range = {
	.min = 1,
	.max = HEY_MAX_RACES_LIMIT,
};

static const struct nla_policy hey_policy_policy[HEY_A_POLICY_MAX + 1] = {
	[HEY_A_POLICY_MODE] = NLA_POLICY_MAX(NLA_U32, __HEY_RACE_MAX - 1),
	[HEY_A_POLICY_MIN_DELAY_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &hey_delay_range),
	[HEY_A_POLICY_MAX_DELAY_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &hey_delay_range),
	[HEY_A_POLICY_DEFAULT_DELAY_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&hey_delay_range),
	[HEY_A_POLICY_PROTOCOLS] = { .type = NLA_BINARY,
				     .len = HEY_MAX_PROTOCOLS },
	[HEY_A_POLICY_ALLOWED] = NLA_POLICY_MASK(NLA_U32,
						 HEY_POLICY_ALLOWED_ALL),
	[HEY_A_POLICY_PREFER] = { .type = NLA_BINARY,
				  .len = HEY_MAX_PATHS * sizeof(u32) },
	[HEY_A_POLICY_EXCLUDE] = { .type = NLA_BINARY,
				   .len = HEY_MAX_PATHS * sizeof(u32) },
	[HEY_A_POLICY_MAX_LEAVES] = NLA_POLICY_RANGE(NLA_U32, 1,
						     HEY_MAX_LEAVES),
	[HEY_A_POLICY_MAX_RACES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &hey_max_races_range),
};

static int policy_fill(struct sk_buff *skb, struct hey_net *hn)
{
	struct hey_policy p;

	hey_policy_get(hn, &p);
	if (nla_put_u32(skb, HEY_A_POLICY_MODE, p.mode) ||
	    nla_put_u32(skb, HEY_A_POLICY_MIN_DELAY_MS, p.min_delay_ms) ||
	    nla_put_u32(skb, HEY_A_POLICY_MAX_DELAY_MS, p.max_delay_ms) ||
	    nla_put_u32(skb, HEY_A_POLICY_DEFAULT_DELAY_MS,
			p.default_delay_ms) ||
	    nla_put(skb, HEY_A_POLICY_PROTOCOLS, p.n_protos, p.protos) ||
	    nla_put_u32(skb, HEY_A_POLICY_ALLOWED, p.allowed) ||
	    nla_put(skb, HEY_A_POLICY_PREFER, p.n_prefer * sizeof(u32),
		    p.prefer) ||
	    nla_put(skb, HEY_A_POLICY_EXCLUDE, p.n_exclude * sizeof(u32),
		    p.exclude) ||
	    nla_put_u32(skb, HEY_A_POLICY_MAX_LEAVES,
			READ_ONCE(hn->max_leaves)) ||
	    nla_put_u32(skb, HEY_A_POLICY_MAX_RACES,
			READ_ONCE(hn->max_races)))
		return -EMSGSIZE;
	return 0;
}

/* A do command's reply: the header, then fill(skb, hn). */
static int reply_with(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *skb, struct hey_net *hn))
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &hey_genl_family, 0, cmd);
	if (!hdr || fill(msg, hn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int hey_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply_with(info, HEY_CMD_GET_POLICY, policy_fill);
}

static bool ifindex_exists(struct net *net, u32 ifindex)
{
	bool found;

	rcu_read_lock();
	found = ifindex <= INT_MAX && dev_get_by_index_rcu(net, ifindex);
	rcu_read_unlock();
	return found;
}

/* An interface list attribute into ifs[], *n entries. */
static int policy_ifs(struct genl_info *info, int type, u32 *ifs, u8 *n)
{
	struct nlattr *attr = info->attrs[type];
	int i, len = nla_len(attr);

	if (len % sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not a list of u32 interface indexes");
		return -EINVAL;
	}
	*n = len / sizeof(u32);
	memcpy(ifs, nla_data(attr), len);
	for (i = 0; i < *n; i++) {
		if (!ifindex_exists(genl_info_net(info), ifs[i])) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "no such interface");
			return -ENODEV;
		}
	}
	return 0;
}

static int policy_protos(struct genl_info *info, struct hey_policy *p)
{
	struct nlattr *attr = info->attrs[HEY_A_POLICY_PROTOCOLS];
	const u8 *v = nla_data(attr);
	int i, len = nla_len(attr);
	u32 seen = 0;

	for (i = 0; i < len; i++) {
		if (!v[i] || v[i] >= __HEY_PROTO_MAX || (seen & BIT(v[i]))) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "unknown or repeated protocol");
			return -EINVAL;
		}
		seen |= BIT(v[i]);
	}
	if (!len) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "at least one protocol is needed");
		return -EINVAL;
	}
	p->n_protos = len;
	memcpy(p->protos, v, len);
	return 0;
}

static int hey_policy_update(struct genl_info *info, struct hey_net *hn)
{
	struct nlattr **a = info->attrs;
	struct hey_policy p;
	int err;

	/* All of it checked on a copy first: nothing partly applied. */
	hey_policy_get(hn, &p);
	if (a[HEY_A_POLICY_MODE])
		p.mode = nla_get_u32(a[HEY_A_POLICY_MODE]);
	if (a[HEY_A_POLICY_MIN_DELAY_MS])
		p.min_delay_ms = nla_get_u32(a[HEY_A_POLICY_MIN_DELAY_MS]);
	if (a[HEY_A_POLICY_MAX_DELAY_MS])
		p.max_delay_ms = nla_get_u32(a[HEY_A_POLICY_MAX_DELAY_MS]);
	if (a[HEY_A_POLICY_DEFAULT_DELAY_MS])
		p.default_delay_ms =
			nla_get_u32(a[HEY_A_POLICY_DEFAULT_DELAY_MS]);
	if (a[HEY_A_POLICY_ALLOWED])
		p.allowed = nla_get_u32(a[HEY_A_POLICY_ALLOWED]);
	if (p.min_delay_ms > p.max_delay_ms) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "min_delay_ms is above max_delay_ms");
		return -EINVAL;
	}
	if (!p.allowed) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_POLICY_ALLOWED],
				    "no protocol allowed");
		return -EINVAL;
	}
	if (a[HEY_A_POLICY_PROTOCOLS]) {
		err = policy_protos(info, &p);
		if (err)
			return err;
	}
	if (a[HEY_A_POLICY_PREFER]) {
		err = policy_ifs(info, HEY_A_POLICY_PREFER, p.prefer,
				 &p.n_prefer);
		if (err)
			return err;
	}
	if (a[HEY_A_POLICY_EXCLUDE]) {
		err = policy_ifs(info, HEY_A_POLICY_EXCLUDE, p.exclude,
				 &p.n_exclude);
		if (err)
			return err;
	}
	hey_policy_set(hn, &p);
	if (a[HEY_A_POLICY_MAX_LEAVES])
		WRITE_ONCE(hn->max_leaves,
			   nla_get_u32(a[HEY_A_POLICY_MAX_LEAVES]));
	if (a[HEY_A_POLICY_MAX_RACES])
		WRITE_ONCE(hn->max_races,
			   nla_get_u32(a[HEY_A_POLICY_MAX_RACES]));
	return 0;
}

/*
 * Serialises policy writers (ops run in parallel): each reads, changes
 * and writes back the whole policy.
 */
static DEFINE_MUTEX(hey_policy_mutex);

static int hey_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	int err;

	mutex_lock(&hey_policy_mutex);
	err = hey_policy_update(info, hn);
	mutex_unlock(&hey_policy_mutex);
	return err;
}

/* ---- network ids ---------------------------------------------------- */

/* An ifindex: positive. Shared with the resolver's answers. */
struct netlink_range_validation hey_ifindex_range = {
	.min = 1,
	.max = INT_MAX,
};

static const struct nla_policy hey_network_policy[HEY_A_NETWORK_MAX + 1] = {
	[HEY_A_NETWORK_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&hey_ifindex_range),
	[HEY_A_NETWORK_ID] = { .type = NLA_U64 },
};

/* GET takes the interface only (a dump nothing but that, ignored). */
static const struct nla_policy
hey_network_get_policy[HEY_A_NETWORK_MAX + 1] = {
	[HEY_A_NETWORK_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&hey_ifindex_range),
};

static int network_fill(struct sk_buff *skb, struct hey_net *hn,
			const struct net_device *dev)
{
	if (nla_put_u32(skb, HEY_A_NETWORK_IFINDEX, dev->ifindex) ||
	    nla_put_u64_64bit(skb, HEY_A_NETWORK_ID,
			      hey_network_id(hn, dev->ifindex),
			      HEY_A_NETWORK_PAD) ||
	    nla_put_string(skb, HEY_A_NETWORK_IFNAME, dev->name))
		return -EMSGSIZE;
	return 0;
}

static int hey_network_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct hey_net *hn = hey_net_lookup(net);
	struct net_device *dev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!require(info, HEY_A_NETWORK_IFINDEX,
		     "HEY_A_NETWORK_IFINDEX is required (or dump them all)"))
		return -EINVAL;
	dev = dev_get_by_index(net, nla_get_u32(info->attrs[HEY_A_NETWORK_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HEY_A_NETWORK_IFINDEX],
				    "no such interface");
		return -ENODEV;
	}
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &hey_genl_family, 0,
				HEY_CMD_GET_NETWORK);
	if (!hdr || network_fill(msg, hn, dev)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	dev_put(dev);
	return err;
}

/* cb->args[0]: interfaces dumped so far. */
static int hey_network_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct hey_net *hn = hey_net_lookup(net);
	struct net_device *dev;
	long i = 0;
	void *hdr;

	rcu_read_lock();
	/* interfaces coming and going, and ids set: both make it stale */
	cb->seq = net->dev_base_seq + hey_network_gen(hn);
	for_each_netdev_rcu(net, dev) {
		if (i++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hey_genl_family,
				  NLM_F_MULTI, HEY_CMD_GET_NETWORK);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (network_fill(skb, hn, dev)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	rcu_read_unlock();
	return skb->len;
}

static int hey_network_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hey_net *hn = hey_net_lookup(genl_info_net(info));
	struct nlattr **a = info->attrs;
	u32 ifindex;
	u64 id;

	if (!require(info, HEY_A_NETWORK_IFINDEX,
		     "HEY_A_NETWORK_IFINDEX is required"))
		return -EINVAL;
	if (!require(info, HEY_A_NETWORK_ID,
		     "HEY_A_NETWORK_ID is required"))
		return -EINVAL;
	ifindex = nla_get_u32(a[HEY_A_NETWORK_IFINDEX]);
	id = nla_get_u64(a[HEY_A_NETWORK_ID]);
	if (id & HEY_NETWORK_DEFAULT) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_NETWORK_ID],
				    "ids with bit 63 set are reserved for defaults");
		return -EINVAL;
	}
	if (!ifindex_exists(genl_info_net(info), ifindex)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HEY_A_NETWORK_IFINDEX],
				    "no such interface");
		return -ENODEV;
	}
	return hey_network_set(hn, ifindex, id);
}

/* ---- events --------------------------------------------------------- */

/* Indexes into hey_genl_mcgrps[]. */
enum { HEY_GROUP_EVENTS };

/*
 * It carries what only an administrator may see: races. Resolve
 * requests go to the registered resolver alone (resolver.c).
 */
static const struct genl_multicast_group hey_genl_mcgrps[] = {
	[HEY_GROUP_EVENTS] = {
		.name = HEY_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

void *hey_genl_put(struct sk_buff *msg, u8 cmd)
{
	return genlmsg_put(msg, 0, 0, &hey_genl_family, 0, cmd);
}

bool hey_genl_has_listeners(struct hey_net *hn)
{
	return genl_has_listeners(&hey_genl_family, hn->net,
				  HEY_GROUP_EVENTS);
}

/* Builds an event with fill(skb, arg) and sends it to the group. */
static void notify(struct hey_net *hn, u8 cmd,
		   int (*fill)(struct sk_buff *skb, const void *arg),
		   const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	if (!hey_genl_has_listeners(hn))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &hey_genl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&hey_genl_family, hn->net, msg, 0,
				HEY_GROUP_EVENTS, GFP_KERNEL);
}

static int race_event_fill(struct sk_buff *skb, const void *arg)
{
	return race_fill(skb, arg);
}

void hey_genl_notify_race(struct hey_net *hn, const struct hey_race_record *r)
{
	notify(hn, HEY_CMD_RACE_DONE, race_event_fill, r);
}

struct cache_event {
	const struct hey_cache_key *key;
	const struct hey_cache_val *val;
	u8 change;
};

static int cache_event_fill(struct sk_buff *skb, const void *arg)
{
	const struct cache_event *ev = arg;

	/* A flush of one network names it; a flush of all names none. */
	if (ev->change == HEY_CACHE_CHANGE_FLUSHED)
		return nla_put_u8(skb, HEY_A_CACHE_CHANGE, ev->change) ||
		       (ev->key->network &&
			nla_put_u64_64bit(skb, HEY_A_CACHE_NETWORK,
					  ev->key->network, HEY_A_CACHE_PAD)) ?
		       -EMSGSIZE : 0;
	return cache_fill(skb, ev->key, ev->val) ||
	       nla_put_u8(skb, HEY_A_CACHE_CHANGE, ev->change) ? -EMSGSIZE : 0;
}

void hey_genl_notify_cache(struct hey_net *hn, const struct hey_cache_key *key,
			   const struct hey_cache_val *val, u8 change)
{
	struct cache_event ev = { .key = key, .val = val, .change = change };

	notify(hn, HEY_CMD_CACHE_CHANGED, cache_event_fill, &ev);
}

/*
 * Ops without a policy take no attributes: with resv_start_op at zero
 * the core validates every op strictly, refusing any attribute outside
 * the op's policy and any reserved header bits. Writes need CAP_NET_ADMIN
 * in the namespace's user namespace.
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
	{
		.cmd = HEY_CMD_GET_RACES,
		.dumpit = hey_races_get_dumpit,
	},
	{
		.cmd = HEY_CMD_GET_CACHE,
		.dumpit = hey_cache_get_dumpit,
		.policy = hey_cache_net_policy,
		.maxattr = HEY_A_CACHE_MAX,
	},
	{
		.cmd = HEY_CMD_SET_CACHE,
		.doit = hey_cache_set_doit,
		.policy = hey_cache_set_policy,
		.maxattr = HEY_A_CACHE_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_DEL_CACHE,
		.doit = hey_cache_del_doit,
		.policy = hey_cache_key_policy,
		.maxattr = HEY_A_CACHE_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_FLUSH_CACHE,
		.doit = hey_cache_flush_doit,
		.policy = hey_cache_net_policy,
		.maxattr = HEY_A_CACHE_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_GET_POLICY,
		.doit = hey_policy_get_doit,
	},
	{
		.cmd = HEY_CMD_SET_POLICY,
		.doit = hey_policy_set_doit,
		.policy = hey_policy_policy,
		.maxattr = HEY_A_POLICY_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_GET_NETWORK,
		.doit = hey_network_get_doit,
		.dumpit = hey_network_get_dumpit,
		.policy = hey_network_get_policy,
		.maxattr = HEY_A_NETWORK_MAX,
	},
	{
		.cmd = HEY_CMD_SET_NETWORK,
		.doit = hey_network_set_doit,
		.policy = hey_network_policy,
		.maxattr = HEY_A_NETWORK_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_REGISTER_RESOLVER,
		.doit = hey_resolver_register_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = HEY_CMD_RESOLVE_ANSWER,
		.doit = hey_resolver_answer_doit,
		.policy = hey_resolve_answer_policy,
		.maxattr = HEY_A_RESOLVE_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
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
	.mcgrps = hey_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hey_genl_mcgrps),
};

int __init hey_genl_register(void)
{
	int err;

	err = genl_register_family(&hey_genl_family);
	if (err)
		return err;
	err = hey_resolver_init();
	if (err)
		genl_unregister_family(&hey_genl_family);
	return err;
}

void hey_genl_unregister(void)
{
	hey_resolver_exit();
	genl_unregister_family(&hey_genl_family);
}
