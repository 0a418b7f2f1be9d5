/* sim/sweep.c — the sweep file, its expansion into runs, and the merge of
 * the runs' summaries.
 *
 * Invariants: once loaded, every value of every axis is one `flurm-sim
 * run` accepts, written the way run parses it back, and no two values of
 * an axis are equal, so run names are unique and every run's folder is a
 * plain file name.  Run i's values are i written in the mixed radix of the
 * axes' sizes, the last axis the fastest digit: the order of nested loops
 * over the axes as written, which is the order a reader expects the table
 * in.  Nothing here starts a process: the caller runs the runs (locally or
 * on a cluster) and this file reads what they left.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "models/interference.h"
#include "policies/match_policy.h"
#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "sim/csvout.h"
#include "sim/doc.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"
#include "sim/metrics.h"
#include "sim/names.h"
#include "sim/outfile.h"
#include "sim/sweep.h"
#include "sim/topo.h"

/* A summary.json is a few kilobytes; anything near this is not one. */
#define SUMMARY_MAX_BYTES (16u << 20)
/* The longest file name Linux file systems take. */
#define RUN_NAME_MAX 255

enum axis_kind {
    AXIS_QUEUE_POLICY,
    AXIS_MATCH_POLICY,
    AXIS_PAIRING,
    AXIS_INTERFERENCE,
    AXIS_INTEGER,
    AXIS_LOAD_FACTOR,
};

/* The axes a sweep may vary: run options, with the ranges run accepts. */
static const struct axis_def {
    const char *name;
    enum axis_kind kind;
    int64_t min, max;
} axis_defs[] = {
    {"queue-policy", AXIS_QUEUE_POLICY, 0, 0},
    {"match-policy", AXIS_MATCH_POLICY, 0, 0},
    {"pairing", AXIS_PAIRING, 0, 0},
    {"interference", AXIS_INTERFERENCE, 0, 0},
    {"seed", AXIS_INTEGER, 0, INT64_MAX},
    {"load-factor", AXIS_LOAD_FACTOR, 0, 0},
    {"nodes", AXIS_INTEGER, 1, FLURM_TOPO_MAX_NODES},
    {"queue-depth", AXIS_INTEGER, 1, FLURM_QUEUE_DEPTH_MAX},
    {"reservation-depth", AXIS_INTEGER, 1, FLURM_RESERVATION_DEPTH_MAX},
};

static const struct axis_def *axis_def (const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS (axis_defs); i++) {
        if (!strcmp (axis_defs[i].name, name))
            return &axis_defs[i];
    }
    return NULL;
}

/* Re-report err's text at node n ("SWEEP:LINE:COL: text"). */
static int at_node (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                    flurm_error_t *err)
{
    char inner[FLURM_ERROR_MAX];
    memcpy (inner, err->text, sizeof (inner));
    return flurm_doc_error (doc, n, err, "%s", inner);
}

static int check_match_policy (const char *name, flurm_error_t *err)
{
    size_t n;
    const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
    GString *known = g_string_new (NULL);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp (list[i].name, name)) {
            g_string_free (known, TRUE);
            return 0;
        }
        g_string_append_printf (known, "%s%s", i ? ", " : "", list[i].name);
    }
    flurm_error_set (err, "unknown match policy '%s' (a sweep takes the registered ones: %s)",
                     FLURM_ESCAPED (name), known->str);
    g_string_free (known, TRUE);
    return -1;
}

/* The value at n, checked for its axis, in the text run parses back to
 * it (g_free), or NULL with err at n. */
