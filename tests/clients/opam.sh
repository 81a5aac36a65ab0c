#!/bin/bash
# opam (Debian's opam 2.1) wraps every build, install and remove command of
# a package in ~/.opam/opam-init/hooks/sandbox.sh, which runs `bwrap` from
# PATH with --new-session --die-with-parent --unshare-net, a fresh /proc and
# /dev, absolute --symlink targets for /bin and /lib, read-only system
# directories and the switch prefix writable only when installing.
#
# Offline, with a local repository: `opam init` (its sandbox self-test),
# then a real package built, installed and removed in an empty switch, each
# step through bwrap.  Run with a `bwrap` on PATH that is nestbox and with
# Debian's bwrap, as the caller and as an unprivileged user.
#
#   opam.sh                       the test (TAP)
#   opam.sh --scenario BINDIR LABEL   one run, with BINDIR/bwrap first on PATH

. "$(dirname "$0")/scenario.sh"

scenario () {
    local bindir=$1 s rc out
    s=$(mktemp -d /tmp/opam-client.XXXXXX)
    mkdir -p "$s/repo/packages/hello/hello.1" "$s/bin" "$s/work"
    echo 'opam-version: "2.0"' > "$s/repo/repo"
    cat > "$s/repo/packages/hello/hello.1/opam" <<'EOF'
opam-version: "2.0"
synopsis: "Built, installed and removed inside opam's bwrap sandbox"
maintainer: "nestbox tests"
build: [["sh" "-c" "echo built > out && grep NoNewPrivs /proc/self/status > nnp && (touch %{prefix}%/escape 2>&1; true) > ro"]]
install: [["sh" "-c" "mkdir -p %{share}%/hello && cp out nnp ro %{share}%/hello/"]]
remove: [["rm" "-rf" "%{share}%/hello"]]
EOF
    # A logging `bwrap`: records each call, then runs the binary under test.
    printf '#!/bin/sh\nprintf "%%s\\n" "$*" >> %s/calls.log\nexec %s/bwrap "$@"\n' "$s" "$bindir" > "$s/bin/bwrap"
    chmod +x "$s/bin/bwrap"
    export PATH="$s/bin:$PATH" OPAMROOT="$s/root" OPAMYES=1 OPAMCOLOR=never XDG_CACHE_HOME="$s/cache"
    cd "$s/work" || return 1

    out=$(opam init --bare -n --root="$s/root" local "$s/repo" 2>&1)
    rc=$?
    point $(( rc != 0 )) "opam init exits 0" "$out"
    ! grep -q "Sandboxing is not working" <<<"$out" && grep -q opam-sandbox-check-out "$s/calls.log" 2>/dev/null
    point $? "opam init's sandbox self-test ran through bwrap and passed" "$out"

    out=$(OPAM_SWITCH_PREFIX=/dev/null bash "$s/root/opam-init/hooks/sandbox.sh" build sh -c 'echo TMPDIR=$TMPDIR; exit 3' 2>&1)
    rc=$?
    [ $rc = 3 ] && grep -q "TMPDIR=/opam-tmp" <<<"$out"
    point $? "sandbox.sh build: exit status 3 passed through, TMPDIR=/opam-tmp" "rc=$rc $out"

    out=$(opam switch create s --empty 2>&1)
    point $? "opam switch create --empty" "$out"
    : > "$s/calls.log"
    out=$(opam install --switch s hello 2>&1)
    rc=$?
    point $rc "opam install hello: built and installed in the sandbox" "$out"
    [ "$(cat "$s/root/s/share/hello/out" 2>/dev/null)" = built ]
    point $? "the installed file is the one the build wrote" "$(ls -la "$s/root/s/share/hello" 2>&1)"
    grep -q "NoNewPrivs:.*1" "$s/root/s/share/hello/nnp" 2>/dev/null
    point $? "the build ran with no_new_privs"
    grep -q "Read-only file system" "$s/root/s/share/hello/ro" 2>/dev/null
    point $? "the build could not write the switch prefix (read-only bind)" "$(cat "$s/root/s/share/hello/ro" 2>&1)"
    [ "$(grep -c -- --new-session "$s/calls.log")" -ge 2 ]
    point $? "build and install each went through bwrap" "$(cat "$s/calls.log")"
    out=$(opam remove --switch s hello 2>&1)
    rc=$?
    [ $rc = 0 ] && [ ! -e "$s/root/s/share/hello" ]
    point $? "opam remove hello, through the sandbox" "$out"

    scenario_end "$s"
}

scenario_if_asked "$@"

NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}") && export NESTBOX
cd "$(dirname "$0")" || exit 1
source ./lib.sh
command -v opam >/dev/null || skip_all "opam is not installed (apt-get install opam)"

compare_client_runs opam.sh
done_testing
