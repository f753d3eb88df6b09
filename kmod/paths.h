/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_PATHS_H
#define _HEY_PATHS_H

#include <net/net_namespace.h>
#include <uapi/linux/hey.h>

#include <linux/seqlock.h>

struct hey_order_item;

/*
 * What hey_paths_lone() found lately, per namespace. A slot holds while
 * the routes and the interfaces are as they were when it was filled: the
 * generations it keeps are those of IPv4's routes (rt_genid), IPv6's
 * (the fib6 serial number) and the interfaces (gen, bumped by a netdevice
 * notifier).
 */
#define HEY_PATHS_MEMO_SLOTS 16

struct hey_paths_memo_slot {
	u8 addr[16];
	u16 family;		/* AF_UNSPEC: empty */
	u8 n;			/* paths found, at most 2 */
	int bound_ifindex;
	int path;		/* the first path */
	int gen_v4;
	int gen_v6;
	u32 gen;
};

struct hey_paths_memo {
	seqlock_t lock;		/* guards slot[]; readers take no lock */
	atomic_t gen;
	struct hey_paths_memo_slot slot[HEY_PATHS_MEMO_SLOTS];
};

int hey_paths_collect(struct net *net, const struct hey_paths *policy,
		      int bound_ifindex, const struct hey_order_item *items,
		      int n, int *paths, int max);
int hey_paths_lone(struct net *net, struct hey_paths_memo *memo,
		   const struct hey_order_item *item, int bound_ifindex,
		   int *path);
void hey_paths_memo_init(struct hey_paths_memo *memo);
int hey_paths_init(void);
void hey_paths_exit(void);
int hey_paths_all(struct net *net, const struct hey_paths *policy,
		  int bound_ifindex, int *paths, int max);

#endif /* _HEY_PATHS_H */
