// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of heyd's one-shot multicast DNS querier (helper/mdns.c),
 * run on the host under ASan and UBSan. No multicast: the querier is
 * bound to the loopback interface and pointed (its test hook) at a fake
 * responder in the test process on 127.0.0.1 (and ::1), which answers
 * from a table the way an mDNS responder answers a one-shot query (RFC
 * 6762 section 6.7: by unicast to the query's port, repeating its ID
 * and question), or badly on purpose. The loopback's own prefixes
 * (127.0.0.0/8, ::1/128) make the link checks pass for it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <net/if.h>
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
#include "mdns.h"
#include "dnswire.h"
#include "events.h"

/* ---- the fake responder's table -------------------------------------- */

enum how {
	H_PLAIN,	/* the records in the answer section */
	H_ADDITIONAL,	/* rrs[0] answers, the rest additional */
	H_OTHER_OWNER,	/* the records owned by another name */
	H_OTHER_QUESTION, /* the question echoed is another name's */
	H_TRUNCATE,	/* cut inside the first record */
	H_HUGE,		/* ancount 65535, one record there */
	H_GARBAGE,	/* the ID, then noise */
	H_OWNER_LOOP,	/* the first owner a pointer to itself */
	H_CACHE_FLUSH,	/* classes with the cache-flush bit */
	H_NOT_RESPONSE,	/* QR clear */
	H_RCODE,	/* rcode REFUSED */
	H_OTHER_PORT,	/* from another port than the one asked */
	H_SILENT,
};

struct entry {
	const char *qname;
	int qtype;
	enum how how;
	struct rr rrs[4];
};

static const struct entry table[] = {
	{ "printer.local", ns_t_aaaa, H_PLAIN, {
		{ ns_t_aaaa, .addr = "2001:db8::5" },
		{ ns_t_aaaa, .addr = "fe80::5" } } },
	{ "printer.local", ns_t_a, H_PLAIN, {
		{ ns_t_a, .addr = "192.0.2.5" } } },
	/* AAAA answered with A alongside: one response for both */
	{ "dual.local", ns_t_aaaa, H_ADDITIONAL, {
		{ ns_t_aaaa, .addr = "2001:db8::6" },
		{ ns_t_a, .addr = "192.0.2.6" } } },
	{ "dual.local", ns_t_a, H_SILENT, { { 0 } } },
	{ "other.local", ns_t_aaaa, H_OTHER_OWNER, {
		{ ns_t_aaaa, .owner = "evil.local", .addr = "2001:db8::66" } } },
	{ "other.local", ns_t_a, H_OTHER_QUESTION, {
		{ ns_t_a, .addr = "192.0.2.66" } } },
	{ "trunc.local", ns_t_a, H_TRUNCATE, {
		{ ns_t_a, .addr = "192.0.2.7" } } },
	{ "trunc.local", ns_t_aaaa, H_GARBAGE, { { 0 } } },
	{ "huge.local", ns_t_a, H_HUGE, { { ns_t_a, .addr = "192.0.2.8" } } },
	{ "huge.local", ns_t_aaaa, H_OWNER_LOOP, {
		{ ns_t_aaaa, .addr = "2001:db8::8" } } },
	{ "flush.local", ns_t_a, H_CACHE_FLUSH, {
		{ ns_t_a, .addr = "192.0.2.9" } } },
	{ "flush.local", ns_t_aaaa, H_NOT_RESPONSE, {
		{ ns_t_aaaa, .addr = "2001:db8::9" } } },
	{ "refused.local", ns_t_a, H_RCODE, { { ns_t_a, .addr = "192.0.2.10" } } },
	{ "refused.local", ns_t_aaaa, H_OTHER_PORT, {
		{ ns_t_aaaa, .addr = "2001:db8::10" } } },
	/* an instance whose SRV response carries its target's addresses */
	{ "My Printer._ipp._tcp.local", ns_t_srv, H_ADDITIONAL, {
		{ ns_t_srv, .target = "printhost.local", .port = 631 },
		{ ns_t_a, .owner = "printhost.local", .addr = "192.0.2.20" },
		{ ns_t_aaaa, .owner = "printhost.local", .addr = "2001:db8::20" },
		{ ns_t_a, .owner = "elsewhere.local", .addr = "192.0.2.99" } } },
	{ "My Printer._ipp._tcp.local", ns_t_txt, H_PLAIN, {
		{ ns_t_txt, .txt = { "rp=ipp/print" } } } },
	/* one whose target has to be asked */
	{ "bare._ipp._tcp.local", ns_t_srv, H_PLAIN, {
		{ ns_t_srv, .target = "barehost.local", .port = 9100 } } },
	{ "bare._ipp._tcp.local", ns_t_txt, H_SILENT, { { 0 } } },
	{ "barehost.local", ns_t_a, H_PLAIN, {
		{ ns_t_a, .addr = "192.0.2.21" } } },
	{ "barehost.local", ns_t_aaaa, H_SILENT, { { 0 } } },
};

