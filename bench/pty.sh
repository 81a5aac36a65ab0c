#!/bin/bash
# Throughput of --pty's relay, next to script(1) doing the same job.
#
# Usage: bench/pty.sh [options] [NESTBOX]
#   NESTBOX   binary under test (default: build/nestbox of this repo)
# Options:
#   --mb N    megabytes to push through each case (default 100)
#   --runs N  runs per case; the median is reported (default 3)
#   --quick   10 MB, 1 run: a smoke test
#
# Cases (each with `nestbox --pty ...` and `script -q -c ... /dev/null`,
# stdin and stdout redirected, so both relay streams, not a terminal):
#   cat     the issue's case: N MB of base64 lines into `cat` on a pty in
#           its default (cooked, echoing) mode; the line discipline hands
#           cat one line per read and echoes every byte, so this is bound
#           by the kernel's tty layer, not by the relay
#   raw-in  the same bytes into `head -c SIZE` on a raw, non-echoing pty:
#           the input direction at full speed (output = input)
#   raw-out `cat FILE` on a raw pty, stdin empty: the output direction
# MB/s is N MB (the input's size) over the wall time, which includes the
# sandbox's start (a few ms).  Needs bash, awk and util-linux's script.
set -euo pipefail

prog=${0##*/}
repo=$(cd "$(dirname "$0")/.." && pwd)
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 2; }
usage() { sed -n '3,9s/^# \{0,1\}//p' "$0" >&2; exit "${1:-2}"; }

mb=100 runs=3 positional=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --mb) [[ $# -ge 2 ]] || usage; mb=$2; shift 2 ;;
        --runs) [[ $# -ge 2 ]] || usage; runs=$2; shift 2 ;;
        --quick) mb=10; runs=1; shift ;;
        -h|--help) usage 0 ;;
        -*) die "unknown option: $1" ;;
        *) positional+=("$1"); shift ;;
    esac
done
[[ ${#positional[@]} -le 1 ]] || usage
[[ $mb =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || die "--mb and --runs take positive integers"

nestbox=$(realpath -e -- "${positional[0]:-$repo/build/nestbox}") \
    || die "nestbox binary not found: ${positional[0]:-$repo/build/nestbox} (meson setup build && meson compile -C build)"
command -v script >/dev/null || die "script not found (apt-get install -y bsdutils)"

scratch=$(mktemp -d /tmp/nestbox-bench-pty.XXXXXX)
chmod 0755 "$scratch"
trap 'rm -rf "$scratch"' EXIT

# Base64 lines (76 characters and a newline): nothing a line discipline
# treats specially, and lines far below its 4095-byte limit.
# base64 turns each 57 bytes into a line of 77.
lines=$((mb * 1000 * 1000 / 77))
head -c $((lines * 57)) /dev/urandom | base64 >"$scratch/in"
size=$(stat -c %s "$scratch/in")

sandbox=("$nestbox" --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/bin /bin
         --symlink usr/sbin /sbin --dev /dev --proc /proc --unshare-pid
         --ro-bind "$scratch" "$scratch")
[[ -e /usr/lib64 ]] && sandbox+=(--symlink usr/lib64 /lib64)

# one TOOL CASE: run once, print "SECONDS OUTPUT_BYTES".
one() {
    local tool=$1 case=$2 inner input=$scratch/in start end
    case $case in
        cat) inner="cat" ;;
        raw-in) inner="stty raw -echo && exec head -c $size" ;;
        raw-out) inner="stty raw -echo && exec cat $scratch/in"; input=/dev/null ;;
    esac
    start=$(date +%s.%N)
    if [[ $tool == nestbox ]]; then
        "${sandbox[@]}" --pty sh -c "$inner" <"$input" >"$scratch/out"
    else
        script -q -c "$inner" /dev/null <"$input" >"$scratch/out"
    fi
    end=$(date +%s.%N)
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $(stat -c %s "$scratch/out")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'pushing %d MB (%d bytes), median of %d run(s); %s\n\n' "$mb" "$size" "$runs" "$(uname -sr)"
printf '%-8s %-8s %10s %10s %14s\n' case tool seconds 'MB/s' 'bytes out'
for case in cat raw-in raw-out; do
    for tool in nestbox script; do
        times=() out=0
        for ((i = 0; i < runs; i++)); do
            read -r t out < <(one "$tool" "$case")
            times+=("$t")
        done
        t=$(printf '%s\n' "${times[@]}" | median)
        printf '%-8s %-8s %10.2f %10.1f %14d\n' "$case" "$tool" "$t" \
            "$(awk -v s="$size" -v t="$t" 'BEGIN { print s / 1e6 / t }')" "$out"
    done
done
cat <<EOF

bytes out: cat echoes, so about twice the input plus a CR per line (the
kernel drops echoes when its echo buffer overflows under load, for both
tools alike); raw-in shows the first few KiB echoed before stty ran.
EOF
