#!/bin/bash
# Every option that `nestbox --help` lists is accepted by the parser and has
# an entry of its own in nestbox(1), and every option nestbox(1) documents
# is one the parser accepts; every check `nestbox doctor --json` reports is
# described in nestbox-doctor(1).
#
# The option list is taken from the binary at test time, so an option added
# to the parser without a man page entry fails here.
#
#   options-documented.sh NESTBOX.1 NESTBOX-DOCTOR.1     (the built pages)
NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}")
man_page=${1:-}
doctor_page=${2:-}

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

if [ -z "$man_page" ] || [ ! -f "$man_page" ]; then
    echo "1..0 # SKIP the man pages were not built (scdoc missing: apt-get install scdoc)"
    exit 0
fi
command -v man >/dev/null || { echo "1..0 # SKIP man (man-db) is not installed"; exit 0; }

# The page as a reader sees it: wide, unhyphenated, no overstrikes.  An
# option's own entry is a line that starts with it at the indent of a term.
render () { MANWIDTH=250 MAN_KEEP_FORMATTING='' man --no-hyphenation --no-justification -l "$1" 2>/dev/null | col -bx; }
man_text=$(render "$man_page")
[ -n "$man_text" ] || { echo "1..1"; echo "not ok 1 - $man_page renders to nothing"; exit 1; }
mapfile -t help_options < <("$NESTBOX" --help | sed -n 's/^    \(--[a-z0-9-]*\).*/\1/p')
mapfile -t man_terms < <(sed -n 's/^       \(--[a-z0-9-]*\).*/\1/p' <<<"$man_text" | sort -u)

if [ ${#help_options[@]} -ge 60 ]; then
    ok "--help lists ${#help_options[@]} options"
else
    not_ok "--help lists only ${#help_options[@]} options (parsing its format failed?)"
fi

# The parser knows an option when it does not call it unknown.
accepted () {
    local err
    err=$("$NESTBOX" "$1" </dev/null 2>&1 >/dev/null)
    [[ $err != *"Unknown option $1"* ]]
}

for opt in "${help_options[@]}"; do
    if ! accepted "$opt"; then
        not_ok "$opt is listed by --help but the parser calls it unknown"
    elif printf '%s\n' "${man_terms[@]}" | grep -qx -- "$opt"; then
        ok "$opt has an entry in nestbox(1)"
    else
        not_ok "$opt is accepted and listed by --help but has no entry in nestbox(1)"
    fi
done

for opt in "${man_terms[@]}"; do
    printf '%s\n' "${help_options[@]}" | grep -qx -- "$opt" && continue
    if [ "$opt" = --json ]; then
        continue    # doctor's option, checked below
    elif accepted "$opt"; then
        not_ok "$opt is documented and accepted but missing from --help"
    else
        not_ok "$opt is documented in nestbox(1) but this nestbox does not accept it"
    fi
done

# The subcommand: in --help, in nestbox(1), and its own page.
"$NESTBOX" --help | grep -q "doctor \[--json\]"
[ $? = 0 ] && ok "--help mentions 'doctor [--json]'" || not_ok "--help does not mention the doctor subcommand"
grep -q "^DOCTOR" <<<"$man_text" && grep -q "nestbox-doctor(1)" <<<"$man_text"
[ $? = 0 ] && ok "nestbox(1) has a DOCTOR section pointing to nestbox-doctor(1)" ||
    not_ok "nestbox(1) lacks the DOCTOR section"
for section in "EXIT STATUS" ENVIRONMENT EXAMPLES; do
    grep -q "^$section" <<<"$man_text" && ok "nestbox(1) has $section" || not_ok "nestbox(1) has no $section section"
done
for example in "CI executor" "image builder" "interactive shell"; do
    grep -qi "^   An* $example\|^   A $example" <<<"$man_text" && ok "nestbox(1) has the example '$example'" ||
        not_ok "nestbox(1) has no example '$example'"
done

if [ -z "$doctor_page" ] || [ ! -f "$doctor_page" ]; then
    not_ok "nestbox-doctor(1) was not built"
else
    doctor_text=$(render "$doctor_page")
    grep -q "^       --json" <<<"$doctor_text" && ok "nestbox-doctor(1) documents --json" ||
        not_ok "nestbox-doctor(1) does not document --json"
    json=$("$NESTBOX" doctor --json 2>/dev/null)
    if ! names=$(/usr/bin/python3 -c 'import json, sys
for c in json.load(sys.stdin)["checks"]: print(c["name"])' <<<"$json" 2>/dev/null) || [ -z "$names" ]; then
        not_ok "nestbox doctor --json did not print a report: $(head -c 300 <<<"$json")"
    else
        while read -r name; do
            if grep -q "^       $name\$" <<<"$doctor_text"; then
                ok "doctor check '$name' is described in nestbox-doctor(1)"
            else
                not_ok "doctor check '$name' is not described in nestbox-doctor(1)"
            fi
        done <<<"$names"
    fi
fi

# Lint: groff's own warnings about the generated roff.
warnings=$(MANWIDTH=80 man --warnings -l "$man_page" 2>&1 >/dev/null; [ -z "$doctor_page" ] || MANWIDTH=80 man --warnings -l "$doctor_page" 2>&1 >/dev/null)
[ -z "$warnings" ] && ok "groff reports no warnings for the pages" || not_ok "groff warnings: $warnings"

done_testing
