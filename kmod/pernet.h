/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_PERNET_H
#define _HEY_PERNET_H

#include <linux/atomic.h>
#include <net/net_namespace.h>
#include <uapi/linux/hey.h>

#include "tfo.h"

/* What hey keeps for each network namespace. */
struct hey_net {
	/* sockets of this namespace with the hey ULP attached now */
	atomic_t sockets;
	/* attaches in this namespace since its state was created */
	atomic64_t attached;
	/* counters, indexed by enum hey_stats_attr */
	atomic64_t stats[__HEY_A_STATS_LAST];
	/* limits, net.hey.* sysctls */
	int max_leaves;
	int max_races;
	int tfo_negative_timeout;	/* seconds */
	struct hey_tfo_table tfo;
	struct ctl_table_header *sysctl;
};

static inline void hey_stat_inc(struct hey_net *hn, int stat)
{
	atomic64_inc(&hn->stats[stat]);
}

struct hey_net *hey_net_lookup(const struct net *net);

int hey_pernet_register(void);
void hey_pernet_unregister(void);

#endif /* _HEY_PERNET_H */
