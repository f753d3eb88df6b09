// SPDX-License-Identifier: GPL-2.0
/* heyd's resolver: DNS per network path on c-ares. See resolve.h. */
#define _GNU_SOURCE
#include <arpa/nameser.h>
#include <ares.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "resolve.h"

#define RESOLVED_NETIF_DIR	"/run/systemd/resolve/netif"
#define RESOLVED_FILE_MAX	8192
#define MAX_SERVERS		8

struct cache_entry {
	int qtype;
	char name[DNSNAME_BUF];
	unsigned char *msg;
	int len;
	int64_t stored, expires;	/* ms of the path's clock */
};

struct resolve_path {
	ares_channel ch;
	enum resolve_source source;
	int64_t (*now_ms)(void *arg);
	void *now_arg;
	struct cache_entry *cache;
	int cache_n, cache_max;
	size_t cache_bytes_max;
	struct resolve_stats stats;
	bool dying;
};

struct resolve_req {
	struct resolve_path *p;
	resolve_cb cb;
	void *arg;
	int pending;		/* queries under way, and the starter's hold */
	int status;		/* for DONE */
	bool follow;		/* ask for the SRV targets */
	char name[DNSNAME_BUF];
	int nsrv;
	struct resolve_srv srvs[RESOLVE_MAX_SRV];
};

struct query {
	struct resolve_req *req;
	int qtype;
	int srv;		/* the SRV record whose target this is; -1 */
	char name[DNSNAME_BUF];
};

const char *resolve_strstatus(int status)
{
	static const char *const names[] = {
		[RESOLVE_OK] = "ok",
		[RESOLVE_NODATA] = "no data",
		[RESOLVE_NXDOMAIN] = "no such name",
		[RESOLVE_SERVFAIL] = "server failure",
		[RESOLVE_BADRESP] = "malformed answer",
		[RESOLVE_BADNAME] = "bad name",
		[RESOLVE_NOSERVICE] = "service not available",
		[RESOLVE_TIMEOUT] = "timeout",
		[RESOLVE_ERROR] = "error",
	};

	if (status < 0 || status >= (int)(sizeof(names) / sizeof(names[0])))
		return "?";
	return names[status];
}

static int from_ares(int rc)
{
	switch (rc) {
	case ARES_SUCCESS:
		return RESOLVE_OK;
	case ARES_ENODATA:
		return RESOLVE_NODATA;
	case ARES_ENOTFOUND:
		return RESOLVE_NXDOMAIN;
	case ARES_ESERVFAIL:
	case ARES_ENOTIMP:
	case ARES_EREFUSED:
	case ARES_EFORMERR:
	/* c-ares 1.18 ends a query that every server answered with
	 * SERVFAIL, NOTIMP or REFUSED (or could not be sent) thus
	 */
	case ARES_ECONNREFUSED:
		return RESOLVE_SERVFAIL;
	case ARES_EBADRESP:
		return RESOLVE_BADRESP;
	case ARES_EBADNAME:
		return RESOLVE_BADNAME;
	case ARES_ETIMEOUT:
		return RESOLVE_TIMEOUT;
	default:
		return RESOLVE_ERROR;
	}
}

static int64_t path_now(struct resolve_path *p)
{
	return p->now_ms ? p->now_ms(p->now_arg) : now_ms();
}

/* ---- the cache ------------------------------------------------------ */

static void cache_drop(struct resolve_path *p, int i)
{
	p->stats.cache_bytes -= p->cache[i].len;
	free(p->cache[i].msg);
	p->cache[i] = p->cache[--p->cache_n];
	p->stats.cache_entries = p->cache_n;
}

/* The entry to give up for room: an expired one, else the one expiring first. */
static int cache_victim(struct resolve_path *p, int64_t now)
{
	int victim = 0;

	for (int i = 1; i < p->cache_n; i++)
		if (p->cache[i].expires < p->cache[victim].expires)
			victim = i;
	if (p->cache[victim].expires > now)
		p->stats.cache_evictions++;
	return victim;
}

