/* sim/runcompare.c — job-by-job and aggregate comparison of two runs.
 *
 * Invariant: `ndiff` counts every difference found; `report` holds the
 * first FLURM_RUNCOMPARE_MAX_LINES of them, one line each.
 */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "sim/infile.h"
#include "sim/jgf.h"
#include "sim/jobscsv.h"
#include "sim/jsonutil.h"
#include "sim/runcompare.h"

struct diff {
    GString *report;
    size_t n;
};

static void differ (struct diff *d, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void differ (struct diff *d, const char *fmt, ...)
{
    if (d->n < FLURM_RUNCOMPARE_MAX_LINES) {
        va_list ap;
        va_start (ap, fmt);
        g_string_append_vprintf (d->report, fmt, ap);
        g_string_append_c (d->report, '\n');
        va_end (ap);
    }
    d->n++;
}

static void compare_time (struct diff *d, const char *id, const char *what, double got,
                          double want, double tol)
{
    if (fabs (got - want) > tol)
        differ (d, "job %s: %s %.3f, expected %.3f (%+.3f)", id, what, got, want, got - want);
}

static void compare_jobs (const struct flurm_csv_jobs *run, const struct flurm_csv_jobs *exp,
                          double tol, struct diff *d)
{
    GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t i = 0; i < run->njobs; i++)
        g_hash_table_insert (index, run->jobs[i].id, &run->jobs[i]);
    if (run->njobs != exp->njobs)
        differ (d, "jobs.csv: %zu jobs, expected %zu", run->njobs, exp->njobs);
    for (size_t i = 0; i < exp->njobs; i++) {
        const struct flurm_csv_job *w = &exp->jobs[i];
        const struct flurm_csv_job *g = g_hash_table_lookup (index, w->id);
        if (!g) {
            differ (d, "job %s: missing from the run", w->id);
            continue;
        }
        if (strcmp (g->state, w->state))
            differ (d, "job %s: state %s, expected %s", w->id, g->state, w->state);
        compare_time (d, w->id, "submission_time", g->submit, w->submit, tol);
        compare_time (d, w->id, "starting_time", g->start, w->start, tol);
        compare_time (d, w->id, "finish_time", g->end, w->end, tol);
        if (strcmp (g->resources, w->resources))
            differ (d, "job %s: allocated_resources '%s', expected '%s'", w->id, g->resources,
                    w->resources);
    }
    g_hash_table_destroy (index);
}

static void compare_json (const json_t *got, const json_t *want, const char *path, double rel,
                          struct diff *d)
{
    if (json_is_number (want) && json_is_number (got)) {
        double a = json_number_value (got), b = json_number_value (want);
        double scale = fabs (b) > 1 ? fabs (b) : 1;
        if (fabs (a - b) > rel * scale)
            differ (d, "summary %s: %.6f, expected %.6f (%+.3g%%)", path, a, b,
                    b != 0 ? 100 * (a - b) / fabs (b) : 0.0);
        return;
    }
    if (json_is_object (want) && json_is_object (got)) {
        const char *key;
        json_t *v;
        json_object_foreach ((json_t *)want, key, v) {
            if (!*path && !strcmp (key, "engine"))
                continue; /* effort counters, not results */
            char *sub = *path ? g_strdup_printf ("%s.%s", path, key) : g_strdup (key);
            const json_t *gv = json_object_get (got, key);
            if (!gv)
                differ (d, "summary %s: missing from the run", sub);
            else
                compare_json (gv, v, sub, rel, d);
            g_free (sub);
        }
        return;
    }
    if (!json_equal ((json_t *)got, (json_t *)want)) {
        char *a = json_dumps (got, JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps (want, JSON_COMPACT | JSON_ENCODE_ANY);
        differ (d, "summary %s: %s, expected %s", path, a ? a : "?", b ? b : "?");
        free (a);
        free (b);
    }
}

static json_t *load_json (const char *path, flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (path, FLURM_JGF_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    json_t *o = flurm_json_parse (data, len, 0, path, NULL, err);
    g_free (data);
    return o;
}

int flurm_runcompare (const char *run_dir, const char *expected_dir,
                      const struct flurm_runcompare_options *opts, GString *report,
                      size_t *ndiff, flurm_error_t *err)
{
    struct flurm_runcompare_options defaults = {0};
    if (!opts)
        opts = &defaults;
    char *rj = g_build_filename (run_dir, "jobs.csv", NULL);
    char *ej = g_build_filename (expected_dir, "jobs.csv", NULL);
    char *rs = g_build_filename (run_dir, "summary.json", NULL);
    char *es = g_build_filename (expected_dir, "summary.json", NULL);
    struct flurm_csv_jobs *run = NULL, *exp = NULL;
    json_t *rsum = NULL, *esum = NULL;
    int rc = -1;
    if (!(run = flurm_csv_jobs_load (rj, err)) || !(exp = flurm_csv_jobs_load (ej, err))
        || !(rsum = load_json (rs, err)) || !(esum = load_json (es, err)))
        goto out;
    struct diff d = {.report = report};
    compare_jobs (run, exp, opts->time_tolerance, &d);
    compare_json (rsum, esum, "", opts->rel_tolerance, &d);
    if (d.n > FLURM_RUNCOMPARE_MAX_LINES)
        g_string_append_printf (report, "... and %zu more differences\n",
                                d.n - FLURM_RUNCOMPARE_MAX_LINES);
    *ndiff = d.n;
    rc = 0;
out:
    flurm_csv_jobs_destroy (run);
    flurm_csv_jobs_destroy (exp);
    json_decref (rsum);
    json_decref (esum);
    g_free (rj);
    g_free (ej);
    g_free (rs);
    g_free (es);
    return rc;
}
