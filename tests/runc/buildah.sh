#!/bin/bash
# buildah with nestbox-runc as its OCI runtime: a base image made offline
# (FROM scratch plus Debian's busybox-static), then a Containerfile with
# several RUN steps (files, owners through a multi-range id map, a USER
# switch, a pid namespace of its own) built once with nestbox-runc and once
# with Debian's crun; the two images' files, owners and modes must be equal.
# A failing RUN must fail the build with the step's exit status.
# Started as root; with the argument "unprivileged" every buildah command
# runs as the test user, rootless, on its /etc/subuid and /etc/subgid ranges.
. "$(dirname "$0")/../lib.sh"

BUSYBOX=/bin/busybox
MODE=${1:-root}
is_root || skip_all "started as root only: the unprivileged run drops to $TEST_USER itself, after hiding the cgroup2 mount crun refuses"
command -v buildah >/dev/null || skip_all "no buildah (apt-get install buildah)"
[ -x /usr/bin/crun ] || skip_all "no crun to compare with (apt-get install crun)"
if [ ! -x "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
    skip_all "no static busybox at $BUSYBOX (apt-get install busybox-static)"
fi

cd "$SCRATCH"
# buildah calls the runtime by its path; the name is what makes nestbox
# speak runc.  A copy, which the test user can read wherever the build is.
mkdir runtime
cp "$NESTBOX" runtime/nestbox
ln -s nestbox runtime/nestbox-runc
NESTBOX_RUNC=$SCRATCH/runtime/nestbox-runc
AS_BUILDER=()
if [ "$MODE" = unprivileged ]; then
    ensure_test_user
    grep -q "^$TEST_USER:" /etc/subuid && grep -q "^$TEST_USER:" /etc/subgid ||
        skip_all "$TEST_USER has no /etc/subuid and /etc/subgid ranges"
    command -v newuidmap >/dev/null || skip_all "no newuidmap (apt-get install uidmap)"
    mkdir -m 700 xdg
    chown "$TEST_USER:" "$SCRATCH" xdg
    chmod 755 "$SCRATCH"
    # XDG_RUNTIME_DIR: where a rootless buildah and its runtime keep their state.
    AS_BUILDER=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups
        env HOME="$(getent passwd "$TEST_USER" | cut -d: -f6)" USER="$TEST_USER" XDG_RUNTIME_DIR="$SCRATCH/xdg")
fi
buildah_here () { "${AS_BUILDER[@]}" buildah --root "$SCRATCH/storage" --runroot "$SCRATCH/run" --storage-driver vfs "$@"; }
remove_storage () {
    buildah_here rm --all >/dev/null 2>&1
    buildah_here umount --all >/dev/null 2>&1
    cleanup_scratch
}
trap remove_storage EXIT

# The ids of the build: container root and the ids below 1000 on one host
# range, 1000 and above on another, so that chown crosses the ranges.
# Rootless, buildah's own namespace is that map already (the user, then
# its subordinate range); a map nested in it fails to be written with crun
# too (EPERM on gid_map), so none is asked for.
ID_MAPS=(--userns-uid-map 0:100000:1000,1000:200000:69000 --userns-gid-map 0:100000:1000,1000:200000:69000)
[ "$MODE" = unprivileged ] && ID_MAPS=()
# Offline and without a cgroup manager daemon.
BUILD_OPTS=(--isolation oci --network none --cgroup-manager cgroupfs)

# build RUNTIME TAG DIR [buildah bud options]: the build's output in build.log.
# This machine's cgroups are hybrid (v1 controllers plus cgroup2 at
# /sys/fs/cgroup/unified); crun refuses that ("cgroups in hybrid mode not
# supported"), so every build runs in a private mount namespace where the
# unified mount is gone.  nestbox-runc does not need it, but both runtimes
# see the same machine that way and the comparison stays fair.
build () {
    local runtime=$1 tag=$2 dir=$3
    shift 3
    unshare -m --propagation private bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' build \
        "${AS_BUILDER[@]}" buildah --root "$SCRATCH/storage" --runroot "$SCRATCH/run" --storage-driver vfs \
        bud --runtime "$runtime" "${BUILD_OPTS[@]}" "$@" -t "$tag" "$dir" >build.log 2>&1
}

# ---- the base image, offline ----------------------------------------------------------
mkdir -p base/bin base/proc base/dev base/sys base/etc base/run base/tmp base/w
chmod 1777 base/tmp
# A bind mount's missing target is made by the runtime, each with its own
# mode (crun 0700, runc 0755, nestbox 0444) and buildah keeps it in the
# image: the base image has /etc/hostname, as images made by distributions do.
echo base >base/etc/hostname
cp "$BUSYBOX" base/bin/busybox
for tool in sh ls cat echo id chown chmod mkdir touch grep tr wc; do ln -s busybox "base/bin/$tool"; done
c=$(buildah_here from -q scratch) && buildah_here copy "$c" base/ / >/dev/null &&
    buildah_here config --cmd /bin/sh "$c" && buildah_here commit -q "$c" base >/dev/null
base_rc=$?

