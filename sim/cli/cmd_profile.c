/* sim/cli/cmd_profile.c — flurm-sim profile: application profiles from
 * reference runs.
 *
 *   flurm-sim profile RUN... --machine NAME --measured TEXT -o PROFILES.yaml
 *                     [--kind K]
 *
 * RUN is any run flurm_run_load() reads whose jobs name their app (and
 * partner, for co-scheduled runs): an ELiSE pool, a folder of ARIS NPB
 * logs, an imported jobs.csv.  Writes a profile file that
 * `flurm-sim calibrate` fits and traces name with `apps:`; prints what it
 * counted and what it left out (models/profile_build.h says which runs
 * count).
 */
#include <stdio.h>

#include <glib.h>

#include "models/profile_build.h"
#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/run_load.h"

#define NAME "profile"

int cmd_profile (int argc, char **argv)
{
    char *kind = NULL, *output = NULL, *machine = NULL, *measured = NULL;
    gboolean quiet = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"machine", 0, 0, G_OPTION_ARG_STRING, &machine, "The machine measured on", "NAME"},
        {"measured", 0, 0, G_OPTION_ARG_STRING, &measured,
         "Who measured the runs, where and when (kept as provenance)", "TEXT"},
        {"kind", 0, 0, G_OPTION_ARG_STRING, &kind, "Kind of every RUN (default: told by "
         "content)", "K"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The profile file to write",
         "FILE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("RUN... - application profiles from runs");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    struct flurm_run **runs = NULL;
    size_t nruns = 0;
    struct flurm_app_profiles *p = NULL;
    char **notes = NULL;
    size_t nnotes = 0;
    flurm_error_t err;
    int rc;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    if (argc < 2 || !output || !machine || !measured) {
        rc = cli_fail (NAME, 2, "expected RUN..., --machine, --measured and -o FILE; try --help");
        goto done;
    }
    runs = g_new0 (struct flurm_run *, (size_t)argc);
    for (int i = 1; i < argc; i++) {
        if (!(runs[nruns] = flurm_run_load (argv[i], kind, &err))) {
            rc = cli_fail (NAME, 1, "%s", err.text);
            goto done;
        }
        nruns++;
    }
    p = flurm_profiles_from_runs (runs, nruns, machine, measured, &notes, &nnotes, &err);
    if (!p || flurm_app_profiles_write (p, output, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (!quiet) {
        size_t npairs = 0;
        for (size_t a = 0; a < p->napps; a++)
            npairs += p->apps[a].npairs;
        printf ("%s: %zu apps, %zu measured pairs\n", output, p->napps, npairs);
        for (size_t i = 0; i < nnotes; i++)
            printf ("  %s\n", notes[i]);
    }
    rc = 0;
done:
    for (size_t i = 0; i < nruns; i++)
        flurm_run_destroy (runs[i]);
    for (size_t i = 0; i < nnotes; i++)
        g_free (notes[i]);
    g_free (notes);
    g_free (runs);
    flurm_app_profiles_destroy (p);
    g_free (kind);
    g_free (output);
    g_free (machine);
    g_free (measured);
    g_option_context_free (ctx);
    return rc;
}
