/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the resolver's callbacks reported, kept for the assertions of
 * heyd's unit tests (resolve_test.c, mdns_test.c): both kinds of path
 * report the same events (resolve.h).
 */
#ifndef HEYD_TESTS_EVENTS_H
#define HEYD_TESTS_EVENTS_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resolve.h"

struct rec {
	int type, status;
	bool final, cached;
	int family;
	uint32_t ttl;
	int n;
	char name[DNSNAME_BUF];
	struct resolve_addr addrs[RESOLVE_MAX_ADDRS];
	struct resolve_srv srvs[RESOLVE_MAX_SRV];
	char names[4][DNSNAME_BUF];
	char txt[4][64];
	bool has_srv;
	struct resolve_srv srv;
};

struct seen {
	struct rec ev[32];
	int n, done;
	int done_status;	/* the last DONE's */
};

static inline void record(const struct resolve_event *ev, void *arg)
{
	struct seen *s = arg;
	struct rec *r;

	if (ev->type == RESOLVE_EV_DONE) {
		s->done++;
		s->done_status = ev->status;
		return;
	}
	if (s->n == (int)(sizeof(s->ev) / sizeof(s->ev[0])))
		abort();
	r = &s->ev[s->n++];
	memset(r, 0, sizeof(*r));
	r->type = ev->type;
	r->status = ev->status;
	r->final = ev->final;
	r->cached = ev->cached;
	r->family = ev->family;
	r->ttl = ev->ttl;
	r->n = ev->n;
	snprintf(r->name, sizeof(r->name), "%s", ev->name);
	for (int i = 0; i < ev->n; i++) {
		if (ev->addrs)
			r->addrs[i] = ev->addrs[i];
		if (ev->srvs)
			r->srvs[i] = ev->srvs[i];
		if (ev->instances && i < 4)
			snprintf(r->names[i], DNSNAME_BUF, "%s",
				 ev->instances[i]);
		if (ev->txt && i < 4)
			snprintf(r->txt[i], 64, "%.*s", (int)ev->txt[i].len,
				 (const char *)ev->txt[i].data);
	}
	if (ev->srv) {
		r->has_srv = true;
		r->srv = *ev->srv;
	}
}

/* The event of type (and family, when not 0) for name; NULL if none. */
static inline const struct rec *find(const struct seen *s, int type,
				     int family, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (s->ev[i].type == type &&
		    (!family || s->ev[i].family == family) &&
		    (!name || !strcasecmp(s->ev[i].name, name)))
			return &s->ev[i];
	return NULL;
}

/* An IPv4 address reported, in host order. */
static inline uint32_t v4(const struct resolve_addr *a)
{
	uint32_t x;

	memcpy(&x, a->addr, 4);
	return ntohl(x);
}

#endif /* HEYD_TESTS_EVENTS_H */
