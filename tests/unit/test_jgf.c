/* tests/unit/test_jgf.c — JGF: Fluxion's graphs, every error class, the
 * writer and round trips, and the speed and memory of a 230k-vertex load. */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "sim/graph.h"
#include "sim/jgf.h"

/* ---- helpers ------------------------------------------------------------ */

static struct flurm_graph *load (const char *path)
{
    flurm_error_t err;
    struct flurm_graph *g = flurm_jgf_load_file (path, &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
}

/* The two graphs are the same vertex by vertex: layout, every field,
 * names, properties. */
static void assert_graphs_equal (const struct flurm_graph *a, const struct flurm_graph *b)
{
    assert_int_equal (flurm_graph_size (a), flurm_graph_size (b));
    char n1[FLURM_NAME_MAX], n2[FLURM_NAME_MAX];
    for (flurm_vid v = 0; v < flurm_graph_size (a); v++) {
        const struct flurm_vertex *x = flurm_graph_vertex (a, v);
        const struct flurm_vertex *y = flurm_graph_vertex (b, v);
        assert_int_equal (x->parent, y->parent);
        assert_int_equal (x->first_child, y->first_child);
        assert_int_equal (x->nchildren, y->nchildren);
        assert_int_equal (x->id, y->id);
        assert_int_equal (x->uniq_id, y->uniq_id);
        assert_int_equal (x->size, y->size);
        assert_int_equal (x->rank, y->rank);
        assert_int_equal (x->exclusive, y->exclusive);
        assert_int_equal (x->status, y->status);
        assert_string_equal (flurm_graph_atom_str (a, x->type), flurm_graph_atom_str (b, y->type));
        assert_string_equal (flurm_graph_atom_str (a, x->basename),
                             flurm_graph_atom_str (b, y->basename));
        assert_string_equal (flurm_graph_atom_str (a, x->unit), flurm_graph_atom_str (b, y->unit));
        assert_string_equal (flurm_graph_name (a, v, n1), flurm_graph_name (b, v, n2));
        assert_int_equal (x->name == FLURM_NAME_DEFAULT, y->name == FLURM_NAME_DEFAULT);
        size_t np = flurm_graph_nproperties (a, v);
        assert_int_equal (np, flurm_graph_nproperties (b, v));
        for (size_t i = 0; i < np; i++) {
            const char *k1, *v1, *k2, *v2;
            flurm_graph_property_at (a, v, i, &k1, &v1);
            flurm_graph_property_at (b, v, i, &k2, &v2);
            assert_string_equal (k1, k2);
            assert_string_equal (v1, v2);
        }
    }
    assert_int_equal (flurm_graph_nnodes (a), flurm_graph_nnodes (b));
    for (size_t i = 0; i < flurm_graph_nnodes (a); i++)
        assert_int_equal (flurm_graph_node_at (a, i), flurm_graph_node_at (b, i));
    assert_int_equal (flurm_graph_ntracked (a), flurm_graph_ntracked (b));
}

/* Write g to a temporary file; returns its g_malloc'ed path. */
static char *write_tmp (const struct flurm_graph *g)
{
    char *path = g_strdup_printf ("%s/g.json", test_tmpdir ());
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    flurm_error_t err;
    if (flurm_jgf_write (g, f, &err) < 0)
        fail_msg ("%s", err.text);
    assert_int_equal (fclose (f), 0);
    return path;
}

static void remove_tmp (char *path)
{
    char *dir = g_path_get_dirname (path);
    unlink (path);
    rmdir (dir);
    g_free (dir);
    g_free (path);
}

/* Write, reload, compare; also load_buffer and load_json agree. */
static void check_round_trip (const struct flurm_graph *g)
{
    char *path = write_tmp (g);
    struct flurm_graph *again = load (path);
    assert_graphs_equal (g, again);
    /* writing is deterministic: the reloaded graph writes the same bytes */
    char *path2 = write_tmp (again);
    size_t l1, l2;
    char *t1 = test_slurp (path, &l1), *t2 = test_slurp (path2, &l2);
    assert_int_equal (l1, l2);
    assert_memory_equal (t1, t2, l1);
    /* one vertex or edge per line: n + (n - 1) + 5 lines */
    size_t lines = 0;
    for (size_t i = 0; i < l1; i++)
        lines += t1[i] == '\n';
    assert_int_equal (lines, 2 * flurm_graph_size (g) + 4);
    /* flurm_jgf_to_json is the same content */
    json_error_t jerr;
    json_t *parsed = json_loadb (t1, l1, 0, &jerr);
    assert_non_null (parsed);
    json_t *built = flurm_jgf_to_json (g);
    assert_true (json_equal (parsed, built));
    /* and so is loading it as a parsed object */
    flurm_error_t err;
    struct flurm_graph *fromjson = flurm_jgf_load_json (built, "built", &err);
    if (!fromjson)
        fail_msg ("%s", err.text);
    assert_graphs_equal (g, fromjson);
    flurm_graph_destroy (fromjson);
    json_decref (parsed);
    json_decref (built);
    g_free (t1);
    g_free (t2);
    flurm_graph_destroy (again);
    remove_tmp (path);
    remove_tmp (path2);
}

/* load_file, load_buffer and load_json give the same graph. */
static void check_front_ends_agree (const char *path, const struct flurm_graph *g)
{
    size_t len;
    char *text = test_slurp (path, &len);
    flurm_error_t err;
    struct flurm_graph *b = flurm_jgf_load_buffer (text, len, path, &err);
    if (!b)
        fail_msg ("%s", err.text);
    assert_graphs_equal (g, b);
    flurm_graph_destroy (b);
    json_error_t jerr;
    json_t *j = json_loadb (text, len, 0, &jerr);
    assert_non_null (j);
    struct flurm_graph *c = flurm_jgf_load_json (j, path, &err);
    if (!c)
        fail_msg ("%s", err.text);
    assert_graphs_equal (g, c);
    flurm_graph_destroy (c);
    json_decref (j);
    g_free (text);
}

/* ---- Fluxion's graphs ---------------------------------------------------- */

static const struct {
    const char *file;
    size_t vertices, nodes, cores;
} conformance[] = {
    {"aris4.json", 93, 4, 80}, {"aris4-nosock.json", 85, 4, 80}, {"gpu2.json", 27, 2, 16},
    {"perf4.json", 93, 4, 80}, {"perf4-nosock.json", 85, 4, 80}, {"props4.json", 93, 4, 80},
};

static void test_conformance_graphs (void **state)
{
    for (size_t i = 0; i < G_N_ELEMENTS (conformance); i++) {
        char rel[256];
        snprintf (rel, sizeof (rel), "fluxion-conformance/graphs/%s", conformance[i].file);
        char *path = g_strdup (test_data (rel));
        struct flurm_graph *g = load (path);
        assert_int_equal (flurm_graph_size (g), conformance[i].vertices);
        assert_int_equal (flurm_graph_nnodes (g), conformance[i].nodes);
        assert_int_equal (flurm_graph_count_type (g, flurm_graph_atom (g, "core")),
                          conformance[i].cores);
        assert_true (flurm_graph_memory (g) <= 200 * flurm_graph_size (g) + 4096);
        check_front_ends_agree (path, g);
        check_round_trip (g);
        flurm_graph_destroy (g);
        g_free (path);
    }
}

static void test_conformance_details (void **state)
{
    struct flurm_graph *g = load (test_data ("fluxion-conformance/graphs/perf4.json"));
    char buf[FLURM_NAME_MAX];
    /* nodes by rank and host name, vertex fields as in the file */
    flurm_vid n2 = flurm_graph_node_by_rank (g, 2);
    assert_int_equal (n2, flurm_graph_node_by_name (g, "aris2"));
    assert_int_equal (n2, flurm_graph_find_path (g, "/cluster0/aris2"));
    assert_string_equal (flurm_graph_property (g, n2, "perf_class"), "2");
    flurm_vid c = flurm_graph_find_path (g, "/cluster0/aris2/socket1/core19");
    assert_int_not_equal (c, FLURM_VID_NONE);
    const struct flurm_vertex *x = flurm_graph_vertex (g, c);
    assert_int_equal (x->id, 19);
    assert_int_equal (x->rank, 2);
    assert_string_equal (flurm_graph_name (g, c, buf), "core19");
    assert_int_equal (flurm_graph_vertex (g, flurm_graph_vertex (g, c)->parent)->parent, n2);
    /* children in the order of the edges (= ids here) */
    const struct flurm_vertex *s = flurm_graph_vertex (g, x->parent);
    for (uint32_t k = 0; k < s->nchildren; k++)
        assert_int_equal (flurm_graph_vertex (g, s->first_child + k)->id, 10 + k);
    /* tracked counts */
    int core = flurm_graph_tracked_index (g, flurm_graph_atom (g, "core"));
    assert_true (core >= 0);
    assert_int_equal (flurm_graph_total (g, 0, core), 80);
    assert_int_equal (flurm_graph_free (g, n2, core), 20);
    flurm_graph_destroy (g);
}

static void test_aris4_written_equals_original (void **state)
{
    /* Normalisation: the writer adds the old edge metadata
     * ("name": {"containment": "contains"}); without it, the output is the
     * original file as JSON. */
    const char *path = test_data ("fluxion-conformance/graphs/aris4.json");
    struct flurm_graph *g = load (path);
    json_error_t jerr;
    json_t *orig = json_load_file (path, 0, &jerr);
    assert_non_null (orig);
    char *out = write_tmp (g);
    json_t *written = json_load_file (out, 0, &jerr);
    assert_non_null (written);
    json_t *edges = json_object_get (json_object_get (written, "graph"), "edges");
    json_t *old_md = json_pack ("{s:s}", "containment", "contains");
    size_t i;
    json_t *e;
    json_array_foreach (edges, i, e)
    {
        json_t *md = json_object_get (e, "metadata");
        assert_true (json_equal (json_object_get (md, "name"), old_md));
        json_object_del (md, "name");
    }
    json_decref (old_md);
    assert_true (json_equal (orig, written));
    json_decref (orig);
    json_decref (written);
    remove_tmp (out);
    flurm_graph_destroy (g);
}

/* Every file of Fluxion's own test JGFs: loads, or fails for a reason
 * Flurm states. */
static const struct {
    const char *file;
    size_t vertices;   /* 0: must fail */
    const char *error; /* what the message says after "PATH: " */
} fluxion_jgfs[] = {
    {"4node.rank0123.nid0123.mod.json", 166, NULL},
    {"4node.rank0123.nid0123.orig.json", 166, NULL},
    {"4node.rank1230.nid0123.mod.json", 166, NULL},
    {"corona-jgf.json", 8, NULL},
    {"dyn_explore.json", 23, NULL},
    {"hwloc_4core.json", 7, NULL},
    {"issue1260.json", 88, NULL},
    {"rabbit.json", 70, NULL},
    {"tiny.json", 100, NULL},
    {"tiny_storage.json", 86, NULL},
    /* R objects with the JGF under "scheduling" */
    {"issue1284.json", 0,
     "graph: missing: this is an R object (version/execution/scheduling), not "
     "a JGF; its JGF, if any, is under \"scheduling\": load it as an R"},
    {"elastic/add-remove-node-test.json", 0,
     "graph: missing: this is an R object (version/execution/scheduling), not "
     "a JGF; its JGF, if any, is under \"scheduling\": load it as an R"},
    /* partial-cancel inputs: a subgraph with edges in both directions */
    {"elastic/node-1-partial-cancel.json", 0,
     "graph.edges[26].target: vertex \"2\" (/tiny0/rack0/node0) already has a "
     "containment parent, \"4\" (/tiny0/rack0/node0/socket0), from "
     "graph.edges[2]; a second parent \"5\" (/tiny0/rack0/node0/socket1) is "
     "not allowed"},
    {"elastic/node-1-partial-cancel-invalid.json", 0,
     "graph.edges[26].target: vertex \"2\" (/tiny0/rack0/node0) already has a "
     "containment parent, \"4\" (/tiny0/rack0/node0/socket0), from "
     "graph.edges[2]; a second parent \"5\" (/tiny0/rack0/node0/socket1) is "
     "not allowed"},
    {"elastic/node-add-gpu-test.json", 4, NULL},
    {"elastic/node-add-test-random.json", 41, NULL},
    {"elastic/node-add-test.json", 41, NULL},
    {"elastic/node-test.json", 41, NULL},
    {"elastic/node-widget-test.json", 4, NULL},
    {"elastic/tiny-partial-cancel.json", 100, NULL},
};

static void list_json (const char *dir, const char *prefix, GPtrArray *out)
{
    GDir *d = g_dir_open (dir, 0, NULL);
    assert_non_null (d);
    const char *name;
    while ((name = g_dir_read_name (d))) {
        char *full = g_build_filename (dir, name, NULL);
        char *rel = g_strconcat (prefix, name, NULL);
        if (g_file_test (full, G_FILE_TEST_IS_DIR)) {
            char *sub = g_strconcat (rel, "/", NULL);
            list_json (full, sub, out);
            g_free (sub);
        } else if (g_str_has_suffix (name, ".json")) {
            g_ptr_array_add (out, g_strdup (rel));
        }
        g_free (full);
        g_free (rel);
    }
    g_dir_close (d);
}

static void test_fluxion_jgfs (void **state)
{
    char *dir = g_strdup (test_data ("jgf/fluxion-jgfs"));
    GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
    list_json (dir, "", files);
    /* the table covers every file */
    for (size_t f = 0; f < files->len; f++) {
        bool known = false;
        for (size_t i = 0; i < G_N_ELEMENTS (fluxion_jgfs); i++)
            known |= strcmp (files->pdata[f], fluxion_jgfs[i].file) == 0;
        if (!known)
            fail_msg ("%s/%s is not in the test's table", dir, (char *)files->pdata[f]);
    }
    assert_int_equal (files->len, G_N_ELEMENTS (fluxion_jgfs));
    for (size_t i = 0; i < G_N_ELEMENTS (fluxion_jgfs); i++) {
        char *path = g_build_filename (dir, fluxion_jgfs[i].file, NULL);
        flurm_error_t err;
        struct flurm_graph *g = flurm_jgf_load_file (path, &err);
        if (fluxion_jgfs[i].vertices) {
            if (!g)
                fail_msg ("%s", err.text);
            assert_int_equal (flurm_graph_size (g), fluxion_jgfs[i].vertices);
            check_front_ends_agree (path, g);
            check_round_trip (g);
            flurm_graph_destroy (g);
        } else {
            assert_null (g);
            char *expect = g_strdup_printf ("%s: %s", path, fluxion_jgfs[i].error);
            assert_string_equal (err.text, expect);
            g_free (expect);
        }
        g_free (path);
    }
    g_ptr_array_free (files, TRUE);
    g_free (dir);
}

static void test_fluxion_jgf_details (void **state)
{
    char buf[FLURM_NAME_MAX];
    /* defaults: no uniq_id (outer id), no id (uniq_id; for nodes the
     * number in the name), no name (basename+id) */
    struct flurm_graph *g = load (test_data ("jgf/fluxion-jgfs/rabbit.json"));
    flurm_vid n = flurm_graph_node_by_name (g, "hetchy1017");
    assert_int_not_equal (n, FLURM_VID_NONE);
    assert_int_equal (flurm_graph_vertex (g, n)->id, 1017);
    assert_int_equal (flurm_graph_vertex (g, 0)->uniq_id, 0);
    assert_string_equal (flurm_graph_name (g, 0, buf), "hetchy");
    flurm_graph_destroy (g);

    /* a vertex without name whose path says otherwise keeps Fluxion's
     * name, basename+id (id = uniq_id = 2 here) */
    g = load (test_data ("jgf/fluxion-jgfs/dyn_explore.json"));
    flurm_vid ssd = flurm_graph_find_path (g, "/mini/chassis0/ssd2");
    assert_int_not_equal (ssd, FLURM_VID_NONE);
    assert_int_equal (flurm_graph_vertex (g, ssd)->size, 525);
    assert_string_equal (flurm_graph_atom_str (g, flurm_graph_vertex (g, ssd)->unit), "GiB");
    assert_int_equal (flurm_graph_find_path (g, "/mini/chassis0/ssd0"), FLURM_VID_NONE);
    flurm_graph_destroy (g);

    /* status 1: down */
    g = load (test_data ("jgf/fluxion-jgfs/tiny_storage.json"));
    size_t down = 0;
    for (flurm_vid v = 0; v < flurm_graph_size (g); v++)
        down += flurm_graph_vertex (g, v)->status == FLURM_STATUS_DOWN;
    assert_true (down > 0);
    flurm_graph_destroy (g);

    /* an explicit name that differs from basename+id is kept */
    g = load (test_data ("jgf/fluxion-jgfs/4node.rank0123.nid0123.mod.json"));
    flurm_vid c = flurm_graph_find_path (g, "/tiny++0/rack0/node0/socket0/core0");
    assert_int_not_equal (c, FLURM_VID_NONE);
    assert_int_equal (flurm_graph_vertex (g, c)->id, 100);
    assert_string_equal (flurm_graph_name (g, c, buf), "core0");
    flurm_graph_destroy (g);

    /* the live instance's scheduling key */
    g = load (test_data ("flux-outputs/setup.scheduling-jgf.json"));
    assert_int_equal (flurm_graph_size (g), 93);
    assert_int_equal (flurm_graph_nnodes (g), 4);
    assert_int_equal (flurm_graph_node_by_rank (g, 3), flurm_graph_node_by_name (g, "aris3"));
    check_round_trip (g);
    flurm_graph_destroy (g);
}

static void test_power_json (void **state)
{
    const char *path = shared_data_or_skip ("jgf/fluxion/jgfs/power.json");
    char *p = g_strdup (path);
    struct flurm_graph *g = load (p);
    /* 4042 vertices, of which 505 are only in the power subsystem */
    assert_int_equal (flurm_graph_size (g), 3537);
    assert_int_equal (flurm_graph_nnodes (g), 72);
    assert_int_equal (flurm_graph_count_type (g, flurm_graph_atom (g, "core")), 2592);
    assert_int_equal (flurm_graph_count_type (g, flurm_graph_atom (g, "power")), 0);
    check_front_ends_agree (p, g);
    check_round_trip (g);
    flurm_graph_destroy (g);
    g_free (p);
}

/* ---- errors ------------------------------------------------------------- */

static const struct {
    const char *file;
    const char *error; /* after "PATH: " (or "PATH:" for positions) */
} bad[] = {
    {"no-graph.json",
     " graph: missing (a JGF is {\"graph\": {\"nodes\": [...], \"edges\": [...]}})"},
    {"no-nodes.json", " graph.nodes: missing"},
    {"no-edges.json", " graph.edges: missing"},
    {"nodes-not-array.json", " graph.nodes: expected an array, got an object"},
    {"not-an-object.json", " top level: expected an object, got an array"},
    {"vertex-no-id.json", " graph.nodes[1]: missing \"id\""},
    {"vertex-no-metadata.json", " graph.nodes[1]: missing \"metadata\""},
    {"vertex-no-type.json", " graph.nodes[1].metadata: missing \"type\""},
    {"vertex-no-paths.json", " graph.nodes[1].metadata: missing \"paths\""},
    {"duplicate-id.json", " graph.nodes[2].id: \"1\" is also the id of graph.nodes[1]"},
    {"duplicate-uniq-id.json",
     " graph.nodes[2].metadata.uniq_id: 1 is also the uniq_id of graph.nodes[1] "
     "(/cluster0/node0)"},
    {"edge-unknown-target.json", " graph.edges[1].target: \"99\" is not the id of any vertex"},
    {"edge-no-source.json", " graph.edges[1]: missing \"source\""},
    {"two-parents.json",
     " graph.edges[3].target: vertex \"3\" (/cluster0/node0/core1) already has a "
     "containment parent, \"1\" (/cluster0/node0), from graph.edges[2]; a second "
     "parent \"2\" (/cluster0/node0/core0) is not allowed"},
    {"cycle.json", " graph.edges[1]: containment cycle: \"3\" (/cluster0/node0/socket0/socket1) "
                   "-> \"2\" (/cluster0/node0/socket0) -> \"3\""},
    {"path-mismatch.json",
     " graph.nodes[2].metadata.paths.containment: \"/cluster0/node1/core0\" "
     "disagrees with the tree: the vertex is \"core0\" below \"1\" "
     "(/cluster0/node0, graph.edges[1]), so its path is \"/cluster0/node0/core0\""},
    {"second-root.json",
     " graph.nodes[3]: vertex \"3\" (/cluster1) is a second root; graph.nodes[0] "
     "(/cluster0) is already the root, and Flurm models a single containment "
     "tree"},
    {"no-parent.json", " graph.nodes[3]: vertex \"3\" (/cluster0/node0/core1) has no containment "
                       "parent: no containment edge targets it"},
    {"rank-not-integer.json", " graph.nodes[1].metadata.rank: expected an integer, got \"x\""},
    {"exclusive-not-bool.json",
     " graph.nodes[1].metadata.exclusive: expected true or false, got 1"},
    {"negative-size.json", " graph.nodes[2].metadata.size: -4 is not a valid size (must be >= 1)"},
    {"bad-status.json", " graph.nodes[2].metadata.status: 2 is neither 0 (up) nor 1 (down)"},
    {"properties-not-strings.json",
     " graph.nodes[1].metadata.properties.perf_class: expected a string, got 3"},
    {"outer-id-not-number.json",
     " graph.nodes[1]: no metadata.uniq_id, and the outer id \"node-a\" is not a "
     "number that fits 64 bits to take it from"},
    {"outer-id-too-big.json",
     " graph.nodes[2]: no metadata.uniq_id, and the outer id "
     "\"99999999999999999999\" is not a number that fits 64 bits to take it from"},
    {"name-with-slash.json",
     " graph.nodes[2]: vertex core/0: name \"core/0\" contains '/', the path "
     "separator"},
    /* syntax: FILE:LINE:COL */
    {"integer-too-big.json", "5:99: integer above 2^63-1 (too big integer)"},
    {"syntax-error.json", "5:155: expected a string (an object key)"},
    {"truncated.json", "4:70: unterminated string"},
};

static void test_bad_files (void **state)
{
    char *dir = g_strdup (test_data ("jgf-bad"));
    GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
    list_json (dir, "", files);
    assert_int_equal (files->len, G_N_ELEMENTS (bad)); /* all are tested */
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        char *path = g_build_filename (dir, bad[i].file, NULL);
        char *expect = g_strdup_printf ("%s:%s", path, bad[i].error);
        flurm_error_t err;
        assert_null (flurm_jgf_load_file (path, &err));
        if (strcmp (err.text, expect) != 0)
            fail_msg ("%s:\n expected: %s\n got:      %s", bad[i].file, expect, err.text);
        /* the same message from an already-parsed object (one code path) */
        json_error_t jerr;
        json_t *j = json_load_file (path, 0, &jerr);
        if (j) {
            assert_null (flurm_jgf_load_json (j, path, &err));
            assert_string_equal (err.text, expect);
            json_decref (j);
        } else {
            assert_true (bad[i].error[0] != ' '); /* a syntax case */
        }
        g_free (expect);
        g_free (path);
    }
    g_ptr_array_free (files, TRUE);
    g_free (dir);
}

