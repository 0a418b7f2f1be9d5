/* tests/unit/test_graph.c — the resource graph: layout, lookups, counts,
 * take/release, builder errors, memory. */
#include "testutil.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "sim/graph.h"

/* ---- helpers ------------------------------------------------------------ */

static int64_t add (struct flurm_graph_builder *b, const char *type, const char *basename,
                    const char *name, int64_t id, int64_t uniq, int32_t rank)
{
    struct flurm_vertex_spec s = {
        .type = type,
        .basename = basename,
        .name = name,
        .id = id,
        .uniq_id = uniq,
        .rank = rank,
    };
    flurm_error_t err;
    int64_t i = flurm_graph_builder_add_vertex (b, &s, &err);
    if (i < 0)
        fail_msg ("add_vertex: %s", err.text);
    return i;
}

static void edge (struct flurm_graph_builder *b, int64_t p, int64_t c)
{
    flurm_error_t err;
    if (flurm_graph_builder_add_edge (b, p, c, &err) < 0)
        fail_msg ("add_edge: %s", err.text);
}

static struct flurm_graph *finish (struct flurm_graph_builder *b)
{
    flurm_error_t err;
    struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
    if (!g)
        fail_msg ("finish: %s", err.text);
    return g;
}

/* A regular cluster: nnodes nodes ("node<k>", rank k) of `sockets`
 * sockets of `cores` cores (node-local core ids), vertices added
 * depth-first like a JGF. */
static struct flurm_graph *cluster (int nnodes, int sockets, int cores)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t uniq = 0;
    int64_t root = add (b, "cluster", NULL, NULL, 0, uniq++, -1);
    for (int n = 0; n < nnodes; n++) {
        int64_t nv = add (b, "node", NULL, NULL, n, uniq++, n);
        edge (b, root, nv);
        for (int s = 0; s < sockets; s++) {
            int64_t sv = add (b, "socket", NULL, NULL, s, uniq++, n);
            edge (b, nv, sv);
            for (int c = 0; c < cores; c++) {
                int64_t cv = add (b, "core", NULL, NULL, s * cores + c, uniq++, n);
                edge (b, sv, cv);
            }
        }
    }
    return finish (b);
}

static int tracked (const struct flurm_graph *g, const char *type)
{
    return flurm_graph_tracked_index (g, flurm_graph_atom (g, type));
}

/* free[v][t] == sum over children + self; 0 <= free <= total; total
 * likewise from the types. */
static void check_counts (const struct flurm_graph *g)
{
    size_t n = flurm_graph_size (g), T = flurm_graph_ntracked (g);
    for (flurm_vid v = 0; v < n; v++) {
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        for (size_t t = 0; t < T; t++) {
            uint32_t tot = 0, fr = 0;
            if (x->type == flurm_graph_tracked_type (g, t)) {
                tot = 1;
                fr = flurm_graph_is_taken (g, v) ? 0 : 1;
            }
            for (uint32_t c = 0; c < x->nchildren; c++) {
                tot += flurm_graph_total (g, x->first_child + c, (int)t);
                fr += flurm_graph_free (g, x->first_child + c, (int)t);
            }
            assert_int_equal (flurm_graph_total (g, v, (int)t), tot);
            assert_int_equal (flurm_graph_free (g, v, (int)t), fr);
            assert_true (fr <= tot);
        }
    }
}

static void check_layout (const struct flurm_graph *g)
{
    size_t n = flurm_graph_size (g);
    assert_int_equal (flurm_graph_vertex (g, 0)->parent, FLURM_VID_NONE);
    flurm_vid expect_first = 1;
    for (flurm_vid v = 0; v < n; v++) {
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        if (v > 0)
            assert_true (x->parent < v);
        if (x->nchildren == 0) {
            assert_int_equal (x->first_child, FLURM_VID_NONE);
            continue;
        }
        /* breadth-first: children blocks follow each other in order */
        assert_int_equal (x->first_child, expect_first);
        expect_first += x->nchildren;
        for (uint32_t c = 0; c < x->nchildren; c++)
            assert_int_equal (flurm_graph_vertex (g, x->first_child + c)->parent, v);
    }
    assert_int_equal (expect_first, n);
}

