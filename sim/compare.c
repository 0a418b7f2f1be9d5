/* sim/compare.c — pair the jobs of two runs and measure how far apart
 * they are.
 *
 * Pairing is a pure function of the two tables: by id or name through a
 * hash of B's keys (first occurrence wins, later duplicates stay
 * unpaired), by app through each app's runs sorted by (start, submit,
 * position).  Every job of A and B ends up in exactly one of pairs,
 * only_a, only_b.  Figures are means over the pairs where both values are
 * known, so a real run's failed job (no runtime) counts as unpaired-ish
 * data, not as an error of 0.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/compare.h"
#include "sim/csvout.h"
#include "sim/outfile.h"

static const char *const by_names[] = {"auto", "id", "name", "app"};

int flurm_compare_by_parse (const char *s, enum flurm_compare_by *out, flurm_error_t *err)
{
    for (int i = 0; i < 4; i++) {
        if (s && !strcmp (s, by_names[i])) {
            *out = (enum flurm_compare_by)i;
            return 0;
        }
    }
    return flurm_error_set (err, "unknown way to pair jobs '%s' (expected auto, id, name or app)",
                            s ? s : "");
}

const char *flurm_compare_by_name (enum flurm_compare_by by)
{
    return (unsigned)by < 4 ? by_names[by] : "?";
}

/* A job without a name is known by its id (an imported real run names
 * its jobs by the ids a replayed workload gives them). */
static const char *key_of (const struct flurm_run_job *j, enum flurm_compare_by by)
{
    if (by == FLURM_COMPARE_NAME)
        return j->name ? j->name : j->id;
    return by == FLURM_COMPARE_ID ? j->id : j->app;
}

static double order_time (const struct flurm_run_job *j)
{
    return j->start >= 0 ? j->start : j->submit >= 0 ? j->submit : INFINITY;
}

static int cmp_by_time (const void *pa, const void *pb, void *data)
{
    const struct flurm_run *r = data;
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    double tx = order_time (&r->jobs[x]), ty = order_time (&r->jobs[y]);
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* r's jobs by app, each list in the order pairing by app uses; returns
 * the apps in order of first appearance. */
static GPtrArray *app_runs (const struct flurm_run *r, GHashTable *by_app)
{
    GPtrArray *apps = g_ptr_array_new ();
    for (size_t i = 0; i < r->njobs; i++) {
        const char *app = r->jobs[i].app;
        if (!app)
            continue;
        GArray *list = g_hash_table_lookup (by_app, app);
        if (!list) {
            list = g_array_new (FALSE, FALSE, sizeof (size_t));
            g_hash_table_insert (by_app, (gpointer)app, list);
            g_ptr_array_add (apps, (gpointer)app);
        }
        g_array_append_val (list, i);
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, by_app);
    while (g_hash_table_iter_next (&it, &k, &v)) {
        GArray *list = v;
        g_qsort_with_data (list->data, (gint)list->len, sizeof (size_t), cmp_by_time,
                           (gpointer)r);
    }
    return apps;
}

static void free_array (gpointer p)
{
    g_array_unref (p);
}

/* Pair a and b by `by` into c->pairs; mark paired jobs. */
static void pair_up (struct flurm_compare *c, const struct flurm_run *a,
                     const struct flurm_run *b, enum flurm_compare_by by, bool *used_a,
                     bool *used_b)
{
    GArray *pairs = g_array_new (FALSE, FALSE, sizeof (struct flurm_compare_pair));
    if (by == FLURM_COMPARE_APP) {
        GHashTable *ha = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_array);
        GHashTable *hb = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_array);
        GPtrArray *apps = app_runs (a, ha);
        g_ptr_array_unref (app_runs (b, hb));
        for (guint k = 0; k < apps->len; k++) {
            GArray *la = g_hash_table_lookup (ha, g_ptr_array_index (apps, k));
            GArray *lb = g_hash_table_lookup (hb, g_ptr_array_index (apps, k));
            for (guint i = 0; lb && i < la->len && i < lb->len; i++) {
                struct flurm_compare_pair p = {g_array_index (la, size_t, i),
                                               g_array_index (lb, size_t, i)};
                g_array_append_val (pairs, p);
            }
        }
        g_ptr_array_unref (apps);
        g_hash_table_destroy (ha);
        g_hash_table_destroy (hb);
    }
    else {
        GHashTable *hb = g_hash_table_new (g_str_hash, g_str_equal);
        for (size_t i = 0; i < b->njobs; i++) {
            const char *k = key_of (&b->jobs[i], by);
            if (k && !g_hash_table_contains (hb, k))
                g_hash_table_insert (hb, (gpointer)k, GSIZE_TO_POINTER (i + 1));
        }
        for (size_t i = 0; i < a->njobs; i++) {
            const char *k = key_of (&a->jobs[i], by);
            gpointer v = k ? g_hash_table_lookup (hb, k) : NULL;
            if (!v)
                continue;
            struct flurm_compare_pair p = {i, GPOINTER_TO_SIZE (v) - 1};
            g_hash_table_remove (hb, k); /* one partner each */
            g_array_append_val (pairs, p);
        }
        g_hash_table_destroy (hb);
    }
    for (guint i = 0; i < pairs->len; i++) {
        const struct flurm_compare_pair *p = &g_array_index (pairs, struct flurm_compare_pair, i);
        used_a[p->a] = used_b[p->b] = true;
    }
    c->npairs = pairs->len;
    c->pairs = (struct flurm_compare_pair *)(void *)g_array_free (pairs, FALSE);
}