static char *axis_value (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                         const struct axis_def *def, flurm_error_t *err)
{
    if (def->kind == AXIS_INTEGER) {
        int64_t v;
        if (flurm_doc_int64 (doc, n, def->name, def->min, def->max, &v, err) < 0)
            return NULL;
        return g_strdup_printf ("%" PRId64, v);
    }
    if (def->kind == AXIS_LOAD_FACTOR) {
        double f;
        if (flurm_doc_double (doc, n, def->name, &f, err) < 0)
            return NULL;
        if (!(f >= FLURM_LOAD_FACTOR_MIN && f <= FLURM_LOAD_FACTOR_MAX)) {
            flurm_doc_error (doc, n, err, "load-factor must be from %g to %g (got %s)",
                             FLURM_LOAD_FACTOR_MIN, FLURM_LOAD_FACTOR_MAX, n->text);
            return NULL;
        }
        return g_strdup_printf ("%.*g", flurm_json_real_digits (f), f);
    }
    const char *s = flurm_doc_string (doc, n, def->name, err);
    if (!s)
        return NULL;
    enum flurm_interference_kind kind;
    int rc = 0;
    switch (def->kind) {
    case AXIS_QUEUE_POLICY:
        rc = flurm_queue_policy_lookup (s, err) ? 0 : -1;
        break;
    case AXIS_MATCH_POLICY:
        rc = check_match_policy (s, err);
        break;
    case AXIS_PAIRING:
        rc = flurm_pairing_lookup (s, err) ? 0 : -1;
        break;
    default:
        rc = flurm_interference_kind_parse (s, &kind, err);
        break;
    }
    if (rc < 0) {
        at_node (doc, n, err);
        return NULL;
    }
    return g_strdup (s);
}

static int read_axis (const struct flurm_doc *doc, const char *name,
                      const struct flurm_doc_node *key, const struct flurm_doc_node *list,
                      struct flurm_sweep_axis *axis, flurm_error_t *err)
{
    const struct axis_def *def = axis_def (name);
    if (!def) {
        GString *known = g_string_new (NULL);
        for (size_t i = 0; i < G_N_ELEMENTS (axis_defs); i++)
            g_string_append_printf (known, "%s%s", i ? ", " : "", axis_defs[i].name);
        flurm_doc_error (doc, key, err, "unknown axis '%s' (expected one of %s)",
                         FLURM_ESCAPED (name), known->str);
        g_string_free (known, TRUE);
        return -1;
    }
    axis->name = g_strdup (name);
    if (flurm_doc_expect (doc, list, FLURM_DOC_SEQUENCE, name, err) < 0)
        return -1;
    if (list->n == 0)
        return flurm_doc_error (doc, list, err, "axis '%s' is empty: give it at least one value",
                                name);
    axis->values = g_new0 (char *, list->n + 1);
    for (size_t i = 0; i < list->n; i++) {
        const struct flurm_doc_node *n = list->items[i];
        char *v = axis_value (doc, n, def, err);
        if (!v)
            return -1;
        for (size_t k = 0; k < i; k++) {
            if (!strcmp (axis->values[k], v)) {
                const struct flurm_doc_node *first = list->items[k];
                flurm_doc_error (doc, n, err, "duplicate run: %s=%s is already at line %d, "
                                 "column %d", name, v, first->line, first->col);
                g_free (v);
                return -1;
            }
        }
        axis->values[axis->nvalues++] = v;
    }
    return 0;
}

/* The longest run name the axes can make must be a file name. */
static int check_name_length (const struct flurm_doc *doc, const struct flurm_doc_node *at,
                              const struct flurm_sweep *s, flurm_error_t *err)
{
    size_t len = 0;
    for (size_t a = 0; a < s->naxes; a++) {
        size_t longest = 0;
        for (size_t i = 0; i < s->axes[a].nvalues; i++)
            longest = MAX (longest, strlen (s->axes[a].values[i]));
        len += (a ? 1 : 0) + strlen (s->axes[a].name) + 1 + longest;
    }
    if (len > RUN_NAME_MAX)
        return flurm_doc_error (doc, at, err, "run names would be up to %zu bytes, longer than "
                                "a file name may be (%d)", len, RUN_NAME_MAX);
    return 0;
}

static int read_axes (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                      struct flurm_sweep *s, flurm_error_t *err)
{
    if (flurm_doc_expect (doc, n, FLURM_DOC_MAPPING, "axes", err) < 0)
        return -1;
    if (n->n == 0)
        return flurm_doc_error (doc, n, err, "axes must name at least one axis");
    s->axes = g_new0 (struct flurm_sweep_axis, n->n);
    s->nruns = 1;
    for (size_t i = 0; i < n->n; i++) {
        struct flurm_sweep_axis *axis = &s->axes[s->naxes++];
        if (read_axis (doc, flurm_doc_key (n, i), n->items[2 * i], flurm_doc_value (n, i), axis,
                       err) < 0)
            return -1;
        if (s->nruns > FLURM_SWEEP_MAX_RUNS / axis->nvalues)
            return flurm_doc_error (doc, n->items[2 * i], err, "the axes make more than %u "
                                    "runs", FLURM_SWEEP_MAX_RUNS);
        s->nruns *= axis->nvalues;
    }
    return check_name_length (doc, n, s, err);
}

