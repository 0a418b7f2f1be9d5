/* tests/unit/test_trace.c — trace.yaml: what a valid trace becomes, and
 * one test per class of bad input, each error naming LINE:COL. */
#include <string.h>

#include <glib.h>

#include "sim/trace.h"
#include "testutil.h"

static const char good[] =
    "name: t\n"
    "seed: 7\n"
    "cluster: {nodes: 2, sockets: 2, cores-per-socket: 10, prefix: aris,\n"
    "          properties: {\"aris0\": [normal], \"aris1\": [cosched]}}\n"
    "scheduler:\n"
    "  queue-policy: easy\n"
    "  match-policy: lonode\n"
    "  queues:\n"
    "    normal: {requires: [normal], alloc: compact}\n"
    "    cosched: {requires: [cosched], alloc: spread, queue-policy: conservative}\n"
    "apps: {cg.C: {runtime: 100}}\n"
    "jobs:\n"
    "  - {name: a, app: cg.C, ntasks: 10, queue: cosched, walltime: 200}\n"
    "  - {name: b, runtime: 30, ntasks: 4, queue: normal, count: 2, repeat-until: 90}\n";

static struct flurm_trace *load (const char *text, flurm_error_t *err)
{
    return flurm_trace_load_buffer (text, strlen (text), "t.yaml", ".", err);
}

static void test_good (void **state)
{
    flurm_error_t err;
    struct flurm_trace *t = load (good, &err);
    if (!t)
        fail_msg ("%s", err.text);
    assert_string_equal (t->name, "t");
    assert_int_equal (t->engine.seed, 7);
    assert_string_equal (t->engine.queue_policy, "easy");
    assert_string_equal (t->match_policy, "lonode");
    assert_int_equal (t->nqueues, 2);
    assert_string_equal (t->queues[1].name, "cosched");
    assert_string_equal (t->queues[1].policy, "conservative");
    const struct flurm_workload *w = t->workload;
    assert_int_equal (w->njobs, 3);
    assert_true (w->jobs[0].runtime == 100 && w->jobs[0].walltime == 200);
    assert_string_equal (w->jobs[0].alloc, "spread");
    assert_int_equal (w->jobs[0].ncores, 10);
    /* the queue's requires became the jobspec's constraint */
    assert_non_null (w->jobs[0].js->constraints);
    assert_string_equal (w->jobs[1].name, "b.1");
    assert_string_equal (w->jobs[2].name, "b.2");
    assert_true (w->jobs[1].walltime == 30); /* defaulted to the runtime */
    assert_true (w->jobs[1].repeat_until == 90);
    assert_int_equal (w->nnotes, 1);
    flurm_trace_destroy (t);
}

/* Each bad trace and a piece of the message it must give. */
static void test_bad (void **state)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"name: t\ncluster: {nodes: 1}\njobs: [{runtime: 1, ntasks: 1}]\ncolour: red\n",
         "t.yaml:4:1: unknown key 'colour'"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, wall: 3}\n",
         "t.yaml:3:29: unknown key 'wall'"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, walltime: 0}\n",
         "t.yaml:3:5: job 'job1': walltime must be > 0"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: -4, ntasks: 1}\n", "runtime must be >= 0"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, repeat-until: -5}\n",
         "t.yaml:3:43: repeat-until must be >= 0 (got -5)"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, submit: -1}\n",
         "submit must be >= 0"},
        {"cluster: {nodes: 1}\njobs:\n  - {app: nope, ntasks: 1}\n",
         "t.yaml:3:11: unknown app 'nope'"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, queue: q}\n",
         "t.yaml:3:36: unknown queue 'q'"},
        {"cluster: {nodes: 1}\nscheduler: {queue-policy: sjf}\njobs: [{runtime: 1, ntasks: 1}]\n",
         "t.yaml:2:27: unknown queue policy 'sjf'"},
        {"cluster: {nodes: 1}\njobs: []\n", "t.yaml:2:7: jobs is empty"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 3000000000}\n", "ntasks"},
        {"cluster: {nodes: 99999999999}\njobs: [{runtime: 1, ntasks: 1}]\n", "t.yaml:1:18:"},
        {"jobs: [{runtime: 1, ntasks: 1}]\n", "no cluster"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, alloc: diagonal}\n",
         "t.yaml:3:36:"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1}\n", "needs ntasks"},
        {"cluster: {nodes: 1}\njobs:\n  - {runtime: 1, ntasks: 1, jobspec: missing.yaml}\n",
         "missing.yaml"},
        {"cluster: {graph: missing.json}\njobs: [{runtime: 1, ntasks: 1}]\n", "t.yaml:1:18:"},
        {"", "t.yaml: empty"},
        {"cluster: {nodes: 1\n", "t.yaml:"},
    };
    for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++) {
        flurm_error_t err;
        struct flurm_trace *t = load (cases[i].text, &err);
        if (t) {
            flurm_trace_destroy (t);
            fail_msg ("case %zu was accepted", i);
        }
        if (!strstr (err.text, cases[i].want))
            fail_msg ("case %zu: '%s' does not contain '%s'", i, err.text, cases[i].want);
    }
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good),
        cmocka_unit_test (test_bad),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
