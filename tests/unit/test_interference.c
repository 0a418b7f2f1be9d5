/* tests/unit/test_interference.c — the interference models: the analytic
 * formula on cases worked by hand, the empirical table answering exactly
 * the measured ARIS pairs and flagging every guess, and the fit file
 * reader with one test per class of bad input, each naming FILE:LINE. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "testutil.h"

#define EPS 1e-12

/* cmocka 1.1 has no assert_near; this one shows both values. */
#define assert_near(got, want, eps)                                                  \
    do {                                                                             \
        double got_ = (got), want_ = (want);                                         \
        if (!(fabs (got_ - want_) <= (eps)))                                         \
            fail_msg ("%s is %.17g, expected %.17g", #got, got_, want_);            \
    } while (0)

/* The ARIS co-scheduling evaluation apps: the data keeps all their pairs. */
static const char *const evaluation[] = {"cg.D.64", "ep.E.256", "ft.D.256", "mg.E.128"};

/* m = 0.6, d = 0.2: memory-bound, a compact socket asks 10 x 0.2 = 2
 * capacities, so time(Dc) = 0.4 + 0.6 x 2 = 1.6. */
static const struct flurm_analytic_params mem = {0.6, 0.2};
/* m = 0.5, d = 0.3 */
static const struct flurm_analytic_params heavy = {0.5, 0.3};

static struct flurm_socket_share share (uint32_t procs, const struct flurm_corunner *others,
                                        size_t nothers)
{
    return (struct flurm_socket_share){procs, 10, others, nothers};
}

static void test_kind_names (void **state)
{
    static const char *const names[] = {"none", "empirical", "analytic"};
    for (size_t i = 0; i < G_N_ELEMENTS (names); i++) {
        enum flurm_interference_kind k;
        flurm_error_t err;
        assert_int_equal (flurm_interference_kind_parse (names[i], &k, &err), 0);
        assert_string_equal (flurm_interference_kind_name (k), names[i]);
    }
    enum flurm_interference_kind k;
    flurm_error_t err;
    assert_int_equal (flurm_interference_kind_parse ("Analytic", &k, &err), -1);
    assert_non_null (strstr (err.text, "\"Analytic\""));
    assert_int_equal (flurm_interference_kind_parse ("", &k, &err), -1);
}

static void test_formula_by_hand (void **state)
{
    /* compact alone: D = Dc, rate 1 whatever the app */
    struct flurm_socket_share s = share (10, NULL, 0);
    assert_near (flurm_analytic_rate (&mem, &s, NULL), 1.0, EPS);
    assert_near (flurm_analytic_rate (&heavy, &s, NULL), 1.0, EPS);

    /* spread alone: D = 5 x 0.2 = 1, time 1: rate 1.6 / 1 = 1.6 > 1 */
    s = share (5, NULL, 0);
    assert_near (flurm_analytic_rate (&mem, &s, NULL), 1.6, EPS);

    /* next to a heavy partner on the other half: D = 1 + 5 x 0.3 = 2.5,
     * time 0.4 + 0.6 x 2.5 = 1.9: rate 1.6 / 1.9, slower than compact */
    const struct flurm_corunner partner = {1, 5};
    const struct flurm_analytic_params *others[] = {&heavy};
    s = share (5, &partner, 1);
    assert_near (flurm_analytic_rate (&mem, &s, others), 1.6 / 1.9, EPS);
    assert_true (flurm_analytic_rate (&mem, &s, others) < 1.0);

    /* a partner without a profile uses no bandwidth: as if alone */
    const struct flurm_analytic_params *unknown[] = {NULL};
    assert_near (flurm_analytic_rate (&mem, &s, unknown), 1.6, EPS);

    /* the heavy one itself: Dc = 3, time(Dc) = 0.5 + 0.5 x 3 = 2;
     * D = 1.5 + 5 x 0.2 = 2.5, time 1.75: rate 2 / 1.75 */
    const struct flurm_analytic_params *mine[] = {&mem};
    assert_near (flurm_analytic_rate (&heavy, &s, mine), 2.0 / 1.75, EPS);

    /* a compute-bound app (m = 0) never changes pace */
    const struct flurm_analytic_params cpu = {0.0, 0.9};
    assert_near (flurm_analytic_rate (&cpu, &s, others), 1.0, EPS);

    /* demand under capacity costs nothing: d = 0.05, next to d = 0.05
     * on 5 + 5 cores, D = 0.5 */
    const struct flurm_analytic_params light = {0.9, 0.05};
    const struct flurm_analytic_params *lights[] = {&light};
    assert_near (flurm_analytic_rate (&light, &s, lights), 1.0, EPS);

    /* three jobs, 4 + 3 + 3: D = 0.8 + 0.9 + 0.6 = 2.3, time 1.78 */
    const struct flurm_corunner two[] = {{1, 3}, {2, 3}};
    const struct flurm_analytic_params *both[] = {&heavy, &mem};
    s = share (4, two, 2);
    assert_near (flurm_analytic_rate (&mem, &s, both), 1.6 / 1.78, EPS);
}

/* The small hand-made profiles of tests/data/interference. */
static struct flurm_app_profiles *load_small (void)
{
    flurm_error_t err;
    struct flurm_app_profiles *p =
        flurm_app_profiles_load (test_data ("interference/profiles.yaml"), &err);
    if (!p)
        fail_msg ("%s", err.text);
    return p;
}

static struct flurm_analytic_fit *load_fit (const struct flurm_app_profiles *p,
                                            const char *path)
{
    flurm_error_t err;
    struct flurm_analytic_fit *fit = flurm_analytic_fit_load (path, p, &err);
    if (!fit)
        fail_msg ("%s", err.text);
    return fit;
}

static void test_fit_file (void **state)
{
    struct flurm_app_profiles *p = load_small ();
    struct flurm_analytic_fit *fit = load_fit (p, p->fit_path);
    assert_int_equal (fit->napps, 3);
    assert_string_equal (fit->source, p->fit_path);
    /* indexed like the profiles, whatever the order in the file */
    int32_t cpu = flurm_app_profiles_find (p, "cpu.C.10");
    assert_near (fit->apps[cpu].memory_share, 0.1, EPS);
    assert_near (fit->apps[cpu].demand, 0.02, EPS);
    flurm_analytic_fit_destroy (fit);
    flurm_app_profiles_destroy (p);
}

static void test_none (void **state)
{
    flurm_error_t err;
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_NONE, NULL, NULL, &err);
    assert_non_null (m);
    assert_int_equal (flurm_interference_kind (m), FLURM_INTERFERENCE_NONE);
    const struct flurm_corunner other = {0, 5};
    struct flurm_socket_share s = share (5, &other, 1);
    bool fb = true;
    assert_near (flurm_interference_rate (m, 7, &s, &fb, &err), 1.0, 0);
    assert_false (fb);
    flurm_interference_destroy (m);
}

