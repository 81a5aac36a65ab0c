#!/bin/bash
# Pod scenarios: as real root, build a "pod" the way an OCI runtime builds a
# container (a mount namespace whose /proc masks are placed from the
# initial user namespace, so that they are locked; the pod's capability
# set; a seccomp filter), run nestbox inside as the pod's user, and check
# the launcher's outcome, its message and doctor's prediction.
#
# Set POD_TABLE=FILE to also get the results as a markdown table.
. "$(dirname "$0")/lib.sh"

if ! is_root; then
    skip "pod scenarios build the pod as real root"
    done_testing
fi
command -v capsh >/dev/null || { skip "capsh (libcap2-bin) is needed to give the pod its capability set"; done_testing; }

user=$TEST_USER
ensure_test_user
cp "$NESTBOX" "$SCRATCH/nestbox"
chmod -R a+rX "$SCRATCH"
NB=$SCRATCH/nestbox
OUT=$SCRATCH/out
mkdir -m 1777 "$OUT"
table=${POD_TABLE:-/dev/null}
printf '| scenario | launcher | message | doctor |\n|---|---|---|---|\n' > "$table"

# The sandbox every scenario starts: what doctor's verdict is about.
SANDBOX="$NB --ro-bind / / --unshare-all --proc /proc --dev /dev --die-with-parent"

# Masks and read-only paths as runc/crun place them (only those that exist).
MASK_PROC='
for f in /proc/keys /proc/timer_list /proc/interrupts /proc/kcore /proc/latency_stats /proc/sched_debug; do
    [ -f $f ] && mount --bind /dev/null $f
done
for d in /proc/acpi /proc/scsi /proc/asound; do
    [ -d $d ] && mount -t tmpfs -o ro,size=0 tmpfs $d
done
for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
    [ -e $p ] && mount --bind $p $p && mount -o remount,bind,ro $p
done'
AS_USER="setpriv --reuid=$user --regid=$user --init-groups -- sh"
# The pod's root: uid 0 whose bounding set is CRI-O's default capabilities
# (no SETFCAP, no SYS_ADMIN), or that plus SETFCAP, or less than it.
all_caps=$(capsh --print | sed -n 's/^Bounding set =//p')
pod_root () {
    local keep=",$1," drop=""
    for c in ${all_caps//,/ }; do
        case $keep in *",$c,"*) ;; *) drop="$drop,$c";; esac
    done
    echo "capsh --drop=${drop#,} --"
}
CRIO_CAPS="cap_chown,cap_dac_override,cap_fsetid,cap_fowner,cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service,cap_kill"
AS_POD_ROOT=$(pod_root "$CRIO_CAPS")
AS_POD_ROOT_SETFCAP=$(pod_root "$CRIO_CAPS,cap_setfcap")
AS_POD_ROOT_NOSETUID=$(pod_root "cap_chown,cap_dac_override,cap_fowner,cap_kill")