/* What the responder saw of the queries. */
struct heard {
	int queries;
	int rd, not_in, port_5353, not_one_question;
	char last[256];
};

static struct heard heard;

/* The response to q[0..len); 0: none. *how: how it was made. */
static size_t respond(const unsigned char *q, size_t len, struct wire *w,
		      enum how *how)
{
	const struct entry *e = NULL;
	char name[256];
	size_t qn, first;
	int qtype, an = 0, ar = 0;

	*how = H_SILENT;
	if (len < 12)
		return 0;
	qn = query_name(q + 12, len - 12, name, sizeof(name));
	if (!qn || 12 + qn + 4 > len)
		return 0;
	qtype = q[12 + qn] << 8 | q[12 + qn + 1];
	heard.queries++;
	heard.rd += !!(q[2] & 1);
	heard.not_in += (q[12 + qn + 2] << 8 | q[12 + qn + 3]) != ns_c_in;
	heard.not_one_question += q[4] != 0 || q[5] != 1;
	snprintf(heard.last, sizeof(heard.last), "%s", name);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].qtype == qtype && !strcasecmp(table[i].qname, name))
			e = &table[i];
	if (!e || e->how == H_SILENT)
		return 0;	/* mDNS: no negative answers by unicast here */
	*how = e->how;
	memset(w, 0, sizeof(*w));
	memcpy(w->b, q, 12 + qn + 4);
	w->n = 12 + qn + 4;
	w->b[2] = 0x84;		/* QR, AA */
	w->b[3] = 0;
	memset(w->b + 4, 0, 8);
	w->b[5] = 1;
	if (e->how == H_OTHER_QUESTION) {
		w->n = 12;
		put_name(w, "someone.local");
		put16(w, qtype);
		put16(w, ns_c_in);
	}
	if (e->how == H_GARBAGE) {
		for (int i = 0; i < 200; i++)
			put8(w, (i * 37 + 11) & 0xff);
		w->b[4] = 0x12;
		return w->n;
	}
	first = w->n;
	for (int i = 0; i < 4 && e->rrs[i].type; i++) {
		struct rr rr = e->rrs[i];
		bool extra = e->how == H_ADDITIONAL && i > 0;

		if (e->how == H_OTHER_OWNER)
			rr.owner = "evil.local";
		rr.ttl = 120;
		put_rr(w, &rr, ns_c_in | (e->how == H_CACHE_FLUSH ? 0x8000 : 0),
		       false);
		if (extra)
			ar++;
		else
			an++;
	}
	w->b[7] = an;
	w->b[11] = ar;
	switch (e->how) {
	case H_TRUNCATE:
		spoil(w, first, SPOIL_TRUNCATE);
		break;
	case H_HUGE:
		spoil(w, first, SPOIL_HUGE_ANCOUNT);
		break;
	case H_OWNER_LOOP:
		spoil(w, first, SPOIL_OWNER_LOOP);
		break;
	case H_NOT_RESPONSE:
		w->b[2] &= 0x7f;
		break;
	case H_RCODE:
		w->b[3] = ns_r_refused;
		break;
	default:
		break;
	}
	return w->n;
}

/* ---- the fixture ------------------------------------------------------- */

