#!/bin/bash
# enforcing-boot.sh NESTBOX_BINARY: the end-to-end proof of nestbox's SELinux
# module under a kernel with SELinux enforcing.
#
# It boots Debian's kernel under qemu (software emulation, no KVM needed)
# with a small busybox initramfs.  The guest loads a binary policy built
# from Debian's reference policy plus a test container_t domain confined
# like container-selinux's (nestboxtest_container.te), without nestbox's
# module in the first boot and with it in the second; then it runs
# NESTBOX_BINARY as
# container_t (uid 1000, in a container_file_t root, like a pod's process)
# with --unshare-all --proc /proc --dev /dev and a few variants that need
# each permission of the module (guest-pod.sh), and powers off.
#
#   without the module: the sandbox fails with EACCES, and a nestbox binary
#                       names SELinux in its diagnosis;
#   with the module:    every run works and ps in the sandbox shows only
#                       the sandbox's own processes;
#   with the module less any one of its rules (nine more boots): some run
#                       fails, so every rule is needed.
#
# The binary may be any bwrap-compatible launcher: Debian's /usr/bin/bwrap
# proves the harness itself.  It is copied into the guest with the shared
# libraries ldd lists.
#
# Output is TAP plus a closing "N passed, N failed" line; exit 0 when the
# outcomes are as expected, 1 when not, 77 (skip) only when qemu cannot run
# on this machine at all.  Needs root on Debian 12 (it installs missing
# packages with apt-get); never touches the machine's SELinux state.
#
# Environment:
#   NESTBOX_SELINUX_PP     use this nestbox.pp instead of building
#                          selinux/nestbox.te from the source tree
#   NESTBOX_SELINUX_CACHE  where the kernel is kept between runs
#                          (default /var/tmp/nestbox-selinux-test)
#   NBTEST_KEEP=1          keep the scratch directory and the console logs
#   NBTEST_ABLATE=0        skip the boots with one rule left out
#   NBTEST_ACCEL           qemu accelerator (default tcg)

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -f "$BIN" ]; then
	echo "usage: $0 NESTBOX_BINARY   (a bwrap-compatible launcher, e.g. build/nestbox or /usr/bin/bwrap)" >&2
	exit 2
fi
BIN=$(readlink -f "$BIN")
NAME=$(basename "$BIN")
ACCEL=${NBTEST_ACCEL:-tcg}
CACHE=${NESTBOX_SELINUX_CACHE:-/var/tmp/nestbox-selinux-test}
START=$(date +%s)

[ "$(id -u)" -eq 0 ] || die "needs root (apt-get, and files owned by uid 0 in the guest)"

echo "# launcher under test: $BIN"

# ---- can qemu run here at all? -------------------------------------------
# The one reason to skip: qemu is missing and cannot be installed, or it
# cannot start a machine with this accelerator (an empty machine, told to
# quit through its monitor).
sel_ensure_packages qemu-system-x86 || true
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "1..0 # SKIP qemu-system-x86_64 is not installed and could not be installed"
	exit 77
fi
if ! qerr=$(echo quit | timeout 60 qemu-system-x86_64 -accel "$ACCEL" -M none -display none \
	-nodefaults -monitor stdio 2>&1 >/dev/null); then
	echo "1..0 # SKIP qemu cannot start a machine here (accel $ACCEL): $qerr"
	exit 77
fi

sel_ensure_packages busybox-static checkpolicy semodule-utils policycoreutils \
	selinux-policy-dev make m4 gawk ||
	die "could not install the packages this test needs"

WORK=$(mktemp -d /tmp/nestbox-selinux-boot.XXXXXX)
QEMU_PIDS=()
cleanup() {
	local p f
	# Never leave a guest running: stop the "timeout" processes this
	# script started (each passes the signal on to its qemu), by pid, and
	# the shells that wait for them.
	for f in "$WORK"/timeout-*.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = timeout ] && kill "$p" 2>/dev/null
	done
	for p in "${QEMU_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "${NBTEST_KEEP:-0}" = 1 ]; then
		echo "# kept $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the kernel ------------------------------------------------------------
# Only its vmlinuz is needed (SELinux is built in: CONFIG_SECURITY_SELINUX=y,
# selected with security=selinux), so nothing is installed.
KERNEL=$(sel_kernel_image "$CACHE" "$WORK") || die "could not get Debian's kernel (linux-image-amd64)"
kpkg=$(basename "$KERNEL" .vmlinuz)
echo "# kernel: $kpkg"

