/* sim/match_dfu.c — Fluxion's depth-first-and-up selection.
 *
 * The walk follows flux-sched's dfu traverser step by step, because the
 * allocation Fluxion grants depends on more than the policy's ranking: on
 * which candidates each level gets to see, in which order, and on the
 * order std::sort leaves tied candidates in.  What the code keeps:
 *
 *  - visit (u, R): u is tested against the request list R: it matches a
 *    resource of R (RESOURCE), holds the slot of R (SLOT: its direct
 *    children have every type the slot asks for), or neither (PRISTINE
 *    while nothing has matched yet: the walk passes through with R).  Once
 *    something matched, a vertex that matches nothing fails (Fluxion) or is
 *    passed through (Flurm, not strict).  A vertex is then pruned if it is
 *    down, fails the constraint (nodes), is held by someone, is requested
 *    exclusive while someone uses it, or lacks the free cores/nodes the
 *    request needs below it.
 *  - every visited vertex fills a `scoring`: per type, a list of candidate
 *    groups (a vertex with its score, or a slot = several vertices).  A
 *    vertex that matched a resource chooses the best `count` candidates of
 *    each child type, marks them (enforce) and hands up only itself; other
 *    vertices hand their whole lists up (merge).  At the root the top-level
 *    types are chosen; the marks of the chosen vertices, and of the
 *    unmatched levels above them, are then followed by match_materialize.
 *  - lists keep the order Fluxion's vectors have: a child's merged lists,
 *    then the child itself, children in graph order (or, with
 *    stop_on_1_matches, in the order of match_order.c, stopping as soon as
 *    enough was found).  Sorting uses match_sort.c.
 *
 * Marks live in per-vertex arrays stamped with a sequence number, so no
 * clearing is needed between traversals; the candidate lists live in
 * arenas reset at the start of each selection.
 */
#include "sim/match_internal.h"

#include <string.h>

#define SLOT_KEY (FLURM_ATOM_NONE - 1)
#define MATCH_MET 1
#define MATCH_UNMET 0
#define MAX_EVALS (MATCH_MAX_TYPES + 1)

struct egroup {
    int64_t score;
    uint32_t count;
    uint32_t edge;   /* first of nedges contiguous edges */
    uint32_t nedges;
    uint32_t next;   /* list link */
    uint8_t excl;
    uint8_t root;
};

struct eedge {
    flurm_vid child;
    uint32_t count;
    uint32_t needs;
    uint8_t excl;
};

struct evals {
    uint32_t key;    /* type atom, or SLOT_KEY */
    uint32_t head, tail, n;
    uint32_t qual, total;
    uint32_t best_k, best_i;
    uint32_t sorted; /* offset in work->ord of the n sorted ids, or NIL */
    uint32_t cursor; /* slot forming: next sorted position */
};

struct scoring {
    uint32_t nev;
    bool hier;       /* something was chosen here: enforce, do not merge */
    int64_t overall;
    uint32_t avail;
    struct evals ev[MAX_EVALS];
};

struct match_work {
    struct egroup *eg;
    uint32_t neg, cap_eg;
    struct eedge *ed;
    uint32_t ned, cap_ed;
    uint32_t *ord;
    uint32_t nord, cap_ord;
    struct flurm_sort_item *items;
    size_t cap_items;
    int64_t *scores;
    size_t cap_scores;
    flurm_vid *kids; /* materialization's stack of vertices to expand */
    size_t nkids, cap_kids;
    uint32_t *words; /* compute_unit's cache records being built */
    size_t cap_words;
    flurm_vid *marked;
    size_t nmarked, cap_marked;
    struct flurm_sort_item *cands; /* select_cached's candidate list */
    size_t cap_cands;
    struct scoring **frames; /* reused scoring objects, one per depth */
    size_t nframes, cap_frames, depth;
};

struct rlist {
    uint32_t first, n;
};

/* How the root's children (nodes, see match_units.c) are gone through:
 * all of them in graph order (Fluxion), in graph order skipping nodes
 * without enough free cores (same result), in the policy's node order
 * stopping when no later node can beat the candidates found, or in graph
 * order from the per-node candidate caches (match_units.c), walking only
 * the nodes that changed. */
enum fast_mode { FAST_NONE, FAST_SKIP, FAST_RANKED, FAST_CACHED };

struct walk {
    struct flurm_matcher *m;
    const struct flurm_vertex *V;
    const struct mrequest *rq;
    struct match_work *w;
    const struct flurm_match_policy *pol;
    bool sat;
    bool dynamic;
    bool busy;
    bool hard;
    flurm_error_t *err;
    int64_t above;
    uint32_t seq;
    uint64_t visits;
    enum fast_mode fast;  /* how the root's children are gone through */
    bool exhaustive;      /* visit everything Fluxion visits */
    bool tie;             /* FAST_RANKED met a tie it cannot settle */
    bool skipped;         /* some child of the root was not visited */
};

enum kind { K_NONE, K_PRISTINE, K_SLOT, K_RESOURCE };

/* ---- arenas ------------------------------------------------------------ */

static void *grow (void *p, uint32_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    *cap = (uint32_t)c;
    return g_realloc (p, c * elem);
}

static void *grow_sz (void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    *cap = c;
    return g_realloc (p, c * elem);
}

void match_work_destroy (struct match_work *w)
{
    if (!w)
        return;
    g_free (w->eg);
    g_free (w->ed);
    g_free (w->ord);
    g_free (w->items);
    g_free (w->scores);
    g_free (w->kids);
    g_free (w->words);
    g_free (w->marked);
    g_free (w->cands);
    for (size_t i = 0; i < w->nframes; i++)
        g_free (w->frames[i]);
    g_free (w->frames);
    g_free (w);
}

size_t match_work_memory (const struct match_work *w)
{
    if (!w)
        return 0;
    return sizeof (*w) + w->cap_eg * sizeof (*w->eg) + w->cap_ed * sizeof (*w->ed)
           + w->cap_ord * sizeof (*w->ord) + w->cap_items * sizeof (*w->items)
           + w->cap_scores * sizeof (*w->scores) + w->cap_kids * sizeof (*w->kids)
           + w->cap_words * sizeof (*w->words)
           + w->cap_marked * sizeof (*w->marked) + w->cap_cands * sizeof (*w->cands)
           + w->nframes * sizeof (struct scoring)
           + w->cap_frames * sizeof (*w->frames);
}

