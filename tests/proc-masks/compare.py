#!/usr/bin/python3
"""nestbox's /proc masks against the container runtimes' defaults (TAP).

   compare.py SOURCE_ROOT [NESTBOX]     (NESTBOX may also come from the env)

1. Every /proc entry that a runtime in runtimes.txt masks must be masked
   by sandbox/proc-masks.def; every /proc entry a runtime makes read-only
   must be read-only or masked there (masked is the stricter of the two).
   A failure names the runtime, its version and the entry.  Entries outside
   /proc (/sys/firmware, ...) are listed as comments only: nestbox's
   --proc masks the procfs it mounts, nothing else.
2. sandbox/proc.c builds its lists from proc-masks.def and spells none of
   the entries itself.
3. A sandbox with --proc shows the masks and read-only mounts of the data
   file (--proc-policy oci, the default) and of bubblewrap's set
   (--proc-policy bwrap).
"""
import os
import re
import subprocess
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
NESTBOX = sys.argv[2] if len(sys.argv) > 2 else os.environ.get('NESTBOX')
DEF = os.path.join(ROOT, 'sandbox', 'proc-masks.def')
PROC_C = os.path.join(ROOT, 'sandbox', 'proc.c')
RUNTIMES = os.path.join(ROOT, 'tests', 'proc-masks', 'runtimes.txt')

count = 0
failed = 0


def point(good, desc):
    global count, failed
    count += 1
    if not good:
        failed += 1
    print(('ok' if good else 'not ok') + ' %d - %s' % (count, desc))


def skip(desc, why):
    global count
    count += 1
    print('ok %d - %s # SKIP %s' % (count, desc, why))


def read_def():
    """{'MASK': [...], 'READONLY': [...], 'BWRAP_READONLY': [...]} in file order."""
    lists = {'MASK': [], 'READONLY': [], 'BWRAP_READONLY': []}
    with open(DEF) as f:
        for line in f:
            m = re.match(r'\s*(MASK|READONLY|BWRAP_READONLY)\s*\(\s*"([^"]+)"\s*\)', line)
            if m:
                lists[m.group(1)].append(m.group(2))
    return lists


def read_runtimes():
    rows = []
    with open(RUNTIMES) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) != 4 or fields[2] not in ('masked', 'readonly'):
                sys.exit('%s:%d: want "runtime version masked|readonly path": %s' % (RUNTIMES, n, line))
            rows.append(tuple(fields))
    return rows


def compare(lists, rows):
    masked, readonly = set(lists['MASK']), set(lists['READONLY'])
    outside = []
    for runtime, version, kind, path in rows:
        who = '%s %s' % (runtime, version)
        if not path.startswith('/proc/'):
            outside.append('%s %s %s' % (who, kind, path))
            continue
        entry = path[len('/proc/'):]
        if kind == 'masked':
            point(entry in masked, '%s masks %s: proc-masks.def has MASK("%s")' % (who, path, entry))
        elif entry in readonly:
            point(True, '%s makes %s read-only: proc-masks.def has READONLY("%s")' % (who, path, entry))
        else:
            point(entry in masked, '%s makes %s read-only: proc-masks.def has READONLY("%s") or MASK("%s")'
                  % (who, path, entry, entry))
    print('# Outside /proc, not compared: nestbox\'s --proc masks only the procfs it mounts;')
    print('# /sys is whatever the command line binds there (--ro-bind, --tmpfs).')
    for line in outside:
        print('#   ' + line)


def check_c_side(lists):
    with open(PROC_C) as f:
        src = f.read()
    code = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    for macro, array in (('MASK', 'oci_masked'), ('READONLY', 'oci_readonly'),
                         ('BWRAP_READONLY', 'bwrap_readonly')):
        pattern = (r'%s\[\]\s*=\s*\{\s*#define\s+%s\(entry\)\s+entry,\s*#include\s+"proc-masks.def"\s*NULL,\s*\};'
                   % (array, macro))
        point(re.search(pattern, code) is not None,
              'proc.c builds %s from the %s lines of proc-masks.def and nothing else' % (array, macro))
    literals = set(re.findall(r'"([^"\\]*)"', code))
    own = sorted(literals & set(sum(lists.values(), [])))
    point(not own, 'proc.c spells no /proc entry of its own' + (': ' + ', '.join(own) if own else ''))