static double wait_of (const struct flurm_run_job *j)
{
    return j->start >= 0 && j->submit >= 0 ? j->start - j->submit : NAN;
}

static double turnaround_of (const struct flurm_run_job *j)
{
    return j->end >= 0 && j->submit >= 0 ? j->end - j->submit : NAN;
}

static double runtime_of (const struct flurm_run_job *j)
{
    return j->runtime >= 0 ? j->runtime : j->end >= 0 && j->start >= 0 ? j->end - j->start : NAN;
}

struct sums {
    size_t n_rt, n_w, n_ta, n_rt_rel, n_ta_rel;
    double rt_abs, rt_rel, w_abs, ta_abs, ta_rel;
};

static void add_pair (struct sums *s, const struct flurm_run_job *x, const struct flurm_run_job *y)
{
    double ra = runtime_of (x), rb = runtime_of (y);
    if (!isnan (ra) && !isnan (rb)) {
        s->n_rt++;
        s->rt_abs += fabs (ra - rb);
        if (rb > 0) {
            s->n_rt_rel++;
            s->rt_rel += fabs (ra - rb) / rb;
        }
    }
    double wa = wait_of (x), wb = wait_of (y);
    if (!isnan (wa) && !isnan (wb)) {
        s->n_w++;
        s->w_abs += fabs (wa - wb);
    }
    double ta = turnaround_of (x), tb = turnaround_of (y);
    if (!isnan (ta) && !isnan (tb)) {
        s->n_ta++;
        s->ta_abs += fabs (ta - tb);
        if (tb > 0) {
            s->n_ta_rel++;
            s->ta_rel += fabs (ta - tb) / tb;
        }
    }
}

static struct flurm_compare_errors finish (const struct sums *s)
{
    struct flurm_compare_errors e = {
        .n_runtime = s->n_rt,
        .n_wait = s->n_w,
        .n_turnaround = s->n_ta,
        .runtime_mae = s->n_rt ? s->rt_abs / (double)s->n_rt : NAN,
        .runtime_mape = s->n_rt_rel ? s->rt_rel / (double)s->n_rt_rel : NAN,
        .wait_mae = s->n_w ? s->w_abs / (double)s->n_w : NAN,
        .turnaround_mae = s->n_ta ? s->ta_abs / (double)s->n_ta : NAN,
        .turnaround_mape = s->n_ta_rel ? s->ta_rel / (double)s->n_ta_rel : NAN,
    };
    return e;
}

static void aggregates (const struct flurm_run *r, double *makespan, double *mean_wait)
{
    double first = INFINITY, last = -INFINITY, wsum = 0;
    size_t nw = 0;
    for (size_t i = 0; i < r->njobs; i++) {
        const struct flurm_run_job *j = &r->jobs[i];
        if (j->submit >= 0 && j->submit < first)
            first = j->submit;
        if (j->end >= 0 && j->end > last)
            last = j->end;
        double w = wait_of (j);
        if (!isnan (w)) {
            wsum += w;
            nw++;
        }
    }
    *makespan = isfinite (first) && isfinite (last) ? last - first : NAN;
    *mean_wait = nw ? wsum / (double)nw : NAN;
}

static int cmp_app (const void *pa, const void *pb)
{
    return strcmp (((const struct flurm_compare_app *)pa)->app,
                   ((const struct flurm_compare_app *)pb)->app);
}

