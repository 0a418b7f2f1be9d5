/* tests/unit/testutil.c — see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
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

const char *test_tmpdir (void)
{
    static char buf[256];
    snprintf (buf, sizeof (buf), "/tmp/flurm-test-XXXXXX");
    if (!mkdtemp (buf))
        fail_msg ("mkdtemp failed");
    return buf;
}
