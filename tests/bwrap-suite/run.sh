#!/bin/bash
# Run bubblewrap's own test scripts against any bwrap-compatible binary.
#
# Usage: tests/bwrap-suite/run.sh BINARY SRCDIR BUILDDIR [--as-user USER] [--output DIR]
#
#   BINARY    the binary under test (e.g. build/nestbox, or /usr/bin/bwrap)
#   SRCDIR    root of a bubblewrap source tree (has tests/test-run.sh), e.g. the
#             one printed by tests/bwrap-suite/fetch-debian-source.sh
#   BUILDDIR  a meson build dir of that tree (has tests/try-syscall)
#   --as-user USER  run the suite as this unprivileged user (created with
#             `useradd -m` if missing; needs root; makes SRCDIR, BUILDDIR and
#             BINARY readable by all). Default: the calling user.
#   --output DIR    keep each script's stdout (TAP) and stderr here
#             (default: a new directory under /tmp, removed if all pass).
#
# The scripts pick the binary from $BWRAP and some match "usage: $BWRAP" and
# "bwrap: ..." messages, so BINARY is reached through a symlink named `bwrap`
# that also comes first in PATH (scripts and their sandboxes call plain `bwrap`).
# BWRAP_MUST_WORK=1 makes a binary that cannot start fail the suite instead of
# turning every script into "1..0 # SKIP".
#
# Prints pass/skip/fail per script and ends with the line
#   N passed, N failed, N skipped
# Exits 1 if any test failed, a script stopped early (test-run.sh aborts at the
# first failure), timed out, or the run left mounts or processes behind.
set -euo pipefail

prog=${0##*/}
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 2; }
usage() { sed -n "3,15s/^# \{0,1\}//p" "$0" >&2; exit "${1:-2}"; }

scripts=(test-run.sh test-specifying-userns.sh test-specifying-pidns.sh test-seccomp.py)
timeout_s=300

positional=() as_user="" outdir=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --as-user) [[ $# -ge 2 ]] || usage; as_user=$2; shift 2 ;;
        --as-user=*) as_user=${1#*=}; shift ;;
        --output) [[ $# -ge 2 ]] || usage; outdir=$2; shift 2 ;;
        --output=*) outdir=${1#*=}; shift ;;
        -h|--help) usage 0 ;;
        -*) die "unknown option: $1" ;;
        *) positional+=("$1"); shift ;;
    esac
