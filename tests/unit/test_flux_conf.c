/* tests/unit/test_flux_conf.c — the Flux config folder: the files read back
 * as the cluster they were written from, the TOML holds the keys Fluxion
 * 0.54 reads, and bad input is refused before anything is written. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "sim/flux_conf.h"
#include "sim/graph.h"
#include "sim/jgf.h"
#include "sim/rv1.h"
#include "sim/topo.h"

/* A path in a fresh temporary folder (g_free'd by the caller). */
static char *fresh_path (const char *name)
{
    return g_build_filename (test_tmpdir (), name, NULL);
}

static char *read_in (const char *dir, const char *name)
{
    char *path = g_build_filename (dir, name, NULL);
    char *text = test_slurp (path, NULL);
    g_free (path);
    return text;
}

static gint compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The names in dir, hidden ones included, sorted, separated by spaces. */
static char *listing (const char *dir)
{
    GDir *d = g_dir_open (dir, 0, NULL);
    assert_non_null (d);
    GPtrArray *names = g_ptr_array_new ();
    const char *n;
    while ((n = g_dir_read_name (d)))
        g_ptr_array_add (names, g_strdup (n));
    g_dir_close (d);
    g_ptr_array_sort (names, compare_names);
    GString *s = g_string_new (NULL);
    for (guint i = 0; i < names->len; i++) {
        g_string_append_printf (s, "%s%s", i ? " " : "", (char *)names->pdata[i]);
        g_free (names->pdata[i]);
    }
    g_ptr_array_free (names, TRUE);
    return g_string_free (s, FALSE);
}

static void write_ok (const struct flurm_flux_conf *c, const char *dir)
{
    flurm_error_t err = {{0}};
    if (flurm_flux_conf_write (c, dir, &err) < 0)
        fail_msg ("flurm_flux_conf_write: %s", err.text);
}

/* c is refused with a one-line message containing `needle`, and the
 * folder it named was not even created. */
static void expect_error (const struct flurm_flux_conf *c, const char *needle)
{
    char *dir = fresh_path ("conf");
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_flux_conf_write (c, dir, &err), -1);
    if (!strstr (err.text, needle))
        fail_msg ("error '%s' lacks '%s'", err.text, needle);
    assert_null (strchr (err.text, '\n'));
    assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
    g_free (dir);
}

/* Two R are the same machine: ranks, hosts, cores, gpus, properties. */
static void assert_same_R (const struct flurm_rv1 *a, const struct flurm_rv1 *b)
{
    assert_int_equal (a->nranks, b->nranks);
    for (size_t i = 0; i < a->nranks; i++) {
        assert_int_equal (a->ranks[i].rank, b->ranks[i].rank);
        assert_string_equal (a->ranks[i].host, b->ranks[i].host);
        assert_true (flurm_idset_equal (a->ranks[i].cores, b->ranks[i].cores));
        assert_true (flurm_idset_equal (a->ranks[i].gpus, b->ranks[i].gpus));
    }
    assert_int_equal (a->nproperties, b->nproperties);
    for (size_t i = 0; i < a->nproperties; i++) {
        assert_string_equal (a->properties[i].name, b->properties[i].name);
        assert_true (flurm_idset_equal (a->properties[i].ranks, b->properties[i].ranks));
    }
}

