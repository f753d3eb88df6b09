// SPDX-License-Identifier: GPL-2.0
/*
 * The "hey" generic netlink family: the status command, strict
 * validation of requests, and per-namespace answers.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "hey_test.h"

TEST(status_fields)
{
	struct hey_status st;

	ASSERT_EQ(0, hey_status(&st));
	ASSERT_NE(0, st.version[0]);
	ASSERT_EQ(HEY_GENL_VERSION, st.api);
}

TEST(unknown_attribute_is_einval_with_extack)
{
	struct nl_msg *msg;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	msg = heynl_msg(&h, HEY_CMD_GET_STATUS, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, 42, 1));
	ASSERT_EQ(-EINVAL, heynl_request(&h, msg, NULL, NULL));
	ASSERT_NE(0, h.extack[0]) TH_LOG("no extack message");
	TH_LOG("extack: %s", h.extack);
	heynl_close(&h);
}

TEST(output_attribute_in_request_is_einval)
{
	struct nl_msg *msg;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	msg = heynl_msg(&h, HEY_CMD_GET_STATUS, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, HEY_A_STATUS_SOCKETS, 5));
	ASSERT_EQ(-EINVAL, heynl_request(&h, msg, NULL, NULL));
	heynl_close(&h);
}

TEST(reserved_header_field_is_einval)
{
	struct genlmsghdr *g;
	struct nl_msg *msg;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	msg = heynl_msg(&h, HEY_CMD_GET_STATUS, 0);
	ASSERT_NE(NULL, msg);
	g = nlmsg_data(nlmsg_hdr(msg));
	g->reserved = 1;
	ASSERT_EQ(-EINVAL, heynl_request(&h, msg, NULL, NULL));
	ASSERT_STREQ("genlmsghdr.reserved field is not 0", h.extack);
	heynl_close(&h);
}

TEST(dump_of_status_is_eopnotsupp)
{
	struct nl_msg *msg;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	msg = heynl_msg(&h, HEY_CMD_GET_STATUS, NLM_F_DUMP);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(-EOPNOTSUPP, heynl_request(&h, msg, NULL, NULL));
	heynl_close(&h);
}

TEST(unknown_command_is_eopnotsupp)
{
	struct nl_msg *msg;
	struct heynl h;

	ASSERT_EQ(0, heynl_open(&h));
	msg = heynl_msg(&h, HEY_CMD_MAX + 1, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(-EOPNOTSUPP, heynl_request(&h, msg, NULL, NULL));
	heynl_close(&h);
}

/*
 * Two namespaces each see their own sockets: three attached here, none in
 * a namespace a child makes for itself.
 */
TEST(answers_per_namespace)
{
	struct hey_status st;
	int fds[3], i, status;
	pid_t pid;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	for (i = 0; i < 3; i++) {
		fds[i] = socket(i % 2 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, hey_attach(fds[i]));
	}
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(3u, st.sockets);
	ASSERT_EQ(3u, st.attached);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct hey_status other;

		if (unshare(CLONE_NEWNET) || hey_status(&other))
			_exit(2);
		_exit(other.sockets == 0 && other.attached == 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	for (i = 0; i < 3; i++)
		close(fds[i]);
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
}

TEST_HARNESS_MAIN
