/* tests/unit/test_doc.c — YAML/JSON documents with positions (sim/doc.h). */
#include "testutil.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "sim/doc.h"

static struct flurm_doc *load (const char *text, flurm_error_t *err)
{
    return flurm_doc_load_buffer (text, strlen (text), "t.yaml", err);
}

/* Loading must fail with exactly this message. */
static void assert_load_error (const char *text, const char *expected)
{
    flurm_error_t err;
    struct flurm_doc *doc = load (text, &err);
    if (doc) {
        flurm_doc_destroy (doc);
        fail_msg ("loaded, but should fail with: %s", expected);
    }
    assert_string_equal (err.text, expected);
}

static char *to_json_text (const struct flurm_doc_node *n)
{
    json_t *o = flurm_doc_to_json (n);
    if (!o)
        return NULL;
    char *s = json_dumps (o, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref (o);
    return s;
}

static void test_positions_and_quoting (void **state)
{
    flurm_error_t err;
    struct flurm_doc *doc = load ("# comment\n"
                                  "name: job\n"
                                  "list:\n"
                                  "  - 1\n"
                                  "  - \"1\"\n"
                                  "map: {a: 'x', b: [true]}\n",
                                  &err);
    assert_non_null (doc);
    const struct flurm_doc_node *root = doc->root;
    assert_int_equal (root->kind, FLURM_DOC_MAPPING);
    assert_int_equal (root->n, 3);
    assert_string_equal (flurm_doc_key (root, 1), "list");
    assert_null (flurm_doc_key (root, 3));
    assert_null (flurm_doc_value (root, 3));

    const struct flurm_doc_node *list = flurm_doc_get (root, "list");
    assert_int_equal (list->kind, FLURM_DOC_SEQUENCE);
    assert_int_equal (list->n, 2);
    assert_int_equal (list->items[0]->line, 4);
    assert_int_equal (list->items[0]->col, 5);
    assert_false (list->items[0]->quoted);
    assert_int_equal (list->items[1]->line, 5);
    assert_true (list->items[1]->quoted); /* "1" is a string, 1 a number */

    const struct flurm_doc_node *map = flurm_doc_get (root, "map");
    assert_int_equal (map->line, 6);
    assert_int_equal (map->col, 6);
    assert_string_equal (flurm_doc_get (map, "a")->text, "x");
    assert_int_equal (flurm_doc_get (map, "b")->col, 18);
    assert_null (flurm_doc_get (map, "missing"));
    assert_null (flurm_doc_get (list, "a")); /* not a mapping */

    char *json = to_json_text (root);
    assert_string_equal (
        json, "{\"name\":\"job\",\"list\":[1,\"1\"],\"map\":{\"a\":\"x\",\"b\":[true]}}");
    free (json);
    flurm_doc_destroy (doc);
}

/* Plain scalars are typed as PyYAML's safe_load (YAML 1.1) types them,
 * narrowed to decimal integers. */
static void test_yaml_typing (void **state)
{
    flurm_error_t err;
    struct flurm_doc *doc =
        load ("- ~\n- null\n- NULL\n-\n- yes\n- No\n- on\n- OFF\n- True\n- false\n- 0\n"
              "- -7\n- +7\n- 9223372036854775807\n- 1.5\n- 1e5\n- 3.\n- .5\n- -0.0\n"
              "- 010\n- 0x10\n- 1_000\n- 1:30\n- 'yes'\n- \"2\"\n- !!str 3\n- ! 4\n"
              "- plain text\n",
              &err);
    assert_non_null (doc);
    char *json = to_json_text (doc->root);
    assert_string_equal (json, "[null,null,null,null,true,false,true,false,true,false,0,-7,7,"
                               "9223372036854775807,1.5,100000.0,3.0,0.5,-0.0,\"010\",\"0x10\","
                               "\"1_000\",\"1:30\",\"yes\",\"2\",\"3\",\"4\",\"plain text\"]");
    free (json);
    flurm_doc_destroy (doc);
}

static void test_no_json_form (void **state)
{
    flurm_error_t err;
    struct flurm_doc *doc = load ("a: 1\nb: [ok, 99999999999999999999]\nc: .inf\n", &err);
    assert_non_null (doc);
    assert_null (flurm_doc_to_json (doc->root));
    assert_null (flurm_doc_to_json_checked (doc, doc->root, &err));
    assert_string_equal (err.text, "t.yaml:2:9: 99999999999999999999 has no JSON form "
                                   "(integers must fit 64 bits, floats must be finite)");
    /* ...but each value still reads as the number it is */
    double d;
    assert_int_equal (flurm_doc_double (doc, flurm_doc_get (doc->root, "c"), "c", &d, &err), 0);
    assert_true (isinf (d) && d > 0);
    int64_t v;
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (doc->root, "b")->items[1], "b",
                                       INT64_MIN, INT64_MAX, &v, &err),
                      -1);
    assert_string_equal (err.text, "t.yaml:2:9: b must be <= 9223372036854775807 "
                                   "(got 99999999999999999999)");
    flurm_doc_destroy (doc);
}

