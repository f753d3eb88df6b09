/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_PATHS_H
#define _HEY_PATHS_H

#include <net/net_namespace.h>
#include <uapi/linux/hey.h>

struct hey_order_item;

int hey_paths_collect(struct net *net, const struct hey_paths *policy,
		      int bound_ifindex, const struct hey_order_item *items,
		      int n, int *paths, int max);
int hey_paths_all(struct net *net, const struct hey_paths *policy,
		  int bound_ifindex, int *paths, int max);

#endif /* _HEY_PATHS_H */
