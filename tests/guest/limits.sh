#!/bin/bash
# limits.sh NESTBOX_BINARY: nestbox's cgroup v2 limits (--memory-max,
# --pids-max, --cpu-max, ...) in a qemu guest with a pure cgroup2 hierarchy,
# since the host's cgroups are hybrid.  Builds the static test programs the
# guest script runs, then boots the guest with guest-boot.sh, which relays
# limits-guest.sh's TAP and gives this test its exit status (77: qemu
# cannot run here).  Needs root; see guest-boot.sh for the environment.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	echo "usage: $0 NESTBOX_BINARY" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (it boots a guest and installs packages)"
	exit 0
fi
command -v gcc >/dev/null || { echo "Bail out! gcc is needed to build the test programs"; exit 1; }

BINS=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-cgroup-bins.XXXXXX")
# mktemp makes it 0700; the guest runs the programs as uid 1000 too.
chmod 755 "$BINS"
trap 'rm -rf "$BINS"' EXIT
trap 'exit 1' INT TERM HUP

# Static: the guest has no C library of its own.
for prog in forker memhog spin noclone3; do
	gcc -static -O2 -Wall -o "$BINS/$prog" "$HERE/$prog.c" ||
		{ echo "Bail out! building $prog.c failed"; exit 1; }
done

# Not exec: the trap must still remove $BINS.  A skip (77: qemu cannot run
# here) has printed "1..0 # SKIP ..." already; as TAP that is enough.
"$HERE/guest-boot.sh" "$1" "$HERE/limits-guest.sh" "$BINS"
rc=$?
[ "$rc" = 77 ] && rc=0
exit "$rc"
