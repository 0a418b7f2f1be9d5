# tests/cli/test_flux_conf.sh — flurm-sim topo --flux-config, and the Slurm
# template scripts/flurm-slurm.sh in its --dry-run mode.  Nothing here
# needs Flux or Slurm.
. "$(dirname "$0")/lib.sh"
S=$FLURM_SIM
SLURM_SCRIPT=$(cd "$(dirname "$0")/../../scripts" && pwd)/flurm-slurm.sh

same_file () {
    if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi
}
has_line () {
    if grep -qxF -- "$3" "$2"; then ok; else bad "$1: no line '$3' in: $(head -c 900 "$2")"; fi
}
lacks () {
    if grep -qF -- "$3" "$2"; then bad "$1: '$3' should not be in $2"; else ok; fi
}

# --help lists the new options and an example.
expect_ok "topo --help" "$S" topo --help
for opt in --flux-config --match-policy --queue-policy --queue-depth --reservation-depth \
           --queue --control-node; do
    if grep -q -- "$opt" "$TMP/out"; then ok; else bad "--help lacks $opt"; fi
done
if grep -q -- '--flux-config conf.d' "$TMP/out"; then ok; else bad "--help has no example"; fi

# The folder holds exactly what topo writes as files: the same R, the
# same JGF (so Fluxion sees the sockets).
expect_ok "flux config for ARIS nodes" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --flux-config "$TMP/conf"
if [ "$(cd "$TMP/conf" && ls -A | tr '\n' ' ')" = "R.json flux.toml jgf.json " ]; then ok
else bad "folder holds: $(ls -A "$TMP/conf")"; fi
expect_ok "same R" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --format rv1 -o "$TMP/R.want"
same_file "R.json = topo --format rv1" "$TMP/conf/R.json" "$TMP/R.want"
expect_ok "same JGF" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' -o "$TMP/jgf.want"
same_file "jgf.json = topo" "$TMP/conf/jgf.json" "$TMP/jgf.want"
expect_ok "graph reads R.json back" "$S" graph "$TMP/conf/R.json"
has_line "R has the 4 nodes" "$TMP/out" "nodes: 4 aris[0-3]"

T=$TMP/conf/flux.toml
has_line "noverify" "$T" 'noverify = true'
has_line "absolute R path" "$T" "path = \"$TMP/conf/R.json\""
has_line "absolute JGF path" "$T" "scheduling = \"$TMP/conf/jgf.json\""
has_line "rv1 match format" "$T" 'match-format = "rv1"'
has_line "fcfs by default" "$T" 'queue-policy = "fcfs"'
lacks "no match policy by default" "$T" 'match-policy'
lacks "no exclude by default" "$T" 'exclude'
lacks "no queues by default" "$T" '[queues'

