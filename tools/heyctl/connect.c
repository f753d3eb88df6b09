// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connect.h"
#include "heynl_races.h"
#include "show.h"

#ifndef TCP_ULP
#define TCP_ULP 31
#endif

/* The addresses of the name: the first to connect(), the rest raced. */
struct targets {
	struct sockaddr_storage first;
	socklen_t first_len;
	struct hey_endpoint eps[HEY_MAX_ENDPOINTS];
	int n_eps, dropped;
	bool v6_endpoint;
};

static void endpoint_of(const struct addrinfo *ai, struct hey_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = ai->ai_family;
	if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *sin = (void *)ai->ai_addr;

		ep->port = sin->sin_port;
		memcpy(ep->addr, &sin->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *sin6 = (void *)ai->ai_addr;

		ep->port = sin6->sin6_port;
		ep->scope_id = sin6->sin6_scope_id;
		memcpy(ep->addr, &sin6->sin6_addr, 16);
	}
}

/* The first address as the socket's family takes it (v4-mapped in v6). */
static void first_of(const struct addrinfo *ai, int sock_family,
		     struct targets *t)
{
	struct sockaddr_in6 *sin6 = (void *)&t->first;
	const struct sockaddr_in *sin = (void *)ai->ai_addr;

	memset(&t->first, 0, sizeof(t->first));
	if (ai->ai_family == sock_family) {
		memcpy(&t->first, ai->ai_addr, ai->ai_addrlen);
		t->first_len = ai->ai_addrlen;
		return;
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = sin->sin_port;
	sin6->sin6_addr.s6_addr[10] = 0xff;
	sin6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&sin6->sin6_addr.s6_addr[12], &sin->sin_addr, 4);
	t->first_len = sizeof(*sin6);
}

static bool seen(const struct targets *t, const struct hey_endpoint *ep,
		 const struct hey_endpoint *first)
{
	int i;

	if (!memcmp(ep, first, sizeof(*ep)))
		return true;
	for (i = 0; i < t->n_eps; i++)
		if (!memcmp(ep, &t->eps[i], sizeof(*ep)))
			return true;
	return false;
}

static int resolve(const struct connect_opts *o, int sock_family,
		   struct targets *t)
{
	struct addrinfo hints = {
		.ai_family = o->family,
		.ai_socktype = SOCK_STREAM,
		.ai_protocol = IPPROTO_TCP,
	};
	struct addrinfo *res, *ai;
	struct hey_endpoint first, ep;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = getaddrinfo(o->host, o->port, &hints, &res);
	if (ret) {
		fprintf(stderr, "heyctl: connect: %s port %s: %s\n", o->host,
			o->port, gai_strerror(ret));
		return -1;
	}
	first_of(res, sock_family, t);
	endpoint_of(res, &first);
	for (ai = res->ai_next; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		endpoint_of(ai, &ep);
		if (seen(t, &ep, &first))
			continue;
		if (t->n_eps == HEY_MAX_ENDPOINTS) {
			t->dropped++;
			continue;
		}
		t->v6_endpoint |= ep.family == AF_INET6;
		t->eps[t->n_eps++] = ep;
	}
	freeaddrinfo(res);
	return 0;
}

/*
 * By name (--by-name): no address here; connect() gives the port, and the
 * kernel has the namespace's resolver (heyd) resolve HOST on each path.
 */
static int by_name_target(const struct connect_opts *o, int sock_family,
			  struct targets *t)
{
	struct addrinfo hints = {
		.ai_family = sock_family,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_PASSIVE,
	};
	struct addrinfo *res;
	int ret;

	memset(t, 0, sizeof(*t));
	if (strlen(o->host) > HEY_MAX_HOST) {
		fprintf(stderr, "heyctl: connect: %s: longer than %d bytes\n",
			o->host, HEY_MAX_HOST);
		return -1;
	}
	/* the wildcard address, for the port (a number or a service) */
	ret = getaddrinfo(NULL, o->port, &hints, &res);
	if (ret) {
		fprintf(stderr, "heyctl: connect: port %s: %s\n", o->port,
			gai_strerror(ret));
		return -1;
	}
	memcpy(&t->first, res->ai_addr, res->ai_addrlen);
	t->first_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int fail_errno(const char *what, int err)
{
	fprintf(stderr, "heyctl: connect: %s: %s\n", what, strerror(err));
	return 1;
}

/* A hey socket with the options set, or -1 (reported). */
static int hey_socket(const struct connect_opts *o, int family,
		      const struct targets *t)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	int zero = 0, flags = 0;

