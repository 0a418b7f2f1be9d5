/* sim/cli/cmd_report.c — flurm-sim report: runs as one HTML file.
 *
 *   flurm-sim report RUN... -o report.html
 *
 * RUN is a run folder (jobs.csv, summary.json, config.json) or a
 * jobs.csv-like file (`flurm-sim import -o FILE.csv`).  The report holds,
 * per run, its summary (summary.json), the per-queue waits, the plots and
 * the configuration that produced it (config.json); with several runs, a
 * comparison table first.
 *
 * The file is self-contained: the plots are PNGs inside data: URIs and
 * there is no external style or script, so it can be mailed or archived
 * and still open.  Plotting stays in scripts/flurm_plot.py (matplotlib);
 * this command checks its inputs, runs `flurm_plot.py all` once per run
 * into a temporary folder and assembles the page.  The script is
 * $FLURM_PLOT, else ../scripts/flurm_plot.py beside the binary (a build
 * folder inside the source tree); the interpreter is $FLURM_PYTHON, else
 * /usr/bin/python3 (Debian's, where python3-matplotlib installs), else
 * python3, whichever imports matplotlib.
 *
 * Invariants: every text from a file goes through html_text(), so no run
 * name, path or configuration value can open a tag; the page holds no
 * date or absolute temporary path, so the same runs give the same bytes;
 * the output is written atomically (sim/outfile.h) and only when every
 * run was read and plotted; the temporary folder is removed either way.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "sim/cli/cliutil.h"
#include "sim/cli/commands.h"
#include "sim/error.h"
#include "sim/infile.h"
#include "sim/jobscsv.h"
#include "sim/jsonutil.h"
#include "sim/outfile.h"

#define NAME "report"
#define JSON_MAX_BYTES (64u << 20)
#define PNG_MAX_BYTES (256u << 20)
#define PLOT_SCRIPT "flurm_plot.py"

struct report_run {
    const char *path;      /* as given on the command line */
    char *plot_dir;        /* where flurm_plot.py wrote its plots */
    json_t *summary;       /* NULL when the run has none (an import) */
    json_t *config;
    json_t *manifest;      /* plots.json: plots, skipped ones, figures */
};

/* ---- finding the plotting script and a Python with matplotlib ---- */

