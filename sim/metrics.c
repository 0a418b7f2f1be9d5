/* sim/metrics.c — per-job rows and aggregate figures of a run.
 *
 * Nothing here keeps state: the figures are computed from the engine's
 * job array in one sweep plus one sort per distribution.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/csvout.h"
#include "sim/metrics.h"
#include "sim/outfile.h"

/* A job that held resources for a known time: simulated jobs that ended,
 * and live jobs that failed or were cancelled after they started. */
static bool job_ran (const struct flurm_job *j)
{
    switch (j->state) {
    case FLURM_JOB_COMPLETED:
    case FLURM_JOB_TIMEOUT:
        return true;
    case FLURM_JOB_FAILED:
    case FLURM_JOB_CANCELLED:
        return j->start >= 0 && j->end >= j->start;
    default:
        return false;
    }
}

static int cmp_double (const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

static struct flurm_stat distribution (double *v, size_t n)
{
    struct flurm_stat s = {0};
    if (n == 0)
        return s;
    qsort (v, n, sizeof (double), cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.mean = sum / (double)n;
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    size_t rank = (size_t)ceil (0.95 * (double)n);
    s.p95 = v[rank ? rank - 1 : 0];
    s.max = v[n - 1];
    return s;
}

void flurm_metrics_compute (const struct flurm_job *jobs, size_t n, uint64_t total_cores,
                            struct flurm_metrics *out)
{
    memset (out, 0, sizeof (*out));
    out->total_cores = total_cores;
    out->njobs = n;
    double *wait = g_new (double, n ? n : 1);
    double *turn = g_new (double, n ? n : 1);
    double *bsld = g_new (double, n ? n : 1);
    size_t nran = 0;
    double core_seconds = 0, node_seconds = 0;
    for (size_t i = 0; i < n; i++) {
        const struct flurm_job *j = &jobs[i];
        switch (j->state) {
        case FLURM_JOB_COMPLETED: out->ncompleted++; break;
        case FLURM_JOB_TIMEOUT: out->ntimeout++; break;
        case FLURM_JOB_REJECTED: out->nrejected++; break;
        case FLURM_JOB_FAILED: out->nfailed++; break;
        case FLURM_JOB_CANCELLED: out->ncancelled++; break;
        default: out->nunfinished++; break;
        }
        if (!job_ran (j))
            continue;
        if (j->backfilled)
            out->nbackfilled++;
        double run = j->end - j->start;
        if (nran == 0 || j->submit < out->first_submit)
            out->first_submit = j->submit;
        if (nran == 0 || j->end > out->last_end)
            out->last_end = j->end;
        wait[nran] = j->start - j->submit;
        turn[nran] = j->end - j->submit;
        double b = turn[nran] / (run > FLURM_BSLD_TAU ? run : FLURM_BSLD_TAU);
        bsld[nran] = b > 1 ? b : 1;
        core_seconds += run * j->ncores;
        node_seconds += run * j->nnodes;
        nran++;
    }
    out->makespan = nran ? out->last_end - out->first_submit : 0;
    out->core_hours = core_seconds / 3600;
    out->node_hours = node_seconds / 3600;
    if (out->makespan > 0) {
        out->utilisation = total_cores ? core_seconds / ((double)total_cores * out->makespan) : 0;
        out->throughput_per_hour = (double)nran * 3600 / out->makespan;
    }
    out->wait = distribution (wait, nran);
    out->turnaround = distribution (turn, nran);
    out->bsld = distribution (bsld, nran);
    g_free (wait);
    g_free (turn);
    g_free (bsld);
}

static void csv_time (FILE *f, double t, bool known)
{
    if (known)
        flurm_csv_number (f, t);
}

static void csv_uint (FILE *f, uint64_t x)
{
    fprintf (f, "%ju", (uintmax_t)x);
}

int flurm_metrics_write_jobs_csv (const char *path, const struct flurm_engine *e,
                                  const struct flurm_workload *w, flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    fputs ("job_id,submission_time,starting_time,finish_time,waiting_time,"
           "turnaround_time,stretch,execution_time,requested_number_of_resources,"
           "allocated_resources,name,app,queue,alloc,nodes,cores,state,isolated_time,"
           "slowdown_interference,corunners\n", f);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    for (size_t i = 0; i < n; i++) {
        const struct flurm_job *j = &jobs[i];
        const struct flurm_wjob *wj = &w->jobs[j->wjob];
        bool ran = job_ran (j);
        double exec = j->end - j->start;
        csv_uint (f, j->id);
        fputc (',', f);
        csv_time (f, j->submit, true);
        fputc (',', f);
        csv_time (f, j->start, ran);
        fputc (',', f);
        csv_time (f, j->end, ran);
        fputc (',', f);
        csv_time (f, j->start - j->submit, ran);
        fputc (',', f);
        csv_time (f, j->end - j->submit, ran);
        fputc (',', f);
        if (ran && exec > 0)
            fprintf (f, "%.6f", (j->end - j->submit) / exec);
        fputc (',', f);
        csv_time (f, exec, ran);
        fputc (',', f);
        csv_uint (f, wj->ncores);
        fputc (',', f);
        flurm_csv_text (f, j->cores);
        fputc (',', f);
        flurm_csv_text (f, wj->name);
        fputc (',', f);
        flurm_csv_text (f, wj->app);
        fputc (',', f);
        flurm_csv_text (f, flurm_engine_queue_name (e, j->queue));
        fputc (',', f);
        flurm_csv_text (f, wj->alloc);
        fputc (',', f);
        flurm_csv_text (f, j->nodes);
        fputc (',', f);
        csv_uint (f, j->ncores);
        fputc (',', f);
        fputs (flurm_job_state_str (j->state), f);
        fputc (',', f);
        if (j->app >= 0) {
            csv_time (f, j->work, true);
            fputc (',', f);
            if (j->state == FLURM_JOB_COMPLETED && j->work > 0)
                fprintf (f, "%.6f", exec / j->work);
        }
        else {
            fputc (',', f);
        }
        fputc (',', f);
        flurm_csv_text (f, j->corunners);
        fputc ('\n', f);
    }
    return flurm_outfile_commit (out, err);
}

static json_t *stat_json (const struct flurm_stat *s)
{
    return json_pack ("{s:f, s:f, s:f, s:f}", "mean", s->mean, "median", s->median,
                      "p95", s->p95, "max", s->max);
}

json_t *flurm_metrics_summary_json (const char *name, const struct flurm_metrics *mt,
                                    const struct flurm_workload *w,
                                    const struct flurm_engine *e)
{
    json_t *skipped = json_object ();
    json_object_set_new (skipped, "total", json_integer ((json_int_t)flurm_workload_nskipped (w)));
    for (size_t i = 0; i < w->nskips; i++)
        json_object_set_new (skipped, w->skips[i].reason,
                             json_integer ((json_int_t)w->skips[i].count));
    json_t *notes = json_array ();
    for (size_t i = 0; i < w->nnotes; i++)
        json_array_append_new (notes, json_string (w->notes[i]));
    json_t *bsld = stat_json (&mt->bsld);
    json_object_set_new (bsld, "tau", json_real (FLURM_BSLD_TAU));
    struct flurm_engine_stats st;
    flurm_engine_stats (e, &st);
    return json_pack ("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o,"
                      " s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o, s:o,"
                      " s:{s:I, s:I, s:I, s:I, s:I}}",
                      "name", name ? name : "",
                      "jobs", "total", (json_int_t)mt->njobs,
                      "completed", (json_int_t)mt->ncompleted,
                      "timeout", (json_int_t)mt->ntimeout,
                      "rejected", (json_int_t)mt->nrejected,
                      "unfinished", (json_int_t)mt->nunfinished,
                      "failed", (json_int_t)mt->nfailed,
                      "cancelled", (json_int_t)mt->ncancelled,
                      "backfilled", (json_int_t)mt->nbackfilled,
                      "skipped", skipped, "notes", notes,
                      "cores", (json_int_t)mt->total_cores,
                      "first_submit", mt->first_submit, "last_end", mt->last_end,
                      "makespan", mt->makespan, "utilisation", mt->utilisation,
                      "throughput_per_hour", mt->throughput_per_hour,
                      "core_hours", mt->core_hours, "node_hours", mt->node_hours,
                      "wait", stat_json (&mt->wait),
                      "turnaround", stat_json (&mt->turnaround),
                      "bounded_slowdown", bsld,
                      "engine", "events", (json_int_t)st.events,
                      "passes", (json_int_t)st.passes,
                      "match_calls", (json_int_t)st.match_calls,
                      "reservations", (json_int_t)st.reservations,
                      "quick_rejects", (json_int_t)st.quick_rejects);
}

/* Reals rounded to 1e-6 so that noise below it never shows in a file. */
static void round_reals (json_t *o)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object (o)) {
        json_object_foreach (o, key, v)
            round_reals (v);
    }
    else if (json_is_array (o)) {
        json_array_foreach (o, i, v)
            round_reals (v);
    }
    else if (json_is_real (o)) {
        double r = round (json_real_value (o) * 1e6) / 1e6;
        json_real_set (o, r == 0 ? 0.0 : r);
    }
}

