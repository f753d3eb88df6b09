/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "heyctl cache save" and "cache load" files. One entry per line, in the
 * syntax of the arguments of "heyctl cache add" (what "cache show"
 * prints):
 *
 *   network 0x8000000000000002 dst 10.9.9.9 port 443 proto tcp result success successes 3 failures 0 handshake 1203 srtt 1100 age 5400
 *
 * Blank lines and lines whose first word starts with '#' are ignored.
 * Ages are as of the save: a loaded entry is as old as it was then.
 */
#ifndef HEYCTL_CACHEFILE_H
#define HEYCTL_CACHEFILE_H

#include <stdio.h>

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
 * Every line of f into lines (a vec of struct cache_line), each bad one
 * reported on errf as "NAME:LINE: reason". Returns 0; -EINVAL when a line
 * was bad (lines then holds the good ones); -errno when reading failed.
 */
int cachefile_read(FILE *f, const char *name, struct heynl_vec *lines,
		   FILE *errf);

/*
 * Writes entries (a vec of struct heynl_cache_entry) to path: into a new
 * file beside it, flushed to disk, then renamed over path, so that path
 * holds the old or the new cache whatever happens. 0 or -errno.
 */
int cachefile_write(const char *path, const struct heynl_vec *entries);

#endif /* HEYCTL_CACHEFILE_H */
