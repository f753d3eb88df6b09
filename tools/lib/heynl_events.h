/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "events" multicast group of the family: HEY_CMD_RACE_DONE and
 * HEY_CMD_CACHE_CHANGED, parsed with heynl_race_parse and
 * heynl_cache_entry_parse.
 */
#ifndef HEYNL_EVENTS_H
#define HEYNL_EVENTS_H

#include "heynl.h"

/*
 * Joins HEY_MCGRP_EVENTS with h's socket, which then carries events only
 * (heynl_request on it would see them). 0; -ENOENT when the module has
 * no such group; -EPERM without CAP_NET_ADMIN; another -errno.
 */
int heynl_events_join(struct heynl *h);

/* The socket to poll() for events. */
int heynl_events_fd(struct heynl *h);

/*
 * Reads the events queued (without blocking) and gives each to
 * handler(msg, arg), which returns 0 or a -errno that stops the reading.
 * Returns 0, the handler's error, -ENOBUFS when the socket overflowed
 * (events were lost; the next read goes on), or -EIO.
 */
int heynl_events_read(struct heynl *h,
		      int (*handler)(struct nl_msg *msg, void *arg),
		      void *arg);

#endif /* HEYNL_EVENTS_H */
