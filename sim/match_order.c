/* sim/match_order.c — the order in which `first`-like policies visit a
 * vertex's children.
 *
 * Fluxion keeps, for every parent, its out-edges in a map sorted by
 * (weight, uniq_id of the child), largest first.  A weight starts at
 * "infinite" and is set, after each allocation whose update walks the
 * edge, to the free count of the child's last pruning type: free cores for
 * a node, free (not exclusively held) nodes for anything else (so 0 for a
 * socket).  Cancelling a job does not touch weights, so the order
 * remembers history; Flurm keeps the same weights (matcher->weight).
 *
 * Leaves listed in ascending uniq_id never change order (leaves get no
 * weight), whatever their number.  Other small families are sorted on
 * demand.  A parent with many children (the
 * cluster's nodes) keeps them bucketed by weight, each bucket a bitset over
 * the children ranked by descending uniq_id; listing the children in
 * order then costs O(children / 64) word operations instead of a sort, and
 * a weight change is O(1).  A second bitset marks the children with a free
 * core, so that on a mostly busy machine the full ones are passed 64 at a
 * time instead of being pruned one by one (the result is the same: a
 * request that needs cores prunes them).
 */
#include "sim/match_internal.h"

#include <string.h>

#define BIG_FAMILY MATCH_SMALL_FAMILY /* more children: a bucketed index */

/* The index of one big family. */
struct family {
    flurm_vid parent;
    uint32_t n;            /* children */
    uint32_t nwords;       /* 64-bit words per bucket bitset */
    uint32_t nbuckets;     /* weights 0 .. nbuckets-2, and "infinite" last */
    uint32_t *rank;        /* child offset -> rank (by descending uniq_id) */
    flurm_vid *at_rank;    /* rank -> child */
    uint64_t *bits;        /* nbuckets * nwords */
    uint32_t *count;       /* members per bucket */
    uint32_t *bucket;      /* child offset -> its bucket */
    uint64_t *has_cores;   /* by rank: the child has a free core */
};

struct match_order {
    GHashTable *families;  /* parent vid -> struct family */
    size_t nv;
    uint8_t *fixed;        /* per vertex: its children are leaves listed in
                              ascending uniq_id, so their order never
                              changes (leaves get no weight): last first */
};

/* Weights never exceed the largest total of a child (max_weight), so
 * only "infinite" needs a bucket of its own. */
static uint32_t bucket_of (const struct family *f, uint32_t weight)
{
    if (weight == UINT32_MAX)
        return f->nbuckets - 1;
    return weight < f->nbuckets - 1 ? weight : f->nbuckets - 2;
}

static void family_free (gpointer p)
{
    struct family *f = p;
    g_free (f->rank);
    g_free (f->at_rank);
    g_free (f->bits);
    g_free (f->count);
    g_free (f->bucket);
    g_free (f->has_cores);
    g_free (f);
}

static int cmp_uniq_desc (const void *a, const void *b, void *data)
{
    const struct flurm_vertex *V = data;
    int64_t x = V[*(const flurm_vid *)a].uniq_id, y = V[*(const flurm_vid *)b].uniq_id;
    return x > y ? -1 : x < y;
}

/* The largest weight a child of u can get (its total of the counted type);
 * larger weights cannot occur, so buckets above it are not needed. */
static uint32_t max_weight (const struct flurm_matcher *m, flurm_vid u)
{
    const struct flurm_vertex *x = &m->V[u];
    uint32_t best = 0;
    int core = m->prune_tracked[PRUNE_CORE], node = m->prune_tracked[PRUNE_NODE];
    for (uint32_t i = 0; i < x->nchildren; i++) {
        flurm_vid c = x->first_child + i;
        int t = m->V[c].type == m->node_type ? core : node;
        uint32_t total = t >= 0 ? flurm_graph_total (m->g, c, t) : 0;
        if (total > best)
            best = total;
    }
    return best;
}

