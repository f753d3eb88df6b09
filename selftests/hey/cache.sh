#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The history cache: what one race learns shapes the next on the same
# network. A client and a server namespace joined by one veth; the
# server's service addresses sit on its loopback. nftables counters on
# the server count the SYNs (and SCTP INITs) each family or protocol
# sent, which is how "not tried at all" is proven.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
require_module_file

C=$(rand_ns hey-c)
S=$(rand_ns hey-s)
V6=3fff:9::9
V4=10.9.9.9
# how an AF_INET6 socket reports the IPv4 address
M4=::ffff:$V4
HC=$HEY_SELFTESTS/hey_connect
out=$(mktemp)
trace=/sys/kernel/tracing

cleanup() {
	[[ -w $trace/events/hey/enable ]] && echo 0 >"$trace/events/hey/enable"
	topo_cleanup
	rm -f "$out"
}
trap cleanup EXIT

setup() {
	topo_one_path
	# Delays from history alone: the kernel's TCP metrics would give
	# the same attempts an RTT of their own.
	ip netns exec "$C" sysctl -qw net.ipv4.tcp_no_metrics_save=1
	ip netns exec "$S" nft -f - <<-EOF
	table inet hey {
		chain in { type filter hook input priority 0; }
	}
	EOF
	topo_echo_server 8080
}

# rules RULE...: the server's input chain: a counter of IPv6 SYNs and
# of SCTP INITs (chunk type 1), then these rules.
rules() {
	ip netns exec "$S" nft flush chain inet hey in
	local r
	for r in 'meta nfproto ipv6 tcp flags syn counter comment "v6syn"' \
		 'meta l4proto sctp sctp chunk init exists counter comment "init"' \
		 "$@"; do
		ip netns exec "$S" nft add rule inet hey in "$r" ||
			check "nft takes the rule '$r'" 0 1
	done
}

client() {
	ip netns exec "$C" "$HC" "$@" >"$out" 2>&1
}

heyctl() {
	ip netns exec "$C" "$HEYCTL" "$@"
}

v6syns() { nft_packets "$S" in v6syn; }
inits() { nft_packets "$S" in init; }
ge() { [[ -n $1 && -n $2 ]] && (( $1 >= $2 )) && echo yes || echo no; }
lt() { [[ -n $1 && -n $2 ]] && (( $1 < $2 )) && echo yes || echo no; }

setup
drop6='meta nfproto ipv6 tcp dport 8080 drop'

# 1. Broken IPv6: the first race waits the attempt delay, the second
#    starts with IPv4 and sends no IPv6 SYN at all; once the entry
#    expired, IPv6 is tried again.
rules "$drop6"
client -e "$V4" "$V6" 8080
check "1 first race: IPv4 wins" "OK $M4" "$(out_field connect) $(out_field peer)"
check "1 first race: IPv6 tried first" "$V6 aborted" \
	"$(out_leaf 0 addr) $(out_leaf 0 outcome)"
check "1 first race: IPv4 waited for the delay" yes \
	"$(ge "$(out_leaf 1 start_ms)" 240)"
check "1 first race: IPv6 SYNs were sent" yes "$(ge "$(v6syns)" 1)"
rules "$drop6"
hits=$(ns_stat "$C" cache_hits)
client -e "$V4" "$V6" 8080
check "1 second race: IPv4 first, and it wins" "$M4 won" \
	"$(out_leaf 0 addr) $(out_leaf 0 outcome)"
check "1 second race: IPv4 did not wait" yes "$(lt "$(out_leaf 0 start_ms)" 100)"
check "1 second race: the IPv6 leaf never started" "$V6 pending" \
	"$(out_leaf 1 addr) $(out_leaf 1 outcome)"
check "1 second race: no IPv6 SYN at all" 0 "$(v6syns)"
check "1 second race: cache hits counted" yes \
	"$(ge "$(ns_stat "$C" cache_hits)" $((hits + 2)))"

# 3. Another network on the same interface: the history does not apply;
#    back on the first network, it does again.
heyctl network set c1 0x1234 ||
	check "heyctl network set c1 0x1234" 0 $?
rules "$drop6"
client -e "$V4" "$V6" 8080
check "3 new network id: IPv6 is tried first again" "$V6 aborted" \
	"$(out_leaf 0 addr) $(out_leaf 0 outcome)"
check "3 new network id: IPv6 SYNs were sent" yes "$(ge "$(v6syns)" 1)"
heyctl network set c1 default
rules "$drop6"
client -e "$V4" "$V6" 8080
check "3 back on the first network: its history applies" "$M4 0" \
	"$(out_leaf 0 addr) $(v6syns)"

