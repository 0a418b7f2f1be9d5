/* tests/unit/test_flux_jobspec.c — the jobspecs live mode submits to Flux:
 * the jobspecs real Flux recorded come back with their resources intact;
 * every shape a trace can produce on ARIS nodes becomes a jobspec that
 * reads back, asks for the same cores and slots, has no shared node right
 * above a slot, and fits as often under Fluxion's rules (Flurm's matcher
 * in fluxion_strict mode) as the original does under Flurm's; placements
 * become the requests that land on their hosts; each bad input class is
 * refused with one clear line. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "policies/shape.h"
#include "sim/constraint.h"
#include "sim/flux_jobspec.h"
#include "sim/hostlist.h"
#include "sim/jobspec.h"
#include "sim/match.h"
#include "sim/topo.h"
#include "sim/trace.h"
#include "sim/workload.h"
#include "testutil.h"

static const char *const app_argv[] = {"app", "--size", "C", NULL};

/* Options as live mode with the test executor sets them. */
static struct flurm_flux_submit test_exec_opt (void)
{
    return (struct flurm_flux_submit){
        .name = "cg", .duration = 120, .test_exec = true, .run_duration = 1.5};
}

/* ARIS thin nodes, 2 sockets x 10 cores; `cosched` on the hosts given. */
static struct flurm_graph *aris_graph (const char *hosts, const char *cosched)
{
    static const char *const names[] = {"cosched"};
    struct flurm_topo_props props = {.hosts = cosched, .names = names, .nnames = 1};
    struct flurm_topo_spec spec = {.hosts = hosts,
                                   .sockets = 2,
                                   .cores_per_socket = 10,
                                   .props = cosched ? &props : NULL,
                                   .nprops = cosched ? 1 : 0};
    flurm_error_t err;
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
}

static json_t *emit (const struct flurm_jobspec *js, uint32_t sockets,
                     const struct flurm_flux_submit *opt)
{
    flurm_error_t err;
    json_t *o = flurm_flux_jobspec (js, sockets, opt, &err);
    if (!o)
        fail_msg ("%s", err.text);
    return o;
}

static struct flurm_jobspec *read_back (const json_t *o)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_from_json (o, "emitted", &err);
    if (!js)
        fail_msg ("the emitted jobspec does not read back: %s", err.text);
    return js;
}

static struct flurm_jobspec *load_jobspec (const char *rel)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_file (test_data (rel), &err);
    if (!js)
        fail_msg ("%s", err.text);
    return js;
}

static struct flurm_jobspec *parse_jobspec (const char *text)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_buffer (text, strlen (text), "inline", &err);
    if (!js)
        fail_msg ("%s", err.text);
    return js;
}

static const json_t *at (const json_t *o, const char *path)
{
    /* "attributes.system.exec.test.run_duration" style, objects only */
    char **keys = g_strsplit (path, ".", -1);
    for (char **k = keys; *k && o; k++)
        o = json_object_get (o, *k);
    g_strfreev (keys);
    return o;
}

static void assert_json_at (const json_t *o, const char *path, const char *want)
{
    json_t *expected = json_loads (want, JSON_DECODE_ANY, NULL);
    assert_non_null (expected);
    const json_t *got = at (o, path);
    if (!json_equal (got, expected)) {
        char *g = got ? json_dumps (got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fail_msg ("%s: got %s, want %s", path, g ? g : "(absent)", want);
    }
    json_decref (expected);
}

static char *compact (const json_t *o)
{
    return json_dumps (o, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Is a node that is not exclusive directly above a slot anywhere? */
static bool shared_node_above_slot (const struct flurm_jobspec_resource *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < r[i].nwith; j++) {
            if (!strcmp (r[i].type, "node") && !r[i].exclusive &&
                !strcmp (r[i].with[j].type, "slot"))
                return true;
        }
        if (shared_node_above_slot (r[i].with, r[i].nwith))
            return true;
    }
    return false;
}

/* The tasks a jobspec runs, as it means them. */
static uint64_t tasks_run (const struct flurm_jobspec *js)
{
    const struct flurm_jobspec_task *t = &js->tasks[0];
    return t->count_kind == FLURM_TASK_TOTAL ? t->count : t->count * flurm_jobspec_nslots (js);
}

/* Does a socket stand above a slot (where flux-core miscounts per_slot)? */
static bool socket_above_slot (const struct flurm_jobspec_resource *r, size_t n, bool socket)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp (r[i].type, "slot") && socket)
            return true;
        if (socket_above_slot (r[i].with, r[i].nwith, socket || !strcmp (r[i].type, "socket")))
            return true;
    }
    return false;
}

/* How many copies of js fit one after another on the idle graph (at most
 * `cap`), and how the first that did not fit was refused. */
