# tests/cli/test_live_flux.sh — flurm-sim live end to end on a real Flux:
# a private 2-broker instance shaped like two ARIS nodes replays
# traces/live/aris2-small.yaml (a whole-node compact job, a co-scheduled
# spread pair, a spread job over both nodes, a job that fails, one that is
# cancelled) with Fluxion deciding and with Flurm deciding, and checks the
# outputs.  Needs `flux` (flux-core with flux-sched) on PATH: skipped
# (exit 77) without it.  Takes about a minute.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRACE=$ROOT/traces/live/aris2-small.yaml

if ! command -v flux >/dev/null 2>&1; then
    echo "SKIPPED: needs flux (flux-core with Fluxion) on PATH" >&2
    exit 77
fi
if ! flux version >/dev/null 2>&1; then
    echo "SKIPPED: 'flux version' fails here" >&2
    exit 77
fi
flux version | head -2 >&2

# csv_field FILE NAME COLUMN: the COLUMN of the row whose name is NAME.
csv_field () {
    python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["name"] == sys.argv[2]:
        print(row[sys.argv[3]])
PY
}

check_state () { # DIR NAME STATE
    got=$(csv_field "$1/jobs.csv" "$2" state)
    if [ "$got" = "$3" ]; then ok; else bad "$1: $2 is '$got', expected '$3'"; fi
}

# 1. Fluxion decides; test execution at a fifth of the trace's pace.
expect_ok "live, flux decides" "$FLURM_SIM" live "$TRACE" --start 2 --time-scale 0.2 \
    -o "$TMP/flux" --quiet
for j in compact20 pair-a pair-b spread20 fails victim; do
    check_state "$TMP/flux" $j completed
    id=$(csv_field "$TMP/flux/live-jobs.csv" $j flux_id)
    case $id in ƒ*|f*) ok ;; *) bad "$j has no Flux id: '$id'" ;; esac
done
# Fluxion put the pair on one node, on opposite halves of its sockets.
a=$(csv_field "$TMP/flux/live-jobs.csv" pair-a granted_nodes)
b=$(csv_field "$TMP/flux/live-jobs.csv" pair-b granted_nodes)
if [ "$a" = "$b" ]; then ok; else bad "the pair was split: $a / $b"; fi
cores=$(csv_field "$TMP/flux/live-jobs.csv" spread20 granted_cores)
case $cores in *aris0:*aris1:*) ok ;; *) bad "spread20 not on both nodes: $cores" ;; esac
expect_ok "validate the live schedule" "$FLURM_SIM" validate "$TMP/flux"
expect_ok "flux-jobs.json" python3 -c "
import json, sys; d = json.load(open('$TMP/flux/flux-jobs.json')); assert len(d['jobs']) == 6"
python3 - "$TMP/flux/summary.json" <<'PY' && ok || bad "summary.json live block"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["jobs"]["completed"] == 6, s["jobs"]
assert s["live"]["decide"] == "flux" and s["live"]["submitted"] == 6, s["live"]
PY

# 2. Flurm decides, and the same trace is simulated and compared.
expect_ok "live, flurm decides" "$FLURM_SIM" live "$TRACE" --start 2 --time-scale 0.2 \
    --decide flurm --compare -o "$TMP/flurm" --quiet
for j in compact20 pair-a pair-b spread20 fails victim; do
    check_state "$TMP/flurm" $j completed
    plan=$(csv_field "$TMP/flurm/live-jobs.csv" $j plan)
    if [ "$plan" = same ]; then ok; else bad "$j: Flux did not grant Flurm's plan ($plan)"; fi
done
if [ -s "$TMP/flurm/compare/compare.json" ] && [ -s "$TMP/flurm/sim/jobs.csv" ]; then ok
else bad "--compare wrote no comparison"; fi

# 3. Real commands in an instance started here, so that a job can be
# cancelled from outside while it runs: `fails` exits 3, `victim` is
# cancelled; both are recorded with Flux's result and the others complete.
cat >"$TMP/inside.sh" <<SH
( for i in \$(seq 200); do
      id=\$(flux jobs -n -o '{id} {name}' -f running 2>/dev/null | awk '\$2 == "victim" {print \$1}')
      if [ -n "\$id" ]; then sleep 1; flux cancel "\$id"; exit 0; fi
      sleep 0.2
  done ) &
"$FLURM_SIM" live "$TRACE" --started-instance --exec -o "$TMP/exec" --quiet
rc=\$?
wait
exit \$rc
SH
expect_ok "live --exec" flux start --test-size=2 --test-hosts='aris[0-1]' \
    -c "$TMP/flux/flux-conf" sh "$TMP/inside.sh"
check_state "$TMP/exec" fails failed
check_state "$TMP/exec" victim cancelled
check_state "$TMP/exec" pair-a completed
code=$(csv_field "$TMP/exec/live-jobs.csv" fails exit_code)
if [ "$code" = 3 ]; then ok; else bad "fails: exit code '$code', expected 3"; fi
exc=$(csv_field "$TMP/exec/live-jobs.csv" victim exception)
if [ "$exc" = cancel ]; then ok; else bad "victim: exception '$exc', expected cancel"; fi

finish
