/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network identity: heyd follows links, addresses, routes and neighbours
 * over rtnetlink (libnl-route-3's cache manager), derives each
 * interface's network id from its default routers' link-layer addresses
 * and its IPv6 prefixes (netid_hash.h), and pushes it to the kernel with
 * HEY_CMD_SET_NETWORK at start, whenever it changes, and whenever the
 * module appears again. Loopback is left alone.
 *
 * An interface without a default router gets 0 (back to the kernel's
 * default id); one whose routers' link-layer addresses are not known yet
 * gets 0 too, unless the same routers had an id (it keeps it), and heyd
 * sends them an empty UDP datagram (port 9, discard) so that the kernel
 * resolves them.
 */
#ifndef HEYD_NETID_H
#define HEYD_NETID_H

#include <stdint.h>

/* The rtnetlink caches: 0, or -errno. */
int netid_init(void);
void netid_exit(void);

/* The socket to poll; netid_data_ready when it is readable. */
int netid_fd(void);
void netid_data_ready(void);

/* The module is there: pushes every id. Gone: forgets what was pushed. */
void netid_module_up(void);
void netid_module_down(void);

/* The next retry of unknown routers (ms, CLOCK_MONOTONIC) or -1. */
int64_t netid_deadline(void);
void netid_tick(int64_t now);

#endif /* HEYD_NETID_H */
