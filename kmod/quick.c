// SPDX-License-Identifier: GPL-2.0
/*
 * The quick race: a race of one plain TCP attempt (one endpoint, one
 * path, TCP alone; race_plan_lone() in race.c decides) on the
 * application's own socket, tried before a race is made.
 *
 * Over a fast link (a local service, a container's veth) the SYN-ACK is
 * in the socket's backlog by the time TCP's connect returns. The attempt
 * then won before anything could race it, and making a race for it (its
 * object, its tree, the leaf's callback, the engine's step, the switch of
 * operations under another hold of the lock) cost a sixth more than the
 * connect() itself. So the attempt is made first, under the socket's
 * lock, and its backlog served there as tcp_sendmsg() does; if it is
 * established, it goes on record as a race would (counters, history, the
 * race log, tracepoints, HEY_INFO) and the socket is connected, with
 * TCP's own data path, before the lock is let go. Otherwise (still
 * waiting for the answer, or failed) a race takes the attempt over as
 * its one leaf (race.c), which is what a race of one did before.
 */

#include <net/sock.h>
#include <net/tcp.h>

#include "cache.h"
#include "leaf.h"
#include "netlink.h"
#include "pernet.h"
#include "quick.h"
#include "race.h"
#include "racelog.h"
#include "sock.h"
#include "trace.h"

/*
 * Whether the application's socket can be a race's leaf itself: nothing
 * bound, never connected, no Fast Open or early data of its own, and no
 * attempt of its own made before (hs->app_tried). Under its lock.
 */
bool hey_quick_sock_free(struct sock *sk, const struct hey_sock *hs)
{
	if (hs->app_tried || hs->early || hs->bound_port ||
	    sk->sk_state != TCP_CLOSE || inet_sk(sk)->inet_num ||
	    inet_sk(sk)->inet_rcv_saddr || tcp_sk(sk)->fastopen_connect)
		return false;
	return sk->sk_family != AF_INET6 ||
	       ipv6_addr_any(&sk->sk_v6_rcv_saddr);
}

/*
 * When the attempt of sk was established: when TCP took the SYN-ACK, as
 * its own clock read it then (tcp_rcv_state_process() refreshes it). That
 * clock is ktime_get's (tcp_clock_ns()), so the time compares with the
 * leaf's start and any other leaf's, and is not read once more: where the
 * clock source is the HPET (a VM without a stable TSC), a read costs a
 * microsecond or so.
 */
static ktime_t quick_clock(const struct sock *sk)
{
	/* In repair mode TCP connects without a SYN, and without its clock. */
	if (unlikely(tcp_sk(sk)->repair))
		return ktime_get();
	return ns_to_ktime(tcp_sk(sk)->tcp_clock_cache);
}

/* The race log's record of a quick win. */
static void quick_log(struct hey_net *hn, const struct hey_quick *q,
		      bool tell)
{
	struct hey_race_record *r = hey_racelog_take(hn, 1, tell);

	if (!r)
		return;
	r->id = q->id;
	r->start = q->leaf.start;
	r->state = HEY_STATE_CONNECTED;
	r->winner = 0;
	r->connect_us = q->connect_us;
	hey_leaf_fill_info(&q->leaf, q->leaf.start, q->path,
			   &r->leaves[0].info);
	r->leaves[0].network = q->leaf.network;
	r->leaves[0].cache = q->leaf.cache;
	hey_racelog_post(hn, r);
}

/*
 * A quick win goes on record as the race it is: a race of one leaf that
 * started when connect() did and won.
 */
static void quick_won(struct hey_net *hn, struct hey_quick *q,
		      const struct sock *sk)
{
	struct hey_leaf *leaf = &q->leaf;
	/* Asked once for the history record and the race log */
	bool tell = hey_genl_has_listeners(hn);
	struct hey_cache_key key;
	struct hey_cache_val was;

	leaf->end = quick_clock(sk);
	leaf->outcome = HEY_LEAF_WON;
	q->connect_us = ktime_to_us(ktime_sub(leaf->end, leaf->start));
	q->id = atomic64_inc_return(&hn->race_ids);

	hey_stat_inc(hn, HEY_A_STATS_RACES);
	hey_stat_inc(hn, HEY_A_STATS_LEAVES_STARTED);
	hey_stat_inc(hn, HEY_A_STATS_WON_AT_ONCE);
	hey_race_count_win(hn, leaf, true, false);
	trace_hey_race_start(q->id, 1, 0);
	trace_hey_leaf_start(q->id, leaf);
	trace_hey_leaf_done(q->id, leaf);
	/* What history said of it comes with its record (leaf_history()). */
	hey_leaf_key(leaf, &key);
	if (hey_cache_record(hn, &key, HEY_CACHE_SUCCESS, 0, q->connect_us,
			     &was, tell))
		leaf->cache = hey_cache_hit(hn, &key, &was);
	trace_hey_race_done(q->id, HEY_STATE_CONNECTED, 0, 0, q->connect_us);
	quick_log(hn, q, tell);
}

/*
 * Makes the attempt of hs->quick (its leaf: endpoint, network; its path),
 * filled in by race.c. HEY_QUICK_WON: the socket is connected and the
 * quick race on record; HEY_QUICK_STARTED: the leaf has its start, and
 * its errno when the connect failed at once; HEY_QUICK_NONE: no attempt
 * was made. Under the socket's lock, which connect() took.
 */
int hey_quick_try(struct socket *sock, struct hey_sock *hs,
		  struct hey_net *hn)
{
	struct hey_quick *q = &hs->quick;
	struct sock *sk = sock->sk;
	int err;

	if (!hey_quick_sock_free(sk, hs))
		return HEY_QUICK_NONE;
	/* Whatever comes of it, the socket made its attempt. */
	hs->app_tried = true;
	q->leaf.start = ktime_get();
	err = hey_leaf_connect_app(&q->leaf, sk);
	if (err) {
		q->leaf.error = -err;
		return HEY_QUICK_STARTED;
	}
	/* A fast link's answer waits in the backlog: served now. */
	sk_flush_backlog(sk);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		return HEY_QUICK_STARTED;
	quick_won(hn, q, sk);
	/* From now on the data path is TCP's own, as for any winner. */
	hey_sock_ops_won(sock);
	sock->state = SS_CONNECTED;
	return HEY_QUICK_WON;
}

/* HEY_INFO of a quick win; q is written once, before the socket connects. */
void hey_quick_fill_info(const struct hey_quick *q, struct hey_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = HEY_STATE_CONNECTED;
	info->n_leaves = 1;
	info->winner = 0;
	info->connect_us = q->connect_us;
	hey_leaf_fill_info(&q->leaf, q->leaf.start, q->path, &info->leaves[0]);
}
