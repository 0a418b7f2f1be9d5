/* tests/unit/test_shape.c — allocation shapes: the jobspec each shape
 * builds, the rules it enforces (with messages naming the numbers), and
 * where the matcher then puts the job on an ARIS-like graph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "policies/shape.h"
#include "sim/jgf.h"
#include "sim/jobspec.h"
#include "sim/idset.h"
#include "sim/match.h"
#include "sim/rv1.h"
#include "sim/topo.h"
#include "testutil.h"

static const struct flurm_shape_geometry aris = {.sockets_per_node = 2,
                                                 .cores_per_socket = 10,
                                                 .cores_per_node = 20};

/* The resources of a shape's jobspec as compact JSON. */
static char *resources_of (enum flurm_shape shape, uint64_t n, uint64_t nodes, uint64_t cores)
{
    struct flurm_shape_request req = {.shape = shape, .ntasks = n, .nnodes = nodes,
                                      .cores_per_task = cores, .duration = 60};
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_shape_jobspec (&req, &aris, &err);
    if (!js)
        fail_msg ("%s", err.text);
    json_t *o = flurm_jobspec_to_json (js);
    char *text = json_dumps (json_object_get (o, "resources"), JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *out = g_strdup (text);
    free (text);
    json_decref (o);
    flurm_jobspec_destroy (js);
    return out;
}

static void assert_resources (enum flurm_shape shape, uint64_t n, uint64_t nodes, uint64_t cores,
                              const char *want)
{
    char *got = resources_of (shape, n, nodes, cores);
    if (strcmp (got, want) != 0)
        fail_msg ("%s n=%llu N=%llu c=%llu:\n  got  %s\n  want %s", flurm_shape_name (shape),
                  (unsigned long long)n, (unsigned long long)nodes, (unsigned long long)cores,
                  got, want);
    g_free (got);
}

static void assert_refused (enum flurm_shape shape, uint64_t n, uint64_t nodes, uint64_t cores,
                            const struct flurm_shape_geometry *geo, const char *says)
{
    struct flurm_shape_request req = {.shape = shape, .ntasks = n, .nnodes = nodes,
                                      .cores_per_task = cores};
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_shape_jobspec (&req, geo ? geo : &aris, &err);
    if (js)
        fail_msg ("%s n=%llu N=%llu was accepted", flurm_shape_name (shape),
                  (unsigned long long)n, (unsigned long long)nodes);
    if (!strstr (err.text, says))
        fail_msg ("message '%s' lacks '%s'", err.text, says);
}

#define SLOT(n, c)                                                                           \
    "{\"type\":\"slot\",\"count\":" #n ",\"label\":\"task\",\"with\":[{\"type\":\"core\","   \
    "\"count\":" #c "}]}"

static void test_compact (void **state)
{
    (void)state;
    assert_resources (FLURM_SHAPE_COMPACT, 20, 0, 1, "[" SLOT (20, 1) "]");
    assert_resources (FLURM_SHAPE_COMPACT, 8, 0, 2, "[" SLOT (8, 2) "]");
    assert_resources (FLURM_SHAPE_COMPACT, 40, 2, 1,
                      "[{\"type\":\"node\",\"count\":2,\"with\":[" SLOT (20, 1) "]}]");
}

static void test_spread (void **state)
{
    (void)state;
    /* 10 tasks: half of each socket of one node (5 + 5) */
    assert_resources (FLURM_SHAPE_SPREAD, 10, 0, 1,
                      "[{\"type\":\"socket\",\"count\":2,\"with\":[" SLOT (5, 1) "]}]");
    assert_resources (FLURM_SHAPE_SPREAD, 3, 0, 1,
                      "[{\"type\":\"socket\",\"count\":1,\"with\":[" SLOT (3, 1) "]}]");
    assert_resources (FLURM_SHAPE_SPREAD, 40, 0, 1,
                      "[{\"type\":\"socket\",\"count\":8,\"with\":[" SLOT (5, 1) "]}]");
    /* 2-core tasks: two fit in half a 10-core socket */
    assert_resources (FLURM_SHAPE_SPREAD, 4, 0, 2,
                      "[{\"type\":\"socket\",\"count\":2,\"with\":[" SLOT (2, 2) "]}]");
    /* 64 tasks, as cg.D.64 ran spread on ARIS: 7 nodes of 5 + 5, 6 slots idle */
    assert_resources (FLURM_SHAPE_SPREAD, 64, 0, 1,
                      "[{\"type\":\"node\",\"count\":7,\"with\":[{\"type\":\"socket\","
                      "\"count\":2,\"with\":[" SLOT (5, 1) "]}]}]");
    assert_resources (FLURM_SHAPE_SPREAD, 20, 2, 1,
                      "[{\"type\":\"node\",\"count\":2,\"with\":[{\"type\":\"socket\",\"count\":"
                      "2,\"with\":[" SLOT (5, 1) "]}]}]");
}

static void test_node_exclusive (void **state)
{
    (void)state;
    assert_resources (FLURM_SHAPE_NODE_EXCLUSIVE, 40, 0, 1,
                      "[{\"type\":\"node\",\"count\":2,\"exclusive\":true,\"with\":[" SLOT (20, 1)
                      "]}]");
    assert_resources (FLURM_SHAPE_NODE_EXCLUSIVE, 30, 0, 1,
                      "[{\"type\":\"node\",\"count\":2,\"exclusive\":true,\"with\":[" SLOT (15, 1)
                      "]}]");
    /* 256 ranks (mg.E.256 compact on ARIS): 13 whole nodes, slots of 20 */
    assert_resources (FLURM_SHAPE_NODE_EXCLUSIVE, 256, 0, 1,
                      "[{\"type\":\"node\",\"count\":13,\"exclusive\":true,\"with\":["
                      SLOT (20, 1) "]}]");
    assert_resources (FLURM_SHAPE_NODE_EXCLUSIVE, 4, 4, 1,
                      "[{\"type\":\"node\",\"count\":4,\"exclusive\":true,\"with\":[" SLOT (1, 1)
                      "]}]");
}

static void test_refusals (void **state)
{
    (void)state;
    const struct flurm_shape_geometry nosock = {.cores_per_node = 20};
    const struct flurm_shape_geometry tiny = {.sockets_per_node = 2, .cores_per_socket = 1,
                                              .cores_per_node = 2};
    assert_refused (FLURM_SHAPE_COMPACT, 0, 0, 1, NULL, "task count must be 1 ..");
    assert_refused (FLURM_SHAPE_COMPACT, 3000000000ull, 0, 1, NULL, "not 3000000000");
    assert_refused (FLURM_SHAPE_COMPACT, 30, 4, 1, NULL, "30 tasks do not split evenly over 4");
    assert_refused (FLURM_SHAPE_COMPACT, 42, 2, 1, NULL, "more than the 20 cores of a node");
    assert_refused (FLURM_SHAPE_COMPACT, 4, 8, 1, NULL, "leave a node without a task");
    assert_refused (FLURM_SHAPE_COMPACT, 4, 0, 21, NULL, "does not fit a node of 20 cores");
    assert_refused (FLURM_SHAPE_SPREAD, 16, 2, 1, NULL,
                    "8 tasks per node do not fill half-sockets of 5");
    assert_refused (FLURM_SHAPE_SPREAD, 30, 1, 1, NULL, "more than the 10 half-socket slots");
    assert_refused (FLURM_SHAPE_SPREAD, 10, 0, 1, &nosock, "the graph has no sockets");
    assert_refused (FLURM_SHAPE_SPREAD, 2, 0, 1, &tiny, "does not fit half of a 1-core socket");
    assert_refused (FLURM_SHAPE_SPREAD, 4, 0, 6, NULL, "does not fit half of a 10-core socket");
    assert_refused (FLURM_SHAPE_NODE_EXCLUSIVE, 25, 2, 1, NULL, "25 tasks do not split evenly");
    assert_refused (FLURM_SHAPE_NODE_EXCLUSIVE, 60, 2, 1, NULL, "30 tasks per node are more");
    assert_refused (FLURM_SHAPE_NODE_EXCLUSIVE, 4, 3000000000ull, 1, NULL, "is too many");

    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = 4,
                                      .duration = -1};
    flurm_error_t err;
    assert_null (flurm_shape_jobspec (&req, &aris, &err));
    assert_non_null (strstr (err.text, "duration"));
}

