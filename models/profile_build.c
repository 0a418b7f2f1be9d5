/* models/profile_build.c — profiles from reference runs, and the profile
 * file writer.
 *
 * Runs are grouped in one pass into a table app -> (compact runtimes,
 * partner -> co-run runtimes); apps are then ordered as the generator of
 * models/npb-aris.yaml orders them (name without its process count, then
 * the count as a number), so that a profile built from the ELiSE pool
 * lists its apps like that file.  Runtimes are written with three decimals
 * and trailing zeros dropped down to two (a median of two 2-decimal values
 * needs three), speedups with four.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/profile_build.h"
#include "sim/outfile.h"

struct group {
    char *app;
    uint32_t procs;
    GArray *compact;       /* double */
    GHashTable *partners;  /* partner name -> GArray of double */
};

static void group_free (gpointer p)
{
    struct group *g = p;
    g_free (g->app);
    g_array_unref (g->compact);
    g_hash_table_destroy (g->partners);
    g_free (g);
}

static void array_free (gpointer p)
{
    g_array_unref (p);
}

/* "cg.D.64" -> base "cg.D", procs 64; 0 when the name ends in no number. */
static uint32_t procs_of_name (const char *name, size_t *base_len)
{
    const char *dot = strrchr (name, '.');
    *base_len = strlen (name);
    if (!dot || !dot[1] || strspn (dot + 1, "0123456789") != strlen (dot + 1))
        return 0;
    *base_len = (size_t)(dot - name);
    unsigned long v = strtoul (dot + 1, NULL, 10);
    return v > 0 && v < (1ul << 24) ? (uint32_t)v : 0;
}

static int cmp_groups (const void *pa, const void *pb)
{
    const struct group *a = *(struct group *const *)pa, *b = *(struct group *const *)pb;
    size_t la, lb;
    procs_of_name (a->app, &la);
    procs_of_name (b->app, &lb);
    int c = strncmp (a->app, b->app, la < lb ? la : lb);
    if (c || la != lb)
        return c ? c : la < lb ? -1 : 1;
    return a->procs < b->procs ? -1 : a->procs > b->procs;
}

static int cmp_double (const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Median, min and max of a non-empty list (sorted in place). */
static void spread (GArray *v, double *median, double *min, double *max)
{
    double *x = (double *)(void *)v->data;
    size_t n = v->len;
    qsort (x, n, sizeof (double), cmp_double);
    *median = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
    *min = x[0];
    *max = x[n - 1];
}

struct tally {
    size_t skipped_state, skipped_app, skipped_runtime, orphan_pairs;
};

static void add_job (GHashTable *groups, const struct flurm_run_job *j, struct tally *t)
{
    if (!j->app) {
        t->skipped_app++;
        return;
    }
    if (!j->state || strcmp (j->state, "completed") != 0) {
        t->skipped_state++;
        return;
    }
    if (!(j->runtime > 0) || !isfinite (j->runtime) || j->runtime > FLURM_APP_MAX_SECONDS) {
        t->skipped_runtime++;
        return;
    }
    struct group *g = g_hash_table_lookup (groups, j->app);
    if (!g) {
        g = g_new0 (struct group, 1);
        g->app = g_strdup (j->app);
        size_t base;
        g->procs = procs_of_name (j->app, &base);
        if (!g->procs && j->ntasks > 0 && j->ntasks < (1 << 24))
            g->procs = (uint32_t)j->ntasks;
        g->compact = g_array_new (FALSE, FALSE, sizeof (double));
        g->partners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, array_free);
        g_hash_table_insert (groups, g->app, g);
    }
    GArray *list = g->compact;
    if (j->partner) {
        list = g_hash_table_lookup (g->partners, j->partner);
        if (!list) {
            list = g_array_new (FALSE, FALSE, sizeof (double));
            g_hash_table_insert (g->partners, g_strdup (j->partner), list);
        }
    }
    g_array_append_val (list, j->runtime);
}

/* One note line: "<count> <what>". */
static void note (char ***notes, size_t *nnotes, size_t count, const char *what)
{
    if (!count || !notes)
        return;
    *notes = g_renew (char *, *notes, *nnotes + 1);
    (*notes)[(*nnotes)++] = g_strdup_printf ("%zu %s", count, what);
}

