/* tests/unit/test_jobspec.c — Flux jobspec V1 reading, checking and
 * writing (sim/jobspec.h). */
#include "testutil.h"

#include <string.h>

#include <glib.h>

#include "sim/jobspec.h"
#include "sim/jsonutil.h"

static struct flurm_jobspec *load_text (const char *text, flurm_error_t *err)
{
    return flurm_jobspec_load_buffer (text, strlen (text), "t.yaml", err);
}

static char *dump (const struct flurm_jobspec *js)
{
    json_t *o = flurm_jobspec_to_json (js);
    char *s = json_dumps (o, JSON_COMPACT);
    json_decref (o);
    return s;
}

static gint compare_paths (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The files of a tests/data folder whose names end with `suffix`, sorted,
 * as full paths (free with g_ptr_array_unref). */
static GPtrArray *data_files (const char *dir, const char *prefix, const char *suffix)
{
    char *dirpath = g_strdup (test_data (dir));
    GDir *d = g_dir_open (dirpath, 0, NULL);
    if (!d)
        fail_msg ("cannot list %s", dirpath);
    GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    while ((name = g_dir_read_name (d))) {
        if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, suffix))
            g_ptr_array_add (files, g_build_filename (dirpath, name, NULL));
    }
    g_dir_close (d);
    g_free (dirpath);
    g_ptr_array_sort (files, compare_paths);
    return files;
}

/* file -> struct -> JSON -> struct -> JSON gives the same JSON twice. */
static void assert_round_trip (const char *path)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_file (path, &err);
    if (!js)
        fail_msg ("%s", err.text);
    assert_int_equal (flurm_jobspec_validate (js, &err), 0);
    json_t *first = flurm_jobspec_to_json (js);
    struct flurm_jobspec *again = flurm_jobspec_from_json (first, path, &err);
    if (!again)
        fail_msg ("%s after one round: %s", path, err.text);
    char *a = json_dumps (first, JSON_COMPACT);
    char *b = dump (again);
    if (strcmp (a, b) != 0)
        fail_msg ("%s: round trip differs:\n%s\n%s", path, a, b);
    free (a);
    free (b);
    json_decref (first);
    flurm_jobspec_destroy (again);
    flurm_jobspec_destroy (js);
}

static void test_conformance_jobspecs (void **state)
{
    GPtrArray *files = data_files ("fluxion-conformance/jobspecs", "", ".yaml");
    assert_int_equal (files->len, 35);
    for (guint i = 0; i < files->len; i++)
        assert_round_trip (g_ptr_array_index (files, i));
    g_ptr_array_unref (files);
}

/* What `flux submit` / `flux job submit` sent, re-emitted unchanged: the
 * system attributes (cwd, shell options, exec.test, duration 2.0) intact. */
static void test_flux_jobspecs (void **state)
{
    GPtrArray *files = data_files ("flux-outputs", "", ".jobspec.json");
    assert_int_equal (files->len, 7);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index (files, i);
        assert_round_trip (path);
        flurm_error_t err;
        json_t *original = json_load_file (path, 0, NULL);
        assert_non_null (original);
        struct flurm_jobspec *js = flurm_jobspec_from_json (original, path, &err);
        if (!js)
            fail_msg ("%s", err.text);
        json_t *system = json_object_get (json_object_get (original, "attributes"), "system");
        assert_true (json_equal (js->system, system));
        json_t *out = flurm_jobspec_to_json (js);
        if (!json_equal (out, original))
            fail_msg ("%s is not re-emitted as it was", path);
        json_decref (out);
        flurm_jobspec_destroy (js);
        json_decref (original);
    }
    g_ptr_array_unref (files);

    flurm_error_t err;
    struct flurm_jobspec *js =
        flurm_jobspec_load_file (test_data ("flux-outputs/07-timeout-2s.jobspec.json"), &err);
    assert_non_null (js);
    assert_true (js->duration == 2.0);
    char *text = dump (js);
    assert_non_null (strstr (text, "\"duration\":2.0,\"cwd\":\"/tmp\""));
    assert_non_null (strstr (text, "\"nproc\":96551"));
    free (text);
    flurm_jobspec_destroy (js);
}

