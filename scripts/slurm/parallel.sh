#!/usr/bin/env bash
# The same as submit.sh without a scheduler: the N shards of a sweep with GNU parallel, then the
# merge into OUT/merged (the same bytes as the sweep run whole).
#
#   scripts/slurm/parallel.sh SWEEP.toml OUT N
#
# Runs N shards at once on this machine, THREADS worker threads each (default 1). Running it
# again after a failure resumes: finished shards are left as they are, and interrupted ones go
# on from their last finished point.
#
# On a few machines that see OUT at the same path (a shared file system) and have pledgesim on
# PATH, let parallel start the shards over ssh instead; "4/node1" runs up to 4 at a time on
# node1, and ":" is this machine:
#   parallel --sshlogin 4/node1,4/node2,: pledgesim sweep "$SWEEP" --shard {}/"$N" \
#       --out "$OUT/shard-{}" --resume --quiet -j 1 ::: $(seq 0 $((N - 1)))
# then merge as below.
# PLEDGESIM: the pledgesim program (default: pledgesim on PATH).
set -euo pipefail

usage="usage: $0 SWEEP.toml OUT N"
[ $# -eq 3 ] || { echo "$usage" >&2; exit 2; }
case "$3" in '' | *[!0-9]* | 0) echo "N must be a whole number above 0; $usage" >&2; exit 2 ;; esac
SWEEP=$(realpath -e "$1")
mkdir -p "$2"
OUT=$(realpath -e "$2")
N=$3
PLEDGESIM=${PLEDGESIM:-pledgesim}

# parallel's exit status is the number of shards that failed; --tag labels their output lines,
# -q passes the arguments as they are (paths with spaces).
if ! parallel -j "$N" --tag -q "$PLEDGESIM" sweep "$SWEEP" --shard {}/"$N" --out "$OUT/shard-{}" \
    --resume --quiet -j "${THREADS:-1}" ::: $(seq 0 $((N - 1))); then
    echo "some shards failed (above): run $0 again to resume them, then it merges" >&2
    exit 1
fi
"$PLEDGESIM" merge --out "$OUT/merged" "$OUT"/shard-*
