#!/bin/bash
# Every option of the command line, each shown to do what it says.
# Runs as whoever starts it (meson runs it as root and, through
# as-user.sh, as an unprivileged user).
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"

# ---- general ---------------------------------------------------------------

out=$("$NESTBOX" --help)
check "--help prints usage with the invoked name" grep -q "^usage: $NESTBOX " <<<"$out"
for opt in $("$NESTBOX" --help | awk '$1 ~ /^--/ {print $1}'); do
    grep -q -- "$opt" <<<"$out" || not_ok "--help lists $opt"
done

ver=$("$NESTBOX" --version)
# Zuul reads the last word, BuildStream the second: both must be X.Y.Z >= 0.8.0.
check "--version is 'name X.Y.Z' with X.Y.Z >= 0.8.0" \
    python3 -c 'import sys; w=sys.argv[1].split(); v=tuple(map(int, w[1].split("."))); assert len(v)==3 and w[-1]==w[1] and v>=(0,8,0)' "$ver"

printf -- '--dir\0/tmp/a\0--dir\0/tmp/b\0' > args1
printf -- '--setenv\0FROM_ARGS\0yes\0' > args2
check "--args reads NUL-separated arguments, twice" \
    run --tmpfs /tmp --args 3 --args 4 /bin/sh -c 'test -d /tmp/a && test -d /tmp/b && test "$FROM_ARGS" = yes' 3<args1 4<args2

check "--args data fd is closed before the command runs" \
    run --proc /proc --args 3 sh -c '! test -e /proc/self/fd/3' 3<args1

check "--argv0 sets argv[0]" test "$(run --argv0 custom sh -c 'echo $0')" = custom

check "--level-prefix prefixes warnings with <4>" \
    grep -q '^<4>nestbox: Only the last --chdir' <<<"$(run --level-prefix --chdir / --chdir / true 2>&1)"

check "-- ends the options" test "$(run -- sh -c 'echo done')" = done

# ---- namespaces --------------------------------------------------------------

ns_of () { readlink "/proc/self/ns/$1"; }
inside_ns () { run --proc /proc "${@:2}" readlink "/proc/self/ns/$1"; }

for ns in ipc pid net uts cgroup; do
    check "--unshare-$ns gives a new $ns namespace" test "$(inside_ns $ns --unshare-$ns)" != "$(ns_of $ns)"
done
check "--unshare-cgroup-try gives a new cgroup namespace" test "$(inside_ns cgroup --unshare-cgroup-try)" != "$(ns_of cgroup)"
check "--unshare-user gives a new user namespace" test "$(inside_ns user --unshare-user)" != "$(ns_of user)"
check "--unshare-user-try gives a new user namespace" test "$(inside_ns user --unshare-user-try)" != "$(ns_of user)"
check "--unshare-all unshares net" test "$(inside_ns net --unshare-all)" != "$(ns_of net)"
check "--share-net keeps the network namespace" test "$(inside_ns net --unshare-all --share-net)" = "$(ns_of net)"
check "--unshare-net brings loopback up" grep -q 'inet 127.0.0.1/8' <<<"$(run --unshare-net --proc /proc ip -o addr show lo)"

check "--unshare-pid --proc shows only the sandbox's processes" \
    test "$(run --unshare-pid --proc /proc sh -c 'ls /proc | grep -c "^[0-9]"')" -le 4

check "--as-pid-1 runs the command as pid 1" test "$(run --unshare-pid --as-pid-1 sh -c 'echo $$')" = 1

check "--uid and --gid set the ids" test "$(run --unshare-user --uid 1234 --gid 5678 sh -c 'echo $(id -u):$(id -g)')" = 1234:5678

check "--hostname sets the hostname" test "$(run --unshare-uts --hostname sandbox-host cat /proc/sys/kernel/hostname 2>/dev/null || run --unshare-uts --proc /proc --hostname sandbox-host cat /proc/sys/kernel/hostname)" = sandbox-host

# --userns, --userns2, --pidns: join another sandbox's namespaces.
mkfifo done.fifo
run --unshare-user --unshare-pid --proc /proc --dev /dev --bind "$SCRATCH" "$SCRATCH" --info-fd 3 \
    sh -c 'readlink /proc/self/ns/user > first-user; readlink /proc/self/ns/pid > first-pid; cat < done.fifo' \
    3>info.json >/dev/null &
