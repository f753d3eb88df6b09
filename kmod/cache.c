// SPDX-License-Identifier: GPL-2.0
/*
 * The history cache: per network namespace, what became of the attempts
 * to each destination, port and protocol over each network (draft
 * "Connection Establishment Racing" section 6; RFC 8305 section 4 for the
 * handshake times). Races read it when they build their tree (race.c) and
 * write every finished leaf back. heyctl and heyd read, load and flush it
 * over netlink.
 *
 * Entries expire net.hey.cache_timeout seconds after their last update
 * (TFO verdicts after net.hey.tfo_negative_timeout); expired entries are
 * dropped when met. At most net.hey.cache_size are kept: a new entry
 * evicts the least recently used. One spinlock per namespace: races
 * touch the cache once per leaf, far less often than they touch sockets.
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "cache.h"
#include "netlink.h"
#include "pernet.h"
#include "trace.h"

struct hey_cache_entry {
	struct hlist_node node;
	struct list_head lru;
	struct hey_cache_key key;	/* key.name: name[] below */
	struct hey_cache_val val;	/* age_ms unused: see updated */
	unsigned long updated;		/* jiffies */
	unsigned long expires;		/* jiffies */
	char name[];			/* key.name_len bytes */
};

/*
 * A change to report once the lock is dropped. An entry that left the
 * cache goes with its note (dead), which it outlives: the key's name
 * may be its.
 */
struct hey_cache_note {
	struct hey_cache_key key;
	struct hey_cache_val val;
	u8 change;
	struct hey_cache_entry *dead;	/* freed once reported */
};

/*
 * The form of a name in keys, into dst (HEY_MAX_HOST bytes): DNS
 * compares names without regard to ASCII case (RFC 4343; bytes above
 * 0x7f are left alone, unlike tolower()'s Latin-1), and a final dot
 * only says that the name is absolute. name is one that HEY_HOST takes.
 * Returns the length, 0 for none.
 */
unsigned int hey_cache_name(char *dst, const char *name, unsigned int len)
{
	unsigned int i;

	if (len && name[len - 1] == '.')
		len--;
	len = min_t(unsigned int, len, HEY_MAX_HOST);
	for (i = 0; i < len; i++) {
		char ch = name[i];

		dst[i] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	}
	return len;
}

void hey_cache_init(struct hey_cache *c)
{
	spin_lock_init(&c->lock);
	hash_init(c->hash);
	INIT_LIST_HEAD(&c->lru);
}

/* Inline: every race's history record hashes its key. */
static __always_inline u32 key_hash(const struct hey_cache_key *key)
{
	u32 h;

	BUILD_BUG_ON(HEY_CACHE_KEY_FIXED % sizeof(u32));
	h = jhash2((const u32 *)key, HEY_CACHE_KEY_FIXED / sizeof(u32), 0);
	return key->name_len ? jhash(key->name, key->name_len, h) : h;
}

static bool key_equal(const struct hey_cache_key *a,
		      const struct hey_cache_key *b)
{
	return !memcmp(a, b, HEY_CACHE_KEY_FIXED) &&
	       (!a->name_len || !memcmp(a->name, b->name, a->name_len));
}

static void entry_unlink(struct hey_cache *c, struct hey_cache_entry *e)
{
	hash_del(&e->node);
	list_del(&e->lru);
	c->count--;
	c->gen++;
}

static void entry_free(struct hey_cache *c, struct hey_cache_entry *e)
{
	entry_unlink(c, e);
	kfree(e);
}

/* A new entry for key, name included; key.name is set when it is added. */
static struct hey_cache_entry *entry_alloc(const struct hey_cache_key *key,
					   gfp_t gfp)
{
	struct hey_cache_entry *e;

	return kzalloc(struct_size(e, name, key->name_len), gfp);
}

void hey_cache_exit(struct hey_cache *c)
{
	struct hey_cache_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &c->lru, lru)
		entry_free(c, e);
}

static bool entry_expired(const struct hey_cache_entry *e, unsigned long now)
{
	return !time_before(now, e->expires);
}

