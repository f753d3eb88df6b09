// SPDX-License-Identifier: GPL-2.0
/*
 * What heyd's resolver (helper/resolver.c over resolve.c and c-ares)
 * holds while names are resolved, on the host under ASan and UBSan.
 * Requests are handed to resolver_request() as resolver_nl_ready() does
 * with the kernel's, for one path: the loopback interface, whose DNS
 * server (the configuration's "dns lo ...") is a fake one in the test
 * process on 127.0.0.1. It answers as heyd.sh's fake server does, by
 * the name's first label: cut short, 65535 records claimed, an owner
 * name pointing at itself, 0.0.0.0 and ::; and good answers, small and
 * large, or none. No netlink socket is open: the answers for the
 * kernel are built but not sent.
 *
 * Asserted: the requests under way, the cached answers and their bytes
 * (resolver_stats()) and the heap in use (heap.h: ASan's own count of
 * live bytes). The resident size would not do: ASan keeps freed blocks
 * in its quarantine (256 MB by default) and its allocator's memory may
 * be backed by huge pages, so heyd-asan's resident size grows with
 * every answer although it holds nothing more.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "config.h"
#include "heap.h"
#include "heynl_resolve.h"
#include "resolve.h"
#include "resolver.h"
#include "dnswire.h"

/* Beyond what the cache's answers explain: a leak of 8 bytes a request shows. */
#define HEAP_SLACK	4096

/* ---- the fake server ---------------------------------------------------- */

/* The answer to the query q[0..len), by the name's first label; 0: none. */
static size_t answer(const unsigned char *q, size_t len, struct wire *w)
{
	struct rr rr = { .ttl = 60 };
	char name[256], kind[16];
	size_t qn, first_rr;
	int qtype, an = 1;

	if (len < 12)
		return 0;
	qn = query_name(q + 12, len - 12, name, sizeof(name));
	if (!qn || 12 + qn + 4 > len)
		return 0;
	qtype = q[12 + qn] << 8 | q[12 + qn + 1];
	snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(name, "."), name);
	if (!strcmp(kind, "silent"))
		return 0;
	memset(w, 0, sizeof(*w));
	memcpy(w->b, q, 12 + qn + 4);	/* id, flags, counts, question */
	w->n = 12 + qn + 4;
	w->b[2] = 0x85;			/* QR, AA, RD */
	w->b[3] = 0x80;			/* RA, NOERROR */
	w->b[6] = w->b[7] = w->b[8] = w->b[9] = w->b[10] = w->b[11] = 0;
	first_rr = w->n;
	rr.type = qtype;
	if (!strcmp(kind, "zero"))
		rr.addr = qtype == ns_t_a ? "0.0.0.0" : "::";
	else
		rr.addr = qtype == ns_t_a ? "192.0.2.1" : "2001:db8::1";
	/* 0.5 KB (AAAA), 0.3 KB (A): larger ones c-ares asks again by TCP */
	if (!strcmp(kind, "big"))
		an = 17;
	for (int i = 0; i < an; i++)
		put_rr(w, &rr, ns_c_in, false);
	w->b[7] = an;
	if (!strcmp(kind, "trunc"))
		spoil(w, first_rr, SPOIL_TRUNCATE);
	else if (!strcmp(kind, "huge"))
		spoil(w, first_rr, SPOIL_HUGE_ANCOUNT);
	else if (!strcmp(kind, "loop"))
		spoil(w, first_rr, SPOIL_OWNER_LOOP);
	return w->n;
}

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

		if (n)
			sendto(fd, w.b, n, 0, (struct sockaddr *)&from, fl);
		fl = sizeof(from);
	}
}

/* ---- heyd's loop, as helper/heyd.c runs it -------------------------------- */

static int requests(void)
{
	struct resolver_stats st;

	resolver_stats(&st);
	return st.requests;
}

