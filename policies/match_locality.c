/* policies/match_locality.c — Fluxion's `locality` match policy
 * (greater_interval_first).
 *
 * Inside the graph every level prefers higher logical ids.  At the top,
 * the candidates' scores (id + 2) are merged into runs of consecutive
 * integers and a candidate ranks by its run: the highest-numbered
 * contiguous block is used first; candidates of one run tie, and Fluxion's
 * sort decides among them.
 */
#include "policies/match_policy.h"

static int64_t locality_score (const struct flurm_match_policy *p,
                               const struct flurm_graph *g, flurm_vid v,
                               int64_t above)
{
    (void)p;
    (void)above;
    return flurm_graph_vertex (g, v)->id + 2;
}

int flurm_policy_locality_init (struct flurm_match_policy *p,
                                const struct flurm_graph *g,
                                flurm_error_t *err)
{
    (void)err;
    p->vertex_order = FLURM_ORDER_HIGH;
    p->slot_order = FLURM_ORDER_HIGH;
    p->root_order = FLURM_ORDER_HIGH_RUN;
    p->score = locality_score;
    p->node_type = flurm_graph_atom (g, "node");
    return 0;
}
