# scripts/bench_build.sh — sourced by the bench scripts: sets FLURM_SIM to
# an optimised flurm-sim (NDEBUG, -O2) built into $WORK, unless the caller
# gave one.  Benchmarks build their own binary so that a debug build in
# build/ never ends up in a figure.
if [ -z "${FLURM_SIM:-}" ]; then
    FLURM_SIM=$WORK/flurm-sim
    PK="glib-2.0 gio-2.0 jansson yaml-0.1 gsl"
    # shellcheck disable=SC2046
    gcc -std=c11 -O2 -DNDEBUG -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
        -DFLURM_VERSION='"bench"' -I. $(pkg-config --cflags $PK) \
        sim/*.c policies/*.c models/*.c sim/cli/*.c $(pkg-config --libs $PK) -lm \
        -o "$FLURM_SIM"
fi
