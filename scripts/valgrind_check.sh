#!/bin/sh
# scripts/valgrind_check.sh — memcheck on end-to-end runs of the built
# flurm-sim: a co-scheduled trace with the interference model and an SWF
# log.  Any invalid access or definite/indirect leak fails (exit 1).
# Installs valgrind (Debian) when missing.  CI runs it after the tests.
#
#   scripts/valgrind_check.sh [FLURM_SIM]     default: build/flurm-sim
set -eu
cd "$(dirname "$0")/.."
SIM=${1:-build/flurm-sim}
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends valgrind
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
check () {
    echo "valgrind: flurm-sim $*"
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=3 "$SIM" "$@" --quiet
}
check run traces/aris-npb/mixed.yaml -o "$OUT/mixed"
check run traces/swf/KTH-SP2-1996-2.1-cln.first2000.swf --queue-policy easy -o "$OUT/kth"
echo "valgrind: no invalid access, no leak"
