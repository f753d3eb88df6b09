// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of heyctl's pieces, run on the host under ASan and UBSan:
 * the argument parsers, the cache file lines (good and malformed), the
 * atomic save, the JSON writer, and the text and JSON formatters fed with
 * netlink messages built by hand as the kernel would send them. Every
 * formatter test compares the whole output.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "args.h"
#include "cachefile.h"
#include "heynames.h"
#include "heynl.h"
#include "heynl_cache.h"
#include "heynl_network.h"
#include "heynl_policy.h"
#include "heynl_races.h"
#include "json.h"
#include "nlmsg_build.h"
#include "show.h"

/* A stream whose text the test reads once it is closed. */
struct capture {
	char *text;
	size_t size;
	FILE *f;
};

static FILE *capture_open(struct capture *c)
{
	c->text = NULL;
	c->size = 0;
	c->f = open_memstream(&c->text, &c->size);
	return c->f;
}

static const char *capture_close(struct capture *c)
{
	fclose(c->f);
	return c->text;
}

/* ---- json ------------------------------------------------------------- */

TEST(json_escapes_in_writer)
{
	struct capture c;
	struct json j;

	json_init(&j, capture_open(&c));
	json_object_begin(&j);
	json_kv_string(&j, "a\"", "x\ny");
	json_kv_u64(&j, "n", 18446744073709551615ULL);
	json_kv_s64(&j, "s", -5);
	json_key(&j, "list");
	json_array_begin(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_object_begin(&j);
	json_kv_null(&j, "z");
	json_object_end(&j);
	json_bool(&j, false);
	json_array_end(&j);
	json_kv_bool(&j, "t", true);
	json_object_end(&j);
	ASSERT_STREQ("{\"a\\\"\":\"x\\ny\",\"n\":18446744073709551615,"
		     "\"s\":-5,\"list\":[[],{\"z\":null},false],\"t\":true}",
		     capture_close(&c));
	free(c.text);
}

/* ---- names ------------------------------------------------------------ */

TEST(errno_names_both_ways)
{
	char buf[HEY_NAME_BUF];

	ASSERT_EQ(ECONNREFUSED, hey_errno_parse("ECONNREFUSED"));
	ASSERT_EQ(110, hey_errno_parse("110"));
	ASSERT_EQ(-1, hey_errno_parse("0"));
	ASSERT_EQ(-1, hey_errno_parse("4096"));
	ASSERT_EQ(-1, hey_errno_parse("ENOSUCHTHING"));
	ASSERT_EQ(-1, hey_errno_parse(""));
	ASSERT_EQ(-1, hey_errno_parse("12x"));
	ASSERT_STREQ("ETIMEDOUT", hey_errno_name(ETIMEDOUT, buf, sizeof(buf)));
	ASSERT_STREQ("4000", hey_errno_name(4000, buf, sizeof(buf)));
}

TEST(flag_names)
{
	char buf[64];

	ASSERT_STREQ("syn_data,cookie_req",
		     hey_flags_str(hey_leaf_flag_names,
				   HEY_LEAF_F_SYN_DATA | HEY_LEAF_F_COOKIE_REQ,
				   buf, sizeof(buf)));
	ASSERT_STREQ("tfo_negative,0x40",
		     hey_flags_str(hey_leaf_flag_names,
				   HEY_LEAF_F_TFO_NEGATIVE | 0x40, buf,
				   sizeof(buf)));
	ASSERT_STREQ("", hey_flags_str(hey_leaf_flag_names, 0, buf,
				       sizeof(buf)));
}

/* ---- argument parsers ------------------------------------------------- */

TEST(numbers)
{
	uint64_t v;
	uint32_t u;

	ASSERT_EQ(0, args_u64("42", UINT64_MAX, &v));
	ASSERT_EQ(42, v);
	ASSERT_EQ(0, args_u64("0x8000000000000002", UINT64_MAX, &v));
	ASSERT_EQ(0x8000000000000002ULL, v);
	ASSERT_EQ(0, args_u64("0xfF", UINT64_MAX, &v));
	ASSERT_EQ(255, v);
	ASSERT_EQ(-EINVAL, args_u64("", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("-1", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64(" 1", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("+1", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("0x", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("0x0x1", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("12ms", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("18446744073709551616", UINT64_MAX, &v));
	ASSERT_EQ(-EINVAL, args_u64("65536", 65535, &v));
	ASSERT_EQ(0, args_u32("4294967295", &u));
	ASSERT_EQ(4294967295U, u);
	ASSERT_EQ(-EINVAL, args_u32("4294967296", &u));
}

TEST(network_ids)
{
	char err[ARGS_ERR_LEN];
	uint64_t id;

	ASSERT_EQ(0, args_network_id("0x1234", &id, err));
	ASSERT_EQ(0x1234, id);
	ASSERT_EQ(0, args_network_id("0x8000000000000003", &id, err));
	ASSERT_EQ(-EINVAL, args_network_id("0", &id, err));
	ASSERT_STREQ("network id '0': a number above 0, decimal or 0x hex",
		     err);
	ASSERT_EQ(-EINVAL, args_network_id("home", &id, err));
}

TEST(protocol_lists)
{
	char err[ARGS_ERR_LEN];
	uint8_t order[HEY_MAX_PROTOCOLS];
	unsigned int n;
	uint32_t mask;

	ASSERT_EQ(0, args_protocols("sctp,tcp", order, &n, err));
	ASSERT_EQ(2, n);
	ASSERT_EQ(HEY_PROTO_SCTP, order[0]);
	ASSERT_EQ(HEY_PROTO_TCP, order[1]);
	ASSERT_EQ(-EINVAL, args_protocols("tcp,tcp", order, &n, err));
	ASSERT_STREQ("protocol 'tcp' twice", err);
	ASSERT_EQ(-EINVAL, args_protocols("tcp,udp", order, &n, err));
	ASSERT_STREQ("unknown protocol 'udp' (tcp, tfo, sctp)", err);
	ASSERT_EQ(-EINVAL, args_protocols("tcp,", order, &n, err));
	ASSERT_STREQ("'tcp,': a comma list of tcp, tfo, sctp", err);
	ASSERT_EQ(-EINVAL, args_protocols("", order, &n, err));
	ASSERT_EQ(0, args_protocol_mask("all", &mask, err));
	ASSERT_EQ((1u << 1) | (1u << 2) | (1u << 3), mask);
	ASSERT_EQ(0, args_protocol_mask("tfo", &mask, err));
	ASSERT_EQ(1u << HEY_PROTO_TFO, mask);
	ASSERT_EQ(-EINVAL, args_protocol_mask("none", &mask, err));
}

TEST(interface_lists)
{
	char err[ARGS_ERR_LEN];
	uint32_t ifx[2];
	unsigned int n;

	/* lo is interface 1 in every network namespace */
	ASSERT_EQ(0, args_interfaces("lo", ifx, &n, 2, err));
	ASSERT_EQ(1, n);
	ASSERT_EQ(1, ifx[0]);
	ASSERT_EQ(0, args_interfaces("none", ifx, &n, 2, err));
	ASSERT_EQ(0, n);
	ASSERT_EQ(-ENODEV, args_interfaces("lo,nosuchif0", ifx, &n, 2, err));
	ASSERT_STREQ("no interface 'nosuchif0'", err);
	ASSERT_EQ(-EINVAL, args_interfaces("lo,lo,lo", ifx, &n, 2, err));
	ASSERT_STREQ("more than 2 interfaces", err);
	ASSERT_EQ(-EINVAL, args_interfaces(",lo", ifx, &n, 2, err));
}

/* args_cache_entry on a string of words. */
static int cache_args(const char *line, bool key_only,
		      struct heynl_cache_entry *e, char *err)
{
	char *copy = strdup(line), *words[32];
	int n = args_split(copy, words, 32), ret;

	ret = cacheline_parse(n, words, key_only, e, err);
	free(copy);
	return ret;
}

TEST(cache_entry_args)
{
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN];

	ASSERT_EQ(0, cache_args("network 0x1234 dst 10.9.9.9 port 8080 proto tcp "
				"result failed failures 2 error ECONNREFUSED "
				"age 300", false, &e, err));
	ASSERT_EQ(0x1234, e.network);
	ASSERT_EQ(AF_INET, e.family);
	ASSERT_EQ(0, memcmp(e.addr, "\x0a\x09\x09\x09", 4));
	ASSERT_EQ(8080, e.port);
	ASSERT_EQ(HEY_PROTO_TCP, e.protocol);
	ASSERT_EQ(HEY_CACHE_FAILED, e.result);
	ASSERT_EQ(2, e.failures);
	ASSERT_EQ(ECONNREFUSED, e.error);
	ASSERT_EQ(300, e.age_ms);
	ASSERT_EQ(HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_ADDR) |
		  HEYNL_BIT(HEY_A_CACHE_RESULT) |
		  HEYNL_BIT(HEY_A_CACHE_FAILURES) |
		  HEYNL_BIT(HEY_A_CACHE_ERROR) | HEYNL_BIT(HEY_A_CACHE_AGE_MS),
		  e.present);

	/* the key alone, in any order, with the TFO wildcard */
	ASSERT_EQ(0, cache_args("proto tfo port 443 dst any network 7", true,
				&e, err));
	ASSERT_EQ(AF_UNSPEC, e.family);
	ASSERT_EQ(HEYNL_CACHE_KEY, e.present);
	ASSERT_EQ(0, cache_args("network 7 dst 3fff:9::9 port 1 proto sctp "
				"result outrun error 110", false, &e, err));
	ASSERT_EQ(AF_INET6, e.family);
	ASSERT_EQ(ETIMEDOUT, e.error);
	ASSERT_EQ(0, e.name[0]);
}

/* Name keys: folded as the kernel keys them, escapes, no address. */
TEST(cache_entry_args_name)
{
	static const uint8_t zero[16];
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN];

	ASSERT_EQ(0, cache_args("network 7 name WWW.Example.COM. family inet6 "
				"port 443 proto tcp result outrun", false, &e,
				err)) TH_LOG("%s", err);
	ASSERT_STREQ("www.example.com", e.name);
	ASSERT_EQ(AF_INET6, e.family);
	ASSERT_EQ(0, memcmp(e.addr, zero, 16));
	ASSERT_EQ(HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_NAME) |
		  HEYNL_BIT(HEY_A_CACHE_RESULT), e.present);

	/* the key alone, in any order */
	ASSERT_EQ(0, cache_args("family inet proto sctp name a.b port 1 "
				"network 7", true, &e, err));
	ASSERT_EQ(AF_INET, e.family);
	ASSERT_STREQ("a.b", e.name);
	ASSERT_EQ(HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_NAME), e.present);

	/* a DNS-SD instance: a space, a backslash, UTF-8 left as it is */
	ASSERT_EQ(0, cache_args("network 7 name Living\\032Room\\092x\\y"
				"\xe2\x80\x99s._IPP._tcp.local family inet "
				"port 631 proto tcp", true, &e, err))
		TH_LOG("%s", err);
	ASSERT_STREQ("living room\\xy\xe2\x80\x99s._ipp._tcp.local", e.name);
	/* a whole argument from the shell may hold the space itself */
	{
		char *words[] = { "network", "7", "name", "My Printer.local",
				  "family", "inet", "port", "1", "proto",
				  "tcp" };

		ASSERT_EQ(0, cacheline_parse(10, words, true, &e, err));
		ASSERT_STREQ("my printer.local", e.name);
	}
}

/* What a name key prints is what it takes, escapes and all. */
TEST(cache_entry_name_printed_back)
{
	static const char line[] =
		"network 0x7 name my\\032printer\\092x._ipp._tcp.local "
		"family inet port 631 proto tcp result success successes 2";
	struct heynl_cache_entry e, back;
	char err[ARGS_ERR_LEN], *copy;
	struct capture c;

	copy = strdup(line);
	ASSERT_EQ(1, cachefile_parse_line(copy, &e, err)) TH_LOG("%s", err);
	free(copy);
	ASSERT_STREQ("my printer\\x._ipp._tcp.local", e.name);
	cacheline_print(capture_open(&c), &e);
	ASSERT_STREQ(line, capture_close(&c));
	copy = strdup(c.text);
	free(c.text);
	ASSERT_EQ(1, cachefile_parse_line(copy, &back, err));
	free(copy);
	ASSERT_EQ(0, memcmp(&e, &back, sizeof(e)));
}

/* Malformed "cache add" and "cache del" arguments, and what is said. */
TEST(cache_entry_args_refused)
{
	static const struct {
		const char *args;
		bool key_only;
		const char *err;
	} bad[] = {
		{ "network 7 dst any port 443 proto tcp", true,
		  "dst any is the TFO entry of a network and port: proto tfo" },
		{ "network 7 dst 1.2.3.4 port 1 proto tcp result success", true,
		  "unknown keyword 'result'" },
		{ "network 7 dst 1.2.3.4 port 1 proto tcp age 5", true,
		  "unknown keyword 'age'" },
		{ "network 7 dst 1.2.3.4 port 1 proto tcp", false,
		  "'result' missing" },
		{ "network 7 dst 1.2.3.4 port 1", true, "'proto' missing" },
		{ "dst 1.2.3.4 port 1 proto tcp", true, "'network' missing" },
		{ "network 7 network 8", true, "'network' twice" },
		{ "network 7 dst 1.2.3.4 port 1 proto tcp result failed age 1 age 2",
		  false, "'age' twice" },
		{ "network 7 dst", true, "'dst' needs a value" },
		{ "network 0 dst ::1 port 1 proto tcp", true,
		  "network id '0': a number above 0, decimal or 0x hex" },
		{ "network 7 dst 1.2.3 port 1 proto tcp", true,
		  "dst '1.2.3': an IPv4 or IPv6 address, or any" },
		{ "network 7 dst ::1 port 65536 proto tcp", true,
		  "port '65536': 1 to 65535" },
		{ "network 7 dst ::1 port 0 proto tcp", true,
		  "port '0': 1 to 65535" },
		{ "network 7 dst ::1 port 1 proto udp", true,
		  "proto 'udp': tcp, tfo or sctp" },
		{ "network 7 dst ::1 port 1 proto tcp result maybe", false,
		  "result 'maybe': success, failed or outrun" },
		{ "network 7 dst ::1 port 1 proto tcp result failed error EWHAT",
		  false, "error 'EWHAT': an errno name (ECONNREFUSED) or number" },
		{ "network 7 dst ::1 port 1 proto tcp result failed srtt -3",
		  false, "srtt '-3': a number up to 4294967295" },
		{ "network 7 port 1 proto tcp", true,
		  "'dst' or 'name' missing" },
		{ "network 7 dst ::1 name a.b family inet6 port 1 proto tcp",
		  true, "'dst' or 'name', not both" },
		{ "network 7 name a.b port 1 proto tcp", true,
		  "'name' needs 'family inet' or 'family inet6'" },
		{ "network 7 dst ::1 family inet6 port 1 proto tcp", true,
		  "'family' goes with 'name': dst has its own" },
		{ "network 7 name a.b family any port 1 proto tfo", true,
		  "family 'any': inet or inet6" },
		{ "network 7 name a.b family inet port 1", true,
		  "'proto' missing" },
		{ "network 7 name a..b family inet port 1 proto tcp", true,
		  "name 'a..b': an empty label" },
		{ "network 7 name .a family inet port 1 proto tcp", true,
		  "name '.a': an empty label" },
		{ "network 7 name . family inet port 1 proto tcp", true,
		  "name '.': an empty label" },
		{ "network 7 name a\\009b family inet port 1 proto tcp", true,
		  "name 'a\\009b': a NUL or control character" },
		{ "network 7 name a\\000 family inet port 1 proto tcp", true,
		  "name 'a\\000': a NUL or control character" },
		{ "network 7 name a\\127 family inet port 1 proto tcp", true,
		  "name 'a\\127': a NUL or control character" },
		{ "network 7 name a\\256 family inet port 1 proto tcp", true,
		  "name 'a\\256': \\256 is no byte" },
		{ "network 7 name a\\ family inet port 1 proto tcp", true,
		  "name 'a\\': a '\\' at its end" },
		{ "network 7 name "
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  " family inet port 1 proto tcp", true,
		  "name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': a label above 63 bytes" },
	};
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, cache_args(bad[i].args, bad[i].key_only, &e,
					      err)) {
			TH_LOG("accepted: %s", bad[i].args);
		}
		EXPECT_STREQ(bad[i].err, err);
	}
}

TEST(cache_network_args)
{
	char *one[] = { "network", "0x10" }, *bad[] = { "net", "1" };
	char err[ARGS_ERR_LEN];
	uint64_t network;
	bool is_one;

	ASSERT_EQ(0, args_cache_network(0, NULL, &is_one, &network, err));
	ASSERT_FALSE(is_one);
	ASSERT_EQ(0, args_cache_network(2, one, &is_one, &network, err));
	ASSERT_TRUE(is_one);
	ASSERT_EQ(16, network);
	ASSERT_EQ(-EINVAL, args_cache_network(2, bad, &is_one, &network, err));
	ASSERT_STREQ("expected nothing or 'network ID'", err);
	ASSERT_EQ(-EINVAL, args_cache_network(1, one, &is_one, &network, err));
}

static int parse_policy(const char *line, struct heynl_policy *p, char *err)
{
	char *copy = strdup(line), *words[32];
	int n = args_split(copy, words, 32), ret;

	ret = args_policy(n, words, p, err);
	free(copy);
	return ret;
}

TEST(policy_keywords)
{
	char err[ARGS_ERR_LEN];
	struct heynl_policy p;

	ASSERT_EQ(0, parse_policy("mode failover min-delay 50 max-delay 900 "
				 "default-delay 120 protocols tfo,tcp "
				 "allowed all prefer lo exclude none "
				 "max-leaves 8 max-races 100", &p, err));
	ASSERT_EQ(HEY_RACE_FAILOVER, p.mode);
	ASSERT_EQ(50, p.min_delay_ms);
	ASSERT_EQ(900, p.max_delay_ms);
	ASSERT_EQ(120, p.default_delay_ms);
	ASSERT_EQ(2, p.n_protocols);
	ASSERT_EQ(HEY_PROTO_TFO, p.protocols[0]);
	ASSERT_EQ(0xe, p.allowed);
	ASSERT_EQ(1, p.n_prefer);
	ASSERT_EQ(1, p.prefer[0]);
	ASSERT_EQ(0, p.n_exclude);
	ASSERT_EQ(8, p.max_leaves);
	ASSERT_EQ(100, p.max_races);
	ASSERT_EQ(0x7fe, p.present);

	ASSERT_EQ(0, parse_policy("max-races 5", &p, err));
	ASSERT_EQ(HEYNL_BIT(HEY_A_POLICY_MAX_RACES), p.present);
}

TEST(policy_keywords_refused)
{
	static const struct {
		const char *args;
		int ret;
		const char *err;
	} bad[] = {
		{ "", -EINVAL, "nothing to set" },
		{ "mode fast", -EINVAL,
		  "mode 'fast': delayed, failover or immediate" },
		{ "mode delayed mode delayed", -EINVAL, "'mode' twice" },
		{ "max-races 1 max-races 1", -EINVAL, "'max-races' twice" },
		{ "min-delay", -EINVAL, "'min-delay' needs a value" },
		{ "delay 5", -EINVAL, "unknown keyword 'delay'" },
		{ "max-leaves many", -EINVAL,
		  "max-leaves 'many': a number up to 4294967295" },
		{ "protocols tcp,tcp", -EINVAL, "protocol 'tcp' twice" },
		{ "allowed none", -EINVAL,
		  "unknown protocol 'none' (tcp, tfo, sctp)" },
		{ "exclude nosuchif0", -ENODEV, "no interface 'nosuchif0'" },
	};
	char err[ARGS_ERR_LEN];
	struct heynl_policy p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(bad[i].ret, parse_policy(bad[i].args, &p, err)) {
			TH_LOG("%s", bad[i].args);
		}
		EXPECT_STREQ(bad[i].err, err);
	}
}