/* ---- tests -------------------------------------------------------------- */

static void test_layout_and_child_order (void **state)
{
    /* Vertices added depth-first, edges in an order that is not the
     * vertex order: children must follow the edge order. */
    struct flurm_graph_builder *b = flurm_graph_builder_new (4);
    int64_t c0 = add (b, "core", NULL, NULL, 0, 10, 0);
    int64_t root = add (b, "cluster", NULL, "tiny", 0, 0, -1);
    int64_t n1 = add (b, "node", "n", NULL, 1, 1, 1);
    int64_t n0 = add (b, "node", "n", NULL, 0, 2, 0);
    int64_t c1 = add (b, "core", NULL, NULL, 1, 11, 0);
    int64_t c2 = add (b, "core", NULL, NULL, 0, 12, 1);
    edge (b, root, n0);
    edge (b, n0, c1); /* c1 before c0 */
    edge (b, root, n1);
    edge (b, n0, c0);
    edge (b, n1, c2);
    struct flurm_graph *g = finish (b);
    assert_int_equal (flurm_graph_size (g), 6);
    check_layout (g);
    char buf[FLURM_NAME_MAX];
    const char *expect[] = {"tiny", "n0", "n1", "core1", "core0", "core0"};
    for (flurm_vid v = 0; v < 6; v++)
        assert_string_equal (flurm_graph_name (g, v, buf), expect[v]);
    /* builder indices map to the final vertices */
    assert_int_equal (flurm_graph_from_builder_index (g, root), 0);
    assert_int_equal (flurm_graph_from_builder_index (g, n0), 1);
    assert_int_equal (flurm_graph_from_builder_index (g, n1), 2);
    assert_int_equal (flurm_graph_from_builder_index (g, c1), 3);
    assert_int_equal (flurm_graph_from_builder_index (g, c0), 4);
    assert_int_equal (flurm_graph_from_builder_index (g, c2), 5);
    assert_int_equal (flurm_graph_from_builder_index (g, 6), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_from_builder_index (g, -1), FLURM_VID_NONE);
    /* fields survive */
    const struct flurm_vertex *x = flurm_graph_vertex (g, 4);
    assert_int_equal (x->uniq_id, 10);
    assert_int_equal (x->rank, 0);
    assert_int_equal (x->size, 1);
    assert_string_equal (flurm_graph_atom_str (g, x->unit), "");
    assert_string_equal (flurm_graph_atom_str (g, x->type), "core");
    assert_string_equal (flurm_graph_atom_str (g, x->basename), "core");
    assert_null (flurm_graph_vertex (g, 6));
    flurm_graph_destroy (g);
}

static void test_names_and_paths (void **state)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    /* explicit names equal to the default are not stored */
    int64_t n = add (b, "node", "aris", "aris12", 12, 1, 0);
    int64_t s = add (b, "socket", NULL, "socket0", 0, 2, 0);
    /* names that differ are */
    int64_t c = add (b, "core", NULL, "core0", 100, 3, 0);
    int64_t h = add (b, "node", "cab", "cab1251", -1, 4, 1);
    edge (b, r, n);
    edge (b, n, s);
    edge (b, s, c);
    edge (b, r, h);
    struct flurm_graph *g = finish (b);
    char buf[FLURM_NAME_MAX], path[256];
    flurm_vid vn = flurm_graph_from_builder_index (g, n);
    flurm_vid vc = flurm_graph_from_builder_index (g, c);
    flurm_vid vh = flurm_graph_from_builder_index (g, h);
    assert_int_equal (flurm_graph_vertex (g, vn)->name, FLURM_NAME_DEFAULT);
    assert_int_equal (flurm_graph_vertex (g, flurm_graph_from_builder_index (g, s))->name,
                      FLURM_NAME_DEFAULT);
    assert_int_not_equal (flurm_graph_vertex (g, vc)->name, FLURM_NAME_DEFAULT);
    assert_string_equal (flurm_graph_name (g, vc, buf), "core0");
    assert_int_equal (flurm_graph_vertex (g, vc)->id, 100);
    assert_string_equal (flurm_graph_name (g, vh, buf), "cab1251");
    assert_int_equal (flurm_graph_path (g, vc, path, sizeof (path)),
                      (int)strlen ("/cluster0/aris12/socket0/core0"));
    assert_string_equal (path, "/cluster0/aris12/socket0/core0");
    assert_int_equal (flurm_graph_path (g, 0, path, sizeof (path)), 9);
    assert_string_equal (path, "/cluster0");
    /* too small a buffer */
    assert_int_equal (flurm_graph_path (g, vc, path, 10), -1);
    assert_int_equal (flurm_graph_path (g, vc, path, 30), -1);
    assert_int_equal (flurm_graph_path (g, vc, path, 31), 30);

    /* find_path: every vertex's path finds it back */
    for (flurm_vid v = 0; v < flurm_graph_size (g); v++) {
        assert_true (flurm_graph_path (g, v, path, sizeof (path)) > 0);
        assert_int_equal (flurm_graph_find_path (g, path), v);
    }
    const char *bad[] = {"",
                         "/",
                         "cluster0",
                         "/cluster1",
                         "/cluster0/",
                         "//cluster0",
                         "/cluster0/aris1",
                         "/cluster0/aris12/core0",
                         "/cluster0/aris12/socket0/core100",
                         "/cluster0/aris12/socket0/core0/x",
                         "/cluster0/cab-1"};
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
        assert_int_equal (flurm_graph_find_path (g, bad[i]), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_find_path (g, NULL), FLURM_VID_NONE);
    flurm_graph_destroy (g);
}

