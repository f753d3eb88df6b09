/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heyd's configuration file (default /etc/heyd.conf, --config FILE): one
 * setting per line, "keyword value...", words separated by blanks, in
 * the style of heyctl's arguments (kwargs.h); a line whose first word
 * starts with '#' is a comment. Keywords:
 *
 *   dns IFNAME ADDR...   the DNS servers of the network on IFNAME, tried
 *                        in order: 192.0.2.53, 2001:db8::53,
 *                        192.0.2.53:5353 or [2001:db8::53]:5353 (at most
 *                        CONFIG_MAX_SERVERS); once per interface
 *   dns-timeout MS       how long a DNS query waits for an answer before
 *                        it is sent again (100 to 60000; 2000)
 *   dns-tries N          how many times (1 to 10; 2); both apply to
 *                        multicast DNS queries (.local names) too
 *   max-requests N       names resolved at once (1 to 4096; 256); the
 *                        kernel's requests beyond are answered with no
 *                        address
 *
 * An unknown keyword, a missing or extra value, a bad address or number
 * is an error that names the line. Each keyword but dns at most once.
 */
#ifndef HEYD_CONFIG_H
#define HEYD_CONFIG_H

#include <net/if.h>
#include <stddef.h>

#define CONFIG_DEFAULT_FILE	"/etc/heyd.conf"
#define CONFIG_MAX_SERVERS	8	/* per interface */
#define CONFIG_MAX_DNS		64	/* interfaces with dns lines */
#define CONFIG_FILE_MAX		65536	/* bytes */
#define CONFIG_ERR_LEN		512
/* "[ADDR6]:PORT," at most, per server */
#define CONFIG_SERVERS_LEN	(CONFIG_MAX_SERVERS * 56)

struct config_dns {
	char ifname[IF_NAMESIZE];
	/* c-ares' list: "ADDR[:PORT],[ADDR6]:PORT" */
	char servers[CONFIG_SERVERS_LEN];
};

struct heyd_config {
	int dns_timeout_ms;
	int dns_tries;
	int max_requests;
	int ndns;
	struct config_dns dns[CONFIG_MAX_DNS];
};

/* The defaults. */
void config_init(struct heyd_config *c);

/*
 * The text[0..len) of a configuration file into c (over config_init's
 * defaults): 0, or -EINVAL with "line N: why" in err (CONFIG_ERR_LEN).
 * A NUL byte in the text is an error; so is a line longer than 1023.
 */
int config_parse(const char *text, size_t len, struct heyd_config *c,
		 char *err);

/*
 * Reads and parses the file at path. A missing file is no error when
 * optional (the default file); the configuration is then the defaults.
 * -errno with "PATH: why" (or "PATH: line N: why") in err.
 */
int config_load(const char *path, int optional, struct heyd_config *c,
		char *err);

/* The servers of ifname as c-ares takes them, or NULL. */
const char *config_servers(const struct heyd_config *c, const char *ifname);

#endif /* HEYD_CONFIG_H */
