// SPDX-License-Identifier: GPL-2.0
/*
 * The race engine. A race is a tree (draft "Connection Establishment
 * Racing" section 4): the root's children are paths, a path's children are
 * protocols, a protocol's children are endpoints, which are the leaves:
 * connection attempts. Each parent starts its first child at once and the
 * next ones according to the racing mode (section 5.2):
 *
 *  - delayed: after a delay derived from the previous child's expected
 *    handshake time, clamped to the configured bounds; path branches wait
 *    longer than protocol branches, which wait longer than endpoints;
 *  - failover: only when the previous child failed;
 *  - immediate: all at once.
 *
 * In the delayed and failover modes a child that fails starts the next one
 * at once (RFC 8305 section 5). Earlier attempts keep running when later
 * ones start. The first leaf to complete its handshake wins: nothing new
 * starts, the others are reset and freed, and the winner is grafted into
 * the application's socket. A race of one plain TCP attempt, the common
 * single connect(), makes no socket of its own: the application's socket
 * is its leaf (race_own_socket()), and a win leaves nothing to graft.
 *
 * Everything here runs in process context under race->lock: the
 * application's connect() starts the race, and one work item per race
 * serves leaf events (queued from softirq by the leaves' callbacks) and
 * the per-node deadlines, each parent node keeping its own.
 */

#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "cache.h"
#include "leaf.h"
#include "metrics.h"
#include "netlink.h"
#include "network.h"
#include "order.h"
#include "paths.h"
#include "pernet.h"
#include "policy.h"
#include "quick.h"
#include "race.h"
#include "racelog.h"
#include "resolver.h"
#include "sock.h"
#include "tfo.h"
#include "trace.h"
#include "ulp.h"

/* Every path and protocol node has a leaf below it. */
#define HEY_MAX_NODES (1 + 3 * HEY_MAX_LEAVES)
/* a race of up to this many leaves needs no allocation for its tree */
#define HEY_SMALL_LEAVES 2
#define HEY_SMALL_NODES (1 + 3 * HEY_SMALL_LEAVES)
/* Candidate leaves weighed before the budget of max_leaves is applied. */
#define HEY_MAX_CANDIDATES (4 * HEY_MAX_LEAVES)

enum hey_node_kind { NODE_ROOT, NODE_PATH, NODE_PROTO, NODE_LEAF };
enum hey_node_state { NODE_IDLE, NODE_RUNNING, NODE_FAILED };

/*
 * Children are a list (first, next), in the order they start: answers
 * to a race by name append to a tree already racing (race_grow()).
 */
struct hey_node {
	s8 parent;
	u8 kind;
	s8 first;		/* first child; -1: none */
	s8 last;		/* last child, where new ones go */
	s8 next;		/* next sibling; -1: none */
	s8 cur;			/* the next child to start; -1: none left */
	u8 count;
	u8 started;
	u8 failed;
	u8 state;
	s8 leaf;		/* NODE_LEAF: index in leaves[] */
	int key;		/* NODE_PATH: ifindex; NODE_PROTO: protocol */
	int error;		/* the most telling error of failed children */
	ktime_t next_at;	/* when the next child starts; KTIME_MAX: never */
};

struct hey_naming;

struct hey_race {
	refcount_t ref;
	u64 id;			/* per namespace, for logs and traces */
	struct socket *sock;	/* the application's socket */
	struct sock *shell;	/* its sock before the race */
	struct hey_net *hn;
	struct delayed_work work;
	/* the work was ever queued: else nothing to cancel or wait for */
	bool queued;
	unsigned long events;	/* leaves with news, from their callbacks */
	/* connect() callers waiting, who run the engine themselves */
	atomic_t waiters;
	ktime_t start;
	u8 state;		/* enum hey_state */
	u8 mode;		/* enum hey_race_mode */
	s8 winner;
	int error;		/* positive errno of a failed race */
	u32 connect_us;
	u32 min_delay_us;
	u32 max_delay_us;
	u8 n_leaves;
	u8 n_nodes;
	u32 pruned;		/* leaves the history cache left out */
	/* losers finishing their handshake after the win, until when */
	u8 n_measuring;
	ktime_t measure_until;
	int primary_ifindex;
	/* the lone leaf's history verdict comes with its record */
	bool history_late;
	/* the winner's hey state, allocated in the application's context */
	struct hey_sock *spare;
	/* early data: the winner sends it; TFO SYNs carry it if idempotent */
	u8 *early;
	u32 early_len;
	u32 early_sent;
	bool early_idempotent;
	/* a race by name (HEY_HOST): what the resolver said so far */
	struct hey_naming *naming;
	/*
	 * The tree: small_*[] for a race of up to HEY_SMALL_LEAVES leaves,
	 * else arrays of their own (race_reserve()). Most races are a
	 * single connect(), and the kernel zeroes what it allocates
	 * (init_on_alloc): room for 16 leaves was 3.6 KB of it on every
	 * connect(). Each leaf and node is zeroed when it is taken.
	 */
	struct hey_leaf *leaves;
	struct hey_node *nodes;
	struct hey_leaf small_leaves[HEY_SMALL_LEAVES];
	struct hey_node small_nodes[HEY_SMALL_NODES];
	/*
	 * Serialises the engine: connect(), the work, abort and HEY_INFO.
	 * Made once with the object (race_ctor()), not zeroed with the
	 * rest: a race is freed with it unlocked, as it was made.
	 */
	struct mutex lock;
};

static struct workqueue_struct *hey_wq;
static struct kmem_cache *hey_race_cache;

void hey_race_get(struct hey_race *race)
{
	refcount_inc(&race->ref);
}

/* The tree's arrays, when it has its own (race_reserve()) */
static void race_free_tree(struct hey_race *race)
{
	if (race->leaves != race->small_leaves) {
		kfree(race->leaves);
		kfree(race->nodes);
	}
}

/*
 * The last reference goes when the race is over: its leaves are released
 * and its work can no longer run, so freeing is all that is left, and it
 * is safe from any context (a winner may die in softirq).
 */
void hey_race_put(struct hey_race *race)
{
	if (race && refcount_dec_and_test(&race->ref)) {
		race_free_tree(race);
		kfree(race->spare);
		kfree(race->early);
		kfree(race->naming);
		kmem_cache_free(hey_race_cache, race);
	}
}

/* Work that must finish before the module goes (see hey_race_exit()). */
void hey_race_queue_work(struct work_struct *work)
{
	queue_work(hey_wq, work);
}

/*
 * Queues the race's work; every caller goes through here. Most races end
 * inside connect() without it, and then do not cancel it (see
 * race_cancel_work()).
 */
static void race_queue(struct hey_race *race, unsigned long delay)
{
	WRITE_ONCE(race->queued, true);
	mod_delayed_work(hey_wq, &race->work, delay);
}

/*
 * Once the race is over nothing queues its work any more (its leaves'
 * callbacks are off): a work never queued needs no cancelling, and a
 * sync cancel costs a connect() as much as its route lookup.
 */
static void race_cancel_work(struct hey_race *race, bool sync)
{
	if (!READ_ONCE(race->queued))
		return;
	if (sync)
		cancel_delayed_work_sync(&race->work);
	else
		cancel_delayed_work(&race->work);
}

int hey_race_state(const struct hey_race *race)
{
	return READ_ONCE(race->state);
}

int hey_race_error(const struct hey_race *race)
{
	return READ_ONCE(race->error);
}

/*
 * Called from a leaf's callback, in softirq: the engine looks soon. A
 * connect() caller blocked on the race runs the engine itself (one
 * wake-up instead of the work's two); otherwise the work does. Pairs
 * with hey_race_wait_end(): one of the two sees the other's write.
 */
void hey_race_leaf_event(struct hey_race *race, unsigned int idx)
{
	set_bit(idx, &race->events);
	/* the event before the waiters: see hey_race_wait_end() */
	smp_mb__after_atomic();
	if (atomic_read(&race->waiters))
		wake_up_interruptible_all(&race->sock->wq.wait);
	else
		race_queue(race, 0);
}

static u32 since_start_us(const struct hey_race *race, ktime_t t)
{
	return ktime_to_us(ktime_sub(t, race->start));
}

/* The error that tells most about how far the failed attempts got. */
static int error_rank(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return 5;
	case ETIMEDOUT:
		return 4;
	case EHOSTUNREACH:
		return 3;
	case ENETUNREACH:
		return 1;
	case 0:
		return 0;
	default:
		return 2;
	}
}

static int error_pick(int a, int b)
{
	return error_rank(b) > error_rank(a) ? b : a;
}

/* How long a parent waits before starting its next child (delayed mode). */
static u32 node_delay_us(const struct hey_race *race,
			 const struct hey_node *parent,
			 const struct hey_node *child)
{
	const struct hey_node *n = child;
	u32 expected, lo = race->min_delay_us, hi = race->max_delay_us;

	/* The expected handshake time of the child's first attempt. */
	while (n->kind != NODE_LEAF)
		n = &race->nodes[n->first];
	expected = race->leaves[n->leaf].expected_us;

	/*
	 * Paths and protocols differ more than endpoints of one path and
	 * protocol do, so their branches give each child longer.
	 */
	switch (parent->kind) {
	case NODE_ROOT:
		expected *= 2, lo *= 2, hi *= 2;
		break;
	case NODE_PATH:
		expected += expected / 2, lo += lo / 2, hi += hi / 2;
		break;
	}
	return clamp(expected, lo, hi);
}

static void node_start(struct hey_race *race, int n);
static void node_child_failed(struct hey_race *race, int n, int err);
static bool race_naming_open(const struct hey_race *race);
static bool naming_key(const struct hey_race *race,
		       struct hey_cache_key *key);

static void node_start_next(struct hey_race *race, int n)
{
	struct hey_node *node = &race->nodes[n];
	int child = node->cur;
	u8 mine = ++node->started;

	node->cur = race->nodes[child].next;
	node->next_at = KTIME_MAX;
	node_start(race, child);
	/* A failure inside node_start() may have moved on already. */
	if (race->state != HEY_STATE_RACING || node->started != mine ||
	    node->cur < 0 || race->mode != HEY_RACE_DELAYED)
		return;
	node->next_at = ktime_add_us(ktime_get(),
				     node_delay_us(race, node,
						   &race->nodes[child]));
}

static int leaf_path(const struct hey_race *race, const struct hey_leaf *leaf)
{
	return leaf->ifindex ? : race->primary_ifindex;
}

static u32 leaf_handshake_us(const struct hey_leaf *leaf)
{
	return ktime_to_us(ktime_sub(leaf->end, leaf->start));
}

/*
 * Records a finished leaf under its address (key) and, in a race by
 * name, under the name and the address's family too: the next race to
 * the name learns from it even if DNS gives it other addresses. With
 * was, what the address's entry said before (true if there was one).
 */
static bool leaf_record(struct hey_race *race, struct hey_cache_key *key,
			u8 result, u32 error, u32 handshake_us,
			struct hey_cache_val *was)
{
	bool tell = hey_genl_has_listeners(race->hn), known;

	known = hey_cache_record(race->hn, key, result, error, handshake_us,
				 was, tell);
	if (naming_key(race, key))
		hey_cache_record(race->hn, key, result, error, handshake_us,
				 NULL, tell);
	return known;
}

/*
 * What a finished leaf teaches the history cache: it worked, it failed
 * (not for want of local memory), or it was still waiting for an answer
 * when a leaf started after it won: slower here than the alternative.
 *
 * A lone leaf (race_lay_lone()) learns here what history said of it
 * before its race, for HEY_INFO, the race log and cache_hits: from the
 * record, which returns the entry as it was, or from a lookup when there
 * is nothing to record. One visit to the cache instead of two.
 */
static void leaf_history(struct hey_race *race, struct hey_leaf *leaf,
			 const struct hey_leaf *winner)
{
	struct hey_cache_val was, *late = race->history_late ? &was : NULL;
	struct hey_cache_key key, addr_key;
	u32 error = 0, handshake_us = 0;
	u8 result = 0;		/* nothing to record */
	bool known;

	switch (leaf->outcome) {
	case HEY_LEAF_WON:
		result = HEY_CACHE_SUCCESS;
		handshake_us = leaf_handshake_us(leaf);
		break;
	case HEY_LEAF_FAILED:
		if (leaf->error != ENOMEM && leaf->error != ENOBUFS) {
			result = HEY_CACHE_FAILED;
			error = leaf->error;
		}
		break;
	case HEY_LEAF_ABORTED:
		if (leaf->no_synack && winner &&
		    ktime_after(winner->start, leaf->start))
			result = HEY_CACHE_OUTRUN;
		break;
	}
	if (!result && !late)
		return;
	hey_leaf_key(leaf, &key);
	addr_key = key;		/* leaf_record() may make key the name's */
	if (result)
		known = leaf_record(race, &key, result, error, handshake_us,
				    late);
	else
		known = hey_cache_lookup(race->hn, &key, &was);
	if (!late)
		return;
	race->history_late = false;
	if (known)
		leaf->cache = hey_cache_hit(race->hn, &addr_key, &was);
}

