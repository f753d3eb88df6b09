/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the C selftests of hey. */
#ifndef HEY_TEST_H
#define HEY_TEST_H

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <linux/hey.h>

#include "heynl.h"

#ifndef TCP_ULP
#define TCP_ULP 31
#endif

/* setsockopt(TCP_ULP, "hey"): 0 or -errno. */
static inline int hey_attach(int fd)
{
	if (setsockopt(fd, SOL_TCP, TCP_ULP, HEY_ULP_NAME,
		       strlen(HEY_ULP_NAME)))
		return -errno;
	return 0;
}

/*
 * How many of n stress rounds this lane runs, as stress() in lib.sh says:
 * all on the stock kernel, a fifth on the debug kernel (its checkers see
 * every code path within a few hundred rounds), HEY_STRESS_DIV if set.
 */
static inline int hey_stress(int n)
{
	const char *env = getenv("HEY_STRESS_DIV");
	const char *tag = "-hey-debug";
	struct utsname u;
	int div = 1;
	size_t len;

	if (env && *env) {
		div = atoi(env);
	} else if (!uname(&u)) {
		len = strlen(u.release);
		if (len >= strlen(tag) &&
		    !strcmp(u.release + len - strlen(tag), tag))
			div = 5;
	}
	if (div < 1)
		div = 1;
	return n / div > 0 ? n / div : 1;
}

/* The ULP name getsockopt(TCP_ULP) reports, "" for none. */
static inline const char *hey_ulp_of(int fd, char *buf, socklen_t len)
{
	memset(buf, 0, len);
	if (getsockopt(fd, SOL_TCP, TCP_ULP, buf, &len))
		return "(error)";
	return buf;
}

/* The module's status for the caller's namespace: 0 or -errno. */
static inline int hey_status(struct hey_status *st)
{
	struct heynl h;
	int ret = heynl_open(&h);

	if (ret)
		return ret;
	ret = heynl_status_get(&h, st);
	heynl_close(&h);
	return ret;
}

/* active_objs of a slab cache from /proc/slabinfo, or -1. */
static inline long slab_active(const char *cache)
{
	char line[512], name[64];
	long active = -1, n;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &n) == 2 &&
		    !strcmp(name, cache)) {
			active = n;
			break;
		}
	fclose(f);
	return active;
}

#endif /* HEY_TEST_H */
