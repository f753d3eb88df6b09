// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of heyd's resolver (`make fuzz`): the first byte picks
 * what the rest is fed to.
 *   0    the name checks; what one accepts it must accept again unchanged
 *        (the normal form is a fixed point) and within the bounds;
 *   1    systemd-resolved's SERVERS= line;
 *   2..  a DNS answer, to the TTL walker, the PTR walker, the record
 *        walker of mDNS responses (dns_msg_records()), and the answer
 *        handling of a path (resolve_feed_answer(): c-ares' parsers and
 *        the checks of what they return) as A, AAAA, PTR, SRV or TXT.
 * The path's channel sends nothing: a fed answer is not followed up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/nameser.h>

#include "dnsname.h"
#include "resolve.h"

static void check_fixed_point(int (*fn)(const char *, size_t, char *, size_t),
			      const char *in, size_t len)
{
	char out[DNSNAME_BUF], again[DNSNAME_BUF];
	int n = fn(in, len, out, sizeof(out)), m;

	if (n < 0)
		return;
	if ((size_t)n != strlen(out) || n >= DNSNAME_BUF)
		abort();
	m = fn(out, n, again, sizeof(again));
	if (m != n || memcmp(out, again, n))
		abort();
}

static void on_event(const struct resolve_event *ev, void *arg)
{
	(void)arg;
	/* touch what the event points at, for ASan */
	for (int i = 0; i < ev->n; i++) {
		if (ev->addrs && ev->addrs[i].family != 2 &&
		    ev->addrs[i].family != 10)
			abort();
		if (ev->srvs && strlen(ev->srvs[i].target) > DNSNAME_MAX)
			abort();
		if (ev->instances && strlen(ev->instances[i]) >= DNSNAME_BUF)
			abort();
		if (ev->txt && ev->txt[i].len && !ev->txt[i].data)
			abort();
	}
}

/*
 * The record walker of mdns.c's responses: every record it locates lies
 * within the message, and every owner name expands or is refused.
 */
static void check_records(const uint8_t *msg, size_t len)
{
	struct dns_rr rr[64];
	char name[DNSNAME_BUF];
	int qt, qc, n = dns_msg_records(msg, len, &qt, &qc, rr, 64);

	if (n > 64)
		abort();
	for (int i = 0; i < n; i++) {
		if (rr[i].owner >= len || rr[i].rdata > len ||
		    rr[i].rdlen > len - rr[i].rdata)
			abort();
		if (dns_msg_name(msg, len, rr[i].owner, i & 1, name,
				 sizeof(name)) > DNSNAME_MAX * 2)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = { ns_t_a, ns_t_aaaa, ns_t_ptr, ns_t_srv,
				     ns_t_txt };
	static struct resolve_path *p;
	char names[RESOLVE_MAX_INSTANCES][DNSNAME_BUF];
	struct dns_server servers[8];
	uint32_t ttl;
	int bad;

	if (!p) {
		struct resolve_config cfg = { .servers = "127.0.0.1:9" };

		if (resolve_path_new(&cfg, &p))
			abort();
	}
	if (size < 1)
		return 0;
	switch (data[0]) {
	case 0:
		check_fixed_point(dnsname_host, (const char *)data + 1, size - 1);
		check_fixed_point(dnsname_service, (const char *)data + 1,
				  size - 1);
		check_fixed_point(dnsname_instance, (const char *)data + 1,
				  size - 1);
		break;
	case 1:
		if (resolved_link_servers((const char *)data + 1, size - 1,
					  servers, 8) > 8)
			abort();
		break;
	default:
		data++;
		size--;
		dns_answer_min_ttl(data, size, RESOLVE_TTL_CAP, &ttl);
		if (ttl > RESOLVE_TTL_CAP)
			abort();
		if (dns_answer_ptrs(data, size, names, RESOLVE_MAX_INSTANCES,
				    &bad) > RESOLVE_MAX_INSTANCES)
			abort();
		check_records(data, size);
		if (size > 65535)
			break;
		resolve_feed_answer(p, types[data[-1] % 5], "fuzz.example",
				    data, size, on_event, NULL);
	}
	return 0;
}
