#!/bin/bash
# Set up, build and run nestbox on a real example: a shell in a sandbox
# with its own pid namespace and a fresh /proc, where `ps` sees only the
# sandbox's own processes.  Run as root on a fresh Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh

sandbox=(build/nestbox
    --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64
    --symlink usr/bin /bin --symlink usr/sbin /sbin
    --proc /proc --dev /dev --tmpfs /tmp
    --unshare-all --new-session --die-with-parent)

echo "== outside: $(ps -e --no-headers | wc -l) processes"
echo "== inside the sandbox:"
"${sandbox[@]}" sh -c 'id; ps -ef'

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    echo "== the same, as an unprivileged user (nobody):"
    tmp=$(mktemp -d /tmp/nestbox-example.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
    cp build/nestbox "$tmp/" && chmod -R a+rX "$tmp"
    sandbox[0]=$tmp/nestbox
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "${sandbox[@]}" ps -ef
fi
