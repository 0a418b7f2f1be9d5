/* tests/unit/test_aris_pairs.c — replaying the measured ARIS pairs gives
 * back the measured runtimes.
 *
 * Each traces/aris-npb/pair-A+B.yaml loops A and B (with copies of the
 * smaller) side by side for 600 s, as the ARIS scripts did.  With the
 * empirical model, a job's runtime next to its partner must come out as
 * the measured co-run runtime: for each app of the pair, the median run
 * time of the instances that finished by 600 s (the data kept only those)
 * must lie within the measured spread [min, max] of that pair's runs in
 * models/npb-aris.yaml.  Both files are the real ones of the repository.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "sim/engine.h"
#include "sim/match.h"
#include "sim/trace.h"
#include "testutil.h"

static int cmp_double (const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median (double *v, size_t n)
{
    qsort (v, n, sizeof (double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *repo_path (const char *rel)
{
    /* FLURM_TEST_DATA is <repo>/tests/data */
    return g_build_filename (test_data (""), "..", "..", rel, NULL);
}

/* Replay one pair trace; check both apps against the measured spread. */
static void check_pair (const char *a_name, const char *b_name)
{
    char *file = g_strdup_printf ("traces/aris-npb/pair-%s+%s.yaml", a_name, b_name);
    char *path = repo_path (file);
    flurm_error_t err;
    struct flurm_trace *t = flurm_trace_load_file (path, &err);
    if (!t)
        fail_msg ("%s", err.text);
    struct flurm_interference *model =
        flurm_interference_create (t->interference, t->profiles, t->fit, &err);
    assert_non_null (model);
    struct flurm_matcher *m = flurm_matcher_create (t->graph, t->match_policy, NULL, &err);
    assert_non_null (m);
    struct flurm_engine_config cfg = t->engine;
    cfg.interference = model;
    cfg.profiles = t->profiles;
    struct flurm_engine *e;
    size_t n;
    const struct flurm_job *jobs = test_engine_run (m, t->workload, &cfg, &e, &n);
    const char *names[] = {a_name, b_name};
    for (int k = 0; k < 2; k++) {
        int32_t app = flurm_app_profiles_find (t->profiles, names[k]);
        int32_t partner = flurm_app_profiles_find (t->profiles, names[1 - k]);
        assert_true (app >= 0 && partner >= 0);
        const struct flurm_app_pair *p = flurm_app_profiles_pair (t->profiles, (uint32_t)app,
                                                                  (uint32_t)partner);
        assert_non_null (p);
        double *runs = g_new (double, n);
        size_t nruns = 0;
        for (size_t i = 0; i < n; i++) {
            if (jobs[i].app == app && jobs[i].state == FLURM_JOB_COMPLETED
                && jobs[i].end <= 600)
                runs[nruns++] = jobs[i].end - jobs[i].start;
        }
        assert_true (nruns > 0);
        double got = median (runs, nruns);
        /* the spread of the measurements, widened by the 2-decimal rounding
         * of the data */
        if (!(got >= p->min - 0.01 && got <= p->max + 0.01))
            fail_msg ("%s next to %s: simulated median %.3f s over %zu runs, measured %.3f s "
                      "(%.2f .. %.2f over %u runs)", names[k], names[1 - k], got, nruns,
                      p->median, p->min, p->max, p->runs);
        printf ("%-9s next to %-9s simulated %8.3f s (%2zu runs)  measured %8.3f s "
                "[%.2f, %.2f]\n", names[k], names[1 - k], got, nruns, p->median, p->min,
                p->max);
        g_free (runs);
    }
    flurm_engine_destroy (e);
    flurm_matcher_destroy (m);
    flurm_interference_destroy (model);
    flurm_trace_destroy (t);
    g_free (path);
    g_free (file);
}

static void test_every_measured_pair (void **state)
{
    static const char *const pairs[][2] = {
        {"cg.D.64", "cg.D.64"},   {"cg.D.64", "ep.E.256"},  {"cg.D.64", "ft.D.256"},
        {"cg.D.64", "mg.E.128"},  {"ep.E.256", "ep.E.256"}, {"ep.E.256", "ft.D.256"},
        {"ep.E.256", "mg.E.128"}, {"ft.D.256", "ft.D.256"}, {"ft.D.256", "mg.E.128"},
        {"mg.E.128", "mg.E.128"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (pairs); i++)
        check_pair (pairs[i][0], pairs[i][1]);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_every_measured_pair),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
