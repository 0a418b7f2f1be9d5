#!/bin/sh
# scripts/bench_match.sh — how fast the matcher places jobs, next to
# Fluxion's resource-query on the same graph and the same requests, and
# whether it places them in the same spots.  Writes results/bench/match.txt.
#
#   scripts/bench_match.sh            everything (about 5 minutes)
#   QUICK=1 scripts/bench_match.sh    fewer policies and no 50k-node graph
#   RQ=/path/to/resource-query        Fluxion's tool (default: on PATH, or
#                                     /opt/flux/bin/resource-query); without
#                                     it the Fluxion columns stay empty
#   OUT=FILE                          write the report elsewhere
#   BENCH_BIN=FILE                    use this bench_match instead of building one
#
# Builds tests/bench/bench_match.c itself, with the library sources
# (optimised, NDEBUG), so that the figures never come from a stale build.
#
# 1. ARIS-size graph, 426 nodes x 2 sockets x 10 cores: 1-node and 4-node
#    jobs, compact (slot[n]->core[1]) and spread (socket[n/5]->slot[5]->
#    core[1]), allocated until the graph is full, then all freed.  Per
#    allocate: median and p99 in microseconds, for Flurm (bench_match
#    replay) and for Fluxion (resource-query -e, its ELAPSE per match), and
#    a check that both gave the same R at every step.
# 2. Large graph, 10000 nodes x 2 x 32 cores: the same four shapes, Flurm
#    only.
# 3. Busy machines of 1k, 10k and 50k nodes (x 2 x 32): fill with 1-node
#    jobs, then free a random job and place a new one, 2000 times; the cost
#    of an allocation must not grow with the number of busy nodes.
set -eu

cd "$(dirname "$0")/.."
OUT=${OUT:-results/bench/match.txt}
QUICK=${QUICK:-0}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -z "${RQ:-}" ]; then
    RQ=$(command -v resource-query 2>/dev/null || echo /opt/flux/bin/resource-query)
fi
[ -x "$RQ" ] || RQ=""

