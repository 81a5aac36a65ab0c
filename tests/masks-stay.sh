#!/bin/bash
# The masks, read-only paths and read-only binds of a sandbox cannot be
# undone from inside, even by a command running as uid 0 with
# --cap-add ALL: not by umount, not by a read-write remount, not by a new
# procfs, not after `unshare -m` or `unshare -Ur`.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
mkdir -p ro-src && echo original > ro-src/file
chmod -R a+rX "$SCRATCH"

# attempt DESCRIPTION SHELL-CODE: the code must fail inside the sandbox.
attempt () {
    local desc=$1 code=$2
    check "stays: $desc" run --unshare-user --uid 0 --gid 0 --cap-add ALL --unshare-pid \
        --proc /proc --dev /dev --tmpfs /tmp --ro-bind "$SCRATCH/ro-src" /ro \
        sh -c "if ( $code ) >/dev/null 2>&1; then echo 'got through: $desc' >&2; exit 1; fi"
}

check "the attacker really holds CAP_SYS_ADMIN in its namespace" \
    run --unshare-user --uid 0 --cap-add ALL --proc /proc sh -c 'grep -q "^CapEff:.*1fffffffff" /proc/self/status'

# A control: the tools work, so each refusal below is the kernel's.
check "control: mounting and unmounting its own tmpfs works" \
    run --unshare-user --uid 0 --cap-add ALL --unshare-pid --proc /proc --dev /dev --tmpfs /tmp \
    sh -c 'unshare -Urm sh -c "mkdir -p /tmp/c && mount -t tmpfs t /tmp/c && umount /tmp/c"'

attempt "umount of a masked /proc file"            "umount /proc/keys"
attempt "lazy umount of a masked /proc directory"  "umount -l /proc/acpi"
attempt "read-write remount of /proc/sys"          "mount -o remount,rw /proc/sys"
attempt "read-write remount of a read-only bind"   "mount -o remount,rw /ro"
attempt "umount of a read-only bind"               "umount /ro && test -w /ro"
attempt "a second procfs"                          "mkdir -p /tmp/p && mount -t proc proc /tmp/p && test -s /tmp/p/keys"
attempt "umount after unshare -m"                  "unshare -m sh -c 'umount /proc/keys'"
attempt "remount rw after unshare -m"              "unshare -m sh -c 'mount -o remount,rw /proc/sys'"
attempt "umount after unshare -Urm"                "unshare -Urm sh -c 'umount /proc/keys'"
attempt "remount rw after unshare -Urm"            "unshare -Urm sh -c 'mount -o remount,rw /ro'"
attempt "fresh procfs after unshare -Urmpf"        "unshare -Urmpf --mount-proc=/tmp/p2 true"
attempt "writing through the read-only bind"       "echo changed > /ro/file"
check "the read-only source is unchanged" grep -qx original ro-src/file

done_testing
