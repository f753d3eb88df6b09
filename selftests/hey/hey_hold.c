// SPDX-License-Identifier: GPL-2.0
/*
 * hey_hold N: attach the hey ULP to N unconnected TCP sockets (alternating
 * IPv4 and IPv6), print "ready", and keep them until stdin is closed.
 * Shell tests use it to hold the module busy.
 */
#include <stdlib.h>
#include <unistd.h>

#include "hey_test.h"

int main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 1;
	char c;

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
