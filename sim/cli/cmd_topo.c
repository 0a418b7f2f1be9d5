/* sim/cli/cmd_topo.c — flurm-sim topo: generate a cluster graph, or a
 * Flux config folder for it.
 *
 *   flurm-sim topo (--hosts HOSTLIST | --nodes N [--prefix P])
 *                  [--sockets S] [--cores C] [--gpus G]
 *                  [--prop HOSTLIST:p1,p2]... [--cluster-name NAME]
 *                  ( [--format jgf|rv1] [--embed-jgf] [-o FILE]
 *                  | --flux-config DIR [--match-policy P] [--queue-policy P]
 *                    [--queue-depth N] [--reservation-depth N]
 *                    [--queue NAME[:POLICY[:PROP,...]]]... [--control-node] )
 *
 * The defaults describe ARIS thin nodes: 2 sockets x 10 cores.  The
 * scheduler options only mean something in a Flux configuration, so they
 * are refused without --flux-config, as the file options are with it.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/flux_conf.h"
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

/* The strings a --queue option was split into, owned here. */
struct queue_arg {
    char **fields; /* NAME, POLICY, PROPERTIES */
    char **props;  /* PROPERTIES split at commas, or NULL */
};

/* "NAME[:POLICY[:PROP,PROP]]" -> q, an empty POLICY meaning the default
 * one.  q's strings point into *a; the unit checks the names and the
 * policy, this only the syntax. */
static bool parse_queue (const char *text, struct flurm_flux_queue *q, struct queue_arg *a,
                         char **why)
{
    a->fields = g_strsplit (text, ":", -1);
    guint n = g_strv_length (a->fields);
    if (n > 3) {
        *why = g_strdup_printf ("--queue '%s': expected NAME[:POLICY[:PROPERTY,...]]",
                                FLURM_ESCAPED (text));
        return false;
    }
    q->name = a->fields[0] ? a->fields[0] : "";
    q->policy = n > 1 && a->fields[1][0] ? a->fields[1] : NULL;
    if (n > 2) {
        a->props = g_strsplit (a->fields[2], ",", -1);
        bool empty = !a->props[0];
        for (size_t i = 0; a->props[i]; i++)
            empty |= !a->props[i][0];
        if (empty) {
            *why = g_strdup_printf ("--queue '%s': empty property name", FLURM_ESCAPED (text));
            return false;
        }
        q->properties = (const char *const *)a->props;
        q->nproperties = g_strv_length (a->props);
    }
    return true;
}

/* The options of --flux-config, as given. */
struct flux_opts {
    char *dir, *match_policy, *queue_policy, *queue_depth, *reservation_depth;
    char **queues;
    gboolean control_node;
};

static bool flux_opts_given (const struct flux_opts *o)
{
    return o->match_policy || o->queue_policy || o->queue_depth || o->reservation_depth ||
           o->queues || o->control_node;
}

/* A depth option: a whole number, at least 1 (the unit checks the upper
 * limit, which is Fluxion's). */
static int parse_depth (const char *option, const char *text, uint32_t *out)
{
    char *why = NULL;
    if (!text)
        return 0;
    if (!cli_parse_count (option, text, UINT32_MAX, out, &why)) {
        int rc = cli_fail (NAME, 2, "%s", why);
        g_free (why);
        return rc;
    }
    if (*out == 0)
        return cli_fail (NAME, 1, "%s must be at least 1", option);
    return 0;
}

/* Write the Flux config folder for g; returns the exit status. */
static int write_flux_config (const struct flurm_graph *g, const struct flux_opts *o)
{
    struct flurm_flux_conf conf = {
        .graph = g,
        .match_policy = o->match_policy,
        .queue_policy = o->queue_policy,
    };
    int rc;
    if ((rc = parse_depth ("--queue-depth", o->queue_depth, &conf.queue_depth)) ||
        (rc = parse_depth ("--reservation-depth", o->reservation_depth, &conf.reservation_depth)))
        return rc;
    size_t nqueues = o->queues ? g_strv_length (o->queues) : 0;
    struct flurm_flux_queue *queues = g_new0 (struct flurm_flux_queue, nqueues ? nqueues : 1);
    struct queue_arg *args = g_new0 (struct queue_arg, nqueues ? nqueues : 1);
    char *why = NULL;
    for (size_t i = 0; i < nqueues; i++) {
        if (!parse_queue (o->queues[i], &queues[i], &args[i], &why)) {
            rc = cli_fail (NAME, 2, "%s", why);
            goto out;
        }
    }
    conf.queues = queues;
    conf.nqueues = nqueues;
    char first[FLURM_NAME_MAX];
    if (o->control_node) {
        /* As the ARIS template does: the first host runs the instance's
         * leader broker and no jobs. */
        if (flurm_graph_nnodes (g) < 2) {
            rc = cli_fail (NAME, 1,
                           "--control-node needs at least 2 hosts: the first is "
                           "withheld, the others run the jobs");
            goto out;
        }
        conf.exclude = flurm_graph_name (g, flurm_graph_node_at (g, 0), first);
    }
    flurm_error_t err = {{0}};
    rc = flurm_flux_conf_write (&conf, o->dir, &err) < 0 ? cli_fail (NAME, 1, "%s", err.text) : 0;
out:
    for (size_t i = 0; i < nqueues; i++) {
        g_strfreev (args[i].fields);
        g_strfreev (args[i].props);
    }
    g_free (args);
    g_free (queues);
    g_free (why);
    return rc;
}

