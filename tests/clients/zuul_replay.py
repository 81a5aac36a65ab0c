#!/usr/bin/python3
"""Replay of how Zuul's executor runs each job step under bubblewrap.

Zuul (zuul/driver/bubblewrap) is not packaged in Debian and cannot be
fetched offline, so this script reproduces what its driver does, from the
facts in shared/reference/clients.md section 1:

- the argv shape: `setpriv --ambient-caps -all choom -n N -- bwrap ...`, with
  bwrap found through PATH, the option order of the driver, no `--` before
  the command;
- `bwrap --version` with stderr merged, last token matched against
  ^(\\d+\\.\\d+\\.\\d+), and `--unshare-user --disable-userns` added only for
  version >= 0.8.0 when user namespaces look enabled;
- passwd, group and each secret passed with `--file FD PATH` from os.pipe()s:
  passwd and group written and closed before exec, secrets written by a
  thread while bwrap reads them (larger than a pipe buffer here);
- Popen with pass_fds, start_new_session=True, stdin=DEVNULL, stdout=PIPE,
  stderr=STDOUT, cwd=work_dir;
- what the executor and zuul's tests expect back: the step's exit status,
  -9 after killpg(SIGKILL), nothing left running, EROFS on read-only binds,
  empty stderr for `id`, mount points created in the work dir on the host.

Usage: zuul_replay.py LABEL   (bwrap is whatever `bwrap` PATH finds)
Prints TAP; LABEL names the binary under test in each line.
"""

import grp
import hashlib
import os
import pwd
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

LABEL = sys.argv[1] if len(sys.argv) > 1 else "bwrap"
count = 0
failed = 0


def point(ok, desc, detail=""):
    global count, failed
    count += 1
    if not ok:
        failed += 1
    print(f"{'ok' if ok else 'not ok'} {count} - {LABEL}: {desc}", flush=True)
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print(f"#   {line}", flush=True)


