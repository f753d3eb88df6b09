#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Protocol leaves end to end: SCTP and TCP Fast Open raced with TCP
# (HEY_PROTOCOLS), early data (HEY_EARLY_DATA, sendto(MSG_FASTOPEN)) and
# the memory of TFO failures. A client and a server namespace joined by
# one veth; the server's service addresses (10.9.9.9, 3fff:9::9) sit on
# its loopback. Echo servers listen on TCP (with TFO) and SCTP on 8080 to
# 8083 and 9100, on SCTP only on 8090 and 9102, on TCP only on 9101;
# nothing listens on 8099 and 9103. nftables in the server's input chain
# drops SCTP, the SYNs that carry data (a TFO blackhole), or handshakes
# at random. Assertions are about behaviour (who won, over which
# protocol, which errno, which attempts ran and in what order, what the
# server saw, which bytes came back), never about how fast.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
source "$(dirname "$0")/client.sh"
require_module_file

# SCTP is a module on the stock kernel: the probe loads it. Only a kernel
# without SCTP is a reason to skip; any other failure fails the cases.
sctp=$(python3 -c 'import errno, socket
try:
    socket.socket(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' 2>&1)
case $sctp in
ok) ;;
EPROTONOSUPPORT | ESOCKTNOSUPPORT) skip_all "this kernel has no SCTP ($sctp)" ;;
*) echo "# SCTP probe: $sctp" ;;
esac

C=$(rand_ns hey-c)
S=$(rand_ns hey-s)
V6=3fff:9::9
V4=10.9.9.9
HC=$HEY_SELFTESTS/hey_connect
out=$(mktemp)
srv=$(mktemp -d)

cleanup() {
	topo_cleanup
	rm -rf "$out" "$srv"
}
trap cleanup EXIT

# server PORT [-k tcp|sctp]: an echo server; its lines in $srv/PORT.
server() {
	local port=$1
	shift
	ip netns exec "$S" "$HC" "$@" -l "$port" >>"$srv/$port" 2>&1 &
}

setup() {
	local p
	topo_one_path
	# TFO: the server takes it; the client uses it, and the kernel's
	# own blackhole detection (which would switch TFO off for the whole
	# namespace after a loss) stays out of hey's way
	ip netns exec "$S" sysctl -qw net.ipv4.tcp_fastopen=3
	ip netns exec "$C" sysctl -qw net.ipv4.tcp_fastopen=1
	# the engine without history (cache.sh tests that): no entries
	# per destination; TFO verdicts keep their own timeout
	ip netns exec "$C" sysctl -qw net.hey.cache_timeout=0
	ip netns exec "$C" sysctl -qw net.ipv4.tcp_fastopen_blackhole_timeout_sec=0
	ip netns exec "$S" nft -f - <<-EOF
	table inet hey {
		chain in { type filter hook input priority 0; }
	}
	EOF
	for p in 8080 8081 8082 8083 9100; do server "$p"; done
	server 8090 -k sctp
	server 9101 -k tcp
	server 9102 -k sctp
	for p in 8080 8081 8082 8083 8090 9100 9101 9102; do
		wait_for "$srv/$p" '^listening' || echo "# server $p did not start"
	done
	# the path works once a plain connection gets through
	for _ in $(seq 50); do
		ip netns exec "$C" "$HC" -P "$V6" 8080 >/dev/null 2>&1 && break
		sleep 0.1
	done
}

# leaf_has IDX FLAG: yes if the leaf's flags include FLAG.
leaf_has() {
	tr , '\n' <<<"$(out_leaf "$1" flags)" | grep -qx "$2" && echo yes || echo no
}

# protos: the protocols of all leaves, in leaf order.
protos() {
	grep '^leaf=' "$out" | grep -o ' proto=[^ ]*' | cut -d= -f2 | paste -sd,
}

# first_leaf PROTO: the index of the first leaf of that protocol.
first_leaf() {
	grep "^leaf=.* proto=$1 " "$out" | head -n1 | sed 's/^leaf=\([0-9]*\) .*/\1/'
}

