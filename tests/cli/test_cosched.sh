# tests/cli/test_cosched.sh — co-scheduled traces from the command line:
# the ARIS pair traces run and print their table, the bundled traces are
# what their generator writes, and bad co-scheduling input gets one line.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
PAIR=traces/aris-npb/pair-cg.D.64+ep.E.256.yaml

# A measured pair: the table names both apps with their measured speedups
# (cg.D.64 next to ep.E.256: 1.183; ep.E.256 next to cg.D.64: 0.976).  The
# medians take every completed run, also those that ran on alone after the
# 600 s loop (tests/unit/test_aris_pairs.c checks the loop's runs exactly).
expect_ok "pair trace" "$FLURM_SIM" run "$PAIR" -o "$TMP/pair" --check
if grep -Eq '^cg\.D\.64 +[0-9]+ +183\.43 s +155\.[0-9]+ s +1\.18[0-9]$' "$TMP/out" \
   && grep -Eq '^ep\.E\.256 +[0-9]+ +145\.94 s +149\.60 s +0\.976$' "$TMP/out"; then ok
else bad "pair table: $(head -c 600 "$TMP/out")"; fi
grep -q '"interference"' "$TMP/pair/summary.json" && ok || bad "no interference block"
head -1 "$TMP/pair/jobs.csv" | grep -q ',isolated_time,slowdown_interference,corunners$' && ok \
    || bad "jobs.csv header: $(head -1 "$TMP/pair/jobs.csv")"
expect_ok "validate pair" "$FLURM_SIM" validate "$TMP/pair"

# Every pairing rule and the analytic model run the mixed workload with the
# invariants checked; the exclusive baseline shares no socket.
for rule in fifo best-pair avoid-bad easy-cosched; do
    expect_ok "mixed $rule" "$FLURM_SIM" run traces/aris-npb/mixed.yaml -o "$TMP/m-$rule" \
        --pairing "$rule" --check --quiet
done
expect_ok "mixed analytic" "$FLURM_SIM" run traces/aris-npb/mixed.yaml -o "$TMP/m-an" \
    --interference analytic --check --quiet
expect_ok "mixed exclusive" "$FLURM_SIM" run traces/aris-npb/mixed-exclusive.yaml \
    -o "$TMP/m-ex" --check --quiet
grep -q '"colocated_job_seconds": 0.0' "$TMP/m-ex/summary.json" && ok \
    || bad "exclusive jobs shared sockets"

# The bundled traces are exactly what the generator writes.
if command -v python3 >/dev/null; then
    expect_ok "traces up to date" python3 scripts/gen_aris_traces.py --check
    expect_ok "profiles up to date" python3 scripts/gen_npb_model.py -o "$TMP/npb.yaml"
    cmp -s "$TMP/npb.yaml" models/npb-aris.yaml && ok || bad "models/npb-aris.yaml is stale"
fi

# Bad input: one line naming the place.
M="$ROOT/models"
trace () { printf 'name: x\ncluster: {model: %s/aris.yaml, nodes: 4}\n%s\n' "$M" "$1" >"$TMP/$2"; }
trace "apps: $M/npb-aris.yaml
interference: none
jobs: [{app: cg.Z.64, ntasks: 64}]" unknown-app.yaml
expect_fail "unknown app" "unknown-app.yaml:5:.*unknown app 'cg.Z.64'" \
    "$FLURM_SIM" run "$TMP/unknown-app.yaml" -o "$TMP/bad"
trace "interference: empirical
jobs: [{runtime: 5, ntasks: 4}]" no-apps.yaml
expect_fail "model without profiles" "no-apps.yaml:3:.*needs apps: PROFILE.yaml" \
    "$FLURM_SIM" run "$TMP/no-apps.yaml" -o "$TMP/bad"
trace "interference: guesswork
jobs: [{runtime: 5, ntasks: 4}]" bad-kind.yaml
expect_fail "unknown model" "bad-kind.yaml:3:.*unknown interference model" \
    "$FLURM_SIM" run "$TMP/bad-kind.yaml" -o "$TMP/bad"
trace "scheduler: {pairing: romance}
jobs: [{runtime: 5, ntasks: 4}]" bad-rule.yaml
expect_fail "unknown pairing" "bad-rule.yaml:3:.*unknown pairing rule 'romance'" \
    "$FLURM_SIM" run "$TMP/bad-rule.yaml" -o "$TMP/bad"
trace "scheduler: {pairing-threshold: -1}
jobs: [{runtime: 5, ntasks: 4}]" bad-threshold.yaml
expect_fail "negative threshold" "bad-threshold.yaml:3:.*pairing-threshold must be a rate" \
    "$FLURM_SIM" run "$TMP/bad-threshold.yaml" -o "$TMP/bad"
trace "scheduler: {queues: {c: {alloc: spread, share: maybe}}}
jobs: [{runtime: 5, ntasks: 4}]" bad-share.yaml
expect_fail "share not a boolean" "bad-share.yaml:3:" \
    "$FLURM_SIM" run "$TMP/bad-share.yaml" -o "$TMP/bad"
# the pair needs 28 nodes; on 4 the large job can never be placed
sed 's/nodes: 28}/nodes: 4}/' "$PAIR" >"$TMP/small-pair.yaml"
sed -i "s|\.\./\.\./models|$M|g" "$TMP/small-pair.yaml"
expect_fail "pair too small" "job 'ep.E.256' \(260 cores, spread\) can never be placed on this cluster of 4 nodes" \
    "$FLURM_SIM" run "$TMP/small-pair.yaml" -o "$TMP/bad"
printf 'name: aris\nnodes: 4\nsockets: 2\ncores-per-socket: -10\n' >"$TMP/neg-model.yaml"
printf 'name: x\ncluster: {model: neg-model.yaml}\njobs: [{runtime: 5, ntasks: 4}]\n' \
    >"$TMP/uses-neg.yaml"
expect_fail "negative model figure" "neg-model.yaml:4:" \
    "$FLURM_SIM" run "$TMP/uses-neg.yaml" -o "$TMP/bad"
expect_fail "unknown --pairing" "--pairing: unknown pairing rule" \
    "$FLURM_SIM" run "$PAIR" -o "$TMP/bad" --pairing nope
expect_fail "unknown --interference" "--interference: unknown interference model" \
    "$FLURM_SIM" run "$PAIR" -o "$TMP/bad" --interference nope
if [ -e "$TMP/bad" ]; then bad "a failed run left outputs"; else ok; fi
finish
