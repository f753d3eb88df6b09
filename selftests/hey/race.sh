#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The race engine end to end. A client and a server namespace joined by
# two veth paths; the server's service addresses (10.9.9.9, 3fff:9::9)
# sit on its loopback and are reached over either path, the c1 path
# being the main route. nftables and netem make attempts fail or lag.
# Assertions are about behaviour (who won, which errno, which attempts
# ran and in what order, what data arrived), never about how fast.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/client.sh"
require_module_file

C=$(rand_ns hey-c)
S=$(rand_ns hey-s)
V6=3fff:9::9
V4=10.9.9.9
HC=$HEY_SELFTESTS/hey_connect
out=$(mktemp)

cleanup() {
	ip netns pids "$S" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids "$C" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$C" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	rm -f "$out"
}
trap cleanup EXIT

setup() {
	ip netns add "$C"
	ip netns add "$S"
	for i in 1 2; do
		ip link add "c$i" netns "$C" type veth peer name "s$i" netns "$S"
		ip -n "$C" addr add "10.0.$i.1/24" dev "c$i"
		ip -n "$S" addr add "10.0.$i.2/24" dev "s$i"
		ip -n "$C" addr add "3fff:$i::1/64" dev "c$i" nodad
		ip -n "$S" addr add "3fff:$i::2/64" dev "s$i" nodad
		ip netns exec "$C" sysctl -qw "net.ipv6.conf.c$i.keep_addr_on_down=1"
		ip -n "$C" link set "c$i" up
		ip -n "$S" link set "s$i" up
	done
	ip -n "$C" link set lo up
	ip -n "$S" link set lo up
	ip -n "$S" addr add "$V4/32" dev lo
	ip -n "$S" addr add "$V6/128" dev lo
	ip -n "$C" route add default via 10.0.1.2 dev c1 metric 100
	ip -n "$C" route add default via 10.0.2.2 dev c2 metric 200
	ip -n "$C" -6 route add default via 3fff:1::2 dev c1 metric 100
	ip -n "$C" -6 route add default via 3fff:2::2 dev c2 metric 200
	ip netns exec "$S" sysctl -qw net.ipv4.ip_forward=0
	# the engine without history (cache.sh tests that): no entries
	# per destination; TFO verdicts keep their own timeout
	ip netns exec "$C" sysctl -qw net.hey.cache_timeout=0
	ip netns exec "$S" nft -f - <<-EOF
	table inet hey {
		chain in { type filter hook input priority 0; }
		chain out { type filter hook output priority 0; }
	}
	EOF
	ip netns exec "$S" "$HC" -l 8080 >/dev/null &
	ip netns exec "$S" "$HC" -l 8443 >/dev/null &
	# the echo servers are up once they answer
	for _ in $(seq 50); do
		ip netns exec "$C" "$HC" -P "$V4" 8443 >/dev/null 2>&1 && break
		sleep 0.1
	done
}

# stat NAME: a counter of the client namespace.
stat() {
	ns_stat "$C" "$1"
}

# idle: no race in flight and no hey socket left in the client namespace.
idle() {
	ns_idle "$C"
}

# netns_gone NAME ARGS...: hey_connect ARGS in a namespace of its own whose
# SYNs to port 9 vanish; the namespace is deleted while it connects, and
# the client must be gone after a kill (nothing holds it in the kernel).
netns_gone() {
	local name=$1 x xpid
	shift
	x=$(rand_ns hey-x)
	ip netns add "$x"
	ip -n "$x" link set lo up
	ip netns exec "$x" nft add table inet x
	ip netns exec "$x" nft add chain inet x out '{ type filter hook output priority 0; }'
	ip netns exec "$x" nft add rule inet x out tcp dport 9 drop
	ip netns exec "$x" "$HC" "$@" >/dev/null 2>&1 &
	xpid=$!
	sleep 0.5
	ip netns del "$x"
	kill "$xpid"
	wait "$xpid" 2>/dev/null
	check "$name: client gone" 1 \
		"$( (kill -0 "$xpid" 2>/dev/null && echo 0) || echo 1)"
}

setup
drop6="ip6 nexthdr tcp tcp dport 8080 drop"

