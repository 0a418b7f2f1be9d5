/* sim/runcompare.h — compare a run with expected outputs (flurm-sim check).
 *
 * Job by job (jobs.csv, matched by job_id): the same jobs, each with the
 * same state and allocated resources, and submission/start/finish times
 * within `time_tolerance` seconds.  In aggregate (summary.json): every
 * number outside the "engine" counters within `rel_tolerance` (relative,
 * against max(1, |expected|)), every other value equal.
 */
#ifndef FLURM_SIM_RUNCOMPARE_H
#define FLURM_SIM_RUNCOMPARE_H

#include <glib.h>

#include "sim/error.h"

#define FLURM_RUNCOMPARE_MAX_LINES 20

struct flurm_runcompare_options {
    double time_tolerance;  /* s, default 0 */
    double rel_tolerance;   /* default 0 */
};

/* Appends one line per difference (the first FLURM_RUNCOMPARE_MAX_LINES,
 * then a count) to `report`; *ndiff receives the number of differences.
 * -1 when a file cannot be read. */
int flurm_runcompare (const char *run_dir, const char *expected_dir,
                      const struct flurm_runcompare_options *opts, GString *report,
                      size_t *ndiff, flurm_error_t *err);

#endif