static void entry_copy(const struct hey_cache_entry *e, unsigned long now,
		       struct hey_cache_val *val)
{
	*val = e->val;
	val->age_ms = jiffies_to_msecs(now - e->updated);
}

/*
 * e leaves the cache, under c->lock, for n to report as deleted and then
 * free. A note holds one: an entry it held before is freed unreported
 * (an eviction loop reports its last).
 */
static void note_gone(struct hey_cache *c, struct hey_cache_entry *e,
		      unsigned long now, struct hey_cache_note *n)
{
	entry_unlink(c, e);
	kfree(n->dead);
	n->key = e->key;
	entry_copy(e, now, &n->val);
	n->change = HEY_CACHE_CHANGE_DELETED;
	n->dead = e;
}

/* The live entry of key, under c->lock; expired ones are dropped. */
static struct hey_cache_entry *entry_find(struct hey_cache *c,
					  const struct hey_cache_key *key,
					  unsigned long now,
					  struct hey_cache_note *gone)
{
	struct hey_cache_entry *e;

	hash_for_each_possible(c->hash, e, node, key_hash(key)) {
		if (!key_equal(&e->key, key))
			continue;
		if (!entry_expired(e, now))
			return e;
		if (gone)
			note_gone(c, e, now, gone);
		else
			entry_free(c, e);
		return NULL;
	}
	return NULL;
}

/*
 * The entry was used: the most recently used now. Mostly it is already
 * (the same service again): then this is one test, inline, and its
 * neighbours stay untouched.
 */
static __always_inline void entry_touch(struct hey_cache *c,
					struct hey_cache_entry *e)
{
	if (!list_is_last(&e->lru, &c->lru))
		list_move_tail(&e->lru, &c->lru);
}

/* After the lock: the event, then the entry that went, if any. */
static void note_send(struct hey_net *hn, struct hey_cache_note *n)
{
	if (!n->change && !n->dead)
		return;
	if (n->change)
		hey_genl_notify_cache(hn, &n->key, &n->val, n->change);
	kfree(n->dead);
	n->dead = NULL;
}

bool hey_cache_lookup(struct hey_net *hn, const struct hey_cache_key *key,
		      struct hey_cache_val *val)
{
	struct hey_cache_note gone = {};
	struct hey_cache *c = &hn->cache;
	unsigned long now = jiffies;
	struct hey_cache_entry *e;

	spin_lock(&c->lock);
	e = entry_find(c, key, now, &gone);
	if (e) {
		entry_touch(c, e);
		entry_copy(e, now, val);
	}
	spin_unlock(&c->lock);
	note_send(hn, &gone);
	return e;
}

static unsigned long key_timeout(struct hey_net *hn,
				 const struct hey_cache_key *key)
{
	int secs = key->family == AF_UNSPEC ?
		   READ_ONCE(hn->tfo_negative_timeout) :
		   READ_ONCE(hn->cache_timeout);

	return (unsigned long)secs * HZ;
}

/*
 * The entry of key, found or made (with *e_new, which the caller
 * allocated outside the lock; used up when taken). A full cache evicts
 * its least recently used entry, reported in *evicted.
 */
static struct hey_cache_entry *entry_get(struct hey_net *hn,
					 const struct hey_cache_key *key,
					 unsigned long now,
					 struct hey_cache_entry **e_new,
					 struct hey_cache_note *evicted)
{
	struct hey_cache *c = &hn->cache;
	struct hey_cache_entry *e;

	e = entry_find(c, key, now, NULL);
	if (e || !*e_new)
		return e;
	/* Below the size again, also after net.hey.cache_size was lowered. */
	while (c->count >= (u32)READ_ONCE(hn->cache_size)) {
		struct hey_cache_entry *old;

		old = list_first_entry_or_null(&c->lru, struct hey_cache_entry,
					       lru);
		if (!old)
			return NULL;	/* a size of 0: keep nothing */
		/* the last one evicted is reported */
		note_gone(c, old, now, evicted);
		hey_stat_inc(hn, HEY_A_STATS_CACHE_EVICTED);
	}
	e = *e_new;
	*e_new = NULL;
	e->key = *key;
	e->key.name = NULL;
	if (key->name_len) {
		memcpy(e->name, key->name, key->name_len);
		e->key.name = e->name;
	}
	hash_add(c->hash, &e->node, key_hash(key));
	list_add_tail(&e->lru, &c->lru);
	c->count++;
	return e;
}

