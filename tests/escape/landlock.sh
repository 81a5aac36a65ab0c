#!/bin/bash
# --landlock: attacks that the mounts and namespaces alone do not stop.
# Each runs three ways: Debian's bwrap and nestbox without --landlock (the
# controls: the attack gets through) and nestbox with it (stopped, the
# refusal's errno naming the mechanism).  Then --landlock's own contract:
# the refusals before anything is made, --landlock-try on a kernel whose
# Landlock is out of reach, and ordinary commands that work the same.
# Runs as the caller (root in CI) and, through as-user.sh, unprivileged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/verdicts.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$SCRATCH"
cp "$HERE/landlock.py" landlock.py
chmod 0644 landlock.py
BWRAP=$(command -v bwrap || true)

if ! out=$("$NESTBOX" --ro-bind / / --landlock true 2>&1); then
    skip_all "this kernel cannot give --landlock what it needs: $out"
fi

# A file only this user can read, in a directory no bind shows; and the
# source of a read-only bind.
mkdir -m 0700 outside data
echo "landlock-secret-$$" >outside/secret
chmod 0600 outside/secret
# A root caller's sandboxes get a user namespace (the command is not
# confined otherwise, docs/security.md); the nested one needs it too.
USERNS=()
is_root && USERNS=(--unshare-user)
BASE=(--ro-bind "$SCRATCH/landlock.py" /landlock.py --tmpfs /tmp --ro-bind "$SCRATCH/data" /data)

# (/dev/null is given by ROOTFS_ARGS; the --ro-bind / / runs below have
# none, since such a bind is nodev, with bwrap as with nestbox.)
# three_ways DESC PATTERN NESTBOX-OPTIONS... -- COMMAND...: the controls
# (bwrap, nestbox without --landlock) and the defense.
three_ways () {
    local desc=$1 pattern=$2 opts=()
    shift 2
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    if [ -n "$BWRAP" ]; then
        escapes "bwrap: $desc" "$BWRAP" "${ROOTFS_ARGS[@]}" "${opts[@]}" "${BASE[@]}" "$@"
    else
        skip "no bwrap for the control (apt-get install bubblewrap)"
    fi
    escapes "nestbox without --landlock: $desc" run "${opts[@]}" "${BASE[@]}" "$@"
    stopped "nestbox --landlock: $desc" "$pattern" run --landlock "${opts[@]}" "${BASE[@]}" "$@"
}

three_ways "a file outside every bind, read through an inherited directory fd" "EACCES" \
    "${USERNS[@]}" --unshare-all -- python3 /landlock.py read-fd 5 secret 5<outside
three_ways "a file created through an inherited fd of a read-only bind's source" "EACCES" \
    "${USERNS[@]}" --unshare-all -- python3 /landlock.py write-fd 5 planted 5<data
# The same two attacks across the option sets callers pass: the domain is
# the command's whatever else is asked for.
configs=("--dev /dev" "--unshare-pid --as-pid-1" "--new-session" "--pty" "--seccomp-profile default"
         "--unshare-user --uid-map 0:$(id -u):1 --gid-map 0:$(id -g):1" "--die-with-parent --sync-fd 6")
is_root && configs+=("--cap-drop ALL" "--unshare-user --cap-add ALL --cap-drop CAP_SYS_ADMIN")
for config in "${configs[@]}"; do
    # shellcheck disable=SC2086
    stopped "nestbox --landlock $config: the inherited fd reads nothing outside the binds" "EACCES" \
        run --landlock $config "${BASE[@]}" python3 /landlock.py read-fd 5 secret 5<outside 6>/dev/null
    # shellcheck disable=SC2086
    stopped "nestbox --landlock $config: nor writes below a read-only bind's source" "EACCES" \
        run --landlock $config "${BASE[@]}" python3 /landlock.py write-fd 5 planted 5<data 6>/dev/null
done

rm -f data/planted
run --landlock "${USERNS[@]}" --unshare-all "${BASE[@]}" python3 /landlock.py write-fd 5 planted 5<data >/dev/null 2>&1
check "nothing was planted by the --landlock run (the controls' file removed first)" test ! -e data/planted

# A listener of the caller's on an abstract socket, in the network
# namespace the sandbox shares (--share-net, as Zuul passes).
socket_name=nestbox-landlock-$$
$PYTHON -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1]); s.listen(16)
open(sys.argv[2], "w").close()
time.sleep(120)' "$socket_name" listening &
listener=$!
wait_until test -e listening
three_ways "the caller's abstract unix socket, with --share-net" "EPERM" \
    "${USERNS[@]}" --unshare-all --share-net -- python3 /landlock.py abstract "$socket_name"
kill "$listener"
wait "$listener" 2>/dev/null

