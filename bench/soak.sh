#!/bin/bash
# Soak under load, with faults: N sandboxes started at once (default 200),
# a mix of
#   exit         the command sleeps a random time and exits with its own code
#   kill         nestbox itself gets SIGKILL at a random moment (start-up,
#                setup or run; the command would run for a minute)
#   inside       the command kills itself (SIGKILL or SIGTERM) from inside
#   caller-dies  the shell that started nestbox gets SIGKILL at a random
#                moment (likewise)
# all with --die-with-parent, repeated for a few rounds, for nestbox and for
# Debian's bwrap under the same load in the same run.  Then checks that every
# exit status is the expected one, that nothing is left behind (no process,
# mount, fd of the caller, file in /tmp, /var/tmp, /run, /dev/shm), and that
# memory is stable from round to round.
#
# Usage: bench/soak.sh [-n N] [-r ROUNDS] [--seed S] [--only nestbox|bwrap]
#                      [--modes exit,kill,inside,caller-dies] [NESTBOX] [BWRAP]
#   NESTBOX  default: build/nestbox of this repo;  BWRAP  default: /usr/bin/bwrap
# Prints, per tool: sandboxes per second, peak RSS of one process of the tool
# and of all of them at once, failures.  Exit 1 if nestbox had any failure.
# Run it as root or as any user that can run both tools, on an idle machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$repo" "$@" <<'PY'
import argparse, os, random, selectors, signal, subprocess, sys, tempfile, threading, time

repo = sys.argv[1]
ap = argparse.ArgumentParser(prog="soak.sh")
ap.add_argument("-n", type=int, default=200, help="sandboxes at once")
ap.add_argument("-r", "--rounds", type=int, default=3)
ap.add_argument("--seed", type=int, default=int(time.time()))
ap.add_argument("--only", choices=("nestbox", "bwrap"))
ap.add_argument("--modes", default="exit,kill,inside,caller-dies",
                help="comma-separated subset of exit, kill, inside, caller-dies")
ap.add_argument("nestbox", nargs="?", default=os.path.join(repo, "build/nestbox"))
ap.add_argument("bwrap", nargs="?", default="/usr/bin/bwrap")
opt = ap.parse_args(sys.argv[2:])

ROOTFS = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/bin", "/bin",
          "--symlink", "usr/sbin", "/sbin"]
if os.path.exists("/usr/lib64"):
    ROOTFS += ["--symlink", "usr/lib64", "/lib64"]
# A CI step's usual shape: own pid, ipc and uts namespaces, fresh /proc, /dev
# and /tmp, and nothing that outlives the caller.
COMMON = ROOTFS + ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--proc", "/proc", "--dev", "/dev",
                   "--tmpfs", "/tmp", "--die-with-parent"]
MODES = opt.modes.split(",")
if not MODES or any(m not in ("exit", "kill", "inside", "caller-dies") for m in MODES):
    sys.exit(f"soak.sh: unknown mode in --modes {opt.modes}")
run_id = f"soak{os.getpid()}"

private_tmp = tempfile.mkdtemp(prefix="soak-tmpdir.")
os.environ["TMPDIR"] = private_tmp

def snapshot():
    """What could be left behind, seen from the caller."""
    tmp = set()
    for d in ("/tmp", "/var/tmp", "/run", "/dev/shm", private_tmp):
        try:
            tmp |= {os.path.join(d, e) for e in os.listdir(d)}
        except OSError:
            pass
    with open("/proc/self/mountinfo") as f:
        mounts = f.read().count("\n")
    return {"tmp": tmp, "mounts": mounts, "fds": len(os.listdir("/proc/self/fd"))}

def meminfo(key):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

def marked_pids(marker, comm=None):
    """pids of this round's processes: every process of a sandbox carries
    the marker in its command line (the tool's argv, kept across fork, and
    the command's).  With comm: only those still running the tool's own
    code (the monitor, the sandbox side before exec, the reaper).  Other
    programs on the machine, other runs of the same tools included, never
    match."""
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                if marker.encode() not in f.read():
                    continue
            if comm is not None:
                with open(f"/proc/{p}/stat") as f:
                    s = f.read()
                if s[s.index("(") + 1:s.rindex(")")] != comm:
                    continue
            out.append(int(p))
        except (OSError, ValueError):
            pass
    return out

def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0

