// SPDX-License-Identifier: GPL-2.0
/*
 * hey_connect: the client (and echo server) the shell selftests drive.
 *
 *   hey_connect [options] ADDR PORT      connect through hey, report
 *   hey_connect -l PORT                  dual-stack echo server
 *
 * Client options:
 *   -4            use an AF_INET socket (default AF_INET6)
 *   -A            HEY_F_ANY_FAMILY
 *   -e ADDR       another endpoint to race (repeatable)
 *   -m MODE       delayed, failover or immediate
 *   -d MS, -D MS  minimum and maximum attempt delay
 *   -n            non-blocking connect, waited for with epoll
 *   -r            with -n: connect() again while racing, and after
 *   -T MS         SO_SNDTIMEO
 *   -i IF / -x IF allow only / deny this interface (repeatable)
 *   -I IF         SO_BINDTODEVICE
 *   -B PORT       bind() to this local port first
 *   -S N          after connecting, send N bytes and check the echo
 *   -o            set TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE=77, SO_MARK=42,
 *                 TCP_USER_TIMEOUT=12345 before connect() and check them after
 *   -w MS         stay connected this long before closing
 *   -P            no ULP: a plain TCP connect, for comparison
 *   -c N          TCP_SYNCNT (the leaves inherit it)
 *   -U            connect with io_uring (IORING_OP_CONNECT)
 *   -X            after connecting: getsockname, sendfile and splice
 *                 through the echo server, level-triggered epoll, and
 *                 shutdown(SHUT_WR) answered by EOF
 *   -R N          benchmark: N sequential connect()+close() (median and
 *                 CPU time printed), instead of one connection
 *   -a MS         a signal (with a handler, no SA_RESTART) after MS; on
 *                 EINTR, wait for the race with poll() and report it
 *
 * It prints "key=value" lines: connect=OK or the errno name, then the
 * HEY_INFO summary and one "leaf" line per attempt.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/hey.h>
#include <liburing.h>

#ifndef TCP_ULP
#define TCP_ULP 31
#endif

static const char *outcome_name[] = {
	[HEY_LEAF_PENDING] = "pending",
	[HEY_LEAF_RUNNING] = "running",
	[HEY_LEAF_WON] = "won",
	[HEY_LEAF_FAILED] = "failed",
	[HEY_LEAF_ABORTED] = "aborted",
};

static const char *state_name[] = {
	[HEY_STATE_IDLE] = "idle",
	[HEY_STATE_RACING] = "racing",
	[HEY_STATE_CONNECTED] = "connected",
	[HEY_STATE_FAILED] = "failed",
};

static void die(const char *what)
{
	fprintf(stderr, "hey_connect: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1000000ULL + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_sec * 1000000ULL + ru.ru_stime.tv_usec;
}

/*
 * n sequential connect()+close() to ss, each on a new socket (with the
 * hey ULP unless plain): median latency and the process's CPU time.
 */
