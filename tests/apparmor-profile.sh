#!/bin/bash
# apparmor-profile.sh [SOURCE_ROOT]: nestbox's AppArmor profile for pods
# (deploy/apparmor/nestbox) on the host, without loading it: AppArmor's own
# parser accepts it (apparmor_parser -Q: parse and compile, no kernel
# needed), and it is containerd's default container profile
# (tests/guest/apparmor-containerd-default) with "deny mount" replaced by
# mount rules only, each under a comment.  Copies broken on purpose show
# that each check can fail.  That the profile enforces is shown in a guest
# with AppArmor on (tests/guest/apparmor.sh).

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${1:-$(cd "$HERE/.." && pwd)}
# shellcheck source=tap.sh
. "$HERE/tap.sh"

PROFILE=$ROOT/deploy/apparmor/nestbox
CONTAINERD=$ROOT/tests/guest/apparmor-containerd-default
PARSER=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
[ -x "$PARSER" ] ||
	skip_all "apparmor_parser is not installed (Debian's apparmor package; tools/install-deps.sh installs it)"
[ -f "$PROFILE" ] || { echo "Bail out! no $PROFILE"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nestbox-apparmor.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# parses FILE: apparmor_parser compiles FILE (-Q: not loaded into the
# kernel, -K: no cache).  Its notes about a kernel without AppArmor (this
# host may have none) are not errors; anything else it says is shown.
parses() {
	local out rc
	out=$("$PARSER" -Q -K "$1" 2>&1)
	rc=$?
	out=$(grep -v '^Cache read/write disabled' <<<"$out")
	[ -n "$out" ] && diag "apparmor_parser on $(basename "$1"): $out"
	return $rc
}

# names FILE: the profiles FILE defines, as the parser reads them.
names() { "$PARSER" -N "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }

check "deploy/apparmor/nestbox parses (apparmor_parser -Q -K)" parses "$PROFILE"
got=$(names "$PROFILE")
check "it defines one profile, nestbox (got: $got)" test "$got" = nestbox
check "containerd's default profile, as rendered in tests/guest, parses" parses "$CONTAINERD"
got=$(names "$CONTAINERD")
check "it is cri-containerd.apparmor.d (got: $got)" test "$got" = cri-containerd.apparmor.d

# Controls: the parser refuses a profile with a mount option it does not
# know, and one that is cut short.
sed 's/options=(rw, nosuid, nodev) tmpfs/options=(rw, nosiud, nodev) tmpfs/' "$PROFILE" >"$WORK/typo"
if cmp -s "$PROFILE" "$WORK/typo"; then
	not_ok "a copy with a misspelt mount option (the edit did not apply: the tmpfs rule changed)"
else
	check "a copy with a misspelt mount option (nosiud) is refused" sh -c '! "$0" -Q -K "$1" >/dev/null 2>&1' "$PARSER" "$WORK/typo"
fi
grep -v '^}' "$PROFILE" >"$WORK/cut"
check "a copy without its closing brace is refused" sh -c '! "$0" -Q -K "$1" >/dev/null 2>&1' "$PARSER" "$WORK/cut"

# ---- the rules against containerd's -------------------------------------

# rules FILE: FILE's rules, one a line, whitespace collapsed, the name of
# its profile written SELF wherever it stands ("#include" and "include" are
# the same statement), each followed by a tab and 1 when the paragraph it
# stands in (lines between blank lines) has a comment line, else 0.
rules() {
	awk '
	function replace_all(s, from, to,   out, i) {
		out = ""
		while ((i = index(s, from)) > 0) {
			out = out substr(s, 1, i - 1) to
			s = substr(s, i + length(from))
		}
		return out s
	}
	function flush(   i) { for (i = 1; i <= n; i++) print r[i] "\t" c; n = 0; c = 0 }
	NR == FNR { if ($1 == "profile") self = $2; next }
	/^[[:space:]]*$/ { flush(); next }
	{ line = $0; sub(/^[[:space:]]+/, "", line) }
	line ~ /^#include[[:space:]]/ { sub(/^#/, "", line) }
	line ~ /^#/ { c = 1; next }
	{
		gsub(/[[:space:]]+/, " ", line)
		sub(/ $/, "", line)
		r[++n] = replace_all(line, self, "SELF")
	}
	END { flush() }' "$1" "$1"
}

# compare NESTBOX_FILE: what is wrong with it against containerd's
# profile, one line each; nothing when all is well.
compare() {
	local ours theirs
	ours=$(rules "$1")
	theirs=$(rules "$CONTAINERD" | cut -f1 | sort -u)
	# Every rule of containerd's but "deny mount," is kept.
	comm -23 <(grep -vx 'deny mount,' <<<"$theirs") <(cut -f1 <<<"$ours" | sort -u) |
		sed 's/^/missing: /'
	grep -qx 'deny mount,' <(cut -f1 <<<"$ours") && echo "still there: deny mount,"
	# What is added: mount, pivot_root and umount rules only, each in a
	# paragraph with a comment.
	while IFS=$'\t' read -r rule commented; do
		grep -qxF -- "$rule" <<<"$theirs" && continue
		case $rule in
		'mount '* | 'pivot_root '* | 'umount '*) ;;
		*) echo "added, not a mount rule: $rule" ;;
		esac
		[ "$commented" = 1 ] || echo "added without a comment: $rule"
	done <<<"$ours"
}

problems=$(compare "$PROFILE")
check "nestbox's profile is containerd's with only commented mount rules in place of \"deny mount\"${problems:+ ($(tr '\n' ';' <<<"$problems"))}" \
	test -z "$problems"
diag "the rules nestbox's profile adds:"
diag "$(comm -13 <(rules "$CONTAINERD" | cut -f1 | sort -u) <(rules "$PROFILE" | cut -f1 | sort -u))"

# Controls for the comparison: a rule of containerd's dropped, a broad
# rule added, a mount rule added without its comment.
grep -v 'deny @{PROC}/kcore' "$PROFILE" >"$WORK/dropped"
problems=$(compare "$WORK/dropped")
check "control: a copy without containerd's /proc/kcore rule is caught ($(tr '\n' ';' <<<"$problems"))" \
	grep -q '^missing: deny @{PROC}/kcore' <<<"$problems"
sed 's|^  ptrace (trace|  # a reason\n  dbus,\n\n  ptrace (trace|' "$PROFILE" >"$WORK/broad"
problems=$(compare "$WORK/broad")
check "control: a copy with an added dbus rule is caught ($(tr '\n' ';' <<<"$problems"))" \
	grep -q '^added, not a mount rule: dbus,' <<<"$problems"
# (In a paragraph of its own before the profile's closing brace.)
awk '/^}/ { print ""; print "  mount fstype=debugfs -> /newroot/**," } { print }' "$PROFILE" >"$WORK/bare"
problems=$(compare "$WORK/bare")
check "control: a copy with a mount rule without a comment is caught ($(tr '\n' ';' <<<"$problems"))" \
	grep -q '^added without a comment: mount fstype=debugfs' <<<"$problems"
check "control: that copy still parses (only the comparison catches it)" parses "$WORK/bare"

done_testing
