#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading hey.ko: it cannot go away while a socket uses it,
# and 200 load/unload cycles leave the family registered exactly while the
# module is loaded. The VM runner's kernel-log and kmemleak checks turn
# any splat or leak of these cycles into a failure.
source "$(dirname "$0")/lib.sh"
require_module_file

cleanup() {
	[[ -n "${hold_pid:-}" ]] && kill "$hold_pid" 2>/dev/null
	hey_loaded || insmod "$HEY_MODULE"
}
trap cleanup EXIT

hey_loaded || insmod "$HEY_MODULE"

# --- rmmod while a socket uses the module ---
coproc HOLD { "$HEY_HOLD" 4; }
hold_pid=$HOLD_PID
read -r -t 10 line <&"${HOLD[0]}"
check "holder attached 4 sockets" ready "${line:-}"
sockets=$("$HEYCTL" -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["sockets"])')
check "status counts the holder's sockets" 4 "$sockets"
refcnt=$(cat /sys/module/hey/refcnt)
check "module refcount is the attached sockets" 4 "$refcnt"
rmmod hey 2>/dev/null
check "rmmod fails while sockets use hey" 1 "$?"
hey_loaded
check "module still loaded" 0 "$?"
"$HEYCTL" status >/dev/null
check "family still answers" 0 "$?"
exec {HOLD[1]}>&-
wait "$hold_pid"
check "holder exited cleanly" 0 "$?"
hold_pid=
check "module refcount back to zero" 0 "$(cat /sys/module/hey/refcnt)"
rmmod hey
check "rmmod succeeds once the sockets are closed" 0 "$?"

# --- 200 load/unload cycles (40 on the debug kernel: stress()) ---
bad_load=0 bad_unload=0 bad_present=0 bad_absent=0
cycles=$(stress 200)
# The family is asked after every 10th load and unload: an exec per cycle
# costs minutes on the debug kernel under emulation.
for ((i = 0; i < cycles; i++)); do
	insmod "$HEY_MODULE" || bad_load=$((bad_load + 1))
	if ((i % 10 == 0)); then
		"$HEYCTL" status >/dev/null 2>&1 || bad_present=$((bad_present + 1))
	fi
	rmmod hey || bad_unload=$((bad_unload + 1))
	if ((i % 10 == 0)); then
		"$HEYCTL" status >/dev/null 2>&1 && bad_absent=$((bad_absent + 1))
	fi
done
check "$cycles loads succeed" 0 "$bad_load"
check "$cycles unloads succeed" 0 "$bad_unload"
check "family answers after every 10th load" 0 "$bad_present"
check "family gone after every 10th unload" 0 "$bad_absent"
"$HEYCTL" status >/dev/null 2>&1
check "heyctl says the module is not loaded" 1 "$?"

insmod "$HEY_MODULE"
check "module loads again" 0 "$?"
finish
