/* tests/unit/test_runcompare.c — `flurm-sim check`: a run compared with
 * the expected outputs.  The expected side is always a real golden run;
 * the "run" is a copy of it with one thing changed, so the test knows
 * exactly which difference must be reported, and that nothing else is. */
#include "testutil.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "sim/runcompare.h"

#define GOLDEN "../../results/golden/kth-sp2-first2000-easy"
#define GOLDEN_FCFS "../../results/golden/kth-sp2-first2000-fcfs"

static char *golden_file (const char *name)
{
    return g_build_filename (test_data (GOLDEN), name, NULL);
}

/* A run folder: the golden jobs.csv text and summary.json object as
 * given.  Removed by remove_run. */
static char *write_run (const char *jobs_csv, json_t *summary)
{
    char *dir = g_strdup (test_tmpdir ());
    char *jobs = g_build_filename (dir, "jobs.csv", NULL);
    char *sum = g_build_filename (dir, "summary.json", NULL);
    if (!g_file_set_contents (jobs, jobs_csv, -1, NULL))
        fail_msg ("cannot write %s", jobs);
    assert_int_equal (json_dump_file (summary, sum, JSON_INDENT (2)), 0);
    g_free (jobs);
    g_free (sum);
    return dir;
}

static void remove_run (char *dir)
{
    static const char *names[] = {"jobs.csv", "summary.json"};
    for (size_t i = 0; i < 2; i++) {
        char *path = g_build_filename (dir, names[i], NULL);
        g_remove (path);
        g_free (path);
    }
    g_rmdir (dir);
    g_free (dir);
}

static json_t *golden_summary (void)
{
    char *path = golden_file ("summary.json");
    json_error_t jerr;
    json_t *o = json_load_file (path, 0, &jerr);
    if (!o)
        fail_msg ("%s:%d: %s", path, jerr.line, jerr.text);
    g_free (path);
    return o;
}

static char *golden_jobs (void)
{
    char *path = golden_file ("jobs.csv");
    char *text = test_slurp (path, NULL);
    g_free (path);
    return text;
}

/* Replace the first occurrence of `from` (which must be there) in the
 * golden jobs.csv; `from` is a whole row or a unique start of one. */
static char *golden_jobs_replacing (const char *from, const char *to)
{
    GString *text = g_string_new (NULL);
    char *golden = golden_jobs ();
    g_string_assign (text, golden);
    g_free (golden);
    assert_int_equal (g_string_replace (text, from, to, 1), 1);
    return g_string_free (text, FALSE);
}

/* Compare `run` with the golden run; returns the number of differences and
 * leaves the report in `report`. */
static size_t compare (const char *run, double time_tol, double rel_tol, GString *report)
{
    struct flurm_runcompare_options opts = {.time_tolerance = time_tol,
                                            .rel_tolerance = rel_tol};
    size_t ndiff = 12345;
    flurm_error_t err = {{0}};
    g_string_truncate (report, 0);
    if (flurm_runcompare (run, test_data (GOLDEN), &opts, report, &ndiff, &err) < 0)
        fail_msg ("%s", err.text);
    return ndiff;
}

/* Run `jobs_csv` (with the golden summary) against the golden run. */
static size_t compare_jobs (const char *jobs_csv, double time_tol, GString *report)
{
    json_t *summary = golden_summary ();
    char *dir = write_run (jobs_csv, summary);
    size_t n = compare (dir, time_tol, 0, report);
    remove_run (dir);
    json_decref (summary);
    return n;
}

static void test_identical_runs_agree (void **state)
{
    GString *report = g_string_new (NULL);
    char *copy = golden_file ("");
    assert_int_equal (compare (copy, 0, 0, report), 0);
    assert_string_equal (report->str, "");
    g_free (copy);

    /* A byte-for-byte copy elsewhere, and the default options (NULL). */
    char *jobs = golden_jobs ();
    json_t *summary = golden_summary ();
    char *dir = write_run (jobs, summary);
    size_t ndiff = 12345;
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_runcompare (dir, test_data (GOLDEN), NULL, report, &ndiff, &err), 0);
    assert_int_equal (ndiff, 0);
    assert_string_equal (report->str, "");
    remove_run (dir);
    json_decref (summary);
    g_free (jobs);
    g_string_free (report, TRUE);
}

/* Job 3 starting (and so ending) 5 s late: a difference beyond a tolerance
 * below 5 s, none within a tolerance of 5 s. */
