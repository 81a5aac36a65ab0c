#!/usr/bin/env python3
"""The shape rules of sandbox/, as TAP: every function at most 60 lines,
no call cycle between files, each file its own header, and a parser whose
handlers never match option names.

usage: check.py SOURCE_ROOT CORE_ARCHIVE   (the archive: libnestbox-core.a)
"""
import glob
import os
import re
import subprocess
import sys

MAX_FUNCTION_LINES = 60
count = 0
failed = 0


def ok(cond, what, details=()):
    global count, failed
    count += 1
    failed += not cond
    print(("ok" if cond else "not ok") + f" {count} - {what}")
    for line in details:
        print(f"#   {line}")


def functions(path):
    """(name, lines) of each function defined at the top level of path:
    from the line that names it to its closing brace, both counted."""
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("{") or i == 0:
            continue
        start = i - 1
        while start > 0 and not re.match(r"^\w[\w\s\*]*\(", lines[start]) \
                and not re.match(r"^(\w+)\s*\(", lines[start]):
            start -= 1
        name = re.search(r"(\w+)\s*\(", lines[start])
        end = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("}")), len(lines) - 1)
        if name and not lines[i - 1].rstrip().endswith("="):
            yield name.group(1), end - start + 1


def check_function_lengths(root):
    long_ones = []
    for path in sorted(glob.glob(os.path.join(root, "sandbox", "*.c"))):
        for name, n in functions(path):
            if n > MAX_FUNCTION_LINES:
                long_ones.append(f"{os.path.basename(path)}: {name} has {n} lines")
    ok(not long_ones, f"no function in sandbox/ is longer than {MAX_FUNCTION_LINES} lines", long_ones)


def calls_between_files(archive):
    """{file: set of files whose functions or data it uses}, from nm."""
    out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True, check=True).stdout
    defined, used = {}, {}
    for line in out.splitlines():
        where, _, rest = line.rpartition(":")
        member = re.sub(r"^sandbox_|\.c\.o$", "", os.path.basename(where.split(":")[-1]))
        parts = rest.split()
        used.setdefault(member, set())
        if len(parts) == 3 and parts[1] in "TDBR":
            defined[parts[2]] = member
        elif len(parts) == 2 and parts[0] == "U":
            used[member].add(parts[1])
    return {f: {defined[s] for s in syms if defined.get(s, f) != f} for f, syms in used.items()}


def cycles(edges):
    """The strongly connected groups of more than one file (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return groups


def check_no_cycles(archive):
    edges = calls_between_files(archive)
    found = cycles(edges)
    ok(len(edges) > 20, f"read the calls between {len(edges)} files of the core library")
    ok(not found, "no call cycle between sandbox/ files", [" <-> ".join(g) for g in found])


def check_headers(root):
    missing = [os.path.basename(c) for c in sorted(glob.glob(os.path.join(root, "sandbox", "*.c")))
               if os.path.basename(c) != "main.c" and not os.path.exists(c[:-2] + ".h")]
    ok(not missing, "every sandbox/ file but main.c has its own header", missing)


def check_parser_handlers(root):
    text = open(os.path.join(root, "sandbox", "cli_options.c")).read()
    matches = re.findall(r"str(?:n?case)?(?:n?cmp|str)\s*\([^;]*\b(?:def->name|n)\b[^;]*;", text)
    ok(not matches, "no option handler matches its option's name", matches)


def main():
    root, archive = sys.argv[1], sys.argv[2]
    check_function_lengths(root)
    check_no_cycles(archive)
    check_headers(root)
    check_parser_handlers(root)
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
