#!/bin/bash
# with-options.sh "OPTIONS" SUITE [ARGS...]: run a suite with every sandbox
# it starts given OPTIONS too (such as --landlock), to show that they change
# nothing the suite checks.  NESTBOX becomes a wrapper that puts OPTIONS
# first; doctor, --help and --version go through unchanged, under the
# wrapper's name (a client suite's `bwrap` shim is a copy of it).
set -u
: "${NESTBOX:?set NESTBOX to the nestbox binary}"
options=$1
shift
dir=$(mktemp -d /tmp/nestbox-with-options.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$(realpath "$NESTBOX")" "$dir/nestbox.real"
cat >"$dir/nestbox" <<WRAPPER
#!/bin/bash
case "\${1-}" in
    doctor | --help | --version | "") exec -a "\$0" "$dir/nestbox.real" "\$@" ;;
esac
exec -a "\$0" "$dir/nestbox.real" $options "\$@"
WRAPPER
chmod 0755 "$dir" "$dir/nestbox" "$dir/nestbox.real"
NESTBOX=$dir/nestbox bash "$@"
