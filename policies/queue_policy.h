/* policies/queue_policy.h — queue policies, with Fluxion qmanager's names.
 *
 * Every Fluxion queue policy is the same loop over the pending jobs in
 * order (submit time, then arrival), at most `queue-depth` of them per
 * scheduling pass; they differ in how many blocked jobs get a reservation
 * (the earliest time their jobspec can be matched, given the expected ends
 * of running jobs and the other reservations) and in whether a blocked job
 * without one stops the pass:
 *
 *   fcfs          no reservations; the first job that does not fit stops
 *                 the pass (strict head-of-line blocking)
 *   easy          one reservation (the first blocked job); later jobs start
 *                 only if they do not delay it (backfilling)
 *   hybrid        `reservation-depth` reservations (default 64)
 *   conservative  every considered job gets a reservation
 *
 * The loop itself lives in the engine (sim/engine.c), so a policy is data:
 * adding one is one file policies/queue_NAME.c defining
 * `const struct flurm_queue_policy flurm_queue_policy_NAME` plus one line
 * in the table of policies/queue_policy.c.  A plugin (sim/plugin.h) adds
 * one at run time with flurm_queue_policy_register; lookups then find it
 * after the built-ins.
 *
 * Every Fluxion policy walks the jobs in arrival order.  A policy may give
 * its own `order` instead (shortest first, smallest first...): the engine
 * then sorts each queue by it at the start of every pass, except that jobs
 * holding a reservation stay in front (in arrival order), so that a job
 * the order puts ahead can never push a reserved one out of the first
 * queue-depth jobs, where it would miss its reserved start.
 */
#ifndef FLURM_POLICIES_QUEUE_POLICY_H
#define FLURM_POLICIES_QUEUE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/error.h"

/* Fluxion's defaults and caps (qmanager queue-params / policy-params). */
#define FLURM_QUEUE_DEPTH_DEFAULT 32u
#define FLURM_QUEUE_DEPTH_MAX 1000000u
#define FLURM_RESERVATION_DEPTH_DEFAULT 64u
#define FLURM_RESERVATION_DEPTH_MAX 100000u

/* Built-in and registered policies together. */
#define FLURM_QUEUE_POLICIES_MAX 64u

/* What an order sees of a pending job: what a real scheduler knows at
 * submission, never the run time (which only the simulator knows). */
struct flurm_queue_job {
    uint64_t id;       /* 1, 2, ... in submission order */
    double submit;     /* s */
    double walltime;   /* s, the requested limit (> 0) */
    uint64_t ncores;   /* cores requested */
};

struct flurm_queue_policy {
    const char *name;
    const char *summary;
    /* A job that neither starts nor gets a reservation ends the pass. */
    bool blocking;
    /* Reservations per queue, given the queue depth and the configured
     * reservation-depth parameter. */
    uint32_t (*reservation_depth) (uint32_t queue_depth, uint32_t param);
    /* < 0 when a goes before b, > 0 after, 0 when the policy does not
     * care (arrival order decides).  It must be a consistent order, since
     * the engine sorts with it.  NULL: arrival order. */
    int (*order) (const struct flurm_queue_job *a, const struct flurm_queue_job *b);
};

/* The policy called `name`, or NULL with err naming the known ones. */
const struct flurm_queue_policy *flurm_queue_policy_lookup (const char *name,
                                                            flurm_error_t *err);

/* The known policies, built-ins first, then the registered ones in
 * registration order; *n receives their number. */
const struct flurm_queue_policy *const *flurm_queue_policies (unsigned *n);

/* Make p known by its name from now on.  p is not copied: it must live as
 * long as the program.  -1 when p has no name or no reservation_depth,
 * when its name is taken or when the registry is full.  Not thread-safe:
 * register before any engine runs. */
int flurm_queue_policy_register (const struct flurm_queue_policy *p, flurm_error_t *err);

#endif