static char *find_script (flurm_error_t *err)
{
    const char *env = g_getenv ("FLURM_PLOT");
    if (env && *env) {
        if (!g_file_test (env, G_FILE_TEST_IS_REGULAR)) {
            flurm_error_set (err, "FLURM_PLOT=%s: no such file", FLURM_ESCAPED (env));
            return NULL;
        }
        return g_strdup (env);
    }
    char *exe = g_file_read_link ("/proc/self/exe", NULL);
    char *dir = exe ? g_path_get_dirname (exe) : NULL;
    char *rel = dir ? g_build_filename ("..", "scripts", PLOT_SCRIPT, NULL) : NULL;
    char *path = dir ? g_canonicalize_filename (rel, dir) : NULL;
    g_free (rel);
    g_free (exe);
    g_free (dir);
    if (path && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
    flurm_error_set (err, "cannot find %s (looked for %s); set FLURM_PLOT to its path",
                     PLOT_SCRIPT, path ? path : "../scripts beside the program");
    g_free (path);
    return NULL;
}

static bool imports_matplotlib (const char *python)
{
    char *argv[] = {(char *)python, "-c", "import matplotlib", NULL};
    int status;
    if (!g_spawn_sync (NULL, argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                           | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL))
        return false;
    return g_spawn_check_wait_status (status, NULL);
}

static char *find_python (flurm_error_t *err)
{
    const char *env = g_getenv ("FLURM_PYTHON");
    if (env && *env) {
        if (imports_matplotlib (env))
            return g_strdup (env);
        flurm_error_set (err, "FLURM_PYTHON=%s cannot import matplotlib "
                         "(install python3-matplotlib)", FLURM_ESCAPED (env));
        return NULL;
    }
    static const char *const candidates[] = {"/usr/bin/python3", "python3"};
    for (size_t i = 0; i < G_N_ELEMENTS (candidates); i++) {
        if (imports_matplotlib (candidates[i]))
            return g_strdup (candidates[i]);
    }
    flurm_error_set (err, "no Python 3 with matplotlib found for the plots "
                     "(install python3-matplotlib)");
    return NULL;
}

/* ---- reading a run ---- */

static json_t *load_json (const char *path, flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (path, JSON_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    json_t *o = flurm_json_parse (data, len, 0, path, NULL, err);
    g_free (data);
    if (o && !json_is_object (o)) {
        flurm_error_set (err, "%s: expected a JSON object", path);
        json_decref (o);
        return NULL;
    }
    return o;
}

/* A file of the folder, or NULL without error when it is absent. */
static int load_optional (const char *dir, const char *name, json_t **out, flurm_error_t *err)
{
    char *path = g_build_filename (dir, name, NULL);
    *out = NULL;
    int rc = 0;
    if (g_file_test (path, G_FILE_TEST_EXISTS) && !(*out = load_json (path, err)))
        rc = -1;
    g_free (path);
    return rc;
}

/* The run's jobs.csv is read by the library's reader first, so a bad row
 * is reported as every other command reports it (FILE:LINE: ...). */
static int check_run (struct report_run *r, flurm_error_t *err)
{
    bool dir = g_file_test (r->path, G_FILE_TEST_IS_DIR);
    char *csv = dir ? g_build_filename (r->path, "jobs.csv", NULL) : g_strdup (r->path);
    int rc = -1;
    if (!g_file_test (r->path, G_FILE_TEST_EXISTS)) {
        flurm_error_set (err, "%s: cannot open: %s", r->path, g_strerror (ENOENT));
    } else if (dir && !g_file_test (csv, G_FILE_TEST_EXISTS)) {
        flurm_error_set (err, "%s: not a run folder (no jobs.csv)", r->path);
    } else {
        struct flurm_csv_jobs *jobs = flurm_csv_jobs_load (csv, err);
        if (jobs && jobs->njobs == 0)
            flurm_error_set (err, "%s: no jobs", csv);
        else if (jobs && (!dir || (load_optional (r->path, "summary.json", &r->summary, err) == 0
                                   && load_optional (r->path, "config.json", &r->config, err)
                                          == 0)))
            rc = 0;
        flurm_csv_jobs_destroy (jobs);
    }
    g_free (csv);
    return rc;
}

/* The last line the script wrote on stderr is its error (one line by its
 * contract); earlier lines would be warnings. */
static void script_error (const char *text, int status, flurm_error_t *err)
{
    char **lines = g_strsplit (text ? text : "", "\n", -1);
    const char *last = NULL;
    for (char **l = lines; *l; l++) {
        if (**l)
            last = *l;
    }
    if (last)
        flurm_error_set (err, "%s", last);
    else
        flurm_error_set (err, "%s failed (wait status %d) and said nothing", PLOT_SCRIPT, status);
    g_strfreev (lines);
}

static int plot_run (const char *python, const char *script, struct report_run *r,
                     flurm_error_t *err)
{
    char *argv[] = {(char *)python, (char *)script, "all", (char *)r->path, "-o", r->plot_dir,
                    "--format", "png", NULL};
    char *out = NULL, *errtext = NULL;
    int status = 0;
    GError *gerr = NULL;
    int rc = -1;
    if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errtext,
                       &status, &gerr)) {
        flurm_error_set (err, "cannot run %s: %s", python, gerr->message);
        g_error_free (gerr);
    } else if (!g_spawn_check_wait_status (status, NULL)) {
        script_error (errtext, status, err);
    } else {
        char *manifest = g_build_filename (r->plot_dir, "plots.json", NULL);
        r->manifest = load_json (manifest, err);
        rc = r->manifest ? 0 : -1;
        g_free (manifest);
    }
    g_free (out);
    g_free (errtext);
    return rc;
}

/* ---- HTML ---- */

static void html_text (GString *h, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append (h, "&amp;"); break;
        case '<': g_string_append (h, "&lt;"); break;
        case '>': g_string_append (h, "&gt;"); break;
        case '"': g_string_append (h, "&quot;"); break;
        case '\'': g_string_append (h, "&#39;"); break;
        default: g_string_append_c (h, *s); break;
        }
    }
}

/* A scalar as it reads in the file: strings without their quotes, reals
 * in the fewest digits that give them back, whole ones without an
 * exponent ("610", not "6.1e2"). */
static void html_scalar (GString *h, const json_t *v)
{
    if (json_is_string (v)) {
        html_text (h, json_string_value (v));
    } else if (json_is_real (v)) {
        double d = json_real_value (v);
        if (d == floor (d) && fabs (d) < FLURM_JSON_EXACT_INT)
            g_string_append_printf (h, "%.0f", d);
        else
            g_string_append_printf (h, "%.*g", flurm_json_real_digits (d), d);
    } else {
        char *s = json_dumps (v, JSON_ENCODE_ANY);
        html_text (h, s ? s : "?");
        free (s);
    }
}

