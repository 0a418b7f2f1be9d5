/* sim/cli/cmd_live.c — flurm-sim live: replay a trace on a real Flux
 * instance (sim/live.h) and write what a simulation writes.
 *
 *   flurm-sim live TRACE [-o DIR] [--decide flux|flurm] [--time-scale F]
 *                  [--exec] [--start N] [--flux PROGRAM] [--max-running N]
 *                  [--pairing R] [--seed N] [--compare] [-v] [--quiet]
 *
 * Talks to the instance FLUX_URI names (inside `flux start` or a Flux
 * allocation).  --start N instead starts a private N-broker test instance
 * shaped like the trace's cluster (sim/flux_conf.h) and runs this same
 * command inside it.
 *
 * Writes DIR/jobs.csv and DIR/summary.json as `run` does (summary.json
 * with a "live" block), DIR/config.json, DIR/live-jobs.csv and
 * DIR/flux-jobs.json; with --compare also DIR/sim (the simulation of the
 * same trace) and DIR/compare (`compare DIR DIR/sim`).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "policies/pairing.h"
#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "policies/shape.h"
#include "sim/engine.h"
#include "sim/flux_cli.h"
#include "sim/flux_conf.h"
#include "sim/hostlist.h"
#include "sim/live.h"
#include "sim/match.h"
#include "sim/metrics.h"
#include "sim/rv1.h"
#include "sim/trace.h"

#define NAME "live"
#define MAX_BROKERS 4096

static volatile sig_atomic_t interrupted;

static void on_signal (int sig)
{
    (void)sig;
    if (interrupted < 2)
        interrupted++;
}

static void log_line (void *arg, const char *line)
{
    (void)arg;
    fprintf (stderr, "flurm-sim live: %s\n", line);
}

/* The cluster's hosts as a hostlist, in rank order. */
static char *cluster_hosts (const struct flurm_graph *g)
{
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    char buf[FLURM_NAME_MAX];
    for (size_t i = 0; i < flurm_graph_nnodes (g); i++)
        (void)flurm_hostlist_append_host (hl, flurm_graph_name (g, flurm_graph_node_at (g, i), buf),
                                          NULL);
    char *s = flurm_hostlist_encode (hl);
    flurm_hostlist_destroy (hl);
    return s;
}

/* --start N: write the instance's configuration from the trace and run
 * this command, without --start, inside `flux start`. */
