// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "heynl.h"
#include "heynl_events.h"

int heynl_group_join(struct heynl *h, const char *group)
{
	int grp = genl_ctrl_resolve_grp(h->sk, HEY_GENL_NAME, group);

	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
	/* setsockopt rather than libnl: the errno (EPERM) matters here */
	if (setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		return -errno;
	if (nl_socket_set_nonblocking(h->sk) < 0)
		return -EIO;
	return 0;
}

int heynl_events_join(struct heynl *h)
{
	return heynl_group_join(h, HEY_MCGRP_EVENTS);
}

int heynl_events_fd(struct heynl *h)
{
	return nl_socket_get_fd(h->sk);
}

struct events_read {
	int (*handler)(struct nl_msg *msg, void *arg);
	void (*on_error)(const struct nlmsghdr *nlh, size_t len, int err,
			 void *arg);
	void *arg;
	int err;
};

/* Events carry no sequence numbers of ours. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct events_read *r = arg;
	int ret = r->handler(msg, r->arg);

	if (ret) {
		r->err = ret;
		return NL_STOP;
	}
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct events_read *r = arg;
	/* libnl hands over the payload; the header sits just before it */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	if (e->error && r->on_error)
		r->on_error(nlh, nlh->nlmsg_len, -e->error, r->arg);
	/* an error ends nothing here: read on */
	return NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int heynl_group_read(struct heynl *h,
		     int (*handler)(struct nl_msg *msg, void *arg),
		     void (*on_err)(const struct nlmsghdr *nlh, size_t len,
				    int err, void *arg),
		     void *arg)
{
	struct events_read r = {
		.handler = handler, .on_error = on_err, .arg = arg,
	};
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	ret = nl_recvmsgs(h->sk, cb);
	nl_cb_put(cb);
	if (r.err)
		return r.err;
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	/* nothing more queued */
	if (ret == -NLE_AGAIN)
		return 0;
	return ret < 0 ? -EIO : 0;
}

int heynl_events_read(struct heynl *h,
		      int (*handler)(struct nl_msg *msg, void *arg),
		      void *arg)
{
	return heynl_group_read(h, handler, NULL, arg);
}