/* ---- cache files ------------------------------------------------------ */

TEST(cache_file_lines)
{
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN];
	char good[] = "network 0x2 dst 10.0.0.1 port 80 proto tcp result success\n";
	char blank[] = "   \t\n", comment[] = "  # saved\n";
	char bad[] = "network 0x2 dst 10.0.0.1 port 80 proto tcp result\n";
	char many[300];

	ASSERT_EQ(1, cachefile_parse_line(good, &e, err));
	ASSERT_EQ(80, e.port);
	ASSERT_EQ(0, cachefile_parse_line(blank, &e, err));
	ASSERT_EQ(0, cachefile_parse_line(comment, &e, err));
	ASSERT_EQ(-EINVAL, cachefile_parse_line(bad, &e, err));
	ASSERT_STREQ("'result' needs a value", err);
	strcpy(many, "network 1");
	while (strlen(many) < 250)
		strcat(many, " age 1");
	ASSERT_EQ(-EINVAL, cachefile_parse_line(many, &e, err));
	ASSERT_STREQ("more than 24 words", err);
}

/* HEY_MAX_HOST bytes of name and not one more, escapes counting one. */
TEST(cache_file_name_lengths)
{
	struct heynl_cache_entry e;
	char err[ARGS_ERR_LEN], line[2048], name[1024];
	size_t i;

	/* labels of 49 and dots: 255 bytes, the last an escaped 'a' */
	for (i = 0; i < HEY_MAX_HOST - 1; i++)
		name[i] = i % 50 == 49 ? '.' : 'a';
	strcpy(name + i, "\\097");
	snprintf(line, sizeof(line), "network 1 name %s family inet port 1 "
		 "proto tcp result success", name);
	ASSERT_EQ(1, cachefile_parse_line(line, &e, err)) TH_LOG("%s", err);
	ASSERT_EQ(HEY_MAX_HOST, strlen(e.name));
	strcpy(name + i, "aa");
	snprintf(line, sizeof(line), "network 1 name %s family inet port 1 "
		 "proto tcp result success", name);
	ASSERT_EQ(-EINVAL, cachefile_parse_line(line, &e, err));
	ASSERT_STREQ("a name above 255 bytes", err);
}