done
[[ ${#positional[@]} -eq 3 ]] || usage

binary=$(realpath -e -- "${positional[0]}") || die "no such binary: ${positional[0]}"
srcdir=$(realpath -e -- "${positional[1]}") || die "no such source dir: ${positional[1]}"
builddir=$(realpath -e -- "${positional[2]}") || die "no such build dir: ${positional[2]}"
[[ -f $binary && -x $binary ]] || die "$binary is not an executable file"
[[ -f $srcdir/tests/test-run.sh && -f $srcdir/tests/libtest.sh ]] \
    || die "$srcdir does not look like a bubblewrap source tree (no tests/test-run.sh)"
[[ -x $builddir/tests/try-syscall ]] \
    || die "$builddir/tests/try-syscall missing: build the tree first (meson setup BUILDDIR -Dpython=/usr/bin/python3 && meson compile -C BUILDDIR)"
for tool in timeout setpriv awk; do
    command -v "$tool" >/dev/null || die "$tool not found"
done

# --- who runs the tests ---------------------------------------------------
# Run as the user directly with setpriv rather than su: no PAM session, no
# tty or stdin needed (CI has neither), and the uid change clears all
# capabilities, as for a normal login of that user.
runner=()
if [[ -n $as_user ]]; then
    [[ $(id -u) -eq 0 ]] || die "--as-user needs root"
    if ! id -u -- "$as_user" >/dev/null 2>&1; then
        echo "$prog: creating user $as_user" >&2
        useradd -m -s /bin/bash -- "$as_user"
    fi
    run_uid=$(id -u -- "$as_user")
    run_gid=$(id -g -- "$as_user")
    [[ $run_uid -ne 0 ]] || die "--as-user must name an unprivileged user"
    run_home=$(getent passwd "$as_user" | cut -d: -f6)
    runner=(setpriv --reuid="$run_uid" --regid="$run_gid" --init-groups)
    # The user must be able to read the tree and run the helpers and binary.
    chmod -R a+rX -- "$srcdir" "$builddir"
    chmod a+rx -- "$binary"
    run_user=$as_user
else
    run_uid=$(id -u)
    run_user=$(id -un)
    run_home=${HOME:-/}
fi

# --- scratch state ---------------------------------------------------------
bindir=$(mktemp -d /tmp/bwrap-suite-bin.XXXXXX)
cleanup() { rm -rf -- "$bindir"; }
trap cleanup EXIT
chmod 755 "$bindir"
ln -s -- "$binary" "$bindir/bwrap"

auto_outdir=false
if [[ -z $outdir ]]; then
    # Kept only if something fails (see the end), so runs do not pile up.
    outdir=$(mktemp -d /tmp/bwrap-suite-out.XXXXXX)
    auto_outdir=true
else
    mkdir -p -- "$outdir"
    outdir=$(realpath -- "$outdir")
fi
if [[ -n $as_user ]]; then chown -R -- "$run_uid:$run_gid" "$outdir"; fi

# A marker in the tests' environment lets us find processes they left behind
# (sandboxes started with --new-session escape timeout's process-group kill).
marker="NESTBOX_BWRAP_SUITE_RUN=$$.$RANDOM$RANDOM"

# A clean, fixed environment: results must not depend on the caller's shell.
test_env=(
    env -i
    "PATH=$bindir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "HOME=$run_home" "USER=$run_user" "LOGNAME=$run_user" "LANG=C.UTF-8"
    "BWRAP=$bindir/bwrap"
    "G_TEST_SRCDIR=$srcdir" "G_TEST_BUILDDIR=$builddir"
    "BWRAP_MUST_WORK=1"
    "$marker"
)

# Every path the user needs must be reachable through its parents too.
if [[ -n $as_user ]]; then
    for p in "$bindir/bwrap" "$builddir/tests/try-syscall"; do
        "${runner[@]}" test -x "$p" \
            || die "$as_user cannot execute $p (a parent directory is not searchable by others?)"
    done
    "${runner[@]}" test -r "$srcdir/tests/test-run.sh" \
        || die "$as_user cannot read $srcdir (a parent directory is not searchable by others?)"
    "${runner[@]}" test -w "$outdir" || die "$as_user cannot write to $outdir"
fi

tap_dirs_before=$(ls -d /var/tmp/tap-test.* 2>/dev/null || true)

# Preflight: the suite's basic sandbox. If even this fails every script fails,
# and the userns/pidns scripts would wait for a sandbox that never starts until
# their timeout: shorten it so a broken binary costs seconds, not 10 minutes.
preflight_rc=0
preflight_err=$(cd "$outdir" && "${runner[@]}" "${test_env[@]}" timeout -k 5 30 \
    "$bindir/bwrap" --bind / / --tmpfs /tmp true 2>&1 </dev/null) || preflight_rc=$?

echo "binary:  $binary ($("$binary" --version 2>&1 | head -n1 || true))"
echo "suite:   $srcdir (build $builddir)"
echo "user:    $run_user (uid $run_uid)"
echo "output:  $outdir"
if [[ $preflight_rc -ne 0 ]]; then
    timeout_s=20
    echo "WARNING: 'bwrap --bind / / --tmpfs /tmp true' failed (rc $preflight_rc):"
    printf '%s\n' "$preflight_err" | tail -n 5 | sed 's/^/  | /'
    echo "  every script will fail; timeouts shortened to ${timeout_s}s"
fi
echo

total_pass=0 total_fail=0 total_skip=0

# Count TAP results: "ok ... # SKIP" is a skip, other "ok" a pass, "not ok" a
# failure (a "# TODO" failure is expected and not counted). A "1..0 # SKIP"
# plan means the whole script skipped itself: count it as one skip.
# test-seccomp.py ignores BWRAP_MUST_WORK and skips every test with "cannot
# run bwrap" when the binary cannot start a sandbox: that is a failure here.
tap_counts() {
    awk '
        /^not ok([ \t]|$)/ { if (tolower($0) !~ /#[ \t]*todo/) fail++; next }
        /^ok([ \t]|$)/ {
            if (tolower($0) !~ /#[ \t]*skip/) pass++
            else if ($0 ~ /cannot run bwrap|bwrap is not working/) fail++
            else skip++
            next
        }
        /^1\.\.[0-9]+/     { plan = $1; sub(/^1\.\./, "", plan); if (plan == 0) skipall = 1 }
        END {
            if (plan == "") plan = "none"
            if (skipall) skip++
            printf "%d %d %d %s\n", pass, fail, skip, plan
        }
    ' "$1"
}

for script in "${scripts[@]}"; do
    path=$srcdir/tests/$script
    tap=$outdir/$script.tap err=$outdir/$script.err
    if [[ ! -f $path ]]; then
        printf '  %-28s MISSING from %s\n' "$script" "$srcdir/tests"
        total_fail=$((total_fail + 1))
        continue
    fi
    case $script in
        *.py) interp=/usr/bin/python3 ;;
        *)    interp=/bin/bash ;;
    esac

    start=$SECONDS
    rc=0
    (cd "$outdir" && "${runner[@]}" "${test_env[@]}" \
        timeout -k 10 "$timeout_s" "$interp" "$path" >"$tap" 2>"$err" </dev/null) || rc=$?
    secs=$((SECONDS - start))

    read -r pass fail skip plan < <(tap_counts "$tap")
    ran=$((pass + fail + skip))

    # A script that stops early reports no failure of its own (test-run.sh
    # runs under set -e and just exits): count the stop as one failure.
    problem=""
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        problem="timed out after ${timeout_s}s"
    elif [[ $plan == none ]]; then
        problem="aborted after $ran test(s) without a plan line: test $((ran + 1)) failed"
    elif [[ $plan -gt 0 && $ran -ne $plan ]]; then
        problem="ran $ran of $plan planned test(s)"
    elif [[ $rc -ne 0 && $fail -eq 0 ]]; then
        problem="exit status $rc"
    fi
    if [[ -n $problem ]]; then fail=$((fail + 1)); fi

    status=PASS
    if [[ $fail -gt 0 ]]; then status=FAIL; fi
    plan_text="plan 1..$plan"
    if [[ $plan == none ]]; then plan_text="no plan"; fi
    printf '  %-28s %-4s  pass %3d  fail %3d  skip %3d  [%s, rc %d, %ds]\n' \
        "$script" "$status" "$pass" "$fail" "$skip" "$plan_text" "$rc" "$secs"
    if [[ -n $problem ]]; then
        last=$(grep -E '^(not )?ok' "$tap" | tail -n1 || true)
        echo "      $problem; last TAP line: ${last:-(none)}"
    fi
    if [[ $fail -gt 0 ]]; then
        grep -E '^not ok|^ok .*(cannot run bwrap|bwrap is not working)' "$tap" | sed 's/^/      /' || true
        echo "      --- last lines of $err:"
        tail -n 15 "$err" | sed 's/^/      | /'
    fi

    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    total_skip=$((total_skip + skip))
done

# --- leftovers ---------------------------------------------------------------
# Every test runs in /var/tmp/tap-test.*: a mount there in our namespace means
# the binary (or a test it broke) leaked a mount out of its sandbox.
leaked_mounts=$(grep 'tap-test' /proc/self/mountinfo || true)
if [[ -n $leaked_mounts ]]; then
    echo
    echo "LEFTOVER MOUNTS (in $(readlink /proc/self/ns/mnt)):"
    printf '%s\n' "$leaked_mounts" | sed 's/^/  /'
    total_fail=$((total_fail + 1))
fi

# Processes still carrying our marker outlived their test. Give sandboxes that
# are being torn down (--die-with-parent) a moment before calling them strays.
strays=()
find_strays() {
    local e pid
    strays=()
    for e in /proc/[0-9]*/environ; do
        pid=${e#/proc/}; pid=${pid%/environ}
        grep -qzx -- "$marker" "$e" 2>/dev/null && strays+=("$pid")
    done
    return 0
}
for _ in 1 2 3 4 5 6 7 8 9 10; do
    find_strays
    [[ ${#strays[@]} -eq 0 ]] && break
    sleep 0.2
done
if [[ ${#strays[@]} -gt 0 ]]; then
    echo
    echo "LEFTOVER PROCESSES (killed now):"
    for pid in "${strays[@]}"; do
        printf '  %s %s\n' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    done
    kill -KILL -- "${strays[@]}" 2>/dev/null || true
    total_fail=$((total_fail + 1))
fi

# Scratch dirs the suite failed to remove (e.g. a script killed by timeout).
# Only reported: another run of the suite (meson runs tests in parallel) may
# be using a tap-test dir that appeared meanwhile, and a leaked bind of /
# below one would make deleting it dangerous.
tap_dirs_after=$(ls -d /var/tmp/tap-test.* 2>/dev/null || true)
new_dirs=$(comm -13 <(printf '%s\n' "$tap_dirs_before" | sort) \
                    <(printf '%s\n' "$tap_dirs_after" | sort) | sed '/^$/d')
if [[ -n $new_dirs ]]; then
    echo
    echo "note: test directories left in /var/tmp (by this or a concurrent run):"
    printf '%s\n' "$new_dirs" | sed 's/^/  /'
fi

echo
if $auto_outdir && [[ $total_fail -eq 0 ]]; then
    rm -rf -- "$outdir"
    echo "all passed: removed $outdir (pass --output DIR to keep the logs)"
else
    echo "TAP output and stderr of each script: $outdir"
fi
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[[ $total_fail -eq 0 ]]
