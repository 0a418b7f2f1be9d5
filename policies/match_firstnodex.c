/* policies/match_firstnodex.c — Fluxion's `firstnodex` match policy: first,
 * and every node the job uses is held whole.
 */
#include "policies/match_policy.h"

int flurm_policy_firstnodex_init (struct flurm_match_policy *p,
                                  const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, true, true, true, true);
}