# 1. IPv6 SYNs dropped: IPv4 wins, one attempt delay after IPv6 started.
rules "$drop6"
won4=$(stat wins_ipv4)
client -d 200 -D 200 -e "$V4" -S 65536 "$V6" 8080
check "1 v6 dropped: connects" OK "$(out_field connect)"
check "1 v6 dropped: the IPv4 leaf won" 1 "$(out_field winner)"
check "1 v6 dropped: IPv6 was tried first" "$V6 yes" \
	"$(out_leaf 0 addr) $( (( $(out_leaf 0 start_ms) < $(out_leaf 1 start_ms) )) && echo yes || echo no)"
check "1 v6 dropped: IPv4 waited for the delay" yes \
	"$( (( $(out_leaf 1 start_ms) >= 200 )) && echo yes || echo no)"
check "1 v6 dropped: the IPv6 leaf was aborted" aborted "$(out_leaf 0 outcome)"
check "1 v6 dropped: data flows" match "$(out_field check)"
check "1 v6 dropped: peer is the IPv4 address" "::ffff:$V4" "$(out_field peer)"
check "1 v6 dropped: wins_ipv4 counted" $((won4 + 1)) "$(stat wins_ipv4)"

# 2. IPv6 refused: IPv4 starts at once, not after the (long) delay.
rules "ip6 nexthdr tcp tcp dport 8080 reject with tcp reset"
client -d 3000 -D 3000 -e "$V4" "$V6" 8080
check "2 v6 refused: IPv4 wins" 1 "$(out_field winner)"
check "2 v6 refused: IPv6 failed with ECONNREFUSED" ECONNREFUSED \
	"$(out_leaf 0 error)"
check "2 v6 refused: IPv4 did not wait for the delay" yes \
	"$( (( $(out_leaf 1 start_ms) < 1500 )) && echo yes || echo no)"

# 3. IPv6 slow (400 ms on its answers), IPv4 fast: both run, IPv4 wins,
#    and IPv6 was still running when IPv4 started.
rules
tc -n "$S" qdisc add dev s1 root handle 1: prio
tc -n "$S" qdisc add dev s1 parent 1:3 handle 30: netem delay 400ms
tc -n "$S" filter add dev s1 parent 1: protocol ipv6 u32 match u32 0 0 flowid 1:3
client -d 100 -D 100 -e "$V4" "$V6" 8080
check "3 v6 slow: IPv4 wins" 1 "$(out_field winner)"
check "3 v6 slow: IPv6 was aborted, not failed" aborted "$(out_leaf 0 outcome)"
check "3 v6 slow: IPv6 still ran when IPv4 started" yes \
	"$( (( $(out_leaf 0 end_ms) >= $(out_leaf 1 start_ms) )) && echo yes || echo no)"
tc -n "$S" qdisc del dev s1 root

# 4. Two paths: the main route's (c1) is slow, c2 is fast: c2 wins;
#    with HEY_PATHS denying c2, c1 wins.
for d in c1 c2; do
	delay=20ms
	[[ $d == c1 ]] && delay=300ms
	tc -n "$C" qdisc add dev "$d" root netem delay "$delay"
	tc -n "$S" qdisc add dev "s${d#c}" root netem delay "$delay"
done
client -4 -d 100 -D 100 "$V4" 8080
check "4 paths: two leaves, one per path" 2 "$(out_field leaves)"
check "4 paths: the main route's path comes first" c1 "$(out_leaf 0 if)"
check "4 paths: the fast path wins" c2 "$(out_leaf "$(out_field winner)" if)"
client -4 -d 100 -D 100 -x c2 "$V4" 8080
check "4 paths: HEY_PATHS deny c2: one leaf" 1 "$(out_field leaves)"
check "4 paths: HEY_PATHS deny c2: c1 wins" c1/OK "$(out_leaf 0 if)/$(out_field connect)"
client -4 -d 100 -D 100 -I c2 "$V4" 8080
check "4 paths: SO_BINDTODEVICE c2 restricts to c2" "1 c2" \
	"$(out_field leaves) $(out_leaf 0 if)"
for d in c1 c2; do
	tc -n "$C" qdisc del dev "$d" root
	tc -n "$S" qdisc del dev "s${d#c}" root
done

# 5. Failover waits for failure; immediate starts everything at once.
rules "$drop6"
client -m failover -c 1 -e "$V4" "$V6" 8080
check "5 failover: IPv4 wins" 1 "$(out_field winner)"
check "5 failover: IPv6 timed out first" ETIMEDOUT "$(out_leaf 0 error)"
check "5 failover: IPv4 started only after IPv6 failed" yes \
	"$( (( $(out_leaf 1 start_ms) >= $(out_leaf 0 end_ms) )) && echo yes || echo no)"
