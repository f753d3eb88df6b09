#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# heyd follows the module: it notices the "hey" family vanish and appear
# again (rmmod/insmod while it runs), and exits cleanly on SIGTERM.
# heyctl reports the status, in text and JSON. (a) heyd keeps the
# history cache (entries under names too: races by name record them)
# across its restarts and module reloads, in a file it
# saves after changes and at exit; a truncated or corrupt file is
# reported and ignored whole. (b) heyd names the network of each
# interface after its default router's link-layer address and its IPv6
# prefixes, and tells the kernel. (c) heyd resolves the names races
# connect to (HEY_HOST), per path, each path asking its own network's
# DNS server (dnsmasq in a server namespace per path): split DNS, IPv6
# blackholed, DNS-SD instances by SRV priority, no such name, .local
# names by multicast DNS (a responder in S1 on c1's link only); the
# helper absent, killed (before and during a race) and back; malformed
# DNS answers.
source "$(dirname "$0")/lib.sh"
require_module_file

dir=$(mktemp -d)
log=$dir/log
C=$(rand_ns heyd-c)
R=$(rand_ns heyd-r)
N=$(rand_ns heyd-n)
S1=$(rand_ns heyd-s1)
S2=$(rand_ns heyd-s2)
cleanup() {
	[[ -n "${heyd_pid:-}" ]] && kill "$heyd_pid" 2>/dev/null
	for ns in "$C" "$N" "$S1" "$S2"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	for ns in "$C" "$R" "$N" "$S1" "$S2"; do
		ip netns del "$ns" 2>/dev/null
	done
	hey_loaded || insmod "$HEY_MODULE"
	rm -rf "$dir"
}
trap cleanup EXIT

hey_loaded || insmod "$HEY_MODULE"

"$HEYD" --once 2>/dev/null
check "heyd --once with the module loaded" 0 "$?"

json=$("$HEYCTL" -j status)
api=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["api"])' <<<"$json")
check "heyctl -j status is JSON with the API version" 1 "$api"
"$HEYCTL" status | grep -q '^hey .* (netlink API 1)$'
check "heyctl status text" 0 "$?"
"$HEYCTL" bogus >/dev/null 2>&1
check "heyctl unknown command exits 2" 2 "$?"
"$HEYD" --save-delay soon 2>/dev/null
check "heyd refuses a bad option value with 2" 2 "$?"

cache=$dir/cache

# heyd_start ARGS...: heyd in the foreground, verbose, logging to $log
# (appended), with the cache file $cache.
heyd_start() {
	"$HEYD" -f -v --cache-file "$cache" "$@" 2>>"$log" &
	heyd_pid=$!
}

# heyd_stop: SIGTERM, and heyd's exit status.
heyd_stop() {
	kill -TERM "$heyd_pid"
	wait "$heyd_pid"
	local st=$?
	heyd_pid=
	return $st
}

# reload: the module out and in again.
reload() {
	rmmod hey && insmod "$HEY_MODULE"
}

heyd_start --no-network-ids
wait_for "$log" "start: hey"
check "heyd sees the module at start" 0 "$?"
grep -q "load: $cache: no saved cache yet" "$log"
check "heyd starts without a saved cache" 0 "$?"

rmmod hey
wait_for "$log" "family vanished"
check "heyd notices rmmod" 0 "$?"
"$HEYD" --once 2>/dev/null
check "heyd --once without the module" 1 "$?"

insmod "$HEY_MODULE"
wait_for "$log" "family appeared: hey"
check "heyd notices insmod" 0 "$?"

heyd_stop
check "heyd exits 0 on SIGTERM" 0 "$?"
grep -q "signal 15: exiting" "$log"
check "heyd logs its exit" 0 "$?"

# ---- (a) the cache kept in a file --------------------------------------

# the cache as heyctl shows it, without the ages, sorted
cache_now() {
	"$HEYCTL" cache show | sed 's/ age [0-9]*//' | sort
}

# entries N: the count the end line of the saved file gives
saved_count() {
	sed -n 's/^# end: \([0-9]*\) entries, .*/\1/p' "$cache"
}

"$HEYCTL" cache flush
rm -f "$cache"
: >"$log"
heyd_start --no-network-ids --save-delay 1
wait_for "$log" "start: hey"
"$HEYCTL" cache add network 0x1234 dst 10.9.9.9 port 8080 proto tcp \
	result success successes 3 failures 0 handshake 1203 srtt 1100 age 1000
"$HEYCTL" cache add network 0x1234 dst 3fff:9::9 port 8080 proto tcp \
	result failed failures 2 error ECONNREFUSED age 2000
"$HEYCTL" cache add network 0x8000000000000002 dst any port 443 proto tfo \
	result failed error ETIMEDOUT
# name entries, as races by name record them; one with a space
"$HEYCTL" cache add network 0x1234 name www.hey.test family inet6 port 8080 \
	proto tcp result outrun age 500
"$HEYCTL" cache add network 0x1234 name 'Hey Printer._ipp._tcp.local' \
	family inet port 631 proto tcp result success successes 1
for _ in $(seq 50); do
	[[ $(saved_count 2>/dev/null) == 5 ]] && break
	sleep 0.1
done
check "persist: saved within the delay after changes" 5 "$(saved_count)"
check "persist: the names saved, each one word" 2 \
	"$(grep -c -e '^network 0x1234 name www.hey.test family inet6 port 8080 ' \
		   -e '^network 0x1234 name hey\\032printer._ipp._tcp.local family inet port 631 ' \
		   "$cache")"

# a change just before SIGTERM is saved at exit
"$HEYCTL" cache add network 0x1234 dst 10.9.9.8 port 443 proto sctp \
	result outrun successes 1 failures 0 age 10