struct flurm_compare *flurm_compare_runs (const struct flurm_run *a, const struct flurm_run *b,
                                          enum flurm_compare_by by, flurm_error_t *err)
{
    if (a->njobs == 0 || b->njobs == 0) {
        flurm_error_set (err, "%s has no jobs to compare", a->njobs ? b->name : a->name);
        return NULL;
    }
    struct flurm_compare *c = g_new0 (struct flurm_compare, 1);
    bool *used_a = g_new0 (bool, a->njobs), *used_b = g_new0 (bool, b->njobs);
    enum flurm_compare_by tries[] = {FLURM_COMPARE_ID, FLURM_COMPARE_NAME, FLURM_COMPARE_APP};
    for (int t = 0; t < 3; t++) {
        enum flurm_compare_by now = by == FLURM_COMPARE_AUTO ? tries[t] : by;
        g_free (c->pairs);
        memset (used_a, 0, a->njobs * sizeof (bool));
        memset (used_b, 0, b->njobs * sizeof (bool));
        pair_up (c, a, b, now, used_a, used_b);
        c->by = now;
        if (by != FLURM_COMPARE_AUTO || 2 * c->npairs >= b->njobs)
            break;
    }
    c->only_a = g_new (size_t, a->njobs);
    c->only_b = g_new (size_t, b->njobs);
    for (size_t i = 0; i < a->njobs; i++)
        if (!used_a[i])
            c->only_a[c->n_only_a++] = i;
    for (size_t i = 0; i < b->njobs; i++)
        if (!used_b[i])
            c->only_b[c->n_only_b++] = i;
    g_free (used_a);
    g_free (used_b);

    struct sums all = {0};
    GHashTable *per_app = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
    GPtrArray *names = g_ptr_array_new ();
    for (size_t i = 0; i < c->npairs; i++) {
        const struct flurm_run_job *x = &a->jobs[c->pairs[i].a], *y = &b->jobs[c->pairs[i].b];
        add_pair (&all, x, y);
        const char *app = y->app ? y->app : x->app ? x->app : "(none)";
        struct sums *s = g_hash_table_lookup (per_app, app);
        if (!s) {
            s = g_new0 (struct sums, 1);
            g_hash_table_insert (per_app, (gpointer)app, s);
            g_ptr_array_add (names, (gpointer)app);
        }
        add_pair (s, x, y);
    }
    c->all = finish (&all);
    c->napps = names->len;
    c->apps = g_new0 (struct flurm_compare_app, c->napps ? c->napps : 1);
    for (size_t k = 0; k < c->napps; k++) {
        const char *app = g_ptr_array_index (names, k);
        const struct sums *s = g_hash_table_lookup (per_app, app);
        c->apps[k].app = g_strdup (app);
        c->apps[k].pairs = s->n_rt > s->n_ta ? s->n_rt : s->n_ta;
        c->apps[k].err = finish (s);
    }
    qsort (c->apps, c->napps, sizeof (c->apps[0]), cmp_app);
    g_ptr_array_unref (names);
    g_hash_table_destroy (per_app);
    aggregates (a, &c->makespan_a, &c->mean_wait_a);
    aggregates (b, &c->makespan_b, &c->mean_wait_b);
    return c;
}

void flurm_compare_destroy (struct flurm_compare *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->napps; k++)
        g_free (c->apps[k].app);
    g_free (c->apps);
    g_free (c->pairs);
    g_free (c->only_a);
    g_free (c->only_b);
    g_free (c);
}

static double rel_diff (double x, double ref)
{
    return isnan (x) || isnan (ref) || ref == 0 ? NAN : fabs (x - ref) / fabs (ref);
}

double flurm_compare_worst (const struct flurm_compare *c, char **what)
{
    double worst = 0;
    *what = NULL;
    for (size_t k = 0; k < c->napps; k++) {
        double m = c->apps[k].err.runtime_mape;
        if (!isnan (m) && m > worst) {
            worst = m;
            g_free (*what);
            *what = g_strdup_printf ("runtime of %s off by %.1f %% (MAPE)", c->apps[k].app,
                                     100 * m);
        }
    }
    double ms = rel_diff (c->makespan_a, c->makespan_b);
    if (!isnan (ms) && ms > worst) {
        worst = ms;
        g_free (*what);
        *what = g_strdup_printf ("makespan %.1f s vs %.1f s (%.1f %%)", c->makespan_a,
                                 c->makespan_b, 100 * ms);
    }
    double mw = rel_diff (c->mean_wait_a, c->mean_wait_b);
    if (!isnan (mw) && mw > worst) {
        worst = mw;
        g_free (*what);
        *what = g_strdup_printf ("mean wait %.1f s vs %.1f s (%.1f %%)", c->mean_wait_a,
                                 c->mean_wait_b, 100 * mw);
    }
    return worst;
}

