/* tests/unit/test_rv1.c — R version 1: parse, write, graph conversion. */
#include "testutil.h"

#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/graph.h"
#include "sim/jgf.h"
#include "sim/rv1.h"

static struct flurm_rv1 *load_ok (const char *path)
{
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_load_file (path, &err);
    if (!r)
        fail_msg ("%s: %s", path, err.text);
    return r;
}

static char *dump (const json_t *j)
{
    return json_dumps (j, JSON_COMPACT);
}

static void assert_json_eq (const json_t *a, const json_t *b)
{
    if (!json_equal ((json_t *)a, (json_t *)b)) {
        char *sa = dump (a), *sb = dump (b);
        print_error ("expected %s\n     got %s\n", sa, sb);
        free (sa);
        free (sb);
        fail ();
    }
}

static size_t count_type (const struct flurm_graph *g, const char *type)
{
    flurm_atom a = flurm_graph_atom (g, type);
    return a == FLURM_ATOM_NONE ? 0 : flurm_graph_count_type (g, a);
}

/* R -> json, and R -> graph -> R -> json, must be equal. */
static void check_round_trip (const struct flurm_rv1 *r, uint32_t cps)
{
    flurm_error_t err = {{0}};
    json_t *a = flurm_rv1_to_json (r);
    struct flurm_graph *g = flurm_rv1_to_graph (r, cps, "test", &err);
    if (!g)
        fail_msg ("to_graph: %s", err.text);
    struct flurm_rv1 *r2 = flurm_rv1_from_graph (g, false, &err);
    if (!r2)
        fail_msg ("from_graph: %s", err.text);
    json_t *b = flurm_rv1_to_json (r2);
    /* The graph keeps no times. */
    json_t *ea = json_object_get (a, "execution");
    json_object_set_new (ea, "starttime", json_integer (0));
    json_object_set_new (ea, "expiration", json_integer (0));
    assert_json_eq (a, b);
    json_decref (a);
    json_decref (b);
    flurm_rv1_destroy (r2);
    flurm_graph_destroy (g);
}

static void test_resource_R (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("flux-outputs/resource-R.json"));
    assert_int_equal (r->nranks, 4);
    for (size_t i = 0; i < 4; i++) {
        char host[16];
        snprintf (host, sizeof (host), "aris%zu", i);
        assert_int_equal (r->ranks[i].rank, i);
        assert_string_equal (r->ranks[i].host, host);
        assert_int_equal (flurm_idset_count (r->ranks[i].cores), 20);
        assert_true (flurm_idset_empty (r->ranks[i].gpus));
    }
    assert_int_equal (r->nproperties, 0);
    assert_null (r->scheduling);
    char *s = flurm_rv1_summary (r);
    assert_string_equal (s, "aris[0-3]: core[0-19]");
    g_free (s);

    /* Written back: the canonical form, keys in a fixed order. */
    json_t *j = flurm_rv1_to_json (r);
    char *text = dump (j);
    assert_string_equal (text, "{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":"
                               "\"0-3\",\"children\":{\"core\":\"0-19\"}}],"
                               "\"nodelist\":[\"aris[0-3]\"],\"starttime\":0,"
                               "\"expiration\":0}}");
    free (text);
    json_decref (j);
    check_round_trip (r, 0);
    check_round_trip (r, 10);
    flurm_rv1_destroy (r);

    r = load_ok (test_data ("flux-outputs/setup.R.json"));
    assert_int_equal (r->nranks, 4);
    check_round_trip (r, 10);
    flurm_rv1_destroy (r);
}