static struct cache_entry *cache_find(struct resolve_path *p, int qtype,
				      const char *name)
{
	int64_t now = path_now(p);

	for (int i = 0; i < p->cache_n; i++) {
		struct cache_entry *e = &p->cache[i];

		if (e->qtype != qtype || strcasecmp(e->name, name))
			continue;
		if (now >= e->expires) {
			cache_drop(p, i);
			return NULL;
		}
		return e;
	}
	return NULL;
}

/*
 * Keeps a copy of the answer, within both bounds: cache_max entries and
 * cache_bytes_max bytes of answers (what the copies take).
 */
static void cache_store(struct resolve_path *p, int qtype, const char *name,
			const unsigned char *msg, int len)
{
	struct cache_entry *e;
	int64_t now = path_now(p);
	unsigned char *copy;
	uint32_t ttl;

	if (p->cache_max <= 0 || len > RESOLVE_CACHE_ANSWER_MAX ||
	    (size_t)len > p->cache_bytes_max ||
	    dns_answer_min_ttl(msg, len, RESOLVE_TTL_CAP, &ttl) <= 0 || !ttl)
		return;
	copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, msg, len);
	/* the question's older answer gives way to this one */
	for (int i = 0; i < p->cache_n; i++)
		if (p->cache[i].qtype == qtype &&
		    !strcasecmp(p->cache[i].name, name)) {
			cache_drop(p, i);
			break;
		}
	/* full, by count or by bytes: make room */
	while (p->cache_n && (p->cache_n == p->cache_max ||
			      p->stats.cache_bytes + len > p->cache_bytes_max))
		cache_drop(p, cache_victim(p, now));
	e = &p->cache[p->cache_n++];
	e->qtype = qtype;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->msg = copy;
	e->len = len;
	e->stored = now;
	e->expires = now + (int64_t)ttl * 1000;
	p->stats.cache_entries = p->cache_n;
	p->stats.cache_bytes += len;
}

/* ---- requests and their events -------------------------------------- */

static void emit(struct resolve_req *r, struct resolve_event *ev)
{
	if (!r->p->dying)
		r->cb(ev, r->arg);
}

static void req_put(struct resolve_req *r)
{
	if (--r->pending > 0)
		return;
	struct resolve_event ev = {
		.type = RESOLVE_EV_DONE,
		.status = r->status,
		.name = r->name,
	};
	emit(r, &ev);
	free(r);
}

static struct resolve_req *req_new(struct resolve_path *p, resolve_cb cb,
				   void *arg)
{
	struct resolve_req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->p = p;
	r->cb = cb;
	r->arg = arg;
	r->pending = 1;
	r->follow = true;
	return r;
}

static enum resolve_event_type event_of(int qtype)
{
	switch (qtype) {
	case ns_t_ptr:
		return RESOLVE_EV_BROWSE;
	case ns_t_srv:
		return RESOLVE_EV_SRV;
	case ns_t_txt:
		return RESOLVE_EV_TXT;
	default:
		return RESOLVE_EV_ADDRS;
	}
}

static void event_init(struct resolve_event *ev, const struct query *q,
		       int status, bool cached)
{
	const struct resolve_req *r = q->req;

	*ev = (struct resolve_event){
		.type = event_of(q->qtype),
		.status = status,
		.final = true,
		.cached = cached,
		.family = q->qtype == ns_t_a ? AF_INET :
			  q->qtype == ns_t_aaaa ? AF_INET6 : 0,
		.name = q->name,
		.srv = q->srv >= 0 ? &r->srvs[q->srv] : NULL,
	};
}

static uint32_t aged(int ttl, uint32_t age)
{
	uint32_t t = ttl < 0 ? 0 : (uint32_t)ttl;

	if (t > RESOLVE_TTL_CAP)
		t = RESOLVE_TTL_CAP;
	return t > age ? t - age : 0;
}

/* The lowest TTL of the answer, aged. */
static uint32_t answer_ttl(const unsigned char *msg, int len, uint32_t age)
{
	uint32_t ttl;

	if (dns_answer_min_ttl(msg, len, RESOLVE_TTL_CAP, &ttl) <= 0)
		return 0;
	return aged(ttl, age);
}