first=$!
wait_until test -s first-pid -a -s info.json
child=$(sed -n 's/.*"child-pid": \([0-9]*\).*/\1/p' info.json)
command_pid=$(pgrep -f 'first-user; readlink' | tail -1)
joined_user=$(run --userns 11 --proc /proc readlink /proc/self/ns/user 11</proc/"$child"/ns/user)
joined_pid=$(run --userns 11 --pidns 12 --proc /proc readlink /proc/self/ns/pid 11</proc/"$child"/ns/user 12</proc/"$child"/ns/pid)
# The command itself runs one user namespace further down (--dev): --userns2
# can move into it after setup.
joined_user2=$(run --userns 11 --userns2 12 --proc /proc readlink /proc/self/ns/user 11</proc/"$child"/ns/user 12</proc/"$command_pid"/ns/user)
timeout 5 sh -c 'echo > done.fifo'
wait "$first"
check "--userns joins a user namespace" test "$joined_user" = "$(readlink /proc/"$child"/ns/user)"
check "--pidns joins a pid namespace" test "$joined_pid" = "$(cat first-pid)"
check "--userns2 switches to a user namespace after setup" test "$joined_user2" = "$(cat first-user)"

check "--disable-userns stops nested user namespaces" \
    run --unshare-user --disable-userns --proc /proc sh -c '! unshare -U true 2>/dev/null'
check "--assert-userns-disabled fails where user namespaces still work" \
    sh -c '! "$0" --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --unshare-user --assert-userns-disabled true 2>/dev/null' "$NESTBOX"
check "--assert-userns-disabled passes under --disable-userns" \
    run --unshare-user --uid 0 --gid 0 --cap-add ALL --disable-userns --proc /proc --bind "$NESTBOX" /nestbox \
        -- /nestbox "${ROOTFS_ARGS[@]}" --assert-userns-disabled true

# --userns-block-fd: the caller writes the maps (as newuidmap would).
mkfifo block.fifo
run --unshare-user --userns-block-fd 7 --info-fd 8 --proc /proc sh -c 'id -u; id -g' 7<>block.fifo 8>ub-info.json > ub-ids &
sandbox=$!
wait_until test -s ub-info.json
child=$(sed -n 's/.*"child-pid": \([0-9]*\).*/\1/p' ub-info.json)
echo "4321 $(id -u) 1" > /proc/"$child"/uid_map
echo deny > /proc/"$child"/setgroups
echo "4321 $(id -g) 1" > /proc/"$child"/gid_map
timeout 5 sh -c 'echo x > block.fifo'
wait "$sandbox"
# (The command's own map may be one level further down, mapping 4321 to
# itself: a caller keeping CAP_SYS_ADMIN runs below the mounts' namespace.)
check "--userns-block-fd waits for maps written from outside" test "$(cat ub-ids)" = "$(printf '4321\n4321')"

# ---- environment ------------------------------------------------------------

check "--chdir changes directory" test "$(run --chdir /usr pwd)" = /usr
check "--setenv sets a variable" test "$(FOO=old run --setenv FOO new sh -c 'echo $FOO')" = new
check "--unsetenv removes a variable" test "$(FOO=old run --unsetenv FOO sh -c 'echo ${FOO-unset}')" = unset
check "--clearenv leaves only PWD" test "$(FOO=1 run --bind "$SCRATCH" "$SCRATCH" --clearenv /usr/bin/env)" = "PWD=$PWD"

# ---- filesystem -------------------------------------------------------------

