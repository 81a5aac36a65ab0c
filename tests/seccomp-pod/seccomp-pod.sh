#!/bin/bash
# deploy/seccomp/nestbox.json as a pod's seccomp profile.  crun (the OCI
# runtime CRI-O uses) starts containers configured like the pods of
# tests/crun-pod.sh (hostUsers: false, CRI-O's default capabilities, a
# non-root user, procMount Unmasked or Default), with the pod's profile
# turned into the runtime spec's linux.seccomp as containerd reads a
# Localhost profile (as it is) or as CRI-O does (resolving Docker's
# archMap, includes and excludes; oci-seccomp.py).  It checks that:
#
#  - nestbox.json is make-profile.py's output from the stored upstream
#    default (deploy/seccomp/runtime-default.json), and prints how it
#    differs from it;
#  - with nestbox.json, nestbox and `nestbox doctor` work as under
#    Unconfined, for the non-root pod and for a root pod like
#    deploy/kubernetes/image-builder.yaml; with RuntimeDefault (the control)
#    nestbox fails and names the seccomp cause;
#  - outside nestbox, every call the prober makes gets the same answer under
#    nestbox.json (read either way) as under RuntimeDefault, except the
#    added calls, which get the kernel's answer (the one under Unconfined).
#    The prober's arguments make the kernel answer something other than
#    EPERM where it can, so the Unconfined run shows which refusals are the
#    profile's.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profiles=$root/deploy/seccomp

is_root || skip_all "crun needs root to create the container"
if ! command -v crun >/dev/null && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends crun >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends crun >/dev/null 2>&1; }
fi
command -v crun >/dev/null || skip_all "crun is not installed and apt-get could not install it"

# --- The profile itself ------------------------------------------------------

check "nestbox.json is make-profile.py's output from runtime-default.json" \
    "$PYTHON" "$profiles/make-profile.py" --check
want_sum=$(sed -n 's/^.*sha256: *\([0-9a-f]\{64\}\).*/\1/p' "$profiles/README.md")
check "runtime-default.json is the upstream copy README.md names (sha256 $want_sum)" \
    test "$(sha256sum < "$profiles/runtime-default.json" | cut -d' ' -f1)" = "$want_sum"
echo "# nestbox.json against runtime-default.json (RuntimeDefault), rule by rule:"
"$PYTHON" "$profiles/make-profile.py" --diff | sed 's/^/#   /'
check "nestbox.json has no archMap, includes or excludes (containerd ignores them, CRI-O applies them)" \
    "$PYTHON" -c 'import json, sys; p = json.load(open(sys.argv[1]))
sys.exit("archMap" in p or any("includes" in r or "excludes" in r for r in p["syscalls"]))' "$profiles/nestbox.json"

mapfile -t additions < <("$PYTHON" "$profiles/make-profile.py" --additions)
section=$(sed -n '/^### `securityContext.seccompProfile`/,/^### /p' "$root/docs/pods.md")
missing=()
for a in "${additions[@]}"; do
    grep -q "\`$a\`" <<<"$section" || missing+=("$a")
