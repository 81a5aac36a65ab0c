"""Attacks on nestbox's own processes from inside the sandbox: pid 1 (the
reaper) and the monitor.  Run as `python3 /walls.py NAME ARGS...` inside a
sandbox; prints one line and exits 0 when the attack was stopped (the line
says by what), 1 when it ESCAPED, 2 when it could not run at all, like
attack.py of escape.sh.

TARGET is a pid, or "ppid" for our parent (the reaper without a pid
namespace, the monitor without a reaper)."""
import ctypes
import errno
import os
import platform
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long

PTRACE_PEEKTEXT, PTRACE_POKEDATA, PTRACE_CONT = 1, 5, 7
PTRACE_SINGLESTEP, PTRACE_GETREGS, PTRACE_SETREGS = 9, 12, 13
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
WALL = 0x40000000
TIOCSTI = 0x5412


def stopped(msg):
    print("stopped: " + msg)
    sys.exit(0)


def escaped(msg):
    print("ESCAPED: " + msg)
    sys.exit(1)


def broken(msg):
    print("cannot run: " + msg)
    sys.exit(2)


def ename(e):
    return errno.errorcode.get(e, str(e))


def target_pid(target):
    return os.getppid() if target == "ppid" else int(target)


def ptrace(req, pid, addr=0, data=0):
    ctypes.set_errno(0)
    r = libc.ptrace(req, pid, ctypes.c_void_p(addr), ctypes.c_void_p(data))
    return r, ctypes.get_errno()


def attach(pid):
    """0 once pid is attached and stopped, else the errno."""
    r, e = ptrace(PTRACE_ATTACH, pid)
    if r != 0:
        return e
    os.waitpid(pid, WALL)
    return 0


def detach(pid):
    ptrace(PTRACE_DETACH, pid)


def reach(target, secret=""):
    """PTRACE_ATTACH, /proc/PID/mem and the caller's environment in
    /proc/PID/environ: every way to act through or read the target."""
    pid = target_pid(target)
    e = attach(pid)
    if e == 0:
        detach(pid)
        escaped("attached to pid %d (nestbox's)" % pid)
    notes = ["PTRACE_ATTACH %d: %s" % (pid, ename(e))]
    try:
        # Read-only: a read-only bind of /proc must not hide the check.
        os.close(os.open("/proc/%d/mem" % pid, os.O_RDONLY))
        escaped("/proc/%d/mem is open" % pid)
    except OSError as ex:
        notes.append("mem: " + ename(ex.errno))
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            env = f.read()
        if secret and secret.encode() in env:
            escaped("/proc/%d/environ shows the caller's %s" % (pid, secret))
        notes.append("environ: no %s in it" % (secret or "secret"))
    except OSError as ex:
        notes.append("environ: " + ename(ex.errno))
    stopped(", ".join(notes))


class Regs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_ulonglong) for n in (
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
        "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base",
        "gs_base", "ds", "es", "fs", "gs")]


def syscall_in(pid, saved, nr, *args):
    """Make the stopped pid run one system call at the `syscall`
    instruction it is blocked behind; -errno or the result."""
    regs = Regs.from_buffer_copy(saved)
    regs.rip = saved.rip - 2
    regs.orig_rax = (1 << 64) - 1           # no restart of the interrupted call
    regs.rax = nr
    for name, value in zip(("rdi", "rsi", "rdx"), args):
        setattr(regs, name, value)
    ptrace(PTRACE_SETREGS, pid, 0, ctypes.addressof(regs))
    ptrace(PTRACE_SINGLESTEP, pid)
    os.waitpid(pid, WALL)
    ptrace(PTRACE_GETREGS, pid, 0, ctypes.addressof(regs))
    return ctypes.c_longlong(regs.rax).value


def inject_tiocsti(target):
    """Attach to the target and make it push a character into the terminal
    on its fds 0-2 (the caller's terminal, unless it left the session)."""
    if platform.machine() != "x86_64":
        broken("the injection is written for x86_64 registers")
    pid = target_pid(target)
    e = attach(pid)
    if e != 0:
        stopped("PTRACE_ATTACH %d: %s" % (pid, ename(e)))
    saved = Regs()
    ptrace(PTRACE_GETREGS, pid, 0, ctypes.addressof(saved))
    word, _ = ptrace(PTRACE_PEEKTEXT, pid, saved.rip - 2)
    if word & 0xffff != 0x050f:
        detach(pid)
        broken("pid %d is not blocked in a system call" % pid)
    scratch = (saved.rsp - 512) & ~7
    old, _ = ptrace(PTRACE_PEEKTEXT, pid, scratch)
    ptrace(PTRACE_POKEDATA, pid, scratch, (old & ~0xff) | ord("X"))
    results = [syscall_in(pid, saved, 16, fd, TIOCSTI, scratch) for fd in (0, 1, 2)]
    ptrace(PTRACE_POKEDATA, pid, scratch, old)
    ptrace(PTRACE_SETREGS, pid, 0, ctypes.addressof(saved))
    detach(pid)
    if 0 in results:
        escaped("pid %d pushed input into its terminal (TIOCSTI)" % pid)
    stopped("attached, but pid %d's TIOCSTI failed: %s" % (pid, ", ".join(ename(-r) for r in results)))


def session(target):
    """The target's session id (field 6 of /proc/PID/stat)."""
    with open("/proc/%d/stat" % target_pid(target)) as f:
        print(f.read().rsplit(")", 1)[1].split()[3])


def alone(reaper, seen_at_start=None):
    """Whether the command sees a process it did not make: a child of its
    own, or (reaper "1": a pid namespace of the sandbox's) any process but
    pid 1 and itself.  seen_at_start: the /proc/PID paths a shell listed
    the moment it started (python itself starts too late to see a helper
    that is about to be reaped), the shell having exec'ed this script."""
    me = os.getpid()
    with open("/proc/%d/task/%d/children" % (me, me)) as f:
        children = f.read().split()
    if children:
        escaped("the command has children it never made: %s" % " ".join(children))
    if reaper == "1":
        if seen_at_start is None:
            seen = os.listdir("/proc")
        else:
            seen = [p.rsplit("/", 1)[-1] for p in seen_at_start.split()]
        others = sorted(int(p) for p in seen if p.isdigit() and int(p) not in (1, me))
        if others:
            escaped("the command sees processes besides pid 1 and itself: %s" % " ".join(map(str, others)))
    stopped("no process of nestbox's but pid 1 is in sight, and no child")


ATTACKS = {"reach": reach, "inject-tiocsti": inject_tiocsti, "session": session, "alone": alone}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ATTACKS:
        broken("usage: walls.py %s TARGET [ARGS...]" % "|".join(ATTACKS))
    ATTACKS[sys.argv[1]](*sys.argv[2:])
