/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_QUICK_H
#define _HEY_QUICK_H

#include <linux/ktime.h>
#include <linux/net.h>
#include <uapi/linux/hey.h>

#include "leaf.h"

struct hey_net;
struct hey_sock;

/*
 * A race of one plain TCP attempt on the application's own socket, tried
 * before any race is made. Most such attempts over a fast link are over
 * within connect(); one that won then needs no race at all, and this is
 * what HEY_INFO shows of it.
 */
struct hey_quick {
	u64 id;			/* the race's; 0: no quick win */
	int path;		/* the ifindex of its one path */
	u32 connect_us;		/* from connect() to established */
	struct hey_leaf leaf;	/* its one leaf */
};

enum hey_quick_result {
	HEY_QUICK_NONE,		/* the socket cannot be the leaf: no attempt */
	HEY_QUICK_STARTED,	/* still under way, or failed: a race takes it */
	HEY_QUICK_WON,		/* connected, on record: no race to make */
};

bool hey_quick_sock_free(struct sock *sk, const struct hey_sock *hs);
int hey_quick_try(struct socket *sock, struct hey_sock *hs,
		  struct hey_net *hn);
void hey_quick_fill_info(const struct hey_quick *q, struct hey_info *info);

#endif /* _HEY_QUICK_H */