static struct flurm_rv1 *load_R (const char *path)
{
    flurm_error_t err = {{0}};
    struct flurm_rv1 *r = flurm_rv1_load_file (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    return r;
}

/* ---- the recorded instance --------------------------------------------- */

/* The graph the recorded Flux 0.88 / Fluxion 0.54 instance was started on
 * (tests/data/flux-outputs/setup.*), written again: R is the machine that
 * instance reported (`flux resource R`) and its R file, the JGF loads
 * into the same graph, and the TOML sets what its config set. */
static void test_recorded_instance (void **state)
{
    flurm_error_t err = {{0}};
    struct flurm_graph *g =
        flurm_jgf_load_file (test_data ("flux-outputs/setup.scheduling-jgf.json"), &err);
    if (!g)
        fail_msg ("%s", err.text);
    struct flurm_flux_conf c = {.graph = g, .match_policy = "lonode", .queue_policy = "easy"};
    char *dir = fresh_path ("conf");
    write_ok (&c, dir);

    char *listed = listing (dir);
    assert_string_equal (listed, "R.json flux.toml jgf.json");
    g_free (listed);

    char *rpath = g_build_filename (dir, FLURM_FLUX_CONF_R, NULL);
    struct flurm_rv1 *got = load_R (rpath);
    struct flurm_rv1 *setup = load_R (test_data ("flux-outputs/setup.R.json"));
    struct flurm_rv1 *reported = load_R (test_data ("flux-outputs/resource-R.json"));
    assert_same_R (got, setup);
    assert_same_R (got, reported);
    assert_int_equal (got->nranks, 4);
    assert_string_equal (got->ranks[3].host, "aris3");
    assert_null (got->scheduling); /* the JGF goes through [resource] scheduling */
    flurm_rv1_destroy (got);
    flurm_rv1_destroy (setup);
    flurm_rv1_destroy (reported);

    char *jpath = g_build_filename (dir, FLURM_FLUX_CONF_JGF, NULL);
    struct flurm_graph *back = flurm_jgf_load_file (jpath, &err);
    if (!back)
        fail_msg ("%s", err.text);
    char *want = test_jgf_text (g), *have = test_jgf_text (back);
    assert_string_equal (have, want);
    g_free (want);
    g_free (have);
    flurm_graph_destroy (back);

    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    char *line = g_strdup_printf ("\npath = \"%s\"\n", rpath);
    assert_non_null (strstr (toml, line));
    g_free (line);
    line = g_strdup_printf ("\nscheduling = \"%s\"\n", jpath);
    assert_non_null (strstr (toml, line));
    g_free (line);
    /* what setup.resource.toml sets (its load-allowlist only concerns the
     * hwloc reader: with a JGF Fluxion logs "allowlist unsupported") */
    assert_non_null (strstr (toml, "\nnoverify = true\n"));
    assert_non_null (strstr (toml, "\n[sched-fluxion-resource]\nmatch-format = \"rv1\"\n"
                                   "match-policy = \"lonode\"\n"));
    assert_non_null (strstr (toml, "\n[sched-fluxion-qmanager]\nqueue-policy = \"easy\"\n"));
    assert_null (strstr (toml, "exclude"));
    assert_null (strstr (toml, "[queues"));
    g_free (toml);
    g_free (rpath);
    g_free (jpath);
    g_free (dir);
    flurm_graph_destroy (g);
}

/* ---- the whole TOML ---------------------------------------------------- */

static const char *const normal[] = {"normal"};
static const char *const cosched[] = {"cosched"};

/* Every key, as Fluxion 0.54 reads it: checked by hand on a real instance
 * (flux config get, flux module stats sched-fluxion-qmanager). */
static void test_full_toml (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("props4.json");
    struct flurm_flux_queue queues[] = {
        {.name = "normal",
         .policy = "hybrid",
         .queue_depth = 16,
         .reservation_depth = 8,
         .properties = normal,
         .nproperties = 1},
        {.name = "cosched", .properties = cosched, .nproperties = 1},
        {.name = "any", .policy = "fcfs", .reservation_depth = 100000},
    };
    struct flurm_flux_conf c = {
        .graph = g,
        .match_policy = "policy=low node_centric=true",
        .queue_policy = "conservative",
        .queue_depth = 100,
        .reservation_depth = 5,
        .queues = queues,
        .nqueues = 3,
        .exclude = "aris0",
    };
    char *dir = fresh_path ("a/b/conf"); /* parents are created too */
    write_ok (&c, dir);
    char *want =
        g_strdup_printf ("# Flux configuration for the Flurm cluster aris[0-3] (4 nodes),\n"
                         "# written by flurm-sim.  Start an instance on it with\n"
                         "#     flux start -c FOLDER-OF-THIS-FILE\n"
                         "\n"
                         "[resource]\n"
                         "# The cluster is a model, not necessarily this hardware.\n"
                         "noverify = true\n"
                         "path = \"%s/R.json\"\n"
                         "# Fluxion's graph, with the sockets R cannot describe.\n"
                         "scheduling = \"%s/jgf.json\"\n"
                         "exclude = \"aris0\"\n"
                         "\n"
                         "[sched-fluxion-resource]\n"
                         "match-format = \"rv1\"\n"
                         "match-policy = \"policy=low node_centric=true\"\n"
                         "\n"
                         "[sched-fluxion-qmanager]\n"
                         "queue-policy = \"conservative\"\n"
                         "queue-policy-per-queue = \"normal:hybrid any:fcfs\"\n"
                         "queue-params-per-queue = \"normal:queue-depth=16\"\n"
                         "policy-params-per-queue = \"normal:reservation-depth=8 "
                         "any:reservation-depth=100000,max-reservation-depth=100001\"\n"
                         "\n"
                         "[sched-fluxion-qmanager.queue-params]\n"
                         "queue-depth = 100\n"
                         "\n"
                         "[sched-fluxion-qmanager.policy-params]\n"
                         "reservation-depth = 5\n"
                         "\n"
                         "[queues.normal]\n"
                         "requires = [\"normal\"]\n"
                         "\n"
                         "[queues.cosched]\n"
                         "requires = [\"cosched\"]\n"
                         "\n"
                         "[queues.any]\n"
                         "\n"
                         "[policy.jobspec.defaults.system]\n"
                         "queue = \"normal\"\n",
                         dir, dir);
    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    assert_string_equal (toml, want);

    /* Same input, same bytes; rewriting leaves no temporary file. */
    write_ok (&c, dir);
    char *again = read_in (dir, FLURM_FLUX_CONF_TOML);
    assert_string_equal (again, toml);
    char *listed = listing (dir);
    assert_string_equal (listed, "R.json flux.toml jgf.json");

    /* R keeps the properties the queues require. */
    char *rpath = g_build_filename (dir, FLURM_FLUX_CONF_R, NULL);
    struct flurm_rv1 *r = load_R (rpath);
    assert_int_equal (r->nproperties, 2);
    assert_string_equal (r->properties[0].name, "cosched");
    char *ids = flurm_idset_encode (r->properties[0].ranks);
    assert_string_equal (ids, "2-3");
    flurm_rv1_destroy (r);
    g_free (ids);
    g_free (rpath);
    g_free (listed);
    g_free (again);
    g_free (toml);
    g_free (want);
    g_free (dir);
    flurm_graph_destroy (g);
}

/* Nothing but the graph: Fluxion's defaults, one anonymous queue. */
static void test_defaults (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g};
    char *dir = fresh_path ("conf");
    write_ok (&c, dir);
    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    assert_non_null (strstr (toml, "\n[sched-fluxion-resource]\nmatch-format = \"rv1\"\n\n"));
    assert_non_null (strstr (toml, "\n[sched-fluxion-qmanager]\nqueue-policy = \"fcfs\"\n"));
    assert_null (strstr (toml, "match-policy"));
    assert_null (strstr (toml, "depth"));
    assert_null (strstr (toml, "exclude"));
    assert_null (strstr (toml, "queues"));
    assert_null (strstr (toml, "[policy"));
    g_free (toml);
    g_free (dir);
    flurm_graph_destroy (g);
}

