/* tests/unit/test_import_batsim.c — Batsim workloads: the real JSSPP'16
 * Graphene workload, every profile type, and each class of bad input. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/import_batsim.h"

#define GRAPHENE "npb/g5k-graphene-batsim-jsspp2016/"

/* The measured runtime of each NPB configuration, read from the CSV the
 * workload's profiles were made from (lines: jobID, "app", runtime). */
static GHashTable *expected_runtimes (const char *path)
{
    GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    size_t len;
    char *text = test_slurp (path, &len);
    char **lines = g_strsplit (text, "\n", -1);
    for (size_t i = 1; lines[i]; i++) {
        char app[64];
        double t;
        if (sscanf (lines[i], "%*d, \"%63[^\"]\", %lf", app, &t) == 2)
            g_hash_table_insert (h, g_strdup (app), g_memdup2 (&t, sizeof (t)));
    }
    g_strfreev (lines);
    g_free (text);
    return h;
}

static void test_real_graphene_workload (void **state)
{
    char *path = g_strdup (shared_data_or_skip (GRAPHENE "g5k_workload_delay_seed1_size32.json"));
    char *csv = g_strdup (shared_data_or_skip (GRAPHENE "expected_runtimes_no_interferences.csv"));
    flurm_error_t err;
    int64_t nb_res = 0;
    struct flurm_run *r = flurm_import_batsim_workload_res (path, &nb_res, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 800);
    assert_int_equal (nb_res, 32);
    assert_string_equal (r->kind, "batsim");
    assert_string_equal (r->origin, "relative");
    assert_string_equal (r->name, "g5k_workload_delay_seed1_size32");
    assert_int_equal (r->nnotes, 0); /* every profile is a delay */

    /* the first two jobs, as the file writes them */
    const struct flurm_run_job *j0 = flurm_run_find (r, "0");
    assert_non_null (j0);
    assert_string_equal (j0->app, "ft.B.1");
    assert_true (j0->submit == 0.0);
    assert_true (j0->runtime == 88.51);
    assert_int_equal (j0->ncores, 1);
    assert_int_equal (j0->ntasks, 1);
    const struct flurm_run_job *j1 = flurm_run_find (r, "1");
    assert_true (j1->submit == 4.709164021244639);
    assert_string_equal (j1->app, "ft.C.2");
    assert_int_equal (j1->ncores, 2);
    assert_string_equal (flurm_run_find (r, "799")->app, "ft.C.2");

    /* every runtime is the measurement of the job's app, every job fits */
    GHashTable *measured = expected_runtimes (csv);
    assert_int_equal (g_hash_table_size (measured), 39);
    for (size_t i = 0; i < r->njobs; i++) {
        const struct flurm_run_job *j = &r->jobs[i];
        char id[32];
        snprintf (id, sizeof (id), "%zu", i);
        assert_string_equal (j->id, id);
        assert_string_equal (j->state, "unfinished");
        assert_null (j->note);
        assert_true (j->start < 0 && j->end < 0);
        assert_true (j->ncores >= 1 && j->ncores <= nb_res);
        assert_int_equal (j->nnodes, j->ncores);
        assert_true (i == 0 || j->submit >= r->jobs[i - 1].submit);
        const double *t = g_hash_table_lookup (measured, j->app);
        if (!t)
            fail_msg ("job %s: app %s is not in %s", j->id, j->app, csv);
        assert_true (j->runtime == *t);
    }
    g_hash_table_destroy (measured);
    flurm_run_destroy (r);
    g_free (path);
    g_free (csv);
}

