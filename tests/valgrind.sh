#!/bin/bash
# nestbox under valgrind on a sample of runs: --version, --help, bad input
# (the parser's error paths), and real sandboxes, first with only the
# monitor traced, then with every process of nestbox traced (the sandbox
# side and the reaper; the sandboxed command itself is skipped).  Each run
# must show no invalid access and no definite or indirect leak.
#
# Leaks: nestbox's processes other than the monitor end with exec or
# _exit(), where valgrind's leak check still runs (it reports what was
# allocated at that moment); only blocks nothing points to any more
# (definite, indirect) count as leaks.  Blocks still reachable at _exit()
# are memory the process was still using.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

command -v valgrind >/dev/null || { skip "valgrind is not installed"; done_testing; }
# A sanitizer build (tools/test-sanitizers.sh) cannot run under valgrind:
# the two instrument the same memory.
if ldd "$NESTBOX" 2>/dev/null | grep -q -e libasan -e libubsan -e libtsan; then
    skip "nestbox is built with a sanitizer; valgrind runs on the plain build"
    done_testing
fi
cd "$SCRATCH"
printf -- '--dir\0/x\0--setenv\0A\0B\0' > good.args
printf 'not bpf' > bad.bpf

VG=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --child-silent-after-fork=no -q --vgdb=no
    --suppressions="$here/valgrind.supp")

# vg NAME WANT_RC TRACE ARGS...: nestbox ARGS under valgrind; TRACE is
# "no" (the process started only) or "yes" (every nestbox process, not the
# command).  Passes when the exit code is WANT_RC and valgrind said nothing.
vg () {
    local name=$1 want=$2 trace=$3 rc log=$SCRATCH/vg.$test_count
    shift 3
    "${VG[@]}" ${VG_EXTRA:-} --trace-children="$trace" --trace-children-skip='/usr/bin/*,/bin/*,/usr/sbin/*' \
        --log-file="$log.%p" "$NESTBOX" "$@" > /dev/null 2> "$log.stderr" < /dev/null
    rc=$?
    # valgrind -q writes nothing but errors ("==PID== ...") and its own
    # warnings ("--PID-- ...", e.g. a system call it does not know).
    if [ "$rc" = "$want" ] && ! cat "$log".[0-9]* 2>/dev/null | grep -q '^==[0-9]*=='; then
        ok "valgrind: $name (exit $rc)"
    else
        not_ok "valgrind: $name (exit $rc, want $want)"
        cat "$log".[0-9]* "$log.stderr" 2>/dev/null | grep -v '^--' | head -n 40 | sed 's/^/# /'
    fi
}

# Debian 12's valgrind (3.19) does not know the new mount API (open_tree,
# move_mount, fsopen, mount_setattr): under it they fail with ENOSYS, which
# nestbox needs to build any root.  Real sandboxes run only where valgrind
# knows them.
real_sandboxes_work () {
    valgrind -q --trace-children=no "$NESTBOX" "${ROOTFS_ARGS[@]}" true >/dev/null 2>&1
}

vg "--version" 0 no --version
vg "--help" 0 no --help
vg "no command" 1 no --unshare-pid
vg "unknown option" 1 no --frobnicate true
vg "missing argument" 1 no --bind /usr
vg "bad fd" 1 no --info-fd 3x true
vg "bad --uid-map" 1 no --uid-map 0:1:0 --gid-map 0:1:1 true
vg "dangling --overlay-src" 1 no --overlay-src a --overlay-src b true
vg "--args data" 1 no --args 3 --perms 0755 3<good.args
vg "bad seccomp data" 1 no --seccomp 3 true 3<bad.bpf
vg "bad --seccomp-profile" 1 no --seccomp-profile bad.bpf true
vg "missing source" 1 no "${ROOTFS_ARGS[@]}" --bind /nonexistent /x true

if ! real_sandboxes_work; then
    echo "# valgrind $(valgrind --version | sed 's/valgrind-//') lacks the new mount API system calls (open_tree, ...): nestbox cannot build a root under it"
    # Still worth running: the monitor, clone, the id maps and the staging
    # root (legacy mount(2), pivot_root) up to the first open_tree, which
    # fails there.  No leak check: that failure is a die(), whose _exit()
    # skips the cleanup handlers of the frames it leaves.
    VG_EXTRA=--leak-check=no vg "a sandbox up to its first open_tree (every nestbox process)" 1 yes \
        "${ROOTFS_ARGS[@]}" --unshare-pid --proc /proc true
    VG_EXTRA=--leak-check=no vg "id maps, staging root (every nestbox process)" 1 yes \
        --unshare-user --uid 1000 --unshare-ipc --unshare-uts --hostname h --ro-bind /usr /usr true
    for _ in 1 2 3 4; do skip "real sandboxes under valgrind: valgrind does not know open_tree/move_mount/fsopen"; done
    done_testing
fi
vg "a sandbox (monitor)" 3 no "${ROOTFS_ARGS[@]}" sh -c 'exit 3'
vg "pid namespace, procfs, --args, status fds (monitor)" 0 no "${ROOTFS_ARGS[@]}" --unshare-pid --proc /proc \
    --args 3 --info-fd 4 --json-status-fd 5 true 3<good.args 4>info.json 5>status.json
vg "everything unshared, default seccomp profile (monitor)" 0 no "${ROOTFS_ARGS[@]}" --unshare-all --dev /dev \
    --seccomp-profile default --tmpfs /tmp --die-with-parent true
vg "a sandbox (every nestbox process)" 3 yes "${ROOTFS_ARGS[@]}" sh -c 'exit 3'
vg "pid namespace and reaper (every nestbox process)" 0 yes "${ROOTFS_ARGS[@]}" --unshare-pid --proc /proc \
    --args 3 --json-status-fd 5 true 3<good.args 5>status.json
vg "setup failure inside the sandbox (every nestbox process)" 1 yes "${ROOTFS_ARGS[@]}" --chdir /nope true

done_testing