static void test_job_Rs (void **state)
{
    const char *dir = test_data ("flux-outputs");
    char *dirpath = g_strdup (dir);
    GDir *d = g_dir_open (dirpath, 0, NULL);
    assert_non_null (d);
    int n = 0;
    const char *name;
    while ((name = g_dir_read_name (d))) {
        if (!g_str_has_suffix (name, ".R.json"))
            continue;
        char *path = g_build_filename (dirpath, name, NULL);
        struct flurm_rv1 *r = load_ok (path);
        assert_true (r->nranks >= 1);
        flurm_error_t err = {{0}};
        struct flurm_graph *g = flurm_rv1_to_graph (r, 0, path, &err);
        if (!g)
            fail_msg ("%s: to_graph: %s", path, err.text);
        /* Every core of R is a core vertex of the graph. */
        uint64_t ncores = 0;
        for (size_t i = 0; i < r->nranks; i++)
            ncores += flurm_idset_count (r->ranks[i].cores);
        assert_int_equal (count_type (g, "core"), ncores);
        if (r->scheduling) /* Fluxion's JGF has the sockets */
            assert_true (count_type (g, "socket") >= 1);
        /* The graph gives back the same execution part. */
        struct flurm_rv1 *r2 = flurm_rv1_from_graph (g, false, &err);
        if (!r2)
            fail_msg ("%s: from_graph: %s", path, err.text);
        assert_int_equal (r2->nranks, r->nranks);
        for (size_t i = 0; i < r->nranks; i++) {
            assert_int_equal (r2->ranks[i].rank, r->ranks[i].rank);
            assert_string_equal (r2->ranks[i].host, r->ranks[i].host);
            assert_true (flurm_idset_equal (r2->ranks[i].cores, r->ranks[i].cores));
        }
        flurm_rv1_destroy (r2);
        flurm_graph_destroy (g);
        flurm_rv1_destroy (r);
        g_free (path);
        n++;
    }
    g_dir_close (d);
    g_free (dirpath);
    assert_true (n >= 6);
}

static void test_job_R_fields (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("flux-outputs/01-completed-spread10.R.json"));
    assert_int_equal (r->nranks, 1);
    assert_string_equal (r->ranks[0].host, "aris0");
    char *c = flurm_idset_encode (r->ranks[0].cores);
    assert_string_equal (c, "0-4,10-14");
    g_free (c);
    assert_true (r->starttime == 1795695431.0);
    assert_true (r->expiration == 1795695491.0);
    assert_non_null (r->scheduling);
    char *s = flurm_rv1_summary (r);
    assert_string_equal (s, "aris0: core[0-4,10-14]");
    g_free (s);
    json_t *j = flurm_rv1_to_json (r);
    json_t *e = json_object_get (j, "execution");
    assert_int_equal (json_integer_value (json_object_get (e, "starttime")), 1795695431);
    assert_non_null (json_object_get (j, "scheduling"));
    json_decref (j);
    flurm_rv1_destroy (r);
}

/* The ARIS R template with its placeholders filled. */
static void test_aris_template (void **state)
{
    char *text = test_slurp (test_data ("jgf/aris-R.template"), NULL);
    GString *s = g_string_new (text);
    g_string_replace (s, "TEMPLATE_RANKLIST", "0-15", 0);
    g_string_replace (s, "TEMPLATE_HOSTLIST", "\"aris[0-15]\"", 0);
    g_free (text);
    json_error_t jerr;
    json_t *j = json_loads (s->str, 0, &jerr);
    if (!j)
        fail_msg ("template: %s", jerr.text);
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_parse (j, "aris-R", &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->nranks, 16);
    assert_string_equal (r->ranks[15].host, "aris15");
    struct flurm_graph *g = flurm_rv1_to_graph (r, 10, "aris-R", &err);
    assert_non_null (g);
    assert_int_equal (count_type (g, "node"), 16);
    assert_int_equal (count_type (g, "socket"), 32);
    assert_int_equal (count_type (g, "core"), 320);
    flurm_graph_destroy (g);
    check_round_trip (r, 10);
    flurm_rv1_destroy (r);
    json_decref (j);
    g_string_free (s, TRUE);
}

