/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finished races: the HEY_CMD_GET_RACES dump and HEY_CMD_RACE_DONE
 * events, parsed into structs; and a socket's HEY_INFO in the same shape,
 * so that one formatter shows both.
 */
#ifndef HEYNL_RACES_H
#define HEYNL_RACES_H

#include <stdint.h>

#include "heynl.h"

struct heynl_leaf {
	uint32_t present;	/* HEYNL_BIT(HEY_A_LEAF_*) */
	uint32_t ifindex;
	uint64_t network;
	uint8_t protocol;	/* enum hey_proto */
	uint16_t family;	/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;		/* host order */
	uint8_t outcome;	/* enum hey_outcome */
	uint32_t error;		/* positive errno */
	uint16_t flags;		/* enum hey_leaf_flags */
	uint32_t start_us, end_us;
	uint8_t cache;		/* enum hey_leaf_cache */
};

struct heynl_race {
	uint32_t present;	/* HEYNL_BIT(HEY_A_RACE_*) */
	uint64_t id, age_ms;
	uint8_t state;		/* enum hey_state */
	uint32_t error, winner, connect_us, early_data, pruned;
	unsigned int n_leaves;
	struct heynl_leaf leaves[HEY_MAX_LEAVES];
};

/*
 * A race from a genl message (a dump reply or a HEY_CMD_RACE_DONE event):
 * 0, or -EPROTO when it is malformed (a wrong size, a missing id, state
 * or leaf key, more than HEY_MAX_LEAVES leaves).
 */
int heynl_race_parse(struct nl_msg *msg, struct heynl_race *race);

/* The race log of the namespace, oldest first: a vec of struct heynl_race. */
int heynl_races_get(struct heynl *h, struct heynl_vec *races);

/* A HEY_INFO leaf as a dumped one (no network id, no cache verdict). */
void heynl_leaf_from_info(const struct hey_leaf_info *li,
			  struct heynl_leaf *leaf);
/* A whole HEY_INFO; the race has no id and no age. */
void heynl_race_from_info(const struct hey_info *info,
			  struct heynl_race *race);

#endif /* HEYNL_RACES_H */
