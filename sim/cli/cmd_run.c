/* sim/cli/cmd_run.c — flurm-sim run: replay a workload and report.
 *
 *   flurm-sim [run] INPUT [-o DIR] [--queue-policy P] [--match-policy P]
 *                   [--seed N] [--queue-depth N] [--reservation-depth N]
 *                   [--load-factor F] [--nodes N]
 *                   [--swf] [--cores N] [--max-jobs N] [--check] [--quiet]
 *
 * INPUT is an SWF log (.swf, .swf.gz, or any file with --swf) or a trace
 * YAML.  Options override what the input says.  Writes DIR/jobs.csv,
 * DIR/summary.json and DIR/config.json (the resolved configuration), each
 * atomically, prints a short table, and draws a progress bar on stderr
 * when it is a terminal.  --load-factor and --nodes change the experiment
 * rather than the scheduler (offered load, machine size), so that a sweep
 * (flurm-sim sweep) can vary them on one input; config.json records both.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "policies/shape.h"
#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/engine.h"
#include "sim/jsonutil.h"
#include "sim/match.h"
#include "sim/metrics.h"
#include "sim/sweep.h"
#include "sim/swf.h"
#include "sim/swf_workload.h"
#include "sim/topo.h"
#include "sim/trace.h"

#define NAME "run"


static bool parse_u64 (const char *opt, const char *text, guint64 max, guint64 *out,
                       char **why)
{
    GError *error = NULL;
    if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, &error)) {
        *why = g_strdup_printf ("%s '%s': expected a whole number from 0 to %" G_GUINT64_FORMAT,
                                opt, text, max);
        g_error_free (error);
        return false;
    }
    return true;
}

static bool parse_load_factor (const char *text, double *out, char **why)
{
    char *end = NULL;
    double f = g_ascii_strtod (text, &end);
    if (end == text || *end || !(f >= FLURM_LOAD_FACTOR_MIN && f <= FLURM_LOAD_FACTOR_MAX)) {
        *why = g_strdup_printf ("--load-factor '%s': expected a number from %g to %g",
                                FLURM_ESCAPED (text), FLURM_LOAD_FACTOR_MIN,
                                FLURM_LOAD_FACTOR_MAX);
        return false;
    }
    *out = f;
    return true;
}

/* Offered load times f: the same jobs arriving f times as fast.  Only
 * submit times move; a repeat-until window stays, being the length of an
 * experiment rather than a gap between arrivals. */
static void scale_load (struct flurm_workload *w, double f)
{
    for (size_t i = 0; i < w->njobs; i++)
        w->jobs[i].submit /= f;
    flurm_workload_note (w, "submit times divided by %g (load factor)", f);
}

static bool is_swf_name (const char *path)
{
    return g_str_has_suffix (path, ".swf") || g_str_has_suffix (path, ".swf.gz");
}