class Sampler(threading.Thread):
    """Peak RSS of one process of the tool and of all of them together."""
    def __init__(self, marker, comm):
        super().__init__(daemon=True)
        self.marker, self.comm = marker, comm
        self.stop, self.peak_one, self.peak_all, self.peak_n = False, 0, 0, 0
    def run(self):
        while not self.stop:
            pids = marked_pids(self.marker, self.comm)
            rss = [rss_kib(p) for p in pids]
            if rss:
                self.peak_one = max(self.peak_one, max(rss))
                self.peak_all = max(self.peak_all, sum(rss))
                self.peak_n = max(self.peak_n, len(rss))
            time.sleep(0.05)

def leftovers(marker):
    """This round's processes still there up to 10 s after the last exit
    (a SIGKILL'd monitor takes its sandbox down asynchronously)."""
    deadline = time.time() + 10
    while True:
        left = marked_pids(marker)
        if not left or time.time() > deadline:
            return sorted(left)
        time.sleep(0.1)

def one_round(tool, path, rnd, rng):
    comm = os.path.basename(path)[:15]
    marker = f"{run_id}-{comm}-r{rnd}"
    jobs = []
    for i in range(opt.n):
        mode = MODES[i % len(MODES)]
        code = rng.randrange(0, 100)
        nap = rng.uniform(0.0, 0.5)
        tag = f"{marker}-{i}"
        if mode == "inside":
            sig = rng.choice((9, 15))
            script = f"sleep {nap:.3f}; kill -{sig} $$; exit 99"
            expect = {128 + sig}
        elif mode in ("kill", "caller-dies"):
            # Still running when the SIGKILL comes: whatever survives it
            # would be found (the shell keeps the marker in its command line).
            script = f"sleep {nap:.3f}; sleep 60; exit 1"
            expect = set()
        else:
            script = f"sleep {nap:.3f}; exit {code}"
            expect = {code}
        argv = [path] + COMMON + ["sh", "-c", script, tag]
        if mode == "caller-dies":
            # The caller is a shell that waits for the tool; it is the one
            # that gets killed.
            argv = ["sh", "-c", '"$@"; exit $?', "caller-" + tag] + argv
        kill_at = rng.uniform(0.0, 0.6) if mode in ("kill", "caller-dies") else None
        jobs.append({"mode": mode, "argv": argv, "expect": expect, "kill_at": kill_at, "tag": tag})

    sampler = Sampler(marker, comm)
    sampler.start()
    start = time.time()
    for j in jobs:
        j["proc"] = subprocess.Popen(j["argv"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        j["started"] = time.time()
    # SIGKILLs at their moments, measured from each start.
    def killer():
        pending = sorted((j for j in jobs if j["kill_at"] is not None), key=lambda j: j["started"] + j["kill_at"])
        for j in pending:
            delay = j["started"] + j["kill_at"] - time.time()
            if delay > 0:
                time.sleep(delay)
            j["killed"] = time.time()
            j["proc"].send_signal(signal.SIGKILL)
    kt = threading.Thread(target=killer, daemon=True)
    kt.start()
    # Every process of a sandbox holds its stderr pipe: end of file there
    # is the moment the last of them is gone, later than the exit of the
    # process we started when something outlives it.
    sel = selectors.DefaultSelector()
    for j in jobs:
        j["err"] = b""
        sel.register(j["proc"].stderr, selectors.EVENT_READ, j)
    open_pipes = len(jobs)
    while open_pipes:
        for key, _ in sel.select(timeout=1):
            j = key.data
            chunk = os.read(key.fd, 65536)
            if chunk:
                j["err"] += chunk
            else:
                j["eof"] = time.time()
                sel.unregister(key.fileobj)
                key.fileobj.close()
                open_pipes -= 1
        if time.time() - start > 300:
            break
    kt.join()
    sel.close()
    ended = []
    for j in jobs:
        j["rc"] = j["proc"].wait()
        j["err"] = j["err"].decode(errors="replace")
        ended.append(j.get("eof", time.time()))
    wall = max(ended) - start
    sampler.stop = True
    sampler.join()

    failures = []
    for j in jobs:
        rc, ok = j["rc"], False
        if j["mode"] in ("kill", "caller-dies"):
            # Killed, nothing printed, and the sandbox gone within 2 s.
            outlived = j.get("eof", time.time()) - j.get("killed", start)
            ok = rc == -9 and not j["err"] and outlived < 2
            if rc == -9 and outlived >= 2:
                failures.append(f"{j['mode']} {j['tag']}: the sandbox outlived the SIGKILL by {outlived:.1f} s")
                continue
        else:
            ok = rc in j["expect"] and not j["err"].strip()
        if not ok:
            failures.append(f"{j['mode']} {j['tag']}: exit {rc}, want {sorted(j['expect'])}"
                            + (f", stderr: {j['err'].strip()[:200]}" if j["err"].strip() else ""))
    left = leftovers(marker)
    for p in left:
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            failures.append(f"leftover process {p}: {cmd[:120]}")
        except OSError:
            pass
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    return {"wall": wall, "peak_one": sampler.peak_one, "peak_all": sampler.peak_all,
            "peak_n": sampler.peak_n, "failures": failures}

def soak(tool, path):
    rng = random.Random(f"{opt.seed}-{tool}")
    before = snapshot()
    mem_before = meminfo("MemAvailable")
    rounds = []
    for r in range(opt.rounds):
        res = one_round(tool, path, r, rng)
        rounds.append(res)
        print(f"  {tool} round {r + 1}: {opt.n / res['wall']:.1f} sandboxes/s, peak RSS "
              f"{res['peak_one'] / 1024:.1f} MiB/process, {res['peak_all'] / 1024:.1f} MiB for "
              f"{res['peak_n']} processes, {len(res['failures'])} failures", flush=True)
        for f in res["failures"][:10]:
            print(f"    {f}")
    time.sleep(0.5)
    after = snapshot()
    mem_after = meminfo("MemAvailable")
    failures = [f for r in rounds for f in r["failures"]]
    if after["mounts"] != before["mounts"]:
        failures.append(f"mounts: {before['mounts']} before, {after['mounts']} after")
    if after["fds"] != before["fds"]:
        failures.append(f"fds of the caller: {before['fds']} before, {after['fds']} after")
    # The tools ran with TMPDIR set to a directory of ours, which must stay
    # empty; /run and /dev/shm must get nothing new.  New entries in /tmp
    # and /var/tmp are shown but not counted: on a shared machine other
    # programs make them all the time, and they cannot be told apart.
    new_tmp = sorted(after["tmp"] - before["tmp"])
    counted = [t for t in new_tmp if t.startswith(("/run/", "/dev/shm/", private_tmp + "/"))]
    if counted:
        failures.append("new files: " + ", ".join(counted[:10]))
    others = [t for t in new_tmp if t not in counted]
    if others:
        print(f"  {tool}: new in /tmp or /var/tmp during the run (not counted): {', '.join(others[:5])}")
    peaks = [r["peak_one"] for r in rounds]
    # Stable: the last round's peak per process within 10% (or 1 MiB) of the first's.
    stable = peaks[-1] <= max(peaks[0] * 1.1, peaks[0] + 1024)
    if not stable:
        failures.append(f"peak RSS per process grew from round to round: {peaks}")
    total_wall = sum(r["wall"] for r in rounds)
    return {"rate": opt.n * opt.rounds / total_wall, "peak_one": max(peaks),
            "peak_all": max(r["peak_all"] for r in rounds), "failures": failures,
            "mem_delta": (mem_before - mem_after) / 1024, "stable": stable, "peaks": peaks}

tools = [("nestbox", opt.nestbox), ("bwrap", opt.bwrap)]
if opt.only:
    tools = [t for t in tools if t[0] == opt.only]
print(f"soak: {opt.n} sandboxes at once x {opt.rounds} rounds, modes {', '.join(MODES)}, "
      f"{os.cpu_count()} CPUs, seed {opt.seed}, as uid {os.getuid()}", flush=True)
results = {}
for tool, path in tools:
    if not os.access(path, os.X_OK):
        print(f"soak: {path} is not there; skipping {tool}")
        continue
    results[tool] = soak(tool, path)

print()
print(f"{'tool':8} {'sandboxes/s':>12} {'peak RSS/process':>17} {'peak RSS, all':>14} "
      f"{'RSS by round (KiB)':>22} {'MemAvailable delta':>19} {'failures':>9}")
for tool, r in results.items():
    print(f"{tool:8} {r['rate']:12.1f} {r['peak_one'] / 1024:13.1f} MiB {r['peak_all'] / 1024:10.1f} MiB "
          f"{'/'.join(str(p) for p in r['peaks']):>22} {r['mem_delta']:15.1f} MiB {len(r['failures']):9}")
for tool, r in results.items():
    for f in r["failures"][:20]:
        print(f"{tool}: {f}")
os.rmdir(private_tmp)
sys.exit(1 if results.get("nestbox", {}).get("failures") else 0)
PY
