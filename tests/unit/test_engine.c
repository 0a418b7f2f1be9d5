/* tests/unit/test_engine.c — the event engine: walltime kills, repeated
 * jobs, rejected jobs, rate changes, queues, determinism, and the
 * lublin_256 fcfs figures every other simulator agrees on. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "policies/shape.h"
#include "sim/engine.h"
#include "sim/match.h"
#include "sim/metrics.h"
#include "sim/swf.h"
#include "sim/swf_workload.h"
#include "sim/topo.h"
#include "sim/workload.h"
#include "testutil.h"

/* One node of 4 cores, the machine of every small case here. */
struct bench {
    struct flurm_graph *g;
    struct flurm_matcher *m;
    struct flurm_workload *w;
    struct flurm_engine *e;
    struct flurm_shape_geometry geo;
};

static void bench_init (struct bench *b)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = 1, .sockets = 1, .cores_per_socket = 4};
    memset (b, 0, sizeof (*b));
    b->g = flurm_topo_generate (&spec, &err);
    assert_non_null (b->g);
    assert_int_equal (flurm_shape_geometry (b->g, &b->geo, &err), 0);
    b->m = flurm_matcher_create (b->g, "first", NULL, &err);
    assert_non_null (b->m);
    b->w = flurm_workload_create ();
}

static void bench_add (struct bench *b, const char *name, double submit, double runtime,
                       double walltime, uint64_t ncores, double repeat_until,
                       const char *queue)
{
    flurm_error_t err;
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = ncores};
    struct flurm_jobspec *js = flurm_shape_jobspec (&req, &b->geo, &err);
    assert_non_null (js);
    struct flurm_wjob wj = {.name = (char *)name, .queue = (char *)queue, .submit = submit,
                            .runtime = runtime, .walltime = walltime,
                            .repeat_until = repeat_until, .ntasks = ncores, .ncores = ncores,
                            .ext_id = -1, .js = flurm_workload_own_jobspec (b->w, js)};
    if (flurm_workload_add (b->w, &wj, &err) < 0)
        fail_msg ("%s", err.text);
}

static const struct flurm_job *bench_run (struct bench *b, struct flurm_engine_config *cfg,
                                          size_t *n)
{
    struct flurm_engine_config defaults;
    if (!cfg) {
        flurm_engine_config_init (&defaults);
        cfg = &defaults;
    }
    return test_engine_run (b->m, b->w, cfg, &b->e, n);
}

static void bench_fini (struct bench *b)
{
    flurm_engine_destroy (b->e);
    flurm_matcher_destroy (b->m);
    flurm_workload_destroy (b->w);
    flurm_graph_destroy (b->g);
}

/* A job whose work exceeds its walltime is killed at the walltime and
 * frees its cores then: J2 (4 cores) starts at J1's kill time 10. */
static void test_walltime_kill (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "long", 0, 20, 10, 2, -1, NULL);
    bench_add (&b, "next", 0, 5, 5, 4, -1, NULL);
    size_t n;
    const struct flurm_job *j = bench_run (&b, NULL, &n);
    assert_int_equal (n, 2);
    assert_int_equal (j[0].state, FLURM_JOB_TIMEOUT);
    assert_true (j[0].end == 10);
    assert_true (j[0].work_done == 10);
    assert_int_equal (j[1].state, FLURM_JOB_COMPLETED);
    assert_true (j[1].start == 10 && j[1].end == 15);
    assert_string_equal (flurm_job_state_str (j[0].state), "timeout");
    bench_fini (&b);
}

/* repeat-until 250 with 100 s of work: instances [0,100], [100,200],
 * [200,300]; the third ends after 250, so there is no fourth.  A job
 * ending at t and one submitted at t: the end comes first, so the new
 * instance starts at once. */
