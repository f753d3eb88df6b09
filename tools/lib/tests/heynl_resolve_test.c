// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the resolver's messages (heynl_resolve.h), on the host
 * under ASan and UBSan: HEY_CMD_RESOLVE requests as the kernel sends
 * them, well-formed and not; answers built and read back attribute by
 * attribute; the answer an error message echoes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "heynl.h"
#include "heynl_resolve.h"
#include "nlmsg_build.h"

/* A request as the kernel builds it; a negative count leaves PATHS out. */
static struct nl_msg *request(const char *name, int namelen,
			      const uint32_t *paths, int pathbytes)
{
	struct nl_msg *msg = build_msg(HEY_CMD_RESOLVE);

	nla_put_u64(msg, HEY_A_RESOLVE_ID, 0x1122334455667788ull);
	if (name)
		nla_put(msg, HEY_A_RESOLVE_NAME, namelen, name);
	nla_put_u16(msg, HEY_A_RESOLVE_PORT, htons(443));
	nla_put_u8(msg, HEY_A_RESOLVE_FAMILIES,
		   HEY_RESOLVE_IPV4 | HEY_RESOLVE_IPV6);
	if (pathbytes >= 0)
		nla_put(msg, HEY_A_RESOLVE_PATHS, pathbytes, paths);
	return msg;
}

static int parse(const char *name, int namelen, const uint32_t *paths,
		 int pathbytes, struct heynl_resolve_request *r)
{
	struct nl_msg *msg = request(name, namelen, paths, pathbytes);
	int ret = heynl_resolve_request_parse(msg, r);

	nlmsg_free(msg);
	return ret;
}

TEST(request_parsed)
{
	static const uint32_t paths[] = { 2, 3 };
	struct heynl_resolve_request r;

	ASSERT_EQ(0, parse("www.example.com", 16, paths, 8, &r));
	ASSERT_EQ(0x1122334455667788ull, r.id);
	ASSERT_STREQ("www.example.com", r.name);
	ASSERT_EQ(htons(443), r.port);
	ASSERT_EQ(HEY_RESOLVE_IPV4 | HEY_RESOLVE_IPV6, r.families);
	ASSERT_EQ(2, r.npaths);
	ASSERT_EQ(2, r.paths[0]);
	ASSERT_EQ(3, r.paths[1]);
}

TEST(request_malformed_refused)
{
	uint32_t paths[HEY_MAX_PATHS + 1] = { 2 };
	struct heynl_resolve_request r;
	char big[HEY_MAX_HOST + 2];

	/* no NUL, a NUL inside, empty, too long */
	ASSERT_EQ(-EPROTO, parse("www.example.com", 15, paths, 4, &r));
	ASSERT_EQ(-EPROTO, parse("www\0example.com", 16, paths, 4, &r));
	ASSERT_EQ(-EPROTO, parse("", 1, paths, 4, &r));
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	ASSERT_EQ(-EPROTO, parse(big, sizeof(big), paths, 4, &r));
	big[sizeof(big) - 2] = '\0';
	ASSERT_EQ(0, parse(big, sizeof(big) - 1, paths, 4, &r));
	/* no name, no paths, paths not whole u32s, none, too many */
	ASSERT_EQ(-EPROTO, parse(NULL, 0, paths, 4, &r));
	ASSERT_EQ(-EPROTO, parse("a.b", 4, paths, -1, &r));
	ASSERT_EQ(-EPROTO, parse("a.b", 4, paths, 6, &r));
	ASSERT_EQ(-EPROTO, parse("a.b", 4, paths, 0, &r));
	ASSERT_EQ(-EPROTO, parse("a.b", 4, paths, sizeof(paths), &r));
	ASSERT_EQ(0, parse("a.b", 4, paths, sizeof(paths) - 4, &r));
	ASSERT_EQ(HEY_MAX_PATHS, r.npaths);
}

TEST(other_commands_are_not_requests)
{
	struct nl_msg *msg = build_msg(HEY_CMD_RACE_DONE);
	struct heynl_resolve_request r;

	ASSERT_EQ(-ENOMSG, heynl_resolve_request_parse(msg, &r));
	nlmsg_free(msg);
}

