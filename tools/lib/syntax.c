// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <linux/hey.h>

#include "heynl_cache.h"
#include "heynl_policy.h"
#include "syntax.h"

#define CACHE(word, json, attr, member) \
	{ word, json, attr, offsetof(struct heynl_cache_entry, member) }
#define POLICY(word, json, attr, member) \
	{ word, json, attr, offsetof(struct heynl_policy, member) }

const struct syntax_u32 syntax_cache_counters[] = {
	CACHE("successes", "successes", HEY_A_CACHE_SUCCESSES, successes),
	CACHE("failures", "failures", HEY_A_CACHE_FAILURES, failures),
	CACHE("handshake", "handshake_us", HEY_A_CACHE_HANDSHAKE_US,
	      handshake_us),
	CACHE("srtt", "srtt_us", HEY_A_CACHE_SRTT_US, srtt_us),
	CACHE("age", "age_ms", HEY_A_CACHE_AGE_MS, age_ms),
	{ NULL, NULL, 0, 0 },
};

const struct syntax_u32 syntax_policy_delays[] = {
	POLICY("min-delay", "min_delay_ms", HEY_A_POLICY_MIN_DELAY_MS,
	       min_delay_ms),
	POLICY("max-delay", "max_delay_ms", HEY_A_POLICY_MAX_DELAY_MS,
	       max_delay_ms),
	POLICY("default-delay", "default_delay_ms",
	       HEY_A_POLICY_DEFAULT_DELAY_MS, default_delay_ms),
	{ NULL, NULL, 0, 0 },
};

const struct syntax_u32 syntax_policy_limits[] = {
	POLICY("max-leaves", "max_leaves", HEY_A_POLICY_MAX_LEAVES,
	       max_leaves),
	POLICY("max-races", "max_races", HEY_A_POLICY_MAX_RACES, max_races),
	{ NULL, NULL, 0, 0 },
};

const struct syntax_u32 *syntax_find(const struct syntax_u32 *t,
				     const char *word)
{
	for (; t->word; t++)
		if (!strcmp(t->word, word))
			return t;
	return NULL;
}