before=$(cache_now)
check "persist: six entries in the kernel" 6 "$(wc -l <<<"$before")"
heyd_stop
check "persist: heyd exits 0" 0 "$?"
check "persist: the file has every entry after SIGTERM" 6 "$(saved_count)"
check "persist: no temporary file left" "cache log" "$(cd "$dir" && echo *)"

reload
check "persist: module reloaded, cache empty" "" "$(cache_now)"
heyd_start --no-network-ids --save-delay 1
wait_for "$log" "load: $cache: 6 entries loaded"
check "persist: heyd loads the saved entries at start" 0 "$?"
check "persist: heyctl cache show shows the same entries" "$before" \
	"$(cache_now)"
check "persist: the name entries among them" 2 \
	"$(grep -c ' name ' <<<"$(cache_now)")"
age=$("$HEYCTL" cache show | grep 'dst 3fff:9::9' | sed 's/.* age \([0-9]*\).*/\1/')
check "persist: a loaded entry is not younger than saved" yes \
	"$( ((age >= 2000)) && echo yes || echo "no: $age")"

# the module reloaded while heyd runs: the cache goes back in
: >"$log"
reload
wait_for "$log" "load: $cache: 6 entries loaded"
check "persist: loaded again when the module comes back" 0 "$?"
check "persist: the same entries after the reload" "$before" "$(cache_now)"

# heyd restarted while the module keeps its cache: nothing is replaced
heyd_stop
: >"$log"
heyd_start --no-network-ids
wait_for "$log" "load: $cache: 0 entries loaded, 6 already known"
check "persist: entries the kernel has are kept, not replaced" 0 "$?"
heyd_stop

# truncated: ignored whole, with a message
size=$(stat -c %s "$cache")
head -c $((size - 60)) "$cache" >"$dir/cut" && mv "$dir/cut" "$cache"
reload
: >"$log"
heyd_start --no-network-ids
wait_for "$log" "truncated or corrupt, ignored: nothing loaded"
check "persist: a truncated file is reported and ignored" 0 "$?"
grep -q "load: $cache: truncated: no end line after line" "$log"
check "persist: the message says truncated" 0 "$?"
check "persist: nothing of a truncated file is loaded" "" "$(cache_now)"
heyd_stop

# corrupt: one entry's port changed, the checksum tells
"$HEYCTL" cache add network 0x1234 dst 10.9.9.9 port 8080 proto tcp \
	result success
"$HEYCTL" cache save "$cache"
sed -i 's/port 8080/port 8081/' "$cache"
"$HEYCTL" cache flush
: >"$log"
heyd_start --no-network-ids
wait_for "$log" "truncated or corrupt, ignored: nothing loaded"
check "persist: a corrupt file is reported and ignored" 0 "$?"
grep -q "corrupt: the end line does not match the 1 entries before it" "$log"
check "persist: the message says corrupt" 0 "$?"
check "persist: nothing of a corrupt file is loaded" "" "$(cache_now)"
heyd_stop

# ---- (b) network identity ----------------------------------------------

# C's c0 faces the router R's r0; C's default routes go through R.
ip netns add "$C"
ip netns add "$R"
ip link add c0 netns "$C" type veth peer name r0 netns "$R"
ip -n "$R" link set r0 address 02:00:00:00:01:01
ip -n "$C" link set lo up
ip -n "$R" link set lo up
ip -n "$C" link set c0 up
ip -n "$R" link set r0 up
ip -n "$R" addr add 192.0.2.1/24 dev r0
ip -n "$C" addr add 192.0.2.2/24 dev c0
ip -n "$C" addr add 2001:db8:1::2/64 dev c0 nodad
ip -n "$C" route add default via 192.0.2.1 dev c0

# netid IFACE: its network id and " default" when it is the kernel's
netid() {
	ip netns exec "$C" "$HEYCTL" network show "$1" |
		awk '{ print $5 ($6 ? " " $6 : "") }'
}

# wait_netid IFACE NOT: until the id is neither NOT nor a default one
wait_netid() {
	local id
	for _ in $(seq 100); do
		id=$(netid "$1")
		[[ "$id" != "$2" && "$id" != *default ]] && break
		sleep 0.1
	done
	echo "$id"
}

# wait_default IFACE: until the id is the kernel's default one
wait_default() {
	local id
	for _ in $(seq 100); do
		id=$(netid "$1")
		[[ "$id" == *default ]] && break
		sleep 0.1
	done
	echo "$id"
}

default_c0=$(netid c0)
check "netid: c0 starts on the default id" yes \
	"$([[ $default_c0 == *default ]] && echo yes || echo "no: $default_c0")"
: >"$log"
ip netns exec "$C" "$HEYD" -f -v --no-cache-file 2>>"$log" &
heyd_pid=$!
id1=$(wait_netid c0 "")
check "netid: heyd sets c0 a network id of its own" yes \
	"$([[ $id1 =~ ^0x[0-7]?[0-9a-f]{1,15}$ ]] && echo yes || echo "no: $id1")"
grep -q "network: c0: id $id1" "$log"
check "netid: heyd logs the id" 0 "$?"
check "netid: loopback keeps its default id" "0x8000000000000001 default" \
	"$(netid lo)"

# the router's link-layer address changes: another network
ip -n "$R" link set r0 address 02:00:00:00:01:02
ip -n "$C" neigh flush dev c0
id2=$(wait_netid c0 "$id1")
check "netid: another router MAC, another id" yes \
	"$([[ $id2 != "$id1" && $id2 != *default ]] && echo yes || echo "no: $id1 then $id2")"

# back to the first router: its id again
ip -n "$R" link set r0 address 02:00:00:00:01:01
ip -n "$C" neigh flush dev c0
id3=$(wait_netid c0 "$id2")
check "netid: the first router again, the first id again" "$id1" "$id3"

