/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_SOCK_H
#define _HEY_SOCK_H

#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <net/inet_connection_sock.h>
#include <uapi/linux/hey.h>

#include "quick.h"

struct hey_race;

/* What the application configured with SOL_HEY options before connect(). */
struct hey_config {
	struct hey_endpoint endpoints[HEY_MAX_ENDPOINTS];
	u32 n_endpoints;
	struct hey_paths paths;
	struct hey_timing timing;
	struct hey_protocols protocols;
	u32 flags;
	/* HEY_HOST: a name to resolve instead of connect()'s address */
	u32 host_len;
	char host[HEY_MAX_HOST + 1];
};

/*
 * hey's state of a socket, reached through icsk_ulp_data. Two kinds of
 * socket carry it: the application's own socket until a race wins (the
 * "shell"), and a winning leaf grafted into the application's socket,
 * which keeps the race (for HEY_INFO) and a reference on the shell
 * (see hey_race_graft() for why).
 */
struct hey_sock {
	struct rcu_head rcu;
	/*
	 * The namespace's hey state, looked up once: the socket holds its
	 * namespace, and a connect() need not ask net_generic() under RCU.
	 */
	struct hey_net *hn;
	struct hey_config cfg;
	/* the last race started on this socket, or the race it won */
	struct hey_race *race;
	/* winner only: the application's original sock, put when we die */
	struct sock *shell;
	/* the port the application bound, now bound by the leaves */
	u16 bound_port;
	/*
	 * The socket made an attempt of its own (a race of one, see
	 * race.c) that did not win: later races make leaves of their own,
	 * so that it never connects again after TCP left it half reset
	 * (a v4-mapped attempt keeps IPv4's operations, for one).
	 */
	bool app_tried;
	/* a race of one won within connect(), with no race made */
	struct hey_quick quick;
	/* HEY_EARLY_DATA or sendto(MSG_FASTOPEN), until a race takes it */
	u8 *early;
	u32 early_len;
	/* an SCTP winner's: its own destructor, and our release after it */
	void (*saved_destruct)(struct sock *sk);
	struct work_struct free_work;
};

int hey_sock_ops_attach(struct sock *sk);
const struct proto_ops *hey_sock_won_ops(const struct socket *leaf);
void hey_sock_ops_won(struct socket *sock);

#endif /* _HEY_SOCK_H */
