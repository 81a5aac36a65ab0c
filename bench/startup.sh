#!/bin/bash
# Startup benchmark: nestbox and bwrap side by side, in one run.
#
# Usage: bench/startup.sh [options] [NESTBOX] [BWRAP]
#   NESTBOX  binary under test            (default: build/nestbox of this repo)
#   BWRAP    reference bwrap              (default: /usr/bin/bwrap)
# Options:
#   --as-user USER  run every command as this unprivileged user (root only;
#                   the user is created with `useradd -m` if missing).
#                   Without it, commands run as the caller (root or not).
#                   Env: BENCH_USER=USER does the same.
#   --quick         about a quarter of the runs (a smoke test, noisier)
#   --report-only   print PASS/FAIL but exit 0 even if a target is missed
#   --keep          keep the scratch dir (JSON exports, hyperfine log)
#
# Cases: a Zuul-like sandbox; the same plus 10, 100, 1000 and 2000 extra
# --ro-bind directories; and the floor `unshare -Urpf --mount-proc true`.
# Prints the median of each case for both binaries and their ratio, then
# checks the targets of issue 2 (medians, same run):
#   Zuul-like   nestbox <= 0.8 x bwrap
#   1000 binds  nestbox <= 1/20 x bwrap
#   2000 binds  nestbox <= 2.5 x nestbox's own 1000-bind time
# Exits 1 if a target is missed (unless --report-only), 2 on a usage or
# setup error. Needs hyperfine and python3 (apt-get install -y hyperfine).
set -euo pipefail

prog=${0##*/}
repo=$(cd "$(dirname "$0")/.." && pwd)
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 2; }
usage() { sed -n "3,/^[^#]/s/^# \{0,1\}//p" "$0" >&2; exit "${1:-2}"; }

as_user=${BENCH_USER:-} quick=false report_only=false keep=false
positional=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --as-user) [[ $# -ge 2 ]] || usage; as_user=$2; shift 2 ;;
        --as-user=*) as_user=${1#*=}; shift ;;
        --quick) quick=true; shift ;;
        --report-only) report_only=true; shift ;;
        --keep) keep=true; shift ;;
        -h|--help) usage 0 ;;
        --) shift; positional+=("$@"); break ;;
        -*) die "unknown option: $1" ;;
        *) positional+=("$1"); shift ;;
    esac
