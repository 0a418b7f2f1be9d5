#!/bin/sh
# tests/cli/test_jobspec.sh — `flurm-sim jobspec`: check jobspecs, print
# canonical JSON, report bad ones as FILE:LINE:COL on one line.
. "$(dirname "$0")/lib.sh"

JS="$FLURM_TEST_DATA/jobspec"
CONF="$FLURM_TEST_DATA/fluxion-conformance/jobspecs"
FLUX="$FLURM_TEST_DATA/flux-outputs"

# A grep -E pattern that matches the text literally.
literal () { printf '%s' "$1" | sed 's/[][\\.*^$(){}?+|/]/\\&/g'; }

# Every jobspec Fluxion was run with: one line of canonical JSON each.
for f in "$CONF"/*.yaml; do
    expect_ok "$(basename "$f")" "$FLURM_SIM" jobspec "$f"
    if [ "$(wc -l <"$TMP/out")" -ne 1 ] || ! grep -q '^{"version":1,"resources":\[' "$TMP/out"; then
        bad "$(basename "$f"): not one line of canonical JSON: $(head -c 200 "$TMP/out")"
    else ok; fi
done

# Several files: one document per line, in order.
expect_ok "all conformance jobspecs at once" "$FLURM_SIM" jobspec "$CONF"/*.yaml
n=$(ls "$CONF"/*.yaml | wc -l)
[ "$(wc -l <"$TMP/out")" -eq "$n" ] && ok || bad "expected $n lines, got $(wc -l <"$TMP/out")"

# What Flux itself submitted comes back as it was (these two were written
# by hand in canonical key order, so the text is the same but for spaces).
for f in "$FLUX/01-completed-spread10.jobspec.json" "$FLUX/02-slot20-core1.jobspec.json"; do
    expect_ok "$(basename "$f")" "$FLURM_SIM" jobspec "$f"
    if [ "$(tr -d ' \n' <"$f")" = "$(tr -d '\n' <"$TMP/out")" ]; then ok
    else bad "$(basename "$f") changed: $(cat "$TMP/out")"; fi
done
for f in "$FLUX"/*.jobspec.json; do
    expect_ok "$(basename "$f")" "$FLURM_SIM" jobspec "$f"
    grep -q '"cwd":"/tmp"' "$TMP/out" && ok || bad "$(basename "$f"): system.cwd lost"
done
expect_ok "test executor jobspec" "$FLURM_SIM" jobspec "$FLUX/03-testexec-1s.jobspec.json"
grep -q '"exec":{"test":{"run_duration":"1s"}}' "$TMP/out" && ok || bad "exec.test lost"
expect_ok "fractional duration" "$FLURM_SIM" jobspec "$FLUX/07-timeout-2s.jobspec.json"
grep -q '"duration":2.0,' "$TMP/out" && ok || bad "duration 2.0 changed: $(cat "$TMP/out")"

# The output is itself a jobspec that reads back to the same text.
expect_ok "spread" "$FLURM_SIM" jobspec "$CONF/node1-spread10.yaml"
cp "$TMP/out" "$TMP/once.json"
expect_ok "spread, again" "$FLURM_SIM" jobspec "$TMP/once.json"
cmp -s "$TMP/out" "$TMP/once.json" && ok || bad "second round differs"

# Standard input, and --pretty.
expect_ok "stdin" sh -c "\"$FLURM_SIM\" jobspec - < \"$CONF/slot5-core1.yaml\""
grep -q '"count":5' "$TMP/out" && ok || bad "stdin: $(cat "$TMP/out")"
expect_ok "--pretty" "$FLURM_SIM" jobspec --pretty "$CONF/slot5-core1.yaml"
[ "$(head -n 1 "$TMP/out")" = "{" ] && [ "$(wc -l <"$TMP/out")" -gt 10 ] && ok \
    || bad "--pretty: $(head -c 200 "$TMP/out")"
grep -q '^  "version": 1,$' "$TMP/out" && ok || bad "--pretty indentation"

# Usage.
expect_ok "--help" "$FLURM_SIM" jobspec --help
grep -q 'Usage:' "$TMP/out" && grep -q -- '--pretty' "$TMP/out" && ok || bad "--help text"
"$FLURM_SIM" jobspec >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'no FILE given' "$TMP/err" && ok || bad "no FILE: exit $rc"
"$FLURM_SIM" jobspec --bogus "$CONF/slot5-core1.yaml" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 2 ] && ok || bad "unknown option: exit $rc"

# Every bad fixture names its file, line and column, and what is wrong (its
# second line says what: "# expect: LINE:COL: message").
for f in "$JS"/bad-*.yaml; do
    want=$(sed -n 's/^# expect: //p' "$f")
    expect_fail "$(basename "$f")" "^flurm-sim jobspec: $(literal "$f:$want")" \
        "$FLURM_SIM" jobspec "$f"
done
expect_fail "malformed JSON" "^flurm-sim jobspec: $(literal "$JS/bad-json-syntax.json"):4:9: " \
    "$FLURM_SIM" jobspec "$JS/bad-json-syntax.json"
expect_fail "count 0 in JSON" \
    "^flurm-sim jobspec: $(literal "$JS/bad-count-zero.json"):3:52: count must be >= 1" \
    "$FLURM_SIM" jobspec "$JS/bad-count-zero.json"
expect_fail "empty stdin" "^flurm-sim jobspec: <stdin>: empty document$" \
    sh -c "\"$FLURM_SIM\" jobspec - </dev/null"
expect_fail "a directory" "^flurm-sim jobspec: $(literal "$JS"): is a folder, not a file" \
    "$FLURM_SIM" jobspec "$JS"
expect_fail "missing file" "^flurm-sim jobspec: /nonexistent/j.yaml: cannot open" \
    "$FLURM_SIM" jobspec /nonexistent/j.yaml

# Bad input is exit status 1; good files around a bad one are still printed.
"$FLURM_SIM" jobspec "$CONF/slot5-core1.yaml" "$JS/bad-count-zero.yaml" "$CONF/slot2-core10.yaml" \
    >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$TMP/out")" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok \
    || bad "mixed good and bad files: exit $rc"

finish
