/* tests/unit/test_import_oar.c — OAR gantt dumps: the real execution of
 * the Graphene workload (JSSPP'16), named by its Batsim ids; every job
 * state; each class of bad input. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/import_oar.h"

#define GRAPHENE      "npb/g5k-graphene-batsim-jsspp2016/"
#define REAL_GANTT    GRAPHENE "oar_gant_g5k_workload_delay_seed1_size32.json"
#define REAL_MAPPING  GRAPHENE "g5k_workload_delay_seed1_size32-job_id_mapping.csv"
#define REAL_WORKLOAD GRAPHENE "g5k_workload_delay_seed1_size32.json"

static double run_makespan (const struct flurm_run *r)
{
    double first = -1, last = -1;
    for (size_t i = 0; i < r->njobs; i++) {
        if (r->jobs[i].submit >= 0 && (first < 0 || r->jobs[i].submit < first))
            first = r->jobs[i].submit;
        if (r->jobs[i].end > last)
            last = r->jobs[i].end;
    }
    return last - first;
}

/* max(stop_time) - min(submission_time), straight from the JSON. */
static double json_makespan (const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file (path, 0, &jerr);
    if (!root)
        fail_msg ("%s: %s", path, jerr.text);
    double first = 0, last = 0;
    bool any = false;
    const char *key;
    json_t *job;
    json_object_foreach (json_object_get (root, "jobs"), key, job)
    {
        double s = json_number_value (json_object_get (job, "submission_time"));
        double e = json_number_value (json_object_get (job, "stop_time"));
        first = any && first < s ? first : s;
        last = any && last > e ? last : e;
        any = true;
    }
    json_decref (root);
    return last - first;
}

static void test_real_graphene_execution (void **state)
{
    char *path = g_strdup (shared_data_or_skip (REAL_GANTT));
    flurm_error_t err;
    struct flurm_run *r = flurm_import_oar (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 800);
    assert_string_equal (r->kind, "oar");
    assert_string_equal (r->origin, "epoch");
    assert_int_equal (r->nnotes, 0); /* all 800 Terminated before their walltime */

    /* OAR job 6: lu.B.1 on resource 10 */
    const struct flurm_run_job *j = flurm_run_find (r, "6");
    assert_non_null (j);
    assert_true (j->submit == 1463552040);
    assert_true (j->start == 1463552042);
    assert_true (j->end == 1463552323);
    assert_true (j->runtime == 281);
    assert_int_equal (j->ncores, 1);
    assert_int_equal (j->nnodes, 1);
    assert_string_equal (j->nodes, "graphene-19.nancy.grid5000.fr");
    assert_string_equal (j->queue, "default");
    assert_string_equal (j->state, "completed");
    assert_null (j->name);
    assert_null (j->app);
    /* OAR job 712 on resources 13 and 12, in that order */
    j = flurm_run_find (r, "712");
    assert_string_equal (j->nodes, "graphene-21.nancy.grid5000.fr,graphene-20.nancy.grid5000.fr");
    assert_int_equal (j->nnodes, 2);
    assert_true (j->runtime == 266);

    for (size_t i = 0; i < r->njobs; i++) {
        char id[32];
        snprintf (id, sizeof (id), "%zu", i + 1); /* sorted by OAR id: 1 .. 800 */
        assert_string_equal (r->jobs[i].id, id);
        assert_string_equal (r->jobs[i].state, "completed");
        assert_null (r->jobs[i].note);
        assert_true (r->jobs[i].runtime >= 0);
        /* one OAR resource per Graphene node in this experiment */
        assert_int_equal (r->jobs[i].nnodes, r->jobs[i].ncores);
    }
    double makespan = json_makespan (path);
    assert_true (run_makespan (r) == makespan);
    assert_true (makespan == 11307); /* 1463563277 - 1463551970 */
    flurm_run_destroy (r);
    g_free (path);
}

