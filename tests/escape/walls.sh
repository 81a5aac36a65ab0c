#!/bin/bash
# The walls around nestbox's own processes and mounts, across the option
# sets callers pass: pid 1 (the reaper) and the monitor must be out of the
# command's reach (no ptrace, no /proc/PID/mem, no caller environment, no
# terminal), masks and read-only binds must stay with every id-map option,
# and a hostile file planted where set-up writes must not hang it.
#
# Each attack has a control that shows it works where the defense is off:
# Debian's bwrap where it lacks the defense, or the same primitive against
# a target without it.  Runs as the caller (root in CI) and, through
# as-user.sh, as an unprivileged user.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/verdicts.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$SCRATCH"
PY=/usr/bin/python3
cp "$HERE/attack.py" "$SCRATCH/attack.py"
cp "$HERE/walls.py" "$SCRATCH/walls.py"
chmod 0644 attack.py walls.py
BWRAP=$(command -v bwrap || true)

# What the command gets: the attack scripts and a /tmp.  A root caller's
# sandboxes get --unshare-user: a command that keeps root's capabilities
# in the initial user namespace is not confined (docs/security.md).
BASE=(--ro-bind "$SCRATCH/walls.py" /walls.py --ro-bind "$SCRATCH/attack.py" /attack.py --tmpfs /tmp)
USERNS=()
is_root && USERNS=(--unshare-user)
# The caller hides this variable from the command with --clearenv.
SECRET=nestbox-walls-secret-$$
export NESTBOX_WALLS_TOKEN=$SECRET
on_x86_64 () { [ "$(uname -m)" = x86_64 ]; }
gone () { ! pgrep -f "$1" >/dev/null; }
tiocsti_works () { [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; }

# ---- pid 1 and the reaper ---------------------------------------------------------

REACH='PTRACE_ATTACH [0-9]*: EPERM, mem: EACCES, environ: EACCES'
# Without a pid namespace the command sees the caller's processes through
# a bind of the caller's /proc.
HOSTPROC=(--ro-bind /proc /proc)
# A root caller's command either keeps root's capabilities in the user
# namespace or drops them all; an unprivileged one has none.
cap_sets=("")
is_root && cap_sets+=("--cap-drop ALL")
for caps in "${cap_sets[@]}"; do
    for config in "--unshare-pid" "--unshare-pid --dev /dev" "--unshare-pid --new-session" "--unshare-pid --pty" \
                  "--unshare-pid --seccomp-profile default" "--unshare-pid --lock-file /walls.py" \
                  "--unshare-pid --sync-fd 5"; do
        stopped "pid 1 is out of the command's reach ($config${caps:+ $caps}): the command runs in a user namespace below pid 1's" \
            "$REACH" run "${USERNS[@]}" $caps $config --proc /proc --clearenv "${BASE[@]}" \
            python3 /walls.py reach 1 "$SECRET" 5>/dev/null
    done
    for config in "--lock-file /walls.py" "--sync-fd 5"; do
        stopped "the reaper without a pid namespace ($config${caps:+ $caps}) is out of reach too: a user namespace below it" \
            "$REACH" run "${USERNS[@]}" $caps $config "${HOSTPROC[@]}" --clearenv "${BASE[@]}" \
            python3 /walls.py reach ppid "$SECRET" 5>/dev/null
    done
done
if is_root; then
    for config in "--unshare-pid --proc /proc" "--lock-file /walls.py --ro-bind /proc /proc"; do
        target=1; [ "${config#--lock-file}" != "$config" ] && target=ppid
        stopped "root with --cap-drop ALL and no user namespace ($config): pid 1 is not dumpable" \
            "$REACH" run $config --cap-drop ALL --clearenv "${BASE[@]}" python3 /walls.py reach $target "$SECRET"
    done
fi
if [ -n "$BWRAP" ]; then
    escapes "bwrap's pid 1 (--unshare-pid, no --dev) can be attached" \
        "$BWRAP" "${ROOTFS_ARGS[@]}" "${USERNS[@]}" --unshare-pid --proc /proc --clearenv "${BASE[@]}" python3 /walls.py reach 1 "$SECRET"
else
    skip "no bwrap for the control (apt-get install bubblewrap)"
fi

# The caller's terminal through pid 1: attach and make it call TIOCSTI.
if ! on_x86_64; then
    skip "the ptrace injection is written for x86_64"
elif ! tiocsti_works; then
    skip "dev.tty.legacy_tiocsti=0: the kernel refuses TIOCSTI to everyone, so there is nothing to show"
else
    [ -n "$BWRAP" ] && escapes "bwrap's pid 1 types into the caller's terminal when made to (no --new-session)" \
        $PY attack.py pty-run "$BWRAP" "${ROOTFS_ARGS[@]}" "${USERNS[@]}" --unshare-pid --proc /proc "${BASE[@]}" \
        python3 /walls.py inject-tiocsti 1
    for opts in "" "--new-session" "--seccomp-profile default"; do
        stopped "pid 1 cannot be made to type into the caller's terminal (--unshare-pid $opts): out of reach" \
            'PTRACE_ATTACH 1: EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${USERNS[@]}" --unshare-pid \
            --proc /proc $opts "${BASE[@]}" python3 /walls.py inject-tiocsti 1
    done
fi

# pid 1 leaves the caller's session with --new-session and --pty (no
# controlling terminal to inject into, no /dev/tty to open).
for opts in "--new-session" "--pty"; do
    sid=$(run "${USERNS[@]}" --unshare-pid --proc /proc $opts "${BASE[@]}" python3 /walls.py session 1 </dev/null 2>&1 | tr -d '\r')
    check "pid 1 leads a session of its own with $opts (got session '$sid')" test "$sid" = 1
done
sid=$(run "${USERNS[@]}" --unshare-pid --proc /proc "${BASE[@]}" python3 /walls.py session 1 </dev/null 2>&1)
check "control: without them pid 1 stays in the caller's session (0: a session outside the pid namespace)" test "$sid" = 0

# ---- nestbox's helpers ------------------------------------------------------------------

# The network namespace is made by a helper process while the root is
# built; in a pid namespace it is one of the sandbox's.  The command must
# never see it (not even as a zombie pid 1 has yet to reap) or inherit it.
# Its exit races the command's start, hence many starts each, and a shell
# (dash) that lists /proc the moment it starts.
STARTS=30
alone_every_time () {
    local desc=$1 reaper=$2 out i
    shift 2
    for ((i = 1; i <= STARTS; i++)); do
        out=$(run "$@" --clearenv "${BASE[@]}" \
              sh -c 'set -- /proc/[0-9]*; exec python3 /walls.py alone "$0" "$*"' "$reaper" 2>&1 </dev/null)
        grep -q '^stopped:' <<<"$out" || break
    done
    if [ "$i" -gt "$STARTS" ]; then
        ok "$desc ($STARTS starts)"
    else
        not_ok "$desc (start $i of $STARTS)"
        sed 's/^/#   /' <<<"$out"
    fi
}
for config in "--unshare-net --unshare-pid" "--unshare-all" "--unshare-all --dev /dev" "--unshare-all --new-session" \
              "--unshare-all --sync-fd 5" "--unshare-all --as-pid-1"; do
    alone_every_time "the command sees no helper of nestbox's ($config)" 1 "${USERNS[@]}" $config --proc /proc 5>/dev/null
done
alone_every_time "the command inherits no helper without a pid namespace (--unshare-net)" none \
    "${USERNS[@]}" --unshare-net "${HOSTPROC[@]}"
escapes "a process the command did not start is seen (a child of its shell left behind)" \
    run "${USERNS[@]}" --unshare-pid --proc /proc --clearenv "${BASE[@]}" \
    sh -c 'sleep 5 & exec python3 /walls.py alone 1'

# ---- the monitor under --userns ---------------------------------------------------------

"$NESTBOX" "${ROOTFS_ARGS[@]}" "${USERNS[@]}" --info-fd 6 "${BASE[@]}" sleep 60 6>first-info.json &
first=$!
wait_until test -s first-info.json
child=$(sed -n 's/.*"child-pid": \([0-9]*\).*/\1/p' first-info.json)
if [ -n "$child" ]; then
    stopped "the monitor of a sandbox in a joined user namespace (--userns, no --unshare-pid) is out of reach: not dumpable" \
        'PTRACE_ATTACH [0-9]*: EPERM, mem: EACCES' run --userns 7 "${HOSTPROC[@]}" --clearenv "${BASE[@]}" python3 /walls.py reach ppid "$SECRET" \
        7<"/proc/$child/ns/user"
    if [ -n "$BWRAP" ]; then
        escapes "bwrap's outer process under --userns can be attached" \
            "$BWRAP" "${ROOTFS_ARGS[@]}" --userns 7 "${BASE[@]}" python3 /walls.py reach ppid "$SECRET" 7<"/proc/$child/ns/user"
    fi
else
    not_ok "the first sandbox reported no child-pid"
fi
kill "$first" 2>/dev/null
wait "$first" 2>/dev/null

# ---- masks and read-only binds with id maps -----------------------------------------

LIFT='umount .*remount /proc/sys rw: .*new procfs: .*non-recursive bind of /proc: '
mkdir -p host-rw control-src control
chmod 0777 host-rw
lift () { run "$@" --unshare-pid --proc /proc --ro-bind "$SCRATCH/host-rw" /ro "${BASE[@]}" python3 /attack.py lift-masks /ro; }
escapes "a command holding CAP_SYS_ADMIN where the mounts belong lifts a read-only bind (unshare -Urm)" \
    unshare -Urm sh -c "mount --bind '$SCRATCH/control-src' '$SCRATCH/control' && mount -o remount,bind,ro '$SCRATCH/control' \
        && $PY '$SCRATCH/attack.py' lift-masks '$SCRATCH/control'"
if is_root; then
    stopped "--uid-map 0:0:1 with --cap-add CAP_SYS_ADMIN: masks and read-only binds stay (a user namespace below the mounts')" \
        "$LIFT" lift --uid-map 0:0:1 --gid-map 0:0:1 --cap-drop ALL --cap-add CAP_SYS_ADMIN
    stopped "--uid-map 0:100000:65536 keeping root's capabilities: masks and read-only binds stay" \
        "$LIFT" lift --uid-map 0:100000:65536 --gid-map 0:100000:65536
    stopped "--uid-map: pid 1 is out of reach too" "$REACH" \
        run --uid-map 0:100000:65536 --gid-map 0:100000:65536 --unshare-pid --proc /proc --clearenv "${BASE[@]}" \
        python3 /walls.py reach 1 "$SECRET"
    out=$(run --uid-map 0:0:1 --gid-map 0:0:1 --cap-add ALL --ro-bind "$SCRATCH/host-rw" /ro "${BASE[@]}" \
        python3 /attack.py lift-masks /ro 2>&1)
    check "--uid-map without a reaper, with CAP_SYS_ADMIN: the read-only bind stays (got: $out)" \
        grep -q '^stopped: .*remount /ro rw: .*write: E' <<<"$out"
    # --userns-block-fd: the maps are written here, as newuidmap would.
    mkfifo block.fifo
    "$NESTBOX" "${ROOTFS_ARGS[@]}" --unshare-user --userns-block-fd 8 --info-fd 9 --cap-add ALL --unshare-pid --proc /proc \
        --ro-bind "$SCRATCH/host-rw" /ro "${BASE[@]}" python3 /attack.py lift-masks /ro 8<>block.fifo 9>ub-info.json >ub-out 2>&1 &
    sandbox=$!
    wait_until test -s ub-info.json
    ub_child=$(sed -n 's/.*"child-pid": \([0-9]*\).*/\1/p' ub-info.json)
    echo "0 0 1" > "/proc/$ub_child/uid_map"
    echo "0 0 1" > "/proc/$ub_child/gid_map"
    echo x > block.fifo
    wait "$sandbox"
    check "--userns-block-fd with every capability: masks and read-only binds stay ($(cat ub-out))" \
        grep -q "^stopped: .*$LIFT" ub-out
    # Unprivileged, through newuidmap and /etc/subuid (as tests/id-maps.sh).
    if command -v newuidmap >/dev/null; then
        ensure_test_user
        grep -q "^$TEST_USER:" /etc/subuid || usermod --add-subuids 400000-465535 "$TEST_USER"
        grep -q "^$TEST_USER:" /etc/subgid || usermod --add-subgids 400000-465535 "$TEST_USER"
        sub_uid=$(awk -F: -v u="$TEST_USER" '$1 == u { print $2; exit }' /etc/subuid)
        sub_gid=$(awk -F: -v u="$TEST_USER" '$1 == u { print $2; exit }' /etc/subgid)
        cp "$NESTBOX" "$SCRATCH/nestbox-copy"
        chmod 0755 "$SCRATCH/nestbox-copy"
        out=$(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$SCRATCH/nestbox-copy" "${ROOTFS_ARGS[@]}" \
            --uid-map "0:$sub_uid:65536" --gid-map "0:$sub_gid:65536" --cap-add CAP_SYS_ADMIN --unshare-pid --proc /proc \
            --ro-bind "$SCRATCH/host-rw" /ro "${BASE[@]}" python3 /attack.py lift-masks /ro 2>&1)
        check "unprivileged --uid-map through newuidmap with CAP_SYS_ADMIN: masks and read-only binds stay ($out)" \
            grep -q "^stopped: .*$LIFT" <<<"$out"
    else
        skip "newuidmap is not installed (apt-get install uidmap)"
    fi
fi
check "nothing was written into the read-only bind's host directory" test ! -e host-rw/written-from-sandbox

# ---- files planted where set-up writes ------------------------------------------------

mkdir -p planted
mkfifo planted/fifo
timeout 2 sh -c ": > '$SCRATCH/planted/fifo'"
check "control: outside a sandbox, opening the planted FIFO for writing blocks" test $? = 124
expect_fast_refusal () {
    local desc=$1 pattern=$2 out rc
    shift 2
    out=$(timeout 10 "$NESTBOX" "${ROOTFS_ARGS[@]}" "$@" 2>&1 </dev/null 5</dev/null)
    rc=$?
    check "$desc (exit $rc: $out)" test "$rc" = 1 -a "$(grep -c . <<<"$out")" = 1
    grep -q -e "$pattern" <<<"$out" || echo "# stderr does not match '$pattern'"
}
expect_fast_refusal "--file onto a planted FIFO is refused at once: opened non-blocking, only a regular file written" \
    'something other than a regular file' --bind "$SCRATCH/planted" /w --file 5 /w/fifo true
for pidns in "" "--unshare-pid"; do
    expect_fast_refusal "--lock-file on a planted FIFO is refused at once ${pidns:+($pidns)}: opened non-blocking" \
        'not a regular file' $pidns --bind "$SCRATCH/planted" /w --lock-file /w/fifo true
done

# A set-up that waits (--block-fd that never comes) ends at SIGTERM/SIGINT.
for pidns in "" "--unshare-pid"; do
    for sig in TERM INT; do
        marker="sleep 6$$$RANDOM"
        # env: a background job of a script starts with SIGINT ignored.
        env --default-signal "$NESTBOX" "${ROOTFS_ARGS[@]}" $pidns --block-fd 5 "${BASE[@]}" $marker 5< <(sleep 30) &
        nb=$!
        wait_until pgrep -P "$nb"
        kill -"$sig" "$nb"
        wait "$nb"
        rc=$?
        want=$((128 + $(kill -l "$sig")))
        check "SIG$sig during set-up ${pidns:+($pidns) }ends nestbox with $want (got $rc)" test "$rc" = "$want"
        # [s]: the pattern does not match itself in a command line.
        check "... and nothing of the sandbox is left" wait_until gone "[s]${marker#s}"
    done
done

done_testing