static void expect_buffer_error (const char *text, const char *error)
{
    flurm_error_t err;
    assert_null (flurm_jgf_load_buffer (text, strlen (text), "t.json", &err));
    char *expect = g_strdup_printf ("t.json:%s", error);
    if (strcmp (err.text, expect) != 0)
        fail_msg ("expected: %s\n got:      %s", expect, err.text);
    g_free (expect);
}

static void test_more_errors (void **state)
{
    expect_buffer_error ("", "1:1: empty input: expected a JGF object");
    expect_buffer_error ("  \n", "2:1: empty input: expected a JGF object");
    expect_buffer_error ("{\"graph\": {\"nodes\": [], \"edges\": []}} x",
                         "1:39: end of file expected after the JSON object");
    expect_buffer_error ("{\"graph\": {\"nodes\": [], \"edges\": []}}",
                         " graph.nodes: no vertices");
    expect_buffer_error ("{\"graph\": 3}", " graph: expected an object, got 3");
    expect_buffer_error ("{\"graph\": {\"nodes\": [], \"edges\": 1.5}}",
                         " graph.edges: expected an array, got 1.5");
    expect_buffer_error ("{\"graph\": {\"edges\": {}, \"nodes\": []}}",
                         " graph.edges: expected an array, got an object");
    expect_buffer_error ("{\"graph\": {\"nodes\": [], \"nodes\": [], \"edges\": []}}",
                         "1:25: graph.nodes given twice");
    expect_buffer_error ("{\"graph\": {\"nodes\": [3], \"edges\": []}}",
                         " graph.nodes[0]: expected an object, got 3");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": 0}], \"edges\": []}}",
                         " graph.nodes[0].id: expected a string, got 0");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"paths\": {\"x\": 1}}}], \"edges\": []}}",
                         " graph.nodes[0].metadata.paths.x: expected a string, got 1");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"paths\": {\"containment\": \"a\"}}}], "
                         "\"edges\": []}}",
                         " graph.nodes[0].metadata.paths.containment: \"a\" does "
                         "not start with '/'");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"paths\": {\"power\": \"/a\"}}}], "
                         "\"edges\": []}}",
                         " graph.nodes: no vertex has a containment path "
                         "(metadata.paths.containment)");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"rank\": 1.0, \"paths\": "
                         "{\"containment\": \"/a0\"}}}], \"edges\": []}}",
                         " graph.nodes[0].metadata.rank: expected an integer, got 1");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"rank\": -2, \"paths\": "
                         "{\"containment\": \"/a0\"}}}], \"edges\": []}}",
                         " graph.nodes[0].metadata.rank: -2 is not a broker rank "
                         "(-1 .. 2147483646)");
    /* the ranks R can hold, no more: every graph read can be written as R */
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"rank\": 2147483647, \"paths\": "
                         "{\"containment\": \"/a0\"}}}], \"edges\": []}}",
                         " graph.nodes[0].metadata.rank: 2147483647 is not a broker rank "
                         "(-1 .. 2147483646)");
    /* a self-loop is named as such, even on a vertex that has a parent */
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"paths\": {\"containment\": \"/a0\"}}}, "
                         "{\"id\": \"1\", \"metadata\": {\"type\": \"b\", \"paths\": "
                         "{\"containment\": \"/a0/b1\"}}}], \"edges\": [{\"source\": \"0\", "
                         "\"target\": \"1\"}, {\"source\": \"1\", \"target\": \"1\"}]}}",
                         " graph.edges[1]: vertex \"1\" (graph.nodes[1]) cannot contain itself");
    /* a bracket closed by the wrong kind, in the part read without
     * building it */
    expect_buffer_error ("{\"graph\": {\"edges\": [{\"source\": \"0\"]],\n"
                         " \"nodes\": []}}",
                         "1:36: ']' where '}' closes the open bracket");
    /* an input quoted in a message stays one line */
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"paths\": {\"containment\": \"a\\nb\"}}}], "
                         "\"edges\": []}}",
                         " graph.nodes[0].metadata.paths.containment: \"a\\nb\" does not "
                         "start with '/'");
    /* a root path that is not its name */
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"0\", \"metadata\": "
                         "{\"type\": \"a\", \"name\": \"b\", \"paths\": "
                         "{\"containment\": \"/a0\"}}}], \"edges\": []}}",
                         " graph.nodes[0].metadata.paths.containment: \"/a0\" "
                         "disagrees with the tree: the root is named \"b\", so "
                         "its path is \"/b\"");
    /* JSON syntax inside an element, on a later line */
    expect_buffer_error ("{\"graph\": {\"nodes\": [\n{\"id\": \"0\",\n \"metadata\": "
                         "tru}], \"edges\": []}}",
                         "3:14: invalid token");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"\\q\"}]}}",
                         "1:30: invalid escape in a string");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"\\u0000\"}]}}",
                         "1:30: \\u0000 is not allowed in a string");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": \"\xff\"}]}}",
                         "1:30: invalid UTF-8 in a string");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": -01}]}}", "1:31: expected ',' or '}'");
    expect_buffer_error ("{\"graph\": {\"nodes\": [{\"id\": 1e999}]}}",
                         "1:29: real number overflow");
    expect_buffer_error ("{\"graph\": {\"nodes\": [], \"edges\": [}", "1:35: invalid token");
    expect_buffer_error ("{\"graph\": {\"edges\": [{\"x\": \"]\"}, ", "1:21: unterminated array");
    /* the missing file */
    flurm_error_t err;
    assert_null (flurm_jgf_load_file ("/nonexistent/g.json", &err));
    assert_non_null (strstr (err.text, "/nonexistent/g.json"));
}

