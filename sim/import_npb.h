/* sim/import_npb.h — NAS Parallel Benchmarks output logs read as a run.
 *
 * Input: what NPB 3.x MPI binaries print on standard output, one run
 * after another in the same file, as the ARIS evaluation loop scripts
 * (cslab-ntua/flurm aris/scripts/eval/flux_NAS_{co,spread}.sh) append
 * it: each run's output followed by the line the script adds,
 *     DATE of cg.D.x in seconds: 187
 * (wall time of `flux run`, whole seconds).  `path` is one such file or a
 * folder of them; a folder is read in name order, with its sub-folders one
 * level down (the scripts' `flux_logs/` holds one folder per experiment),
 * and only files named *.out are read.
 *
 * Layout the scripts write, and what is taken from the names:
 *   co-scheduled pair  <A>.<pA>_<B>.<pB>/<a>_<b>_<i>.out
 *       e.g. cg.D.x.64_ep.E.x.256/cg.D.x_ep.E.x_0.out, where cg.D.x is
 *       the binary; copies 0 .. k-1 of the smaller app are <min>_<max>_<i>
 *       and the larger app is <max>_<min>_<k>, k = larger / smaller procs.
 *       The shorter form cg.D.64_ep.E.256/cg_ep_3.out is read the same way.
 *       The file's own app is the folder half its <a> names, the other
 *       half is the partner of every run in the file.
 *   alone (spread)     <A>.<p>/<a>.out, e.g. cg.D.x.64/cg.D.x.out
 * Any other names are fine: the runs are read, without a partner.
 *
 * One job per run, in file order:
 *   id       "<file>#<k>": the file's path below `path` (its base name
 *            when `path` is the file) and k = 0, 1, ... in the file
 *   app      "<bench>.<class>.<procs>", bench lower case ("cg.D.64"),
 *            from the report; from the header or the names when the
 *            report is missing
 *   runtime  "Time in seconds" of the report, -1 when not printed
 *   ntasks   "Total processes" of the report
 *   partner  the other app of a pair folder, else NULL
 *   state    "completed"; "verification-failed" (Verification =
 *            UNSUCCESSFUL); "truncated" (output cut before its Time in
 *            seconds or Verification line: the last run of a loop killed
 *            by the end of its allocation); "failed" (a DATE line with no
 *            NPB output before it: the binary printed nothing)
 *   submit = start, end
 *            from the DATE lines: the loop starts runs back to back, so a
 *            run starts when the runs before it in its file have taken
 *            their DATE seconds; unknown (-1) from the first run whose
 *            DATE line is missing.  Origin "relative": seconds from the
 *            start of the file's loop (the files of one pair folder start
 *            together, to within a second).
 * Every kept-but-marked run is counted in the run's notes.
 *
 * Errors (NULL returned, err set): a file that cannot be read, that is
 * not text or that has content but no NPB line; a report or DATE line
 * whose value is malformed, negative, NaN or absurd (FILE:LINE:COL); a
 * DATE line naming another app than the run above it; a folder with no
 * .out file.
 */
#ifndef FLURM_SIM_IMPORT_NPB_H
#define FLURM_SIM_IMPORT_NPB_H

#include "sim/error.h"
#include "sim/run.h"

/* Largest NPB output file read (a 10-minute loop writes a few hundred KiB). */
#define FLURM_NPB_MAX_BYTES ((size_t)64 << 20)

/* Most .out files read from one folder tree. */
#define FLURM_NPB_MAX_FILES 100000

/* The run (kind "npb-log", origin "relative") or NULL with err set. */
struct flurm_run *flurm_import_npb (const char *path, flurm_error_t *err);

#endif
