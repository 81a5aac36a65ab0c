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
python3 - build/meson-logs/testlog.json <<'PY'
import json, re, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    points = re.findall(r"^(ok|not ok) \d+.*$", out, re.M)
    summary = re.search(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", out, re.M)
    if summary:   # a runner with its own count (bubblewrap's suite)
        passed += int(summary.group(1))
        failed += int(summary.group(2)) + (t["result"] not in ("OK", "SKIP") and summary.group(2) == "0")
        skipped += int(summary.group(3))
    elif t["result"] == "SKIP":
        skipped += 1
    elif not points:
        passed += t["result"] == "OK"
        failed += t["result"] != "OK"
    else:
        for p in re.finditer(r"^(ok|not ok) \d+(.*)$", out, re.M):
            if p.group(1) == "not ok":
                failed += 1
            elif "# SKIP" in p.group(2):
                skipped += 1
            else:
                passed += 1
        if t["result"] != "OK" and not re.search(r"^not ok", out, re.M):
            failed += 1   # a suite that died without a failing point
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
