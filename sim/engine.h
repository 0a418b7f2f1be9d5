/* sim/engine.h — the discrete-event engine: replays a workload through the
 * matcher and the queue policies.
 *
 * Events are ordered by (time, kind, sequence number): at equal times jobs
 * end (finish, then walltime-kill) before new ones arrive, and among
 * events of one kind the one scheduled first goes first.  After every
 * batch of same-time events there is one scheduling pass, in which each
 * queue, in configuration order, walks its pending jobs with its policy
 * (policies/queue_policy.h).
 *
 * A running job is tracked by the work it has done and its rate (work per
 * second, 1 today): when a rate changes, its end event moves.  A job
 * whose work exceeds its walltime is killed when the walltime is reached
 * and recorded as timed out.
 *
 * Reservations are topology-aware: a blocked job's reservation is the
 * earliest time t (now, the expected end of a running job, or the end of
 * another reservation) at which its jobspec can be matched with every
 * running job expected to end after t (start + walltime) and every other
 * reservation overlapping [t, t + walltime) holding its resources.  Unlike
 * Fluxion, which re-plans every reservation from scratch each cycle, Flurm
 * keeps them between passes and only ever moves one earlier (compression),
 * so that a job never starts later than a reservation it was given — the
 * guarantee that defines easy and conservative backfilling.  A re-plan that
 * cannot move a reservation earlier keeps its vertices as well.
 *
 * All randomness comes from one GSL mt19937 generator seeded with `seed`.
 */
#ifndef FLURM_SIM_ENGINE_H
#define FLURM_SIM_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "sim/error.h"
#include "sim/match.h"
#include "sim/workload.h"

enum flurm_job_state {
    FLURM_JOB_PENDING,
    FLURM_JOB_RUNNING,
    FLURM_JOB_COMPLETED,  /* its work was done within the walltime */
    FLURM_JOB_TIMEOUT,    /* killed at the walltime */
    FLURM_JOB_REJECTED,   /* its jobspec can never be matched on this graph */
    FLURM_JOB_UNFINISHED, /* still pending or running when the run stopped */
    FLURM_JOB_FAILED,     /* live mode: ended with a non-zero exit or an exception */
    FLURM_JOB_CANCELLED,  /* live mode: cancelled before or while it ran */
};

/* "pending", "running", "completed", "timeout", "rejected", "unfinished",
 * "failed", "cancelled" */
const char *flurm_job_state_str (enum flurm_job_state s);

/* One job instance (a workload job, or one repetition of it). */
struct flurm_job {
    uint64_t id;          /* 1, 2, ... in submission order */
    size_t wjob;          /* index in the workload */
    unsigned repetition;  /* 0 for the first instance */
    enum flurm_job_state state;
    double submit, start, end; /* start/end < 0 while unknown */
    double walltime;
    double work, work_done, rate; /* work in s at rate 1 */
    double rate_since;    /* time work_done was last brought up to date */
    double first_reservation; /* earliest reservation ever given, < 0: none */
    uint32_t ncores;      /* cores held (0 before start) */
    char *cores;          /* held cores as global core indices, "0-3 8" */
    char *nodes;          /* node names as a hostlist, "aris[0-1]" */
    uint32_t nnodes;
    unsigned queue;       /* index into the configured queues */
    bool backfilled;      /* started ahead of a job that was blocked */
    int32_t app;          /* index in the engine's app profiles, -1: none */
    double colocated_time; /* s it shared a socket with another job */
    double fallback_time; /* s its rate came from the empirical model's
                             analytic fallback */
    double min_rate;      /* slowest rate it ran at (1 without a model) */
    char *corunners;      /* ids of the jobs that shared a socket with it,
                             "3 7" (NULL: none) */
};

struct flurm_queue_config {
    const char *name;
    const char *policy;          /* NULL = the engine's default */
    uint32_t queue_depth;        /* 0 = the engine's default */
    uint32_t reservation_depth;  /* 0 = the engine's default */
    bool share;                  /* its jobs may share sockets (co-scheduling) */
};

typedef void (*flurm_progress_fn) (void *arg, double fraction);
/* Live-mode hooks: a job was just submitted / started (after the matcher
 * committed `alloc`).  A -1 ends the run with the error it set. */
typedef int (*flurm_job_hook_fn) (void *arg, const struct flurm_job *job, flurm_error_t *err);
typedef int (*flurm_start_hook_fn) (void *arg, const struct flurm_job *job,
                                    const struct flurm_alloc *alloc, flurm_error_t *err);

struct flurm_engine_config {
    const char *queue_policy;    /* default for queues: NULL = "fcfs" */
    uint32_t queue_depth;        /* 0 = FLURM_QUEUE_DEPTH_DEFAULT */
    uint32_t reservation_depth;  /* 0 = FLURM_RESERVATION_DEPTH_DEFAULT */
    const struct flurm_queue_config *queues; /* NULL/0: one queue "default" */
    size_t nqueues;
    uint64_t seed;
    /* Check the invariants (no vertex held twice, start >= submit, no job
     * later than its first reservation) after every pass; a violation ends
     * the run with an error.  On by default in builds without NDEBUG. */
    bool check_invariants;
    flurm_progress_fn progress;  /* called now and then with 0..1 */
    void *progress_arg;
    /* When set (by a signal handler), flurm_engine_run stops after the
     * batch of events in hand and fails with "interrupted at ..." */
    const volatile sig_atomic_t *stop;
    /* Interference (models/interference.h); NULL: every rate is 1.  A job
     * whose workload app names one of `profiles` runs at the model's rate
     * on its slowest socket, asked again whenever a job starts or ends on
     * one of its sockets.  Both must outlive the engine. */
    const struct flurm_interference *interference;
    const struct flurm_app_profiles *profiles;
    /* Co-scheduling (policies/pairing.h), for queues with `share`: the
     * pairing rule (NULL = "fifo"), its threshold (0 = the default) and
     * the most jobs on one socket (0 = the default, 2). */
    const char *pairing;
    double pairing_threshold;
    uint32_t max_per_socket;
    /* Live mode (sim/live.h).  With `external_ends` a started job has no
     * end event of its own: a real job takes whatever time it takes, and
     * the caller reports the end with flurm_engine_end_job (reservations
     * still assume start + walltime).  With `observe_only` the engine
     * decides nothing: Flux does, and the engine keeps the books; jobs are
     * started with flurm_engine_record_start, every job is accepted (Flux
     * judges satisfiability) and no interference is modelled.  The hooks
     * are called as jobs are submitted and started. */
    bool external_ends;
    bool observe_only;
    flurm_job_hook_fn on_submit;
    flurm_start_hook_fn on_start;
    void *hook_arg;
};

