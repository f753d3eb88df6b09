// SPDX-License-Identifier: GPL-2.0
/*
 * hey_connect: the client (and echo server) the shell selftests and the
 * benchmarks drive.
 *
 *   hey_connect [options] ADDR PORT      connect through hey, report
 *   hey_connect [-k tcp|sctp] -l PORT    dual-stack echo server
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
 *   -P            no ULP: a plain socket, for comparison: TCP, or a
 *                 one-to-one SCTP socket when -p names sctp first
 *   -c N          TCP_SYNCNT (the leaves inherit it)
 *   -U            connect with io_uring (IORING_OP_CONNECT)
 *   -X            after connecting: getsockname, sendfile and splice
 *                 through the echo server, level-triggered epoll, and
 *                 shutdown(SHUT_WR) answered by EOF (not with -E or -F)
 *   -R N          benchmark: N sequential connections, each on a new
 *                 socket, closed at once (median time to connect and CPU
 *                 time printed); with -E or -F, request/response: each
 *                 one's echo is read and checked, and the median time from
 *                 connect()/sendto() to the echo's first byte printed
 *   -V            with -R (TCP, no early data): N pairs of connections,
 *                 one plain and one through hey, in turn (which goes first
 *                 alternates), so that a slow spell of the machine falls on
 *                 both; prints median_us and plain_median_us (connect()),
 *                 and cpu_us and plain_cpu_us: the process's CPU time over
 *                 socket(), options, connect() and close(), summed per kind
 *   -a MS         a signal (with a handler, no SA_RESTART) after MS; on
 *                 EINTR, wait for the race with poll() and report it
 *   -p LIST       HEY_PROTOCOLS: a comma list of tcp, tfo and sctp (or
 *                 numbers, to try the kernel's validation), most
 *                 preferred first
 *   -Q PORT       HEY_PROTOCOLS sctp_port
 *   -E N          N bytes of early data, set with HEY_EARLY_DATA before
 *                 connect(); with -P, written right after connect()
 *   -F N          instead of connect(), sendto(MSG_FASTOPEN) of N bytes of
 *                 early data (with -P: the kernel's own TFO client); what
 *                 it did not take is written once connected
 *   -Y            HEY_F_IDEMPOTENT
 *   -H NAME       HEY_HOST: connect to NAME, resolved per path by the
 *                 registered resolver (heyd); ADDR only gives connect()'s
 *                 family (:: or 0.0.0.0) and PORT the port
 *   -N PORT       when a blocking connect() fails, print its errno as
 *                 first= and connect() the same socket again, to PORT
 *
 * Once connected it also prints same_sock=yes|no: whether the socket is
 * the very one it made (SO_COOKIE before connect() and after), as when
 * a race of one ran on the application's own socket, not a graft.
 *
 * It prints "key=value" lines: connect=OK or the errno name, then the
 * HEY_INFO summary and one "leaf" line per attempt. Early data is the
 * start of the stream -S continues, so with -E or -F the echo is checked
 * as one stream: early data, the -S bytes, then nothing more (echo=OK).
 *
 * The server echoes every connection of a TCP listener (with TFO) and,
 * when the kernel has SCTP, of a one-to-one SCTP listener on the same
 * port (-k keeps one of them). It prints "listening tcp=0|1 sctp=0|1",
 * then a line per connection when it ends:
 *   conn proto=tcp|sctp peer=ADDR port=N syn_data=0|1 bytes=N end=EOF|ERRNO
 * where syn_data is TCP_INFO's TCPI_OPT_SYN_DATA (the SYN carried data
 * the server took) and bytes what it echoed.
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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

static const char *const proto_name[__HEY_PROTO_MAX] = {
	[HEY_PROTO_TCP] = "tcp",
	[HEY_PROTO_TFO] = "tfo",
	[HEY_PROTO_SCTP] = "sctp",
};

static const struct {
	unsigned int flag;
	const char *name;
} leaf_flag_names[] = {
	{ HEY_LEAF_F_SYN_DATA, "syn_data" },
	{ HEY_LEAF_F_SYN_DATA_ACKED, "acked" },
	{ HEY_LEAF_F_COOKIE_REQ, "cookie_req" },
	{ HEY_LEAF_F_TFO_NEGATIVE, "negative" },
};

/* What the client options ask for; every socket of a -R run gets it. */
static struct {
	int family;
	struct hey_endpoint eps[HEY_MAX_ENDPOINTS];
	int n_eps;
	int flags;
	struct hey_timing timing;
	struct hey_paths paths;
	struct hey_protocols protos;
	bool set_protos;
	const char *bind_dev;
	int sndtimeo, bind_port, syncnt;
	bool nonblock, plain, opts;
	long early_n;		/* -E */
	long fastopen_n;	/* -F */
	const char *host;	/* -H */
	unsigned char *early;	/* the early data: the stream's first bytes */
	struct sockaddr_storage ss;
	socklen_t sslen;
} cfg = {
	.family = AF_INET6,
	.sndtimeo = -1,
	.bind_port = -1,
};

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "hey_connect: %s: %s\n", what, strerror(errno));
	exit(2);
}

