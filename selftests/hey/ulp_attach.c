// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching the hey ULP: which sockets take it, which refuse it and with
 * which errno, that a hey socket still behaves as plain TCP, and that
 * attach/close cycles leave nothing behind.
 *
 * Every test runs in a network namespace of its own, so the module's
 * per-namespace counters are exact.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hey_test.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static void netns_enter(struct __test_metadata *_metadata)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, SIOCGIFFLAGS, &ifr));
	ifr.ifr_flags |= IFF_UP;
	ASSERT_EQ(0, ioctl(fd, SIOCSIFFLAGS, &ifr));
	close(fd);
}

/* A loopback listener of the given family; *addr gets its address. */
static int listener(int family, struct sockaddr_storage *addr,
		    socklen_t *len, int backlog)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)addr;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)addr, *len) ||
	    listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)addr, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE(attach) {
	int family;
};

FIXTURE_VARIANT(attach) {
	int family;
};

FIXTURE_VARIANT_ADD(attach, inet) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(attach, inet6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(attach)
{
	self->family = variant->family;
	netns_enter(_metadata);
}

FIXTURE_TEARDOWN(attach)
{
}

TEST_F(attach, unconnected_socket)
{
	struct hey_status st;
	char ulp[16];
	int fd;

	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
	ASSERT_EQ(0u, st.attached);

	fd = socket(self->family, SOCK_STREAM, IPPROTO_TCP);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	ASSERT_STREQ("hey", hey_ulp_of(fd, ulp, sizeof(ulp)));
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(1u, st.sockets);
	ASSERT_EQ(1u, st.attached);

	close(fd);
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
	ASSERT_EQ(1u, st.attached);
}

TEST_F(attach, twice_is_eexist)
{
	int fd = socket(self->family, SOCK_STREAM, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	ASSERT_EQ(-EEXIST, hey_attach(fd));
	close(fd);
}

TEST_F(attach, listen_after_attach_is_einval)
{
	int fd = socket(self->family, SOCK_STREAM, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	ASSERT_EQ(-1, listen(fd, 8));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(attach, listening_is_enotconn)
{
	struct sockaddr_storage addr;
	struct hey_status st;
	socklen_t len;
	int fd = listener(self->family, &addr, &len, 8);

	ASSERT_LE(0, fd);
	ASSERT_EQ(-ENOTCONN, hey_attach(fd));
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
	close(fd);
}

TEST_F(attach, connected_is_eisconn)
{
	struct sockaddr_storage addr;
	struct hey_status st;
	socklen_t len;
	int lfd = listener(self->family, &addr, &len, 8);
	int fd = socket(self->family, SOCK_STREAM, 0);

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&addr, len));
	ASSERT_EQ(-EISCONN, hey_attach(fd));
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
	close(fd);
	close(lfd);
}

/*
 * A listener with a full accept queue drops SYNs, which leaves a
 * non-blocking client in SYN_SENT: connecting, not yet connected.
 */
TEST_F(attach, connecting_is_eisconn)
{
	struct sockaddr_storage addr;
	int fds[8], n, found = -1;
	struct tcp_info ti;
	socklen_t len, tlen;
	int lfd = listener(self->family, &addr, &len, 0);

	ASSERT_LE(0, lfd);
	for (n = 0; n < 8 && found < 0; n++) {
		fds[n] = socket(self->family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, fds[n]);
		connect(fds[n], (struct sockaddr *)&addr, len);
		usleep(20000);
		tlen = sizeof(ti);
		ASSERT_EQ(0, getsockopt(fds[n], SOL_TCP, TCP_INFO, &ti, &tlen));
		if (ti.tcpi_state == TCP_SYN_SENT)
			found = n;
	}
	ASSERT_LE(0, found) TH_LOG("no client stayed in SYN_SENT");
	ASSERT_EQ(-EISCONN, hey_attach(fds[found]));
	while (n--)
		close(fds[n]);
	close(lfd);
}

TEST_F(attach, behaves_as_plain_tcp)
{
	static char buf[1 << 20], back[1 << 20];
	struct sockaddr_storage addr, peer;
	socklen_t len, plen = sizeof(peer);
	int lfd = listener(self->family, &addr, &len, 8);
	int fd = socket(self->family, SOCK_STREAM, 0);
	size_t i, done;
	int afd;

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hey_attach(fd));
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&addr, len));
	afd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&peer, &plen));
	ASSERT_EQ(len, plen);
	ASSERT_EQ(0, memcmp(&addr, &peer, len));

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + (i >> 9));
	/* 1 MiB there and back: the server echoes what it reads. */
	for (done = 0; done < sizeof(buf);) {
		ssize_t w = write(fd, buf + done, 65536);
		ssize_t r;
		size_t got = 0;

		ASSERT_EQ(65536, w);
		while (got < (size_t)w) {
			r = read(afd, back + done + got, w - got);
			ASSERT_LT(0, r);
			got += r;
		}
		ASSERT_EQ(w, write(afd, back + done, w));
		for (got = 0; got < (size_t)w; got += r) {
			r = read(fd, back + done + got, w - got);
			ASSERT_LT(0, r);
		}
		done += w;
	}
	ASSERT_EQ(0, memcmp(buf, back, sizeof(buf)));
	close(afd);
	close(fd);
	close(lfd);
}