static int copies_that_fit (struct flurm_graph *g, const char *policy,
                            const struct flurm_jobspec *js, bool strict,
                            enum flurm_match_result *last)
{
    enum { cap = 200 };
    struct flurm_match_options opts = {.fluxion_strict = strict};
    flurm_error_t err;
    struct flurm_matcher *m = flurm_matcher_create (g, policy, &opts, &err);
    if (!m)
        fail_msg ("%s", err.text);
    int n = 0;
    *last = FLURM_MATCH_ALLOCATED;
    while (n < cap && *last == FLURM_MATCH_ALLOCATED) {
        *last = flurm_matcher_allocate (m, js, (uint64_t)n + 1, FLURM_MATCH_CHECK_SATISFIABLE, NULL,
                                        &err);
        if (*last == FLURM_MATCH_ALLOCATED)
            n++;
    }
    flurm_matcher_destroy (m);
    return n;
}

/* The emitted jobspec asks for the same thing as js and Fluxion's rules
 * place it as often as Flurm's place js.  Returns the emitted JSON. */
static json_t *check_equivalent (const char *what, const struct flurm_jobspec *js,
                                 struct flurm_graph *g, const struct flurm_flux_submit *opt)
{
    json_t *o = emit (js, 2, opt);
    struct flurm_jobspec *back = read_back (o);
    if (flurm_jobspec_ncores (back) != flurm_jobspec_ncores (js) ||
        flurm_jobspec_nslots (back) != flurm_jobspec_nslots (js))
        fail_msg ("%s: %llu cores in %llu slots became %llu in %llu", what,
                  (unsigned long long)flurm_jobspec_ncores (js),
                  (unsigned long long)flurm_jobspec_nslots (js),
                  (unsigned long long)flurm_jobspec_ncores (back),
                  (unsigned long long)flurm_jobspec_nslots (back));
    assert_int_equal (back->ntasks, 1);
    assert_int_equal (tasks_run (back), tasks_run (js));
    if (socket_above_slot (back->resources, back->nresources, false))
        assert_int_equal (back->tasks[0].count_kind, FLURM_TASK_TOTAL);
    else
        assert_int_equal (back->tasks[0].count_kind, js->tasks[0].count_kind);
    if (shared_node_above_slot (back->resources, back->nresources))
        fail_msg ("%s: a shared node is still right above a slot", what);
    static const char *const policies[] = {"lonode", "first", "low"};
    for (size_t i = 0; i < G_N_ELEMENTS (policies); i++) {
        enum flurm_match_result r_orig, r_flux;
        int orig = copies_that_fit (g, policies[i], js, false, &r_orig);
        int flux = copies_that_fit (g, policies[i], back, true, &r_flux);
        if (orig != flux || orig == 0)
            fail_msg ("%s (%s): the original fits %d times (then %s), the Flux jobspec %d "
                      "times under Fluxion's rules (then %s)",
                      what, policies[i], orig, flurm_match_result_str (r_orig), flux,
                      flurm_match_result_str (r_flux));
    }
    flurm_jobspec_destroy (back);
    return o;
}

/* ---- the real recorded jobspecs ---------------------------------------- */

/* What Flux itself accepted and ran comes back with the same resources and
 * tasks; the options replace what they own and nothing else. */
static void test_recorded_jobspecs (void **state)
{
    json_t *jobs =
        json_load_file (test_data ("flux-outputs/01-completed-spread10.jobs.json"), 0, NULL);
    assert_int_equal (json_integer_value (json_object_get (jobs, "ntasks")), 5);
    json_decref (jobs);

    static const char *const recorded[] = {"01-completed-spread10", "02-slot20-core1",
                                           "03-testexec-1s", "07-timeout-2s"};
    struct flurm_flux_submit opt = test_exec_opt ();
    for (size_t i = 0; i < G_N_ELEMENTS (recorded); i++) {
        char *rel = g_strdup_printf ("flux-outputs/%s.jobspec.json", recorded[i]);
        struct flurm_jobspec *js = load_jobspec (rel);
        json_t *orig = json_load_file (test_data (rel), 0, NULL);
        assert_non_null (orig);
        json_t *o = emit (js, 2, &opt);
        if (!json_equal (json_object_get (o, "resources"), json_object_get (orig, "resources")))
            fail_msg ("%s: resources changed", recorded[i]);
        assert_json_at (o, "attributes.system.duration", "120");
        assert_json_at (o, "attributes.system.cwd", "\"/tmp\"");
        assert_json_at (o, "attributes.system.job.name", "\"cg\"");
        assert_json_at (o, "attributes.system.exec.test", "{\"run_duration\": \"1.500s\"}");
        json_t *tasks = json_object_get (o, "tasks");
        assert_int_equal (json_array_size (tasks), 1);
        assert_json_at (json_array_get (tasks, 0), "command", "[\"true\"]");
        /* Flux ran 5 tasks of the spread job's 10 slots (its jobs.json
         * says ntasks 5): with a socket level the total must be written */
        assert_json_at (json_array_get (tasks, 0), "count",
                        i == 0 ? "{\"total\": 10}" : "{\"per_slot\": 1}");
        /* the shell options flux submit wrote (jobs 03 and 07) are kept */
        bool by_flux_submit = i >= 2;
        assert_int_equal (at (o, "attributes.system.shell.options.rlimit") != NULL, by_flux_submit);
        json_decref (o);
        json_decref (orig);
        flurm_jobspec_destroy (js);
        g_free (rel);
    }
}

