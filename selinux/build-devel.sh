#!/bin/sh
# build-devel.sh MAKEFILE WORKDIR OUTPUT SOURCE...: build nestbox.pp with the
# refpolicy devel Makefile, for selinux/meson.build when semodule_package is
# not installed.  That Makefile builds NAME.pp from NAME.te (.if, .fc) in its
# current directory, so the sources are copied into a private work
# directory first and the package is copied out to where meson wants it.
set -eu
makefile=$1 workdir=$2 output=$3
shift 3
mkdir -p "$workdir"
cp "$@" "$workdir/"
make -s -C "$workdir" -f "$makefile" nestbox.pp >/dev/null
cp "$workdir/nestbox.pp" "$output"