/* exclude is written as Flux reads it best: each host once, rank order. */
static void test_exclude_canonical (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g, .exclude = "aris3,aris[1,3]"};
    char *dir = fresh_path ("conf");
    write_ok (&c, dir);
    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    assert_non_null (strstr (toml, "\nexclude = \"aris[1,3]\"\n"));
    g_free (toml);
    g_free (dir);
    flurm_graph_destroy (g);
}

/* Paths are absolute and escaped: a relative folder, and one whose name
 * holds a quote, a tab and a control character. */
static void test_paths_escaped (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g};
    const char *base = test_tmpdir ();
    char *dir = g_build_filename (base, "a \"b\" c\te\x01", NULL);
    write_ok (&c, dir);
    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    char *line = g_strdup_printf ("\npath = \"%s/a \\\"b\\\" c\\te\\u0001/R.json\"\n", base);
    if (!strstr (toml, line))
        fail_msg ("no line %s in %s", line, toml);
    g_free (line);
    g_free (toml);
    g_free (dir);

    char *cwd = g_get_current_dir ();
    assert_int_equal (chdir (base), 0);
    write_ok (&c, "rel");
    assert_int_equal (chdir (cwd), 0);
    char *abs = g_build_filename (base, "rel", NULL);
    toml = read_in (abs, FLURM_FLUX_CONF_TOML);
    line = g_strdup_printf ("\nscheduling = \"%s/jgf.json\"\n", abs);
    assert_non_null (strstr (toml, line));
    g_free (line);
    g_free (toml);
    g_free (abs);
    g_free (cwd);
    flurm_graph_destroy (g);
}

