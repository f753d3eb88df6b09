/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyctl's argument syntax, iproute2 style: numbers, network ids,
 * protocol and interface lists, and the keyword lists of "cache add"
 * (which is also the line format of "cache save" files) and "policy set".
 *
 * The parsers return 0; -EINVAL for a usage error (the caller exits 2);
 * or -ENODEV for an interface that does not exist (exit 1). Either way
 * err says what is wrong.
 */
#ifndef HEYCTL_ARGS_H
#define HEYCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heynl_cache.h"
#include "heynl_policy.h"

#define ARGS_ERR_LEN 128

/* Decimal, or hex after 0x; the whole string, within max. */
int args_u64(const char *s, uint64_t max, uint64_t *v);
int args_u32(const char *s, uint32_t *v);

/* A network id as userspace may set it: 1 .. HEY_NETWORK_DEFAULT - 1. */
int args_network_id(const char *s, uint64_t *id, char *err);

/* "tcp,sctp": each protocol once, at most HEY_MAX_PROTOCOLS. */
int args_protocols(const char *s, uint8_t *order, unsigned int *n,
		   char *err);
/* "tcp,tfo" or "all" as bits 1 << enum hey_proto. */
int args_protocol_mask(const char *s, uint32_t *mask, char *err);
/* "eth0,wlan0" as ifindexes, or "none" for an empty list. */
int args_interfaces(const char *s, uint32_t *ifindex, unsigned int *n,
		    unsigned int max, char *err);

/*
 * "network ID dst ADDR|any port PORT proto tcp|tfo|sctp", then, unless
 * key_only, "result success|failed|outrun" and any of "successes N",
 * "failures N", "error ERRNO", "handshake US", "srtt US", "age MS", in
 * any order, each once.
 */
int args_cache_entry(int argc, char **argv, bool key_only,
		     struct heynl_cache_entry *e, char *err);

/*
 * "cache show" and "cache flush": nothing, or "network ID". one is set
 * when a network was named.
 */
int args_cache_network(int argc, char **argv, bool *one, uint64_t *network,
		       char *err);

/* The keywords of "policy set": at least one, each once. */
int args_policy(int argc, char **argv, struct heynl_policy *p, char *err);

/* A line split into words in place: at most max, else -EINVAL. */
int args_split(char *line, char **words, int max);

#endif /* HEYCTL_ARGS_H */