# another IPv6 prefix on the link: another network
ip -n "$C" addr add 2001:db8:2::2/64 dev c0 nodad
id4=$(wait_netid c0 "$id1")
check "netid: another IPv6 prefix, another id" yes \
	"$([[ $id4 != "$id1" ]] && echo yes || echo "no: $id4")"
ip -n "$C" addr del 2001:db8:2::2/64 dev c0
check "netid: the prefix gone, the id back" "$id1" "$(wait_netid c0 "$id4")"

# the module reloaded: heyd tells it again
reload
check "netid: pushed again after a module reload" "$id1" \
	"$(wait_netid c0 "")"

# no default router: back to the kernel's default id
ip -n "$C" route del default
check "netid: no default router, the default id" "$default_c0" \
	"$(wait_default c0)"

heyd_stop
check "netid: heyd exits 0" 0 "$?"

# ---- (c) names resolved per path ---------------------------------------

# N, the client, faces S1 over c1 - s1 (10.1.0.0/24, 2001:db8:1::/64)
# and S2 over c2 - s2 (10.2.0.0/24, 2001:db8:2::/64). Each server
# namespace runs dnsmasq on .1 of its networks, knowing only the names
# given, and hey_connect's echo servers where a case needs them.
HC=$HEY_SELFTESTS/hey_connect
out=$dir/out
ns_of() { [[ $1 == 1 ]] && echo "$S1" || echo "$S2"; }

ip netns add "$N"
ip -n "$N" link set lo up
for i in 1 2; do
	s=$(ns_of $i)
	ip netns add "$s"
	ip link add "c$i" netns "$N" type veth peer name "s$i" netns "$s"
	ip -n "$N" addr add "10.$i.0.2/24" dev "c$i"
	ip -n "$s" addr add "10.$i.0.1/24" dev "s$i"
	ip -n "$N" addr add "2001:db8:$i::2/64" dev "c$i" nodad
	ip -n "$s" addr add "2001:db8:$i::1/64" dev "s$i" nodad
	ip -n "$N" link set "c$i" up
	ip -n "$s" link set "s$i" up
	ip -n "$s" link set lo up
	ip -n "$N" route add default via "10.$i.0.1" dev "c$i" metric "${i}00"
	ip -n "$N" -6 route add default via "2001:db8:$i::1" dev "c$i" \
		metric "${i}00"
done
# no history: every race starts from what the resolver said
ip netns exec "$N" sysctl -qw net.hey.cache_timeout=0

# dns_start I RECORD-OPTIONS...: dnsmasq in S_I, on 10.I.0.1 and
# 2001:db8:I::1 port 53, answering .test names from the options only
dns_start() {
	local i=$1
	shift
	ip netns exec "$(ns_of "$i")" dnsmasq --keep-in-foreground -C /dev/null \
		--no-resolv --no-hosts --local=/test/ --user=root --group=root \
		--bind-interfaces --listen-address="10.$i.0.1" \
		--listen-address="2001:db8:$i::1" --pid-file="$dir/dnsmasq$i.pid" \
		--log-queries --log-facility="$dir/dnsmasq$i.log" "$@" &
}

# echo_start I PORT: an echo server in S_I, once it answers on 10.I.0.1
echo_start() {
	ip netns exec "$(ns_of "$1")" "$HC" -l "$2" >/dev/null &
	for _ in $(seq 50); do
		ip netns exec "$N" "$HC" -P "10.$1.0.1" "$2" >/dev/null 2>&1 &&
			return
		sleep 0.1
	done
}

# dns_ready I: until S_I's dnsmasq has started
dns_ready() {
	wait_for "$dir/dnsmasq$1.log" "started"
}

# www.test: each network has its own answer
dns_start 1 --host-record=www.test,10.1.0.1,2001:db8:1::1 \
	--host-record=dual.test,10.1.0.1,2001:db8:1::1 \
	--host-record=a.test,10.1.0.1 --host-record=b.test,10.1.0.1 \
	--srv-host=Printer._echo._tcp.test,a.test,9001,10,5 \
	--txt-record=Printer._echo._tcp.test,txtvers=1 \
	--ptr-record=_echo._tcp.test,Printer._echo._tcp.test \
	--ptr-record=_echo._tcp.test,Duo._echo._tcp.test \
	--srv-host=Duo._echo._tcp.test,b.test,9002,20,0 \
	--srv-host=Duo._echo._tcp.test,a.test,9003,10,0
dns_start 2 --host-record=www.test,10.2.0.1,2001:db8:2::1

cat >"$dir/heyd.conf" <<EOF
# the per-network DNS servers of the test
dns c1 10.1.0.1
dns c2 10.2.0.1
dns-timeout 300
dns-tries 2
EOF

# heyd_names [CONFIG]: heyd in N as the resolver, with the configuration
# above or CONFIG, once it registered (the log starts afresh: an earlier
# heyd's line would not do)
heyd_names() {
	: >"$log"
	ip netns exec "$N" "${HEYD_BIN:-$HEYD}" -f -v --no-cache-file --no-network-ids \
		--config "${1:-$dir/heyd.conf}" 2>>"$log" &
	heyd_pid=$!
	wait_for "$log" "resolve: registered as the resolver"
}

# hc ARGS...: hey_connect in N over c1 and c2, output in $out
hc() {
	ip netns exec "$N" "$HC" -i c1 -i c2 "$@" >"$out" 2>&1
}

# An AF_INET6 socket's IPv4 leaves show v4-mapped in HEY_INFO.

# leaf_pairs: "IF ADDR" of every leaf of $out, sorted, once each
leaf_pairs() {
	grep '^leaf=' "$out" |
		sed 's/.* addr=\([^ ]*\) port=[0-9]* if=\([^ ]*\) .*/\2 \1/' |
		sed 's/ ::ffff:/ /' | sort -u | tr '\n' ' '
}

# winner KEY: a field of the winning leaf (an address unmapped)
winner() {
	out_leaf "$(out_field winner)" "$1" | sed 's/^::ffff://'
}