/* A figure of the comparison or queue tables: "–" when unknown. */
static void html_number (GString *h, const json_t *v, int decimals, double factor)
{
    if (json_is_number (v) && isfinite (json_number_value (v)))
        g_string_append_printf (h, "%.*f", decimals, json_number_value (v) * factor);
    else
        g_string_append (h, "&ndash;");
}

/* summary.json as a two-column table: nested objects on one line each
 * ("mean 153.1, median 72.5, ..."), lists joined; keys it does not know
 * are shown all the same, so new summary fields appear without a change
 * here. */
static void html_summary (GString *h, const json_t *summary)
{
    g_string_append (h, "<table class=\"kv\">\n");
    const char *key;
    const json_t *v;
    json_object_foreach ((json_t *)summary, key, v) {
        g_string_append (h, "<tr><th>");
        html_text (h, key);
        g_string_append (h, "</th><td>");
        if (json_is_object (v)) {
            const char *k2;
            const json_t *v2;
            bool first = true;
            json_object_foreach ((json_t *)v, k2, v2) {
                g_string_append (h, first ? "" : ", ");
                html_text (h, k2);
                g_string_append_c (h, ' ');
                if (json_is_object (v2) || json_is_array (v2)) {
                    char *s = json_dumps (v2, JSON_COMPACT | flurm_json_real_precision (v2));
                    html_text (h, s ? s : "?");
                    free (s);
                } else {
                    html_scalar (h, v2);
                }
                first = false;
            }
        } else if (json_is_array (v)) {
            size_t i;
            const json_t *item;
            if (json_array_size (v) == 0)
                g_string_append (h, "none");
            json_array_foreach ((json_t *)v, i, item) {
                g_string_append (h, i ? "; " : "");
                html_scalar (h, item);
            }
        } else {
            html_scalar (h, v);
        }
        g_string_append (h, "</td></tr>\n");
    }
    g_string_append (h, "</table>\n");
}

static void html_stats (GString *h, const json_t *d, int decimals)
{
    static const char *const keys[] = {"mean", "median", "p95", "max"};
    for (size_t i = 0; i < G_N_ELEMENTS (keys); i++) {
        g_string_append (h, "<td>");
        html_number (h, json_object_get (d, keys[i]), decimals, 1);
        g_string_append (h, "</td>");
    }
}

static void html_queues (GString *h, const json_t *queues)
{
    g_string_append (h, "<table>\n<tr><th rowspan=\"2\">queue</th><th rowspan=\"2\">jobs</th>"
                        "<th rowspan=\"2\">ran</th><th colspan=\"4\">wait (s)</th>"
                        "<th colspan=\"4\">bounded slowdown</th></tr>\n<tr>");
    for (int i = 0; i < 2; i++)
        g_string_append (h, "<th>mean</th><th>median</th><th>p95</th><th>max</th>");
    g_string_append (h, "</tr>\n");
    size_t i;
    const json_t *q;
    json_array_foreach ((json_t *)queues, i, q) {
        g_string_append (h, "<tr><td>");
        html_text (h, json_string_value (json_object_get (q, "queue")));
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (q, "jobs"), 0, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (q, "ran"), 0, 1);
        g_string_append (h, "</td>");
        html_stats (h, json_object_get (q, "wait"), 1);
        html_stats (h, json_object_get (q, "bsld"), 2);
        g_string_append (h, "</tr>\n");
    }
    g_string_append (h, "</table>\n");
}

static int html_plots (GString *h, const struct report_run *r, flurm_error_t *err)
{
    size_t i;
    const json_t *p;
    json_array_foreach (json_object_get (r->manifest, "plots"), i, p) {
        const char *file = json_string_value (json_array_get (json_object_get (p, "files"), 0));
        const char *plot = json_string_value (json_object_get (p, "plot"));
        if (!file || !plot || strchr (file, '/'))
            return flurm_error_set (err, "%s/plots.json: plots[%zu]: no file", r->plot_dir, i);
        char *path = g_build_filename (r->plot_dir, file, NULL);
        size_t len;
        char *png = flurm_read_file (path, PNG_MAX_BYTES, &len, err);
        g_free (path);
        if (!png)
            return -1;
        char *b64 = g_base64_encode ((const guchar *)png, len);
        g_free (png);
        g_string_append (h, "<figure><img alt=\"");
        html_text (h, plot);
        g_string_append (h, "\" src=\"data:image/png;base64,");
        g_string_append (h, b64);
        g_string_append (h, "\"><figcaption>");
        html_text (h, json_string_value (json_object_get (p, "caption")));
        g_string_append (h, "</figcaption></figure>\n");
        g_free (b64);
    }
    json_array_foreach (json_object_get (r->manifest, "skipped"), i, p) {
        g_string_append (h, "<p class=\"note\">No ");
        html_text (h, json_string_value (json_object_get (p, "plot")));
        g_string_append (h, " plot: ");
        html_text (h, json_string_value (json_object_get (p, "why")));
        g_string_append (h, "</p>\n");
    }
    return 0;
}

