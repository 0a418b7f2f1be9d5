/* tests/unit/test_constraint.c — RFC 31 constraints and RFC 35 --requires
 * strings (sim/constraint.h). */
#include "testutil.h"

#include <string.h>

#include <glib.h>

#include "sim/constraint.h"
#include "sim/jgf.h"

static struct flurm_constraint *parse_json (const char *text, flurm_error_t *err)
{
    json_error_t jerr;
    json_t *o = json_loads (text, JSON_DECODE_ANY, &jerr);
    if (!o)
        fail_msg ("bad test JSON %s: %s", text, jerr.text);
    struct flurm_constraint *c = flurm_constraint_from_json (o, "constraints", err);
    json_decref (o);
    return c;
}

static char *dump (const struct flurm_constraint *c)
{
    json_t *o = flurm_constraint_to_json (c);
    char *s = json_dumps (o, JSON_COMPACT);
    json_decref (o);
    return s;
}

/* Reading then writing gives back the same object. */
static void test_json_round_trip (void **state)
{
    static const char *const texts[] = {
        "{}",
        "{\"properties\":[\"cosched\"]}",
        "{\"properties\":[\"^normal\",\"amd-mi50@gpu\",\"+local\"]}",
        "{\"hostlist\":[\"aris[0-3]\",\"login1\"]}",
        "{\"ranks\":[\"0-3,7\",\"[9]\"]}",
        "{\"and\":[]}",
        "{\"or\":[]}",
        "{\"not\":[]}",
        ("{\"and\":[{\"properties\":[\"a\"]},"
         "{\"or\":[{\"hostlist\":[\"x1\"]},{\"ranks\":[\"2\"]}]}]}"),
        "{\"not\":[{\"properties\":[\"a\",\"b\"]}]}",
        "{\"properties\":[\"a\"],\"ranks\":[\"1\"]}", /* two keys = and */
    };
    for (size_t i = 0; i < G_N_ELEMENTS (texts); i++) {
        flurm_error_t err;
        struct flurm_constraint *c = parse_json (texts[i], &err);
        if (!c)
            fail_msg ("%s: %s", texts[i], err.text);
        char *back = dump (c);
        assert_string_equal (back, texts[i]);
        free (back);
        flurm_constraint_destroy (c);
    }
    /* NULL is "no constraint" and matches everything */
    char *none = dump (NULL);
    assert_string_equal (none, "{}");
    free (none);
    flurm_constraint_destroy (NULL);
}

static void assert_json_error (const char *text, const char *expected)
{
    flurm_error_t err;
    struct flurm_constraint *c = parse_json (text, &err);
    if (c) {
        flurm_constraint_destroy (c);
        fail_msg ("%s was accepted, but should fail with: %s", text, expected);
    }
    if (!g_str_has_prefix (err.text, expected))
        fail_msg ("%s: got \"%s\", expected it to start with \"%s\"", text, err.text, expected);
}

static void test_json_errors (void **state)
{
    assert_json_error ("[]", "constraints: a constraint must be a mapping, not a list");
    assert_json_error ("{\"xor\":[]}",
                       "constraints: xor: unknown constraint operator 'xor' (expected properties, "
                       "hostlist, ranks, and, or, not)");
    assert_json_error ("{\"and\":[{\"properties\":[\"a\"]},{\"bogus\":[1]}]}",
                       "constraints: and[1].bogus: unknown constraint operator 'bogus'");
    assert_json_error ("{\"properties\":\"a\"}",
                       "constraints: properties: operand of 'properties' must be a list, "
                       "not the string \"a\"");
    assert_json_error ("{\"not\":{\"properties\":[\"a\"]}}",
                       "constraints: not: operand of 'not' must be a list, not a mapping");
    assert_json_error ("{\"or\":[[\"a\"]]}", "constraints: or[0]: a constraint must be a mapping");
    assert_json_error ("{\"properties\":[[\"a\"]]}",
                       "constraints: properties[0]: each properties entry must be a string");
    assert_json_error ("{\"hostlist\":[\"aris[0-3\"]}",
                       "constraints: hostlist[0]: hostlist \"aris[0-3\"");
    assert_json_error ("{\"hostlist\":[\"a[3-1]\"]}", "constraints: hostlist[0]: hostlist");
    assert_json_error ("{\"ranks\":[\"0-3\",\"5-x\"]}",
                       "constraints: ranks[1]: ranks: idset \"5-x\"");
    assert_json_error ("{\"ranks\":[\"3-1\"]}", "constraints: ranks[0]: ranks: idset \"3-1\"");
    assert_json_error ("{\"properties\":[\"\"]}",
                       "constraints: properties[0]: property \"\" is empty");
    assert_json_error ("{\"properties\":[\"^\"]}",
                       "constraints: properties[0]: property \"^\" is empty");
    /* every character RFC 20 forbids in a property name, and ^ past the start */
    static const char *const bad[] = {"a!",  "a&b", "a'", "a\\\"", "a`",
                                      "a|b", "(a",  "a)", "a^b",   "^^a"};
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        char *text = g_strdup_printf ("{\"properties\":[\"ok\",\"%s\"]}", bad[i]);
        assert_json_error (text, "constraints: properties[1]: property \"");
        g_free (text);
    }
    flurm_error_t err;
    assert_null (flurm_constraint_from_json (NULL, "constraints", &err));
}