/* Options are passed to every run as they are, but not those the sweep
 * sets itself: the output folder and the axes. */
static int read_options (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                         struct flurm_sweep *s, flurm_error_t *err)
{
    if (flurm_doc_expect (doc, n, FLURM_DOC_SEQUENCE, "options", err) < 0)
        return -1;
    for (size_t i = 0; i < n->n; i++) {
        const char *o = flurm_doc_string (doc, n->items[i], "option", err);
        if (!o)
            return -1;
        if (!*o)
            return flurm_doc_error (doc, n->items[i], err, "an option is empty");
        bool taken = g_str_has_prefix (o, "-o") || g_str_has_prefix (o, "--output");
        for (size_t a = 0; !taken && a < s->naxes; a++) {
            size_t len = strlen (s->axes[a].name);
            taken = g_str_has_prefix (o, "--") && !strncmp (o + 2, s->axes[a].name, len)
                    && (o[2 + len] == '\0' || o[2 + len] == '=');
        }
        if (taken)
            return flurm_doc_error (doc, n->items[i], err, "option '%s' is set by the sweep "
                                    "itself (the output folder or an axis)", FLURM_ESCAPED (o));
        s->options[i] = g_strdup (o);
    }
    return 0;
}

static int read_trace (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                       const char *base_dir, struct flurm_sweep *s, flurm_error_t *err)
{
    const char *text = flurm_doc_string (doc, n, "trace", err);
    if (!text)
        return -1;
    if (!*text)
        return flurm_doc_error (doc, n, err, "trace is empty");
    s->trace_text = g_strdup (text);
    s->trace = g_path_is_absolute (text) ? g_strdup (text)
                                         : g_build_filename (base_dir, text, NULL);
    struct stat st;
    if (stat (s->trace, &st) < 0)
        return flurm_doc_error (doc, n, err, "trace %s: %s", s->trace, g_strerror (errno));
    if (!S_ISREG (st.st_mode))
        return flurm_doc_error (doc, n, err, "trace %s is not a file", s->trace);
    return 0;
}

static int read_name (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                      struct flurm_sweep *s, flurm_error_t *err)
{
    const char *name = flurm_doc_string (doc, n, "name", err);
    if (!name)
        return -1;
    const char *problem = flurm_name_vertex_problem (name);
    if (!problem && (!strcmp (name, ".") || !strcmp (name, "..")))
        problem = "is not a folder name";
    if (problem)
        return flurm_doc_error (doc, n, err, "name '%s' %s (it names the sweep's folder)",
                                FLURM_ESCAPED (name), problem);
    s->name = g_strdup (name);
    return 0;
}

static int read_sweep (const struct flurm_doc *doc, const char *base_dir, struct flurm_sweep *s,
                       flurm_error_t *err)
{
    static const char *const keys[] = {"name", "trace", "axes", "options", NULL};
    const struct flurm_doc_node *root = doc->root;
    if (!root)
        return flurm_error_set (err, "%s: empty sweep file", doc->source);
    if (flurm_doc_expect (doc, root, FLURM_DOC_MAPPING, "sweep", err) < 0
        || flurm_doc_check_keys (doc, root, keys, "sweep", err) < 0)
        return -1;
    const struct flurm_doc_node *name = flurm_doc_get (root, "name");
    const struct flurm_doc_node *trace = flurm_doc_get (root, "trace");
    const struct flurm_doc_node *axes = flurm_doc_get (root, "axes");
    const struct flurm_doc_node *options = flurm_doc_get (root, "options");
    if (!name)
        return flurm_doc_error (doc, root, err, "sweep has no name:");
    if (!trace)
        return flurm_doc_error (doc, root, err, "sweep has no trace:");
    if (!axes)
        return flurm_doc_error (doc, root, err, "sweep has no axes:");
    s->options = g_new0 (char *, (options ? options->n : 0) + 1);
    if (read_name (doc, name, s, err) < 0 || read_trace (doc, trace, base_dir, s, err) < 0
        || read_axes (doc, axes, s, err) < 0)
        return -1;
    return options ? read_options (doc, options, s, err) : 0;
}