static void test_real_graphene_mapped (void **state)
{
    char *gantt = g_strdup (shared_data_or_skip (REAL_GANTT));
    char *mapping = g_strdup (shared_data_or_skip (REAL_MAPPING));
    char *workload = g_strdup (shared_data_or_skip (REAL_WORKLOAD));
    flurm_error_t err;
    struct flurm_run *r = flurm_import_oar_mapped (gantt, mapping, workload, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 800);
    assert_int_equal (r->nnotes, 0); /* every job mapped, each with the size it asked */
    bool seen[800] = {false};
    for (size_t i = 0; i < r->njobs; i++) {
        const struct flurm_run_job *j = &r->jobs[i];
        char *end;
        long id = strtol (j->id, &end, 10);
        if (*end || id < 0 || id >= 800 || seen[id])
            fail_msg ("job id %s is not a Batsim id 0 .. 799 seen once", j->id);
        seen[id] = true;
        assert_non_null (j->app);
        assert_null (j->note);
        assert_string_equal (j->state, "completed");
    }
    /* Batsim job 5 (lu.B.1) is OAR job 6; Batsim 711 (ft.C.2) is OAR 712 */
    const struct flurm_run_job *j = flurm_run_find (r, "5");
    assert_string_equal (j->app, "lu.B.1");
    assert_int_equal (j->ntasks, 1);
    assert_true (j->start == 1463552042 && j->end == 1463552323);
    assert_non_null (strstr (j->source, "jobs[\"6\"]"));
    j = flurm_run_find (r, "711");
    assert_string_equal (j->app, "ft.C.2");
    assert_int_equal (j->ncores, 2);
    assert_true (j->runtime == 266);
    flurm_run_destroy (r);
    g_free (gantt);
    g_free (mapping);
    g_free (workload);
}

static const struct flurm_run_job *find (const struct flurm_run *r, const char *id)
{
    const struct flurm_run_job *j = flurm_run_find (r, id);
    if (!j)
        fail_msg ("no job %s", id);
    return j;
}

static void assert_note (const struct flurm_run_job *j, const char *part)
{
    if (!j->note || !strstr (j->note, part))
        fail_msg ("job %s: note \"%s\" should say \"%s\"", j->id, j->note ? j->note : "(none)",
                  part);
}

static void test_every_state (void **state)
{
    flurm_error_t err;
    struct flurm_run *r = flurm_import_oar (test_data ("import/oar/gantt-states.json"), &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 11);
    assert_string_equal (r->jobs[0].id, "99"); /* by number, not text */
    assert_string_equal (r->jobs[10].id, "110");

    const struct flurm_run_job *j = find (r, "101");
    assert_string_equal (j->state, "completed");
    assert_null (j->note);
    assert_int_equal (j->ncores, 3);
    assert_int_equal (j->nnodes, 2);
    assert_string_equal (j->nodes, "n[1-2]");
    assert_true (j->runtime == 300);

    j = find (r, "102");
    assert_string_equal (j->state, "timeout");
    assert_note (j, "walltime reached");
    assert_true (j->runtime == 62);

    j = find (r, "103");
    assert_string_equal (j->state, "failed");
    assert_note (j, "OAR state Error");
    assert_string_equal (j->queue, "besteffort");
    assert_string_equal (j->nodes, "n[2-3]");

    j = find (r, "104");
    assert_string_equal (j->state, "never-started");
    assert_note (j, "Waiting");
    assert_true (j->start < 0 && j->end < 0 && j->runtime < 0);
    assert_true (j->submit == 1700000140);
    assert_int_equal (j->ncores, -1);
    assert_int_equal (j->nnodes, -1);
    assert_null (j->nodes);

    j = find (r, "105");
    assert_string_equal (j->state, "unfinished");
    assert_true (j->start == 1700000600 && j->end < 0 && j->runtime < 0);
    assert_string_equal (j->nodes, "n1");
    assert_int_equal (j->ncores, 2);

    j = find (r, "106");
    assert_string_equal (j->state, "completed");
    assert_note (j, "2 s before start_time");
    assert_true (j->start == 1700000700 && j->end == 1700000698);
    assert_true (j->runtime < 0);

    j = find (r, "107");
    assert_string_equal (j->state, "Frozen");
    assert_note (j, "not one OAR defines");

    j = find (r, "108");
    assert_string_equal (j->state, "never-started");
    assert_note (j, "without a start time");

    j = find (r, "109");
    assert_string_equal (j->state, "completed");
    assert_note (j, "resource 99 is not in the resources list");
    assert_int_equal (j->ncores, 2);
    assert_int_equal (j->nnodes, -1);
    assert_null (j->nodes);

    j = find (r, "110");
    assert_string_equal (j->name, "ep-run");
    assert_note (j, "start_time is 4 s before submission_time");
    assert_true (j->runtime == 25);

    static const char *const notes[] = {
        "1 jobs ended in OAR state Error",
        "1 jobs stopped at their limit_stop_time",
        "2 jobs never started",
        "1 jobs had not finished",
        "1 jobs are in a state OAR does not define",
        "1 jobs stop before they start",
        "1 jobs start before their submission",
        "1 jobs hold resources missing",
    };
    assert_int_equal (r->nnotes, G_N_ELEMENTS (notes));
    for (size_t i = 0; i < G_N_ELEMENTS (notes); i++) {
        if (!strstr (r->notes[i], notes[i]))
            fail_msg ("note %zu \"%s\" should say \"%s\"", i, r->notes[i], notes[i]);
    }
    flurm_run_destroy (r);
}

