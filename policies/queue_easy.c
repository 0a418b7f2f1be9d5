/* policies/queue_easy.c — EASY backfilling: the first blocked job gets a
 * reservation; later jobs start now when they do not delay it. */
#include "policies/queue_policy.h"

static uint32_t one_reservation (uint32_t queue_depth, uint32_t param)
{
    return 1;
}

const struct flurm_queue_policy flurm_queue_policy_easy = {
    .name = "easy",
    .summary = "backfill around one reservation (the first blocked job)",
    .blocking = false,
    .reservation_depth = one_reservation,
};
