/* sim/graph.c — see graph.h for the contract.
 *
 * Storage, all flat arrays (no allocation per vertex):
 *  - v[]            the vertices, breadth-first (graph.h's invariants);
 *  - atoms          one char arena + an offset per atom + a hash table;
 *  - names          an arena of explicit names (rarely used);
 *  - property sets  pset_start[s] .. pset_start[s+1] index pairs[] (key
 *                   atom, value atom), sorted by key; set 0 is empty, and
 *                   identical sets are stored once;
 *  - total/free     ntracked uint32 each per vertex (v * ntracked + t);
 *  - taken          one bit per vertex;
 *  - nodes          node vids in rank order, and a host name hash table.
 *
 * The hash tables are small open-addressing tables of (hash, index) slots
 * (struct itab), so flurm_graph_memory() can report their exact size.
 *
 * Semantics worth knowing:
 *  - "free" means "not taken": a vertex with status DOWN still counts as
 *    free (the counts are upper bounds for pruning; skipping down
 *    vertices is the matcher's business);
 *  - nodes[] (flurm_graph_node_at) is in rank order, nodes without a rank
 *    (-1) last, ties in vid order; node_by_name() returns the first node
 *    (in vid order) with that name;
 *  - find_path() uses the host name table for a node component whose
 *    parent is the current vertex, otherwise scans the children;
 *  - a double take/release is a caller bug: in debug builds (NDEBUG not
 *    defined) an assertion stops the program; with NDEBUG (the default
 *    RelWithDebInfo build) it is ignored, so the counts stay consistent.
 *    The library prints nothing of its own.
 */
#include "sim/graph.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/names.h"

/* ---- open-addressing index table --------------------------------------- */

#define ITAB_EMPTY UINT32_MAX

struct itab_slot {
    uint32_t hash;
    uint32_t idx; /* ITAB_EMPTY when free */
};

struct itab {
    struct itab_slot *slot;
    uint32_t cap; /* power of two, or 0 */
    uint32_t n;
};

typedef bool (*itab_eq_fn) (const void *ctx, uint32_t idx, const void *key);

static uint32_t hash_bytes (const void *p, size_t len)
{
    /* FNV-1a, then a final avalanche (murmur3 fmix32). */
    const unsigned char *s = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static uint32_t itab_find (const struct itab *t, uint32_t h, itab_eq_fn eq, const void *ctx,
                           const void *key)
{
    if (t->cap == 0)
        return ITAB_EMPTY;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        const struct itab_slot *s = &t->slot[i];
        if (s->idx == ITAB_EMPTY)
            return ITAB_EMPTY;
        if (s->hash == h && eq (ctx, s->idx, key))
            return s->idx;
    }
}

static void itab_put (struct itab_slot *slot, uint32_t mask, uint32_t h, uint32_t idx)
{
    uint32_t i = h & mask;
    while (slot[i].idx != ITAB_EMPTY)
        i = (i + 1) & mask;
    slot[i].hash = h;
    slot[i].idx = idx;
}

static void itab_resize (struct itab *t, uint32_t cap)
{
    struct itab_slot *slot = g_new (struct itab_slot, cap);
    for (uint32_t i = 0; i < cap; i++)
        slot[i].idx = ITAB_EMPTY;
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->slot[i].idx != ITAB_EMPTY)
            itab_put (slot, cap - 1, t->slot[i].hash, t->slot[i].idx);
    g_free (t->slot);
    t->slot = slot;
    t->cap = cap;
}

/* Insert without checking for an equal key (callers look up first, or
 * want duplicates, which are then found in insertion order). */
static void itab_insert (struct itab *t, uint32_t h, uint32_t idx)
{
    if ((t->n + 1) * 2 > t->cap)
        itab_resize (t, t->cap ? t->cap * 2 : 16);
    itab_put (t->slot, t->cap - 1, h, idx);
    t->n++;
}

static void itab_free (struct itab *t)
{
    g_free (t->slot);
    memset (t, 0, sizeof (*t));
}

static size_t itab_bytes (const struct itab *t)
{
    return (size_t)t->cap * sizeof (struct itab_slot);
}

/* Decimal text of v (no NUL); returns its length (at most 20). */
static size_t fmt_i64 (char *out, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n > 0)
        out[len++] = tmp[--n];
    return len;
}

/* ---- growable arrays ---------------------------------------------------- */

static void *grow (void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    *cap = c;
    return g_realloc_n (p, c, elem);
}

/* Shrink an array to exactly n elements (for an exact memory figure). */
static void *shrink (void *p, size_t *cap, size_t n, size_t elem)
{
    if (*cap == n)
        return p;
    *cap = n;
    if (n == 0) {
        g_free (p);
        return NULL;
    }
    return g_realloc_n (p, n, elem);
}

/* ---- atoms -------------------------------------------------------------- */

struct atoms {
    char *buf;
    size_t len, cap;
    uint32_t *off;
    size_t n, ncap;
    struct itab tab;
};

struct strkey {
    const char *s;
    size_t len;
};

static bool atom_eq (const void *ctx, uint32_t idx, const void *key)
{
    const struct atoms *a = ctx;
    const struct strkey *k = key;
    const char *s = a->buf + a->off[idx];
    return strncmp (s, k->s, k->len) == 0 && s[k->len] == '\0';
}

static flurm_atom atoms_find (const struct atoms *a, const char *s)
{
    struct strkey k = {s, strlen (s)};
    return itab_find (&a->tab, hash_bytes (s, k.len), atom_eq, a, &k);
}

