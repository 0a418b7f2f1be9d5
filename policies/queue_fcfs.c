/* policies/queue_fcfs.c — first come, first served (Fluxion's default):
 * jobs start in order; the first one that does not fit blocks the rest. */
#include "policies/queue_policy.h"

static uint32_t no_reservations (uint32_t queue_depth, uint32_t param)
{
    return 0;
}

const struct flurm_queue_policy flurm_queue_policy_fcfs = {
    .name = "fcfs",
    .summary = "strict order: the first job that does not fit blocks the queue",
    .blocking = true,
    .reservation_depth = no_reservations,
};
