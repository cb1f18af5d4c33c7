#!/bin/sh
# Instructions per simulated call by part of the program, start-up excluded: the table "Where a
# call's instructions go" of docs/background/how-it-works.md.
#
#   scripts/cost-by-part.sh                       # pledge-mini, county-district and met-year
#   scripts/cost-by-part.sh small london-borough  # the cases named (as instructions-per-call.sh)
#
# Each case runs under valgrind's callgrind twice, with a few and with more replications of the
# same horizon (as scripts/instructions-per-call.sh does), and each part's share is the
# difference of its instructions between the two runs over the difference of calls, so that
# start-up cancels. A part is where the code is written, not the function that runs it: code
# the compiler inlined counts with the file it comes from, and code of the standard library or
# of a crate counts with the function of pledgesim it was inlined into (or with the random
# draws, when it is one of the random-number crates). So the split is exact in its sum and
# approximate in its parts, by the few per cent of code that sits on a line of one part but
# does the work of another. BENCH=path measures another build of the throughput bench.
set -eu
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || set -- pledge-mini county-district met-year
. scripts/callgrind-cases.sh
check_names "$@"
prepare

# One run: writes the function-by-function listing to $tmp/$4 and prints the calls simulated.
measure() {
    callgrind_run "$1" "$2" "$3"
    callgrind_annotate --auto=no --threshold=100 "$tmp/cg" >"$tmp/$4"
    sed -n 's/.* \([0-9]*\) calls .*/\1/p' "$tmp/out"
}

measured_on
echo "$CASES" | while read -r case horizon lo hi; do
    name=$(basename "$case" .toml)
    wanted "$name" "$@" || continue
    c1=$(measure "$case" "$horizon" "$lo" short)
    c2=$(measure "$case" "$horizon" "$hi" long)
    echo
    echo "$name, $horizon x $lo and $hi replications, $((c2 - c1)) calls measured:"
    echo
    python3 - "$tmp/short" "$tmp/long" "$((c2 - c1))" <<'EOF'
import re
import sys

PARTS = [
    ("engine", "the event queue and the run loop (src/engine/)"),
    ("draws", "random draws: generators, samplers, the arrival process, an incident's attributes"),
    ("contact", "the control room's own work (src/model/contact/, the slot pools)"),
    ("field", "the field's own work (src/model/field/, travel times)"),
    ("measure", "measurement: counts, time integrals, histograms, clock conversions"),
    ("other", "the rest: a replication's set-up, allocation and copying, other library code"),
]
LINE = re.compile(r"^\s*([0-9,]+) \(\s*[0-9.]+%\)\s+(\S+?):(.*)")
OURS = re.compile(r"(^|/)src/(.*\.rs)$")


def part(file, function):
    ours = OURS.search(file)
    if re.search(r"::draw|ProfileGen|^(rand|rand_core|rand_distr|chacha20)::", function):
        return "draws"
    if "record_answer" in function:
        return "measure"
    if ours and "registry" not in file and "rustc" not in file:
        f = ours.group(2)
        if f.startswith("engine/"):
            return "engine"
        if f in ("rng.rs", "model/dist.rs", "model/arrivals.rs"):
            return "draws"
        if f.startswith("stats/") or f in ("time.rs", "model/records.rs", "model/result.rs"):
            return "measure"
        if f.startswith("model/field/") or f == "scenario/response.rs":
            return "field"
        if f.startswith("model/contact/") or f == "model/pool.rs":
            return "contact"
        return "other"
    if re.search(r"/(rand|rand_core|rand_distr|chacha20)-[0-9]", file) or re.search(
        r"e_exp|e_log|w_exp|w_log|libm", file
    ):
        return "draws"
    for key, pattern in (
        ("engine", "pledgesim::engine::"),
        ("measure", "pledgesim::stats::"),
        ("field", "pledgesim::model::field::"),
        ("contact", "pledgesim::model::contact::"),
    ):
        if pattern in function:
            return key
    return "other"


def parts(path):
    total = {key: 0 for key, _ in PARTS}
    for line in open(path):
        m = LINE.match(line)
        if m and "PROGRAM TOTALS" not in line:
            total[part(m.group(2), m.group(3))] += int(m.group(1).replace(",", ""))
    return total


short, long, calls = parts(sys.argv[1]), parts(sys.argv[2]), int(sys.argv[3])
per_call = {key: (long[key] - short[key]) / calls for key, _ in PARTS}
whole = sum(per_call.values())
print("| part | instructions per call | share |")
print("| --- | ---: | ---: |")
for key, label in PARTS:
    print(f"| {label} | {per_call[key]:,.0f} | {100 * per_call[key] / whole:.0f}% |")
print(f"| **the whole** | **{whole:,.0f}** | 100% |")
EOF
done
