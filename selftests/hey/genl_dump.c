// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps of the "hey" family are consistent: a change between two parts of
 * a dump flags the parts after it NLM_F_DUMP_INTR, so that a reader knows
 * to start again (genl_dump_check_consistent()). Each test fills a fresh
 * namespace with enough objects for a dump of several parts, reads the
 * first part, changes something, and reads the rest.
 *
 * The dumps are read with a plain netlink socket, not libnl: the test
 * needs to stop between two parts, which nl_recvmsgs() does not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "hey_test.h"

/* How one part of a dump went. */
struct part {
	int msgs;
	bool intr;
	bool done;
	int error;
};

/* A GET dump request for cmd on a new socket that reads 4 KiB at a time. */
static int dump_start(int family, uint8_t cmd)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = family,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.g = { .cmd = cmd, .version = HEY_GENL_VERSION },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != sizeof(req)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One recv(): the kernel fills one part per read of the reader's size. */
static struct part dump_read(int fd)
{
	static char buf[4096];
	struct part p = {};
	struct nlmsghdr *nlh;
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0) {
		p.error = -errno;
		return p;
	}
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			p.intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			p.error = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			p.done = true;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			p.done = true;
		} else {
			p.msgs++;
		}
	}
	return p;
}

/*
 * Reads a dump to its end; change(arg) runs after the first part.
 * Returns the parts read, or -1; *intr says whether a part was flagged.
 */
static int dump_with_change(int family, uint8_t cmd,
			    int (*change)(void *arg), void *arg, int *msgs,
			    bool *first_intr, bool *intr)
{
	int fd = dump_start(family, cmd), parts = 0;
	struct part p;

	if (fd < 0)
		return -1;
	*msgs = 0;
	*intr = false;
	do {
		p = dump_read(fd);
		if (p.error) {
			close(fd);
			return -1;
		}
		*msgs += p.msgs;
		*intr |= p.intr;
		if (!parts++) {
			*first_intr = p.intr;
			if (change && change(arg)) {
				close(fd);
				return -1;
			}
		}
	} while (!p.done);
	close(fd);
	return parts;
}

/* One history cache entry: IPv4 10.0.i/256.i%256, port 80, TCP. */
static int cache_add(struct heynl *h, int i, uint8_t result)
{
	uint8_t addr[4] = { 10, 0, i / 256, i % 256 };
	struct nl_msg *msg = heynl_msg(h, HEY_CMD_SET_CACHE, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, 1) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, AF_INET) ||
	    nla_put(msg, HEY_A_CACHE_ADDR, sizeof(addr), addr) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(80)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL, HEY_PROTO_TCP) ||
	    nla_put_u8(msg, HEY_A_CACHE_RESULT, result)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(h, msg, NULL, NULL);
}

#define CACHE_ENTRIES 200

static int change_cache(void *arg)
{
	return cache_add(arg, CACHE_ENTRIES, HEY_CACHE_FAILED);
}

static int change_nothing(void *arg)
{
	(void)arg;
	return 0;
}

TEST(cache_dump_changed_midway_is_flagged)
{
	int i, parts, msgs;
	bool first, intr;
	struct heynl h;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, heynl_open(&h));
	for (i = 0; i < CACHE_ENTRIES; i++)
		ASSERT_EQ(0, cache_add(&h, i, HEY_CACHE_SUCCESS));

	/* untouched: every entry, in several parts, none flagged */
	parts = dump_with_change(h.family, HEY_CMD_GET_CACHE, change_nothing,
				 NULL, &msgs, &first, &intr);
	ASSERT_LT(2, parts);
	ASSERT_EQ(CACHE_ENTRIES, msgs);
	ASSERT_FALSE(intr);

	/* an entry added after the first part: the rest is flagged */
	parts = dump_with_change(h.family, HEY_CMD_GET_CACHE, change_cache,
				 &h, &msgs, &first, &intr);
	ASSERT_LT(2, parts);
	ASSERT_FALSE(first);
	ASSERT_TRUE(intr);
	heynl_close(&h);
}

struct network_change {
	struct heynl *h;
	uint64_t id;
};

static int change_network(void *arg)
{
	struct network_change *c = arg;
	struct nl_msg *msg = heynl_msg(c->h, HEY_CMD_SET_NETWORK, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HEY_A_NETWORK_IFINDEX, 1) ||
	    nla_put_u64(msg, HEY_A_NETWORK_ID, c->id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return heynl_request(c->h, msg, NULL, NULL);
}

#define VETH_PAIRS 60

TEST(network_dump_changed_midway_is_flagged)
{
	struct network_change c = { .id = 42 };
	int i, parts, msgs;
	bool first, intr;
	struct heynl h;
	FILE *ip;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	/* lo and VETH_PAIRS veth pairs: a dump of several parts */
	ip = popen("ip -batch -", "w");
	ASSERT_NE(NULL, ip);
	for (i = 0; i < VETH_PAIRS; i++)
		fprintf(ip, "link add a%d type veth peer name b%d\n", i, i);
	ASSERT_EQ(0, pclose(ip));
	ASSERT_EQ(0, heynl_open(&h));
	c.h = &h;

	parts = dump_with_change(h.family, HEY_CMD_GET_NETWORK,
				 change_nothing, NULL, &msgs, &first, &intr);
	ASSERT_LT(1, parts);
	ASSERT_EQ(1 + 2 * VETH_PAIRS, msgs);
	ASSERT_FALSE(intr);

	/* an id set after the first part: the rest is flagged */
	parts = dump_with_change(h.family, HEY_CMD_GET_NETWORK,
				 change_network, &c, &msgs, &first, &intr);
	ASSERT_LT(1, parts);
	ASSERT_FALSE(first);
	ASSERT_TRUE(intr);

	/* and back to the default id: a change as well */
	c.id = 0;
	dump_with_change(h.family, HEY_CMD_GET_NETWORK, change_network, &c,
			 &msgs, &first, &intr);
	ASSERT_TRUE(intr);
	heynl_close(&h);
}

TEST_HARNESS_MAIN