static void test_typed_reads (void **state)
{
    flurm_error_t err;
    struct flurm_doc *doc = load ("count: 4\n"
                                  "neg: -2\n"
                                  "text: \"4\"\n"
                                  "flag: true\n"
                                  "real: 2.5\n"
                                  "list: [a]\n",
                                  &err);
    assert_non_null (doc);
    const struct flurm_doc_node *r = doc->root;
    int64_t v = 0;
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "count"), "count", 1, 10, &v, &err),
                      0);
    assert_int_equal (v, 4);
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "count"), "count", 5, 10, &v, &err),
                      -1);
    assert_string_equal (err.text, "t.yaml:1:8: count must be >= 5 (got 4)");
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "count"), "count", 1, 3, &v, &err),
                      -1);
    assert_string_equal (err.text, "t.yaml:1:8: count must be <= 3 (got 4)");
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "neg"), "neg", 0, 3, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml:2:6: neg must be >= 0 (got -2)");
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "text"), "text", 0, 9, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml:3:7: text must be an integer, not the string \"4\"");
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "real"), "real", 0, 9, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml:5:7: real must be an integer, not 2.5");
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (r, "list"), "list", 0, 9, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml:6:7: list must be an integer, not a list");
    assert_int_equal (flurm_doc_int64 (doc, NULL, "gone", 0, 9, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml: gone must be an integer, not missing");

    double d = 0;
    assert_int_equal (flurm_doc_double (doc, flurm_doc_get (r, "count"), "c", &d, &err), 0);
    assert_true (d == 4.0);
    assert_int_equal (flurm_doc_double (doc, flurm_doc_get (r, "real"), "r", &d, &err), 0);
    assert_true (d == 2.5);
    assert_int_equal (flurm_doc_double (doc, flurm_doc_get (r, "flag"), "flag", &d, &err), -1);
    assert_string_equal (err.text, "t.yaml:4:7: flag must be a number, not true");

    bool b = false;
    assert_int_equal (flurm_doc_bool (doc, flurm_doc_get (r, "flag"), "flag", &b, &err), 0);
    assert_true (b);
    assert_int_equal (flurm_doc_bool (doc, flurm_doc_get (r, "count"), "count", &b, &err), -1);
    assert_string_equal (err.text, "t.yaml:1:8: count must be true or false, not 4");

    assert_string_equal (flurm_doc_string (doc, flurm_doc_get (r, "count"), "c", &err), "4");
    assert_null (flurm_doc_string (doc, flurm_doc_get (r, "list"), "list", &err));
    assert_string_equal (err.text, "t.yaml:6:7: list must be a string, not a list");

    assert_int_equal (flurm_doc_expect (doc, r, FLURM_DOC_MAPPING, "top", &err), 0);
    assert_int_equal (flurm_doc_expect (doc, r, FLURM_DOC_SEQUENCE, "top", &err), -1);
    assert_string_equal (err.text, "t.yaml:1:1: top must be a list, not a mapping");
    flurm_doc_destroy (doc);
}

static void test_check_keys_and_error (void **state)
{
    flurm_error_t err;
    struct flurm_doc *doc = load ("type: core\ncount: 1\ncolour: blue\n", &err);
    assert_non_null (doc);
    static const char *const keys[] = {"type", "count", NULL};
    static const char *const more[] = {"type", "count", "colour", NULL};
    assert_int_equal (flurm_doc_check_keys (doc, doc->root, more, "resource", &err), 0);
    assert_int_equal (flurm_doc_check_keys (doc, doc->root, keys, "resource", &err), -1);
    assert_string_equal (err.text, "t.yaml:3:1: unknown key 'colour' in resource "
                                   "(expected one of type, count)");
    assert_int_equal (
        flurm_doc_error (doc, flurm_doc_get (doc->root, "count"), &err, "count is %d too many", 1),
        -1);
    assert_string_equal (err.text, "t.yaml:2:8: count is 1 too many");
    /* err may be NULL: the caller does not care why */
    assert_int_equal (flurm_doc_check_keys (doc, doc->root, keys, "resource", NULL), -1);
    flurm_doc_destroy (doc);
}

static void test_refusals (void **state)
{
    assert_load_error ("a: &x [1, 2]\nb: *x\n",
                       "t.yaml:1:4: anchors (&x) and aliases are not supported");
    assert_load_error ("a: *x\n", "t.yaml:1:4: aliases (*x) are not supported");
    assert_load_error ("a: 1\n---\nb: 2\n",
                       "t.yaml:2:1: a second document: only one document per file is read");
    assert_load_error ("a: 1\nb: 2\na: 3\n",
                       "t.yaml:3:1: duplicate key 'a' (first at line 1, column 1)");
    assert_load_error ("? [a, b]\n: 1\n", "t.yaml:1:3: mapping keys must be scalars, not lists");
    assert_load_error ("{? {a: 1} : 2}", "t.yaml:1:4: mapping keys must be scalars, not mappings");
    assert_load_error ("a: !!binary aGk=\n",
                       "t.yaml:1:4: unsupported tag 'tag:yaml.org,2002:binary'");
    assert_load_error ("a: !!map [1]\n", "t.yaml:1:4: unsupported tag 'tag:yaml.org,2002:map'");
    assert_load_error ("a: \"x\\0y\"\n", "t.yaml:1:4: strings must not contain a NUL character");
    assert_load_error ("", "t.yaml: empty document");
    flurm_error_t err;
    assert_null (flurm_doc_load_buffer (NULL, 0, "none", &err));
    assert_string_equal (err.text, "none: empty document");
    assert_load_error ("# only a comment\n", "t.yaml: empty document");
    assert_load_error ("a: \xff\n", "t.yaml:1:4: invalid leading UTF-8 octet (byte 0xff)");
}

static void test_duplicate_key_in_large_mapping (void **state)
{
    /* Past a few keys the duplicate check switches to a hash table; it must
     * find the same duplicates. */
    GString *text = g_string_new (NULL);
    for (int i = 0; i < 50; i++)
        g_string_append_printf (text, "k%d: %d\n", i, i);
    flurm_error_t err;
    struct flurm_doc *doc = load (text->str, &err);
    assert_non_null (doc);
    assert_int_equal (doc->root->n, 50);
    flurm_doc_destroy (doc);
    g_string_append (text, "k3: again\n");
    assert_load_error (text->str, "t.yaml:51:1: duplicate key 'k3' (first at line 4, column 1)");
    g_string_free (text, TRUE);
}

static void test_depth_limit (void **state)
{
    flurm_error_t err;
    GString *ok = g_string_new (NULL);
    for (int i = 0; i < FLURM_DOC_MAX_DEPTH; i++)
        g_string_append_c (ok, '[');
    for (int i = 0; i < FLURM_DOC_MAX_DEPTH; i++)
        g_string_append_c (ok, ']');
    struct flurm_doc *doc = load (ok->str, &err);
    assert_non_null (doc);
    flurm_doc_destroy (doc);

    GString *deep = g_string_new ("a:\n");
    for (int i = 0; i < FLURM_DOC_MAX_DEPTH; i++)
        g_string_append_printf (deep, "%*s- \n", 2 * i + 2, "");
    assert_null (load (deep->str, &err));
    assert_non_null (strstr (err.text, ": nesting deeper than 64 levels"));
    assert_true (g_str_has_prefix (err.text, "t.yaml:65:"));

    /* The same limit on the jansson path, and on a nesting bomb. */
    json_t *o = json_array ();
    for (int i = 0; i < FLURM_DOC_MAX_DEPTH; i++)
        o = json_pack ("[o]", o);
    assert_null (flurm_doc_from_json (o, "x.json", &err));
    assert_string_equal (err.text, "x.json: nesting deeper than 64 levels");
    json_decref (o);
    GString *bomb = g_string_new (NULL);
    for (int i = 0; i < 100000; i++)
        g_string_append_c (bomb, '[');
    assert_null (load (bomb->str, &err));
    assert_non_null (strstr (err.text, "nesting deeper than 64 levels"));
    g_string_free (ok, TRUE);
    g_string_free (deep, TRUE);
    g_string_free (bomb, TRUE);
}

static void test_size_limit (void **state)
{
    flurm_error_t err;
    /* The length is checked before a byte is read. */
    assert_null (flurm_doc_load_buffer ("{}", (size_t)FLURM_DOC_MAX_BYTES + 1, "big.json", &err));
    assert_string_equal (err.text, "big.json: input is larger than 256 MiB");

    char *path = g_strdup_printf ("%s/big.yaml", test_tmpdir ());
    int fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true (fd >= 0);
    assert_int_equal (ftruncate (fd, (off_t)FLURM_DOC_MAX_BYTES + 1), 0); /* sparse */
    close (fd);
    assert_null (flurm_doc_load_file (path, &err));
    assert_non_null (strstr (err.text, "big.yaml: input is larger than 256 MiB"));
    unlink (path);
    g_free (path);

    assert_null (flurm_doc_load_file ("/nonexistent/x.yaml", &err));
    assert_string_equal (err.text, "/nonexistent/x.yaml: cannot open: No such file or directory");
}

static void test_syntax_errors (void **state)
{
    assert_load_error ("a: 1\n b: 2\n",
                       "t.yaml:2:3: mapping values are not allowed in this context");
    assert_load_error ("a:\n  - 1\n  b: 2\n",
                       "t.yaml:3:3: did not find expected '-' indicator while parsing a block "
                       "collection started at line 2, column 3");
    /* JSON-looking text that neither libyaml nor jansson accepts: jansson's
     * message, with its line and column. */
    assert_load_error ("{\"a\": [1, 2,\n \"b\": 3}\n", "t.yaml:2:5: ']' expected near ':'");
    assert_load_error ("{\"a\": 1e5, \"b\": [true, false, null, -2E-3}",
                       "t.yaml:1:42: ']' expected near '}'");
    /* YAML flow style (bare keys) is YAML: libyaml's message and position,
     * not jansson's complaint about the first bare word. */
    assert_load_error ("{version: 1, resources: [}",
                       "t.yaml:1:26: did not find expected node content while parsing a flow "
                       "node started at line 1, column 26");
    assert_load_error ("[a, 'b', {c: 1}\n",
                       "t.yaml:2:1: did not find expected ',' or ']' while parsing a flow "
                       "sequence started at line 1, column 1");
    /* an input key quoted in a message stays one line */
    assert_load_error ("\"a\\nb\": 1\n\"a\\nb\": 2\n",
                       "t.yaml:2:1: duplicate key 'a\\nb' (first at line 1, column 1)");
}

static void test_json (void **state)
{
    flurm_error_t err;
    /* JSON is YAML: positions are known, "1" stays a string. */
    struct flurm_doc *doc = load ("{\"a\": 1,\n \"b\": [\"1\", 2.0, null, true, -3e2]}", &err);
    assert_non_null (doc);
    const struct flurm_doc_node *b = flurm_doc_get (doc->root, "b");
    assert_int_equal (b->line, 2);
    assert_int_equal (b->col, 7);
    char *json = to_json_text (doc->root);
    assert_string_equal (json, "{\"a\":1,\"b\":[\"1\",2.0,null,true,-300.0]}");
    free (json);
    flurm_doc_destroy (doc);

    /* A key longer than the 1024 characters YAML allows an implicit key:
     * libyaml refuses it, jansson reads it (without positions). */
    GString *text = g_string_new ("{\"");
    for (int i = 0; i < 1100; i++)
        g_string_append_c (text, 'k');
    g_string_append (text, "\": 1, \"count\": 0}");
    doc = load (text->str, &err);
    assert_non_null (doc);
    const struct flurm_doc_node *count = flurm_doc_get (doc->root, "count");
    assert_int_equal (count->line, 0);
    int64_t v;
    assert_int_equal (flurm_doc_int64 (doc, count, "count", 1, 9, &v, &err), -1);
    assert_string_equal (err.text, "t.yaml: count: count must be >= 1 (got 0)");
    flurm_doc_destroy (doc);
    g_string_free (text, TRUE);
}

static void test_from_json_paths (void **state)
{
    flurm_error_t err;
    json_t *o = json_loads ("{\"resources\": [{\"type\": \"node\", \"with\": "
                            "[{\"type\": \"core\", \"count\": 0}]}], \"d\": 2.0, "
                            "\"big\": 9007199254740993, \"s\": \"1\"}",
                            0, NULL);
    struct flurm_doc *doc = flurm_doc_from_json (o, "job.json", &err);
    assert_non_null (doc);
    const struct flurm_doc_node *res = flurm_doc_get (doc->root, "resources")->items[0];
    const struct flurm_doc_node *core = flurm_doc_get (res, "with")->items[0];
    int64_t v;
    assert_int_equal (flurm_doc_int64 (doc, flurm_doc_get (core, "count"), "count", 1, 9, &v, &err),
                      -1);
    assert_string_equal (err.text,
                         "job.json: resources[0].with[0].count: count must be >= 1 (got 0)");
    static const char *const keys[] = {"type", NULL};
    assert_int_equal (flurm_doc_check_keys (doc, res, keys, "resource", &err), -1);
    assert_string_equal (err.text, "job.json: resources[0].with: unknown key 'with' in resource "
                                   "(expected one of type)");
    assert_int_equal (flurm_doc_expect (doc, doc->root, FLURM_DOC_SEQUENCE, "jobspec", &err), -1);
    assert_string_equal (err.text, "job.json: jobspec must be a list, not a mapping");
    assert_true (flurm_doc_get (doc->root, "s")->quoted);
    /* Values come back as they went in: 2.0 stays a real, big integers exact. */
    json_t *back = flurm_doc_to_json (doc->root);
    assert_true (json_equal (back, o));
    assert_true (json_is_real (json_object_get (back, "d")));
    assert_int_equal (json_integer_value (json_object_get (back, "big")), 9007199254740993LL);
    json_decref (back);
    flurm_doc_destroy (doc);
    json_decref (o);

    assert_null (flurm_doc_from_json (NULL, "x", &err));
    json_t *nul = json_stringn ("a\0b", 3);
    assert_null (flurm_doc_from_json (nul, "x", &err));
    assert_string_equal (err.text, "x: strings must not contain a NUL character");
    json_decref (nul);
}

static void load_every (const char *dir, const char *suffix, int *count)
{
    GDir *d = g_dir_open (test_data (dir), 0, NULL);
    assert_non_null (d);
    char *dirpath = g_strdup (test_data (dir));
    const char *name;
    while ((name = g_dir_read_name (d))) {
        if (!g_str_has_suffix (name, suffix))
            continue;
        char *path = g_build_filename (dirpath, name, NULL);
        flurm_error_t err;
        struct flurm_doc *doc = flurm_doc_load_file (path, &err);
        if (!doc)
            fail_msg ("%s", err.text);
        assert_int_equal (doc->root->kind, FLURM_DOC_MAPPING);
        assert_true (doc->root->line > 0);
        /* ...and a real jobspec converts to JSON without loss */
        json_t *o = flurm_doc_to_json (doc->root);
        assert_non_null (o);
        assert_true (json_is_integer (json_object_get (o, "version")));
        json_decref (o);
        flurm_doc_destroy (doc);
        g_free (path);
        (*count)++;
    }
    g_free (dirpath);
    g_dir_close (d);
}

static void test_real_jobspecs_load (void **state)
{
    int n = 0;
    load_every ("fluxion-conformance/jobspecs", ".yaml", &n);
    assert_int_equal (n, 35);
    n = 0;
    load_every ("flux-outputs", ".jobspec.json", &n);
    assert_int_equal (n, 7);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_positions_and_quoting),
        cmocka_unit_test (test_yaml_typing),
        cmocka_unit_test (test_no_json_form),
        cmocka_unit_test (test_typed_reads),
        cmocka_unit_test (test_check_keys_and_error),
        cmocka_unit_test (test_refusals),
        cmocka_unit_test (test_duplicate_key_in_large_mapping),
        cmocka_unit_test (test_depth_limit),
        cmocka_unit_test (test_size_limit),
        cmocka_unit_test (test_syntax_errors),
        cmocka_unit_test (test_json),
        cmocka_unit_test (test_from_json_paths),
        cmocka_unit_test (test_real_jobspecs_load),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
