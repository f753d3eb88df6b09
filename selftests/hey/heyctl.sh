#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# heyctl against the module: races, the history cache, network ids and
# the policy, in text and JSON, and the privilege checks. A client and a
# server namespace joined by one veth; the server's service addresses
# (10.9.9.9, 3fff:9::9) sit on its loopback and a name, hey.test, has
# both (an /etc/hosts of the test's, bind-mounted for heyctl connect).
# nftables refuses IPv6 on port 8080, so a race there has a refused
# IPv6 leaf and an IPv4 winner.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
require_module_file

C=$(rand_ns hey-c)
S=$(rand_ns hey-s)
V6=3fff:9::9
V4=10.9.9.9
HC=$HEY_SELFTESTS/hey_connect
dir=$(mktemp -d)
out=$dir/out
err=$dir/err

cleanup() {
	[[ -n "${mon_pid:-}" ]] && kill "$mon_pid" 2>/dev/null
	topo_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT

setup() {
	topo_one_path
	ip netns exec "$S" nft -f - <<-EOF
	table inet hey {
		chain in {
			type filter hook input priority 0;
			ip6 nexthdr tcp tcp dport 8080 reject with tcp reset
		}
	}
	EOF
	topo_echo_server 8080
	printf '%s hey.test\n%s hey.test\n' "$V6" "$V4" >"$dir/hosts"
	# heyctl as nobody may not reach the repository: a copy it can run
	install -m 0755 "$HEYCTL" "$dir/heyctl"
	chmod 0755 "$dir"
}

# heyctl ARGS...: heyctl in the client namespace; stdout in $out,
# stderr in $err; returns heyctl's status.
heyctl() {
	ip netns exec "$C" "$HEYCTL" "$@" >"$out" 2>"$err"
}

# connect ARGS...: heyctl connect with hey.test resolving to both
# addresses; stdin from the caller.
connect() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$C" unshare -m sh -c \
		'mount --bind "$0" /etc/hosts && exec "$@"' "$dir/hosts" \
		"$HEYCTL" connect "$@" >"$out" 2>"$err"
}

# nobody ARGS...: heyctl in the client namespace without privilege.
nobody() {
	ip netns exec "$C" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$dir/heyctl" "$@" \
		>"$out" 2>"$err"
}

# py EXPR: EXPR of the JSON in $out ("j" is it), a tuple's items
# separated by spaces.
py() {
	python3 -c "import json,sys; j = json.load(open(sys.argv[1])); r = ($1)
print(' '.join(map(str, r)) if isinstance(r, tuple) else r)" "$out"
}

# The IPv4 address of a leaf, v4-mapped or not (an AF_INET6 socket's
# leaves connect to ::ffff:10.9.9.9).
unmap='lambda a: a[7:] if a.startswith("::ffff:") else a'

setup

# ---- (a) races ----------------------------------------------------------

echo hello | connect -v hey.test 8080
check "connect: exit 0" 0 "$?"
check "connect: the echo comes back" hello "$(cat "$out")"
grep -q '^race state connected winner 1 connect [0-9.]*ms leaves 2$' "$err"
check "connect -v: the race line" 0 "$?"
check "connect -v: IPv6 refused" "tcp [3fff:9::9]:8080 failed ECONNREFUSED" \
	"$(awk '$1 == "0" { print $4, $5, $8, $9 }' "$err")"
check "connect -v: IPv4 won" "c1 won" \
	"$(awk '$1 == "1" && $5 ~ /10\.9\.9\.9\]?:8080$/ { print $2, $8 }' "$err")"

# Text: the last race's header and its two leaf lines, by column.
heyctl races
check "races: exit 0" 0 "$?"
last=$(grep '^race ' "$out" | tail -n1)
check "races: the race connected, leaf 1 won" yes \
	"$([[ $last == *" state connected winner 1 connect "*"ms leaves 2" ]] &&
	  echo yes || echo "no: $last")"
