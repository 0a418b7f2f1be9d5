/* sim/compare.h — two runs side by side: which jobs correspond, and how
 * far apart their runtimes, waits and turnarounds are.
 *
 * A is the run under test (usually a simulation), B the reference (usually
 * a real run): relative errors are |A - B| / B.  Only differences of times
 * are compared (runtime, wait = start - submit, turnaround = end - submit,
 * makespan = last end - first submit), so a simulation that starts at 0
 * compares with a real run in epoch seconds.
 *
 * Jobs are paired by id, by name (a job without one is known by its id),
 * or by application (the k-th run of an
 * app in A, in order of start, with the k-th in B: how a simulated loop
 * of cg.D.64 meets the measured runs of cg.D.64).  `auto` takes the first
 * of id, name, app that pairs at least half of B's jobs.  Jobs left
 * unpaired are listed, never ignored.
 */
#ifndef FLURM_SIM_COMPARE_H
#define FLURM_SIM_COMPARE_H

#include <stddef.h>

#include <jansson.h>

#include "sim/error.h"
#include "sim/run.h"

enum flurm_compare_by {
    FLURM_COMPARE_AUTO,
    FLURM_COMPARE_ID,
    FLURM_COMPARE_NAME,
    FLURM_COMPARE_APP,
};

/* "auto", "id", "name", "app" */
int flurm_compare_by_parse (const char *s, enum flurm_compare_by *out, flurm_error_t *err);
const char *flurm_compare_by_name (enum flurm_compare_by by);

/* Error figures over a set of pairs; counts say how many pairs had both
 * values known (NAN figures when none). */
struct flurm_compare_errors {
    size_t n_runtime, n_wait, n_turnaround;
    double runtime_mae, runtime_mape;   /* s; fraction */
    double wait_mae, turnaround_mae, turnaround_mape;
};

struct flurm_compare_app {
    char *app;                          /* "(none)" for jobs without one */
    size_t pairs;
    struct flurm_compare_errors err;
};

struct flurm_compare_pair {
    size_t a, b;                        /* indexes into the runs' jobs */
};

struct flurm_compare {
    enum flurm_compare_by by;           /* how jobs were paired (never AUTO) */
    struct flurm_compare_pair *pairs;
    size_t npairs;
    size_t *only_a, n_only_a;           /* unpaired jobs of A, of B */
    size_t *only_b, n_only_b;
    struct flurm_compare_errors all;
    struct flurm_compare_app *apps;     /* sorted by name */
    size_t napps;
    double makespan_a, makespan_b;      /* NAN when unknown */
    double mean_wait_a, mean_wait_b;
};

struct flurm_compare *flurm_compare_runs (const struct flurm_run *a, const struct flurm_run *b,
                                          enum flurm_compare_by by, flurm_error_t *err);
void flurm_compare_destroy (struct flurm_compare *c);

/* The worst relative difference among the per-app runtime MAPEs, the
 * makespan and the mean wait, and a line naming it (caller frees). */
double flurm_compare_worst (const struct flurm_compare *c, char **what);

/* Per-pair table (one row per pair, then the unpaired jobs). */
int flurm_compare_write_csv (const char *path, const struct flurm_compare *c,
                             const struct flurm_run *a, const struct flurm_run *b,
                             flurm_error_t *err);
json_t *flurm_compare_json (const struct flurm_compare *c, const struct flurm_run *a,
                            const struct flurm_run *b);

#endif
