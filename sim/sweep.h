/* sim/sweep.h — a sweep: one input replayed under every combination of a
 * few `flurm-sim run` options, one run folder each, and the merge of their
 * summaries into one table.
 *
 *   name: aris-mixed-policies
 *   trace: ../traces/aris-npb/mixed.yaml  # a trace or an SWF log, relative
 *                                         # to the sweep file's folder
 *   axes:                                 # the cross product, in this order:
 *     queue-policy: [fcfs, easy]          # the first axis varies slowest
 *     load-factor: [1, 1.25]
 *   options: [--check]                    # more run options, for every run
 *
 * Axes are run options: queue-policy, match-policy, pairing, interference,
 * seed, load-factor, nodes, queue-depth, reservation-depth.  Every value is
 * checked when the file is read (names against the policy registries,
 * numbers against the ranges run accepts), so a typo fails at its line
 * before any run starts, and is kept in the text run parses back to the
 * same value ("1.0" becomes "1"): two values that mean one configuration
 * are the error "duplicate run".
 *
 * A run is named by its values, "queue-policy=easy,load-factor=1.25", and
 * that name is its folder.  Names do not depend on the position of a value
 * in its axis, so a sweep that gains a value finds the runs it had.  The
 * names stay plain file names because values are registry names or
 * numbers (match policies: the registered names, not Fluxion's custom
 * strings).
 *
 * A run is complete when its folder holds a summary.json that parses:
 * `flurm-sim run` writes it atomically, last, so a run that was killed or
 * failed leaves none and is done again.
 */
#ifndef FLURM_SIM_SWEEP_H
#define FLURM_SIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/error.h"

/* More runs than this is a mistake in the file, not a study. */
#define FLURM_SWEEP_MAX_RUNS 100000u

/* The load factors `flurm-sim run --load-factor` accepts, here so that a
 * sweep refuses what a run would: far outside them is a typing mistake,
 * and a tiny factor pushes submit times past what a workload accepts. */
#define FLURM_LOAD_FACTOR_MIN 0.001
#define FLURM_LOAD_FACTOR_MAX 1000.0

struct flurm_sweep_axis {
    char *name;        /* the run option without its "--" */
    char **values;     /* in the file's order, as run parses them back */
    size_t nvalues;
};

struct flurm_sweep {
    char *source;      /* the sweep file, for messages */
    char *name;
    char *trace_text;  /* the trace: as written in the file */
    char *trace;       /* ... and resolved against the file's folder */
    struct flurm_sweep_axis *axes;
    size_t naxes;
    char **options;    /* NULL-terminated, possibly empty */
    size_t nruns;      /* the product of the axes' sizes */
};

/* Read and check a sweep file; the trace must exist. */
struct flurm_sweep *flurm_sweep_load_file (const char *path, flurm_error_t *err);
struct flurm_sweep *flurm_sweep_load_buffer (const char *data, size_t len, const char *source,
                                             const char *base_dir, flurm_error_t *err);
void flurm_sweep_destroy (struct flurm_sweep *s);

/* The value of axis `axis` in run `run` (0 <= run < nruns). */
const char *flurm_sweep_value (const struct flurm_sweep *s, size_t run, size_t axis);

/* "queue-policy=easy,load-factor=1.25" (g_free). */
char *flurm_sweep_run_name (const struct flurm_sweep *s, size_t run);

/* DIR/NAME (g_free). */
char *flurm_sweep_run_dir (const struct flurm_sweep *s, size_t run, const char *dir);

/* The arguments of `flurm-sim run` for a run, NULL-terminated (g_strfreev):
 * TRACE -o RUN_DIR --AXIS VALUE... OPTIONS... --quiet.  `trace` and
 * `run_dir` are passed in because a cluster needs absolute paths where a
 * local sweep keeps the ones the user typed. */
char **flurm_sweep_run_args (const struct flurm_sweep *s, size_t run, const char *trace,
                             const char *run_dir);

/* Whether run_dir holds a complete run. */
bool flurm_sweep_run_done (const char *run_dir);

/* The expansion, for DIR/sweep.json: the file's name, trace and options,
 * the axes, and every run's name, values and arguments (with `dir`). */
json_t *flurm_sweep_json (const struct flurm_sweep *s, const char *dir);

/* A folder holding the runs of another sweep must not be mixed with this
 * one: when DIR/sweep.json exists, its trace (as written) and options must
 * be this sweep's.  Changing them needs a fresh folder; a changed trace
 * file under the same name is not noticed. */
int flurm_sweep_check_dir (const struct flurm_sweep *s, const char *dir, flurm_error_t *err);

/* One run's figures, from its summary.json. */
struct flurm_sweep_row {
    bool done;                  /* false: no summary.json, figures unset */
    uint64_t completed;         /* jobs.completed */
    double makespan, utilisation, wait_mean, wait_median, wait_p95, bsld_mean, node_hours;
    double slowdown;            /* interference.mean_slowdown, NaN without a model */
};

struct flurm_sweep_table {
    struct flurm_sweep_row *rows; /* nruns, in run order */
    size_t nruns, ndone;
    bool has_slowdown;          /* some run has an interference model */
};

/* Read every run's summary.json under dir.  A run without one is a row
 * not done; a summary.json that does not parse or lacks a figure is an
 * error naming it. */
int flurm_sweep_merge (const struct flurm_sweep *s, const char *dir,
                       struct flurm_sweep_table *out, flurm_error_t *err);
void flurm_sweep_table_clear (struct flurm_sweep_table *t);

/* sweep.csv: run, one column per axis, status (done or missing), then
 * jobs_completed, makespan, utilisation, wait_mean, wait_median, wait_p95,
 * bsld_mean, node_hours and, when some run has one, interference_slowdown.
 * Seconds and hours with three decimals, ratios with six; written
 * atomically, the same bytes for the same runs. */
int flurm_sweep_write_csv (const struct flurm_sweep *s, const struct flurm_sweep_table *t,
                           const char *path, flurm_error_t *err);

#endif