static void test_atoms (void **state)
{
    struct flurm_graph *g = cluster (2, 2, 2);
    flurm_atom core = flurm_graph_atom (g, "core");
    assert_int_not_equal (core, FLURM_ATOM_NONE);
    assert_string_equal (flurm_graph_atom_str (g, core), "core");
    assert_int_equal (
        flurm_graph_vertex (g, flurm_graph_find_path (g, "/cluster0/node1/socket1/core3"))->type,
        core);
    assert_int_equal (flurm_graph_atom (g, "gpu"), FLURM_ATOM_NONE);
    assert_int_equal (flurm_graph_atom (g, "cor"), FLURM_ATOM_NONE);
    assert_null (flurm_graph_atom_str (g, FLURM_ATOM_NONE));
    assert_int_equal (flurm_graph_count_type (g, core), 8);
    assert_int_equal (flurm_graph_count_type (g, flurm_graph_atom (g, "node")), 2);
    assert_int_equal (flurm_graph_count_type (g, FLURM_ATOM_NONE), 0);
    flurm_graph_destroy (g);
}

static void test_properties (void **state)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    const char *k1[] = {"perf_class", "batch"};
    const char *v1[] = {"3", ""};
    const char *k2[] = {"batch", "perf_class"}; /* the same set, reordered */
    const char *v2[] = {"", "3"};
    const char *k3[] = {"perf_class"};
    const char *v3[] = {"1"};
    struct flurm_vertex_spec s = {.type = "node",
                                  .rank = 0,
                                  .id = 0,
                                  .uniq_id = 1,
                                  .nprops = 2,
                                  .prop_keys = k1,
                                  .prop_values = v1};
    int64_t a = flurm_graph_builder_add_vertex (b, &s, NULL);
    s.id = 1, s.uniq_id = 2, s.rank = 1, s.prop_keys = k2, s.prop_values = v2;
    int64_t bb = flurm_graph_builder_add_vertex (b, &s, NULL);
    s.id = 2, s.uniq_id = 3, s.rank = 2, s.nprops = 1, s.prop_keys = k3, s.prop_values = v3;
    int64_t c = flurm_graph_builder_add_vertex (b, &s, NULL);
    assert_true (a >= 0 && bb >= 0 && c >= 0);
    edge (b, r, a);
    edge (b, r, bb);
    edge (b, r, c);
    struct flurm_graph *g = finish (b);
    flurm_vid va = flurm_graph_from_builder_index (g, a);
    flurm_vid vb = flurm_graph_from_builder_index (g, bb);
    flurm_vid vc = flurm_graph_from_builder_index (g, c);
    /* identical sets are stored once */
    assert_int_equal (flurm_graph_vertex (g, va)->props, flurm_graph_vertex (g, vb)->props);
    assert_int_not_equal (flurm_graph_vertex (g, va)->props, flurm_graph_vertex (g, vc)->props);
    assert_int_equal (flurm_graph_vertex (g, 0)->props, 0);
    assert_int_equal (flurm_graph_nproperties (g, 0), 0);
    assert_int_equal (flurm_graph_nproperties (g, va), 2);
    /* sorted by key */
    const char *k, *v;
    flurm_graph_property_at (g, va, 0, &k, &v);
    assert_string_equal (k, "batch");
    assert_string_equal (v, "");
    flurm_graph_property_at (g, va, 1, &k, &v);
    assert_string_equal (k, "perf_class");
    assert_string_equal (v, "3");
    assert_string_equal (flurm_graph_property (g, vb, "perf_class"), "3");
    assert_string_equal (flurm_graph_property (g, vc, "perf_class"), "1");
    assert_null (flurm_graph_property (g, vc, "batch"));
    assert_null (flurm_graph_property (g, 0, "batch"));
    flurm_graph_destroy (g);
}

