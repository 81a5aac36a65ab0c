# apparmor-guest.sh: nestbox under AppArmor profiles that enforce, run as
# root in the guest of guest-boot.sh (busybox sh), booted with apparmor=1
# security=apparmor by apparmor.sh, which puts Debian's apparmor_parser and
# its includes into the guest, and on PATH a directory with the static
# helpers apparmor-newmount and apparmor-ownns, the kernel's overlay.ko and
# the two profiles: apparmor-containerd-default (containerd's
# cri-containerd.apparmor.d) and nestbox (deploy/apparmor).
#
# Under containerd's profile nestbox must stop with exit 1 and name
# AppArmor, the profile and the pod setting that fixes it; under nestbox's
# it must work; unconfined is the control.  Then what nestbox's profile
# must still refuse is tried by processes under it, each with the same
# command unconfined as the control.
. "$NBTEST_LIB/tap.sh"

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
# flat TEXT: TEXT on one line, for a test's description.
flat() { printf '%s' "$1" | tr '\n' ' ' | cut -c1-300; }
# has TEXT WORD...: TEXT contains every WORD.
has() {
	local text=$1 w
	shift
	for w in "$@"; do
		case $text in *"$w"*) ;; *) return 1 ;; esac
	done
}

SEC=/sys/kernel/security
DATA=$(dirname "$(command -v apparmor-newmount)")
CONTAINERD=cri-containerd.apparmor.d

# ---- AppArmor is on, and the profiles load ------------------------------------

grep -q " $SEC securityfs" /proc/mounts || mount -t securityfs securityfs $SEC
enabled=$(cat /sys/module/apparmor/parameters/enabled 2>&1)
check "AppArmor is enabled (/sys/module/apparmor/parameters/enabled: $enabled)" test "$enabled" = Y
lsms=$(cat $SEC/lsm 2>&1)
check "apparmor is an active security module ($lsms)" has ",$lsms," ",apparmor,"
[ "$enabled" = Y ] || { echo "Bail out! AppArmor is off in the guest: nothing below can be tried"; exit 1; }
diag "kernel $(uname -r); AppArmor mount features: $(cat $SEC/apparmor/features/mount/mask 2>&1)"
[ -e $SEC/apparmor/features/mount/move_mount ] &&
	diag "move_mount of a detached mount: $(cat $SEC/apparmor/features/mount/move_mount)"

for f in apparmor-containerd-default nestbox; do
	out=$(apparmor_parser -r -K "$DATA/$f" 2>&1)
	check "apparmor_parser loads $f ($(flat "$out"))" test $? = 0
done
profiles=$(cat $SEC/apparmor/profiles 2>&1)
check "$CONTAINERD is loaded in enforce mode" has "$profiles" "$CONTAINERD (enforce)"
check "nestbox is loaded in enforce mode" has "$profiles" "nestbox (enforce)"

# under PROFILE COMMAND...: COMMAND confined by PROFILE from its exec on,
# as a container runtime starts a container's process ("unconfined": as
# it is).  AppArmor's own attr directory first (Linux 5.8+), then the one
# of the major module.
if [ -e /proc/self/attr/apparmor/exec ]; then ATTR="apparmor/exec"; else ATTR="exec"; fi
under() {
	local profile=$1
	shift
	if [ "$profile" = unconfined ]; then
		"$@"
		return
	fi
	sh -c 'printf "exec %s" "$0" >/proc/self/attr/$1 && shift && exec "$@"' "$profile" "$ATTR" "$@"
}

for p in "$CONTAINERD" nestbox; do
	label=$(under "$p" cat /proc/self/attr/current 2>&1)
	check "a command started under $p runs confined by it ($label)" test "$label" = "$p (enforce)"
done
label=$(under unconfined cat /proc/self/attr/current 2>&1)
check "control: the guest's shell is unconfined ($label)" test "$label" = unconfined

# ---- nestbox with a CI executor's options ---------------------------------------