static uint32_t new_egroup (struct walk *k, int64_t score, uint32_t count, bool excl,
                            bool root)
{
    struct match_work *w = k->w;
    w->eg = grow (w->eg, &w->cap_eg, (size_t)w->neg + 1, sizeof (*w->eg));
    uint32_t id = w->neg++;
    struct egroup *e = &w->eg[id];
    e->score = score;
    e->count = count;
    e->edge = w->ned;
    e->nedges = 0;
    e->next = MATCH_NIL;
    e->excl = excl;
    e->root = root;
    return id;
}

/* Append an edge to the egroup created last. */
static void add_edge (struct walk *k, uint32_t gid, flurm_vid child, uint32_t count,
                      uint32_t needs, bool excl)
{
    struct match_work *w = k->w;
    w->ed = grow (w->ed, &w->cap_ed, (size_t)w->ned + 1, sizeof (*w->ed));
    w->ed[w->ned++] = (struct eedge){child, count, needs, excl};
    w->eg[gid].nedges++;
}

/* ---- scoring lists ----------------------------------------------------- */

static void scoring_init (struct scoring *s)
{
    s->nev = 0;
    s->hier = false;
    s->overall = -1;
    s->avail = 0;
}

/* A scoring object for the next level down; frames are kept between
 * traversals so that the walk allocates nothing per vertex. */
static struct scoring *frame_push (struct walk *k)
{
    struct match_work *w = k->w;
    if (w->depth == w->nframes) {
        w->frames = grow_sz (w->frames, &w->cap_frames, w->nframes + 1, sizeof (*w->frames));
        w->frames[w->nframes++] = g_new (struct scoring, 1);
    }
    struct scoring *s = w->frames[w->depth++];
    scoring_init (s);
    return s;
}

static void frame_pop (struct walk *k)
{
    k->w->depth--;
}

static struct evals *evals_find (struct scoring *s, uint32_t key)
{
    for (uint32_t i = 0; i < s->nev; i++)
        if (s->ev[i].key == key)
            return &s->ev[i];
    return NULL;
}

static struct evals *evals_get (struct walk *k, struct scoring *s, uint32_t key)
{
    struct evals *e = evals_find (s, key);
    if (e)
        return e;
    if (s->nev == MAX_EVALS) {
        if (!k->hard)
            flurm_error_set (k->err, "the graph has more than %d vertex types",
                             MATCH_MAX_TYPES);
        k->hard = true;
        return NULL;
    }
    e = &s->ev[s->nev++];
    memset (e, 0, sizeof (*e));
    e->key = key;
    e->head = e->tail = e->sorted = MATCH_NIL;
    return e;
}

static void evals_append (struct walk *k, struct evals *e, uint32_t gid)
{
    struct egroup *g = &k->w->eg[gid];
    if (e->n == 0)
        e->head = gid;
    else
        k->w->eg[e->tail].next = gid;
    e->tail = gid;
    e->n++;
    e->total += g->count;
    if (g->score > 0)
        e->qual += g->count;
}

static uint32_t qualified (struct scoring *s, uint32_t key)
{
    struct evals *e = evals_find (s, key);
    return e ? e->qual : 0;
}

static uint32_t total_count (struct scoring *s, uint32_t key)
{
    struct evals *e = evals_find (s, key);
    return e ? e->total : 0;
}

static void merge (struct walk *k, struct scoring *dst, struct scoring *src)
{
    for (uint32_t i = 0; i < src->nev; i++) {
        struct evals *e = &src->ev[i];
        struct evals *d = evals_get (k, dst, e->key);
        if (!d || e->n == 0)
            continue;
        if (d->n == 0)
            d->head = e->head;
        else
            k->w->eg[d->tail].next = e->head;
        d->tail = e->tail;
        d->n += e->n;
        d->qual += e->qual;
        d->total += e->total;
    }
}

/* The keys of HIGH_RUN: each score becomes the lower end of its run of
 * consecutive integers.  Candidates share few distinct scores, so the
 * runs are computed on the distinct ones (found with a small hash set). */
static void run_keys (struct flurm_sort_item *it, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n && cap < ((size_t)1 << 30))
        cap *= 2;
    int64_t *slot = g_new (int64_t, cap);
    bool *used = g_new0 (bool, cap);
    int64_t *distinct = g_new (int64_t, n ? n : 1);
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = (uint64_t)it[i].key * 0x9e3779b97f4a7c15ull;
        size_t j = (size_t)(h >> 20) & (cap - 1);
        while (used[j] && slot[j] != it[i].key)
            j = (j + 1) & (cap - 1);
        if (!used[j]) {
            used[j] = true;
            slot[j] = it[i].key;
            distinct[nd++] = it[i].key;
        }
    }
    struct flurm_sort_item *d = g_new (struct flurm_sort_item, nd ? nd : 1);
    for (size_t i = 0; i < nd; i++)
        d[i] = (struct flurm_sort_item){distinct[i], 0, 0};
    flurm_stdsort (d, nd, false);
    /* reuse `distinct` as the run bound of each sorted distinct score */
    for (size_t i = 0; i < nd; i++)
        distinct[i] = (i > 0 && d[i].key == d[i - 1].key + 1) ? distinct[i - 1] : d[i].key;
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = nd;
        while (lo + 1 < hi) {
            size_t mid = (lo + hi) / 2;
            if (d[mid].key <= it[i].key)
                lo = mid;
            else
                hi = mid;
        }
        it[i].key = distinct[lo];
    }
    g_free (d);
    g_free (distinct);
    g_free (slot);
    g_free (used);
}

/* Fluxion's choose_best_k: sort the list by the order, give the best k
 * their needs.  `all`: the whole list must end sorted (slot forming reads
 * it), else only the first k positions. */
static int choose (struct walk *k, struct scoring *s, struct evals *e, uint32_t want,
                   enum flurm_match_order order, bool all)
{
    struct match_work *w = k->w;
    if (!e || want == 0 || want > e->qual)
        return -1;
    uint32_t n = e->n;
    w->items = grow_sz (w->items, &w->cap_items, n, sizeof (*w->items));
    bool unit = true;
    uint32_t i = 0;
    for (uint32_t id = e->head; id != MATCH_NIL; id = w->eg[id].next, i++) {
        w->items[i] = (struct flurm_sort_item){w->eg[id].score, id, 0};
        if (w->eg[id].count != 1)
            unit = false;
    }
    if (order == FLURM_ORDER_HIGH_RUN)
        run_keys (w->items, n);
    bool greater = order != FLURM_ORDER_LOW;
    if (all || !unit)
        flurm_stdsort (w->items, n, greater);
    else
        flurm_stdsort_prefix (w->items, n, want, greater);
    w->ord = grow (w->ord, &w->cap_ord, (size_t)w->nord + n, sizeof (*w->ord));
    e->sorted = w->nord;
    for (i = 0; i < n; i++)
        w->ord[w->nord + i] = w->items[i].idx;
    w->nord += n;
    int64_t left = want;
    for (i = 0; left > 0; i++)
        left -= w->eg[w->ord[e->sorted + i]].count;
    e->best_k = want;
    e->best_i = i;
    s->hier = true;
    return 0;
}

