#!/usr/bin/env bash
# CI: sharded sweeps through the shipped scripts/slurm/ on a real one-node Slurm cluster on this
# machine (setup.sh; torn down in an EXIT trap whatever happens). Run as root from anywhere:
#
#   cargo build --release --locked && bash .ci/slurm/test.sh
#
# It builds nothing: it runs target/release/pledgesim. The checks:
#   1. array    submit.sh with N=4: every array task and the merge job COMPLETED with exit code
#               0, and OUT/merged holds the same bytes as the sweep run whole, unsharded
#   2. failure  the same with task 2 crashing after its first point: that task FAILED, the
#               merge never ran (pending with DependencyNeverSatisfied, then cancelled here),
#               there is no OUT/merged, and pledgesim merge by hand exits with code 2
#   3. rerun    submit.sh ... 4 2 runs shard 2 again: it resumes from its finished point, and
#               the merge then holds the same bytes as the unsharded sweep
#   4. parallel parallel.sh with N=4 (GNU parallel, no scheduler): the same bytes again
# Ends with the line "slurm: P passed, F failed" (a check that did not run counts as failed),
# and exits non-zero unless every check passed.
# Settings: SLURM_LOCAL_CPUS (CPUs the node declares, default at least 4, so that the 4 tasks
# run at once), SLURM_LOCAL_CTLD_PORT, SLURM_LOCAL_SLURMD_PORT, SLURM_TEST_TIMEOUT (seconds to
# wait for a job, default 300).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/.ci/slurm"
SCRIPTS="$ROOT/scripts/slurm"
BIN="$ROOT/target/release/pledgesim"
N=4
CHECKS=4
TIMEOUT="${SLURM_TEST_TIMEOUT:-300}"
passed=0
failed_names=""