static flurm_atom atoms_intern (struct atoms *a, const char *s)
{
    struct strkey k = {s, strlen (s)};
    uint32_t h = hash_bytes (s, k.len);
    uint32_t found = itab_find (&a->tab, h, atom_eq, a, &k);
    if (found != ITAB_EMPTY)
        return found;
    if (a->len + k.len + 1 > UINT32_MAX || a->n >= UINT32_MAX - 1)
        return FLURM_ATOM_NONE;
    a->buf = grow (a->buf, &a->cap, a->len + k.len + 1, 1);
    memcpy (a->buf + a->len, s, k.len + 1);
    a->off = grow (a->off, &a->ncap, a->n + 1, sizeof (uint32_t));
    a->off[a->n] = (uint32_t)a->len;
    a->len += k.len + 1;
    uint32_t idx = (uint32_t)a->n++;
    itab_insert (&a->tab, h, idx);
    return idx;
}

static void atoms_free (struct atoms *a)
{
    g_free (a->buf);
    g_free (a->off);
    itab_free (&a->tab);
}

static size_t atoms_bytes (const struct atoms *a)
{
    return a->cap + a->ncap * sizeof (uint32_t) + itab_bytes (&a->tab);
}

/* ---- property sets ------------------------------------------------------ */

struct propsets {
    uint32_t *start; /* n + 1 entries: set s is pairs [start[s], start[s+1]) */
    size_t n, scap;
    uint32_t *pairs; /* key atom, value atom, key atom, ... */
    size_t npairs, pcap;
    struct itab tab;
};

struct pairkey {
    const uint32_t *pairs;
    size_t n;
};

static bool pset_eq (const void *ctx, uint32_t idx, const void *key)
{
    const struct propsets *p = ctx;
    const struct pairkey *k = key;
    size_t n = p->start[idx + 1] - p->start[idx];
    return n == k->n &&
           memcmp (p->pairs + 2 * (size_t)p->start[idx], k->pairs, n * 2 * sizeof (uint32_t)) == 0;
}

static void psets_init (struct propsets *p)
{
    memset (p, 0, sizeof (*p));
    p->start = grow (NULL, &p->scap, 2, sizeof (uint32_t));
    p->start[0] = p->start[1] = 0;
    p->n = 1; /* set 0: no properties */
}

static uint32_t psets_add (struct propsets *p, const uint32_t *pairs, size_t n)
{
    if (n == 0)
        return 0;
    struct pairkey k = {pairs, n};
    uint32_t h = hash_bytes (pairs, n * 2 * sizeof (uint32_t));
    uint32_t found = itab_find (&p->tab, h, pset_eq, p, &k);
    if (found != ITAB_EMPTY)
        return found;
    p->pairs = grow (p->pairs, &p->pcap, 2 * (p->npairs + n), sizeof (uint32_t));
    memcpy (p->pairs + 2 * p->npairs, pairs, n * 2 * sizeof (uint32_t));
    p->npairs += n;
    p->start = grow (p->start, &p->scap, p->n + 2, sizeof (uint32_t));
    p->start[p->n + 1] = (uint32_t)p->npairs;
    uint32_t idx = (uint32_t)p->n++;
    itab_insert (&p->tab, h, idx);
    return idx;
}

static void psets_free (struct propsets *p)
{
    g_free (p->start);
    g_free (p->pairs);
    itab_free (&p->tab);
}

/* ---- the graph ---------------------------------------------------------- */

struct flurm_graph {
    struct flurm_vertex *v;
    size_t n;
    uint32_t *from_builder; /* builder index -> vid */
    struct atoms atoms;
    char *names;
    size_t names_len, names_cap;
    struct propsets props;
    uint32_t *type_count; /* per atom: vertices of that type */
    size_t ntype_count;
    /* nodes */
    flurm_atom node_atom;
    flurm_vid *nodes; /* in rank order (-1 last), ties in vid order */
    size_t nnodes;
    struct itab node_names;
    /* pruning counts */
    size_t ntracked;
    flurm_atom tracked[FLURM_GRAPH_MAX_TRACKED];
    int8_t *tracked_of_atom; /* per atom: tracked index or -1 */
    uint32_t *total;
    uint32_t *free;
    uint64_t *taken;
};

struct flurm_graph_builder {
    struct flurm_vertex *v; /* parent / nchildren are builder indices */
    size_t n, cap;
    uint32_t *first_child, *last_child, *next_sibling;
    size_t lcap;
    struct atoms atoms;
    char *names;
    size_t names_len, names_cap;
    struct propsets props;
    flurm_atom empty_atom;
};

/* Name of a vertex, from the pieces both the builder and graph have. */
static const char *vertex_name (const struct atoms *atoms, const char *names,
                                const struct flurm_vertex *v, char buf[FLURM_NAME_MAX])
{
    if (v->name != FLURM_NAME_DEFAULT)
        return names + v->name;
    /* the builder guarantees basename + id fits */
    const char *base = atoms->buf + atoms->off[v->basename];
    size_t bl = strlen (base);
    memcpy (buf, base, bl);
    buf[bl + fmt_i64 (buf + bl, v->id)] = '\0';
    return buf;
}

static const char *bname (const struct flurm_graph_builder *b, size_t i, char buf[FLURM_NAME_MAX])
{
    return vertex_name (&b->atoms, b->names, &b->v[i], buf);
}

/* 2^20 vertices: about 76 MiB of builder arrays. */
#define BUILDER_HINT_MAX ((size_t)1 << 20)

