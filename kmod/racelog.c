// SPDX-License-Identifier: GPL-2.0
/*
 * The log of recent races: the last net.hey.race_log finished races of a
 * namespace with every leaf's timeline, for `heyctl races`. Records are
 * made by the race engine when a race ends and dropped oldest first.
 */

#include <linux/overflow.h>
#include <linux/slab.h>

#include "netlink.h"
#include "pernet.h"
#include "racelog.h"

void hey_racelog_init(struct hey_racelog *log)
{
	spin_lock_init(&log->lock);
	INIT_LIST_HEAD(&log->races);
}

static void racelog_free(struct list_head *gone)
{
	struct hey_race_record *r, *tmp;

	list_for_each_entry_safe(r, tmp, gone, list)
		kfree(r);
}

void hey_racelog_exit(struct hey_racelog *log)
{
	racelog_free(&log->races);
	INIT_LIST_HEAD(&log->races);
	log->count = 0;
}

/*
 * The oldest record of a full log, when it has room for n_leaves: the new
 * one would push it out anyway (hey_racelog_post()), and filling it again
 * saves a free and an allocation. NULL otherwise.
 */
static struct hey_race_record *racelog_reuse(struct hey_net *hn, u8 n_leaves)
{
	u32 max = READ_ONCE(hn->race_log);
	struct hey_racelog *log = &hn->racelog;
	struct hey_race_record *r = NULL;

	spin_lock(&log->lock);
	if (log->count && log->count >= max) {
		r = list_first_entry(&log->races, struct hey_race_record,
				     list);
		if (r->room >= n_leaves) {
			list_del(&r->list);
			log->count--;
			log->gen++;
		} else {
			r = NULL;
		}
	}
	spin_unlock(&log->lock);
	return r;
}

/*
 * A record for a race of n_leaves that just ended to fill, zeroed up to
 * its leaves, or NULL when nobody would read it: the log is off and
 * nobody listens for events (tell: hey_genl_has_listeners()). The caller
 * posts it. A record is sized to its leaves: most races have one, and 64
 * of those take four pages, where records of sixteen leaves took a page
 * each.
 */
struct hey_race_record *hey_racelog_take(struct hey_net *hn, u8 n_leaves,
					 bool tell)
{
	struct hey_race_record *r;
	u8 room = n_leaves;

	if (!READ_ONCE(hn->race_log) && !tell)
		return NULL;
	r = racelog_reuse(hn, n_leaves);
	if (r) {
		room = r->room;
		memset(r, 0, struct_size(r, leaves, n_leaves));
	} else {
		r = kzalloc(struct_size(r, leaves, n_leaves), GFP_KERNEL);
		if (!r)
			return NULL;
	}
	r->room = room;
	r->n_leaves = n_leaves;
	r->tell = tell;
	return r;
}

/* Moves the oldest records above max to gone. Under the lock. */
static void racelog_cut(struct hey_racelog *log, u32 max,
			struct list_head *gone)
{
	while (log->count > max) {
		list_move_tail(log->races.next, gone);
		log->count--;
		log->gen++;
	}
}

/* Tells the events group of r, and takes r (of hey_racelog_take()) over. */
void hey_racelog_post(struct hey_net *hn, struct hey_race_record *r)
{
	struct hey_racelog *log = &hn->racelog;
	LIST_HEAD(gone);

	if (r->tell)
		hey_genl_notify_race(hn, r);
	spin_lock(&log->lock);
	list_add_tail(&r->list, &log->races);
	log->count++;
	log->gen++;
	/* A full log made room in hey_racelog_take() already, mostly. */
	if (log->count > READ_ONCE(hn->race_log))
		racelog_cut(log, READ_ONCE(hn->race_log), &gone);
	spin_unlock(&log->lock);
	if (!list_empty(&gone))
		racelog_free(&gone);
}

/* net.hey.race_log was written: a lower bound drops records at once. */
void hey_racelog_trim(struct hey_net *hn)
{
	struct hey_racelog *log = &hn->racelog;
	LIST_HEAD(gone);

	spin_lock(&log->lock);
	racelog_cut(log, READ_ONCE(hn->race_log), &gone);
	spin_unlock(&log->lock);
	racelog_free(&gone);
}

/*
 * Calls fn for each record after *last_id, oldest first, under the lock
 * (fn must not sleep), until fn fails; *last_id follows.
 */
int hey_racelog_walk(struct hey_net *hn, u64 *last_id,
		     int (*fn)(const struct hey_race_record *r, void *arg),
		     void *arg)
{
	struct hey_racelog *log = &hn->racelog;
	struct hey_race_record *r;
	int err = 0;

	spin_lock(&log->lock);
	list_for_each_entry(r, &log->races, list) {
		if (r->id <= *last_id)
			continue;
		err = fn(r, arg);
		if (err)
			break;
		*last_id = r->id;
	}
	spin_unlock(&log->lock);
	return err;
}

u32 hey_racelog_gen(struct hey_net *hn)
{
	return READ_ONCE(hn->racelog.gen);
}
