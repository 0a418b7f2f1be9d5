/* tests/unit/test_idset.c — sim/idset.c: RFC 22 id sets. */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/idset.h"

static struct flurm_idset *decode_ok (const char *text)
{
    flurm_error_t err = {{0}};
    struct flurm_idset *s = flurm_idset_decode (text, &err);
    if (!s)
        fail_msg ("decode \"%s\": %s", text, err.text);
    return s;
}

static void assert_encodes (const struct flurm_idset *s, const char *want)
{
    char *got = flurm_idset_encode (s);
    assert_string_equal (got, want);
    g_free (got);
}

/* ---- decode / encode ---------------------------------------------------- */

static void test_codec (void **state)
{
    static const struct {
        const char *in, *out;
        uint64_t count;
    } t[] = {
        {"", "", 0},
        {"[]", "", 0},
        {"0", "0", 1},
        {"7", "7", 1},
        {"0-3,7", "0-3,7", 5},
        {"4,5", "4-5", 2}, /* runs of two are ranges too */
        {"4-5", "4-5", 2},
        {"0,1,2,3", "0-3", 4},
        {"[1-3,5-6,42]", "1-3,5-6,42", 6},
        {"[5]", "5", 1},
        {"1-1", "1", 1},
        {"5,3", "3,5", 2}, /* any order, like flux-core */
        {"7,0-3", "0-3,7", 5},
        {"3,1-2", "1-3", 3},
        {"1,1,1", "1", 1},     /* repeats */
        {"0-5,3-7", "0-7", 8}, /* overlaps */
        {"10-20,0-9", "0-20", 21},
        {"9,7,5,3,1", "1,3,5,7,9", 5},
        {"0-4,10-14", "0-4,10-14", 10},
        {"2147483646", "2147483646", 1},
        {"0-2147483646", "0-2147483646", 2147483647ull},
        {"2147483645,2147483646", "2147483645-2147483646", 2},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (t); i++) {
        struct flurm_idset *s = decode_ok (t[i].in);
        char *got = flurm_idset_encode (s);
        if (strcmp (got, t[i].out) != 0)
            fail_msg ("\"%s\" encoded as \"%s\", want \"%s\"", t[i].in, got, t[i].out);
        assert_int_equal (flurm_idset_count (s), t[i].count);
        assert_int_equal (flurm_idset_empty (s), t[i].count == 0);
        /* the canonical text reads back to the same set */
        struct flurm_idset *back = decode_ok (got);
        assert_true (flurm_idset_equal (s, back));
        g_free (got);
        flurm_idset_destroy (back);
        flurm_idset_destroy (s);
    }
}