# scenario NAME WANT_LAUNCHER(0|1) MESSAGE_PATTERN SETUP RUNNER
scenario () {
    local name=$1 want=$2 pattern=$3 setup=$4 runner=$5 out
    out=$(unshare -m --propagation private bash -c "
        $setup
        $runner -c '$SANDBOX ps -e -o pid= > $OUT/ps.out 2> $OUT/err.out; echo \$? > $OUT/rc.out
                    $NB doctor > $OUT/doctor.out 2>&1; echo \$? > $OUT/doctor.rc'
    " 2>&1)
    local rc doctor msg
    rc=$(cat "$OUT/rc.out" 2>/dev/null || echo none)
    doctor=$(cat "$OUT/doctor.rc" 2>/dev/null || echo none)
    msg=$(head -c 300 "$OUT/err.out" | tr '\n' ' ')
    check "$name: launcher exits $want (got $rc: $msg $out)" test "$rc" = "$want"
    check "$name: doctor predicts it (doctor exit $doctor)" test "$doctor" = "$want"
    if [ -n "$pattern" ]; then
        check "$name: the message says '$pattern'" grep -q -e "$pattern" "$OUT/err.out"
    fi
    if [ "$want" = 0 ]; then
        check "$name: ps in the sandbox sees only the sandbox" test "$(wc -l < "$OUT/ps.out")" -le 4
    fi
    printf '| %s | exit %s | %s | exit %s |\n' "$name" "$rc" "${msg:-(none)}" "$doctor" >> "$table"
    rm -f "$OUT"/*
}

scenario "(a) masked /proc, non-root user" 1 "procMount: Unmasked" "$MASK_PROC" "$AS_USER"
scenario "(b) unmasked /proc, non-root user" 0 "" "" "$AS_USER"
scenario "(c) unmasked /proc, pod root without SETFCAP" 0 "no CAP_SETFCAP" "" "$AS_POD_ROOT"
scenario "(c2) pod root without SETFCAP and SETUID" 1 "add SETFCAP" "" "$AS_POD_ROOT_NOSETUID"
scenario "(d) unmasked /proc, pod root with SETFCAP" 0 "" "" "$AS_POD_ROOT_SETFCAP"

# (e) containerd's/Docker's RuntimeDefault refuses namespace flags on
# clone/unshare (and mount, pivot_root...) to a process without CAP_SYS_ADMIN.
if "$PYTHON" -c 'import seccomp' 2>/dev/null; then
    cat > "$SCRATCH/runtime-default.py" <<'PY'
import errno, os, sys, seccomp
f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
CLONE_NEWUSER = 0x10000000
for call in ("unshare", "clone"):
    f.add_rule(seccomp.ERRNO(errno.EPERM), call, seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
for call in ("mount", "umount2", "pivot_root", "setns", "fsopen", "fsmount", "open_tree", "move_mount"):
    f.add_rule(seccomp.ERRNO(errno.EPERM), call)
f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
f.load()
os.execvp(sys.argv[1], sys.argv[1:])
PY
    chmod a+r "$SCRATCH/runtime-default.py"
    scenario "(e) seccomp RuntimeDefault, non-root user" 1 "seccomp" "" "setpriv --reuid=$user --regid=$user --init-groups -- $PYTHON $SCRATCH/runtime-default.py sh"
else
    skip "(e) needs python3-seccomp to build the RuntimeDefault-like filter"
fi

# (f) /proc/sys read-only and /proc masked: --disable-userns still works
# (with --proc-fallback=bind), where bwrap fails with EROFS.
unshare -m --propagation private bash -c "
    $MASK_PROC
    setpriv --reuid=$user --regid=$user --init-groups -- $NB ${ROOTFS_ARGS[*]} --unshare-user --disable-userns --unshare-pid --proc-fallback=bind --proc /proc \
        sh -c 'unshare -U true 2>/dev/null && echo escaped || echo blocked' > $OUT/f.out 2>$OUT/f.err"
check "(f) read-only /proc/sys: --disable-userns works and blocks user namespaces" grep -qx blocked "$OUT/f.out"
printf '| (f) read-only /proc/sys, masked /proc, --disable-userns --proc-fallback=bind | %s | %s | - |\n' \
    "$(cat "$OUT/f.out")" "$(head -c 200 "$OUT/f.err" | tr '\n' ' ')" >> "$table"

# (g) The same seccomp fallback for programs of every ABI of the machine:
# a 32-bit program calling unshare(CLONE_NEWUSER) gets EPERM, as a 64-bit
# one does, instead of being killed as a foreign architecture (SIGSYS).
cat > "$SCRATCH/userns-probe.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
int main (void)
{
  if (unshare (CLONE_NEWUSER) == 0)
    return puts ("escaped"), 1;
  printf ("%s\n", strerror (errno));
  return 0;
}
C
for abi in 64 32 x32; do
    if ! gcc -m$abi -static -o "$SCRATCH/probe-$abi" "$SCRATCH/userns-probe.c" 2>/dev/null; then
        skip "(g) $abi-bit ABI: no static C library for it (apt-get install gcc-multilib)"
        continue
    fi
    chmod 0755 "$SCRATCH/probe-$abi"
    "$SCRATCH/probe-$abi" >/dev/null 2>&1
    if [ $? = 126 ]; then
        skip "(g) $abi-bit ABI: this kernel does not run its programs"
        continue
    fi
    unshare -m --propagation private bash -c "
        $MASK_PROC
        setpriv --reuid=$user --regid=$user --init-groups -- $NB ${ROOTFS_ARGS[*]} --unshare-user --disable-userns \
            --unshare-pid --proc-fallback=bind --proc /proc --ro-bind $SCRATCH/probe-$abi /probe /probe > $OUT/g$abi.out 2>/dev/null
        echo \$? >> $OUT/g$abi.out"
    check "(g) read-only /proc/sys: a $abi-bit program's unshare(CLONE_NEWUSER) gets EPERM ($(tr '\n' ' ' < "$OUT/g$abi.out"))" \
        test "$(cat "$OUT/g$abi.out")" = "$(printf 'Operation not permitted\n0')"
done

check "no pod mount leaked to the host" sh -c '! grep -q " /proc/keys " /proc/self/mountinfo'

done_testing
