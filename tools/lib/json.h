/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal JSON output for heyctl -j. Written by hand because the output is
 * a handful of small objects and arrays: a JSON library would be a
 * dependency for a hundred lines of commas and escaping.
 *
 * A struct json writes one value (an object, an array, a scalar) to a
 * stream, compactly, and places the commas:
 *
 *	struct json j;
 *
 *	json_init(&j, stdout);
 *	json_object_begin(&j);
 *	json_kv_u64(&j, "id", 7);
 *	json_key(&j, "leaves");
 *	json_array_begin(&j);
 *	...
 *	json_array_end(&j);
 *	json_object_end(&j);		// {"id":7,"leaves":[...]}
 *
 * Nesting deeper than JSON_MAX_DEPTH is a bug of the caller: the extra
 * levels lose their commas, nothing worse.
 */
#ifndef HEY_JSON_H
#define HEY_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	int depth;
	bool after_key;			/* the next value follows "key": */
	bool used[JSON_MAX_DEPTH + 1];	/* the level has a value already */
};

/* Writes s as a JSON string, quotes included, escaping per RFC 8259. */
void json_print_string(FILE *f, const char *s);

void json_init(struct json *j, FILE *f);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* The key of the next value, inside an object. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_s64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key and value in one call. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_s64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);

#endif /* HEY_JSON_H */
