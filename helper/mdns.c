// SPDX-License-Identifier: GPL-2.0
/* heyd's one-shot multicast DNS querier. See mdns.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ares.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "dnsname.h"
#include "mdns.h"

/* SRV and TXT, then AAAA and A of each SRV target */
#define MAX_QUESTIONS	(2 + 2 * RESOLVE_MAX_SRV)
/* datagrams read at a time: the loop polls again for the rest */
#define READ_BURST	32
/* RFC 6895: a private-use type, which c-ares' parsers skip */
#define HIDDEN_TYPE	0xff00

struct question {
	uint16_t id;
	int qtype;
	int srv;		/* the SRV record whose target this asks; -1 */
	char name[DNSNAME_BUF];	/* query form */
	int sent;		/* tries so far; 0: not yet sent */
	int64_t due;		/* the next try, or the end */
	bool open;		/* neither answered nor given up */
	bool empty;		/* a response came without its records */
};

struct mdns_req {
	struct mdns_req *next;
	struct mdns_path *p;
	resolve_cb cb;
	void *arg;
	int holds;		/* open questions, and the handler's hold */
	int status;		/* for DONE */
	char name[DNSNAME_BUF];
	int nsrv;
	struct resolve_srv srvs[RESOLVE_MAX_SRV];
	int nq;
	struct question q[MAX_QUESTIONS];
};

struct mdns_path {
	char ifname[IF_NAMESIZE];	/* "": unbound */
	int ifindex;
	int fd[2];			/* IPv4, IPv6; -1: none */
	struct sockaddr_in dst4;
	struct sockaddr_in6 dst6;
	uint16_t port;			/* where answers come from */
	bool test;
	int timeout_ms, tries;
	struct mdns_prefix pfx[MDNS_MAX_PREFIXES];
	int npfx;
	struct mdns_req *reqs;
	uint16_t next_id;
	struct mdns_stats stats;
	unsigned char *buf;		/* MDNS_MSG_MAX + 1 */
	bool dying;
};

/* ---- the link ------------------------------------------------------- */

static bool prefix_has(const uint8_t *pfx, const uint8_t *addr, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(pfx, addr, bytes))
		return false;
	return !rest || !((pfx[bytes] ^ addr[bytes]) & (0xff << (8 - rest)));
}

bool mdns_on_link(const struct sockaddr *src, const struct mdns_prefix *pfx,
		  int n)
{
	const uint8_t *a;
	int family = src->sa_family;

	if (family == AF_INET) {
		a = (const uint8_t *)&((const struct sockaddr_in *)src)->sin_addr;
	} else if (family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)src)->sin6_addr.s6_addr;
		/* fe80::/10: the link's own */
		if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			return true;
	} else {
		return false;
	}
	for (int i = 0; i < n; i++)
		if (pfx[i].family == family &&
		    prefix_has(pfx[i].addr, a, pfx[i].len))
			return true;
	return false;
}

static int mask_len(const uint8_t *m, int bytes)
{
	int n = 0;

	for (int i = 0; i < bytes; i++)
		for (int b = 7; b >= 0 && (m[i] >> b & 1); b--)
			n++;
	return n;
}

/*
 * The interface's prefixes, again: it may have gained or lost addresses
 * since the last request. Which families it has decides the sockets.
 */