done
[[ ${#positional[@]} -le 2 ]] || usage

nestbox=$(realpath -e -- "${positional[0]:-$repo/build/nestbox}") \
    || die "nestbox binary not found: ${positional[0]:-$repo/build/nestbox} (meson setup build && meson compile -C build)"
bwrap=$(realpath -e -- "${positional[1]:-/usr/bin/bwrap}") \
    || die "bwrap binary not found: ${positional[1]:-/usr/bin/bwrap} (apt-get install -y bubblewrap)"
for tool in hyperfine python3 unshare setpriv; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y hyperfine python3 util-linux)"
done

# --- who runs the commands ----------------------------------------------------
runner=()
if [[ -n $as_user ]]; then
    [[ $(id -u) -eq 0 ]] || die "--as-user needs root (or run the script as that user directly)"
    if ! id -u -- "$as_user" >/dev/null 2>&1; then
        echo "$prog: creating user $as_user" >&2
        useradd -m -s /bin/bash -- "$as_user"
    fi
    run_uid=$(id -u -- "$as_user")
    [[ $run_uid -ne 0 ]] || die "--as-user must name an unprivileged user"
    # setpriv, not su: no PAM session and no tty needed; the uid change drops
    # every capability, as for a real login of that user.
    runner=(setpriv --reuid="$run_uid" --regid="$(id -g -- "$as_user")" --init-groups)
    who="$as_user (uid $run_uid)"
else
    run_uid=$(id -u)
    who="$(id -un) (uid $run_uid)"
fi

# --- scratch dir: bind sources, JSON exports ----------------------------------
# Everything the sandboxes touch lives here, so cleanup is one rm. The bind
# sources are plain empty directories: what is measured is mount setup, not I/O.
scratch=$(mktemp -d /tmp/nestbox-bench.XXXXXX)
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    if $keep; then echo "kept: $scratch" >&2; else rm -rf -- "$scratch"; fi
}
trap cleanup EXIT
chmod 755 "$scratch"
max_binds=2000
mkdir "$scratch/src"
(cd "$scratch/src" && seq -f 'd%g' 1 "$max_binds" | xargs mkdir)
mkdir "$scratch/out"
if [[ -n $as_user ]]; then chown -R -- "$run_uid" "$scratch/out"; fi

# --- the command lines ----------------------------------------------------------
# Zuul runs every job step roughly like this: the host's /usr read-only, the
# top-level lib/bin dirs as on the host, fresh /proc, /dev, /tmp, every
# namespace. On a merged-/usr system (Debian 12) /lib, /lib64 and /bin are
# symlinks into /usr, so they are recreated as symlinks; on a split system
# they are bound read-only instead.
# Note: --unshare-all includes --unshare-user-try, so even as root both tools
# create a user namespace (root maps to root); as a user they map the uid.
zuul=(--ro-bind /usr /usr)
for d in lib lib64 bin; do
    if [[ -L /$d ]]; then
        zuul+=(--symlink "$(readlink "/$d")" "/$d")
    elif [[ -d /$d ]]; then
        zuul+=(--ro-bind "/$d" "/$d")
    fi
done
zuul+=(--proc /proc --dev /dev --tmpfs /tmp --unshare-all --new-session --die-with-parent)

# N distinct read-only binds, each onto its own new mount point in the
# sandbox's /tmp tmpfs (created by the launcher, like most real binds).
binds() {
    local i
    for ((i = 1; i <= $1; i++)); do
        printf -- '--ro-bind %s/src/d%d /tmp/b%d ' "$scratch" "$i" "$i"
    done
}

# hyperfine parses a command string like a shell would (-N: no shell is
# started, so nothing but the launcher is timed); quote each word.
quote() { local w out=""; for w in "$@"; do out+="$(printf '%q' "$w") "; done; printf '%s' "${out% }"; }
zuul_q=$(quote "${zuul[@]}")

# 2000 binds are ~6000 arguments and ~120 KB: far below ARG_MAX and bwrap's
# 9000-argument limit, so the binds go straight on the command line (an
# --args file would add a read the other tool does not do).
cmdline() {  # cmdline BINARY NBINDS
    local extra=""
    [[ $2 -gt 0 ]] && extra="$(binds "$2")"
    printf '%s %s %strue' "$(quote "$1")" "$zuul_q" "$extra"
}

floor_cmd="unshare -Urpf --mount-proc true"

# case name | extra binds | warmup | runs | rounds. Fewer runs for 1000/2000
# binds: bwrap needs seconds there (its setup is quadratic in the number of
# mounts), and the whole benchmark should stay within about 5 minutes.
cases=(
    "zuul-like|0|20|300|10"
    "10 binds|10|10|150|10"
    "100 binds|100|4|60|6"
    "1000 binds|1000|1|10|10"
    "2000 binds|2000|0|6|6"
)

# Run a command once first: a launcher that fails must say why, not leave
# hyperfine to report only "non-zero exit code".
check_runs() {  # check_runs LABEL COMMAND-STRING
    local err rc=0
    err=$(cd "$scratch/out" && "${runner[@]}" bash -c "exec $2" 2>&1 </dev/null) || rc=$?
    if [[ $rc -ne 0 ]]; then
        printf '%s: %s fails (exit %d):\n' "$prog" "$1" "$rc" >&2
        printf '%s\n' "$err" | tail -n 5 | sed 's/^/  | /' >&2
        printf '  command: %.300s...\n' "$2" >&2
        exit 2
    fi
}

log=$scratch/out/hyperfine.log
hyperfine_json() {  # hyperfine_json JSON WARMUP RUNS NAME CMD [NAME CMD]
    local json=$1 warmup=$2 runs=$3; shift 3
    local args=()
    while [[ $# -gt 0 ]]; do args+=(-n "$1" "$2"); shift 2; done
    local try
    for try in 1 2; do
        if (cd "$scratch/out" && "${runner[@]}" hyperfine -N --style basic \
                --warmup "$warmup" --runs "$runs" --export-json "$json" "${args[@]}") \
                >>"$log" 2>&1 </dev/null; then
            return 0
        fi
        # One retry: on a shared machine a run can be killed or hit a binary
        # that is being rebuilt. A launcher that really fails fails twice.
        echo "$prog: hyperfine failed (try $try of 2):" >&2
        tail -n 6 "$log" | sed 's/^/  | /' >&2
    done
    die "hyperfine failed twice; full log: $log (use --keep to keep it)"
}

# hyperfine runs all runs of one command, then all of the next. On a shared
# 2-core machine the load drifts, and the command that runs first also pays
# for cold caches, so one invocation can be off by tens of percent even for two
# identical binaries. Split the runs into rounds that rotate which command
# goes first, and take the median over all rounds.
bench_rounds() {  # bench_rounds PREFIX WARMUP RUNS ROUNDS NAME CMD [NAME CMD...]
    local prefix=$1 warmup=$2 runs=$3 rounds=$4 r k per w
    shift 4
    local pairs=("$@") n=$(( $# / 2 )) order
    if $quick; then
        runs=$(( runs / 4 > 3 ? runs / 4 : 3 ))
        rounds=$(( rounds < runs ? rounds : runs ))
        rounds=$(( rounds / 2 > 2 ? rounds / 2 : 2 ))
        warmup=$(( warmup / 4 > 1 ? warmup / 4 : warmup ))
    fi
    for ((r = 0; r < rounds; r++)); do
        # Spread the runs evenly; full warmup before the first round only.
        # Later rounds find caches warm; one extra run settles the order when
        # runs are cheap (several per round), none for the multi-second ones.
        per=$(( runs / rounds + (r < runs % rounds ? 1 : 0) ))
        w=$(( r == 0 ? warmup : (warmup > 0 && per >= 5 ? 1 : 0) ))
        order=()
        for ((k = 0; k < n; k++)); do
            order+=("${pairs[@]:$(( (r + k) % n * 2 )):2}")
        done
        hyperfine_json "$prefix.r$r.json" "$w" "$per" "${order[@]}"
    done
}

echo "nestbox: $nestbox ($("$nestbox" --version 2>&1 | head -n1 || true))"
echo "bwrap:   $bwrap ($("$bwrap" --version 2>&1 | head -n1 || true))"
echo "user:    $who   kernel $(uname -r)   $(nproc) CPUs$($quick && echo '   (quick mode)')"
# Timings of a few milliseconds are only meaningful on an otherwise idle
# machine: say so when something else is using the CPUs.
read -r load1 _ </proc/loadavg
if awk -v l="$load1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "WARNING: load average $load1 on $(nproc) CPUs: other work is running, expect noisy figures"
fi
echo

start=$SECONDS
check_runs floor "$floor_cmd"
for c in "${cases[@]}"; do
    IFS='|' read -r name n warmup runs rounds <<<"$c"
    nb_cmd=$(cmdline "$nestbox" "$n")
    bw_cmd=$(cmdline "$bwrap" "$n")
    check_runs "nestbox ($name)" "$nb_cmd"
    check_runs "bwrap ($name)" "$bw_cmd"
    echo "running: $name" >&2
    extra=()
    # The floor runs in the same rounds as the Zuul-like case, so that the
    # "over the floor" ratios compare figures taken under the same load.
    if [[ $n -eq 0 ]]; then extra=(floor "$floor_cmd"); fi
    bench_rounds "$scratch/out/binds$n" "$warmup" "$runs" "$rounds" \
        nestbox "$nb_cmd" bwrap "$bw_cmd" "${extra[@]}"
    case $n in
        1000) nb_1000=$nb_cmd ;;
        2000) nb_2000=$nb_cmd ;;
    esac
done

# The linearity target compares nestbox with itself. The paired rounds give
# only 6-10 samples (bwrap's seconds set the count); when nestbox is fast,
# add nestbox-only rounds alternating 1000 and 2000 binds, so the ratio of two
# medians does not rest on a handful of runs.
nb_2000_median=$(python3 -c '
import glob, json, statistics, sys
t = [x for p in glob.glob(sys.argv[1]) for r in json.load(open(p))["results"]
     if r["command"] == "nestbox" for x in r["times"]]
print(statistics.median(t))' "$scratch/out/binds2000.r*.json")
if awk -v m="$nb_2000_median" 'BEGIN { exit !(m < 0.5) }'; then
    echo "running: nestbox 1000 vs 2000 binds (extra runs)" >&2
    bench_rounds "$scratch/out/linear" 2 40 5 \
        "nestbox 1000" "$nb_1000" "nestbox 2000" "$nb_2000"
fi
echo "benchmark time: $((SECONDS - start)) s" >&2
echo >&2

# Table and target checks from the JSON exports (medians, in seconds).
rc=0
python3 - "$scratch/out" "$report_only" "${cases[@]}" <<'EOF' || rc=$?
import glob, json, statistics, sys

out, report_only = sys.argv[1], sys.argv[2] == "true"
cases = [c.split("|")[:2] for c in sys.argv[3:]]   # name, number of binds

def times(pattern):
    """All run times per command name, over every round matching pattern."""
    t = {}
    for path in sorted(glob.glob(f"{out}/{pattern}")):
        with open(path) as f:
            for r in json.load(f)["results"]:
                t.setdefault(r["command"], []).extend(r["times"])
    return t

def fmt(s):
    return f"{s * 1000:9.2f} ms" if s < 1 else f"{s:9.3f} s "

med = statistics.median
rows = {}
print(f"{'case':<12} {'nestbox':>12} {'bwrap':>12} {'nestbox/bwrap':>14} {'runs':>5}")
for name, n in cases:
    t = times(f"binds{n}.r*.json")
    rows[name] = (med(t["nestbox"]), med(t["bwrap"]))
    nb, bw = rows[name]
    print(f"{name:<12} {fmt(nb):>12} {fmt(bw):>12} {nb / bw:13.3f}x {len(t['nestbox']):5d}")
    if n == "0":
        floor_t = t["floor"]
floor = med(floor_t)
print(f"{'floor':<12} {fmt(floor):>12}   (unshare -Urpf --mount-proc true, {len(floor_t)} runs)")

# Linearity: nestbox's own 1000- and 2000-bind samples, paired rounds plus
# the nestbox-only rounds when they ran.
t1000 = times("binds1000.r*.json")["nestbox"]
t2000 = times("binds2000.r*.json")["nestbox"]
extra = times("linear.r*.json")
t1000 += extra.get("nestbox 1000", [])
t2000 += extra.get("nestbox 2000", [])
linear = med(t2000) / med(t1000)

nb_z, bw_z = rows["zuul-like"]
print(f"zuul-like over the floor: nestbox {nb_z / floor:.2f}x, bwrap {bw_z / floor:.2f}x")
print(f"2000/1000 binds: nestbox {linear:.2f}x ({len(t1000)}/{len(t2000)} runs), "
      f"bwrap {rows['2000 binds'][1] / rows['1000 binds'][1]:.2f}x")
print()

targets = [
    ("zuul-like: nestbox <= 0.8x bwrap", nb_z / bw_z, 0.8),
    ("1000 binds: nestbox <= 1/20 of bwrap", rows["1000 binds"][0] / rows["1000 binds"][1], 0.05),
    ("2000 binds: nestbox <= 2.5x nestbox 1000 binds", linear, 2.5),
]
failed = 0
for text, value, limit in targets:
    ok = value <= limit
    failed += not ok
    print(f"{'PASS' if ok else 'FAIL'}  {text:<48} (measured {value:.3f}x, limit {limit:g}x)")
print(f"targets: {len(targets) - failed} met, {failed} missed")
sys.exit(0 if report_only or not failed else 1)
EOF
exit "$rc"
