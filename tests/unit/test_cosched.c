/* tests/unit/test_cosched.c — jobs sharing sockets: interference rates in
 * the engine, and the pairing rules.
 *
 * The model is built in memory so that every expected time can be derived
 * by hand (in the comments).  Apps (runtime = compact alone):
 *   A  100 s   m = 0.5, d = 0.2   next to B measured: speedup 1.25
 *   B  200 s   m = 0.5, d = 0.2   next to A measured: speedup 0.8
 *   C  100 s   m = 0,   d = 0     (compute bound)  next to A: 1.0
 *                                  and A next to C: 1.1
 * Analytic rate on half a 10-core socket with nobody else (D = 5d = 1,
 * Dc = 10d = 2): time(Dc) / time(D) = (0.5 + 0.5 * 2) / (0.5 + 0.5 * 1) = 1.5
 * for A and B; C has m = 0, so always 1.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "models/interference.h"
#include "policies/shape.h"
#include "sim/colocation.h"
#include "sim/engine.h"
#include "sim/match.h"
#include "sim/topo.h"
#include "sim/workload.h"
#include "testutil.h"

enum { APP_A, APP_B, APP_C };

#define PAIR(b, med, s) {.partner = (b), .median = (med), .min = (med), .max = (med), \
                        .runs = 3, .speedup = (s)}
static struct flurm_app_pair pairs_a[] = {PAIR (APP_B, 80, 1.25), PAIR (APP_C, 100 / 1.1, 1.1)};
static struct flurm_app_pair pairs_b[] = {PAIR (APP_A, 250, 0.8)};
static struct flurm_app_pair pairs_c[] = {PAIR (APP_A, 100, 1.0)};
static struct flurm_app_profile apps[] = {
    {"A", 10, 100, 100, 100, 1, pairs_a, 2},
    {"B", 10, 200, 200, 200, 1, pairs_b, 1},
    {"C", 10, 100, 100, 100, 1, pairs_c, 1},
};
static struct flurm_app_profiles profiles = {.source = "test-profiles", .apps = apps,
                                             .napps = 3};
static struct flurm_analytic_params params[] = {{0.5, 0.2}, {0.5, 0.2}, {0, 0}};
static struct flurm_analytic_fit fit = {.source = "test-fit", .apps = params, .napps = 3};

struct bench {
    struct flurm_graph *g;
    struct flurm_matcher *m;
    struct flurm_workload *w;
    struct flurm_engine *e;
    struct flurm_interference *model;
    struct flurm_shape_geometry geo;
    struct flurm_queue_config queue;
};

/* nodes of 2 sockets x 10 cores; one sharing queue */
static void bench_init (struct bench *b, uint32_t nodes, const char *match_policy)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = nodes, .sockets = 2, .cores_per_socket = 10};
    memset (b, 0, sizeof (*b));
    b->g = flurm_topo_generate (&spec, &err);
    assert_non_null (b->g);
    assert_int_equal (flurm_shape_geometry (b->g, &b->geo, &err), 0);
    b->m = flurm_matcher_create (b->g, match_policy, NULL, &err);
    assert_non_null (b->m);
    b->w = flurm_workload_create ();
    b->model = flurm_interference_create (FLURM_INTERFERENCE_EMPIRICAL, &profiles, &fit, &err);
    assert_non_null (b->model);
    b->queue = (struct flurm_queue_config){.name = "cosched", .share = true};
}

static void bench_add_runtime (struct bench *b, const char *name, const char *app,
                               double submit, uint64_t ntasks, double runtime)
{
    flurm_error_t err;
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_SPREAD, .ntasks = ntasks};
    struct flurm_jobspec *js = flurm_shape_jobspec (&req, &b->geo, &err);
    assert_non_null (js);
    struct flurm_wjob wj = {.name = (char *)name, .app = (char *)app, .submit = submit,
                            .runtime = runtime, .walltime = 10 * runtime, .repeat_until = -1,
                            .ntasks = ntasks, .ncores = flurm_jobspec_ncores (js),
                            .ext_id = -1, .js = flurm_workload_own_jobspec (b->w, js)};
    if (flurm_workload_add (b->w, &wj, &err) < 0)
        fail_msg ("%s", err.text);
}

/* A job of a profiled app: its runtime is the profile's. */
static void bench_add (struct bench *b, const char *name, const char *app, double submit,
                       uint64_t ntasks)
{
    int32_t a = flurm_app_profiles_find (&profiles, app);
    assert_true (a >= 0);
    bench_add_runtime (b, name, app, submit, ntasks, profiles.apps[a].runtime);
}

static const struct flurm_job *bench_run (struct bench *b, const char *pairing,
                                          uint32_t max_per_socket, size_t *n)
{
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.queues = &b->queue;
    cfg.nqueues = 1;
    cfg.interference = b->model;
    cfg.profiles = &profiles;
    cfg.pairing = pairing;
    cfg.max_per_socket = max_per_socket;
    return test_engine_run (b->m, b->w, &cfg, &b->e, n);
}

