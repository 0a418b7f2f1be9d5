/* sim/import_oar.h — the jobs of a real OAR execution, from its gantt JSON.
 *
 * Input: what `oarstat -J --gantt "FROM,TO"` prints (OAR 2.5), the way the
 * Batsim experiments recorded the real runs of their workloads on
 * Grid'5000.  One job of the table per OAR job, in OAR id order:
 *
 *   id       the OAR job id ("712")
 *   name     the job's "name" when the dump has one, else NULL
 *   queue    queue_name
 *   submit, start, end   submission_time, start_time, stop_time as given
 *            (epoch seconds: origin "epoch"); OAR writes 0 for a time not
 *            reached yet, read as unknown (-1)
 *   runtime  end - start when both are known and in order, else -1
 *   ncores   the number of OAR resources the job held (OAR's unit of
 *            allocation: a core, or a whole node when the resources table
 *            has one resource per node, as on Graphene); -1 when none
 *   nnodes, nodes   the distinct network_address of those resources, in
 *            the order the job lists them; -1 / NULL when unknown
 *   state    Terminated -> "completed"; Error -> "failed"; either with
 *            stop_time >= limit_stop_time -> "timeout"; either without a
 *            start -> "never-started"; Waiting, Hold, toLaunch,
 *            toAckReservation -> "never-started"; Launching, Running,
 *            Finishing, Suspended, Resuming -> "unfinished"; toError ->
 *            "failed"; any other state is kept verbatim, marked.
 *
 * Records that are not a normal termination, or whose times are out of
 * order (stop before start, start before submission: clock skew) are kept
 * with a note and counted in the run's notes.  A file whose shape is wrong
 * (no "jobs" object, a job without its times or resources, a time that is
 * negative or absurd, a resource id that is not a number, a start_time
 * without a submission_time) is refused with
 * one line "FILE: WHERE: what is wrong", WHERE naming the job, such as
 * jobs["712"].stop_time.
 */
#ifndef FLURM_SIM_IMPORT_OAR_H
#define FLURM_SIM_IMPORT_OAR_H

#include "sim/error.h"
#include "sim/run.h"

/* The gantt as a run (kind "oar", origin "epoch"); NULL with err set. */
struct flurm_run *flurm_import_oar (const char *path, flurm_error_t *err);

/* The same gantt, each job named as the Batsim workload it replays names
 * it, so that a simulation of that workload compares job by job:
 *
 *   mapping_csv    the replay's "batsim_id,oar_id" CSV (a header naming
 *                  both columns, in any order, then one job a line)
 *   workload_json  the Batsim workload (see import_batsim.h)
 *
 * A mapped job gets id = its Batsim id, app = its profile's app ("ft.C.16")
 * and ntasks from the workload; everything else stays as OAR recorded it.
 * Kept and marked: an OAR job the mapping does not name (id "oar:N"), a job
 * holding another number of resources than the workload asked, and each
 * Batsim job the mapping does not name (added as "rejected": it was never
 * submitted to OAR; times unknown).  Refused with "FILE:LINE: ...": a
 * mapping line naming an OAR job not in the gantt or a Batsim job not in
 * the workload, an id mapped twice, a malformed line. */
struct flurm_run *flurm_import_oar_mapped (const char *oar_path, const char *mapping_csv,
                                           const char *workload_json, flurm_error_t *err);

#endif
