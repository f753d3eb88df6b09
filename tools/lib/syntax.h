/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numeric keywords of the "keyword value" syntax (kwargs.h), one
 * table per object, shared by the parsers (kwargs.c, cacheline.c,
 * heyctl's args.c) and the printers (cacheline.c, heyctl's show.c) so
 * that what "cache show" and "policy show" print is what "cache add" and
 * "policy set" take, and what a cache file holds: each keyword's word,
 * its JSON key, its netlink attribute and the uint32_t member of the
 * parsed object that holds it.
 */
#ifndef HEY_SYNTAX_H
#define HEY_SYNTAX_H

#include <stddef.h>
#include <stdint.h>

struct syntax_u32 {
	const char *word;	/* NULL ends a table */
	const char *json;
	int attr;
	size_t off;
};

/* struct heynl_cache_entry: successes failures handshake srtt age. */
extern const struct syntax_u32 syntax_cache_counters[];
/* struct heynl_policy: min-delay max-delay default-delay. */
extern const struct syntax_u32 syntax_policy_delays[];
/* struct heynl_policy: max-leaves max-races. */
extern const struct syntax_u32 syntax_policy_limits[];

/* The entry of word in t, or NULL. */
const struct syntax_u32 *syntax_find(const struct syntax_u32 *t,
				     const char *word);

static inline uint32_t *syntax_at(void *obj, const struct syntax_u32 *s)
{
	return (uint32_t *)((char *)obj + s->off);
}

static inline uint32_t syntax_get(const void *obj, const struct syntax_u32 *s)
{
	return *(const uint32_t *)((const char *)obj + s->off);
}

#endif /* HEY_SYNTAX_H */
