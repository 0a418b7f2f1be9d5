/* sim/jobscsv.c — jobs.csv reader.
 *
 * Invariant: every returned job owns its strings; records are split by
 * RFC 4180 rules (quotes, doubled quotes, line breaks inside quotes: the
 * writer, csvout.c, quotes a field holding one, so a job name or id with
 * a newline in it reads back); a record's line is the line it starts on.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/infile.h"
#include "sim/jobscsv.h"

#define MAX_BYTES (1ull << 30)

/* Split the record at *pos into fields (g_ptr_array of g_strdup'ed
 * strings) and move *pos past its end of line (LF or CRLF), adding the
 * line breaks inside quotes to *lineno.  *ok is false when a quote is
 * still open at the end of the text. */
static GPtrArray *split_record (const char **pos, int *lineno, bool *ok)
{
    GPtrArray *f = g_ptr_array_new_with_free_func (g_free);
    GString *cur = g_string_new (NULL);
    bool quoted = false;
    const char *p = *pos;
    *ok = true;
    for (;; p++) {
        if (quoted) {
            if (!*p) {
                *ok = false;
                break;
            }
            if (*p == '"' && p[1] == '"')
                g_string_append_c (cur, *p++);
            else if (*p == '"')
                quoted = false;
            else {
                *lineno += *p == '\n';
                g_string_append_c (cur, *p);
            }
            continue;
        }
        bool eol = !*p || *p == '\n' || (*p == '\r' && (p[1] == '\n' || !p[1]));
        if (*p == '"' && cur->len == 0)
            quoted = true;
        else if (*p == ',' || eol) {
            g_ptr_array_add (f, g_strdup (cur->str));
            g_string_truncate (cur, 0);
            if (eol)
                break;
        }
        else
            g_string_append_c (cur, *p);
    }
    if (*p == '\r')
        p++;
    *pos = *p ? p + 1 : p;
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
    struct flurm_csv_jobs *c = g_new0 (struct flurm_csv_jobs, 1);
    GPtrArray *header = NULL;
    enum { NCOLS = 10 };
    int col[NCOLS];
    static const char *names[NCOLS] = {"job_id", "submission_time", "starting_time",
                                       "finish_time", "requested_number_of_resources",
                                       "allocated_resources", "state", "name", "app", "queue"};
    bool ok;
    const char *nul = memchr (text, '\0', len);
    if (nul) {
        flurm_error_set (err, "%s: not text (a NUL byte at offset %zu)", path,
                         (size_t)(nul - text));
        goto fail;
    }
    if (!text[0] || text[0] == '\n' || text[0] == '\r') {
        flurm_error_set (err, "%s: empty file, expected a header line", path);
        goto fail;
    }
    const char *pos = text;
    int lineno = 1;
    header = split_record (&pos, &lineno, &ok);
    for (int k = 0; k < NCOLS; k++) {
        col[k] = column (header, names[k]);
        if (k < 4 && col[k] < 0) {
            flurm_error_set (err, "%s:1: no column '%s' in the header", path, names[k]);
            goto fail;
        }
    }
    size_t nrecords = 1; /* at most one per line */
    for (const char *p = pos; *p; p++)
        nrecords += *p == '\n';
    c->jobs = g_new0 (struct flurm_csv_job, nrecords);
    while (*pos) {
        int start = ++lineno;
        if (*pos == '\n' || (pos[0] == '\r' && pos[1] == '\n')) {
            pos += *pos == '\r' ? 2 : 1; /* a blank line */
            continue;
        }
        GPtrArray *f = split_record (&pos, &lineno, &ok);
        if (!ok || f->len != header->len) {
            flurm_error_set (err, "%s:%d: %u fields, the header has %u%s", path, start, f->len,
                             header->len, ok ? "" : " (unterminated quote)");
            g_ptr_array_unref (f);
            goto fail;
        }
        struct flurm_csv_job *j = &c->jobs[c->njobs++];
        j->line = start;
        j->id = g_strdup (g_ptr_array_index (f, col[0]));
        j->resources = g_strdup (col[5] >= 0 ? g_ptr_array_index (f, col[5]) : "");
        j->state = g_strdup (col[6] >= 0 ? g_ptr_array_index (f, col[6]) : "");
        j->name = g_strdup (col[7] >= 0 ? g_ptr_array_index (f, col[7]) : "");
        j->app = g_strdup (col[8] >= 0 ? g_ptr_array_index (f, col[8]) : "");
        j->queue = g_strdup (col[9] >= 0 ? g_ptr_array_index (f, col[9]) : "");
        j->requested = -1;
        const char *req = col[4] >= 0 ? g_ptr_array_index (f, col[4]) : "";
        /* An empty submission_time is unknown (-1, as in run.h) for a job
         * that has no start either: `flurm-sim import` writes such rows for
         * NPB runs without DATE lines and for measured pools, and its
         * output must read back.  A job that started knows its submit. */
        bool good = parse_time (g_ptr_array_index (f, col[1]), &j->submit)
                    && parse_time (g_ptr_array_index (f, col[2]), &j->start)
                    && parse_time (g_ptr_array_index (f, col[3]), &j->end)
                    && (j->submit >= 0 || j->start < 0);
        if (good && *req) {
            char *end;
            long long v = strtoll (req, &end, 10);
            good = !*end && v >= 0;
            j->requested = v;
        }
        g_ptr_array_unref (f);
        if (!good) {
            flurm_error_set (err, "%s:%d: a time or a count is not a number >= 0", path, start);
            goto fail;
        }
        j->ran = j->start >= 0 && j->end >= 0;
    }
    g_ptr_array_unref (header);
    g_free (text);
    return c;
fail:
    if (header)
        g_ptr_array_unref (header);
    g_free (text);
    flurm_csv_jobs_destroy (c);
    return NULL;
}
