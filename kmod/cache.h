/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_CACHE_H
#define _HEY_CACHE_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/stddef.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/hey.h>

struct hey_net;

/*
 * What identifies a history entry. Zeroed before it is filled, so that
 * the fixed part (up to name) compares and hashes as bytes. The
 * destination is addr, or with name_len a name (a race by name's
 * HEY_HOST, folded by hey_cache_name()), addr then all zero. family
 * AF_UNSPEC: the TFO verdict of a network and port, for every
 * destination.
 */
struct hey_cache_key {
	u64 network;
	u8 addr[16];
	__be16 port;
	u16 family;
	u8 protocol;
	u8 name_len;		/* 0: keyed by addr */
	u8 pad[2];
	const char *name;	/* name_len bytes, no NUL; the caller's */
};

/* The bytes of a key that compare and hash as bytes. */
#define HEY_CACHE_KEY_FIXED offsetof(struct hey_cache_key, name)

/* An entry as the cache's users see it: a copy, never the live one. */
struct hey_cache_val {
	u8 result;		/* enum hey_cache_result */
	u32 successes;
	u32 failures;
	u32 error;		/* positive errno of the last failure */
	u32 handshake_us;	/* last */
	u32 srtt_us;		/* smoothed */
	u32 age_ms;		/* since the last update */
};

/* Per namespace: a hash of the entries and their least-recent-use order. */
struct hey_cache {
	spinlock_t lock;	/* guards all below */
	DECLARE_HASHTABLE(hash, 8);
	struct list_head lru;	/* least recently used first */
	u32 count;
	/* bumped on every change: dumps flag themselves inconsistent */
	u32 gen;
};

unsigned int hey_cache_name(char *dst, const char *name, unsigned int len);

void hey_cache_init(struct hey_cache *c);
void hey_cache_exit(struct hey_cache *c);

bool hey_cache_lookup(struct hey_net *hn, const struct hey_cache_key *key,
		      struct hey_cache_val *val);
bool hey_cache_record(struct hey_net *hn, const struct hey_cache_key *key,
		      u8 result, u32 error, u32 handshake_us,
		      struct hey_cache_val *was, bool tell);
u8 hey_cache_verdict(const struct hey_cache_val *val, bool by_name);
u8 hey_cache_hit(struct hey_net *hn, const struct hey_cache_key *key,
		 const struct hey_cache_val *was);
int hey_cache_set(struct hey_net *hn, const struct hey_cache_key *key,
		  const struct hey_cache_val *val);
int hey_cache_del(struct hey_net *hn, const struct hey_cache_key *key);
void hey_cache_flush(struct hey_net *hn, bool all, u64 network);
bool hey_cache_next(struct hey_net *hn, u64 *pos, bool all, u64 network,
		    struct hey_cache_key *key, char *name,
		    struct hey_cache_val *val);
u32 hey_cache_gen(struct hey_net *hn);

#endif /* _HEY_CACHE_H */
