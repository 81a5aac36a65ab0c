#!/bin/bash
# Zuul's executor runs every job step as
#   setpriv --ambient-caps -all choom -n N -- bwrap ... --file FD /etc/passwd ...
# with bwrap found on PATH.  zuul_replay.py replays that argv shape, the
# --file pipes and the executor's expectations; this runs it with a `bwrap`
# on PATH that is nestbox, and with Debian's bwrap, as the caller and as an
# unprivileged user.
NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}") && export NESTBOX
cd "$(dirname "$0")" || exit 1
source ./lib.sh

command -v setpriv >/dev/null && command -v choom >/dev/null ||
    skip_all "setpriv and choom (util-linux) are not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"

make_shim_dir
have_debian=false
[ -x "$DEBIAN_BWRAP" ] && { have_debian=true; make_debian_dir; }
copy=$(mktemp -d /tmp/zuul-replay.XXXXXX)
cp zuul_replay.py "$copy/"
chmod -R a+rX "$copy"
trap 'rm -rf "$SHIM_DIR" "${DEBIAN_DIR:-}" "$copy"' EXIT

runs=("caller")
ensure_test_user && runs+=("user")

for who in "${runs[@]}"; do
    for side in nestbox bwrap; do
        if [ $side = nestbox ]; then dir=$SHIM_DIR; else dir=${DEBIAN_DIR:-}; fi
        label="$side (as $who)"
        if [ -z "$dir" ]; then
            skip "$label: Debian's bwrap ($DEBIAN_BWRAP) is not installed"
            continue
        fi
        if [ $who = caller ]; then
            tap_include "$label" env PATH="$dir:$PATH" python3 "$copy/zuul_replay.py" "$label"
        else
            tap_include "$label" env PATH="$dir:$PATH" bash -c "$(declare -f as_test_user); TEST_USER=$TEST_USER; as_test_user python3 $copy/zuul_replay.py '$label'"
        fi
    done
    $have_debian && not_fewer "nestbox (as $who)" "bwrap (as $who)"
done
done_testing
