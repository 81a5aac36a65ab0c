# lib.sh: helpers shared by the SELinux tests (sourced, not run).
#
# Everything here works on a Debian 12 machine without SELinux in its kernel:
# policies are built into scratch policy stores under a directory the test
# owns (semodule -p), never into the machine's /etc/selinux or
# /var/lib/selinux, and Debian's reference policy is taken from its .deb
# (apt-get download) rather than installed, because installing
# selinux-policy-default would build a policy store on the host.

# Directory of this file, so tests find the module sources wherever the
# tree is checked out.
SEL_TESTDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEL_SRCDIR=$(cd "$SEL_TESTDIR/../.." && pwd)

# ---- TAP output ------------------------------------------------------------

# shellcheck source=../tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

diag() {
	local line
	while IFS= read -r line; do echo "# $line"; done <<<"$*"
}

# The closing lines: a TAP plan, then the plain summary CI reads.
sel_finish() {
	echo "1..$test_count"
	echo "$((test_count - test_failed - test_skipped)) passed, $test_failed failed, $test_skipped skipped"
	[ "$test_failed" -eq 0 ]
}

die() {
	echo "Bail out! $*"
	exit 1
}

# ---- packages ---------------------------------------------------------------

sel_apt_updated=no

# sel_ensure_packages PKG...: install whatever is missing, non-interactively.
# A fresh Debian 12 machine may have an empty package list, so the first
# install runs apt-get update.
sel_ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "# installing: ${missing[*]}"
	if [ "$sel_apt_updated" = no ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null ||
			return 1
		sel_apt_updated=yes
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" </dev/null >/dev/null
}