	if (fd < 0) {
		fail_errno("socket", errno);
		return -1;
	}
	if (family == AF_INET6 && o->family == AF_UNSPEC &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)))
		goto err;
	if (setsockopt(fd, SOL_TCP, TCP_ULP, HEY_ULP_NAME,
		       sizeof(HEY_ULP_NAME) - 1)) {
		if (errno == ENOENT)
			fprintf(stderr,
				"heyctl: connect: the hey module is not loaded\n");
		else
			fail_errno("TCP_ULP \"hey\"", errno);
		close(fd);
		return -1;
	}
	if (family == AF_INET && t->v6_endpoint)
		flags |= HEY_F_ANY_FAMILY;
	if (flags && setsockopt(fd, SOL_HEY, HEY_FLAGS, &flags, sizeof(flags)))
		goto err;
	if (t->n_eps && setsockopt(fd, SOL_HEY, HEY_ENDPOINTS, t->eps,
				   t->n_eps * sizeof(t->eps[0])))
		goto err;
	if (o->protos.count && setsockopt(fd, SOL_HEY, HEY_PROTOCOLS,
					  &o->protos, sizeof(o->protos)))
		goto err;
	if (o->paths.mode != HEY_PATHS_ALL &&
	    setsockopt(fd, SOL_HEY, HEY_PATHS, &o->paths, sizeof(o->paths)))
		goto err;
	if (o->by_name && setsockopt(fd, SOL_HEY, HEY_HOST, o->host,
				     strlen(o->host)))
		goto err;
	return fd;
err:
	fail_errno("setsockopt", errno);
	close(fd);
	return -1;
}

/* connect() within the timeout: 0 or the race's errno. */
static int race(int fd, const struct connect_opts *o, const struct targets *t)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int fl = fcntl(fd, F_GETFL), err = 0, ret;
	socklen_t len = sizeof(err);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return errno;
	if (!connect(fd, (const struct sockaddr *)&t->first, t->first_len))
		goto done;
	if (errno != EINPROGRESS)
		return errno;
	do {
		ret = poll(&p, 1, o->timeout_ms ? o->timeout_ms : -1);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errno;
	if (!ret)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	if (err)
		return err;
done:
	if (fcntl(fd, F_SETFL, fl))
		return errno;
	return 0;
}

static void print_race(int fd)
{
	struct heynl_race race;
	struct hey_info info;
	socklen_t len = sizeof(info);

	if (getsockopt(fd, SOL_HEY, HEY_INFO, &info, &len)) {
		fprintf(stderr, "heyctl: connect: HEY_INFO: %s\n",
			strerror(errno));
		return;
	}
	heynl_race_from_info(&info, &race);
	show_race_text(stderr, &race);
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);

		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		n -= w;
	}
	return 0;
}

/* stdin to the socket, the socket to stdout, until EOF both ways. */
static int pipe_loop(int fd)
{
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	char buf[65536];
	ssize_t n;
	int ret;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno("poll", errno);
		}
		if (p[0].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return fail_errno("stdin", errno);
			if (!n) {
				p[0].fd = -1;
				shutdown(fd, SHUT_WR);
			} else if ((ret = write_all(fd, buf, n))) {
				return fail_errno("send", -ret);
			}
		}
		if (p[1].revents) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return fail_errno("recv", errno);
			if (!n)
				p[1].fd = -1;
			else if ((ret = write_all(STDOUT_FILENO, buf, n)))
				return fail_errno("stdout", -ret);
		}
	}
	return 0;
}

int connect_run(const struct connect_opts *o)
{
	int family = o->family == AF_INET ? AF_INET : AF_INET6;
	struct targets t;
	int fd, err, ret;

	if (o->by_name ? by_name_target(o, family, &t) :
			 resolve(o, family, &t))
		return 1;
	if (t.dropped && o->verbose)
		fprintf(stderr,
			"heyctl: connect: %d more addresses than HEY_ENDPOINTS takes, left out\n",
			t.dropped);
	fd = hey_socket(o, family, &t);
	if (fd < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	err = race(fd, o, &t);
	if (o->verbose)
		print_race(fd);
	if (err) {
		fprintf(stderr, "heyctl: connect: %s port %s: %s\n", o->host,
			o->port, strerror(err));
		close(fd);
		return 1;
	}
	ret = pipe_loop(fd);
	close(fd);
	return ret;
}