/* A backslash in a property name, written in a TOML string. */
static void test_property_escaped (void **state)
{
    const char *const names[] = {"big\\mem"};
    struct flurm_topo_props props = {.hosts = "aris[0-1]", .names = names, .nnames = 1};
    struct flurm_topo_spec spec = {
        .hosts = "aris[0-1]", .sockets = 2, .cores_per_socket = 10, .props = &props, .nprops = 1};
    flurm_error_t err = {{0}};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    if (!g)
        fail_msg ("%s", err.text);
    struct flurm_flux_queue q = {.name = "big", .properties = names, .nproperties = 1};
    struct flurm_flux_conf c = {.graph = g, .queues = &q, .nqueues = 1};
    char *dir = fresh_path ("conf");
    write_ok (&c, dir);
    char *toml = read_in (dir, FLURM_FLUX_CONF_TOML);
    assert_non_null (strstr (toml, "\n[queues.big]\nrequires = [\"big\\\\mem\"]\n"));
    g_free (toml);
    g_free (dir);
    flurm_graph_destroy (g);
}

/* An existing folder is used as it is; other files in it stay. */
static void test_existing_folder (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g};
    const char *dir = test_tmpdir ();
    char *other = g_build_filename (dir, "tbon.toml", NULL);
    assert_true (g_file_set_contents (other, "[tbon]\n", -1, NULL));
    write_ok (&c, dir);
    char *listed = listing (dir);
    assert_string_equal (listed, "R.json flux.toml jgf.json tbon.toml");
    g_free (listed);
    g_free (other);
    flurm_graph_destroy (g);
}

/* ---- bad input --------------------------------------------------------- */

/* cluster0 -> two nodes of one core, with the given ranks (-2: a graph
 * with no node at all). */
static struct flurm_graph *small_graph (int32_t r0, int32_t r1)
{
    flurm_error_t err = {{0}};
    struct flurm_graph_builder *b = flurm_graph_builder_new (8);
    struct flurm_vertex_spec cl = {.type = "cluster", .rank = -1};
    int64_t root = flurm_graph_builder_add_vertex (b, &cl, &err);
    for (int i = 0; r0 != -2 && i < 2; i++) {
        char name[16];
        snprintf (name, sizeof (name), "n%d", i);
        struct flurm_vertex_spec node = {.type = "node",
                                         .basename = "n",
                                         .name = name,
                                         .id = i,
                                         .uniq_id = 1 + 2 * i,
                                         .rank = i ? r1 : r0};
        struct flurm_vertex_spec core = {.type = "core", .uniq_id = 2 + 2 * i, .rank = node.rank};
        int64_t n = flurm_graph_builder_add_vertex (b, &node, &err);
        int64_t k = flurm_graph_builder_add_vertex (b, &core, &err);
        flurm_graph_builder_add_edge (b, root, n, &err);
        flurm_graph_builder_add_edge (b, n, k, &err);
    }
    struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
}

