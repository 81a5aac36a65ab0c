# Helpers for a client script's --scenario mode, one side of
# compare_client_runs (lib.sh): TAP points named after the side.  Sourced
# by the script first thing; copied next to it for the test user.

# scenario_if_asked "$@": with "--scenario BINDIR LABEL", run the script's
# scenario BINDIR (points named after LABEL) and exit with its status.
scenario_if_asked () {
    [ "${1:-}" = --scenario ] || return 0
    label=$3 n=0 failed=0
    scenario "$2"
    exit
}

# point STATUS DESCRIPTION [DETAILS]: one point, passed when STATUS is 0;
# the last lines of DETAILS are shown when it fails.
point () {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $label: $2"; else failed=$((failed + 1)); echo "not ok $n - $label: $2"; fi
    [ "$1" = 0 ] || [ -z "${3:-}" ] || printf '%s\n' "$3" | tail -20 | sed 's/^/#   /'
}

# scenario_end DIR: remove the scenario's scratch DIR, print the plan and a
# count; fails when a point failed.
scenario_end () {
    cd / && rm -rf "$1"
    echo "1..$n"
    echo "# $label: $((n - failed)) of $n passed"
    [ "$failed" = 0 ]
}
