/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyctl's output: text and JSON (-j) for every object, written to a
 * stream so that the unit tests can compare what comes out.
 */
#ifndef HEYCTL_SHOW_H
#define HEYCTL_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "heynl.h"
#include "heynl_cache.h"
#include "heynl_network.h"
#include "heynl_policy.h"
#include "heynl_races.h"
#include "json.h"

/* "10.9.9.9:8080", "[3fff:9::9]:8080"; buf of SHOW_ENDPOINT_LEN. */
#define SHOW_ENDPOINT_LEN 64
const char *show_endpoint(uint16_t family, const uint8_t *addr,
			  uint16_t port, char *buf);

/* The interface's name, "if7" when it has none now, "-" for 0. */
const char *show_ifname(uint32_t ifindex, char *buf, size_t len);

/*
 * A race: a header line, then one line per leaf with eleven fields,
 * none empty ("-"): index, interface, network id, protocol, endpoint,
 * start and end offsets in ms, outcome, errno name, flags, cache verdict.
 */
void show_race_text(FILE *f, const struct heynl_race *race);
void show_race_json(struct json *j, const struct heynl_race *race);
/* The last n races of a vec of struct heynl_race (n 0: all). */
void show_races(FILE *f, const struct heynl_vec *races, size_t last,
		bool json);

/* A cache entry's text is cacheline_print (tools/lib/cacheline.h). */
void show_cache_entry_json(struct json *j, const struct heynl_cache_entry *e);
/* A vec of struct heynl_cache_entry, one per line or a JSON array. */
void show_cache(FILE *f, const struct heynl_vec *entries, bool json);

void show_policy(FILE *f, const struct heynl_policy *p, bool json);

/* A vec of struct heynl_network. */
void show_networks(FILE *f, const struct heynl_vec *networks, bool json);

/* Monitor: one line per event. */
void show_event_race(FILE *f, const struct heynl_race *race, bool json);
void show_event_cache(FILE *f, const struct heynl_cache_entry *e,
		      bool json);

#endif /* HEYCTL_SHOW_H */