static struct flurm_sweep *load_doc (struct flurm_doc *doc, const char *base_dir,
                                     flurm_error_t *err)
{
    struct flurm_sweep *s = g_new0 (struct flurm_sweep, 1);
    s->source = g_strdup (doc->source);
    int rc = read_sweep (doc, base_dir, s, err);
    flurm_doc_destroy (doc);
    if (rc < 0) {
        flurm_sweep_destroy (s);
        return NULL;
    }
    return s;
}

struct flurm_sweep *flurm_sweep_load_buffer (const char *data, size_t len, const char *source,
                                             const char *base_dir, flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_load_buffer (data, len, source, err);
    return doc ? load_doc (doc, base_dir ? base_dir : ".", err) : NULL;
}

struct flurm_sweep *flurm_sweep_load_file (const char *path, flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_load_file (path, err);
    if (!doc)
        return NULL;
    char *dir = g_path_get_dirname (path);
    struct flurm_sweep *s = load_doc (doc, dir, err);
    g_free (dir);
    return s;
}

void flurm_sweep_destroy (struct flurm_sweep *s)
{
    if (!s)
        return;
    for (size_t a = 0; a < s->naxes; a++) {
        g_free (s->axes[a].name);
        g_strfreev (s->axes[a].values);
    }
    g_free (s->axes);
    g_strfreev (s->options);
    g_free (s->source);
    g_free (s->name);
    g_free (s->trace_text);
    g_free (s->trace);
    g_free (s);
}

/* ---- the runs ---------------------------------------------------------- */

const char *flurm_sweep_value (const struct flurm_sweep *s, size_t run, size_t axis)
{
    size_t rest = run;
    for (size_t a = s->naxes; a-- > axis + 1;)
        rest /= s->axes[a].nvalues;
    return s->axes[axis].values[rest % s->axes[axis].nvalues];
}

char *flurm_sweep_run_name (const struct flurm_sweep *s, size_t run)
{
    GString *name = g_string_new (NULL);
    for (size_t a = 0; a < s->naxes; a++)
        g_string_append_printf (name, "%s%s=%s", a ? "," : "", s->axes[a].name,
                                flurm_sweep_value (s, run, a));
    return g_string_free (name, FALSE);
}

char *flurm_sweep_run_dir (const struct flurm_sweep *s, size_t run, const char *dir)
{
    char *name = flurm_sweep_run_name (s, run);
    char *path = g_build_filename (dir, name, NULL);
    g_free (name);
    return path;
}

char **flurm_sweep_run_args (const struct flurm_sweep *s, size_t run, const char *trace,
                             const char *run_dir)
{
    GPtrArray *args = g_ptr_array_new ();
    g_ptr_array_add (args, g_strdup (trace));
    g_ptr_array_add (args, g_strdup ("-o"));
    g_ptr_array_add (args, g_strdup (run_dir));
    for (size_t a = 0; a < s->naxes; a++) {
        g_ptr_array_add (args, g_strdup_printf ("--%s", s->axes[a].name));
        g_ptr_array_add (args, g_strdup (flurm_sweep_value (s, run, a)));
    }
    for (char **o = s->options; *o; o++)
        g_ptr_array_add (args, g_strdup (*o));
    /* a run's table and progress bar would only interleave with others' */
    g_ptr_array_add (args, g_strdup ("--quiet"));
    g_ptr_array_add (args, NULL);
    return (char **)g_ptr_array_free (args, FALSE);
}

/* summary.json of run_dir parsed, or NULL: *absent tells a missing file
 * from an unreadable one (err). */
static json_t *load_summary (const char *run_dir, bool *absent, flurm_error_t *err)
{
    char *path = g_build_filename (run_dir, "summary.json", NULL);
    json_t *o = NULL;
    *absent = !g_file_test (path, G_FILE_TEST_EXISTS);
    if (!*absent) {
        size_t len;
        char *text = flurm_read_file (path, SUMMARY_MAX_BYTES, &len, err);
        if (text)
            o = flurm_json_parse (text, len, 0, path, NULL, err);
        g_free (text);
        if (o && !json_is_object (o)) {
            flurm_error_set (err, "%s: not a run summary (a JSON object)", path);
            json_decref (o);
            o = NULL;
        }
    }
    g_free (path);
    return o;
}

