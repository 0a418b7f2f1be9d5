/* tests/unit/test_swf_workload.c — an SWF log as machine + workload: the
 * conventions shared with CQSim/AccaSim/RLScheduler, skips counted by
 * reason, and the machine read from the header. */
#include <string.h>

#include <glib.h>

#include "sim/swf.h"
#include "sim/swf_workload.h"
#include "sim/workload.h"
#include "testutil.h"

/* Fields: id submit wait run alloc cpu mem req_procs req_time req_mem
 *         status user group exe queue partition prec think */
static const char log_text[] =
    "; MaxNodes: 4\n"
    "; MaxProcs: 16\n"
    "1 0 -1 100 8 -1 -1 4 200 -1 1 -1 -1 -1 -1 -1 -1 -1\n"   /* req 4 procs, 200 s */
    "2 10 -1 50 6 -1 -1 -1 -1 -1 1 -1 -1 -1 -1 -1 -1 -1\n"   /* alloc 6, wall = run */
    "3 20 -1 -1 2 -1 -1 2 100 -1 0 -1 -1 -1 -1 -1 -1 -1\n"   /* no run time */
    "4 30 -1 10 -1 -1 -1 -1 100 -1 1 -1 -1 -1 -1 -1 -1 -1\n" /* no processors */
    "5 40 -1 10 32 -1 -1 32 100 -1 1 -1 -1 -1 -1 -1 -1 -1\n" /* bigger than 16 */
    "6 50 -1 0 1 -1 -1 1 -1 -1 1 -1 -1 -1 -1 -1 -1 -1\n"     /* no time at all */
    "7 60 -1 300 4 -1 -1 4 100 -1 1 -1 -1 -1 -1 -1 -1 -1\n"; /* runs past 100 */

static struct flurm_swf *load (const char *text)
{
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_buffer (text, strlen (text), "t.swf", &err);
    if (!swf)
        fail_msg ("%s", err.text);
    return swf;
}

static uint64_t skipped (const struct flurm_workload *w, const char *reason)
{
    for (size_t i = 0; i < w->nskips; i++) {
        if (!strcmp (w->skips[i].reason, reason))
            return w->skips[i].count;
    }
    return 0;
}

static void test_conventions (void **state)
{
    flurm_error_t err;
    struct flurm_swf *swf = load (log_text);
    struct flurm_swf_machine mach;
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    struct flurm_workload *w = flurm_swf_workload (swf, &mach, 0, &err);
    assert_non_null (w);
    assert_int_equal (w->njobs, 3);
    /* requested processors win over allocated ones */
    assert_int_equal (w->jobs[0].ncores, 4);
    assert_true (w->jobs[0].walltime == 200 && w->jobs[0].runtime == 100);
    assert_string_equal (w->jobs[0].name, "1");
    /* allocated when requested is -1; walltime = run time when no request */
    assert_int_equal (w->jobs[1].ncores, 6);
    assert_true (w->jobs[1].walltime == 50);
    /* a run past the request is kept: the engine kills it at 100 */
    assert_true (w->jobs[2].runtime == 300 && w->jobs[2].walltime == 100);
    /* jobs of one size share their jobspec */
    assert_ptr_equal (w->jobs[0].js, w->jobs[2].js);
    assert_int_equal (skipped (w, "no run time"), 1);
    assert_int_equal (skipped (w, "no processors"), 1);
    assert_int_equal (skipped (w, "more processors than the machine"), 1);
    assert_int_equal (skipped (w, "no run time or requested time above zero"), 1);
    assert_int_equal (flurm_workload_nskipped (w), 4);
    assert_int_equal (w->nnotes, 1);
    assert_string_equal (w->notes[0],
                         "walltime = run time for 1 jobs without a requested time");
    flurm_workload_destroy (w);

    /* max_jobs counts log lines before skipping */
    w = flurm_swf_workload (swf, &mach, 3, &err);
    assert_int_equal (w->njobs, 2);
    assert_int_equal (flurm_workload_nskipped (w), 1);
    flurm_workload_destroy (w);
    flurm_swf_destroy (swf);
}

/* MaxNodes dividing MaxProcs: nodes of MaxProcs/MaxNodes cores; otherwise
 * single-core nodes; only MaxNodes (Lublin's logs): that many cores; an
 * override replaces MaxProcs; nothing at all is an error. */
static void test_machine (void **state)
{
    flurm_error_t err;
    struct flurm_swf_machine mach;
    struct flurm_swf *swf = load ("; MaxNodes: 4\n; MaxProcs: 16\n");
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    assert_int_equal (mach.nodes, 4);
    assert_int_equal (mach.cores_per_node, 4);
    assert_int_equal (flurm_swf_machine (swf, 10, &mach, &err), 0);
    assert_int_equal (mach.nodes, 10);
    assert_int_equal (mach.cores_per_node, 1);
    flurm_swf_destroy (swf);

    swf = load ("; MaxNodes: 3\n; MaxProcs: 16\n");
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    assert_int_equal (mach.nodes, 16);
    assert_int_equal (mach.cores_per_node, 1);
    flurm_swf_destroy (swf);

    swf = load ("; MaxNodes: 256\n");
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    assert_int_equal (mach.nodes * mach.cores_per_node, 256);
    struct flurm_graph *g = flurm_swf_machine_graph (&mach, &err);
    assert_non_null (g);
    flurm_graph_destroy (g);
    flurm_swf_destroy (swf);

    swf = load ("1 0 -1 10 1 -1 -1 1 10 -1 1 -1 -1 -1 -1 -1 -1 -1\n");
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), -1);
    assert_non_null (strstr (err.text, "neither MaxProcs nor MaxNodes"));
    flurm_swf_destroy (swf);

    swf = load ("; MaxProcs: 99999999\n");
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), -1);
    assert_non_null (strstr (err.text, "larger than"));
    flurm_swf_destroy (swf);
}

/* The real log: 10,000 jobs, none skipped, every walltime from the run
 * time (the log has no requested times). */
static void test_lublin (void **state)
{
    char *path = g_strdup (test_data ("swf/lublin_256.swf"));
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_file (path, &err);
    g_free (path);
    assert_non_null (swf);
    struct flurm_swf_machine mach;
    assert_int_equal (flurm_swf_machine (swf, 0, &mach, &err), 0);
    struct flurm_workload *w = flurm_swf_workload (swf, &mach, 0, &err);
    assert_int_equal (w->njobs, 10000);
    assert_int_equal (flurm_workload_nskipped (w), 0);
    assert_string_equal (w->notes[0],
                         "walltime = run time for 10000 jobs without a requested time");
    flurm_workload_destroy (w);
    flurm_swf_destroy (swf);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_conventions),
        cmocka_unit_test (test_machine),
        cmocka_unit_test (test_lublin),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