/*
 * Whether a finished TFO leaf shows that Fast Open does not work on its
 * path and port (RFC 7413 section 4.1.3.1): its data-carrying SYN drew an
 * error, or a SYN-ACK that did not acknowledge the data, or no answer
 * while a leaf started after it on the same path won. Remembered, so that
 * later races there leave TFO out.
 */
static void leaf_tfo_verdict(struct hey_race *race, struct hey_leaf *leaf,
			     const struct hey_leaf *winner)
{
	bool negative = false;

	if (leaf->protocol != HEY_PROTO_TFO ||
	    !(leaf->flags & HEY_LEAF_F_SYN_DATA))
		return;
	switch (leaf->outcome) {
	case HEY_LEAF_FAILED:
		negative = true;
		break;
	case HEY_LEAF_WON:
		negative = !(leaf->flags & HEY_LEAF_F_SYN_DATA_ACKED);
		break;
	case HEY_LEAF_ABORTED:
		negative = leaf->no_synack && winner &&
			   leaf_path(race, winner) == leaf_path(race, leaf) &&
			   ktime_after(winner->start, leaf->start);
		break;
	}
	if (!negative)
		return;
	leaf->flags |= HEY_LEAF_F_TFO_NEGATIVE;
	hey_tfo_negative_add(race->hn, leaf_path(race, leaf), leaf->ep.port);
	hey_stat_inc(race->hn, HEY_A_STATS_TFO_NEGATIVE);
}

static void leaf_failed(struct hey_race *race, int n, int err)
{
	struct hey_leaf *leaf = &race->leaves[race->nodes[n].leaf];

	leaf->outcome = HEY_LEAF_FAILED;
	leaf->error = err;
	leaf->end = ktime_get();
	hey_stat_inc(race->hn, HEY_A_STATS_LEAVES_FAILED);
	hey_leaf_release(leaf, false);
	trace_hey_leaf_done(race->id, leaf);
	leaf_tfo_verdict(race, leaf, NULL);
	leaf_history(race, leaf, NULL);
	race->nodes[n].state = NODE_FAILED;
	node_child_failed(race, race->nodes[n].parent, err);
}

static void race_fail(struct hey_race *race, int err);

static void node_child_failed(struct hey_race *race, int n, int err)
{
	struct hey_node *node = &race->nodes[n];

	node->failed++;
	node->error = error_pick(node->error, err);
	if (node->failed == node->count) {
		node->next_at = KTIME_MAX;
		/* Answers still to come may give the race more leaves. */
		if (node->parent < 0 && race_naming_open(race))
			return;
		node->state = NODE_FAILED;
		node->next_at = KTIME_MAX;
		if (node->parent < 0)
			race_fail(race, node->error);
		else
			node_child_failed(race, node->parent, node->error);
		return;
	}
	/* A failed child does not make its successor wait (RFC 8305 5). */
	if (node->cur >= 0 && race->mode != HEY_RACE_IMMEDIATE)
		node_start_next(race, n);
}

static void node_start(struct hey_race *race, int n)
{
	struct hey_node *node = &race->nodes[n];
	struct hey_leaf *leaf;
	int err;

	node->state = NODE_RUNNING;
	if (node->kind != NODE_LEAF) {
		node_start_next(race, n);
		while (race->mode == HEY_RACE_IMMEDIATE &&
		       race->state == HEY_STATE_RACING && node->cur >= 0)
			node_start_next(race, n);
		return;
	}

	leaf = &race->leaves[node->leaf];
	leaf->outcome = HEY_LEAF_RUNNING;
	if (!leaf->issued)
		leaf->start = ktime_get();
	hey_stat_inc(race->hn, HEY_A_STATS_LEAVES_STARTED);
	trace_hey_leaf_start(race->id, leaf);
	/* Only idempotent data may go into SYNs: a losing SYN delivers too. */
	if (leaf->issued)
		err = -leaf->error;	/* its quick race made it already */
	else if (!leaf->sock)
		err = -leaf->error;	/* its socket could not be made */
	else if (race->early_idempotent)
		err = hey_leaf_connect(leaf, race->early, race->early_len);
	else
		err = hey_leaf_connect(leaf, NULL, 0);
	if (err)
		leaf_failed(race, n, -err);
}

static void race_release_leaves(struct hey_race *race, int keep)
{
	const struct hey_leaf *winner = keep >= 0 ? &race->leaves[keep] : NULL;
	int i;

	for (i = 0; i < race->n_leaves; i++) {
		struct hey_leaf *leaf = &race->leaves[i];

		if (i == keep || !leaf->sock)
			continue;
		/*
		 * Measure mode: a started loser goes on to its handshake's
		 * end, so that history learns how it would have done.
		 */
		if (keep >= 0 && leaf->outcome == HEY_LEAF_RUNNING &&
		    READ_ONCE(race->hn->cache_measure)) {
			leaf->measuring = true;
			race->n_measuring++;
			continue;
		}
		if (leaf->measuring) {
			leaf->measuring = false;
			race->n_measuring--;
		}
		if (leaf->outcome == HEY_LEAF_RUNNING) {
			leaf->outcome = HEY_LEAF_ABORTED;
			leaf->end = ktime_get();
			hey_stat_inc(race->hn, HEY_A_STATS_LEAVES_ABORTED);
		}
		hey_leaf_release(leaf, true);
		if (leaf->outcome == HEY_LEAF_ABORTED)
			trace_hey_leaf_done(race->id, leaf);
		leaf_tfo_verdict(race, leaf, winner);
		leaf_history(race, leaf, winner);
	}
}

static void leaf_fill_info(const struct hey_race *race,
			   const struct hey_leaf *leaf, struct hey_leaf_info *li)
{
	hey_leaf_fill_info(leaf, race->start, race->primary_ifindex, li);
}

/* A finished race goes to the log and to the events group. */
static void race_log(struct hey_race *race)
{
	struct hey_race_record *r;
	int i;

	r = hey_racelog_take(race->hn, race->n_leaves,
			     hey_genl_has_listeners(race->hn));
	if (!r)
		return;
	r->id = race->id;
	r->start = race->start;
	r->state = race->state;
	r->error = race->state == HEY_STATE_FAILED ? race->error : 0;
	r->winner = race->winner < 0 ? ~0U : race->winner;
	r->connect_us = race->connect_us;
	r->early_data = race->early_sent;
	r->pruned = race->pruned;
	for (i = 0; i < race->n_leaves; i++) {
		leaf_fill_info(race, &race->leaves[i], &r->leaves[i].info);
		r->leaves[i].network = race->leaves[i].network;
		r->leaves[i].cache = race->leaves[i].cache;
	}
	hey_racelog_post(race->hn, r);
}

static void race_naming_end(struct hey_race *race);

static void race_end(struct hey_race *race, int state)
{
	race_naming_end(race);
	WRITE_ONCE(race->state, state);
	atomic64_dec(&race->hn->in_flight);
	if (race->n_measuring) {
		/*
		 * The work serves the measured leaves until the deadline.
		 * The module stays while it does: the engine's end drops
		 * this reference, last thing in the work, which
		 * hey_race_exit() waits for.
		 */
		__module_get(THIS_MODULE);
		race->measure_until =
			ktime_add_ms(ktime_get(),
				     READ_ONCE(race->hn->cache_measure) *
				     MSEC_PER_SEC);
		race_queue(race, READ_ONCE(race->hn->cache_measure) * HZ);
	} else {
		/* Nothing can queue the work any more: drop a pending one. */
		race_cancel_work(race, false);
	}
	trace_hey_race_done(race->id, state, race->winner,
			    state == HEY_STATE_FAILED ? race->error : 0,
			    race->connect_us);
	race_log(race);
}

static void race_fail(struct hey_race *race, int err)
{
	struct sock *shell = race->shell;
	int stat;
	bool own;

	race_release_leaves(race, -1);
	WRITE_ONCE(race->error, err ? : ECONNABORTED);

	hey_stat_inc(race->hn, HEY_A_STATS_FAILED);
	switch (race->error) {
	case ECONNREFUSED:
		stat = HEY_A_STATS_ERR_REFUSED;
		break;
	case ETIMEDOUT:
		stat = HEY_A_STATS_ERR_TIMEDOUT;
		break;
	case EHOSTUNREACH:
		stat = HEY_A_STATS_ERR_HOSTUNREACH;
		break;
	case ENETUNREACH:
		stat = HEY_A_STATS_ERR_NETUNREACH;
		break;
	default:
		stat = HEY_A_STATS_ERR_OTHER;
	}
	hey_stat_inc(race->hn, stat);

	/*
	 * As TCP reports a failed connect: SO_ERROR, EPOLLERR, wake-up. The
	 * error goes in before the race is over: a poll() that finds it over
	 * (hey_poll()) must find the error too, not a closed socket without
	 * one. The application's own socket, the race's one leaf, has it
	 * already, from when that failed (leaf_disconnect_app()): set
	 * again, a SO_ERROR read in between would find it twice. The
	 * wake-up is for all: a connect() waiting on the race sees it over.
	 */
	own = race->n_leaves == 1 && race->leaves[0].app &&
	      race->leaves[0].outcome == HEY_LEAF_FAILED &&
	      race->leaves[0].error == race->error;
	if (!own) {
		lock_sock(shell);
		WRITE_ONCE(shell->sk_err, race->error);
		release_sock(shell);
	}
	race_end(race, HEY_STATE_FAILED);
	sk_error_report(shell);
}

/*
 * The winner owes the server the early data its SYN did not carry. A TFO
 * leaf's SYN data is in its stream already: TCP retransmits it after the
 * handshake if the SYN-ACK did not acknowledge it. Sent before the graft,
 * so it precedes anything the application writes.
 */
static int win_send_early(struct hey_race *race, struct hey_leaf *leaf)
{
	u32 done = min(leaf->syn_copied, race->early_len);
	int err = 0;

	if (race->early_len > done)
		err = hey_leaf_send(leaf, race->early + done,
				    race->early_len - done);
	if (!err)
		race->early_sent = race->early_len;
	return err;
}

static const int wins_by_proto[__HEY_PROTO_MAX] = {
	[HEY_PROTO_TCP] = HEY_A_STATS_WINS_TCP,
	[HEY_PROTO_TFO] = HEY_A_STATS_WINS_TFO,
	[HEY_PROTO_SCTP] = HEY_A_STATS_WINS_SCTP,
};

/* A win in the counters: by protocol, family and path. */
void hey_race_count_win(struct hey_net *hn, const struct hey_leaf *leaf,
			bool primary, bool fallback)
{
	bool v4 = leaf->ep.family == AF_INET ||
		  ipv6_addr_v4mapped((struct in6_addr *)leaf->ep.addr);

	hey_stat_inc(hn, HEY_A_STATS_WON);
	hey_stat_inc(hn, wins_by_proto[leaf->protocol]);
	if (leaf->flags & HEY_LEAF_F_SYN_DATA_ACKED)
		hey_stat_inc(hn, HEY_A_STATS_TFO_SYN_DATA_ACKED);
	hey_stat_inc(hn, v4 ? HEY_A_STATS_WINS_IPV4 : HEY_A_STATS_WINS_IPV6);
	hey_stat_inc(hn, primary ? HEY_A_STATS_WINS_PRIMARY_PATH :
				   HEY_A_STATS_WINS_OTHER_PATH);
	if (fallback)
		hey_stat_inc(hn, HEY_A_STATS_FALLBACKS);
}

