#!/bin/bash
# enforcing-boot.sh NESTBOX_BINARY: the end-to-end proof of nestbox's SELinux
# module under a kernel with SELinux enforcing, against each container
# policy it is meant for.
#
# It boots Debian's kernel under qemu (software emulation, no KVM needed)
# with a small busybox initramfs, once per container policy, the boots two
# at a time.  Each guest loads binary policies built from Debian's
# reference policy plus that container policy, and for each runs
# NESTBOX_BINARY as container_t, at the MCS level a pod gets (two
# categories), uid 1000, in a container_file_t root, like a pod's process,
# with --unshare-all --proc /proc --dev /dev and a few variants that need
# each permission of the module (guest-pod.sh).  The container policies:
#
#   testdomain  a container_t written here, confined like
#               container-selinux's (nestboxtest_container.te)
#   refpolicy   the reference policy's own container module, from the
#               release Debian's selinux-policy-default is built from
#               (Debian's source in selinux-policy-src, built with Debian's
#               devel Makefile)
#   container-selinux  skipped: it cannot be built on Debian (see below)
#
# For each, three policies and these runs:
#
#   without the module: the sandbox fails, and a nestbox binary names
#                       SELinux and the module in its diagnosis;
#   with the module:    every run works and ps in the sandbox shows only
#                       the sandbox's own processes;
#   the module less any one of its rules that this policy lacks (each rule
#                       under a boolean of its own in one more policy,
#                       switched off in turn): some run fails, so every
#                       rule is needed.
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
#   NBTEST_ABLATE=0        skip the runs with one rule left out
#   NBTEST_DISCOVER=1      also run each container policy with container_t
#                          permissive and no dontaudit rules, without and
#                          with the module, and list every denial: what a
#                          policy lacks for the launcher, all at once
#   NBTEST_POLICIES        the container policies to test (default
#                          "testdomain refpolicy"; for bwrap "testdomain")
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
# bubblewrap, the harness's own check, needs more than nestbox under
# refpolicy's container_t (MS_REMOUNT of its bind mounts, cap_userns
# sys_ptrace, getattr on nsfs files), which the module does not grant: it
# is a module for nestbox.  So bwrap runs against the test domain alone.
default_policies="testdomain refpolicy"
[ "$NAME" = bwrap ] && default_policies=testdomain
read -r -a FAMILIES <<<"${NBTEST_POLICIES:-$default_policies}"
# The level a runtime gives a pod: s0 and two categories of its own.
LEVEL=s0:c172,c841
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
	selinux-policy-dev make m4 gawk zstd python3-setools ||
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
echo "# kernel: $(basename "$KERNEL" .vmlinuz)"

# ---- container-selinux -------------------------------------------------------
# Its container.te is written against Fedora's selinux-policy, not the
# reference policy: with Debian 12's refpolicy headers (2.20221101) none of
# its releases builds.  v2.250.0 calls 100 interfaces those headers do not
# define (kernel_read_all_proc, files_pid_filetrans, virt_sandbox_domain,
# term_use_all_inherited_terms, fs_dontaudit_remount_tmpfs, ...), and uses
# the class user_namespace, which that release of the reference policy
# does not have; its oldest tags lack 48 interfaces (files_pid_file ...).
# Debian does not package it either.
if [ "$NAME" = bwrap ] && [ -z "${NBTEST_POLICIES:-}" ]; then
	skip "refpolicy: bwrap needs more under refpolicy's container_t than nestbox's module grants"
fi
skip "container-selinux: cannot be built on Debian 12: its container.te calls interfaces only Fedora's selinux-policy defines (kernel_read_all_proc, files_pid_filetrans, virt_sandbox_domain and 97 more) and uses the class user_namespace, which refpolicy 2.20221101 lacks"

# ---- the policies ----------------------------------------------------------
# For each container policy F:
#   F-without:  refpolicy + F + the harness scaffold
#   F-with:     the same + nestbox's module
#   F-switched: the same + nestbox's module with each rule under a boolean
#               (NBTEST_ABLATE=0 leaves it out)
#   F-discover-without, F-discover-with (NBTEST_DISCOVER=1): F-without and
#               F-with, container_t permissive, no dontaudit rules
t0=$(date +%s)
mkdir -p "$WORK/mods" "$WORK/store" "$WORK/pol"
# The test modules are written with refpolicy interfaces, so they are built
# with the devel Makefile, which wants NAME.te in its current directory.
cp "$SEL_TESTDIR/nestboxtest_container.te" "$SEL_TESTDIR/nestboxtest_scaffold.te" "$WORK/mods/"
declare -A DOMAIN_PP
DOMAIN_PP[testdomain]=$(sel_build_devel "$WORK/mods" nestboxtest_container) ||
	die "building nestboxtest_container failed"
