/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the unit tests: generic netlink messages built by hand, as the
 * kernel would send them, with nlmsg_alloc, genlmsg_put and nla_put.
 */
#ifndef NLMSG_BUILD_H
#define NLMSG_BUILD_H

#include <arpa/inet.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/hey.h>

/* An empty message of the family's command cmd. */
static inline struct nl_msg *build_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 1, 1, 0x20, 0, 0, cmd, HEY_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* An address attribute of family's length from its text. */
static inline int build_addr(struct nl_msg *msg, int attr, int family,
			     const char *text)
{
	unsigned char a[16];

	if (inet_pton(family, text, a) != 1)
		return -1;
	return nla_put(msg, attr, family == AF_INET ? 4 : 16, a);
}

#endif /* NLMSG_BUILD_H */