/* The name of a run: the input's file name without its extensions. */
static char *input_stem (const char *path)
{
    char *base = g_path_get_basename (path);
    char *dot = strchr (base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return base;
}

/* SIGINT / SIGTERM: the engine stops after the events in hand, nothing is
 * written, and the error says how far it got. */
static volatile sig_atomic_t interrupted;

static void on_signal (int sig)
{
    (void)sig;
    interrupted = 1;
}

static void progress_bar (void *arg, double fraction)
{
    int width = 40, filled = (int)(fraction * width);
    fprintf (stderr, "\r[%.*s%*s] %3d%%", filled, "########################################",
             width - filled, "", (int)(fraction * 100));
    if (fraction >= 1.0)
        fputc ('\n', stderr);
}

/* Everything a run needs, from whichever input. */
struct setup {
    char *name;
    struct flurm_graph *graph;
    struct flurm_workload *w;
    struct flurm_trace *trace;   /* NULL for SWF */
    json_t *cluster;             /* for config.json */
};

static void setup_clear (struct setup *s)
{
    g_free (s->name);
    flurm_workload_destroy (s->w);
    if (s->trace)
        flurm_trace_destroy (s->trace);
    else
        flurm_graph_destroy (s->graph);
    json_decref (s->cluster);
}

static int setup_swf (struct setup *s, const char *path, guint64 cores, guint64 max_jobs,
                      guint64 nodes, flurm_error_t *err)
{
    struct flurm_swf *swf = flurm_swf_load_file (path, err);
    if (!swf)
        return -1;
    struct flurm_swf_machine mach;
    int rc = -1;
    if (flurm_swf_machine (swf, (int64_t)cores, &mach, err) < 0) {
        flurm_error_prefix (err, "%s", path);
        goto out;
    }
    /* --nodes keeps the nodes' size and changes their number */
    if (nodes && nodes * mach.cores_per_node > FLURM_SWF_MAX_CORES) {
        flurm_error_set (err, "%s: --nodes %ju: %ju nodes of %ju cores exceed the %u cores an "
                         "SWF machine may have", path, (uintmax_t)nodes, (uintmax_t)nodes,
                         (uintmax_t)mach.cores_per_node, FLURM_SWF_MAX_CORES);
        goto out;
    }
    if (nodes)
        mach.nodes = (uint32_t)nodes;
    s->graph = flurm_swf_machine_graph (&mach, err);
    if (!s->graph)
        goto out;
    s->w = flurm_swf_workload (swf, &mach, (size_t)max_jobs, err);
    if (!s->w) {
        flurm_error_prefix (err, "%s", path);
        goto out;
    }
    s->name = input_stem (path);
    s->cluster = json_pack ("{s:s, s:I, s:I, s:I, s:s}", "swf", path,
                            "nodes", (json_int_t)mach.nodes,
                            "cores_per_node", (json_int_t)mach.cores_per_node,
                            "sockets_per_node", (json_int_t)1,
                            "job_request", "slot[p]->core[1]");
    rc = 0;
out:
    flurm_swf_destroy (swf);
    return rc;
}

static int setup_trace (struct setup *s, const char *path, guint64 nodes, flurm_error_t *err)
{
    s->trace = flurm_trace_load_file_nodes (path, (uint32_t)nodes, err);
    if (!s->trace)
        return -1;
    s->graph = s->trace->graph;
    s->w = s->trace->workload;
    s->trace->workload = NULL; /* now ours */
    s->name = g_strdup (s->trace->name);
    s->cluster = json_deep_copy (s->trace->cluster_json);
    return 0;
}

/* A hand-written trace whose job can never be placed is a mistake in the
 * trace (too few nodes for a pair, a typo in ntasks), not a job to count
 * as rejected the way an SWF log's oversized jobs are: say which job. */
static int unplaceable_job (const struct setup *s, struct flurm_matcher *m, const char *input,
                            flurm_error_t *err)
{
    GHashTable *checked = g_hash_table_new (g_direct_hash, g_direct_equal);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < s->w->njobs; i++) {
        const struct flurm_wjob *wj = &s->w->jobs[i];
        if (!g_hash_table_add (checked, (gpointer)wj->js))
            continue; /* jobs of one shape share their jobspec */
        int ok = flurm_matcher_satisfiable (m, wj->js, err);
        if (ok < 0)
            rc = flurm_error_prefix (err, "%s: job '%s'", input, wj->name);
        else if (!ok)
            rc = flurm_error_set (err, "%s: job '%s' (%ju cores, %s) can never be placed on "
                                  "this cluster of %zu nodes", input, wj->name,
                                  (uintmax_t)wj->ncores, wj->alloc ? wj->alloc : "jobspec",
                                  flurm_graph_nnodes (s->graph));
    }
    g_hash_table_destroy (checked);
    return rc;
}

