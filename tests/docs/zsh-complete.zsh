#!/bin/zsh -f
# zsh-complete.zsh COMPLETION_DIR 'COMMAND LINE': print, one a line, the
# matches zsh's completion system offers for the end of the line.
#
# zsh completes only inside its line editor, so this starts an interactive
# zsh on a pseudo-terminal (zsh/zpty), loads compinit with COMPLETION_DIR
# first in fpath, wraps compadd to record every match offered, types the
# line and a TAB, and reads the record back.
zmodload zsh/zpty || exit 77
compdir=${1:A} line=$2
out=$(mktemp) || exit 1
trap 'rm -f $out; zpty -d z 2>/dev/null' EXIT

zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT=''; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() {
  local -a __hits __dscr
  if (( \${@[(I)-[OAD]*]} )); then builtin compadd \"\$@\"; return; fi
  builtin compadd -A __hits -D __dscr \"\$@\"
  (( \$#__hits )) && print -rl -- \"\${__hits[@]}\" >> ${(q)out}
  builtin compadd \"\$@\"
}"
zpty -w z "zstyle ':completion:*' menu no; zstyle ':completion:*' list-prompt ''; LISTMAX=100000"
zpty -w z "print -r READY-\$\$"
zpty -r z junk '*READY-[0-9]*' || exit 1
zpty -w -n z "$line"$'\t'
# Completion is done when the record stops growing for a moment.
local -i tries=0 size=-1
while (( tries++ < 50 )); do
  sleep 0.1
  local now=$(wc -c < $out)
  (( now == size && now > 0 )) && break
  size=$now
done
sort -u $out
