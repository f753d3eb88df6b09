# shellcheck shell=bash
# Shared helpers for the tools/vm scripts (sourced, never executed).

# shellcheck disable=SC2034 # these variables are for the sourcing scripts

# Directory holding these scripts, and the repository root above it.
HEY_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
HEY_REPO=$(cd "$HEY_VM_DIR/../.." && pwd -P)

# Per-user cache: stock kernels, initramfs images.
CACHE=${HEY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hey}

# Name of the calling script, for messages.
HEY_PROG=${HEY_PROG:-$(basename "$0")}

log() {
	printf '%s: %s\n' "$HEY_PROG" "$*" >&2
}

die() {
	printf '%s: error: %s\n' "$HEY_PROG" "$*" >&2
	exit 1
}

# with_lock FILE CMD [ARGS...]: run CMD while holding an exclusive flock on
# FILE (created if needed).  Serialises concurrent callers.
with_lock() {
	local lockfile=$1
	shift
	mkdir -p "$(dirname "$lockfile")"
	(
		flock 9
		"$@"
	) 9>"$lockfile"
}

# apt_updated: run 'apt-get update' at most once per process.
HEY_APT_UPDATED=${HEY_APT_UPDATED:-0}
apt_update_once() {
	if [ "$HEY_APT_UPDATED" = 0 ]; then
		log "running apt-get update"
		apt-get update -qq >&2 || log "warning: apt-get update failed"
		HEY_APT_UPDATED=1
	fi
}

# pkg_installed PKG: true when dpkg reports PKG as installed.
pkg_installed() {
	local status
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
	[ "${status:0:2}" = ii ]
}

# kvm_probe_file: where the verdict of the KVM probe for this host boot is
# cached ("ok" or "broken"; see tools/vm/run).
kvm_probe_file() {
	local boot_id
	boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) || boot_id=unknown
	echo "$CACHE/kvm-probe/$boot_id"
}

# kvm_device_ok: /dev/kvm exists and we may open it read-write.
kvm_device_ok() {
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]
}

# has_pvh_note ELF: true when ELF is a kernel QEMU can boot directly through
# its PVH entry point (Xen note XEN_ELFNOTE_PHYS32_ENTRY, type 0x12).
has_pvh_note() {
	[ -f "$1" ] && readelf -n "$1" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'
}
