/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "events" multicast group of the family: HEY_CMD_RACE_DONE and
 * HEY_CMD_CACHE_CHANGED, parsed with heynl_race_parse and
 * heynl_cache_entry_parse.
 */
#ifndef HEYNL_EVENTS_H
#define HEYNL_EVENTS_H

#include <stddef.h>

#include "heynl.h"

/*
 * Joins HEY_MCGRP_EVENTS with h's socket, which then carries events only
 * (heynl_request on it would see them). 0; -ENOENT when the module has
 * no such group; -EPERM without CAP_NET_ADMIN; another -errno.
 */
int heynl_events_join(struct heynl *h);

/*
 * Joins the family's multicast group named group (HEY_MCGRP_*), with
 * the errors of heynl_events_join, and makes the socket non-blocking.
 */
int heynl_group_join(struct heynl *h, const char *group);

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

/*
 * heynl_events_read for a socket that also sends requests without
 * waiting (the resolver's answers): each error the kernel sends back
 * goes to on_error(nlh, len, errno, arg), errno positive, the message
 * being len bytes at nlh. on_error may be NULL.
 */
int heynl_group_read(struct heynl *h,
		     int (*handler)(struct nl_msg *msg, void *arg),
		     void (*on_error)(const struct nlmsghdr *nlh, size_t len,
				      int err, void *arg),
		     void *arg);

#endif /* HEYNL_EVENTS_H */
