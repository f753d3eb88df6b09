/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A history cache entry as words: what "heyctl cache add" takes, what
 * "heyctl cache show" prints, and a line of a cache file.
 *
 *   network 0x8000000000000002 dst 10.9.9.9 port 443 proto tcp result success successes 3 failures 0 handshake 1203 srtt 1100 age 5400
 *   network 0x8000000000000002 name www.example.com family inet6 port 443 proto tcp result outrun age 5400
 */
#ifndef HEY_CACHELINE_H
#define HEY_CACHELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "heynl_cache.h"

/*
 * "network ID dst ADDR|any port PORT proto tcp|tfo|sctp" or "network ID
 * name NAME family inet|inet6 port PORT proto tcp|tfo|sctp", then,
 * unless key_only, "result success|failed|outrun" and any of
 * "successes N", "failures N", "error ERRNO", "handshake US", "srtt US",
 * "age MS", in any order, each once. 0, or -EINVAL with the reason in
 * err (ARGS_ERR_LEN).
 */
int cacheline_parse(int argc, char **argv, bool key_only,
		    struct heynl_cache_entry *e, char *err);

/*
 * A name as one word: HEY_HOST's rules (at most HEY_MAX_HOST bytes, no
 * control character, labels of 1 to 63 bytes), with "\DDD" (a byte in
 * decimal) and "\X" (X itself) escapes, so that a space or a backslash
 * of a DNS-SD instance name fits a word; into name (HEY_MAX_HOST + 1
 * bytes) as the kernel keys it: ASCII letters in lower case, without a
 * final dot. 0, or -EINVAL with the reason in err (ARGS_ERR_LEN).
 */
int cacheline_name(const char *s, char *name, char *err);

/* A name as one word: a space is "\032", a backslash "\092". */
void cacheline_print_name(FILE *f, const char *name);

/* The entry in the syntax cacheline_parse takes, without a newline. */
void cacheline_print(FILE *f, const struct heynl_cache_entry *e);

/* The address alone: "10.9.9.9", "3fff:9::9", "any". */
const char *cacheline_addr(uint16_t family, const uint8_t *addr, char *buf,
			   size_t len);

#endif /* HEY_CACHELINE_H */