/* In a YAML jobspec, errors carry the position of the offending value. */
static void test_from_doc_positions (void **state)
{
    const char *text = "constraints:\n"
                       "  or:\n"
                       "    - properties: [normal]\n"
                       "    - hostlist: [\"aris[0-1]\", \"bad[\"]\n";
    flurm_error_t err;
    struct flurm_doc *doc = flurm_doc_load_buffer (text, strlen (text), "job.yaml", &err);
    assert_non_null (doc);
    assert_null (flurm_constraint_from_doc (doc, flurm_doc_get (doc->root, "constraints"), &err));
    assert_true (g_str_has_prefix (err.text, "job.yaml:4:31: hostlist \"bad[\""));
    flurm_doc_destroy (doc);

    text = "c: {and: [{properties: [cosched]}, {not: [{ranks: ['0']}]}]}\n";
    doc = flurm_doc_load_buffer (text, strlen (text), "job.yaml", &err);
    struct flurm_constraint *c =
        flurm_constraint_from_doc (doc, flurm_doc_get (doc->root, "c"), &err);
    assert_non_null (c);
    char *back = dump (c);
    assert_string_equal (back, "{\"and\":[{\"properties\":[\"cosched\"]},"
                               "{\"not\":[{\"ranks\":[\"0\"]}]}]}");
    free (back);
    flurm_constraint_destroy (c);
    flurm_doc_destroy (doc);
}

static void assert_requires (const char *expr, const char *expected)
{
    flurm_error_t err;
    struct flurm_constraint *c = flurm_constraint_from_requires (expr, &err);
    if (!c)
        fail_msg ("requires %s: %s", expr, err.text);
    char *json = dump (c);
    if (strcmp (json, expected) != 0)
        fail_msg ("requires %s: got %s, expected %s", expr, json, expected);
    free (json);
    flurm_constraint_destroy (c);
}

/* The RFC 31 objects are those flux-core's command line builds. */
static void test_requires (void **state)
{
    assert_requires ("cosched", "{\"properties\":[\"cosched\"]}");
    assert_requires ("normal,cosched", "{\"properties\":[\"normal\",\"cosched\"]}");
    assert_requires ("^normal", "{\"properties\":[\"^normal\"]}");
    assert_requires ("-hosts:CONTROL", "{\"not\":[{\"hostlist\":[\"CONTROL\"]}]}");
    assert_requires ("host:aris[0-1] | rank:3",
                     "{\"or\":[{\"hostlist\":[\"aris[0-1]\"]},{\"ranks\":[\"3\"]}]}");
    assert_requires ("not (a and b)", "{\"not\":[{\"properties\":[\"a\",\"b\"]}]}");
    assert_requires ("a b && c", "{\"properties\":[\"a\",\"b\",\"c\"]}");
    assert_requires (
        "cosched & -hosts:aris0",
        "{\"and\":[{\"properties\":[\"cosched\"]},{\"not\":[{\"hostlist\":[\"aris0\"]}]}]}");
    assert_requires ("a | b or c || d",
                     "{\"or\":[{\"properties\":[\"a\"]},{\"properties\":[\"b\"]},"
                     "{\"properties\":[\"c\"]},{\"properties\":[\"d\"]}]}");
    /* not binds tighter than and, and tighter than or */
    assert_requires ("not a b", "{\"and\":[{\"not\":[{\"properties\":[\"a\"]}]},"
                                "{\"properties\":[\"b\"]}]}");
    assert_requires ("a b | c",
                     "{\"or\":[{\"properties\":[\"a\",\"b\"]},{\"properties\":[\"c\"]}]}");
    assert_requires ("a (b | c)", "{\"and\":[{\"properties\":[\"a\"]},"
                                  "{\"or\":[{\"properties\":[\"b\"]},{\"properties\":[\"c\"]}]}]}");
    assert_requires ("hosts:\"aris[0-1]\" ranks:'2-3'",
                     "{\"and\":[{\"hostlist\":[\"aris[0-1]\"]},{\"ranks\":[\"2-3\"]}]}");
    assert_requires ("properties:order,android", "{\"properties\":[\"order\",\"android\"]}");
    assert_requires ("hostlist:node-1", "{\"hostlist\":[\"node-1\"]}");
    assert_requires ("  ((cosched))  ", "{\"properties\":[\"cosched\"]}");
    /* Every ASCII blank separates terms, \v and \f included: a blank the
     * skip did not eat once made an empty term and a read before the
     * buffer. */
    assert_requires ("\vb", "{\"properties\":[\"b\"]}");
    assert_requires ("a\v\fb\r\n", "{\"properties\":[\"a\",\"b\"]}");
}