client -m immediate -d 3000 -D 3000 -e "$V4" "$V6" 8080
check "5 immediate: IPv4 wins" 1 "$(out_field winner)"
check "5 immediate: IPv4 did not wait" yes \
	"$( (( $(out_leaf 1 start_ms) < 1500 )) && echo yes || echo no)"

# 6. Every leaf fails: the most telling errno, blocking and not.
rules
client -e "$V4" "$V6" 8081
check "6 all refused: ECONNREFUSED" ECONNREFUSED "$(out_field connect)"
check "6 all refused: both leaves tried" "failed failed" \
	"$(out_leaf 0 outcome) $(out_leaf 1 outcome)"
client -n -e "$V4" "$V6" 8081
check "6 all refused, non-blocking: EINPROGRESS first" EINPROGRESS \
	"$(out_field nonblock)"
check "6 all refused, non-blocking: epoll says OUT,ERR,HUP" OUT,ERR,HUP \
	"$(out_field epoll_events)"
check "6 all refused, non-blocking: SO_ERROR" ECONNREFUSED "$(out_field connect)"
rules "tcp dport 8080 drop"
client -c 1 -e "$V4" "$V6" 8080
check "6 all dropped: ETIMEDOUT" ETIMEDOUT "$(out_field connect)"
rules "tcp dport 8080 reject with icmpx host-unreachable"
client -e "$V4" "$V6" 8080
check "6 host unreachable: EHOSTUNREACH" EHOSTUNREACH "$(out_field connect)"
client -x c1 -x c2 -x lo -e "$V4" "$V6" 8080
check "6 no path: ENETUNREACH" ENETUNREACH "$(out_field connect)"

# 7. Non-blocking connect and epoll, EALREADY, EISCONN; io_uring.
rules "$drop6"
client -n -r -d 100 -D 100 -e "$V4" "$V6" 8080
check "7 non-blocking: EINPROGRESS" EINPROGRESS "$(out_field nonblock)"
check "7 non-blocking: connect again: EALREADY" EALREADY "$(out_field again)"
check "7 non-blocking: epoll reports OUT" OUT "$(out_field epoll_events)"
check "7 non-blocking: SO_ERROR is 0" OK "$(out_field connect)"
check "7 non-blocking: connect after: EISCONN" EISCONN "$(out_field after)"
client -U -d 100 -D 100 -e "$V4" "$V6" 8080
check "7 io_uring connect" "OK 1" "$(out_field io_uring) $(out_field winner)"

# 8. Close, signal, SO_SNDTIMEO, interface down, netns gone mid-race.
rules "tcp dport 8080 drop"
(ip netns exec "$C" timeout -s KILL 0.5 "$HC" -e "$V4" "$V6" 8080 >/dev/null) 2>/dev/null
check "8 killed mid-race: everything freed" yes "$(idle)"
rules "$drop6"
client -d 1000 -D 1000 -a 300 -e "$V4" "$V6" 8080
check "8 signal: connect() returns EINTR" EINTR "$(out_field interrupted)"
check "8 signal: the race went on and IPv4 won" "OK 1" \
	"$(out_field connect) $(out_field winner)"
rules "tcp dport 8080 drop"
client -T 300 -e "$V4" "$V6" 8080
check "8 SO_SNDTIMEO: EINPROGRESS" EINPROGRESS "$(out_field connect)"
check "8 SO_SNDTIMEO: then everything freed" yes "$(idle)"
ip netns exec "$C" "$HC" -c 1 -e "$V4" "$V6" 8080 >"$out" 2>&1 &
sleep 0.5
ip -n "$C" link set c1 down
wait $!
check "8 interface down: the race ends with an error" yes \
	"$([[ $(out_field connect) != OK ]] && echo yes || echo no)"
check "8 interface down: everything freed" yes "$(idle)"
ip -n "$C" link set c1 up
ip -n "$C" route replace default via 10.0.1.2 dev c1 metric 100
ip -n "$C" -6 route replace default via 3fff:1::2 dev c1 metric 100
netns_gone "8 netns deleted mid-race" -e 127.0.0.1 ::1 9

