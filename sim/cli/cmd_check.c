/* sim/cli/cmd_check.c — flurm-sim check: does a run agree with the
 * expected outputs?
 *
 *   flurm-sim check RUN_DIR EXPECTED_DIR [--tolerance S] [--rel-tolerance R]
 *
 * Exit 0 when they agree, 1 when they differ (each difference on stdout)
 * or a file cannot be read, 2 on wrong usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/runcompare.h"

static bool parse_tolerance (const char *opt, const char *text, double *out)
{
    char *end;
    double v = g_ascii_strtod (text, &end);
    if (!*text || *end || !(v >= 0) || v > 1e12) {
        fprintf (stderr, "flurm-sim check: %s '%s': expected a number >= 0\n", opt, text);
        return false;
    }
    *out = v;
    return true;
}

int cmd_check (int argc, char **argv)
{
    char *tol = NULL, *rel = NULL;
    gboolean help = FALSE;
    GOptionEntry entries[] = {
        {"tolerance", 't', 0, G_OPTION_ARG_STRING, &tol,
         "Seconds job times may differ by (default 0)", "S"},
        {"rel-tolerance", 0, 0, G_OPTION_ARG_STRING, &rel,
         "Relative difference allowed in summary figures (default 0)", "R"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("RUN_DIR EXPECTED_DIR - compare two runs");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int rc = 2;
    struct flurm_runcompare_options opts = {0};
    if ((rc = cli_parse_options ("check", ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    if (argc != 3) {
        fprintf (stderr, "flurm-sim check: expected RUN_DIR EXPECTED_DIR; try --help\n");
        goto done;
    }
    if ((tol && !parse_tolerance ("--tolerance", tol, &opts.time_tolerance))
        || (rel && !parse_tolerance ("--rel-tolerance", rel, &opts.rel_tolerance)))
        goto done;
    GString *report = g_string_new (NULL);
    size_t ndiff = 0;
    flurm_error_t err;
    if (flurm_runcompare (argv[1], argv[2], &opts, report, &ndiff, &err) < 0) {
        fprintf (stderr, "flurm-sim check: %s\n", err.text);
        rc = 1;
    }
    else if (ndiff) {
        fputs (report->str, stdout);
        printf ("%zu difference%s\n", ndiff, ndiff == 1 ? "" : "s");
        rc = 1;
    }
    else {
        printf ("runs agree\n");
        rc = 0;
    }
    g_string_free (report, TRUE);
done:
    g_free (tol);
    g_free (rel);
    g_option_context_free (ctx);
    return rc;
}