static void test_mapped_fixture (void **state)
{
    char *gantt = g_strdup (test_data ("import/oar/gantt-states.json"));
    char *mapping = g_strdup (test_data ("import/oar/mapping.csv"));
    char *workload = g_strdup (test_data ("import/oar/workload.json"));
    flurm_error_t err;
    struct flurm_run *r = flurm_import_oar_mapped (gantt, mapping, workload, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 12);
    const struct flurm_run_job *j = find (r, "1"); /* OAR 101 */
    assert_string_equal (j->app, "cg.B.4");
    assert_int_equal (j->ntasks, 4);
    assert_int_equal (j->ncores, 3);
    assert_true (j->start == 1700000100);
    assert_null (j->note);
    j = find (r, "0"); /* OAR 99 */
    assert_string_equal (j->app, "sleep30");
    assert_string_equal (j->nodes, "n3");
    j = find (r, "9"); /* OAR 109 holds 2 of the 4 asked */
    assert_note (j, "holds 2 resources, the workload asked for 4");
    j = find (r, "oar:110");
    assert_note (j, "not in the mapping");
    assert_null (j->app);
    j = find (r, "10");
    assert_string_equal (j->state, "rejected");
    assert_note (j, "never submitted to OAR");
    assert_true (j->submit < 0 && j->start < 0);
    assert_int_equal (j->ncores, 1);
    assert_null (flurm_run_find (r, "101"));

    assert_int_equal (r->nnotes, 11);
    assert_non_null (strstr (r->notes[8], "1 OAR jobs are not in the mapping"));
    assert_non_null (strstr (r->notes[9], "1 jobs hold another number of resources"));
    assert_non_null (strstr (r->notes[10], "1 Batsim jobs are not in the mapping"));
    flurm_run_destroy (r);
    g_free (gantt);
    g_free (mapping);
    g_free (workload);
}

static void test_same_file_same_table (void **state)
{
    flurm_error_t err;
    const char *path = test_data ("import/oar/gantt-states.json");
    struct flurm_run *a = flurm_import_oar (path, &err);
    struct flurm_run *b = flurm_import_oar (path, &err);
    assert_non_null (a);
    assert_non_null (b);
    test_assert_same_run (a, b);
    flurm_run_destroy (a);
    flurm_run_destroy (b);
}

/* ---- bad input: one line naming the file and where ---- */

static char *write_tmp (const char *name, const char *text)
{
    char *path = g_build_filename (test_tmpdir (), name, NULL);
    assert_true (g_file_set_contents (path, text, -1, NULL));
    return path;
}

static void expect_message (const flurm_error_t *err, const char *path, const char *where,
                            const char *what)
{
    if (strncmp (err->text, path, strlen (path)) || !strstr (err->text, where) ||
        !strstr (err->text, what) || strchr (err->text, '\n'))
        fail_msg ("error \"%s\" should name %s, %s and %s", err->text, path, where, what);
}

static void expect_error (const char *text, const char *where, const char *what)
{
    char *path = write_tmp ("gantt.json", text);
    flurm_error_t err = {{0}};
    struct flurm_run *r = flurm_import_oar (path, &err);
    if (r)
        fail_msg ("accepted: %s", text);
    expect_message (&err, path, where, what);
    g_free (path);
}

#define RESOURCES   "\"resources\": [{\"resource_id\": \"1\", \"network_address\": \"n1\"}]"
#define TIMES       "\"submission_time\": 10, \"start_time\": 20, \"stop_time\": 30"
#define GANTT(jobs) "{" RESOURCES ", \"jobs\": {" jobs "}}"

