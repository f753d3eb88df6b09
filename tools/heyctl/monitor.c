// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "heynl.h"
#include "heynl_cache.h"
#include "heynl_events.h"
#include "heynl_races.h"
#include "monitor.h"
#include "show.h"

static int on_event(struct nl_msg *msg, void *arg)
{
	const bool *json = arg;
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct heynl_cache_entry e;
	struct heynl_race race;

	if (!genlmsg_valid_hdr(nlmsg_hdr(msg), 0))
		return 0;
	switch (g->cmd) {
	case HEY_CMD_RACE_DONE:
		if (heynl_race_parse(msg, &race))
			fprintf(stderr, "heyctl: monitor: a malformed race event\n");
		else
			show_event_race(stdout, &race, *json);
		break;
	case HEY_CMD_CACHE_CHANGED:
		if (heynl_cache_entry_parse(msg, &e))
			fprintf(stderr, "heyctl: monitor: a malformed cache event\n");
		else
			show_event_cache(stdout, &e, *json);
		break;
	default:
		/* a newer module's event: nothing to say about it */
		return 0;
	}
	fflush(stdout);
	return 0;
}

static int monitor_loop(struct heynl *h, int sfd, bool json)
{
	struct pollfd p[2] = {
		{ .fd = heynl_events_fd(h), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "heyctl: monitor: poll: %s\n",
				strerror(errno));
			return 1;
		}
		if (p[1].revents)
			return 0;
		if (!p[0].revents)
			continue;
		ret = heynl_events_read(h, on_event, &json);
		if (ret == -ENOBUFS) {
			/* said on stdout too: the stream has a gap here */
			printf("%s\n", json ? "{\"event\":\"lost\"}" :
			       "events lost: the socket overflowed");
			fflush(stdout);
		} else if (ret) {
			fprintf(stderr, "heyctl: monitor: %s\n",
				strerror(-ret));
			return 1;
		}
	}
}

int monitor_run(bool json)
{
	struct heynl h;
	sigset_t mask;
	int sfd, ret;

	ret = heynl_open(&h);
	if (ret) {
		fprintf(stderr, "heyctl: monitor: %s\n",
			ret == -ENOENT ? "the hey module is not loaded" :
			strerror(-ret));
		return 1;
	}
	ret = heynl_events_join(&h);
	if (ret) {
		fprintf(stderr, "heyctl: monitor: joining the \"%s\" group: %s\n",
			HEY_MCGRP_EVENTS,
			ret == -ENOENT ? "the module has no such group" :
			strerror(-ret));
		heynl_close(&h);
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "heyctl: monitor: signalfd: %s\n",
			strerror(errno));
		heynl_close(&h);
		return 1;
	}
	ret = monitor_loop(&h, sfd, json);
	close(sfd);
	heynl_close(&h);
	return ret;
}