static void refresh_prefixes(struct mdns_path *p, bool *has4, bool *has6)
{
	struct ifaddrs *ifa, *i;

	p->npfx = 0;
	*has4 = *has6 = !p->ifname[0];
	if (!p->ifname[0] || getifaddrs(&ifa))
		return;
	for (i = ifa; i; i = i->ifa_next) {
		struct mdns_prefix *x = &p->pfx[p->npfx];
		int family;

		if (!i->ifa_addr || !i->ifa_netmask ||
		    strcmp(i->ifa_name, p->ifname))
			continue;
		family = i->ifa_addr->sa_family;
		if (family == AF_INET)
			*has4 = true;
		else if (family == AF_INET6)
			*has6 = true;
		else
			continue;
		if (p->npfx == MDNS_MAX_PREFIXES)
			continue;
		x->family = family;
		if (family == AF_INET) {
			memcpy(x->addr, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			x->len = mask_len((uint8_t *)&((struct sockaddr_in *)
					  i->ifa_netmask)->sin_addr, 4);
		} else {
			memcpy(x->addr, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			x->len = mask_len(((struct sockaddr_in6 *)
					  i->ifa_netmask)->sin6_addr.s6_addr, 16);
		}
		p->npfx++;
	}
	freeifaddrs(ifa);
}

/* A socket of family on the path's interface, on an ephemeral port. */
static int open_socket(struct mdns_path *p, int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, ttl = 255, err = 0;

	if (fd < 0)
		return -1;
	if (p->ifname[0])
		err |= setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->ifname,
				 strlen(p->ifname));
	if (family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = p->ifindex };

		if (p->ifindex)
			err |= setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
					 sizeof(mr));
		err |= setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
				 sizeof(ttl));
		/* the interface an answer came in on */
		err |= setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one,
				 sizeof(one));
	} else {
		if (p->ifindex)
			err |= setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
					 &p->ifindex, sizeof(p->ifindex));
		err |= setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				 sizeof(one));
		err |= setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
				 sizeof(ttl));
		err |= setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
				 sizeof(one));
	}
	/*
	 * Not bound to a port: the first sendto() picks an ephemeral one,
	 * never 5353, which is what asks responders for unicast answers.
	 */
	if (err) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The sockets the interface's families call for now. */
static void refresh(struct mdns_path *p)
{
	bool has[2];

	refresh_prefixes(p, &has[0], &has[1]);
	if (p->test) {
		has[0] = p->dst4.sin_family == AF_INET;
		has[1] = p->dst6.sin6_family == AF_INET6;
	}
	for (int f = 0; f < 2; f++)
		if (has[f] && p->fd[f] < 0)
			p->fd[f] = open_socket(p, f ? AF_INET6 : AF_INET);
}

/* ---- requests and their events -------------------------------------- */

static void emit(struct mdns_req *r, struct resolve_event *ev)
{
	if (!r->p->dying)
		r->cb(ev, r->arg);
}

