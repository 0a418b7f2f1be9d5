/* tests/unit/test_import_sacct.c — `sacct --parsable2` into a job table: the
 * fixtures of tests/data/import/sacct (one per kind of run), then one test
 * per class of bad input, each naming the line. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/import_sacct.h"

static struct flurm_run *load_ok (const char *path)
{
    flurm_error_t err;
    struct flurm_run *r = flurm_import_sacct (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    return r;
}

static const struct flurm_run_job *find (const struct flurm_run *r, const char *id)
{
    const struct flurm_run_job *j = flurm_run_find (r, id);
    if (!j)
        fail_msg ("no job %s", id);
    return j;
}

static const char *utc_note =
    "times are the cluster's local time read as UTC (sacct prints no time zone)";

/* One job per outcome; steps folded into their job. */
static void test_normal_run (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/sacct/normal.txt"));
    assert_string_equal (r->kind, "sacct");
    assert_string_equal (r->origin, "epoch");
    assert_string_equal (r->name, "normal");
    assert_int_equal (r->njobs, 8); /* 22 rows, 14 of them steps */

    const struct flurm_run_job *j = &r->jobs[0];
    assert_string_equal (j->id, "412301");
    assert_string_equal (j->name, "cg.D.64");
    assert_string_equal (j->queue, "compute");
    assert_true (j->submit == 1740830400); /* 2025-03-01T12:00:00 read as UTC */
    assert_true (j->start == 1740830404);
    assert_true (j->end == 1740830544);
    assert_true (j->runtime == 140); /* Elapsed 00:02:20 */
    assert_int_equal (j->nnodes, 4);
    assert_int_equal (j->ncores, 80);
    assert_int_equal (j->ntasks, 64); /* the srun step's, not batch's 1 */
    assert_string_equal (j->nodes, "node[001-004]");
    assert_string_equal (j->state, "completed");
    assert_null (j->note);
    assert_non_null (strstr (j->source, "normal.txt:2"));

    assert_string_equal (find (r, "412302")->state, "failed");
    assert_int_equal (find (r, "412302")->ntasks, 256);
    assert_string_equal (find (r, "412303")->state, "timeout");
    assert_true (find (r, "412303")->runtime == 3601);
    j = find (r, "412304");
    assert_string_equal (j->state, "cancelled"); /* "CANCELLED by 10234" */
    assert_null (j->note);

    j = find (r, "412305"); /* cancelled while pending: Start None */
    assert_string_equal (j->state, "never-started");
    assert_string_equal (j->note, "never started: CANCELLED by 10234");
    assert_true (j->submit == 1740830580 && j->end == 1740832200);
    assert_true (j->start < 0 && j->runtime < 0);
    assert_null (j->nodes); /* None assigned */
    assert_int_equal (j->ntasks, -1);

    j = find (r, "412306");
    assert_string_equal (j->state, "failed");
    assert_string_equal (j->note, "sacct state NODE_FAIL");
    assert_int_equal (j->ntasks, 4); /* no srun step: the largest step */

    j = find (r, "412307");
    assert_string_equal (j->state, "unfinished");
    assert_string_equal (j->note, "still RUNNING when listed");
    assert_true (j->start > 0 && j->end < 0 && j->runtime < 0);

    j = find (r, "412308");
    assert_string_equal (j->state, "unfinished");
    assert_string_equal (j->note, "still PENDING when listed");

    assert_int_equal (r->nnotes, 4);
    assert_string_equal (r->notes[0], utc_note);
    assert_string_equal (r->notes[1], "1 of 8 jobs ended without starting (Start Unknown): "
                                      "kept, marked never-started");
    assert_string_equal (r->notes[2], "2 of 8 jobs still pending or running when listed: "
                                      "kept, marked unfinished");
    assert_non_null (strstr (r->notes[3], "1 of 8 jobs ended NODE_FAIL"));
    flurm_run_destroy (r);
}

/* Array tasks and heterogeneous components are jobs; heterogeneous steps
 * fold into their job; columns in another order, unknown ones ignored. */
static void test_arrays_and_het (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/sacct/arrays-het.txt"));
    assert_int_equal (r->njobs, 6);
    static const char *const ids[] = {"413000_1", "413000_2", "413000_[3-4%2]",
                                      "413100+0", "413100+1", "413200"};
    for (size_t i = 0; i < G_N_ELEMENTS (ids); i++) {
        assert_string_equal (r->jobs[i].id, ids[i]);
        assert_null (r->jobs[i].name); /* no JobName column */
        assert_null (r->jobs[i].queue);
    }
    assert_string_equal (r->jobs[0].state, "completed");
    assert_true (r->jobs[0].runtime == 250);
    assert_int_equal (r->jobs[0].ncores, 20);
    assert_int_equal (r->jobs[0].ntasks, 1);
    assert_string_equal (r->jobs[1].state, "failed");
    assert_string_equal (r->jobs[2].state, "unfinished");
    assert_int_equal (r->jobs[3].ntasks, 40);
    assert_string_equal (r->jobs[3].nodes, "node[030-031]");
    assert_int_equal (r->jobs[4].ntasks, 20);
    assert_int_equal (r->jobs[4].ncores, 20);
    assert_int_equal (r->jobs[5].ntasks, 40); /* largest het step */
    assert_int_equal (r->jobs[5].nnodes, 3);
    assert_int_equal (r->nnotes, 2);
    assert_string_equal (r->notes[1], "1 of 6 jobs still pending or running when listed: "
                                      "kept, marked unfinished");
    flurm_run_destroy (r);
}