static void test_struct_fields (void **state)
{
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_file (
        test_data ("fluxion-conformance/jobspecs/node1x-sock2-slot1-core10.yaml"), &err);
    assert_non_null (js);
    assert_int_equal (js->version, 1);
    assert_int_equal (js->nresources, 1);
    const struct flurm_jobspec_resource *node = &js->resources[0];
    assert_string_equal (node->type, "node");
    assert_true (node->exclusive && node->exclusive_given);
    assert_int_equal (node->count.min, 1);
    assert_int_equal (node->count.max, 1);
    assert_int_equal (node->count.op, '+');
    assert_int_equal (node->line, 4);
    assert_int_equal (node->col, 5);
    const struct flurm_jobspec_resource *socket = &node->with[0];
    assert_string_equal (socket->type, "socket");
    assert_int_equal (socket->count.min, 2);
    const struct flurm_jobspec_resource *slot = &socket->with[0];
    assert_string_equal (slot->type, "slot");
    assert_string_equal (slot->label, "task");
    assert_true (slot->exclusive);
    assert_false (slot->exclusive_given);
    assert_int_equal (slot->with[0].count.min, 10);
    assert_true (slot->with[0].exclusive); /* implied inside the slot */
    assert_int_equal (js->ntasks, 1);
    assert_string_equal (js->tasks[0].command[0], "app");
    assert_null (js->tasks[0].command[1]);
    assert_string_equal (js->tasks[0].slot, "task");
    assert_int_equal (js->tasks[0].count_kind, FLURM_TASK_PER_SLOT);
    assert_int_equal (js->tasks[0].count, 1);
    assert_true (js->duration == 3600);
    assert_null (js->queue);
    assert_null (js->constraints);
    assert_null (js->user);
    assert_int_equal (flurm_jobspec_nslots (js), 2);
    flurm_jobspec_destroy (js);

    js = flurm_jobspec_load_file (
        test_data ("fluxion-conformance/jobspecs/slot5-core1-cosched.yaml"), &err);
    assert_non_null (js);
    assert_non_null (js->constraints);
    json_t *c = flurm_constraint_to_json (js->constraints);
    char *text = json_dumps (c, JSON_COMPACT);
    assert_string_equal (text, "{\"properties\":[\"cosched\"]}");
    free (text);
    json_decref (c);
    assert_int_equal (flurm_jobspec_nslots (js), 5);
    flurm_jobspec_destroy (js);

    js = flurm_jobspec_load_file (test_data ("fluxion-conformance/jobspecs/node1-spread10.yaml"),
                                  &err);
    assert_int_equal (flurm_jobspec_nslots (js), 10);
    flurm_jobspec_destroy (js);
    assert_int_equal (flurm_jobspec_nslots (NULL), 0);
}

static const char *const FULL =
    "version: 1\n"
    "resources:\n"
    "  - type: node\n"
    "    count: {min: 2, max: 16, operator: '*', operand: 2}\n"
    "    with:\n"
    "      - type: slot\n"
    "        count: {min: 1}\n"
    "        label: task\n"
    "        exclusive: true\n"
    "        with:\n"
    "          - {type: core, count: 4}\n"
    "          - {type: memory, count: 8, unit: GB, id: mem0}\n"
    "tasks:\n"
    "  - command: [app, --size, '10']\n"
    "    slot: task\n"
    "    count: {total: 12}\n"
    "    distribution: cyclic\n"
    "    attributes: {environment: {OMP_NUM_THREADS: '4'}}\n"
    "attributes:\n"
    "  user: {study: [1, 2]}\n"
    "  system:\n"
    "    duration: 1.5\n"
    "    queue: cosched\n"
    "    constraints: {and: [{properties: [cosched]}, {not: [{hostlist: ['aris3']}]}]}\n"
    "    dependencies: [{scheme: afterok, value: '1234'}]\n"
    "    shell: {options: {cpu-affinity: per-task}}\n";

