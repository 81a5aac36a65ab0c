# Shared by the side-by-side benchmarks (sourced; bash).
#
# runner_from_args "$@": sets RUNNER (setpriv to the user of a leading
# "--as-user USER", else nothing) and SHIFT (how many arguments that took).
runner_from_args () {
    RUNNER=()
    SHIFT=0
    if [[ ${1:-} = --as-user ]]; then
        RUNNER=(setpriv --reuid="$(id -u "$2")" --regid="$(id -g "$2")" --init-groups)
        SHIFT=2
    fi
}

# alternating_rounds DIR -n NAME CMD [-n NAME CMD ...]: four hyperfine rounds
# in DIR (as RUNNER), each starting with another command, so that none
# always pays for cold caches or drifting load; exports DIR/r0..3.json for
# bench/medians.py.
alternating_rounds () {
    local dir=$1 n round k order
    shift
    n=$(($# / 3))
    local cmds=("$@")
    for round in 0 1 2 3; do
        order=()
        for ((k = 0; k < n; k++)); do
            order+=("${cmds[@]:$(((round + k) % n * 3)):3}")
        done
        (cd "$dir" && "${RUNNER[@]}" hyperfine -N --style none --warmup 10 --runs 100 \
            --export-json "$dir/r$round.json" "${order[@]}") >/dev/null
    done
}
