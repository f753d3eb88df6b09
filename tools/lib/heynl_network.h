/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network ids of interfaces: HEY_CMD_GET_NETWORK (one interface, or a
 * dump of all) and HEY_CMD_SET_NETWORK.
 */
#ifndef HEYNL_NETWORK_H
#define HEYNL_NETWORK_H

#include <net/if.h>
#include <stdint.h>

#include "heynl.h"

struct heynl_network {
	uint32_t present;	/* HEYNL_BIT(HEY_A_NETWORK_*) */
	uint32_t ifindex;
	uint64_t id;
	char ifname[IF_NAMESIZE];	/* "" when the kernel sent none */
};

/* A reply: 0, or -EPROTO without ifindex and id or with a wrong size. */
int heynl_network_parse(struct nl_msg *msg, struct heynl_network *n);

int heynl_network_get(struct heynl *h, uint32_t ifindex,
		      struct heynl_network *n);
/* Every interface of the namespace: a vec of struct heynl_network. */
int heynl_network_dump(struct heynl *h, struct heynl_vec *networks);
/* id 0: back to the default id. */
int heynl_network_set(struct heynl *h, uint32_t ifindex, uint64_t id);

#endif /* HEYNL_NETWORK_H */