static struct family *family_new (const struct flurm_matcher *m, flurm_vid u)
{
    const struct flurm_vertex *x = &m->V[u];
    struct family *f = g_new0 (struct family, 1);
    f->parent = u;
    f->n = x->nchildren;
    f->nwords = (f->n + 63) / 64;
    f->nbuckets = max_weight (m, u) + 2;
    f->rank = g_new (uint32_t, f->n);
    f->at_rank = g_new (flurm_vid, f->n);
    f->bits = g_new0 (uint64_t, (size_t)f->nbuckets * f->nwords);
    f->count = g_new0 (uint32_t, f->nbuckets);
    f->bucket = g_new (uint32_t, f->n);
    f->has_cores = g_new0 (uint64_t, f->nwords);
    for (uint32_t i = 0; i < f->n; i++)
        f->at_rank[i] = x->first_child + i;
    g_qsort_with_data (f->at_rank, (gint)f->n, sizeof (flurm_vid), cmp_uniq_desc,
                       (gpointer)m->V);
    for (uint32_t r = 0; r < f->n; r++)
        f->rank[f->at_rank[r] - x->first_child] = r;
    for (uint32_t i = 0; i < f->n; i++) {
        uint32_t b = bucket_of (f, m->weight[x->first_child + i]);
        uint32_t r = f->rank[i];
        f->bucket[i] = b;
        f->bits[(size_t)b * f->nwords + r / 64] |= 1ull << (r % 64);
        f->count[b]++;
        int core = m->prune_tracked[PRUNE_CORE];
        if (core >= 0 && flurm_graph_free (m->g, x->first_child + i, core) > 0)
            f->has_cores[r / 64] |= 1ull << (r % 64);
    }
    return f;
}

struct match_order *match_order_create (const struct flurm_matcher *m)
{
    struct match_order *o = g_new0 (struct match_order, 1);
    o->families = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, family_free);
    o->nv = m->nv;
    o->fixed = g_new0 (uint8_t, m->nv);
    for (flurm_vid u = 0; u < m->nv; u++) {
        const struct flurm_vertex *x = &m->V[u];
        bool fixed = true;
        for (uint32_t i = 0; fixed && i < x->nchildren; i++) {
            const struct flurm_vertex *c = &m->V[x->first_child + i];
            fixed = c->nchildren == 0
                    && (i == 0 || c[-1].uniq_id < c->uniq_id);
        }
        o->fixed[u] = fixed;
    }
    for (flurm_vid u = 0; u < m->nv; u++) {
        if (!o->fixed[u] && m->V[u].nchildren > BIG_FAMILY) {
            struct family *f = family_new (m, u);
            g_hash_table_insert (o->families, GUINT_TO_POINTER (u), f);
        }
    }
    return o;
}

size_t match_order_memory (const struct match_order *o)
{
    size_t bytes = sizeof (*o) + o->nv * sizeof (*o->fixed);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init (&it, o->families);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        const struct family *f = value;
        bytes += sizeof (*f) + (size_t)f->n * (2 * sizeof (uint32_t) + sizeof (flurm_vid))
                 + (size_t)f->nbuckets * (f->nwords * sizeof (uint64_t) + sizeof (uint32_t))
                 + f->nwords * sizeof (uint64_t);
    }
    return bytes;
}

void match_order_destroy (struct match_order *o)
{
    if (!o)
        return;
    g_hash_table_destroy (o->families);
    g_free (o->fixed);
    g_free (o);
}

struct small_key {
    uint32_t weight;
    int64_t uniq;
    flurm_vid v;
};

