/* sim/match.c — the matcher's lifecycle, requests and job records (see
 * match.h; the traversal itself is match_dfu.c).
 *
 * State and its invariants:
 *  - the graph's taken bits and free counts hold exactly the vertices of
 *    the applied jobs: every held vertex of every applied job is taken
 *    once, nothing else is taken;
 *  - held_below[v] is the number of taken vertices in v's subtree, v
 *    included; v is "in use" (Fluxion: it carries a job's span) iff
 *    held_below[v] > 0;
 *  - weight[v] is Fluxion's out-edge weight of the edge into v, used by
 *    stop_on_1_matches policies (match_order.c); allocations set it,
 *    nothing else changes it;
 *  - jobs maps each live job id to its struct flurm_alloc (applied or
 *    not).
 * A request is compiled from the jobspec for each call (types resolved to
 * graph atoms, Fluxion's per-resource pruning counts computed); nothing of
 * it is kept.
 */
#include "sim/match_internal.h"

#include <inttypes.h>
#include <string.h>

#include "sim/idset.h"

const char *flurm_match_result_str (enum flurm_match_result r)
{
    switch (r) {
    case FLURM_MATCH_ALLOCATED:
        return "allocated";
    case FLURM_MATCH_BUSY:
        return "busy";
    case FLURM_MATCH_UNSATISFIABLE:
        return "unsatisfiable";
    case FLURM_MATCH_ERROR:
        break;
    }
    return "error";
}

/* Fluxion's calc_count: the largest legal count of `c` that qc candidates
 * allow, 0 when even the minimum does not fit. */
uint32_t match_calc_count (const struct flurm_count *c, uint32_t qc)
{
    if (c->min > c->max || c->min > qc)
        return 0;
    uint64_t cur = c->min, count = 0;
    switch (c->op) {
    case '+': {
        count = qc < c->max ? qc : c->max;
        uint64_t range = count - c->min;
        count -= range % (c->operand ? c->operand : 1);
        break;
    }
    case '*':
        if (c->operand <= 1)
            return c->min;
        while (cur <= qc && cur <= c->max) {
            count = cur;
            cur *= c->operand;
        }
        break;
    case '^':
        if (c->operand < 2 || cur == 1)
            return c->min;
        while (cur <= qc && cur <= c->max) {
            uint64_t base = cur;
            count = cur;
            for (uint32_t i = 1; i < c->operand && cur <= UINT32_MAX; i++)
                cur *= base;
        }
        break;
    default:
        break;
    }
    return (uint32_t)count;
}

/* ---- creation ---------------------------------------------------------- */

static int type_index (struct flurm_matcher *m, flurm_atom type)
{
    for (size_t t = 0; t < m->ntypes; t++)
        if (m->types[t] == type)
            return (int)t;
    return -1;
}