/* ---- every shape a trace produces on ARIS ------------------------------ */

static void test_shapes_on_aris (void **state)
{
    struct flurm_graph *g = aris_graph ("aris[0-7]", "aris[4-7]");
    struct flurm_shape_geometry geo;
    flurm_error_t err;
    assert_int_equal (flurm_shape_geometry (g, &geo, &err), 0);
    const struct {
        enum flurm_shape shape;
        uint64_t n, nodes, c;
        bool rewritten;
    } shapes[] = {
        {FLURM_SHAPE_COMPACT, 4, 0, 1, false},
        {FLURM_SHAPE_COMPACT, 20, 0, 1, false},
        {FLURM_SHAPE_COMPACT, 40, 0, 1, false},
        {FLURM_SHAPE_COMPACT, 8, 0, 2, false},
        {FLURM_SHAPE_COMPACT, 40, 2, 1, true},
        {FLURM_SHAPE_COMPACT, 20, 1, 1, true},
        {FLURM_SHAPE_COMPACT, 4, 2, 1, true},
        {FLURM_SHAPE_COMPACT, 8, 2, 2, true},
        {FLURM_SHAPE_SPREAD, 10, 0, 1, false},
        {FLURM_SHAPE_SPREAD, 20, 0, 1, false},
        {FLURM_SHAPE_SPREAD, 40, 0, 1, false},
        {FLURM_SHAPE_SPREAD, 20, 2, 1, false},
        {FLURM_SHAPE_SPREAD, 64, 0, 1, false},
        {FLURM_SHAPE_NODE_EXCLUSIVE, 20, 0, 1, false},
        {FLURM_SHAPE_NODE_EXCLUSIVE, 40, 0, 1, false},
        {FLURM_SHAPE_NODE_EXCLUSIVE, 64, 0, 1, false},
    };
    struct flurm_flux_submit opt = test_exec_opt ();
    for (size_t i = 0; i < G_N_ELEMENTS (shapes); i++) {
        struct flurm_shape_request req = {.shape = shapes[i].shape,
                                          .ntasks = shapes[i].n,
                                          .nnodes = shapes[i].nodes,
                                          .cores_per_task = shapes[i].c,
                                          .duration = 300};
        struct flurm_jobspec *js = flurm_shape_jobspec (&req, &geo, &err);
        if (!js)
            fail_msg ("%s", err.text);
        char *what = g_strdup_printf (
            "%s n=%llu N=%llu c=%llu", flurm_shape_name (req.shape), (unsigned long long)req.ntasks,
            (unsigned long long)req.nnodes, (unsigned long long)req.cores_per_task);
        json_t *o = check_equivalent (what, js, g, &opt);
        json_t *orig = flurm_jobspec_to_json (js);
        bool changed =
            !json_equal (json_object_get (o, "resources"), json_object_get (orig, "resources"));
        if (changed != shapes[i].rewritten)
            fail_msg ("%s: resources %s", what, changed ? "rewritten" : "kept");
        if (changed) {
            /* Fluxion's own rule refuses the original (issue 498) */
            enum flurm_match_result r;
            assert_int_equal (copies_that_fit (g, "lonode", js, true, &r), 0);
            assert_int_equal (r, FLURM_MATCH_ERROR);
        }
        json_decref (orig);
        json_decref (o);
        g_free (what);
        flurm_jobspec_destroy (js);
    }
    flurm_graph_destroy (g);
}

/* The rewrite itself, on shapes whose result is known. */
static void test_rewrite_shapes (void **state)
{
    static const struct flurm_shape_geometry aris = {
        .sockets_per_node = 2, .cores_per_socket = 10, .cores_per_node = 20};
    struct flurm_flux_submit opt = test_exec_opt ();
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = 40, .nnodes = 2};
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_shape_jobspec (&req, &aris, &err);
    assert_non_null (js);
    json_t *o = emit (js, 2, &opt);
    char *got = compact (json_object_get (o, "resources"));
    assert_string_equal (got, "[{\"type\":\"node\",\"count\":2,\"with\":[{\"type\":\"socket\","
                              "\"count\":2,\"with\":[{\"type\":\"slot\",\"count\":10,\"label\":"
                              "\"task\",\"with\":[{\"type\":\"core\",\"count\":1}]}]}]}]");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"total\": 40}");
    free (got);
    json_decref (o);
    /* no sockets in the instance's graph: nothing to rewrite */
    o = emit (js, 0, &opt);
    json_t *orig = flurm_jobspec_to_json (js);
    assert_true (
        json_equal (json_object_get (o, "resources"), json_object_get (orig, "resources")));
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"per_slot\": 1}");
    json_decref (orig);
    json_decref (o);
    flurm_jobspec_destroy (js);

    /* three sockets divide 3 slots, two do not */
    js = parse_jobspec ("{version: 1, resources: [{type: node, count: 2, with: [{type: slot, "
                        "count: 3, label: task, with: [{type: core, count: 1}]}]}], tasks: "
                        "[{command: [app], slot: task, count: {total: 5}}], attributes: "
                        "{system: {duration: 60}}}");
    o = emit (js, 3, &opt);
    assert_json_at (json_array_get (json_object_get (o, "resources"), 0), "with",
                    "[{\"type\": \"socket\", \"count\": 3, \"with\": [{\"type\": \"slot\", "
                    "\"count\": 1, \"label\": \"task\", \"with\": [{\"type\": \"core\", "
                    "\"count\": 1}]}]}]");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"total\": 5}");
    json_decref (o);
    assert_null (flurm_flux_jobspec (js, 2, &opt, &err));
    assert_non_null (strstr (err.text, "node[2] -> slot[3]"));
    assert_non_null (strstr (err.text, "issue 498"));
    assert_non_null (strstr (err.text, "3 slots do not split evenly over 2 sockets"));
    assert_non_null (strstr (err.text, "node-exclusive"));
    assert_null (strchr (err.text, '\n'));
    flurm_jobspec_destroy (js);

    /* an exclusive node above a slot is what Fluxion matches: kept */
    js = parse_jobspec ("{version: 1, resources: [{type: node, count: 2, exclusive: true, "
                        "with: [{type: slot, count: 3, label: task, with: [{type: core, count: "
                        "1}]}]}], tasks: [{command: [app], slot: task, count: {per_slot: 1}}], "
                        "attributes: {system: {duration: 60}}}");
    o = emit (js, 2, &opt);
    orig = flurm_jobspec_to_json (js);
    assert_true (
        json_equal (json_object_get (o, "resources"), json_object_get (orig, "resources")));
    json_decref (orig);
    json_decref (o);
    flurm_jobspec_destroy (js);
}

