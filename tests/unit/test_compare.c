/* tests/unit/test_compare.c — pairing two runs and the error figures,
 * on small runs whose figures are computed by hand in the comments. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/compare.h"
#include "sim/run.h"
#include "testutil.h"

static void add (struct flurm_run *r, const char *id, const char *name, const char *app,
                 double submit, double start, double end)
{
    struct flurm_run_job j = {.id = (char *)id, .name = (char *)name, .app = (char *)app,
                              .submit = submit, .start = start, .end = end, .runtime = -1,
                              .ncores = -1, .nnodes = -1, .ntasks = -1, .state = "completed"};
    flurm_run_add (r, &j);
}

static bool near (double x, double y)
{
    return fabs (x - y) < 1e-9;
}

/* A simulated run against a real one in epoch seconds (offset 1000):
 *   job 1 cg: A runs 100 s after a wait of 0;  B 110 s after a wait of 10
 *   job 2 ep: A 50 s, wait 5;                  B 50 s, wait 0
 *   job 3 only in A, job 4 only in B.
 * runtime MAE = (10 + 0) / 2 = 5 s; MAPE = (10/110 + 0) / 2 = 0.0454545...
 * wait MAE = (10 + 5) / 2 = 7.5 s; turnaround: |100 - 120| = 20, |55 - 50| = 5
 * -> MAE 12.5, MAPE (20/120 + 5/50) / 2 = 0.1333... */