leaves=$(awk '/^race /{ n = 0; delete l } /^  [0-9]/{ l[n++] = $0 }
	END { for (i = 0; i < n; i++) print l[i] }' "$out")
read -r i dev net proto ep start end outcome errno flags cache <<<"$(sed -n 1p <<<"$leaves")"
check "races: leaf 0 is IPv6 over c1" "0 c1 tcp [3fff:9::9]:8080" \
	"$i $dev $proto $ep"
check "races: leaf 0 refused" "failed ECONNREFUSED" "$outcome $errno"
check "races: leaf 0 has its network id" yes \
	"$([[ $net =~ ^0x8[0-9a-f]{15}$ ]] && echo yes || echo "no: $net")"
check "races: leaf 0 no flags, nothing cached" "- none" "$flags $cache"
read -r i dev net proto ep start end outcome errno flags cache <<<"$(sed -n 2p <<<"$leaves")"
check "races: leaf 1 is IPv4 over c1" "1 c1 tcp 8080" \
	"$i $dev $proto ${ep##*:}"
check "races: leaf 1 to 10.9.9.9" yes \
	"$([[ $ep == 10.9.9.9:8080 || $ep == '[::ffff:10.9.9.9]:8080' ]] &&
	  echo yes || echo "no: $ep")"
check "races: leaf 1 won, no errno" "won -" "$outcome $errno"
check "races: leaf 1 no flags, nothing cached" "- none" "$flags $cache"
check "races: leaf 1 started and ended" yes \
	"$([[ $start =~ ^[0-9]+\.[0-9]{3}$ && $end =~ ^[0-9]+\.[0-9]{3}$ ]] &&
	  echo yes || echo "no: $start $end")"

# JSON: the same race.
heyctl -j races
check "races -j: exit 0" 0 "$?"
check "races -j: connected, winner 1" "connected 1" \
	"$(py 'j[-1]["state"], j[-1]["winner"]')"
check "races -j: the winner" "tcp 10.9.9.9 8080 won None c1" \
	"$(py "(lambda l: ' '.join(map(str, [l['protocol'], ($unmap)(l['addr']), l['port'], l['outcome'], l['error'], l['dev']])))(j[-1]['leaves'][j[-1]['winner']])")"
check "races -j: the IPv6 leaf" "tcp inet6 3fff:9::9 8080 failed ECONNREFUSED" \
	"$(py "(lambda l: ' '.join(map(str, [l['protocol'], l['family'], l['addr'], l['port'], l['outcome'], l['error']])))(j[-1]['leaves'][0])")"
check "races -j: connect time, no error" "True None" \
	"$(py 'j[-1]["connect_us"] > 0, j[-1]["error"]')"

# A race where both leaves are refused: connect fails, races says why.
connect hey.test 8081 </dev/null
check "connect to a closed port: exit 1" 1 "$?"
grep -q '^heyctl: connect: hey.test port 8081: Connection refused$' "$err"
check "connect to a closed port: the errno text" 0 "$?"
heyctl -j races -n 1
check "races -n 1: one race" 1 "$(py 'len(j)')"
check "races -n 1: failed with ECONNREFUSED, no winner" \
	"failed ECONNREFUSED None None" \
	"$(py 'j[0]["state"], j[0]["error"], j[0]["winner"], j[0]["connect_us"]')"
check "races -n 1: both leaves refused" "failed ECONNREFUSED failed ECONNREFUSED" \
	"$(py '" ".join(l["outcome"] + " " + l["error"] for l in j[0]["leaves"])')"
heyctl races -n 1
check "races -n 1 text: one race" 1 "$(grep -c '^race ' "$out")"
grep -q "state failed error ECONNREFUSED leaves 2$" "$out"
check "races -n 1 text: failed with ECONNREFUSED" 0 "$?"

# net.hey.race_log bounds the log; a full log's oldest record is filled
# again for the next race, which must not keep anything of the old one
# (a race of one leaf after races of two).
ip netns exec "$C" sysctl -qw net.hey.race_log=2
ip netns exec "$C" "$HC" -4 "$V4" 8080 >/dev/null
check "race_log 2: a race of one leaf connects" 0 "$?"
heyctl -j races
check "race_log 2: two races kept" 2 "$(py 'len(j)')"
check "race_log 2: the older is the refused race of two leaves" "failed 2" \
	"$(py 'j[0]["state"], len(j[0]["leaves"])')"
