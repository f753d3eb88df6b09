// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of heyd's resolver (helper/resolve.c, helper/dnsname.c), run
 * on the host under ASan and UBSan. A fake DNS server in the test process,
 * on 127.0.0.1 and an ephemeral UDP port, answers from a table; a path's
 * channel is pointed at it (never bound to a device) and driven by a
 * poll() loop through resolve_fds() and resolve_process_fd(), as heyd's
 * loop will. The malformed answers are built by hand here, for the fake
 * server only: the resolver parses with c-ares.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "dnsname.h"
#include "resolve.h"
#include "dnswire.h"
#include "events.h"

/* ---- the fake server's table ------------------------------------------ */

enum mangle {
	M_NONE,
	M_TRUNCATE,	/* cut inside the first answer record */
	M_HUGE_ANCOUNT,	/* ancount 65535, one record */
	M_OWNER_LOOP,	/* the first record's owner points at itself */
	M_TARGET_LOOP,	/* the first record's rdata name points at itself */
	M_SILENT,	/* no answer at all */
};

struct zone {
	const char *qname;
	int qtype;
	int rcode;
	enum mangle mangle;
	struct rr rrs[3];
};

#define LONG_LABEL "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_NAME LONG_LABEL "." LONG_LABEL "." LONG_LABEL "." LONG_LABEL ".com"

static const struct zone zone[] = {
	{ "www.example.com", ns_t_aaaa, 0, M_NONE, {
		{ ns_t_aaaa, 300, .addr = "2001:db8::1" },
		{ ns_t_aaaa, 200, .addr = "2001:db8::2" } } },
	{ "www.example.com", ns_t_a, 0, M_NONE, {
		{ ns_t_a, 60, .addr = "192.0.2.1" } } },
	{ "v4only.example.com", ns_t_a, 0, M_NONE, {
		{ ns_t_a, 30, .addr = "192.0.2.7" } } },
	{ "v4only.example.com", ns_t_aaaa, 0, M_NONE, { { 0 } } },
	{ "nx.example.com", ns_t_a, ns_r_nxdomain, M_NONE, { { 0 } } },
	{ "nx.example.com", ns_t_aaaa, ns_r_nxdomain, M_NONE, { { 0 } } },
	{ "broken.example.com", ns_t_a, ns_r_servfail, M_NONE, { { 0 } } },
	{ "broken.example.com", ns_t_aaaa, ns_r_servfail, M_NONE, { { 0 } } },
	{ "_http._tcp.example.com", ns_t_ptr, 0, M_NONE, {
		{ ns_t_ptr, 120, .target = "Alpha._http._tcp.example.com" },
		{ ns_t_ptr, 90, .target = "My\\.Printer._http._tcp.example.com" },
		{ ns_t_ptr, 150, .target = "Caf\xc3\xa9 Two._http._tcp.example.com" } } },
	{ "alpha._http._tcp.example.com", ns_t_srv, 0, M_NONE, {
		{ ns_t_srv, 100, .target = "host1.example.com", .prio = 10,
		  .weight = 5, .port = 8080 },
		{ ns_t_srv, 100, .target = "host2.example.com", .prio = 0,
		  .weight = 1, .port = 8443 } } },
	{ "alpha._http._tcp.example.com", ns_t_txt, 0, M_NONE, {
		{ ns_t_txt, 100, .txt = { "path=/", "v=1" } } } },
	{ "host1.example.com", ns_t_a, 0, M_NONE, {
		{ ns_t_a, 50, .addr = "192.0.2.11" } } },
	{ "host1.example.com", ns_t_aaaa, 0, M_NONE, {
		{ ns_t_aaaa, 50, .addr = "2001:db8::11" } } },
	{ "host2.example.com", ns_t_a, 0, M_NONE, {
		{ ns_t_a, 50, .addr = "192.0.2.12" } } },
	{ "host2.example.com", ns_t_aaaa, 0, M_NONE, { { 0 } } },
	{ "gone._http._tcp.example.com", ns_t_srv, 0, M_NONE, {
		{ ns_t_srv, 100, .target = "", .port = 0 } } },
	{ "gone._http._tcp.example.com", ns_t_txt, 0, M_NONE, { { 0 } } },
	/* malformed answers */
	{ "trunc.example.com", ns_t_a, 0, M_TRUNCATE, {
		{ ns_t_a, 60, .addr = "192.0.2.2" } } },
	{ "huge.example.com", ns_t_a, 0, M_HUGE_ANCOUNT, {
		{ ns_t_a, 60, .addr = "192.0.2.3" } } },
	{ "loop.example.com", ns_t_a, 0, M_OWNER_LOOP, {
		{ ns_t_a, 60, .addr = "192.0.2.4" } } },
	{ "_loop._tcp.example.com", ns_t_ptr, 0, M_TARGET_LOOP, {
		{ ns_t_ptr, 60, .target = "x._loop._tcp.example.com" } } },
	{ "long._http._tcp.example.com", ns_t_srv, 0, M_NONE, {
		{ ns_t_srv, 60, .target = LONG_NAME, .port = 1 } } },
	{ "long._http._tcp.example.com", ns_t_txt, 0, M_NONE, { { 0 } } },
	{ "_long._tcp.example.com", ns_t_ptr, 0, M_NONE, {
		{ ns_t_ptr, 60, .target = "x._long._tcp." LONG_NAME } } },
	{ "silent.example.com", ns_t_a, 0, M_SILENT, { { 0 } } },
	{ "silent.example.com", ns_t_aaaa, 0, M_SILENT, { { 0 } } },
};