# ---- the policies ----------------------------------------------------------
# "without": refpolicy + the test container domain + the harness scaffold.
# "with":    the same + nestbox's module.
# "minusN":  the same + nestbox's module less its Nth allow rule, to show
#            that each rule is needed (NBTEST_ABLATE=0 skips these boots).
t0=$(date +%s)
mkdir -p "$WORK/mods" "$WORK/store"
# The test modules are written with refpolicy interfaces, so they are built
# with the devel Makefile, which wants NAME.te in its current directory.
cp "$SEL_TESTDIR/nestboxtest_container.te" "$SEL_TESTDIR/nestboxtest_scaffold.te" "$WORK/mods/"
container_pp=$(sel_build_devel "$WORK/mods" nestboxtest_container) || die "building nestboxtest_container failed"
scaffold_pp=$(sel_build_devel "$WORK/mods" nestboxtest_scaffold) || die "building nestboxtest_scaffold failed"
NESTBOX_TE=$SEL_SRCDIR/selinux/nestbox.te
if [ -n "${NESTBOX_SELINUX_PP:-}" ]; then
	nestbox_pp=$NESTBOX_SELINUX_PP
else
	nestbox_pp=$(sel_build_plain "$NESTBOX_TE" "$WORK/nestbox") || die "building $NESTBOX_TE failed"
fi
echo "# nestbox module: $nestbox_pp"

sel_refpolicy_store "$WORK/store/without" "$WORK" || die "building Debian's reference policy failed"
sel_install "$WORK/store/without" "$container_pp" "$scaffold_pp" ||
	die "installing the test container domain failed"

VARIANTS=(without with)
declare -A RULE   # minusN -> the allow rule that variant lacks
if [ "${NBTEST_ABLATE:-1}" = 1 ]; then
	n=0
	while IFS= read -r rule; do
		n=$((n + 1))
		VARIANTS+=("minus$n")
		RULE[minus$n]=$rule
		mkdir -p "$WORK/minus$n"
		# The module with that one line left out (rules are one a line).
		grep -vxF "	$rule" "$NESTBOX_TE" >"$WORK/minus$n/nestbox.te"
	done < <(sed -n 's/^[[:space:]]*\(allow container_t .*;\)$/\1/p' "$NESTBOX_TE")
fi

# One store per variant, two semodule runs at a time (each takes a few
# seconds and one CPU).
build_variant() {
	local v=$1 pp=$nestbox_pp
	[ "$v" = without ] && return 0
	cp -a "$WORK/store/without" "$WORK/store/$v"
	if [ "$v" != with ]; then
		pp=$(sel_build_plain "$WORK/$v/nestbox.te" "$WORK/$v") || return 1
	fi
	sel_install "$WORK/store/$v" "$pp" >"$WORK/store/$v.log" 2>&1
}
pids=()
for v in "${VARIANTS[@]}"; do
	build_variant "$v" &
	pids+=($!)
	if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}" || die "building policy $v failed"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || die "building a policy failed"; done
echo "# ${#VARIANTS[@]} policies built in $(($(date +%s) - t0)) s"

# ---- the initramfs ---------------------------------------------------------
t0=$(date +%s)
IR=$WORK/initramfs
POD=$IR/podroot
mkdir -p "$IR"/{bin,proc,sys,dev,policy} "$POD"/{bin,etc,usr/bin}
cp "$SEL_TESTDIR/guest-init.sh" "$IR/init"
chmod 755 "$IR/init"