static int setup_types (struct flurm_matcher *m, flurm_error_t *err)
{
    const struct flurm_vertex *V = m->V;
    m->tix = g_new (uint8_t, m->nv);
    m->child_types = g_new0 (uint64_t, m->nv);
    for (flurm_vid v = 0; v < m->nv; v++) {
        int t = type_index (m, V[v].type);
        if (t < 0) {
            if (m->ntypes == MATCH_MAX_TYPES)
                return flurm_error_set (err, "the graph has more than %d vertex types",
                                        MATCH_MAX_TYPES);
            t = (int)m->ntypes;
            m->types[m->ntypes++] = V[v].type;
        }
        m->tix[v] = (uint8_t)t;
        if (V[v].parent != FLURM_VID_NONE)
            m->child_types[V[v].parent] |= 1ull << t;
    }
    m->node_type = flurm_graph_atom (m->g, "node");
    m->core_type = flurm_graph_atom (m->g, "core");
    m->gpu_type = flurm_graph_atom (m->g, "gpu");
    m->cluster_type = flurm_graph_atom (m->g, "cluster");
    m->node_tix = m->node_type == FLURM_ATOM_NONE ? -1 : type_index (m, m->node_type);

    /* Fluxion's pruning types: core and node everywhere, and each other
     * leaf type at the cluster (its reader adds them when priming). */
    m->prune_type[PRUNE_CORE] = m->core_type;
    m->prune_type[PRUNE_NODE] = m->node_type;
    m->nprune = 2;
    uint64_t leaf_types = 0;
    for (flurm_vid v = 0; v < m->nv; v++)
        if (V[v].nchildren == 0)
            leaf_types |= 1ull << m->tix[v];
    for (size_t t = 0; t < m->ntypes; t++) {
        flurm_atom a = m->types[t];
        if (!((leaf_types >> t) & 1) || a == m->core_type || a == m->node_type)
            continue;
        if (m->nprune < MATCH_MAX_PRUNE)
            m->prune_type[m->nprune++] = a;
    }
    for (int p = 0; p < m->nprune; p++)
        m->prune_tracked[p] = flurm_graph_tracked_index (m->g, m->prune_type[p]);
    for (size_t i = 0; i < flurm_graph_nnodes (m->g); i++)
        m->nodes_up += V[flurm_graph_node_at (m->g, i)].status == FLURM_STATUS_UP ? 1 : -1;
    m->unit_sizes = true;
    for (flurm_vid v = 0; v < m->nv; v++) {
        if (V[v].id > m->max_id)
            m->max_id = V[v].id;
        if (V[v].size != 1)
            m->unit_sizes = false;
    }
    return 0;
}

struct flurm_matcher *flurm_matcher_create (struct flurm_graph *g, const char *policy,
                                            const struct flurm_match_options *opts,
                                            flurm_error_t *err)
{
    if (!g || flurm_graph_size (g) == 0) {
        flurm_error_set (err, "matcher: no graph");
        return NULL;
    }
    struct flurm_matcher *m = g_new0 (struct flurm_matcher, 1);
    m->g = g;
    m->V = flurm_graph_vertex (g, 0);
    m->nv = flurm_graph_size (g);
    m->strict = opts && opts->fluxion_strict;
    m->exhaustive = opts && opts->exhaustive;
    if (!policy)
        policy = "first";
    m->policy_spec = g_strdup (policy);
    m->jobs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                     (GDestroyNotify)flurm_alloc_destroy);
    for (flurm_vid v = 0; v < m->nv; v++) {
        if (flurm_graph_is_taken (g, v)) {
            flurm_error_set (err, "matcher: the graph already has allocated vertices");
            goto fail;
        }
    }
    if (flurm_match_policy_init (&m->pol, policy, g, err) < 0)
        goto fail;
    if (setup_types (m, err) < 0)
        goto fail;
    m->held_below = g_new0 (uint32_t, m->nv);
    m->weight = g_new (uint32_t, m->nv);
    for (flurm_vid v = 0; v < m->nv; v++)
        m->weight[v] = UINT32_MAX;
    m->mark_seq = g_new0 (uint32_t, m->nv);
    m->mark_needs = g_new0 (uint32_t, m->nv);
    m->mark_owner = g_new0 (uint32_t, m->nv);
    m->mark_excl = g_new0 (uint8_t, m->nv);
    m->reach_seq = g_new0 (uint32_t, m->nv);
    m->expand_seq = g_new0 (uint32_t, m->nv);
    m->order = match_order_create (m);
    m->units = match_units_create (m);
    return m;
fail:
    flurm_matcher_destroy (m);
    return NULL;
}

static void set_applied (struct flurm_matcher *m, struct flurm_alloc *a, bool apply);