/* ---- marks ------------------------------------------------------------- */

static void mark (struct walk *k, flurm_vid v, uint32_t needs, bool excl, flurm_vid owner)
{
    struct flurm_matcher *m = k->m;
    if (m->mark_seq[v] != k->seq) {
        struct match_work *w = k->w;
        w->marked = grow_sz (w->marked, &w->cap_marked, w->nmarked + 1, sizeof (*w->marked));
        w->marked[w->nmarked++] = v;
        m->mark_seq[v] = k->seq;
    }
    m->mark_needs[v] = needs;
    m->mark_excl[v] = excl;
    m->mark_owner[v] = owner;
}

/* Mark the chosen candidates of every chosen type.  At the root
 * (`unconstrained`), also the levels between the root and each chosen
 * vertex that the request did not name, so that they are walked. */
static void enforce (struct walk *k, flurm_vid owner, struct scoring *s, bool unconstrained)
{
    struct match_work *w = k->w;
    const struct flurm_vertex *V = k->V;
    for (uint32_t t = 0; t < s->nev; t++) {
        struct evals *e = &s->ev[t];
        if (e->best_k == 0)
            continue;
        for (uint32_t i = 0; i < e->best_i; i++) {
            struct egroup *g = &w->eg[w->ord[e->sorted + i]];
            if (g->root)
                continue;
            for (uint32_t j = 0; j < g->nedges; j++) {
                struct eedge *d = &w->ed[g->edge + j];
                mark (k, d->child, d->needs, d->excl, owner);
                if (!unconstrained)
                    continue;
                for (flurm_vid p = V[d->child].parent; V[p].parent != FLURM_VID_NONE;
                     p = V[p].parent) {
                    if (k->m->mark_seq[p] == k->seq)
                        break;
                    struct evals *pe = evals_find (s, V[p].type);
                    if (pe && pe->best_k == 0)
                        mark (k, p, (uint32_t)V[p].size, false, owner);
                }
            }
        }
    }
}

/* ---- request tests ----------------------------------------------------- */

static inline uint32_t req_key (const struct mreq *r)
{
    return r->slot ? SLOT_KEY : r->type;
}

static bool requested_exclusive (const struct walk *k, struct rlist R, flurm_vid u)
{
    for (uint32_t i = 0; i < R.n; i++) {
        const struct mreq *r = &k->rq->r[R.first + i];
        if (!r->slot && r->type == k->V[u].type && r->excl == 1)
            return true;
    }
    return false;
}

static bool has_child_type (const struct flurm_matcher *m, flurm_vid u, flurm_atom type)
{
    for (size_t t = 0; t < m->ntypes; t++)
        if (m->types[t] == type)
            return (m->child_types[u] >> t) & 1;
    return false;
}

static enum kind test (const struct walk *k, flurm_vid u, struct rlist R, bool *pristine,
                       struct rlist *next, uint32_t *nslots)
{
    const struct mreq *match = NULL, *slot = NULL;
    for (uint32_t i = 0; i < R.n; i++) {
        const struct mreq *r = &k->rq->r[R.first + i];
        if (!r->slot && r->type == k->V[u].type) {
            match = r;
            for (uint32_t c = 0; c < r->nwith; c++) {
                const struct mreq *w = &k->rq->r[r->with + c];
                if (w->slot) {
                    slot = w;
                    *nslots = w->eff_max;
                }
            }
        }
        else if (r->slot) {
            slot = r;
            *nslots = r->eff_max;
        }
    }
    bool slot_here = slot != NULL;
    for (uint32_t c = 0; slot_here && c < slot->nwith; c++) {
        const struct mreq *w = &k->rq->r[slot->with + c];
        if (w->slot || !has_child_type (k->m, u, w->type))
            slot_here = false;
    }
    if (slot_here) {
        *pristine = false;
        *next = (struct rlist){slot->with, slot->nwith};
        return K_SLOT;
    }
    if (match) {
        *pristine = false;
        *next = (struct rlist){match->with, match->nwith};
        return K_RESOURCE;
    }
    *next = R;
    return *pristine ? K_PRISTINE : K_NONE;
}

static bool pruning_applies (const struct flurm_matcher *m, int slot, flurm_atom type)
{
    if (slot == PRUNE_CORE)
        return type != m->core_type;
    if (slot == PRUNE_NODE)
        return type != m->node_type;
    return type == m->cluster_type; /* other leaf types: anchored at the cluster */
}

/* Fluxion's by_subplan: does u's subtree hold what one `r` needs? */
static bool subtree_fits (const struct walk *k, flurm_vid u, const struct mreq *r)
{
    const struct flurm_matcher *m = k->m;
    if (!r->has_ud || k->V[u].nchildren == 0)
        return true;
    for (int p = 0; p < m->nprune; p++) {
        if (m->prune_tracked[p] < 0 || !pruning_applies (m, p, k->V[u].type))
            continue;
        uint32_t avail = k->sat ? flurm_graph_total (m->g, u, m->prune_tracked[p])
                                : flurm_graph_free (m->g, u, m->prune_tracked[p]);
        if (r->ud[p] > avail)
            return false;
    }
    return true;
}

