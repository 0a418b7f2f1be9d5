/* tests/unit/test_queue.c — queue policies: the registry, and small
 * schedules derived by hand that prove what each policy does.
 *
 * Every schedule runs on one node of 4 cores (or 2 nodes of 2 cores for
 * the topology case), jobs asking for `slot[n] -> core[1]`, with the
 * engine's invariant checks on (no core held twice, start >= submit, no
 * job later than its first reservation).  Runtime = walltime unless said.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "policies/queue_policy.h"
#include "policies/shape.h"
#include "sim/engine.h"
#include "sim/match.h"
#include "sim/topo.h"
#include "sim/workload.h"
#include "testutil.h"

struct tjob {
    double submit, runtime, walltime;
    uint64_t ntasks, nnodes; /* compact shape; nnodes 0 = no node level */
};

struct result {
    double start[8], end[8];
    enum flurm_job_state state[8];
    size_t n;
};

/* Run `jobs` on nodes x cores with `policy`; fills starts and ends. */
static void run (const char *policy, uint32_t nodes, uint32_t cores, const struct tjob *jobs,
                 size_t n, struct result *out)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = nodes, .sockets = 1, .cores_per_socket = cores};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    assert_non_null (g);
    struct flurm_shape_geometry geo;
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    struct flurm_workload *w = flurm_workload_create ();
    for (size_t i = 0; i < n; i++) {
        struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT,
                                          .ntasks = jobs[i].ntasks,
                                          .nnodes = jobs[i].nnodes};
        struct flurm_jobspec *js = flurm_shape_jobspec (&req, &geo, &err);
        if (!js)
            fail_msg ("%s", err.text);
        char name[32];
        snprintf (name, sizeof (name), "J%zu", i + 1);
        struct flurm_wjob wj = {.name = name, .submit = jobs[i].submit,
                                .runtime = jobs[i].runtime, .walltime = jobs[i].walltime,
                                .repeat_until = -1, .ntasks = jobs[i].ntasks,
                                .ncores = jobs[i].ntasks, .ext_id = -1,
                                .js = flurm_workload_own_jobspec (w, js)};
        assert_int_equal (flurm_workload_add (w, &wj, &err), 0);
    }
    struct flurm_matcher *m = flurm_matcher_create (g, "first", NULL, &err);
    assert_non_null (m);
    struct flurm_engine_config cfg;
    flurm_engine_config_init (&cfg);
    cfg.queue_policy = policy;
    cfg.check_invariants = true;
    struct flurm_engine *e = flurm_engine_create (m, w, &cfg, &err);
    assert_non_null (e);
    if (flurm_engine_run (e, &err) < 0)
        fail_msg ("%s", err.text);
    size_t nj;
    const struct flurm_job *jj = flurm_engine_jobs (e, &nj);
    assert_int_equal (nj, n);
    out->n = nj;
    for (size_t i = 0; i < nj; i++) {
        out->start[i] = jj[i].start;
        out->end[i] = jj[i].end;
        out->state[i] = jj[i].state;
    }
    flurm_engine_destroy (e);
    flurm_matcher_destroy (m);
    flurm_workload_destroy (w);
    flurm_graph_destroy (g);
}

static void expect_schedule (const struct result *r, const double (*want)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fabs (r->start[i] - want[i][0]) > 1e-9 || fabs (r->end[i] - want[i][1]) > 1e-9)
            fail_msg ("J%zu ran [%g, %g], expected [%g, %g]", i + 1, r->start[i], r->end[i],
                      want[i][0], want[i][1]);
    }
}

static void test_registry (void **state)
{
    flurm_error_t err;
    const char *names[] = {"fcfs", "easy", "hybrid", "conservative"};
    for (size_t i = 0; i < 4; i++) {
        const struct flurm_queue_policy *p = flurm_queue_policy_lookup (names[i], &err);
        assert_non_null (p);
        assert_string_equal (p->name, names[i]);
    }
    assert_null (flurm_queue_policy_lookup ("sjf", &err));
    assert_non_null (strstr (err.text, "unknown queue policy 'sjf'"));
    assert_non_null (strstr (err.text, "conservative"));
    unsigned n;
    flurm_queue_policies (&n);
    assert_int_equal (n, 4);
}

/* Fluxion's depths: fcfs none, easy 1, hybrid the parameter (default 64),
 * conservative the queue depth. */
static void test_reservation_depths (void **state)
{
    flurm_error_t err;
    assert_int_equal (flurm_queue_policy_lookup ("fcfs", &err)->reservation_depth (32, 0), 0);
    assert_int_equal (flurm_queue_policy_lookup ("easy", &err)->reservation_depth (32, 9), 1);
    assert_int_equal (flurm_queue_policy_lookup ("hybrid", &err)->reservation_depth (1000, 0),
                      64);
    assert_int_equal (flurm_queue_policy_lookup ("hybrid", &err)->reservation_depth (1000, 5),
                      5);
    assert_int_equal (
        flurm_queue_policy_lookup ("conservative", &err)->reservation_depth (32, 0), 32);
    assert_true (flurm_queue_policy_lookup ("fcfs", &err)->blocking);
    assert_false (flurm_queue_policy_lookup ("easy", &err)->blocking);
}