static void test_node_lookups (void **state)
{
    /* ranks given out of order, one node without a rank */
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t rack = add (b, "rack", NULL, NULL, 0, 1, -1);
    edge (b, r, rack);
    const int ranks[] = {2, 0, -1, 1};
    int64_t nodes[4];
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf (name, sizeof (name), "host%d", 10 + i);
        nodes[i] = add (b, "node", "host", name, 10 + i, 2 + i, ranks[i]);
        edge (b, i < 2 ? r : rack, nodes[i]); /* two under a rack */
    }
    struct flurm_graph *g = finish (b);
    assert_int_equal (flurm_graph_nnodes (g), 4);
    /* rank order, rank -1 last */
    assert_int_equal (flurm_graph_node_at (g, 0), flurm_graph_from_builder_index (g, nodes[1]));
    assert_int_equal (flurm_graph_node_at (g, 1), flurm_graph_from_builder_index (g, nodes[3]));
    assert_int_equal (flurm_graph_node_at (g, 2), flurm_graph_from_builder_index (g, nodes[0]));
    assert_int_equal (flurm_graph_node_at (g, 3), flurm_graph_from_builder_index (g, nodes[2]));
    assert_int_equal (flurm_graph_node_at (g, 4), FLURM_VID_NONE);
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf (name, sizeof (name), "host%d", 10 + i);
        flurm_vid v = flurm_graph_from_builder_index (g, nodes[i]);
        assert_int_equal (flurm_graph_node_by_name (g, name), v);
        if (ranks[i] >= 0)
            assert_int_equal (flurm_graph_node_by_rank (g, ranks[i]), v);
    }
    assert_int_equal (flurm_graph_node_by_rank (g, -1), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_rank (g, 3), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_name (g, "host1"), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_name (g, "rack0"), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_name (g, "cluster0"), FLURM_VID_NONE);
    /* nodes below a rack are found by path too */
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/rack0/host13"),
                      flurm_graph_from_builder_index (g, nodes[3]));
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/host13"), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/host10"),
                      flurm_graph_from_builder_index (g, nodes[0]));
    flurm_graph_destroy (g);

    /* a graph without nodes */
    b = flurm_graph_builder_new (0);
    edge (b, add (b, "cluster", NULL, NULL, 0, 0, -1), add (b, "core", NULL, NULL, 0, 1, -1));
    g = finish (b);
    assert_int_equal (flurm_graph_nnodes (g), 0);
    assert_int_equal (flurm_graph_node_at (g, 0), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_name (g, "core0"), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_node_by_rank (g, 0), FLURM_VID_NONE);
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/core0"), 1);
    flurm_graph_destroy (g);
}

static void test_same_host_name_twice (void **state)
{
    /* node0 under rack0 and under rack1: by_name gives the first, paths
     * still find each. */
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t k0 = add (b, "rack", NULL, NULL, 0, 1, -1);
    int64_t k1 = add (b, "rack", NULL, NULL, 1, 2, -1);
    int64_t a = add (b, "node", NULL, NULL, 0, 3, 0);
    int64_t c = add (b, "node", NULL, NULL, 0, 4, 1);
    edge (b, r, k0);
    edge (b, r, k1);
    edge (b, k0, a);
    edge (b, k1, c);
    struct flurm_graph *g = finish (b);
    flurm_vid va = flurm_graph_from_builder_index (g, a);
    flurm_vid vc = flurm_graph_from_builder_index (g, c);
    assert_int_equal (flurm_graph_node_by_name (g, "node0"), va);
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/rack0/node0"), va);
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/rack1/node0"), vc);
    flurm_graph_destroy (g);
}