# 1, continued: with a short net.hey.cache_timeout the IPv6 entry
#    expires, and the race after that tries IPv6 first again. Whether it
#    was there is read right away: the emulated VM may be slow.
heyctl cache flush
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=10
rules "$drop6"
client -e "$V4" "$V6" 8080
check "1 short timeout: IPv6 was outrun, and that is recorded" yes \
	"$(heyctl cache show | grep -q "dst $V6 port 8080 proto tcp result outrun" &&
	   echo yes || echo no)"
sleep 11
rules "$drop6"
client -e "$V4" "$V6" 8080
check "1 after expiry: IPv6 is tried again" "$V6 aborted OK" \
	"$(out_leaf 0 addr) $(out_leaf 0 outcome) $(out_field connect)"
check "1 after expiry: IPv6 SYNs were sent" yes "$(ge "$(v6syns)" 1)"
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=600

# 2. SCTP blocked: the second race sends no SCTP INIT.
if [[ -d /sys/module/sctp ]]; then
	rules 'meta l4proto sctp drop'
	client -p sctp,tcp "$V4" 8080
	check "2 SCTP blocked, first race: TCP wins after SCTP" "sctp tcp OK" \
		"$(out_leaf 0 proto) $(out_field winner_proto) $(out_field connect)"
	check "2 SCTP blocked, first race: an INIT was sent" yes \
		"$(ge "$(inits)" 1)"
	rules 'meta l4proto sctp drop'
	client -p sctp,tcp "$V4" 8080
	check "2 SCTP blocked, second race: TCP first and wins" "tcp won" \
		"$(out_leaf 0 proto) $(out_leaf 0 outcome)"
	check "2 SCTP blocked, second race: no INIT at all" 0 "$(inits)"
else
	check "2 SCTP is loaded in the VM" yes no
fi

# 4. Failed lately: pruned from the next race, but never all leaves.
heyctl cache flush
rules 'meta nfproto ipv6 tcp dport 8080 reject with tcp reset'
client -e "$V4" "$V6" 8080
check "4 refused IPv6: IPv4 wins" "OK ECONNREFUSED" \
	"$(out_field connect) $(out_leaf 0 error)"
pruned=$(ns_stat "$C" cache_pruned)
client -e "$V4" "$V6" 8080
check "4 refused IPv6, next race: only the IPv4 leaf" "1 $M4" \
	"$(out_field leaves) $(out_leaf 0 addr)"
check "4 refused IPv6, next race: cache_pruned counted" $((pruned + 1)) \
	"$(ns_stat "$C" cache_pruned)"
rules 'tcp dport 8080 reject with tcp reset'
client -e "$V4" "$V6" 8080
client -e "$V4" "$V6" 8080
check "4 everything refused lately: still every leaf is tried" \
	"ECONNREFUSED 2" "$(out_field connect) $(out_field leaves)"

# 5. The attempt delay comes from the measured handshake time: with a
#    success cached, the next leaf waits the minimum (100 ms), not the
#    policy's delay for when nothing is known (250 ms, made 1500 ms here
#    so that a slow VM's timer lateness cannot blur the two).
heyctl policy set default-delay 1500
heyctl cache flush
rules
client -e "$V4" "$V6" 8080
rules "$drop6"
client -e "$V4" "$V6" 8080
check "5 known handshake time: IPv4 after the minimum delay, not the default" \
	"yes yes" "$(ge "$(out_leaf 1 start_ms)" 95) $(lt "$(out_leaf 1 start_ms)" 750)"
heyctl cache flush
client -e "$V4" "$V6" 8080
check "5 nothing known: IPv4 after the policy's default delay" yes \
	"$(ge "$(out_leaf 1 start_ms)" 1490)"
heyctl policy set default-delay 250

# 6. Tracepoints, read through tracefs.
[[ -d $trace/events ]] || mount -t tracefs nodev "$trace" 2>/dev/null
if [[ -d $trace/events/hey ]]; then
	# IPv6 known good: the next race hits the cache, and IPv4 wins
	heyctl cache flush
	rules
	client -e "$V4" "$V6" 8080
	echo >"$trace/trace"
	echo 1 >"$trace/events/hey/enable"
	rules "$drop6"
	client -e "$V4" "$V6" 8080
	echo 0 >"$trace/events/hey/enable"
	t=$(cat "$trace/trace")
	for ev in hey_race_start hey_leaf_start hey_leaf_done hey_race_done \
		  hey_cache_hit; do
		check "6 tracefs shows $ev" yes \
			"$(grep -q "$ev: race=\|$ev: network=" <<<"$t" && echo yes || echo no)"
	done
	check "6 hey_race_done: IPv4 won (leaf 1), no error" yes \
		"$(grep -q 'hey_race_done: .*winner=1 error=0' <<<"$t" && echo yes || echo no)"
	heyctl cache flush
	rules 'meta nfproto ipv6 tcp dport 8080 reject with tcp reset'
	client -e "$V4" "$V6" 8080
	echo >"$trace/trace"
	echo 1 >"$trace/events/hey/hey_cache_prune/enable"
	client -e "$V4" "$V6" 8080
	echo 0 >"$trace/events/hey/hey_cache_prune/enable"
	check "6 tracefs shows hey_cache_prune of the IPv6 leaf" yes \
		"$(grep -q 'hey_cache_prune: .*family=10 port=8080' "$trace/trace" && echo yes || echo no)"
