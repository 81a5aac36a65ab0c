#!/bin/bash
# apparmor.sh NESTBOX_BINARY [SERIES]: nestbox under AppArmor profiles that
# enforce, in a guest of guest-boot.sh booted with apparmor=1
# security=apparmor (this host's kernel has no AppArmor).  The guest gets
# Debian's apparmor_parser with the includes it reads, containerd's default
# container profile (apparmor-containerd-default) and nestbox's
# (deploy/apparmor/nestbox); apparmor-guest.sh loads both and runs nestbox
# under each.
#
# The kernel is Debian 12's: linux-image-amd64's (6.1), or with SERIES the
# one of linux-image-SERIES-amd64 (6.12: there AppArmor also mediates
# move_mount, which nestbox attaches every mount with).  Its overlay.ko
# comes along, overlayfs being a module.  Needs root; skips only when qemu
# or the kernel package cannot be had.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# sel_ensure_packages, sel_download, die.
# shellcheck source=../selinux/lib.sh
. "$HERE/../selinux/lib.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -f "$1" ]; then
	echo "usage: $0 NESTBOX_BINARY [KERNEL_SERIES]" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (it boots a guest and installs packages)"
	exit 0
fi
META=linux-image-amd64
[ $# = 2 ] && META=linux-image-$2-amd64
sel_ensure_packages apparmor gcc libc6-dev ||
	die "could not install apparmor, gcc and libc6-dev (tools/install-deps.sh lists them)"
PARSER=$(readlink -f "$(command -v apparmor_parser || echo /sbin/apparmor_parser)")
[ -x "$PARSER" ] || die "Debian's apparmor package is installed but has no apparmor_parser"

# kernel_files META SCRATCH: the vmlinuz and overlay.ko of the package META
# stands for, downloaded once into the guests' kernel cache (the file names
# guest-boot.sh uses) and never installed; prints the vmlinuz's path.
CACHE=${NESTBOX_KERNEL_CACHE:-${NESTBOX_SELINUX_CACHE:-/var/tmp/nestbox-selinux-test}}
kernel_files() {
	local meta=$1 scratch=$2 pkg ko
	apt-cache show "$meta" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null
	pkg=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || return 1
	if [ ! -s "$CACHE/$pkg.vmlinuz" ] || [ ! -s "$CACHE/$pkg.overlay.ko" ]; then
		mkdir -p "$CACHE" && sel_download "$pkg" "$scratch" || return 1
		dpkg-deb --fsys-tarfile "$scratch/${pkg}"_*.deb | tar -x -C "$scratch" --wildcards \
			'./boot/vmlinuz-*' './lib/modules/*/kernel/fs/overlayfs/overlay.ko*' || return 1
		cp "$scratch"/boot/vmlinuz-* "$CACHE/$pkg.vmlinuz.tmp" &&
			mv "$CACHE/$pkg.vmlinuz.tmp" "$CACHE/$pkg.vmlinuz" || return 1
		# 6.12's modules are xz-compressed; busybox's insmod wants them plain.
		ko=$(echo "$scratch"/lib/modules/*/kernel/fs/overlayfs/overlay.ko*)
		case $ko in
		*.xz) xz -dc "$ko" >"$CACHE/$pkg.overlay.ko.tmp" ;;
		*) cp "$ko" "$CACHE/$pkg.overlay.ko.tmp" ;;
		esac && mv "$CACHE/$pkg.overlay.ko.tmp" "$CACHE/$pkg.overlay.ko" || return 1
	fi
	echo "$CACHE/$pkg.vmlinuz"
}

BINS=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-apparmor-guest.XXXXXX")
# mktemp makes it 0700; the guest runs nestbox as uid 1000 too.
chmod 755 "$BINS"
trap 'rm -rf "$BINS"' EXIT
trap 'exit 1' INT TERM HUP

mkdir "$BINS/kernel"
if ! KERNEL=$(kernel_files "$META" "$BINS/kernel"); then
	echo "1..0 # SKIP Debian's kernel package ($META's) could not be found or downloaded"
	exit 0
fi
rm -rf "$BINS/kernel"

for prog in apparmor-newmount apparmor-ownns; do
	gcc -static -O2 -Wall -o "$BINS/$prog" "$HERE/$prog.c" || die "building $prog.c failed"
done
cp "$HERE/apparmor-containerd-default" "$ROOT/deploy/apparmor/nestbox" "$BINS/" &&
	cp "${KERNEL%.vmlinuz}.overlay.ko" "$BINS/overlay.ko" || die "copying the profiles and overlay.ko"

# What apparmor_parser reads besides the profile: its configuration, the
# feature set that configuration names, and the policy ABI, tunables and
# abstractions the profiles include, all at the paths the package puts them.
aa_files=("$PARSER")
for f in /etc/apparmor/parser.conf /usr/share/apparmor-features/features \
	/etc/apparmor.d/abi /etc/apparmor.d/tunables /etc/apparmor.d/abstractions; do
	[ -e "$f" ] && aa_files+=("$f")
done

# Not exec: the trap must still remove $BINS.  A skip (77: qemu cannot run
# here) has printed "1..0 # SKIP ..." already; as TAP that is enough.
NBTEST_KERNEL=$KERNEL NBTEST_KERNEL_ARGS="apparmor=1 security=apparmor" \
	"$HERE/guest-boot.sh" "$1" "$HERE/apparmor-guest.sh" "$BINS" "${aa_files[@]}"
rc=$?
[ "$rc" = 77 ] && rc=0
exit "$rc"