# Everything the scheduler options set, relative folder made absolute.
(cd "$TMP" && "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --control-node --match-policy lonode --queue-policy easy \
    --queue-depth 64 --reservation-depth 8 --queue normal::normal --queue cosched:fcfs:cosched \
    --flux-config rel/conf) >"$TMP/out" 2>"$TMP/err"
if [ $? -eq 0 ]; then ok; else bad "full config: $(cat "$TMP/err")"; fi
T=$TMP/rel/conf/flux.toml
has_line "relative folder made absolute" "$T" "path = \"$TMP/rel/conf/R.json\""
has_line "control node withheld" "$T" 'exclude = "aris0"'
has_line "match policy" "$T" 'match-policy = "lonode"'
has_line "queue policy" "$T" 'queue-policy = "easy"'
has_line "per-queue policy" "$T" 'queue-policy-per-queue = "cosched:fcfs"'
has_line "queue depth" "$T" 'queue-depth = 64'
has_line "reservation depth" "$T" 'reservation-depth = 8'
has_line "queue table" "$T" '[queues.cosched]'
has_line "queue requires" "$T" 'requires = ["normal"]'
has_line "first queue is the default" "$T" 'queue = "normal"'
cp "$T" "$TMP/toml.first"
(cd "$TMP" && "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --control-node --match-policy lonode --queue-policy easy \
    --queue-depth 64 --reservation-depth 8 --queue normal::normal --queue cosched:fcfs:cosched \
    --flux-config rel/conf)
if [ $? -eq 0 ]; then ok; else bad "second run failed"; fi
same_file "same input, same bytes" "$T" "$TMP/toml.first"

# Errors: one line, exit 2 for usage, 1 for bad input, and no folder.
fails () {
    code=$1; desc=$2; pattern=$3; shift 3
    expect_fail "$desc" "^flurm-sim topo: .*$pattern" "$@"
    if [ "$rc" -ne "$code" ]; then bad "$desc: exit $rc, expected $code"; fi
    if [ -e "$TMP/bad" ]; then bad "$desc: left $TMP/bad behind"; rm -rf "$TMP/bad"; fi
}
B=$TMP/bad
fails 2 "scheduler option without --flux-config" "apply only with --flux-config" \
    "$S" topo -n 2 --match-policy lonode
fails 2 "--control-node without --flux-config" "apply only with --flux-config" \
    "$S" topo -n 2 --control-node
fails 2 "--flux-config with -o" "--format, --embed-jgf and --output do not apply" \
    "$S" topo -n 2 --flux-config "$B" -o "$TMP/x.json"
fails 2 "--flux-config with --format" "do not apply" \
    "$S" topo -n 2 --flux-config "$B" --format rv1
fails 2 "--queue with too many fields" "--queue 'a:b:c:d': expected NAME" \
    "$S" topo -n 2 --flux-config "$B" --queue a:b:c:d
fails 2 "--queue with an empty property" "--queue 'a::': empty property name" \
    "$S" topo -n 2 --flux-config "$B" --queue a::
fails 2 "--queue-depth abc" "--queue-depth 'abc'" \
    "$S" topo -n 2 --flux-config "$B" --queue-depth abc
fails 2 "--reservation-depth -1" "--reservation-depth '-1'" \
    "$S" topo -n 2 --flux-config "$B" --reservation-depth -1
fails 1 "--queue-depth 0" "--queue-depth must be at least 1" \
    "$S" topo -n 2 --flux-config "$B" --queue-depth 0
fails 1 "--queue-depth beyond Fluxion's" "queue depth 2000000 is more than Fluxion's limit" \
    "$S" topo -n 2 --flux-config "$B" --queue-depth 2000000
fails 1 "--reservation-depth beyond Fluxion's" "reservation depth 100001 is more than" \
    "$S" topo -n 2 --flux-config "$B" --reservation-depth 100001
fails 1 "unknown match policy" "unknown match policy 'bogus' \\(Fluxion 0.54 has first, " \
    "$S" topo -n 2 --flux-config "$B" --match-policy bogus
fails 1 "Flurm's own match policy" "match policy 'pack' is Flurm's own" \
    "$S" topo -n 2 --flux-config "$B" --match-policy pack
fails 1 "bad custom match policy" "accepts only low or high" \
    "$S" topo -n 2 --flux-config "$B" --match-policy 'policy=middle'
fails 1 "unknown queue policy" "unknown queue policy 'backfill'" \
    "$S" topo -n 2 --flux-config "$B" --queue-policy backfill
fails 1 "unknown per-queue policy" "queue 'batch': unknown queue policy 'EASY'" \
    "$S" topo -n 2 --flux-config "$B" --queue batch:EASY
fails 1 "bad queue name" "queue name 'a b': expected letters" \
    "$S" topo -n 2 --flux-config "$B" --queue 'a b'
fails 1 "queue twice" "queue 'a' is given twice" \
    "$S" topo -n 2 --flux-config "$B" --queue a --queue a:easy
fails 1 "queue requires a missing property" "requires property \"bigmem\", which no node has" \
    "$S" topo -n 2 --flux-config "$B" --queue big::bigmem
fails 1 "control node of a 1-node cluster" "--control-node needs at least 2 hosts" \
    "$S" topo -n 1 --flux-config "$B" --control-node
echo x >"$TMP/file"
expect_fail "folder under a file" "^flurm-sim topo: .*file/conf: Not a directory" \
    "$S" topo -n 2 --flux-config "$TMP/file/conf"
expect_fail "folder is a file" "^flurm-sim topo: .*file: exists and is not a folder" \
    "$S" topo -n 2 --flux-config "$TMP/file"
expect_fail "folder with a glob character" "^flurm-sim topo: .*with a glob pattern, which the '\\['" \
    "$S" topo -n 2 --flux-config "$TMP/x[1]/conf"
if [ ! -e "$TMP/x[1]" ]; then ok; else bad "glob folder was created"; fi
nl='a
b'
fails 1 "policy with a newline stays one line" "unknown match policy 'a\\\\nb'" \
    "$S" topo -n 2 --flux-config "$B" --match-policy "$nl"

# ---- scripts/flurm-slurm.sh ----------------------------------------------
if bash -n "$SLURM_SCRIPT"; then ok; else bad "flurm-slurm.sh: bash -n fails"; fi
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck "$SLURM_SCRIPT" >"$TMP/sc" 2>&1; then ok
    else bad "shellcheck: $(head -c 600 "$TMP/sc")"; fi
else
    skipped "shellcheck is not installed"
fi
if grep -q '^#SBATCH --exclusive' "$SLURM_SCRIPT" && grep -q '^#SBATCH --ntasks-per-node=1' \
    "$SLURM_SCRIPT"; then ok; else bad "flurm-slurm.sh: no #SBATCH header"; fi

# --dry-run prints the commands, quoted, and runs none of them.
export SLURM_NODELIST='aris[0-3]' SLURM_JOB_NUM_NODES=4 SLURM_JOB_ID=77
(cd "$TMP" && FLURM_SIM="$S" MATCH_POLICY=lonode QUEUE_POLICY=easy \
    QUEUES='normal::normal cosched:fcfs:cosched' PROPS='aris[0-1]:normal aris[2-3]:cosched' \
    TBON_INTERFACE=ib0 LIVE_OPTS='--compare -v' bash "$SLURM_SCRIPT" --dry-run trace.yaml) \
    >"$TMP/dry" 2>"$TMP/err" && ok || bad "--dry-run: $(cat "$TMP/err")"
if [ "$(wc -l <"$TMP/dry")" -eq 3 ]; then ok; else bad "--dry-run printed: $(cat "$TMP/dry")"; fi
if [ ! -e "$TMP/flurm-live.77" ]; then ok; else bad "--dry-run created its folder"; fi
W=$TMP/flurm-live.77
if [ "$(sed -n 1p "$TMP/dry")" = "mkdir -p $W" ]; then ok
else bad "first command: $(sed -n 1p "$TMP/dry")"; fi
# words_of LINE: the words a shell reads in LINE, one per line.
words_of () { (eval "set -- $1" && printf '%s\n' "$@"); }
topo_line=$(sed -n 2p "$TMP/dry")
words_of "$topo_line" >"$TMP/topo.got"
printf '%s\n' "$S" topo --hosts 'aris[0-3]' --sockets 2 --cores 10 --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --control-node --match-policy lonode --queue-policy easy \
    --queue normal::normal --queue cosched:fcfs:cosched --flux-config "$W/flux-conf" \
    >"$TMP/topo.want"
same_file "topo command" "$TMP/topo.got" "$TMP/topo.want"
# The printed topo command works when pasted into a shell.
if (cd "$TMP" && eval "$topo_line") 2>"$TMP/err"; then ok; else bad "topo: $(cat "$TMP/err")"; fi
has_line "dry-run topo wrote the config" "$W/flux-conf/flux.toml" 'exclude = "aris0"'
# The srun command, word by word.
words_of "$(sed -n 3p "$TMP/dry")" >"$TMP/srun.got"
cat >"$TMP/srun.want" <<EOF
srun
-N
4
-n
4
--mpi=pmi2
flux
start
-c
$W/flux-conf
-Stbon.interface-hint=ib0
bash
-c
"\$1" queue start --all --quiet && shift && exec "\$@"
flurm-slurm
flux
$S
live
trace.yaml
--cluster-from-flux
-o
$W/live
--compare
-v
EOF
same_file "srun command" "$TMP/srun.got" "$TMP/srun.want"
# Without queues the instance runs `flurm-sim live` itself.
(cd "$TMP" && FLURM_SIM="$S" bash "$SLURM_SCRIPT" --dry-run t.yaml) >"$TMP/dry" 2>"$TMP/err"
words_of "$(sed -n 3p "$TMP/dry")" | tr '\n' ' ' >"$TMP/srun.got"
printf '%s ' srun -N 4 -n 4 --mpi=pmi2 flux start -c "$W/flux-conf" "$S" live t.yaml --cluster-from-flux -o "$W/live" \
    >"$TMP/srun.want"
same_file "plain srun command" "$TMP/srun.got" "$TMP/srun.want"
if grep -q -- '--control-node' "$TMP/dry"; then ok; else bad "control node not withheld"; fi

# Wrong use: one line on stderr, exit 2.
expect_fail "no trace" "^flurm-slurm: usage" bash "$SLURM_SCRIPT" --dry-run
if [ "$rc" -eq 2 ]; then ok; else bad "no trace: exit $rc"; fi
expect_fail "outside Slurm" "^flurm-slurm: SLURM_NODELIST and SLURM_JOB_NUM_NODES are not set" \
    env -u SLURM_NODELIST bash "$SLURM_SCRIPT" --dry-run t.yaml
expect_fail "unreadable trace" "^flurm-slurm: cannot read the trace" \
    bash "$SLURM_SCRIPT" "$TMP/no-such-trace.yaml"

finish
