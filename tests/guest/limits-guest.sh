# limits-guest.sh: nestbox's cgroup v2 limits, run as root in the guest of
# guest-boot.sh (busybox sh, a pure cgroup2 hierarchy with memory, pids, cpu
# and io enabled in the root's subtree).  limits.sh builds the static
# helpers it runs (forker, memhog, spin: on PATH) and boots the guest.
#
# The guest script itself runs in the root cgroup, so a sandbox's cgroup is
# /sys/fs/cgroup/nestbox.<PID of nestbox> unless a test moves its shell.
. "$NBTEST_LIB/tap.sh"
# Waits are for the ends of sandboxes under a sanitizer, in an emulated
# machine: they take seconds there.
WAIT_SECONDS=20

CG=/sys/fs/cgroup

if ! "$NESTBOX" --help 2>&1 | grep -q -- --pids-max; then
	skip_all "$NESTBOX has no --pids-max yet"
fi

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# sandbox ARGS...: the launcher with a minimal root (the guest's /).
sandbox() { "$NESTBOX" --ro-bind / / --dev /dev --proc /proc "$@"; }
# sandbox_bg ARGS... &: the same in the background.  A backgrounded
# function runs in a subshell; exec makes $! nestbox's own pid, which names
# its cgroup.
sandbox_bg() { exec "$NESTBOX" --ro-bind / / --dev /dev --proc /proc "$@"; }

# running PREFIX: the pids of processes whose command line (arguments
# joined by spaces) starts with PREFIX.  Busybox here has no pgrep, and a
# prefix keeps out processes that merely mention it (busybox timeout's
# watcher, for one, outlives the command it ran by up to a second).
running() {
	local d c
	for d in /proc/[0-9]*; do
		# 2>/dev/null first: a process may end between the glob and the read.
		c=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline")
		case $c in "$1"*) echo "${d#/proc/}" ;; esac
	done
}

# leftovers [DIR]: the nestbox.* cgroups anywhere below DIR (default all).
leftovers() { find "${1:-$CG}" -type d -name 'nestbox.*' 2>/dev/null; }

# no_leftovers WHEN: a test point that no sandbox cgroup is left.
no_leftovers() {
	local left
	left=$(leftovers)
	if [ -z "$left" ]; then
		ok "no nestbox.* cgroup left $1"
	else
		not_ok "no nestbox.* cgroup left $1"
		diag "left: $left"
		# Clear them so that one failure does not fail every later test.
		for d in $left; do
			echo 1 >"$d/cgroup.kill" 2>/dev/null
			wait_until rmdir "$d"
		done
	fi
}

# flat TEXT: TEXT on one line (" | " between its lines), for a test's name.
flat() { printf '%s\n' "$1" | sed ':a;N;$!ba;s/\n/ | /g'; }

# one_line PREFIX TEXT: TEXT is exactly one line and starts with PREFIX.
one_line() {
	[ -n "$2" ] && [ "$(printf '%s\n' "$2" | wc -l)" -eq 1 ] &&
		case $2 in "$1"*) true ;; *) false ;; esac
}

# matches ERE TEXT: TEXT is one line and matches the extended regexp ERE.
matches() { [ "$(printf '%s\n' "$2" | wc -l)" -eq 1 ] && printf '%s\n' "$2" | grep -Eqx "$1"; }

# refused RC TEXT: how nestbox refuses: exit 1 and one line "nestbox: ...".
refused() { [ "$1" = 1 ] && one_line "nestbox: " "$2"; }

# cgroup_refusal WHERE RC TEXT: two test points for a refusal to apply
# limits: exit 1 with a first line "nestbox: ..." that names cgroup; and
# a second, last line with the remedy (nestbox's way for an environment
# that refuses, as opposed to bad input: one line).
cgroup_refusal() {
	local first
	first=$(printf '%s\n' "$3" | head -n 1)
	check "$1: refused, exit 1 ($2), first line names cgroup ($first)" \
		sh -c '[ "$1" = 1 ] && case $2 in "nestbox: "*[Cc]group*) ;; *) exit 1 ;; esac' sh "$2" "$first"
	check "$1: the cause, then one line with the remedy" \
		sh -c '[ "$(printf "%s\n" "$1" | grep -c .)" = 2 ] && [ "$(printf "%s\n" "$1" | grep -c "^nestbox: ")" = 2 ]' sh "$3"
	diag "$3"
}

# mentions WORD TEXT: TEXT has WORD, in any case.
mentions() { printf '%s\n' "$2" | grep -qiw "$1"; }

