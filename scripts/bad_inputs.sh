#!/bin/sh
# scripts/bad_inputs.sh — run every class of bad input Flurm is tested
# against and write what it answers to docs/bad-input.md, so that the
# table there is what the program prints today, not what someone
# remembered.  Each case is one command; the table shows its exit status
# and the one line it printed on stderr (temporary paths shortened).
#
#   scripts/bad_inputs.sh [FLURM_SIM]     default: build/flurm-sim
set -u
cd "$(dirname "$0")/.."
SIM=${1:-build/flurm-sim}
OUT=docs/bad-input.md
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=tests/data

# Inputs written here, one per class.
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1, color: red}\n' >"$T/unknown-key.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: -5, ntasks: 1}\n' >"$T/negative.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: .nan, ntasks: 1}\n' >"$T/nan.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1099511627776}\n' >"$T/huge-count.yaml"
printf 'name: x\ncluster: {nodes: 2}\njobs:\n  - {runtime: 10, ntasks: 100}\n' >"$T/impossible.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1, queue: gold}\n' >"$T/unknown-queue.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {app: lu.Z, ntasks: 1}\n' >"$T/unknown-app.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1, alloc: diagonal}\n' >"$T/unknown-shape.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs: [\n' >"$T/malformed.yaml"
printf 'name: x\ncluster: {nodes: 1}\njobs: []\n' >"$T/empty.yaml"
printf '; MaxProcs: 4\n1 0 -1 10 1 -1 -1 1 10 -1 1 -1 -1 -1 -1 -1\n' >"$T/short.swf"
printf '; MaxProcs: 4\n1 0 -1 1e999 1 -1 -1 1 10 -1 1 -1 -1 -1 -1 -1 -1 -1\n' >"$T/overflow.swf"
python3 -c "print('[' * 10000 + ']' * 10000)" >"$T/deep.json"
printf '{"version": 1, "resources": [' >"$T/truncated.json"
truncate -s 10G "$T/huge.swf"
printf 'JobID|State\n1|COMPLETED\n' >"$T/sacct.txt"
printf '{"jobs": [{"id": 1, "t_submit": "soon"}]}' >"$T/flux-jobs.json"
printf 'name: s\ntrace: %s\naxes:\n  colour: [red]\n' "$PWD/traces/aris-quickstart.yaml" >"$T/sweep.yaml"
printf 'not a shared object\n' >"$T/plugin.so"

# case CLASS COMMAND...: one table row.
row () {
    class=$1; shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    msg=$(head -1 "$T/err" | sed "s|$T/||g; s|$T|DIR|g; s|$PWD/||g; s/|/\\\\|/g")
    cmd=$(printf '%s ' "$@" | sed "s|$T/||g; s|$T|DIR|g; s|$SIM|flurm-sim|; s|$PWD/||g; s/ $//; s/|/\\\\|/g")
    lines=$(wc -l <"$T/err")
    printf '| %s | `%s` | %s | %s%s |\n' "$class" "$cmd" "$rc" "$msg" \
        "$([ "$lines" -gt 1 ] && echo " (+$((lines - 1)) lines)")"
}

