#!/bin/bash
# --seccomp-profile from the command line: Debian's containers-common
# profile and the built-in default block and allow what they say, and bad
# profiles are refused with one clear line and exit 1 before anything runs.
# (The JSON details are unit-tested in test-seccomp-profile.c.)
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DEBIAN_PROFILE=/usr/share/containers/seccomp.json

# try CALL...: run system calls in the sandbox, print "name=errno" for each
# (0: it worked).  Numbers are x86_64's and aarch64's.
TRY='
import ctypes, errno, platform, sys
nr = {"x86_64": dict(getpid=39, kexec_load=246, io_uring_setup=425, personality=135, chroot=161, unshare=272),
      "aarch64": dict(getpid=172, kexec_load=104, io_uring_setup=425, personality=92, chroot=51, unshare=97)}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
args = {"kexec_load": (0, 0, None, 0), "io_uring_setup": (0, None), "personality": (0xffffffff,),
        "personality-odd": (0x1234,), "chroot": (b"/",), "unshare": (0x10000000,), "getpid": ()}
out = []
for name in sys.argv[1:]:
    ctypes.set_errno(0)
    r = libc.syscall(nr[name.split("-")[0]], *[ctypes.c_ulong(a) if isinstance(a, int) else a for a in args[name]])
    out.append("%s=%s" % (name, 0 if r != -1 else errno.errorcode[ctypes.get_errno()]))
print(" ".join(out))
'
# try OPTIONS... -- CALLS...
try () {
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    run "${opts[@]}" python3 -c "$TRY" "$@"
}
# With a user namespace for root too, so that caps come from the options.
USERNS=(--unshare-user --cap-drop ALL)

if [ -r "$DEBIAN_PROFILE" ] && [ "$(uname -m)" = x86_64 -o "$(uname -m)" = aarch64 ]; then
    out=$(try "${USERNS[@]}" --seccomp-profile "$DEBIAN_PROFILE" -- getpid kexec_load io_uring_setup personality personality-odd chroot 2>&1)
    echo "# $out"
    check "containers-common's profile allows getpid" grep -q 'getpid=0' <<<"$out"
    check "... refuses kexec_load with its errnoRet (EPERM)" grep -q 'kexec_load=EPERM' <<<"$out"
    check "... gives calls it does not list its defaultErrnoRet (ENOSYS)" grep -q 'io_uring_setup=ENOSYS' <<<"$out"
    check "... allows personality(0xffffffff) and refuses other personas (argument conditions)" \
        grep -q 'personality=0 personality-odd=ENOSYS' <<<"$out"
    check "... refuses chroot without CAP_SYS_CHROOT (excludes.caps)" grep -q 'chroot=EPERM' <<<"$out"
    out=$(try "${USERNS[@]}" --cap-add CAP_SYS_CHROOT --seccomp-profile "$DEBIAN_PROFILE" -- chroot 2>&1)
    check "... allows chroot when the command keeps CAP_SYS_CHROOT (includes.caps)" test "$out" = chroot=0
else
    skip "$DEBIAN_PROFILE is missing (apt-get install golang-github-containers-common; tools/install-deps.sh does)"
fi

out=$(try "${USERNS[@]}" --seccomp-profile default -- getpid kexec_load unshare io_uring_setup 2>&1)
echo "# $out"
check "the built-in default profile allows getpid, refuses kexec_load and unshare (EPERM), gives unlisted calls ENOSYS" \
    test "$out" = "getpid=0 kexec_load=EPERM unshare=EPERM io_uring_setup=ENOSYS"
check "the default profile runs a shell pipeline" test "$(run "${USERNS[@]}" --seccomp-profile default sh -c 'echo ok | cat')" = ok
check "a profile stacks with --add-seccomp-fd (both apply)" \
    test "$(run "${USERNS[@]}" --seccomp-profile default --add-seccomp-fd 3 python3 -c "$TRY" getpid kexec_load 3< <(/usr/bin/python3 -c '
import seccomp, errno, sys
f = seccomp.SyscallFilter(seccomp.ALLOW)
f.add_rule(seccomp.ERRNO(errno.ECONNREFUSED), "getpid")
f.export_bpf(sys.stdout)' 2>/dev/null))" = "getpid=ECONNREFUSED kexec_load=EPERM"

# ---- bad profiles: one line, exit 1, nothing run -----------------------------------

mkdir -p w
bad () {
    local desc=$1 pattern=$2 file=$3
    check "$desc: refused with '$pattern'" \
        expect_error "nestbox: --seccomp-profile $file: .*$pattern" run --bind "$SCRATCH/w" /w --seccomp-profile "$file" touch /w/ran
}
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"' > truncated.json
bad "truncated JSON" 'truncated JSON' truncated.json
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},\n  {"names": ["write"], "action": "SCMP_ACT_PERMIT"}]}' > action.json
bad "an unknown action" 'syscalls\[1\]\.action: unknown action "SCMP_ACT_PERMIT"' action.json
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kexec_load", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}' > name.json
bad "an unknown system call name in a deny rule of an allow-by-default profile" 'syscalls\[0\]\.names\[1\]: unknown system call "no_such_call"' name.json
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "kexec_load", "action": "SCMP_ACT_ERRNO"}]}' > type1.json
bad "names of the wrong type" 'syscalls\[0\]\.names: must be an array, not a string' type1.json
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "errnoRet": "EPERM"}]}' > type2.json
bad "errnoRet of the wrong type" 'syscalls\[0\]\.errnoRet: must be a non-negative integer, not a string' type2.json
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": "21522", "op": "SCMP_CMP_EQ"}]}]}' > type3.json
bad "an argument value of the wrong type" 'syscalls\[0\]\.args\[0\]\.value: must be a non-negative integer, not a string' type3.json
printf '["SCMP_ACT_ALLOW"]' > type4.json
bad "a profile that is not an object" 'must be a JSON object, not an array' type4.json
{ printf '{"defaultAction": "SCMP_ACT_ALLOW", "comment": "'; head -c $((5 << 20)) /dev/zero | tr '\0' x; printf '"}'; } > huge.json
bad "a 5 MiB profile" 'larger than 4 MiB' huge.json
bad "a missing file" 'No such file or directory' missing.json
bad "a directory" 'Is a directory' "$SCRATCH"
check "no sandbox ran for any of them" test ! -e w/ran

# An unknown name in an allow rule is skipped (as runc and crun): the call
# keeps the default action.
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_call"], "action": "SCMP_ACT_LOG"}, {"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' > lenient.json
check "an unknown name in a rule that lets calls run is skipped, as the container runtimes do" \
    test "$(try "${USERNS[@]}" --seccomp-profile lenient.json -- kexec_load 2>&1)" = kexec_load=EPERM

done_testing