static void test_repeat_until (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "loop", 0, 100, 150, 4, 250, NULL);
    size_t n;
    const struct flurm_job *j = bench_run (&b, NULL, &n);
    assert_int_equal (n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal (j[i].repetition, i);
        assert_true (j[i].submit == 100.0 * (double)i);
        assert_true (j[i].start == 100.0 * (double)i);
        assert_true (j[i].end == 100.0 * (double)(i + 1));
    }
    bench_fini (&b);
}

/* A job bigger than the machine is rejected at submission, not queued
 * forever, and does not block the jobs behind it. */
static void test_unsatisfiable_rejected (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "huge", 0, 10, 10, 8, -1, NULL);
    bench_add (&b, "small", 1, 10, 10, 4, -1, NULL);
    size_t n;
    const struct flurm_job *j = bench_run (&b, NULL, &n);
    assert_int_equal (j[0].state, FLURM_JOB_REJECTED);
    assert_true (j[0].start < 0);
    assert_int_equal (j[1].state, FLURM_JOB_COMPLETED);
    assert_true (j[1].start == 1);
    bench_fini (&b);
}

/* Jobs name queues; each queue runs its own policy; an unknown queue is
 * refused when the engine is created, naming job and queue. */
static void test_queues (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "a", 0, 10, 10, 3, -1, "normal");
    bench_add (&b, "b", 1, 5, 5, 4, -1, "normal");
    bench_add (&b, "c", 2, 2, 2, 1, -1, "cosched");
    struct flurm_queue_config qs[] = {{.name = "normal", .policy = "fcfs"},
                                      {.name = "cosched", .policy = "easy"}};
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.queues = qs;
    cfg.nqueues = 2;
    size_t n;
    const struct flurm_job *j = bench_run (&b, &cfg, &n);
    /* b blocks queue normal, but c is in another queue: it starts at 2. */
    assert_true (j[2].start == 2);
    assert_string_equal (flurm_engine_queue_name (b.e, j[2].queue), "cosched");
    assert_string_equal (flurm_engine_queue_policy (b.e, 1), "easy");
    bench_fini (&b);

    bench_init (&b);
    bench_add (&b, "lost", 0, 1, 1, 1, -1, "nowhere");
    flurm_error_t err;
    assert_null (flurm_engine_create (b.m, b.w, &cfg, &err));
    assert_non_null (strstr (err.text, "job 'lost': unknown queue 'nowhere'"));
    struct flurm_engine_config bad;
    flurm_engine_config_init (&bad);
    bad.queue_policy = "sjf";
    assert_null (flurm_engine_create (b.m, b.w, &bad, &err));
    assert_non_null (strstr (err.text, "unknown queue policy 'sjf'"));
    bench_fini (&b);
}

/* The workload refuses bad jobs with a message naming the job. */
static void test_bad_jobs (void **state)
{
    struct bench b;
    bench_init (&b);
    flurm_error_t err;
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = 1};
    const struct flurm_jobspec *js =
        flurm_workload_own_jobspec (b.w, flurm_shape_jobspec (&req, &b.geo, &err));
    struct flurm_wjob ok = {.name = (char *)"j", .runtime = 1, .walltime = 1,
                            .repeat_until = -1, .ncores = 1, .js = js};
    struct flurm_wjob bad = ok;
    bad.walltime = 0;
    assert_int_equal (flurm_workload_add (b.w, &bad, &err), -1);
    assert_non_null (strstr (err.text, "job 'j': walltime must be > 0"));
    bad = ok;
    bad.submit = -5;
    assert_int_equal (flurm_workload_add (b.w, &bad, &err), -1);
    assert_non_null (strstr (err.text, "submit must be >= 0"));
    bad = ok;
    bad.runtime = 1e300;
    assert_int_equal (flurm_workload_add (b.w, &bad, &err), -1);
    assert_non_null (strstr (err.text, "runtime"));
    bad = ok;
    bad.runtime = NAN;
    assert_int_equal (flurm_workload_add (b.w, &bad, &err), -1);
    bad = ok;
    bad.name = (char *)"";
    assert_int_equal (flurm_workload_add (b.w, &bad, &err), -1);
    assert_int_equal (flurm_workload_add (b.w, &ok, &err), 0);
    bench_fini (&b);
}