scaffold_pp=$(sel_build_devel "$WORK/mods" nestboxtest_scaffold) || die "building nestboxtest_scaffold failed"
permissive_pp=$(sel_build_plain "$SEL_TESTDIR/nestboxtest_permissive.te" "$WORK/mods/permissive") ||
	die "building nestboxtest_permissive failed"
for f in "${FAMILIES[@]}"; do
	case $f in
	testdomain) ;;
	refpolicy)
		DOMAIN_PP[refpolicy]=$(sel_refpolicy_container "$WORK/mods/refpolicy" "$WORK") ||
			die "building refpolicy's container module from Debian's selinux-policy-src failed" ;;
	*) die "unknown container policy '$f' in NBTEST_POLICIES" ;;
	esac
done
NESTBOX_TE=$SEL_SRCDIR/selinux/nestbox.te
if [ -n "${NESTBOX_SELINUX_PP:-}" ]; then
	nestbox_pp=$NESTBOX_SELINUX_PP
else
	nestbox_pp=$(sel_build_plain "$NESTBOX_TE" "$WORK/nestbox") || die "building $NESTBOX_TE failed"
fi
echo "# nestbox module: $nestbox_pp"
sel_switch_rules "$NESTBOX_TE" "$WORK/switched"
switched_pp=$(sel_build_plain "$WORK/switched/nestbox.te" "$WORK/switched") ||
	die "building nestbox's module with its rules under booleans failed"

sel_refpolicy_store "$WORK/store/pristine" "$WORK" || die "building Debian's reference policy failed"

# build_policy NAME [-D] PP...: a copy of the pristine store with these
# modules (-D: without dontaudit rules), its binary policy in pol/NAME.bin.
build_policy() {
	local name=$1 flags=()
	shift
	if [ "$1" = -D ]; then flags=(-D); shift; fi
	cp -a "$WORK/store/pristine" "$WORK/store/$name"
	SEL_SEMODULE_FLAGS="${flags[*]}" sel_install "$WORK/store/$name" "$@" >"$WORK/store/$name.log" 2>&1 &&
		cp "$(sel_policy "$WORK/store/$name")" "$WORK/pol/$name.bin" &&
		rm -rf "$WORK/store/$name"
}
POLICIES=()
declare -A POLICY_MODS
for f in "${FAMILIES[@]}"; do
	base="${DOMAIN_PP[$f]} $scaffold_pp"
	POLICIES+=("$f-without" "$f-with")
	POLICY_MODS[$f-without]=$base
	POLICY_MODS[$f-with]="$base $nestbox_pp"
	if [ "${NBTEST_ABLATE:-1}" = 1 ]; then
		POLICIES+=("$f-switched")
		POLICY_MODS[$f-switched]="$base $switched_pp"
	fi
	if [ "${NBTEST_DISCOVER:-0}" = 1 ]; then
		POLICIES+=("$f-discover-without" "$f-discover-with")
		POLICY_MODS[$f-discover-without]="-D $base $permissive_pp"
		POLICY_MODS[$f-discover-with]="-D $base $permissive_pp $nestbox_pp"
	fi