void flurm_matcher_destroy (struct flurm_matcher *m)
{
    if (!m)
        return;
    if (m->jobs) {
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init (&it, m->jobs);
        while (g_hash_table_iter_next (&it, &key, &value)) {
            struct flurm_alloc *a = value;
            if (a->applied)
                set_applied (m, a, false);
        }
        g_hash_table_destroy (m->jobs);
    }
    flurm_match_policy_fini (&m->pol);
    match_order_destroy (m->order);
    match_units_destroy (m->units);
    match_work_destroy (m->work);
    g_free (m->policy_spec);
    g_free (m->tix);
    g_free (m->child_types);
    g_free (m->held_below);
    g_free (m->weight);
    g_free (m->mark_seq);
    g_free (m->mark_needs);
    g_free (m->mark_owner);
    g_free (m->mark_excl);
    g_free (m->reach_seq);
    g_free (m->expand_seq);
    g_free (m);
}

struct flurm_graph *flurm_matcher_graph (const struct flurm_matcher *m)
{
    return m->g;
}

const char *flurm_matcher_policy (const struct flurm_matcher *m)
{
    return m->policy_spec;
}

/* ---- requests ---------------------------------------------------------- */

static int prune_slot (const struct flurm_matcher *m, flurm_atom type)
{
    if (type == FLURM_ATOM_NONE)
        return -1;
    for (int p = 0; p < m->nprune; p++)
        if (m->prune_type[p] == type)
            return p;
    return -1;
}

/* Copy one `with` list (breadth first, so every list is contiguous) and
 * return the index of its first element. */
static int compile_list (const struct flurm_matcher *m, struct mrequest *rq,
                         const struct flurm_jobspec_resource *res, size_t n,
                         uint32_t at, flurm_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct flurm_jobspec_resource *a = &res[i];
        struct mreq *r = &rq->r[at + i];
        memset (r, 0, sizeof (*r));
        r->slot = !strcmp (a->type, "slot");
        r->type = r->slot ? FLURM_ATOM_NONE : flurm_graph_atom (m->g, a->type);
        r->count = a->count;
        r->excl = a->exclusive_given ? (a->exclusive ? 1 : 0) : -1;
        r->eff_max = match_calc_count (&r->count, UINT32_MAX);
        for (size_t j = 0; j < i; j++) {
            if (!strcmp (res[j].type, a->type))
                return flurm_error_set (err, "two %s resources side by side at one level "
                                        "(Fluxion cannot match that)", a->type);
        }
    }
    return 0;
}

/* Fluxion's prime_jobspec: the pruning counts each resource needs below
 * itself, from the minimum counts. */
static void prime (const struct flurm_matcher *m, struct mrequest *rq, uint32_t first, uint32_t n,
                   uint32_t *to_parent)
{
    for (uint32_t i = 0; i < n; i++) {
        struct mreq *r = &rq->r[first + i];
        int p = prune_slot (m, r->type);
        if (p >= 0 && !r->slot)
            to_parent[p] = (uint32_t)MIN ((uint64_t)to_parent[p] + r->count.min, UINT32_MAX);
        prime (m, rq, r->with, r->nwith, r->ud);
        for (int q = 0; q < m->nprune; q++) {
            if (r->ud[q]) {
                r->has_ud = true;
                uint64_t add = (uint64_t)r->count.min * r->ud[q];
                to_parent[q] = (uint32_t)MIN ((uint64_t)to_parent[q] + add, UINT32_MAX);
            }
        }
    }
}

static uint64_t cores_in (const struct flurm_jobspec_resource *r)
{
    uint64_t n = !strcmp (r->type, "core") ? 1 : 0;
    uint64_t below = 0;
    for (size_t i = 0; i < r->nwith; i++)
        below += r->with[i].count.min * cores_in (&r->with[i]);
    return n ? 1 : below;
}

static const struct flurm_jobspec_resource *find_slot (const struct flurm_jobspec_resource *r,
                                                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp (r[i].type, "slot"))
            return &r[i];
        const struct flurm_jobspec_resource *s = find_slot (r[i].with, r[i].nwith);
        if (s)
            return s;
    }
    return NULL;
}

static size_t count_resources (const struct flurm_jobspec_resource *r, size_t n)
{
    size_t total = n;
    for (size_t i = 0; i < n; i++)
        total += count_resources (r[i].with, r[i].nwith);
    return total;
}

