// SPDX-License-Identifier: GPL-2.0
/* The pure pieces of heyd's resolver: see dnsname.h. */
#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "dnsname.h"

enum name_kind { NAME_HOST, NAME_SERVICE, NAME_INSTANCE };

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Decodes the label at in[*pos..len) of a name in presentation form into
 * lab (at most DNSNAME_LABEL_MAX bytes) and moves *pos past it and its
 * dot. Returns the label's length (0 for an empty one), or -1: a label
 * too long, a NUL, a lone backslash at the end, \DDD above 255.
 */
static int next_label(const char *in, size_t len, size_t *pos,
		      unsigned char *lab)
{
	size_t p = *pos;
	int n = 0;

	while (p < len && in[p] != '.') {
		unsigned char c = in[p++];

		if (c == '\\') {
			if (p >= len)
				return -1;
			c = in[p++];
			if (is_digit(c)) {
				unsigned int v = c - '0';

				if (p + 2 > len || !is_digit(in[p]) ||
				    !is_digit(in[p + 1]))
					return -1;
				v = v * 100 + (in[p] - '0') * 10 + (in[p + 1] - '0');
				p += 2;
				if (v > 255)
					return -1;
				c = v;
			}
		}
		if (c == 0 || n == DNSNAME_LABEL_MAX)
			return -1;
		lab[n++] = c;
	}
	if (p < len)
		p++;	/* the dot */
	*pos = p;
	return n;
}

static int host_label_ok(const unsigned char *lab, int n)
{
	if (lab[0] == '-' || lab[n - 1] == '-')
		return 0;
	for (int i = 0; i < n; i++)
		if (!is_alpha(lab[i]) && !is_digit(lab[i]) && lab[i] != '-' &&
		    lab[i] != '_')
			return 0;
	return 1;
}

/* RFC 6335 section 5.1, after the underscore. */
static int service_label_ok(const unsigned char *lab, int n)
{
	int letters = 0;

	if (n < 2 || n > 16 || lab[0] != '_' || lab[1] == '-' ||
	    lab[n - 1] == '-')
		return 0;
	for (int i = 1; i < n; i++) {
		if (is_alpha(lab[i]))
			letters++;
		else if (lab[i] == '-') {
			if (lab[i - 1] == '-')
				return 0;
		} else if (!is_digit(lab[i]))
			return 0;
	}
	return letters > 0;
}

static int proto_label_ok(const unsigned char *lab, int n)
{
	return n == 4 && lab[0] == '_' &&
	       ((lower(lab[1]) == 't' && lower(lab[2]) == 'c') ||
		(lower(lab[1]) == 'u' && lower(lab[2]) == 'd')) &&
	       lower(lab[3]) == 'p';
}

static int instance_label_ok(const unsigned char *lab, int n)
{
	for (int i = 0; i < n; i++)
		if (lab[i] < 0x20 || lab[i] == 0x7f)
			return 0;
	return 1;
}

static int parse_name(const char *in, size_t len, char *out, size_t outsz,
		      enum name_kind kind)
{
	/* the labels before the host part: instance, service, protocol */
	int first_host = kind == NAME_HOST ? 0 : kind == NAME_SERVICE ? 2 : 3;
	unsigned char lab[DNSNAME_LABEL_MAX];
	size_t pos = 0, o = 0, wire = 0;
	int i;

	if (!in || !out || outsz == 0)
		return -1;
	for (i = 0; pos < len; i++) {
		int n = next_label(in, len, &pos, lab), ok;

		if (n <= 0)
			return -1;
		/* each label costs its length byte on the wire */
		wire += n + 1;
		if (wire > DNSNAME_MAX + 1)
			return -1;
		if (i >= first_host)
			ok = host_label_ok(lab, n);
		else if (i == first_host - 1)
			ok = proto_label_ok(lab, n);
		else if (i == first_host - 2)
			ok = service_label_ok(lab, n);
		else
			ok = instance_label_ok(lab, n);
		if (!ok)
			return -1;
		if (i > 0) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = '.';
		}
		for (int k = 0; k < n; k++) {
			unsigned char c = lab[k];

			if (i >= first_host - 2)
				c = lower(c);
			else if (c == '.' || c == '\\') {
				if (o + 1 >= outsz)
					return -1;
				out[o++] = '\\';
			}
			if (o + 1 >= outsz)
				return -1;
			out[o++] = c;
		}
	}
	if (i <= first_host)	/* no host part */
		return -1;
	out[o] = 0;
	return o;
}

int dnsname_host(const char *in, size_t len, char *out, size_t outsz)
{
	return parse_name(in, len, out, outsz, NAME_HOST);
}