/* Literal jobspecs, those the Fluxion conformance runs fed to Fluxion. */
static void test_literal_files (void **state)
{
    static const char *const files[] = {
        "node1-spread10.yaml",      "node1-slot4-core1.yaml", "node1x-sock2-slot1-core10.yaml",
        "slot5-core1-cosched.yaml", "spread10.yaml",          "sock4-slot5.yaml",
        "node1x-slot1-core1.yaml",  "slot2-core10.yaml",
    };
    struct flurm_graph *g = aris_graph ("aris[0-3]", "aris[2-3]");
    struct flurm_flux_submit opt = test_exec_opt ();
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        char *rel = g_strdup_printf ("fluxion-conformance/jobspecs/%s", files[i]);
        struct flurm_jobspec *js = load_jobspec (rel);
        json_t *o = check_equivalent (files[i], js, g, &opt);
        if (js->constraints) {
            json_t *c = flurm_constraint_to_json (js->constraints);
            assert_true (json_equal (at (o, "attributes.system.constraints"), c));
            json_decref (c);
        }
        json_decref (o);
        flurm_jobspec_destroy (js);
        g_free (rel);
    }
    flurm_graph_destroy (g);
}

/* A queue's `requires` (js->constraints, from the trace) reaches Flux, and
 * a hostlist option narrows it further. */
static void test_trace_queues (void **state)
{
    static const char trace[] =
        "name: t\n"
        "cluster: {nodes: 4, sockets: 2, cores-per-socket: 10, prefix: aris,\n"
        "          properties: {\"aris[0-1]\": [normal], \"aris[2-3]\": [cosched]}}\n"
        "scheduler:\n"
        "  match-policy: lonode\n"
        "  queues:\n"
        "    normal: {requires: [normal], alloc: compact}\n"
        "    cosched: {requires: [cosched], alloc: spread}\n"
        "jobs:\n"
        "  - {name: a, runtime: 60, ntasks: 10, queue: cosched}\n"
        "  - {name: b, runtime: 60, ntasks: 20, nnodes: 1, queue: normal}\n"
        "  - {name: c, runtime: 60, ntasks: 4, queue: normal}\n";
    flurm_error_t err;
    struct flurm_trace *t = flurm_trace_load_buffer (trace, strlen (trace), "t.yaml", ".", &err);
    if (!t)
        fail_msg ("%s", err.text);
    static const char *const want[] = {"cosched", "normal", "normal"};
    static const char *const lands[] = {"aris3", "aris1", "aris1"};
    assert_int_equal (t->workload->njobs, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct flurm_wjob *j = &t->workload->jobs[i];
        struct flurm_flux_submit opt = test_exec_opt ();
        opt.name = j->name;
        opt.queue = j->queue;
        json_t *o = check_equivalent (j->name, j->js, t->graph, &opt);
        char *c = g_strdup_printf ("{\"properties\": [\"%s\"]}", want[i]);
        assert_json_at (o, "attributes.system.constraints", c);
        assert_json_at (o, "attributes.system.queue", i == 0 ? "\"cosched\"" : "\"normal\"");
        json_decref (o);

        /* restricted to one host of the queue: lands there */
        opt.hostlist = lands[i];
        o = emit (j->js, 2, &opt);
        char *both = g_strdup_printf ("{\"and\": [%s, {\"hostlist\": [\"%s\"]}]}", c, lands[i]);
        assert_json_at (o, "attributes.system.constraints", both);
        struct flurm_jobspec *back = read_back (o);
        struct flurm_match_options strict = {.fluxion_strict = true};
        struct flurm_matcher *m = flurm_matcher_create (t->graph, "lonode", &strict, &err);
        const struct flurm_alloc *a;
        assert_int_equal (flurm_matcher_allocate (m, back, 1, 0, &a, &err), FLURM_MATCH_ALLOCATED);
        char name[FLURM_NAME_MAX];
        assert_int_equal (a->nnodes, 1);
        assert_string_equal (flurm_graph_name (t->graph, a->nodes[0], name), lands[i]);
        flurm_matcher_destroy (m);
        flurm_jobspec_destroy (back);
        json_decref (o);
        g_free (both);
        g_free (c);
    }
    flurm_trace_destroy (t);
}

