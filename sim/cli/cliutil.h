/* sim/cli/cliutil.h — what the subcommands of flurm-sim share: the error
 * line, count options, and the graph output options.
 *
 * Library messages are one line already (sim/error.h); cli_fail keeps
 * that true for text that does not come from the library (an option
 * parser's message quoting the command line).
 */
#ifndef FLURM_CLI_CLIUTIL_H
#define FLURM_CLI_CLIUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "sim/graphfile.h"

/* Print "flurm-sim COMMAND: message" as one line on stderr; returns code
 * (1 bad input, 2 wrong usage), for `return cli_fail (...)`. */
int cli_fail (const char *command, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Parse the options of COMMAND and handle what every command handles the
 * same way: a parse error is reported ("... (try 'flurm-sim COMMAND
 * --help')") with status 2, and `help` set by the parse prints the help on
 * stdout with status 0.  Returns -1 when the command should go on, else
 * the exit status to return. */
int cli_parse_options (const char *command, GOptionContext *ctx, int *argc, char ***argv,
                       const gboolean *help);

/* A count option: decimal digits only, 0 .. max.  On error, *why is a
 * g_malloc'ed message naming the option and the text. */
bool cli_parse_count (const char *option, const char *text, uint32_t max, uint32_t *out,
                      char **why);

/* --format (NULL: jgf) and --embed-jgf, which applies to rv1 only. */
bool cli_parse_graph_format (const char *format, bool embed_jgf, enum flurm_graph_format *out,
                             char **why);

#endif
