/* policies/match_low.c — Fluxion's `low` match policy: policy=low: at every
 * level the lowest logical ids first. Without a node factor, core 0 of every
 * node ties, so requests without a node level tend to spread over nodes.
 */
#include "policies/match_policy.h"

int flurm_policy_low_init (struct flurm_match_policy *p,
                           const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, false, false, false, false);
}
