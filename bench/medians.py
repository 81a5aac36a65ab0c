"""Medians of hyperfine's JSON exports, and ratios between commands.

python3 bench/medians.py DIR [A/B ...]: every DIR/r*.json is read (rounds
of the same commands); each command's median over all rounds is printed,
then for each A/B the ratio of A's median to B's with the difference.
"""
import glob
import json
import statistics
import sys

times = {}
for path in glob.glob(sys.argv[1] + "/r*.json"):
    for result in json.load(open(path))["results"]:
        times.setdefault(result["command"], []).extend(result["times"])
median = {name: statistics.median(t) for name, t in times.items()}
for name in sorted(median):
    print(f"{name:<16} {median[name] * 1000:7.3f} ms  ({len(times[name])} runs)")
for pair in sys.argv[2:]:
    a, b = pair.split("/")
    if a in median and b in median:
        print(f"{pair:<24} {median[a] / median[b]:.3f}x ({(median[a] - median[b]) * 1e6:+.0f} us)")
