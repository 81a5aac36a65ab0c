#!/bin/bash
# What the user namespace below pid 1 costs: a sandbox with a pid namespace
# and no --dev, where the command now runs one user namespace below pid 1's
# (issue 12), against bwrap with the same options and, when given, another
# nestbox binary (the one before the change) in the same rounds.
#
# Usage: bench/nesting.sh [--as-user USER] [NESTBOX [BASELINE_NESTBOX]]
#   NESTBOX           default: build/nestbox of this repo
#   BASELINE_NESTBOX  optional: a second nestbox to compare with
# Prints the median of each tool (alternating rounds, hyperfine) and the
# ratios.  Needs hyperfine, bwrap and python3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/rounds.sh"
runner_from_args "$@"
shift "$SHIFT"
nestbox=$(realpath -e "${1:-$repo/build/nestbox}")
baseline=${2:+$(realpath -e "$2")}
scratch=$(mktemp -d /tmp/nestbox-nesting.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
chmod 1777 "$scratch"   # the runner writes hyperfine's exports here
# Copies the runner can read and execute, wherever the tree lives.
cp "$nestbox" "$scratch/nestbox"
[[ -n $baseline ]] && cp "$baseline" "$scratch/baseline"

args="--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin"
args+=" --unshare-user --unshare-pid --proc /proc --tmpfs /tmp --die-with-parent true"
cmds=(-n nestbox "$scratch/nestbox $args" -n bwrap "$(command -v bwrap) $args")
[[ -n $baseline ]] && cmds+=(-n baseline "$scratch/baseline $args")

alternating_rounds "$scratch" "${cmds[@]}"

python3 "$repo/bench/medians.py" "$scratch" nestbox/bwrap nestbox/baseline
