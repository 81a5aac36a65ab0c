#!/bin/bash
# Build every fuzz target with clang (libFuzzer + ASan + UBSan), replay the
# saved crash inputs, fuzz each target for SECONDS (default 60), then report
# executions, libFuzzer's coverage counters and line coverage (llvm-cov) of
# the parser sources.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# A crash, leak, timeout or out-of-memory input found while fuzzing is copied
# to tests/fuzz/regressions/<target>/ (and printed in base64, so that a CI
# log is enough to recover it); from then on every run replays it first.
# Exit status: 0 when every regression replays cleanly and fuzzing found
# nothing.  Builds in build-fuzz/ at the top of the checkout.
set -uo pipefail

seconds=${1:-60}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD_DIR:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
CC=${CC_FUZZ:-clang}

# target: harness and the sources it links (relative to the checkout), libs.
declare -A sources libs max_len dict covered
sources[cli]="tests/fuzz/fuzz_cli.c sandbox/cli.c sandbox/cli_options.c sandbox/cli_help.c sandbox/rlimits.c sandbox/cgroup_limits.c sandbox/timeout.c sandbox/caps.c sandbox/plan.c sandbox/util.c"
libs[cli]="-lcap"
max_len[cli]=65536      # room for --args data past the 9000-argument limit
dict[cli]=cli.dict
covered[cli]="sandbox/cli.c sandbox/cli_options.c"
sources[values]="tests/fuzz/fuzz_values.c sandbox/cli.c sandbox/cli_options.c sandbox/cli_help.c sandbox/rlimits.c sandbox/cgroup_limits.c sandbox/timeout.c sandbox/caps.c sandbox/plan.c sandbox/util.c"
libs[values]="-lcap"
max_len[values]=128
dict[values]=""
covered[values]="sandbox/cli_options.c sandbox/cgroup_limits.c"
sources[mountinfo]="tests/fuzz/fuzz_mountinfo.c sandbox/mountinfo.c sandbox/procview.c sandbox/util.c"
libs[mountinfo]=""
max_len[mountinfo]=16384
dict[mountinfo]=mountinfo.dict
covered[mountinfo]="sandbox/mountinfo.c sandbox/procview.c"
all_targets=(cli values mountinfo)
# The JSON seccomp profiles (--seccomp-profile), once their parser exists.
if [ -f "$top/sandbox/seccomp_profile.c" ] && [ -f "$here/fuzz_seccomp_profile.c" ]; then
    sources[seccomp_profile]="tests/fuzz/fuzz_seccomp_profile.c sandbox/seccomp_profile.c sandbox/seccomp.c sandbox/seccomp_arches.c sandbox/seccomp_bpf.c sandbox/util.c"
    [ -f "$top/sandbox/seccomp_default.c" ] && sources[seccomp_profile]+=" sandbox/seccomp_default.c"
    # The built-in profile's text, as the meson build makes it.
    [ -f "$top/sandbox/seccomp-default.json" ] && sources[seccomp_profile]+=" $out/seccomp_default_json.c"
    libs[seccomp_profile]="$(pkg-config --libs libseccomp json-c libcap 2>/dev/null || echo -lseccomp -ljson-c -lcap)"
    max_len[seccomp_profile]=65536
    dict[seccomp_profile]=seccomp_profile.dict
    covered[seccomp_profile]="sandbox/seccomp_profile.c"
    all_targets+=(seccomp_profile)
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

for tool in "$CC" llvm-profdata llvm-cov; do
    command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing (apt-get install clang llvm libclang-rt-14-dev)" >&2; exit 1; }
done

mkdir -p "$out"
if [ -f "$top/sandbox/seccomp-default.json" ]; then
    python3 "$top/tools/embed-file.py" "$top/sandbox/seccomp-default.json" "$out/seccomp_default_json.c" seccomp_default_json || exit 1
fi
# The config.h meson would write, enough for the parser sources.
version=$(sed -n "s/^  version: '\([^']*\)'.*/\1/p" "$top/meson.build" | head -n 1)
cat > "$out/config.h" <<EOF
#define NESTBOX_VERSION "${version:-0}"
#define HAVE_SECCOMP 1
#define HAVE_SELINUX 0
#define HAVE_JSONC 1
EOF
common=(-g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE -DNESTBOX_FUZZING
        -I"$top" -include "$out/config.h" -Wall -Wno-unused-parameter)