static void req_put(struct mdns_req *r)
{
	struct mdns_req **pp;

	if (--r->holds > 0)
		return;
	struct resolve_event ev = {
		.type = RESOLVE_EV_DONE,
		.status = r->status,
		.name = r->name,
	};
	emit(r, &ev);
	for (pp = &r->p->reqs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	free(r);
}

static bool asks_instance(const struct question *q)
{
	return q->qtype == ns_t_srv || q->qtype == ns_t_txt;
}

static struct question *question_add(struct mdns_req *r, int qtype,
				     const char *name, int srv)
{
	struct question *q;

	if (r->nq == MAX_QUESTIONS)
		return NULL;
	q = &r->q[r->nq++];
	memset(q, 0, sizeof(*q));
	q->id = r->p->next_id++;
	q->qtype = qtype;
	q->srv = srv;
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->open = true;
	r->holds++;
	return q;
}

static void question_send(struct mdns_path *p, struct question *q)
{
	unsigned char *msg;
	int len;

	q->sent++;
	q->due = now_ms() + p->timeout_ms;
	/* no RD, no EDNS: a plain query (RFC 6762 section 18) */
	if (ares_create_query(q->name, ns_c_in, q->qtype, q->id, 0, &msg,
			      &len, 0) != ARES_SUCCESS)
		return;		/* it ends at its timeout */
	if (p->fd[0] >= 0 &&
	    sendto(p->fd[0], msg, len, 0, (struct sockaddr *)&p->dst4,
		   sizeof(p->dst4)) == len)
		p->stats.queries++;
	if (p->fd[1] >= 0 &&
	    sendto(p->fd[1], msg, len, 0, (struct sockaddr *)&p->dst6,
		   sizeof(p->dst6)) == len)
		p->stats.queries++;
	ares_free_string(msg);
}

/* Ends q, reporting status (and, for A/AAAA, the addresses). */
static void question_end(struct mdns_req *r, struct question *q, int status,
			 const struct resolve_addr *addrs, int n)
{
	struct resolve_event ev = {
		.status = status,
		.final = true,
		.name = q->name,
		.n = n,
		.addrs = addrs,
	};

	switch (q->qtype) {
	case ns_t_a:
	case ns_t_aaaa:
		ev.type = RESOLVE_EV_ADDRS;
		ev.family = q->qtype == ns_t_a ? AF_INET : AF_INET6;
		ev.srv = q->srv >= 0 ? &r->srvs[q->srv] : NULL;
		for (int i = 0; i < n; i++)
			if (i == 0 || addrs[i].ttl < ev.ttl)
				ev.ttl = addrs[i].ttl;
		break;
	case ns_t_srv:
		ev.type = RESOLVE_EV_SRV;
		ev.n = 0;
		break;
	default:
		ev.type = RESOLVE_EV_TXT;
		ev.n = 0;
		break;
	}
	q->open = false;
	emit(r, &ev);
	req_put(r);
}

/* Sends every question not sent yet: the targets of an SRV answer. */
static void send_new(struct mdns_req *r)
{
	for (int i = 0; i < r->nq; i++)
		if (r->q[i].open && !r->q[i].sent)
			question_send(r->p, &r->q[i]);
}

static struct mdns_req *req_new(struct mdns_path *p, resolve_cb cb,
				void *arg)
{
	struct mdns_req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->p = p;
	r->cb = cb;
	r->arg = arg;
	r->holds = 1;
	r->next = p->reqs;
	p->reqs = r;
	return r;
}

typedef int (*name_check)(const char *in, size_t len, char *out,
			  size_t outsz);

static int request(struct mdns_path *p, const char *name, name_check check,
		   const int *types, int ntypes, resolve_cb cb, void *arg)
{
	struct mdns_req *r = req_new(p, cb, arg);

	if (!r)
		return -1;
	refresh(p);
	if (!name || check(name, strlen(name), r->name, sizeof(r->name)) < 0) {
		r->name[0] = 0;
		r->status = RESOLVE_BADNAME;
	} else if (p->fd[0] < 0 && p->fd[1] < 0) {
		r->status = RESOLVE_ERROR;	/* no address, or no socket */
	} else {
		for (int i = 0; i < ntypes; i++)
			question_add(r, types[i], r->name, -1);
		send_new(r);
	}
	req_put(r);
	return 0;
}

int mdns_host(struct mdns_path *p, const char *name, resolve_cb cb,
	      void *arg)
{
	/* AAAA first: RFC 8305 section 3 */
	static const int types[] = { ns_t_aaaa, ns_t_a };

	return request(p, name, dnsname_host, types, 2, cb, arg);
}

int mdns_service(struct mdns_path *p, const char *instance, resolve_cb cb,
		 void *arg)
{
	static const int types[] = { ns_t_srv, ns_t_txt };

	return request(p, instance, dnsname_instance, types, 2, cb, arg);
}

/* ---- responses ------------------------------------------------------- */

/* Whether the record's owner is name (of a host, or an instance). */
static bool owned_by(const unsigned char *msg, size_t len,
		     const struct dns_rr *rr, const char *name, bool instance)
{
	char owner[DNSNAME_BUF];

	return dns_msg_name(msg, len, rr->owner, instance, owner,
			    sizeof(owner)) >= 0 && !strcasecmp(owner, name);
}

/*
 * The addresses a response carries for the open A and AAAA questions of
 * r other than the one it answers: a responder answering SRV, or one
 * family of a host, often adds the rest (RFC 6763 section 12.2, RFC
 * 6762 section 6.2), in the additional section or the answer section,
 * all of them (they are its unique records), which saves a query.
 */
static void use_additional(struct mdns_req *r, const unsigned char *msg,
			   size_t len, const struct dns_rr *rr, int nrr)
{
	for (int i = 0; i < r->nq; i++) {
		struct question *q = &r->q[i];
		struct resolve_addr addrs[RESOLVE_MAX_ADDRS];
		size_t alen = q->qtype == ns_t_a ? 4 : 16;
		int n = 0;

		if (!q->open || (q->qtype != ns_t_a && q->qtype != ns_t_aaaa))
			continue;
		for (int k = 0; k < nrr && n < RESOLVE_MAX_ADDRS; k++) {
			const struct dns_rr *x = &rr[k];

			if (x->section == DNS_SEC_AUTHORITY ||
			    x->type != q->qtype ||
			    (x->class & 0x7fff) != ns_c_in ||
			    x->rdlen != alen ||
			    !owned_by(msg, len, x, q->name, false))
				continue;
			memset(&addrs[n], 0, sizeof(addrs[n]));
			addrs[n].family = alen == 4 ? AF_INET : AF_INET6;
			memcpy(addrs[n].addr, msg + x->rdata, alen);
			addrs[n].ttl = x->ttl & 0x80000000u ? 0 : x->ttl;
			if (addrs[n].ttl > RESOLVE_TTL_CAP)
				addrs[n].ttl = RESOLVE_TTL_CAP;
			n++;
		}
		if (n)
			question_end(r, q, RESOLVE_OK, addrs, n);
	}
}

static uint32_t answer_ttl(const unsigned char *msg, int len)
{
	uint32_t ttl;

	return dns_answer_min_ttl(msg, len, RESOLVE_TTL_CAP, &ttl) > 0 ? ttl : 0;
}

/* The answer to q in msg, by c-ares' parsers: whether it ended q. */
static bool use_answer(struct mdns_req *r, struct question *q,
		       const unsigned char *msg, int len)
{
	struct resolve_addr addrs[RESOLVE_MAX_ADDRS];
	struct resolve_txt txt[RESOLVE_MAX_TXT];
	struct resolve_event ev = { .final = true, .name = q->name };
	void *mem;
	int st, n;

	switch (q->qtype) {
	case ns_t_a:
	case ns_t_aaaa:
		st = resolve_parse_addrs(q->qtype, msg, len, 0, addrs, &n);
		if (st != RESOLVE_OK)
			break;
		question_end(r, q, st, addrs, n);
		return true;
	case ns_t_srv:
		st = resolve_parse_srv(msg, len, r->srvs, &n);
		if (st != RESOLVE_OK && st != RESOLVE_NOSERVICE &&
		    st != RESOLVE_BADNAME)
			break;
		r->nsrv = n;
		ev.type = RESOLVE_EV_SRV;
		ev.status = st;
		ev.n = n;
		ev.srvs = r->srvs;
		ev.ttl = n ? answer_ttl(msg, len) : 0;
		emit(r, &ev);
		for (int i = 0; i < n; i++) {
			question_add(r, ns_t_aaaa, r->srvs[i].target, i);
			question_add(r, ns_t_a, r->srvs[i].target, i);
		}
		q->open = false;
		req_put(r);
		return true;
	case ns_t_txt:
		st = resolve_parse_txt(msg, len, txt, &n, &mem);
		if (st == RESOLVE_OK) {
			ev.type = RESOLVE_EV_TXT;
			ev.status = st;
			ev.n = n;
			ev.txt = txt;
			ev.ttl = answer_ttl(msg, len);
			emit(r, &ev);
		}
		resolve_txt_free(mem);
		if (st != RESOLVE_OK)
			break;
		q->open = false;
		req_put(r);
		return true;
	default:
		return false;
	}
	if (st == RESOLVE_NODATA)
		q->empty = true;
	return false;
}

static struct question *question_of(struct mdns_path *p, uint16_t id,
				    int qtype, struct mdns_req **rp)
{
	for (struct mdns_req *r = p->reqs; r; r = r->next)
		for (int i = 0; i < r->nq; i++)
			if (r->q[i].open && r->q[i].sent &&
			    r->q[i].id == id && r->q[i].qtype == qtype) {
				*rp = r;
				return &r->q[i];
			}
	return NULL;
}

/* A datagram from the link: used when it answers a question, or dropped. */
static void handle_response(struct mdns_path *p, unsigned char *msg,
			    size_t len)
{
	struct dns_rr rr[MDNS_MAX_RRS];
	char qname[DNSNAME_BUF];
	struct question *q;
	struct mdns_req *r;
	int qtype, qclass, nrr;

	nrr = dns_msg_records(msg, len, &qtype, &qclass, rr, MDNS_MAX_RRS);
	/* a response (QR) to a standard query (opcode 0), no error */
	if (nrr < 0 || !(msg[2] & 0x80) || (msg[2] & 0x78) || (msg[3] & 0x0f))
		goto drop;
	q = question_of(p, msg[0] << 8 | msg[1], qtype, &r);
	if (!q || (qclass & 0x7fff) != ns_c_in ||
	    dns_msg_name(msg, len, 12, asks_instance(q), qname,
			 sizeof(qname)) < 0 ||
	    strcasecmp(qname, q->name))
		goto drop;
	/*
	 * What c-ares' parsers are to see: classes without the cache-flush
	 * bit (RFC 6762 section 10.2; responders should not set it in
	 * legacy unicast answers, some do), as they take class IN only; no
	 * answer record of another owner (c-ares checks A and AAAA owners,
	 * not SRV and TXT ones).
	 */
	for (int i = 0; i < nrr; i++) {
		msg[rr[i].at + 2] &= 0x7f;
		if (rr[i].section == DNS_SEC_ANSWER &&
		    !owned_by(msg, len, &rr[i], q->name, asks_instance(q))) {
			msg[rr[i].at] = HIDDEN_TYPE >> 8;
			msg[rr[i].at + 1] = HIDDEN_TYPE & 0xff;
		}
	}
	p->stats.answers++;
	r->holds++;	/* the request lives on until this is done */
	use_answer(r, q, msg, len);
	use_additional(r, msg, len, rr, nrr);
	send_new(r);
	req_put(r);
	return;
drop:
	p->stats.dropped++;
}

/* Whether a datagram came from where answers may: see mdns.h. */
static bool from_link(struct mdns_path *p, const struct sockaddr *src,
		      struct msghdr *mh)
{
	int ifindex = 0;
	uint16_t port;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = pi.ipi6_ifindex;
		}
	}
	if (src->sa_family == AF_INET)
		port = ntohs(((const struct sockaddr_in *)src)->sin_port);
	else
		port = ntohs(((const struct sockaddr_in6 *)src)->sin6_port);
	if (port != p->port)
		return false;
	if (!p->ifname[0])
		return true;	/* unbound: the tests' */
	return ifindex == p->ifindex && mdns_on_link(src, p->pfx, p->npfx);
}

