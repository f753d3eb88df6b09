// SPDX-License-Identifier: GPL-2.0
/*
 * The socket operations of a hey socket. Like kTLS, hey builds its tables
 * lazily by copying the socket's current proto_ops (so it needs no
 * unexported symbol such as inet6_stream_ops) and overrides the few
 * operations it takes over:
 *
 *  - while the socket is unconnected or racing ("race ops"): connect,
 *    poll, sendmsg, recvmsg, release, setsockopt and getsockopt;
 *  - once a race won ("won ops"): only setsockopt and getsockopt, for the
 *    SOL_HEY level (HEY_INFO). Every other operation, the whole data path
 *    included, is the kernel's own TCP function, called directly.
 *
 * The tables keep the base table's owner, so the socket layer's module
 * accounting is untouched; this module's own lifetime is held by the TCP
 * ULP reference that every socket using these tables carries.
 */

#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "race.h"
#include "sock.h"
#include "sockopt.h"
#include "ulp.h"

/*
 * One table per family and protocol: the application's socket is TCP,
 * a winner is TCP or SCTP. Race ops exist only for the TCP slots.
 */
enum { HEY_OPS_TCP4, HEY_OPS_TCP6, HEY_OPS_SCTP4, HEY_OPS_SCTP6, HEY_OPS_NUM };

static DEFINE_MUTEX(hey_ops_mutex);
static const struct proto_ops *hey_base_ops[HEY_OPS_NUM];
static struct proto_ops hey_race_ops[HEY_OPS_NUM];
static struct proto_ops hey_won_ops[HEY_OPS_NUM];

static int sk_slot(const struct sock *sk)
{
	int v6 = sk->sk_family == AF_INET6;

	if (sk->sk_protocol == IPPROTO_SCTP)
		return v6 ? HEY_OPS_SCTP6 : HEY_OPS_SCTP4;
	return v6 ? HEY_OPS_TCP6 : HEY_OPS_TCP4;
}

static const struct proto_ops *base_ops(const struct socket *sock)
{
	return hey_base_ops[sk_slot(sock->sk)];
}

/*
 * The operations to hand a call over to once the race is over: the
 * winner's (the socket has the won ops now), or TCP's own on a socket that
 * still has the race ops. Never the race ops themselves.
 */
static const struct proto_ops *after_race_ops(const struct socket *sock)
{
	const struct proto_ops *ops = READ_ONCE(sock->ops);
	struct sock *sk = READ_ONCE(sock->sk);

	if (ops == &hey_race_ops[sk_slot(sk)])
		return hey_base_ops[sk_slot(sk)];
	return ops;
}

/* ---- while unconnected or racing ------------------------------------- */

/* The race this socket runs or ran, with a reference, or NULL. */
static struct hey_race *race_of(struct sock *sk)
{
	struct hey_race *race = NULL;
	struct hey_sock *hs;

	lock_sock(sk);
	hs = hey_ulp_state(sk);
	if (hs && hs->race) {
		race = hs->race;
		hey_race_get(race);
	}
	release_sock(sk);
	return race;
}

/* Something for a waiter: the race ended, or a leaf has news. */
static bool race_news(const struct hey_race *race)
{
	return hey_race_state(race) != HEY_STATE_RACING ||
	       hey_race_has_events(race);
}

/*
 * Waits up to *timeo for the race to end, as inet_wait_for_connect() does
 * for TCP: 0 when it ended, -EAGAIN when time ran out, or the signal's
 * errno. The race goes on whatever this returns. While it waits, the
 * caller runs the engine itself whenever a leaf reports (see
 * hey_race_leaf_event()), which saves the hop through the work.
 */
static int race_wait(struct socket *sock, struct hey_race *race, long *timeo)
{
	long t = *timeo;
	int err = 0;

	if (hey_race_state(race) != HEY_STATE_RACING)
		return 0;
	if (!t) {
		hey_race_settle(race);
		return hey_race_state(race) == HEY_STATE_RACING ? -EAGAIN : 0;
	}
	hey_race_wait_begin(race);
	while (hey_race_state(race) == HEY_STATE_RACING) {
		t = wait_event_interruptible_timeout(sock->wq.wait,
						     race_news(race), t);
		if (t < 0) {
			err = sock_intr_errno(*timeo);
			break;
		}
		hey_race_wait_end(race, false);
		if (!t)
			break;
	}
	hey_race_wait_end(race, true);
	if (err)
		return err;
	if (hey_race_state(race) == HEY_STATE_RACING) {
		*timeo = 0;
		return -EAGAIN;
	}
	*timeo = t;
	return 0;
}