else
	check "6 tracefs has events/hey" yes no
fi

# 7. Measure mode (net.hey.cache_measure): the loser of an immediate race
#    is let finish its handshake, and history records it too; without
#    it, only the winner is.
successes() { heyctl cache show | grep -c 'result success'; }
heyctl cache flush
rules
client -m immediate -e "$V4" "$V6" 8080
check "7 without measure mode: one success recorded" "OK 1" \
	"$(out_field connect) $(successes)"
heyctl cache flush
ip netns exec "$C" sysctl -qw net.hey.cache_measure=5
measured=$(ns_stat "$C" measured)
client -m immediate -e "$V4" "$V6" 8080
for _ in $(seq 70); do
	[[ $(successes) == 2 ]] && break
	sleep 0.1
done
check "7 measure mode: the loser's handshake is recorded too" "OK 2" \
	"$(out_field connect) $(successes)"
check "7 measure mode: measured counted" $((measured + 1)) \
	"$(ns_stat "$C" measured)"
ip netns exec "$C" sysctl -qw net.hey.cache_measure=0

# 8. The namespace's policy: defaults for sockets that set nothing, and
#    limits for those that do.
heyctl cache flush
rules
heyctl policy set allowed tcp
client -p sctp,tcp "$V4" 8080
check "8 policy allows TCP only: the socket's SCTP is left out" "tcp 1 OK" \
	"$(out_leaf 0 proto) $(out_field leaves) $(out_field connect)"
heyctl policy set allowed all protocols sctp,tcp
client "$V4" 8080
check "8 policy protocols sctp,tcp: a socket without HEY_PROTOCOLS races both" \
	"sctp tcp OK" "$(out_leaf 0 proto) $(out_leaf 1 proto) $(out_field connect)"
heyctl policy set protocols tcp exclude c1
client "$V4" 8080
check "8 policy excludes the only interface: ENETUNREACH" ENETUNREACH \
	"$(out_field connect)"
heyctl policy set exclude none mode immediate default-delay 1500
rules "$drop6"
client -e "$V4" "$V6" 8080
check "8 policy mode immediate: IPv4 did not wait for a delay" "OK yes" \
	"$(out_field connect) $(lt "$(out_leaf 1 start_ms)" 750)"
heyctl policy set mode delayed default-delay 250

# 9. Known good first within a family (draft section 6): of two IPv6
#    addresses, the one that worked here lately goes first although the
#    tree order puts it second. Across families the tree order stays: a
#    known good IPv4 does not go before an unknown IPv6. Failover mode:
#    the second leaf starts only if the first fails, so the order shows
#    whatever the VM's speed.
W6=3fff:9::a
ip -n "$S" addr add "$W6/128" dev lo
heyctl cache flush
rules
client "$W6" 8080
check "9 $W6 alone: connects, recorded as good" "OK yes" \
	"$(out_field connect) $(heyctl cache show |
	   grep -q "dst $W6 port 8080 proto tcp result success" && echo yes || echo no)"
client -m failover -e "$W6" "$V6" 8080
check "9 two IPv6 addresses: the known good one first, and it wins" \
	"$W6 won" "$(out_leaf 0 addr) $(out_leaf 0 outcome)"
check "9 two IPv6 addresses: the unknown one after it" "$V6 pending" \
	"$(out_leaf 1 addr) $(out_leaf 1 outcome)"
heyctl cache flush
client -m failover -e "$W6" "$V6" 8080
check "9 nothing known: the tree order (connect()'s address first)" \
	"$V6 won" "$(out_leaf 0 addr) $(out_leaf 0 outcome)"
heyctl cache flush
client "$V4" 8080
client -m failover -e "$V4" "$V6" 8080
check "9 a known good IPv4 stays behind an unknown IPv6" "$V6 won" \
	"$(out_leaf 0 addr) $(out_leaf 0 outcome)"

finish
