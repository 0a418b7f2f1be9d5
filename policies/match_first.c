/* policies/match_first.c — Fluxion's `first` match policy: policy=high
 * node_centric=true stop_on_1_matches=true: the first complete match found,
 * visiting at every level the children with the most free resources first
 * (the highest uniq_id among equals). Fluxion's default.
 */
#include "policies/match_policy.h"

int flurm_policy_first_init (struct flurm_match_policy *p,
                             const struct flurm_graph *g, flurm_error_t *err)
{
    (void)err;
    return flurm_policy_multilevel_init (p, g, true, true, false, true);
}