/* The answer to the query q[0..len); 0 when there is none to send. */
static size_t answer(const unsigned char *q, size_t len, struct wire *w)
{
	const struct zone *z = NULL;
	char name[256];
	size_t qn, first_rr;
	int qtype, an = 0;

	if (len < 12)
		return 0;
	qn = query_name(q + 12, len - 12, name, sizeof(name));
	if (!qn || 12 + qn + 4 > len)
		return 0;
	qtype = q[12 + qn] << 8 | q[12 + qn + 1];
	for (size_t i = 0; i < sizeof(zone) / sizeof(zone[0]); i++)
		if (zone[i].qtype == qtype && !strcasecmp(zone[i].qname, name))
			z = &zone[i];
	memset(w, 0, sizeof(*w));
	memcpy(w->b, q, 12 + qn + 4);	/* id, flags, counts, question */
	w->n = 12 + qn + 4;
	w->b[2] = 0x81;			/* QR, RD */
	w->b[3] = 0x80 | (z ? z->rcode : ns_r_nxdomain);
	w->b[6] = w->b[7] = w->b[8] = w->b[9] = w->b[10] = w->b[11] = 0;
	if (!z)
		return w->n;
	if (z->mangle == M_SILENT)
		return 0;
	first_rr = w->n;
	for (int i = 0; i < 3 && z->rrs[i].type; i++, an++)
		put_rr(w, &z->rrs[i], ns_c_in,
		       z->mangle == M_TARGET_LOOP && i == 0);
	w->b[7] = an;
	switch (z->mangle) {
	case M_TRUNCATE:
		spoil(w, first_rr, SPOIL_TRUNCATE);
		break;
	case M_HUGE_ANCOUNT:
		spoil(w, first_rr, SPOIL_HUGE_ANCOUNT);
		break;
	case M_OWNER_LOOP:
		spoil(w, first_rr, SPOIL_OWNER_LOOP);
		break;
	default:
		break;
	}
	return w->n;
}

/* ---- the fixture: server, path, clock, and what the callbacks saw ----- */

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

static int server_open(int *port)
{
	*port = 0;
	return loopback_socket(AF_INET, port);
}

static int packets;	/* queries the fake server received */

static void serve(int fd)
{
	unsigned char q[1500];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct wire w;
	ssize_t len;

	while ((len = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from,
			       &fl)) > 0) {
		size_t n = answer(q, len, &w);

		packets++;
		if (n)
			sendto(fd, w.b, n, 0, (struct sockaddr *)&from, fl);
		fl = sizeof(from);
	}
}

/*
 * The event loop: the server's socket and the channel's, until *done
 * reaches want or max_ms (of real time) pass. Returns whether it did.
 */
static bool pump(struct resolve_path *p, int server, const int *done,
		 int want, int max_ms)
{
	int64_t end = now_ms() + max_ms;

	while (*done < want && now_ms() < end) {
		struct resolve_fd fds[RESOLVE_MAX_FDS];
		struct pollfd pfd[RESOLVE_MAX_FDS + 1];
		int n = resolve_fds(p, fds, RESOLVE_MAX_FDS), r;
		int64_t t = resolve_timeout_ms(p);

		pfd[0] = (struct pollfd){ .fd = server, .events = POLLIN };
		for (int i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){
				.fd = fds[i].fd,
				.events = (fds[i].read ? POLLIN : 0) |
					  (fds[i].write ? POLLOUT : 0),
			};
		r = poll(pfd, n + 1, t < 0 || t > 100 ? 100 : (int)t);
		if (r < 0 && errno != EINTR)
			return false;
		if (r <= 0) {
			resolve_process_timeouts(p);
			continue;
		}
		if (pfd[0].revents & POLLIN)
			serve(server);
		for (int i = 0; i < n; i++)
			if (pfd[i + 1].revents)
				resolve_process_fd(p, fds[i].fd,
						   pfd[i + 1].revents & (POLLIN | POLLERR | POLLHUP),
						   pfd[i + 1].revents & POLLOUT);
	}
	return *done >= want;
}

