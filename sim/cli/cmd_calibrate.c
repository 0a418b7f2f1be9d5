/* sim/cli/cmd_calibrate.c — flurm-sim calibrate: fit the analytic
 * interference model to the measured pairs of a profile file.
 *
 *   flurm-sim calibrate PROFILES.yaml [-o FIT.yaml] [--no-loo] [--quiet]
 *
 * Prints the error of the fit overall and per app, with the
 * leave-one-pair-out error unless --no-loo (it refits once per measured
 * pair: seconds rather than a blink), and writes the fit file with -o
 * ("-" writes it on standard output instead of the table).  The table
 * shows how long the fit took; the fit file never does, so that the same
 * profiles always give the same bytes.  Exit 0 done, 1 unreadable profiles
 * or unwritable output, 2 wrong usage.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/calibrate.h"
#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"

/* A fraction as a percentage, or "-" when there is none. */
static const char *percent (char *buf, size_t size, double v)
{
    if (isnan (v)) /* no pairs, or no leave-one-out */
        return "-";
    snprintf (buf, size, "%.2f%%", 100 * v);
    return buf;
}

static void print_table (const struct flurm_calibration *c, double seconds)
{
    char b1[32], b2[32], b3[32];
    printf ("%s: %zu apps, %zu measured pairs; fit %s after %zu iterations (%.1f s)\n",
            c->profiles, c->napps, c->observations,
            c->converged ? "converged" : "stopped at the iteration limit", c->iterations,
            seconds);
    printf ("fit: RMSE %.4f (speedup units), MAPE %s\n", c->rmse,
            percent (b1, sizeof (b1), c->mape));
    if (c->loo)
        printf ("leave one pair out: %zu pairs refitted; error median %s, p90 %s\n",
                c->loo_pairs, percent (b1, sizeof (b1), c->loo_median),
                percent (b2, sizeof (b2), c->loo_p90));
    else
        printf ("leave one pair out: not run (--no-loo)\n");
    int width = 3;
    for (size_t a = 0; a < c->napps; a++)
        width = MAX (width, (int)strlen (c->apps[a].name));
    printf ("\n%-*s  %6s  %6s  %5s  %7s  %7s  %7s\n", width, "app", "m", "d", "pairs", "MAPE",
            "LOO med", "LOO p90");
    for (size_t a = 0; a < c->napps; a++) {
        const struct flurm_calibrate_app *ca = &c->apps[a];
        printf ("%-*s  %6.4f  %6.4f  %5zu  %7s  %7s  %7s\n", width, ca->name,
                ca->params.memory_share, ca->params.demand, ca->observations,
                percent (b1, sizeof (b1), ca->mape), percent (b2, sizeof (b2), ca->loo_median),
                percent (b3, sizeof (b3), ca->loo_p90));
    }
}

int cmd_calibrate (int argc, char **argv)
{
    char *output = NULL;
    gboolean no_loo = FALSE, quiet = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write the fit file here ('-': standard output)", "FIT.yaml"},
        {"no-loo", 0, 0, G_OPTION_ARG_NONE, &no_loo,
         "Skip the leave-one-pair-out error (one refit per measured pair)", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print no table", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("PROFILES.yaml - fit the analytic interference "
                                                "model to measured co-run speedups");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int rc;
    if ((rc = cli_parse_options ("calibrate", ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    if (argc != 2) {
        cli_fail ("calibrate", 2, "expected PROFILES.yaml; try --help");
        goto done;
    }
    rc = 1;
    flurm_error_t err;
    struct flurm_app_profiles *p = flurm_app_profiles_load (argv[1], &err);
    if (!p) {
        cli_fail ("calibrate", 1, "%s", err.text);
        goto done;
    }
    gint64 start = g_get_monotonic_time ();
    struct flurm_calibration *c = flurm_calibrate (p, !no_loo, &err);
    double seconds = (g_get_monotonic_time () - start) / 1e6;
    if (!c)
        cli_fail ("calibrate", 1, "%s", err.text);
    else if (output && flurm_calibration_write (c, output, &err) < 0)
        cli_fail ("calibrate", 1, "%s", err.text);
    else {
        if (!quiet && !(output && strcmp (output, "-") == 0))
            print_table (c, seconds);
        rc = 0;
    }
    flurm_calibration_destroy (c);
    flurm_app_profiles_destroy (p);
done:
    g_free (output);
    g_option_context_free (ctx);
    return rc;
}
