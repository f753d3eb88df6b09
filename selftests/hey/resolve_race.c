// SPDX-License-Identifier: GPL-2.0
/*
 * Races by name (HEY_HOST) against a fake resolver: the test process
 * registers itself as the namespace's resolver, reads the kernel's
 * HEY_CMD_RESOLVE requests, unicast to its socket, and answers them
 * with HEY_CMD_RESOLVE_ANSWER, path by path, while its own non-blocking
 * connect() waits. Assertions are about behaviour: which errno, which
 * leaf won, which endpoints each path raced, what the request carried;
 * never how long anything took.
 *
 * resolve.sh runs it in the client namespace of a two-path topology and
 * passes the topology in the environment:
 *
 *   RR_IF1, RR_IF2        the client's two interfaces (the race's paths)
 *   RR_PORT               the port the server listens on
 *   RR_V4, RR_V4B         IPv4 addresses of the server, reached over
 *                         either path
 *   RR_V6, RR_V6B         the same in IPv6
 *   RR_V4_DROP, RR_V6_DROP  addresses whose SYNs the server drops
 *   RR_STRESS             how many races the stress case runs
 *
 * Without them every case skips. The history cases (history_*) count the
 * IPv6 SYNs that leave for RR_PORT with the counter of the client's
 * nftables chain "inet rr out" commented "v6syn", which resolve.sh
 * makes (an anonymous counter: named ones need NFT_OBJREF, which the
 * debug lane's kernel does not have).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "hey_test.h"
#include "heynl_cache.h"

#define RR_SYSCTL "/proc/sys/net/hey/resolve_timeout"
#define RR_CACHE_SYSCTL "/proc/sys/net/hey/cache_timeout"
/* How long the test waits for the kernel: far beyond any race here. */
#define RR_WAIT_MS 20000
#define RR_QUEUE 32

/* A HEY_CMD_RESOLVE request as it came; has: bit (1 << attribute). */
struct rr_req {
	uint32_t has;
	uint64_t id;
	char name[HEY_MAX_HOST + 2];
	uint16_t port;		/* host order */
	uint8_t families;
	int npaths;
	uint32_t paths[HEY_MAX_PATHS + 1];
};

/* The fake resolver: one genl socket, the requests it has read. */
struct rr_res {
	struct heynl h;
	bool open;
	int fd;
	int n;
	struct rr_req q[RR_QUEUE];
	int unknown;		/* other messages seen */
	int miss_type;		/* the last error's ATTR_MISS_TYPE, or -1 */
};

struct rr_addr {
	int family;
	uint8_t a[16];
	char text[INET6_ADDRSTRLEN];
};

/* One endpoint of an answer: port, priority and weight -1 for absent. */
struct rr_ep {
	const struct rr_addr *addr;
	int port;
	int prio, weight;
};

FIXTURE(rr)
{
	bool skip;
	uint32_t if1, if2;
	uint16_t port;
	struct rr_addr v4, v4b, v4drop, v6, v6b, v6drop;
	int stress;
	char timeout_saved[32];
	bool timeout_changed;
	char cache_saved[32];
	bool cache_changed;
	struct rr_res r;
};

static int env_addr(const char *var, struct rr_addr *a)
{
	const char *s = getenv(var);

	memset(a, 0, sizeof(*a));
	if (!s)
		return -1;
	snprintf(a->text, sizeof(a->text), "%s", s);
	if (inet_pton(AF_INET, s, a->a) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->a) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

FIXTURE_SETUP(rr)
{
	const char *if1 = getenv("RR_IF1"), *if2 = getenv("RR_IF2");
	const char *port = getenv("RR_PORT"), *stress = getenv("RR_STRESS");

	if (!if1 || !if2 || !port ||
	    env_addr("RR_V4", &self->v4) || env_addr("RR_V4B", &self->v4b) ||
	    env_addr("RR_V4_DROP", &self->v4drop) ||
	    env_addr("RR_V6", &self->v6) || env_addr("RR_V6B", &self->v6b) ||
	    env_addr("RR_V6_DROP", &self->v6drop)) {
		self->skip = true;
		SKIP(return, "no topology: run by resolve.sh");
	}
	self->if1 = if_nametoindex(if1);
	self->if2 = if_nametoindex(if2);
	ASSERT_NE(0, self->if1) TH_LOG("no interface %s", if1);
	ASSERT_NE(0, self->if2) TH_LOG("no interface %s", if2);
	self->port = atoi(port);
	self->stress = stress ? atoi(stress) : 50;
	ASSERT_EQ(0, read_file(RR_SYSCTL, self->timeout_saved,
			       sizeof(self->timeout_saved)))
		TH_LOG("no sysctl %s", RR_SYSCTL);
}

FIXTURE_TEARDOWN(rr)
{
	if (self->r.open)
		heynl_close(&self->r.h);
	if (self->timeout_changed)
		write_file(RR_SYSCTL, self->timeout_saved);
	if (self->cache_changed)
		write_file(RR_CACHE_SYSCTL, self->cache_saved);
}

/* Every case begins with it: the fixture may have skipped. */
#define RR_NEED_TOPOLOGY() do { if (self->skip) return; } while (0)

/* ------------------------------------------------------------------ */
/* The resolver's socket                                               */

static int res_open(struct rr_res *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = heynl_open(&r->h);
	if (ret)
		return ret;
	r->open = true;
	r->fd = nl_socket_get_fd(r->h.sk);
	return 0;
}

static void res_close(struct rr_res *r)
{
	if (r->open)
		heynl_close(&r->h);
	r->open = false;
}

/* Joins a group of the family by name: 0, -ENOENT when there is none. */
static int res_join(struct rr_res *r, const char *group)
{
	int grp = genl_ctrl_resolve_grp(r->h.sk, HEY_GENL_NAME, group);

	if (grp < 0)
		return -ENOENT;
	if (setsockopt(r->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)))
		return -errno;
	return 0;
}

static void res_parse_req(struct rr_res *r, struct nlmsghdr *nlh)
{
	struct nlattr *tb[HEY_A_RESOLVE_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct rr_req *q;
	int i;

	if (nlh->nlmsg_type != r->h.family || g->cmd != HEY_CMD_RESOLVE ||
	    genlmsg_parse(nlh, 0, tb, HEY_A_RESOLVE_MAX, NULL) ||
	    r->n == RR_QUEUE) {
		r->unknown++;
		return;
	}
	q = &r->q[r->n++];
	memset(q, 0, sizeof(*q));
	for (i = 1; i <= HEY_A_RESOLVE_MAX; i++)
		if (tb[i])
			q->has |= 1u << i;
	if (tb[HEY_A_RESOLVE_ID] && nla_len(tb[HEY_A_RESOLVE_ID]) == 8)
		q->id = nla_get_u64(tb[HEY_A_RESOLVE_ID]);
	else
		q->has &= ~(1u << HEY_A_RESOLVE_ID);
	if (tb[HEY_A_RESOLVE_NAME]) {
		int len = nla_len(tb[HEY_A_RESOLVE_NAME]);

		if (len > (int)sizeof(q->name) - 1)
			len = sizeof(q->name) - 1;
		memcpy(q->name, nla_data(tb[HEY_A_RESOLVE_NAME]), len);
		q->name[len] = '\0';
	}
	if (tb[HEY_A_RESOLVE_PORT] && nla_len(tb[HEY_A_RESOLVE_PORT]) == 2)
		q->port = ntohs(nla_get_u16(tb[HEY_A_RESOLVE_PORT]));
	else
		q->has &= ~(1u << HEY_A_RESOLVE_PORT);
	if (tb[HEY_A_RESOLVE_FAMILIES] &&
	    nla_len(tb[HEY_A_RESOLVE_FAMILIES]) == 1)
		q->families = nla_get_u8(tb[HEY_A_RESOLVE_FAMILIES]);
	else
		q->has &= ~(1u << HEY_A_RESOLVE_FAMILIES);
	if (tb[HEY_A_RESOLVE_PATHS]) {
		int len = nla_len(tb[HEY_A_RESOLVE_PATHS]);

		if (len % 4 || len / 4 > HEY_MAX_PATHS + 1) {
			q->npaths = -1;
		} else {
			q->npaths = len / 4;
			memcpy(q->paths, nla_data(tb[HEY_A_RESOLVE_PATHS]),
			       len);
		}
	}
}

/*
 * The NLMSGERR_ATTR_MISS_TYPE of an error message (the missing attribute
 * the netlink core names without a text), or -1.
 */
static int ack_miss_type(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	const unsigned char *p, *end;
	size_t off = NLMSG_HDRLEN + sizeof(*err);

	if (nlh->nlmsg_len < off || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return -1;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
	p = (const unsigned char *)nlh + off;
	end = (const unsigned char *)nlh + nlh->nlmsg_len;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MISS_TYPE &&
		    a->nla_len >= NLA_HDRLEN + 4)
			return *(const uint32_t *)(p + NLA_HDRLEN);
		p += NLA_ALIGN(a->nla_len);
	}
	return -1;
}

/*
 * Reads what the socket has within timeout_ms: requests are queued, an
 * NLMSG_ERROR (the answer to our one request in flight) goes to *err
 * (0 or -errno) with *acked set. 0, -ETIMEDOUT when nothing came, or
 * -errno of recv().
 */
static int res_read(struct rr_res *r, int timeout_ms, int *err, bool *acked)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	n = recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	len = n;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);

			heynl_extack_msg(nlh, nlh->nlmsg_len, r->h.extack,
					 sizeof(r->h.extack));
			r->miss_type = ack_miss_type(nlh);
			if (err)
				*err = e->error;
			if (acked)
				*acked = true;
			continue;
		}
		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_NOOP)
			continue;
		res_parse_req(r, nlh);
	}
	return 0;
}