/* Same workload, same seed: same schedule and same random stream. */
static void test_deterministic (void **state)
{
    double starts[2][6];
    unsigned long draws[2];
    for (int round = 0; round < 2; round++) {
        struct bench b;
        bench_init (&b);
        for (int i = 0; i < 6; i++)
            bench_add (&b, "x", i % 3, 3 + i, 3 + i, 1 + (uint64_t)(i % 4), -1, NULL);
        struct flurm_engine_config cfg;
        flurm_engine_config_init (&cfg);
        cfg.queue_policy = "easy";
        cfg.seed = 42;
        size_t n;
        const struct flurm_job *j = bench_run (&b, &cfg, &n);
        for (size_t i = 0; i < n; i++)
            starts[round][i] = j[i].start;
        draws[round] = gsl_rng_get (flurm_engine_rng (b.e));
        bench_fini (&b);
    }
    assert_memory_equal (starts[0], starts[1], sizeof (starts[0]));
    assert_int_equal (draws[0], draws[1]);
}

/* SWF replay with fcfs of Lublin's model log (10,000 jobs, 256
 * processors, walltime = run time): CQSim, AccaSim and RLScheduler's
 * simulator all give mean wait 2,388,443.8 s, mean bounded slowdown
 * 66,502.48 (tau 10 s) and makespan 12,482,549 s. */
static void test_lublin_fcfs_reference (void **state)
{
    char *path = g_strdup (test_data ("swf/lublin_256.swf"));
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_file (path, &err);
    g_free (path);
    assert_non_null (swf);
    struct flurm_swf_machine mach;
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    assert_int_equal (mach.nodes * mach.cores_per_node, 256);
    struct flurm_graph *g = flurm_swf_machine_graph (&mach, &err);
    struct flurm_workload *w = flurm_swf_workload (swf, &mach, 0, &err);
    assert_non_null (w);
    assert_int_equal (w->njobs, 10000);
    struct flurm_matcher *m = flurm_matcher_create (g, "first", NULL, &err);
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.queue_policy = "fcfs";
    struct flurm_engine *e = flurm_engine_create (m, w, &cfg, &err);
    assert_int_equal (flurm_engine_run (e, &err), 0);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (e, &n);
    struct flurm_metrics mt;
    flurm_metrics_compute (jobs, n, flurm_engine_total_cores (e), &mt);
    assert_true (fabs (mt.wait.mean - 2388443.8) < 0.05);
    assert_true (fabs (mt.bsld.mean - 66502.48) < 0.005);
    assert_true (mt.makespan == 12482549.0);
    flurm_engine_destroy (e);
    flurm_matcher_destroy (m);
    flurm_workload_destroy (w);
    flurm_graph_destroy (g);
    flurm_swf_destroy (swf);
}

/* ---- live mode: a clock the engine does not own ----------------------- */

struct hooks {
    uint64_t started[8];
    size_t nstarted;
    uint64_t submitted[8];
    size_t nsubmitted;
};

static int on_start (void *arg, const struct flurm_job *job, const struct flurm_alloc *a,
                     flurm_error_t *err)
{
    struct hooks *h = arg;
    assert_non_null (a);
    assert_int_equal (a->ncores, job->ncores);
    if (h->nstarted < 8)
        h->started[h->nstarted++] = job->id;
    return 0;
}

static int on_submit (void *arg, const struct flurm_job *job, flurm_error_t *err)
{
    struct hooks *h = arg;
    if (h->nsubmitted < 8)
        h->submitted[h->nsubmitted++] = job->id;
    return 0;
}