static const char *errname(int err)
{
	const char *n = err ? strerrorname_np(err) : "OK";

	return n ? n : "UNKNOWN";
}

/*
 * setsockopt() or exit: on stdout, so that a test can assert which
 * option the kernel refused and with which errno.
 */
static void setopt(int fd, int level, int name, const void *val,
		   socklen_t len, const char *what)
{
	if (setsockopt(fd, level, name, val, len)) {
		printf("setsockopt=%s:%s\n", what, errname(errno));
		fflush(stdout);
		exit(2);
	}
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

static uint64_t median(uint64_t *v, int n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static uint64_t cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1000000ULL + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_sec * 1000000ULL + ru.ru_stime.tv_usec;
}

/* Byte o of the stream: a pattern that does not repeat within 4 GiB. */
static unsigned char pattern(uint64_t o)
{
	uint64_t x = (o + 1) * 0x9e3779b97f4a7c15ULL;

	return (unsigned char)(x >> 56);
}

static const char *proto_str(unsigned int p, char *buf, size_t len)
{
	if (p < __HEY_PROTO_MAX && proto_name[p])
		return proto_name[p];
	snprintf(buf, len, "%u", p);
	return buf;
}

/*
 * "-p tcp,sctp" into struct hey_protocols. Numbers pass through, and a
 * list longer than the array sets count anyway: the kernel's validation
 * is what a test wants to see then.
 */
static int parse_protocols(const char *list, struct hey_protocols *hp)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0;

	if (!copy)
		die("strdup");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), n++) {
		unsigned long v = 0;
		bool named = false;
		char *end;
		int i;

		for (i = 0; i < __HEY_PROTO_MAX; i++) {
			if (proto_name[i] && !strcmp(tok, proto_name[i])) {
				v = i;
				named = true;
			}
		}
		if (!named) {
			v = strtoul(tok, &end, 0);
			if (*end || v > 255) {
				free(copy);
				return -1;
			}
		}
		if (n < HEY_MAX_PROTOCOLS)
			hp->order[n] = v;
	}
	free(copy);
	hp->count = n;
	return n ? 0 : -1;
}

static void leaf_flags_str(unsigned int f, char *buf, size_t len)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(leaf_flag_names); i++) {
		if (!(f & leaf_flag_names[i].flag))
			continue;
		f &= ~leaf_flag_names[i].flag;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "", leaf_flag_names[i].name);
	}
	if (f)
		used += snprintf(buf + used, len - used, "%s0x%x",
				 used ? "," : "", f);
	if (!used)
		snprintf(buf, len, "-");
}

static int so_protocol(int fd)
{
	int proto = 0;
	socklen_t l = sizeof(proto);

	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l))
		return -1;
	return proto;
}

/* The early data the application still writes once connected, from. */
static long early_owed_from(long taken)
{
	if (cfg.fastopen_n)
		return taken;
	/* hey sends HEY_EARLY_DATA itself; a plain socket has no such thing */
	return cfg.plain ? 0 : cfg.early_n;
}

static long early_total(void)
{
	return cfg.early_n ? cfg.early_n : cfg.fastopen_n;
}

