/* tests/unit/test_topo.c — the topology generator against the graphs that
 * Fluxion's conformance runs used. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/graph.h"
#include "sim/jgf.h"
#include "sim/rv1.h"
#include "sim/topo.h"

/* Every field of every vertex, children in order, from the roots down. */
static void compare_vertex (const struct flurm_graph *a, flurm_vid va, const struct flurm_graph *b,
                            flurm_vid vb)
{
    const struct flurm_vertex *x = flurm_graph_vertex (a, va);
    const struct flurm_vertex *y = flurm_graph_vertex (b, vb);
    char bufa[FLURM_NAME_MAX], bufb[FLURM_NAME_MAX], path[1024];
    flurm_graph_path (a, va, path, sizeof (path));
    const char *na = flurm_graph_name (a, va, bufa);
    const char *nb = flurm_graph_name (b, vb, bufb);
    if (strcmp (na, nb) != 0)
        fail_msg ("%s: name %s != %s", path, na, nb);
#define SAME_STR(field)                                                                            \
    do {                                                                                           \
        const char *sa = flurm_graph_atom_str (a, x->field);                                       \
        const char *sb = flurm_graph_atom_str (b, y->field);                                       \
        if (strcmp (sa, sb) != 0)                                                                  \
            fail_msg ("%s: " #field " '%s' != '%s'", path, sa, sb);                                \
    } while (0)
#define SAME_INT(field)                                                                            \
    do {                                                                                           \
        if ((long long)x->field != (long long)y->field)                                            \
            fail_msg ("%s: " #field " %lld != %lld", path, (long long)x->field,                    \
                      (long long)y->field);                                                        \
    } while (0)
    SAME_STR (type);
    SAME_STR (basename);
    SAME_STR (unit);
    SAME_INT (id);
    SAME_INT (uniq_id);
    SAME_INT (rank);
    SAME_INT (size);
    SAME_INT (exclusive);
    SAME_INT (status);
    SAME_INT (nchildren);
    size_t np = flurm_graph_nproperties (a, va);
    if (np != flurm_graph_nproperties (b, vb))
        fail_msg ("%s: %zu properties != %zu", path, np, flurm_graph_nproperties (b, vb));
    for (size_t i = 0; i < np; i++) {
        const char *ka, *vala;
        flurm_graph_property_at (a, va, i, &ka, &vala);
        const char *valb = flurm_graph_property (b, vb, ka);
        if (!valb || strcmp (vala, valb) != 0)
            fail_msg ("%s: property %s='%s' != '%s'", path, ka, vala, valb ? valb : "(absent)");
    }
    for (uint32_t k = 0; k < x->nchildren; k++)
        compare_vertex (a, x->first_child + k, b, y->first_child + k);
}

static void check_same (const struct flurm_topo_spec *spec, const char *file)
{
    flurm_error_t err = {{0}};
    struct flurm_graph *got = flurm_topo_generate (spec, &err);
    if (!got)
        fail_msg ("generate: %s", err.text);
    char rel[256];
    snprintf (rel, sizeof (rel), "fluxion-conformance/graphs/%s", file);
    struct flurm_graph *want = flurm_jgf_load_file (test_data (rel), &err);
    if (!want)
        fail_msg ("%s: %s", file, err.text);
    assert_int_equal (flurm_graph_size (got), flurm_graph_size (want));
    compare_vertex (got, 0, want, 0);
    /* Written out, the two are the same text as well. */
    char *a = test_jgf_text (got), *b = test_jgf_text (want);
    assert_string_equal (a, b);
    free (a);
    free (b);
    flurm_graph_destroy (got);
    flurm_graph_destroy (want);
}

static void test_aris4 (void **state)
{
    struct flurm_topo_spec spec = {
        .hosts = "aris[0-3]",
        .sockets = 2,
        .cores_per_socket = 10,
    };
    check_same (&spec, "aris4.json");
}

static void test_props4 (void **state)
{
    const char *normal[] = {"normal"};
    const char *cosched[] = {"cosched"};
    struct flurm_topo_props props[] = {
        {"aris[0-1]", normal, 1},
        {"aris[2-3]", cosched, 1},
    };
    struct flurm_topo_spec spec = {
        .hosts = "aris[0-3]",
        .sockets = 2,
        .cores_per_socket = 10,
        .props = props,
        .nprops = 2,
    };
    check_same (&spec, "props4.json");
}

static void test_gpu2 (void **state)
{
    struct flurm_topo_spec spec = {
        .hosts = "gnode[0-1]",
        .sockets = 2,
        .cores_per_socket = 4,
        .gpus_per_socket = 1,
    };
    check_same (&spec, "gpu2.json");
}

static void test_nodes_prefix (void **state)
{
    flurm_error_t err = {{0}};
    struct flurm_topo_spec spec = {
        .nnodes = 3,
        .sockets = 1,
        .cores_per_socket = 2,
    };
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    assert_non_null (g);
    assert_int_equal (flurm_graph_size (g), 1 + 3 * 4);
    flurm_vid v = flurm_graph_find_path (g, "/cluster0/node2/socket0/core1");
    assert_int_not_equal (v, FLURM_VID_NONE);
    assert_int_equal (flurm_graph_vertex (g, v)->rank, 2);
    assert_int_equal (flurm_graph_vertex (g, v)->uniq_id, 12);
    flurm_graph_destroy (g);

    /* Prefix, cluster name, host names without a number. */
    spec.prefix = "cn";
    spec.cluster_name = "aris";
    g = flurm_topo_generate (&spec, &err);
    assert_non_null (g);
    assert_int_not_equal (flurm_graph_find_path (g, "/aris/cn1"), FLURM_VID_NONE);
    flurm_graph_destroy (g);

    struct flurm_topo_spec named = {
        .hosts = "login,cn01",
        .sockets = 1,
        .cores_per_socket = 1,
    };
    g = flurm_topo_generate (&named, &err);
    if (!g)
        fail_msg ("%s", err.text);
    v = flurm_graph_node_by_name (g, "login");
    /* no digits: id -1, as Fluxion's readers and R's (names.h) */
    assert_int_equal (flurm_graph_vertex (g, v)->id, -1);
    assert_int_equal (flurm_graph_vertex (g, v)->rank, 0);
    v = flurm_graph_node_by_name (g, "cn01");
    assert_int_equal (flurm_graph_vertex (g, v)->id, 1);
    assert_int_equal (flurm_graph_vertex (g, v)->rank, 1);
    char name[FLURM_NAME_MAX];
    assert_string_equal (flurm_graph_name (g, v, name), "cn01");
    assert_string_equal (flurm_graph_atom_str (g, flurm_graph_vertex (g, v)->basename), "cn");

    /* topo and R name nodes alike: the graph written as R and read back
     * has the same basenames and ids. */
    struct flurm_rv1 *r = flurm_rv1_from_graph (g, false, &err);
    if (!r)
        fail_msg ("%s", err.text);
    struct flurm_graph *back = flurm_rv1_to_graph (r, 1, "R", &err);
    if (!back)
        fail_msg ("%s", err.text);
    for (size_t i = 0; i < flurm_graph_nnodes (g); i++) {
        const struct flurm_vertex *a = flurm_graph_vertex (g, flurm_graph_node_at (g, i));
        const struct flurm_vertex *b = flurm_graph_vertex (back, flurm_graph_node_at (back, i));
        assert_int_equal (a->id, b->id);
        assert_string_equal (flurm_graph_atom_str (g, a->basename),
                             flurm_graph_atom_str (back, b->basename));
    }
    flurm_graph_destroy (back);
    flurm_rv1_destroy (r);
    flurm_graph_destroy (g);

    /* Names R cannot list are refused up front, --prefix included. */
    named.hosts = "a/b";
    assert_null (flurm_topo_generate (&named, &err));
    assert_non_null (strstr (err.text, "contains '/'"));
    spec.hosts = NULL;
    spec.prefix = "n\tx";
    assert_null (flurm_topo_generate (&spec, &err));
    assert_non_null (strstr (err.text, "node name prefix \"n\\tx\""));
    assert_null (strchr (err.text, '\t'));
    spec.prefix = "ok/";
    assert_null (flurm_topo_generate (&spec, &err));
    assert_non_null (strstr (err.text, "contains '/'"));
}

static void expect_error (const struct flurm_topo_spec *spec, const char *what)
{
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_topo_generate (spec, &err);
    if (g)
        fail_msg ("generated, but should fail with '%s'", what);
    if (!strstr (err.text, what))
        fail_msg ("error '%s' lacks '%s'", err.text, what);
}

static void test_limits (void **state)
{
    struct flurm_topo_spec spec = {.nnodes = 4, .sockets = 2, .cores_per_socket = 10};
    spec.nnodes = FLURM_TOPO_MAX_NODES + 1;
    expect_error (&spec, "more than the limit");
    spec.nnodes = 0;
    expect_error (&spec, "at least 1");
    spec.nnodes = 4;
    spec.sockets = 0;
    expect_error (&spec, "sockets per node must be at least 1");
    spec.sockets = 2;
    spec.cores_per_socket = 0;
    expect_error (&spec, "cores per socket must be at least 1");
    spec.cores_per_socket = 40000;
    expect_error (&spec, "per node is more than the limit");
    spec.cores_per_socket = 10;
    spec.gpus_per_socket = UINT32_MAX; /* no overflow in the product */
    expect_error (&spec, "per node is more than the limit");
    spec.gpus_per_socket = 0;
    /* Within both limits, but too many vertices in all. */
    spec.nnodes = FLURM_TOPO_MAX_NODES;
    spec.sockets = 1;
    spec.cores_per_socket = 65535;
    expect_error (&spec, "graph limit");
    /* 300 nodes of 2 x 32768 cores: each node within its limit, the total
     * (19.7 million vertices) refused before anything is allocated. */
    spec.nnodes = 300;
    spec.sockets = 2;
    spec.cores_per_socket = 32768;
    expect_error (&spec, "more than the graph limit of 16777216");
    spec.nnodes = 0;

    struct flurm_topo_spec h = {.hosts = "aris[0-", .sockets = 2, .cores_per_socket = 10};
    expect_error (&h, "hosts:");
    h.hosts = "";
    expect_error (&h, "empty");
    h.hosts = "n[0-2000000]";
    expect_error (&h, "limit");
    h.hosts = "aris[0-3],aris2";
    expect_error (&h, "listed twice");
    h.hosts = "a/b";
    expect_error (&h, "'/'");

    const char *bad_name[] = {"a|b"};
    const char *ok_name[] = {"normal"};
    struct flurm_topo_props p = {"aris[0-1]", bad_name, 1};
    h.hosts = "aris[0-3]";
    h.props = &p;
    h.nprops = 1;
    expect_error (&h, "a|b");
    p.names = ok_name;
    p.hosts = "aris[3-4]";
    expect_error (&h, "aris4");
    p.hosts = "aris[";
    expect_error (&h, "hostlist");
    p.hosts = "aris1";
    p.nnames = 0;
    expect_error (&h, "no property names");
}

/* The same host in two --prop lists collects both, once each. */
static void test_props_merge (void **state)
{
    const char *a[] = {"normal", "fast"};
    const char *b[] = {"fast", "cosched"};
    struct flurm_topo_props props[] = {{"n[0-1]", a, 2}, {"n1", b, 2}};
    struct flurm_topo_spec spec = {
        .hosts = "n[0-2]",
        .sockets = 1,
        .cores_per_socket = 1,
        .props = props,
        .nprops = 2,
    };
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    assert_non_null (g);
    flurm_vid v = flurm_graph_node_by_name (g, "n1");
    assert_int_equal (flurm_graph_nproperties (g, v), 3);
    assert_non_null (flurm_graph_property (g, v, "cosched"));
    v = flurm_graph_node_by_name (g, "n2");
    assert_int_equal (flurm_graph_nproperties (g, v), 0);
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_aris4),  cmocka_unit_test (test_props4),
        cmocka_unit_test (test_gpu2),   cmocka_unit_test (test_nodes_prefix),
        cmocka_unit_test (test_limits), cmocka_unit_test (test_props_merge),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
