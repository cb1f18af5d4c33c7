#!/usr/bin/env bash
# Submits a pledgesim sweep to Slurm in N shards: a job array whose task K runs shard K/N into
# OUT/shard-K (sweep-array.sbatch), and a merge into OUT/merged (merge.sbatch) that starts only
# if every task succeeded (--dependency=afterok). Prints the two job ids: "ARRAY_ID MERGE_ID".
#
#   scripts/slurm/submit.sh SWEEP.toml OUT N [TASKS]
#   scripts/slurm/submit.sh scenarios/sweeps/small-handlers.toml outputs/small-handlers 10
#
# TASKS: the shards to run, in sbatch --array syntax (default 0-(N-1), all of them). To run
# failed shards again, give them, e.g. "2" or "1,5": they resume from their last finished point,
# and the merge then takes every OUT/shard-* folder.
# Job logs go to OUT/logs/shard-K.log and OUT/logs/merge.log. OUT must be on a file system
# that every node sees.
# PLEDGESIM: the pledgesim program (default: pledgesim on PATH; a path is made absolute).
# Other sbatch options come from sbatch's own environment variables, e.g. SBATCH_PARTITION,
# SBATCH_ACCOUNT, SBATCH_TIMELIMIT, or from #SBATCH lines in the two scripts.
set -euo pipefail

usage="usage: $0 SWEEP.toml OUT N [TASKS]"
if [ $# -lt 3 ] || [ $# -gt 4 ]; then echo "$usage" >&2; exit 2; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$3" in '' | *[!0-9]* | 0) echo "N must be a whole number above 0; $usage" >&2; exit 2 ;; esac
N=$3
TASKS=${4:-0-$((N - 1))}
# Absolute paths, so the jobs find them from any folder (and every shard names the sweep file
# the same way, as its manifest's "source").
SWEEP=$(realpath -e "$1")
mkdir -p "$2/logs"
OUT=$(realpath -e "$2")
PLEDGESIM=$(command -v "${PLEDGESIM:-pledgesim}") || { echo "pledgesim not found: put it on PATH or set PLEDGESIM" >&2; exit 2; }
PLEDGESIM=$(realpath -e "$PLEDGESIM")
export PLEDGESIM   # reaches the jobs (sbatch's default --export=ALL)

array=$(sbatch --parsable --array="$TASKS" --output="$OUT/logs/shard-%a.log" \
    "$here/sweep-array.sbatch" "$SWEEP" "$OUT" "$N")
array=${array%%;*}   # --parsable prints "id" or "id;cluster"
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$OUT/logs/merge.log" \
    "$here/merge.sbatch" "$OUT")
merge=${merge%%;*}
echo "shards $TASKS of $N: job $array; merge into $OUT/merged: job $merge, once they all succeed" >&2
echo "$array $merge"