/* Writes early data bytes [from, to) (blocking). */
static int send_early(int fd, long from, long to)
{
	while (from < to) {
		ssize_t w = send(fd, cfg.early + from, to - from, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		from += w;
	}
	return 0;
}

/* A socket with everything the options ask for set, not yet connected. */
static int make_socket(void)
{
	int proto = 0, fd;

	if (cfg.plain && cfg.protos.count &&
	    cfg.protos.order[0] == HEY_PROTO_SCTP)
		proto = IPPROTO_SCTP;
	fd = socket(cfg.family,
		    SOCK_STREAM | (cfg.nonblock ? SOCK_NONBLOCK : 0), proto);
	if (fd < 0)
		die("socket");
	if (!cfg.plain) {
		setopt(fd, SOL_TCP, TCP_ULP, "hey", 3, "TCP_ULP");
		if (cfg.flags)
			setopt(fd, SOL_HEY, HEY_FLAGS, &cfg.flags,
			       sizeof(cfg.flags), "HEY_FLAGS");
		if (cfg.n_eps)
			setopt(fd, SOL_HEY, HEY_ENDPOINTS, cfg.eps,
			       cfg.n_eps * sizeof(cfg.eps[0]), "HEY_ENDPOINTS");
		if (cfg.host)
			setopt(fd, SOL_HEY, HEY_HOST, cfg.host,
			       strlen(cfg.host), "HEY_HOST");
		/* zeros are the defaults: -R's overhead figure stays lean */
		if (cfg.timing.mode || cfg.timing.min_delay_ms ||
		    cfg.timing.max_delay_ms)
			setopt(fd, SOL_HEY, HEY_TIMING, &cfg.timing,
			       sizeof(cfg.timing), "HEY_TIMING");
		if (cfg.paths.count)
			setopt(fd, SOL_HEY, HEY_PATHS, &cfg.paths,
			       sizeof(cfg.paths), "HEY_PATHS");
		if (cfg.set_protos)
			setopt(fd, SOL_HEY, HEY_PROTOCOLS, &cfg.protos,
			       sizeof(cfg.protos), "HEY_PROTOCOLS");
		if (cfg.early_n)
			setopt(fd, SOL_HEY, HEY_EARLY_DATA, cfg.early,
			       cfg.early_n, "HEY_EARLY_DATA");
	}
	if (cfg.bind_dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
				       cfg.bind_dev, strlen(cfg.bind_dev)))
		die("SO_BINDTODEVICE");
	if (cfg.sndtimeo >= 0) {
		struct timeval tv = { cfg.sndtimeo / 1000,
				      cfg.sndtimeo % 1000 * 1000 };

		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
			die("SO_SNDTIMEO");
	}
	if (cfg.opts) {
		int one = 1, idle = 77, mark = 42, uto = 12345;

		if (setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)) ||
		    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
		    setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
		    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ||
		    setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &uto, sizeof(uto)))
			die("setsockopt");
	}
	if (cfg.syncnt && setsockopt(fd, SOL_TCP, TCP_SYNCNT, &cfg.syncnt,
				     sizeof(cfg.syncnt)))
		die("TCP_SYNCNT");
	if (cfg.bind_port >= 0) {
		struct sockaddr_storage b = {};
		int one = 1;

		b.ss_family = cfg.family;
		((struct sockaddr_in *)&b)->sin_port = htons(cfg.bind_port);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&b, cfg.family == AF_INET ?
			 sizeof(struct sockaddr_in) :
			 sizeof(struct sockaddr_in6)))
			die("bind");
	}
	return fd;
}

/* What the kernel kept of the new options: read back, before connect(). */
static void report_options(int fd)
{
	if (cfg.plain)
		return;
	if (cfg.set_protos) {
		struct hey_protocols hp = {};
		socklen_t l = sizeof(hp);
		char list[64] = "-", num[8];
		size_t used = 0;
		int i;

		if (getsockopt(fd, SOL_HEY, HEY_PROTOCOLS, &hp, &l)) {
			printf("protocols=%s\n", errname(errno));
		} else {
			for (i = 0; i < hp.count && i < HEY_MAX_PROTOCOLS; i++)
				used += snprintf(list + used, sizeof(list) - used,
						 "%s%s", i ? "," : "",
						 proto_str(hp.order[i], num,
							   sizeof(num)));
			printf("protocols=%s\nsctp_port=%u\n", list,
			       ntohs(hp.sctp_port));
		}
	}
	if (cfg.early_n) {
		static unsigned char back[HEY_MAX_EARLY_DATA + 1];
		socklen_t l = sizeof(back);

		if (getsockopt(fd, SOL_HEY, HEY_EARLY_DATA, back, &l))
			printf("early_get=%s\n", errname(errno));
		else
			printf("early_get=%s\n", (long)l == cfg.early_n &&
			       !memcmp(back, cfg.early, l) ? "OK" : "BAD");
	}
}

/*
 * Starts the connection (blocking socket) and waits for it: connect(), or
 * with -F sendto(MSG_FASTOPEN), whose return value goes to *taken. 0 or
 * the errno. A plain socket with -E then writes its early data, as an
 * application without TFO would.
 */
static int start(int fd, long *taken)
{
	*taken = 0;
	if (cfg.fastopen_n) {
		ssize_t r = sendto(fd, cfg.early, cfg.fastopen_n,
				   MSG_FASTOPEN | MSG_NOSIGNAL,
				   (struct sockaddr *)&cfg.ss, cfg.sslen);

		if (r < 0)
			return errno;
		*taken = r;
		return 0;
	}
	if (connect(fd, (struct sockaddr *)&cfg.ss, cfg.sslen))
		return errno;
	return 0;
}

/* The echo read so far: how much, where it first differed, how it ended. */
struct echo {
	long got;
	long bad_at;		/* -1: every byte as expected */
	int end;		/* 0: EOF, else the errno that ended it */
	uint64_t t_first;	/* now_us() when the first byte came, 0: none */
};

