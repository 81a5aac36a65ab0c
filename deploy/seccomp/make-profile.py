#!/usr/bin/python3
"""Derive nestbox.json from the runtimes' default seccomp profile.

nestbox.json = runtime-default.json (Docker's default profile, which
containerd's RuntimeDefault follows; see README.md for where the copy comes
from), resolved for a pod without privileges, plus the calls in ADDITIONS.

Resolved, because containerd reads a Localhost profile as the OCI runtime
spec's linux.seccomp object: it ignores Docker's "archMap", "includes" and
"excludes" (CRI-O and Docker apply them).  nestbox.json therefore has none of
them, and means the same to every runtime:

  - "architectures" lists ARCHITECTURES (instead of the archMap);
  - a rule that applies only with a capability ("includes": {"caps"}) is
    left out: a pod that runs nestbox keeps none of those capabilities
    (CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_SYS_CHROOT, ...);
  - a rule that applies only without a capability ("excludes": {"caps"})
    applies always, for the same reason;
  - a rule for some architectures only ("includes": {"arches"}) applies to
    all: its calls exist only on those architectures;
  - a rule for kernels from a version on ("minKernel": "4.8") applies
    always: nestbox needs Linux 5.12;
  - the rules that concern only added calls are replaced by one rule that
    allows them (upstream: clone without namespace flags, and clone3 with
    ENOSYS, for a container without CAP_SYS_ADMIN).

Every other call keeps its action, errno and argument filters.
docs/pods.md (securityContext.seccompProfile) gives the additions with
their reasons.

usage: make-profile.py                   write nestbox.json beside this script
       make-profile.py --stdout          print it instead
       make-profile.py --check           exit 1 if nestbox.json is not what
                                         this script makes (the tests use it)
       make-profile.py --additions       print the added call names, one a line
       make-profile.py --diff            what nestbox.json changes, rule by rule
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UPSTREAM = os.path.join(HERE, "runtime-default.json")
OUTPUT = os.path.join(HERE, "nestbox.json")

# (call, why nestbox or the commands it runs need it).  Upstream allows all
# of these only with CAP_SYS_ADMIN in the container's bounding set (and
# pivot_root not at all); the kernel still makes its own permission checks,
# which in an unprivileged pod pass only inside a user namespace the
# process created itself.
ADDITIONS = [
    ("clone", "namespace flags (CLONE_NEWUSER, NEWPID, NEWNS, ...): the sandbox's first process; "
              "upstream allows clone only without those flags"),
    ("clone3", "the same with CLONE_INTO_CGROUP for --memory-max and the other cgroup limits; "
               "upstream answers ENOSYS because a filter cannot see clone3's flags, which no longer "
               "matters once clone and unshare may create namespaces"),
    ("unshare", "the network namespace of --unshare-net, the command's nested user namespace "
                "(--unshare-user with --uid/--disable-userns), the pid namespace after --pidns"),
    ("setns", "entering namespaces: the new network namespace, --userns, --userns2, --pidns"),
    ("mount", "bind mounts, tmpfs, propagation changes of the sandbox's root"),
    ("umount2", "detaching the old root after pivot_root"),
    ("pivot_root", "making the new root the sandbox's /"),
    ("open_tree", "new mount API: detached copies of bind sources"),
    ("move_mount", "new mount API: attaching them in the new root"),
    ("mount_setattr", "new mount API: read-only, nosuid, nodev, idmapped flags, recursively"),
    ("fsopen", "new mount API: fresh proc, tmpfs, mqueue and devpts superblocks"),
    ("fsconfig", "new mount API: their options"),
    ("fsmount", "new mount API: mounts of them"),
    ("fspick", "new mount API: reconfiguring a mounted file system; not called by nestbox today, "
               "allowed with the rest of the API (the kernel checks it as a remount)"),
    ("sethostname", "--hostname in the sandbox's own UTS namespace"),
]

# The little-endian ABIs of the upstream archMap: amd64 with its compat
# ABIs, arm64 with 32-bit arm, riscv64.  One filter cannot mix byte orders
# (libseccomp refuses, and so runc, crun and nestbox refuse the profile), so
# s390x, big-endian, is not in it: this file does not serve s390x nodes.  On
# ppc64le, which the archMap has no entry for, the runtimes filter the
# native ABI, which they always add.  Not mips (no Kubernetes nodes) or
# loongarch (libseccomp before 2.6 does not know it, and the runtimes refuse
# a profile that names an architecture their libseccomp does not know).
ARCHITECTURES = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                 "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
                 "SCMP_ARCH_RISCV64"]

RULE_COMMENT = ("nestbox: namespace creation and mounts for every process (the kernel still "
                "requires a user namespace of the caller's own); see docs/pods.md")


def resolve(upstream, changes):
    """The rules of upstream as nestbox.json keeps them; CHANGES gets a line
    for each rule left out or changed."""
    added = {name for name, _ in ADDITIONS}
    known = {a["architecture"] for a in upstream["archMap"]} | \
        {s for a in upstream["archMap"] for s in (a.get("subArchitectures") or [])}
    if not set(ARCHITECTURES) <= known:
        sys.exit(f"make-profile.py: the upstream archMap lacks {sorted(set(ARCHITECTURES) - known)}")
    rules = []
    for rule in upstream["syscalls"]:
        inc, exc = rule.get("includes") or {}, rule.get("excludes") or {}
        what = f"{rule['action']} {', '.join(rule['names'])}"
        if set(rule["names"]) <= added:
            changes.append(f"replaced by the added rule: {what} {json.dumps({k: v for k, v in rule.items() if k not in ('names', 'action')})}")
            continue
        if inc.get("caps"):
            changes.append(f"left out (only with {', '.join(inc['caps'])}): {what}")
            continue
        if set(exc) - {"caps"} or set(inc) - {"arches", "minKernel"}:
            sys.exit(f"make-profile.py: no resolution for this upstream rule: {json.dumps(rule)}")
        if exc.get("caps"):
            changes.append(f"always (upstream: without {', '.join(exc['caps'])}): {what}")
        if inc.get("arches"):
            changes.append(f"on every architecture (upstream: on {', '.join(inc['arches'])}, whose calls they are): {what}")
        if inc.get("minKernel"):
            changes.append(f"on every kernel (upstream: from {inc['minKernel']}): {what}")
        rules.append({k: rule[k] for k in ("names", "action", "errnoRet", "args") if k in rule})
    return rules


def derive(upstream, changes=None):
    changes = [] if changes is None else changes
    profile = {
        "defaultAction": upstream["defaultAction"],
        "defaultErrnoRet": upstream["defaultErrnoRet"],
        "architectures": ARCHITECTURES,
        "syscalls": resolve(upstream, changes),
    }
    profile["syscalls"].append({
        "names": [name for name, _ in ADDITIONS],
        "action": "SCMP_ACT_ALLOW",
        "comment": RULE_COMMENT,
    })
    changes.append(f"added: SCMP_ACT_ALLOW {', '.join(name for name, _ in ADDITIONS)}")
    # The upstream file's layout (tabs), for diffs against it.
    return json.dumps(profile, indent="\t") + "\n"


def main():
    args = sys.argv[1:]
    if args == ["--additions"]:
        print("\n".join(name for name, _ in ADDITIONS))
        return
    changes = []
    with open(UPSTREAM) as f:
        text = derive(json.load(f), changes)
    if args == ["--diff"]:
        print("\n".join(changes))
    elif args == ["--stdout"]:
        sys.stdout.write(text)
    elif args == ["--check"]:
        with open(OUTPUT) as f:
            if f.read() != text:
                sys.exit("nestbox.json differs from make-profile.py's output: run deploy/seccomp/make-profile.py")
    elif not args:
        with open(OUTPUT, "w") as f:
            f.write(text)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
