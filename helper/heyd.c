// SPDX-License-Identifier: GPL-2.0
/*
 * heyd: the userspace helper of hey.
 *
 * It follows the module's generic netlink family as mptcpd does: it
 * listens on nlctrl's "notify" group and, whenever the "hey" family
 * appears (at start too), loads the saved history cache into it
 * (persist.c), joins its "events" group to save the cache after changes,
 * pushes every interface's network id (netid.c) and registers as the
 * namespace's resolver of names (resolver.c); when the family vanishes
 * it waits for it to come back. SIGTERM or SIGINT save the cache and end
 * it; SIGHUP reads the configuration file again; SIGUSR1 logs what it
 * holds.
 *
 * The event loop is io_uring (liburing): a one-shot poll on each socket
 * (nlctrl, the family's events, the resolver's, rtnetlink), on the epoll
 * set of the DNS sockets, on a signalfd for SIGINT and SIGTERM, and on a
 * timerfd set to the earliest deadline (a debounced or periodic save, a
 * retry of unknown routers, a DNS timeout).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <liburing.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <linux/genetlink.h>
#include <linux/hey.h>

#include "clock.h"
#include "config.h"
#include "heap.h"
#include "heynl.h"
#include "heynl_events.h"
#include "kwargs.h"
#include "log.h"
#include "netid.h"
#include "persist.h"
#include "resolver.h"

#define DEFAULT_CACHE_FILE "/var/lib/heyd/cache"

/*
 * What a completion is for: the low byte; the completions of a socket
 * that lives while the module does (events, resolver) carry its
 * generation above it, so that one of a socket closed since is told
 * apart.
 */
enum {
	TAG_CTRL = 1, TAG_SIGNAL, TAG_TIMER, TAG_ROUTE, TAG_EVENTS,
	TAG_CANCEL, TAG_RESOLVER, TAG_DNS,
};

struct heyd;

/* A socket of the module's time, and the poll on it. */
struct watch {
	int tag;		/* TAG_EVENTS, TAG_RESOLVER */
	const char *name;	/* for the log */
	void (*ready)(struct heyd *d);	/* readable: read what is queued */
	bool open;
	int fd;
	uint64_t gen;
};

struct heyd {
	struct io_uring ring;
	struct nl_sock *ctrl;
	int sfd, tfd;
	bool netid;		/* network ids on */
	bool resolve;		/* the resolver on */
	bool up;		/* the family is there */
	struct heynl events;
	struct watch events_w, resolver_w;
	struct heyd_config cfg;
	const char *config_path;	/* read again on SIGHUP */
	bool config_optional;		/* the default file: may be missing */
};

/* Logs the module's status; returns true when the family answered. */
static bool module_probe(const char *event)
{
	struct hey_status st;
	struct heynl h;
	int ret;

	ret = heynl_open(&h);
	if (ret) {
		if (heyd_verbose || ret != -ENOENT)
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

static int arm_poll(struct heyd *d, int fd, uint64_t tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);

	if (!sqe) {
		io_uring_submit(&d->ring);
		sqe = io_uring_get_sqe(&d->ring);
	}
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, tag);
	return 0;
}

static uint64_t watch_tag(const struct watch *w)
{
	return w->tag | w->gen << 8;
}

/* A new socket of the module's time: polled under a new generation. */
static void watch_open(struct heyd *d, struct watch *w, int fd)
{
	w->open = true;
	w->fd = fd;
	w->gen++;
	arm_poll(d, fd, watch_tag(w));
}

/* Before its socket is closed: the poll holds it, cancel it first. */
static void watch_close(struct heyd *d, struct watch *w)
{
	struct io_uring_sqe *sqe;

	if (!w->open)
		return;
	sqe = io_uring_get_sqe(&d->ring);
	if (sqe) {
		io_uring_prep_poll_remove(sqe, watch_tag(w));
		io_uring_sqe_set_data64(sqe, TAG_CANCEL);
		io_uring_submit(&d->ring);
	}
	w->open = false;
}

/* Whether a completion is of the watch's current socket. */
static bool watch_current(const struct watch *w, uint64_t tag)
{
	return w->open && tag == watch_tag(w);
}

/* Joins the family's events: the cache's changes make a save due. */
static void events_open(struct heyd *d)
{
	int ret = heynl_open(&d->events);

	if (!ret) {
		ret = heynl_events_join(&d->events);
		if (ret)
			heynl_close(&d->events);
	}
	if (ret) {
		logmsg("events: cannot join: %s (saves are periodic only)",
		       strerror(-ret));
		return;
	}
	watch_open(d, &d->events_w, heynl_events_fd(&d->events));
}

