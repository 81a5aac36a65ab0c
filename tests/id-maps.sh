#!/bin/bash
# Multi-range id maps for image builders: inside a sandbox with
# --uid-map/--gid-map, unpack a tar archive whose files belong to several
# owners, and check the owners from outside.  As root the maps are written
# directly (CAP_SETUID/CAP_SETGID); as an unprivileged user through
# newuidmap/newgidmap and /etc/subuid, /etc/subgid.
. "$(dirname "$0")/lib.sh"

if ! is_root; then
    skip "the test sets up /etc/subuid and a test user as root"
    done_testing
fi
command -v newuidmap >/dev/null || { skip "newuidmap is not installed (apt-get install uidmap)"; done_testing; }

user=$TEST_USER
ensure_test_user
uid=$(id -u "$user")
gid=$(id -g "$user")
# A subordinate range of the test user's own, added once.
grep -q "^$user:" /etc/subuid || usermod --add-subuids 400000-465535 "$user"
grep -q "^$user:" /etc/subgid || usermod --add-subgids 400000-465535 "$user"
sub_uid=$(awk -F: -v u="$user" '$1 == u { print $2; exit }' /etc/subuid)
sub_gid=$(awk -F: -v u="$user" '$1 == u { print $2; exit }' /etc/subgid)

cp "$NESTBOX" "$SCRATCH/nestbox"
mkdir -p "$SCRATCH/src"
(cd "$SCRATCH/src" && touch f-root f-1000 f-33 && chown 0:0 f-root && chown 1000:1000 f-1000 && chown 33:44 f-33 \
    && tar --numeric-owner -cf "$SCRATCH/layer.tar" f-root f-1000 f-33)
chmod -R a+rX "$SCRATCH"

# unpack RUNNER DEST UIDMAP GIDMAP: unpack the layer in a sandbox.
unpack () {
    local runner=$1 dest=$2
    shift 2
    mkdir -p "$dest"
    chmod 0777 "$dest"
    $runner "$SCRATCH/nestbox" "${ROOTFS_ARGS[@]}" "$@" --cap-add ALL --unshare-pid --proc /proc \
        --bind "$dest" /out --ro-bind "$SCRATCH/layer.tar" /layer.tar \
        sh -c 'cd /out && tar --numeric-owner -xf /layer.tar && id -u'
}

owners () { (cd "$1" && stat -c '%n=%u:%g' f-root f-1000 f-33 | tr '\n' ' '); }

inside=$(unpack "" "$SCRATCH/root-out" --uid-map 0:100000:65536 --gid-map 0:100000:65536)
check "as root: the command runs as uid 0 inside (got $inside)" test "$inside" = 0
check "as root: owners map through the ranges" \
    test "$(owners "$SCRATCH/root-out")" = "f-root=100000:100000 f-1000=101000:101000 f-33=100033:100044 "

as_user="setpriv --reuid=$user --regid=$user --init-groups --"
inside=$(unpack "$as_user" "$SCRATCH/user-out" \
    --uid-map "0:$uid:1" --uid-map "1:$sub_uid:65536" --gid-map "0:$gid:1" --gid-map "1:$sub_gid:65536")
check "unprivileged, through newuidmap: the command runs as uid 0 inside (got $inside)" test "$inside" = 0
check "unprivileged, through newuidmap: owners map through the subordinate ranges" \
    test "$(owners "$SCRATCH/user-out")" = "f-root=$uid:$gid f-1000=$((sub_uid + 999)):$((sub_gid + 999)) f-33=$((sub_uid + 32)):$((sub_gid + 43)) "

err=$($as_user "$SCRATCH/nestbox" "${ROOTFS_ARGS[@]}" --uid-map 0:1:65536 --gid-map 0:1:65536 true 2>&1)
check "a range outside /etc/subuid is refused with the remedy" grep -q "usermod --add-subuids" <<<"$err"

done_testing