/* Every optional part of a jobspec survives the trip, in canonical order. */
static void test_everything (void **state)
{
    flurm_error_t err;
    struct flurm_jobspec *js = load_text (FULL, &err);
    if (!js)
        fail_msg ("%s", err.text);
    const struct flurm_count *nc = &js->resources[0].count;
    assert_int_equal (nc->min, 2);
    assert_int_equal (nc->max, 16);
    assert_int_equal (nc->op, '*');
    assert_int_equal (nc->operand, 2);
    const struct flurm_count *sc = &js->resources[0].with[0].count;
    assert_int_equal (sc->min, 1);
    assert_int_equal (sc->max, UINT32_MAX);
    assert_int_equal (js->tasks[0].count_kind, FLURM_TASK_TOTAL);
    assert_int_equal (js->tasks[0].count, 12);
    assert_string_equal (js->tasks[0].command[2], "10");
    assert_string_equal (js->queue, "cosched");
    assert_true (js->duration == 1.5);
    assert_int_equal (flurm_jobspec_nslots (js), 2);
    char *text = dump (js);
    assert_string_equal (
        text, "{\"version\":1,\"resources\":[{\"type\":\"node\",\"count\":{\"min\":2,\"max\":16,"
              "\"operator\":\"*\",\"operand\":2},\"with\":[{\"type\":\"slot\",\"count\":{\"min\":1,"
              "\"operator\":\"+\",\"operand\":1},\"exclusive\":true,\"label\":\"task\",\"with\":["
              "{\"type\":\"core\",\"count\":4},{\"type\":\"memory\",\"count\":8,\"unit\":\"GB\","
              "\"id\":\"mem0\"}]}]}],"
              "\"tasks\":[{\"command\":[\"app\",\"--size\",\"10\"],\"slot\":\"task\",\"count\":"
              "{\"total\":12},\"distribution\":\"cyclic\",\"attributes\":{\"environment\":"
              "{\"OMP_NUM_THREADS\":\"4\"}}}],\"attributes\":{\"system\":{\"duration\":1.5,"
              "\"queue\":\"cosched\",\"constraints\":{\"and\":[{\"properties\":[\"cosched\"]},"
              "{\"not\":[{\"hostlist\":[\"aris3\"]}]}]},\"dependencies\":[{\"scheme\":\"afterok\","
              "\"value\":\"1234\"}],\"shell\":{\"options\":{\"cpu-affinity\":\"per-task\"}}},"
              "\"user\":{\"study\":[1,2]}}}");
    /* and once more through JSON: the same text */
    json_t *o = json_loads (text, 0, NULL);
    struct flurm_jobspec *again = flurm_jobspec_from_json (o, "again", &err);
    assert_non_null (again);
    char *text2 = dump (again);
    assert_string_equal (text, text2);
    free (text);
    free (text2);
    json_decref (o);
    flurm_jobspec_destroy (again);
    flurm_jobspec_destroy (js);
}

/* The struct fields win over the copy of attributes.system they came from. */
static void test_fields_override_system (void **state)
{
    flurm_error_t err;
    struct flurm_jobspec *js = load_text (FULL, &err);
    assert_non_null (js);
    js->duration = 60;
    g_free (js->queue);
    js->queue = NULL;
    flurm_constraint_destroy (js->constraints);
    js->constraints = flurm_constraint_from_requires ("normal", &err);
    json_t *o = flurm_jobspec_to_json (js);
    json_t *system = json_object_get (json_object_get (o, "attributes"), "system");
    assert_int_equal (json_integer_value (json_object_get (system, "duration")), 60);
    assert_null (json_object_get (system, "queue"));
    char *c = json_dumps (json_object_get (system, "constraints"), JSON_COMPACT);
    assert_string_equal (c, "{\"properties\":[\"normal\"]}");
    free (c);
    assert_non_null (json_object_get (system, "shell"));
    json_decref (o);
    flurm_jobspec_destroy (js);
}

/* Each bad fixture says on its second line what the error must be:
 * "# expect: LINE:COL: message" (a prefix of the message after the file
 * name). */