static void test_tracked_types (void **state)
{
    struct flurm_graph *g = cluster (3, 2, 4);
    /* node, socket, core first; then the others (cluster) by frequency */
    assert_int_equal (flurm_graph_ntracked (g), 4);
    assert_int_equal (tracked (g, "node"), 0);
    assert_int_equal (tracked (g, "socket"), 1);
    assert_int_equal (tracked (g, "core"), 2);
    assert_int_equal (tracked (g, "cluster"), 3);
    assert_int_equal (tracked (g, "gpu"), -1);
    assert_int_equal (flurm_graph_tracked_index (g, FLURM_ATOM_NONE), -1);
    assert_int_equal (flurm_graph_tracked_type (g, 9), FLURM_ATOM_NONE);
    assert_int_equal (flurm_graph_total (g, 0, tracked (g, "core")), 24);
    assert_int_equal (flurm_graph_total (g, 0, tracked (g, "node")), 3);
    check_counts (g);
    flurm_graph_destroy (g);

    /* ten types: memory and gpu come before more frequent others, and
     * only eight are tracked, the rarest dropped */
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t root = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t uniq = 1;
    const char *types[] = {"aaa", "bbb", "ccc", "ddd", "eee", "gpu", "memory", "core"};
    const int counts[] = {9, 8, 7, 6, 5, 1, 1, 2};
    for (size_t t = 0; t < G_N_ELEMENTS (types); t++)
        for (int k = 0; k < counts[t]; k++)
            edge (b, root, add (b, types[t], NULL, NULL, k, uniq++, -1));
    g = finish (b);
    assert_int_equal (flurm_graph_ntracked (g), 8);
    assert_int_equal (tracked (g, "core"), 0);
    assert_int_equal (tracked (g, "gpu"), 1);
    assert_int_equal (tracked (g, "memory"), 2);
    assert_int_equal (tracked (g, "aaa"), 3);
    assert_int_equal (tracked (g, "bbb"), 4);
    assert_int_equal (tracked (g, "ccc"), 5);
    assert_int_equal (tracked (g, "ddd"), 6);
    assert_int_equal (tracked (g, "eee"), 7);
    assert_int_equal (tracked (g, "cluster"), -1);
    check_counts (g);
    flurm_graph_destroy (g);
}

static void test_take_release (void **state)
{
    struct flurm_graph *g = cluster (2, 2, 3);
    int core = tracked (g, "core"), node = tracked (g, "node");
    flurm_vid c = flurm_graph_find_path (g, "/cluster0/node1/socket1/core4");
    flurm_vid s = flurm_graph_find_path (g, "/cluster0/node1/socket1");
    flurm_vid n = flurm_graph_find_path (g, "/cluster0/node1");
    assert_false (flurm_graph_is_taken (g, c));
    flurm_graph_take (g, c);
    assert_true (flurm_graph_is_taken (g, c));
    assert_int_equal (flurm_graph_free (g, c, core), 0);
    assert_int_equal (flurm_graph_free (g, s, core), 2);
    assert_int_equal (flurm_graph_free (g, n, core), 5);
    assert_int_equal (flurm_graph_free (g, 0, core), 11);
    assert_int_equal (flurm_graph_total (g, 0, core), 12);
    assert_int_equal (flurm_graph_free (g, 0, node), 2);
    check_counts (g);
    /* taking the node itself changes only node counts */
    flurm_graph_take (g, n);
    assert_int_equal (flurm_graph_free (g, 0, node), 1);
    assert_int_equal (flurm_graph_free (g, 0, core), 11);
    check_counts (g);
    flurm_graph_release (g, c);
    flurm_graph_release (g, n);
    assert_false (flurm_graph_is_taken (g, c));
    assert_int_equal (flurm_graph_free (g, 0, core), 12);
    check_counts (g);

    /* take every vertex in a random order, then release them */
    GRand *rnd = g_rand_new_with_seed (42);
    size_t nv = flurm_graph_size (g);
    flurm_vid *order = g_new (flurm_vid, nv);
    for (flurm_vid v = 0; v < nv; v++)
        order[v] = v;
    for (size_t i = nv; i > 1; i--) {
        size_t j = (size_t)g_rand_int_range (rnd, 0, (gint32)i);
        flurm_vid t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < nv; i++) {
        flurm_graph_take (g, order[i]);
        if (i % 5 == 0)
            check_counts (g);
    }
    for (size_t t = 0; t < flurm_graph_ntracked (g); t++)
        assert_int_equal (flurm_graph_free (g, 0, (int)t), 0);
    for (size_t i = 0; i < nv; i++)
        flurm_graph_release (g, order[nv - 1 - i]);
    check_counts (g);
    assert_int_equal (flurm_graph_free (g, 0, core), 12);
    g_free (order);
    g_rand_free (rnd);
    flurm_graph_destroy (g);
}