void mdns_process_fd(struct mdns_path *p, int fd)
{
	for (int i = 0; i < READ_BURST; i++) {
		union {
			struct cmsghdr align;
			char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			       CMSG_SPACE(sizeof(struct in_pktinfo))];
		} ctl;
		struct sockaddr_storage src;
		/* one byte more than the most: a longer one is cut, seen */
		struct iovec iov = { p->buf, MDNS_MSG_MAX + 1 };
		struct msghdr mh = {
			.msg_name = &src, .msg_namelen = sizeof(src),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
		};
		ssize_t len = recvmsg(fd, &mh, 0);

		if (len < 0)
			return;		/* EAGAIN: all read */
		if (len > MDNS_MSG_MAX || (mh.msg_flags & (MSG_TRUNC |
							   MSG_CTRUNC)) ||
		    !from_link(p, (struct sockaddr *)&src, &mh)) {
			p->stats.dropped++;
			continue;
		}
		handle_response(p, p->buf, len);
	}
}

/* ---- timeouts -------------------------------------------------------- */

int64_t mdns_timeout_ms(struct mdns_path *p)
{
	int64_t at = -1, now = now_ms();

	for (struct mdns_req *r = p->reqs; r; r = r->next)
		for (int i = 0; i < r->nq; i++)
			if (r->q[i].open && r->q[i].sent)
				at = deadline_min(at, r->q[i].due);
	if (at < 0)
		return -1;
	return at > now ? at - now : 0;
}

