/* tests/unit/test_schedcheck.c — reading jobs.csv back and re-checking a
 * schedule: a real golden run passes, and each kind of broken schedule is
 * caught with a line that names the job (and the other job, for a core
 * held twice).  Broken schedules are the golden one with one field changed,
 * so each test differs from a known-good input in exactly one place. */
#include "testutil.h"

#include <stdbool.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/jobscsv.h"
#include "sim/schedcheck.h"

#define GOLDEN "../../results/golden/kth-sp2-first2000-easy/jobs.csv"

/* A file written by a test, removed by cleanup_file. */
static char *write_tmp (const char *name, const char *text)
{
    char *path = g_build_filename (test_tmpdir (), name, NULL);
    if (!g_file_set_contents (path, text, -1, NULL))
        fail_msg ("cannot write %s", path);
    return path;
}

static void cleanup_file (char *path)
{
    char *dir = g_path_get_dirname (path);
    g_remove (path);
    g_rmdir (dir);
    g_free (dir);
    g_free (path);
}

/* The golden jobs.csv with column `column` of job `id` set to `value`.
 * The rows edited here hold no quoted field, so a plain split is exact. */
static char *golden_with (const char *id, const char *column, const char *value)
{
    char *text = test_slurp (test_data (GOLDEN), NULL);
    char **lines = g_strsplit (text, "\n", -1);
    char **header = g_strsplit (lines[0], ",", -1);
    int col = -1;
    for (int k = 0; header[k]; k++) {
        if (!strcmp (header[k], column))
            col = k;
    }
    assert_true (col >= 0);
    char *prefix = g_strconcat (id, ",", NULL);
    bool found = false;
    for (int i = 1; lines[i]; i++) {
        if (!g_str_has_prefix (lines[i], prefix))
            continue;
        assert_null (strchr (lines[i], '"'));
        char **f = g_strsplit (lines[i], ",", -1);
        g_free (f[col]);
        f[col] = g_strdup (value);
        g_free (lines[i]);
        lines[i] = g_strjoinv (",", f);
        g_strfreev (f);
        found = true;
    }
    assert_true (found);
    char *edited = g_strjoinv ("\n", lines);
    char *path = write_tmp ("jobs.csv", edited);
    g_free (edited);
    g_free (prefix);
    g_strfreev (header);
    g_strfreev (lines);
    g_free (text);
    return path;
}

static struct flurm_csv_jobs *load_ok (const char *path)
{
    flurm_error_t err = {{0}};
    struct flurm_csv_jobs *c = flurm_csv_jobs_load (path, &err);
    if (!c)
        fail_msg ("%s", err.text);
    return c;
}

/* Check `path` and return the report; the check itself must succeed. */
static void check_file (const char *path, uint64_t capacity, struct flurm_schedcheck_report *r)
{
    flurm_error_t err = {{0}};
    struct flurm_csv_jobs *c = load_ok (path);
    if (flurm_schedcheck (c, capacity, r, &err) < 0)
        fail_msg ("%s", err.text);
    flurm_csv_jobs_destroy (c);
}

/* True when some reported problem contains every one of the NULL-ended
 * fragments. */
static bool has_problem (const struct flurm_schedcheck_report *r, ...)
{
    size_t shown = r->nproblems < FLURM_SCHEDCHECK_MAX_PROBLEMS ? r->nproblems
                                                                : FLURM_SCHEDCHECK_MAX_PROBLEMS;
    for (size_t i = 0; i < shown; i++) {
        va_list ap;
        va_start (ap, r);
        bool all = true;
        for (const char *s; (s = va_arg (ap, const char *));)
            all = all && strstr (r->problems[i], s);
        va_end (ap);
        if (all)
            return true;
    }
    return false;
}