FIXTURE(dns) {
	int server, port;
	struct resolve_path *p;
	struct seen seen;
};

FIXTURE_SETUP(dns)
{
	char servers[64];
	struct resolve_config cfg = {
		.servers = servers,
		.timeout_ms = 300,
		.tries = 1,
		.now_ms = fake_clock,
	};

	memset(&self->seen, 0, sizeof(self->seen));
	fake_now = 1000000;
	packets = 0;
	self->server = server_open(&self->port);
	ASSERT_LE(0, self->server);
	snprintf(servers, sizeof(servers), "127.0.0.1:%d", self->port);
	ASSERT_EQ(RESOLVE_OK, resolve_path_new(&cfg, &self->p));
	ASSERT_EQ(RESOLVE_SRC_CONFIG, resolve_path_source(self->p));
}

FIXTURE_TEARDOWN(dns)
{
	resolve_path_free(self->p);
	close(self->server);
}

/* Runs one request to its DONE event. */
#define RUN(call)							\
	do {								\
		int want = self->seen.done + 1;				\
		ASSERT_EQ(0, call);					\
		ASSERT_TRUE(pump(self->p, self->server,		\
				 &self->seen.done, want, 3000));	\
	} while (0)

TEST_F(dns, a_and_aaaa_arrive_apart_with_ttls_and_final_markers)
{
	const struct rec *a, *aaaa;
	struct in6_addr want;

	RUN(resolve_host(self->p, "WWW.Example.COM.", record, &self->seen));
	ASSERT_EQ(1, self->seen.done);
	ASSERT_EQ(2, self->seen.n);	/* one report per family */
	a = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, "www.example.com");
	aaaa = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, "www.example.com");
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, aaaa);
	ASSERT_EQ(RESOLVE_OK, a->status);
	ASSERT_TRUE(a->final);
	ASSERT_FALSE(a->cached);
	ASSERT_EQ(1, a->n);
	ASSERT_EQ(AF_INET, a->addrs[0].family);
	ASSERT_EQ(0xc0000201, v4(&a->addrs[0]));
	ASSERT_EQ(60, a->addrs[0].ttl);
	ASSERT_EQ(RESOLVE_OK, aaaa->status);
	ASSERT_TRUE(aaaa->final);
	ASSERT_EQ(2, aaaa->n);
	inet_pton(AF_INET6, "2001:db8::1", &want);
	ASSERT_EQ(0, memcmp(aaaa->addrs[0].addr, &want, 16));
	ASSERT_EQ(300, aaaa->addrs[0].ttl);
	ASSERT_EQ(200, aaaa->addrs[1].ttl);
	ASSERT_EQ(200, aaaa->ttl);
	ASSERT_FALSE(aaaa->has_srv);
	/* AAAA is asked first (RFC 8305 section 3) */
	ASSERT_EQ(2, packets);
	ASSERT_EQ(2, resolve_path_stats(self->p)->queries);
}

TEST_F(dns, nodata_nxdomain_servfail_and_timeout)
{
	const struct rec *r;

	RUN(resolve_host(self->p, "v4only.example.com", record, &self->seen));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL);
	ASSERT_EQ(RESOLVE_NODATA, r->status);
	ASSERT_TRUE(r->final);
	ASSERT_EQ(0, r->n);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_EQ(30, r->addrs[0].ttl);

	self->seen.n = 0;
	RUN(resolve_host(self->p, "nx.example.com", record, &self->seen));
	ASSERT_EQ(2, self->seen.n);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(RESOLVE_NXDOMAIN, self->seen.ev[i].status);
		ASSERT_TRUE(self->seen.ev[i].final);
		ASSERT_EQ(0, self->seen.ev[i].n);
	}
	/* negative answers are not cached */
	packets = 0;
	self->seen.n = 0;
	RUN(resolve_host(self->p, "nx.example.com", record, &self->seen));
	ASSERT_EQ(2, packets);

	self->seen.n = 0;
	RUN(resolve_host(self->p, "broken.example.com", record, &self->seen));
	ASSERT_EQ(RESOLVE_SERVFAIL, self->seen.ev[0].status);
	ASSERT_EQ(RESOLVE_SERVFAIL, self->seen.ev[1].status);

	/* no answer: the channel's timer, through resolve_timeout_ms() */
	self->seen.n = 0;
	RUN(resolve_host(self->p, "silent.example.com", record, &self->seen));
	ASSERT_EQ(2, self->seen.n);
	ASSERT_EQ(RESOLVE_TIMEOUT, self->seen.ev[0].status);
	ASSERT_EQ(RESOLVE_TIMEOUT, self->seen.ev[1].status);
	ASSERT_EQ(-1, resolve_timeout_ms(self->p));
}

