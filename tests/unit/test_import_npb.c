/* tests/unit/test_import_npb.c — NPB output logs: the ARIS loop layout,
 * runs kept and marked, and one test per class of bad input.
 *
 * Fixtures (tests/data/import/npb/, see its README): the output of NPB 3.4
 * MPI binaries as the cslab-ntua/flurm loop scripts append it, numbers
 * made up.  Bad inputs are written here, small, into a temporary folder.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/import_npb.h"

#define PAIR "cg.D.x.64_mg.E.x.128/"

static struct flurm_run *load_ok (const char *path)
{
    flurm_error_t err;
    struct flurm_run *r = flurm_import_npb (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    return r;
}

static const struct flurm_run_job *job (const struct flurm_run *r, const char *id)
{
    const struct flurm_run_job *j = flurm_run_find (r, id);
    if (!j)
        fail_msg ("no job %s", id);
    return j;
}

static bool has_note (const struct flurm_run *r, const char *text)
{
    for (size_t i = 0; i < r->nnotes; i++) {
        if (strstr (r->notes[i], text))
            return true;
    }
    return false;
}

/* flux_logs/ holds a pair folder (two copies of cg.D.64 beside one
 * mg.E.128) and an alone folder: 12 runs in name order. */
static void test_loop_layout (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/npb/flux_logs"));
    assert_string_equal (r->name, "flux_logs");
    assert_string_equal (r->kind, "npb-log");
    assert_string_equal (r->origin, "relative");
    assert_int_equal (r->njobs, 12);
    assert_string_equal (r->jobs[0].id, PAIR "cg.D.x_mg.E.x_0.out#0");
    assert_string_equal (r->jobs[11].id, "ep.E.x.256/ep.E.x.out#2");

    /* a complete run: app from the report, partner from the folder, its
     * start after the DATE seconds of the runs before it */
    const struct flurm_run_job *j = job (r, PAIR "cg.D.x_mg.E.x_0.out#1");
    assert_string_equal (j->app, "cg.D.64");
    assert_string_equal (j->partner, "mg.E.128");
    assert_string_equal (j->state, "completed");
    assert_null (j->note);
    assert_true (j->runtime == 191.64);
    assert_int_equal (j->ntasks, 64);
    assert_true (j->submit == 197 && j->start == 197 && j->end == 197 + 196);
    assert_true (g_str_has_suffix (j->source, PAIR "cg.D.x_mg.E.x_0.out:151"));

    /* the larger app's file: its partner is the smaller one */
    j = job (r, PAIR "mg.E.x_cg.D.x_2.out#0");
    assert_string_equal (j->app, "mg.E.128");
    assert_string_equal (j->partner, "cg.D.64");
    assert_true (j->runtime == 262.36 && j->start == 0 && j->end == 270);

    /* an alone folder: no partner */
    j = job (r, "ep.E.x.256/ep.E.x.out#0");
    assert_string_equal (j->app, "ep.E.256");
    assert_null (j->partner);
    assert_true (j->runtime == 151.47);
    flurm_run_destroy (r);
}

/* Runs kept and marked: cut in the iterations (runtime unknown), cut
 * after the time line (runtime kept), failed verification, a launch
 * that printed nothing; each counted in the notes. */
