#!/usr/bin/python3
"""Turn a Docker-format seccomp profile (a Kubernetes Localhost profile,
containerd's and Docker's default.json) into the OCI runtime spec's
linux.seccomp object for this machine, the way containerd and CRI-O do
before they hand a pod's config to the OCI runtime:

- architectures: the archMap entry of the native architecture, with its
  sub-architectures;
- a rule is kept only if its includes hold (arches contains this machine's,
  every cap is in the container's bounding set, the kernel is at least
  minKernel) and its excludes do not (no arch, no cap of it);
- names, action, errnoRet and args are copied; comments are dropped.

That is CRI-O's reading (containers/common's seccomp package) and Docker's.
With --containerd, the profile is read as containerd reads a Localhost
profile: as the OCI object itself, so that archMap, includes and excludes
are ignored (every rule applies) and only the OCI fields are kept.

usage: oci-seccomp.py [--containerd] PROFILE [CAP...]
       (CAP: CAP_CHOWN ..., the container's bounding set)
       prints the linux.seccomp JSON object
"""
import json
import os
import platform
import sys

# uname -m -> (Go's GOARCH, which the profiles' "arches" use; libseccomp's name)
ARCHES = {
    "x86_64": ("amd64", "SCMP_ARCH_X86_64"),
    "aarch64": ("arm64", "SCMP_ARCH_AARCH64"),
    "ppc64le": ("ppc64le", "SCMP_ARCH_PPC64LE"),
    "s390x": ("s390x", "SCMP_ARCH_S390X"),
    "riscv64": ("riscv64", "SCMP_ARCH_RISCV64"),
}


def kernel_at_least(want):
    have = [int(x) for x in platform.release().split("-")[0].split(".")[:2]]
    return have >= [int(x) for x in want.split(".")[:2]]


def as_containerd(profile):
    out = {k: profile[k] for k in ("defaultAction", "defaultErrnoRet", "architectures", "flags")
           if k in profile}
    out["syscalls"] = [{k: r[k] for k in ("names", "action", "errnoRet", "args") if k in r}
                       for r in profile.get("syscalls") or []]
    return out


def convert(profile, caps):
    goarch, native = ARCHES[os.uname().machine]
    if profile.get("architectures") and profile.get("archMap"):
        sys.exit("oci-seccomp.py: both architectures and archMap")
    arches = list(profile.get("architectures") or [])
    for entry in profile.get("archMap") or []:
        if entry["architecture"] == native:
            arches = [native] + (entry.get("subArchitectures") or [])
    out = {"defaultAction": profile["defaultAction"], "architectures": arches, "syscalls": []}
    if "defaultErrnoRet" in profile:
        out["defaultErrnoRet"] = profile["defaultErrnoRet"]
    if profile.get("flags"):
        out["flags"] = profile["flags"]
    for rule in profile["syscalls"]:
        inc, exc = rule.get("includes") or {}, rule.get("excludes") or {}
        if inc.get("arches") and goarch not in inc["arches"]:
            continue
        if any(c not in caps for c in inc.get("caps") or []):
            continue
        if inc.get("minKernel") and not kernel_at_least(inc["minKernel"]):
            continue
        if goarch in (exc.get("arches") or []) or any(c in caps for c in exc.get("caps") or []):
            continue
        kept = {"names": rule["names"], "action": rule["action"]}
        if "errnoRet" in rule:
            kept["errnoRet"] = rule["errnoRet"]
        if rule.get("args"):
            kept["args"] = rule["args"]
        out["syscalls"].append(kept)
    return out


def main():
    args = sys.argv[1:]
    containerd = args[:1] == ["--containerd"]
    args = args[1:] if containerd else args
    if not args:
        sys.exit(__doc__)
    with open(args[0]) as f:
        profile = json.load(f)
    json.dump(as_containerd(profile) if containerd else convert(profile, set(args[1:])), sys.stdout)
    print()


if __name__ == "__main__":
    main()
