// SPDX-License-Identifier: GPL-2.0
/*
 * hey_hold N: attach the hey ULP to N unconnected TCP sockets (alternating
 * IPv4 and IPv6), print "ready", and keep them until stdin is closed.
 * Shell tests use it to hold the module busy.
 *
 * hey_hold -r: register as the namespace's resolver instead, print
 * "registered" (or the errno's name and exit 1), and hold the place
 * until stdin is closed, answering nothing: heyd.sh's other resolver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hey_test.h"
#include "heynl.h"

static int hold_resolver(void)
{
	struct heynl h;
	struct nl_msg *msg;
	char c;
	int ret;

	ret = heynl_open(&h);
	if (ret) {
		fprintf(stderr, "hey_hold: %s\n", strerror(-ret));
		return 1;
	}
	msg = heynl_msg(&h, HEY_CMD_REGISTER_RESOLVER, 0);
	ret = msg ? heynl_request(&h, msg, NULL, NULL) : -ENOMEM;
	if (ret) {
		printf("%s\n", ret == -EBUSY ? "EBUSY" : strerror(-ret));
		return 1;
	}
	printf("registered\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	heynl_close(&h);
	return 0;
}

int main(int argc, char **argv)
{
	int i, n;
	char c;

	if (argc > 1 && !strcmp(argv[1], "-r"))
		return hold_resolver();
	n = argc > 1 ? atoi(argv[1]) : 1;
	for (i = 0; i < n; i++) {
		int fd = socket(i % 2 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

		if (fd < 0 || hey_attach(fd)) {
			perror("hey_hold: attach");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0;
}