static void test_bad_graph (void **state)
{
    struct flurm_flux_conf c = {.graph = NULL};
    expect_error (&c, "no cluster graph");
    c.graph = small_graph (-2, -2);
    expect_error (&c, "the cluster has no nodes");
    flurm_graph_destroy ((struct flurm_graph *)c.graph);
    c.graph = small_graph (1, 2);
    expect_error (&c, "node \"n0\" has rank 1: the 2 nodes of a Flux instance have ranks 0..1");
    flurm_graph_destroy ((struct flurm_graph *)c.graph);
    c.graph = small_graph (0, 0);
    expect_error (&c, "node \"n1\" has rank 0");
    flurm_graph_destroy ((struct flurm_graph *)c.graph);
    c.graph = small_graph (0, -1);
    expect_error (&c, "node \"n1\" has no broker rank");
    flurm_graph_destroy ((struct flurm_graph *)c.graph);
    c.graph = small_graph (0, 1); /* the same graph with good ranks works */
    char *dir = fresh_path ("conf");
    write_ok (&c, dir);
    g_free (dir);
    flurm_graph_destroy ((struct flurm_graph *)c.graph);
}

static void test_bad_match_policy (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g, .match_policy = "lowest"};
    expect_error (&c, "unknown match policy 'lowest' (Fluxion 0.54 has first, firstnodex, high, "
                      "low, hinode, lonode, hinodex, lonodex, locality, variation, or a custom");
    c.match_policy = "pack"; /* Flurm's matcher has it, Fluxion does not */
    expect_error (&c, "match policy 'pack' is Flurm's own: Fluxion 0.54 does not have it");
    c.match_policy = "policy=medium";
    expect_error (&c, "accepts only low or high");
    c.match_policy = "node_centric=true";
    expect_error (&c, "needs policy=low or policy=high");
    c.match_policy = "policy=low colour=blue";
    expect_error (&c, "invalid match policy option 'colour'");
    c.match_policy = "";
    expect_error (&c, "unknown match policy ''");
    c.match_policy = "lo\nnode";
    expect_error (&c, "unknown match policy 'lo\\nnode'");
    for (const char *const *p =
             (const char *const[]){"first", "firstnodex", "high", "low", "hinode", "lonode",
                                   "hinodex", "lonodex", "locality", "variation", NULL};
         *p; p++) {
        c.match_policy = *p;
        char *dir = fresh_path ("conf");
        write_ok (&c, dir);
        g_free (dir);
    }
    flurm_graph_destroy (g);
}

static void test_bad_queue_policy_and_depths (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g, .queue_policy = "backfill"};
    expect_error (&c, "unknown queue policy 'backfill' (expected fcfs, easy, hybrid or "
                      "conservative)");
    c.queue_policy = "easy";
    c.queue_depth = 1000001;
    expect_error (&c, "queue depth 1000001 is more than Fluxion's limit 1000000");
    c.queue_depth = 1000000;
    c.reservation_depth = 100001;
    expect_error (&c, "reservation depth 100001 is more than Fluxion's limit 100000");
    c.reservation_depth = 0;
    struct flurm_flux_queue q = {.name = "batch", .policy = "FCFS"};
    c.queues = &q;
    c.nqueues = 1;
    expect_error (&c, "queue 'batch': unknown queue policy 'FCFS'");
    q.policy = NULL;
    q.queue_depth = 4000000000u;
    expect_error (&c, "queue 'batch': queue depth 4000000000 is more than");
    q.queue_depth = 0;
    q.reservation_depth = 200000;
    expect_error (&c, "queue 'batch': reservation depth 200000 is more than");
    flurm_graph_destroy (g);
}

static void test_bad_queues (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("props4.json");
    struct flurm_flux_queue q[2] = {{.name = "a b"}, {.name = "b"}};
    struct flurm_flux_conf c = {.graph = g, .queues = q, .nqueues = 1};
    expect_error (&c, "queue name 'a b': expected letters, digits, '_' and '-' only");
    q[0].name = "a:easy";
    expect_error (&c, "queue name 'a:easy'");
    q[0].name = "";
    expect_error (&c, "queue name ''");
    q[0].name = NULL;
    expect_error (&c, "queue name ''");
    q[0].name = "b";
    c.nqueues = 2;
    expect_error (&c, "queue 'b' is given twice");
    c.nqueues = 1;
    const char *const missing[] = {"bigmem"};
    q[0].properties = missing;
    q[0].nproperties = 1;
    expect_error (&c, "queue 'b' requires property \"bigmem\", which no node has");
    const char *const bad[] = {"a|b"};
    q[0].properties = bad;
    expect_error (&c, "queue 'b': required property \"a|b\"");
    c.queues = NULL;
    expect_error (&c, "1 queues announced but none given");
    flurm_graph_destroy (g);
}

