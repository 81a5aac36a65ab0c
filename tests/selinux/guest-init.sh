#!/bin/busybox sh
# guest-init.sh: /init of the enforcing boot test's initramfs (PID 1 in the
# qemu guest).  enforcing-boot.sh builds the initramfs; this script plays
# the part of the node and of the container runtime:
#
#   1. load the binary policy /policy/current.bin (each boot appends its own
#      to the initramfs; nbtest.policy= on the command line names it)
#      through selinuxfs; the kernel was booted with enforcing=1, so from
#      here on SELinux enforces;
#   2. build a "pod": a root filesystem labelled container_file_t (a
#      tmpfs mounted with context=, as a runtime's overlay rootfs is), with
#      its own /proc and a /dev tmpfs holding the usual device nodes;
#   3. start guest-pod.sh in that root as container_t, uid 1000, the way a
#      runtime starts a pod's process, and pass its output to the console;
#   4. print the AVC denials the kernel logged, then power off.
#
# Every line meant for enforcing-boot.sh starts with "NB"; everything else
# on the console is kernel noise.

export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t selinuxfs selinuxfs /sys/fs/selinux
# AVC records are printk'd (there is no auditd); without this most of them
# are rate-limited away.
echo 0 >/proc/sys/kernel/printk_ratelimit

finish() {
	dmesg | grep -o 'avc:.*' | sed 's/^/NBAVC /'
	echo "NBEND"
	sync
	poweroff -f
}

variant=$(sed -n 's/.*nbtest\.policy=\([a-z0-9_-]*\).*/\1/p' /proc/cmdline)
echo "NBBOOT variant=$variant uptime=$(cut -d' ' -f1 /proc/uptime)"

# The policy must reach selinuxfs in a single write(): the kernel parses
# each write as a whole policy ("ebitmap: truncated map" otherwise), so
# dd with a block size larger than the file, not cat.
if ! dd if=/policy/current.bin of=/sys/fs/selinux/load bs=64M 2>/dev/null; then
	echo "NBFATAL policy load failed"
	finish
fi
echo "NBPOLICY loaded enforce=$(cat /sys/fs/selinux/enforce)"

# The pod's root.  context= labels everything on it container_file_t, and
# files the pod creates there stay container_file_t.
ctx=system_u:object_r:container_file_t:s0
mkdir -p /pod
mount -t tmpfs -o "mode=0755,context=$ctx" pod /pod
cp -a /podroot/. /pod/
mkdir -p /pod/proc /pod/dev /pod/tmp
chmod 1777 /pod/tmp
mount -t proc proc /pod/proc
mount -t tmpfs -o "mode=0755,context=$ctx" dev /pod/dev
mknod -m 666 /pod/dev/null c 1 3
mknod -m 666 /pod/dev/zero c 1 5
mknod -m 666 /pod/dev/full c 1 7
mknod -m 666 /pod/dev/random c 1 8
mknod -m 666 /pod/dev/urandom c 1 9
mknod -m 666 /pod/dev/tty c 5 0
mkdir /pod/dev/pts /pod/dev/shm

# Start the pod's process.  In a mount namespace of its own (unshare -m)
# the pod's root is moved over / and entered with chroot ., the way
# switch_root does: a plain chroot would not do, because the kernel refuses
# CLONE_NEWUSER (EPERM) to a process whose root is not its mount
# namespace's root.  Then drop to uid/gid 1000 (nsenter -S/-G with no
# namespace), ask for container_t on the next exec (what a runtime does
# with setexeccon) and exec the test script, which therefore starts as
# system_u:system_r:container_t:s0.  Its stdin is the pod's /dev/null; its
# output goes through a pipe to this (kernel_t) shell.
unshare -m /bin/sh -c '
	cd /pod && mount --move . / &&
	exec chroot . /bin/nsenter -S 1000 -G 1000 /bin/sh -c "
		echo -n system_u:system_r:container_t:s0 >/proc/self/attr/exec &&
		exec /bin/sh /guest-pod.sh </dev/null"' 2>&1 | cat
echo "NBPOD done uptime=$(cut -d' ' -f1 /proc/uptime)"

finish
