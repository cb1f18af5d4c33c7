#!/usr/bin/env bash
# Stops the cluster that .ci/slurm/setup.sh started in $SLURM_LOCAL_DIR: cancels its jobs, then
# stops exactly the daemons recorded in $SLURM_LOCAL_DIR/run/started.pids, by PID, each only
# after checking that /proc/PID/comm still names that daemon (a PID may have been reused).
# Nothing is stopped by name. Keeps $SLURM_LOCAL_DIR (its logs); --purge deletes it.
# Exits non-zero if a daemon it started is still running at the end.
#   SLURM_LOCAL_DIR=... bash .ci/slurm/teardown.sh [--purge]
set -uo pipefail

BASE="${SLURM_LOCAL_DIR:?set SLURM_LOCAL_DIR to the folder given to setup.sh}"
PIDS="$BASE/run/started.pids"
export SLURM_CONF="$BASE/etc/slurm.conf"
log() { printf '[slurm teardown %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# True if PID is alive and its command name is NAME.
is_ours() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

stop_pid() { # NAME PID
    local name=$1 pid=$2 _
    if ! is_ours "$pid" "$name"; then log "$name ($pid) is not running"; return 0; fi
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
        is_ours "$pid" "$name" || { log "stopped $name ($pid)"; return 0; }
        sleep 0.1
    done
    log "$name ($pid) ignored SIGTERM for 10 s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    for _ in $(seq 1 50); do is_ours "$pid" "$name" || return 0; sleep 0.1; done
    log "ERROR: $name ($pid) is still running"
    return 1
}

purge() { if [ "${1:-}" = --purge ] && [ -d "$BASE" ]; then rm -rf -- "$BASE"; log "removed $BASE"; fi; }

if [ ! -s "$PIDS" ]; then
    log "nothing to stop ($PIDS is missing or empty)"
    purge "${1:-}"
    exit 0
fi

# 1. Cancel the jobs still queued or running on this cluster, and give them time to end.
ctld=$(awk '$1 == "slurmctld" {print $2}' "$PIDS")
if [ -n "$ctld" ] && is_ours "$ctld" slurmctld; then
    jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
    if [ -n "$jobs" ]; then
        log "cancelling jobs: ${jobs//$'\n'/ }"
        # shellcheck disable=SC2086
        scancel $jobs 2>/dev/null
        for _ in $(seq 1 50); do
            [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
fi

# 2. If a job could not be cancelled, stop this cluster's slurmstepd processes (those with a
#    file open under $BASE, such as slurmd.log) and the job processes below them, by PID.
#    slurmstepd ignores SIGTERM, and stopping it alone would orphan the job's processes.
descendants() { local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do descendants "$c"; echo "$c"; done; }
for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$(cat "$d/comm" 2>/dev/null)" = slurmstepd ] || continue
    mine=0
    for fd in "$d"/fd/*; do
        case "$(readlink "$fd" 2>/dev/null)" in "$BASE"/*) mine=1; break ;; esac
    done
    [ "$mine" = 1 ] || continue
    kids=$(descendants "$pid")   # deepest first
    log "stopping slurmstepd ($pid) and its job processes: ${kids//$'\n'/ }"
    declare -A comm=()
    for k in $kids; do comm[$k]=$(cat "/proc/$k/comm" 2>/dev/null); kill -TERM "$k" 2>/dev/null; done
    sleep 1
    for k in $kids; do is_ours "$k" "${comm[$k]}" && kill -KILL "$k" 2>/dev/null; done
    unset comm
    is_ours "$pid" slurmstepd && kill -KILL "$pid" 2>/dev/null
done

# 3. The daemons, in the reverse of their start order.
status=0
for name in slurmd slurmctld munged; do
    pid=$(awk -v n="$name" '$1 == n {print $2}' "$PIDS")
    if [ -n "$pid" ]; then stop_pid "$name" "$pid" || status=1; fi
done
[ "$status" = 0 ] && : > "$PIDS"
purge "${1:-}"
exit "$status"
