#!/bin/bash
# The escape suite: each test runs an attack inside a sandbox and checks
# that it fails, and its name says which mechanism stops it.  Where the
# outcome could be a false "stopped" (the attack would fail anyway on this
# machine), a control runs the same attack outside the sandbox or without
# the protection and shows that it works there.
#
# Runs as whoever starts it: meson runs it as root and, through as-user.sh,
# as an unprivileged user.  The sandboxes of a root caller get
# --unshare-user, so that the command holds every capability in a user
# namespace of its own: the strongest position nestbox lets it have.  (A root
# caller that keeps its capabilities without a user namespace is not
# confined, as with bwrap: see docs/security.md.)
#
# An attack that is not stopped is a failing test: never weaken one to pass.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/verdicts.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$SCRATCH"
PY=/usr/bin/python3
cp "$HERE/attack.py" "$SCRATCH/attack.py"
chmod 0644 "$SCRATCH/attack.py"

# A file on the host that no sandbox below shows: finding it is escaping.
MARKER=$SCRATCH/host-marker
echo "outside" > "$MARKER"

# The usual sandbox: its own user and pid namespaces, procfs, /dev, /tmp.
BOX=(--unshare-user --unshare-pid --proc /proc --dev /dev --tmpfs /tmp --ro-bind "$SCRATCH/attack.py" /attack.py)
# The same without --unshare-user: for a root caller, a command with all of
# root's capabilities and no user namespace.
BOX_NOUSERNS=(--unshare-pid --proc /proc --dev /dev --tmpfs /tmp --ro-bind "$SCRATCH/attack.py" /attack.py)

# attack NESTBOX_ARGS... -- NAME ARGS...: run attack NAME in a sandbox.
attack () {
    local args=()
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    shift
    run "${args[@]}" python3 /attack.py "$@"
}

# ---- the caller's terminal ----------------------------------------------------
# The attack runs with a fresh pty as its controlling terminal (pty-run),
# as under an interactive shell; pty-run also reports any input that
# reached the terminal.

legacy_tiocsti=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
if [ "$legacy_tiocsti" = 1 ]; then
    escapes "outside a sandbox TIOCSTI pushes input into the terminal (so the test can see it)" \
        $PY attack.py pty-run $PY attack.py tiocsti 0
else
    skip "dev.tty.legacy_tiocsti=0: the kernel refuses TIOCSTI itself; the filter is checked below all the same"
fi
for opts in "" "--new-session"; do
    stopped "TIOCSTI into the caller's terminal ${opts:+($opts) }fails: nestbox's default seccomp filter (EPERM)" \
        'TIOCSTI: EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" $opts python3 /attack.py tiocsti 0
done
stopped "TIOCSTI with a 64-bit command (CVE-2019-10063) fails: the filter compares the low 32 bits" \
    'TIOCSTI (64-bit cmd): EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" python3 /attack.py tiocsti 0 wide
stopped "TIOCSTI through /dev/console (--dev shows the caller's terminal there) fails: the filter" \
    'TIOCSTI: EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" python3 /attack.py tiocsti /dev/console
stopped "TIOCSTI with every capability the caller has (no --unshare-user: root keeps CAP_SYS_ADMIN) fails: the filter" \
    'TIOCSTI: EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX_NOUSERNS[@]}" python3 /attack.py tiocsti 0
stopped "TIOCLINUX selection paste fails: the filter (EPERM)" \
    'TIOCLINUX: EPERM' $PY attack.py pty-run "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" python3 /attack.py tioclinux 0

# ---- processes outside ------------------------------------------------------------

victim_marker=nestbox-escape-victim-$$
$PY -c 'import sys, time; time.sleep(600)' "$victim_marker" &
victim=$!
stopped "ptrace of an outside process fails: pid namespace (ESRCH)" 'PTRACE_ATTACH: ESRCH' \
    attack "${BOX[@]}" -- ptrace "$victim"