static int compile (const struct flurm_matcher *m, const struct flurm_jobspec *js,
                    struct mrequest *rq, flurm_error_t *err)
{
    memset (rq, 0, sizeof (*rq));
    if (!js || js->nresources == 0)
        return flurm_error_set (err, "the jobspec requests no resources");
    size_t total = count_resources (js->resources, js->nresources);
    rq->r = g_new0 (struct mreq, total);
    rq->ntop = (uint32_t)js->nresources;
    /* breadth-first copy: a queue of (jobspec list, index of its copy) */
    const struct flurm_jobspec_resource **src = g_new (const struct flurm_jobspec_resource *,
                                                        total);
    if (compile_list (m, rq, js->resources, js->nresources, 0, err) < 0)
        goto fail;
    for (size_t i = 0; i < js->nresources; i++)
        src[i] = &js->resources[i];
    uint32_t filled = (uint32_t)js->nresources;
    for (uint32_t i = 0; i < filled; i++) {
        const struct flurm_jobspec_resource *a = src[i];
        rq->r[i].with = filled;
        rq->r[i].nwith = (uint32_t)a->nwith;
        if (compile_list (m, rq, a->with, a->nwith, filled, err) < 0)
            goto fail;
        for (size_t j = 0; j < a->nwith; j++)
            src[filled + j] = &a->with[j];
        filled += (uint32_t)a->nwith;
    }
    rq->nr = filled;
    for (uint32_t i = 0; i < rq->nr; i++) {
        if (src[i]->exclusive_given && src[i]->exclusive && !rq->r[i].slot
            && rq->r[i].type != FLURM_ATOM_NONE) {
            for (size_t t = 0; t < m->ntypes; t++)
                if (m->types[t] == rq->r[i].type)
                    rq->xtypes |= 1ull << t;
        }
    }
    prime (m, rq, 0, rq->ntop, rq->dfv);
    rq->constraint = js->constraints;
    const struct flurm_jobspec_resource *slot = find_slot (js->resources, js->nresources);
    rq->want.nnodes = rq->dfv[PRUNE_NODE];
    rq->want.nslots = flurm_jobspec_nslots (js);
    rq->want.cores_per_slot = slot ? cores_in (slot) : 0;
    g_free (src);
    return 0;
fail:
    g_free (src);
    g_free (rq->r);
    rq->r = NULL;
    return -1;
}

static void request_free (struct mrequest *rq)
{
    g_free (rq->r);
    rq->r = NULL;
}

/* Fluxion's request_feasible: a request for more nodes than there are
 * (matching the constraint) can never fit.  Fluxion counts down nodes
 * negatively (its nodes_up is up minus down), so with down nodes it
 * refuses requests that would fit; strict mode reproduces that, Flurm
 * otherwise counts every node, up or down. */
static bool enough_nodes (const struct flurm_matcher *m, const struct mrequest *rq)
{
    uint32_t want = rq->dfv[PRUNE_NODE];
    int64_t nodes = m->strict ? m->nodes_up : (int64_t)flurm_graph_nnodes (m->g);
    if (!rq->constraint && want <= nodes)
        return true;
    if (want > nodes)
        return false;
    uint32_t ok = 0;
    for (size_t i = 0; i < flurm_graph_nnodes (m->g) && ok < want; i++)
        if (flurm_constraint_match (rq->constraint, m->g, flurm_graph_node_at (m->g, i)))
            ok++;
    return ok >= want;
}

/* ---- allocations ------------------------------------------------------- */

void flurm_alloc_destroy (struct flurm_alloc *a)
{
    if (!a)
        return;
    g_free (a->held);
    g_free (a->nodes);
    g_free (a);
}

static flurm_vid node_of (const struct flurm_matcher *m, flurm_vid v)
{
    for (flurm_vid u = v; u != FLURM_VID_NONE; u = m->V[u].parent)
        if (m->V[u].type == m->node_type)
            return u;
    return FLURM_VID_NONE;
}