# busybox-static: one static binary is the guest's whole userland, both for
# /init and inside the pod (where ps, sh, unshare and umount come from).
BUSYBOX=/bin/busybox
if ldd "$BUSYBOX" >/dev/null 2>&1; then die "$BUSYBOX is not static (install busybox-static)"; fi
for root in "$IR" "$POD"; do
	cp "$BUSYBOX" "$root/bin/busybox"
	for applet in $("$BUSYBOX" --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
done

# The launcher and the shared libraries it loads, at the same paths.
cp "$BIN" "$POD/usr/bin/$NAME"
for lib in $(ldd "$BIN" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }'); do
	mkdir -p "$POD$(dirname "$lib")"
	cp -L "$lib" "$POD$lib"
done
echo "/usr/bin/$NAME" >"$POD/launcher"
cp "$SEL_TESTDIR/guest-pod.sh" "$POD/guest-pod.sh"
printf 'root:x:0:0:root:/:/bin/sh\npod:x:1000:1000:pod:/:/bin/sh\n' >"$POD/etc/passwd"
printf 'root:x:0:\npod:x:1000:\n' >"$POD/etc/group"

# Uncompressed: the guest unpacks it faster than it could gunzip it under
# emulation, and the file never leaves this machine.  Each boot's initrd is
# this archive followed by a second one holding only its policy (the
# kernel unpacks concatenated cpio archives in turn).
mkcpio() { (cd "$1" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null); }
mkcpio "$IR" >"$WORK/base.cpio" || die "making the initramfs failed"
for v in "${VARIANTS[@]}"; do
	mkdir -p "$WORK/pol-$v/policy"
	cp "$(sel_policy "$WORK/store/$v")" "$WORK/pol-$v/policy/current.bin"
	{ cat "$WORK/base.cpio"; mkcpio "$WORK/pol-$v"; } >"$WORK/initrd-$v.cpio"
done
echo "# initramfs: $(du -h "$WORK/initrd-with.cpio" | cut -f1) in $(($(date +%s) - t0)) s"

# ---- the boots ---------------------------------------------------------------
# Two guests at a time, one emulated CPU each: on a 2-CPU machine a pair
# takes about as long as one boot.  timeout bounds a guest that hangs.
boot() {
	local v=$1 s e
	s=$(date +%s.%N)
	timeout 120 qemu-system-x86_64 -accel "$ACCEL" -smp 1 -m 768 \
		-display none -nodefaults -no-reboot -monitor none \
		-serial "file:$WORK/console-$v.log" \
		-kernel "$KERNEL" -initrd "$WORK/initrd-$v.cpio" \
		-append "console=ttyS0 security=selinux enforcing=1 quiet panic=-1 nbtest.policy=$v" \
		</dev/null >"$WORK/qemu-$v.log" 2>&1 &
	echo $! >"$WORK/timeout-$v.pid"
	wait $!
	echo $? >"$WORK/qemu-$v.rc"
	rm -f "$WORK/timeout-$v.pid"
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f\n", e - s }' >"$WORK/time-$v"
}
t0=$(date +%s.%N)
for v in "${VARIANTS[@]}"; do
	boot "$v" &
	QEMU_PIDS+=($!)
	if [ ${#QEMU_PIDS[@]} -ge 2 ]; then wait "${QEMU_PIDS[0]}"; QEMU_PIDS=("${QEMU_PIDS[@]:1}"); fi
done
wait
QEMU_PIDS=()
t1=$(date +%s.%N)
declare -A BOOT_SECONDS
for v in "${VARIANTS[@]}"; do BOOT_SECONDS[$v]=$(cat "$WORK/time-$v"); done
echo "# ${#VARIANTS[@]} boots in $(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", e - s }') s wall; one boot (start to power-off): without ${BOOT_SECONDS[without]} s, with ${BOOT_SECONDS[with]} s"

# ---- what the guests said ---------------------------------------------------
# console LINE-PREFIX VARIANT: the lines of one boot that start with PREFIX
# (serial output ends lines with CR LF).
console() {
	tr -d '\r' <"$WORK/console-$2.log" | grep -a "^$1" || true
}
run_rc() { console "NBRUN $2 rc=" "$1" | sed -n 's/.*rc=//p' | head -n1; }
run_out() { console "NBOUT $2: " "$1" | sed "s/^NBOUT $2: //"; }
# ran_ok VARIANT CASE: the run exited 0 and printed what it prints on success.
declare -A SUCCESS_LINE=([pty]=ptmx-opened [rotmpfs]=tmpfs-read-only [nested]=nested-ok)
ran_ok() {
	[ "$(run_rc "$1" "$2")" = 0 ] || return 1
	[ -z "${SUCCESS_LINE[$2]:-}" ] || run_out "$1" "$2" | grep -qx "${SUCCESS_LINE[$2]}"
}
CASES="sandbox pty rotmpfs nested"

booted=()
for v in "${VARIANTS[@]}"; do
	if ! tr -d '\r' <"$WORK/console-$v.log" | grep -aq '^NBEND'; then
		not_ok "$v: the guest ran to the end (qemu rc $(cat "$WORK/qemu-$v.rc"))"
		diag "$(tail -n 30 "$WORK/console-$v.log" | tr -d '\r')"
		diag "$(cat "$WORK/qemu-$v.log")"
		continue
	fi
	if console NBPOLICY "$v" | grep -q 'loaded enforce=1' &&
		console NBCTX "$v" | grep -q 'container_t:s0 uid=1000'; then
		booted+=("$v")
		ok "$v: booted in ${BOOT_SECONDS[$v]} s, policy loaded, enforcing, pod process is container_t uid 1000"
	else
		not_ok "$v: policy loaded, enforcing, pod process is container_t uid 1000"
		diag "$(console NB "$v" | head -n 20)"
	fi
done

# Without the module: the sandbox must fail, and fail with EACCES.
v=without
rc=$(run_rc $v sandbox)
out=$(run_out $v sandbox)
echo "# ---- without nestbox's module ----"
diag "$NAME --unshare-all --ro-bind / / --proc /proc --dev /dev ps  exited $rc:"
diag "$(sed 's/^/    /' <<<"$out")"
check "without: the sandbox fails (rc=$rc)" test -n "$rc" -a "$rc" != 0
check "without: it fails with EACCES (Permission denied)" grep -q 'Permission denied' <<<"$out"
if [ "$NAME" = bwrap ]; then
	skip "without: the diagnosis names SELinux (bwrap prints no diagnosis)"
	skip "without: the diagnosis names the policy module (bwrap prints no diagnosis)"
else
	check "without: the diagnosis names SELinux" grep -q 'SELinux' <<<"$out"
	check "without: the diagnosis names the policy module" grep -q 'nestbox\.pp\|semodule' <<<"$out"
fi
for c in pty rotmpfs nested; do
	diag "$c: exited $(run_rc $v $c): $(run_out $v $c | tr '\n' ' ')"
done

# With the module: every run works.
v=with
rc=$(run_rc $v sandbox)
out=$(run_out $v sandbox)
echo "# ---- with nestbox's module ----"
diag "$NAME --unshare-all --ro-bind / / --proc /proc --dev /dev ps  exited $rc:"
diag "$(sed 's/^/    /' <<<"$out")"
check "with: the sandbox runs (rc=$rc)" test "$rc" = 0
# ps lists the sandbox's pid namespace: the launcher's pid 1 (its reaper)
# and ps itself; nothing of the pod (its shells, nsenter, the init script).
procs=$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 ":" $3 }' <<<"$out" | tr '\n' ' ')
check "with: ps in the sandbox shows only the sandbox's processes ($procs)" \
	awk -v p="$procs" -v b="$NAME" 'BEGIN {
		k = split(p, a, " ")
		if (k < 1 || k > 2 || p !~ /(^| )1:/) exit 1
		for (i = 1; i <= k; i++) { split(a[i], f, ":"); if (f[2] != "ps" && f[2] != b) exit 1 }
	}'
