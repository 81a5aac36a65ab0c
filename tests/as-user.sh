#!/bin/bash
# Run a test script as an unprivileged user: as root, drop to a test user
# (created if missing); as anyone else, run it as is.
#
# The checkout may live where the test user cannot read (a root home), so
# the binary, tests/lib.sh, tests/tap.sh and the suite's own files (*.sh, *.py) are copied
# to a world-readable place, in the same layout as under tests/.
set -eu
script=$1
shift
if [ "$(id -u)" != 0 ]; then
    exec bash "$script" "$@"
fi
user=nestbox-tester
if ! id "$user" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$user"
fi
home=$(getent passwd "$user" | cut -d: -f6)
tests=$(cd "$(dirname "$0")" && pwd)
suite=$(realpath --relative-to="$tests" "$script")
copy=$(mktemp -d /tmp/nestbox-as-user.XXXXXX)
trap 'rm -rf "$copy"' EXIT
cp "$NESTBOX" "$copy/nestbox"
cp "$tests/lib.sh" "$tests/tap.sh" "$copy/"
mkdir -p "$copy/$(dirname "$suite")"
for f in "$(dirname "$script")"/*.sh "$(dirname "$script")"/*.py; do
    [ -e "$f" ] && cp "$f" "$copy/$(dirname "$suite")/"
done
chmod -R a+rX "$copy"
setpriv --reuid="$user" --regid="$user" --init-groups -- \
    env HOME="$home" USER="$user" LOGNAME="$user" NESTBOX="$copy/nestbox" PATH="$PATH" \
    bash "$copy/$suite" "$@"
