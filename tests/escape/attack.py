"""The attacks of the escape suite (stdlib and ctypes only).  escape.sh
binds this file into each sandbox as /attack.py.

Inside the sandbox, `python3 /attack.py NAME ARGS...` runs one attack,
prints one line and exits 0 when the attack was stopped (the line says by
what: the errno or what was seen), 1 when it ESCAPED (the line says what
worked), 2 when it could not run at all.  The *-run and *-listen modes are
harnesses that escape.sh runs outside the sandbox."""
import ctypes, errno, os, platform, pty, select, signal, socket, stat, struct, sys, termios, time

libc = ctypes.CDLL(None, use_errno=True)

def stopped(msg):
    print("stopped: " + msg); sys.exit(0)

def escaped(msg):
    print("ESCAPED: " + msg); sys.exit(1)

def broken(msg):
    print("cannot run: " + msg); sys.exit(2)

def ename(e):
    return errno.errorcode.get(e, str(e))

# System call numbers the C library has no wrapper for.
NR = {
    "x86_64": dict(ioctl=16, ptrace=101, clone=56, clone3=435, init_module=175, finit_module=313,
                   delete_module=176, kexec_load=246, kexec_file_load=320, bpf=321,
                   perf_event_open=298, keyctl=250, add_key=248),
    "aarch64": dict(ioctl=29, ptrace=117, clone=220, clone3=435, init_module=105, finit_module=273,
                    delete_module=106, kexec_load=104, kexec_file_load=294, bpf=280,
                    perf_event_open=241, keyctl=219, add_key=217),
}.get(platform.machine())

def call(name, *args):
    """(return value, errno) of a raw system call."""
    if NR is None:
        broken("no system call table for " + platform.machine())
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(NR[name]), *[ctypes.c_ulong(a) if isinstance(a, int) else a for a in args])
    return r, ctypes.get_errno()

def cfunc(name, *args):
    ctypes.set_errno(0)
    r = getattr(libc, name)(*args)
    return r, ctypes.get_errno()

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID = 0x20000, 0x10000000, 0x20000000
MS_RDONLY, MS_REMOUNT, MS_BIND, MNT_DETACH = 1, 32, 4096, 2

# The container runtimes' masked /proc paths (nestbox's --proc-policy oci).
MASKED = ["acpi", "asound", "interrupts", "kcore", "keys", "latency_stats", "timer_list",
          "timer_stats", "sched_debug", "scsi"]

def leaks_of(proc):
    """Masked paths of a procfs at PROC that show something."""
    leaks, present = [], 0
    for name in MASKED:
        p = os.path.join(proc, name)
        if not os.path.lexists(p):
            continue
        present += 1
        try:
            if os.path.isdir(p):
                if os.listdir(p):
                    leaks.append(name)
            else:
                with open(p, "rb") as f:
                    if f.read(64):
                        leaks.append(name)
        except OSError:
            pass  # unreadable for this uid: not a leak either
    return leaks, present

# ---- attacks (inside the sandbox) -------------------------------------------

def terminal(where):
    """An fd number, or a path (/dev/console, /dev/tty) to open."""
    if where.isdigit():
        return int(where)
    try:
        return os.open(where, os.O_RDWR | os.O_NOCTTY)
    except OSError as ex:
        broken("open %s: %s" % (where, ename(ex.errno)))

def tiocsti(where, wide=""):
    """Push characters into the terminal at WHERE (the caller's)."""
    fd = terminal(where)
    cmd = termios.TIOCSTI | ((0x123 << 32) if wide else 0)
    for ch in b"echo INJECTED\n":
        c = ctypes.c_char(bytes([ch]))
        r, e = call("ioctl", fd, cmd, ctypes.byref(c))
        if r != 0:
            stopped("TIOCSTI%s: %s" % (" (64-bit cmd)" if wide else "", ename(e)))
    escaped("TIOCSTI pushed input into the terminal")