TEST(cache_file_read_reports_every_bad_line)
{
	static const char text[] =
		"# saved by hand\n"
		"network 0x8000000000000002 dst 10.9.9.9 port 8080 proto tcp result success successes 3\n"
		"network 0x8000000000000002 dst 10.9.9.9 port 8080 proto tcp\n"
		"\n"
		"network 0x2 dst any port 443 proto tfo result failed error ETIMEDOUT\n"
		"network 0x2 dst 3fff::1 port 443 proto tcp result success bogus 1\n";
	struct heynl_vec lines = { .size = sizeof(struct cache_line) };
	struct capture errs;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ASSERT_EQ(-EINVAL, cachefile_read(f, "saved", false, &lines, NULL,
					  capture_open(&errs)));
	fclose(f);
	ASSERT_STREQ("saved:3: 'result' missing\n"
		     "saved:6: unknown keyword 'bogus'\n", capture_close(&errs));
	free(errs.text);
	/* nothing of a bad file is kept, so that nothing of it is loaded */
	ASSERT_EQ(0, lines.n);
	heynl_vec_free(&lines);
}

/* A file written by hand: no header, no end line, taken line by line. */
TEST(cache_file_read_by_hand)
{
	static const char text[] =
		"# saved by hand\n"
		"network 0x8000000000000002 dst 10.9.9.9 port 8080 proto tcp result success successes 3\n"
		"\n"
		"network 0x2 dst any port 443 proto tfo result failed error ETIMEDOUT\n";
	struct heynl_vec lines = { .size = sizeof(struct cache_line) };
	struct capture errs;
	struct cache_line *l;
	time_t when = 1;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ASSERT_EQ(0, cachefile_read(f, "hand", false, &lines, &when, stderr));
	ASSERT_EQ(0, when);
	ASSERT_EQ(2, lines.n);
	l = heynl_vec_at(&lines, 0);
	ASSERT_EQ(2, l->lineno);
	ASSERT_EQ(3, l->e.successes);
	l = heynl_vec_at(&lines, 1);
	ASSERT_EQ(4, l->lineno);
	ASSERT_EQ(AF_UNSPEC, l->e.family);
	ASSERT_EQ(ETIMEDOUT, l->e.error);
	heynl_vec_free(&lines);

	/* heyd's strict reading takes saved files only */
	rewind(f);
	ASSERT_EQ(-EINVAL, cachefile_read(f, "hand", true, &lines, NULL,
					  capture_open(&errs)));
	fclose(f);
	ASSERT_STREQ("hand: corrupt: no header line, not a saved hey cache\n",
		     capture_close(&errs));
	free(errs.text);
	ASSERT_EQ(0, lines.n);
}

TEST(cache_file_crc32)
{
	/* the check value of CRC-32/ISO-HDLC, zlib's crc32 */
	ASSERT_EQ(0xcbf43926u, cachefile_crc32(0, "123456789", 9));
	ASSERT_EQ(0xcbf43926u,
		  cachefile_crc32(cachefile_crc32(0, "1234", 4), "56789", 5));
}

/* Parses each line of text into a vec of struct heynl_cache_entry. */
static void entries_of(const char *text, struct heynl_vec *entries)
{
	char *copy = strdup(text), *line, *save = NULL;
	char err[ARGS_ERR_LEN];

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		cachefile_parse_line(line, heynl_vec_add(entries), err);
	free(copy);
}

static const char saved_lines[] =
	"network 0x8000000000000002 dst 10.9.9.9 port 8080 proto tcp result success successes 3 failures 0 handshake 1203 srtt 1100 age 5400\n"
	"network 0x1234 dst 3fff:9::9 port 8080 proto tcp result failed failures 1 error ECONNREFUSED age 20\n"
	"network 0x1234 dst any port 443 proto tfo result failed error ETIMEDOUT\n"
	"network 0x1234 name my\\032printer._ipp._tcp.local family inet6 port 631 proto tcp result outrun failures 0 age 7\n";