static void test_bad_fixtures (void **state)
{
    GPtrArray *files = data_files ("jobspec", "bad-", ".yaml");
    assert_true (files->len >= 30);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index (files, i);
        char *text = test_slurp (path, NULL);
        char *line = strstr (text, "\n# expect: ");
        if (!line)
            fail_msg ("%s has no '# expect:' line", path);
        line += strlen ("\n# expect: ");
        char *expected = g_strdup_printf ("%s:%.*s", path, (int)strcspn (line, "\n"), line);
        flurm_error_t err;
        struct flurm_jobspec *js = flurm_jobspec_load_file (path, &err);
        if (js)
            fail_msg ("%s was accepted", path);
        if (!g_str_has_prefix (err.text, expected))
            fail_msg ("%s:\n  got      %s\n  expected %s", path, err.text, expected);
        g_free (expected);
        g_free (text);
    }
    g_ptr_array_unref (files);
}

static void assert_file_error (const char *name, const char *expected)
{
    char *path = g_strdup (test_data (name));
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_load_file (path, &err);
    assert_null (js);
    char *full = g_strdup_printf ("%s:%s", path, expected);
    assert_string_equal (err.text, full);
    g_free (full);
    g_free (path);
}

static void test_bad_json_files (void **state)
{
    assert_file_error ("jobspec/bad-json-syntax.json", "4:9: ']' expected near ':'");
    assert_file_error ("jobspec/bad-count-zero.json", "3:52: count must be >= 1 (got 0)");
    flurm_error_t err;
    assert_null (flurm_jobspec_load_file ("/nonexistent.yaml", &err));
    assert_string_equal (err.text, "/nonexistent.yaml: cannot open: No such file or directory");
}

static void assert_json_error (const char *json, const char *expected)
{
    json_error_t jerr;
    json_t *o = json_loads (json, 0, &jerr);
    if (!o)
        fail_msg ("bad test JSON: %s", jerr.text);
    flurm_error_t err;
    struct flurm_jobspec *js = flurm_jobspec_from_json (o, "job 42", &err);
    json_decref (o);
    if (js) {
        flurm_jobspec_destroy (js);
        fail_msg ("accepted, but should fail with %s", expected);
    }
    assert_string_equal (err.text, expected);
}

#define JS_HEAD "{\"version\": 1, \"resources\": [{\"type\": \"slot\", \"label\": \"task\", "
#define JS_TAIL                                                                                    \
    "\"tasks\": [{\"command\": [\"app\"], \"slot\": \"task\", \"count\": {\"per_slot\": 1}}], "    \
    "\"attributes\": {\"system\": {\"duration\": 0}}}"

/* From jansson there are no positions: messages name the JSON path. */
static void test_json_paths (void **state)
{
    assert_json_error (JS_HEAD
                       "\"count\": 1, \"with\": [{\"type\": \"core\", \"count\": 0}]}], " JS_TAIL,
                       "job 42: resources[0].with[0].count: count must be >= 1 (got 0)");
    assert_json_error (JS_HEAD "\"count\": 1, \"with\": [{\"type\": \"core\", \"count\": 1, "
                               "\"exclusive\": false}]}], " JS_TAIL,
                       "job 42: resources[0].with[0].exclusive: exclusive: false inside a slot "
                       "(everything in a slot is allocated exclusively)");
    assert_json_error (JS_HEAD "\"count\": 1, \"with\": [{\"type\": \"core\", \"count\": 1}]}], "
                               "\"tasks\": [], \"attributes\": {\"system\": {\"duration\": 0}}}",
                       "job 42: tasks: tasks must not be empty");
    assert_json_error ("[1]", "job 42: jobspec must be a mapping, not a list");
    assert_json_error ("{\"version\": 1.0}", "job 42: jobspec is missing required key 'resources'");
}

static void assert_text_error (const char *yaml, const char *expected)
{
    flurm_error_t err;
    struct flurm_jobspec *js = load_text (yaml, &err);
    if (js) {
        flurm_jobspec_destroy (js);
        fail_msg ("accepted, but should fail with %s", expected);
    }
    if (!g_str_has_prefix (err.text, expected))
        fail_msg ("got \"%s\", expected \"%s\"", err.text, expected);
}

