# shellcheck shell=bash
# Shared helpers for the client tests: each runs a real bwrap client (or a
# replay of one) twice, once against nestbox and once against Debian's
# /usr/bin/bwrap, and reports both pass counts side by side.
set -u

: "${NESTBOX:?set NESTBOX to the nestbox binary}"
NESTBOX=$(realpath "$NESTBOX")
DEBIAN_BWRAP=${DEBIAN_BWRAP:-/usr/bin/bwrap}
TEST_USER=${TEST_USER:-nestbox-tester}

# shellcheck source=../tap.sh
. "${BASH_SOURCE[0]%/*}/../tap.sh"
declare -A side_pass=() side_total=()

# record SIDE PASSED TOTAL: add to the side-by-side table.
record () {
    side_pass[$1]=$(( ${side_pass[$1]:-0} + $2 ))
    side_total[$1]=$(( ${side_total[$1]:-0} + $3 ))
}

# tap_include SIDE COMMAND...: run a TAP producer, renumber its points into
# ours, count its passes for SIDE.  A SIDE named "bwrap..." is the baseline:
# its failures become comments.
tap_include () {
    local side=$1 line passed=0 total=0 rest
    shift
    while IFS= read -r line; do
        if [[ $line =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
            rest=${BASH_REMATCH[2]}
            total=$((total + 1))
            if [[ -z ${BASH_REMATCH[1]} ]]; then
                passed=$((passed + 1))
                ok "${rest# - }"
            elif [[ $rest == *'# TODO'* ]]; then
                test_count=$((test_count + 1)); echo "not ok $test_count$rest"
            elif [[ $side == bwrap* ]]; then
                # Debian's bwrap is the yardstick, not the thing under test:
                # its failures are shown and counted in the table, but are
                # no test points (a TODO point would still be read as a
                # failure by tools/test.sh's closing count).
                echo "# baseline, not passed with Debian's bwrap:${rest}"
            else
                not_ok "${rest# - }"
            fi
        elif [[ $line =~ ^1\.\.[0-9]+ ]]; then
            :
        else
            echo "$line"
        fi
    done < <("$@" 2>&1)
    record "$side" "$passed" "$total"
}

# A directory with a `bwrap` that is nestbox, readable by the test user:
# clients find bwrap through PATH.
make_shim_dir () {
    SHIM_DIR=$(mktemp -d /tmp/nestbox-client.XXXXXX)
    cp "$NESTBOX" "$SHIM_DIR/nestbox"
    ln -s nestbox "$SHIM_DIR/bwrap"
    chmod 0755 "$SHIM_DIR" "$SHIM_DIR/nestbox"
}

# A directory whose `bwrap` is Debian's, for the other side.
make_debian_dir () {
    DEBIAN_DIR=$(mktemp -d /tmp/debian-bwrap.XXXXXX)
    ln -s "$DEBIAN_BWRAP" "$DEBIAN_DIR/bwrap"
    chmod 0755 "$DEBIAN_DIR"
}

ensure_test_user () {
    [ "$(id -u)" = 0 ] || return 1
    id "$TEST_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$TEST_USER" || return 1
}

# as_test_user COMMAND...: run as the unprivileged test user, with a clean
# environment but PATH and HOME.
as_test_user () {
    local home
    home=$(getent passwd "$TEST_USER" | cut -d: -f6)
    setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- \
        env -i HOME="$home" USER="$TEST_USER" LOGNAME="$TEST_USER" PATH="$PATH" LANG=C.UTF-8 "$@"
}

# side_by_side: the closing table, one line per side, then the TAP plan.
side_by_side () {
    local side
    echo "# pass counts, side by side:"
    for side in "${!side_total[@]}"; do
        printf '#   %-28s %s of %s\n' "$side" "${side_pass[$side]}" "${side_total[$side]}"
    done | sort
}

# not_fewer NESTBOX_SIDE BWRAP_SIDE: one point, nestbox passes at least as
# many as Debian's bwrap.
not_fewer () {
    local n=${side_pass[$1]:-0} b=${side_pass[$2]:-0}
    if [ "$n" -ge "$b" ]; then
        ok "$1 passes at least as many as $2 ($n >= $b)"
    else
        not_ok "$1 passes fewer than $2 ($n < $b)"
    fi
}

# The clients' closing: the side-by-side table, then the TAP plan (this
# replaces tap.sh's done_testing, and returns instead of exiting).
done_testing () {
    side_by_side
    echo "1..$test_count"
    [ "$test_failed" -eq 0 ]
}

# compare_sides RUN FILE...: a client's scenario once per side (nestbox
# through a bwrap shim, then Debian's bwrap) and per user (the caller, then
# the test user), and a check that nestbox passes no fewer points than
# bwrap.  The FILEs are copied to $CLIENT_COPY, where the test user can read
# them.  RUN WHO DIR LABEL runs one side; DIR holds the `bwrap` to use.
compare_sides () {
    local run=$1 runs who side dir label
    shift
    make_shim_dir
    local have_debian=false
    [ -x "$DEBIAN_BWRAP" ] && { have_debian=true; make_debian_dir; }
    # Global: the EXIT trap runs after this function has returned.
    CLIENT_COPY=$(mktemp -d /tmp/nestbox-client-copy.XXXXXX)
    cp "$@" "$CLIENT_COPY/"
    chmod -R a+rX "$CLIENT_COPY"
    trap 'rm -rf "$SHIM_DIR" "${DEBIAN_DIR:-}" "$CLIENT_COPY"' EXIT

    runs=(caller)
    ensure_test_user && runs+=(user)
    for who in "${runs[@]}"; do
        for side in nestbox bwrap; do
            if [ $side = nestbox ]; then dir=$SHIM_DIR; else dir=${DEBIAN_DIR:-}; fi
            label="$side (as $who)"
            if [ -z "$dir" ]; then
                skip "$label: Debian's bwrap ($DEBIAN_BWRAP) is not installed"
                continue
            fi
            tap_include "$label" "$run" "$who" "$dir" "$label"
        done
        $have_debian && not_fewer "nestbox (as $who)" "bwrap (as $who)"
    done
}

# as_who WHO COMMAND...: COMMAND as the caller, or as the test user.
as_who () {
    local who=$1
    shift
    if [ "$who" = caller ]; then "$@"; else as_test_user "$@"; fi
}

# compare_client_runs SCRIPT: compare_sides for a SCRIPT whose
# "--scenario DIR LABEL" mode is one side (with scenario.sh's helpers).
compare_client_runs () {
    CLIENT_SCRIPT=$1
    compare_sides run_client_scenario "$CLIENT_SCRIPT" scenario.sh
}
run_client_scenario () { as_who "$1" bash "$CLIENT_COPY/$CLIENT_SCRIPT" --scenario "$2" "$3"; }
