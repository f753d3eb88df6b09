/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saved history caches: the files of "heyctl cache save" and "cache load"
 * and of heyd's persistence. One entry per line, in the words of
 * cacheline.h (what "heyctl cache show" prints), between a header and an
 * end line that counts and checksums what comes before it:
 *
 *   # hey history cache, version 2, saved 1764150000
 *   # each line: the arguments of heyctl cache add; the end line counts them
 *   network 0x8000000000000002 dst 10.9.9.9 port 443 proto tcp result success successes 3 failures 0 handshake 1203 srtt 1100 age 5400
 *   network 0x8000000000000002 name www.example.com family inet port 443 proto tcp result success successes 3 failures 0 handshake 1203 srtt 1100 age 5400
 *   # end: 2 entries, crc32 0x650cd56e
 *
 * Version 2 added name keys (races by name); a name is one word, a
 * space in it written "\032" and a backslash "\092". A version 1 file
 * (address keys only) reads as it did.
 * The crc32 (IEEE 802.3, as zlib's) is that of every byte before the end
 * line. "saved" is the time of the save, in seconds since the epoch.
 * Ages are as of the save.
 *
 * A file that starts with the header is a saved one: it must end with
 * its end line, whose count and checksum must match, else it is truncated
 * or corrupt and nothing of it is taken. A file without the header is
 * written by hand and read line by line (heyctl cache load takes it; heyd
 * does not). Blank lines and lines whose first word starts with '#' are
 * ignored.
 */
#ifndef HEY_CACHEFILE_H
#define HEY_CACHEFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "heynl.h"
#include "heynl_cache.h"

/* An entry of a file and the line it came from. */
struct cache_line {
	struct heynl_cache_entry e;
	unsigned int lineno;
};

/*
 * One line, modified in place: 1 and *e for an entry, 0 for a blank or
 * comment line, -EINVAL with the reason in err (ARGS_ERR_LEN).
 */
int cachefile_parse_line(char *line, struct heynl_cache_entry *e,
			 char *err);

/*
 * Every line of f into lines (a vec of struct cache_line). Problems are
 * reported on errf as "NAME:LINE: reason" or "NAME: reason". Returns 0
 * with every entry of the file in lines; -EINVAL when a line was bad, or
 * the file is truncated or corrupt, or (strict) is not a saved file: lines
 * is then empty, so that nothing of a bad file can be loaded; -errno when
 * reading failed. *saved_at (when set) gets the time of the save, or 0
 * for a file written by hand.
 */
int cachefile_read(FILE *f, const char *name, bool strict,
		   struct heynl_vec *lines, time_t *saved_at, FILE *errf);

/*
 * Writes entries (a vec of struct heynl_cache_entry) to path: into a new
 * file beside it, flushed to disk, then renamed over path and the
 * directory flushed, so that path holds the old or the new cache whatever
 * happens. 0 or -errno.
 */
int cachefile_write(const char *path, const struct heynl_vec *entries);

/* The crc32 of the end line: crc32(0, buf, len) starts one. */
uint32_t cachefile_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* HEY_CACHEFILE_H */
