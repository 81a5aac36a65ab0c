# The verdicts of the escape suites, on the one line an attack prints
# ("stopped: ..." and exit 0, or "ESCAPED: ..." and exit 1).

# stopped DESC PATTERN CMD...: CMD's attack must be stopped, its report
# matching PATTERN (which pins down the mechanism).
stopped () {
    local desc=$1 pattern=$2 out rc
    shift 2
    out=$("$@" 2>&1 </dev/null)
    rc=$?
    if [ "$rc" = 0 ] && grep -q -e "^stopped: .*$pattern" <<<"$out"; then
        ok "$desc"
        grep '^stopped:' <<<"$out" | sed 's/^/#   /'
    else
        not_ok "$desc"
        sed 's/^/#   /' <<<"$out"
        echo "#   (exit $rc; want a 'stopped:' line matching '$pattern')"
    fi
}

# escapes DESC CMD...: a control: without the protection the attack works.
escapes () {
    local desc=$1 out rc
    shift
    out=$("$@" 2>&1 </dev/null)
    rc=$?
    # Not anchored: input an attack pushed into a terminal is echoed first.
    if [ "$rc" = 1 ] && grep -q 'ESCAPED:' <<<"$out"; then
        ok "control: $desc"
    else
        not_ok "control: $desc"
        sed 's/^/#   /' <<<"$out"
        echo "#   (exit $rc; want an 'ESCAPED:' line)"
    fi
}