/* Records that are kept and marked, each class counted. */
static void test_marked_records (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/sacct/odd.txt"));
    assert_int_equal (r->njobs, 6);

    const struct flurm_run_job *j = &r->jobs[0];
    assert_string_equal (j->state, "completed");
    assert_true (j->start == 1740988810 && j->end == 1740988805);
    assert_true (j->runtime < 0); /* Elapsed INVALID */
    assert_string_equal (j->note, "clock skew: ends 5 s before it starts");

    assert_string_equal (r->jobs[1].state, "failed");
    assert_string_equal (r->jobs[1].note, "sacct state OUT_OF_MEMORY");

    /* requeued: both rows kept, the steps after the second go to it */
    assert_string_equal (r->jobs[2].id, "414002");
    assert_string_equal (r->jobs[2].state, "failed");
    assert_int_equal (r->jobs[2].ntasks, 1);
    assert_string_equal (r->jobs[3].id, "414002");
    assert_string_equal (r->jobs[3].state, "completed");
    assert_string_equal (r->jobs[3].note, "JobID listed again (requeued)");
    assert_int_equal (r->jobs[3].ntasks, 128);

    j = &r->jobs[4];
    assert_string_equal (j->id, "414003");
    assert_string_equal (j->state, "completed");
    assert_string_equal (j->note, "no job row: built from step 414003.0");
    assert_int_equal (j->ntasks, 80); /* the later step had more tasks */
    assert_non_null (strstr (j->source, "odd.txt:11"));

    assert_string_equal (r->jobs[5].state, "unknown");
    assert_string_equal (r->jobs[5].note, "unknown state \"PURGED\"");

    assert_int_equal (r->nnotes, 6);
    assert_string_equal (r->notes[1], "1 of 6 jobs end before they start (clock skew): kept, "
                                      "runtime unknown");
    assert_string_equal (r->notes[2], "1 of 6 jobs have a state this reader does not know: "
                                      "kept, marked unknown");
    assert_non_null (strstr (r->notes[3], "2 of 6 jobs ended NODE_FAIL"));
    assert_string_equal (r->notes[4], "1 of 6 jobs are listed by their steps only: kept, built "
                                      "from the first step");
    assert_string_equal (r->notes[5], "1 of 6 jobs are listed again under the same JobID "
                                      "(requeued): each row kept");
    flurm_run_destroy (r);
}

static struct flurm_run *import_text (const char *text, flurm_error_t *err, char **path)
{
    *path = g_build_filename (test_tmpdir (), "sacct.txt", NULL);
    assert_true (g_file_set_contents (*path, text, -1, NULL));
    return flurm_import_sacct (*path, err);
}

/* `--parsable` ends each line with '|', CRLF line ends, a minimal column
 * set, a leap day, Elapsed with days. */
static void test_variants (void **state)
{
    char *path;
    flurm_error_t err;
    struct flurm_run *r = import_text ("JobID|Submit|Start|End|State|Elapsed|\r\n"
                                       "7|2000-02-29T00:00:00|2000-02-29T00:00:00|"
                                       "2000-03-02T01:00:00|COMPLETED|2-01:00:00|\r\n",
                                       &err, &path);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 1);
    assert_true (r->jobs[0].submit == 951782400);
    assert_true (r->jobs[0].runtime == 2 * 86400 + 3600);
    assert_int_equal (r->jobs[0].ncores, -1);
    assert_null (r->jobs[0].nodes);
    flurm_run_destroy (r);
    g_free (path);
}