/* Fluxion's prune(): 0 to go on, -1 to skip u (busy), -2 request error. */
static int prune (struct walk *k, flurm_vid u, bool x_in, struct rlist R)
{
    struct flurm_matcher *m = k->m;
    const struct flurm_vertex *x = &k->V[u];
    if (!k->sat && x->status != FLURM_STATUS_UP)
        return -1;
    if (k->rq->constraint && x->type == m->node_type
        && !flurm_constraint_match (k->rq->constraint, m->g, u))
        return -1;
    if (!k->sat && flurm_graph_is_taken (m->g, u))
        return -1;
    /* node_exclusive policies hold whole nodes: a node someone uses is not
     * free for them (Fluxion only meets this when mixing policies) */
    if (!k->sat && (k->pol->flags & FLURM_POLICY_NODE_EXCLUSIVE) && x->type == m->node_type
        && m->held_below[u] > 0)
        return -1;
    for (uint32_t i = 0; i < R.n; i++) {
        const struct mreq *r = &k->rq->r[R.first + i];
        if (!r->slot && r->type != x->type)
            continue;
        if (!r->slot) {
            if (x_in && r->excl == 0) {
                if (!k->hard)
                    flurm_error_set (k->err, "exclusive: false on a %s inside a slot or an "
                                     "exclusive resource", flurm_graph_atom_str (m->g, r->type));
                k->hard = true;
                return -2;
            }
            if ((x_in || r->excl == 1) && !k->sat && m->held_below[u] > 0)
                return -1;
        }
        if (!subtree_fits (k, u, r))
            return -1;
    }
    return 0;
}

/* ---- the walk ---------------------------------------------------------- */

static int visit (struct walk *k, flurm_vid u, struct rlist R, bool pristine, bool *excl,
                  struct scoring *to_parent);

static void add_child (struct walk *k, struct scoring *dfu, flurm_vid c, bool x)
{
    struct evals *e = evals_get (k, dfu, k->V[c].type);
    if (!e)
        return;
    uint32_t gid = new_egroup (k, dfu->overall, dfu->avail, x, false);
    add_edge (k, gid, c, dfu->avail, dfu->avail, x);
    evals_append (k, e, gid);
}

struct tally {
    uint32_t key;
    uint32_t per_share, prev_total, accum, shares;
};

static bool tally_satisfied (const struct tally *t, uint32_t multiplier)
{
    return t->per_share == 0 || t->shares >= multiplier;
}

static void explore_units (struct walk *k, struct rlist next, bool pristine, bool x_in,
                           struct scoring *dfu);

static void explore (struct walk *k, flurm_vid u, struct rlist next, bool pristine,
                     bool x_in, struct scoring *dfu, uint32_t multiplier)
{
    const struct flurm_vertex *x = &k->V[u];
    if (u == 0 && k->fast != FAST_NONE) {
        explore_units (k, next, pristine, x_in, dfu);
        return;
    }
    if (!k->dynamic) {
        for (uint32_t i = 0; i < x->nchildren && !k->hard; i++) {
            flurm_vid c = x->first_child + i;
            bool cx = x_in;
            if (visit (k, c, next, pristine, &cx, dfu) == 0)
                add_child (k, dfu, c, cx);
        }
        return;
    }
    struct tally tallies[MAX_EVALS];
    uint32_t nt = next.n < MAX_EVALS ? next.n : MAX_EVALS;
    for (uint32_t i = 0; i < nt; i++) {
        const struct mreq *r = &k->rq->r[next.first + i];
        tallies[i] = (struct tally){req_key (r), r->eff_max, 0, 0, 0};
    }
    bool sat_type[MAX_EVALS] = {false};
    /* children without a free core are pruned by any request that needs
     * cores: let the order leave them out (no errno emulation then) */
    bool skip_full = !k->sat && !k->exhaustive && next.n == 1
                     && k->rq->r[next.first].ud[PRUNE_CORE] > 0;
    struct match_order_iter it;
    match_order_begin (k->m->order, k->m, u, skip_full, &it);
    if (skip_full)
        k->skipped = true;
    for (flurm_vid c = match_order_next (&it); c != FLURM_VID_NONE && !k->hard;
         c = match_order_next (&it)) {
        bool skip = false;
        for (uint32_t t = 0; t < nt; t++)
            if (sat_type[t] && tallies[t].key == k->V[c].type)
                skip = true;
        if (skip)
            continue;
        bool cx = x_in;
        if (visit (k, c, next, pristine, &cx, dfu) != 0)
            continue;
        add_child (k, dfu, c, cx);
        bool enough = true;
        for (uint32_t t = 0; t < nt; t++) {
            struct tally *ty = &tallies[t];
            uint32_t total = total_count (dfu, ty->key);
            if (total > ty->prev_total) {
                ty->accum += total - ty->prev_total;
                ty->prev_total = total;
                if (ty->per_share > 0 && ty->accum >= ty->per_share) {
                    ty->shares++;
                    ty->accum = 0;
                }
            }
            if (tally_satisfied (ty, multiplier))
                sat_type[t] = true;
            else
                enough = false;
        }
        if (enough)
            break;
    }
}

/* Fluxion's dom_slot: gather the slot's members among u's children, sort
 * each type, and cut as many slots as the members allow. */
static void dom_slot (struct walk *k, flurm_vid u, struct rlist shape, uint32_t nslots,
                      struct scoring *dfu)
{
    struct match_work *w = k->w;
    struct scoring *ds = frame_push (k);
    explore (k, u, shape, false, true, ds, nslots);
    for (uint32_t t = 0; t < ds->nev; t++)
        choose (k, ds, &ds->ev[t], ds->ev[t].qual, k->pol->slot_order, true);

    uint32_t nslot = UINT32_MAX;
    for (uint32_t i = 0; i < shape.n; i++) {
        const struct mreq *r = &k->rq->r[shape.first + i];
        struct evals *e = evals_find (ds, req_key (r));
        uint32_t count = match_calc_count (&r->count, e ? e->qual : 0);
        uint32_t shares = 0, accum = 0;
        for (uint32_t j = 0; count > 0 && e && j < e->n; j++) {
            uint32_t id = e->sorted != MATCH_NIL ? w->ord[e->sorted + j] : MATCH_NIL;
            if (id == MATCH_NIL)
                break;
            accum += w->ed[w->eg[id].edge].count;
            if (accum >= count) {
                shares++;
                accum = 0;
            }
        }
        uint32_t fit = count == 0 ? 0 : shares;
        if (fit < nslot)
            nslot = fit;
        if (e)
            e->cursor = 0;
    }
    uint32_t first_slot = w->neg;
    uint32_t made = 0;
    for (uint32_t s = 0; s < nslot; s++) {
        uint32_t gid = new_egroup (k, MATCH_MET, 1, true, false);
        int64_t score = MATCH_MET;
        for (uint32_t i = 0; i < shape.n; i++) {
            const struct mreq *r = &k->rq->r[shape.first + i];
            struct evals *e = evals_find (ds, req_key (r));
            uint32_t count = match_calc_count (&r->count, e ? e->qual : 0);
            for (uint32_t j = 0; j < count;) {
                if (!e || e->sorted == MATCH_NIL || e->cursor >= e->n)
                    goto done; /* Fluxion: "not enough slots" */
                struct egroup *m = &w->eg[w->ord[e->sorted + e->cursor++]];
                struct eedge first = w->ed[m->edge];
                add_edge (k, gid, first.child, first.count, first.count, true);
                score += m->score;
                j += first.count;
            }
        }
        w->eg[gid].score = score;
        made++;
    }
    {
        struct evals *e = made ? evals_get (k, dfu, SLOT_KEY) : NULL;
        for (uint32_t s = 0; e && s < made; s++)
            evals_append (k, e, first_slot + s);
    }
done:
    frame_pop (k);
}