struct flurm_graph_builder *flurm_graph_builder_new (size_t vertex_hint)
{
    struct flurm_graph_builder *b = g_new0 (struct flurm_graph_builder, 1);
    /* The hint only saves regrowth; a reader may take it from its input
     * before validating it, so an absurd one must not allocate (or abort)
     * up front: beyond BUILDER_HINT_MAX the arrays grow as vertices come. */
    if (vertex_hint > BUILDER_HINT_MAX)
        vertex_hint = BUILDER_HINT_MAX;
    if (vertex_hint > 0) {
        b->v = grow (NULL, &b->cap, vertex_hint, sizeof (struct flurm_vertex));
        size_t lc = 0;
        b->first_child = grow (NULL, &lc, vertex_hint, sizeof (uint32_t));
        lc = 0;
        b->last_child = grow (NULL, &lc, vertex_hint, sizeof (uint32_t));
        lc = 0;
        b->next_sibling = grow (NULL, &lc, vertex_hint, sizeof (uint32_t));
        b->lcap = lc;
    }
    psets_init (&b->props);
    b->empty_atom = atoms_intern (&b->atoms, "");
    return b;
}

void flurm_graph_builder_destroy (struct flurm_graph_builder *b)
{
    if (!b)
        return;
    g_free (b->v);
    g_free (b->first_child);
    g_free (b->last_child);
    g_free (b->next_sibling);
    atoms_free (&b->atoms);
    g_free (b->names);
    psets_free (&b->props);
    g_free (b);
}

/* A name must fit FLURM_NAME_MAX with its NUL and must be usable as a path
 * component: names.h has the rule, shared with topo. */
static int check_name (const char *what, const char *s, const char *who, flurm_error_t *err)
{
    const char *problem = flurm_name_vertex_problem (s);
    return flurm_error_set (err, "%s: %s %s %s", who, what, FLURM_QUOTED (s), problem);
}

static const char *spec_who (const struct flurm_vertex_spec *spec, const char *basename, char *buf,
                             size_t size)
{
    if (spec->name)
        snprintf (buf, size, "vertex %.*s", FLURM_NAME_MAX, spec->name);
    else
        snprintf (buf, size, "vertex %.200s%" PRId64, basename, spec->id);
    return buf;
}

struct prop_ref {
    const char *key, *value;
};

static int cmp_prop_ref (const void *a, const void *b)
{
    return strcmp (((const struct prop_ref *)a)->key, ((const struct prop_ref *)b)->key);
}

