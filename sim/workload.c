/* sim/workload.c — the job list a simulation replays.
 *
 * Invariants: jobs[0 .. njobs) are checked (see flurm_workload_add) and
 * own their strings; every jobs[i].js is one of owned[0 .. nowned); skips
 * hold one entry per distinct reason.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "sim/workload.h"

struct flurm_workload *flurm_workload_create (void)
{
    return g_new0 (struct flurm_workload, 1);
}

static void wjob_clear (struct flurm_wjob *j)
{
    g_free (j->name);
    g_free (j->app);
    g_free (j->queue);
    g_free (j->alloc);
    g_strfreev (j->command);
}

void flurm_workload_destroy (struct flurm_workload *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->njobs; i++)
        wjob_clear (&w->jobs[i]);
    g_free (w->jobs);
    for (size_t i = 0; i < w->nskips; i++)
        g_free (w->skips[i].reason);
    g_free (w->skips);
    for (size_t i = 0; i < w->nnotes; i++)
        g_free (w->notes[i]);
    g_free (w->notes);
    for (size_t i = 0; i < w->nowned; i++)
        flurm_jobspec_destroy (w->owned[i]);
    g_free (w->owned);
    g_free (w);
}

const struct flurm_jobspec *flurm_workload_own_jobspec (struct flurm_workload *w,
                                                        struct flurm_jobspec *js)
{
    if (w->nowned == w->capowned) {
        w->capowned = w->capowned ? 2 * w->capowned : 16;
        w->owned = g_renew (struct flurm_jobspec *, w->owned, w->capowned);
    }
    w->owned[w->nowned++] = js;
    return js;
}

/* A time field: finite, within [min_allowed, FLURM_WORKLOAD_MAX_TIME];
 * `strict` excludes the minimum itself. */
static int check_time (const struct flurm_wjob *job, const char *what, double v,
                       double min_allowed, bool strict, flurm_error_t *err)
{
    bool low = strict ? !(v > min_allowed) : !(v >= min_allowed);
    if (!isfinite (v) || low || v > FLURM_WORKLOAD_MAX_TIME)
        return flurm_error_set (err, "job '%s': %s must be %s %g and at most %g (got %g)",
                                job->name, what, strict ? ">" : ">=", min_allowed,
                                FLURM_WORKLOAD_MAX_TIME, v);
    return 0;
}

int flurm_workload_add (struct flurm_workload *w, const struct flurm_wjob *job,
                        flurm_error_t *err)
{
    if (!job->name || !job->name[0])
        return flurm_error_set (err, "a job needs a non-empty name");
    if (check_time (job, "submit", job->submit, 0, false, err) < 0
        || check_time (job, "runtime", job->runtime, 0, false, err) < 0
        || check_time (job, "walltime", job->walltime, 0, true, err) < 0)
        return -1;
    if (job->repeat_until >= 0
        && check_time (job, "repeat-until", job->repeat_until, 0, false, err) < 0)
        return -1;
    if (!job->js)
        return flurm_error_set (err, "job '%s': no jobspec", job->name);
    if (job->ncores == 0)
        return flurm_error_set (err, "job '%s': asks for no cores", job->name);
    if (w->njobs == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->jobs = g_renew (struct flurm_wjob, w->jobs, w->cap);
    }
    struct flurm_wjob *j = &w->jobs[w->njobs++];
    *j = *job;
    j->name = g_strdup (job->name);
    j->app = g_strdup (job->app);
    j->queue = g_strdup (job->queue);
    j->alloc = g_strdup (job->alloc ? job->alloc : "jobspec");
    j->command = g_strdupv (job->command);
    return 0;
}

void flurm_workload_skip (struct flurm_workload *w, const char *reason)
{
    for (size_t i = 0; i < w->nskips; i++) {
        if (!strcmp (w->skips[i].reason, reason)) {
            w->skips[i].count++;
            return;
        }
    }
    w->skips = g_renew (struct flurm_workload_skip, w->skips, w->nskips + 1);
    w->skips[w->nskips].reason = g_strdup (reason);
    w->skips[w->nskips].count = 1;
    w->nskips++;
}

uint64_t flurm_workload_nskipped (const struct flurm_workload *w)
{
    uint64_t n = 0;
    for (size_t i = 0; i < w->nskips; i++)
        n += w->skips[i].count;
    return n;
}

void flurm_workload_note (struct flurm_workload *w, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    w->notes = g_renew (char *, w->notes, w->nnotes + 1);
    w->notes[w->nnotes++] = g_strdup_vprintf (fmt, ap);
    va_end (ap);
}

/* Cores under a list of resources, counts multiplied down the tree. */
static uint64_t cores_below (const struct flurm_jobspec_resource *r, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t each = !strcmp (r[i].type, "core") ? 1 : cores_below (r[i].with, r[i].nwith);
        total += (uint64_t)r[i].count.min * each;
    }
    return total;
}

uint64_t flurm_jobspec_ncores (const struct flurm_jobspec *js)
{
    return js ? cores_below (js->resources, js->nresources) : 0;
}
