/* sim/jobscsv.h — read a jobs.csv back (Flurm's, or any tool's with the
 * Batsim/evalys column names), for comparing and validating schedules.
 *
 * Columns are found by name in the header; job_id, submission_time,
 * starting_time and finish_time are required, the others optional
 * (requested_number_of_resources, allocated_resources, state, name, app,
 * queue).  An empty start or end means the job never ran; an empty
 * submission time means it is unknown, which only a job that never
 * started may have (an NPB log without DATE lines, a measured pool).
 * Records follow RFC 4180: a quoted field may hold a line break, so a
 * record may span lines; errors name its first line, "FILE:LINE: ...".
 */
#ifndef FLURM_SIM_JOBSCSV_H
#define FLURM_SIM_JOBSCSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

struct flurm_csv_job {
    char *id;             /* as written */
    double submit, start, end; /* < 0 when empty */
    bool ran;
    int64_t requested;    /* -1 when absent */
    char *resources;      /* allocated_resources text, "" when absent */
    char *state;          /* "" when absent */
    char *name, *app, *queue; /* "" when absent */
    int line;
};

struct flurm_csv_jobs {
    struct flurm_csv_job *jobs;
    size_t njobs;
};

struct flurm_csv_jobs *flurm_csv_jobs_load (const char *path, flurm_error_t *err);
void flurm_csv_jobs_destroy (struct flurm_csv_jobs *c);

#endif
