#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-kernel unit tests (KUnit) of hey: RFC 6724 destination ordering
# and RFC 8305 interleaving (kmod/order_test.c), built as hey_kunit.ko for
# kernels with KUnit. Debian's stock kernel has no KUnit: there this test
# is skipped, its prerequisite being absent.
source "$(dirname "$0")/lib.sh"
require_module_file

ko=$(dirname "${HEY_MODULE_ORIG:-$HEY_MODULE}")/hey_kunit.ko
[[ -d /sys/kernel/debug/kunit || -e /sys/module/kunit ]] ||
	skip_all "this kernel has no KUnit"
[[ -f $ko ]] || skip_all "no hey_kunit.ko next to $HEY_MODULE"

insmod "$ko"
check "hey_kunit.ko loads" 0 "$?"
results=/sys/kernel/debug/kunit/hey_order/results
check "the hey_order suite ran" yes "$([[ -r $results ]] && echo yes || echo no)"
# One TAP case per KUnit case: "ok N name" lines, indented in the log.
while read -r verdict _ name; do
	check "kunit hey_order: $name" ok "$verdict"
done < <(grep -E '^    (ok|not ok) [0-9]+ ' "$results" |
	sed -E 's/^    //; s/^not ok/not_ok/; s/ - / /')
check "the hey_order suite passed" yes \
	"$(grep -qE '^(ok|not ok) [0-9]+ (- )?hey_order' "$results" &&
	   ! grep -q 'not ok' "$results" && echo yes || echo no)"
rmmod hey_kunit
check "hey_kunit.ko unloads" 0 "$?"
finish
