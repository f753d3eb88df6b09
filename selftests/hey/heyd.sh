#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# heyd follows the module: it notices the "hey" family vanish and appear
# again (rmmod/insmod while it runs), and exits cleanly on SIGTERM.
# heyctl reports the status, in text and JSON.
source "$(dirname "$0")/lib.sh"
require_module_file

log=$(mktemp)
cleanup() {
	[[ -n "${heyd_pid:-}" ]] && kill "$heyd_pid" 2>/dev/null
	hey_loaded || insmod "$HEY_MODULE"
	rm -f "$log"
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

"$HEYD" -f -v 2>"$log" &
heyd_pid=$!
wait_for "$log" "start: hey"
check "heyd sees the module at start" 0 "$?"

rmmod hey
wait_for "$log" "family vanished"
check "heyd notices rmmod" 0 "$?"
"$HEYD" --once 2>/dev/null
check "heyd --once without the module" 1 "$?"

insmod "$HEY_MODULE"
wait_for "$log" "family appeared: hey"
check "heyd notices insmod" 0 "$?"

kill -TERM "$heyd_pid"
wait "$heyd_pid"
check "heyd exits 0 on SIGTERM" 0 "$?"
heyd_pid=
grep -q "signal 15: exiting" "$log"
check "heyd logs its exit" 0 "$?"
finish