/* A one-slot jobspec with `count` (of the core) and `task` spliced in. */
static char *variant (const char *core_count, const char *task_count, const char *extra)
{
    return g_strdup_printf ("version: 1\n"
                            "resources:\n"
                            "  - type: slot\n"
                            "    count: 1\n"
                            "    label: task\n"
                            "    with:\n"
                            "      - type: core\n"
                            "        count: %s\n"
                            "tasks:\n"
                            "  - command: [app]\n"
                            "    slot: task\n"
                            "    count: %s\n"
                            "attributes:\n"
                            "  system:\n"
                            "    duration: 0\n%s",
                            core_count, task_count, extra);
}

static void check_variant (const char *core_count, const char *task_count, const char *extra,
                           const char *expected)
{
    char *text = variant (core_count, task_count, extra);
    if (expected) {
        assert_text_error (text, expected);
    } else {
        flurm_error_t err;
        struct flurm_jobspec *js = load_text (text, &err);
        if (!js)
            fail_msg ("%s", err.text);
        flurm_jobspec_destroy (js);
    }
    g_free (text);
}

static void test_counts (void **state)
{
    const char *ok = "{per_slot: 1}";
    check_variant ("2147483647", ok, "", NULL);
    check_variant ("2147483648", ok, "", "t.yaml:8:16: count must be <= 2147483647");
    check_variant ("99999999999999999999999", ok, "", "t.yaml:8:16: count must be <= 2147483647");
    check_variant ("'4'", ok, "", "t.yaml:8:16: count must be an integer, not the string \"4\"");
    check_variant ("1.5", ok, "", "t.yaml:8:16: count must be an integer, not 1.5");
    check_variant ("[1]", ok, "",
                   "t.yaml:8:16: count must be an integer or a mapping {min, max, operator, "
                   "operand}");
    check_variant ("{max: 4}", ok, "", "t.yaml:8:16: count is missing required key 'min'");
    check_variant ("{min: 1, step: 2}", ok, "", "t.yaml:8:25: unknown key 'step' in count");
    check_variant ("{min: 0}", ok, "", "t.yaml:8:22: count.min must be >= 1 (got 0)");
    check_variant ("{min: 1, max: 8, operator: '*'}", ok, "",
                   "t.yaml:8:16: count.operator '*' needs an operand >= 2");
    check_variant ("{min: 1, max: 8, operator: '*', operand: 1}", ok, "",
                   "t.yaml:8:57: count.operator '*' needs an operand >= 2");
    check_variant ("{min: 1, max: 8, operator: '^', operand: 2}", ok, "",
                   "t.yaml:8:22: count.operator '^' needs count.min >= 2");
    check_variant ("{min: 2, max: 8, operator: '^', operand: 2}", ok, "", NULL);
    check_variant ("{min: 1, operator: +, operand: 3}", ok, "", NULL);
    check_variant ("1", "{per_slot: 0}", "", "t.yaml:12:23: count.per_slot must be >= 1 (got 0)");
    check_variant ("1", "{total: -1}", "", "t.yaml:12:20: count.total must be >= 1 (got -1)");
    check_variant ("1", "{per_resource: {type: core, count: 1}}", "",
                   "t.yaml:12:12: task count per_resource is not part of jobspec version 1");
    check_variant ("1", "1", "", "t.yaml:12:12: task count must be a mapping, not 1");
}