static void events_close(struct heyd *d)
{
	if (!d->events_w.open)
		return;
	watch_close(d, &d->events_w);
	heynl_close(&d->events);
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));

	(void)arg;
	if (ghdr->cmd == HEY_CMD_CACHE_CHANGED)
		persist_changed();
	return 0;
}

static void events_read(struct heyd *d)
{
	int ret = heynl_events_read(&d->events, on_event, NULL);

	/* events lost: something changed */
	if (ret == -ENOBUFS)
		persist_changed();
	else if (ret)
		logmsg("events: %s", strerror(-ret));
}

static void resolver_read(struct heyd *d)
{
	(void)d;
	resolver_nl_ready();
}

/* Registers as the resolver: names are resolved while the socket lives. */
static void resolver_open(struct heyd *d)
{
	if (!resolver_module_up())
		watch_open(d, &d->resolver_w, resolver_nl_fd());
}

static void resolver_close(struct heyd *d)
{
	watch_close(d, &d->resolver_w);
	resolver_module_down();
}

static void module_up(struct heyd *d, const char *event)
{
	if (!module_probe(event))
		return;
	d->up = true;
	persist_module_up();
	events_open(d);
	if (d->resolve)
		resolver_open(d);
	if (d->netid)
		netid_module_up();
}

static void module_down(struct heyd *d)
{
	d->up = false;
	persist_module_down();
	events_close(d);
	if (d->resolve)
		resolver_close(d);
	if (d->netid)
		netid_module_down();
}

static int on_ctrl_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));
	struct heyd *d = arg;
	const char *name;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return NL_SKIP;
	name = nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]);
	if (strcmp(name, HEY_GENL_NAME))
		return NL_SKIP;
	if (ghdr->cmd == CTRL_CMD_NEWFAMILY) {
		if (d->up)
			module_down(d);
		module_up(d, "family appeared");
	} else if (ghdr->cmd == CTRL_CMD_DELFAMILY) {
		logmsg("family vanished: hey module unloaded");
		module_down(d);
	}
	return NL_OK;
}

static struct nl_sock *ctrl_listen(struct heyd *d)
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
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_ctrl_event, d);
	nl_socket_set_nonblocking(sk);
	return sk;
err:
	nl_socket_free(sk);
	return NULL;
}