TEST_F(dns, dns_sd_browse_then_srv_txt_then_addresses)
{
	const struct rec *b, *srv, *txt, *r;
	struct seen s2 = { 0 };

	RUN(resolve_browse(self->p, "_http._tcp.Example.com", record,
			   &self->seen));
	b = find(&self->seen, RESOLVE_EV_BROWSE, 0, NULL);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(RESOLVE_OK, b->status);
	ASSERT_EQ(3, b->n);
	ASSERT_STREQ("Alpha._http._tcp.example.com", b->names[0]);
	/* a dot inside the instance label stays escaped, UTF-8 is raw */
	ASSERT_STREQ("My\\.Printer._http._tcp.example.com", b->names[1]);
	ASSERT_STREQ("Caf\xc3\xa9 Two._http._tcp.example.com", b->names[2]);
	ASSERT_EQ(90, b->ttl);

	ASSERT_EQ(0, resolve_service(self->p, b->names[0], record, &s2));
	ASSERT_TRUE(pump(self->p, self->server, &s2.done, 1, 3000));
	srv = find(&s2, RESOLVE_EV_SRV, 0, NULL);
	ASSERT_NE(NULL, srv);
	ASSERT_EQ(RESOLVE_OK, srv->status);
	ASSERT_EQ(2, srv->n);
	ASSERT_EQ(100, srv->ttl);
	/* by priority: host2 (0) before host1 (10) */
	ASSERT_STREQ("host2.example.com", srv->srvs[0].target);
	ASSERT_EQ(8443, srv->srvs[0].port);
	ASSERT_EQ(0, srv->srvs[0].priority);
	ASSERT_EQ(1, srv->srvs[0].weight);
	ASSERT_STREQ("host1.example.com", srv->srvs[1].target);
	ASSERT_EQ(8080, srv->srvs[1].port);
	ASSERT_EQ(10, srv->srvs[1].priority);
	ASSERT_EQ(5, srv->srvs[1].weight);
	txt = find(&s2, RESOLVE_EV_TXT, 0, NULL);
	ASSERT_NE(NULL, txt);
	ASSERT_EQ(2, txt->n);
	ASSERT_STREQ("path=/", txt->txt[0]);
	ASSERT_STREQ("v=1", txt->txt[1]);

	r = find(&s2, RESOLVE_EV_ADDRS, AF_INET, "host1.example.com");
	ASSERT_NE(NULL, r);
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_EQ(0xc000020b, v4(&r->addrs[0]));
	ASSERT_TRUE(r->has_srv);
	ASSERT_EQ(8080, r->srv.port);
	ASSERT_EQ(10, r->srv.priority);
	ASSERT_EQ(5, r->srv.weight);
	r = find(&s2, RESOLVE_EV_ADDRS, AF_INET6, "host1.example.com");
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_TRUE(r->final);
	ASSERT_EQ(8080, r->srv.port);
	r = find(&s2, RESOLVE_EV_ADDRS, AF_INET, "host2.example.com");
	ASSERT_EQ(0xc000020c, v4(&r->addrs[0]));
	ASSERT_EQ(8443, r->srv.port);
	r = find(&s2, RESOLVE_EV_ADDRS, AF_INET6, "host2.example.com");
	ASSERT_EQ(RESOLVE_NODATA, r->status);
	ASSERT_TRUE(r->final);
	/* SRV, TXT, then two families of two targets */
	ASSERT_EQ(6, s2.n);
	ASSERT_EQ(1, s2.done);

	/* SRV target ".": the service is decidedly not there */
	memset(&s2, 0, sizeof(s2));
	ASSERT_EQ(0, resolve_service(self->p, "gone._http._tcp.example.com",
				     record, &s2));
	ASSERT_TRUE(pump(self->p, self->server, &s2.done, 1, 3000));
	srv = find(&s2, RESOLVE_EV_SRV, 0, NULL);
	ASSERT_EQ(RESOLVE_NOSERVICE, srv->status);
	ASSERT_EQ(2, s2.n);	/* SRV and TXT, no targets */
}