struct flurm_app_profiles *flurm_profiles_from_runs (struct flurm_run *const *runs, size_t nruns,
                                                     const char *machine, const char *measured,
                                                     char ***notes, size_t *nnotes,
                                                     flurm_error_t *err)
{
    if (notes) {
        *notes = NULL;
        *nnotes = 0;
    }
    if (!measured || !*measured || !machine || !*machine) {
        flurm_error_set (err, "say which machine the runs were measured on and by whom (a "
                         "profile file's provenance needs both)");
        return NULL;
    }
    GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, group_free);
    struct tally t = {0};
    GString *data = g_string_new (NULL);
    for (size_t r = 0; r < nruns; r++) {
        g_string_append_printf (data, "%s%s", r ? ", " : "", runs[r]->name);
        for (size_t i = 0; i < runs[r]->njobs; i++)
            add_job (groups, &runs[r]->jobs[i], &t);
    }
    /* only apps measured alone get a profile: the runtime is the work */
    GPtrArray *order = g_ptr_array_new ();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, groups);
    while (g_hash_table_iter_next (&it, &k, &v)) {
        struct group *g = v;
        if (g->compact->len > 0 && g->procs > 0)
            g_ptr_array_add (order, g);
        else
            t.orphan_pairs += g_hash_table_size (g->partners) + (g->compact->len ? 1 : 0);
    }
    g_ptr_array_sort (order, cmp_groups);
    struct flurm_app_profiles *p = NULL;
    if (order->len == 0) {
        flurm_error_set (err, "no completed run of an app alone (without a partner) in %s: "
                         "nothing to profile", data->str);
        goto out;
    }
    p = g_new0 (struct flurm_app_profiles, 1);
    p->source = g_strdup ("(built from runs)");
    p->machine = g_strdup (machine);
    p->provenance.data = g_strdup (data->str);
    p->provenance.measured = g_strdup (measured);
    p->napps = order->len;
    p->apps = g_new0 (struct flurm_app_profile, p->napps);
    GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint a = 0; a < order->len; a++) {
        struct group *g = g_ptr_array_index (order, a);
        g_hash_table_insert (index, g->app, GUINT_TO_POINTER (a + 1));
    }
    for (guint a = 0; a < order->len; a++) {
        struct group *g = g_ptr_array_index (order, a);
        struct flurm_app_profile *ap = &p->apps[a];
        ap->name = g_strdup (g->app);
        ap->procs = g->procs;
        ap->runs = g->compact->len;
        spread (g->compact, &ap->runtime, &ap->runtime_min, &ap->runtime_max);
        ap->pairs = g_new0 (struct flurm_app_pair, g_hash_table_size (g->partners) + 1);
        g_hash_table_iter_init (&it, g->partners);
        while (g_hash_table_iter_next (&it, &k, &v)) {
            gpointer b = g_hash_table_lookup (index, k);
            if (!b) {
                t.orphan_pairs++;
                continue;
            }
            struct flurm_app_pair *pr = &ap->pairs[ap->npairs++];
            pr->partner = GPOINTER_TO_UINT (b) - 1;
            pr->runs = ((GArray *)v)->len;
            spread (v, &pr->median, &pr->min, &pr->max);
            pr->speedup = ap->runtime / pr->median;
        }
        for (size_t i = 1; i < ap->npairs; i++) { /* by partner index */
            struct flurm_app_pair x = ap->pairs[i];
            size_t j = i;
            for (; j > 0 && ap->pairs[j - 1].partner > x.partner; j--)
                ap->pairs[j] = ap->pairs[j - 1];
            ap->pairs[j] = x;
        }
    }
    g_hash_table_destroy (index);
out:
    note (notes, nnotes, t.skipped_state, "runs left out: not completed (failed "
          "verification, truncated, never started...)");
    note (notes, nnotes, t.skipped_app, "runs left out: no application named");
    note (notes, nnotes, t.skipped_runtime, "runs left out: no usable runtime");
    note (notes, nnotes, t.orphan_pairs, "measurements left out: their app or partner "
          "was never measured alone (or its name gives no process count)");
    g_ptr_array_unref (order);
    g_hash_table_destroy (groups);
    g_string_free (data, TRUE);
    return p;
}

/* A runtime: three decimals, trailing zeros dropped down to two. */
static void put_seconds (FILE *f, double s)
{
    char buf[64];
    snprintf (buf, sizeof (buf), "%.3f", s);
    size_t n = strlen (buf);
    if (buf[n - 1] == '0')
        buf[n - 1] = '\0';
    fputs (buf, f);
}

static void put_quoted (FILE *f, const char *s)
{
    fputc ('"', f);
    for (const char *c = s ? s : ""; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc ('\\', f);
        if ((unsigned char)*c >= 0x20)
            fputc (*c, f);
    }
    fputc ('"', f);
}

int flurm_app_profiles_write (const struct flurm_app_profiles *p, const char *path,
                              flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    fputs ("# Application profiles written by `flurm-sim profile` from reference runs;\n"
           "# regenerate, do not edit.  compact: runs alone on full nodes (median, min,\n"
           "# max, count); pairs: runs next to each partner; speedup = compact median /\n"
           "# co-run median.  Format: docs/model-format.md.\n", f);
    fputs ("machine: ", f);
    put_quoted (f, p->machine);
    fputs ("\nsource:\n  data: ", f);
    put_quoted (f, p->provenance.data);
    fputs ("\n  measured: ", f);
    put_quoted (f, p->provenance.measured);
    fputs ("\napps:\n", f);
    for (size_t a = 0; a < p->napps; a++) {
        const struct flurm_app_profile *ap = &p->apps[a];
        fputs ("  ", f);
        put_quoted (f, ap->name);
        fprintf (f, ":\n    procs: %u\n    compact: {median: ", ap->procs);
        put_seconds (f, ap->runtime);
        fputs (", min: ", f);
        put_seconds (f, ap->runtime_min);
        fputs (", max: ", f);
        put_seconds (f, ap->runtime_max);
        fprintf (f, ", runs: %u}\n", ap->runs);
        if (ap->npairs == 0) {
            fputs ("    pairs: {}\n", f);
            continue;
        }
        fputs ("    pairs:\n", f);
        for (size_t i = 0; i < ap->npairs; i++) {
            const struct flurm_app_pair *pr = &ap->pairs[i];
            fputs ("      ", f);
            put_quoted (f, p->apps[pr->partner].name);
            fputs (": {median: ", f);
            put_seconds (f, pr->median);
            fputs (", min: ", f);
            put_seconds (f, pr->min);
            fputs (", max: ", f);
            put_seconds (f, pr->max);
            fprintf (f, ", runs: %u, speedup: %.4f}\n", pr->runs, pr->speedup);
        }
    }
    return flurm_outfile_commit (out, err);
}
