# tests/cli/test_graph.sh — flurm-sim graph: summaries and conversions.
. "$(dirname "$0")/lib.sh"
S=$FLURM_SIM
D=$FLURM_TEST_DATA
G=$D/fluxion-conformance/graphs
F=$D/flux-outputs

same_file () {
    if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi
}
has_line () {
    if grep -qxF -- "$3" "$2"; then ok; else bad "$1: no line '$3' in: $(cat "$2")"; fi
}
has_match () {
    if grep -Eqx -- "$3" "$2"; then ok; else bad "$1: no line matching /$3/ in: $(cat "$2")"; fi
}

expect_ok "graph --help" "$S" graph --help
for opt in --cores-per-socket --format --embed-jgf --output; do
    if grep -q -- "$opt" "$TMP/out"; then ok; else bad "--help lacks $opt"; fi
done

# The summary of aris4.json.
expect_ok "summary aris4" "$S" graph "$G/aris4.json"
has_line "aris4 file" "$TMP/out" "file: $G/aris4.json"
has_line "aris4 format" "$TMP/out" "format: jgf"
has_line "aris4 vertices" "$TMP/out" "vertices: 93"
has_line "aris4 types" "$TMP/out" "types: cluster 1, node 4, socket 8, core 80"
has_line "aris4 nodes" "$TMP/out" "nodes: 4 aris[0-3]"
has_line "aris4 ranks" "$TMP/out" "ranks: 0-3"
has_line "aris4 shape" "$TMP/out" "per node: 2 sockets x 10 cores"
has_line "aris4 sockets" "$TMP/out" "sockets: 8"
has_line "aris4 cores" "$TMP/out" "cores: 80"
has_line "aris4 gpus" "$TMP/out" "gpus: 0"
has_line "aris4 properties" "$TMP/out" "properties: none"
has_match "aris4 memory" "$TMP/out" "memory: [0-9]+ bytes \([0-9]+\.[0-9] bytes/vertex\)"
if [ "$(wc -l <"$TMP/out")" -eq 12 ]; then ok; else bad "aris4 summary: $(wc -l <"$TMP/out") lines"; fi

expect_ok "summary props4" "$S" graph "$G/props4.json"
has_line "props4 properties" "$TMP/out" "properties: normal: aris[0-1]; cosched: aris[2-3]"
expect_ok "summary perf4" "$S" graph "$G/perf4.json"
has_line "perf4 properties" "$TMP/out" \
    "properties: perf_class=3: aris0; perf_class=1: aris[1,3]; perf_class=2: aris2"
expect_ok "summary gpu2" "$S" graph "$G/gpu2.json"
has_line "gpu2 shape" "$TMP/out" "per node: 2 sockets x 4 cores, 2 gpus"
has_line "gpu2 gpus" "$TMP/out" "gpus: 4"
expect_ok "summary nosock" "$S" graph "$G/aris4-nosock.json"
has_line "nosock shape" "$TMP/out" "per node: 20 cores"
expect_ok "summary R" "$S" graph "$F/resource-R.json"
has_line "R format" "$TMP/out" "format: rv1"
has_line "R shape" "$TMP/out" "per node: 20 cores"
expect_ok "summary R sockets" "$S" graph "$F/resource-R.json" --cores-per-socket 10
has_line "R cps shape" "$TMP/out" "per node: 2 sockets x 10 cores"
has_line "R cps types" "$TMP/out" "types: cluster 1, node 4, socket 8, core 80"
expect_ok "summary job R" "$S" graph "$F/01-completed-spread10.R.json"
has_line "job R nodes" "$TMP/out" "nodes: 1 aris0"
has_line "job R cores" "$TMP/out" "cores: 10"
expect_ok "summary mixed" "$S" graph "$D/topo/mixed-R.json" -c 4
has_line "mixed shapes" "$TMP/out" \
    "per node: 2 sockets x 4 cores, 2 gpus (gnode[0-1,3]); 1 socket x 4 cores (gnode2)"