# 9. Leaves are the application's: an nft rule on its uid blocks its IPv6
#    leaf too, and IPv4 wins; root's race is not affected.
rules
ip netns exec "$C" nft -f - <<-EOF
table inet owner {
	chain out {
		type filter hook output priority 0;
		meta skuid 1000 ip6 daddr $V6 tcp dport 8080 drop
	}
}
EOF
ip netns exec "$C" setpriv --reuid=1000 --regid=1000 --clear-groups \
	"$HC" -d 100 -D 100 -e "$V4" "$V6" 8080 >"$out" 2>&1
check "9 policy: uid 1000's IPv6 leaf is dropped, IPv4 wins" "OK 1" \
	"$(out_field connect) $(out_field winner)"
client -d 100 -D 100 -e "$V4" "$V6" 8080
check "9 policy: root's IPv6 leaf wins" "OK 0" \
	"$(out_field connect) $(out_field winner)"
ip netns exec "$C" nft delete table inet owner

# 10. The winner is the application's socket: 64 MiB each way, TCP_INFO,
#     options set before connect() kept, ss shows the process.
client -o -S 67108864 -e "$V4" "$V6" 8080
check "10 64 MiB each way arrive intact" "match 67108864" \
	"$(out_field check) $(out_field received)"
check "10 TCP_INFO: established" 1 "$(grep -o 'tcp_state=[0-9]*' "$out" | cut -d= -f2)"
check "10 options set before connect() hold" kept "$(out_field options)"
client -X -e "$V4" "$V6" 8080
check "10 getsockname, sendfile, splice, level-triggered epoll, shutdown" \
	ok "$(out_field extras)"
# The client holds the winner 30 s (killed once seen): the checks run once
# it reported connect=, however slow the kernel under test is.
held=$(mktemp)
ip netns exec "$C" "$HC" -w 30000 -e "$V4" "$V6" 8080 >"$held" 2>&1 &
hc=$!
wait_for "$held" '^connect=OK' 300
ss_line=$(ip netns exec "$C" ss -tnpi state established "dport = :8080")
check "10 ss shows the connection with its process" yes \
	"$(grep -q "hey_connect\",pid=$hc" <<<"$ss_line" && echo yes || echo no)"
kill "$hc"
wait "$hc" 2>/dev/null
: >"$held"
ip netns exec "$C" "$HC" -B 40123 -w 30000 -e "$V4" "$V6" 8080 >"$held" 2>&1 &
hc=$!
wait_for "$held" '^connect=OK' 300
check "10 the port bound before connect() is the winner's" yes \
	"$(ip netns exec "$C" ss -tn state established "sport = :40123" |
	   grep -q 8080 && echo yes || echo no)"
kill "$hc"
wait "$hc" 2>/dev/null
rm -f "$held"

# 11. Stress: 2,000 races, eight at a time, random outcomes (a fifth of
#     them in the debug lane: see stress() in lib.sh).
rules "ip6 nexthdr tcp tcp dport 8080 numgen random mod 4 == 0 drop"
before6=$(slab_active TCPv6)
races=$(stat races)
per=$(stress 250)
# eight clients of 250 races each (-R: a new socket per race, failures
# counted, not fatal), to ports 8080 (served), 8081 and 8082 (refused) in
# turn. One process per race would spend the debug lane's time in exec.
for i in $(seq 0 7); do echo $((8080 + i % 3)); done |
	ip netns exec "$C" xargs -P 8 -I{} "$HC" -R "$per" -d 10 -D 10 \
	-e "$V4" "$V6" {} >/dev/null 2>&1 || true
check "11 stress: $((8 * per)) races counted" $((races + 8 * per)) \
	"$(stat races)"
check "11 stress: everything freed" yes "$(idle)"
after6=$(slab_active TCPv6)
check "11 stress: TCPv6 objects back to baseline" yes \
	"$( (( after6 <= before6 + 64 )) && echo yes || echo "no ($before6 -> $after6)")"
total=$(( $(stat won) + $(stat failed) + $(stat cancelled) ))
check "11 stress: every race ended won, failed or cancelled" "$(stat races)" "$total"

# 12. The kernel's TCP metrics time the race and order the paths. With
#     no RTT cached, the next attempt waits the expected handshake time
#     of the policy (RFC 8305's 250 ms, here made 1500 ms so that a slow
#     VM's timer lateness cannot blur the two cases); once a connection
#     left the (sub-millisecond) RTT of the veth in the cache, it waits
#     only the minimum delay. Bounds are far from both values.
metrics() {
	ip netns exec "$C" ip tcp_metrics "$@"
}
ip netns exec "$C" "$HEYCTL" policy set default-delay 1500 ||
	check "12 heyctl policy set default-delay 1500" 0 $?