/* A thread calling connect() on one socket until told to stop. */
struct connector {
	int fd;
	const struct sockaddr_storage *addr;
	socklen_t len;
	atomic_bool stop;
	int odd;	/* an errno other than EALREADY and EISCONN */
	long long calls;
};

static void *connector_run(void *arg)
{
	struct connector *c = arg;

	do {
		if (connect(c->fd, (const struct sockaddr *)c->addr, c->len) &&
		    errno != EALREADY && errno != EISCONN)
			c->odd = errno;
		c->calls++;
	} while (!atomic_load(&c->stop));
	return NULL;
}

/*
 * Threads calling connect() on one socket at once, as they may on TCP:
 * one starts the race, the others get EALREADY (or wait for it, and get
 * 0), and once it won EISCONN. Also while the first is still setting the
 * race up, before the socket records it: that once dereferenced the
 * missing race. Each round makes exactly one connection.
 */
TEST_F(attach, concurrent_connects)
{
	int i, t, afd, rounds = hey_stress(200);
	struct connector c[3] = {};
	pthread_t th[3];
	struct sockaddr_storage addr, peer;
	long long calls = 0;
	int lfd, fd;
	socklen_t len, plen;

	lfd = listener(self->family, &addr, &len, 64);
	ASSERT_LE(0, lfd);
	for (i = 0; i < rounds; i++) {
		fd = socket(self->family, SOCK_STREAM, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, hey_attach(fd));
		for (t = 0; t < 3; t++) {
			c[t].fd = fd;
			c[t].addr = &addr;
			c[t].len = len;
			atomic_store(&c[t].stop, false);
			ASSERT_EQ(0, pthread_create(&th[t], NULL,
						    connector_run, &c[t]));
		}
		/* Any of the threads may have started the race by now. */
		if (connect(fd, (struct sockaddr *)&addr, len))
			ASSERT_TRUE(errno == EALREADY || errno == EISCONN)
				TH_LOG("round %d: connect: %s", i,
				       strerror(errno));
		afd = accept(lfd, NULL, NULL);
		ASSERT_LE(0, afd);
		for (t = 0; t < 3; t++) {
			atomic_store(&c[t].stop, true);
			ASSERT_EQ(0, pthread_join(th[t], NULL));
			calls += c[t].calls;
			ASSERT_EQ(0, c[t].odd)
				TH_LOG("round %d: connect: %s", i,
				       strerror(c[t].odd));
		}
		plen = sizeof(peer);
		ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&peer, &plen));
		close(afd);
		close(fd);
	}
	/* One connection per round: nothing more waits to be accepted. */
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	ASSERT_GT(0, accept(lfd, NULL, NULL));
	ASSERT_EQ(EAGAIN, errno);
	TH_LOG("%d rounds, %lld connect() calls by the threads", rounds,
	       calls);
	close(lfd);
}

/*
 * 10,000 attach/close cycles (2,000 on the debug kernel: hey_stress()):
 * the module's own count returns to zero and the TCP socket caches to
 * their baseline. SLUB counts objects in per-CPU slabs as active, so the
 * cache check allows a few slabs of slack; a leak of the sockets
 * themselves would be thousands.
 */
TEST_F_TIMEOUT(attach, close_cycles_leak_nothing, 900)
{
	const char *cache = self->family == AF_INET ? "TCP" : "TCPv6";
	long before, after;
	struct hey_status st;
	int i, fd, cycles = hey_stress(10000);

	before = slab_active(cache);
	ASSERT_LE(0, before) TH_LOG("no %s in /proc/slabinfo", cache);
	for (i = 0; i < cycles; i++) {
		fd = socket(self->family, SOCK_STREAM, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, hey_attach(fd));
		close(fd);
	}
	ASSERT_EQ(0, hey_status(&st));
	ASSERT_EQ(0u, st.sockets);
	ASSERT_EQ((unsigned int)cycles, st.attached);
	after = slab_active(cache);
	ASSERT_GE(before + 64, after)
		TH_LOG("%s active objects %ld -> %ld", cache, before, after);
}

/* Sockets that are not TCP refuse the option with their own errno. */
static int attach_errno(int family, int type, int proto)
{
	int fd = socket(family, type, proto), ret;

	if (fd < 0)
		return 1000 + errno;
	ret = hey_attach(fd);
	close(fd);
	return ret;
}

TEST(udp_is_enoprotoopt)
{
	ASSERT_EQ(-ENOPROTOOPT, attach_errno(AF_INET, SOCK_DGRAM, 0));
	ASSERT_EQ(-ENOPROTOOPT, attach_errno(AF_INET6, SOCK_DGRAM, 0));
}

TEST(sctp_is_enoprotoopt)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (fd < 0 && errno == EPROTONOSUPPORT)
		SKIP(return, "kernel without SCTP");
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(-ENOPROTOOPT, attach_errno(AF_INET, SOCK_STREAM,
					     IPPROTO_SCTP));
}

TEST(mptcp_is_enoprotoopt)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);

	if (fd < 0 && (errno == EPROTONOSUPPORT || errno == EINVAL))
		SKIP(return, "kernel without MPTCP");
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(-ENOPROTOOPT, attach_errno(AF_INET, SOCK_STREAM,
					     IPPROTO_MPTCP));
}

TEST(unix_is_eopnotsupp)
{
	ASSERT_EQ(-EOPNOTSUPP, attach_errno(AF_UNIX, SOCK_STREAM, 0));
}

TEST_HARNESS_MAIN
