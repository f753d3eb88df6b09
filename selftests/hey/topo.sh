#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network topologies of the shell selftests, sourced after lib.sh. They
# use the test's C (client) and S (server) namespace names, V4 and V6
# (the server's service addresses) and HC (hey_connect).

# topo_one_path: C and S joined by one veth, c1 - s1, on 10.0.1.0/24 and
# 3fff:1::/64; the client's default routes go over c1, the service
# addresses sit on the server's loopback.
topo_one_path() {
	ip netns add "$C"
	ip netns add "$S"
	ip link add c1 netns "$C" type veth peer name s1 netns "$S"
	ip -n "$C" addr add 10.0.1.1/24 dev c1
	ip -n "$S" addr add 10.0.1.2/24 dev s1
	ip -n "$C" addr add 3fff:1::1/64 dev c1 nodad
	ip -n "$S" addr add 3fff:1::2/64 dev s1 nodad
	ip -n "$C" link set lo up
	ip -n "$S" link set lo up
	ip -n "$C" link set c1 up
	ip -n "$S" link set s1 up
	ip -n "$S" addr add "$V4/32" dev lo
	ip -n "$S" addr add "$V6/128" dev lo
	ip -n "$C" route add default via 10.0.1.2 dev c1
	ip -n "$C" -6 route add default via 3fff:1::2 dev c1
}

# topo_echo_server PORT: hey_connect's echo server in S, once it answers
# a plain connection from C.
topo_echo_server() {
	ip netns exec "$S" "$HC" -l "$1" >/dev/null &
	for _ in $(seq 50); do
		ip netns exec "$C" "$HC" -P "$V4" "$1" >/dev/null 2>&1 && return
		sleep 0.1
	done
}

# topo_cleanup: what runs in C and S ends, and they go.
topo_cleanup() {
	ip netns pids "$S" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids "$C" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$C" 2>/dev/null
	ip netns del "$S" 2>/dev/null
}