/* Run fn in a child; returns the signal it died of, or 0 for a normal
 * exit. */
static int in_child (void (*fn) (void))
{
    fflush (NULL);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        /* keep the abort message out of the test output */
        if (!freopen ("/dev/null", "w", stderr)) {
        }
        fn ();
        _exit (0);
    }
    int status;
    assert_int_equal (waitpid (pid, &status, 0), pid);
    return WIFSIGNALED (status) ? WTERMSIG (status) : 0;
}

static void double_take (void)
{
    struct flurm_graph *g = cluster (1, 1, 2);
    flurm_graph_take (g, 3);
    flurm_graph_take (g, 3);
    /* with NDEBUG: ignored, the counts stay right */
    if (flurm_graph_free (g, 0, tracked (g, "core")) != 1)
        _exit (3);
    flurm_graph_destroy (g);
}

static void double_release (void)
{
    struct flurm_graph *g = cluster (1, 1, 2);
    flurm_graph_release (g, 3);
    if (flurm_graph_free (g, 0, tracked (g, "core")) != 2)
        _exit (3);
    flurm_graph_destroy (g);
}

static void test_double_take_release (void **state)
{
#ifdef NDEBUG
    /* release builds: a no-op that keeps the counts right */
    assert_int_equal (in_child (double_take), 0);
    assert_int_equal (in_child (double_release), 0);
#else
    /* debug builds: abort */
    assert_int_equal (in_child (double_take), SIGABRT);
    assert_int_equal (in_child (double_release), SIGABRT);
#endif
}

static void expect_add_error (const struct flurm_vertex_spec *s, const char *what)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    flurm_error_t err;
    assert_int_equal (flurm_graph_builder_add_vertex (b, s, &err), -1);
    if (!strstr (err.text, what))
        fail_msg ("expected \"%s\" in \"%s\"", what, err.text);
    flurm_graph_builder_destroy (b);
}

static void test_vertex_errors (void **state)
{
    char longname[FLURM_NAME_MAX + 1];
    memset (longname, 'x', FLURM_NAME_MAX);
    longname[FLURM_NAME_MAX] = '\0';
    struct flurm_vertex_spec s = {.type = NULL};
    expect_add_error (&s, "without a type");
    s.type = "";
    expect_add_error (&s, "without a type");
    s = (struct flurm_vertex_spec){.type = "core", .name = longname};
    expect_add_error (&s, "at most 255");
    longname[FLURM_NAME_MAX - 1] = '\0'; /* 255 bytes: fits */
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    assert_int_equal (flurm_graph_builder_add_vertex (b, &s, NULL), 0);
    flurm_graph_builder_destroy (b);
    s = (struct flurm_vertex_spec){.type = "core", .basename = longname};
    expect_add_error (&s, "basename is too long");
    s = (struct flurm_vertex_spec){.type = "core", .name = "a/b"};
    expect_add_error (&s, "contains '/'");
    s = (struct flurm_vertex_spec){.type = "core", .name = ""};
    expect_add_error (&s, "name \"\" is empty");
    s = (struct flurm_vertex_spec){.type = "core", .id = 3, .size = -1};
    expect_add_error (&s, "vertex core3: negative size");
    s = (struct flurm_vertex_spec){.type = "core", .rank = -2};
    expect_add_error (&s, "invalid rank");
    s = (struct flurm_vertex_spec){.type = "core", .status = 7};
    expect_add_error (&s, "invalid status");
    const char *keys[] = {"a", "a"}, *vals[] = {"1", "2"};
    s = (struct flurm_vertex_spec){
        .type = "core", .nprops = 2, .prop_keys = keys, .prop_values = vals};
    expect_add_error (&s, "property \"a\" given twice");
    const char *ekeys[] = {""};
    s.nprops = 1;
    s.prop_keys = ekeys;
    expect_add_error (&s, "empty property name");
    /* size 0 is taken as 1 */
    b = flurm_graph_builder_new (0);
    s = (struct flurm_vertex_spec){.type = "core", .size = 0};
    assert_int_equal (flurm_graph_builder_add_vertex (b, &s, NULL), 0);
    struct flurm_graph *g = finish (b);
    assert_int_equal (flurm_graph_vertex (g, 0)->size, 1);
    flurm_graph_destroy (g);
}