static void test_kept_and_marked (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/npb/flux_logs"));
    const struct flurm_run_job *j = job (r, PAIR "cg.D.x_mg.E.x_0.out#2");
    assert_string_equal (j->state, "truncated");
    assert_true (j->runtime < 0);
    assert_string_equal (j->app, "cg.D.64");
    assert_true (j->start == 197 + 196 && j->end < 0);
    assert_non_null (strstr (j->note, "before its Time in seconds line"));

    j = job (r, PAIR "cg.D.x_mg.E.x_1.out#2");
    assert_string_equal (j->state, "truncated");
    assert_true (j->runtime == 190.95);
    assert_non_null (strstr (j->note, "before its Verification line"));

    j = job (r, PAIR "cg.D.x_mg.E.x_1.out#1");
    assert_string_equal (j->state, "verification-failed");
    assert_true (j->runtime == 191.33);
    assert_non_null (strstr (j->note, "UNSUCCESSFUL"));

    j = job (r, "ep.E.x.256/ep.E.x.out#1");
    assert_string_equal (j->state, "failed");
    assert_string_equal (j->app, "ep.E.256");
    assert_true (j->runtime < 0 && j->start == 158 && j->end == 160);
    assert_non_null (strstr (j->note, "no NPB output"));
    assert_true (job (r, "ep.E.x.256/ep.E.x.out#2")->start == 160);

    assert_int_equal (r->nnotes, 3);
    assert_true (has_note (r, "1 of 12 runs failed their verification"));
    assert_true (has_note (r, "3 of 12 runs are cut"));
    assert_true (has_note (r, "1 of 12 runs printed no NPB output"));
    flurm_run_destroy (r);
}

/* One file run by hand: the C report (IS, no '.' after Completed), no
 * DATE line, so no times. */
static void test_single_file (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/npb/is.C.64.out"));
    assert_string_equal (r->name, "is.C.64");
    assert_int_equal (r->njobs, 1);
    const struct flurm_run_job *j = job (r, "is.C.64.out#0");
    assert_string_equal (j->app, "is.C.64");
    assert_string_equal (j->state, "completed");
    assert_true (j->runtime == 1.93);
    assert_true (j->submit < 0 && j->start < 0 && j->end < 0);
    assert_null (j->partner);
    assert_int_equal (r->nnotes, 0);
    flurm_run_destroy (r);
}

/* The first run of the fixture's copy 0, DATE line included. */
static char *first_cg_run (void)
{
    char *text = test_slurp (test_data ("import/npb/flux_logs/" PAIR "cg.D.x_mg.E.x_0.out"), NULL);
    char *date = strstr (text, "DATE of cg.D.x in seconds: 197\n");
    assert_non_null (date);
    date[strlen ("DATE of cg.D.x in seconds: 197\n")] = '\0';
    return text;
}

static char *write_file (const char *dir, const char *rel, const char *text, size_t len)
{
    char *path = g_build_filename (dir, rel, NULL);
    char *parent = g_path_get_dirname (path);
    g_mkdir_with_parents (parent, 0755);
    g_free (parent);
    if (!g_file_set_contents (path, text, (gssize)len, NULL))
        fail_msg ("cannot write %s", path);
    return path;
}

/* The short names of the brief (cg.D.64_ep.E.256/cg_ep_3.out), and one
 * binary at two sizes: copies 0 .. k-1 are the smaller. */
static void test_naming (void **state)
{
    char *run = first_cg_run ();
    char *dir = g_strdup (test_tmpdir ());
    g_free (write_file (dir, "cg.D.64_ep.E.256/cg_ep_3.out", run, strlen (run)));
    g_free (write_file (dir, "cg.D.x.64_cg.D.x.128/cg.D.x_cg.D.x_1.out", run, strlen (run)));
    g_free (write_file (dir, "cg.D.x.64_cg.D.x.128/cg.D.x_cg.D.x_2.out", run, strlen (run)));
    char *pair = g_build_filename (dir, "cg.D.64_ep.E.256", NULL);
    struct flurm_run *r = load_ok (pair);
    assert_int_equal (r->njobs, 1);
    const struct flurm_run_job *j = job (r, "cg_ep_3.out#0");
    assert_string_equal (j->app, "cg.D.64");
    assert_string_equal (j->partner, "ep.E.256");
    flurm_run_destroy (r);

    r = load_ok (dir);
    assert_int_equal (r->njobs, 3);
    j = job (r, "cg.D.x.64_cg.D.x.128/cg.D.x_cg.D.x_1.out#0");
    assert_string_equal (j->partner, "cg.D.128");
    assert_null (j->note);
    /* copy 2 is the 128-process one, but its output says 64: kept as the
     * output says, noted */
    j = job (r, "cg.D.x.64_cg.D.x.128/cg.D.x_cg.D.x_2.out#0");
    assert_string_equal (j->app, "cg.D.64");
    assert_string_equal (j->partner, "cg.D.64");
    assert_non_null (strstr (j->note, "the file names say cg.D.128, the output cg.D.64"));
    assert_true (has_note (r, "1 of 3 runs are another app"));
    flurm_run_destroy (r);
    g_free (pair);
    g_free (dir);
    g_free (run);
}

