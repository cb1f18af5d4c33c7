#!/usr/bin/env bash
# Brings up a one-node Slurm cluster on loopback for CI: munged, slurmctld and slurmd, all
# started here, with every file (config, munge key, state, spool, logs, pid files) under
# $SLURM_LOCAL_DIR. Nothing in /etc/slurm or /etc/munge is used. Run as root.
#
#   SLURM_LOCAL_DIR=$(mktemp -d) bash .ci/slurm/setup.sh
#   source "$SLURM_LOCAL_DIR/env.sh"          # exports SLURM_CONF for sbatch, squeue, ...
#   SLURM_LOCAL_DIR=... bash .ci/slurm/teardown.sh   # stops exactly what this started
#
# Installs slurm-wlm, munge and GNU parallel (for scripts/slurm/parallel.sh) with apt when they
# are missing. Every daemon's PID goes into $SLURM_LOCAL_DIR/run/started.pids as soon as it has
# started, so teardown.sh can stop it even if a later step fails.
# Exits non-zero, with the reason, if the cluster cannot be brought up: it never skips.
#
# Settings: SLURM_LOCAL_DIR (required), SLURM_LOCAL_CPUS (CPUs to declare, default nproc; more
# than the machine has is allowed), SLURM_LOCAL_CTLD_PORT (6817), SLURM_LOCAL_SLURMD_PORT (6818).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${SLURM_LOCAL_DIR:?set SLURM_LOCAL_DIR to a fresh folder for the cluster files}"
CPUS="${SLURM_LOCAL_CPUS:-$(nproc)}"
CTLD_PORT="${SLURM_LOCAL_CTLD_PORT:-6817}"
SLURMD_PORT="${SLURM_LOCAL_SLURMD_PORT:-6818}"

log() { printf '[slurm setup %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
    log "ERROR: $*"
    log "the cluster could not be brought up; logs: $BASE/log"
    for f in "$BASE"/log/*.log; do
        [ -s "$f" ] && { echo "--- last lines of $f" >&2; tail -n 20 "$f" >&2; }
    done
    exit 1
}
t0=$SECONDS

[ "$(id -u)" = 0 ] || die "must run as root (the daemons and the jobs run as root)"
BASE="$(mkdir -p "$BASE" && cd "$BASE" && pwd)"
if [ -s "$BASE/run/started.pids" ]; then
    die "$BASE already holds a cluster (run/started.pids): run teardown.sh first"
fi

# --- 1. packages -----------------------------------------------------------------------
have_all() {
    local c
    for c in slurmctld slurmd sbatch squeue scancel sinfo munged munge unmunge mungekey parallel; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}
if ! have_all; then
    log "installing slurm-wlm, munge and parallel with apt"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the packages from starting the distribution's own munge and Slurm services: a
    # policy-rc.d that exits 101 forbids it (created for the install only, if there is none).
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    ok=1
    apt-get update -qq || ok=0
    if [ "$ok" = 1 ]; then
        apt-get install -y -qq --no-install-recommends slurm-wlm munge parallel >/dev/null || ok=0
    fi
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ "$ok" = 1 ] || die "apt-get could not install slurm-wlm, munge and parallel"
    have_all || die "slurm-wlm, munge and parallel are installed but a command is missing"
fi
log "packages ready after $((SECONDS - t0)) s: $(slurmctld -V), $(munged --version 2>&1 | awk '{print $1; exit}')"

# --- 2. the host name must resolve to loopback --------------------------------------------
HOST="$(hostname -s)"
addr="$(getent ahostsv4 "$HOST" | awk 'NR == 1 {print $1}')"
case "$addr" in
    127.*) ;;
    *) die "host name '$HOST' resolves to '${addr:-nothing}', not to a loopback address; Slurm on loopback needs it to (add '127.0.0.1 $HOST' to /etc/hosts)" ;;
esac
for port in "$CTLD_PORT" "$SLURMD_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port on 127.0.0.1 is in use (another Slurm?); choose others with SLURM_LOCAL_CTLD_PORT / SLURM_LOCAL_SLURMD_PORT"
    fi
done

# --- 3. folders, munge key, slurm.conf ------------------------------------------------------
t1=$SECONDS
mkdir -p "$BASE"/{etc,munge,state,spool,run,log}
chmod 0755 "$BASE" "$BASE/munge"   # the socket must be reachable; the key itself is 0600
chmod 0700 "$BASE/state" "$BASE/spool"
mungekey --create --keyfile="$BASE/munge/munge.key" --force
chmod 0600 "$BASE/munge/munge.key"
mem_mb=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
sed -e "s|@BASE@|$BASE|g" -e "s|@HOST@|$HOST|g" -e "s|@CPUS@|$CPUS|g" -e "s|@MEM_MB@|$mem_mb|g" \
    -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" \
    "$HERE/slurm.conf.in" > "$BASE/etc/slurm.conf"
export SLURM_CONF="$BASE/etc/slurm.conf"
printf 'export SLURM_CONF=%q\n' "$SLURM_CONF" > "$BASE/env.sh"
: > "$BASE/run/started.pids"

# --- 4. daemons (each daemonizes and writes its pid file) -----------------------------------
wait_pidfile() { # NAME FILE: waits up to 10 s for FILE, records "NAME PID"
    local _
    for _ in $(seq 1 100); do [ -s "$2" ] && break; sleep 0.1; done
    [ -s "$2" ] || die "$1 did not start (no pid file $2)"
    local pid
    pid="$(cat "$2")"
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || die "$1 (pid $pid) is not running"
    echo "$1 $pid" >> "$BASE/run/started.pids"
    log "$1 started, pid $pid"
}

# munged as root; --force accepts the root-owned key and socket folder.
munged --force \
    --key-file="$BASE/munge/munge.key" --socket="$BASE/munge/munge.socket.2" \
    --pid-file="$BASE/run/munged.pid" --log-file="$BASE/log/munged.log" \
    --seed-file="$BASE/munge/munged.seed" \
    || die "munged would not start"
wait_pidfile munged "$BASE/run/munged.pid"
munge -S "$BASE/munge/munge.socket.2" -n | unmunge -S "$BASE/munge/munge.socket.2" >/dev/null \
    || die "munge round trip failed"

# slurmctld: -c starts with no saved jobs, -i ignores errors in saved state.
slurmctld -f "$SLURM_CONF" -c -i || die "slurmctld would not start"
wait_pidfile slurmctld "$BASE/run/slurmctld.pid"
slurmd -f "$SLURM_CONF" || die "slurmd would not start"
wait_pidfile slurmd "$BASE/run/slurmd.pid"

# --- 5. wait until the node is idle ------------------------------------------------------------
state=""
for _ in $(seq 1 300); do
    state="$(sinfo -h -n "$HOST" -o '%T' 2>/dev/null || true)"
    [ "$state" = idle ] && break
    sleep 0.1
done
[ "$state" = idle ] || die "node $HOST is '${state:-not reported}' after 30 s, not idle"
log "cluster up: node $HOST idle with $CPUS CPUs, partition ci; daemons started in $((SECONDS - t1)) s, $((SECONDS - t0)) s in all"
log "use it with: source $BASE/env.sh"
