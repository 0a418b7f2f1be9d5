# tests/cli/test_plot.sh — scripts/flurm_plot.py on the bundled runs and on
# imported real runs: every plot kind as PNG and SVG, the view each kind of
# run gets, figures that agree with summary.json, identical bytes on a
# rerun, and one-line errors for bad input.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
PLOT=scripts/flurm_plot.py
GOLD=results/golden
IMP=tests/data/import

PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import matplotlib' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    echo "SKIPPED: the plots need a Python 3 with matplotlib (apt-get install python3-matplotlib)"
    exit 77
fi

# drawn OUT: OUT.png is a PNG and OUT.svg an SVG, neither empty.
drawn () {
    sig=$(head -c 8 "$1.png" 2>/dev/null | od -An -c | tr -d ' \n')
    if [ "$sig" = '211PNG\r\n032\n' ] && [ -s "$1.svg" ] && grep -q '<svg' "$1.svg"; then ok
    else bad "$1: no PNG and SVG"; fi
}

# says FILE.svg TEXT: the figure shows TEXT (matplotlib keeps each text of
# an SVG as a comment beside its outline).
says () {
    if grep -F -- "$2" "$1" | grep -q '<!-- '; then ok; else bad "$1 does not say '$2'"; fi
}

# Every kind on the bundled example, one file each.
for kind in gantt utilisation waits; do
    expect_ok "$kind quickstart" "$PY" $PLOT $kind $GOLD/aris-quickstart -o "$TMP/qs-$kind"
    drawn "$TMP/qs-$kind"
done
expect_ok "gantt png only" "$PY" $PLOT gantt $GOLD/aris-quickstart -o "$TMP/one.png"
[ -s "$TMP/one.png" ] && [ ! -e "$TMP/one.svg" ] && ok || bad "-o X.png wrote more than X.png"
# 8 nodes of 2 sockets x 10 cores: a row per core, nodes labelled, every
# axis in units.
says "$TMP/qs-gantt.svg" "aris-quickstart: schedule by node and socket, 42 jobs"
says "$TMP/qs-gantt.svg" "cores, by node (2 sockets x 10 cores; socket boundaries dashed)"
says "$TMP/qs-gantt.svg" "aris7 -->"
says "$TMP/qs-gantt.svg" "time since first submission (s)"
says "$TMP/qs-utilisation.svg" "allocated cores (cores)"
says "$TMP/qs-utilisation.svg" "busy nodes (nodes)"
says "$TMP/qs-utilisation.svg" "aris-quickstart: allocated cores (mean 58.2 % of 160 cores"
says "$TMP/qs-waits.svg" "wait time (s)"
says "$TMP/qs-waits.svg" "bounded slowdown (ratio, tau = 10 s)"
says "$TMP/qs-waits.svg" "cosched"

# all: the three plots and plots.json, whose figures are summary.json's
# (the "all" row of the queues, and the utilisation).
agree () {
    "$PY" - "$1" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1] + "/plots.json"))
s = json.load(open(sys.argv[2] + "/summary.json"))
row = m["queues"][0]
bad = [(k, q, row[k][q], s[sk][q]) for k, sk in (("wait", "wait"), ("bsld", "bounded_slowdown"))
       for q in ("mean", "median", "p95", "max")
       if abs(row[k][q] - s[sk][q]) > 1e-3 * max(1.0, abs(s[sk][q]))]
if abs(m["overall"]["utilisation"] - s["utilisation"]) > 1e-4:
    bad.append(("utilisation", m["overall"]["utilisation"], s["utilisation"]))
if m["overall"]["ran"] != s["jobs"]["completed"] + s["jobs"]["timeout"]:
    bad.append(("ran", m["overall"]["ran"]))
print(bad or "agree")
sys.exit(1 if bad else 0)
EOF
}
# Co-scheduled runs: the pair on 14 nodes still gets a row per core (the
# two apps share every socket); the mixed workload on 64 nodes becomes a
# heat map of cores held and of jobs sharing each node.
PAIR=aris-pair-cg.D.64+mg.E.128
for run in aris-quickstart $PAIR aris-mixed-easy-fifo kth-sp2-first2000-easy; do
    expect_ok "all $run" "$PY" $PLOT all $GOLD/$run -o "$TMP/all-$run"
    for kind in gantt utilisation waits; do drawn "$TMP/all-$run/$kind"; done
    expect_ok "$run figures agree with summary.json" agree "$TMP/all-$run" $GOLD/$run