/* ---- reading variants ---------------------------------------------------- */

static const char *variants =
    "{\"directed\": true, \"graph\": {\"directed\": true,\n"
    /* edges before nodes, other subsystems, old and new edge metadata */
    "\"edges\": [\n"
    "{\"source\": \"p\", \"target\": \"0\", \"metadata\": {\"subsystem\": \"power\"}},\n"
    "{\"source\": \"0\", \"target\": \"7\", \"metadata\": {\"name\": {\"containment\": "
    "\"contains\"}}},\n"
    "{\"source\": \"p\", \"target\": \"7\", \"metadata\": {\"name\": {\"power\": "
    "\"supplies-to\"}}},\n"
    "{\"source\": \"7\", \"target\": \"9\"},\n"
    "{\"source\": \"7\", \"target\": \"8\", \"metadata\": null}\n"
    "],\n"
    "\"nodes\": [\n"
    "{\"id\": \"p\", \"metadata\": {\"type\": \"pdu\", \"paths\": {\"power\": \"/pdu0\"}}},\n"
    "{\"id\": \"0\", \"metadata\": {\"type\": \"cluster\", \"name\": \"c\", \"paths\": "
    "{\"containment\": \"/c\", \"power\": \"/pdu0/c\"}}},\n"
    "{\"id\": \"7\", \"metadata\": {\"type\": \"node\", \"name\": \"host17\", \"rank\": 3, "
    "\"status\": 1, \"exclusive\": true, \"properties\": {\"b\": \"z\", \"a\": \"y\", \"b\": "
    "\"x\"}, \"paths\": {\"containment\": \"/c/host17\"}}},\n"
    "{\"id\": \"8\", \"metadata\": {\"type\": \"memory\", \"uniq_id\": 80, \"size\": 64, \"unit\": "
    "\"GB\", \"paths\": {\"containment\": \"/c/host17/memory80\"}}},\n"
    "{\"id\": \"9\", \"metadata\": {\"type\": \"core\", \"basename\": \"cpu\", \"id\": 4, "
    "\"properties\": null, \"unknown\": [1, {\"x\": 2}], \"paths\": {\"containment\": "
    "\"/c/host17/cpu4\"}}}\n"
    "]}, \"other\": {\"a\": [1, 2.5, null, false, \"\\u00e9\\ud83d\\ude00\"]}}\n";