static void test_create_needs (void **state)
{
    struct flurm_app_profiles *p = load_small ();
    flurm_error_t err;
    assert_null (flurm_interference_create (FLURM_INTERFERENCE_EMPIRICAL, NULL, NULL, &err));
    assert_non_null (strstr (err.text, "profiles"));
    assert_null (flurm_interference_create (FLURM_INTERFERENCE_ANALYTIC, p, NULL, &err));
    assert_non_null (strstr (err.text, "calibrate"));
    /* a fit of other profiles (another number of apps) */
    struct flurm_analytic_params two[2] = {{0.5, 0.1}, {0.5, 0.1}};
    struct flurm_analytic_fit small = {.source = "two.yaml", .apps = two, .napps = 2};
    assert_null (flurm_interference_create (FLURM_INTERFERENCE_ANALYTIC, p, &small, &err));
    assert_non_null (strstr (err.text, "two.yaml"));
    flurm_app_profiles_destroy (p);
}

static void test_empirical_small (void **state)
{
    struct flurm_app_profiles *p = load_small ();
    struct flurm_analytic_fit *fit = load_fit (p, p->fit_path);
    uint32_t mem_app = (uint32_t)flurm_app_profiles_find (p, "mem.C.10");
    int32_t cpu = flurm_app_profiles_find (p, "cpu.C.10");
    int32_t mid = flurm_app_profiles_find (p, "mid.C.10");
    flurm_error_t err;
    struct flurm_interference *table =
        flurm_interference_create (FLURM_INTERFERENCE_EMPIRICAL, p, NULL, &err);
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_EMPIRICAL, p, fit, &err);
    assert_non_null (table);
    assert_non_null (m);
    bool fb = true;

    /* alone and compact: 1, from the table */
    struct flurm_socket_share s = share (10, NULL, 0);
    assert_near (flurm_interference_rate (table, mem_app, &s, &fb, &err), 1.0, 0);
    assert_false (fb);

    /* the measured pair: its speedup exactly */
    const struct flurm_corunner next_cpu = {cpu, 5};
    s = share (5, &next_cpu, 1);
    assert_near (flurm_interference_rate (table, mem_app, &s, &fb, &err), 1.25, 0);
    assert_false (fb);

    /* the unmeasured pair mem|mid: analytic, flagged.  D = 1 + 5 x 0.1
     * = 1.5, time 0.4 + 0.9 = 1.3: rate 1.6 / 1.3 */
    const struct flurm_corunner next_mid = {mid, 5};
    s = share (5, &next_mid, 1);
    assert_near (flurm_interference_rate (m, mem_app, &s, &fb, &err), 1.6 / 1.3, EPS);
    assert_true (fb);
    /* ... and without a fit to fall back on, an error naming the case */
    fb = false;
    assert_true (flurm_interference_rate (table, mem_app, &s, &fb, &err) <= 0);
    assert_non_null (strstr (err.text, "mem.C.10 on 5 of 10 cores"));

    /* spread alone, unequal halves, three jobs, a partner without a
     * profile: all guesses */
    s = share (5, NULL, 0);
    assert_near (flurm_interference_rate (m, mem_app, &s, &fb, &err), 1.6, EPS);
    assert_true (fb);
    const struct flurm_corunner cpu6 = {cpu, 6};
    s = share (4, &cpu6, 1);
    flurm_interference_rate (m, mem_app, &s, &fb, &err);
    assert_true (fb);
    const struct flurm_corunner three[] = {{cpu, 3}, {mid, 2}};
    s = share (5, three, 2);
    flurm_interference_rate (m, mem_app, &s, &fb, &err);
    assert_true (fb);
    const struct flurm_corunner stranger = {-1, 5};
    s = share (5, &stranger, 1);
    assert_near (flurm_interference_rate (m, mem_app, &s, &fb, &err), 1.6, EPS);
    assert_true (fb);

    /* an index out of range is the caller's mistake, reported */
    s = share (10, NULL, 0);
    assert_true (flurm_interference_rate (m, 3, &s, &fb, &err) <= 0);
    const struct flurm_corunner bad = {17, 5};
    s = share (5, &bad, 1);
    assert_true (flurm_interference_rate (m, mem_app, &s, &fb, &err) <= 0);
    assert_non_null (strstr (err.text, "17"));

    flurm_interference_destroy (table);
    flurm_interference_destroy (m);
    flurm_analytic_fit_destroy (fit);
    flurm_app_profiles_destroy (p);
}