static json_t *config_json (const struct setup *s, const char *input, const char *format,
                            const char *match_policy, const struct flurm_engine *e,
                            const struct flurm_engine_config *cfg, guint64 seed)
{
    json_t *queues = json_array ();
    for (size_t i = 0; i < flurm_engine_nqueues (e); i++) {
        json_t *q = json_pack ("{s:s, s:s, s:I, s:I}", "name", flurm_engine_queue_name (e, i),
                               "queue-policy", flurm_engine_queue_policy (e, i), "queue-depth",
                               (json_int_t)flurm_engine_queue_depth (e, i), "reservation-depth",
                               (json_int_t)flurm_engine_reservation_depth (e, i));
        if (cfg->nqueues > i && cfg->queues[i].share)
            json_object_set_new (q, "share", json_true ());
        json_array_append_new (queues, q);
    }
    json_t *config = json_pack ("{s:s, s:s, s:s, s:s, s:I, s:O, s:{s:s, s:o}, s:I}",
                                "flurm_version", FLURM_VERSION, "name", s->name, "input", input,
                                "format", format, "seed", (json_int_t)seed, "cluster",
                                s->cluster, "scheduler", "match-policy", match_policy, "queues",
                                queues, "jobs", (json_int_t)s->w->njobs);
    const struct flurm_interference *model = flurm_engine_interference (e);
    if (model) {
        json_t *sched = json_object_get (config, "scheduler");
        json_object_set_new (sched, "pairing", json_string (cfg->pairing ? cfg->pairing : "fifo"));
        json_object_set_new (sched, "pairing-threshold",
                             json_real (cfg->pairing_threshold > 0
                                            ? cfg->pairing_threshold
                                            : FLURM_PAIRING_THRESHOLD_DEFAULT));
        json_object_set_new (sched, "max-per-socket",
                             json_integer (cfg->max_per_socket
                                               ? cfg->max_per_socket
                                               : FLURM_PAIRING_MAX_PER_SOCKET_DEFAULT));
        const struct flurm_app_profiles *p = flurm_engine_profiles (e);
        json_object_set_new (config, "interference",
                             json_pack ("{s:s, s:s?, s:s?}", "model",
                                        flurm_interference_kind_name (
                                            flurm_interference_kind (model)),
                                        "profiles", p ? p->source : NULL, "fit",
                                        p ? p->fit_path : NULL));
    }
    return config;
}

static void print_table (const struct flurm_metrics *mt, const char *dir)
{
    printf ("jobs        %ju ran (%ju timeout), %ju rejected, %ju unfinished\n",
            (uintmax_t)(mt->ncompleted + mt->ntimeout), (uintmax_t)mt->ntimeout,
            (uintmax_t)mt->nrejected, (uintmax_t)mt->nunfinished);
    printf ("makespan    %.1f s   utilisation %.4f   core-hours %.1f\n", mt->makespan,
            mt->utilisation, mt->core_hours);
    printf ("%-12s %14s %14s %14s %14s\n", "", "mean", "median", "p95", "max");
    const struct {
        const char *name;
        const struct flurm_stat *s;
    } rows[] = {{"wait", &mt->wait}, {"turnaround", &mt->turnaround},
                {"bsld", &mt->bsld}};
    for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
        printf ("%-12s %14.2f %14.2f %14.2f %14.2f\n", rows[i].name, rows[i].s->mean,
                rows[i].s->median, rows[i].s->p95, rows[i].s->max);
    printf ("outputs     %s/{jobs.csv,summary.json,config.json}\n", dir);
}