stopped "signals to an outside process fail: pid namespace (ESRCH)" 'kill: ESRCH' \
    attack "${BOX[@]}" -- signal "$victim"
stopped "ptrace of an outside process without --unshare-pid fails: the user namespace (the target is in an ancestor one)" \
    'PTRACE_ATTACH: EPERM' attack --unshare-user --tmpfs /tmp --ro-bind "$SCRATCH/attack.py" /attack.py -- ptrace "$victim"
stopped "outside processes are not in the sandbox's /proc: pid namespace and a fresh procfs" 'none of them the outside one' \
    attack "${BOX[@]}" -- proc-pids "$(rev <<<"$victim_marker")"
kill "$victim"
wait "$victim" 2>/dev/null

# ---- /proc ----------------------------------------------------------------------

stopped "masked /proc files read empty: nestbox's masks (the runtimes' maskedPaths)" 'all empty' \
    attack "${BOX[@]}" -- masked
stopped "/proc/sys and /proc/sysrq-trigger cannot be opened for writing: read-only mounts" \
    'core_pattern: E.*sysrq-trigger: E' attack "${BOX[@]}" -- proc-write

# Lifting masks and read-only binds: the mounts belong to a user namespace
# the command holds no capability in; copies made by unshare -m are locked;
# a fresh procfs is refused while a masked one is the only one visible.
mkdir -p host-rw
for wrap in "" "unshare -m" "unshare -Urm" "unshare -Urmpf"; do
    for caps in "" "--cap-add ALL --uid 0"; do
        [ -n "$wrap" ] && [ "$wrap" = "unshare -m" ] && [ -z "$caps" ] && continue
        stopped "lifting masks and read-only binds ${wrap:+after '$wrap' }${caps:+with '$caps' }fails: mounts owned by another user namespace, locked in copies" \
            'umount .*remount /proc/sys rw: .*new procfs: .*non-recursive bind of /proc: ' \
            run "${BOX[@]}" $caps --ro-bind "$SCRATCH/host-rw" /ro $wrap python3 /attack.py lift-masks /ro
    done
done
check "nothing was written into the read-only bind's host directory" test ! -e host-rw/written-from-sandbox

# ---- user namespaces --------------------------------------------------------------

stopped "no user namespace after --disable-userns: user.max_user_namespaces (or the seccomp fallback)" \
    'unshare: E.*clone: E.*clone3: E' attack "${BOX[@]}" --disable-userns -- userns
escapes "without --disable-userns a user namespace can be made" attack "${BOX[@]}" -- userns

# ---- setuid and file-capability binaries --------------------------------------------

suid=
for b in /usr/bin/passwd /usr/bin/chfn /usr/bin/su; do
    if [ -u "$b" ] && [ "$(stat -c %u "$b")" = 0 ]; then suid=$b; break; fi
done
if [ -z "$suid" ]; then
    skip "no setuid-root binary that waits for input (passwd, chfn, su) on this host"
elif is_root; then
    # uid 0 without capabilities: an exec would give root its capabilities back.
    stopped "a setuid-root binary gives a capability-less root command nothing back: no_new_privs, empty bounding set" \
        'no capability beyond ours (0)' attack "${BOX_NOUSERNS[@]}" --cap-drop ALL --ro-bind /etc /etc -- exec-probe "$suid"
else
    escapes "outside a sandbox $suid runs as root" $PY attack.py exec-probe "$suid"
    stopped "$suid (setuid root) runs without privilege in the sandbox: no_new_privs, nosuid binds" \
        "ran with euid $(id -u) and no capability beyond ours (0)" attack "${BOX[@]}" --ro-bind /etc /etc -- exec-probe "$suid"