/*
 * Reads the rest of the echo of a stream of total bytes, then shuts our
 * side down and reads to the end: a byte past total is one the server
 * got twice. The whole echo is read before the shutdown because SCTP has
 * no half-close: once our SHUTDOWN reaches the server it may send nothing
 * more. And the end of an SCTP association we shut down is only seen by
 * a blocking recv(), as ENOTCONN: the socket never polls readable then
 * (only the side that receives a SHUTDOWN gets RCV_SHUTDOWN). Hence
 * blocking reads, bounded by SO_RCVTIMEO.
 */
static bool read_echo(int fd, long total, struct echo *e)
{
	static unsigned char in[65536];
	struct timeval tv = { .tv_sec = 20 };
	bool shut = false, sctp = so_protocol(fd) == IPPROTO_SCTP;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	for (;;) {
		ssize_t r, i;

		if (e->got >= total && !shut) {
			if (shutdown(fd, SHUT_WR)) {
				e->end = errno;
				break;
			}
			shut = true;
		}
		r = recv(fd, in, sizeof(in), 0);
		if (r == 0) {
			e->end = 0;
			break;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e->end = errno == EAGAIN ? ETIMEDOUT : errno;
			break;
		}
		if (!e->t_first)
			e->t_first = now_us();
		for (i = 0; i < r && e->bad_at < 0; i++)
			if (e->got + i >= total || in[i] != pattern(e->got + i))
				e->bad_at = e->got + i;
		e->got += r;
	}
	return e->got == total && e->bad_at < 0 &&
	       (e->end == 0 || (sctp && e->end == ENOTCONN));
}

/* How a -R run's connection went: the winner's protocol, its SYN data. */
static void tally(int fd, int *wins, int *acked)
{
	const struct hey_leaf_info *l;
	struct hey_info info;
	socklen_t len = sizeof(info);

	if (cfg.plain) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);

		if (so_protocol(fd) == IPPROTO_SCTP) {
			wins[HEY_PROTO_SCTP]++;
			return;
		}
		wins[cfg.fastopen_n ? HEY_PROTO_TFO : HEY_PROTO_TCP]++;
		if (!getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl) &&
		    (ti.tcpi_options & TCPI_OPT_SYN_DATA))
			(*acked)++;
		return;
	}
	if (getsockopt(fd, SOL_HEY, HEY_INFO, &info, &len) ||
	    info.winner >= HEY_MAX_LEAVES)
		return;
	l = &info.leaves[info.winner];
	if (l->protocol < __HEY_PROTO_MAX)
		wins[l->protocol]++;
	if (l->flags & HEY_LEAF_F_SYN_DATA_ACKED)
		(*acked)++;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* What -V measured of one kind of socket, plain or through hey. */
struct versus_kind {
	uint64_t *lat;		/* connect() times of those that connected */
	int n;
	uint64_t cpu_ns;	/* socket() to close(), all of them */
};

/* One connection of a -V pair; a failed one counts for CPU time only. */
static int versus_one(bool plain, struct versus_kind *k)
{
	uint64_t c0 = cpu_ns(), t0, lat;
	long taken;
	int fd, err;

	cfg.plain = plain;
	fd = make_socket();
	t0 = now_us();
	err = start(fd, &taken);
	lat = now_us() - t0;
	close(fd);
	k->cpu_ns += cpu_ns() - c0;
	if (!err)
		k->lat[k->n++] = lat;
	return err;
}

/*
 * -R N -V: a plain connection and one through hey, N times, in turn (which
 * goes first alternates). The emulated CPU of the test VM slows down and
 * speeds up by a third over seconds; medians of two runs one after the
 * other compare those spells more than the two kinds of socket.
 */
static int versus(int n)
{
	struct versus_kind k[2] = {};	/* [0] hey, [1] plain */
	int i, j, failed = 0;

	for (j = 0; j < 2; j++) {
		k[j].lat = calloc(n, sizeof(*k[j].lat));
		if (!k[j].lat)
			die("calloc");
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < 2; j++) {
			bool plain = (i + j) & 1;

			failed += !!versus_one(plain, &k[plain]);
		}
	printf("versus=%d\nfailed=%d\nmedian_us=%llu\nplain_median_us=%llu\n"
	       "cpu_us=%llu\nplain_cpu_us=%llu\n", n, failed,
	       (unsigned long long)median(k[0].lat, k[0].n),
	       (unsigned long long)median(k[1].lat, k[1].n),
	       (unsigned long long)(k[0].cpu_ns / 1000),
	       (unsigned long long)(k[1].cpu_ns / 1000));
	for (j = 0; j < 2; j++)
		free(k[j].lat);
	return failed ? 1 : 0;
}

/*
 * n sequential connections, each on a new socket with every option set:
 * median time to connect (connect() or sendto() returning) and the
 * process's CPU time. With early data, request/response: the echo is read
 * and checked as read_echo() does, and the time from the start to its
 * first byte is what counts. Failed races are counted, not fatal, so that
 * a stress run can go on.
 */