static void bench_fini (struct bench *b)
{
    flurm_engine_destroy (b->e);
    flurm_matcher_destroy (b->m);
    flurm_workload_destroy (b->w);
    flurm_interference_destroy (b->model);
    flurm_graph_destroy (b->g);
}

/* One node: A and B (10 tasks spread: 5 + 5) share both sockets from 0.
 * A at 1.25 ends at 80; B at 0.8 has done 64 of 200 by then, then runs
 * spread alone, which was never measured: the analytic fallback gives 1.5,
 * so the last 136 s of work take 90.667 s: B ends at 170.667. */
static void test_rates_follow_partners (void **state)
{
    struct bench b;
    bench_init (&b, 1, "first");
    bench_add (&b, "a", "A", 0, 10);
    bench_add (&b, "b", "B", 0, 10);
    size_t n;
    const struct flurm_job *j = bench_run (&b, NULL, 0, &n);
    assert_int_equal (n, 2);
    assert_true (fabs (j[0].end - 80) < 1e-9);
    assert_true (fabs (j[1].end - (80 + 136 / 1.5)) < 1e-9);
    assert_true (fabs (j[0].colocated_time - 80) < 1e-9);
    assert_true (fabs (j[1].colocated_time - 80) < 1e-9);
    assert_true (fabs (j[1].fallback_time - 136 / 1.5) < 1e-9);
    assert_true (fabs (j[0].fallback_time) < 1e-9);
    assert_true (fabs (j[1].min_rate - 0.8) < 1e-12);
    assert_string_equal (j[0].corunners, "2");
    assert_string_equal (j[1].corunners, "1");
    bench_fini (&b);
}

/* A job's rate is its slowest socket's: A on both sockets of node 0 next
 * to C on socket 0 only (C: 5 tasks, one half-socket) runs at
 * min (1.1 with C, 1.5 alone) = 1.1, so ends at 100 / 1.1; the fallback
 * that answered for the other socket did not decide the rate. */
static void test_slowest_socket (void **state)
{
    struct bench b;
    bench_init (&b, 1, "low");
    bench_add (&b, "a", "A", 0, 10);
    bench_add (&b, "c", "C", 0, 5);
    size_t n;
    const struct flurm_job *j = bench_run (&b, NULL, 0, &n);
    assert_true (fabs (j[0].end - 100 / 1.1) < 1e-9);
    assert_true (fabs (j[0].fallback_time) < 1e-9);
    /* C: 1.0 next to A, then 1 alone (m = 0): 100 s */
    assert_true (fabs (j[1].end - 100) < 1e-9);
    bench_fini (&b);
}

/* Two nodes, policy lonode (node 0 first).  A starts at 0 on node 0; B
 * comes at 1.  fifo puts B beside A (lonode's choice); avoid-bad refuses it (B
 * would run at 0.8 < 0.9) and B goes to node 1, alone. */
static void test_avoid_bad (void **state)
{
    const char *rules[] = {"fifo", "avoid-bad"};
    for (int r = 0; r < 2; r++) {
        struct bench b;
        bench_init (&b, 2, "lonode");
        bench_add (&b, "a", "A", 0, 10);
        bench_add (&b, "b", "B", 1, 10);
        size_t n;
        const struct flurm_job *j = bench_run (&b, rules[r], 0, &n);
        assert_int_equal (j[1].start, 1);
        if (r == 0) {
            assert_string_equal (j[1].nodes, "node0");
            assert_string_equal (j[1].corunners, "1");
        }
        else {
            assert_string_equal (j[1].nodes, "node1");
            assert_null (j[1].corunners);
            struct flurm_engine_stats st;
            flurm_engine_stats (b.e, &st);
            assert_true (st.pairing_refusals >= 1);
        }
        bench_fini (&b);
    }
}

/* One node: A and a blocker (an app without a profile, 10 s) share it
 * from 0; B (submitted at 1) and C (at 2) wait for the blocker's halves,
 * free at 10, where A runs alone at 1.5.  fifo takes B (queue order);
 * best-pair compares the gains: B 0.8 + (1.25 - 1.5) = 0.55, C 1.0 +
 * (1.1 - 1.5) = 0.6, and takes C. */
static void test_best_pair (void **state)
{
    const char *rules[] = {"fifo", "best-pair"};
    const char *want[] = {"b", "c"};
    for (int r = 0; r < 2; r++) {
        struct bench b;
        bench_init (&b, 1, "low");
        bench_add (&b, "a", "A", 0, 10);
        bench_add_runtime (&b, "blocker", "X", 0, 10, 10);
        bench_add (&b, "b", "B", 1, 10);
        bench_add (&b, "c", "C", 2, 10);
        size_t n;
        const struct flurm_job *j = bench_run (&b, rules[r], 0, &n);
        const struct flurm_job *first = j[2].start < j[3].start ? &j[2] : &j[3];
        assert_true (fabs (first->start - 10) < 1e-9);
        assert_string_equal (b.w->jobs[first->wjob].name, want[r]);
        bench_fini (&b);
    }
}