# at_least A B, below A B: yes or no (empty values count as no).
at_least() { [[ -n $1 && -n $2 ]] && (( $1 >= $2 )) && echo yes || echo no; }
below() { [[ -n $1 && -n $2 ]] && (( $1 < $2 )) && echo yes || echo no; }

# srv_field PORT KEY: a field of the line the server on PORT printed
# about the client's last connection, found by its protocol and the
# client's local port.
srv_field() {
	local pat
	pat="^conn proto=$(out_field sock_proto) .* port=$(out_field local_port) "
	wait_for "$srv/$1" "$pat" 50 || return
	grep "$pat" "$srv/$1" | tail -n1 | grep -o " $2=[^ ]*" | cut -d= -f2
}

# stat NAME: a counter of the client namespace.
stat() {
	ns_stat "$C" "$1"
}

# tcpext NS NAME: a TcpExt counter of a namespace.
tcpext() {
	ip netns exec "$1" awk -v n="$2" '$1 == "TcpExt:" {
		if (!h) { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
		for (i = 2; i <= NF; i++) if (k[i] == n) print $i }' /proc/net/netstat
}

# ns_counts: "PROTO=N" for the TCP, TCPv6, SCTP and SCTPv6 sockets in use in
# the client namespace.
ns_counts() {
	ip netns exec "$C" awk '$1 ~ /^(TCP|TCPv6|SCTP|SCTPv6)$/ {
		printf "%s%s=%s", s, $1, $3; s = " " }' /proc/net/protocols
}

# sockets_baseline: "baseline" once the client namespace has no more TCP and SCTP
# sockets than after setup (SCTP keeps a control socket of its own in
# every namespace; closed SCTP associations finish their shutdown first),
# else what it has.
sockets_baseline() {
	local i now
	for i in $(seq 100); do
		now=$(ns_counts)
		[[ $now == "$ns_baseline" ]] && { echo baseline; return; }
		sleep 0.1
	done
	echo "$now (baseline $ns_baseline)"
}

setup
ns_baseline=$(ns_counts)

# 0. The options: validation and what the kernel keeps.
client -p tcp,tcp "$V6" 8080
check "0 HEY_PROTOCOLS: a repeated protocol: EINVAL" HEY_PROTOCOLS:EINVAL \
	"$(out_field setsockopt)"
client -p 9 "$V6" 8080
check "0 HEY_PROTOCOLS: an unknown protocol: EINVAL" HEY_PROTOCOLS:EINVAL \
	"$(out_field setsockopt)"
client -p tcp,tfo,sctp,tcp "$V6" 8080
check "0 HEY_PROTOCOLS: more than HEY_MAX_PROTOCOLS: EINVAL" \
	HEY_PROTOCOLS:EINVAL "$(out_field setsockopt)"
client -E 4097 "$V6" 8080
check "0 HEY_EARLY_DATA: above HEY_MAX_EARLY_DATA: EMSGSIZE" \
	HEY_EARLY_DATA:EMSGSIZE "$(out_field setsockopt)"
client -p sctp,tcp -Q 8090 -E 4096 -d 1000 -D 1000 "$V6" 8080
check "0 HEY_PROTOCOLS reads back" "sctp,tcp 8090" \
	"$(out_field protocols) $(out_field sctp_port)"
check "0 HEY_EARLY_DATA reads back (4096 bytes)" OK "$(out_field early_get)"

# 1. The server takes SCTP and TCP, SCTP preferred: SCTP wins, and the
#    application's descriptor is the association.
wins_sctp=$(stat wins_sctp)
client -p sctp,tcp -d 1000 -D 1000 -S 1048576 "$V6" 8080
check "1 sctp,tcp: connects" OK "$(out_field connect)"
check "1 sctp,tcp: SCTP wins" "sctp 0" "$(out_field winner_proto) $(out_field winner)"
check "1 sctp,tcp: leaves in preference order" sctp,tcp "$(protos)"
check "1 sctp,tcp: the TCP leaf did not win" yes \
	"$([[ $(out_leaf 1 outcome) == pending || $(out_leaf 1 outcome) == aborted ]] &&
	   echo yes || echo no)"
check "1 sctp,tcp: the descriptor is an SCTP socket" sctp "$(out_field sock_proto)"
check "1 sctp,tcp: getpeername gives the primary address" "$V6 8080" \
	"$(out_field peer) $(out_field peer_port)"
