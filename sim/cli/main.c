/* flurm-sim — the command line.  Dispatches to one subcommand per file. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/plugin.h"

struct command {
    const char *name;
    int (*run) (int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"topo", cmd_topo, "generate a cluster graph (JGF or R) like the ARIS generator"},
    {"graph", cmd_graph, "load a JGF or R file, summarise it or convert it"},
    {"jobspec", cmd_jobspec, "validate a jobspec (YAML or JSON) and print it as JSON"},
    {"match", cmd_match, "place jobspecs on a graph as Fluxion does (resource-query)"},
    {"run", cmd_run, "replay a trace YAML or an SWF log (also: flurm-sim INPUT)"},
    {"check", cmd_check, "compare a run with expected outputs, job by job"},
    {"validate", cmd_validate, "re-check a schedule (jobs.csv) for overlaps and capacity"},
    {"profile", cmd_profile, "build application profiles from reference runs"},
    {"calibrate", cmd_calibrate, "fit the analytic interference model to measured pairs"},
    {"compare", cmd_compare, "compare two runs (simulated or real) job by job and per app"},
    {"import", cmd_import, "write a real run (NPB logs, flux jobs, sacct, ...) as a jobs.csv"},
    {"live", cmd_live, "replay a trace on a live Flux instance, as Fluxion or Flurm decides"},
    {"report", cmd_report, "one self-contained HTML report of runs: summaries, plots, config"},
    {"sweep", cmd_sweep, "run a sweep of configurations (or emit it for Flux, Slurm) and merge"},
};

static void usage (FILE *out)
{
    fprintf (out,
             "Usage: flurm-sim [--plugin FILE.so]... COMMAND [OPTION...]\n"
             "\n"
             "Simulate Flux/Fluxion scheduling of HPC workloads.\n"
             "\n"
             "Commands:\n");
    for (size_t i = 0; i < sizeof (commands) / sizeof (commands[0]); i++)
        fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf (out,
             "\n"
             "Run 'flurm-sim COMMAND --help' for the options of a command.\n"
             "Options:\n"
             "  -h, --help        show this help\n"
             "  -V, --version     show the version\n"
             "  --plugin FILE.so  load queue policies, pairing rules or match policies from\n"
             "                    a plugin first (repeatable, anywhere; docs/plugins.md)\n");
}

/* Load every `--plugin FILE` and `--plugin=FILE`, wherever it is, and take
 * it out of argv, so that commands never see it and what a plugin defines
 * is known before any option or trace names it.  "--" ends the scan.
 * Returns -1 when the command should go on, else the exit status. */
static int load_plugins (int *argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *file;
        if (!strcmp (argv[i], "--")) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp (argv[i], "--plugin")) {
            if (i + 1 == *argc)
                return cli_fail ("--plugin", 2, "expected a FILE.so after --plugin");
            file = argv[++i];
        }
        else if (!strncmp (argv[i], "--plugin=", 9)) {
            file = argv[i] + 9;
        }
        else {
            argv[out++] = argv[i];
            continue;
        }
        flurm_error_t err;
        if (flurm_plugin_load (file, &err) < 0)
            return cli_fail ("--plugin", 1, "%s", err.text);
    }
    argv[out] = NULL;
    *argc = out;
    return -1;
}

int main (int argc, char **argv)
{
    /* Character classes from the environment so glib prints UTF-8 help;
     * never LC_NUMERIC: output numbers must not depend on the locale. */
    setlocale (LC_CTYPE, "");
    int rc = load_plugins (&argc, argv);
    if (rc >= 0)
        return rc;
    if (argc < 2) {
        usage (stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp (name, "-h") || !strcmp (name, "--help") || !strcmp (name, "help")) {
        usage (stdout);
        return 0;
    }
    if (!strcmp (name, "-V") || !strcmp (name, "--version")) {
        printf ("flurm-sim %s\n", FLURM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof (commands) / sizeof (commands[0]); i++) {
        if (!strcmp (name, commands[i].name))
            return commands[i].run (argc - 1, argv + 1);
    }
    /* `flurm-sim INPUT ...` is `flurm-sim run INPUT ...` when INPUT is a
     * file: argv[0] stands in for the command name run expects. */
    struct stat st;
    if (name[0] != '-' && stat (name, &st) == 0 && S_ISREG (st.st_mode))
        return cmd_run (argc, argv);
    /* Something that looks like a file name but is not one: let run say
     * what is wrong with it ("cannot open: No such file or directory")
     * rather than call it an unknown command. */
    if (name[0] != '-' && (strchr (name, '/') || strchr (name, '.')))
        return cmd_run (argc, argv);
    fprintf (stderr, "flurm-sim: unknown command '%s' (try 'flurm-sim --help')\n",
             name);
    return 2;
}