/* saved_lines saved into a new directory: its path in path (64 bytes). */
static void save_lines(struct __test_metadata *_metadata, char *dir,
		       char *path, struct heynl_vec *entries)
{
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, 64, "%s/cache", dir);
	entries_of(saved_lines, entries);
	ASSERT_EQ(4, entries->n);
	ASSERT_EQ(0, cachefile_write(path, entries));
}

/* The whole file: *text, its length returned. */
static size_t slurp(const char *path, char **text)
{
	size_t size = 0;
	ssize_t len;
	FILE *f = fopen(path, "r");

	*text = NULL;
	if (!f)
		return 0;
	len = getdelim(text, &size, '\0', f);
	fclose(f);
	return len < 0 ? 0 : len;
}

TEST(cache_file_write_then_read)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl_vec back = { .size = sizeof(struct cache_line) };
	static const char comment[] =
		"# each line: the arguments of heyctl cache add; the end line counts them\n";
	char dir[] = "/tmp/heyctl-test-XXXXXX", path[64], *text, *p;
	time_t before = time(NULL), when = 0;
	char end[64];
	struct dirent *de;
	size_t i, len;
	int files = 0;
	DIR *d;
	FILE *f;

	save_lines(_metadata, dir, path, &entries);
	/* written again over itself: still one file, the temporary gone */
	ASSERT_EQ(0, cachefile_write(path, &entries));
	d = opendir(dir);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	ASSERT_EQ(1, files);

	/* the header, exactly what cache show prints, the end line */
	len = slurp(path, &text);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, strncmp(text, "# hey history cache, version 2, saved ",
			     38));
	p = strchr(text, '\n') + 1;
	ASSERT_EQ(0, strncmp(p, comment, strlen(comment)));
	p += strlen(comment);
	ASSERT_EQ(0, strncmp(p, saved_lines, strlen(saved_lines)));
	p += strlen(saved_lines);
	snprintf(end, sizeof(end), "# end: 4 entries, crc32 0x%08x\n",
		 cachefile_crc32(0, text, p - text));
	ASSERT_STREQ(end, p);
	free(text);

	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, cachefile_read(f, path, true, &back, &when, stderr));
	fclose(f);
	ASSERT_LE(before, when);
	ASSERT_GE(time(NULL), when);
	ASSERT_EQ(4, back.n);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, memcmp(&((struct cache_line *)heynl_vec_at(&back, i))->e,
				    heynl_vec_at(&entries, i),
				    sizeof(struct heynl_cache_entry)));
	unlink(path);
	rmdir(dir);
	heynl_vec_free(&entries);
	heynl_vec_free(&back);
}

TEST(cache_file_empty_cache)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl_vec back = { .size = sizeof(struct cache_line) };
	char dir[] = "/tmp/heyctl-test-XXXXXX", path[64];
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cache", dir);
	ASSERT_EQ(0, cachefile_write(path, &entries));
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, cachefile_read(f, path, true, &back, NULL, stderr));
	fclose(f);
	ASSERT_EQ(0, back.n);
	unlink(path);
	rmdir(dir);
}

/*
 * Reads len bytes of text: the result, lines left empty on failure, and
 * the messages in *errs (to be freed).
 */
static int read_text(const char *text, size_t len, bool strict,
		     struct heynl_vec *lines, char **errs)
{
	struct capture c;
	FILE *f = len ? fmemopen((void *)text, len, "r") :
			fopen("/dev/null", "r");
	int ret;

	ret = cachefile_read(f, "cache", strict, lines, NULL,
			     capture_open(&c));
	fclose(f);
	*errs = (char *)capture_close(&c);
	return ret;
}

/* A saved file of version (header, lines, a good end line) in *text. */
static size_t saved_text(unsigned int version, const char *lines,
			 char **text)
{
	char *body = NULL;
	size_t len;

	if (asprintf(&body, "# hey history cache, version %u, saved 1764150000\n"
		     "%s", version, lines) < 0)
		return 0;
	len = strlen(body);
	if (asprintf(text, "%s# end: 1 entries, crc32 0x%08x\n", body,
		     cachefile_crc32(0, body, len)) < 0)
		*text = NULL;
	free(body);
	return *text ? strlen(*text) : 0;
}

/* Version 1 files (before name keys) load as they did; 3 does not. */
TEST(cache_file_versions)
{
	struct heynl_vec back = { .size = sizeof(struct cache_line) };
	char *text, *errs;
	size_t len;

	len = saved_text(1, "network 0x2 dst 10.0.0.1 port 80 proto tcp result success\n",
			 &text);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, read_text(text, len, true, &back, &errs));
	ASSERT_STREQ("", errs);
	ASSERT_EQ(1, back.n);
	ASSERT_EQ(AF_INET, ((struct cache_line *)heynl_vec_at(&back, 0))->e.family);
	free(errs);
	free(text);
	heynl_vec_free(&back);

	len = saved_text(2, "network 0x2 name a.b family inet port 80 proto tcp result success\n",
			 &text);
	ASSERT_EQ(0, read_text(text, len, true, &back, &errs));
	ASSERT_EQ(1, back.n);
	ASSERT_STREQ("a.b", ((struct cache_line *)heynl_vec_at(&back, 0))->e.name);
	free(errs);
	free(text);
	heynl_vec_free(&back);

	len = saved_text(3, "network 0x2 dst 10.0.0.1 port 80 proto tcp result success\n",
			 &text);
	ASSERT_EQ(-EINVAL, read_text(text, len, true, &back, &errs));
	ASSERT_STREQ("cache:1: corrupt or unknown header (version 1 to 2 expected)\n",
		     errs);
	ASSERT_EQ(0, back.n);
	free(errs);
	free(text);
}

/* Every truncation of a saved file is refused, with nothing kept. */
TEST(cache_file_truncated)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl_vec back = { .size = sizeof(struct cache_line) };
	char dir[] = "/tmp/heyctl-test-XXXXXX", path[64], *text, *errs;
	size_t cut, len;
	int ret;

	save_lines(_metadata, dir, path, &entries);
	len = slurp(path, &text);
	ASSERT_LT(100, len);
	for (cut = 0; cut < len; cut++) {
		ret = read_text(text, cut, true, &back, &errs);
		ASSERT_EQ(-EINVAL, ret) TH_LOG("cut at %zu", cut);
		ASSERT_EQ(0, back.n);
		ASSERT_NE(0, strlen(errs));
		/* a cut before the end line says so */
		if (cut > 38 && cut <= len - 38)
			ASSERT_NE(NULL, strstr(errs, "truncated: no end line"))
				TH_LOG("cut at %zu: %s", cut, errs);
		free(errs);
		/* heyctl's reading: what looks saved must be whole too */
		ret = read_text(text, cut, false, &back, &errs);
		free(errs);
		ASSERT_EQ(0, back.n) TH_LOG("cut at %zu", cut);
		if (cut >= 19)
			ASSERT_EQ(-EINVAL, ret) TH_LOG("cut at %zu", cut);
	}
	ASSERT_EQ(0, read_text(text, len, true, &back, &errs));
	ASSERT_STREQ("", errs);
	ASSERT_EQ(4, back.n);
	free(errs);
	heynl_vec_free(&back);
	free(text);
	unlink(path);
	rmdir(dir);
	heynl_vec_free(&entries);
}

/* Any byte of a saved file changed: refused, nothing kept. */
TEST(cache_file_corrupt)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct heynl_vec back = { .size = sizeof(struct cache_line) };
	char dir[] = "/tmp/heyctl-test-XXXXXX", path[64], *text, *errs;
	static const unsigned char flips[] = { 0x01, 0x10, 0x80, 0x0b };
	size_t i, len;
	unsigned int k;

	save_lines(_metadata, dir, path, &entries);
	len = slurp(path, &text);
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(flips); k++) {
			text[i] ^= flips[k];
			ASSERT_EQ(-EINVAL, read_text(text, len, true, &back,
						     &errs))
				TH_LOG("byte %zu ^ 0x%02x", i, flips[k]);
			ASSERT_EQ(0, back.n);
			ASSERT_NE(0, strlen(errs));
			free(errs);
			text[i] ^= flips[k];
		}
	}
	/* a valid line swapped for another valid one: the checksum tells */
	memcpy(strstr(text, "port 8080"), "port 8081", 9);
	ASSERT_EQ(-EINVAL, read_text(text, len, true, &back, &errs));
	ASSERT_NE(NULL, strstr(errs, "cache:7: corrupt: the end line does not match the 4 entries before it"));
	free(errs);
	/* anything after the end line */
	memcpy(strstr(text, "port 8081"), "port 8080", 9);
	text = realloc(text, len + 2);
	memcpy(text + len, "\n", 2);
	ASSERT_EQ(-EINVAL, read_text(text, len + 1, true, &back, &errs));
	ASSERT_STREQ("cache:8: corrupt: more after the end line\n", errs);
	free(errs);
	ASSERT_EQ(0, back.n);
	free(text);
	unlink(path);
	rmdir(dir);
	heynl_vec_free(&entries);
}