fi
if is_root && command -v setcap >/dev/null; then
    mkdir -p fcap
    cp /usr/bin/sleep fcap/sleep
    setcap cap_sys_admin,cap_dac_override+ep fcap/sleep
    chmod 0755 fcap fcap/sleep
    escapes "outside a sandbox the file-capability binary gives an unprivileged user capabilities" \
        setpriv --reuid=65534 --regid=65534 --clear-groups $PY attack.py exec-probe "$SCRATCH/fcap/sleep" 30
    stopped "a file-capability binary gives nothing: no_new_privs" 'no capability beyond ours (0)' \
        attack "${BOX[@]}" --uid 1000 --cap-drop ALL --ro-bind "$SCRATCH/fcap" /fcap -- exec-probe /fcap/sleep 30
    stopped "a file-capability binary gives a capability-less root nothing: no_new_privs, empty bounding set" 'no capability beyond ours (0)' \
        attack "${BOX_NOUSERNS[@]}" --cap-drop ALL --ro-bind "$SCRATCH/fcap" /fcap -- exec-probe /fcap/sleep 30
else
    skip "making a file-capability binary needs root (the root run of this suite covers it)"
fi

# ---- nestbox's own fds ------------------------------------------------------------------
# The caller passes fds 7-12 (open on /dev/null); they may stay open, and
# only they: anything else would be an fd of nestbox's own.

printf 'data' > data
printf -- '--setenv\0FROM_ARGS\0yes\0' > argsfile
fd_opts=(--sync-fd 8 --info-fd 9 --json-status-fd 10 --file 11 /tmp/file --bind-data 12 /tmp/bound)
for extra in "--lock-file /tmp/file" "--unshare-all" "--seccomp-profile default" "--as-pid-1" "--unshare-net --disable-userns"; do
    stopped "no fd of nestbox's own reaches the command ($extra): O_CLOEXEC everywhere" 'open fds' \
        $PY attack.py clean-run 7,8,9,10,11,12 "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" "${fd_opts[@]}" $extra \
        python3 /attack.py fds 0,1,2,7,8,9,10,11,12
done

# ---- nestbox's binary --------------------------------------------------------------------

stopped "nestbox's binary cannot be opened for writing through /proc/1/exe (its pid 1): /proc's ptrace check, pid 1 is in a user namespace above the command" \
    '/proc/1/exe: EACCES' attack "${BOX[@]}" -- exe-write /proc/1/exe
stopped "... nor with the caller's capabilities (no --unshare-user; root may open /proc/1/exe): ETXTBSY, the binary is running" \
    '/proc/1/exe: E\(TXTBSY\|ACCES\)' attack "${BOX_NOUSERNS[@]}" -- exe-write /proc/1/exe
stopped "nor through /proc/PPID/exe of the monitor (no --unshare-pid): /proc's ptrace check (user namespace)" \
    '/proc/[0-9]*/exe: EACCES' attack --unshare-user --proc /proc --tmpfs /tmp --ro-bind "$SCRATCH/attack.py" /attack.py -- exe-write '/proc/{ppid}/exe'

# ---- symlinks planted at bind destinations --------------------------------------------------
# A directory the sandbox may write (so a command could have planted these)
# holds symlinks pointing out of the new root; nestbox's operations on
# destinations below them must not reach outside.

mkdir -p planted outside
echo secret > outside/file
chmod 0600 outside/file
ln -s "/oldroot$SCRATCH/outside" planted/via-oldroot
ln -s "../../../../../../../../../$SCRATCH/outside" planted/relative
ln -s "$SCRATCH/outside" planted/absolute
ln -s "/oldroot$SCRATCH/outside/file" planted/file-link
before=$(ls -la outside; stat -c %a outside/file)
for link in via-oldroot relative absolute; do
    for op in "--file 5 /w/$link/planted-file" "--dir /w/$link/planted-dir" "--symlink x /w/$link/planted-link" \
              "--tmpfs /w/$link" "--bind-data 5 /w/$link/planted-data" "--ro-bind /usr/share /w/$link/planted-bind"; do
        run --bind "$SCRATCH/planted" /w $op true 5</dev/null >/dev/null 2>&1
    done
