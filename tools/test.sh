#!/bin/bash
# Set up, build and run the whole test suite: nestbox's own tests (as the
# caller and as an unprivileged user) and bubblewrap's test suite from
# Debian's source package, run against nestbox through a `bwrap` symlink.
# Run as root on a fresh Debian 12 machine.  Ends with "N passed, N failed".
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

# One closing line over every test point (TAP subtests included).
python3 tools/count_tests.py build/meson-logs/testlog.json
exit $status