int64_t flurm_graph_builder_add_vertex (struct flurm_graph_builder *b,
                                        const struct flurm_vertex_spec *spec, flurm_error_t *err)
{
    char whobuf[FLURM_NAME_MAX + 64];
    if (!spec->type || !spec->type[0])
        return flurm_error_set (err, "vertex without a type");
    const char *basename = spec->basename ? spec->basename : spec->type;
    /* how errors name the vertex (only formatted when needed) */
#define who spec_who (spec, basename, whobuf, sizeof (whobuf))
    if (b->n >= FLURM_GRAPH_MAX_VERTICES)
        return flurm_error_set (err, "%s: more than %u vertices", who, FLURM_GRAPH_MAX_VERTICES);
    if (strlen (spec->type) >= FLURM_NAME_MAX)
        return flurm_error_set (err, "%s: type is longer than %d bytes", who, FLURM_NAME_MAX - 1);
    if (!spec->name && strlen (basename) + 21 > FLURM_NAME_MAX)
        return flurm_error_set (err,
                                "%s: basename is too long for a name (at "
                                "most %d bytes with the id)",
                                who, FLURM_NAME_MAX - 1);
    /* `who` is only formatted for the message */
    if (spec->name && flurm_name_vertex_problem (spec->name))
        return check_name ("name", spec->name, who, err);
    if (!spec->name && flurm_name_vertex_problem (basename))
        return check_name ("basename", basename, who, err);
    if (spec->size < 0)
        return flurm_error_set (err, "%s: negative size %" PRId64, who, spec->size);
    if (spec->rank < -1)
        return flurm_error_set (err, "%s: invalid rank %" PRId32, who, spec->rank);
    if (spec->status != FLURM_STATUS_UP && spec->status != FLURM_STATUS_DOWN)
        return flurm_error_set (err, "%s: invalid status %d", who, (int)spec->status);

    struct flurm_vertex v = {
        .parent = FLURM_VID_NONE,
        .first_child = FLURM_VID_NONE,
        .nchildren = 0,
        .name = FLURM_NAME_DEFAULT,
        .props = 0,
        .rank = spec->rank,
        .exclusive = spec->exclusive ? 1 : 0,
        .status = (uint8_t)spec->status,
        .id = spec->id,
        .uniq_id = spec->uniq_id,
        .size = spec->size == 0 ? 1 : spec->size,
    };
    v.type = atoms_intern (&b->atoms, spec->type);
    v.basename = atoms_intern (&b->atoms, basename);
    v.unit = spec->unit ? atoms_intern (&b->atoms, spec->unit) : b->empty_atom;
    if (v.type == FLURM_ATOM_NONE || v.basename == FLURM_ATOM_NONE || v.unit == FLURM_ATOM_NONE)
        return flurm_error_set (err, "%s: too many distinct strings", who);

    /* Store the name only when it is not basename + id. */
    if (spec->name) {
        char idb[24];
        size_t bl = strlen (basename), il = fmt_i64 (idb, spec->id);
        if (strncmp (spec->name, basename, bl) != 0 || strncmp (spec->name + bl, idb, il) != 0 ||
            spec->name[bl + il] != '\0') {
            size_t len = strlen (spec->name);
            if (b->names_len + len + 1 >= FLURM_NAME_DEFAULT)
                return flurm_error_set (err, "%s: too many names", who);
            b->names = grow (b->names, &b->names_cap, b->names_len + len + 1, 1);
            memcpy (b->names + b->names_len, spec->name, len + 1);
            v.name = (uint32_t)b->names_len;
            b->names_len += len + 1;
        }
    }

    /* Properties: sorted by key (one sort, then one pass for repeats: a
     * vertex may carry many), no key twice, the set shared. */
    if (spec->nprops > 0) {
        struct prop_ref stackrefs[16];
        struct prop_ref *refs = spec->nprops <= G_N_ELEMENTS (stackrefs)
                                    ? stackrefs
                                    : g_new (struct prop_ref, spec->nprops);
        int rc = 0;
        for (size_t i = 0; i < spec->nprops; i++) {
            refs[i].key = spec->prop_keys[i];
            refs[i].value = spec->prop_values[i] ? spec->prop_values[i] : "";
            if (!refs[i].key || !refs[i].key[0]) {
                rc = flurm_error_set (err, "%s: empty property name", who);
                break;
            }
        }
        if (rc == 0)
            qsort (refs, spec->nprops, sizeof (refs[0]), cmp_prop_ref);
        for (size_t i = 1; rc == 0 && i < spec->nprops; i++) {
            if (strcmp (refs[i - 1].key, refs[i].key) == 0) {
                rc = flurm_error_set (err, "%s: property %s given twice", who,
                                      FLURM_QUOTED (refs[i].key));
            }
        }
        uint32_t *pairs = NULL;
        if (rc == 0) {
            pairs = g_new (uint32_t, 2 * spec->nprops);
            for (size_t i = 0; i < spec->nprops && rc == 0; i++) {
                pairs[2 * i] = atoms_intern (&b->atoms, refs[i].key);
                pairs[2 * i + 1] = atoms_intern (&b->atoms, refs[i].value);
                if (pairs[2 * i] == FLURM_ATOM_NONE || pairs[2 * i + 1] == FLURM_ATOM_NONE)
                    rc = flurm_error_set (err, "%s: too many distinct strings", who);
            }
        }
        if (rc == 0)
            v.props = psets_add (&b->props, pairs, spec->nprops);
        g_free (pairs);
        if (refs != stackrefs)
            g_free (refs);
        if (rc < 0)
            return -1;
    }

    b->v = grow (b->v, &b->cap, b->n + 1, sizeof (struct flurm_vertex));
    if (b->lcap < b->cap) {
        size_t lc = b->lcap;
        b->first_child = grow (b->first_child, &lc, b->cap, sizeof (uint32_t));
        lc = b->lcap;
        b->last_child = grow (b->last_child, &lc, b->cap, sizeof (uint32_t));
        lc = b->lcap;
        b->next_sibling = grow (b->next_sibling, &lc, b->cap, sizeof (uint32_t));
        b->lcap = lc;
    }
#undef who
    b->v[b->n] = v;
    b->first_child[b->n] = FLURM_VID_NONE;
    b->last_child[b->n] = FLURM_VID_NONE;
    b->next_sibling[b->n] = FLURM_VID_NONE;
    return (int64_t)b->n++;
}

int flurm_graph_builder_add_edge (struct flurm_graph_builder *b, int64_t parent, int64_t child,
                                  flurm_error_t *err)
{
    char n1[FLURM_NAME_MAX], n2[FLURM_NAME_MAX], n3[FLURM_NAME_MAX];
    if (parent < 0 || (size_t)parent >= b->n || child < 0 || (size_t)child >= b->n)
        return flurm_error_set (err,
                                "edge between unknown vertices (builder "
                                "indices %" PRId64 " -> %" PRId64 ", %zu "
                                "vertices added)",
                                parent, child, b->n);
    if (parent == child)
        return flurm_error_set (err, "%s cannot contain itself", bname (b, (size_t)child, n1));
    struct flurm_vertex *c = &b->v[child];
    if (c->parent != FLURM_VID_NONE) {
        if (c->parent == (uint32_t)parent)
            return flurm_error_set (err, "edge %s -> %s is given twice",
                                    bname (b, (size_t)parent, n1), bname (b, (size_t)child, n2));
        return flurm_error_set (err,
                                "%s already has a containment parent (%s); "
                                "a second one (%s) is not allowed",
                                bname (b, (size_t)child, n1), bname (b, c->parent, n2),
                                bname (b, (size_t)parent, n3));
    }
    c->parent = (uint32_t)parent;
    b->v[parent].nchildren++;
    if (b->last_child[parent] == FLURM_VID_NONE)
        b->first_child[parent] = (uint32_t)child;
    else
        b->next_sibling[b->last_child[parent]] = (uint32_t)child;
    b->last_child[parent] = (uint32_t)child;
    return 0;
}

/* "a -> b -> c -> a" for the cycle that vertex `start` leads into by
 * following parents. */
