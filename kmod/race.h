/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_RACE_H
#define _HEY_RACE_H

#include <linux/net.h>
#include <linux/workqueue.h>
#include <uapi/linux/hey.h>

#include "order.h"
#include "policy.h"

struct hey_answer;
struct hey_leaf;
struct hey_net;
struct hey_race;
struct hey_sock;

/*
 * A plain single connect(): one endpoint, TCP alone, over the one path
 * that has a route to it. That is most races, and their tree is known
 * without race_build()'s working space (5 KB, zeroed on allocation), the
 * candidates' sort or RFC 6724 ordering: one leaf, which history cannot
 * prune (a race keeps at least one) or reorder, and the policy cannot
 * reorder.
 */
struct hey_lone {
	struct hey_order_item item;
	int path;
	struct hey_policy pol;
};

/* What connect() learnt under the socket's lock, for its race. */
struct hey_start {
	struct hey_endpoint first;	/* connect()'s address */
	int lone_err;			/* 0: a lone race, in lone */
	int quick;			/* enum hey_quick_result */
	struct hey_lone lone;
};

int hey_race_prepare(struct socket *sock, struct hey_sock *hs,
		     struct sockaddr *uaddr, int addr_len,
		     struct hey_start *st);
struct hey_race *hey_race_start(struct socket *sock, struct hey_sock *hs,
				const struct hey_start *st);
void hey_race_abort(struct hey_race *race);
void hey_race_get(struct hey_race *race);
void hey_race_put(struct hey_race *race);
int hey_race_state(const struct hey_race *race);
int hey_race_error(const struct hey_race *race);
void hey_race_count_win(struct hey_net *hn, const struct hey_leaf *leaf,
			bool primary, bool fallback);
void hey_race_fill_info(struct hey_race *race, struct hey_info *info);
void hey_race_leaf_event(struct hey_race *race, unsigned int idx);
void hey_race_wait_begin(struct hey_race *race);
void hey_race_wait_end(struct hey_race *race, bool done);
void hey_race_settle(struct hey_race *race);
bool hey_race_has_events(const struct hey_race *race);
__be16 hey_race_port(const struct hey_race *race);
int hey_race_resolved(struct hey_race *race, const struct hey_answer *ans);
void hey_race_resolver_gone(struct hey_race *race);

void hey_race_queue_work(struct work_struct *work);

int hey_race_init(void);
void hey_race_exit(void);

#endif /* _HEY_RACE_H */