static void test_profile_types (void **state)
{
    flurm_error_t err;
    int64_t nb_res = 0;
    struct flurm_run *r = flurm_import_batsim_workload_res (
        test_data ("import/batsim/various-profiles.json"), &nb_res, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (nb_res, 4);
    assert_int_equal (r->njobs, 7);

    const struct flurm_run_job *j = flurm_run_find (r, "0");
    assert_string_equal (j->app, "is.B.2");
    assert_true (j->runtime == 6.609);
    assert_int_equal (j->ntasks, 2);
    j = flurm_run_find (r, "w0!1"); /* Batsim 5.x: string id, DelayProfile */
    assert_non_null (j);
    assert_string_equal (j->app, "wait20");
    assert_true (j->runtime == 20.25);
    assert_true (j->submit == 5.5);
    assert_int_equal (j->ntasks, -1);
    static const char *const not_delays[] = {"2", "3", "4", "5"};
    for (size_t i = 0; i < G_N_ELEMENTS (not_delays); i++) {
        j = flurm_run_find (r, not_delays[i]);
        assert_true (j->runtime < 0);
        assert_string_equal (j->state, "unfinished");
        assert_null (j->note);
    }
    j = flurm_run_find (r, "6");
    assert_int_equal (j->ncores, 8);
    assert_non_null (strstr (j->note, "nb_res"));

    /* one note per non-delay type, in name order, then the oversized job */
    assert_int_equal (r->nnotes, 5);
    assert_non_null (strstr (r->notes[0], "1 jobs use profiles of type composed"));
    assert_non_null (strstr (r->notes[1], "type parallel,"));
    assert_non_null (strstr (r->notes[2], "type parallel_homogeneous"));
    assert_non_null (strstr (r->notes[3], "type smpi"));
    assert_non_null (strstr (r->notes[4], "1 jobs ask for more than the 4 resources"));
    flurm_run_destroy (r);
}

static void test_same_file_same_table (void **state)
{
    flurm_error_t err;
    const char *path = test_data ("import/batsim/various-profiles.json");
    struct flurm_run *a = flurm_import_batsim_workload (path, &err);
    struct flurm_run *b = flurm_import_batsim_workload (path, &err);
    assert_non_null (a);
    assert_non_null (b);
    test_assert_same_run (a, b);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* ---- bad input: one line naming the file and where ---- */

static void expect_error (const char *text, const char *where, const char *what)
{
    char *path = g_build_filename (test_tmpdir (), "workload.json", NULL);
    assert_true (g_file_set_contents (path, text, -1, NULL));
    flurm_error_t err = {{0}};
    struct flurm_run *r = flurm_import_batsim_workload (path, &err);
    if (r)
        fail_msg ("accepted: %s", text);
    if (strncmp (err.text, path, strlen (path)) || !strstr (err.text, where) ||
        !strstr (err.text, what) || strchr (err.text, '\n'))
        fail_msg ("error \"%s\" should name %s, %s and %s", err.text, path, where, what);
    g_free (path);
}

#define PROFILES    "\"profiles\": {\"p\": {\"type\": \"delay\", \"delay\": 10}}"
#define JOB(fields) "{\"nb_res\": 4, " PROFILES ", \"jobs\": [" fields "]}"

static void test_bad_top_level (void **state)
{
    expect_error ("[1, 2]", "workload.json: ", "must be a JSON object");
    expect_error ("{\"nb_res\": 4, " PROFILES "}", "workload.json: ", "missing key jobs");
    expect_error ("{\"nb_res\": 4, " PROFILES ", \"jobs\": {}}", "jobs", "must be an array");
    expect_error ("{\"nb_res\": 4, \"jobs\": []}", "workload.json: ", "missing key profiles");
    expect_error ("{\"nb_res\": 4, \"profiles\": [], \"jobs\": []}", "profiles",
                  "must be an object");
    expect_error ("{" PROFILES ", \"jobs\": []}", "workload.json: ", "missing key nb_res");
    expect_error ("{\"nb_res\": 0, " PROFILES ", \"jobs\": []}", "nb_res", "not in 1 .. 2^31");
    expect_error ("{\"nb_res\": 4294967296, " PROFILES ", \"jobs\": []}", "nb_res",
                  "not in 1 .. 2^31");
}

static void test_not_json (void **state)
{
    /* JSON has no NaN: a NaN time is a syntax error at its line and column */
    expect_error ("{\"nb_res\": 4,\n \"jobs\": [{\"id\": 0, \"subtime\": NaN}]}",
                  "workload.json:2:", "not JSON");
    expect_error ("", "workload.json", "not JSON");
}

static void test_bad_profiles (void **state)
{
    expect_error ("{\"nb_res\": 4, \"profiles\": {\"p\": 3}, \"jobs\": []}", "profiles[\"p\"]",
                  "must be a JSON object");
    expect_error ("{\"nb_res\": 4, \"profiles\": {\"p\": {\"delay\": 3}}, \"jobs\": []}",
                  "profiles[\"p\"]", "missing key type");
    expect_error ("{\"nb_res\": 4, \"profiles\": {\"p\": {\"type\": \"delay\"}}, \"jobs\": []}",
                  "profiles[\"p\"]", "needs a delay");
    expect_error ("{\"nb_res\": 4, \"profiles\": {\"p\": {\"type\": \"delay\", \"delay\": -2}},"
                  " \"jobs\": []}",
                  "profiles[\"p\"].delay", "not a time");
}

static void test_missing_job_fields (void **state)
{
    expect_error (JOB ("3"), "jobs[0]", "must be a JSON object");
    expect_error (JOB ("{\"subtime\": 0, \"res\": 1, \"profile\": \"p\"}"), "jobs[0]",
                  "missing key id");
    expect_error (JOB ("{\"id\": 7, \"res\": 1, \"profile\": \"p\"}"), "jobs[0] (id 7)",
                  "missing key subtime");
    expect_error (JOB ("{\"id\": 7, \"subtime\": 0, \"profile\": \"p\"}"), "jobs[0] (id 7)",
                  "missing key res");
    expect_error (JOB ("{\"id\": 7, \"subtime\": 0, \"res\": 1}"), "jobs[0] (id 7)",
                  "missing key profile");
    expect_error (JOB ("{\"id\": \"\", \"subtime\": 0, \"res\": 1, \"profile\": \"p\"}"), "jobs[0]",
                  "non-empty string");
}

static void test_bad_times (void **state)
{
    expect_error (JOB ("{\"id\": 1, \"subtime\": -0.5, \"res\": 1, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).subtime", "not a time");
    expect_error (JOB ("{\"id\": 1, \"subtime\": 2e11, \"res\": 1, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).subtime", "absurd");
    expect_error (JOB ("{\"id\": 1, \"subtime\": \"5\", \"res\": 1, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).subtime", "must be a number");
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"walltime\": -3, \"res\": 1,"
                       " \"profile\": \"p\"}"),
                  "jobs[0] (id 1).walltime", "not a time");
}

static void test_bad_sizes (void **state)
{
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 0, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).res", "not in 1 .. 2^31");
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 2.5, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).res", "must be an integer");
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 3000000000, \"profile\": \"p\"}"),
                  "jobs[0] (id 1).res", "not in 1 .. 2^31");
}

