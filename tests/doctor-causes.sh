#!/bin/bash
# doctor and the launcher speak from one table of causes (sandbox/causes.c):
# when doctor's trial sandbox fails, it reports the launcher's own cause and
# remedy, not a pointer to checks that did not fail.
#
# The refusal: a mount refused with EACCES, as SELinux or AppArmor refuse
# it.  Neither is active here, so an outer sandbox's seccomp profile makes
# fsopen() fail with EACCES for everything inside it.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

profile=$SCRATCH/eacces.json
cat > "$profile" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["fsopen"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
JSON
# The outer sandbox: the host's files, a /proc that is not masked (so only
# the mount refusal stands in the trial's way), the profile.
outer () {
    "$NESTBOX" --bind / / --dev /dev --unshare-pid --proc /proc --proc-policy none \
        --seccomp-profile "$profile" "$@"
}
lsm_remedy="a security module refused the mount"

launcher=$(outer "$NESTBOX" --ro-bind / / --unshare-all --proc /proc --dev /dev true 2>&1)
check "the launcher: the mount is refused with EACCES ($(head -n 1 <<<"$launcher"))" \
    grep -q "Permission denied" <<<"$launcher"
check "the launcher names the security module and the policy module" \
    grep -q "$lsm_remedy.*nestbox.pp" <<<"$launcher"

doctor=$(outer "$NESTBOX" doctor 2>&1)
echo "$doctor" | grep -A1 '\[fail\]' | sed 's/^/# /'
check "doctor: the trial fails with the launcher's cause" \
    grep -q "^\[fail\] sandbox .*fails: Can't mount proc on /proc: Permission denied" <<<"$doctor"
check "doctor: its fix is the launcher's remedy" \
    grep -q "fix: $lsm_remedy.*nestbox.pp" <<<"$doctor"
check "doctor: no pointer to failing checks that are not there" \
    eval '! grep -q "see the failing checks above" <<<"$doctor"'
# Control: without the profile the same doctor finds nothing to fix.
check "control: without the refusal doctor's trial works" \
    grep -q "^\[ ok \] sandbox\|^\[ok\] sandbox\|sandbox .*works here" <<<"$("$NESTBOX" --bind / / --dev /dev --unshare-pid --proc /proc --proc-policy none "$NESTBOX" doctor 2>&1)"

json=$(outer "$NESTBOX" doctor --json 2>&1)
check "doctor --json carries the same remedy" grep -q "\"remedy\": \"$lsm_remedy" <<<"$json"
done_testing