/* The events of type (and family, when not 0) for name. */
static int count(const struct seen *s, int type, int family, const char *name)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		n += s->ev[i].type == type &&
		     (!family || s->ev[i].family == family) &&
		     (!name || !strcasecmp(s->ev[i].name, name));
	return n;
}

/* answers from another port go out on these: IPv4, IPv6 */
static int stray[2] = { -1, -1 };

static void serve(int fd)
{
	unsigned char q[1500];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct wire w;
	ssize_t len;

	while ((len = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from,
			       &fl)) > 0) {
		enum how how;
		size_t n = respond(q, len, &w, &how);
		uint16_t port = from.ss_family == AF_INET ?
			ntohs(((struct sockaddr_in *)&from)->sin_port) :
			ntohs(((struct sockaddr_in6 *)&from)->sin6_port);

		heard.port_5353 += port == MDNS_PORT;
		if (n)
			sendto(how != H_OTHER_PORT ? fd :
			       stray[from.ss_family == AF_INET6], w.b, n, 0,
			       (struct sockaddr *)&from, fl);
		fl = sizeof(from);
	}
}

/* The loop: responders and querier, until *done reaches want or max_ms. */
static bool pump(struct mdns_path *p, const int *servers, int nservers,
		 const int *done, int want, int max_ms)
{
	int64_t end = now_ms() + max_ms;

	while (*done < want && now_ms() < end) {
		struct pollfd pfd[2 + MDNS_MAX_FDS];
		int fds[MDNS_MAX_FDS], n = mdns_fds(p, fds, MDNS_MAX_FDS), r;
		int64_t t = mdns_timeout_ms(p);

		for (int i = 0; i < nservers; i++)
			pfd[i] = (struct pollfd){ .fd = servers[i],
						  .events = POLLIN };
		for (int i = 0; i < n; i++)
			pfd[nservers + i] = (struct pollfd){ .fd = fds[i],
							     .events = POLLIN };
		r = poll(pfd, nservers + n, t < 0 || t > 50 ? 50 : (int)t);
		if (r < 0 && errno != EINTR)
			return false;
		for (int i = 0; r > 0 && i < nservers; i++)
			if (pfd[i].revents & POLLIN)
				serve(servers[i]);
		for (int i = 0; r > 0 && i < n; i++)
			if (pfd[nservers + i].revents)
				mdns_process_fd(p, fds[i]);
		mdns_process_timeouts(p);
	}
	return *done >= want;
}

FIXTURE(mdns) {
	int servers[2], nservers, port;
	struct sockaddr_in d4;
	struct sockaddr_in6 d6;
	struct mdns_path *p;
	struct seen seen;
};