static void test_bad_top_level (void **state)
{
    expect_error ("[]", "gantt.json: ", "must be a JSON object");
    expect_error ("{" RESOURCES "}", "gantt.json: ", "missing key jobs");
    expect_error ("{\"jobs\": []}", "gantt.json: jobs", "must be an object keyed by OAR job id");
    expect_error ("{\"jobs\": {},\n \"resources\": {}}", "gantt.json: resources",
                  "must be an array");
    expect_error ("{\n\"jobs\": {\"1\": }}", "gantt.json:2:", "not JSON");
}

static void test_bad_resources_list (void **state)
{
    expect_error ("{\"jobs\": {}, \"resources\": [{\"network_address\": \"n1\"}]}", "resources[0]",
                  "numeric resource_id");
    expect_error ("{\"jobs\": {}, \"resources\": [{\"resource_id\": \"1\"}]}", "resources[0]",
                  "no network_address nor host");
    expect_error ("{\"jobs\": {}, \"resources\": [{\"resource_id\": \"1\", "
                  "\"network_address\": \"bad host\"}]}",
                  "resources[0].network_address", "\"bad host\"");
    expect_error ("{\"jobs\": {}, \"resources\": [{\"resource_id\": \"1\", "
                  "\"network_address\": \"n1\"}, {\"resource_id\": 1, "
                  "\"network_address\": \"n2\"}]}",
                  "resources[1]", "resource_id 1 is listed twice");
}

static void test_bad_job_ids (void **state)
{
    expect_error (GANTT ("\"abc\": {" TIMES ", \"state\": \"Terminated\", \"resources\": [1]}"),
                  "jobs[\"abc\"]", "an OAR job id is a number");
    expect_error (GANTT ("\"7\": {" TIMES ", \"state\": \"Terminated\", \"resources\": [1]},"
                         "\"07\": {" TIMES ", \"state\": \"Terminated\", \"resources\": [1]}"),
                  "jobs[\"", "the same job as");
    expect_error (GANTT ("\"7\": [1]"), "jobs[\"7\"]", "must be a JSON object");
}

static void test_missing_job_fields (void **state)
{
    expect_error (GANTT ("\"7\": {\"start_time\": 20, \"stop_time\": 30, \"state\": \"Error\","
                         " \"resources\": [1]}"),
                  "jobs[\"7\"]", "missing key submission_time");
    expect_error (GANTT ("\"7\": {\"submission_time\": 10, \"start_time\": 20,"
                         " \"state\": \"Error\", \"resources\": [1]}"),
                  "jobs[\"7\"]", "missing key stop_time");
    expect_error (GANTT ("\"7\": {" TIMES ", \"resources\": [1]}"), "jobs[\"7\"]",
                  "missing key state");
    expect_error (GANTT ("\"7\": {" TIMES ", \"state\": \"Terminated\"}"), "jobs[\"7\"]",
                  "missing key resources");
    expect_error (GANTT ("\"7\": {" TIMES ", \"state\": \"Terminated\", \"resources\": 1}"),
                  "jobs[\"7\"]", "resources must be an array");
    expect_error (GANTT ("\"7\": {" TIMES ", \"state\": \"Terminated\", \"resources\": [\"x\"]}"),
                  "jobs[\"7\"].resources[0]", "a resource id is a number");
}

static void test_bad_times (void **state)
{
    expect_error (GANTT ("\"7\": {\"submission_time\": -5, \"start_time\": 20, \"stop_time\": 30,"
                         " \"state\": \"Terminated\", \"resources\": [1]}"),
                  "jobs[\"7\"].submission_time", "-5 is not a time");
    expect_error (GANTT ("\"7\": {\"submission_time\": 10, \"start_time\": 20, \"stop_time\": 1e12,"
                         " \"state\": \"Terminated\", \"resources\": [1]}"),
                  "jobs[\"7\"].stop_time", "absurd");
    expect_error (GANTT ("\"7\": {\"submission_time\": 10, \"start_time\": \"20\", "
                         "\"stop_time\": 30, \"state\": \"Terminated\", \"resources\": [1]}"),
                  "jobs[\"7\"].start_time", "must be a number");
    expect_error (GANTT ("\"7\": {" TIMES ", \"limit_stop_time\": -1, \"state\": \"Terminated\","
                         " \"resources\": [1]}"),
                  "jobs[\"7\"].limit_stop_time", "not a time");
    /* JSON has no NaN: it is a syntax error at its line and column */
    expect_error ("{\"jobs\": {\"7\": {\n\"submission_time\": NaN}}}", "gantt.json:2:", "not JSON");
}

