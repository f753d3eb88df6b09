// SPDX-License-Identifier: GPL-2.0
/*
 * Leaf sockets: each connection attempt of a race is a TCP socket (for
 * TCP and TFO leaves) or a one-to-one SCTP socket of the application's
 * own. It is created in the application's context (the
 * connect() call), so socket creation runs the LSM and cgroup checks with
 * the application's credentials, the socket is charged to its memory
 * cgroup, carries its uid and cgroup (cgroup BPF connect hooks), holds a
 * reference on its network namespace like any user socket, and points at
 * the application's file so that netfilter owner matches (meta skuid)
 * see the application. Nothing here runs with the kernel's privileges.
 *
 * A race of one plain TCP attempt has no socket of its own: the
 * application's socket is its leaf and connects itself, through TCP's
 * own connect (see race_own_socket() in race.c). Such a leaf gets the
 * same callback; it is never bound, released or grafted here, only
 * dropped back to an unconnected socket when it fails or is aborted.
 *
 * Callbacks follow the kernel client-socket pattern (sunrpc, nvme-tcp):
 * installed and removed under sk_callback_lock, they do the least
 * possible in softirq, which is to tell the race engine, and chain to the
 * saved callback.
 */

#include <linux/net.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "cache.h"
#include "leaf.h"
#include "race.h"