static void test_edge_errors (void **state)
{
    flurm_error_t err;
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t n0 = add (b, "node", NULL, NULL, 0, 1, 0);
    int64_t n1 = add (b, "node", NULL, NULL, 1, 2, 1);
    int64_t c = add (b, "core", NULL, NULL, 0, 3, 0);
    edge (b, r, n0);
    edge (b, r, n1);
    edge (b, n0, c);
    assert_int_equal (flurm_graph_builder_add_edge (b, n1, c, &err), -1);
    assert_string_equal (err.text, "core0 already has a containment parent "
                                   "(node0); a second one (node1) is not allowed");
    assert_int_equal (flurm_graph_builder_add_edge (b, n0, c, &err), -1);
    assert_string_equal (err.text, "edge node0 -> core0 is given twice");
    assert_int_equal (flurm_graph_builder_add_edge (b, c, c, &err), -1);
    assert_string_equal (err.text, "core0 cannot contain itself");
    assert_int_equal (flurm_graph_builder_add_edge (b, r, 9, &err), -1);
    assert_non_null (strstr (err.text, "unknown vertices"));
    assert_int_equal (flurm_graph_builder_add_edge (b, -1, c, &err), -1);
    /* the failed edges changed nothing */
    struct flurm_graph *g = finish (b);
    check_layout (g);
    assert_int_equal (flurm_graph_vertex (g, 2)->nchildren, 0);
    flurm_graph_destroy (g);
}

static void expect_finish_error (struct flurm_graph_builder *b, const char *text)
{
    flurm_error_t err;
    assert_null (flurm_graph_builder_finish (b, &err));
    if (strcmp (err.text, text) != 0)
        fail_msg ("expected \"%s\", got \"%s\"", text, err.text);
}

static void test_finish_errors (void **state)
{
    /* empty */
    expect_finish_error (flurm_graph_builder_new (0), "the graph has no vertices");

    /* two roots */
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t n = add (b, "node", NULL, NULL, 0, 1, 0);
    int64_t o = add (b, "node", NULL, NULL, 7, 2, 1);
    edge (b, r, n);
    (void)o;
    expect_finish_error (b, "two roots: cluster0 and node7 (every vertex but the "
                            "root needs a containment parent)");

    /* a cycle beside the tree */
    b = flurm_graph_builder_new (0);
    r = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t s0 = add (b, "socket", NULL, NULL, 0, 1, 0);
    int64_t s1 = add (b, "socket", NULL, NULL, 1, 2, 0);
    int64_t s2 = add (b, "socket", NULL, NULL, 2, 3, 0);
    edge (b, s0, s1);
    edge (b, s1, s2);
    edge (b, s2, s0);
    expect_finish_error (b, "socket0 is not reachable from the root cluster0: "
                            "containment cycle socket0 -> socket1 -> socket2 -> "
                            "socket0");

    /* only a cycle: no root */
    b = flurm_graph_builder_new (0);
    s0 = add (b, "socket", NULL, NULL, 0, 1, 0);
    s1 = add (b, "socket", NULL, NULL, 1, 2, 0);
    edge (b, s0, s1);
    edge (b, s1, s0);
    expect_finish_error (b, "no root (every vertex has a containment parent): "
                            "containment cycle socket1 -> socket0 -> socket1");

    /* duplicate uniq_id, dense and sparse ids */
    for (int sparse = 0; sparse < 2; sparse++) {
        int64_t base = sparse ? INT64_C (1) << 40 : 0;
        b = flurm_graph_builder_new (0);
        r = add (b, "cluster", NULL, NULL, 0, base, -1);
        n = add (b, "node", NULL, NULL, 0, base + 1000 * sparse + 1, 0);
        int64_t c0 = add (b, "core", NULL, NULL, 0, base + 5, 0);
        int64_t c1 = add (b, "core", NULL, NULL, 1, base + 5, 0);
        edge (b, r, n);
        edge (b, n, c0);
        edge (b, n, c1);
        char text[200];
        snprintf (text, sizeof (text),
                  "uniq_id %" PRId64 " is used twice: /cluster0/node0/core0 and "
                  "/cluster0/node0/core1",
                  base + 5);
        expect_finish_error (b, text);
    }
}