TEST_F(dns, cache_answers_without_a_packet_and_expires_after_the_ttl)
{
	const struct rec *r;

	RUN(resolve_host(self->p, "www.example.com", record, &self->seen));
	ASSERT_EQ(2, packets);

	/* 10 s later: from the cache, before the call returns, TTLs aged */
	fake_now += 10000;
	self->seen.n = 0;
	ASSERT_EQ(0, resolve_host(self->p, "WWW.example.com.", record,
				  &self->seen));
	ASSERT_EQ(2, self->seen.done);
	ASSERT_EQ(2, packets);
	ASSERT_EQ(2, resolve_path_stats(self->p)->cache_hits);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_TRUE(r->cached);
	ASSERT_TRUE(r->final);
	ASSERT_EQ(50, r->addrs[0].ttl);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL);
	ASSERT_TRUE(r->cached);
	ASSERT_EQ(290, r->addrs[0].ttl);
	ASSERT_EQ(190, r->addrs[1].ttl);

	/* past A's TTL (60 s) but within AAAA's (the lowest, 200 s): only
	 * A goes out again
	 */
	fake_now += 51000;
	self->seen.n = 0;
	RUN(resolve_host(self->p, "www.example.com", record, &self->seen));
	ASSERT_EQ(3, packets);
	ASSERT_FALSE(find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL)->cached);
	ASSERT_TRUE(find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL)->cached);

	/* past every TTL */
	fake_now += 300000;
	RUN(resolve_host(self->p, "www.example.com", record, &self->seen));
	ASSERT_EQ(5, packets);

	/* DNS-SD: a second resolution of the instance is all cached */
	RUN(resolve_service(self->p, "alpha._http._tcp.example.com", record,
			    &self->seen));
	ASSERT_EQ(5 + 6, packets);	/* SRV, TXT, 2 x (A, AAAA-nodata) */
	self->seen.n = 0;
	ASSERT_EQ(0, resolve_service(self->p, "alpha._http._tcp.example.com",
				     record, &self->seen));
	ASSERT_EQ(5 + 6, packets);
	/* the targets' negative AAAA answer is not cached: it goes out */
	ASSERT_TRUE(pump(self->p, self->server, &self->seen.done, 6, 3000));
	ASSERT_EQ(5 + 6 + 1, packets);
	ASSERT_TRUE(find(&self->seen, RESOLVE_EV_SRV, 0, NULL)->cached);
	ASSERT_TRUE(find(&self->seen, RESOLVE_EV_TXT, 0, NULL)->cached);
}

TEST(cache_is_bounded)
{
	struct seen seen = { 0 };
	struct resolve_path *p;
	char servers[64];
	int server, port;
	struct resolve_config cfg = {
		.servers = servers,
		.timeout_ms = 300,
		.tries = 1,
		.cache_max = 2,
		.now_ms = fake_clock,
	};

	fake_now = 0;
	packets = 0;
	server = server_open(&port);
	ASSERT_LE(0, server);
	snprintf(servers, sizeof(servers), "127.0.0.1:%d", port);
	ASSERT_EQ(RESOLVE_OK, resolve_path_new(&cfg, &p));
	/* www: A (60 s) and AAAA (200 s) fill it */
	ASSERT_EQ(0, resolve_host(p, "www.example.com", record, &seen));
	ASSERT_TRUE(pump(p, server, &seen.done, 1, 3000));
	ASSERT_EQ(2, packets);
	ASSERT_EQ(0, resolve_path_stats(p)->cache_evictions);
	/* v4only's A (30 s) evicts the entry expiring first, www's A; its
	 * AAAA (no data) is not cached
	 */
	ASSERT_EQ(0, resolve_host(p, "v4only.example.com", record, &seen));
	ASSERT_TRUE(pump(p, server, &seen.done, 2, 3000));
	ASSERT_EQ(4, packets);
	ASSERT_EQ(1, resolve_path_stats(p)->cache_evictions);
	ASSERT_EQ(0, resolve_host(p, "v4only.example.com", record, &seen));
	ASSERT_TRUE(pump(p, server, &seen.done, 3, 3000));
	ASSERT_EQ(5, packets);		/* AAAA only */
	/* www's AAAA is there, its A goes out again (evicting v4only's) */
	ASSERT_EQ(0, resolve_host(p, "www.example.com", record, &seen));
	ASSERT_TRUE(pump(p, server, &seen.done, 4, 3000));
	ASSERT_EQ(6, packets);
	ASSERT_EQ(2, resolve_path_stats(p)->cache_hits);
	ASSERT_EQ(2, resolve_path_stats(p)->cache_evictions);
	resolve_path_free(p);
	close(server);
}

