/* sim/cli/cmd_import.c — flurm-sim import: a real run as a jobs.csv.
 *
 *   flurm-sim import RUN [--kind K] -o DIR|FILE.csv [--quiet]
 *   flurm-sim import GANTT.json --oar-mapping MAP.csv --batsim-workload W.json -o DIR
 *
 * Reads a run of any kind flurm_run_load() knows (NPB logs, flux jobs
 * --json, sacct --parsable2, a measured pool, an OAR gantt, a Batsim
 * workload) and writes it with the columns a simulation writes, so that
 * validate, compare and the plots read it as they read a simulated run.
 * Prints the job count and what the importer found wrong (kept, marked).
 */
#include <errno.h>
#include <stdio.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/import_oar.h"
#include "sim/run_load.h"

#define NAME "import"

int cmd_import (int argc, char **argv)
{
    char *kind = NULL, *output = NULL, *mapping = NULL, *workload = NULL;
    gboolean quiet = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"kind", 0, 0, G_OPTION_ARG_STRING, &kind,
         "flurm, npb-log, flux-jobs, sacct, pool, oar or batsim (default: told by content)",
         "K"},
        {"oar-mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping,
         "An OAR gantt: its Batsim replay's batsim_id,oar_id CSV (with --batsim-workload)",
         "CSV"},
        {"batsim-workload", 0, 0, G_OPTION_ARG_FILENAME, &workload,
         "An OAR gantt: the Batsim workload it replays; jobs are then named by Batsim id",
         "JSON"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "A folder (jobs.csv is written in it) or a .csv file", "DIR"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("RUN - write a real run as a jobs.csv");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    struct flurm_run *r = NULL;
    char *path = NULL;
    flurm_error_t err;
    int rc;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    if (argc != 2 || !output) {
        rc = cli_fail (NAME, 2, "expected one RUN and -o DIR; try --help");
        goto done;
    }
    if (g_str_has_suffix (output, ".csv")) {
        path = g_strdup (output);
    }
    else {
        if (g_mkdir_with_parents (output, 0755) < 0) {
            rc = cli_fail (NAME, 1, "%s: cannot create: %s", output, g_strerror (errno));
            goto done;
        }
        path = g_build_filename (output, "jobs.csv", NULL);
    }
    if (!mapping != !workload) {
        rc = cli_fail (NAME, 2, "--oar-mapping and --batsim-workload go together");
        goto done;
    }
    r = mapping ? flurm_import_oar_mapped (argv[1], mapping, workload, &err)
                : flurm_run_load (argv[1], kind, &err);
    if (!r || flurm_run_write_csv (r, path, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (!quiet) {
        printf ("%s: %zu jobs (%s, times %s) -> %s\n", argv[1], r->njobs, r->kind, r->origin,
                path);
        for (size_t i = 0; i < r->nnotes; i++)
            printf ("  %s\n", r->notes[i]);
    }
    rc = 0;
done:
    flurm_run_destroy (r);
    g_free (path);
    g_free (kind);
    g_free (output);
    g_free (mapping);
    g_free (workload);
    g_option_context_free (ctx);
    return rc;
}