static struct flurm_alloc *alloc_new (const struct flurm_matcher *m, uint64_t jobid,
                                      const flurm_vid *held, size_t n)
{
    struct flurm_alloc *a = g_new0 (struct flurm_alloc, 1);
    a->jobid = jobid;
    a->held = g_new (flurm_vid, n ? n : 1);
    memcpy (a->held, held, n * sizeof (*held));
    a->nheld = n;
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = a->held[i - 1] < a->held[i];
    if (!sorted)
        flurm_sort_u32 (a->held, n);
    a->nodes = g_new (flurm_vid, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        flurm_atom t = m->V[a->held[i]].type;
        if (t == m->core_type)
            a->ncores++;
        else if (t == m->gpu_type)
            a->ngpus++;
        flurm_vid node = node_of (m, a->held[i]);
        if (node != FLURM_VID_NONE)
            a->nodes[a->nnodes++] = node;
    }
    flurm_sort_u32 (a->nodes, a->nnodes);
    size_t k = 0;
    for (size_t i = 0; i < a->nnodes; i++)
        if (k == 0 || a->nodes[k - 1] != a->nodes[i])
            a->nodes[k++] = a->nodes[i];
    a->nnodes = k;
    return a;
}

/* Take or release every held vertex, keeping held_below in step. */
static void set_applied (struct flurm_matcher *m, struct flurm_alloc *a, bool apply)
{
    for (size_t i = 0; i < a->nheld; i++) {
        flurm_vid v = a->held[i];
        if (apply)
            flurm_graph_take (m->g, v);
        else
            flurm_graph_release (m->g, v);
        for (flurm_vid u = v; u != FLURM_VID_NONE; u = m->V[u].parent) {
            if (apply)
                m->held_below[u]++;
            else
                m->held_below[u]--;
        }
    }
    /* the visiting orders index free cores: each changed vertex once */
    uint32_t stamp = match_next_seq (m);
    for (size_t i = 0; i < a->nheld; i++) {
        for (flurm_vid u = a->held[i]; u != FLURM_VID_NONE; u = m->V[u].parent) {
            if (m->reach_seq[u] == stamp)
                break;
            m->reach_seq[u] = stamp;
            match_order_update (m->order, m, u);
        }
    }
    for (size_t i = 0; i < a->nnodes; i++)
        match_units_update (m, a->nodes[i]);
    a->applied = apply;
}

/* After an allocation, Fluxion re-weights every edge its update walked
 * into a non-leaf vertex: the free count of that vertex's last pruning
 * type (cores for a node, nodes for anything else). */
static void update_weights (struct flurm_matcher *m, const struct flurm_alloc *a)
{
    if (!(m->pol.flags & FLURM_POLICY_STOP_ON_1))
        return;
    uint32_t stamp = match_next_seq (m);
    for (size_t i = 0; i < a->nheld; i++) {
        for (flurm_vid u = a->held[i]; m->V[u].parent != FLURM_VID_NONE; u = m->V[u].parent) {
            if (m->reach_seq[u] == stamp)
                break; /* the rest of this chain is done */
            m->reach_seq[u] = stamp;
            if (m->V[u].nchildren == 0)
                continue;
            int t = m->prune_tracked[m->V[u].type == m->node_type ? PRUNE_CORE : PRUNE_NODE];
            uint32_t w = t >= 0 ? flurm_graph_free (m->g, u, t) : 0;
            match_order_set_weight (m->order, m, u, w);
        }
    }
}

static bool job_live (const struct flurm_matcher *m, uint64_t jobid)
{
    return g_hash_table_contains (m->jobs, &jobid);
}

static void job_insert (struct flurm_matcher *m, struct flurm_alloc *a)
{
    g_hash_table_insert (m->jobs, &a->jobid, a);
}

/* allocate and find: with `dry` the placement is handed back in *dry_out
 * instead of being taken. */
