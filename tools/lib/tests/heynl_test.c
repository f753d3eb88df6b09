// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the userspace netlink helpers, run on the host under ASan
 * and UBSan: extack parsing must find the message in well-formed errors and
 * never read outside a malformed one; JSON strings must be escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "heynl.h"
#include "json.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

/*
 * Builds an NLMSG_ERROR message in buf: the error, the echoed request of
 * req_len bytes (only its header when capped), then an NLMSGERR_ATTR_MSG.
 */
static size_t build_error(unsigned char *buf, size_t req_len, bool capped,
			  const char *text, size_t text_len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *err;
	struct nlattr *a;
	size_t off;

	memset(buf, 0, 4096);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	err = NLMSG_DATA(nlh);
	err->error = -22;
	err->msg.nlmsg_len = req_len;
	off = NLMSG_HDRLEN + sizeof(*err);
	if (!capped)
		off += NLMSG_ALIGN(req_len) - NLMSG_HDRLEN;
	a = (struct nlattr *)(buf + off);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + text_len;
	memcpy(buf + off + NLA_HDRLEN, text, text_len);
	nlh->nlmsg_len = off + NLA_ALIGN(a->nla_len);
	return nlh->nlmsg_len;
}

TEST(extack_capped)
{
	unsigned char buf[4096];
	char out[64];
	size_t len = build_error(buf, 40, true, "bad attribute", 14);

	ASSERT_EQ(13, heynl_extack_msg((void *)buf, len, out, sizeof(out)));
	ASSERT_STREQ("bad attribute", out);
}

TEST(extack_after_echoed_request)
{
	unsigned char buf[4096];
	char out[64];
	size_t len = build_error(buf, 52, false, "reserved", 9);

	ASSERT_EQ(8, heynl_extack_msg((void *)buf, len, out, sizeof(out)));
	ASSERT_STREQ("reserved", out);
}

TEST(extack_truncated_to_buffer)
{
	unsigned char buf[4096];
	char out[5];
	size_t len = build_error(buf, 40, true, "a long message", 15);

	ASSERT_EQ(4, heynl_extack_msg((void *)buf, len, out, sizeof(out)));
	ASSERT_STREQ("a lo", out);
}

TEST(extack_unterminated_text_stays_inside)
{
	unsigned char buf[4096];
	char out[64];
	size_t len = build_error(buf, 40, true, "abcd", 4);
	unsigned char *copy = malloc(len);

	/* An exact-size heap copy: ASan catches any read past its end. */
	memcpy(copy, buf, len);
	ASSERT_EQ(4, heynl_extack_msg((void *)copy, len, out, sizeof(out)));
	ASSERT_STREQ("abcd", out);
	free(copy);
}

TEST(extack_malformed_is_empty)
{
	struct nlmsghdr *nlh;
	unsigned char buf[4096];
	char out[64];
	size_t len = build_error(buf, 40, true, "x", 2);
	struct nlattr *a = (struct nlattr *)(buf + NLMSG_HDRLEN +
					     sizeof(struct nlmsgerr));
	unsigned char *copy;

	nlh = (struct nlmsghdr *)buf;
	/* Attribute longer than the message. */
	a->nla_len = 200;
	copy = malloc(len);
	memcpy(copy, buf, len);
	ASSERT_EQ(0, heynl_extack_msg((void *)copy, len, out, sizeof(out)));
	ASSERT_STREQ("", out);
	free(copy);

	/* Message claims more than the buffer holds. */
	len = build_error(buf, 40, true, "x", 2);
	ASSERT_EQ(0, heynl_extack_msg(nlh, len - 4, out, sizeof(out)));

	/* Echoed request longer than the message. */
	len = build_error(buf, 4000, false, "x", 2);
	nlh->nlmsg_len = 64;
	ASSERT_EQ(0, heynl_extack_msg(nlh, 64, out, sizeof(out)));

	/* No TLV flag: nothing to look for. */
	len = build_error(buf, 40, true, "x", 2);
	nlh->nlmsg_flags = 0;
	ASSERT_EQ(0, heynl_extack_msg(nlh, len, out, sizeof(out)));

	/* Too short to hold an error at all. */
	ASSERT_EQ(0, heynl_extack_msg(nlh, 8, out, sizeof(out)));
}

TEST(json_escapes)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	json_print_string(f, "a\"b\\c\n\t\x01z");
	fclose(f);
	ASSERT_STREQ("\"a\\\"b\\\\c\\n\\t\\u0001z\"", text);
	free(text);
}

/* Names are bytes: what is not well-formed UTF-8 becomes U+FFFD. */
TEST(json_utf8)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	/* é, €, U+1F600 kept; a lone continuation byte, 0xff, an overlong
	 * '/', a surrogate, a sequence cut short, above U+10FFFF replaced
	 */
	json_print_string(f, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\x80|\xff|"
			  "\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80");
	fclose(f);
	ASSERT_STREQ("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|\\ufffd|"
		     "\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|"
		     "\\ufffd\\ufffd\\ufffd\\ufffd\"", text);
	free(text);
}

TEST_HARNESS_MAIN
