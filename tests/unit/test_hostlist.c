/* tests/unit/test_hostlist.c — sim/hostlist.c: RFC 29 host lists. */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/hostlist.h"
#include "sim/idset.h"

static struct flurm_hostlist *decode_ok (const char *text)
{
    flurm_error_t err = {{0}};
    struct flurm_hostlist *hl = flurm_hostlist_decode (text, &err);
    if (!hl)
        fail_msg ("decode \"%s\": %s", text, err.text);
    return hl;
}

/* The hosts as one comma-separated string, via nth. */
static char *expand (const struct flurm_hostlist *hl)
{
    GString *s = g_string_new (NULL);
    char buf[FLURM_HOSTNAME_MAX + 1];
    size_t n = flurm_hostlist_count (hl);
    for (size_t i = 0; i < n; i++) {
        int len = flurm_hostlist_nth (hl, i, buf, sizeof buf);
        assert_true (len > 0 && len <= FLURM_HOSTNAME_MAX);
        assert_int_equal ((size_t)len, strlen (buf));
        if (i)
            g_string_append_c (s, ',');
        g_string_append (s, buf);
    }
    return g_string_free (s, FALSE);
}

/* decode(encode(hl)) has the same hosts in the same order, and encoding is
 * stable. */
static void assert_round_trip (const struct flurm_hostlist *hl)
{
    char *enc = flurm_hostlist_encode (hl);
    struct flurm_hostlist *back = decode_ok (enc);
    char *a = expand (hl), *b = expand (back);
    if (strcmp (a, b) != 0)
        fail_msg ("round trip through \"%s\" changed\n  %s\nto\n  %s", enc, a, b);
    char *enc2 = flurm_hostlist_encode (back);
    assert_string_equal (enc, enc2);
    g_free (a);
    g_free (b);
    g_free (enc);
    g_free (enc2);
    flurm_hostlist_destroy (back);
}

/* ---- decode / encode ---------------------------------------------------- */