static void race_win(struct hey_race *race, int idx)
{
	struct hey_leaf *leaf = &race->leaves[idx];
	struct hey_net *hn = race->hn;
	bool primary;
	struct sock *w;
	int err;

	leaf->outcome = HEY_LEAF_WON;
	leaf->end = ktime_get();
	race->winner = idx;
	race->connect_us = since_start_us(race, leaf->end);
	race_release_leaves(race, idx);

	/*
	 * Held until the wake-up: once its operations are the winner's,
	 * the application may close the socket without asking the race.
	 */
	w = leaf->sock->sk;
	sock_hold(w);
	if (leaf->app) {
		/* The application's own socket: nothing to graft. */
		hey_leaf_detach(leaf);
		leaf->sock = NULL;
		hey_ulp_keep(race->sock);
		goto won;
	}
	race->spare->race = race;
	hey_race_get(race);
	err = hey_ulp_graft(race->sock, leaf, race->spare);
	if (err) {
		sock_put(w);
		race->spare->race = NULL;
		refcount_dec(&race->ref);
		/* The winner could not be handed over: as if it failed. */
		leaf->outcome = HEY_LEAF_FAILED;
		leaf->error = -err;
		hey_leaf_release(leaf, true);
		race->winner = -1;
		race_fail(race, -err);
		return;
	}
	race->spare = NULL;
won:
	trace_hey_leaf_done(race->id, leaf);
	leaf_tfo_verdict(race, leaf, leaf);
	leaf_history(race, leaf, leaf);

	primary = !leaf->ifindex || leaf->ifindex == race->primary_ifindex;
	hey_race_count_win(hn, leaf, primary, idx);

	/* Won before anyone is woken: waiters test the state. */
	race_end(race, HEY_STATE_CONNECTED);
	hey_ulp_wake(w);
	sock_put(w);
}

/*
 * After a win in measure mode: serves the losers left to finish. One that
 * completes its handshake or fails is recorded as such, then reset; those
 * still waiting at the deadline are aborted. True when the last one went:
 * the engine is done (once, as race_step() promises).
 */
static bool race_measure_step(struct hey_race *race)
{
	const struct hey_leaf *winner;
	s64 left_us;
	bool late;
	int i, res;

	if (!race->n_measuring)
		return false;
	winner = &race->leaves[race->winner];
	left_us = ktime_us_delta(race->measure_until, ktime_get());
	late = left_us <= 0;
	for (i = 0; i < race->n_leaves; i++) {
		struct hey_leaf *leaf = &race->leaves[i];

		if (!test_and_clear_bit(i, &race->events) && !late)
			continue;
		if (!leaf->measuring)
			continue;
		res = hey_leaf_result(leaf);
		if (!res && !late)
			continue;
		leaf->end = ktime_get();
		leaf->measuring = false;
		race->n_measuring--;
		hey_leaf_release(leaf, true);
		if (res > 0) {
			struct hey_cache_key key;

			leaf->outcome = HEY_LEAF_ABORTED;
			hey_leaf_key(leaf, &key);
			leaf_record(race, &key, HEY_CACHE_SUCCESS, 0,
				    leaf_handshake_us(leaf), NULL);
		} else if (res < 0) {
			leaf->outcome = HEY_LEAF_FAILED;
			leaf->error = -res;
			hey_stat_inc(race->hn, HEY_A_STATS_LEAVES_FAILED);
			leaf_history(race, leaf, NULL);
		} else {
			leaf->outcome = HEY_LEAF_ABORTED;
			leaf_history(race, leaf, winner);
		}
		if (res)
			hey_stat_inc(race->hn, HEY_A_STATS_MEASURED);
		else
			hey_stat_inc(race->hn, HEY_A_STATS_LEAVES_ABORTED);
		trace_hey_leaf_done(race->id, leaf);
	}
	if (!race->n_measuring) {
		/*
		 * A measured leaf may have queued the work again while it
		 * ran; nothing can queue it from now on (see
		 * race_may_queue()), so the engine's last reference frees
		 * no pending work.
		 */
		cancel_delayed_work(&race->work);
		/* Last in the work (or a syscall): see race_end(). */
		module_put(THIS_MODULE);
		return true;
	}
	/* Woken early (an event, or a timer a jiffy short): again then. */
	race_queue(race, usecs_to_jiffies(max_t(s64, left_us, 0)) + 1);
	return false;
}

/* Arms the work for the earliest deadline of any node; under race->lock. */
static ktime_t race_naming_next(const struct hey_race *race);
static bool race_naming_step(struct hey_race *race);

static void race_arm(struct hey_race *race)
{
	ktime_t next = KTIME_MAX;
	s64 us;
	int i;

	for (i = 0; i < race->n_nodes; i++)
		if (race->nodes[i].next_at < next)
			next = race->nodes[i].next_at;
	next = min(next, race_naming_next(race));
	if (next == KTIME_MAX)
		return;
	us = ktime_us_delta(next, ktime_get());
	race_queue(race, us > 0 ? usecs_to_jiffies(us) : 0);
}

/*
 * Serves leaf events and due deadlines, then re-arms for the next
 * deadline; under race->lock. True when this call ended the race: its
 * caller then drops the engine's reference.
 */
static bool race_step(struct hey_race *race)
{
	ktime_t now;
	int i;

	if (race->state != HEY_STATE_RACING)
		return race_measure_step(race);
	for (i = 0; i < race->n_leaves; i++) {
		struct hey_leaf *leaf = &race->leaves[i];
		int res;

		if (!test_and_clear_bit(i, &race->events) ||
		    leaf->outcome != HEY_LEAF_RUNNING)
			continue;
		res = hey_leaf_result(leaf);
		if (res > 0) {
			res = win_send_early(race, leaf);
			if (!res) {
				race_win(race, i);
				return !race->n_measuring;
			}
		}
		if (res < 0) {
			int n;

			for (n = 0; race->nodes[n].leaf != i ||
			     race->nodes[n].kind != NODE_LEAF; n++)
				;
			leaf_failed(race, n, -res);
			if (race->state != HEY_STATE_RACING)
				return true;
		}
	}

	if (race->naming && race_naming_step(race))
		return true;
	now = ktime_get();
	for (i = 0; i < race->n_nodes && race->state == HEY_STATE_RACING; i++)
		if (race->nodes[i].next_at <= now)
			node_start_next(race, i);
	if (race->state != HEY_STATE_RACING)
		return true;
	race_arm(race);
	return false;
}

static void race_work(struct work_struct *work)
{
	struct hey_race *race = container_of(to_delayed_work(work),
					     struct hey_race, work);
	bool ended;

	mutex_lock(&race->lock);
	ended = race_step(race);
	mutex_unlock(&race->lock);
	/* The engine's reference: whoever ends the race drops it. */
	if (ended)
		hey_race_put(race);
}

/*
 * Whether the engine still runs, and so holds the reference its work
 * needs; under race->lock. Leaf events queue the work without the lock,
 * but a leaf is detached before the engine lets go of it.
 */
static bool race_may_queue(const struct hey_race *race)
{
	return race->state == HEY_STATE_RACING || race->n_measuring;
}

/*
 * For a connect() caller about to sleep on the race: from now on leaf
 * events wake it instead of queueing the work.
 */
void hey_race_wait_begin(struct hey_race *race)
{
	atomic_inc(&race->waiters);
	/* the waiter before the events it then tests */
	smp_mb__after_atomic();
}

/*
 * A step of the engine in the caller's context, after any the work is
 * taking (the lock): for a connect() caller woken by the leaves, and for
 * one that does not wait (non-blocking, or SO_SNDTIMEO spent). A leaf's
 * TCP wakes the socket's writers (EPOLLOUT) as soon as its handshake
 * completes, maybe before the engine saw it; io_uring's connect takes
 * the wake-up's word and asks again, and must hear the outcome then, not
 * EALREADY, as it would from TCP. Whoever ends the race drops the
 * engine's reference.
 */
void hey_race_settle(struct hey_race *race)
{
	bool ended;

	mutex_lock(&race->lock);
	ended = race_step(race);
	mutex_unlock(&race->lock);
	if (ended) {
		/* The work may still be finishing a step of its own. */
		race_cancel_work(race, true);
		hey_race_put(race);
	}
}

/*
 * The caller was woken, or stops waiting: it serves what the leaves
 * reported, or when it leaves for good (done), hands what is left to
 * the work.
 */
void hey_race_wait_end(struct hey_race *race, bool done)
{
	if (done) {
		atomic_dec(&race->waiters);
		/* pairs with hey_race_leaf_event(): events after waiters */
		smp_mb__after_atomic();
	}
	if (!READ_ONCE(race->events))
		return;
	if (!done) {
		hey_race_settle(race);
		return;
	}
	/*
	 * Under the lock, and only while the engine holds its reference:
	 * work queued after the race is over would outlive the race.
	 */
	mutex_lock(&race->lock);
	if (race_may_queue(race))
		race_queue(race, 0);
	mutex_unlock(&race->lock);
}

bool hey_race_has_events(const struct hey_race *race)
{
	return READ_ONCE(race->events);
}

/* ---- building the tree --------------------------------------------- */

/* The endpoint connect() was given, in the form of the socket's family. */
static int endpoint_from_sockaddr(struct hey_endpoint *ep,
				  const struct sockaddr *uaddr, int len)
{
	memset(ep, 0, sizeof(*ep));
	if (uaddr->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)uaddr;

		if (len < (int)sizeof(*a))
			return -EINVAL;
		ep->family = AF_INET;
		ep->port = a->sin_port;
		memcpy(ep->addr, &a->sin_addr, sizeof(a->sin_addr));
		return 0;
	}
	if (uaddr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)uaddr;

		if (len < SIN6_LEN_RFC2133)
			return -EINVAL;
		ep->family = AF_INET6;
		ep->port = a->sin6_port;
		ep->scope_id = len >= (int)sizeof(*a) ? a->sin6_scope_id : 0;
		memcpy(ep->addr, &a->sin6_addr, sizeof(a->sin6_addr));
		/* v4-mapped: race it as the IPv4 address it is */
		if (ipv6_addr_v4mapped(&a->sin6_addr)) {
			ep->family = AF_INET;
			memmove(ep->addr, ep->addr + 12, 4);
			memset(ep->addr + 4, 0, 12);
		}
		return 0;
	}
	return -EAFNOSUPPORT;
}

/* The endpoint as a leaf of this socket connects to it. */
static void endpoint_for_socket(struct hey_endpoint *ep, int family)
{
	if (ep->family == AF_INET && family == AF_INET6) {
		memmove(ep->addr + 12, ep->addr, 4);
		memset(ep->addr, 0, 10);
		ep->addr[10] = 0xff;
		ep->addr[11] = 0xff;
		ep->family = AF_INET6;
	}
}

/*
 * The endpoints to race: connect()'s, then HEY_ENDPOINTS', without
 * duplicates and without those the socket cannot reach.
 */
static int race_endpoints(struct sock *sk, const struct hey_config *cfg,
			  const struct hey_endpoint *first,
			  struct hey_order_item *items)
{
	bool v4 = sk->sk_family == AF_INET || !sk->sk_ipv6only;
	bool v6 = sk->sk_family == AF_INET6 ||
		  (cfg->flags & HEY_F_ANY_FAMILY);
	int i, j, n = 0;

	for (i = -1; i < (int)cfg->n_endpoints; i++) {
		struct hey_endpoint ep = i < 0 ? *first : cfg->endpoints[i];

		if (!ep.port)
			ep.port = first->port;
		if ((ep.family == AF_INET && !v4) ||
		    (ep.family == AF_INET6 && !v6)) {
			if (i < 0)
				return -EAFNOSUPPORT;
			continue;
		}
		for (j = 0; j < n; j++)
			if (!memcmp(&items[j].ep, &ep, sizeof(ep)))
				break;
		if (j < n)
			continue;
		memset(&items[n], 0, sizeof(items[n]));
		items[n].ep = ep;
		items[n].index = n;
		n++;
	}
	return n;
}

/*
 * Room for a tree of up to n leaves (and so 1 + 3 * n nodes at most: a
 * root, a path and a protocol per leaf), before any leaf is taken.
 */
static int race_reserve(struct hey_race *race, int n)
{
	if (n <= HEY_SMALL_LEAVES) {
		race->leaves = race->small_leaves;
		race->nodes = race->small_nodes;
		return 0;
	}
	race->leaves = kmalloc_array(n, sizeof(*race->leaves),
				     GFP_KERNEL_ACCOUNT);
	race->nodes = kmalloc_array(1 + 3 * n, sizeof(*race->nodes),
				    GFP_KERNEL_ACCOUNT);
	if (race->leaves && race->nodes)
		return 0;
	kfree(race->leaves);
	kfree(race->nodes);
	race->leaves = race->small_leaves;
	race->nodes = race->small_nodes;
	return -ENOMEM;
}

/* The next leaf, zeroed; the caller fills it and counts it. */
static struct hey_leaf *race_take_leaf(struct hey_race *race, int i)
{
	struct hey_leaf *leaf = &race->leaves[i];

	memset(leaf, 0, sizeof(*leaf));
	leaf->idx = i;
	leaf->race = race;
	return leaf;
}

