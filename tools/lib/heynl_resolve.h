/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resolver's side of the family (see HEY_CMD_REGISTER_RESOLVER in
 * <linux/hey.h>): registering, the HEY_CMD_RESOLVE requests the kernel
 * sends the registered socket alone, and the HEY_CMD_RESOLVE_ANSWER
 * messages that answer them. heyd is the resolver; the parsing and
 * building live here so that tests and tools can speak it too.
 */
#ifndef HEYNL_RESOLVE_H
#define HEYNL_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heynl.h"

/* A HEY_CMD_RESOLVE request as it came. */
struct heynl_resolve_request {
	uint64_t id;
	char name[HEY_MAX_HOST + 1];
	uint16_t port;		/* network byte order, as it came */
	uint8_t families;	/* enum hey_resolve_families */
	int npaths;
	uint32_t paths[HEY_MAX_PATHS];
};

/*
 * A HEY_CMD_RESOLVE message into r: 0, or -EPROTO when it is malformed
 * (ID, NAME, FAMILIES or PATHS missing, a name not NUL-terminated or
 * longer than HEY_MAX_HOST, PATHS not a whole number of u32, more than
 * HEY_MAX_PATHS of them), -ENOMSG when it is another command.
 */
int heynl_resolve_request_parse(struct nl_msg *msg,
				struct heynl_resolve_request *r);

/* One endpoint of an answer. */
struct heynl_resolve_endpoint {
	uint16_t family;	/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 bytes for AF_INET */
	uint16_t port;		/* host byte order; 0: the request's */
	uint32_t ttl;
	bool srv;		/* priority and weight are an SRV record's */
	uint16_t priority, weight;
};

/*
 * A HEY_CMD_RESOLVE_ANSWER for request id and one path, with n endpoints
 * and flags (enum hey_resolve_flags), ready to send; NULL when out of
 * memory or too large.
 */
struct nl_msg *heynl_resolve_answer_msg(struct heynl *h, uint64_t id,
					uint32_t ifindex, uint32_t flags,
					const struct heynl_resolve_endpoint *e,
					int n);

/*
 * HEY_CMD_REGISTER_RESOLVER with h's socket (before it joins the group,
 * as heynl_request would see the requests): 0, -EBUSY when another
 * socket is registered, -EPERM without CAP_NET_ADMIN, another -errno.
 */
int heynl_resolver_register(struct heynl *h);

/*
 * Whether the kernel takes e in an answer: a unicast address of its
 * family (not 0.0.0.0/8, multicast, broadcast or class E; not ::, IPv6
 * multicast or v4-mapped). One it refuses makes it refuse the whole
 * answer (EINVAL), so they are left out before.
 */
bool heynl_resolve_endpoint_usable(const struct heynl_resolve_endpoint *e);

/*
 * The ID and IFINDEX of the answer an error message (NLMSG_ERROR of len
 * bytes) refuses, read from the request it echoes: 0, or -ENOENT when
 * it echoes none (capped) or no answer.
 */
int heynl_resolve_answer_echo(const struct nlmsghdr *nlh, size_t len,
			      uint64_t *id, uint32_t *ifindex);

#endif /* HEYNL_RESOLVE_H */
