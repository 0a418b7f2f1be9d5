/* policies/queue_conservative.c — conservative backfilling: every job the
 * pass considers gets a reservation (Fluxion: max-reservation-depth clamped
 * to the queue depth), so no job is ever delayed by a later one. */
#include "policies/queue_policy.h"

static uint32_t every_job (uint32_t queue_depth, uint32_t param)
{
    return queue_depth < FLURM_RESERVATION_DEPTH_MAX ? queue_depth
                                                      : FLURM_RESERVATION_DEPTH_MAX;
}

const struct flurm_queue_policy flurm_queue_policy_conservative = {
    .name = "conservative",
    .summary = "a reservation for every considered job",
    .blocking = false,
    .reservation_depth = every_job,
};