/* ---- attributes -------------------------------------------------------- */

static const char literal_with_attributes[] =
    "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"count\": 2, \"label\": \"task\", "
    "\"with\": [{\"type\": \"core\", \"count\": 1}]}], \"tasks\": [{\"command\": [\"old\"], "
    "\"slot\": \"task\", \"count\": {\"per_slot\": 1}}], \"attributes\": {\"system\": "
    "{\"duration\": 5, \"queue\": \"old\", \"job\": {\"name\": \"old\"}, \"exec\": {\"test\": "
    "{\"run_duration\": \"9s\", \"mock_exception\": \"run\"}}, \"dependencies\": [{\"scheme\": "
    "\"afterok\", \"value\": \"1234\"}], \"cwd\": \"/home/u\"}, \"user\": {\"study\": 7}}}";

static void test_attributes (void **state)
{
    struct flurm_jobspec *js = parse_jobspec (literal_with_attributes);
    /* a real run: command given, no test executor, no name, a queue */
    struct flurm_flux_submit opt = {.queue = "cosched", .duration = 3600, .command = app_argv};
    json_t *o = emit (js, 2, &opt);
    assert_json_at (o, "attributes.system",
                    "{\"duration\": 3600, \"queue\": \"cosched\", \"cwd\": \"/home/u\"}");
    assert_json_at (o, "attributes.user", "{\"study\": 7}");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "command",
                    "[\"app\", \"--size\", \"C\"]");
    json_decref (o);

    /* the test executor keeps a given command; fractions are kept */
    opt = (struct flurm_flux_submit){.name = "x",
                                     .duration = 1.25,
                                     .test_exec = true,
                                     .run_duration = 0.001,
                                     .command = app_argv};
    o = emit (js, 2, &opt);
    assert_json_at (o, "attributes.system",
                    "{\"duration\": 1.25, \"job\": {\"name\": \"x\"}, \"exec\": {\"test\": "
                    "{\"run_duration\": \"0.001s\"}}, \"cwd\": \"/home/u\"}");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "command",
                    "[\"app\", \"--size\", \"C\"]");
    json_decref (o);

    /* same input, same bytes */
    opt.run_duration = 2;
    json_t *a = emit (js, 2, &opt), *b = emit (js, 2, &opt);
    char *ta = json_dumps (a, JSON_COMPACT), *tb = json_dumps (b, JSON_COMPACT);
    assert_string_equal (ta, tb);
    assert_non_null (strstr (ta, "\"run_duration\":\"2.000s\""));
    free (ta);
    free (tb);
    json_decref (a);
    json_decref (b);
    flurm_jobspec_destroy (js);
}

/* ---- placements -------------------------------------------------------- */

static json_t *place (const struct flurm_flux_placement *p, const struct flurm_flux_submit *opt)
{
    flurm_error_t err;
    json_t *o = flurm_flux_placement_jobspec (p, opt, &err);
    if (!o)
        fail_msg ("%s", err.text);
    return o;
}

/* Place the jobspec on an idle ARIS graph under Fluxion's rules: the hosts
 * it lands on, as a hostlist, and its cores. */
static char *lands_on (const json_t *o, uint32_t *ncores)
{
    struct flurm_graph *g = aris_graph ("aris[0-3]", NULL);
    struct flurm_jobspec *js = read_back (o);
    struct flurm_match_options strict = {.fluxion_strict = true};
    flurm_error_t err;
    struct flurm_matcher *m = flurm_matcher_create (g, "lonode", &strict, &err);
    const struct flurm_alloc *a;
    enum flurm_match_result r = flurm_matcher_allocate (m, js, 1, 0, &a, &err);
    if (r != FLURM_MATCH_ALLOCATED)
        fail_msg ("not placed: %s %s", flurm_match_result_str (r), err.text);
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    char name[FLURM_NAME_MAX];
    for (size_t i = 0; i < a->nnodes; i++)
        assert_int_equal (
            flurm_hostlist_append_host (hl, flurm_graph_name (g, a->nodes[i], name), &err), 0);
    *ncores = a->ncores;
    char *text = flurm_hostlist_encode (hl);
    flurm_hostlist_destroy (hl);
    flurm_matcher_destroy (m);
    flurm_jobspec_destroy (js);
    flurm_graph_destroy (g);
    return text;
}

static void assert_resources (const json_t *o, const char *want)
{
    char *got = compact (json_object_get (o, "resources"));
    if (strcmp (got, want) != 0)
        fail_msg ("resources\n  got  %s\n  want %s", got, want);
    free (got);
}

