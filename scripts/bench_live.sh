#!/bin/sh
# scripts/bench_live.sh — is submitting the bottleneck of a live replay?
# 1,000 test-execution jobs (4 cores each, 1 ms under time scale 0) on a
# private 2-broker instance shaped like two ARIS nodes, replayed as fast as
# possible by `flurm-sim live --time-scale 0`, decided by Fluxion and by
# Flurm, side by side with Flux's own bulk submitter (`flux submit --cc`,
# one Python process pipelining its requests) on an identical instance.
# Writes results/bench/live.txt.  Needs flux (with Fluxion) on PATH.
#
#   JOBS=N                  another job count (default 1000)
#   MAX_RUNNING="4 8 16"    with --no-agent: flux commands in flight to try (default 8)
#   FLURM_SIM=path          the binary (default: built optimised in $TMPDIR)
#   OUT=FILE                write the report elsewhere
set -eu

cd "$(dirname "$0")/.."
OUT=${OUT:-results/bench/live.txt}
JOBS=${JOBS:-1000}
MAX_RUNNING=${MAX_RUNNING:-8}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v flux >/dev/null || { echo "bench_live: needs flux on PATH" >&2; exit 1; }

. scripts/bench_build.sh

cat >"$WORK/trace.yaml" <<YAML
name: live-bench
seed: 1
cluster: {nodes: 2, sockets: 2, cores-per-socket: 10, prefix: aris}
scheduler: {queue-policy: fcfs, match-policy: first}
jobs:
  - {name: j, ntasks: 4, runtime: 10, walltime: 20, count: $JOBS}
YAML

{
    echo "# scripts/bench_live.sh, $(date -u +%Y-%m-%d), $(flux version | head -1 | tr -s ' \t' ' ')"
    echo "# $(nproc) cores; $JOBS jobs of 4 cores, test execution, 2 brokers (aris[0-1])"
    printf '%-34s %10s %10s %12s %10s\n' "how" "submit s" "jobs/s" "all done s" "peak MiB"

    # Flux's own bulk submission, on the instance flurm-sim would start.
    "$FLURM_SIM" topo --hosts 'aris[0-1]' --flux-config "$WORK/conf" --match-policy first \
        --queue-policy fcfs >/dev/null
    cat >"$WORK/bulk.sh" <<SH
t0=\$(date +%s.%N)
flux submit --cc=1-$JOBS --quiet -n4 --setattr=system.exec.test.run_duration=0.001s \
    --flags=waitable true
t1=\$(date +%s.%N)
flux job wait --all >/dev/null 2>&1 || true
t2=\$(date +%s.%N)
echo "\$t0 \$t1 \$t2" >"$WORK/bulk.times"
SH
    /usr/bin/time -f '%M' -o "$WORK/time" \
        flux start --test-size=2 --test-hosts='aris[0-1]' -c "$WORK/conf" sh "$WORK/bulk.sh"
    python3 - "$WORK/bulk.times" "$WORK/time" "$JOBS" <<'PY'
import sys
t0, t1, t2 = map(float, open(sys.argv[1]).read().split())
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
n = int(sys.argv[3])
print(f"{'flux submit --cc (reference)':34s} {t1 - t0:10.2f} {n / (t1 - t0):10.1f} {t2 - t0:12.2f} {rss:10.0f}")
PY

    # live: LABEL OPTIONS...: one row.
    live () {
        label=$1; shift
        /usr/bin/time -f '%M' -o "$WORK/time" "$FLURM_SIM" live "$WORK/trace.yaml" \
            --start 2 --time-scale 0 -o "$WORK/out" --quiet "$@"
        python3 - "$WORK/out/summary.json" "$WORK/time" "$label" <<'PY'
import json, sys
live = json.load(open(sys.argv[1]))["live"]
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print(f"{sys.argv[3]:34s} {live['submit_seconds']:10.2f} {live['submit_rate']:10.1f} {live['wall_seconds']:12.2f} {rss:10.0f}")
PY
    }
    for decide in flux flurm; do
        live "live --decide $decide" --decide $decide
        for k in $MAX_RUNNING; do
            live "live --decide $decide --no-agent -j$k" --decide $decide --no-agent \
                --max-running "$k"
        done
    done
} | tee "$OUT"
