#!/bin/bash
# Where nestbox is meant to do better than bwrap: signals reach the
# command, inherited fds stay open, its own fds never leak in, root of a
# pod gets a user namespace, and nothing outlives the caller.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"

# ---- signals -------------------------------------------------------------

# A command that traps the signal exits 42; one that does not dies of it
# and nestbox exits 128+signal, as a shell would report it.
# Background jobs of a script start with SIGINT and SIGQUIT ignored, and a
# shell cannot trap a signal ignored on entry: start from the defaults.
for sig in INT TERM HUP QUIT USR1 USR2; do
    for pidns in "" "--unshare-pid"; do
        env --default-signal "$NESTBOX" "${ROOTFS_ARGS[@]}" $pidns --bind "$SCRATCH" "$SCRATCH" sh -c "trap 'exit 42' $sig; touch ready.$sig; while :; do sleep 0.05; done" &
        sandbox=$!
        wait_until test -e ready.$sig
        kill -s "$sig" "$sandbox"
        wait "$sandbox"
        check "SIG$sig reaches the command (${pidns:-no pid namespace})" test $? = 42
        rm -f ready.$sig
    done
done

env --default-signal "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid --bind "$SCRATCH" "$SCRATCH" sh -c 'touch ready.kill; exec sleep 30' &
sandbox=$!
wait_until test -e ready.kill
sleep 0.1
kill -s TERM "$sandbox"
wait "$sandbox"
check "a command killed by SIGTERM gives 128+15" test $? = 143

run sh -c 'exit 3'
check "the exit status is the command's" test $? = 3

# ---- file descriptors ------------------------------------------------------

exec 9<"$SCRATCH"
check "an inherited fd no option consumes stays open" run --proc /proc test -e /proc/self/fd/9
check "an inherited fd is usable inside" run --proc /proc sh -c 'ls -d /proc/self/fd/9/. >/dev/null'
exec 9<&-

# The command sees exactly the caller's fds: none of nestbox's own, and
# not the ones an option consumed (--info-fd, --json-status-fd).
outside=$(sh -c 'ls /proc/self/fd' | sort -n | tr '\n' ' ')
inside=$(run --unshare-pid --unshare-net --proc /proc --dev /dev --info-fd 8 --json-status-fd 7 \
      sh -c 'ls /proc/self/fd' 7>status.json 8>info.json | sort -n | tr '\n' ' ')
check "no fd of nestbox's own leaks into the sandbox (inside: $inside, outside: $outside)" test "$inside" = "$outside"

# ---- root without CAP_SYS_ADMIN (the root of a pod) ------------------------

if is_root && command -v capsh >/dev/null; then
    check "uid 0 without CAP_SYS_ADMIN gets a user namespace automatically" \
        capsh --drop=cap_sys_admin -- -c "$NESTBOX ${ROOTFS_ARGS[*]} --unshare-pid --proc /proc true"
else
    skip "needs root and capsh to drop CAP_SYS_ADMIN from uid 0"
fi

# ---- never setuid, never file capabilities --------------------------------

if is_root && id nobody >/dev/null 2>&1 && command -v setcap >/dev/null; then
    mkdir -p elevated && chmod 0755 elevated
    cp "$NESTBOX" elevated/setuid && chmod 4755 elevated/setuid
    cp "$NESTBOX" elevated/filecaps && setcap cap_sys_admin+ep elevated/filecaps
    for kind in setuid filecaps; do
        err=$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
              "$SCRATCH/elevated/$kind" --bind / / true 2>&1 >/dev/null)
        rc=$?
        check "an install with $kind is refused (exit $rc: $err)" \
            sh -c '[ "$0" = 1 ] && printf "%s" "$1" | grep -q "refusing to run setuid, setgid or with file capabilities"' "$rc" "$err"
    done
else
    skip "needs root, the user nobody and setcap to make a setuid and a file-capability copy"
    skip "needs root, the user nobody and setcap to make a setuid and a file-capability copy"
fi

# ---- nothing outlives the caller -------------------------------------------

# Durations no other process uses, so that pgrep finds only ours.
nap1=1000.$$ nap2=999.$$
gone () { wait_until no_process -x -f "sleep $1"; }
bash -c "$NESTBOX ${ROOTFS_ARGS[*]} --die-with-parent --unshare-pid sh -c 'sleep $nap1 & exec sleep $nap2'" &
parent=$!
sleep 0.5
kill -9 "$parent"
both_gone () { gone "$nap1" && gone "$nap2"; }
check "--die-with-parent: no process of the sandbox survives its caller" both_gone

run --die-with-parent --unshare-pid sh -c "sleep $nap1 & exit 0"
check "--die-with-parent: background children die with the sandbox" gone "$nap1"

# The caller's death reaching the monitor between its clone and the
# sandbox's own PR_SET_PDEATHSIG: strace holds each process's second prctl()
# for a second (the monitor's comes before the clone, the sandbox's is that
# PR_SET_PDEATHSIG), and the monitor is killed while the sandbox is held.
if command -v strace >/dev/null; then
    nap3=998.$$
    strace -f -o /dev/null -e trace=prctl -e inject=prctl:delay_enter=1000000:when=2 \
        "$NESTBOX" "${ROOTFS_ARGS[@]}" --die-with-parent --unshare-pid sleep "$nap3" &
    tracer=$!
    sleep 1.5
    pkill -9 -P "$tracer"
    check "--die-with-parent: a monitor killed before the sandbox's prctl takes the sandbox along" gone "$nap3"
    kill "$tracer" 2>/dev/null
    pkill -f "sleep $nap3"
    wait "$tracer" 2>/dev/null
else
    skip "needs strace to hold the sandbox between clone and its prctl"
fi

check "no test mount left on the host" sh -c '! grep -q nestbox /proc/self/mountinfo'

done_testing