done
# Two semodule runs at a time (each takes several seconds and one CPU).
pids=()
for p in "${POLICIES[@]}"; do
	# shellcheck disable=SC2086 # one word per module
	build_policy "$p" ${POLICY_MODS[$p]} &
	pids+=($!)
	if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}" || die "building a policy failed: $(cat "$WORK"/store/*.log)"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || die "building a policy failed: $(cat "$WORK"/store/*.log)"; done
echo "# ${#POLICIES[@]} policies built in $(($(date +%s) - t0)) s"

# ---- which rules each container policy lacks -------------------------------
# A rule of the module is needed under F when F-with grants it and
# F-without does not.  Rules F grants by itself, and rules in an optional
# block that stays off under F (it requires types F does not have), cannot
# break a run when left out, so only the needed ones are switched off.
# rule_tuples: "allow S T:C { P ... };" lines as "allow S T C P", one a
# permission (a binary policy names the type itself where the rule said
# "self"), and "type_transition S T:C N;" as "type_transition S T C N".
rule_tuples() {
	sed 's/^nbtest_rule[0-9]* //; s/[{};]/ /g; s/:/ /' |
		awk '$1 == "allow" || $1 == "type_transition" {
			if ($3 == "self") $3 = $2
			for (i = 5; i <= NF; i++) print $1, $2, $3, $4, $i
		}' | sort -u
}
declare -A ABLATE   # F -> the booleans of the rules F lacks
if [ "${NBTEST_ABLATE:-1}" = 1 ]; then
	all_tuples=$(rule_tuples <"$WORK/switched/rules")
	for f in "${FAMILIES[@]}"; do
		for v in own with; do
			pol=$WORK/pol/$f-$v.bin
			[ $v = own ] && pol=$WORK/pol/$f-without.bin
			/usr/bin/python3 "$SEL_TESTDIR/allowed.py" "$pol" <<<"$all_tuples" >"$WORK/$f-$v.tuples" ||
				die "asking $pol which rules it has failed"
			sort -o "$WORK/$f-$v.tuples" "$WORK/$f-$v.tuples"
		done
		own=() off=()
		ABLATE[$f]=""
		while read -r b rule; do
			t=$(rule_tuples <<<"$rule")
			if [ -z "$(comm -23 <(echo "$t") "$WORK/$f-with.tuples")" ] &&
				[ -n "$(comm -23 <(echo "$t") "$WORK/$f-own.tuples")" ]; then
				ABLATE[$f]+=" $b"
			elif [ -z "$(comm -23 <(echo "$t") "$WORK/$f-own.tuples")" ]; then
				own+=("${b#nbtest_rule}")
			else
				off+=("${b#nbtest_rule}")
			fi
		done <"$WORK/switched/rules"
		echo "# $f: granted by the policy itself: rules ${own[*]:-none}; in a block that is off: rules ${off[*]:-none}"
		check "$f: the module adds $(wc -w <<<"${ABLATE[$f]}") rules this policy lacks; each is left out in one run" \
			test -n "${ABLATE[$f]}"
	done
fi

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
for lib in $(ldd "$BIN" 2>/dev/null | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }'); do
	mkdir -p "$POD$(dirname "$lib")"
	cp -L "$lib" "$POD$lib"
done
echo "/usr/bin/$NAME" >"$POD/launcher"
cp "$SEL_TESTDIR/guest-pod.sh" "$POD/guest-pod.sh"
printf 'root:x:0:0:root:/:/bin/sh\npod:x:1000:1000:pod:/:/bin/sh\n' >"$POD/etc/passwd"
printf 'root:x:0:\npod:x:1000:\n' >"$POD/etc/group"

# all_booleans_but B: every switch on except B ("" for none).
all_booleans_but() {
	awk -v off="$1" '{ printf "%s%s=%d", (NR > 1 ? " " : ""), $1, ($1 != off) }' "$WORK/switched/rules"
}
# The plan of each boot (guest-init.sh): LABEL POLICY [BOOLEANS].
declare -A RULE   # minusN -> the rule that run lacks
while read -r b rule; do RULE[minus${b#nbtest_rule}]=$rule; done <"$WORK/switched/rules" 2>/dev/null
declare -A RUNS
for f in "${FAMILIES[@]}"; do
	d=$WORK/boot-$f/policy
	mkdir -p "$d"
	{
		echo "without without.bin"
		echo "with with.bin"
		for b in ${ABLATE[$f]:-}; do
			echo "minus${b#nbtest_rule} switched.bin $(all_booleans_but "$b")"
		done
		if [ "${NBTEST_DISCOVER:-0}" = 1 ]; then
			echo "discover-without discover-without.bin"
			echo "discover-with discover-with.bin"
		fi
	} >"$d/plan"
	RUNS[$f]=$(awk '{ print $1 }' "$d/plan" | tr '\n' ' ')
	for pol in $(awk '{ print $2 }' "$d/plan" | sort -u); do
		cp "$WORK/pol/$f-$pol" "$d/$pol"
	done
done

# Uncompressed: the guest unpacks it faster than it could gunzip it under
# emulation, and the file never leaves this machine.  Each boot's initrd is
# this archive followed by a second one holding only its policies and plan
# (the kernel unpacks concatenated cpio archives in turn).
mkcpio() { (cd "$1" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null); }
mkcpio "$IR" >"$WORK/base.cpio" || die "making the initramfs failed"
for f in "${FAMILIES[@]}"; do
	{ cat "$WORK/base.cpio"; mkcpio "$WORK/boot-$f"; } >"$WORK/initrd-$f.cpio"
done
echo "# initramfs: $(du -h "$WORK/base.cpio" | cut -f1) + policies, in $(($(date +%s) - t0)) s"

# ---- the boots ---------------------------------------------------------------
# Two guests at a time, one emulated CPU each: on a 2-CPU machine a pair
# takes about as long as one boot.  timeout bounds a guest that hangs:
# a minute to boot, and ten seconds a run.
boot() {
	local f=$1 s e runs
	runs=$(wc -w <<<"${RUNS[$f]}")
	s=$(date +%s.%N)
	timeout $((60 + 10 * runs)) qemu-system-x86_64 -accel "$ACCEL" -smp 1 -m 768 \
		-display none -nodefaults -no-reboot -monitor none \
		-serial "file:$WORK/console-$f.log" \
		-kernel "$KERNEL" -initrd "$WORK/initrd-$f.cpio" \
		-append "console=ttyS0 security=selinux enforcing=1 quiet panic=-1 nbtest.boot=$f nbtest.level=$LEVEL" \
		</dev/null >"$WORK/qemu-$f.log" 2>&1 &
	echo $! >"$WORK/timeout-$f.pid"
	wait $!
	echo $? >"$WORK/qemu-$f.rc"
	rm -f "$WORK/timeout-$f.pid"
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f\n", e - s }' >"$WORK/time-$f"
}
t0=$(date +%s.%N)
for f in "${FAMILIES[@]}"; do
	boot "$f" &
	QEMU_PIDS+=($!)
	if [ ${#QEMU_PIDS[@]} -ge 2 ]; then wait "${QEMU_PIDS[0]}"; QEMU_PIDS=("${QEMU_PIDS[@]:1}"); fi
done
wait
QEMU_PIDS=()
t1=$(date +%s.%N)
echo "# ${#FAMILIES[@]} boots in $(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", e - s }') s wall;" \
	"one boot (start to power-off): $(for f in "${FAMILIES[@]}"; do printf '%s %s s (%s runs), ' "$f" "$(cat "$WORK/time-$f")" "$(wc -w <<<"${RUNS[$f]}")"; done | sed 's/, $//')"

# ---- what the guests said ---------------------------------------------------
# console BOOT LINE-PREFIX: the lines of one boot that start with PREFIX
# (serial output ends lines with CR LF).
console() {
	tr -d '\r' <"$WORK/console-$1.log" | grep -a "^$2" || true
}
# run_rc BOOT LABEL CASE, run_out BOOT LABEL CASE
run_rc() { console "$1" "NBRUN $2 $3 rc=" | sed -n 's/.*rc=//p' | head -n1; }
run_out() { console "$1" "NBOUT $2 $3: " | sed "s/^NBOUT $2 $3: //"; }
# ran_ok BOOT LABEL CASE: the run exited 0 and printed what it prints on
# success.
declare -A SUCCESS_LINE=([pty]=ptmx-opened [rotmpfs]=tmpfs-read-only [nested]=nested-ok)
ran_ok() {
	[ "$(run_rc "$1" "$2" "$3")" = 0 ] || return 1
	[ -z "${SUCCESS_LINE[$3]:-}" ] || run_out "$1" "$2" "$3" | grep -qx "${SUCCESS_LINE[$3]}"
}
CASES="sandbox pty rotmpfs nested"
# denials BOOT LABEL: the run's AVC denials for container_t, counted.
denials() {
	console "$1" "NBAVC $2 " | grep 'scontext=[^ ]*container_t' |
		sed -n 's/.*avc:  *denied  *\({[^}]*}\).*tcontext=[^:]*:[^:]*:\([^:]*\):.* tclass=\([^ ]*\).*/\1 \2:\3/p' |
		sort | uniq -c | awk '{ $1 = $1 "x"; print }' | tr '\n' ';'
}