static enum flurm_match_result place (struct flurm_matcher *m, const struct flurm_jobspec *js,
                                      uint64_t jobid, unsigned flags, bool dry,
                                      const struct flurm_alloc **out,
                                      struct flurm_alloc **dry_out, flurm_error_t *err)
{
    struct mrequest rq;
    struct match_selection sel;
    enum flurm_match_result res;

    if (out)
        *out = NULL;
    if (dry_out)
        *dry_out = NULL;
    m->stats.allocate_calls++;
    if (!dry && job_live (m, jobid)) {
        flurm_error_set (err, "job %" PRIu64 " already holds resources", jobid);
        m->stats.errors++;
        return FLURM_MATCH_ERROR;
    }
    if (compile (m, js, &rq, err) < 0) {
        m->stats.errors++;
        return FLURM_MATCH_ERROR;
    }
    if (m->pol.prepare && m->pol.prepare (&m->pol, m->g, &rq.want, err) < 0) {
        res = FLURM_MATCH_ERROR;
        goto done;
    }
    if (!enough_nodes (m, &rq)) {
        res = (flags & FLURM_MATCH_CHECK_SATISFIABLE) ? FLURM_MATCH_UNSATISFIABLE
                                                      : FLURM_MATCH_BUSY;
        goto done;
    }
    if (match_select (m, &rq, false, m->exhaustive, &sel) == 0) {
        struct match_held held = {0};
        match_materialize (m, &rq, &sel, &held);
        if (held.n == 0) {
            /* Fluxion's update walked no marked edge down to the chosen
             * vertices (issue 498): resource-query reports the errno
             * left over, EBUSY if the walk refused anything, else an
             * unrelated error; a walk that skipped vertices is redone in
             * full to know */
            g_free (held.v);
            if (sel.partial)
                match_select (m, &rq, false, true, &sel);
            if (sel.busy_seen) {
                res = FLURM_MATCH_BUSY;
                goto done;
            }
            flurm_error_set (err, "Fluxion cannot match this request on this graph: "
                             "it would skip a graph level below a matched resource "
                             "(flux-sched issue 498)");
            res = FLURM_MATCH_ERROR;
            goto done;
        }
        struct flurm_alloc *a = alloc_new (m, jobid, held.v, held.n);
        a->skipped_level = held.skipped_level;
        g_free (held.v);
        if (dry) {
            if (dry_out)
                *dry_out = a;
            else
                flurm_alloc_destroy (a);
        }
        else {
            set_applied (m, a, true);
            update_weights (m, a);
            job_insert (m, a);
            if (out)
                *out = a;
        }
        res = FLURM_MATCH_ALLOCATED;
        goto done;
    }
    if (sel.hard_error) {
        if (err)
            *err = sel.error;
        res = FLURM_MATCH_ERROR;
        goto done;
    }
    res = FLURM_MATCH_BUSY;
    if (flags & FLURM_MATCH_CHECK_SATISFIABLE) {
        struct match_selection sat;
        if (match_select (m, &rq, true, m->exhaustive, &sat) < 0)
            res = sat.hard_error ? FLURM_MATCH_ERROR : FLURM_MATCH_UNSATISFIABLE;
        if (sat.hard_error && err)
            *err = sat.error;
    }
done:
    request_free (&rq);
    switch (res) {
    case FLURM_MATCH_ALLOCATED:
        m->stats.allocated++;
        break;
    case FLURM_MATCH_BUSY:
        m->stats.busy++;
        break;
    case FLURM_MATCH_UNSATISFIABLE:
        m->stats.unsatisfiable++;
        break;
    case FLURM_MATCH_ERROR:
        m->stats.errors++;
        break;
    }
    return res;
}

enum flurm_match_result flurm_matcher_allocate (struct flurm_matcher *m,
                                                const struct flurm_jobspec *js,
                                                uint64_t jobid, unsigned flags,
                                                const struct flurm_alloc **out,
                                                flurm_error_t *err)
{
    if (flags & FLURM_MATCH_DRY_RUN) {
        struct flurm_alloc *found = NULL;
        enum flurm_match_result r = place (m, js, jobid, flags, true, NULL, &found, err);
        if (out)
            *out = found;
        else
            flurm_alloc_destroy (found);
        return r;
    }
    return place (m, js, jobid, flags, false, out, NULL, err);
}