static void test_more_errors (void **state)
{
    const char *ok = "{per_slot: 1}";
    check_variant ("1", ok, "    queue: [a]\n", "t.yaml:16:12: queue must be a string, not a list");
    check_variant ("1", ok, "    queue:\n", "t.yaml:16:11: queue must be a string, not null");
    check_variant ("1", ok, "    duration: 5\n",
                   "t.yaml:16:5: duplicate key 'duration' (first at line 15, column 5)");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: task, with: "
                       "[{type: core, count: 1}]}]\ntasks: [{command: [a], slot: task, count: "
                       "{per_slot: 1}}]\nattributes: {system: {duration: .inf}}\n",
                       "t.yaml:4:33: duration must be finite (0 means unlimited)");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: task, with: "
                       "[{type: core, count: 1}]}]\ntasks: [{command: [a], slot: task, count: "
                       "{per_slot: 1}}]\nattributes: {system: {duration: '60'}}\n",
                       "t.yaml:4:33: duration must be a number, not the string \"60\"");
    check_variant ("1", ok, "    dependencies: {scheme: afterok}\n",
                   "t.yaml:16:19: dependencies must be a list, not a mapping");
    check_variant ("1", ok, "    dependencies: [{scheme: afterok}]\n",
                   "t.yaml:16:20: dependency is missing required key 'value'");
    check_variant ("1", ok, "    big: 1e400\n", "t.yaml:16:10: 1e400 has no JSON form");
    check_variant ("1", ok, "  user: [1]\n", "t.yaml:16:9: attributes.user must be a mapping");
    assert_text_error ("version: 1\nresources: []\ntasks: []\nattributes: {}\n",
                       "t.yaml:2:12: resources must not be empty");
    /* RFC 14: the command is strings; YAML's 1.5 and true are not */
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: task, with: "
                       "[{type: core, count: 1}]}]\ntasks: [{command: [1.5, true], slot: task, "
                       "count: {per_slot: 1}}]\nattributes: {system: {duration: 0}}\n",
                       "t.yaml:3:20: command items must be strings (item 0 is 1.5)");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: task, with: "
                       "[{type: core, count: 1}]}]\ntasks: [{command: [a, true], slot: task, "
                       "count: {per_slot: 1}}]\nattributes: {system: {duration: 0}}\n",
                       "t.yaml:3:23: command items must be strings (item 1 is true)");
    assert_text_error ("version: 1\nresources: {}\ntasks: []\nattributes: {}\n",
                       "t.yaml:2:12: resources must be a list, not a mapping");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: x, with: []}]\n"
                       "tasks: []\nattributes: {}\n",
                       "t.yaml:2:52: with must not be empty");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: x}]\n"
                       "tasks: []\nattributes: {}\n",
                       "t.yaml:2:13: slot has no 'with' list");
    assert_text_error ("version: 1\nresources: [{count: 1}]\ntasks: []\nattributes: {}\n",
                       "t.yaml:2:13: resource is missing required key 'type'");
    assert_text_error ("version: 1\nresources: [{type: core, count: 1, label: ~}]\n"
                       "tasks: []\nattributes: {}\n",
                       "t.yaml:2:43: label must be a string, not null");
    assert_text_error ("- 1\n", "t.yaml:1:1: jobspec must be a mapping, not a list");
    assert_text_error ("version: 1\nresources: [{type: slot, count: 1, label: task, with: "
                       "[{type: core, count: 1}]}]\ntasks: [{command: [''], slot: task, count: "
                       "{per_slot: 1}}]\nattributes: {system: {duration: 0}}\n",
                       "t.yaml:3:20: command starts with an empty program name");
    /* deeper than FLURM_JOBSPEC_MAX_DEPTH */
    GString *deep = g_string_new ("version: 1\nresources:\n");
    for (int i = 0; i <= FLURM_JOBSPEC_MAX_DEPTH; i++)
        g_string_append_printf (deep, "%*s- type: socket\n%*s  count: 1\n%*s  with:\n", 2 * i, "",
                                2 * i, "", 2 * i, "");
    g_string_append_printf (deep, "%*s- {type: core, count: 1}\n", 2 * FLURM_JOBSPEC_MAX_DEPTH + 2,
                            "");
    g_string_append (deep, "tasks: []\nattributes: {}\n");
    flurm_error_t err;
    assert_null (load_text (deep->str, &err));
    assert_non_null (strstr (err.text, ": resources nested deeper than 16 levels"));
    g_string_free (deep, TRUE);
}