static void test_to_graph_sockets (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("flux-outputs/resource-R.json"));
    flurm_error_t err = {{0}};
    char path[256];

    /* 20 cores, 10 per socket: 2 sockets per node, cores 0-9 / 10-19. */
    struct flurm_graph *g = flurm_rv1_to_graph (r, 10, "R", &err);
    assert_non_null (g);
    assert_int_equal (flurm_graph_size (g), 1 + 4 * (1 + 2 + 20));
    assert_int_equal (count_type (g, "socket"), 8);
    flurm_vid v = flurm_graph_find_path (g, "/cluster0/aris2/socket1/core10");
    assert_int_not_equal (v, FLURM_VID_NONE);
    const struct flurm_vertex *x = flurm_graph_vertex (g, v);
    assert_int_equal (x->id, 10);
    assert_int_equal (x->rank, 2);
    assert_int_equal (flurm_graph_find_path (g, "/cluster0/aris2/socket0/core10"), FLURM_VID_NONE);
    /* Depth-first uniq_ids, as Fluxion numbers vertices. */
    v = flurm_graph_find_path (g, "/cluster0/aris1");
    x = flurm_graph_vertex (g, v);
    assert_int_equal (x->uniq_id, 1 + 23);
    assert_int_equal (x->id, 1);
    assert_string_equal (flurm_graph_atom_str (g, x->basename), "aris");
    v = flurm_graph_find_path (g, "/cluster0/aris1/socket0");
    assert_int_equal (flurm_graph_vertex (g, v)->uniq_id, 1 + 23 + 1);
    assert_int_equal (
        flurm_graph_path (g, flurm_graph_node_by_rank (g, 3), path, sizeof (path)) > 0, 1);
    assert_string_equal (path, "/cluster0/aris3");
    flurm_graph_destroy (g);

    /* No sockets: node -> core, as Fluxion's rv1exec reader. */
    g = flurm_rv1_to_graph (r, 0, "R", &err);
    assert_non_null (g);
    assert_int_equal (flurm_graph_size (g), 1 + 4 * 21);
    assert_int_equal (count_type (g, "socket"), 0);
    v = flurm_graph_find_path (g, "/cluster0/aris0/core19");
    assert_int_not_equal (v, FLURM_VID_NONE);
    x = flurm_graph_vertex (g, v);
    assert_int_equal (flurm_graph_vertex (g, x->parent)->type, flurm_graph_atom (g, "node"));
    flurm_graph_destroy (g);

    /* 20 cores do not make sockets of 7. */
    g = flurm_rv1_to_graph (r, 7, "R", &err);
    assert_null (g);
    assert_non_null (strstr (err.text, "not a multiple"));
    assert_non_null (strstr (err.text, "R:"));
    flurm_rv1_destroy (r);
}

static void test_mixed (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("topo/mixed-R.json"));
    assert_int_equal (r->nranks, 4);
    assert_int_equal (flurm_idset_count (r->ranks[0].gpus), 2);
    assert_int_equal (flurm_idset_count (r->ranks[2].gpus), 0);
    assert_int_equal (r->nproperties, 2);
    assert_string_equal (r->properties[0].name, "batch");
    assert_string_equal (r->properties[1].name, "bigmem");
    char *s = flurm_rv1_summary (r);
    assert_string_equal (s, "gnode[0-1,3]: core[0-7] gpu[0-1]; gnode2: core[0-3]");
    g_free (s);

    /* Writing reproduces the file (the same grouping and key order). */
    json_t *j = flurm_rv1_to_json (r);
    json_error_t jerr;
    json_t *orig = json_load_file (test_data ("topo/mixed-R.json"), 0, &jerr);
    assert_non_null (orig);
    assert_json_eq (orig, j);
    char *a = dump (orig), *b = dump (j);
    assert_string_equal (a, b);
    free (a);
    free (b);
    json_decref (orig);
    json_decref (j);

    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_rv1_to_graph (r, 4, "mixed", &err);
    if (!g)
        fail_msg ("%s", err.text);
    /* gpu0 under socket0, gpu1 under socket1 */
    assert_int_not_equal (flurm_graph_find_path (g, "/cluster0/gnode0/socket0/gpu0"),
                          FLURM_VID_NONE);
    assert_int_not_equal (flurm_graph_find_path (g, "/cluster0/gnode0/socket1/gpu1"),
                          FLURM_VID_NONE);
    flurm_vid n2 = flurm_graph_node_by_name (g, "gnode2");
    assert_int_not_equal (n2, FLURM_VID_NONE);
    assert_non_null (flurm_graph_property (g, n2, "bigmem"));
    assert_string_equal (flurm_graph_property (g, n2, "bigmem"), "");
    assert_null (flurm_graph_property (g, n2, "batch"));
    flurm_graph_destroy (g);
    check_round_trip (r, 0);
    check_round_trip (r, 4);
    flurm_rv1_destroy (r);
}

static void test_no_nodelist (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("topo/no-nodelist-R.json"));
    assert_null (r->ranks[0].host);
    json_t *j = flurm_rv1_to_json (r);
    assert_null (json_object_get (json_object_get (j, "execution"), "nodelist"));
    json_decref (j);
    char *s = flurm_rv1_summary (r);
    assert_string_equal (s, "rank[0-1]: core[0-3]");
    g_free (s);
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_rv1_to_graph (r, 0, "x", &err);
    assert_non_null (g);
    assert_int_not_equal (flurm_graph_find_path (g, "/cluster0/node1/core3"), FLURM_VID_NONE);
    flurm_graph_destroy (g);
    flurm_rv1_destroy (r);
}

