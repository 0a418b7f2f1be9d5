#!/bin/sh
# scripts/bench_cosched.sh — how fast co-scheduled replays run: a synthetic
# workload of the measured ARIS configurations (Poisson arrivals at an
# offered load of 0.9, every job spread in a sharing queue, the empirical
# interference model, easy) on the full ARIS thin-node partition.  Writes
# results/bench/cosched.txt.
#
#   scripts/bench_cosched.sh          100k jobs (about a minute)
#   JOBS=N NODES=N                    another size
#   FLURM_SIM=path/to/flurm-sim       the binary (default: builds one,
#                                     optimised with NDEBUG, in $TMPDIR)
#   OUT=FILE                          write the report elsewhere
#
# Rows: the same workload with the interference model off (rate 1, no
# co-location index), with it on (fifo pairing, the target: <= 10 s), and
# with the other pairing rules; wall time and peak RSS from GNU time, rate
# changes are what the model adds per start and end.
set -eu

cd "$(dirname "$0")/.."
OUT=${OUT:-results/bench/cosched.txt}
JOBS=${JOBS:-100000}
NODES=${NODES:-426}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

. scripts/bench_build.sh

python3 scripts/gen_aris_traces.py --bench "$JOBS" "$NODES" "$WORK/trace.yaml"

# run LABEL OPTIONS...: one line of figures.
run () {
    label=$1; shift
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$FLURM_SIM" run "$WORK/trace.yaml" \
        -o "$WORK/out" --quiet "$@"
    read -r wall rss <"$WORK/time"
    python3 - "$label" "$wall" "$rss" "$WORK/out/summary.json" <<'PY'
import json, sys
label, wall, rss, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.load(open(path))
i = s.get("interference", {})
print(f"{label:<34} {s['jobs']['total']:>8} {wall:>8.2f} {rss / 1024:>8.1f} "
      f"{s['jobs']['total'] / max(wall, 0.01):>9.0f} {s['wait']['mean']:>10.1f} "
      f"{i.get('mean_slowdown', 1.0):>9.3f} {i.get('busy_node_hours', 0):>10.0f}")
PY
}

{
    echo "# flurm-sim co-scheduling benchmark ($(date -u +%Y-%m-%d), $(nproc) cores:"
    echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
    echo "# $JOBS jobs of the measured ARIS configurations (<= 256 ranks, spread, sharing"
    echo "# queue), Poisson arrivals at offered load 0.9, on $NODES nodes of 2 x 10 cores;"
    echo "# queue policy easy, match policy first."
    echo
    printf '%-34s %8s %8s %8s %9s %10s %9s %10s\n' "run" jobs "wall s" "RSS MiB" "jobs/s" \
        "mean wait" slowdown "node-h"
    run "interference none" --interference none
    run "empirical, fifo (target <= 10 s)" --pairing fifo
    run "empirical, easy-cosched" --pairing easy-cosched
    run "empirical, avoid-bad" --pairing avoid-bad
    run "analytic, fifo" --interference analytic --pairing fifo
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