def tioclinux(where):
    """TIOCLINUX selection paste (subcode 3) into the terminal at WHERE."""
    arg = ctypes.c_char(b"\x03")
    r, e = call("ioctl", terminal(where), 0x541C, ctypes.byref(arg))
    if r != 0:
        stopped("TIOCLINUX: " + ename(e))
    escaped("TIOCLINUX accepted")

def ptrace(pid):
    r, e = call("ptrace", 16, int(pid), 0, 0)      # PTRACE_ATTACH
    if r == 0:
        call("ptrace", 17, int(pid), 0, 0)         # PTRACE_DETACH
        escaped("attached to outside pid " + pid)
    stopped("PTRACE_ATTACH: " + ename(e))

def signal_outside(pid):
    try:
        os.kill(int(pid), 0)                       # the permission check, no signal
    except OSError as ex:
        stopped("kill: " + ename(ex.errno))
    escaped("may signal outside pid " + pid)

def proc_pids(reversed_marker):
    """Look through /proc for a process whose command line holds the marker
    (given reversed: our own command line must not hold it)."""
    marker = reversed_marker[::-1]
    seen = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        seen += 1
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if marker.encode() in f.read():
                    escaped("outside process visible as /proc/" + d)
        except OSError:
            pass
    if seen == 0:
        broken("no processes in /proc (no --proc?)")
    stopped("%d processes in /proc, none of them the outside one" % seen)

def masked():
    leaks, present = leaks_of("/proc")
    if present == 0:
        broken("no masked path exists in this /proc")
    if leaks:
        escaped("masked /proc paths readable: " + ", ".join(leaks))
    stopped("%d masked paths, all empty" % present)

def proc_write():
    results = []
    for p in ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger"]:
        try:
            fd = os.open(p, os.O_WRONLY)
        except OSError as ex:
            results.append("%s: %s" % (p, ename(ex.errno)))
            continue
        os.close(fd)                               # opened: never write
        escaped(p + " is open for writing")
    stopped("; ".join(results))

def lift_masks(ro_dir=None):
    """Every way to get at what the masks and read-only mounts hide."""
    notes = []
    for name in ["timer_list", "interrupts", "sched_debug", "kcore", "keys"]:
        p = "/proc/" + name
        if not os.path.exists(p):
            continue
        r, e = cfunc("umount2", p.encode(), MNT_DETACH)
        if r == 0:
            leaks, _ = leaks_of("/proc")
            if name in leaks:
                escaped("unmounted the mask on " + p)
        notes.append("umount %s: %s" % (name, "ok, still empty" if r == 0 else ename(e)))
        break
    r, e = cfunc("mount", None, b"/proc/sys", None, MS_REMOUNT | MS_BIND, None)
    if r == 0:
        try:
            os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY))
            escaped("remounted /proc/sys read-write")
        except OSError:
            pass
    notes.append("remount /proc/sys rw: " + ("ok, still not writable" if r == 0 else ename(e)))
    r, e = cfunc("umount2", b"/proc/sys", MNT_DETACH)
    if r == 0:
        try:
            os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY))
            escaped("unmounted the read-only /proc/sys")
        except OSError:
            pass
    notes.append("umount /proc/sys: " + ("ok, still not writable" if r == 0 else ename(e)))
    if ro_dir:
        r, e = cfunc("mount", None, ro_dir.encode(), None, MS_REMOUNT | MS_BIND, None)
        try:
            with open(os.path.join(ro_dir, "written-from-sandbox"), "w") as f:
                f.write("x")
            escaped("wrote into the read-only bind " + ro_dir)
        except OSError as ex:
            notes.append("remount %s rw: %s, write: %s" % (ro_dir, "ok" if r == 0 else ename(e), ename(ex.errno)))
    for how, src, fstype, flags in [("new procfs", b"proc", b"proc", 0),
                                    ("non-recursive bind of /proc", b"/proc", None, MS_BIND)]:
        target = "/tmp/lift-%d" % len(notes)
        os.makedirs(target, exist_ok=True)
        r, e = cfunc("mount", src, target.encode(), fstype, flags, None)
        if r == 0:
            leaks, _ = leaks_of(target)
            if leaks:
                escaped("%s shows %s" % (how, ", ".join(leaks)))
            try:
                os.close(os.open(target + "/sys/kernel/core_pattern", os.O_WRONLY))
                escaped(how + " has a writable sys/")
            except OSError:
                pass
        notes.append("%s: %s" % (how, "mounted, still masked" if r == 0 else ename(e)))
    stopped("; ".join(notes))

