#!/bin/bash
# The security claims of config.json's reading (sandbox/oci_*.c), each tried
# through `nestbox-runc run` with a control where the defense is off:
#   - a device node the container makes cannot be opened (no device cgroup:
#     every mount is nodev but device binds); control: the same node on a
#     bind with the "dev" option opens
#   - a read-only path through a symbolic link of the image is refused
#     (it would be followed on the host); control: through a real directory
#     the path is read-only in the container
#   - maskedPaths hide a file; control: without the mask it is readable
#   - linux.seccomp is installed; control: without it the call runs
#   - noNewPrivileges false still runs the process with no_new_privs
# As root (mknod, and a root without a user namespace).
set -u
. "${BASH_SOURCE[0]%/*}/../lib.sh"

is_root || skip_all "needs root (mknod, and containers without a user namespace)"
RUNC=${NESTBOX_RUNC:-$(dirname "$NESTBOX")/nestbox-runc}
[ -x "$RUNC" ] || skip_all "no nestbox-runc next to $NESTBOX (built without json-c)"

BUNDLE=$SCRATCH/bundle
STATE=$SCRATCH/state
HOSTDEV=$SCRATCH/hostdev
mkdir -p "$BUNDLE/rootfs"/{usr,etc,tmp,proc,dev,sys,devdir,realdir} "$HOSTDEV"
for d in bin lib sbin lib64; do [ -e "/usr/$d" ] && ln -s "usr/$d" "$BUNDLE/rootfs/$d"; done
ln -s /etc "$BUNDLE/rootfs/link"
echo secret > "$BUNDLE/rootfs/etc/secret"
echo data > "$BUNDLE/rootfs/realdir/file"
mknod "$HOSTDEV/zero" c 1 5

# config EXTRA_PYTHON SHELL_COMMAND: a config.json for the bundle; the
# python lines edit `c` (the config) before it is written.
config () {
    "$PYTHON" - "$BUNDLE/config.json" "$2" <<EOF2
import json, sys
c = {"ociVersion": "1.0.2",
     "process": {"args": ["/bin/sh", "-c", sys.argv[2]], "cwd": "/", "env": ["PATH=/usr/bin:/bin"],
                 "user": {"uid": 0, "gid": 0},
                 "capabilities": {k: ["CAP_MKNOD", "CAP_DAC_OVERRIDE", "CAP_CHOWN"] for k in ("bounding", "effective", "permitted")}},
     "root": {"path": "rootfs"},
     "mounts": [{"destination": "/proc", "type": "proc"},
                {"destination": "/dev", "type": "tmpfs", "options": ["nosuid", "mode=755"]},
                {"destination": "/tmp", "type": "tmpfs", "options": ["nosuid", "nodev"]},
                {"destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"]}],
     "linux": {"namespaces": [{"type": t} for t in ("pid", "mount", "ipc", "uts")]}}
$1
json.dump(c, open(sys.argv[1], "w"))
EOF2
}

n=0
# run_container: stdout of the container, stderr into $SCRATCH/err.
run_container () {
    n=$((n + 1))
    timeout 30 "$RUNC" --root "$STATE" run -b "$BUNDLE" "attack-$n" 2>"$SCRATCH/err"
}

config '' 'mknod /tmp/zero c 1 5 && head -c 4 /tmp/zero | wc -c'
out=$(run_container)
check "a device node made in the container's tmpfs cannot be opened ($(tr '\n' ' ' <"$SCRATCH/err"))" \
    grep -q 'Permission denied' "$SCRATCH/err"
config "c['mounts'].append({'destination': '/devdir', 'type': 'bind', 'source': '$HOSTDEV', 'options': ['bind', 'dev']})" \
    'head -c 4 /devdir/zero | wc -c'
out=$(run_container)
check "control: the same node on a bind with the dev option opens (got '$out')" test "$out" = 4
config "c['mounts'].append({'destination': '/devdir', 'type': 'bind', 'source': '$HOSTDEV', 'options': ['bind']})" \
    'head -c 4 /devdir/zero | wc -c'
out=$(run_container)
check "without dev, the bind of that node is nodev" grep -q 'Permission denied' "$SCRATCH/err"

config "c['linux']['readonlyPaths'] = ['/link/passwd']" 'true'
run_container >/dev/null
status=$?
check "a read-only path through the image's symbolic link is refused (status $status)" \
    grep -q 'linux.readonlyPaths\[0\]: /link/passwd goes through a symbolic link' "$SCRATCH/err"
check "... with exit status 1 and one line" test "$status" = 1 -a "$(wc -l <"$SCRATCH/err")" = 1
config "c['linux']['readonlyPaths'] = ['/realdir/file']" 'echo x >> /realdir/file && echo written'
out=$(run_container)
check "control: through a real directory, the path is read-only inside" grep -q 'Read-only file system' "$SCRATCH/err"
check "... and the file in the bundle is unchanged" test "$(cat "$BUNDLE/rootfs/realdir/file")" = data

config "c['linux']['maskedPaths'] = ['/etc/secret']" 'cat /etc/secret | wc -c'
out=$(run_container)
check "maskedPaths hide a file (read $out bytes)" test "$out" = 0
config '' 'cat /etc/secret | wc -c'
out=$(run_container)
check "control: without the mask it is read ($out bytes)" test "$out" = 7

config "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1}]}" \
    'mkdir /tmp/d && echo made'
out=$(run_container)
check "linux.seccomp refuses mkdir ($(tr '\n' ' ' <"$SCRATCH/err"))" grep -q 'Operation not permitted' "$SCRATCH/err"
config '' 'mkdir /tmp/d && echo made'
out=$(run_container)
check "control: without linux.seccomp mkdir runs" test "$out" = made

config "c['process']['noNewPrivileges'] = False" 'grep NoNewPrivs /proc/self/status'
out=$(run_container)
check "noNewPrivileges false: the process still has no_new_privs ($out)" grep -q '1$' <<<"$out"
if grep -q 'NoNewPrivs:[[:space:]]*0' /proc/self/status; then
    ok "control: the shell that started it has not"
else
    skip "the caller already has no_new_privs, so the control cannot be made"
fi

done_testing
