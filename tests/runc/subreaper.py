#!/usr/bin/env python3
"""What buildah and conmon do with a runtime: as a child subreaper, run
`create --pid-file`, then `start`, then wait for the pid of the pid file
as their own child and take the command's exit status from that wait.

usage: subreaper.py RUNC ROOT BUNDLE ID
Prints "exit N" (or "signal N"), or "no child: ERROR" when the wait fails.
"""
import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36
runc, root, bundle, cid = sys.argv[1:]
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("prctl: " + os.strerror(ctypes.get_errno()))
pid_file = os.path.join(bundle, cid + ".pid")
subprocess.run([runc, "--root", root, "create", "--bundle", bundle, "--pid-file", pid_file, cid],
               stdin=subprocess.DEVNULL, check=True)
pid = int(open(pid_file).read())
subprocess.run([runc, "--root", root, "start", cid], check=True)
try:
    _, status = os.waitpid(pid, 0)
except ChildProcessError as e:
    print("no child:", e)
    sys.exit(0)
if os.WIFEXITED(status):
    print("exit", os.WEXITSTATUS(status))
else:
    print("signal", os.WTERMSIG(status))
