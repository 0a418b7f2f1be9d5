# tests/cli/test_live.sh — flurm-sim live where no Flux is needed: wrong
# usage, no Flux, Flux without Fluxion, and the replay driver itself
# against tests/cli/fake/flux, a stand-in that answers live mode's flux
# commands in Flux 0.88's formats (refused jobspecs, failing, cancelled and
# held jobs, an instance that goes away).  The real thing is
# test_live_flux.sh.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRACE=$ROOT/traces/live/aris2-small.yaml
FAKE=$ROOT/tests/cli/fake/flux

# Wrong use, before any Flux is asked.
expect_fail "unknown decider" "unknown decider 'slurm'" "$FLURM_SIM" live "$TRACE" --decide slurm
expect_fail "negative time scale" "--time-scale '-1'" "$FLURM_SIM" live "$TRACE" --time-scale -1
expect_fail "time scale not a number" "--time-scale 'fast'" "$FLURM_SIM" live "$TRACE" --time-scale fast
expect_fail "no brokers" "--start must be at least 1" "$FLURM_SIM" live "$TRACE" --start 0
expect_fail "brokers and nodes differ" "the trace's cluster has 2 nodes" \
    "$FLURM_SIM" live "$TRACE" --start 3 -o "$TMP/x"
expect_fail "no trace" "cannot open" "$FLURM_SIM" live "$TMP/missing.yaml"
expect_fail "no flux program" "cannot run Flux" \
    "$FLURM_SIM" live "$TRACE" --flux "$TMP/no-such-flux" -o "$TMP/x"

fake () { # MODE-VARIABLES... -- flurm-sim live arguments
    rm -rf "$TMP/state"
    env FAKE_FLUX_STATE="$TMP/state" "$@"
}
expect_fail "no instance" "no Flux instance to talk to" \
    fake FAKE_FLUX_MODE=down "$FLURM_SIM" live "$TRACE" --flux "$FAKE" -o "$TMP/x"
expect_fail "no Fluxion" "does not run Fluxion" \
    fake FAKE_FLUX_MODE=nofluxion "$FLURM_SIM" live "$TRACE" --flux "$FAKE" -o "$TMP/x"
expect_fail "stopped queue" "Scheduling is stopped" \
    fake FAKE_FLUX_MODE=stopped "$FLURM_SIM" live "$TRACE" --flux "$FAKE" -o "$TMP/x"
if [ ! -e "$TMP/x" ]; then ok; else bad "a failed start left outputs"; fi

# field DIR NAME COLUMN: a column of a job of DIR/live-jobs.csv or jobs.csv.
field () {
    python3 - "$@" <<'PY'
import csv, sys
d, name, col = sys.argv[1:4]
for f in ("live-jobs.csv", "jobs.csv"):
    for row in csv.DictReader(open(f"{d}/{f}")):
        if row["name"] == name and col in row:
            print(row[col]); sys.exit(0)
PY
}
expect_field () { # DESC DIR NAME COLUMN VALUE
    got=$(field "$2" "$3" "$4")
    if [ "$got" = "$5" ]; then ok; else bad "$1: $3 $4 is '$got', expected '$5'"; fi
}

# Fluxion decides (as far as the stand-in goes): every job submitted,
# recorded from its eventlog and R, outputs as a simulation's.
expect_ok "decide flux" fake "$FLURM_SIM" live "$TRACE" --flux "$FAKE" --time-scale 0 \
    -o "$TMP/flux" --quiet
for f in jobs.csv summary.json config.json live-jobs.csv flux-jobs.json; do
    if [ -s "$TMP/flux/$f" ]; then ok; else bad "decide flux wrote no $f"; fi
done
expect_field "decide flux" "$TMP/flux" compact20 state completed
expect_field "decide flux" "$TMP/flux" compact20 granted_cores aris0:0-3
# ids in the stand-in's form; submissions overlap, so not in trace order
case $(field "$TMP/flux" victim flux_id) in f[1-6]) ok ;; *) bad "victim has no Flux id" ;; esac

# Flurm decides: the stand-in grants aris0:0-3 whatever was planned, and
# each job says how its grant differs from the plan.
expect_ok "decide flurm" fake "$FLURM_SIM" live "$TRACE" --flux "$FAKE" --time-scale 0 \
    --decide flurm -o "$TMP/flurm" --quiet
expect_field "plan check" "$TMP/flurm" spread20 plan hosts-differ
expect_field "plan check" "$TMP/flurm" compact20 planned_cores aris1:0-19
python3 - "$TMP/flurm/summary.json" <<'PY' && ok || bad "summary.json: plan counts"
import json, sys
p = json.load(open(sys.argv[1]))["live"]["plan"]
assert p["same"] + p["cores_differ"] + p["hosts_differ"] == 6 and p["same"] < 6, p
PY

# A jobspec Flux refuses is recorded with Flux's message; the rest run.
expect_ok "refused job" fake FAKE_FLUX_REJECT=pair-a "$FLURM_SIM" live "$TRACE" --flux "$FAKE" \
    --time-scale 0 -o "$TMP/refused" --quiet
expect_field "refused" "$TMP/refused" pair-a state rejected
expect_field "refused" "$TMP/refused" pair-a error "flux-job: fake refusal of pair-a"
expect_field "refused" "$TMP/refused" pair-b state completed

# A job that fails: state failed, exit code 1.
expect_ok "failing job" fake FAKE_FLUX_FAIL=fails "$FLURM_SIM" live "$TRACE" --flux "$FAKE" \
    --time-scale 0 -o "$TMP/failed" --quiet
expect_field "failed" "$TMP/failed" fails state failed
expect_field "failed" "$TMP/failed" fails exit_code 1

# The instance goes away after three submissions: a one-line message, exit
# 1, and the outputs of what ran, the rest unfinished or refused.
expect_fail "instance lost" "stopped early: the Flux instance went away" \
    fake FAKE_FLUX_DIE_AFTER=3 "$FLURM_SIM" live "$TRACE" --flux "$FAKE" --time-scale 0 \
    -o "$TMP/lost" --quiet
if [ -s "$TMP/lost/jobs.csv" ] && [ -s "$TMP/lost/live-jobs.csv" ]; then ok
else bad "instance lost: no outputs"; fi
python3 - "$TMP/lost/summary.json" <<'PY' && ok || bad "instance lost: summary"
import json, sys
s = json.load(open(sys.argv[1]))
assert "went away" in s["live"]["aborted"], s["live"]
assert s["jobs"]["completed"] < 6, s["jobs"]
PY

# SIGINT: submissions stop, the held job is cancelled, what ran is written.
rm -rf "$TMP/state"
FAKE_FLUX_STATE="$TMP/state" FAKE_FLUX_HOLD=victim "$FLURM_SIM" live "$TRACE" --flux "$FAKE" \
    --time-scale 0.5 -o "$TMP/int" --quiet >"$TMP/out" 2>"$TMP/err" &
pid=$!
for i in $(seq 100); do [ -e "$TMP/state/f6.name" ] && break; sleep 0.1; done
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 1 ] && grep -q "interrupted: outputs of what ran are in" "$TMP/err"; then ok
else bad "SIGINT: exit $rc, stderr: $(cat "$TMP/err")"; fi
expect_field "interrupted" "$TMP/int" victim state cancelled
expect_field "interrupted" "$TMP/int" victim exception cancel

finish