# What a CI executor (Zuul) passes for a job step, and a pid namespace's
# shell that lists its own /proc.
CI="--unshare-all --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp"
LIST_PROC='cd /proc && echo [0-9]*'

# sandbox PROFILE ARGS...: nestbox under PROFILE; its stdout and stderr go
# to out.txt and err.txt, its exit status to $rc.
sandbox() {
	local profile=$1
	shift
	under "$profile" "$NESTBOX" "$@" >out.txt 2>err.txt
	rc=$?
}

for p in unconfined nestbox; do
	what="under $p"
	[ "$p" = unconfined ] && what="control: unconfined"
	sandbox "$p" $CI true
	check "$what: nestbox $CI true works (exit $rc $(flat "$(cat err.txt)"))" test $rc = 0
	sandbox "$p" $CI --unshare-pid sh -c "$LIST_PROC"
	pids=$(cat out.txt)
	check "$what: a --unshare-pid shell sees its own /proc (pids: $pids; exit $rc $(flat "$(cat err.txt)"))" \
		test $rc = 0 -a "${pids%% *}" = 1
done

# Under containerd's default nestbox cannot mount: it must say that
# AppArmor refused, under which profile, and which pod setting fixes it.
# refused_under_containerd DESCRIPTION ARGS...
refused_under_containerd() {
	local what=$1 err
	shift
	sandbox "$CONTAINERD" "$@"
	err=$(cat err.txt)
	diag "under $CONTAINERD, $what: exit $rc, stderr:"
	diag "$err"
	check "under $CONTAINERD: $what stops with exit 1 ($rc)" test $rc = 1
	check "... its stderr names AppArmor, the profile and the remedy appArmorProfile" \
		has "$err" AppArmor "$CONTAINERD" appArmorProfile
	check "... the remedy offers nestbox's profile (localhostProfile: nestbox)" has "$err" "localhostProfile: nestbox"
	check "... and nothing ran (stdout: $(flat "$(cat out.txt)"))" test ! -s out.txt
}
refused_under_containerd "nestbox $CI true" $CI true
refused_under_containerd "a --unshare-pid shell listing /proc" $CI --unshare-pid sh -c "$LIST_PROC"

# ---- every kind of mount nestbox makes, under its profile ------------------------

# Binds of each kind and --remount-ro, a devpts instance (--dev) and an
# mqueue one, mount points (--dir, --file), overlays of the three kinds.
# Each run lists /dev/pts and /tmp/o and prints "done"; unconfined is the
# control for every one.
mkdir -p /tmp/aa/lower1 /tmp/aa/lower2 /tmp/aa/upper /tmp/aa/work /tmp/aa/rw
echo one >/tmp/aa/lower1/a
echo two >/tmp/aa/lower2/b
BASE="--unshare-all --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp"
# overlayfs is a module in Debian's kernel; apparmor.sh brings it when it can.
grep -qw overlay /proc/filesystems || { [ -f "$DATA/overlay.ko" ] && insmod "$DATA/overlay.ko"; }
grep -qw overlay /proc/filesystems && OVERLAY=yes || OVERLAY=no
while IFS=: read -r name args; do
	case $name:$OVERLAY in
	*overlay:no)
		skip "$name: overlayfs is not in the guest's kernel (no overlay.ko from Debian's kernel package)"
		skip "$name under nestbox: overlayfs is not in the guest's kernel"
		continue
		;;
	esac
	for p in unconfined nestbox; do
		# $args is split on purpose: the options.
		sandbox "$p" $BASE $args sh -c 'ls /dev/pts /tmp/o >/dev/null && echo done' </dev/null
		check "$p: $name ($(flat "$(cat out.txt) $(cat err.txt)"))" test $rc = 0 -a "$(cat out.txt)" = "done"
	done
