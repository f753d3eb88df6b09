/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_TFO_H
#define _HEY_TFO_H

#include <linux/types.h>

struct hey_net;

bool hey_tfo_negative_check(struct hey_net *hn, int ifindex, __be16 port);
void hey_tfo_negative_add(struct hey_net *hn, int ifindex, __be16 port);

#endif /* _HEY_TFO_H */