/*
 * Sends msg (consumed) and waits for the kernel's answer, queueing the
 * requests that come meanwhile: 0 or -errno, the extack in r->h.extack.
 */
static int res_send(struct rr_res *r, struct nl_msg *msg)
{
	bool acked = false;
	int err = 0, ret;
	long waited = 0;

	r->h.extack[0] = '\0';
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send_auto(r->h.sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return -EIO;
	while (!acked) {
		ret = res_read(r, 1000, &err, &acked);
		if (ret == -ETIMEDOUT && (waited += 1000) < RR_WAIT_MS)
			continue;
		if (ret)
			return ret;
	}
	return err;
}

static int res_register(struct rr_res *r)
{
	struct nl_msg *msg = heynl_msg(&r->h, HEY_CMD_REGISTER_RESOLVER, 0);

	if (!msg)
		return -ENOMEM;
	return res_send(r, msg);
}

/* The next request into *q: 0, or -ETIMEDOUT after timeout_ms. */
static int res_next(struct rr_res *r, struct rr_req *q, int timeout_ms)
{
	struct timespec t0, t1;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!r->n) {
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		     (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= timeout_ms)
			return -ETIMEDOUT;
		ret = res_read(r, timeout_ms - ms, NULL, NULL);
		if (ret && ret != -ETIMEDOUT)
			return ret;
	}
	*q = r->q[0];
	memmove(&r->q[0], &r->q[1], --r->n * sizeof(r->q[0]));
	return 0;
}

static int put_ep(struct nl_msg *msg, const struct rr_ep *e)
{
	/* strict validation wants NLA_F_NESTED on a nest */
	struct nlattr *nest = nla_nest_start(msg, HEY_A_RESOLVE_ENDPOINT |
					     NLA_F_NESTED);
	int alen = e->addr->family == AF_INET ? 4 : 16;

	if (!nest ||
	    nla_put_u16(msg, HEY_A_ENDPOINT_FAMILY, e->addr->family) ||
	    nla_put(msg, HEY_A_ENDPOINT_ADDR, alen, e->addr->a) ||
	    nla_put_u32(msg, HEY_A_ENDPOINT_TTL, 60))
		return -1;
	if (e->port >= 0 &&
	    nla_put_u16(msg, HEY_A_ENDPOINT_PORT, htons(e->port)))
		return -1;
	if (e->prio >= 0 &&
	    nla_put_u16(msg, HEY_A_ENDPOINT_PRIORITY, e->prio))
		return -1;
	if (e->weight >= 0 &&
	    nla_put_u16(msg, HEY_A_ENDPOINT_WEIGHT, e->weight))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* A RESOLVE_ANSWER message; flags < 0: no FLAGS attribute. */
static struct nl_msg *answer_msg(struct rr_res *r, uint64_t id,
				 uint32_t ifindex, int flags,
				 const struct rr_ep *eps, int n)
{
	struct nl_msg *msg = heynl_msg(&r->h, HEY_CMD_RESOLVE_ANSWER, 0);
	int i;

	if (!msg)
		return NULL;
	if (nla_put_u64(msg, HEY_A_RESOLVE_ID, id) ||
	    nla_put_u32(msg, HEY_A_RESOLVE_IFINDEX, ifindex) ||
	    (flags >= 0 && nla_put_u32(msg, HEY_A_RESOLVE_FLAGS, flags)))
		goto err;
	for (i = 0; i < n; i++)
		if (put_ep(msg, &eps[i]))
			goto err;
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

static int res_answer(struct rr_res *r, uint64_t id, uint32_t ifindex,
		      int flags, const struct rr_ep *eps, int n)
{
	struct nl_msg *msg = answer_msg(r, id, ifindex, flags, eps, n);

	return msg ? res_send(r, msg) : -ENOMEM;
}

/* Endpoint initialisers: an address, nothing else. */
#define EP(addr_) { .addr = (addr_), .port = -1, .prio = -1, .weight = -1 }

/* ------------------------------------------------------------------ */
/* The application's side                                              */

/*
 * A non-blocking hey socket of family with HEY_HOST host (NULL: none),
 * connect()ed to a documentation address (ignored) at port. *cerr: 0 or
 * connect()'s errno. Returns the socket.
 */
static int race_start(struct __test_metadata *_metadata, int family,
		      const char *host, uint16_t port,
		      const struct hey_timing *timing, int *cerr)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd;

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	if (host)
		ASSERT_EQ(0, setsockopt(fd, SOL_HEY, HEY_HOST, host,
					strlen(host)))
			TH_LOG("HEY_HOST %s: %s", host, strerror(errno));
	if (timing)
		ASSERT_EQ(0, setsockopt(fd, SOL_HEY, HEY_TIMING, timing,
					sizeof(*timing)));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, "192.0.2.1", &sin->sin_addr);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, "2001:db8::1", &sin6->sin6_addr);
		sl = sizeof(*sin6);
	}
	*cerr = connect(fd, (struct sockaddr *)&ss, sl) ? errno : 0;
	return fd;
}

/*
 * How the connect() of a race started with race_start ended: 0 or the
 * errno (SO_ERROR); -1 when it had not ended after RR_WAIT_MS.
 */
static int race_end(int fd, int cerr)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (cerr != EINPROGRESS)
		return cerr;
	if (poll(&pfd, 1, RR_WAIT_MS) != 1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

static int info_get(int fd, struct hey_info *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return getsockopt(fd, SOL_HEY, HEY_INFO, info, &len) ? -errno : 0;
}

static const char *outcome_name(int o)
{
	static const char *const names[] = {
		"pending", "running", "won", "failed", "aborted",
	};

	return o >= 0 && o < 5 ? names[o] : "?";
}

static void ep_text(const struct hey_endpoint *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(e->family, e->addr, a, sizeof(a));
	snprintf(buf, len, "%s port %u", a, ntohs(e->port));
}

/* A race's HEY_INFO in the log, for a failed assertion's context. */
static void info_print(struct __test_metadata *_metadata,
		       const struct hey_info *info)
{
	char ep[80];
	uint32_t i;

	TH_LOG("state %u n_leaves %u winner %d error %d", info->state,
	       info->n_leaves, (int)info->winner, info->error);
	for (i = 0; i < info->n_leaves && i < HEY_MAX_LEAVES; i++) {
		ep_text(&info->leaves[i].endpoint, ep, sizeof(ep));
		TH_LOG("leaf %u: if %u %s %s error %d start_us %d", i,
		       info->leaves[i].ifindex, ep,
		       outcome_name(info->leaves[i].outcome),
		       info->leaves[i].error, (int)info->leaves[i].start_us);
	}
}

/* The race's HEY_INFO in the log. */
static void info_log(struct __test_metadata *_metadata, int fd)
{
	struct hey_info info;

	if (info_get(fd, &info)) {
		TH_LOG("HEY_INFO: %s", strerror(errno));
		return;
	}
	info_print(_metadata, &info);
}

/*
 * Whether an endpoint is that address: an IPv4 endpoint may come as
 * AF_INET or as a v4-mapped AF_INET6 one.
 */
static bool ep_is(const struct hey_endpoint *e, const struct rr_addr *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->family == AF_INET6)
		return e->family == AF_INET6 && !memcmp(e->addr, a->a, 16);
	if (e->family == AF_INET)
		return !memcmp(e->addr, a->a, 4);
	return e->family == AF_INET6 && !memcmp(e->addr, mapped, 12) &&
	       !memcmp(e->addr + 12, a->a, 4);
}

/*
 * Until the race has a leaf running or won (or has ended): 0, -1 when
 * that did not happen within RR_WAIT_MS.
 */
static int wait_leaf_started(int fd)
{
	struct hey_info info;
	int i;
	uint32_t l;

	for (i = 0; i < RR_WAIT_MS / 2; i++) {
		if (!info_get(fd, &info)) {
			if (info.state != HEY_STATE_RACING &&
			    info.state != HEY_STATE_IDLE)
				return 0;
			for (l = 0; l < info.n_leaves && l < HEY_MAX_LEAVES;
			     l++)
				if (info.leaves[l].outcome ==
					    HEY_LEAF_RUNNING ||
				    info.leaves[l].outcome == HEY_LEAF_WON)
					return 0;
		}
		usleep(2000);
	}
	return -1;
}

static uint64_t stat_get(struct __test_metadata *_metadata, int attr)
{
	struct hey_stats st;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	ASSERT_EQ(0, heynl_stats_get(&h, &st));
	heynl_close(&h);
	return st.v[attr];
}

/* The fixture's resolver, registered and listening. */
static void resolver_up(struct __test_metadata *_metadata,
			FIXTURE_DATA(rr) *self)
{
	int ret, i;

	ASSERT_EQ(0, res_open(&self->r));
	/*
	 * The previous case's resolver went with its process: its socket
	 * was closed before this one started. The register case checks
	 * that strictly; here a late release only costs a retry.
	 */
	for (i = 0; i < 100; i++) {
		ret = res_register(&self->r);
		if (ret != -EBUSY)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, ret) TH_LOG("register: %s (%s)", strerror(-ret),
				 self->r.h.extack);
	if (i)
		TH_LOG("register: EBUSY %d times first", i);
}