rules "$drop6"
metrics flush all
client -d 10 -D 2000 -e "$V4" "$V6" 8080
check "12 no RTT cached: connects over IPv4" "OK 1" "$(out_field connect) $(out_field winner)"
check "12 no RTT cached: IPv4 waited the policy's default" yes \
	"$( (( $(out_leaf 1 start_ms) >= 1490 )) && echo yes || echo "no: $(out_leaf 1 start_ms)")"
rules
metrics flush all
client -P "$V6" 8080
check "12 a plain connection leaves its RTT in the cache" yes \
	"$(metrics show "$V6" | grep -q ' rtt ' && echo yes || echo no)"
rules "$drop6"
client -d 10 -D 2000 -e "$V4" "$V6" 8080
check "12 RTT cached: connects over IPv4" "OK 1" "$(out_field connect) $(out_field winner)"
check "12 RTT cached: IPv4 started after the minimum, long before the default" yes \
	"$( (( $(out_leaf 1 start_ms) >= 10 && $(out_leaf 1 start_ms) < 750 )) && echo yes || echo "no: $(out_leaf 1 start_ms)")"
ip netns exec "$C" "$HEYCTL" policy set default-delay 250
rules

# A third path, c3: the main route's path stays first, then the paths
# whose RTT the cache knows, then the others by ifindex.
ip link add c3 netns "$C" type veth peer name s3 netns "$S"
ip -n "$C" addr add 3fff:3::1/64 dev c3 nodad
ip -n "$S" addr add 3fff:3::2/64 dev s3 nodad
ip -n "$C" link set c3 up
ip -n "$S" link set s3 up
ip -n "$C" -6 route add default via 3fff:3::2 dev c3 metric 300
metrics flush all
client "$V6" 8080
check "12 three paths, no RTT cached: ifindex order" "c1 c2 c3" \
	"$(out_leaf 0 if) $(out_leaf 1 if) $(out_leaf 2 if)"
client -P -I c3 "$V6" 8080
client "$V6" 8080
check "12 three paths, c3's RTT cached: c3 before c2" "c1 c3 c2" \
	"$(out_leaf 0 if) $(out_leaf 1 if) $(out_leaf 2 if)"
ip -n "$C" link del c3

# 13. The first leaf: a race of one plain TCP attempt (one address, one
#     path: SO_BINDTODEVICE c1) runs on the application's own socket, no
#     leaf socket made and grafted (same_sock: its SO_COOKIE before and
#     after connect()). It is still a race in every other way: HEY_INFO,
#     counters, history, the race log, tracepoints, errnos, non-blocking
#     connect, signals, SO_SNDTIMEO, close. A race of two is grafted.
rules
races=$(stat races) won=$(stat won) tcp=$(stat wins_tcp)
started=$(stat leaves_started) at_once=$(stat won_at_once)
client -I c1 -S 65536 "$V6" 8080
check "13 one leaf: connects on the application's own socket" "OK yes" \
	"$(out_field connect) $(out_field same_sock)"
check "13 one leaf: HEY_INFO: connected, one leaf, which won" \
	"connected 1 0 tcp OK" \
	"$(out_field state) $(out_field leaves) $(out_field winner) $(out_field winner_proto) $(out_field race_error)"
check "13 one leaf: HEY_INFO: the leaf" "$V6 8080 c1 tcp won OK" \
	"$(out_leaf 0 addr) $(out_leaf 0 port) $(out_leaf 0 if) $(out_leaf 0 proto) $(out_leaf 0 outcome) $(out_leaf 0 error)"
check "13 one leaf: HEY_INFO: it started, then ended" yes \
	"$( (( $(out_leaf 0 start_ms) >= 0 && $(out_leaf 0 end_ms) >= $(out_leaf 0 start_ms) )) && echo yes || echo no)"
check "13 one leaf: data flows, TCP_INFO established" "match 1" \
	"$(out_field check) $(grep -o 'tcp_state=[0-9]*' "$out" | cut -d= -f2)"
check "13 one leaf: counted: a race, won over TCP, one leaf started" \
	"$((races + 1)) $((won + 1)) $((tcp + 1)) $((started + 1))" \
	"$(stat races) $(stat won) $(stat wins_tcp) $(stat leaves_started)"
