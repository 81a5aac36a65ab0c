#!/bin/bash
# Signals, pid 1 and terminal edge cases: a command that ignores SIGTERM,
# daemons left behind (with and without --as-pid-1), zombies inside,
# SIGCHLD ignored by the caller, SIGPIPE on the status fds, closed standard
# fds, and storms of signals while nestbox sets up and waits (EINTR).
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
BIND=(--bind "$SCRATCH" "$SCRATCH")

# wait_for_file FILE: up to 5 s.
wait_for_file () { wait_until test -e "$1"; }
# gone PATTERN: no process whose command line matches PATTERN (up to 3 s).
gone () { wait_until no_process -f "$1"; }
alive () { pgrep -f "$1" >/dev/null; }
# A distinct sleep per test so that process checks see only their own.
marker () { echo "sleep 7$$.$1"; }

# ---- a command that ignores SIGTERM ----------------------------------------

for pidns in "" "--unshare-pid"; do
    rm -f ready
    env --default-signal "$NESTBOX" "${ROOTFS_ARGS[@]}" $pidns "${BIND[@]}" \
        sh -c "trap '' TERM; touch $SCRATCH/ready; sleep 1; exit 7" &
    sandbox=$!
    wait_for_file ready
    for _ in 1 2 3; do kill -TERM "$sandbox"; sleep 0.1; done
    wait "$sandbox"
    check "SIGTERM forwarded to a command that ignores it: nestbox waits, exit 7 (${pidns:-no pid namespace})" test $? = 7
done

# It can still be stopped: SIGKILL to nestbox with --die-with-parent takes
# the whole sandbox along.
m=$(marker 1)
rm -f ready
env --default-signal "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid --die-with-parent "${BIND[@]}" \
    sh -c "trap '' TERM; touch $SCRATCH/ready; exec $m" &
sandbox=$!
wait_for_file ready
sleep 0.1
kill -KILL "$sandbox"
wait "$sandbox" 2>/dev/null
check "SIGKILL to nestbox (--die-with-parent) ends a command that ignores SIGTERM" gone "$m"

# ---- daemons: a command that forks one and exits -----------------------------

# daemon_cmd MARKER CODE: start a detached daemon (double fork, new session,
# stdio closed) and exit CODE.
daemon_cmd () { echo "setsid sh -c '$1 </dev/null >/dev/null 2>&1 &' </dev/null >/dev/null 2>&1; exit $2"; }

# Without a pid namespace the daemon is the caller's business (as with bwrap).
m=$(marker 2)
start=$(date +%s)
run "${BIND[@]}" sh -c "$(daemon_cmd "$m" 5)"
rc=$?
check "daemon, no pid namespace: nestbox returns the command's code at once (exit $rc)" \
    test "$rc" = 5 -a $(( $(date +%s) - start )) -lt 5
check "daemon, no pid namespace: the daemon runs on outside" alive "$m"
pkill -f "$m"

# With the reaper as pid 1: nestbox returns when the command exits, not when
# the daemon does.  The reaper stays for the daemon (bwrap's pid 1 too)...
m=$(marker 3)
start=$(date +%s)
run --unshare-pid "${BIND[@]}" sh -c "$(daemon_cmd "$m" 5)"
rc=$?
check "daemon, reaper as pid 1: nestbox returns the command's code at once (exit $rc)" \
    test "$rc" = 5 -a $(( $(date +%s) - start )) -lt 5
check "daemon, reaper as pid 1: the daemon lives on in the pid namespace (as with bwrap)" alive "$m"
pkill -f "$m"
# ... unless --die-with-parent: the reaper dies with nestbox, and with it the
# whole pid namespace.
m=$(marker 4)
run --unshare-pid --die-with-parent "${BIND[@]}" sh -c "$(daemon_cmd "$m" 5)"
check "daemon, reaper and --die-with-parent: nestbox exits 5" test $? = 5
check "daemon, reaper and --die-with-parent: the daemon is gone with the sandbox" gone "$m"

# --as-pid-1: the command is pid 1; when it exits the kernel kills the rest.
m=$(marker 5)
start=$(date +%s)
run --unshare-pid --as-pid-1 "${BIND[@]}" sh -c "$(daemon_cmd "$m" 5)"
rc=$?
check "daemon, --as-pid-1: nestbox returns the command's code at once (exit $rc)" \
    test "$rc" = 5 -a $(( $(date +%s) - start )) -lt 5
