/* tests/unit/test_calibrate.c — fitting the analytic interference model:
 * known parameters come back from speedups the formula made, the fit of
 * the real ARIS profiles is repeatable and as good as measured, and the
 * fit file reads back as what was fitted. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/calibrate.h"
#include "models/interference.h"
#include "testutil.h"

/* Six apps whose 36 pairs straddle socket capacity (5 d_A + 5 d_B runs
 * from 0.4 to 3.5), written the way the fit reports them. */
#define NAPPS 6
static const struct flurm_analytic_params truth[NAPPS] = {
    {0.5868, 0.1511}, {0.2934, 0.1205}, {0.7823, 0.3557},
    {0.2445, 0.1818}, {0.4889, 0.0386}, {0.3911, 0.0693},
};

/* Full sockets cannot tell (m, d) from (m / a, 1/10 + a (d - 1/10)) for
 * one a shared by all apps (models/calibrate.c): these round numbers are
 * truth[] moved by a = 0.6 / 0.5868, and make the same speedups.  The fit
 * returns the member of the family nearest its start, truth[]. */
static const struct flurm_analytic_params round_truth[NAPPS] = {
    {0.6, 0.15}, {0.3, 0.12}, {0.8, 0.35}, {0.25, 0.18}, {0.5, 0.04}, {0.4, 0.07},
};

/* A profile set whose every pair is measured, each speedup exactly the
 * formula's for A next to B on 5 + 5 cores. */
static struct flurm_app_profiles *synthetic (const struct flurm_analytic_params *params)
{
    struct flurm_app_profiles *p = g_new0 (struct flurm_app_profiles, 1);
    p->source = g_strdup ("synthetic.yaml");
    p->napps = NAPPS;
    p->apps = g_new0 (struct flurm_app_profile, NAPPS);
    const struct flurm_corunner partner = {0, 5};
    const struct flurm_socket_share s = {5, 10, &partner, 1};
    for (uint32_t a = 0; a < NAPPS; a++) {
        struct flurm_app_profile *ap = &p->apps[a];
        ap->name = g_strdup_printf ("syn.C.%u", a + 1);
        ap->procs = a + 1;
        ap->runtime = ap->runtime_min = ap->runtime_max = 100;
        ap->runs = 1;
        ap->pairs = g_new0 (struct flurm_app_pair, NAPPS);
        ap->npairs = NAPPS;
        for (uint32_t b = 0; b < NAPPS; b++) {
            const struct flurm_analytic_params *other[] = {&params[b]};
            double speedup = flurm_analytic_rate (&params[a], &s, other);
            ap->pairs[b] = (struct flurm_app_pair){b, 100 / speedup, 100 / speedup,
                                                   100 / speedup, 1, speedup};
        }
    }
    return p;
}

static struct flurm_calibration *calibrate (const struct flurm_app_profiles *p, bool loo)
{
    flurm_error_t err;
    struct flurm_calibration *c = flurm_calibrate (p, loo, &err);
    if (!c)
        fail_msg ("%s", err.text);
    return c;
}

static void expect_params (const struct flurm_calibration *c,
                           const struct flurm_analytic_params *want, double tolerance)
{
    for (size_t a = 0; a < c->napps; a++) {
        const struct flurm_analytic_params *got = &c->apps[a].params;
        if (fabs (got->memory_share - want[a].memory_share) > tolerance
            || fabs (got->demand - want[a].demand) > tolerance)
            fail_msg ("%s: fitted m %.4f d %.4f, expected %.4f %.4f", c->apps[a].name,
                      got->memory_share, got->demand, want[a].memory_share, want[a].demand);
    }
}

static void test_recover (void **state)
{
    struct flurm_app_profiles *p = synthetic (truth);
    struct flurm_calibration *c = calibrate (p, true);
    assert_true (c->converged);
    assert_int_equal (c->observations, NAPPS * NAPPS);
    expect_params (c, truth, 1e-4);
    assert_true (c->rmse < 1e-4 && c->mape < 1e-4);
    /* every pair is predicted from the others: 15 + 6 unordered pairs */
    assert_int_equal (c->loo_pairs, 21);
    assert_true (c->loo_median < 1e-4 && c->loo_p90 < 1e-3);
    for (size_t a = 0; a < NAPPS; a++) {
        assert_int_equal (c->apps[a].observations, NAPPS);
        assert_true (c->apps[a].loo_p90 < 1e-3);
    }
    flurm_calibration_destroy (c);
    flurm_app_profiles_destroy (p);
}

static void test_family (void **state)
{
    struct flurm_app_profiles *p = synthetic (round_truth), *q = synthetic (truth);
    /* the two parameter sets make the same speedups (truth[] is rounded
     * to 4 decimals, hence the tolerance) */
    for (size_t a = 0; a < NAPPS; a++) {
        for (size_t b = 0; b < NAPPS; b++)
            assert_true (fabs (p->apps[a].pairs[b].speedup - q->apps[a].pairs[b].speedup) < 2e-4);
    }
    struct flurm_calibration *c = calibrate (p, false);
    expect_params (c, truth, 1e-4);
    flurm_calibration_destroy (c);
    flurm_app_profiles_destroy (q);
    flurm_app_profiles_destroy (p);
}

static void test_no_pairs (void **state)
{
    struct flurm_app_profiles *p = synthetic (truth);
    for (size_t a = 0; a < NAPPS; a++)
        p->apps[a].npairs = 0;
    flurm_error_t err;
    assert_null (flurm_calibrate (p, true, &err));
    assert_non_null (strstr (err.text, "synthetic.yaml: no measured pair"));
    flurm_app_profiles_destroy (p);
}

