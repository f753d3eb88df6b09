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
#include <linux/slab.h>

#include "cache.h"
#include "netlink.h"
#include "pernet.h"

struct hey_cache_entry {
	struct hlist_node node;
	struct list_head lru;
	struct hey_cache_key key;
	struct hey_cache_val val;	/* age_ms unused: see updated */
	unsigned long updated;		/* jiffies */
	unsigned long expires;		/* jiffies */
};

/* A change to report once the lock is dropped. */
struct hey_cache_note {
	struct hey_cache_key key;
	struct hey_cache_val val;
	u8 change;
};

void hey_cache_init(struct hey_cache *c)
{
	spin_lock_init(&c->lock);
	hash_init(c->hash);
	INIT_LIST_HEAD(&c->lru);
}

static u32 key_hash(const struct hey_cache_key *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), 0);
}

static void entry_free(struct hey_cache *c, struct hey_cache_entry *e)
{
	hash_del(&e->node);
	list_del(&e->lru);
	c->count--;
	c->gen++;
	kfree(e);
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

/* The live entry of key, under c->lock; expired ones are dropped. */
static struct hey_cache_entry *entry_find(struct hey_cache *c,
					  const struct hey_cache_key *key,
					  unsigned long now,
					  struct hey_cache_note *gone)
{
	struct hey_cache_entry *e;

	hash_for_each_possible(c->hash, e, node, key_hash(key)) {
		if (memcmp(&e->key, key, sizeof(*key)))
			continue;
		if (!entry_expired(e, now))
			return e;
		if (gone) {
			gone->key = e->key;
			entry_copy(e, now, &gone->val);
			gone->change = HEY_CACHE_CHANGE_DELETED;
		}
		entry_free(c, e);
		return NULL;
	}
	return NULL;
}

static void note_send(struct hey_net *hn, const struct hey_cache_note *n)
{
	if (n->change)
		hey_genl_notify_cache(hn, &n->key, &n->val, n->change);
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
		list_move_tail(&e->lru, &c->lru);
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
		evicted->key = old->key;
		entry_copy(old, now, &evicted->val);
		evicted->change = HEY_CACHE_CHANGE_DELETED;
		entry_free(c, old);
		hey_stat_inc(hn, HEY_A_STATS_CACHE_EVICTED);
	}
	e = *e_new;
	*e_new = NULL;
	e->key = *key;
	hash_add(c->hash, &e->node, key_hash(key));
	list_add_tail(&e->lru, &c->lru);
	c->count++;
	return e;
}

/* e changed at updated: it expires timeout later; upd reports it. */
static void entry_updated(struct hey_cache *c, struct hey_cache_entry *e,
			  unsigned long updated, unsigned long now,
			  unsigned long timeout, struct hey_cache_note *upd)
{
	e->updated = updated;
	e->expires = updated + timeout;
	list_move_tail(&e->lru, &c->lru);
	c->gen++;
	upd->key = e->key;
	entry_copy(e, now, &upd->val);
	upd->change = HEY_CACHE_CHANGE_UPDATED;
}

/*
 * A leaf finished: record its result. Successes fold the handshake time
 * into a smoothed one as TCP does its RTT (RFC 6298: 7/8 old, 1/8 new).
 */
void hey_cache_record(struct hey_net *hn, const struct hey_cache_key *key,
		      u8 result, u32 error, u32 handshake_us)
{
	struct hey_cache_note evicted = {}, upd = {};
	struct hey_cache *c = &hn->cache;
	struct hey_cache_entry *e, *e_new;
	unsigned long now = jiffies;

	if (!READ_ONCE(hn->cache_size) || !key_timeout(hn, key))
		return;
	e_new = kzalloc(sizeof(*e_new), GFP_KERNEL);
	spin_lock(&c->lock);
	e = entry_get(hn, key, now, &e_new, &evicted);
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
		entry_updated(c, e, now, now, key_timeout(hn, key), &upd);
	}
	spin_unlock(&c->lock);
	kfree(e_new);
	note_send(hn, &evicted);
	note_send(hn, &upd);
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
	e_new = kzalloc(sizeof(*e_new), GFP_KERNEL_ACCOUNT);
	if (!e_new)
		return -ENOMEM;
	spin_lock(&c->lock);
	e = entry_get(hn, key, now, &e_new, &evicted);
	if (e) {
		e->val = *val;
		e->val.age_ms = 0;
		entry_updated(c, e, now - age, now, timeout, &upd);
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
	if (e) {
		gone.key = e->key;
		entry_copy(e, now, &gone.val);
		gone.change = HEY_CACHE_CHANGE_DELETED;
		entry_free(c, e);
	}
	spin_unlock(&c->lock);
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
 * lock afresh, so a dump never holds it while userspace reads.
 */
bool hey_cache_next(struct hey_net *hn, u64 *pos, bool all, u64 network,
		    struct hey_cache_key *key, struct hey_cache_val *val)
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
