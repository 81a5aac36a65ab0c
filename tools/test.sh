#!/bin/bash
# Set up, build and run the whole test suite: nestbox's own tests (as the
# caller and as an unprivileged user) and bubblewrap's test suite from
# Debian's source package, run against nestbox through a `bwrap` symlink;
# then all of it again under AddressSanitizer and UndefinedBehaviorSanitizer,
# and every fuzz target for a bounded time (tools/test-sanitizers.sh).
# Run as root on a fresh Debian 12 machine.  Ends with one line,
# "N passed, N failed, N skipped", over both passes.
#
#   NESTBOX_SANITIZERS=0 tools/test.sh     the first pass only (~10 min less)
set -uo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh || exit 1
tools/build.sh || exit 1

# bubblewrap's own suite, the compatibility yardstick.
BWRAP_SUITE_DIR=${BWRAP_SUITE_DIR:-/var/tmp/nestbox-bwrap-suite}
if src=$(tests/bwrap-suite/fetch-debian-source.sh "$BWRAP_SUITE_DIR" | tail -n 1); then
    export BWRAP_SUITE_SRC=$src BWRAP_SUITE_BUILD=$BWRAP_SUITE_DIR/build
else
    echo "test: could not fetch bubblewrap's Debian source; its suite will fail" >&2
fi

meson test -C build --print-errorlogs --no-rebuild
status=$?
counts=$(python3 tools/count_tests.py build/meson-logs/testlog.json)
echo "test: first pass (build/): $counts"

if [ "${NESTBOX_SANITIZERS:-1}" != 0 ]; then
    sanitizer_log=$(mktemp)
    tools/test-sanitizers.sh 2>&1 | tee "$sanitizer_log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    sanitizer_counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$sanitizer_log" | tail -n 1)
    rm -f "$sanitizer_log"
    if [ -z "$sanitizer_counts" ]; then
        echo "test: the sanitizer pass printed no count" >&2
        sanitizer_counts="0 passed, 1 failed, 0 skipped"
        status=1
    fi
    echo "test: sanitizer pass (build-asan/): $sanitizer_counts"
    counts=$(python3 tools/count_tests.py --sum "$counts" "$sanitizer_counts")
fi

# One closing line over every test point (TAP subtests included).
echo "$counts"
exit $status
