// SPDX-License-Identifier: GPL-2.0
/* heyd's configuration file. See config.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kwargs.h"

#define LINE_MAX_LEN	1023
#define MAX_WORDS	(CONFIG_MAX_SERVERS + 2)

void config_init(struct heyd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->dns_timeout_ms = 2000;
	c->dns_tries = 2;
	c->max_requests = 256;
}

/*
 * One server, "ADDR", "ADDR:PORT" (IPv4), "[ADDR6]" or "[ADDR6]:PORT",
 * appended to out in c-ares' form: 0, or -1.
 */
static int server_word(const char *w, char *out, size_t outsz)
{
	char addr[INET6_ADDRSTRLEN], tmp[sizeof(addr) + 10];
	unsigned char bin[16];
	const char *port = NULL, *end;
	uint32_t p = 0;
	size_t alen;
	int v6;

	if (w[0] == '[') {
		end = strchr(w, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -1;
		if (end[1] == ':')
			port = end + 2;
		w++;
		alen = end - w;
		v6 = 1;
	} else {
		end = strchr(w, ':');
		/* one colon: an IPv4 address and a port; more: IPv6 */
		v6 = end && strchr(end + 1, ':');
		if (end && !v6)
			port = end + 1;
		alen = end && !v6 ? (size_t)(end - w) : strlen(w);
	}
	if (alen >= sizeof(addr))
		return -1;
	memcpy(addr, w, alen);
	addr[alen] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin) != 1)
		return -1;
	if (port && (args_u32(port, &p) || p == 0 || p > 65535))
		return -1;
	if (!port)
		snprintf(tmp, sizeof(tmp), "%s", addr);
	else if (v6)
		snprintf(tmp, sizeof(tmp), "[%s]:%u", addr, p);
	else
		snprintf(tmp, sizeof(tmp), "%s:%u", addr, p);
	if (strlen(out) + strlen(tmp) + 2 > outsz)
		return -1;
	if (out[0])
		strcat(out, ",");
	strcat(out, tmp);
	return 0;
}

static int line_dns(struct heyd_config *c, char **w, int n, char *err)
{
	struct config_dns *d;
	int i;

	if (n < 3)
		return args_fail(-EINVAL, err, "dns: an interface and servers");
	if (strlen(w[1]) >= IF_NAMESIZE)
		return args_fail(-EINVAL, err, "dns: interface name '%s' too long",
				 w[1]);
	if (config_servers(c, w[1]))
		return args_fail(-EINVAL, err, "dns: %s given twice", w[1]);
	if (c->ndns == CONFIG_MAX_DNS)
		return args_fail(-EINVAL, err, "dns: more than %d interfaces",
				 CONFIG_MAX_DNS);
	d = &c->dns[c->ndns];
	memset(d, 0, sizeof(*d));
	snprintf(d->ifname, sizeof(d->ifname), "%s", w[1]);
	for (i = 2; i < n; i++)
		if (server_word(w[i], d->servers, sizeof(d->servers)))
			return args_fail(-EINVAL, err,
					 "dns: '%s': not ADDR, ADDR4:PORT or [ADDR6]:PORT",
					 w[i]);
	c->ndns++;
	return 0;
}

struct number_key {
	const char *word;
	size_t off;
	uint64_t min, max;
};

static const struct number_key numbers[] = {
	{ "dns-timeout", offsetof(struct heyd_config, dns_timeout_ms),
	  100, 60000 },
	{ "dns-tries", offsetof(struct heyd_config, dns_tries), 1, 10 },
	{ "max-requests", offsetof(struct heyd_config, max_requests), 1, 4096 },
};

#define NNUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static int line_words(struct heyd_config *c, char **w, int n,
		      unsigned int *seen, char *err)
{
	uint64_t v;
	size_t i;

	if (!strcmp(w[0], "dns"))
		return line_dns(c, w, n, err);
	for (i = 0; i < NNUMBERS; i++) {
		const struct number_key *k = &numbers[i];

		if (strcmp(w[0], k->word))
			continue;
		if (n != 2)
			return args_fail(-EINVAL, err, "%s: one value", k->word);
		if (*seen & (1u << i))
			return args_fail(-EINVAL, err, "%s given twice",
					 k->word);
		if (args_u64(w[1], k->max, &v) || v < k->min)
			return args_fail(-EINVAL, err,
					 "%s '%s': a number, %llu to %llu",
					 k->word, w[1],
					 (unsigned long long)k->min,
					 (unsigned long long)k->max);
		*(int *)((char *)c + k->off) = v;
		*seen |= 1u << i;
		return 0;
	}
	return args_fail(-EINVAL, err, "unknown keyword '%s'", w[0]);
}

int config_parse(const char *text, size_t len, struct heyd_config *c,
		 char *err)
{
	char line[LINE_MAX_LEN + 2], why[ARGS_ERR_LEN];
	unsigned int seen = 0;
	size_t pos = 0;
	int lineno = 0;

	config_init(c);
	err[0] = '\0';
	if (memchr(text, '\0', len))
		return args_fail(-EINVAL, err, "a NUL byte in the file");
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *w[MAX_WORDS];
		int n;

		lineno++;
		if (l > LINE_MAX_LEN)
			return args_fail(-EINVAL, err,
					 "line %d: longer than %d bytes",
					 lineno, LINE_MAX_LEN);
		memcpy(line, text + pos, l);
		line[l] = '\0';
		pos += l + 1;
		n = args_split(line, w, MAX_WORDS);
		if (n < 0) {
			snprintf(err, CONFIG_ERR_LEN,
				 "line %d: more than %d words", lineno,
				 MAX_WORDS);
			return -EINVAL;
		}
		if (n == 0)
			continue;
		if (line_words(c, w, n, &seen, why)) {
			snprintf(err, CONFIG_ERR_LEN, "line %d: %s", lineno,
				 why);
			return -EINVAL;
		}
	}
	return 0;
}

int config_load(const char *path, int optional, struct heyd_config *c,
		char *err)
{
	char *buf, why[CONFIG_ERR_LEN];
	ssize_t got;
	size_t len = 0;
	int fd, ret;

	config_init(c);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (optional && ret == -ENOENT)
			return 0;
		snprintf(err, CONFIG_ERR_LEN, "%.200s: %s", path, strerror(-ret));
		return ret;
	}
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len <= CONFIG_FILE_MAX &&
	       (got = read(fd, buf + len, CONFIG_FILE_MAX + 1 - len)) > 0)
		len += got;
	ret = got < 0 ? -errno : 0;
	close(fd);
	if (ret)
		snprintf(err, CONFIG_ERR_LEN, "%.200s: %s", path, strerror(-ret));
	else if (len > CONFIG_FILE_MAX) {
		snprintf(err, CONFIG_ERR_LEN, "%.200s: larger than %d bytes", path,
			 CONFIG_FILE_MAX);
		ret = -EFBIG;
	} else if (config_parse(buf, len, c, why)) {
		snprintf(err, CONFIG_ERR_LEN, "%.200s: %.300s", path, why);
		ret = -EINVAL;
	}
	free(buf);
	return ret;
}

const char *config_servers(const struct heyd_config *c, const char *ifname)
{
	for (int i = 0; i < c->ndns; i++)
		if (!strcmp(c->dns[i].ifname, ifname))
			return c->dns[i].servers;
	return NULL;
}