static int visit (struct walk *k, flurm_vid u, struct rlist R, bool pristine, bool *excl,
                  struct scoring *to_parent)
{
    const struct flurm_match_policy *pol = k->pol;
    const struct flurm_vertex *x = &k->V[u];
    bool x_in = *excl || requested_exclusive (k, R, u);
    bool check_pres = pristine;
    uint32_t nslots = 0;
    struct rlist next;

    k->visits++;
    enum kind kind = test (k, u, R, &check_pres, &next, &nslots);
    if (kind == K_NONE) {
        if (k->m->strict) {
            k->busy = true;
            return -1;
        }
        kind = K_PRISTINE; /* Flurm may skip a level the request does not name */
        next = R;
    }
    int rc = prune (k, u, x_in, R);
    if (rc < 0) {
        k->busy = true;
        return -1;
    }
    int64_t factor = pol->factor ? pol->factor (pol, k->m->g, u) : 0;
    uint32_t avail = x->size > 0 ? (uint32_t)x->size : 1;
    *excl = x_in;
    if (x->nchildren == 0) {
        /* a leaf hands nothing up but itself: no frame, no lists; it
         * fails only if the resource it matched wants something below */
        for (uint32_t i = 0; i < R.n; i++) {
            const struct mreq *r = &k->rq->r[R.first + i];
            if (!r->slot && r->type == x->type && r->nwith > 0) {
                k->busy = true;
                return -1;
            }
        }
        to_parent->avail = avail;
        to_parent->overall = pol->score (pol, k->m->g, u, k->above);
        return 0;
    }
    k->above += factor;

    struct scoring *dfu = frame_push (k);
    if (kind == K_SLOT)
        dom_slot (k, u, next, nslots, dfu);
    else
        explore (k, u, next, check_pres, x_in, dfu, 1);

    k->above -= factor;
    bool met = !k->hard;
    for (uint32_t i = 0; met && i < R.n; i++) {
        const struct mreq *r = &k->rq->r[R.first + i];
        if (r->slot || r->type != x->type)
            continue;
        for (uint32_t c = 0; c < r->nwith; c++) {
            const struct mreq *cr = &k->rq->r[r->with + c];
            uint32_t count = match_calc_count (&cr->count, qualified (dfu, req_key (cr)));
            if (count == 0) {
                met = false;
                break;
            }
            choose (k, dfu, evals_find (dfu, req_key (cr)), count, pol->vertex_order, false);
        }
    }
    if (!met) {
        frame_pop (k);
        k->busy = true;
        return -1;
    }
    dfu->overall = pol->score (pol, k->m->g, u, k->above);
    if (dfu->overall > MATCH_UNMET) {
        if (dfu->hier)
            enforce (k, u, dfu, false);
        else
            merge (k, to_parent, dfu);
    }
    to_parent->avail = avail;
    to_parent->overall = dfu->overall;
    frame_pop (k);
    return k->hard ? -1 : 0;
}


/* ---- the root's children, fast ---------------------------------------- */

/* The k best scores seen so far (in the root order), and the best score
 * that did not make it: a tie between the two means the set of winners
 * depends on Fluxion's sort order, which only the full walk reproduces. */
struct best_k {
    int64_t *s;
    uint32_t n, k;
    bool low;
    bool have_out;
    int64_t out;
};

static bool better (const struct best_k *b, int64_t x, int64_t y)
{
    return b->low ? x < y : x > y;
}

static void best_note_out (struct best_k *b, int64_t x)
{
    if (!b->have_out || better (b, x, b->out)) {
        b->out = x;
        b->have_out = true;
    }
}

static void best_add (struct best_k *b, int64_t x)
{
    if (b->n == b->k) {
        if (!better (b, x, b->s[b->k - 1])) {
            best_note_out (b, x);
            return;
        }
        best_note_out (b, b->s[--b->n]);
    }
    uint32_t i = b->n++;
    while (i > 0 && better (b, x, b->s[i - 1])) {
        b->s[i] = b->s[i - 1];
        i--;
    }
    b->s[i] = x;
}

/* The best score any candidate inside node n can have (multilevel scores:
 * the node's factor plus id + 2 per member, ids >= -1). */
static int64_t unit_bound (const struct walk *k, flurm_vid n, const struct mreq *r,
                           uint32_t members)
{
    const struct flurm_match_policy *pol = k->pol;
    if (r->type == k->m->node_type)
        return pol->score (pol, k->m->g, n, 0);
    int64_t f = pol->factor (pol, k->m->g, n);
    int64_t per = pol->root_order == FLURM_ORDER_LOW ? f + 1 : f + 2 + k->m->max_id;
    return (r->slot ? 1 : 0) + (int64_t)members * per;
}