static void test_analytic_small (void **state)
{
    struct flurm_app_profiles *p = load_small ();
    struct flurm_analytic_fit *fit = load_fit (p, p->fit_path);
    uint32_t mem_app = (uint32_t)flurm_app_profiles_find (p, "mem.C.10");
    int32_t cpu = flurm_app_profiles_find (p, "cpu.C.10");
    flurm_error_t err;
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_ANALYTIC, p, fit, &err);
    assert_non_null (m);
    /* the measured pair is not looked up: D = 1 + 5 x 0.02 = 1.1, time
     * 0.4 + 0.66 = 1.06, rate 1.6 / 1.06 (the table says 1.25) */
    const struct flurm_corunner next_cpu = {cpu, 5};
    struct flurm_socket_share s = share (5, &next_cpu, 1);
    bool fb = true;
    assert_near (flurm_interference_rate (m, mem_app, &s, &fb, &err), 1.6 / 1.06, EPS);
    assert_false (fb);
    flurm_interference_destroy (m);
    flurm_analytic_fit_destroy (fit);
    flurm_app_profiles_destroy (p);
}

/* Every ordered pair among the ARIS evaluation apps is answered by its
 * measured speedup, bit for bit, with no fallback and no fit needed. */
static void test_empirical_aris (void **state)
{
    flurm_error_t err;
    struct flurm_app_profiles *p = test_aris_profiles ();
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_EMPIRICAL, p, NULL, &err);
    assert_non_null (m);
    size_t checked = 0;
    for (size_t i = 0; i < G_N_ELEMENTS (evaluation); i++) {
        for (size_t k = 0; k < G_N_ELEMENTS (evaluation); k++) {
            int32_t a = flurm_app_profiles_find (p, evaluation[i]);
            int32_t b = flurm_app_profiles_find (p, evaluation[k]);
            assert_true (a >= 0 && b >= 0);
            const struct flurm_app_pair *pair = flurm_app_profiles_pair (p, a, b);
            assert_non_null (pair);
            const struct flurm_corunner partner = {b, 5};
            struct flurm_socket_share s = share (5, &partner, 1);
            bool fb = true;
            double r = flurm_interference_rate (m, (uint32_t)a, &s, &fb, &err);
            assert_true (r == pair->speedup);
            assert_false (fb);
            checked++;
        }
    }
    assert_int_equal (checked, 16);
    /* cg.D.64 next to mg.E.128 is the slowest of them, measured 0.685 */
    int32_t cg = flurm_app_profiles_find (p, "cg.D.64");
    int32_t mg = flurm_app_profiles_find (p, "mg.E.128");
    assert_near (flurm_app_profiles_pair (p, cg, mg)->speedup, 0.685, 0.001);
    flurm_interference_destroy (m);
    flurm_app_profiles_destroy (p);
}