for f in "${FAMILIES[@]}"; do
	echo "# ==== container policy: $f ===="
	if ! console "$f" NBEND | grep -q .; then
		not_ok "$f: the guest ran to the end (qemu rc $(cat "$WORK/qemu-$f.rc"))"
		diag "$(tail -n 30 "$WORK/console-$f.log" | tr -d '\r')"
		diag "$(cat "$WORK/qemu-$f.log")"
		continue
	fi
	bad=""
	for l in ${RUNS[$f]}; do
		console "$f" "NBPOLICY $l " | grep -q 'enforce=1' &&
			console "$f" "NBCTX $l " | grep -q "container_t:$LEVEL uid=1000" ||
			bad="$bad $l"
	done
	check "$f: booted in $(cat "$WORK/time-$f") s; for each of its $(wc -w <<<"${RUNS[$f]}") runs the policy loaded, enforcing, and the pod process is container_t:$LEVEL uid 1000${bad:+ (not:$bad)}" test -z "$bad"
	[ -z "$bad" ] || diag "$(console "$f" NB | grep -v '^NBOUT' | head -n 40)"

	# Without the module: the sandbox must fail, and say why.
	rc=$(run_rc "$f" without sandbox)
	out=$(run_out "$f" without sandbox)
	echo "# ---- $f without nestbox's module ----"
	diag "$NAME --unshare-all --ro-bind / / --proc /proc --dev /dev ps  exited $rc:"
	diag "$(sed 's/^/    /' <<<"$out")"
	check "$f without: the sandbox fails (rc=$rc)" test -n "$rc" -a "$rc" != 0
	if [ "$NAME" = bwrap ]; then
		skip "$f without: the diagnosis names SELinux (bwrap prints no diagnosis)"
		skip "$f without: the diagnosis names the policy module (bwrap prints no diagnosis)"
	else
		check "$f without: the diagnosis names SELinux" grep -q 'SELinux' <<<"$out"
		check "$f without: the diagnosis names the policy module" grep -q 'nestbox\.pp\|semodule' <<<"$out"
	fi
	for c in pty rotmpfs nested; do
		diag "$c: exited $(run_rc "$f" without $c): $(run_out "$f" without $c | tr '\n' ' ')"
	done

	# With the module: every run works.
	rc=$(run_rc "$f" with sandbox)
	out=$(run_out "$f" with sandbox)
	echo "# ---- $f with nestbox's module ----"
	diag "$NAME --unshare-all --ro-bind / / --proc /proc --dev /dev ps  exited $rc:"
	diag "$(sed 's/^/    /' <<<"$out")"
	check "$f with: the sandbox runs (rc=$rc)" test "$rc" = 0
	# ps lists the sandbox's pid namespace: the launcher's pid 1 (its
	# reaper) and ps itself; nothing of the pod (its shells, nsenter, the
	# init script).
	procs=$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 ":" $3 }' <<<"$out" | tr '\n' ' ')
	check "$f with: ps in the sandbox shows only the sandbox's processes ($procs)" \
		awk -v p="$procs" -v b="$NAME" 'BEGIN {
			k = split(p, a, " ")
			if (k < 1 || k > 2 || p !~ /(^| )1:/) exit 1
			for (i = 1; i <= k; i++) { split(a[i], f, ":"); if (f[2] != "ps" && f[2] != b) exit 1 }
		}'
	check "$f with: a pty opens in the sandbox's devpts" ran_ok "$f" with pty
	check "$f with: --tmpfs + --remount-ro gives a read-only tmpfs" ran_ok "$f" with rotmpfs
	check "$f with: a sandbox inside the sandbox mounts and unmounts proc, devpts and a read-only tmpfs" ran_ok "$f" with nested
	for c in pty rotmpfs nested; do
		ran_ok "$f" with $c || diag "$c: exited $(run_rc "$f" with $c): $(run_out "$f" with $c | tr '\n' ' ')"
	done

	# Each rule this policy lacks is needed: the module less that one
	# rule must break a run.
	if [ "${NBTEST_ABLATE:-1}" = 1 ]; then
		echo "# ---- $f with nestbox's module less one rule ----"
		for b in ${ABLATE[$f]}; do
			l=minus${b#nbtest_rule}
			failed=""
			for c in $CASES; do ran_ok "$f" "$l" "$c" || failed="$failed $c"; done
			case ${RULE[$l]} in
			*sysctl*)
				# Only a launcher that re-masks /proc (nestbox) binds
				# over /proc/sys and /proc/irq; bubblewrap does not.
				if [ "$NAME" = bwrap ]; then
					skip "$f without '${RULE[$l]}': failed:${failed:- nothing} (bwrap does not re-mask /proc)"
					continue
				fi ;;
			esac
			check "$f without '${RULE[$l]}': a run fails (failed:${failed:- nothing})" test -n "$failed"
		done
	fi

	# The denials each run logged for container_t, for the record.
	for l in ${RUNS[$f]}; do
		case $l in discover-*) continue ;; esac
		avcs=$(denials "$f" "$l")
		diag "AVC denials for container_t, $f $l: ${avcs:-none}"
	done
	if [ "${NBTEST_DISCOVER:-0}" = 1 ]; then
		for l in discover-without discover-with; do
			echo "# ---- $f $l: container_t permissive, no dontaudit ----"
			for c in $CASES; do diag "$c: exited $(run_rc "$f" $l $c)"; done
			console "$f" "NBAVC $l " | grep 'scontext=[^ ]*container_t' |
				sed -n 's/.*avc:  *denied  *\({[^}]*}\).*tcontext=\([^ ]*\) tclass=\([^ ]*\).*/\1 \2 \3/p' |
				sort | uniq -c | sed 's/^/#   /'
		done
	fi
done

echo "# total time $(($(date +%s) - START)) s"
sel_finish
