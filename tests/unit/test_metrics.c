/* tests/unit/test_metrics.c — the figures of a run and its output files:
 * definitions checked on numbers worked out by hand, jobs.csv columns,
 * summary.json content, and byte-identical files for identical runs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "policies/shape.h"
#include "sim/engine.h"
#include "sim/match.h"
#include "sim/metrics.h"
#include "sim/topo.h"
#include "sim/workload.h"
#include "testutil.h"

static struct flurm_job mkjob (double submit, double start, double end, uint32_t cores,
                               enum flurm_job_state state)
{
    struct flurm_job j = {.submit = submit, .start = start, .end = end, .ncores = cores,
                          .nnodes = 1, .state = state};
    return j;
}

/* Three jobs on 4 cores:
 *   A submit 0, run [0,100], 2 cores:  wait 0,  turnaround 100, bsld 1
 *   B submit 0, run [100,105], 4 cores: wait 100, turnaround 105,
 *     bsld 105 / max(5, 10) = 10.5
 *   C submit 50, run [105,305], 1 core: wait 55, turnaround 255,
 *     bsld 255/200 = 1.275
 *   plus a rejected job, which counts in no figure.
 * makespan 305 - 0; core-seconds 200 + 20 + 200 = 420;
 * utilisation 420 / (4 * 305); throughput 3 * 3600 / 305. */
static void test_figures_by_hand (void **state)
{
    struct flurm_job jobs[] = {
        mkjob (0, 0, 100, 2, FLURM_JOB_COMPLETED),
        mkjob (0, 100, 105, 4, FLURM_JOB_COMPLETED),
        mkjob (50, 105, 305, 1, FLURM_JOB_TIMEOUT),
        mkjob (60, -1, -1, 0, FLURM_JOB_REJECTED),
    };
    struct flurm_metrics mt;
    flurm_metrics_compute (jobs, 4, 4, &mt);
    assert_int_equal (mt.ncompleted, 2);
    assert_int_equal (mt.ntimeout, 1);
    assert_int_equal (mt.nrejected, 1);
    assert_true (mt.makespan == 305);
    assert_true (fabs (mt.wait.mean - 155.0 / 3) < 1e-9);
    assert_true (mt.wait.median == 55);
    assert_true (mt.wait.max == 100);
    assert_true (mt.wait.p95 == 100);
    assert_true (fabs (mt.turnaround.mean - 460.0 / 3) < 1e-9);
    assert_true (fabs (mt.bsld.mean - (1 + 10.5 + 1.275) / 3) < 1e-9);
    assert_true (mt.bsld.max == 10.5);
    assert_true (fabs (mt.utilisation - 420.0 / (4 * 305)) < 1e-12);
    assert_true (fabs (mt.core_hours - 420.0 / 3600) < 1e-12);
    assert_true (fabs (mt.throughput_per_hour - 3 * 3600.0 / 305) < 1e-9);
}

/* Median of an even count is the mean of the middle two; no job that ran
 * gives zeros, not NaN. */
static void test_median_and_empty (void **state)
{
    struct flurm_job jobs[] = {
        mkjob (0, 1, 11, 1, FLURM_JOB_COMPLETED),
        mkjob (0, 3, 13, 1, FLURM_JOB_COMPLETED),
    };
    struct flurm_metrics mt;
    flurm_metrics_compute (jobs, 2, 4, &mt);
    assert_true (mt.wait.median == 2);
    flurm_metrics_compute (jobs, 0, 4, &mt);
    assert_true (mt.wait.mean == 0 && mt.makespan == 0 && mt.utilisation == 0);
}

/* A small real run, written twice: files equal byte for byte; the CSV has
 * the Batsim/evalys columns then Flurm's; summary.json has the skip
 * counts and the notes. */
