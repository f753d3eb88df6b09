/* SPDX-License-Identifier: GPL-2.0 */
/* "heyctl monitor": the family's events, one line each. */
#ifndef HEYCTL_MONITOR_H
#define HEYCTL_MONITOR_H

#include <stdbool.h>

/*
 * Prints every HEY_CMD_RACE_DONE and HEY_CMD_CACHE_CHANGED event on
 * stdout, flushed after each, until SIGINT or SIGTERM. Returns the exit
 * status: 0 after a signal, 1 after an error (reported on stderr).
 */
int monitor_run(bool json);

#endif /* HEYCTL_MONITOR_H */
