# fish completion for nestbox(1)
#
# Options are offered with a description; the arguments of an option
# (files, directories, file descriptors, capability names, choices) and the
# sandboxed command are worked out by walking the words typed so far, since
# many nestbox options take two or three arguments.
# tests/docs/completions.sh checks that every option of `nestbox --help`
# appears here.

# The kinds of the arguments an option takes; no output for a flag.
function __nestbox_arg_kinds
    switch $argv[1]
        case --help --version --level-prefix --unshare-all --share-net \
            --unshare-user --unshare-user-try --unshare-ipc --unshare-pid \
            --unshare-net --unshare-uts --unshare-cgroup --unshare-cgroup-try \
            --disable-userns --assert-userns-disabled --clearenv --new-session \
            --die-with-parent --as-pid-1 --pty --landlock --landlock-try --limits-try
            return 0
        case --args --userns --userns2 --pidns --sync-fd --seccomp --add-seccomp-fd \
            --block-fd --userns-block-fd --info-fd --json-status-fd
            echo fd
        case --argv0 --hostname --exec-label --file-label --size --rlimit --timeout \
            --memory-max --memory-swap-max --pids-max --cpu-max --cpus --cpu-weight --io-weight
            echo none
        case --uid
            echo uid
        case --gid
            echo gid
        case --uid-map
            echo uidmap
        case --gid-map
            echo gidmap
        case --chdir --overlay-src --tmp-overlay --ro-overlay --tmpfs --mqueue --dir
            echo dir
        case --setenv
            echo env none
        case --unsetenv
            echo env
        case --lock-file --remount-ro --mask
            echo path
        case --bind --bind-try --dev-bind --dev-bind-try --ro-bind --ro-bind-try --symlink
            echo path path
        case --bind-fd --ro-bind-fd --file --bind-data --ro-bind-data
            echo fd path
        case --overlay
            echo dir dir dir
        case --proc
            echo proc
        case --dev
            echo devdir
        case --proc-policy
            echo procpolicy
        case --proc-fallback
            echo procfallback
        case --seccomp-profile
            echo profile
        case --cap-add --cap-drop
            echo cap
        case --perms
            echo octal
        case --chmod
            echo octal path
        case '*'
            return 1
    end
end

# Where the cursor is: "options", "value KIND", "command N" (N: the index of
# the command among the words after "nestbox") or "doctor".
function __nestbox_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l n (count $tokens)
    set -l cur (commandline -ct)
    if test $n -ge 1; and test "$tokens[1]" = doctor
        echo doctor
        return
    end
    set -l i 1
    while test $i -le $n
        set -l t $tokens[$i]
        if test "$t" = --
            echo command (math $i + 1)
            return
        else if string match -q -- '--*=*' $t
            set i (math $i + 1)
        else if set -l raw (__nestbox_arg_kinds $t)
            set -l kinds (string split -n ' ' -- "$raw")
            set -l k (count $kinds)
            if test (math $i + $k) -gt $n
                echo value $kinds[(math $n - $i + 1)]
                return
            end
            set i (math $i + $k + 1)
        else if string match -q -- '-*' $t
            set i (math $i + 1)
        else
            echo command $i
            return
        end
    end
    # --option=VALUE: the value of a one-argument option.
    if string match -qr -- '^--[^=]+=' $cur
        set -l raw (__nestbox_arg_kinds (string replace -r '=.*' '' -- $cur))
        and test (count (string split -n ' ' -- "$raw")) -eq 1
        and echo inline $raw
        and return
    end
    echo options
end

function __nestbox_at_options
    test (__nestbox_state) = options
end

function __nestbox_caps
    for c in CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID \
        SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW \
        IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT \
        SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD \
        LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG \
        WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE
        echo CAP_$c
    end
    echo ALL
end

# 0:START:COUNT for each subordinate range of this user in $argv[1].
function __nestbox_subids
    test -r $argv[1]; or return
    set -l user (id -un)
    set -l uid (id -u)
    while read -l line
        set -l f (string split : -- $line)
        if test (count $f) -eq 3; and contains -- $f[1] $user $uid
            echo 0:$f[2]:$f[3]
        end
    end <$argv[1]
end

