/* sim/import_batsim.h — a Batsim workload (JSON) as a run of jobs not yet run.
 *
 * A Batsim workload is the input of a simulation (or of a real replay, as
 * in the Graphene experiment of Batsim's JSSPP'16 paper), not a record of
 * one: every job comes out "unfinished", with its submission time (the
 * workload's `subtime`, seconds from the workload's start: origin
 * "relative"), its size (`res` resources: ncores = nnodes = res, a Batsim
 * resource being one platform host) and, when its profile is a delay
 * profile, its runtime (the delay).  Other profile types (parallel tasks,
 * SMPI traces, sequences, I/O) take the time the platform simulation gives
 * them: their runtime stays unknown (-1) and a run note counts the jobs of
 * each such type.  `app` is the profile name without its "TYPE_" prefix
 * ("delay_ft.C.16" -> "ft.C.16"), `ntasks` the profile's "np" when given.
 *
 * The job table has no walltime field: `walltime` is checked (a number,
 * -1 or >= 0) but not kept.
 *
 * A malformed file is refused whole (Batsim refuses it too), with one line
 * "FILE: WHERE: what is wrong", WHERE a JSON path such as
 * jobs[12] (id 12).subtime.  Times must be finite, >= 0 and at most
 * FLURM_WORKLOAD_MAX_TIME; `res` and `nb_res` integers in 1 .. 2^31.
 */
#ifndef FLURM_SIM_IMPORT_BATSIM_H
#define FLURM_SIM_IMPORT_BATSIM_H

#include <stdint.h>

#include "sim/error.h"
#include "sim/run.h"

/* The workload as a run (kind "batsim", origin "relative"); NULL with err
 * set when the file cannot be used. */
struct flurm_run *flurm_import_batsim_workload (const char *path, flurm_error_t *err);

/* The same, and *nb_res receives the workload's "nb_res" (the number of
 * resources it was made for). */
struct flurm_run *flurm_import_batsim_workload_res (const char *path, int64_t *nb_res,
                                                    flurm_error_t *err);

#endif
