#!/bin/bash
# bench/limits.sh [NESTBOX]: what --memory-max and --pids-max add to a
# sandbox's start (making, writing, joining and removing its cgroup),
# against the same sandbox without them, in the same run.
#
# This host's cgroups may be hybrid (no controllers on cgroup v2), so it
# runs in the cgroup v2 guest of tests/guest/guest-boot.sh, with
# hyperfine copied in.  The guest is emulated (TCG): absolute times are
# many times a real machine's; the ratio is what counts (target: at most
# 1.3x).  Needs root (qemu, the guest's files).
set -u
here=$(cd "$(dirname "$0")" && pwd)
nestbox=$(readlink -f "${1:-$here/../build/nestbox}")
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null || exit 2
[ -x "$nestbox" ] || { echo "bench/limits.sh: no nestbox at $nestbox (meson compile -C build)" >&2; exit 2; }
exec "$here/../tests/guest/guest-boot.sh" "$nestbox" "$here/limits-guest.sh" "$(command -v hyperfine)"
