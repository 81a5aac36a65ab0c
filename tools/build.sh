#!/bin/bash
# Configure (once) and build nestbox into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The SELinux policy module is built too (and its tests registered).
[ -f build/build.ninja ] || meson setup build -Dselinux_module=true
meson compile -C build