void match_order_begin (struct match_order *o, const struct flurm_matcher *m, flurm_vid u,
                        bool skip_full, struct match_order_iter *it)
{
    const struct flurm_vertex *x = &m->V[u];
    memset (it, 0, sizeof (*it));
    if (!o->fixed[u] && x->nchildren > BIG_FAMILY) {
        it->family = g_hash_table_lookup (o->families, GUINT_TO_POINTER (u));
        it->bucket = it->family->nbuckets;
        it->skip_full = skip_full && m->prune_tracked[PRUNE_CORE] >= 0;
        return;
    }
    uint32_t n = x->nchildren;
    if (o->fixed[u]) {
        it->reverse_first = x->first_child;
        it->nsmall = n;
        it->reverse = true;
        return;
    }
    /* small family: insertion sort on (weight, uniq_id), both descending;
     * uniq_ids are unique, so the order is total */
    struct small_key keys[BIG_FAMILY];
    for (uint32_t i = 0; i < n; i++) {
        flurm_vid c = x->first_child + i;
        struct small_key key = {m->weight[c], m->V[c].uniq_id, c};
        uint32_t j = i;
        while (j > 0 && (keys[j - 1].weight < key.weight
                         || (keys[j - 1].weight == key.weight && keys[j - 1].uniq < key.uniq))) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = key;
    }
    for (uint32_t i = 0; i < n; i++)
        it->small[i] = keys[i].v;
    it->nsmall = n;
}

flurm_vid match_order_next (struct match_order_iter *it)
{
    struct family *f = it->family;
    if (it->reverse)
        return it->pos < it->nsmall ? it->reverse_first + (it->nsmall - 1 - it->pos++)
                                    : FLURM_VID_NONE;
    if (!f)
        return it->pos < it->nsmall ? it->small[it->pos++] : FLURM_VID_NONE;
    for (;;) {
        if (it->word_bits) {
            int bit = __builtin_ctzll (it->word_bits);
            it->word_bits &= it->word_bits - 1;
            return f->at_rank[it->word * 64 + (uint32_t)bit];
        }
        if (it->bucket < f->nbuckets && it->word + 1 < f->nwords) {
            it->word++;
            it->word_bits = f->bits[(size_t)it->bucket * f->nwords + it->word];
            if (it->skip_full)
                it->word_bits &= f->has_cores[it->word];
            continue;
        }
        /* next non-empty bucket, heaviest first */
        do {
            if (it->bucket == 0)
                return FLURM_VID_NONE;
            it->bucket--;
        } while (f->count[it->bucket] == 0);
        it->word = 0;
        it->word_bits = f->bits[(size_t)it->bucket * f->nwords];
        if (it->skip_full)
            it->word_bits &= f->has_cores[0];
    }
}

void match_order_update (struct match_order *o, const struct flurm_matcher *m, flurm_vid v)
{
    flurm_vid u = m->V[v].parent;
    int core = m->prune_tracked[PRUNE_CORE];
    if (u == FLURM_VID_NONE || m->V[u].nchildren <= BIG_FAMILY || o->fixed[u] || core < 0)
        return;
    struct family *f = g_hash_table_lookup (o->families, GUINT_TO_POINTER (u));
    uint32_t r = f->rank[v - m->V[u].first_child];
    if (flurm_graph_free (m->g, v, core) > 0)
        f->has_cores[r / 64] |= 1ull << (r % 64);
    else
        f->has_cores[r / 64] &= ~(1ull << (r % 64));
}

void match_order_set_weight (struct match_order *o, struct flurm_matcher *m, flurm_vid v,
                             uint32_t weight)
{
    flurm_vid u = m->V[v].parent;
    m->weight[v] = weight;
    if (u == FLURM_VID_NONE || m->V[u].nchildren <= BIG_FAMILY || o->fixed[u])
        return;
    struct family *f = g_hash_table_lookup (o->families, GUINT_TO_POINTER (u));
    uint32_t i = v - m->V[u].first_child;
    uint32_t r = f->rank[i];
    uint32_t old = f->bucket[i];
    uint32_t b = bucket_of (f, weight);
    if (b == old)
        return;
    f->bits[(size_t)old * f->nwords + r / 64] &= ~(1ull << (r % 64));
    f->count[old]--;
    f->bits[(size_t)b * f->nwords + r / 64] |= 1ull << (r % 64);
    f->count[b]++;
    f->bucket[i] = b;
}
