/* tests/unit/test_app_profiles.c — application profiles: the generated
 * models/npb-aris.yaml as the simulator will use it, checked against the
 * raw ARIS measurements, and one test per class of bad input, each error
 * naming FILE:LINE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "testutil.h"

#define NPB_DATA "npb/aris-elise/lm-aris.compute-NAS.json"

/* The apps of the ARIS co-scheduling evaluation: the data keeps every
 * pair among them (SOURCES.md, npb/aris-elise). */
static const char *const evaluation[] = {"cg.D.64", "ep.E.256", "ft.D.256", "mg.E.128"};

static int32_t find (const struct flurm_app_profiles *p, const char *name)
{
    int32_t i = flurm_app_profiles_find (p, name);
    if (i < 0)
        fail_msg ("%s is not in %s", name, p->source);
    return i;
}

static void test_npb_file (void **state)
{
    struct flurm_app_profiles *p = test_aris_profiles ();
    assert_int_equal (p->napps, 33);
    assert_string_equal (p->machine, "aris.compute");
    assert_string_equal (p->provenance.data, NPB_DATA);
    assert_string_equal (p->provenance.repository, "nikosT/elise");
    assert_string_equal (p->provenance.commit, "70efef07289c690b5acfe5422fac69ef2ee311fd");
    assert_non_null (strstr (p->provenance.measured, "ARIS"));
    /* the fit file sits next to the profile file */
    assert_true (g_str_has_suffix (p->fit_path, "/models/npb-aris-fit.yaml"));

    const struct flurm_app_profile *cg = &p->apps[find (p, "cg.D.64")];
    assert_int_equal (cg->procs, 64);
    assert_int_equal (cg->runs, 3);

    size_t npairs = 0;
    for (size_t i = 0; i < p->napps; i++) {
        const struct flurm_app_profile *a = &p->apps[i];
        assert_true (a->runs >= 1);
        assert_true (a->runtime_min <= a->runtime && a->runtime <= a->runtime_max);
        for (size_t k = 0; k < a->npairs; k++) {
            const struct flurm_app_pair *pr = &a->pairs[k];
            if (k > 0)
                assert_true (pr->partner > a->pairs[k - 1].partner);
            /* written with 4 decimals from the exact medians */
            assert_true (fabs (pr->speedup - a->runtime / pr->median) <= 0.5e-4 + 1e-12);
            assert_ptr_equal (flurm_app_profiles_pair (p, (uint32_t)i, pr->partner), pr);
        }
        npairs += a->npairs;
    }
    /* the shared data keeps 651 of the 809 measured ordered pairs */
    assert_int_equal (npairs, 651);
    flurm_app_profiles_destroy (p);
}

static void test_evaluation_pairs (void **state)
{
    struct flurm_app_profiles *p = test_aris_profiles ();
    for (size_t i = 0; i < G_N_ELEMENTS (evaluation); i++) {
        for (size_t k = 0; k < G_N_ELEMENTS (evaluation); k++) {
            int32_t a = find (p, evaluation[i]), b = find (p, evaluation[k]);
            const struct flurm_app_pair *pr = flurm_app_profiles_pair (p, (uint32_t)a,
                                                                      (uint32_t)b);
            if (!pr)
                fail_msg ("%s next to %s is missing", evaluation[i], evaluation[k]);
            assert_int_equal (pr->partner, b);
            assert_true (pr->runs >= 1 && pr->speedup > 0);
        }
    }
    flurm_app_profiles_destroy (p);
}