def sandbox(policy, script):
    args = [NESTBOX, '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/bin', '/bin',
            '--symlink', 'usr/sbin', '/sbin', '--dev-bind', '/dev/null', '/dev/null']
    if os.path.exists('/usr/lib64'):
        args += ['--symlink', 'usr/lib64', '/lib64']
    args += ['--unshare-user', '--uid', '0', '--gid', '0', '--unshare-pid', '--proc', '/proc']
    if policy:
        args += ['--proc-policy', policy]
    return subprocess.run(args + ['sh', '-c', script], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)


def mounts(mountinfo):
    """{mount point: per-mount options}, the last mount on a point winning."""
    result = {}
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 5:
            result[fields[4]] = fields[5].split(',')
    return result


def check_behaviour(lists):
    desc = 'a sandbox shows the masks of proc-masks.def'
    if not NESTBOX:
        skip(desc, 'NESTBOX is not set')
        return
    control = sandbox(None, 'true')
    if control.returncode != 0:
        skip(desc, 'nestbox cannot start a sandbox with --proc here: ' + control.stderr.strip().replace('\n', ' '))
        return
    present = [e for e in lists['MASK'] if os.path.lexists('/proc/' + e)]
    files = [e for e in present if not os.path.isdir('/proc/' + e)]
    dirs = [e for e in present if os.path.isdir('/proc/' + e)]
    # Each masked file reads as empty, each masked directory lists nothing.
    script = 'cat /proc/self/mountinfo; echo ==='
    for e in files:
        script += '; printf "%%s %%s\\n" %s "$(head -c 64 /proc/%s 2>/dev/null | wc -c)"' % (e, e)
    for e in dirs:
        script += '; printf "%%s %%s\\n" %s "$(ls -A /proc/%s 2>/dev/null | wc -l)"' % (e, e)
    run = sandbox(None, script)
    if run.returncode != 0 or '===' not in run.stdout:
        point(False, desc + ': the sandbox failed: ' + run.stderr.strip().replace('\n', ' '))
        return
    info, sizes = run.stdout.split('===', 1)
    table = mounts(info)
    seen = dict(line.split() for line in sizes.strip().splitlines())
    for e in present:
        what = 'file reads empty' if e in files else 'directory is empty'
        point(seen.get(e) == '0' and 'ro' in table.get('/proc/' + e, []),
              'oci: /proc/%s is masked (a read-only mount; the %s)' % (e, what))
    absent = sorted(set(lists['MASK']) - set(present))
    if absent:
        print('# not on this kernel, so nothing to mask: ' + ', '.join('/proc/' + e for e in absent))
    for e in lists['READONLY']:
        if os.path.lexists('/proc/' + e):
            point('ro' in table.get('/proc/' + e, []), 'oci: /proc/%s is a read-only mount' % e)

    run = sandbox('bwrap', 'cat /proc/self/mountinfo')
    table = mounts(run.stdout)
    for e in lists['BWRAP_READONLY']:
        if os.path.lexists('/proc/' + e):
            point('ro' in table.get('/proc/' + e, []), 'bwrap: /proc/%s is a read-only mount' % e)
    hidden = [e for e in lists['MASK'] if '/proc/' + e in table]
    point(run.returncode == 0 and not hidden,
          'bwrap: nothing is masked' + (': ' + ', '.join(hidden) if hidden else ''))


def main():
    lists = read_def()
    point(all(lists.values()), 'proc-masks.def lists masked, read-only and bubblewrap entries (%d, %d, %d)'
          % tuple(len(v) for v in lists.values()))
    compare(lists, read_runtimes())
    check_c_side(lists)
    check_behaviour(lists)
    print('1..%d' % count)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
