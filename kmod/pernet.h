/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_PERNET_H
#define _HEY_PERNET_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <net/net_namespace.h>
#include <uapi/linux/hey.h>

#include <linux/xarray.h>

#include "cache.h"
#include "paths.h"
#include "policy.h"
#include "racelog.h"

/* The highest net.hey.max_races. */
#define HEY_MAX_RACES_LIMIT 1048576

struct hey_stats {
	u64 v[__HEY_A_STATS_LAST];
};

/* What hey keeps for each network namespace. */
struct hey_net {
	/* sockets of this namespace with the hey ULP attached now */
	atomic_t sockets;
	/* attaches in this namespace since its state was created */
	atomic64_t attached;
	/*
	 * Counters, indexed by enum hey_stats_attr, per CPU: a race counts
	 * half a dozen things, and a locked increment of a line all CPUs
	 * share each time cost more than the counting is worth (SNMP's
	 * MIBs count the same way). Sums are read by the GET_STATS dump.
	 */
	struct hey_stats __percpu *stats;
	/* races in flight (HEY_A_STATS_IN_FLIGHT): a limit, so one count */
	atomic64_t in_flight;
	/* limits, net.hey.* sysctls */
	int max_leaves;
	int max_races;
	int tfo_negative_timeout;	/* seconds */
	int cache_size;			/* entries */
	int cache_timeout;		/* seconds */
	int race_log;			/* races kept for HEY_CMD_GET_RACES */
	int cache_measure;		/* seconds losers may finish; 0: off */
	int resolve_timeout;		/* milliseconds for the resolver */
	struct ctl_table_header *sysctl;
	struct net *net;
	/* ids of races started in this namespace */
	atomic64_t race_ids;
	struct hey_cache cache;
	struct hey_racelog racelog;
	/* network ids by ifindex, as xarray values */
	struct xarray networks;
	/* bumped by every change of an id: GET_NETWORK dumps tell */
	atomic_t networks_gen;
	/* the registered resolver's netlink port id; 0: none */
	u32 resolver_portid;
	/* races by name waiting for answers, by race id */
	struct xarray resolving;
	seqlock_t policy_lock;		/* guards policy */
	struct hey_policy policy;
	/* the paths of single connect()s, lately (paths.c) */
	struct hey_paths_memo paths_memo;
};

static inline void hey_stat_inc(struct hey_net *hn, int stat)
{
	this_cpu_inc(hn->stats->v[stat]);
}

static inline void hey_stat_add(struct hey_net *hn, int stat, u64 n)
{
	this_cpu_add(hn->stats->v[stat], n);
}

u64 hey_stat_read(struct hey_net *hn, int stat);

struct hey_net *hey_net_lookup(const struct net *net);

int hey_pernet_register(void);
void hey_pernet_unregister(void);

#endif /* _HEY_PERNET_H */