"$HEYD" --config "$dir/nonexistent.conf" --once 2>"$dir/err"
check "names: heyd refuses a missing --config with 2" 2 "$?"
printf 'dns-tries 2\nbogus 1\n' >"$dir/bad.conf"
"$HEYD" --config "$dir/bad.conf" --once 2>"$dir/err"
check "names: heyd refuses an unknown keyword with 2" 2 "$?"
check "names: the error names the file and line" \
	"heyd: $dir/bad.conf: line 2: unknown keyword 'bogus'" "$(cat "$dir/err")"

# the helper absent: no resolver registered
hc -H www.test :: 8080
check "names: no helper, EDESTADDRREQ" EDESTADDRREQ "$(out_field connect)"

heyd_names
check "names: heyd registers as the resolver" 0 "$?"
dns_ready 1
dns_ready 2

# (1) split DNS: nobody listens on 8080, so every leaf of both paths
# runs and fails; each path raced what its own DNS server said
hc -m immediate -H www.test :: 8080
check "names: split DNS, every leaf refused" ECONNREFUSED \
	"$(out_field connect)"
check "names: split DNS, each path raced its own network's addresses" \
	"c1 10.1.0.1 c1 2001:db8:1::1 c2 10.2.0.1 c2 2001:db8:2::1 " \
	"$(leaf_pairs)"
grep -q "resolve: c1: DNS servers from the configuration" "$log"
check "names: c1's servers from the configuration" 0 "$?"

# S2 listens: the race is won over c2, at an address S2's DNS gave
echo_start 2 8080
hc -H www.test :: 8080
check "names: split DNS, connected" OK "$(out_field connect)"
check "names: split DNS, won over c2 at S2's address" "c2 yes" \
	"$(winner if) $([[ $(winner addr) == 10.2.0.1 ||
			    $(winner addr) == 2001:db8:2::1 ]] && echo yes ||
			  echo "no: $(winner addr)")"

# an AF_INET socket asks for IPv4 only
ip netns exec "$N" "$HC" -4 -i c2 -H www.test 0.0.0.0 8080 >"$out" 2>&1
check "names: an AF_INET socket races A records only" "OK c2 10.2.0.1 " \
	"$(out_field connect) $(leaf_pairs)"

# heyd needs CAP_NET_ADMIN alone (heyd.service's only capability): as
# nobody with nothing else it registers and resolves per path (c-ares
# binds a path's queries with SO_BINDTODEVICE, which an unprivileged
# socket may do since Linux 5.7)
heyd_stop
chmod 755 "$dir"
: >"$log"
ip netns exec "$N" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=-all,+net_admin --ambient-caps=-all,+net_admin \
	--bounding-set=-all,+net_admin -- "$HEYD" -f -v --no-cache-file \
	--no-network-ids --config "$dir/heyd.conf" 2>>"$log" &
heyd_pid=$!
wait_for "$log" "resolve: registered as the resolver"
check "names: heyd as nobody with CAP_NET_ADMIN alone registers" 0 "$?"
# CAP_NET_ADMIN is bit 12
check "names: heyd's effective capabilities are CAP_NET_ADMIN alone" \
	"65534 0000000000001000" \
	"$(awk '$1 == "Uid:" { u = $3 } $1 == "CapEff:" { c = $2 }
		END { print u, c }' "/proc/$heyd_pid/status")"
hc -H www.test :: 8080
check "names: heyd with CAP_NET_ADMIN alone, a race by name connects over c2" \
	"OK c2" "$(out_field connect) $(winner if)"
heyd_stop
heyd_names
check "names: heyd as root registers again" 0 "$?"

# (2) AAAA and A, IPv6 blackholed: tried first, then IPv4 wins
ip netns exec "$S1" nft -f - <<EOF
table inet hey {
	chain in {
		type filter hook input priority 0;
		ip6 daddr 2001:db8:1::1 tcp dport 8081 drop
	}
}
EOF
echo_start 1 8081
ip netns exec "$N" "$HC" -i c1 -H dual.test :: 8081 >"$out" 2>&1
check "names: IPv6 blackholed, connected over IPv4" "OK 10.1.0.1" \
	"$(out_field connect) $(winner addr)"
check "names: IPv6 blackholed, the AAAA address was tried first" \
	2001:db8:1::1 "$(out_leaf 0 addr)"

# (3) DNS-SD: the instance's SRV record gives the port (connect()'s is
# ignored); of two SRV records the lower priority goes first
echo_start 1 9001
echo_start 1 9002
ip netns exec "$N" "$HC" -i c1 -H Printer._echo._tcp.test :: 1 >"$out" 2>&1
check "names: DNS-SD instance, connected to the SRV target and port" \
	"OK 10.1.0.1 9001" \
	"$(out_field connect) $(winner addr) $(winner port)"
# Duo: priority 10 is a.test:9003 (refused), priority 20 b.test:9002
ip netns exec "$N" "$HC" -i c1 -H Duo._echo._tcp.test :: 1 >"$out" 2>&1
check "names: DNS-SD, priority 10 first (refused), then priority 20 wins" \
	"OK 9003 9002" \
	"$(out_field connect) $(out_leaf 0 port) $(winner port)"

# (4) no such name: ENXIO
hc -H nx.test :: 8080
check "names: a name no DNS knows, ENXIO" ENXIO "$(out_field connect)"

