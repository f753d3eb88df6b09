/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence of the history cache: the saved cache goes into the kernel
 * whenever the module appears (heyd's start included), and the kernel's
 * cache goes to the file after changes (debounced), periodically and
 * when heyd ends. The file format is tools/lib/cachefile.h; a truncated
 * or corrupt file is reported and ignored whole.
 */
#ifndef HEYD_PERSIST_H
#define HEYD_PERSIST_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "heynl_cache.h"

struct persist_config {
	const char *path;		/* NULL: persistence off */
	unsigned int save_delay_ms;	/* after a change, at most this late */
	unsigned int interval_ms;	/* periodic save; 0: none */
};

void persist_init(const struct persist_config *cfg);

/* The module is there: loads the file into it. */
void persist_module_up(void);
/* The module is gone: nothing to save until it is back. */
void persist_module_down(void);

/* A cache-changed event (or lost events): a save is due soon. */
void persist_changed(void);

/* Saves now when the module is there (why: for the log). */
void persist_save(const char *why);

/* The next deadline (ms, CLOCK_MONOTONIC) or -1; tick runs what is due. */
int64_t persist_deadline(void);
void persist_tick(int64_t now);

/*
 * An entry saved at saved_at as of now: its age grown by the time
 * between (saturating; unchanged when saved_at is 0 or in the future).
 * Exposed for the unit tests.
 */
void persist_age(struct heynl_cache_entry *e, time_t saved_at, time_t now);

/*
 * Orders entries by key (network, family, address or name, port,
 * protocol).
 */
int persist_key_cmp(const void *a, const void *b);

#endif /* HEYD_PERSIST_H */