static int repeat(int n, int family, bool plain, struct sockaddr *ss,
		  socklen_t sslen)
{
	uint64_t *lat = calloc(n, sizeof(*lat)), cpu0 = cpu_us(), t0;
	int i;

	if (!lat)
		die("calloc");
	for (i = 0; i < n; i++) {
		int fd = socket(family, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		if (!plain && setsockopt(fd, SOL_TCP, TCP_ULP, "hey", 3))
			die("TCP_ULP");
		t0 = now_us();
		if (connect(fd, ss, sslen))
			die("connect");
		lat[i] = now_us() - t0;
		close(fd);
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("repeat=%d\nmedian_us=%llu\ncpu_us=%llu\n", n,
	       (unsigned long long)lat[n / 2],
	       (unsigned long long)(cpu_us() - cpu0));
	free(lat);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static const char *errname(int err)
{
	const char *n = err ? strerrorname_np(err) : "OK";

	return n ? n : "UNKNOWN";
}

static int parse_endpoint(const char *s, struct hey_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (inet_pton(AF_INET, s, ep->addr) == 1) {
		ep->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ep->addr) == 1) {
		ep->family = AF_INET6;
		return 0;
	}
	return -1;
}

static void endpoint_str(const struct hey_endpoint *ep, char *buf, size_t len)
{
	inet_ntop(ep->family, ep->addr, buf, len);
}

static void print_info(int fd)
{
	struct hey_info info;
	socklen_t len = sizeof(info);
	unsigned int i;

	if (getsockopt(fd, SOL_HEY, HEY_INFO, &info, &len)) {
		printf("info=%s\n", errname(errno));
		return;
	}
	printf("state=%s\nleaves=%u\nwinner=%d\nconnect_us=%u\nrace_error=%s\n",
	       state_name[info.state], info.n_leaves,
	       info.winner == ~0U ? -1 : (int)info.winner, info.connect_us,
	       errname(info.error));
	for (i = 0; i < info.n_leaves && i < HEY_MAX_LEAVES; i++) {
		struct hey_leaf_info *l = &info.leaves[i];
		char addr[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";

		endpoint_str(&l->endpoint, addr, sizeof(addr));
		if_indextoname(l->ifindex, ifname);
		printf("leaf=%u addr=%s port=%u if=%s proto=%u outcome=%s error=%s start_ms=%d end_ms=%d\n",
		       i, addr, ntohs(l->endpoint.port), ifname, l->protocol,
		       outcome_name[l->outcome], errname(l->error),
		       l->start_us == ~0U ? -1 : (int)(l->start_us / 1000),
		       l->end_us == ~0U ? -1 : (int)(l->end_us / 1000));
	}
}

static int echo_server(int port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6, .sin6_port = htons(port),
	};
	int one = 1, lfd = socket(AF_INET6, SOCK_STREAM, 0);

	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 128))
		die("bind/listen");
	printf("listening\n");
	fflush(stdout);
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		static char buf[65536];
		int fd = accept(lfd, NULL, NULL);
		ssize_t n;

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(lfd);
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				if (write(fd, buf, n) != n)
					break;
			_exit(0);
		}
		close(fd);
	}
}

/* Byte o of the stream: a pattern that does not repeat within 4 GiB. */
static unsigned char pattern(uint64_t o)
{
	uint64_t x = (o + 1) * 0x9e3779b97f4a7c15ULL;

	return (unsigned char)(x >> 56);
}

/* Sends n bytes and checks that the same bytes come back, in order. */
static int exchange(int fd, long n)
{
	static unsigned char out[65536], in[65536];
	struct pollfd p = { .fd = fd };
	long sent = 0, got = 0, i;
	bool ok = true;

	while (got < n) {
		p.events = POLLIN | (sent < n ? POLLOUT : 0);
		if (poll(&p, 1, 20000) <= 0)
			return -1;
		if ((p.revents & POLLOUT) && sent < n) {
			long chunk = n - sent < (long)sizeof(out) ? n - sent :
				     (long)sizeof(out);
			ssize_t w;

			for (i = 0; i < chunk; i++)
				out[i] = pattern(sent + i);
			w = send(fd, out, chunk, MSG_DONTWAIT);
			if (w < 0 && errno != EAGAIN)
				return -1;
			if (w > 0)
				sent += w;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(fd, in, sizeof(in), MSG_DONTWAIT);

			if (r == 0)
				return -1;
			if (r < 0 && errno != EAGAIN)
				return -1;
			for (i = 0; i < r; i++)
				if (in[i] != pattern(got + i))
					ok = false;
			if (r > 0)
				got += r;
		}
	}
	printf("sent=%ld\nreceived=%ld\ncheck=%s\n", sent, got,
	       ok ? "match" : "MISMATCH");
	return ok ? 0 : -1;
}

/* Reads exactly n bytes (blocking). */
static int read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

