/* sim/jobscsv.c — jobs.csv reader.
 *
 * Invariant: every returned job owns its strings; fields are split by
 * RFC 4180 rules (quotes, doubled quotes) on one physical line.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/infile.h"
#include "sim/jobscsv.h"

#define MAX_BYTES (1ull << 30)

/* Split one line into fields (g_ptr_array of g_strdup'ed strings). */
static GPtrArray *split_line (const char *s, bool *ok)
{
    GPtrArray *f = g_ptr_array_new_with_free_func (g_free);
    GString *cur = g_string_new (NULL);
    bool quoted = false;
    *ok = true;
    for (const char *p = s;; p++) {
        if (quoted) {
            if (!*p) {
                *ok = false;
                break;
            }
            if (*p == '"' && p[1] == '"')
                g_string_append_c (cur, *p++);
            else if (*p == '"')
                quoted = false;
            else
                g_string_append_c (cur, *p);
            continue;
        }
        if (*p == '"' && cur->len == 0)
            quoted = true;
        else if (*p == ',' || !*p || *p == '\r') {
            g_ptr_array_add (f, g_strdup (cur->str));
            g_string_truncate (cur, 0);
            if (*p != ',')
                break;
        }
        else
            g_string_append_c (cur, *p);
    }
    g_string_free (cur, TRUE);
    return f;
}

static int column (GPtrArray *header, const char *name)
{
    for (guint i = 0; i < header->len; i++) {
        if (!strcmp (g_ptr_array_index (header, i), name))
            return (int)i;
    }
    return -1;
}

static bool parse_time (const char *s, double *out)
{
    if (!*s) {
        *out = -1;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod (s, &end);
    if (*end || errno || !isfinite (v) || v < 0)
        return false;
    *out = v;
    return true;
}

void flurm_csv_jobs_destroy (struct flurm_csv_jobs *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->njobs; i++) {
        g_free (c->jobs[i].id);
        g_free (c->jobs[i].resources);
        g_free (c->jobs[i].state);
        g_free (c->jobs[i].name);
        g_free (c->jobs[i].app);
        g_free (c->jobs[i].queue);
    }
    g_free (c->jobs);
    g_free (c);
}

struct flurm_csv_jobs *flurm_csv_jobs_load (const char *path, flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (path, MAX_BYTES, &len, err);
    if (!text)
        return NULL;
    char **lines = g_strsplit (text, "\n", -1);
    g_free (text);
    struct flurm_csv_jobs *c = g_new0 (struct flurm_csv_jobs, 1);
    GPtrArray *header = NULL;
    enum { NCOLS = 10 };
    int col[NCOLS];
    static const char *names[NCOLS] = {"job_id", "submission_time", "starting_time",
                                       "finish_time", "requested_number_of_resources",
                                       "allocated_resources", "state", "name", "app", "queue"};
    bool ok;
    if (!lines[0] || !lines[0][0]) {
        flurm_error_set (err, "%s: empty file, expected a header line", path);
        goto fail;
    }
    header = split_line (lines[0], &ok);
    for (int k = 0; k < NCOLS; k++) {
        col[k] = column (header, names[k]);
        if (k < 4 && col[k] < 0) {
            flurm_error_set (err, "%s:1: no column '%s' in the header", path, names[k]);
            goto fail;
        }
    }
    size_t nlines = g_strv_length (lines);
    c->jobs = g_new0 (struct flurm_csv_job, nlines);
    for (size_t i = 1; i < nlines; i++) {
        if (!lines[i][0])
            continue;
        int lineno = (int)i + 1;
        GPtrArray *f = split_line (lines[i], &ok);
        if (!ok || f->len != header->len) {
            flurm_error_set (err, "%s:%d: %u fields, the header has %u%s", path, lineno, f->len,
                             header->len, ok ? "" : " (unterminated quote)");
            g_ptr_array_unref (f);
            goto fail;
        }
        struct flurm_csv_job *j = &c->jobs[c->njobs++];
        j->line = lineno;
        j->id = g_strdup (g_ptr_array_index (f, col[0]));
        j->resources = g_strdup (col[5] >= 0 ? g_ptr_array_index (f, col[5]) : "");
        j->state = g_strdup (col[6] >= 0 ? g_ptr_array_index (f, col[6]) : "");
        j->name = g_strdup (col[7] >= 0 ? g_ptr_array_index (f, col[7]) : "");
        j->app = g_strdup (col[8] >= 0 ? g_ptr_array_index (f, col[8]) : "");
        j->queue = g_strdup (col[9] >= 0 ? g_ptr_array_index (f, col[9]) : "");
        j->requested = -1;
        const char *req = col[4] >= 0 ? g_ptr_array_index (f, col[4]) : "";
        bool good = parse_time (g_ptr_array_index (f, col[1]), &j->submit) && j->submit >= 0
                    && parse_time (g_ptr_array_index (f, col[2]), &j->start)
                    && parse_time (g_ptr_array_index (f, col[3]), &j->end);
        if (good && *req) {
            char *end;
            long long v = strtoll (req, &end, 10);
            good = !*end && v >= 0;
            j->requested = v;
        }
        g_ptr_array_unref (f);
        if (!good) {
            flurm_error_set (err, "%s:%d: a time or a count is not a number >= 0", path, lineno);
            goto fail;
        }
        j->ran = j->start >= 0 && j->end >= 0;
    }
    g_ptr_array_unref (header);
    g_strfreev (lines);
    return c;
fail:
    if (header)
        g_ptr_array_unref (header);
    g_strfreev (lines);
    flurm_csv_jobs_destroy (c);
    return NULL;
}
