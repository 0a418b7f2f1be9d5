# tests/cli/test_topo.sh — flurm-sim topo: generation, formats, errors.
. "$(dirname "$0")/lib.sh"
S=$FLURM_SIM
D=$FLURM_TEST_DATA
G=$D/fluxion-conformance/graphs

# same_file DESC A B: the two files are byte for byte the same.
same_file () {
    if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi
}
# has_line DESC FILE LINE: FILE has exactly this line.
has_line () {
    if grep -qxF -- "$3" "$2"; then ok; else bad "$1: no line '$3' in: $(head -c 600 "$2")"; fi
}

# --help lists the options with their descriptions.
expect_ok "topo --help" "$S" topo --help
for opt in --hosts --nodes --prefix --sockets --cores --gpus --prop \
           --cluster-name --format --embed-jgf --output; do
    if grep -q -- "$opt" "$TMP/out"; then ok; else bad "--help lacks $opt"; fi
done
if grep -q 'Cores per socket' "$TMP/out"; then ok; else bad "--cores not described"; fi

# The generated graphs are the ones Fluxion's conformance runs used
# (compared after writing both with our JGF writer).
expect_ok "write aris4.json as JGF" "$S" graph "$G/aris4.json" --format jgf -o "$TMP/aris4.want"
expect_ok "topo aris4" "$S" topo --hosts 'aris[0-3]' -o "$TMP/aris4.got"
same_file "topo aris4 = aris4.json" "$TMP/aris4.got" "$TMP/aris4.want"
expect_ok "topo to stdout" "$S" topo --hosts 'aris[0-3]' --sockets 2 --cores 10
same_file "stdout = -o" "$TMP/out" "$TMP/aris4.got"

expect_ok "write props4.json" "$S" graph "$G/props4.json" --format jgf -o "$TMP/props4.want"
expect_ok "topo props4" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' -o "$TMP/props4.got"
same_file "topo props4 = props4.json" "$TMP/props4.got" "$TMP/props4.want"

expect_ok "write gpu2.json" "$S" graph "$G/gpu2.json" --format jgf -o "$TMP/gpu2.want"
expect_ok "topo gpu2" "$S" topo --hosts 'gnode[0-1]' --sockets 2 --cores 4 --gpus 1 \
    -o "$TMP/gpu2.got"
same_file "topo gpu2 = gpu2.json" "$TMP/gpu2.got" "$TMP/gpu2.want"

# --nodes with --prefix names hosts PREFIX0..; the defaults are ARIS nodes.
expect_ok "topo --nodes" "$S" topo --nodes 4 --prefix aris -o "$TMP/n4.got"
same_file "--nodes 4 --prefix aris = aris4" "$TMP/n4.got" "$TMP/aris4.want"
expect_ok "topo --nodes summary" sh -c "'$S' topo -n 2 | '$S' graph /dev/stdin"
has_line "default prefix" "$TMP/out" "nodes: 2 node[0-1]"
has_line "default shape" "$TMP/out" "per node: 2 sockets x 10 cores"
expect_ok "cluster name" sh -c "'$S' topo -n 1 --cluster-name aris | grep -c '\"/aris/node0/socket1/core19\"'"
has_line "cluster name in paths" "$TMP/out" "1"

# R output: canonical, deterministic.
expect_ok "topo rv1" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0-1]:normal' \
    --prop 'aris[2-3]:cosched' --format rv1
cat >"$TMP/rv1.want" <<'JSON'
{
  "version": 1,
  "execution": {
    "R_lite": [
      {
        "rank": "0-3",
        "children": {
          "core": "0-19"
        }
      }
    ],
    "nodelist": [
      "aris[0-3]"
    ],
    "properties": {
      "cosched": "2-3",
      "normal": "0-1"
    },
    "starttime": 0,
    "expiration": 0
  }
}
JSON
same_file "topo --format rv1" "$TMP/out" "$TMP/rv1.want"
expect_ok "topo rv1 gpus" "$S" topo -n 2 -s 2 -c 4 -g 1 --format rv1
if grep -q '"gpu": "0-1"' "$TMP/out"; then ok; else bad "rv1 lacks gpus: $(cat "$TMP/out")"; fi
expect_ok "topo rv1 embed" "$S" topo -n 2 --format rv1 --embed-jgf
if grep -q '"scheduling"' "$TMP/out"; then ok; else bad "--embed-jgf: no scheduling key"; fi

