#!/bin/bash
# link-and-query.sh: checks nestbox's SELinux policy module without an
# SELinux kernel.
#
# It builds Debian's reference policy into scratch policy stores (semodule
# -p, never the machine's own store), links nestbox's module into them and
# asks the resulting binary policies with sesearch/sediff:
#
#   - the module installs on a policy that has no container_t, and stays
#     switched off there (its rules sit in an optional block);
#   - once a container_t domain appears (nestboxtest_stub.te, a test-only
#     module that declares one and grants it nothing), each permission of
#     the first list below is present, and was absent before the module
#     (the second block, for refpolicy's own container module, stays off:
#     enforcing-boot.sh tests it under that module);
#   - the module adds nothing else to the policy: no other allow rule for
#     container_t or anyone, no dontaudit, type rule, type, role or boolean;
#   - the three forms of the rules agree: nestbox.te built with checkmodule
#     and with the refpolicy devel Makefile, nestbox.cil, and the
#     nestbox_nested_sandbox() interface of nestbox.if.
#
# Usage: link-and-query.sh [NESTBOX_PP]   (default: build selinux/nestbox.te)
# Output: TAP, then "N passed, N failed"; exit status 0 only if all passed.
# Needs root on Debian 12: it installs what is missing with apt-get.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The permissions nestbox's module grants, and nothing more may appear.
# docs/selinux.md and the comments in selinux/nestbox.te say why each one
# is needed; enforcing-boot.sh shows under a real kernel that each is.
EXPECTED="container_t proc_t filesystem mount
container_t proc_t filesystem unmount
container_t devpts_t filesystem mount
container_t devpts_t filesystem unmount
container_t devpts_t chr_file open
container_t tmpfs_t filesystem remount
container_t sysctl_t dir mounton
container_t sysctl_irq_t dir mounton
container_t sysctl_t file mounton"
EXPECTED=$(sort <<<"$EXPECTED")
# The second block's permissions, on under the reference policy's own
# container module only (it requires container_mountpoint_type, which the
# stub does not declare, so the store checks below see the first block
# alone); enforcing-boot.sh shows that refpolicy's container_t lacks each.
EXPECTED_REFPOLICY="container_t self process getcap
container_t self cap_userns sys_admin
container_t self cap_userns setpcap
container_t tmpfs_t filesystem mount
container_t tmpfs_t filesystem unmount
container_t container_file_t dir mounton
container_t container_file_t file mounton
container_t proc_t dir mounton
container_t proc_t file mounton
container_t proc_kcore_t file mounton
container_t nsfs_t file open
container_t nsfs_t file read
container_t devpts_t chr_file read
container_t devpts_t chr_file write"
EXPECTED_ALL=$(sort -u <<<"$EXPECTED
$EXPECTED_REFPOLICY")
# The second block's type transitions: what container_t makes on a tmpfs
# is its own container_file_t, as under container-selinux.
EXPECTED_TRANSITIONS="container_t tmpfs_t dir container_file_t
container_t tmpfs_t file container_file_t"

# cil_transitions: the (typetransition S T C N) statements of CIL text on
# stdin, as "S T C N" lines.
cil_transitions() {
	grep -o '(typetransition [^)]*)' | tr -d '()' | awk '{ print $2, $3, $4, $5 }' | sort -u
}

START=$(date +%s)
[ "$(id -u)" -eq 0 ] || die "needs root (apt-get; policy stores are written as root)"
sel_ensure_packages checkpolicy semodule-utils policycoreutils setools \
	selinux-policy-dev make m4 gawk ||
	die "could not install the packages this test needs"

WORK=$(mktemp -d /tmp/nestbox-selinux-lq.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# sesearch_tuples POLICY ARGS...: sesearch's rules as "SRC TGT CLASS PERM"
# lines, one permission a line.  sesearch exits 0 even when nothing matches,
# so callers look at this output, never at its status.
sesearch_tuples() {
	local pol=$1
	shift
	sesearch "$@" "$pol" | sed 's/[{};]/ /g; s/:/ /' |
		awk '$1 ~ /^(allow|dontaudit|auditallow|neverallow)$/ {
			for (i = 5; i <= NF; i++) print $2, $3, $4, $i }' | sort -u
}

# ---- the module, built the ways it can be ------------------------------------
SRC=$SEL_SRCDIR/selinux
if [ -n "${1:-}" ]; then
	PP=$(readlink -f "$1")
	echo "# module under test: $PP"
else
	PP=$(sel_build_plain "$SRC/nestbox.te" "$WORK/plain") || die "checkmodule failed on $SRC/nestbox.te"
	echo "# module under test: built from $SRC/nestbox.te with checkmodule"
fi

got=$(sel_cil_allows "$PP")
check "the module's allow rules are exactly the listed permissions" test "$got" = "$EXPECTED_ALL"
[ "$got" = "$EXPECTED_ALL" ] || diag "$(diff <(echo "$EXPECTED_ALL") <(echo "$got"))"
# nestbox.cil, read as text, has the same rules.
got=$(grep -o '(allow [^)]*([^)]*)))' "$SRC/nestbox.cil" | tr -d '()' |
	awk '{ for (i = 5; i <= NF; i++) print $2, $3, $4, $i }' | sort -u)
check "nestbox.cil has the same allow rules" test "$got" = "$EXPECTED_ALL"
[ "$got" = "$EXPECTED_ALL" ] || diag "$(diff <(echo "$EXPECTED_ALL") <(echo "$got"))"
check "the module's type transitions are exactly the listed ones" \
	test "$(/usr/libexec/selinux/hll/pp "$PP" - 2>/dev/null | cil_transitions)" = "$EXPECTED_TRANSITIONS"
check "nestbox.cil has the same type transitions" \
	test "$(cil_transitions <"$SRC/nestbox.cil")" = "$EXPECTED_TRANSITIONS"

# The devel Makefile path (what selinux/meson.build uses when
# semodule_package is missing) must give the same rules.
mkdir -p "$WORK/devel"
cp "$SRC/nestbox.te" "$SRC/nestbox.if" "$SRC/nestbox.fc" "$WORK/devel/"
if devel_pp=$(sel_build_devel "$WORK/devel" nestbox); then
	check "the devel Makefile build has the same rules" test "$(sel_cil_allows "$devel_pp")" = "$EXPECTED_ALL" \
		-a "$(/usr/libexec/selinux/hll/pp "$devel_pp" - 2>/dev/null | cil_transitions)" = "$EXPECTED_TRANSITIONS"
else
	not_ok "the devel Makefile builds nestbox.te"
fi

# The interface: a test type given nestbox_nested_sandbox() gets the same
# permissions as container_t has from the first block.
mkdir -p "$WORK/iface"
cp "$SRC/nestbox.te" "$SRC/nestbox.if" "$WORK/iface/"
cat >"$WORK/iface/nestboxtest_iface.te" <<'EOF'
policy_module(nestboxtest_iface, 1.0.0)
type nestboxtest_iface_t;
nestbox_nested_sandbox(nestboxtest_iface_t)
EOF
if iface_pp=$(sel_build_devel "$WORK/iface" nestboxtest_iface); then
	check "nestbox_nested_sandbox() grants the same permissions" \
		test "$(sel_cil_allows "$iface_pp" | sed 's/^nestboxtest_iface_t /container_t /')" = "$EXPECTED"
else
	not_ok "a module calling nestbox_nested_sandbox() builds"
fi

stub_pp=$(sel_build_plain "$SEL_TESTDIR/nestboxtest_stub.te" "$WORK/stub") || die "building the stub failed"

# ---- the stores ------------------------------------------------------------------
# pristine: Debian's refpolicy           (no container_t)
# A: pristine + nestbox                  (module before container_t exists)
# B: pristine + stub                     ("before": container_t, no module)
# C: A + stub                            ("after": container_t appears later)
# D: B + nestbox.cil                     (the CIL form)
t0=$(date +%s)
sel_refpolicy_store "$WORK/pristine" "$WORK" || die "building Debian's reference policy failed"
cp -a "$WORK/pristine" "$WORK/A"
cp -a "$WORK/pristine" "$WORK/B"
sel_install "$WORK/A" "$PP" >"$WORK/A.log" 2>&1 &
a_pid=$!
sel_install "$WORK/B" "$stub_pp" >"$WORK/B.log" 2>&1
b_rc=$?
wait $a_pid
a_rc=$?
check "the module installs on a policy without container_t" test $a_rc -eq 0
[ $a_rc -eq 0 ] || diag "$(cat "$WORK/A.log")"
[ $b_rc -eq 0 ] || die "installing the stub container_t failed: $(cat "$WORK/B.log")"
cp -a "$WORK/A" "$WORK/C"
cp -a "$WORK/B" "$WORK/D"
sel_install "$WORK/C" "$stub_pp" >"$WORK/C.log" 2>&1 &
c_pid=$!
sel_install "$WORK/D" "$SRC/nestbox.cil" >"$WORK/D.log" 2>&1
d_rc=$?
wait $c_pid || die "adding the stub container_t after the module failed: $(cat "$WORK/C.log")"
check "nestbox.cil installs" test $d_rc -eq 0
echo "# stores built in $(($(date +%s) - t0)) s"

POL_A=$(sel_policy "$WORK/A")
POL_B=$(sel_policy "$WORK/B")
POL_C=$(sel_policy "$WORK/C")
POL_D=$(sel_policy "$WORK/D")

# Switched off where container_t does not exist.
check "without container_t, the policy has no container_t type" \
	grep -q 'Types: 0' <<<"$(seinfo -t container_t "$POL_A")"
sesearch -A "$(sel_policy "$WORK/pristine")" >"$WORK/pristine.allow"
sesearch -A "$POL_A" >"$WORK/A.allow"
check "without container_t, the module adds no allow rule" cmp -s "$WORK/pristine.allow" "$WORK/A.allow"

# Absent before, present after: one sesearch per permission.
while read -r src tgt cls perm; do
	before=$(sesearch -A -s "$src" -t "$tgt" -c "$cls" -p "$perm" "$POL_B")
	after=$(sesearch -A -s "$src" -t "$tgt" -c "$cls" -p "$perm" "$POL_C")
	check "before: $src $tgt:$cls $perm is absent" test -z "$before"
	check "after: $src $tgt:$cls $perm is present" grep -q "^allow $src $tgt:$cls .*$perm" <<<"$after"
done <<<"$EXPECTED"

# Nothing broader for container_t: every allow rule that applies to it
# (direct, or through an attribute) is one of the listed permissions.
got=$(sesearch_tuples "$POL_C" -A -s container_t)
check "after: container_t has no allow rule beyond the listed permissions" test "$got" = "$EXPECTED"
[ "$got" = "$EXPECTED" ] || diag "$(diff <(echo "$EXPECTED") <(echo "$got"))"
check "the CIL form gives container_t the same rules" \
	test "$(sesearch_tuples "$POL_D" -A -s container_t)" = "$EXPECTED"

# Nothing else anywhere: sediff compares every part of the two policies
# (types, attributes, roles, users, booleans, every rule kind, labelling
# statements) and lists only the parts that differ.  The only part may be
# the allow rules, and the only added rules the listed permissions.
t0=$(date +%s)
sediff "$POL_B" "$POL_C" >"$WORK/sediff.txt" 2>&1
sections=$(grep -E '^[A-Z][A-Za-z /-]+ \([0-9]+ Added, [0-9]+ Removed, [0-9]+ Modified\)' "$WORK/sediff.txt")
check "sediff: the module changes only allow rules ($(tr '\n' ' ' <<<"$sections"))" \
	grep -qx 'Allow Rules ([0-9]* Added, 0 Removed, 0 Modified)' <<<"$sections"
[ "$(wc -l <<<"$sections")" -eq 1 ] || diag "$(cat "$WORK/sediff.txt")"
added=$(grep -E '^ +\+ allow ' "$WORK/sediff.txt" | sed 's/^ *+ //; s/[{};]/ /g; s/:/ /' |
	awk '{ for (i = 5; i <= NF; i++) print $2, $3, $4, $i }' | sort -u)
check "sediff: the added allow rules are exactly the listed permissions" test "$added" = "$EXPECTED"
echo "# sediff took $(($(date +%s) - t0)) s"

echo "# permissions: $(awk '{ printf "%s%s %s:%s %s", (NR > 1 ? "; " : ""), $1, $2, $3, $4 }' <<<"$EXPECTED")"
echo "# total time $(($(date +%s) - START)) s"
sel_finish
