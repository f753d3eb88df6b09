// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP upper layer protocol "hey": what setsockopt(TCP_ULP, "hey")
 * attaches to an application's socket, and what the TCP core releases
 * when that socket is destroyed.
 *
 * The TCP ULP core (net/ipv4/tcp_ulp.c) already refuses a second ULP
 * (EEXIST) and a listening socket (ENOTCONN), and holds a reference on
 * this module for as long as the ULP stays attached, so the module cannot
 * go away under a socket that uses it.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/tcp.h>
#include <uapi/linux/hey.h>

#include "pernet.h"
#include "ulp.h"

/* Per-socket state, reached through icsk_ulp_data. */
struct hey_sock {
	struct rcu_head rcu;
};

static int hey_ulp_init(struct sock *sk)
{
	struct hey_net *hn = hey_net_lookup(sock_net(sk));
	struct hey_sock *hs;

	/*
	 * Racing replaces connect(), so it can only be set up before one:
	 * a socket that is connected or connecting is refused.
	 */
	if (sk->sk_state != TCP_CLOSE)
		return -EISCONN;

	/* Charged to the application's memory cgroup, like the socket. */
	hs = kzalloc(sizeof(*hs), GFP_KERNEL_ACCOUNT);
	if (!hs)
		return -ENOMEM;

	rcu_assign_pointer(inet_csk(sk)->icsk_ulp_data, hs);
	atomic_inc(&hn->sockets);
	atomic64_inc(&hn->attached);
	return 0;
}

static void hey_ulp_release(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct hey_net *hn = hey_net_lookup(sock_net(sk));
	struct hey_sock *hs;

	/* The socket is dead: nobody else writes icsk_ulp_data any more. */
	hs = rcu_dereference_protected(icsk->icsk_ulp_data, true);
	RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	/* inet_diag may still be reading the ULP state under RCU. */
	kfree_rcu(hs, rcu);
	atomic_dec(&hn->sockets);
}

static struct tcp_ulp_ops hey_ulp_ops __read_mostly = {
	.name = HEY_ULP_NAME,
	.owner = THIS_MODULE,
	.init = hey_ulp_init,
	.release = hey_ulp_release,
};

int hey_ulp_register(void)
{
	return tcp_register_ulp(&hey_ulp_ops);
}

void hey_ulp_unregister(void)
{
	tcp_unregister_ulp(&hey_ulp_ops);
}
