/* policies/match_pack.c — Flurm's `pack` match policy: fewest nodes, then
 * fewest sockets, which is what "compact" means to a user.
 *
 * Before each match the nodes are ranked by their free cores against what
 * the job needs on one node (all of it without a node level, its share per
 * node with one): first the nodes that can hold it, the tightest fit first
 * (best fit keeps big holes for big jobs), then the others, the emptiest
 * first (so the job spans as few nodes as possible).  The sockets of each
 * node are ranked the same way.  Ties go to the lower id, then the lower
 * vertex index, so the ranking is a total order and the result never
 * depends on sort order.  Scores: a node's rank scaled by 2^40 and a
 * socket's by 2^20 are added to everything below them; lower is better at
 * every level.
 */
#include "policies/match_policy.h"

#include <stdlib.h>

#include <glib.h>

#define NODE_SCALE ((int64_t)1 << 40)
#define SOCKET_SCALE ((int64_t)1 << 20)

struct pack {
    int32_t *rank;  /* per vertex: rank among its siblings, or -1 */
    flurm_vid *tmp; /* scratch for sorting */
    size_t nvertices;
    flurm_atom socket_type;
    int core_index; /* tracked index of "core", or -1 */
    uint64_t need;  /* cores the job wants on one node */
};

struct keyed {
    const struct flurm_graph *g;
    const struct pack *pk;
};

static uint32_t free_cores (const struct flurm_graph *g, const struct pack *pk, flurm_vid v)
{
    return pk->core_index < 0 ? 0 : flurm_graph_free (g, v, pk->core_index);
}

static int cmp_fit (const void *a, const void *b, void *data)
{
    const struct keyed *k = data;
    flurm_vid x = *(const flurm_vid *)a, y = *(const flurm_vid *)b;
    uint64_t fx = free_cores (k->g, k->pk, x), fy = free_cores (k->g, k->pk, y);
    bool ix = fx >= k->pk->need, iy = fy >= k->pk->need;
    if (ix != iy)
        return ix ? -1 : 1;
    if (fx != fy)
        return (ix ? fx < fy : fx > fy) ? -1 : 1;
    int64_t idx = flurm_graph_vertex (k->g, x)->id, idy = flurm_graph_vertex (k->g, y)->id;
    if (idx != idy)
        return idx < idy ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Rank `n` vertices (siblings of one kind) by cmp_fit. */
static void rank_group (const struct flurm_graph *g, struct pack *pk, flurm_vid *v, size_t n)
{
    struct keyed k = {g, pk};
    g_qsort_with_data (v, (gint)n, sizeof (*v), cmp_fit, &k);
    for (size_t i = 0; i < n; i++)
        pk->rank[v[i]] = (int32_t)i;
}

static int pack_prepare (struct flurm_match_policy *p, const struct flurm_graph *g,
                         const struct flurm_match_want *want, flurm_error_t *err)
{
    (void)err;
    struct pack *pk = p->data;
    uint64_t cores = want->nslots * (want->cores_per_slot ? want->cores_per_slot : 1);
    pk->need = want->nnodes ? (cores + want->nnodes - 1) / want->nnodes : cores;

    size_t nnodes = flurm_graph_nnodes (g);
    for (size_t i = 0; i < nnodes; i++)
        pk->tmp[i] = flurm_graph_node_at (g, i);
    rank_group (g, pk, pk->tmp, nnodes);
    for (size_t i = 0; i < nnodes; i++) {
        flurm_vid node = flurm_graph_node_at (g, i);
        const struct flurm_vertex *x = flurm_graph_vertex (g, node);
        size_t n = 0;
        for (uint32_t c = 0; c < x->nchildren; c++) {
            flurm_vid child = x->first_child + c;
            if (flurm_graph_vertex (g, child)->type == pk->socket_type)
                pk->tmp[n++] = child;
        }
        rank_group (g, pk, pk->tmp, n);
    }
    return 0;
}

static int64_t pack_factor (const struct flurm_match_policy *p, const struct flurm_graph *g,
                            flurm_vid v)
{
    const struct pack *pk = p->data;
    flurm_atom type = flurm_graph_vertex (g, v)->type;
    if (pk->rank[v] < 0)
        return 0;
    if (type == p->node_type)
        return (pk->rank[v] + 1) * NODE_SCALE;
    if (type == pk->socket_type)
        return (pk->rank[v] + 1) * SOCKET_SCALE;
    return 0;
}

static int64_t pack_score (const struct flurm_match_policy *p, const struct flurm_graph *g,
                           flurm_vid v, int64_t above)
{
    const struct pack *pk = p->data;
    /* scores must stay positive: the matcher drops a vertex scoring 0 */
    if (pk->rank[v] >= 0)
        return above + pk->rank[v] + 1;
    return above + flurm_graph_vertex (g, v)->id + 2;
}

static void pack_destroy (struct flurm_match_policy *p)
{
    struct pack *pk = p->data;
    if (pk) {
        g_free (pk->rank);
        g_free (pk->tmp);
        g_free (pk);
    }
    p->data = NULL;
}

int flurm_policy_pack_init (struct flurm_match_policy *p, const struct flurm_graph *g,
                            flurm_error_t *err)
{
    (void)err;
    struct pack *pk = g_new0 (struct pack, 1);
    pk->nvertices = flurm_graph_size (g);
    pk->rank = g_new (int32_t, pk->nvertices);
    for (size_t i = 0; i < pk->nvertices; i++)
        pk->rank[i] = -1;
    pk->tmp = g_new (flurm_vid, pk->nvertices);
    pk->socket_type = flurm_graph_atom (g, "socket");
    pk->core_index = flurm_graph_tracked_index (g, flurm_graph_atom (g, "core"));
    p->data = pk;
    p->node_type = flurm_graph_atom (g, "node");
    p->vertex_order = FLURM_ORDER_LOW;
    p->slot_order = FLURM_ORDER_LOW;
    p->root_order = FLURM_ORDER_LOW;
    p->score = pack_score;
    p->factor = pack_factor;
    p->prepare = pack_prepare;
    p->destroy = pack_destroy;
    return 0;
}
