#!/bin/bash
# Fetch Debian's bubblewrap source package and build its test helpers, so that
# tests/bwrap-suite/run.sh can run bubblewrap's own test suite against nestbox.
#
# Usage: tests/bwrap-suite/fetch-debian-source.sh DEST
#
# Meant for a fresh Debian 12 machine, as root, with no stdin (CI):
#   1. adds deb-src copies of the Debian stanzas (apt-get source needs them; a
#      stock Debian 12 image only has "Types: deb"),
#   2. installs dpkg-dev and what the suite needs to build and run,
#   3. runs `apt-get source bubblewrap` into DEST (skipped if already unpacked),
#   4. builds the suite's helper programs (tests/try-syscall, ...) in DEST/build.
# Prints the absolute path of the unpacked source tree on stdout (and nothing
# else there), so callers can do  src=$(fetch-debian-source.sh DEST).
# Every step is idempotent: a second run only checks and rebuilds if needed.
#
# The bubblewrap sources are downloaded at run time from Debian's archive and
# never copied into this project.
set -euo pipefail

prog=${0##*/}
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -eq 1 ]] || { echo "usage: $prog DEST" >&2; exit 2; }
mkdir -p -- "$1"
dest=$(realpath -- "$1")
build="$dest/build"

# What the suite needs: dpkg-dev for `apt-get source`; meson, ninja, gcc,
# pkg-config and libcap-dev to build tests/try-syscall; python3 with the
# seccomp and tap modules for test-seccomp.py; strace (fault-injection test),
# capsh/getpcaps (libcap2-bin) and findmnt/unshare (util-linux) for test-run.sh.
packages=(dpkg-dev meson ninja-build libcap-dev pkg-config gcc python3
          python3-seccomp python3-tap strace libcap2-bin util-linux)

apt_sources=/etc/apt/sources.list.d/debian.sources
src_sources=/etc/apt/sources.list.d/debian-src.sources

# Never let apt or dpkg wait for an answer: CI has no stdin and no tty.
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -q -y -o Dpkg::Use-Pty=0 "$@" </dev/null >&2; }

# The unpacked tree, if any: the newest bubblewrap-*/ that has the test suite.
find_srcdir() {
    local d best=""
    for d in "$dest"/bubblewrap-*/; do
        [[ -f "$d/tests/test-run.sh" && -f "$d/meson.build" ]] || continue
        best=$(printf '%s\n%s\n' "$best" "${d%/}" | sed '/^$/d' | sort -V | tail -n1)
    done
    printf '%s' "$best"
}

# Print deb-src stanzas equivalent to the deb stanzas of the deb822 file $1.
# Stanzas are separated by blank lines; only the Types field changes, comments
# and other fields are kept so the entry tracks whatever mirror/snapshot the
# machine was set up with.
deb822_to_src() {
    awk '
        function flush() {
            if (n > 0 && is_deb) { if (out++) print ""; for (i = 1; i <= n; i++) print buf[i] }
            n = 0; is_deb = 0
        }
        /^[[:space:]]*$/ { flush(); next }
        /^Types:/ {
            # Keep the stanza only if it is a binary ("deb") source.
            for (i = 2; i <= NF; i++) if ($i == "deb") is_deb = 1
            buf[++n] = "Types: deb-src"; next
        }
        { buf[++n] = $0 }
        END { flush() }
    ' "$1"
}

# Same from a one-line-style /etc/apt/sources.list (older images).
list_to_src() {
    awk '
        $1 == "deb" {
            opts = ""; i = 2
            if ($2 ~ /^\[/) {   # [signed-by=... arch=...] options
                while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } i++ }
            }
            uri = $i; suite = $(i + 1); comps = ""
            for (j = i + 2; j <= NF; j++) comps = comps (comps ? " " : "") $j
            if (out++) print ""
            print "Types: deb-src"; print "URIs: " uri; print "Suites: " suite
            print "Components: " comps
            if (match(opts, /signed-by=[^] ]+/))
                print "Signed-By: " substr(opts, RSTART + 10, RLENGTH - 10)
        }
    ' "$1"
}

