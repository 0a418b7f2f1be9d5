/* tests/unit/test_import_flux.c — `flux jobs --json` into a job table: every
 * recording of flux-outputs/, the marked records of the hand-written
 * fixture, and one test per class of bad input. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/import_flux.h"

/* What flux-outputs/README.md and each P.jobs.json say about the seven
 * recorded jobs (t_cleanup is the end; the unsatisfiable job never ran). */
static const struct recorded {
    const char *file, *id, *name, *state;
    double submit, start, end;
    int64_t ncores, nnodes, ntasks;
    const char *nodes;
} recorded[] = {
    {"01-completed-spread10", "18018729984", "hostname", "completed", 1795695431.241121,
     1795695431.2739933, 1795695431.3257928, 10, 1, 5, "aris0"},
    {"02-slot20-core1", "19813892096", "hostname", "completed", 1795695431.3475833,
     1795695431.382219, 1795695431.4446025, 20, 1, 20, "aris0"},
    {"03-testexec-1s", "24058527744", "true", "completed", 1795695431.6010711, 1795695431.6345468,
     1795695432.6392937, 4, 1, 4, "aris0"},
    {"04-failed-exit1", "44107300864", "sh", "failed", 1795695432.7961738, 1795695432.825715,
     1795695432.8512323, 1, 1, 1, "aris0"},
    {"05-cancelled-running", "47731179520", "sleep", "cancelled", 1795695433.011885,
     1795695433.045385, 1795695434.2193816, 2, 1, 2, "aris0"},
    {"06-unsatisfiable-n100", "70866960384", "hostname", "never-started", 1795695434.39123, -1,
     1795695434.4157867, 100, -1, 100, NULL},
    {"07-timeout-2s", "74188849152", "sleep", "timeout", 1795695434.5887394, 1795695434.6215808,
     1795695436.6281445, 1, 1, 1, "aris0"},
};

/* flux's own "runtime" key (t_cleanup - t_run), for the jobs that ran */
static const double flux_runtime[] = {0.05179953575134277, 0.062383413314819336, 1.004746913909912,
                                      0.02551722526550293, 1.1739966869354248,   -1,
                                      2.006563663482666};

static void assert_str_or_null (const char *got, const char *want)
{
    if (!want)
        assert_null (got);
    else
        assert_string_equal (got, want);
}

static void check_recorded (const struct flurm_run_job *j, size_t k)
{
    const struct recorded *w = &recorded[k];
    assert_string_equal (j->id, w->id);
    assert_string_equal (j->name, w->name);
    assert_string_equal (j->state, w->state);
    assert_true (j->submit == w->submit);
    assert_true (j->start == w->start);
    assert_true (j->end == w->end);
    assert_int_equal (j->ncores, w->ncores);
    assert_int_equal (j->nnodes, w->nnodes);
    assert_int_equal (j->ntasks, w->ntasks);
    assert_str_or_null (j->nodes, w->nodes);
    assert_null (j->queue); /* the instance had no named queues */
    if (flux_runtime[k] < 0) {
        assert_true (j->runtime < 0);
    } else {
        assert_true (fabs (j->runtime - flux_runtime[k]) < 1e-6);
        assert_true (j->runtime == j->end - j->start);
    }
}

