# tests/cli/test_golden.sh — rerun every bundled trace and compare it with
# its expected outputs under results/golden/ (flurm-sim check), re-check
# each schedule (flurm-sim validate), and check the errors of bad runs.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1

# golden NAME INPUT [OPTIONS...]: run INPUT with OPTIONS, compare with
# results/golden/NAME, validate the schedule, and rerun for identical bytes.
golden () {
    name=$1; shift
    expect_ok "run $name" "$FLURM_SIM" run "$@" -o "$TMP/$name" --check --quiet
    expect_ok "check $name" "$FLURM_SIM" check "$TMP/$name" "results/golden/$name"
    expect_ok "validate $name" "$FLURM_SIM" validate "$TMP/$name"
    expect_ok "rerun $name" "$FLURM_SIM" run "$@" -o "$TMP/$name.again" --quiet
    if cmp -s "$TMP/$name/jobs.csv" "$TMP/$name.again/jobs.csv" \
       && cmp -s "$TMP/$name/summary.json" "$TMP/$name.again/summary.json"; then ok
    else bad "$name: two runs differ"; fi
}

golden aris-quickstart traces/aris-quickstart.yaml
KTH=traces/swf/KTH-SP2-1996-2.1-cln.first2000.swf
golden kth-sp2-first2000-fcfs $KTH --queue-policy fcfs
golden kth-sp2-first2000-easy $KTH --queue-policy easy
golden kth-sp2-first2000-conservative $KTH --queue-policy conservative
# co-scheduling: a measured ARIS pair, and the mixed workload under the two
# pairing rules that change placements most
golden aris-pair-cg.D.64+mg.E.128 traces/aris-npb/pair-cg.D.64+mg.E.128.yaml
golden aris-mixed-easy-fifo traces/aris-npb/mixed.yaml
golden aris-mixed-easy-avoid-bad traces/aris-npb/mixed.yaml --pairing avoid-bad

# `flurm-sim INPUT` means run.
expect_ok "implicit run" "$FLURM_SIM" traces/aris-quickstart.yaml -o "$TMP/implicit" --quiet

# check reports a difference and exits 1.
cp -r results/golden/kth-sp2-first2000-easy "$TMP/changed"
sed -i '2s/^1,\([0-9.]*\),\([0-9.]*\),/1,\1,99.000,/' "$TMP/changed/jobs.csv"
"$FLURM_SIM" check "$TMP/changed" results/golden/kth-sp2-first2000-easy >"$TMP/out" 2>&1
if [ $? -eq 1 ] && grep -q 'job 1: starting_time 99.000' "$TMP/out"; then ok
else bad "check did not report the changed start: $(head -c 300 "$TMP/out")"; fi

# validate catches a core held twice.
printf 'job_id,submission_time,starting_time,finish_time,allocated_resources\n1,0,0,10,0-1\n2,0,5,15,1-2\n' \
    >"$TMP/overlap.csv"
"$FLURM_SIM" validate "$TMP/overlap.csv" >"$TMP/out" 2>&1
if [ $? -eq 1 ] && grep -q 'takes core 1 at 5.000 while job 1' "$TMP/out"; then ok
else bad "validate missed the overlap: $(head -c 300 "$TMP/out")"; fi

# Bad input: one line naming the place.
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1, color: red}\n' >"$TMP/bad.yaml"
expect_fail "unknown job key" "bad.yaml:4:.*unknown key 'color'" "$FLURM_SIM" run "$TMP/bad.yaml" -o "$TMP/bad"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1, walltime: 0}\n' >"$TMP/bad2.yaml"
expect_fail "zero walltime" "bad2.yaml:4:.*walltime must be > 0" "$FLURM_SIM" run "$TMP/bad2.yaml" -o "$TMP/bad"
printf 'name: x\ncluster: {nodes: 1}\njobs: []\n' >"$TMP/empty.yaml"
expect_fail "empty trace" "empty.yaml:3:.*jobs is empty" "$FLURM_SIM" run "$TMP/empty.yaml" -o "$TMP/bad"
expect_fail "unknown policy" "unknown queue policy 'sjf'" "$FLURM_SIM" run $KTH --queue-policy sjf
printf '; MaxProcs: 4\n1 0 -1 10 1 -1 -1 1 10 -1 1 -1 -1 -1 -1 -1\n' >"$TMP/short.swf"
expect_fail "short SWF line" "short.swf:2:" "$FLURM_SIM" run "$TMP/short.swf" -o "$TMP/bad"
if [ -e "$TMP/bad/jobs.csv" ]; then bad "a failed run left jobs.csv"; else ok; fi
# `flurm-sim INPUT` with a missing file says so, not "unknown command".
expect_fail "missing input" "^flurm-sim run: .*nowhere.yaml: cannot open" "$FLURM_SIM" "$TMP/nowhere.yaml"
expect_fail "unknown command" "^flurm-sim: unknown command 'bogus'" "$FLURM_SIM" bogus
finish
