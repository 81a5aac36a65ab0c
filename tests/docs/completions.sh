#!/bin/bash
# The shell completions of completions/: every option of `nestbox --help`
# is offered, and the arguments complete as they should (capability names
# after --cap-add, open descriptors after --file, directories after
# --chdir, choices after --proc-policy, the sandboxed command's own
# completion after the options).
#
# bash: the completion function is called the way bash calls it, with
# COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set (words split at "=" as
# bash's COMP_WORDBREAKS does).  fish: `complete -C` on a command line.
# zsh: a real interactive zsh on a pseudo-terminal (zsh-complete.zsh).
#
#   completions.sh COMPLETIONS_DIR
NESTBOX=$(realpath "${NESTBOX:?set NESTBOX to the nestbox binary}")
here=$(cd "$(dirname "$0")" && pwd)
dir=$(realpath "${1:-$here/../../completions}")

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

mapfile -t options < <("$NESTBOX" --help | sed -n 's/^    \(--[a-z0-9-]*\).*/\1/p')
[ ${#options[@]} -ge 60 ] || { echo "1..1"; echo "not ok 1 - could not read the options from --help"; exit 1; }

scratch=$(mktemp -d /tmp/nestbox-completions.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/adir" "$scratch/bdir"
touch "$scratch/afile"
exec 7</dev/null    # an open descriptor the completions should offer

# has WORD LIST...: WORD is one of LIST.
has () { local w=$1; shift; printf '%s\n' "$@" | grep -qxF -- "$w"; }
# check DESC WANT GOT...: one point: WANT is among what was offered.
check () {
    local desc=$1 want=$2
    shift 2
    if has "$want" "$@"; then ok "$desc"; else not_ok "$desc: '$want' not in: $(printf '%s ' "$@" | head -c 400)"; fi
}
# check_not DESC UNWANTED GOT...
check_not () {
    local desc=$1 unwanted=$2
    shift 2
    if has "$unwanted" "$@"; then not_ok "$desc: '$unwanted' was offered"; else ok "$desc"; fi
}
# all_options SHELL GOT...: every option of --help is offered.
all_options () {
    local shell=$1 missing=() o
    shift
    for o in "${options[@]}"; do has "$o" "$@" || missing+=("$o"); done
    if [ ${#missing[@]} = 0 ]; then ok "$shell: all ${#options[@]} options of --help are offered after '--'"
    else not_ok "$shell: options of --help not offered: ${missing[*]}"; fi
}

# ---- bash -------------------------------------------------------------
bash_completion=/usr/share/bash-completion/bash_completion
if [ ! -r "$bash_completion" ]; then
    skip "bash: bash-completion is not installed (apt-get install bash-completion)"
else
    # bash_complete LINE: what _nestbox offers for the end of LINE.
    bash_complete () {
        bash --norc --noprofile -c '
            source "$1" && source "$2" || exit 1
            line=$3
            COMP_WORDS=()
            read -ra words <<<"$line"
            for w in "${words[@]}"; do
                if [[ $w =~ ^(--[^=]+)=(.*)$ ]]; then
                    COMP_WORDS+=("${BASH_REMATCH[1]}" "=" "${BASH_REMATCH[2]}")
                else
                    COMP_WORDS+=("$w")
                fi
            done
            [[ $line == *" " || $line == *"=" ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE=$line COMP_POINT=${#line}
            COMPREPLY=()
            _nestbox nestbox "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
            printf "%s\n" "${COMPREPLY[@]}"
        ' bash "$bash_completion" "$dir/bash/nestbox" "$1" 7</dev/null
    }
    mapfile -t got < <(bash_complete "nestbox --")
    all_options bash "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --unshare-p")
    check "bash: --unshare-p completes to --unshare-pid" --unshare-pid "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --ro-bind / / --cap-add CAP_SYS_A")
    check "bash: capability names after --cap-add" CAP_SYS_ADMIN "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --cap-drop cap_net_r")
    check "bash: lower-case capability names after --cap-drop" cap_net_raw "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --cap-drop ")
    bad=()
    for cap in "${got[@]}"; do
        err=$("$NESTBOX" --cap-drop "$cap" 2>&1 </dev/null)
        [[ $err == *"unknown cap"* ]] && bad+=("$cap")
    done
    if [ ${#got[@]} -ge 41 ] && [ ${#bad[@]} = 0 ]; then ok "bash: all ${#got[@]} capability names offered are accepted by nestbox"
    else not_ok "bash: ${#got[@]} capability names offered, refused by nestbox: ${bad[*]}"; fi
    mapfile -t got < <(bash_complete "nestbox --file ")
    check "bash: open descriptors after --file (fd 7 is open)" 7 "${got[@]}"
    check_not "bash: bash's own fd 255 is not offered" 255 "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --file 7 $scratch/a")
    check "bash: a path after --file FD" "$scratch/afile" "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --seccomp 7 --info-fd ")
    check "bash: descriptors after --info-fd" 7 "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --chdir $scratch/")
    check "bash: directories after --chdir" "$scratch/adir" "${got[@]}"
    check_not "bash: no plain files after --chdir" "$scratch/afile" "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --bind $scratch/")
    check "bash: files after --bind" "$scratch/afile" "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --bind /usr $scratch/b")
    check "bash: the destination of --bind SRC DEST" "$scratch/bdir" "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --overlay-src /usr --overlay $scratch/adir $scratch/bdir $scratch/a")
    check "bash: the third argument of --overlay" "$scratch/adir" "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --bind /a /b --unshare-n")
    check "bash: options again after an option's two arguments" --unshare-net "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --proc-policy ")
    check "bash: --proc-policy choices" bwrap "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --proc-fallback=su")
    check "bash: --proc-fallback=VALUE" subset "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --seccomp-profile def")
    check "bash: --seccomp-profile default" default "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --setenv PAT")
    check "bash: variable names after --setenv" PATH "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --ro-bind / / ba")
    check "bash: the command after the options" bash "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox --ro-bind / / -- ls --al")
    check "bash: the command's own completion after --" --all "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox do")
    check "bash: the doctor subcommand" doctor "${got[@]}"
    mapfile -t got < <(bash_complete "nestbox doctor --")
    check "bash: doctor --json" --json "${got[@]}"
