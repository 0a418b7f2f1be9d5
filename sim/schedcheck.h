/* sim/schedcheck.h — re-check a schedule from its jobs.csv alone.
 *
 * Checks, for every job that ran: start >= submit, finish >= start; that
 * no core (allocated_resources, "0-3 8" or "0-3,8") is held by two jobs at
 * once (a job ending at t and one starting at t do not overlap); and that
 * the cores in use never exceed the capacity (given, or else the highest
 * core number + 1; jobs without allocated_resources count their
 * requested_number_of_resources).  Works on any tool's schedule written
 * with the Batsim/evalys column names.
 */
#ifndef FLURM_SIM_SCHEDCHECK_H
#define FLURM_SIM_SCHEDCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/jobscsv.h"

#define FLURM_SCHEDCHECK_MAX_CORE (1u << 24)
#define FLURM_SCHEDCHECK_MAX_PROBLEMS 20

struct flurm_schedcheck_report {
    size_t njobs, nran;
    uint64_t capacity;       /* used for the check */
    uint64_t peak_cores;
    size_t nproblems;        /* all found */
    char *problems[FLURM_SCHEDCHECK_MAX_PROBLEMS]; /* the first ones, one line each */
};

/* capacity 0 = infer.  -1 only for input that cannot be checked (bad
 * allocated_resources text, a core number above the limit). */
int flurm_schedcheck (const struct flurm_csv_jobs *c, uint64_t capacity,
                      struct flurm_schedcheck_report *r, flurm_error_t *err);
void flurm_schedcheck_report_clear (struct flurm_schedcheck_report *r);

#endif