#define CORE1         "{\"type\":\"core\",\"count\":1}"
#define SLOT(n, core) "{\"type\":\"slot\",\"count\":" #n ",\"label\":\"task\",\"with\":[" core "]}"

static void test_placement_uniform (void **state)
{
    struct flurm_flux_submit opt = test_exec_opt ();
    uint32_t ncores;
    /* two nodes, five cores of socket 0 each */
    struct flurm_flux_placement_node two[] = {{"aris0", {5, 0}}, {"aris1", {5, 0}}};
    struct flurm_flux_placement p = {
        .nodes = two, .nnodes = 2, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 10};
    json_t *o = place (&p, &opt);
    assert_resources (o, "[{\"type\":\"node\",\"count\":2,\"with\":[{\"type\":\"socket\","
                         "\"count\":1,\"with\":[" SLOT (5, CORE1) "]}]}]");
    assert_json_at (o, "attributes.system.constraints", "{\"hostlist\": [\"aris[0-1]\"]}");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"total\": 10}");
    assert_json_at (o, "attributes.system.exec.test.run_duration", "\"1.500s\"");
    char *hosts = lands_on (o, &ncores);
    assert_string_equal (hosts, "aris[0-1]");
    assert_int_equal (ncores, 10);
    g_free (hosts);
    json_decref (o);

    /* spread halves of one node: what Flux recorded for the spread job */
    struct flurm_flux_placement_node halves[] = {{"aris2", {5, 5}}};
    p = (struct flurm_flux_placement){
        .nodes = halves, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 10};
    o = place (&p, &opt);
    json_t *rec =
        json_load_file (test_data ("flux-outputs/01-completed-spread10.jobspec.json"), 0, NULL);
    assert_true (json_equal (json_object_get (o, "resources"), json_object_get (rec, "resources")));
    json_decref (rec);
    hosts = lands_on (o, &ncores);
    assert_string_equal (hosts, "aris2");
    assert_int_equal (ncores, 10);
    g_free (hosts);
    json_decref (o);

    /* 2-core tasks, fewer tasks than slots */
    struct flurm_flux_placement_node pairs[] = {{"aris3", {4, 4}}};
    p = (struct flurm_flux_placement){
        .nodes = pairs, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 2, .ntasks = 3};
    o = place (&p, &opt);
    assert_resources (o,
                      "[{\"type\":\"node\",\"count\":1,\"with\":[{\"type\":\"socket\","
                      "\"count\":2,\"with\":[" SLOT (2, "{\"type\":\"core\",\"count\":2}") "]}]}]");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"total\": 3}");
    json_decref (o);

    /* nodes without sockets */
    struct flurm_flux_placement_node flat[] = {{"n1", {4}}, {"n2", {4}}};
    p = (struct flurm_flux_placement){.nodes = flat, .nnodes = 2, .cores_per_task = 1, .ntasks = 8};
    o = place (&p, &opt);
    assert_resources (o, "[{\"type\":\"node\",\"count\":2,\"with\":[" SLOT (4, CORE1) "]}]");
    assert_json_at (o, "attributes.system.constraints", "{\"hostlist\": [\"n[1-2]\"]}");
    json_decref (o);
}

static void test_placement_uneven (void **state)
{
    struct flurm_flux_submit opt = test_exec_opt ();
    uint32_t ncores;
    /* 20 + 5 cores: no per-node form, Fluxion picks the cores */
    struct flurm_flux_placement_node uneven[] = {{"aris1", {10, 10}}, {"aris0", {5, 0}}};
    struct flurm_flux_placement p = {
        .nodes = uneven, .nnodes = 2, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 25};
    json_t *o = place (&p, &opt);
    assert_resources (o, "[" SLOT (25, CORE1) "]");
    /* the hosts in the placement's order, as hostlist.h writes them */
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    flurm_error_t err;
    assert_int_equal (flurm_hostlist_append_host (hl, "aris1", &err), 0);
    assert_int_equal (flurm_hostlist_append_host (hl, "aris0", &err), 0);
    char *text = flurm_hostlist_encode (hl);
    char *want = g_strdup_printf ("{\"hostlist\": [\"%s\"]}", text);
    assert_string_equal (text, "aris[1,0]");
    assert_json_at (o, "attributes.system.constraints", want);
    char *hosts = lands_on (o, &ncores);
    assert_string_equal (hosts, "aris[0-1]");
    assert_int_equal (ncores, 25);
    g_free (hosts);
    g_free (want);
    g_free (text);
    flurm_hostlist_destroy (hl);
    json_decref (o);

    /* the same socket count, different cores per socket */
    struct flurm_flux_placement_node skew[] = {{"aris0", {6, 4}}};
    p = (struct flurm_flux_placement){
        .nodes = skew, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 10};
    o = place (&p, &opt);
    assert_resources (o, "[" SLOT (10, CORE1) "]");
    json_decref (o);

    /* a hostlist option narrows the placement's own */
    opt.hostlist = "aris[0-3]";
    o = place (&p, &opt);
    assert_json_at (o, "attributes.system.constraints",
                    "{\"and\": [{\"hostlist\": [\"aris0\"]}, {\"hostlist\": [\"aris[0-3]\"]}]}");
    json_decref (o);
}

