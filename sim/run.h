/* sim/run.h — a run as a table of jobs, whoever produced it.
 *
 * Simulated runs (jobs.csv) and real ones (NPB output logs, `flux jobs
 * --json`, Slurm `sacct --parsable2`, measured pools, an OAR execution)
 * are all read into this one table, so that comparing, validating and
 * plotting work the same on both.  Times are seconds; a real run's times
 * are kept as the source gives them (epoch seconds for Flux and Slurm)
 * and `origin` says how to read them.  Unknown values are negative
 * (times, runtime) or -1 (counts) or NULL (strings).
 *
 * Nothing an importer reads is dropped silently: a job it cannot use
 * whole (a truncated NPB block, a failed verification, a job that never
 * started, an end before its start) is kept with its `state` and a
 * `note` saying what is wrong, and counted in `flurm_run.notes`.
 */
#ifndef FLURM_SIM_RUN_H
#define FLURM_SIM_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

struct flurm_run_job {
    char *id;            /* as the source names it ("3", "ƒ2Lk3", "1234.0") */
    char *name;          /* job name, NULL if none */
    char *app;           /* application configuration ("cg.D.64"), NULL if unknown */
    char *queue;         /* queue / partition, NULL if unknown */
    double submit, start, end; /* < 0 when unknown */
    double runtime;      /* end - start, or the measured elapsed time; < 0 unknown */
    int64_t ncores;      /* cores held, -1 unknown */
    int64_t nnodes;      /* nodes held, -1 unknown */
    int64_t ntasks;      /* tasks / processes, -1 unknown */
    char *nodes;         /* host list ("aris[0-3]"), NULL if unknown */
    char *state;         /* "completed", "failed", "timeout", "cancelled",
                            "unfinished", "never-started", "rejected",
                            "verification-failed", "truncated" */
    char *partner;       /* co-scheduled with (measured pools, NPB pair logs), NULL */
    char *note;          /* what is wrong with the record, NULL if nothing */
    char *source;        /* "FILE:LINE" (or "FILE") it came from */
};

struct flurm_run {
    char *name;          /* the run's name (file or folder stem) */
    char *kind;          /* "flurm", "npb-log", "flux-jobs", "sacct", "pool", "oar" */
    char *origin;        /* how times are measured: "simulated" or "epoch" or
                            "relative" (seconds from the first submission) */
    struct flurm_run_job *jobs;
    size_t njobs;
    size_t cap;
    char **notes;        /* one line per class of problem found, with counts */
    size_t nnotes;
};

struct flurm_run *flurm_run_create (const char *name, const char *kind, const char *origin);
void flurm_run_destroy (struct flurm_run *r);

/* Append a job (strings are copied; NULL stays NULL) and return it. */
struct flurm_run_job *flurm_run_add (struct flurm_run *r, const struct flurm_run_job *job);

/* Add a note line ("3 jobs failed their verification: kept, marked"). */
void flurm_run_note (struct flurm_run *r, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* The run as a jobs.csv, with the columns a simulation writes (times as
 * the run gives them) and partner, note and source after them, so that
 * every reader of simulated runs reads a real one.  Atomic. */
int flurm_run_write_csv (const struct flurm_run *r, const char *path, flurm_error_t *err);

/* A run's name from the file or folder it was read from: the base name
 * without its last extension ("stdin" for "-").  Caller frees. */
char *flurm_run_name_from_path (const char *path);

/* The job with this id, or NULL (linear; for tests and small runs). */
const struct flurm_run_job *flurm_run_find (const struct flurm_run *r, const char *id);

#endif