int cmd_topo (int argc, char **argv)
{
    char *hosts = NULL, *nodes = NULL, *prefix = NULL, *sockets = NULL, *cores = NULL, *gpus = NULL,
         *cluster = NULL, *format = NULL, *output = NULL;
    char **props = NULL;
    gboolean embed = FALSE, help = FALSE;
    struct flux_opts fo = {0};
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
        {"flux-config", 0, 0, G_OPTION_ARG_FILENAME, &fo.dir,
         "Instead: write a Flux config folder (R.json, jgf.json, flux.toml) for "
         "'flux start -c DIR'",
         "DIR"},
        {"match-policy", 0, 0, G_OPTION_ARG_STRING, &fo.match_policy,
         "With --flux-config: Fluxion's match policy (default: first)", "POLICY"},
        {"queue-policy", 0, 0, G_OPTION_ARG_STRING, &fo.queue_policy,
         "With --flux-config: fcfs (default), easy, hybrid or conservative", "POLICY"},
        {"queue-depth", 0, 0, G_OPTION_ARG_STRING, &fo.queue_depth,
         "With --flux-config: pending jobs considered per pass (Fluxion's default: 32)", "N"},
        {"reservation-depth", 0, 0, G_OPTION_ARG_STRING, &fo.reservation_depth,
         "With --flux-config: reservations of hybrid (Fluxion's default: 64)", "N"},
        {"queue", 'q', 0, G_OPTION_ARG_STRING_ARRAY, &fo.queues,
         "With --flux-config: a named queue, its policy and the node properties it "
         "requires (repeatable; the first is the default queue)",
         "NAME[:POLICY[:P1,P2]]"},
        {"control-node", 0, 0, G_OPTION_ARG_NONE, &fo.control_node,
         "With --flux-config: withhold the first host from scheduling", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new (
        "- generate a cluster graph (JGF or R) like the ARIS generator, or a Flux config");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx, "Exactly one of --hosts and --nodes is required.  The defaults give "
             "ARIS thin\nnodes: 2 sockets x 10 cores.  Core ids are node-local "
             "(0-19), as in Flux's R.\n\n"
             "With --flux-config, the folder makes 'flux start -c DIR' run on exactly "
             "this\ncluster, sockets included, with Fluxion set up as the options say.  "
             "Policy\nnames are checked against Fluxion 0.54's own.\n\n"
             "Examples:\n  flurm-sim topo --hosts 'aris[0-15]' --prop "
             "'aris[0-7]:normal' \\\n      --prop 'aris[8-15]:cosched' -o aris16.json\n"
             "  flurm-sim topo --hosts \"$SLURM_NODELIST\" --control-node "
             "--match-policy lonode \\\n      --queue-policy easy --flux-config conf.d\n"
             "  flurm-sim topo --hosts 'aris[0-15]' --prop 'aris[0-7]:normal' "
             "\\\n      --prop 'aris[8-15]:cosched' --queue normal:easy:normal \\\n"
             "      --queue cosched:fcfs:cosched --flux-config conf.d\n");

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
    if (fo.dir && (format || embed || output)) {
        rc = cli_fail (NAME, 2,
                       "--flux-config writes a folder: --format, --embed-jgf and "
                       "--output do not apply");
        goto out;
    }
    if (!fo.dir && flux_opts_given (&fo)) {
        rc = cli_fail (NAME, 2,
                       "--match-policy, --queue-policy, --queue-depth, "
                       "--reservation-depth, --queue and --control-node apply only "
                       "with --flux-config");
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
    if (!(g = flurm_topo_generate (&spec, &err))) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    if (fo.dir)
        rc = write_flux_config (g, &fo);
    else if (flurm_graph_write_file (g, output ? output : "-", fmt, embed, &err) < 0)
        rc = cli_fail (NAME, 1, "%s", err.text);
    else
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
    g_free (fo.dir);
    g_free (fo.match_policy);
    g_free (fo.queue_policy);
    g_free (fo.queue_depth);
    g_free (fo.reservation_depth);
    g_strfreev (fo.queues);
    g_option_context_free (ctx);
    return rc;
}
