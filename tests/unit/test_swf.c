/* tests/unit/test_swf.c — SWF logs: the real PWA files and each bad line. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include "sim/swf.h"

/* Job counts and header values from shared/data/SOURCES.md. */
static const struct {
    const char *file;
    size_t jobs;
    int64_t max_nodes, max_procs, start;
} real_logs[] = {
    {"swf/lublin_256.swf", 10000, 256, -1, -1},
    {"swf/CTC-SP2-1996-3.1-cln.swf.gz", 77222, 338, 338, 835823160},
    {"swf/KTH-SP2-1996-2.1-cln.swf.gz", 28476, 100, 100, 843480031},
    {"swf/NASA-iPSC-1993-3.1-cln.swf.gz", 18239, 128, 128, 749458803},
    {"swf/Sandia-Ross-2001-1.1-cln.swf.gz", 57882, 1524, 1524, 1007061086},
    {"swf/LPC-EGEE-2004-1.2-cln.swf.gz", 234889, 70, 140, 1091615532},
    {"swf/SDSC-DS-2004-2.1-cln.swf.gz", 96069, 184, 1664, 1078605840},
    {"swf/RICC-2010-2.swf.gz", 447794, 1024, 8192, 1272639895},
};

static void test_real_logs (void **state)
{
    int found = 0;
    for (size_t i = 0; i < G_N_ELEMENTS (real_logs); i++) {
        const char *path = shared_data (real_logs[i].file);
        if (!path)
            continue;
        found++;
        flurm_error_t err;
        struct flurm_swf *swf = flurm_swf_load_file (path, &err);
        if (!swf)
            fail_msg ("%s", err.text);
        assert_int_equal (swf->njobs, real_logs[i].jobs);
        assert_int_equal (swf->max_nodes, real_logs[i].max_nodes);
        assert_int_equal (swf->max_procs, real_logs[i].max_procs);
        assert_int_equal (swf->unix_start_time, real_logs[i].start);
        flurm_swf_destroy (swf);
    }
    if (!found)
        shared_data_or_skip ("swf");
}

static void test_fields_of_a_real_line (void **state)
{
    char *path = g_strdup (test_data ("swf/lublin_256.swf"));
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_file (path, &err);
    g_free (path);
    assert_non_null (swf);
    /* "4    7287 -1    9053 128 -1 -1 -1 -1 -1 1 -1 -1 -1 0 -1 -1 -1" */
    const struct flurm_swf_job *j = &swf->jobs[3];
    assert_int_equal (j->id, 4);
    assert_true (j->submit == 7287.0);
    assert_true (j->wait == -1.0);
    assert_true (j->runtime == 9053.0);
    assert_int_equal (j->alloc_procs, 128);
    assert_int_equal (j->req_procs, -1);
    assert_true (j->req_time == -1.0);
    assert_int_equal (j->status, 1);
    assert_int_equal (j->queue, 0);
    assert_int_equal (j->line, 11); /* 7 header lines before it */
    flurm_swf_destroy (swf);
}

static void test_status_codes_beyond_the_standard (void **state)
{
    /* Sandia-Ross logs status -4 and -2: kept, not refused. */
    const char *text = "1 0 0 478134 4 -1 -1 4 1080000 -1 -4 66 66 3798 1 5 -1 -1\n";
    struct flurm_swf *swf = flurm_swf_load_buffer (text, strlen (text), "mem", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->jobs[0].status, -4);
    flurm_swf_destroy (swf);
}

static void test_header_variants (void **state)
{
    const char *text = ";MaxNodes: 1524\n"
                       "  ; MaxProcs:   338 (batch partition; 512 total)\n"
                       "; UnixStartTime: 1007061086\n"
                       "\n"
                       "1 0 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n";
    struct flurm_swf *swf = flurm_swf_load_buffer (text, strlen (text), "mem", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->max_nodes, 1524);
    assert_int_equal (swf->max_procs, 338);
    assert_int_equal (swf->unix_start_time, 1007061086);
    assert_int_equal (swf->njobs, 1);
    assert_int_equal (swf->nlines, 5);
    flurm_swf_destroy (swf);
}