static void test_reading_variants (void **state)
{
    flurm_error_t err;
    struct flurm_graph *g = flurm_jgf_load_buffer (variants, strlen (variants), "v", &err);
    if (!g)
        fail_msg ("%s", err.text);
    json_error_t jerr;
    json_t *j = json_loads (variants, 0, &jerr);
    assert_non_null (j);
    struct flurm_graph *g2 = flurm_jgf_load_json (j, "v", &err);
    if (!g2)
        fail_msg ("%s", err.text);
    assert_graphs_equal (g, g2);
    flurm_graph_destroy (g2);
    json_decref (j);

    char buf[FLURM_NAME_MAX];
    assert_int_equal (flurm_graph_size (g), 4); /* the pdu is not modelled */
    assert_string_equal (flurm_graph_name (g, 0, buf), "c");
    flurm_vid h = flurm_graph_find_path (g, "/c/host17");
    assert_int_equal (h, 1);
    const struct flurm_vertex *x = flurm_graph_vertex (g, h);
    assert_int_equal (x->id, 17);     /* from the name */
    assert_int_equal (x->uniq_id, 7); /* from the outer id */
    assert_int_equal (x->rank, 3);
    assert_int_equal (x->status, FLURM_STATUS_DOWN);
    assert_int_equal (x->exclusive, 1);
    assert_string_equal (flurm_graph_atom_str (g, x->basename), "node");
    assert_string_equal (flurm_graph_property (g, h, "a"), "y");
    assert_string_equal (flurm_graph_property (g, h, "b"), "x");
    /* children in edge order: core (edge 3) before memory (edge 4) */
    assert_int_equal (x->nchildren, 2);
    flurm_vid core = x->first_child, mem = x->first_child + 1;
    assert_string_equal (flurm_graph_name (g, core, buf), "cpu4");
    assert_int_equal (flurm_graph_vertex (g, core)->uniq_id, 9);
    assert_int_equal (flurm_graph_vertex (g, core)->rank, -1);
    assert_int_equal (flurm_graph_vertex (g, core)->size, 1);
    assert_int_equal (flurm_graph_vertex (g, core)->exclusive, 0);
    assert_string_equal (flurm_graph_name (g, mem, buf), "memory80");
    assert_int_equal (flurm_graph_vertex (g, mem)->id, 80);
    assert_int_equal (flurm_graph_vertex (g, mem)->size, 64);
    assert_string_equal (flurm_graph_atom_str (g, flurm_graph_vertex (g, mem)->unit), "GB");
    check_round_trip (g);
    flurm_graph_destroy (g);
}

