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
 * in the table of policies/queue_policy.c.
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

struct flurm_queue_policy {
    const char *name;
    const char *summary;
    /* A job that neither starts nor gets a reservation ends the pass. */
    bool blocking;
    /* Reservations per queue, given the queue depth and the configured
     * reservation-depth parameter. */
    uint32_t (*reservation_depth) (uint32_t queue_depth, uint32_t param);
};

/* The policy called `name`, or NULL with err naming the known ones. */
const struct flurm_queue_policy *flurm_queue_policy_lookup (const char *name,
                                                            flurm_error_t *err);

/* The known policies, in registry order; *n receives their number. */
const struct flurm_queue_policy *const *flurm_queue_policies (unsigned *n);

#endif
