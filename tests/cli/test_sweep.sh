# tests/cli/test_sweep.sh — flurm-sim sweep end to end on the bundled
# sweeps: the 24-run ARIS sweep runs in parallel and merges, its runs are
# the runs `flurm-sim run` makes (golden ones included), a second pass
# redoes nothing and writes the same bytes, a failed run is named and the
# rest merged; the files emitted for Slurm and Flux pass their shells'
# syntax checks and run (the Slurm tasks by hand, the Flux list in a test
# instance where `flux` is on PATH); bad input fails with one line.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
S=$TMP/mixed
EASY_FIFO="queue-policy=easy,pairing=fifo,load-factor=1"

# csv_column FILE NAME: the NAME column of every row, one per line.
csv_column () {
    python3 - "$1" "$2" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    print(row[sys.argv[2]])
PY
}

# 0. The two run options the axes need.  --load-factor F divides submit
# times by F and says so; --nodes resizes a generated cluster or an SWF
# machine, and refuses a cluster read from a graph file.
expect_ok "load factor 2" "$FLURM_SIM" run traces/aris-quickstart.yaml --load-factor 2 \
    -o "$TMP/lf2" --quiet
python3 - "$TMP/lf2" results/golden/aris-quickstart <<'PY' && ok || bad "load factor 2 outputs"
import csv, json, sys
run, gold = sys.argv[1:]
def submits(d):  # the first instance of each job (a repeated one resubmits when it ends)
    first = {}
    for r in csv.DictReader(open(d + "/jobs.csv")):
        first.setdefault(r["name"], float(r["submission_time"]))
    return first
a, b = submits(run), submits(gold)
assert a.keys() == b.keys() and all(abs(a[k] - b[k] / 2) < 1e-3 for k in a), "submit times"
assert json.load(open(run + "/config.json"))["load-factor"] == 2
assert "submit times divided by 2 (load factor)" in json.load(open(run + "/summary.json"))["notes"]
PY
expect_ok "12 nodes" "$FLURM_SIM" run traces/aris-quickstart.yaml --nodes 12 -o "$TMP/n12" --quiet
grep -q '"cores": 240,' "$TMP/n12/summary.json" && grep -q '"nodes": 12' "$TMP/n12/config.json" \
    && ok || bad "--nodes 12 did not make 240 cores"
expect_ok "swf on 50 nodes" "$FLURM_SIM" run traces/swf/KTH-SP2-1996-2.1-cln.first2000.swf \
    --nodes 50 -o "$TMP/kth50" --quiet
python3 -c "import json; s=json.load(open('$TMP/kth50/summary.json')); \
assert s['cores'] == 50 and s['skipped']['total'] > 0, s['skipped']" && ok \
    || bad "--nodes 50 on the SWF machine"
printf 'name: g\ncluster: {graph: %s}\njobs:\n  - {name: a, runtime: 10, ntasks: 4}\n' \
    "$FLURM_TEST_DATA/fluxion-conformance/graphs/aris4.json" >"$TMP/graph.yaml"
expect_fail "--nodes on a graph file" "graph.yaml:2:18: cannot resize to 3 nodes a cluster" \
    "$FLURM_SIM" run "$TMP/graph.yaml" --nodes 3 -o "$TMP/g3"
expect_fail "--load-factor 0" "--load-factor '0': expected a number from 0.001 to 1000" \
    "$FLURM_SIM" run traces/aris-quickstart.yaml --load-factor 0 -o "$TMP/lf0"

# 1. The bundled 24-run sweep, two runs at a time.
expect_ok "sweep of 24 runs" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$S" -j 2
grep -q '24 runs, 0 done already, 24 to do (2 at a time)' "$TMP/out" && ok \
    || bad "sweep header: $(head -1 "$TMP/out")"
grep -Eq '^ +23  conservative  best-pair +1\.25 +300 ' "$TMP/out" && ok \
    || bad "the table lacks run 23: $(tail -3 "$TMP/out")"
[ "$(wc -l <"$S/sweep.csv")" -eq 25 ] && ok || bad "sweep.csv has $(wc -l <"$S/sweep.csv") lines"
[ "$(csv_column "$S/sweep.csv" status | sort -u)" = done ] && ok || bad "not every run is done"
[ "$(csv_column "$S/sweep.csv" jobs_completed | sort -u)" = 300 ] && ok \
    || bad "a run did not complete its 300 jobs"
