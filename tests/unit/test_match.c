/* tests/unit/test_match.c — the matcher: what the engine and the live mode
 * rely on (placement as Fluxion places it, co-location, exclusivity, exact
 * free, apply/unapply, R output, counters) and every class of bad input it
 * must refuse without changing its state.
 *
 * Placements are checked on the team's ARIS-like conformance graphs
 * (4 nodes x 2 sockets x 10 cores, aris0..aris3; props4 has normal/cosched
 * node properties).  A last test runs random workloads on random graphs
 * through the default matcher and an exhaustive one (Fluxion's full walk)
 * and requires the same answers at every step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "policies/match_policy.h"
#include "sim/jgf.h"
#include "sim/jobspec.h"
#include "sim/match.h"
#include "sim/match_sort.h"
#include "sim/rv1.h"
#include "sim/topo.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

static struct flurm_matcher *matcher (struct flurm_graph *g, const char *policy, bool strict)
{
    flurm_error_t err;
    struct flurm_match_options o = {.fluxion_strict = strict};
    struct flurm_matcher *m = flurm_matcher_create (g, policy, &o, &err);
    if (!m)
        fail_msg ("%s", err.text);
    return m;
}

static struct flurm_jobspec *jobspec_file (const char *name)
{
    char rel[256];
    flurm_error_t err;
    snprintf (rel, sizeof (rel), "fluxion-conformance/jobspecs/%s", name);
    struct flurm_jobspec *js = flurm_jobspec_load_file (test_data (rel), &err);
    if (!js)
        fail_msg ("%s", err.text);
    return js;
}

/* A jobspec from its resources, written as YAML flow text. */
static struct flurm_jobspec *jobspec_text (const char *resources, const char *system)
{
    char *text = g_strdup_printf ("version: 1\n"
                                  "resources: %s\n"
                                  "tasks: [{command: [app], slot: task, count: {per_slot: 1}}]\n"
                                  "attributes: {system: {duration: 3600%s%s}}\n",
                                  resources, system ? ", " : "", system ? system : "");
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_buffer (text, strlen (text), "test", &err);
    if (!js)
        fail_msg ("%s\n%s", err.text, text);
    g_free (text);
    return js;
}

static enum flurm_match_result alloc (struct flurm_matcher *m, const struct flurm_jobspec *js,
                                      uint64_t id, const struct flurm_alloc **a)
{
    return flurm_matcher_allocate (m, js, id, FLURM_MATCH_CHECK_SATISFIABLE, a, NULL);
}

/* "aris0: core[0-4,10-14]" */
static char *summary (struct flurm_matcher *m, const struct flurm_alloc *a)
{
    char *s = flurm_alloc_summary (m, a);
    assert_non_null (s);
    return s;
}

static void assert_summary (struct flurm_matcher *m, const struct flurm_alloc *a,
                            const char *want)
{
    char *s = summary (m, a);
    if (strcmp (s, want) != 0)
        fail_msg ("allocation is %s, expected %s", s, want);
    g_free (s);
}

/* Every free count of every vertex, to check that state is restored. */
static uint32_t *snapshot (const struct flurm_graph *g)
{
    size_t n = flurm_graph_size (g), t = flurm_graph_ntracked (g);
    uint32_t *s = g_new (uint32_t, n * t + n);
    for (size_t v = 0; v < n; v++) {
        for (size_t i = 0; i < t; i++)
            s[v * t + i] = flurm_graph_free (g, (flurm_vid)v, (int)i);
        s[n * t + v] = flurm_graph_is_taken (g, (flurm_vid)v);
    }
    return s;
}

static void assert_snapshot (const struct flurm_graph *g, const uint32_t *before)
{
    uint32_t *now = snapshot (g);
    size_t n = flurm_graph_size (g), t = flurm_graph_ntracked (g);
    assert_memory_equal (now, before, (n * t + n) * sizeof (uint32_t));
    g_free (now);
}

/* ---- placement ----------------------------------------------------------- */

/* lonode: a spread job of 10 tasks lands 5+5 on the two sockets of one
 * node; a second spread job shares that node, on the other halves; a
 * compact job of 10 fills the next node's first socket. */
