/* tests/unit/test_error.c — the one-line error convention. */
#include "testutil.h"

#include <string.h>

#include "sim/error.h"

static void test_position_formats (void **state)
{
    flurm_error_t err;
    assert_int_equal (flurm_error_at (&err, "a.yaml", 3, 7, "count must be >= %d", 1), -1);
    assert_string_equal (err.text, "a.yaml:3:7: count must be >= 1");
    flurm_error_at (&err, "log.swf", 12, 0, "bad field");
    assert_string_equal (err.text, "log.swf:12: bad field");
    flurm_error_at (&err, "g.json", 0, 0, "graph.edges[2]: unknown target");
    assert_string_equal (err.text, "g.json: graph.edges[2]: unknown target");
}

static void test_prefix_and_null (void **state)
{
    flurm_error_t err;
    flurm_error_set (&err, "no such file");
    flurm_error_prefix (&err, "loading %s", "x.json");
    assert_string_equal (err.text, "loading x.json: no such file");
    /* A NULL error is allowed everywhere: the caller does not care why. */
    assert_int_equal (flurm_error_set (NULL, "ignored %d", 1), -1);
    assert_int_equal (flurm_error_at (NULL, "f", 1, 1, "ignored"), -1);
    assert_int_equal (flurm_error_prefix (NULL, "ignored"), -1);
}

static void test_long_messages_are_truncated (void **state)
{
    flurm_error_t err;
    char big[2000];
    memset (big, 'x', sizeof (big) - 1);
    big[sizeof (big) - 1] = '\0';
    flurm_error_at (&err, "f", 1, 1, "%s", big);
    assert_int_equal (strlen (err.text), FLURM_ERROR_MAX - 1);
    flurm_error_prefix (&err, "%s", big);
    assert_int_equal (strlen (err.text), FLURM_ERROR_MAX - 1);
}

static void test_quote (void **state)
{
    char buf[FLURM_QUOTE_SIZE];
    assert_string_equal (flurm_error_quote (buf, sizeof (buf), "plain"), "\"plain\"");
    assert_string_equal (flurm_error_quote (buf, sizeof (buf), "a\nb\t\"c\\\x01\x7f"),
                         "\"a\\nb\\t\\\"c\\\\\\x01\\x7f\"");
    /* a long text is cut, the cut marked, and the quote still closed */
    char big[400];
    memset (big, 'x', sizeof (big) - 1);
    big[sizeof (big) - 1] = '\0';
    const char *q = flurm_error_quote (buf, sizeof (buf), big);
    assert_true (strlen (q) < sizeof (buf));
    assert_string_equal (q + strlen (q) - 4, "...\"");
    /* never cut inside an escape */
    char ctl[200];
    memset (ctl, '\n', sizeof (ctl) - 1);
    ctl[sizeof (ctl) - 1] = '\0';
    q = flurm_error_quote (buf, 16, ctl);
    assert_string_equal (q, "\"\\n\\n\\n\\n\\n...\"");
}

/* Whatever the input, an error is one line: a key "a\nb" quoted without
 * flurm_error_quote cannot split it. */
static void test_one_line (void **state)
{
    flurm_error_t err;
    flurm_error_set (&err, "key %s", "a\nb");
    assert_string_equal (err.text, "key a?b");
    flurm_error_at (&err, "f.yaml", 2, 3, "key %s", "a\r\nb");
    assert_string_equal (err.text, "f.yaml:2:3: key a??b");
    flurm_error_prefix (&err, "in\t%s", "x");
    assert_null (strchr (err.text, '\t'));
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_position_formats),
        cmocka_unit_test (test_prefix_and_null),
        cmocka_unit_test (test_long_messages_are_truncated),
        cmocka_unit_test (test_quote),
        cmocka_unit_test (test_one_line),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
