/* tests/unit/test_outfile.c — output files appear whole or not at all. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
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

static char *slurp_or_null (const char *path)
{
    char *data = NULL;
    return g_file_get_contents (path, &data, NULL, NULL) ? data : NULL;
}

/* Replacing a file keeps its mode; a new file gets 0666 minus the umask. */
static void test_mode_is_kept (void **state)
{
    const char *dir = test_tmpdir ();
    char *path = g_strdup_printf ("%s/run.sh", dir);
    flurm_error_t err;
    assert_int_equal (flurm_write_file (path, "#!/bin/sh\n", 10, &err), 0);
    mode_t mask = umask (022);
    struct stat st;
    assert_int_equal (flurm_write_file (path, "#!/bin/sh\n", 10, &err), 0);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 07777, 0644);
    chmod (path, 0751);
    assert_int_equal (flurm_write_file (path, "#!/bin/sh\ntrue\n", 15, &err), 0);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 07777, 0751);
    char *fresh = g_strdup_printf ("%s/new", dir);
    umask (027);
    assert_int_equal (flurm_write_file (fresh, "x", 1, &err), 0);
    assert_int_equal (stat (fresh, &st), 0);
    assert_int_equal (st.st_mode & 07777, 0640);
    umask (mask);
    g_free (fresh);
    g_free (path);
}

/* -o through a symbolic link replaces the file it leads to and keeps the
 * link. */
static void test_symlink_is_kept (void **state)
{
    const char *dir = test_tmpdir ();
    char *sub = g_strdup_printf ("%s/real", dir);
    mkdir (sub, 0700);
    char *target = g_strdup_printf ("%s/data.json", sub);
    char *link = g_strdup_printf ("%s/link.json", dir);
    flurm_error_t err;
    assert_int_equal (flurm_write_file (target, "old", 3, &err), 0);
    assert_int_equal (symlink ("real/data.json", link), 0);
    assert_int_equal (flurm_write_file (link, "new", 3, &err), 0);
    struct stat st;
    assert_int_equal (lstat (link, &st), 0);
    assert_true (S_ISLNK (st.st_mode));
    char *text = test_slurp (target, NULL);
    assert_string_equal (text, "new");
    g_free (text);
    assert_int_equal (count_entries (dir), 2); /* no temporary beside the link */
    assert_int_equal (count_entries (sub), 1); /* nor beside the target */
    g_free (link);
    g_free (target);
    g_free (sub);
}

/* A fifo (or /dev/null) is written to, never replaced by a regular file. */
static void test_special_file_is_written_directly (void **state)
{
    const char *dir = test_tmpdir ();
    char *fifo = g_strdup_printf ("%s/pipe", dir);
    assert_int_equal (mkfifo (fifo, 0600), 0);
    /* a reader on the other end, so that opening for writing does not block */
    int rfd = open (fifo, O_RDONLY | O_NONBLOCK);
    assert_true (rfd >= 0);
    flurm_error_t err;
    assert_int_equal (flurm_write_file (fifo, "through", 7, &err), 0);
    char buf[16] = "";
    assert_int_equal (read (rfd, buf, sizeof (buf)), 7);
    assert_memory_equal (buf, "through", 7);
    close (rfd);
    struct stat st;
    assert_int_equal (lstat (fifo, &st), 0);
    assert_true (S_ISFIFO (st.st_mode));
    assert_int_equal (count_entries (dir), 1);

    assert_int_equal (flurm_write_file ("/dev/null", "x", 1, &err), 0);
    assert_int_equal (stat ("/dev/null", &st), 0);
    assert_true (S_ISCHR (st.st_mode));
    g_free (fifo);
}

/* A folder is not an output file. */
static void test_folder_is_an_error (void **state)
{
    const char *dir = test_tmpdir ();
    flurm_error_t err;
    assert_null (flurm_outfile_open (dir, &err));
    assert_non_null (strstr (err.text, "is a folder, not a file"));
    char *slash = g_strdup_printf ("%s/new/", dir);
    assert_null (flurm_outfile_open (slash, &err));
    assert_non_null (strstr (err.text, "names a folder, not a file"));
    assert_int_equal (count_entries (dir), 0);
    assert_null (slurp_or_null (slash));
    g_free (slash);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_commit_replaces_whole_file),
        cmocka_unit_test (test_abort_leaves_previous_file),
        cmocka_unit_test (test_unwritable_folder_is_an_error),
        cmocka_unit_test (test_failed_commit_is_reported_and_cleaned),
        cmocka_unit_test (test_mode_is_kept),
        cmocka_unit_test (test_symlink_is_kept),
        cmocka_unit_test (test_special_file_is_written_directly),
        cmocka_unit_test (test_folder_is_an_error),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