int resolve_parse_addrs(int qtype, const unsigned char *msg, int len,
			uint32_t age, struct resolve_addr *out, int *nout)
{
	struct ares_addrttl a4[RESOLVE_MAX_ADDRS];
	struct ares_addr6ttl a6[RESOLVE_MAX_ADDRS];
	int n = RESOLVE_MAX_ADDRS, rc, st;

	if (qtype == ns_t_a)
		rc = ares_parse_a_reply(msg, len, NULL, a4, &n);
	else
		rc = ares_parse_aaaa_reply(msg, len, NULL, a6, &n);
	st = from_ares(rc);
	if (st != RESOLVE_OK || n <= 0)
		n = 0;
	if (st == RESOLVE_OK && n == 0)
		st = RESOLVE_NODATA;
	if (n > RESOLVE_MAX_ADDRS)
		n = RESOLVE_MAX_ADDRS;
	for (int i = 0; i < n; i++) {
		struct resolve_addr *a = &out[i];

		memset(a, 0, sizeof(*a));
		if (qtype == ns_t_a) {
			a->family = AF_INET;
			memcpy(a->addr, &a4[i].ipaddr, 4);
			a->ttl = aged(a4[i].ttl, age);
		} else {
			a->family = AF_INET6;
			memcpy(a->addr, &a6[i].ip6addr, 16);
			a->ttl = aged(a6[i].ttl, age);
		}
	}
	*nout = n;
	return st;
}

static int handle_addrs(struct query *q, const unsigned char *msg, int len,
			uint32_t age, bool cached)
{
	struct resolve_addr addrs[RESOLVE_MAX_ADDRS];
	struct resolve_event ev;
	int n, st;

	st = resolve_parse_addrs(q->qtype, msg, len, age, addrs, &n);
	event_init(&ev, q, st, cached);
	for (int i = 0; i < n; i++)
		if (i == 0 || addrs[i].ttl < ev.ttl)
			ev.ttl = addrs[i].ttl;
	ev.n = n;
	ev.addrs = addrs;
	emit(q->req, &ev);
	return st;
}

/* PTR: see dns_answer_ptrs() for why not ares_parse_ptr_reply(). */
static int handle_browse(struct query *q, const unsigned char *msg, int len,
			 uint32_t age, bool cached)
{
	char (*names)[DNSNAME_BUF] = malloc(RESOLVE_MAX_INSTANCES *
					     sizeof(*names));
	const char *ptrs[RESOLVE_MAX_INSTANCES];
	struct resolve_event ev;
	int st, n = 0, bad = 0;

	if (!names)
		st = RESOLVE_ERROR;
	else if (len < 0 ||
		 (n = dns_answer_ptrs(msg, len, names, RESOLVE_MAX_INSTANCES,
				      &bad)) < 0)
		st = RESOLVE_BADRESP;
	else if (n == 0)
		st = bad ? RESOLVE_BADNAME : RESOLVE_NODATA;
	else
		st = RESOLVE_OK;
	if (st != RESOLVE_OK)
		n = 0;
	for (int i = 0; i < n; i++)
		ptrs[i] = names[i];
	event_init(&ev, q, st, cached);
	ev.n = n;
	ev.instances = ptrs;
	ev.ttl = n ? answer_ttl(msg, len, age) : 0;
	emit(q->req, &ev);
	free(names);
	return st;
}

static int srv_cmp(const void *a, const void *b)
{
	const struct resolve_srv *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return (int)y->weight - (int)x->weight;
}

static void start_query(struct resolve_req *r, int qtype, const char *name,
			int srv);

int resolve_parse_srv(const unsigned char *msg, int len,
		      struct resolve_srv *out, int *nout)
{
	struct ares_srv_reply *srv = NULL;
	int st, n = 0, bad = 0, none = 0;

	st = from_ares(ares_parse_srv_reply(msg, len, &srv));
	for (struct ares_srv_reply *s = srv; st == RESOLVE_OK && s &&
	     n < RESOLVE_MAX_SRV; s = s->next) {
		struct resolve_srv *o = &out[n];

		if (!s->host || !s->host[0] || !strcmp(s->host, ".")) {
			none++;
			continue;
		}
		if (dnsname_host(s->host, strlen(s->host), o->target,
				 sizeof(o->target)) < 0) {
			bad++;
			continue;
		}
		o->port = s->port;
		o->priority = s->priority;
		o->weight = s->weight;
		n++;
	}
	if (srv)
		ares_free_data(srv);
	if (st == RESOLVE_OK && n == 0)
		st = bad ? RESOLVE_BADNAME :
		     none ? RESOLVE_NOSERVICE : RESOLVE_NODATA;
	qsort(out, n, sizeof(out[0]), srv_cmp);
	*nout = n;
	return st;
}

