# Shared helpers for nestbox's shell tests: TAP output (tap.sh) and a
# sandbox command line that works on a merged-/usr Debian system.
set -u

: "${NESTBOX:?set NESTBOX to the nestbox binary}"
NESTBOX=$(realpath "$NESTBOX")

# shellcheck source=tap.sh
. "${BASH_SOURCE[0]%/*}/tap.sh"

# Debian's python3 (with python3-seccomp), not whatever comes first in PATH.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# The unprivileged user of the tests that drop privileges themselves
# (the same one tests/as-user.sh uses); root creates it when missing.
TEST_USER=nestbox-tester
ensure_test_user () { id "$TEST_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$TEST_USER"; }

is_root () { [ "$(id -u)" = 0 ]; }

# A minimal root: the host's /usr, the merged-/usr links and /dev/null
# (without it "2>/dev/null" inside would fail, and a negated check with it
# would pass for the wrong reason).
ROOTFS_ARGS=(--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/bin /bin --symlink usr/sbin /sbin
             --dev-bind /dev/null /dev/null)
[ -e /usr/lib64 ] && ROOTFS_ARGS+=(--symlink usr/lib64 /lib64)

# run ARGS...: nestbox on the minimal root.
run () { "$NESTBOX" "${ROOTFS_ARGS[@]}" "$@"; }

# A scratch directory every test user can use; removed on exit.
SCRATCH=$(mktemp -d /tmp/nestbox-test.XXXXXX)
chmod 0755 "$SCRATCH"
cleanup_scratch () { rm -rf "$SCRATCH"; }
trap cleanup_scratch EXIT

# Expect exit status 1 and exactly one line on stderr matching PATTERN.
# expect_error PATTERN ARGS...
expect_error () {
    local pattern=$1 err rc lines
    shift
    err=$("$@" 2>&1 >/dev/null </dev/null)
    rc=$?
    lines=$(printf '%s\n' "$err" | grep -c .)
    if [ "$rc" != 1 ]; then echo "# exit $rc, want 1: $*" >&2; echo "# stderr: $err" >&2; return 1; fi
    if [ "$lines" != 1 ]; then echo "# $lines lines on stderr, want 1: $err" >&2; return 1; fi
    if ! printf '%s\n' "$err" | grep -q -e "$pattern"; then echo "# stderr '$err' does not match '$pattern'" >&2; return 1; fi
    return 0
}
