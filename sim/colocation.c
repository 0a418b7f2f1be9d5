/* sim/colocation.c — sockets and the jobs on them.
 *
 * Invariants: for every recorded job j and every socket s,
 *   j appears in sockets[s].entries  <=>  s appears in j's socket list,
 * with the same procs (> 0) in both, and each at most once.  Sockets are
 * numbered densely at creation (core_socket maps a core vertex to its
 * number); a socket's entry list is small (two jobs in the co-scheduling
 * experiments), so removal is a linear scan that keeps the order.
 */
#include <glib.h>

#include "sim/colocation.h"

struct socket {
    flurm_vid vertex;
    uint32_t cores;
    uint32_t first;    /* its cores: core_list[first .. first + cores) */
    GArray *entries;   /* struct flurm_coloc_entry, .job/.procs */
};

struct flurm_colocation {
    uint32_t *core_socket;  /* per vertex: socket number, UINT32_MAX if not a core */
    flurm_vid *core_list;   /* cores grouped by socket, vertex order within */
    size_t nv;
    struct socket *sockets;
    uint32_t nsockets;
    GHashTable *jobs;       /* job index -> GArray of entries (.socket/.procs) */
};

static void free_array (gpointer p)
{
    g_array_unref (p);
}

/* The socket a core belongs to: the nearest socket above it, else its
 * parent (a node holding cores directly). */
static flurm_vid socket_above (const struct flurm_graph *g, flurm_vid core, flurm_atom socket)
{
    flurm_vid parent = flurm_graph_vertex (g, core)->parent;
    for (flurm_vid v = parent; v != FLURM_VID_NONE; v = flurm_graph_vertex (g, v)->parent) {
        if (flurm_graph_vertex (g, v)->type == socket)
            return v;
    }
    return parent != FLURM_VID_NONE ? parent : core;
}

struct flurm_colocation *flurm_colocation_create (const struct flurm_graph *g)
{
    flurm_atom core = flurm_graph_atom (g, "core");
    flurm_atom socket = flurm_graph_atom (g, "socket");
    if (core == FLURM_ATOM_NONE)
        return NULL;
    struct flurm_colocation *c = g_new0 (struct flurm_colocation, 1);
    c->nv = flurm_graph_size (g);
    c->core_socket = g_new (uint32_t, c->nv);
    GHashTable *number = g_hash_table_new (g_direct_hash, g_direct_equal);
    GArray *sockets = g_array_new (FALSE, TRUE, sizeof (struct socket));
    for (flurm_vid v = 0; v < c->nv; v++) {
        c->core_socket[v] = UINT32_MAX;
        if (flurm_graph_vertex (g, v)->type != core)
            continue;
        flurm_vid s = socket_above (g, v, socket);
        gpointer found;
        uint32_t idx;
        if (g_hash_table_lookup_extended (number, GUINT_TO_POINTER (s), NULL, &found)) {
            idx = GPOINTER_TO_UINT (found);
        }
        else {
            idx = sockets->len;
            struct socket fresh = {.vertex = s};
            g_array_append_val (sockets, fresh);
            g_hash_table_insert (number, GUINT_TO_POINTER (s), GUINT_TO_POINTER (idx));
        }
        g_array_index (sockets, struct socket, idx).cores++;
        c->core_socket[v] = idx;
    }
    g_hash_table_destroy (number);
    c->nsockets = sockets->len;
    c->sockets = (struct socket *)(void *)g_array_free (sockets, FALSE);
    /* counting sort of the cores by socket */
    uint32_t total = 0;
    for (uint32_t s = 0; s < c->nsockets; s++) {
        c->sockets[s].first = total;
        total += c->sockets[s].cores;
    }
    c->core_list = g_new (flurm_vid, total ? total : 1);
    uint32_t *fill = g_new0 (uint32_t, c->nsockets ? c->nsockets : 1);
    for (flurm_vid v = 0; v < c->nv; v++) {
        uint32_t s = c->core_socket[v];
        if (s != UINT32_MAX)
            c->core_list[c->sockets[s].first + fill[s]++] = v;
    }
    g_free (fill);
    c->jobs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, free_array);
    return c;
}