check "1 sctp,tcp: 1 MiB each way arrives intact" "match 1048576" \
	"$(out_field check) $(out_field received)"
check "1 sctp,tcp: the server saw an SCTP association" "sctp 1048576" \
	"$(srv_field 8080 proto) $(srv_field 8080 bytes)"
check "1 sctp,tcp: wins_sctp counted" $((wins_sctp + 1)) "$(stat wins_sctp)"
client -4 -p sctp,tcp -d 1000 -D 1000 -S 65536 "$V4" 8080
check "1 sctp,tcp on an AF_INET socket: SCTP over IPv4" "sctp sctp $V4 match" \
	"$(out_field winner_proto) $(out_field sock_proto) $(out_field peer) $(out_field check)"
client -p sctp,tcp -d 1000 -D 1000 -S 65536 "$V4" 8080
check "1 sctp,tcp to IPv4 from AF_INET6: v4-mapped" \
	"sctp sctp ::ffff:$V4 match" \
	"$(out_field winner_proto) $(out_field sock_proto) $(out_field peer) $(out_field check)"

# 2. SCTP dropped: TCP wins, its branch one protocol delay (1.5 times the
#    200 ms endpoint delay) after SCTP's.
rules "meta l4proto sctp drop"
wins_tcp=$(stat wins_tcp)
fallbacks=$(stat fallbacks)
client -p sctp,tcp -d 200 -D 200 -e "$V4" -S 65536 "$V6" 8080
tcp_leaf=$(first_leaf tcp)
check "2 SCTP dropped: connects over TCP" "OK tcp tcp" \
	"$(out_field connect) $(out_field winner_proto) $(out_field sock_proto)"
check "2 SCTP dropped: protocols, then endpoints" sctp,sctp,tcp,tcp "$(protos)"
check "2 SCTP dropped: the first TCP leaf won" "tcp $tcp_leaf" \
	"$(out_leaf "$(out_field winner)" proto) $(out_field winner)"
check "2 SCTP dropped: SCTP was tried first" "sctp yes" \
	"$(out_leaf 0 proto) $(below "$(out_leaf 0 start_ms)" "$(out_leaf "$tcp_leaf" start_ms)")"
check "2 SCTP dropped: TCP waited for the protocol delay (300 ms)" yes \
	"$(at_least "$(out_leaf "$tcp_leaf" start_ms)" 290)"
check "2 SCTP dropped: the SCTP leaf was aborted" aborted "$(out_leaf 0 outcome)"
check "2 SCTP dropped: data flows" match "$(out_field check)"
check "2 SCTP dropped: wins_tcp and fallbacks counted" \
	"$((wins_tcp + 1)) $((fallbacks + 1))" "$(stat wins_tcp) $(stat fallbacks)"
rules

# 3. TCP refused (8090 serves SCTP only): SCTP starts at once, not after
#    the (long) protocol delay, and carries the early data.
client -p tcp,sctp -d 1000 -D 1000 -E 100 -S 65536 "$V6" 8090
check "3 TCP refused: SCTP wins" "OK sctp 1" \
	"$(out_field connect) $(out_field winner_proto) $(out_field winner)"
check "3 TCP refused: the TCP leaf failed with ECONNREFUSED" \
	"tcp failed ECONNREFUSED" \
	"$(out_leaf 0 proto) $(out_leaf 0 outcome) $(out_leaf 0 error)"
check "3 TCP refused: SCTP did not wait for the protocol delay" yes \
	"$(below "$(out_leaf 1 start_ms)" 1000)"
check "3 TCP refused: early data, then the stream, exactly once" \
	"OK 100 match" "$(out_field echo) $(out_field early_data) $(out_field check)"
check "3 TCP refused: the server echoed 100 + 65536 bytes over SCTP" \
	"sctp 65636" "$(srv_field 8090 proto) $(srv_field 8090 bytes)"
client -p sctp,tcp -Q 8090 -d 1000 -D 1000 -E 100 "$V6" 8080
check "3 sctp_port: SCTP goes to port 8090" "sctp 8090" \
	"$(out_field winner_proto) $(out_field peer_port)"
