#!/bin/bash
# --rlimit: limits for the command alone, reported when they end it, and
# refused before anything is made when they cannot be given; --timeout: a
# wall-clock bound for the whole sandbox.  Runs as the
# caller (root in CI) and, through as-user.sh, unprivileged.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
SANDBOX=(--unshare-pid --proc /proc --dev /dev --tmpfs /tmp)

# How many files the command can open before which error.
# The highest fd the command could open (fds count from 0), and the error after.
count_opens='
import errno, os
last = -1
try:
    while True:
        last = os.open("/dev/null", os.O_RDONLY)
except OSError as e:
    print(last, errno.errorcode[e.errno])'
got=$(run "${SANDBOX[@]}" --rlimit NOFILE=16 $PYTHON -c "$count_opens" 2>&1)
check "NOFILE=16: fd 15 is the last one, the 17th open fails with EMFILE (got: $got)" test "$got" = "15 EMFILE"
got=$(run "${SANDBOX[@]}" --rlimit nofile=16:32 sh -c 'echo $(ulimit -Sn) $(ulimit -Hn)' 2>&1)
check "names in any case, SOFT:HARD (got: $got)" test "$got" = "16 32"
got=$(run "${SANDBOX[@]}" --rlimit CORE=0: --rlimit CORE=unlimited: sh -c 'ulimit -Sc' 2>&1)
check "the last --rlimit for a name wins, unlimited accepted (got: $got)" test "$got" = unlimited
caller_nofile=$(ulimit -Hn)
got=$(run "${SANDBOX[@]}" --rlimit NOFILE=16 sh -c "grep 'open files' /proc/1/limits" 2>&1 | awk '{print $5}')
check "pid 1 keeps the caller's limit (hard $caller_nofile, got $got)" test "$got" = "$caller_nofile"

# A limit that ends the command: its signal's exit code, one line naming
# the limit, and the exit record's "limit".
err=$(run "${SANDBOX[@]}" --rlimit CPU=1 --json-status-fd 3 sh -c 'while :; do :; done' 2>&1 3>status.json)
rc=$?
check "CPU=1: a busy loop ends with SIGXCPU (exit $rc)" test "$rc" = 152
check "CPU=1: one line names the limit ($err)" test "$err" = "nestbox: the command went over its limit --rlimit CPU=1 and was killed by SIGXCPU"
check "CPU=1: the exit record says so ($(tail -n 1 status.json))" grep -q '"exit-code": 152, "limit": "rlimit CPU=1"' status.json
err=$(run "${SANDBOX[@]}" --rlimit FSIZE=1024 dd if=/dev/zero of=/tmp/big bs=4096 count=1 2>&1)
rc=$?
check "FSIZE=1024: a bigger file ends the writer with SIGXFSZ (exit $rc)" test "$rc" = 153
check "FSIZE=1024: the line names the limit" grep -q "^nestbox: the command went over its limit --rlimit FSIZE=1024 and was killed by SIGXFSZ$" <<<"$err"
err=$(run "${SANDBOX[@]}" --rlimit CPU=5 sh -c 'kill -TERM $$' 2>&1)
check "a command ended by another signal gets no limit line ($err)" test -z "$err"

# Bad input: one line, exit 1, before any namespace is made.
bad () { check "bad input: --rlimit $1" expect_error "$2" run --rlimit "$1" true; }
bad FOO=1 "unknown limit"
bad NOFILE "give NAME=SOFT"
bad NOFILE= "no value"
bad NOFILE=abc 'a limit is a number'
bad NOFILE=-1 'a limit is a number'
bad NOFILE=99999999999999999999 'a limit is a number'
bad NOFILE=10:5 "soft limit is above the hard one"
check "bad input: a soft limit above the caller's hard one" \
    expect_error "soft limit would be above the hard one" run --rlimit "NOFILE=$((caller_nofile + 1)):" true
# CAP_SYS_RESOURCE, bit 24 of the effective set (root may lack it, in a pod).
has_sys_resource () { (( (0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24) & 1 )); }
if has_sys_resource; then
    got=$(run "${SANDBOX[@]}" --rlimit NOFILE=$((caller_nofile + 10)) sh -c 'ulimit -Hn' 2>&1)
    check "with CAP_SYS_RESOURCE a hard limit may be raised (got $got)" test "$got" = $((caller_nofile + 10))
else
    check "bad input: raising a hard limit without CAP_SYS_RESOURCE" \
        expect_error "can only be lowered here" run --rlimit "NOFILE=$((caller_nofile + 10))" true
fi
# ---- --timeout --------------------------------------------------------------------