check "with: a pty opens in the sandbox's devpts" ran_ok with pty
check "with: --tmpfs + --remount-ro gives a read-only tmpfs" ran_ok with rotmpfs
check "with: a sandbox inside the sandbox mounts and unmounts proc, devpts and a read-only tmpfs" ran_ok with nested
for c in pty rotmpfs nested; do
	ran_ok with $c || diag "$c: exited $(run_rc with $c): $(run_out with $c | tr '\n' ' ')"
done

# Each rule is needed: the module less that one rule must break a run.
if [ "${NBTEST_ABLATE:-1}" = 1 ]; then
	echo "# ---- with nestbox's module less one rule ----"
	for v in "${VARIANTS[@]}"; do
		case $v in minus*) ;; *) continue ;; esac
		failed=""
		for c in $CASES; do ran_ok "$v" "$c" || failed="$failed $c"; done
		case ${RULE[$v]} in
		*sysctl*)
			# Only a launcher that re-masks /proc (nestbox) binds over
			# /proc/sys and /proc/irq; bubblewrap does not.
			if [ "$NAME" = bwrap ]; then
				skip "without '${RULE[$v]}': failed:${failed:- nothing} (bwrap does not re-mask /proc)"
				continue
			fi ;;
		esac
		check "without '${RULE[$v]}': a run fails (failed:${failed:- nothing})" test -n "$failed"
	done
fi

# The denials each boot logged for container_t, for the record.
for v in "${VARIANTS[@]}"; do
	avcs=$(console NBAVC "$v" | grep 'scontext=[^ ]*container_t' |
		sed -n 's/.*avc:  *denied  *\({[^}]*}\).*tcontext=[^:]*:[^:]*:\([^:]*\):.* tclass=\([^ ]*\).*/\1 \2:\3/p' |
		sort | uniq -c | awk '{ $1 = $1 "x"; print }' | tr '\n' ';')
	diag "AVC denials for container_t, policy $v: ${avcs:-none}"
done

echo "# total time $(($(date +%s) - START)) s"
sel_finish
