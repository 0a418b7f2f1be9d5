/* sim/topo.c — generate a regular cluster graph: see topo.h. */
#include "sim/topo.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/names.h"

/* A node name must be both a vertex name and a host a nodelist can hold
 * (R is written from the graph). */
static const char *node_name_problem (const char *name)
{
    const char *problem = flurm_name_host_problem (name);
    return problem ? problem : flurm_name_vertex_problem (name);
}

struct gen {
    struct flurm_graph_builder *b;
    int64_t next;
    flurm_error_t *err;
};

static int64_t vertex (struct gen *c, int64_t parent, const char *type, const char *basename,
                       const char *name, int64_t id, int32_t rank, GPtrArray *props)
{
    const char **values = NULL;
    size_t nprops = props ? props->len : 0;
    if (nprops) {
        values = g_new (const char *, nprops);
        for (size_t i = 0; i < nprops; i++)
            values[i] = "";
    }
    struct flurm_vertex_spec spec = {
        .type = type,
        .basename = basename,
        .name = name,
        .id = id,
        .uniq_id = c->next++,
        .rank = rank,
        .size = 1,
        .status = FLURM_STATUS_UP,
        .nprops = nprops,
        .prop_keys = nprops ? (const char *const *)props->pdata : NULL,
        .prop_values = values,
    };
    int64_t v = flurm_graph_builder_add_vertex (c->b, &spec, c->err);
    g_free (values);
    if (v >= 0 && parent >= 0 && flurm_graph_builder_add_edge (c->b, parent, v, c->err) < 0)
        return -1;
    return v;
}

static void free_props (GPtrArray **props, size_t n)
{
    if (!props)
        return;
    for (size_t i = 0; i < n; i++) {
        if (props[i])
            g_ptr_array_free (props[i], TRUE);
    }
    g_free (props);
}

struct prop_walk {
    GHashTable *index; /* host name -> node index */
    GPtrArray **props;
    const struct flurm_topo_props *tp;
    flurm_error_t *err;
};

/* Give the host the properties of w->tp it does not have yet. */
static int give_properties (const char *host, size_t index, void *arg)
{
    struct prop_walk *w = arg;
    gpointer found;
    if (!g_hash_table_lookup_extended (w->index, host, NULL, &found))
        return flurm_error_set (w->err, "property %s: host %s is not one of the cluster's hosts",
                                w->tp->names[0], FLURM_QUOTED (host));
    size_t i = GPOINTER_TO_SIZE (found);
    if (!w->props[i])
        w->props[i] = g_ptr_array_new ();
    for (size_t k = 0; k < w->tp->nnames; k++) {
        bool have = false;
        for (guint j = 0; j < w->props[i]->len && !have; j++)
            have = strcmp (w->props[i]->pdata[j], w->tp->names[k]) == 0;
        if (!have)
            g_ptr_array_add (w->props[i], (gpointer)w->tp->names[k]);
    }
    return 0;
}

/* Per-node property names (NULL where none), in the order given. */
static GPtrArray **node_properties (const struct flurm_topo_spec *spec, char **names, size_t n,
                                    flurm_error_t *err)
{
    GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t i = 0; i < n; i++)
        g_hash_table_insert (index, names[i], GSIZE_TO_POINTER (i));
    GPtrArray **props = g_new0 (GPtrArray *, n);
    for (size_t p = 0; p < spec->nprops; p++) {
        const struct flurm_topo_props *tp = &spec->props[p];
        if (tp->nnames == 0) {
            flurm_error_set (err, "properties for '%s': no property names",
                             FLURM_ESCAPED (tp->hosts ? tp->hosts : ""));
            goto error;
        }
        for (size_t k = 0; k < tp->nnames; k++) {
            const char *problem = flurm_name_property_problem (tp->names[k]);
            if (problem) {
                flurm_error_set (err, "property name %s %s", FLURM_QUOTED (tp->names[k]), problem);
                goto error;
            }
        }
        flurm_error_t e = {{0}};
        struct flurm_hostlist *hl = flurm_hostlist_decode (tp->hosts ? tp->hosts : "", &e);
        if (!hl) {
            flurm_error_set (err, "hosts of property %s: %s", FLURM_QUOTED (tp->names[0]), e.text);
            goto error;
        }
        if (flurm_hostlist_count (hl) == 0) {
            flurm_hostlist_destroy (hl);
            flurm_error_set (err, "property %s: the host list is empty", tp->names[0]);
            goto error;
        }
        struct prop_walk w = {index, props, tp, err};
        int rc = flurm_hostlist_foreach (hl, give_properties, &w);
        flurm_hostlist_destroy (hl);
        if (rc != 0)
            goto error;
    }
    g_hash_table_destroy (index);
    return props;
