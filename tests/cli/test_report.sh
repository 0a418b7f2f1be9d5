# tests/cli/test_report.sh — flurm-sim report: one self-contained HTML file
# of the bundled example and of several runs (an imported real run among
# them), identical on a rerun, escaped, and rendered by headless Chromium
# with every image decoded; bad input gives one line and no file.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
GOLD=results/golden
IMP=tests/data/import
# The binary may be built outside the source tree: name the script.
FLURM_PLOT=$ROOT/scripts/flurm_plot.py
export FLURM_PLOT
# The command's temporary plots go here, so the test sees they are removed.
mkdir "$TMP/tmpdir"
TMPDIR=$TMP/tmpdir
export TMPDIR

if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null \
   && ! python3 -c 'import matplotlib' 2>/dev/null; then
    echo "SKIPPED: the report's plots need a Python 3 with matplotlib" \
         "(apt-get install python3-matplotlib)"
    exit 77
fi

# count PATTERN FILE: how many times PATTERN occurs in FILE.
count () { grep -o -- "$1" "$2" | wc -l; }

# The bundled example: summary, three plots inside the file, the per-queue
# waits and the configuration that produced the run.
expect_ok "report quickstart" "$FLURM_SIM" report $GOLD/aris-quickstart -o "$TMP/qs.html"
grep -q "^1 run -> $TMP/qs.html\$" "$TMP/out" && ok || bad "report said: $(cat "$TMP/out")"
R=$TMP/qs.html
head -1 "$R" | grep -q '^<!DOCTYPE html>$' && ok || bad "not an HTML5 document"
[ "$(count '<img alt="[a-z]*" src="data:image/png;base64,iVBORw0KGgo' "$R")" -eq 3 ] && ok \
    || bad "expected 3 embedded PNGs (gantt, utilisation, waits)"
grep -Eq '(src|href)="(https?:|//|file:)|<link|<script src' "$R" \
    && bad "the report loads something from outside" || ok
grep -q '<tr><th>makespan</th><td>1125</td></tr>' "$R" && ok || bad "no makespan row"
grep -q '<tr><th>wait</th><td>mean 153.095238, median 72.5, p95 610, max 635</td>' "$R" && ok \
    || bad "summary.json's wait not shown"
grep -q '<tr><td>cosched</td><td>19</td><td>19</td><td>38.4</td>' "$R" && ok \
    || bad "no per-queue row for cosched"
grep -q '&quot;cores-per-socket&quot;: 10' "$R" && ok || bad "config.json not shown"
[ -z "$(ls -A "$TMP/tmpdir")" ] && ok || bad "temporary plots left: $(ls -A "$TMP/tmpdir")"

# Same runs, same bytes.
expect_ok "report again" "$FLURM_SIM" report $GOLD/aris-quickstart -o "$TMP/qs2.html"
cmp -s "$R" "$TMP/qs2.html" && ok || bad "two reports of one run differ"
# The committed report is this one (its images aside, which depend on the
# installed matplotlib).
sed 's/base64,[A-Za-z0-9+/=]*/base64,/' "$R" >"$TMP/now.html"
sed 's/base64,[A-Za-z0-9+/=]*/base64,/' results/report/aris-quickstart.html >"$TMP/kept.html"
cmp -s "$TMP/now.html" "$TMP/kept.html" && ok \
    || bad "results/report/aris-quickstart.html is not current (docs/report.md: rebuild it)"

# Several runs, simulated and imported: a comparison table first, one
# section each; the imports have no summary.json or config.json, and a run
# without core counts says why it has no utilisation plot.
expect_ok "import sacct" "$FLURM_SIM" import $IMP/sacct/normal.txt -o "$TMP/sacct"
expect_ok "import npb" "$FLURM_SIM" import $IMP/npb/flux_logs -o "$TMP/npb.csv"
expect_ok "report four" "$FLURM_SIM" report $GOLD/aris-quickstart $GOLD/aris-mixed-easy-fifo \
    "$TMP/sacct" "$TMP/npb.csv" -o "$TMP/four.html"
F=$TMP/four.html
grep -q '<h2 id="comparison">Comparison</h2>' "$F" && ok || bad "no comparison table"
[ "$(count '<section id="run-[1-4]">' "$F")" -eq 4 ] && ok || bad "expected 4 run sections"
grep -q '<td><a href="#run-2">aris-mixed</a></td><td>300</td><td>300</td><td>6363.0</td><td>81.1<' \
    "$F" && ok || bad "comparison row of aris-mixed"
grep -q '<tr><td><a href="#run-3">sacct</a></td><td>8</td><td>5</td>' "$F" && ok \
    || bad "comparison row of the sacct import"
[ "$(count 'No summary.json (an imported run' "$F")" -eq 2 ] && ok || bad "imports not noted"
grep -q 'No utilisation plot: .*npb.csv: no job records the cores it held' "$F" && ok \
    || bad "npb: missing plot not explained"
[ "$(count '<img ' "$F")" -eq 11 ] && ok || bad "expected 11 plots"

# Names and paths are escaped: a run folder named like markup stays text.
odd="$TMP/a<b>&\"c'"
cp -r $GOLD/aris-quickstart "$odd"
expect_ok "report odd name" "$FLURM_SIM" report "$odd" -o "$TMP/odd.html"
grep -q "a&lt;b&gt;&amp;&quot;c&#39;" "$TMP/odd.html" && ! grep -q 'a<b>' "$TMP/odd.html" && ok \
    || bad "run path not escaped"

# Headless Chromium: the page renders, and with ?check it lists the images
# that did not decode.  A report with one image spoilt must be caught.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
    # check HTML: Chromium's verdict on the page's images, "images N broken M"
    check () {
        TMPDIR=$TMP timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
            --user-data-dir="$TMP/chromium" --virtual-time-budget=10000 \
            --dump-dom "file://$1?check" 2>/dev/null \
            | sed -n 's/.*<div id="flurm-check">\([^<]*\)<\/div>.*/\1/p'
    }
    v=$(check "$F")
    [ "$v" = "images 11 broken 0" ] && ok || bad "chromium on the four-run report: '$v'"
    v=$(check "$R")
    [ "$v" = "images 3 broken 0" ] && ok || bad "chromium on the quickstart report: '$v'"
    sed '0,/base64,iVBORw0KGgo/s//base64,AAAAspoilt/' "$R" >"$TMP/spoilt.html"
    v=$(check "$TMP/spoilt.html")
    [ "$v" = "images 3 broken 1: gantt" ] && ok || bad "chromium missed a broken image: '$v'"
    TMPDIR=$TMP timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$TMP/chromium" --hide-scrollbars --window-size=1280,2400 \
        --screenshot="$TMP/shot.png" "file://$R" >/dev/null 2>&1
    [ -s "$TMP/shot.png" ] && ok || bad "chromium took no screenshot"
else
    skipped "rendering the report needs chromium (apt-get install chromium; setup.sh --test does)"
fi

# Bad input: one line naming what is wrong, exit 1 (2 for usage), no file.
expect_fail "missing run" "^flurm-sim report: $TMP/nope: cannot open: No such file" \
    "$FLURM_SIM" report "$TMP/nope" -o "$TMP/bad.html"
expect_fail "not a run folder" "^flurm-sim report: tests/data: not a run folder \(no jobs.csv\)" \
    "$FLURM_SIM" report tests/data -o "$TMP/bad.html"
mkdir "$TMP/badcsv"
printf 'job_id,submission_time,starting_time,finish_time\n1,0,x,5\n' >"$TMP/badcsv/jobs.csv"
expect_fail "bad jobs.csv" "^flurm-sim report: $TMP/badcsv/jobs.csv:2: " \
    "$FLURM_SIM" report "$TMP/badcsv" -o "$TMP/bad.html"
cp -r $GOLD/aris-quickstart "$TMP/badsum"
echo '{"name": ' >"$TMP/badsum/summary.json"
expect_fail "bad summary.json" "^flurm-sim report: $TMP/badsum/summary.json:[0-9]+:[0-9]+: " \
    "$FLURM_SIM" report "$TMP/badsum" -o "$TMP/bad.html"
sed '2s/,145-149 155-159,/,145-x,/' $GOLD/aris-quickstart/jobs.csv >"$TMP/in-res.csv"
expect_fail "plotting fails" \
    "^flurm-sim report: flurm_plot.py all: $TMP/in-res.csv:2: allocated_resources: '145-x'" \
    "$FLURM_SIM" report "$TMP/in-res.csv" -o "$TMP/bad.html"
expect_fail "no matplotlib" "FLURM_PYTHON=/bin/false cannot import matplotlib \(install python3-" \
    env FLURM_PYTHON=/bin/false "$FLURM_SIM" report $GOLD/aris-quickstart -o "$TMP/bad.html"
expect_fail "no script" "FLURM_PLOT=$TMP/none.py: no such file" \
    env FLURM_PLOT="$TMP/none.py" "$FLURM_SIM" report $GOLD/aris-quickstart -o "$TMP/bad.html"
expect_fail "usage" "expected RUN... and -o FILE" "$FLURM_SIM" report $GOLD/aris-quickstart
"$FLURM_SIM" report $GOLD/aris-quickstart 2>/dev/null
[ $? -eq 2 ] && ok || bad "wrong usage does not exit 2"
[ ! -e "$TMP/bad.html" ] && [ -z "$(ls -A "$TMP/tmpdir")" ] && ok \
    || bad "a failed report left files: $(ls -A "$TMP" "$TMP/tmpdir")"

finish
