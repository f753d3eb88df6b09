/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake DNS servers of heyd's unit tests (resolve_test.c,
 * mdns_test.c): their sockets on the loopback interface, and their
 * answers built by hand, bad ones included, which heyd itself never
 * does (it parses with c-ares).
 */
#ifndef HEYD_TESTS_DNSWIRE_H
#define HEYD_TESTS_DNSWIRE_H

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct wire {
	unsigned char b[1500];
	size_t n;
};

static inline void put8(struct wire *w, unsigned int v)
{
	if (w->n < sizeof(w->b))
		w->b[w->n++] = v;
}

static inline void put16(struct wire *w, unsigned int v)
{
	put8(w, v >> 8);
	put8(w, v);
}

static inline void put32(struct wire *w, uint32_t v)
{
	put16(w, v >> 16);
	put16(w, v);
}

/* "a.b\.c.d": labels, a backslash escaping the next character */
static inline void put_name(struct wire *w, const char *name)
{
	while (*name) {
		size_t len_at = w->n;
		int len = 0;

		put8(w, 0);
		for (; *name && *name != '.'; name++, len++) {
			if (*name == '\\' && name[1])
				name++;
			put8(w, *name);
		}
		w->b[len_at] = len;
		if (*name == '.')
			name++;
	}
	put8(w, 0);
}

/* The length of the name in p[0..len) (no compression); 0 when bad. */
static inline size_t query_name(const unsigned char *p, size_t len, char *out,
				size_t outsz)
{
	size_t i = 0, o = 0;

	while (i < len && p[i]) {
		unsigned int l = p[i++];

		if (l > 63 || i + l > len || o + l + 2 > outsz)
			return 0;
		if (o)
			out[o++] = '.';
		memcpy(out + o, p + i, l);
		o += l;
		i += l;
	}
	out[o] = 0;
	return i < len ? i + 1 : 0;
}

/* A record of a fake server's table. */
struct rr {
	int type;
	uint32_t ttl;
	const char *addr;	/* A, AAAA */
	const char *target;	/* PTR, SRV */
	uint16_t prio, weight, port;
	const char *txt[3];
	const char *owner;	/* NULL: the question's name */
};

/*
 * rr, of class (the top bit is mDNS's cache-flush), its PTR or SRV
 * target a pointer to itself when target_loop.
 */
static inline void put_rr(struct wire *w, const struct rr *rr,
			  unsigned int class, bool target_loop)
{
	size_t rdlen_at;

	if (rr->owner)
		put_name(w, rr->owner);
	else
		put16(w, 0xc00c);	/* the question's name */
	put16(w, rr->type);
	put16(w, class);
	put32(w, rr->ttl);
	rdlen_at = w->n;
	put16(w, 0);
	switch (rr->type) {
	case ns_t_a:
		inet_pton(AF_INET, rr->addr, w->b + w->n);
		w->n += 4;
		break;
	case ns_t_aaaa:
		inet_pton(AF_INET6, rr->addr, w->b + w->n);
		w->n += 16;
		break;
	case ns_t_srv:
		put16(w, rr->prio);
		put16(w, rr->weight);
		put16(w, rr->port);
		/* fall through */
	case ns_t_ptr:
		if (target_loop)
			put16(w, 0xc000 | w->n);
		else
			put_name(w, rr->target);
		break;
	case ns_t_txt:
		for (int i = 0; i < 3 && rr->txt[i]; i++) {
			put8(w, strlen(rr->txt[i]));
			memcpy(w->b + w->n, rr->txt[i], strlen(rr->txt[i]));
			w->n += strlen(rr->txt[i]);
		}
		break;
	}
	w->b[rdlen_at] = (w->n - rdlen_at - 2) >> 8;
	w->b[rdlen_at + 1] = w->n - rdlen_at - 2;
}

/* The malformations both fake servers make of an answer. */
enum spoil {
	SPOIL_TRUNCATE,		/* cut inside the first record */
	SPOIL_HUGE_ANCOUNT,	/* ancount 65535 */
	SPOIL_OWNER_LOOP,	/* the first record's owner points at itself */
};

/* Spoils the answer in w, whose first record starts at first_rr. */
static inline void spoil(struct wire *w, size_t first_rr, enum spoil how)
{
	switch (how) {
	case SPOIL_TRUNCATE:
		w->n = first_rr + 5;
		break;
	case SPOIL_HUGE_ANCOUNT:
		w->b[6] = w->b[7] = 0xff;
		break;
	case SPOIL_OWNER_LOOP:
		w->b[first_rr] = 0xc0 | first_rr >> 8;
		w->b[first_rr + 1] = first_rr;
		break;
	}
}

/*
 * A non-blocking UDP socket on 127.0.0.1 or ::1 (IPv6 only) and *port
 * (0: any; the port taken is written back), or -1.
 */
static inline int loopback_socket(int family, int *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s->sin_port = htons(*port);
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;
		int one = 1;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		s->sin6_family = AF_INET6;
		s->sin6_addr = in6addr_loopback;
		s->sin6_port = htons(*port);
		sl = sizeof(*s);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ?
		      ((struct sockaddr_in *)&ss)->sin_port :
		      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

#endif /* HEYD_TESTS_DNSWIRE_H */
