/* sim/import_sacct.h — a real Slurm run, as `sacct --parsable2` prints it,
 * read into a job table (sim/run.h).
 *
 * Input: `sacct --parsable2 [--format=...]` with its header line: fields
 * separated by '|', no '|' at the end of a line (`--parsable` ends every
 * line with one: that reads as an extra unnamed column, ignored).  The
 * columns may come in any order; JobID, Submit, Start, End and State are
 * required, JobName, Partition, Elapsed, NNodes, NCPUS, NTasks and
 * NodeList are used when present, any other column is ignored.
 *
 * Rows: sacct prints a job's row, then one row per step ("1234.batch",
 * "1234.extern", "1234.0", heterogeneous steps "1234.0+1").  Steps are
 * folded into their job (the JobID before the first '.'): the job's row
 * gives times, state and sizes, and when its NTasks is empty the largest
 * NTasks of its steps (the srun step of an MPI job) is taken.  Array tasks
 * ("1234_5", pending "1234_[6-9%2]") and heterogeneous components
 * ("1234+0") are jobs of their own, as sacct lists them.
 *
 * Times: sacct prints the cluster's local time without a zone
 * ("2025-03-01T12:00:00"); it is read as if it were UTC (epoch seconds,
 * origin "epoch") and the run's notes say so: times within a run compare
 * correctly, their epoch values are off by the cluster's UTC offset.
 * "Unknown", "None" or empty: not known.  runtime = Elapsed ([D-]HH:MM:SS,
 * which leaves out time suspended) when the job started and ended, else
 * End - Start.
 *
 * State (the first word: "CANCELLED by 1234" is CANCELLED):
 *   COMPLETED -> completed, CANCELLED -> cancelled, FAILED -> failed,
 *   TIMEOUT -> timeout; NODE_FAIL, BOOT_FAIL, OUT_OF_MEMORY -> failed and
 *   DEADLINE -> timeout, PREEMPTED and REVOKED -> cancelled, the sacct state
 *   in the note; PENDING, RUNNING, SUSPENDED, REQUEUED, RESIZING ... ->
 *   unfinished.
 * Records kept but marked, each class counted in the run's notes: a job
 * that ended without a Start ("never-started": cancelled while pending),
 * still active ("unfinished"), End before Start (clock skew: state kept,
 * runtime unknown), a state this reader does not know ("unknown"), steps
 * whose job row is not listed (a job built from its first step), a JobID
 * listed twice (requeued, with --duplicates: both kept, later steps go to
 * the last).
 * Errors (NULL returned, err = "FILE:LINE[:COL]: what is wrong"): no
 * header, a required column missing or a column twice, a row with another
 * number of fields than the header, an empty or malformed JobID, a bad
 * time, a bad Elapsed, a count that is not a number from 0 to 2^31 - 1, a
 * Start with an unknown Submit.
 */
#ifndef FLURM_SIM_IMPORT_SACCT_H
#define FLURM_SIM_IMPORT_SACCT_H

#include "sim/error.h"
#include "sim/run.h"

/* Larger inputs are refused before they are read. */
#define FLURM_IMPORT_SACCT_MAX_BYTES (1ull << 30)

/* The run in `path` ("-" = standard input), named after the file without
 * its last extension; NULL with err set. */
struct flurm_run *flurm_import_sacct (const char *path, flurm_error_t *err);

#endif
