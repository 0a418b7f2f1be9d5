/* tests/unit/testutil.c — see testutil.h. */
#include "testutil.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "sim/engine.h"
#include "sim/run.h"

#include "sim/jgf.h"

static int cmp_names (const char **a, const char **b)
{
    return strcmp (*a, *b);
}

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

const char *shared_data_or_skip (const char *relpath)
{
    const char *path = shared_data (relpath);
    if (!path) {
        const char *dir = getenv ("FLURM_SHARED_DATA");
        print_message ("skipped: needs %s in the shared data folder (%s)\n", relpath,
                       dir ? dir : "FLURM_SHARED_DATA is not set");
        skip ();
    }
    return path;
}

struct flurm_graph *test_conformance_graph (const char *name)
{
    char rel[256];
    flurm_error_t err;
    snprintf (rel, sizeof (rel), "fluxion-conformance/graphs/%s", name);
    struct flurm_graph *g = flurm_jgf_load_file (test_data (rel), &err);
    if (!g)
        fail_msg ("%s", err.text);
    return g;
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

static int visit_json (const char *path, void (*check) (json_t *R, const char *where),
                       bool sequence)
{
    json_error_t jerr;
    json_t *doc = json_load_file (path, 0, &jerr);
    if (!doc)
        fail_msg ("%s: %s", path, jerr.text);
    int n = 0;
    if (!sequence) {
        check (doc, path);
        n++;
    } else {
        size_t i;
        json_t *step;
        json_array_foreach (json_object_get (doc, "steps"), i, step)
        {
            json_t *R = json_object_get (step, "R");
            if (R && !json_is_null (R)) {
                check (R, path);
                n++;
            }
        }
    }
    json_decref (doc);
    return n;
}

static int visit_folder (const char *dir, const char *suffix,
                         void (*check) (json_t *R, const char *where), bool sequence)
{
    char *dpath = g_strdup (test_data (dir));
    GDir *d = g_dir_open (dpath, 0, NULL);
    if (!d)
        fail_msg ("cannot open %s", dpath);
    /* Sorted, so failures always show in the same order. */
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    while ((name = g_dir_read_name (d)))
        if (g_str_has_suffix (name, suffix))
            g_ptr_array_add (names, g_strdup (name));
    g_dir_close (d);
    g_ptr_array_sort (names, (GCompareFunc)cmp_names);
    int n = 0;
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename (dpath, (char *)g_ptr_array_index (names, i), NULL);
        n += visit_json (path, check, sequence);
        g_free (path);
    }
    g_ptr_array_free (names, TRUE);
    g_free (dpath);
    return n;
}

void test_foreach_recorded_R (void (*check) (json_t *R, const char *where), int *nflux,
                              int *nfluxion)
{
    char *resource = g_strdup (test_data ("flux-outputs/resource-R.json"));
    *nflux = visit_folder ("flux-outputs", ".R.json", check, false)
             + visit_json (resource, check, false);
    g_free (resource);
    *nfluxion = visit_folder ("fluxion-conformance/sequences", ".json", check, true);
}

void test_assert_same_run (const struct flurm_run *a, const struct flurm_run *b)
{
    const char *dir = test_tmpdir ();
    char *pa = g_build_filename (dir, "a.csv", NULL), *pb = g_build_filename (dir, "b.csv", NULL);
    flurm_error_t err;
    if (flurm_run_write_csv (a, pa, &err) < 0 || flurm_run_write_csv (b, pb, &err) < 0)
        fail_msg ("%s", err.text);
    size_t la, lb;
    char *ta = test_slurp (pa, &la), *tb = test_slurp (pb, &lb);
    assert_int_equal (a->njobs, b->njobs);
    assert_int_equal (la, lb);
    assert_memory_equal (ta, tb, la);
    assert_int_equal (a->nnotes, b->nnotes);
    for (size_t i = 0; i < a->nnotes; i++)
        assert_string_equal (a->notes[i], b->notes[i]);
    g_free (ta);
    g_free (tb);
    g_free (pa);
    g_free (pb);
}

struct flurm_app_profiles *test_aris_profiles (void)
{
    flurm_error_t err;
    /* the repository root is FLURM_TEST_DATA/../.. (tests/data) */
    struct flurm_app_profiles *p =
        flurm_app_profiles_load (test_data ("../../models/npb-aris.yaml"), &err);
    if (!p)
        fail_msg ("%s", err.text);
    return p;
}

const struct flurm_job *test_engine_run (struct flurm_matcher *m, const struct flurm_workload *w,
                                         struct flurm_engine_config *cfg,
                                         struct flurm_engine **e, size_t *n)
{
    flurm_error_t err;
    cfg->check_invariants = true;
    *e = flurm_engine_create (m, w, cfg, &err);
    if (!*e)
        fail_msg ("%s", err.text);
    if (flurm_engine_run (*e, &err) < 0)
        fail_msg ("%s", err.text);
    return flurm_engine_jobs (*e, n);
}

char *test_jgf_text (const struct flurm_graph *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&buf, &len);
    flurm_error_t err = {{0}};
    if (flurm_jgf_write (g, f, &err) < 0)
        fail_msg ("jgf_write: %s", err.text);
    fclose (f);
    return buf;
}