static void explore_units (struct walk *k, struct rlist next, bool pristine, bool x_in,
                           struct scoring *dfu)
{
    const struct match_units *u = k->m->units;
    const struct mreq *r = &k->rq->r[next.first];
    uint32_t need = 0;
    if (!k->sat && k->m->prune_tracked[PRUNE_CORE] >= 0)
        need = r->ud[PRUNE_CORE];
    if (k->fast == FAST_SKIP) {
        uint32_t visited = 0;
        for (uint32_t pos = match_units_next_graph (u, 0, need); pos != UINT32_MAX && !k->hard;
             pos = match_units_next_graph (u, pos + 1, need)) {
            flurm_vid c = u->first + pos;
            bool cx = x_in;
            visited++;
            if (visit (k, c, next, pristine, &cx, dfu) == 0)
                add_child (k, dfu, c, cx);
        }
        k->skipped = visited < u->n;
        return;
    }
    /* FAST_RANKED */
    uint32_t members = 1;
    for (uint32_t i = 0; r->slot && i < r->nwith; i++)
        members = i == 0 ? k->rq->r[r->with].count.min
                         : members + k->rq->r[r->with + i].count.min;
    uint32_t key = req_key (r);
    struct best_k best = {
        .s = g_new (int64_t, r->count.min),
        .k = r->count.min,
        .low = k->pol->root_order == FLURM_ORDER_LOW,
    };
    uint32_t visited = 0;
    for (uint32_t pos = match_units_next_rank (u, 0, need); pos != UINT32_MAX && !k->hard;
         pos = match_units_next_rank (u, pos + 1, need)) {
        flurm_vid c = u->by_rank[pos];
        if (best.n == best.k && better (&best, best.s[best.k - 1], unit_bound (k, c, r, members)))
            break;
        struct evals *e = evals_find (dfu, key);
        uint32_t old_tail = e ? e->tail : MATCH_NIL, old_n = e ? e->n : 0;
        bool cx = x_in;
        visited++;
        if (visit (k, c, next, pristine, &cx, dfu) != 0)
            continue;
        add_child (k, dfu, c, cx);
        e = evals_find (dfu, key);
        if (!e || e->n == old_n)
            continue;
        uint32_t id = old_n ? k->w->eg[old_tail].next : e->head;
        for (; id != MATCH_NIL; id = k->w->eg[id].next)
            if (k->w->eg[id].score > 0)
                best_add (&best, k->w->eg[id].score);
    }
    k->skipped = visited < u->n;
    k->tie = best.n == best.k && best.have_out && best.out == best.s[best.k - 1];
    g_free (best.s);
}

/* Which fast mode a request allows: the root must merely pass the request
 * down to its nodes (one top-level resource, not of the root's type, no
 * slot matching at the root), and the node-order search needs
 * multilevel node-centric scores, a fixed count and unit-size vertices. */
static enum fast_mode fast_mode_for (const struct flurm_matcher *m, const struct mrequest *rq)
{
    if (!m->units || (m->pol.flags & FLURM_POLICY_STOP_ON_1) || rq->ntop != 1)
        return FAST_NONE;
    const struct mreq *r = &rq->r[0];
    if (r->type == m->V[0].type)
        return FAST_NONE;
    for (uint32_t i = 0; r->slot && i < r->nwith; i++) {
        const struct mreq *w = &rq->r[r->with + i];
        if (w->slot || has_child_type (m, 0, w->type))
            return FAST_NONE;
    }
    bool cacheable = m->unit_sizes && !m->pol.prepare && (r->slot || r->type != FLURM_ATOM_NONE);
    if (!m->units->ranked || !m->unit_sizes || r->count.op != '+'
        || r->count.min != r->count.max || r->count.min > 4096)
        return cacheable ? FAST_CACHED : FAST_SKIP;
    for (uint32_t i = 0; r->slot && i < r->nwith; i++) {
        const struct flurm_count *c = &rq->r[r->with + i].count;
        if (c->op != '+' || c->min != c->max)
            return cacheable ? FAST_CACHED : FAST_SKIP;
    }
    return FAST_RANKED;
}


static struct match_work *work_get (struct flurm_matcher *m)
{
    if (!m->work)
        m->work = g_new0 (struct match_work, 1);
    struct match_work *w = m->work;
    w->neg = w->ned = w->nord = 0;
    w->nkids = w->nmarked = 0;
    w->depth = 0;
    return w;
}

uint32_t match_next_seq (struct flurm_matcher *m)
{
    if (++m->seq == 0) {
        memset (m->mark_seq, 0, m->nv * sizeof (*m->mark_seq));
        memset (m->reach_seq, 0, m->nv * sizeof (*m->reach_seq));
        memset (m->expand_seq, 0, m->nv * sizeof (*m->expand_seq));
        m->seq = 1;
    }
    return m->seq;
}

/* ---- the root's children from the unit caches ------------------------- */

static uint64_t request_signature (const struct mrequest *rq, bool sat)
{
    /* FNV-1a over the compiled request (its padding is zeroed) */
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p = (const unsigned char *)rq->r;
    for (size_t i = 0; i < rq->nr * sizeof (*rq->r); i++)
        h = (h ^ p[i]) * 1099511628211ull;
    h = (h ^ rq->ntop) * 1099511628211ull;
    return (h ^ (sat ? 1 : 2)) * 1099511628211ull;
}

/* A mark in a cache record: needs with the exclusive flag in the top bit. */
#define EXCL_BIT 0x80000000u

static void words_put (struct walk *k, size_t *n, uint32_t word)
{
    struct match_work *w = k->w;
    w->words = grow_sz (w->words, &w->cap_words, *n + 1, sizeof (*w->words));
    w->words[(*n)++] = word;
}

static bool inside (const struct flurm_vertex *V, flurm_vid v, flurm_vid top)
{
    for (; v != FLURM_VID_NONE; v = V[v].parent)
        if (v == top)
            return true;
    return false;
}

/* Walk node c as the root would and record, per candidate of type `key`
 * it hands up (in Fluxion's order): its score; its edges (the vertex, or
 * a slot's members) as (vertex, needs|excl); and the marks its own choices
 * made below it (vertex, needs|excl, owner), so that a winner is marked
 * later without walking the node again. */
static int compute_unit (struct walk *k, struct unit_cache *cache, uint32_t pos, flurm_vid c,
                         struct rlist top, bool x, uint32_t key)
{
    struct match_work *w = k->w;
    struct flurm_matcher *m = k->m;
    size_t first_mark = w->nmarked;
    struct scoring *s = frame_push (k);
    bool cx = x;
    if (visit (k, c, top, true, &cx, s) == 0 && !k->hard)
        add_child (k, s, c, cx);
    if (k->hard) {
        frame_pop (k);
        return -1;
    }
    struct evals *e = evals_find (s, key);
    uint32_t len = e ? e->n : 0;
    w->scores = grow_sz (w->scores, &w->cap_scores, len, sizeof (*w->scores));
    uint32_t i = 0;
    size_t nw = 0;
    for (uint32_t id = e ? e->head : MATCH_NIL; id != MATCH_NIL; id = w->eg[id].next) {
        const struct egroup *g = &w->eg[id];
        w->scores[i++] = g->score;
        words_put (k, &nw, g->nedges);
        for (uint32_t j = 0; j < g->nedges; j++) {
            const struct eedge *d = &w->ed[g->edge + j];
            words_put (k, &nw, d->child);
            words_put (k, &nw, d->needs | (d->excl ? EXCL_BIT : 0));
        }
        size_t count_at = nw;
        words_put (k, &nw, 0);
        if (key == SLOT_KEY || g->nedges != 1)
            continue; /* a slot chooses nothing itself */
        flurm_vid v = w->ed[g->edge].child;
        for (size_t j = first_mark; j < w->nmarked; j++) {
            flurm_vid mv = w->marked[j];
            if (mv == v || !inside (k->V, mv, v))
                continue;
            words_put (k, &nw, mv);
            words_put (k, &nw, m->mark_needs[mv] | (m->mark_excl[mv] ? EXCL_BIT : 0));
            words_put (k, &nw, m->mark_owner[mv]);
            w->words[count_at]++;
        }
    }
    match_units_cache_put (cache, m->units, pos, w->scores, len, w->words, (uint32_t)nw);
    frame_pop (k);
    /* the lists are not needed any more; the marks stay (unreachable
     * unless the node wins) */
    w->neg = w->ned = w->nord = 0;
    return 0;
}

