# Sourced by scripts/instructions-per-call.sh and scripts/cost-by-part.sh (not run by itself): the
# cases they measure, the throughput bench they run, and one run of a case under callgrind. A
# script checks the names it was given (check_names), then calls prepare.
#
# Each case is run twice, with a few and with more replications of the same horizon, so that
# start-up cancels in the difference. BENCH=path measures another build of the throughput bench
# (an older commit's, say) instead of building this one.

# case, horizon, replications of the shorter and of the longer run
CASES='benches/scenarios/pledge-mini.toml 1w 1 5
small 1w 1 5
default 8w 1 2
county-district 123d 1 3
county-district:no-duties 123d 1 3
county-district:escalation 123d 1 3
london-borough 123d 1 2
met-size 2w 1 2
benches/scenarios/met-year.toml 2w 1 2'

# Builds the throughput bench (unless BENCH names one) and makes the folder $tmp for the runs.
prepare() {
    for tool in valgrind callgrind_annotate; do
        if ! command -v $tool >/dev/null; then
            echo "$tool is needed (the valgrind package)" >&2
            exit 2
        fi
    done
    if [ -z "${BENCH:-}" ]; then
        cargo bench --bench throughput --no-run >/dev/null 2>&1
        BENCH=$(ls -t target/release/deps/throughput-* | grep -v '\.d$' | head -1)
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
}

# One run of case $1 over horizon $2 with $3 replications: callgrind's profile in $tmp/cg, the
# bench's line in $tmp/out.
callgrind_run() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$BENCH" --one "$1" "$2" "$3" \
        >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err" >&2
        echo "the run of $1 ($2, $3 replications) failed" >&2
        exit 1
    }
}

# Whether case name $1 is among the names given ($2 ...; none given: every case).
wanted() {
    case_name=$1
    shift
    [ $# -eq 0 ] && return 0
    for c in "$@"; do [ "$c" = "$case_name" ] && return 0; done
    return 1
}

# The line that says when and on what the figures were measured.
measured_on() {
    cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -1)
    echo "Measured on $(date -u +'%-d %B %Y') on $(nproc) x $cpu, $(valgrind --version)," \
        "release build."
}

# Stops, naming them, when any of the names given ($1 ...) is not a case.
check_names() {
    known=$(echo "$CASES" | while read -r case _; do basename "$case" .toml; done)
    unknown=
    for c in "$@"; do
        echo "$known" | grep -qxF "$c" || unknown="$unknown $c"
    done
    if [ -n "$unknown" ]; then
        echo "not a case:$unknown (the cases:" $known")" >&2
        exit 2
    fi
}
