// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of heyd's pure pieces, run on the host under ASan and
 * UBSan: the network id hash, how persistence ages and matches the
 * entries of a saved cache, and the configuration file's parser.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "config.h"
#include "netid_hash.h"
#include "persist.h"

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
/* 2001:db8:1::/64 with host bits set, and 2001:db8:2::/64 */
static const uint8_t pfx_1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
				   0xa, 0xb, 0xc, 0xd, 1, 2, 3, 4 };
static const uint8_t pfx_2[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2 };

static uint64_t id_of(const uint8_t *mac, const uint8_t *pfx)
{
	struct netid_inputs in = { 0 };

	if (mac)
		netid_add_router(&in, mac, 6);
	if (pfx)
		netid_add_prefix(&in, pfx, 64);
	return netid_hash(&in);
}

TEST(netid_no_router_is_default)
{
	struct netid_inputs in = { 0 };

	ASSERT_EQ(0, netid_hash(&in));
	/* prefixes alone name no network */
	netid_add_prefix(&in, pfx_1, 64);
	ASSERT_EQ(0, netid_hash(&in));
}

TEST(netid_stable_and_below_bit_63)
{
	uint64_t a = id_of(mac_a, pfx_1);

	ASSERT_NE(0, a);
	ASSERT_EQ(0, a >> 63);
	ASSERT_EQ(a, id_of(mac_a, pfx_1));
	/* the same inputs give the same id in every build: the derivation
	 * is part of what a saved cache means
	 */
	ASSERT_EQ(0x3c18a9d742b34a0eull, a);
}

TEST(netid_differs_by_router_and_prefix)
{
	uint64_t a = id_of(mac_a, pfx_1);

	ASSERT_NE(a, id_of(mac_b, pfx_1));
	ASSERT_NE(a, id_of(mac_a, pfx_2));
	ASSERT_NE(a, id_of(mac_a, NULL));
	ASSERT_NE(id_of(mac_a, NULL), id_of(mac_b, NULL));
}

TEST(netid_order_repeats_and_host_bits_do_not_matter)
{
	struct netid_inputs x = { 0 }, y = { 0 };
	uint8_t other_host[16];

	netid_add_router(&x, mac_a, 6);
	netid_add_router(&x, mac_b, 6);
	netid_add_prefix(&x, pfx_1, 64);
	netid_add_prefix(&x, pfx_2, 64);

	memcpy(other_host, pfx_1, 16);
	other_host[15] ^= 0xff;
	netid_add_prefix(&y, pfx_2, 64);
	netid_add_router(&y, mac_b, 6);
	netid_add_prefix(&y, other_host, 64);
	netid_add_router(&y, mac_a, 6);
	netid_add_router(&y, mac_a, 6);
	ASSERT_EQ(netid_hash(&x), netid_hash(&y));

	/* the prefix length is part of it */
	netid_add_prefix(&y, pfx_2, 56);
	ASSERT_NE(netid_hash(&x), netid_hash(&y));
}

TEST(netid_many_ids_keep_bit_63_clear)
{
	uint8_t mac[6] = { 0 };
	unsigned int i;
	uint64_t id;

	for (i = 0; i < 100000; i++) {
		memcpy(mac, &i, sizeof(i));
		id = id_of(mac, NULL);
		ASSERT_NE(0, id);
		ASSERT_EQ(0, id >> 63);
	}
}

TEST(netid_bounds)
{
	struct netid_inputs in = { 0 };
	uint8_t big[64] = { 0 };
	unsigned int i;

	netid_add_router(&in, big, 0);
	netid_add_router(&in, big, sizeof(big));
	ASSERT_EQ(0, in.n_routers);
	netid_add_prefix(&in, pfx_1, 0);
	netid_add_prefix(&in, pfx_1, 129);
	ASSERT_EQ(0, in.n_prefixes);
	for (i = 0; i < 2 * NETID_MAX_ROUTERS; i++)
		netid_add_router(&in, mac_a, 6);
	ASSERT_EQ(NETID_MAX_ROUTERS, in.n_routers);
	for (i = 0; i < 2 * NETID_MAX_PREFIXES; i++)
		netid_add_prefix(&in, pfx_1, 64);
	ASSERT_EQ(NETID_MAX_PREFIXES, in.n_prefixes);
	/* a /60 keeps 60 bits */
	in.n_prefixes = 0;
	netid_add_prefix(&in, pfx_1, 60);
	ASSERT_EQ(0x00, in.prefixes[0].addr[7]);
	ASSERT_EQ(0x00, in.prefixes[0].addr[8]);
	in.n_prefixes = 0;
	netid_add_prefix(&in, pfx_1, 52);
	ASSERT_EQ(0x00, in.prefixes[0].addr[6]);
	ASSERT_EQ(0x01, in.prefixes[0].addr[5]);
}