# Errors: one line "flurm-sim topo: ...", exit 1 (bad input) or 2 (usage),
# and with -o no file at all is left behind (not even a temporary one).
mkdir "$TMP/o"
fails () {
    code=$1; desc=$2; pattern=$3; shift 3
    expect_fail "$desc" "^flurm-sim topo: .*$pattern" "$@" -o "$TMP/o/out.json"
    if [ "$rc" -ne "$code" ]; then bad "$desc: exit $rc, expected $code"; fi
    if [ -n "$(ls -A "$TMP/o")" ]; then
        bad "$desc: left files behind: $(ls -A "$TMP/o")"; rm -f "$TMP/o/"* "$TMP/o/".??*
    fi
}
fails 2 "no hosts or nodes" "exactly one of --hosts" "$S" topo
fails 2 "both hosts and nodes" "exactly one of --hosts" "$S" topo --hosts aris0 --nodes 1
fails 1 "bad hostlist" "hosts: hostlist" "$S" topo --hosts 'aris[0-'
fails 1 "reversed hostlist" "hosts: " "$S" topo --hosts 'aris[3-1]'
fails 1 "empty hostlist" "empty" "$S" topo --hosts ''
fails 1 "duplicate host" "listed twice" "$S" topo --hosts 'aris[0-1],aris1'
fails 1 "--sockets 0" "sockets per node must be at least 1" "$S" topo -n 4 --sockets 0
fails 1 "--cores 0" "cores per socket must be at least 1" "$S" topo -n 4 --cores 0
fails 1 "--nodes 0" "at least 1" "$S" topo --nodes 0
fails 1 "--nodes 2000000" "more than the limit" "$S" topo --nodes 2000000
fails 1 "too many per node" "per node is more than the limit" "$S" topo -n 1 --cores 100000
fails 2 "--sockets abc" "--sockets 'abc'" "$S" topo -n 4 --sockets abc
fails 2 "--sockets -1" "--sockets '-1'" "$S" topo -n 4 --sockets -1
fails 2 "--nodes huge" "--nodes '99999999999'" "$S" topo --nodes 99999999999
fails 2 "prop without colon" "--prop 'aris0'" "$S" topo --hosts 'aris[0-3]' --prop aris0
fails 2 "prop without names" "--prop 'aris0:'" "$S" topo --hosts 'aris[0-3]' --prop aris0:
fails 2 "prop empty name" "empty property name" "$S" topo --hosts 'aris[0-3]' --prop 'aris0:a,,b'
fails 1 "prop unknown host" "aris9" "$S" topo --hosts 'aris[0-3]' --prop 'aris9:normal'
fails 1 "prop bad hostlist" "hostlist" "$S" topo --hosts 'aris[0-3]' --prop 'aris[0:normal'
fails 1 "prop bad name" "a\\|b" "$S" topo --hosts 'aris[0-3]' --prop 'aris0:a|b'
fails 2 "unknown format" "--format 'xml'" "$S" topo -n 1 --format xml
fails 2 "embed with jgf" "--embed-jgf" "$S" topo -n 1 --embed-jgf
fails 2 "unknown option" "Unknown option" "$S" topo -n 1 --frobnicate
fails 2 "extra argument" "unexpected argument" "$S" topo -n 1 extra
fails 2 "prefix without nodes" "--prefix" "$S" topo --hosts aris0 --prefix x
expect_fail "unwritable -o" "^flurm-sim topo: .*cannot create" \
    "$S" topo -n 1 -o "$TMP/no/such/dir/out.json"

# A failed run never replaces an existing file.
echo keep >"$TMP/o/keep.json"
expect_fail "keeps old file" "^flurm-sim topo: " "$S" topo --sockets 0 -n 1 -o "$TMP/o/keep.json"
if [ "$(cat "$TMP/o/keep.json")" = keep ] && [ "$(ls -A "$TMP/o")" = keep.json ]; then ok
else bad "failed run touched the existing output"; fi

# Input quoted in an error stays on one line, escaped.
rm -f "$TMP/o/keep.json"
nl='a
b'
fails 1 "prefix with a newline" 'node name prefix "a\\nb"' "$S" topo -n 2 --prefix "$nl"
fails 1 "prefix with a comma" 'prefix "a,b"' "$S" topo -n 2 --prefix 'a,b'
fails 1 "host with a slash" "contains '/'" "$S" topo --hosts 'a/b'
fails 2 "format with a newline" "--format 'a\\\\nb'" "$S" topo -n 1 --format "$nl"
expect_fail "-o names a folder" "^flurm-sim topo: .*is a folder, not a file" \
    "$S" topo -n 1 -o "$TMP/o"
expect_fail "-o ends in /" "^flurm-sim topo: .*names a folder, not a file" \
    "$S" topo -n 1 -o "$TMP/o/new/"

finish