static int handle_srv(struct query *q, const unsigned char *msg, int len,
		      uint32_t age, bool cached)
{
	struct resolve_req *r = q->req;
	struct resolve_event ev;
	int st, n;

	st = resolve_parse_srv(msg, len, r->srvs, &n);
	r->nsrv = n;
	event_init(&ev, q, st, cached);
	ev.n = n;
	ev.srvs = r->srvs;
	ev.ttl = n ? answer_ttl(msg, len, age) : 0;
	emit(r, &ev);
	if (r->follow)
		for (int i = 0; i < n; i++) {
			start_query(r, ns_t_aaaa, r->srvs[i].target, i);
			start_query(r, ns_t_a, r->srvs[i].target, i);
		}
	return st;
}

int resolve_parse_txt(const unsigned char *msg, int len,
		      struct resolve_txt *out, int *nout, void **mem)
{
	struct ares_txt_ext *t = NULL;
	int st, n = 0;

	st = from_ares(ares_parse_txt_reply_ext(msg, len, &t));
	for (struct ares_txt_ext *s = t; st == RESOLVE_OK && s &&
	     n < RESOLVE_MAX_TXT; s = s->next) {
		out[n].data = s->txt;
		out[n].len = s->length;
		n++;
	}
	if (st == RESOLVE_OK && n == 0)
		st = RESOLVE_NODATA;
	*nout = n;
	*mem = t;
	return st;
}

void resolve_txt_free(void *mem)
{
	if (mem)
		ares_free_data(mem);
}

static int handle_txt(struct query *q, const unsigned char *msg, int len,
		      uint32_t age, bool cached)
{
	struct resolve_txt txt[RESOLVE_MAX_TXT];
	struct resolve_event ev;
	void *mem;
	int st, n;

	st = resolve_parse_txt(msg, len, txt, &n, &mem);
	event_init(&ev, q, st, cached);
	ev.n = n;
	ev.txt = txt;
	ev.ttl = n ? answer_ttl(msg, len, age) : 0;
	emit(q->req, &ev);
	resolve_txt_free(mem);
	return st;
}

static int handle_answer(struct query *q, const unsigned char *msg, int len,
			 uint32_t age, bool cached)
{
	switch (q->qtype) {
	case ns_t_a:
	case ns_t_aaaa:
		return handle_addrs(q, msg, len, age, cached);
	case ns_t_ptr:
		return handle_browse(q, msg, len, age, cached);
	case ns_t_srv:
		return handle_srv(q, msg, len, age, cached);
	case ns_t_txt:
		return handle_txt(q, msg, len, age, cached);
	}
	return RESOLVE_ERROR;
}

/* A query that got no answer to parse. */
static void report_status(struct query *q, int status)
{
	struct resolve_event ev;

	event_init(&ev, q, status, false);
	emit(q->req, &ev);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *msg,
		      int len)
{
	struct query *q = arg;
	struct resolve_req *r = q->req;
	struct resolve_path *p = r->p;

	(void)timeouts;
	if (!p->dying) {
		if (status == ARES_SUCCESS && msg) {
			if (handle_answer(q, msg, len, 0, false) == RESOLVE_OK)
				cache_store(p, q->qtype, q->name, msg, len);
		} else {
			report_status(q, from_ares(status));
		}
	}
	free(q);
	req_put(r);
}