# A process of the caller's, without --unshare-pid.
victim () { sleep 300 >/dev/null 2>&1 & echo $!; }
for way in bwrap plain landlock; do
    pid=$(victim)
    case $way in
        bwrap)
            if [ -n "$BWRAP" ]; then
                escapes "bwrap: a caller's process signalled without --unshare-pid" \
                    "$BWRAP" "${ROOTFS_ARGS[@]}" "${USERNS[@]}" "${BASE[@]}" python3 /landlock.py signal "$pid"
            else
                skip "no bwrap for the control (apt-get install bubblewrap)"
            fi ;;
        plain)
            escapes "nestbox without --landlock: a caller's process signalled without --unshare-pid" \
                run "${USERNS[@]}" "${BASE[@]}" python3 /landlock.py signal "$pid" ;;
        landlock)
            stopped "nestbox --landlock: a caller's process signalled without --unshare-pid" "EPERM" \
                run --landlock "${USERNS[@]}" "${BASE[@]}" python3 /landlock.py signal "$pid"
            check "the caller's process still runs" kill -0 "$pid" ;;
    esac
    kill "$pid" 2>/dev/null
done

# A nested mount namespace: the kernel already refuses to bind an
# inherited fd's directory there (it belongs to another namespace); what
# the command can do is rearrange its own view, here a read-only bind put
# below /tmp.  Landlock refuses every mount change: the rules cannot be
# sidestepped by moving a tree.
three_ways "a nested mount namespace binds /data below /tmp" "EPERM" \
    "${USERNS[@]}" --unshare-all --proc /proc -- python3 /landlock.py nested-mount /data /tmp/rebound
stopped "nested mount namespace, inherited fd: the kernel refuses it without Landlock too" "EINVAL" \
    run "${USERNS[@]}" --unshare-all --proc /proc "${BASE[@]}" python3 /landlock.py nested-mount /proc/self/fd/5 /tmp/back 5<outside

# ---- the contract ------------------------------------------------------------------

# What the binds grant still works: reading below a read-only bind,
# writing below --tmpfs and the root, running programs, a pipe, /dev.
out=$(run --landlock "${USERNS[@]}" --unshare-all --dev /dev --proc /proc "${BASE[@]}" sh -c \
    'cat /landlock.py >/dev/null && echo x >/tmp/f && mkdir /made && ls /usr >/dev/null && echo hi | cat && head -c 4 /dev/zero | wc -c && cat /proc/self/status >/dev/null && echo all-fine' 2>&1)
check "--landlock: what the command line grants works ($(tail -n 1 <<<"$out"))" grep -q '^all-fine$' <<<"$out"
check "--landlock --ro-bind / /: the whole tree readable, the read-only bind still read-only" \
    eval '[ "$(run --landlock "${USERNS[@]}" --ro-bind / / --tmpfs /tmp sh -c "cat /etc/hostname >/tmp/h && touch /tmp/x && ! touch /etc/nestbox-x 2>/tmp/err && echo ok")" = ok ]'
check "--landlock with --bind: writable below it" \
    eval '[ "$(run --landlock "${USERNS[@]}" --bind "$SCRATCH/data" /data sh -c "echo w >/data/written && cat /data/written")" = w ]'

expect_check () { local desc=$1; shift; check "$desc" expect_error "$@"; }
expect_check "--landlock with --cap-add CAP_SYS_ADMIN: refused, one line" "could not mount anything" \
    run --landlock --cap-add CAP_SYS_ADMIN true
expect_check "--landlock with --landlock-try: refused, one line" "give one" run --landlock --landlock-try true

# Landlock out of reach: an outer sandbox whose seccomp profile answers
# Landlock's system calls with ENOSYS, as a kernel without it does.
profile=$SCRATCH/no-landlock.json
cat >"$profile" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"],
                  "action": "SCMP_ACT_ERRNO", "errnoRet": 38 } ] }
JSON
outer () { "$NESTBOX" --bind / / --dev /dev --seccomp-profile "$profile" "$@"; }
expect_check "no Landlock: --landlock refuses before anything is made, one line" "no Landlock" \
    outer "$NESTBOX" "${ROOTFS_ARGS[@]}" --landlock true
out=$(outer "$NESTBOX" "${ROOTFS_ARGS[@]}" --landlock-try sh -c 'echo ran' 2>&1)
check "no Landlock: --landlock-try warns and runs" \
    eval 'grep -q "^nestbox: --landlock-try: no Landlock" <<<"$out" && grep -q "^ran$" <<<"$out"'
check "doctor reports the ABI and what it covers" \
    eval '"$NESTBOX" doctor | grep -q "landlock .*ABI [0-9]*: --landlock covers files"'
check "doctor without Landlock says so" \
    eval 'outer "$NESTBOX" doctor | grep -q "landlock .*none"'
done_testing
