# tests/cli/test_interrupt.sh — Ctrl-C (SIGINT) or SIGTERM during a long
# run stops it cleanly: one line saying at which simulated time it
# stopped, exit 1, nothing written, and the outputs of an earlier run in
# the same folder left whole.
. "$(dirname "$0")/lib.sh"

# 400,000 jobs: seconds of work, long enough to be interrupted.
printf 'name: long\ncluster: {nodes: 16}\njobs:\n  - {runtime: 100, ntasks: 4, count: 400000}\n' \
    >"$TMP/long.yaml"
printf 'name: long\ncluster: {nodes: 16}\njobs:\n  - {runtime: 100, ntasks: 4, count: 10}\n' \
    >"$TMP/short.yaml"
expect_ok "an earlier run" "$FLURM_SIM" run "$TMP/short.yaml" -o "$TMP/run" --quiet
cp "$TMP/run/jobs.csv" "$TMP/before.csv"

for sig in INT TERM; do
    "$FLURM_SIM" run "$TMP/long.yaml" -o "$TMP/run" --quiet >"$TMP/o" 2>"$TMP/e" &
    pid=$!
    sleep 1
    kill -$sig $pid
    wait $pid
    rc=$?
    if [ $rc -eq 1 ] && grep -q "interrupted at simulated time .* of 400000 jobs ended (nothing written)" "$TMP/e" \
       && [ "$(wc -l <"$TMP/e")" -eq 1 ]; then ok
    else bad "SIG$sig: exit $rc, stderr: $(head -c 300 "$TMP/e")"; fi
    if cmp -s "$TMP/run/jobs.csv" "$TMP/before.csv"; then ok
    else bad "SIG$sig: the earlier jobs.csv was touched"; fi
    if ls "$TMP/run" | grep -q '^\.' ; then bad "SIG$sig: a temporary file was left"; else ok; fi
done
finish