TEST(cache_file_write_fails_cleanly)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};

	ASSERT_EQ(-ENOENT, cachefile_write("/nonexistent-dir/cache", &entries));
}

/* ---- races ------------------------------------------------------------ */

struct leaf_spec {
	uint32_t ifindex;
	uint8_t protocol;
	int family;
	const char *addr;
	uint8_t outcome;
	uint32_t error;
	uint16_t flags;
	int64_t start_us, end_us;	/* -1: absent */
	int cache;			/* -1: absent */
};

static int put_leaf(struct nl_msg *msg, const struct leaf_spec *l)
{
	struct nlattr *nest = nla_nest_start(msg, HEY_A_LEAF);

	if (!nest ||
	    nla_put_u32(msg, HEY_A_LEAF_IFINDEX, l->ifindex) ||
	    nla_put_u64(msg, HEY_A_LEAF_NETWORK,
			HEY_NETWORK_DEFAULT | l->ifindex) ||
	    nla_put_u8(msg, HEY_A_LEAF_PROTOCOL, l->protocol) ||
	    nla_put_u16(msg, HEY_A_LEAF_FAMILY, l->family) ||
	    build_addr(msg, HEY_A_LEAF_ADDR, l->family, l->addr) ||
	    nla_put_u16(msg, HEY_A_LEAF_PORT, htons(8080)) ||
	    nla_put_u8(msg, HEY_A_LEAF_OUTCOME, l->outcome) ||
	    nla_put_u32(msg, HEY_A_LEAF_ERROR, l->error) ||
	    nla_put_u16(msg, HEY_A_LEAF_FLAGS, l->flags) ||
	    (l->start_us >= 0 &&
	     nla_put_u32(msg, HEY_A_LEAF_START_US, l->start_us)) ||
	    (l->end_us >= 0 && nla_put_u32(msg, HEY_A_LEAF_END_US, l->end_us)) ||
	    (l->cache >= 0 && nla_put_u8(msg, HEY_A_LEAF_CACHE, l->cache)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * As the kernel sends them (kmod/netlink.c race_fill), with every
 * attribute it always puts, zeros included.
 * Race 42: IPv6 refused, then TFO over IPv4 won with its SYN data acked.
 * Race 43: failed with ETIMEDOUT, its one SCTP leaf never started, on an
 * interface that is gone.
 */
static struct nl_msg *race_msg(int which)
{
	static const struct leaf_spec won[] = {
		{ 1, HEY_PROTO_TCP, AF_INET6, "3fff:9::9", HEY_LEAF_FAILED,
		  ECONNREFUSED, 0, 0, 1100, HEY_LEAF_CACHE_NONE },
		{ 1, HEY_PROTO_TFO, AF_INET, "10.9.9.9", HEY_LEAF_WON, 0,
		  HEY_LEAF_F_SYN_DATA | HEY_LEAF_F_SYN_DATA_ACKED, 12, 1203,
		  HEY_LEAF_CACHE_GOOD },
	};
	static const struct leaf_spec lost = {
		999999, HEY_PROTO_SCTP, AF_INET, "192.0.2.1", HEY_LEAF_PENDING,
		0, 0, -1, -1, -1
	};
	struct nl_msg *msg = build_msg(HEY_CMD_GET_RACES);
	struct nlattr *leaves;

	if (which == 42) {
		if (nla_put_u64(msg, HEY_A_RACE_ID, 42) ||
		    nla_put_u64(msg, HEY_A_RACE_AGE_MS, 3204) ||
		    nla_put_u8(msg, HEY_A_RACE_STATE, HEY_STATE_CONNECTED) ||
		    nla_put_u32(msg, HEY_A_RACE_WINNER, 1) ||
		    nla_put_u32(msg, HEY_A_RACE_ERROR, 0) ||
		    nla_put_u32(msg, HEY_A_RACE_CONNECT_US, 1203) ||
		    nla_put_u32(msg, HEY_A_RACE_EARLY_DATA, 100))
			return NULL;
		leaves = nla_nest_start(msg, HEY_A_RACE_LEAVES);
		if (put_leaf(msg, &won[0]) || put_leaf(msg, &won[1]))
			return NULL;
	} else {
		if (nla_put_u64(msg, HEY_A_RACE_ID, 43) ||
		    nla_put_u64(msg, HEY_A_RACE_AGE_MS, 12) ||
		    nla_put_u8(msg, HEY_A_RACE_STATE, HEY_STATE_FAILED) ||
		    nla_put_u32(msg, HEY_A_RACE_ERROR, ETIMEDOUT) ||
		    nla_put_u32(msg, HEY_A_RACE_CONNECT_US, 0) ||
		    nla_put_u32(msg, HEY_A_RACE_PRUNED, 2))
			return NULL;
		leaves = nla_nest_start(msg, HEY_A_RACE_LEAVES);
		if (put_leaf(msg, &lost))
			return NULL;
	}
	nla_nest_end(msg, leaves);
	return msg;
}

/* Both races, parsed as a dump would collect them. */
static void two_races(struct __test_metadata *_metadata,
		      struct heynl_vec *races)
{
	struct nl_msg *msg;
	int id;

	for (id = 42; id <= 43; id++) {
		msg = race_msg(id);
		ASSERT_NE(NULL, msg);
		ASSERT_EQ(0, heynl_race_parse(msg, heynl_vec_add(races)));
		nlmsg_free(msg);
	}
}

static const char race42_text[] =
	"race 42 age 3.204s state connected winner 1 connect 1.203ms early-data 100 leaves 2\n"
	"  leaf dev      network            proto endpoint                  start_ms    end_ms outcome  error         flags  cache\n"
	"  0    lo       0x8000000000000001 tcp   [3fff:9::9]:8080             0.000     1.100 failed   ECONNREFUSED  -      none\n"
	"  1    lo       0x8000000000000001 tfo   10.9.9.9:8080                0.012     1.203 won      -             syn_data,syn_data_acked good\n";

static const char race43_text[] =
	"race 43 age 0.012s state failed error ETIMEDOUT pruned 2 leaves 1\n"
	"  leaf dev      network            proto endpoint                  start_ms    end_ms outcome  error         flags  cache\n"
	"  0    if999999 0x80000000000f423f sctp  192.0.2.1:8080                   -         - pending  -             -      -\n";

TEST(races_text)
{
	struct heynl_vec races = { .size = sizeof(struct heynl_race) };
	struct capture c;
	char *both;

	two_races(_metadata, &races);
	show_races(capture_open(&c), &races, 0, false);
	ASSERT_EQ(0, asprintf(&both, "%s%s", race42_text, race43_text) < 0);
	ASSERT_STREQ(both, capture_close(&c));
	free(c.text);
	free(both);

	/* -n 1: the last one only */
	show_races(capture_open(&c), &races, 1, false);
	ASSERT_STREQ(race43_text, capture_close(&c));
	free(c.text);
	heynl_vec_free(&races);
}

TEST(races_json)
{
	struct heynl_vec races = { .size = sizeof(struct heynl_race) };
	struct capture c;

	two_races(_metadata, &races);
	show_races(capture_open(&c), &races, 5, true);
	ASSERT_STREQ("[{\"id\":42,\"age_ms\":3204,\"state\":\"connected\","
		     "\"winner\":1,\"connect_us\":1203,\"error\":null,"
		     "\"early_data\":100,\"pruned\":0,\"leaves\":["
		     "{\"index\":0,\"ifindex\":1,\"dev\":\"lo\","
		     "\"network\":9223372036854775809,\"protocol\":\"tcp\","
		     "\"family\":\"inet6\",\"addr\":\"3fff:9::9\",\"port\":8080,"
		     "\"start_us\":0,\"end_us\":1100,\"outcome\":\"failed\","
		     "\"error\":\"ECONNREFUSED\",\"flags\":[],\"cache\":\"none\"},"
		     "{\"index\":1,\"ifindex\":1,\"dev\":\"lo\","
		     "\"network\":9223372036854775809,\"protocol\":\"tfo\","
		     "\"family\":\"inet\",\"addr\":\"10.9.9.9\",\"port\":8080,"
		     "\"start_us\":12,\"end_us\":1203,\"outcome\":\"won\","
		     "\"error\":null,\"flags\":[\"syn_data\",\"syn_data_acked\"],"
		     "\"cache\":\"good\"}]},"
		     "{\"id\":43,\"age_ms\":12,\"state\":\"failed\","
		     "\"winner\":null,\"connect_us\":null,\"error\":\"ETIMEDOUT\","
		     "\"early_data\":0,\"pruned\":2,\"leaves\":["
		     "{\"index\":0,\"ifindex\":999999,\"dev\":\"if999999\","
		     "\"network\":9223372036855775807,\"protocol\":\"sctp\","
		     "\"family\":\"inet\",\"addr\":\"192.0.2.1\",\"port\":8080,"
		     "\"start_us\":null,\"end_us\":null,\"outcome\":\"pending\","
		     "\"error\":null,\"flags\":[],\"cache\":null}]}]\n",
		     capture_close(&c));
	free(c.text);

	/* no race at all: an empty array */
	races.n = 0;
	show_races(capture_open(&c), &races, 0, true);
	ASSERT_STREQ("[]\n", capture_close(&c));
	free(c.text);
	heynl_vec_free(&races);
}

TEST(race_from_hey_info)
{
	struct hey_info info = {
		.state = HEY_STATE_CONNECTED, .n_leaves = 2, .winner = 1,
		.connect_us = 250000,
	};
	struct heynl_race race;
	struct capture c;

	info.leaves[0] = (struct hey_leaf_info){
		.endpoint = { .family = AF_INET6, .port = htons(80) },
		.ifindex = 1, .protocol = HEY_PROTO_TCP,
		.outcome = HEY_LEAF_ABORTED, .start_us = 0, .end_us = 250100,
	};
	inet_pton(AF_INET6, "::ffff:10.1.2.3", info.leaves[0].endpoint.addr);
	info.leaves[1] = (struct hey_leaf_info){
		.endpoint = { .family = AF_INET, .port = htons(80) },
		.ifindex = 1, .protocol = HEY_PROTO_TCP,
		.outcome = HEY_LEAF_WON, .start_us = 250000, .end_us = 250000,
		.flags = HEY_LEAF_F_TFO_NEGATIVE,
	};
	inet_pton(AF_INET, "10.1.2.4", info.leaves[1].endpoint.addr);
	heynl_race_from_info(&info, &race);
	show_race_text(capture_open(&c), &race);
	ASSERT_STREQ("race state connected winner 1 connect 250.000ms leaves 2\n"
		     "  leaf dev      network            proto endpoint                  start_ms    end_ms outcome  error         flags  cache\n"
		     "  0    lo       -                  tcp   [::ffff:10.1.2.3]:80         0.000   250.100 aborted  -             -      -\n"
		     "  1    lo       -                  tcp   10.1.2.4:80                250.000   250.000 won      -             tfo_negative -\n",
		     capture_close(&c));
	free(c.text);
}

/* A failed race of id 1 without leaves, for more attributes. */
static struct nl_msg *failed_race(void)
{
	struct nl_msg *msg = build_msg(HEY_CMD_RACE_DONE);

	if (nla_put_u64(msg, HEY_A_RACE_ID, 1) ||
	    nla_put_u8(msg, HEY_A_RACE_STATE, HEY_STATE_FAILED))
		return NULL;
	return msg;
}

TEST(race_parse_rejects_malformed)
{
	static const struct leaf_spec leaf = {
		1, HEY_PROTO_TCP, AF_INET, "10.0.0.1", HEY_LEAF_FAILED, 0, 0,
		0, 1, 0
	};
	struct heynl_race race;
	struct nlattr *nest;
	struct nl_msg *msg;
	int i;

	/* a u32 where the race id is a u64 */
	msg = build_msg(HEY_CMD_RACE_DONE);
	nla_put_u32(msg, HEY_A_RACE_ID, 1);
	nla_put_u8(msg, HEY_A_RACE_STATE, HEY_STATE_FAILED);
	ASSERT_EQ(-EPROTO, heynl_race_parse(msg, &race));
	nlmsg_free(msg);

	/* no state */
	msg = build_msg(HEY_CMD_RACE_DONE);
	nla_put_u64(msg, HEY_A_RACE_ID, 1);
	ASSERT_EQ(-EPROTO, heynl_race_parse(msg, &race));
	nlmsg_free(msg);

	/* a good leaf, then an IPv6 one with four address bytes */
	msg = failed_race();
	nest = nla_nest_start(msg, HEY_A_RACE_LEAVES);
	put_leaf(msg, &leaf);
	nla_nest_end(msg, nest);
	ASSERT_EQ(0, heynl_race_parse(msg, &race));
	ASSERT_EQ(1, race.n_leaves);
	nlmsg_free(msg);
	msg = failed_race();
	nest = nla_nest_start(msg, HEY_A_RACE_LEAVES);
	{
		struct nlattr *l = nla_nest_start(msg, HEY_A_LEAF);

		nla_put_u16(msg, HEY_A_LEAF_FAMILY, AF_INET6);
		build_addr(msg, HEY_A_LEAF_ADDR, AF_INET, "10.0.0.1");
		nla_put_u16(msg, HEY_A_LEAF_PORT, htons(1));
		nla_put_u8(msg, HEY_A_LEAF_PROTOCOL, HEY_PROTO_TCP);
		nla_put_u8(msg, HEY_A_LEAF_OUTCOME, HEY_LEAF_FAILED);
		nla_nest_end(msg, l);
	}
	nla_nest_end(msg, nest);
	ASSERT_EQ(-EPROTO, heynl_race_parse(msg, &race));
	nlmsg_free(msg);

	/* more leaves than HEY_MAX_LEAVES */
	msg = failed_race();
	nest = nla_nest_start(msg, HEY_A_RACE_LEAVES);
	for (i = 0; i <= HEY_MAX_LEAVES; i++)
		put_leaf(msg, &leaf);
	nla_nest_end(msg, nest);
	ASSERT_EQ(-EPROTO, heynl_race_parse(msg, &race));
	nlmsg_free(msg);
}

/* ---- cache ------------------------------------------------------------ */

/* A GET_CACHE reply or a CACHE_CHANGED event (change > 0). */
static struct nl_msg *cache_msg(uint8_t cmd, int change, int family,
				const char *addr, bool counters)
{
	struct nl_msg *msg = build_msg(cmd);

	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, 0x8000000000000002ULL) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, family) ||
	    (addr && build_addr(msg, HEY_A_CACHE_ADDR, family, addr)) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(8080)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL,
		       addr ? HEY_PROTO_TCP : HEY_PROTO_TFO) ||
	    nla_put_u8(msg, HEY_A_CACHE_RESULT,
		       counters ? HEY_CACHE_SUCCESS : HEY_CACHE_FAILED) ||
	    (change && nla_put_u8(msg, HEY_A_CACHE_CHANGE, change)))
		return NULL;
	if (counters &&
	    (nla_put_u32(msg, HEY_A_CACHE_SUCCESSES, 3) ||
	     nla_put_u32(msg, HEY_A_CACHE_FAILURES, 1) ||
	     nla_put_u32(msg, HEY_A_CACHE_ERROR, ECONNREFUSED) ||
	     nla_put_u32(msg, HEY_A_CACHE_HANDSHAKE_US, 1203) ||
	     nla_put_u32(msg, HEY_A_CACHE_SRTT_US, 1100) ||
	     nla_put_u32(msg, HEY_A_CACHE_AGE_MS, 5400)))
		return NULL;
	if (!counters && nla_put_u32(msg, HEY_A_CACHE_ERROR, ETIMEDOUT))
		return NULL;
	return msg;
}