done
check "docs/pods.md's seccompProfile section names every addition${missing:+ (missing: ${missing[*]})}" \
    test ${#missing[@]} = 0
check "nestbox's own compiler accepts nestbox.json (--seccomp-profile)" \
    run --seccomp-profile "$profiles/nestbox.json" true
bad=$(cd "$root/deploy/kubernetes" && grep -L 'localhostProfile: nestbox.json' -- *.yaml | tr '\n' ' ')
check "every manifest in deploy/kubernetes uses the Localhost profile nestbox.json${bad:+ (not: $bad)}" \
    test -z "$bad"

# --- The pods ------------------------------------------------------------------

is_addition () {
    local a
    for a in "${additions[@]}"; do [ "$a" = "${1%%:*}" ] && return 0; done
    return 1
}

bundle=$SCRATCH/bundle
mkdir -p "$bundle/rootfs"/{usr,proc,dev,tmp,etc,out}
chmod 1777 "$bundle/rootfs/tmp" "$bundle/rootfs/out"
for l in bin lib lib64 sbin; do [ -e "/usr/$l" ] && ln -s "usr/$l" "$bundle/rootfs/$l"; done
cp "$NESTBOX" "$bundle/rootfs/nestbox"
have_probe=no
if ! command -v cc >/dev/null && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gcc libc6-dev >/dev/null 2>&1
fi
if cc -O2 -o "$bundle/rootfs/probe" "$here/probe.c" 2>"$SCRATCH/cc.err"; then
    have_probe=yes
else
    sed 's/^/# cc: /' "$SCRATCH/cc.err"
fi
chmod -R a+rX "$SCRATCH"

CRIO_CAPS='"CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_KILL"'
# deploy/kubernetes/image-builder.yaml: drop ALL, add these.
BUILDER_CAPS='"CAP_SETFCAP","CAP_SETUID","CAP_SETGID","CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER"'

# write_config UID CAPS(bounding) EFFECTIVE(yes|no) MASKED(yes|no) PROFILE SCRIPT
# PROFILE: unconfined, or containerd:FILE or crio:FILE (how the runtime
# reads the file: see oci-seccomp.py).
write_config () {
    local uid=$1 caps=$2 effective=$3 masked=$4 profile=$5 script=$6
    local maskedPaths='[]' readonlyPaths='[]' seccomp='' eff=''
    if [ "$masked" = yes ]; then
        maskedPaths='["/proc/acpi","/proc/asound","/proc/interrupts","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi","/sys/firmware"]'
        readonlyPaths='["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]'
    fi
    [ "$effective" = yes ] && eff=$caps
    case $profile in
        containerd:*) seccomp="\"seccomp\": $("$PYTHON" "$here/oci-seccomp.py" --containerd "${profile#*:}")," ;;
        # includes/excludes are matched against the bounding set.
        crio:*) read -ra cap_names <<<"$(tr -d '"' <<<"${caps//,/ }")"
                seccomp="\"seccomp\": $("$PYTHON" "$here/oci-seccomp.py" "${profile#*:}" "${cap_names[@]}")," ;;
    esac
    "$PYTHON" -c 'import json,sys; json.dump(sys.argv[1], sys.stdout)' "$script" > "$SCRATCH/script.json"
    cat > "$bundle/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "user": { "uid": $uid, "gid": $uid },
    "args": ["/bin/sh", "-c", $(cat "$SCRATCH/script.json")],
    "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/",
    "noNewPrivileges": false,
    "capabilities": {
      "bounding": [$caps], "permitted": [$eff], "effective": [$eff], "inheritable": [], "ambient": []
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
    $seccomp
    "namespaces": [ {"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "user"} ],
    "uidMappings": [ { "containerID": 0, "hostID": 200000, "size": 65536 } ],
    "gidMappings": [ { "containerID": 0, "hostID": 200000, "size": 65536 } ],
    "maskedPaths": $maskedPaths,
    "readonlyPaths": $readonlyPaths
  }
}
EOF
}

# pod ARGS-OF-write_config: run it; what the pod wrote is in $bundle/rootfs/out.
pod () {
    rm -f "$bundle/rootfs/out/"*
    write_config "$@"
    # crun 1.8 refuses a hybrid cgroup host whose cgroup2 mount has
    # controllers: hide that mount in a mount namespace of the test's own.
    crun_out=$(unshare -m --propagation private sh -c '
        umount /sys/fs/cgroup/unified 2>/dev/null
        crun --cgroup-manager=disabled run --bundle "$0" "nestbox-seccomp-$$"' "$bundle" 2>&1)
}
out () { cat "$bundle/rootfs/out/$1" 2>/dev/null || echo none; }
comment_outputs () {
    { cat "$bundle/rootfs/out/err" 2>/dev/null; printf '%s\n' "$crun_out"; } | grep -v '^$' | sed 's/^/# /'
}

LAUNCH='/nestbox --ro-bind / / --unshare-all --proc /proc --dev /dev ps -e -o pid= > /out/ps 2> /out/err; echo $? > /out/rc; /nestbox doctor > /out/doctor 2>&1; echo $? > /out/doctor.rc'

# (a) The scenario of tests/crun-pod.sh that works under Unconfined.
pod 1000 "$CRIO_CAPS" no no "containerd:$profiles/nestbox.json" \
    "$LAUNCH; /nestbox --ro-bind / / --unshare-all --die-with-parent /probe keyctl keyctl:join-session add_key request_key > /out/inside 2>&1"
comment_outputs
check "non-root pod, nestbox.json: nestbox exits 0 (got $(out rc))" test "$(out rc)" = 0
check "non-root pod, nestbox.json: doctor says sandboxes work (exit $(out doctor.rc))" test "$(out doctor.rc)" = 0
grep -E '^\[[a-z ]+\] seccomp' "$bundle/rootfs/out/doctor" | sed 's/^/# doctor: /'
check "non-root pod, nestbox.json: ps sees only the sandbox" test "$(wc -l < "$bundle/rootfs/out/ps")" -le 4
if [ $have_probe = yes ]; then
    sed 's/^/# in the sandbox: /' "$bundle/rootfs/out/inside"
    # nestbox's session-keyring step gets EPERM and goes on: the keyring
    # calls stay refused for everything in the pod, the sandbox included.
    check "non-root pod, nestbox.json: keyring calls are refused in the sandbox (EPERM)" \
        test "$(grep -c ' EPERM$' "$bundle/rootfs/out/inside")" = 4
fi

pod 1000 "$CRIO_CAPS" no yes "containerd:$profiles/nestbox.json" "$LAUNCH"
comment_outputs
check "non-root pod, procMount Default, nestbox.json: nestbox exits 1 (got $(out rc))" test "$(out rc)" = 1
check "non-root pod, procMount Default, nestbox.json: the message names procMount, not seccomp" \
    grep -q "procMount: Unmasked" "$bundle/rootfs/out/err"
check "non-root pod, procMount Default, nestbox.json: doctor predicts it (exit $(out doctor.rc))" test "$(out doctor.rc)" = 1

# The control: RuntimeDefault (what containerd generates for it is this
# profile resolved for the pod's capabilities, as CRI-O reads it).
pod 1000 "$CRIO_CAPS" no no "crio:$profiles/runtime-default.json" "$LAUNCH"
comment_outputs
check "non-root pod, RuntimeDefault: nestbox exits 1 (got $(out rc))" test "$(out rc)" = 1
check "non-root pod, RuntimeDefault: the message names the seccomp profile and points to nestbox.json" \
    sh -c 'grep -q "seccomp profile refuses namespace creation" "$1" && grep -q "localhostProfile: nestbox.json" "$1"' sh "$bundle/rootfs/out/err"
check "non-root pod, RuntimeDefault: doctor predicts it (exit $(out doctor.rc))" test "$(out doctor.rc)" = 1

# The root pod of image-builder.yaml: 65536-id maps, --hostname, the
# runtimes' default filter for the step.
BUILD='/nestbox --uid-map 0:0:65536 --gid-map 0:0:65536 --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp --unshare-pid --unshare-ipc --unshare-uts --hostname build --seccomp-profile default --die-with-parent sh -c "hostname; id -u; ps -e -o pid= | wc -l" > /out/ps 2> /out/err; echo $? > /out/rc; /nestbox doctor > /out/doctor 2>&1; echo $? > /out/doctor.rc'
# hostname, uid, and the pids the step sees (its init, sh, ps and wc).
step_ok () {
    local lines
    mapfile -t lines < "$bundle/rootfs/out/ps"
    [ "${lines[0]-}" = build ] && [ "${lines[1]-}" = 0 ] && [ "${lines[2]-99}" -le 4 ]
}
pod 0 "$BUILDER_CAPS" yes no "crio:$profiles/nestbox.json" "$BUILD"
comment_outputs
check "root pod (image-builder), nestbox.json as CRI-O reads it: nestbox exits 0 (got $(out rc))" test "$(out rc)" = 0
sed "s/^/# step: /" "$bundle/rootfs/out/ps"
check "root pod (image-builder), nestbox.json as CRI-O reads it: --hostname, uid 0 and a pid namespace in the step" \
    step_ok
check "root pod (image-builder), nestbox.json as CRI-O reads it: doctor says sandboxes work (exit $(out doctor.rc))" test "$(out doctor.rc)" = 0

pod 0 "$BUILDER_CAPS" yes no "crio:$profiles/runtime-default.json" "$BUILD"
comment_outputs
check "root pod (image-builder), RuntimeDefault: nestbox exits 1 (got $(out rc))" test "$(out rc)" = 1
check "root pod (image-builder), RuntimeDefault: the message names the seccomp profile and points to nestbox.json" \
    sh -c 'grep -q "seccomp profile refuses namespace creation" "$1" && grep -q "localhostProfile: nestbox.json" "$1"' sh "$bundle/rootfs/out/err"

# --- (b) The calls outside nestbox -------------------------------------------

if [ $have_probe = no ]; then
    skip "the prober: no C compiler"
    done_testing
fi
declare -A result
for p in unconfined runtime-default nestbox nestbox-crio; do
    case $p in
        unconfined) file=unconfined ;;
        runtime-default) file=crio:$profiles/runtime-default.json ;;
        nestbox) file=containerd:$profiles/nestbox.json ;;
        nestbox-crio) file=crio:$profiles/nestbox.json ;;
    esac
    pod 1000 "$CRIO_CAPS" no no "$file" '/probe > /out/probe 2>&1'
    [ -s "$bundle/rootfs/out/probe" ] || printf '%s\n' "$crun_out" | sed "s/^/# $p: /"
    while read -r name res; do result[$p,$name]=$res; done < "$bundle/rootfs/out/probe"
    cp "$bundle/rootfs/out/probe" "$SCRATCH/probe.$p"