# (5) .local names by one-shot multicast DNS queries: an mDNS responder
# in S1, on s1, owns printer.local (S1's addresses) and the instance
# Printer._echo._tcp.local (SRV printer.local:9002, the addresses
# alongside), answering by unicast to the query's port (RFC 6762
# section 6.7). Nobody answers on c2's link, nor for any other name.
cat >"$dir/mdns.py" <<'EOF'
# A tiny mDNS responder for one-shot queriers (RFC 6762 section 6.7):
# on IFNAME, joined to 224.0.0.251 and ff02::fb, port 5353; it owns
# printer.local (A ADDR4, AAAA ADDR6) and Printer._echo._tcp.local (SRV
# printer.local:9002, TXT), and answers a query from a port other than
# 5353 by unicast to it, repeating its ID and question, the addresses
# of the name alongside. Each query is logged: "query NAME TYPE FAMILY
# PORT". Usage: mdns.py IFNAME ADDR4 ADDR6 LOG
import select, socket, struct, sys

ifname, addr4, addr6, logname = sys.argv[1:5]
log = open(logname, 'a', buffering=1)
host = 'printer.local'
instance = 'printer._echo._tcp.local'


def name(text):
    return b''.join(bytes([len(l)]) + l.encode() for l in text.split('.')) + b'\0'


def rr(owner, rtype, rdata):
    # class IN without the cache-flush bit, TTL 10: legacy unicast
    return name(owner) + struct.pack('!HHIH', rtype, 1, 10, len(rdata)) + rdata


a = rr(host, 1, socket.inet_pton(socket.AF_INET, addr4))
aaaa = rr(host, 28, socket.inet_pton(socket.AF_INET6, addr6))
srv = rr(instance, 33, struct.pack('!HHH', 0, 0, 9002) + name(host))
txt = rr(instance, 16, b'\x09txtvers=1')
# (name, type): the answers, the additional records
zone = {
    (host, 1): ([a], [aaaa]),
    (host, 28): ([aaaa], [a]),
    (instance, 33): ([srv], [a, aaaa]),
    (instance, 16): ([txt], []),
}

s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s4.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
s4.bind(('', 5353))
s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
              socket.inet_aton('224.0.0.251') + socket.inet_aton(addr4))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s6.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
s6.bind(('', 5353))
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
              socket.inet_pton(socket.AF_INET6, 'ff02::fb') +
              struct.pack('@I', socket.if_nametoindex(ifname)))
print('ready', file=log)
while True:
    for s in select.select([s4, s6], [], [])[0]:
        q, peer = s.recvfrom(9000)
        if len(q) < 12 or q[2] & 0x80 or q[4:6] != b'\0\1':
            continue
        i, labels = 12, []
        while i < len(q) and q[i] and len(labels) < 128:
            labels.append(q[i + 1:i + 1 + q[i]].decode('utf-8', 'replace'))
            i += 1 + q[i]
        if len(q) < i + 5:
            continue
        qname = '.'.join(labels).lower()
        qtype = struct.unpack('!H', q[i + 1:i + 3])[0]
        print('query', qname, qtype, 6 if s is s6 else 4, peer[1], file=log)
        if (qname, qtype) not in zone or peer[1] == 5353:
            continue
        an, ar = zone[(qname, qtype)]
        msg = (q[:2] + struct.pack('!HHHHH', 0x8400, 1, len(an), 0, len(ar)) +
               q[12:i + 5] + b''.join(an) + b''.join(ar))
        s.sendto(msg, peer)
EOF
ip netns exec "$S1" python3 "$dir/mdns.py" s1 10.1.0.1 2001:db8:1::1 \
	"$dir/mdns.log" &
mdns_pid=$!
wait_for "$dir/mdns.log" "ready" 300
# s1_leaves: the leaves of $out not on c1 at an address of S1 (none)
s1_leaves() {
	leaf_pairs | sed 's/c1 10\.1\.0\.1 //g; s/c1 2001:db8:1::1 //g'
}
hc -H printer.local :: 9001
check "names: mDNS, printer.local connected over c1 at S1's address" \
	"OK c1 yes" "$(out_field connect) $(winner if) $(
		[[ $(winner addr) == 10.1.0.1 ||
		   $(winner addr) == 2001:db8:1::1 ]] && echo yes ||
		echo "no: $(winner addr)")"
check "names: mDNS, every leaf on c1 at an address the responder gave" \
	"" "$(s1_leaves)"
grep -q "resolve: c1: .local names by one-shot multicast DNS queries" "$log"
check "names: heyd logs that c1 asks .local names by multicast DNS" 0 "$?"
check "names: mDNS queries over IPv4 and IPv6, never from port 5353" \
	"4 6 no5353" "$(awk '$1 == "query" { f[$4] = 1; if ($5 == 5353) p = 1 }
		END { printf "%s%s%s", f[4] ? "4 " : "", f[6] ? "6 " : "",
		      p ? "from5353" : "no5353" }' "$dir/mdns.log")"
# the log afresh (the responder appends): what the instance asks
: >"$dir/mdns.log"
hc -H Printer._echo._tcp.local :: 1
check "names: mDNS DNS-SD instance, connected over c1 to the SRV port" \
	"OK c1 9002" "$(out_field connect) $(winner if) $(winner port)"
check "names: mDNS DNS-SD, every leaf on c1 at S1's addresses" "" \
	"$(s1_leaves)"
# the target's addresses came with the SRV answer: never asked
check "names: mDNS DNS-SD, the SRV target's addresses not asked apart" 0 \
	"$(awk '$1 == "query" && $2 == "printer.local"' "$dir/mdns.log" |
		wc -l)"
hc -H nobody.local :: 9001
check "names: a .local name nobody answers, ENXIO" ENXIO \
	"$(out_field connect)"
kill "$mdns_pid"
wait "$mdns_pid" 2>/dev/null

r=$(ns_stat "$N" resolves)
e=$(ns_stat "$N" resolve_endpoints)
check "names: heyctl stats counts races by name and endpoints" yes \
	"$(((r >= 8 && e >= 8)) && echo yes || echo "no: $r races, $e endpoints")"

