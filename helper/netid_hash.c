// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include <linux/hey.h>

#include "netid_hash.h"

void netid_add_router(struct netid_inputs *in, const uint8_t *lladdr,
		      size_t len)
{
	if (in->n_routers == NETID_MAX_ROUTERS || !len ||
	    len > NETID_MAX_LLADDR)
		return;
	in->routers[in->n_routers].len = len;
	memset(in->routers[in->n_routers].addr, 0, NETID_MAX_LLADDR);
	memcpy(in->routers[in->n_routers].addr, lladdr, len);
	in->n_routers++;
}

void netid_add_prefix(struct netid_inputs *in, const uint8_t *addr,
		      unsigned int len)
{
	uint8_t *p;
	unsigned int i;

	if (in->n_prefixes == NETID_MAX_PREFIXES || !len || len > 128)
		return;
	p = in->prefixes[in->n_prefixes].addr;
	memcpy(p, addr, 16);
	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		p[i] &= len > 8 * i ? (uint8_t)(0xff << (8 - (len - 8 * i))) : 0;
	}
	in->prefixes[in->n_prefixes].len = len;
	in->n_prefixes++;
}

static int router_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(((struct netid_inputs *)0)->routers[0]));
}

static int prefix_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(((struct netid_inputs *)0)->prefixes[0]));
}

/* FNV-1a, 64 bits. */
static uint64_t fnv(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Sorts n elements of size bytes and drops repeats: the count left. */
static unsigned int sort_unique(void *v, unsigned int n, size_t size,
				int (*cmp)(const void *, const void *))
{
	unsigned int i, out = 0;
	char *e = v;

	qsort(v, n, size, cmp);
	for (i = 0; i < n; i++) {
		if (out && !cmp(e + (out - 1) * size, e + i * size))
			continue;
		if (out != i)
			memcpy(e + out * size, e + i * size, size);
		out++;
	}
	return out;
}

uint64_t netid_hash(const struct netid_inputs *in)
{
	struct netid_inputs s = *in;
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned int i;
	uint8_t tag;

	if (!s.n_routers)
		return 0;
	s.n_routers = sort_unique(s.routers, s.n_routers, sizeof(s.routers[0]),
				  router_cmp);
	s.n_prefixes = sort_unique(s.prefixes, s.n_prefixes,
				   sizeof(s.prefixes[0]), prefix_cmp);
	h = fnv(h, "hey network id v1", 17);
	for (i = 0; i < s.n_routers; i++) {
		tag = 'R';
		h = fnv(h, &tag, 1);
		h = fnv(h, &s.routers[i].len, 1);
		h = fnv(h, s.routers[i].addr, s.routers[i].len);
	}
	for (i = 0; i < s.n_prefixes; i++) {
		tag = 'P';
		h = fnv(h, &tag, 1);
		h = fnv(h, &s.prefixes[i].len, 1);
		h = fnv(h, s.prefixes[i].addr, 16);
	}
	/* FNV's high bits mix poorly: splitmix64's finalizer */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	h &= ~HEY_NETWORK_DEFAULT;
	return h ? h : 1;
}
