/* sim/cli/cmd_sweep.c — flurm-sim sweep: every configuration of a sweep
 * file run, or written out for a cluster, and the results merged.
 *
 *   flurm-sim sweep SWEEP.yaml [-o DIR] [-j N] [--emit flux|slurm]
 *                   [--merge-only] [--dry-run] [--quiet]
 *
 * Locally, each run not complete yet is `flurm-sim run` of this very
 * program (/proc/self/exe, so a sweep never mixes two builds), at most N
 * at once, in DIR/RUN_NAME/ with its stderr in run.log there (removed when
 * empty).  Runs are processes rather than threads so that they share
 * nothing (the policy registries are global) and a configuration that
 * crashes does not take the sweep down with it.  A failed run is one line on stderr; the
 * others go on, the merge covers what finished, and the exit status is 1.
 *
 * For a cluster (--emit) nothing is run: the files written name every
 * path absolutely, since they run elsewhere, from another folder.  The
 * merge (--merge-only) then reads the folders the cluster filled.
 *
 * Plugins loaded by this program (flurm-sim --plugin FILE.so sweep ...)
 * are passed on to every run, so that an axis may name a policy one of
 * them defines: the sweep checks the name here, the run needs it there.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/infile.h"
#include "sim/metrics.h"
#include "sim/outfile.h"
#include "sim/plugin.h"
#include "sim/sweep.h"

#define NAME "sweep"
#define MAX_PARALLEL 4096u
/* A run.log worth reading back for its last line is small. */
#define LOG_MAX_BYTES (1u << 20)

/* A run's arguments with --plugin FILE for every plugin loaded (at the
 * end: flurm-sim takes --plugin anywhere, and the cluster scripts find
 * the run folder by its position after TRACE -o).  `absolute` for a
 * cluster, whose jobs start in another folder. */
static char **with_plugins (char **args, bool absolute)
{
    size_t n;
    const char *const *paths = flurm_plugin_paths (&n);
    if (n == 0)
        return args;
    guint nargs = g_strv_length (args);
    char **all = g_new0 (char *, nargs + 2 * n + 1);
    memcpy (all, args, nargs * sizeof (char *));
    for (size_t i = 0; i < n; i++) {
        all[nargs + 2 * i] = g_strdup ("--plugin");
        all[nargs + 2 * i + 1] = absolute ? g_canonicalize_filename (paths[i], NULL)
                                          : g_strdup (paths[i]);
    }
    g_free (args); /* the strings moved to `all` */
    return all;
}

/* ---- running locally ----------------------------------------------------- */

struct slot {
    GPid pid;          /* 0: free */
    size_t run;
};

struct runner {
    const struct flurm_sweep *s;
    const char *dir;
    const char *exe;
    struct slot *slots;
    unsigned nslots;
    size_t total, finished, failed;
    bool bar;
};

static void draw_bar (const struct runner *r)
{
    if (!r->bar)
        return;
    int width = 30, filled = r->total ? (int)(width * r->finished / r->total) : width;
    fprintf (stderr, "\r[%.*s%*s] %zu/%zu done, %zu failed", filled,
             "##############################", width - filled, "", r->finished, r->total,
             r->failed);
    if (r->finished == r->total)
        fputc ('\n', stderr);
}

/* The last non-empty line of a run's log, or NULL. */
static char *last_line (const char *log)
{
    size_t len;
    char *text = flurm_read_file (log, LOG_MAX_BYTES, &len, NULL);
    char *line = NULL;
    if (text) {
        g_strchomp (text);
        char *nl = strrchr (text, '\n');
        line = *text ? g_strdup (nl ? nl + 1 : text) : NULL;
    }
    g_free (text);
    return line;
}

