#!/bin/sh
# tests/cli/test_match.sh — `flurm-sim match`: Fluxion's resource-query
# scripts replay as they are and give Fluxion's answers; shapes; the
# interactive commands; bad input gets one clear line and leaves the
# matcher as it was.
. "$(dirname "$0")/lib.sh"

CONF="$FLURM_TEST_DATA/fluxion-conformance"
ARIS="$CONF/graphs/aris4.json"

# --- replay every recorded resource-query script ---------------------------
# Compare, per allocate step, the outcome, the job id and R as a sorted set
# of (rank, type, id) (Fluxion's R_lite order is its own).
JQLIB='def ids: [split(",")[] | select(. != "")
                | if test("-") then (split("-") | map(tonumber)) as [$a, $b] | range($a; $b + 1)
                  else tonumber end];
       def rset: if . == null then null
                 else [.execution.R_lite[] | . as $e | ($e.rank | ids[]) as $r
                       | $e.children | to_entries[] | .key as $t | (.value | ids[]) as $i
                       | [$r, $t, $i]] | sort end;'
if command -v jq >/dev/null 2>&1; then
    for seq in "$CONF"/sequences/*.json; do
        name=$(basename "$seq" .json)
        graph=$(jq -r .graph "$seq")
        policy=$(jq -r .policy "$seq")
        jq -c "$JQLIB"' .steps[] | select(.op == "allocate") | [.result, .jobid, (.R | rset)]' \
            "$seq" >"$TMP/want"
        if (cd "$CONF" && "$FLURM_SIM" match -L "graphs/$graph" -P "$policy" --json \
                --fluxion-strict <"raw/$name.in" >"$TMP/got.jsonl" 2>"$TMP/err"); then :; fi
        jq -c "$JQLIB"' select(.op == "allocate") | [.result, .jobid, (.R | rset)]' \
            "$TMP/got.jsonl" >"$TMP/got"
        if cmp -s "$TMP/want" "$TMP/got"; then ok
        else bad "$name: replay differs: $(diff "$TMP/want" "$TMP/got" | head -c 400)"; fi
    done
else
    echo "jq not found: the replay of the recorded scripts is skipped"
fi

# --- one-shot requests ----------------------------------------------------
expect_ok "lonode spread" "$FLURM_SIM" match -L "$ARIS" -P lonode "$CONF/jobspecs/spread10.yaml" \
    "$CONF/jobspecs/spread10.yaml"
grep -q '^job 1 allocated: aris0: core\[0-4,10-14\]$' "$TMP/out" && ok \
    || bad "job 1: $(cat "$TMP/out")"
grep -q '^job 2 allocated: aris0: core\[5-9,15-19\]$' "$TMP/out" && ok \
    || bad "job 2: $(cat "$TMP/out")"
grep -q '"R_lite":\[{"rank":"0","children":{"core":"0-4,10-14"}}\]' "$TMP/out" && ok \
    || bad "R missing: $(cat "$TMP/out")"

expect_ok "shape spread" "$FLURM_SIM" match -L "$ARIS" -P lonode --shape spread -n 10
grep -q 'aris0: core\[0-4,10-14\]' "$TMP/out" && ok || bad "spread: $(cat "$TMP/out")"
expect_ok "shape node-exclusive" "$FLURM_SIM" match -L "$ARIS" -P lonode --shape node -n 40 --json
grep -q '"nodelist":\["aris\[0-1\]"\]' "$TMP/out" && ok || bad "node: $(cat "$TMP/out")"
expect_ok "shape compact" "$FLURM_SIM" match -L "$ARIS" -P first --shape compact -n 20 -t 60 --json
grep -q '"result":"allocated","jobid":1' "$TMP/out" && ok || bad "compact: $(cat "$TMP/out")"
grep -q '"expiration":60' "$TMP/out" && ok || bad "compact duration: $(cat "$TMP/out")"

# Flurm places what Fluxion refuses (issue 498), and says so; strict refuses.
expect_ok "issue 498" "$FLURM_SIM" match -L "$ARIS" "$CONF/jobspecs/node1-slot1-core1.yaml"
grep -q 'skips a graph level' "$TMP/out" && ok || bad "498 not flagged: $(cat "$TMP/out")"
expect_fail "issue 498 strict" 'issue 498' "$FLURM_SIM" match -L "$ARIS" --fluxion-strict \
    "$CONF/jobspecs/node1-slot1-core1.yaml"

# --- interactive ----------------------------------------------------------
cat >"$TMP/cmds" <<EOF
# comments and blank lines are ignored

allocate $CONF/jobspecs/slot20-core1.yaml
match allocate $CONF/jobspecs/slot81-core1.yaml
allocate $CONF/jobspecs/slot81-core1.yaml
satisfiable $CONF/jobspecs/slot81-core1.yaml
info 1
stat
cancel 1
allocate $CONF/jobspecs/slot20-core1.yaml
quit
allocate $CONF/jobspecs/slot20-core1.yaml
EOF
expect_ok "interactive" sh -c "\"$FLURM_SIM\" match -L \"$ARIS\" -P lonode --json <\"$TMP/cmds\""
[ "$(wc -l <"$TMP/out")" -eq 8 ] && ok || bad "interactive: expected 8 lines: $(cat "$TMP/out")"
# line N of the output matches PATTERN
line_has () {
    sed -n "$1p" "$TMP/out" | grep -q -- "$2" && ok || bad "line $1: $(sed -n "$1p" "$TMP/out")"
}
line_has 2 '"result":"busy","jobid":2'
line_has 3 '"result":"unsatisfiable","jobid":3'
line_has 4 '"satisfiable":false'
line_has 5 '"op":"info","jobid":1,"nodes":1,"cores":20'
line_has 6 '"op":"stat","jobs":1,"allocate_calls":3'
line_has 7 '"op":"cancel","jobid":1'
line_has 8 '"result":"allocated","jobid":4'

# A resource-query script with a bad line in the middle: one message naming
# the line, nothing changes, the rest runs, exit status 1.
for badline in "frobnicate now" "cancel 99" "cancel x" "info" "allocate $TMP/none.yaml" \
               "match allocate_orelse_reserve $CONF/jobspecs/slot1-core1.yaml" \
               "allocate a b c d e" "stat now"; do
    printf 'allocate %s\n%s\nallocate %s\n' "$CONF/jobspecs/slot20-core1.yaml" "$badline" \
        "$CONF/jobspecs/slot20-core1.yaml" >"$TMP/cmds"
    expect_fail "bad line '$badline'" '^flurm-sim match: <stdin>:2: ' \
        sh -c "\"$FLURM_SIM\" match -L \"$ARIS\" -P lonode <\"$TMP/cmds\""
    grep -q '^job 2 allocated: aris1: core\[0-19\]$' "$TMP/out" && ok \
        || bad "after '$badline': $(cat "$TMP/out")"
done

# --- bad invocations --------------------------------------------------------
expect_fail "unknown policy" "unknown match policy 'bogus'" "$FLURM_SIM" match -L "$ARIS" -P bogus
expect_fail "bad custom policy" "accepts only low or high" "$FLURM_SIM" match -L "$ARIS" \
    -P "policy=middle node_centric=true"
expect_fail "no graph" "no graph given" "$FLURM_SIM" match "$CONF/jobspecs/slot1-core1.yaml"
expect_fail "missing graph" "nowhere.json" "$FLURM_SIM" match -L "$TMP/nowhere.json"
expect_fail "unknown shape" "unknown allocation shape 'scatter'" "$FLURM_SIM" match -L "$ARIS" \
    --shape scatter -n 4
expect_fail "shape without -n" "needs -n N" "$FLURM_SIM" match -L "$ARIS" --shape spread
expect_fail "negative -n" "-n must be an integer" "$FLURM_SIM" match -L "$ARIS" --shape spread -n -5
expect_fail "huge -n" "-n must be an integer" "$FLURM_SIM" match -L "$ARIS" --shape compact \
    -n 99999999999
expect_fail "uneven spread per node" "8 tasks per node do not fill half-sockets of 5" \
    "$FLURM_SIM" match -L "$ARIS" --shape spread -n 16 -N 2
# 12 tasks spread take whole half-nodes, as the ARIS scripts ran them: 2 nodes
expect_ok "uneven spread" "$FLURM_SIM" match -L "$ARIS" -P lonode --shape spread -n 12
grep -q 'aris\[0-1\]: core\[0-4,10-14\]' "$TMP/out" && ok || bad "uneven spread: $(cat "$TMP/out")"
expect_fail "-n without shape" "go with --shape" "$FLURM_SIM" match -L "$ARIS" -n 4
expect_fail "bad jobspec" "nowhere.yaml" "$FLURM_SIM" match -L "$ARIS" "$TMP/nowhere.yaml"

finish