error:
    g_hash_table_destroy (index);
    free_props (props, n);
    return NULL;
}

/* The number of nodes, checked against the limits; *hl receives the
 * decoded --hosts list (NULL with --nodes). */
static int node_count (const struct flurm_topo_spec *spec, struct flurm_hostlist **hl, size_t *n,
                       flurm_error_t *err)
{
    *hl = NULL;
    if (spec->hosts) {
        flurm_error_t e = {{0}};
        if (!(*hl = flurm_hostlist_decode (spec->hosts, &e)))
            return flurm_error_set (err, "hosts: %s", e.text);
        size_t count = flurm_hostlist_count (*hl);
        if (count == 0 || count > FLURM_TOPO_MAX_NODES) {
            flurm_hostlist_destroy (*hl);
            *hl = NULL;
            if (count == 0)
                return flurm_error_set (err, "hosts: the host list is empty");
            return flurm_error_set (err,
                                    "hosts: %zu hosts is more than the "
                                    "limit of %u nodes",
                                    count, FLURM_TOPO_MAX_NODES);
        }
        *n = count;
        return 0;
    }
    if (spec->nnodes == 0)
        return flurm_error_set (err, "the number of nodes must be at least 1");
    if (spec->nnodes > FLURM_TOPO_MAX_NODES)
        return flurm_error_set (err, "%u nodes is more than the limit of %u", spec->nnodes,
                                FLURM_TOPO_MAX_NODES);
    *n = spec->nnodes;
    return 0;
}

struct host_walk {
    char **names;
    GHashTable *seen;
    flurm_error_t *err;
};

static int take_host (const char *host, size_t index, void *arg)
{
    struct host_walk *w = arg;
    const char *problem = node_name_problem (host);
    if (problem)
        return flurm_error_set (w->err, "hosts: host %zu (%s) %s", index, FLURM_QUOTED (host),
                                problem);
    if (g_hash_table_contains (w->seen, host))
        return flurm_error_set (w->err, "hosts: host %s is listed twice", FLURM_QUOTED (host));
    w->names[index] = g_strdup (host);
    g_hash_table_add (w->seen, w->names[index]);
    return 0;
}

/* Host names of the cluster, in rank order (g_strfreev). */
static char **host_names (const struct flurm_topo_spec *spec, const struct flurm_hostlist *hl,
                          size_t n, flurm_error_t *err)
{
    char **names = g_new0 (char *, n + 1);
    if (hl) {
        struct host_walk w = {names, g_hash_table_new (g_str_hash, g_str_equal), err};
        int rc = flurm_hostlist_foreach (hl, take_host, &w);
        g_hash_table_destroy (w.seen);
        if (rc != 0) {
            g_strfreev (names);
            return NULL;
        }
        return names;
    }
    const char *prefix = spec->prefix ? spec->prefix : "node";
    for (size_t i = 0; i < n; i++)
        names[i] = g_strdup_printf ("%s%zu", prefix, i);
    /* the last name is the longest */
    const char *problem = node_name_problem (names[n - 1]);
    if (problem) {
        flurm_error_set (err, "node name prefix %s: the name %s %s", FLURM_QUOTED (prefix),
                         names[n - 1], problem);
        g_strfreev (names);
        return NULL;
    }
    return names;
}

