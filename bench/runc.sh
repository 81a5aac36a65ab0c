#!/bin/bash
# nestbox-runc against Debian's crun: `run` of a minimal bundle (a static
# busybox running `true`, config.json from `nestbox-runc spec` with only
# the command and the terminal changed) to its exit, alternating rounds.
#
# Usage: bench/runc.sh [NESTBOX]   (root: crun needs it here)
# Prints each median (hyperfine) and the ratio.  Needs hyperfine, crun,
# busybox-static and python3.
#
# crun 1.8 refuses a host with hybrid cgroups while the cgroup2 mount has
# controllers (tests/crun-pod.sh): the whole benchmark runs in a mount
# namespace of its own with that mount hidden, so that neither runtime
# pays for a wrapper.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
if [[ ${1:-} != --inner ]]; then
    [[ $(id -u) = 0 ]] || { echo "bench/runc.sh: run it as root (crun needs root here)" >&2; exit 1; }
    exec unshare -m --propagation private bash -c \
        'umount /sys/fs/cgroup/unified 2>/dev/null || true; exec bash "$0" --inner "$@"' "$0" "$@"
fi
shift
. "$repo/bench/rounds.sh"
runner_from_args
nestbox=$(realpath -e "${1:-$repo/build/nestbox}")
scratch=$(mktemp -d /tmp/nestbox-runc-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
ln -s "$nestbox" "$scratch/nestbox-runc"

bundle=$scratch/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/tmp"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
ln -s busybox "$bundle/rootfs/bin/true"
(cd "$bundle" && "$scratch/nestbox-runc" spec)
python3 - "$bundle/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["process"]["args"] = ["true"]
config["process"]["terminal"] = False
json.dump(config, open(sys.argv[1], "w"))
PY

# `run` deletes the container when it ends: one id serves every run.
cmds=(-n nestbox-runc "$scratch/nestbox-runc --root $scratch/nestbox-state run --bundle $bundle bench"
      -n crun "$(command -v crun) --cgroup-manager=disabled --root $scratch/crun-state run --bundle $bundle bench")
alternating_rounds "$scratch" "${cmds[@]}"

python3 "$repo/bench/medians.py" "$scratch" nestbox-runc/crun