static struct flurm_run *load_ok (const char *path)
{
    flurm_error_t err;
    struct flurm_run *r = flurm_import_flux_jobs (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    return r;
}

/* Each `flux jobs --json ID` recording: one job, its outcome mapped. */
static void test_each_recorded_job (void **state)
{
    for (size_t k = 0; k < G_N_ELEMENTS (recorded); k++) {
        char rel[128];
        snprintf (rel, sizeof (rel), "flux-outputs/%s.jobs.json", recorded[k].file);
        struct flurm_run *r = load_ok (test_data (rel));
        assert_int_equal (r->njobs, 1);
        assert_string_equal (r->kind, "flux-jobs");
        assert_string_equal (r->origin, "epoch");
        char stem[128];
        snprintf (stem, sizeof (stem), "%s.jobs", recorded[k].file);
        assert_string_equal (r->name, stem);
        check_recorded (&r->jobs[0], k);
        assert_non_null (strstr (r->jobs[0].source, rel));
        bool never = !strcmp (recorded[k].state, "never-started");
        assert_int_equal (r->nnotes, never ? 1 : 0);
        if (never) {
            /* kept, and the note says why it never ran */
            assert_non_null (strstr (r->jobs[0].note, "never started: FAILED"));
            assert_non_null (strstr (r->jobs[0].note, "alloc"));
            assert_non_null (strstr (r->jobs[0].note, "unsatisfiable"));
            assert_string_equal (r->notes[0], "1 of 1 jobs never started (no t_run): kept, marked "
                                              "never-started");
        } else {
            assert_null (r->jobs[0].note);
        }
        flurm_run_destroy (r);
    }
}

/* `flux jobs -a --json`: the same seven jobs, newest first. */
static void check_listing (const char *path)
{
    struct flurm_run *r = load_ok (path);
    assert_int_equal (r->njobs, G_N_ELEMENTS (recorded));
    for (size_t k = 0; k < G_N_ELEMENTS (recorded); k++)
        check_recorded (&r->jobs[r->njobs - 1 - k], k);
    assert_non_null (flurm_run_find (r, "70866960384"));
    assert_int_equal (r->nnotes, 1);
    assert_string_equal (r->notes[0],
                         "1 of 7 jobs never started (no t_run): kept, marked never-started");
    flurm_run_destroy (r);
}

static void test_recorded_listing (void **state)
{
    check_listing (test_data ("flux-outputs/jobs-a.json"));
}

static void test_shared_listing (void **state)
{
    check_listing (shared_data_or_skip ("flux-outputs/jobs-a.json"));
}

/* Active jobs, clock skew, an F58 id and an unknown result: all kept. */
static void test_marked_records (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/flux/marked.jobs.json"));
    assert_int_equal (r->njobs, 4);

    const struct flurm_run_job *j = &r->jobs[0];
    assert_string_equal (j->id, "301989888000");
    assert_string_equal (j->state, "unfinished");
    assert_string_equal (j->note, "still SCHED when listed");
    assert_string_equal (j->queue, "batch");
    assert_true (j->start < 0 && j->end < 0 && j->runtime < 0);
    assert_int_equal (j->nnodes, -1);

    j = &r->jobs[1];
    assert_string_equal (j->state, "unfinished");
    assert_string_equal (j->note, "still RUN when listed");
    assert_true (j->start == 1795698000.2267);
    assert_true (j->end < 0 && j->runtime < 0);
    assert_string_equal (j->nodes, "aris[0-3]");

    j = flurm_run_find (r, "\u01927UZwXRy1");
    assert_ptr_equal (j, &r->jobs[2]);
    assert_string_equal (j->state, "completed");
    assert_true (j->start == 1795697010.5 && j->end == 1795697008.25);
    assert_true (j->runtime < 0);
    assert_string_equal (j->note, "clock skew: ends 2.250 s before it starts");

    j = &r->jobs[3];
    assert_string_equal (j->state, "unknown");
    assert_string_equal (j->note, "unknown result \"LOST\"");
    assert_true (j->end == 1795696100.9); /* no t_cleanup: t_inactive */
    assert_true (fabs (j->runtime - (1795696100.9 - 1795696000.4251)) < 1e-6);

    assert_int_equal (r->nnotes, 3);
    assert_string_equal (r->notes[0], "2 of 4 jobs still pending or running when listed: "
                                      "kept, marked unfinished");
    assert_string_equal (r->notes[1], "1 of 4 jobs end before they start (clock skew): "
                                      "kept, runtime unknown");
    assert_string_equal (r->notes[2], "1 of 4 jobs have no result this reader knows: "
                                      "kept, marked unknown");
    flurm_run_destroy (r);
}

static void test_same_input_same_table (void **state)
{
    struct flurm_run *a = load_ok (test_data ("flux-outputs/jobs-a.json"));
    struct flurm_run *b = load_ok (test_data ("flux-outputs/jobs-a.json"));
    test_assert_same_run (a, b);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* Write `text` to a temporary file and import it: it must fail with
 * exactly `want` after "PATH". */
static void expect_error (const char *text, const char *want)
{
    char *path = g_build_filename (test_tmpdir (), "bad.json", NULL);
    assert_true (g_file_set_contents (path, text, -1, NULL));
    flurm_error_t err;
    struct flurm_run *r = flurm_import_flux_jobs (path, &err);
    if (r)
        fail_msg ("accepted: %s", text);
    char *full = g_strconcat (path, want, NULL);
    assert_string_equal (err.text, full);
    g_free (full);
    g_free (path);
}

static void test_bad_not_json (void **state)
{
    expect_error ("{\"jobs\": [\n{\"id\": 1,}\n]}", ":2:10: not JSON: string or '}' expected "
                                                    "near '}'");
}

static void test_bad_shape (void **state)
{
    expect_error ("[1, 2]", ": not `flux jobs --json` output: expected {\"jobs\": [...]} or one "
                            "job object with an id, got an array");
    expect_error ("{\"jobs\": {}}", ": not `flux jobs --json` output: expected "
                                    "{\"jobs\": [...]} or one job object with an id, got "
                                    "\"jobs\" as an object");
    expect_error ("{\"jobs\": [{\"id\": 1}, 7]}", ": jobs[1]: must be a job object, not an "
                                                  "integer");
}

static void test_bad_time (void **state)
{
    expect_error ("{\"jobs\": [{\"id\": 1, \"t_run\": \"noon\"}]}",
                  ": jobs[0].t_run: must be a number of seconds, not a string");
    expect_error ("{\"jobs\": [{\"id\": 1}, {\"id\": 2, \"t_submit\": -5.0}]}",
                  ": jobs[1].t_submit: -5 is not a time (0 .. 1e11 s since the epoch)");
    expect_error ("{\"id\": 1, \"t_cleanup\": 1e12}",
                  ": t_cleanup: 1e+12 is not a time (0 .. 1e11 s since the epoch)");
}

static void test_bad_count (void **state)
{
    expect_error ("{\"jobs\": [{\"id\": 1, \"ncores\": 4294967296}]}",
                  ": jobs[0].ncores: 4294967296 is not a count (0 .. 2147483647)");
    expect_error ("{\"jobs\": [{\"id\": 1, \"nnodes\": -1}]}",
                  ": jobs[0].nnodes: -1 is not a count (0 .. 2147483647)");
    expect_error ("{\"jobs\": [{\"id\": 1, \"ntasks\": 2.5}]}",
                  ": jobs[0].ntasks: must be an integer, not a real");
}

static void test_bad_id (void **state)
{
    expect_error ("{\"jobs\": [{\"name\": \"x\"}]}",
                  ": jobs[0].jobid: missing: a job needs an id (or jobid)");
    expect_error ("{\"jobs\": [{\"id\": -3}]}", ": jobs[0].id: -3 is negative");
    expect_error ("{\"jobs\": [{\"id\": true}]}",
                  ": jobs[0].id: must be an integer or a string, not a boolean");
    expect_error ("{\"jobs\": [{\"id\": \"\"}]}", ": jobs[0].id: is empty");
}

static void test_bad_string (void **state)
{
    expect_error ("{\"jobs\": [{\"id\": 1, \"nodelist\": [\"aris0\"]}]}",
                  ": jobs[0].nodelist: must be a string, not an array");
}

static void test_missing_file (void **state)
{
    flurm_error_t err;
    assert_null (flurm_import_flux_jobs ("/nonexistent/x.json", &err));
    assert_string_equal (err.text, "/nonexistent/x.json: cannot open: No such file or directory");
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_each_recorded_job),
        cmocka_unit_test (test_recorded_listing),
        cmocka_unit_test (test_shared_listing),
        cmocka_unit_test (test_marked_records),
        cmocka_unit_test (test_same_input_same_table),
        cmocka_unit_test (test_bad_not_json),
        cmocka_unit_test (test_bad_shape),
        cmocka_unit_test (test_bad_time),
        cmocka_unit_test (test_bad_count),
        cmocka_unit_test (test_bad_id),
        cmocka_unit_test (test_bad_string),
        cmocka_unit_test (test_missing_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