static void expect_error (const char *fixture, const char *needle)
{
    flurm_error_t err;
    const char *path = test_data (fixture);
    char *copy = g_strdup (path);
    struct flurm_swf *swf = flurm_swf_load_file (copy, &err);
    if (swf)
        fail_msg ("%s loaded but should fail", fixture);
    /* The message names the file, then the line. */
    if (strncmp (err.text, copy, strlen (copy)) != 0 || !strstr (err.text, needle))
        fail_msg ("%s: message '%s' lacks file or '%s'", fixture, err.text, needle);
    g_free (copy);
}

static void test_bad_lines (void **state)
{
    expect_error ("swf/short-line.swf", ":4: expected 18 fields, found 7");
    expect_error ("swf/extra-field.swf", ":1: expected 18 fields, found more than 18");
    expect_error ("swf/not-a-number.swf", ":3:");
    expect_error ("swf/not-a-number.swf", "field 4 (run time) '5O' is not a number");
    expect_error ("swf/negative.swf", "field 4 (run time) is -7: negative and not -1");
    expect_error ("swf/fractional-procs.swf", "field 5 (allocated processors) is 4.5");
    expect_error ("swf/overflow.swf", "field 18 (think time) '1e999' is not a number");
}

static void test_not_text_or_not_gzip (void **state)
{
    flurm_error_t err;
    const char nul[] = "1 0 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n\0garbage\n";
    assert_null (flurm_swf_load_buffer (nul, sizeof (nul) - 1, "bin.swf", &err));
    assert_string_equal (err.text, "bin.swf:2: NUL byte: not a text file");
    const char badgz[] = "\x1f\x8b\x08\x00garbage-after-a-gzip-magic";
    assert_null (flurm_swf_load_buffer (badgz, sizeof (badgz) - 1, "bad.swf.gz", &err));
    assert_non_null (strstr (err.text, "bad.swf.gz: cannot decompress"));
    assert_null (flurm_swf_load_file ("/nonexistent.swf", &err));
    assert_non_null (strstr (err.text, "/nonexistent.swf"));
}

static void test_empty_log (void **state)
{
    struct flurm_swf *swf = flurm_swf_load_buffer ("; only a header\n", 16, "e.swf", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->njobs, 0);
    flurm_swf_destroy (swf);
}

/* The buffer need not end in a NUL: a number or header value at its very
 * end is read within it (ASan catches a read past the copy). */
static void test_unterminated_buffer (void **state)
{
    static const char job[] = "1 0 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 25";
    char *exact = g_memdup2 (job, sizeof (job) - 1);
    struct flurm_swf *swf = flurm_swf_load_buffer (exact, sizeof (job) - 1, "mem", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->njobs, 1);
    assert_true (swf->jobs[0].think == 25);
    flurm_swf_destroy (swf);
    g_free (exact);
    static const char header[] = "; MaxNodes: 12";
    exact = g_memdup2 (header, sizeof (header) - 1);
    swf = flurm_swf_load_buffer (exact, sizeof (header) - 1, "mem", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->max_nodes, 12);
    flurm_swf_destroy (swf);
    g_free (exact);
}

static void expect_buffer_error (const char *text, const char *want)
{
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_buffer (text, strlen (text), "h.swf", &err);
    if (swf)
        fail_msg ("'%s' loaded but should fail", text);
    if (strcmp (err.text, want) != 0)
        fail_msg ("got '%s', expected '%s'", err.text, want);
}