static void test_names (void **state)
{
    (void)state;
    enum flurm_shape s;
    flurm_error_t err;
    assert_int_equal (flurm_shape_from_name ("spread", &s, &err), 0);
    assert_int_equal (s, FLURM_SHAPE_SPREAD);
    assert_int_equal (flurm_shape_from_name ("node", &s, &err), 0);
    assert_int_equal (s, FLURM_SHAPE_NODE_EXCLUSIVE);
    assert_string_equal (flurm_shape_name (FLURM_SHAPE_COMPACT), "compact");
    assert_int_equal (flurm_shape_from_name ("scatter", &s, &err), -1);
    assert_non_null (strstr (err.text, "unknown allocation shape 'scatter'"));
}

static void test_geometry (void **state)
{
    (void)state;
    struct flurm_shape_geometry geo;
    flurm_error_t err;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    assert_int_equal (geo.sockets_per_node, 2);
    assert_int_equal (geo.cores_per_socket, 10);
    assert_int_equal (geo.cores_per_node, 20);
    flurm_graph_destroy (g);

    g = test_conformance_graph ("aris4-nosock.json");
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    assert_int_equal (geo.sockets_per_node, 0);
    assert_int_equal (geo.cores_per_node, 20);
    flurm_graph_destroy (g);

    /* nodes that differ cannot share one shape: build two generators'
     * worth of nodes into one R and read it back */
    struct flurm_rv1 *r = flurm_rv1_create ();
    struct flurm_rv1_rank *r0 = flurm_rv1_rank_get (r, 0, "big0", &err);
    struct flurm_rv1_rank *r1 = flurm_rv1_rank_get (r, 1, "small1", &err);
    assert_int_equal (flurm_idset_add_range (r0->cores, 0, 19, &err), 0);
    assert_int_equal (flurm_idset_add_range (r1->cores, 0, 7, &err), 0);
    g = flurm_rv1_to_graph (r, 0, "mixed", &err);
    assert_non_null (g);
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), -1);
    assert_non_null (strstr (err.text, "nodes differ"));
    assert_non_null (strstr (err.text, "big0"));
    flurm_graph_destroy (g);
    flurm_rv1_destroy (r);
}