void mdns_process_timeouts(struct mdns_path *p)
{
	int64_t now = now_ms();
	struct mdns_req *r, *next;

	for (r = p->reqs; r; r = next) {
		/* the hold keeps r (and next's link) while its events run */
		r->holds++;
		for (int i = 0; i < r->nq; i++) {
			struct question *q = &r->q[i];

			if (!q->open || !q->sent || q->due > now)
				continue;
			if (q->sent < p->tries)
				question_send(p, q);
			else
				question_end(r, q, q->empty ? RESOLVE_NODATA :
					     RESOLVE_TIMEOUT, NULL, 0);
		}
		next = r->next;
		req_put(r);
	}
}

/* ---- paths ------------------------------------------------------------ */

int mdns_path_new(const struct mdns_config *cfg, struct mdns_path **out)
{
	struct mdns_path *p;

	*out = NULL;
	if (cfg->ifname && strnlen(cfg->ifname, IF_NAMESIZE) >= IF_NAMESIZE)
		return RESOLVE_BADNAME;
	p = calloc(1, sizeof(*p));
	if (!p)
		return RESOLVE_ERROR;
	p->buf = malloc(MDNS_MSG_MAX + 1);
	if (!p->buf) {
		free(p);
		return RESOLVE_ERROR;
	}
	p->fd[0] = p->fd[1] = -1;
	if (cfg->ifname)
		snprintf(p->ifname, sizeof(p->ifname), "%s", cfg->ifname);
	p->ifindex = cfg->ifindex;
	p->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 2000;
	p->tries = cfg->tries > 0 ? cfg->tries : 2;
	/* IDs from a random start: a stray answer rarely matches one */
	if (getrandom(&p->next_id, sizeof(p->next_id), GRND_NONBLOCK) < 0)
		p->next_id = (uint16_t)now_ms();
	p->port = MDNS_PORT;
	p->test = cfg->test_dest4 || cfg->test_dest6;
	if (p->test) {
		if (cfg->test_dest4)
			p->dst4 = *cfg->test_dest4;
		if (cfg->test_dest6)
			p->dst6 = *cfg->test_dest6;
		p->port = ntohs(cfg->test_dest4 ? cfg->test_dest4->sin_port :
				cfg->test_dest6->sin6_port);
	} else {
		p->dst4.sin_family = AF_INET;
		p->dst4.sin_port = htons(MDNS_PORT);
		p->dst4.sin_addr.s_addr = htonl(0xe00000fb);	/* 224.0.0.251 */
		p->dst6.sin6_family = AF_INET6;
		p->dst6.sin6_port = htons(MDNS_PORT);
		inet_pton(AF_INET6, "ff02::fb", &p->dst6.sin6_addr);
		p->dst6.sin6_scope_id = cfg->ifindex;
	}
	refresh(p);
	*out = p;
	return RESOLVE_OK;
}

void mdns_path_free(struct mdns_path *p)
{
	struct mdns_req *r, *next;

	if (!p)
		return;
	p->dying = true;
	for (r = p->reqs; r; r = next) {
		next = r->next;
		free(r);
	}
	for (int f = 0; f < 2; f++)
		if (p->fd[f] >= 0)
			close(p->fd[f]);
	free(p->buf);
	free(p);
}

const struct mdns_stats *mdns_path_stats(const struct mdns_path *p)
{
	return &p->stats;
}

int mdns_fds(struct mdns_path *p, int *out, int max)
{
	int n = 0;

	for (int f = 0; f < 2 && n < max; f++)
		if (p->fd[f] >= 0)
			out[n++] = p->fd[f];
	return n;
}
