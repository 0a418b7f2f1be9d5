/* tests/unit/testutil.c — see testutil.h. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

const char *test_data (const char *relpath)
{
    static char buf[4096];
    const char *dir = getenv ("FLURM_TEST_DATA");
    if (!dir)
        dir = "tests/data";
    snprintf (buf, sizeof (buf), "%s/%s", dir, relpath);
    return buf;
}

const char *shared_data (const char *relpath)
{
    static char buf[4096];
    const char *dir = getenv ("FLURM_SHARED_DATA");
    if (!dir)
        return NULL;
    snprintf (buf, sizeof (buf), "%s/%s", dir, relpath);
    if (access (buf, R_OK) != 0)
        return NULL;
    return buf;
}

char *test_slurp (const char *path, size_t *len)
{
    char *data = NULL;
    gsize n = 0;
    if (!g_file_get_contents (path, &data, &n, NULL))
        fail_msg ("cannot read %s", path);
    if (len)
        *len = n;
    return data;
}

/* Remove `path` and, for a folder, all it holds; symbolic links are
 * removed, never followed. */
static void remove_tree (const char *path)
{
    struct stat st;
    if (lstat (path, &st) != 0)
        return;
    if (S_ISDIR (st.st_mode)) {
        DIR *d = opendir (path);
        struct dirent *e;
        while (d && (e = readdir (d))) {
            if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0) {
                char *child = g_build_filename (path, e->d_name, NULL);
                remove_tree (child);
                g_free (child);
            }
        }
        if (d)
            closedir (d);
        rmdir (path);
    } else
        unlink (path);
}

static GPtrArray *tmpdirs; /* folders to remove at exit */

static void remove_tmpdirs (void)
{
    for (guint i = 0; i < tmpdirs->len; i++)
        remove_tree (g_ptr_array_index (tmpdirs, i));
    g_ptr_array_free (tmpdirs, TRUE);
    tmpdirs = NULL;
}

const char *test_tmpdir (void)
{
    static char buf[256];
    snprintf (buf, sizeof (buf), "/tmp/flurm-test-XXXXXX");
    if (!mkdtemp (buf))
        fail_msg ("mkdtemp failed");
    if (!tmpdirs) {
        tmpdirs = g_ptr_array_new_with_free_func (g_free);
        atexit (remove_tmpdirs);
    }
    g_ptr_array_add (tmpdirs, g_strdup (buf));
    return buf;
}
