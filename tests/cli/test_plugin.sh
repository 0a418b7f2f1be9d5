# tests/cli/test_plugin.sh — `--plugin FILE.so`: the example plugin
# (policies/examples/queue_sjf.c, FLURM_PLUGIN_SJF) changes the schedule of
# the bundled KTH log and orders a small trace as derived by hand; plugins
# built here with the cc line of docs/plugins.md register a pairing rule
# and a match policy the engine and the matcher use; every bad plugin gets
# one line naming the file and exit 1.
. "$(dirname "$0")/lib.sh"
: "${FLURM_PLUGIN_SJF:?FLURM_PLUGIN_SJF must point at the example plugin queue_sjf.so}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
SJF=$FLURM_PLUGIN_SJF
KTH=traces/swf/KTH-SP2-1996-2.1-cln.first2000.swf
GOLDEN=results/golden

# mean_wait JOBS_CSV: the mean of the waiting_time column (the 5th).
mean_wait () {
    awk -F, 'NR > 1 { s += $5; n++ } END { printf "%.3f\n", s / n }' "$1"
}

# starts JOBS_CSV: "name=start" for every job, in job order (names are the
# 11th column, starting times the 3rd).
starts () {
    awk -F, 'NR > 1 { printf "%s%s=%g", sep, $11, $3; sep = " " } END { print "" }' "$1"
}

# SJF on the KTH log: a schedule of its own, valid, reproducible, and a
# lower mean wait than both fcfs and easy (the golden runs).
expect_ok "kth sjf" "$FLURM_SIM" run $KTH --plugin "$SJF" --queue-policy sjf \
    -o "$TMP/sjf" --check --quiet
expect_ok "validate kth sjf" "$FLURM_SIM" validate "$TMP/sjf"
for p in fcfs easy; do
    if cmp -s "$TMP/sjf/jobs.csv" "$GOLDEN/kth-sp2-first2000-$p/jobs.csv"; then
        bad "sjf gave the $p schedule"
    else ok; fi
    w_sjf=$(mean_wait "$TMP/sjf/jobs.csv")
    w_p=$(mean_wait "$GOLDEN/kth-sp2-first2000-$p/jobs.csv")
    if awk -v a="$w_sjf" -v b="$w_p" 'BEGIN { exit !(a < b) }'; then ok
    else bad "mean wait under sjf $w_sjf s is not below $p's $w_p s"; fi
done
expect_ok "kth sjf again" "$FLURM_SIM" --plugin="$SJF" run $KTH --queue-policy sjf \
    -o "$TMP/sjf2" --quiet
cmp -s "$TMP/sjf/jobs.csv" "$TMP/sjf2/jobs.csv" && ok || bad "two sjf runs differ"

# By hand, on 4 cores, every job taking all 4: A runs [0, 100).  B (300 s),
# C (50 s), D (10 s) arrive at 1: shortest first, D is the first blocked
# and gets the reservation at 100.  E (5 s) arrives at 2, shorter than D,
# but D keeps its place: D 100, E 110, C 115, B 165.  Easy: arrival order.
cat >"$TMP/hand.yaml" <<'EOF'
name: sjf-by-hand
cluster: {nodes: 1, sockets: 1, cores-per-socket: 4}
scheduler: {queue-policy: sjf}
jobs:
  - {name: A, runtime: 100, ntasks: 4, submit: 0}
  - {name: B, runtime: 300, ntasks: 4, submit: 1}
  - {name: C, runtime: 50, ntasks: 4, submit: 1}
  - {name: D, runtime: 10, ntasks: 4, submit: 1}
  - {name: E, runtime: 5, ntasks: 4, submit: 2}
EOF
expect_ok "hand sjf" "$FLURM_SIM" run "$TMP/hand.yaml" -o "$TMP/hand" --check --quiet \
    --plugin "$SJF"
got=$(starts "$TMP/hand/jobs.csv")
[ "$got" = "A=0 B=165 C=115 D=100 E=110" ] && ok || bad "hand sjf starts: $got"
expect_ok "hand easy" "$FLURM_SIM" run "$TMP/hand.yaml" -o "$TMP/hand-easy" --quiet \
    --plugin "$SJF" --queue-policy easy
got=$(starts "$TMP/hand-easy/jobs.csv")
[ "$got" = "A=0 B=100 C=400 D=450 E=460" ] && ok || bad "hand easy starts: $got"