# sh -c "$IN_CGROUP" DIR COMMAND...: run COMMAND from cgroup DIR.  The shell
# moves itself there and execs, so with & $! is COMMAND's pid.
IN_CGROUP='echo $$ >"$0/cgroup.procs" && exec "$@"'

# ---- d. the sandbox's own cgroup ------------------------------------------------

out=$(sh -c 'echo $$; exec "$0" --ro-bind / / --dev /dev --proc /proc --unshare-pid --pids-max 100 cat /proc/self/cgroup' "$NESTBOX" 2>&1)
pid=$(printf '%s\n' "$out" | head -n 1)
line=$(printf '%s\n' "$out" | sed -n 2p)
check "the sandbox runs in cgroup nestbox.<nestbox's pid> ($line, nestbox was $pid)" \
	test "$line" = "0::/nestbox.$pid"
out=$(sandbox --unshare-pid --unshare-cgroup --pids-max 100 cat /proc/self/cgroup 2>&1)
check "with --unshare-cgroup the sandbox sees its cgroup as the root ($(flat "$out"))" test "$out" = "0::/"

# Every limit's file, read from outside while the sandbox sleeps.
sandbox_bg --unshare-pid --memory-max 64M --memory-swap-max 0 --pids-max 50 \
	--cpu-max 30000/200000 --cpu-weight 200 --io-weight 300 sleep 30 >/dev/null 2>err.txt &
pid=$!
dir=$CG/nestbox.$pid
if wait_until test -e "$dir/cgroup.procs"; then
	got="memory.max=$(cat $dir/memory.max) memory.swap.max=$(cat $dir/memory.swap.max)"
	got="$got pids.max=$(cat $dir/pids.max) cpu.max=$(cat $dir/cpu.max)"
	got="$got cpu.weight=$(cat $dir/cpu.weight) io.weight=$(head -n 1 $dir/io.weight)"
	check "the limits are in the cgroup's files ($got)" test "$got" = \
		"memory.max=67108864 memory.swap.max=0 pids.max=50 cpu.max=30000 200000 cpu.weight=200 io.weight=default 300"
	procs=$(tr '\n' ' ' <"$dir/cgroup.procs")
	check "nestbox's own process ($pid) is not in the cgroup (it holds: $procs)" \
		sh -c "! grep -qx $pid $dir/cgroup.procs"
else
	not_ok "the limits are in the cgroup's files (no $dir appeared)"
	not_ok "nestbox's own process is not in the cgroup"
	diag "$(cat err.txt)"
fi
kill -TERM $pid
wait $pid
rc=$?
check "a SIGTERM to nestbox ends the sandbox (exit $rc)" test $rc -ne 0
no_leftovers "after a SIGTERM to nestbox"

# --cpus and a size in G, read from inside (/sys is under the bound /).
out=$(sandbox --unshare-pid --cpus 0.5 --memory-max 1G sh -c '
	cg=/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)
	echo "$(cat $cg/cpu.max) / $(cat $cg/memory.max)"' 2>&1)
check "--cpus 0.5 --memory-max 1G, read from inside ($(flat "$out"))" test "$out" = "50000 100000 / 1073741824"
no_leftovers "after sandboxes that ended normally"

# ---- a. a fork bomb under --pids-max -----------------------------------------------

err=$(sandbox --unshare-pid --pids-max 64 forker 2>&1 >out.txt)
rc=$?
out=$(cat out.txt)
check "fork bomb under --pids-max 64: stopped by the limit ($out, exit $rc)" \
	matches 'forked [0-9]+, refused 20' "$out"
n=$(echo "$out" | sed -n 's/forked \([0-9]*\),.*/\1/p')
check "fork bomb: fewer than 64 processes made (${n:-?})" test "${n:-999}" -lt 64
check "fork bomb: one line names the limit ($(flat "$err"))" \
	matches 'nestbox: the sandbox hit its limit --pids-max 64: [0-9]+ forks? refused' "$err"
check "the caller forks again after the bomb" sh -c 'sh -c true && (true) && /bin/true'
no_leftovers "after the pids limit bit"