/* Appends a node to parent's children (a child not started yet). */
static int race_add_node(struct hey_race *race, int parent, int kind)
{
	int n = race->n_nodes++;
	struct hey_node *node = &race->nodes[n];

	memset(node, 0, sizeof(*node));
	node->parent = parent;
	node->kind = kind;
	node->first = -1;
	node->last = -1;
	node->next = -1;
	node->cur = -1;
	node->leaf = -1;
	node->next_at = KTIME_MAX;
	if (parent >= 0) {
		struct hey_node *p = &race->nodes[parent];

		if (p->last >= 0)
			race->nodes[p->last].next = n;
		else
			p->first = n;
		p->last = n;
		if (p->cur < 0)
			p->cur = n;
		p->count++;
	}
	return n;
}

/* A leaf the race could have, before history and the budget decide. */
struct hey_candidate {
	struct hey_endpoint ep;
	u8 path;		/* index in hey_build.paths[] */
	u8 q;			/* index in the protocol order */
	u8 proto;		/* enum hey_proto */
	u8 cache;		/* enum hey_leaf_cache */
	u8 rank;		/* 0: known good or unknown, 1: outrun */
	bool pruned;		/* failed lately on this network */
	u16 order;		/* place in plain tree order */
	u32 expected_us;
};

/* Working space of race_build(), too large for the stack. */
struct hey_build {
	struct hey_policy policy;
	struct hey_order_item items[HEY_MAX_ENDPOINTS + 1];
	struct hey_order_item work[HEY_MAX_ENDPOINTS + 1];
	struct hey_candidate cand[HEY_MAX_CANDIDATES];
	u8 path_rank[HEY_MAX_PATHS];
	u8 proto_rank[HEY_MAX_PATHS][HEY_MAX_PROTOCOLS];
	int paths[HEY_MAX_PATHS];
	u32 path_expected_us[HEY_MAX_PATHS];
};

/*
 * The protocols to race, most preferred first: the socket's, else the
 * policy's, less those the policy does not allow.
 */
static int race_protocols(const struct hey_config *cfg,
			  const struct hey_policy *pol, u8 *protos)
{
	const u8 *order = cfg->protocols.count ? cfg->protocols.order :
			  pol->protos;
	int i, n = 0, count = cfg->protocols.count ? : pol->n_protos;

	for (i = 0; i < count; i++)
		if (pol->allowed & BIT(order[i]))
			protos[n++] = order[i];
	return n;
}

/* How a candidate takes what history says of it: candidate_history(). */
static void candidate_apply(struct hey_candidate *c,
			    const struct hey_cache_key *key,
			    const struct hey_cache_val *val, bool by_name)
{
	trace_hey_cache_hit(key, val->result);
	c->cache = hey_cache_verdict(val, by_name);
	if (c->cache == HEY_LEAF_CACHE_SLOW)
		c->rank = 1;
	else if (val->result == HEY_CACHE_FAILED)
		c->pruned = true;
	/* RFC 8305 section 5: an RTT plus margin, as for metrics */
	if (val->result == HEY_CACHE_SUCCESS)
		c->expected_us = val->srtt_us + val->srtt_us / 2;
}

/*
 * What the history cache says of a candidate: failed lately (pruned),
 * worked (its delay from its handshake time), or outrun (after those
 * that worked or are unknown). In a race by name, a candidate whose
 * address has no entry takes its name's entry for its family, which
 * only orders it: failed there too, it goes after the others, as if
 * outrun. That one address of a name failed says too little of another
 * to leave it out. Returns whether there was an entry.
 */
static bool candidate_history(struct hey_race *race, int ifindex,
			      struct hey_candidate *c)
{
	struct hey_cache_key key = {};
	struct hey_cache_val val;
	bool by_name = false;

	key.network = hey_network_id(race->hn, ifindex);
	key.family = c->ep.family;
	memcpy(key.addr, c->ep.addr, sizeof(key.addr));
	key.port = c->ep.port;
	key.protocol = c->proto;
	if (!hey_cache_lookup(race->hn, &key, &val)) {
		if (!naming_key(race, &key) ||
		    !hey_cache_lookup(race->hn, &key, &val))
			return false;
		by_name = true;
	}
	candidate_apply(c, &key, &val, by_name);
	return true;
}

/*
 * One candidate: the endpoint item over the path ifindex with protocol
 * protos[q]. Where Fast Open failed lately on a path and port, a TFO
 * leaf is left out (false), or made a plain TCP leaf when TCP is not
 * raced anyway, as RFC 7413 falls back.
 */
static bool candidate_fill(struct hey_race *race, struct hey_candidate *c,
			   const struct hey_order_item *item, int ifindex,
			   const u8 *protos, int n_protos, int q,
			   __be16 sctp_port, struct socket *metrics)
{
	struct hey_endpoint ep = item->ep;
	u8 proto = protos[q];

	if (proto == HEY_PROTO_SCTP && sctp_port)
		ep.port = sctp_port;
	if (proto == HEY_PROTO_TFO &&
	    hey_tfo_negative_check(race->hn, ifindex, ep.port)) {
		hey_stat_inc(race->hn, HEY_A_STATS_TFO_SKIPPED);
		/* plain TCP, unless it races anyway */
		if (memchr(protos, HEY_PROTO_TCP, n_protos))
			return false;
		proto = HEY_PROTO_TCP;
	}
	memset(c, 0, sizeof(*c));
	c->ep = ep;
	c->q = q;
	c->proto = proto;
	if (candidate_history(race, ifindex, c))
		hey_stat_inc(race->hn, HEY_A_STATS_CACHE_HITS);
	if (!c->expected_us)
		c->expected_us = hey_metrics_expected_us(metrics, item);
	return true;
}

/*
 * Lists the candidate leaves in tree order (path, then protocol, then
 * endpoint). Each path orders the endpoints with its own routes (RFC
 * 6724, then RFC 8305 interleaving).
 */
static int race_candidates(struct hey_race *race, struct net *net,
			   const struct hey_config *cfg, struct hey_build *b,
			   int n_items, int n_paths, struct socket *metrics)
{
	u8 protos[HEY_MAX_PROTOCOLS];
	int p, q, i, n_protos, n = 0;

	n_protos = race_protocols(cfg, &b->policy, protos);
	if (!n_protos)
		return -EPROTONOSUPPORT;
	for (p = 0; p < n_paths; p++) {
		memcpy(b->work, b->items, n_items * sizeof(b->items[0]));
		/*
		 * One endpoint over the one path that has a route to it
		 * (hey_paths_collect()) has nothing to be ordered against:
		 * its attempt goes as a plain connect() would, and fails as
		 * one where RFC 6724 would call it unusable (no source).
		 */
		if (n_items == 1 && n_paths == 1)
			b->work[0].usable = true;
		else
			hey_order_endpoints(net, b->work, n_items,
					    b->paths[p]);
		for (q = 0; q < n_protos; q++) {
			for (i = 0; i < n_items && n < HEY_MAX_CANDIDATES;
			     i++) {
				struct hey_candidate *c = &b->cand[n];

				if (!b->work[i].usable ||
				    !candidate_fill(race, c, &b->work[i],
						    b->paths[p], protos,
						    n_protos, q,
						    cfg->protocols.sctp_port,
						    metrics))
					continue;
				c->path = p;
				c->order = n;
				n++;
			}
		}
	}
	return n;
}

static bool candidate_before(const struct hey_build *b,
			     const struct hey_candidate *x,
			     const struct hey_candidate *y)
{
	if (b->path_rank[x->path] != b->path_rank[y->path])
		return b->path_rank[x->path] < b->path_rank[y->path];
	if (x->path != y->path)
		return x->path < y->path;
	if (b->proto_rank[x->path][x->q] != b->proto_rank[y->path][y->q])
		return b->proto_rank[x->path][x->q] <
		       b->proto_rank[y->path][y->q];
	if (x->q != y->q)
		return x->q < y->q;
	if (x->rank != y->rank)
		return x->rank < y->rank;
	return x->order < y->order;
}

/* Candidates that take turns among the same places (candidates_sort()). */
static bool candidate_peer(const struct hey_candidate *x,
			   const struct hey_candidate *y)
{
	return x->path == y->path && x->q == y->q && x->rank == y->rank &&
	       x->ep.family == y->ep.family;
}

/*
 * The known good first within their family: the candidates of one path,
 * protocol, rank and family keep the places the tree order gave them
 * together, and those that worked on this network lately take the first
 * of those places (draft section 6, "known-good first"). The families
 * keep theirs: RFC 8305 interleaving stays, and a good IPv4 never goes
 * before an unknown IPv6, which would then never earn an entry of its
 * own (design.md, "History").
 */
static void candidates_good_first(struct hey_build *b, int n)
{
	DECLARE_BITMAP(seen, HEY_MAX_CANDIDATES) = {};
	u8 slot[HEY_MAX_CANDIDATES];
	int i, j, k, m;

	for (i = 0; i < n; i++) {
		if (test_bit(i, seen))
			continue;
		for (m = 0, j = i; j < n; j++) {
			if (!candidate_peer(&b->cand[i], &b->cand[j]))
				continue;
			__set_bit(j, seen);
			slot[m++] = j;
		}
		/* stable: by good or not, each keeps its order */
		for (j = 1; j < m; j++) {
			struct hey_candidate c = b->cand[slot[j]];

			if (c.cache != HEY_LEAF_CACHE_GOOD)
				continue;
			for (k = j; k > 0 &&
			     b->cand[slot[k - 1]].cache != HEY_LEAF_CACHE_GOOD;
			     k--)
				b->cand[slot[k]] = b->cand[slot[k - 1]];
			b->cand[slot[k]] = c;
		}
	}
}

/*
 * Sorts the first n candidates by candidate_before(), then the known
 * good first within their family. Insertion sorts: stable (what came
 * first stays first among equals), and n is small.
 */
static void candidates_sort(struct hey_build *b, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		struct hey_candidate c = b->cand[i];

		for (j = i; j > 0 && candidate_before(b, &c, &b->cand[j - 1]);
		     j--)
			b->cand[j] = b->cand[j - 1];
		b->cand[j] = c;
	}
	candidates_good_first(b, n);
}

/*
 * History shapes the tree (draft section 6): candidates that failed on
 * this network lately are pruned, unless that would leave none; the
 * known-good and unknown go before those outrun last time (still waiting
 * when an attempt started after them won), and so do their paths and
 * protocols; within a family the known-good go first. Across families
 * known-good and unknown keep the tree order: putting a known-good IPv4
 * first would keep it ahead for good once it had won, and IPv6 (which
 * RFC 8305 prefers) would never be tried again after its bad entry
 * expired. Then the first max_leaves (b->cand[] from 0) are the race's.
 */
static int race_choose(struct hey_race *race, struct net *net,
		       const struct hey_config *cfg, struct hey_build *b,
		       int n_items, int n_paths, struct socket *metrics)
{
	int budget = min_t(int, READ_ONCE(race->hn->max_leaves),
			   HEY_MAX_LEAVES);
	int i, j, n, kept = 0;

	n = race_candidates(race, net, cfg, b, n_items, n_paths, metrics);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++)
		kept += !b->cand[i].pruned;
	if (!kept) {
		/* A race never prunes all of its leaves. */
		for (i = 0; i < n; i++)
			b->cand[i].pruned = false;
		kept = n;
	}
	memset(b->path_rank, 2, sizeof(b->path_rank));
	memset(b->proto_rank, 2, sizeof(b->proto_rank));
	for (i = 0, j = 0; i < n; i++) {
		struct hey_candidate *c = &b->cand[i];

		if (c->pruned) {
			trace_hey_cache_prune(race->id, b->paths[c->path],
					      c->proto, &c->ep);
			continue;
		}
		b->path_rank[c->path] = min(b->path_rank[c->path], c->rank);
		b->proto_rank[c->path][c->q] =
			min(b->proto_rank[c->path][c->q], c->rank);
		b->cand[j++] = *c;
	}
	race->pruned = n - kept;
	if (race->pruned)
		hey_stat_add(race->hn, HEY_A_STATS_CACHE_PRUNED, race->pruned);
	candidates_sort(b, kept);
	return min(kept, budget);
}

/*
 * The main route's path stays first; the others go in the order of their
 * round trip to the first endpoint they would try, as far as the kernel's
 * TCP metrics know it, and by ifindex after those.
 */
static void race_order_paths(struct net *net, struct hey_build *b,
			     int n_items, int n_paths, struct socket *metrics)
{
	int p, q, i;

	for (p = 1; p < n_paths; p++) {
		b->path_expected_us[p] = U32_MAX;
		memcpy(b->work, b->items, n_items * sizeof(b->items[0]));
		hey_order_endpoints(net, b->work, n_items, b->paths[p]);
		for (i = 0; i < n_items; i++) {
			u32 us;

			if (!b->work[i].usable)
				continue;
			us = hey_metrics_expected_us(metrics, &b->work[i]);
			if (us)
				b->path_expected_us[p] = us;
			break;
		}
	}
	/* Insertion sort: stable, so unknown paths keep ifindex order. */
	for (p = 2; p < n_paths; p++) {
		int path = b->paths[p];
		u32 us = b->path_expected_us[p];

		for (q = p; q > 1 && b->path_expected_us[q - 1] > us; q--) {
			b->paths[q] = b->paths[q - 1];
			b->path_expected_us[q] = b->path_expected_us[q - 1];
		}
		b->paths[q] = path;
		b->path_expected_us[q] = us;
	}
}