static void test_memory_and_scale (void **state)
{
    /* 2,000 nodes x 2 sockets x 10 cores: the budget is 200 bytes/vertex */
    struct flurm_graph *g = cluster (2000, 2, 10);
    size_t n = flurm_graph_size (g);
    assert_int_equal (n, 1 + 2000 * 23);
    size_t mem = flurm_graph_memory (g);
    assert_true (mem >= n * sizeof (struct flurm_vertex));
    assert_true (mem <= 200 * n);
    print_message ("graph: %zu vertices, %zu bytes (%.1f bytes/vertex)\n", n, mem,
                   (double)mem / (double)n);
    check_layout (g);
    flurm_graph_destroy (g);

    /* 50,000 nodes directly below the root: every path, host name and
     * rank resolves to the right vertex (the lookups go through hash
     * tables rather than scans; their speed is the benchmark's concern) */
    g = cluster (50000, 1, 1);
    char path[128];
    for (int k = 0; k < 50000; k++) {
        int node = (k * 7919) % 50000;
        snprintf (path, sizeof (path), "/cluster0/node%d/socket0/core0", node);
        flurm_vid v = flurm_graph_find_path (g, path);
        assert_int_not_equal (v, FLURM_VID_NONE);
        assert_int_equal (flurm_graph_vertex (g, v)->rank, node);
        snprintf (path, sizeof (path), "node%d", node);
        assert_int_equal (flurm_graph_node_by_name (g, path),
                          flurm_graph_vertex (g, flurm_graph_vertex (g, v)->parent)->parent);
        assert_int_equal (flurm_graph_node_by_rank (g, node),
                          flurm_graph_vertex (g, flurm_graph_vertex (g, v)->parent)->parent);
    }
    assert_true (flurm_graph_memory (g) <= 200 * flurm_graph_size (g));
    flurm_graph_destroy (g);
}

/* A reader may pass a hint taken from its input before validating it: an
 * absurd hint must neither abort nor allocate it, and the builder must
 * still work. */
static void test_huge_hint (void **state)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (SIZE_MAX);
    int64_t root = add (b, "cluster", NULL, NULL, 0, 0, -1);
    int64_t node = add (b, "node", NULL, NULL, 0, 1, 0);
    edge (b, root, node);
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
    if (!g)
        fail_msg ("%s", err.text);
    assert_int_equal (flurm_graph_size (g), 2);
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_layout_and_child_order),
        cmocka_unit_test (test_names_and_paths),
        cmocka_unit_test (test_atoms),
        cmocka_unit_test (test_properties),
        cmocka_unit_test (test_node_lookups),
        cmocka_unit_test (test_same_host_name_twice),
        cmocka_unit_test (test_tracked_types),
        cmocka_unit_test (test_take_release),
        cmocka_unit_test (test_double_take_release),
        cmocka_unit_test (test_vertex_errors),
        cmocka_unit_test (test_edge_errors),
        cmocka_unit_test (test_finish_errors),
        cmocka_unit_test (test_memory_and_scale),
        cmocka_unit_test (test_huge_hint),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