done
says "$TMP/all-$PAIR/gantt.svg" "$PAIR: schedule by node and socket"
says "$TMP/all-$PAIR/gantt.svg" "mg.E.128"
says "$TMP/all-aris-mixed-easy-fifo/gantt.svg" "aris-mixed: schedule by node, 64 nodes (heat map)"
says "$TMP/all-aris-mixed-easy-fifo/gantt.svg" "co-location: jobs sharing each node"
says "$TMP/all-kth-sp2-first2000-easy/gantt.svg" "time since first submission (days)"
# Any run can be drawn as the heat map.
expect_ok "heat view" "$PY" $PLOT gantt $GOLD/aris-quickstart --view heat -o "$TMP/heat.svg"
says "$TMP/heat.svg" "aris-quickstart: schedule by node, 8 nodes (heat map)"

# Same run, same bytes (PNG, SVG and plots.json).
expect_ok "all again" "$PY" $PLOT all $GOLD/$PAIR -o "$TMP/again"
diff -r "$TMP/all-$PAIR" "$TMP/again" >/dev/null && ok \
    || bad "two plots of one run differ"

# Imported real runs: Flux's jobs (nodes, no cores), Slurm's sacct (nodes,
# epoch times), NPB logs (neither: one row per job); each says so.
expect_ok "import jobs-a" "$FLURM_SIM" import tests/data/flux-outputs/jobs-a.json -o "$TMP/flux.csv"
expect_ok "import sacct" "$FLURM_SIM" import $IMP/sacct/normal.txt -o "$TMP/sacct"
cp "$TMP/sacct/jobs.csv" "$TMP/sacct.csv"
expect_ok "import npb" "$FLURM_SIM" import $IMP/npb/flux_logs -o "$TMP/npb.csv"
for run in "$TMP/flux.csv" "$TMP/sacct" "$TMP/npb.csv"; do
    expect_ok "all $run" "$PY" $PLOT all "$run" -o "$run.plots"
    drawn "$run.plots/gantt"
    drawn "$run.plots/waits"
done
says "$TMP/flux.csv.plots/gantt.svg" "flux: schedule by node (no core allocation recorded), 6 jobs"
says "$TMP/sacct.plots/gantt.svg" "sacct: schedule by node (no core allocation recorded)"
says "$TMP/sacct.plots/gantt.svg" "with no finish (hatched)"
says "$TMP/sacct.plots/utilisation.svg" "busy nodes (nodes)"
says "$TMP/npb.csv.plots/gantt.svg" "npb: schedule by job (no node allocation recorded)"
# The NPB logs hold no core counts: no utilisation, and plots.json says why.
[ ! -e "$TMP/npb.csv.plots/utilisation.png" ] \
    && grep -q 'no job records the cores it held' "$TMP/npb.csv.plots/plots.json" && ok \
    || bad "npb: utilisation drawn without cores"
OAR=$(shared_data npb/g5k-graphene-batsim-jsspp2016/oar_gant_g5k_workload_delay_seed1_size32.json)
if [ -n "$OAR" ]; then
    # 800 jobs of a real OAR execution on 32 Graphene nodes
    expect_ok "import oar" "$FLURM_SIM" import "$OAR" -o "$TMP/oar"
    expect_ok "all oar" "$PY" $PLOT all "$TMP/oar" -o "$TMP/oar.plots"
    for kind in gantt utilisation waits; do drawn "$TMP/oar.plots/$kind"; done
else
    skipped "the OAR Graphene run needs the team's shared data (FLURM_SHARED_DATA)"
fi

# Simulated vs measured runtimes: the measured cg/mg pair against its replay.
expect_ok "compare pair" "$FLURM_SIM" compare $GOLD/$PAIR \
    $IMP/npb/flux_logs -o "$TMP/cmp"
expect_ok "compare plot" "$PY" $PLOT compare "$TMP/cmp" -o "$TMP/cmp-plot"
drawn "$TMP/cmp-plot"
says "$TMP/cmp-plot.svg" "measured runtime, flux_logs (s)"
says "$TMP/cmp-plot.svg" "simulated runtime, aris-pair-cg.D.64+mg.E (s)"
says "$TMP/cmp-plot.svg" "runtimes of 7 paired jobs, MAPE 40.7 %"
says "$TMP/cmp-plot.svg" "y = x"