static void test_golden_run_is_valid (void **state)
{
    struct flurm_csv_jobs *c = load_ok (test_data (GOLDEN));
    assert_int_equal (c->njobs, 2000);
    assert_string_equal (c->jobs[0].id, "1");
    assert_true (c->jobs[0].submit == 599850.0 && c->jobs[0].end == 603327.0);
    assert_string_equal (c->jobs[0].resources, "96-99");
    assert_int_equal (c->jobs[0].requested, 4);
    assert_string_equal (c->jobs[0].state, "completed");

    struct flurm_schedcheck_report r;
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_schedcheck (c, 0, &r, &err), 0);
    assert_int_equal (r.nran, 2000);
    assert_int_equal (r.capacity, 100); /* KTH SP2: cores 0-99 */
    assert_int_equal (r.peak_cores, 100);
    assert_int_equal (r.nproblems, 0);
    flurm_schedcheck_report_clear (&r);

    assert_int_equal (flurm_schedcheck (c, 100, &r, &err), 0);
    assert_int_equal (r.nproblems, 0);
    flurm_schedcheck_report_clear (&r);
    flurm_csv_jobs_destroy (c);
}

/* Job 2 (600022-602510) moved onto cores 96-99, which job 1 holds from
 * 599850 to 603327: one problem per core, naming both jobs. */
static void test_core_held_by_two_jobs (void **state)
{
    char *path = golden_with ("2", "allocated_resources", "71-91 96-99");
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_int_equal (r.nproblems, 4);
    for (unsigned core = 96; core <= 99; core++) {
        char *what = g_strdup_printf ("job 2 takes core %u at 600022.000", core);
        assert_true (has_problem (&r, "line 3: ", what, "while job 1 (line 2) holds it", NULL));
        g_free (what);
    }
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
}

static void test_start_before_submit (void **state)
{
    char *path = golden_with ("6", "starting_time", "605395.000");
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_int_equal (r.nproblems, 1);
    assert_string_equal (r.problems[0], "line 7: job 6 starts at 605395.000 before its "
                                        "submission at 605396.000");
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
}

static void test_finish_before_start (void **state)
{
    char *path = golden_with ("7", "finish_time", "605396.000");
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_true (r.nproblems >= 1);
    assert_string_equal (r.problems[0], "line 8: job 7 ends at 605396.000 before it starts at "
                                        "605397.000");
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
}

/* The golden run uses all 100 cores at its peak: a machine of 99 is too
 * small, and the report says which job went over. */
static void test_capacity_exceeded (void **state)
{
    struct flurm_schedcheck_report r;
    check_file (test_data (GOLDEN), 99, &r);
    assert_int_equal (r.capacity, 99);
    assert_true (r.nproblems >= 1);
    assert_true (has_problem (&r, "brings the cores in use to 100 at ", "above the capacity of 99",
                              NULL));
    flurm_schedcheck_report_clear (&r);
}

/* Without allocated_resources the requested counts are what is checked. */
static void test_capacity_from_requested_counts (void **state)
{
    char *path = write_tmp ("jobs.csv", "job_id,submission_time,starting_time,finish_time,"
                                        "requested_number_of_resources\n"
                                        "a,0,0,10,3\n"
                                        "b,0,5,15,3\n"
                                        "c,0,15,20,6\n");
    struct flurm_schedcheck_report r;
    check_file (path, 6, &r);
    assert_int_equal (r.peak_cores, 6);
    assert_int_equal (r.nproblems, 0);
    flurm_schedcheck_report_clear (&r);
    check_file (path, 5, &r);
    assert_int_equal (r.nproblems, 2);
    assert_true (has_problem (&r, "line 3: job b brings the cores in use to 6 at 5.000, above "
                              "the capacity of 5", NULL));
    assert_true (has_problem (&r, "line 4: job c ", NULL));
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
}

/* A job ending at t and the next starting at t on the same cores do not
 * overlap; starting a moment earlier does. */
static void test_back_to_back_jobs (void **state)
{
    static const char *header = "job_id,submission_time,starting_time,finish_time,"
                                "allocated_resources\n";
    char *text = g_strconcat (header, "a,0,0,10,0-3\n", "b,0,10,20,\"2-5,7\"\n", NULL);
    char *path = write_tmp ("jobs.csv", text);
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_int_equal (r.nproblems, 0);
    assert_int_equal (r.capacity, 8);
    assert_int_equal (r.peak_cores, 5);
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
    g_free (text);

    text = g_strconcat (header, "a,0,0,10,0-3\n", "b,0,9.5,20,\"2-5,7\"\n", NULL);
    path = write_tmp ("jobs.csv", text);
    check_file (path, 0, &r);
    /* Two cores held twice, and 4 + 5 cores counted on a machine of 8. */
    assert_int_equal (r.nproblems, 3);
    assert_true (has_problem (&r, "job b takes core 2 at 9.500 while job a (line 2)", NULL));
    assert_true (has_problem (&r, "job b takes core 3 at 9.500 while job a (line 2)", NULL));
    assert_true (has_problem (&r, "job b brings the cores in use to 9 at 9.500", NULL));
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
    g_free (text);
}