TEST_F(dns, malformed_answers_are_errors)
{
	const struct rec *r;

	/* cut short inside the answer record */
	RUN(resolve_host(self->p, "trunc.example.com", record, &self->seen));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_BADRESP, r->status);
	ASSERT_EQ(0, r->n);
	ASSERT_TRUE(r->final);

	/* 65535 answers announced, one there */
	self->seen.n = 0;
	RUN(resolve_host(self->p, "huge.example.com", record, &self->seen));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_BADRESP, r->status);
	ASSERT_EQ(0, r->n);

	/* a compression pointer to itself, as the owner of the record */
	self->seen.n = 0;
	RUN(resolve_host(self->p, "loop.example.com", record, &self->seen));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_BADRESP, r->status);

	/* ... and as the PTR target */
	self->seen.n = 0;
	RUN(resolve_browse(self->p, "_loop._tcp.example.com", record,
			   &self->seen));
	r = find(&self->seen, RESOLVE_EV_BROWSE, 0, NULL);
	ASSERT_EQ(RESOLVE_BADRESP, r->status);
	ASSERT_EQ(0, r->n);

	/* an SRV target of 320 characters */
	self->seen.n = 0;
	RUN(resolve_service(self->p, "long._http._tcp.example.com", record,
			    &self->seen));
	r = find(&self->seen, RESOLVE_EV_SRV, 0, NULL);
	ASSERT_EQ(RESOLVE_BADNAME, r->status);
	ASSERT_EQ(0, r->n);
	ASSERT_EQ(2, self->seen.n);	/* no address query for it */

	/* a PTR target past 253 characters */
	self->seen.n = 0;
	RUN(resolve_browse(self->p, "_long._tcp.example.com", record,
			   &self->seen));
	r = find(&self->seen, RESOLVE_EV_BROWSE, 0, NULL);
	ASSERT_EQ(RESOLVE_BADNAME, r->status);
	ASSERT_EQ(0, r->n);

	/* none of them was cached */
	ASSERT_EQ(0, resolve_path_stats(self->p)->cache_hits);
}

TEST_F(dns, bad_names_are_refused_without_a_packet)
{
	static const char *const bad_hosts[] = {
		"", ".", "a..b", "-a.example.com", "a-.example.com",
		"a b.example.com", "a\\000b.example.com", "a/b.com",
		LONG_LABEL "a.com", LONG_NAME "." LONG_LABEL,
	};

	for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
		self->seen.n = 0;
		ASSERT_EQ(0, resolve_host(self->p, bad_hosts[i], record,
					  &self->seen));
		ASSERT_EQ((int)i + 1, self->seen.done);
		ASSERT_EQ(0, self->seen.n);
	}
	ASSERT_EQ(0, resolve_host(self->p, NULL, record, &self->seen));
	ASSERT_EQ(0, resolve_browse(self->p, "_http.example.com", record,
				    &self->seen));
	ASSERT_EQ(0, resolve_service(self->p, "_http._tcp.example.com", record,
				     &self->seen));
	ASSERT_EQ(0, packets);
	ASSERT_EQ(0, resolve_path_stats(self->p)->queries);
}

/* Raw bytes fed as answers: reported, never trusted. */
TEST_F(dns, fed_answers)
{
	struct wire w;
	unsigned char q[64] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t qn = 12;
	int types[] = { ns_t_a, ns_t_aaaa, ns_t_ptr, ns_t_srv, ns_t_txt };

	/* a query for www.example.com A, answered by the table */
	memcpy(q + qn, "\3www\7example\3com\0\0\1\0\1", 21);
	qn += 21;
	ASSERT_LT(0, answer(q, qn, &w));
	ASSERT_EQ(RESOLVE_OK, resolve_feed_answer(self->p, ns_t_a,
		  "www.example.com", w.b, w.n, record, &self->seen));
	ASSERT_EQ(1, self->seen.done);
	/* every prefix of it, as every type */
	for (size_t len = 0; len < w.n; len++)
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			self->seen.n = 0;
			ASSERT_NE(RESOLVE_OK,
				  resolve_feed_answer(self->p, types[t], "x",
						      w.b, len, record,
						      &self->seen));
			ASSERT_EQ(1, self->seen.n);
			ASSERT_NE(RESOLVE_OK, self->seen.ev[0].status);
		}
	ASSERT_EQ(0, packets);
	ASSERT_EQ(0, resolve_path_stats(self->p)->cache_hits);
}