# Over the veth the answer is there before connect() returns: the
# attempt won before a race was made (quick.c), and started with it.
check "13 one leaf: won within connect(), no race made" \
	"$((at_once + 1)) 0" "$(stat won_at_once) $(out_leaf 0 start_ms)"
# It ended when TCP took the SYN-ACK, as TCP's own clock says: some time
# after connect() began, and no later than connect() returned.
us=$(out_field connect_us)
check "13 one leaf won within connect(): 0 < connect_us <= connect()'s time" yes \
	"$( (( us > 0 && us <= $(out_field elapsed_us) )) && echo yes || echo no)"
# ... also non-blocking (connected at once, so connect() again says
# EISCONN, not EALREADY) and through io_uring
client -I c1 -n -r "$V6" 8080
check "13 one leaf won within connect(), non-blocking: EINPROGRESS, EISCONN, epoll OUT, SO_ERROR 0" \
	"EINPROGRESS EISCONN OUT OK EISCONN yes" \
	"$(out_field nonblock) $(out_field again) $(out_field epoll_events) $(out_field connect) $(out_field after) $(out_field same_sock)"
client -I c1 -U "$V6" 8080
check "13 one leaf won within connect(): io_uring connect" \
	"OK OK yes connected $((at_once + 3))" \
	"$(out_field io_uring) $(out_field connect) $(out_field same_sock) $(out_field state) $(stat won_at_once)"
client -4 -I c1 "$V4" 8080
check "13 one leaf, AF_INET: own socket" "OK yes 1" \
	"$(out_field connect) $(out_field same_sock) $(out_field leaves)"
client -I c1 "$V4" 8080
check "13 one leaf, v4-mapped: own socket" "OK yes ::ffff:$V4" \
	"$(out_field connect) $(out_field same_sock) $(out_field peer)"
client -I c1 -o "$V4" 8080
check "13 one leaf: options set before connect() hold" "yes kept" \
	"$(out_field same_sock) $(out_field options)"
client -I c1 -X "$V6" 8080
check "13 one leaf: getsockname, sendfile, splice, epoll, shutdown" \
	"yes ok" "$(out_field same_sock) $(out_field extras)"
client -I c1 -e "$V4" "$V6" 8080
check "13 two endpoints: still a race of two, the winner grafted" \
	"OK 2 0 no" \
	"$(out_field connect) $(out_field leaves) $(out_field winner) $(out_field same_sock)"

# every errno of a failed attempt, and the counters of a failed race
failed=$(stat failed) refused=$(stat err_refused)
client -I c1 "$V6" 8081
check "13 one leaf refused: ECONNREFUSED" "ECONNREFUSED failed ECONNREFUSED" \
	"$(out_field connect) $(out_field state) $(out_field race_error)"
check "13 one leaf refused: the leaf failed with it" "failed ECONNREFUSED" \
	"$(out_leaf 0 outcome) $(out_leaf 0 error)"
check "13 one leaf refused: counted" "$((failed + 1)) $((refused + 1))" \
	"$(stat failed) $(stat err_refused)"
client -I c1 -N 8080 "$V6" 8081
check "13 one leaf refused, connect() again: a leaf of its own wins" \
	"ECONNREFUSED OK no 0" \
	"$(out_field first) $(out_field connect) $(out_field same_sock) $(out_field winner)"
rules "tcp dport 8080 reject with icmpx host-unreachable"
client -I c1 "$V4" 8080
check "13 one leaf unreachable: EHOSTUNREACH" "EHOSTUNREACH EHOSTUNREACH" \
	"$(out_field connect) $(out_leaf 0 error)"
rules "tcp dport 8080 drop"
client -I c1 -c 1 "$V6" 8080
check "13 one leaf dropped: ETIMEDOUT" "ETIMEDOUT ETIMEDOUT" \
	"$(out_field connect) $(out_leaf 0 error)"
# An attempt whose connect() fails at once, before any race was made (its
# quick race, quick.c), is its race's failed leaf, with TCP's errno: one
# local port, taken by a connection to the same service, leaves TCP no
# port for a second one.
rules
ports=$(ip netns exec "$C" sysctl -n net.ipv4.ip_local_port_range)
ip netns exec "$C" sysctl -qw net.ipv4.ip_local_port_range="40200 40200"
held=$(mktemp)
ip netns exec "$C" "$HC" -4 -I c1 -w 30000 "$V4" 8080 >"$held" 2>&1 &
hc=$!
wait_for "$held" '^connect=OK' 300
at_once=$(stat won_at_once) failed=$(stat failed)
client -4 -I c1 "$V4" 8080
check "13 one leaf, no local port: EADDRNOTAVAIL, the race's one leaf failed with it" \
	"EADDRNOTAVAIL failed failed EADDRNOTAVAIL $((failed + 1)) $at_once" \
	"$(out_field connect) $(out_field state) $(out_leaf 0 outcome) $(out_leaf 0 error) $(stat failed) $(stat won_at_once)"
