// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_resolve.h"

/* Lengths are checked below: libnl's string checks vary by version. */
static const struct nla_policy request_policy[HEY_A_RESOLVE_MAX + 1] = {
	[HEY_A_RESOLVE_ID] = { .type = NLA_U64 },
	[HEY_A_RESOLVE_PORT] = { .type = NLA_U16 },
	[HEY_A_RESOLVE_FAMILIES] = { .type = NLA_U8 },
	[HEY_A_RESOLVE_IFINDEX] = { .type = NLA_U32 },
	[HEY_A_RESOLVE_FLAGS] = { .type = NLA_U32 },
};

static int request_attrs(struct nlattr **tb, struct heynl_resolve_request *r)
{
	struct nlattr *a;
	int len;

	if (!tb[HEY_A_RESOLVE_ID] || !tb[HEY_A_RESOLVE_NAME] ||
	    !tb[HEY_A_RESOLVE_FAMILIES] || !tb[HEY_A_RESOLVE_PATHS])
		return -EPROTO;
	r->id = nla_get_u64(tb[HEY_A_RESOLVE_ID]);
	r->families = nla_get_u8(tb[HEY_A_RESOLVE_FAMILIES]);
	if (tb[HEY_A_RESOLVE_PORT])
		r->port = nla_get_u16(tb[HEY_A_RESOLVE_PORT]);
	a = tb[HEY_A_RESOLVE_NAME];
	len = nla_len(a);
	/* NUL-terminated, nothing after the NUL, at most HEY_MAX_HOST */
	if (len < 2 || len > HEY_MAX_HOST + 1 ||
	    ((const char *)nla_data(a))[len - 1] ||
	    strnlen(nla_data(a), len) != (size_t)len - 1)
		return -EPROTO;
	memcpy(r->name, nla_data(a), len);
	a = tb[HEY_A_RESOLVE_PATHS];
	len = nla_len(a);
	if (len <= 0 || len % sizeof(uint32_t) ||
	    len / sizeof(uint32_t) > HEY_MAX_PATHS)
		return -EPROTO;
	r->npaths = len / sizeof(uint32_t);
	memcpy(r->paths, nla_data(a), len);
	return 0;
}

int heynl_resolve_request_parse(struct nl_msg *msg,
				struct heynl_resolve_request *r)
{
	struct nlattr *tb[HEY_A_RESOLVE_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr;

	memset(r, 0, sizeof(*r));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -EPROTO;
	ghdr = nlmsg_data(nlh);
	if (ghdr->cmd != HEY_CMD_RESOLVE)
		return -ENOMSG;
	if (heynl_parse(msg, tb, HEY_A_RESOLVE_MAX,
			(struct nla_policy *)request_policy))
		return -EPROTO;
	return request_attrs(tb, r);
}

static int put_endpoint(struct nl_msg *msg,
			const struct heynl_resolve_endpoint *e)
{
	struct nlattr *nest = nla_nest_start(msg, HEY_A_RESOLVE_ENDPOINT);
	int alen = e->family == AF_INET ? 4 : 16;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(msg, HEY_A_ENDPOINT_FAMILY, e->family) ||
	    nla_put(msg, HEY_A_ENDPOINT_ADDR, alen, e->addr) ||
	    (e->port && nla_put_u16(msg, HEY_A_ENDPOINT_PORT, htons(e->port))) ||
	    nla_put_u32(msg, HEY_A_ENDPOINT_TTL, e->ttl))
		return -EMSGSIZE;
	if (e->srv &&
	    (nla_put_u16(msg, HEY_A_ENDPOINT_PRIORITY, e->priority) ||
	     nla_put_u16(msg, HEY_A_ENDPOINT_WEIGHT, e->weight)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

struct nl_msg *heynl_resolve_answer_msg(struct heynl *h, uint64_t id,
					uint32_t ifindex, uint32_t flags,
					const struct heynl_resolve_endpoint *e,
					int n)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_RESOLVE_ANSWER, 0);
	int i;

	if (!msg)
		return NULL;
	if (nla_put_u64(msg, HEY_A_RESOLVE_ID, id) ||
	    nla_put_u32(msg, HEY_A_RESOLVE_IFINDEX, ifindex) ||
	    nla_put_u32(msg, HEY_A_RESOLVE_FLAGS, flags))
		goto err;
	for (i = 0; i < n; i++)
		if (put_endpoint(msg, &e[i]))
			goto err;
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

int heynl_resolver_register(struct heynl *h)
{
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_REGISTER_RESOLVER, 0);

	if (!msg)
		return -ENOMEM;
	return heynl_request(h, msg, NULL, NULL);
}

int heynl_resolve_answer_echo(const struct nlmsghdr *nlh, size_t len,
			      uint64_t *id, uint32_t *ifindex)
{
	const struct nlmsgerr *err;
	const struct nlmsghdr *req;
	const unsigned char *p, *end;
	size_t rlen;
	int got = 0;

	if (len < NLMSG_HDRLEN + sizeof(*err) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*err) ||
	    nlh->nlmsg_type != NLMSG_ERROR || (nlh->nlmsg_flags & 0x100))
		return -ENOENT;	/* 0x100: NLM_F_CAPPED, no payload echoed */
	err = NLMSG_DATA(nlh);
	req = &err->msg;
	/* the echoed request, cut to what the error message holds */
	rlen = nlh->nlmsg_len - NLMSG_HDRLEN - sizeof(err->error);
	if (req->nlmsg_len < rlen)
		rlen = req->nlmsg_len;
	if (rlen < NLMSG_HDRLEN + GENL_HDRLEN ||
	    ((const struct genlmsghdr *)NLMSG_DATA(req))->cmd !=
	    HEY_CMD_RESOLVE_ANSWER)
		return -ENOENT;
	p = (const unsigned char *)req + NLMSG_HDRLEN + GENL_HDRLEN;
	end = (const unsigned char *)req + rlen;
	while (end - p >= (long)NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p)
			break;
		if (type == HEY_A_RESOLVE_ID &&
		    a->nla_len == NLA_HDRLEN + sizeof(uint64_t)) {
			memcpy(id, p + NLA_HDRLEN, sizeof(*id));
			got |= 1;
		} else if (type == HEY_A_RESOLVE_IFINDEX &&
			   a->nla_len == NLA_HDRLEN + sizeof(uint32_t)) {
			memcpy(ifindex, p + NLA_HDRLEN, sizeof(*ifindex));
			got |= 2;
		}
		p += NLA_ALIGN(a->nla_len);
	}
	return got == 3 ? 0 : -ENOENT;
}


bool heynl_resolve_endpoint_usable(const struct heynl_resolve_endpoint *e)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t zero[16];

	if (e->family == AF_INET)
		return e->addr[0] != 0 && e->addr[0] < 224;
	if (e->family != AF_INET6)
		return false;
	return memcmp(e->addr, zero, 16) && e->addr[0] != 0xff &&
	       memcmp(e->addr, v4mapped, 12);
}
