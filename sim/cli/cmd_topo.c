/* sim/cli/cmd_topo.c — flurm-sim topo: generate a cluster graph.
 *
 *   flurm-sim topo (--hosts HOSTLIST | --nodes N [--prefix P])
 *                  [--sockets S] [--cores C] [--gpus G]
 *                  [--prop HOSTLIST:p1,p2]... [--cluster-name NAME]
 *                  [--format jgf|rv1] [--embed-jgf] [-o FILE]
 *
 * The defaults describe ARIS thin nodes: 2 sockets x 10 cores.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/graphfile.h"
#include "sim/topo.h"

#define NAME "topo"

/* "HOSTLIST:p1,p2" -> props (strings point into `names`, freed by caller). */
static bool parse_prop (const char *text, struct flurm_topo_props *p, char ***names, char **why)
{
    const char *colon = strchr (text, ':');
    if (!colon || colon == text || !colon[1]) {
        *why = g_strdup_printf ("--prop '%s': expected HOSTLIST:PROPERTY[,"
                                "PROPERTY...]",
                                FLURM_ESCAPED (text));
        return false;
    }
    char **list = g_strsplit (colon + 1, ",", -1);
    size_t n = g_strv_length (list);
    for (size_t i = 0; i < n; i++) {
        if (!list[i][0]) {
            *why = g_strdup_printf ("--prop '%s': empty property name", FLURM_ESCAPED (text));
            g_strfreev (list);
            return false;
        }
    }
    /* names[0] holds the host list, the rest the property names. */
    char **all = g_new0 (char *, n + 2);
    all[0] = g_strndup (text, (gsize)(colon - text));
    for (size_t i = 0; i < n; i++)
        all[i + 1] = list[i];
    g_free (list); /* the strings now belong to `all` */
    *names = all;
    p->hosts = all[0];
    p->names = (const char *const *)(all + 1);
    p->nnames = n;
    return true;
}

int cmd_topo (int argc, char **argv)
{
    char *hosts = NULL, *nodes = NULL, *prefix = NULL, *sockets = NULL, *cores = NULL, *gpus = NULL,
         *cluster = NULL, *format = NULL, *output = NULL;
    char **props = NULL;
    gboolean embed = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"hosts", 'H', 0, G_OPTION_ARG_STRING, &hosts,
         "Host names, as a hostlist (e.g. aris[0-15]); rank = position", "HOSTLIST"},
        {"nodes", 'n', 0, G_OPTION_ARG_STRING, &nodes,
         "Number of nodes, named PREFIX0, PREFIX1, ... (instead of --hosts)", "N"},
        {"prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
         "Host name prefix with --nodes (default: node)", "PREFIX"},
        {"sockets", 's', 0, G_OPTION_ARG_STRING, &sockets, "Sockets per node (default: 2)", "S"},
        {"cores", 'c', 0, G_OPTION_ARG_STRING, &cores, "Cores per socket (default: 10)", "C"},
        {"gpus", 'g', 0, G_OPTION_ARG_STRING, &gpus, "GPUs per socket (default: 0)", "G"},
        {"prop", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &props,
         "Give the hosts of HOSTLIST these properties (repeatable)", "HOSTLIST:P1,P2"},
        {"cluster-name", 0, 0, G_OPTION_ARG_STRING, &cluster,
         "Name of the cluster vertex (default: cluster0)", "NAME"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: jgf (default) or rv1",
         "FORMAT"},
        {"embed-jgf", 0, 0, G_OPTION_ARG_NONE, &embed,
         "With --format rv1: embed the JGF as R's \"scheduling\" key", NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write to FILE (atomically) instead of standard output", "FILE"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx =
        g_option_context_new ("- generate a cluster graph (JGF or R) like the ARIS generator");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx, "Exactly one of --hosts and --nodes is required.  The defaults give "
             "ARIS thin\nnodes: 2 sockets x 10 cores.  Core ids are node-local "
             "(0-19), as in Flux's R.\n\n"
             "Example:\n  flurm-sim topo --hosts 'aris[0-15]' --prop "
             "'aris[0-7]:normal' \\\n      --prop 'aris[8-15]:cosched' -o aris16.json\n");

    int rc = 2;
    char *why = NULL;
    char ***prop_names = NULL;
    struct flurm_topo_props *tprops = NULL;
    size_t nprops = 0;
    struct flurm_graph *g = NULL;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto out;
    rc = 2;
    if (argc > 1) {
        rc = cli_fail (NAME, 2, "unexpected argument '%s' (try 'flurm-sim " NAME " --help')",
                       FLURM_ESCAPED (argv[1]));
        goto out;
    }
    struct flurm_topo_spec spec = {
        .sockets = 2,
        .cores_per_socket = 10,
        .gpus_per_socket = 0,
        .prefix = prefix,
        .cluster_name = cluster,
    };
    if (!!hosts == !!nodes) {
        rc = cli_fail (NAME, 2, "give exactly one of --hosts HOSTLIST and --nodes N");
        goto out;
    }
    if (prefix && !nodes) {
        rc = cli_fail (NAME, 2, "--prefix applies only with --nodes");
        goto out;
    }
    if ((nodes && !cli_parse_count ("--nodes", nodes, UINT32_MAX, &spec.nnodes, &why)) ||
        (sockets && !cli_parse_count ("--sockets", sockets, UINT32_MAX, &spec.sockets, &why)) ||
        (cores && !cli_parse_count ("--cores", cores, UINT32_MAX, &spec.cores_per_socket, &why)) ||
        (gpus && !cli_parse_count ("--gpus", gpus, UINT32_MAX, &spec.gpus_per_socket, &why))) {
        rc = cli_fail (NAME, 2, "%s", why);
        goto out;
    }
    spec.hosts = hosts;
    enum flurm_graph_format fmt;
    if (!cli_parse_graph_format (format, embed, &fmt, &why)) {
        rc = cli_fail (NAME, 2, "%s", why);
        goto out;
    }
    nprops = props ? g_strv_length (props) : 0;
    tprops = g_new0 (struct flurm_topo_props, nprops ? nprops : 1);
    prop_names = g_new0 (char **, nprops ? nprops : 1);
    for (size_t i = 0; i < nprops; i++) {
        if (!parse_prop (props[i], &tprops[i], &prop_names[i], &why)) {
            rc = cli_fail (NAME, 2, "%s", why);
            goto out;
        }
    }
    spec.props = tprops;
    spec.nprops = nprops;

    flurm_error_t err = {{0}};
    g = flurm_topo_generate (&spec, &err);
    if (!g || flurm_graph_write_file (g, output ? output : "-", fmt, embed, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    rc = 0;
out:
    flurm_graph_destroy (g);
    for (size_t i = 0; prop_names && i < nprops; i++)
        g_strfreev (prop_names[i]);
    g_free (prop_names);
    g_free (tprops);
    g_free (why);
    g_free (hosts);
    g_free (nodes);
    g_free (prefix);
    g_free (sockets);
    g_free (cores);
    g_free (gpus);
    g_free (cluster);
    g_free (format);
    g_free (output);
    g_strfreev (props);
    g_option_context_free (ctx);
    return rc;
}