# --- build ----------------------------------------------------------------
PKGS="glib-2.0 gio-2.0 jansson yaml-0.1 gsl"
CFLAGS="-std=c11 -O2 -DNDEBUG -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
CFLAGS="$CFLAGS -DFLURM_VERSION=\"bench\" -I."
BENCH=${BENCH_BIN:-$WORK/bench_match}
if [ -z "${BENCH_BIN:-}" ]; then
    # shellcheck disable=SC2086
    gcc $CFLAGS $(pkg-config --cflags $PKGS) tests/bench/bench_match.c sim/*.c policies/*.c \
        $(ls models/*.c 2>/dev/null) $(pkg-config --libs $PKGS) -lm -o "$BENCH"
fi

# --- helpers ----------------------------------------------------------------
jobspec () { # FILE RESOURCES-AS-YAML-FLOW
    cat >"$1" <<EOF
version: 1
resources: $2
tasks: [{command: [app], slot: task, count: {per_slot: 1}}]
attributes: {system: {duration: 3600}}
EOF
}
SLOT="type: slot, label: task, with: [{type: core, count: 1}]"
compact () { jobspec "$1" "[{$SLOT, count: $2}]"; }
spread () { # FILE SOCKETS TASKS-PER-SOCKET
    jobspec "$1" "[{type: socket, count: $2, with: [{$SLOT, count: $3}]}]"
}

# median and p99 of the numbers on stdin
stats () { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-\t-"; exit }
    i = int((NR - 1) * 0.99) + 1; printf "%.1f\t%.1f\n", v[int((NR + 1) / 2)], v[i] }'; }

# resource-query's output as lines "JOBID RESULT R-SET ELAPSE-US"
RQ_AWK='
/^\{/ { R = $0; next }
/ELAPSE=/ { split($0, a, "="); t = a[2] * 1e6; next }
/ERROR/ { st = "error"; next }
/Unsatisfiable request/ { st = "unsatisfiable"; next }
/No matching resources found/ { if (st == "") st = "busy"; next }
/RESOURCES=ALLOCATED/ { st = "allocated"; next }
/INFO: JOBID=/ { split($0, a, "="); id = a[2]; next }
/^INFO: =+$/ { if (id != "") {
                   printf "{\"id\":%s,\"st\":\"%s\",\"t\":%s,\"R\":%s}\n", id, st,
                          (t == "" ? 0 : t), (R == "" ? "null" : R)
                   id = ""; st = ""; R = ""; t = "" } }'
RQ_JQ='def ids: [split(",")[] | select(. != "")
                | if test("-") then (split("-") | map(tonumber)) as [$a, $b] | range($a; $b + 1)
                  else tonumber end];
       def rset: if . == null then "" else [.execution.R_lite[] | . as $e | ($e.rank | ids[]) as $r
                 | $e.children | to_entries[] | .key as $k | (.value | ids[]) as $i
                 | "\($r):\($k):\($i)"] | sort | join(",") end;
       "\(.id) \(.st) \(.R | rset)\t\(.t)"'

# a bench_match report line as a table row: FORMAT-OF-TWO-LABELS LABEL1 LABEL2
figures () {
    awk -v f="$1" -v a="$2" -v b="$3" '{ for (i = 1; i <= NF; i++) {
        if ($i == "median") m = $(i + 1)
        if ($i == "p99") q = $(i + 1)
        if ($i == "mean") x = $(i + 1)
        if ($i == "visits/alloc") { v = $(i + 1); sub(/;$/, "", v) } }
        printf f " %10s %10s %10s %14s\n", a, b, m, q, x, v }'
}

# script: N allocations of JOBSPEC, then cancel 1..N-1
script () { # JOBSPEC N
    i=0
    while [ $i -lt "$2" ]; do echo "match allocate_with_satisfiability $1"; i=$((i + 1)); done
    i=1
    while [ $i -lt "$2" ]; do echo "cancel $i"; i=$((i + 1)); done
    echo quit
}

# --- 1. ARIS-size graph, Flurm and Fluxion ------------------------------------
"$BENCH" graph -n 426 -s 2 -c 10 -H aris >"$WORK/aris426.json"
compact "$WORK/compact-1node.yaml" 20
compact "$WORK/compact-4node.yaml" 80
spread "$WORK/spread-1node.yaml" 2 5
spread "$WORK/spread-4node.yaml" 8 5
if [ "$QUICK" = 1 ]; then policies="first lonode low"; else
    policies="first lonode hinode low high locality variation"; fi

{
echo "# Flurm matcher benchmark ($(date -u +%Y-%m-%d), $(uname -m), $(nproc) cores)"
echo "# scripts/bench_match.sh; times are microseconds per allocate (allocated requests only)"
echo "# load average when it started: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo
echo "## 1. ARIS-size graph: 426 nodes x 2 sockets x 10 cores, allocate until full, then free all"
echo "# Fluxion = resource-query 0.54 (-e ELAPSE per match) on the same graph and requests"
echo "# same = every step gave the same outcome, job id and R (as a set of rank:type:id)"
printf '%-14s %-10s %10s %10s %12s %12s %9s %6s\n' workload policy flurm-med flurm-p99 \
    fluxion-med fluxion-p99 speedup same
} >"$WORK/report"

for w in compact-1node:427 compact-4node:107 spread-1node:853 spread-4node:214; do
    name=${w%%:*}
    n=${w##*:}
    script "$WORK/$name.yaml" "$n" >"$WORK/$name.in"
    for p in $policies; do
        "$BENCH" replay -L "$WORK/aris426.json" -P "$p" --strict <"$WORK/$name.in" \
            >"$WORK/flurm.out" 2>"$WORK/flurm.t"
        paste -d' ' "$WORK/flurm.out" "$WORK/flurm.t" | awk '$2 == "allocated" { print $NF }' \
            | stats >"$WORK/flurm.s"
        fm=$(cut -f1 "$WORK/flurm.s")
        fp=$(cut -f2 "$WORK/flurm.s")
        xm=-; xp=-; sp=-; same=-
        if [ -n "$RQ" ]; then
            "$RQ" -L "$WORK/aris426.json" -f jgf -P "$p" -F rv1_nosched -d -e <"$WORK/$name.in" \
                2>&1 | awk "$RQ_AWK" | jq -r "$RQ_JQ" >"$WORK/rq.out"
            awk -F'\t' '$1 ~ / allocated/ { print $2 }' "$WORK/rq.out" | stats >"$WORK/rq.s"
            xm=$(cut -f1 "$WORK/rq.s")
            xp=$(cut -f2 "$WORK/rq.s")
            cut -f1 "$WORK/rq.out" | sed 's/ $//' >"$WORK/rq.cmp"
            sed 's/ $//' "$WORK/flurm.out" >"$WORK/flurm.cmp"
            if cmp -s "$WORK/rq.cmp" "$WORK/flurm.cmp"; then same=yes; else same=NO; fi
            sp=$(awk -v a="$xm" -v b="$fm" \
                'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
        fi
        printf '%-14s %-10s %10s %10s %12s %12s %9s %6s\n' "$name" "$p" "$fm" "$fp" "$xm" "$xp" \
            "$sp" "$same" >>"$WORK/report"
    done
done

# --- 2. large graph -------------------------------------------------------------
compact "$WORK/c64.yaml" 64
compact "$WORK/c256.yaml" 256
spread "$WORK/s2.yaml" 2 16
spread "$WORK/s8.yaml" 8 16
{
echo
echo "## 2. Large graph: 10000 nodes x 2 sockets x 32 cores, allocate until full (Flurm only)"
printf '%-14s %-10s %10s %10s %10s %14s\n' workload policy median p99 mean visits/alloc
} >>"$WORK/report"
for w in compact-1node:c64 compact-4node:c256 spread-1node:s2 spread-4node:s8; do
    for p in first lonode; do
        "$BENCH" fill -n 10000 -s 2 -c 32 -P "$p" -j "$WORK/${w##*:}.yaml" | head -1 \
            | figures "%-14s %-10s" "${w%%:*}" "$p" >>"$WORK/report"
    done
done

# --- 3. busy machines of growing size ----------------------------------------
{
echo
echo "## 3. Busy machines (x 2 x 32 cores): full of 1-node jobs, then 2000 x (free one, place one)"
printf '%-8s %-10s %10s %10s %10s %14s\n' nodes policy median p99 mean visits/alloc
} >>"$WORK/report"
if [ "$QUICK" = 1 ]; then sizes="1000 10000"; else sizes="1000 10000 50000"; fi
for n in $sizes; do
    for p in first lonode low; do
        # low spreads each job over many nodes: filling a 50k-node graph
        # with it takes too long for a benchmark
        if [ "$p" = low ] && [ "$n" -gt 10000 ]; then continue; fi
        "$BENCH" steady -n "$n" -s 2 -c 32 -P "$p" -j "$WORK/c64.yaml" -r 2000 | head -1 \
            | figures "%-8s %-10s" "$n" "$p" >>"$WORK/report"
    done
done

# --- 4. memory ------------------------------------------------------------------
{
echo
echo "## 4. Memory per vertex (graph + matcher state, ARIS-size graph full of jobs)"
"$BENCH" fill -n 426 -s 2 -c 10 -P first -j "$WORK/compact-1node.yaml" | tail -1
} >>"$WORK/report"

mkdir -p "$(dirname "$OUT")"
cp "$WORK/report" "$OUT"
cat "$OUT"