/*
 * e, the entry of key, changed at updated: it expires timeout later; upd
 * reports it, with the caller's key, whose name outlives the lock (e's
 * may not). No upd: nobody listens.
 */
static void entry_updated(struct hey_cache *c, struct hey_cache_entry *e,
			  const struct hey_cache_key *key,
			  unsigned long updated, unsigned long now,
			  unsigned long timeout, struct hey_cache_note *upd)
{
	e->updated = updated;
	e->expires = updated + timeout;
	entry_touch(c, e);
	c->gen++;
	if (!upd)
		return;
	upd->key = *key;
	entry_copy(e, now, &upd->val);
	upd->change = HEY_CACHE_CHANGE_UPDATED;
}

/*
 * What HEY_INFO and the race log show of what history said of a leaf:
 * worked, or slower than others (outrun; by name, also failed). A leaf
 * that failed lately is left out of a race of others instead.
 */
u8 hey_cache_verdict(const struct hey_cache_val *val, bool by_name)
{
	switch (val->result) {
	case HEY_CACHE_SUCCESS:
		return HEY_LEAF_CACHE_GOOD;
	case HEY_CACHE_FAILED:
		return by_name ? HEY_LEAF_CACHE_SLOW : HEY_LEAF_CACHE_NONE;
	case HEY_CACHE_OUTRUN:
		return HEY_LEAF_CACHE_SLOW;
	}
	return HEY_LEAF_CACHE_NONE;
}

/*
 * History had an entry for a leaf, as it was before the leaf's record:
 * traced and counted (cache_hits); returns its verdict for HEY_INFO.
 */
u8 hey_cache_hit(struct hey_net *hn, const struct hey_cache_key *key,
		 const struct hey_cache_val *was)
{
	trace_hey_cache_hit(key, was->result);
	hey_stat_inc(hn, HEY_A_STATS_CACHE_HITS);
	return hey_cache_verdict(was, false);
}

/*
 * A leaf finished: record its result. Successes fold the handshake time
 * into a smoothed one as TCP does its RTT (RFC 6298: 7/8 old, 1/8 new).
 * With was, also what the entry said before, as hey_cache_lookup() would
 * have but for its age (true if there was one): a lookup and a record in
 * one. tell: hey_genl_has_listeners(), which the caller asked once for
 * all it records: every race records, the event goes out only when
 * someone listens.
 */
bool hey_cache_record(struct hey_net *hn, const struct hey_cache_key *key,
		      u8 result, u32 error, u32 handshake_us,
		      struct hey_cache_val *was, bool tell)
{
	struct hey_cache_note evicted = {}, upd = {};
	struct hey_cache_entry *e, *e_new = NULL;
	unsigned long now = jiffies, timeout;
	struct hey_cache *c = &hn->cache;
	bool found;

	timeout = key_timeout(hn, key);
	if (!READ_ONCE(hn->cache_size) || !timeout)
		return was && hey_cache_lookup(hn, key, was);
	/*
	 * Mostly the entry is there already (the same service again):
	 * allocate only when it is not, and look again after.
	 */
	spin_lock(&c->lock);
	e = entry_find(c, key, now, NULL);
	found = e;
	if (!e) {
		spin_unlock(&c->lock);
		e_new = entry_alloc(key, GFP_KERNEL);
		spin_lock(&c->lock);
		e = entry_get(hn, key, now, &e_new, &evicted);
		/* e_new is used up only when no other record made one */
		found = e && e_new;
	}
	if (found && was)
		*was = e->val;
	if (e) {
		struct hey_cache_val *v = &e->val;

		v->result = result;
		if (result == HEY_CACHE_SUCCESS) {
			v->successes++;
			v->handshake_us = handshake_us;
			v->srtt_us = v->srtt_us ?
				     v->srtt_us - v->srtt_us / 8 +
				     handshake_us / 8 : handshake_us;
		} else if (result == HEY_CACHE_FAILED) {
			v->failures++;
			v->error = error;
		}
		entry_updated(c, e, key, now, now, timeout,
			      tell ? &upd : NULL);
	}
	spin_unlock(&c->lock);
	/* Only a record that made an entry has more to do. */
	if (unlikely(evicted.dead || e_new)) {
		kfree(e_new);
		note_send(hn, &evicted);
	}
	note_send(hn, &upd);
	return found;
}