/*
 * The racing mode and delay bounds: the socket's HEY_TIMING, its zeros
 * (all of it when never set) filled from the policy.
 */
static void race_timing(struct hey_race *race, const struct hey_timing *t,
			const struct hey_policy *pol)
{
	bool unset = !t->mode && !t->min_delay_ms && !t->max_delay_ms;

	race->mode = unset ? pol->mode : t->mode;
	race->min_delay_us = (t->min_delay_ms ? : pol->min_delay_ms) *
			     USEC_PER_MSEC;
	race->max_delay_us = (t->max_delay_ms ? : pol->max_delay_ms) *
			     USEC_PER_MSEC;
	race->max_delay_us = max(race->max_delay_us, race->min_delay_us);
}

/*
 * Lays out the tree of the n chosen candidates breadth first, so that
 * each parent's children are contiguous: root, the paths, their
 * protocols, the leaves. The candidates come in tree order, so a new
 * (path, protocol) pair starts a new protocol node and a new path a new
 * path node. pin: the leaves bind to their path's interface (more than
 * one path, or the socket or the policy ruled interfaces out).
 */
static int race_lay_tree(struct hey_race *race, struct sock *sk,
			 const struct hey_candidate *cand, int n,
			 const int *paths, bool pin, u32 default_delay_ms)
{
	int i, root, pn, qn, err;

	err = race_reserve(race, n);
	if (err)
		return err;
	root = race_add_node(race, -1, NODE_ROOT);
	for (i = 0; i < n; i++)
		if (!i || cand[i].path != cand[i - 1].path)
			race_add_node(race, root, NODE_PATH);
	pn = race->nodes[root].first - 1;
	for (i = 0; i < n; i++) {
		bool new_path = !i || cand[i].path != cand[i - 1].path;

		pn += new_path;
		if (new_path || cand[i].proto != cand[i - 1].proto)
			race_add_node(race, pn, NODE_PROTO);
	}
	qn = race->nodes[race->nodes[root].first].first - 1;
	for (i = 0; i < n; i++) {
		struct hey_leaf *leaf = race_take_leaf(race, i);
		int node;

		if (!i || cand[i].path != cand[i - 1].path ||
		    cand[i].proto != cand[i - 1].proto)
			qn++;
		node = race_add_node(race, qn, NODE_LEAF);
		race->nodes[node].leaf = i;
		leaf->ep = cand[i].ep;
		endpoint_for_socket(&leaf->ep, sk->sk_family);
		/* One path that routing picks anyway: no need to pin to it. */
		leaf->ifindex = pin ? paths[cand[i].path] : 0;
		leaf->network = hey_network_id(race->hn, paths[cand[i].path]);
		leaf->protocol = cand[i].proto;
		leaf->cache = cand[i].cache;
		leaf->outcome = HEY_LEAF_PENDING;
		/* RFC 8305 section 5: 250 ms unless the RTT is known */
		leaf->expected_us = cand[i].expected_us ? :
				    default_delay_ms * USEC_PER_MSEC;
	}
	race->n_leaves = n;
	return 0;
}

/* Whether this race is a lone one (0), or not (-EAGAIN), or an error. */
static int race_plan_lone(struct hey_net *hn, struct sock *sk,
			  const struct hey_config *cfg,
			  const struct hey_endpoint *first,
			  struct hey_lone *lone)
{
	u8 protos[HEY_MAX_PROTOCOLS];
	int n;

	if (cfg->host_len || cfg->n_endpoints ||
	    cfg->paths.mode != HEY_PATHS_ALL)
		return -EAGAIN;
	hey_policy_get(hn, &lone->pol);
	if (race_protocols(cfg, &lone->pol, protos) != 1 ||
	    protos[0] != HEY_PROTO_TCP)
		return -EAGAIN;
	n = race_endpoints(sk, cfg, first, &lone->item);
	if (n != 1)
		return n < 0 ? n : -EAGAIN;
	n = hey_paths_lone(sock_net(sk), &hn->paths_memo, &lone->item,
			   sk->sk_bound_dev_if, &lone->path);
	if (n != 1 || hey_policy_excludes(&lone->pol, lone->path))
		return -EAGAIN;
	return 0;
}

/* The one leaf of a lone race, as it will connect. */
static void lone_leaf(struct hey_net *hn, struct sock *sk,
		      const struct hey_lone *lone, struct hey_leaf *leaf)
{
	leaf->ep = lone->item.ep;
	endpoint_for_socket(&leaf->ep, sk->sk_family);
	leaf->network = hey_network_id(hn, lone->path);
	leaf->protocol = HEY_PROTO_TCP;
	leaf->outcome = HEY_LEAF_PENDING;
}

/*
 * The tree of a lone race. What history says orders or prunes a leaf
 * among others only: a lone leaf that failed lately or was outrun stays,
 * and first. So it is not asked now: the leaf's record says what it said
 * (leaf_history()).
 */
static int race_lay_lone(struct hey_race *race, struct sock *sk,
			 const struct hey_config *cfg,
			 const struct hey_lone *lone)
{
	struct hey_candidate c = {};
	int path = lone->path;

	race_timing(race, &cfg->timing, &lone->pol);
	race->primary_ifindex = path;
	c.ep = lone->item.ep;
	c.proto = HEY_PROTO_TCP;
	race->history_late = true;
	return race_lay_tree(race, sk, &c, 1, &path, false,
			     lone->pol.default_delay_ms);
}

/*
 * The quick race (quick.c) of a lone one, in hs->quick: its attempt made
 * on the application's own socket before a race is. A HEY_QUICK_STARTED
 * attempt is the race's one leaf then (race_take_quick()). Under the
 * socket's lock.
 */
static int race_quick(struct socket *sock, struct hey_sock *hs,
		      struct hey_net *hn, const struct hey_lone *lone)
{
	struct hey_quick *q = &hs->quick;

	/* Nobody reads it before its id is set, under the lock. */
	memset(q, 0, sizeof(*q));
	q->path = lone->path;
	lone_leaf(hn, sock->sk, lone, &q->leaf);
	/* An AF_INET socket's IPv6 endpoint (HEY_F_ANY_FAMILY) needs a leaf */
	if (q->leaf.ep.family != sock->sk->sk_family)
		return HEY_QUICK_NONE;
	return hey_quick_try(sock, hs, hn);
}

/*
 * Every race by address that race_plan_lone() does not take: the
 * candidates, history, order and the budget.
 */
static int race_build(struct hey_race *race, struct sock *sk,
		      const struct hey_config *cfg,
		      const struct hey_endpoint *first)
{
	int n_items, n_paths, n_chosen, i, pn, err = 0;
	struct socket *metrics = NULL;
	struct net *net = sock_net(sk);
	struct hey_build *b;
	bool pin;

	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	hey_policy_get(race->hn, &b->policy);
	race_timing(race, &cfg->timing, &b->policy);
	n_items = race_endpoints(sk, cfg, first, b->items);
	if (n_items < 0) {
		err = n_items;
		goto out;
	}
	n_paths = hey_paths_collect(net, &cfg->paths, sk->sk_bound_dev_if,
				    b->items, n_items, b->paths,
				    HEY_MAX_PATHS);
	for (i = 0, pn = 0; i < n_paths; i++)
		if (!hey_policy_excludes(&b->policy, b->paths[i]))
			b->paths[pn++] = b->paths[i];
	/*
	 * One path left is the one routing would pick, unless the socket or
	 * the policy ruled interfaces out: then the leaves are pinned to it.
	 */
	pin = n_paths > 1 || pn < n_paths || cfg->paths.mode != HEY_PATHS_ALL;
	n_paths = pn;
	if (n_paths <= 0) {
		err = -ENETUNREACH;
		goto out;
	}
	race->primary_ifindex = b->paths[0];
	/*
	 * Timing and path order only matter with more than one attempt:
	 * a plain single connect() pays nothing for asking.
	 */
	if (n_paths > 1 || n_items > 1 || cfg->protocols.count > 1 ||
	    (!cfg->protocols.count && b->policy.n_protos > 1))
		metrics = hey_metrics_open(net);
	if (n_paths > 2)
		race_order_paths(net, b, n_items, n_paths, metrics);
	hey_policy_order_paths(&b->policy, b->paths, n_paths);
	n_chosen = race_choose(race, net, cfg, b, n_items, n_paths, metrics);
	if (n_chosen <= 0) {
		err = n_chosen ? : -ENETUNREACH;
		goto out;
	}
	err = race_lay_tree(race, sk, b->cand, n_chosen, b->paths, pin,
			    b->policy.default_delay_ms);
out:
	hey_metrics_close(metrics);
	kfree(b);
	return err;
}

/* ---- races by name -------------------------------------------------- */

/*
 * A race by name (HEY_HOST) starts with a root and no children. The
 * resolver answers per path; a path goes racing when its AAAA answer
 * came, or RFC 8305's Resolution Delay after its A answer, and each
 * batch of its endpoints then grows the tree (draft section 5.1): the
 * path's node, a node per protocol, a leaf per endpoint, appended where
 * they belong. The root does not fail while answers may still come.
 */

/* RFC 8305 section 3: how long A answers wait for AAAA. */
#define HEY_RESOLUTION_DELAY_MS 50
/* The bit of race->events that says the resolver answered. */
#define HEY_EVENT_RESOLVER HEY_MAX_LEAVES

struct hey_name_ep {
	struct hey_endpoint ep;
	u16 priority;
	u16 weight;
};

/*
 * final, n_eps, a_at and aaaa_at are the answers' (under
 * hey_naming.lock); eps[] only grows, so entries below a n_eps read
 * under the lock stay as they are. The rest is the engine's (under
 * race->lock; hold_us set before the race starts).
 */
struct hey_name_path {
	int ifindex;
	u8 final;		/* enum hey_resolve_flags received */
	bool racing;		/* its endpoints go into the tree */
	/* history: IPv6 lost to IPv4 here lately; AAAA waits for A */
	u32 hold_us;
	s8 node;		/* its path node; -1: none yet */
	u8 n_eps;		/* received, the first HEY_MAX_ENDPOINTS */
	u8 n_used;		/* of those, taken into the tree */
	ktime_t a_at;		/* when IPv4 endpoints first came; 0: never */
	/* when IPv6 endpoints, or the final AAAA answer, came; 0: never */
	ktime_t aaaa_at;
	struct hey_name_ep eps[HEY_MAX_ENDPOINTS];
};

/* Leaf sockets by kind: the socket's family, and TCP or SCTP. */
enum { POOL_TCP4, POOL_TCP6, POOL_SCTP4, POOL_SCTP6, __POOL_MAX };

/*
 * Answers come in a genl request, which must not take race->lock: the
 * engine holds that lock while it asks the kernel's TCP metrics over
 * genl (cb_lock), so answers would close a lock cycle. They go in under
 * a lock of their own, which nothing holds across a call out.
 */
struct hey_naming {
	spinlock_t lock;	/* answers in; see struct hey_name_path */
	bool done;		/* no more answers (under both locks) */
	bool gone;		/* the resolver went away (under lock) */
	int error;		/* why, if there is nothing to race */
	u8 families;		/* enum hey_resolve_families */
	__be16 port;
	u8 name_len;
	/* HEY_HOST as the history cache keys it (hey_cache_name()) */
	char name[HEY_MAX_HOST];
	u16 bound_port;		/* the application's, for the leaves */
	ktime_t deadline;	/* net.hey.resolve_timeout */
	u8 protos[HEY_MAX_PROTOCOLS];
	u8 n_protos;
	__be16 sctp_port;
	u32 default_us;		/* expected handshake when nothing is known */
	int n_paths;
	struct hey_name_path paths[HEY_MAX_PATHS];
	/*
	 * Leaves' sockets, made in connect()'s context (see leaf.c): the
	 * leaves that answers bring are made where no application is.
	 */
	struct socket *pool[__POOL_MAX][HEY_MAX_LEAVES];
	u8 pool_n[__POOL_MAX];
	int pool_err[__POOL_MAX];
};

/* Whether answers may still come, so that a failed root is not the end. */
static bool race_naming_open(const struct hey_race *race)
{
	return race->naming && !race->naming->done;
}

