/* sim/match_units.c — the nodes under the root, indexed by free cores.
 *
 * Most graphs are cluster -> nodes -> ...; the root's children are then
 * the units the matcher weighs against each other.  Two orders are kept:
 * graph order (Fluxion's visiting order, which fixes the order of tied
 * candidates) and, for node-centric policies, the policy's preferred order
 * (ascending node factor for low, descending for high), which lets a
 * search stop once no later node can beat what it has.  Over each order a
 * segment tree holds the maximum free core count of every range, so the
 * next node with at least `need` free cores is found in O(log n): a mostly
 * busy cluster costs what its free nodes cost, not what all nodes cost.
 *
 * Invariant: every leaf holds flurm_graph_free (node, core) of its node
 * (0 for padding leaves); match.c calls match_units_update after every
 * change of a node's held vertices, which also bumps the node's version.
 *
 * The unit caches remember, per request shape, what each node hands up to
 * the root (its candidates' scores): a policy whose ties make the whole
 * candidate list matter (low, high, locality, variation) then re-walks
 * only the nodes that changed since.  An entry is valid while its version
 * equals the node's; versions start at 1, so 0 means "never computed".
 */
#include "sim/match_internal.h"

#include <string.h>

static uint32_t free_cores (const struct flurm_matcher *m, flurm_vid v)
{
    int t = m->prune_tracked[PRUNE_CORE];
    return t >= 0 ? flurm_graph_free (m->g, v, t) : 0;
}

/* An inner entry depends only on its two children, so the climb stops at
 * the first one that does not change: most updates touch a node whose
 * sibling ranges still hold the maximum. */
static void tree_set (uint32_t *tree, uint32_t leaves, uint32_t pos, uint32_t value)
{
    uint32_t i = leaves + pos;
    tree[i] = value;
    for (i /= 2; i >= 1; i /= 2) {
        uint32_t a = tree[2 * i], b = tree[2 * i + 1];
        uint32_t max = a > b ? a : b;
        if (tree[i] == max)
            break;
        tree[i] = max;
    }
}

static uint32_t tree_next (const uint32_t *tree, uint32_t leaves, uint32_t pos, uint32_t need)
{
    if (pos >= leaves)
        return UINT32_MAX;
    uint32_t i = leaves + pos;
    if (tree[i] >= need)
        return pos;
    /* climb until a right sibling subtree holds a candidate */
    for (;;) {
        if (i == 1)
            return UINT32_MAX;
        if ((i & 1) == 0 && tree[i + 1] >= need) {
            i = i + 1;
            break;
        }
        i /= 2;
    }
    while (i < leaves)
        i = tree[2 * i] >= need ? 2 * i : 2 * i + 1;
    return i - leaves;
}

static int64_t factor_of (const struct flurm_matcher *m, flurm_vid v)
{
    return m->pol.factor ? m->pol.factor (&m->pol, m->g, v) : 0;
}

static int cmp_factor (const void *a, const void *b, void *data)
{
    const struct flurm_matcher *m = data;
    flurm_vid x = *(const flurm_vid *)a, y = *(const flurm_vid *)b;
    int64_t fx = factor_of (m, x), fy = factor_of (m, y);
    if (fx != fy)
        return fx < fy ? -1 : 1;
    return x < y ? -1 : x > y;
}

struct match_units *match_units_create (const struct flurm_matcher *m)
{
    const struct flurm_vertex *root = &m->V[0];
    if (root->nchildren == 0 || m->node_type == FLURM_ATOM_NONE)
        return NULL;
    for (uint32_t i = 0; i < root->nchildren; i++)
        if (m->V[root->first_child + i].type != m->node_type)
            return NULL;
    struct match_units *u = g_new0 (struct match_units, 1);
    u->n = root->nchildren;
    u->first = root->first_child;
    u->leaves = 1;
    while (u->leaves < u->n)
        u->leaves *= 2;
    u->by_rank = g_new (flurm_vid, u->n);
    u->rank = g_new (uint32_t, u->n);
    u->tree_graph = g_new0 (uint32_t, 2 * (size_t)u->leaves);
    u->tree_rank = g_new0 (uint32_t, 2 * (size_t)u->leaves);
    for (uint32_t i = 0; i < u->n; i++)
        u->by_rank[i] = u->first + i;
    u->ranked = (m->pol.flags & FLURM_POLICY_NODE_CENTRIC) && m->pol.factor;
    if (u->ranked) {
        g_qsort_with_data (u->by_rank, (gint)u->n, sizeof (*u->by_rank), cmp_factor,
                           (gpointer)m);
        if (m->pol.root_order != FLURM_ORDER_LOW) {
            for (uint32_t i = 0; i < u->n / 2; i++) {
                flurm_vid t = u->by_rank[i];
                u->by_rank[i] = u->by_rank[u->n - 1 - i];
                u->by_rank[u->n - 1 - i] = t;
            }
        }
    }
    for (uint32_t i = 0; i < u->n; i++)
        u->rank[u->by_rank[i] - u->first] = i;
    u->version = g_new (uint32_t, u->n);
    for (uint32_t i = 0; i < u->n; i++)
        u->version[i] = 1;
    for (uint32_t i = 0; i < u->n; i++) {
        uint32_t f = free_cores (m, u->first + i);
        u->tree_graph[u->leaves + i] = f;
        u->tree_rank[u->leaves + u->rank[i]] = f;
    }
    for (uint32_t i = u->leaves - 1; i >= 1; i--) {
        u->tree_graph[i] = MAX (u->tree_graph[2 * i], u->tree_graph[2 * i + 1]);
        u->tree_rank[i] = MAX (u->tree_rank[2 * i], u->tree_rank[2 * i + 1]);
    }
    return u;
}