struct flurm_graph *flurm_topo_generate (const struct flurm_topo_spec *spec, flurm_error_t *err)
{
    uint64_t S = spec->sockets, C = spec->cores_per_socket, G = spec->gpus_per_socket;
    if (S == 0) {
        flurm_error_set (err, "sockets per node must be at least 1");
        return NULL;
    }
    if (C == 0) {
        flurm_error_set (err, "cores per socket must be at least 1");
        return NULL;
    }
    if (S * (C + G) > FLURM_TOPO_MAX_PER_NODE) {
        flurm_error_set (err,
                         "%llu sockets x (%llu cores + %llu gpus) = %llu "
                         "vertices per node is more than the limit of %u",
                         (unsigned long long)S, (unsigned long long)C, (unsigned long long)G,
                         (unsigned long long)(S * (C + G)), FLURM_TOPO_MAX_PER_NODE);
        return NULL;
    }
    const char *cluster = spec->cluster_name ? spec->cluster_name : "cluster0";
    const char *problem = flurm_name_vertex_problem (cluster);
    if (problem) {
        flurm_error_set (err, "cluster name %s %s", FLURM_QUOTED (cluster), problem);
        return NULL;
    }
    size_t n = 0;
    struct flurm_hostlist *hl;
    if (node_count (spec, &hl, &n, err) < 0)
        return NULL;
    uint64_t per_node = 1 + S + S * (C + G);
    uint64_t total = 1 + (uint64_t)n * per_node;
    if (total > FLURM_GRAPH_MAX_VERTICES) {
        flurm_error_set (err,
                         "%zu nodes of %llu vertices each make %llu "
                         "vertices, more than the graph limit of %u",
                         n, (unsigned long long)per_node, (unsigned long long)total,
                         FLURM_GRAPH_MAX_VERTICES);
        flurm_hostlist_destroy (hl);
        return NULL;
    }
    char **names = host_names (spec, hl, n, err);
    flurm_hostlist_destroy (hl);
    if (!names)
        return NULL;
    GPtrArray **props = NULL;
    if (spec->nprops > 0 && !(props = node_properties (spec, names, n, err))) {
        g_strfreev (names);
        return NULL;
    }

    struct gen c = {flurm_graph_builder_new ((size_t)total), 0, err};
    struct flurm_graph *g = NULL;
    char *cbase;
    int64_t cid;
    flurm_name_split_host (cluster, &cbase, &cid);
    if (cid < 0)
        cid = 0; /* as the ARIS generator names "cluster" */
    int64_t root = vertex (&c, -1, "cluster", cbase, cluster, cid, -1, NULL);
    g_free (cbase);
    if (root < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        char *base;
        int64_t id;
        flurm_name_split_host (names[i], &base, &id); /* R's rule: -1 without digits */
        int32_t rank = (int32_t)i;
        int64_t node = vertex (&c, root, "node", base, names[i], id, rank, props ? props[i] : NULL);
        g_free (base);
        if (node < 0)
            goto out;
        for (uint64_t s = 0; s < S; s++) {
            int64_t sock = vertex (&c, node, "socket", "socket", NULL, (int64_t)s, rank, NULL);
            if (sock < 0)
                goto out;
            for (uint64_t k = 0; k < C; k++) {
                if (vertex (&c, sock, "core", "core", NULL, (int64_t)(s * C + k), rank, NULL) < 0)
                    goto out;
            }
            for (uint64_t k = 0; k < G; k++) {
                if (vertex (&c, sock, "gpu", "gpu", NULL, (int64_t)(s * G + k), rank, NULL) < 0)
                    goto out;
            }
        }
    }
    g = flurm_graph_builder_finish (c.b, err);
    c.b = NULL;
out:
    flurm_graph_builder_destroy (c.b);
    free_props (props, n);
    g_strfreev (names);
    return g;
}
