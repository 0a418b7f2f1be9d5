/* tests/unit/test_names.c — the one set of name rules every reader uses. */
#include "testutil.h"

#include <string.h>

#include <glib.h>

#include "sim/names.h"

static void test_host_names (void **state)
{
    assert_null (flurm_name_host_problem ("aris0"));
    assert_null (flurm_name_host_problem ("n-1.example_x"));
    static const char *const bad[] = {"", "a b", "a,b", "n[1]", "x]", "tab\t", "\x7f"};
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
        assert_non_null (flurm_name_host_problem (bad[i]));
    char name[258];
    memset (name, 'a', sizeof (name) - 1);
    name[sizeof (name) - 1] = '\0';
    assert_non_null (strstr (flurm_name_host_problem (name), "too long"));
    name[255] = '\0';
    assert_null (flurm_name_host_problem (name));
}

static void test_vertex_names (void **state)
{
    assert_null (flurm_name_vertex_problem ("socket0"));
    assert_null (flurm_name_vertex_problem ("a,b")); /* JGF names may hold it */
    assert_string_equal (flurm_name_vertex_problem (""), "is empty");
    assert_string_equal (flurm_name_vertex_problem ("a/b"), "contains '/', the path separator");
}

/* RFC 20 property names: each forbidden character is named. */
static void test_property_names (void **state)
{
    assert_null (flurm_name_property_problem ("cosched"));
    assert_null (flurm_name_property_problem ("perf_class=3"));
    const char *forbidden = "!&'\"^`|()";
    for (const char *c = forbidden; *c; c++) {
        char name[4] = {'a', *c, 'b', '\0'};
        const char *problem = flurm_name_property_problem (name);
        assert_non_null (problem);
        char want[8] = {'\'', *c, '\'', '\0'};
        assert_non_null (strstr (problem, want));
    }
    assert_string_equal (flurm_name_property_problem (""), "is empty");
    assert_non_null (strstr (flurm_name_property_problem ("a b"), "space"));
    assert_non_null (strstr (flurm_name_property_problem ("a\nb"), "control"));
}

static void test_split (void **state)
{
    size_t baselen;
    uint32_t id;
    int nd;
    assert_true (flurm_name_split_id ("cn007", 5, &baselen, &id, &nd));
    assert_int_equal (baselen, 2);
    assert_int_equal (id, 7);
    assert_int_equal (nd, 3);
    assert_true (flurm_name_split_id ("42", 2, &baselen, &id, &nd));
    assert_int_equal (baselen, 0);
    assert_int_equal (id, 42);
    assert_false (flurm_name_split_id ("login", 5, &baselen, &id, &nd));
    assert_true (flurm_name_split_id ("n2147483646", 11, &baselen, &id, &nd));
    assert_int_equal (id, 2147483646u);
    /* too large for an id: part of the name, never wrapped */
    assert_false (flurm_name_split_id ("n2147483647", 11, &baselen, &id, &nd));
    assert_false (flurm_name_split_id ("n99999999999999999999999", 24, &baselen, &id, &nd));

    char *base;
    int64_t hid;
    flurm_name_split_host ("aris12", &base, &hid);
    assert_string_equal (base, "aris");
    assert_int_equal (hid, 12);
    g_free (base);
    flurm_name_split_host ("login", &base, &hid); /* Fluxion: id -1 */
    assert_string_equal (base, "login");
    assert_int_equal (hid, -1);
    g_free (base);
    flurm_name_split_host ("123", &base, &hid); /* a basename is never empty */
    assert_string_equal (base, "123");
    assert_int_equal (hid, 123);
    g_free (base);
    flurm_name_split_host ("n99999999999", &base, &hid);
    assert_string_equal (base, "n99999999999");
    assert_int_equal (hid, -1);
    g_free (base);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_host_names),
        cmocka_unit_test (test_vertex_names),
        cmocka_unit_test (test_property_names),
        cmocka_unit_test (test_split),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
