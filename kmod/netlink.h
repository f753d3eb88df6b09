/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_NETLINK_H
#define _HEY_NETLINK_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/netlink.h>

struct hey_cache_key;
struct hey_cache_val;
struct hey_net;
struct hey_race_record;

int hey_genl_register(void);
void hey_genl_unregister(void);

extern struct netlink_range_validation hey_ifindex_range;

bool hey_genl_has_listeners(struct hey_net *hn);
void *hey_genl_put(struct sk_buff *msg, u8 cmd);
void hey_genl_notify_race(struct hey_net *hn, const struct hey_race_record *r);
void hey_genl_notify_cache(struct hey_net *hn, const struct hey_cache_key *key,
			   const struct hey_cache_val *val, u8 change);

#endif /* _HEY_NETLINK_H */