/* Until no request is under way, or max_ms pass: whether none is. */
static bool pump(int server, int max_ms)
{
	int64_t end = now_ms() + max_ms;

	resolver_sync();
	while (requests() && now_ms() < end) {
		struct pollfd pfd[2] = {
			{ .fd = server, .events = POLLIN },
			{ .fd = resolver_dns_fd(), .events = POLLIN },
		};
		int64_t at = resolver_deadline(), t = 50;

		if (at >= 0)
			t = at > now_ms() + 50 ? 50 : at - now_ms();
		if (poll(pfd, 2, t < 0 ? 0 : (int)t) > 0) {
			if (pfd[0].revents & POLLIN)
				serve(server);
			if (pfd[1].revents & POLLIN)
				resolver_dns_ready();
		}
		at = resolver_deadline();
		if (at >= 0 && at <= now_ms())
			resolver_tick(now_ms());
		resolver_sync();
	}
	return !requests();
}

static uint64_t next_id = 1;

/* The kernel's request for name on the loopback interface, both families. */
static uint64_t ask(const char *fmt, int n)
{
	struct heynl_resolve_request q = {
		.id = next_id++,
		.families = HEY_RESOLVE_IPV6 | HEY_RESOLVE_IPV4,
		.npaths = 1,
		.paths = { if_nametoindex("lo") },
	};

	snprintf(q.name, sizeof(q.name), fmt, n);
	resolver_request(&q);
	return q.id;
}

/*
 * heyd logs a line per malformed answer: not into the test's output
 * (HEYD_TEST_LOUD=1 keeps them).
 */
static int quiet(void)
{
	if (getenv("HEYD_TEST_LOUD"))
		return dup(2);
	int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	dup2(null, 2);
	close(null);
	return saved;
}

static void loud(int saved)
{
	dup2(saved, 2);
	close(saved);
}

FIXTURE(resolver) {
	int server;
	struct heyd_config cfg;
};

FIXTURE_SETUP(resolver)
{
	char text[160], err[CONFIG_ERR_LEN];
	int port = 0;

	self->server = loopback_socket(AF_INET, &port);
	ASSERT_LE(0, self->server);
	snprintf(text, sizeof(text),
		 "dns lo 127.0.0.1:%d\ndns-timeout 300\ndns-tries 1\n"
		 "max-requests 8\n", port);
	ASSERT_EQ(0, config_parse(text, strlen(text), &self->cfg, err));
	ASSERT_EQ(0, resolver_init(&self->cfg));
}

FIXTURE_TEARDOWN(resolver)
{
	resolver_exit();
	close(self->server);
}

/*
 * heyd.sh's malformed answers, 1024 of them after a round to warm up:
 * every request goes once its answers came, and the heap grows by the
 * answers the cache took (0.0.0.0 and :: parse, and are cached: heyd
 * leaves them out of what it sends) and not a byte more; the cache
 * stays within its count.
 */
TEST_F(resolver, malformed_answers_leave_nothing_behind)
{
	static const char *const kinds[] = {
		"trunc.%d.bad.test", "huge.%d.bad.test", "loop.%d.bad.test",
		"zero.%d.bad.test",
	};
	struct resolver_stats st0 = { 0 }, st1;
	size_t heap0 = 0, heap1;
	int saved = quiet(), left = -1, round;

	for (round = 0; round <= 256 && left < 0; round++) {
		for (int k = 0; k < 4; k++)
			ask(kinds[k], round);
		if (!pump(self->server, 3000))
			left = requests();
		if (round == 0) {
			resolver_stats(&st0);
			heap0 = heap_in_use();
		}
	}
	resolver_stats(&st1);
	heap1 = heap_in_use();
	loud(saved);
	ASSERT_EQ(-1, left);
	ASSERT_EQ(0, st1.requests);
	ASSERT_EQ(1, st1.paths);
	ASSERT_EQ(RESOLVE_CACHE_DEFAULT, st1.cache_entries);
	ASSERT_GE(RESOLVE_CACHE_BYTES, st1.cache_bytes);
	TH_LOG("heap %zu -> %zu bytes over %d answers, cache %zu -> %zu bytes",
	       heap0, heap1, 4 * 256, st0.cache_bytes, st1.cache_bytes);
	ASSERT_GE((long)(st1.cache_bytes - st0.cache_bytes) + HEAP_SLACK,
		  (long)(heap1 - heap0));
}

/*
 * Good answers fill the cache to its count (small ones) or to its bytes
 * (large ones), no further; what it gives up is freed.
 */