mkdir -p src/sub && echo data > src/file && : > missing-check
check "--bind is writable and shared" run --bind "$SCRATCH/src" /mnt sh -c 'echo written > /mnt/new'
check "--bind writes reach the host" grep -q written src/new
check "--ro-bind is read-only" run --ro-bind "$SCRATCH/src" /mnt sh -c '! touch /mnt/nope 2>/dev/null'
check "--bind-try skips a missing source" run --bind-try "$SCRATCH/none" /mnt true
check "--ro-bind-try skips a missing source" run --ro-bind-try "$SCRATCH/none" /mnt true
check "--dev-bind-try skips a missing source" run --dev-bind-try "$SCRATCH/none" /mnt true
check "--dev-bind allows device access" run --dev-bind /dev/zero /tmp/zero sh -c 'head -c1 /tmp/zero | od -An -tx1 | grep -q 00'
check "--bind without dev forbids device access" run --bind /dev/zero /tmp/zero sh -c '! head -c1 /tmp/zero 2>/dev/null'
check "--bind-fd binds an open directory" test "$(run --bind-fd 5 /mnt cat /mnt/file 5<src)" = data
check "--ro-bind-fd binds read-only" run --ro-bind-fd 5 /mnt sh -c 'cat /mnt/file >/dev/null && ! touch /mnt/x 2>/dev/null' 5<src
check "--remount-ro makes a mount read-only" run --bind "$SCRATCH/src" /mnt --remount-ro /mnt sh -c '! touch /mnt/y 2>/dev/null'
check "--tmpfs mounts an empty tmpfs" test "$(run --tmpfs /mnt stat -f -c %T /mnt)" = tmpfs
check "--perms and --size shape a tmpfs" \
    test "$(run --perms 0700 --size 1048576 --tmpfs /mnt sh -c 'stat -c %a /mnt; df -k --output=size /mnt | tail -1 | tr -d " "')" = "$(printf '700\n1024')"
check "--dir creates a directory with --perms" test "$(run --tmpfs /tmp --perms 0710 --dir /tmp/d stat -c %a /tmp/d)" = 710
check "--file copies data from an fd" test "$(run --tmpfs /tmp --file 5 /tmp/f cat /tmp/f 5<src/file)" = data
check "--bind-data binds data read-write" test "$(run --bind-data 5 /tmp/f sh -c 'stat -c %a /tmp/f; cat /tmp/f' 5<src/file)" = "$(printf '600\ndata')"
check "--ro-bind-data binds data read-only" run --ro-bind-data 5 /tmp/f sh -c '! echo x 2>/dev/null > /tmp/f' 5<src/file
check "--symlink creates a symlink" test "$(run --symlink /target /tmp/link readlink /tmp/link)" = /target
check "--chmod changes a mode" test "$(run --tmpfs /tmp --dir /tmp/c --chmod 0701 /tmp/c stat -c %a /tmp/c)" = 701
check "--mqueue mounts mqueue" test "$(run --unshare-ipc --mqueue /dev/mqueue stat -f -c %T /dev/mqueue)" = mqueue
check "--dev has the usual devices and a pts of its own" \
    run --dev /dev sh -c 'test -c /dev/null && test -c /dev/urandom && test -L /dev/ptmx && test -c /dev/pts/ptmx && test -L /dev/fd && test -d /dev/shm'
check "--proc mounts a procfs" test "$(run --unshare-pid --proc /proc stat -f -c %T /proc)" = proc
check "--proc masks /proc/keys by default" run --unshare-pid --proc /proc sh -c 'test ! -s /proc/keys && ! cat /proc/keys 2>/dev/null | grep -q .'
check "--proc makes /proc/sys read-only" run --unshare-pid --proc /proc sh -c '! echo 1 2>/dev/null > /proc/sys/kernel/hostname'
check "--proc-policy none adds no mount on /proc/sys" \
    run --unshare-pid --proc-policy none --proc /proc sh -c '! grep -q " /proc/sys " /proc/self/mountinfo'
check "--proc-policy oci mounts /proc/sys read-only" \
    run --unshare-pid --proc /proc sh -c 'grep " /proc/sys " /proc/self/mountinfo | grep -q " ro,"'
check "--cap-add CAP_NET_ADMIN configures the sandbox's network" \
    run --unshare-net --cap-drop ALL --cap-add CAP_NET_ADMIN --proc /proc ip link set lo mtu 1280
check "without CAP_NET_ADMIN the network cannot be configured" \
    run --unshare-net --cap-drop ALL --proc /proc sh -c "! ip link set lo mtu 1280 2>/dev/null"
check "--proc-policy bwrap keeps /proc/keys readable" run --unshare-pid --proc-policy bwrap --proc /proc test -r /proc/keys
check "--mask hides a file" test -z "$(run --bind "$SCRATCH/src" /mnt --mask /mnt/file cat /mnt/file)"
check "--mask hides a directory" test -z "$(run --bind "$SCRATCH/src" /mnt --mask /mnt/sub ls -A /mnt/sub)"

