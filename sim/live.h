/* sim/live.h — replaying a trace on a live Flux instance.
 *
 * The same engine that simulates a trace (sim/engine.h) runs against the
 * wall clock, in one of two modes:
 *
 *   decide flux   Flurm submits each job at its trace time with the
 *                 jobspec its shape gives (sim/flux_jobspec.h) and Flux's
 *                 scheduler decides; the engine only keeps the books
 *                 (observe_only).  This measures how faithful the
 *                 simulation is to Fluxion.
 *   decide flurm  Flurm's engine decides when and where each job starts,
 *                 with the simulation's matcher, queue policies and
 *                 pairing rules; each started job is submitted constrained
 *                 to the hosts and socket shape Flurm chose, and the R
 *                 Flux grants is checked against that plan, job by job.
 *
 * Trace time T happens at wall time t0 + T x time_scale.  With time_scale
 * 0 every job is submitted at once, test-executed jobs run for a
 * millisecond, and the recorded times are wall seconds from t0.  A job's
 * recorded start and end are Flux's own (its "alloc" and "finish"
 * events, converted back to trace time); its submit time is the trace's,
 * so a wait includes the submission's latency.
 *
 * A job runs nothing by default: Flux's test executor holds its
 * resources for its modelled runtime x time_scale.  With `exec` it runs
 * the trace's `command`.
 *
 * Nothing that goes wrong with one job stops the run: a jobspec Flux
 * refuses, a job that fails or is cancelled by someone else is recorded
 * with its state and Flux's message.  If the instance goes away, the run
 * stops, the jobs not finished are recorded unfinished, and `aborted`
 * says why; the outputs are written all the same.
 */
#ifndef FLURM_SIM_LIVE_H
#define FLURM_SIM_LIVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/engine.h"
#include "sim/error.h"
#include "sim/flux_eventlog.h"
#include "sim/match.h"
#include "sim/workload.h"

enum flurm_live_decide {
    FLURM_LIVE_DECIDE_FLUX,
    FLURM_LIVE_DECIDE_FLURM,
};

/* "flux", "flurm"; -1 on an unknown name. */
int flurm_live_decide_parse (const char *name, enum flurm_live_decide *out, flurm_error_t *err);
const char *flurm_live_decide_name (enum flurm_live_decide d);

struct flurm_live_options {
    enum flurm_live_decide decide;
    double time_scale;          /* >= 0; wall seconds per trace second */
    bool exec;                  /* run the trace's commands instead of test execution */
    const char *flux_program;   /* NULL: "flux" from PATH */
    unsigned max_running;       /* concurrent flux commands, 0: the default */
    bool no_agent;              /* a flux command per request (sim/flux_agent.h) */
    /* Start Flux's queues when connecting (an instance Flurm started: its
     * configured queues begin stopped).  Otherwise a stopped queue is an
     * error, since its jobs would wait forever. */
    bool start_queues;
    /* Set (by a signal handler) to stop: no more submissions, the jobs
     * submitted are cancelled and recorded as they end.  Above 1 (a second
     * signal): the replay stops waiting for them (they stay unfinished). */
    const volatile sig_atomic_t *interrupted;
    /* A line of progress ("submitted 12/40 ..."), or NULL. */
    void (*log) (void *arg, const char *line);
    void *log_arg;
};

/* How Flux's R compared with Flurm's plan (decide flurm). */
enum flurm_live_plan {
    FLURM_LIVE_PLAN_NONE,         /* no plan (decide flux) or no grant */
    FLURM_LIVE_PLAN_SAME,         /* the same cores of the same hosts */
    FLURM_LIVE_PLAN_CORES_DIFFER, /* the same hosts, other cores */
    FLURM_LIVE_PLAN_HOSTS_DIFFER,
};
const char *flurm_live_plan_name (enum flurm_live_plan p); /* "", "same", ... */

/* What live mode knows of one engine job beyond the engine's record. */
struct flurm_live_job {
    char *flux_id;              /* as `flux job submit` printed it; NULL: not submitted */
    double submit_latency;      /* wall s from the submit decision to Flux's id; < 0 */
    struct flurm_flux_job_record rec; /* Flux's eventlog (epoch times) */
    struct flurm_flux_grant grant;    /* the R granted (empty without one) */
    char *planned;              /* decide flurm: "aris0:0-4 aris1:0-4" */
    enum flurm_live_plan plan;
    char *error;                /* Flux's message: a refused jobspec, an exception */
};

struct flurm_live_stats {
    size_t submitted, submit_errors, finished;
    size_t plan_same, plan_cores_differ, plan_hosts_differ;
    double wall_seconds;        /* from t0 to the last job's record */
    double submit_seconds;      /* from the first submission to the last id */
    double t0;                  /* epoch seconds of trace time 0 */
};

struct flurm_live;

/* The matcher, workload and cfg must outlive the replay; the workload's
 * submit times are read as given (the caller zeroes them for time scale
 * 0).  cfg's live fields are set here. */
struct flurm_live *flurm_live_create (struct flurm_matcher *m, const struct flurm_workload *w,
                                      const struct flurm_engine_config *cfg,
                                      const struct flurm_live_options *opt, flurm_error_t *err);
void flurm_live_destroy (struct flurm_live *l);

/* Check that Flux is reachable and runs Fluxion; -1 with a message saying
 * what is missing and what to do. */
int flurm_live_connect (struct flurm_live *l, flurm_error_t *err);

/* Replay to the end (or the interruption, or the instance's loss).  -1
 * only on an engine error; what went wrong with Flux is in the jobs and in
 * flurm_live_aborted. */
int flurm_live_run (struct flurm_live *l, flurm_error_t *err);

/* Why the run stopped early (NULL: it did not). */
const char *flurm_live_aborted (const struct flurm_live *l);

const struct flurm_engine *flurm_live_engine (const struct flurm_live *l);
/* Live records by engine job id - 1 (valid until destroyed). */
const struct flurm_live_job *flurm_live_jobs (const struct flurm_live *l, size_t *n);
void flurm_live_stats (const struct flurm_live *l, struct flurm_live_stats *out);
/* The Flux version line (`flux version`), or NULL before connecting. */
const char *flurm_live_flux_version (const struct flurm_live *l);

/* DIR/live-jobs.csv (one row per job: Flux id, result, exit code, the
 * eventlog's times in trace seconds, the grant, the plan and how it
 * compared, Flux's message) and DIR/flux-jobs.json (`flux jobs --json` of
 * the submitted jobs, as Flux printed it; skipped with a note when the
 * instance is gone).  Atomic. */
int flurm_live_write (struct flurm_live *l, const char *dir, flurm_error_t *err);

/* The "live" block of summary.json. */
json_t *flurm_live_summary_json (const struct flurm_live *l);

#endif