static int cmp_double (const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The co-scheduling table: per app, its compact runtime alone, the median
 * run time of its completed instances here (a median, as the measurements
 * are reported, so that a last instance running on alone past the end of
 * a loop does not weigh in), and the speedup; then node-hours against the
 * same jobs compact on whole nodes. */
static void print_cosched_table (const struct flurm_engine *e,
                                 const struct flurm_interference_metrics *im)
{
    const struct flurm_app_profiles *p = flurm_engine_profiles (e);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    if (!p)
        return;
    double *runs = g_new (double, n ? n : 1);
    printf ("%-14s %6s %14s %14s %9s\n", "app", "runs", "compact alone", "median here",
            "speedup");
    for (size_t a = 0; a < p->napps; a++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (jobs[i].app == (int32_t)a && jobs[i].state == FLURM_JOB_COMPLETED)
                runs[k++] = jobs[i].end - jobs[i].start;
        }
        if (k == 0)
            continue;
        qsort (runs, k, sizeof (double), cmp_double);
        double median = k % 2 ? runs[k / 2] : (runs[k / 2 - 1] + runs[k / 2]) / 2;
        printf ("%-14s %6zu %12.2f s %12.2f s %9.3f\n", p->apps[a].name, k, p->apps[a].runtime,
                median, p->apps[a].runtime / median);
    }
    g_free (runs);
    printf ("interference %s: mean slowdown %.3f, %.0f job-s co-located, %.0f job-s by fallback\n",
            flurm_interference_kind_name (flurm_interference_kind (flurm_engine_interference (e))),
            im->mean_slowdown, im->colocated_job_seconds, im->fallback_job_seconds);
    printf ("node-hours   %.2f used, %.2f if compact on whole nodes (%.1f%% saved)\n",
            im->busy_node_hours, im->exclusive_node_hours,
            im->exclusive_node_hours > 0
                ? 100 * (1 - im->busy_node_hours / im->exclusive_node_hours) : 0.0);
}

static int write_outputs (const char *dir, const struct setup *s, const struct flurm_engine *e,
                          const struct flurm_metrics *mt,
                          const struct flurm_interference_metrics *im, json_t *config,
                          flurm_error_t *err)
{
    if (g_mkdir_with_parents (dir, 0755) < 0)
        return flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
    char *jobs = g_build_filename (dir, "jobs.csv", NULL);
    char *summary = g_build_filename (dir, "summary.json", NULL);
    char *cfg = g_build_filename (dir, "config.json", NULL);
    json_t *sum = flurm_metrics_summary_json (s->name, mt, s->w, e);
    if (im)
        json_object_set_new (sum, "interference", flurm_metrics_interference_json (e, im));
    int rc = 0;
    if (flurm_metrics_write_jobs_csv (jobs, e, s->w, err) < 0
        || flurm_write_json (summary, sum, err) < 0 || flurm_write_json (cfg, config, err) < 0)
        rc = -1;
    json_decref (sum);
    g_free (jobs);
    g_free (summary);
    g_free (cfg);
    return rc;
}

