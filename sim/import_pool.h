/* sim/import_pool.h — a measured pool (ELiSE's JSON) read as a run.
 *
 * Input: the pool file of the ELiSE co-scheduling simulator (nikosT/elise,
 * pools/lm-aris.compute-NAS.json):
 *     {"machine": "aris.compute", "suite": "NAS",
 *      "loads": ["{\"load_name\": \"cg.D.64\", \"num_of_processes\": 64,
 *                 \"compact_timelogs\": [183.43, ...],
 *                 \"coscheduled_timelogs\": {\"ep.E.256\": [[...], [...]], ...},
 *                 ...}", ...]}
 * Each load is a JSON object encoded AGAIN as a string.  compact_timelogs
 * are the run times (s) of the app alone; coscheduled_timelogs maps each
 * partner to one list per copy of the app that ran beside it (k copies of
 * the smaller app beside a k times larger one), each the repeated runs.
 *
 * One job per measured run, in file order (loads; in a load its compact
 * runs, then its partners as the file lists them, copies, runs):
 *   id       "<app>/compact/<i>" or "<app>/<partner>/<copy>/<i>" (from 0)
 *   app      load_name;  partner  NULL (compact) or the partner's name
 *   runtime  the measured time;  ntasks  num_of_processes
 *   state    "completed";  times  unknown (the pool keeps none)
 * Kind "pool", origin "relative", source the file.
 *
 * Errors (NULL returned, err set; one line naming the file and the load,
 * "FILE: loads[3] (cg.D.64): compact_timelogs[2] is -1: negative"): not
 * JSON, not an object, no loads list, a load that is not a string or
 * whose text is not a JSON object, a missing or mistyped field, a time
 * that is not a number, not positive or absurd, a process count that is
 * not a whole number in 1 .. 2^31, two loads of one name.
 */
#ifndef FLURM_SIM_IMPORT_POOL_H
#define FLURM_SIM_IMPORT_POOL_H

#include "sim/error.h"
#include "sim/run.h"

/* Largest pool file read (the ARIS pool is 100 KB). */
#define FLURM_POOL_MAX_BYTES ((size_t)64 << 20)

/* The run or NULL with err set. */
struct flurm_run *flurm_import_pool (const char *path, flurm_error_t *err);

#endif