static int hey_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	struct hey_race *race, *old;
	struct hey_start st;
	struct hey_sock *hs;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;

	lock_sock(sk);
	hs = hey_ulp_state(sk);
	if (sock->sk != sk || !hs) {
		/* A race won meanwhile: this is now the winner's socket. */
		release_sock(sk);
		return after_race_ops(sock)->connect(sock, uaddr, addr_len,
						     flags);
	}
	if (uaddr->sa_family == AF_UNSPEC) {
		/* Disconnect: stop a running race, as TCP drops a SYN_SENT. */
		race = hs->race;
		hs->race = NULL;
		sock->state = SS_UNCONNECTED;
		release_sock(sk);
		if (race) {
			hey_race_abort(race);
			hey_race_put(race);
		}
		return 0;
	}

	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out_unlock;
	case SS_CONNECTING:
		err = -EALREADY;
		race = hs->race;
		/*
		 * Another thread's connect() is setting its race up and has
		 * not recorded it yet (hey_race_start()): nothing to wait on.
		 */
		if (!race)
			goto out_unlock;
		hey_race_get(race);
		break;
	case SS_UNCONNECTED:
		/* The last race failed, or none ran: start a new one. */
		old = hs->race;
		hs->race = NULL;
		err = hey_race_prepare(sock, hs, uaddr, addr_len, &st);
		if (err) {
			release_sock(sk);
			hey_race_put(old);
			if (err < 0)
				return err;
			/*
			 * Won within the call (quick.c). As TCP, a
			 * non-blocking connect() that started says
			 * EINPROGRESS; poll and SO_ERROR tell the outcome.
			 */
			return flags & O_NONBLOCK ? -EINPROGRESS : 0;
		}
		sock->state = SS_CONNECTING;
		release_sock(sk);
		hey_race_put(old);

		/*
		 * Not under the socket lock: the race locks its leaves,
		 * TCP sockets of the same lock class. It records itself in
		 * hs and returns with a reference for us.
		 */
		race = hey_race_start(sock, hs, &st);
		if (IS_ERR(race)) {
			lock_sock(sk);
			if (sock->sk == sk)
				sock->state = SS_UNCONNECTED;
			release_sock(sk);
			return PTR_ERR(race);
		}
		err = -EINPROGRESS;
		/*
		 * As TCP: a non-blocking connect() that started says
		 * EINPROGRESS even if the race already ended within it
		 * (a fast link); poll and SO_ERROR tell the outcome.
		 */
		if (flags & O_NONBLOCK)
			goto out_put;
		goto wait;
	default:
		err = -EINVAL;
		goto out_unlock;
	}
	release_sock(sk);
wait:
	/* race: our reference. The socket may be the winner's by now. */
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if (hey_race_state(race) == HEY_STATE_RACING) {
		int w = race_wait(sock, race, &timeo);

		if (w == -EAGAIN)
			goto out_put;
		if (w) {
			err = w;
			goto out_put;
		}
	}
	if (hey_race_state(race) == HEY_STATE_CONNECTED) {
		err = 0;
	} else {
		/* Failed: connect() reports it, SO_ERROR no longer does. */
		lock_sock(sk);
		if (sock->sk == sk) {
			sock->state = SS_UNCONNECTED;
			sock_error(sk);
		}
		release_sock(sk);
		err = -hey_race_error(race);
	}
out_put:
	hey_race_put(race);
	return err;

out_unlock:
	release_sock(sk);
	return err;
}

static __poll_t hey_poll(struct file *file, struct socket *sock,
			 poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct hey_race *race;
	bool racing;

	race = race_of(sk);
	if (!race)
		return base_ops(sock)->poll(file, sock, wait);
	sock_poll_wait(file, sock, wait);
	racing = hey_race_state(race) == HEY_STATE_RACING;
	hey_race_put(race);
	if (racing)
		return 0;
	/* Ended: the winner's own poll, or TCP's on the failed socket. */
	return after_race_ops(sock)->poll(file, sock, wait);
}

/*
 * Data calls during a race wait for it as TCP waits for its handshake,
 * then go to whatever the socket is: the winner, or the failed socket.
 */