check "daemon, --as-pid-1: the daemon dies with pid 1" gone "$m"

# ---- zombies inside ----------------------------------------------------------

# Orphans that exit are reparented to our pid 1, which must reap them: after
# 40 short-lived orphans nothing in the namespace is a zombie.
zombies=$(run --unshare-pid --proc /proc sh -c '
    for i in $(seq 40); do sh -c "sleep 0.1 & exit 0"; done
    sleep 1
    grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l')
check "the reaper reaps orphans: no zombie inside (found ${zombies:-none})" test "${zombies:-x}" = 0
pids=$(run --unshare-pid --proc /proc sh -c 'ls -d /proc/[0-9]* | wc -l')
check "inside the pid namespace: pid 1, the command and ls only (${pids:-?} processes)" test "${pids:-0}" -le 4

# ---- SIGCHLD ignored by the caller ------------------------------------------

# Some supervisors start their children with SIGCHLD ignored; the kernel then
# reaps nestbox's children for it, and a wait would find nothing.
ign_chld () { "$PYTHON" -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
ign_chld "$NESTBOX" "${ROOTFS_ARGS[@]}" sh -c 'exit 9'
check "SIGCHLD ignored by the caller: exit code still 9 (no pid namespace)" test $? = 9
ign_chld "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid sh -c 'exit 9'
check "SIGCHLD ignored by the caller: exit code still 9 (reaper)" test $? = 9
ign_chld "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid --as-pid-1 sh -c 'exit 9'
check "SIGCHLD ignored by the caller: exit code still 9 (--as-pid-1)" test $? = 9
ign_chld "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid sh -c 'kill -9 $$'
check "SIGCHLD ignored by the caller: a killed command still gives 137" test $? = 137
ign_chld "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid --json-status-fd 3 sh -c 'exit 9' 3>status.json
check "SIGCHLD ignored by the caller: --json-status-fd reports exit-code 9" grep -q '"exit-code": 9' status.json

# ---- SIGPIPE on the status fds -----------------------------------------------

# closed_reader OPTION CODE: run nestbox with OPTION on an fd whose pipe has
# no reader left; prints nestbox's exit status.
closed_reader () {
    "$PYTHON" - "$NESTBOX" "$1" "$2" "${ROOTFS_ARGS[@]}" <<'PY'
import os, subprocess, sys
nestbox, option, code, rootfs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
r, w = os.pipe()
os.close(r)
os.dup2(w, 9)
# restore_signals: the child starts with SIGPIPE at its default (kill).
p = subprocess.run([nestbox, *rootfs, "--unshare-pid", option, "9", "sh", "-c", "exit " + code],
                   pass_fds=(9,), stderr=subprocess.DEVNULL)
print(p.returncode)
PY
}
rc=$(closed_reader --info-fd 4)
check "--info-fd whose reader is gone: no SIGPIPE death, the command's exit 4 (got $rc)" test "$rc" = 4
rc=$(closed_reader --json-status-fd 4)
check "--json-status-fd whose reader is gone: no SIGPIPE death, exit 4 (got $rc)" test "$rc" = 4

# A reader that goes away after the first document: the final exit-code
# document hits a closed pipe.
rc=$("$PYTHON" - "$NESTBOX" "${ROOTFS_ARGS[@]}" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.dup2(w, 9)
os.close(w)
p = subprocess.Popen([sys.argv[1], *sys.argv[2:], "--unshare-pid", "--json-status-fd", "9",
                      "sh", "-c", "sleep 0.5; exit 4"], pass_fds=(9,), stderr=subprocess.DEVNULL)
os.close(9)
first = os.read(r, 4096)
os.close(r)
print(p.wait() if b"child-pid" in first else "no-first-document")
PY
)
check "--json-status-fd reader gone before the exit-code document: exit 4 (got $rc)" test "$rc" = 4

# ---- closed standard fds -----------------------------------------------------

# nestbox's own pipes must never take fd 0, 1 or 2 and show up as the
# command's stdin/stdout/stderr.
for pidns in "" "--unshare-pid" "--unshare-pid --json-status-fd 5"; do
    out=$(run $pidns --proc /proc sh -c 'for fd in 0 1; do [ -e /proc/self/fd/$fd ] && ls -l /proc/self/fd/$fd >&2; done; exit 6' \
          2>&1 <&- >&- 5>/dev/null)
    rc=$?
    check "stdin and stdout closed (${pidns:-plain}): exit 6, and they stay closed for the command${out:+ ($out)}" \
        test "$rc" = 6 -a -z "$out"
done
run --unshare-pid sh -c 'exit 6' <&- >&- 2>&-
check "stdin, stdout and stderr closed: exit 6" test $? = 6
err=$(run --unshare-pid --nonexistent-option 2>&1 <&- >&-)
check "stdin and stdout closed: bad input still exits 1 with one line" \
    sh -c '[ "$0" = 1 ] && [ "$(printf "%s\n" "$1" | grep -c .)" = 1 ]' "$?" "$err"
# A command writing to a closed pipe gets SIGPIPE, as anywhere else.
run sh -c 'sleep 0.2; echo hello; exit 0' | true
check "a command writing to a pipe with no reader dies of SIGPIPE (141)" test "${PIPESTATUS[0]}" = 141

# ---- a terminal on stdout ----------------------------------------------------

# With the caller's terminal on stdout, --dev makes it the sandbox's
# /dev/console (the monitor keeps no copy of its name).
if command -v script >/dev/null; then
    out=$(script -qec "$NESTBOX ${ROOTFS_ARGS[*]} --dev /dev sh -c 'test -c /dev/console && test -t 1 && exit 8'" /dev/null </dev/null 2>&1)
    rc=$?
    check "stdout a terminal, --dev: exit 8 and nothing printed (got $rc${out:+: $out})" test "$rc" = 8 -a -z "$out"
else
    skip "needs script(1) from util-linux for a terminal"
fi

# ---- EINTR: storms of signals during setup and waits --------------------------

# The command starts with these ignored (inherited through exec), so every
# forwarded signal is harmless to it; nestbox itself catches them (no
# SA_RESTART), which interrupts its blocking calls again and again.
# The storm starts once nestbox has been executed: before that the
# background job is a copy of this shell (whose EXIT trap removes SCRATCH)
# or env, which has not yet set the signals to be ignored.
wait_exec () {
    for _ in $(seq 200); do
        [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$NESTBOX" ] && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.005
    done
    return 1
}
storm_signals=(USR1 USR2 HUP TERM INT QUIT)
ignore_args=()
for s in "${storm_signals[@]}"; do ignore_args+=(--ignore-signal="$s"); done
many_binds=()
for i in $(seq 150); do many_binds+=(--ro-bind /usr "/mnt/$i"); done

for mode in "" "--unshare-pid" "--unshare-pid --as-pid-1" "--unshare-pid --json-status-fd 5 --info-fd 6"; do
    env "${ignore_args[@]}" "$NESTBOX" "${ROOTFS_ARGS[@]}" $mode "${many_binds[@]}" \
        sh -c 'sleep 0.6; exit 12' 5>status.json 6>info.json 2>storm.err &
    sandbox=$!
    sent=0
    wait_exec "$sandbox"
    while kill -0 "$sandbox" 2>/dev/null; do
        for s in "${storm_signals[@]}"; do kill -s "$s" "$sandbox" 2>/dev/null && sent=$((sent + 1)); done
    done
    wait "$sandbox"
    rc=$?
    check "a storm of $sent signals during setup and wait (${mode:-plain}): exit 12, no error (got $rc$( [ -s storm.err ] && echo ", stderr: $(head -c 200 storm.err)"))" \
        test "$rc" = 12 -a ! -s storm.err
done
check "after the storm, --json-status-fd still reported exit-code 12" grep -q '"exit-code": 12' status.json

# SIGSTOP/SIGCONT while nestbox waits and sets up.
"$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-pid "${many_binds[@]}" sh -c 'sleep 0.6; exit 13' 2>storm.err &
sandbox=$!
wait_exec "$sandbox"
while kill -0 "$sandbox" 2>/dev/null; do
    kill -STOP "$sandbox" 2>/dev/null; sleep 0.01; kill -CONT "$sandbox" 2>/dev/null; sleep 0.01
done
wait "$sandbox"
rc=$?
check "SIGSTOP/SIGCONT again and again: exit 13, no error (got $rc)" test "$rc" = 13 -a ! -s storm.err

check "no test mount left on the host" sh -c '! grep -q "$0" /proc/self/mountinfo' "$SCRATCH"

done_testing