size_t match_units_memory (const struct match_units *u)
{
    if (!u)
        return 0;
    size_t bytes = sizeof (*u) + u->n * (sizeof (flurm_vid) + 2 * sizeof (uint32_t))
                   + 4 * (size_t)u->leaves * sizeof (uint32_t);
    for (int i = 0; i < MATCH_UNIT_CACHES; i++)
        if (u->caches[i])
            bytes += sizeof (struct unit_cache) + 5 * (size_t)u->n * sizeof (uint32_t)
                     + u->caches[i]->cap_pool * sizeof (int64_t)
                     + u->caches[i]->cap_epool * sizeof (uint32_t);
    return bytes;
}

static void cache_free (struct unit_cache *c)
{
    if (!c)
        return;
    g_free (c->version);
    g_free (c->off);
    g_free (c->len);
    g_free (c->pool);
    g_free (c->eoff);
    g_free (c->elen);
    g_free (c->epool);
    g_free (c);
}

void match_units_destroy (struct match_units *u)
{
    if (!u)
        return;
    for (int i = 0; i < MATCH_UNIT_CACHES; i++)
        cache_free (u->caches[i]);
    g_free (u->version);
    g_free (u->by_rank);
    g_free (u->rank);
    g_free (u->tree_graph);
    g_free (u->tree_rank);
    g_free (u);
}

void match_units_update (struct flurm_matcher *m, flurm_vid v)
{
    struct match_units *u = m->units;
    if (!u || v < u->first || v >= u->first + u->n)
        return;
    uint32_t i = v - u->first, f = free_cores (m, v);
    if (++u->version[i] == 0)
        u->version[i] = 1;
    tree_set (u->tree_graph, u->leaves, i, f);
    if (u->ranked)
        tree_set (u->tree_rank, u->leaves, u->rank[i], f);
}

uint32_t match_units_next_graph (const struct match_units *u, uint32_t pos, uint32_t need)
{
    uint32_t p = tree_next (u->tree_graph, u->leaves, pos, need);
    return p < u->n ? p : UINT32_MAX;
}

uint32_t match_units_next_rank (const struct match_units *u, uint32_t pos, uint32_t need)
{
    /* unranked: rank order is graph order and only tree_graph is kept */
    uint32_t p = tree_next (u->ranked ? u->tree_rank : u->tree_graph, u->leaves, pos, need);
    return p < u->n ? p : UINT32_MAX;
}

struct unit_cache *match_units_cache (struct match_units *u, uint64_t sig)
{
    struct unit_cache *c = NULL;
    int victim = 0;
    for (int i = 0; i < MATCH_UNIT_CACHES; i++) {
        if (u->caches[i] && u->caches[i]->sig == sig) {
            c = u->caches[i];
            break;
        }
        if (!u->caches[i] || (u->caches[victim] && u->caches[i]->used < u->caches[victim]->used))
            victim = i;
    }
    if (!c) {
        c = u->caches[victim];
        if (!c) {
            c = g_new0 (struct unit_cache, 1);
            c->version = g_new (uint32_t, u->n);
            c->off = g_new (uint32_t, u->n);
            c->len = g_new (uint32_t, u->n);
            c->eoff = g_new (uint32_t, u->n);
            c->elen = g_new (uint32_t, u->n);
            u->caches[victim] = c;
        }
        c->sig = sig;
        memset (c->version, 0, u->n * sizeof (*c->version));
        c->npool = c->live = 0;
        c->nepool = c->elive = 0;
    }
    c->used = ++u->clock;
    return c;
}

/* Append `n` items of `size` bytes for `unit` to a pool, copying the
 * valid entries into a fresh pool when it is full. */
static void pool_put (struct unit_cache *c, const struct match_units *u, uint32_t unit,
                      void **pool, size_t *npool, size_t *cap, size_t *live, uint32_t *off,
                      uint32_t *len, const void *items, uint32_t n, size_t size)
{
    if (c->version[unit])
        *live -= len[unit];
    if (*npool + n > *cap) {
        size_t newcap = 2 * (*live + n) + 1024;
        char *fresh = g_malloc (newcap * size);
        size_t at = 0;
        for (uint32_t i = 0; i < u->n; i++) {
            if (!c->version[i] || i == unit)
                continue;
            if (len[i])
                memcpy (fresh + at * size, (char *)*pool + (size_t)off[i] * size, len[i] * size);
            off[i] = (uint32_t)at;
            at += len[i];
        }
        g_free (*pool);
        *pool = fresh;
        *cap = newcap;
        *npool = at;
    }
    if (n)
        memcpy ((char *)*pool + *npool * size, items, n * size);
    off[unit] = (uint32_t)*npool;
    len[unit] = n;
    *npool += n;
    *live += n;
}

void match_units_cache_put (struct unit_cache *c, const struct match_units *u, uint32_t unit,
                            const int64_t *scores, uint32_t n, const uint32_t *members,
                            uint32_t nwords)
{
    pool_put (c, u, unit, (void **)&c->pool, &c->npool, &c->cap_pool, &c->live, c->off, c->len,
              scores, n, sizeof (*scores));
    pool_put (c, u, unit, (void **)&c->epool, &c->nepool, &c->cap_epool, &c->elive, c->eoff,
              c->elen, members, nwords, sizeof (*members));
    c->version[unit] = u->version[unit];
}
