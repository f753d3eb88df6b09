#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shell selftests of hey: TAP output per case, random netns
# names, cleanup on exit, and where to find what the build made.

ksft_skip=4
ret=0
ncase=0

HEY_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
HEY_REPO=${HEY_REPO:-$(cd "$HEY_SELFTESTS/../.." && pwd -P)}
HEYCTL=$HEY_REPO/build/bin/heyctl
HEYD=$HEY_REPO/build/bin/heyd
HEYD_ASAN=$HEY_REPO/build/bin/heyd-asan
HEY_HOLD=$HEY_SELFTESTS/hey_hold

# stress N: how many of N stress rounds this lane runs. The stock lane runs
# them all. The debug lane runs a fifth: its checkers (KASAN, lockdep,
# kmemleak, debugobjects) see every code path within a few hundred races,
# and the full count would cost it most of its time limit under TCG.
# HEY_STRESS_DIV overrides the divisor.
stress() {
	local div=${HEY_STRESS_DIV:-}

	if [[ -z $div ]]; then
		div=1
		[[ $(uname -r) == *-hey-debug ]] && div=5
	fi
	echo $(( $1 / div > 0 ? $1 / div : 1 ))
}

# check NAME EXPECTED GOT: one TAP case.
check() {
	local name=$1 expected=$2 got=$3
	ncase=$((ncase + 1))
	if [[ "$expected" == "$got" ]]; then
		echo "ok $ncase $name"
	else
		echo "not ok $ncase $name # expected '$expected', got '$got'"
		ret=1
	fi
}

# skip_all REASON: the whole test needs something this machine lacks.
skip_all() {
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

# finish: print the plan and exit with the verdict.
finish() {
	# for whoever trims the lanes' run time: a comment, not a case
	echo "# $(basename "$0") took ${SECONDS}s"
	echo "1..$ncase"
	exit $ret
}

# A netns name no other run uses.
rand_ns() {
	printf '%s-%s' "$1" "$(mktemp -u XXXXXX)"
}

# wait_for FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN.
wait_for() {
	local i
	for ((i = 0; i < ${3:-100}; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

hey_loaded() {
	[[ -d /sys/module/hey ]]
}

# The module file the VM runner loaded, to load it again after rmmod.
require_module_file() {
	[[ -n "${HEY_MODULE:-}" && -f "$HEY_MODULE" ]] ||
		skip_all "HEY_MODULE is not set: run under tools/vm/run"
	[[ $(id -u) == 0 ]] || skip_all "needs root"
}

# slab_active CACHE: active objects of a slab cache (needs root). SLUB
# counts the slabs cached per CPU as full, so the cache is shrunk first:
# otherwise a few slabs' worth of freed objects look allocated.
slab_active() {
	echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

# The network tests' client output: "key=value" lines from hey_connect,
# in the file $out.

# out_field KEY: a key's value (the first match).
out_field() {
	grep -o "^$1=[^ ]*" "$out" | head -n1 | cut -d= -f2
}

# out_leaf IDX KEY: a field of one leaf line.
out_leaf() {
	grep "^leaf=$1 " "$out" | grep -o " $2=[^ ]*" | cut -d= -f2
}

# ns_stat NS NAME: a hey counter of a namespace. From heyctl's text:
# starting python3 to read its JSON costs seconds on the debug kernel.
ns_stat() {
	ip netns exec "$1" "$HEYCTL" stats | awk -v k="$2" '$1 == k { print $2 }'
}

# ns_sockets NS: the hey sockets of a namespace now.
ns_sockets() {
	ip netns exec "$1" "$HEYCTL" status |
		awk '$1 == "sockets:" { print $2 }'
}

# ns_idle NS: "yes" once no race is in flight and no hey socket is left
# in the namespace, else "no" after 600 tries (a loaded emulated VM can
# take a while).
ns_idle() {
	local i
	for i in $(seq 600); do
		if [[ $(ns_stat "$1" in_flight) == 0 &&
		      $(ns_sockets "$1") == 0 ]]; then
			echo yes
			return
		fi
		sleep 0.1
	done
	echo no
}

# nft_packets NS CHAIN COMMENT: the packet count of the counter rule of
# table inet hey with that comment.
nft_packets() {
	ip netns exec "$1" nft list chain inet hey "$2" |
		grep "comment \"$3\"" | grep -o 'packets [0-9]*' | cut -d' ' -f2
}
