#!/bin/sh
# Instructions per simulated call, start-up excluded, for pledge-mini and the shipped scenarios:
# the table of docs/background/how-it-works.md ("Speed and memory").
#
#   scripts/instructions-per-call.sh                  # every case below
#   scripts/instructions-per-call.sh small met-size   # only the cases named
#
# Each case runs under valgrind's callgrind (instruction counts do not depend on the machine's
# load) twice, with a few and with more replications of the same horizon, so that start-up
# cancels: per call = (instructions of the longer run - of the shorter) / (calls - calls).
# BENCH=path measures another build of the throughput bench (e.g. one of an older commit) instead
# of building this one. The last column is pledge-mini's ratio to the lean limit, the 594
# instructions per call a deliberately lean program takes on the same model (see the speed
# section of docs/background/how-it-works.md); LEAN_LIMIT=n gives another figure for it, and
# LEAN_LIMIT= (empty) leaves the column out. The first lines say when and on what it ran.
set -eu
cd "$(dirname "$0")/.."
LEAN_LIMIT=${LEAN_LIMIT-594}

. scripts/callgrind-cases.sh
check_names "$@"
prepare

# Instructions and calls of one run: prints "instructions calls events".
measure() {
    callgrind_run "$1" "$2" "$3"
    ins=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$tmp/cg")
    calls=$(sed -n 's/.* \([0-9]*\) calls .*/\1/p' "$tmp/out")
    events=$(sed -n 's/.*: *\([0-9]*\) events .*/\1/p' "$tmp/out")
    echo "$ins $calls $events"
}

measured_on
echo
echo "| case | horizon | calls measured | instructions per call | per event |${LEAN_LIMIT:+ ratio to the lean limit |}"
echo "| --- | --- | ---: | ---: | ---: |${LEAN_LIMIT:+ ---: |}"
echo "$CASES" | while read -r case horizon lo hi; do
    name=$(basename "$case" .toml)
    wanted "$name" "$@" || continue
    read -r i1 c1 e1 <<EOT
$(measure "$case" "$horizon" "$lo")
EOT
    read -r i2 c2 e2 <<EOT
$(measure "$case" "$horizon" "$hi")
EOT
    awk -v n="$name" -v h="$horizon x $lo-$hi" -v i1="$i1" -v i2="$i2" -v c1="$c1" -v c2="$c2" \
        -v e1="$e1" -v e2="$e2" -v lim="${LEAN_LIMIT:-}" 'BEGIN {
        pc = (i2 - i1) / (c2 - c1); pe = (i2 - i1) / (e2 - e1)
        line = sprintf("| %s | %s | %d | %.0f | %.0f |", n, h, c2 - c1, pc, pe)
        if (lim != "") line = line sprintf(" %s |", n == "pledge-mini" ? sprintf("%.2fx", pc / lim) : "")
        print line
    }'
done
