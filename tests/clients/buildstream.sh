#!/bin/bash
# BuildStream 1.6 (Debian's buildstream package) runs every build command of
# an element in `bwrap` from PATH: it parses `bwrap --version` (split()[1]
# must be three integers), probes user namespaces with
# `bwrap --ro-bind / / --unshare-user --uid 0 --gid 0 whoami`, then builds in
# --unshare-pid --unshare-net --unshare-uts --unshare-ipc with the staged
# root bound on /, --remount-ro /, device nodes bound one by one and the
# command's exit status read back; `bst shell` runs an interactive sandbox
# with --dev /dev and no --new-session.
#
# Offline, on a tiny local project whose base is a few host binaries: build
# an element, check its artifact out, fail an element on purpose, and run
# `bst shell` under script(1).  With a `bwrap` on PATH that is nestbox and
# with Debian's bwrap, as the caller and as an unprivileged user.
#
#   buildstream.sh                        the test (TAP)
#   buildstream.sh --scenario BINDIR LABEL    one run, BINDIR/bwrap first on PATH

. "$(dirname "$0")/scenario.sh"

scenario () {
    local bindir=$1 s rc out base t p l
    s=$(mktemp -d /tmp/bst-client.XXXXXX)
    mkdir -p "$s/proj/elements" "$s/bin"
    printf 'name: test\nelement-path: elements\n' > "$s/proj/project.conf"
    printf 'kind: import\nsources:\n- kind: local\n  path: files/base\n' > "$s/proj/elements/base.bst"
    cat > "$s/proj/elements/hello.bst" <<'EOF'
kind: manual
build-depends:
- base.bst
variables:
  strip-binaries: ""
config:
  install-commands:
  - mkdir -p %{install-root}/out
  - id > %{install-root}/out/id.txt
  - grep NoNewPrivs /proc/self/status > %{install-root}/out/nnp.txt
  - ls /proc | grep -c '^[0-9]' > %{install-root}/out/procs.txt
  - (echo x > /usr/bin/new-file) 2> %{install-root}/out/ro.txt || true
EOF
    cat > "$s/proj/elements/fail.bst" <<'EOF'
kind: manual
build-depends:
- base.bst
variables:
  strip-binaries: ""
config:
  install-commands:
  - exit 5
EOF
    # The base: a few host programs and their libraries, merged-/usr style.
    base=$s/proj/files/base
    mkdir -p "$base/usr/bin" "$base/usr/lib" "$base/usr/lib64"
    ln -s usr/bin "$base/bin"; ln -s usr/lib "$base/lib"; ln -s usr/lib64 "$base/lib64"
    for t in sh bash id cat ls mkdir tr grep rm cp env sleep; do
        p=$(type -P "$t") || continue
        cp -L "$p" "$base/usr/bin/"
        for l in $(ldd "$p" | grep -o '/[^ ]*'); do
            mkdir -p "$base$(dirname "$l")"
            [ -e "$base$l" ] || cp -L "$l" "$base$l"
        done
    done
    printf '#!/bin/sh\nprintf "%%s\\n" "$*" >> %s/calls.log\nexec %s/bwrap "$@"\n' "$s" "$bindir" > "$s/bin/bwrap"
    chmod +x "$s/bin/bwrap"
    export PATH="$s/bin:$PATH" XDG_CACHE_HOME="$s/cache" XDG_CONFIG_HOME="$s/config" XDG_DATA_HOME="$s/data"
    cd "$s/proj" || return 1

    out=$(bst --no-interactive build hello.bst 2>&1)
    point $? "bst build hello.bst" "$out"
    grep -q -- "--unshare-pid" "$s/calls.log" 2>/dev/null
    point $? "the build ran through bwrap (not BuildStream's fallback)" "$(cat "$s/calls.log" 2>&1)"
    out=$(bst --no-interactive checkout hello.bst "$s/co" 2>&1)
    point $? "bst checkout hello.bst" "$out"
    grep -q "^uid=0 gid=0" "$s/co/out/id.txt" 2>/dev/null
    point $? "the build ran as uid 0 in the sandbox" "$(cat "$s/co/out/id.txt" 2>&1)"
    grep -q "NoNewPrivs:.*1" "$s/co/out/nnp.txt" 2>/dev/null
    point $? "the build ran with no_new_privs"
    [ "$(cat "$s/co/out/procs.txt" 2>/dev/null)" -le 4 ] 2>/dev/null
    point $? "the build's /proc shows only the sandbox's processes" "$(cat "$s/co/out/procs.txt" 2>&1)"
    grep -q "Read-only file system" "$s/co/out/ro.txt" 2>/dev/null
    point $? "the staged root is read-only outside the install root (--remount-ro /)" "$(cat "$s/co/out/ro.txt" 2>&1)"

    out=$(bst --no-interactive build fail.bst 2>&1)
    rc=$?
    [ $rc != 0 ] && grep -q "failed with exitcode 5" <<<"$out"
    point $? "a failing command's exit status (5) reaches BuildStream" "rc=$rc $out"

    out=$(script -qec "bst shell --build hello.bst -- sh -c 'ls /dev; exit 3'" /dev/null 2>&1)
    rc=$?
    point $(( rc != 3 )) "bst shell: the command's exit status (3) is passed through" "rc=$rc $out"
    grep -q "null" <<<"$out" && grep -q "pts" <<<"$out"
    point $? "bst shell: the sandbox has a /dev of its own" "$out"

    scenario_end "$s"
}

scenario_if_asked "$@"

NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}") && export NESTBOX
cd "$(dirname "$0")" || exit 1
source ./lib.sh
command -v bst >/dev/null || skip_all "BuildStream is not installed (apt-get install buildstream)"
command -v script >/dev/null || skip_all "script (util-linux) is not installed"

compare_client_runs buildstream.sh
done_testing