/* A job with empty times never ran: counted, but never checked. */
static void test_job_that_never_ran (void **state)
{
    char *path = write_tmp ("jobs.csv", "job_id,submission_time,starting_time,finish_time,"
                                        "allocated_resources\n"
                                        "a,0,0,10,0-3\n"
                                        "b,0,,,\n");
    struct flurm_csv_jobs *c = load_ok (path);
    assert_int_equal (c->njobs, 2);
    assert_false (c->jobs[1].ran);
    assert_true (c->jobs[1].start < 0 && c->jobs[1].end < 0);
    assert_int_equal (c->jobs[1].requested, -1);
    assert_string_equal (c->jobs[1].state, "");
    struct flurm_schedcheck_report r;
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_schedcheck (c, 0, &r, &err), 0);
    assert_int_equal (r.njobs, 2);
    assert_int_equal (r.nran, 1);
    assert_int_equal (r.nproblems, 0);
    flurm_schedcheck_report_clear (&r);
    flurm_csv_jobs_destroy (c);
    cleanup_file (path);
}

/* Each bad row is rejected with FILE:LINE (the line of that row) and what
 * is wrong with it. */
static void test_bad_row_names_file_and_line (void **state)
{
    static const struct {
        const char *row, *message;
    } cases[] = {
        {"b,5,6", "3 fields, the header has 4"},
        {"b,5,6,7,8", "5 fields, the header has 4"},
        {"b,\"5,6,7", "fields, the header has 4 (unterminated quote)"},
        {"b,five,6,7", "a time or a count is not a number >= 0"},
        {"b,5,-6,7", "a time or a count is not a number >= 0"},
        {"b,5,6,inf", "a time or a count is not a number >= 0"},
        {"b,,6,7", "a time or a count is not a number >= 0"},
    };
    for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++) {
        char *text = g_strdup_printf ("job_id,submission_time,starting_time,finish_time\n"
                                      "a,0,1,2\n%s\nc,0,1,2\n", cases[i].row);
        char *path = write_tmp ("jobs.csv", text);
        flurm_error_t err = {{0}};
        assert_null (flurm_csv_jobs_load (path, &err));
        char *where = g_strconcat (path, ":3: ", NULL);
        if (!g_str_has_prefix (err.text, where) || !g_str_has_suffix (err.text, cases[i].message))
            fail_msg ("row '%s': got '%s', expected '%s...%s'", cases[i].row, err.text, where,
                      cases[i].message);
        g_free (where);
        cleanup_file (path);
        g_free (text);
    }
}

/* The golden file with one required column renamed is rejected at line 1. */
static void test_missing_required_column (void **state)
{
    static const char *required[] = {"job_id", "submission_time", "starting_time",
                                     "finish_time"};
    char *golden = test_slurp (test_data (GOLDEN), NULL);
    for (size_t i = 0; i < 4; i++) {
        char *renamed = g_strconcat ("old_", required[i], NULL);
        GString *text = g_string_new (golden);
        assert_true (g_string_replace (text, required[i], renamed, 1) == 1);
        char *path = write_tmp ("jobs.csv", text->str);
        flurm_error_t err = {{0}};
        assert_null (flurm_csv_jobs_load (path, &err));
        char *want = g_strdup_printf ("%s:1: no column '%s' in the header", path, required[i]);
        assert_string_equal (err.text, want);
        g_free (want);
        cleanup_file (path);
        g_string_free (text, TRUE);
        g_free (renamed);
    }
    g_free (golden);

    flurm_error_t err = {{0}};
    char *path = write_tmp ("jobs.csv", "");
    assert_null (flurm_csv_jobs_load (path, &err));
    assert_non_null (strstr (err.text, "empty file"));
    assert_true (g_str_has_prefix (err.text, path));
    cleanup_file (path);
}