/* The next request, which must be the race's: the basic checks. */
static void next_req(struct __test_metadata *_metadata, struct rr_res *r,
		     struct rr_req *q)
{
	ASSERT_EQ(0, res_next(r, q, RR_WAIT_MS))
		TH_LOG("no HEY_CMD_RESOLVE came");
	ASSERT_TRUE(q->has & (1u << HEY_A_RESOLVE_ID));
}

/* Answers a path with FINAL and no endpoint: it races nothing. */
static void answer_empty(struct __test_metadata *_metadata, struct rr_res *r,
			 uint64_t id, uint32_t ifindex)
{
	int ret = res_answer(r, id, ifindex, HEY_RESOLVE_F_FINAL, NULL, 0);

	ASSERT_EQ(0, ret) TH_LOG("empty answer for if %u: %s (%s)", ifindex,
				 strerror(-ret), r->h.extack);
}

#define ASSERT_ANSWER(r, id, ifindex, flags, eps, n) do { \
	int __ret = res_answer((r), (id), (ifindex), (flags), (eps), (n)); \
	ASSERT_EQ(0, __ret) TH_LOG("answer: %s (%s)", strerror(-__ret), \
				   (r)->h.extack); \
} while (0)

/* The race won: its winner's index, checked against n_leaves. */
static uint32_t winner_of(struct __test_metadata *_metadata, int fd,
			  int cerr, struct hey_info *info)
{
	int err = race_end(fd, cerr);

	if (err)
		info_log(_metadata, fd);
	ASSERT_EQ(0, err) TH_LOG("connect: %s", err < 0 ? "still racing" :
				 strerror(err));
	ASSERT_EQ(0, info_get(fd, info));
	ASSERT_EQ(HEY_STATE_CONNECTED, info->state);
	ASSERT_LT(info->winner, info->n_leaves);
	ASSERT_EQ(HEY_LEAF_WON, info->leaves[info->winner].outcome);
	return info->winner;
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */

static int set_host(int fd, const void *v, socklen_t len)
{
	return setsockopt(fd, SOL_HEY, HEY_HOST, v, len) ? errno : 0;
}

/* HEY_HOST: what it refuses, what it reads back, clearing. */
TEST_F(rr, host_validation)
{
	char name[HEY_MAX_HOST + 8], got[HEY_MAX_HOST + 8];
	socklen_t len;
	int fd, i;

	RR_NEED_TOPOLOGY();
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));

	ASSERT_EQ(EINVAL, set_host(fd, "a\0b.example", 11));
	ASSERT_EQ(EINVAL, set_host(fd, "a\nb.example", 11));
	ASSERT_EQ(EINVAL, set_host(fd, "a\tb.example", 11));
	ASSERT_EQ(EINVAL, set_host(fd, "a\x7f" "b.example", 11));
	ASSERT_EQ(EINVAL, set_host(fd, "a..b", 4));
	/* a label of 64 bytes; 63 is the most */
	memset(name, 'x', 64);
	memcpy(name + 64, ".example", 9);
	ASSERT_EQ(EINVAL, set_host(fd, name, strlen(name)));
	ASSERT_EQ(0, set_host(fd, name + 1, strlen(name + 1)));
	/*
	 * 256 bytes in labels of 49 (neither 255 nor 256 bytes end in a
	 * dot): above HEY_MAX_HOST
	 */
	for (i = 0; i < HEY_MAX_HOST + 1; i++)
		name[i] = i % 50 == 49 ? '.' : 'a';
	name[HEY_MAX_HOST + 1] = '\0';
	ASSERT_EQ(EINVAL, set_host(fd, name, HEY_MAX_HOST + 1));
	/* HEY_MAX_HOST bytes are fine, and so with a NUL after them */
	name[HEY_MAX_HOST] = '\0';
	ASSERT_EQ(0, set_host(fd, name, HEY_MAX_HOST));
	ASSERT_EQ(0, set_host(fd, name, HEY_MAX_HOST + 1));

	/* read back, with or without the NUL given */
	ASSERT_EQ(0, set_host(fd, "www.example.test", 16));
	len = sizeof(got);
	memset(got, 0x55, sizeof(got));
	ASSERT_EQ(0, getsockopt(fd, SOL_HEY, HEY_HOST, got, &len));
	ASSERT_TRUE(len == 16 || (len == 17 && !got[16]))
		TH_LOG("length %u", len);
	ASSERT_EQ(0, memcmp(got, "www.example.test", 16));
	ASSERT_EQ(0, set_host(fd, "Printer._ipp._tcp.example.test", 31));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(fd, SOL_HEY, HEY_HOST, got, &len));
	ASSERT_TRUE(len == 30 || (len == 31 && !got[30]))
		TH_LOG("length %u", len);
	ASSERT_EQ(0, memcmp(got, "Printer._ipp._tcp.example.test", 30));

	/* a refused value leaves the name as it was */
	ASSERT_EQ(EINVAL, set_host(fd, "a..b", 4));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(fd, SOL_HEY, HEY_HOST, got, &len));
	ASSERT_EQ(0, memcmp(got, "Printer._ipp._tcp.example.test", 30));

	/* an empty value clears it */
	ASSERT_EQ(0, set_host(fd, "", 0));
	len = sizeof(got);
	memset(got, 0x55, sizeof(got));
	ASSERT_EQ(0, getsockopt(fd, SOL_HEY, HEY_HOST, got, &len));
	ASSERT_TRUE(len == 0 || !got[0]) TH_LOG("length %u", len);
	close(fd);
}

/* No resolver in the namespace: EDESTADDRREQ, counted. */
TEST_F(rr, no_resolver_edestaddrreq)
{
	uint64_t before;
	int fd, cerr, err;

	RR_NEED_TOPOLOGY();
	before = stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_RESOLVER);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	err = race_end(fd, cerr);
	ASSERT_EQ(EDESTADDRREQ, err) TH_LOG("connect: %s",
					    err < 0 ? "still racing" :
					    strerror(err));
	close(fd);
	ASSERT_EQ(before + 1,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_RESOLVER));
}

/* One resolver at a time; the place is free again once it closed. */
TEST_F(rr, register_ebusy_then_reregister)
{
	struct rr_res r2, r3;

	RR_NEED_TOPOLOGY();
	ASSERT_EQ(0, res_open(&self->r));
	ASSERT_EQ(0, res_register(&self->r));
	ASSERT_EQ(0, res_open(&r2));
	ASSERT_EQ(-EBUSY, res_register(&r2));
	ASSERT_NE(0, r2.h.extack[0]) TH_LOG("no extack message");
	res_close(&self->r);
	ASSERT_EQ(0, res_register(&r2)) TH_LOG("%s", r2.h.extack);
	ASSERT_EQ(0, res_open(&r3));
	ASSERT_EQ(-EBUSY, res_register(&r3));
	res_close(&r3);
	res_close(&r2);
}

/*
 * Requests go to the registered resolver alone: another CAP_NET_ADMIN
 * socket of the namespace, which joined every group the family has,
 * gets none while a race by name runs, and there is no "resolve" group
 * to join. The kernel sends the request within connect(): once the
 * resolver has it, a copy for the other socket would be queued already,
 * so the other socket is read without waiting.
 */
TEST_F(rr, request_to_resolver_only)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct hey_info info;
	struct rr_res other;
	struct rr_req q;
	int fd, cerr, ret;

	RR_NEED_TOPOLOGY();
	ASSERT_EQ(0, res_open(&other));
	ASSERT_EQ(-ENOENT, res_join(&other, "resolve"));
	ASSERT_EQ(0, res_join(&other, HEY_MCGRP_EVENTS));
	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "secret.example.test",
			self->port, NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	ASSERT_STREQ("secret.example.test", q.name);
	do
		ret = res_read(&other, 0, NULL, NULL);
	while (!ret);
	ASSERT_EQ(-ETIMEDOUT, ret);
	ASSERT_EQ(0, other.n) TH_LOG("another socket read the request for %s",
				     other.q[0].name);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL, e6, 1);
	winner_of(_metadata, fd, EINPROGRESS, &info);
	close(fd);
	/* its RACE_DONE reached the events group; never a request */
	do
		ret = res_read(&other, 1000, NULL, NULL);
	while (!ret && !other.unknown);
	ASSERT_EQ(0, other.n);
	res_close(&other);
}

/*
 * The resolver does not read and its socket buffer fills: a request
 * that does not fit is lost, and its race fails at once, within
 * connect(), with ETIMEDOUT (as if the resolver had not answered),
 * counted as a resolve timeout; the resolver's next read says ENOBUFS.
 */
TEST_F(rr, resolver_full_etimedout)
{
	int fds[64], n, cerr, err = 0, one = 1;
	struct pollfd pfd;
	uint64_t before;
	socklen_t len;
	char buf[256];

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	/* the smallest buffer the kernel allows: a few requests */
	ASSERT_EQ(0, setsockopt(self->r.fd, SOL_SOCKET, SO_RCVBUF, &one,
				sizeof(one)));
	before = stat_get(_metadata, HEY_A_STATS_RESOLVE_TIMEOUT);
	for (n = 0; n < 64 && !err; n++) {
		fds[n] = race_start(_metadata, AF_INET6, "www.example.test",
				    self->port, NULL, &cerr);
		err = cerr == EINPROGRESS ? 0 : cerr;
		pfd = (struct pollfd){ .fd = fds[n], .events = POLLOUT };
		len = sizeof(err);
		if (!err && poll(&pfd, 1, 0) == 1)
			ASSERT_EQ(0, getsockopt(fds[n], SOL_SOCKET, SO_ERROR,
						&err, &len));
	}
	ASSERT_EQ(ETIMEDOUT, err) TH_LOG("after %d races: %s", n,
					 strerror(err));
	ASSERT_LT(1, n) TH_LOG("the first request did not fit");
	ASSERT_EQ(before + 1,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_TIMEOUT));
	ASSERT_EQ(-1, recv(self->r.fd, buf, sizeof(buf), MSG_DONTWAIT));
	ASSERT_EQ(ENOBUFS, errno);
	while (n--)
		close(fds[n]);
}