static const char *run_name (const struct report_run *r)
{
    const char *n = json_string_value (json_object_get (r->manifest, "run"));
    return n ? n : r->path;
}

/* One row per run, from the figures the script computed from jobs.csv,
 * so simulated and imported runs are measured the same way. */
static void html_comparison (GString *h, const struct report_run *runs, size_t n)
{
    g_string_append (h, "<h2 id=\"comparison\">Comparison</h2>\n<table>\n<tr><th>run</th>"
                        "<th>jobs</th><th>ran</th><th>makespan (s)</th>"
                        "<th>utilisation (%)</th><th>wait mean (s)</th>"
                        "<th>wait median (s)</th><th>wait p95 (s)</th><th>bsld mean</th>"
                        "<th>bsld p95</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_object_get (runs[i].manifest, "overall");
        const json_t *w = json_object_get (o, "wait"), *b = json_object_get (o, "bsld");
        g_string_append_printf (h, "<tr><td><a href=\"#run-%zu\">", i + 1);
        html_text (h, run_name (&runs[i]));
        g_string_append (h, "</a></td><td>");
        html_number (h, json_object_get (o, "jobs"), 0, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (o, "ran"), 0, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (o, "makespan"), 1, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (o, "utilisation"), 1, 100);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (w, "mean"), 1, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (w, "median"), 1, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (w, "p95"), 1, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (b, "mean"), 2, 1);
        g_string_append (h, "</td><td>");
        html_number (h, json_object_get (b, "p95"), 2, 1);
        g_string_append (h, "</td></tr>\n");
    }
    g_string_append (h, "</table>\n");
}

static int html_run (GString *h, const struct report_run *r, size_t index, flurm_error_t *err)
{
    g_string_append_printf (h, "<section id=\"run-%zu\">\n<h2>", index + 1);
    html_text (h, run_name (r));
    g_string_append (h, "</h2>\n<p class=\"path\">");
    html_text (h, r->path);
    g_string_append (h, "</p>\n<h3>Summary</h3>\n");
    if (r->summary)
        html_summary (h, r->summary);
    else
        g_string_append (h, "<p class=\"note\">No summary.json (an imported run or a bare "
                            "jobs.csv): the figures below are computed from its jobs.</p>\n");
    g_string_append (h, "<h3>Waits per queue</h3>\n");
    html_queues (h, json_object_get (r->manifest, "queues"));
    g_string_append (h, "<h3>Plots</h3>\n");
    if (html_plots (h, r, err) < 0)
        return -1;
    g_string_append (h, "<h3>Configuration</h3>\n");
    if (r->config) {
        size_t flags = JSON_INDENT (2) | flurm_json_real_precision (r->config);
        char *text = json_dumps (r->config, flags);
        g_string_append (h, "<pre>");
        html_text (h, text);
        g_string_append (h, "</pre>\n");
        free (text);
    } else {
        g_string_append (h, "<p class=\"note\">No config.json: the run was not simulated by "
                            "Flurm, or its folder was not kept whole.</p>\n");
    }
    g_string_append (h, "</section>\n");
    return 0;
}

/* With ?check in its address the page lists the images that did not
 * load in #flurm-check, which a headless browser's --dump-dom shows: how
 * the test knows every plot decoded.  Without it the script does nothing. */
static const char check_script[] =
    "<script>\n"
    "if (location.search.indexOf('check') >= 0) window.addEventListener('load', function () {\n"
    "  var imgs = document.images, bad = [];\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (!imgs[i].complete || imgs[i].naturalWidth === 0) bad.push(imgs[i].alt || i);\n"
    "  var d = document.createElement('div');\n"
    "  d.id = 'flurm-check';\n"
    "  d.textContent = 'images ' + imgs.length + ' broken ' + bad.length\n"
    "    + (bad.length ? ': ' + bad.join(' ') : '');\n"
    "  document.body.appendChild(d);\n"
    "});\n"
    "</script>\n";

static const char style[] =
    "<style>\n"
    "body { font-family: sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em;"
    " color: #222; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }\n"
    "th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: right; }\n"
    "td:first-child, table.kv th { text-align: left; }\n"
    "table.kv td { text-align: left; }\n"
    "th { background: #eee; }\n"
    "figure { margin: 1em 0; }\n"
    "figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }\n"
    "figcaption, .path, .note { color: #555; font-size: 0.9em; }\n"
    "pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }\n"
    "section { border-top: 2px solid #888; margin-top: 2em; }\n"
    "</style>\n";