static void test_written_vertex_fields (void **state)
{
    /* every metadata field is written, so old (<= v0.38) readers accept it */
    struct flurm_graph *g = load (test_data ("fluxion-conformance/graphs/perf4.json"));
    json_t *j = flurm_jgf_to_json (g);
    json_t *nodes = json_object_get (json_object_get (j, "graph"), "nodes");
    json_t *edges = json_object_get (json_object_get (j, "graph"), "edges");
    assert_int_equal (json_array_size (nodes), 93);
    assert_int_equal (json_array_size (edges), 92);
    const char *fields[] = {"type", "basename",  "name", "id",   "uniq_id",
                            "rank", "exclusive", "unit", "size", "paths"};
    size_t i;
    json_t *v;
    json_array_foreach (nodes, i, v)
    {
        json_t *md = json_object_get (v, "metadata");
        for (size_t f = 0; f < G_N_ELEMENTS (fields); f++)
            assert_non_null (json_object_get (md, fields[f]));
        /* outer id = uniq_id, depth-first */
        char idb[32];
        snprintf (idb, sizeof (idb), "%" JSON_INTEGER_FORMAT,
                  json_integer_value (json_object_get (md, "uniq_id")));
        assert_string_equal (json_string_value (json_object_get (v, "id")), idb);
        assert_int_equal (json_integer_value (json_object_get (md, "uniq_id")), i);
    }
    json_array_foreach (edges, i, v)
    {
        json_t *md = json_object_get (v, "metadata");
        assert_string_equal (json_string_value (json_object_get (md, "subsystem")), "containment");
        assert_string_equal (
            json_string_value (json_object_get (json_object_get (md, "name"), "containment")),
            "contains");
    }
    json_decref (j);
    flurm_graph_destroy (g);
}