static int repeat(int n)
{
	uint64_t *lat = calloc(n, sizeof(*lat)), *rr = calloc(n, sizeof(*rr));
	int i, won = 0, failed = 0, n_rr = 0, bad = 0, acked = 0;
	int wins[__HEY_PROTO_MAX] = {};
	long early = early_total();
	uint64_t cpu0 = cpu_us();

	if (!lat || !rr)
		die("calloc");
	for (i = 0; i < n; i++) {
		int fd = make_socket(), err;
		uint64_t t0 = now_us();
		long taken;

		err = start(fd, &taken);
		if (err) {
			failed++;
			close(fd);
			continue;
		}
		lat[won++] = now_us() - t0;
		tally(fd, wins, &acked);
		if (early) {
			struct echo e = { .bad_at = -1 };

			if (send_early(fd, early_owed_from(taken), early) ||
			    !read_echo(fd, early, &e))
				bad++;
			else
				rr[n_rr++] = e.t_first - t0;
		}
		close(fd);
	}
	printf("repeat=%d\nwon=%d\nfailed=%d\nmedian_us=%llu\n", n, won,
	       failed, (unsigned long long)median(lat, won));
	if (early)
		printf("rr_median_us=%llu\necho_bad=%d\n",
		       (unsigned long long)median(rr, n_rr), bad);
	for (i = 1; i < __HEY_PROTO_MAX; i++)
		printf("won_%s=%d\n", proto_name[i], wins[i]);
	printf("syn_data_acked=%d\ncpu_us=%llu\n", acked,
	       (unsigned long long)(cpu_us() - cpu0));
	free(lat);
	free(rr);
	return failed || bad ? 1 : 0;
}

static void on_alarm(int sig)
{
	(void)sig;
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
	char num[8];
	unsigned int i;

	if (getsockopt(fd, SOL_HEY, HEY_INFO, &info, &len)) {
		printf("info=%s\n", errname(errno));
		return;
	}
	printf("state=%s\nleaves=%u\nwinner=%d\nconnect_us=%u\nrace_error=%s\n",
	       state_name[info.state], info.n_leaves,
	       info.winner == ~0U ? -1 : (int)info.winner, info.connect_us,
	       errname(info.error));
	printf("winner_proto=%s\nearly_data=%u\n",
	       info.winner < HEY_MAX_LEAVES ?
	       proto_str(info.leaves[info.winner].protocol, num, sizeof(num)) :
	       "-", info.early_data);
	for (i = 0; i < info.n_leaves && i < HEY_MAX_LEAVES; i++) {
		struct hey_leaf_info *l = &info.leaves[i];
		char addr[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";
		char flags[64];

		endpoint_str(&l->endpoint, addr, sizeof(addr));
		if_indextoname(l->ifindex, ifname);
		leaf_flags_str(l->flags, flags, sizeof(flags));
		printf("leaf=%u addr=%s port=%u if=%s proto=%s outcome=%s error=%s start_ms=%d end_ms=%d flags=%s\n",
		       i, addr, ntohs(l->endpoint.port), ifname,
		       proto_str(l->protocol, num, sizeof(num)),
		       outcome_name[l->outcome], errname(l->error),
		       l->start_us == ~0U ? -1 : (int)(l->start_us / 1000),
		       l->end_us == ~0U ? -1 : (int)(l->end_us / 1000), flags);
	}
}

/* Writes all of buf (blocking); the peer may be gone: no SIGPIPE. */
static int write_full(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

/*
 * One connection of the echo server, in a child of its own: echo until
 * the peer is done, then one line about it. syn_data is read at once:
 * it says what the handshake did.
 */
static _Noreturn void serve(int fd, int proto)
{
	static char buf[65536];
	struct sockaddr_storage peer = {};
	socklen_t pl = sizeof(peer);
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned long long bytes = 0;
	int syn_data = 0, end = 0;
	unsigned int port = 0;

	if (!getpeername(fd, (struct sockaddr *)&peer, &pl)) {
		if (peer.ss_family == AF_INET) {
			struct sockaddr_in *a = (struct sockaddr_in *)&peer;

			inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
			port = ntohs(a->sin_port);
		} else {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&peer;

			inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
			port = ntohs(a->sin6_port);
		}
	}
	if (proto == IPPROTO_TCP) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);

		if (!getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl))
			syn_data = !!(ti.tcpi_options & TCPI_OPT_SYN_DATA);
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0) {
			end = n < 0 ? errno : 0;
			break;
		}
		bytes += n;
		if (write_full(fd, buf, n)) {
			end = errno;
			break;
		}
	}
	printf("conn proto=%s peer=%s port=%u syn_data=%d bytes=%llu end=%s\n",
	       proto == IPPROTO_SCTP ? "sctp" : "tcp", addr, port, syn_data,
	       bytes, end ? errname(end) : "EOF");
	fflush(stdout);
	_exit(0);
}