static const struct {
    const char *in;
    const char *hosts; /* expanded, comma-separated */
    const char *out;   /* canonical encoding */
} codec[] = {
    /* the brief / RFC 29 test vectors */
    {"", "", ""},
    {"cn[01-10]", "cn01,cn02,cn03,cn04,cn05,cn06,cn07,cn08,cn09,cn10", "cn[01-10]"},
    {"cn[1-4,8]", "cn1,cn2,cn3,cn4,cn8", "cn[1-4,8]"},
    {"[00-2]", "00,01,02", "[00-02]"},
    {"[00-02]", "00,01,02", "[00-02]"},
    {"[1-3,5-6]", "1,2,3,5,6", "[1-3,5-6]"},
    {"foo[1-5]", "foo1,foo2,foo3,foo4,foo5", "foo[1-5]"},
    {"foo1,foo1,foo1", "foo1,foo1,foo1", "foo[1,1,1]"},
    {"foox,fooy,fooz", "foox,fooy,fooz", "foox,fooy,fooz"},
    {"foo[1,1,2,1]", "foo1,foo1,foo2,foo1", "foo[1,1-2,1]"},
    {"a1,b[2-3],a2", "a1,b2,b3,a2", "a1,b[2-3],a2"},
    {"node0,node1,node2,node3,node8", "node0,node1,node2,node3,node8", "node[0-3,8]"},
    {"node7", "node7", "node7"},
    {"node[7]", "node7", "node7"},
    {"login,admin", "login,admin", "login,admin"},
    {"aris[0-3]", "aris0,aris1,aris2,aris3", "aris[0-3]"},
    {"cn01,cn02", "cn01,cn02", "cn[01-02]"},
    /* order is kept, never sorted (flux-core) */
    {"node1,node3,node2", "node1,node3,node2", "node[1,3,2]"},
    /* padding */
    {"cn01,cn1", "cn01,cn1", "cn[01,1]"},
    {"cn1,cn01", "cn1,cn01", "cn[1,01]"},
    {"cn9,cn10", "cn9,cn10", "cn[9-10]"},
    {"cn[8-10]", "cn8,cn9,cn10", "cn[8-10]"},
    {"cn08,cn09,cn10", "cn08,cn09,cn10", "cn[08-10]"},
    {"cn[08-9]", "cn08,cn09", "cn[08-09]"},
    {"cn[8,010]", "cn8,cn010", "cn[8,010]"},
    {"cn[098-101]", "cn098,cn099,cn100,cn101", "cn[098-101]"},
    {"cn[01-02,3]", "cn01,cn02,cn3", "cn[01-02,3]"}, /* per item */
    {"cn[99-100],cn0101", "cn99,cn100,cn0101", "cn[99-100,0101]"},
    /* flux-core libhostlist codec tests */
    {"foo-1a-2,foo-1a-3", "foo-1a-2,foo-1a-3", "foo-1a-[2-3]"},
    {"foo1,foo2,foo3,fooi", "foo1,foo2,foo3,fooi", "foo[1-3],fooi"},
    {"foo1,fooi,foo2,foo3", "foo1,fooi,foo2,foo3", "foo1,fooi,foo[2-3]"},
    {"fooi,foo1,foo2,foo3", "fooi,foo1,foo2,foo3", "fooi,foo[1-3]"},
    {"fooi,foo1,foo2,foo3,foo5,foo7,foo8", "fooi,foo1,foo2,foo3,foo5,foo7,foo8",
     "fooi,foo[1-3,5,7-8]"},
    {"1,2,3,4,5,9", "1,2,3,4,5,9", "[1-5,9]"},
    {"[1-5]", "1,2,3,4,5", "[1-5]"},
    {"foo[1,3]-bar", "foo1-bar,foo3-bar", "foo1-bar,foo3-bar"},
    {"[00-03]p", "00p,01p,02p,03p", "00p,01p,02p,03p"},
    {"p[00-3]p", "p00p,p01p,p02p,p03p", "p00p,p01p,p02p,p03p"},
    {"14636", "14636", "14636"},
    {"foo12,foo[4,1-2]", "foo12,foo4,foo1,foo2", "foo[12,4,1-2]"},
    {"foo[12,4,1-2],bar[26-30]",
     "foo12,foo4,foo1,foo2,bar26,bar27,bar28,"
     "bar29,bar30",
     "foo[12,4,1-2],bar[26-30]"},
    /* suffixes: hosts come out one by one, as flux-core writes them */
    {"foo[0-4]-eth2", "foo0-eth2,foo1-eth2,foo2-eth2,foo3-eth2,foo4-eth2",
     "foo0-eth2,foo1-eth2,foo2-eth2,foo3-eth2,foo4-eth2"},
    {"foo0-eth[2-3]", "foo0-eth2,foo0-eth3", "foo0-eth[2-3]"},
    {"n[1-2].ib", "n1.ib,n2.ib", "n1.ib,n2.ib"},
    {"h[0-1]5", "h05,h15", "h[05,15]"},
    /* a prefix that ends in digits: renumbered the plain-name way */
    {"f00[7-8]", "f007,f008", "f[007-008]"},
    {"node1[0-3]", "node10,node11,node12,node13", "node[10-13]"},
    {"node1[8-10]", "node18,node19,node110", "node[18-19,110]"},
    {"n0[8-10]", "n08,n09,n010", "n[08-09,010]"},
    /* trailing digits too large to be an id: part of the name */
    {"x99999999999", "x99999999999", "x99999999999"},
    {"x99999999999,x99999999999", "x99999999999,x99999999999", "x99999999999,x99999999999"},
    {"x2147483646,x2147483647", "x2147483646,x2147483647", "x2147483646,x2147483647"},
    {"x2147483645,x2147483646", "x2147483645,x2147483646", "x[2147483645-2147483646]"},
    {"p1234567890[0-1]", "p12345678900,p12345678901", "p12345678900,p12345678901"},
    {"p000000000000[1-2]", "p0000000000001,p0000000000002", "p[0000000000001-0000000000002]"},
    /* mixed */
    {"a,a,b", "a,a,b", "a,a,b"},
    {"n[1-2],n[3-4]", "n1,n2,n3,n4", "n[1-4]"},
    {"n[3-4],n[1-2]", "n3,n4,n1,n2", "n[3-4,1-2]"},
    {"n1,m1,n2", "n1,m1,n2", "n1,m1,n2"},
    {"n,n1", "n,n1", "n,n1"},
    {"[0-1],x[0-1]", "0,1,x0,x1", "[0-1],x[0-1]"},
    {"a-b_c.d:e@f!g", "a-b_c.d:e@f!g", "a-b_c.d:e@f!g"},
    {"[2147483645-2147483646]", "2147483645,2147483646", "[2147483645-2147483646]"},
};