/* A jobspec built in code, as the allocation shapes build them. */
static void test_validate_built (void **state)
{
    struct flurm_jobspec_resource core = {
        .type = "core", .count = {.min = 1, .max = 1, .op = '+', .operand = 1}, .exclusive = true};
    struct flurm_jobspec_resource slot = {.type = "slot",
                                          .count = {.min = 8, .max = 8, .op = '+', .operand = 1},
                                          .label = "task",
                                          .exclusive = true,
                                          .with = &core,
                                          .nwith = 1};
    char *command[] = {"app", NULL};
    struct flurm_jobspec_task task = {
        .command = command, .slot = "task", .count_kind = FLURM_TASK_PER_SLOT, .count = 1};
    struct flurm_jobspec js = {.version = 1,
                               .resources = &slot,
                               .nresources = 1,
                               .tasks = &task,
                               .ntasks = 1,
                               .duration = 600};
    flurm_error_t err;
    assert_int_equal (flurm_jobspec_validate (&js, &err), 0);
    assert_int_equal (flurm_jobspec_nslots (&js), 8);
    char *text = dump (&js);
    assert_string_equal (text,
                         "{\"version\":1,\"resources\":[{\"type\":\"slot\",\"count\":8,"
                         "\"label\":\"task\",\"with\":[{\"type\":\"core\",\"count\":1}]}],"
                         "\"tasks\":[{\"command\":[\"app\"],\"slot\":\"task\",\"count\":"
                         "{\"per_slot\":1}}],\"attributes\":{\"system\":{\"duration\":600}}}");
    free (text);

    core.count.min = core.count.max = 0;
    assert_int_equal (flurm_jobspec_validate (&js, &err), -1);
    assert_string_equal (err.text, "jobspec: resources[0].with[0].count: count must be >= 1 "
                                   "(got 0)");
    core.count.min = core.count.max = 1;
    core.exclusive = false; /* not what a slot implies: written out, then refused */
    assert_int_equal (flurm_jobspec_validate (&js, &err), -1);
    assert_string_equal (err.text, "jobspec: resources[0].with[0].exclusive: exclusive: false "
                                   "inside a slot (everything in a slot is allocated "
                                   "exclusively)");
    core.exclusive = true;
    slot.label = NULL;
    assert_int_equal (flurm_jobspec_validate (&js, &err), -1);
    assert_string_equal (err.text, "jobspec: resources[0]: slot has no label (tasks name their "
                                   "slot by its label)");
    slot.label = "task";
    js.duration = -1;
    assert_int_equal (flurm_jobspec_validate (&js, &err), -1);
    assert_string_equal (err.text, "jobspec: attributes.system.duration: duration must be >= 0 "
                                   "(got -1)");
    js.duration = 0;
    js.version = 2;
    assert_int_equal (flurm_jobspec_validate (&js, &err), -1);
    assert_string_equal (err.text, "jobspec: version: unsupported version 2 (only version 1 is "
                                   "supported)");
    assert_int_equal (flurm_jobspec_validate (NULL, &err), -1);
}

/* A duration of -0.0 is written 0, and 0.1 as 0.1 (not
 * 0.10000000000000001). */
static void test_duration_form (void **state)
{
    static const struct {
        const char *given, *written;
    } cases[] = {{"-0.0", "\"duration\":0"}, {"0.1", "\"duration\":0.1"}};
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        char *text = g_strdup_printf (
            "version: 1\nresources: [{type: slot, count: 1, label: task, with: [{type: core, "
            "count: 1}]}]\ntasks: [{command: [a], slot: task, count: {per_slot: 1}}]\n"
            "attributes: {system: {duration: %s}}\n",
            cases[i].given);
        flurm_error_t err;
        struct flurm_jobspec *js = load_text (text, &err);
        if (!js)
            fail_msg ("%s", err.text);
        json_t *o = flurm_jobspec_to_json (js);
        char *out = json_dumps (o, JSON_COMPACT | flurm_json_real_precision (o));
        if (!strstr (out, cases[i].written))
            fail_msg ("%s: '%s' lacks '%s'", cases[i].given, out, cases[i].written);
        free (out);
        json_decref (o);
        flurm_jobspec_destroy (js);
        g_free (text);
    }
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_conformance_jobspecs),
        cmocka_unit_test (test_flux_jobspecs),
        cmocka_unit_test (test_struct_fields),
        cmocka_unit_test (test_everything),
        cmocka_unit_test (test_fields_override_system),
        cmocka_unit_test (test_bad_fixtures),
        cmocka_unit_test (test_bad_json_files),
        cmocka_unit_test (test_json_paths),
        cmocka_unit_test (test_counts),
        cmocka_unit_test (test_more_errors),
        cmocka_unit_test (test_validate_built),
        cmocka_unit_test (test_duration_form),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