/* What else a connected TCP socket does, on the winner. */
static int extras(int fd)
{
	static char data[65536], back[65536];
	struct epoll_event ev = { .events = EPOLLOUT };
	struct sockaddr_storage me;
	socklen_t ml = sizeof(me);
	int mfd, p[2], ep, bad = 0, i;
	ssize_t n;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (char)(i * 13);
	if (getsockname(fd, (struct sockaddr *)&me, &ml) ||
	    !((struct sockaddr_in *)&me)->sin_port) {
		printf("extra_getsockname=FAIL\n");
		bad = 1;
	}

	/* sendfile() from a memfd; the echo comes back intact */
	mfd = memfd_create("hey", 0);
	if (mfd < 0 || write(mfd, data, sizeof(data)) != sizeof(data))
		die("memfd");
	if (sendfile(fd, mfd, &(off_t){ 0 }, sizeof(data)) != sizeof(data) ||
	    read_full(fd, back, sizeof(back)) ||
	    memcmp(data, back, sizeof(data))) {
		printf("extra_sendfile=FAIL\n");
		bad = 1;
	}
	close(mfd);

	/* splice() the echo from the socket into a pipe */
	if (pipe(p) || write(fd, data, 4096) != 4096)
		die("pipe/write");
	for (n = 0; n < 4096;) {
		ssize_t r = splice(fd, NULL, p[1], NULL, 4096 - n, 0);

		if (r <= 0)
			break;
		n += r;
	}
	if (n != 4096 || read_full(p[0], back, 4096) ||
	    memcmp(data, back, 4096)) {
		printf("extra_splice=FAIL\n");
		bad = 1;
	}
	close(p[0]);
	close(p[1]);

	/* level-triggered epoll reports writability every time */
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	if (epoll_wait(ep, &ev, 1, 1000) != 1 ||
	    epoll_wait(ep, &ev, 1, 1000) != 1 || !(ev.events & EPOLLOUT)) {
		printf("extra_epoll_lt=FAIL\n");
		bad = 1;
	}
	close(ep);

	/* shutdown(SHUT_WR): the echo server sees EOF and closes */
	if (shutdown(fd, SHUT_WR) || read(fd, back, 1) != 0) {
		printf("extra_shutdown=FAIL\n");
		bad = 1;
	}
	printf("extras=%s\n", bad ? "FAIL" : "ok");
	return bad;
}

static int check_options(int fd)
{
	int v, bad = 0;
	socklen_t l = sizeof(v);

	getsockopt(fd, SOL_TCP, TCP_NODELAY, &v, &l);
	bad |= v != 1;
	getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &l);
	bad |= v != 1;
	getsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &v, &l);
	bad |= v != 77;
	getsockopt(fd, SOL_SOCKET, SO_MARK, &v, &l);
	bad |= v != 42;
	getsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &v, &l);
	bad |= v != 12345;
	printf("options=%s\n", bad ? "LOST" : "kept");
	return bad;
}

static void set_options(int fd)
{
	int one = 1, idle = 77, mark = 42, uto = 12345;

	if (setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ||
	    setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &uto, sizeof(uto)))
		die("setsockopt");
}