static void test_codec (void **state)
{
    for (size_t i = 0; i < G_N_ELEMENTS (codec); i++) {
        struct flurm_hostlist *hl = decode_ok (codec[i].in);
        char *hosts = expand (hl);
        if (strcmp (hosts, codec[i].hosts) != 0)
            fail_msg ("\"%s\" expanded to \"%s\", want \"%s\"", codec[i].in, hosts, codec[i].hosts);
        char *enc = flurm_hostlist_encode (hl);
        if (strcmp (enc, codec[i].out) != 0)
            fail_msg ("\"%s\" encoded as \"%s\", want \"%s\"", codec[i].in, enc, codec[i].out);
        assert_round_trip (hl);

        /* built host by host from plain names: the same text (the encoding
         * depends on the hosts only) */
        struct flurm_hostlist *one = flurm_hostlist_create ();
        flurm_error_t err;
        char **names = g_strsplit (hosts, ",", -1);
        for (char **p = names; *p && **p; p++)
            assert_int_equal (flurm_hostlist_append (one, *p, &err), 0);
        char *enc1 = flurm_hostlist_encode (one);
        if (strcmp (enc1, codec[i].out) != 0)
            fail_msg ("hosts of \"%s\" appended one by one encode as \"%s\", "
                      "want \"%s\"",
                      codec[i].in, enc1, codec[i].out);
        g_strfreev (names);
        g_free (enc1);
        flurm_hostlist_destroy (one);
        g_free (enc);
        g_free (hosts);
        flurm_hostlist_destroy (hl);
    }
}