static void report_failure (struct runner *r, size_t run, int status)
{
    char *dir = flurm_sweep_run_dir (r->s, run, r->dir);
    char *log = g_build_filename (dir, "run.log", NULL);
    char *line = last_line (log);
    char *name = flurm_sweep_run_name (r->s, run);
    char *why;
    if (line)
        why = g_strdup (line);
    else if (WIFSIGNALED (status))
        why = g_strdup_printf ("killed by signal %d", WTERMSIG (status));
    else if (WEXITSTATUS (status) == 0)
        why = g_strdup ("exited without a summary.json");
    else
        why = g_strdup_printf ("exited with status %d", WEXITSTATUS (status));
    if (r->bar)
        fputs ("\r\033[K", stderr);
    cli_fail (NAME, 1, "run %s failed (%s): %s", name, log, why);
    g_free (why);
    g_free (name);
    g_free (line);
    g_free (log);
    g_free (dir);
}

static int start_run (struct runner *r, struct slot *slot, size_t run, flurm_error_t *err)
{
    char *dir = flurm_sweep_run_dir (r->s, run, r->dir);
    char *log = g_build_filename (dir, "run.log", NULL);
    char **args = with_plugins (flurm_sweep_run_args (r->s, run, r->s->trace, dir), false);
    guint nargs = g_strv_length (args);
    char **argv = g_new0 (char *, nargs + 3);
    argv[0] = (char *)r->exe;
    argv[1] = (char *)"run";
    memcpy (argv + 2, args, nargs * sizeof (char *));
    int fd = -1, rc = -1;
    GError *gerr = NULL;
    if (g_mkdir_with_parents (dir, 0755) < 0)
        flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
    else if ((fd = open (log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
        flurm_error_set (err, "%s: cannot create: %s", log, g_strerror (errno));
    else if (!g_spawn_async_with_fds (NULL, argv, NULL,
                                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                      NULL, NULL, &slot->pid, -1, -1, fd, &gerr)) {
        flurm_error_set (err, "cannot start %s: %s", r->exe, gerr->message);
        g_error_free (gerr);
    }
    else {
        slot->run = run;
        rc = 0;
    }
    if (fd >= 0)
        close (fd);
    g_free (argv);
    g_strfreev (args);
    g_free (log);
    g_free (dir);
    return rc;
}

/* Reap one child: count it, report it if it failed, free its slot. */
static int reap_one (struct runner *r, flurm_error_t *err)
{
    int status;
    pid_t pid;
    while ((pid = waitpid (-1, &status, 0)) < 0 && errno == EINTR)
        ;
    if (pid < 0) { /* no child left to wait for: forget them rather than wait forever */
        for (unsigned i = 0; i < r->nslots; i++)
            r->slots[i].pid = 0;
        return flurm_error_set (err, "waiting for runs: %s", g_strerror (errno));
    }
    for (unsigned i = 0; i < r->nslots; i++) {
        struct slot *slot = &r->slots[i];
        if (slot->pid != pid)
            continue;
        slot->pid = 0;
        char *dir = flurm_sweep_run_dir (r->s, slot->run, r->dir);
        bool ok = WIFEXITED (status) && WEXITSTATUS (status) == 0 && flurm_sweep_run_done (dir);
        r->finished++;
        if (ok) {
            char *log = g_build_filename (dir, "run.log", NULL);
            struct stat st;
            if (g_stat (log, &st) == 0 && st.st_size == 0)
                g_unlink (log);
            g_free (log);
        }
        else {
            r->failed++;
            report_failure (r, slot->run, status);
        }
        g_free (dir);
        draw_bar (r);
        return 0;
    }
    return 0; /* not one of ours (none should exist) */
}

static unsigned running (const struct runner *r)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->nslots; i++)
        n += r->slots[i].pid != 0;
    return n;
}

/* Run `todo` at most r->nslots at once.  An error starting a run stops
 * new starts but waits for those already running. */
static int run_all (struct runner *r, const size_t *todo, size_t ntodo, flurm_error_t *err)
{
    size_t next = 0;
    int rc = 0;
    draw_bar (r);
    while ((rc == 0 && next < ntodo) || running (r) > 0) {
        for (unsigned i = 0; rc == 0 && next < ntodo && i < r->nslots; i++) {
            if (r->slots[i].pid == 0)
                rc = start_run (r, &r->slots[i], todo[next++], err);
        }
        if (running (r) > 0 && reap_one (r, rc < 0 ? NULL : err) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

static void print_table (const struct flurm_sweep *s, const struct flurm_sweep_table *t)
{
    int *width = g_new (int, s->naxes ? s->naxes : 1);
    printf ("%4s", "#");
    for (size_t a = 0; a < s->naxes; a++) {
        width[a] = (int)strlen (s->axes[a].name);
        for (size_t i = 0; i < s->axes[a].nvalues; i++)
            width[a] = MAX (width[a], (int)strlen (s->axes[a].values[i]));
        printf ("  %-*s", width[a], s->axes[a].name);
    }
    printf ("  %6s %12s %8s %10s %10s %8s %10s%s\n", "jobs", "makespan s", "util",
            "wait mean", "wait p95", "bsld", "node-h", t->has_slowdown ? "  slowdown" : "");
    for (size_t r = 0; r < t->nruns; r++) {
        const struct flurm_sweep_row *row = &t->rows[r];
        printf ("%4zu", r);
        for (size_t a = 0; a < s->naxes; a++)
            printf ("  %-*s", width[a], flurm_sweep_value (s, r, a));
        if (!row->done) {
            printf ("  missing\n");
            continue;
        }
        printf ("  %6ju %12.1f %8.4f %10.1f %10.1f %8.3f %10.2f", (uintmax_t)row->completed,
                row->makespan, row->utilisation, row->wait_mean, row->wait_p95, row->bsld_mean,
                row->node_hours);
        if (t->has_slowdown && !isnan (row->slowdown))
            printf ("  %8.4f", row->slowdown);
        putchar ('\n');
    }
    g_free (width);
}

/* Merge the runs into DIR/sweep.csv and print the table. */
static int merge (const struct flurm_sweep *s, const char *dir, bool quiet,
                  struct flurm_sweep_table *t, flurm_error_t *err)
{
    if (flurm_sweep_merge (s, dir, t, err) < 0)
        return -1;
    char *csv = g_build_filename (dir, "sweep.csv", NULL);
    int rc = flurm_sweep_write_csv (s, t, csv, err);
    g_free (csv);
    if (rc == 0 && !quiet) {
        print_table (s, t);
        printf ("outputs     %s/{sweep.csv,sweep.json}\n", dir);
    }
    return rc;
}

/* ---- emitting for a cluster ---------------------------------------------- */

/* What a cluster needs to know: the program, the trace and the folder,
 * absolutely. */
struct emit {
    const struct flurm_sweep *s;
    const char *sweep_path;
    char *exe, *trace, *dir;
};

static char **emit_args (const struct emit *em, size_t run)
{
    char *dir = flurm_sweep_run_dir (em->s, run, em->dir);
    char **args = flurm_sweep_run_args (em->s, run, em->trace, dir);
    g_free (dir);
    return with_plugins (args, true);
}

/* The lists hold one run per line, its arguments separated by tabs. */
static int check_args (char **args, flurm_error_t *err)
{
    for (char **a = args; *a; a++) {
        if (strpbrk (*a, "\t\n\r"))
            return flurm_error_set (err, "cannot list the argument '%s' for a cluster: it holds "
                                    "a tab or a line break", FLURM_ESCAPED (*a));
    }
    return 0;
}

static void append_args (GString *out, char **args)
{
    for (char **a = args; *a; a++)
        g_string_append_printf (out, "%s%s", a == args ? "" : "\t", *a);
    g_string_append_c (out, '\n');
}

static int write_text (const char *dir, const char *file, const GString *text,
                       flurm_error_t *err)
{
    char *path = g_build_filename (dir, file, NULL);
    int rc = flurm_write_file (path, text->str, text->len, err);
    g_free (path);
    return rc;
}

/* DIR/runs.txt: K, the run's name, then its arguments; line K+1 is run K. */
static int emit_runs_txt (const struct emit *em, flurm_error_t *err)
{
    GString *out = g_string_new (NULL);
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < em->s->nruns; r++) {
        char **args = emit_args (em, r);
        char *name = flurm_sweep_run_name (em->s, r);
        if ((rc = check_args (args, err)) == 0) {
            g_string_append_printf (out, "%zu\t%s\t", r, name);
            append_args (out, args);
        }
        g_free (name);
        g_strfreev (args);
    }
    if (rc == 0)
        rc = write_text (em->dir, "runs.txt", out, err);
    g_string_free (out, TRUE);
    return rc;
}

/* The comment block every script starts with. */
static void script_head (GString *out, const struct emit *em, const char *shell,
                         const char *what)
{
    char *sweep = g_shell_quote (em->sweep_path);
    char *dir = g_shell_quote (em->dir);
    g_string_append_printf (out,
                            "#!%s\n"
                            "# flurm-sim sweep %s (%zu runs) %s.\n"
                            "# Written by flurm-sim sweep --emit; when the runs are over, merge "
                            "them with\n"
                            "#     flurm-sim sweep %s -o %s --merge-only\n",
                            shell, em->s->name, em->s->nruns, what, sweep, dir);
    g_free (dir);
    g_free (sweep);
}

static void script_vars (GString *out, const struct emit *em)
{
    char *exe = g_shell_quote (em->exe);
    char *dir = g_shell_quote (em->dir);
    g_string_append_printf (out, "FLURM_SIM=${FLURM_SIM:-%s}\nDIR=%s\n", exe, dir);
    g_free (dir);
    g_free (exe);
}

/* flux bulksubmit reads one input per line; --define splits a line into
 * the run's arguments (a method returning a list gives one argument per
 * item) and picks the run folder (the third argument: TRACE -o DIR) for
 * the job's output.  Only runs not done yet are listed: emitting again
 * after a partial sweep lists what is left. */
static int emit_flux (const struct emit *em, size_t *nlisted, flurm_error_t *err)
{
    if (strpbrk (em->exe, "{}"))
        return flurm_error_set (err, "%s: flux bulksubmit would read the braces in this path "
                                "as a substitution; install flurm-sim elsewhere", em->exe);
    GString *list = g_string_new (NULL);
    int rc = 0;
    *nlisted = 0;
    for (size_t r = 0; rc == 0 && r < em->s->nruns; r++) {
        char *dir = flurm_sweep_run_dir (em->s, r, em->dir);
        if (!flurm_sweep_run_done (dir)) {
            char **args = emit_args (em, r);
            if ((rc = check_args (args, err)) == 0 && g_mkdir_with_parents (dir, 0755) < 0)
                rc = flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
            if (rc == 0) {
                append_args (list, args);
                (*nlisted)++;
            }
            g_strfreev (args);
        }
        g_free (dir);
    }
    GString *sh = g_string_new (NULL);
    script_head (sh, em, "/bin/sh", "for Flux");
    g_string_append (sh,
                     "# Submits one job of one core per line of flux-bulksubmit.txt (the runs "
                     "not done\n"
                     "# when it was written: the arguments of `flurm-sim run`, separated by "
                     "tabs) and\n"
                     "# waits for them; each run's output goes to run.log in its folder.  Run "
                     "it inside\n"
                     "# a Flux instance, e.g. `flux start sh run-flux.sh` on one machine or, "
                     "in a Slurm\n"
                     "# allocation, `srun -N \"$SLURM_NNODES\" --mpi=pmi2 flux start sh "
                     "run-flux.sh`.\n"
                     "set -eu\n");
    script_vars (sh, em);
    g_string_append (sh,
                     "if [ ! -s \"$DIR/flux-bulksubmit.txt\" ]; then\n"
                     "    echo \"run-flux.sh: every run is done\" >&2\n"
                     "    exit 0\n"
                     "fi\n"
                     "exec flux bulksubmit --wait --quiet \\\n"
                     "    --define='argv=x.split(\"\\t\")' --define='dir=x.split(\"\\t\")[2]' \\\n"
                     "    --output='{0.dir}/run.log' --job-name=flurm-sweep \\\n"
                     "    \"$FLURM_SIM\" run '{0.argv}' :::: \"$DIR/flux-bulksubmit.txt\"\n");
    if (rc == 0)
        rc = write_text (em->dir, "flux-bulksubmit.txt", list, err);
    if (rc == 0)
        rc = write_text (em->dir, "run-flux.sh", sh, err);
    g_string_free (sh, TRUE);
    g_string_free (list, TRUE);
    return rc;
}

/* One array task per configuration, all of them, so that K is the same in
 * runs.txt, the array and the logs; a task finds its run done and ends,
 * which makes submitting again a resume.  #SBATCH lines take no variables
 * and no quoting, hence the self-submission with the variables and a log
 * folder without blanks. */
static int emit_slurm (const struct emit *em, flurm_error_t *err)
{
    char *logs = g_build_filename (em->dir, "slurm-logs", NULL);
    int rc = 0;
    if (strpbrk (logs, " \t\n\r\"'\\"))
        rc = flurm_error_set (err, "%s: an #SBATCH line cannot name a folder with blanks or "
                              "quotes; choose another -o DIR", logs);
    else if (g_mkdir_with_parents (logs, 0755) < 0)
        rc = flurm_error_set (err, "%s: cannot create: %s", logs, g_strerror (errno));
    if (rc == 0)
        rc = emit_runs_txt (em, err);
    if (rc < 0) {
        g_free (logs);
        return -1;
    }
    GString *sh = g_string_new (NULL);
    script_head (sh, em, "/bin/bash", "for Slurm");
    g_string_append_printf (
        sh,
        "# Array task K runs configuration K: line K+1 of runs.txt holds K, the run's name\n"
        "# and the arguments of `flurm-sim run`, separated by tabs.  A task whose run is\n"
        "# done (summary.json in its folder) ends at once, so submitting again resumes.\n"
        "# Submit with the variables below set (or their defaults edited):\n"
        "#     PARTITION=compute ACCOUNT=myproject TIME=00:30:00 bash sweep.sbatch\n"
        "# or as it is, with the cluster's defaults: sbatch sweep.sbatch\n"
        "#SBATCH --job-name=flurm-sweep\n"
        "#SBATCH --array=0-%zu\n"
        "#SBATCH --ntasks=1\n"
        "#SBATCH --cpus-per-task=1\n"
        "#SBATCH --output=%s/%%a.log\n"
        "set -eu\n"
        "PARTITION=${PARTITION:-}\n"
        "ACCOUNT=${ACCOUNT:-}\n"
        "TIME=${TIME:-01:00:00}\n",
        em->s->nruns - 1, logs);
    script_vars (sh, em);
    g_string_append (
        sh,
        "if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then\n"
        "    opts=(--time=\"$TIME\")\n"
        "    if [ -n \"$PARTITION\" ]; then opts+=(--partition=\"$PARTITION\"); fi\n"
        "    if [ -n \"$ACCOUNT\" ]; then opts+=(--account=\"$ACCOUNT\"); fi\n"
        "    exec sbatch \"${opts[@]}\" \"$DIR/sweep.sbatch\"\n"
        "fi\n"
        "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$DIR/runs.txt\")\n"
        "if [ -z \"$line\" ]; then\n"
        "    echo \"sweep.sbatch: no configuration $SLURM_ARRAY_TASK_ID in $DIR/runs.txt\" >&2\n"
        "    exit 1\n"
        "fi\n"
        "IFS=$'\\t' read -r -a field <<<\"$line\"\n"
        "# field: K, the run's name, TRACE, -o, the run's folder, the options\n"
        "if [ -s \"${field[4]}/summary.json\" ]; then\n"
        "    echo \"configuration $SLURM_ARRAY_TASK_ID (${field[1]}) is done already\"\n"
        "    exit 0\n"
        "fi\n"
        "exec \"$FLURM_SIM\" run \"${field[@]:2}\"\n");
    rc = write_text (em->dir, "sweep.sbatch", sh, err);
    g_string_free (sh, TRUE);
    g_free (logs);
    return rc;
}

static int emit (const struct flurm_sweep *s, const char *sweep_path, const char *dir,
                 const char *exe, const char *kind, flurm_error_t *err)
{
    struct emit em = {.s = s, .sweep_path = sweep_path};
    em.exe = g_canonicalize_filename (exe, NULL);
    em.trace = g_canonicalize_filename (s->trace, NULL);
    em.dir = g_canonicalize_filename (dir, NULL);
    size_t nlisted = 0;
    int rc = !strcmp (kind, "flux") ? emit_flux (&em, &nlisted, err) : emit_slurm (&em, err);
    if (rc == 0 && !strcmp (kind, "flux"))
        rc = emit_runs_txt (&em, err);
    if (rc == 0 && !strcmp (kind, "flux"))
        printf ("%zu of %zu runs to do; in a Flux instance: flux start sh %s/run-flux.sh\n",
                nlisted, s->nruns, em.dir);
    else if (rc == 0)
        printf ("an array of %zu tasks; submit it: [PARTITION=P] [ACCOUNT=A] [TIME=T] bash "
                "%s/sweep.sbatch\n", s->nruns, em.dir);
    g_free (em.exe);
    g_free (em.trace);
    g_free (em.dir);
    return rc;
}

/* ---- the command ------------------------------------------------------- */

static void dry_run (const struct flurm_sweep *s, const char *dir, const char *exe)
{
    for (size_t r = 0; r < s->nruns; r++) {
        char *run_dir = flurm_sweep_run_dir (s, r, dir);
        char **args = with_plugins (flurm_sweep_run_args (s, r, s->trace, run_dir), false);
        bool done = flurm_sweep_run_done (run_dir);
        printf ("%4zu %-5s %s run", r, done ? "done" : "to-do", exe);
        for (char **a = args; *a; a++) {
            char *q = g_shell_quote (*a);
            printf (" %s", strpbrk (*a, " \t\n'\"\\$`*?[]{}()<>|&;!#~") ? q : *a);
            g_free (q);
        }
        putchar ('\n');
        g_strfreev (args);
        g_free (run_dir);
    }
}

static int write_expansion (const struct flurm_sweep *s, const char *dir, flurm_error_t *err)
{
    if (g_mkdir_with_parents (dir, 0755) < 0)
        return flurm_error_set (err, "%s: cannot create: %s", dir, g_strerror (errno));
    char *path = g_build_filename (dir, "sweep.json", NULL);
    json_t *o = flurm_sweep_json (s, dir);
    size_t n;
    const char *const *paths = flurm_plugin_paths (&n);
    json_t *plugins = json_array ();
    for (size_t i = 0; i < n; i++)
        json_array_append_new (plugins, json_string (paths[i]));
    json_object_set_new (o, "plugins", plugins);
    int rc = flurm_write_json (path, o, err);
    json_decref (o);
    g_free (path);
    return rc;
}

/* Run the runs not done yet, then merge.  Returns the exit status. */
static int run_local (const struct flurm_sweep *s, const char *dir, const char *exe,
                      unsigned jobs, bool quiet)
{
    flurm_error_t err;
    size_t *todo = g_new (size_t, s->nruns);
    size_t ntodo = 0;
    for (size_t r = 0; r < s->nruns; r++) {
        char *run_dir = flurm_sweep_run_dir (s, r, dir);
        if (!flurm_sweep_run_done (run_dir))
            todo[ntodo++] = r;
        g_free (run_dir);
    }
    if (!quiet)
        printf ("sweep %s: %zu runs, %zu done already, %zu to do (%u at a time), in %s\n",
                s->name, s->nruns, s->nruns - ntodo, ntodo, jobs, dir);
    fflush (stdout);
    struct runner r = {.s = s, .dir = dir, .exe = exe, .nslots = jobs,
                       .total = s->nruns, .finished = s->nruns - ntodo,
                       .bar = !quiet && ntodo > 0 && isatty (STDERR_FILENO)};
    r.slots = g_new0 (struct slot, jobs);
    int rc = run_all (&r, todo, ntodo, &err) < 0 ? cli_fail (NAME, 1, "%s", err.text) : 0;
    g_free (r.slots);
    g_free (todo);
    struct flurm_sweep_table t = {0};
    if (merge (s, dir, quiet, &t, &err) < 0)
        rc = cli_fail (NAME, 1, "%s", err.text);
    else if (r.failed)
        rc = 1;
    flurm_sweep_table_clear (&t);
    return rc;
}

static int merge_only (const struct flurm_sweep *s, const char *dir, bool quiet)
{
    flurm_error_t err;
    if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        return cli_fail (NAME, 1, "%s: no such folder (the runs of the sweep to merge)", dir);
    struct flurm_sweep_table t = {0};
    int rc = 0;
    if (merge (s, dir, quiet, &t, &err) < 0)
        rc = cli_fail (NAME, 1, "%s", err.text);
    else if (t.ndone < t.nruns)
        rc = cli_fail (NAME, 1, "%s: %zu of %zu runs have no summary.json (rows 'missing' in "
                       "sweep.csv)", dir, t.nruns - t.ndone, t.nruns);
    flurm_sweep_table_clear (&t);
    return rc;
}

int cmd_sweep (int argc, char **argv)
{
    char *output = NULL, *jobs_s = NULL, *emit_s = NULL;
    gboolean merge_only_f = FALSE, dry = FALSE, quiet = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Folder of the runs (default: results/sweeps/NAME)", "DIR"},
        {"jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs_s,
         "Runs at once (default: the number of cores)", "N"},
        {"emit", 0, 0, G_OPTION_ARG_STRING, &emit_s,
         "Write the runs for a cluster instead of running them: flux or slurm", "KIND"},
        {"merge-only", 0, 0, G_OPTION_ARG_NONE, &merge_only_f,
         "Merge the runs found in DIR, run nothing", NULL},
        {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry,
         "List the runs and their commands, run and write nothing", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No table, no progress bar", NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("SWEEP.yaml - run a sweep of configurations "
                                                "and merge their results");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    struct flurm_sweep *s = NULL;
    char *dir = NULL, *exe = NULL, *why = NULL;
    flurm_error_t err;
    int rc;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    rc = 2;
    uint32_t jobs = (uint32_t)MIN (g_get_num_processors (), MAX_PARALLEL);
    if (argc != 2) {
        rc = cli_fail (NAME, 2, "expected one SWEEP.yaml; try --help");
        goto done;
    }
    if (jobs_s && (!cli_parse_count ("--jobs", jobs_s, MAX_PARALLEL, &jobs, &why) || !jobs)) {
        rc = cli_fail (NAME, 2, "%s", why ? why : "--jobs 0: at least one run at a time");
        goto done;
    }
    if (emit_s && strcmp (emit_s, "flux") && strcmp (emit_s, "slurm")) {
        rc = cli_fail (NAME, 2, "--emit '%s': expected flux or slurm", emit_s);
        goto done;
    }
    if ((emit_s != NULL) + merge_only_f + dry > 1) {
        rc = cli_fail (NAME, 2, "--emit, --merge-only and --dry-run exclude each other");
        goto done;
    }
    rc = 1;
    if (!(s = flurm_sweep_load_file (argv[1], &err))) {
        cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    dir = output ? g_strdup (output) : g_build_filename ("results", "sweeps", s->name, NULL);
    if (flurm_sweep_check_dir (s, dir, &err) < 0) {
        cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    GError *gerr = NULL;
    if (!(exe = g_file_read_link ("/proc/self/exe", &gerr))) {
        cli_fail (NAME, 1, "cannot find this program (/proc/self/exe): %s", gerr->message);
        g_error_free (gerr);
        goto done;
    }
    if (dry) {
        dry_run (s, dir, exe);
        rc = 0;
    }
    else if (merge_only_f) {
        rc = merge_only (s, dir, quiet);
    }
    else if (write_expansion (s, dir, &err) < 0
             || (emit_s && emit (s, argv[1], dir, exe, emit_s, &err) < 0)) {
        cli_fail (NAME, 1, "%s", err.text);
    }
    else {
        rc = emit_s ? 0 : run_local (s, dir, exe, jobs, quiet);
    }
done:
    flurm_sweep_destroy (s);
    g_free (dir);
    g_free (exe);
    g_free (why);
    g_free (output);
    g_free (jobs_s);
    g_free (emit_s);
    g_option_context_free (ctx);
    return rc;
}