# (5) the module reloaded while heyd runs: it registers again
: >"$log"
reload
wait_for "$log" "resolve: registered as the resolver"
check "names: registered again after a module reload" 0 "$?"
ip netns exec "$N" sysctl -qw net.hey.cache_timeout=0
hc -H www.test :: 8080
check "names: races by name after the reload" "OK c2" \
	"$(out_field connect) $(winner if)"

# (6) heyd gone: stopped, killed, killed while a race waits for it
no_resolver=$(ns_stat "$N" resolve_no_resolver)
heyd_stop
hc -H www.test :: 8080
check "names: heyd stopped, EDESTADDRREQ" EDESTADDRREQ "$(out_field connect)"
heyd_names
hc -H www.test :: 8080
check "names: heyd started again, connected" OK "$(out_field connect)"
kill -KILL "$heyd_pid"
wait "$heyd_pid" 2>/dev/null
heyd_pid=
hc -H www.test :: 8080
check "names: heyd killed, EDESTADDRREQ" EDESTADDRREQ "$(out_field connect)"
check "names: resolve_no_resolver counts them" $((no_resolver + 2)) \
	"$(ns_stat "$N" resolve_no_resolver)"

# S2's DNS server silent: the race waits for heyd, which is killed.
# Neither heyd's DNS timeout nor the kernel's may end it first, however
# slow the VM.
ip netns exec "$S2" nft -f - <<EOF
table inet hey {
	chain in {
		type filter hook input priority 0;
		udp dport 53 drop
	}
}
EOF
sed 's/^dns-timeout .*/dns-timeout 60000/' "$dir/heyd.conf" >"$dir/slow.conf"
resolve_timeout=$(ip netns exec "$N" sysctl -n net.hey.resolve_timeout)
ip netns exec "$N" sysctl -qw net.hey.resolve_timeout=120000
heyd_names "$dir/slow.conf"
ip netns exec "$N" "$HC" -i c2 -H www.test :: 8080 >"$out" 2>&1 &
hc_pid=$!
wait_for "$log" "resolve [0-9]* www.test (host"
check "names: the request reached heyd" 0 "$?"
kill -KILL "$heyd_pid"
wait "$heyd_pid" 2>/dev/null
heyd_pid=
wait "$hc_pid"
check "names: heyd killed during the race, EDESTADDRREQ" EDESTADDRREQ \
	"$(out_field connect)"
ip netns exec "$S2" nft flush ruleset
ip netns exec "$N" sysctl -qw net.hey.resolve_timeout="$resolve_timeout"
heyd_names
hc -H www.test :: 8080
check "names: heyd back, races by name work again" OK "$(out_field connect)"

# (6b) another resolver holds the place (hey_hold -r: registered, it
# reads nothing): heyd, started meanwhile, logs EBUSY and tries again;
# races by name are the other's, unanswered: ETIMEDOUT at the kernel's
# resolve timeout. Once the other closes, heyd registers and serves.
heyd_stop
ip netns exec "$N" sysctl -qw net.hey.resolve_timeout=1000
coproc holder { ip netns exec "$N" "$HEY_SELFTESTS/hey_hold" -r; }
read -r -t 10 held <&"${holder[0]}"
check "names: another resolver registered" registered "$held"
: >"$log"
ip netns exec "$N" "${HEYD_BIN:-$HEYD}" -f -v --no-cache-file \
	--no-network-ids --config "$dir/heyd.conf" 2>>"$log" &
heyd_pid=$!
wait_for "$log" "resolve: another resolver is registered"
check "names: heyd logs the other resolver (EBUSY)" 0 "$?"
wait_for "$log" "another resolver still registered (attempt 3)" 100
check "names: heyd tries again while the other holds it" 0 "$?"
hc -H www.test :: 8080
check "names: the other resolver holds it, ETIMEDOUT" ETIMEDOUT \
	"$(out_field connect)"
holder_pid=$holder_PID
eval "exec ${holder[1]}>&-"
wait "$holder_pid"
wait_for "$log" "resolve: registered as the resolver (the other one went" 100
check "names: heyd takes over once the other resolver went" 0 "$?"
ip netns exec "$N" sysctl -qw net.hey.resolve_timeout="$resolve_timeout"
hc -H www.test :: 8080
check "names: races by name work after the takeover" OK "$(out_field connect)"

# (6c) SIGHUP: c1's DNS server changed in the file (a second dnsmasq in
# S1, on port 5300, with other addresses for www.test, which S1 has:
# refused at once) is the one the next race asks, the channel made
# anew (not its cache); a file with an error is reported with its line
# and the configuration stays.
ip -n "$S1" addr add 10.1.0.7/24 dev s1
ip -n "$S1" addr add 2001:db8:1::7/64 dev s1 nodad
ip netns exec "$S1" dnsmasq --keep-in-foreground -C /dev/null --no-resolv \
	--no-hosts --local=/test/ --user=root --group=root --bind-interfaces \
	--listen-address=10.1.0.1 --port=5300 --pid-file="$dir/dnsmasq5300.pid" \
	--log-queries --log-facility="$dir/dnsmasq5300.log" \
	--host-record=www.test,10.1.0.7,2001:db8:1::7 &
wait_for "$dir/dnsmasq5300.log" "started"
cp "$dir/heyd.conf" "$dir/reload.conf"
heyd_stop
heyd_names "$dir/reload.conf"
c1_leaves() {
	ip netns exec "$N" "$HC" -m immediate -i c1 -H www.test :: 8080 \
		>"$out" 2>&1
	echo "$(out_field connect) $(leaf_pairs)"
}
check "names: reload: c1 asks 10.1.0.1 first" \
	"ECONNREFUSED c1 10.1.0.1 c1 2001:db8:1::1 " "$(c1_leaves)"