static void test_placement_exclusive (void **state)
{
    struct flurm_flux_submit opt = test_exec_opt ();
    uint32_t ncores;
    struct flurm_flux_placement_node whole[] = {{"aris2", {10, 10}}, {"aris3", {10, 10}}};
    struct flurm_flux_placement p = {.nodes = whole,
                                     .nnodes = 2,
                                     .sockets_per_node = 2,
                                     .cores_per_task = 1,
                                     .ntasks = 40,
                                     .exclusive = true};
    json_t *o = place (&p, &opt);
    assert_resources (o, "[{\"type\":\"node\",\"count\":2,\"exclusive\":true,\"with\":[{\"type\":"
                         "\"socket\",\"count\":2,\"with\":[" SLOT (10, CORE1) "]}]}]");
    char *hosts = lands_on (o, &ncores);
    assert_string_equal (hosts, "aris[2-3]");
    assert_int_equal (ncores, 40);
    g_free (hosts);
    json_decref (o);

    /* whole nodes used unevenly: 16 + 4 tasks */
    struct flurm_flux_placement_node uneven[] = {{"aris1", {10, 6}}, {"aris3", {4, 0}}};
    p = (struct flurm_flux_placement){.nodes = uneven,
                                      .nnodes = 2,
                                      .sockets_per_node = 2,
                                      .cores_per_task = 1,
                                      .ntasks = 20,
                                      .exclusive = true};
    o = place (&p, &opt);
    assert_resources (
        o, "[{\"type\":\"node\",\"count\":2,\"exclusive\":true,\"with\":[" SLOT (16, CORE1) "]}]");
    assert_json_at (json_array_get (json_object_get (o, "tasks"), 0), "count", "{\"total\": 20}");
    hosts = lands_on (o, &ncores);
    assert_string_equal (hosts, "aris[1,3]");
    assert_int_equal (ncores, 40);
    g_free (hosts);
    json_decref (o);
}

/* ---- bad input --------------------------------------------------------- */

static void assert_refused (json_t *o, const flurm_error_t *err, const char *says)
{
    if (o) {
        char *text = compact (o);
        fail_msg ("accepted: %s (expected an error with '%s')", text, says);
    }
    if (!strstr (err->text, says))
        fail_msg ("message '%s' lacks '%s'", err->text, says);
    assert_null (strchr (err->text, '\n'));
}

static void test_bad_options (void **state)
{
    struct flurm_jobspec *js = load_jobspec ("flux-outputs/02-slot20-core1.jobspec.json");
    flurm_error_t err;
    const double bad_durations[] = {0, -1, NAN, INFINITY, 1e12};
    for (size_t i = 0; i < G_N_ELEMENTS (bad_durations); i++) {
        struct flurm_flux_submit opt = test_exec_opt ();
        opt.duration = bad_durations[i];
        assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "duration must be");
    }
    const double bad_runs[] = {0, 0.0004, -2, NAN, INFINITY};
    for (size_t i = 0; i < G_N_ELEMENTS (bad_runs); i++) {
        struct flurm_flux_submit opt = test_exec_opt ();
        opt.run_duration = bad_runs[i];
        assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "run duration must be");
    }
    /* without the test executor the run duration is not used */
    static const char *const none[] = {NULL};
    static const char *const empty[] = {"", "x", NULL};
    struct flurm_flux_submit opt = {.duration = 60, .run_duration = NAN, .command = app_argv};
    json_t *o = emit (js, 2, &opt);
    json_decref (o);
    opt.command = NULL;
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "no command to run");
    opt.command = none;
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "no command to run");
    opt.command = empty;
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "empty program name");

    opt = test_exec_opt ();
    opt.name = "";
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "job name is empty");
    opt = test_exec_opt ();
    opt.queue = "";
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "queue name is empty");
    opt = test_exec_opt ();
    opt.hostlist = "aris[0-";
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "hostlist option: ");
    opt.hostlist = "";
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err, "hostlist option is empty");
    assert_refused (flurm_flux_jobspec (js, 2, NULL, &err), &err, "no submit options");
    opt = test_exec_opt ();
    assert_refused (flurm_flux_jobspec (NULL, 2, &opt, &err), &err, "no jobspec");
    flurm_jobspec_destroy (js);
}

