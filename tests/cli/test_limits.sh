# tests/cli/test_limits.sh — inputs that would exhaust memory are refused
# with one line, before anything big is allocated (docs/bad-input.md lists
# the limits): counts of 2^40, a hostlist of a billion hosts, documents
# nested 10,000 deep, a 10 GB file, a 100 MB line.
. "$(dirname "$0")/lib.sh"

# under_mb LIMIT CMD...: CMD fails with one line and its peak memory
# stays under LIMIT MiB (so it refused before allocating).
under_mb () {
    limit=$1; shift
    /usr/bin/time -f '%M' -o "$TMP/rss" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    rss=$(tail -1 "$TMP/rss")
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$rss" -lt $((limit * 1024)) ]; then ok
    else bad "$*: exit $rc, peak ${rss} KiB (limit ${limit} MiB): $(head -c 300 "$TMP/err")"; fi
}

printf 'name: x\ncluster: {nodes: 1}\njobs:\n  - {runtime: 10, ntasks: 1099511627776}\n' >"$TMP/t1.yaml"
expect_fail "2^40 tasks" "t1.yaml:4:.*ntasks must be <= 1000000" "$FLURM_SIM" run "$TMP/t1.yaml" -o "$TMP/o"
printf 'name: x\ncluster: {nodes: 1099511627776}\njobs:\n  - {runtime: 10, ntasks: 1}\n' >"$TMP/t2.yaml"
expect_fail "2^40 nodes" "t2.yaml:2:.*nodes must be <= 1000000" "$FLURM_SIM" run "$TMP/t2.yaml" -o "$TMP/o"
printf 'name: x\ncluster: {nodes: 2, cores-per-socket: 1099511627776}\njobs:\n  - {runtime: 10, ntasks: 1}\n' >"$TMP/t3.yaml"
expect_fail "2^40 cores per socket" "t3.yaml:2:.*cores-per-socket must be <= 65536" \
    "$FLURM_SIM" run "$TMP/t3.yaml" -o "$TMP/o"
printf '{"version":1,"resources":[{"type":"slot","count":1099511627776,"label":"t","with":[{"type":"core","count":1}]}],"tasks":[{"command":["x"],"slot":"t","count":{"per_slot":1}}],"attributes":{"system":{"duration":0}}}' >"$TMP/count.json"
expect_fail "2^40 count in a jobspec" "count.json:1:.*count" "$FLURM_SIM" jobspec "$TMP/count.json"

expect_fail "a billion hosts" "more than 16777216 hosts" "$FLURM_SIM" topo --hosts 'n[0-999999999]'
under_mb 64 "$FLURM_SIM" topo --hosts 'n[0-999999999]'
printf '{"version":1,"execution":{"R_lite":[{"rank":"0-4294967294","children":{"core":"0"}}],"nodelist":["n[0-4294967294]"]}}' >"$TMP/R.json"
under_mb 64 "$FLURM_SIM" graph "$TMP/R.json"

# 10,000 levels of nesting, as JSON and as YAML flow and block style.
python3 -c "print('[' * 10000 + ']' * 10000)" >"$TMP/deep.json"
expect_fail "JSON nested 10,000 deep" "deep.json:1:.*nesting deeper than" "$FLURM_SIM" jobspec "$TMP/deep.json"
python3 -c "print('a: ' + '[' * 10000 + ']' * 10000)" >"$TMP/deep.yaml"
expect_fail "YAML nested 10,000 deep" "deep.yaml:1:.*nesting deeper than" "$FLURM_SIM" run "$TMP/deep.yaml" -o "$TMP/o"
python3 -c "
import sys
out = []
for i in range(10000):
    out.append(' ' * i + 'k:')
print('\n'.join(out))" >"$TMP/deep-block.yaml"
expect_fail "YAML block nesting 10,000 deep" "deep-block.yaml:.*nesting deeper than" \
    "$FLURM_SIM" run "$TMP/deep-block.yaml" -o "$TMP/o"

# A 10 GB file (sparse: no disk used) is refused before it is read.
if truncate -s 10G "$TMP/huge.swf" 2>/dev/null; then
    expect_fail "10 GB log" "huge.swf: input is larger than" "$FLURM_SIM" run "$TMP/huge.swf" -o "$TMP/o"
    under_mb 64 "$FLURM_SIM" run "$TMP/huge.swf" -o "$TMP/o"
    truncate -s 10G "$TMP/huge.yaml"
    expect_fail "10 GB trace" "huge.yaml: input is larger than" "$FLURM_SIM" run "$TMP/huge.yaml" -o "$TMP/o"
    rm -f "$TMP/huge.swf" "$TMP/huge.yaml"
else
    skipped "10 GB sparse file: truncate failed here"
fi
# A 100 MB line: read (under the size limit), refused at its first field.
{ printf '1 0 0 10 4 -1 -1 4 20 -1 1 1 1 -1 1 -1 -1 -1\n'
  head -c 100000000 /dev/zero | tr '\0' '9'; echo; } >"$TMP/long.swf"
expect_fail "100 MB line" "long.swf:2:1: field 1 \\(job number\\)" "$FLURM_SIM" run "$TMP/long.swf" -o "$TMP/o"
if [ ! -e "$TMP/o" ]; then ok; else bad "a refused input left an output folder"; fi

finish
