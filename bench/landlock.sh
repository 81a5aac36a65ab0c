#!/bin/bash
# What --landlock costs at start-up: the same Zuul-like sandbox (a dozen
# binds, the namespaces Zuul asks for, --share-net) with and without it,
# and bwrap for scale, in alternating rounds.  The target: at most 1.1x.
#
# Usage: bench/landlock.sh [--as-user USER] [NESTBOX]
# Prints each median (hyperfine) and the ratios.  Needs hyperfine, bwrap
# and python3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/rounds.sh"
runner_from_args "$@"
shift "$SHIFT"
nestbox=$(realpath -e "${1:-$repo/build/nestbox}")
scratch=$(mktemp -d /tmp/nestbox-landlock-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
chmod 1777 "$scratch" # the runner writes hyperfine's exports here
cp "$nestbox" "$scratch/nestbox"
mkdir -p "$scratch/work" "$scratch/src"
chmod 0777 "$scratch/work" "$scratch/src"

args="--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin"
args+=" --symlink usr/sbin /sbin --ro-bind /etc/passwd /etc/passwd --ro-bind /etc/group /etc/group"
args+=" --ro-bind /etc/hosts /etc/hosts --ro-bind /etc/resolv.conf /etc/resolv.conf"
args+=" --ro-bind $scratch/src /src --bind $scratch/work /work --tmpfs /tmp --proc /proc --dev /dev"
args+=" --unshare-all --share-net --die-with-parent --chdir /work true"
cmds=(-n plain "$scratch/nestbox $args" -n landlock "$scratch/nestbox --landlock $args"
      -n bwrap "$(command -v bwrap) $args")

alternating_rounds "$scratch" "${cmds[@]}"

python3 "$repo/bench/medians.py" "$scratch" landlock/plain plain/bwrap landlock/bwrap
