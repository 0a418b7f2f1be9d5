/* tests/unit/test_infile.c — reading whole input files with a limit. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/infile.h"

static char *write_tmp (const char *name, const char *data, size_t len)
{
    char *path = g_build_filename (test_tmpdir (), name, NULL);
    if (!g_file_set_contents (path, data, (gssize)len, NULL))
        fail_msg ("cannot write %s", path);
    return path;
}

/* A file is read whole and NUL-terminated; one of exactly the limit is
 * fine, one byte more is refused. */
static void test_sizes (void **state)
{
    flurm_error_t err;
    size_t len = 0;
    char *path = write_tmp ("ten", "0123456789", 10);
    char *data = flurm_read_file (path, 10, &len, &err);
    if (!data)
        fail_msg ("%s", err.text);
    assert_int_equal (len, 10);
    assert_string_equal (data, "0123456789");
    g_free (data);
    assert_null (flurm_read_file (path, 9, &len, &err));
    char *want = g_strdup_printf ("%s: input is larger than 9 bytes", path);
    assert_string_equal (err.text, want);
    g_free (want);
    g_free (path);

    path = write_tmp ("empty", "", 0);
    data = flurm_read_file (path, 10, &len, &err);
    assert_non_null (data);
    assert_int_equal (len, 0);
    assert_string_equal (data, "");
    g_free (data);
    g_free (path);
}

/* Larger than one probe read: the buffer grows past what fstat gave when
 * the size is unknown (a pipe), here the standard input. */
static void test_stdin (void **state)
{
    GString *big = g_string_new (NULL);
    for (int i = 0; i < 20000; i++)
        g_string_append_printf (big, "%d\n", i);
    char *path = write_tmp ("big", big->str, big->len);
    char *cat = g_strdup_printf ("cat '%s'", path);
    FILE *in = popen (cat, "r");
    assert_non_null (in);
    FILE *saved = stdin;
    stdin = in;
    flurm_error_t err;
    size_t len = 0;
    char *data = flurm_read_file ("-", 1 << 20, &len, &err);
    assert_non_null (data);
    assert_int_equal (len, big->len);
    assert_memory_equal (data, big->str, len);
    g_free (data);
    pclose (in);
    in = popen (cat, "r");
    stdin = in;
    assert_null (flurm_read_file ("-", 1000, &len, &err));
    assert_string_equal (err.text, "<stdin>: input is larger than 1000 bytes");
    pclose (in);
    stdin = saved;
    g_string_free (big, TRUE);
    g_free (cat);
    g_free (path);
}

static void test_errors (void **state)
{
    flurm_error_t err;
    size_t len;
    assert_null (flurm_read_file ("/nonexistent/x", 10, &len, &err));
    assert_string_equal (err.text, "/nonexistent/x: cannot open: No such file or directory");
    const char *dir = test_tmpdir ();
    assert_null (flurm_read_file (dir, 10, &len, &err));
    assert_non_null (strstr (err.text, "is a folder, not a file"));
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_sizes),
        cmocka_unit_test (test_stdin),
        cmocka_unit_test (test_errors),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
