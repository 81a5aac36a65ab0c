#!/usr/bin/env python3
"""The one place test results are counted.  Every test point of a meson
testlog.json: TAP subtests one by one, a runner's own "N passed, N failed,
N skipped" line (bubblewrap's suite), and any other test as one.  Prints the
closing line CI reads.

  count_tests.py TESTLOG                    the first pass (tools/test.sh)
  count_tests.py --sanitizers TESTLOG FUZZLOG N_REPORTS
                                            the sanitizer pass: also one point
                                            per fuzz target, and a failure per
                                            sanitizer report
  count_tests.py --sum LINE...              the total of several closing lines
"""
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


SANITIZER_REPORT = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: |SUMMARY: UndefinedBehaviorSanitizer")
FUZZ_ROW = re.compile(r"^(\w+)\s+(\d+|BUILD FAILED|REGRESSION|not run)\s")


def count_sanitizer_pass(testlog, fuzz_log, n_reports):
    """The sanitizer pass: tests whose output (stderr too) holds a report
    fail once more; each fuzz target's table line is one point."""
    flagged = []

    def scan(t):
        if SANITIZER_REPORT.search((t.get("stdout") or "") + (t.get("stderr") or "")):
            flagged.append(t["name"])
        return t.get("stderr") or ""

    passed, failed, skipped = count_log(testlog, scan)
    for line in open(fuzz_log):
        m = FUZZ_ROW.match(line)
        if m and m.group(1) != "target":
            if m.group(2).isdigit() and "FAILED" not in line:
                passed += 1
            else:
                failed += 1
    for name in flagged:
        print(f"test-sanitizers: a sanitizer report in the output of: {name}", file=sys.stderr)
    return passed, failed + len(flagged) + n_reports, skipped


def sum_lines(lines):
    totals = [0, 0, 0]
    for line in lines:
        m = SUMMARY.search(line)
        if not m:
            return None
        totals = [a + int(b) for a, b in zip(totals, m.groups())]
    return totals


def main(argv):
    if argv[:1] == ["--sanitizers"] and len(argv) == 4:
        counts = count_sanitizer_pass(argv[1], argv[2], int(argv[3]))
    elif argv[:1] == ["--sum"]:
        counts = sum_lines(argv[1:])
        if counts is None:
            print("count_tests: not a closing line among the arguments", file=sys.stderr)
            return 2
    elif len(argv) == 1:
        counts = count_log(argv[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print("%d passed, %d failed, %d skipped" % tuple(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