static int start_instance (const struct flurm_trace *t, guint32 nbrokers, const char *flux,
                           const char *dir, int argc, char **argv)
{
    if (nbrokers != flurm_graph_nnodes (t->graph))
        return cli_fail (NAME, 2,
                         "--start %u: the trace's cluster has %zu nodes, and each needs its own "
                         "broker (use --start %zu, or a smaller cluster)",
                         nbrokers, flurm_graph_nnodes (t->graph), flurm_graph_nnodes (t->graph));
    char *confdir = g_build_filename (dir, "flux-conf", NULL);
    struct flurm_flux_queue *queues = g_new0 (struct flurm_flux_queue, t->nqueues + 1);
    for (size_t i = 0; i < t->nqueues; i++) {
        queues[i].name = t->queues[i].name;
        queues[i].policy = t->queues[i].policy;
        queues[i].queue_depth = t->queues[i].queue_depth;
        queues[i].reservation_depth = t->queues[i].reservation_depth;
    }
    struct flurm_flux_conf c = {
        .graph = t->graph,
        .match_policy = t->match_policy,
        .queue_policy = t->engine.queue_policy,
        .queue_depth = t->engine.queue_depth,
        .reservation_depth = t->engine.reservation_depth,
        .queues = queues,
        .nqueues = t->nqueues,
    };
    flurm_error_t err;
    char *hosts = NULL;
    int rc;
    if (flurm_flux_conf_write (&c, confdir, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto out;
    }
    hosts = cluster_hosts (t->graph);
    GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (args, g_strdup (flux ? flux : "flux"));
    g_ptr_array_add (args, g_strdup ("start"));
    g_ptr_array_add (args, g_strdup_printf ("--test-size=%u", nbrokers));
    g_ptr_array_add (args, g_strdup_printf ("--test-hosts=%s", hosts));
    g_ptr_array_add (args, g_strdup ("-c"));
    g_ptr_array_add (args, g_strdup (confdir));
    g_ptr_array_add (args, g_file_read_link ("/proc/self/exe", NULL));
    g_ptr_array_add (args, g_strdup (NAME));
    g_ptr_array_add (args, g_strdup ("--started-instance"));
    for (int i = 1; i < argc; i++) {
        if (!strcmp (argv[i], "--start")) {
            i++; /* and its value */
            continue;
        }
        if (g_str_has_prefix (argv[i], "--start="))
            continue;
        g_ptr_array_add (args, g_strdup (argv[i]));
    }
    g_ptr_array_add (args, NULL);
    GError *gerr = NULL;
    int status = 0;
    /* The instance inherits the terminal, so Ctrl-C reaches the replay
     * inside it, which cancels its jobs and writes its outputs. */
    if (!g_spawn_sync (NULL, (char **)args->pdata, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL,
                       NULL, &status, &gerr)) {
        rc = cli_fail (NAME, 1, "cannot start Flux: %s", gerr->message);
        g_error_free (gerr);
    } else {
        rc = WIFEXITED (status) ? WEXITSTATUS (status) : 1;
    }
    g_ptr_array_free (args, TRUE);
out:
    g_free (hosts);
    g_free (queues);
    g_free (confdir);
    return rc;
}

/* --cluster-from-flux: the nodes the instance schedules (`flux resource
 * R`: its hosts, cores and properties, without excluded nodes), with the
 * trace's sockets, since R cannot describe them.  The trace's jobs were
 * shaped for its own nodes, so the nodes must be alike. */
static struct flurm_graph *instance_graph (const char *flux, const struct flurm_graph *trace_g,
                                           flurm_error_t *err)
{
    struct flurm_shape_geometry want, got;
    if (flurm_shape_geometry (trace_g, &want, err) < 0)
        return NULL;
    struct flurm_flux *f = flurm_flux_create (flux, 1);
    const char *args[] = {"resource", "R", NULL};
    char *out = NULL;
    struct flurm_graph *g = NULL;
    struct flurm_rv1 *r = NULL;
    json_t *R = NULL;
    if (flurm_flux_run (f, args, NULL, &out, err) < 0)
        goto out;
    json_error_t jerr;
    if (!(R = json_loads (out, 0, &jerr))) {
        flurm_error_set (err, "flux resource R: not JSON: %s", jerr.text);
        goto out;
    }
    if (!(r = flurm_rv1_parse (R, "flux resource R", err)))
        goto out;
    g = flurm_rv1_to_graph (r, want.cores_per_socket, "flux resource R", err);
    if (g && (flurm_shape_geometry (g, &got, err) < 0 || got.cores_per_node != want.cores_per_node
              || got.sockets_per_node != want.sockets_per_node)) {
        if (got.cores_per_node != want.cores_per_node)
            flurm_error_set (err, "the instance's nodes have %u cores, the trace's %u: its jobs "
                             "were shaped for other nodes", got.cores_per_node,
                             want.cores_per_node);
        flurm_graph_destroy (g);
        g = NULL;
    }
out:
    json_decref (R);
    flurm_rv1_destroy (r);
    g_free (out);
    flurm_flux_destroy (f);
    return g;
}

static json_t *config_json (const struct flurm_trace *t, const char *input,
                            const struct flurm_live_options *o, const char *match_policy,
                            const struct flurm_engine *e, guint64 seed)
{
    json_t *queues = json_array ();
    for (size_t i = 0; i < flurm_engine_nqueues (e); i++)
        json_array_append_new (queues, json_pack ("{s:s, s:s}", "name",
                                                  flurm_engine_queue_name (e, i),
                                                  "queue-policy",
                                                  flurm_engine_queue_policy (e, i)));
    return json_pack ("{s:s, s:s, s:s, s:s, s:I, s:O, s:{s:s, s:o}, s:{s:s, s:f, s:s}}",
                      "flurm_version", FLURM_VERSION, "name", t->name, "input", input, "format",
                      "live", "seed", (json_int_t)seed, "cluster", t->cluster_json, "scheduler",
                      "match-policy", match_policy, "queues", queues, "live", "decide",
                      flurm_live_decide_name (o->decide), "time-scale", o->time_scale,
                      "execution", o->exec ? "commands" : "test");
}

static int write_outputs (const char *dir, const struct flurm_trace *t,
                          const struct flurm_workload *w, struct flurm_live *l, json_t *config,
                          struct flurm_metrics *mt, flurm_error_t *err)
{
    if (g_mkdir_with_parents (dir, 0755) < 0)
        return flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
    const struct flurm_engine *e = flurm_live_engine (l);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    flurm_metrics_compute (jobs, n, flurm_engine_total_cores (e), mt);
    char *jobs_csv = g_build_filename (dir, "jobs.csv", NULL);
    char *summary = g_build_filename (dir, "summary.json", NULL);
    char *cfg = g_build_filename (dir, "config.json", NULL);
    json_t *sum = flurm_metrics_summary_json (t->name, mt, w, e);
    json_object_set_new (sum, "live", flurm_live_summary_json (l));
    int rc = 0;
    if (flurm_metrics_write_jobs_csv (jobs_csv, e, w, err) < 0
        || flurm_write_json (summary, sum, err) < 0 || flurm_write_json (cfg, config, err) < 0
        || flurm_live_write (l, dir, err) < 0)
        rc = -1;
    json_decref (sum);
    g_free (jobs_csv);
    g_free (summary);
    g_free (cfg);
    return rc;
}

static void print_table (const struct flurm_metrics *mt, struct flurm_live *l,
                         const struct flurm_live_options *o, const char *dir)
{
    struct flurm_live_stats st;
    flurm_live_stats (l, &st);
    printf ("flux        %s, %s decided, time scale %g, %s execution\n",
            flurm_live_flux_version (l) ? flurm_live_flux_version (l) : "?",
            flurm_live_decide_name (o->decide), o->time_scale, o->exec ? "real" : "test");
    printf ("submitted   %zu jobs in %.2f s (%.1f jobs/s), %zu refused; wall %.1f s\n",
            st.submitted, st.submit_seconds,
            st.submit_seconds > 0 ? (double)st.submitted / st.submit_seconds : 0.0,
            st.submit_errors, st.wall_seconds);
    printf ("jobs        %ju completed, %ju failed, %ju cancelled, %ju timeout, %ju rejected, "
            "%ju unfinished\n",
            (uintmax_t)mt->ncompleted, (uintmax_t)mt->nfailed, (uintmax_t)mt->ncancelled,
            (uintmax_t)mt->ntimeout, (uintmax_t)mt->nrejected, (uintmax_t)mt->nunfinished);
    if (o->decide == FLURM_LIVE_DECIDE_FLURM)
        printf ("plan        %zu granted as planned, %zu on other cores, %zu on other hosts\n",
                st.plan_same, st.plan_cores_differ, st.plan_hosts_differ);
    printf ("makespan    %.1f s   mean wait %.2f s   mean turnaround %.2f s\n", mt->makespan,
            mt->wait.mean, mt->turnaround.mean);
    printf ("outputs     %s/{jobs.csv,summary.json,config.json,live-jobs.csv,flux-jobs.json}\n",
            dir);
}

/* --compare: simulate the same trace into DIR/sim and compare. */
static int simulate_and_compare (const char *input, const char *dir, const char *pairing,
                                 const char *seed)
{
    char *sim = g_build_filename (dir, "sim", NULL);
    char *cmp = g_build_filename (dir, "compare", NULL);
    char *run_argv[] = {"run", (char *)input, "-o", sim, "--quiet", NULL, NULL, NULL, NULL,
                        NULL};
    int k = 5;
    if (pairing) {
        run_argv[k++] = "--pairing";
        run_argv[k++] = (char *)pairing;
    }
    if (seed) {
        run_argv[k++] = "--seed";
        run_argv[k++] = (char *)seed;
    }
    int rc = cmd_run (k, run_argv);
    if (rc == 0) {
        char *cmp_argv[] = {"compare", (char *)dir, sim, "--by", "id", "-o", cmp, NULL};
        printf ("compared with the simulation of the same trace (%s):\n", sim);
        fflush (stdout);
        rc = cmd_compare (7, cmp_argv);
    }
    g_free (sim);
    g_free (cmp);
    return rc;
}

int cmd_live (int argc, char **argv)
{
    char *output = NULL, *decide_s = NULL, *scale_s = NULL, *start_s = NULL, *flux = NULL;
    char *maxrun_s = NULL, *pairing_s = NULL, *seed_s = NULL;
    gboolean exec = FALSE, compare = FALSE, verbose = FALSE, quiet = FALSE, help = FALSE;
    gboolean started = FALSE, from_flux = FALSE, no_agent = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Output folder (default: results/live/NAME)", "DIR"},
        {"decide", 0, 0, G_OPTION_ARG_STRING, &decide_s,
         "Who decides: flux (Fluxion schedules, default) or flurm (Flurm's engine does)", "WHO"},
        {"time-scale", 0, 0, G_OPTION_ARG_STRING, &scale_s,
         "Wall seconds per trace second (default 1; 0: submit all at once, 1 ms jobs)", "F"},
        {"exec", 0, 0, G_OPTION_ARG_NONE, &exec,
         "Run the trace's commands (default: Flux's test execution, nothing runs)", NULL},
        {"start", 0, 0, G_OPTION_ARG_STRING, &start_s,
         "Start a private N-broker instance shaped like the trace's cluster", "N"},
        {"flux", 0, 0, G_OPTION_ARG_FILENAME, &flux, "The flux command (default: flux on PATH)",
         "PROGRAM"},
        {"max-running", 0, 0, G_OPTION_ARG_STRING, &maxrun_s,
         "flux commands run at once (default 8)", "N"},
        {"no-agent", 0, 0, G_OPTION_ARG_NONE, &no_agent,
         "A flux command per submission and record, no flux python agent (slower)", NULL},
        {"pairing", 0, 0, G_OPTION_ARG_STRING, &pairing_s,
         "--decide flurm: pairing rule for sharing queues", "R"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed_s, "Random seed (default: the trace's)", "N"},
        {"cluster-from-flux", 0, 0, G_OPTION_ARG_NONE, &from_flux,
         "Schedule on the instance's nodes (flux resource R) instead of the trace's cluster, "
         "e.g. under Slurm", NULL},
        {"compare", 0, 0, G_OPTION_ARG_NONE, &compare,
         "Also simulate the trace and compare the two (DIR/sim, DIR/compare)", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "A line per job as it ends", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No table", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        /* how --start runs us inside the instance it started */
        {"started-instance", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &started, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("TRACE - replay a trace on a live Flux instance");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_set_description (
        ctx, "Runs inside a Flux instance (FLUX_URI), or starts one with --start N.\n"
             "Writes what `flurm-sim run` writes, plus live-jobs.csv (Flux's record of each\n"
             "job) and flux-jobs.json.  Ctrl-C stops submitting, cancels the jobs still\n"
             "in Flux and writes what ran.\n\n"
             "Example:\n"
             "  flurm-sim live traces/live/aris2-small.yaml --start 2 --time-scale 0.1 \\\n"
             "      --decide flurm -o results/live/small --compare");
    g_option_context_add_main_entries (ctx, entries, NULL);
    char **saved = g_strdupv (argv); /* --start re-runs us with these */
    int rc;
    struct flurm_trace *t = NULL;
    struct flurm_workload *w = NULL;
    struct flurm_matcher *m = NULL;
    struct flurm_graph *flux_graph = NULL;
    struct flurm_live *l = NULL;
    struct flurm_interference *model = NULL;
    json_t *config = NULL;
    char *dir = NULL, *why = NULL;
    flurm_error_t err = {{0}};
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    if (argc != 2) {
        rc = cli_fail (NAME, 2, "expected one TRACE (a trace YAML); try --help");
        goto done;
    }
    struct flurm_live_options o = {.decide = FLURM_LIVE_DECIDE_FLUX, .time_scale = 1.0,
                                   .exec = exec, .flux_program = flux,
                                   .interrupted = &interrupted, .start_queues = started,
                                   .no_agent = no_agent};
    o.log = verbose ? log_line : NULL;
    uint32_t max_running = 0, nbrokers = 0;
    guint64 seed = 0;
    if (decide_s && flurm_live_decide_parse (decide_s, &o.decide, &err) < 0) {
        rc = cli_fail (NAME, 2, "--decide: %s", err.text);
        goto done;
    }
    if (scale_s) {
        char *end = NULL;
        o.time_scale = g_ascii_strtod (scale_s, &end);
        if (end == scale_s || *end || !(o.time_scale >= 0) || o.time_scale > 1e6) {
            rc = cli_fail (NAME, 2, "--time-scale '%s': expected a number from 0 to 1e6",
                           scale_s);
            goto done;
        }
    }
    if ((maxrun_s && !cli_parse_count ("--max-running", maxrun_s, 256, &max_running, &why))
        || (start_s && !cli_parse_count ("--start", start_s, MAX_BROKERS, &nbrokers, &why))) {
        rc = cli_fail (NAME, 2, "%s", why);
        goto done;
    }
    if ((maxrun_s && max_running == 0) || (start_s && nbrokers == 0)) {
        rc = cli_fail (NAME, 2, "%s must be at least 1", start_s ? "--start" : "--max-running");
        goto done;
    }
    o.max_running = max_running;
    if (seed_s) {
        GError *gerr = NULL;
        if (!g_ascii_string_to_unsigned (seed_s, 10, 0, G_MAXUINT64, &seed, &gerr)) {
            g_error_free (gerr);
            rc = cli_fail (NAME, 2, "--seed '%s': expected a whole number", seed_s);
            goto done;
        }
    }
    if (pairing_s && !flurm_pairing_lookup (pairing_s, &err)) {
        rc = cli_fail (NAME, 2, "--pairing: %s", err.text);
        goto done;
    }
    const char *input = argv[1];
    t = flurm_trace_load_file (input, &err);
    if (!t) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    dir = output ? g_strdup (output) : g_build_filename ("results", "live", t->name, NULL);
    if (start_s) {
        rc = start_instance (t, nbrokers, flux, dir, g_strv_length (saved), saved);
        goto done;
    }
    w = t->workload;
    t->workload = NULL;
    if (o.time_scale == 0) {
        /* as fast as possible: everything is due at once */
        for (size_t i = 0; i < w->njobs; i++)
            w->jobs[i].submit = 0;
    }
    struct flurm_engine_config cfg = t->engine;
    if (seed_s)
        cfg.seed = seed;
    if (pairing_s)
        cfg.pairing = pairing_s;
    if (t->profiles || t->interference_given) {
        model = flurm_interference_create (t->interference, t->profiles, t->fit, &err);
        if (!model) {
            rc = cli_fail (NAME, 1, "%s: %s", input, err.text);
            goto done;
        }
        cfg.interference = model;
        cfg.profiles = t->profiles;
    }
    const char *match_policy = t->match_policy ? t->match_policy : "first";
    if (from_flux && !(flux_graph = instance_graph (flux, t->graph, &err))) {
        rc = cli_fail (NAME, 1, "--cluster-from-flux: %s", err.text);
        goto done;
    }
    m = flurm_matcher_create (flux_graph ? flux_graph : t->graph, match_policy, NULL, &err);
    if (!m) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    l = flurm_live_create (m, w, &cfg, &o, &err);
    if (!l || flurm_live_connect (l, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset (&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction (SIGINT, &sa, &old_int);
    /* a flux process that dies must not take the replay with it when its
     * input pipe is written: the write then fails, and is handled */
    signal (SIGPIPE, SIG_IGN);
    sigaction (SIGTERM, &sa, &old_term);
    int run_rc = flurm_live_run (l, &err);
    sigaction (SIGINT, &old_int, NULL);
    sigaction (SIGTERM, &old_term, NULL);
    if (run_rc < 0) {
        rc = cli_fail (NAME, 1, "%s: %s", input, err.text);
        goto done;
    }
    config = config_json (t, input, &o, match_policy, flurm_live_engine (l), cfg.seed);
    struct flurm_metrics mt;
    if (write_outputs (dir, t, w, l, config, &mt, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (!quiet)
        print_table (&mt, l, &o, dir);
    rc = 0;
    if (flurm_live_aborted (l)) {
        rc = cli_fail (NAME, 1, "stopped early: %s (outputs of what ran are in %s)",
                       flurm_live_aborted (l), dir);
    } else if (interrupted) {
        rc = cli_fail (NAME, 1, "interrupted: outputs of what ran are in %s", dir);
    } else if (compare) {
        rc = simulate_and_compare (input, dir, pairing_s, seed_s);
    }
done:
    json_decref (config);
    flurm_live_destroy (l);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (flux_graph);
    flurm_interference_destroy (model);
    flurm_workload_destroy (w);
    if (t)
        flurm_trace_destroy (t);
    g_strfreev (saved);
    g_free (dir);
    g_free (why);
    g_free (output);
    g_free (decide_s);
    g_free (scale_s);
    g_free (start_s);
    g_free (flux);
    g_free (maxrun_s);
    g_free (pairing_s);
    g_free (seed_s);
    g_option_context_free (ctx);
    return rc;
}