/* Host names without a number, of digits only, zero-padded, twice: node
 * vertices as Fluxion's rv1exec reader makes them, and R survives. */
static void test_host_names (void **state)
{
    struct flurm_rv1 *r = load_ok (test_data ("topo/names-R.json"));
    assert_true (r->starttime == 1700000000.5);
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_rv1_to_graph (r, 0, "names", &err);
    if (!g)
        fail_msg ("%s", err.text);
    static const struct {
        const char *name, *basename;
        int64_t id;
    } want[] = {
        {"login", "login", -1},
        {"123", "123", 123},
        {"cn007", "cn", 7},
        {"cn007", "cn", 7},
    };
    assert_int_equal (flurm_graph_nnodes (g), 4);
    for (size_t i = 0; i < 4; i++) {
        flurm_vid v = flurm_graph_node_at (g, i);
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        char buf[FLURM_NAME_MAX];
        assert_string_equal (flurm_graph_name (g, v, buf), want[i].name);
        assert_string_equal (flurm_graph_atom_str (g, x->basename), want[i].basename);
        assert_int_equal (x->id, want[i].id);
        assert_int_equal (x->rank, i);
    }
    flurm_graph_destroy (g);
    check_round_trip (r, 0);
    check_round_trip (r, 1);
    json_t *j = flurm_rv1_to_json (r);
    assert_true (json_is_real (json_object_get (json_object_get (j, "execution"), "expiration")));
    json_decref (j);
    flurm_rv1_destroy (r);
}

/* Building R through the API, as an allocation does. */
static void test_build (void **state)
{
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_create ();
    struct flurm_rv1_rank *e = flurm_rv1_rank_get (r, 3, "aris3", &err);
    assert_non_null (e);
    flurm_idset_add_range (e->cores, 0, 4, NULL);
    e = flurm_rv1_rank_get (r, 1, "aris1", &err);
    flurm_idset_add_range (e->cores, 0, 4, NULL);
    e = flurm_rv1_rank_get (r, 2, "aris2", &err);
    flurm_idset_add_range (e->cores, 10, 14, NULL);
    assert_int_equal (r->ranks[0].rank, 1);
    assert_int_equal (r->ranks[1].rank, 2);
    assert_int_equal (r->ranks[2].rank, 3);
    /* The same rank again: the same entry; another host: an error. */
    assert_ptr_equal (flurm_rv1_rank_get (r, 2, NULL, &err), &r->ranks[1]);
    assert_null (flurm_rv1_rank_get (r, 2, "aris9", &err));
    assert_non_null (strstr (err.text, "aris9"));
    assert_int_equal (flurm_rv1_add_property (r, "normal", 1, &err), 0);
    assert_int_equal (flurm_rv1_add_property (r, "normal", 3, &err), 0);
    assert_int_equal (flurm_rv1_add_property (r, "cosched", 2, &err), 0);
    assert_int_equal (flurm_rv1_add_property (r, "a|b", 2, &err), -1);
    r->starttime = 100;
    r->expiration = 160.5;
    json_t *j = flurm_rv1_to_json (r);
    char *text = dump (j);
    assert_string_equal (text, "{\"version\":1,\"execution\":{\"R_lite\":["
                               "{\"rank\":\"1,3\",\"children\":{\"core\":\"0-4\"}},"
                               "{\"rank\":\"2\",\"children\":{\"core\":\"10-14\"}}],"
                               "\"nodelist\":[\"aris[1-3]\"],"
                               "\"properties\":{\"cosched\":\"2\",\"normal\":\"1,3\"},"
                               "\"starttime\":100,\"expiration\":160.5}}");
    /* ... and it parses back to the same thing. */
    struct flurm_rv1 *r2 = flurm_rv1_parse (j, "built", &err);
    assert_non_null (r2);
    json_t *j2 = flurm_rv1_to_json (r2);
    assert_json_eq (j, j2);
    char *s = flurm_rv1_summary (r2);
    assert_string_equal (s, "aris[1,3]: core[0-4]; aris2: core[10-14]");
    g_free (s);
    json_decref (j2);
    flurm_rv1_destroy (r2);
    free (text);
    json_decref (j);
    flurm_rv1_destroy (r);
}