static void test_end_before_start_is_kept (void **state)
{
    char *path = write_tmp ("skew.json", GANTT ("\"7\": {\"submission_time\": 10, \"start_time\":"
                                                " 50, \"stop_time\": 40, \"state\": "
                                                "\"Terminated\", \"resources\": [1]}"));
    flurm_error_t err;
    struct flurm_run *r = flurm_import_oar (path, &err);
    if (!r)
        fail_msg ("%s", err.text);
    assert_int_equal (r->njobs, 1);
    assert_true (r->jobs[0].start == 50 && r->jobs[0].end == 40 && r->jobs[0].runtime < 0);
    assert_note (&r->jobs[0], "clock skew");
    assert_int_equal (r->nnotes, 1);
    flurm_run_destroy (r);
    g_free (path);
}

/* The mapping against the gantt-states fixture and its workload. */
static void expect_mapping_error (const char *csv, const char *where, const char *what)
{
    char *path = write_tmp ("mapping.csv", csv);
    char *gantt = g_strdup (test_data ("import/oar/gantt-states.json"));
    char *workload = g_strdup (test_data ("import/oar/workload.json"));
    flurm_error_t err = {{0}};
    struct flurm_run *r = flurm_import_oar_mapped (gantt, path, workload, &err);
    if (r)
        fail_msg ("accepted: %s", csv);
    expect_message (&err, path, where, what);
    g_free (path);
    g_free (gantt);
    g_free (workload);
}

static void test_bad_mapping (void **state)
{
    expect_mapping_error ("batsim_id,oar_id\n0,99\n1,900\n",
                          "mapping.csv:3:", "OAR job 900 is not in");
    expect_mapping_error ("batsim_id,oar_id\n0,99\n77,101\n",
                          "mapping.csv:3:", "Batsim job \"77\" is not in");
    expect_mapping_error ("batsim_id,oar_id\n0,99\n1,x\n",
                          "mapping.csv:3:", "oar_id \"x\" is not an OAR job id");
    expect_mapping_error ("batsim_id,oar_id\n0,99\n1,99\n",
                          "mapping.csv:3:", "OAR job 99 is mapped twice (line 2)");
    expect_mapping_error ("batsim_id,oar_id\n0,99\n0,101\n",
                          "mapping.csv:3:", "Batsim job \"0\" is mapped twice (line 2)");
    expect_mapping_error ("batsim_id,oar_id\n0,99\n1,101,5\n",
                          "mapping.csv:3:", "3 fields, the header has 2");
    expect_mapping_error ("batsim,oar\n0,99\n", "mapping.csv:1:", "batsim_id and oar_id");
    expect_mapping_error ("", "mapping.csv", "empty");
}

static void test_missing_files (void **state)
{
    flurm_error_t err;
    assert_null (flurm_import_oar ("/nonexistent/gantt.json", &err));
    assert_non_null (strstr (err.text, "/nonexistent/gantt.json"));
    assert_null (flurm_import_oar ("/nonexistent/gantt.json", NULL));
    char *gantt = g_strdup (test_data ("import/oar/gantt-states.json"));
    char *workload = g_strdup (test_data ("import/oar/workload.json"));
    assert_null (flurm_import_oar_mapped (gantt, "/nonexistent/map.csv", workload, &err));
    assert_non_null (strstr (err.text, "/nonexistent/map.csv"));
    assert_null (
        flurm_import_oar_mapped (gantt, "/nonexistent/map.csv", "/nonexistent/w.json", &err));
    assert_non_null (strstr (err.text, "/nonexistent/w.json"));
    g_free (gantt);
    g_free (workload);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_real_graphene_execution),
        cmocka_unit_test (test_real_graphene_mapped),
        cmocka_unit_test (test_every_state),
        cmocka_unit_test (test_mapped_fixture),
        cmocka_unit_test (test_same_file_same_table),
        cmocka_unit_test (test_bad_top_level),
        cmocka_unit_test (test_bad_resources_list),
        cmocka_unit_test (test_bad_job_ids),
        cmocka_unit_test (test_missing_job_fields),
        cmocka_unit_test (test_bad_times),
        cmocka_unit_test (test_end_before_start_is_kept),
        cmocka_unit_test (test_bad_mapping),
        cmocka_unit_test (test_missing_files),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
