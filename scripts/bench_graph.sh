#!/bin/sh
# scripts/bench_graph.sh — how fast and how big is a large resource graph?
#
# Builds a 10,000-node x 2 sockets x 10 cores cluster with `flurm-sim topo`,
# writes it as JGF, and measures loading it back (`flurm-sim graph`, which
# loads and summarises): wall time and peak RSS from /usr/bin/time -v, and
# the in-memory graph's bytes per vertex as flurm_graph_memory() counts them.
# When Fluxion's resource-query is found (RESOURCE_QUERY=/path or on PATH),
# it loads the same file in the same run, so the ratio is measured side by
# side on this (noisy) machine.
#
#   scripts/bench_graph.sh [NODES...]     default: 1000 10000
# Appends its report to results/bench/graph-load.txt and prints it.
set -eu
cd "$(dirname "$0")/.."
[ -x build/flurm-sim ] || ./scripts/setup.sh >/dev/null
sim=build/flurm-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=results/bench/graph-load.txt
mkdir -p results/bench
rq=${RESOURCE_QUERY:-$(command -v resource-query || true)}
reps=3

# measure CMD...: prints "seconds maxrss_kib" of the fastest of $reps runs.
measure () {
    best=""
    i=0
    while [ $i -lt $reps ]; do
        /usr/bin/time -v -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" </dev/null \
            || { echo "bench: '$*' failed: $(tail -3 "$work/stderr")" >&2; exit 1; }
        s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); t=0;
                for(k=1;k<=n;k++) t=t*60+a[k]; print t}' "$work/time")
        kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
        if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; bestkib=$kib; fi
        i=$((i + 1))
    done
    echo "$best $bestkib"
}

{
echo "## $(date -u +%Y-%m-%dT%H:%MZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo none)" \
     "on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "nodes vertices jgf_MiB  gen_s  load_s load_peak_MiB bytes/vertex  fluxion_load_s fluxion_peak_MiB"
for n in ${*:-1000 10000}; do
    f="$work/cluster-$n.json"
    set -- $(measure $sim topo --nodes "$n" --prefix node --sockets 2 --cores 10 -o "$f")
    gen_s=$1
    size_mib=$(du -m "$f" | cut -f1)
    set -- $(measure $sim graph "$f")
    load_s=$1; load_mib=$(($2 / 1024))
    vertices=$(awk '/^vertices:/ {print $2}' "$work/stdout")
    bpv=$(sed -n 's/^memory: .*(\([0-9.]*\) bytes\/vertex)$/\1/p' "$work/stdout")
    rq_s="-"; rq_mib="-"
    if [ -n "$rq" ]; then
        printf 'quit\n' >"$work/rq.in"
        set -- $(measure sh -c "\"$rq\" -L \"$f\" -f jgf -d < \"$work/rq.in\"")
        rq_s=$1; rq_mib=$(($2 / 1024))
    fi
    printf '%5s %8s %7s %6s %7s %13s %12s %15s %16s\n' "$n" "$vertices" "$size_mib" "$gen_s" \
        "$load_s" "$load_mib" "$bpv" "$rq_s" "$rq_mib"
done
echo
} | tee -a "$out"
