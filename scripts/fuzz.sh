#!/bin/sh
# scripts/fuzz.sh — run the libFuzzer targets of tests/fuzz/, keep what
# they find, and record how much they ran.
#
#   scripts/fuzz.sh                   every target, 60 s each, one after another
#   scripts/fuzz.sh 300 jobspec rv1   those targets, 300 s each
#   FLURM_FUZZ_BUILD=DIR              build there (default build-fuzz/: clang,
#                                     -DFLURM_FUZZ=ON)
#   FLURM_FUZZ_WORK=DIR               new corpus units and logs go there
#                                     (default: a new temporary folder, kept)
#
# Each target starts from its seeds (tests/fuzz/corpus/TARGET) and its kept
# crashers; what it adds to its corpus goes to the work folder, never into
# the repository.  An input that crashes, leaks, runs 10 s or more or out
# of memory (2 GB) is copied to tests/fuzz/crashes/TARGET/, where the test
# suite replays it from then on (ctest -R fuzz.replay_TARGET), and the
# target is started again for the time left, up to 5 findings.  A line per
# target is appended to results/fuzz/README.md: date, commit, seconds,
# executions, new corpus units and findings (from libFuzzer's final stats).
set -eu

cd "$(dirname "$0")/.."

# The targets: tests/fuzz/fuzz_NAME.c -> NAME.
all_targets () {
    for f in tests/fuzz/fuzz_*.c; do
        f=${f#tests/fuzz/fuzz_}
        printf '%s ' "${f%.c}"
    done
}

# Files in a folder.
count () {
    n=0
    for f in "$1"/*; do
        [ -e "$f" ] && n=$((n + 1))
    done
    echo $n
}

seconds=60
case "${1:-}" in
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    ''|*[!0-9]*) ;;
    *) seconds=$1; shift ;;
esac
if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # target names are single words
    set -- $(all_targets)
fi
for t in "$@"; do
    if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then
        echo "fuzz.sh: no target '$t' (targets: $(all_targets))" >&2
        exit 2
    fi
done
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz.sh: libFuzzer needs clang (Debian: apt-get install clang libclang-rt-dev)" >&2
    exit 1
fi

build=${FLURM_FUZZ_BUILD:-build-fuzz}
work=${FLURM_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/flurm-fuzz.XXXXXX")}
mkdir -p "$work"
targets=""
for t in "$@"; do targets="$targets fuzz_$t"; done
# build_targets: configure and build them; compiler output goes to a log,
# shown when the build fails.
build_targets () {
    cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DFLURM_FUZZ=ON \
          -DCMAKE_BUILD_TYPE=RelWithDebInfo || return 1
    # shellcheck disable=SC2086 # a list of single-word target names
    cmake --build "$build" -j "$(nproc)" --target $targets
}
if ! build_targets >"$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log" >&2
    echo "fuzz.sh: the build failed, see $work/build.log" >&2
    exit 1
fi

readme=results/fuzz/README.md
if [ ! -f "$readme" ]; then
    mkdir -p results/fuzz
    printf '| date | commit | target | seconds | executions | new units | findings |\n' >"$readme"
    printf '|---|---|---|---:|---:|---:|---:|\n' >>"$readme"
fi
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
# The importer targets write a jobs.csv per input through sim/outfile.c,
# which fsyncs: free on tmpfs, ten times slower on a disk.
fuzz_tmp=${TMPDIR:-/tmp}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    fuzz_tmp=/dev/shm
fi

# stat NAME LOG: libFuzzer's final figure NAME, 0 when absent.
stat () {
    sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n 1 | grep . || echo 0
}

for t in "$@"; do
    corpus="$work/corpus/$t"
    artifacts="$work/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    seeds="tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/crashes/$t" ] && seeds="$seeds tests/fuzz/crashes/$t"
    execs=0 units=0 found=0 round=0
    start=$(date +%s)
    left=$seconds
    while [ "$left" -gt 0 ] && [ $found -lt 5 ]; do
        round=$((round + 1))
        log="$work/$t.$round.log"
        before=$(count "$artifacts")
        # The first corpus folder receives new units: the work folder.
        rc=0
        # shellcheck disable=SC2086 # $seeds: one or two relative folders
        TMPDIR=$fuzz_tmp "$build/tests/fuzz/fuzz_$t" -max_total_time="$left" -print_final_stats=1 \
            -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
            "$corpus" $seeds </dev/null >"$log" 2>&1 || rc=$?
        execs=$((execs + $(stat number_of_executed_units "$log")))
        units=$((units + $(stat new_units_added "$log")))
        after=$(count "$artifacts")
        if [ "$after" -eq "$before" ] && [ $rc -ne 0 ]; then
            echo "fuzz.sh: fuzz_$t failed without saving an input (exit $rc), see $log" >&2
            exit 1
        fi
        found=$((found + after - before))
        left=$((seconds - ($(date +%s) - start)))
    done
    if [ $found -gt 0 ]; then
        mkdir -p "tests/fuzz/crashes/$t"
        cp "$artifacts"/* "tests/fuzz/crashes/$t/"
        echo "fuzz.sh: $t: $found finding(s) copied to tests/fuzz/crashes/$t/" >&2
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%d)" "$commit" "$t" \
        "$seconds" "$execs" "$units" "$found" >>"$readme"
    echo "fuzz.sh: $t: $execs executions, $units new units, $found finding(s) ($work)"
done