static int wait_for_race(struct socket *sock, int flags)
{
	struct hey_race *race = race_of(sock->sk);
	long timeo;
	int err = 0;

	if (!race)
		return 0;
	timeo = sock_sndtimeo(sock->sk, flags & MSG_DONTWAIT);
	if (hey_race_state(race) == HEY_STATE_RACING)
		err = race_wait(sock, race, &timeo);
	hey_race_put(race);
	return err;
}

/*
 * sendto(MSG_FASTOPEN) on an unconnected hey socket: what TFO does for a
 * TCP socket, with the race in place of the one connection. The data
 * becomes the early data (the winner sends it exactly once) and the race
 * starts as connect() would. Returns the bytes taken, once the race won
 * or at once for a non-blocking socket, as TFO does. *handled is false
 * when the socket is not unconnected: the call goes on as any sendmsg().
 */
static int sendmsg_fastopen(struct socket *sock, struct msghdr *msg,
			    size_t len, bool *handled)
{
	size_t n = min_t(size_t, len, HEY_MAX_EARLY_DATA);
	struct sock *sk = sock->sk;
	struct hey_sock *hs;
	u8 *buf = NULL;
	int err;

	*handled = false;
	if (n) {
		buf = kmalloc(n, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOBUFS;
	}
	lock_sock(sk);
	hs = hey_ulp_state(sk);
	if (!hs || sock->sk != sk || sock->state != SS_UNCONNECTED) {
		release_sock(sk);
		kfree(buf);
		return 0;
	}
	*handled = true;
	/* Never TCP's own Fast Open on the application's socket. */
	err = -EINVAL;
	if (!msg->msg_name ||
	    msg->msg_namelen < (int)sizeof(struct sockaddr_in))
		goto out_unlock;
	err = -EOPNOTSUPP;
	if (((struct sockaddr *)msg->msg_name)->sa_family == AF_UNSPEC)
		goto out_unlock;
	err = -EFAULT;
	if (n && !copy_from_iter_full(buf, n, &msg->msg_iter))
		goto out_unlock;
	hey_sockopt_early_clear(hs);
	hs->early = buf;
	hs->early_len = n;
	release_sock(sk);

	err = hey_connect(sock, msg->msg_name, msg->msg_namelen,
			  msg->msg_flags & MSG_DONTWAIT ? O_NONBLOCK : 0);
	if (!err || err == -EINPROGRESS)
		return n;
	/* Not started: the data must not go out with a later connect(). */
	lock_sock(sk);
	if (sock->sk == sk && hs->early == buf)
		hey_sockopt_early_clear(hs);
	release_sock(sk);
	return err;

out_unlock:
	release_sock(sk);
	kfree(buf);
	return err;
}

static int hey_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	bool handled;
	int err;

	if (msg->msg_flags & MSG_FASTOPEN) {
		err = sendmsg_fastopen(sock, msg, len, &handled);
		if (handled || err)
			return err;
	}
	err = wait_for_race(sock, msg->msg_flags);

	if (err)
		return err;
	return after_race_ops(sock)->sendmsg(sock, msg, len);
}

static int hey_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		       int flags)
{
	int err = wait_for_race(sock, flags);

	if (err)
		return err;
	return after_race_ops(sock)->recvmsg(sock, msg, len, flags);
}

static int hey_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct hey_race *race = NULL;
	struct hey_sock *hs;

	if (!sk)
		return 0;
	lock_sock(sk);
	hs = hey_ulp_state(sk);
	if (hs) {
		race = hs->race;
		hs->race = NULL;
	}
	release_sock(sk);
	/* A race still running is stopped and its leaves freed now. */
	if (race) {
		hey_race_abort(race);
		hey_race_put(race);
	}
	/* The winner's release if a leaf won meanwhile, else TCP's. */
	return after_race_ops(sock)->release(sock);
}

static int hey_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct hey_sock *hs;
	int err;

	if (level != SOL_HEY)
		return base_ops(sock)->setsockopt(sock, level, optname,
						  optval, optlen);
	lock_sock(sk);
	hs = hey_ulp_state(sk);
	/*
	 * Not while a race runs, nor while connect() sets one up (connecting
	 * with no race yet): hey_race_start() reads the configuration
	 * without the socket's lock.
	 */
	if (!hs || sock->sk != sk || sock->state == SS_CONNECTED ||
	    (sock->state == SS_CONNECTING && !hs->race) ||
	    (hs->race && hey_race_state(hs->race) == HEY_STATE_RACING))
		err = -EISCONN;
	else
		err = hey_sockopt_set(sk, hs, optname, optval, optlen);
	release_sock(sk);
	return err;
}