/* The committed fit of the ARIS profiles loads against them. */
static void test_aris_fit (void **state)
{
    flurm_error_t err;
    struct flurm_app_profiles *p = test_aris_profiles ();
    assert_non_null (p->fit_path);
    struct flurm_analytic_fit *fit = load_fit (p, p->fit_path);
    assert_int_equal (fit->napps, p->napps);
    /* ep is compute-bound: next to itself and to another ep it keeps pace */
    int32_t ep = flurm_app_profiles_find (p, "ep.E.256");
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_ANALYTIC, p, fit, &err);
    const struct flurm_corunner self = {ep, 5};
    struct flurm_socket_share s = share (5, &self, 1);
    assert_near (flurm_interference_rate (m, (uint32_t)ep, &s, NULL, &err), 1.0, EPS);
    flurm_interference_destroy (m);
    flurm_analytic_fit_destroy (fit);
    flurm_app_profiles_destroy (p);
}

/* A bad fit file: refused with "FILE:LINE:" and a phrase. */
static void expect_bad (const char *name, int line, const char *phrase)
{
    struct flurm_app_profiles *p = load_small ();
    char rel[128];
    snprintf (rel, sizeof (rel), "interference/%s", name);
    const char *path = test_data (rel);
    flurm_error_t err;
    struct flurm_analytic_fit *fit = flurm_analytic_fit_load (path, p, &err);
    if (fit)
        fail_msg ("%s was accepted", name);
    char *where = g_strdup_printf ("%s:%d:", path, line);
    if (!g_str_has_prefix (err.text, where) || !strstr (err.text, phrase))
        fail_msg ("%s: expected '%s ... %s', got: %s", name, where, phrase, err.text);
    g_free (where);
    flurm_app_profiles_destroy (p);
}

static void test_bad_fit_files (void **state)
{
    expect_bad ("bad-top-key.yaml", 4, "unknown key 'fitted'");
    expect_bad ("bad-app-key.yaml", 8, "unknown key 'bandwidth'");
    expect_bad ("missing-app.yaml", 6, "no parameters for \"mid.C.10\"");
    expect_bad ("extra-app.yaml", 10, "\"old.C.10\" is not an app");
    expect_bad ("share-above-one.yaml", 8, "memory_share must be a number in [0, 1], not 1.5");
    expect_bad ("negative-share.yaml", 8, "memory_share must be");
    expect_bad ("negative-demand.yaml", 8, "demand must be a number in [0, 1e+06], not -0.02");
    expect_bad ("inf-demand.yaml", 8, "demand must be a number in [0, 1e+06], not .inf");
    expect_bad ("nan-demand.yaml", 8, "demand must be a number in [0, 1e+06], not .nan");
    expect_bad ("huge-demand.yaml", 8, "demand must be a number in [0, 1e+06], not 1e400");
    expect_bad ("absurd-demand.yaml", 8, "demand must be a number in [0, 1e+06], not 2e6");
    expect_bad ("string-demand.yaml", 8, "demand must be a number");
    expect_bad ("missing-share.yaml", 8, "memory_share missing");
    expect_bad ("wrong-model.yaml", 3, "model must be analytic");
    expect_bad ("bad-figure.yaml", 5, "rmse must be a finite number >= 0");
    expect_bad ("no-apps.yaml", 2, "lacks 'apps'");
    expect_bad ("apps-list.yaml", 3, "apps must be a mapping");
    expect_bad ("syntax.yaml", 5, "");

    /* a file that is not there */
    struct flurm_app_profiles *p = load_small ();
    flurm_error_t err;
    assert_null (flurm_analytic_fit_load (test_data ("interference/nowhere.yaml"), p, &err));
    assert_non_null (strstr (err.text, "nowhere.yaml"));
    flurm_app_profiles_destroy (p);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_kind_names),
        cmocka_unit_test (test_formula_by_hand),
        cmocka_unit_test (test_fit_file),
        cmocka_unit_test (test_none),
        cmocka_unit_test (test_create_needs),
        cmocka_unit_test (test_empirical_small),
        cmocka_unit_test (test_analytic_small),
        cmocka_unit_test (test_empirical_aris),
        cmocka_unit_test (test_aris_fit),
        cmocka_unit_test (test_bad_fit_files),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
