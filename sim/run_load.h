/* sim/run_load.h — open a run of any kind Flurm reads.
 *
 * Kinds: "flurm" (a run folder or its jobs.csv), "npb-log" (NPB output
 * files or a folder of them), "flux-jobs" (flux jobs --json), "sacct"
 * (sacct --parsable2), "pool" (an ELiSE pool of measured runtimes), "oar"
 * (an OAR gantt), "batsim" (a Batsim workload).  With kind NULL the kind
 * is told from the content; a file of none of them is an error naming it.
 */
#ifndef FLURM_SIM_RUN_LOAD_H
#define FLURM_SIM_RUN_LOAD_H

#include "sim/error.h"
#include "sim/run.h"

struct flurm_run *flurm_run_load (const char *path, const char *kind, flurm_error_t *err);

/* The kinds, NULL-terminated. */
const char *const *flurm_run_kinds (void);

#endif