"$FLURM_SIM" --help | grep -q -- '--plugin FILE.so' && ok || bad "--help does not show --plugin"

# fails CODE DESCRIPTION PATTERN CMD...: one line matching PATTERN, exit CODE.
fails () {
    code=$1; desc=$2; pattern=$3; shift 3
    expect_fail "$desc" "^flurm-sim --plugin: $pattern" "$@"
    if [ "$rc" -ne "$code" ]; then bad "$desc: exit $rc, expected $code"; fi
}
fails 1 "missing file" "$TMP/none.so: cannot open: No such file or directory$" \
    "$FLURM_SIM" --plugin "$TMP/none.so" run $KTH
fails 1 "a folder" "$TMP: is a folder" "$FLURM_SIM" run $KTH --plugin "$TMP"
fails 1 "not a shared object" "$KTH: not a shared object" "$FLURM_SIM" run $KTH --plugin $KTH
mkfifo "$TMP/fifo"
fails 1 "a fifo, not waited on" "$TMP/fifo: not a shared object \(not a regular file\)" \
    timeout 20 "$FLURM_SIM" --plugin "$TMP/fifo" run $KTH
fails 1 "an executable" "$FLURM_SIM: cannot load: " "$FLURM_SIM" --plugin "$FLURM_SIM" run $KTH
fails 2 "no file after --plugin" "expected a FILE.so" "$FLURM_SIM" run $KTH --plugin
cp "$SJF" "$TMP/copy.so"
fails 1 "clash with another plugin" \
    "$TMP/copy.so: queue policy 'sjf' is defined by plugin $SJF already" \
    "$FLURM_SIM" --plugin "$SJF" --plugin "$TMP/copy.so" run $KTH
expect_ok "the same file twice" "$FLURM_SIM" --plugin "$SJF" --plugin "$SJF" \
    run "$TMP/hand.yaml" -o "$TMP/twice" --quiet

# Plugins built as docs/plugins.md says, against the source tree.
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null; then
    skipped "no C compiler ($CC): plugins built from source not tested"
    finish; exit
fi
# build NAME: $TMP/NAME.c into $TMP/NAME.so, with the line of docs/plugins.md
build () {
    if "$CC" -std=c11 -O2 -Wall -shared -fPIC -I "$ROOT" -o "$TMP/$1.so" "$TMP/$1.c" \
        2>"$TMP/cc.err"; then ok
    else bad "cc $1.c: $(head -c 400 "$TMP/cc.err")"; fi
}
# queue_plugin NAME BODY: a plugin whose init is BODY
queue_plugin () {
    cat >"$TMP/$1.c" <<EOF
#include "sim/plugin.h"
static uint32_t none (uint32_t depth, uint32_t param) { return 0; }
static const struct flurm_queue_policy q = {.name = "$1", .blocking = true,
                                            .reservation_depth = none};
static int init (struct flurm_plugin *p, flurm_error_t *err) { $2 }
FLURM_PLUGIN_ENTRY (init);
EOF
    build "$1"
}

# A pairing rule that refuses every shared socket, forcing a queue policy
# of the same plugin (strict order, no reservation to let a job past the
# rule): the mixed co-scheduling workload then shares no socket, where the
# fifo rule shares.
cat >"$TMP/alone.c" <<'EOF'
#include "sim/plugin.h"
static uint32_t none (uint32_t queue_depth, uint32_t param) { return 0; }
static const struct flurm_queue_policy strict = {.name = "alone-fcfs", .blocking = true,
                                                 .reservation_depth = none};
static double alone (const struct flurm_pairing_view *v) { return v->njoined ? -1 : 0; }
static const struct flurm_pairing_rule rule = {.name = "alone", .judge = alone,
                                               .queue_policy = "alone-fcfs"};
static int init (struct flurm_plugin *p, flurm_error_t *err)
{
    return p->add_queue_policy (p, &strict) || p->add_pairing_rule (p, &rule);
}
FLURM_PLUGIN_ENTRY (init);
EOF
build alone
expect_ok "pairing plugin" "$FLURM_SIM" run traces/aris-npb/mixed.yaml --plugin "$TMP/alone.so" \
    --pairing alone -o "$TMP/alone" --check --quiet
grep -q '"queue-policy": "alone-fcfs"' "$TMP/alone/config.json" && ok \
    || bad "the alone rule did not force its queue policy"
