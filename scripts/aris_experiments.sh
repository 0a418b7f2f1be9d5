#!/bin/sh
# scripts/aris_experiments.sh — run the ARIS co-scheduling experiments of
# traces/aris-npb/ and write their tables to results/aris-npb/README.md:
#   1. each measured pair and spread-alone run: per app, compact runtime
#      alone, simulated runtime (median of the runs that ended within the
#      600 s loop, as the measurements were kept), measured runtime, speedup;
#   2. the mixed workload under fcfs and easy, with each pairing rule, with
#      and without co-scheduling: waits, makespan, node-hours, slowdown.
#
#   scripts/aris_experiments.sh        (FLURM_SIM=path overrides build/flurm-sim)
set -eu

cd "$(dirname "$0")/.."
SIM=${FLURM_SIM:-build/flurm-sim}
OUT=${OUT:-results/aris-npb}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

for t in traces/aris-npb/spread-*.yaml traces/aris-npb/pair-*.yaml; do
    name=$(basename "$t" .yaml)
    "$SIM" run "$t" -o "$WORK/$name" --quiet
done
for q in fcfs easy; do
    for r in fifo best-pair avoid-bad easy-cosched; do
        # easy-cosched is easy by definition: run it once, under easy
        [ "$r" = easy-cosched ] && [ "$q" = fcfs ] && continue
        "$SIM" run traces/aris-npb/mixed.yaml -o "$WORK/mixed-$q-$r" --queue-policy "$q" \
            --pairing "$r" --quiet
    done
    "$SIM" run traces/aris-npb/mixed-exclusive.yaml -o "$WORK/mixed-$q-exclusive" \
        --queue-policy "$q" --quiet
done

python3 - "$WORK" models/npb-aris.yaml >"$OUT/README.md.tmp" <<'PY'
import json, os, statistics, sys
sys.path.insert(0, "scripts")
from flurm_results import read_profiles, jobs as read_jobs, loop_median

work, profiles = sys.argv[1], sys.argv[2]
compact, pair = read_profiles(profiles)

def jobs(run):
    return read_jobs(os.path.join(work, run, "jobs.csv"))

def summary(run):
    return json.load(open(os.path.join(work, run, "summary.json")))

print("# ARIS co-scheduling experiments, simulated\n")
print("Written by `scripts/aris_experiments.sh` from `traces/aris-npb/` (empirical model,")
print("`models/npb-aris.yaml`); rerun it after changing the engine or the models.\n")
print("## Pairs and spread-alone runs (600 s loops)\n")
print("Simulated = median run time of the instances that ended by 600 s; measured =")
print("median of the ARIS co-run times [min, max]. Spread alone was never measured:")
print("its rate comes from the analytic fit (fallback).\n")
print("| trace | app | next to | compact alone s | simulated s | measured s | speedup | node-h used / compact |")
print("|---|---|---|---|---|---|---|---|")
for run in sorted(os.listdir(work)):
    if not (run.startswith("pair-") or run.startswith("spread-")):
        continue
    rows = jobs(run)
    s = summary(run)
    apps = sorted({r["app"] for r in rows})
    if run.startswith("pair-"):
        a, b = run[5:].split("+")
    for x in apps:
        sim = loop_median(rows, x, 600)
        if run.startswith("pair-"):
            partner = b if x == a else a
            med, lo, hi = pair[(x, partner)]
            meas = f"{med:.2f} [{lo:.2f}, {hi:.2f}]"
        else:
            partner, meas = "(alone, spread)", "not measured"
        i = s["interference"]
        nh = f"{i['busy_node_hours']:.2f} / {i['exclusive_node_hours']:.2f}"
        print(f"| {run} | {x} | {partner} | {compact[x]:.2f} | {sim:.2f} | {meas} | "
              f"{compact[x] / sim:.3f} | {nh} |")

print("\n## Mixed workload (300 jobs, 64 nodes, offered load 0.9)\n")
print("| queue policy | co-scheduling | mean wait s | p95 wait s | makespan s | node-h used | mean slowdown | fallback job-s |")
print("|---|---|---|---|---|---|---|---|")
for q in ("fcfs", "easy"):
    for r in ("exclusive", "fifo", "best-pair", "avoid-bad", "easy-cosched"):
        run = f"mixed-{q}-{r}"
        if not os.path.isdir(os.path.join(work, run)):
            continue
        s = summary(run)
        i = s["interference"]
        label = "none (whole nodes)" if r == "exclusive" else f"spread, {r}"
        print(f"| {q} | {label} | {s['wait']['mean']:.1f} | {s['wait']['p95']:.1f} | "
              f"{s['makespan']:.1f} | {i['busy_node_hours']:.2f} | {i['mean_slowdown']:.3f} | "
              f"{i['fallback_job_seconds']:.0f} |")
PY
mv "$OUT/README.md.tmp" "$OUT/README.md"
cat "$OUT/README.md"
