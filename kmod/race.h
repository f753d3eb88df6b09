/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_RACE_H
#define _HEY_RACE_H

#include <linux/net.h>
#include <linux/workqueue.h>
#include <uapi/linux/hey.h>

struct hey_answer;
struct hey_race;
struct hey_sock;

struct hey_race *hey_race_start(struct socket *sock, struct hey_sock *hs,
				struct sockaddr *uaddr, int addr_len);
void hey_race_abort(struct hey_race *race);
void hey_race_get(struct hey_race *race);
void hey_race_put(struct hey_race *race);
int hey_race_state(const struct hey_race *race);
int hey_race_error(const struct hey_race *race);
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