/* Mark a chosen top-level vertex as the root's enforce does: the vertex,
 * and every level between it and the root whose type was not chosen. */
static void mark_chosen (struct walk *k, flurm_vid v, uint32_t word, uint32_t key)
{
    const struct flurm_vertex *V = k->V;
    mark (k, v, word & ~EXCL_BIT, (word & EXCL_BIT) != 0, 0);
    for (flurm_vid p = V[v].parent; p != 0; p = V[p].parent) {
        if (k->m->mark_seq[p] == k->seq)
            break;
        if (V[p].type != key)
            mark (k, p, (uint32_t)V[p].size, false, 0);
    }
}

/* Replay one cached candidate record; returns the words it used. */
static uint32_t replay_record (struct walk *k, const uint32_t *rec, uint32_t key, bool winner)
{
    uint32_t at = 0;
    uint32_t nedges = rec[at++];
    for (uint32_t j = 0; j < nedges; j++, at += 2)
        if (winner)
            mark_chosen (k, rec[at], rec[at + 1], key);
    uint32_t nmarks = rec[at++];
    for (uint32_t j = 0; j < nmarks; j++, at += 3)
        if (winner)
            mark (k, rec[at], rec[at + 1] & ~EXCL_BIT, (rec[at + 1] & EXCL_BIT) != 0, rec[at + 2]);
    return at;
}

static int cmp_items_unit (const void *a, const void *b)
{
    const struct flurm_sort_item *x = a, *y = b;
    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->aux < y->aux ? -1 : x->aux > y->aux;
}

/* The selection of select_once for one top-level resource handed up by
 * the root's nodes, each node's candidates taken from the cache unless
 * the node changed.  The candidate list is Fluxion's, in its order, so
 * the choice (ties included) is the same. */
static int select_cached (struct flurm_matcher *m, const struct mrequest *rq, bool sat,
                          struct match_selection *out)
{
    struct match_units *u = m->units;
    /* node-level constraints are checked here, so cached entries must not
     * depend on them */
    struct mrequest plain = *rq;
    plain.constraint = NULL;
    struct walk k = {
        .m = m,
        .V = m->V,
        .rq = &plain,
        .w = work_get (m),
        .pol = &m->pol,
        .sat = sat,
        .err = &out->error,
        .seq = match_next_seq (m),
        .fast = FAST_CACHED,
    };
    memset (out, 0, sizeof (*out));
    out->partial = true;
    m->stats.traversals++;
    struct rlist top = {0, rq->ntop};
    const struct mreq *r = &rq->r[0];
    uint32_t key = req_key (r);
    flurm_vid root = 0;
    bool x = requested_exclusive (&k, top, root);
    int rc = prune (&k, root, x, top);
    struct unit_cache *cache = match_units_cache (u, request_signature (rq, sat));
    uint32_t need = 0;
    if (!sat && m->prune_tracked[PRUNE_CORE] >= 0)
        need = r->ud[PRUNE_CORE];
    struct match_work *w = k.w;
    size_t n = 0;
    k.above = m->pol.factor ? m->pol.factor (&m->pol, m->g, root) : 0;
    for (uint32_t pos = match_units_next_graph (u, 0, need); rc == 0 && pos != UINT32_MAX;
         pos = match_units_next_graph (u, pos + 1, need)) {
        flurm_vid c = u->first + pos;
        if (rq->constraint && !flurm_constraint_match (rq->constraint, m->g, c))
            continue;
        if (cache->version[pos] != u->version[pos]
            && compute_unit (&k, cache, pos, c, top, x, key) < 0) {
            rc = -2;
            break;
        }
        const int64_t *sc = &cache->pool[cache->off[pos]];
        w->cands = grow_sz (w->cands, &w->cap_cands, n + cache->len[pos], sizeof (*w->cands));
        for (uint32_t i = 0; i < cache->len[pos]; i++)
            w->cands[n++] = (struct flurm_sort_item){sc[i], pos, i};
    }
    uint32_t count = rc == 0 ? match_calc_count (&r->count, (uint32_t)MIN (n, UINT32_MAX)) : 0;
    if (count == 0) {
        out->hard_error = rc == -2;
        m->stats.visits += k.visits;
        return -1;
    }
    if (m->pol.root_order == FLURM_ORDER_HIGH_RUN)
        run_keys (w->cands, n);
    flurm_stdsort_prefix (w->cands, n, count, m->pol.root_order != FLURM_ORDER_LOW);
    /* mark the winners from their records, node by node */
    qsort (w->cands, count, sizeof (*w->cands), cmp_items_unit);
    for (uint32_t i = 0; i < count;) {
        uint32_t pos = w->cands[i].idx;
        const uint32_t *rec = &cache->epool[cache->eoff[pos]];
        for (uint32_t cand = 0; i < count && w->cands[i].idx == pos; cand++) {
            bool winner = w->cands[i].aux == cand;
            rec += replay_record (&k, rec, key, winner);
            if (winner)
                i++;
        }
    }
    m->stats.visits += k.visits;
    out->ok = true;
    out->root_needs = 1;
    out->root_excl = x;
    return 0;
}

