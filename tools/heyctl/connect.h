/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "heyctl connect": a netcat-like client whose connect() is a hey race.
 */
#ifndef HEYCTL_CONNECT_H
#define HEYCTL_CONNECT_H

#include <stdbool.h>

#include <linux/hey.h>

struct connect_opts {
	const char *host, *port;
	int family;			/* AF_UNSPEC, or AF_INET/6 only */
	struct hey_protocols protos;	/* count 0: not set */
	struct hey_paths paths;		/* HEY_PATHS_ALL: not set */
	int timeout_ms;			/* 0: none */
	bool verbose;			/* the race on stderr */
	bool by_name;			/* HEY_HOST: heyd resolves per path */
};

/*
 * Resolves, races, then copies stdin to the socket and the socket to
 * stdout until both reach EOF. Returns the exit status: 0, or 1 with a
 * message on stderr.
 */
int connect_run(const struct connect_opts *o);

#endif /* HEYCTL_CONNECT_H */