{
cat <<'MD'
# Bad input: what Flurm answers

Every class of bad input the tests try, with the command, its exit status
(1 bad input, 2 wrong usage) and the one line it prints. Written by
`scripts/bad_inputs.sh` from the program itself; rerun it after changing
a message. The fuzz targets (`tests/fuzz/`, `results/fuzz/`) feed the same
readers arbitrary bytes. In every case no output file is left behind
(outputs are written to a temporary name and renamed).

Limits refused before allocating: 1,000,000 tasks, nodes or hosts per
request or cluster (16,777,216 hosts in a hostlist), 65,536 cores per
socket or node, counts up to 2^31 − 1 in a jobspec, 64 levels of nesting
in YAML and JSON, 1 GiB per input file (a gzip'ed SWF log: 1 GiB
unpacked), times up to 1e11 s.

| class | command | exit | message |
|---|---|---|---|
MD
row "unknown key" $SIM run "$T/unknown-key.yaml"
row "negative number" $SIM run "$T/negative.yaml"
row "NaN" $SIM run "$T/nan.yaml"
row "huge count" $SIM run "$T/huge-count.yaml"
row "impossible request" $SIM run "$T/impossible.yaml"
row "unknown queue" $SIM run "$T/unknown-queue.yaml"
row "unknown app" $SIM run "$T/unknown-app.yaml"
row "unknown shape" $SIM run "$T/unknown-shape.yaml"
row "unknown policy" $SIM run traces/aris-quickstart.yaml --queue-policy sjf2
row "unknown pairing rule" $SIM run traces/aris-quickstart.yaml --pairing random
row "malformed YAML" $SIM run "$T/malformed.yaml"
row "empty workload" $SIM run "$T/empty.yaml"
row "missing file" $SIM run "$T/nothing.yaml"
row "a folder as input" $SIM run "$T"
row "short SWF line" $SIM run "$T/short.swf"
row "SWF number overflow" $SIM run "$T/overflow.swf"
row "10 GB file" $SIM run "$T/huge.swf"
row "nesting 10,000 deep" $SIM jobspec "$T/deep.json"
row "truncated JSON" $SIM jobspec "$T/truncated.json"
row "jobspec: huge count" $SIM jobspec $D/jobspec/bad-count-huge.yaml
row "jobspec: min > max" $SIM jobspec $D/jobspec/bad-count-min-max.yaml
row "jobspec: empty command" $SIM jobspec $D/jobspec/bad-command-empty.yaml
row "jobspec: bad constraint" $SIM jobspec $D/jobspec/bad-constraint-operator.yaml
row "JGF: cycle" $SIM graph $D/jgf-bad/cycle.json
row "JGF: duplicate id" $SIM graph $D/jgf-bad/duplicate-id.json
row "JGF: negative size" $SIM graph $D/jgf-bad/negative-size.json
row "JGF: integer too big" $SIM graph $D/jgf-bad/integer-too-big.json
for f in $D/rv1-bad/*.json; do row "R: $(basename "$f" .json)" $SIM graph "$f"; done
row "hostlist: a billion hosts" $SIM topo --hosts 'n[0-999999999]'
row "hostlist: malformed" $SIM topo --hosts 'n[3-1]'
row "sacct: missing columns" $SIM import "$T/sacct.txt" --kind sacct -o "$T/o.csv"
row "flux jobs: bad time" $SIM import "$T/flux-jobs.json" --kind flux-jobs -o "$T/o.csv"
row "compare: missing run" $SIM compare "$T/none.csv" $D/import/flux
row "sweep: unknown axis" $SIM sweep "$T/sweep.yaml" -o "$T/sw"
row "plugin: not a shared object" $SIM --plugin "$T/plugin.so" run traces/aris-quickstart.yaml
row "live: no flux" $SIM live traces/live/aris2-small.yaml --flux "$T/no-flux"
row "live: brokers != nodes" $SIM live traces/live/aris2-small.yaml --start 3
row "live: bad time scale" $SIM live traces/live/aris2-small.yaml --time-scale -1
cat <<'MD'

Live mode, with a running Flux (tested in `tests/cli/test_live.sh` against
a stand-in and in `tests/cli/test_live_flux.sh` against Flux 0.88):

| situation | what happens |
|---|---|
| no instance (`flux getattr` fails) | `no Flux instance to talk to (run inside one, set FLUX_URI, or use --start N): ...`, exit 1 |
| Flux without Fluxion | `this Flux instance does not run Fluxion (sched-fluxion-qmanager is not loaded) ...`, exit 1 |
| a stopped queue | `Flux says "...: Scheduling is stopped": its jobs would wait forever (flux queue start / flux queue enable)`, exit 1 |
| a jobspec Flux refuses | the job is `rejected`, Flux's message in `live-jobs.csv`'s `error`; the replay goes on |
| a job that fails / is cancelled by someone else | `failed` (exit code, exception) / `cancelled`, from its eventlog |
| the instance goes away | `stopped early: the Flux instance went away: ...`, exit 1; outputs of what ran written, the rest unfinished |
| Ctrl-C / SIGTERM | no more submissions, jobs in Flux cancelled and recorded, outputs written, exit 1; a second Ctrl-C stops waiting |
| Ctrl-C during `flurm-sim run` | `interrupted at simulated time T s, with N of M jobs ended`, exit 1, no output written (the previous one stays whole) |
MD
} >"$OUT"
echo "wrote $OUT"