static void test_start_time_tolerance (void **state)
{
    char *jobs = golden_jobs_replacing ("\n3,600476.000,600476.000,815813.000,",
                                        "\n3,600476.000,600481.000,815813.000,");
    GString *report = g_string_new (NULL);
    assert_int_equal (compare_jobs (jobs, 0, report), 1);
    assert_string_equal (report->str, "job 3: starting_time 600481.000, expected 600476.000 "
                                      "(+5.000)\n");
    assert_int_equal (compare_jobs (jobs, 4.999, report), 1);
    assert_non_null (strstr (report->str, "job 3: starting_time"));
    assert_int_equal (compare_jobs (jobs, 5, report), 0);
    assert_string_equal (report->str, "");
    assert_int_equal (compare_jobs (jobs, 60, report), 0);
    g_free (jobs);

    /* Early is as wrong as late. */
    jobs = golden_jobs_replacing ("\n3,600476.000,600476.000,815813.000,",
                                  "\n3,600476.000,600476.000,815800.000,");
    assert_int_equal (compare_jobs (jobs, 12.5, report), 1);
    assert_string_equal (report->str, "job 3: finish_time 815800.000, expected 815813.000 "
                                      "(-13.000)\n");
    assert_int_equal (compare_jobs (jobs, 13, report), 0);
    g_free (jobs);
    g_string_free (report, TRUE);
}

static void test_missing_job (void **state)
{
    char *jobs = golden_jobs_replacing ("\n7,605397.000,605397.000,605410.000,", "\nX");
    /* The row is now "X...": cut it out whole. */
    char *start = strstr (jobs, "\nX");
    char *end = strchr (start + 1, '\n');
    memmove (start, end, strlen (end) + 1);
    GString *report = g_string_new (NULL);
    assert_int_equal (compare_jobs (jobs, 0, report), 2);
    assert_non_null (strstr (report->str, "jobs.csv: 1999 jobs, expected 2000\n"));
    assert_non_null (strstr (report->str, "job 7: missing from the run\n"));
    g_free (jobs);
    g_string_free (report, TRUE);
}

static void test_changed_state (void **state)
{
    char *jobs = golden_jobs_replacing (",node[49-65],17,completed,,,\n",
                                        ",node[49-65],17,timeout,,,\n");
    GString *report = g_string_new (NULL);
    assert_int_equal (compare_jobs (jobs, 1e9, report), 1);
    assert_string_equal (report->str, "job 4: state timeout, expected completed\n");
    g_free (jobs);
    g_string_free (report, TRUE);
}

static void test_changed_cores (void **state)
{
    char *jobs = golden_jobs_replacing ("\n1,599850.000,599850.000,603327.000,0.000,3477.000,"
                                        "1.000000,3477.000,4,96-99,",
                                        "\n1,599850.000,599850.000,603327.000,0.000,3477.000,"
                                        "1.000000,3477.000,4,95-98,");
    GString *report = g_string_new (NULL);
    assert_int_equal (compare_jobs (jobs, 0, report), 1);
    assert_string_equal (report->str, "job 1: allocated_resources '95-98', expected '96-99'\n");
    g_free (jobs);
    g_string_free (report, TRUE);
}

/* Run the golden jobs.csv with `summary` against the golden run. */
static size_t compare_summary (json_t *summary, double rel_tol, GString *report)
{
    char *jobs = golden_jobs ();
    char *dir = write_run (jobs, summary);
    size_t n = compare (dir, 0, rel_tol, report);
    remove_run (dir);
    g_free (jobs);
    return n;
}

/* wait.mean 5886.808 -> 5975 is 1.50 % off: outside 1 %, inside 2 %. */
static void test_summary_relative_tolerance (void **state)
{
    json_t *summary = golden_summary ();
    json_t *wait = json_object_get (summary, "wait");
    assert_int_equal (json_object_set_new (wait, "mean", json_real (5975)), 0);
    GString *report = g_string_new (NULL);
    assert_int_equal (compare_summary (summary, 0.01, report), 1);
    assert_non_null (strstr (report->str, "summary wait.mean: 5975.000000, expected "
                                          "5886.808000"));
    assert_int_equal (compare_summary (summary, 0.02, report), 0);
    assert_string_equal (report->str, "");

    /* Below 1 the tolerance is absolute: utilisation 0.616707 -> 0.626707. */
    json_object_set_new (wait, "mean", json_real (5886.808));
    json_object_set_new (summary, "utilisation", json_real (0.626707));
    assert_int_equal (compare_summary (summary, 0.009, report), 1);
    assert_non_null (strstr (report->str, "summary utilisation: "));
    assert_int_equal (compare_summary (summary, 0.011, report), 0);
    json_decref (summary);
    g_string_free (report, TRUE);
}

