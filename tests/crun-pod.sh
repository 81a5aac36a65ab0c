#!/bin/bash
# Pods run by a real OCI runtime: Debian's crun (what CRI-O uses) starts a
# container configured like a Kubernetes pod with hostUsers: false (a user
# namespace), CRI-O's default capabilities and a non-root user, once with
# the runtimes' maskedPaths/readonlyPaths (procMount: Default) and once
# without (procMount: Unmasked).  nestbox runs inside; doctor too.
. "$(dirname "$0")/lib.sh"

if ! is_root; then
    skip "crun needs root to create the container"
    done_testing
fi
if ! command -v crun >/dev/null; then
    skip "crun is not installed (apt-get install crun)"
    done_testing
fi

bundle=$SCRATCH/bundle
mkdir -p "$bundle/rootfs"/{usr,proc,dev,tmp,etc,out}
chmod 1777 "$bundle/rootfs/tmp" "$bundle/rootfs/out"
for l in bin lib lib64 sbin; do [ -e "/usr/$l" ] && ln -s "usr/$l" "$bundle/rootfs/$l"; done
cp "$NESTBOX" "$bundle/rootfs/nestbox"
chmod -R a+rX "$SCRATCH"

# write_config MASKED(yes|no)
write_config () {
    local masked=$1 maskedPaths='[]' readonlyPaths='[]'
    if [ "$masked" = yes ]; then
        maskedPaths='["/proc/acpi","/proc/asound","/proc/interrupts","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi","/sys/firmware"]'
        readonlyPaths='["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]'
    fi
    cat > "$bundle/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "user": { "uid": 1000, "gid": 1000 },
    "args": ["/bin/sh", "-c", "/nestbox --ro-bind / / --unshare-all --proc /proc --dev /dev ps -e -o pid= > /out/ps 2> /out/err; echo \$? > /out/rc; /nestbox doctor > /out/doctor 2>&1; echo \$? > /out/doctor.rc"],
    "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/",
    "noNewPrivileges": false,
    "capabilities": {
      "bounding": ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_KILL"],
      "permitted": [], "effective": [], "inheritable": [], "ambient": []
    }
  },
  "root": { "path": "rootfs", "readonly": false },
  "hostname": "pod",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid","strictatime","mode=755","size=65536k"] },
    { "destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind","ro"] }
  ],
  "linux": {
    "namespaces": [ {"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "user"} ],
    "uidMappings": [ { "containerID": 0, "hostID": 200000, "size": 65536 } ],
    "gidMappings": [ { "containerID": 0, "hostID": 200000, "size": 65536 } ],
    "maskedPaths": $maskedPaths,
    "readonlyPaths": $readonlyPaths
  }
}
EOF
}

# run_pod NAME MASKED WANT
run_pod () {
    local name=$1 masked=$2 want=$3 out
    rm -f "$bundle/rootfs/out/"*
    write_config "$masked"
    # crun 1.8 refuses a hybrid cgroup host whose cgroup2 mount has
    # controllers: hide that mount in a mount namespace of the test's own.
    out=$(unshare -m --propagation private sh -c '
        umount /sys/fs/cgroup/unified 2>/dev/null
        crun --cgroup-manager=disabled run --bundle "$0" "nestbox-test-$$"' "$bundle" 2>&1)
    local rc doctor
    rc=$(cat "$bundle/rootfs/out/rc" 2>/dev/null || echo none)
    doctor=$(cat "$bundle/rootfs/out/doctor.rc" 2>/dev/null || echo none)
    check "crun, $name: nestbox exits $want (got $rc)" test "$rc" = "$want"
    # What nestbox and crun said, as TAP comments (stderr).
    { cat "$bundle/rootfs/out/err" 2>/dev/null; printf '%s\n' "$out"; } | grep -v '^$' | sed 's/^/# /' >&2
    check "crun, $name: doctor predicts it (exit $doctor)" test "$doctor" = "$want"
    if [ "$want" = 0 ]; then
        check "crun, $name: ps sees only the sandbox" test "$(wc -l < "$bundle/rootfs/out/ps")" -le 4
    else
        check "crun, $name: the message names the cause and the pod setting" \
            grep -q "procMount: Unmasked" "$bundle/rootfs/out/err"
    fi
}

run_pod "procMount Default (masked /proc)" yes 1
run_pod "procMount Unmasked" no 0

done_testing
