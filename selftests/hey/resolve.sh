#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Races by name (HEY_HOST) against a fake resolver. A client namespace
# joined to a server namespace by two veth paths, each with IPv4 and
# IPv6; the server's service addresses sit on its loopback and are
# reached over either path; two more are blackholed by nftables. The
# cases are resolve_race's (the kselftest harness): it registers itself
# as the client namespace's resolver and answers the kernel's requests
# path by path. Its TAP lines are numbered into this script's; then
# nothing may be left behind in the namespace. Its history cases count
# the IPv6 SYNs the client sends (a counter in chain inet rr out); what
# the last of them leaves in the history cache, entries under a name,
# heyctl shows, saves and loads back.
source "$(dirname "$0")/lib.sh"
require_module_file

C=$(rand_ns hey-c)
S=$(rand_ns hey-s)
V4=10.9.9.9
V4B=10.9.9.10
V4_DROP=10.9.9.99
V6=3fff:9::9
V6B=3fff:9::10
V6_DROP=3fff:9::99
PORT=8080
HC=$HEY_SELFTESTS/hey_connect
RR=$HEY_SELFTESTS/resolve_race
source "$HEY_SELFTESTS/topo.sh"
rr_out=$(mktemp)

cleanup() {
	topo_cleanup
	rm -f "$rr_out"
}
trap cleanup EXIT

[[ -x $RR ]] || skip_all "resolve_race is not built"

setup() {
	ip netns add "$C"
	ip netns add "$S"
	for i in 1 2; do
		ip link add "c$i" netns "$C" type veth peer name "s$i" netns "$S"
		ip -n "$C" addr add "10.0.$i.1/24" dev "c$i"
		ip -n "$S" addr add "10.0.$i.2/24" dev "s$i"
		ip -n "$C" addr add "3fff:$i::1/64" dev "c$i" nodad
		ip -n "$S" addr add "3fff:$i::2/64" dev "s$i" nodad
		ip -n "$C" link set "c$i" up
		ip -n "$S" link set "s$i" up
	done
	ip -n "$C" link set lo up
	ip -n "$S" link set lo up
	for a in "$V4" "$V4B" "$V4_DROP"; do
		ip -n "$S" addr add "$a/32" dev lo
	done
	for a in "$V6" "$V6B" "$V6_DROP"; do
		ip -n "$S" addr add "$a/128" dev lo
	done
	ip -n "$C" route add default via 10.0.1.2 dev c1 metric 100
	ip -n "$C" route add default via 10.0.2.2 dev c2 metric 200
	ip -n "$C" -6 route add default via 3fff:1::2 dev c1 metric 100
	ip -n "$C" -6 route add default via 3fff:2::2 dev c2 metric 200
	ip netns exec "$S" sysctl -qw net.ipv4.ip_forward=0
	# no history: every race starts from what the resolver said
	ip netns exec "$C" sysctl -qw net.hey.cache_timeout=0
	ip netns exec "$S" nft -f - <<-EOF
	table inet hey {
		chain in {
			type filter hook input priority 0;
			ip daddr $V4_DROP drop
			ip6 daddr $V6_DROP drop
		}
	}
	EOF
	ip netns exec "$C" nft -f - <<-EOF
	table inet rr {
		chain out {
			type filter hook output priority 0;
			meta nfproto ipv6 tcp dport $PORT tcp flags syn counter comment "v6syn"
		}
	}
	EOF
	topo_echo_server "$PORT"
}

heyctl() {
	ip netns exec "$C" "$HEYCTL" "$@"
}

# rr_tap FILE: resolve_race's output, its cases numbered as ours, the
# rest as comments. Checks that it reported as many cases as it planned.
rr_tap() {
	local line plan=-1 seen=0 re='^(not )?ok [0-9]+ (.*)$'

	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			ncase=$((ncase + 1))
			seen=$((seen + 1))
			if [[ -n ${BASH_REMATCH[1]} ]]; then
				echo "not ok $ncase resolve_race: ${BASH_REMATCH[2]}"
				ret=1
			else
				echo "ok $ncase resolve_race: ${BASH_REMATCH[2]}"
			fi
		elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
			plan=${BASH_REMATCH[1]}
		elif [[ $line == "TAP version"* ]]; then
			:
		elif [[ $line == "#"* ]]; then
			echo "$line"
		else
			echo "# $line"
		fi
	done <"$1"
	check "resolve_race reported every case it planned" "$plan" "$seen"
}

setup
check "the echo server answers over IPv6" 0 \
	"$(ip netns exec "$C" "$HC" -P "$V6" "$PORT" >/dev/null 2>&1; echo $?)"
check "the blackholed address is dropped" ETIMEDOUT \
	"$(ip netns exec "$C" "$HC" -P -c 1 "$V4_DROP" "$PORT" 2>&1 |
	   grep -o '^connect=[A-Z]*' | cut -d= -f2)"

ip netns exec "$C" env RR_IF1=c1 RR_IF2=c2 RR_PORT="$PORT" \
	RR_V4="$V4" RR_V4B="$V4B" RR_V4_DROP="$V4_DROP" \
	RR_V6="$V6" RR_V6B="$V6B" RR_V6_DROP="$V6_DROP" \
	RR_STRESS="$(stress 50)" "$RR" >"$rr_out" 2>&1
rc=$?
rr_tap "$rr_out"
check "resolve_race exits 0" 0 "$rc"

# What the races by name of history_by_name_across_addresses recorded:
# under the name (folded), its IPv6 outrun and its IPv4 a success.
net=$(printf '0x%x' $(( (1 << 63) | $(ip netns exec "$C" cat /sys/class/net/c1/ifindex) )))
shown=$(heyctl cache show | sed 's/ \(successes\|age\) .*//')
check "heyctl cache show: the name's IPv6, outrun" yes \
	"$(grep -qx "network $net name hist.example.test family inet6 port $PORT proto tcp result outrun" <<<"$shown" &&
	   echo yes || echo no)"
check "heyctl cache show: the name's IPv4, a success" yes \
	"$(grep -qx "network $net name hist.example.test family inet port $PORT proto tcp result success" <<<"$shown" &&
	   echo yes || echo no)"
check "heyctl -j cache show: the name, no dst" "inet6 None outrun" \
	"$(heyctl -j cache show | python3 -c '
import json, sys
e = [e for e in json.load(sys.stdin) if e["name"] == "hist.example.test" and e["family"] == "inet6"][0]
print(e["family"], e["dst"], e["result"])')"
# a save and a load give back every entry, the names' among them
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=600
before=$(heyctl cache show | sed 's/ age [0-9]*//' | sort)
heyctl cache save "$rr_out.cache"
heyctl cache flush
check "heyctl cache flush: empty" "" "$(heyctl cache show)"
heyctl cache load "$rr_out.cache"
check "heyctl cache save, flush, load: the same entries" "$before" \
	"$(heyctl cache show | sed 's/ age [0-9]*//' | sort)"
check "heyctl cache save, flush, load: names among them" yes \
	"$(grep -q ' name hist.example.test ' <<<"$before" && echo yes || echo no)"
heyctl cache flush
ip netns exec "$C" sysctl -qw net.hey.cache_timeout=0
rm -f "$rr_out.cache"

check "no race in flight, no hey socket left" yes "$(ns_idle "$C")"
check "resolve_timeout back to its default" 5000 \
	"$(ip netns exec "$C" sysctl -n net.hey.resolve_timeout)"

finish
