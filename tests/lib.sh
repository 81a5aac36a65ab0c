# Shared helpers for nestbox's shell tests: TAP output and a sandbox
# command line that works on a merged-/usr Debian system.
set -u

: "${NESTBOX:?set NESTBOX to the nestbox binary}"
NESTBOX=$(realpath "$NESTBOX")

test_count=0
test_failed=0

ok () { test_count=$((test_count + 1)); echo "ok $test_count - $*"; }
not_ok () { test_count=$((test_count + 1)); test_failed=$((test_failed + 1)); echo "not ok $test_count - $*"; }
skip () { test_count=$((test_count + 1)); echo "ok $test_count # SKIP $*"; }

# check DESCRIPTION COMMAND...: one test point from a command's success.
check () {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

done_testing () {
    echo "1..$test_count"
    [ "$test_failed" -eq 0 ]
    exit
}

# wait_until COMMAND...: poll COMMAND until it succeeds, up to 5 s.
wait_until () {
    local i
    for i in $(seq 100); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    return 1
}

# no_process PGREP-ARGS...: no process matches (for wait_until).
no_process () { ! pgrep "$@" >/dev/null; }

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