/* 4 cores.  J1 (t=0, 3 cores, 10 s), J2 (t=1, 4 cores, 5 s), J3 (t=2,
 * 1 core, 2 s).
 * fcfs: J1 [0,10].  J2 needs 4, only 1 free: blocked.  J3 would fit but
 * waits behind J2.  J1 ends at 10: J2 [10,15], then J3 [15,17]. */
static const struct tjob blocking_jobs[] = {
    {0, 10, 10, 3, 0}, {1, 5, 5, 4, 0}, {2, 2, 2, 1, 0}};

static void test_fcfs_blocks_behind_head (void **state)
{
    struct result r;
    run ("fcfs", 1, 4, blocking_jobs, 3, &r);
    const double want[][2] = {{0, 10}, {10, 15}, {15, 17}};
    expect_schedule (&r, want, 3);
}

/* easy, same jobs: at t=1 J2 is reserved at 10 (J1's expected end).  J3
 * at t=2 fits the free core and ends at 4 <= 10: backfilled [2,4]. */
static void test_easy_backfills_short_job (void **state)
{
    struct result r;
    run ("easy", 1, 4, blocking_jobs, 3, &r);
    const double want[][2] = {{0, 10}, {10, 15}, {2, 4}};
    expect_schedule (&r, want, 3);
}

/* easy with J3 of 20 s: it would hold a core during J2's reservation
 * [10,15), which needs all 4, so it is not backfilled; it runs after J2:
 * [15,35]. */
static void test_easy_does_not_delay_head (void **state)
{
    const struct tjob jobs[] = {{0, 10, 10, 3, 0}, {1, 5, 5, 4, 0}, {2, 20, 20, 1, 0}};
    struct result r;
    run ("easy", 1, 4, jobs, 3, &r);
    const double want[][2] = {{0, 10}, {10, 15}, {15, 35}};
    expect_schedule (&r, want, 3);
}

/* 4 cores.  J1 (t=0, 2 cores, 10 s), J2 (t=1, 3 cores, 10 s), J3 (t=2,
 * 4 cores, 10 s), J4 (t=3, 1 core, 40 s).
 * easy: J1 [0,10]; J2 reserved at 10 ([10,20), 3 cores); J3 has no
 * reservation; J4 fits the spare core even during [10,20) (3 + 1 = 4):
 * backfilled [3,43].  J2 [10,20].  J3 needs all 4 cores: J4 holds one
 * until 43, so J3 [43,53] — J4 delayed it.
 * conservative: J3 is reserved too: at 10 J2's reservation holds 3 cores
 * so no; at 20 yes: [20,30).  J4 at 3 would overlap J3's [20,30) on all 4
 * cores; at 10 and 20 the same; at 30 (J3's end) it fits: [30,70]. */
static const struct tjob differ_jobs[] = {
    {0, 10, 10, 2, 0}, {1, 10, 10, 3, 0}, {2, 10, 10, 4, 0}, {3, 40, 40, 1, 0}};

static void test_easy_lets_second_job_be_delayed (void **state)
{
    struct result r;
    run ("easy", 1, 4, differ_jobs, 4, &r);
    const double want[][2] = {{0, 10}, {10, 20}, {43, 53}, {3, 43}};
    expect_schedule (&r, want, 4);
}

static void test_conservative_protects_every_job (void **state)
{
    struct result r;
    run ("conservative", 1, 4, differ_jobs, 4, &r);
    const double want[][2] = {{0, 10}, {10, 20}, {20, 30}, {30, 70}};
    expect_schedule (&r, want, 4);
}

/* hybrid with its default depth (64) reserves like conservative here. */
static void test_hybrid_reserves_up_to_depth (void **state)
{
    struct result r;
    run ("hybrid", 1, 4, differ_jobs, 4, &r);
    const double want[][2] = {{0, 10}, {10, 20}, {20, 30}, {30, 70}};
    expect_schedule (&r, want, 4);
}

/* Reservations are topology-aware.  2 nodes x 2 cores.  J1 and J2 (t=0)
 * take one core on each node (node[2] -> slot[1]), ending at 10 and 20.
 * J3 (t=1) wants 2 cores on one node (node[1] -> slot[2]).  At 10 two
 * cores are free — enough by count — but one per node: J3 cannot be
 * matched before 20, so it is reserved at 20.  J4 (t=2, node[1] ->
 * slot[1], 8 s) then backfills at 10 (ends 18 <= 20).  A count-based
 * reservation would have put J3 at 10 and refused J4. */
static void test_reservation_is_topology_aware (void **state)
{
    const struct tjob jobs[] = {
        {0, 10, 10, 2, 2}, {0, 20, 20, 2, 2}, {1, 10, 10, 2, 1}, {2, 8, 8, 1, 1}};
    struct result r;
    run ("easy", 2, 2, jobs, 4, &r);
    const double want[][2] = {{0, 10}, {0, 20}, {20, 30}, {10, 18}};
    expect_schedule (&r, want, 4);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_registry),
        cmocka_unit_test (test_reservation_depths),
        cmocka_unit_test (test_fcfs_blocks_behind_head),
        cmocka_unit_test (test_easy_backfills_short_job),
        cmocka_unit_test (test_easy_does_not_delay_head),
        cmocka_unit_test (test_easy_lets_second_job_be_delayed),
        cmocka_unit_test (test_conservative_protects_every_job),
        cmocka_unit_test (test_hybrid_reserves_up_to_depth),
        cmocka_unit_test (test_reservation_is_topology_aware),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
