/* sim/cli/cmd_graph.c — flurm-sim graph: summarise or convert a graph file.
 *
 *   flurm-sim graph FILE [--cores-per-socket N] [--format jgf|rv1]
 *                   [--embed-jgf] [-o FILE]
 *
 * Without --format it prints a summary (one "key: value" line per item);
 * with --format it writes the graph in that format.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/graphfile.h"
#include "sim/hostlist.h"
#include "sim/idset.h"
#include "sim/outfile.h"

#define NAME       "graph"
#define MAX_SHAPES 4 /* node shapes listed before "... and N more" */

static const char *plural (size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* What a node holds: "2 sockets x 10 cores, 2 gpus", "20 cores". */
static char *node_shape (const struct flurm_graph *g, flurm_vid node, flurm_atom socket,
                         flurm_atom core, flurm_atom gpu)
{
    size_t nsock = 0, ncore = 0, ngpu = 0;
    size_t per_socket = 0; /* cores of the first socket */
    bool uniform = true;
    GArray *stack = g_array_new (FALSE, FALSE, sizeof (flurm_vid));
    const struct flurm_vertex *n = flurm_graph_vertex (g, node);
    for (uint32_t k = 0; k < n->nchildren; k++) {
        flurm_vid c = n->first_child + k;
        g_array_append_val (stack, c);
    }
    while (stack->len > 0) {
        flurm_vid v = g_array_index (stack, flurm_vid, stack->len - 1);
        g_array_set_size (stack, stack->len - 1);
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        if (x->type == socket) {
            nsock++;
            size_t c = 0;
            int t = flurm_graph_tracked_index (g, core);
            if (t >= 0)
                c = flurm_graph_total (g, v, t);
            if (nsock == 1)
                per_socket = c;
            else if (c != per_socket)
                uniform = false;
        } else if (x->type == core)
            ncore++;
        else if (x->type == gpu)
            ngpu++;
        for (uint32_t k = 0; k < x->nchildren; k++) {
            flurm_vid c = x->first_child + k;
            g_array_append_val (stack, c);
        }
    }
    g_array_free (stack, TRUE);
    GString *s = g_string_new (NULL);
    if (nsock > 0 && uniform && per_socket * nsock == ncore)
        g_string_append_printf (s, "%zu %s x %zu %s", nsock, plural (nsock, "socket", "sockets"),
                                per_socket, plural (per_socket, "core", "cores"));
    else if (nsock > 0)
        g_string_append_printf (s, "%zu %s, %zu %s", nsock, plural (nsock, "socket", "sockets"),
                                ncore, plural (ncore, "core", "cores"));
    else
        g_string_append_printf (s, "%zu %s", ncore, plural (ncore, "core", "cores"));
    if (ngpu > 0)
        g_string_append_printf (s, ", %zu %s", ngpu, plural (ngpu, "gpu", "gpus"));
    return g_string_free (s, FALSE);
}

/* Hosts listed under a key.  A JGF may name a node in a way no hostlist
 * can hold ("a,b"); such names are counted, never dropped silently. */
struct keyed {
    char *key;
    struct flurm_hostlist *hosts;
    size_t unlisted;
};

static void keyed_add_host (struct keyed *k, const char *name)
{
    if (flurm_hostlist_append_host (k->hosts, name, NULL) < 0)
        k->unlisted++;
}

/* The hostlist, plus how many names it could not hold. */
static char *keyed_hosts (const struct keyed *k)
{
    char *h = flurm_hostlist_encode (k->hosts);
    if (k->unlisted == 0)
        return h;
    char *all = g_strdup_printf ("%s%s+%zu %s no hostlist can hold", h, h[0] ? " " : "",
                                 k->unlisted, plural (k->unlisted, "name", "names"));
    g_free (h);
    return all;
}

/* Index of `key` in `list` (an array of struct keyed), appending it. */
static struct keyed *keyed_get (GArray *list, GHashTable *index, const char *key)
{
    gpointer found;
    if (g_hash_table_lookup_extended (index, key, NULL, &found))
        return &g_array_index (list, struct keyed, GPOINTER_TO_SIZE (found));
    struct keyed k = {g_strdup (key), flurm_hostlist_create (), 0};
    g_array_append_val (list, k);
    g_hash_table_insert (index, k.key, GSIZE_TO_POINTER (list->len - 1));
    return &g_array_index (list, struct keyed, list->len - 1);
}

static void keyed_free (GArray *list, GHashTable *index)
{
    for (guint i = 0; i < list->len; i++) {
        struct keyed *k = &g_array_index (list, struct keyed, i);
        g_free (k->key);
        flurm_hostlist_destroy (k->hosts);
    }
    g_array_free (list, TRUE);
    g_hash_table_destroy (index);
}

static void summary (FILE *out, const struct flurm_graph *g, const char *path,
                     enum flurm_graph_format format)
{
    size_t nv = flurm_graph_size (g);
    fprintf (out, "file: %s\n", path);
    fprintf (out, "format: %s\n", format == FLURM_GRAPH_FORMAT_JGF ? "jgf" : "rv1");
    fprintf (out, "vertices: %zu\n", nv);

    /* Counts per type, in order of first appearance (breadth-first). */
    GArray *types = g_array_new (FALSE, FALSE, sizeof (flurm_atom));
    for (flurm_vid v = 0; v < nv; v++) {
        flurm_atom t = flurm_graph_vertex (g, v)->type;
        bool seen = false;
        for (guint i = 0; i < types->len && !seen; i++)
            seen = g_array_index (types, flurm_atom, i) == t;
        if (!seen)
            g_array_append_val (types, t);
    }
    fprintf (out, "types:");
    for (guint i = 0; i < types->len; i++) {
        flurm_atom t = g_array_index (types, flurm_atom, i);
        fprintf (out, "%s %s %zu", i ? "," : "", flurm_graph_atom_str (g, t),
                 flurm_graph_count_type (g, t));
    }
    fprintf (out, "\n");
    g_array_free (types, TRUE);

    flurm_atom socket = flurm_graph_atom (g, "socket");
    flurm_atom core = flurm_graph_atom (g, "core");
    flurm_atom gpu = flurm_graph_atom (g, "gpu");
    size_t nnodes = flurm_graph_nnodes (g);
    struct keyed hosts = {NULL, flurm_hostlist_create (), 0};
    struct flurm_idset *ranks = flurm_idset_create ();
    size_t unranked = 0;
    GArray *shapes = g_array_new (FALSE, FALSE, sizeof (struct keyed));
    GHashTable *shape_index = g_hash_table_new (g_str_hash, g_str_equal);
    GArray *props = g_array_new (FALSE, FALSE, sizeof (struct keyed));
    GHashTable *prop_index = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t i = 0; i < nnodes; i++) {
        flurm_vid v = flurm_graph_node_at (g, i);
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        char buf[FLURM_NAME_MAX];
        const char *name = flurm_graph_name (g, v, buf);
        keyed_add_host (&hosts, name);
        if (x->rank >= 0)
            flurm_idset_add (ranks, (uint32_t)x->rank, NULL);
        else
            unranked++;
        char *shape = node_shape (g, v, socket, core, gpu);
        keyed_add_host (keyed_get (shapes, shape_index, shape), name);
        g_free (shape);
        for (size_t p = 0; p < flurm_graph_nproperties (g, v); p++) {
            const char *key, *value;
            flurm_graph_property_at (g, v, p, &key, &value);
            char *k = value && value[0] ? g_strdup_printf ("%s=%s", key, value) : g_strdup (key);
            keyed_add_host (keyed_get (props, prop_index, k), name);
            g_free (k);
        }
    }
    char *h = keyed_hosts (&hosts);
    fprintf (out, "nodes: %zu%s%s\n", nnodes, nnodes ? " " : "", h);
    g_free (h);
    char *rk = flurm_idset_encode (ranks);
    if (unranked)
        fprintf (out, "ranks: %s (%zu %s without a rank)\n", rk, unranked,
                 plural (unranked, "node", "nodes"));
    else
        fprintf (out, "ranks: %s\n", rk);
    g_free (rk);

    fprintf (out, "per node:");
    if (shapes->len == 0)
        fprintf (out, " -");
    else if (shapes->len == 1)
        fprintf (out, " %s", g_array_index (shapes, struct keyed, 0).key);
    for (guint i = 0; shapes->len > 1 && i < shapes->len && i < MAX_SHAPES; i++) {
        struct keyed *k = &g_array_index (shapes, struct keyed, i);
        char *hl = keyed_hosts (k);
        fprintf (out, "%s %s (%s)", i ? ";" : "", k->key, hl);
        g_free (hl);
    }
    if (shapes->len > MAX_SHAPES)
        fprintf (out, "; ... and %u more shapes", shapes->len - MAX_SHAPES);
    fprintf (out, "\n");
    fprintf (out, "sockets: %zu\n", flurm_graph_count_type (g, socket));
    fprintf (out, "cores: %zu\n", flurm_graph_count_type (g, core));
    fprintf (out, "gpus: %zu\n", flurm_graph_count_type (g, gpu));

    fprintf (out, "properties:");
    if (props->len == 0)
        fprintf (out, " none");
    for (guint i = 0; i < props->len; i++) {
        struct keyed *k = &g_array_index (props, struct keyed, i);
        char *hl = keyed_hosts (k);
        fprintf (out, "%s %s: %s", i ? ";" : "", k->key, hl);
        g_free (hl);
    }
    fprintf (out, "\n");
    size_t mem = flurm_graph_memory (g);
    fprintf (out, "memory: %zu bytes (%.1f bytes/vertex)\n", mem,
             nv ? (double)mem / (double)nv : 0.0);

    keyed_free (shapes, shape_index);
    keyed_free (props, prop_index);
    flurm_hostlist_destroy (hosts.hosts);
    flurm_idset_destroy (ranks);
}

