/* sim/cli/cmd_match.c — `flurm-sim match`: place jobspecs on a graph with
 * the matcher, one at a time, like Fluxion's resource-query.
 *
 *   flurm-sim match -L GRAPH [-P POLICY] [--json] [--fluxion-strict]
 *                   [--shape compact|spread|node-exclusive -n N [-N NODES]
 *                    [-c CORES]] [JOBSPEC...]
 *
 * With jobspecs (or a shape) each request is allocated in order.  Without,
 * commands are read from standard input, one per line:
 *   allocate FILE                  (also: match allocate_with_satisfiability FILE)
 *   match allocate FILE            (no busy/unsatisfiable distinction)
 *   satisfiable FILE               (also: match satisfiability FILE)
 *   cancel JOBID, info JOBID, stat, help, quit
 * so a resource-query script (the NAME.in files of fluxion-conformance/raw)
 * replays as is.  Job ids start at 1 and advance on every allocated, busy
 * or unsatisfiable answer, not on errors, as resource-query's do.
 *
 * Output: per request the job id, the outcome and the allocation (a summary
 * line and R).  With --json, one JSON object per line in the form of a step
 * of the conformance sequences: {"op", "jobspec" (the file's base name),
 * "result", "jobid", "R"}, plus "error" for errors.  Errors in a command go
 * to stderr as one line naming the input line; the matcher state is left
 * as it was and the remaining commands still run; the exit status is then
 * 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "policies/match_policy.h"
#include "policies/shape.h"
#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/graphfile.h"
#include "sim/match.h"

#define PROG "flurm-sim match"
#define MAX_LINE 4096

struct session {
    struct flurm_matcher *m;
    bool json;
    uint64_t next_jobid;
    int errors;
    const char *where; /* "line 3" or the jobspec argument, for messages */
};