# A sweep's merged table: the three KTH golden runs as three configurations.
"$PY" - "$TMP/sweep.csv" <<'EOF'
import csv, json, sys
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["run", "queue_policy", "seed", "status", "makespan", "wait_mean", "bsld_mean",
                "utilisation"])
    for p in ["fcfs", "easy", "conservative"]:
        s = json.load(open("results/golden/kth-sp2-first2000-%s/summary.json" % p))
        w.writerow(["queue-policy=" + p, p, 0, "done", s["makespan"], s["wait"]["mean"],
                    s["bounded_slowdown"]["mean"], s["utilisation"]])
EOF
expect_ok "sweep plot" "$PY" $PLOT sweep "$TMP/sweep.csv" --metric wait_mean --by queue_policy \
    -o "$TMP/sweep"
drawn "$TMP/sweep"
says "$TMP/sweep.svg" "wait_mean (s)"
says "$TMP/sweep.svg" "wait_mean per configuration, 3 runs"
says "$TMP/sweep.svg" "conservative"
expect_ok "sweep default metric" "$PY" $PLOT sweep "$TMP/sweep.csv" -o "$TMP/sweep2.svg"
says "$TMP/sweep2.svg" "bsld_mean (ratio)"

# Bad input: one line naming the file and what is wrong, nothing written.
expect_fail "missing run" "flurm_plot.py gantt: $TMP/nope: cannot open" \
    "$PY" $PLOT gantt "$TMP/nope" -o "$TMP/bad"
expect_fail "not a run folder" "flurm_plot.py all: tests/data: not a run folder \(no jobs.csv\)" \
    "$PY" $PLOT all tests/data -o "$TMP/bad"
expect_fail "not a jobs.csv" "compare.csv:1: not a jobs.csv: no column job_id" \
    "$PY" $PLOT waits "$TMP/cmp/compare.csv" -o "$TMP/bad"
sed '2s/,145-149 155-159,/,145-x,/' $GOLD/aris-quickstart/jobs.csv >"$TMP/in-res.csv"
expect_fail "bad allocation" "in-res.csv:2: allocated_resources: '145-x' is not a core" \
    "$PY" $PLOT gantt "$TMP/in-res.csv" -o "$TMP/bad"
sed '3s/^2,0.000,0.000,/2,0.000,soon,/' $GOLD/aris-quickstart/jobs.csv >"$TMP/in-time.csv"
expect_fail "bad time" "in-time.csv:3: column starting_time: 'soon' is not a number" \
    "$PY" $PLOT utilisation "$TMP/in-time.csv" -o "$TMP/bad"
expect_ok "import pool" "$FLURM_SIM" import $IMP/pool/small.json -o "$TMP/pool.csv"
expect_fail "pool has no schedule" "pool.csv: no job has started: no schedule to draw" \
    "$PY" $PLOT gantt "$TMP/pool.csv" -o "$TMP/bad"
expect_fail "core view of an import" "sacct.csv: --view core needs allocated_resources" \
    "$PY" $PLOT gantt "$TMP/sacct.csv" --view core -o "$TMP/bad"
expect_fail "compare of a run" "aris-quickstart: not a compare result \(no compare.csv\)" \
    "$PY" $PLOT compare $GOLD/aris-quickstart -o "$TMP/bad"
expect_fail "unknown metric" "sweep.csv:1: no column nosuch \(numeric columns: seed, makespan" \
    "$PY" $PLOT sweep "$TMP/sweep.csv" --metric nosuch -o "$TMP/bad"
expect_fail "text metric" "sweep.csv: column queue_policy is not numeric" \
    "$PY" $PLOT sweep "$TMP/sweep.csv" --metric queue_policy -o "$TMP/bad"
expect_fail "no output folder" "$TMP/none: no such folder" \
    "$PY" $PLOT waits $GOLD/aris-quickstart -o "$TMP/none/w"
expect_fail "usage" "flurm_plot.py gantt: the following arguments are required: -o" \
    "$PY" $PLOT gantt $GOLD/aris-quickstart
"$PY" $PLOT gantt $GOLD/aris-quickstart 2>/dev/null
[ $? -eq 2 ] && ok || bad "wrong usage does not exit 2"
left=$(find "$TMP" -name 'bad*' -o -name '.*.png.*' -o -name '.*.svg.*' -o -name '.plots.json.*')
[ -z "$left" ] && ok || bad "a failed plot left files: $left"

finish