enum flurm_match_result flurm_matcher_find (struct flurm_matcher *m,
                                            const struct flurm_jobspec *js, unsigned flags,
                                            struct flurm_alloc **out, flurm_error_t *err)
{
    return place (m, js, 0, flags, true, NULL, out, err);
}

int flurm_matcher_satisfiable (struct flurm_matcher *m, const struct flurm_jobspec *js,
                               flurm_error_t *err)
{
    struct mrequest rq;
    struct match_selection sel;
    m->stats.satisfiable_calls++;
    if (compile (m, js, &rq, err) < 0)
        return -1;
    int rc = 0;
    if (m->pol.prepare && m->pol.prepare (&m->pol, m->g, &rq.want, err) < 0)
        rc = -1;
    else if (match_select (m, &rq, true, m->exhaustive, &sel) == 0)
        rc = 1;
    else if (sel.hard_error) {
        if (err)
            *err = sel.error;
        rc = -1;
    }
    request_free (&rq);
    return rc;
}

static struct flurm_alloc *job_get (const struct flurm_matcher *m, uint64_t jobid,
                                    flurm_error_t *err)
{
    struct flurm_alloc *a = g_hash_table_lookup (m->jobs, &jobid);
    if (!a)
        flurm_error_set (err, "no job %" PRIu64 " holds resources", jobid);
    return a;
}

int flurm_matcher_free (struct flurm_matcher *m, uint64_t jobid, flurm_error_t *err)
{
    struct flurm_alloc *a = job_get (m, jobid, err);
    if (!a)
        return -1;
    if (a->applied)
        set_applied (m, a, false);
    g_hash_table_remove (m->jobs, &jobid);
    m->stats.freed++;
    return 0;
}

const struct flurm_alloc *flurm_matcher_lookup (const struct flurm_matcher *m, uint64_t jobid)
{
    return g_hash_table_lookup (m->jobs, &jobid);
}

size_t flurm_matcher_njobs (const struct flurm_matcher *m)
{
    return g_hash_table_size (m->jobs);
}

int flurm_matcher_unapply (struct flurm_matcher *m, uint64_t jobid, flurm_error_t *err)
{
    struct flurm_alloc *a = job_get (m, jobid, err);
    if (!a)
        return -1;
    if (!a->applied)
        return flurm_error_set (err, "job %" PRIu64 " is already unapplied", jobid);
    set_applied (m, a, false);
    return 0;
}

static int check_free (const struct flurm_matcher *m, const flurm_vid *v, size_t n,
                       flurm_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] >= m->nv)
            return flurm_error_set (err, "vertex %" PRIu32 " is not in the graph", v[i]);
        if (flurm_graph_is_taken (m->g, v[i])) {
            char path[512];
            if (flurm_graph_path (m->g, v[i], path, sizeof (path)) < 0)
                snprintf (path, sizeof (path), "vertex %" PRIu32, v[i]);
            return flurm_error_set (err, "%s is held by another job", path);
        }
        if (i > 0 && v[i] == v[i - 1])
            return flurm_error_set (err, "vertex %" PRIu32 " is listed twice", v[i]);
    }
    return 0;
}

int flurm_matcher_apply (struct flurm_matcher *m, uint64_t jobid, flurm_error_t *err)
{
    struct flurm_alloc *a = job_get (m, jobid, err);
    if (!a)
        return -1;
    if (a->applied)
        return flurm_error_set (err, "job %" PRIu64 " is already applied", jobid);
    if (check_free (m, a->held, a->nheld, err) < 0)
        return flurm_error_prefix (err, "cannot apply job %" PRIu64, jobid);
    set_applied (m, a, true);
    return 0;
}