int flurm_write_json (const char *path, const json_t *o, flurm_error_t *err)
{
    json_t *copy = json_deep_copy (o);
    round_reals (copy);
    char *text = json_dumps (copy, JSON_INDENT (2) | JSON_PRESERVE_ORDER
                                   | JSON_REAL_PRECISION (15));
    json_decref (copy);
    if (!text)
        return flurm_error_set (err, "%s: cannot encode JSON", path);
    size_t len = strlen (text);
    char *withnl = g_strndup (text, len + 1);
    withnl[len] = '\n';
    free (text);
    int rc = flurm_write_file (path, withnl, len + 1, err);
    g_free (withnl);
    return rc;
}

void flurm_metrics_interference (const struct flurm_engine *e, uint32_t cores_per_node,
                                 struct flurm_interference_metrics *out)
{
    memset (out, 0, sizeof (*out));
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    double slowdown_sum = 0;
    uint64_t completed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct flurm_job *j = &jobs[i];
        if (!job_ran (j))
            continue;
        completed += j->state == FLURM_JOB_COMPLETED;
        out->colocated_job_seconds += j->colocated_time;
        out->fallback_job_seconds += j->fallback_time;
        double alone = j->app >= 0 ? j->work : j->end - j->start;
        uint32_t nodes = cores_per_node ? (j->ncores + cores_per_node - 1) / cores_per_node : 0;
        out->exclusive_node_hours += nodes * alone / 3600;
        if (j->app >= 0 && j->state == FLURM_JOB_COMPLETED && j->work > 0) {
            out->modelled++;
            slowdown_sum += (j->end - j->start) / j->work;
        }
    }
    out->mean_slowdown = out->modelled ? slowdown_sum / (double)out->modelled : 0;
    struct flurm_engine_stats st;
    flurm_engine_stats (e, &st);
    out->busy_node_hours = st.busy_node_seconds / 3600;
    out->jobs_per_node_hour = out->busy_node_hours > 0
                                  ? (double)completed / out->busy_node_hours : 0;
}

json_t *flurm_metrics_interference_json (const struct flurm_engine *e,
                                         const struct flurm_interference_metrics *im)
{
    const struct flurm_interference *model = flurm_engine_interference (e);
    return json_pack ("{s:s, s:I, s:f, s:f, s:f, s:f, s:f, s:f}",
                      "model", flurm_interference_kind_name (flurm_interference_kind (model)),
                      "modelled_jobs", (json_int_t)im->modelled,
                      "mean_slowdown", im->mean_slowdown,
                      "colocated_job_seconds", im->colocated_job_seconds,
                      "fallback_job_seconds", im->fallback_job_seconds,
                      "busy_node_hours", im->busy_node_hours,
                      "exclusive_node_hours", im->exclusive_node_hours,
                      "jobs_per_node_hour", im->jobs_per_node_hour);
}
