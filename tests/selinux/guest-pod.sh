# guest-pod.sh: runs inside the enforcing boot test's guest as the pod's
# process (container_t, uid 1000, in a container_file_t root; see
# guest-init.sh).  It starts the launcher under test, /usr/bin/<name> as
# written to /launcher by enforcing-boot.sh, in the ways that need each
# permission of nestbox's module, and prints one "NBRUN <label> <case>
# rc=<n>" line per run plus its output as "NBOUT <label> <case>: ..."
# lines.  <label>, the first argument, names the policy guest-init.sh
# loaded for this pod.

L=$1
B=$(cat /launcher)

# A sanitizer build of the launcher (tools/test-sanitizers.sh) runs here too.
# LeakSanitizer checks the heap at exit by ptrace()ing the process, which
# the pod's domain is refused (container_t has no ptrace on itself): it
# would fail every run.  Leaks are checked by the rest of that pass; address
# and undefined-behaviour errors are still caught here.  No effect on a
# plain build.
export ASAN_OPTIONS=detect_leaks=0

echo "NBCTX $L $(cat /proc/self/attr/current) uid=$(id -u)"

run() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/NBOUT $L $name: /"
	echo "NBRUN $L $name rc=$rc"
}

# The run the issue names: every namespace, a fresh /proc, a fresh /dev
# (tmpfs + device binds + a devpts instance).  ps lists what the
# sandbox's /proc shows: it must be the sandbox's own processes only.
# (proc_t mount, devpts_t mount)
run sandbox "$B" --unshare-all --ro-bind / / --proc /proc --dev /dev \
	ps -o pid,user,comm

# A pty from the sandbox's devpts: /dev/ptmx -> pts/ptmx.
# (devpts_t chr_file open)
run pty "$B" --unshare-all --ro-bind / / --proc /proc --dev /dev \
	sh -c 'exec 3<>/dev/ptmx && echo ptmx-opened'

# A read-only tmpfs: --remount-ro of a --tmpfs.  bubblewrap remounts with
# MS_REMOUNT (tmpfs_t remount); a write must then fail with EROFS.
run rotmpfs "$B" --unshare-all --ro-bind / / --tmpfs /tmp --remount-ro /tmp \
	sh -c 'if touch /tmp/x; then echo tmpfs-writable; else echo tmpfs-read-only; fi'

# A sandbox inside the sandbox, as when the sandboxed command runs a
# launcher itself (CI jobs, image builders): with CAP_SYS_ADMIN in the
# sandbox it makes a mount and pid namespace of its own, mounts a procfs,
# a devpts instance and a tmpfs there, remounts the tmpfs read-only the
# classic way (MS_REMOUNT) and unmounts all three.
# (proc_t/devpts_t mount and unmount, tmpfs_t remount)
# (The sandbox's own procfs and devpts cannot be unmounted from inside:
# launchers put a command that keeps capabilities in a further user
# namespace, where those mounts are locked.)
run nested "$B" --unshare-all --ro-bind / / --proc /proc --dev /dev \
	--tmpfs /tmp --cap-add CAP_SYS_ADMIN \
	unshare -m -p -f sh -c 'mkdir /tmp/proc /tmp/pts /tmp/t &&
		mount -t proc proc /tmp/proc &&
		mount -t devpts -o newinstance devpts /tmp/pts &&
		mount -t tmpfs tmpfs /tmp/t && mount -o remount,ro /tmp/t &&
		umount /tmp/t && umount /tmp/pts && umount /tmp/proc &&
		echo nested-ok'