void flurm_colocation_destroy (struct flurm_colocation *c)
{
    if (!c)
        return;
    for (uint32_t s = 0; s < c->nsockets; s++) {
        if (c->sockets[s].entries)
            g_array_unref (c->sockets[s].entries);
    }
    g_free (c->sockets);
    g_free (c->core_socket);
    g_free (c->core_list);
    g_hash_table_destroy (c->jobs);
    g_free (c);
}

void flurm_colocation_add (struct flurm_colocation *c, size_t job, const flurm_vid *held,
                           size_t nheld)
{
    GArray *mine = g_array_new (FALSE, FALSE, sizeof (struct flurm_coloc_entry));
    for (size_t i = 0; i < nheld; i++) {
        if (held[i] >= c->nv || c->core_socket[held[i]] == UINT32_MAX)
            continue;
        uint32_t s = c->core_socket[held[i]];
        /* held lists are sorted by vertex, so a socket's cores are adjacent
         * in all generated graphs; search anyway to stay exact on others */
        struct flurm_coloc_entry *e = NULL;
        for (guint k = mine->len; k-- > 0;) {
            struct flurm_coloc_entry *x = &g_array_index (mine, struct flurm_coloc_entry, k);
            if (x->socket == s) {
                e = x;
                break;
            }
        }
        if (e) {
            e->procs++;
        }
        else {
            struct flurm_coloc_entry fresh = {.job = job, .socket = s, .procs = 1};
            g_array_append_val (mine, fresh);
        }
    }
    for (guint k = 0; k < mine->len; k++) {
        const struct flurm_coloc_entry *x = &g_array_index (mine, struct flurm_coloc_entry, k);
        struct socket *s = &c->sockets[x->socket];
        if (!s->entries)
            s->entries = g_array_new (FALSE, FALSE, sizeof (struct flurm_coloc_entry));
        g_array_append_val (s->entries, *x);
    }
    g_hash_table_replace (c->jobs, GSIZE_TO_POINTER (job), mine);
}

void flurm_colocation_remove (struct flurm_colocation *c, size_t job)
{
    GArray *mine = g_hash_table_lookup (c->jobs, GSIZE_TO_POINTER (job));
    if (!mine)
        return;
    for (guint k = 0; k < mine->len; k++) {
        GArray *on = c->sockets[g_array_index (mine, struct flurm_coloc_entry, k).socket].entries;
        for (guint i = 0; on && i < on->len; i++) {
            if (g_array_index (on, struct flurm_coloc_entry, i).job == job) {
                g_array_remove_index (on, i); /* keeps the order */
                break;
            }
        }
    }
    g_hash_table_remove (c->jobs, GSIZE_TO_POINTER (job));
}

const struct flurm_coloc_entry *flurm_colocation_sockets_of (const struct flurm_colocation *c,
                                                             size_t job, size_t *n)
{
    GArray *mine = g_hash_table_lookup (c->jobs, GSIZE_TO_POINTER (job));
    *n = mine ? mine->len : 0;
    return mine && mine->len ? (const struct flurm_coloc_entry *)(void *)mine->data : NULL;
}

const struct flurm_coloc_entry *flurm_colocation_jobs_on (const struct flurm_colocation *c,
                                                          uint32_t socket, size_t *n)
{
    GArray *on = socket < c->nsockets ? c->sockets[socket].entries : NULL;
    *n = on ? on->len : 0;
    return on && on->len ? (const struct flurm_coloc_entry *)(void *)on->data : NULL;
}

uint32_t flurm_colocation_socket_cores (const struct flurm_colocation *c, uint32_t socket)
{
    return socket < c->nsockets ? c->sockets[socket].cores : 0;
}

flurm_vid flurm_colocation_socket_vertex (const struct flurm_colocation *c, uint32_t socket)
{
    return socket < c->nsockets ? c->sockets[socket].vertex : FLURM_VID_NONE;
}

uint32_t flurm_colocation_nsockets (const struct flurm_colocation *c)
{
    return c->nsockets;
}

const flurm_vid *flurm_colocation_socket_core_list (const struct flurm_colocation *c,
                                                    uint32_t socket, size_t *n)
{
    *n = socket < c->nsockets ? c->sockets[socket].cores : 0;
    return *n ? &c->core_list[c->sockets[socket].first] : NULL;
}