TEST_F(resolver, cache_bounded_by_count_and_by_bytes)
{
	struct resolver_stats st1, st2;
	size_t heap0, heap1, heap2;
	int saved = quiet();
	bool ok;

	ask("good.%d.test", 0);
	ok = pump(self->server, 3000);
	heap0 = heap_in_use();
	for (int i = 1; i <= 4 * RESOLVE_CACHE_DEFAULT && ok; i++) {
		ask("good.%d.test", i);
		if (i % 8 == 0)
			ok = pump(self->server, 3000);
	}
	resolver_stats(&st1);
	heap1 = heap_in_use();
	for (int i = 1; i <= 256 && ok; i++) {
		ask("big.%d.test", i);
		if (i % 8 == 0)
			ok = pump(self->server, 3000);
	}
	resolver_stats(&st2);
	heap2 = heap_in_use();
	loud(saved);
	ASSERT_TRUE(ok);
	ASSERT_EQ(RESOLVE_CACHE_DEFAULT, st1.cache_entries);
	ASSERT_GE(RESOLVE_CACHE_BYTES, st1.cache_bytes);
	ASSERT_GE((long)st1.cache_bytes + HEAP_SLACK, (long)(heap1 - heap0));
	TH_LOG("large answers: %lu cached, %zu bytes; heap %zu -> %zu",
	       st2.cache_entries, st2.cache_bytes, heap0, heap2);
	/* the bytes bind first: fewer answers than the count allows */
	ASSERT_LT(st2.cache_entries, RESOLVE_CACHE_DEFAULT);
	ASSERT_GE(RESOLVE_CACHE_BYTES, st2.cache_bytes);
	ASSERT_LT(RESOLVE_CACHE_BYTES - RESOLVE_CACHE_ANSWER_MAX,
		  st2.cache_bytes);
	ASSERT_GE((long)st2.cache_bytes + HEAP_SLACK, (long)(heap2 - heap0));
}

/*
 * Requests the kernel no longer wants (ENOENT), their server silent,
 * alone on their interface: their queries are cancelled at the next
 * resolver_sync(), at once, not at their timeout, and every one is gone
 * with what it held: max-requests (8) has room for a ninth right away.
 */
TEST_F(resolver, forgotten_requests_cancelled_at_once)
{
	size_t heap0, heap1;
	int saved = quiet(), held = -1, after = -1, round;

	ask("good.%d.test", 0);
	ASSERT_TRUE(pump(self->server, 3000));
	heap0 = heap_in_use();
	for (round = 0; round < 16; round++) {
		for (int i = 0; i < 8; i++)
			resolver_forget(ask("silent.%d.test", round * 8 + i));
		held = requests();
		resolver_sync();	/* heyd's loop, after every event */
		after = requests();
		if (held != 8 || after)
			break;
		/* a ninth has room, and times out as a wanted one does */
		ask("silent.%d.test", 1000 + round);
		if (requests() != 1 || !pump(self->server, 3000))
			break;
	}
	heap1 = heap_in_use();
	loud(saved);
	ASSERT_EQ(16, round) TH_LOG("round %d: %d held, %d after the sync",
				    round, held, after);
	ASSERT_EQ(0, requests());
	ASSERT_GE(HEAP_SLACK, (long)(heap1 - heap0));
}

/*
 * A forgotten request sharing its interface's channel with a wanted
 * one: cancelling the channel would end the wanted one's queries too,
 * so the forgotten one waits, unheard; it is cancelled once the wanted
 * one has ended, rather than at its own timeout.
 */
TEST_F(resolver, forgotten_request_waits_for_the_wanted_one)
{
	int saved = quiet(), shared, alone;

	ask("silent.%d.test", 1);
	resolver_forget(ask("silent.%d.test", 2));
	resolver_sync();
	shared = requests();
	/* the wanted one times out (300 ms); the other goes with it */
	ASSERT_TRUE(pump(self->server, 3000));
	/* alone, a forgotten one goes at once */
	resolver_forget(ask("silent.%d.test", 3));
	resolver_sync();
	alone = requests();
	loud(saved);
	ASSERT_EQ(2, shared);
	ASSERT_EQ(0, alone);
}

TEST_HARNESS_MAIN
