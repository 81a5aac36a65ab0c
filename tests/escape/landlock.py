"""Attacks that only Landlock stops (tests/escape/landlock.sh).

Run inside a sandbox: python3 landlock.py ATTACK ARGS...  Each prints one
line, "stopped: ..." (exit 0) or "ESCAPED: ..." (exit 1).
"""
import ctypes
import errno
import os
import signal
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_BIND = 4096


def stopped(what, err):
    print("stopped: %s: %s" % (what, errno.errorcode.get(err, str(err))))
    sys.exit(0)


def escaped(what):
    print("ESCAPED: " + what)
    sys.exit(1)


def read_through_fd(fd, name):
    """An fd of a host directory outside every bind: read a file there."""
    try:
        f = os.open(name, os.O_RDONLY, dir_fd=int(fd))
        data = os.read(f, 100)
    except OSError as e:
        stopped("openat(%s, %s) for reading" % (fd, name), e.errno)
    escaped("read %r through the inherited fd %s" % (data.strip(), fd))


def write_through_fd(fd, name):
    """An fd of the source of a read-only bind: create a file in it."""
    try:
        f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=int(fd))
        os.write(f, b"written from the sandbox\n")
    except OSError as e:
        stopped("openat(%s, %s, O_CREAT) below a read-only bind's source" % (fd, name), e.errno)
    escaped("created %s through the inherited fd %s" % (name, fd))


def connect_abstract(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect("\0" + name)
    except OSError as e:
        stopped("connect to the caller's abstract socket @" + name, e.errno)
    escaped("connected to the caller's abstract socket @" + name)


def signal_caller(pid):
    try:
        os.kill(int(pid), signal.SIGTERM)
    except OSError as e:
        stopped("kill(%s, SIGTERM) of a caller's process" % pid, e.errno)
    escaped("SIGTERM delivered to the caller's process %s" % pid)


def enter_user_and_mount_namespace():
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
        return ctypes.get_errno()
    for name, text in (("setgroups", "deny"), ("uid_map", "0 %d 1" % uid), ("gid_map", "0 %d 1" % gid)):
        with open("/proc/self/" + name, "w") as f:
            f.write(text)
    return 0


def nested_mount(source, target):
    """In a mount namespace of its own, bind a path to a new place."""
    err = enter_user_and_mount_namespace()
    if err:
        stopped("unshare(CLONE_NEWUSER|CLONE_NEWNS)", err)
    os.makedirs(target, exist_ok=True)
    if libc.mount(source.encode(), target.encode(), None, MS_BIND, None) != 0:
        stopped("mount --bind %s %s in a nested mount namespace" % (source, target), ctypes.get_errno())
    escaped("bound %s on %s in a nested mount namespace (%s)" % (source, target, ", ".join(sorted(os.listdir(target)))))


ATTACKS = {
    "read-fd": read_through_fd,
    "write-fd": write_through_fd,
    "abstract": connect_abstract,
    "signal": signal_caller,
    "nested-mount": nested_mount,
}

if __name__ == "__main__":
    ATTACKS[sys.argv[1]](*sys.argv[2:])