static void describe_cycle (const struct flurm_graph_builder *b, size_t start, char *out,
                            size_t size)
{
    /* Walk n steps up: we are then certainly on the cycle. */
    size_t u = start;
    for (size_t i = 0; i < b->n && b->v[u].parent != FLURM_VID_NONE; i++)
        u = b->v[u].parent;
    /* Collect the cycle, child -> parent, then print parent -> child. */
    enum { MAXSHOW = 8 };
    size_t cyc[MAXSHOW + 1];
    size_t len = 0;
    size_t w = u;
    bool more = false;
    do {
        if (len == MAXSHOW) {
            more = true;
            break;
        }
        cyc[len++] = w;
        w = b->v[w].parent;
    } while (w != u && w != FLURM_VID_NONE);
    char nb[FLURM_NAME_MAX];
    size_t pos = 0;
    out[0] = '\0';
    for (size_t i = len; i-- > 0 && pos < size;) {
        pos += (size_t)snprintf (out + pos, size - pos, "%s -> ", bname (b, cyc[i], nb));
    }
    if (pos < size)
        snprintf (out + pos, size - pos, "%s", more ? "..." : bname (b, cyc[len - 1], nb));
}

static int cmp_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Return the vid of a second vertex with an already-used uniq_id (and in
 * *first the first one), or FLURM_VID_NONE. */
static flurm_vid find_dup_uniq (const struct flurm_graph *g, flurm_vid *first)
{
    size_t n = g->n;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (g->v[i].uniq_id < lo)
            lo = g->v[i].uniq_id;
        if (g->v[i].uniq_id > hi)
            hi = g->v[i].uniq_id;
    }
    /* Usual case: a dense range, checked with a bitmap in O(n). */
    if ((uint64_t)hi - (uint64_t)lo < 4 * (uint64_t)n + 64) {
        size_t span = (size_t)((uint64_t)hi - (uint64_t)lo) + 1;
        uint64_t *bits = g_new0 (uint64_t, (span + 63) / 64);
        flurm_vid dup = FLURM_VID_NONE;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = (uint64_t)g->v[i].uniq_id - (uint64_t)lo;
            if (bits[k / 64] & (1ull << (k % 64))) {
                dup = (flurm_vid)i;
                break;
            }
            bits[k / 64] |= 1ull << (k % 64);
        }
        g_free (bits);
        if (dup != FLURM_VID_NONE)
            for (size_t i = 0; i < dup; i++)
                if (g->v[i].uniq_id == g->v[dup].uniq_id) {
                    *first = (flurm_vid)i;
                    break;
                }
        return dup;
    }
    /* Sparse ids: sort (uniq_id, vid) pairs packed as two u64 words. */
    uint64_t *keys = g_new (uint64_t, 2 * n);
    for (size_t i = 0; i < n; i++) {
        keys[2 * i] = (uint64_t)g->v[i].uniq_id ^ (1ull << 63);
        keys[2 * i + 1] = i;
    }
    /* qsort on 16-byte records: compare the first word only, vid ties are
     * irrelevant since we report the smallest pair afterwards. */
    qsort (keys, n, 2 * sizeof (uint64_t), cmp_u64);
    flurm_vid dup = FLURM_VID_NONE;
    for (size_t i = 1; i < n; i++)
        if (keys[2 * i] == keys[2 * (i - 1)]) {
            flurm_vid a = (flurm_vid)keys[2 * i - 1], c = (flurm_vid)keys[2 * i + 1];
            *first = a < c ? a : c;
            dup = a < c ? c : a;
            break;
        }
    g_free (keys);
    return dup;
}

static int cmp_node_rank (const void *a, const void *b, void *data)
{
    const struct flurm_graph *g = data;
    flurm_vid x = *(const flurm_vid *)a, y = *(const flurm_vid *)b;
    /* rank -1 (none) sorts last */
    uint32_t rx = (uint32_t)g->v[x].rank, ry = (uint32_t)g->v[y].rank;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x < y ? -1 : x > y;
}

struct namekey {
    const char *s;
    size_t len;
};

static bool name_matches (const struct flurm_graph *g, flurm_vid v, const char *s, size_t len)
{
    const struct flurm_vertex *x = &g->v[v];
    if (x->name != FLURM_NAME_DEFAULT) {
        const char *n = g->names + x->name;
        return strncmp (n, s, len) == 0 && n[len] == '\0';
    }
    const char *base = g->atoms.buf + g->atoms.off[x->basename];
    size_t bl = strlen (base);
    if (len <= bl || strncmp (base, s, bl) != 0)
        return false;
    char idbuf[24];
    size_t il = fmt_i64 (idbuf, x->id);
    return il == len - bl && memcmp (idbuf, s + bl, il) == 0;
}

static bool node_name_eq (const void *ctx, uint32_t idx, const void *key)
{
    const struct namekey *k = key;
    return name_matches (ctx, idx, k->s, k->len);
}