# The ways around clone3 CLONE_INTO_CGROUP: where clone3 is refused (as the
# runtimes' default seccomp profiles refuse it), nestbox steps into the
# cgroup for a plain clone, with pid 1 and without; with an id map that
# leaves the cgroup's owner out, pid 1 cannot start the command there
# itself and steps in through the launcher's cgroup.procs fd.
for how in "noclone3:--unshare-pid" "noclone3:" "uidmap:--unshare-pid"; do
	wrap=${how%%:*} opts=${how#*:}
	if [ "$wrap" = noclone3 ]; then
		err=$(noclone3 "$NESTBOX" --ro-bind / / --dev /dev --proc /proc $opts --pids-max 64 forker 2>&1 >out.txt)
		what="clone3 refused${opts:+, $opts}"
	else
		err=$(sandbox --unshare-user --uid-map 0:100000:65536 --gid-map 0:100000:65536 $opts --pids-max 64 forker 2>&1 >out.txt)
		what="--uid-map 0:100000:65536 (pid 1 cannot reach the cgroup)"
	fi
	rc=$?
	check "$what: the fork bomb is stopped by --pids-max 64 ($(cat out.txt), exit $rc)" \
		matches 'forked [0-9]+, refused 20' "$(cat out.txt)"
	check "$what: one line names the limit ($(flat "$err"))" \
		matches 'nestbox: the sandbox hit its limit --pids-max 64: [0-9]+ forks? refused' "$err"
	no_leftovers "after the fork bomb ($what)"
done

# ---- b. an allocation loop under --memory-max --------------------------------------

err=$(sandbox --unshare-pid --memory-max 64M --json-status-fd 3 memhog 2>&1 3>status.json)
rc=$?
check "memhog under --memory-max 64M: killed by the OOM killer (exit $rc)" test $rc = 137
check "memhog: one line names the limit ($(flat "$err"))" \
	matches "nestbox: the sandbox went over its limit --memory-max (64M|67108864): the kernel's OOM killer ended [1-9][0-9]* process(es)?" "$err"
record=$(tail -n 1 status.json)
check "memhog: the exit record has the limit ($record)" \
	sh -c "grep -Eq '\"limit\": \"memory-max (64M|67108864)\"' status.json"
err=$(sandbox --unshare-pid --pids-max 64 --json-status-fd 3 forker 2>/dev/null 3>status.json >/dev/null)
record=$(tail -n 1 status.json)
check "fork bomb: the exit record has the limit ($record)" \
	sh -c "grep -q '\"limit\": \"pids-max 64\"' status.json"
no_leftovers "after the memory limit bit"

# ---- c. a busy loop under --cpu-max ---------------------------------------------------

# at_most MAX N / at_least MIN N: N is a number within the bound.
at_most() { [ "$2" -le "$1" ] 2>/dev/null; }
at_least() { [ "$2" -ge "$1" ] 2>/dev/null; }

# Only spin's stdout is its result; nestbox's stderr goes to the record.
ms=$(sandbox --unshare-pid --cpu-max 20000/100000 spin 2000 2>err.txt)
check "spin under --cpu-max 20000/100000 got at most 700 ms of CPU in 2 s ($ms ms)" at_most 700 "$ms"
[ -s err.txt ] && diag "nestbox said: $(cat err.txt)"
ms=$(sandbox --unshare-pid spin 2000 2>err.txt)
check "spin without a limit got at least 1200 ms of CPU in 2 s ($ms ms)" at_least 1200 "$ms"
[ -s err.txt ] && diag "nestbox said: $(cat err.txt)"
no_leftovers "after the cpu runs"

# ---- e. nothing left behind ------------------------------------------------------

sandbox --unshare-pid --pids-max 64 --timeout 1 sleep 100 >/dev/null 2>&1
rc=$?
check "--timeout 1 ends sleep 100 (exit $rc)" test $rc -ne 0
no_leftovers "after --timeout"

# A SIGKILLed nestbox cannot clean up; the next run in the same place does,
# once the cgroup is empty.
sandbox_bg --unshare-pid --pids-max 64 sleep 100 >/dev/null 2>&1 &
pid=$!
dir=$CG/nestbox.$pid
wait_until test -e "$dir/cgroup.procs"
kill -KILL $pid
wait $pid 2>/dev/null  # no "Killed" job notice on stderr
# pid 1 dies with the monitor, but not at once: the leftover may still hold
# processes, and the next run must end them too.
if [ -d "$dir" ]; then
	diag "after kill -9 of nestbox, $dir remained ($(grep populated "$dir/cgroup.events" 2>/dev/null))"
	sandbox --pids-max 64 true
	check "the next run with limits removes the dead nestbox's cgroup" test ! -d "$dir"
else
	ok "the next run with limits removes the dead nestbox's cgroup # nothing remained after kill -9"
fi
no_leftovers "after kill -9 and a run after it"

# --die-with-parent: the caller dies, nestbox kills the sandbox and still
# removes its cgroup before it follows.  kill_caller_when WHEN: start such
# a caller and kill it once the sandbox runs ("running"), or the moment its
# cgroup appears ("made"), before the monitor is in place: the caller's
# death must be held for the monitor from before the cgroup exists.
kill_caller_when() {
	rm -f caller-child
	sh -c "\"$NESTBOX\" --ro-bind / / --dev /dev --proc /proc --unshare-pid --die-with-parent --pids-max 64 sleep 297 & echo \$! >caller-child; exec sleep 100" &
	caller=$!
	wait_until test -s caller-child
	dir=$CG/nestbox.$(cat caller-child)
	when="once the sandbox runs"
	if [ "$1" = made ]; then
		when="the moment its cgroup appears"
		while [ ! -d "$dir" ] && kill -0 $caller 2>/dev/null; do :; done
	else
		wait_until test -n "$(running 'sleep 297')"
	fi
	kill -KILL $caller
	wait $caller 2>/dev/null
	wait_until test ! -d "$dir"
	check "--die-with-parent, the caller killed $when: the sandbox's cgroup is removed ($dir)" test ! -d "$dir"
	wait_until test -z "$(running 'sleep 297')"
	check "... and nothing of the sandbox runs on" test -z "$(running 'sleep 297')"
}
kill_caller_when running
for i in 1 2 3; do kill_caller_when made; done

# A soak: sandboxes with limits started together, some SIGKILLed, some
# SIGTERMed, some left to end; afterwards one more run, and then neither a
# cgroup nor a process of theirs may be left.
SOAK=24
i=0
while [ $i -lt $SOAK ]; do
	sandbox_bg --unshare-pid --pids-max 32 --memory-max 64M sleep 3$i >/dev/null 2>&1 &
	eval "soak_$i=\$!"
	i=$((i + 1))
done
sleep 1
i=0
while [ $i -lt $SOAK ]; do
	eval "p=\$soak_$i"
	case $((i % 3)) in
	0) kill -KILL "$p" 2>/dev/null ;;
	1) kill -TERM "$p" 2>/dev/null ;;
	esac
	i=$((i + 1))
