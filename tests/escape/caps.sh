#!/bin/bash
# The command's capability sets and no_new_privs, read from
# /proc/self/status inside the sandbox, against what the options and the
# uid say.  The rules (bubblewrap's, which nestbox follows):
#  - no_new_privs is always set;
#  - with --cap-add/--cap-drop, the bounding, permitted, effective,
#    inheritable and ambient sets are all exactly the resulting set, whatever
#    the uid (bwrap leaves a root caller's bounding set alone when there is no
#    user namespace; nestbox narrows it too, as --cap-drop asks);
#  - without them, a non-root caller's command has no capability at all; a
#    root caller's command keeps root's effective set if it runs as uid 0,
#    without raising inheritable or ambient ones, and has none if it runs as
#    another uid (the kernel clears them at exec, and bwrap raises no ambient
#    set to keep them).
# Runs as root and, through as-user.sh, unprivileged.
. "$(dirname "$0")/../lib.sh"

last=$(cat /proc/sys/kernel/cap_last_cap)
ALL=$(( (1 << (last + 1)) - 1 ))
caller_eff=$(( 16#$(awk '/^CapEff/ {print $2}' /proc/self/status) ))
caller_inh=$(( 16#$(awk '/^CapInh/ {print $2}' /proc/self/status) ))
caller_amb=$(( 16#$(awk '/^CapAmb/ {print $2}' /proc/self/status) ))

cap_bit () { echo $(( 1 << $(python3 -c 'import sys; print({"CAP_CHOWN": 0, "CAP_SETUID": 7, "CAP_NET_ADMIN": 12, "CAP_SYS_ADMIN": 21}[sys.argv[1]])' "$1") )); }
CHOWN=$(cap_bit CAP_CHOWN)
SETUID=$(cap_bit CAP_SETUID)
NET_ADMIN=$(cap_bit CAP_NET_ADMIN)
SYS_ADMIN=$(cap_bit CAP_SYS_ADMIN)

# sets OPTIONS...: "inh prm eff bnd amb nnp" of a command in a sandbox.
sets () {
    run --proc /proc --unshare-pid "$@" grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status |
        awk '{ v[$1] = $2 } END { print v["CapInh:"], v["CapPrm:"], v["CapEff:"], v["CapBnd:"], v["CapAmb:"], v["NoNewPrivs:"] }'
}

# expect DESC INH PRM EFF BND AMB OPTIONS...
expect () {
    local desc=$1 want got
    want=$(printf '%016x %016x %016x %016x %016x 1' "$2" "$3" "$4" "$5" "$6")
    shift 6
    got=$(sets "$@" 2>&1)
    if [ "$got" = "$want" ]; then
        ok "$desc"
    else
        not_ok "$desc"
        echo "#   options: $*"
        echo "#   want inh prm eff bnd amb nnp: $want"
        echo "#   got:                          $got"
    fi
}

# expect_all DESC SET OPTIONS...: all five sets are SET.
expect_all () {
    local desc=$1 set=$2
    shift 2
    expect "$desc" "$set" "$set" "$set" "$set" "$set" "$@"
}

if is_root; then
    expect "root, no options: the caller's sets untouched (no capset), no_new_privs" \
        "$caller_inh" "$caller_eff" "$caller_eff" "$caller_eff" "$caller_amb"
    expect "root, --unshare-user: uid 0 keeps root's effective set, none made inheritable or ambient" \
        "$caller_inh" "$caller_eff" "$caller_eff" "$caller_eff" 0 --unshare-user
    expect "root, --unshare-user --uid 1000: a non-root uid has no capability (as bwrap)" \
        0 0 0 "$caller_eff" 0 --unshare-user --uid 1000
    expect_all "root, --cap-drop ALL: nothing, bounding set included" 0 --cap-drop ALL
    expect_all "root, --cap-drop CAP_SYS_ADMIN: the rest" $(( caller_eff & ~SYS_ADMIN )) --cap-drop CAP_SYS_ADMIN
    expect_all "root, --unshare-user --cap-drop ALL --cap-add CAP_NET_ADMIN" "$NET_ADMIN" \
        --unshare-user --cap-drop ALL --cap-add CAP_NET_ADMIN
    expect_all "root, --unshare-user --uid 1000 --cap-drop ALL --cap-add CAP_NET_ADMIN: kept across the uid change" \
        "$NET_ADMIN" --unshare-user --uid 1000 --cap-drop ALL --cap-add CAP_NET_ADMIN
    expect_all "root, --unshare-user --cap-add ALL: every capability in the user namespace" "$ALL" \
        --unshare-user --cap-add ALL
    expect_all "root, --cap-add ALL without a user namespace: what root has (bwrap carries on too)" "$caller_eff" \
        --cap-add ALL
    expect_all "root, --cap-add ALL --cap-drop CAP_SYS_ADMIN without a user namespace: the drop still applies" \
        $(( caller_eff & ~SYS_ADMIN )) --cap-add ALL --cap-drop CAP_SYS_ADMIN
else
    expect_all "no options: no capability at all" 0
    expect_all "--uid 0: still none (uid 0 in a user namespace gets nothing unasked)" 0 --uid 0
    expect_all "--cap-add CAP_NET_ADMIN: exactly that one" "$NET_ADMIN" --cap-add CAP_NET_ADMIN
    expect_all "--cap-add CAP_NET_ADMIN --uid 1234: kept for a non-root uid (ambient)" "$NET_ADMIN" \
        --cap-add CAP_NET_ADMIN --uid 1234
    expect_all "--uid 0 --cap-add CAP_CHOWN" "$CHOWN" --uid 0 --cap-add CAP_CHOWN
    expect_all "--cap-add ALL: every capability (of the user namespace)" "$ALL" --cap-add ALL
    expect_all "--cap-add ALL --cap-drop CAP_SYS_ADMIN: in order" $(( ALL & ~SYS_ADMIN )) --cap-add ALL --cap-drop CAP_SYS_ADMIN
    expect_all "--cap-drop ALL --cap-add CAP_SETUID: in order" "$SETUID" --cap-drop ALL --cap-add CAP_SETUID
fi

# no_new_privs whatever the options (every case above checks it too).
for opts in "--unshare-user" "--unshare-all" "--unshare-user --disable-userns" "--as-pid-1" "--dev /dev"; do
    check "no_new_privs is set ($opts)" test "$(run --proc /proc --unshare-pid $opts grep '^NoNewPrivs:' /proc/self/status | cut -f2)" = 1
done

done_testing
