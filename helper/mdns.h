/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyd's multicast DNS querier: names ending in .local (RFC 6762), per
 * network path, as one-shot queries (RFC 6762 section 5.1).
 *
 * Why one-shot: a full mDNS querier shares port 5353 with the host's
 * responder (avahi-daemon, systemd-resolved) and keeps a cache of what
 * the link announces; a one-shot querier needs neither. It sends a plain
 * DNS query from an ephemeral port to 224.0.0.251:5353 and
 * [ff02::fb%IF]:5353, and every responder that owns the name answers it
 * with a conventional unicast DNS response to that port (RFC 6762
 * section 6.7, "legacy unicast"). So heyd needs no avahi-daemon, no
 * Avahi library and no privilege for port 5353. The QU bit (RFC 6762
 * section 5.4) is left clear: it asks a responder for a unicast answer
 * on behalf of a querier on port 5353, and the ephemeral source port
 * asks that already; the question then is the one c-ares' parsers
 * expect echoed back.
 *
 * A path is an interface: a UDP socket for IPv4 when the interface has
 * an IPv4 address, one for IPv6 when it has an IPv6 address, each bound
 * to it (SO_BINDTODEVICE, and IP_MULTICAST_IF / IPV6_MULTICAST_IF for
 * where the queries leave), multicast TTL and hop limit 255 (RFC 6762
 * section 11). Each question goes out on both, AAAA before A (RFC 8305
 * section 3); the first response that answers it ends it (what section
 * 5.1 expects of a simple querier: the owner of a unique record, a
 * host's address, answers with all of them), and a question unanswered
 * after timeout_ms is sent again, tries times in all, then ends with
 * RESOLVE_TIMEOUT (RESOLVE_NODATA when responses came without its
 * records). Answers are reported as they arrive, a family at a time,
 * with the same events as resolve.h's unicast DNS (so that resolver.c
 * reports both alike); a DNS-SD instance gives SRV and TXT, then A and
 * AAAA of each SRV target, taken from the SRV response's additional
 * section when the responder put them there (RFC 6763 section 12.2),
 * asked otherwise.
 *
 * A response is accepted only when it is what was asked, from the link
 * asked: from port 5353 (RFC 6762 section 6), received on the path's
 * interface, from a source address on that link (IPv4: in one of the
 * interface's subnets; IPv6: link-local, or in one of its prefixes: RFC
 * 6762 section 11), a response (QR) with no error, whose ID is a
 * question's under way, whose single question is that question (name,
 * case-insensitively, and type). Its answer records owned by another
 * name are not used. Every count and size is bounded: MDNS_MSG_MAX bytes
 * (a longer datagram is dropped), MDNS_MAX_RRS records, the RESOLVE_*
 * bounds of resolve.h; anything that fails is dropped without an event,
 * the question still waiting for a good answer.
 *
 * Nothing here blocks; the caller polls mdns_fds() for reading, calls
 * mdns_process_fd() when one is readable and mdns_process_timeouts() at
 * mdns_timeout_ms(). Nothing is cached: legacy unicast answers carry
 * TTLs of 10 s at most (RFC 6762 section 6.7), the race's history cache
 * is the kernel's.
 */
#ifndef HEYD_MDNS_H
#define HEYD_MDNS_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "resolve.h"

#define MDNS_PORT		5353
#define MDNS_MSG_MAX		9000	/* RFC 6762 section 17 */
#define MDNS_MAX_RRS		64	/* records of one response */
#define MDNS_MAX_PREFIXES	16	/* the interface's, for the link check */
#define MDNS_MAX_FDS		2

struct mdns_config {
	const char *ifname;	/* bound to it; NULL: unbound (tests only) */
	int ifindex;		/* the queries leave there, answers arrive */
	int timeout_ms;		/* per try; 0: 2000 */
	int tries;		/* 0: 2 */
	/*
	 * For the unit tests: where the queries go instead of
	 * 224.0.0.251:5353 and [ff02::fb]:5353 (NULL: no such socket), and
	 * answers are then accepted from the port of dest4 (else dest6).
	 */
	const struct sockaddr_in *test_dest4;
	const struct sockaddr_in6 *test_dest6;
};

struct mdns_stats {
	unsigned long queries;		/* datagrams sent */
	unsigned long answers;		/* responses used */
	unsigned long dropped;		/* responses refused */
};

struct mdns_path;

/* 0, or an enum resolve_status (RESOLVE_ERROR: no socket could open). */
int mdns_path_new(const struct mdns_config *cfg, struct mdns_path **out);
/* Cancels every request: no callback runs after (nor during) it. */
void mdns_path_free(struct mdns_path *p);
const struct mdns_stats *mdns_path_stats(const struct mdns_path *p);

/*
 * Requests, as resolve_host() and resolve_service(): each ends with
 * exactly one RESOLVE_EV_DONE, which may come before the call returns (a
 * name that is no name, no socket); 0, or -1 without events (no memory).
 */
int mdns_host(struct mdns_path *p, const char *name, resolve_cb cb,
	      void *arg);
int mdns_service(struct mdns_path *p, const char *instance, resolve_cb cb,
		 void *arg);

/* The sockets to poll for reading: how many were written to out. */
int mdns_fds(struct mdns_path *p, int *out, int max);
/* In how many ms mdns_process_timeouts() is due; -1: nothing pending. */
int64_t mdns_timeout_ms(struct mdns_path *p);
void mdns_process_fd(struct mdns_path *p, int fd);
void mdns_process_timeouts(struct mdns_path *p);

/* An address and prefix length of an interface. */
struct mdns_prefix {
	int family;
	uint8_t addr[16];
	int len;
};

/*
 * Whether src (AF_INET or AF_INET6) is on the link of the interface
 * whose addresses are pfx[0..n): in one of its prefixes, or an IPv6
 * link-local address. An IPv4 source needs an IPv4 prefix.
 */
bool mdns_on_link(const struct sockaddr *src, const struct mdns_prefix *pfx,
		  int n);

#endif /* HEYD_MDNS_H */