static void put_row (FILE *f, const struct flurm_run_job *x, const struct flurm_run_job *y)
{
    double ra = x ? runtime_of (x) : NAN, rb = y ? runtime_of (y) : NAN;
    flurm_csv_text (f, x ? x->id : NULL);
    fputc (',', f);
    flurm_csv_text (f, y ? y->id : NULL);
    fputc (',', f);
    flurm_csv_text (f, y && y->app ? y->app : x ? x->app : NULL);
    fputc (',', f);
    flurm_csv_number (f, ra);
    fputc (',', f);
    flurm_csv_number (f, rb);
    fputc (',', f);
    flurm_csv_number (f, ra - rb);
    fputc (',', f);
    flurm_csv_number (f, rel_diff (ra, rb));
    fputc (',', f);
    flurm_csv_number (f, x ? wait_of (x) : NAN);
    fputc (',', f);
    flurm_csv_number (f, y ? wait_of (y) : NAN);
    fputc (',', f);
    flurm_csv_number (f, x ? turnaround_of (x) : NAN);
    fputc (',', f);
    flurm_csv_number (f, y ? turnaround_of (y) : NAN);
    fputc ('\n', f);
}

int flurm_compare_write_csv (const char *path, const struct flurm_compare *c,
                             const struct flurm_run *a, const struct flurm_run *b,
                             flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    fputs ("a_id,b_id,app,runtime_a,runtime_b,runtime_diff,runtime_rel,wait_a,wait_b,"
           "turnaround_a,turnaround_b\n", f);
    for (size_t i = 0; i < c->npairs; i++)
        put_row (f, &a->jobs[c->pairs[i].a], &b->jobs[c->pairs[i].b]);
    for (size_t i = 0; i < c->n_only_a; i++)
        put_row (f, &a->jobs[c->only_a[i]], NULL);
    for (size_t i = 0; i < c->n_only_b; i++)
        put_row (f, NULL, &b->jobs[c->only_b[i]]);
    return flurm_outfile_commit (out, err);
}

static json_t *num (double x)
{
    return isnan (x) ? json_null () : json_real (x);
}

static json_t *errors_json (const struct flurm_compare_errors *e)
{
    return json_pack ("{s:I, s:o, s:o, s:I, s:o, s:I, s:o, s:o}", "runtime_pairs",
                      (json_int_t)e->n_runtime, "runtime_mae", num (e->runtime_mae),
                      "runtime_mape", num (e->runtime_mape), "wait_pairs", (json_int_t)e->n_wait,
                      "wait_mae", num (e->wait_mae), "turnaround_pairs",
                      (json_int_t)e->n_turnaround, "turnaround_mae", num (e->turnaround_mae),
                      "turnaround_mape", num (e->turnaround_mape));
}

static json_t *ids_json (const struct flurm_run *r, const size_t *idx, size_t n)
{
    json_t *arr = json_array ();
    for (size_t i = 0; i < n; i++)
        json_array_append_new (arr, json_string (r->jobs[idx[i]].id ? r->jobs[idx[i]].id : ""));
    return arr;
}

json_t *flurm_compare_json (const struct flurm_compare *c, const struct flurm_run *a,
                            const struct flurm_run *b)
{
    json_t *apps = json_object ();
    for (size_t k = 0; k < c->napps; k++) {
        json_t *e = errors_json (&c->apps[k].err);
        json_object_set_new (e, "pairs", json_integer ((json_int_t)c->apps[k].pairs));
        json_object_set_new (apps, c->apps[k].app, e);
    }
    return json_pack ("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o}}", "a",
                      a->name, "b", b->name, "paired_by", flurm_compare_by_name (c->by), "pairs",
                      (json_int_t)c->npairs, "unpaired_a", ids_json (a, c->only_a, c->n_only_a),
                      "unpaired_b", ids_json (b, c->only_b, c->n_only_b), "all",
                      errors_json (&c->all), "apps", apps, "aggregate", "makespan_a",
                      num (c->makespan_a), "makespan_b", num (c->makespan_b), "mean_wait_a",
                      num (c->mean_wait_a), "mean_wait_b", num (c->mean_wait_b));
}