/* What HEY_CMD_RESOLVE carries, for an AF_INET6 and an AF_INET socket. */
TEST_F(rr, request_contents)
{
	static const char *const host = "www.example.test";
	struct rr_req q6, q4;
	int fd6, fd4, cerr, i;
	bool saw1, saw2;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);

	fd6 = race_start(_metadata, AF_INET6, host, self->port, NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q6);
	ASSERT_TRUE(q6.has & (1u << HEY_A_RESOLVE_NAME));
	ASSERT_STREQ(host, q6.name);
	ASSERT_TRUE(q6.has & (1u << HEY_A_RESOLVE_PORT));
	ASSERT_EQ(self->port, q6.port);
	ASSERT_TRUE(q6.has & (1u << HEY_A_RESOLVE_FAMILIES));
	ASSERT_EQ(HEY_RESOLVE_IPV4 | HEY_RESOLVE_IPV6, q6.families);
	ASSERT_TRUE(q6.has & (1u << HEY_A_RESOLVE_PATHS));
	/* exactly the two veths: lo is no path */
	ASSERT_EQ(2, q6.npaths);
	saw1 = saw2 = false;
	for (i = 0; i < q6.npaths; i++) {
		saw1 |= q6.paths[i] == self->if1;
		saw2 |= q6.paths[i] == self->if2;
	}
	ASSERT_TRUE(saw1 && saw2) TH_LOG("paths %u %u, want %u %u",
					 q6.paths[0], q6.paths[1],
					 self->if1, self->if2);

	fd4 = race_start(_metadata, AF_INET, "other.example.test", 8443,
			 NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q4);
	ASSERT_STREQ("other.example.test", q4.name);
	ASSERT_EQ(8443, q4.port);
	ASSERT_EQ(HEY_RESOLVE_IPV4, q4.families);
	ASSERT_EQ(2, q4.npaths);
	ASSERT_NE(q6.id, q4.id);
	close(fd6);
	close(fd4);
	ASSERT_EQ(0, self->r.unknown);
}

/*
 * The AAAA answer first: the path starts at once and its IPv6 leaf,
 * first of the path, wins; the A answer right after it waits (failover
 * mode: the next leaf starts only if the previous failed).
 */
TEST_F(rr, aaaa_first_ipv6_wins)
{
	struct hey_timing failover = { .mode = HEY_RACE_FAILOVER };
	struct rr_ep e6[] = { EP(&self->v6) }, e4[] = { EP(&self->v4) };
	struct hey_info info;
	struct rr_req q;
	int fd, cerr;
	uint32_t w;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			&failover, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_AAAA,
		      e6, 1);
	/* the race may have won already: then the ID is gone */
	cerr = res_answer(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_A,
			  e4, 1);
	ASSERT_TRUE(cerr == 0 || cerr == -ENOENT) TH_LOG("A answer: %s",
							 strerror(-cerr));
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_TRUE(ep_is(&info.leaves[w].endpoint, &self->v6))
		info_log(_metadata, fd);
	ASSERT_EQ(self->if1, info.leaves[w].ifindex);
	ASSERT_EQ(htons(self->port), info.leaves[w].endpoint.port);
	close(fd);
}

/*
 * Only an A answer, no AAAA answer ever: the path still starts (50 ms
 * after the A answer, RFC 8305 section 3) and IPv4 wins. The AAAA is
 * held back until a leaf runs, so the race cannot have waited for it.
 */
TEST_F(rr, a_first_ipv4_wins_without_aaaa)
{
	struct rr_ep e4[] = { EP(&self->v4) };
	struct hey_info info;
	struct rr_req q;
	int fd, cerr;
	uint32_t w;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	/* the A answer is final, the AAAA one is not (it never comes) */
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_A, e4, 1);
	ASSERT_EQ(0, wait_leaf_started(fd)) {
		info_log(_metadata, fd);
		TH_LOG("no leaf started without the AAAA answer");
	}
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_TRUE(ep_is(&info.leaves[w].endpoint, &self->v4))
		info_log(_metadata, fd);
	ASSERT_EQ(self->if1, info.leaves[w].ifindex);
	ASSERT_EQ(1u, info.n_leaves);
	close(fd);
}

/*
 * A late answer grows the race: the A answer's address is blackholed;
 * once its leaf runs, the AAAA answer adds a working IPv6 leaf, which
 * wins, the IPv4 one being aborted.
 */
TEST_F(rr, late_aaaa_adds_a_leaf)
{
	struct rr_ep e4[] = { EP(&self->v4drop) }, e6[] = { EP(&self->v6) };
	struct hey_info info;
	struct rr_req q;
	int fd, cerr;
	uint32_t w, i;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_A, e4, 1);
	ASSERT_EQ(0, wait_leaf_started(fd)) info_log(_metadata, fd);
	ASSERT_EQ(0, info_get(fd, &info));
	ASSERT_EQ(HEY_STATE_RACING, info.state) info_log(_metadata, fd);
	ASSERT_EQ(1u, info.n_leaves);
	ASSERT_TRUE(ep_is(&info.leaves[0].endpoint, &self->v4drop));
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_AAAA,
		      e6, 1);
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_EQ(2u, info.n_leaves) info_log(_metadata, fd);
	ASSERT_TRUE(ep_is(&info.leaves[w].endpoint, &self->v6))
		info_log(_metadata, fd);
	ASSERT_EQ(self->if1, info.leaves[w].ifindex);
	for (i = 0; i < info.n_leaves; i++)
		if (i != w) {
			ASSERT_TRUE(ep_is(&info.leaves[i].endpoint,
					  &self->v4drop));
			ASSERT_EQ(HEY_LEAF_ABORTED, info.leaves[i].outcome);
		}
	close(fd);
}

/*
 * The application closes its socket while the race waits for the
 * resolver: the request is withdrawn (a late answer finds no race,
 * ENOENT) and the race counts as cancelled. The leaf sockets made for
 * it go too: resolve.sh checks no hey socket is left, kmemleak the rest.
 */
TEST_F(rr, close_while_resolving)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	uint64_t before;
	struct rr_req q;
	int fd, cerr, err;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	before = stat_get(_metadata, HEY_A_STATS_CANCELLED);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	close(fd);
	ASSERT_EQ(before + 1, stat_get(_metadata, HEY_A_STATS_CANCELLED));
	err = res_answer(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL,
			 e6, 1);
	ASSERT_EQ(-ENOENT, err) TH_LOG("answer after close: %s",
				       strerror(-err));
}

/*
 * The application closes its socket while a leaf an answer brought is
 * running (its address blackholed) and more answers may come: the race
 * is cancelled, its leaf aborted, the request withdrawn.
 */
TEST_F(rr, close_with_a_leaf_running)
{
	struct rr_ep e4[] = { EP(&self->v4drop) }, e6[] = { EP(&self->v6) };
	uint64_t before;
	struct rr_req q;
	int fd, cerr, err;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	before = stat_get(_metadata, HEY_A_STATS_LEAVES_ABORTED);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_A, e4, 1);
	ASSERT_EQ(0, wait_leaf_started(fd)) info_log(_metadata, fd);
	close(fd);
	ASSERT_EQ(before + 1, stat_get(_metadata, HEY_A_STATS_LEAVES_ABORTED));
	err = res_answer(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_AAAA,
			 e6, 1);
	ASSERT_EQ(-ENOENT, err) TH_LOG("answer after close: %s",
				       strerror(-err));
}

/* Every path final without an address: ENXIO, counted. */
TEST_F(rr, all_final_empty_enxio)
{
	struct rr_req q;
	uint64_t before;
	int fd, cerr, err;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	before = stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_ADDRESS);
	fd = race_start(_metadata, AF_INET6, "nx.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	/* one path's empty answer leaves the race waiting for the other */
	answer_empty(_metadata, &self->r, q.id, self->if1);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	err = race_end(fd, cerr);
	ASSERT_EQ(ENXIO, err) TH_LOG("connect: %s", err < 0 ?
				     "still racing" : strerror(err));
	close(fd);
	ASSERT_EQ(before + 1,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_ADDRESS));
}

/*
 * The resolver takes the request and never answers: ETIMEDOUT after
 * net.hey.resolve_timeout (made short), counted; an answer after that
 * finds the ID gone (ENOENT).
 */
TEST_F(rr, no_answer_etimedout)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct rr_req q;
	uint64_t before;
	int fd, cerr, err;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	self->timeout_changed = true;
	ASSERT_EQ(0, write_file(RR_SYSCTL, "300"));
	before = stat_get(_metadata, HEY_A_STATS_RESOLVE_TIMEOUT);
	fd = race_start(_metadata, AF_INET6, "slow.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	err = race_end(fd, cerr);
	ASSERT_EQ(ETIMEDOUT, err) TH_LOG("connect: %s", err < 0 ?
					 "still racing" : strerror(err));
	ASSERT_EQ(before + 1,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_TIMEOUT));
	err = res_answer(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL,
			 e6, 1);
	ASSERT_EQ(-ENOENT, err) TH_LOG("late answer: %s", strerror(-err));
	close(fd);
}