bool flurm_sweep_run_done (const char *run_dir)
{
    bool absent;
    json_t *o = load_summary (run_dir, &absent, NULL);
    json_decref (o);
    return o != NULL;
}

static json_t *string_array (char *const *v, size_t n)
{
    json_t *a = json_array ();
    for (size_t i = 0; i < n; i++)
        json_array_append_new (a, json_string (v[i]));
    return a;
}

json_t *flurm_sweep_json (const struct flurm_sweep *s, const char *dir)
{
    json_t *axes = json_object ();
    for (size_t a = 0; a < s->naxes; a++)
        json_object_set_new (axes, s->axes[a].name,
                             string_array (s->axes[a].values, s->axes[a].nvalues));
    json_t *runs = json_array ();
    for (size_t r = 0; r < s->nruns; r++) {
        json_t *values = json_object ();
        for (size_t a = 0; a < s->naxes; a++)
            json_object_set_new (values, s->axes[a].name,
                                 json_string (flurm_sweep_value (s, r, a)));
        char *name = flurm_sweep_run_name (s, r);
        char *run_dir = g_build_filename (dir, name, NULL);
        char **args = flurm_sweep_run_args (s, r, s->trace, run_dir);
        json_array_append_new (runs, json_pack ("{s:I, s:s, s:o, s:o}", "index", (json_int_t)r,
                                                "run", name, "values", values, "args",
                                                string_array (args, g_strv_length (args))));
        g_strfreev (args);
        g_free (run_dir);
        g_free (name);
    }
    return json_pack ("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o}", "flurm_version",
                      FLURM_VERSION, "name", s->name, "sweep", s->source, "trace",
                      s->trace_text, "options",
                      string_array (s->options, g_strv_length (s->options)), "axes", axes,
                      "nruns", (json_int_t)s->nruns, "runs", runs);
}

int flurm_sweep_check_dir (const struct flurm_sweep *s, const char *dir, flurm_error_t *err)
{
    char *path = g_build_filename (dir, "sweep.json", NULL);
    int rc = 0;
    if (g_file_test (path, G_FILE_TEST_EXISTS)) {
        size_t len;
        char *text = flurm_read_file (path, SUMMARY_MAX_BYTES, &len, err);
        json_t *old = text ? flurm_json_parse (text, len, 0, path, NULL, err) : NULL;
        json_t *options = string_array (s->options, g_strv_length (s->options));
        const char *trace = json_string_value (json_object_get (old, "trace"));
        if (!old)
            rc = -1;
        else if (!trace || strcmp (trace, s->trace_text)
                 || !json_equal (json_object_get (old, "options"), options))
            rc = flurm_error_set (err, "%s: this folder holds a sweep of another trace or "
                                  "with other options (trace %s); use another -o DIR or "
                                  "remove it", path, trace ? trace : "?");
        json_decref (options);
        json_decref (old);
        g_free (text);
    }
    g_free (path);
    return rc;
}

/* ---- the merge ------------------------------------------------------- */

/* The number at a dotted path of a summary ("wait.mean"). */
static int figure (const json_t *summary, const char *key, const char *path, double *out,
                   flurm_error_t *err)
{
    char **parts = g_strsplit (key, ".", -1);
    const json_t *v = summary;
    for (char **p = parts; v && *p; p++)
        v = json_object_get (v, *p);
    g_strfreev (parts);
    if (!json_is_number (v))
        return flurm_error_set (err, "%s: %s is missing or not a number", path, key);
    *out = json_number_value (v);
    return 0;
}

