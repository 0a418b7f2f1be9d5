/* sim/cli/cmd_validate.c — flurm-sim validate: re-check a schedule.
 *
 *   flurm-sim validate RUN_DIR|JOBS_CSV [--cores N]
 *
 * Reads jobs.csv alone (Flurm's or another tool's with evalys column
 * names) and checks start >= submit, no core held twice at once, and the
 * cores in use within the capacity.  Exit 0 valid, 1 invalid or
 * unreadable, 2 wrong usage.
 */
#include <stdio.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/jobscsv.h"
#include "sim/schedcheck.h"

int cmd_validate (int argc, char **argv)
{
    char *cores_s = NULL;
    gboolean help = FALSE;
    GOptionEntry entries[] = {
        {"cores", 0, 0, G_OPTION_ARG_STRING, &cores_s,
         "Capacity of the machine (default: highest core number + 1)", "N"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("RUN_DIR - re-check a schedule from jobs.csv");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int rc = 2;
    char *path = NULL;
    if ((rc = cli_parse_options ("validate", ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    if (argc != 2) {
        fprintf (stderr, "flurm-sim validate: expected RUN_DIR; try --help\n");
        goto done;
    }
    guint64 cores = 0;
    if (cores_s && !g_ascii_string_to_unsigned (cores_s, 10, 1, FLURM_SCHEDCHECK_MAX_CORE,
                                                &cores, NULL)) {
        fprintf (stderr, "flurm-sim validate: --cores '%s': expected a whole number from 1 "
                 "to %u\n", cores_s, FLURM_SCHEDCHECK_MAX_CORE);
        goto done;
    }
    path = g_file_test (argv[1], G_FILE_TEST_IS_DIR) ? g_build_filename (argv[1], "jobs.csv", NULL)
                                                    : g_strdup (argv[1]);
    flurm_error_t err;
    rc = 1;
    struct flurm_csv_jobs *c = flurm_csv_jobs_load (path, &err);
    struct flurm_schedcheck_report r;
    if (!c || flurm_schedcheck (c, cores, &r, &err) < 0) {
        fprintf (stderr, "flurm-sim validate: %s%s%s\n", c ? path : "", c ? ": " : "", err.text);
        flurm_csv_jobs_destroy (c);
        goto done;
    }
    for (size_t i = 0; i < r.nproblems && i < FLURM_SCHEDCHECK_MAX_PROBLEMS; i++)
        printf ("%s: %s\n", path, r.problems[i]);
    if (r.nproblems > FLURM_SCHEDCHECK_MAX_PROBLEMS)
        printf ("... and %zu more problems\n", r.nproblems - FLURM_SCHEDCHECK_MAX_PROBLEMS);
    printf ("%zu jobs (%zu ran), peak %ju of %ju cores: %s\n", r.njobs, r.nran,
            (uintmax_t)r.peak_cores, (uintmax_t)r.capacity, r.nproblems ? "INVALID" : "valid");
    rc = r.nproblems ? 1 : 0;
    flurm_schedcheck_report_clear (&r);
    flurm_csv_jobs_destroy (c);
done:
    g_free (path);
    g_free (cores_s);
    g_option_context_free (ctx);
    return rc;
}