FIXTURE_SETUP(mdns)
{
	struct mdns_config cfg = {
		.ifname = "lo",
		.ifindex = if_nametoindex("lo"),
		.timeout_ms = 150,
		.tries = 2,
		.test_dest4 = &self->d4,
	};
	int port6;

	memset(&self->seen, 0, sizeof(self->seen));
	memset(&heard, 0, sizeof(heard));
	self->port = 0;
	self->servers[0] = loopback_socket(AF_INET, &self->port);
	ASSERT_LE(0, self->servers[0]);
	self->nservers = 1;
	port6 = self->port;
	self->servers[1] = loopback_socket(AF_INET6, &port6);
	if (self->servers[1] >= 0) {
		self->nservers = 2;
		self->d6.sin6_family = AF_INET6;
		self->d6.sin6_addr = in6addr_loopback;
		self->d6.sin6_port = htons(self->port);
		cfg.test_dest6 = &self->d6;
	}
	stray[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	stray[1] = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	self->d4.sin_family = AF_INET;
	self->d4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	self->d4.sin_port = htons(self->port);
	ASSERT_NE(0, cfg.ifindex);
	ASSERT_EQ(RESOLVE_OK, mdns_path_new(&cfg, &self->p));
}

FIXTURE_TEARDOWN(mdns)
{
	mdns_path_free(self->p);
	for (int i = 0; i < self->nservers; i++)
		close(self->servers[i]);
	close(stray[0]);
	close(stray[1]);
}

/* Runs one request to its DONE event. */
#define RUN(call)							\
	do {								\
		int want = self->seen.done + 1;				\
		ASSERT_EQ(0, call);					\
		ASSERT_TRUE(pump(self->p, self->servers, self->nservers,\
				 &self->seen.done, want, 3000));	\
	} while (0)

static bool is6(const struct resolve_addr *a, const char *text)
{
	struct in6_addr want;

	inet_pton(AF_INET6, text, &want);
	return !memcmp(a->addr, &want, 16);
}

TEST_F(mdns, host_a_and_aaaa_each_final_once)
{
	const struct rec *a, *aaaa;

	RUN(mdns_host(self->p, "Printer.LOCAL.", record, &self->seen));
	ASSERT_EQ(1, self->seen.done);
	/* one report per family, even with the question sent twice (IPv4
	 * and IPv6) and answered twice
	 */
	ASSERT_EQ(2, self->seen.n);
	aaaa = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, "printer.local");
	a = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, "printer.local");
	ASSERT_NE(NULL, aaaa);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(RESOLVE_OK, aaaa->status);
	ASSERT_TRUE(aaaa->final);
	ASSERT_EQ(2, aaaa->n);
	ASSERT_TRUE(is6(&aaaa->addrs[0], "2001:db8::5"));
	ASSERT_TRUE(is6(&aaaa->addrs[1], "fe80::5"));
	ASSERT_EQ(120, aaaa->addrs[0].ttl);
	ASSERT_EQ(RESOLVE_OK, a->status);
	ASSERT_TRUE(a->final);
	ASSERT_EQ(1, a->n);
	ASSERT_EQ(0xc0000205, v4(&a->addrs[0]));
	ASSERT_FALSE(a->has_srv);
	/* AAAA asked first; plain queries: no RD, class IN (no QU bit),
	 * one question, never from port 5353
	 */
	ASSERT_EQ(AF_INET6, self->seen.ev[0].family);
	ASSERT_EQ(2 * self->nservers, heard.queries);
	ASSERT_EQ(0, heard.rd);
	ASSERT_EQ(0, heard.not_in);
	ASSERT_EQ(0, heard.not_one_question);
	ASSERT_EQ(0, heard.port_5353);
	ASSERT_EQ(2 * self->nservers, (int)mdns_path_stats(self->p)->queries);
}

TEST_F(mdns, the_other_family_from_the_same_response)
{
	const struct rec *a;

	RUN(mdns_host(self->p, "dual.local", record, &self->seen));
	ASSERT_EQ(2, self->seen.n);
	a = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_OK, a->status);
	ASSERT_EQ(1, a->n);
	ASSERT_EQ(0xc0000206, v4(&a->addrs[0]));
	ASSERT_EQ(RESOLVE_OK,
		  find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL)->status);
}

TEST_F(mdns, answers_for_another_name_are_ignored)
{
	const struct rec *r;

	/* AAAA owned by evil.local; A under the question someone.local */
	RUN(mdns_host(self->p, "other.local", record, &self->seen));
	ASSERT_EQ(2, self->seen.n);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL);
	ASSERT_EQ(0, r->n);
	ASSERT_TRUE(r->final);
	/* a response came, without a record for the name */
	ASSERT_EQ(RESOLVE_NODATA, r->status);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(0, r->n);
	ASSERT_EQ(RESOLVE_TIMEOUT, r->status);
	ASSERT_LT(0, (int)mdns_path_stats(self->p)->dropped);
}

TEST_F(mdns, malformed_responses_are_dropped)
{
	static const char *const names[] = {
		"trunc.local",	 /* cut short; garbage after the ID */
		"huge.local",	 /* 65535 records; an owner pointing at itself */
		"refused.local", /* rcode REFUSED; from another port */
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		self->seen.n = 0;
		RUN(mdns_host(self->p, names[i], record, &self->seen));
		ASSERT_EQ(2, self->seen.n);
		for (int k = 0; k < 2; k++) {
			ASSERT_EQ(0, self->seen.ev[k].n);
			ASSERT_TRUE(self->seen.ev[k].final);
			ASSERT_EQ(RESOLVE_TIMEOUT, self->seen.ev[k].status)
				TH_LOG("%s", names[i]);
		}
	}
	/* each try of each question was answered, and all but the owner
	 * loop's dropped before parsing (c-ares refuses that one)
	 */
	ASSERT_LE(5 * 2, (int)mdns_path_stats(self->p)->dropped);
}