/* from_graph with the JGF embedded: to_graph then uses the JGF. */
static void test_embedded_jgf (void **state)
{
    flurm_error_t err = {{0}};
    struct flurm_graph *g =
        flurm_jgf_load_file (test_data ("fluxion-conformance/graphs/props4.json"), &err);
    if (!g)
        fail_msg ("%s", err.text);
    struct flurm_rv1 *r = flurm_rv1_from_graph (g, true, &err);
    assert_non_null (r);
    assert_non_null (r->scheduling);
    json_t *j = flurm_rv1_to_json (r);
    json_t *e = json_object_get (j, "execution");
    json_t *want = json_pack ("{s:s, s:s}", "cosched", "2-3", "normal", "0-1");
    assert_json_eq (want, json_object_get (e, "properties"));
    json_decref (want);
    struct flurm_rv1 *r2 = flurm_rv1_parse (j, "embedded", &err);
    assert_non_null (r2);
    struct flurm_graph *g2 = flurm_rv1_to_graph (r2, 0, "embedded", &err);
    if (!g2)
        fail_msg ("%s", err.text);
    assert_int_equal (flurm_graph_size (g2), flurm_graph_size (g));
    assert_int_equal (count_type (g2, "socket"), 8);
    flurm_graph_destroy (g2);
    flurm_rv1_destroy (r2);
    json_decref (j);
    flurm_rv1_destroy (r);

    flurm_graph_destroy (g);

    /* A graph whose nodes lack ranks cannot be R. */
    g = flurm_jgf_load_file (test_data ("jgf/fluxion-jgfs/dyn_explore.json"), &err);
    if (!g)
        fail_msg ("%s", err.text);
    assert_null (flurm_rv1_from_graph (g, false, &err));
    assert_non_null (strstr (err.text, "has no rank"));
    flurm_graph_destroy (g);
}

struct bad_case {
    const char *file;
    const char *where; /* must appear in the message */
    const char *what;  /* and this too */
};

static void test_bad (void **state)
{
    static const struct bad_case cases[] = {
        {"not-json.json", "not-json.json:", "not JSON"},
        {"version2.json", "version2.json: version:", "must be 1"},
        {"no-execution.json", "no-execution.json:", "execution"},
        {"no-rlite.json", "no-rlite.json: execution:", "R_lite"},
        {"bad-rank-idset.json", "bad-rank-idset.json: execution.R_lite[0].rank:", "0-x"},
        {"reversed-range.json", "reversed-range.json: execution.R_lite[1].rank:", "3-2"},
        {"rank-twice.json", "rank-twice.json: execution.R_lite[1].rank:", "rank 3 is listed twice"},
        {"nodelist-short.json",
         "nodelist-short.json: execution.nodelist:", "3 hosts for the 4 ranks"},
        {"nodelist-long.json", "nodelist-long.json: execution.nodelist:", "more hosts"},
        {"property-bad-rank.json",
         "property-bad-rank.json: execution.properties.cosched:", "rank 4 is not in R_lite"},
        {"negative-starttime.json", "negative-starttime.json: execution.starttime:", ">= 0"},
        {"expiration-before-start.json",
         "expiration-before-start.json: execution.expiration:", "before starttime"},
        {"children-no-core.json", "children-no-core.json: execution.R_lite[0].children:", "core"},
    };
    for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++) {
        char rel[256];
        snprintf (rel, sizeof (rel), "rv1-bad/%s", cases[i].file);
        flurm_error_t err = {{0}};
        struct flurm_rv1 *r = flurm_rv1_load_file (test_data (rel), &err);
        if (r)
            fail_msg ("%s: loaded but should fail", cases[i].file);
        if (!strstr (err.text, cases[i].where) || !strstr (err.text, cases[i].what))
            fail_msg ("%s: message '%s' lacks '%s' or '%s'", cases[i].file, err.text,
                      cases[i].where, cases[i].what);
        if (strchr (err.text, '\n'))
            fail_msg ("%s: message has several lines: %s", cases[i].file, err.text);
    }
    flurm_error_t err = {{0}};
    assert_null (flurm_rv1_load_file (test_data ("rv1-bad/nonexistent.json"), &err));
    assert_non_null (strstr (err.text, "nonexistent.json"));
}

