#!/bin/bash
# crun's own test suite (tests/test_*.py of Debian's crun source package)
# run twice on this machine: with OCI_RUNTIME set to nestbox-runc and with
# Debian's crun, each file on its own under a time limit.  Prints the
# per-file table (pass/fail/skip for both runtimes) as TAP comments, then
# one TAP line per test crun passes: nestbox-runc must pass it too, unless
# tests/runc/crun-suite-gaps.txt names the test (or its file) with a reason.
# crun 1.8 refuses a host whose cgroup2 `unified` mount has controllers, so
# every file runs in a private mount namespace with that mount hidden.
# The source is fetched once into CRUN_SUITE_DIR (root, a Debian mirror).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
GAPS=$HERE/crun-suite-gaps.txt
CACHE=${CRUN_SUITE_DIR:-/var/tmp/nestbox-crun-suite}
PER_FILE_LIMIT=${CRUN_SUITE_TIMEOUT:-60}
DEB_SRC_LIST=/etc/apt/sources.list.d/nestbox-crun-suite-src.list

is_root || skip_all "crun's suite runs containers as root (run as root)"
command -v crun >/dev/null || skip_all "Debian's crun is not installed (apt-get install crun)"
command -v unshare >/dev/null || skip_all "no unshare (util-linux)"
command -v gcc >/dev/null || skip_all "no gcc to build crun's tests/init.c"

# True when some apt source already offers Debian's source packages.
have_deb_src () {
    grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}
crun_tree () { ls -d "$CACHE"/crun-*/tests/init.c 2>/dev/null | sort -V | tail -n 1 | sed 's|/tests/init.c$||'; }

# fetch_source: `apt-get source crun` into the cache, once.
fetch_source () {
    [ -n "$(crun_tree)" ] && return 0
    mkdir -p "$CACHE"
    if ! have_deb_src; then
        echo "deb-src http://deb.debian.org/debian bookworm main" >"$DEB_SRC_LIST"
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-cache showsrc crun >/dev/null 2>&1 || apt-get -q -y update </dev/null >&2
    command -v dpkg-source >/dev/null || apt-get -q -y install --no-install-recommends dpkg-dev </dev/null >&2
    (cd "$CACHE" && apt-get -q -y source crun </dev/null >&2)
    [ -n "$(crun_tree)" ]
}

# build_init TREE: crun's test init, static (copied into every rootfs).
build_init () {
    local tree=$1 flags=(-D HAVE_ERROR_H) libs=()
    [ "$CACHE/init" -nt "$tree/tests/init.c" ] && return 0
    mkdir -p "$CACHE/include"
    : >"$CACHE/include/config.h"
    if [ -f /usr/lib/x86_64-linux-gnu/libseccomp.a ] || [ -f /usr/lib/libseccomp.a ]; then
        flags+=(-D HAVE_SECCOMP)
        libs=(-lseccomp)
    fi
    gcc -static -O2 "${flags[@]}" -I "$CACHE/include" -o "$CACHE/init" "$tree/tests/init.c" "${libs[@]}" >&2
}

fetch_source || skip_all "could not fetch Debian's crun source package into $CACHE"
TREE=$(crun_tree)
build_init "$TREE" || skip_all "could not build crun's tests/init.c statically (libc6-dev)"

cd "$SCRATCH" || exit 1
ln -s "$NESTBOX" nestbox-runc
mkdir results

# run_file RUNTIME LABEL FILE: one test file, its TAP output in results/.
run_file () {
    local runtime=$1 label=$2 file=$3 out
    out=results/$label.$(basename "$file" .py)
    # test_seccomp.py looks for the init at ./tests/init.
    mkdir -p "work-$label/tests"
    ln -sf "$CACHE/init" "work-$label/tests/init"
    (cd "work-$label" && OCI_RUNTIME=$runtime INIT=$CACHE/init \
        timeout -k 5 "$PER_FILE_LIMIT" unshare -m --propagation private sh -c \
        'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$1"' "$PYTHON" "$file") \
        >"$out.tap" 2>"$out.err" </dev/null
    echo $? >"$out.rc"
}

started=$(date +%s)
for file in "$TREE"/tests/test_*.py; do
    run_file "$(command -v crun)" crun "$file"
    run_file "$SCRATCH/nestbox-runc" nestbox "$file"
done
elapsed=$(($(date +%s) - started))
# The raw TAP and stderr of every file, kept for reading when asked.
[ -n "${CRUN_SUITE_RESULTS:-}" ] && mkdir -p "$CRUN_SUITE_RESULTS" && cp results/* "$CRUN_SUITE_RESULTS"/

# counts LABEL FILE: "pass fail skip" from the TAP lines (a file that
# stopped early, or timed out, counts its missing tests as failed).
counts () {
    local tap=results/$1.$2.tap planned pass fail skip
    planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
    skip=$(grep -c '^ok .*#SKIP' "$tap")
    pass=$(($(grep -c '^ok ' "$tap") - skip))
    fail=$(grep -c '^not ok ' "$tap")
    [ -n "$planned" ] && [ $((pass + fail + skip)) -lt "$planned" ] && fail=$((planned - pass - skip))
    [ -z "$planned" ] && fail=$((fail + 1))
    echo "$pass $fail $skip"
}

printf '# %-28s %-16s %-16s\n' file "crun p/f/s" "nestbox-runc p/f/s"
for file in "$TREE"/tests/test_*.py; do
    name=$(basename "$file" .py)
    read -r cp cf cs < <(counts crun "$name")
    read -r np nf ns < <(counts nestbox "$name")
    note=""
    grep -qx '1\.\.0' "results/crun.$name.tap" && note="(the file ran no test: a python module it imports is missing)"
    printf '# %-28s %-16s %-16s %s\n' "$name.py" "$cp/$cf/$cs" "$np/$nf/$ns" "$note"
done
echo "# both runtimes in ${elapsed}s (crun $(crun --version | head -n 1 | cut -d' ' -f3), $(basename "$TREE"))"

# gap_reason FILE TEST: the reason the gaps file gives, if it lists either.
gap_reason () {
    awk -v f="$1.py" -v t="$2" -v ft="$1.py:$2" \
        '!/^#/ && NF && ($1 == f || $1 == t || $1 == ft) { $1 = ""; sub(/^ /, ""); print; exit }' "$GAPS"
}

for file in "$TREE"/tests/test_*.py; do
    name=$(basename "$file" .py)
    while read -r test; do
        if grep -q "^ok [0-9]* - $test\$" "results/nestbox.$name.tap"; then
            ok "$name: $test"
        elif reason=$(gap_reason "$name" "$test") && [ -n "$reason" ]; then
            ok "$name: $test # SKIP known gap: $reason"
        else
            not_ok "$name: $test (crun passes it)"
        fi
    done < <(sed -n 's/^ok [0-9]* - \([^ ]*\)$/\1/p' "results/crun.$name.tap")
done
done_testing