int cmd_graph (int argc, char **argv)
{
    char *cps_text = NULL, *format = NULL, *output = NULL;
    gboolean embed = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"cores-per-socket", 'c', 0, G_OPTION_ARG_STRING, &cps_text,
         "For an R without sockets: group each node's cores into sockets of "
         "N (0 = no sockets, the default)",
         "N"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &format,
         "Convert: write the graph as jgf or rv1 instead of a summary", "FORMAT"},
        {"embed-jgf", 0, 0, G_OPTION_ARG_NONE, &embed,
         "With --format rv1: embed the JGF as R's \"scheduling\" key", NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write to FILE (atomically) instead of standard output", "FILE"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("FILE - summarise a JGF or R file, or convert it");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx, "The format of FILE is told from its content: a JSON object with a "
             "\"graph\" key\nis JGF, one with \"version\" and \"execution\" is an "
             "R (whose \"scheduling\" JGF\nis used when present).\n\n"
             "Examples:\n  flurm-sim graph aris4.json\n"
             "  flurm-sim graph R.json --cores-per-socket 10 --format jgf -o "
             "aris.json\n");

    int rc = 2;
    char *why = NULL;
    struct flurm_graph *g = NULL;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto out;
    rc = 2;
    if (argc != 2) {
        rc = cli_fail (NAME, 2, "%s (try 'flurm-sim " NAME " --help')",
                       argc < 2 ? "missing FILE argument" : "only one FILE argument is allowed");
        goto out;
    }
    uint32_t cps = 0;
    enum flurm_graph_format fmt;
    if ((cps_text && !cli_parse_count ("--cores-per-socket", cps_text, UINT32_MAX, &cps, &why)) ||
        !cli_parse_graph_format (format, embed, &fmt, &why)) {
        rc = cli_fail (NAME, 2, "%s", why);
        goto out;
    }
    const char *path = argv[1];
    flurm_error_t err = {{0}};
    enum flurm_graph_format read_as;
    g = flurm_graph_load_file (path, cps, &read_as, &err);
    if (!g) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    if (format) {
        if (flurm_graph_write_file (g, output ? output : "-", fmt, embed, &err) < 0) {
            rc = cli_fail (NAME, 1, "%s", err.text);
            goto out;
        }
        rc = 0;
        goto out;
    }
    struct flurm_outfile *out = flurm_outfile_open (output ? output : "-", &err);
    if (!out) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    summary (flurm_outfile_stream (out), g, path, read_as);
    if (flurm_outfile_commit (out, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    rc = 0;
out:
    flurm_graph_destroy (g);
    g_free (why);
    g_free (cps_text);
    g_free (format);
    g_free (output);
    g_option_context_free (ctx);
    return rc;
}