/* Header values are decimal and must fit what they count. */
static void test_bad_header_values (void **state)
{
    expect_buffer_error ("; MaxNodes: 99999999999999999999999\n",
                         "h.swf:1: MaxNodes value 99999999999999999999999 is too large (at most "
                         "2147483647)");
    expect_buffer_error ("\n; MaxProcs: 2147483648\n",
                         "h.swf:2: MaxProcs value 2147483648 is too large (at most 2147483647)");
    expect_buffer_error ("; UnixStartTime: 9223372036854775808\n",
                         "h.swf:1: UnixStartTime value 9223372036854775808 is too large (at most "
                         "9223372036854775807)");
    expect_buffer_error ("; MaxNodes: 0x10\n",
                         "h.swf:1: MaxNodes value '0x10' is not a decimal number");
    expect_buffer_error ("1 0 -1 0x10 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n",
                         "h.swf:1:8: field 4 (run time) '0x10' is not a number");
    expect_buffer_error ("1 0 -1 nan 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n",
                         "h.swf:1:8: field 4 (run time) 'nan' is not a number");
    /* the largest values are fine, and text after a blank is a comment */
    const char *ok = "; MaxProcs: 2147483647 (all)\n; UnixStartTime: 9223372036854775807\n";
    struct flurm_swf *swf = flurm_swf_load_buffer (ok, strlen (ok), "h.swf", NULL);
    assert_non_null (swf);
    assert_int_equal (swf->max_procs, 2147483647);
    assert_int_equal (swf->unix_start_time, INT64_MAX);
    flurm_swf_destroy (swf);
}

/* `text` as one gzip member, appended to `out`. */
static void gzip_member (GByteArray *out, const char *text)
{
    GConverter *c = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6));
    guint8 buf[4096];
    gsize nread = 0, nwritten = 0;
    GConverterResult r = g_converter_convert (c, text, strlen (text), buf, sizeof (buf),
                                              G_CONVERTER_INPUT_AT_END, &nread, &nwritten, NULL);
    assert_int_equal (r, G_CONVERTER_FINISHED);
    g_byte_array_append (out, buf, (guint)nwritten);
    g_object_unref (c);
}

/* Concatenated gzip members read as one file (as gzip -d does); bytes
 * after the last member are an error, not silently ignored. */
static void test_gzip_members (void **state)
{
    GByteArray *gz = g_byte_array_new ();
    gzip_member (gz, "; MaxNodes: 4\n1 0 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n");
    gzip_member (gz, "2 5 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n");
    gzip_member (gz, "3 9 -1 1 1 -1 -1 1 1 -1 1 -1 -1 -1 -1 -1 -1 -1\n");
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_buffer ((const char *)gz->data, gz->len, "m.gz", &err);
    if (!swf)
        fail_msg ("%s", err.text);
    assert_int_equal (swf->njobs, 3);
    assert_int_equal (swf->jobs[2].id, 3);
    assert_int_equal (swf->jobs[2].line, 4);
    assert_int_equal (swf->max_nodes, 4);
    flurm_swf_destroy (swf);

    guint len = gz->len;
    g_byte_array_append (gz, (const guint8 *)"junk", 4);
    assert_null (flurm_swf_load_buffer ((const char *)gz->data, gz->len, "m.gz", &err));
    char want[128];
    snprintf (want, sizeof (want),
              "m.gz: 4 bytes of trailing garbage after the gzip data (at "
              "byte %u)",
              len);
    assert_string_equal (err.text, want);
    g_byte_array_free (gz, TRUE);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_real_logs),
        cmocka_unit_test (test_fields_of_a_real_line),
        cmocka_unit_test (test_status_codes_beyond_the_standard),
        cmocka_unit_test (test_header_variants),
        cmocka_unit_test (test_bad_lines),
        cmocka_unit_test (test_not_text_or_not_gzip),
        cmocka_unit_test (test_empty_log),
        cmocka_unit_test (test_unterminated_buffer),
        cmocka_unit_test (test_bad_header_values),
        cmocka_unit_test (test_gzip_members),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
