/* sim/cli/cmd_compare.c — flurm-sim compare: two runs side by side.
 *
 *   flurm-sim compare A B [--by auto|id|name|app] [--kind-a K] [--kind-b K]
 *                         [-o DIR] [--tolerance R] [--quiet]
 *
 * A and B are runs of any kind flurm_run_load() reads (a simulated run
 * folder, NPB logs, flux jobs --json, sacct, a measured pool, an OAR
 * gantt); B is the reference.  Prints how jobs were paired, the unpaired
 * ones, per-app and overall errors and the aggregates; -o writes
 * compare.csv and compare.json.  With --tolerance R the exit status says
 * whether every per-app runtime MAPE, the makespan and the mean wait are
 * within R (relative): 0 yes, 1 no (or unreadable input), 2 wrong usage.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/compare.h"
#include "sim/metrics.h"
#include "sim/run_load.h"

#define NAME "compare"
#define LIST_AT_MOST 10

static void list_unpaired (const char *which, const struct flurm_run *r, const size_t *idx,
                           size_t n)
{
    if (n == 0)
        return;
    printf ("unpaired in %s (%zu):", which, n);
    for (size_t i = 0; i < n && i < LIST_AT_MOST; i++)
        printf (" %s", r->jobs[idx[i]].id ? r->jobs[idx[i]].id : "?");
    printf ("%s\n", n > LIST_AT_MOST ? " ..." : "");
}

static void print_errors (const char *label, size_t pairs, const struct flurm_compare_errors *e)
{
    printf ("%-16s %6zu %12.3f %9.2f %12.3f %14.3f\n", label, pairs, e->runtime_mae,
            100 * e->runtime_mape, e->wait_mae, e->turnaround_mae);
}

static void print_report (const struct flurm_compare *c, const struct flurm_run *a,
                          const struct flurm_run *b)
{
    printf ("A %s (%s, %zu jobs)  B %s (%s, %zu jobs, the reference)\n", a->name, a->kind,
            a->njobs, b->name, b->kind, b->njobs);
    printf ("paired by %s: %zu pairs\n", flurm_compare_by_name (c->by), c->npairs);
    list_unpaired ("A", a, c->only_a, c->n_only_a);
    list_unpaired ("B", b, c->only_b, c->n_only_b);
    for (size_t i = 0; i < b->nnotes; i++)
        printf ("B: %s\n", b->notes[i]);
    for (size_t i = 0; i < a->nnotes; i++)
        printf ("A: %s\n", a->notes[i]);
    printf ("%-16s %6s %12s %9s %12s %14s\n", "app", "pairs", "runtime MAE", "MAPE %",
            "wait MAE", "turnaround MAE");
    for (size_t k = 0; k < c->napps; k++)
        print_errors (c->apps[k].app, c->apps[k].pairs, &c->apps[k].err);
    print_errors ("all", c->npairs, &c->all);
    printf ("makespan    A %.1f s  B %.1f s\n", c->makespan_a, c->makespan_b);
    printf ("mean wait   A %.1f s  B %.1f s\n", c->mean_wait_a, c->mean_wait_b);
}

static int write_outputs (const char *dir, const struct flurm_compare *c,
                          const struct flurm_run *a, const struct flurm_run *b,
                          flurm_error_t *err)
{
    if (g_mkdir_with_parents (dir, 0755) < 0)
        return flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
    char *csv = g_build_filename (dir, "compare.csv", NULL);
    char *json = g_build_filename (dir, "compare.json", NULL);
    json_t *o = flurm_compare_json (c, a, b);
    int rc = flurm_compare_write_csv (csv, c, a, b, err) < 0 || flurm_write_json (json, o, err) < 0
                 ? -1 : 0;
    json_decref (o);
    g_free (csv);
    g_free (json);
    return rc;
}

int cmd_compare (int argc, char **argv)
{
    char *by_s = NULL, *kind_a = NULL, *kind_b = NULL, *output = NULL, *tol_s = NULL;
    gboolean quiet = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"by", 0, 0, G_OPTION_ARG_STRING, &by_s, "Pair jobs by auto (default), id, name or app",
         "HOW"},
        {"kind-a", 0, 0, G_OPTION_ARG_STRING, &kind_a, "Kind of A (default: told by content)",
         "K"},
        {"kind-b", 0, 0, G_OPTION_ARG_STRING, &kind_b, "Kind of B (default: told by content)",
         "K"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write compare.csv and compare.json there", "DIR"},
        {"tolerance", 0, 0, G_OPTION_ARG_STRING, &tol_s,
         "Fail (exit 1) when a runtime MAPE, the makespan or the mean wait differ by more "
         "than R (relative, e.g. 0.05)", "R"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No report", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("A B - compare two runs (B the reference)");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    struct flurm_run *a = NULL, *b = NULL;
    struct flurm_compare *c = NULL;
    flurm_error_t err;
    int rc;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    if (argc != 3) {
        rc = cli_fail (NAME, 2, "expected two runs, A and B; try --help");
        goto done;
    }
    enum flurm_compare_by by = FLURM_COMPARE_AUTO;
    double tolerance = -1;
    if (by_s && flurm_compare_by_parse (by_s, &by, &err) < 0) {
        rc = cli_fail (NAME, 2, "--by: %s", err.text);
        goto done;
    }
    if (tol_s) {
        char *end;
        tolerance = g_ascii_strtod (tol_s, &end);
        if (*end || !(tolerance >= 0 && tolerance <= 1e6)) {
            rc = cli_fail (NAME, 2, "--tolerance '%s': expected a number >= 0", tol_s);
            goto done;
        }
    }
    if (!(a = flurm_run_load (argv[1], kind_a, &err)) || !(b = flurm_run_load (argv[2], kind_b, &err))
        || !(c = flurm_compare_runs (a, b, by, &err))
        || (output && write_outputs (output, c, a, b, &err) < 0)) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (!quiet)
        print_report (c, a, b);
    rc = 0;
    if (tolerance >= 0) {
        char *what;
        double worst = flurm_compare_worst (c, &what);
        if (worst > tolerance) {
            printf ("FAIL: %s, beyond the tolerance of %.1f %%\n", what, 100 * tolerance);
            rc = 1;
        }
        else {
            printf ("within the tolerance of %.1f %% (worst %.1f %%)\n", 100 * tolerance,
                    100 * worst);
        }
        g_free (what);
    }
done:
    flurm_compare_destroy (c);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
    g_free (by_s);
    g_free (kind_a);
    g_free (kind_b);
    g_free (output);
    g_free (tol_s);
    g_option_context_free (ctx);
    return rc;
}