check "race_log 2: the newest has one leaf, which won, nothing else" \
	"connected 0 1 won None" \
	"$(py 'j[1]["state"], j[1]["winner"], len(j[1]["leaves"]), j[1]["leaves"][0]["outcome"], j[1]["leaves"][0]["error"]')"
first=$(py 'j[1]["id"]')
ip netns exec "$C" "$HC" -4 "$V4" 8080 >/dev/null
heyctl -j races
check "race_log 2: the oldest dropped for the next race" \
	"2 $first $((first + 1)) 1 1" \
	"$(py 'len(j), j[0]["id"], j[1]["id"], len(j[0]["leaves"]), len(j[1]["leaves"])')"
ip netns exec "$C" sysctl -qw net.hey.race_log=1
heyctl -j races
check "race_log lowered to 1: the newest kept, at once" "1 $((first + 1))" \
	"$(py 'len(j), j[0]["id"]')"
# ... and a race of two leaves after one of one: the oldest record has
# room for one leaf only, so the new race gets one of its own.
connect hey.test 8081 </dev/null
heyctl -j races
check "race_log 1: a race of two after a race of one keeps both leaves" \
	"1 failed 2 failed ECONNREFUSED failed ECONNREFUSED" \
	"$(py 'len(j), j[0]["state"], len(j[0]["leaves"]), " ".join(l["outcome"] + " " + l["error"] for l in j[0]["leaves"])')"
ip netns exec "$C" sysctl -qw net.hey.race_log=0
heyctl -j races
check "race_log 0: none kept, at once" 0 "$(py 'len(j)')"
ip netns exec "$C" "$HC" -4 "$V4" 8080 >/dev/null
heyctl -j races
check "race_log 0: a race leaves none" 0 "$(py 'len(j)')"
ip netns exec "$C" sysctl -qw net.hey.race_log=64

# ---- (b) the cache: save, flush, load -----------------------------------

# a cache entry without its age: the part a reload reproduces
strip_age() {
	sed 's/ age [0-9]*//' "$1" | sort
}

# name keys, as races by name record them: folded (lower case, no final
# dot) by the kernel; a DNS-SD instance's space fits one word
heyctl cache add network 0x77 name WWW.Hey.Test. family inet6 port 443 \
	proto tcp result outrun
check "cache add of a name: exit 0" 0 "$?"
heyctl cache add network 0x77 name 'My Printer._ipp._tcp.local' \
	family inet port 631 proto tcp result success successes 2 srtt 800
check "cache add of an instance name with a space: exit 0" 0 "$?"

heyctl cache show
check "cache show: exit 0" 0 "$?"
cp "$out" "$dir/before"
n=$(wc -l <"$dir/before")
check "cache show: entries after the races" yes \
	"$( ((n >= 4)) && echo yes || echo "no: $n")"
grep -q "dst $V6 port 8080 proto tcp result failed .*error ECONNREFUSED" \
	"$dir/before"
check "cache show: the refused IPv6 destination" 0 "$?"
check "cache show: the name entries, folded and escaped" \
	"network 0x77 name www.hey.test family inet6 port 443 proto tcp result outrun|network 0x77 name my\\032printer._ipp._tcp.local family inet port 631 proto tcp result success" \
	"$(grep ' name ' "$dir/before" | sed 's/ result \([a-z]*\) .*/ result \1/' |
	   sort -r | paste -sd'|')"
heyctl -j cache show
cp "$out" "$dir/before.json"
check "cache show -j: as many entries" "$n" "$(py 'len(j)')"
check "cache show -j: a name entry has its name, no dst" \
	"inet 631 None success" \
	"$(py '[(e["family"], e["port"], e["dst"], e["result"]) for e in j if e["name"] == "my printer._ipp._tcp.local"][0]')"
