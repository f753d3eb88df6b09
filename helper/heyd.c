// SPDX-License-Identifier: GPL-2.0
/*
 * heyd: the userspace helper of hey.
 *
 * For now it follows the module's generic netlink family as mptcpd does:
 * it listens on nlctrl's "notify" group, logs when the "hey" family
 * appears or vanishes, and re-reads the module status when it appears.
 * Name resolution and cache persistence build on this loop.
 *
 * The event loop is io_uring (liburing): one poll on the netlink socket,
 * one on a signalfd for SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <liburing.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <linux/genetlink.h>
#include <linux/hey.h>

#include "heynl.h"

static int verbose;

static void logmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("heyd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Logs the module's status; returns true when the family answered. */
static bool module_probe(const char *event)
{
	struct hey_status st;
	struct heynl h;
	int ret;

	ret = heynl_open(&h);
	if (ret) {
		if (verbose || ret != -ENOENT)
			logmsg("%s: hey module not reachable: %s", event,
			       strerror(-ret));
		return false;
	}
	ret = heynl_status_get(&h, &st);
	heynl_close(&h);
	if (ret) {
		logmsg("%s: status request failed: %s", event, strerror(-ret));
		return false;
	}
	logmsg("%s: hey %s, netlink API %" PRIu32 ", %" PRIu32
	       " sockets attached", event, st.version, st.api, st.sockets);
	return true;
}

static int on_ctrl_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));
	const char *name;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return NL_SKIP;
	name = nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]);
	if (strcmp(name, HEY_GENL_NAME))
		return NL_SKIP;
	if (ghdr->cmd == CTRL_CMD_NEWFAMILY)
		module_probe("family appeared");
	else if (ghdr->cmd == CTRL_CMD_DELFAMILY)
		logmsg("family vanished: hey module unloaded");
	return NL_OK;
}

static struct nl_sock *ctrl_listen(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk)
		return NULL;
	if (genl_connect(sk) < 0)
		goto err;
	grp = genl_ctrl_resolve_grp(sk, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(sk, grp) < 0)
		goto err;
	/* Notifications carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_ctrl_event, NULL);
	nl_socket_set_nonblocking(sk);
	return sk;
err:
	nl_socket_free(sk);
	return NULL;
}

static int arm_poll(struct io_uring *ring, int fd, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, tag);
	return 0;
}

enum { TAG_NETLINK = 1, TAG_SIGNAL };

static int run(void)
{
	struct signalfd_siginfo si;
	struct io_uring ring;
	struct nl_sock *ctrl;
	sigset_t mask;
	int sfd, ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		return -errno;

	ctrl = ctrl_listen();
	if (!ctrl) {
		logmsg("cannot listen to generic netlink notifications");
		close(sfd);
		return -EIO;
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0) {
		logmsg("io_uring_queue_init: %s", strerror(-ret));
		goto out_ctrl;
	}
	if (!module_probe("start"))
		logmsg("start: waiting for the hey module");

	arm_poll(&ring, nl_socket_get_fd(ctrl), TAG_NETLINK);
	arm_poll(&ring, sfd, TAG_SIGNAL);
	for (;;) {
		struct io_uring_cqe *cqe;
		uint64_t tag;
		int res;

		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			logmsg("io_uring: %s", strerror(-ret));
			break;
		}
		ret = io_uring_peek_cqe(&ring, &cqe);
		if (ret)
			continue;
		tag = io_uring_cqe_get_data64(cqe);
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		if (res < 0) {
			logmsg("poll failed: %s", strerror(-res));
			ret = res;
			break;
		}
		if (tag == TAG_SIGNAL) {
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				logmsg("signal %u: exiting", si.ssi_signo);
			ret = 0;
			break;
		}
		/* Drains what is queued; nonblocking, so it ends at EAGAIN. */
		nl_recvmsgs_default(ctrl);
		arm_poll(&ring, nl_socket_get_fd(ctrl), TAG_NETLINK);
	}
	io_uring_queue_exit(&ring);
out_ctrl:
	nl_socket_free(ctrl);
	close(sfd);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: heyd [-f] [-v] [--once]\n\n"
		"  -f, --foreground  stay in the foreground (heyd always does;\n"
		"                    run it under systemd or a supervisor)\n"
		"  -v, --verbose     log more\n"
		"      --once        report the module status and exit:\n"
		"                    0 when the module answers, 1 when not\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool once = false;
	int c;

	while ((c = getopt_long(argc, argv, "fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'v':
			verbose++;
			break;
		case 'o':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (once)
		return module_probe("once") ? 0 : 1;
	return run() ? 1 : 0;
}