def bwrap_version():
    out = subprocess.run(["bwrap", "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True).stdout
    m = re.match(r"^(\d+\.\d+\.\d+).*", out.split()[-1]) if out.split() else None
    return (tuple(int(x) for x in m.group(1).split(".")) if m else (0, 0, 0)), out


def userns_enabled():
    if not os.path.exists("/proc/self/ns/user"):
        return False
    p = "/sys/module/user_namespace/parameters/enable"
    if os.path.exists(p) and open(p).read().strip() != "Y":
        return False
    try:
        return int(open("/proc/sys/user/max_user_namespaces").read()) >= 1
    except OSError:
        return True


class Context:
    """The driver's execution context: one work dir, its ro/rw paths and
    secrets, able to start commands the way the executor does."""

    def __init__(self, work_dir, secrets=None, ro_paths=(), rw_paths=()):
        self.work_dir = work_dir
        self.secrets = secrets or {}
        self.ro_paths = list(ro_paths)
        self.rw_paths = list(rw_paths)
        self.version, _ = bwrap_version()

    def argv(self, passwd_fd, group_fd, secret_fds, command):
        uid, gid = os.getuid(), os.getgid()
        w = self.work_dir
        a = ["setpriv", "--ambient-caps", "-all", "choom", "-n", "200", "--", "bwrap",
             "--dir", "/tmp", "--tmpfs", "/tmp", "--dir", "/var", "--dir", "/var/tmp",
             "--dir", f"/run/user/{uid}",
             "--ro-bind", "/usr", "/usr", "--ro-bind", "/lib", "/lib",
             "--ro-bind", "/bin", "/bin", "--ro-bind", "/sbin", "/sbin",
             "--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache",
             "--ro-bind", "/etc/resolv.conf", "/etc/resolv.conf",
             "--ro-bind", "/etc/hosts", "/etc/hosts",
             "--ro-bind", "/etc/localtime", "/etc/localtime",
             # no ssh agent: the driver binds /dev/null, before --dev /dev
             "--ro-bind", "/dev/null", "/dev/null",
             "--bind", w, w, "--tmpfs", f"{w}/tmp",
             "--proc", "/proc", "--dev", "/dev", "--chdir", w,
             "--unshare-all", "--share-net", "--die-with-parent",
             "--uid", str(uid), "--gid", str(gid),
             "--file", str(passwd_fd), "/etc/passwd",
             "--file", str(group_fd), "/etc/group"]
        if self.version >= (0, 8, 0) and userns_enabled():
            a += ["--unshare-user", "--disable-userns"]
        for p in ["/lib64", "/etc/nsswitch.conf", "/etc/lsb-release.d", "/etc/alternatives",
                  "/etc/ssl/certs", "/etc/subuid", "/etc/containers", "/etc/os-release",
                  "/etc/debian_version"]:
            if os.path.exists(p):
                a += ["--ro-bind", p, p]
        for p in self.ro_paths:
            a += ["--ro-bind", p, p]
        for p in self.rw_paths:
            a += ["--bind", p, p]
        for path, fd in secret_fds.items():
            a += ["--tmpfs", os.path.dirname(path), "--file", str(fd), path]
        return a + command

    def popen(self, command, stderr=subprocess.STDOUT):
        uid, gid = os.getuid(), os.getgid()
        pw = pwd.getpwuid(uid)
        passwd = ":".join([pw.pw_name, pw.pw_passwd, str(pw.pw_uid), str(pw.pw_gid),
                           pw.pw_gecos, self.work_dir, pw.pw_shell]) + "\n"
        gr = grp.getgrgid(gid)
        # Zuul joins the member list's repr as it is ("root:x:0:[]").
        group = ":".join([gr.gr_name, gr.gr_passwd, str(gr.gr_gid), str(gr.gr_mem)]) + "\n"
        passwd_r, passwd_w = os.pipe()
        os.write(passwd_w, passwd.encode())
        os.close(passwd_w)
        group_r, group_w = os.pipe()
        os.write(group_w, group.encode())
        os.close(group_w)
        secret_fds, writers = {}, []
        for path, content in self.secrets.items():
            r, w = os.pipe()
            secret_fds[path] = r

            def write(w=w, data=content.encode()):
                with os.fdopen(w, "wb") as f:
                    f.write(data)
            writers.append(threading.Thread(target=write, daemon=True))
        for t in writers:
            t.start()
        fds = [passwd_r, group_r] + list(secret_fds.values())
        env = {"HOME": self.work_dir, "PATH": os.environ["PATH"], "LANG": "C.UTF-8",
               "ZUUL_JOB_LOG_CONFIG": "/dev/null"}
        p = subprocess.Popen(self.argv(passwd_r, group_r, secret_fds, command),
                             pass_fds=fds, cwd=self.work_dir, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
                             start_new_session=True)
        for fd in fds:
            os.close(fd)
        return p


def run(ctx, command, timeout=60, stderr=subprocess.STDOUT):
    p = ctx.popen(command, stderr=stderr)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out.decode(errors="replace"), (err or b"").decode(errors="replace")


def procs_with_cmdline(cmdline):
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if f.read() == cmdline:
                        found.append(int(pid))
            except OSError:
                pass
    return found


def wait_gone(cmdline, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not procs_with_cmdline(cmdline):
            return True
        time.sleep(0.2)
    return not procs_with_cmdline(cmdline)


def main():
    base = tempfile.mkdtemp(prefix="zuul-replay-")
    work = os.path.join(base, "work")
    os.mkdir(work)
    # A secret larger than a pipe buffer (64 KiB), written while bwrap reads.
    big = "".join(f"key{i}: {'v' * 60}\n" for i in range(4000))
    secret = os.path.join(work, "secrets", "secret.yaml")
    ctx = Context(work, secrets={secret: big})

    version, out = bwrap_version()
    point(version >= (0, 8, 0), f"`bwrap --version` parses as Zuul parses it ({out.strip()!r})", out)

    # The executor's start-up check: `id` with work_dir=/tmp.
    rc, out, _ = run(Context("/tmp"), ["id"])
    point(rc == 0, "start-up validation (`id` in work_dir /tmp) exits 0", out)

    rc, out, err = run(ctx, ["/usr/bin/id"], stderr=subprocess.PIPE)
    point(rc == 0 and out.strip() != "" and err == "",
          "`/usr/bin/id`: output on stdout, nothing on stderr", f"rc={rc}\nout={out}\nerr={err}")

    rc, out, _ = run(ctx, ["bash", "-c", "echo hi; getent passwd $(id -u); getent group $(id -g); "
                                          "pwd; echo HOME=$HOME; exit 3"])
    uid = os.getuid()
    name = pwd.getpwuid(uid).pw_name
    point(rc == 3, "the step's exit status (3) is passed through", f"rc={rc}\n{out}")
    point(f"{name}:x:{uid}:" in out and f":{work}:" in out,
          "passwd from the --file pipe, home = work dir", out)
    point(f"{grp.getgrgid(os.getgid()).gr_name}:x:{os.getgid()}:" in out,
          "group from the --file pipe", out)
    point(f"\n{work}\n" in out and f"HOME={work}" in out, "runs in the work dir", out)

    ctx_check = ctx.popen(["sh", "-c", f"cat {secret} | md5sum; stat -c %a {secret}"])
    out2, _ = ctx_check.communicate(timeout=60)
    want = hashlib.md5(big.encode()).hexdigest()
    point(want in out2.decode() and out2.decode().strip().endswith("666"),
          f"secret of {len(big)} bytes from a pipe written concurrently, mode 0666",
          out2.decode())

    rc, out, _ = run(ctx, ["sh", "-c", "cp /bin/true /bin/bubblewrap-test-failure; echo rc=$?; "
                                        "echo data > written && cat written"])
    point("Read-only file system" in out and "rc=1" in out,
          "writing under a --ro-bind fails with EROFS (zuul's bubblewrap.yaml)", out)
    point("\ndata" in out or out.endswith("data\n"), "the work dir is writable", out)
    point(os.path.isdir(os.path.join(work, "tmp")) and os.path.isdir(os.path.join(work, "secrets")),
          "mount points tmp/ and secrets/ were created in the work dir on the host",
          os.listdir(work))

    rc, out, _ = run(ctx, ["sh", "-c", "grep NoNewPrivs /proc/self/status; "
                                        "unshare -U true; echo unshare=$?"])
    point("NoNewPrivs:\t1" in out, "no_new_privs is set", out)
    if "--disable-userns" in ctx.argv(0, 0, {}, []):
        point("No space left on device" in out and "unshare=1" in out,
              "--disable-userns: `unshare -U` inside fails with ENOSPC", out)
    else:
        point(False, "--disable-userns was not added (version or userns check failed)")

    # killpg(SIGKILL) on abort: Popen sees -9, and nothing is left running.
    marker = "1000.%d" % os.getpid()
    p = ctx.popen(["sleep", marker])
    deadline = time.time() + 10
    while time.time() < deadline and not procs_with_cmdline(f"sleep\0{marker}\0".encode()):
        time.sleep(0.05)
    children = subprocess.run(["ps", "-axo", "pidns=,pid=,ppid="], stdout=subprocess.PIPE,
                              text=True).stdout
    own_ns = os.readlink("/proc/self/ns/pid")
    other_ns_child = any(len(f) == 3 and f[2] == str(p.pid) and f"[{f[0]}]" not in own_ns
                         for f in (line.split() for line in children.splitlines()))
    point(other_ns_child, "a child of bwrap runs in another pid namespace (the executor's ps scan)",
          children[:2000])
    os.killpg(os.getpgid(p.pid), signal.SIGKILL)
    p.communicate(timeout=30)
    point(p.returncode == -9, "killpg(SIGKILL) on abort: returncode -9", p.returncode)
    point(wait_gone(f"sleep\0{marker}\0".encode(), 10), "no sandboxed process survives the abort")

    # test_bubblewrap_leak: a disowned background process must not survive.
    marker = "0x3C%d" % os.getpid()
    rc, out, _ = run(ctx, ["bash", "-c", f"sleep {marker} & disown"])
    point(rc == 0, "`sleep & disown` step exits 0", out)
    leak = f"sleep\0{marker}\0".encode()
    point(wait_gone(leak, 30), "the disowned sleep is gone within 30 s (test_bubblewrap_leak)")
    for pid in procs_with_cmdline(leak):
        os.kill(pid, signal.SIGKILL)

    subprocess.run(["rm", "-rf", base])
    print(f"1..{count}")
    print(f"# {LABEL}: {count - failed} of {count} passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
