#!/bin/bash
# nestbox-runc: runc's command line.  Bundles made from Debian's
# busybox-static with `nestbox-runc spec`; the lifecycle (create, state,
# start, kill, delete), run's exit codes, several containers at once, the
# state directory left empty, bad input (one line, exit 1, nothing made),
# the --log JSON, the console socket.  Where Debian's crun runs (as root),
# the same lifecycle with crun beside it, and crun runs the spec we write.
# Runs as the caller (root in CI) and, through as-user.sh, unprivileged.
. "$(dirname "$0")/../lib.sh"

BUSYBOX=/bin/busybox
if [ ! -x "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
    skip_all "no static busybox at $BUSYBOX (apt-get install busybox-static)"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
cd "$SCRATCH"
# The link is what makes nestbox speak runc (as-user.sh copies the binary alone).
ln -s "$NESTBOX" nestbox-runc
RUNC=$SCRATCH/nestbox-runc
ROOT=$SCRATCH/state
runc () { "$RUNC" --root "$ROOT" "$@"; }
# A suite that stops halfway leaves no container running.
delete_all () {
    local id
    for id in $(runc list --quiet 2>/dev/null); do runc delete --force "$id" >/dev/null 2>&1; done
    cleanup_scratch
}
trap delete_all EXIT

# make_bundle DIR COMMAND: a busybox root and `spec`'s config.json with
# process.args set to sh -c COMMAND, without a terminal.
make_bundle () {
    local dir=$1 command=$2
    mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/tmp"
    cp "$BUSYBOX" "$dir/rootfs/bin/busybox"
    for tool in sh sleep echo cat ls true kill tty; do ln -sf busybox "$dir/rootfs/bin/$tool"; done
    (cd "$dir" && "$RUNC" spec) || return 1
    set_command "$dir" "$command"
}
# set_command DIR COMMAND [TERMINAL]
set_command () {
    $PYTHON - "$1/config.json" "$2" "${3:-false}" <<'EOF'
import json, sys
path, command, terminal = sys.argv[1:]
config = json.load(open(path))
config["process"]["args"] = ["sh", "-c", command]
config["process"]["terminal"] = terminal == "true"
json.dump(config, open(path, "w"), indent=2)
EOF
}
status_of () { runc state "$1" 2>/dev/null | $PYTHON -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
pid_of () { runc state "$1" | $PYTHON -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }
is_status () { [ "$(status_of "$1")" = "$2" ]; }
# gone PID: no such process, or only its zombie (its command has ended;
# whoever inherited it reaps it when it will).
gone () { local stat; stat=$(ps -o stat= -p "$1" 2>/dev/null); [ -z "$stat" ] || [ "${stat:0:1}" = Z ]; }
root_is_empty () { [ -z "$(ls -A "$ROOT" 2>/dev/null)" ]; }
valid_json () { $PYTHON -c 'import json,sys; json.load(sys.stdin)'; }

# ---- version, spec, features -------------------------------------------------------
version=$("$RUNC" --version)
check "--version: three lines as go-runc reads them ($(tr '\n' '|' <<<"$version"))" \
    eval '[ "$(wc -l <<<"$version")" = 3 ] && grep -q "^runc version [0-9]" <<<"$version" && grep -q "^commit: " <<<"$version" && grep -q "^spec: 1\.[0-9]*\.[0-9]*$" <<<"$version"'
mkdir spec-test
check "spec writes a config.json that is JSON" eval '(cd spec-test && "$RUNC" spec) && valid_json < spec-test/config.json'
check "spec --rootless: JSON too" eval '"$RUNC" spec --rootless --bundle spec-test/.. && valid_json < config.json && rm config.json'
check "spec again: refused, the file kept" expect_error "config.json exists" "$RUNC" spec --bundle spec-test
check "features: JSON naming the namespaces" eval '"$RUNC" features | $PYTHON -c "import json,sys; assert \"pid\" in json.load(sys.stdin)[\"linux\"][\"namespaces\"]"'

# ---- run ---------------------------------------------------------------------------
make_bundle exit "exit 0"
for code in 0 3 42; do
    set_command exit "echo out-$code; exit $code"
    out=$(runc run -b exit "run-$code" </dev/null 2>&1)
    rc=$?
    check "run: exit code $code (got $rc), the output reaches the caller ($out)" eval '[ "$rc" = "$code" ] && [ "$out" = "out-$code" ]'
done
check "run leaves nothing in the state directory" root_is_empty
# SIGTERM for `run` reaches the container's process (pid 1 of its pid
# namespace, which handles it): its exit code comes back.
set_command exit 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
"$RUNC" --root "$ROOT" run -b exit term >term.out 2>&1 </dev/null &
run_pid=$!
wait_until grep -q ready term.out
kill -TERM "$run_pid"
wait "$run_pid"
rc=$?
check "SIGTERM to run is forwarded: the container's trap exits 7 (got $rc)" test "$rc" = 7
set_command exit 'echo $$'
check "with a pid namespace the command is its pid 1" test "$(runc run -b exit pid1 </dev/null)" = 1
set_command exit 'echo kept >&3'
check "--preserve-fds 1: fd 3 reaches the container" \
    eval 'runc run --preserve-fds 1 -b exit fds 3>fd3.txt </dev/null && [ "$(cat fd3.txt)" = kept ]'
check "without --preserve-fds the caller's fd 3 does not" \
    eval '! runc run -b exit nofds 3>fd3-not.txt </dev/null 2>/dev/null && [ ! -s fd3-not.txt ]'

# process.user without a user namespace (root, as buildah asks for USER
# steps): runc's rule, the ids switched in the caller's namespace; the
# caller's supplementary groups must not follow, only additionalGids.
if is_root; then
    make_bundle user 'while read k v; do case $k in Uid:|Gid:|Groups:) set -- $v; echo "$k $*";; esac; done </proc/self/status'
    $PYTHON - user/config.json <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config["process"]["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [2000]}
config["linux"]["namespaces"] = [n for n in config["linux"]["namespaces"] if n["type"] != "user"]
json.dump(config, open(sys.argv[1], "w"))
EOF
    caller=$(setpriv --groups 4242 cat /proc/self/status | grep '^Groups:')
    out=$(setpriv --groups 4242 "$RUNC" --root "$ROOT" run -b user user-ids </dev/null 2>user.err | tr '\n' '|')
    check "control: the caller runs with the supplementary group 4242 ($caller)" grep -q 4242 <<<"$caller"
    check "process.user without a user namespace: uid and gid 1000, and only the config's group 2000 ($out $(head -c 300 user.err))" \
        test "$out" = "Uid: 1000 1000 1000 1000|Gid: 1000 1000 1000 1000|Groups: 2000|"
    check "... as a caller without CAP_SETUID: refused, naming it" \
        expect_error "needs CAP_SETUID" setpriv --inh-caps=-all --bounding-set=-setuid "$RUNC" --root "$ROOT" run -b user user-nocap
else
    skip "process.user without a user namespace: root only (runc's rule needs CAP_SETUID and CAP_SETGID)"
    skip "... as a caller without CAP_SETUID (root only)"
    skip "... (root only)"
fi

# ---- create, state, start, kill, delete --------------------------------------------
# The command says it started (on the stdout create was given), and ends
# with 7 on SIGTERM.
LOOP='trap "exit 7" TERM; echo started; while :; do sleep 0.1; done'
make_bundle loop "$LOOP"
runc create -b loop --pid-file loop.pid c1 >c1.out 2>c1.err </dev/null
rc=$?
check "create: exit 0 ($rc: $(cat c1.err))" test "$rc" = 0
check "create returns with the container waiting: its command has not run" test ! -s c1.out
check "state: created" is_status c1 created
pid=$(pid_of c1)
check "--pid-file holds the state's pid ($(cat loop.pid) = $pid)" test "$(cat loop.pid)" = "$pid"
check "that process exists" kill -0 "$pid"
check "list shows it" eval 'runc list | grep -q "^c1 .* $pid .* created "'
check "list --format json: one entry, created" \
    eval 'runc list --format json | $PYTHON -c "import json,sys; l=json.load(sys.stdin); assert [c[\"status\"] for c in l] == [\"created\"]"'
check "state's JSON has runc's fields" eval 'runc state c1 | $PYTHON -c "
import json,sys
s = json.load(sys.stdin)
assert set(s) >= {\"ociVersion\", \"id\", \"pid\", \"status\", \"bundle\", \"rootfs\", \"created\", \"owner\", \"annotations\"}, s
assert s[\"bundle\"] == \"$SCRATCH/loop\" and s[\"rootfs\"] == \"$SCRATCH/loop/rootfs\", s"'
check "start: exit 0" runc start c1
check "the command runs after start" wait_until grep -q started c1.out
check "state: running" is_status c1 running
check "start again: refused" expect_error "already running" runc start c1
check "delete of a running container without --force: refused" expect_error "is running" runc delete c1
check "kill (SIGTERM by default): exit 0" runc kill c1
check "state: stopped once the command ended" wait_until is_status c1 stopped
check "kill of a stopped container: refused" expect_error "is not running" runc kill c1 KILL
check "delete: exit 0" runc delete c1
check "nothing is left in --root after delete" root_is_empty
check "the container's process is gone" gone "$pid"
check "no mount of the bundle is left where nestbox-runc runs" eval '! grep -q " $SCRATCH/" /proc/self/mountinfo'

# runc's contract with buildah and conmon: once create has returned, the
# container's process is the caller's to wait for (through its subreaper),
# with the command's exit status.
make_bundle three "exit 3"
got=$($PYTHON "$HERE/subreaper.py" "$RUNC" "$ROOT" "$SCRATCH/three" reaped 2>&1)
check "a subreaper caller waits for the container's process itself: exit 3 (got: $got)" test "$got" = "exit 3"
check "... state: stopped; delete leaves nothing" eval 'is_status reaped stopped && runc delete reaped && root_is_empty'
check "run --detach: a container that ends by itself is stopped; delete leaves nothing" \
    eval 'runc run --detach -b three detached-three >/dev/null 2>&1 </dev/null; wait_until is_status detached-three stopped && runc delete detached-three && root_is_empty'

# A created container's process is killed by delete (runc's rule).
runc create -b loop c2 >/dev/null 2>&1 </dev/null
pid=$(pid_of c2)
check "delete of a created container: exit 0" runc delete c2
check "... its process is gone and --root is empty" eval 'gone "$pid" && root_is_empty'

# ---- several containers at once ----------------------------------------------------
runc create -b loop a >a.out 2>&1 </dev/null
runc create -b loop b >b.out 2>&1 </dev/null
check "two containers at once: both created" eval 'is_status a created && is_status b created'
check "... with different processes" test "$(pid_of a)" != "$(pid_of b)"
check "duplicate id: refused" expect_error 'container "a" already exists' runc create -b loop a
check "... and the first container is untouched" is_status a created
runc start a
check "starting one leaves the other waiting" eval 'wait_until grep -q started a.out && is_status a running && is_status b created && [ ! -s b.out ]'
runc start b
check "both run" eval 'wait_until grep -q started b.out && is_status b running'
pid_a=$(pid_of a) pid_b=$(pid_of b)
check "kill --all KILL: exit 0" runc kill --all a KILL
check "... a stopped, b still running" eval 'wait_until is_status a stopped && is_status b running'
check "delete --force of a running container: exit 0" runc delete --force b
check "delete a" runc delete a
check "nothing is left: --root empty, no process" eval 'root_is_empty && gone "$pid_a" && gone "$pid_b"'
check "delete --force of an unknown container: no error (as runc)" runc delete --force never-made
check "run --detach: returns at once, the container runs" \
    eval 'runc run --detach -b loop d >d.out 2>&1 </dev/null && is_status d running && runc delete --force d && root_is_empty'

# ---- exec ----------------------------------------------------------------------------
runc run --detach -b loop ex >/dev/null 2>&1 </dev/null
out=$(runc exec ex sh -c 'echo pid=$$ host=$(cat /proc/sys/kernel/hostname); exit 4' 2>&1)
rc=$?
check "exec: the command's exit code (4, got $rc), in the container's pid namespace and uts ($out)" \
    eval '[ "$rc" = 4 ] && grep -q "^pid=[0-9]* host=" <<<"$out" && ! grep -q "^pid=1 " <<<"$out" && [ "${out#*host=}" = "$(runc exec ex cat /proc/sys/kernel/hostname)" ]'
# Every namespace of the container's process (pid 1 of its pid namespace).
same_namespaces='for ns in user mnt pid ipc uts net cgroup; do [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ] || { echo "$ns differs"; exit 1; }; done; echo same'
out=$(runc exec ex sh -c "$same_namespaces" 2>&1)
check "exec: the process is in every namespace of the container's ($out)" test "$out" = same
# The same walls as the container's command: capabilities, no_new_privs, seccomp.
walls='for f in CapEff CapPrm CapBnd CapAmb NoNewPrivs Seccomp; do grep "^$f:" /proc/$1/status; done'
ours=$(runc exec ex sh -c "$walls" sh self 2>&1) theirs=$(runc exec ex sh -c "$walls" sh 1 2>&1)
echo "# exec'd: $(tr '\n\t' '  ' <<<"$ours")"
check "exec: capabilities, no_new_privs and seccomp are the container command's" test "$ours" = "$theirs"
check "... (control: the caller's own capabilities are not those)" \
    test "$(grep '^CapEff:' /proc/self/status)" != "$(grep '^CapEff:' <<<"$ours")"
check "exec: no fd of the caller's but stdio reaches the process" \
    eval '! runc exec ex sh -c "echo leaked >&5" 5>leak.txt 2>/dev/null && [ ! -s leak.txt ]'
check "exec --env and --cwd" test "$(runc exec -e A=1 -e B=2 --cwd /tmp ex sh -c 'echo $A$B $(pwd)')" = "12 /tmp"
runc exec --detach --pid-file "$SCRATCH/exec.pid" ex sleep 30
expid=$(cat exec.pid 2>/dev/null)
check "exec --detach --pid-file: a process of the container's pid namespace ($expid)" \
    eval '[ -n "$expid" ] && [ "$(readlink /proc/$expid/ns/pid)" = "$(readlink /proc/$(pid_of ex)/ns/pid)" ]'
check "exec: no command given" expect_error "no command given" runc exec ex
check "exec --tty: refused for now" expect_error "not supported" runc exec --tty ex true
check "exec into an unknown container" expect_error 'container "ghost" does not exist' runc exec ghost true
runc delete --force ex
check "delete --force ends the exec'd process too" wait_until gone "$expid"
check "exec into a deleted container" expect_error 'container "ex" does not exist' runc exec ex true
runc create -b exit stopped-one >/dev/null 2>&1 </dev/null && runc start stopped-one && wait_until is_status stopped-one stopped
check "exec into a stopped container: refused" expect_error "is not running" runc exec stopped-one true
runc delete stopped-one
check "nothing left after exec" root_is_empty

# ---- hooks --------------------------------------------------------------------------
# set_hooks DIR JSON: config.json's "hooks" (each hook a /bin/sh -c of the host).
set_hooks () {
    $PYTHON - "$1/config.json" "$2" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config["hooks"] = json.loads(sys.argv[2])
json.dump(config, open(sys.argv[1], "w"), indent=2)
EOF
}
hook () { printf '{"path": "/bin/sh", "args": ["sh", "-c", "%s"]%s}' "$1" "${2:+, \"timeout\": $2}"; }
hook_status () { $PYTHON -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["status"], s["id"])' "$1" 2>/dev/null; }
make_bundle hooked "$LOOP"
set_hooks hooked "{\"createRuntime\": [$(hook "cat > $SCRATCH/h-createRuntime")],
                  \"prestart\": [$(hook "cat > $SCRATCH/h-prestart")],
                  \"poststart\": [$(hook "cat > $SCRATCH/h-poststart")],
                  \"poststop\": [$(hook "cat > $SCRATCH/h-poststop")]}"
runc create -b hooked h1 >/dev/null 2>h1.err </dev/null
check "create with hooks: exit 0 ($(cat h1.err))" is_status h1 created
check "createRuntime and prestart hooks got the state, created, on stdin" \
    eval '[ "$(hook_status h-createRuntime)" = "created h1" ] && [ "$(hook_status h-prestart)" = "created h1" ] && [ ! -e h-poststart ]'
runc start h1
check "the poststart hook ran after start: running" eval '[ "$(hook_status h-poststart)" = "running h1" ]'
runc delete --force h1
check "the poststop hook ran at delete: stopped" eval '[ "$(hook_status h-poststop)" = "stopped h1" ] && root_is_empty'
set_hooks hooked "{\"prestart\": [$(hook "exit 3")]}"
check "a failing prestart hook fails create" \
    expect_error 'container "h2": prestart hook /bin/sh: exit code 3' runc create -b hooked --pid-file h2.pid h2
check "... and leaves nothing: --root empty, the container's process ($(cat h2.pid)) gone" \
    eval 'root_is_empty && [ -s h2.pid ] && gone "$(cat h2.pid)"'
set_hooks hooked "{\"prestart\": [$(hook "sleep 30" 1)]}"
start_ms=$(( $(date +%s%N) / 1000000 ))
runc create -b hooked h3 >/dev/null 2>&1 </dev/null
rc=$?
ms=$(( $(date +%s%N) / 1000000 - start_ms ))
check "a prestart hook over its timeout (1 s) is killed and create fails (exit $rc after $ms ms)" \
    eval '[ "$rc" = 1 ] && [ "$ms" -lt 5000 ] && root_is_empty'
set_hooks hooked "{\"createContainer\": [$(hook true)]}"
check "createContainer hooks: refused by name, nothing made" \
    eval 'expect_error "hooks.createContainer: not supported" runc create -b hooked h4 && root_is_empty'

# ---- bad input: one line, exit 1, nothing made -------------------------------------
mkdir -p "$ROOT"
bad () {
    local what=$1 pattern=$2
    shift 2
    check "bad input: $what" expect_error "$pattern" "$@"
    check "... nothing made in --root" root_is_empty
}
bad "unknown command" 'unknown command "frobnicate"' runc frobnicate
bad "unknown option" 'unknown option --frob' runc create --frob x
bad "create without an id" 'no container id given' runc create -b loop
bad "missing bundle" 'nothing-here' runc create -b "$SCRATCH/nothing-here" x
bad "a bundle without config.json" 'config.json' runc create -b "$SCRATCH/spec-test/.." x
bad "an id with a slash" 'invalid container id' runc create -b loop ../escape
bad "an id of .." 'invalid container id' runc create -b loop ..
check "... nor anything beside --root" test ! -e "$SCRATCH/escape"
# The control: the same name as a plain id is made, in --root.
check "control: the id escape is a container in --root" \
    eval 'runc create -b loop escape >/dev/null 2>&1 </dev/null && [ -d "$ROOT/escape" ] && runc delete escape && root_is_empty'
bad "start of an unknown container" 'container "ghost" does not exist' runc start ghost
bad "kill of an unknown container" 'container "ghost" does not exist' runc kill ghost
bad "delete of an unknown container" 'container "ghost" does not exist' runc delete ghost
bad "state of an unknown container" 'container "ghost" does not exist' runc state ghost
bad "an unknown signal name" 'unknown signal "SIGFROB"' runc kill ghost SIGFROB
bad "a signal number out of range" 'unknown signal "99"' runc kill ghost 99
bad "--log-format xml" 'give text or json' runc --log-format xml list
bad "--console-socket without process.terminal" 'process.terminal is false' runc create -b loop --console-socket "$SCRATCH/none.sock" x
check "a terminal without --console-socket for create: refused" \
    eval 'set_command exit "true" true && expect_error "give --console-socket" runc create -b exit x && root_is_empty'
check "signal names with or without SIG, any case, and numbers are taken" eval '
    runc create -b loop sigs >/dev/null 2>&1 </dev/null &&
    runc kill sigs usr1 && runc kill sigs SIGUSR2 && runc kill sigs 0 && runc kill sigs 28 && runc kill sigs RTMIN+1 &&
    runc delete --force sigs && root_is_empty'

# --log with --log-format json: the error as conmon and podman read it.
runc --log "$SCRATCH/log.json" --log-format json start ghost 2>/dev/null
check "--log-format json: one valid JSON entry, level error, the message, an RFC 3339 time ($(cat log.json))" \
    eval '[ "$(wc -l < log.json)" = 1 ] && $PYTHON -c "
import json, re
e = json.load(open(\"log.json\"))
assert e[\"level\"] == \"error\" and e[\"msg\"] == \"container \\\"ghost\\\" does not exist\", e
assert re.match(r\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$\", e[\"time\"]), e"'
runc --log "$SCRATCH/log.txt" start ghost 2>/dev/null
check "--log (text): logrus's form ($(cat log.txt))" grep -q '^time=".*" level=error msg="container \\"ghost\\" does not exist"$' log.txt

# ---- the console socket ------------------------------------------------------------
# The pause before exit: the terminal hangs up when the container's
# session ends, and the kernel drops what the master has not read by then
# (so with runc too).
# Field 7 of /proc/PID/stat: the controlling terminal (0: none).
TTY_COMMAND='tty; read line; echo "got $line"; set -- $(cat /proc/$$/stat); echo "ctty=$7"; sleep 0.5; exit 5'
make_bundle tty "$TTY_COMMAND" && set_command tty "$TTY_COMMAND" true
$PYTHON "$HERE/console.py" "$SCRATCH/console.sock" console.out $'hello\n' &
console=$!
WAIT_SECONDS=20 wait_until test -S "$SCRATCH/console.sock"
runc create -b tty --console-socket "$SCRATCH/console.sock" t1 2>t1.err </dev/null
rc=$?
check "create --console-socket: exit 0 ($rc: $(cat t1.err))" test "$rc" = 0
runc start t1
check "the container's stdio is a terminal, input reaches it ($(tr '\r\n' '  ' < console.out))" \
    eval 'wait_until grep -q "got hello" console.out && grep -qE "^/dev/(pts/|console)" console.out'
check "... and its controlling terminal" eval 'wait_until grep -q "^ctty=[1-9]" console.out'
wait "$console"
check "the terminal container stopped" wait_until is_status t1 stopped
runc delete t1
check "nothing left after the terminal container" root_is_empty

# ---- beside Debian's crun ----------------------------------------------------------
if ! is_root; then
    skip "crun beside nestbox-runc: crun needs root here"
elif ! command -v crun >/dev/null; then
    skip "crun beside nestbox-runc: crun is not installed (apt-get install crun)"
else
    # crun 1.8 refuses this host's hybrid cgroups unless the cgroup2 mount
    # is hidden (tests/crun-pod.sh): each call in a mount namespace of its own.
    crun_cmd () {
        unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null
            exec crun --cgroup-manager=disabled --root "$0" "$@"' "$SCRATCH/crun-state" "$@"
    }
    crun_status () { crun_cmd state "$1" 2>/dev/null | $PYTHON -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
    nestbox_status () { status_of "$1"; }
    # lifecycle RUNTIME: what each step of the lifecycle gave, as one line.
    lifecycle () {
        local rt=$1 id=life-$1 seq rc
        "${rt}_cmd" create -b loop --pid-file "$SCRATCH/$id.pid" "$id" >"$id.out" 2>"$id.err" </dev/null
        seq="create:$? $("${rt}_status" "$id") pidfile:$([ "$(cat "$id.pid" 2>/dev/null)" -gt 0 ] 2>/dev/null && echo yes)"
        "${rt}_cmd" start "$id"
        seq+=" start:$?"
        wait_until grep -q started "$id.out"
        seq+=" $("${rt}_status" "$id")"
        "${rt}_cmd" kill "$id" TERM
        seq+=" kill:$?"
        WAIT_SECONDS=10 wait_until eval '[ "$("${rt}_status" "$id")" = stopped ]'
        seq+=" $("${rt}_status" "$id")"
        "${rt}_cmd" delete "$id"
        rc=$?
        "${rt}_cmd" state "$id" >/dev/null 2>&1
        echo "$seq delete:$rc state-after-delete:$?"
    }
    nestbox_cmd () { runc "$@"; }
    ours=$(lifecycle nestbox) theirs=$(lifecycle crun)
    echo "# nestbox-runc: $ours"
    echo "# crun:         $theirs"
    check "the lifecycle gives what crun gives" test "$ours" = "$theirs"
    check "... and it is the expected one" test "$ours" = "create:0 created pidfile:yes start:0 running kill:0 stopped delete:0 state-after-delete:1"
    for code in 0 3; do
        set_command exit "exit $code"
        crun_cmd run -b exit "crun-exit-$code" </dev/null
        check "crun run on our spec's bundle: exit $code (got $?)" test "$?" = "$code"
    done
    check "crun accepts spec's config.json unchanged but for its command" eval '
        mkdir -p spec-crun/rootfs && cp -a loop/rootfs spec-crun/ && (cd spec-crun && "$RUNC" spec) &&
        set_command spec-crun "echo from-crun" && [ "$(crun_cmd run -b spec-crun spec-check </dev/null)" = from-crun ]'
fi

done_testing