TEST_F(mdns, cache_flush_bit_taken_not_response_dropped)
{
	const struct rec *r;

	RUN(mdns_host(self->p, "flush.local", record, &self->seen));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL);
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_EQ(0xc0000209, v4(&r->addrs[0]));
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL);
	ASSERT_EQ(RESOLVE_TIMEOUT, r->status);
}

TEST_F(mdns, service_instance_with_addresses_in_the_response)
{
	const struct rec *srv, *txt, *r;

	RUN(mdns_service(self->p, "My Printer._ipp._tcp.local", record,
			 &self->seen));
	srv = find(&self->seen, RESOLVE_EV_SRV, 0, NULL);
	ASSERT_NE(NULL, srv);
	ASSERT_EQ(RESOLVE_OK, srv->status);
	ASSERT_EQ(1, srv->n);
	ASSERT_STREQ("printhost.local", srv->srvs[0].target);
	ASSERT_EQ(631, srv->srvs[0].port);
	txt = find(&self->seen, RESOLVE_EV_TXT, 0, NULL);
	ASSERT_NE(NULL, txt);
	ASSERT_STREQ("rp=ipp/print", txt->txt[0]);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, "printhost.local");
	ASSERT_NE(NULL, r);
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_TRUE(r->final);
	ASSERT_EQ(1, r->n);	/* not elsewhere.local's */
	ASSERT_EQ(0xc0000214, v4(&r->addrs[0]));
	ASSERT_TRUE(r->has_srv);
	ASSERT_EQ(631, r->srv.port);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, "printhost.local");
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(is6(&r->addrs[0], "2001:db8::20"));
	ASSERT_EQ(631, r->srv.port);
	/* SRV, TXT, AAAA, A: one each; the target was never asked */
	ASSERT_EQ(4, self->seen.n);
	ASSERT_EQ(2 * self->nservers, heard.queries);
}

TEST_F(mdns, service_instance_whose_target_is_asked)
{
	const struct rec *r;

	RUN(mdns_service(self->p, "bare._ipp._tcp.local", record,
			 &self->seen));
	ASSERT_EQ(RESOLVE_OK, find(&self->seen, RESOLVE_EV_SRV, 0, NULL)->status);
	ASSERT_EQ(RESOLVE_TIMEOUT,
		  find(&self->seen, RESOLVE_EV_TXT, 0, NULL)->status);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET, "barehost.local");
	ASSERT_EQ(RESOLVE_OK, r->status);
	ASSERT_EQ(0xc0000215, v4(&r->addrs[0]));
	ASSERT_EQ(9100, r->srv.port);
	r = find(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, "barehost.local");
	ASSERT_EQ(RESOLVE_TIMEOUT, r->status);
	ASSERT_TRUE(r->final);
	ASSERT_EQ(1, count(&self->seen, RESOLVE_EV_ADDRS, AF_INET6, NULL));
	ASSERT_EQ(1, count(&self->seen, RESOLVE_EV_ADDRS, AF_INET, NULL));
}

TEST_F(mdns, nobody_answers_final_with_nothing_after_the_tries)
{
	RUN(mdns_host(self->p, "nobody.local", record, &self->seen));
	ASSERT_EQ(2, self->seen.n);
	for (int k = 0; k < 2; k++) {
		ASSERT_EQ(RESOLVE_TIMEOUT, self->seen.ev[k].status);
		ASSERT_TRUE(self->seen.ev[k].final);
		ASSERT_EQ(0, self->seen.ev[k].n);
	}
	/* two tries of two questions on each socket */
	ASSERT_EQ(2 * 2 * self->nservers, heard.queries);
	ASSERT_EQ(-1, mdns_timeout_ms(self->p));
}

