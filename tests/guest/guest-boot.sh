#!/bin/bash
# guest-boot.sh NESTBOX_BINARY GUEST_SCRIPT [FILE|DIR...]: run GUEST_SCRIPT as
# root in a qemu guest whose only cgroup hierarchy is cgroup v2, and relay
# the TAP it prints.
#
# What the host's kernel cannot show is tried in a guest: the host's cgroups
# are hybrid (the memory, pids and cpu controllers sit on v1), and its
# Landlock ABI is newer than Debian 12's.  The guest is Debian's kernel
# booted with cgroup_no_v1=all under qemu (TCG: no KVM needed) with a
# busybox-static initramfs.  guest-init.sh mounts cgroup2 on /sys/fs/cgroup
# and enables the memory, pids, cpu and io controllers in the root's
# subtree, then runs GUEST_SCRIPT with busybox sh, cwd /tmp, environment:
#
#   NESTBOX     the launcher, copied into the guest at its host path (with
#               the shared libraries ldd lists, libasan included)
#   PATH        /bin (busybox), /nbtest/bin (asuser UID GID CMD...: run CMD
#               as that user with no supplementary groups), and the
#               directory of each extra FILE (a DIR itself)
#   NBTEST_LIB  /nbtest, which holds tests/tap.sh (". $NBTEST_LIB/tap.sh")
#
# Extra FILEs and DIRs are copied into the guest at their host paths, with
# their libraries when they are dynamic; /tmp in the guest is a tmpfs that
# starts with whatever was put there.
#
# The guest's TAP comes on its second serial port, away from the kernel's
# console.  Exit status: 0 when the script ran to its end, printed a plan
# and no "not ok"; 1 otherwise (a guest that never finished, from a panic
# or the timeout, gets the console's tail as comments and "Bail out!");
# 77 with "1..0 # SKIP" only when qemu cannot run here at all.  Needs root
# on Debian 12; installs qemu, busybox-static and gcc when missing.
#
# Environment:
#   NBTEST_ACCEL    qemu accelerator (default tcg)
#   NBTEST_TIMEOUT  seconds before the guest is stopped (default 600)
#   NBTEST_SMP, NBTEST_MEM   vCPUs (2), MiB of memory (1024)
#   NBTEST_KERNEL_ARGS  more kernel command line (apparmor=1 security=apparmor)
#   NBTEST_KERNEL   a vmlinuz to boot instead of linux-image-amd64's
#   NBTEST_KEEP=1   keep the scratch directory (initramfs, console log)
#   NESTBOX_KERNEL_CACHE   where the kernel is kept between runs (default
#                   the SELinux boot test's, so both share one download)

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# sel_ensure_packages, sel_download, die, diag; and tests/tap.sh.
# shellcheck source=../selinux/lib.sh
. "$HERE/../selinux/lib.sh"