static void build_lookups (struct flurm_graph *g)
{
    size_t natoms = g->atoms.n;
    g->ntype_count = natoms;
    g->type_count = g_new0 (uint32_t, natoms);
    for (size_t i = 0; i < g->n; i++)
        g->type_count[g->v[i].type]++;

    /* nodes */
    g->node_atom = atoms_find (&g->atoms, "node");
    if (g->node_atom != FLURM_ATOM_NONE && g->type_count[g->node_atom] > 0) {
        g->nnodes = g->type_count[g->node_atom];
        g->nodes = g_new (flurm_vid, g->nnodes);
        size_t k = 0;
        char buf[FLURM_NAME_MAX];
        for (size_t i = 0; i < g->n; i++) {
            if (g->v[i].type != g->node_atom)
                continue;
            g->nodes[k++] = (flurm_vid)i;
            const char *name = flurm_graph_name (g, (flurm_vid)i, buf);
            itab_insert (&g->node_names, hash_bytes (name, strlen (name)), (uint32_t)i);
        }
        g_qsort_with_data (g->nodes, (gint)g->nnodes, sizeof (flurm_vid), cmp_node_rank, g);
    }

    /* tracked types: the usual ones first, then others by frequency */
    static const char *const first[] = {"node", "socket", "core", "gpu", "memory"};
    g->ntracked = 0;
    g->tracked_of_atom = g_new (int8_t, natoms);
    memset (g->tracked_of_atom, -1, natoms);
    for (size_t i = 0; i < G_N_ELEMENTS (first); i++) {
        flurm_atom a = atoms_find (&g->atoms, first[i]);
        if (a != FLURM_ATOM_NONE && g->type_count[a] > 0) {
            g->tracked_of_atom[a] = (int8_t)g->ntracked;
            g->tracked[g->ntracked++] = a;
        }
    }
    while (g->ntracked < FLURM_GRAPH_MAX_TRACKED) {
        flurm_atom best = FLURM_ATOM_NONE;
        for (size_t a = 0; a < natoms; a++) {
            if (g->type_count[a] == 0 || g->tracked_of_atom[a] >= 0)
                continue;
            if (best == FLURM_ATOM_NONE || g->type_count[a] > g->type_count[best] ||
                (g->type_count[a] == g->type_count[best] &&
                 strcmp (g->atoms.buf + g->atoms.off[a], g->atoms.buf + g->atoms.off[best]) < 0))
                best = (flurm_atom)a;
        }
        if (best == FLURM_ATOM_NONE)
            break;
        g->tracked_of_atom[best] = (int8_t)g->ntracked;
        g->tracked[g->ntracked++] = best;
    }

    /* counts, bottom-up in one reverse breadth-first pass */
    size_t T = g->ntracked;
    g->total = g_new0 (uint32_t, g->n * T);
    for (size_t i = g->n; i-- > 0;) {
        uint32_t *row = g->total + i * T;
        int t = g->tracked_of_atom[g->v[i].type];
        if (t >= 0)
            row[t]++;
        if (i > 0) {
            uint32_t *prow = g->total + (size_t)g->v[i].parent * T;
            for (size_t k = 0; k < T; k++)
                prow[k] += row[k];
        }
    }
    g->free = g_memdup2 (g->total, g->n * T * sizeof (uint32_t));
    g->taken = g_new0 (uint64_t, (g->n + 63) / 64);
}

struct flurm_graph *flurm_graph_builder_finish (struct flurm_graph_builder *b, flurm_error_t *err)
{
    char n1[FLURM_NAME_MAX], n2[FLURM_NAME_MAX];
    struct flurm_graph *g = NULL;
    uint32_t *order = NULL;
    uint32_t *new_of = NULL;
    size_t n = b->n;

    if (n == 0) {
        flurm_error_set (err, "the graph has no vertices");
        goto out;
    }
    /* exactly one root */
    size_t root = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (b->v[i].parent != FLURM_VID_NONE)
            continue;
        if (root != SIZE_MAX) {
            flurm_error_set (err,
                             "two roots: %s and %s (every vertex but the root "
                             "needs a containment parent)",
                             bname (b, root, n1), bname (b, i, n2));
            goto out;
        }
        root = i;
    }
    if (root == SIZE_MAX) {
        char cyc[300];
        describe_cycle (b, 0, cyc, sizeof (cyc));
        flurm_error_set (err,
                         "no root (every vertex has a containment parent): "
                         "containment cycle %s",
                         cyc);
        goto out;
    }

    /* breadth-first layout */
    order = g_new (uint32_t, n);
    new_of = g_new (uint32_t, n);
    for (size_t i = 0; i < n; i++)
        new_of[i] = FLURM_VID_NONE;
    size_t head = 0, tail = 0;
    order[tail++] = (uint32_t)root;
    new_of[root] = 0;
    while (head < tail) {
        uint32_t u = order[head++];
        for (uint32_t c = b->first_child[u]; c != FLURM_VID_NONE; c = b->next_sibling[c]) {
            new_of[c] = (uint32_t)tail;
            order[tail++] = c;
        }
    }
    if (tail < n) {
        size_t lost = 0;
        while (new_of[lost] != FLURM_VID_NONE)
            lost++;
        char cyc[300];
        describe_cycle (b, lost, cyc, sizeof (cyc));
        flurm_error_set (err,
                         "%s is not reachable from the root %s: containment "
                         "cycle %s",
                         bname (b, lost, n1), bname (b, root, n2), cyc);
        goto out;
    }
    g_free (b->first_child);
    g_free (b->last_child);
    b->first_child = b->last_child = NULL;
    g_free (b->next_sibling);
    b->next_sibling = NULL;

    g = g_new0 (struct flurm_graph, 1);
    g->n = n;
    g->v = g_new (struct flurm_vertex, n);
    size_t next_child = 1;
    for (size_t i = 0; i < n; i++) {
        struct flurm_vertex x = b->v[order[i]];
        x.parent = x.parent == FLURM_VID_NONE ? FLURM_VID_NONE : new_of[x.parent];
        /* children were queued contiguously, in order, as i was dequeued */
        x.first_child = x.nchildren ? (flurm_vid)next_child : FLURM_VID_NONE;
        next_child += x.nchildren;
        g->v[i] = x;
    }
    g_free (order);
    order = NULL;
    g_free (b->v);
    b->v = NULL;
    g->from_builder = new_of;
    new_of = NULL;

    /* take the string tables over, trimmed to size */
    g->atoms = b->atoms;
    memset (&b->atoms, 0, sizeof (b->atoms));
    g->atoms.buf = shrink (g->atoms.buf, &g->atoms.cap, g->atoms.len, 1);
    g->atoms.off = shrink (g->atoms.off, &g->atoms.ncap, g->atoms.n, sizeof (uint32_t));
    g->names = shrink (b->names, &b->names_cap, b->names_len, 1);
    g->names_len = g->names_cap = b->names_len;
    b->names = NULL;
    g->props = b->props;
    memset (&b->props, 0, sizeof (b->props));
    g->props.start = shrink (g->props.start, &g->props.scap, g->props.n + 1, sizeof (uint32_t));
    g->props.pairs =
        shrink (g->props.pairs, &g->props.pcap, 2 * g->props.npairs, sizeof (uint32_t));
    itab_free (&g->props.tab); /* only needed while building */

    flurm_vid first = FLURM_VID_NONE;
    flurm_vid dup = find_dup_uniq (g, &first);
    if (dup != FLURM_VID_NONE) {
        char p1[1024], p2[1024];
        if (flurm_graph_path (g, first, p1, sizeof (p1)) < 0)
            flurm_graph_name (g, first, p1);
        if (flurm_graph_path (g, dup, p2, sizeof (p2)) < 0)
            flurm_graph_name (g, dup, p2);
        flurm_error_set (err, "uniq_id %" PRId64 " is used twice: %s and %s", g->v[dup].uniq_id, p1,
                         p2);
        flurm_graph_destroy (g);
        g = NULL;
        goto out;
    }
    build_lookups (g);