check "cache show -j: an address entry has no name" None \
	"$(py '[e["name"] for e in j if e["dst"] == "'"$V6"'"][0]')"

heyctl cache save "$dir/saved"
check "cache save: exit 0" 0 "$?"
check "cache save: a line per entry" "$n" "$(grep -vc '^#' "$dir/saved")"
check "cache save: format version 2" yes \
	"$(head -n1 "$dir/saved" | grep -q '^# hey history cache, version 2, ' &&
	   echo yes || echo no)"
grep -q '^network 0x77 name my\\032printer._ipp._tcp.local family inet port 631 ' \
	"$dir/saved"
check "cache save: the instance name as one word" 0 "$?"
check "cache save: no temporary file left" "saved" \
	"$(cd "$dir" && ls saved*)"

heyctl cache flush
check "cache flush: exit 0" 0 "$?"
heyctl cache show
check "cache flush: cache show is empty" "" "$(cat "$out")"
heyctl -j cache show
check "cache flush: cache show -j is []" "[]" "$(cat "$out")"

# a bad line: nothing is sent, every bad line is named
{ sed -n 2p "$dir/saved"; echo "network 0x1 dst $V4 port 80 proto tcp"
  echo "# comment"; echo "network 0x1 dst nowhere port 80 proto tcp result success"
  echo "network 0x1 name a..b family inet port 80 proto tcp result success"
  echo "network 0x1 name a.b port 80 proto tcp result success"
} >"$dir/bad"
heyctl cache load "$dir/bad"
check "cache load of a bad file: exit 1" 1 "$?"
check "cache load of a bad file: its bad lines named" \
	"$dir/bad:2: 'result' missing|$dir/bad:4: dst 'nowhere': an IPv4 or IPv6 address, or any|$dir/bad:5: name 'a..b': an empty label|$dir/bad:6: 'name' needs 'family inet' or 'family inet6'|heyctl: cache load: $dir/bad: nothing loaded" \
	"$(paste -sd'|' "$err")"
heyctl cache show
check "cache load of a bad file: nothing loaded" "" "$(cat "$out")"

heyctl cache load "$dir/saved"
check "cache load: exit 0" 0 "$?"
heyctl cache show
check "cache load: every entry back (key, result, counters)" \
	"$(strip_age "$dir/before")" "$(strip_age "$out")"
heyctl -j cache show
check "cache load: the same JSON but for the ages" yes \
	"$(python3 -c '
import json, sys
def entries(f):
    return sorted(json.dumps({k: v for k, v in e.items() if k != "age_ms"},
                             sort_keys=True) for e in json.load(open(f)))
print("yes" if entries(sys.argv[1]) == entries(sys.argv[2]) else "no")
' "$dir/before.json" "$out")"

# del of a name, in any case: the folded entry goes
heyctl cache del network 0x77 name 'MY PRINTER._IPP._tcp.local.' family inet \
	port 631 proto tcp
check "cache del of a name: exit 0" 0 "$?"
heyctl cache show
check "cache del of a name: that entry is gone, the other family's not" \
	"0 1" "$(grep -c 'name my' "$out") $(grep -c 'name www.hey.test' "$out")"

# del: the entry of one key goes, a second del finds nothing
key=$(grep "dst $V6 " "$dir/before" | head -n1 | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8 }')
# shellcheck disable=SC2086 # the key is words
heyctl cache del $key
check "cache del: exit 0" 0 "$?"
heyctl cache show
check "cache del: that entry is gone" 0 "$(grep -c "^$key " "$out")"
# shellcheck disable=SC2086
heyctl cache del $key
check "cache del again: exit 1" 1 "$?"
check "cache del again: ENOENT with the kernel's words" \
	"heyctl: cache del: No such file or directory: hey: no such entry" \
	"$(cat "$err")"

# ---- (c) network ids, policy, privilege ---------------------------------