int flurm_matcher_adopt (struct flurm_matcher *m, uint64_t jobid, const flurm_vid *held,
                         size_t nheld, flurm_error_t *err)
{
    if (job_live (m, jobid))
        return flurm_error_set (err, "job %" PRIu64 " already holds resources", jobid);
    if (nheld == 0)
        return flurm_error_set (err, "job %" PRIu64 ": an allocation holds something", jobid);
    flurm_vid *sorted = g_memdup2 (held, nheld * sizeof (*held));
    flurm_sort_u32 (sorted, nheld);
    if (check_free (m, sorted, nheld, err) < 0) {
        g_free (sorted);
        return flurm_error_prefix (err, "cannot adopt job %" PRIu64, jobid);
    }
    struct flurm_alloc *a = alloc_new (m, jobid, sorted, nheld);
    g_free (sorted);
    set_applied (m, a, true);
    job_insert (m, a);
    return 0;
}

/* ---- output ------------------------------------------------------------ */

struct flurm_rv1 *flurm_alloc_to_rv1 (const struct flurm_matcher *m, const struct flurm_alloc *a,
                                      double starttime, double expiration, flurm_error_t *err)
{
    struct flurm_rv1 *r = flurm_rv1_create ();
    char name[FLURM_NAME_MAX];
    for (size_t i = 0; i < a->nnodes; i++) {
        flurm_vid node = a->nodes[i];
        int32_t rank = m->V[node].rank;
        if (rank < 0) {
            flurm_error_set (err, "node %s has no rank", flurm_graph_name (m->g, node, name));
            goto fail;
        }
        if (!flurm_rv1_rank_get (r, (uint32_t)rank, flurm_graph_name (m->g, node, name), err))
            goto fail;
    }
    for (size_t i = 0; i < a->nheld; i++) {
        const struct flurm_vertex *x = &m->V[a->held[i]];
        bool core = x->type == m->core_type, gpu = x->type == m->gpu_type;
        if (!core && !gpu)
            continue;
        flurm_vid node = node_of (m, a->held[i]);
        if (node == FLURM_VID_NONE || m->V[node].rank < 0 || x->id < 0
            || x->id > FLURM_IDSET_MAX_ID)
            continue;
        struct flurm_rv1_rank *rr = flurm_rv1_rank_get (r, (uint32_t)m->V[node].rank,
                                                        flurm_graph_name (m->g, node, name),
                                                        err);
        if (!rr || flurm_idset_add (core ? rr->cores : rr->gpus, (uint32_t)x->id, err) < 0)
            goto fail;
    }
    r->starttime = starttime;
    r->expiration = expiration;
    return r;
fail:
    flurm_rv1_destroy (r);
    return NULL;
}

char *flurm_alloc_summary (const struct flurm_matcher *m, const struct flurm_alloc *a)
{
    struct flurm_rv1 *r = flurm_alloc_to_rv1 (m, a, 0, 0, NULL);
    if (!r)
        return NULL;
    char *s = flurm_rv1_summary (r);
    flurm_rv1_destroy (r);
    return s;
}

void flurm_matcher_stats (const struct flurm_matcher *m, struct flurm_match_stats *out)
{
    *out = m->stats;
}

size_t flurm_matcher_memory (const struct flurm_matcher *m)
{
    /* per vertex: tix, child_types, held_below, weight, four mark arrays,
     * two stamp arrays */
    size_t per_vertex = sizeof (uint8_t) + sizeof (uint64_t) + 8 * sizeof (uint32_t)
                        + sizeof (uint8_t);
    size_t bytes = sizeof (*m) + m->nv * per_vertex;
    bytes += match_order_memory (m->order) + match_units_memory (m->units);
    bytes += match_work_memory (m->work);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init (&it, m->jobs);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        const struct flurm_alloc *a = value;
        bytes += sizeof (*a) + (a->nheld + a->nnodes) * sizeof (flurm_vid);
    }
    return bytes;
}

void flurm_matcher_reset_stats (struct flurm_matcher *m)
{
    memset (&m->stats, 0, sizeof (m->stats));
}