static int cmp_double (const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median (double *v, size_t n)
{
    qsort (v, n, sizeof (*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The runtimes of a JSON list, or of a list of lists flattened. */
static size_t runtimes (const json_t *list, double *out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach (list, i, v) {
        if (json_is_array (v)) {
            n += runtimes (v, out + n, max - n);
            continue;
        }
        assert_true (json_is_number (v) && n < max);
        out[n++] = json_number_value (v);
    }
    return n;
}

static bool close_to (double a, double b)
{
    return fabs (a - b) <= 1e-9 * fabs (b);
}

/* Recompute from the raw pool what the generator wrote: the compact
 * median of every app and, for each of its partners, the median over all
 * copies' runs. */
static void test_matches_raw_data (void **state)
{
    const char *path = shared_data_or_skip (NPB_DATA);
    json_error_t jerr;
    json_t *pool = json_load_file (path, 0, &jerr);
    if (!pool)
        fail_msg ("%s: %s", path, jerr.text);
    struct flurm_app_profiles *p = test_aris_profiles ();
    json_t *loads = json_object_get (pool, "loads");
    assert_int_equal (json_array_size (loads), p->napps);
    double v[4096];
    bool saw_cg = false;
    size_t i;
    json_t *s;
    json_array_foreach (loads, i, s) {
        json_t *load = json_loads (json_string_value (s), 0, &jerr);
        assert_non_null (load);
        const char *name = json_string_value (json_object_get (load, "load_name"));
        const struct flurm_app_profile *a = &p->apps[find (p, name)];
        size_t n = runtimes (json_object_get (load, "compact_timelogs"), v, G_N_ELEMENTS (v));
        assert_int_equal (a->runs, n);
        assert_true (close_to (a->runtime, median (v, n)));
        assert_true (a->runtime_min == v[0] && a->runtime_max == v[n - 1]);
        if (strcmp (name, "cg.D.64") == 0) {
            assert_true (close_to (a->runtime, 183.43));
            saw_cg = true;
        }
        json_t *partners = json_object_get (load, "coscheduled_timelogs");
        assert_int_equal (a->npairs, json_object_size (partners));
        const char *partner;
        json_t *copies;
        json_object_foreach (partners, partner, copies) {
            const struct flurm_app_pair *pr =
                flurm_app_profiles_pair (p, (uint32_t)(a - p->apps), find (p, partner));
            assert_non_null (pr);
            n = runtimes (copies, v, G_N_ELEMENTS (v));
            assert_int_equal (pr->runs, n);
            assert_true (close_to (pr->median, median (v, n)));
        }
        json_decref (load);
    }
    assert_true (saw_cg);
    flurm_app_profiles_destroy (p);
    json_decref (pool);
}

/* small.yaml: a partner named before its own entry, pairs sorted by
 * index whatever their order in the file, the fit path resolved. */
static void test_small (void **state)
{
    flurm_error_t err;
    char *dir = g_strdup (test_data ("app_profiles"));
    struct flurm_app_profiles *p = flurm_app_profiles_load (test_data ("app_profiles/small.yaml"),
                                                            &err);
    if (!p)
        fail_msg ("%s", err.text);
    assert_int_equal (p->napps, 3);
    assert_string_equal (p->machine, "test");
    assert_null (p->provenance.data);
    assert_null (p->provenance.commit);
    char *fit = g_build_filename (dir, "small-fit.yaml", NULL);
    assert_string_equal (p->fit_path, fit);
    int32_t b = find (p, "b.C.8"), a = find (p, "a.C.4"), solo = find (p, "solo");
    assert_int_equal (b, 0);
    assert_int_equal (a, 1);
    assert_int_equal (flurm_app_profiles_find (p, "c.C.8"), -1);
    assert_true (p->apps[b].runtime_max == 110.5);
    assert_int_equal (p->apps[b].npairs, 2);
    assert_int_equal (p->apps[b].pairs[0].partner, b);
    assert_int_equal (p->apps[b].pairs[1].partner, a);
    const struct flurm_app_pair *pr = flurm_app_profiles_pair (p, (uint32_t)b, (uint32_t)a);
    assert_non_null (pr);
    assert_true (pr->median == 80 && pr->runs == 2 && pr->speedup == 1.25);
    assert_null (flurm_app_profiles_pair (p, (uint32_t)a, (uint32_t)b)); /* not measured */
    assert_null (flurm_app_profiles_pair (p, (uint32_t)solo, (uint32_t)a));
    assert_null (flurm_app_profiles_pair (p, 99, 0));
    assert_int_equal (p->apps[solo].procs, 3); /* not x.Y.N: any procs */
    flurm_app_profiles_destroy (p);

    /* the same in JSON, without a fit file */
    p = flurm_app_profiles_load (test_data ("app_profiles/small.json"), &err);
    if (!p)
        fail_msg ("%s", err.text);
    assert_int_equal (p->napps, 2);
    assert_null (p->fit_path);
    assert_non_null (flurm_app_profiles_pair (p, 0, 1));
    flurm_app_profiles_destroy (p);
    g_free (fit);
    g_free (dir);
}

/* Loading tests/data/app_profiles/FILE fails, naming FILE:LINE: and
 * saying `what`. */
static void expect_error (const char *file, int line, const char *what)
{
    char rel[256], where[256];
    flurm_error_t err;
    snprintf (rel, sizeof (rel), "app_profiles/%s", file);
    struct flurm_app_profiles *p = flurm_app_profiles_load (test_data (rel), &err);
    if (p) {
        flurm_app_profiles_destroy (p);
        fail_msg ("%s was accepted", file);
    }
    snprintf (where, sizeof (where), "app_profiles/%s:%d:", file, line);
    if (!strstr (err.text, where) || !strstr (err.text, what))
        fail_msg ("%s: expected \"%s ... %s\", got: %s", file, where, what, err.text);
}

static void test_missing_field (void **state)
{
    expect_error ("missing-field.yaml", 10, "a.C.4: compact.runs is missing");
    expect_error ("no-provenance.yaml", 2, "source (the provenance) is missing");
}

static void test_negative_runtime (void **state)
{
    expect_error ("negative-runtime.yaml", 7, "a.C.4: compact.median must be in (0, 1e+08] s");
}

static void test_nan_runtime (void **state)
{
    expect_error ("nan-runtime.yaml", 7, "compact.median must be in (0, 1e+08] s (got .nan)");
}

static void test_huge_runtime (void **state)
{
    expect_error ("huge-runtime.yaml", 9, "a.C.4 next to a.C.4: median must be in (0, 1e+08] s");
}

static void test_zero_runs (void **state)
{
    expect_error ("zero-runs.yaml", 7, "a.C.4: compact.runs must be >= 1 (got 0)");
}

static void test_min_above_median (void **state)
{
    expect_error ("min-above-median.yaml", 7, "a.C.4: compact needs min <= median <= max");
}

static void test_unknown_partner (void **state)
{
    expect_error ("unknown-partner.yaml", 10, "a.C.4: unknown partner 'z.D.64'");
}

static void test_duplicate_app (void **state)
{
    expect_error ("duplicate-app.yaml", 8, "duplicate key 'a.C.4'");
}

static void test_unknown_key (void **state)
{
    expect_error ("unknown-key.yaml", 8, "unknown key 'colour' in app");
}

static void test_bad_speedup (void **state)
{
    expect_error ("bad-speedup.yaml", 9,
                  "b.C.8 next to b.C.8: speedup 1.5 disagrees with compact median / median");
}

static void test_procs_mismatch (void **state)
{
    expect_error ("procs-mismatch.yaml", 6, "cg.D.64: procs 32 disagrees with the name");
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_npb_file),
        cmocka_unit_test (test_evaluation_pairs),
        cmocka_unit_test (test_matches_raw_data),
        cmocka_unit_test (test_small),
        cmocka_unit_test (test_missing_field),
        cmocka_unit_test (test_negative_runtime),
        cmocka_unit_test (test_nan_runtime),
        cmocka_unit_test (test_huge_runtime),
        cmocka_unit_test (test_zero_runs),
        cmocka_unit_test (test_min_above_median),
        cmocka_unit_test (test_unknown_partner),
        cmocka_unit_test (test_duplicate_app),
        cmocka_unit_test (test_unknown_key),
        cmocka_unit_test (test_bad_speedup),
        cmocka_unit_test (test_procs_mismatch),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