/* The fit file holds what was fitted: read back, the parameters are
 * equal and give the reported error; written twice, the same bytes. */
static void test_write_read (void **state)
{
    struct flurm_app_profiles *p = synthetic (round_truth);
    struct flurm_calibration *c = calibrate (p, true);
    char *path = g_build_filename (test_tmpdir (), "fit.yaml", NULL);
    char *again = g_build_filename (test_tmpdir (), "again.yaml", NULL);
    flurm_error_t err;
    assert_int_equal (flurm_calibration_write (c, path, &err), 0);
    assert_int_equal (flurm_calibration_write (c, again, &err), 0);
    size_t n1, n2;
    char *t1 = test_slurp (path, &n1), *t2 = test_slurp (again, &n2);
    assert_true (n1 == n2 && memcmp (t1, t2, n1) == 0);
    assert_non_null (strstr (t1, "\nprofiles: synthetic.yaml\nmodel: analytic\n"));
    assert_non_null (strstr (t1, "36 observations"));

    struct flurm_analytic_fit *fit = flurm_analytic_fit_load (path, p, &err);
    if (!fit)
        fail_msg ("%s", err.text);
    struct flurm_analytic_fit *mem = flurm_calibration_fit (c);
    double sq = 0;
    for (size_t a = 0; a < NAPPS; a++) {
        assert_true (fit->apps[a].memory_share == c->apps[a].params.memory_share);
        assert_true (fit->apps[a].demand == c->apps[a].params.demand);
        assert_memory_equal (&fit->apps[a], &mem->apps[a], sizeof (fit->apps[a]));
        const struct flurm_corunner partner = {0, 5};
        const struct flurm_socket_share s = {5, 10, &partner, 1};
        for (size_t b = 0; b < NAPPS; b++) {
            const struct flurm_analytic_params *other[] = {&fit->apps[b]};
            double r = flurm_analytic_rate (&fit->apps[a], &s, other) - p->apps[a].pairs[b].speedup;
            sq += r * r;
        }
    }
    assert_true (fabs (sqrt (sq / (NAPPS * NAPPS)) - c->rmse) < 1e-12);
    flurm_analytic_fit_destroy (mem);
    flurm_analytic_fit_destroy (fit);
    g_free (t2);
    g_free (t1);
    g_free (again);
    g_free (path);
    flurm_calibration_destroy (c);
    flurm_app_profiles_destroy (p);
}

/* Names that YAML would misread are quoted, and still match. */
static void test_odd_names (void **state)
{
    struct flurm_app_profiles *p = synthetic (truth);
    g_free (p->apps[0].name);
    p->apps[0].name = g_strdup ("yes");
    g_free (p->apps[1].name);
    p->apps[1].name = g_strdup ("a: b # c");
    g_free (p->apps[2].name);
    p->apps[2].name = g_strdup ("12");
    struct flurm_calibration *c = calibrate (p, false);
    char *path = g_build_filename (test_tmpdir (), "odd.yaml", NULL);
    flurm_error_t err;
    assert_int_equal (flurm_calibration_write (c, path, &err), 0);
    struct flurm_analytic_fit *fit = flurm_analytic_fit_load (path, p, &err);
    if (!fit)
        fail_msg ("%s", err.text);
    assert_true (fit->apps[1].demand == c->apps[1].params.demand);
    flurm_analytic_fit_destroy (fit);
    g_free (path);
    flurm_calibration_destroy (c);
    flurm_app_profiles_destroy (p);
}

/* The ARIS profiles: the fit is the same every time, and its error is the
 * one measured when the fit file was written (RMSE 0.1065, MAPE 6.84 %
 * over 651 pairs; compute-bound ep about 1 %). */
static void test_aris (void **state)
{
    flurm_error_t err;
    struct flurm_app_profiles *p = test_aris_profiles ();
    struct flurm_calibration *c1 = calibrate (p, false), *c2 = calibrate (p, false);
    assert_true (c1->converged);
    assert_int_equal (c1->observations, 651);
    assert_true (c1->rmse == c2->rmse && c1->mape == c2->mape);
    for (size_t a = 0; a < p->napps; a++)
        assert_memory_equal (&c1->apps[a].params, &c2->apps[a].params,
                             sizeof (c1->apps[a].params));
    assert_true (c1->rmse < 0.107);
    assert_true (c1->mape < 0.069);
    int32_t ep = flurm_app_profiles_find (p, "ep.E.256");
    assert_true (ep >= 0 && c1->apps[ep].mape < 0.02);

    /* the committed fit file is this fit */
    if (p->fit_path && g_file_test (p->fit_path, G_FILE_TEST_EXISTS)) {
        struct flurm_analytic_fit *fit = flurm_analytic_fit_load (p->fit_path, p, &err);
        if (!fit)
            fail_msg ("%s", err.text);
        for (size_t a = 0; a < p->napps; a++)
            assert_memory_equal (&fit->apps[a], &c1->apps[a].params, sizeof (fit->apps[a]));
        flurm_analytic_fit_destroy (fit);
    }
    flurm_calibration_destroy (c2);
    flurm_calibration_destroy (c1);
    flurm_app_profiles_destroy (p);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_recover),
        cmocka_unit_test (test_family),
        cmocka_unit_test (test_no_pairs),
        cmocka_unit_test (test_write_read),
        cmocka_unit_test (test_odd_names),
        cmocka_unit_test (test_aris),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
