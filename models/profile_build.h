/* models/profile_build.h — application profiles from reference runs.
 *
 * `flurm-sim profile` turns real runs (an ELiSE pool, NPB logs of the ARIS
 * loop scripts, any imported run whose jobs carry app and partner) into a
 * profile file (models/app_profiles.h), which `flurm-sim calibrate` then
 * fits: the calibration from reference runs of issue 5, in two steps that
 * each leave a file a user can read.
 *
 * What counts: a job with an app, state "completed" and a runtime > 0.
 * Without a partner it is a compact run alone; with one, a run of app A
 * co-scheduled with that partner.  Everything else (failed verification,
 * truncated, never started...) is left out and counted in `notes`, as is
 * a pair whose partner has no compact run (a profile file can only name
 * apps it profiles).  Medians are of all counted runs; speedup = compact
 * median / co-run median.
 */
#ifndef FLURM_MODELS_PROFILE_BUILD_H
#define FLURM_MODELS_PROFILE_BUILD_H

#include <stddef.h>

#include "models/app_profiles.h"
#include "sim/error.h"
#include "sim/run.h"

/* Profiles of every app with a compact run in `runs`.  `machine` names the
 * machine, `measured` says who measured what (both required by the profile
 * format); the runs' names
 * become the provenance's data.  notes/nnotes receive one line per class
 * of left-out job (caller frees with g_strfreev-like loop; may be NULL). */
struct flurm_app_profiles *flurm_profiles_from_runs (struct flurm_run *const *runs, size_t nruns,
                                                     const char *machine, const char *measured,
                                                     char ***notes, size_t *nnotes,
                                                     flurm_error_t *err);

/* Write a profile file in the format flurm_app_profiles_load() reads
 * (apps in the order given, pairs by partner index), atomically. */
int flurm_app_profiles_write (const struct flurm_app_profiles *p, const char *path,
                              flurm_error_t *err);

#endif
