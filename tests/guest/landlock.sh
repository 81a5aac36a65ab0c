#!/bin/bash
# landlock.sh NESTBOX_BINARY: --landlock and --landlock-try on Debian 12's
# kernel (Landlock ABI 2), booted by guest-boot.sh; the host's kernel has a
# newer ABI.  Needs root; a skip only when qemu cannot run here.
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
"$HERE/guest-boot.sh" "$1" "$HERE/landlock-guest.sh"
rc=$?
# 77: qemu cannot run here, and "1..0 # SKIP ..." is printed already.
[ "$rc" = 77 ] && rc=0
exit "$rc"
