#!/bin/bash
# Flatpak's own installed tests (Debian's flatpak-tests: 54 tests, about
# 1,600 bwrap calls: flatpak run and build with --args memfds, --seccomp,
# --ro-bind-data, --file + --perms, --info-fd, --sync-fd, --lock-file,
# --ro-bind-fd, the CVE checks) run by gnome-desktop-testing-runner as an
# unprivileged user, with FLATPAK_BWRAP pointing at a `bwrap` that is
# nestbox.
#
# The yardstick is Debian's bwrap on the same machine.  A full second run
# takes as long again (about 9 minutes on 2 cores), so by default only the
# tests that fail with nestbox are run again with Debian's bwrap: a test
# that fails with both is environmental (here: revokefs-fuse, runner
# timeouts), one that fails only with nestbox is a nestbox failure.
# NESTBOX_FLATPAK_BASELINE=full runs the whole suite both ways and compares
# the counts; =none skips the second run.
NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}") && export NESTBOX
cd "$(dirname "$0")" || exit 1
source ./lib.sh

baseline=${NESTBOX_FLATPAK_BASELINE:-failures}
jobs=${NESTBOX_FLATPAK_JOBS:-$(nproc)}
timeout=${NESTBOX_FLATPAK_TIMEOUT:-300}

[ -d /usr/libexec/installed-tests/Flatpak ] ||
    skip_all "flatpak-tests is not installed (apt-get install flatpak-tests gnome-desktop-testing)"
command -v gnome-desktop-testing-runner >/dev/null ||
    skip_all "gnome-desktop-testing-runner is not installed (apt-get install gnome-desktop-testing)"
if [ "$(id -u)" = 0 ]; then
    ensure_test_user || skip_all "cannot create the unprivileged test user $TEST_USER"
    runner=(as_test_user)
else
    # Already unprivileged: run as we are.
    runner=(env -i HOME="$HOME" PATH="$PATH" LANG=C.UTF-8)
fi

make_shim_dir
work=$(mktemp -d /tmp/flatpak-tests.XXXXXX)
chmod 0755 "$work"
# Flatpak's suite leaves its D-Bus-activated test-authenticator running
# after its dbus-daemon is gone, and the /var/tmp/test-flatpak-* directory
# of its xattr probe (outside any sandbox, with bwrap too): the run's
# leftovers go with the run.
flatpak_tmp_before=$(ls -d /var/tmp/test-flatpak-* 2>/dev/null)
leftovers () {
    local d
    pkill -u "$([ "$(id -u)" = 0 ] && echo "$TEST_USER" || id -u)" -f '^/usr/libexec/installed-tests/Flatpak/' 2>/dev/null
    for d in /var/tmp/test-flatpak-*; do
        [ -e "$d" ] && ! grep -qxF "$d" <<< "$flatpak_tmp_before" && rm -rf "$d"
    done
    rm -rf "$SHIM_DIR" "$work"
}
trap leftovers EXIT

has_baseline () { [ -x "$DEBIAN_BWRAP" ] && [ "$baseline" != none ]; }

# run_suite SIDE BWRAP [TEST...]: one run of the runner; its per-test
# results become points, and the names of failing tests go to $work/SIDE.failed.
run_suite () {
    local side=$1 bwrap=$2 dir line name passed=0 total=0 log
    shift 2
    dir=$work/$side
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown "$TEST_USER" "$dir"
    log=$work/$side.log
    : > "$work/$side.failed"
    mkdir -p "$dir/logs"
    [ "$(id -u)" = 0 ] && chown "$TEST_USER" "$dir/logs"
    (cd "$dir" && "${runner[@]}" FLATPAK_BWRAP="$bwrap" \
        gnome-desktop-testing-runner -p "$jobs" -t "$timeout" -L "$dir/logs" "${@:-Flatpak}") > "$log" 2>&1
    while IFS= read -r line; do
        if [[ $line =~ ^(PASS|FAIL|SKIP):\ (Flatpak/[^ ]*)(.*)$ ]]; then
            name=${BASH_REMATCH[2]}
            case ${BASH_REMATCH[1]} in
                PASS) ok "$side: $name"; passed=$((passed + 1)); total=$((total + 1)) ;;
                SKIP) skip "$side: $name${BASH_REMATCH[3]}" ;;
                FAIL)
                    total=$((total + 1))
                    echo "$name" >> "$work/$side.failed"
                    if [[ $side == bwrap* ]]; then
                        # The baseline's failures: shown, counted, no point.
                        echo "# baseline, not passed with Debian's bwrap: $name${BASH_REMATCH[3]}"
                    else
                        # With a baseline, the comparison below gives the
                        # point: a test that fails with bwrap too is the
                        # environment's, not nestbox's.
                        if has_baseline; then
                            echo "# $side: $name${BASH_REMATCH[3]}"
                        else
                            not_ok "$side: $name${BASH_REMATCH[3]}"
                        fi
                        # Say why: the test's failing points and the
                        # sandbox's messages, from the test's own log.
                        grep -hE '^not ok|^Bail out|bwrap:|nestbox:|^error:' \
                            "$dir/logs/${name//\//_}.txt" "$dir/logs/${name//\//_}"* 2>/dev/null |
                            sort -u | head -8 | sed 's/^/#   /'
                    fi ;;
            esac
        fi
    done < <(grep -E '^(PASS|FAIL|SKIP): ' "$log" | sort -u)
    record "$side" "$passed" "$total"
    grep '^SUMMARY' "$log" | head -1 | sed "s/^/# $side: /"
}

run_suite "nestbox" "$SHIM_DIR/bwrap"
if [ "${side_total[nestbox]:-0}" = 0 ]; then
    not_ok "the runner ran no test with nestbox: $(tail -3 "$work/nestbox.log" | tr '\n' ' ')"
fi

if [ ! -x "$DEBIAN_BWRAP" ]; then
    skip "Debian's bwrap ($DEBIAN_BWRAP) is not installed: no baseline"
elif [ "$baseline" = full ]; then
    run_suite "bwrap" "$DEBIAN_BWRAP"
    not_fewer nestbox bwrap
elif [ "$baseline" = failures ]; then
    mapfile -t failed < "$work/nestbox.failed"
    if [ ${#failed[@]} -eq 0 ]; then
        ok "no test failed with nestbox: no baseline run needed"
    else
        run_suite "bwrap (tests that failed with nestbox)" "$DEBIAN_BWRAP" "${failed[@]}"
        for name in "${failed[@]}"; do
            if grep -qx "$name" "$work/bwrap (tests that failed with nestbox).failed"; then
                ok "$name fails with Debian's bwrap as well: not nestbox's doing"
            else
                not_ok "$name fails with nestbox only"
            fi
        done
    fi
else
    skip "NESTBOX_FLATPAK_BASELINE=$baseline: no run with Debian's bwrap"
fi
done_testing
