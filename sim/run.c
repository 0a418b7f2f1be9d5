/* sim/run.c — the job table every importer fills.
 *
 * Invariant: jobs[0 .. njobs) are owned copies; strings are NULL or
 * NUL-terminated heap copies freed with the run.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/csvout.h"
#include "sim/outfile.h"
#include "sim/run.h"

struct flurm_run *flurm_run_create (const char *name, const char *kind, const char *origin)
{
    struct flurm_run *r = g_new0 (struct flurm_run, 1);
    r->name = g_strdup (name);
    r->kind = g_strdup (kind);
    r->origin = g_strdup (origin);
    return r;
}

static void job_free (struct flurm_run_job *j)
{
    g_free (j->id);
    g_free (j->name);
    g_free (j->app);
    g_free (j->queue);
    g_free (j->nodes);
    g_free (j->state);
    g_free (j->partner);
    g_free (j->note);
    g_free (j->source);
}

void flurm_run_destroy (struct flurm_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->njobs; i++)
        job_free (&r->jobs[i]);
    for (size_t i = 0; i < r->nnotes; i++)
        g_free (r->notes[i]);
    g_free (r->jobs);
    g_free (r->notes);
    g_free (r->name);
    g_free (r->kind);
    g_free (r->origin);
    g_free (r);
}

struct flurm_run_job *flurm_run_add (struct flurm_run *r, const struct flurm_run_job *job)
{
    if (r->njobs == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->jobs = g_renew (struct flurm_run_job, r->jobs, r->cap);
    }
    struct flurm_run_job *j = &r->jobs[r->njobs++];
    *j = *job;
    j->id = g_strdup (job->id);
    j->name = g_strdup (job->name);
    j->app = g_strdup (job->app);
    j->queue = g_strdup (job->queue);
    j->nodes = g_strdup (job->nodes);
    j->state = g_strdup (job->state);
    j->partner = g_strdup (job->partner);
    j->note = g_strdup (job->note);
    j->source = g_strdup (job->source);
    return j;
}

void flurm_run_note (struct flurm_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    r->notes = g_renew (char *, r->notes, r->nnotes + 1);
    r->notes[r->nnotes++] = g_strdup_vprintf (fmt, ap);
    va_end (ap);
}

const struct flurm_run_job *flurm_run_find (const struct flurm_run *r, const char *id)
{
    for (size_t i = 0; i < r->njobs; i++) {
        if (r->jobs[i].id && id && !strcmp (r->jobs[i].id, id))
            return &r->jobs[i];
    }
    return NULL;
}

static void put_field (FILE *f, const char *s)
{
    flurm_csv_text (f, s);
    fputc (',', f);
}

static void put_time (FILE *f, double t)
{
    if (t >= 0)
        flurm_csv_number (f, t);
    fputc (',', f);
}

static void put_count (FILE *f, int64_t n)
{
    if (n >= 0)
        fprintf (f, "%jd", (intmax_t)n);
    fputc (',', f);
}

int flurm_run_write_csv (const struct flurm_run *r, const char *path, flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    fputs ("job_id,submission_time,starting_time,finish_time,waiting_time,turnaround_time,"
           "stretch,execution_time,requested_number_of_resources,allocated_resources,name,app,"
           "queue,alloc,nodes,cores,state,partner,note,source\n", f);
    for (size_t i = 0; i < r->njobs; i++) {
        const struct flurm_run_job *j = &r->jobs[i];
        bool started = j->start >= 0 && j->submit >= 0;
        bool ended = j->end >= 0 && j->submit >= 0;
        double runtime = j->runtime >= 0 ? j->runtime
                         : j->end >= 0 && j->start >= 0 ? j->end - j->start : -1;
        put_field (f, j->id);
        put_time (f, j->submit);
        put_time (f, j->start);
        put_time (f, j->end);
        put_time (f, started ? j->start - j->submit : -1);
        put_time (f, ended ? j->end - j->submit : -1);
        if (ended && runtime > 0)
            fprintf (f, "%.6f", (j->end - j->submit) / runtime);
        fputc (',', f);
        put_time (f, runtime);
        put_count (f, j->ncores);
        put_field (f, NULL);      /* allocated_resources: core numbers are not known */
        put_field (f, j->name);
        put_field (f, j->app);
        put_field (f, j->queue);
        put_field (f, NULL);      /* alloc */
        put_field (f, j->nodes);
        put_count (f, j->ncores);
        put_field (f, j->state);
        put_field (f, j->partner);
        put_field (f, j->note);
        flurm_csv_text (f, j->source);
        fputc ('\n', f);
    }
    return flurm_outfile_commit (out, err);
}

char *flurm_run_name_from_path (const char *path)
{
    if (!strcmp (path, "-"))
        return g_strdup ("stdin");
    char *base = g_path_get_basename (path);
    char *dot = strrchr (base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return base;
}