def userns():
    notes = []
    r, e = cfunc("unshare", CLONE_NEWUSER)
    if r == 0:
        escaped("unshare(CLONE_NEWUSER) worked")
    notes.append("unshare: " + ename(e))
    r, e = call("clone", CLONE_NEWUSER | signal.SIGCHLD, 0, 0, 0, 0)
    if r == 0:
        os._exit(0)
    if r > 0:
        os.waitpid(r, 0)
        escaped("clone(CLONE_NEWUSER) worked")
    notes.append("clone: " + ename(e))
    args = struct.pack("=11Q", CLONE_NEWUSER, 0, 0, 0, signal.SIGCHLD, 0, 0, 0, 0, 0, 0)
    buf = ctypes.create_string_buffer(args, len(args))
    r, e = call("clone3", buf, len(args))
    if r == 0:
        os._exit(0)
    if r > 0:
        os.waitpid(r, 0)
        escaped("clone3(CLONE_NEWUSER) worked")
    notes.append("clone3: " + ename(e))
    stopped("; ".join(notes))

def read_status(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.split()
    return fields

def exec_probe(binary, *args):
    """Run a setuid or file-capability BINARY on a pty of its own (so that
    interactive ones wait for input), then look at the ids and capabilities
    it runs with."""
    if not os.path.exists(binary):
        broken(binary + " does not exist")
    mine = read_status(os.getpid())
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execv(binary, [binary] + list(args))
        finally:
            os._exit(127)
    deadline = time.time() + 5
    seen = None
    while time.time() < deadline:
        try:
            st = read_status(pid)
        except OSError:
            break
        if st.get("State", ["?"])[0] in "SD" and st.get("Name", [""])[0] == os.path.basename(binary)[:15]:
            seen = st
            break
        readable, _, _ = select.select([master], [], [], 0.05)
        if readable:
            try:
                os.read(master, 1024)     # keep the pty from filling up
            except OSError:
                pass
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if seen is None:
        broken(binary + " did not stay running long enough to be looked at")
    euid, caps = seen["Uid"][1], int(seen["CapEff"][0], 16) | int(seen["CapPrm"][0], 16)
    own = int(mine["CapPrm"][0], 16)
    if euid != mine["Uid"][1] or caps & ~own:
        escaped("%s ran with euid %s, capabilities %x (ours: euid %s, %x)" % (binary, euid, caps, mine["Uid"][1], own))
    stopped("%s ran with euid %s and no capability beyond ours (%x)" % (binary, euid, caps))

def fds(allowed=""):
    allowed = {int(x) for x in allowed.split(",") if x}
    names = os.listdir("/proc/self/fd")
    extra = []
    for n in names:
        try:
            target = os.readlink("/proc/self/fd/" + n)
        except OSError:
            continue   # the directory fd of this very listing, closed again
        if target == "/proc/%d/fd" % os.getpid():
            continue
        # The caller's extra fds are all on /dev/null: anything else under
        # one of their numbers is nestbox's own fd in its place.
        if int(n) in allowed and (int(n) <= 2 or target == "/dev/null"):
            continue
        extra.append("%s -> %s" % (n, target))
    if extra:
        escaped("fds nestbox left open: " + ", ".join(extra))
    stopped("open fds: " + ",".join(sorted(names, key=int)))

def exe_write(*paths):
    notes = []
    for p in [p.replace("{ppid}", str(os.getppid())) for p in paths]:
        try:
            fd = os.open(p, os.O_WRONLY | os.O_APPEND)   # never written to
        except OSError as ex:
            notes.append("%s: %s" % (p, ename(ex.errno)))
            continue
        os.close(fd)
        escaped(p + " (nestbox's binary) is open for writing")
    stopped("; ".join(notes))

def chroot_escape(marker):
    """Find MARKER, a host path outside the new root, by leaked directory
    fds, the chroot/chdir("..") trick and /proc/PID/root."""
    notes = []
    def found(how):
        escaped("reached %s through %s" % (marker, how))
    if os.path.exists(marker):
        found("its plain path")
    for n in os.listdir("/proc/self/fd"):
        try:
            os.fchdir(int(n))
        except OSError:
            continue
        for _ in range(64):
            os.chdir("..")
        if os.path.exists(marker.lstrip("/")):
            found("fd %s" % n)
    os.chdir("/")
    notes.append("no fd leads out")
    os.makedirs("/tmp/jail", exist_ok=True)
    try:
        os.chroot("/tmp/jail")
        for _ in range(64):
            os.chdir("..")
        os.chroot(".")
        if os.path.exists(marker):
            found("chroot and chdir(\"..\")")
        notes.append("chroot trick: still inside")
    except OSError as ex:
        notes.append("chroot: " + ename(ex.errno))
    for p in ["/proc/1/root", "/proc/self/root", "/proc/%d/root" % os.getppid()]:
        if os.path.exists(p + marker):
            found(p)
    notes.append("/proc/*/root stay inside")
    stopped("; ".join(notes))

def keyring(serial, desc):
    buf = ctypes.create_string_buffer(256)
    r, e = call("keyctl", 11, int(serial), buf, 256)              # KEYCTL_READ
    if r > 0:
        escaped("read the caller's key %s: %r" % (serial, buf.raw[:r]))
    notes = ["KEYCTL_READ %s: %s" % (serial, ename(e))]
    r, e = call("keyctl", 10, ctypes.c_long(-3).value & (2**64 - 1), b"user", desc.encode(), 0)  # KEYCTL_SEARCH @s
    if r > 0:
        r2, e2 = call("keyctl", 11, r, buf, 256)
        if r2 > 0:
            escaped("found and read the caller's key %s in the session keyring" % desc)
    notes.append("KEYCTL_SEARCH @s: " + (ename(e) if r < 0 else "found %d, unreadable" % r))
    stopped("; ".join(notes))

ALLOWED_DEVICES = {"null", "zero", "full", "random", "urandom", "tty", "console", "ptmx"}

def mknod():
    notes = []
    for path, kind, dev in [("/tmp/sda", stat.S_IFBLK, os.makedev(8, 0)),
                            ("/dev/sda", stat.S_IFBLK, os.makedev(8, 0)),
                            ("/tmp/mem", stat.S_IFCHR, os.makedev(1, 1))]:
        try:
            os.mknod(path, 0o600 | kind, dev)
        except OSError as ex:
            notes.append("mknod %s: %s" % (path, ename(ex.errno)))
            continue
        try:
            with open(path, "rb") as f:
                f.read(16)
            escaped("made and read " + path)
        except OSError as ex:
            notes.append("made %s but open: %s" % (path, ename(ex.errno)))
    for root, dirs, files in os.walk("/dev"):
        for n in files + dirs:
            p = os.path.join(root, n)
            st = os.lstat(p)
            if stat.S_ISBLK(st.st_mode):
                escaped("block device in /dev: " + p)
            if stat.S_ISCHR(st.st_mode) and root == "/dev" and n not in ALLOWED_DEVICES:
                escaped("unexpected device in /dev: " + p)
    stopped("; ".join(notes) + "; no block device in /dev")

def kernel():
    results = {
        "init_module": call("init_module", None, 0, b""),
        "finit_module": call("finit_module", 2**64 - 1, b"", 0),
        "delete_module": call("delete_module", b"nestbox_escape_none", os.O_NONBLOCK),
        "kexec_load": call("kexec_load", 0, 0, None, 0),
        "kexec_file_load": call("kexec_file_load", 2**64 - 1, 2**64 - 1, 0, b"", 0),
        "bpf": call("bpf", 5, None, 0),                             # BPF_PROG_LOAD
        "perf_event_open": call("perf_event_open", None, 0, 2**64 - 1, 2**64 - 1, 0),
    }
    line = ", ".join("%s %s" % (k, "ok" if r >= 0 else ename(e)) for k, (r, e) in results.items())
    if any(r >= 0 for r, e in results.values()):
        escaped(line)
    stopped(line)

def abstract(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect("\0" + name)
    except OSError as ex:
        stopped("connect to @%s: %s" % (name, ename(ex.errno)))
    escaped("connected to the host's @" + name)

# ---- harnesses (outside the sandbox) ------------------------------------------

def pty_run(*cmd):
    """Run CMD with a fresh pty as its controlling terminal, as an
    interactive shell would; then say whether anything was pushed into the
    terminal's input.  Exit status: the command's."""
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        import fcntl
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execvp(cmd[0], list(cmd))
    output = b""
    while True:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                output += os.read(master, 4096)
            except OSError:
                pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~(termios.ICANON | termios.ECHO)
    attrs[6][termios.VMIN], attrs[6][termios.VTIME] = 0, 0
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    injected = os.read(slave, 4096)
    sys.stdout.write(output.decode(errors="replace").replace("\r", "").rstrip("\n") + "\n")
    print("terminal input after the run: %r" % injected)
    code = os.waitstatus_to_exitcode(status)
    sys.exit(1 if injected else (code if code >= 0 else 2))

def keyring_run(desc, *cmd):
    """A session keyring of our own holding a secret, then CMD ({serial} in
    it replaced by the key's serial number) inheriting it."""
    name = ("nestbox-escape-%d" % os.getpid()).encode()
    r, e = call("keyctl", 1, name)                                  # KEYCTL_JOIN_SESSION_KEYRING
    if r < 0:
        broken("cannot make a session keyring here: " + ename(e))
    r, e = call("add_key", b"user", desc.encode(), b"caller-secret", 13, ctypes.c_long(-3).value & (2**64 - 1))
    if r < 0:
        broken("cannot add a key here: " + ename(e))
    cmd = [a.replace("{serial}", str(r)) for a in cmd]
    os.execvp(cmd[0], cmd)

def clean_run(pass_fds, *cmd):
    """CMD with nothing open but stdin/out/err and PASS_FDS (on /dev/null)."""
    keep = {int(x) for x in pass_fds.split(",") if x}
    for n in os.listdir("/proc/self/fd"):
        if int(n) > 2 and int(n) not in keep:
            try:
                os.close(int(n))
            except OSError:
                pass
    for fd in keep:
        os.dup2(os.open("/dev/null", os.O_RDWR), fd)
        os.set_inheritable(fd, True)
    os.execvp(cmd[0], list(cmd))

def abstract_listen(name, ready):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("\0" + name)
    s.listen(8)
    open(ready, "w").close()
    while True:
        c, _ = s.accept()
        c.close()

ATTACKS = {
    "tiocsti": tiocsti, "tioclinux": tioclinux, "ptrace": ptrace, "signal": signal_outside,
    "proc-pids": proc_pids, "masked": masked, "proc-write": proc_write, "lift-masks": lift_masks,
    "userns": userns, "exec-probe": exec_probe, "fds": fds, "exe-write": exe_write,
    "chroot-escape": chroot_escape, "keyring": keyring, "mknod": mknod, "kernel": kernel,
    "abstract": abstract,
    "pty-run": pty_run, "keyring-run": keyring_run, "clean-run": clean_run,
    "abstract-listen": abstract_listen,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ATTACKS:
        broken("usage: attack.py NAME ARGS... (NAME: %s)" % ", ".join(ATTACKS))
    ATTACKS[sys.argv[1]](*sys.argv[2:])