check "3 sctp_port: early data delivered once" "OK 100" \
	"$(out_field echo) $(out_field early_data)"
client -p tcp,sctp "$V6" 8099
check "3 nothing listens: ECONNREFUSED" ECONNREFUSED "$(out_field connect)"
check "3 nothing listens: both protocols tried and refused" \
	"failed failed ECONNREFUSED -" \
	"$(out_leaf 0 outcome) $(out_leaf 1 outcome) $(out_leaf 1 error) $(out_field winner_proto)"

# 4. TFO: no cookie yet, so the SYN asks for one and the data follows the
#    handshake; then the cookie puts the data in the SYN.
ip netns exec "$C" ip tcp_metrics flush all
reqd=$(tcpext "$S" TCPFastOpenCookieReqd)
passive=$(tcpext "$S" TCPFastOpenPassive)
wins_tfo=$(stat wins_tfo)
acked=$(stat tfo_syn_data_acked)
client -p tfo -E 100 -Y "$V6" 8080
check "4 TFO, no cookie: connects over TFO" "OK tfo" \
	"$(out_field connect) $(out_field winner_proto)"
check "4 TFO, no cookie: the SYN asked for a cookie, carried no data" \
	"tfo yes no" "$(out_leaf 0 proto) $(leaf_has 0 cookie_req) $(leaf_has 0 syn_data)"
check "4 TFO, no cookie: the server got a cookie request" yes \
	"$(at_least "$(tcpext "$S" TCPFastOpenCookieReqd)" $((reqd + 1)))"
check "4 TFO, no cookie: early data once, after the handshake" "OK 100 0" \
	"$(out_field echo) $(out_field early_data) $(srv_field 8080 syn_data)"
client -p tfo -E 100 -Y "$V6" 8080
check "4 TFO, cookie: connects over TFO" "OK tfo" \
	"$(out_field connect) $(out_field winner_proto)"
check "4 TFO, cookie: the SYN carried the data, acked" syn_data,acked \
	"$(out_leaf 0 flags)"
check "4 TFO, cookie: the server took a TFO connection" yes \
	"$(at_least "$(tcpext "$S" TCPFastOpenPassive)" $((passive + 1)))"
check "4 TFO, cookie: the server's socket had SYN data" "1 100" \
	"$(srv_field 8080 syn_data) $(srv_field 8080 bytes)"
check "4 TFO, cookie: early data exactly once" "OK 100" \
	"$(out_field echo) $(out_field early_data)"
check "4 TFO: wins_tfo and tfo_syn_data_acked counted" \
	"$((wins_tfo + 2)) $((acked + 1))" \
	"$(stat wins_tfo) $(stat tfo_syn_data_acked)"
client -p tcp,tfo -E 100 -Y -S 4096 "$V6" 8080
check "4 tcp,tfo: TCP wins" "OK tcp" "$(out_field connect) $(out_field winner_proto)"
check "4 tcp,tfo: early data exactly once, before the stream" "OK 100 match" \
	"$(out_field echo) $(out_field early_data) $(out_field check)"
check "4 tcp,tfo: the server's socket had no SYN data" 0 \
	"$(srv_field 8080 syn_data)"
# both at once: whichever wins, the data comes back once on it (port 8082,
# so that whatever this race teaches hey stays out of the other cases)
client -m immediate -p tcp,tfo -E 100 -Y "$V6" 8082
check "4 tcp,tfo immediate: both leaves started" yes \
	"$([[ $(out_leaf 0 start_ms) =~ ^[0-9]+$ && $(out_leaf 1 start_ms) =~ ^[0-9]+$ ]] &&
	   echo yes || echo no)"
check "4 tcp,tfo immediate: early data exactly once on the winner" "OK OK 100" \
	"$(out_field connect) $(out_field echo) $(out_field early_data)"
client -p sctp,tfo -E 100 -Y -S 4096 "$V6" 8080
check "4 sctp,tfo: SCTP wins" "OK sctp" "$(out_field connect) $(out_field winner_proto)"
check "4 sctp,tfo: early data exactly once, before the stream" "OK 100 match" \
	"$(out_field echo) $(out_field early_data) $(out_field check)"