static void test_decode_errors (void **state)
{
    static const struct {
        const char *in, *msg; /* msg: exact text, or NULL to skip the check */
    } t[] = {
        {"0-3,x", "idset \"0-3,x\": unexpected character 'x' at position 5"},
        {"1,,2", "idset \"1,,2\": empty item at position 3"},
        {"3-1", "idset \"3-1\": range 3-1 is reversed at position 1"},
        {"01", "idset \"01\": id \"01\" has a leading zero at position 1"},
        {"1,007", "idset \"1,007\": id \"007\" has a leading zero at position 3"},
        {"99999999999999999999",
         "idset \"99999999999999999999\": id 99999999999999999999 is larger "
         "than 2147483646 at position 1"},
        {"2147483647", "idset \"2147483647\": id 2147483647 is larger than 2147483646 at "
                       "position 1"},
        {"0-4294967296", NULL},
        {"18446744073709551617", NULL},
        {"[1-3", "idset \"[1-3\": '[' has no matching ']' at position 1"},
        {"1-3]", "idset \"1-3]\": unexpected character ']' at position 4"},
        {"[[1]]", NULL},
        {"[", NULL},
        {"]", NULL},
        {"[1]]", NULL},
        {"1-", "idset \"1-\": missing id after '-' at position 3"},
        {"1-,2", NULL},
        {"-1", "idset \"-1\": unexpected character '-' at position 1"},
        {"1-2-3", "idset \"1-2-3\": unexpected character '-' at position 4"},
        {"1,", "idset \"1,\": empty item at position 3"},
        {",1", "idset \",1\": empty item at position 1"},
        {",", NULL},
        {" 1", NULL},
        {"1 ", NULL},
        {"1, 2", NULL},
        {"+1", NULL},
        {"0x10", NULL},
        {"1.5", NULL},
        {"a", NULL},
        /* the message quotes the input escaped: it stays one line */
        {"1\n", "idset \"1\\n\": unexpected character '\\x0a' at position 2"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (t); i++) {
        flurm_error_t err = {{0}};
        struct flurm_idset *s = flurm_idset_decode (t[i].in, &err);
        if (s)
            fail_msg ("\"%s\" was accepted", t[i].in);
        assert_true (strlen (err.text) > 0);
        if (t[i].msg && strcmp (err.text, t[i].msg) != 0)
            fail_msg ("\"%s\": got error <%s>, want <%s>", t[i].in, err.text, t[i].msg);
        /* err may be NULL */
        assert_null (flurm_idset_decode (t[i].in, NULL));
    }
    assert_null (flurm_idset_decode (NULL, NULL));
}

static void test_long_input_error (void **state)
{
    /* a long bad input: the message is cut, but still says what and where */
    GString *s = g_string_new (NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append_printf (s, "%d,", i * 2);
    g_string_append (s, "x");
    flurm_error_t err;
    assert_null (flurm_idset_decode (s->str, &err));
    assert_non_null (strstr (err.text, "...\": unexpected character 'x'"));
    char want[64];
    snprintf (want, sizeof want, "at position %zu", s->len);
    assert_non_null (strstr (err.text, want));
    g_string_free (s, TRUE);
}

/* ---- set operations ----------------------------------------------------- */

static void test_basic_ops (void **state)
{
    flurm_error_t err;
    struct flurm_idset *s = flurm_idset_create ();
    assert_true (flurm_idset_empty (s));
    assert_int_equal (flurm_idset_first (s), FLURM_IDSET_NONE);
    assert_int_equal (flurm_idset_last (s), FLURM_IDSET_NONE);
    assert_int_equal (flurm_idset_next (s, 0), FLURM_IDSET_NONE);
    assert_encodes (s, "");

    assert_int_equal (flurm_idset_add (s, 5, &err), 0);
    assert_int_equal (flurm_idset_add (s, 3, &err), 0);
    assert_encodes (s, "3,5");
    assert_int_equal (flurm_idset_add (s, 4, &err), 0); /* joins both */
    assert_encodes (s, "3-5");
    assert_int_equal (flurm_idset_add (s, 4, &err), 0); /* already there */
    assert_encodes (s, "3-5");
    assert_int_equal (flurm_idset_add_range (s, 10, 12, &err), 0);
    assert_int_equal (flurm_idset_add_range (s, 0, 1, &err), 0);
    assert_encodes (s, "0-1,3-5,10-12");
    assert_int_equal (flurm_idset_add_range (s, 2, 9, &err), 0);
    assert_encodes (s, "0-12");
    assert_int_equal (flurm_idset_count (s), 13);

    flurm_idset_remove (s, 6); /* split */
    assert_encodes (s, "0-5,7-12");
    flurm_idset_remove (s, 0);  /* shrink left */
    flurm_idset_remove (s, 12); /* shrink right */
    assert_encodes (s, "1-5,7-11");
    flurm_idset_remove (s, 6); /* not a member */
    flurm_idset_remove (s, 100);
    assert_encodes (s, "1-5,7-11");
    assert_int_equal (flurm_idset_add (s, 20, &err), 0);
    flurm_idset_remove (s, 20); /* whole range */
    assert_encodes (s, "1-5,7-11");

    assert_false (flurm_idset_test (s, 0));
    assert_true (flurm_idset_test (s, 1));
    assert_true (flurm_idset_test (s, 5));
    assert_false (flurm_idset_test (s, 6));
    assert_true (flurm_idset_test (s, 11));
    assert_false (flurm_idset_test (s, 12));
    assert_false (flurm_idset_test (s, UINT32_MAX));

    assert_int_equal (flurm_idset_first (s), 1);
    assert_int_equal (flurm_idset_last (s), 11);
    assert_int_equal (flurm_idset_next (s, 5), 7);
    assert_int_equal (flurm_idset_next (s, 0), 1);
    assert_int_equal (flurm_idset_next (s, 11), FLURM_IDSET_NONE);
    assert_int_equal (flurm_idset_next (s, FLURM_IDSET_NONE), FLURM_IDSET_NONE);

    struct flurm_idset *c = flurm_idset_copy (s);
    assert_true (flurm_idset_equal (s, c));
    flurm_idset_remove (c, 3);
    assert_false (flurm_idset_equal (s, c));
    assert_encodes (s, "1-5,7-11"); /* the copy is independent */
    flurm_idset_destroy (c);

    /* errors */
    assert_int_equal (flurm_idset_add (s, FLURM_IDSET_MAX_ID + 1, &err), -1);
    assert_non_null (strstr (err.text, "larger than"));
    assert_int_equal (flurm_idset_add (s, UINT32_MAX, NULL), -1);
    assert_int_equal (flurm_idset_add_range (s, 5, 4, &err), -1);
    assert_non_null (strstr (err.text, "reversed"));
    assert_encodes (s, "1-5,7-11"); /* unchanged */

    /* the top id */
    assert_int_equal (flurm_idset_add (s, FLURM_IDSET_MAX_ID, &err), 0);
    assert_int_equal (flurm_idset_last (s), FLURM_IDSET_MAX_ID);
    assert_int_equal (flurm_idset_next (s, FLURM_IDSET_MAX_ID), FLURM_IDSET_NONE);
    assert_int_equal (flurm_idset_next (s, 11), FLURM_IDSET_MAX_ID);
    flurm_idset_destroy (s);

    /* NULL-tolerant queries */
    assert_true (flurm_idset_empty (NULL));
    assert_int_equal (flurm_idset_count (NULL), 0);
    assert_true (flurm_idset_equal (NULL, NULL));
    flurm_idset_destroy (NULL);
}

static void test_add_set (void **state)
{
    flurm_error_t err;
    struct flurm_idset *a = decode_ok ("0-3,10,20-25");
    struct flurm_idset *b = decode_ok ("4-9,11,19,30");
    assert_int_equal (flurm_idset_add_set (a, b, &err), 0);
    assert_encodes (a, "0-11,19-25,30");
    assert_int_equal (flurm_idset_add_set (a, a, &err), 0); /* self */
    assert_encodes (a, "0-11,19-25,30");
    struct flurm_idset *e = flurm_idset_create ();
    assert_int_equal (flurm_idset_add_set (e, a, &err), 0);
    assert_true (flurm_idset_equal (e, a));
    assert_int_equal (flurm_idset_add_set (a, NULL, &err), 0);
    /* the merged set still takes adds (capacity bookkeeping) */
    for (uint32_t i = 100; i < 200; i += 2)
        assert_int_equal (flurm_idset_add (a, i, &err), 0);
    assert_int_equal (flurm_idset_count (a), 12 + 7 + 1 + 50);
    flurm_idset_destroy (a);
    flurm_idset_destroy (b);
    flurm_idset_destroy (e);
}

/* Encoding of a bitmap, written the slow obvious way. */
static char *encode_bits (const bool *bits, uint32_t n)
{
    GString *s = g_string_new (NULL);
    for (uint32_t i = 0; i < n;) {
        if (!bits[i]) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j + 1 < n && bits[j + 1])
            j++;
        if (s->len)
            g_string_append_c (s, ',');
        if (i == j)
            g_string_append_printf (s, "%" PRIu32, i);
        else
            g_string_append_printf (s, "%" PRIu32 "-%" PRIu32, i, j);
        i = j + 1;
    }
    return g_string_free (s, FALSE);
}

static void check_against_bits (const struct flurm_idset *s, const bool *bits, uint32_t n)
{
    uint64_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal (flurm_idset_test (s, i), bits[i]);
        count += bits[i];
    }
    assert_int_equal (flurm_idset_count (s), count);
    /* iteration visits exactly the members, ascending */
    uint32_t want = 0;
    for (uint32_t id = flurm_idset_first (s); id != FLURM_IDSET_NONE;
         id = flurm_idset_next (s, id)) {
        while (want < n && !bits[want])
            want++;
        assert_int_equal (id, want);
        want++;
    }
    while (want < n && !bits[want])
        want++;
    assert_int_equal (want, n);
    /* canonical text == the obvious encoding; this also checks the
     * invariant (disjoint, non-adjacent, sorted), which is the only way the
     * encoder can produce it */
    char *a = flurm_idset_encode (s);
    char *b = encode_bits (bits, n);
    assert_string_equal (a, b);
    g_free (a);
    g_free (b);
}