int cmd_run (int argc, char **argv)
{
    char *output = NULL, *qpolicy = NULL, *mpolicy = NULL, *seed_s = NULL;
    char *qdepth_s = NULL, *rdepth_s = NULL, *cores_s = NULL, *maxjobs_s = NULL;
    char *interference_s = NULL, *pairing_s = NULL, *load_s = NULL, *nodes_s = NULL;
    gboolean quiet = FALSE, force_swf = FALSE, check = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Output folder (default: results/runs/NAME)", "DIR"},
        {"queue-policy", 0, 0, G_OPTION_ARG_STRING, &qpolicy,
         "fcfs, easy, hybrid or conservative (for every queue)", "P"},
        {"match-policy", 0, 0, G_OPTION_ARG_STRING, &mpolicy,
         "Fluxion match policy (default: the input's, else first)", "P"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed_s, "Random seed (default: the input's, else 0)",
         "N"},
        {"queue-depth", 0, 0, G_OPTION_ARG_STRING, &qdepth_s,
         "Pending jobs one pass considers (default 32)", "N"},
        {"reservation-depth", 0, 0, G_OPTION_ARG_STRING, &rdepth_s,
         "Reservations for hybrid (default 64)", "N"},
        {"interference", 0, 0, G_OPTION_ARG_STRING, &interference_s,
         "none, empirical or analytic (default: the trace's)", "M"},
        {"pairing", 0, 0, G_OPTION_ARG_STRING, &pairing_s,
         "fifo, best-pair, avoid-bad or easy-cosched (sharing queues)", "R"},
        {"load-factor", 0, 0, G_OPTION_ARG_STRING, &load_s,
         "Offered load times F: submit times divided by F (default 1)", "F"},
        {"nodes", 0, 0, G_OPTION_ARG_STRING, &nodes_s,
         "N nodes instead of the input's (a generated cluster or an SWF machine)", "N"},
        {"swf", 0, 0, G_OPTION_ARG_NONE, &force_swf, "Read INPUT as an SWF log", NULL},
        {"cores", 0, 0, G_OPTION_ARG_STRING, &cores_s,
         "SWF: cores of the machine (default: the header's)", "N"},
        {"max-jobs", 0, 0, G_OPTION_ARG_STRING, &maxjobs_s, "SWF: replay only the first N jobs",
         "N"},
        {"check", 0, 0, G_OPTION_ARG_NONE, &check,
         "Check the engine's invariants after every start (slower)", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No table, no progress bar", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("INPUT - replay a trace YAML or an SWF log");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int rc = 1;
    struct setup s = {0};
    struct flurm_matcher *m = NULL;
    struct flurm_engine *e = NULL;
    struct flurm_interference *model = NULL;
    json_t *config = NULL;
    char *dir = NULL;
    char *why = NULL;
    flurm_error_t err = {{0}};
    struct sigaction old_int, old_term;
    bool handlers = false;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    /* From here a signal is noted, and the engine stops on it: a large
     * input still loading runs into the stop at its first event. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset (&sa.sa_mask);
    sigaction (SIGINT, &sa, &old_int);
    sigaction (SIGTERM, &sa, &old_term);
    handlers = true;
    rc = 2;
    if (argc != 2) {
        rc = cli_fail (NAME, 2, "expected one INPUT (a trace YAML or an SWF log); try --help");
        goto done;
    }
    guint64 seed = 0, qdepth = 0, rdepth = 0, cores = 0, max_jobs = 0, nodes = 0;
    double load = 1;
    if ((seed_s && !parse_u64 ("--seed", seed_s, G_MAXUINT64, &seed, &why))
        || (qdepth_s
            && !parse_u64 ("--queue-depth", qdepth_s, FLURM_QUEUE_DEPTH_MAX, &qdepth, &why))
        || (rdepth_s
            && !parse_u64 ("--reservation-depth", rdepth_s, FLURM_RESERVATION_DEPTH_MAX, &rdepth,
                           &why))
        || (cores_s && !parse_u64 ("--cores", cores_s, FLURM_SWF_MAX_CORES, &cores, &why))
        || (maxjobs_s && !parse_u64 ("--max-jobs", maxjobs_s, G_MAXUINT32, &max_jobs, &why))
        || (nodes_s && !parse_u64 ("--nodes", nodes_s, FLURM_TOPO_MAX_NODES, &nodes, &why))
        || (load_s && !parse_load_factor (load_s, &load, &why))) {
        rc = cli_fail (NAME, 2, "%s", why);
        goto done;
    }
    if (nodes_s && nodes == 0) {
        rc = cli_fail (NAME, 2, "--nodes 0: a cluster needs at least one node");
        goto done;
    }
    if (qpolicy && !flurm_queue_policy_lookup (qpolicy, &err)) {
        rc = cli_fail (NAME, 2, "--queue-policy: %s", err.text);
        goto done;
    }
    const char *input = argv[1];
    bool swf = force_swf || is_swf_name (input);
    if ((swf ? setup_swf (&s, input, cores, max_jobs, nodes, &err)
             : setup_trace (&s, input, nodes, &err)) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (s.w->njobs == 0) {
        rc = cli_fail (NAME, 1, "%s: no job to run (%ju skipped)", input,
                   (uintmax_t)flurm_workload_nskipped (s.w));
        goto done;
    }
    if (load != 1)
        scale_load (s.w, load);
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    const char *match_policy = mpolicy ? mpolicy : "first";
    if (s.trace) {
        cfg = s.trace->engine;
        if (!mpolicy && s.trace->match_policy)
            match_policy = s.trace->match_policy;
        if (!seed_s)
            seed = s.trace->engine.seed;
    }
    if (qpolicy) {
        cfg.queue_policy = qpolicy;
        for (size_t i = 0; s.trace && i < s.trace->nqueues; i++)
            s.trace->queues[i].policy = NULL;
    }
    if (pairing_s) {
        if (!flurm_pairing_lookup (pairing_s, &err)) {
            rc = cli_fail (NAME, 2, "--pairing: %s", err.text);
            goto done;
        }
        cfg.pairing = pairing_s;
    }
    if (qdepth)
        cfg.queue_depth = (uint32_t)qdepth;
    if (rdepth)
        cfg.reservation_depth = (uint32_t)rdepth;
    cfg.seed = seed;
    if (check)
        cfg.check_invariants = true;
    if (!quiet && isatty (STDERR_FILENO)) {
        cfg.progress = progress_bar;
        cfg.progress_arg = NULL;
    }
    if (interference_s || (s.trace && (s.trace->profiles || s.trace->interference_given))) {
        enum flurm_interference_kind kind = s.trace ? s.trace->interference
                                                    : FLURM_INTERFERENCE_NONE;
        if (interference_s && flurm_interference_kind_parse (interference_s, &kind, &err) < 0) {
            rc = cli_fail (NAME, 2, "--interference: %s", err.text);
            goto done;
        }
        model = flurm_interference_create (kind, s.trace ? s.trace->profiles : NULL,
                                           s.trace ? s.trace->fit : NULL, &err);
        if (!model) {
            rc = cli_fail (NAME, 1, "%s: %s", input, err.text);
            goto done;
        }
        cfg.interference = model;
        cfg.profiles = s.trace ? s.trace->profiles : NULL;
    }
    m = flurm_matcher_create (s.graph, match_policy, NULL, &err);
    if (!m) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (s.trace && unplaceable_job (&s, m, input, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    cfg.stop = &interrupted;
    e = flurm_engine_create (m, s.w, &cfg, &err);
    if (!e || flurm_engine_run (e, &err) < 0) {
        if (interrupted && cfg.progress)
            fputc ('\n', stderr); /* off the progress bar's line */
        rc = cli_fail (NAME, 1, "%s: %s%s", input, err.text,
                       interrupted ? " (nothing written)" : "");
        goto done;
    }
    char *stem = input_stem (input);
    dir = output ? g_strdup (output) : g_build_filename ("results", "runs", stem, NULL);
    g_free (stem);
    size_t njobs;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &njobs);
    struct flurm_metrics mt;
    flurm_metrics_compute (jobs, njobs, flurm_engine_total_cores (e), &mt);
    struct flurm_interference_metrics im;
    if (model) {
        struct flurm_shape_geometry geo;
        flurm_error_t ignored;
        uint32_t per_node = flurm_shape_geometry (s.graph, &geo, &ignored) == 0
                                ? geo.cores_per_node : 0;
        flurm_metrics_interference (e, per_node, &im);
    }
    config = config_json (&s, input, swf ? "swf" : "trace", match_policy, e, &cfg, seed);
    if (load_s)
        json_object_set_new (config, "load-factor", flurm_json_number (load));
    if (write_outputs (dir, &s, e, &mt, model ? &im : NULL, config, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (!quiet) {
        if (model)
            print_cosched_table (e, &im);
        print_table (&mt, dir);
    }
    rc = 0;
done:
    if (handlers) {
        sigaction (SIGINT, &old_int, NULL);
        sigaction (SIGTERM, &old_term, NULL);
    }
    json_decref (config);
    flurm_engine_destroy (e);
    flurm_matcher_destroy (m);
    flurm_interference_destroy (model);
    g_free (interference_s);
    g_free (pairing_s);
    g_free (load_s);
    g_free (nodes_s);
    setup_clear (&s);
    g_free (dir);
    g_free (why);
    g_free (output);
    g_free (qpolicy);
    g_free (mpolicy);
    g_free (seed_s);
    g_free (qdepth_s);
    g_free (rdepth_s);
    g_free (cores_s);
    g_free (maxjobs_s);
    g_option_context_free (ctx);
    return rc;
}
