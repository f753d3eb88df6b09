/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_NETWORK_H
#define _HEY_NETWORK_H

#include <linux/types.h>

struct hey_net;

u64 hey_network_id(struct hey_net *hn, int ifindex);
int hey_network_set(struct hey_net *hn, int ifindex, u64 id);
u32 hey_network_gen(struct hey_net *hn);

int hey_network_init(void);
void hey_network_exit(void);

#endif /* _HEY_NETWORK_H */
