/* SPDX-License-Identifier: GPL-2.0 */
/* The namespace's racing defaults: HEY_CMD_GET_POLICY and SET_POLICY. */
#ifndef HEYNL_POLICY_H
#define HEYNL_POLICY_H

#include <stdint.h>

#include "heynl.h"

/* Interfaces in PREFER or EXCLUDE that heynl keeps. */
#define HEYNL_POLICY_MAX_IFS 64

/*
 * present says which attributes came (GET) or are to be sent (SET):
 * HEYNL_BIT(HEY_A_POLICY_*). A present PREFER or EXCLUDE with no
 * interface clears the list.
 */
struct heynl_policy {
	uint32_t present;
	uint32_t mode;		/* enum hey_race_mode */
	uint32_t min_delay_ms, max_delay_ms, default_delay_ms;
	unsigned int n_protocols;
	uint8_t protocols[HEY_MAX_PROTOCOLS];	/* enum hey_proto */
	uint32_t allowed;	/* bits 1 << enum hey_proto */
	unsigned int n_prefer, n_exclude;
	uint32_t prefer[HEYNL_POLICY_MAX_IFS];
	uint32_t exclude[HEYNL_POLICY_MAX_IFS];
	uint32_t max_leaves, max_races;
};

/* A GET_POLICY reply: 0 or -EPROTO. */
int heynl_policy_parse(struct nl_msg *msg, struct heynl_policy *p);
/* The request attributes of p's present members. */
int heynl_policy_put(struct nl_msg *msg, const struct heynl_policy *p);

int heynl_policy_get(struct heynl *h, struct heynl_policy *p);
int heynl_policy_set(struct heynl *h, const struct heynl_policy *p);

#endif /* HEYNL_POLICY_H */