/*
 * A cache key: network 1, family, port 1, proto (the address, of its own
 * family, when given).
 */
static struct nl_msg *cache_key(uint8_t cmd, int family, int addr_family,
				const char *addr, uint8_t proto)
{
	struct nl_msg *msg = build_msg(cmd);

	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, 1) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, family) ||
	    (addr && build_addr(msg, HEY_A_CACHE_ADDR, addr_family, addr)) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(1)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL, proto))
		return NULL;
	return msg;
}

/* A GET_CACHE reply of a name entry: name bytes of len (NUL included). */
static struct nl_msg *cache_name_msg(int family, const char *name, int len,
				     bool addr)
{
	struct nl_msg *msg = build_msg(HEY_CMD_GET_CACHE);

	if (nla_put_u64(msg, HEY_A_CACHE_NETWORK, 0x8000000000000002ULL) ||
	    nla_put_u16(msg, HEY_A_CACHE_FAMILY, family) ||
	    nla_put(msg, HEY_A_CACHE_NAME, len, name) ||
	    (addr && build_addr(msg, HEY_A_CACHE_ADDR, AF_INET, "10.0.0.1")) ||
	    nla_put_u16(msg, HEY_A_CACHE_PORT, htons(443)) ||
	    nla_put_u8(msg, HEY_A_CACHE_PROTOCOL, HEY_PROTO_TCP) ||
	    nla_put_u8(msg, HEY_A_CACHE_RESULT, HEY_CACHE_OUTRUN) ||
	    nla_put_u32(msg, HEY_A_CACHE_AGE_MS, 12))
		return NULL;
	return msg;
}