now_ms () { echo $(( $(date +%s%N) / 1000000 )); }
# timed CMD...: run it, set rc, err (its stderr) and ms (how long it took).
timed () {
    local start
    start=$(now_ms)
    err=$("$@" 2>&1 >/dev/null </dev/null)
    rc=$?
    ms=$(( $(now_ms) - start ))
}
nap=$((900000 + $$ % 1000))
timed run "${SANDBOX[@]}" --timeout 1 --json-status-fd 3 sleep "$nap" 3>timeout.json
check "--timeout 1 on a long sleep: exit 124 within 2 s (exit $rc after $ms ms)" eval '[ "$rc" = 124 ] && [ "$ms" -lt 2000 ]'
check "--timeout: one line says it timed out ($err)" test "$err" = "nestbox: timed out after 1 s (--timeout): the sandbox was told to end"
check "--timeout: the exit record says so ($(tail -n 1 timeout.json))" grep -q '"exit-code": 124, "timed-out": true' timeout.json
check "--timeout: nothing of the sandbox is left" wait_until no_process -f "^sleep $nap\$"
timed run "${SANDBOX[@]}" --timeout 1:1 sh -c "trap '' TERM; sleep $nap; sleep $nap"
check "a command that ignores SIGTERM gets SIGKILL after GRACE (exit $rc after $ms ms)" \
    eval '[ "$rc" = 124 ] && [ "$ms" -ge 1900 ] && [ "$ms" -lt 3000 ]'
check "... and the whole pid namespace is gone" wait_until no_process -f "^sleep $nap\$"
timed run "${SANDBOX[@]}" --timeout 1 --pty sleep "$nap"
check "--timeout with --pty (exit $rc after $ms ms)" eval '[ "$rc" = 124 ] && [ "$ms" -lt 2000 ]'
timed run "${SANDBOX[@]}" --timeout 5 sh -c 'exit 7'
check "a command that ends in time keeps its exit code, no line (exit $rc: $err)" eval '[ "$rc" = 7 ] && [ -z "$err" ]'
for value in 0 -1 abc 1:abc 1: :5 99999999999 1.5; do
    check "bad input: --timeout $value" expect_error "give SECONDS" run --timeout "$value" true
done

# ---- cgroup limits ------------------------------------------------------------------
# Their effect is tested where cgroup v2 has the controllers (tests/guest,
# a guest); here: bad input, and what this machine's cgroups allow.
for spec in "--memory-max 12Q:give a size" "--memory-max 0:above 0" "--memory-max -1:give a size" \
            "--memory-max 9000000000T:give a size" "--memory-swap-max 1.5G:give a size" \
            "--pids-max 0:from 1 to" "--pids-max -1:from 1 to" "--pids-max 4194305:from 1 to" \
            "--cpu-max 0:QUOTA\\[/PERIOD\\]" "--cpu-max 20000/100:PERIOD from" "--cpu-max 20000/:QUOTA" \
            "--cpu-max /100000:QUOTA" "--cpu-max 1e6:QUOTA" "--cpus abc:number of CPUs" "--cpus 0.001:number of CPUs" \
            "--cpus -1:number of CPUs" "--cpus 1.:number of CPUs" "--cpu-weight 0:weight from 1" \
            "--cpu-weight 10001:weight from 1" "--io-weight x:weight from 1"; do
    opt=${spec%%:*} pattern=${spec#*:}
    # shellcheck disable=SC2086 # option and value
    check "bad input: $opt" expect_error "$pattern" run $opt true
done
# Nothing may be created for bad input: a sandbox whose set-up would run
# would need this path, which does not exist.
check "bad input is refused before anything is made" expect_error "give a size" \
    run --memory-max 12Q --bind /nonexistent-nestbox-path /x true

# What doctor says about pids decides what the launcher must do here.
if "$NESTBOX" doctor | grep -q '^\[ok  \] limit-pids'; then
    got=$(run "${SANDBOX[@]}" --pids-max 64 sh -c 'cat /proc/self/cgroup' 2>&1)
    check "doctor says --pids-max applies, and the sandbox runs in a cgroup of its own (got: $got)" \
        grep -q "nestbox\.[0-9]*$" <<<"$got"
else
    why=$("$NESTBOX" doctor | sed -n 's/^\[info\] limit-pids *//p')
    echo "# this machine: $why"
    err=$(run "${SANDBOX[@]}" --pids-max 64 --info-fd 3 true 2>&1 3>info.json)
    rc=$?
    check "without a usable pids controller --pids-max refuses (exit $rc): $(head -n 1 <<<"$err")" \
        eval '[ "$rc" = 1 ] && grep -q "^nestbox: Can.t apply the cgroup limits: .*pids" <<<"$err"'
    check "... with the remedy on the next line" eval '[ "$(grep -c . <<<"$err")" = 2 ]'
    check "... before any namespace is made (no --info-fd record)" test ! -s info.json
    err=$(run "${SANDBOX[@]}" --limits-try --pids-max 64 sh -c 'echo ran' 2>&1)
    check "--limits-try runs without them, with one warning (got: $(tr '\n' '|' <<<"$err"))" \
        eval '[ "$(grep -c . <<<"$err")" = 2 ] && grep -q "^nestbox: running without the cgroup limits (--limits-try): .*pids" <<<"$err" && grep -qx ran <<<"$err"'
fi
done_testing