static int select_once (struct flurm_matcher *m, const struct mrequest *rq, bool sat,
                        enum fast_mode fast, bool exhaustive, struct match_selection *out,
                        bool *tie)
{
    struct walk k = {
        .m = m,
        .V = m->V,
        .rq = rq,
        .w = work_get (m),
        .pol = &m->pol,
        .sat = sat,
        .dynamic = (m->pol.flags & FLURM_POLICY_STOP_ON_1) != 0,
        .err = &out->error,
        .seq = match_next_seq (m),
        .fast = fast,
        .exhaustive = exhaustive,
    };
    memset (out, 0, sizeof (*out));
    struct rlist top = {0, rq->ntop};
    flurm_vid root = 0;
    bool x = requested_exclusive (&k, top, root);
    bool x_root = x;
    struct scoring *dfu = frame_push (&k);
    m->stats.traversals++;

    int rc = visit (&k, root, top, true, &x_root, dfu);
    if (rc == 0 && k.tie)
        rc = -1;
    if (rc == 0) {
        struct evals *re = evals_get (&k, dfu, m->V[root].type);
        if (re) {
            uint32_t gid = new_egroup (&k, dfu->overall, dfu->avail, x, true);
            add_edge (&k, gid, root, dfu->avail, dfu->avail, x);
            evals_append (&k, re, gid);
        }
        /* dom_finish_graph, has_root, has_remaining */
        uint32_t needs = 1;
        for (uint32_t i = 0; rc == 0 && i < rq->ntop; i++) {
            const struct mreq *r = &rq->r[i];
            uint32_t count = match_calc_count (&r->count, qualified (dfu, req_key (r)));
            if (count == 0)
                rc = -1;
            else
                choose (&k, dfu, evals_find (dfu, req_key (r)), count, m->pol.root_order,
                        false);
            if (rc == 0 && !r->slot && r->type == m->V[root].type) {
                needs = match_calc_count (&r->count, dfu->avail);
                if (needs == 0)
                    rc = -1;
            }
        }
        for (uint32_t t = 0; rc == 0 && t < dfu->nev; t++)
            if (dfu->ev[t].qual == 0)
                rc = -1;
        if (rc == 0 && !k.hard) {
            enforce (&k, root, dfu, true);
            out->root_needs = needs;
            out->root_excl = x_root;
        }
    }
    frame_pop (&k);
    m->stats.visits += k.visits;
    *tie = k.tie;
    out->ok = rc == 0 && !k.hard;
    out->busy_seen = k.busy;
    out->hard_error = k.hard;
    out->partial = k.skipped;
    return out->ok ? 0 : -1;
}

int match_select (struct flurm_matcher *m, const struct mrequest *rq, bool sat,
                  bool exhaustive, struct match_selection *out)
{
    enum fast_mode fast = exhaustive ? FAST_NONE : fast_mode_for (m, rq);
    bool tie = false;
    if (fast == FAST_CACHED)
        return select_cached (m, rq, sat, out);
    int rc = select_once (m, rq, sat, fast, exhaustive, out, &tie);
    if (fast == FAST_RANKED && !tie && rc == 0)
        m->stats.fast_selections++;
    if (tie) {
        /* a tie at the cut: only Fluxion's whole list in its order decides */
        m->stats.exact_fallbacks++;
        if (!m->pol.prepare)
            return select_cached (m, rq, sat, out);
        rc = select_once (m, rq, sat, FAST_SKIP, false, out, &tie);
    }
    return rc;
}

/* ---- materialization --------------------------------------------------- */

static void held_add (struct match_held *h, flurm_vid v)
{
    h->v = grow_sz (h->v, &h->cap, h->n + 1, sizeof (*h->v));
    h->v[h->n++] = v;
}

static bool type_exclusive (const struct flurm_matcher *m, const struct mrequest *rq,
                            flurm_vid v)
{
    if ((m->pol.flags & FLURM_POLICY_NODE_EXCLUSIVE) && m->V[v].type == m->node_type)
        return true;
    return (rq->xtypes >> m->tix[v]) & 1;
}

/* v and its whole subtree are held (an exclusive type, as Fluxion's update
 * walks it: every descendant, needs = size). */
static void expand (struct flurm_matcher *m, flurm_vid v, struct match_held *held)
{
    struct match_work *w = m->work;
    size_t base = w->nkids;
    w->kids = grow_sz (w->kids, &w->cap_kids, base + 1, sizeof (*w->kids));
    w->kids[w->nkids++] = v;
    while (w->nkids > base) {
        flurm_vid u = w->kids[--w->nkids];
        m->expand_seq[u] = m->seq;
        m->reach_seq[u] = m->seq;
        held_add (held, u);
        const struct flurm_vertex *x = &m->V[u];
        w->kids = grow_sz (w->kids, &w->cap_kids, w->nkids + x->nchildren, sizeof (*w->kids));
        for (uint32_t c = 0; c < x->nchildren; c++)
            w->kids[w->nkids++] = x->first_child + c;
    }
}

/* A vertex Fluxion's update walk reaches: the root, or a marked vertex
 * whose parent it reaches (bit 2 of mark_excl caches the answer). */
static bool strictly_reached (const struct flurm_matcher *m, flurm_vid v)
{
    return v == 0 || (m->mark_seq[v] == m->seq && (m->mark_excl[v] & 2));
}

int match_materialize (struct flurm_matcher *m, const struct mrequest *rq,
                       const struct match_selection *sel, struct match_held *held)
{
    struct match_work *w = m->work;
    uint32_t seq = m->seq;
    flurm_vid root = 0;
    held->n = 0;
    held->skipped_level = false;
    flurm_sort_u32 (w->marked, w->nmarked);
    m->reach_seq[root] = seq;
    if (type_exclusive (m, rq, root))
        expand (m, root, held);
    else if (sel->root_excl)
        held_add (held, root);
    for (size_t i = 0; i < w->nmarked; i++) {
        flurm_vid v = w->marked[i];
        if (v == root || m->expand_seq[v] == seq)
            continue;
        bool strict_ok = strictly_reached (m, m->V[v].parent);
        if (strict_ok)
            m->mark_excl[v] |= 2;
        flurm_vid base = m->strict ? m->V[v].parent : m->mark_owner[v];
        if (m->reach_seq[base] != seq)
            continue;
        m->reach_seq[v] = seq;
        bool takes = type_exclusive (m, rq, v) || (m->mark_excl[v] & 1);
        if (takes && !strict_ok)
            held->skipped_level = true;
        if (type_exclusive (m, rq, v))
            expand (m, v, held);
        else if (m->mark_excl[v] & 1)
            held_add (held, v);
    }
    flurm_sort_u32 (held->v, held->n);
    return 0;
}