int dnsname_service(const char *in, size_t len, char *out, size_t outsz)
{
	return parse_name(in, len, out, outsz, NAME_SERVICE);
}

int dnsname_instance(const char *in, size_t len, char *out, size_t outsz)
{
	return parse_name(in, len, out, outsz, NAME_INSTANCE);
}

/* Moves *pos past the name at msg[*pos]; 0, or -1 when it is cut short. */
static int skip_name(const unsigned char *msg, size_t len, size_t *pos)
{
	size_t p = *pos;

	for (;;) {
		unsigned char b;

		if (p >= len)
			return -1;
		b = msg[p];
		if ((b & 0xc0) == 0xc0) {
			p += 2;
			break;
		}
		if (b & 0xc0)	/* the reserved label types */
			return -1;
		p += 1 + b;
		if (b == 0)
			break;
	}
	if (p > len)
		return -1;
	*pos = p;
	return 0;
}

int dns_answer_min_ttl(const unsigned char *msg, size_t len, uint32_t cap,
		       uint32_t *ttl)
{
	unsigned int qd, an, i;
	uint32_t min = cap;
	size_t p = 12;

	*ttl = 0;
	if (!msg || len < 12)
		return -1;
	qd = msg[4] << 8 | msg[5];
	an = msg[6] << 8 | msg[7];
	for (i = 0; i < qd; i++) {
		if (skip_name(msg, len, &p) || len - p < 4)
			return -1;
		p += 4;
	}
	for (i = 0; i < an; i++) {
		uint32_t t;
		size_t rdlen;

		if (skip_name(msg, len, &p) || len - p < 10)
			return -1;
		t = (uint32_t)msg[p + 4] << 24 | msg[p + 5] << 16 |
		    msg[p + 6] << 8 | msg[p + 7];
		rdlen = msg[p + 8] << 8 | msg[p + 9];
		p += 10;
		if (len - p < rdlen)
			return -1;
		p += rdlen;
		if (t & 0x80000000u)
			t = 0;
		if (t < min)
			min = t;
	}
	*ttl = an ? min : 0;
	return an;
}

/* Expands the name at msg[pos]; 0, or -1. *used: its length there. */
static int expand(const unsigned char *msg, size_t len, size_t pos,
		  char **name, long *used)
{
	if (pos >= len || len > 65535)
		return -1;
	return ares_expand_name(msg + pos, msg, len, name, used) ==
	       ARES_SUCCESS ? 0 : -1;
}

int dns_answer_ptrs(const unsigned char *msg, size_t len,
		    char (*out)[DNSNAME_BUF], int max, int *bad)
{
	unsigned int qd, an, i;
	char *qname = NULL;
	size_t p = 12;
	long used;
	int n = 0;

	*bad = 0;
	if (!msg || len < 12)
		return -1;
	qd = msg[4] << 8 | msg[5];
	an = msg[6] << 8 | msg[7];
	if (qd != 1 || expand(msg, len, p, &qname, &used))
		return -1;
	if (skip_name(msg, len, &p) || len - p < 4) {
		ares_free_string(qname);
		return -1;
	}
	p += 4;
	for (i = 0; i < an; i++) {
		char *owner = NULL, *target = NULL;
		size_t rdlen, rr = p;
		int type, class, mine;

		if (skip_name(msg, len, &p) || len - p < 10)
			break;
		type = msg[p] << 8 | msg[p + 1];
		class = msg[p + 2] << 8 | msg[p + 3];
		rdlen = msg[p + 8] << 8 | msg[p + 9];
		p += 10;
		if (len - p < rdlen)
			break;
		if (type != ns_t_ptr || class != ns_c_in) {
			p += rdlen;
			continue;
		}
		if (expand(msg, len, rr, &owner, &used))
			break;
		mine = !strcasecmp(owner, qname);
		ares_free_string(owner);
		if (expand(msg, len, p, &target, &used) || (size_t)used > rdlen)
			goto bad_target;
		if (mine && n < max) {
			if (dnsname_instance(target, strlen(target), out[n],
					     DNSNAME_BUF) >= 0)
				n++;
			else
				(*bad)++;
		}
		ares_free_string(target);
		p += rdlen;
		continue;
bad_target:
		if (target)
			ares_free_string(target);
		break;
	}
	ares_free_string(qname);
	return i < an ? -1 : n;
}