ifindex=$(ip netns exec "$C" cat /sys/class/net/c1/ifindex)
heyctl network set c1 0x1234
check "network set: exit 0" 0 "$?"
heyctl network show c1
check "network show c1" "c1 ifindex $ifindex network 0x1234" "$(cat "$out")"
heyctl -j network show c1
check "network show -j c1" "c1 4660 False" \
	"$(py 'j[0]["dev"], j[0]["network"], j[0]["default"]')"
heyctl network set c1 default
heyctl -j network show
check "network set default: back to the default id" "True True" \
	"$(py "[n['network'] == (1 << 63 | $ifindex) for n in j if n['dev'] == 'c1'][0], [n['default'] for n in j if n['dev'] == 'c1'][0]")"
check "network show: lo too" "lo" "$(py '[n["dev"] for n in j if n["ifindex"] == 1][0]')"
heyctl network set c1 0x8000000000000001
check "network set with bit 63: usage error" 2 "$?"
heyctl network set nosuch0 5
check "network set of no interface: exit 1" 1 "$?"

heyctl policy show
check "policy show: exit 0" 0 "$?"
cp "$out" "$dir/policy"
heyctl policy set mode failover min-delay 50 max-delay 900 default-delay 120 \
	protocols tfo,tcp allowed all prefer c1 exclude lo max-leaves 8 \
	max-races 100
check "policy set: exit 0" 0 "$?"
heyctl policy show
check "policy show after set" "mode failover|min-delay 50|max-delay 900|default-delay 120|protocols tfo,tcp|allowed tcp,tfo,sctp|prefer c1|exclude lo|max-leaves 8|max-races 100" \
	"$(paste -sd'|' "$out")"
heyctl -j policy show
check "policy show -j after set" "failover 50 ['tfo', 'tcp'] ['c1'] ['lo'] 8" \
	"$(py 'j["mode"], j["min_delay_ms"], j["protocols"], j["prefer"], j["exclude"], j["max_leaves"]')"
heyctl policy set min-delay 1000
check "policy set min-delay above max-delay: exit 1" 1 "$?"
check "policy set refused: the kernel's words" \
	"heyctl: policy set: Invalid argument: hey: min_delay_ms is above max_delay_ms" \
	"$(cat "$err")"
# what policy show printed is what policy set takes
# shellcheck disable=SC2046
heyctl policy set $(cat "$dir/policy")
check "policy set of policy show's output: exit 0" 0 "$?"
heyctl policy show
check "policy: back as it was" "$(cat "$dir/policy")" "$(cat "$out")"

nobody cache show
check "unprivileged cache show: exit 0" 0 "$?"
nobody cache flush
check "unprivileged cache flush: exit 1" 1 "$?"
check "unprivileged cache flush: the permission error" \
	"heyctl: cache flush: Operation not permitted (needs CAP_NET_ADMIN)" \
	"$(cat "$err")"
nobody monitor
check "unprivileged monitor: exit 1" 1 "$?"
grep -q "Operation not permitted" "$err"
check "unprivileged monitor: the permission error" 0 "$?"

# ---- monitor --------------------------------------------------------------

ip netns exec "$C" "$HEYCTL" -j monitor >"$dir/mon" 2>&1 &
mon_pid=$!
# it has joined once a race it sees is reported
for _ in $(seq 50); do
	ip netns exec "$C" "$HC" -e "$V4" "$V6" 8080 >/dev/null 2>&1
	grep -q '"race_done"' "$dir/mon" && break
	sleep 0.2
done
check "monitor: a race" 0 "$(grep -q '"event":"race_done","race":{"id":' "$dir/mon"; echo $?)"
check "monitor: a cache update" 0 \
	"$(grep -q '"event":"cache_changed","change":"updated"' "$dir/mon"; echo $?)"
heyctl cache flush
wait_for "$dir/mon" '"change":"flushed"'
check "monitor: the flush" 0 "$?"
check "monitor: every line is JSON" ok "$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)
print("ok")' "$dir/mon" 2>&1)"
kill -TERM "$mon_pid"
wait "$mon_pid"
check "monitor: exit 0 on SIGTERM" 0 "$?"
mon_pid=
finish