/* The engine's effort counters may change freely; a missing figure or a
 * changed text may not, whatever the tolerance. */
static void test_summary_engine_missing_and_text (void **state)
{
    GString *report = g_string_new (NULL);
    json_t *summary = golden_summary ();
    json_t *engine = json_object_get (summary, "engine");
    json_object_set_new (engine, "passes", json_integer (1));
    json_object_set_new (engine, "match_calls", json_integer (999999));
    assert_int_equal (compare_summary (summary, 0, report), 0);

    json_object_del (json_object_get (summary, "turnaround"), "p95");
    assert_int_equal (compare_summary (summary, 1e9, report), 1);
    assert_string_equal (report->str, "summary turnaround.p95: missing from the run\n");
    json_decref (summary);

    summary = golden_summary ();
    json_object_set_new (summary, "name", json_string ("KTH-SP2-1996-3"));
    assert_int_equal (compare_summary (summary, 1e9, report), 1);
    assert_string_equal (report->str, "summary name: \"KTH-SP2-1996-3\", expected "
                                      "\"KTH-SP2-1996-2\"\n");
    json_decref (summary);
    g_string_free (report, TRUE);
}

/* Two real runs of the same trace under different policies differ in far
 * more than 20 places: the report shows 20 and counts the rest. */
static void test_many_differences_are_counted (void **state)
{
    GString *report = g_string_new (NULL);
    char *fcfs = g_strdup (test_data (GOLDEN_FCFS));
    size_t ndiff = compare (fcfs, 0, 0, report);
    assert_true (ndiff > FLURM_RUNCOMPARE_MAX_LINES);
    char **lines = g_strsplit (report->str, "\n", -1);
    assert_int_equal (g_strv_length (lines), FLURM_RUNCOMPARE_MAX_LINES + 2);
    char *last = g_strdup_printf ("... and %zu more differences",
                                  ndiff - FLURM_RUNCOMPARE_MAX_LINES);
    assert_string_equal (lines[FLURM_RUNCOMPARE_MAX_LINES], last);
    assert_string_equal (lines[FLURM_RUNCOMPARE_MAX_LINES + 1], "");
    g_free (last);
    g_strfreev (lines);
    g_free (fcfs);
    g_string_free (report, TRUE);
}

/* A run folder without its files, or with a broken summary, is an error
 * naming the file, not a list of differences. */
static void test_unreadable_run (void **state)
{
    GString *report = g_string_new (NULL);
    size_t ndiff = 12345;
    flurm_error_t err = {{0}};
    char *empty = g_strdup (test_tmpdir ());
    assert_int_equal (flurm_runcompare (empty, test_data (GOLDEN), NULL, report, &ndiff, &err),
                      -1);
    assert_non_null (strstr (err.text, "jobs.csv"));
    assert_true (g_str_has_prefix (err.text, empty));
    assert_int_equal (ndiff, 12345);
    g_rmdir (empty);
    g_free (empty);

    char *jobs = golden_jobs ();
    json_t *summary = golden_summary ();
    char *dir = write_run (jobs, summary);
    char *sum = g_build_filename (dir, "summary.json", NULL);
    assert_true (g_file_set_contents (sum, "{\"name\": \n", -1, NULL));
    assert_int_equal (flurm_runcompare (dir, test_data (GOLDEN), NULL, report, &ndiff, &err), -1);
    char *where = g_strconcat (sum, ":", NULL);
    assert_true (g_str_has_prefix (err.text, where));
    g_free (where);
    g_free (sum);
    remove_run (dir);
    json_decref (summary);
    g_free (jobs);
    g_string_free (report, TRUE);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_identical_runs_agree),
        cmocka_unit_test (test_start_time_tolerance),
        cmocka_unit_test (test_missing_job),
        cmocka_unit_test (test_changed_state),
        cmocka_unit_test (test_changed_cores),
        cmocka_unit_test (test_summary_relative_tolerance),
        cmocka_unit_test (test_summary_engine_missing_and_text),
        cmocka_unit_test (test_many_differences_are_counted),
        cmocka_unit_test (test_unreadable_run),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