# Everything that is not an option name: option arguments, the command.
function __nestbox_complete_rest
    set -l state (string split ' ' -- (__nestbox_state))
    set -l cur (commandline -ct)
    if test "$state[1]" = inline
        # Complete the part after "=", and give candidates back whole.
        set -l opt (string replace -r '=.*' '' -- $cur)
        set -l value (string replace -r '^[^=]*=' '' -- $cur)
        for c in (__nestbox_values $state[2] $value)
            echo "$opt=$c"
        end
        return
    end
    switch $state[1]
        case doctor
            printf '%s\tprint the report as JSON\n' --json
        case command
            set -l tokens (commandline -opc)
            set -e tokens[1..$state[2]]
            complete -C (string join ' ' -- (string escape -- $tokens) "$cur")
        case value
            __nestbox_values $state[2] $cur
    end
end

# Candidates for one option argument of kind $argv[1], given what is typed.
function __nestbox_values
    set -l cur $argv[2]
    switch $argv[1]
        case fd
            for fd in /proc/$fish_pid/fd/*
                string replace -r '.*/' '' -- $fd
            end
        case path
            __fish_complete_path $cur
        case dir
            __fish_complete_directories $cur
        case proc
            echo /proc
            __fish_complete_directories $cur
        case devdir
            echo /dev
            __fish_complete_directories $cur
        case cap
            if string match -qr '^[a-z]' -- $cur
                __nestbox_caps | string lower
            else
                __nestbox_caps
            end
        case env
            set -n
        case uid
            echo 0
            id -u
        case gid
            echo 0
            id -g
        case uidmap
            echo 0:(id -u):1
            __nestbox_subids /etc/subuid
        case gidmap
            echo 0:(id -g):1
            __nestbox_subids /etc/subgid
        case procpolicy
            printf '%s\t%s\n' oci 'mask as container runtimes do (default)' \
                bwrap "bubblewrap's read-only set" none 'no masks'
        case procfallback
            printf '%s\t%s\n' none 'fail (default)' bind 'the visible /proc, read-only' \
                subset 'a subset=pid procfs' auto 'subset, else bind'
        case profile
            printf '%s\t%s\n' default 'the built-in profile'
            __fish_complete_path $cur
        case octal
            printf '%s\n' 0700 0755 0600 0644 0640 0750 1777
    end
end

complete -c nestbox -f
complete -c nestbox -n 'not __nestbox_at_options' -a '(__nestbox_complete_rest)'
complete -c nestbox -n '__nestbox_at_options; and test (count (commandline -opc)) -eq 1' -a doctor -d 'check this environment'
complete -c nestbox -n '__nestbox_at_options; and not string match -q -- "-*" (commandline -ct)' -a '(__fish_complete_command)'

function __nestbox_opt
    complete -c nestbox -n __nestbox_at_options -l (string sub -s 3 -- $argv[1]) -d $argv[2]
end

