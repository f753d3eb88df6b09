/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure pieces of heyd's resolver (no I/O, no state), kept apart so
 * that the unit tests and the fuzzer reach them directly: checking and
 * normalising the names asked and the names answers carry, the lowest
 * TTL of an answer, the instances of a DNS-SD browse answer, and the
 * per-link DNS servers in systemd-resolved's state file.
 *
 * Names come in "presentation form", as a user writes them and as
 * c-ares' ares_expand_name() gives them: labels separated by dots, a
 * backslash escaping the next character (\. is a dot inside a label) or
 * giving a byte in decimal (\195). They go out in "query form", what
 * c-ares' ares_query() takes: ares_create_query() knows the one-character
 * escapes but not \DDD, so every byte is raw except a dot or a backslash
 * inside a label, which is escaped. Host and service names are folded to
 * lower case and lose a trailing dot.
 */
#ifndef HEYD_DNSNAME_H
#define HEYD_DNSNAME_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define DNSNAME_MAX		253	/* a whole name, without the final dot */
#define DNSNAME_LABEL_MAX	63
/* room for a name in query form, every byte escaped, and its NUL */
#define DNSNAME_BUF		(2 * DNSNAME_MAX + 2)

/*
 * A host name (RFC 1123, with underscores as in SRV owner names): labels
 * of 1 to 63 letters, digits, hyphens and underscores, a hyphen neither
 * first nor last, 253 characters at the most; one final dot allowed.
 * The name is in[0..len): a NUL in it (raw or \000) makes it no name.
 * Writes the name folded to lower case without the final dot to out and
 * returns its length, or -1 when it is no such name or out is too small.
 */
int dnsname_host(const char *in, size_t len, char *out, size_t outsz);

/*
 * A DNS-SD service type in a domain (RFC 6763 section 7), "_http._tcp.
 * example.com": a service label of an underscore and 1 to 15 letters,
 * digits and hyphens (RFC 6335 section 5.1: one letter at least, no
 * hyphen first, last or next to another), "_tcp" or "_udp", then a host
 * name. Normalised as dnsname_host().
 */
int dnsname_service(const char *in, size_t len, char *out, size_t outsz);

/*
 * A DNS-SD service instance name (RFC 6763 section 4.1), "My Printer.
 * _ipp._tcp.example.com": an instance label of 1 to 63 bytes of UTF-8
 * (any byte but the control characters 0x00-0x1f and 0x7f, RFC 6763
 * section 4.1.1), with escapes as above, then a service type as
 * dnsname_service(). Writes it in query form (the instance keeps its
 * case) and returns its length, or -1.
 */
int dnsname_instance(const char *in, size_t len, char *out, size_t outsz);

/*
 * The lowest TTL of the records in the answer section of the DNS
 * message msg (RFC 2181 section 8: a TTL with its top bit set counts
 * as 0), capped at cap. Returns the number of answer records, 0 with
 * *ttl 0 when there is none, or -1 when the message is cut short: every
 * offset is checked against len, names are skipped (compression
 * pointers end a name, they are not followed), nothing is expanded.
 */
int dns_answer_min_ttl(const unsigned char *msg, size_t len, uint32_t cap,
		       uint32_t *ttl);

/*
 * The targets of the PTR records of the answer section of msg owned by
 * the question's name, each checked and normalised by dnsname_instance()
 * into out (at most max of them; *bad counts those refused). Returns how
 * many were written, or -1 when the message is malformed (no single
 * question, a record cut short, a name c-ares cannot expand: pointer
 * loops, labels past the end).
 *
 * This walks the records itself, and expands names with c-ares'
 * ares_expand_name(), because c-ares 1.18's ares_parse_ptr_reply()
 * refuses any answer with a target that is not a host name (its fix of
 * CVE-2021-3672), which DNS-SD instance names seldom are: "My Printer",
 * "Caf\195\169", "a\.b" all make it fail with ARES_EBADRESP.
 */
int dns_answer_ptrs(const unsigned char *msg, size_t len,
		    char (*out)[DNSNAME_BUF], int max, int *bad);

/* The sections of a message's records. */
enum dns_section {
	DNS_SEC_ANSWER = 1,
	DNS_SEC_AUTHORITY,
	DNS_SEC_ADDITIONAL,
};

/* Where one record of a message is, as offsets into it. */
struct dns_rr {
	int section;		/* enum dns_section */
	size_t owner;		/* its owner name */
	size_t at;		/* its type, class, TTL and rdata length */
	uint16_t type;
	uint16_t class;		/* as on the wire: mDNS sets the top bit */
	uint32_t ttl;
	size_t rdata, rdlen;
};

/*
 * Walks the whole of the DNS message msg: its single question (type and
 * class into *qtype and *qclass; its name is at offset 12) and every
 * record of its three sections, located into out (at most max of them).
 * Returns the number of records, or -1 when the message is malformed:
 * not exactly one question, more than max records announced, a record
 * or a name cut short, a reserved label type. Names are skipped, not
 * expanded (dns_msg_name() does that); bytes after the last record are
 * ignored. For heyd's multicast DNS answers (mdns.c), which it checks
 * and uses beyond what c-ares' parsers see: owners, additional records,
 * the cache-flush bit.
 */
int dns_msg_records(const unsigned char *msg, size_t len, int *qtype,
		    int *qclass, struct dns_rr *out, int max);

/*
 * The name at msg[pos] expanded by c-ares (compression pointers
 * followed, loops refused) and normalised into query form by
 * dnsname_instance() when instance, else dnsname_host(), into out: its
 * length, or -1 when it does not expand or is no such name.
 */
int dns_msg_name(const unsigned char *msg, size_t len, size_t pos,
		 int instance, char *out, size_t outsz);

/* A DNS server: an address and a port (53 when the text gave none). */
struct dns_server {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;
};

/*
 * The servers of the line "SERVERS=" in systemd-resolved's state file of
 * a link, /run/systemd/resolve/netif/IFINDEX. The file says "This is
 * private data. Do not parse.": its format is no interface, so this
 * reads it leniently: entries separated by spaces, each "ADDR",
 * "ADDR:PORT" (IPv4), "[ADDR]:PORT" (IPv6), optionally followed by
 * "%IFINDEX" and "#SERVERNAME" (dropped: heyd's channels are bound to
 * their interface, and know no DNS over TLS). An entry that does not
 * parse is skipped, and so is every line but the first SERVERS=.
 * Returns the number of servers written to out (at most max).
 */
int resolved_link_servers(const char *text, size_t len,
			  struct dns_server *out, int max);

#endif /* HEYD_DNSNAME_H */