static void test_spread_and_colocation (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "lonode", false);
    struct flurm_jobspec *spread = jobspec_file ("node1-spread10.yaml");
    struct flurm_jobspec *compact = jobspec_file ("slot10-core1.yaml");
    const struct flurm_alloc *a;

    assert_int_equal (alloc (m, spread, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris0: core[0-4,10-14]");
    assert_int_equal (a->nnodes, 1);
    assert_int_equal (a->ncores, 10);
    assert_int_equal (alloc (m, spread, 2, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris0: core[5-9,15-19]");
    assert_int_equal (alloc (m, compact, 3, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris1: core[0-9]");

    flurm_jobspec_destroy (spread);
    flurm_jobspec_destroy (compact);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* first: the default policy, placements as Fluxion's `first` makes them
 * (highest node first, then the node with the most free cores). */
static void test_first_policy (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, NULL, false);
    assert_string_equal (flurm_matcher_policy (m), "first");
    struct flurm_jobspec *spread = jobspec_file ("spread10.yaml");
    struct flurm_jobspec *slot5 = jobspec_file ("slot5-core1.yaml");
    const struct flurm_alloc *a;
    assert_int_equal (alloc (m, spread, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris3: core[5-9,15-19]");
    assert_int_equal (alloc (m, spread, 2, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris2: core[5-9,15-19]");
    assert_int_equal (alloc (m, slot5, 3, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris1: core[15-19]");
    flurm_jobspec_destroy (spread);
    flurm_jobspec_destroy (slot5);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Exclusive nodes: the whole node is held, R lists all its cores, and a
 * node someone uses cannot be had exclusively. */
static void test_exclusive_node (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "lonode", false);
    struct flurm_jobspec *one = jobspec_file ("slot1-core1.yaml");
    struct flurm_jobspec *whole = jobspec_file ("node1x-sock1-slot1-core1.yaml");
    const struct flurm_alloc *a;

    assert_int_equal (alloc (m, one, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris0: core[0]");
    assert_int_equal (alloc (m, whole, 2, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris1: core[0-19]");
    assert_int_equal (a->ncores, 20);
    /* the node itself and its sockets are held too */
    assert_true (a->nheld > 20);
    assert_int_equal (alloc (m, whole, 3, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris2: core[0-19]");
    assert_int_equal (alloc (m, whole, 4, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris3: core[0-19]");
    /* aris0 is shared by job 1: busy, though the idle graph would fit */
    assert_int_equal (alloc (m, whole, 5, &a), FLURM_MATCH_BUSY);
    assert_null (a);
    /* nothing fits on the exclusively held nodes */
    assert_int_equal (flurm_matcher_free (m, 1, NULL), 0);
    assert_int_equal (alloc (m, whole, 6, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris0: core[0-19]");
    assert_int_equal (alloc (m, one, 7, &a), FLURM_MATCH_BUSY);

    flurm_jobspec_destroy (one);
    flurm_jobspec_destroy (whole);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* node-exclusive policies give each node used to the job alone. */
static void test_node_exclusive_policy (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "lonodex", false);
    struct flurm_jobspec *slot5 = jobspec_file ("slot5-core1.yaml");
    const struct flurm_alloc *a;
    for (uint64_t id = 1; id <= 4; id++) {
        assert_int_equal (alloc (m, slot5, id, &a), FLURM_MATCH_ALLOCATED);
        assert_int_equal (a->ncores, 20);
    }
    assert_int_equal (alloc (m, slot5, 5, &a), FLURM_MATCH_BUSY);
    flurm_jobspec_destroy (slot5);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Node properties (RFC 31 constraints) and the --requires forms ARIS
 * queues use. */
static void test_constraints (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("props4.json");
    struct flurm_matcher *m = matcher (g, "lonode", false);
    const struct flurm_alloc *a;
    struct flurm_jobspec *cosched = jobspec_file ("slot5-core1-cosched.yaml");
    struct flurm_jobspec *missing = jobspec_file ("slot1-core1-missing.yaml");
    struct flurm_jobspec *not_aris0 = jobspec_text (
        "[{type: slot, count: 1, label: task, with: [{type: core, count: 1}]}]",
        "constraints: {not: [{hostlist: [aris0]}]}");
    struct flurm_jobspec *normal_node = jobspec_text (
        "[{type: node, count: 1, with: [{type: socket, count: 1, with: "
        "[{type: slot, count: 2, label: task, with: [{type: core, count: 1}]}]}]}]",
        "constraints: {properties: [normal]}");

    assert_int_equal (alloc (m, cosched, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris2: core[0-4]");
    assert_int_equal (alloc (m, not_aris0, 2, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris1: core[0]");
    assert_int_equal (alloc (m, normal_node, 3, &a), FLURM_MATCH_ALLOCATED);
    assert_summary (m, a, "aris0: core[0-1]");
    assert_int_equal (alloc (m, missing, 4, &a), FLURM_MATCH_UNSATISFIABLE);
    flurm_error_t err;
    assert_int_equal (flurm_matcher_satisfiable (m, missing, &err), 0);
    assert_int_equal (flurm_matcher_satisfiable (m, cosched, &err), 1);

    flurm_jobspec_destroy (cosched);
    flurm_jobspec_destroy (missing);
    flurm_jobspec_destroy (not_aris0);
    flurm_jobspec_destroy (normal_node);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Allocate until full, then busy; a request bigger than the graph is
 * unsatisfiable from the start; freeing makes room again. */
static void test_fill_free_reallocate (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    uint32_t *idle = snapshot (g);
    struct flurm_matcher *m = matcher (g, "first", false);
    struct flurm_jobspec *ten = jobspec_file ("slot10-core1.yaml");
    struct flurm_jobspec *huge = jobspec_file ("slot81-core1.yaml");
    const struct flurm_alloc *a;
    uint64_t id = 1;
    while (alloc (m, ten, id, &a) == FLURM_MATCH_ALLOCATED)
        id++;
    assert_int_equal (id, 9); /* 80 cores / 10 */
    assert_int_equal (flurm_matcher_njobs (m), 8);
    assert_int_equal (alloc (m, huge, 100, &a), FLURM_MATCH_UNSATISFIABLE);
    assert_int_equal (flurm_matcher_free (m, 3, NULL), 0);
    assert_int_equal (alloc (m, ten, 9, &a), FLURM_MATCH_ALLOCATED);
    for (uint64_t j = 1; j <= 9; j++)
        if (j != 3)
            assert_int_equal (flurm_matcher_free (m, j, NULL), 0);
    assert_int_equal (flurm_matcher_njobs (m), 0);
    assert_snapshot (g, idle);

    struct flurm_match_stats st;
    flurm_matcher_stats (m, &st);
    assert_int_equal (st.allocated, 9);
    assert_int_equal (st.busy, 1);
    assert_int_equal (st.unsatisfiable, 1);
    assert_int_equal (st.freed, 9);
    assert_true (st.visits > 0);
    flurm_matcher_reset_stats (m);
    flurm_matcher_stats (m, &st);
    assert_int_equal (st.allocate_calls, 0);

    g_free (idle);
    flurm_jobspec_destroy (ten);
    flurm_jobspec_destroy (huge);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Fluxion cannot match node -> slot -> core on a graph with sockets (issue
 * 498); Flurm can, and says so; --fluxion-strict reproduces the refusal. */
static void test_issue_498 (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_jobspec *js = jobspec_file ("node1-slot1-core1.yaml");
    const struct flurm_alloc *a;
    flurm_error_t err;

    struct flurm_matcher *m = matcher (g, "hinode", true);
    assert_int_equal (flurm_matcher_allocate (m, js, 1, FLURM_MATCH_CHECK_SATISFIABLE, &a, &err),
                      FLURM_MATCH_ERROR);
    assert_non_null (strstr (err.text, "issue 498"));
    assert_int_equal (flurm_matcher_satisfiable (m, js, &err), 1);
    flurm_matcher_destroy (m);

    m = matcher (g, "hinode", false);
    assert_int_equal (alloc (m, js, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_true (a->skipped_level);
    assert_summary (m, a, "aris3: core[19]");
    flurm_matcher_destroy (m);

    flurm_jobspec_destroy (js);
    flurm_graph_destroy (g);
}

/* R: one entry per node, host names, times as given. */
static void test_rv1_output (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("gpu2.json");
    struct flurm_matcher *m = matcher (g, "low", false);
    struct flurm_jobspec *js = jobspec_file ("sock2-slot1-core2-gpu1.yaml");
    const struct flurm_alloc *a;
    flurm_error_t err;
    assert_int_equal (alloc (m, js, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_int_equal (a->ngpus, 2);
    struct flurm_rv1 *r = flurm_alloc_to_rv1 (m, a, 100, 3700, &err);
    assert_non_null (r);
    json_t *o = flurm_rv1_to_json (r);
    char *text = json_dumps (o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null (strstr (text, "\"nodelist\":[\"gnode[0-1]\"]"));
    assert_non_null (strstr (text, "\"starttime\":100"));
    assert_non_null (strstr (text, "\"expiration\":3700"));
    assert_non_null (strstr (text, "\"gpu\""));
    free (text);
    json_decref (o);
    flurm_rv1_destroy (r);
    flurm_jobspec_destroy (js);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Dry runs leave the state alone; unapply/apply toggle a job's hold. */
static void test_dry_run_apply_unapply (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "lonode", false);
    struct flurm_jobspec *twenty = jobspec_file ("slot20-core1.yaml");
    const struct flurm_alloc *a;
    flurm_error_t err;
    uint32_t *idle = snapshot (g);

    struct flurm_alloc *found;
    assert_int_equal (flurm_matcher_find (m, twenty, 0, &found, &err), FLURM_MATCH_ALLOCATED);
    assert_summary (m, found, "aris0: core[0-19]");
    assert_false (found->applied);
    assert_null (flurm_matcher_lookup (m, 0));
    assert_snapshot (g, idle);
    flurm_alloc_destroy (found);

    assert_int_equal (alloc (m, twenty, 1, &a), FLURM_MATCH_ALLOCATED);
    uint32_t *busy = snapshot (g);
    assert_int_equal (flurm_matcher_unapply (m, 1, &err), 0);
    assert_snapshot (g, idle);
    assert_int_equal (flurm_matcher_unapply (m, 1, &err), -1);
    assert_non_null (strstr (err.text, "already unapplied"));
    /* with job 1 out of the way, the future state has aris0 free; a dry
     * run hands its record to the caller */
    const struct flurm_alloc *b;
    assert_int_equal (flurm_matcher_allocate (m, twenty, 1, FLURM_MATCH_DRY_RUN, &b, &err),
                      FLURM_MATCH_ALLOCATED);
    assert_summary (m, b, "aris0: core[0-19]");
    assert_int_equal (b->jobid, 1);
    assert_false (b->applied);
    flurm_alloc_destroy ((struct flurm_alloc *)b);
    assert_int_equal (flurm_matcher_apply (m, 1, &err), 0);
    assert_snapshot (g, busy);
    assert_int_equal (flurm_matcher_apply (m, 1, &err), -1);

    /* a job cannot be applied over someone else's vertices */
    assert_int_equal (flurm_matcher_unapply (m, 1, &err), 0);
    assert_int_equal (alloc (m, twenty, 3, &b), FLURM_MATCH_ALLOCATED);
    assert_int_equal (flurm_matcher_apply (m, 1, &err), -1);
    assert_non_null (strstr (err.text, "held by another job"));
    assert_int_equal (flurm_matcher_free (m, 3, &err), 0);
    assert_int_equal (flurm_matcher_apply (m, 1, &err), 0);

    /* adopt: an allocation found elsewhere */
    flurm_vid held[20];
    const struct flurm_alloc *one = flurm_matcher_lookup (m, 1);
    assert_int_equal (one->nheld, 20);
    memcpy (held, one->held, sizeof (held));
    assert_int_equal (flurm_matcher_adopt (m, 7, held, 20, &err), -1);
    assert_int_equal (flurm_matcher_free (m, 1, &err), 0);
    assert_int_equal (flurm_matcher_adopt (m, 7, held, 20, &err), 0);
    assert_snapshot (g, busy);
    assert_int_equal (flurm_matcher_free (m, 7, &err), 0);
    assert_snapshot (g, idle);

    g_free (idle);
    g_free (busy);
    flurm_jobspec_destroy (twenty);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* Every registered policy and Fluxion custom strings can be created and
 * place a spread job; the ranking families give their known answers. */
static void test_policies (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_jobspec *js = jobspec_file ("spread10.yaml");
    size_t n;
    const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
    assert_true (n >= 11);
    for (size_t i = 0; i < n; i++) {
        struct flurm_matcher *m = matcher (g, list[i].name, false);
        const struct flurm_alloc *a;
        assert_int_equal (alloc (m, js, 1, &a), FLURM_MATCH_ALLOCATED);
        assert_true (a->ncores == 10 || a->ncores == 20);
        flurm_matcher_destroy (m);
    }
    const char *custom[] = {
        "policy=low node_centric=true node_exclusive=true stop_on_1_matches=true",
        "policy=high",
        "policy=low node_centric=false",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (custom); i++) {
        struct flurm_matcher *m = matcher (g, custom[i], false);
        assert_string_equal (flurm_matcher_policy (m), custom[i]);
        flurm_matcher_destroy (m);
    }
    flurm_jobspec_destroy (js);
    flurm_graph_destroy (g);
}

/* pack: fewest nodes.  With a hole of 2 cores on aris0, a 20-task compact
 * job takes a whole free node instead of spanning two. */
static void test_pack_policy (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "pack", false);
    struct flurm_jobspec *eighteen = jobspec_text (
        "[{type: slot, count: 18, label: task, with: [{type: core, count: 1}]}]", NULL);
    struct flurm_jobspec *twenty = jobspec_file ("slot20-core1.yaml");
    struct flurm_jobspec *two = jobspec_file ("slot1-core2.yaml");
    const struct flurm_alloc *a;
    assert_int_equal (alloc (m, eighteen, 1, &a), FLURM_MATCH_ALLOCATED);
    assert_int_equal (a->nnodes, 1);
    assert_int_equal (alloc (m, twenty, 2, &a), FLURM_MATCH_ALLOCATED);
    assert_int_equal (a->nnodes, 1);
    /* a 2-core job goes into the 2-core hole (best fit) */
    const struct flurm_alloc *first = flurm_matcher_lookup (m, 1);
    assert_int_equal (alloc (m, two, 3, &a), FLURM_MATCH_ALLOCATED);
    assert_int_equal (a->nodes[0], first->nodes[0]);
    flurm_jobspec_destroy (eighteen);
    flurm_jobspec_destroy (twenty);
    flurm_jobspec_destroy (two);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* ---- bad input ----------------------------------------------------------- */

static void test_bad_policies (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    flurm_error_t err;
    struct {
        const char *spec, *says;
    } bad[] = {
        {"bogus", "unknown match policy 'bogus'"},
        {"", "empty match policy"},
        {"policy=medium", "accepts only low or high"},
        {"policy=low node_centric=yes", "must be true or false"},
        {"policy=low colour=red", "invalid match policy option 'colour'"},
        {"node_centric=true", "needs policy=low or policy=high"},
        {"policy=low policy=high", "given twice"},
        {"policy=low  node_centric=true", "single spaces"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        assert_null (flurm_matcher_create (g, bad[i].spec, NULL, &err));
        if (!strstr (err.text, bad[i].says))
            fail_msg ("'%s': message '%s' lacks '%s'", bad[i].spec, err.text, bad[i].says);
    }
    assert_null (flurm_matcher_create (NULL, "first", NULL, &err));
    flurm_graph_destroy (g);
}

static void test_bad_requests (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_matcher *m = matcher (g, "first", false);
    struct flurm_jobspec *ok = jobspec_file ("slot1-core1.yaml");
    const struct flurm_alloc *a;
    flurm_error_t err;
    assert_int_equal (alloc (m, ok, 1, &a), FLURM_MATCH_ALLOCATED);
    uint32_t *before = snapshot (g);

    /* a live job id */
    assert_int_equal (flurm_matcher_allocate (m, ok, 1, 0, &a, &err), FLURM_MATCH_ERROR);
    assert_non_null (strstr (err.text, "job 1 already holds resources"));
    /* unknown job ids */
    assert_int_equal (flurm_matcher_free (m, 42, &err), -1);
    assert_non_null (strstr (err.text, "no job 42"));
    assert_int_equal (flurm_matcher_unapply (m, 42, &err), -1);
    assert_int_equal (flurm_matcher_apply (m, 42, &err), -1);
    /* two siblings of one type */
    struct flurm_jobspec *twins = jobspec_text (
        "[{type: slot, count: 1, label: task, with: [{type: core, count: 1}, "
        "{type: core, count: 2}]}]",
        NULL);
    assert_int_equal (flurm_matcher_allocate (m, twins, 2, 0, &a, &err), FLURM_MATCH_ERROR);
    assert_non_null (strstr (err.text, "two core resources side by side"));
    /* exclusive: false below an exclusive node */
    struct flurm_jobspec *conflict = jobspec_text (
        "[{type: node, count: 1, exclusive: true, with: [{type: socket, count: 1, exclusive: "
        "false, with: [{type: slot, count: 1, label: task, with: [{type: core, count: 1}]}]}]}]",
        NULL);
    assert_int_equal (flurm_matcher_allocate (m, conflict, 2, FLURM_MATCH_CHECK_SATISFIABLE, &a,
                                              &err),
                      FLURM_MATCH_ERROR);
    assert_non_null (strstr (err.text, "exclusive: false on a socket"));
    /* a type the graph does not have can never be satisfied */
    struct flurm_jobspec *gpu = jobspec_file ("slot1-core1-gpu1.yaml");
    assert_int_equal (alloc (m, gpu, 2, &a), FLURM_MATCH_UNSATISFIABLE);
    assert_int_equal (flurm_matcher_satisfiable (m, gpu, &err), 0);
    /* adopting vertices that are not there, or twice */
    flurm_vid nowhere = (flurm_vid)flurm_graph_size (g);
    assert_int_equal (flurm_matcher_adopt (m, 9, &nowhere, 1, &err), -1);
    assert_non_null (strstr (err.text, "not in the graph"));
    flurm_vid twice[2] = {5, 5};
    assert_int_equal (flurm_matcher_adopt (m, 9, twice, 2, &err), -1);
    assert_non_null (strstr (err.text, "listed twice"));
    assert_int_equal (flurm_matcher_adopt (m, 9, twice, 0, &err), -1);

    assert_snapshot (g, before);
    assert_int_equal (flurm_matcher_njobs (m), 1);
    g_free (before);
    flurm_jobspec_destroy (ok);
    flurm_jobspec_destroy (twins);
    flurm_jobspec_destroy (conflict);
    flurm_jobspec_destroy (gpu);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

static void test_graph_not_idle (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    flurm_graph_take (g, 3);
    flurm_error_t err;
    assert_null (flurm_matcher_create (g, "first", NULL, &err));
    assert_non_null (strstr (err.text, "already has allocated vertices"));
    flurm_graph_release (g, 3);
    flurm_graph_destroy (g);
}

/* ---- fast paths ---------------------------------------------------------- */

static const char *const random_policies[] = {
    "first", "firstnodex", "low", "high", "lonode", "hinode", "lonodex", "hinodex", "locality",
    "variation", "pack", "policy=low node_centric=true stop_on_1_matches=true",
};

static char *random_resources (GRand *r, uint32_t sockets, uint32_t cores)
{
    uint32_t ncores = (uint32_t)g_rand_int_range (r, 1, (gint32)cores + 1);
    char *slot = g_strdup_printf ("{type: slot, count: %d, label: task, with: [{type: core, "
                                  "count: %u}]}",
                                  g_rand_int_range (r, 1, 12), ncores);
    char *out;
    switch (g_rand_int_range (r, 0, 4)) {
    case 0:
        out = g_strdup_printf ("[{type: node, count: %d, %swith: [%s]}]",
                               g_rand_int_range (r, 1, 4),
                               g_rand_boolean (r) ? "exclusive: true, " : "", slot);
        break;
    case 1:
        out = g_strdup_printf ("[{type: socket, count: %d, with: [%s]}]",
                               g_rand_int_range (r, 1, (gint32)(3 * sockets) + 1), slot);
        break;
    default:
        out = g_strdup_printf ("[%s]", slot);
        break;
    }
    g_free (slot);
    return out;
}

/* The default matcher skips nodes that cannot win and stops early when a
 * node-centric ranking allows it; Fluxion walks everything.  Both must
 * give the same answer at every step of random workloads. */
static void test_fast_paths_agree (void **state)
{
    (void)state;
    GRand *r = g_rand_new_with_seed (20261126);
    flurm_error_t err;
    for (int round = 0; round < 60; round++) {
        struct flurm_topo_spec spec = {
            .nnodes = (uint32_t)g_rand_int_range (r, 1, 40),
            .prefix = "n",
            .sockets = (uint32_t)g_rand_int_range (r, 1, 3),
            .cores_per_socket = (uint32_t)g_rand_int_range (r, 1, 6),
        };
        struct flurm_graph *g1 = flurm_topo_generate (&spec, &err);
        struct flurm_graph *g2 = flurm_topo_generate (&spec, &err);
        assert_non_null (g1);
        assert_non_null (g2);
        gint32 npolicies = (gint32)G_N_ELEMENTS (random_policies);
        const char *policy = random_policies[g_rand_int_range (r, 0, npolicies)];
        struct flurm_match_options fast = {.fluxion_strict = g_rand_boolean (r)};
        struct flurm_match_options full = fast;
        full.exhaustive = true;
        struct flurm_matcher *m1 = flurm_matcher_create (g1, policy, &fast, &err);
        struct flurm_matcher *m2 = flurm_matcher_create (g2, policy, &full, &err);
        uint64_t live[256];
        int nlive = 0;
        uint64_t id = 1;
        for (int step = 0; step < 80; step++) {
            if (nlive && g_rand_int_range (r, 0, 3) == 0) {
                int i = g_rand_int_range (r, 0, nlive);
                assert_int_equal (flurm_matcher_free (m1, live[i], NULL), 0);
                assert_int_equal (flurm_matcher_free (m2, live[i], NULL), 0);
                live[i] = live[--nlive];
                continue;
            }
            char *res = random_resources (r, spec.sockets, spec.cores_per_socket);
            struct flurm_jobspec *js = jobspec_text (res, NULL);
            const struct flurm_alloc *a1, *a2;
            enum flurm_match_result r1 = alloc (m1, js, id, &a1);
            enum flurm_match_result r2 = alloc (m2, js, id, &a2);
            if (r1 != r2 || (a1 && (a1->nheld != a2->nheld
                                    || memcmp (a1->held, a2->held,
                                               a1->nheld * sizeof (flurm_vid)) != 0)))
                fail_msg ("policy %s, round %d step %d, %s: fast %s, exhaustive %s", policy, round,
                          step, res, flurm_match_result_str (r1), flurm_match_result_str (r2));
            if (r1 == FLURM_MATCH_ALLOCATED && nlive < 256)
                live[nlive++] = id;
            else if (r1 == FLURM_MATCH_ALLOCATED) {
                flurm_matcher_free (m1, id, NULL);
                flurm_matcher_free (m2, id, NULL);
            }
            id++;
            g_free (res);
            flurm_jobspec_destroy (js);
        }
        flurm_matcher_destroy (m1);
        flurm_matcher_destroy (m2);
        flurm_graph_destroy (g1);
        flurm_graph_destroy (g2);
    }
    g_rand_free (r);
}

/* std::sort's result, n=40 distinct=3 less: input key (i*7+3) mod distinct */
static const uint32_t sorted_40_less[] = {
    0, 21, 18, 24, 15, 27, 12, 30, 9, 33, 6, 36, 3, 39, 31, 34, 28, 37, 25, 22, 1, 19, 16, 4,
    13, 7, 10, 2, 20, 38, 5, 35, 8, 32, 11, 29, 14, 26, 17, 23
};

/* std::sort's result, n=100 distinct=5 greater: input key (i*7+3) mod distinct */
static const uint32_t sorted_100_greater[] = {
    73, 23, 43, 78, 88, 18, 48, 38, 93, 13, 53, 58, 8, 28, 83, 63, 98, 3, 68, 33, 50, 35, 80,
    40, 45, 75, 0, 55, 70, 60, 65, 15, 30, 85, 5, 10, 25, 90, 95, 20, 7, 52, 12, 72, 57, 92,
    97, 62, 2, 67, 32, 17, 47, 77, 27, 42, 82, 22, 87, 37, 79, 99, 69, 84, 89, 94, 74, 64, 4,
    9, 14, 19, 24, 29, 34, 39, 44, 49, 54, 59, 56, 1, 66, 6, 96, 61, 11, 16, 91, 71, 21, 46,
    26, 86, 31, 51, 36, 81, 41, 76
};

/* std::sort's result, n=257 distinct=7 less: input key (i*7+3) mod distinct */
static const uint32_t sorted_257_less[] = {
    168, 176, 175, 174, 173, 172, 171, 170, 169, 177, 167, 166, 165, 164, 163, 162, 161, 160,
    178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 144, 129, 130,
    131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 193, 145, 146, 147, 148,
    149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 241, 226, 227, 228, 229, 230, 231,
    232, 233, 234, 235, 236, 237, 238, 239, 240, 225, 242, 243, 244, 245, 246, 247, 248, 249,
    250, 251, 252, 253, 254, 255, 256, 209, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203,
    204, 205, 206, 207, 208, 128, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221,
    222, 223, 224, 48, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 32, 49, 50,
    51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 64, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 112, 97,
    98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 96, 113, 114, 115,
    116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 80, 65, 66, 67, 68, 69, 70,
    71, 72, 73, 74, 75, 76, 77, 78, 79, 0, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93,
    94, 95
};

static void check_stdsort (size_t n, int distinct, bool greater, const uint32_t *want)
{
    struct flurm_sort_item *items = g_new (struct flurm_sort_item, n);
    for (size_t i = 0; i < n; i++)
        items[i] = (struct flurm_sort_item){(int64_t)((i * 7 + 3) % (size_t)distinct),
                                            (uint32_t)i, 0};
    flurm_stdsort (items, n, greater);
    for (size_t i = 0; i < n; i++)
        if (items[i].idx != want[i])
            fail_msg ("n=%zu: position %zu holds %u, std::sort puts %u there", n, i,
                      items[i].idx, want[i]);
    /* the prefix variant agrees on every prefix */
    for (size_t k = 1; k <= n; k += 7) {
        for (size_t i = 0; i < n; i++)
            items[i] = (struct flurm_sort_item){(int64_t)((i * 7 + 3) % (size_t)distinct),
                                                (uint32_t)i, 0};
        flurm_stdsort_prefix (items, n, k, greater);
        for (size_t i = 0; i < k; i++)
            assert_int_equal (items[i].idx, want[i]);
    }
    g_free (items);
}

/* Ties are ordered exactly as GNU libstdc++'s std::sort orders them (the
 * expected orders were produced by std::sort itself): that is what makes
 * low, variation and locality give Fluxion's allocations. */
static void test_stdsort_ties (void **state)
{
    (void)state;
    check_stdsort (40, 3, false, sorted_40_less);
    check_stdsort (100, 5, true, sorted_100_greater);
    check_stdsort (257, 7, false, sorted_257_less);

    uint32_t v[300];
    GRand *r = g_rand_new_with_seed (7);
    for (size_t n = 0; n < G_N_ELEMENTS (v); n += 13) {
        for (size_t i = 0; i < n; i++)
            v[i] = g_rand_int_range (r, 0, 50);
        flurm_sort_u32 (v, n);
        for (size_t i = 1; i < n; i++)
            assert_true (v[i - 1] <= v[i]);
    }
    g_rand_free (r);
}

/* The matcher's own memory stays small next to the graph's. */
static void test_memory_per_vertex (void **state)
{
    (void)state;
    struct flurm_topo_spec spec = {.nnodes = 426, .prefix = "aris", .sockets = 2,
                                   .cores_per_socket = 10};
    flurm_error_t err;
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    assert_non_null (g);
    struct flurm_matcher *m = matcher (g, "first", false);
    struct flurm_jobspec *js = jobspec_file ("spread10.yaml");
    const struct flurm_alloc *a;
    for (uint64_t id = 1; alloc (m, js, id, &a) == FLURM_MATCH_ALLOCATED; id++)
        ;
    size_t n = flurm_graph_size (g);
    double graph = (double)flurm_graph_memory (g) / (double)n;
    double mine = (double)flurm_matcher_memory (m) / (double)n;
    print_message ("graph %.1f B/vertex, matcher %.1f B/vertex\n", graph, mine);
    assert_true (graph + mine <= 200);
    flurm_jobspec_destroy (js);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_spread_and_colocation),
        cmocka_unit_test (test_first_policy),
        cmocka_unit_test (test_exclusive_node),
        cmocka_unit_test (test_node_exclusive_policy),
        cmocka_unit_test (test_constraints),
        cmocka_unit_test (test_fill_free_reallocate),
        cmocka_unit_test (test_issue_498),
        cmocka_unit_test (test_rv1_output),
        cmocka_unit_test (test_dry_run_apply_unapply),
        cmocka_unit_test (test_policies),
        cmocka_unit_test (test_pack_policy),
        cmocka_unit_test (test_bad_policies),
        cmocka_unit_test (test_bad_requests),
        cmocka_unit_test (test_graph_not_idle),
        cmocka_unit_test (test_fast_paths_agree),
        cmocka_unit_test (test_stdsort_ties),
        cmocka_unit_test (test_memory_per_vertex),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
