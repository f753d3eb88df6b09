/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_RACELOG_H
#define _HEY_RACELOG_H

#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <uapi/linux/hey.h>

struct hey_net;

/* A finished race as HEY_CMD_GET_RACES shows it. */
struct hey_race_record {
	struct list_head list;
	u64 id;
	ktime_t start;
	u8 state;		/* enum hey_state */
	u8 n_leaves;
	u8 room;		/* leaves it was allocated for */
	bool tell;		/* somebody listens for its event */
	u32 error;
	u32 winner;		/* ~0U: none */
	u32 connect_us;
	u32 early_data;
	u32 pruned;
	/* n_leaves of them: a record is sized to its race */
	struct {
		struct hey_leaf_info info;
		u64 network;
		u8 cache;	/* enum hey_leaf_cache */
	} leaves[];
};

/* The recent races of a namespace, oldest first. */
struct hey_racelog {
	spinlock_t lock;	/* guards all below */
	struct list_head races;
	u32 count;
	u32 gen;		/* bumped on every change, for dumps */
};

void hey_racelog_init(struct hey_racelog *log);
void hey_racelog_exit(struct hey_racelog *log);
struct hey_race_record *hey_racelog_take(struct hey_net *hn, u8 n_leaves,
					 bool tell);
void hey_racelog_post(struct hey_net *hn, struct hey_race_record *r);
void hey_racelog_trim(struct hey_net *hn);
int hey_racelog_walk(struct hey_net *hn, u64 *last_id,
		     int (*fn)(const struct hey_race_record *r, void *arg),
		     void *arg);
u32 hey_racelog_gen(struct hey_net *hn);

#endif /* _HEY_RACELOG_H */
