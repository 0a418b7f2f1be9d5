/* tests/unit/test_profile_build.c — profiles from reference runs: the
 * measured ARIS pool gives back models/npb-aris.yaml, and a small run gives
 * the medians computed by hand. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/profile_build.h"
#include "sim/import_pool.h"
#include "sim/run.h"
#include "testutil.h"

static void add (struct flurm_run *r, const char *app, const char *partner, const char *state,
                 double runtime)
{
    struct flurm_run_job j = {.id = "x", .app = (char *)app, .partner = (char *)partner,
                              .state = (char *)state, .runtime = runtime, .submit = -1,
                              .start = -1, .end = -1, .ncores = -1, .nnodes = -1, .ntasks = -1};
    flurm_run_add (r, &j);
}

/* cg.D.64 alone: 100, 110, 130 -> median 110; next to ep: 90, 100 ->
 * median 95, speedup 110/95.  ep.E.256 alone: 50.  A failed run, a run of
 * an app never measured alone (lu) and one without an app are left out. */
static void test_small (void **state)
{
    struct flurm_run *r = flurm_run_create ("logs", "npb-log", "relative");
    add (r, "cg.D.64", NULL, "completed", 130);
    add (r, "cg.D.64", NULL, "completed", 100);
    add (r, "cg.D.64", NULL, "completed", 110);
    add (r, "cg.D.64", NULL, "verification-failed", 10);
    add (r, "cg.D.64", "ep.E.256", "completed", 100);
    add (r, "cg.D.64", "ep.E.256", "completed", 90);
    add (r, "ep.E.256", NULL, "completed", 50);
    add (r, "lu.D.64", "cg.D.64", "completed", 70);
    add (r, NULL, NULL, "completed", 70);
    char **notes;
    size_t nnotes;
    flurm_error_t err;
    struct flurm_app_profiles *p = flurm_profiles_from_runs (&r, 1, "aris", "by hand", &notes,
                                                             &nnotes, &err);
    assert_non_null (p);
    assert_int_equal (p->napps, 2);
    assert_string_equal (p->apps[0].name, "cg.D.64");
    assert_true (p->apps[0].runtime == 110 && p->apps[0].runtime_min == 100);
    assert_int_equal (p->apps[0].runs, 3);
    assert_int_equal (p->apps[0].npairs, 1);
    assert_true (p->apps[0].pairs[0].median == 95);
    assert_true (fabs (p->apps[0].pairs[0].speedup - 110.0 / 95) < 1e-12);
    assert_int_equal (nnotes, 3);
    assert_string_equal (notes[0], "1 runs left out: not completed (failed verification, "
                                   "truncated, never started...)");
    /* the file it writes reads back with the same figures */
    char *path = g_build_filename (test_tmpdir (), "p.yaml", NULL);
    assert_int_equal (flurm_app_profiles_write (p, path, &err), 0);
    struct flurm_app_profiles *q = flurm_app_profiles_load (path, &err);
    if (!q)
        fail_msg ("%s", err.text);
    assert_int_equal (q->napps, 2);
    assert_true (fabs (q->apps[0].pairs[0].speedup - 110.0 / 95) < 1e-4);
    assert_string_equal (q->provenance.measured, "by hand");
    flurm_app_profiles_destroy (q);
    flurm_app_profiles_destroy (p);
    for (size_t i = 0; i < nnotes; i++)
        g_free (notes[i]);
    g_free (notes);
    g_free (path);

    /* nothing measured alone: nothing to profile, said so */
    struct flurm_run *only_pairs = flurm_run_create ("pairs", "npb-log", "relative");
    add (only_pairs, "cg.D.64", "ep.E.256", "completed", 90);
    assert_null (flurm_profiles_from_runs (&only_pairs, 1, "aris", "x", NULL, NULL, &err));
    assert_non_null (strstr (err.text, "no completed run of an app alone"));
    assert_null (flurm_profiles_from_runs (&r, 1, "aris", "", NULL, NULL, &err));
    assert_non_null (strstr (err.text, "by whom"));
    flurm_run_destroy (only_pairs);
    flurm_run_destroy (r);
}

/* The ELiSE pool through the importer and this builder gives the same
 * profiles as scripts/gen_npb_model.py wrote into models/npb-aris.yaml:
 * the same apps in the same order, every median, spread, count and
 * speedup (to the files' rounding). */
static void test_pool_gives_the_committed_profiles (void **state)
{
    const char *pool = shared_data_or_skip ("npb/aris-elise/lm-aris.compute-NAS.json");
    flurm_error_t err;
    struct flurm_run *r = flurm_import_pool (pool, &err);
    assert_non_null (r);
    struct flurm_app_profiles *built =
        flurm_profiles_from_runs (&r, 1, "aris.compute", "ELiSE", NULL, NULL, &err);
    assert_non_null (built);
    struct flurm_app_profiles *committed = test_aris_profiles ();
    assert_int_equal (built->napps, committed->napps);
    for (size_t a = 0; a < built->napps; a++) {
        const struct flurm_app_profile *x = &built->apps[a], *y = &committed->apps[a];
        assert_string_equal (x->name, y->name);
        assert_int_equal (x->procs, y->procs);
        assert_int_equal (x->runs, y->runs);
        assert_true (fabs (x->runtime - y->runtime) < 5e-4);
        assert_true (fabs (x->runtime_min - y->runtime_min) < 5e-4);
        assert_true (fabs (x->runtime_max - y->runtime_max) < 5e-4);
        assert_int_equal (x->npairs, y->npairs);
        for (size_t i = 0; i < x->npairs; i++) {
            assert_int_equal (x->pairs[i].partner, y->pairs[i].partner);
            assert_int_equal (x->pairs[i].runs, y->pairs[i].runs);
            assert_true (fabs (x->pairs[i].median - y->pairs[i].median) < 5e-4);
            assert_true (fabs (x->pairs[i].speedup - y->pairs[i].speedup) < 5e-5);
        }
    }
    flurm_app_profiles_destroy (committed);
    flurm_app_profiles_destroy (built);
    flurm_run_destroy (r);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_small),
        cmocka_unit_test (test_pool_gives_the_committed_profiles),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
