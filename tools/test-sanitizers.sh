#!/bin/bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan/), then every fuzz target for a bounded time (tests/fuzz/run.sh).
# Run as root on a Debian 12 machine, like tools/test.sh.  Ends with
# "N passed, N failed": a sanitizer report anywhere is a failure, even in a
# test that otherwise passed.
#
#   tools/test-sanitizers.sh [FUZZ_SECONDS]     (default 60 per target; 0: no fuzzing)
set -uo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${1:-60}
started=$(date +%s)

tools/install-deps.sh || exit 1

# meson's own sanitizer option.  -Db_lundef=false: with -fsanitize the
# runtime's symbols are resolved at load time, which -Wl,--no-undefined
# refuses.
if [ ! -f build-asan/build.ninja ]; then
    meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
        -Dselinux_module=true || exit 1
fi
meson compile -C build-asan || exit 1

# Reports go to files as well as stderr: a test that hides nestbox's stderr
# (2>/dev/null) would hide them, and a sanitizer exit code could pass for
# nestbox's own exit 1 with the default exitcode=1.  The directory must be
# writable by the unprivileged test user too.  A report raised inside a
# sandbox after its root changed cannot reach that path; it is then printed
# on stderr and the process dies with the sanitizer's exit code.
reports=$(mktemp -d /tmp/nestbox-sanitizer-reports.XXXXXX)
chmod 1777 "$reports"
# detect_leaks: the monitor returns from main, so its heap is checked at
# exit; every other process of nestbox leaves through exec or _exit, where
# nothing is checked.  The parsers' paths are leak-checked by the fuzz
# replays (tests/fuzz).
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=86:log_path=$reports/asan:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87:log_path=$reports/ubsan"
export LSAN_OPTIONS="exitcode=86:suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"

# bubblewrap's own suite too, fetched as tools/test.sh does.
BWRAP_SUITE_DIR=${BWRAP_SUITE_DIR:-/var/tmp/nestbox-bwrap-suite}
if src=$(tests/bwrap-suite/fetch-debian-source.sh "$BWRAP_SUITE_DIR" | tail -n 1); then
    export BWRAP_SUITE_SRC=$src BWRAP_SUITE_BUILD=$BWRAP_SUITE_DIR/build
else
    echo "test-sanitizers: could not fetch bubblewrap's Debian source; its suite will fail" >&2
fi

# The SELinux tests boot qemu guests to load the policy module, which is
# the same in both builds; the first pass runs them (about 7 minutes saved).
meson test -C build-asan --print-errorlogs --no-rebuild --no-suite selinux
suite_status=$?
suite_done=$(date +%s)

fuzz_status=0
fuzz_log=build-asan/fuzz.log
if [ "$fuzz_seconds" -gt 0 ]; then
    # The fuzzers set their own sanitizer options.
    env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LSAN_OPTIONS tests/fuzz/run.sh "$fuzz_seconds" 2>&1 | tee "$fuzz_log"
    fuzz_status=${PIPESTATUS[0]}
else
    : > "$fuzz_log"
fi

n_reports=0
for f in "$reports"/*; do
    [ -e "$f" ] || continue
    # LeakSanitizer also writes a file that only lists the suppressions
    # used (tests/fuzz/lsan.supp): that is no report.
    grep -qE 'ERROR: |runtime error: |SUMMARY: ' "$f" || continue
    n_reports=$((n_reports + 1))
    echo "---- sanitizer report $f" >&2
    cat "$f" >&2
done
rm -rf "$reports"

python3 tools/count_tests.py --sanitizers build-asan/meson-logs/testlog.json "$fuzz_log" "$n_reports"
echo "test-sanitizers: suite $((suite_done - started)) s, fuzzing $(( $(date +%s) - suite_done )) s"
[ "$suite_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ] && [ "$n_reports" -eq 0 ]
