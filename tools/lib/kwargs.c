// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heynl.h"
#include "kwargs.h"

int args_fail(int ret, char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ARGS_ERR_LEN, fmt, ap);
	va_end(ap);
	return ret;
}

int args_u64(const char *s, uint64_t max, uint64_t *v)
{
	const char *digits = "0123456789";
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = "0123456789abcdefABCDEF";
		s += 2;
	}
	/* strtoull would take a sign, spaces, and "0x" twice */
	if (!s[0] || s[strspn(s, digits)])
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (*end || errno || *v > max)
		return -EINVAL;
	return 0;
}

int args_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (args_u64(s, UINT32_MAX, &x))
		return -EINVAL;
	*v = x;
	return 0;
}

int args_network_id(const char *s, uint64_t *id, char *err)
{
	if (args_u64(s, UINT64_MAX, id) || !*id)
		return args_fail(-EINVAL, err,
				 "network id '%s': a number above 0, decimal or 0x hex",
				 s);
	return 0;
}

int args_split(char *line, char **words, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	tok = strtok_r(line, " \t", &save);
	if (tok && tok[0] == '#')
		return 0;
	for (; tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -EINVAL;
		words[n++] = tok;
	}
	return n;
}

/* The keyword of word in NULL-ended tables ts of keywords, or NULL. */
static const struct args_keyword *
keyword_find(const struct args_keyword *const *ts, const char *word)
{
	const struct args_keyword *t;

	for (; *ts; ts++)
		for (t = *ts; t->word; t++)
			if (!strcmp(t->word, word))
				return t;
	return NULL;
}

const char *args_keyword_word(const struct args_keyword *const *ts, int attr)
{
	const struct args_keyword *t;

	for (; *ts; ts++)
		for (t = *ts; t->word; t++)
			if (t->attr == attr)
				return t->word;
	return "?";
}

/* A numeric keyword of table t into obj, marking its attribute. */
static int keyword_u32(const struct syntax_u32 *kw, const char *s, void *obj,
		       uint32_t *present, char *err)
{
	if (args_u32(s, syntax_at(obj, kw)))
		return args_fail(-EINVAL, err,
				 "%s '%s': a number up to 4294967295",
				 kw->word, s);
	*present |= HEYNL_BIT(kw->attr);
	return 0;
}

int args_keyword_pairs(int argc, char **argv,
		       const struct args_keyword *const *words,
		       const struct syntax_u32 *const *nums, void *obj,
		       uint32_t *present,
		       int (*value)(const struct args_keyword *kw,
				    const char *s, void *obj, char *err),
		       char *err)
{
	const struct syntax_u32 *num = NULL;
	const struct args_keyword *kw;
	int i, j, attr, ret;

	for (i = 0; i < argc; i += 2) {
		kw = keyword_find(words, argv[i]);
		for (j = 0, num = NULL; !kw && !num && nums && nums[j]; j++)
			num = syntax_find(nums[j], argv[i]);
		if (!kw && !num)
			return args_fail(-EINVAL, err, "unknown keyword '%s'",
					 argv[i]);
		attr = kw ? kw->attr : num->attr;
		if (*present & HEYNL_BIT(attr))
			return args_fail(-EINVAL, err, "'%s' twice", argv[i]);
		if (i + 1 == argc)
			return args_fail(-EINVAL, err, "'%s' needs a value",
					 argv[i]);
		if (num) {
			ret = keyword_u32(num, argv[i + 1], obj, present, err);
		} else {
			ret = value(kw, argv[i + 1], obj, err);
			*present |= HEYNL_BIT(attr);
		}
		if (ret)
			return ret;
	}
	return 0;
}
