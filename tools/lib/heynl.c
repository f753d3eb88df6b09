// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/hey.h>

#include "heynl.h"
#include "heynl_attr.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

int heynl_open(struct heynl *h)
{
	int one = 1, ret;

	memset(h, 0, sizeof(*h));
	h->sk = nl_socket_alloc();
	if (!h->sk)
		return -ENOMEM;
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ret = errno ? -errno : -EIO;
		nl_socket_free(h->sk);
		h->sk = NULL;
		return ret;
	}
	/*
	 * Ask for the kernel's explanation with every error. libnl 3.7
	 * (Debian 12) has no call for this, so set the option directly.
	 */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	h->family = genl_ctrl_resolve(h->sk, HEY_GENL_NAME);
	if (h->family < 0) {
		ret = h->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		nl_socket_free(h->sk);
		h->sk = NULL;
		return ret;
	}
	return 0;
}

void heynl_close(struct heynl *h)
{
	nl_socket_free(h->sk);
	h->sk = NULL;
}

size_t heynl_extack_msg(const struct nlmsghdr *nlh, size_t len,
			char *buf, size_t buflen)
{
	const struct nlmsgerr *err;
	const unsigned char *p, *end;
	size_t off;

	if (buflen)
		buf[0] = '\0';
	if (len < NLMSG_HDRLEN + sizeof(*err) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*err) ||
	    nlh->nlmsg_type != NLMSG_ERROR ||
	    !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	err = NLMSG_DATA(nlh);
	off = NLMSG_HDRLEN + sizeof(*err);
	/* Unless capped, the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off >= nlh->nlmsg_len)
		return 0;
	p = (const unsigned char *)nlh + off;
	end = (const unsigned char *)nlh + nlh->nlmsg_len;
	while (end - p >= (long)NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, n;

		if (alen < NLA_HDRLEN || alen > (size_t)(end - p))
			return 0;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    buflen) {
			const char *s = (const char *)p + NLA_HDRLEN;

			n = strnlen(s, alen - NLA_HDRLEN);
			if (n >= buflen)
				n = buflen - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			return n;
		}
		p += NLA_ALIGN(alen);
	}
	return 0;
}

struct heynl_req {
	struct heynl *h;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	int err;
	int done;
	int interrupted;
};

static int heynl_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			  void *arg)
{
	struct heynl_req *req = arg;
	const struct nlmsghdr *nlh;

	(void)nla;
	/* libnl hands over the payload; the header sits just before it. */
	nlh = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	heynl_extack_msg(nlh, nlh->nlmsg_len, req->h->extack,
			 sizeof(req->h->extack));
	req->err = e->error;
	req->done = 1;
	return NL_STOP;
}

static int heynl_on_ack(struct nl_msg *msg, void *arg)
{
	struct heynl_req *req = arg;

	(void)msg;
	req->done = 1;
	return NL_STOP;
}

static int heynl_on_valid(struct nl_msg *msg, void *arg)
{
	struct heynl_req *req = arg;
	int ret;

	if (!req->parse)
		return NL_OK;
	ret = req->parse(msg, req->arg);
	if (ret < 0) {
		req->err = ret;
		return NL_STOP;
	}
	return NL_OK;
}

static int heynl_on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct heynl_req *req = arg;

	(void)msg;
	req->interrupted = 1;
	return NL_OK;
}