kill "$hc"
wait "$hc" 2>/dev/null
rm -f "$held"
ip netns exec "$C" sysctl -qw net.ipv4.ip_local_port_range="$ports"

# history, the race log and the tracepoints see the race of one
# (what history said of a race of one comes with its record: the race
# log's leaf shows it, cache_hits counts it)
log_cache() {
	ip netns exec "$C" "$HEYCTL" -j races -n 1 |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["leaves"][0]["cache"])'
}
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=600
ip netns exec "$C" "$HEYCTL" cache flush
rules
hits=$(stat cache_hits)
client -I c1 "$V6" 8080
cache=$(ip netns exec "$C" "$HEYCTL" cache show)
check "13 one leaf: history records the success" yes \
	"$(grep -q "dst $V6 port 8080 proto tcp result success" <<<"$cache" && echo yes || echo "no: $cache")"
log=$(ip netns exec "$C" "$HEYCTL" races -n 1)
check "13 one leaf: the race log has it" yes \
	"$(grep -q ' state connected winner 0 connect [0-9.]*ms leaves 1$' <<<"$log" && echo yes || echo "no: $log")"
check "13 one leaf, first: history knew nothing, no cache hit" "none $hits" \
	"$(log_cache) $(stat cache_hits)"
client -I c1 "$V6" 8080
check "13 one leaf, again: history said it worked, a cache hit" \
	"OK good $((hits + 1))" \
	"$(out_field connect) $(log_cache) $(stat cache_hits)"
client -I c1 "$V6" 8081
check "13 one leaf: history records the failure" yes \
	"$(ip netns exec "$C" "$HEYCTL" cache show |
	   grep -q "dst $V6 port 8081 proto tcp result failed" && echo yes || echo no)"
client -I c1 "$V6" 8081
check "13 one leaf, failed before: tried all the same, a cache hit" \
	"ECONNREFUSED failed none $((hits + 2))" \
	"$(out_field connect) $(out_leaf 0 outcome) $(log_cache) $(stat cache_hits)"
ip netns exec "$C" "$HEYCTL" cache flush
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=0
trace=/sys/kernel/tracing
[[ -d $trace/events ]] || mount -t tracefs nodev "$trace" 2>/dev/null
if [[ -d $trace/events/hey ]]; then
	echo >"$trace/trace"
	echo 1 >"$trace/events/hey/enable"
	client -I c1 "$V6" 8080
	echo 0 >"$trace/events/hey/enable"
	t=$(cat "$trace/trace")
	check "13 one leaf: tracepoints: the race and its leaf" "yes yes yes yes" \
		"$(for e in 'hey_race_start: .* leaves=1 ' 'hey_leaf_start: .* leaf=0 ' \
			    'hey_leaf_done: .* leaf=0 .* outcome=2 error=0' \
			    'hey_race_done: .* winner=0 error=0'; do
			grep -q "$e" <<<"$t" && echo -n yes || echo -n no
			[[ $e == *race_done* ]] || echo -n ' '
		   done)"
fi

# non-blocking, EALREADY, EISCONN, io_uring, a signal: the server answers
# a second late, so that the attempt is still running when they come
tc -n "$S" qdisc add dev s1 root netem delay 1000ms
at_once=$(stat won_at_once)
client -I c1 "$V6" 8080
check "13 one leaf, answered late: a race took the attempt over, and won" \
	"OK yes 0 yes $at_once" \
	"$(out_field connect) $(out_field same_sock) $(out_leaf 0 start_ms) $( (( $(out_leaf 0 end_ms) >= 900 )) && echo yes || echo no) $(stat won_at_once)"
client -I c1 -n -r "$V6" 8080
check "13 one leaf, non-blocking: EINPROGRESS, EALREADY" "EINPROGRESS EALREADY" \
	"$(out_field nonblock) $(out_field again)"