int main(int argc, char **argv)
{
	struct hey_endpoint eps[HEY_MAX_ENDPOINTS];
	struct hey_timing timing = {};
	struct hey_paths paths = {};
	int family = AF_INET6, n_eps = 0, flags = 0, c, fd, err = 0;
	int sndtimeo = -1, bind_port = -1, wait_ms = 0;
	bool nonblock = false, plain = false, opts = false, uring = false;
	bool again = false, extra = false;
	int syncnt = 0, alarm_ms = 0, repeat_n = 0;
	uint64_t t_start;
	const char *bind_dev = NULL;
	long exchange_bytes = 0;
	struct sockaddr_storage ss = {};
	socklen_t sslen;

	while ((c = getopt(argc, argv, "4Ae:m:d:D:nrT:i:x:I:B:S:ow:Pl:c:Ua:R:X")) != -1) {
		switch (c) {
		case 'l':
			return echo_server(atoi(optarg));
		case '4':
			family = AF_INET;
			break;
		case 'A':
			flags |= HEY_F_ANY_FAMILY;
			break;
		case 'e':
			if (n_eps == HEY_MAX_ENDPOINTS ||
			    parse_endpoint(optarg, &eps[n_eps++]))
				die("bad endpoint");
			break;
		case 'm':
			timing.mode = !strcmp(optarg, "failover") ?
				      HEY_RACE_FAILOVER :
				      !strcmp(optarg, "immediate") ?
				      HEY_RACE_IMMEDIATE : HEY_RACE_DELAYED;
			break;
		case 'd':
			timing.min_delay_ms = atoi(optarg);
			break;
		case 'D':
			timing.max_delay_ms = atoi(optarg);
			break;
		case 'n':
			nonblock = true;
			break;
		case 'r':
			again = true;
			break;
		case 'T':
			sndtimeo = atoi(optarg);
			break;
		case 'i':
		case 'x':
			paths.mode = c == 'i' ? HEY_PATHS_ALLOW : HEY_PATHS_DENY;
			paths.ifindex[paths.count++] = if_nametoindex(optarg);
			break;
		case 'I':
			bind_dev = optarg;
			break;
		case 'B':
			bind_port = atoi(optarg);
			break;
		case 'S':
			exchange_bytes = atol(optarg);
			break;
		case 'o':
			opts = true;
			break;
		case 'w':
			wait_ms = atoi(optarg);
			break;
		case 'P':
			plain = true;
			break;
		case 'c':
			syncnt = atoi(optarg);
			break;
		case 'U':
			uring = true;
			break;
		case 'a':
			alarm_ms = atoi(optarg);
			break;
		case 'R':
			repeat_n = atoi(optarg);
			break;
		case 'X':
			extra = true;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 2)
		return 2;

	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(atoi(argv[optind + 1]));
		if (inet_pton(AF_INET, argv[optind], &a->sin_addr) != 1)
			return 2;
		sslen = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		struct in_addr v4;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(atoi(argv[optind + 1]));
		if (inet_pton(AF_INET, argv[optind], &v4) == 1) {
			a->sin6_addr.s6_addr[10] = 0xff;
			a->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&a->sin6_addr.s6_addr[12], &v4, 4);
		} else if (inet_pton(AF_INET6, argv[optind], &a->sin6_addr) != 1) {
			return 2;
		}
		sslen = sizeof(*a);
	}

	if (repeat_n > 0)
		return repeat(repeat_n, family, plain, (struct sockaddr *)&ss,
			      sslen);

	fd = socket(family, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		die("socket");
	if (!plain) {
		if (setsockopt(fd, SOL_TCP, TCP_ULP, "hey", 3))
			die("TCP_ULP");
		if (flags && setsockopt(fd, SOL_HEY, HEY_FLAGS, &flags,
					sizeof(flags)))
			die("HEY_FLAGS");
		if (n_eps && setsockopt(fd, SOL_HEY, HEY_ENDPOINTS, eps,
					n_eps * sizeof(eps[0])))
			die("HEY_ENDPOINTS");
		if (setsockopt(fd, SOL_HEY, HEY_TIMING, &timing, sizeof(timing)))
			die("HEY_TIMING");
		if (paths.count && setsockopt(fd, SOL_HEY, HEY_PATHS, &paths,
					      sizeof(paths)))
			die("HEY_PATHS");
	}
	if (bind_dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bind_dev,
				   strlen(bind_dev)))
		die("SO_BINDTODEVICE");
	if (sndtimeo >= 0) {
		struct timeval tv = { sndtimeo / 1000, sndtimeo % 1000 * 1000 };

		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
			die("SO_SNDTIMEO");
	}
	if (opts)
		set_options(fd);
	if (syncnt && setsockopt(fd, SOL_TCP, TCP_SYNCNT, &syncnt,
				 sizeof(syncnt)))
		die("TCP_SYNCNT");
	if (bind_port >= 0) {
		struct sockaddr_storage b = {};
		int one = 1;

		b.ss_family = family;
		((struct sockaddr_in *)&b)->sin_port = htons(bind_port);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&b, family == AF_INET ?
			 sizeof(struct sockaddr_in) :
			 sizeof(struct sockaddr_in6)))
			die("bind");
	}

	if (alarm_ms) {
		struct sigaction sa = { .sa_handler = on_alarm };
		struct itimerval it = {
			.it_value = { alarm_ms / 1000, alarm_ms % 1000 * 1000 },
		};

		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	}
	t_start = now_us();
	if (uring) {
		struct io_uring ring;
		struct io_uring_cqe *cqe;

		if (io_uring_queue_init(4, &ring, 0))
			die("io_uring_queue_init");
		io_uring_prep_connect(io_uring_get_sqe(&ring), fd,
				      (struct sockaddr *)&ss, sslen);
		io_uring_submit(&ring);
		if (io_uring_wait_cqe(&ring, &cqe))
			die("io_uring_wait_cqe");
		err = cqe->res < 0 ? -cqe->res : 0;
		io_uring_cqe_seen(&ring, cqe);
		io_uring_queue_exit(&ring);
		printf("io_uring=%s\n", errname(err));
	} else if (connect(fd, (struct sockaddr *)&ss, sslen)) {
		err = errno;
	}
	if (err == EINTR) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		socklen_t l = sizeof(err);

		printf("interrupted=EINTR\n");
		if (connect(fd, (struct sockaddr *)&ss, sslen))
			printf("again=%s\n", errname(errno));
		if (poll(&p, 1, 60000) != 1)
			die("poll");
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l))
			die("SO_ERROR");
	}
	if (nonblock && err == EINPROGRESS) {
		struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
		int ep = epoll_create1(0);
		socklen_t l = sizeof(err);

		printf("nonblock=EINPROGRESS\n");
		if (again && connect(fd, (struct sockaddr *)&ss, sslen))
			printf("again=%s\n", errname(errno));
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		if (epoll_wait(ep, &ev, 1, 60000) != 1)
			die("epoll_wait");
		printf("epoll_events=%s%s%s\n",
		       ev.events & EPOLLOUT ? "OUT" : "",
		       ev.events & EPOLLERR ? ",ERR" : "",
		       ev.events & EPOLLHUP ? ",HUP" : "");
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l))
			die("SO_ERROR");
		if (again && !err && connect(fd, (struct sockaddr *)&ss, sslen))
			printf("after=%s\n", errname(errno));
		close(ep);
	}
	printf("connect=%s\nelapsed_us=%llu\n", errname(err),
	       (unsigned long long)(now_us() - t_start));
	if (!plain)
		print_info(fd);
	if (!err) {
		struct sockaddr_storage peer;
		char addr[INET6_ADDRSTRLEN];
		socklen_t pl = sizeof(peer);

		if (getpeername(fd, (struct sockaddr *)&peer, &pl))
			die("getpeername");
		if (peer.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr,
				  addr, sizeof(addr));
		else
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&peer)->sin6_addr,
				  addr, sizeof(addr));
		printf("peer=%s\n", addr);
		{
			struct tcp_info ti;
			socklen_t tl = sizeof(ti);

			if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl))
				die("TCP_INFO");
			printf("tcp_state=%u tcp_rtt_us=%u\n", ti.tcpi_state,
			       ti.tcpi_rtt);
		}
		if (opts && check_options(fd))
			err = -1;
		if (nonblock) {
			int fl = 0;

			ioctl(fd, FIONBIO, &fl);
		}
		t_start = now_us();
		if (exchange_bytes && exchange(fd, exchange_bytes))
			err = -1;
		if (exchange_bytes)
			printf("exchange_us=%llu\n",
			       (unsigned long long)(now_us() - t_start));
		if (extra && extras(fd))
			err = -1;
		if (wait_ms)
			usleep(wait_ms * 1000);
	}
	fflush(stdout);
	close(fd);
	return err ? 1 : 0;
}