static void test_same_input_same_table (void **state)
{
    struct flurm_run *a = load_ok (test_data ("import/sacct/odd.txt"));
    struct flurm_run *b = load_ok (test_data ("import/sacct/odd.txt"));
    test_assert_same_run (a, b);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* The import of `text` must fail with exactly PATH + `want`. */
static void expect_error (const char *text, const char *want)
{
    char *path;
    flurm_error_t err;
    struct flurm_run *r = import_text (text, &err, &path);
    if (r)
        fail_msg ("accepted: %s", text);
    char *full = g_strconcat (path, want, NULL);
    assert_string_equal (err.text, full);
    g_free (full);
    g_free (path);
}

#define HDR "JobID|Submit|Start|End|Elapsed|NCPUS|State\n"
#define T0  "2025-03-01T12:00:00"

static void test_bad_no_header (void **state)
{
    expect_error ("412301|" T0 "|" T0 "|" T0 "|00:00:00|20|COMPLETED\n",
                  ":1: no sacct header: the first line names no JobID column (run sacct "
                  "--parsable2 without --noheader)");
    expect_error ("", ": empty: no sacct header (run sacct --parsable2 without --noheader)");
    expect_error ("JobID|Submit|End|State\n",
                  ":1: the header has no Start column (needed: JobID, Submit, Start, End, "
                  "State)");
    expect_error ("JobID|Submit|Start|End|State|jobid\n",
                  ":1:30: column JobID appears twice in the header");
}

static void test_bad_field_count (void **state)
{
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|00:00:00|20|COMPLETED\n"
                      "2|" T0 "|" T0 "|" T0 "|00:00:00|COMPLETED\n",
                  ":3: 6 fields, the header has 7 (a '|' in a job name?)");
    expect_error (HDR "\n1|" T0 "|" T0 "|" T0 "|00:00:00|20|COMP|LETED\n",
                  ":3: 8 fields, the header has 7 (a '|' in a job name?)");
}

static void test_bad_time (void **state)
{
    expect_error (HDR "1|" T0 "|2025-03-01 12:00:00|" T0 "|00:00:00|20|COMPLETED\n",
                  ":2:23: Start \"2025-03-01 12:00:00\": not a time YYYY-MM-DDTHH:MM:SS, "
                  "Unknown or None");
    expect_error (HDR "1|2025-02-29T12:00:00|" T0 "|" T0 "|00:00:00|20|COMPLETED\n",
                  ":2:3: Submit \"2025-02-29T12:00:00\": no such date or time of day");
    expect_error (HDR "1|" T0 "|" T0 "|1969-12-31T23:59:59|00:00:00|20|COMPLETED\n",
                  ":2:43: End \"1969-12-31T23:59:59\": before 1970 or after 1e11 s from the "
                  "epoch");
}

static void test_bad_elapsed (void **state)
{
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|2:20|20|COMPLETED\n",
                  ":2:63: Elapsed \"2:20\": not an elapsed time [D-]HH:MM:SS");
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|00:61:00|20|COMPLETED\n",
                  ":2:63: Elapsed \"00:61:00\": hours above 23, or minutes or seconds above 59");
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|-01:00:00|20|COMPLETED\n",
                  ":2:63: Elapsed \"-01:00:00\": not an elapsed time [D-]HH:MM:SS");
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|99999999-00:00:00|20|COMPLETED\n",
                  ":2:63: Elapsed \"99999999-00:00:00\": not an elapsed time [D-]HH:MM:SS");
}

static void test_bad_count (void **state)
{
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|00:00:00|-4|COMPLETED\n",
                  ":2:72: NCPUS \"-4\": not a count from 0 to 2147483647");
    expect_error (HDR "1|" T0 "|" T0 "|" T0 "|00:00:00|4294967296|COMPLETED\n",
                  ":2:72: NCPUS \"4294967296\": not a count from 0 to 2147483647");
}

static void test_bad_jobid (void **state)
{
    expect_error (HDR "|" T0 "|" T0 "|" T0 "|00:00:00|20|COMPLETED\n",
                  ":2:1: JobID \"\": not a Slurm job or step id");
    expect_error (HDR "job1|" T0 "|" T0 "|" T0 "|00:00:00|20|COMPLETED\n",
                  ":2:1: JobID \"job1\": not a Slurm job or step id");
    expect_error (HDR "12.|" T0 "|" T0 "|" T0 "|00:00:00|20|COMPLETED\n",
                  ":2:1: JobID \"12.\": not a Slurm job or step id");
}

static void test_bad_bytes (void **state)
{
    char *path = g_build_filename (test_tmpdir (), "nul.txt", NULL);
    static const char text[] = HDR "1|\0|";
    assert_true (g_file_set_contents (path, text, sizeof (text) - 1, NULL));
    flurm_error_t err;
    assert_null (flurm_import_sacct (path, &err));
    char *want = g_strconcat (path, ":2: a NUL byte: not sacct text output", NULL);
    assert_string_equal (err.text, want);
    g_free (want);
    g_free (path);
}

static void test_missing_file (void **state)
{
    flurm_error_t err;
    assert_null (flurm_import_sacct ("/nonexistent/sacct.txt", &err));
    assert_string_equal (err.text,
                         "/nonexistent/sacct.txt: cannot open: No such file or directory");
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_normal_run),
        cmocka_unit_test (test_arrays_and_het),
        cmocka_unit_test (test_marked_records),
        cmocka_unit_test (test_variants),
        cmocka_unit_test (test_same_input_same_table),
        cmocka_unit_test (test_bad_no_header),
        cmocka_unit_test (test_bad_field_count),
        cmocka_unit_test (test_bad_time),
        cmocka_unit_test (test_bad_elapsed),
        cmocka_unit_test (test_bad_count),
        cmocka_unit_test (test_bad_jobid),
        cmocka_unit_test (test_bad_bytes),
        cmocka_unit_test (test_missing_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