/*
 * A dual-stack listener of one protocol on port, or -errno. TCP's takes
 * TFO (the server side of RFC 7413 needs it per listener, besides the
 * net.ipv4.tcp_fastopen sysctl).
 */
static int listener(int proto, int port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6, .sin6_port = htons(port),
	};
	int one = 1, zero = 0, qlen = 64;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, proto);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (proto == IPPROTO_TCP &&
	    setsockopt(fd, SOL_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen)))
		die("TCP_FASTOPEN");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 128))
		die("bind/listen");
	return fd;
}

enum { SERVE_TCP = 1, SERVE_SCTP = 2 };

/*
 * The echo server: a child per connection, so that a slow or stuck peer
 * never holds up the others (race.sh's stress and bulk cases rely on it).
 * The listeners are non-blocking and polled together; the accepted
 * sockets are blocking (accept() does not pass O_NONBLOCK on).
 */
static int echo_server(int port, int kinds)
{
	struct pollfd p[2];
	int proto[2], n = 0, i;

	if (kinds & SERVE_TCP) {
		p[n].fd = listener(IPPROTO_TCP, port);
		if (p[n].fd < 0) {
			errno = -p[n].fd;
			die("socket");
		}
		proto[n++] = IPPROTO_TCP;
	}
	if (kinds & SERVE_SCTP) {
		p[n].fd = listener(IPPROTO_SCTP, port);
		if (p[n].fd >= 0) {
			proto[n++] = IPPROTO_SCTP;
		} else if (kinds == SERVE_SCTP) {
			errno = -p[n].fd;
			die("socket(IPPROTO_SCTP)");
		}
	}
	for (i = 0; i < n; i++)
		p[i].events = POLLIN;
	printf("listening tcp=%d sctp=%d\n", proto[0] == IPPROTO_TCP,
	       proto[n - 1] == IPPROTO_SCTP);
	fflush(stdout);
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if (poll(p, n, -1) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			int fd;

			if (!(p[i].revents & POLLIN))
				continue;
			while ((fd = accept(p[i].fd, NULL, NULL)) >= 0) {
				if (fork() == 0) {
					close(p[0].fd);
					if (n > 1)
						close(p[1].fd);
					serve(fd, proto[i]);
				}
				close(fd);
			}
		}
	}
}

/*
 * Sends n bytes of the pattern, continuing the stream at offset base
 * (the early data are its first base bytes), and reads the echo of the
 * whole stream up to base + n, checking every byte.
 */