/* The shapes through the matcher, lonode on ARIS nodes: compact fills a
 * node, spread puts 5 + 5 tasks on the two sockets of one node and a
 * second spread job on the other halves, node-exclusive takes whole
 * nodes. */
static void test_shapes_placed (void **state)
{
    (void)state;
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_shape_geometry geo;
    flurm_error_t err;
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    struct flurm_matcher *m = flurm_matcher_create (g, "lonode", NULL, &err);
    assert_non_null (m);
    struct {
        enum flurm_shape shape;
        uint64_t n;
        const char *where;
    } steps[] = {
        {FLURM_SHAPE_SPREAD, 10, "aris0: core[0-4,10-14]"},
        {FLURM_SHAPE_SPREAD, 10, "aris0: core[5-9,15-19]"},
        {FLURM_SHAPE_COMPACT, 20, "aris1: core[0-19]"},
        {FLURM_SHAPE_NODE_EXCLUSIVE, 2, "aris2: core[0-19]"},
        {FLURM_SHAPE_COMPACT, 4, "aris3: core[0-3]"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (steps); i++) {
        struct flurm_shape_request req = {.shape = steps[i].shape, .ntasks = steps[i].n};
        struct flurm_jobspec *js = flurm_shape_jobspec (&req, &geo, &err);
        assert_non_null (js);
        const struct flurm_alloc *a;
        assert_int_equal (flurm_matcher_allocate (m, js, i + 1, FLURM_MATCH_CHECK_SATISFIABLE, &a,
                                                  &err),
                          FLURM_MATCH_ALLOCATED);
        char *s = flurm_alloc_summary (m, a);
        if (strcmp (s, steps[i].where) != 0)
            fail_msg ("step %zu: %s, expected %s", i + 1, s, steps[i].where);
        g_free (s);
        flurm_jobspec_destroy (js);
    }
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

static void test_literal (void **state)
{
    (void)state;
    flurm_error_t err;
    const char *path = test_data ("fluxion-conformance/jobspecs/node1-spread10.yaml");
    struct flurm_jobspec *js = flurm_shape_literal (path, 10, &err);
    assert_non_null (js);
    flurm_jobspec_destroy (js);
    js = flurm_shape_literal (path, 0, &err);
    assert_non_null (js);
    flurm_jobspec_destroy (js);
    assert_null (flurm_shape_literal (path, 12, &err));
    assert_non_null (strstr (err.text, "runs 10 tasks, not 12"));
    assert_non_null (strstr (err.text, "node1-spread10.yaml"));

    /* a total larger than the slots */
    char *dir = g_strdup (test_tmpdir ());
    char *file = g_build_filename (dir, "total.yaml", NULL);
    const char *text = "version: 1\n"
                       "resources: [{type: slot, count: 4, label: task, with: "
                       "[{type: core, count: 1}]}]\n"
                       "tasks: [{command: [app], slot: task, count: {total: 6}}]\n"
                       "attributes: {system: {duration: 0}}\n";
    assert_true (g_file_set_contents (file, text, -1, NULL));
    assert_null (flurm_shape_literal (file, 0, &err));
    assert_non_null (strstr (err.text, "6 tasks are more than the 4 slots"));
    assert_null (flurm_shape_literal (dir, 0, &err));
    g_remove (file);
    g_rmdir (dir);
    g_free (file);
    g_free (dir);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_compact),      cmocka_unit_test (test_spread),
        cmocka_unit_test (test_node_exclusive), cmocka_unit_test (test_refusals),
        cmocka_unit_test (test_names),        cmocka_unit_test (test_geometry),
        cmocka_unit_test (test_shapes_placed), cmocka_unit_test (test_literal),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