/*
 * In a race by name, key (of a leaf or a candidate) made the name's
 * key for the same network, family, port and protocol: true. False in
 * a race by address.
 */
static bool naming_key(const struct hey_race *race,
		       struct hey_cache_key *key)
{
	const struct hey_naming *nm = race->naming;

	if (!nm || !nm->name_len)
		return false;
	memset(key->addr, 0, sizeof(key->addr));
	key->name_len = nm->name_len;
	key->name = nm->name;
	return true;
}

/*
 * Whether the name's history on a network says that family failed or
 * was outrun there lately in every protocol the race has (the ports:
 * connect()'s, or sctp_port). If not, and its first protocol worked,
 * *expected_us (when asked) is its expected handshake time.
 */
static bool naming_family_lost(struct hey_race *race, u64 network,
			       u16 family, u32 *expected_us)
{
	struct hey_naming *nm = race->naming;
	struct hey_cache_key key = {};
	struct hey_cache_val val;
	int q;

	key.network = network;
	key.family = family;
	if (!naming_key(race, &key))
		return false;
	for (q = 0; q < nm->n_protos; q++) {
		key.protocol = nm->protos[q];
		key.port = key.protocol == HEY_PROTO_SCTP && nm->sctp_port ?
			   nm->sctp_port : nm->port;
		if (!hey_cache_lookup(race->hn, &key, &val))
			return false;
		if (val.result == HEY_CACHE_SUCCESS) {
			if (!q && expected_us && val.srtt_us)
				*expected_us = val.srtt_us + val.srtt_us / 2;
			return false;
		}
	}
	return nm->n_protos;
}

/*
 * How long a path's AAAA answer waits for its A answer; 0: not at all,
 * as RFC 8305 says. Where the name's history says that IPv6 lost to
 * IPv4 on the path's network lately, history would put IPv4 first
 * (naming_order()), but only among endpoints known at once: the AAAA
 * answer alone would start IPv6 before IPv4 is known. So it waits for
 * the A answer as long as IPv6 would have waited behind an IPv4 leaf:
 * IPv4's attempt delay (from its name entry's handshake time, else the
 * policy's default), within the race's bounds.
 */
static u32 naming_hold_us(struct hey_race *race, int ifindex)
{
	u64 network = hey_network_id(race->hn, ifindex);
	struct hey_naming *nm = race->naming;
	u32 v4_us = nm->default_us;

	if (!(nm->families & HEY_RESOLVE_IPV4) ||
	    !(nm->families & HEY_RESOLVE_IPV6) ||
	    !naming_family_lost(race, network, AF_INET6, NULL) ||
	    naming_family_lost(race, network, AF_INET, &v4_us))
		return 0;
	return clamp(v4_us, race->min_delay_us, race->max_delay_us);
}

__be16 hey_race_port(const struct hey_race *race)
{
	return race->naming ? race->naming->port : 0;
}

static int pool_kind(int family, bool sctp)
{
	return (sctp ? POOL_SCTP4 : POOL_TCP4) + (family == AF_INET6);
}

/*
 * Makes the sockets leaves may need, in the application's context: for
 * each kind the race can use, as many as it may have leaves. An SCTP
 * kind that cannot be made (no sctp module) fails its leaves when they
 * start, as in races by address.
 */
static int naming_pool_fill(struct hey_race *race, struct socket *app,
			    bool v4, bool v6)
{
	struct hey_naming *nm = race->naming;
	int budget = min_t(int, READ_ONCE(race->hn->max_leaves),
			   HEY_MAX_LEAVES);
	int app_family = app->sk->sk_family;
	bool need[__POOL_MAX] = {};
	int q, k, err;

	for (q = 0; q < nm->n_protos; q++) {
		bool sctp = nm->protos[q] == HEY_PROTO_SCTP;

		/* An AF_INET6 socket reaches IPv4 through mapped addresses. */
		if (v4)
			need[pool_kind(app_family, sctp)] = true;
		if (v6)
			need[pool_kind(AF_INET6, sctp)] = true;
	}
	for (k = 0; k < __POOL_MAX; k++) {
		bool sctp = k >= POOL_SCTP4;
		int family = (k & 1) ? AF_INET6 : AF_INET;

		while (need[k] && nm->pool_n[k] < budget) {
			err = hey_leaf_sock_new(app, family, sctp,
						&nm->pool[k][nm->pool_n[k]]);
			if (err == -ENOMEM)
				return err;
			if (err) {
				nm->pool_err[k] = -err;
				break;
			}
			nm->pool_n[k]++;
		}
	}
	return 0;
}

static void naming_pool_free(struct hey_naming *nm)
{
	int k;

	for (k = 0; k < __POOL_MAX; k++)
		while (nm->pool_n[k])
			hey_leaf_sock_free(nm->pool[k][--nm->pool_n[k]]);
}

/*
 * Sets up a race by name, in connect()'s context: the paths to ask
 * about, what to race over them, the leaves' sockets. The request goes
 * out when the race starts (race_naming_request()).
 */
static int race_build_named(struct hey_race *race, struct socket *sock,
			    const struct hey_config *cfg, __be16 port)
{
	struct sock *sk = sock->sk;
	struct hey_naming *nm;
	struct hey_policy *pol;
	bool v4 = sk->sk_family == AF_INET || !sk->sk_ipv6only;
	bool v6 = sk->sk_family == AF_INET6 ||
		  (cfg->flags & HEY_F_ANY_FAMILY);
	int paths[HEY_MAX_PATHS];
	int i, n, err;

	nm = kzalloc(sizeof(*nm), GFP_KERNEL_ACCOUNT);
	pol = kmalloc(sizeof(*pol), GFP_KERNEL);
	if (!nm || !pol) {
		kfree(nm);
		kfree(pol);
		return -ENOMEM;
	}
	/* Answers grow the tree up to the budget as they come. */
	err = race_reserve(race, HEY_MAX_LEAVES);
	if (err) {
		kfree(nm);
		kfree(pol);
		return err;
	}
	race->naming = nm;
	spin_lock_init(&nm->lock);
	hey_policy_get(race->hn, pol);
	race_timing(race, &cfg->timing, pol);
	nm->n_protos = race_protocols(cfg, pol, nm->protos);
	nm->sctp_port = cfg->protocols.sctp_port;
	nm->default_us = pol->default_delay_ms * USEC_PER_MSEC;
	nm->port = port;
	nm->name_len = hey_cache_name(nm->name, cfg->host, cfg->host_len);
	nm->families = (v4 ? HEY_RESOLVE_IPV4 : 0) |
		       (v6 ? HEY_RESOLVE_IPV6 : 0);
	err = -EPROTONOSUPPORT;
	if (!nm->n_protos)
		goto out;

	n = hey_paths_all(sock_net(sk), &cfg->paths, sk->sk_bound_dev_if,
			  paths, HEY_MAX_PATHS);
	for (i = 0; i < n; i++) {
		struct hey_name_path *np = &nm->paths[nm->n_paths];

		if (hey_policy_excludes(pol, paths[i]))
			continue;
		np->ifindex = paths[i];
		np->node = -1;
		np->hold_us = naming_hold_us(race, paths[i]);
		nm->n_paths++;
	}
	err = -ENETUNREACH;
	if (!nm->n_paths)
		goto out;
	err = -EDESTADDRREQ;
	if (!hey_resolver_registered(race->hn)) {
		hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_NO_RESOLVER);
		goto out;
	}
	err = naming_pool_fill(race, sock, v4, v6);
out:
	kfree(pol);
	return err;
}

/* Under race->lock, racing: the resolver hears of the race. */
static int race_naming_request(struct hey_race *race, const char *name)
{
	struct hey_naming *nm = race->naming;
	int paths[HEY_MAX_PATHS];
	int i, err;

	for (i = 0; i < nm->n_paths; i++)
		paths[i] = nm->paths[i].ifindex;
	nm->deadline = ktime_add_ms(ktime_get(),
				    READ_ONCE(race->hn->resolve_timeout));
	err = hey_resolver_request(race->hn, race, race->id, name, nm->port,
				   nm->families, paths, nm->n_paths);
	if (err == -EDESTADDRREQ)
		hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_NO_RESOLVER);
	/* the request was lost on the resolver's full socket */
	else if (err == -ETIMEDOUT)
		hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_TIMEOUT);
	if (err) {
		spin_lock(&nm->lock);
		nm->done = true;
		spin_unlock(&nm->lock);
	}
	return err;
}

/* No more answers: the request is withdrawn; err if nothing came. */
static void naming_close(struct hey_race *race, int err)
{
	struct hey_naming *nm = race->naming;

	if (nm->done)
		return;
	spin_lock(&nm->lock);
	nm->done = true;
	spin_unlock(&nm->lock);
	nm->error = err;
	hey_resolver_cancel(race->hn, race->id);
}

/*
 * Tells the engine, as a leaf's event does. Under nm->lock and before
 * done: the race has not ended (race_end() closes the naming first),
 * so the engine's reference covers the work this may queue.
 */
static void naming_event(struct hey_race *race)
{
	hey_race_leaf_event(race, HEY_EVENT_RESOLVER);
}

/*
 * An answer for one path: its endpoints are kept (the first
 * HEY_MAX_ENDPOINTS, without repeats) for the engine to take in.
 * -ENOENT when the race takes no more answers, -ENODEV for a path it
 * did not ask about.
 */
int hey_race_resolved(struct hey_race *race, const struct hey_answer *ans)
{
	struct hey_naming *nm = race->naming;
	struct hey_name_path *np = NULL;
	int i, j, err = 0;

	if (!nm)
		return -ENOENT;
	spin_lock(&nm->lock);
	if (nm->done) {
		err = -ENOENT;
		goto out;
	}
	for (i = 0; i < nm->n_paths && !np; i++)
		if (nm->paths[i].ifindex == ans->ifindex)
			np = &nm->paths[i];
	if (!np) {
		err = -ENODEV;
		goto out;
	}
	for (i = 0; i < ans->n && np->n_eps < HEY_MAX_ENDPOINTS; i++) {
		const struct hey_answer_ep *a = &ans->eps[i];
		struct hey_name_ep *e = &np->eps[np->n_eps];

		for (j = 0; j < np->n_eps; j++)
			if (!memcmp(&np->eps[j].ep, &a->ep, sizeof(a->ep)))
				break;
		if (j < np->n_eps)
			continue;
		e->ep = a->ep;
		e->priority = a->priority;
		e->weight = a->weight;
		np->n_eps++;
		if (a->ep.family == AF_INET && !np->a_at)
			np->a_at = ktime_get();
		if (a->ep.family == AF_INET6 && !np->aaaa_at)
			np->aaaa_at = ktime_get();
		hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_ENDPOINTS);
	}
	if ((ans->flags & HEY_RESOLVE_F_FINAL_AAAA) && !np->aaaa_at)
		np->aaaa_at = ktime_get();
	np->final |= ans->flags;
	naming_event(race);
out:
	spin_unlock(&nm->lock);
	return err;
}

/* The resolver went away: the race makes do with what it has. */
void hey_race_resolver_gone(struct hey_race *race)
{
	struct hey_naming *nm = race->naming;

	if (!nm)
		return;
	spin_lock(&nm->lock);
	if (!nm->done) {
		nm->gone = true;
		naming_event(race);
	}
	spin_unlock(&nm->lock);
}

/* What the answers said of a path, read under their lock. */
struct hey_name_seen {
	u8 final;
	u8 n_eps;
	ktime_t a_at;
	ktime_t aaaa_at;
};

static void name_path_seen(struct hey_naming *nm,
			   const struct hey_name_path *np,
			   struct hey_name_seen *seen)
{
	spin_lock(&nm->lock);
	seen->final = np->final;
	seen->n_eps = np->n_eps;
	seen->a_at = np->a_at;
	seen->aaaa_at = np->aaaa_at;
	spin_unlock(&nm->lock);
}

static bool name_path_final(const struct hey_naming *nm,
			    const struct hey_name_seen *seen)
{
	u8 want = ((nm->families & HEY_RESOLVE_IPV4) ?
		   HEY_RESOLVE_F_FINAL_A : 0) |
		  ((nm->families & HEY_RESOLVE_IPV6) ?
		   HEY_RESOLVE_F_FINAL_AAAA : 0);

	return (seen->final & want) == want;
}

static bool delay_over(ktime_t since, u32 delay_us, ktime_t now)
{
	return since && !ktime_before(now, ktime_add_us(since, delay_us));
}

/*
 * RFC 8305 section 3: AAAA came (or is not wanted), or A waited enough.
 * A path whose history holds AAAA back (naming_hold_us()) waits for A
 * as long as that says, then goes with what it has.
 */
