#!/bin/bash
# Install what nestbox needs to build and test on Debian 12 (as root).
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
    # build
    gcc meson ninja-build pkg-config libcap-dev libseccomp-dev libselinux1-dev libjson-c-dev
    # tests: tools the suites call
    python3 python3-seccomp python3-tap libcap2-bin strace util-linux iproute2 procps uidmap
    tmux
    # 32-bit test programs (the seccomp filters cover every ABI)
    gcc-multilib
    # comparison with bubblewrap, its test suite and the benchmarks
    bubblewrap dpkg-dev hyperfine
    # the SELinux policy module and its tests (policy stores, the devel
    # Makefile, setools queries, refpolicy's container source, the guests)
    checkpolicy semodule-utils policycoreutils selinux-policy-dev make m4 gawk
    setools python3-setools zstd busybox-static qemu-system-x86
    # the AppArmor profile for pods: apparmor_parser, on the host and in the
    # AppArmor guest (issue 16)
    apparmor
    # pod scenarios: a real OCI runtime
    crun
    # nestbox-runc's tests: bundles from a static busybox
    busybox-static
    # crun's suite (tests/runc/crun-suite.sh): its init built static, its python tests
    libc6-dev python3
    # nestbox-runc as buildah's runtime (tests/runc/buildah.sh)
    buildah
    # --seccomp-profile tests: Debian's /usr/share/containers/seccomp.json (issue 4)
    golang-github-containers-common
    # reliability: fuzzing (libFuzzer, llvm-cov) and valgrind (issue 7)
    clang llvm libclang-rt-14-dev valgrind
    # code health: the formatter the format test runs
    clang-format
    # man pages, completions, manifests, packages and real bwrap clients
    scdoc bash-completion zsh fish python3-yaml debhelper rpm
    opam buildstream flatpak-tests gnome-desktop-testing
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "install-deps: missing packages (run as root to install): ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi
