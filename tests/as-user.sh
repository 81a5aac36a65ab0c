#!/bin/bash
# Run a test script as an unprivileged user: as root, drop to a test user
# (created if missing); as anyone else, run it as is.
#
# The checkout may live where the test user cannot read (a root home), so
# the binary and the test scripts are copied to a world-readable place.
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
copy=$(mktemp -d /tmp/nestbox-as-user.XXXXXX)
trap 'rm -rf "$copy"' EXIT
cp "$NESTBOX" "$copy/nestbox"
# The suite's own files (lib.sh is a link to tests/lib.sh: copied as a file).
cp -L "$(dirname "$script")"/*.sh "$copy/"
cp -L "$(dirname "$script")"/*.py "$copy/" 2>/dev/null || true
chmod -R a+rX "$copy"
setpriv --reuid="$user" --regid="$user" --init-groups -- \
    env HOME="$home" USER="$user" LOGNAME="$user" NESTBOX="$copy/nestbox" PATH="$PATH" \
    bash "$copy/$(basename "$script")" "$@"
