#!/bin/busybox sh
# guest-init.sh: /init of the enforcing boot test's initramfs (PID 1 in the
# qemu guest).  enforcing-boot.sh builds the initramfs; this script plays
# the part of the node and of the container runtime.  /policy/plan lists
# the runs of this boot, one a line:
#
#   LABEL POLICY-FILE [BOOLEAN=0|1 ...]
#
# For each line it
#   1. loads /policy/POLICY-FILE through selinuxfs, unless that policy is
#      the one loaded already (the kernel was booted with enforcing=1, so
#      from the first load on SELinux enforces), and sets the booleans;
#   2. builds a fresh "pod": a root filesystem labelled container_file_t
#      at the pod's MCS level (a tmpfs mounted with context=, as a
#      runtime's overlay rootfs is), with its own /proc and a /dev tmpfs
#      holding the usual device nodes;
#   3. starts guest-pod.sh in that root as container_t at that level, uid
#      1000, the way a runtime starts a pod's process, and passes its
#      output to the console;
#   4. prints the AVC denials the kernel logged during that run.
# Then it powers off.
#
# The kernel command line gives the pod's level (nbtest.level=, e.g.
# s0:c172,c841, the two categories a runtime gives a pod) and names the
# boot (nbtest.boot=).  Every line meant for enforcing-boot.sh starts with
# "NB"; everything else on the console is kernel noise.

export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t selinuxfs selinuxfs /sys/fs/selinux
# AVC records are printk'd (there is no auditd); without this most of them
# are rate-limited away.
echo 0 >/proc/sys/kernel/printk_ratelimit

cmdline_value() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
level=$(cmdline_value nbtest.level)
[ -n "$level" ] || level=s0
echo "NBBOOT $(cmdline_value nbtest.boot) level=$level uptime=$(cut -d' ' -f1 /proc/uptime)"

# load_policy FILE: the policy must reach selinuxfs in a single write():
# the kernel parses each write as a whole policy ("ebitmap: truncated map"
# otherwise), so dd with a block size larger than the file, not cat.
load_policy() {
	dd if="/policy/$1" of=/sys/fs/selinux/load bs=64M 2>/dev/null
}

# set_booleans NAME=VALUE...: pending values, then one commit, so the
# policy never runs with half of them changed.
set_booleans() {
	local b
	[ $# -gt 0 ] || return 0
	for b in "$@"; do
		echo "${b#*=}" >"/sys/fs/selinux/booleans/${b%%=*}" || return 1
	done
	echo 1 >/sys/fs/selinux/commit_pending_bools
}

# run_pod N LABEL: one pod, built afresh, and the test script in it.
run_pod() {
	local root=/pod$1 label=$2
	# context= labels everything on the tmpfs container_file_t at the
	# pod's level, and files the pod creates there stay so.  The quotes
	# keep the comma between the two categories inside the option.
	local opts="mode=0755,context=\"system_u:object_r:container_file_t:$level\""
	mkdir -p "$root"
	mount -t tmpfs -o "$opts" pod "$root" || return 1
	cp -a /podroot/. "$root/"
	mkdir -p "$root/proc" "$root/dev" "$root/tmp"
	chmod 1777 "$root/tmp"
	mount -t proc proc "$root/proc"
	mount -t tmpfs -o "$opts" dev "$root/dev"
	mknod -m 666 "$root/dev/null" c 1 3
	mknod -m 666 "$root/dev/zero" c 1 5
	mknod -m 666 "$root/dev/full" c 1 7
	mknod -m 666 "$root/dev/random" c 1 8
	mknod -m 666 "$root/dev/urandom" c 1 9
	mknod -m 666 "$root/dev/tty" c 5 0
	mkdir "$root/dev/pts" "$root/dev/shm"

	# Start the pod's process.  In a mount namespace of its own (unshare
	# -m) the pod's root is moved over / and entered with chroot ., the
	# way switch_root does: a plain chroot would not do, because the
	# kernel refuses CLONE_NEWUSER (EPERM) to a process whose root is not
	# its mount namespace's root.  Then drop to uid/gid 1000 (nsenter
	# -S/-G with no namespace), ask for container_t at the pod's level
	# on the next exec (what a runtime does with setexeccon) and exec the
	# test script, which therefore starts as
	# system_u:system_r:container_t:LEVEL.  Its stdin is the pod's
	# /dev/null; its output goes through a pipe to this (kernel_t) shell.
	# timeout bounds a run that hangs, so the other runs still happen.
	timeout 60 unshare -m /bin/sh -c '
		cd "$1" && mount --move . / &&
		exec chroot . /bin/nsenter -S 1000 -G 1000 /bin/sh -c "
			echo -n system_u:system_r:container_t:$2 >/proc/self/attr/exec &&
			exec /bin/sh /guest-pod.sh $3 </dev/null"' - "$root" "$level" "$label" 2>&1 | cat
	umount "$root/proc" "$root/dev" "$root" 2>/dev/null
}

n=0
loaded=""
while read -r label policy booleans; do
	[ -n "$label" ] || continue
	n=$((n + 1))
	if [ "$policy" != "$loaded" ]; then
		if ! load_policy "$policy"; then
			echo "NBFATAL $label: loading $policy failed"
			loaded=""
			continue
		fi
		loaded=$policy
	fi
	# shellcheck disable=SC2086 # one word per boolean
	if ! set_booleans $booleans; then
		echo "NBFATAL $label: setting the booleans failed"
		continue
	fi
	echo "NBPOLICY $label loaded $policy enforce=$(cat /sys/fs/selinux/enforce) uptime=$(cut -d' ' -f1 /proc/uptime)"
	# The ring buffer then holds this run's denials only.
	dmesg -c >/dev/null
	run_pod "$n" "$label" </dev/null
	dmesg | grep -o 'avc:.*' | sed "s/^/NBAVC $label /"
done </policy/plan
echo "NBEND uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