static void test_random_ops (void **state)
{
    enum { N = 200 };
    GRand *rng = g_rand_new_with_seed (22);
    flurm_error_t err;
    for (int round = 0; round < 20; round++) {
        bool bits[N] = {false};
        struct flurm_idset *s = flurm_idset_create ();
        for (int op = 0; op < 400; op++) {
            uint32_t a = (uint32_t)g_rand_int_range (rng, 0, N);
            uint32_t b = (uint32_t)g_rand_int_range (rng, 0, N);
            if (a > b) {
                uint32_t t = a;
                a = b;
                b = t;
            }
            switch (g_rand_int_range (rng, 0, 4)) {
            case 0:
                assert_int_equal (flurm_idset_add (s, a, &err), 0);
                bits[a] = true;
                break;
            case 1:
                if (b - a > 10)
                    b = a + (uint32_t)g_rand_int_range (rng, 0, 10);
                assert_int_equal (flurm_idset_add_range (s, a, b, &err), 0);
                for (uint32_t i = a; i <= b; i++)
                    bits[i] = true;
                break;
            default:
                flurm_idset_remove (s, a);
                bits[a] = false;
                break;
            }
            if (op % 20 == 0)
                check_against_bits (s, bits, N);
        }
        check_against_bits (s, bits, N);

        /* union with another random set */
        bool other[N] = {false};
        struct flurm_idset *o = flurm_idset_create ();
        for (int k = 0; k < 30; k++) {
            uint32_t a = (uint32_t)g_rand_int_range (rng, 0, N);
            assert_int_equal (flurm_idset_add (o, a, &err), 0);
            other[a] = true;
        }
        assert_int_equal (flurm_idset_add_set (s, o, &err), 0);
        for (int i = 0; i < N; i++)
            bits[i] = bits[i] || other[i];
        check_against_bits (s, bits, N);

        /* decode of a shuffled, overlapping description of the same set */
        GString *txt = g_string_new (NULL);
        for (int k = 0; k < 3 * N; k++) {
            uint32_t a = (uint32_t)g_rand_int_range (rng, 0, N);
            if (!bits[a])
                continue;
            uint32_t b = a;
            while (b + 1 < N && bits[b + 1] && g_rand_boolean (rng))
                b++;
            g_string_append_printf (txt, "%s%" PRIu32, txt->len ? "," : "", a);
            if (b > a)
                g_string_append_printf (txt, "-%" PRIu32, b);
        }
        for (uint32_t i = 0; i < N; i++) /* make sure all are listed */
            if (bits[i])
                g_string_append_printf (txt, "%s%" PRIu32, txt->len ? "," : "", i);
        struct flurm_idset *d = decode_ok (txt->str);
        assert_true (flurm_idset_equal (d, s));
        check_against_bits (d, bits, N);
        g_string_free (txt, TRUE);
        flurm_idset_destroy (d);
        flurm_idset_destroy (o);
        flurm_idset_destroy (s);
    }
    g_rand_free (rng);
}