/* The timerfd at the earliest deadline, or disarmed. */
static void timer_set(struct heyd *d)
{
	int64_t at = persist_deadline();
	struct itimerspec its = { 0 };

	if (d->netid)
		at = deadline_min(at, netid_deadline());
	if (d->resolve)
		at = deadline_min(at, resolver_deadline());
	if (at >= 0) {
		/* 0 would disarm: a deadline already past fires at once */
		if (at < 1)
			at = 1;
		its.it_value.tv_sec = at / 1000;
		its.it_value.tv_nsec = (at % 1000) * 1000000;
	}
	timerfd_settime(d->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void timer_fired(struct heyd *d)
{
	uint64_t n;
	int64_t now = now_ms();

	if (read(d->tfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		logmsg("timer: %s", strerror(errno));
	persist_tick(now);
	if (d->netid)
		netid_tick(now);
	/* registered at last: the other resolver went */
	if (d->resolve && resolver_tick(now) && d->up)
		watch_open(d, &d->resolver_w, resolver_nl_fd());
	arm_poll(d, d->tfd, TAG_TIMER);
}

static int setup(struct heyd *d)
{
	sigset_t mask;
	int ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sfd < 0)
		return -errno;
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->tfd < 0)
		return -errno;
	d->ctrl = ctrl_listen(d);
	if (!d->ctrl) {
		logmsg("cannot listen to generic netlink notifications");
		return -EIO;
	}
	if (d->netid && netid_init())
		return -EIO;
	if (d->resolve) {
		ret = resolver_init(&d->cfg);
		if (ret) {
			logmsg("resolve: epoll: %s", strerror(-ret));
			return ret;
		}
	}
	ret = io_uring_queue_init(32, &d->ring, 0);
	if (ret < 0) {
		logmsg("io_uring_queue_init: %s", strerror(-ret));
		return ret;
	}
	arm_poll(d, nl_socket_get_fd(d->ctrl), TAG_CTRL);
	arm_poll(d, d->sfd, TAG_SIGNAL);
	arm_poll(d, d->tfd, TAG_TIMER);
	if (d->netid)
		arm_poll(d, netid_fd(), TAG_ROUTE);
	if (d->resolve)
		arm_poll(d, resolver_dns_fd(), TAG_DNS);
	return 0;
}

/*
 * SIGUSR1: what heyd holds, for an operator and for heyd.sh's bound on
 * it. The heap count is the allocator's (heap.h): unlike the resident
 * size, neither ASan's quarantine nor huge pages move it.
 */
static void log_memory(struct heyd *d)
{
	struct resolver_stats st = { 0 };

	if (d->resolve)
		resolver_stats(&st);
	logmsg("memory: %d requests, %d paths, %lu cached answers "
	       "(%zu bytes), heap %zu bytes in use", st.requests, st.paths,
	       st.cache_entries, st.cache_bytes, heap_in_use());
}

/*
 * SIGHUP: the configuration file read again. A file with an error is
 * logged (file: line N: why) and changes nothing. Else it replaces the
 * settings at once (rs.cfg is d->cfg: max-requests applies to the next
 * request), and the DNS channels are made again with the new servers,
 * timeout and tries, each once its lookups under way have ended
 * (resolver_reconfigure()). The command line's options are not the
 * file's: they stay.
 */
static void config_reload(struct heyd *d)
{
	struct heyd_config c;
	char err[CONFIG_ERR_LEN];

	if (config_load(d->config_path, d->config_optional, &c, err)) {
		logmsg("reload: %s: the configuration stays as it was", err);
		return;
	}
	if (d->resolve) {
		struct resolver_stats st;

		resolver_stats(&st);
		if (st.requests > c.max_requests)
			logmsg("reload: %d requests under way, above "
			       "max-requests %d: they go on", st.requests,
			       c.max_requests);
	}
	d->cfg = c;
	if (d->resolve)
		resolver_reconfigure();
	logmsg("reload: %s: %d dns lines, dns-timeout %d ms, dns-tries %d, "
	       "max-requests %d (options of the command line unchanged)",
	       d->config_path, c.ndns, c.dns_timeout_ms, c.dns_tries,
	       c.max_requests);
}

/* One completion: false when heyd is to end, with *ret its status. */
static bool handle(struct heyd *d, uint64_t tag, int res, int *ret)
{
	struct signalfd_siginfo si;

	if ((tag & 0xff) == TAG_CANCEL)
		return true;
	for (int i = 0; i < 2; i++) {
		struct watch *w = i ? &d->resolver_w : &d->events_w;

		if ((tag & 0xff) != (uint64_t)w->tag)
			continue;
		/* a socket closed since, or cancelled */
		if (!watch_current(w, tag))
			return true;
		if (res < 0) {
			logmsg("%s: poll failed: %s", w->name, strerror(-res));
			return true;
		}
		w->ready(d);
		arm_poll(d, w->fd, watch_tag(w));
		return true;
	}
	if (res < 0) {
		logmsg("poll failed: %s", strerror(-res));
		*ret = res;
		return false;
	}
	switch (tag) {
	case TAG_SIGNAL:
		if (read(d->sfd, &si, sizeof(si)) == sizeof(si) &&
		    (si.ssi_signo == SIGUSR1 || si.ssi_signo == SIGHUP)) {
			if (si.ssi_signo == SIGUSR1)
				log_memory(d);
			else
				config_reload(d);
			arm_poll(d, d->sfd, TAG_SIGNAL);
			return true;
		}
		logmsg("signal %u: exiting", si.ssi_signo);
		persist_save("exit");
		*ret = 0;
		return false;
	case TAG_CTRL:
		/* Drains what is queued; nonblocking, so it ends at EAGAIN. */
		nl_recvmsgs_default(d->ctrl);
		arm_poll(d, nl_socket_get_fd(d->ctrl), TAG_CTRL);
		return true;
	case TAG_ROUTE:
		netid_data_ready();
		arm_poll(d, netid_fd(), TAG_ROUTE);
		return true;
	case TAG_TIMER:
		timer_fired(d);
		return true;
	case TAG_DNS:
		resolver_dns_ready();
		arm_poll(d, resolver_dns_fd(), TAG_DNS);
		return true;
	}
	return true;
}

static int run(struct heyd *d)
{
	int ret;

	ret = setup(d);
	if (ret)
		return ret;
	module_up(d, "start");
	if (!d->up)
		logmsg("start: waiting for the hey module");
	for (;;) {
		struct io_uring_cqe *cqe;
		uint64_t tag;
		int res;

		timer_set(d);
		ret = io_uring_submit_and_wait(&d->ring, 1);
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			logmsg("io_uring: %s", strerror(-ret));
			break;
		}
		ret = 0;
		while (!io_uring_peek_cqe(&d->ring, &cqe)) {
			tag = io_uring_cqe_get_data64(cqe);
			res = cqe->res;
			io_uring_cqe_seen(&d->ring, cqe);
			if (!handle(d, tag, res, &ret))
				goto out;
		}
		/* what the events did to c-ares' sockets */
		if (d->resolve)
			resolver_sync();
	}
out:
	if (d->resolve)
		resolver_exit();
	io_uring_queue_exit(&d->ring);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: heyd [-f] [-v] [--once] [--config FILE]\n"
		"            [--cache-file PATH|--no-cache-file] [--save-delay S]\n"
		"            [--save-interval S] [--no-network-ids] [--no-resolve]\n\n"
		"  -f, --foreground        stay in the foreground (heyd always does;\n"
		"                          run it under systemd or a supervisor)\n"
		"  -v, --verbose           log more\n"
		"      --once              report the module status and exit:\n"
		"                          0 when the module answers, 1 when not\n"
		"      --config FILE       the configuration file\n"
		"                          (" CONFIG_DEFAULT_FILE ", if there)\n"
		"      --cache-file PATH   where the history cache is kept\n"
		"                          (" DEFAULT_CACHE_FILE ")\n"
		"      --no-cache-file     neither load nor save the cache\n"
		"      --save-delay S      save at most S seconds after a change (5)\n"
		"      --save-interval S   and every S seconds, 0 never (60)\n"
		"      --no-network-ids    leave the interfaces' network ids alone\n"
		"      --no-resolve        do not resolve names for the kernel\n");
}