[ "$(find "$S" -name summary.json | wc -l)" -eq 24 ] && ok || bad "not 24 run folders"
[ -z "$(find "$S" -name run.log)" ] && ok || bad "an empty run.log was left behind"
python3 -c "import json,sys; d=json.load(open('$S/sweep.json')); assert d['nruns']==24 and \
len(d['runs'])==24" && ok || bad "sweep.json"
# Its runs are those of flurm-sim run: at the trace's load, easy with fifo
# and with avoid-bad are the golden runs.
expect_ok "easy/fifo is golden" "$FLURM_SIM" check "$S/$EASY_FIFO" \
    results/golden/aris-mixed-easy-fifo
expect_ok "easy/avoid-bad is golden" "$FLURM_SIM" check \
    "$S/queue-policy=easy,pairing=avoid-bad,load-factor=1" results/golden/aris-mixed-easy-avoid-bad
# The load-factor axis does what it says: a quarter more load, longer waits.
python3 - "$S/sweep.csv" <<'PY' && ok || bad "load factor 1.25 does not wait longer"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
wait = {(r["queue-policy"], r["pairing"], r["load-factor"]): float(r["wait_mean"]) for r in rows}
for (q, p, lf), w in wait.items():
    if lf == "1":
        assert wait[(q, p, "1.25")] > w, (q, p)
PY

# 2. Again: nothing redone, the same bytes.
cp "$S/sweep.csv" "$TMP/first.csv"
before=$(stat -c %Y.%y "$S/$EASY_FIFO/summary.json")
expect_ok "second pass" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$S" -j 1
grep -q '24 done already, 0 to do' "$TMP/out" && ok || bad "second pass: $(head -1 "$TMP/out")"
cmp -s "$S/sweep.csv" "$TMP/first.csv" && ok || bad "second pass changed sweep.csv"
[ "$(stat -c %Y.%y "$S/$EASY_FIFO/summary.json")" = "$before" ] && ok || bad "a run was redone"
# A run removed is done again, one at a time, to the same bytes.
rm -r "${S:?}/$EASY_FIFO"
expect_ok "resume" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$S" -j 1 --quiet
cmp -s "$S/sweep.csv" "$TMP/first.csv" && ok || bad "-j 1 after -j 2 changed sweep.csv"
expect_ok "merge only" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$S" --merge-only --quiet
cmp -s "$S/sweep.csv" "$TMP/first.csv" && ok || bad "--merge-only changed sweep.csv"

# 3. A failing run: its error line, the other runs merged, exit 1.
cat >"$TMP/nodes.yaml" <<EOF
name: nodes
trace: $ROOT/traces/aris-npb/mixed.yaml
axes:
  nodes: [64, 2]
EOF
why="flurm-sim run: .*job 'j001' .*can never be placed on this cluster of 2 nodes"
expect_fail "a run fails" "^flurm-sim sweep: run nodes=2 failed \(.*/nodes=2/run.log\): $why\$" \
    "$FLURM_SIM" sweep "$TMP/nodes.yaml" -o "$TMP/nodes"
[ "$(csv_column "$TMP/nodes/sweep.csv" status | tr '\n' ' ')" = "done missing " ] && ok \
    || bad "nodes sweep.csv: $(cat "$TMP/nodes/sweep.csv")"
expect_fail "merge with a run missing" "nodes: 1 of 2 runs have no summary.json" \
    "$FLURM_SIM" sweep "$TMP/nodes.yaml" -o "$TMP/nodes" --merge-only --quiet

# 4. --dry-run lists every run with its command and writes nothing.
expect_ok "dry run" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$TMP/dry" --dry-run
[ "$(grep -c ' to-do .* run .*mixed.yaml -o ' "$TMP/out")" -eq 24 ] && [ ! -e "$TMP/dry" ] && ok \
    || bad "dry run: $(head -2 "$TMP/out")"

# 5. Slurm: an array script that passes bash -n (and shellcheck); its task K
# runs configuration K; run without a task id, it submits itself with the
# variables.
expect_ok "emit slurm" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$TMP/slurm" --emit slurm
expect_ok "sweep.sbatch syntax" bash -n "$TMP/slurm/sweep.sbatch"
if command -v shellcheck >/dev/null 2>&1; then
    expect_ok "sweep.sbatch shellcheck" shellcheck "$TMP/slurm/sweep.sbatch"
else
    skipped "shellcheck of sweep.sbatch needs shellcheck"
fi
grep -qx '#SBATCH --array=0-23' "$TMP/slurm/sweep.sbatch" && ok || bad "no --array=0-23"
[ "$(wc -l <"$TMP/slurm/runs.txt")" -eq 24 ] && ok || bad "runs.txt is not 24 lines"
name=$(sed -n 9p "$TMP/slurm/runs.txt" | cut -f 2)
[ "$name" = "$EASY_FIFO" ] && ok || bad "runs.txt line 9 is '$name'"
expect_ok "array task 8" env SLURM_ARRAY_TASK_ID=8 bash "$TMP/slurm/sweep.sbatch"
cmp -s "$TMP/slurm/$name/summary.json" "$S/$name/summary.json" && ok \
    || bad "task 8 did not run configuration 8 as the local sweep did"
