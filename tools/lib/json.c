// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "json.h"

/*
 * The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
 * none. By hand: glibc's mbrtowc() depends on the locale, and heyctl's
 * JSON must be valid in the C locale too.
 */
static int utf8_len(const unsigned char *p)
{
	int n, i;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * A JSON string. Names from the kernel (HEY_HOST, DNS-SD instances) are
 * bytes: a byte that is not part of well-formed UTF-8 becomes U+FFFD, so
 * that the output stays valid JSON whatever the name holds.
 */
void json_print_string(FILE *f, const char *s)
{
	const unsigned char *p;
	int n;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p += n) {
		n = 1;
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				n = 1;
				break;
			}
			fwrite(p, 1, n, f);
		}
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	*j = (struct json){ .f = f };
}

static bool *level_used(struct json *j)
{
	return &j->used[j->depth <= JSON_MAX_DEPTH ? j->depth : JSON_MAX_DEPTH];
}

/* Before a value or a key: the comma, unless the value follows its key. */
static void json_sep(struct json *j)
{
	bool *used = level_used(j);

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (*used)
		fputc(',', j->f);
	*used = true;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->f);
	j->depth++;
	*level_used(j) = false;
}

static void json_close(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc(c, j->f);
}

void json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_print_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	json_sep(j);
	json_print_string(j->f, s);
}

void json_u64(struct json *j, uint64_t v)
{
	json_sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void json_s64(struct json *j, int64_t v)
{
	json_sep(j);
	fprintf(j->f, "%" PRId64, v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->f);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_s64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_s64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}