done
i=0
while [ $i -lt $SOAK ]; do
	eval "p=\$soak_$i"
	[ $((i % 3)) = 2 ] && kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	i=$((i + 1))
done
sandbox --pids-max 32 true
no_leftovers "after a soak of $SOAK sandboxes with limits, a third SIGKILLed, and one more run"
left=$(running 'sleep 3')
check "... and none of their processes runs on (left: $(echo "${left:-none}" | tr "\n" " "))" test -z "$left"

# ---- f. a daemon without a pid namespace --------------------------------------------

# The control, for the record: with no cgroup (and no pid namespace) the
# daemon outlives nestbox, as under bubblewrap.  It shows that the check
# below can see a daemon.
"$NESTBOX" --ro-bind / / --dev /dev sh -c 'sleep 299 & exit 0' >/dev/null 2>&1
left=$(running 'sleep 299'; running 'sh -c sleep 299')
diag "control without limits: daemon left: $(echo "${left:-none}" | tr "\n" " ")"
for p in $left; do kill -KILL "$p"; done

timeout -s KILL 60 "$NESTBOX" --ro-bind / / --dev /dev --pids-max 64 \
	sh -c 'sleep 300 & exit 0' >/dev/null 2>&1
rc=$?
check "a sandbox that leaves a daemon behind returns (exit $rc)" test $rc = 0
# The daemon as sleep, or as the shell's child before its exec.
left=$(running 'sleep 300'; running 'sh -c sleep 300')
check "the daemon was killed (left: $(echo "${left:-none}" | tr "\n" " "))" test -z "$left"
for p in $left; do kill -KILL "$p"; done
no_leftovers "after a daemon was left behind"

# ---- g. unprivileged, in a delegated subtree ---------------------------------------

# The layout a service manager gives a user: a subtree owned by the user,
# with the controllers on, and the user's processes in a leaf of it.
D=$CG/deleg
mkdir $D $D/leaf
for c in $(cat $CG/cgroup.subtree_control); do echo "+$c" >$D/cgroup.subtree_control; done
chown -R 1000:1000 $D
sh -c "$IN_CGROUP" $D/leaf asuser 1000 1000 "$NESTBOX" --unshare-user --unshare-pid \
	--ro-bind / / --dev /dev --proc /proc --pids-max 32 sh -c 'id -u; sleep 2' >out.txt 2>err.txt &
