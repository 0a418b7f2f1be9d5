# tests/cli/test_compare.sh — import real runs and compare runs: every
# importer from the command line, the pairing report, the tolerance's exit
# status, and bad input.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
IMP=tests/data/import
GOLD=results/golden

# Each kind is told by content and written as a jobs.csv with Flurm's columns.
for run in "$IMP/npb/flux_logs" "$IMP/sacct/normal.txt" "$IMP/flux/marked.jobs.json" \
           "$IMP/pool/small.json" "$IMP/batsim/various-profiles.json" \
           tests/data/flux-outputs/01-completed-spread10.jobs.json; do
    name=$(basename "$run")
    expect_ok "import $name" "$FLURM_SIM" import "$run" -o "$TMP/imp-$name"
    head -1 "$TMP/imp-$name/jobs.csv" | grep -q '^job_id,submission_time,starting_time,' && ok \
        || bad "import $name: header $(head -1 "$TMP/imp-$name/jobs.csv")"
done
# The NPB logs keep their failed and truncated runs, marked and counted.
"$FLURM_SIM" import "$IMP/npb/flux_logs" -o "$TMP/npb" >"$TMP/out" 2>&1
grep -q 'failed their verification.*kept, marked verification-failed' "$TMP/out" && ok \
    || bad "npb notes: $(cat "$TMP/out")"
grep -q ',verification-failed,' "$TMP/npb/jobs.csv" && ok || bad "no verification-failed row"

# Profiles from reference runs: the NPB logs' run alone profiles ep.E.256;
# the pair runs of apps never measured alone are left out, and said so.
expect_ok "profile from logs" "$FLURM_SIM" profile "$IMP/npb/flux_logs" --machine aris \
    --measured "test fixture" -o "$TMP/prof.yaml"
grep -q '1 apps, 0 measured pairs' "$TMP/out" && grep -q 'never measured alone' "$TMP/out" \
    && ok || bad "profile: $(cat "$TMP/out")"
expect_fail "calibrate without pairs" "prof.yaml: no measured pair to fit" \
    "$FLURM_SIM" calibrate "$TMP/prof.yaml" --no-loo
expect_fail "profile without provenance" "--machine, --measured" \
    "$FLURM_SIM" profile "$IMP/npb/flux_logs" -o "$TMP/prof2.yaml"
POOL=$(shared_data npb/aris-elise/lm-aris.compute-NAS.json)
if [ -n "$POOL" ]; then
    # calibrating from the measured runs fits what the committed fit says
    expect_ok "profile pool" "$FLURM_SIM" profile "$POOL" --machine aris.compute \
        --measured "ELiSE" -o "$TMP/pool.yaml"
    expect_ok "calibrate pool" "$FLURM_SIM" calibrate "$TMP/pool.yaml" --no-loo
    grep -q 'RMSE 0.1065' "$TMP/out" && ok || bad "pool fit: $(head -3 "$TMP/out")"
else
    skipped "profiling the ELiSE pool needs the team's shared data (FLURM_SHARED_DATA)"
fi

# The real OAR execution of the Graphene workload: 800 jobs, a valid schedule.
OAR=$(shared_data npb/g5k-graphene-batsim-jsspp2016/oar_gant_g5k_workload_delay_seed1_size32.json)
if [ -n "$OAR" ]; then
    expect_ok "import oar" "$FLURM_SIM" import "$OAR" -o "$TMP/oar"
    grep -q ': 800 jobs (oar, times epoch)' "$TMP/out" && ok || bad "oar: $(cat "$TMP/out")"
    expect_ok "validate oar" "$FLURM_SIM" validate "$TMP/oar"
    # The Graphene replay against the real OAR execution, paired by Batsim
    # id: all 800 pair, and the makespans agree within a second.
    G=$(dirname "$OAR")
    expect_ok "graphene trace current" python3 scripts/gen_graphene_trace.py --check \
        --workload "$G/g5k_workload_delay_seed1_size32.json"
    expect_ok "import oar mapped" "$FLURM_SIM" import "$OAR" -o "$TMP/oarmap" \
        --oar-mapping "$G/g5k_workload_delay_seed1_size32-job_id_mapping.csv" \
        --batsim-workload "$G/g5k_workload_delay_seed1_size32.json"
    expect_ok "graphene run" "$FLURM_SIM" run traces/graphene/graphene-800.yaml -o "$TMP/gr" \
        --quiet --check
    expect_ok "graphene compare" "$FLURM_SIM" compare "$TMP/gr" "$TMP/oarmap" --by name \
        -o "$TMP/grcmp"
    python3 - "$TMP/grcmp/compare.json" <<'PY' && ok || bad "graphene compare figures"
import json, sys
c = json.load(open(sys.argv[1]))
a = c["aggregate"]
assert c["pairs"] == 800 and not c["unpaired_a"] and not c["unpaired_b"], c["pairs"]
assert abs(a["makespan_a"] - a["makespan_b"]) < 1, (a["makespan_a"], a["makespan_b"])
assert c["all"]["runtime_mape"] < 0.05, c["all"]["runtime_mape"]
PY
else
    skipped "the OAR import needs the team's shared data (FLURM_SHARED_DATA)"
fi

# A run against itself: every job paired by id, no error, within 0 %.
E=$GOLD/kth-sp2-first2000-easy
C=$GOLD/kth-sp2-first2000-conservative
expect_ok "self" "$FLURM_SIM" compare "$E" "$E" --tolerance 0 -o "$TMP/cmp"
grep -q '^paired by id: 2000 pairs$' "$TMP/out" && grep -q 'within the tolerance of 0.0 %' \
    "$TMP/out" && ok || bad "self compare: $(head -c 400 "$TMP/out")"
[ -s "$TMP/cmp/compare.csv" ] && [ -s "$TMP/cmp/compare.json" ] && ok || bad "no compare files"
# easy against conservative differs by more than 1 %: exit 1, saying what.
"$FLURM_SIM" compare "$E" "$C" --tolerance 0.01 >"$TMP/out" 2>&1
if [ $? -eq 1 ] && grep -q '^FAIL: .*beyond the tolerance of 1.0 %' "$TMP/out"; then ok
else bad "tolerance: $(tail -c 300 "$TMP/out")"; fi

# Bad input: one line, non-zero.
printf 'hello\n' >"$TMP/what.txt"
expect_fail "unknown kind of file" "what.txt: not a run Flurm can read" \
    "$FLURM_SIM" compare "$TMP/what.txt" "$E"
expect_fail "unknown --by" "--by: unknown way to pair jobs 'colour'" \
    "$FLURM_SIM" compare "$E" "$E" --by colour
expect_fail "one run" "expected two runs" "$FLURM_SIM" compare "$E"
expect_fail "unknown --kind" "unknown run kind 'excel'" \
    "$FLURM_SIM" import "$E" --kind excel -o "$TMP/x"
head -2 "$IMP/sacct/normal.txt" >"$TMP/short.txt"
printf '412302|ep.E.256|compute\n' >>"$TMP/short.txt"
expect_fail "short sacct row" "short.txt:3:" "$FLURM_SIM" import "$TMP/short.txt" -o "$TMP/x"
if [ -e "$TMP/x/jobs.csv" ]; then bad "a failed import left jobs.csv"; else ok; fi
finish