TEST(answer_built)
{
	struct heynl h = { .family = 0x20 };
	struct heynl_resolve_endpoint e[2] = {
		{ .family = AF_INET6, .ttl = 300 },
		{ .family = AF_INET, .port = 8443, .ttl = 60, .srv = true,
		  .priority = 10, .weight = 5 },
	};
	struct nlattr *tb[HEY_A_RESOLVE_MAX + 1], *a;
	struct nl_msg *msg;
	int rem, n = 0;

	inet_pton(AF_INET6, "2001:db8::1", e[0].addr);
	inet_pton(AF_INET, "192.0.2.1", e[1].addr);
	msg = heynl_resolve_answer_msg(&h, 77, 4, HEY_RESOLVE_F_FINAL_A, e, 2);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, HEY_A_RESOLVE_MAX,
				   NULL));
	ASSERT_EQ(HEY_CMD_RESOLVE_ANSWER,
		  ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd);
	ASSERT_EQ(77, nla_get_u64(tb[HEY_A_RESOLVE_ID]));
	ASSERT_EQ(4, nla_get_u32(tb[HEY_A_RESOLVE_IFINDEX]));
	ASSERT_EQ(HEY_RESOLVE_F_FINAL_A, nla_get_u32(tb[HEY_A_RESOLVE_FLAGS]));
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		struct nlattr *eb[HEY_A_ENDPOINT_MAX + 1];

		if (nla_type(a) != HEY_A_RESOLVE_ENDPOINT)
			continue;
		ASSERT_EQ(0, nla_parse_nested(eb, HEY_A_ENDPOINT_MAX, a, NULL));
		ASSERT_EQ(e[n].family, nla_get_u16(eb[HEY_A_ENDPOINT_FAMILY]));
		ASSERT_EQ(e[n].family == AF_INET ? 4 : 16,
			  nla_len(eb[HEY_A_ENDPOINT_ADDR]));
		ASSERT_EQ(0, memcmp(e[n].addr, nla_data(eb[HEY_A_ENDPOINT_ADDR]),
				    nla_len(eb[HEY_A_ENDPOINT_ADDR])));
		ASSERT_EQ(e[n].ttl, nla_get_u32(eb[HEY_A_ENDPOINT_TTL]));
		if (n == 0) {
			/* the request's port, no SRV fields */
			ASSERT_EQ(NULL, eb[HEY_A_ENDPOINT_PORT]);
			ASSERT_EQ(NULL, eb[HEY_A_ENDPOINT_PRIORITY]);
		} else {
			ASSERT_EQ(htons(8443),
				  nla_get_u16(eb[HEY_A_ENDPOINT_PORT]));
			ASSERT_EQ(10, nla_get_u16(eb[HEY_A_ENDPOINT_PRIORITY]));
			ASSERT_EQ(5, nla_get_u16(eb[HEY_A_ENDPOINT_WEIGHT]));
		}
		n++;
	}
	ASSERT_EQ(2, n);
	nlmsg_free(msg);
}

/* The error the kernel sends back for msg, echoing it (or capped). */
static size_t error_of(struct nl_msg *msg, unsigned char *buf, bool capped)
{
	struct nlmsghdr *req = nlmsg_hdr(msg), *nlh = (void *)buf;
	struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t echo = capped ? NLMSG_HDRLEN : req->nlmsg_len;

	memset(buf, 0, 4096);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? 0x100 : 0;
	err->error = -ENOENT;
	memcpy(&err->msg, req, echo);
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(err->error) + echo;
	return nlh->nlmsg_len;
}

TEST(answer_echoed_in_an_error)
{
	struct heynl h = { .family = 0x20 };
	struct nl_msg *msg = heynl_resolve_answer_msg(&h, 99, 7, 0, NULL, 0);
	unsigned char buf[4096];
	uint32_t ifindex = 0;
	uint64_t id = 0;
	size_t len;

	ASSERT_NE(NULL, msg);
	len = error_of(msg, buf, false);
	ASSERT_EQ(0, heynl_resolve_answer_echo((void *)buf, len, &id, &ifindex));
	ASSERT_EQ(99, id);
	ASSERT_EQ(7, ifindex);
	/* cut anywhere: never read past, and no ID when it is cut off */
	for (size_t l = 0; l < len; l++)
		ASSERT_EQ(-ENOENT, heynl_resolve_answer_echo((void *)buf, l,
							     &id, &ifindex));
	len = error_of(msg, buf, true);
	ASSERT_EQ(-ENOENT, heynl_resolve_answer_echo((void *)buf, len, &id,
						     &ifindex));
	nlmsg_free(msg);
}

static bool usable(int family, const char *text)
{
	struct heynl_resolve_endpoint e = { .family = family };

	inet_pton(family, text, e.addr);
	return heynl_resolve_endpoint_usable(&e);
}

TEST(endpoints_the_kernel_refuses_are_told)
{
	ASSERT_TRUE(usable(AF_INET, "192.0.2.1"));
	ASSERT_TRUE(usable(AF_INET, "127.0.0.1"));
	ASSERT_FALSE(usable(AF_INET, "0.0.0.0"));
	ASSERT_FALSE(usable(AF_INET, "0.1.2.3"));
	ASSERT_FALSE(usable(AF_INET, "224.0.0.1"));
	ASSERT_FALSE(usable(AF_INET, "255.255.255.255"));
	ASSERT_TRUE(usable(AF_INET6, "2001:db8::1"));
	ASSERT_TRUE(usable(AF_INET6, "::1"));
	ASSERT_FALSE(usable(AF_INET6, "::"));
	ASSERT_FALSE(usable(AF_INET6, "ff02::1"));
	ASSERT_FALSE(usable(AF_INET6, "::ffff:192.0.2.1"));
	ASSERT_FALSE(usable(AF_UNIX, "1.2.3.4"));
}

TEST_HARNESS_MAIN
