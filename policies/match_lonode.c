/* policies/match_lonode.c — Fluxion's `lonode` match policy: policy=low
 * node_centric=true: the lowest node id first, then the lowest ids inside
 * it.
 */
#include "policies/match_policy.h"

int flurm_policy_lonode_init (struct flurm_match_policy *p,
                              const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, false, true, false, false);
}
