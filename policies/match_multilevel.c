/* policies/match_multilevel.c — Fluxion's id-based policies (low, high and
 * their node_centric / node_exclusive / stop_on_1_matches variants).
 *
 * Score of a matched vertex: 2 + its logical id + the factors of its
 * ancestors.  With node_centric a node's factor is (id + 2) * 10000 plus
 * |uniq_id mod 10000 - 1| as a tie-break, so everything inside one node
 * ranks together, lowest (or highest) node first.  The same order is used
 * at every level: ascending for low, descending for high.
 */
#include "policies/match_policy.h"

#include <stdlib.h>

#define NODE_FACTOR_SCALE 10000

static int64_t multilevel_score (const struct flurm_match_policy *p,
                                 const struct flurm_graph *g, flurm_vid v,
                                 int64_t above)
{
    (void)p;
    return above + flurm_graph_vertex (g, v)->id + 2;
}

static int64_t node_factor (const struct flurm_match_policy *p,
                            const struct flurm_graph *g, flurm_vid v)
{
    const struct flurm_vertex *x = flurm_graph_vertex (g, v);
    if (x->type != p->node_type)
        return 0;
    int64_t tie = llabs (x->uniq_id % NODE_FACTOR_SCALE - 1);
    return (x->id + 2) * NODE_FACTOR_SCALE + tie;
}

int flurm_policy_multilevel_init (struct flurm_match_policy *p,
                                  const struct flurm_graph *g, bool high,
                                  bool node_centric, bool node_exclusive,
                                  bool stop_on_1)
{
    enum flurm_match_order order = high ? FLURM_ORDER_HIGH : FLURM_ORDER_LOW;
    p->vertex_order = order;
    p->slot_order = order;
    p->root_order = order;
    p->score = multilevel_score;
    p->factor = node_centric ? node_factor : NULL;
    p->flags = (node_centric ? FLURM_POLICY_NODE_CENTRIC : 0)
               | (node_exclusive ? FLURM_POLICY_NODE_EXCLUSIVE : 0)
               | (stop_on_1 ? FLURM_POLICY_STOP_ON_1 : 0);
    p->node_type = flurm_graph_atom (g, "node");
    return 0;
}
