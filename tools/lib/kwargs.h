/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "keyword value" argument syntax, iproute2 style, that heyctl's
 * commands and the lines of a cache file share: numbers, network ids,
 * splitting a line into words, and walking keyword pairs.
 *
 * The parsers return 0 or -EINVAL with the reason in err (ARGS_ERR_LEN).
 */
#ifndef HEY_KWARGS_H
#define HEY_KWARGS_H

#include <stdint.h>

#include "syntax.h"

#define ARGS_ERR_LEN 128

/* Formats the reason into err (ARGS_ERR_LEN) and returns ret. */
int args_fail(int ret, char *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Decimal, or hex after 0x; the whole string, within max. */
int args_u64(const char *s, uint64_t max, uint64_t *v);
int args_u32(const char *s, uint32_t *v);

/* A network id as userspace may set it: 1 .. HEY_NETWORK_DEFAULT - 1. */
int args_network_id(const char *s, uint64_t *id, char *err);

/*
 * A line split into words in place: at most max, else -EINVAL. A line
 * whose first word starts with '#' has none.
 */
int args_split(char *line, char **words, int max);

/* A keyword parsed by a function of its own: its word and attribute. */
struct args_keyword {
	const char *word;	/* NULL ends a table */
	int attr;
};

/* The word of attr in NULL-ended tables ts of keywords, or "?". */
const char *args_keyword_word(const struct args_keyword *const *ts,
			      int attr);

/*
 * Walks "keyword value" pairs: each keyword once, with a value; numeric
 * ones (in the NULL-ended list of tables nums) go into obj, those of
 * words to value(kw, s, obj, err). present collects their attributes
 * (HEYNL_BIT).
 */
int args_keyword_pairs(int argc, char **argv,
		       const struct args_keyword *const *words,
		       const struct syntax_u32 *const *nums, void *obj,
		       uint32_t *present,
		       int (*value)(const struct args_keyword *kw,
				    const char *s, void *obj, char *err),
		       char *err);

#endif /* HEY_KWARGS_H */