struct nl_msg *heynl_msg(struct heynl *h, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
			 flags, cmd, HEY_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int heynl_request(struct heynl *h, struct nl_msg *msg,
		  int (*parse)(struct nl_msg *msg, void *arg), void *arg)
{
	struct heynl_req req = { .h = h, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	h->extack[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send_auto(h->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, heynl_on_error, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, heynl_on_ack, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, heynl_on_ack, &req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, heynl_on_valid, &req);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, heynl_on_dump_intr, &req);
	while (!req.done && !req.err) {
		ret = nl_recvmsgs(h->sk, cb);
		if (ret < 0 && !req.err) {
			req.err = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	if (!req.err && req.interrupted)
		return -EAGAIN;
	return req.err;
}

void *heynl_vec_add(struct heynl_vec *vec)
{
	void *e;

	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 16;
		void *v = reallocarray(vec->v, cap, vec->size);

		if (!v)
			return NULL;
		vec->v = v;
		vec->cap = cap;
	}
	e = heynl_vec_at(vec, vec->n++);
	memset(e, 0, vec->size);
	return e;
}

void heynl_vec_free(struct heynl_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = 0;
	vec->cap = 0;
}

#define HEYNL_DUMP_TRIES 5

int heynl_dump(struct heynl *h, uint8_t cmd,
	       int (*fill)(struct nl_msg *msg, const void *farg),
	       const void *farg, int (*parse)(struct nl_msg *msg, void *out),
	       struct heynl_vec *out)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < HEYNL_DUMP_TRIES && ret == -EAGAIN; tries++) {
		struct nl_msg *msg = heynl_msg(h, cmd, NLM_F_DUMP);

		out->n = 0;
		if (!msg)
			return -ENOMEM;
		if (fill) {
			ret = fill(msg, farg);
			if (ret) {
				nlmsg_free(msg);
				return ret;
			}
		}
		ret = heynl_request(h, msg, parse, out);
	}
	return ret;
}

int heynl_parse(struct nl_msg *msg, struct nlattr **tb, int max,
		const struct nla_policy *policy)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EPROTO;
	if (genlmsg_parse(nlh, 0, tb, max, policy))
		return -EPROTO;
	return 0;
}

static int heynl_status_parse(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[HEY_A_STATUS_MAX + 1] = {
		[HEY_A_STATUS_VERSION] = { .type = NLA_NUL_STRING },
		[HEY_A_STATUS_API] = { .type = NLA_U32 },
		[HEY_A_STATUS_SOCKETS] = { .type = NLA_U32 },
		[HEY_A_STATUS_ATTACHED] = { .type = NLA_U64 },
	};
	struct nlattr *tb[HEY_A_STATUS_MAX + 1];
	struct hey_status *st = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HEY_A_STATUS_MAX, policy))
		return -EPROTO;
	if (!tb[HEY_A_STATUS_VERSION] || !tb[HEY_A_STATUS_API] ||
	    !tb[HEY_A_STATUS_SOCKETS] || !tb[HEY_A_STATUS_ATTACHED])
		return -EPROTO;
	nla_strlcpy(st->version, tb[HEY_A_STATUS_VERSION],
		    sizeof(st->version));
	st->api = nla_get_u32(tb[HEY_A_STATUS_API]);
	st->sockets = nla_get_u32(tb[HEY_A_STATUS_SOCKETS]);
	st->attached = nla_get_u64(tb[HEY_A_STATUS_ATTACHED]);
	return 0;
}

int heynl_status_get(struct heynl *h, struct hey_status *st)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_GET_STATUS, 0);

	memset(st, 0, sizeof(*st));
	if (!msg)
		return -ENOMEM;
	return heynl_request(h, msg, heynl_status_parse, st);
}