static int build_html (GString *h, const struct report_run *runs, size_t n, flurm_error_t *err)
{
    g_string_append (h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<title>Flurm report: ");
    for (size_t i = 0; i < n; i++) {
        g_string_append (h, i ? ", " : "");
        html_text (h, run_name (&runs[i]));
    }
    g_string_append (h, "</title>\n");
    g_string_append (h, style);
    g_string_append (h, "</head>\n<body>\n<h1>Flurm report</h1>\n");
    g_string_append_printf (h, "<p class=\"note\">%zu run%s, written by flurm-sim %s. Times are "
                            "in seconds from each run's first submission.</p>\n",
                            n, n == 1 ? "" : "s", FLURM_VERSION);
    if (n > 1) {
        html_comparison (h, runs, n);
        g_string_append (h, "<ul>\n");
        for (size_t i = 0; i < n; i++) {
            g_string_append_printf (h, "<li><a href=\"#run-%zu\">", i + 1);
            html_text (h, run_name (&runs[i]));
            g_string_append (h, "</a></li>\n");
        }
        g_string_append (h, "</ul>\n");
    }
    for (size_t i = 0; i < n; i++) {
        if (html_run (h, &runs[i], i, err) < 0)
            return -1;
    }
    g_string_append (h, check_script);
    g_string_append (h, "</body>\n</html>\n");
    return 0;
}

/* ---- the command ---- */

static void remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    if (d) {
        const char *e;
        while ((e = g_dir_read_name (d))) {
            char *p = g_build_filename (path, e, NULL);
            if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
                remove_tree (p);
            else
                g_unlink (p);
            g_free (p);
        }
        g_dir_close (d);
    }
    g_rmdir (path);
}

static int make_report (char **paths, size_t n, const char *output, flurm_error_t *err)
{
    char *script = NULL, *python = NULL, *tmp = NULL;
    struct report_run *runs = g_new0 (struct report_run, n);
    GString *h = g_string_new (NULL);
    GError *gerr = NULL;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        runs[i].path = paths[i];
        if (check_run (&runs[i], err) < 0)
            goto out;
    }
    if (!(script = find_script (err)) || !(python = find_python (err)))
        goto out;
    if (!(tmp = g_dir_make_tmp ("flurm-report-XXXXXX", &gerr))) {
        flurm_error_set (err, "cannot create a temporary folder: %s", gerr->message);
        g_error_free (gerr);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char sub[32];
        snprintf (sub, sizeof (sub), "%zu", i + 1);
        runs[i].plot_dir = g_build_filename (tmp, sub, NULL);
        if (plot_run (python, script, &runs[i], err) < 0)
            goto out;
    }
    if (build_html (h, runs, n, err) < 0 || flurm_write_file (output, h->str, h->len, err) < 0)
        goto out;
    rc = 0;
out:
    if (tmp)
        remove_tree (tmp);
    for (size_t i = 0; i < n; i++) {
        g_free (runs[i].plot_dir);
        json_decref (runs[i].summary);
        json_decref (runs[i].config);
        json_decref (runs[i].manifest);
    }
    g_free (runs);
    g_string_free (h, TRUE);
    g_free (tmp);
    g_free (script);
    g_free (python);
    return rc;
}

int cmd_report (int argc, char **argv)
{
    char *output = NULL;
    gboolean help = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The HTML file to write", "FILE"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new ("RUN... - one self-contained HTML report of "
                                                "runs: summaries, plots, configuration");
    g_option_context_set_help_enabled (ctx, FALSE);
    g_option_context_add_main_entries (ctx, entries, NULL);
    int rc;
    if ((rc = cli_parse_options (NAME, ctx, &argc, &argv, &help)) >= 0)
        goto done;
    if (argc < 2 || !output) {
        rc = cli_fail (NAME, 2, "expected RUN... and -o FILE; try --help");
        goto done;
    }
    flurm_error_t err;
    if (make_report (argv + 1, (size_t)argc - 1, output, &err) < 0) {
        rc = cli_fail (NAME, 1, "%s", err.text);
        goto done;
    }
    if (strcmp (output, "-") != 0)
        printf ("%d run%s -> %s\n", argc - 1, argc == 2 ? "" : "s", output);
    rc = 0;
done:
    g_free (output);
    g_option_context_free (ctx);
    return rc;
}