static int hey_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	const struct hey_quick *quick;
	struct hey_config cfg;
	struct sock *sk = sock->sk;
	struct hey_race *race;
	struct hey_sock *hs;

	if (level != SOL_HEY)
		return base_ops(sock)->getsockopt(sock, level, optname,
						  optval, optlen);
	lock_sock(sk);
	hs = hey_ulp_state(sk);
	if (!hs) {
		release_sock(sk);
		return -ENOPROTOOPT;
	}
	if (optname == HEY_EARLY_DATA) {
		int err = hey_sockopt_get_early(hs, optval, optlen);

		release_sock(sk);
		return err;
	}
	cfg = hs->cfg;
	race = hs->race;
	if (race)
		hey_race_get(race);
	/* Written once, before the socket connected: read without the lock. */
	quick = hs->quick.id ? &hs->quick : NULL;
	release_sock(sk);
	return hey_sockopt_get(&cfg, race, quick, optname, optval, optlen);
}

/* ---- after a win --------------------------------------------------- */

static int hey_won_setsockopt(struct socket *sock, int level, int optname,
			      sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_HEY)
		return -EISCONN;
	return base_ops(sock)->setsockopt(sock, level, optname, optval,
					      optlen);
}

static int hey_won_getsockopt(struct socket *sock, int level, int optname,
			      char __user *optval, int __user *optlen)
{
	if (level == SOL_HEY)
		return hey_getsockopt(sock, level, optname, optval, optlen);
	return base_ops(sock)->getsockopt(sock, level, optname, optval,
					      optlen);
}

/* ---- tables --------------------------------------------------------- */

static void ops_build(int slot, const struct proto_ops *base)
{
	struct proto_ops *r = &hey_race_ops[slot], *w = &hey_won_ops[slot];

	*r = *base;
	r->connect = hey_connect;
	r->poll = hey_poll;
	r->sendmsg = hey_sendmsg;
	r->recvmsg = hey_recvmsg;
	r->release = hey_release;
	r->setsockopt = hey_setsockopt;
	r->getsockopt = hey_getsockopt;

	*w = *base;
	w->setsockopt = hey_won_setsockopt;
	w->getsockopt = hey_won_getsockopt;

	/* Readers check the base pointer without the mutex: tables first. */
	smp_store_release(&hey_base_ops[slot], base);
}

/* The tables for ops, built on first use; EBUSY for a foreign table. */
static int ops_learn(const struct proto_ops *ops, int slot)
{
	int err = 0;
	const struct proto_ops *known;

	/* Pairs with ops_build(): a published base has its tables built. */
	known = smp_load_acquire(&hey_base_ops[slot]);
	if (known)
		return known == ops ? 0 : -EBUSY;
	mutex_lock(&hey_ops_mutex);
	if (!hey_base_ops[slot])
		ops_build(slot, ops);
	else if (hey_base_ops[slot] != ops)
		err = -EBUSY;
	mutex_unlock(&hey_ops_mutex);
	return err;
}

/*
 * Gives an application socket the race ops. EBUSY when its operations
 * were already replaced by someone else (hey would not know what to
 * restore).
 */
int hey_sock_ops_attach(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	int err;

	if (!sock)
		return -EINVAL;
	err = ops_learn(sock->ops, sk_slot(sk));
	if (err)
		return err;
	WRITE_ONCE(sock->ops, &hey_race_ops[sk_slot(sk)]);
	return 0;
}

/* The ops a winner of this family gets, learnt from its own socket. */
const struct proto_ops *hey_sock_won_ops(const struct socket *leaf)
{
	int err = ops_learn(leaf->ops, sk_slot(leaf->sk));

	if (err)
		return ERR_PTR(err);
	return &hey_won_ops[sk_slot(leaf->sk)];
}

/*
 * The application's socket won a race as its own leaf: the race ops give
 * way to the won ops of its own table, built when the race ops were.
 */
void hey_sock_ops_won(struct socket *sock)
{
	WRITE_ONCE(sock->ops, &hey_won_ops[sk_slot(sock->sk)]);
}