sed -i 's/^dns c1 .*/dns c1 10.1.0.1:5300/' "$dir/reload.conf"
kill -HUP "$heyd_pid"
wait_for "$log" "reload: $dir/reload.conf: 2 dns lines"
check "names: reload: SIGHUP reads the file again" 0 "$?"
check "names: reload: the next race uses c1's new server's addresses" \
	"ECONNREFUSED c1 10.1.0.7 c1 2001:db8:1::7 " "$(c1_leaves)"
printf 'dns c1 10.1.0.1\nbogus 1\n' >"$dir/reload.conf"
kill -HUP "$heyd_pid"
wait_for "$log" "reload: $dir/reload.conf: line 2: unknown keyword 'bogus': the configuration stays as it was"
check "names: reload: a bad file is reported with its line" 0 "$?"
kill -0 "$heyd_pid"
check "names: reload: heyd lives on after a bad file" 0 "$?"
check "names: reload: after a bad file the old configuration stays" \
	"ECONNREFUSED c1 10.1.0.7 c1 2001:db8:1::7 " "$(c1_leaves)"
kill "$(cat "$dir/dnsmasq5300.pid")"

# (6d) AAAA late: c1's DNS server is a python one on 10.1.0.1:5301 that
# answers A at once (10.1.0.8, whose SYNs S1 drops) and AAAA a second
# later (2001:db8:1::1, where an echo server listens). The race starts
# on the A answer (50 ms after it, RFC 8305 section 3: its IPv4 leaf is
# the first), and the late AAAA answer still adds an IPv6 leaf while
# nothing has won, which wins. Asserted on the leaves, not on times.
cat >"$dir/late-dns.py" <<'EOF'
import heapq, select, socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
log = open(sys.argv[3], 'a', buffering=1)
late = []
print('ready', file=log)
while True:
    wait = max(0, late[0][0] - time.monotonic()) if late else None
    if select.select([s], [], [], wait)[0]:
        q, peer = s.recvfrom(4096)
        i = 12
        while i < len(q) and q[i]:
            i += 1 + q[i]
        if len(q) < i + 5:
            continue
        qtype = struct.unpack('!H', q[i + 1:i + 3])[0]
        if qtype == 1:
            rdata = socket.inet_pton(socket.AF_INET, '10.1.0.8')
        elif qtype == 28:
            rdata = socket.inet_pton(socket.AF_INET6, '2001:db8:1::1')
        else:
            continue
        rr = b'\xc0\x0c' + struct.pack('!HHIH', qtype, 1, 60, len(rdata)) + rdata
        msg = q[:2] + struct.pack('!HHHHH', 0x8580, 1, 1, 0, 0) + q[12:i + 5] + rr
        print('query', qtype, file=log)
        if qtype == 1:
            s.sendto(msg, peer)
        else:
            heapq.heappush(late, (time.monotonic() + 1.0, msg, peer))
    while late and late[0][0] <= time.monotonic():
        _, msg, peer = heapq.heappop(late)
        s.sendto(msg, peer)
EOF
ip netns exec "$S1" python3 "$dir/late-dns.py" 10.1.0.1 5301 \
	"$dir/late-dns.log" &
late_pid=$!
wait_for "$dir/late-dns.log" "ready" 300
ip -n "$S1" addr add 10.1.0.8/24 dev s1
ip netns exec "$S1" nft add rule inet hey in ip daddr 10.1.0.8 tcp dport 8082 drop
echo_start 1 8082
sed 's/^dns c1 .*/dns c1 10.1.0.1:5301/; s/^dns-timeout .*/dns-timeout 3000/' \
	"$dir/heyd.conf" >"$dir/late.conf"
heyd_stop
heyd_names "$dir/late.conf"
ip netns exec "$N" "$HC" -i c1 -H late.test :: 8082 >"$out" 2>&1
check "names: AAAA late, connected over IPv6 at the late answer's address" \
	"OK 2001:db8:1::1" "$(out_field connect) $(winner addr)"
check "names: AAAA late, the race started on the A answer (IPv4 leaf first)" \
	10.1.0.8 "$(out_leaf 0 addr | sed 's/^::ffff://')"
check "names: AAAA late, the late answer added an IPv6 leaf" \
	"c1 10.1.0.8 c1 2001:db8:1::1 " "$(leaf_pairs)"
check "names: AAAA late, the IPv4 leaf did not win" aborted \
	"$(out_leaf 0 outcome)"
kill "$late_pid"
wait "$late_pid" 2>/dev/null

# (7) malformed answers: c1's DNS server is a fake one on 10.1.0.1:5353
# answering every query badly, by the name's first label: cut short,
# 65535 records claimed for one, an owner name pointing at itself,
# 0.0.0.0 and :: (the kernel would refuse them)
cat >"$dir/bad-dns.py" <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    q, peer = s.recvfrom(4096)
    i, labels = 12, []
    while i < len(q) and q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode('ascii', 'replace'))
        i += 1 + q[i]
    if len(q) < i + 5:
        continue
    qtype = struct.unpack('!H', q[i + 1:i + 3])[0]
    question = q[12:i + 5]
    kind = labels[0] if labels else ''
    if qtype == 1:
        rdata = bytes(4) if kind == 'zero' else bytes([10, 1, 0, 1])
    else:
        rdata = bytes(16) if kind == 'zero' else \
            bytes([0x20, 1, 0xd, 0xb8, 0, 1] + [0] * 9 + [1])
    owner = b'\xc0\x0c'
    if kind == 'loop':
        owner = bytes([0xc0, 12 + len(question)])
    rr = owner + struct.pack('!HHIH', qtype, 1, 60, len(rdata)) + rdata
    an = 65535 if kind == 'huge' else 1
    msg = q[:2] + struct.pack('!HHHHH', 0x8580, 1, an, 0, 0) + question + rr
    if kind == 'trunc':
        msg = msg[:-5]
    s.sendto(msg, peer)
EOF
ip netns exec "$S1" python3 "$dir/bad-dns.py" 10.1.0.1 5353 &
for _ in $(seq 100); do
	[[ -n $(ip netns exec "$S1" ss -Hlun 'sport = :5353') ]] && break
	sleep 0.1