static void test_decode_errors (void **state)
{
    static const struct {
        const char *in, *msg; /* msg: exact text or NULL */
    } t[] = {
        {"[]", "hostlist \"[]\": empty id list at position 1"},
        {"foo[]", NULL},
        {"foo[", "hostlist \"foo[\": '[' has no matching ']' at position 4"},
        {"foo[1,3", NULL},
        {"foo[[1,3]", "hostlist \"foo[[1,3]\": nested '[' at position 5"},
        {"foo]", "hostlist \"foo]\": unexpected ']' at position 4"},
        {"foo[1]]", NULL},
        {"foo[x-y]", "hostlist \"foo[x-y]\": unexpected character 'x' at position 5"},
        {"foo[0-1,2--5]", NULL},
        {"foo[3-1]", "hostlist \"foo[3-1]\": range 3-1 is reversed at "
                     "position 5"},
        {"foo[-1]", NULL},
        {"foo[1-]", "hostlist \"foo[1-]\": missing id after '-' at position 7"},
        {"foo[1,,2]", "hostlist \"foo[1,,2]\": empty item in id list at position 7"},
        {"foo[1,]", NULL},
        {"foo[,1]", NULL},
        {"foo[1-2-3]", NULL},
        {"foo[+1]", NULL},
        {"foo[ 1]", NULL},
        {"foo[1]bar[2]", "hostlist \"foo[1]bar[2]\": second '[' in one host expression at "
                         "position 10"},
        {",a", "hostlist \",a\": empty item at position 1"},
        {"a,,b", "hostlist \"a,,b\": empty item at position 3"},
        {"a,", "hostlist \"a,\": empty item at position 3"},
        {",", NULL},
        {"a b", "hostlist \"a b\": unexpected character ' ' at position 2"},
        {"a\tb", "hostlist \"a\\tb\": unexpected character '\\x09' at "
                 "position 2"},
        {" a", NULL},
        {"a\n", NULL},
        {"caf\xc3\xa9", NULL},
        {"n[2147483647]", "hostlist \"n[2147483647]\": id 2147483647 is larger than "
                          "2147483646 at position 3"},
        {"n[0-99999999999999999999]", NULL},
        {"n[0-999999999]", "hostlist \"n[0-999999999]\": more than 16777216 hosts at "
                           "position 3"},
        {"n[0-16777216]", NULL},
        {"n[0-16777215],x", NULL},
        {"n[0-9999999],m[0-9999999]", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (t); i++) {
        flurm_error_t err = {{0}};
        struct flurm_hostlist *hl = flurm_hostlist_decode (t[i].in, &err);
        if (hl)
            fail_msg ("\"%s\" was accepted", t[i].in);
        assert_true (strlen (err.text) > 0);
        if (t[i].msg && strcmp (err.text, t[i].msg) != 0)
            fail_msg ("\"%s\": got error <%s>, want <%s>", t[i].in, err.text, t[i].msg);
        assert_null (flurm_hostlist_decode (t[i].in, NULL));
    }
    assert_null (flurm_hostlist_decode (NULL, NULL));
}

static void test_name_length (void **state)
{
    flurm_error_t err;
    char name[FLURM_HOSTNAME_MAX + 2];
    memset (name, 'a', sizeof name);
    name[FLURM_HOSTNAME_MAX] = '\0'; /* 255 chars: fine */
    struct flurm_hostlist *hl = decode_ok (name);
    char buf[FLURM_HOSTNAME_MAX + 1];
    assert_int_equal (flurm_hostlist_nth (hl, 0, buf, sizeof buf), FLURM_HOSTNAME_MAX);
    assert_round_trip (hl);
    flurm_hostlist_destroy (hl);
    name[FLURM_HOSTNAME_MAX] = 'a';
    name[FLURM_HOSTNAME_MAX + 1] = '\0'; /* 256 */
    assert_null (flurm_hostlist_decode (name, &err));
    assert_non_null (strstr (err.text, "longer than 255"));

    /* with brackets: the longest name counts */
    char *t = g_strdup_printf ("%.*s[8-10]", FLURM_HOSTNAME_MAX - 1, name);
    assert_null (flurm_hostlist_decode (t, &err)); /* ...10 is 256 long */
    assert_non_null (strstr (err.text, "longer than 255"));
    g_free (t);
    t = g_strdup_printf ("%.*s[8-99]", FLURM_HOSTNAME_MAX - 2, name);
    hl = decode_ok (t);
    assert_round_trip (hl);
    flurm_hostlist_destroy (hl);
    g_free (t);
    t = g_strdup_printf ("n[1-2]%.*s", FLURM_HOSTNAME_MAX - 1, name);
    assert_null (flurm_hostlist_decode (t, &err));
    g_free (t);
}

/* ---- access ------------------------------------------------------------- */

static void test_nth (void **state)
{
    char buf[64];
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    assert_int_equal (flurm_hostlist_count (hl), 0);
    assert_int_equal (flurm_hostlist_nth (hl, 0, buf, sizeof buf), -1);
    char *e = flurm_hostlist_encode (hl);
    assert_string_equal (e, "");
    g_free (e);
    flurm_hostlist_destroy (hl);

    hl = decode_ok ("foo[1-2,4,5],bar");
    assert_int_equal (flurm_hostlist_count (hl), 5);
    assert_int_equal (flurm_hostlist_nth (hl, 0, buf, sizeof buf), 4);
    assert_string_equal (buf, "foo1");
    assert_int_equal (flurm_hostlist_nth (hl, 2, buf, sizeof buf), 4);
    assert_string_equal (buf, "foo4");
    assert_int_equal (flurm_hostlist_nth (hl, 4, buf, sizeof buf), 3);
    assert_string_equal (buf, "bar");
    assert_int_equal (flurm_hostlist_nth (hl, 5, buf, sizeof buf), -1);
    assert_int_equal (flurm_hostlist_nth (hl, SIZE_MAX, buf, sizeof buf), -1);
    /* too small a buffer: cut, full length returned */
    assert_int_equal (flurm_hostlist_nth (hl, 0, buf, 3), 4);
    assert_string_equal (buf, "fo");
    flurm_hostlist_destroy (hl);

    hl = decode_ok ("foo[0-4]-eth2");
    assert_int_equal (flurm_hostlist_nth (hl, 3, buf, sizeof buf), 9);
    assert_string_equal (buf, "foo3-eth2");
    flurm_hostlist_destroy (hl);
    assert_int_equal (flurm_hostlist_nth (NULL, 0, buf, sizeof buf), -1);
    assert_int_equal (flurm_hostlist_count (NULL), 0);
}

static void test_find (void **state)
{
    static const struct {
        const char *list, *host;
        long idx;
    } t[] = {
        /* flux-core libhostlist find tests */
        {"tst0", "tst", -1},
        {"tst0,tst", "tst", 1},
        {"tst,tst0", "tst", 0},
        {"tst", "tst0", -1},
        {"foo[1-5]-eth0", "foo3-eth0", 2},
        {"foo[1-5]", "foo3-eth0", -1},
        {"[0-5]", "3", 3},
        {"[0-5]i", "0", -1},
        {"i[0-5]", "i00", -1},
        {"i[00-05]", "i00", 0},
        {"i[00-05]", "i04", 4},
        {"f00[7-8]", "f007", 0},
        {"f00[7-8,10]", "f0010", 2},
        {"f0010001[07-08]", "f001000108", 1},
        {"cornp2", "corn", -1},
        {"cornp2", "corn2", -1},
        {"corn-p2", "corn2", -1},
        {"corn1-p2", "corn2", -1},
        /* more */
        {"node[1,3,2],node3", "node3", 1}, /* first occurrence */
        {"a,b,a", "a", 0},
        {"a,b,a", "b", 1},
        {"n[8-10]", "n10", 2},
        {"n[8-10]", "n010", -1},
        {"n[08-10]", "n8", -1},
        {"n[08-10]", "n10", 2},
        {"x,n[0-999999]", "n999999", 1000000},
        {"n[0-999999]", "n1000000", -1},
        {"n[0-9]", "n99999999999999999999", -1},
        {"n[0-9]", "n", -1},
        {"n[0-9]", "", -1},
        {"", "n", -1},
        {"n[0-9]-ib", "n5-ib", 5},
        {"n[0-9]-ib", "n5", -1},
        {"n[0-9]-ib", "n-ib", -1},
        {"n[0-9]-ib", "nx-ib", -1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (t); i++) {
        struct flurm_hostlist *hl = decode_ok (t[i].list);
        long got = flurm_hostlist_find (hl, t[i].host);
        if (got != t[i].idx)
            fail_msg ("find (\"%s\", \"%s\") = %ld, want %ld", t[i].list, t[i].host, got, t[i].idx);
        if (got >= 0) {
            char buf[FLURM_HOSTNAME_MAX + 1];
            flurm_hostlist_nth (hl, (size_t)got, buf, sizeof buf);
            assert_string_equal (buf, t[i].host);
        }
        flurm_hostlist_destroy (hl);
    }
    assert_int_equal (flurm_hostlist_find (NULL, "a"), -1);
    struct flurm_hostlist *hl = decode_ok ("a");
    assert_int_equal (flurm_hostlist_find (hl, NULL), -1);
    flurm_hostlist_destroy (hl);
}

static void test_append (void **state)
{
    flurm_error_t err;
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    assert_int_equal (flurm_hostlist_append (hl, "", &err), 0);
    assert_int_equal (flurm_hostlist_count (hl), 0);
    assert_int_equal (flurm_hostlist_append (hl, "foo12", &err), 0);
    assert_int_equal (flurm_hostlist_append (hl, "foo[4,1-2]", &err), 0);
    assert_int_equal (flurm_hostlist_count (hl), 4);
    char *s = flurm_hostlist_encode (hl);
    assert_string_equal (s, "foo[12,4,1-2]");
    g_free (s);

    struct flurm_hostlist *b = decode_ok ("bar[26-30]");
    assert_int_equal (flurm_hostlist_append_list (hl, b, &err), 0);
    assert_int_equal (flurm_hostlist_count (hl), 9);
    s = flurm_hostlist_encode (hl);
    assert_string_equal (s, "foo[12,4,1-2],bar[26-30]");
    g_free (s);

    /* a failed append changes nothing */
    assert_int_equal (flurm_hostlist_append (hl, "x,y[", &err), -1);
    assert_non_null (strstr (err.text, "no matching ']'"));
    assert_int_equal (flurm_hostlist_count (hl), 9);

    /* appending a list to itself */
    assert_int_equal (flurm_hostlist_append_list (hl, hl, &err), 0);
    assert_int_equal (flurm_hostlist_count (hl), 18);
    s = flurm_hostlist_encode (hl);
    assert_string_equal (s, "foo[12,4,1-2],bar[26-30],foo[12,4,1-2],"
                            "bar[26-30]");
    g_free (s);
    flurm_hostlist_destroy (b);

    /* continuing runs join across appends */
    b = flurm_hostlist_create ();
    assert_int_equal (flurm_hostlist_append (b, "n[0-3]", &err), 0);
    assert_int_equal (flurm_hostlist_append (b, "n[4-7]", &err), 0);
    assert_int_equal (flurm_hostlist_append (b, "n8", &err), 0);
    s = flurm_hostlist_encode (b);
    assert_string_equal (s, "n[0-8]");
    g_free (s);
    flurm_hostlist_destroy (b);

    /* the host limit holds across appends */
    b = decode_ok ("n[0-16777214]");
    assert_int_equal (flurm_hostlist_append (b, "x", &err), 0);
    assert_int_equal (flurm_hostlist_count (b), FLURM_HOSTLIST_MAX_HOSTS);
    assert_int_equal (flurm_hostlist_append (b, "y", &err), -1);
    assert_non_null (strstr (err.text, "more than 16777216 hosts"));
    assert_int_equal (flurm_hostlist_append_list (b, b, &err), -1);
    assert_int_equal (flurm_hostlist_count (b), FLURM_HOSTLIST_MAX_HOSTS);
    flurm_hostlist_destroy (b);

    /* a literal host is never read as an expression, and must be a name a
     * nodelist can hold */
    b = flurm_hostlist_create ();
    assert_int_equal (flurm_hostlist_append_host (b, "cn01", &err), 0);
    assert_int_equal (flurm_hostlist_append_host (b, "cn02", &err), 0);
    assert_int_equal (flurm_hostlist_append_host (b, "login", &err), 0);
    static const char *const bad[] = {"n[1-2]", "a,b", "", "a b", "x\ny", "]"};
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        assert_int_equal (flurm_hostlist_append_host (b, bad[i], &err), -1);
        assert_non_null (strstr (err.text, "host name \""));
        assert_null (strchr (err.text, '\n'));
    }
    char longname[FLURM_HOSTNAME_MAX + 2];
    memset (longname, 'a', sizeof (longname) - 1);
    longname[sizeof (longname) - 1] = '\0';
    assert_int_equal (flurm_hostlist_append_host (b, longname, &err), -1);
    assert_non_null (strstr (err.text, "too long (at most 255 bytes)"));
    longname[FLURM_HOSTNAME_MAX] = '\0';
    assert_int_equal (flurm_hostlist_append_host (b, longname, &err), 0);
    assert_int_equal (flurm_hostlist_count (b), 4);
    s = flurm_hostlist_encode (b);
    assert_int_equal (strncmp (s, "cn[01-02],login,aaa", 19), 0);
    g_free (s);
    flurm_hostlist_destroy (b);
    assert_int_equal (flurm_hostlist_append_host (NULL, "a", NULL), -1);

    assert_int_equal (flurm_hostlist_append (NULL, "a", NULL), -1);
    assert_int_equal (flurm_hostlist_append_list (NULL, hl, NULL), -1);
    flurm_hostlist_destroy (hl);
    flurm_hostlist_destroy (NULL);
}

/* ---- properties --------------------------------------------------------- */

/* Random lists of host names: decode(encode(x)) == x, and the text does not
 * depend on how the list was built. */
static void test_random_round_trip (void **state)
{
    static const char *prefixes[] = {"n", "cn", "node-", "a1b", "", "x.y"};
    static const char *suffixes[] = {"", "", "", "-ib", "p"};
    GRand *rng = g_rand_new_with_seed (29);
    flurm_error_t err;
    for (int round = 0; round < 300; round++) {
        struct flurm_hostlist *byname = flurm_hostlist_create ();
        struct flurm_hostlist *byexpr = flurm_hostlist_create ();
        GString *names = g_string_new (NULL);
        int pieces = g_rand_int_range (rng, 0, 8);
        for (int k = 0; k < pieces; k++) {
            const char *pfx = prefixes[g_rand_int_range (rng, 0, 6)];
            const char *sfx = suffixes[g_rand_int_range (rng, 0, 5)];
            int width = g_rand_int_range (rng, 1, 4);
            uint32_t lo = (uint32_t)g_rand_int_range (rng, 0, 120);
            uint32_t hi = lo + (uint32_t)g_rand_int_range (rng, 0, 6);
            if (g_rand_int_range (rng, 0, 8) == 0) { /* a name, no number */
                char *e = g_strdup_printf ("%slogin%s", pfx, sfx);
                assert_int_equal (flurm_hostlist_append (byexpr, e, &err), 0);
                g_string_append_printf (names, "%s%s", names->len ? "," : "", e);
                g_free (e);
                continue;
            }
            char *e = g_strdup_printf ("%s[%0*u-%u]%s", pfx, width, lo, hi, sfx);
            if (flurm_hostlist_append (byexpr, e, &err) < 0)
                fail_msg ("%s: %s", e, err.text);
            g_free (e);
            for (uint32_t i = lo; i <= hi; i++)
                g_string_append_printf (names, "%s%s%0*u%s", names->len ? "," : "", pfx, width, i,
                                        sfx);
        }
        char **v = g_strsplit (names->str, ",", -1);
        for (char **p = v; *p && **p; p++)
            assert_int_equal (flurm_hostlist_append (byname, *p, &err), 0);
        g_strfreev (v);

        char *a = expand (byexpr), *b = expand (byname);
        assert_string_equal (a, names->str);
        assert_string_equal (b, names->str);
        char *ea = flurm_hostlist_encode (byexpr);
        char *eb = flurm_hostlist_encode (byname);
        assert_string_equal (ea, eb);
        assert_round_trip (byexpr);
        assert_round_trip (byname);
        /* every host is found at its first position */
        size_t n = flurm_hostlist_count (byexpr);
        for (size_t i = 0; i < n; i++) {
            char buf[FLURM_HOSTNAME_MAX + 1];
            flurm_hostlist_nth (byexpr, i, buf, sizeof buf);
            long f = flurm_hostlist_find (byexpr, buf);
            assert_true (f >= 0 && (size_t)f <= i);
            char other[FLURM_HOSTNAME_MAX + 1];
            flurm_hostlist_nth (byexpr, (size_t)f, other, sizeof other);
            assert_string_equal (buf, other);
        }
        g_free (a);
        g_free (b);
        g_free (ea);
        g_free (eb);
        g_string_free (names, TRUE);
        flurm_hostlist_destroy (byname);
        flurm_hostlist_destroy (byexpr);
    }
    g_rand_free (rng);
}

static void test_large (void **state)
{
    struct flurm_hostlist *hl = decode_ok ("n[0-999999]");
    assert_int_equal (flurm_hostlist_count (hl), 1000000);
    char buf[64];
    assert_int_equal (flurm_hostlist_nth (hl, 999999, buf, sizeof buf), 7);
    assert_string_equal (buf, "n999999");
    assert_int_equal (flurm_hostlist_find (hl, "n999999"), 999999);
    char *s = flurm_hostlist_encode (hl);
    assert_string_equal (s, "n[0-999999]");
    g_free (s);
    /* walking the whole list through nth is O(runs) per host */
    size_t total = 0;
    for (size_t i = 0; i < flurm_hostlist_count (hl); i++)
        total += (size_t)flurm_hostlist_nth (hl, i, buf, sizeof buf);
    assert_true (total > 5000000);
    flurm_hostlist_destroy (hl);

    /* the largest allowed list, and refusing a huge one, are both cheap */
    hl = decode_ok ("n[0-16777215]");
    assert_int_equal (flurm_hostlist_count (hl), FLURM_HOSTLIST_MAX_HOSTS);
    s = flurm_hostlist_encode (hl);
    assert_string_equal (s, "n[0-16777215]");
    g_free (s);
    flurm_hostlist_destroy (hl);
    assert_null (flurm_hostlist_decode ("n[0-2147483646]", NULL));
    assert_null (flurm_hostlist_decode ("n[0-999999999]", NULL));
}

/* ---- real R from flux and Fluxion --------------------------------------- */


/* A nodelist array: each entry round-trips byte for byte (flux wrote it in
 * canonical form), the entries concatenated name one host per rank. */
static void check_R (json_t *R, const char *where)
{
    json_t *exec = json_object_get (R, "execution");
    json_t *nl = json_object_get (exec, "nodelist");
    struct flurm_hostlist *all = flurm_hostlist_create ();
    flurm_error_t err;
    size_t i;
    json_t *e;
    json_array_foreach (nl, i, e)
    {
        const char *text = json_string_value (e);
        assert_non_null (text);
        struct flurm_hostlist *hl = flurm_hostlist_decode (text, &err);
        if (!hl)
            fail_msg ("%s: \"%s\": %s", where, text, err.text);
        char *enc = flurm_hostlist_encode (hl);
        if (strcmp (enc, text) != 0)
            fail_msg ("%s: \"%s\" re-encoded as \"%s\"", where, text, enc);
        assert_round_trip (hl);
        assert_int_equal (flurm_hostlist_append_list (all, hl, &err), 0);
        g_free (enc);
        flurm_hostlist_destroy (hl);
    }
    /* as many hosts as ranks */
    struct flurm_idset *ranks = flurm_idset_create ();
    json_array_foreach (json_object_get (exec, "R_lite"), i, e)
    {
        const char *r = json_string_value (json_object_get (e, "rank"));
        struct flurm_idset *s = flurm_idset_decode (r, &err);
        if (!s)
            fail_msg ("%s: %s", where, err.text);
        assert_int_equal (flurm_idset_add_set (ranks, s, &err), 0);
        flurm_idset_destroy (s);
    }
    assert_int_equal (flurm_hostlist_count (all), flurm_idset_count (ranks));
    flurm_idset_destroy (ranks);
    flurm_hostlist_destroy (all);
}

static int collect (const char *host, size_t index, void *arg)
{
    GPtrArray *names = arg;
    assert_int_equal (index, names->len);
    g_ptr_array_add (names, g_strdup (host));
    return strcmp (host, "stop") == 0 ? 7 : 0;
}

/* foreach gives the hosts nth gives, in order, and stops when asked. */
static void test_foreach (void **state)
{
    struct flurm_hostlist *hl = decode_ok ("a,n[1-3],b[08-10]x,stop,z");
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    assert_int_equal (flurm_hostlist_foreach (hl, collect, names), 7);
    assert_int_equal (names->len, 8);
    for (guint i = 0; i < names->len; i++) {
        char buf[FLURM_HOSTNAME_MAX + 1];
        assert_true (flurm_hostlist_nth (hl, i, buf, sizeof (buf)) > 0);
        assert_string_equal (g_ptr_array_index (names, i), buf);
    }
    assert_string_equal (g_ptr_array_index (names, 6), "b10x");
    g_ptr_array_set_size (names, 0);
    assert_int_equal (flurm_hostlist_foreach (NULL, collect, names), 0);
    assert_int_equal (names->len, 0);
    g_ptr_array_free (names, TRUE);
    flurm_hostlist_destroy (hl);
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
        cmocka_unit_test (test_name_length),
        cmocka_unit_test (test_nth),
        cmocka_unit_test (test_find),
        cmocka_unit_test (test_append),
        cmocka_unit_test (test_random_round_trip),
        cmocka_unit_test (test_large),
        cmocka_unit_test (test_real_R),
        cmocka_unit_test (test_foreach),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