check "4 sctp,tfo: the server echoed it over SCTP" "sctp 4196" \
	"$(srv_field 8080 proto) $(srv_field 8080 bytes)"

# 5. A TFO blackhole: SYNs that carry data vanish (the cookie is warm from
#    case 4). TCP wins; the TFO failure is remembered for that path and
#    port, and the next race there does not try TFO.
blackhole="tcp flags & (syn|ack) == syn meta length > 120 drop"
rules "$blackhole"
neg=$(stat tfo_negative)
skipped=$(stat tfo_skipped)
client -p tfo,tcp -E 300 -Y -d 200 -D 200 "$V6" 8081
check "5 blackhole: TCP wins" "OK tcp 1" \
	"$(out_field connect) $(out_field winner_proto) $(out_field winner)"
check "5 blackhole: the TFO leaf's SYN carried data, never acked" "tfo yes no" \
	"$(out_leaf 0 proto) $(leaf_has 0 syn_data) $(leaf_has 0 acked)"
check "5 blackhole: the TFO failure is remembered" yes "$(leaf_has 0 negative)"
check "5 blackhole: tfo_negative counted" $((neg + 1)) "$(stat tfo_negative)"
check "5 blackhole: early data exactly once" "OK 300" \
	"$(out_field echo) $(out_field early_data)"
client -p tfo,tcp -E 300 -Y -d 200 -D 200 "$V6" 8081
check "5 remembered: connects over TCP" "OK tcp" \
	"$(out_field connect) $(out_field winner_proto)"
check "5 remembered: no TFO leaf at all, only TCP's" tcp "$(protos)"
check "5 remembered: TCP starts at once" yes "$(below "$(out_leaf 0 start_ms)" 290)"
check "5 remembered: tfo_skipped counted" $((skipped + 1)) "$(stat tfo_skipped)"
check "5 remembered: early data exactly once" "OK 300" \
	"$(out_field echo) $(out_field early_data)"
rules
client -p tfo -E 100 -Y "$V6" 8080
check "5 another port of the same path still gets TFO" "tfo syn_data,acked" \
	"$(out_leaf 0 proto) $(out_leaf 0 flags)"
# the memory ends after net.hey.tfo_negative_timeout
ip netns exec "$C" sysctl -qw net.hey.tfo_negative_timeout=2
rules "$blackhole"
client -p tfo,tcp -E 300 -Y -d 200 -D 200 "$V6" 8083
check "5 short memory: the failure is remembered" "tcp yes" \
	"$(out_field winner_proto) $(leaf_has 0 negative)"
sleep 3
rules
client -p tfo,tcp -E 300 -Y -d 200 -D 200 "$V6" 8083
check "5 short memory: TFO is tried again once it expired" "tfo OK" \
	"$(out_leaf 0 proto) $(out_field echo)"
ip netns exec "$C" sysctl -qw net.hey.tfo_negative_timeout=600

# 6. sendto(MSG_FASTOPEN) starts the race; without HEY_F_IDEMPOTENT the
#    data stays out of the SYN.
client -p tfo -F 300 "$V6" 8080
check "6 sendto: takes 300 bytes, connects" "300 OK" \
	"$(out_field sendto) $(out_field connect)"
check "6 sendto, not idempotent: the TFO leaf's SYN carried no data" \
	"tfo no" "$(protos) $(leaf_has 0 syn_data)"
check "6 sendto, not idempotent: nor did the server see any" 0 \
	"$(srv_field 8080 syn_data)"
check "6 sendto: the data exactly once" "OK 300 300" \
	"$(out_field echo) $(out_field early_data) $(srv_field 8080 bytes)"
client -n -p tfo -F 300 -Y "$V6" 8080
check "6 sendto, non-blocking: returns the bytes at once" "300 sent" \
	"$(out_field sendto) $(out_field nonblock)"
check "6 sendto, non-blocking: epoll reports the win" "OUT OK" \
	"$(out_field epoll_events) $(out_field connect)"
check "6 sendto, non-blocking, idempotent: in the SYN, once" \
	"syn_data,acked OK 300" \
	"$(out_leaf 0 flags) $(out_field echo) $(out_field early_data)"