fi

# ---- fish -------------------------------------------------------------
if ! command -v fish >/dev/null; then
    skip "fish: fish is not installed (apt-get install fish)"
else
    fish_complete () {
        # A private config dir: no user configuration, but fish's own
        # completions (--no-config would drop those too).
        HOME=$scratch XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data \
            fish -c 'source $argv[1]; complete -C $argv[2]' "$dir/fish/nestbox.fish" "$1" 7</dev/null | cut -f1
    }
    fish --no-config -n "$dir/fish/nestbox.fish" && ok "fish: the completion parses" || not_ok "fish: syntax errors"
    mapfile -t got < <(fish_complete "nestbox --")
    all_options fish "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --cap-add CAP_SYS_A")
    check "fish: capability names after --cap-add" CAP_SYS_ADMIN "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --chdir $scratch/")
    check "fish: directories after --chdir" "$scratch/adir/" "${got[@]}"
    check_not "fish: no plain files after --chdir" "$scratch/afile" "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --file ")
    check "fish: open descriptors after --file" 7 "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --bind /usr $scratch/b")
    check "fish: the destination of --bind SRC DEST" "$scratch/bdir/" "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --proc-fallback=")
    check "fish: --proc-fallback=VALUE" --proc-fallback=auto "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox --ro-bind / / ls --al")
    check "fish: the command's own completion" --all "${got[@]}"
    mapfile -t got < <(fish_complete "nestbox doctor ")
    check "fish: doctor --json" --json "${got[@]}"
fi

# ---- zsh --------------------------------------------------------------
if ! command -v zsh >/dev/null; then
    skip "zsh: zsh is not installed (apt-get install zsh)"
else
    zsh_complete () { timeout 30 zsh -f "$here/zsh-complete.zsh" "$dir/zsh" "$1" 7</dev/null; }
    zsh -n "$dir/zsh/_nestbox" && ok "zsh: the completion parses" || not_ok "zsh: syntax errors"
    mapfile -t got < <(zsh_complete "nestbox --")
    all_options zsh "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox --cap-add CAP_SYS_A")
    check "zsh: capability names after --cap-add" CAP_SYS_ADMIN "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox --file ")
    check "zsh: open descriptors after --file" 7 "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox --proc-policy ")
    check "zsh: --proc-policy choices" oci "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox --chdir $scratch/")
    check "zsh: directories after --chdir" adir "${got[@]}"
    check_not "zsh: no plain files after --chdir" afile "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox --ro-bind / / ls --al")
    check "zsh: the command's own completion" --all "${got[@]}"
    mapfile -t got < <(zsh_complete "nestbox doctor --")
    check "zsh: doctor --json" --json "${got[@]}"
fi

done_testing
