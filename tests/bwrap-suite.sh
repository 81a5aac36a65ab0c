#!/bin/bash
# bubblewrap's own test suite against nestbox, for meson.  The source tree
# comes from BWRAP_SUITE_SRC (tools/test.sh fetches Debian's source
# package and builds its test helpers in BWRAP_SUITE_BUILD).
# Usage: bwrap-suite.sh [--as-user]
set -eu
if [ -z "${BWRAP_SUITE_SRC:-}" ] || [ ! -f "$BWRAP_SUITE_SRC/tests/test-run.sh" ]; then
    echo "BWRAP_SUITE_SRC does not name a bubblewrap source tree: run tools/test.sh, which fetches one" >&2
    exit 77
fi
args=("$NESTBOX" "$BWRAP_SUITE_SRC" "${BWRAP_SUITE_BUILD:-$BWRAP_SUITE_SRC/build}")
if [ "${1:-}" = --as-user ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "already unprivileged: the caller run covers it" >&2
        exit 77
    fi
    args+=(--as-user nestbox-tester)
fi
exec bash "$(dirname "$0")/bwrap-suite/run.sh" "${args[@]}"