TEST(persist_ages_loaded_entries)
{
	struct heynl_cache_entry e = { .age_ms = 500 };

	persist_age(&e, 1000, 1010);
	ASSERT_EQ(10500, e.age_ms);
	ASSERT_TRUE(HEYNL_HAS(&e, HEY_A_CACHE_AGE_MS));
	/* a file from the future, or by hand: as it is */
	persist_age(&e, 2000, 1010);
	ASSERT_EQ(10500, e.age_ms);
	persist_age(&e, 0, 1010);
	ASSERT_EQ(10500, e.age_ms);
	/* saturates */
	persist_age(&e, 1, 1LL << 40);
	ASSERT_EQ(UINT32_MAX, e.age_ms);
}

TEST(persist_key_order)
{
	struct heynl_cache_entry a = {
		.network = 1, .family = AF_INET, .addr = { 10, 0, 0, 1 },
		.port = 80, .protocol = 1, .result = 1,
	}, b = a;

	/* the counters are no part of the key, nor bytes past an IPv4 */
	b.successes = 7;
	b.addr[8] = 0xff;
	ASSERT_EQ(0, persist_key_cmp(&a, &b));
	b.port = 81;
	ASSERT_GT(0, persist_key_cmp(&a, &b));
	ASSERT_LT(0, persist_key_cmp(&b, &a));
	b = a;
	b.network = 2;
	ASSERT_GT(0, persist_key_cmp(&a, &b));
	b = a;
	b.protocol = 2;
	ASSERT_NE(0, persist_key_cmp(&a, &b));
	b = a;
	b.addr[3] = 2;
	ASSERT_NE(0, persist_key_cmp(&a, &b));
}

TEST(persist_key_order_names)
{
	struct heynl_cache_entry a = {
		.present = HEYNL_BIT(HEY_A_CACHE_NAME), .network = 1,
		.family = AF_INET6, .name = "www.example.com", .port = 443,
		.protocol = 1, .result = 1,
	}, b = a, c = {
		.network = 1, .family = AF_INET6, .port = 443, .protocol = 1,
	};

	b.age_ms = 9;
	ASSERT_EQ(0, persist_key_cmp(&a, &b));
	strcpy(b.name, "www.example.org");
	ASSERT_GT(0, persist_key_cmp(&a, &b));
	ASSERT_LT(0, persist_key_cmp(&b, &a));
	/* a name is no address, not even the all-zero one */
	ASSERT_LT(0, persist_key_cmp(&a, &c));
	ASSERT_GT(0, persist_key_cmp(&c, &a));
	b = a;
	b.family = AF_INET;
	ASSERT_NE(0, persist_key_cmp(&a, &b));
}

/* ---- the configuration file ----------------------------------------- */

static int conf(const char *text, struct heyd_config *c, char *err)
{
	return config_parse(text, strlen(text), c, err);
}

TEST(config_defaults_and_settings)
{
	struct heyd_config c;
	char err[CONFIG_ERR_LEN];

	ASSERT_EQ(0, conf("", &c, err));
	ASSERT_EQ(2000, c.dns_timeout_ms);
	ASSERT_EQ(2, c.dns_tries);
	ASSERT_EQ(256, c.max_requests);
	ASSERT_EQ(NULL, config_servers(&c, "eth0"));
	ASSERT_EQ(0, conf("# heyd\n\n  dns-timeout 500\t\n"
			  "dns eth0 192.0.2.53 2001:db8::53 192.0.2.54:5353 "
			  "[2001:db8::54]:53 [2001:db8::55]\n"
			  "dns-tries 3\nmax-requests 10\r\n"
			  "dns wlan0 10.0.0.1", &c, err));
	ASSERT_EQ(500, c.dns_timeout_ms);
	ASSERT_EQ(3, c.dns_tries);
	ASSERT_EQ(10, c.max_requests);
	ASSERT_STREQ("192.0.2.53,2001:db8::53,192.0.2.54:5353,"
		     "[2001:db8::54]:53,2001:db8::55",
		     config_servers(&c, "eth0"));
	ASSERT_STREQ("10.0.0.1", config_servers(&c, "wlan0"));
	ASSERT_EQ(NULL, config_servers(&c, "eth1"));
}

