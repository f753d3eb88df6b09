#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hey_connect as a test's client, sourced after lib.sh (whose out_field
# and out_leaf read its output) and the server's filter. Uses the test's
# C and S namespaces, HC and $out; the server's nftables table "inet hey"
# has an input chain "in".
# shellcheck disable=SC2154 # C, S, HC and out are the test's

# rules RULE...: the server's input chain holds exactly these rules.
rules() {
	ip netns exec "$S" nft flush chain inet hey in
	local r
	for r in "$@"; do
		# a rule the kernel cannot take would weaken a test silently
		ip netns exec "$S" nft add rule inet hey in "$r" ||
			check "nft takes the rule '$r'" 0 1
	done
}

# client ARGS...: run the client in the client namespace; output in $out.
client() {
	ip netns exec "$C" "$HC" "$@" >"$out" 2>&1
}