out:
    g_free (order);
    g_free (new_of);
    flurm_graph_builder_destroy (b);
    return g;
}

void flurm_graph_destroy (struct flurm_graph *g)
{
    if (!g)
        return;
    g_free (g->v);
    g_free (g->from_builder);
    atoms_free (&g->atoms);
    g_free (g->names);
    psets_free (&g->props);
    g_free (g->type_count);
    g_free (g->nodes);
    itab_free (&g->node_names);
    g_free (g->tracked_of_atom);
    g_free (g->total);
    g_free (g->free);
    g_free (g->taken);
    g_free (g);
}

/* ---- reading ----------------------------------------------------------- */

size_t flurm_graph_size (const struct flurm_graph *g)
{
    return g->n;
}

const struct flurm_vertex *flurm_graph_vertex (const struct flurm_graph *g, flurm_vid v)
{
    return v < g->n ? &g->v[v] : NULL;
}

flurm_vid flurm_graph_from_builder_index (const struct flurm_graph *g, int64_t index)
{
    if (index < 0 || (uint64_t)index >= g->n)
        return FLURM_VID_NONE;
    return g->from_builder[index];
}

flurm_atom flurm_graph_atom (const struct flurm_graph *g, const char *s)
{
    return atoms_find (&g->atoms, s);
}

const char *flurm_graph_atom_str (const struct flurm_graph *g, flurm_atom a)
{
    if (a >= g->atoms.n)
        return NULL;
    return g->atoms.buf + g->atoms.off[a];
}

const char *flurm_graph_name (const struct flurm_graph *g, flurm_vid v, char buf[FLURM_NAME_MAX])
{
    return vertex_name (&g->atoms, g->names, &g->v[v], buf);
}

int flurm_graph_path (const struct flurm_graph *g, flurm_vid v, char *buf, size_t size)
{
    char nb[FLURM_NAME_MAX];
    size_t len = 0;
    for (flurm_vid u = v; u != FLURM_VID_NONE; u = g->v[u].parent)
        len += 1 + strlen (flurm_graph_name (g, u, nb));
    if (len + 1 > size || len > INT32_MAX)
        return -1;
    size_t pos = len;
    buf[pos] = '\0';
    for (flurm_vid u = v; u != FLURM_VID_NONE; u = g->v[u].parent) {
        const char *name = flurm_graph_name (g, u, nb);
        size_t nl = strlen (name);
        pos -= nl;
        memcpy (buf + pos, name, nl);
        buf[--pos] = '/';
    }
    return (int)len;
}

size_t flurm_graph_nproperties (const struct flurm_graph *g, flurm_vid v)
{
    uint32_t s = g->v[v].props;
    return g->props.start[s + 1] - g->props.start[s];
}

void flurm_graph_property_at (const struct flurm_graph *g, flurm_vid v, size_t i, const char **key,
                              const char **value)
{
    uint32_t s = g->v[v].props;
    const uint32_t *p = g->props.pairs + 2 * ((size_t)g->props.start[s] + i);
    *key = flurm_graph_atom_str (g, p[0]);
    *value = flurm_graph_atom_str (g, p[1]);
}

const char *flurm_graph_property (const struct flurm_graph *g, flurm_vid v, const char *key)
{
    size_t n = flurm_graph_nproperties (g, v);
    for (size_t i = 0; i < n; i++) {
        const char *k, *val;
        flurm_graph_property_at (g, v, i, &k, &val);
        if (strcmp (k, key) == 0)
            return val;
    }
    return NULL;
}

/* ---- lookup ------------------------------------------------------------ */