/* Smaller things the parser refuses. */
static void test_bad_inline (void **state)
{
    static const struct {
        const char *json, *expect;
    } cases[] = {
        {"[]", "object"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[]}}", "must not be empty"},
        {"{\"version\":1,\"execution\":{\"R_lite\":{}}}", "must be a list"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\"}]}}", "children"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":0,\"children\":{\"core\":\"0\"}}]}}",
         "R_lite[0].rank: must be an idset string"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\",\"children\":{\"core\":\"0\","
         "\"memory\":\"0\"}}]}}",
         "memory"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\",\"children\":{\"core\":\"0\"}}]"
         ",\"nodelist\":\"n0\"}}",
         "execution.nodelist: must be a list"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\",\"children\":{\"core\":\"0\"}}]"
         ",\"nodelist\":[\"n[0\"]}}",
         "execution.nodelist[0]:"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\",\"children\":{\"core\":\"0\"}}]"
         ",\"starttime\":\"now\"}}",
         "execution.starttime: must be a number"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0-2000000000\",\"children\":{"
         "\"core\":\"0\"}}]}}",
         "more than"},
        {"{\"version\":\"1\",\"execution\":{}}", "version: must be 1"},
        {"{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\",\"children\":{\"core\":\"0\"}}]"
         "},\"scheduling\":3}",
         "scheduling: must be an object"},
    };
    for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++) {
        json_error_t jerr;
        json_t *j = json_loads (cases[i].json, JSON_DECODE_ANY, &jerr);
        assert_non_null (j);
        flurm_error_t err = {{0}};
        struct flurm_rv1 *r = flurm_rv1_parse (j, "in.json", &err);
        if (r)
            fail_msg ("case %zu parsed but should fail", i);
        if (!strstr (err.text, cases[i].expect) || strncmp (err.text, "in.json:", 8))
            fail_msg ("case %zu: '%s' lacks '%s'", i, err.text, cases[i].expect);
        json_decref (j);
    }
}

static void expect_to_graph_error (const char *text, const char *expect)
{
    flurm_error_t err = {{0}};
    json_error_t jerr;
    json_t *j = json_loads (text, 0, &jerr);
    assert_non_null (j);
    struct flurm_rv1 *r = flurm_rv1_parse (j, "in.json", &err);
    if (!r)
        fail_msg ("parse: %s", err.text);
    struct flurm_graph *g = flurm_rv1_to_graph (r, 0, "in.json", &err);
    if (g)
        fail_msg ("%s: built a graph, expected \"%s\"", text, expect);
    if (!strstr (err.text, expect))
        fail_msg ("'%s' lacks '%s'", err.text, expect);
    flurm_rv1_destroy (r);
    json_decref (j);
}

/* A hundred bytes of R must not make the graph builder allocate gigabytes:
 * the sizes are checked before anything proportional to them is made. */
static void test_huge (void **state)
{
    expect_to_graph_error ("{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\","
                           "\"children\":{\"core\":\"0-250000000\"}}]}}",
                           "in.json: rank 0 (no host name): 250000001 cores and gpus, more than "
                           "the limit of 65536 per node");
    expect_to_graph_error ("{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\","
                           "\"children\":{\"core\":\"0-60000\",\"gpu\":\"0-5535\"}}]}}",
                           "65537 cores and gpus");
    expect_to_graph_error ("{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0-99999\","
                           "\"children\":{\"core\":\"0-255\"}}]}}",
                           "in.json: R describes more than 16777216 vertices");
}

/* A graph node whose name no nodelist can hold: R refuses it by name
 * instead of dropping or renaming the host. */
static void test_unlistable_host (void **state)
{
    static const char *const names[] = {"a,b", "n[1]", "sp ace"};
    for (size_t k = 0; k < G_N_ELEMENTS (names); k++) {
        flurm_error_t err = {{0}};
        struct flurm_graph_builder *b = flurm_graph_builder_new (0);
        struct flurm_vertex_spec c = {.type = "cluster", .rank = -1, .size = 1};
        struct flurm_vertex_spec n = {
            .type = "node", .name = names[k], .id = 0, .uniq_id = 1, .rank = 0, .size = 1};
        struct flurm_vertex_spec core = {.type = "core", .uniq_id = 2, .rank = 0, .size = 1};
        int64_t ci = flurm_graph_builder_add_vertex (b, &c, &err);
        int64_t ni = flurm_graph_builder_add_vertex (b, &n, &err);
        int64_t ki = flurm_graph_builder_add_vertex (b, &core, &err);
        assert_true (ci >= 0 && ni >= 0 && ki >= 0);
        assert_int_equal (flurm_graph_builder_add_edge (b, ci, ni, &err), 0);
        assert_int_equal (flurm_graph_builder_add_edge (b, ni, ki, &err), 0);
        struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
        if (!g)
            fail_msg ("%s", err.text);
        assert_null (flurm_rv1_from_graph (g, false, &err));
        char want[64];
        snprintf (want, sizeof (want), "node name \"%s\"", names[k]);
        if (!strstr (err.text, want))
            fail_msg ("'%s' lacks '%s'", err.text, want);
        flurm_graph_destroy (g);
    }
    /* and R built by hand refuses it too */
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_create ();
    assert_null (flurm_rv1_rank_get (r, 0, "x,y", &err));
    assert_non_null (strstr (err.text, "rank 0: host name \"x,y\""));
    flurm_rv1_destroy (r);
}