static int read_row (const json_t *sum, const char *path, struct flurm_sweep_row *row,
                     flurm_error_t *err)
{
    double completed;
    if (figure (sum, "jobs.completed", path, &completed, err) < 0
        || figure (sum, "makespan", path, &row->makespan, err) < 0
        || figure (sum, "utilisation", path, &row->utilisation, err) < 0
        || figure (sum, "wait.mean", path, &row->wait_mean, err) < 0
        || figure (sum, "wait.median", path, &row->wait_median, err) < 0
        || figure (sum, "wait.p95", path, &row->wait_p95, err) < 0
        || figure (sum, "bounded_slowdown.mean", path, &row->bsld_mean, err) < 0
        || figure (sum, "node_hours", path, &row->node_hours, err) < 0)
        return -1;
    if (!(completed >= 0 && completed == floor (completed)))
        return flurm_error_set (err, "%s: jobs.completed is not a count", path);
    row->completed = (uint64_t)completed;
    row->slowdown = NAN;
    if (json_object_get (sum, "interference")
        && figure (sum, "interference.mean_slowdown", path, &row->slowdown, err) < 0)
        return -1;
    row->done = true;
    return 0;
}

int flurm_sweep_merge (const struct flurm_sweep *s, const char *dir,
                       struct flurm_sweep_table *out, flurm_error_t *err)
{
    memset (out, 0, sizeof (*out));
    out->rows = g_new0 (struct flurm_sweep_row, s->nruns);
    out->nruns = s->nruns;
    for (size_t r = 0; r < s->nruns; r++) {
        char *run_dir = flurm_sweep_run_dir (s, r, dir);
        bool absent;
        json_t *sum = load_summary (run_dir, &absent, err);
        char *path = g_build_filename (run_dir, "summary.json", NULL);
        int rc = absent ? 0 : sum ? read_row (sum, path, &out->rows[r], err) : -1;
        json_decref (sum);
        g_free (path);
        g_free (run_dir);
        if (rc < 0) {
            flurm_sweep_table_clear (out);
            return -1;
        }
        out->rows[r].slowdown = out->rows[r].done ? out->rows[r].slowdown : NAN;
        out->ndone += out->rows[r].done;
        out->has_slowdown |= !isnan (out->rows[r].slowdown);
    }
    return 0;
}

void flurm_sweep_table_clear (struct flurm_sweep_table *t)
{
    g_free (t->rows);
    memset (t, 0, sizeof (*t));
}

/* Ratios near 1 (utilisation, slowdowns) differ between policies in the
 * fourth decimal, where csvout's three would hide them. */
static void csv_ratio (FILE *f, double x)
{
    if (!isnan (x))
        fprintf (f, "%.6f", x);
}

int flurm_sweep_write_csv (const struct flurm_sweep *s, const struct flurm_sweep_table *t,
                           const char *path, flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    fputs ("run", f);
    for (size_t a = 0; a < s->naxes; a++) {
        fputc (',', f);
        flurm_csv_text (f, s->axes[a].name);
    }
    fputs (",status,jobs_completed,makespan,utilisation,wait_mean,wait_median,wait_p95,"
           "bsld_mean,node_hours", f);
    fputs (t->has_slowdown ? ",interference_slowdown\n" : "\n", f);
    for (size_t r = 0; r < t->nruns; r++) {
        const struct flurm_sweep_row *row = &t->rows[r];
        char *name = flurm_sweep_run_name (s, r);
        flurm_csv_text (f, name);
        g_free (name);
        for (size_t a = 0; a < s->naxes; a++) {
            fputc (',', f);
            flurm_csv_text (f, flurm_sweep_value (s, r, a));
        }
        fputs (row->done ? ",done," : ",missing", f);
        if (row->done) {
            fprintf (f, "%" PRIu64 ",", row->completed);
            flurm_csv_number (f, row->makespan);
            fputc (',', f);
            csv_ratio (f, row->utilisation);
            const double seconds[] = {row->wait_mean, row->wait_median, row->wait_p95};
            for (size_t i = 0; i < G_N_ELEMENTS (seconds); i++) {
                fputc (',', f);
                flurm_csv_number (f, seconds[i]);
            }
            fputc (',', f);
            csv_ratio (f, row->bsld_mean);
            fputc (',', f);
            flurm_csv_number (f, row->node_hours);
        }
        else {
            fputs (",,,,,,,,", f);
        }
        if (t->has_slowdown) {
            fputc (',', f);
            csv_ratio (f, row->slowdown);
        }
        fputc ('\n', f);
    }
    return flurm_outfile_commit (out, err);
}
