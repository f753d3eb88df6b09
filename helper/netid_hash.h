/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A network's id from what identifies it: the link-layer addresses of
 * its default routers and the IPv6 prefixes on the link. Pure, so that
 * the unit tests check it; netid.c gathers the inputs from rtnetlink.
 */
#ifndef HEYD_NETID_HASH_H
#define HEYD_NETID_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NETID_MAX_ROUTERS 8
#define NETID_MAX_PREFIXES 16
#define NETID_MAX_LLADDR 32

struct netid_inputs {
	unsigned int n_routers, n_prefixes;
	struct {
		uint8_t len;
		uint8_t addr[NETID_MAX_LLADDR];
	} routers[NETID_MAX_ROUTERS];
	struct {
		uint8_t len;		/* prefix length, 1 to 128 */
		uint8_t addr[16];	/* bits past len are zero */
	} prefixes[NETID_MAX_PREFIXES];
};

/* A default router's link-layer address (1 to NETID_MAX_LLADDR bytes). */
void netid_add_router(struct netid_inputs *in, const uint8_t *lladdr,
		      size_t len);
/* An IPv6 prefix: the address's first len bits. */
void netid_add_prefix(struct netid_inputs *in, const uint8_t *addr,
		      unsigned int len);

/*
 * The id: 0 without a router (the interface keeps the kernel's default);
 * else non-zero with bit 63 clear, the same for the same sets of routers
 * and prefixes whatever their order or repetitions.
 */
uint64_t netid_hash(const struct netid_inputs *in);

#endif /* HEYD_NETID_HASH_H */