/* Adds or replaces an entry as userspace gave it (a saved cache). */
int hey_cache_set(struct hey_net *hn, const struct hey_cache_key *key,
		  const struct hey_cache_val *val)
{
	struct hey_cache_note evicted = {}, upd = {};
	unsigned long timeout = key_timeout(hn, key);
	struct hey_cache *c = &hn->cache;
	struct hey_cache_entry *e, *e_new;
	unsigned long now = jiffies, age;

	age = msecs_to_jiffies(val->age_ms);
	if (age >= timeout)
		return -ESTALE;
	e_new = entry_alloc(key, GFP_KERNEL_ACCOUNT);
	if (!e_new)
		return -ENOMEM;
	spin_lock(&c->lock);
	e = entry_get(hn, key, now, &e_new, &evicted);
	if (e) {
		e->val = *val;
		e->val.age_ms = 0;
		entry_updated(c, e, key, now - age, now, timeout, &upd);
	}
	spin_unlock(&c->lock);
	kfree(e_new);
	note_send(hn, &evicted);
	note_send(hn, &upd);
	return e ? 0 : -ENOSPC;
}

int hey_cache_del(struct hey_net *hn, const struct hey_cache_key *key)
{
	struct hey_cache_note gone = {};
	struct hey_cache *c = &hn->cache;
	unsigned long now = jiffies;
	struct hey_cache_entry *e;

	spin_lock(&c->lock);
	e = entry_find(c, key, now, NULL);
	if (e)
		note_gone(c, e, now, &gone);
	spin_unlock(&c->lock);
	/* frees e */
	note_send(hn, &gone);
	return gone.change ? 0 : -ENOENT;
}

void hey_cache_flush(struct hey_net *hn, bool all, u64 network)
{
	struct hey_cache_note flushed = { .change = HEY_CACHE_CHANGE_FLUSHED };
	struct hey_cache *c = &hn->cache;
	struct hey_cache_entry *e, *tmp;

	spin_lock(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->lru, lru)
		if (all || e->key.network == network)
			entry_free(c, e);
	c->gen++;
	spin_unlock(&c->lock);
	/* No network is 0 (ids are non-zero): 0 tells the event "all". */
	flushed.key.network = all ? 0 : network;
	note_send(hn, &flushed);
}

/*
 * The next live entry at or after *pos (the bucket in the upper half,
 * the place in its chain in the lower), for dumps: each call takes the
 * lock afresh, so a dump never holds it while userspace reads. A name
 * is copied into name (HEY_MAX_HOST bytes), where key->name points.
 */
bool hey_cache_next(struct hey_net *hn, u64 *pos, bool all, u64 network,
		    struct hey_cache_key *key, char *name,
		    struct hey_cache_val *val)
{
	struct hey_cache *c = &hn->cache;
	unsigned long now = jiffies;
	u32 bkt = *pos >> 32, i = (u32)*pos;
	struct hey_cache_entry *e;
	bool found = false;

	spin_lock(&c->lock);
	for (; bkt < HASH_SIZE(c->hash) && !found; bkt++, i = 0) {
		u32 at = 0;

		hlist_for_each_entry(e, &c->hash[bkt], node) {
			if (at++ < i || entry_expired(e, now) ||
			    (!all && e->key.network != network))
				continue;
			*key = e->key;
			if (key->name_len) {
				memcpy(name, e->name, key->name_len);
				key->name = name;
			}
			entry_copy(e, now, val);
			*pos = ((u64)bkt << 32) | at;
			found = true;
			break;
		}
	}
	spin_unlock(&c->lock);
	return found;
}

u32 hey_cache_gen(struct hey_net *hn)
{
	return READ_ONCE(hn->cache.gen);
}