/* ---- scale --------------------------------------------------------------- */

static struct flurm_graph *big_cluster (int nnodes, int sockets, int cores)
{
    struct flurm_graph_builder *b = flurm_graph_builder_new (0);
    int64_t uniq = 0;
    struct flurm_vertex_spec s = {.type = "cluster", .rank = -1, .uniq_id = uniq++};
    int64_t root = flurm_graph_builder_add_vertex (b, &s, NULL);
    for (int n = 0; n < nnodes; n++) {
        s = (struct flurm_vertex_spec){.type = "node", .id = n, .rank = n, .uniq_id = uniq++};
        int64_t nv = flurm_graph_builder_add_vertex (b, &s, NULL);
        flurm_graph_builder_add_edge (b, root, nv, NULL);
        for (int k = 0; k < sockets; k++) {
            s = (struct flurm_vertex_spec){.type = "socket", .id = k, .rank = n, .uniq_id = uniq++};
            int64_t sv = flurm_graph_builder_add_vertex (b, &s, NULL);
            flurm_graph_builder_add_edge (b, nv, sv, NULL);
            for (int c = 0; c < cores; c++) {
                s = (struct flurm_vertex_spec){
                    .type = "core", .id = k * cores + c, .rank = n, .uniq_id = uniq++};
                int64_t cv = flurm_graph_builder_add_vertex (b, &s, NULL);
                flurm_graph_builder_add_edge (b, sv, cv, NULL);
            }
        }
    }
    flurm_error_t err;
    struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
}