done
run --bind "$SCRATCH/planted" /w --chmod 0777 /w/file-link true >/dev/null 2>&1
after=$(ls -la outside; stat -c %a outside/file)
check "operations on destinations behind planted symlinks stay in the new root: openat2(RESOLVE_IN_ROOT) (rootpath.c)" \
    test "$before" = "$after"

# ---- chroot and pivot escapes -------------------------------------------------------------

stopped "no way out through a leaked directory fd, chroot or /proc/*/root: pivot_root, old root detached, O_CLOEXEC" \
    '/proc/\*/root stay inside' attack "${BOX[@]}" -- chroot-escape "$MARKER"
stopped "... with CAP_SYS_CHROOT (--cap-add ALL --uid 0): the chroot trick finds no way out either" \
    'chroot trick: still inside' attack "${BOX[@]}" --cap-add ALL --uid 0 -- chroot-escape "$MARKER"
stopped "... nor after unshare -Ur" 'chroot trick: still inside' \
    run "${BOX[@]}" unshare -Ur python3 /attack.py chroot-escape "$MARKER"

# ---- keyrings ------------------------------------------------------------------------------

if keyring_setup=$($PY attack.py keyring-run nestbox-escape-key true 2>&1); then
    stopped "the caller's session keyring and its keys are out of reach: a session keyring of the sandbox's own" \
        'KEYCTL_READ' $PY attack.py keyring-run nestbox-escape-key "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" \
        python3 /attack.py keyring '{serial}' nestbox-escape-key
    stopped "... and with --seccomp-profile default: keyctl is EPERM" 'KEYCTL_READ [0-9]*: EPERM' \
        $PY attack.py keyring-run nestbox-escape-key "$NESTBOX" "${ROOTFS_ARGS[@]}" "${BOX[@]}" --seccomp-profile default \
        python3 /attack.py keyring '{serial}' nestbox-escape-key
else
    skip "keyrings cannot be used here ($keyring_setup)"
    skip "keyrings cannot be used here"
fi

# ---- devices ---------------------------------------------------------------------------------

stopped "no disk device can be made or found with --dev: mknod needs CAP_MKNOD in the initial user namespace; --dev has only the safe nodes" \
    'mknod /tmp/sda: EPERM' attack "${BOX[@]}" -- mknod
stopped "... with --cap-add ALL --uid 0 too" 'mknod /tmp/sda: EPERM' attack "${BOX[@]}" --cap-add ALL --uid 0 -- mknod

# ---- the kernel --------------------------------------------------------------------------------

all_eperm='init_module EPERM, finit_module EPERM, delete_module EPERM, kexec_load EPERM, kexec_file_load EPERM, bpf EPERM, perf_event_open EPERM'
stopped "modules, kexec, bpf and perf_event_open under --seccomp-profile default: the profile (EPERM)" \
    "$all_eperm" attack "${BOX[@]}" --cap-drop ALL --seccomp-profile default -- kernel
stopped "... with every capability in the sandbox's user namespace (the profile then lets the calls through, as the runtimes do): the kernel wants them in the initial one" \
    'kexec_load EPERM' attack "${BOX[@]}" --cap-add ALL --uid 0 --seccomp-profile default -- kernel
out=$(attack "${BOX[@]}" --cap-drop ALL -- kernel 2>&1)
check "control: without the profile some of these calls get past the permission checks (the profile is what stops them)" \
    test "$(grep -c EPERM <<<"${out//, /$'\n'}")" -lt 7

# ---- abstract unix sockets -------------------------------------------------------------------

sock=nestbox-escape-$$
$PY attack.py abstract-listen "$sock" "$SCRATCH/listening" &
listener=$!
wait_until test -e listening
escapes "without --unshare-net the host's abstract socket answers" attack "${BOX[@]}" -- abstract "$sock"
stopped "the host's abstract unix sockets are out of reach with --unshare-net: network namespace" \
    'ECONNREFUSED' attack "${BOX[@]}" --unshare-net -- abstract "$sock"
kill "$listener"
wait "$listener" 2>/dev/null

done_testing