/*
 * The resolver goes away while a race waits for it: EDESTADDRREQ. Then
 * another resolver registers and a race by name works again.
 */
TEST_F(rr, resolver_closed_mid_race)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct hey_info info;
	struct rr_req q;
	uint64_t before;
	int fd, cerr, err;
	uint32_t w;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	before = stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_RESOLVER);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	res_close(&self->r);
	err = race_end(fd, cerr);
	ASSERT_EQ(EDESTADDRREQ, err) TH_LOG("connect: %s", err < 0 ?
					    "still racing" : strerror(err));
	close(fd);
	ASSERT_EQ(before + 1,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_NO_RESOLVER));

	ASSERT_EQ(0, res_open(&self->r));
	ASSERT_EQ(0, res_register(&self->r)) TH_LOG("%s", self->r.h.extack);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL, e6, 1);
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_TRUE(ep_is(&info.leaves[w].endpoint, &self->v6));
	close(fd);
}

/* A race waiting for its answers, for the bad answer cases. */
static int waiting_race(struct __test_metadata *_metadata,
			FIXTURE_DATA(rr) *self, struct rr_req *q)
{
	int fd, cerr;

	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "www.example.test", self->port,
			NULL, &cerr);
	EXPECT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, q);
	return fd;
}

/* After refused answers, the race still takes a good one and wins. */
static void race_still_works(struct __test_metadata *_metadata,
			     FIXTURE_DATA(rr) *self, int fd,
			     const struct rr_req *q)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct hey_info info;
	uint32_t w;

	answer_empty(_metadata, &self->r, q->id, self->if2);
	ASSERT_ANSWER(&self->r, q->id, self->if1, HEY_RESOLVE_F_FINAL, e6, 1);
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_TRUE(ep_is(&info.leaves[w].endpoint, &self->v6));
	close(fd);
}

/* An answer from another socket than the registered one: EPERM. */
TEST_F(rr, answer_eperm_not_registered)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct rr_res other;
	struct rr_req q;
	int fd;

	RR_NEED_TOPOLOGY();
	fd = waiting_race(_metadata, self, &q);
	ASSERT_EQ(0, res_open(&other));
	ASSERT_EQ(-EPERM, res_answer(&other, q.id, self->if1,
				     HEY_RESOLVE_F_FINAL, e6, 1));
	res_close(&other);
	race_still_works(_metadata, self, fd, &q);
}

/* An ID that is not resolving: ENOENT. */
TEST_F(rr, answer_enoent_unknown_id)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct rr_req q;
	int fd;

	RR_NEED_TOPOLOGY();
	fd = waiting_race(_metadata, self, &q);
	ASSERT_EQ(-ENOENT, res_answer(&self->r, q.id + (1ULL << 40),
				      self->if1, HEY_RESOLVE_F_FINAL, e6, 1));
	race_still_works(_metadata, self, fd, &q);
}

/* A path the request did not name: ENODEV (lo, and no interface). */
TEST_F(rr, answer_enodev_path_not_asked)
{
	struct rr_ep e6[] = { EP(&self->v6) };
	struct rr_req q;
	int fd;

	RR_NEED_TOPOLOGY();
	fd = waiting_race(_metadata, self, &q);
	ASSERT_EQ(-ENODEV, res_answer(&self->r, q.id, if_nametoindex("lo"),
				      HEY_RESOLVE_F_FINAL, e6, 1));
	ASSERT_EQ(-ENODEV, res_answer(&self->r, q.id, 99999,
				      HEY_RESOLVE_F_FINAL, e6, 1));
	race_still_works(_metadata, self, fd, &q);
}

enum bad_kind {
	BAD_NO_ID,
	BAD_NO_IFINDEX,
	BAD_UNKNOWN_ATTR,
	BAD_REQUEST_ATTR,	/* NAME: the request's, not an answer's */
	BAD_FLAGS,
	BAD_EP_NO_FAMILY,
	BAD_EP_NO_ADDR,
	BAD_EP_FAMILY,
	BAD_EP_V4_LEN16,
	BAD_EP_V6_LEN4,
	BAD_EP_UNKNOWN_ATTR,
	BAD_EP_NOT_NESTED,
	__BAD_MAX
};

static const char *const bad_names[] = {
	"no ID", "no IFINDEX", "unknown attribute", "NAME in an answer",
	"unknown FLAGS bit", "endpoint without FAMILY",
	"endpoint without ADDR", "endpoint FAMILY AF_UNIX",
	"AF_INET endpoint with 16 address bytes",
	"AF_INET6 endpoint with 4 address bytes",
	"unknown endpoint attribute", "ENDPOINT not a nest",
};

static struct nl_msg *bad_msg(struct rr_res *r, const struct rr_req *q,
			      uint32_t ifindex, const struct rr_addr *v4,
			      const struct rr_addr *v6, int kind)
{
	struct nl_msg *msg = heynl_msg(&r->h, HEY_CMD_RESOLVE_ANSWER, 0);
	struct nlattr *nest;
	int bad = 0;

	if (!msg)
		return NULL;
	if (kind != BAD_NO_ID)
		bad |= nla_put_u64(msg, HEY_A_RESOLVE_ID, q->id);
	if (kind != BAD_NO_IFINDEX)
		bad |= nla_put_u32(msg, HEY_A_RESOLVE_IFINDEX, ifindex);
	bad |= nla_put_u32(msg, HEY_A_RESOLVE_FLAGS,
			   kind == BAD_FLAGS ? 1u << 7 : HEY_RESOLVE_F_FINAL);
	if (kind == BAD_UNKNOWN_ATTR)
		bad |= nla_put_u32(msg, HEY_A_RESOLVE_MAX + 1, 1);
	if (kind == BAD_REQUEST_ATTR)
		bad |= nla_put_string(msg, HEY_A_RESOLVE_NAME, "x.test");
	if (kind == BAD_EP_NOT_NESTED) {
		bad |= nla_put_u32(msg, HEY_A_RESOLVE_ENDPOINT, 1);
		goto out;
	}
	nest = nla_nest_start(msg, HEY_A_RESOLVE_ENDPOINT | NLA_F_NESTED);
	if (!nest)
		goto err;
	if (kind != BAD_EP_NO_FAMILY)
		bad |= nla_put_u16(msg, HEY_A_ENDPOINT_FAMILY,
				   kind == BAD_EP_FAMILY ? AF_UNIX :
				   kind == BAD_EP_V4_LEN16 ? AF_INET :
				   AF_INET6);
	if (kind == BAD_EP_V4_LEN16)
		bad |= nla_put(msg, HEY_A_ENDPOINT_ADDR, 16, v6->a);
	else if (kind == BAD_EP_V6_LEN4 || kind == BAD_EP_FAMILY)
		bad |= nla_put(msg, HEY_A_ENDPOINT_ADDR, 4, v4->a);
	else if (kind != BAD_EP_NO_ADDR)
		bad |= nla_put(msg, HEY_A_ENDPOINT_ADDR, 16, v6->a);
	if (kind == BAD_EP_UNKNOWN_ATTR)
		bad |= nla_put_u32(msg, HEY_A_ENDPOINT_MAX + 1, 1);
	nla_nest_end(msg, nest);
out:
	if (!bad)
		return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

/*
 * Malformed answers: EINVAL with an extack message each, and none of
 * them changes the race (it still wins with the good answer after).
 */
TEST_F(rr, answer_einval_bad_attrs)
{
	struct rr_req q;
	int fd, kind, ret;

	RR_NEED_TOPOLOGY();
	fd = waiting_race(_metadata, self, &q);
	for (kind = 0; kind < __BAD_MAX; kind++) {
		struct nl_msg *msg = bad_msg(&self->r, &q, self->if1,
					     &self->v4, &self->v6, kind);

		ASSERT_NE(NULL, msg);
		ret = res_send(&self->r, msg);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("%s: %s, want EINVAL", bad_names[kind],
			       strerror(-ret));
		EXPECT_NE(0, self->r.h.extack[0]) {
			TH_LOG("%s: no extack message", bad_names[kind]);
			if (self->r.miss_type >= 0)
				TH_LOG("%s: only NLMSGERR_ATTR_MISS_TYPE %d",
				       bad_names[kind], self->r.miss_type);
		}
	}
	/* none of them may have been taken: the path still has nothing */
	race_still_works(_metadata, self, fd, &q);
	ASSERT_EQ(0, self->r.n) TH_LOG("unexpected requests");
}

/*
 * Each path races what was answered for it: path 1 gets a blackholed
 * IPv6 address, path 2 another (IPv4) address, with its own port.
 * Every leaf of path 1 has the first, every leaf of path 2 the second;
 * path 2 wins.
 */
TEST_F(rr, split_per_path_answers)
{
	struct rr_ep x[] = { EP(&self->v6drop) };
	struct rr_ep y[] = { { .addr = &self->v4b, .port = self->port,
			       .prio = -1, .weight = -1 } };
	struct hey_info info;
	struct rr_req q;
	int fd, cerr, on1 = 0, on2 = 0;
	uint32_t w, i;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	/* the connect() port is closed: only the answer's port works */
	fd = race_start(_metadata, AF_INET6, "www.example.test", 1, NULL,
			&cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL, x, 1);
	ASSERT_ANSWER(&self->r, q.id, self->if2, HEY_RESOLVE_F_FINAL, y, 1);
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	for (i = 0; i < info.n_leaves; i++) {
		const struct hey_leaf_info *l = &info.leaves[i];

		if (l->ifindex == self->if1) {
			on1++;
			ASSERT_TRUE(ep_is(&l->endpoint, &self->v6drop))
				info_log(_metadata, fd);
			ASSERT_EQ(htons(1), l->endpoint.port);
		} else {
			ASSERT_EQ(self->if2, l->ifindex)
				info_log(_metadata, fd);
			on2++;
			ASSERT_TRUE(ep_is(&l->endpoint, &self->v4b))
				info_log(_metadata, fd);
			ASSERT_EQ(htons(self->port), l->endpoint.port);
		}
	}
	ASSERT_TRUE(on1 >= 1 && on2 >= 1) info_log(_metadata, fd);
	ASSERT_EQ(self->if2, info.leaves[w].ifindex);
	close(fd);
}

/*
 * Two endpoints of one path: the first started (failover: the only one,
 * as it works) is the one SRV order puts first, not the first answered
 * nor the one RFC 6724 would prefer (IPv6).
 */
static void srv_order(struct __test_metadata *_metadata,
		      FIXTURE_DATA(rr) *self, const struct rr_ep *eps,
		      const struct rr_addr *first)
{
	struct hey_timing failover = { .mode = HEY_RACE_FAILOVER };
	struct hey_info info;
	struct rr_req q;
	uint32_t w, i, earliest = ~0U;
	int fd, cerr, e = -1;

	resolver_up(_metadata, self);
	fd = race_start(_metadata, AF_INET6, "srv.example.test", self->port,
			&failover, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL, eps, 2);
	w = winner_of(_metadata, fd, EINPROGRESS, &info);
	for (i = 0; i < info.n_leaves; i++)
		if (info.leaves[i].start_us != ~0U &&
		    (e < 0 || info.leaves[i].start_us < earliest)) {
			e = i;
			earliest = info.leaves[i].start_us;
		}
	ASSERT_LE(0, e);
	ASSERT_TRUE(ep_is(&info.leaves[e].endpoint, first))
		info_log(_metadata, fd);
	ASSERT_EQ((uint32_t)e, w) info_log(_metadata, fd);
	close(fd);
}

TEST_F(rr, srv_priority_lower_first)
{
	struct rr_ep eps[] = {
		{ .addr = &self->v6, .port = -1, .prio = 20, .weight = 0 },
		{ .addr = &self->v4b, .port = -1, .prio = 10, .weight = 0 },
	};

	RR_NEED_TOPOLOGY();
	srv_order(_metadata, self, eps, &self->v4b);
}

TEST_F(rr, srv_weight_higher_first)
{
	struct rr_ep eps[] = {
		{ .addr = &self->v6, .port = -1, .prio = 10, .weight = 10 },
		{ .addr = &self->v4b, .port = -1, .prio = 10, .weight = 50 },
	};

	RR_NEED_TOPOLOGY();
	srv_order(_metadata, self, eps, &self->v4b);
}

/* ------------------------------------------------------------------ */
/* History by name                                                     */

/*
 * The history cache on (resolve.sh has it off for the cases above) and
 * empty; the fixture puts net.hey.cache_timeout back.
 */
static void cache_on(struct __test_metadata *_metadata,
		     FIXTURE_DATA(rr) *self)
{
	struct heynl h;

	ASSERT_EQ(0, read_file(RR_CACHE_SYSCTL, self->cache_saved,
			       sizeof(self->cache_saved)));
	self->cache_changed = true;
	ASSERT_EQ(0, write_file(RR_CACHE_SYSCTL, "600"));
	ASSERT_EQ(0, heynl_open(&h));
	ASSERT_EQ(0, heynl_cache_flush(&h, false, 0));
	heynl_close(&h);
}

/* IPv6 SYNs sent to RR_PORT so far (the counter resolve.sh made); -1. */
static long v6syns(void)
{
	FILE *p = popen("nft list chain inet rr out 2>/dev/null", "r");
	char line[512], *at;
	long n = -1;

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "comment \"v6syn\"") &&
		    (at = strstr(line, "packets ")) &&
		    sscanf(at, "packets %ld", &n) == 1)
			break;
	pclose(p);
	return n;
}