/* Each text is refused, its error starting with want. */
static const struct {
	const char *text, *want;
} config_errors[] = {
	{ "frobnicate 1\n", "line 1: unknown keyword 'frobnicate'" },
	{ "\n# c\ndns-timeout\n", "line 3: dns-timeout: one value" },
	{ "dns-timeout 1 2\n", "line 1: dns-timeout: one value" },
	{ "dns-timeout 99\n", "line 1: dns-timeout '99': a number, 100 to 60000" },
	{ "dns-timeout 60001\n", "line 1: dns-timeout '60001'" },
	{ "dns-tries 0\n", "line 1: dns-tries '0'" },
	{ "dns-tries -1\n", "line 1: dns-tries '-1'" },
	{ "max-requests 4097\n", "line 1: max-requests '4097'" },
	{ "dns-tries 2\ndns-tries 2\n", "line 2: dns-tries given twice" },
	{ "dns eth0\n", "line 1: dns: an interface and servers" },
	{ "dns eth0 1.2.3.4\ndns eth0 1.2.3.5\n", "line 2: dns: eth0 given twice" },
	{ "dns abcdefghijklmnop 1.2.3.4\n", "line 1: dns: interface name" },
	{ "dns eth0 1.2.3\n", "line 1: dns: '1.2.3'" },
	{ "dns eth0 1.2.3.4:0\n", "line 1: dns: '1.2.3.4:0'" },
	{ "dns eth0 1.2.3.4:65536\n", "line 1: dns: '1.2.3.4:65536'" },
	{ "dns eth0 [1.2.3.4]:53\n", "line 1: dns: '[1.2.3.4]:53'" },
	{ "dns eth0 [2001:db8::1\n", "line 1: dns: '[2001:db8::1'" },
	{ "dns eth0 [2001:db8::1]x\n", "line 1: dns: '[2001:db8::1]x'" },
	{ "dns eth0 example.com\n", "line 1: dns: 'example.com'" },
	{ "dns eth0 1 2 3 4 5 6 7 8 9\n", "line 1: more than 10 words" },
	{ "dns-tries 2\0\n", "a NUL byte" },
};

TEST(config_errors_name_the_line)
{
	struct heyd_config c;
	char err[CONFIG_ERR_LEN];

	for (size_t i = 0; i < sizeof(config_errors) / sizeof(config_errors[0]);
	     i++) {
		const char *t = config_errors[i].text;
		/* the NUL case: its length goes past the NUL */
		size_t len = strlen(t) + (strstr(config_errors[i].want, "NUL") ? 2 : 0);

		ASSERT_EQ(-EINVAL, config_parse(t, len, &c, err));
		EXPECT_EQ(0, strncmp(err, config_errors[i].want,
				     strlen(config_errors[i].want)))
			TH_LOG("%s: got '%s'", config_errors[i].want, err);
	}
}

TEST(config_long_lines_and_eight_long_servers)
{
	char text[2048], err[CONFIG_ERR_LEN];
	struct heyd_config c;
	const char *servers;
	int commas;

	memset(text, ' ', sizeof(text));
	memcpy(text, "dns-tries", 9);
	memcpy(text + 1500, " 2\n", 4);
	ASSERT_EQ(-EINVAL, conf(text, &c, err));
	ASSERT_STREQ("line 1: longer than 1023 bytes", err);
	ASSERT_EQ(0, conf("dns eth0 [2001:db8:1:2:3:4:5:6]:65535 "
			  "[2001:db8:1:2:3:4:5:7]:65535 "
			  "[2001:db8:1:2:3:4:5:8]:65535 "
			  "[2001:db8:1:2:3:4:5:9]:65535 "
			  "[2001:db8:1:2:3:4:5:a]:65535 "
			  "[2001:db8:1:2:3:4:5:b]:65535 "
			  "[2001:db8:1:2:3:4:5:c]:65535 "
			  "[2001:db8:1:2:3:4:5:d]:65535\n", &c, err));
	/* eight servers as long as they come fit */
	servers = config_servers(&c, "eth0");
	for (commas = 0; *servers; servers++)
		commas += *servers == ',';
	ASSERT_EQ(7, commas);
}

TEST(config_file)
{
	char path[] = "/tmp/heyd-conf-XXXXXX", err[CONFIG_ERR_LEN];
	struct heyd_config c;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(16, write(fd, "dns-tries 3\nbad\n", 16));
	close(fd);
	ASSERT_EQ(-EINVAL, config_load(path, 0, &c, err));
	ASSERT_NE(NULL, strstr(err, ": line 2: unknown keyword 'bad'"));
	unlink(path);
	/* missing: the defaults when optional, an error when named */
	ASSERT_EQ(0, config_load(path, 1, &c, err));
	ASSERT_EQ(2, c.dns_tries);
	ASSERT_EQ(-ENOENT, config_load(path, 0, &c, err));
	ASSERT_NE(NULL, strstr(err, "No such file"));
}

TEST_HARNESS_MAIN