static bool name_path_ready(const struct hey_naming *nm,
			    const struct hey_name_path *np,
			    const struct hey_name_seen *seen, ktime_t now)
{
	if (nm->done || name_path_final(nm, seen))
		return true;
	if (!(nm->families & HEY_RESOLVE_IPV6))
		return seen->n_eps;
	if (!seen->aaaa_at)
		return delay_over(seen->a_at,
				  HEY_RESOLUTION_DELAY_MS * USEC_PER_MSEC, now);
	return !np->hold_us || seen->a_at ||
	       (seen->final & HEY_RESOLVE_F_FINAL_A) ||
	       delay_over(seen->aaaa_at, np->hold_us, now);
}

/* The child of parent with that key, or a new one at the end. */
static int naming_node(struct hey_race *race, int parent, int kind, int key)
{
	int n;

	for (n = race->nodes[parent].first; n >= 0; n = race->nodes[n].next)
		if (race->nodes[n].key == key)
			return n;
	n = race_add_node(race, parent, kind);
	race->nodes[n].key = key;
	return n;
}

/* A parent node given a new child runs again if it had failed. */
static void node_revive(struct hey_race *race, int n)
{
	struct hey_node *node = &race->nodes[n];

	if (node->state != NODE_FAILED)
		return;
	node->state = NODE_RUNNING;
	if (node->parent >= 0) {
		race->nodes[node->parent].failed--;
		node_revive(race, node->parent);
	}
}

/*
 * A running node that has children not started: the next one starts
 * now if every child started so far failed (or racing is immediate),
 * else after the delay, unless a deadline is set already.
 */
static void node_kick(struct hey_race *race, int n)
{
	struct hey_node *node = &race->nodes[n];

	if (node->cur < 0 || node->next_at != KTIME_MAX ||
	    node->state != NODE_RUNNING)
		return;
	if (race->mode == HEY_RACE_IMMEDIATE ||
	    node->failed == node->started) {
		node_start_next(race, n);
		while (race->mode == HEY_RACE_IMMEDIATE &&
		       race->state == HEY_STATE_RACING && node->cur >= 0)
			node_start_next(race, n);
		return;
	}
	if (race->mode == HEY_RACE_DELAYED)
		node->next_at = ktime_add_us(ktime_get(),
					     node_delay_us(race, node,
							   &race->nodes[node->cur]));
}

/* The deepest started node above leaf node n: the one to kick. */
static int naming_kick_target(struct hey_race *race, int n)
{
	do {
		n = race->nodes[n].parent;
	} while (race->nodes[n].state == NODE_IDLE);
	return n;
}

/* A new leaf under node parent, with a socket from the pool. */
static int naming_add_leaf(struct hey_race *race, int parent, int ifindex,
			   const struct hey_candidate *c)
{
	struct hey_naming *nm = race->naming;
	struct hey_leaf *leaf = race_take_leaf(race, race->n_leaves);
	int n, k, err;

	n = race_add_node(race, parent, NODE_LEAF);
	race->nodes[n].leaf = race->n_leaves++;
	leaf->ep = c->ep;
	endpoint_for_socket(&leaf->ep, race->shell->sk_family);
	/* Each path races what its own DNS said: pinned to it. */
	leaf->ifindex = ifindex;
	leaf->network = hey_network_id(race->hn, ifindex);
	leaf->protocol = c->proto;
	leaf->cache = c->cache;
	leaf->outcome = HEY_LEAF_PENDING;
	leaf->expected_us = c->expected_us ? : nm->default_us;
	k = pool_kind(leaf->ep.family, c->proto == HEY_PROTO_SCTP);
	if (!nm->pool_n[k]) {
		/* It fails when it starts, as an SCTP leaf without SCTP. */
		leaf->error = nm->pool_err[k] ? : ENOBUFS;
		return n;
	}
	err = hey_leaf_adopt(leaf, nm->pool[k][--nm->pool_n[k]], race->sock,
			     nm->bound_port);
	if (err)
		leaf->error = -err;
	return n;
}

/* Insertion sort by SRV priority (lower first), then weight (higher). */
static void naming_sort_srv(struct hey_order_item *items,
			    const struct hey_name_ep *eps, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		struct hey_order_item it = items[i];
		const struct hey_name_ep *e = &eps[it.index];

		for (j = i; j > 0; j--) {
			const struct hey_name_ep *f = &eps[items[j - 1].index];

			if (f->priority < e->priority ||
			    (f->priority == e->priority &&
			     f->weight >= e->weight))
				break;
			items[j] = items[j - 1];
		}
		items[j] = it;
	}
}

/*
 * History's order among the candidates a path takes in at once, as
 * race_choose() orders a race by address: those outrun (or, by name,
 * failed) go after the others of their protocol, and a protocol whose
 * candidates all do after the path's other protocols. The pruned ones
 * are left out anyway.
 */
static void naming_order(struct hey_build *b, int n)
{
	int i;

	/* one path: candidates' path is 0 */
	b->path_rank[0] = 0;
	memset(b->proto_rank[0], 2, sizeof(b->proto_rank[0]));
	for (i = 0; i < n; i++) {
		const struct hey_candidate *c = &b->cand[i];

		if (!c->pruned)
			b->proto_rank[0][c->q] = min(b->proto_rank[0][c->q],
						     c->rank);
	}
	candidates_sort(b, n);
}

/*
 * Takes the path's new endpoints into the tree: ordered for the path
 * (RFC 6724, RFC 8305 interleaving, then SRV priority and weight, then
 * history's order), one leaf per protocol and endpoint, protocols first
 * as in race_build(), history pruning those that failed here lately
 * unless the race would have no leaf at all. The nodes to kick
 * (naming_kick_target()) are added to kick[].
 */
static void naming_grow_path(struct hey_race *race, struct hey_name_path *np,
			     int n_eps, struct hey_build *b, int *kick,
			     int *n_kick)
{
	struct hey_naming *nm = race->naming;
	struct net *net = sock_net(race->shell);
	int budget = min_t(int, READ_ONCE(race->hn->max_leaves),
			   HEY_MAX_LEAVES);
	int i, q, n_items = 0, n = 0, kept = 0, root = 0;
	u8 ep_idx[HEY_MAX_ENDPOINTS];
	struct socket *metrics;

	for (i = np->n_used; i < n_eps; i++) {
		const struct hey_endpoint *ep = &np->eps[i].ep;

		if ((ep->family == AF_INET &&
		     !(nm->families & HEY_RESOLVE_IPV4)) ||
		    (ep->family == AF_INET6 &&
		     !(nm->families & HEY_RESOLVE_IPV6)))
			continue;
		memset(&b->items[n_items], 0, sizeof(b->items[0]));
		b->items[n_items].ep = *ep;
		b->items[n_items].index = i;
		n_items++;
	}
	np->n_used = n_eps;
	if (!n_items)
		return;
	/* hey_order_endpoints() renumbers: keep the eps[] index aside. */
	for (i = 0; i < n_items; i++)
		ep_idx[i] = b->items[i].index;
	hey_order_endpoints(net, b->items, n_items, np->ifindex);
	for (i = 0; i < n_items; i++)
		b->items[i].index = ep_idx[b->items[i].index];
	naming_sort_srv(b->items, np->eps, n_items);

	metrics = hey_metrics_open(net);
	for (q = 0; q < nm->n_protos; q++)
		for (i = 0; i < n_items; i++) {
			struct hey_candidate *c = &b->cand[n];

			if (!b->items[i].usable ||
			    !candidate_fill(race, c, &b->items[i], np->ifindex,
					    nm->protos, nm->n_protos, q,
					    nm->sctp_port, metrics))
				continue;
			c->order = n++;
			kept += !c->pruned;
		}
	hey_metrics_close(metrics);
	if (!kept && !race->n_leaves)
		for (i = 0; i < n; i++)
			b->cand[i].pruned = false;
	naming_order(b, n);

	for (i = 0; i < n && race->n_leaves < budget; i++) {
		const struct hey_candidate *c = &b->cand[i];
		int qn, ln, t, j;

		if (c->pruned) {
			race->pruned++;
			hey_stat_inc(race->hn, HEY_A_STATS_CACHE_PRUNED);
			trace_hey_cache_prune(race->id, np->ifindex, c->proto,
					      &c->ep);
			continue;
		}
		if (np->node < 0) {
			np->node = naming_node(race, root, NODE_PATH,
					       np->ifindex);
			if (!race->primary_ifindex)
				race->primary_ifindex = np->ifindex;
		}
		node_revive(race, np->node);
		qn = naming_node(race, np->node, NODE_PROTO, c->proto);
		node_revive(race, qn);
		ln = naming_add_leaf(race, qn, np->ifindex, c);
		t = naming_kick_target(race, ln);
		for (j = 0; j < *n_kick && kick[j] != t; j++)
			;
		if (j == *n_kick)
			kick[(*n_kick)++] = t;
	}
}

/*
 * The engine's part of a race by name, under race->lock: gives up on
 * the resolver at the deadline, grows the tree from the paths that are
 * ready, and ends the race when no answer can come and no leaf is left.
 * True when the race ended.
 */
static bool race_naming_step(struct hey_race *race)
{
	struct hey_naming *nm = race->naming;
	int kick[HEY_MAX_NODES], n_kick = 0, p, i;
	struct hey_node *root = &race->nodes[0];
	ktime_t now = ktime_get();
	bool all_final = true;
	struct hey_build *b = NULL;

	clear_bit(HEY_EVENT_RESOLVER, &race->events);
	/* pairs with the lock in hey_race_resolver_gone() */
	if (READ_ONCE(nm->gone))
		naming_close(race, EDESTADDRREQ);
	if (!nm->done && !ktime_before(now, nm->deadline))
		naming_close(race, ETIMEDOUT);
	for (p = 0; p < nm->n_paths; p++) {
		struct hey_name_path *np = &nm->paths[p];
		struct hey_name_seen seen;

		name_path_seen(nm, np, &seen);
		all_final &= name_path_final(nm, &seen);
		if (!np->racing)
			np->racing = name_path_ready(nm, np, &seen, now);
		if (!np->racing || np->n_used == seen.n_eps)
			continue;
		if (!b) {
			b = kmalloc(sizeof(*b), GFP_KERNEL);
			if (!b) {
				/* Not lost: the next step takes them. */
				np->racing = false;
				break;
			}
		}
		naming_grow_path(race, np, seen.n_eps, b, kick, &n_kick);
	}
	kfree(b);
	if (all_final)
		naming_close(race, ENXIO);
	for (i = 0; i < n_kick && race->state == HEY_STATE_RACING; i++)
		node_kick(race, kick[i]);
	if (race->state != HEY_STATE_RACING)
		return true;
	if (nm->done && root->failed == root->count) {
		int err = root->count ? root->error : nm->error;

		switch (root->count ? 0 : err) {
		case ETIMEDOUT:
			hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_TIMEOUT);
			break;
		case ENXIO:
			hey_stat_inc(race->hn, HEY_A_STATS_RESOLVE_NO_ADDRESS);
			break;
		case EDESTADDRREQ:
			hey_stat_inc(race->hn,
				     HEY_A_STATS_RESOLVE_NO_RESOLVER);
			break;
		}
		race_fail(race, err);
		return true;
	}
	return false;
}

/* The next moment the naming step has something to do; KTIME_MAX: none. */
static ktime_t race_naming_next(const struct hey_race *race)
{
	const struct hey_naming *nm = race->naming;
	ktime_t next = KTIME_MAX;
	int p;

	if (!nm || nm->done)
		return next;
	next = nm->deadline;
	for (p = 0; p < nm->n_paths; p++) {
		const struct hey_name_path *np = &nm->paths[p];
		struct hey_name_seen seen;

		if (np->racing)
			continue;
		name_path_seen(race->naming, np, &seen);
		if (seen.a_at)
			next = min(next, ktime_add_ms(seen.a_at,
						      HEY_RESOLUTION_DELAY_MS));
		if (seen.aaaa_at && np->hold_us)
			next = min(next, ktime_add_us(seen.aaaa_at,
						      np->hold_us));
	}
	return next;
}

static void race_naming_end(struct hey_race *race)
{
	if (!race->naming)
		return;
	naming_close(race, race->naming->error);
	naming_pool_free(race->naming);
}