static void test_large_graph (void **state)
{
    /* An ARIS-like cluster of 2,000 nodes x 2 sockets x 10 cores survives
     * write and load unchanged, and the graph keeps within its memory
     * budget of 200 bytes per vertex (the figure is exact, not timed: speed
     * and peak RSS are measured by scripts/bench_graph.sh, not here). */
    struct flurm_graph *g = big_cluster (2000, 2, 10);
    size_t n = flurm_graph_size (g);
    assert_int_equal (n, 46001);
    char *path = write_tmp (g);
    struct flurm_graph *again = load (path);
    assert_graphs_equal (g, again);
    assert_true (flurm_graph_memory (again) <= 200 * n);
    flurm_graph_destroy (again);
    flurm_graph_destroy (g);
    remove_tmp (path);
}

/* 200,000 properties on one node, one key repeated (the last wins): both
 * the reader's repeat check and the builder's sort were quadratic.
 * Correctness only; a quadratic reader would take minutes here. */
static void test_many_properties (void **state)
{
    enum { N = 200000 };
    GString *s = g_string_new ("{\"graph\":{\"nodes\":["
                               "{\"id\":\"0\",\"metadata\":{\"type\":\"cluster\","
                               "\"paths\":{\"containment\":\"/cluster0\"}}},"
                               "{\"id\":\"1\",\"metadata\":{\"type\":\"node\",\"name\":\"n0\","
                               "\"rank\":0,\"paths\":{\"containment\":\"/cluster0/n0\"},"
                               "\"properties\":{\"dup\":3,");
    for (int i = N - 1; i >= 0; i--)
        g_string_append_printf (s, "\"p%d\":\"%d\",", i, i);
    g_string_append (s, "\"dup\":\"last\"}}}],"
                        "\"edges\":[{\"source\":\"0\",\"target\":\"1\"}]}}");
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_jgf_load_buffer (s->str, s->len, "props.json", &err);
    if (!g)
        fail_msg ("%s", err.text);
    flurm_vid node = flurm_graph_node_at (g, 0);
    assert_int_equal (flurm_graph_nproperties (g, node), N + 1);
    const char *key, *value;
    flurm_graph_property_at (g, node, 0, &key, &value); /* sorted by key */
    assert_string_equal (key, "dup");
    assert_string_equal (value, "last");
    flurm_graph_property_at (g, node, 1, &key, &value);
    assert_string_equal (key, "p0");
    assert_string_equal (value, "0");
    flurm_graph_destroy (g);
    g_string_free (s, TRUE);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_conformance_graphs),
        cmocka_unit_test (test_conformance_details),
        cmocka_unit_test (test_aris4_written_equals_original),
        cmocka_unit_test (test_fluxion_jgfs),
        cmocka_unit_test (test_fluxion_jgf_details),
        cmocka_unit_test (test_power_json),
        cmocka_unit_test (test_bad_files),
        cmocka_unit_test (test_more_errors),
        cmocka_unit_test (test_reading_variants),
        cmocka_unit_test (test_written_vertex_fields),
        cmocka_unit_test (test_large_graph),
        cmocka_unit_test (test_many_properties),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
