// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP upper layer protocol "hey": what setsockopt(TCP_ULP, "hey")
 * attaches to an application's socket, what a winning leaf carries once
 * it is grafted into that socket, and what the TCP core releases when
 * either is destroyed.
 *
 * The TCP ULP core (net/ipv4/tcp_ulp.c) already refuses a second ULP
 * (EEXIST) and a listening socket (ENOTCONN), and holds a reference on
 * this module for as long as the ULP stays attached, so the module cannot
 * go away under a socket that uses it.
 */

#include <linux/module.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/hey.h>

#include "leaf.h"
#include "pernet.h"
#include "race.h"
#include "sock.h"
#include "ulp.h"

static struct tcp_ulp_ops hey_ulp_ops;

static void sctp_winner_destruct(struct sock *sk);

/*
 * hey's state of sk, or NULL when sk is not a hey socket (any more): a
 * TCP socket carries it as its ULP data, an SCTP winner (which has no
 * ULP) in sk_user_data, recognisable by our destructor.
 */
struct hey_sock *hey_ulp_state(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);

	if (sk->sk_protocol == IPPROTO_SCTP)
		return sk->sk_destruct == sctp_winner_destruct ?
		       sk->sk_user_data : NULL;
	if (icsk->icsk_ulp_ops != &hey_ulp_ops)
		return NULL;
	return rcu_dereference_protected(icsk->icsk_ulp_data, true);
}

/* Drops what a hey_sock holds; the sock it belonged to is gone. */
static void state_free(struct hey_sock *hs)
{
	hey_race_put(hs->race);
	if (hs->shell)
		sock_put(hs->shell);
	kfree(hs->early);
	/* inet_diag may still be reading the ULP state under RCU. */
	kfree_rcu(hs, rcu);
}

/*
 * An SCTP winner has no ULP to pin this module and release hey's state,
 * so it holds a module reference and hey chains its destructor. The
 * release runs on hey's workqueue, which the module's exit drains: the
 * module cannot go away while the function that drops the last reference
 * is still running.
 */
static void sctp_winner_free(struct work_struct *work)
{
	struct hey_sock *hs = container_of(work, struct hey_sock, free_work);

	state_free(hs);
	module_put(THIS_MODULE);
}

static void sctp_winner_destruct(struct sock *sk)
{
	struct hey_sock *hs = sk->sk_user_data;

	sk->sk_user_data = NULL;
	sk->sk_destruct = hs->saved_destruct;
	hs->saved_destruct(sk);
	INIT_WORK(&hs->free_work, sctp_winner_free);
	hey_race_queue_work(&hs->free_work);
}

/* What __tcp_set_ulp() does; the leaf is ours and has no ULP. */
static void tcp_winner_attach(struct sock *w, struct hey_sock *hw)
{
	lock_sock(w);
	__module_get(THIS_MODULE);
	inet_csk(w)->icsk_ulp_ops = &hey_ulp_ops;
	rcu_assign_pointer(inet_csk(w)->icsk_ulp_data, hw);
	release_sock(w);
}

static void sctp_winner_attach(struct sock *w, struct hey_sock *hw)
{
	__module_get(THIS_MODULE);
	lock_sock(w);
	write_lock_bh(&w->sk_callback_lock);
	hw->saved_destruct = w->sk_destruct;
	w->sk_user_data = hw;
	w->sk_destruct = sctp_winner_destruct;
	write_unlock_bh(&w->sk_callback_lock);
	release_sock(w);
}

static int hey_ulp_init(struct sock *sk)
{
	struct hey_net *hn = hey_net_lookup(sock_net(sk));
	struct hey_sock *hs;
	int err;

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
	err = hey_sock_ops_attach(sk);
	if (err) {
		kfree(hs);
		return err;
	}

	hs->hn = hn;
	rcu_assign_pointer(inet_csk(sk)->icsk_ulp_data, hs);
	atomic_inc(&hn->sockets);
	atomic64_inc(&hn->attached);
	return 0;
}