/*
 * Whether the race's one leaf is the application's own socket (design.md,
 * "The first leaf"). A race of one plain TCP attempt over the path
 * routing picks anyway is the plain single connect(): making a second
 * socket for it, copying options into it, grafting it and closing the
 * application's sock cost half as much again as TCP's own connect().
 * The application's socket makes the attempt itself when TCP would
 * connect it as it is: of the leaf's family, closed and unbound (a bound
 * port passes to leaves, see hey_race_start()), without
 * TCP_FASTOPEN_CONNECT (which holds the SYN back for data), and never
 * tried before (hey_sock.app_tried). Early data stays with leaves: the
 * engine sends it on the winner, which must not be the socket whose
 * sendmsg() waits for the race. Under the socket's lock. A lone race
 * (race_plan_lone()) asked already, as its quick race (quick.c).
 */
static bool race_own_socket(const struct hey_race *race, struct sock *sk,
			    const struct hey_sock *hs)
{
	const struct hey_leaf *leaf = &race->leaves[0];

	if (race->naming || race->n_leaves != 1 ||
	    leaf->protocol != HEY_PROTO_TCP || leaf->ifindex ||
	    leaf->ep.family != sk->sk_family)
		return false;
	return hey_quick_sock_free(sk, hs);
}

/*
 * The leaves of a race that is not on the application's own socket, and
 * the winner's hey state, made in the application's context. On error
 * the leaves made are released; the spare goes with the race.
 */
static int race_make_leaves(struct hey_race *race, struct socket *sock,
			    struct hey_sock *hs)
{
	struct sock *sk = sock->sk;
	int err, i;

	race->spare = kzalloc(sizeof(*race->spare), GFP_KERNEL_ACCOUNT);
	if (!race->spare)
		return -ENOMEM;
	race->spare->hn = hs->hn;
	/*
	 * The application's bound port, if any, passes to the leaves, which
	 * bind it with SO_REUSEADDR semantics among themselves. (A race on
	 * the application's own socket is one on an unbound socket:
	 * race_own_socket().)
	 */
	lock_sock(sk);
	if (inet_sk(sk)->inet_num && inet_csk(sk)->icsk_bind_hash) {
		/*
		 * The port leaves the application's sock for its leaves; hs
		 * keeps the number for them and for a later race.
		 */
		hs->bound_port = inet_sk(sk)->inet_num;
		inet_put_port(sk);
		sk->sk_reuse = SK_CAN_REUSE;
	}
	release_sock(sk);
	for (i = 0; i < race->n_leaves; i++) {
		struct hey_leaf *leaf = &race->leaves[i];

		err = hey_leaf_create(leaf, sock, hs->bound_port);
		/*
		 * A kernel without SCTP (or where it may not be loaded) fails
		 * the SCTP leaves when they start, not the race.
		 */
		if (err && leaf->protocol == HEY_PROTO_SCTP && err != -ENOMEM) {
			leaf->error = -err;
			continue;
		}
		if (err) {
			race_release_leaves(race, -1);
			return err;
		}
	}
	return 0;
}

/*
 * The race goes on record in the socket; under the socket's lock. It is
 * racing before the socket records it: another thread's connect() that
 * finds it there waits for it. An idle race would look over to it
 * (failed), and that thread would let a second race start on the socket
 * while this one still sets up.
 */
static void race_publish(struct hey_race *race, struct hey_sock *hs,
			 bool own)
{
	if (race->naming) {
		race->naming->bound_port = hs->bound_port;
		hey_stat_inc(race->hn, HEY_A_STATS_RESOLVES);
	}
	hey_stat_inc(race->hn, HEY_A_STATS_RACES);
	trace_hey_race_start(race->id, race->n_leaves, race->pruned);
	race->start = ktime_get();
	WRITE_ONCE(race->state, HEY_STATE_RACING);
	hs->race = race;
	/*
	 * The early data is the race's now: one copy for all its leaves.
	 * Not a race on the application's own socket (race_own_socket()):
	 * data set by another thread meanwhile waits for the next race.
	 */
	if (!own) {
		race->early = hs->early;
		race->early_len = hs->early_len;
		race->early_idempotent = hs->cfg.flags & HEY_F_IDEMPOTENT;
		hs->early = NULL;
		hs->early_len = 0;
	}
}

/*
 * A quick race's attempt (HEY_QUICK_STARTED) becomes the race's one leaf,
 * once the race is on record: it reports from now on, and what it did
 * before that is news for the engine's first step. Under the socket's
 * lock.
 */
static void race_take_quick(struct hey_race *race, const struct hey_quick *q)
{
	struct hey_leaf *leaf = &race->leaves[0];

	leaf->issued = true;
	leaf->start = q->leaf.start;
	leaf->error = q->leaf.error;
	/* The race started with its attempt, in connect(). */
	race->start = q->leaf.start;
	if (!leaf->error && READ_ONCE(leaf->sock->sk->sk_state) != TCP_SYN_SENT)
		set_bit(0, &race->events);
}

/*
 * The application's socket made its quick race's attempt, and no race
 * came of it (out of memory): the attempt is dropped, as TCP drops one
 * that connect(AF_UNSPEC) stops.
 */
static void race_drop_quick(struct sock *sk)
{
	lock_sock(sk);
	sk->sk_prot->disconnect(sk, 0);
	release_sock(sk);
}

/*
 * What a connect() does first, under the socket's lock: the address, the
 * limit of races in flight, and a lone race's quick race (quick.c). 1:
 * the quick race won, and nothing is left to do; 0: hey_race_start()
 * goes on from st, without the lock; else the errno.
 */
int hey_race_prepare(struct socket *sock, struct hey_sock *hs,
		     struct sockaddr *uaddr, int addr_len,
		     struct hey_start *st)
{
	struct sock *sk = sock->sk;
	struct hey_net *hn = hs->hn;
	int err;

	err = endpoint_from_sockaddr(&st->first, uaddr, addr_len);
	if (err)
		return err;
	/* By name, connect() gives the port alone. */
	if (st->first.family == AF_INET6 && sk->sk_family == AF_INET &&
	    !(hs->cfg.flags & HEY_F_ANY_FAMILY) && !hs->cfg.host_len)
		return -EAFNOSUPPORT;

	if (atomic64_inc_return(&hn->in_flight) > READ_ONCE(hn->max_races)) {
		atomic64_dec(&hn->in_flight);
		hey_stat_inc(hn, HEY_A_STATS_REJECTED);
		return -EAGAIN;
	}
	st->quick = HEY_QUICK_NONE;
	st->lone_err = race_plan_lone(hn, sk, &hs->cfg, &st->first,
				      &st->lone);
	if (st->lone_err == -EAGAIN)
		return 0;
	err = st->lone_err;
	if (!err) {
		st->quick = race_quick(sock, hs, hn, &st->lone);
		if (st->quick != HEY_QUICK_WON)
			return 0;
		err = 1;
	}
	atomic64_dec(&hn->in_flight);
	return err;
}

/* Starts the race of a connect() that hey_race_prepare() left to one. */
struct hey_race *hey_race_start(struct socket *sock, struct hey_sock *hs,
				const struct hey_start *st)
{
	struct sock *sk = sock->sk;
	struct hey_net *hn = hs->hn;
	struct hey_race *race;
	bool ended, own;
	int err;

	/* Charged to the application's memory cgroup (SLAB_ACCOUNT) */
	race = kmem_cache_alloc(hey_race_cache, GFP_KERNEL);
	if (!race) {
		err = -ENOMEM;
		goto err_quick;
	}
	/* All but the tree (zeroed as its parts are taken) and the lock */
	memset(race, 0, offsetof(struct hey_race, small_leaves));
	race->leaves = race->small_leaves;
	race->nodes = race->small_nodes;
	/*
	 * References: the socket's (hs->race), the engine's while racing,
	 * and the caller's.
	 */
	refcount_set(&race->ref, 3);
	INIT_DELAYED_WORK(&race->work, race_work);
	race->sock = sock;
	race->shell = sk;
	race->hn = hn;
	race->winner = -1;
	race->id = atomic64_inc_return(&hn->race_ids);

	if (hs->cfg.host_len)
		err = race_build_named(race, sock, &hs->cfg, st->first.port);
	else if (!st->lone_err)
		err = race_lay_lone(race, sk, &hs->cfg, &st->lone);
	else
		err = race_build(race, sk, &hs->cfg, &st->first);
	if (err)
		goto err_free;

	lock_sock(sk);
	own = st->quick == HEY_QUICK_STARTED || race_own_socket(race, sk, hs);
	if (own) {
		/* Nothing to make: on record now, under this one lock. */
		hs->app_tried = true;
		hey_leaf_adopt_app(&race->leaves[0], sock);
		race_publish(race, hs, true);
		if (st->quick == HEY_QUICK_STARTED)
			race_take_quick(race, &hs->quick);
	}
	release_sock(sk);
	if (!own) {
		err = race_make_leaves(race, sock, hs);
		if (err)
			goto err_free;
		lock_sock(sk);
		race_publish(race, hs, false);
		release_sock(sk);
	}

	/*
	 * Over a fast link a handshake completes within the first leaf's
	 * connect(): the caller serves what the leaves report right away
	 * rather than leave it to the work (a hop to another CPU and back).
	 */
	hey_race_wait_begin(race);
	mutex_lock(&race->lock);
	if (race->state != HEY_STATE_RACING) {
		/*
		 * Stopped (close(), connect(AF_UNSPEC)) before a leaf
		 * started: hey_race_abort() ended it and dropped the
		 * engine's reference.
		 */
		mutex_unlock(&race->lock);
		hey_race_wait_end(race, true);
		return race;
	}
	if (race->naming) {
		/* The root runs without children until answers come. */
		race_add_node(race, -1, NODE_ROOT);
		race->nodes[0].state = NODE_RUNNING;
		err = race_naming_request(race, hs->cfg.host);
		if (err)
			race_fail(race, -err);
	} else {
		node_start(race, 0);
	}
	/* Decided under the lock: once unlocked, the work may end it too. */
	ended = race->state != HEY_STATE_RACING || race_step(race);
	mutex_unlock(&race->lock);
	hey_race_wait_end(race, true);
	if (ended) {
		/* Ended at once: the engine's reference goes. */
		race_cancel_work(race, true);
		hey_race_put(race);
	}
	return race;

err_free:
	if (race->naming)
		naming_pool_free(race->naming);
	kfree(race->naming);
	kfree(race->spare);
	race_free_tree(race);
	kmem_cache_free(hey_race_cache, race);
err_quick:
	if (st->quick == HEY_QUICK_STARTED)
		race_drop_quick(sk);
	atomic64_dec(&hn->in_flight);
	return ERR_PTR(err);
}

/* Stops a race from process context: the application closed or reset. */
void hey_race_abort(struct hey_race *race)
{
	bool ended = false;

	mutex_lock(&race->lock);
	if (race->state == HEY_STATE_RACING) {
		race_release_leaves(race, -1);
		WRITE_ONCE(race->error, ECONNABORTED);
		race_end(race, HEY_STATE_FAILED);
		hey_stat_inc(race->hn, HEY_A_STATS_CANCELLED);
		ended = true;
	} else if (race->n_measuring) {
		race_release_leaves(race, -1);
		module_put(THIS_MODULE);
		ended = true;
	}
	mutex_unlock(&race->lock);
	/* Also when the work ended it: it may still be finishing. */
	cancel_delayed_work_sync(&race->work);
	if (ended)
		hey_race_put(race);
}

void hey_race_fill_info(struct hey_race *race, struct hey_info *info)
{
	int i;

	memset(info, 0, sizeof(*info));
	mutex_lock(&race->lock);
	info->state = race->state;
	info->n_leaves = race->n_leaves;
	info->winner = race->winner < 0 ? ~0U : race->winner;
	info->connect_us = race->connect_us;
	info->error = race->state == HEY_STATE_FAILED ? race->error : 0;
	info->early_data = race->early_sent;
	for (i = 0; i < race->n_leaves; i++)
		leaf_fill_info(race, &race->leaves[i], &info->leaves[i]);
	mutex_unlock(&race->lock);
}

/*
 * What a race keeps from one use of its memory to the next: its lock.
 * With a constructor the slab does not zero a race on every connect()
 * (init_on_alloc leaves caches with one alone, as it does inodes);
 * hey_race_start() zeroes what a race needs zeroed.
 */
static void race_ctor(void *p)
{
	struct hey_race *race = p;

	mutex_init(&race->lock);
}

int __init hey_race_init(void)
{
	hey_race_cache = kmem_cache_create("hey_race", sizeof(struct hey_race),
					   0, SLAB_ACCOUNT, race_ctor);
	if (!hey_race_cache)
		return -ENOMEM;
	hey_wq = alloc_workqueue("hey", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!hey_wq) {
		kmem_cache_destroy(hey_race_cache);
		return -ENOMEM;
	}
	return 0;
}

void hey_race_exit(void)
{
	destroy_workqueue(hey_wq);
	kmem_cache_destroy(hey_race_cache);
}