# ---- USER without a user namespace of the container's own --------------------------
# Without id maps buildah asks for process.user.uid 1000 in the caller's
# own user namespace (the machine's as root, buildah's rootless); runc and
# crun switch ids there.
mkdir user-switch
printf 'FROM base\nUSER 1000\nRUN echo "ids: $(id -u) groups: $(id -G)"\n' >user-switch/Containerfile
build "$NESTBOX_RUNC" user-switch-nestbox user-switch
user_switch_rc=$?
user_switch_out=$(grep -m1 '^ids: ' build.log)
check "base image FROM scratch with busybox-static committed" [ "$base_rc" = 0 ]

# ---- the build, twice -------------------------------------------------------------------
mkdir ctx
cat >ctx/Containerfile <<'EOF'
FROM base
RUN mkdir -p /w/data && echo hello > /w/data/a && chmod 640 /w/data/a && ln -s a /w/data/link
RUN touch /w/data/u1000 /w/data/g /w/data/nobody && chown 1000 /w/data/u1000 && chown 2000:3000 /w/data/g && chown 65534:65534 /w/data/nobody
RUN mkdir /w/home1000 && chown 1000:1000 /w/home1000 && chmod 700 /w/home1000
USER 1000
RUN echo mine > /w/home1000/mine && id -u > /w/home1000/uid && umask 077 && touch /w/home1000/private
USER 0
RUN echo $$ > /w/pid && ls /proc | grep '^[0-9]' | wc -l > /w/processes
EOF
declare -A elapsed
for runtime in "$NESTBOX_RUNC" /usr/bin/crun; do
    tag=img-$(basename "$runtime")
    start=$(date +%s%N)
    build "$runtime" "$tag" ctx "${ID_MAPS[@]}"
    rc=$?
    elapsed[$tag]=$((($(date +%s%N) - start) / 1000000))
    check "the Containerfile builds with $(basename "$runtime") (${elapsed[$tag]} ms): $(grep -v warning build.log | tail -1)" [ "$rc" = 0 ]
done

# listing TAG: every file of the image, its type and mode, owner, size, link
# target; timestamps left out.  Also the few files whose text says where the
# steps ran.
# Rootless, the image is mounted inside buildah's user namespace, where
# the owners read as the container's ids, as root reads them outside.
IN_BUILDAH_USERNS=()
[ "$MODE" = unprivileged ] && IN_BUILDAH_USERNS=(buildah_here unshare)
listing () {
    local c
    c=$(buildah_here from -q "$1") || return 1
    "${IN_BUILDAH_USERNS[@]}" bash -c 'dir=$("$@" mount "'"$c"'") && cd "$dir" &&
        find . -printf "%p %M %U:%G %s %l\n" | sort && for f in w/pid w/home1000/uid; do echo "$f: $(cat "$f")"; done
        cat w/processes >&2' \
        listing buildah --root "$SCRATCH/storage" --runroot "$SCRATCH/run" --storage-driver vfs
}
# How many processes ls saw depends on whether wc had started yet: not compared.
listing img-nestbox-runc >nestbox.list 2>processes
listing img-crun >crun.list 2>/dev/null
processes=$(cat processes 2>/dev/null)
check "the images' files, owners and modes are equal ($(wc -l <nestbox.list) lines)" \
    eval '[ -s nestbox.list ] && diff -u crun.list nestbox.list'
check "chown crossed the map's ranges (1000, 2000:3000, 65534)" eval '
    grep -q "^./w/data/u1000 -rw-r--r-- 1000:0 " nestbox.list &&
    grep -q "^./w/data/g -rw-r--r-- 2000:3000 " nestbox.list &&
    grep -q "^./w/data/nobody -rw-r--r-- 65534:65534 " nestbox.list'
check "USER 1000 wrote into its own directory as uid 1000, with its umask" eval '
    grep -q "^w/home1000/uid: 1000$" nestbox.list &&
    grep -q "^./w/home1000/mine -rw-r--r-- 1000:0 " nestbox.list &&
    grep -q "^./w/home1000/private -rw------- 1000:0 " nestbox.list'
# pid 1 is the step's shell; ls, grep and wc its only other processes.
check "a RUN step has a pid namespace of its own: its shell is pid 1, /proc lists $processes processes" eval '
    grep -q "^w/pid: 1$" nestbox.list && [ "$processes" -ge 1 ] && [ "$processes" -le 4 ]'

# ---- a failing RUN --------------------------------------------------------------------
mkdir failing
printf 'FROM base\nRUN echo before\nRUN exit 3\nRUN echo after\n' >failing/Containerfile
for runtime in "$NESTBOX_RUNC" /usr/bin/crun; do
    build "$runtime" "failing-$(basename "$runtime")" failing "${ID_MAPS[@]}"
    rc=$?
    check "$(basename "$runtime"): RUN exit 3 fails the build (rc $rc) naming the step's status ($(grep -m1 'exit status' build.log))" eval '
        [ "$rc" != 0 ] && grep -q "building at STEP \"RUN exit 3\".*exit status 3" build.log && ! grep -q "^after$" build.log'
done

# ---- USER without a user namespace, the results ---------------------------------------
build /usr/bin/crun user-switch-crun user-switch
check "control: crun runs USER 1000 without a user namespace" [ $? = 0 ]
# The caller's supplementary groups (root's) must not follow: the step's
# only group is its own, 0 for USER 1000 without a group.
check "nestbox-runc runs USER 1000 without a user namespace: uid 1000, groups of its own only (rc $user_switch_rc; printed: $user_switch_out)" eval '
    [ "$user_switch_rc" = 0 ] && [ "$user_switch_out" = "ids: 1000 groups: 0" ]'

done_testing
