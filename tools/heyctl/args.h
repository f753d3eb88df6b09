/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyctl's argument syntax, iproute2 style: protocol and interface
 * lists, the arguments of "cache show|flush" and the keywords of
 * "policy set". The
 * primitives (numbers, network ids, keyword pairs) are tools/lib/kwargs.h;
 * a cache entry's words, which are also the lines of a cache file, are
 * tools/lib/cacheline.h.
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

#include "cacheline.h"
#include "heynl_policy.h"
#include "kwargs.h"

/* "tcp,sctp": each protocol once, at most HEY_MAX_PROTOCOLS. */
int args_protocols(const char *s, uint8_t *order, unsigned int *n,
		   char *err);
/* "tcp,tfo" or "all" as bits 1 << enum hey_proto. */
int args_protocol_mask(const char *s, uint32_t *mask, char *err);
/* "eth0,wlan0" as ifindexes, or "none" for an empty list. */
int args_interfaces(const char *s, uint32_t *ifindex, unsigned int *n,
		    unsigned int max, char *err);

/*
 * "cache show" and "cache flush": nothing, or "network ID". one is set
 * when a network was named.
 */
int args_cache_network(int argc, char **argv, bool *one, uint64_t *network,
		       char *err);

/* The keywords of "policy set": at least one, each once. */
int args_policy(int argc, char **argv, struct heynl_policy *p, char *err);

#endif /* HEYCTL_ARGS_H */