/* ---- size ----------------------------------------------------------- */

static void test_large (void **state)
{
    /* Sizes far beyond a node's core count stay cheap because the set is
     * stored as ranges (speed itself is a benchmark's business, not a
     * test's). */
    struct flurm_idset *s = decode_ok ("0-1000000");
    assert_int_equal (flurm_idset_count (s), 1000001);
    uint64_t n = 0, sum = 0;
    for (uint32_t id = flurm_idset_first (s); id != FLURM_IDSET_NONE;
         id = flurm_idset_next (s, id)) {
        n++;
        sum += id;
    }
    assert_int_equal (n, 1000001);
    assert_int_equal (sum, 1000000ull * 1000001ull / 2);
    flurm_idset_destroy (s);

    /* the whole id space is one range */
    s = decode_ok ("0-2147483646");
    assert_true (flurm_idset_test (s, 2000000000));
    flurm_idset_remove (s, 1000000000);
    assert_encodes (s, "0-999999999,1000000001-2147483646");
    flurm_idset_destroy (s);

    /* 100000 separate ids, ascending and descending */
    GString *up = g_string_new (NULL), *down = g_string_new (NULL);
    for (uint32_t i = 0; i < 100000; i++) {
        g_string_append_printf (up, "%s%" PRIu32, i ? "," : "", 2 * i);
        g_string_append_printf (down, "%s%" PRIu32, i ? "," : "", 2 * (99999 - i));
    }
    struct flurm_idset *a = decode_ok (up->str);
    struct flurm_idset *b = decode_ok (down->str);
    assert_int_equal (flurm_idset_count (a), 100000);
    assert_true (flurm_idset_equal (a, b));
    char *enc = flurm_idset_encode (b);
    assert_string_equal (enc, up->str);
    g_free (enc);
    for (uint32_t i = 0; i < 200000; i++)
        assert_int_equal (flurm_idset_test (a, i), i % 2 == 0);
    flurm_idset_destroy (a);
    flurm_idset_destroy (b);
    g_string_free (up, TRUE);
    g_string_free (down, TRUE);
}