static void test_pair_by_id (void **state)
{
    struct flurm_run *a = flurm_run_create ("sim", "flurm", "simulated");
    struct flurm_run *b = flurm_run_create ("real", "flux-jobs", "epoch");
    add (a, "1", "x", "cg.D.64", 0, 0, 100);
    add (a, "2", "y", "ep.E.256", 0, 5, 55);
    add (a, "3", "z", "ep.E.256", 0, 5, 60);
    add (b, "1", "x", "cg.D.64", 1000, 1010, 1120);
    add (b, "2", "y", "ep.E.256", 1000, 1000, 1050);
    add (b, "4", "w", "ep.E.256", 1000, 1000, 1040);
    flurm_error_t err;
    struct flurm_compare *c = flurm_compare_runs (a, b, FLURM_COMPARE_AUTO, &err);
    assert_non_null (c);
    assert_int_equal (c->by, FLURM_COMPARE_ID);
    assert_int_equal (c->npairs, 2);
    assert_int_equal (c->n_only_a, 1);
    assert_string_equal (a->jobs[c->only_a[0]].id, "3");
    assert_int_equal (c->n_only_b, 1);
    assert_string_equal (b->jobs[c->only_b[0]].id, "4");
    assert_true (near (c->all.runtime_mae, 5));
    assert_true (near (c->all.runtime_mape, 10.0 / 110 / 2));
    assert_true (near (c->all.wait_mae, 7.5));
    assert_true (near (c->all.turnaround_mae, 12.5));
    assert_true (near (c->all.turnaround_mape, (20.0 / 120 + 5.0 / 50) / 2));
    assert_int_equal (c->napps, 2);
    assert_string_equal (c->apps[0].app, "cg.D.64");
    assert_true (near (c->apps[0].err.runtime_mape, 10.0 / 110));
    assert_true (near (c->apps[1].err.runtime_mape, 0));
    /* makespans: A 100 (0 .. 100), B 120 (1000 .. 1120): 16.7 % off, worse
     * than cg's MAPE (9.1 %) and the mean waits (3.33 s both) */
    char *what;
    double worst = flurm_compare_worst (c, &what);
    assert_true (near (worst, 20.0 / 120));
    assert_non_null (strstr (what, "makespan 100.0 s vs 120.0 s"));
    g_free (what);
    flurm_compare_destroy (c);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* No id in common: auto falls to names, then to apps in start order (the
 * k-th cg of A with the k-th cg of B). */
static void test_pair_by_name_and_app (void **state)
{
    struct flurm_run *a = flurm_run_create ("sim", "flurm", "simulated");
    struct flurm_run *b = flurm_run_create ("logs", "npb-log", "relative");
    add (a, "1", "cg.1", "cg.D.64", 0, 200, 390);
    add (a, "2", "cg.2", "cg.D.64", 0, 0, 190);
    add (b, "f#1", NULL, "cg.D.64", -1, -1, -1);
    add (b, "f#2", NULL, "cg.D.64", -1, -1, -1);
    b->jobs[0].runtime = 200; /* measured runtimes only, in log order */
    b->jobs[1].runtime = 180;
    flurm_error_t err;
    struct flurm_compare *c = flurm_compare_runs (a, b, FLURM_COMPARE_AUTO, &err);
    assert_non_null (c);
    assert_int_equal (c->by, FLURM_COMPARE_APP);
    assert_int_equal (c->npairs, 2);
    /* A's first cg by start is job 2 (190 s) with f#1 (200 s); job 1 (190 s)
     * with f#2 (180 s): MAE 10, MAPE (10/200 + 10/180) / 2 */
    assert_string_equal (a->jobs[c->pairs[0].a].id, "2");
    assert_true (near (c->all.runtime_mape, (10.0 / 200 + 10.0 / 180) / 2));
    assert_int_equal (c->all.n_wait, 0); /* B has no times */
    assert_true (isnan (c->all.wait_mae));
    flurm_compare_destroy (c);

    /* by name: same names pair even in another order */
    struct flurm_run *n = flurm_run_create ("sim2", "flurm", "simulated");
    add (n, "9", "cg.2", "cg.D.64", 0, 0, 190);
    c = flurm_compare_runs (n, a, FLURM_COMPARE_AUTO, &err);
    assert_int_equal (c->by, FLURM_COMPARE_NAME);
    assert_int_equal (c->npairs, 1);
    assert_string_equal (a->jobs[c->pairs[0].b].id, "2");
    flurm_compare_destroy (c);

    /* a job without a name is known by its id: a replay naming its jobs by
     * the real run's ids pairs by name */
    struct flurm_run *real = flurm_run_create ("oar", "oar", "epoch");
    add (real, "cg.2", NULL, "cg.D.64", 100, 100, 290);
    c = flurm_compare_runs (n, real, FLURM_COMPARE_NAME, &err);
    assert_int_equal (c->npairs, 1);
    flurm_compare_destroy (c);
    flurm_run_destroy (real);
    flurm_run_destroy (n);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

static void test_bad_input (void **state)
{
    struct flurm_run *a = flurm_run_create ("empty", "flurm", "simulated");
    struct flurm_run *b = flurm_run_create ("real", "sacct", "epoch");
    add (b, "1", NULL, NULL, 0, 0, 1);
    flurm_error_t err;
    assert_null (flurm_compare_runs (a, b, FLURM_COMPARE_ID, &err));
    assert_non_null (strstr (err.text, "empty has no jobs"));
    enum flurm_compare_by by;
    assert_int_equal (flurm_compare_by_parse ("colour", &by, &err), -1);
    assert_non_null (strstr (err.text, "unknown way to pair jobs 'colour'"));
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* The per-pair table and the JSON summary list unpaired jobs too. */
static void test_outputs (void **state)
{
    struct flurm_run *a = flurm_run_create ("sim", "flurm", "simulated");
    struct flurm_run *b = flurm_run_create ("real", "flux-jobs", "epoch");
    add (a, "1", NULL, "cg.D.64", 0, 0, 100);
    add (b, "1", NULL, "cg.D.64", 0, 0, 80);
    add (b, "2", NULL, "cg.D.64", 0, 0, 80);
    flurm_error_t err;
    struct flurm_compare *c = flurm_compare_runs (a, b, FLURM_COMPARE_ID, &err);
    char *path = g_build_filename (test_tmpdir (), "compare.csv", NULL);
    assert_int_equal (flurm_compare_write_csv (path, c, a, b, &err), 0);
    size_t len;
    char *text = test_slurp (path, &len);
    assert_string_equal (text, "a_id,b_id,app,runtime_a,runtime_b,runtime_diff,runtime_rel,"
                               "wait_a,wait_b,turnaround_a,turnaround_b\n"
                               "1,1,cg.D.64,100.000,80.000,20.000,0.250,0.000,0.000,100.000,"
                               "80.000\n"
                               ",2,cg.D.64,,80.000,,,,0.000,,80.000\n");
    json_t *o = flurm_compare_json (c, a, b);
    assert_string_equal (json_string_value (json_object_get (o, "paired_by")), "id");
    assert_string_equal (json_string_value (json_array_get (json_object_get (o, "unpaired_b"),
                                                            0)), "2");
    json_decref (o);
    g_free (text);
    g_free (path);
    flurm_compare_destroy (c);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_pair_by_id),
        cmocka_unit_test (test_pair_by_name_and_app),
        cmocka_unit_test (test_bad_input),
        cmocka_unit_test (test_outputs),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