/* easy-cosched fills half-used sockets first: with `first`, which opens
 * the empty node for the second job, fifo spreads them over both nodes;
 * easy-cosched puts the second beside the first (and runs the queue with
 * easy). */
static void test_easy_cosched_fills (void **state)
{
    const char *rules[] = {"fifo", "easy-cosched"};
    for (int r = 0; r < 2; r++) {
        struct bench b;
        bench_init (&b, 2, "first");
        bench_add (&b, "a", "A", 0, 10);
        bench_add (&b, "c", "C", 1, 10);
        size_t n;
        const struct flurm_job *j = bench_run (&b, rules[r], 0, &n);
        assert_int_equal (strcmp (j[1].nodes, j[0].nodes) == 0, r == 1);
        assert_string_equal (flurm_engine_queue_policy (b.e, 0), r == 1 ? "easy" : "fcfs");
        bench_fini (&b);
    }
}

/* max-per-socket: three 3-task jobs (one half-socket each) under low all
 * fit on socket 0 (9 of 10 cores); with the default of 2 the third goes to
 * socket 1. */
static void test_max_per_socket (void **state)
{
    uint32_t limits[] = {3, 0};
    const char *third[] = {"6-8", "10-12"};
    for (int r = 0; r < 2; r++) {
        struct bench b;
        bench_init (&b, 1, "low");
        bench_add (&b, "c1", "C", 0, 3);
        bench_add (&b, "c2", "C", 0, 3);
        bench_add (&b, "c3", "C", 0, 3);
        size_t n;
        const struct flurm_job *j = bench_run (&b, "fifo", limits[r], &n);
        assert_string_equal (j[0].cores, "0-2");
        assert_string_equal (j[1].cores, "3-5");
        assert_string_equal (j[2].cores, third[r]);
        bench_fini (&b);
    }
}

/* The index itself: sockets, procs per socket, removal keeps the others. */
static void test_colocation_index (void **state)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = 2, .sockets = 2, .cores_per_socket = 10};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    struct flurm_colocation *c = flurm_colocation_create (g);
    assert_non_null (c);
    assert_int_equal (flurm_colocation_nsockets (c), 4);
    /* job 7: cores 0-4 and 10-14 of node0; job 9: cores 5-6 */
    flurm_atom core = flurm_graph_atom (g, "core");
    GArray *held7 = g_array_new (FALSE, FALSE, sizeof (flurm_vid));
    GArray *held9 = g_array_new (FALSE, FALSE, sizeof (flurm_vid));
    uint32_t k = 0;
    for (flurm_vid v = 0; v < flurm_graph_size (g); v++) {
        if (flurm_graph_vertex (g, v)->type != core)
            continue;
        if (k <= 4 || (k >= 10 && k <= 14))
            g_array_append_val (held7, v);
        if (k == 5 || k == 6)
            g_array_append_val (held9, v);
        k++;
    }
    flurm_colocation_add (c, 7, (flurm_vid *)(void *)held7->data, held7->len);
    flurm_colocation_add (c, 9, (flurm_vid *)(void *)held9->data, held9->len);
    size_t n;
    const struct flurm_coloc_entry *s = flurm_colocation_sockets_of (c, 7, &n);
    assert_int_equal (n, 2);
    assert_int_equal (s[0].procs, 5);
    assert_int_equal (s[1].procs, 5);
    const struct flurm_coloc_entry *on = flurm_colocation_jobs_on (c, s[0].socket, &n);
    assert_int_equal (n, 2);
    assert_int_equal (on[1].job, 9);
    assert_int_equal (on[1].procs, 2);
    uint32_t first_socket = s[0].socket;
    assert_int_equal (flurm_colocation_socket_cores (c, first_socket), 10);
    flurm_colocation_remove (c, 7);
    on = flurm_colocation_jobs_on (c, first_socket, &n);
    assert_int_equal (n, 1);
    assert_int_equal (on[0].job, 9);
    assert_null (flurm_colocation_sockets_of (c, 7, &n));
    g_array_unref (held7);
    g_array_unref (held9);
    flurm_colocation_destroy (c);
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_rates_follow_partners),
        cmocka_unit_test (test_slowest_socket),
        cmocka_unit_test (test_avoid_bad),
        cmocka_unit_test (test_best_pair),
        cmocka_unit_test (test_easy_cosched_fills),
        cmocka_unit_test (test_max_per_socket),
        cmocka_unit_test (test_colocation_index),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
