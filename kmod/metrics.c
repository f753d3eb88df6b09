// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel's TCP metrics cache (net/ipv4/tcp_metrics.c) knows of
 * the round trip to a destination from a source address: it keeps the
 * smoothed RTT and its variance of earlier connections, per namespace,
 * but exports no call to read them. Its generic netlink family
 * "tcp_metrics" answers anyone (TCP_METRICS_CMD_GET needs no privilege)
 * and answers within the sender's sendmsg(), so hey asks it the way
 * `ip tcp_metrics show` does, over a netlink socket of its own in the
 * racing namespace, for the duration of one race's setup.
 */

#include <linux/genetlink.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/tcp_metrics.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "metrics.h"
#include "order.h"

/* Generic netlink family ids are global and tcp_metrics is built in. */
static u16 tcp_metrics_family;

struct metrics_msg {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	u8 attrs[2 * NLA_ALIGN(NLA_HDRLEN + sizeof(struct in6_addr))];
};

static void msg_put(struct metrics_msg *m, int type, const void *data,
		    int len)
{
	struct nlattr *a = (struct nlattr *)((u8 *)m + m->nlh.nlmsg_len);

	a->nla_type = type;
	a->nla_len = nla_attr_size(len);
	memcpy(nla_data(a), data, len);
	m->nlh.nlmsg_len += nla_total_size(len);
}

/*
 * Sends m and returns the attributes of the answer (in buf, *len bytes),
 * or NULL when the answer is an error (ESRCH: nothing known).
 */
static struct nlattr *ask(struct socket *sock, struct metrics_msg *m,
			  void *buf, int size, int *len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
	};
	struct kvec vec = { .iov_base = m, .iov_len = m->nlh.nlmsg_len };
	struct nlmsghdr *nlh = buf;
	int n;

	if (kernel_sendmsg(sock, &msg, &vec, 1, vec.iov_len) < 0)
		return NULL;
	/* The answer is queued by now: the family answered in sendmsg(). */
	memset(&msg, 0, sizeof(msg));
	vec.iov_base = buf;
	vec.iov_len = size;
	n = kernel_recvmsg(sock, &msg, &vec, 1, size, MSG_DONTWAIT);
	if (n < (int)(NLMSG_HDRLEN + GENL_HDRLEN) || !nlmsg_ok(nlh, n) ||
	    nlh->nlmsg_type == NLMSG_ERROR)
		return NULL;
	*len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return (struct nlattr *)((u8 *)nlmsg_data(nlh) + GENL_HDRLEN);
}

static void msg_init(struct metrics_msg *m, u16 type, u8 cmd, u8 version)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST;
	m->genl.cmd = cmd;
	m->genl.version = version;
}

static u16 family_id(struct socket *sock, void *buf, int size)
{
	u16 id = READ_ONCE(tcp_metrics_family);
	struct metrics_msg m;
	struct nlattr *attrs, *a;
	int len;

	if (id)
		return id;
	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2);
	msg_put(&m, CTRL_ATTR_FAMILY_NAME, TCP_METRICS_GENL_NAME,
		sizeof(TCP_METRICS_GENL_NAME));
	attrs = ask(sock, &m, buf, size, &len);
	a = attrs ? nla_find(attrs, len, CTRL_ATTR_FAMILY_ID) : NULL;
	if (!a || nla_len(a) < (int)sizeof(u16))
		return 0;
	id = nla_get_u16(a);
	WRITE_ONCE(tcp_metrics_family, id);
	return id;
}

struct socket *hey_metrics_open(struct net *net)
{
	struct socket *sock;

	if (sock_create_kern(net, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC,
			     &sock))
		return NULL;
	return sock;
}

void hey_metrics_close(struct socket *sock)
{
	if (sock)
		sock_release(sock);
}

static u32 val(const struct nlattr *vals, int metric)
{
	const struct nlattr *a;

	/* The nest numbers each metric one above enum tcp_metric_index. */
	a = nla_find(nla_data(vals), nla_len(vals), metric + 1);
	return a && nla_len(a) >= (int)sizeof(u32) ? nla_get_u32(a) : 0;
}

/*
 * When the SYN-ACK of an attempt from item's source to its destination
 * is due, in microseconds: one and a half times the cached smoothed RTT
 * (one round trip, and half of one for its variation; the cache's own
 * RTTVAR carries TCP's 200 ms minimum RTO, so it would say more about
 * that floor than about the path). 0 when the cache knows nothing of the
 * pair.
 */
u32 hey_metrics_expected_us(struct socket *sock,
			    const struct hey_order_item *item)
{
	const struct in6_addr *d6 = (const struct in6_addr *)item->ep.addr;
	const int size = NLMSG_GOODSIZE;
	struct nlattr *attrs, *vals;
	struct metrics_msg m;
	u32 rtt;
	void *buf;
	int len;
	u16 id;

	if (!sock || !item->usable)
		return 0;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return 0;
	id = family_id(sock, buf, size);
	if (!id)
		goto unknown;
	msg_init(&m, id, TCP_METRICS_CMD_GET, TCP_METRICS_GENL_VERSION);
	/* TCP keeps v4-mapped connections' metrics under IPv4. */
	if (item->ep.family == AF_INET || ipv6_addr_v4mapped(d6)) {
		__be32 d4 = item->ep.family == AF_INET ?
			    *(const __be32 *)item->ep.addr : d6->s6_addr32[3];

		msg_put(&m, TCP_METRICS_ATTR_ADDR_IPV4, &d4, sizeof(d4));
		msg_put(&m, TCP_METRICS_ATTR_SADDR_IPV4, &item->src.v4,
			sizeof(item->src.v4));
	} else {
		msg_put(&m, TCP_METRICS_ATTR_ADDR_IPV6, d6, sizeof(*d6));
		msg_put(&m, TCP_METRICS_ATTR_SADDR_IPV6, &item->src.v6,
			sizeof(item->src.v6));
	}
	attrs = ask(sock, &m, buf, size, &len);
	vals = attrs ? nla_find(attrs, len, TCP_METRICS_ATTR_VALS) : NULL;
	if (!vals)
		goto unknown;
	rtt = val(vals, TCP_METRIC_RTT_US);
	kfree(buf);
	return rtt + rtt / 2;
unknown:
	kfree(buf);
	return 0;
}