static void start_query(struct resolve_req *r, int qtype, const char *name,
			int srv)
{
	struct resolve_path *p = r->p;
	struct cache_entry *e;
	struct query *q;

	q = calloc(1, sizeof(*q));
	if (!q) {
		struct query tmp = { .req = r, .qtype = qtype, .srv = srv };

		snprintf(tmp.name, sizeof(tmp.name), "%s", name);
		report_status(&tmp, RESOLVE_ERROR);
		return;
	}
	q->req = r;
	q->qtype = qtype;
	q->srv = srv;
	snprintf(q->name, sizeof(q->name), "%s", name);
	r->pending++;
	e = cache_find(p, qtype, name);
	if (e) {
		/* a copy: handling it may store answers and evict e */
		unsigned char *copy = malloc(e->len);
		int64_t age = (path_now(p) - e->stored) / 1000;

		if (copy) {
			memcpy(copy, e->msg, e->len);
			p->stats.cache_hits++;
			handle_answer(q, copy, e->len, age < 0 ? 0 : age, true);
			free(copy);
			free(q);
			req_put(r);
			return;
		}
	}
	p->stats.queries++;
	ares_query(p->ch, q->name, ns_c_in, qtype, on_answer, q);
}

typedef int (*name_check)(const char *in, size_t len, char *out,
			  size_t outsz);

/* Starts a request for name, checked by check, of the types given. */
static int request(struct resolve_path *p, const char *name, name_check check,
		   const int *types, int ntypes, resolve_cb cb, void *arg)
{
	struct resolve_req *r = req_new(p, cb, arg);

	if (!r)
		return -1;
	if (!name || check(name, strlen(name), r->name, sizeof(r->name)) < 0) {
		snprintf(r->name, sizeof(r->name), "%s", "");
		r->status = RESOLVE_BADNAME;
	} else {
		for (int i = 0; i < ntypes; i++)
			start_query(r, types[i], r->name, -1);
	}
	req_put(r);
	return 0;
}

int resolve_host(struct resolve_path *p, const char *name, resolve_cb cb,
		 void *arg)
{
	/* AAAA first: RFC 8305 section 3 */
	static const int types[] = { ns_t_aaaa, ns_t_a };

	return request(p, name, dnsname_host, types, 2, cb, arg);
}

int resolve_browse(struct resolve_path *p, const char *service,
		   resolve_cb cb, void *arg)
{
	static const int types[] = { ns_t_ptr };

	return request(p, service, dnsname_service, types, 1, cb, arg);
}

int resolve_service(struct resolve_path *p, const char *instance,
		    resolve_cb cb, void *arg)
{
	static const int types[] = { ns_t_srv, ns_t_txt };

	return request(p, instance, dnsname_instance, types, 2, cb, arg);
}

int resolve_feed_answer(struct resolve_path *p, int qtype, const char *name,
			const unsigned char *msg, int len, resolve_cb cb,
			void *arg)
{
	struct resolve_req *r = req_new(p, cb, arg);
	struct query q = { .req = r, .qtype = qtype, .srv = -1 };
	int st;

	if (!r)
		return RESOLVE_ERROR;
	r->follow = false;
	snprintf(q.name, sizeof(q.name), "%s", name ? name : "");
	snprintf(r->name, sizeof(r->name), "%s", q.name);
	st = handle_answer(&q, msg, len, 0, false);
	req_put(r);
	return st;
}

/* ---- paths -------------------------------------------------------------- */

/* The servers resolved knows for the link: how many were set. */
static int servers_from_resolved(ares_channel ch, const char *dir,
				 int ifindex)
{
	struct ares_addr_port_node nodes[MAX_SERVERS];
	struct dns_server s[MAX_SERVERS];
	char path[256], *buf;
	ssize_t len = 0, got;
	int fd, n;

	snprintf(path, sizeof(path), "%s/%d", dir ? dir : RESOLVED_NETIF_DIR,
		 ifindex);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	buf = malloc(RESOLVED_FILE_MAX);
	if (!buf) {
		close(fd);
		return 0;
	}
	while (len < RESOLVED_FILE_MAX &&
	       (got = read(fd, buf + len, RESOLVED_FILE_MAX - len)) > 0)
		len += got;
	close(fd);
	n = resolved_link_servers(buf, len, s, MAX_SERVERS);
	free(buf);
	for (int i = 0; i < n; i++) {
		memset(&nodes[i], 0, sizeof(nodes[i]));
		nodes[i].next = i + 1 < n ? &nodes[i + 1] : NULL;
		nodes[i].family = s[i].family;
		if (s[i].family == AF_INET)
			nodes[i].addr.addr4 = s[i].addr.v4;
		else
			memcpy(&nodes[i].addr.addr6, &s[i].addr.v6, 16);
		nodes[i].udp_port = s[i].port;
		nodes[i].tcp_port = s[i].port;
	}
	if (n && ares_set_servers_ports(ch, nodes) != ARES_SUCCESS)
		return 0;
	return n;
}