done <<EOF
binds and --remount-ro:--bind /tmp/aa/rw /tmp/o --ro-bind /tmp/aa/lower1 /tmp/o/ro --dev-bind /dev/null /tmp/null --remount-ro /tmp/o/ro
--mqueue, --dir, --file:--mqueue /dev/mqueue --dir /tmp/o --file 0 /tmp/made
--tmp-overlay:--overlay-src /tmp/aa/lower1 --tmp-overlay /tmp/o
--overlay:--overlay-src /tmp/aa/lower1 --overlay /tmp/aa/upper /tmp/aa/work /tmp/o
--ro-overlay:--overlay-src /tmp/aa/lower1 --overlay-src /tmp/aa/lower2 --ro-overlay /tmp/o
EOF

# A sandbox in a sandbox (a job that runs bwrap itself), and uid 1000.
NESTED="$NESTBOX --unshare-all --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp"
for p in unconfined nestbox; do
	# No --tmpfs /tmp outside: nestbox may be below /tmp.  The outer /proc
	# unmasked, as in a pod with procMount: Unmasked.
	sandbox "$p" --unshare-all --bind / / --proc /proc --proc-policy none --dev /dev $NESTED sh -c 'echo done'
	check "$p: nestbox in nestbox ($(flat "$(cat out.txt) $(cat err.txt)"))" test $rc = 0 -a "$(cat out.txt)" = "done"
	under "$p" asuser 1000 1000 "$NESTBOX" $CI --unshare-pid sh -c "$LIST_PROC" >out.txt 2>err.txt
	rc=$?
	pids=$(cat out.txt)
	check "$p: uid 1000, a --unshare-pid shell listing /proc (pids: $pids; exit $rc $(flat "$(cat err.txt)"))" \
		test $rc = 0 -a "${pids%% *}" = 1
done

# ---- what nestbox's profile still refuses ------------------------------------------

# refused_under_nestbox WHAT COMMAND...: COMMAND fails with EACCES
# ("Permission denied", AppArmor's answer) under nestbox's profile and works
# unconfined (the control), each in a mount namespace of its own so that
# nothing it mounts outlives it (apparmor-ownns: one that keeps the guest's
# propagation, since making it private is a mount the profile refuses too).
refused_under_nestbox() {
	local what=$1 out rc
	shift
	out=$(under unconfined apparmor-ownns "$@" 2>&1)
	rc=$?
	check "control: unconfined, $what works (exit $rc $(flat "$out"))" test $rc = 0
	out=$(under nestbox apparmor-ownns "$@" 2>&1)
	rc=$?
	check "under nestbox, $what is refused (exit $rc: $(flat "$out"))" \
		sh -c '[ "$1" != 0 ] && case $2 in *"Permission denied"*) ;; *) exit 1 ;; esac' sh "$rc" "$out"
}
out=$(under nestbox apparmor-ownns sh -c 'echo in' 2>&1)
check "under nestbox, a mount namespace of one's own is still allowed ($(flat "$out"))" test "$out" = in
mkdir -p /tmp/aa/t /newroot/t
refused_under_nestbox "mount -t debugfs on a directory" mount -t debugfs debugfs /tmp/aa/t
refused_under_nestbox "mount -t cgroup2 on a directory" mount -t cgroup2 cgroup2 /tmp/aa/t
refused_under_nestbox "a writable tmpfs over /proc/sys" mount -t tmpfs tmpfs /proc/sys
refused_under_nestbox "a procfs mounted with mount(2)" mount -t proc proc /tmp/aa/t
refused_under_nestbox "a bind of /proc/sys onto itself" mount --bind /proc/sys /proc/sys
refused_under_nestbox "a tmpfs on /tmp with exec and suid allowed" mount -t tmpfs tmpfs /tmp
refused_under_nestbox "making / shared" mount --make-rshared /