check "13 one leaf, non-blocking: epoll OUT, SO_ERROR 0, EISCONN, own socket" \
	"OUT OK EISCONN yes" \
	"$(out_field epoll_events) $(out_field connect) $(out_field after) $(out_field same_sock)"
client -I c1 -n "$V6" 8081
check "13 one leaf refused, non-blocking: epoll OUT,ERR,HUP, SO_ERROR" \
	"EINPROGRESS OUT,ERR,HUP ECONNREFUSED" \
	"$(out_field nonblock) $(out_field epoll_events) $(out_field connect)"
client -I c1 -U "$V6" 8080
check "13 one leaf: io_uring connect" "OK OK yes" \
	"$(out_field io_uring) $(out_field connect) $(out_field same_sock)"
client -I c1 -a 300 "$V6" 8080
check "13 one leaf, signal: EINTR, then the attempt goes on and wins" \
	"EINTR OK 0 yes" \
	"$(out_field interrupted) $(out_field connect) $(out_field winner) $(out_field same_sock)"
tc -n "$S" qdisc del dev s1 root

# closing, SO_SNDTIMEO, the namespace going, mid-attempt
rules "tcp dport 8080 drop"
(ip netns exec "$C" timeout -s KILL 0.5 "$HC" -I c1 "$V6" 8080 >/dev/null) 2>/dev/null
check "13 one leaf, killed mid-attempt: everything freed" yes "$(idle)"
client -I c1 -T 300 "$V6" 8080
check "13 one leaf, SO_SNDTIMEO: EINPROGRESS" EINPROGRESS "$(out_field connect)"
check "13 one leaf, SO_SNDTIMEO: then everything freed" yes "$(idle)"
netns_gone "13 one leaf, netns deleted mid-attempt" ::1 9
rules
check "13 one leaf: nothing left behind" yes "$(idle)"

# 14. The paths of a single connect() are remembered (paths.c) while the
#     routes and the interfaces stay as they are: a race right after a
#     change sees it. Without c2's default route the service is reached
#     over c1 alone (one leaf); with it, over both paths (two leaves).
#     Each case starts at an address no race went to yet, with one path,
#     so that what is remembered first is "one path": a stale memory
#     would make the race after the change a race of one.
paths_seen() {
	client "$1" 8080
	echo "$(out_field connect) $(out_field leaves)"
}
# c2's carrier as routing sees it: the kernel's link watch marks the
# routes through c2 linkdown (or no longer) when it tells the netdevice
# notifiers, hey's among them; from then on a race must see the change.
# (The operstate changes earlier, before a synchronize_net().)
c2_linkdown() {
	local want=$1 _
	for _ in $(seq 100); do
		if ip -n "$C" -4 route show dev c2 | grep -q linkdown; then
			[[ $want == yes ]] && return
		else
			[[ $want == no ]] && return
		fi
		sleep 0.1
	done
	check "14 carrier: c2's routes linkdown $want in time" 0 1
}
ip -n "$S" addr add 10.9.9.10/32 dev lo
ip -n "$S" addr add 10.9.9.11/32 dev lo
ip -n "$S" addr add 3fff:9::10/128 dev lo
for fam in 4 6; do
	addr=10.9.9.10 gw=10.0.2.2
	[[ $fam == 6 ]] && addr=3fff:9::10 gw=3fff:2::2
	ip -n "$C" -"$fam" route del default via "$gw" dev c2 metric 200
	check "14 IPv$fam: without c2's route: one path" "OK 1" \
		"$(paths_seen "$addr")"
	check "14 IPv$fam: again: still one path" "OK 1" "$(paths_seen "$addr")"
	ip -n "$C" -"$fam" route add default via "$gw" dev c2 metric 200
	check "14 IPv$fam: c2's route added: two paths" "OK 2" \
		"$(paths_seen "$addr")"
	ip -n "$C" -"$fam" route del default via "$gw" dev c2 metric 200
	check "14 IPv$fam: c2's route gone again: one path" "OK 1" \
		"$(paths_seen "$addr")"
	ip -n "$C" -"$fam" route add default via "$gw" dev c2 metric 200
done
ip -n "$S" link set s2 down
c2_linkdown yes
check "14 carrier: c2 without carrier: one path" "OK 1" \
	"$(paths_seen 10.9.9.11)"
ip -n "$S" link set s2 up
c2_linkdown no
check "14 carrier: c2's carrier back: two paths" "OK 2" \
	"$(paths_seen 10.9.9.11)"
check "14: nothing left behind" yes "$(idle)"

finish