__nestbox_opt --help 'print help'
__nestbox_opt --version 'print version'
__nestbox_opt --args 'read NUL-separated arguments from FD'
__nestbox_opt --argv0 'argv[0] of the command'
__nestbox_opt --level-prefix 'prefix messages with <N> severities'
__nestbox_opt --unshare-all 'unshare every namespace'
__nestbox_opt --share-net 'keep the network namespace'
__nestbox_opt --unshare-user 'new user namespace'
__nestbox_opt --unshare-user-try 'new user namespace if possible'
__nestbox_opt --unshare-ipc 'new ipc namespace'
__nestbox_opt --unshare-pid 'new pid namespace'
__nestbox_opt --unshare-net 'new network namespace'
__nestbox_opt --unshare-uts 'new uts namespace'
__nestbox_opt --unshare-cgroup 'new cgroup namespace'
__nestbox_opt --unshare-cgroup-try 'new cgroup namespace if possible'
__nestbox_opt --userns 'use the user namespace FD'
__nestbox_opt --userns2 'switch to user namespace FD after setup'
__nestbox_opt --disable-userns 'forbid further user namespaces'
__nestbox_opt --assert-userns-disabled 'fail unless user namespaces are disabled'
__nestbox_opt --landlock 'limit file access, signals and abstract sockets with Landlock'
__nestbox_opt --landlock-try 'as --landlock, with what the kernel offers'
__nestbox_opt --pidns 'use the pid namespace FD'
__nestbox_opt --uid 'uid in the sandbox'
__nestbox_opt --gid 'gid in the sandbox'
__nestbox_opt --uid-map 'map uids IN:OUT:COUNT'
__nestbox_opt --gid-map 'map gids IN:OUT:COUNT'
__nestbox_opt --hostname 'hostname in the sandbox'
__nestbox_opt --chdir 'working directory'
__nestbox_opt --rlimit 'resource limit of the command, NAME=SOFT[:HARD]'
__nestbox_opt --timeout 'end the sandbox after SECONDS[:GRACE]'
__nestbox_opt --memory-max 'memory of the whole sandbox (bytes, K, M, G, T or max)'
__nestbox_opt --memory-swap-max 'swap of the whole sandbox (bytes, K, M, G, T or max)'
__nestbox_opt --pids-max 'processes of the whole sandbox'
__nestbox_opt --cpu-max 'CPU time of the sandbox, QUOTA[/PERIOD] in microseconds'
__nestbox_opt --cpus 'CPUs the sandbox may use, such as 0.5'
__nestbox_opt --cpu-weight 'share of contended CPU time, 1-10000'
__nestbox_opt --io-weight 'share of contended disk time, 1-10000'
__nestbox_opt --limits-try 'run without the cgroup limits where they cannot be applied'
__nestbox_opt --clearenv 'empty the environment'
__nestbox_opt --setenv 'set VAR to VALUE'
__nestbox_opt --unsetenv 'unset VAR'
__nestbox_opt --lock-file 'hold a lock on DEST'
__nestbox_opt --sync-fd 'keep FD open while the sandbox runs'
__nestbox_opt --bind 'bind SRC on DEST'
__nestbox_opt --bind-try 'bind SRC on DEST if SRC exists'
__nestbox_opt --dev-bind 'bind SRC on DEST with devices'
__nestbox_opt --dev-bind-try 'bind SRC on DEST with devices, if SRC exists'
__nestbox_opt --ro-bind 'bind SRC read-only on DEST'
__nestbox_opt --ro-bind-try 'bind SRC read-only on DEST if SRC exists'
__nestbox_opt --bind-fd 'bind the object of FD on DEST'
__nestbox_opt --ro-bind-fd 'bind the object of FD read-only on DEST'
__nestbox_opt --remount-ro 'make DEST read-only'
__nestbox_opt --overlay-src 'lower layer of the next overlay'
__nestbox_opt --overlay 'overlay with writes to RWSRC'
__nestbox_opt --tmp-overlay 'overlay with writes to a tmpfs'
__nestbox_opt --ro-overlay 'read-only overlay'
__nestbox_opt --exec-label 'SELinux label of the command'
__nestbox_opt --file-label 'SELinux label of created files'
__nestbox_opt --proc 'mount a procfs on DEST'
__nestbox_opt --proc-policy 'how /proc is masked'
__nestbox_opt --proc-fallback 'what --proc does under a masked /proc'
__nestbox_opt --mask 'hide DEST'
__nestbox_opt --dev 'mount a new /dev on DEST'
__nestbox_opt --tmpfs 'mount a tmpfs on DEST'
__nestbox_opt --mqueue 'mount an mqueue on DEST'
__nestbox_opt --dir 'create directory DEST'
__nestbox_opt --file 'copy FD to file DEST'
__nestbox_opt --bind-data 'copy FD to a file bound on DEST'
__nestbox_opt --ro-bind-data 'copy FD to a file bound read-only on DEST'
__nestbox_opt --symlink 'create symlink DEST pointing to SRC'
__nestbox_opt --seccomp 'seccomp BPF from FD'
__nestbox_opt --add-seccomp-fd 'another seccomp BPF from FD'
__nestbox_opt --seccomp-profile 'seccomp JSON profile, or default'
__nestbox_opt --block-fd 'wait for data on FD'
__nestbox_opt --userns-block-fd 'wait on FD before using the user namespace'
__nestbox_opt --info-fd 'write sandbox info to FD'
__nestbox_opt --json-status-fd 'write JSON status lines to FD'
__nestbox_opt --new-session 'new terminal session (setsid)'
__nestbox_opt --pty 'a pseudo-terminal of the sandbox'
__nestbox_opt --die-with-parent 'kill the sandbox when the parent dies'
__nestbox_opt --as-pid-1 'run the command as pid 1'
__nestbox_opt --cap-add 'keep capability CAP'
__nestbox_opt --cap-drop 'drop capability CAP'
__nestbox_opt --perms 'mode of the next file or directory'
__nestbox_opt --size 'size of the next tmpfs'
__nestbox_opt --chmod 'change the mode of PATH'

functions -e __nestbox_opt