/* allocated_resources that is not a core list cannot be checked at all. */
static void test_unreadable_core_list (void **state)
{
    static const struct {
        const char *cores, *message;
    } cases[] = {
        {"0-x", "line 3: allocated_resources '0-x' is not a list of core numbers and ranges"},
        {"5-2", "line 3: allocated_resources '5-2' is not a list of core numbers and ranges"},
        {"node1", "line 3: allocated_resources 'node1' is not a list of core numbers"},
        {"16777216", "line 3: core 16777216 is beyond the limit of 16777216"},
        {"0-99999999999", "line 3: core 99999999999 is beyond the limit"},
    };
    for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++) {
        char *text = g_strdup_printf ("job_id,submission_time,starting_time,finish_time,"
                                      "allocated_resources\na,0,0,1,0\nb,0,0,1,%s\n",
                                      cases[i].cores);
        char *path = write_tmp ("jobs.csv", text);
        struct flurm_csv_jobs *c = load_ok (path);
        struct flurm_schedcheck_report r;
        flurm_error_t err = {{0}};
        assert_int_equal (flurm_schedcheck (c, 0, &r, &err), -1);
        if (!g_str_has_prefix (err.text, cases[i].message))
            fail_msg ("'%s': got '%s'", cases[i].cores, err.text);
        assert_int_equal (r.nproblems, 0);
        flurm_csv_jobs_destroy (c);
        cleanup_file (path);
        g_free (text);
    }
}

/* A job that holds its cores for no time (an SWF job of run time 0)
 * gives them back: a later job on the same cores is no conflict. */
static void test_zero_length_job (void **state)
{
    static const char *header = "job_id,submission_time,starting_time,finish_time,"
                                "allocated_resources\n";
    char *text = g_strconcat (header, "a,0,10,10,0-3\n", "b,0,20,30,0-3\n", NULL);
    char *path = write_tmp ("jobs.csv", text);
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_int_equal (r.nproblems, 0);
    assert_int_equal (r.peak_cores, 4);
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
    g_free (text);
}

/* When a conflicting job ends first, the core is still held by the job
 * it conflicted with: a third job on that core is a conflict too. */
static void test_conflict_after_conflict (void **state)
{
    static const char *header = "job_id,submission_time,starting_time,finish_time,"
                                "allocated_resources\n";
    char *text = g_strconcat (header, "a,0,0,100,0\n", "b,0,10,20,0\n", "c,0,30,40,0\n",
                              "d,0,0,1,9\n", NULL);
    char *path = write_tmp ("jobs.csv", text);
    struct flurm_schedcheck_report r;
    check_file (path, 0, &r);
    assert_true (has_problem (&r, "job b takes core 0 at 10.000 while job a (line 2)", NULL));
    assert_true (has_problem (&r, "job c takes core 0 at 30.000 while job a (line 2)", NULL));
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
    g_free (text);

    /* A core named twice in one job's list is one core, not a conflict. */
    text = g_strconcat (header, "a,0,0,10,\"0-3,3\"\n", NULL);
    path = write_tmp ("jobs.csv", text);
    check_file (path, 0, &r);
    assert_int_equal (r.nproblems, 0);
    assert_int_equal (r.peak_cores, 4);
    flurm_schedcheck_report_clear (&r);
    cleanup_file (path);
    g_free (text);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_golden_run_is_valid),
        cmocka_unit_test (test_core_held_by_two_jobs),
        cmocka_unit_test (test_start_before_submit),
        cmocka_unit_test (test_finish_before_start),
        cmocka_unit_test (test_capacity_exceeded),
        cmocka_unit_test (test_capacity_from_requested_counts),
        cmocka_unit_test (test_back_to_back_jobs),
        cmocka_unit_test (test_job_that_never_ran),
        cmocka_unit_test (test_bad_row_names_file_and_line),
        cmocka_unit_test (test_missing_required_column),
        cmocka_unit_test (test_unreadable_core_list),
        cmocka_unit_test (test_zero_length_job),
        cmocka_unit_test (test_conflict_after_conflict),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