int resolve_path_new(const struct resolve_config *cfg,
		     struct resolve_path **out)
{
	struct ares_options opts = { 0 };
	struct resolve_path *p;
	int rc;

	*out = NULL;
	if (cfg->ifname && strnlen(cfg->ifname, IF_NAMESIZE) >= IF_NAMESIZE)
		return RESOLVE_BADNAME;
	p = calloc(1, sizeof(*p));
	if (!p)
		return RESOLVE_ERROR;
	p->now_ms = cfg->now_ms;
	p->now_arg = cfg->now_arg;
	p->cache_max = cfg->cache_max ? cfg->cache_max : RESOLVE_CACHE_DEFAULT;
	p->cache_bytes_max = cfg->cache_bytes ? cfg->cache_bytes :
						RESOLVE_CACHE_BYTES;
	if (p->cache_max > 0) {
		p->cache = calloc(p->cache_max, sizeof(*p->cache));
		if (!p->cache) {
			free(p);
			return RESOLVE_ERROR;
		}
	}
	rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS) {
		free(p->cache);
		free(p);
		return RESOLVE_ERROR;
	}
	opts.timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : 2000;
	opts.tries = cfg->tries > 0 ? cfg->tries : 2;
	rc = ares_init_options(&p->ch, &opts,
			       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		ares_library_cleanup();
		free(p->cache);
		free(p);
		return from_ares(rc);
	}
	if (cfg->ifname)
		ares_set_local_dev(p->ch, cfg->ifname);
	if (cfg->servers) {
		p->source = RESOLVE_SRC_CONFIG;
		if (ares_set_servers_ports_csv(p->ch, cfg->servers) !=
		    ARES_SUCCESS) {
			resolve_path_free(p);
			return RESOLVE_BADNAME;
		}
	} else if (cfg->ifindex > 0 &&
		   servers_from_resolved(p->ch, cfg->resolved_dir,
					 cfg->ifindex) > 0) {
		p->source = RESOLVE_SRC_RESOLVED;
	} else {
		p->source = RESOLVE_SRC_RESOLV_CONF;
	}
	*out = p;
	return RESOLVE_OK;
}

void resolve_path_free(struct resolve_path *p)
{
	if (!p)
		return;
	p->dying = true;
	ares_destroy(p->ch);	/* every query's callback: EDESTRUCTION */
	ares_library_cleanup();
	for (int i = 0; i < p->cache_n; i++)
		free(p->cache[i].msg);
	free(p->cache);
	free(p);
}

enum resolve_source resolve_path_source(const struct resolve_path *p)
{
	return p->source;
}

const struct resolve_stats *resolve_path_stats(const struct resolve_path *p)
{
	return &p->stats;
}

/* ---- the event loop's side ---------------------------------------------- */

int resolve_fds(struct resolve_path *p, struct resolve_fd *out, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	/* unsigned: ARES_GETSOCK_WRITABLE() shifts an int into its sign */
	unsigned int bits = ares_getsock(p->ch, socks, ARES_GETSOCK_MAXNUM);
	int n = 0;

	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		bool r = bits & (1u << i);
		bool w = bits & (1u << (i + ARES_GETSOCK_MAXNUM));

		if (!r && !w)
			continue;
		out[n++] = (struct resolve_fd){ .fd = socks[i], .read = r,
						.write = w };
	}
	return n;
}

int64_t resolve_timeout_ms(struct resolve_path *p)
{
	struct timeval tv;

	if (!ares_timeout(p->ch, NULL, &tv))
		return -1;
	return (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

void resolve_process_fd(struct resolve_path *p, int fd, bool readable,
			bool writable)
{
	ares_process_fd(p->ch, readable ? fd : ARES_SOCKET_BAD,
			writable ? fd : ARES_SOCKET_BAD);
}

void resolve_process_timeouts(struct resolve_path *p)
{
	ares_process_fd(p->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

void resolve_cancel(struct resolve_path *p)
{
	/* every callback with ARES_ECANCELLED, as from_ares() reports it */
	ares_cancel(p->ch);
}