static void run_and_write (const char *dir)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = 2, .sockets = 1, .cores_per_socket = 2};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    struct flurm_shape_geometry geo;
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    struct flurm_workload *w = flurm_workload_create ();
    for (int i = 0; i < 4; i++) {
        struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT,
                                          .ntasks = 1 + (uint64_t)i % 3};
        char name[16];
        snprintf (name, sizeof (name), "job,%d", i);
        struct flurm_wjob wj = {.name = name, .app = (char *)"ep.A", .submit = i,
                                .runtime = 10.25, .walltime = 20, .repeat_until = -1,
                                .ntasks = req.ntasks, .ncores = req.ntasks, .ext_id = -1,
                                .js = flurm_workload_own_jobspec (
                                    w, flurm_shape_jobspec (&req, &geo, &err))};
        assert_int_equal (flurm_workload_add (w, &wj, &err), 0);
    }
    flurm_workload_skip (w, "no run time");
    flurm_workload_skip (w, "no run time");
    flurm_workload_note (w, "walltime = run time for %d jobs", 3);
    struct flurm_matcher *m = flurm_matcher_create (g, "first", NULL, &err);
    struct flurm_engine *e = flurm_engine_create (m, w, NULL, &err);
    assert_int_equal (flurm_engine_run (e, &err), 0);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    struct flurm_metrics mt;
    flurm_metrics_compute (jobs, n, flurm_engine_total_cores (e), &mt);
    char *csv = g_build_filename (dir, "jobs.csv", NULL);
    char *sum = g_build_filename (dir, "summary.json", NULL);
    assert_int_equal (flurm_metrics_write_jobs_csv (csv, e, w, &err), 0);
    json_t *o = flurm_metrics_summary_json ("t", &mt, w, e);
    assert_int_equal (flurm_write_json (sum, o, &err), 0);
    json_decref (o);
    g_free (csv);
    g_free (sum);
    flurm_engine_destroy (e);
    flurm_matcher_destroy (m);
    flurm_workload_destroy (w);
    flurm_graph_destroy (g);
}

static void test_outputs (void **state)
{
    char *a = g_build_filename (test_tmpdir (), "a", NULL);
    char *b = g_build_filename (test_tmpdir (), "b", NULL);
    g_mkdir_with_parents (a, 0755);
    g_mkdir_with_parents (b, 0755);
    run_and_write (a);
    run_and_write (b);
    const char *files[] = {"jobs.csv", "summary.json"};
    for (size_t i = 0; i < 2; i++) {
        char *pa = g_build_filename (a, files[i], NULL);
        char *pb = g_build_filename (b, files[i], NULL);
        size_t la, lb;
        char *ta = test_slurp (pa, &la), *tb = test_slurp (pb, &lb);
        assert_int_equal (la, lb);
        assert_memory_equal (ta, tb, la);
        if (i == 0) {
            assert_true (g_str_has_prefix (
                ta, "job_id,submission_time,starting_time,finish_time,waiting_time,"
                    "turnaround_time,stretch,execution_time,requested_number_of_resources,"
                    "allocated_resources,name,app,queue,alloc,nodes,cores,state,"
                    "isolated_time,slowdown_interference,corunners\n"));
            /* Job 1: 1 core, [0, 10.25], placed by `first` on the last
             * core (global core 3, node1); a name with a comma is quoted. */
            assert_non_null (strstr (ta, "\n1,0.000,0.000,10.250,0.000,10.250,1.000000,"
                                         "10.250,1,3,\"job,0\",ep.A,default,jobspec,"
                                         "node1,1,completed,,,\n"));
        }
        else {
            json_t *o = json_loads (ta, 0, NULL);
            assert_non_null (o);
            assert_int_equal (json_integer_value (json_object_get (
                                  json_object_get (o, "skipped"), "no run time")),
                              2);
            assert_int_equal (json_integer_value (
                                  json_object_get (json_object_get (o, "jobs"), "completed")),
                              4);
            assert_string_equal (json_string_value (json_array_get (
                                     json_object_get (o, "notes"), 0)),
                                 "walltime = run time for 3 jobs");
            assert_true (json_real_value (json_object_get (
                             json_object_get (o, "bounded_slowdown"), "tau")) == 10.0);
            json_decref (o);
        }
        g_free (ta);
        g_free (tb);
        g_free (pa);
        g_free (pb);
    }
    g_free (a);
    g_free (b);
}

/* Writing into a folder that does not exist fails with the path in the
 * message and leaves nothing behind. */
static void test_write_failure (void **state)
{
    flurm_error_t err;
    json_t *o = json_pack ("{s:f}", "x", 1.0 / 3);
    char *path = g_build_filename (test_tmpdir (), "missing", "summary.json", NULL);
    assert_int_equal (flurm_write_json (path, o, &err), -1);
    assert_non_null (strstr (err.text, "missing"));
    assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_free (path);
    json_decref (o);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_figures_by_hand),
        cmocka_unit_test (test_median_and_empty),
        cmocka_unit_test (test_outputs),
        cmocka_unit_test (test_write_failure),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