static void fail (struct session *s, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void fail (struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fprintf (stderr, PROG ": ");
    if (s->where)
        fprintf (stderr, "%s: ", s->where);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    s->errors++;
}

static void print_json (json_t *o)
{
    char *text = json_dumps (o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    puts (text);
    free (text);
    json_decref (o);
}

static json_t *alloc_R (const struct session *s, const struct flurm_alloc *a, double duration)
{
    flurm_error_t err;
    struct flurm_rv1 *r = flurm_alloc_to_rv1 (s->m, a, 0, duration, &err);
    if (!r)
        return json_null ();
    json_t *o = flurm_rv1_to_json (r);
    flurm_rv1_destroy (r);
    return o;
}

static void print_alloc_text (const struct session *s, const struct flurm_alloc *a,
                              double duration)
{
    char *summary = flurm_alloc_summary (s->m, a);
    json_t *R = alloc_R (s, a, duration);
    char *text = json_dumps (R, JSON_PRESERVE_ORDER | JSON_COMPACT);
    printf ("job %" PRIu64 " allocated: %s%s\n  R: %s\n", a->jobid, summary ? summary : "?",
            a->skipped_level ? " (skips a graph level: Fluxion would refuse, issue 498)" : "",
            text ? text : "null");
    free (text);
    json_decref (R);
    g_free (summary);
}

static const char *base_name (const char *path)
{
    const char *slash = strrchr (path, '/');
    return slash ? slash + 1 : path;
}

/* Allocate one jobspec; `label` names it in the output. */
static void allocate (struct session *s, const struct flurm_jobspec *js, const char *label,
                      bool check_sat)
{
    flurm_error_t err;
    const struct flurm_alloc *a = NULL;
    uint64_t jobid = s->next_jobid;
    enum flurm_match_result r = flurm_matcher_allocate (
        s->m, js, jobid, check_sat ? FLURM_MATCH_CHECK_SATISFIABLE : 0, &a, &err);
    if (r != FLURM_MATCH_ERROR)
        s->next_jobid++;
    if (r == FLURM_MATCH_ERROR)
        fail (s, "%s: %s", label, err.text);
    if (s->json) {
        json_t *o = json_pack ("{s:s, s:s, s:s, s:I}", "op", "allocate", "jobspec",
                               base_name (label), "result", flurm_match_result_str (r), "jobid",
                               (json_int_t)jobid);
        json_object_set_new (o, "R", a ? alloc_R (s, a, js->duration) : json_null ());
        if (r == FLURM_MATCH_ERROR)
            json_object_set_new (o, "error", json_string (err.text));
        print_json (o);
        return;
    }
    switch (r) {
    case FLURM_MATCH_ALLOCATED:
        print_alloc_text (s, a, js->duration);
        break;
    case FLURM_MATCH_BUSY:
        printf ("job %" PRIu64 " busy: the free resources do not match now\n", jobid);
        break;
    case FLURM_MATCH_UNSATISFIABLE:
        printf ("job %" PRIu64 " unsatisfiable: the request can never fit this graph\n", jobid);
        break;
    case FLURM_MATCH_ERROR:
        break;
    }
}

static struct flurm_jobspec *load_jobspec (struct session *s, const char *path)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_file (path, &err);
    if (!js)
        fail (s, "%s", err.text);
    return js;
}

static void satisfiable (struct session *s, const char *path)
{
    struct flurm_jobspec *js = load_jobspec (s, path);
    if (!js)
        return;
    flurm_error_t err;
    int rc = flurm_matcher_satisfiable (s->m, js, &err);
    if (rc < 0)
        fail (s, "%s: %s", path, err.text);
    else if (s->json)
        print_json (json_pack ("{s:s, s:s, s:b}", "op", "satisfiable", "jobspec",
                               base_name (path), "satisfiable", rc == 1));
    else
        printf ("%s: %s\n", path, rc == 1 ? "satisfiable" : "unsatisfiable");
    flurm_jobspec_destroy (js);
}

static bool parse_jobid (struct session *s, const char *cmd, const char *arg, uint64_t *id)
{
    char *end;
    errno = 0;
    unsigned long long v = arg ? strtoull (arg, &end, 10) : 0;
    if (!arg || !*arg || *end || errno || arg[0] == '-' || v == 0) {
        fail (s, "%s: '%s' is not a job id (a positive integer)", cmd, arg ? arg : "");
        return false;
    }
    *id = v;
    return true;
}

static void cancel (struct session *s, const char *arg)
{
    uint64_t id;
    flurm_error_t err;
    if (!parse_jobid (s, "cancel", arg, &id))
        return;
    if (flurm_matcher_free (s->m, id, &err) < 0) {
        fail (s, "cancel: %s", err.text);
        return;
    }
    if (s->json)
        print_json (json_pack ("{s:s, s:I}", "op", "cancel", "jobid", (json_int_t)id));
    else
        printf ("job %" PRIu64 " cancelled\n", id);
}

static void info (struct session *s, const char *arg)
{
    uint64_t id;
    if (!parse_jobid (s, "info", arg, &id))
        return;
    const struct flurm_alloc *a = flurm_matcher_lookup (s->m, id);
    if (!a) {
        fail (s, "info: no job %" PRIu64 " holds resources", id);
        return;
    }
    if (s->json) {
        json_t *o = json_pack ("{s:s, s:I, s:i, s:i, s:i}", "op", "info", "jobid",
                               (json_int_t)id, "nodes", (int)a->nnodes, "cores", (int)a->ncores,
                               "gpus", (int)a->ngpus);
        json_object_set_new (o, "R", alloc_R (s, a, 0));
        print_json (o);
    }
    else {
        char *summary = flurm_alloc_summary (s->m, a);
        printf ("job %" PRIu64 ": %zu nodes, %" PRIu32 " cores, %" PRIu32 " gpus: %s\n", id,
                a->nnodes, a->ncores, a->ngpus, summary ? summary : "?");
        g_free (summary);
    }
}

static void stat (struct session *s)
{
    struct flurm_match_stats st;
    flurm_matcher_stats (s->m, &st);
    size_t live = flurm_matcher_njobs (s->m);
    if (s->json) {
        print_json (json_pack ("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "op", "stat",
                               "jobs", (json_int_t)live, "allocate_calls",
                               (json_int_t)st.allocate_calls, "allocated",
                               (json_int_t)st.allocated, "busy", (json_int_t)st.busy,
                               "unsatisfiable", (json_int_t)st.unsatisfiable, "errors",
                               (json_int_t)st.errors, "freed", (json_int_t)st.freed, "visits",
                               (json_int_t)st.visits, "traversals", (json_int_t)st.traversals));
        return;
    }
    printf ("jobs holding resources: %zu\n"
            "allocate requests: %" PRIu64 " (%" PRIu64 " allocated, %" PRIu64 " busy, %" PRIu64
            " unsatisfiable, %" PRIu64 " errors)\n"
            "cancelled: %" PRIu64 "\n"
            "vertices visited: %" PRIu64 " in %" PRIu64 " traversals\n",
            live, st.allocate_calls, st.allocated, st.busy, st.unsatisfiable, st.errors, st.freed,
            st.visits, st.traversals);
}

static void help (void)
{
    printf ("commands:\n"
            "  allocate FILE        place a jobspec now (busy vs unsatisfiable told apart)\n"
            "  match allocate_with_satisfiability FILE   the same, resource-query style\n"
            "  match allocate FILE  place a jobspec; any failure is reported as busy\n"
            "  satisfiable FILE     could the jobspec ever fit (also: match satisfiability)\n"
            "  cancel JOBID         free a job's resources\n"
            "  info JOBID           what a job holds\n"
            "  stat                 counters\n"
            "  quit                 stop\n");
}

/* Run one command line; returns false on quit. */
static bool run_command (struct session *s, char *line)
{
    char *words[4] = {NULL};
    int n = 0;
    line += strspn (line, " \t");
    if (line[0] == '#')
        return true;
    for (char *tok = strtok (line, " \t\r\n"); tok; tok = strtok (NULL, " \t\r\n")) {
        if (n == 4) {
            fail (s, "too many words (try 'help')");
            return true;
        }
        words[n++] = tok;
    }
    if (n == 0)
        return true;
    const char *cmd = words[0];
    if (!strcmp (cmd, "quit") || !strcmp (cmd, "q"))
        return false;
    if (!strcmp (cmd, "help") || !strcmp (cmd, "h")) {
        help ();
        return true;
    }
    if (!strcmp (cmd, "stat") || !strcmp (cmd, "s")) {
        if (n != 1)
            fail (s, "stat takes no argument");
        else
            stat (s);
        return true;
    }
    if (!strcmp (cmd, "cancel") || !strcmp (cmd, "c") || !strcmp (cmd, "info")
        || !strcmp (cmd, "i")) {
        if (n != 2)
            fail (s, "usage: %s JOBID", cmd);
        else if (cmd[0] == 'c')
            cancel (s, words[1]);
        else
            info (s, words[1]);
        return true;
    }
    const char *file = NULL;
    enum { ALLOC_SAT, ALLOC, SATISFIABLE } what = ALLOC_SAT;
    if ((!strcmp (cmd, "allocate") || !strcmp (cmd, "satisfiable")) && n == 2) {
        file = words[1];
        what = cmd[0] == 'a' ? ALLOC_SAT : SATISFIABLE;
    }
    else if ((!strcmp (cmd, "match") || !strcmp (cmd, "m")) && n == 3) {
        file = words[2];
        if (!strcmp (words[1], "allocate_with_satisfiability"))
            what = ALLOC_SAT;
        else if (!strcmp (words[1], "allocate"))
            what = ALLOC;
        else if (!strcmp (words[1], "satisfiability"))
            what = SATISFIABLE;
        else {
            fail (s, "match: unknown subcommand '%s' (allocate, allocate_with_satisfiability "
                  "or satisfiability)", words[1]);
            return true;
        }
    }
    else {
        fail (s, "unknown or malformed command '%s' (try 'help')", cmd);
        return true;
    }
    if (what == SATISFIABLE) {
        satisfiable (s, file);
        return true;
    }
    struct flurm_jobspec *js = load_jobspec (s, file);
    if (js) {
        allocate (s, js, file, what == ALLOC_SAT);
        flurm_jobspec_destroy (js);
    }
    return true;
}

static void run_stdin (struct session *s)
{
    char line[MAX_LINE];
    char where[64];
    for (unsigned long lineno = 1; fgets (line, sizeof (line), stdin); lineno++) {
        snprintf (where, sizeof (where), "<stdin>:%lu", lineno);
        s->where = where;
        size_t len = strlen (line);
        if (len == sizeof (line) - 1 && line[len - 1] != '\n') {
            fail (s, "line longer than %d characters", MAX_LINE - 2);
            int c;
            while ((c = getchar ()) != EOF && c != '\n')
                ;
            continue;
        }
        bool go_on = run_command (s, line);
        fflush (stdout); /* a driver on a pipe waits for each answer */
        if (!go_on)
            break;
    }
    s->where = NULL;
}

static bool parse_count (const char *opt, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = text ? strtoull (text, &end, 10) : 0;
    if (!text || !*text || *end || errno || text[0] == '-' || v > FLURM_SHAPE_MAX_TASKS) {
        fprintf (stderr, PROG ": %s must be an integer 0 .. %u, not '%s'\n", opt,
                 FLURM_SHAPE_MAX_TASKS, text ? text : "");
        return false;
    }
    *out = v;
    return true;
}

static char *policy_help (void)
{
    size_t n;
    const struct flurm_match_policy_info *p = flurm_match_policy_list (&n);
    GString *s = g_string_new ("Match policies (-P):\n");
    for (size_t i = 0; i < n; i++)
        g_string_append_printf (s, "  %-11s %s\n", p[i].name, p[i].summary);
    g_string_append (s, "  or a Fluxion custom policy: \"policy=low|high node_centric=BOOL "
                        "node_exclusive=BOOL stop_on_1_matches=BOOL\"\n"
                        "Interactive commands (standard input, when no JOBSPEC is given):\n"
                        "  allocate FILE, match allocate[_with_satisfiability] FILE,\n"
                        "  satisfiable FILE, cancel JOBID, info JOBID, stat, help, quit");
    return g_string_free (s, FALSE);
}

int cmd_match (int argc, char **argv)
{
    char *graph = NULL, *policy = NULL, *shape = NULL, *ntasks = NULL, *nnodes = NULL,
         *cores = NULL;
    double duration = 0;
    gboolean json = FALSE, strict = FALSE, exhaustive = FALSE, help = FALSE;
    GOptionEntry entries[] = {
        {"load-file", 'L', 0, G_OPTION_ARG_FILENAME, &graph, "The graph (JGF or R)", "GRAPH"},
        {"policy", 'P', 0, G_OPTION_ARG_STRING, &policy, "Match policy (default first)",
         "POLICY"},
        {"json", 'j', 0, G_OPTION_ARG_NONE, &json, "One JSON object per line per request", NULL},
        {"fluxion-strict", 0, 0, G_OPTION_ARG_NONE, &strict,
         "Refuse to skip graph levels, as Fluxion does (issue 498)", NULL},
        {"exhaustive", 0, 0, G_OPTION_ARG_NONE, &exhaustive,
         "Walk every candidate as Fluxion does (slow; same result)", NULL},
        {"shape", 's', 0, G_OPTION_ARG_STRING, &shape,
         "Build the request from a shape: compact, spread or node-exclusive", "SHAPE"},
        {"ntasks", 'n', 0, G_OPTION_ARG_STRING, &ntasks, "Tasks for --shape", "N"},
        {"nodes", 'N', 0, G_OPTION_ARG_STRING, &nnodes, "Nodes for --shape", "N"},
        {"cores-per-task", 'c', 0, G_OPTION_ARG_STRING, &cores, "Cores per task for --shape",
         "N"},
        {"duration", 't', 0, G_OPTION_ARG_DOUBLE, &duration,
         "Duration in seconds for --shape (0 = unlimited)", "SECONDS"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("[JOBSPEC...] - place jobspecs as Fluxion does");
    g_option_context_set_help_enabled (ctx, FALSE);
    char *desc = policy_help ();
    g_option_context_set_summary (
        ctx, "Loads a graph and places each JOBSPEC (or the --shape request) with the\n"
             "matcher, printing the job id, the outcome and R.  Without JOBSPEC, reads\n"
             "commands from standard input, like Fluxion's resource-query.");
    g_option_context_set_description (ctx, desc);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int status = 2;
    struct flurm_graph *g = NULL;
    struct session s = {.json = json, .next_jobid = 1};
    struct flurm_jobspec *shaped = NULL;
    if ((status = cli_parse_options ("match", ctx, &argc, &argv, &help)) >= 0)
        goto out;
    status = 2;
    s.json = json;
    if (!graph) {
        fprintf (stderr, PROG ": no graph given: use -L GRAPH (try '" PROG " --help')\n");
        goto out;
    }
    if (!shape && (ntasks || nnodes || cores)) {
        fprintf (stderr, PROG ": -n, -N and -c go with --shape\n");
        goto out;
    }
    flurm_error_t err;
    struct flurm_shape_request req = {.duration = duration};
    if (shape) {
        if (flurm_shape_from_name (shape, &req.shape, &err) < 0) {
            fprintf (stderr, PROG ": %s\n", err.text);
            goto out;
        }
        if (!ntasks) {
            fprintf (stderr, PROG ": --shape needs -n N (the number of tasks)\n");
            goto out;
        }
        if (!parse_count ("-n", ntasks, &req.ntasks)
            || (nnodes && !parse_count ("-N", nnodes, &req.nnodes))
            || (cores && !parse_count ("-c", cores, &req.cores_per_task)))
            goto out;
    }
    status = 1;
    g = flurm_graph_load_file (graph, 0, NULL, &err);
    if (!g) {
        fprintf (stderr, PROG ": %s\n", err.text);
        goto out;
    }
    struct flurm_match_options opts = {.fluxion_strict = strict, .exhaustive = exhaustive};
    s.m = flurm_matcher_create (g, policy, &opts, &err);
    if (!s.m) {
        fprintf (stderr, PROG ": %s\n", err.text);
        goto out;
    }
    if (shape) {
        struct flurm_shape_geometry geo;
        if (flurm_shape_geometry (g, &geo, &err) < 0
            || !(shaped = flurm_shape_jobspec (&req, &geo, &err))) {
            fprintf (stderr, PROG ": %s\n", err.text);
            goto out;
        }
        char label[64];
        snprintf (label, sizeof (label), "%s-%" PRIu64, shape, req.ntasks);
        allocate (&s, shaped, label, true);
    }
    for (int i = 1; i < argc; i++) {
        s.where = NULL;
        struct flurm_jobspec *js = load_jobspec (&s, argv[i]);
        if (js) {
            allocate (&s, js, argv[i], true);
            flurm_jobspec_destroy (js);
        }
    }
    if (!shape && argc < 2)
        run_stdin (&s);
    status = s.errors ? 1 : 0;
    if (fflush (stdout) != 0) {
        perror (PROG ": writing output");
        status = 1;
    }
out:
    flurm_jobspec_destroy (shaped);
    flurm_matcher_destroy (s.m);
    flurm_graph_destroy (g);
    g_option_context_free (ctx);
    g_free (desc);
    g_free (graph);
    g_free (policy);
    g_free (shape);
    g_free (ntasks);
    g_free (nnodes);
    g_free (cores);
    return status;
}