build () {  # build TARGET: the fuzzing binary and the coverage binary
    local t=$1 srcs=() s
    for s in ${sources[$t]}; do [[ $s == /* ]] && srcs+=("$s") || srcs+=("$top/$s"); done
    # shellcheck disable=SC2086
    "$CC" "${common[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        "${srcs[@]}" ${libs[$t]} -o "$out/fuzz-$t" &&
    "$CC" "${common[@]}" -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping \
        "${srcs[@]}" ${libs[$t]} -o "$out/cov-$t"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=suppressions=$here/lsan.supp:print_suppressions=0

failures=0
declare -A result
for t in "${targets[@]}"; do
    [ -n "${sources[$t]:-}" ] || { echo "fuzz: no target $t" >&2; failures=$((failures + 1)); continue; }
    echo "== $t: build"
    if ! build "$t" > "$out/build-$t.log" 2>&1; then
        cat "$out/build-$t.log" >&2
        result[$t]="BUILD FAILED"
        failures=$((failures + 1))
        continue
    fi
    # Replay every saved crash input: each must now run cleanly.
    reg=$here/regressions/$t
    mapfile -t saved < <(find "$reg" -type f ! -name '.*' 2>/dev/null | sort)
    if [ ${#saved[@]} -gt 0 ]; then
        if "$out/fuzz-$t" -close_fd_mask=2 "${saved[@]}" > "$out/replay-$t.log" 2>&1 < /dev/null; then
            echo "== $t: ${#saved[@]} regression inputs replay cleanly"
        else
            echo "== $t: REGRESSION: a saved crash input fails again" >&2
            tail -n 40 "$out/replay-$t.log" >&2
            result[$t]="REGRESSION"
            failures=$((failures + 1))
        fi
    fi
done

run_one () {  # run_one TARGET: fuzz for $seconds (in the background)
    local t=$1 work=$out/corpus/$t art=$out/artifacts/$t/ d=()
    rm -rf "$art"   # only this run's findings count
    mkdir -p "$work" "$art"
    [ -n "${dict[$t]}" ] && d=(-dict="$here/${dict[$t]}")
    "$out/fuzz-$t" "$work" "$here/corpus/$t" "${d[@]}" \
        -max_total_time="$seconds" -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$art" \
        > "$out/fuzz-$t.log" 2>&1 < /dev/null
}

pids=()
for t in "${targets[@]}"; do
    [ -x "$out/fuzz-$t" ] && [ -z "${result[$t]:-}" ] || continue
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    echo "== $t: fuzzing for ${seconds}s"
    run_one "$t" &
    pids+=($!)
done
wait

printf '\n%-16s %12s %10s %8s %8s %7s  %s\n' target executions exec/s cov ft corpus "line coverage (llvm-cov)"
for t in "${targets[@]}"; do
    log=$out/fuzz-$t.log
    [ -f "$log" ] && [ -z "${result[$t]:-}" ] || { printf '%-16s %s\n' "$t" "${result[$t]:-not run}"; continue; }
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<< "$last")

    # Findings: keep them as regression cases and fail.
    found=$(find "$out/artifacts/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null)
    status=""
    if [ -n "$found" ] || ! grep -q '^Done [0-9]* runs' "$log"; then
        status="FAILED"
        failures=$((failures + 1))
        mkdir -p "$here/regressions/$t"
        for f in $found; do
            cp "$f" "$here/regressions/$t/"
            echo "fuzz: $t: kept $(basename "$f") as tests/fuzz/regressions/$t/$(basename "$f"); base64:" >&2
            base64 -w 76 "$f" >&2
        done
        grep -E -A 30 'ERROR: |runtime error|invariant broken|deadly signal' "$log" | head -n 60 >&2
    fi

    # Line coverage of the sources under test, from the corpus reached.
    rm -f "$out"/cov-"$t"-*.profraw
    LLVM_PROFILE_FILE="$out/cov-$t-%p.profraw" "$out/cov-$t" -runs=0 -close_fd_mask=3 -max_len="${max_len[$t]}" \
        "$out/corpus/$t" "$here/corpus/$t" > "$out/cov-run-$t.log" 2>&1 < /dev/null
    lines="n/a"
    if llvm-profdata merge -sparse "$out"/cov-"$t"-*.profraw -o "$out/cov-$t.profdata" 2>/dev/null; then
        srcs=()
        for s in ${covered[$t]}; do srcs+=("$top/$s"); done
        lines=$(llvm-cov report "$out/cov-$t" -instr-profile="$out/cov-$t.profdata" "${srcs[@]}" 2>/dev/null |
                awk '/^\// || /^[a-z]/ { if ($1 != "Filename" && $1 != "TOTAL") { n = split($1, p, "/"); f = p[n] } }
                     $1 == "TOTAL" { next }
                     NF >= 10 && $1 != "Filename" { printf "%s%s %s", sep, f, $(NF-3); sep = ", " }')
    fi
    printf '%-16s %12s %10s %8s %8s %7s  %s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$lines" "$status"
done

echo
if [ "$failures" -eq 0 ]; then
    echo "fuzz: ${#targets[@]} targets, no findings"
else
    echo "fuzz: $failures target(s) failed"
fi
[ "$failures" -eq 0 ]
