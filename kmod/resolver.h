/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_RESOLVER_H
#define _HEY_RESOLVER_H

#include <net/genetlink.h>
#include <uapi/linux/hey.h>

struct hey_net;
struct hey_race;

/* One endpoint of an answer, as the resolver gave it. */
struct hey_answer_ep {
	struct hey_endpoint ep;
	u32 ttl;
	u16 priority;		/* SRV: lower first */
	u16 weight;		/* SRV: higher first */
};

/* One HEY_CMD_RESOLVE_ANSWER: endpoints for one path. */
struct hey_answer {
	int ifindex;
	u32 flags;		/* enum hey_resolve_flags */
	int n;
	struct hey_answer_ep eps[HEY_MAX_ENDPOINTS];
};

int hey_resolver_request(struct hey_net *hn, struct hey_race *race, u64 id,
			 const char *name, __be16 port, u8 families,
			 const int *paths, int n_paths);
void hey_resolver_cancel(struct hey_net *hn, u64 id);
bool hey_resolver_registered(const struct hey_net *hn);

extern const struct nla_policy hey_resolve_answer_policy[];
int hey_resolver_register_doit(struct sk_buff *skb, struct genl_info *info);
int hey_resolver_answer_doit(struct sk_buff *skb, struct genl_info *info);

int hey_resolver_init(void);
void hey_resolver_exit(void);

#endif /* _HEY_RESOLVER_H */
