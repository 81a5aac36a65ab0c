#!/bin/bash
# Every C file of sandbox/ and tests/ is formatted as .clang-format says:
# one TAP point per file, and the formatter's diff for a file that is not.
#   format.sh SOURCE_ROOT
set -uo pipefail
root=$1
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

if ! command -v clang-format >/dev/null; then
    echo "1..0 # SKIP clang-format is not installed (tools/install-deps.sh installs it)"
    exit 0
fi
cd "$root" || exit 1
for f in sandbox/*.[ch] tests/*.c tests/fuzz/*.[ch]; do
    if diff=$(clang-format --style=file "$f" | diff -u "$f" -); then
        ok "$f is formatted"
    else
        not_ok "$f is not formatted (clang-format -i $f):"
        sed 's/^/#   /' <<<"$diff" | head -n 40
    fi
done
done_testing
