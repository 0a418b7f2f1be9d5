#!/bin/sh
# scripts/bench_engine.sh — how fast the engine replays real SWF logs at
# core granularity on each log's machine, with fcfs and easy.  Writes
# results/bench/engine.txt.
#
#   scripts/bench_engine.sh             everything (a few minutes)
#   FLURM_SIM=path/to/flurm-sim         the binary (default: builds one,
#                                       optimised with NDEBUG, in $TMPDIR)
#   OUT=FILE                            write the report elsewhere
#
# For each run: wall time and peak RSS (GNU time), jobs/s and events/s
# (events = submits + starts + ends, from summary.json).  Then the cost per
# job on the first 10k / 50k / all jobs of one log (it must not grow with
# the length), and fcfs on a synthetic log of many small jobs (events/s).
set -eu

cd "$(dirname "$0")/.."
OUT=${OUT:-results/bench/engine.txt}
DATA=${DATA:-../shared/data/swf}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

. scripts/bench_build.sh

# run LABEL INPUT OPTIONS...: one line of figures.
run () {
    label=$1; input=$2; shift 2
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$FLURM_SIM" run "$input" -o "$WORK/out" --quiet "$@"
    read -r wall rss <"$WORK/time"
    python3 - "$label" "$wall" "$rss" "$WORK/out/summary.json" <<'PY'
import json, sys
label, wall, rss, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.load(open(path))
jobs = s["jobs"]["total"]
ev = s["engine"]["events"]
w = max(wall, 0.01)
print(f"{label:<44} {jobs:>8} {wall:>8.2f} {rss/1024:>8.1f} {jobs/w:>10.0f} {ev/w:>11.0f}"
      f" {s['wait']['mean']:>12.1f}")
PY
}

header () {
    printf '%-44s %8s %8s %8s %10s %11s %12s\n' "$1" jobs "wall s" "RSS MiB" "jobs/s" \
        "events/s" "mean wait"
}

{
    echo "# flurm-sim engine benchmark ($(date -u +%Y-%m-%d), $(nproc) cores:"
    echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
    echo "# SWF at core granularity, match policy first, queue-depth 32 (Fluxion's default)."
    echo
    header "log / policy"
    for log in lublin_256.swf KTH-SP2-1996-2.1-cln.swf.gz CTC-SP2-1996-3.1-cln.swf.gz \
               SDSC-DS-2004-2.1-cln.swf.gz LLNL-Thunder-2007-1.1-cln.swf.gz; do
        [ -e "$DATA/$log" ] || continue
        for p in fcfs easy; do
            run "$log $p" "$DATA/$log" --queue-policy "$p"
        done
    done
    echo
    echo "# cost per job must not grow with the length of the log"
    header "CTC-SP2 easy, first N jobs"
    for n in 10000 50000 0; do
        lab=$n; [ "$n" = 0 ] && lab=all
        run "CTC-SP2 easy first $lab" "$DATA/CTC-SP2-1996-3.1-cln.swf.gz" \
            --queue-policy easy --max-jobs "$n"
    done
    echo
    echo "# synthetic: 500,000 one-core jobs of 1-100 s on 64 cores, fcfs"
    awk 'BEGIN { print "; MaxProcs: 64"; s = 0;
                 for (i = 1; i <= 500000; i++) { r = 1 + (i * 7919) % 100; s += (i % 3);
                   printf "%d %d -1 %d 1 -1 -1 1 %d -1 1 -1 -1 -1 -1 -1 -1 -1\n", i, s, r, r } }' \
        >"$WORK/synthetic.swf"
    header "synthetic"
    run "synthetic 500k fcfs" "$WORK/synthetic.swf" --queue-policy fcfs
} | tee "$OUT"