/* The network id of an interface no one named: the default one. */
static uint64_t default_network(uint32_t ifindex)
{
	return HEY_NETWORK_DEFAULT | ifindex;
}

/*
 * The entry of the name (or, name NULL, of the address) for family on
 * if1's network, port and TCP, from a dump: true when there is one.
 */
static bool cache_find(struct __test_metadata *_metadata,
		       FIXTURE_DATA(rr) *self, const char *name,
		       const struct rr_addr *addr, uint16_t family,
		       struct heynl_cache_entry *out)
{
	struct heynl_vec all = { .size = sizeof(struct heynl_cache_entry) };
	bool found = false;
	struct heynl h;
	size_t i;

	EXPECT_EQ(0, heynl_open(&h));
	EXPECT_EQ(0, heynl_cache_get(&h, false, 0, &all));
	heynl_close(&h);
	for (i = 0; i < all.n && !found; i++) {
		const struct heynl_cache_entry *e = heynl_vec_at(&all, i);

		if (e->network != default_network(self->if1) ||
		    e->family != family || e->port != self->port ||
		    e->protocol != HEY_PROTO_TCP)
			continue;
		if (name ? !HEYNL_HAS(e, HEY_A_CACHE_NAME) ||
			   strcmp(e->name, name) :
			   HEYNL_HAS(e, HEY_A_CACHE_NAME) ||
			   memcmp(e->addr, addr->a,
				  family == AF_INET ? 4 : 16))
			continue;
		*out = *e;
		found = true;
	}
	heynl_vec_free(&all);
	return found;
}

/* A name entry on if1's network, port and TCP, as heyctl cache add puts. */
static void set_name_entry(struct __test_metadata *_metadata,
			   FIXTURE_DATA(rr) *self, const char *name,
			   uint16_t family, uint8_t result)
{
	struct heynl_cache_entry e = {
		.present = HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_NAME) |
			   HEYNL_BIT(HEY_A_CACHE_RESULT) |
			   HEYNL_BIT(HEY_A_CACHE_SRTT_US),
		.network = default_network(self->if1),
		.family = family,
		.port = self->port,
		.protocol = HEY_PROTO_TCP,
		.result = result,
		.srtt_us = result == HEY_CACHE_SUCCESS ? 1000 : 0,
	};
	struct heynl h;
	int ret;

	snprintf(e.name, sizeof(e.name), "%s", name);
	ASSERT_EQ(0, heynl_open(&h));
	ret = heynl_cache_set(&h, &e);
	ASSERT_EQ(0, ret) TH_LOG("SET_CACHE %s: %s (%s)", name, strerror(-ret),
				 h.extack);
	heynl_close(&h);
}

/*
 * A race by name of an AF_INET6 socket: if2 answers nothing, if1 the
 * endpoints eps (one answer, final); it must win. *info is its HEY_INFO.
 */
static void race_by_name(struct __test_metadata *_metadata,
			 FIXTURE_DATA(rr) *self, const char *name,
			 const struct hey_timing *timing,
			 const struct rr_ep *eps, int n, struct hey_info *info)
{
	struct rr_req q;
	int fd, cerr;

	fd = race_start(_metadata, AF_INET6, name, self->port, timing, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL, eps, n);
	winner_of(_metadata, fd, EINPROGRESS, info);
	close(fd);
}

/*
 * A race by address of an AF_INET6 socket over if1 alone: to first,
 * with more (an IPv4 address) as HEY_ENDPOINTS; it must win.
 */
static void race_by_address(struct __test_metadata *_metadata,
			    FIXTURE_DATA(rr) *self,
			    const struct hey_timing *timing,
			    const struct rr_addr *first,
			    const struct rr_addr *more, struct hey_info *info)
{
	struct hey_paths paths = { .mode = HEY_PATHS_ALLOW, .count = 1,
				   .ifindex = { self->if1 } };
	struct hey_endpoint ep = { .family = AF_INET };
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(self->port) };
	int fd;

	ASSERT_EQ(AF_INET6, first->family);
	ASSERT_EQ(AF_INET, more->family);
	memcpy(&sa.sin6_addr, first->a, 16);
	memcpy(ep.addr, more->a, 4);
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	ASSERT_EQ(0, setsockopt(fd, SOL_HEY, HEY_PATHS, &paths,
				sizeof(paths)));
	ASSERT_EQ(0, setsockopt(fd, SOL_HEY, HEY_ENDPOINTS, &ep, sizeof(ep)));
	ASSERT_EQ(0, setsockopt(fd, SOL_HEY, HEY_TIMING, timing,
				sizeof(*timing)));
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		TH_LOG("connect: %s", strerror(errno));
	winner_of(_metadata, fd, 0, info);
	close(fd);
}

/* The leaf of info at that address; -1 if none. */
static int leaf_at(const struct hey_info *info, const struct rr_addr *a)
{
	uint32_t i;

	for (i = 0; i < info->n_leaves && i < HEY_MAX_LEAVES; i++)
		if (ep_is(&info->leaves[i].endpoint, a))
			return i;
	return -1;
}

/* A SET_CACHE or DEL_CACHE request with a name key of len bytes. */
static int name_req(struct heynl *h, uint8_t cmd, uint16_t family,
		    const void *name, int len, bool addr, uint8_t proto)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct nl_msg *msg = heynl_msg(h, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, 0x1234) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, family) ||
	    (name && nla_put(msg, HEY_A_CACHE_NAME, len, name)) ||
	    (addr && nla_put(msg, HEY_A_CACHE_ADDR, 16, v6)) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(443)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL, proto) ||
	    (cmd == HEY_CMD_SET_CACHE &&
	     nla_put_u8(msg, HEY_A_CACHE_RESULT, HEY_CACHE_SUCCESS))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(h, msg, NULL, NULL);
}

