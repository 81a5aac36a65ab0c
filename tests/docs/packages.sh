#!/bin/bash
# The packaging: dpkg-buildpackage -us -uc -b builds nestbox and
# nestbox-bwrap from a copy of the source tree (running the unit tests of
# debian/rules); both .debs unpack (dpkg -x) into a scratch root with the
# files in the usual places; the unpacked nestbox runs.  Where rpmbuild is
# installed, nestbox.spec builds too (the meson macros of Fedora's
# meson package defined on the command line) and its file lists hold.
#
#   packages.sh SOURCE_DIR
NESTBOX=${NESTBOX:-}
src=$(realpath "${1:-$(dirname "$0")/../..}")

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

command -v dpkg-buildpackage >/dev/null || { echo "1..0 # SKIP dpkg-buildpackage is not installed (apt-get install dpkg-dev)"; exit 0; }
# The build dependencies must be installed: dpkg-checkbuilddeps names the
# missing ones, and the skip reason repeats them.
if ! missing=$(cd "$src" && dpkg-checkbuilddeps 2>&1); then
    echo "1..0 # SKIP build dependencies missing: ${missing##*: }"
    exit 0
fi

scratch=$(mktemp -d /tmp/nestbox-deb.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/nestbox" "$scratch/root"

# A copy of the tree as a fresh checkout would have it: tracked and new
# files, no build directories.
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -C "$scratch/nestbox" -xf -
else
    tar -C "$src" --exclude='./build*' --exclude='./obj-*' --exclude=./.git -cf - . | tar -C "$scratch/nestbox" -xf -
fi

log=$scratch/build.log
if (cd "$scratch/nestbox" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) > "$log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b builds the packages"
else
    not_ok "dpkg-buildpackage -us -uc -b failed"
    tail -30 "$log" | sed 's/^/#   /'
    echo "1..$test_count"
    exit 1
fi
grep -E '^dh_missing|warning: .* (not installed|missing)' "$log" | sed 's/^/# /'

shopt -s nullglob
debs=("$scratch"/nestbox_*.deb)
bwrap_debs=("$scratch"/nestbox-bwrap_*.deb)
[ ${#debs[@]} = 1 ] && ok "nestbox_*.deb was built" || not_ok "no nestbox .deb (${debs[*]})"
[ ${#bwrap_debs[@]} = 1 ] && ok "nestbox-bwrap_*.deb was built" || not_ok "no nestbox-bwrap .deb"

for deb in "${debs[@]}" "${bwrap_debs[@]}"; do
    dpkg -x "$deb" "$scratch/root" && ok "dpkg -x $(basename "$deb")" || not_ok "dpkg -x $(basename "$deb") failed"
done

# The files, in the places Debian's tools look for them.
# (dh_compress compresses documents over 4 kB: either form will do.)
expect_file () {
    if [ -e "$scratch/root$1" ] || [ -L "$scratch/root$1" ]; then ok "installs $1"
    elif [[ $1 == */doc/* ]] && [ -e "$scratch/root$1.gz" ]; then ok "installs $1 (.gz)"
    else not_ok "does not install $1"; fi
}
for f in /usr/bin/nestbox \
         /usr/share/man/man1/nestbox.1.gz /usr/share/man/man1/nestbox-doctor.1.gz \
         /usr/share/bash-completion/completions/nestbox \
         /usr/share/zsh/vendor-completions/_nestbox \
         /usr/share/fish/vendor_completions.d/nestbox.fish \
         /usr/share/selinux/packages/nestbox.pp /usr/share/selinux/packages/nestbox.cil \
         /usr/share/nestbox/seccomp/nestbox.json \
         /usr/share/doc/nestbox/pods.md /usr/share/doc/nestbox/copyright \
         /usr/share/doc/nestbox/examples/zuul-executor.yaml \
         /usr/bin/bwrap /usr/share/man/man1/bwrap.1.gz; do
    expect_file "$f"
done
[ "$(readlink "$scratch/root/usr/bin/bwrap")" = nestbox ] && ok "/usr/bin/bwrap links to nestbox" ||
    not_ok "/usr/bin/bwrap points to '$(readlink "$scratch/root/usr/bin/bwrap")'"
[ -e "$scratch/root/usr/share/man/man1/bwrap.1.gz" ] && ok "bwrap.1.gz resolves to nestbox.1.gz" ||
    not_ok "bwrap.1.gz is a dangling link ($(readlink "$scratch/root/usr/share/man/man1/bwrap.1.gz"))"

# Nothing setuid, setgid or with file capabilities: nestbox refuses to run so.
special=$(find "$scratch/root" -perm /6000 -type f)
[ -z "$special" ] && ok "no setuid or setgid files" || not_ok "setuid/setgid files: $special"
if command -v getcap >/dev/null; then
    caps=$(getcap -r "$scratch/root" 2>/dev/null)
    [ -z "$caps" ] && ok "no file capabilities" || not_ok "file capabilities: $caps"
fi

# No stray files: everything is under /usr.
stray=$(cd "$scratch/root" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$stray" ] && ok "everything is under /usr" || not_ok "files outside /usr: $stray"

# The packaged binary works: version, help, a sandbox.
bin=$scratch/root/usr/bin/nestbox
"$bin" --version | grep -qE '^nestbox [0-9]+\.[0-9]+\.[0-9]+$' && ok "the packaged nestbox prints its version" ||
    not_ok "the packaged nestbox --version: $("$bin" --version 2>&1)"
out=$("$bin" --ro-bind / / --unshare-pid --proc /proc --dev /dev sh -c 'echo inside; exit 4' 2>&1)
rc=$?
[ $rc = 4 ] && [ "$out" = inside ] && ok "the packaged nestbox runs a sandbox (exit status passed through)" ||
    not_ok "the packaged nestbox: rc=$rc $out"
zcat "$scratch/root/usr/share/man/man1/nestbox.1.gz" | grep -q -- '--proc-policy' && ok "the packaged man page documents --proc-policy" ||
    not_ok "the packaged man page lacks --proc-policy"

# Package metadata.
dpkg-deb -f "${bwrap_debs[0]}" Conflicts | grep -q bubblewrap && ok "nestbox-bwrap conflicts with bubblewrap (both own /usr/bin/bwrap)" ||
    not_ok "nestbox-bwrap does not conflict with bubblewrap"
dpkg-deb -f "${debs[0]}" Depends | grep -q libseccomp && ok "nestbox depends on the libraries it links (\${shlibs:Depends})" ||
    not_ok "nestbox's Depends lacks the shared libraries: $(dpkg-deb -f "${debs[0]}" Depends)"

# The RPM spec, where rpmbuild is installed.
version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
if command -v rpmbuild >/dev/null; then
    top=$scratch/rpm
    mkdir -p "$top/SOURCES"
    (cd "$scratch/nestbox" && find . -path ./debian/.debhelper -prune -o -path './obj-*' -prune -o -type f -print0 |
        tar --null -T - --transform "s|^\./|nestbox-$version/|" -czf "$top/SOURCES/nestbox-$version.tar.gz")
    if rpmbuild -bb --nodeps --define "_topdir $top" --define 'debug_package %{nil}' \
            --define '_vpath_builddir _build' \
            --define 'meson meson setup --prefix=%{_prefix} --bindir=%{_bindir} --datadir=%{_datadir} --mandir=%{_mandir} --libdir=%{_libdir} --sysconfdir=%{_sysconfdir} -Dwerror=false %{_vpath_builddir}' \
            --define 'meson_build meson compile -C %{_vpath_builddir}' \
            --define 'meson_install DESTDIR=%{buildroot} meson install -C %{_vpath_builddir} --no-rebuild' \
            "$src/nestbox.spec" > "$scratch/rpm.log" 2>&1; then
        ok "rpmbuild -bb nestbox.spec builds (file lists match what meson installs)"
        for pkg in nestbox nestbox-bwrap nestbox-selinux; do
            rpm=$(find "$top/RPMS" -name "$pkg-$version-*.rpm" | head -1)
            [ -n "$rpm" ] && ok "$pkg-$version RPM was built" || not_ok "no $pkg-$version RPM"
        done
        list=$(rpm -qlp "$top"/RPMS/*/nestbox-bwrap-*.rpm 2>/dev/null)
        grep -qx /usr/bin/bwrap <<<"$list" && ok "the nestbox-bwrap RPM has /usr/bin/bwrap" ||
            not_ok "the nestbox-bwrap RPM lacks /usr/bin/bwrap: $list"
    else
        not_ok "rpmbuild -bb nestbox.spec failed"
        grep -E 'error|Error|File not found' "$scratch/rpm.log" | tail -15 | sed 's/^/#   /'
    fi
else
    skip "rpmbuild is not installed (apt-get install rpm): nestbox.spec not built"
fi
deb_version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
rpm_version=$(sed -n 's/^Version: *//p' "$src/nestbox.spec")
[ "$rpm_version" = "$version" ] && ok "nestbox.spec's version is meson's ($version)" ||
    not_ok "nestbox.spec says '$rpm_version', meson.build '$version'"
[ "${deb_version%%-*}" = "$version" ] && ok "debian/changelog's version is meson's ($version)" ||
    not_ok "debian/changelog says '$deb_version', meson.build '$version'"

done_testing