static void parse_cache_msg(struct __test_metadata *_metadata,
			    struct nl_msg *msg, struct heynl_cache_entry *e)
{
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, heynl_cache_entry_parse(msg, e));
	nlmsg_free(msg);
}

static const char cache_v6_line[] =
	"network 0x8000000000000002 dst 3fff:9::9 port 8080 proto tcp result success successes 3 failures 1 error ECONNREFUSED handshake 1203 srtt 1100 age 5400";
static const char cache_any_line[] =
	"network 0x8000000000000002 dst any port 8080 proto tfo result failed error ETIMEDOUT";
static const char cache_name_line[] =
	"network 0x8000000000000002 name my\\032printer._ipp._tcp.local family inet port 443 proto tcp result outrun age 12";

TEST(cache_show_text_and_json)
{
	struct heynl_vec entries = {
		.size = sizeof(struct heynl_cache_entry)
	};
	struct capture c;
	char *want;

	parse_cache_msg(_metadata, cache_msg(HEY_CMD_GET_CACHE, 0, AF_INET6,
					     "3fff:9::9", true),
			heynl_vec_add(&entries));
	parse_cache_msg(_metadata, cache_msg(HEY_CMD_GET_CACHE, 0, AF_UNSPEC,
					     NULL, false),
			heynl_vec_add(&entries));
	parse_cache_msg(_metadata, cache_name_msg(AF_INET,
						  "my printer._ipp._tcp.local",
						  27, false),
			heynl_vec_add(&entries));
	show_cache(capture_open(&c), &entries, false);
	ASSERT_LT(0, asprintf(&want, "%s\n%s\n%s\n", cache_v6_line,
			      cache_any_line, cache_name_line));
	ASSERT_STREQ(want, capture_close(&c));
	free(want);
	free(c.text);

	show_cache(capture_open(&c), &entries, true);
	ASSERT_STREQ("[{\"network\":9223372036854775810,\"family\":\"inet6\","
		     "\"dst\":\"3fff:9::9\",\"name\":null,\"port\":8080,"
		     "\"proto\":\"tcp\","
		     "\"result\":\"success\",\"successes\":3,\"failures\":1,"
		     "\"handshake_us\":1203,\"srtt_us\":1100,\"age_ms\":5400,"
		     "\"error\":\"ECONNREFUSED\"},"
		     "{\"network\":9223372036854775810,\"family\":\"unspec\","
		     "\"dst\":\"any\",\"name\":null,\"port\":8080,"
		     "\"proto\":\"tfo\","
		     "\"result\":\"failed\",\"successes\":null,"
		     "\"failures\":null,\"handshake_us\":null,\"srtt_us\":null,"
		     "\"age_ms\":null,\"error\":\"ETIMEDOUT\"},"
		     "{\"network\":9223372036854775810,\"family\":\"inet\","
		     "\"dst\":null,\"name\":\"my printer._ipp._tcp.local\","
		     "\"port\":443,\"proto\":\"tcp\",\"result\":\"outrun\","
		     "\"successes\":null,\"failures\":null,"
		     "\"handshake_us\":null,\"srtt_us\":null,\"age_ms\":12,"
		     "\"error\":null}]\n",
		     capture_close(&c));
	free(c.text);
	heynl_vec_free(&entries);
}

/* What cache add sends parses back into the same entry. */
TEST(cache_request_round_trip)
{
	struct heynl_cache_entry sent, back;
	char line[sizeof(cache_v6_line)], err[ARGS_ERR_LEN];
	struct nl_msg *msg;
	struct capture c;

	strcpy(line, cache_v6_line);
	ASSERT_EQ(1, cachefile_parse_line(line, &sent, err));
	msg = build_msg(HEY_CMD_SET_CACHE);
	ASSERT_EQ(0, heynl_cache_put(msg, &sent, false));
	parse_cache_msg(_metadata, msg, &back);
	ASSERT_EQ(0, memcmp(&sent, &back, sizeof(sent)));
	cacheline_print(capture_open(&c), &back);
	ASSERT_STREQ(cache_v6_line, capture_close(&c));
	free(c.text);

	/* del sends the key only */
	msg = build_msg(HEY_CMD_DEL_CACHE);
	ASSERT_EQ(0, heynl_cache_put(msg, &sent, true));
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &back));
	ASSERT_EQ(HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_ADDR), back.present);
	nlmsg_free(msg);
}

/* A name key goes as HEY_A_CACHE_NAME, without an address, and back. */
TEST(cache_request_round_trip_name)
{
	char line[sizeof(cache_name_line)], err[ARGS_ERR_LEN];
	struct heynl_cache_entry sent, back;
	struct nlattr *tb[HEY_A_CACHE_MAX + 1];
	struct nl_msg *msg;
	struct capture c;

	strcpy(line, cache_name_line);
	ASSERT_EQ(1, cachefile_parse_line(line, &sent, err)) TH_LOG("%s", err);
	msg = build_msg(HEY_CMD_SET_CACHE);
	ASSERT_EQ(0, heynl_cache_put(msg, &sent, false));
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, HEY_A_CACHE_MAX,
				   NULL));
	ASSERT_EQ(NULL, tb[HEY_A_CACHE_ADDR]);
	ASSERT_NE(NULL, tb[HEY_A_CACHE_NAME]);
	ASSERT_EQ(27, nla_len(tb[HEY_A_CACHE_NAME]));
	ASSERT_STREQ("my printer._ipp._tcp.local",
		     (char *)nla_data(tb[HEY_A_CACHE_NAME]));
	parse_cache_msg(_metadata, msg, &back);
	ASSERT_EQ(0, memcmp(&sent, &back, sizeof(sent)));
	cacheline_print(capture_open(&c), &back);
	ASSERT_STREQ(cache_name_line, capture_close(&c));
	free(c.text);

	msg = build_msg(HEY_CMD_DEL_CACHE);
	ASSERT_EQ(0, heynl_cache_put(msg, &sent, true));
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &back));
	ASSERT_EQ(HEYNL_CACHE_KEY | HEYNL_BIT(HEY_A_CACHE_NAME), back.present);
	nlmsg_free(msg);
}

TEST(cache_parse_rejects_malformed)
{
	struct heynl_cache_entry e;
	struct nl_msg *msg;

	/* IPv4 family with an IPv6 address */
	msg = cache_msg(HEY_CMD_GET_CACHE, 0, AF_INET6, "3fff::1", true);
	ASSERT_EQ(0, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	msg = cache_key(HEY_CMD_GET_CACHE, AF_INET, AF_INET6, "3fff::1",
			HEY_PROTO_TCP);
	nla_put_u8(msg, HEY_A_CACHE_RESULT, HEY_CACHE_SUCCESS);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);

	/* a counter of the wrong size */
	msg = cache_msg(HEY_CMD_GET_CACHE, 0, AF_UNSPEC, NULL, false);
	nla_put_u64(msg, HEY_A_CACHE_SRTT_US, 1);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);

	/* an IPv4 entry without its address */
	msg = cache_key(HEY_CMD_GET_CACHE, AF_INET, AF_INET, NULL,
			HEY_PROTO_TCP);
	nla_put_u8(msg, HEY_A_CACHE_RESULT, HEY_CACHE_SUCCESS);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);

	/* names: fine, then with an address, of AF_UNSPEC, empty, without
	 * their NUL, with a NUL inside, too long
	 */
	msg = cache_name_msg(AF_INET6, "a.b", 4, false);
	ASSERT_EQ(0, heynl_cache_entry_parse(msg, &e));
	ASSERT_STREQ("a.b", e.name);
	nlmsg_free(msg);
	msg = cache_name_msg(AF_INET, "a.b", 4, true);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	msg = cache_name_msg(AF_UNSPEC, "a.b", 4, false);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	msg = cache_name_msg(AF_INET, "", 1, false);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	msg = cache_name_msg(AF_INET, "a.b", 3, false);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	msg = cache_name_msg(AF_INET, "a\0b", 4, false);
	ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
	nlmsg_free(msg);
	{
		char big[HEY_MAX_HOST + 2];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		msg = cache_name_msg(AF_INET, big, sizeof(big), false);
		ASSERT_EQ(-EPROTO, heynl_cache_entry_parse(msg, &e));
		nlmsg_free(msg);
	}
}

/* ---- policy ----------------------------------------------------------- */

static struct nl_msg *policy_msg(void)
{
	static const uint8_t protos[] = { HEY_PROTO_TFO, HEY_PROTO_TCP };
	static const uint32_t prefer[] = { 1, 999999 };
	struct nl_msg *msg = build_msg(HEY_CMD_GET_POLICY);