# The new mount API: AppArmor sees only move_mount(2), and only from Linux
# 6.7 on ("apparmor: Fix regression in mount mediation"; stable kernels
# that took the fix too).  Before, neither containerd's "deny mount" nor
# nestbox's rules reach it; what the kernel does is recorded either way.
out=$(under "$CONTAINERD" apparmor-ownns apparmor-newmount tmpfs /tmp/aa/t 2>&1)
rc=$?
case $(uname -r) in
[1-5].* | 6.[0-6].* | 6.[0-6]-*) modern=no ;;
*) modern=yes ;;
esac
if [ $rc = 0 ]; then
	mediated=no
	diag "Linux $(uname -r) does not mediate move_mount: containerd's \"deny mount\" let the new mount API attach a tmpfs"
else
	mediated=yes
	diag "Linux $(uname -r) mediates move_mount: containerd's \"deny mount\" refused the new mount API ($(flat "$out"))"
fi
if [ $modern = yes ]; then
	check "Linux $(uname -r) (6.7 or later) mediates move_mount (under $CONTAINERD: exit $rc $(flat "$out"))" test $mediated = yes
fi
if [ $mediated = yes ]; then
	refused_under_nestbox "the new mount API attaching a tmpfs outside /newroot" apparmor-newmount tmpfs /tmp/aa/t
	refused_under_nestbox "the new mount API attaching a procfs on /proc/sys" apparmor-newmount proc /proc/sys
else
	skip "the new mount API attaching outside /newroot: Linux $(uname -r) does not mediate move_mount"
	skip "the new mount API attaching a procfs on /proc/sys: Linux $(uname -r) does not mediate move_mount"
fi
# containerd's rules that nestbox's profile keeps.
refused_under_nestbox "writing /proc/sys/vm/swappiness" sh -c 'cat /proc/sys/vm/swappiness >/proc/sys/vm/swappiness'
refused_under_nestbox "reading $SEC/lsm" cat $SEC/lsm

# The widest rule: AppArmor sees the new mount API only where it attaches,
# so below /newroot anything nestbox's own sandboxes could mount may be
# attached, by any process under the profile.  Recorded, not hidden.
out=$(under nestbox apparmor-ownns apparmor-newmount tmpfs /newroot/t 2>&1)
diag "under nestbox, the new mount API attaching a tmpfs on /newroot/t: exit $? $(flat "$out") (allowed by the move rule nestbox needs)"

# Inside a sandbox the command cannot mount what the profile does not name
# either, even in a mount namespace of its own (where it holds
# CAP_SYS_ADMIN; nestbox's own is not its to change).  No --tmpfs /tmp:
# apparmor-ownns may be below /tmp.
for p in unconfined nestbox; do
	sandbox "$p" --unshare-all --ro-bind / / --proc /proc --dev /dev \
		apparmor-ownns sh -c 'mount -t tmpfs tmpfs /nbtest && echo mounted'
	if [ "$p" = unconfined ]; then
		check "control: unconfined, the sandboxed command mounts a tmpfs (exit $rc $(flat "$(cat out.txt) $(cat err.txt)"))" \
			test "$(cat out.txt)" = mounted
	else
		check "under nestbox, the sandboxed command cannot mount a tmpfs (exit $rc $(flat "$(cat out.txt) $(cat err.txt)"))" \
			sh -c '[ "$1" != 0 ] && [ ! -s out.txt ] && grep -q "tmpfs on /nbtest failed: Permission denied" err.txt' sh "$rc"
	fi
done

# nestbox's own runs under its profile: nothing of theirs was refused (a
# refusal nestbox worked around would show here only).
own=$(dmesg | grep 'apparmor="DENIED"' | grep 'profile="nestbox"' | grep 'comm="nestbox"')
check "no operation of nestbox's was refused under its profile ($(flat "$own"))" test -z "$own"

denials=$(dmesg | grep -c 'apparmor="DENIED"')
diag "AppArmor logged $denials denials; the first ones:"
diag "$(dmesg | grep 'apparmor="DENIED"' | head -n 12 | sed 's/.*apparmor="DENIED"/DENIED/')"
done_testing