done
check "the prober gets the same answers under nestbox.json as containerd and as CRI-O read it" \
    cmp -s "$SCRATCH/probe.nestbox" "$SCRATCH/probe.nestbox-crio"
echo "# call: Unconfined / RuntimeDefault / nestbox.json"
mapfile -t names < <(cut -d' ' -f1 "$SCRATCH/probe.unconfined")
told_apart=0
for n in "${names[@]}"; do
    uc=${result[unconfined,$n]-none} rd=${result[runtime-default,$n]-none} nb=${result[nestbox,$n]-none}
    echo "#   $n: $uc / $rd / $nb"
    if is_addition "$n"; then
        check "$n (added): nestbox.json lets the kernel answer ($nb, as Unconfined: $uc; RuntimeDefault: $rd)" \
            test "$nb" = "$uc" -a "$rd" != "$uc"
    else
        check "$n: refused under nestbox.json as under RuntimeDefault ($nb; RuntimeDefault: $rd; Unconfined: $uc)" \
            test "$nb" = "$rd" -a "$rd" != none
        [ "$rd" = EPERM ] && [ "$uc" != EPERM ] && [ "$nb" = "$rd" ] && told_apart=$((told_apart + 1))
    fi
done
check "$told_apart calls refused by RuntimeDefault, which the kernel would answer otherwise, are refused by nestbox.json (at least 20)" \
    test "$told_apart" -ge 20
missing=()
for n in kexec_load open_by_handle_at bpf perf_event_open add_key request_key keyctl init_module finit_module \
         delete_module reboot swapon swapoff acct settimeofday clock_settime quotactl userfaultfd; do
    [ "${result[nestbox,$n]-none}" = EPERM ] || missing+=("$n=${result[nestbox,$n]-none}")
done
check "the calls RuntimeDefault exists to refuse get EPERM under nestbox.json${missing:+ (not: ${missing[*]})}" \
    test ${#missing[@]} = 0

done_testing
