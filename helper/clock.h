/* SPDX-License-Identifier: GPL-2.0 */
/* heyd's deadlines: milliseconds of CLOCK_MONOTONIC; -1 is none. */
#ifndef HEYD_CLOCK_H
#define HEYD_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The earlier of two deadlines, either of which may be none (-1). */
static inline int64_t deadline_min(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

#endif /* HEYD_CLOCK_H */
