/* policies/match_lonodex.c — Fluxion's `lonodex` match policy: lonode, and
 * every node the job uses is held whole.
 */
#include "policies/match_policy.h"

int flurm_policy_lonodex_init (struct flurm_match_policy *p,
                               const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, false, true, true, false);
}