/* A number of seconds, at most a day, as milliseconds. */
static int seconds_opt(const char *name, const char *s, unsigned int *ms)
{
	uint64_t v;

	if (args_u64(s, 86400, &v)) {
		fprintf(stderr, "heyd: %s '%s': seconds, 0 to 86400\n", name,
			s);
		return -EINVAL;
	}
	*ms = v * 1000;
	return 0;
}

enum {
	OPT_ONCE = 256, OPT_CACHE_FILE, OPT_NO_CACHE_FILE, OPT_SAVE_DELAY,
	OPT_SAVE_INTERVAL, OPT_NO_NETID, OPT_CONFIG, OPT_NO_RESOLVE,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "cache-file", required_argument, NULL, OPT_CACHE_FILE },
		{ "no-cache-file", no_argument, NULL, OPT_NO_CACHE_FILE },
		{ "save-delay", required_argument, NULL, OPT_SAVE_DELAY },
		{ "save-interval", required_argument, NULL, OPT_SAVE_INTERVAL },
		{ "no-network-ids", no_argument, NULL, OPT_NO_NETID },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-resolve", no_argument, NULL, OPT_NO_RESOLVE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct persist_config pc = {
		.path = DEFAULT_CACHE_FILE,
		.save_delay_ms = 5000,
		.interval_ms = 60000,
	};
	static struct heyd d = {
		.netid = true, .resolve = true, .sfd = -1, .tfd = -1,
		.events_w = { .tag = TAG_EVENTS, .name = "events",
			      .ready = events_read },
		.resolver_w = { .tag = TAG_RESOLVER, .name = "resolve",
				.ready = resolver_read },
	};
	const char *config = NULL;
	char err[CONFIG_ERR_LEN];
	bool once = false;
	int c;

	while ((c = getopt_long(argc, argv, "fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'v':
			heyd_verbose++;
			break;
		case OPT_ONCE:
			once = true;
			break;
		case OPT_CACHE_FILE:
			if (!optarg[0]) {
				fprintf(stderr, "heyd: --cache-file: a path\n");
				return 2;
			}
			pc.path = optarg;
			break;
		case OPT_NO_CACHE_FILE:
			pc.path = NULL;
			break;
		case OPT_SAVE_DELAY:
			if (seconds_opt("--save-delay", optarg,
					&pc.save_delay_ms))
				return 2;
			break;
		case OPT_SAVE_INTERVAL:
			if (seconds_opt("--save-interval", optarg,
					&pc.interval_ms))
				return 2;
			break;
		case OPT_NO_NETID:
			d.netid = false;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_NO_RESOLVE:
			d.resolve = false;
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
	/* the default file is optional; one named must be there */
	d.config_path = config ? config : CONFIG_DEFAULT_FILE;
	d.config_optional = !config;
	if (config_load(d.config_path, d.config_optional, &d.cfg, err)) {
		fprintf(stderr, "heyd: %s\n", err);
		return 2;
	}
	if (once)
		return module_probe("once") ? 0 : 1;
	persist_init(&pc);
	return run(&d) ? 1 : 0;
}