/* Jobspecs Flurm reads but Flux would refuse or never match. */
static void test_bad_jobspecs (void **state)
{
    struct flurm_flux_submit opt = test_exec_opt ();
    flurm_error_t err;
    struct flurm_jobspec *js =
        parse_jobspec ("{version: 1, resources: [{type: slot, count: {min: 2, max: 8, "
                       "operator: '+', operand: 1}, label: task, with: [{type: core, count: "
                       "1}]}], tasks: [{command: [app], slot: task, count: {per_slot: 1}}], "
                       "attributes: {system: {duration: 60}}}");
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err,
                    "the slot count is a range (min 2)");
    flurm_jobspec_destroy (js);

    js = parse_jobspec ("{version: 1, resources: [{type: node, count: 1, with: [{type: slot, "
                        "count: 2, label: a, with: [{type: core, count: 1}]}]}], tasks: "
                        "[{command: [app], slot: a, count: {per_slot: 1}}, {command: [app], "
                        "slot: a, count: {per_slot: 1}}], attributes: {system: {duration: 60}}}");
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err,
                    "one task entry per jobspec; this one has 2");
    flurm_jobspec_destroy (js);

    /* more tasks than a count holds once per_slot is written as total */
    js = parse_jobspec ("{version: 1, resources: [{type: socket, count: 2, with: [{type: slot, "
                        "count: 1500000000, label: task, with: [{type: core, count: 1}]}]}], "
                        "tasks: [{command: [app], slot: task, count: {per_slot: 1}}], "
                        "attributes: {system: {duration: 60}}}");
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err,
                    "3000000000 slots x 1 tasks each are more tasks than a jobspec can count");
    flurm_jobspec_destroy (js);

    /* compact, 5 tasks on each of 2 nodes: no socket split exists */
    static const struct flurm_shape_geometry aris = {
        .sockets_per_node = 2, .cores_per_socket = 10, .cores_per_node = 20};
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = 10, .nnodes = 2};
    js = flurm_shape_jobspec (&req, &aris, &err);
    assert_non_null (js);
    assert_refused (flurm_flux_jobspec (js, 2, &opt, &err), &err,
                    "node[2] -> slot[5]: Fluxion never matches");
    flurm_jobspec_destroy (js);
}

static void test_bad_placements (void **state)
{
    struct flurm_flux_submit opt = test_exec_opt ();
    flurm_error_t err;
    struct flurm_flux_placement_node ok[] = {{"aris0", {5, 5}}};
    struct flurm_flux_placement_node dup[] = {{"aris0", {5, 0}}, {"aris0", {5, 0}}};
    struct flurm_flux_placement_node nohost[] = {{NULL, {5, 0}}};
    struct flurm_flux_placement_node badhost[] = {{"aris 0", {5, 0}}};
    struct flurm_flux_placement_node idle[] = {{"aris0", {5, 0}}, {"aris1", {0, 0}}};
    struct flurm_flux_placement_node third[] = {{"aris0", {5, 0, 2}}};
    struct flurm_flux_placement_node odd[] = {{"aris0", {3, 0}}};
    const struct {
        struct flurm_flux_placement p;
        const char *says;
    } cases[] = {
        {{.nodes = NULL, .nnodes = 1, .cores_per_task = 1, .ntasks = 1}, "has no nodes"},
        {{.nodes = ok, .nnodes = 0, .cores_per_task = 1, .ntasks = 1}, "has no nodes"},
        {{.nodes = ok, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 0, .ntasks = 1},
         ">= 1 core per task (got 2 and 0)"},
        {{.nodes = ok, .nnodes = 1, .sockets_per_node = 17, .cores_per_task = 1, .ntasks = 1},
         "0 .. 16 sockets per node"},
        {{.nodes = dup, .nnodes = 2, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 1},
         "host \"aris0\" appears twice"},
        {{.nodes = nohost, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 1},
         "placement node 0 has no host"},
        {{.nodes = badhost, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 1},
         "placement node 0: "},
        {{.nodes = idle, .nnodes = 2, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 1},
         "host aris1 uses no cores"},
        {{.nodes = third, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 1},
         "cores on socket 2, but nodes have no such socket"},
        {{.nodes = ok, .nnodes = 1, .sockets_per_node = 0, .cores_per_task = 1, .ntasks = 1},
         "cores on socket 1, but nodes hold cores directly"},
        {{.nodes = odd, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 2, .ntasks = 1},
         "3 cores are not whole tasks of 2 cores"},
        {{.nodes = ok, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 0},
         "runs 0 tasks; it holds 1 .. 10"},
        {{.nodes = ok, .nnodes = 1, .sockets_per_node = 2, .cores_per_task = 1, .ntasks = 11},
         "runs 11 tasks; it holds 1 .. 10"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
        assert_refused (flurm_flux_placement_jobspec (&cases[i].p, &opt, &err), &err,
                        cases[i].says);
    assert_refused (flurm_flux_placement_jobspec (NULL, &opt, &err), &err, "has no nodes");
    opt.duration = NAN;
    assert_refused (flurm_flux_placement_jobspec (&cases[0].p, &opt, &err), &err,
                    "duration must be");
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_recorded_jobspecs),   cmocka_unit_test (test_shapes_on_aris),
        cmocka_unit_test (test_rewrite_shapes),      cmocka_unit_test (test_literal_files),
        cmocka_unit_test (test_trace_queues),        cmocka_unit_test (test_attributes),
        cmocka_unit_test (test_placement_uniform),   cmocka_unit_test (test_placement_uneven),
        cmocka_unit_test (test_placement_exclusive), cmocka_unit_test (test_bad_options),
        cmocka_unit_test (test_bad_jobspecs),        cmocka_unit_test (test_bad_placements),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