/*
 * HEY_A_CACHE_NAME's validation: lengths by the policy (ERANGE), the
 * rules of HEY_HOST and the key's (EINVAL), each with an extack
 * message; a good name is folded, so that any case deletes it.
 */
TEST_F_TIMEOUT(rr, cache_name_netlink_validation, 120)
{
	static const struct {
		const char *what;
		const char *name;
		int len;
		uint16_t family;
		bool addr;
		uint8_t proto;
		int err;
		const char *extack;
	} bad[] = {
		{ "empty attribute", "", 0, AF_INET, false, HEY_PROTO_TCP,
		  -ERANGE, "Attribute failed policy validation" },
		{ "a NUL alone", "", 1, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "the name is empty" },
		{ "an empty label", "a..b", 5, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "an empty label in the name" },
		{ "a leading dot", ".a", 2, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "an empty label in the name" },
		{ "a tab", "a\tb", 3, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "a NUL or control character in the name" },
		{ "a NUL inside", "a\0b", 4, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "a NUL or control character in the name" },
		{ "DEL", "a\x7f", 2, AF_INET, false, HEY_PROTO_TCP,
		  -EINVAL, "a NUL or control character in the name" },
		{ "with an address", "a.b", 4, AF_INET6, true, HEY_PROTO_TCP,
		  -EINVAL, "a name entry has no address" },
		{ "AF_UNSPEC", "a.b", 4, AF_UNSPEC, false, HEY_PROTO_TFO,
		  -EINVAL, "AF_UNSPEC entries have no name" },
		{ "neither address nor name", NULL, 0, AF_INET6, false,
		  HEY_PROTO_TCP, -EINVAL,
		  "HEY_A_CACHE_ADDR or HEY_A_CACHE_NAME is required" },
	};
	char big[HEY_MAX_HOST + 2], label[80];
	struct heynl_vec all = { .size = sizeof(struct heynl_cache_entry) };
	const struct heynl_cache_entry *e;
	struct heynl h;
	size_t i;
	int ret;

	RR_NEED_TOPOLOGY();
	cache_on(_metadata, self);
	ASSERT_EQ(0, heynl_open(&h));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = name_req(&h, HEY_CMD_SET_CACHE, bad[i].family,
			       bad[i].name, bad[i].len, bad[i].addr,
			       bad[i].proto);
		EXPECT_EQ(bad[i].err, ret) TH_LOG("%s: %s", bad[i].what,
						  strerror(-ret));
		EXPECT_STREQ(bad[i].extack, h.extack) TH_LOG("%s", bad[i].what);
		ret = name_req(&h, HEY_CMD_DEL_CACHE, bad[i].family,
			       bad[i].name, bad[i].len, bad[i].addr,
			       bad[i].proto);
		EXPECT_EQ(bad[i].err, ret) TH_LOG("DEL %s", bad[i].what);
	}
	/* 256 bytes: too long with or without a NUL; 255 and a NUL: fine */
	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 50 == 49 ? '.' : 'a';
	EXPECT_EQ(-ERANGE, name_req(&h, HEY_CMD_SET_CACHE, AF_INET, big,
				    HEY_MAX_HOST + 1, false, HEY_PROTO_TCP));
	EXPECT_STREQ("Attribute failed policy validation", h.extack);
	big[HEY_MAX_HOST + 1] = '\0';
	EXPECT_EQ(-ERANGE, name_req(&h, HEY_CMD_SET_CACHE, AF_INET, big,
				    HEY_MAX_HOST + 2, false, HEY_PROTO_TCP));
	big[HEY_MAX_HOST] = '\0';
	EXPECT_EQ(0, name_req(&h, HEY_CMD_SET_CACHE, AF_INET, big,
			      HEY_MAX_HOST + 1, false, HEY_PROTO_TCP))
		TH_LOG("%s", h.extack);
	/* a label of 64 bytes */
	memset(label, 'x', 64);
	strcpy(label + 64, ".test");
	EXPECT_EQ(-EINVAL, name_req(&h, HEY_CMD_SET_CACHE, AF_INET, label,
				    strlen(label), false, HEY_PROTO_TCP));
	EXPECT_STREQ("a label of the name above 63 bytes", h.extack);
	/* a name in a request that takes none */
	{
		struct nl_msg *msg = heynl_msg(&h, HEY_CMD_FLUSH_CACHE, 0);

		ASSERT_NE(NULL, msg);
		ASSERT_EQ(0, nla_put_string(msg, HEY_A_CACHE_NAME, "a.b"));
		EXPECT_EQ(-EINVAL, heynl_request(&h, msg, NULL, NULL));
		EXPECT_NE(0, h.extack[0]);
	}

	/* folded: lower case, no final dot; without a NUL too */
	ASSERT_EQ(0, name_req(&h, HEY_CMD_SET_CACHE, AF_INET6,
			      "Www.Example.TEST.", 17, false, HEY_PROTO_TCP))
		TH_LOG("%s", h.extack);
	ASSERT_EQ(0, heynl_cache_get(&h, true, 0x1234, &all));
	ASSERT_EQ(2u, all.n);
	e = heynl_vec_at(&all, 0);
	if (e->family != AF_INET6)
		e = heynl_vec_at(&all, 1);
	ASSERT_STREQ("www.example.test", e->name);
	ASSERT_TRUE(HEYNL_HAS(e, HEY_A_CACHE_NAME));
	ASSERT_FALSE(HEYNL_HAS(e, HEY_A_CACHE_ADDR));
	heynl_vec_free(&all);
	/* the IPv4 family of the name is another key */
	EXPECT_EQ(-ENOENT, name_req(&h, HEY_CMD_DEL_CACHE, AF_INET,
				    "www.example.test", 17, false,
				    HEY_PROTO_TCP));
	EXPECT_EQ(0, name_req(&h, HEY_CMD_DEL_CACHE, AF_INET6,
			      "WWW.EXAMPLE.TEST", 17, false, HEY_PROTO_TCP));
	EXPECT_EQ(-ENOENT, name_req(&h, HEY_CMD_DEL_CACHE, AF_INET6,
				    "www.example.test", 17, false,
				    HEY_PROTO_TCP));
	EXPECT_STREQ("hey: no such entry", h.extack);
	heynl_cache_flush(&h, false, 0);
	heynl_close(&h);
}

/*
 * A name entry of a family that failed orders, never prunes: the IPv6
 * leaf goes after the IPv4 one but is still there. An address's own
 * entry goes before its name's: a known good IPv6 address goes first
 * though the name's IPv6 failed.
 */
TEST_F_TIMEOUT(rr, history_by_name_orders_address_first, 300)
{
	struct hey_timing slow = { .mode = HEY_RACE_DELAYED,
				   .min_delay_ms = 2000,
				   .max_delay_ms = 5000 };
	struct rr_ep eps[] = { EP(&self->v6), EP(&self->v4b) };
	static const char name[] = "set.example.test";
	struct heynl_cache_entry e = {
		.present = HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_ADDR) |
			   HEYNL_BIT(HEY_A_CACHE_RESULT),
		.family = AF_INET6, .protocol = HEY_PROTO_TCP,
		.result = HEY_CACHE_SUCCESS,
	};
	struct hey_info info;
	struct heynl h;
	long syns;

	RR_NEED_TOPOLOGY();
	ASSERT_LE(0, v6syns()) TH_LOG("no v6syn counter in inet rr out");
	cache_on(_metadata, self);
	resolver_up(_metadata, self);
	set_name_entry(_metadata, self, name, AF_INET6, HEY_CACHE_FAILED);

	syns = v6syns();
	race_by_name(_metadata, self, name, &slow, eps, 2, &info);
	ASSERT_EQ(2u, info.n_leaves) info_print(_metadata, &info);
	ASSERT_EQ(0, leaf_at(&info, &self->v4b));
	ASSERT_EQ(0, info.winner);
	ASSERT_EQ(HEY_LEAF_PENDING,
		  info.leaves[leaf_at(&info, &self->v6)].outcome);
	ASSERT_EQ(syns, v6syns());

	/* the address known good: its entry, not the name's */
	e.network = default_network(self->if1);
	e.port = self->port;
	memcpy(e.addr, self->v6.a, 16);
	ASSERT_EQ(0, heynl_open(&h));
	ASSERT_EQ(0, heynl_cache_set(&h, &e)) TH_LOG("%s", h.extack);
	heynl_close(&h);
	race_by_name(_metadata, self, name, &slow, eps, 2, &info);
	ASSERT_EQ(0, leaf_at(&info, &self->v6)) info_print(_metadata, &info);
	ASSERT_EQ(0, info.winner);
}

/*
 * The AAAA answer alone, where the name's IPv6 lost to its IPv4 lately:
 * it waits for the A answer (as long as IPv6 would have waited behind
 * IPv4: the attempt delay, here at least 5 s), so that IPv4 goes first.
 * Then, with no A answer coming, the path races IPv6 after that wait.
 */