expect_ok "summary names" "$S" graph "$D/topo/names-R.json"
has_line "names nodes" "$TMP/out" "nodes: 4 login,123,cn[007,007]"
expect_ok "names -> rv1" "$S" graph "$D/topo/names-R.json" --format rv1 -o "$TMP/n.R"
expect_ok "names -> rv1 -> rv1" "$S" graph "$TMP/n.R" --format rv1 -o "$TMP/n2.R"
same_file "odd host names survive" "$TMP/n.R" "$TMP/n2.R"
if grep -q '"login": "0"' "$TMP/n.R"; then ok; else bad "names: property lost: $(cat "$TMP/n.R")"; fi
expect_ok "summary to -o" "$S" graph "$G/aris4.json" -o "$TMP/summary.txt"
has_line "summary in file" "$TMP/summary.txt" "nodes: 4 aris[0-3]"

# topo -> file -> graph -> file: JGF and R survive unchanged.
expect_ok "topo jgf" "$S" topo --hosts 'aris[0-7]' --prop 'aris[0-3]:normal' \
    --prop 'aris[4-7]:cosched' -o "$TMP/a.json"
expect_ok "jgf -> jgf" "$S" graph "$TMP/a.json" --format jgf -o "$TMP/a2.json"
same_file "JGF round trip" "$TMP/a.json" "$TMP/a2.json"
expect_ok "topo rv1" "$S" topo --hosts 'aris[0-7]' --prop 'aris[0-3]:normal' \
    --prop 'aris[4-7]:cosched' --format rv1 -o "$TMP/r.json"
expect_ok "rv1 -> rv1" "$S" graph "$TMP/r.json" --format rv1 -o "$TMP/r2.json"
same_file "R round trip" "$TMP/r.json" "$TMP/r2.json"
expect_ok "jgf -> rv1" "$S" graph "$TMP/a.json" --format rv1 -o "$TMP/r3.json"
same_file "JGF -> R = topo R" "$TMP/r.json" "$TMP/r3.json"
# R with sockets inferred is the very graph topo made.
expect_ok "rv1 -> jgf" "$S" graph "$TMP/r.json" --cores-per-socket 10 --format jgf -o "$TMP/a3.json"
same_file "R -> JGF (10 per socket) = topo JGF" "$TMP/a.json" "$TMP/a3.json"
# R with the JGF embedded gives back the JGF, sockets and all.
expect_ok "topo rv1 embed" "$S" topo --hosts 'gnode[0-1]' -s 2 -c 4 -g 1 --format rv1 \
    --embed-jgf -o "$TMP/e.json"
expect_ok "embedded -> jgf" "$S" graph "$TMP/e.json" --format jgf -o "$TMP/e2.json"
expect_ok "gpu2 -> jgf" "$S" graph "$G/gpu2.json" --format jgf -o "$TMP/e3.json"
same_file "embedded JGF = gpu2" "$TMP/e2.json" "$TMP/e3.json"
expect_ok "jgf -> rv1 embed" "$S" graph "$G/gpu2.json" --format rv1 --embed-jgf -o "$TMP/e4.json"
expect_ok "embedded again" "$S" graph "$TMP/e4.json" --format jgf -o "$TMP/e5.json"
same_file "gpu2 -> R+JGF -> JGF" "$TMP/e5.json" "$TMP/e3.json"

# Flux's own files: the scheduling JGF of the test instance as R is the
# instance's R, and that R with 10 cores per socket is the JGF again.
expect_ok "setup jgf -> rv1" "$S" graph "$F/setup.scheduling-jgf.json" --format rv1 -o "$TMP/s.R"
expect_ok "setup R -> rv1" "$S" graph "$F/setup.R.json" --format rv1 -o "$TMP/s2.R"
same_file "scheduling JGF as R = setup.R.json" "$TMP/s.R" "$TMP/s2.R"
expect_ok "setup R -> jgf" "$S" graph "$TMP/s.R" --cores-per-socket 10 --format jgf -o "$TMP/s.jgf"
expect_ok "setup jgf -> jgf" "$S" graph "$F/setup.scheduling-jgf.json" --format jgf -o "$TMP/s2.jgf"
same_file "setup JGF -> R -> JGF" "$TMP/s.jgf" "$TMP/s2.jgf"
expect_ok "to stdout" "$S" graph "$F/setup.R.json" --format rv1
same_file "stdout = -o" "$TMP/out" "$TMP/s2.R"

