/* policies/match_high.c — Fluxion's `high` match policy: policy=high: at
 * every level the highest logical ids first.
 */
#include "policies/match_policy.h"

int flurm_policy_high_init (struct flurm_match_policy *p,
                            const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, true, false, false, false);
}
