/* tests/fuzz/replay_main.c — a fuzz target as a normal program: feed it
 * each file named on the command line, or each file under each folder
 * named (in name order, so a run is repeatable), once.
 *
 *     replay_<target> tests/fuzz/corpus/<target> tests/fuzz/crashes/<target>
 *
 * This is how the test suite keeps the seeds and every crasher ever found
 * passing with any compiler, under the sanitizers when the build has them
 * (a crash or a sanitizer report ends the program with an error, which
 * fails the test).  Each input is copied into a buffer of exactly its
 * size, as libFuzzer does, so that reading one byte past the end is
 * caught.  No input at all is an error too: a misspelt folder must not
 * pass as an empty corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/infile.h"
#include "tests/fuzz/harness.h"

/* Far above anything kept in a corpus (libFuzzer's inputs stay below a
 * few KB unless told otherwise). */
#define REPLAY_MAX_BYTES ((size_t)16 << 20)

struct replay {
    const char *prog;
    unsigned inputs;
    double slowest; /* seconds */
    char *slowest_name;
};

static int replay_file (struct replay *rp, const char *file)
{
    flurm_error_t err;
    size_t len;
    char *text = flurm_read_file (file, REPLAY_MAX_BYTES, &len, &err);
    if (!text) {
        fprintf (stderr, "%s: %s\n", rp->prog, err.text);
        return -1;
    }
    uint8_t *data = malloc (len ? len : 1);
    if (!data) {
        g_free (text);
        fprintf (stderr, "%s: %s: out of memory\n", rp->prog, file);
        return -1;
    }
    memcpy (data, text, len);
    g_free (text);
    gint64 t0 = g_get_monotonic_time ();
    LLVMFuzzerTestOneInput (data, len);
    double took = (double)(g_get_monotonic_time () - t0) / 1e6;
    free (data);
    rp->inputs++;
    if (took >= rp->slowest) {
        rp->slowest = took;
        g_free (rp->slowest_name);
        rp->slowest_name = g_strdup (file);
    }
    return 0;
}

static gint by_name (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *)a, *(char *const *)b);
}

static int replay_path (struct replay *rp, const char *p)
{
    if (!g_file_test (p, G_FILE_TEST_IS_DIR))
        return replay_file (rp, p);
    GError *gerr = NULL;
    GDir *dir = g_dir_open (p, 0, &gerr);
    if (!dir) {
        fprintf (stderr, "%s: %s\n", rp->prog, gerr->message);
        g_error_free (gerr);
        return -1;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_build_filename (p, name, NULL));
    g_dir_close (dir);
    g_ptr_array_sort (names, by_name);
    int rc = 0;
    for (guint i = 0; i < names->len && rc == 0; i++)
        rc = replay_path (rp, names->pdata[i]);
    g_ptr_array_free (names, TRUE);
    return rc;
}

int main (int argc, char **argv)
{
    char *prog = g_path_get_basename (argv[0]);
    struct replay rp = {.prog = prog};
    if (argc < 2) {
        fprintf (stderr, "usage: %s FILE-OR-FOLDER...\n", prog);
        g_free (prog);
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++)
        rc = replay_path (&rp, argv[i]);
    if (rc == 0 && rp.inputs == 0) {
        fprintf (stderr, "%s: no input files in %s%s\n", prog, argv[1], argc > 2 ? "..." : "");
        rc = -1;
    }
    if (rc == 0)
        printf ("%s: %u inputs, slowest %.3f s (%s)\n", prog, rp.inputs, rp.slowest,
                rp.slowest_name);
    g_free (rp.slowest_name);
    g_free (prog);
    return rc == 0 ? 0 : 1;
}
