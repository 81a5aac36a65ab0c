#!/bin/bash
# The security module that confines nestbox, through the real binary:
# doctor's lsm line names what the kernel shows (read here with plain
# shell tools, not with nestbox's parser), inside a sandbox as outside it,
# and doctor's exit status stays its verdict.  Then a mount refused with
# EACCES in the staging root (where there is no /proc) still reads the
# label: from the caller's /proc below /oldroot.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

# What a shell sees: the first line of each file, NULs dropped.
first_line () { tr -d '\0' 2>/dev/null <"$1" | head -n 1; }
apparmor=$(first_line /proc/self/attr/apparmor/current)
current=$(first_line /proc/self/attr/current)
if [ -n "$apparmor" ]; then
    want="AppArmor.* ${apparmor%% (*}"
elif [ -n "$current" ] && [ "$(tr -cd : <<<"$current" | wc -c)" -ge 2 ]; then
    want="SELinux type $(cut -d: -f3 <<<"$current")"
elif [ -n "$current" ]; then
    want="AppArmor.* ${current%% (*}"
else
    want="none: no module that labels processes"
fi
echo "# the kernel shows: apparmor '${apparmor}', current '${current}': want '$want'"

doctor=$("$NESTBOX" doctor 2>&1)
rc=$?
lsm_line=$(grep '^\[[a-z ]*\] lsm ' <<<"$doctor")
echo "# $lsm_line"
check "doctor has one lsm line" test "$(grep -c '^\[[a-z ]*\] lsm ' <<<"$doctor")" = 1
check "doctor's lsm line names what the kernel shows" grep -q "lsm *$want" <<<"$lsm_line"
check "the lsm line is information, not a failure" grep -q '^\[info\] lsm ' <<<"$lsm_line"
if grep -q "^sandboxes work here" <<<"$doctor"; then
    check "doctor exits 0 when its trial sandbox works" test "$rc" = 0
else
    check "doctor exits 1 when its trial sandbox fails" test "$rc" = 1
fi

json=$("$NESTBOX" doctor --json 2>&1)
detail=${lsm_line#*lsm }
detail=${detail#"${detail%%[! ]*}"}
check "doctor --json reports the same lsm detail" \
    grep -qF "{ \"name\": \"lsm\", \"state\": \"info\", \"detail\": \"$detail\"" <<<"$json"

# The label does not change inside a sandbox: the same line there.
inside=$("$NESTBOX" --ro-bind / / --proc /proc --dev /dev "$NESTBOX" doctor 2>&1 | grep '^\[[a-z ]*\] lsm ')
check "inside a sandbox doctor's lsm line is the same ($inside)" test "$inside" = "$lsm_line"

# A refused mount of the ops happens in the staging root, which has no
# /proc.  An outer sandbox's seccomp profile fails fsopen with EACCES (the
# errno an LSM refuses with), so the inner nestbox's --proc fails there.
if ! command -v strace >/dev/null; then
    skip "strace is not installed (tools/install-deps.sh installs it): cannot watch where the label is read"
    done_testing
fi
profile=$SCRATCH/eacces.json
cat >"$profile" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["fsopen"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
JSON
trace=$SCRATCH/trace
err=$(strace -f -qq -e trace=openat -o "$trace" \
    "$NESTBOX" --bind / / --dev /dev --unshare-pid --proc /proc --proc-policy none --seccomp-profile "$profile" \
    "$NESTBOX" --ro-bind / / --unshare-all --proc /proc --dev /dev true 2>&1)
while IFS= read -r line; do echo "# $line"; done <<<"$err"
check "the inner mount of /proc is refused with EACCES" grep -q "Can't mount proc on /proc: Permission denied" <<<"$err"
check "the refusal has the security-module remedy" grep -q "refused the mount" <<<"$err"
check "the label is read from the caller's /proc below /oldroot, where the refusal happens" \
    grep -q 'openat([^"]*"/oldroot/proc/self/attr/current", [^)]*) = [0-9]' "$trace"
# Control: the same sandbox without the refusal reads no label at all.
strace -f -qq -e trace=openat -o "$trace" \
    "$NESTBOX" --bind / / --dev /dev --unshare-pid --proc /proc --proc-policy none \
    "$NESTBOX" --ro-bind / / --unshare-all --proc /proc --dev /dev true
reads_no_label () { ! grep -q "/proc/self/attr/" "$trace"; }
check "control: a sandbox that works reads no label" reads_no_label
done_testing
