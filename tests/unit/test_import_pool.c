/* tests/unit/test_import_pool.c — ELiSE measured pools: totals of the real
 * ARIS pool, the order and ids of a small one, and each bad input. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/import_pool.h"

#define POOL "npb/aris-elise/lm-aris.compute-NAS.json"

static struct flurm_run *load_ok (const char *path)
{
    flurm_error_t err;
    struct flurm_run *r = flurm_import_pool (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    return r;
}

/* Totals recomputed here from the JSON, and the cg.D.64 compact runs. */
static void test_real_pool (void **state)
{
    const char *path = shared_data_or_skip (POOL);
    json_error_t jerr;
    json_t *pool = json_load_file (path, 0, &jerr);
    assert_non_null (pool);
    size_t ncompact = 0, ncorun = 0, i, c;
    json_t *s, *copies, *runs;
    const char *partner;
    json_array_foreach (json_object_get (pool, "loads"), i, s) {
        json_t *load = json_loads (json_string_value (s), 0, &jerr);
        assert_non_null (load);
        ncompact += json_array_size (json_object_get (load, "compact_timelogs"));
        json_object_foreach (json_object_get (load, "coscheduled_timelogs"), partner, copies) {
            json_array_foreach (copies, c, runs)
                ncorun += json_array_size (runs);
        }
        json_decref (load);
    }
    json_decref (pool);

    struct flurm_run *r = load_ok (path);
    assert_string_equal (r->kind, "pool");
    assert_string_equal (r->name, "lm-aris.compute-NAS");
    assert_int_equal (r->njobs, ncompact + ncorun);
    size_t alone = 0;
    for (i = 0; i < r->njobs; i++)
        alone += r->jobs[i].partner == NULL;
    assert_int_equal (alone, ncompact);
    assert_int_equal (r->nnotes, 0);

    static const double cg[] = {183.43, 182.92, 184.54};
    for (i = 0; i < G_N_ELEMENTS (cg); i++) {
        char id[64];
        snprintf (id, sizeof (id), "cg.D.64/compact/%zu", i);
        const struct flurm_run_job *j = flurm_run_find (r, id);
        assert_non_null (j);
        assert_true (j->runtime == cg[i]);
        assert_int_equal (j->ntasks, 64);
        assert_string_equal (j->app, "cg.D.64");
        assert_string_equal (j->state, "completed");
        assert_null (j->partner);
    }
    assert_null (flurm_run_find (r, "cg.D.64/compact/3"));
    const struct flurm_run_job *j = flurm_run_find (r, "cg.D.64/cg.D.64/1/2");
    assert_non_null (j);
    assert_true (j->runtime == 193.18);
    assert_string_equal (j->partner, "cg.D.64");
    flurm_run_destroy (r);
}

/* small.json: file order, copies and runs numbered from 0, empty lists noted. */
static void test_small_pool (void **state)
{
    struct flurm_run *r = load_ok (test_data ("import/pool/small.json"));
    static const char *const ids[] = {
        "cg.D.64/compact/0",    "cg.D.64/compact/1",    "cg.D.64/ep.E.256/0/0",
        "cg.D.64/ep.E.256/0/1", "cg.D.64/ep.E.256/1/0", "cg.D.64/ep.E.256/2/0",
        "cg.D.64/ep.E.256/3/0", "cg.D.64/ep.E.256/3/1", "cg.D.64/cg.D.64/0/0",
        "cg.D.64/cg.D.64/1/0",  "ep.E.256/compact/0",   "ep.E.256/cg.D.64/0/0",
        "ep.E.256/cg.D.64/0/1", "mg.E.128/ep.E.256/0/0",
    };
    assert_int_equal (r->njobs, G_N_ELEMENTS (ids));
    for (size_t i = 0; i < r->njobs; i++)
        assert_string_equal (r->jobs[i].id, ids[i]);
    const struct flurm_run_job *j = flurm_run_find (r, "ep.E.256/cg.D.64/0/1");
    assert_string_equal (j->app, "ep.E.256");
    assert_string_equal (j->partner, "cg.D.64");
    assert_true (j->runtime == 155.1);
    assert_int_equal (j->ntasks, 256);
    assert_true (j->start < 0 && j->end < 0);
    assert_int_equal (r->nnotes, 2);
    assert_non_null (strstr (r->notes[0], "1 loads have no compact run"));
    assert_non_null (strstr (r->notes[1], "1 partner entries hold no run"));
    flurm_run_destroy (r);
}

/* The pool text around one load, given as the JSON text of that load
 * (written as a JSON string, as ELiSE does) or, with raw, as is. */
