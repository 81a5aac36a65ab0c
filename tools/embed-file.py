#!/usr/bin/env python3
"""Turn a file into a C source that holds its bytes.

Usage: embed-file.py INPUT OUTPUT NAME

OUTPUT defines `const char NAME[]`, the bytes of INPUT followed by a NUL
(so that text can be used as a C string), and `const size_t NAME_size`,
the number of bytes without that NUL.  A byte array rather than a string
literal: no escaping rules to get wrong, and no limit on literal length.
"""

import sys


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: embed-file.py INPUT OUTPUT NAME\n")
        return 2
    source, target, name = argv[1:]
    with open(source, "rb") as f:
        data = f.read()
    if b"\0" in data:
        sys.stderr.write("embed-file.py: %s has a NUL byte; it would cut the text short\n" % source)
        return 1
    lines = []
    for start in range(0, len(data), 12):
        chunk = data[start:start + 12]
        lines.append("  " + " ".join("0x%02x," % b for b in chunk))
    with open(target, "w") as out:
        out.write("/* Generated at build time by tools/embed-file.py from %s: edit that file. */\n"
                  % source.rsplit("/", 1)[-1])
        out.write("#include <stddef.h>\n\n")
        out.write("extern const char %s[];\n" % name)
        out.write("extern const size_t %s_size;\n\n" % name)
        out.write("const char %s[] = {\n" % name)
        out.write("\n".join(lines))
        out.write("\n  0x00\n};\n")
        out.write("const size_t %s_size = %d;\n" % (name, len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