static void test_bad_exclude (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g, .exclude = "aris[0-"};
    expect_error (&c, "exclude: ");
    c.exclude = "aris9";
    expect_error (&c, "exclude: host \"aris9\" is not in the cluster");
    c.exclude = "";
    expect_error (&c, "exclude: the host list is empty");
    c.exclude = "aris[0-3]";
    expect_error (&c, "exclude withholds every node of the cluster");
    flurm_graph_destroy (g);
}

static void test_bad_folder (void **state)
{
    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_flux_conf c = {.graph = g};
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_flux_conf_write (&c, "", &err), -1);
    assert_string_equal (err.text, "no folder given for the Flux configuration");
    assert_int_equal (flurm_flux_conf_write (&c, NULL, &err), -1);

    /* A regular file where the folder should be, or above it. */
    char *file = fresh_path ("file");
    assert_true (g_file_set_contents (file, "x", 1, NULL));
    assert_int_equal (flurm_flux_conf_write (&c, file, &err), -1);
    char *want = g_strdup_printf ("%s: exists and is not a folder", file);
    assert_string_equal (err.text, want);
    g_free (want);
    char *below = g_build_filename (file, "conf", NULL);
    assert_int_equal (flurm_flux_conf_write (&c, below, &err), -1);
    want = g_strdup_printf ("%s: Not a directory", below);
    assert_string_equal (err.text, want);
    g_free (want);
    g_free (below);
    g_free (file);

    /* A folder where a file should be: R.json is written, flux.toml never
     * is, and no temporary file stays. */
    const char *dir = test_tmpdir ();
    char *blocker = g_build_filename (dir, FLURM_FLUX_CONF_JGF, NULL);
    assert_int_equal (mkdir (blocker, 0755), 0);
    assert_int_equal (flurm_flux_conf_write (&c, dir, &err), -1);
    assert_non_null (strstr (err.text, "jgf.json"));
    char *listed = listing (dir);
    assert_string_equal (listed, "R.json jgf.json");
    g_free (listed);
    g_free (blocker);

    /* TOML is UTF-8: a path that is not cannot be written into it. */
    char *latin1 = fresh_path ("caf\xe9");
    assert_int_equal (flurm_flux_conf_write (&c, latin1, &err), -1);
    assert_non_null (strstr (err.text, "is not UTF-8"));
    assert_false (g_file_test (latin1, G_FILE_TEST_EXISTS));
    g_free (latin1);

    /* flux start -c globs the folder's path: pattern characters would
     * make it read nothing. */
    const char *const bad[] = {"x[1]", "a\\b", "star*", "what?"};
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        char *p = fresh_path (bad[i]);
        assert_int_equal (flurm_flux_conf_write (&c, p, &err), -1);
        assert_non_null (strstr (err.text, "with a glob pattern, which the '"));
        assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
        g_free (p);
    }
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_recorded_instance),
        cmocka_unit_test (test_full_toml),
        cmocka_unit_test (test_defaults),
        cmocka_unit_test (test_exclude_canonical),
        cmocka_unit_test (test_paths_escaped),
        cmocka_unit_test (test_property_escaped),
        cmocka_unit_test (test_existing_folder),
        cmocka_unit_test (test_bad_graph),
        cmocka_unit_test (test_bad_match_policy),
        cmocka_unit_test (test_bad_queue_policy_and_depths),
        cmocka_unit_test (test_bad_queues),
        cmocka_unit_test (test_bad_exclude),
        cmocka_unit_test (test_bad_folder),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