/* ---- real R from flux and Fluxion --------------------------------------- */


static void check_idset_string (const char *text, const char *where)
{
    flurm_error_t err;
    struct flurm_idset *s = flurm_idset_decode (text, &err);
    if (!s)
        fail_msg ("%s: \"%s\": %s", where, text, err.text);
    char *enc = flurm_idset_encode (s);
    /* flux writes the canonical form, so it comes back byte for byte */
    if (strcmp (enc, text) != 0)
        fail_msg ("%s: \"%s\" re-encoded as \"%s\"", where, text, enc);
    struct flurm_idset *back = decode_ok (enc);
    assert_true (flurm_idset_equal (s, back));
    g_free (enc);
    flurm_idset_destroy (back);
    flurm_idset_destroy (s);
}

static void check_R (json_t *R, const char *where)
{
    json_t *rl = json_object_get (json_object_get (R, "execution"), "R_lite");
    size_t i;
    json_t *e;
    json_array_foreach (rl, i, e)
    {
        check_idset_string (json_string_value (json_object_get (e, "rank")), where);
        json_t *ch = json_object_get (e, "children");
        const char *k;
        json_t *v;
        json_object_foreach (ch, k, v)
        {
            if (json_is_string (v))
                check_idset_string (json_string_value (v), where);
        }
    }
    json_t *props = json_object_get (json_object_get (R, "execution"), "properties");
    const char *k;
    json_t *v;
    json_object_foreach (props, k, v)
    {
        if (json_is_string (v))
            check_idset_string (json_string_value (v), where);
    }
}

static void test_real_R (void **state)
{
    int flux, fluxion;
    test_foreach_recorded_R (check_R, &flux, &fluxion);
    assert_true (flux >= 6);
    assert_true (fluxion >= 100);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_codec),
        cmocka_unit_test (test_decode_errors),
        cmocka_unit_test (test_long_input_error),
        cmocka_unit_test (test_basic_ops),
        cmocka_unit_test (test_add_set),
        cmocka_unit_test (test_random_ops),
        cmocka_unit_test (test_large),
        cmocka_unit_test (test_real_R),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
