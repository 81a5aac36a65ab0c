# landlock-guest.sh: --landlock and --landlock-try on a kernel with an older
# Landlock ABI (Debian 12's 6.1 kernel: ABI 2, files only), in the guest of
# guest-boot.sh (busybox sh, as root).  This host's kernel has ABI 7, and
# seccomp cannot fake a lower version, so the partial path shows here only.
. "$NBTEST_LIB/tap.sh"

# A root with busybox only (the guest's userland), and a secret outside
# every bind that the command gets a directory fd of.
mkdir -p /secret && echo hidden >/secret/file
BOX="--ro-bind /bin /bin --dev /dev --proc /proc --unshare-pid"
peek='cat /proc/self/fd/3/file'

out=$("$NESTBOX" doctor 2>&1 | grep landlock)
echo "# $out"
check "doctor names the ABI and what it covers ($out)" \
	sh -c 'case $1 in *"ABI 2"*) ;; *) exit 1 ;; esac' sh "$out"

err=$("$NESTBOX" $BOX --landlock true 2>&1)
rc=$?
check "--landlock refuses an ABI below 6 with one line (exit $rc: $err)" \
	sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | grep -c .)" = 1 ] && case $2 in *"ABI 2"*"--landlock-try"*) ;; *) exit 1 ;; esac' sh "$rc" "$err"

# The control: without Landlock the inherited fd reaches the secret.
out=$("$NESTBOX" $BOX sh -c "$peek" 3</secret 2>&1)
check "control: without Landlock the command reads through an inherited directory fd ($out)" test "$out" = hidden

out=$("$NESTBOX" $BOX --landlock-try sh -c "$peek; echo rc=\$?" 3</secret 2>&1)
echo "$out" | sed 's/^/# /'
check "--landlock-try warns that ABI 2 covers only part" \
	sh -c 'printf "%s\n" "$1" | grep -q "^nestbox: --landlock-try: this kernel.s Landlock ABI 2 covers only"' sh "$out"
check "--landlock-try with ABI 2: the inherited fd no longer reaches the secret" \
	sh -c 'printf "%s\n" "$1" | grep -qx "rc=1" && ! printf "%s\n" "$1" | grep -qx hidden' sh "$out"
out=$("$NESTBOX" $BOX --tmpfs /tmp --landlock-try sh -c 'echo ok >/tmp/f && cat /tmp/f' 2>/dev/null)
check "--landlock-try with ABI 2: what the binds grant still works ($out)" test "$out" = ok
done_testing
