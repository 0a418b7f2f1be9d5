/* tests/unit/test_outfile.c — output files appear whole or not at all. */
#include "testutil.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "sim/outfile.h"

/* Number of entries in a folder other than . and .. */
static int count_entries (const char *dir)
{
    DIR *d = opendir (dir);
    assert_non_null (d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir (d)))
        if (strcmp (e->d_name, ".") && strcmp (e->d_name, ".."))
            n++;
    closedir (d);
    return n;
}

static void test_commit_replaces_whole_file (void **state)
{
    const char *dir = test_tmpdir ();
    char *path = g_strdup_printf ("%s/out.txt", dir);
    flurm_error_t err;
    assert_int_equal (flurm_write_file (path, "old\n", 4, &err), 0);

    struct flurm_outfile *out = flurm_outfile_open (path, &err);
    assert_non_null (out);
    fprintf (flurm_outfile_stream (out), "new content\n");
    /* Until commit, readers still see the previous file. */
    char *text = test_slurp (path, NULL);
    assert_string_equal (text, "old\n");
    g_free (text);
    assert_int_equal (flurm_outfile_commit (out, &err), 0);
    text = test_slurp (path, NULL);
    assert_string_equal (text, "new content\n");
    g_free (text);
    assert_int_equal (count_entries (dir), 1); /* no temporary left */
    unlink (path);
    rmdir (dir);
    g_free (path);
}

static void test_abort_leaves_previous_file (void **state)
{
    const char *dir = test_tmpdir ();
    char *path = g_strdup_printf ("%s/out.txt", dir);
    struct flurm_outfile *out = flurm_outfile_open (path, NULL);
    assert_non_null (out);
    fprintf (flurm_outfile_stream (out), "half a resu");
    flurm_outfile_abort (out);
    assert_int_equal (access (path, F_OK), -1); /* never appeared */
    assert_int_equal (count_entries (dir), 0);
    rmdir (dir);
    g_free (path);
}

static void test_unwritable_folder_is_an_error (void **state)
{
    flurm_error_t err;
    struct flurm_outfile *out = flurm_outfile_open ("/nonexistent-dir/x.json", &err);
    assert_null (out);
    assert_non_null (strstr (err.text, "/nonexistent-dir/x.json"));
    assert_int_equal (flurm_write_file ("/nonexistent-dir/x.json", "x", 1, &err), -1);
}

static void test_failed_commit_is_reported_and_cleaned (void **state)
{
    /* The last step of a commit can fail (here: the destination became a
     * non-empty folder, so rename fails); the error must be reported and
     * the temporary removed. */
    const char *dir = test_tmpdir ();
    char *sub = g_strdup_printf ("%s/sub", dir);
    mkdir (sub, 0700);
    char *path = g_strdup_printf ("%s/out.txt", sub);
    flurm_error_t err;
    struct flurm_outfile *out = flurm_outfile_open (path, &err);
    assert_non_null (out);
    fprintf (flurm_outfile_stream (out), "data\n");
    /* Make the destination a non-empty folder: rename over it fails. */
    mkdir (path, 0700);
    char *blocker = g_strdup_printf ("%s/keep", path);
    assert_int_equal (flurm_write_file (blocker, "k", 1, &err), 0);
    assert_int_equal (flurm_outfile_commit (out, &err), -1);
    assert_non_null (strstr (err.text, "cannot write"));
    assert_int_equal (count_entries (sub), 1); /* only the folder, no temp */
    unlink (blocker);
    rmdir (path);
    rmdir (sub);
    rmdir (dir);
    g_free (blocker);
    g_free (path);
    g_free (sub);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_commit_replaces_whole_file),
        cmocka_unit_test (test_abort_leaves_previous_file),
        cmocka_unit_test (test_unwritable_folder_is_an_error),
        cmocka_unit_test (test_failed_commit_is_reported_and_cleaned),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