/* Ranks listed in decreasing order and a nodelist of distinct names: both
 * were quadratic (insert-with-memmove per rank, a scan of the runs per
 * host).  Correctness only; a quadratic reader would take minutes here. */
static void test_many_ranks (void **state)
{
    enum { N = 200000 };
    GString *text = g_string_new ("{\"version\":1,\"execution\":{\"R_lite\":[");
    for (int i = N - 1; i >= 0; i--)
        g_string_append_printf (text, "%s{\"rank\":\"%d\",\"children\":{\"core\":\"%d\"}}",
                                i == N - 1 ? "" : ",", i, i % 4);
    g_string_append (text, "],\"nodelist\":[\"");
    for (int i = 0; i < N; i++) /* letters only: every host its own run */
        g_string_append_printf (text, "%sh%c%c%c%c", i ? "," : "", 'a' + i % 26, 'a' + i / 26 % 26,
                                'a' + i / 676 % 26, 'a' + i / 17576 % 26);
    g_string_append (text, "\"]}}");
    json_error_t jerr;
    json_t *j = json_loads (text->str, 0, &jerr);
    assert_non_null (j);
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_parse (j, "big.json", &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->nranks, N);
    for (size_t i = 0; i < N; i += 9973) {
        assert_int_equal (r->ranks[i].rank, i);
        assert_true (flurm_idset_test (r->ranks[i].cores, (uint32_t)(i % 4)));
        char want[8];
        snprintf (want, sizeof (want), "h%c%c%c%c", (int)('a' + i % 26), (int)('a' + i / 26 % 26),
                  (int)('a' + i / 676 % 26), (int)('a' + i / 17576 % 26));
        assert_string_equal (r->ranks[i].host, want);
    }
    /* and back through a graph, whose nodes come in rank order */
    struct flurm_graph *g = flurm_rv1_to_graph (r, 0, "big.json", &err);
    if (!g)
        fail_msg ("%s", err.text);
    struct flurm_rv1 *r2 = flurm_rv1_from_graph (g, false, &err);
    if (!r2)
        fail_msg ("%s", err.text);
    assert_int_equal (r2->nranks, N);
    assert_string_equal (r2->ranks[N - 1].host, r->ranks[N - 1].host);
    flurm_rv1_destroy (r2);
    flurm_graph_destroy (g);
    flurm_rv1_destroy (r);
    json_decref (j);

    /* a rank listed twice names the entry that repeats it */
    j = json_loads ("{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"3-5\",\"children\":"
                    "{\"core\":\"0\"}},{\"rank\":\"1,4\",\"children\":{\"core\":\"0\"}}]}}",
                    0, &jerr);
    assert_null (flurm_rv1_parse (j, "in.json", &err));
    assert_string_equal (err.text,
                         "in.json: execution.R_lite[1].rank: rank 4 is listed twice in R_lite");
    json_decref (j);
    g_string_free (text, TRUE);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_resource_R),
        cmocka_unit_test (test_job_Rs),
        cmocka_unit_test (test_job_R_fields),
        cmocka_unit_test (test_aris_template),
        cmocka_unit_test (test_to_graph_sockets),
        cmocka_unit_test (test_mixed),
        cmocka_unit_test (test_no_nodelist),
        cmocka_unit_test (test_host_names),
        cmocka_unit_test (test_build),
        cmocka_unit_test (test_embedded_jgf),
        cmocka_unit_test (test_bad),
        cmocka_unit_test (test_bad_inline),
        cmocka_unit_test (test_huge),
        cmocka_unit_test (test_unlistable_host),
        cmocka_unit_test (test_many_ranks),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
