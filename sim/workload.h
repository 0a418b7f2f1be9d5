/* sim/workload.h — what a simulation replays: a list of job templates.
 *
 * A workload job is a template: the engine makes one job instance of it
 * at its submit time, and, with `repeat_until`, a new instance each time
 * the previous one ends before that time (the ARIS NPB experiments loop a
 * benchmark for 600 s).  Every job carries the jobspec the matcher places;
 * jobspecs are owned by the workload and may be shared by many jobs (an
 * SWF log of 100k jobs has a few hundred distinct sizes).
 *
 * Jobs that cannot run are not silently dropped: the code that builds a
 * workload records them with flurm_workload_skip() under a reason, and the
 * summary reports the counts.
 */
#ifndef FLURM_SIM_WORKLOAD_H
#define FLURM_SIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/jobspec.h"

/* Times above this (about 3,000 years) are refused as absurd. */
#define FLURM_WORKLOAD_MAX_TIME 1e11

struct flurm_wjob {
    char *name;        /* never NULL */
    char *app;         /* NULL when the runtime is explicit */
    char *queue;       /* NULL = the default (first) queue */
    char *alloc;       /* shape name, "jobspec" or "cores" (SWF) */
    double submit;     /* s, >= 0 */
    double runtime;    /* s of work at rate 1, >= 0 */
    double walltime;   /* s, > 0: the job is killed when it reaches it */
    double repeat_until; /* resubmit while an instance ends before it; < 0: never */
    uint64_t ntasks;   /* tasks asked for (informational) */
    uint64_t ncores;   /* cores the jobspec asks for (slots x cores per slot) */
    int64_t ext_id;    /* id in the source (SWF job number), -1 if none */
    char **command;    /* argv a live run executes (NULL-terminated), NULL: none */
    const struct flurm_jobspec *js; /* owned by the workload */
};

struct flurm_workload_skip {
    char *reason;
    uint64_t count;
};

struct flurm_workload {
    struct flurm_wjob *jobs;
    size_t njobs;
    struct flurm_workload_skip *skips; /* in order of first occurrence */
    size_t nskips;
    char **notes;      /* conventions applied, for the summary */
    size_t nnotes;
    /* private */
    size_t cap;
    struct flurm_jobspec **owned;
    size_t nowned, capowned;
};

struct flurm_workload *flurm_workload_create (void);
void flurm_workload_destroy (struct flurm_workload *w);

/* Hand a jobspec to the workload; returns it (now owned by w). */
const struct flurm_jobspec *flurm_workload_own_jobspec (struct flurm_workload *w,
                                                        struct flurm_jobspec *js);

/* Copy `job` (strings duplicated; js must be owned by w) after checking
 * it: submit >= 0, runtime >= 0, walltime > 0, all finite and below
 * FLURM_WORKLOAD_MAX_TIME, ncores >= 1, a non-empty name.  The message
 * names the job ("job 'cg': walltime must be > 0 (got 0)"). */
int flurm_workload_add (struct flurm_workload *w, const struct flurm_wjob *job,
                        flurm_error_t *err);

/* Count a job that was left out, under `reason` ("no runtime"). */
void flurm_workload_skip (struct flurm_workload *w, const char *reason);
uint64_t flurm_workload_nskipped (const struct flurm_workload *w);

/* Record a convention that was applied ("walltime = runtime for 12 jobs
 * without a requested time"). */
void flurm_workload_note (struct flurm_workload *w, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* Cores a jobspec names: counts multiplied down the tree (slots x cores
 * per slot); whole nodes asked for exclusively count only their named
 * cores. */
uint64_t flurm_jobspec_ncores (const struct flurm_jobspec *js);

#endif
