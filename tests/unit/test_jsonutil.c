/* tests/unit/test_jsonutil.c — numbers in Flurm's JSON output. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim/jsonutil.h"

static void assert_dumps (json_t *j, const char *want)
{
    char *text = json_dumps (j, JSON_COMPACT | JSON_ENCODE_ANY | flurm_json_real_precision (j));
    assert_string_equal (text, want);
    free (text);
    json_decref (j);
}

/* Whole values are integers, -0 is 0, other reals take the fewest digits
 * that read back exactly. */
static void test_numbers (void **state)
{
    assert_dumps (flurm_json_number (3600.0), "3600");
    assert_dumps (flurm_json_number (-0.0), "0");
    assert_dumps (flurm_json_number (0.1), "0.1");
    assert_dumps (flurm_json_number (1.5e-7), "1.5e-7");
    assert_dumps (flurm_json_number (9007199254740992.0), "9007199254740992.0");
    /* 0.1 + 0.2 needs all 17 digits to be itself */
    assert_dumps (flurm_json_number (0.1 + 0.2), "0.30000000000000004");
    /* one precision per document: the largest any real needs (16 here) */
    json_t *doc = json_pack ("{s:f,s:[f,f]}", "a", 0.5, "b", 0.1, 2.0 / 3.0);
    assert_dumps (doc, "{\"a\":0.5,\"b\":[0.1,0.6666666666666666]}");
    doc = json_pack ("{s:f,s:[f,i]}", "a", 0.5, "b", 0.25, 7);
    assert_dumps (doc, "{\"a\":0.5,\"b\":[0.25,7]}");
}

static void test_digits_round_trip (void **state)
{
    static const double values[] = {0.1, 1.0 / 3.0, 1e300, 5e-324, 123456.789, -2.5, M_PI};
    for (size_t i = 0; i < sizeof (values) / sizeof (values[0]); i++) {
        int d = flurm_json_real_digits (values[i]);
        char buf[400]; /* %g of any double fits */
        snprintf (buf, sizeof (buf), "%.*g", d, values[i]);
        assert_true (strtod (buf, NULL) == values[i]);
        if (d > 1) { /* and one digit fewer would not do */
            snprintf (buf, sizeof (buf), "%.*g", d - 1, values[i]);
            assert_false (strtod (buf, NULL) == values[i]);
        }
    }
    assert_int_equal (flurm_json_real_digits (INFINITY), 17);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_numbers),
        cmocka_unit_test (test_digits_round_trip),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