/* Runs when the sock is destroyed: for a winner, possibly in softirq. */
static void hey_ulp_release(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct hey_net *hn = hey_net_lookup(sock_net(sk));
	struct hey_sock *hs;

	/* The socket is dead: nobody else writes icsk_ulp_data any more. */
	hs = rcu_dereference_protected(icsk->icsk_ulp_data, true);
	RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	/* The winner's state keeps the shell; the shell was counted. */
	if (!hs->shell)
		atomic_dec(&hn->sockets);
	/* Both are over or unused by now: this only drops references. */
	state_free(hs);
}

/*
 * Hands the winning leaf to the application: its sock takes the place of
 * the application's sock in the application's struct socket, as
 * sock_graft() does for an accepted connection. Grafting rather than
 * pointing the file at the leaf's socket (SMC's fallback) keeps the one
 * inode the application's fd, /proc and ss(8) know, and the one wait
 * queue its poll and epoll waiters sleep on.
 *
 * The application's original sock (the shell) is closed. Another thread
 * of the application may still be inside a call that read sock->sk
 * before the swap, so the winner keeps a reference on the shell until it
 * dies itself, which is after the application's file is gone.
 *
 * hw, allocated when the race started (charged to the application), gets
 * the caller's reference on the race. The caller wakes the application
 * once the race is marked won (hey_ulp_wake()).
 */
int hey_ulp_graft(struct socket *sock, struct hey_leaf *leaf,
		  struct hey_sock *hw)
{
	struct socket *lsock = hey_leaf_detach(leaf);
	struct sock *w = lsock->sk, *shell = sock->sk;
	const struct proto_ops *ops;
	struct hey_sock *hs;

	ops = hey_sock_won_ops(lsock);
	if (IS_ERR(ops))
		return PTR_ERR(ops);

	sock_hold(shell);
	hw->shell = shell;
	if (w->sk_protocol == IPPROTO_SCTP)
		sctp_winner_attach(w, hw);
	else
		tcp_winner_attach(w, hw);

	lock_sock(shell);
	hs = hey_ulp_state(shell);
	if (hs)
		hw->cfg = hs->cfg;
	/* sock_graft() without its window where sock->sk is NULL. */
	write_lock_bh(&w->sk_callback_lock);
	rcu_assign_pointer(w->sk_wq, &sock->wq);
	sk_set_socket(w, sock);
	w->sk_uid = SOCK_INODE(sock)->i_uid;
	security_sock_graft(w, sock);
	write_unlock_bh(&w->sk_callback_lock);
	WRITE_ONCE(sock->sk, w);
	/*
	 * __sock_create() took a reference on the owner of the socket's
	 * ops and __sock_release() puts the owner of the ops it finds: move
	 * it to the winner's (sctp's for an SCTP winner; for TCP the same).
	 */
	__module_get(ops->owner);
	module_put(sock->ops->owner);
	WRITE_ONCE(sock->ops, ops);
	sock->state = SS_CONNECTED;
	release_sock(shell);

	/* The leaf's own struct socket goes; its sock lives on. */
	lsock->sk = NULL;
	lsock->file = NULL;
	sock_release(lsock);
	leaf->sock = NULL;

	/* The shell's hey state goes with it; its race reference too. */
	shell->sk_prot->close(shell, 0);
	return 0;
}

/*
 * The application's own socket won (a race of one plain TCP attempt, see
 * race.c): there is nothing to graft. It keeps its sock, its hey state
 * (the race, for HEY_INFO) and its ULP; only its operations change, to
 * the won ops, so that from now on the data path is TCP's own, as for a
 * grafted winner. The caller wakes the application (hey_ulp_wake()).
 */
void hey_ulp_keep(struct socket *sock)
{
	struct sock *sk = sock->sk;

	lock_sock(sk);
	hey_sock_ops_won(sock);
	sock->state = SS_CONNECTED;
	release_sock(sk);
}

/* Connected: wake connect(), poll and epoll waiters; signal O_ASYNC. */
void hey_ulp_wake(struct sock *w)
{
	w->sk_state_change(w);
	sk_wake_async(w, SOCK_WAKE_IO, POLL_OUT);
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
