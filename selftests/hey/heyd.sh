#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# heyd follows the module: it notices the "hey" family vanish and appear
# again (rmmod/insmod while it runs), and exits cleanly on SIGTERM.
# heyctl reports the status, in text and JSON. (a) heyd keeps the
# history cache across its restarts and module reloads, in a file it
# saves after changes and at exit; a truncated or corrupt file is
# reported and ignored whole. (b) heyd names the network of each
# interface after its default router's link-layer address and its IPv6
# prefixes, and tells the kernel.
source "$(dirname "$0")/lib.sh"
require_module_file

dir=$(mktemp -d)
log=$dir/log
C=$(rand_ns heyd-c)
R=$(rand_ns heyd-r)
cleanup() {
	[[ -n "${heyd_pid:-}" ]] && kill "$heyd_pid" 2>/dev/null
	ip netns pids "$C" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$C" 2>/dev/null
	ip netns del "$R" 2>/dev/null
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
for _ in $(seq 50); do
	[[ $(saved_count 2>/dev/null) == 3 ]] && break
	sleep 0.1
done
check "persist: saved within the delay after changes" 3 "$(saved_count)"

# a change just before SIGTERM is saved at exit
"$HEYCTL" cache add network 0x1234 dst 10.9.9.8 port 443 proto sctp \
	result outrun successes 1 failures 0 age 10
before=$(cache_now)
check "persist: four entries in the kernel" 4 "$(wc -l <<<"$before")"
heyd_stop
check "persist: heyd exits 0" 0 "$?"
check "persist: the file has every entry after SIGTERM" 4 "$(saved_count)"
check "persist: no temporary file left" "cache log" "$(cd "$dir" && echo *)"

reload
check "persist: module reloaded, cache empty" "" "$(cache_now)"
heyd_start --no-network-ids --save-delay 1
wait_for "$log" "load: $cache: 4 entries loaded"
check "persist: heyd loads the saved entries at start" 0 "$?"
check "persist: heyctl cache show shows the same entries" "$before" \
	"$(cache_now)"
age=$("$HEYCTL" cache show | grep 'dst 3fff:9::9' | sed 's/.* age \([0-9]*\).*/\1/')
check "persist: a loaded entry is not younger than saved" yes \
	"$( ((age >= 2000)) && echo yes || echo "no: $age")"

# the module reloaded while heyd runs: the cache goes back in
: >"$log"
reload
wait_for "$log" "load: $cache: 4 entries loaded"
check "persist: loaded again when the module comes back" 0 "$?"
check "persist: the same entries after the reload" "$before" "$(cache_now)"

# heyd restarted while the module keeps its cache: nothing is replaced
heyd_stop
: >"$log"
heyd_start --no-network-ids
wait_for "$log" "load: $cache: 0 entries loaded, 4 already known"
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
finish
