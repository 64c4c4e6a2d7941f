#!/bin/bash
# The headless build's own CLI check (-DIDENTITYLAB_HEADLESS=ON, no Qt): train, a sweep task,
# collect, the Slurm script and --version, as a GPU node would run them.
#   headless_cli_test.sh CLI PRESETS_DIR
set -u
CLI=$1
PRESETS=$2
T=$(mktemp -d /tmp/identitylab-headless.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$CLI" --version | grep -q "headless" || fail "--version does not say headless"
"$CLI" train --set architecture=fcn --set depth=2 --set width=64 --set steps=10 --out "$T/run" --threads 1 --quiet || fail "train"
for f in config.json metrics.json metrics.jsonl loss.csv probes.json probes_outputs.npy checkpoint.pt; do
    [ -s "$T/run/$f" ] || fail "train wrote no $f"
done
ls "$T/run"/*.png >/dev/null 2>&1 && fail "the headless build drew figures"
"$CLI" sweep "$PRESETS/fcn-depth.json" --out "$T/sweep" --task 0 --threads 1 --set steps=10 --quiet || fail "sweep --task 0"
[ -s "$T/sweep/000-1-layer-linear/metrics.json" ] || fail "task 0 has no run folder"
"$CLI" collect "$T/sweep" --quiet
[ $? = 1 ] || fail "collect of an incomplete sweep must exit 1"
grep -q '"finished": 1' "$T/sweep/summary.json" || fail "summary.json does not count the finished run"
"$CLI" sweep "$PRESETS/fcn-depth.json" --out "$T/sweep" --set steps=10 --slurm || fail "sweep --slurm"
grep -q -- "--array=1-4" "$T/sweep/sweep.sbatch" || fail "the job array is not over the 4 unfinished tasks"
"$CLI" export x.ilrun --out "$T/x" 2>/dev/null
[ $? = 2 ] || fail "export must say that it needs the full build"
echo "PASS: the headless CLI trains, sweeps, collects and writes the job array without Qt"
