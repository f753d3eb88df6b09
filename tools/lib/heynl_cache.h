/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The history cache: HEY_CMD_GET_CACHE (dump), SET_CACHE, DEL_CACHE,
 * FLUSH_CACHE, and the entries of HEY_CMD_CACHE_CHANGED events.
 */
#ifndef HEYNL_CACHE_H
#define HEYNL_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/hey.h>

#include "heynl.h"

/*
 * One entry. The key is network, family (AF_UNSPEC: the TFO entry of
 * every destination, without addr), addr or name, port and protocol;
 * present says which of the other attributes are set
 * (HEYNL_BIT(HEY_A_CACHE_*)), both in what the kernel sent and in what
 * heynl_cache_set sends: HEY_A_CACHE_NAME for a name entry (family
 * AF_INET or AF_INET6, addr all zero), HEY_A_CACHE_ADDR for an address.
 */
struct heynl_cache_entry {
	uint32_t present;
	uint64_t network;
	uint16_t family;
	uint8_t addr[16];
	char name[HEY_MAX_HOST + 1];	/* NUL-terminated; "" for none */
	uint16_t port;		/* host order */
	uint8_t protocol;	/* enum hey_proto */
	uint8_t result;		/* enum hey_cache_result */
	uint32_t successes, failures, error, handshake_us, srtt_us, age_ms;
	uint8_t change;		/* events: enum hey_cache_change */
};

/* The key attributes, set in present by every parsed or built entry. */
#define HEYNL_CACHE_KEY (HEYNL_BIT(HEY_A_CACHE_NETWORK) | \
			 HEYNL_BIT(HEY_A_CACHE_FAMILY) | \
			 HEYNL_BIT(HEY_A_CACHE_PORT) | \
			 HEYNL_BIT(HEY_A_CACHE_PROTOCOL))

/*
 * An entry from a dump reply or an event. A FLUSHED event may come
 * without a key; anything else missing a key attribute or the result,
 * with a wrong size, with both or neither of addr and name (but for
 * AF_UNSPEC, which has neither), or with a name that is not a string of
 * 1 to HEY_MAX_HOST bytes, is -EPROTO.
 */
int heynl_cache_entry_parse(struct nl_msg *msg,
			    struct heynl_cache_entry *e);

/* Every entry, or those of one network: a vec of heynl_cache_entry. */
int heynl_cache_get(struct heynl *h, bool one_network, uint64_t network,
		    struct heynl_vec *entries);
/* Adds or replaces e (its key, result and the present counters). */
int heynl_cache_set(struct heynl *h, const struct heynl_cache_entry *e);
/* Deletes the entry of e's key. */
int heynl_cache_del(struct heynl *h, const struct heynl_cache_entry *e);
/* Deletes every entry, or those of one network. */
int heynl_cache_flush(struct heynl *h, bool one_network, uint64_t network);

/* The request attributes of e: exposed for the unit tests. */
int heynl_cache_put(struct nl_msg *msg, const struct heynl_cache_entry *e,
		    bool key_only);

#endif /* HEYNL_CACHE_H */
