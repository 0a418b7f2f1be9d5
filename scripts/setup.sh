#!/bin/sh
# scripts/setup.sh — install what Flurm needs (Debian packages, only those
# missing), configure and build it.  Safe to run again: it does only what is
# left to do.
#
#   scripts/setup.sh              build into build/
#   scripts/setup.sh --test       build, then run the whole test suite (ctest)
#   scripts/setup.sh --sanitize   use build-asan/ with AddressSanitizer+UBSan
#
# With CI=true in the environment warnings are errors (-Werror).
set -eu

cd "$(dirname "$0")/.."

run_tests=0
sanitize=0
for arg in "$@"; do
    case "$arg" in
        --test) run_tests=1 ;;
        --sanitize) sanitize=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

# Build tools and the five libraries CMakeLists.txt asks pkg-config for:
# glib, jansson, libyaml and gsl, and cmocka for the tests; matplotlib for
# scripts/flurm_plot.py and `flurm-sim report` (Debian's, for /usr/bin/python3).
packages="build-essential cmake pkg-config libglib2.0-dev libjansson-dev libyaml-dev libgsl-dev libcmocka-dev"
packages="$packages python3-matplotlib"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup.sh: installing Debian packages:$missing"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ $sanitize -eq 1 ]; then
    builddir=build-asan
    flags="-DCMAKE_BUILD_TYPE=Debug -DFLURM_SANITIZE=ON"
else
    builddir=build
    flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
fi
if [ "${CI:-}" = "true" ]; then
    flags="$flags -DFLURM_WERROR=ON"
fi

cmake -S . -B "$builddir" $flags >/dev/null
cmake --build "$builddir" -j "$(nproc)"

# The report test opens a report in headless Chromium.  A machine that
# cannot install it still builds and tests: that test then says it skipped.
if [ $run_tests -eq 1 ] && ! command -v chromium >/dev/null 2>&1 \
   && ! command -v chromium-browser >/dev/null 2>&1; then
    echo "setup.sh: installing chromium for the report test"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    { $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive \
         $sudo apt-get install -y -qq --no-install-recommends chromium; } \
      || echo "setup.sh: chromium could not be installed; the report test will skip"
fi

if [ $run_tests -eq 1 ]; then
    ctest --test-dir "$builddir" --output-on-failure -j "$(nproc)"
fi