if [ $# -lt 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
	echo "usage: $0 NESTBOX_BINARY GUEST_SCRIPT [FILE|DIR...]" >&2
	exit 2
fi
BIN=$(readlink -f "$1")
SCRIPT=$(readlink -f "$2")
shift 2
EXTRA=()
for f in "$@"; do
	[ -e "$f" ] || { echo "$0: no such file: $f" >&2; exit 2; }
	EXTRA+=("$(readlink -f "$f")")
done
ACCEL=${NBTEST_ACCEL:-tcg}
TIMEOUT=${NBTEST_TIMEOUT:-600}
CACHE=${NESTBOX_KERNEL_CACHE:-${NESTBOX_SELINUX_CACHE:-/var/tmp/nestbox-selinux-test}}
START=$(date +%s.%N)

[ "$(id -u)" -eq 0 ] || die "needs root (apt-get, root-owned files in the guest)"

elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

# ---- can qemu run here at all? ---------------------------------------------
# The only reason to skip: no qemu and none installable, or qemu cannot start
# even an empty machine with this accelerator.
qemu_usable() {
	sel_ensure_packages qemu-system-x86 >/dev/null 2>&1
	if ! command -v qemu-system-x86_64 >/dev/null; then
		echo "1..0 # SKIP qemu-system-x86_64 is not installed and could not be installed"
		exit 77
	fi
	local err
	if ! err=$(echo quit | timeout 60 qemu-system-x86_64 -accel "$ACCEL" -M none \
		-display none -nodefaults -monitor stdio 2>&1 >/dev/null); then
		echo "1..0 # SKIP qemu cannot start a machine here (accel $ACCEL): $err"
		exit 77
	fi
}
qemu_usable
sel_ensure_packages busybox-static gcc libc6-dev ||
	die "could not install busybox-static, gcc and libc6-dev"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-cgroup-guest.XXXXXX")
TIMEOUT_PID=""
cleanup() {
	local p
	# No guest outlives this script: stop timeout (it passes the signal on
	# to qemu and waits for it), then qemu itself if it is somehow still
	# there, each by the pid recorded for it.
	[ -n "$TIMEOUT_PID" ] && kill "$TIMEOUT_PID" 2>/dev/null
	[ -s "$WORK/tail.pid" ] && kill "$(cat "$WORK/tail.pid")" 2>/dev/null
	if [ -s "$WORK/qemu.pid" ]; then
		p=$(cat "$WORK/qemu.pid")
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		qemu-system*) kill -KILL "$p" 2>/dev/null ;;
		esac
	fi
	wait 2>/dev/null
	if [ "${NBTEST_KEEP:-0}" = 1 ]; then
		echo "# kept $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- the kernel ---------------------------------------------------------------
KERNEL=${NBTEST_KERNEL:-}
[ -n "$KERNEL" ] || KERNEL=$(sel_kernel_image "$CACHE" "$WORK") || die "could not get Debian's kernel (linux-image-amd64)"
echo "# kernel: $(basename "$KERNEL" .vmlinuz), accel $ACCEL"

# ---- the initramfs ------------------------------------------------------------
IR=$WORK/initramfs
mkdir -p "$IR"/{bin,proc,sys,dev,tmp,nbtest/bin} || die "mkdir in $WORK"
ln -s bin "$IR/sbin"

BUSYBOX=/bin/busybox
ldd "$BUSYBOX" >/dev/null 2>&1 && die "$BUSYBOX is not static (install busybox-static)"
cp "$BUSYBOX" "$IR/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	[ -e "$IR/bin/$applet" ] || ln -s busybox "$IR/bin/$applet"
done

# put PATH: copy PATH into the guest at the same path, plus the libraries
# ldd lists when it is dynamic (ldd fails on a static binary: nothing to add).
put() {
	local src=$1 lib
	mkdir -p "$IR$(dirname "$src")" && cp -a "$src" "$IR$src" || return 1
	[ -f "$src" ] || return 0
	for lib in $(ldd "$src" 2>/dev/null |
		awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }'); do
		[ -e "$IR$lib" ] && continue
		mkdir -p "$IR$(dirname "$lib")" && cp -L "$lib" "$IR$lib" || return 1
	done
}
put "$BIN" || die "copying $BIN into the initramfs"
guest_path=/bin:/sbin:/nbtest/bin
for f in "${EXTRA[@]}"; do
	if [ -d "$f" ]; then
		put "$f" || die "copying $f"
		for g in "$f"/*; do [ -f "$g" ] && { put "$g" || die "copying $g"; }; done
		guest_path=$guest_path:$f
	else
		put "$f" || die "copying $f"
		case :$guest_path: in *":$(dirname "$f"):"*) ;; *) guest_path=$guest_path:$(dirname "$f") ;; esac
	fi
done

gcc -static -O2 -Wall -o "$IR/nbtest/bin/asuser" "$HERE/asuser.c" || die "building asuser.c"
cp "$HERE/guest-init.sh" "$IR/init" && chmod 755 "$IR/init"
cp "$SCRIPT" "$IR/nbtest/guest.sh"
cp "$HERE/../tap.sh" "$IR/nbtest/tap.sh"
printf "NESTBOX='%s'\nPATH='%s'\n" "$BIN" "$guest_path" >"$IR/nbtest/env"

# Uncompressed: unpacking beats gunzip under emulation.
(cd "$IR" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) >"$WORK/initrd.cpio" ||
	die "making the initramfs"
echo "# initramfs: $(du -h "$WORK/initrd.cpio" | cut -f1), launcher $BIN"

# ---- the boot -----------------------------------------------------------------
: >"$WORK/tap.log"
qstart=$(date +%s.%N)
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" \
	-smp "${NBTEST_SMP:-2}" -m "${NBTEST_MEM:-1024}" \
	-display none -nodefaults -no-reboot -monitor none \
	-pidfile "$WORK/qemu.pid" \
	-serial "file:$WORK/console.log" -serial "file:$WORK/tap.log" \
	-kernel "$KERNEL" -initrd "$WORK/initrd.cpio" \
	-append "console=ttyS0 cgroup_no_v1=all panic=-1 quiet${NBTEST_KERNEL_ARGS:+ $NBTEST_KERNEL_ARGS}" \
	</dev/null >"$WORK/qemu.log" 2>&1 &
TIMEOUT_PID=$!

# Relay the guest's lines as they come; the NB ones become comments.
ended=no guest_rc=unknown up_seen=no
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	NBUP*)
		up_seen=yes
		echo "# boot: guest script started $(elapsed "$qstart") s after qemu did (guest ${line#NBUP })"
		;;
	NBEND*)
		ended=yes
		guest_rc=$(sed -n 's/.*rc=\([^ ]*\).*/\1/p' <<<"$line")
		echo "# guest script ended: ${line#NBEND }"
		;;
	NBFATAL*) echo "# guest setup failed: ${line#NBFATAL }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done < <(tail -n +1 -f --pid="$TIMEOUT_PID" "$WORK/tap.log" & echo $! >"$WORK/tail.pid"; wait)
wait "$TIMEOUT_PID"
qrc=$?
TIMEOUT_PID=""
echo "# qemu ran $(elapsed "$qstart") s (exit $qrc), whole run $(elapsed "$START") s"

tap=$(tr -d '\r' <"$WORK/tap.log")
if [ "$ended" != yes ]; then
	why="qemu exit $qrc"
	[ "$qrc" = 124 ] && why="stopped after the ${TIMEOUT} s timeout"
	[ "$up_seen" = no ] && why="$why, before the guest script started"
	diag "console tail:"
	diag "$(tail -n 40 "$WORK/console.log" | tr -d '\r')"
	[ -s "$WORK/qemu.log" ] && diag "qemu: $(cat "$WORK/qemu.log")"
	echo "Bail out! the guest never finished ($why)"
	exit 1
fi
if grep -q '^not ok' <<<"$tap"; then exit 1; fi
if ! grep -Eq '^1\.\.[0-9]+' <<<"$tap"; then
	echo "# the guest script printed no plan (1..N): it stopped early"
	exit 1
fi
if [ "$guest_rc" != 0 ]; then
	echo "# the guest script exited $guest_rc"
	exit 1
fi
exit 0