TEST(resolved_link_file)
{
	char dir[] = "/tmp/resolve_test.XXXXXX", file[64], servers[128];
	struct resolve_config cfg = { .ifindex = 7, .timeout_ms = 300,
				      .tries = 1 };
	struct resolve_path *p;
	struct seen seen = { 0 };
	int server, port;
	FILE *f;

	server = server_open(&port);
	ASSERT_LE(0, server);
	ASSERT_NE(NULL, mkdtemp(dir));
	cfg.resolved_dir = dir;
	snprintf(file, sizeof(file), "%s/7", dir);
	f = fopen(file, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "# This is private data. Do not parse.\nLLMNR=yes\n"
		"SERVERS=127.0.0.1:%d#dns.example [::1]:%d\nDOMAINS=x\n",
		port, port);
	fclose(f);
	packets = 0;
	ASSERT_EQ(RESOLVE_OK, resolve_path_new(&cfg, &p));
	ASSERT_EQ(RESOLVE_SRC_RESOLVED, resolve_path_source(p));
	ASSERT_EQ(0, resolve_host(p, "www.example.com", record, &seen));
	ASSERT_TRUE(pump(p, server, &seen.done, 1, 3000));
	ASSERT_EQ(2, packets);
	ASSERT_EQ(RESOLVE_OK, find(&seen, RESOLVE_EV_ADDRS, AF_INET, NULL)->status);
	resolve_path_free(p);

	/* no file for the link: /etc/resolv.conf */
	cfg.ifindex = 8;
	ASSERT_EQ(RESOLVE_OK, resolve_path_new(&cfg, &p));
	ASSERT_EQ(RESOLVE_SRC_RESOLV_CONF, resolve_path_source(p));
	resolve_path_free(p);
	/* an explicit list wins, and one that does not parse is refused */
	snprintf(servers, sizeof(servers), "127.0.0.1:%d", port);
	cfg.servers = servers;
	ASSERT_EQ(RESOLVE_OK, resolve_path_new(&cfg, &p));
	ASSERT_EQ(RESOLVE_SRC_CONFIG, resolve_path_source(p));
	resolve_path_free(p);
	cfg.servers = "not an address";
	ASSERT_EQ(RESOLVE_BADNAME, resolve_path_new(&cfg, &p));
	ASSERT_EQ(NULL, p);
	cfg.servers = NULL;
	cfg.ifname = "an-interface-name-too-long";
	ASSERT_EQ(RESOLVE_BADNAME, resolve_path_new(&cfg, &p));

	unlink(file);
	rmdir(dir);
	close(server);
}

TEST(resolved_servers_line)
{
	static const char text[] =
		"# This is private data. Do not parse.\n"
		"NOTSERVERS=9.9.9.9\n"
		"SERVERS=192.0.2.53 [2001:db8::53]:5353%3#dns.example "
		"fe80::1%2 1.1.1.1#cloudflare-dns.com 203.0.113.1:853 bogus "
		"1.2.3.4:99999 [2001:db8::1 1.2.3.4:x\n"
		"SERVERS=8.8.8.8\n";
	struct dns_server s[8];
	char buf[INET6_ADDRSTRLEN];
	int n = resolved_link_servers(text, sizeof(text) - 1, s, 8);

	ASSERT_EQ(5, n);
	ASSERT_EQ(AF_INET, s[0].family);
	ASSERT_EQ(53, s[0].port);
	ASSERT_EQ(AF_INET6, s[1].family);
	ASSERT_EQ(5353, s[1].port);
	inet_ntop(AF_INET6, &s[1].addr.v6, buf, sizeof(buf));
	ASSERT_STREQ("2001:db8::53", buf);
	ASSERT_EQ(AF_INET6, s[2].family);
	inet_ntop(AF_INET6, &s[2].addr.v6, buf, sizeof(buf));
	ASSERT_STREQ("fe80::1", buf);
	ASSERT_EQ(53, s[2].port);
	inet_ntop(AF_INET, &s[3].addr.v4, buf, sizeof(buf));
	ASSERT_STREQ("1.1.1.1", buf);
	ASSERT_EQ(853, s[4].port);
	/* bounded by max */
	ASSERT_EQ(2, resolved_link_servers(text, sizeof(text) - 1, s, 2));
	ASSERT_EQ(0, resolved_link_servers("LLMNR=yes\n", 10, s, 8));
	ASSERT_EQ(0, resolved_link_servers("SERVERS=", 8, s, 8));
}