/* Counters, for statistics and benchmarks. */
struct flurm_engine_stats {
    uint64_t events;        /* submit + start + finish + kill */
    uint64_t passes;
    uint64_t match_calls;   /* allocate / dry-run calls to the matcher */
    uint64_t quick_rejects; /* jobs skipped by the free-core count alone */
    uint64_t reservations;  /* reservations computed */
    uint64_t backfilled;
    uint64_t pairing_refusals; /* placements a pairing rule refused */
    double busy_node_seconds; /* with a model: node-seconds with a job on the
                                 node (shared nodes counted once) */
};

struct flurm_engine;

/* Set *cfg to the defaults (check_invariants as the build says). */
void flurm_engine_config_init (struct flurm_engine_config *cfg);

/* The matcher and workload must outlive the engine and the matcher must
 * be idle.  Fails on an unknown policy or a job naming an unknown queue. */
struct flurm_engine *flurm_engine_create (struct flurm_matcher *m,
                                          const struct flurm_workload *w,
                                          const struct flurm_engine_config *cfg,
                                          flurm_error_t *err);
void flurm_engine_destroy (struct flurm_engine *e);

/* Run until no event is left, then close.  -1 on an invariant violation
 * or a matcher error. */
int flurm_engine_run (struct flurm_engine *e, flurm_error_t *err);

/* Stepping, for a clock the engine does not own (live mode).
 * flurm_engine_next_time: the time of the next event (INFINITY: none).
 * flurm_engine_advance: handle every event up to time t, each batch of
 * equal times followed by a scheduling pass, then set the clock to t
 * (t >= the current time).  flurm_engine_now: the clock. */
double flurm_engine_next_time (const struct flurm_engine *e);
int flurm_engine_advance (struct flurm_engine *e, double t, flurm_error_t *err);
double flurm_engine_now (const struct flurm_engine *e);

/* Observe-only mode: job `id` (pending) started at time `start` (<= now)
 * on what Flux granted.  Strings are copied; NULL stays unknown. */
int flurm_engine_record_start (struct flurm_engine *e, uint64_t id, double start,
                               uint32_t ncores, uint32_t nnodes, const char *nodes,
                               const char *cores, flurm_error_t *err);

/* Live mode: job `id` ended now with `state` (completed, timeout, failed,
 * cancelled; a pending job may also end rejected, failed or cancelled).
 * Its resources are released now; its recorded start and end become
 * `start` and `end` when >= 0 (the real times, which the caller learns
 * late).  A running job may also end rejected (Flux refused what Flurm
 * started): its times are then cleared.  Then the events due now are
 * handled and a scheduling pass runs.
 * -1 on a job that is unknown or already ended, or a bad state. */
int flurm_engine_end_job (struct flurm_engine *e, uint64_t id, enum flurm_job_state state,
                          double start, double end, flurm_error_t *err);

/* Jobs submitted and not ended yet (pending or running). */
size_t flurm_engine_active (const struct flurm_engine *e);

/* End of a run: jobs still pending or running become unfinished. */
void flurm_engine_close (struct flurm_engine *e);

/* Jobs in id order (valid until the engine is destroyed). */
const struct flurm_job *flurm_engine_jobs (const struct flurm_engine *e, size_t *n);
void flurm_engine_stats (const struct flurm_engine *e, struct flurm_engine_stats *out);
/* Cores in the graph, and the resolved name of queue i's policy etc. */
uint64_t flurm_engine_total_cores (const struct flurm_engine *e);
size_t flurm_engine_nqueues (const struct flurm_engine *e);
const char *flurm_engine_queue_name (const struct flurm_engine *e, size_t i);
const char *flurm_engine_queue_policy (const struct flurm_engine *e, size_t i);
uint32_t flurm_engine_queue_depth (const struct flurm_engine *e, size_t i);
uint32_t flurm_engine_reservation_depth (const struct flurm_engine *e, size_t i);
/* The interference model and app profiles of the configuration (NULL
 * when none). */
const struct flurm_interference *flurm_engine_interference (const struct flurm_engine *e);
const struct flurm_app_profiles *flurm_engine_profiles (const struct flurm_engine *e);
/* The number of core vertex v in the "cores" column of jobs.csv (cores
 * are numbered in vertex order), UINT32_MAX when v is not a core. */
uint32_t flurm_engine_core_number (const struct flurm_engine *e, flurm_vid v);
/* The simulation's random generator (for models that need randomness). */
gsl_rng *flurm_engine_rng (struct flurm_engine *e);

/* Change a running job's rate from now on (work per second, > 0): brings
 * its work done up to date and moves its end event.  For interference
 * models; -1 if the job is not running. */
int flurm_engine_set_rate (struct flurm_engine *e, uint64_t jobid, double rate,
                           flurm_error_t *err);

#endif