static int exchange(int fd, long base, long n, struct echo *e)
{
	static unsigned char out[65536], in[65536];
	struct pollfd p = { .fd = fd };
	long sent = 0, want = base + n, i;

	while (e->got < want) {
		p.events = POLLIN | (sent < n ? POLLOUT : 0);
		if (poll(&p, 1, 20000) <= 0)
			return -1;
		if ((p.revents & POLLOUT) && sent < n) {
			long chunk = n - sent < (long)sizeof(out) ? n - sent :
				     (long)sizeof(out);
			ssize_t w;

			for (i = 0; i < chunk; i++)
				out[i] = pattern(base + sent + i);
			w = send(fd, out, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN)
				return -1;
			if (w > 0)
				sent += w;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			/* no further than the stream: what follows is checked later */
			long room = want - e->got < (long)sizeof(in) ?
				    want - e->got : (long)sizeof(in);
			ssize_t r = recv(fd, in, room, MSG_DONTWAIT);

			if (r == 0)
				return -1;
			if (r < 0 && errno != EAGAIN)
				return -1;
			for (i = 0; i < r && e->bad_at < 0; i++)
				if (in[i] != pattern(e->got + i))
					e->bad_at = e->got + i;
			if (r > 0)
				e->got += r;
		}
	}
	printf("sent=%ld\nreceived=%ld\ncheck=%s\n", sent, e->got,
	       e->bad_at < 0 ? "match" : "MISMATCH");
	return e->bad_at < 0 ? 0 : -1;
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

/*
 * The end of the echo check of a connection with early data: the stream
 * was total bytes, e has what was read of it so far.
 */
static int check_echo(int fd, long total, struct echo *e, bool read_rest)
{
	if (read_rest && read_echo(fd, total, e)) {
		printf("echo=OK\n");
		return 0;
	}
	printf("echo=BAD received=%ld expected=%ld mismatch_at=%ld end=%s\n",
	       e->got, total, e->bad_at, e->end ? errname(e->end) : "EOF");
	return -1;
}

int main(int argc, char **argv)
{
	int c, fd, err = 0, wait_ms = 0, alarm_ms = 0, repeat_n = 0;
	int listen_port = -1, kinds = SERVE_TCP | SERVE_SCTP;
	bool again = false, extra = false, uring = false, sent_early = false;
	long exchange_bytes = 0, taken = 0, early, i;
	uint64_t cookie = 0, cookie_after = 0;
	int retry_port = 0;
	bool versus_n = false;
	socklen_t cl = sizeof(cookie);
	struct echo e = { .bad_at = -1 };
	struct sockaddr_storage *ss = &cfg.ss;
	uint64_t t_start;

	while ((c = getopt(argc, argv,
			   "4Ae:m:d:D:nrT:i:x:I:B:S:ow:Pl:c:Ua:R:Xp:Q:E:F:Yk:H:N:V")) != -1) {
		switch (c) {
		case 'l':
			listen_port = atoi(optarg);
			break;
		case 'k':
			kinds = !strcmp(optarg, "tcp") ? SERVE_TCP :
				!strcmp(optarg, "sctp") ? SERVE_SCTP : 0;
			if (!kinds)
				return 2;
			break;
		case '4':
			cfg.family = AF_INET;
			break;
		case 'A':
			cfg.flags |= HEY_F_ANY_FAMILY;
			break;
		case 'Y':
			cfg.flags |= HEY_F_IDEMPOTENT;
			break;
		case 'e':
			if (cfg.n_eps == HEY_MAX_ENDPOINTS ||
			    parse_endpoint(optarg, &cfg.eps[cfg.n_eps++]))
				die("bad endpoint");
			break;
		case 'm':
			cfg.timing.mode = !strcmp(optarg, "failover") ?
					  HEY_RACE_FAILOVER :
					  !strcmp(optarg, "immediate") ?
					  HEY_RACE_IMMEDIATE : HEY_RACE_DELAYED;
			break;
		case 'd':
			cfg.timing.min_delay_ms = atoi(optarg);
			break;
		case 'D':
			cfg.timing.max_delay_ms = atoi(optarg);
			break;
		case 'n':
			cfg.nonblock = true;
			break;
		case 'r':
			again = true;
			break;
		case 'T':
			cfg.sndtimeo = atoi(optarg);
			break;
		case 'i':
		case 'x':
			if (cfg.paths.count == HEY_MAX_PATHS)
				return 2;
			cfg.paths.mode = c == 'i' ? HEY_PATHS_ALLOW :
				    HEY_PATHS_DENY;
			cfg.paths.ifindex[cfg.paths.count++] =
				if_nametoindex(optarg);
			break;
		case 'I':
			cfg.bind_dev = optarg;
			break;
		case 'B':
			cfg.bind_port = atoi(optarg);
			break;
		case 'S':
			exchange_bytes = atol(optarg);
			break;
		case 'o':
			cfg.opts = true;
			break;
		case 'w':
			wait_ms = atoi(optarg);
			break;
		case 'P':
			cfg.plain = true;
			break;
		case 'V':
			versus_n = true;
			break;
		case 'c':
			cfg.syncnt = atoi(optarg);
			break;
		case 'U':
			uring = true;
			break;
		case 'N':
			retry_port = atoi(optarg);
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
		case 'p':
			if (parse_protocols(optarg, &cfg.protos))
				return 2;
			cfg.set_protos = true;
			break;
		case 'Q':
			cfg.protos.sctp_port = htons(atoi(optarg));
			cfg.set_protos = true;
			break;
		case 'E':
			cfg.early_n = atol(optarg);
			break;
		case 'F':
			cfg.fastopen_n = atol(optarg);
			break;
		case 'H':
			cfg.host = optarg;
			break;
		default:
			return 2;
		}
	}
	if (listen_port >= 0)
		return echo_server(listen_port, kinds);
	if (argc - optind != 2 || cfg.early_n < 0 || cfg.fastopen_n < 0 ||
	    (cfg.early_n && cfg.fastopen_n))
		return 2;

	if (cfg.family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(atoi(argv[optind + 1]));
		if (inet_pton(AF_INET, argv[optind], &a->sin_addr) != 1)
			return 2;
		cfg.sslen = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
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
		cfg.sslen = sizeof(*a);
	}

	early = early_total();
	if (early) {
		cfg.early = malloc(early);
		if (!cfg.early)
			die("malloc");
		for (i = 0; i < early; i++)
			cfg.early[i] = pattern(i);
	}
	/* a connection that dies shows as an error, not as a silent exit */
	signal(SIGPIPE, SIG_IGN);

	if (versus_n) {
		if (repeat_n <= 0 || early || cfg.plain || cfg.set_protos ||
		    cfg.host) {
			fprintf(stderr,
				"hey_connect: -V needs -R, and no -E, -F, -P, -p or -H\n");
			return 2;
		}
		return versus(repeat_n);
	}
	if (repeat_n > 0)
		return repeat(repeat_n);

	fd = make_socket();
	report_options(fd);
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &cl))
		die("SO_COOKIE");

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
				      (struct sockaddr *)ss, cfg.sslen);
		io_uring_submit(&ring);
		if (io_uring_wait_cqe(&ring, &cqe))
			die("io_uring_wait_cqe");
		err = cqe->res < 0 ? -cqe->res : 0;
		io_uring_cqe_seen(&ring, cqe);
		io_uring_queue_exit(&ring);
		printf("io_uring=%s\n", errname(err));
	} else if (cfg.fastopen_n) {
		err = start(fd, &taken);
		if (err) {
			printf("sendto=%s\n", errname(err));
		} else {
			printf("sendto=%ld\n", taken);
			/* non-blocking: taken at once, the race goes on */
			sent_early = cfg.nonblock;
		}
	} else if (connect(fd, (struct sockaddr *)ss, cfg.sslen)) {
		err = errno;
		if (retry_port && !cfg.nonblock && err != EINTR &&
		    err != EINPROGRESS) {
			printf("first=%s\n", errname(err));
			/* sin_port and sin6_port sit at the same offset */
			((struct sockaddr_in *)ss)->sin_port = htons(retry_port);
			err = connect(fd, (struct sockaddr *)ss, cfg.sslen) ?
			      errno : 0;
		}
	}
	if (err == EINTR) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		socklen_t l = sizeof(err);

		printf("interrupted=EINTR\n");
		if (connect(fd, (struct sockaddr *)ss, cfg.sslen))
			printf("again=%s\n", errname(errno));
		if (poll(&p, 1, 60000) != 1)
			die("poll");
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l))
			die("SO_ERROR");
	}
	if (cfg.nonblock && (err == EINPROGRESS || sent_early)) {
		struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
		int ep = epoll_create1(0);
		socklen_t l = sizeof(err);

		printf("nonblock=%s\n", sent_early ? "sent" : "EINPROGRESS");
		if (again && connect(fd, (struct sockaddr *)ss, cfg.sslen))
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
		if (again && !err && connect(fd, (struct sockaddr *)ss, cfg.sslen))
			printf("after=%s\n", errname(errno));
		close(ep);
	}
	printf("connect=%s\nelapsed_us=%llu\n", errname(err),
	       (unsigned long long)(now_us() - t_start));
	if (!cfg.plain)
		print_info(fd);
	if (!err) {
		struct sockaddr_storage peer, me;
		char addr[INET6_ADDRSTRLEN];
		socklen_t pl = sizeof(peer), ml = sizeof(me);
		int proto = so_protocol(fd);

		if (getpeername(fd, (struct sockaddr *)&peer, &pl))
			die("getpeername");
		if (peer.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr,
				  addr, sizeof(addr));
		else
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&peer)->sin6_addr,
				  addr, sizeof(addr));
		/* sin_port and sin6_port sit at the same offset */
		printf("peer=%s\npeer_port=%u\n", addr,
		       ntohs(((struct sockaddr_in *)&peer)->sin_port));
		if (getsockname(fd, (struct sockaddr *)&me, &ml))
			die("getsockname");
		cl = sizeof(cookie_after);
		if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie_after, &cl))
			die("SO_COOKIE");
		printf("same_sock=%s\n", cookie == cookie_after ? "yes" : "no");
		printf("sock_proto=%s\nlocal_port=%u\n",
		       proto == IPPROTO_TCP ? "tcp" :
		       proto == IPPROTO_SCTP ? "sctp" : "?",
		       ntohs(((struct sockaddr_in *)&me)->sin_port));
		if (proto == IPPROTO_TCP) {
			struct tcp_info ti;
			socklen_t tl = sizeof(ti);

			if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl))
				die("TCP_INFO");
			printf("tcp_state=%u tcp_rtt_us=%u\n", ti.tcpi_state,
			       ti.tcpi_rtt);
		}
		if (cfg.opts && check_options(fd))
			err = -1;
		if (cfg.nonblock) {
			int fl = 0;

			ioctl(fd, FIONBIO, &fl);
		}
		if (early && send_early(fd, early_owed_from(taken), early)) {
			printf("early_write=%s\n", errname(errno));
			err = -1;
		}
		t_start = now_us();
		if (exchange_bytes && exchange(fd, early, exchange_bytes, &e))
			err = -1;
		if (exchange_bytes)
			printf("exchange_us=%llu\n",
			       (unsigned long long)(now_us() - t_start));
		if (early && check_echo(fd, early + exchange_bytes, &e,
					!exchange_bytes ||
					e.got == early + exchange_bytes))
			err = -1;
		if (extra && !early && extras(fd))
			err = -1;
		if (wait_ms) {
			/* the test watches for connect= while we hold on */
			fflush(stdout);
			usleep(wait_ms * 1000);
		}
	}
	fflush(stdout);
	close(fd);
	return err ? 1 : 0;
}
