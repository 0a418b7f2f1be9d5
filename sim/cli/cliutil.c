/* sim/cli/cliutil.c — see cliutil.h. */
#include "sim/cli/cliutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/error.h"

int cli_fail (const char *command, int code, const char *fmt, ...)
{
    flurm_error_t err; /* vset keeps the text on one line */
    va_list ap;
    va_start (ap, fmt);
    flurm_error_vset (&err, fmt, ap);
    va_end (ap);
    fprintf (stderr, "flurm-sim %s: %s\n", command, err.text);
    return code;
}

bool cli_parse_count (const char *option, const char *text, uint32_t max, uint32_t *out, char **why)
{
    guint64 v;
    /* g_ascii_string_to_unsigned refuses signs, spaces and overflow */
    if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL)) {
        *why = g_strdup_printf ("%s '%s': expected a whole number from 0 to %u", option,
                                FLURM_ESCAPED (text), max);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool cli_parse_graph_format (const char *format, bool embed_jgf, enum flurm_graph_format *out,
                             char **why)
{
    *out = FLURM_GRAPH_FORMAT_JGF;
    if (format && strcmp (format, "rv1") == 0)
        *out = FLURM_GRAPH_FORMAT_RV1;
    else if (format && strcmp (format, "jgf") != 0) {
        *why = g_strdup_printf ("--format '%s': expected jgf or rv1", FLURM_ESCAPED (format));
        return false;
    }
    if (embed_jgf && *out != FLURM_GRAPH_FORMAT_RV1) {
        *why = g_strdup ("--embed-jgf applies only with --format rv1");
        return false;
    }
    return true;
}

int cli_parse_options (const char *command, GOptionContext *ctx, int *argc, char ***argv,
                       const gboolean *help)
{
    /* --help says "Usage: flurm-sim COMMAND", not the bare command. */
    char *prgname = g_strdup_printf ("flurm-sim %s", command);
    g_set_prgname (prgname);
    g_free (prgname);
    GError *error = NULL;
    if (!g_option_context_parse (ctx, argc, argv, &error)) {
        int rc = cli_fail (command, 2, "%s (try 'flurm-sim %s --help')", error->message, command);
        g_error_free (error);
        return rc;
    }
    if (help && *help) {
        char *text = g_option_context_get_help (ctx, TRUE, NULL);
        fputs (text, stdout);
        g_free (text);
        return 0;
    }
    return -1;
}