# sel_download PKG DIR: fetch a .deb into DIR without installing it.  Runs
# apt-get update first if apt has never seen the package.
sel_download() {
	local pkg=$1 dir=$2
	if ! apt-cache show "$pkg" >/dev/null 2>&1 && [ "$sel_apt_updated" = no ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null || return 1
		sel_apt_updated=yes
	fi
	# APT::Sandbox::User=root: the scratch directory is private to root, so
	# apt's unprivileged download user could not write into it.
	(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$pkg" </dev/null >/dev/null)
}

# sel_kernel_image CACHE WORK: the path of the vmlinuz of the package
# linux-image-amd64 stands for (a metapackage), downloaded once into CACHE
# and never installed (WORK: scratch space).  SELinux, Landlock and cgroup v2
# are built into Debian's kernel, so the guests need nothing else of it.
sel_kernel_image() {
	local cache=$1 work=$2 pkg k
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ] && [ "$sel_apt_updated" = no ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null
		sel_apt_updated=yes
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || return 1
	k=$cache/$pkg.vmlinuz
	if [ ! -s "$k" ]; then
		mkdir -p "$cache" "$work/kernel" || return 1
		sel_download "$pkg" "$work/kernel" || return 1
		dpkg-deb --fsys-tarfile "$work"/kernel/*.deb |
			tar -x -C "$work/kernel" --wildcards './boot/vmlinuz-*' || return 1
		cp "$work"/kernel/boot/vmlinuz-* "$k.tmp" && mv "$k.tmp" "$k" || return 1
		rm -rf "$work/kernel"
	fi
	echo "$k"
}

# ---- policy stores ----------------------------------------------------------

# sel_refpolicy_store ROOT WORK: build Debian's reference policy ("default"
# store, the same modules selinux-policy-default's postinst installs) into
# a scratch root ROOT, using WORK for the download.  Linking its 331
# modules is the longest step of both SELinux tests, so the store is kept
# under NESTBOX_SELINUX_CACHE (as the kernel is), named for the versions
# of the policy package and of the tools that built it, and copied from
# there while those versions stay the same.
sel_refpolicy_store() {
	local root=$1 work=$2 deb cache key
	mkdir -p "$work/refpolicy" "$root/var/lib/selinux"
	if ! ls "$work"/selinux-policy-default_*.deb >/dev/null 2>&1; then
		sel_download selinux-policy-default "$work" || return 1
	fi
	deb=$(ls "$work"/selinux-policy-default_*.deb | head -n1)
	cache=${NESTBOX_SELINUX_CACHE:-/var/tmp/nestbox-selinux-test}
	key=$(printf '%s\n' "$(basename "$deb")" \
		"$(dpkg-query -W -f='${Version}' semodule-utils libsemanage2 libsepol2 2>/dev/null)" |
		md5sum | cut -c1-16)
	if [ -s "$cache/refpolicy-store-$key.tar" ]; then
		tar -xf "$cache/refpolicy-store-$key.tar" -C "$root" && return 0
	fi
	sel_refpolicy_store_build "$root" "$work" "$deb" || return 1
	mkdir -p "$cache" &&
		tar -cf "$cache/refpolicy-store-$key.tar.$$" -C "$root" . &&
		mv "$cache/refpolicy-store-$key.tar.$$" "$cache/refpolicy-store-$key.tar"
	return 0
}

# sel_refpolicy_store_build ROOT WORK DEB: the build itself.
sel_refpolicy_store_build() {
	local root=$1 work=$2 deb=$3 m args=()
	dpkg-deb -x "$deb" "$work/refpolicy"
	# The store's configuration files (contexts, setrans.conf) come from
	# the package; "config" tells libsemanage which store is active.
	cp -a "$work/refpolicy/etc" "$root/"
	printf 'SELINUX=permissive\nSELINUXTYPE=default\n' >"$root/etc/selinux/config"
	for m in $(cat "$work/refpolicy/usr/share/selinux/default/.modules"); do
		args+=(-i "$work/refpolicy/usr/share/selinux/default/$m.pp.bz2")
	done
	# -n: never try to load into the running kernel.  Priority 100 as the
	# Debian package uses.  "user sddm not in password file" is harmless.
	semodule -p "$root" -s default -X 100 -n "${args[@]}" 2>&1 |
		grep -v 'not in password file' || true
	[ -f "$root/etc/selinux/default/policy/policy.33" ] ||
		ls "$root"/etc/selinux/default/policy/policy.* >/dev/null 2>&1
}

# sel_refpolicy_container DIR WORK: build the reference policy's own
# container module (container_t, spc_t, container_engine_t) into
# DIR/container.pp and print that path.  Debian builds no container.pp
# (selinux-policy-default leaves the module out), but ships the source of
# the same release in selinux-policy-src and its interface file in
# selinux-policy-dev's headers; so the module is built from Debian's
# source with Debian's devel Makefile, and nothing of it is kept in this
# tree.  WORK holds the download.
sel_refpolicy_container() {
	local dir=$1 work=$2 src
	mkdir -p "$dir" "$work/policy-src"
	if ! ls "$work"/selinux-policy-src_*.deb >/dev/null 2>&1; then
		sel_download selinux-policy-src "$work" || return 1
	fi
	dpkg-deb --fsys-tarfile "$(ls "$work"/selinux-policy-src_*.deb | head -n1)" |
		tar -xO ./usr/src/selinux-policy-src.tar.zst |
		tar --zstd -x -C "$work/policy-src" --wildcards '*/policy/modules/services/container.*' ||
		return 1
	src=$(dirname "$(ls "$work"/policy-src/*/policy/modules/services/container.te)")
	# The Makefile takes container_*() from the installed headers, and a
	# second definition would be an error; so the headers' container.if
	# must be this release's (the Makefile writes an empty one beside
	# container.te).
	if ! cmp -s "$src/container.if" /usr/share/selinux/devel/include/services/container.if; then
		echo "selinux-policy-src's container.if is not the one in selinux-policy-dev's headers" >&2
		return 1
	fi
	cp "$src/container.te" "$src/container.fc" "$dir/"
	sel_build_devel "$dir" container
}

# sel_install ROOT FILE...: add modules to a scratch store (one transaction).
# SEL_SEMODULE_FLAGS: more options for semodule (-D: no dontaudit rules).
sel_install() {
	local root=$1 args=() f out rc=0
	shift
	for f in "$@"; do args+=(-i "$f"); done
	# shellcheck disable=SC2086 # zero or more words
	out=$(semodule -p "$root" -s default -n ${SEL_SEMODULE_FLAGS:-} "${args[@]}" 2>&1) || rc=$?
	out=$(grep -v 'not in password file' <<<"$out" || true)
	[ -n "$out" ] && diag "$out"
	return $rc
}

# sel_policy ROOT: path of the binary policy a store produced.
sel_policy() {
	ls "$1"/etc/selinux/default/policy/policy.* | sort -V | tail -n1
}

# ---- building modules -------------------------------------------------------

# sel_build_plain TE OUTDIR: checkmodule + semodule_package, the path
# selinux/meson.build prefers.  Prints the .pp path.
sel_build_plain() {
	local te=$1 out=$2 name
	name=$(sed -n 's/^module[[:space:]]\+\([A-Za-z0-9_]\+\).*/\1/p' "$te")
	mkdir -p "$out"
	checkmodule -M -m -o "$out/$name.mod" "$te" >/dev/null &&
		semodule_package -o "$out/$name.pp" -m "$out/$name.mod" &&
		echo "$out/$name.pp"
}

# sel_build_devel DIR NAME: build DIR/NAME.pp from NAME.te/.if/.fc in DIR
# with the refpolicy devel Makefile.  Prints the .pp path.
sel_build_devel() {
	local dir=$1 name=$2
	make -s -C "$dir" -f /usr/share/selinux/devel/Makefile "$name.pp" >/dev/null 2>"$dir/make.err" ||
		{ cat "$dir/make.err" >&2; return 1; }
	echo "$dir/$name.pp"
}

# sel_switch_rules TE OUT: write OUT/nestbox.te, the module TE with each
# of its allow and type_transition rules (one a line) put under a boolean
# of its own,
# nbtest_rule<N>, true by default; and OUT/rules, one "nbtest_rule<N>
# RULE" line each.  One policy built with it stands for the module less
# any one rule (that boolean off) and for no module at all (all off), so
# the boot test needs one policy build for all of them, not one each.  A
# rule under a boolean is granted exactly when the boolean is on, as if
# the line were there or not.
sel_switch_rules() {
	local te=$1 out=$2
	mkdir -p "$out"
	awk -v rules="$out/rules" '
		/^[[:space:]]*(allow|type_transition) [a-z_]+ [^;]*;[[:space:]]*$/ {
			n++
			rule = $0
			sub(/^[[:space:]]+/, "", rule)
			print "nbtest_rule" n " " rule >rules
			line[NR] = "\tif (nbtest_rule" n ") { " rule " }"
			next
		}
		{ line[NR] = $0 }
		/^module / { module_line = NR }
		END {
			for (i = 1; i <= NR; i++) {
				print line[i]
				if (i == module_line)
					for (k = 1; k <= n; k++) print "bool nbtest_rule" k " true;"
			}
		}' "$te" >"$out/nestbox.te"
}

# sel_cil_allows PP: the allow rules of a .pp as "SOURCE TARGET CLASS PERM"
# lines, one permission a line, sorted.  Converting to CIL is what semodule
# does on install; it drops the class/permission requires that the devel
# Makefile adds, and splitting the permission sets makes two builds of the
# same rules compare equal however they group permissions.
sel_cil_allows() {
	/usr/libexec/selinux/hll/pp "$1" - 2>/dev/null |
		grep -o '(allow [^)]*([^)]*)))' | tr -d '()' |
		awk '{ for (i = 5; i <= NF; i++) print $2, $3, $4, $i }' | sort -u
}
