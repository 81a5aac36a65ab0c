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
runner=()
if [[ ${1:-} = --as-user ]]; then
    runner=(setpriv --reuid="$(id -u "$2")" --regid="$(id -g "$2")" --init-groups)
    shift 2
fi
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

# Four rounds, each starting with another tool (the first one pays for
# cold caches and drifting load).
n=$(( ${#cmds[@]} / 3 ))
for round in 0 1 2 3; do
    order=()
    for ((k = 0; k < n; k++)); do
        order+=("${cmds[@]:$(( (round + k) % n * 3 )):3}")
    done
    (cd "$scratch" && "${runner[@]}" hyperfine -N --style none --warmup 10 --runs 100 \
        --export-json "$scratch/r$round.json" "${order[@]}") >/dev/null
done

python3 - "$scratch" <<'EOF'
import glob, json, statistics, sys
t = {}
for path in glob.glob(sys.argv[1] + "/r*.json"):
    for r in json.load(open(path))["results"]:
        t.setdefault(r["command"], []).extend(r["times"])
med = {k: statistics.median(v) for k, v in t.items()}
for k in sorted(med):
    print(f"{k:<9} {med[k] * 1000:7.3f} ms  ({len(t[k])} runs)")
print(f"nestbox/bwrap    {med['nestbox'] / med['bwrap']:.3f}x")
if "baseline" in med:
    print(f"nestbox/baseline {med['nestbox'] / med['baseline']:.3f}x "
          f"({(med['nestbox'] - med['baseline']) * 1e6:+.0f} us)")
EOF
