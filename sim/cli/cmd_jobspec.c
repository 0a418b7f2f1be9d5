/* sim/cli/cmd_jobspec.c — `flurm-sim jobspec FILE...`: check jobspecs and
 * print them as canonical JSON.
 *
 * Each FILE (YAML or JSON; "-" reads standard input) is read and checked by
 * sim/jobspec.c and printed as one line of JSON, or indented with --pretty.
 * A bad file gives one line "flurm-sim jobspec: FILE:LINE:COL: what is
 * wrong" on stderr; the others are still checked, and the exit status is 1
 * if any failed (2 for wrong usage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/jobspec.h"
#include "sim/jsonutil.h"

#define PROG "flurm-sim jobspec"

int cmd_jobspec (int argc, char **argv)
{
    gboolean pretty = FALSE;
    GOptionEntry entries[] = {
        {"pretty", 'p', 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON (one key per line)", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_set_prgname (PROG);
    GOptionContext *ctx = g_option_context_new ("FILE... - check jobspecs, print canonical JSON");
    g_option_context_set_summary (
        ctx, "Reads each Flux jobspec (version 1, YAML or JSON; '-' is standard input),\n"
             "checks it as Fluxion would, and prints it as canonical JSON: one document\n"
             "per line, keys in the order version, resources, tasks, attributes.\n"
             "A bad file gets one line 'FILE:LINE:COL: what is wrong' on stderr.");
    g_option_context_add_main_entries (ctx, entries, NULL);
    GError *gerr = NULL;
    if (!g_option_context_parse (ctx, &argc, &argv, &gerr)) {
        cli_fail ("jobspec", 2, "%s (try '" PROG " --help')", gerr->message);
        g_error_free (gerr);
        g_option_context_free (ctx);
        return 2;
    }
    g_option_context_free (ctx);
    if (argc < 2) {
        return cli_fail ("jobspec", 2, "no FILE given (try '" PROG " --help')");
    }
    int status = 0;
    size_t flags = JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT (2) : JSON_COMPACT);
    for (int i = 1; i < argc; i++) {
        flurm_error_t err;
        struct flurm_jobspec *js = flurm_jobspec_load_file (argv[i], &err); /* "-": stdin */
        if (!js) {
            cli_fail ("jobspec", 1, "%s", err.text);
            status = 1;
            continue;
        }
        json_t *o = flurm_jobspec_to_json (js);
        char *text = json_dumps (o, flags | flurm_json_real_precision (o));
        puts (text);
        free (text);
        json_decref (o);
        flurm_jobspec_destroy (js);
    }
    if (fflush (stdout) != 0) {
        perror (PROG ": writing output");
        return 1;
    }
    return status;
}
