/* policies/queue_hybrid.c — backfilling with `reservation-depth`
 * reservations (Fluxion's default 64), between easy (1) and conservative. */
#include "policies/queue_policy.h"

static uint32_t configured_depth (uint32_t queue_depth, uint32_t param)
{
    uint32_t depth = param ? param : FLURM_RESERVATION_DEPTH_DEFAULT;
    return depth < FLURM_RESERVATION_DEPTH_MAX ? depth : FLURM_RESERVATION_DEPTH_MAX;
}

const struct flurm_queue_policy flurm_queue_policy_hybrid = {
    .name = "hybrid",
    .summary = "backfill around the first reservation-depth blocked jobs",
    .blocking = false,
    .reservation_depth = configured_depth,
};
