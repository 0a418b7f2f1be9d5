/* tests/fuzz/harness.c — see harness.h.
 *
 * Files live in one private folder per process, so that two fuzzers
 * running at once never share one, and everything made in it is
 * recorded and removed at exit (last made first), so a replay leaves
 * nothing behind.  The input file is rewritten in place for every input:
 * a fuzzer runs thousands a second.  A fuzzer killed by a crash leaves
 * its folder in the temporary folder: harmless, and the crash matters
 * more.
 */
#include "tests/fuzz/harness.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

static char *root;        /* the private folder, NULL before the first use */
static GPtrArray *made;   /* paths made under root, in the order made */
static GHashTable *paths; /* name -> its path under root (owned by `made`) */

static void harness_error (const char *what, const char *where)
{
    fprintf (stderr, "fuzz harness: %s %s failed\n", what, where ? where : "");
    abort ();
}

static void cleanup (void)
{
    for (guint i = made->len; i-- > 0;)
        g_remove (made->pdata[i]);
    g_remove (root);
    g_hash_table_destroy (paths);
    g_ptr_array_free (made, TRUE);
    g_clear_pointer (&root, g_free);
}

/* The path of `name` under root, its folders made (and recorded) on the
 * first call for that name. */
static const char *path_of (const char *name)
{
    if (!root) {
        root = g_dir_make_tmp ("flurm-fuzz-XXXXXX", NULL);
        if (!root)
            harness_error ("making a temporary folder", NULL);
        made = g_ptr_array_new_with_free_func (g_free);
        paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        atexit (cleanup);
    }
    const char *known = g_hash_table_lookup (paths, name);
    if (known)
        return known;
    char **parts = g_strsplit (name, "/", -1);
    char *at = g_strdup (root);
    for (size_t i = 0; parts[i]; i++) {
        char *next = g_build_filename (at, parts[i], NULL);
        g_free (at);
        at = next;
        if (parts[i + 1] && !g_file_test (at, G_FILE_TEST_IS_DIR)) {
            if (g_mkdir (at, 0700) != 0)
                harness_error ("making", at);
            g_ptr_array_add (made, g_strdup (at));
        }
    }
    g_strfreev (parts);
    g_ptr_array_add (made, at);
    g_hash_table_insert (paths, g_strdup (name), at);
    return at;
}

/* Written over and then cut to size rather than truncated first: ext4
 * flushes a file truncated to zero and rewritten at every close
 * (auto_da_alloc), which would slow a fuzzer down tenfold. */
const char *fuzz_input_file (const uint8_t *data, size_t size, const char *name)
{
    const char *path = path_of (name);
    int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < size;) {
        ssize_t n = pwrite (fd, data + done, size - done, (off_t)done);
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    ok = ok && ftruncate (fd, (off_t)size) == 0;
    if (fd >= 0 && close (fd) != 0)
        ok = false;
    if (!ok)
        harness_error ("writing", path);
    return path;
}

const char *fuzz_scratch_path (const char *name)
{
    return path_of (name);
}

char *fuzz_input_string (const uint8_t *data, size_t size)
{
    char *s = malloc (size + 1);
    if (!s)
        harness_error ("allocating", NULL);
    if (size > 0)
        memcpy (s, data, size);
    s[size] = '\0';
    return s;
}

void fuzz_fail (const char *what, const char *detail)
{
    fprintf (stderr, "fuzz: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort ();
}