TEST_F(mdns, bad_names_end_at_once_without_a_packet)
{
	ASSERT_EQ(0, mdns_host(self->p, "a..local", record, &self->seen));
	ASSERT_EQ(1, self->seen.done);
	ASSERT_EQ(RESOLVE_BADNAME, self->seen.done_status);
	ASSERT_EQ(0, mdns_service(self->p, "_ipp._tcp.local", record,
				  &self->seen));
	ASSERT_EQ(2, self->seen.done);
	ASSERT_EQ(0, self->seen.n);
	ASSERT_EQ(0, (int)mdns_path_stats(self->p)->queries);
}

TEST_F(mdns, freeing_the_path_cancels_without_callbacks)
{
	ASSERT_EQ(0, mdns_host(self->p, "nobody.local", record, &self->seen));
	mdns_path_free(self->p);
	self->p = NULL;
	ASSERT_EQ(0, self->seen.n);
	ASSERT_EQ(0, self->seen.done);
}

TEST(on_link)
{
	struct mdns_prefix pfx[2] = {
		{ AF_INET, { 192, 0, 2, 1 }, 24 },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 }, 64 },
	};
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	static const struct { const char *addr; bool on; } cases[] = {
		{ "192.0.2.200", true }, { "192.0.3.1", false },
		{ "10.0.0.1", false }, { "2001:db8:0:1::99", true },
		{ "2001:db8:0:2::1", false }, { "fe80::1234", true },
		{ "febf::1", true }, { "fec0::1", false }, { "::1", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sockaddr *sa;

		if (inet_pton(AF_INET, cases[i].addr, &s4.sin_addr) == 1)
			sa = (struct sockaddr *)&s4;
		else if (inet_pton(AF_INET6, cases[i].addr,
				   &s6.sin6_addr) == 1)
			sa = (struct sockaddr *)&s6;
		else
			abort();
		EXPECT_EQ(cases[i].on, mdns_on_link(sa, pfx, 2))
			TH_LOG("%s", cases[i].addr);
	}
	/* an odd prefix length; no prefixes at all */
	pfx[0].len = 23;
	inet_pton(AF_INET, "192.0.3.1", &s4.sin_addr);
	ASSERT_TRUE(mdns_on_link((struct sockaddr *)&s4, pfx, 2));
	ASSERT_FALSE(mdns_on_link((struct sockaddr *)&s4, pfx, 0));
}

TEST(msg_records_bounds)
{
	struct dns_rr rr[4];
	int qt, qc;
	/* one question (x.local A), one answer, one additional */
	unsigned char m[] = {
		0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 1,
		1, 'x', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0x80, 1,
		0xc0, 12, 0, 1, 0x80, 1, 0, 0, 0, 10, 0, 4, 192, 0, 2, 1,
		0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 10, 0, 16,
		0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	char name[DNSNAME_BUF];

	ASSERT_EQ(2, dns_msg_records(m, sizeof(m), &qt, &qc, rr, 4));
	ASSERT_EQ(ns_t_a, qt);
	ASSERT_EQ(0x8001, qc);
	ASSERT_EQ(DNS_SEC_ANSWER, rr[0].section);
	ASSERT_EQ(0x8001, rr[0].class);
	ASSERT_EQ(4, (int)rr[0].rdlen);
	ASSERT_EQ(DNS_SEC_ADDITIONAL, rr[1].section);
	ASSERT_EQ(ns_t_aaaa, rr[1].type);
	ASSERT_EQ(7, dns_msg_name(m, sizeof(m), rr[1].owner, 0, name,
				  sizeof(name)));
	ASSERT_STREQ("x.local", name);
	/* more records than room; every cut */
	ASSERT_EQ(-1, dns_msg_records(m, sizeof(m), &qt, &qc, rr, 1));
	for (size_t len = 0; len < sizeof(m); len++)
		ASSERT_EQ(-1, dns_msg_records(m, len, &qt, &qc, rr, 4));
	/* two questions */
	m[5] = 2;
	ASSERT_EQ(-1, dns_msg_records(m, sizeof(m), &qt, &qc, rr, 4));
}

TEST_HARNESS_MAIN