int dns_msg_records(const unsigned char *msg, size_t len, int *qtype,
		    int *qclass, struct dns_rr *out, int max)
{
	unsigned int count[3], total;
	size_t p = 12;
	int n = 0;

	if (!msg || len < 12 || (msg[4] << 8 | msg[5]) != 1)
		return -1;
	count[0] = msg[6] << 8 | msg[7];
	count[1] = msg[8] << 8 | msg[9];
	count[2] = msg[10] << 8 | msg[11];
	total = count[0] + count[1] + count[2];
	/* announced beyond the bound: refused before any walking */
	if (total > (unsigned int)(max < 0 ? 0 : max))
		return -1;
	if (skip_name(msg, len, &p) || len - p < 4)
		return -1;
	*qtype = msg[p] << 8 | msg[p + 1];
	*qclass = msg[p + 2] << 8 | msg[p + 3];
	p += 4;
	for (int s = 0; s < 3; s++)
		for (unsigned int i = 0; i < count[s]; i++, n++) {
			struct dns_rr *rr = &out[n];

			rr->section = DNS_SEC_ANSWER + s;
			rr->owner = p;
			if (skip_name(msg, len, &p) || len - p < 10)
				return -1;
			rr->at = p;
			rr->type = msg[p] << 8 | msg[p + 1];
			rr->class = msg[p + 2] << 8 | msg[p + 3];
			rr->ttl = (uint32_t)msg[p + 4] << 24 |
				  msg[p + 5] << 16 | msg[p + 6] << 8 |
				  msg[p + 7];
			rr->rdlen = msg[p + 8] << 8 | msg[p + 9];
			p += 10;
			if (len - p < rr->rdlen)
				return -1;
			rr->rdata = p;
			p += rr->rdlen;
		}
	return n;
}

int dns_msg_name(const unsigned char *msg, size_t len, size_t pos,
		 int instance, char *out, size_t outsz)
{
	char *name = NULL;
	long used;
	int n;

	if (expand(msg, len, pos, &name, &used))
		return -1;
	n = instance ? dnsname_instance(name, strlen(name), out, outsz) :
		       dnsname_host(name, strlen(name), out, outsz);
	ares_free_string(name);
	return n;
}

/* "53" to 53; 0 when it is no port. */
static uint16_t parse_port(const char *s)
{
	unsigned long v = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!is_digit(*s))
			return 0;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return 0;
	}
	return v;
}

static int parse_server(char *tok, struct dns_server *s)
{
	char *cut, *end;

	cut = strchr(tok, '#');
	if (cut)
		*cut = 0;
	/* "%IFINDEX": after the address, or after the port */
	cut = strchr(tok, '%');
	if (cut) {
		end = strchr(cut, ']');
		memmove(cut, end ? end : cut + strlen(cut),
			strlen(end ? end : cut + strlen(cut)) + 1);
	}
	s->port = 53;
	if (tok[0] == '[') {
		end = strchr(tok, ']');
		if (!end)
			return -1;
		*end++ = 0;
		if (*end == ':') {
			s->port = parse_port(end + 1);
			if (!s->port)
				return -1;
		} else if (*end) {
			return -1;
		}
		s->family = AF_INET6;
		return inet_pton(AF_INET6, tok + 1, &s->addr.v6) == 1 ? 0 : -1;
	}
	if (inet_pton(AF_INET6, tok, &s->addr.v6) == 1) {
		s->family = AF_INET6;
		return 0;
	}
	cut = strchr(tok, ':');
	if (cut) {
		*cut = 0;
		s->port = parse_port(cut + 1);
		if (!s->port)
			return -1;
	}
	s->family = AF_INET;
	return inet_pton(AF_INET, tok, &s->addr.v4) == 1 ? 0 : -1;
}

int resolved_link_servers(const char *text, size_t len,
			  struct dns_server *out, int max)
{
	static const char key[] = "SERVERS=";
	size_t p = 0;
	int n = 0;

	/* the first line that starts with the key */
	while (p < len) {
		if (len - p >= sizeof(key) - 1 &&
		    !memcmp(text + p, key, sizeof(key) - 1))
			break;
		while (p < len && text[p] != '\n')
			p++;
		p++;
	}
	if (p >= len)
		return 0;
	p += sizeof(key) - 1;
	while (p < len && text[p] != '\n' && n < max) {
		char tok[128];
		size_t t = 0, skip = 0;

		while (p < len && (text[p] == ' ' || text[p] == '\t'))
			p++;
		while (p < len && text[p] != ' ' && text[p] != '\t' &&
		       text[p] != '\n') {
			if (text[p] == 0 || t + 1 >= sizeof(tok))
				skip = 1;
			else
				tok[t++] = text[p];
			p++;
		}
		tok[t] = 0;
		if (t && !skip && !parse_server(tok, &out[n]))
			n++;
	}
	return n;
}
