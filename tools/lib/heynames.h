/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names heyctl shows and takes for hey's enums: protocols, race
 * states, leaf outcomes, flags and cache verdicts, cache results and
 * changes, racing modes, and errno values. One table each, used both ways
 * (value to name for output, name to value for arguments).
 */
#ifndef HEYNAMES_H
#define HEYNAMES_H

#include <stddef.h>
#include <stdint.h>

struct hey_name {
	unsigned int value;
	const char *name;
};

extern const struct hey_name hey_proto_names[];	/* tcp, tfo, sctp */
extern const struct hey_name hey_state_names[];	/* idle, racing, ... */
extern const struct hey_name hey_outcome_names[];	/* pending, won, ... */
extern const struct hey_name hey_leaf_flag_names[];	/* bits: syn_data, ... */
extern const struct hey_name hey_leaf_cache_names[];	/* none, good, slow */
extern const struct hey_name hey_result_names[];	/* success, failed, outrun */
extern const struct hey_name hey_change_names[];	/* updated, ... */
extern const struct hey_name hey_mode_names[];	/* delayed, failover, ... */

/* Tables end with a NULL name. NULL when value has no name. */
const char *hey_name_of(const struct hey_name *t, unsigned int value);
/* 0 and *value set, or -1 when name is not in the table. */
int hey_value_of(const struct hey_name *t, const char *name,
		 unsigned int *value);

/*
 * The name, or the number in buf when the value has none (a newer
 * kernel's): output never loses information.
 */
const char *hey_name_or_num(const struct hey_name *t, unsigned int value,
			    char *buf, size_t len);

/*
 * Bits of value named by t, comma separated, unknown bits as one hex
 * number, "" for none. Returns buf.
 */
const char *hey_flags_str(const struct hey_name *t, unsigned int value,
			  char *buf, size_t len);

/* "ECONNREFUSED"; a number in buf when the C library has no name. */
const char *hey_errno_name(int err, char *buf, size_t len);
/* "ECONNREFUSED" or "111" to 111; -1 for anything else (0 and above 4095). */
int hey_errno_parse(const char *s);

#define HEY_NAME_BUF 24

#endif /* HEYNAMES_H */
