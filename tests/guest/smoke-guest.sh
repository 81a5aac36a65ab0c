# smoke-guest.sh: guest-boot.sh's own check, runnable with any
# bwrap-compatible launcher (guest-boot.sh /usr/bin/bwrap smoke-guest.sh):
# the guest has a pure cgroup2 hierarchy with its controllers enabled, and
# the launcher runs a sandbox as root and as an unprivileged user.
. "$NBTEST_LIB/tap.sh"

check "cgroup2 is the only cgroup file system" \
	sh -c 'grep -q "^cgroup2 /sys/fs/cgroup cgroup2" /proc/mounts && ! grep -q " cgroup " /proc/mounts'
ctl=$(cat /sys/fs/cgroup/cgroup.subtree_control)
check "the root's subtree has memory, pids, cpu ($ctl)" \
	sh -c 'for c in memory pids cpu; do grep -qw $c /sys/fs/cgroup/cgroup.subtree_control || exit 1; done'
check "/proc/self/cgroup is the v2 line only ($(tr '\n' ' ' </proc/self/cgroup))" \
	test "$(cat /proc/self/cgroup)" = "0::/"
out=$("$NESTBOX" --ro-bind / / --dev /dev --proc /proc --unshare-pid sh -c 'echo in-sandbox $$' 2>&1)
# pid 1 is the launcher's own reaper, so the command is pid 2.
check "$NESTBOX runs a sandbox as root ($out)" test "$out" = "in-sandbox 2"
out=$(asuser 1000 1000 "$NESTBOX" --unshare-user --unshare-pid --ro-bind / / --dev /dev --proc /proc id -u 2>&1)
check "$NESTBOX runs a sandbox as uid 1000 ($out)" test "$out" = 1000
done_testing