grep -q '"colocated_job_seconds": 0.0,' "$TMP/alone/summary.json" && ok \
    || bad "the alone rule let jobs share a socket"
grep -q '"colocated_job_seconds": 0.0,' "$GOLDEN/aris-mixed-easy-fifo/summary.json" \
    && bad "fifo shares no socket either: the test proves nothing" || ok

# A match policy calling the library (exported by flurm-sim): hinode under
# another name places exactly as hinode.
cat >"$TMP/himatch.c" <<'EOF'
#include "sim/plugin.h"
static int himatch_init (struct flurm_match_policy *p, const struct flurm_graph *g,
                         flurm_error_t *err)
{
    return flurm_policy_multilevel_init (p, g, true, true, false, false);
}
static const struct flurm_match_policy_info info = {"himatch", "hinode again", himatch_init};
static int init (struct flurm_plugin *p, flurm_error_t *err)
{
    return p->add_match_policy (p, &info);
}
FLURM_PLUGIN_ENTRY (init);
EOF
build himatch
expect_ok "match plugin" "$FLURM_SIM" run traces/aris-quickstart.yaml --plugin "$TMP/himatch.so" \
    --match-policy himatch -o "$TMP/himatch" --check --quiet
expect_ok "hinode" "$FLURM_SIM" run traces/aris-quickstart.yaml --match-policy hinode \
    -o "$TMP/hinode" --quiet
cmp -s "$TMP/himatch/jobs.csv" "$TMP/hinode/jobs.csv" && ok || bad "himatch placed unlike hinode"
cmp -s "$TMP/himatch/jobs.csv" "$GOLDEN/aris-quickstart/jobs.csv" \
    && bad "hinode places as first: the test proves nothing" || ok

# Bad plugins, one class each.
cat >"$TMP/noentry.c" <<'EOF'
int flurm_plugin_init (void);
int flurm_plugin_init (void) { return 0; }
EOF
build noentry
fails 1 "no entry point" "$TMP/noentry.so: no entry point" \
    "$FLURM_SIM" --plugin "$TMP/noentry.so" run $KTH
cat >"$TMP/oldabi.c" <<'EOF'
#include "sim/plugin.h"
static int init (struct flurm_plugin *p, flurm_error_t *err) { return 0; }
const struct flurm_plugin_entry flurm_plugin_entry = {FLURM_PLUGIN_ABI + 1, init};
EOF
build oldabi
fails 1 "ABI mismatch" "$TMP/oldabi.so: built for plugin ABI [0-9]+, this flurm-sim has ABI " \
    "$FLURM_SIM" --plugin "$TMP/oldabi.so" run $KTH
cat >"$TMP/undefined.c" <<'EOF'
int flurm_no_such_function (void);
int call (void);
int call (void) { return flurm_no_such_function (); }
EOF
build undefined
fails 1 "undefined symbol" "$TMP/undefined.so: cannot load: .*flurm_no_such_function" \
    "$FLURM_SIM" --plugin "$TMP/undefined.so" run $KTH
queue_plugin easy 'return p->add_queue_policy (p, &q);'
fails 1 "clash with a built-in" "$TMP/easy.so: queue policy 'easy' clashes with a built-in one" \
    "$FLURM_SIM" --plugin "$TMP/easy.so" run $KTH
queue_plugin twice 'p->add_queue_policy (p, &q); return p->add_queue_policy (p, &q);'
fails 1 "same name twice" "$TMP/twice.so: registers queue policy 'twice' twice" \
    "$FLURM_SIM" --plugin "$TMP/twice.so" run $KTH
queue_plugin 'bad name' 'return p->add_queue_policy (p, &q);'
fails 1 "invalid name" "$TMP/bad name.so: queue policy name 'bad name' holds a character other" \
    "$FLURM_SIM" --plugin "$TMP/bad name.so" run $KTH
queue_plugin failing 'flurm_error_set (err, "needs FAILING_HOME"); return -1;'
fails 1 "init fails" "$TMP/failing.so: its init failed: needs FAILING_HOME$" \
    "$FLURM_SIM" --plugin "$TMP/failing.so" run $KTH
queue_plugin empty 'return 0;'
fails 1 "registers nothing" "$TMP/empty.so: registers no policy$" \
    "$FLURM_SIM" --plugin "$TMP/empty.so" run $KTH

finish
