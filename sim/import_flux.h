/* sim/import_flux.h — a real Flux run, as `flux jobs --json` prints it,
 * read into a job table (sim/run.h).
 *
 * Input (flux-core 0.88): `flux jobs -a --json` prints one object
 * {"jobs": [JOB, ...]}; `flux jobs --json ID` prints the JOB object alone.
 * Both are read.  A JOB holds the keys the job-list service knows so far:
 * absent keys are values not known yet (a job that never ran has no t_run,
 * nnodes or nodelist).
 *
 * Each JOB becomes one flurm_run_job (kind "flux-jobs", origin "epoch"):
 *   id      "id" (an integer) written in decimal; a string "id" (F58 "ƒ2x2pF9q"
 *           or decimal) is taken as is; without "id", the F58 "jobid"
 *   name, queue, nodes          "name", "queue", "nodelist"
 *   submit, start, end          "t_submit", "t_run", "t_cleanup" (else
 *                               "t_inactive"), epoch seconds
 *   runtime                     end - start
 *   ncores, nnodes, ntasks      the same keys
 *   source                      FILE (flux prints a whole listing on one
 *                               line, so a line number says nothing; the
 *                               id finds the job)
 *   state   from "result": COMPLETED -> completed, FAILED -> failed,
 *           CANCELED -> cancelled, TIMEOUT -> timeout.
 * Records kept but marked, each class counted in the run's notes:
 *   - an inactive job without t_run (rejected as unsatisfiable, cancelled
 *     while pending): "never-started", its result and exception in the note;
 *   - a job still active when listed (no result yet): "unfinished";
 *   - an end before the start (clock skew): state kept, runtime unknown;
 *   - a result this reader does not know: "unknown".
 * Errors (NULL returned, err = "FILE: jobs[3].t_run: what is wrong"): not
 * JSON, not one of the two shapes, a key of the wrong type, a time negative,
 * not finite or above 1e11 s (year 5138), a count negative or above
 * 2^31 - 1, a job without an id, a job with a t_run but no t_submit (Flux
 * records the submission first).
 */
#ifndef FLURM_SIM_IMPORT_FLUX_H
#define FLURM_SIM_IMPORT_FLUX_H

#include "sim/error.h"
#include "sim/run.h"

/* Larger inputs are refused before they are read. */
#define FLURM_IMPORT_FLUX_MAX_BYTES (1ull << 30)

/* The run in `path` ("-" = standard input), named after the file without
 * its last extension; NULL with err set. */
struct flurm_run *flurm_import_flux_jobs (const char *path, flurm_error_t *err);

#endif
