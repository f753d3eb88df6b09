/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_LEAF_H
#define _HEY_LEAF_H

#include <linux/ktime.h>
#include <linux/net.h>
#include <uapi/linux/hey.h>

struct hey_cache_key;
struct hey_race;
struct sock;

/*
 * One connection attempt: a TCP or SCTP socket of the application's own,
 * or, in a race of one plain TCP attempt, the application's socket itself.
 */
struct hey_leaf {
	struct socket *sock;	/* NULL once released or grafted */
	/* sock is the application's: it connects itself, is never freed */
	bool app;
	/* its connect() was made before the race (a quick race's, quick.c) */
	bool issued;
	struct hey_race *race;
	struct hey_endpoint ep;	/* where it connects (after mapping) */
	int ifindex;		/* the path; 0: any */
	u8 idx;			/* position in the race's leaves[] */
	u8 protocol;		/* enum hey_proto */
	u8 outcome;		/* enum hey_outcome */
	u16 flags;		/* enum hey_leaf_flags */
	/* no SYN-ACK (SCTP: INIT ACK) had come when it was detached */
	bool no_synack;
	/* lost, but left to finish its handshake (net.hey.cache_measure) */
	bool measuring;
	u8 cache;		/* enum hey_leaf_cache: what history said */
	u64 network;		/* the path's network id */
	int error;		/* positive errno when it failed */
	u32 syn_copied;		/* TFO: early data bytes its SYN carried */
	u32 expected_us;	/* expected handshake time */
	ktime_t start;
	ktime_t end;
	void (*saved_state_change)(struct sock *sk);
};

int hey_leaf_create(struct hey_leaf *leaf, struct socket *app, u16 port);
int hey_leaf_sock_new(struct socket *app, int family, bool sctp,
		      struct socket **res);
void hey_leaf_sock_free(struct socket *sock);
int hey_leaf_adopt(struct hey_leaf *leaf, struct socket *sock,
		   struct socket *app, u16 port);
void hey_leaf_adopt_app(struct hey_leaf *leaf, struct socket *app);
int hey_leaf_connect(struct hey_leaf *leaf, const void *data, size_t len);
int hey_leaf_connect_app(const struct hey_leaf *leaf, struct sock *sk);
int hey_leaf_result(struct hey_leaf *leaf);
int hey_leaf_send(struct hey_leaf *leaf, const void *data, size_t len);
struct socket *hey_leaf_detach(struct hey_leaf *leaf);
void hey_leaf_release(struct hey_leaf *leaf, bool reset);
void hey_leaf_key(const struct hey_leaf *leaf, struct hey_cache_key *key);
void hey_leaf_fill_info(const struct hey_leaf *leaf, ktime_t start, int path,
			struct hey_leaf_info *li);

#endif /* _HEY_LEAF_H */