flurm_vid flurm_graph_find_path (const struct flurm_graph *g, const char *path)
{
    if (!path || path[0] != '/' || g->n == 0)
        return FLURM_VID_NONE;
    const char *p = path + 1;
    flurm_vid cur = FLURM_VID_NONE;
    for (;;) {
        const char *slash = strchr (p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen (p);
        if (len == 0)
            return FLURM_VID_NONE;
        flurm_vid next = FLURM_VID_NONE;
        if (cur == FLURM_VID_NONE) {
            if (name_matches (g, 0, p, len))
                next = 0;
        } else {
            const struct flurm_vertex *c = &g->v[cur];
            /* A node directly below: the host name table answers in O(1)
             * (if the name is ambiguous, fall back to the scan). */
            if (g->nnodes > 0) {
                struct namekey k = {p, len};
                flurm_vid u = itab_find (&g->node_names, hash_bytes (p, len), node_name_eq, g, &k);
                if (u != ITAB_EMPTY && g->v[u].parent == cur)
                    next = u;
            }
            for (uint32_t i = 0; next == FLURM_VID_NONE && i < c->nchildren; i++)
                if (name_matches (g, c->first_child + i, p, len))
                    next = c->first_child + i;
        }
        if (next == FLURM_VID_NONE)
            return FLURM_VID_NONE;
        cur = next;
        if (!slash)
            return cur;
        p = slash + 1;
    }
}

flurm_vid flurm_graph_node_by_rank (const struct flurm_graph *g, int32_t rank)
{
    if (rank < 0)
        return FLURM_VID_NONE;
    /* nodes[] is sorted by (uint32)rank: binary search for the first */
    size_t lo = 0, hi = g->nnodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uint32_t)g->v[g->nodes[mid]].rank < (uint32_t)rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < g->nnodes && g->v[g->nodes[lo]].rank == rank)
        return g->nodes[lo];
    return FLURM_VID_NONE;
}

flurm_vid flurm_graph_node_by_name (const struct flurm_graph *g, const char *host)
{
    if (g->nnodes == 0 || !host)
        return FLURM_VID_NONE;
    struct namekey k = {host, strlen (host)};
    uint32_t u = itab_find (&g->node_names, hash_bytes (host, k.len), node_name_eq, g, &k);
    return u == ITAB_EMPTY ? FLURM_VID_NONE : u;
}

size_t flurm_graph_count_type (const struct flurm_graph *g, flurm_atom type)
{
    return type < g->ntype_count ? g->type_count[type] : 0;
}

size_t flurm_graph_nnodes (const struct flurm_graph *g)
{
    return g->nnodes;
}

flurm_vid flurm_graph_node_at (const struct flurm_graph *g, size_t i)
{
    return i < g->nnodes ? g->nodes[i] : FLURM_VID_NONE;
}

/* ---- pruning counts ---------------------------------------------------- */

size_t flurm_graph_ntracked (const struct flurm_graph *g)
{
    return g->ntracked;
}

flurm_atom flurm_graph_tracked_type (const struct flurm_graph *g, size_t t)
{
    return t < g->ntracked ? g->tracked[t] : FLURM_ATOM_NONE;
}

int flurm_graph_tracked_index (const struct flurm_graph *g, flurm_atom type)
{
    return type < g->atoms.n ? g->tracked_of_atom[type] : -1;
}

uint32_t flurm_graph_total (const struct flurm_graph *g, flurm_vid v, int t)
{
    return g->total[(size_t)v * g->ntracked + (size_t)t];
}

uint32_t flurm_graph_free (const struct flurm_graph *g, flurm_vid v, int t)
{
    return g->free[(size_t)v * g->ntracked + (size_t)t];
}

bool flurm_graph_is_taken (const struct flurm_graph *g, flurm_vid v)
{
    return (g->taken[v / 64] >> (v % 64)) & 1;
}

static void adjust_free (struct flurm_graph *g, flurm_vid v, bool take)
{
    int t = g->tracked_of_atom[g->v[v].type];
    if (t < 0)
        return;
    size_t T = g->ntracked;
    for (flurm_vid u = v; u != FLURM_VID_NONE; u = g->v[u].parent) {
        if (take)
            g->free[(size_t)u * T + (size_t)t]--;
        else
            g->free[(size_t)u * T + (size_t)t]++;
    }
}

void flurm_graph_take (struct flurm_graph *g, flurm_vid v)
{
    bool taken = flurm_graph_is_taken (g, v);
    assert (!taken && "flurm_graph_take: the vertex is already taken");
    if (taken)
        return;
    g->taken[v / 64] |= 1ull << (v % 64);
    adjust_free (g, v, true);
}

void flurm_graph_release (struct flurm_graph *g, flurm_vid v)
{
    bool taken = flurm_graph_is_taken (g, v);
    assert (taken && "flurm_graph_release: the vertex is already free");
    if (!taken)
        return;
    g->taken[v / 64] &= ~(1ull << (v % 64));
    adjust_free (g, v, false);
}

size_t flurm_graph_memory (const struct flurm_graph *g)
{
    size_t n = g->n;
    size_t bytes = sizeof (*g);
    bytes += n * sizeof (struct flurm_vertex);
    bytes += n * sizeof (uint32_t); /* from_builder */
    bytes += atoms_bytes (&g->atoms);
    bytes += g->names_cap;
    bytes += g->props.scap * sizeof (uint32_t) + g->props.pcap * sizeof (uint32_t) +
             itab_bytes (&g->props.tab);
    bytes += g->ntype_count * sizeof (uint32_t);
    bytes += g->nnodes * sizeof (flurm_vid) + itab_bytes (&g->node_names);
    bytes += g->atoms.n * sizeof (int8_t); /* tracked_of_atom */
    bytes += 2 * n * g->ntracked * sizeof (uint32_t);
    bytes += (n + 63) / 64 * sizeof (uint64_t);
    return bytes;
}