static void assert_requires_error (const char *expr, const char *expected)
{
    flurm_error_t err;
    struct flurm_constraint *c = flurm_constraint_from_requires (expr, &err);
    if (c) {
        flurm_constraint_destroy (c);
        fail_msg ("requires %s: accepted, but should fail with %s", expr, expected);
    }
    if (!strstr (err.text, expected))
        fail_msg ("requires %s: got \"%s\", expected \"%s\" in it", expr, err.text, expected);
}

static void test_requires_errors (void **state)
{
    assert_requires_error ("(a | b", "requires \"(a | b\": unbalanced parentheses: '(' is never "
                                     "closed at character 1");
    assert_requires_error ("a | b)", "unbalanced parentheses: ')' without '(' at character 6");
    assert_requires_error (")", "unbalanced parentheses: ')' without '(' at character 1");
    assert_requires_error ("foo:bar", "requires \"foo:bar\": unknown operator \"foo\" (expected "
                                      "properties, host, hosts, hostlist, rank, ranks) at "
                                      "character 1");
    assert_requires_error ("a hosts:", "missing operand after \"hosts:\" at character 3");
    assert_requires_error ("hosts:\"\"", "missing operand after \"hosts:\"");
    assert_requires_error (":x", "missing operator before ':' in \":x\"");
    assert_requires_error ("", "requires \"\": empty expression");
    assert_requires_error ("   ", "empty expression");
    assert_requires_error ("a &", "expression ends where a term was expected");
    assert_requires_error ("| a", "'|' needs a term on each side at character 1");
    assert_requires_error ("a & & b", "'&' needs a term on each side at character 5");
    assert_requires_error ("-(a | b)", "'-' negates a single term");
    assert_requires_error ("hosts:'aris[0", "unclosed quote ' at character 7");
    assert_requires_error ("a,,b", "property \"\" is empty");
    assert_requires_error ("a|b&c!", "property \"c!\" contains '!'");
    assert_requires_error ("host:aris[0-", "hostlist \"aris[0-\"");
    assert_requires_error ("rank:x", "idset \"x\"");
    GString *deep = g_string_new (NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append (deep, "not ");
    g_string_append (deep, "a");
    assert_requires_error (deep->str, "expression nested deeper than");
    g_string_free (deep, TRUE);
}

/* ---- matching ---------------------------------------------------------- */

/* cluster0 -> aris0..aris3 (ranks 0-3), each with one core; aris0-1 have
 * property normal, aris2-3 cosched; aris3 also has bigmem=yes. */
static struct flurm_graph *small_graph (void)
{
    flurm_error_t err;
    struct flurm_graph_builder *b = flurm_graph_builder_new (9);
    struct flurm_vertex_spec cluster = {.type = "cluster", .id = 0, .uniq_id = 0, .rank = -1};
    int64_t root = flurm_graph_builder_add_vertex (b, &cluster, &err);
    assert_true (root >= 0);
    for (int i = 0; i < 4; i++) {
        const char *keys[] = {i < 2 ? "normal" : "cosched", "bigmem"};
        const char *values[] = {"", "yes"};
        struct flurm_vertex_spec node = {
            .type = "node",
            .basename = "aris",
            .id = i,
            .uniq_id = 1 + 2 * i,
            .rank = i,
            .nprops = i == 3 ? 2 : 1,
            .prop_keys = keys,
            .prop_values = values,
        };
        int64_t v = flurm_graph_builder_add_vertex (b, &node, &err);
        assert_true (v >= 0);
        assert_int_equal (flurm_graph_builder_add_edge (b, root, v, &err), 0);
        struct flurm_vertex_spec core = {.type = "core", .id = 0, .uniq_id = 2 + 2 * i, .rank = i};
        int64_t c = flurm_graph_builder_add_vertex (b, &core, &err);
        assert_true (c >= 0);
        assert_int_equal (flurm_graph_builder_add_edge (b, v, c, &err), 0);
    }
    struct flurm_graph *g = flurm_graph_builder_finish (b, &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
}

/* Which of the graph's nodes match, as a string like "0101" (rank order). */
static void assert_matches (const struct flurm_graph *g, const struct flurm_constraint *c,
                            const char *expected, const char *what)
{
    char got[16] = "";
    size_t n = flurm_graph_nnodes (g);
    assert_true (n < sizeof (got));
    for (size_t i = 0; i < n; i++)
        got[i] = flurm_constraint_match (c, g, flurm_graph_node_at (g, i)) ? '1' : '0';
    got[n] = '\0';
    if (strcmp (got, expected) != 0)
        fail_msg ("%s: nodes matched %s, expected %s", what, got, expected);
}

static void check_json_matches (const struct flurm_graph *g, const char *text, const char *expected)
{
    flurm_error_t err;
    struct flurm_constraint *c = parse_json (text, &err);
    if (!c)
        fail_msg ("%s: %s", text, err.text);
    assert_matches (g, c, expected, text);
    flurm_constraint_destroy (c);
}

static void check_requires_matches (const struct flurm_graph *g, const char *expr,
                                    const char *expected)
{
    flurm_error_t err;
    struct flurm_constraint *c = flurm_constraint_from_requires (expr, &err);
    if (!c)
        fail_msg ("%s: %s", expr, err.text);
    assert_matches (g, c, expected, expr);
    flurm_constraint_destroy (c);
}

static void check_all_matches (const struct flurm_graph *g)
{
    assert_matches (g, NULL, "1111", "no constraint");
    check_json_matches (g, "{}", "1111");
    check_json_matches (g, "{\"and\":[]}", "1111");
    check_json_matches (g, "{\"or\":[]}", "1111");
    check_json_matches (g, "{\"not\":[]}", "0000");
    check_json_matches (g, "{\"properties\":[]}", "1111");
    check_json_matches (g, "{\"properties\":[\"cosched\"]}", "0011");
    check_json_matches (g, "{\"properties\":[\"^normal\"]}", "0011");
    check_json_matches (g, "{\"properties\":[\"missing\"]}", "0000");
    check_json_matches (g, "{\"properties\":[\"^missing\"]}", "1111");
    check_json_matches (g, "{\"hostlist\":[\"aris[1-2]\"]}", "0110");
    check_json_matches (g, "{\"hostlist\":[\"aris0\",\"aris3\",\"other9\"]}", "1001");
    check_json_matches (g, "{\"ranks\":[\"0,3\"]}", "1001");
    check_json_matches (g, "{\"ranks\":[\"1\",\"2-99\"]}", "0111");
    check_json_matches (g, "{\"not\":[{\"ranks\":[\"0\"]},{\"ranks\":[\"0-1\"]}]}", "0111");
    check_json_matches (g, "{\"properties\":[\"cosched\"],\"ranks\":[\"0-2\"]}", "0010");
    check_requires_matches (g, "cosched", "0011");
    check_requires_matches (g, "normal,cosched", "0000");
    check_requires_matches (g, "normal | cosched", "1111");
    check_requires_matches (g, "-hosts:aris0", "0111");
    check_requires_matches (g, "host:aris[0-1] | rank:3", "1101");
    check_requires_matches (g, "not (cosched and hosts:aris3)", "1110");
}

static void test_match_built_graph (void **state)
{
    struct flurm_graph *g = small_graph ();
    check_all_matches (g);
    /* a property is there when its key is, whatever its value */
    check_json_matches (g, "{\"properties\":[\"bigmem\"]}", "0001");
    flurm_graph_destroy (g);
}

/* The conformance graph Fluxion itself ran with: nodes aris0-1 have
 * property normal, aris2-3 cosched. */
static void test_match_props4 (void **state)
{
    flurm_error_t err;
    struct flurm_graph *g =
        flurm_jgf_load_file (test_data ("fluxion-conformance/graphs/props4.json"), &err);
    if (!g)
        fail_msg ("%s", err.text);
    check_all_matches (g);
    flurm_graph_destroy (g);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_json_round_trip),    cmocka_unit_test (test_json_errors),
        cmocka_unit_test (test_from_doc_positions), cmocka_unit_test (test_requires),
        cmocka_unit_test (test_requires_errors),    cmocka_unit_test (test_match_built_graph),
        cmocka_unit_test (test_match_props4),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
