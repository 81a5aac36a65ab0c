#!/bin/bash
# Bad input: each case exits 1 with one line on stderr that names the
# problem, and leaves no mount and no process behind.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
# A copy of our own, so that the leftover check below sees only this test's.
cp "$NESTBOX" "$SCRATCH/nestbox-bad-input"
NESTBOX=$SCRATCH/nestbox-bad-input
printf 'not bpf' > bad.bpf
printf '%s\0' --args 3 > nested.args
printf -- '--dir\0' > truncated.args
python3 -c 'import sys; sys.stdout.write("--dir\0/x\0" * 4600)' > huge.args
python3 -c 'import sys; sys.stdout.write("--dir\0/x\0" * 2300)' > half.args
mkdir -p lower upper work
ln -s loop1 loop2
ln -s loop2 loop1
long=$(printf 'a%.0s' $(seq 5000))

mounts_before=$(wc -l < /proc/self/mountinfo)

# bad CASE_NAME PATTERN ARGS...  (ARGS go to nestbox)
bad () {
    local name=$1 pattern=$2
    shift 2
    check "bad input: $name" expect_error "$pattern" "$NESTBOX" "$@"
}

bad "no arguments"                  "No command given"
bad "no command"                    "No command given"           --unshare-pid
bad "only --"                       "No command given"           --
bad "unknown option"                "Unknown option --frobnicate" --frobnicate true
bad "unknown short option"          "Unknown option -x"          -x true
bad "missing argument"              "--bind takes two arguments" --bind /usr
bad "missing argument at the end"   "--chdir takes an argument"  --chdir
bad "overlay missing arguments"     "--overlay takes three arguments" --overlay a b
bad "fd not a number"               "Invalid fd: abc"            --info-fd abc true
bad "fd negative"                   "Invalid fd: -1"             --sync-fd -1 true
bad "fd with trailing junk"         "Invalid fd: 3x"             --block-fd 3x true
bad "fd out of range"               "Invalid fd: 99999999999"    --seccomp 99999999999 true
bad "fd closed"                     "Invalid fd for --info-fd: 57" --info-fd 57 true
bad "file fd closed"                "Invalid fd for a file"      --file 58 /tmp/x true
bad "args fd closed"                "Can't read --args data from fd 59" --args 59 true
bad "--args inside --args"          "--args not supported in arguments file" --args 3 true 3<nested.args
bad "truncated --args data"         "--dir takes an argument"    --args 3 true 3<truncated.args
bad "more than 9000 arguments"      "Exceeded maximum number of arguments 9000" --args 3 true 3<huge.args
bad "9000 arguments over two --args" "Exceeded maximum number of arguments 9000" --args 3 --args 4 true 3<half.args 4<half.args
bad "uid not a number"              "Invalid uid: root"          --unshare-user --uid root true
bad "uid out of range"              "Invalid uid: 4294967295"    --unshare-user --uid 4294967295 true
bad "gid negative"                  "Invalid gid: -5"            --unshare-user --gid -5 true
bad "--uid-map with --userns"       "--uid-map/--gid-map need a new user namespace" --userns 0 --uid-map 0:0:1 true
bad "--perms not octal"             "--perms takes an octal argument" --perms 9 --dir /tmp/x true
bad "--perms too large"             "--perms takes an octal argument" --perms 17777 --dir /tmp/x true
bad "--perms twice"                 "--perms given twice"        --perms 0755 --perms 0755 --dir /x true
bad "--perms before a wrong option" "--perms must be followed"   --perms 0755 --chdir / true
bad "--perms at the end"            "--perms must be followed"   --perms 0755 true
bad "--size zero"                   "--size takes a non-zero"    --size 0 --tmpfs /tmp true
bad "--size not a number"           "--size takes a non-zero"    --size 12bogus --tmpfs /tmp true
bad "--size negative"               "--size takes a non-zero"    --size -1 --tmpfs /tmp true
bad "--size overflowing"            "--size takes a non-zero"    --size 18446744073709551616 --tmpfs /tmp true
bad "--size too large"              "--size (for tmpfs) is limited" --size 9223372036854775809 --tmpfs /tmp true
bad "--size not before --tmpfs"     "--size must be followed by --tmpfs" --size 1024 --dir /x true
bad "--chmod not octal"             "--chmod takes an octal argument" --chmod rwx /x true
bad "unknown capability"            "unknown cap: CAP_FLY"       --cap-add CAP_FLY true
bad "--argv0 twice"                 "--argv0 used multiple times" --argv0 a --argv0 b true
bad "--seccomp with --add-seccomp-fd" "--seccomp cannot be combined" --add-seccomp-fd 3 --seccomp 3 true 3<bad.bpf
bad "seccomp data not BPF"          "Invalid seccomp data"       --seccomp 3 true 3<bad.bpf
bad "--overlay without sources"     "--overlay requires at least one --overlay-src" --overlay upper work /x true
bad "--ro-overlay with one source"  "--ro-overlay requires at least two" --overlay-src lower --ro-overlay /x true
bad "--overlay-src dangling"        "--overlay-src must be followed" --overlay-src lower true
bad "--hostname without uts"        "Specifying --hostname requires --unshare-uts" --hostname h true
bad "--as-pid-1 without pid ns"     "Specifying --as-pid-1 requires --unshare-pid" --as-pid-1 true
bad "--as-pid-1 with --lock-file"   "--as-pid-1 and --lock-file"  --unshare-pid --as-pid-1 --lock-file /x true
bad "--userns with --unshare-user"  "--userns not compatible --unshare-user" --unshare-user --userns 0 true
bad "--disable-userns alone"        "--disable-userns requires --unshare-user" --disable-userns true
bad "--userns-block-fd alone"       "--userns-block-fd requires --unshare-user" --userns-block-fd 0 true
bad "--userns-block-fd without --info-fd" "--userns-block-fd requires --info-fd" --unshare-user --userns-block-fd 0 true
bad "--proc-policy unknown"         "--proc-policy takes oci, bwrap or none" --proc-policy strict true
bad "--proc-fallback unknown"       "--proc-fallback takes none, bind, subset or auto" --proc-fallback maybe true
bad "--uid-map malformed"           "Invalid --uid-map value"    --uid-map 0:1000 true
bad "--uid-map not numbers"         "Invalid --uid-map value"    --uid-map a:b:c true
bad "--gid-map empty range"         "Invalid --gid-map range"    --gid-map 0:1000:0 true
bad "--uid-map past the last id"    "Invalid --uid-map range"    --uid-map 4294967000:0:1000 true
bad "--uid-map without --gid-map"   "--uid-map and --gid-map go together" --uid-map 0:1000:1 true
bad "--uid-map not mapping 0"       "must map id 0 inside"        --uid-map 1:1000:1 --gid-map 0:1000:1 true
bad "--setenv name with ="          "Invalid environment variable name" --setenv A=B c true
bad "--setenv empty name"           "Invalid environment variable name" --setenv "" c true
bad "nonexistent source"            "Can't find source path /nonexistent" --bind /nonexistent /x true
bad "source is a symlink loop"      "Can't find source path .*loop1.*symbolic links" --bind "$SCRATCH/loop1" /x true
bad "overlong source path"          "Can't find source path .*File name too long" --bind "/$long" /x true
bad "path with .. to nowhere"       "Can't find source path"      --bind "$SCRATCH/../nonexistent-dir/.." /x true
bad "command not found"             "execvp no-such-command"     "${ROOTFS_ARGS[@]}" no-such-command
bad "--chdir to a missing dir"      "Can't chdir to /nope"       "${ROOTFS_ARGS[@]}" --chdir /nope true
bad "--chmod of a missing path"     "Can't chmod 0755 /nope"     "${ROOTFS_ARGS[@]}" --chmod 0755 /nope true
bad "--remount-ro of a missing path" "Can't remount read-only on /nope" "${ROOTFS_ARGS[@]}" --remount-ro /nope true
bad "--mask of a missing path"      "Can't mask /nope"           "${ROOTFS_ARGS[@]}" --mask /nope true
bad "conflicting symlink"           "existing destination is /a" "${ROOTFS_ARGS[@]}" --symlink /a /tmp/l --symlink /b /tmp/l true
bad "-- makes an option a command"  "execvp --bind"              "${ROOTFS_ARGS[@]}" -- --bind / / true

# An argv[0] of 5,000 bytes (its basename is the program name in every
# message): one line, exit 1, and under the sanitizer build no report of an
# overflow in the logger.
long_name=$(printf 'n%.0s' $(seq 5000))
check "bad input: a 5,000-byte argv[0] with an unknown option" \
    expect_error "^n\{64\}: Unknown option --no-such-option" bash -c 'exec -a "$1" "$2" --no-such-option' _ "$long_name" "$NESTBOX"

# A kernel older than 5.12 (no mount_setattr): one line before anything is
# made.  setarch's UNAME26 personality makes uname() report 2.6.x.
check "bad input: a kernel older than Linux 5.12" \
    expect_error "this kernel is Linux 2\.6.*5\.12 or later" setarch "$(uname -m)" --uname-2.6 "$NESTBOX" "${ROOTFS_ARGS[@]}" true

check "no mount left behind" test "$(wc -l < /proc/self/mountinfo)" = "$mounts_before"
check "no process left behind" sh -c '! pgrep -f "^$0" >/dev/null' "$NESTBOX"

done_testing
