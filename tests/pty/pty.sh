#!/bin/bash
# --pty: a terminal of the sandbox's own, driven through a real terminal.
#
# tmux provides the terminal (CI has none): each case runs nestbox in a
# pane of a private tmux server, types with send-keys and reads the screen
# with capture-pane.  The last part needs no terminal: --pty with stdin a
# pipe or /dev/null.
#
# TAP on stdout, diagnostics as "# " lines on stderr.
. "$(dirname "$0")/../lib.sh"

# Every process this suite starts has SCRATCH on its command line (the
# rcfile, the binds), which is how "nothing left behind" is checked.
# (lib.sh made SCRATCH; the cleanup below replaces its trap.)
SOCKET=nestbox-pty-$$
# A private server: its socket lives in SCRATCH, and a surrounding tmux
# (a developer running the suite inside one) is not touched.
export TMUX_TMPDIR=$SCRATCH
unset TMUX
tm () { tmux -L "$SOCKET" -f /dev/null "$@"; }
leftovers () { pgrep -f -- "$SCRATCH" | grep -v -x -e $$ || true; }
no_leftovers () { [ -z "$(leftovers)" ]; }
cleanup () {
    tm kill-server >/dev/null 2>&1
    # A hung-up session ends on its own; give it a moment before
    # removing the directory it runs from.
    wait_until no_leftovers
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

if ! command -v tmux >/dev/null; then
    echo "1..0 # SKIP tmux is not installed (tools/install-deps.sh installs it)"
    exit 0
fi
# The server stays up between sessions: one exiting with its last session
# while the next is being created fails that creation.
tm start-server \; set-option -s exit-empty off

# The sandbox: the host's /usr (merged-/usr links), its own /dev (and so
# its own devpts) and /proc, a pid namespace, and SCRATCH for the scripts.
SANDBOX=(--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/bin /bin --symlink usr/sbin /sbin
         --proc /proc --dev /dev --unshare-pid --ro-bind "$SCRATCH" "$SCRATCH" --setenv WHERE inner)
[ -e /usr/lib64 ] && SANDBOX+=(--symlink usr/lib64 /lib64)

# The shell inside: a prompt that nothing typed contains.
cat >"$SCRATCH/rc" <<'EOF'
PS1='sbx> '
EOF
# TIOCSTI on the controlling terminal: where do the characters go?
cat >"$SCRATCH/inject.py" <<'EOF'
import errno, fcntl, os, termios
try:
    fd = os.open("/dev/tty", os.O_RDWR)
    for c in b"echo injected-by-$WHERE\n":
        fcntl.ioctl(fd, termios.TIOCSTI, bytes([c]))
    print("tiocsti=done")
except OSError as e:
    print("tiocsti=" + errno.errorcode.get(e.errno, str(e.errno)))
EOF

q () { printf '%q ' "$@"; }
INNER_SHELL="$(q "$NESTBOX" "${SANDBOX[@]}") --pty bash --noprofile --rcfile $(q "$SCRATCH/rc") -i"

# new_pane NAME: a fresh tmux session running a plain bash with a known
# prompt and WHERE=outer; each case gets its own, so old output never
# matches.
# A sanitizer build's options (tools/test-sanitizers.sh) reach the panes too,
# so that a report there lands where the others do.
PANE_ENV=(PATH=/usr/bin:/bin HOME="$SCRATCH" TERM=screen WHERE=outer PS1='out> ')
for option in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    [ -n "${!option-}" ] && PANE_ENV+=("$option=${!option}")
done
new_pane () {
    tm new-session -d -s "$1" -x 80 -y 24 "env -i $(q "${PANE_ENV[@]}") bash --norc --noprofile"
    wait_screen "$1" '^out> '
}
screen () { tm capture-pane -p -J -S -1000 -t "$1" 2>/dev/null; }
# wait_screen NAME REGEX: until a line of the pane matches (20 s).
wait_screen () {
    local i
    for ((i = 0; i < 200; i++)); do
        screen "$1" | grep -Eq -- "$2" && return 0
        sleep 0.1
    done
    echo "# timed out waiting for /$2/ in pane $1; it shows:" >&2
    screen "$1" | grep -v '^$' | sed 's/^/#   /' >&2
    return 1
}
type_line () { tm send-keys -t "$1" -l -- "$2" && tm send-keys -t "$1" Enter; }
pane_pid () { tm display -p -t "$1" '#{pane_pid}'; }
pane_tty () { tm display -p -t "$1" '#{pane_tty}'; }
# The nestbox started by the pane's shell (its only child).
nestbox_pid () { pgrep -P "$(pane_pid "$1")" | head -n 1; }
# until_true COMMAND...: retry for up to 10 s.
until_true () {
    local i
    for ((i = 0; i < 100; i++)); do "$@" && return 0; sleep 0.1; done
    return 1
}
process_state () { ps -o stat= -p "$1" 2>/dev/null | tr -d ' '; }
job_pid () { pgrep -x -f "sleep $1" | head -n 1; }
is_stopped () { [[ $(process_state "$(job_pid "$1")") == T* ]]; }
is_running () { local s; s=$(process_state "$(job_pid "$1")"); [[ -n $s && $s != T* ]]; }
is_gone () { [ -z "$(job_pid "$1")" ]; }
no_leftovers () { [ -z "$(leftovers)" ]; }

# ---- an interactive shell ----------------------------------------------------

new_pane sh
type_line sh "stty -g > $SCRATCH/before.sh; $INNER_SHELL; echo \"rc=\$?\"; stty -g > $SCRATCH/after.sh"
if wait_screen sh '^sbx> '; then
    ok "bash -i starts on the sandbox's terminal"
else
    not_ok "bash -i starts on the sandbox's terminal"
    done_testing
fi
check "the caller's terminal is in raw mode while nestbox relays" \
    test "$(stty -g <"$(pane_tty sh)")" != "$(cat "$SCRATCH/before.sh")"

# tty names a pts of the sandbox's devpts, not of the caller's.
type_line sh 'echo "tty=$(tty) dev=$(stat -c %d "$(tty)") pts=$(ls /dev/pts | tr "\n" " ")"'
check "tty prints a /dev/pts path" wait_screen sh '^tty=/dev/pts/[0-9]+ '
line=$(screen sh | grep -E '^tty=/dev/pts/' | tail -n 1)
inner_dev=$(sed -E 's/.* dev=([0-9]+) .*/\1/' <<<"$line")
check "that pts belongs to the sandbox's devpts (st_dev $inner_dev, the caller's $(stat -c %d "$(pane_tty sh)"))" \
    test "$inner_dev" != "$(stat -c %d "$(pane_tty sh)")"
check "the sandbox's devpts holds its own terminal only" grep -Eq ' pts=0 ptmx $' <<<"$line"
type_line sh 'case $- in *m*) echo "jobctl-$((40+2))";; esac; echo probe >/dev/tty && echo "devtty-$((5*5))"'
check "bash has job control" wait_screen sh '^jobctl-42$'
check "/dev/tty opens" wait_screen sh '^devtty-25$'
type_line sh '[ -e /dev/console ] || echo "console-$((3*3))"'
check "the caller's terminal is not bound as /dev/console" wait_screen sh '^console-9$'
# The reaper's stdio is the sandbox's terminal too: the command could
# otherwise reopen the caller's through /proc/1/fd/0 (when it may look).
PID1_CHECK='t=$(readlink /proc/1/fd/0 2>/dev/null); if [ -z "$t" ] || [ "$t" = "$(tty)" ]; then echo "pid1-ok-$((7*11))"; else echo "pid1-has-$t"; fi'
type_line sh "$PID1_CHECK"
check "pid 1 holds no fd of the caller's terminal" wait_screen sh '^pid1-(ok-77|has-.*)$'
check "(it holds the sandbox's)" eval '! screen sh | grep -q "^pid1-has-"'

# Ctrl-Z stops the foreground job, fg resumes it.
type_line sh 'sleep 1001'
until_true is_running 1001
tm send-keys -t sh C-z
check "Ctrl-Z: the shell reports the job stopped" wait_screen sh 'Stopped +sleep 1001'
check "Ctrl-Z: the job is stopped" until_true is_stopped 1001
type_line sh 'fg'
check "fg: the job runs again" until_true is_running 1001
tm send-keys -t sh C-c
check "Ctrl-C then ends it" until_true is_gone 1001

# Ctrl-C interrupts the foreground job, not nestbox.
type_line sh 'sleep 1002'
until_true is_running 1002
sandbox=$(nestbox_pid sh)
tm send-keys -t sh C-c
check "Ctrl-C interrupts sleep inside" until_true is_gone 1002
type_line sh 'echo "after-int-$((2+3))"'
check "the shell inside still answers" wait_screen sh '^after-int-5$'
check "nestbox keeps running" kill -0 "$sandbox"

# The window size follows the caller's terminal.  tmux applies a resize to
# its pane a little later: wait for it before typing.
pane_size_is () { [ "$(stty size <"$(pane_tty "$1")")" = "$2" ]; }
tm resize-window -t sh -x 100 -y 30
until_true pane_size_is sh "30 100"
type_line sh 'echo "size=$(stty size)"'
check "stty size follows a resize to 100x30" wait_screen sh '^size=30 100$'
tm resize-window -t sh -x 90 -y 20
until_true pane_size_is sh "20 90"
type_line sh 'echo "size2=$(stty size)"'
check "and a second one to 90x20" wait_screen sh '^size2=20 90$'

# TIOCSTI can only reach the sandbox's own terminal.
type_line sh "/usr/bin/python3 $SCRATCH/inject.py"
check "TIOCSTI inside is either refused or goes to the sandbox" wait_screen sh '^(tiocsti=E[A-Z]+|injected-by-inner)$'
type_line sh 'exit 7'
check "exit status of the shell is nestbox's" wait_screen sh '^rc=7$'
type_line sh 'echo "outer-check-$((6+1))"'
wait_screen sh '^outer-check-7$' >/dev/null
check "nothing was injected into the caller's terminal" eval '! screen sh | grep -q "^injected-by-outer"'
check "the caller's stty -g is the same after" cmp -s "$SCRATCH/before.sh" "$SCRATCH/after.sh"
tm kill-session -t sh

# Injection by a command that does not read its terminal: what it queues
# must die with its terminal, not be read by the caller's shell.
new_pane inj
type_line inj "$(q "$NESTBOX" "${SANDBOX[@]}") --pty /usr/bin/python3 $(q "$SCRATCH/inject.py"); echo \"inj-rc=\$?\""
wait_screen inj '^inj-rc=' >/dev/null
type_line inj 'echo "outer-check-$((7+1))"'
wait_screen inj '^outer-check-8$' >/dev/null
check "queued injected input never reaches the caller's shell" eval '! screen inj | grep -q "^injected-by-outer"'
tm kill-session -t inj

# ---- nestbox killed, and the terminal closed ---------------------------------

new_pane term
type_line term "stty -g > $SCRATCH/before.term; $INNER_SHELL; echo \"rc=\$?\"; stty -g > $SCRATCH/after.term"
wait_screen term '^sbx> ' >/dev/null
type_line term 'sleep 1003'
until_true is_running 1003
sandbox=$(nestbox_pid term)
check "raw mode while relaying (before SIGTERM)" \
    test "$(stty -g <"$(pane_tty term)")" != "$(cat "$SCRATCH/before.term")"
kill -TERM "$sandbox"
check "SIGTERM: nestbox ends (its session is hung up)" wait_screen term '^rc=[0-9]+$'
until_true test -s "$SCRATCH/after.term"
check "SIGTERM: the caller's stty -g is the same after" cmp -s "$SCRATCH/before.term" "$SCRATCH/after.term"
check "SIGTERM: the job inside is gone too" until_true is_gone 1003
tm kill-session -t term

new_pane hup
# Not leak-checked under AddressSanitizer: its exit-time check stops the
# process with ptrace, and the SIGCONT the kernel sends when the caller's
# shell exits (its process group is orphaned) cancels that stop, so the
# check waits forever.  The other cases check the monitor's leaks.
type_line hup "ASAN_OPTIONS=\"\${ASAN_OPTIONS-}:detect_leaks=0\" $INNER_SHELL"
wait_screen hup '^sbx> ' >/dev/null
type_line hup 'sleep 1004'
until_true is_running 1004
sandbox=$(nestbox_pid hup)
tm kill-session -t hup
check "closing the caller's terminal ends nestbox" until_true eval '! kill -0 '"$sandbox"' 2>/dev/null'
check "and hangs up the session inside" until_true is_gone 1004

# ---- other sandboxes, same terminal ------------------------------------------

# --new-session is implied and compatible; --as-pid-1; no pid namespace;
# no --dev (the caller's devpts).
BASE=(--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/bin /bin --symlink usr/sbin /sbin
      --ro-bind "$SCRATCH" "$SCRATCH")
[ -e /usr/lib64 ] && BASE+=(--symlink usr/lib64 /lib64)
variant () {
    local name=$1
    shift
    new_pane "$name"
    type_line "$name" "$(q "$NESTBOX" "$@") --pty bash --noprofile --rcfile $(q "$SCRATCH/rc") -i; echo \"rc=\$?\""
    wait_screen "$name" '^sbx> ' >/dev/null
    # Each answer is awaited before the next line is typed: type-ahead would
    # be echoed in the middle of the output.
    type_line "$name" 'case $- in *m*) echo "jobctl-$((40+2))";; esac; [ -t 0 ] && echo "ctty-$((8*8))" </dev/tty'
    wait_screen "$name" '^ctty-64$' >/dev/null && screen "$name" | grep -q '^jobctl-42$' \
        && type_line "$name" "$PID1_CHECK" && wait_screen "$name" '^pid1-ok-77$' >/dev/null \
        && type_line "$name" 'exit 5' && wait_screen "$name" '^rc=5$' >/dev/null
    local r=$?
    [ $r = 0 ] || screen "$name" | grep -v '^$' | sed 's/^/#   /' >&2
    tm kill-session -t "$name"
    return $r
}
check "--new-session --pty: job control, /dev/tty, exit status" variant ns "${SANDBOX[@]}" --new-session
check "--as-pid-1 --pty" variant p1 "${SANDBOX[@]}" --as-pid-1
check "--pty without a pid namespace" variant np "${BASE[@]}" --dev /dev
# Without --dev: the caller's /dev, where the terminal's pts is found.
check "--pty without --dev (the caller's devpts)" variant nd "${BASE[@]}" --dev-bind /dev /dev
check "--pty without --dev, with a reaper" variant nr "${BASE[@]}" --unshare-pid --proc /proc --dev-bind /dev /dev

# ---- no terminal at all: streams ----------------------------------------------

out=$(printf 'hello\n' | "$NESTBOX" "${SANDBOX[@]}" --pty sh -c 'read x; echo "got-$x"; [ -t 0 ] && [ -t 1 ] && echo on-a-tty; exit 3')
rc=$?
check "stdin a pipe: the stream is relayed" grep -q '^got-hello' <<<"$out"
check "stdin a pipe: the command still has a terminal" grep -q '^on-a-tty' <<<"$out"
check "stdin a pipe: exit status (3, got $rc)" test "$rc" = 3
out=$(printf 'one\ntwo' | timeout 20 "$NESTBOX" "${SANDBOX[@]}" --pty cat)
rc=$?
check "end of the stream is an end of file, unfinished last line included (rc $rc)" test "$rc" = 0
# Each line twice: the terminal's echo, then cat's copy.
check "cat got every line" eval '[ "$(grep -o one <<<"$out" | wc -l)" = 2 ] && [ "$(grep -o two <<<"$out" | wc -l)" = 2 ]'
timeout 20 "$NESTBOX" "${SANDBOX[@]}" --pty sh -c 'kill -TERM $$' </dev/null >/dev/null
rc=$?
check "a command killed by a signal: 128+signal (got $rc)" test "$rc" = 143
out=$(timeout 20 "$NESTBOX" "${SANDBOX[@]}" --pty /nonexistent </dev/null 2>&1)
rc=$?
check "exec failure: exit 1 and the message through the terminal (rc $rc)" \
    eval '[ "$rc" = 1 ] && grep -q "execvp /nonexistent" <<<"$out"'
timeout 20 "$NESTBOX" "${SANDBOX[@]}" --pty sh -c 'read x; echo "$x"; exit 6' <&- >&-
rc=$?
check "stdin and stdout closed: an empty input, a discarded output (rc $rc)" test "$rc" = 6
out=$("$NESTBOX" "${SANDBOX[@]}" --tmpfs /dev --pty true </dev/null 2>&1)
rc=$?
check "a --dev whose devpts is covered: a clear error (rc $rc)" \
    eval '[ "$rc" = 1 ] && grep -q "Can.t open a pseudo-terminal" <<<"$out"'

tm kill-server >/dev/null 2>&1
check "nothing is left running" until_true no_leftovers
done_testing
