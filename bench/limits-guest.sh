# limits-guest.sh: bench/limits.sh's half inside the guest (busybox sh, as
# root, in a pure cgroup v2 hierarchy).  Four hyperfine rounds, each
# starting with another command, of the same sandbox without limits, with
# --pids-max, with --memory-max, and with both; the medians and their
# ratios to the plain one go out as TAP comments.
. "$NBTEST_LIB/tap.sh"

RUNS=40
BOX="$NESTBOX --ro-bind / / --unshare-pid --proc /proc --dev /dev"
set -- plain "$BOX true" pids "$BOX --pids-max 512 true" memory "$BOX --memory-max 256M true" \
	both "$BOX --memory-max 256M --pids-max 512 true"

for round in 0 1 2 3; do
	# Rotate the four (name, command) pairs by one for each round.
	hyperfine -N --style none --warmup 5 --runs "$RUNS" --export-csv "/tmp/r$round.csv" \
		-n "$1" "$2" -n "$3" "$4" -n "$5" "$6" -n "$7" "$8" >/dev/null 2>&1 ||
		not_ok "hyperfine round $round failed"
	set -- "$3" "$4" "$5" "$6" "$7" "$8" "$1" "$2"
done
# The median of the four rounds' medians (CSV: name,mean,stddev,median,...
# in seconds), in microseconds.
median_of () {
	cat /tmp/r*.csv | awk -F, -v n="$1" '$1 == n { print $4 * 1000000 }' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.0f", (v[2] + v[3]) / 2 }'
}
plain=$(median_of plain)
echo "# plain  $plain us (median of 4 rounds x $RUNS runs)"
for name in pids memory both; do
	m=$(median_of $name)
	ratio=$(awk -v a="$m" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')
	echo "# $name $m us: ${ratio}x"
done
check "a sandbox with --memory-max and --pids-max starts within 1.3x of one without (${ratio}x)" \
	awk -v r="$ratio" 'BEGIN { exit !(r <= 1.3) }'
ls -d /sys/fs/cgroup/nestbox.* >/dev/null 2>&1
check "no nestbox cgroup is left after $((RUNS * 12 + 60)) runs with limits" test $? != 0
done_testing