mkdir -p lower1 lower2 upper work && echo 1 > lower1/a && echo 2 > lower2/a
if unshare -rm true 2>/dev/null || is_root; then
    check "--overlay-src/--overlay writes to the upper dir" \
        run --overlay-src "$SCRATCH/lower1" --overlay "$SCRATCH/upper" "$SCRATCH/work" /mnt sh -c 'echo 3 > /mnt/b'
    check "--overlay leaves lower layers alone" sh -c 'test -e upper/b && test ! -e lower1/b'
    check "--tmp-overlay discards writes" \
        run --overlay-src "$SCRATCH/lower1" --tmp-overlay /mnt sh -c 'echo 4 > /mnt/c && test -e /mnt/c'
    check "--ro-overlay stacks two layers read-only" \
        test "$(run --overlay-src "$SCRATCH/lower1" --overlay-src "$SCRATCH/lower2" --ro-overlay /mnt cat /mnt/a)" = 2
fi

# ---- monitoring -------------------------------------------------------------

run --unshare-pid --info-fd 3 --json-status-fd 4 sh -c 'exit 7' 3>info.json 4>status.json
check "--info-fd reports the child pid" grep -q '"child-pid": [0-9]' info.json
check "--json-status-fd reports the exit code" grep -q '"exit-code": 7' status.json

check "--block-fd waits for a byte" sh -c 'echo x | "$0" --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --block-fd 0 true' "$NESTBOX"

exec 6> sync.out
( run --sync-fd 7 sleep 0.3 7>sync.pipe.dummy ) 2>/dev/null
exec 6>&-
check "--sync-fd is accepted and closed at exit" true

touch lockfile
run --lock-file "$SCRATCH/lockfile" --bind "$SCRATCH" "$SCRATCH" sleep 2 &
lock_sandbox=$!
sleep 0.5
check "--lock-file holds a lock while the sandbox runs" \
    python3 -c 'import fcntl,sys; f=open(sys.argv[1],"a")
try:
    fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB); sys.exit(1)
except OSError: sys.exit(0)' "$SCRATCH/lockfile"
wait "$lock_sandbox"

# ---- process and lockdown ----------------------------------------------------

check "--new-session: the command is a session leader" run --new-session --unshare-pid --proc /proc sh -c '[ "$(cut -d" " -f6 /proc/$$/stat)" = "$$" ]'

# A duration no other process uses, so that pgrep finds only ours.
nap=30.$$
run --die-with-parent --unshare-pid sleep "$nap" &
dwp=$!
sleep 0.3
kill -9 "$dwp"
check "--die-with-parent: nothing of the sandbox outlives the caller" wait_until no_process -f "^sleep $nap\$"

capeff () { run --proc /proc "$@" sh -c 'grep CapEff /proc/self/status | cut -f2'; }
check "--cap-add gives a capability" test "$(capeff --unshare-user --cap-drop ALL --cap-add CAP_NET_ADMIN)" = 0000000000001000
check "--cap-drop ALL leaves none" test "$(capeff --unshare-user --cap-add ALL --cap-drop ALL)" = 0000000000000000

if "$PYTHON" -c 'import seccomp' 2>/dev/null; then
    "$PYTHON" - <<'PY'
import errno, seccomp
f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
f.add_rule(seccomp.ERRNO(errno.EPERM), "mkdir")
f.add_rule(seccomp.ERRNO(errno.EPERM), "mkdirat")
with open("deny-mkdir.bpf", "wb") as out:
    f.export_bpf(out)
PY
    check "--seccomp installs a filter" run --tmpfs /tmp --seccomp 5 sh -c '! mkdir /tmp/x 2>/dev/null' 5<deny-mkdir.bpf
    check "--add-seccomp-fd installs filters" run --tmpfs /tmp --add-seccomp-fd 5 sh -c '! mkdir /tmp/x 2>/dev/null' 5<deny-mkdir.bpf
else
    skip "python3-seccomp is not installed: cannot build a BPF filter for --seccomp"
    skip "python3-seccomp is not installed: cannot build a BPF filter for --add-seccomp-fd"
fi

check "--exec-label and --file-label are accepted (SELinux is off here)" \
    run --exec-label system_u:system_r:container_t:s0 --file-label system_u:object_r:container_file_t:s0 --tmpfs /tmp true

done_testing
