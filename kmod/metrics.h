/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_METRICS_H
#define _HEY_METRICS_H

#include <linux/types.h>

struct hey_order_item;
struct net;
struct socket;

struct socket *hey_metrics_open(struct net *net);
u32 hey_metrics_expected_us(struct socket *sock,
			    const struct hey_order_item *item);
void hey_metrics_close(struct socket *sock);

#endif /* _HEY_METRICS_H */
