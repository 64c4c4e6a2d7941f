#!/bin/bash
# A sweep as a Slurm job array on a private single-node cluster, against the same sweep run with
# --jobs on this machine: every run must come out bit for bit the same.
#
#   slurm_sweep_test.sh CLI_HEADLESS CLI
#
# It starts its own slurmctld and slurmd (Debian's slurm-wlm) with a config, ports, state and
# spool folders in a temporary folder, and munged if none runs; it stops them by PID at the end,
# never by name. The array's tasks run the headless CLI (as a GPU node without Qt would); the
# local sweep and collect run the full one. Exit code 77 (skipped) where Slurm cannot start:
# without root, or without the packages (CI runs as root and installs them).
set -u
HEADLESS=$1
CLI=$2
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || skip "slurmd needs root here (CI runs this test as root)"
for program in slurmctld slurmd sbatch sinfo squeue munged munge unmunge runuser; do
    command -v "$program" >/dev/null || skip "$program is not installed (apt-get install slurm-wlm munge)"
done

T=$(mktemp -d /tmp/identitylab-slurm.XXXXXX)
STARTED_MUNGED=""
cleanup() {
    for pidfile in "$T/slurmctld.pid" "$T/slurmd.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    [ -n "$STARTED_MUNGED" ] && kill "$STARTED_MUNGED" 2>/dev/null
    sleep 1
    rm -rf "$T"
}
trap cleanup EXIT

# munge: use a running munged, else start one as the munge user.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
    runuser -u munge -- munged || skip "munged does not start"
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    STARTED_MUNGED=$(cat /run/munge/munged.pid 2>/dev/null)
    munge -n | unmunge >/dev/null 2>&1 || skip "munge does not work here"
fi

# Two free ports: nothing answers on them.
free_port() {
    local port
    for port in $(shuf -i 20000-40000 -n 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
[ "$CTLD_PORT" != "$SLURMD_PORT" ] || SLURMD_PORT=$((CTLD_PORT + 1))
HOST=$(hostname -s)
MEMORY_MB=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
mkdir -p "$T/state" "$T/spool"
cat > "$T/slurm.conf" <<CONF
ClusterName=identitylab-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$HOST CPUs=$(nproc) RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -c || skip "slurmctld does not start ($(tail -3 "$T/slurmctld.log" 2>/dev/null))"
slurmd -c || skip "slurmd does not start ($(tail -3 "$T/slurmd.log" 2>/dev/null))"
for _ in $(seq 60); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && break
    sleep 0.5
done
sinfo -h -o %t | grep -q idle || skip "the node never became idle: $(sinfo -h 2>&1; tail -5 "$T/slurmd.log")"
echo "private Slurm up on ports $CTLD_PORT/$SLURMD_PORT"

cat > "$T/plan.json" <<'PLAN'
{"name": "slurm-test", "base": {"architecture": "fcn", "width": 64, "steps": 20, "rho_samples": 1},
 "axes": [{"key": "depth", "values": [2, 3]}], "seeds": 2}
PLAN

"$HEADLESS" sweep "$T/plan.json" --out "$T/cluster" --slurm --submit --sbatch=--cpus-per-task=1 || fail "sweep --slurm --submit"
grep -q -- "--array=0-3" "$T/cluster/sweep.sbatch" || fail "no --array=0-3 in $(cat "$T/cluster/sweep.sbatch")"
for _ in $(seq 600); do
    [ -z "$(squeue -h 2>/dev/null)" ] && break
    sleep 0.5
done
[ -z "$(squeue -h)" ] || fail "the job array did not finish in 5 minutes: $(squeue -h)"
"$CLI" collect "$T/cluster" --scale 1 || fail "collect: $(cat "$T"/cluster/logs/*.out)"

"$CLI" sweep "$T/plan.json" --out "$T/local" --jobs 2 --threads 1 --quiet --scale 1 || fail "the local sweep"
count=0
for task in "$T"/local/0*; do
    name=$(basename "$task")
    for file in loss.csv probes_outputs.npy probes_inputs.npy metrics.jsonl activations_01.npy; do
        cmp -s "$task/$file" "$T/cluster/$name/$file" || fail "$name/$file differs between the cluster and --jobs"
    done
    count=$((count + 1))
done
[ "$count" = 4 ] || fail "$count runs where the plan has 4"
grep -q '"complete": true' "$T/cluster/summary.json" || fail "summary.json is not complete"
echo "PASS: 4 array tasks on Slurm equal the --jobs runs bit for bit"