done
cat >"$dir/bad.conf" <<EOF
dns c1 10.1.0.1:5353
dns c2 10.2.0.1
dns-timeout 300
dns-tries 1
EOF
heyd_stop

# What heyd holds: SIGUSR1 logs "memory: N requests, N paths, N cached
# answers (N bytes), heap N bytes in use", the heap by the allocator's
# own count of live bytes (glibc's; ASan's in heyd-asan), which neither
# ASan's quarantine of freed blocks nor huge pages move.
memline() {
	local n
	n=$(grep -c 'heyd: memory:' "$log")
	kill -USR1 "$heyd_pid"
	for _ in $(seq 100); do
		(( $(grep -c 'heyd: memory:' "$log") > n )) && break
		sleep 0.1
	done
	grep 'heyd: memory:' "$log" | tail -n 1
}
requests_of() { sed -n 's/.*memory: \([0-9]*\) requests.*/\1/p' <<<"$1"; }
cached_of() { sed -n 's/.*answers (\([0-9]*\) bytes).*/\1/p' <<<"$1"; }
heap_of() { sed -n 's/.* heap \([0-9]*\) bytes in use$/\1/p' <<<"$1"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$heyd_pid/status"; }
huge() {
	awk '/^AnonHugePages:/ { n = $2 } END { print n + 0 }' \
		"/proc/$heyd_pid/smaps_rollup"
}
# bad_answers NAME: the four malformed answers for KIND.NAME.bad.test,
# a line "KIND ERRNO" each
bad_answers() {
	local kind
	for kind in trunc huge loop zero; do
		ip netns exec "$N" "$HC" -i c1 -H "$kind.$1.bad.test" :: \
			8081 >"$out" 2>&1
		echo "$kind $(out_field connect)"
	done
}
# held_after WHO: 24 malformed answers after 4 to warm up; heyd then
# holds no request, and its heap has grown by the answers it cached
# (0.0.0.0 and :: parse and are cached, though never sent) and not
# more. Sets m0 and m1, the memory lines before and after.
held_after() {
	local grown cached round
	bad_answers "$1-0" >/dev/null
	m0=$(memline)
	for round in 1 2 3 4 5 6; do
		bad_answers "$1-$round" >/dev/null
	done
	m1=$(memline)
	check "names: $1 holds no request after 24 malformed answers" 0 \
		"$(requests_of "$m1")"
	grown=$(( $(heap_of "$m1") - $(heap_of "$m0") ))
	cached=$(( $(cached_of "$m1") - $(cached_of "$m0") ))
	check "names: $1's heap grows by its cached answers only" yes \
		"$( (( grown <= cached + 16384 )) && echo yes ||
			echo "no: $grown bytes, $cached of them cached")"
}

# The plain heyd first, for its resident size, without transparent huge
# pages (PR_SET_THP_DISABLE, kept across execve): under the stock
# kernel's THP "always" a page touched may come as 2 MB, which tells
# nothing of what heyd holds.
printf '%s\n' 'import ctypes, os, sys' \
	'if ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0):' \
	'    sys.exit("PR_SET_THP_DISABLE: " + os.strerror(ctypes.get_errno()))' \
	'os.execv(sys.argv[1], sys.argv[1:])' >"$dir/nothp.py"
: >"$log"
ip netns exec "$N" python3 "$dir/nothp.py" "$HEYD" -f -v --no-cache-file \
	--no-network-ids --config "$dir/bad.conf" 2>>"$log" &
heyd_pid=$!
wait_for "$log" "resolve: registered as the resolver"
check "names: heyd without huge pages registers" 0 "$?"
bad_answers warm >/dev/null
rss0=$(rss)
held_after heyd
rss1=$(rss)
check "names: heyd's resident size grows less than 512 kB over 28 malformed answers" \
	yes "$( (( rss1 - rss0 < 512 )) && echo yes ||
		echo "no: $rss0 -> $rss1 kB")"
echo "# heyd over 28 malformed answers: resident $rss0 -> $rss1 kB;" \
	"heap over the last 24: $(heap_of "$m0") -> $(heap_of "$m1") bytes"
heyd_stop
check "names: heyd exits 0" 0 "$?"

# heyd built with ASan and UBSan faces them (a report ends it, non-zero;
# so do leaks at its exit). Its resident size is no measure of what it
# holds: freed blocks wait in ASan's quarantine (256 MB) and its
# allocator's memory takes huge pages where the kernel has them. It is
# logged; the bound is on the heap.
export ASAN_OPTIONS=abort_on_error=0
HEYD_BIN=$HEYD_ASAN heyd_names "$dir/bad.conf"
while read -r kind errno; do
	check "names: malformed answers ($kind): no address, ENXIO" ENXIO \
		"$errno"
done < <(bad_answers 1)
rss0=$(rss) huge0=$(huge)
held_after heyd-asan
echo "# heyd-asan over 28 malformed answers: resident $rss0 -> $(rss) kB," \
	"in huge pages $huge0 -> $(huge) kB; heap over the last 24:" \
	"$(heap_of "$m0") -> $(heap_of "$m1") bytes"
grep -q "zero.1.bad.test: an unusable address or port 0 in the answer, left out" "$log"
check "names: addresses the kernel would refuse are left out" 0 "$?"
kill -0 "$heyd_pid"
check "names: heyd lives on after malformed answers" 0 "$?"
hc -H www.test :: 8080
check "names: and still resolves good names" "OK c2" \
	"$(out_field connect) $(winner if)"
heyd_stop
check "names: heyd (ASan, UBSan) exits 0, no report, no leak" "0 0" \
	"$? $(grep -c 'Sanitizer\|runtime error' "$log")"
unset ASAN_OPTIONS
finish