/* Stepping with flurm_engine_advance to each next event gives the same
 * schedule as flurm_engine_run. */
static void test_advance_matches_run (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "a", 0, 10, 20, 4, -1, NULL);
    bench_add (&b, "b", 1, 5, 20, 2, -1, NULL);
    bench_add (&b, "c", 2, 5, 20, 2, -1, NULL);
    size_t n;
    const struct flurm_job *ran = bench_run (&b, NULL, &n);
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.check_invariants = true;
    flurm_error_t err;
    struct flurm_engine *e = flurm_engine_create (b.m, b.w, &cfg, &err);
    assert_non_null (e);
    /* reuse the matcher: the first engine's jobs all ended */
    while (isfinite (flurm_engine_next_time (e)))
        assert_int_equal (flurm_engine_advance (e, flurm_engine_next_time (e), &err), 0);
    flurm_engine_close (e);
    size_t n2;
    const struct flurm_job *stepped = flurm_engine_jobs (e, &n2);
    assert_int_equal (n, n2);
    for (size_t i = 0; i < n; i++) {
        assert_true (stepped[i].start == ran[i].start);
        assert_true (stepped[i].end == ran[i].end);
        assert_int_equal (stepped[i].state, ran[i].state);
    }
    assert_int_equal (flurm_engine_advance (e, -1, &err), -1);
    assert_non_null (strstr (err.text, "before the clock"));
    flurm_engine_destroy (e);
    bench_fini (&b);
}

/* With external ends a started job runs until it is reported ended, past
 * its modelled runtime; the end frees its cores and the waiting job starts
 * at once, with the start hook called for each. */
static void test_external_ends (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "a", 0, 10, 100, 4, -1, NULL);
    bench_add (&b, "b", 1, 10, 100, 4, -1, NULL);
    struct hooks h = {0};
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.check_invariants = true;
    cfg.external_ends = true;
    cfg.on_start = on_start;
    cfg.on_submit = on_submit;
    cfg.hook_arg = &h;
    flurm_error_t err;
    struct flurm_engine *e = flurm_engine_create (b.m, b.w, &cfg, &err);
    assert_non_null (e);
    assert_int_equal (flurm_engine_advance (e, 50, &err), 0);
    assert_int_equal (h.nsubmitted, 2);
    assert_int_equal (h.nstarted, 1); /* a runs on, past its runtime of 10 */
    assert_int_equal (flurm_engine_active (e), 2);
    assert_true (isinf (flurm_engine_next_time (e)));
    /* a ended at 42 (learnt at 50): b starts now, at 50 */
    assert_int_equal (flurm_engine_end_job (e, 1, FLURM_JOB_FAILED, -1, 42, &err), 0);
    assert_int_equal (h.nstarted, 2);
    assert_int_equal (h.started[1], 2);
    size_t n;
    const struct flurm_job *j = flurm_engine_jobs (e, &n);
    assert_true (j[0].end == 42);
    assert_int_equal (j[0].state, FLURM_JOB_FAILED);
    assert_true (j[1].start == 50);
    assert_int_equal (flurm_engine_end_job (e, 1, FLURM_JOB_COMPLETED, -1, -1, &err), -1);
    assert_non_null (strstr (err.text, "already ended"));
    assert_int_equal (flurm_engine_end_job (e, 9, FLURM_JOB_COMPLETED, -1, -1, &err), -1);
    assert_int_equal (flurm_engine_end_job (e, 2, FLURM_JOB_PENDING, -1, -1, &err), -1);
    flurm_engine_close (e);
    assert_int_equal (j[1].state, FLURM_JOB_UNFINISHED);
    struct flurm_metrics mt;
    flurm_metrics_compute (j, n, flurm_engine_total_cores (e), &mt);
    assert_int_equal (mt.nfailed, 1);
    assert_int_equal (mt.nunfinished, 1);
    flurm_engine_destroy (e);
    bench_fini (&b);
}