TEST(name_validation)
{
	static const struct { const char *in; int kind; const char *out; } cases[] = {
		/* kind 0: host, 1: service type, 2: instance */
		{ "www.Example.COM.", 0, "www.example.com" },
		{ "localhost", 0, "localhost" },
		{ "_dmarc.example.com", 0, "_dmarc.example.com" },
		{ "x1-y.example", 0, "x1-y.example" },
		{ LONG_LABEL ".com", 0, LONG_LABEL ".com" },
		{ LONG_LABEL "a.com", 0, NULL },
		{ "", 0, NULL }, { ".", 0, NULL }, { "a..b", 0, NULL },
		{ ".a", 0, NULL }, { "a.b..", 0, NULL }, { "-a", 0, NULL },
		{ "a-", 0, NULL }, { "a b", 0, NULL }, { "a\\.b", 0, NULL },
		{ "\\097.b", 0, "a.b" }, { "a\\", 0, NULL }, { "a\\25", 0, NULL },
		{ "a\\256", 0, NULL }, { "a\\000", 0, NULL }, { "\xc3\xa9.com", 0, NULL },
		{ "_http._tcp.example.com", 1, "_http._tcp.example.com" },
		{ "_HTTP._UDP.Example.com.", 1, "_http._udp.example.com" },
		{ "_x-y1._tcp.local", 1, "_x-y1._tcp.local" },
		{ "_http._tcp", 1, NULL }, { "_http._sctp.example", 1, NULL },
		{ "http._tcp.example", 1, NULL }, { "_._tcp.example", 1, NULL },
		{ "_123._tcp.example", 1, NULL }, { "_-ab._tcp.example", 1, NULL },
		{ "_ab-._tcp.example", 1, NULL }, { "_a--b._tcp.example", 1, NULL },
		{ "_abcdefghijklmnop._tcp.example", 1, NULL },
		{ "_abcdefghijklmno._tcp.example", 1, "_abcdefghijklmno._tcp.example" },
		{ "My\\.Printer._ipp._tcp.Example.com", 2,
		  "My\\.Printer._ipp._tcp.example.com" },
		{ "Caf\\195\\169 Two._ipp._tcp.example", 2,
		  "Caf\xc3\xa9 Two._ipp._tcp.example" },
		{ "Caf\xc3\xa9 Two._ipp._tcp.example", 2,
		  "Caf\xc3\xa9 Two._ipp._tcp.example" },
		{ "back\\\\slash._ipp._tcp.example", 2,
		  "back\\\\slash._ipp._tcp.example" },
		{ "tab\\009._ipp._tcp.example", 2, NULL },
		{ "del\\127._ipp._tcp.example", 2, NULL },
		{ "nul\\000._ipp._tcp.example", 2, NULL },
		{ "x._ipp._tcp", 2, NULL }, { "x.ipp._tcp.example", 2, NULL },
		{ "_ipp._tcp.example", 2, NULL },
		{ LONG_LABEL "a._ipp._tcp.example", 2, NULL },
	};
	char out[DNSNAME_BUF];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *in = cases[i].in;
		int r = cases[i].kind == 0 ?
			dnsname_host(in, strlen(in), out, sizeof(out)) :
			cases[i].kind == 1 ?
			dnsname_service(in, strlen(in), out, sizeof(out)) :
			dnsname_instance(in, strlen(in), out, sizeof(out));

		if (!cases[i].out) {
			EXPECT_EQ(-1, r) TH_LOG("accepted: \"%s\"", in);
			continue;
		}
		EXPECT_EQ((int)strlen(cases[i].out), r) TH_LOG("\"%s\"", in);
		if (r >= 0)
			EXPECT_STREQ(cases[i].out, out);
	}
	/* 253 characters is the most: labels of 63, then the rest */
	for (int len = 240; len <= 260; len++) {
		char name[300];
		int r;

		memset(name, 'a', len);
		for (int i = 63; i < len - 1; i += 64)
			name[i] = '.';
		name[len] = 0;
		r = dnsname_host(name, len, out, sizeof(out));
		EXPECT_EQ(len <= 253 ? len : -1, r) TH_LOG("length %d", len);
	}
	/* a NUL inside the length given */
	ASSERT_EQ(-1, dnsname_host("a\0b.com", 7, out, sizeof(out)));
	ASSERT_EQ(3, dnsname_host("a.b\0junk", 3, out, sizeof(out)));
	/* out too small */
	ASSERT_EQ(-1, dnsname_host("example.com", 11, out, 11));
	ASSERT_EQ(11, dnsname_host("example.com", 11, out, 12));
}

TEST(answer_min_ttl)
{
	struct wire w;
	unsigned char q[64] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	uint32_t ttl;

	memcpy(q + 12, "\3www\7example\3com\0\0\34\0\1", 21);
	ASSERT_LT(0, answer(q, 33, &w));
	ASSERT_EQ(2, dns_answer_min_ttl(w.b, w.n, 86400, &ttl));
	ASSERT_EQ(200, ttl);
	ASSERT_EQ(2, dns_answer_min_ttl(w.b, w.n, 100, &ttl));
	ASSERT_EQ(100, ttl);
	for (size_t len = 0; len < w.n; len++)
		ASSERT_EQ(-1, dns_answer_min_ttl(w.b, len, 86400, &ttl));
	/* a TTL with its top bit set counts as 0 (RFC 2181 section 8) */
	w.b[33 + 6] = 0x80;
	ASSERT_EQ(2, dns_answer_min_ttl(w.b, w.n, 86400, &ttl));
	ASSERT_EQ(0, ttl);
	/* 65535 records announced */
	w.b[6] = w.b[7] = 0xff;
	ASSERT_EQ(-1, dns_answer_min_ttl(w.b, w.n, 86400, &ttl));
	/* a reserved label type */
	w.b[6] = 0;
	w.b[7] = 2;
	w.b[33] = 0x80;
	ASSERT_EQ(-1, dns_answer_min_ttl(w.b, w.n, 86400, &ttl));
}

TEST_HARNESS_MAIN