	if (nla_put_u32(msg, HEY_A_POLICY_MODE, HEY_RACE_FAILOVER) ||
	    nla_put_u32(msg, HEY_A_POLICY_MIN_DELAY_MS, 100) ||
	    nla_put_u32(msg, HEY_A_POLICY_MAX_DELAY_MS, 2000) ||
	    nla_put_u32(msg, HEY_A_POLICY_DEFAULT_DELAY_MS, 250) ||
	    nla_put(msg, HEY_A_POLICY_PROTOCOLS, 2, protos) ||
	    nla_put_u32(msg, HEY_A_POLICY_ALLOWED,
			(1u << HEY_PROTO_TCP) | (1u << HEY_PROTO_TFO)) ||
	    nla_put(msg, HEY_A_POLICY_PREFER, sizeof(prefer), prefer) ||
	    nla_put(msg, HEY_A_POLICY_EXCLUDE, 0, NULL) ||
	    nla_put_u32(msg, HEY_A_POLICY_MAX_LEAVES, 16) ||
	    nla_put_u32(msg, HEY_A_POLICY_MAX_RACES, 4096))
		return NULL;
	return msg;
}

TEST(policy_show_text_and_json)
{
	struct nl_msg *msg = policy_msg();
	struct heynl_policy p;
	struct capture c;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, heynl_policy_parse(msg, &p));
	nlmsg_free(msg);
	show_policy(capture_open(&c), &p, false);
	ASSERT_STREQ("mode failover\n"
		     "min-delay 100\n"
		     "max-delay 2000\n"
		     "default-delay 250\n"
		     "protocols tfo,tcp\n"
		     "allowed tcp,tfo\n"
		     "prefer lo,if999999\n"
		     "exclude none\n"
		     "max-leaves 16\n"
		     "max-races 4096\n", capture_close(&c));
	free(c.text);
	show_policy(capture_open(&c), &p, true);
	ASSERT_STREQ("{\"mode\":\"failover\",\"min_delay_ms\":100,"
		     "\"max_delay_ms\":2000,\"default_delay_ms\":250,"
		     "\"max_leaves\":16,\"max_races\":4096,"
		     "\"protocols\":[\"tfo\",\"tcp\"],"
		     "\"allowed\":[\"tcp\",\"tfo\"],"
		     "\"prefer\":[\"lo\",\"if999999\"],\"exclude\":[]}\n",
		     capture_close(&c));
	free(c.text);
}

/* policy set: one message with exactly the attributes named. */
TEST(policy_request)
{
	char *words[] = { "max-delay", "900", "exclude", "none", "allowed",
			  "all" };
	struct heynl_policy p, back;
	char err[ARGS_ERR_LEN];
	struct nl_msg *msg;

	ASSERT_EQ(0, args_policy(6, words, &p, err));
	msg = build_msg(HEY_CMD_SET_POLICY);
	ASSERT_EQ(0, heynl_policy_put(msg, &p));
	ASSERT_EQ(0, heynl_policy_parse(msg, &back));
	nlmsg_free(msg);
	ASSERT_EQ(HEYNL_BIT(HEY_A_POLICY_MAX_DELAY_MS) |
		  HEYNL_BIT(HEY_A_POLICY_EXCLUDE) |
		  HEYNL_BIT(HEY_A_POLICY_ALLOWED), back.present);
	ASSERT_EQ(900, back.max_delay_ms);
	ASSERT_EQ(0, back.n_exclude);
	ASSERT_EQ(0xe, back.allowed);
}

/* ---- networks --------------------------------------------------------- */

static struct nl_msg *network_msg(uint32_t ifindex, uint64_t id,
				  const char *name)
{
	struct nl_msg *msg = build_msg(HEY_CMD_GET_NETWORK);

	if (nla_put_u32(msg, HEY_A_NETWORK_IFINDEX, ifindex) ||
	    nla_put_u64(msg, HEY_A_NETWORK_ID, id) ||
	    (name && nla_put_string(msg, HEY_A_NETWORK_IFNAME, name)))
		return NULL;
	return msg;
}

TEST(network_show_text_and_json)
{
	struct heynl_vec nets = { .size = sizeof(struct heynl_network) };
	struct nl_msg *msgs[] = {
		network_msg(1, HEY_NETWORK_DEFAULT | 1, NULL),
		network_msg(7, 0xabcdef, "wlan0"),
	};
	struct capture c;
	size_t i;

	for (i = 0; i < 2; i++) {
		ASSERT_NE(NULL, msgs[i]);
		ASSERT_EQ(0, heynl_network_parse(msgs[i],
						 heynl_vec_add(&nets)));
		nlmsg_free(msgs[i]);
	}
	show_networks(capture_open(&c), &nets, false);
	ASSERT_STREQ("lo ifindex 1 network 0x8000000000000001 default\n"
		     "wlan0 ifindex 7 network 0xabcdef\n", capture_close(&c));
	free(c.text);
	show_networks(capture_open(&c), &nets, true);
	ASSERT_STREQ("[{\"ifindex\":1,\"dev\":\"lo\","
		     "\"network\":9223372036854775809,\"default\":true},"
		     "{\"ifindex\":7,\"dev\":\"wlan0\",\"network\":11259375,"
		     "\"default\":false}]\n", capture_close(&c));
	free(c.text);
	heynl_vec_free(&nets);

	/* no id: malformed */
	msgs[0] = build_msg(HEY_CMD_GET_NETWORK);
	nla_put_u32(msgs[0], HEY_A_NETWORK_IFINDEX, 1);
	ASSERT_EQ(-EPROTO, heynl_network_parse(msgs[0],
					       &(struct heynl_network){ 0 }));
	nlmsg_free(msgs[0]);
}

/* ---- events ----------------------------------------------------------- */

TEST(monitor_lines)
{
	struct heynl_cache_entry e;
	struct heynl_race race;
	struct nl_msg *msg;
	struct capture c;

	msg = race_msg(42);
	ASSERT_EQ(0, heynl_race_parse(msg, &race));
	nlmsg_free(msg);
	show_event_race(capture_open(&c), &race, false);
	ASSERT_STREQ("race 42 age 3.204s state connected winner 1 connect 1.203ms "
		     "early-data 100 leaves 2 via tfo 10.9.9.9:8080 dev lo\n",
		     capture_close(&c));
	free(c.text);

	msg = race_msg(43);
	ASSERT_EQ(0, heynl_race_parse(msg, &race));
	nlmsg_free(msg);
	show_event_race(capture_open(&c), &race, false);
	ASSERT_STREQ("race 43 age 0.012s state failed error ETIMEDOUT pruned 2 "
		     "leaves 1\n", capture_close(&c));
	free(c.text);

	parse_cache_msg(_metadata,
			cache_msg(HEY_CMD_CACHE_CHANGED,
				  HEY_CACHE_CHANGE_UPDATED, AF_UNSPEC, NULL,
				  false), &e);
	show_event_cache(capture_open(&c), &e, false);
	ASSERT_STREQ("cache updated network 0x8000000000000002 dst any port 8080 "
		     "proto tfo result failed error ETIMEDOUT\n",
		     capture_close(&c));
	free(c.text);
	show_event_cache(capture_open(&c), &e, true);
	ASSERT_STREQ("{\"event\":\"cache_changed\",\"change\":\"updated\","
		     "\"network\":9223372036854775810,\"family\":\"unspec\","
		     "\"dst\":\"any\",\"name\":null,\"port\":8080,"
		     "\"proto\":\"tfo\","
		     "\"result\":\"failed\",\"successes\":null,"
		     "\"failures\":null,\"handshake_us\":null,\"srtt_us\":null,"
		     "\"age_ms\":null,\"error\":\"ETIMEDOUT\"}\n",
		     capture_close(&c));
	free(c.text);

	/* a deletion may name the key alone; a flush names nothing */
	msg = cache_key(HEY_CMD_CACHE_CHANGED, AF_INET, AF_INET, "10.0.0.1",
			HEY_PROTO_SCTP);
	nla_put_u8(msg, HEY_A_CACHE_CHANGE, HEY_CACHE_CHANGE_DELETED);
	parse_cache_msg(_metadata, msg, &e);
	show_event_cache(capture_open(&c), &e, false);
	ASSERT_STREQ("cache deleted network 0x1 dst 10.0.0.1 port 1 proto sctp\n",
		     capture_close(&c));
	free(c.text);

	msg = build_msg(HEY_CMD_CACHE_CHANGED);
	nla_put_u8(msg, HEY_A_CACHE_CHANGE, HEY_CACHE_CHANGE_FLUSHED);
	parse_cache_msg(_metadata, msg, &e);
	show_event_cache(capture_open(&c), &e, false);
	ASSERT_STREQ("cache flushed\n", capture_close(&c));
	free(c.text);
	show_event_cache(capture_open(&c), &e, true);
	ASSERT_STREQ("{\"event\":\"cache_changed\",\"change\":\"flushed\"}\n",
		     capture_close(&c));
	free(c.text);
}

TEST_HARNESS_MAIN