static void test_unknown_profile_and_duplicate_id (void **state)
{
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 1, \"profile\": \"q\"}"),
                  "jobs[0] (id 1).profile", "no profile is named \"q\"");
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 1, \"profile\": \"p\"},"
                       "{\"id\": 1, \"subtime\": 3, \"res\": 1, \"profile\": \"p\"}"),
                  "jobs[1] (id 1)", "same id");
    /* an integer id and the same id as a string are the same job for Batsim */
    expect_error (JOB ("{\"id\": 1, \"subtime\": 0, \"res\": 1, \"profile\": \"p\"},"
                       "{\"id\": \"1\", \"subtime\": 3, \"res\": 1, \"profile\": \"p\"}"),
                  "jobs[1] (id 1)", "same id");
}

static void test_missing_file (void **state)
{
    flurm_error_t err;
    assert_null (flurm_import_batsim_workload ("/nonexistent/w.json", &err));
    assert_non_null (strstr (err.text, "/nonexistent/w.json"));
    assert_null (flurm_import_batsim_workload ("/nonexistent/w.json", NULL));
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_real_graphene_workload),
        cmocka_unit_test (test_profile_types),
        cmocka_unit_test (test_same_file_same_table),
        cmocka_unit_test (test_bad_top_level),
        cmocka_unit_test (test_not_json),
        cmocka_unit_test (test_bad_profiles),
        cmocka_unit_test (test_missing_job_fields),
        cmocka_unit_test (test_bad_times),
        cmocka_unit_test (test_bad_sizes),
        cmocka_unit_test (test_unknown_profile_and_duplicate_id),
        cmocka_unit_test (test_missing_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
