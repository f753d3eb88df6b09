// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state and the net.hey.* sysctls. The core
 * allocates and zeroes .size bytes for every namespace, so init only has
 * to set what is not zero.
 */

#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/netns/generic.h>

#include "pernet.h"

#define HEY_DEFAULT_MAX_RACES 1024
/* As long as NEAT keeps what it learns. */
#define HEY_DEFAULT_TFO_NEGATIVE_TIMEOUT 600
#define HEY_DEFAULT_CACHE_TIMEOUT 600
#define HEY_DEFAULT_CACHE_SIZE 4096
#define HEY_DEFAULT_RACE_LOG 64
/* As long as glibc's resolver waits for a server by default. */
#define HEY_DEFAULT_RESOLVE_TIMEOUT_MS 5000

static unsigned int hey_net_id __read_mostly;
static int hey_one = 1;
static int hey_max_leaves_limit = HEY_MAX_LEAVES;
static int hey_max_races_limit = HEY_MAX_RACES_LIMIT;
static int hey_timeout_limit = 7 * 24 * 3600;
static int hey_cache_size_limit = 1 << 20;
static int hey_race_log_limit = 4096;
/* TCP gives up on a SYN after about two minutes by default. */
static int hey_measure_limit = 120;
static int hey_resolve_timeout_min = 10;
static int hey_resolve_timeout_limit = 120000;

struct hey_net *hey_net_lookup(const struct net *net)
{
	return net_generic(net, hey_net_id);
}

/* A lower net.hey.race_log drops the oldest records now, not at a race. */
static int race_log_sysctl(struct ctl_table *table, int write, void *buffer,
			   size_t *lenp, loff_t *ppos)
{
	int err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write)
		hey_racelog_trim(container_of(table->data, struct hey_net,
					      race_log));
	return err;
}

static const struct ctl_table hey_sysctl_template[] = {
	{
		.procname = "max_leaves",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &hey_one,
		.extra2 = &hey_max_leaves_limit,
	},
	{
		.procname = "max_races",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &hey_one,
		.extra2 = &hey_max_races_limit,
	},
	{
		.procname = "tfo_negative_timeout",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &hey_timeout_limit,
	},
	{
		.procname = "cache_size",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &hey_cache_size_limit,
	},
	{
		.procname = "cache_timeout",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &hey_timeout_limit,
	},
	{
		.procname = "cache_measure",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &hey_measure_limit,
	},
	{
		.procname = "race_log",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = race_log_sysctl,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &hey_race_log_limit,
	},
	{
		.procname = "resolve_timeout",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &hey_resolve_timeout_min,
		.extra2 = &hey_resolve_timeout_limit,
	},
	{ }
};

static int __net_init hey_net_init(struct net *net)
{
	struct hey_net *hn = hey_net_lookup(net);
	struct ctl_table *tbl;

	hn->max_leaves = HEY_MAX_LEAVES;
	hn->max_races = HEY_DEFAULT_MAX_RACES;
	hn->tfo_negative_timeout = HEY_DEFAULT_TFO_NEGATIVE_TIMEOUT;
	hn->cache_size = HEY_DEFAULT_CACHE_SIZE;
	hn->cache_timeout = HEY_DEFAULT_CACHE_TIMEOUT;
	hn->race_log = HEY_DEFAULT_RACE_LOG;
	hn->resolve_timeout = HEY_DEFAULT_RESOLVE_TIMEOUT_MS;
	hn->net = net;
	hey_cache_init(&hn->cache);
	hey_racelog_init(&hn->racelog);
	xa_init(&hn->networks);
	xa_init(&hn->resolving);
	seqlock_init(&hn->policy_lock);
	hey_policy_init(&hn->policy);
	hey_paths_memo_init(&hn->paths_memo);

	hn->stats = alloc_percpu(struct hey_stats);
	if (!hn->stats)
		return -ENOMEM;
	tbl = kmemdup(hey_sysctl_template, sizeof(hey_sysctl_template),
		      GFP_KERNEL);
	if (!tbl) {
		free_percpu(hn->stats);
		return -ENOMEM;
	}
	tbl[0].data = &hn->max_leaves;
	tbl[1].data = &hn->max_races;
	tbl[2].data = &hn->tfo_negative_timeout;
	tbl[3].data = &hn->cache_size;
	tbl[4].data = &hn->cache_timeout;
	tbl[5].data = &hn->cache_measure;
	tbl[6].data = &hn->race_log;
	tbl[7].data = &hn->resolve_timeout;
	hn->sysctl = register_net_sysctl(net, "net/hey", tbl);
	if (!hn->sysctl) {
		kfree(tbl);
		free_percpu(hn->stats);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit hey_net_exit(struct net *net)
{
	struct hey_net *hn = hey_net_lookup(net);
	struct ctl_table *tbl = hn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(hn->sysctl);
	kfree(tbl);
	/*
	 * Every hey socket and race holds a reference on its namespace,
	 * so none is left.
	 */
	WARN_ON_ONCE(atomic_read(&hn->sockets));
	WARN_ON_ONCE(atomic64_read(&hn->in_flight));
	free_percpu(hn->stats);
	hey_cache_exit(&hn->cache);
	hey_racelog_exit(&hn->racelog);
	xa_destroy(&hn->networks);
	/* Races by name hold their namespace too: none is resolving. */
	WARN_ON_ONCE(!xa_empty(&hn->resolving));
	xa_destroy(&hn->resolving);
}

/* A counter's sum over the CPUs; races in flight are one count. */
u64 hey_stat_read(struct hey_net *hn, int stat)
{
	u64 sum = 0;
	int cpu;

	if (stat == HEY_A_STATS_IN_FLIGHT)
		return atomic64_read(&hn->in_flight);
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(hn->stats, cpu)->v[stat]);
	return sum;
}

static struct pernet_operations hey_net_ops = {
	.init = hey_net_init,
	.exit = hey_net_exit,
	.id = &hey_net_id,
	.size = sizeof(struct hey_net),
};

int hey_pernet_register(void)
{
	return register_pernet_subsys(&hey_net_ops);
}

void hey_pernet_unregister(void)
{
	unregister_pernet_subsys(&hey_net_ops);
}