expect_ok "array task 8 again" env SLURM_ARRAY_TASK_ID=8 bash "$TMP/slurm/sweep.sbatch"
grep -q 'is done already' "$TMP/out" && ok || bad "task 8 ran again: $(cat "$TMP/out")"
mkdir "$TMP/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s"\n' "$TMP/sbatch.args" >"$TMP/bin/sbatch"
chmod +x "$TMP/bin/sbatch"
expect_ok "submit" env PATH="$TMP/bin:$PATH" PARTITION=compute ACCOUNT=pa000 TIME=00:05:00 \
    bash "$TMP/slurm/sweep.sbatch"
[ "$(tr '\n' ' ' <"$TMP/sbatch.args")" = \
  "--time=00:05:00 --partition=compute --account=pa000 $TMP/slurm/sweep.sbatch " ] && ok \
    || bad "sbatch got: $(cat "$TMP/sbatch.args")"

# 6. Flux: a bulksubmit list and a script that passes sh -n (and
# shellcheck); in a test instance it runs every run, and merging what it
# left gives the local sweep's bytes.
expect_ok "emit flux" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$TMP/flux" --emit flux
grep -q '^24 of 24 runs to do' "$TMP/out" && ok || bad "emit flux: $(cat "$TMP/out")"
expect_ok "run-flux.sh syntax" sh -n "$TMP/flux/run-flux.sh"
if command -v shellcheck >/dev/null 2>&1; then
    expect_ok "run-flux.sh shellcheck" shellcheck "$TMP/flux/run-flux.sh"
fi
[ "$(wc -l <"$TMP/flux/flux-bulksubmit.txt")" -eq 24 ] && ok || bad "flux list is not 24 lines"
if command -v flux >/dev/null 2>&1 && flux version >/dev/null 2>&1; then
    expect_ok "flux bulksubmit" flux start --test-size=1 sh "$TMP/flux/run-flux.sh"
    expect_ok "merge the flux runs" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$TMP/flux" \
        --merge-only --quiet
    cmp -s "$TMP/flux/sweep.csv" "$TMP/first.csv" && ok \
        || bad "the Flux runs differ from the local ones"
    expect_ok "emit flux again" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -o "$TMP/flux" --emit flux
    grep -q '^0 of 24 runs to do' "$TMP/out" && ok || bad "emit again: $(cat "$TMP/out")"
else
    skipped "running the Flux list needs flux (flux-core) on PATH"
fi

# 7. The SWF sweep: at the logged load, fcfs, easy and conservative are
# the golden KTH runs.
expect_ok "swf sweep" "$FLURM_SIM" sweep sweeps/kth-sp2-load.yaml -o "$TMP/kth" --quiet
[ "$(wc -l <"$TMP/kth/sweep.csv")" -eq 13 ] && ok || bad "kth sweep.csv"
for p in fcfs easy conservative; do
    expect_ok "kth $p is golden" "$FLURM_SIM" check "$TMP/kth/load-factor=1,queue-policy=$p" \
        "results/golden/kth-sp2-first2000-$p"
done

# 8. Bad input: one line each, nothing run.
printf 'name: bad\ntrace: %s\naxes:\n  queue-policy: [easy]\n  colour: [red]\n' \
    "$ROOT/traces/aris-quickstart.yaml" >"$TMP/bad.yaml"
expect_fail "unknown axis" "bad.yaml:5:3: unknown axis 'colour'" \
    "$FLURM_SIM" sweep "$TMP/bad.yaml" -o "$TMP/bad"
[ ! -e "$TMP/bad" ] && ok || bad "a bad sweep file left a folder"
expect_fail "no sweep file" "nope.yaml: cannot open" "$FLURM_SIM" sweep "$TMP/nope.yaml"
expect_fail "-j 0" "--jobs 0" "$FLURM_SIM" sweep sweeps/aris-mixed.yaml -j 0
expect_fail "--emit pbs" "--emit 'pbs': expected flux or slurm" \
    "$FLURM_SIM" sweep sweeps/aris-mixed.yaml --emit pbs
expect_fail "two modes" "exclude each other" \
    "$FLURM_SIM" sweep sweeps/aris-mixed.yaml --merge-only --dry-run
# a folder made for another sweep is not mixed with this one
expect_fail "another sweep's folder" "sweep.json: this folder holds a sweep of another trace" \
    "$FLURM_SIM" sweep "$TMP/nodes.yaml" -o "$S"

finish
