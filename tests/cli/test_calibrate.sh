# tests/cli/test_calibrate.sh — flurm-sim calibrate: the fit file it writes,
# its repeatability, and one clear line for each kind of bad input.
. "$(dirname "$0")/lib.sh"
S=$FLURM_SIM
D=$FLURM_TEST_DATA/interference
MODELS=$FLURM_TEST_DATA/../../models

has_line () {
    if grep -qxF -- "$3" "$2"; then ok; else bad "$1: no line '$3' in: $(head -c 600 "$2")"; fi
}
same_file () {
    if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi
}

expect_ok "calibrate --help" "$S" calibrate --help
for opt in --output --no-loo --quiet; do
    if grep -q -- "$opt" "$TMP/out"; then ok; else bad "--help lacks $opt"; fi
done

# Speedups made by the formula: fitted back with no error, leave-one-out
# included (21 unordered pairs among 6 apps).
expect_ok "calibrate synthetic" "$S" calibrate "$D/synthetic.yaml" -o "$TMP/fit.yaml"
has_line "table: pairs" "$TMP/out" \
    "leave one pair out: 21 pairs refitted; error median 0.00%, p90 0.01%"
has_line "fit: profiles" "$TMP/fit.yaml" "profiles: synthetic.yaml"
has_line "fit: model" "$TMP/fit.yaml" "model: analytic"
s3="  s3.C.24: {memory_share: 0.7822, demand: 0.3557, observations: 6, mape: 0.0001"
has_line "fit: one app" "$TMP/fit.yaml" "$s3, loo_median: 0.0000, loo_p90: 0.0001}"
if [ "$(grep -c '^  s[0-9]\.C\.[0-9]*: {memory_share: ' "$TMP/fit.yaml")" -eq 6 ]; then ok
else bad "fit: expected 6 apps in: $(cat "$TMP/fit.yaml")"; fi

# The same input gives the same bytes; -o - writes them to stdout and
# prints no table; --quiet prints nothing.
expect_ok "calibrate again" "$S" calibrate "$D/synthetic.yaml" -o "$TMP/again.yaml" --quiet
same_file "rerun" "$TMP/fit.yaml" "$TMP/again.yaml"
if [ ! -s "$TMP/out" ]; then ok; else bad "--quiet printed: $(cat "$TMP/out")"; fi
expect_ok "calibrate -o -" "$S" calibrate "$D/synthetic.yaml" -o -
same_file "stdout" "$TMP/fit.yaml" "$TMP/out"

# --no-loo: no leave-one-out figures anywhere.
expect_ok "calibrate --no-loo" "$S" calibrate "$D/synthetic.yaml" --no-loo -o "$TMP/noloo.yaml"
has_line "no-loo table" "$TMP/out" "leave one pair out: not run (--no-loo)"
if grep -v '^#' "$TMP/noloo.yaml" | grep -q loo; then bad "--no-loo wrote loo figures"; else ok; fi

# The committed ARIS fit is what calibrate computes from the committed
# profiles (its parameters; leave-one-out skipped here for time).
if [ -f "$MODELS/npb-aris.yaml" ] && [ -f "$MODELS/npb-aris-fit.yaml" ]; then
    expect_ok "calibrate aris" "$S" calibrate "$MODELS/npb-aris.yaml" --no-loo -o "$TMP/aris.yaml"
    grep -o '^  [^:]*: {memory_share: [0-9.]*, demand: [0-9.]*' "$TMP/aris.yaml" >"$TMP/new"
    grep -o '^  [^:]*: {memory_share: [0-9.]*, demand: [0-9.]*' "$MODELS/npb-aris-fit.yaml" \
        >"$TMP/committed"
    same_file "committed aris parameters" "$TMP/new" "$TMP/committed"
    if [ "$(wc -l <"$TMP/new")" -eq 33 ]; then ok; else bad "aris: $(wc -l <"$TMP/new") apps"; fi
fi

# Bad input: one line naming the file (and the line), exit 1.
expect_fail "missing file" "flurm-sim calibrate: .*nowhere\.yaml" \
    "$S" calibrate "$D/nowhere.yaml"
expect_fail "bad profiles" "flurm-sim calibrate: .*bad-speedup\.yaml:9:" \
    "$S" calibrate "$FLURM_TEST_DATA/app_profiles/bad-speedup.yaml"
expect_fail "no pairs" "flurm-sim calibrate: .*no-pairs\.yaml: no measured pair" \
    "$S" calibrate "$D/no-pairs.yaml"
expect_fail "a fit file is not a profile file" "flurm-sim calibrate: .*fit\.yaml:[0-9]+" \
    "$S" calibrate "$D/fit.yaml"
expect_fail "unwritable output" "flurm-sim calibrate: .*no/such/dir" \
    "$S" calibrate "$D/synthetic.yaml" --no-loo -o "$TMP/no/such/dir/fit.yaml"
"$S" calibrate "$D/synthetic.yaml" --no-loo -o "$TMP/no/such/dir/fit.yaml" 2>/dev/null
if [ $? -eq 1 ]; then ok; else bad "unwritable output: exit not 1"; fi

# Wrong usage: exit 2.
expect_fail "no argument" "flurm-sim calibrate: expected PROFILES.yaml" "$S" calibrate
expect_fail "two arguments" "expected PROFILES.yaml" "$S" calibrate "$D/synthetic.yaml" x
expect_fail "unknown option" "flurm-sim calibrate: .*--bogus" \
    "$S" calibrate --bogus "$D/synthetic.yaml"
"$S" calibrate >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "no argument: exit not 2"; fi

finish