/* Observing: the engine starts nothing; starts and ends are recorded as
 * Flux reports them, pending jobs may end cancelled or rejected. */
static void test_observe_only (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "a", 0, 10, 100, 4, -1, NULL);
    bench_add (&b, "b", 0, 10, 100, 4, -1, NULL);
    bench_add (&b, "c", 0, 10, 100, 8, -1, NULL); /* more than the machine */
    struct hooks h = {0};
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.observe_only = true;
    cfg.on_start = on_start;
    cfg.on_submit = on_submit;
    cfg.hook_arg = &h;
    flurm_error_t err;
    struct flurm_engine *e = flurm_engine_create (b.m, b.w, &cfg, &err);
    assert_non_null (e);
    assert_int_equal (flurm_engine_advance (e, 3, &err), 0);
    assert_int_equal (h.nsubmitted, 3); /* c too: Flux judges it */
    assert_int_equal (h.nstarted, 0);
    assert_int_equal (flurm_engine_record_start (e, 2, 1.5, 4, 1, "n0", "0-3", &err), 0);
    assert_int_equal (flurm_engine_record_start (e, 2, 1.5, 4, 1, "n0", "0-3", &err), -1);
    assert_int_equal (flurm_engine_end_job (e, 3, FLURM_JOB_REJECTED, -1, -1, &err), 0);
    assert_int_equal (flurm_engine_advance (e, 20, &err), 0);
    assert_int_equal (flurm_engine_end_job (e, 2, FLURM_JOB_COMPLETED, -1, 11.5, &err), 0);
    assert_int_equal (flurm_engine_end_job (e, 1, FLURM_JOB_CANCELLED, -1, -1, &err), 0);
    assert_int_equal (flurm_engine_active (e), 0);
    size_t n;
    const struct flurm_job *j = flurm_engine_jobs (e, &n);
    assert_true (j[1].start == 1.5 && j[1].end == 11.5);
    assert_string_equal (j[1].nodes, "n0");
    assert_int_equal (j[0].state, FLURM_JOB_CANCELLED);
    assert_true (j[0].start < 0);
    struct flurm_metrics mt;
    flurm_metrics_compute (j, n, flurm_engine_total_cores (e), &mt);
    assert_int_equal (mt.ncompleted, 1);
    assert_int_equal (mt.ncancelled, 1);
    assert_int_equal (mt.nrejected, 1);
    assert_true (mt.makespan == 11.5);
    flurm_engine_destroy (e);
    bench_fini (&b);
}

/* A stop request (SIGINT) ends the run after the events in hand, saying
 * where it stopped. */
static void test_stop (void **state)
{
    struct bench b;
    bench_init (&b);
    bench_add (&b, "a", 0, 10, 20, 4, -1, NULL);
    bench_add (&b, "b", 5, 10, 20, 4, -1, NULL);
    volatile sig_atomic_t stop = 1;
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.stop = &stop;
    flurm_error_t err;
    struct flurm_engine *e = flurm_engine_create (b.m, b.w, &cfg, &err);
    assert_non_null (e);
    assert_int_equal (flurm_engine_run (e, &err), -1);
    assert_string_equal (err.text, "interrupted at simulated time 0.000 s, with 0 of 2 jobs ended");
    flurm_engine_destroy (e);
    bench_fini (&b);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_walltime_kill),
        cmocka_unit_test (test_repeat_until),
        cmocka_unit_test (test_unsatisfiable_rejected),
        cmocka_unit_test (test_queues),
        cmocka_unit_test (test_bad_jobs),
        cmocka_unit_test (test_deterministic),
        cmocka_unit_test (test_lublin_fcfs_reference),
        cmocka_unit_test (test_advance_matches_run),
        cmocka_unit_test (test_external_ends),
        cmocka_unit_test (test_observe_only),
        cmocka_unit_test (test_stop),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
