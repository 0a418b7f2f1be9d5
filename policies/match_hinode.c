/* policies/match_hinode.c — Fluxion's `hinode` match policy: policy=high
 * node_centric=true: the highest node id first, then the highest ids inside
 * it.
 */
#include "policies/match_policy.h"

int flurm_policy_hinode_init (struct flurm_match_policy *p,
                              const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, true, true, false, false);
}