static void expect_error (const char *load, bool raw, const char *what)
{
    const char *good = "{\"load_name\": \"cg.D.64\", \"num_of_processes\": 64, "
                       "\"compact_timelogs\": [183.4], \"coscheduled_timelogs\": {}}";
    char *text;
    if (raw) {
        json_t *g = json_string (good);
        char *enc = json_dumps (g, JSON_ENCODE_ANY);
        text = g_strdup_printf ("{\"loads\": [%s, %s]}", enc, load);
        free (enc);
        json_decref (g);
    } else {
        json_t *arr = json_pack ("{s:[s,s]}", "loads", good, load);
        char *dump = json_dumps (arr, 0);
        text = g_strdup (dump);
        free (dump);
        json_decref (arr);
    }
    char *path = g_build_filename (test_tmpdir (), "pool.json", NULL);
    g_file_set_contents (path, text, -1, NULL);
    flurm_error_t err;
    struct flurm_run *r = flurm_import_pool (path, &err);
    if (r)
        fail_msg ("accepted, expected \"%s\"", what);
    char *want = g_strdup_printf ("%s: loads[1]", path);
    if (!g_str_has_prefix (err.text, want) || !strstr (err.text, what))
        fail_msg ("message \"%s\", expected \"%s\" ... \"%s\"", err.text, want, what);
    g_free (want);
    g_free (path);
    g_free (text);
}

#define LOAD(fields) "{\"load_name\": \"ep.E.256\", " fields "}"
#define PROCS "\"num_of_processes\": 256, "
#define CO "\"coscheduled_timelogs\": {}"

static void test_load_not_a_string_or_not_json (void **state)
{
    expect_error ("42", true, "is an integer, not a JSON-encoded string");
    expect_error ("{\"load_name\": 1}", true, "is an object, not a JSON-encoded string");
    expect_error ("{\"load_name\": \"ep.E.256\",", false, "the load is not JSON");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [NaN], " CO), false, "the load is not JSON");
    expect_error ("[1, 2]", false, "the load is a list, not an object");
}

static void test_missing_fields (void **state)
{
    expect_error ("{\"num_of_processes\": 2}", false, "load_name is missing");
    expect_error (LOAD ("\"compact_timelogs\": [], " CO), false,
                  "loads[1] (ep.E.256): num_of_processes is missing");
    expect_error (LOAD (PROCS CO), false, "compact_timelogs is missing");
    expect_error (LOAD (PROCS "\"compact_timelogs\": []"), false,
                  "coscheduled_timelogs is missing");
}

static void test_bad_times (void **state)
{
    expect_error (LOAD (PROCS "\"compact_timelogs\": [150.2, -1], " CO), false,
                  "compact_timelogs[1] is -1: a run time must be positive");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [0], " CO), false,
                  "compact_timelogs[0] is 0: a run time must be positive");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [1e12], " CO), false, "more than 1e+11 s");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [\"150\"], " CO), false,
                  "compact_timelogs[0] is a string, not a run time");
    expect_error (LOAD (PROCS "\"compact_timelogs\": 150, " CO), false,
                  "compact_timelogs is an integer, not a list of run times");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [], "
                        "\"coscheduled_timelogs\": {\"cg.D.64\": [[155.3], [-4]]}"),
                  false, "coscheduled_timelogs.cg.D.64[1][0] is -4");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [], "
                        "\"coscheduled_timelogs\": {\"cg.D.64\": [155.3]}"),
                  false, "coscheduled_timelogs.cg.D.64[0] is a real, not a list of run times");
    expect_error (LOAD (PROCS "\"compact_timelogs\": [], \"coscheduled_timelogs\": []"), false,
                  "coscheduled_timelogs is a list, not an object");
}

static void test_bad_processes_and_duplicates (void **state)
{
    expect_error (LOAD ("\"num_of_processes\": 0, \"compact_timelogs\": [], " CO), false,
                  "num_of_processes is not a whole number");
    expect_error (LOAD ("\"num_of_processes\": 25.5, \"compact_timelogs\": [], " CO), false,
                  "num_of_processes is not a whole number");
    expect_error ("{\"load_name\": \"cg.D.64\", \"num_of_processes\": 64, "
                  "\"compact_timelogs\": [], " CO "}",
                  false, "loads[1] (cg.D.64): the same load_name as loads[0]");
}

static void test_bad_top_level (void **state)
{
    char *path = g_build_filename (test_tmpdir (), "top.json", NULL);
    static const struct {
        const char *text, *what;
    } cases[] = {
        {"[1, 2]", "the pool is a list, not an object"},
        {"{\"machine\": \"aris.compute\"}", "loads is missing"},
        {"{\"loads\": {}}", "loads is an object, not a list"},
        {"{\"loads\": [}", "not JSON"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_file_set_contents (path, cases[i].text, -1, NULL);
        flurm_error_t err;
        assert_null (flurm_import_pool (path, &err));
        if (!g_str_has_prefix (err.text, path) || !strstr (err.text, cases[i].what))
            fail_msg ("message \"%s\", expected \"%s\"", err.text, cases[i].what);
    }
    g_free (path);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_real_pool),
        cmocka_unit_test (test_small_pool),
        cmocka_unit_test (test_load_not_a_string_or_not_json),
        cmocka_unit_test (test_missing_fields),
        cmocka_unit_test (test_bad_times),
        cmocka_unit_test (test_bad_processes_and_duplicates),
        cmocka_unit_test (test_bad_top_level),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
