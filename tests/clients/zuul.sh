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

# One side: the replay, with DIR's `bwrap` first on PATH.
run_replay () { as_who "$1" env PATH="$2:$PATH" python3 "$CLIENT_COPY/zuul_replay.py" "$3"; }
compare_sides run_replay zuul_replay.py
done_testing