# True if apt already knows a deb-src entry for Debian (then we add nothing, so
# apt does not warn about sources configured twice).
have_deb_src() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f && $f != "$src_sources" ]] || continue
        grep -Eq '^[[:space:]]*(deb-src[[:space:]]|Types:.*[[:space:]]deb-src([[:space:]]|$))' "$f" \
            && return 0
    done
    return 1
}

# Write debian-src.sources; returns 0 if it changed (so apt-get update is due).
ensure_deb_src() {
    local want
    if have_deb_src; then
        return 1
    elif [[ -f $apt_sources ]]; then
        want=$(deb822_to_src "$apt_sources")
    elif [[ -f /etc/apt/sources.list ]]; then
        want=$(list_to_src /etc/apt/sources.list)
    else
        die "no Debian apt source found ($apt_sources or /etc/apt/sources.list)"
    fi
    [[ -n $want ]] || die "no 'deb' entries found to derive deb-src entries from"
    want="# Added by nestbox tests/bwrap-suite/$prog: deb-src copies of the
# Debian entries, for 'apt-get source bubblewrap'. Safe to delete.
$want"
    if [[ -f $src_sources ]] && [[ "$(cat "$src_sources")" == "$want" ]]; then
        return 1
    fi
    log "writing $src_sources"
    printf '%s\n' "$want" >"$src_sources.tmp"
    mv -f "$src_sources.tmp" "$src_sources"
    return 0
}

missing_packages() {
    local p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed \
            || printf '%s\n' "$p"
    done
}

srcdir=$(find_srcdir)
mapfile -t missing < <(missing_packages)

if [[ -z $srcdir || ${#missing[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || die "must run as root to install packages / add a deb-src entry"
    sources_changed=false
    if [[ -z $srcdir ]] && ensure_deb_src; then sources_changed=true; fi
    # Refresh the lists when anything has to be downloaded: on a fresh machine
    # they are empty or stale, and a new deb-src entry has no index yet.
    if $sources_changed || [[ ${#missing[@]} -gt 0 ]] \
        || ! apt-cache showsrc bubblewrap >/dev/null 2>&1; then
        log "apt-get update"
        apt_get update
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing: ${missing[*]}"
        apt_get install --no-install-recommends "${missing[@]}"
    fi
fi

if [[ -z $srcdir ]]; then
    log "apt-get source bubblewrap -> $dest"
    # apt-get source as root warns "Download is performed unsandboxed as root"
    # (the _apt user cannot write to DEST): harmless.
    (cd "$dest" && apt_get source bubblewrap)
    srcdir=$(find_srcdir)
    [[ -n $srcdir ]] || die "apt-get source did not unpack a bubblewrap-*/ tree with tests in $dest"
else
    log "already unpacked: $srcdir"
fi

# Build with Debian's python3 explicitly: meson.build looks up python3 at
# configure time, and a python3 earlier in PATH (pyenv, venv) would lack the
# seccomp module that test-seccomp.py imports.
# A build dir left from another source tree (an older unpacked version) is
# configured for the wrong sources: start it afresh.
configured_src=""
if [[ -f $build/meson-info/meson-info.json ]]; then
    configured_src=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
        "$build/meson-info/meson-info.json" 2>/dev/null || true)
fi
if [[ ! -f $build/build.ninja || $configured_src != "$srcdir" ]]; then
    log "meson setup $build"
    rm -rf -- "$build"
    (cd "$srcdir" && meson setup "$build" -Dpython=/usr/bin/python3 </dev/null >&2)
fi
log "meson compile -C $build"
meson compile -C "$build" </dev/null >&2
[[ -x $build/tests/try-syscall ]] || die "$build/tests/try-syscall was not built"

printf '%s\n' "$srcdir"
