# TAP output for every shell suite of nestbox, and a wait helper: the one
# copy.  tests/lib.sh sources it; suites that need no sandbox helpers
# (docs, clients) source it alone.

test_count=0
test_failed=0
test_skipped=0

ok () { test_count=$((test_count + 1)); echo "ok $test_count - $*"; }
not_ok () { test_count=$((test_count + 1)); test_failed=$((test_failed + 1)); echo "not ok $test_count - $*"; }
skip () { test_count=$((test_count + 1)); test_skipped=$((test_skipped + 1)); echo "ok $test_count # SKIP $*"; }
# The whole suite skips: meson reads "1..0 # SKIP" with status 0 as a skip.
skip_all () { echo "1..0 # SKIP $*"; exit 0; }

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

# wait_until COMMAND...: poll COMMAND until it succeeds, up to
# $WAIT_SECONDS (default 5) s.
wait_until () {
    local i
    for i in $(seq $((${WAIT_SECONDS:-5} * 20))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    return 1
}

# no_process PGREP-ARGS...: no process matches (for wait_until).
no_process () { ! pgrep "$@" >/dev/null; }