say() { printf '[slurm test %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

if [ ! -x "$BIN" ]; then
    say "ERROR: $BIN is missing: build it first with cargo build --release --locked"
    echo "slurm: 0 passed, $CHECKS failed"
    exit 1
fi

WORK="$(mktemp -d /tmp/pledgesim-slurm-test.XXXXXX)"
chmod 0755 "$WORK"   # munged's socket lies below it
export SLURM_LOCAL_DIR="$WORK/cluster"
cpus=$(nproc)
export SLURM_LOCAL_CPUS="${SLURM_LOCAL_CPUS:-$((cpus > N ? cpus : N))}"

finish() {
    trap - EXIT INT TERM
    local down=0
    bash "$HERE/teardown.sh" || { down=1; say "FAIL: teardown.sh could not stop every daemon it started"; }
    if [ "$passed" = "$CHECKS" ] && [ "$down" = 0 ]; then
        rm -rf -- "$WORK"
    else
        say "kept $WORK (jobs' output in */logs, the cluster's logs in cluster/log)"
        [ -n "$failed_names" ] && say "failed:$failed_names"
    fi
    echo "slurm: $passed passed, $((CHECKS - passed + down)) failed"
    [ "$passed" = "$CHECKS" ] && [ "$down" = 0 ] && exit 0
    exit 1
}
trap finish EXIT
trap 'say "interrupted"; exit 130' INT TERM

t0=$SECONDS
if ! bash "$HERE/setup.sh"; then
    say "ERROR: the Slurm cluster could not be brought up (see above)"
    exit 1
fi
say "setup took $((SECONDS - t0)) s"
# shellcheck disable=SC1091
source "$SLURM_LOCAL_DIR/env.sh"
export PATH="$SCRIPTS:$PATH"

# The sweep: 10 points of 3 replications of the small scenario over two days, so that the
# 4 shards hold 3, 3, 2 and 2 points. The base is given by absolute path.
SWEEP="$WORK/ci-sweep.toml"
cat > "$SWEEP" <<EOF
name = "ci-slurm"
base = '$ROOT/scenarios/small.toml'
replications = 3

[grid]
"roster.handlers.constant" = { from = 12, to = 16 }
"run.seed" = [1, 2]
"run.horizon" = ["2d"]
EOF
# The reference: the same sweep file, unsharded (same path, so even the manifests match).
if ! "$BIN" sweep "$SWEEP" --out "$WORK/whole" --quiet; then
    say "ERROR: the unsharded sweep failed"
    exit 1
fi

# ---- helpers (the checks run in subshells with set -e; fail ends the check) -------------------
fail() { say "FAIL: $*"; exit 1; }

# Waits until none of the jobs (comma-separated ids) is pending or running.
wait_jobs() {
    local deadline=$((SECONDS + TIMEOUT)) q
    while :; do
        if q=$(squeue -h -j "$1" -o %i 2>/dev/null) && [ -z "$q" ]; then return 0; fi
        [ "$SECONDS" -lt "$deadline" ] || { squeue -t all -j "$1" >&2; fail "jobs $1 still queued after $TIMEOUT s"; }
        sleep 0.25
    done
}

# "ID STATE EXITCODE" for each job, array tasks one a line (as 12_0, 12_1, ...).
job_states() { squeue -h -t all -j "$1" -O "JobArrayID:24,State:24,exit_code:8" | sed 's/  */ /g; s/ $//' | sort -V; }

# Every line of the state list is COMPLETED with exit code 0, and there are $2 of them.
all_completed() {
    local states=$1 want=$2 bad n
    n=$(printf '%s\n' "$states" | grep -c .)
    bad=$(printf '%s\n' "$states" | awk '$2 != "COMPLETED" || $3 != "0"')
    [ "$n" = "$want" ] && [ -z "$bad" ]
}

show_logs() {
    local f
    for f in "$1"/logs/*.log; do
        [ -e "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
    done
}

# The merged folder holds the same bytes as the unsharded sweep's.
same_as_whole() {
    local f
    [ -d "$1" ] || fail "$1 is missing"
    for f in sweep.csv sweep.jsonl manifest.json; do
        cmp "$1/$f" "$WORK/whole/$f" >&2 || fail "$1/$f differs from the unsharded sweep's"
    done
}

# Submits with scripts/slurm/submit.sh; sets $array and $merge.
submit() {
    local ids
    ids=$(submit.sh "$@") || fail "submit.sh $* failed"
    read -r array merge <<< "$ids"
    [[ "$array" =~ ^[0-9]+$ && "$merge" =~ ^[0-9]+$ ]] || fail "submit.sh printed '$ids', not two job ids"
}

# ---- 1. the sweep as a job array of 4 shards, then the merge ------------------------------------
check_array() {
    local out="$WORK/array" states
    PLEDGESIM="$BIN" submit "$SWEEP" "$out" "$N"
    say "array job $array, merge job $merge"
    wait_jobs "$array,$merge"
    states=$(job_states "$array,$merge")
    printf '%s\n' "$states" >&2
    all_completed "$states" $((N + 1)) || { show_logs "$out"; fail "not every task and the merge COMPLETED with exit code 0"; }
    printf '%s\n' "$states" | grep -q "^${merge} " || fail "the merge job is not in the list"
    same_as_whole "$out/merged"
}

# ---- 2. one shard crashes: the merge must not run ---------------------------------------------
check_failure() {
    local out="$WORK/fail" states st rc deadline
    # A stand-in for pledgesim that makes array task 2 die (abort) after recording one point,
    # through pledgesim's test hook; every other task runs the real program.
    cat > "$WORK/pledgesim-crash-task-2" <<EOF
#!/bin/sh
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 2 ]; then export PLEDGESIM_ABORT_AFTER_POINTS=1; fi
exec "$BIN" "\$@"
EOF
    chmod +x "$WORK/pledgesim-crash-task-2"
    PLEDGESIM="$WORK/pledgesim-crash-task-2" submit "$SWEEP" "$out" "$N"
    say "array job $array (task 2 crashes), merge job $merge"
    wait_jobs "$array"
    states=$(job_states "$array")
    printf '%s\n' "$states" >&2
    [ "$(printf '%s\n' "$states" | grep -c .)" = "$N" ] || fail "expected $N array tasks"
    printf '%s\n' "$states" | grep -q "^${array}_2 FAILED [1-9]" \
        || { show_logs "$out"; fail "task ${array}_2 did not FAIL with a non-zero exit code"; }
    all_completed "$(printf '%s\n' "$states" | grep -v "^${array}_2 ")" $((N - 1)) \
        || { show_logs "$out"; fail "the other tasks did not all COMPLETE with exit code 0"; }
    # The merge: pending for good (DependencyNeverSatisfied), or already cancelled by Slurm.
    deadline=$((SECONDS + 60))
    while :; do
        st=$(squeue -h -t all -j "$merge" -o '%T %r')
        case "$st" in
            "PENDING DependencyNeverSatisfied" | CANCELLED*) break ;;
            PENDING*) ;;
            *) fail "merge job $merge is '$st': it should never have started" ;;
        esac
        [ "$SECONDS" -lt "$deadline" ] || fail "merge job $merge is '$st' after 60 s, not DependencyNeverSatisfied"
        sleep 0.25
    done
    say "merge job $merge: $st"
    if [ "${st%% *}" = PENDING ]; then
        scancel "$merge"
        wait_jobs "$merge"
    fi
    st=$(squeue -h -t all -j "$merge" -o '%T')
    [ "$st" = CANCELLED ] || fail "merge job $merge is '$st' after scancel, not CANCELLED"
    [ ! -e "$out/logs/merge.log" ] || fail "the merge job wrote a log: it ran"
    [ ! -e "$out/merged" ] || fail "$out/merged exists although a shard failed"
    grep -q '"complete": false' "$out/shard-2/manifest.json" || fail "shard-2's manifest does not say it is unfinished"
    for k in 0 1 3; do
        grep -q '"complete": true' "$out/shard-$k/manifest.json" || fail "shard-$k did not finish"
    done
    # pledgesim merge by hand refuses the unfinished shard, and a set without it, with code 2.
    rc=0; "$BIN" merge --out "$out/merged" "$out"/shard-* || rc=$?
    [ "$rc" = 2 ] || fail "merge with the unfinished shard 2 exited with $rc, not 2"
    rc=0; "$BIN" merge --out "$out/merged" "$out"/shard-{0,1,3} || rc=$?
    [ "$rc" = 2 ] || fail "merge without shard 2 exited with $rc, not 2"
    [ ! -e "$out/merged" ] || fail "a refused merge left $out/merged"
}

# ---- 3. run the failed shard again: it resumes, and the merge is whole --------------------------
check_rerun() {
    local out="$WORK/fail" states
    [ -d "$out/shard-2" ] || fail "no shard-2 folder from the failure check to run again"
    PLEDGESIM="$BIN" submit "$SWEEP" "$out" "$N" 2
    say "array job $array (shard 2 again), merge job $merge"
    wait_jobs "$array,$merge"
    states=$(job_states "$array,$merge")
    printf '%s\n' "$states" >&2
    all_completed "$states" 2 || { show_logs "$out"; fail "the rerun or the merge did not COMPLETE with exit code 0"; }
    grep -q "resumed at point 1 of 2" "$out/logs/shard-2.log" \
        || { show_logs "$out"; fail "shard 2 did not resume from its finished point"; }
    same_as_whole "$out/merged"
}

# ---- 4. the same without a scheduler: GNU parallel ----------------------------------------------
check_parallel() {
    PLEDGESIM="$BIN" parallel.sh "$SWEEP" "$WORK/parallel" "$N" >&2 || fail "parallel.sh failed"
    same_as_whole "$WORK/parallel/merged"
}

for check in array failure rerun parallel; do
    t=$SECONDS
    say "== $check"
    # Not "if ( ... )": set -e would be ignored inside the check.
    ( set -e; "check_$check" )
    # shellcheck disable=SC2181
    if [ $? = 0 ]; then
        passed=$((passed + 1))
        say "ok: $check ($((SECONDS - t)) s)"
    else
        failed_names="$failed_names $check"
        say "FAILED: $check ($((SECONDS - t)) s)"
    fi
done
say "setup and checks took $((SECONDS - t0)) s"