static void leaf_state_change(struct sock *sk)
{
	void (*chain)(struct sock *sk);
	struct hey_leaf *leaf;

	read_lock_bh(&sk->sk_callback_lock);
	leaf = sk->sk_user_data;
	if (!leaf) {
		/* Detached meanwhile: the saved callback is back in place. */
		chain = sk->sk_state_change;
		read_unlock_bh(&sk->sk_callback_lock);
		if (chain != leaf_state_change)
			chain(sk);
		return;
	}
	chain = leaf->saved_state_change;
	/*
	 * A one-to-one SCTP socket stays CLOSED while it connects and calls
	 * this when its association comes up or goes: every call is news.
	 */
	switch (sk->sk_protocol == IPPROTO_SCTP ? TCP_CLOSE : sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSE:
		hey_race_leaf_event(leaf->race, leaf->idx);
		break;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	chain(sk);
}

/*
 * What the application set on its socket before connect() holds on every
 * leaf, so it holds on the winner. The leaf is not connected yet, so the
 * fields can be copied as the protocol's own setsockopt would leave them.
 */
static void leaf_inherit(struct sock *sk, const struct sock *app)
{
	u8 tos;

	sk->sk_mark = app->sk_mark;
	sk->sk_priority = app->sk_priority;
	sk->sk_reuse = app->sk_reuse;
	if (app->sk_userlocks & SOCK_SNDBUF_LOCK) {
		sk->sk_sndbuf = app->sk_sndbuf;
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	}
	if (app->sk_userlocks & SOCK_RCVBUF_LOCK) {
		sk->sk_rcvbuf = app->sk_rcvbuf;
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	}

	/* IP_TOS and IPV6_TCLASS carry the same DSCP/ECN byte. */
	tos = app->sk_family == AF_INET6 ? inet6_sk(app)->tclass :
					   inet_sk(app)->tos;
	if (sk->sk_family == AF_INET6) {
		inet6_sk(sk)->tclass = tos;
		/* v4-mapped leaves must not be IPv6-only */
		sk->sk_ipv6only = 0;
	}
	inet_sk(sk)->tos = tos;
}

/* The TCP-level options, for TCP and TFO leaves. */
static void leaf_inherit_tcp(struct sock *sk, const struct sock *app)
{
	const struct inet_connection_sock *aicsk = inet_csk(app);
	const struct tcp_sock *atp = tcp_sk(app);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	/* Keepalive's timer starts when the connection is established. */
	if (sock_flag(app, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	tp->keepalive_time = atp->keepalive_time;
	tp->keepalive_intvl = atp->keepalive_intvl;
	tp->keepalive_probes = atp->keepalive_probes;
	tp->nonagle = atp->nonagle;
	tp->linger2 = atp->linger2;
	icsk->icsk_user_timeout = aicsk->icsk_user_timeout;
	icsk->icsk_syn_retries = aicsk->icsk_syn_retries;
}

/*
 * The address and port the application bound its socket to, if any, for
 * a leaf. The port was moved out of the application's sock (hey_sock's
 * bound_port) so that the leaves can share it.
 */
static int leaf_bind(struct hey_leaf *leaf, const struct sock *app,
		     u16 bound_port)
{
	struct socket *sock = leaf->sock;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	__be16 port = htons(bound_port);

	if (app->sk_family == AF_INET) {
		if (!inet_sk(app)->inet_rcv_saddr && !port)
			return 0;
		if (sock->sk->sk_family != AF_INET)
			return 0;
		a4.sin_addr.s_addr = inet_sk(app)->inet_rcv_saddr;
		a4.sin_port = port;
		return kernel_bind(sock, (struct sockaddr *)&a4, sizeof(a4));
	}
	if (ipv6_addr_any(&app->sk_v6_rcv_saddr) && !port)
		return 0;
	if (sock->sk->sk_family != AF_INET6)
		return 0;
	/* A specific source address only serves leaves of its own kind. */
	if (!ipv6_addr_any(&app->sk_v6_rcv_saddr) &&
	    ipv6_addr_v4mapped(&app->sk_v6_rcv_saddr) !=
	    (leaf->ep.family == AF_INET6 &&
	     ipv6_addr_v4mapped((const struct in6_addr *)leaf->ep.addr)))
		return 0;
	a6.sin6_addr = app->sk_v6_rcv_saddr;
	a6.sin6_port = port;
	a6.sin6_scope_id = app->sk_bound_dev_if;
	return kernel_bind(sock, (struct sockaddr *)&a6, sizeof(a6));
}

/*
 * A leaf's socket, made in the application's context (see the top of
 * this file): created, and given what the application set on its own.
 * Races by name make their sockets this way before the answers come.
 */
int hey_leaf_sock_new(struct socket *app, int family, bool sctp,
		      struct socket **res)
{
	struct sock *app_sk = app->sk;
	struct socket *sock;
	struct sock *sk;
	int err;

	/* For SCTP, this loads the sctp module on demand. */
	err = __sock_create(sock_net(app_sk), family, SOCK_STREAM,
			    sctp ? IPPROTO_SCTP : IPPROTO_TCP, &sock, 0);
	if (err)
		return err;
	sk = sock->sk;
	/* Borrowed, not referenced: the race ends before the file goes. */
	sock->file = app->file;

	lock_sock(sk);
	leaf_inherit(sk, app_sk);
	if (!sctp)
		leaf_inherit_tcp(sk, app_sk);
	release_sock(sk);

	if (!sctp && inet_csk(app_sk)->icsk_ca_setsockopt) {
		const char *ca = inet_csk(app_sk)->icsk_ca_ops->name;

		err = sock->ops->setsockopt(sock, SOL_TCP, TCP_CONGESTION,
					    KERNEL_SOCKPTR((char *)ca),
					    strlen(ca));
		if (err) {
			hey_leaf_sock_free(sock);
			return err;
		}
	}
	*res = sock;
	return 0;
}

/* A socket of hey_leaf_sock_new() that no leaf took. */
void hey_leaf_sock_free(struct socket *sock)
{
	sock->file = NULL;
	sock_release(sock);
}

/* From now on the leaf's socket reports to the race. */
static void leaf_watch(struct hey_leaf *leaf, struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	leaf->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = leaf;
	sk->sk_state_change = leaf_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * The leaf takes sock (consumed, also on error): pinned to its path,
 * bound as the application was, and reporting to the race.
 */
int hey_leaf_adopt(struct hey_leaf *leaf, struct socket *sock,
		   struct socket *app, u16 port)
{
	struct sock *sk = sock->sk;
	int err;

	leaf->sock = sock;
	if (leaf->ifindex) {
		err = sock_bindtoindex(sk, leaf->ifindex, true);
		if (err)
			goto err_release;
	}
	err = leaf_bind(leaf, app->sk, port);
	if (err)
		goto err_release;
	leaf_watch(leaf, sk);
	return 0;

err_release:
	hey_leaf_sock_free(sock);
	leaf->sock = NULL;
	return err;
}

/*
 * The application's socket is the leaf. It is unbound and unpinned (the
 * race takes this way only then), and every option the application set
 * is on it already: nothing to inherit, nothing to bind.
 */
void hey_leaf_adopt_app(struct hey_leaf *leaf, struct socket *app)
{
	leaf->sock = app;
	leaf->app = true;
	leaf_watch(leaf, app->sk);
}

int hey_leaf_create(struct hey_leaf *leaf, struct socket *app, u16 port)
{
	struct socket *sock;
	int err;

	err = hey_leaf_sock_new(app, leaf->ep.family,
				leaf->protocol == HEY_PROTO_SCTP, &sock);
	if (err)
		return err;
	return hey_leaf_adopt(leaf, sock, app, port);
}

/*
 * A TFO leaf connects the way an application does: sendmsg(MSG_FASTOPEN)
 * reaches the kernel's Fast Open client, which asks for a cookie when it
 * has none and otherwise puts what fits of data into the SYN. What did
 * not go into the SYN is the engine's to send once the leaf wins.
 */
static int leaf_connect_tfo(struct hey_leaf *leaf, struct sockaddr *addr,
			    int addr_len, const void *data, size_t len)
{
	struct msghdr msg = {
		.msg_name = addr,
		.msg_namelen = addr_len,
		.msg_flags = MSG_FASTOPEN | MSG_DONTWAIT | MSG_NOSIGNAL,
	};
	struct kvec vec = { .iov_base = (void *)data, .iov_len = len };
	struct sock *sk = leaf->sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	int ret;

	ret = kernel_sendmsg(leaf->sock, &msg, &vec, 1, len);
	if (ret < 0 && ret != -EINPROGRESS)
		return ret;
	lock_sock(sk);
	leaf->syn_copied = tp->syn_data ? max(ret, 0) : 0;
	if (tp->syn_data)
		leaf->flags |= HEY_LEAF_F_SYN_DATA;
	if (tp->fastopen_client_fail == TFO_COOKIE_UNAVAILABLE)
		leaf->flags |= HEY_LEAF_F_COOKIE_REQ;
	release_sock(sk);
	return 0;
}

/* The leaf's endpoint as connect() takes it, in *ss; returns its length. */
static int leaf_sockaddr(const struct hey_leaf *leaf,
			 struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (leaf->ep.family == AF_INET) {
		a4->sin_family = AF_INET;
		memcpy(&a4->sin_addr, leaf->ep.addr, sizeof(a4->sin_addr));
		a4->sin_port = leaf->ep.port;
		return sizeof(*a4);
	}
	a6->sin6_family = AF_INET6;
	memcpy(&a6->sin6_addr, leaf->ep.addr, sizeof(a6->sin6_addr));
	a6->sin6_port = leaf->ep.port;
	a6->sin6_scope_id = leaf->ep.scope_id;
	return sizeof(*a6);
}

/*
 * The application's socket, locked, connects to the leaf's endpoint as
 * connect() would make it: what __inet_stream_connect() does for an
 * unconnected socket, except for sock->state, which stays hey's
 * (SS_CONNECTING while the race runs). pre_connect runs the cgroup BPF
 * connect programs, connect sends the SYN. The LSM connect hook already
 * ran, in the syscall.
 */
int hey_leaf_connect_app(const struct hey_leaf *leaf, struct sock *sk)
{
	struct sockaddr_storage ss;
	struct sockaddr *addr = (struct sockaddr *)&ss;
	int len = leaf_sockaddr(leaf, &ss), err;

	if (sk->sk_state != TCP_CLOSE)
		return -EISCONN;
	err = sk->sk_prot->pre_connect ?
	      sk->sk_prot->pre_connect(sk, addr, len) : 0;
	return err ? : sk->sk_prot->connect(sk, addr, len);
}

int hey_leaf_connect(struct hey_leaf *leaf, const void *data, size_t dlen)
{
	struct sockaddr_storage ss;
	struct sockaddr *addr = (struct sockaddr *)&ss;
	struct sock *sk = leaf->sock->sk;
	int len, err;

	if (leaf->app) {
		lock_sock(sk);
		err = hey_leaf_connect_app(leaf, sk);
		release_sock(sk);
		return err;
	}
	len = leaf_sockaddr(leaf, &ss);
	if (leaf->protocol == HEY_PROTO_TFO)
		return leaf_connect_tfo(leaf, addr, len, data, dlen);
	err = kernel_connect(leaf->sock, addr, len, O_NONBLOCK);
	return err == -EINPROGRESS ? 0 : err;
}

/*
 * A one-to-one SCTP socket is ESTABLISHED (SCTP_SS_ESTABLISHED, TCP's
 * value) once its association is up, CLOSING (TCP_CLOSE_WAIT) after the
 * peer's SHUTDOWN, and CLOSED before and after. Every way its INIT can
 * fail sets sk_err first (ECONNREFUSED for an ABORT, ETIMEDOUT when INIT
 * or COOKIE ECHO went unanswered, ...): that tells a failure from a
 * handshake still under way.
 */
static int sctp_result(struct sock *sk)
{
	int state = READ_ONCE(sk->sk_state);

	if (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT)
		return 1;
	return READ_ONCE(sk->sk_err) ? sock_error(sk) : 0;
}

/*
 * 1: established, 0: still connecting, or the negative errno it failed
 * with. Read without the socket's lock, which would be the socket's
 * third on a won connect(): the engine asks after the leaf's callback
 * reported (hey_race_leaf_event() orders the two), and the protocol sets
 * the error before the state, and the state before the callback. What
 * the engine does next with a leaf it takes the lock for.
 */
int hey_leaf_result(struct hey_leaf *leaf)
{
	struct sock *sk = leaf->sock->sk;

	if (leaf->protocol == HEY_PROTO_SCTP)
		return sctp_result(sk);
	switch (READ_ONCE(sk->sk_state)) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return 1;
	case TCP_CLOSE:
		return sock_error(sk) ? : -ECONNABORTED;
	}
	return 0;
}

/*
 * Sends what the winner owes of the early data. The socket is fresh and
 * the data small (HEY_MAX_EARLY_DATA), so it fits the send buffer; if it
 * does not all go, the leaf cannot keep the exactly-once promise.
 */
int hey_leaf_send(struct hey_leaf *leaf, const void *data, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec = { .iov_base = (void *)data, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(leaf->sock, &msg, &vec, 1, len);
	if (ret < 0)
		return ret;
	return (size_t)ret == len ? 0 : -ENOBUFS;
}

/*
 * What the leaf's handshake got to, read before it goes: whether the
 * peer had answered at all (the history cache records leaves outrun
 * while still waiting), and what a TFO SYN's data became. A snapshot,
 * without the socket's lock (see hey_leaf_result()): an answer that
 * comes while the leaf goes comes too late for the race either way.
 */
static void leaf_note(struct hey_leaf *leaf, struct sock *sk)
{
	int state = READ_ONCE(sk->sk_state);

	if (leaf->protocol == HEY_PROTO_TFO && tcp_sk(sk)->syn_data_acked)
		leaf->flags |= HEY_LEAF_F_SYN_DATA_ACKED;
	if (leaf->protocol == HEY_PROTO_SCTP)
		leaf->no_synack = state != TCP_ESTABLISHED &&
				  !READ_ONCE(sk->sk_err);
	else
		leaf->no_synack = state == TCP_SYN_SENT;
}

/* Stops the callbacks; returns the socket, still the leaf's. */
struct socket *hey_leaf_detach(struct hey_leaf *leaf)
{
	struct sock *sk = leaf->sock->sk;

	leaf_note(leaf, sk);

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == leaf) {
		sk->sk_user_data = NULL;
		sk->sk_state_change = leaf->saved_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);
	return leaf->sock;
}

/*
 * The application's socket as a leaf that failed or was aborted: back to
 * an unconnected socket, as TCP leaves one whose connect() failed or that
 * was given connect(AF_UNSPEC). An attempt still in SYN-SENT is dropped
 * (the SYN-ACK meets a closed port), an established one reset. The error
 * TCP's disconnect leaves is not the application's. A failed leaf's own
 * is, as it is its race's (its only leaf), and goes in now, with the
 * disconnect: poll() and SO_ERROR never see a closed socket without its
 * error, which race_fail() would set only after the race's bookkeeping.
 */
static void leaf_disconnect_app(struct hey_leaf *leaf)
{
	struct sock *sk = leaf->sock->sk;

	lock_sock(sk);
	sk->sk_prot->disconnect(sk, 0);
	WRITE_ONCE(sk->sk_err, leaf->outcome == HEY_LEAF_FAILED ?
			       leaf->error : 0);
	release_sock(sk);
	leaf->sock = NULL;
}

/* Closes the leaf; with reset, an established one is reset, not closed. */
void hey_leaf_release(struct hey_leaf *leaf, bool reset)
{
	struct socket *sock = leaf->sock;

	if (!sock)
		return;
	hey_leaf_detach(leaf);
	if (leaf->app) {
		leaf_disconnect_app(leaf);
		return;
	}
	if (reset)
		sock_no_linger(sock->sk);
	sock->file = NULL;
	sock_release(sock);
	leaf->sock = NULL;
}

/* The history cache's key of a leaf: its endpoint in its own family. */
void hey_leaf_key(const struct hey_leaf *leaf, struct hey_cache_key *key)
{
	memset(key, 0, sizeof(*key));
	key->network = leaf->network;
	key->port = leaf->ep.port;
	key->protocol = leaf->protocol;
	key->family = leaf->ep.family;
	memcpy(key->addr, leaf->ep.addr, sizeof(key->addr));
	if (leaf->ep.family == AF_INET6 &&
	    ipv6_addr_v4mapped((const struct in6_addr *)leaf->ep.addr)) {
		key->family = AF_INET;
		memset(key->addr, 0, sizeof(key->addr));
		memcpy(key->addr, leaf->ep.addr + 12, 4);
	}
}

/*
 * What HEY_INFO and the race log show of a leaf of a race that started
 * at start; path: the race's one path, for a leaf not pinned to one.
 */
void hey_leaf_fill_info(const struct hey_leaf *leaf, ktime_t start, int path,
			struct hey_leaf_info *li)
{
	bool started = leaf->outcome != HEY_LEAF_PENDING;
	bool over = started && leaf->outcome != HEY_LEAF_RUNNING;

	li->endpoint = leaf->ep;
	li->ifindex = leaf->ifindex ? : path;
	li->protocol = leaf->protocol;
	li->outcome = leaf->outcome;
	li->flags = leaf->flags;
	li->error = leaf->error;
	li->start_us = started ? ktime_to_us(ktime_sub(leaf->start, start)) :
				 ~0U;
	li->end_us = over ? ktime_to_us(ktime_sub(leaf->end, start)) : ~0U;
}