pid=$!
if wait_until test -e "$D/nestbox.$pid/cgroup.procs"; then
	ok "uid 1000 from deleg/leaf: the sandbox's cgroup is deleg/nestbox.$pid"
	check "... with pids.max 32 ($(cat $D/nestbox.$pid/pids.max))" test "$(cat $D/nestbox.$pid/pids.max)" = 32
else
	not_ok "uid 1000 from deleg/leaf: the sandbox's cgroup is deleg/nestbox.$pid (found: $(leftovers | tr '\n' ' '))"
	not_ok "... with pids.max 32"
fi
wait $pid
rc=$?
check "uid 1000 from deleg/leaf: the sandbox ran (exit $rc, out $(flat "$(cat out.txt)"), err $(flat "$(cat err.txt)"))" \
	test $rc = 0 -a "$(cat out.txt)" = 1000
check "uid 1000: its cgroup is gone after (left: $(leftovers $D | tr '\n' ' '))" test -z "$(leftovers $D)"
err=$(sh -c "$IN_CGROUP" $D/leaf asuser 1000 1000 "$NESTBOX" --unshare-user --unshare-pid \
	--ro-bind / / --dev /dev --proc /proc --pids-max 32 forker 2>&1 >/dev/null)
check "uid 1000: a fork bomb hits --pids-max 32 ($(flat "$err"))" \
	matches 'nestbox: the sandbox hit its limit --pids-max 32: [0-9]+ forks? refused' "$err"
no_leftovers "after the unprivileged runs"
# Nothing should be in the leaf now; give its processes back to the root.
for p in $(cat $D/leaf/cgroup.procs); do echo "$p" >$CG/cgroup.procs; done
rmdir $D/leaf $D

# ---- h. refusal where no cgroup can be had ---------------------------------------

# bare's subtree has no controllers, so neither mid nor leaf can have any:
# no place near leaf offers pids, however nestbox looks.
B=$CG/bare
mkdir -p $B/mid/leaf
err=$(sh -c "$IN_CGROUP" $B/mid/leaf "$NESTBOX" --ro-bind / / --dev /dev --proc /proc --pids-max 64 true 2>&1)
rc=$?
cgroup_refusal "no pids controller near" $rc "$err"
err=$(sh -c "$IN_CGROUP" $B/mid/leaf "$NESTBOX" --ro-bind / / --dev /dev --proc /proc --limits-try --pids-max 64 echo ran 2>&1)
rc=$?
check "--limits-try: runs without the limit (exit $rc)" test $rc = 0
warning=$(printf '%s\n' "$err" | grep -v '^ran$')
check "--limits-try: one warning line ($warning)" one_line "nestbox: " "$warning"
check "--limits-try: the command ran ($(flat "$err"))" sh -c 'printf "%s\n" "$1" | grep -qx ran' sh "$err"
check "nothing was made below bare ($(leftovers $B | tr '\n' ' '))" test -z "$(leftovers $B)"
for p in $(cat $B/mid/leaf/cgroup.procs); do echo "$p" >$CG/cgroup.procs; done
rmdir $B/mid/leaf $B/mid $B

# The root cgroup has the controllers but uid 1000 cannot write there.
err=$(asuser 1000 1000 "$NESTBOX" --unshare-user --unshare-pid --ro-bind / / --dev /dev --proc /proc \
	--pids-max 64 true 2>&1)
rc=$?
cgroup_refusal "uid 1000 in the root cgroup (not writable)" $rc "$err"

# ---- i. bad input -------------------------------------------------------------

for opt in "--memory-max 12Q" "--pids-max -1" "--cpu-max 0" "--cpu-weight 0" "--cpus abc"; do
	# $opt is split on purpose: option and value.
	err=$("$NESTBOX" $opt --ro-bind / / true 2>&1)
	rc=$?
	check "bad input $opt: exit 1, one line (exit $rc: $(flat "$err"))" refused $rc "$err"
done

# ---- doctor -------------------------------------------------------------------

out=$("$NESTBOX" doctor 2>&1)
for kind in memory pids cpu io; do
	check "doctor has a line about $kind" mentions $kind "$out"
done
diag "doctor said:"
diag "$(printf '%s\n' "$out" | grep -iE 'memory|pids|cpu|io|cgroup')"

no_leftovers "at the end"
done_testing