# Errors: one line, exit 1 (input) or 2 (usage), and no file left behind.
mkdir "$TMP/o"
fails () {
    code=$1; desc=$2; pattern=$3; shift 3
    expect_fail "$desc" "^flurm-sim graph: .*$pattern" "$@" -o "$TMP/o/out.json"
    if [ "$rc" -ne "$code" ]; then bad "$desc: exit $rc, expected $code"; fi
    if [ -n "$(ls -A "$TMP/o")" ]; then
        bad "$desc: left files behind: $(ls -A "$TMP/o")"; rm -f "$TMP/o/"* "$TMP/o/".??*
    fi
}
fails 1 "missing file" "nonexistent.json: cannot open" "$S" graph "$TMP/nonexistent.json" --format jgf
fails 1 "missing file, summary" "cannot open" "$S" graph "$TMP/nonexistent.json"
printf '{"foo": 1}\n' >"$TMP/neither.json"
fails 1 "neither format" "neither a JGF graph .* nor an R" "$S" graph "$TMP/neither.json" --format rv1
printf '{"graph": \n' >"$TMP/broken.json"
fails 1 "broken JGF" "broken.json:2:1: unexpected end of file" "$S" graph "$TMP/broken.json" --format jgf
printf '{"version": 1, \n' >"$TMP/broken-r.json"
fails 1 "broken R" "broken-r.json:[0-9]+:[0-9]+: not JSON" "$S" graph "$TMP/broken-r.json" --format jgf
fails 1 "not a multiple" "not a multiple" "$S" graph "$F/setup.R.json" --cores-per-socket 7 --format jgf
fails 1 "nodes without rank as R" "node node0 has no rank" "$S" graph "$D/jgf/fluxion-jgfs/dyn_explore.json" --format rv1
fails 2 "unknown format" "--format 'xml'" "$S" graph "$G/aris4.json" --format xml
fails 2 "bad cores-per-socket" "--cores-per-socket 'x'" "$S" graph "$G/aris4.json" --cores-per-socket x
fails 2 "no file" "missing FILE" "$S" graph --format jgf
fails 2 "two files" "only one FILE" "$S" graph "$G/aris4.json" "$G/gpu2.json"
fails 2 "unknown option" "Unknown option" "$S" graph "$G/aris4.json" --bogus
for f in "$D"/rv1-bad/*.json; do
    name=$(basename "$f")
    fails 1 "bad R $name" "$name:" "$S" graph "$f" --format rv1
    fails 1 "bad R $name (summary)" "$name:" "$S" graph "$f"
done

# A node name no hostlist can hold: the summary counts it (never drops or
# renames it), and R refuses it by name.
cat >"$TMP/odd.json" <<'EOF'
{"graph": {"nodes": [
 {"id": "0", "metadata": {"type": "cluster", "name": "c0", "paths": {"containment": "/c0"}}},
 {"id": "1", "metadata": {"type": "node", "name": "n0", "rank": 0,
                          "paths": {"containment": "/c0/n0"}}},
 {"id": "2", "metadata": {"type": "node", "name": "a,b", "rank": 1,
                          "paths": {"containment": "/c0/a,b"}}}],
 "edges": [{"source": "0", "target": "1"}, {"source": "0", "target": "2"}]}}
EOF
expect_ok "summary odd names" "$S" graph "$TMP/odd.json"
has_line "odd nodes" "$TMP/out" "nodes: 2 n0 +1 name no hostlist can hold"
fails 1 "odd name as R" 'node name "a,b" contains .*: R cannot list it' \
    "$S" graph "$TMP/odd.json" --format rv1

finish
