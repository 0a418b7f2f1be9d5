# tests/cli/lib.sh — shared helpers for the end-to-end CLI tests.
# Sourced by tests/cli/test_*.sh; ctest sets FLURM_SIM and FLURM_TEST_DATA.
set -u
: "${FLURM_SIM:?FLURM_SIM must point at the flurm-sim binary}"
: "${FLURM_TEST_DATA:?FLURM_TEST_DATA must point at tests/data}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
npass=0
nfail=0

ok () { npass=$((npass + 1)); }
bad () { nfail=$((nfail + 1)); echo "FAIL: $*" >&2; }

# expect_ok DESCRIPTION CMD...: CMD exits 0; its stdout is left in $TMP/out.
expect_ok () {
    desc=$1; shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then ok
    else bad "$desc: exit $? (stderr: $(head -c 400 "$TMP/err"))"; fi
}

# expect_fail DESCRIPTION PATTERN CMD...: CMD exits non-zero with exactly
# one line on stderr matching the grep -E PATTERN, and does not crash
# (exit status < 128, no sanitizer report).
expect_fail () {
    desc=$1; pattern=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ $rc -eq 0 ]; then bad "$desc: succeeded but should fail"; return; fi
    if [ $rc -ge 128 ]; then bad "$desc: crashed (exit $rc)"; return; fi
    if grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
        bad "$desc: sanitizer report: $(head -c 400 "$TMP/err")"; return; fi
    if ! grep -Eq -- "$pattern" "$TMP/err"; then
        bad "$desc: stderr does not match /$pattern/: $(head -c 400 "$TMP/err")"; return; fi
    if [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
        bad "$desc: expected one line of error, got: $(cat "$TMP/err")"; return; fi
    ok
}

# shared_data REL: the file under FLURM_SHARED_DATA, or nothing when absent.
shared_data () {
    [ -n "${FLURM_SHARED_DATA:-}" ] && [ -e "$FLURM_SHARED_DATA/$1" ] && echo "$FLURM_SHARED_DATA/$1"
}

# skipped WHAT: a part that could not run here says so (it is not counted
# as passed).
skipped () { echo "SKIPPED: $*" >&2; }

finish () {
    echo "$npass passed, $nfail failed"
    [ $nfail -eq 0 ]
}
