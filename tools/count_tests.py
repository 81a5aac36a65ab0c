#!/usr/bin/env python3
"""Count every test point in a meson testlog.json: TAP subtests one by one,
a runner's own "N passed, N failed, N skipped" line (bubblewrap's suite),
and any other test as one.  Prints the closing line CI reads."""
import json
import re
import sys

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.M)
POINT = re.compile(r"^(ok|not ok) \d+(.*)$", re.M)


def count_test(result, out):
    """(passed, failed, skipped) of one test, from its result and output."""
    summary = SUMMARY.search(out)
    if summary:
        failed = int(summary.group(2))
        # A runner that said 0 failed and still failed counts once.
        if result not in ("OK", "SKIP") and failed == 0:
            failed = 1
        return int(summary.group(1)), failed, int(summary.group(3))
    if result == "SKIP":
        return 0, 0, 1
    points = POINT.findall(out)
    if not points:
        return (1, 0, 0) if result == "OK" else (0, 1, 0)
    passed = sum(1 for kind, rest in points if kind == "ok" and "# SKIP" not in rest)
    skipped = sum(1 for kind, rest in points if kind == "ok" and "# SKIP" in rest)
    failed = sum(1 for kind, _ in points if kind == "not ok")
    if result != "OK" and failed == 0:
        failed = 1  # a suite that died without a failing point
    return passed, failed, skipped


def count_log(path, extra_output=lambda t: ""):
    """Totals over a testlog.json; extra_output(t) adds to what is read."""
    totals = [0, 0, 0]
    for line in open(path):
        t = json.loads(line)
        out = (t.get("stdout") or "") + extra_output(t)
        for i, n in enumerate(count_test(t["result"], out)):
            totals[i] += n
    return totals


if __name__ == "__main__":
    passed, failed, skipped = count_log(sys.argv[1])
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