TEST_F_TIMEOUT(rr, history_by_name_aaaa_waits_for_a, 300)
{
	struct hey_timing slow = { .mode = HEY_RACE_DELAYED,
				   .min_delay_ms = 5000,
				   .max_delay_ms = 10000 };
	struct rr_ep e6[] = { EP(&self->v6) }, e4[] = { EP(&self->v4b) };
	static const char name[] = "hold.example.test";
	struct hey_info info;
	struct rr_req q;
	int fd, cerr, i;
	long syns;

	RR_NEED_TOPOLOGY();
	ASSERT_LE(0, v6syns()) TH_LOG("no v6syn counter in inet rr out");
	cache_on(_metadata, self);
	resolver_up(_metadata, self);
	set_name_entry(_metadata, self, name, AF_INET6, HEY_CACHE_OUTRUN);
	set_name_entry(_metadata, self, name, AF_INET, HEY_CACHE_SUCCESS);

	syns = v6syns();
	fd = race_start(_metadata, AF_INET6, name, self->port, &slow, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_AAAA,
		      e6, 1);
	/*
	 * Without the wait, the IPv6 leaf would start right away; half a
	 * second is a tenth of the wait.
	 */
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, info_get(fd, &info));
		ASSERT_EQ(0u, info.n_leaves) info_log(_metadata, fd);
		usleep(10000);
	}
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_A,
		      e4, 1);
	winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_EQ(0, leaf_at(&info, &self->v4b)) info_log(_metadata, fd);
	ASSERT_EQ(0, info.winner);
	ASSERT_EQ(HEY_LEAF_PENDING,
		  info.leaves[leaf_at(&info, &self->v6)].outcome);
	ASSERT_EQ(syns, v6syns());
	close(fd);

	/* no A answer ever: IPv6 alone, once the wait is over (100 ms) */
	set_name_entry(_metadata, self, name, AF_INET6, HEY_CACHE_OUTRUN);
	fd = race_start(_metadata, AF_INET6, name, self->port, NULL, &cerr);
	ASSERT_EQ(EINPROGRESS, cerr);
	next_req(_metadata, &self->r, &q);
	answer_empty(_metadata, &self->r, q.id, self->if2);
	ASSERT_ANSWER(&self->r, q.id, self->if1, HEY_RESOLVE_F_FINAL_AAAA,
		      e6, 1);
	winner_of(_metadata, fd, EINPROGRESS, &info);
	ASSERT_EQ(1u, info.n_leaves);
	ASSERT_TRUE(ep_is(&info.leaves[0].endpoint, &self->v6));
	ASSERT_LT(syns, v6syns());
	close(fd);
}

/*
 * What a race by name learns applies to the next race to that name,
 * whatever addresses DNS gives then. The first race: the AAAA address
 * is blackholed, so IPv4 wins and the name's IPv6 is recorded as outrun
 * (and so is the address), the name's IPv4 as a success. The second
 * race to the name gets two other addresses, both working: IPv4 goes
 * first and wins, the IPv6 leaf never starts, no IPv6 SYN leaves.
 * Another name with those addresses still races IPv6 first. Races by
 * address never read name entries, but do read the address entries
 * races by name recorded. The last of the history cases: resolve.sh
 * reads the entries it leaves with heyctl.
 */
TEST_F_TIMEOUT(rr, history_by_name_across_addresses, 300)
{
	/* far longer than any handshake here: the second leaf waits */
	struct hey_timing slow = { .mode = HEY_RACE_DELAYED,
				   .min_delay_ms = 2000,
				   .max_delay_ms = 5000 };
	struct rr_ep first[] = { EP(&self->v6drop), EP(&self->v4) };
	struct rr_ep other[] = { EP(&self->v6), EP(&self->v4b) };
	static const char name[] = "hist.example.test";
	struct heynl_cache_entry e;
	struct hey_info info;
	long syns;
	int i6, i4;

	RR_NEED_TOPOLOGY();
	ASSERT_LE(0, v6syns()) TH_LOG("no v6syn counter in inet rr out");
	cache_on(_metadata, self);
	resolver_up(_metadata, self);

	/* 1: IPv6 first, outrun; IPv4 wins */
	race_by_name(_metadata, self, name, NULL, first, 2, &info);
	i6 = leaf_at(&info, &self->v6drop);
	i4 = leaf_at(&info, &self->v4);
	ASSERT_EQ(0, i6) info_print(_metadata, &info);
	ASSERT_EQ((uint32_t)i4, info.winner);
	ASSERT_EQ(HEY_LEAF_ABORTED, info.leaves[i6].outcome);
	ASSERT_TRUE(cache_find(_metadata, self, name, NULL, AF_INET6, &e));
	ASSERT_EQ(HEY_CACHE_OUTRUN, e.result);
	ASSERT_TRUE(cache_find(_metadata, self, name, NULL, AF_INET, &e));
	ASSERT_EQ(HEY_CACHE_SUCCESS, e.result);
	ASSERT_EQ(1, e.successes);
	/* under the addresses too */
	ASSERT_TRUE(cache_find(_metadata, self, NULL, &self->v6drop, AF_INET6,
			       &e));
	ASSERT_EQ(HEY_CACHE_OUTRUN, e.result);
	ASSERT_TRUE(cache_find(_metadata, self, NULL, &self->v4, AF_INET, &e));

	/* 2: other addresses, the name's history: IPv4 first, no IPv6 */
	syns = v6syns();
	race_by_name(_metadata, self, "HIST.Example.TEST.", &slow, other, 2,
		     &info);
	i6 = leaf_at(&info, &self->v6);
	i4 = leaf_at(&info, &self->v4b);
	ASSERT_EQ(0, i4) info_print(_metadata, &info);
	ASSERT_EQ((uint32_t)i4, info.winner);
	ASSERT_EQ(1, i6);
	ASSERT_EQ(HEY_LEAF_PENDING, info.leaves[i6].outcome);
	ASSERT_EQ(syns, v6syns());
	ASSERT_TRUE(cache_find(_metadata, self, name, NULL, AF_INET, &e));
	ASSERT_EQ(2, e.successes);

	/* 3: another name, the same addresses: IPv6 first, and it wins */
	race_by_name(_metadata, self, "other.example.test", &slow, other, 2,
		     &info);
	ASSERT_EQ(0, leaf_at(&info, &self->v6));
	ASSERT_EQ(0, info.winner);
	ASSERT_LT(syns, v6syns());

	/*
	 * By address: the address entry of the blackholed IPv6 that the
	 * race by name made puts it last, as any race's would...
	 */
	syns = v6syns();
	race_by_address(_metadata, self, &slow, &self->v6drop, &self->v4,
			&info);
	i6 = leaf_at(&info, &self->v6drop);
	ASSERT_EQ(0, leaf_at(&info, &self->v4));
	ASSERT_EQ(0, info.winner);
	ASSERT_EQ(HEY_LEAF_PENDING, info.leaves[i6].outcome);
	ASSERT_EQ(syns, v6syns());
	/* ...but the name's IPv6 entry orders no race by address */
	race_by_address(_metadata, self, &slow, &self->v6, &self->v4b, &info);
	ASSERT_EQ(0, leaf_at(&info, &self->v6));
	ASSERT_EQ(0, info.winner);
}

/*
 * Races by name in a row (RR_STRESS of them), each socket family in
 * turn, both paths answered with what the request asked for: every one
 * won, each counted.
 */
TEST_F_TIMEOUT(rr, stress_races_by_name, 600)
{
	struct rr_ep both[] = { EP(&self->v6), EP(&self->v4) };
	struct rr_ep only4[] = { EP(&self->v4) };
	uint64_t resolves, endpoints, given = 0;
	int n, won = 0;

	RR_NEED_TOPOLOGY();
	resolver_up(_metadata, self);
	resolves = stat_get(_metadata, HEY_A_STATS_RESOLVES);
	endpoints = stat_get(_metadata, HEY_A_STATS_RESOLVE_ENDPOINTS);
	for (n = 0; n < self->stress; n++) {
		int family = n % 2 ? AF_INET : AF_INET6;
		const struct rr_ep *eps = family == AF_INET ? only4 : both;
		int neps = family == AF_INET ? 1 : 2;
		struct hey_info info;
		struct rr_req q;
		int fd, cerr, ret, err;

		fd = race_start(_metadata, family, "www.example.test",
				self->port, NULL, &cerr);
		ASSERT_EQ(EINPROGRESS, cerr);
		next_req(_metadata, &self->r, &q);
		ASSERT_EQ(family == AF_INET ? HEY_RESOLVE_IPV4 :
			  HEY_RESOLVE_IPV4 | HEY_RESOLVE_IPV6, q.families);
		ret = res_answer(&self->r, q.id, self->if1,
				 HEY_RESOLVE_F_FINAL, eps, neps);
		ASSERT_EQ(0, ret) TH_LOG("race %d: %s", n, strerror(-ret));
		given += neps;
		/* the race may be won before the second path's answer */
		ret = res_answer(&self->r, q.id, self->if2,
				 HEY_RESOLVE_F_FINAL, eps, neps);
		ASSERT_TRUE(ret == 0 || ret == -ENOENT)
			TH_LOG("race %d: %s", n, strerror(-ret));
		if (!ret)
			given += neps;
		err = race_end(fd, cerr);
		if (err)
			info_log(_metadata, fd);
		EXPECT_EQ(0, err) TH_LOG("race %d: %s", n, err < 0 ?
					 "still racing" : strerror(err));
		if (!err && !info_get(fd, &info) &&
		    info.state == HEY_STATE_CONNECTED)
			won++;
		close(fd);
	}
	ASSERT_EQ(self->stress, won);
	ASSERT_EQ(resolves + self->stress,
		  stat_get(_metadata, HEY_A_STATS_RESOLVES));
	ASSERT_EQ(endpoints + given,
		  stat_get(_metadata, HEY_A_STATS_RESOLVE_ENDPOINTS));
	ASSERT_EQ(0, self->r.unknown);
}

TEST_HARNESS_MAIN