static const char *const stat_names[__HEY_A_STATS_LAST] = {
	[HEY_A_STATS_RACES] = "races",
	[HEY_A_STATS_WON] = "won",
	[HEY_A_STATS_FAILED] = "failed",
	[HEY_A_STATS_CANCELLED] = "cancelled",
	[HEY_A_STATS_REJECTED] = "rejected",
	[HEY_A_STATS_IN_FLIGHT] = "in_flight",
	[HEY_A_STATS_WINS_IPV4] = "wins_ipv4",
	[HEY_A_STATS_WINS_IPV6] = "wins_ipv6",
	[HEY_A_STATS_WINS_PRIMARY_PATH] = "wins_primary_path",
	[HEY_A_STATS_WINS_OTHER_PATH] = "wins_other_path",
	[HEY_A_STATS_WINS_TCP] = "wins_tcp",
	[HEY_A_STATS_FALLBACKS] = "fallbacks",
	[HEY_A_STATS_LEAVES_STARTED] = "leaves_started",
	[HEY_A_STATS_LEAVES_FAILED] = "leaves_failed",
	[HEY_A_STATS_LEAVES_ABORTED] = "leaves_aborted",
	[HEY_A_STATS_ERR_REFUSED] = "err_refused",
	[HEY_A_STATS_ERR_TIMEDOUT] = "err_timedout",
	[HEY_A_STATS_ERR_HOSTUNREACH] = "err_hostunreach",
	[HEY_A_STATS_ERR_NETUNREACH] = "err_netunreach",
	[HEY_A_STATS_ERR_OTHER] = "err_other",
	[HEY_A_STATS_WINS_TFO] = "wins_tfo",
	[HEY_A_STATS_WINS_SCTP] = "wins_sctp",
	[HEY_A_STATS_TFO_SYN_DATA_ACKED] = "tfo_syn_data_acked",
	[HEY_A_STATS_TFO_NEGATIVE] = "tfo_negative",
	[HEY_A_STATS_TFO_SKIPPED] = "tfo_skipped",
	[HEY_A_STATS_CACHE_HITS] = "cache_hits",
	[HEY_A_STATS_CACHE_PRUNED] = "cache_pruned",
	[HEY_A_STATS_CACHE_ENTRIES] = "cache_entries",
	[HEY_A_STATS_CACHE_EVICTED] = "cache_evicted",
	[HEY_A_STATS_MEASURED] = "measured",
	[HEY_A_STATS_RESOLVES] = "resolves",
	[HEY_A_STATS_RESOLVE_NO_RESOLVER] = "resolve_no_resolver",
	[HEY_A_STATS_RESOLVE_TIMEOUT] = "resolve_timeout",
	[HEY_A_STATS_RESOLVE_NO_ADDRESS] = "resolve_no_address",
	[HEY_A_STATS_RESOLVE_ENDPOINTS] = "resolve_endpoints",
	[HEY_A_STATS_WON_AT_ONCE] = "won_at_once",
};

const char *heynl_stat_name(int attr)
{
	if (attr < 0 || attr >= __HEY_A_STATS_LAST)
		return NULL;
	return stat_names[attr];
}

static int heynl_stats_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[HEY_A_STATS_MAX + 1];
	struct hey_stats *stats = arg;
	int i;

	/* Counters this build does not know are skipped, not refused. */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, HEY_A_STATS_MAX, NULL))
		return -EPROTO;
	for (i = HEY_A_STATS_RACES; i <= HEY_A_STATS_MAX; i++) {
		if (!tb[i])
			continue;
		if (nla_len(tb[i]) != sizeof(uint64_t))
			return -EPROTO;
		stats->v[i] = nla_get_u64(tb[i]);
	}
	return 0;
}

int heynl_stats_get(struct heynl *h, struct hey_stats *stats)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_GET_STATS, 0);

	memset(stats, 0, sizeof(*stats));
	if (!msg)
		return -ENOMEM;
	return heynl_request(h, msg, heynl_stats_parse, stats);
}

int heynl_get_addr(struct nlattr *a, uint16_t family, uint8_t addr[16])
{
	int want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;

	memset(addr, 0, 16);
	if (nla_len(a) != want)
		return -EPROTO;
	memcpy(addr, nla_data(a), want);
	return 0;
}

void heynl_get_u32s(struct nlattr **tb, const struct heynl_u32_field *f,
		    size_t n, void *obj)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tb[f[i].attr])
			*(uint32_t *)((char *)obj + f[i].off) =
				nla_get_u32(tb[f[i].attr]);
}

int heynl_put_u32s(struct nl_msg *msg, const struct heynl_u32_field *f,
		   size_t n, const void *obj, uint32_t present)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(present & (1u << f[i].attr)))
			continue;
		if (nla_put_u32(msg, f[i].attr,
				*(const uint32_t *)((const char *)obj +
						    f[i].off)))
			return -EMSGSIZE;
	}
	return 0;
}
