/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bytes the process has allocated and not freed: glibc's count, or
 * ASan's when built with it (ASan replaces malloc, and its mallinfo2()
 * answers 0). Neither counts what the allocator keeps aside, ASan's
 * quarantine of freed blocks or the free memory glibc has not given
 * back, nor how the kernel backs it (transparent huge pages): it tells
 * what the code holds, which the resident size does not.
 */
#ifndef HEYD_HEAP_H
#define HEYD_HEAP_H

#include <malloc.h>
#include <stddef.h>

/* ASan's interface (sanitizer/allocator_interface.h); NULL without it */
size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

static inline size_t heap_in_use(void)
{
	struct mallinfo2 mi;

	if (__sanitizer_get_current_allocated_bytes)
		return __sanitizer_get_current_allocated_bytes();
	mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

#endif /* HEYD_HEAP_H */