static void test_deterministic (void **state)
{
    struct flurm_run *a = load_ok (test_data ("import/npb/flux_logs"));
    struct flurm_run *b = load_ok (test_data ("import/npb/flux_logs"));
    assert_int_equal (a->njobs, b->njobs);
    for (size_t i = 0; i < a->njobs; i++) {
        assert_string_equal (a->jobs[i].id, b->jobs[i].id);
        assert_true (a->jobs[i].runtime == b->jobs[i].runtime);
        assert_true (a->jobs[i].start == b->jobs[i].start);
    }
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* A small run: line 5 is the report, 7 the time, 10 the DATE line. */
static char *small_run (const char *cls, const char *time, const char *procs, const char *verif,
                        const char *date)
{
    return g_strdup_printf ("\n\n NAS Parallel Benchmarks 3.4 -- CG Benchmark\n\n"
                            " CG Benchmark Completed.\n"
                            " Class           = %s\n"
                            " Time in seconds = %s\n"
                            " Total processes = %s\n"
                            " Verification    = %s\n"
                            "%s\n",
                            cls, time, procs, verif, date);
}

/* Import `text` as a file; it must fail with `where` (FILE:LINE:COL
 * after the file name) and `what` in the message. */
static void expect_error (const char *text, size_t len, const char *where, const char *what)
{
    char *path = write_file (test_tmpdir (), "bad.out", text, len);
    flurm_error_t err;
    struct flurm_run *r = flurm_import_npb (path, &err);
    if (r)
        fail_msg ("accepted, expected \"%s\"", what);
    char *want = g_strdup_printf ("%s%s", path, where);
    if (!g_str_has_prefix (err.text, want) || !strstr (err.text, what))
        fail_msg ("message \"%s\", expected \"%s\" ... \"%s\"", err.text, want, what);
    g_free (want);
    g_free (path);
}

static void expect_bad_run (const char *cls, const char *time, const char *procs,
                            const char *verif, const char *date, const char *where,
                            const char *what)
{
    char *text = small_run (cls, time, procs, verif, date);
    expect_error (text, strlen (text), where, what);
    g_free (text);
}

static const char *ok_date = "DATE of cg.D.x in seconds: 189";

static void test_bad_time (void **state)
{
    expect_bad_run ("D", "abc", "64", "SUCCESSFUL", ok_date, ":7:20: ", "not a number");
    expect_bad_run ("D", "NaN", "64", "SUCCESSFUL", ok_date, ":7:20: ", "not a number");
    expect_bad_run ("D", "-3.50", "64", "SUCCESSFUL", ok_date, ":7:20: ", "negative");
    expect_bad_run ("D", "999999999999.00", "64", "SUCCESSFUL", ok_date, ":7:20: ",
                    "more than 1e+11 s");
    expect_bad_run ("D", "************", "64", "SUCCESSFUL", ok_date, ":7:20: ",
                    "not a number"); /* Fortran's f12.2 overflowed */
}

static void test_bad_processes (void **state)
{
    expect_bad_run ("D", "1.00", "0", "SUCCESSFUL", ok_date, ":8:20: ", "not a count");
    expect_bad_run ("D", "1.00", "4294967296", "SUCCESSFUL", ok_date, ":8:20: ",
                    "more than 2147483648");
    expect_bad_run ("D", "1.00", "6x4", "SUCCESSFUL", ok_date, ":8:20: ", "not a whole number");
}

static void test_bad_class_and_verification (void **state)
{
    expect_bad_run ("DD", "1.00", "64", "SUCCESSFUL", ok_date, ":6:20: ", "not a class letter");
    expect_bad_run ("D", "1.00", "64", "PASSED", ok_date, ":9:20: ",
                    "not SUCCESSFUL, UNSUCCESSFUL or NOT PERFORMED");
}

static void test_duplicate_key (void **state)
{
    const char *text = "\n CG Benchmark Completed.\n Time in seconds = 1.00\n"
                       " Time in seconds = 2.00\n";
    expect_error (text, strlen (text), ":4:2: ", "a second Time in seconds line");
}

static void test_bad_date_line (void **state)
{
    expect_bad_run ("D", "1.00", "64", "SUCCESSFUL", "DATE of cg.D.x in seconds: soon",
                    ":10:28: ", "not a whole number");
    expect_bad_run ("D", "1.00", "64", "SUCCESSFUL", "DATE of cg.D.x in seconds: 100000000000000",
                    ":10:28: ", "more than");
    expect_bad_run ("D", "1.00", "64", "SUCCESSFUL", "DATE of cg.D.x at 5", ":10:1: ",
                    "not \"DATE of APP in seconds: N\"");
    expect_bad_run ("D", "1.00", "64", "SUCCESSFUL", "DATE of ep.E.x in seconds: 5", ":10:9: ",
                    "names ep.E.x but the run above it (line 3) is cg");
}

static void test_not_an_npb_log (void **state)
{
    const char text[] = "\n\n NAS Parallel\0 Benchmarks\n";
    expect_error (text, sizeof (text) - 1, ":3: ", "a NUL byte");
    const char *prose = "hello\nworld\n";
    expect_error (prose, strlen (prose), ": ", "not an NPB output log");
    flurm_error_t err;
    char *missing = g_build_filename (test_tmpdir (), "nothing.out", NULL);
    assert_null (flurm_import_npb (missing, &err));
    assert_non_null (strstr (err.text, "cannot open"));
    g_free (missing);
    const char *dir = test_tmpdir ();
    assert_null (flurm_import_npb (dir, &err));
    assert_true (g_str_has_prefix (err.text, dir));
    assert_non_null (strstr (err.text, "no .out file"));
}

/* Kept, not refused: an empty file (a loop that never ran) and a DATE
 * line that went back in time (clock stepped). */
static void test_empty_file_and_clock_skew (void **state)
{
    char *dir = g_strdup (test_tmpdir ());
    g_free (write_file (dir, "a.out", "", 0));
    char *text = small_run ("D", "1.00", "64", "SUCCESSFUL", "DATE of cg.D.x in seconds: -2");
    char *again = g_strconcat (text, text, NULL);
    g_free (write_file (dir, "b.out", again, strlen (again)));
    struct flurm_run *r = load_ok (dir);
    assert_int_equal (r->njobs, 2);
    const struct flurm_run_job *j = job (r, "b.out#0");
    assert_string_equal (j->state, "completed");
    assert_true (j->start == 0 && j->end < 0);
    assert_non_null (strstr (j->note, "the clock went back"));
    assert_true (job (r, "b.out#1")->start < 0); /* the chain of starts is broken */
    assert_true (has_note (r, "2 DATE lines are negative"));
    assert_true (has_note (r, "1 files are empty"));
    flurm_run_destroy (r);
    g_free (again);
    g_free (text);
    g_free (dir);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_loop_layout),
        cmocka_unit_test (test_kept_and_marked),
        cmocka_unit_test (test_single_file),
        cmocka_unit_test (test_naming),
        cmocka_unit_test (test_deterministic),
        cmocka_unit_test (test_bad_time),
        cmocka_unit_test (test_bad_processes),
        cmocka_unit_test (test_bad_class_and_verification),
        cmocka_unit_test (test_duplicate_key),
        cmocka_unit_test (test_bad_date_line),
        cmocka_unit_test (test_not_an_npb_log),
        cmocka_unit_test (test_empty_file_and_clock_skew),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
