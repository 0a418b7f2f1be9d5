/* policies/pairing_easy_cosched.c — EASY backfilling that fills the free
 * halves of used sockets before it opens idle ones, so that co-scheduling
 * frees whole nodes for the jobs that need them.  The head job's
 * reservation holds as in easy: fills never delay it. */
#include "policies/pairing.h"

const struct flurm_pairing_rule flurm_pairing_easy_cosched = {
    .name = "easy-cosched",
    .summary = "easy backfilling that fills half-used sockets before idle ones",
    .judge = NULL, /* every placement is accepted */
    .fill_shared_first = true,
    .queue_policy = "easy",
};
