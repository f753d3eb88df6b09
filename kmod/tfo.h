/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_TFO_H
#define _HEY_TFO_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct hey_net;

/*
 * TFO negative responses, remembered per path and remote port (RFC 7413
 * section 4.1.3.1). A small fixed table per namespace; the history cache
 * will take this over.
 */
#define HEY_TFO_NEGATIVE_SLOTS 64

struct hey_tfo_negative {
	unsigned long expires;	/* jiffies; 0: free slot */
	int ifindex;
	__be16 port;
};

struct hey_tfo_table {
	spinlock_t lock;	/* guards slot[] */
	struct hey_tfo_negative slot[HEY_TFO_NEGATIVE_SLOTS];
};

void hey_tfo_table_init(struct hey_tfo_table *t);
bool hey_tfo_negative_check(struct hey_net *hn, int ifindex, __be16 port);
void hey_tfo_negative_add(struct hey_net *hn, int ifindex, __be16 port);

#endif /* _HEY_TFO_H */