# 7. Stress: 1,000 races over every order of protocols, to ports that
#    serve both protocols (9100), TCP only behind a TFO blackhole (9101),
#    SCTP only (9102) or nothing (9103), a quarter of the handshakes
#    (SYNs, SCTP INITs) dropped at random: 40 clients of 25 races each,
#    eight at a time, every race checking its echo (a fifth of the races
#    in the debug lane: see stress() in lib.sh).
numgen="numgen random mod 4 == 0 drop"
# chunk type INIT: the first chunk's type, 12 bytes into the SCTP header
rules "tcp dport 9101 $blackhole" \
	"tcp flags & (syn|ack) == syn $numgen" \
	"meta l4proto sctp @th,96,8 1 $numgen"
# a dropped INIT goes again after rto_initial, 3 s by default
ip netns exec "$C" sysctl -qw net.sctp.rto_initial=500
declare -A served=([9100]="tcp tfo sctp" [9101]="tcp tfo" [9102]=sctp [9103]="")
orders="tcp sctp tcp,tfo tfo,tcp sctp,tcp tcp,sctp tfo,sctp sctp,tfo sctp,tfo,tcp tfo,tcp,sctp"
jobs_dir=$(mktemp -d -p "$srv")
per=$(stress 25)
before6=$(slab_active TCPv6)
races=$(stat races)
n=0
for port in 9100 9101 9102 9103; do
	for order in $orders; do
		n=$((n + 1))
		echo "$order $port $V4 $V6 $jobs_dir/$n $per"
	done
done | ip netns exec "$C" xargs -P 8 -L 1 sh -c \
	'echo "$1 $2" >"$5.job"
	 exec "$0" -R "$6" -d 10 -D 10 -p "$1" -E 200 -Y -e "$3" "$4" "$2" >"$5.out" 2>&1' \
	"$HC" || true
# jf FILE KEY: a number from a client's -R summary (0 if absent)
jf() {
	local v
	v=$(grep -o "^$2=[0-9]*" "$1" | cut -d= -f2)
	echo "${v:-0}"
}
ran=0 echo_bad=0 won_tcp=0 won_sctp=0 wrong=""
for f in "$jobs_dir"/*.job; do
	read -r order port <"$f"
	o=${f%.job}.out
	won=$(jf "$o" won)
	failed=$(jf "$o" failed)
	ran=$((ran + won + failed))
	echo_bad=$((echo_bad + $(jf "$o" echo_bad)))
	won_tcp=$((won_tcp + $(jf "$o" won_tcp)))
	won_sctp=$((won_sctp + $(jf "$o" won_sctp)))
	# a race must win if it offers a protocol the port serves other
	# than TFO (a remembered TFO failure leaves TFO out), and must fail
	# if it offers none the port serves
	sure=no any=no
	for p in ${order//,/ }; do
		[[ " ${served[$port]} " == *" $p "* ]] || continue
		any=yes
		[[ $p != tfo ]] && sure=yes
	done
	if [[ $sure == yes && $won != "$per" ]] ||
	   [[ $any == no && $failed != "$per" ]]; then
		wrong="$wrong $order>$port:won=$won"
	fi
done
check "7 stress (random drops): $((40 * per)) races ran" $((40 * per)) "$ran"
check "7 stress: $((40 * per)) races counted" $((races + 40 * per)) "$(stat races)"
check "7 stress: each race won or failed as its port and protocols say" "" \
	"${wrong# }"
check "7 stress: every winner echoed its early data exactly once" 0 "$echo_bad"
check "7 stress: both TCP and SCTP won races" yes \
	"$( (( won_tcp > 0 && won_sctp > 0 )) && echo yes || echo no)"
check "7 stress: everything freed" yes "$(ns_idle "$C")"
check "7 stress: no TCP or SCTP socket left in the client namespace" baseline \
	"$(sockets_baseline)"
after6=$(slab_active TCPv6)
check "7 stress: TCPv6 objects back to baseline" yes \
	"$( (( after6 <= before6 + 16 )) && echo yes || echo "no ($before6 -> $after6)")"
total=$(( $(stat won) + $(stat failed) + $(stat cancelled) ))
check "7 stress: every race ended won, failed or cancelled" "$(stat races)" "$total"

finish
