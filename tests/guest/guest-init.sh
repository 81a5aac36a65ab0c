#!/bin/busybox sh
# guest-init.sh: /init of the test guest (guest-boot.sh builds the
# initramfs and boots it with cgroup_no_v1=all).
#
# Stage 1 (PID 1 on the initramfs): copy everything onto a tmpfs and
# switch_root to it.  A sandbox launcher calls pivot_root(2), which the
# kernel refuses while the root is the initramfs itself (EINVAL).
#
# Stage 2: mount what a system has, mount cgroup2 and enable every
# controller it offers in the root's subtree, run the guest script with its
# output on the second serial port (/dev/ttyS1, which the harness reads;
# the first one, the console, takes the kernel's noise), then power off.
#
# Lines for the harness that are not the script's own output start with
# "NB": NBUP (uptime when the script starts), NBEND (its exit status and
# the uptime), NBFATAL (the guest could not be set up).

export PATH=/bin:/sbin:/usr/bin:/usr/sbin

if [ "${1:-}" != stage2 ]; then
	mount -t proc proc /proc
	mkdir -p /newroot
	mount -t tmpfs -o mode=0755 root /newroot
	# Everything but the mount points themselves.
	for f in /* /.[!.]*; do
		case $f in /newroot | /proc | '/.[!.]*') continue ;; esac
		cp -a "$f" /newroot/
	done
	mkdir -p /newroot/proc /newroot/sys /newroot/dev
	umount /proc
	exec switch_root /newroot /init stage2
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts

# Raw mode: no CR added to each line, nothing echoed back.
out=/dev/ttyS1
stty -F "$out" raw -echo 2>/dev/null

fatal() {
	echo "NBFATAL $*" >"$out"
	echo "NBEND rc=1 uptime=$(cut -d' ' -f1 /proc/uptime)" >"$out"
	poweroff -f
}

# A fresh tmpfs on /tmp that keeps what the harness put there (extra files
# are copied into the guest at their host path, which may be under /tmp).
mkdir -p /.tmp-new
mount -t tmpfs -o mode=1777 tmp /.tmp-new || fatal "tmpfs on /tmp"
cp -a /tmp/. /.tmp-new/ 2>/dev/null
mount --move /.tmp-new /tmp || fatal "moving the tmpfs to /tmp"
rmdir /.tmp-new

mount -t cgroup2 cgroup2 /sys/fs/cgroup || fatal "cgroup2 mount"
want=""
for c in memory pids cpu io; do
	grep -qw "$c" /sys/fs/cgroup/cgroup.controllers && want="$want +$c"
done
# One write per controller: a single write with one that the kernel
# refuses would leave the others off too.
for c in $want; do
	echo "$c" >/sys/fs/cgroup/cgroup.subtree_control ||
		echo "# could not enable $c in the root's subtree" >"$out"
done

# The harness's settings: NESTBOX and PATH (env), the script (guest.sh).
. /nbtest/env
export NESTBOX PATH NBTEST_LIB=/nbtest
cd /tmp || fatal "cd /tmp"

echo "NBUP uptime=$(cut -d' ' -f1 /proc/uptime)" >"$out"
# The script's stderr becomes TAP comments so it cannot break the stream.
# Its stdin is /dev/null: nothing in the guest should wait for input.
# The pipeline's status is sed's, so the script's own goes through a file.
{
	{
		sh /nbtest/guest.sh </dev/null
		echo $? >/nbtest/rc
	} 2>&1 1>&3 3>&- | sed 's/^/# stderr: /' >&3
} 3>"$out"
rc=$(cat /nbtest/rc 2>/dev/null || echo unknown)
echo "NBEND rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)" >"$out"
sync
poweroff -f
