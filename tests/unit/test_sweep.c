/* tests/unit/test_sweep.c — sweep files: their expansion into runs (order,
 * names, arguments), every class of bad file with its position, and the
 * merge of real run folders: the golden runs of the bundled examples,
 * laid out as a sweep's folder, give back their figures. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "sim/sweep.h"

#define GOLDEN "../../results/golden"

/* The repository's folder `rel` (tests/data/../../rel), g_free. */
static char *repo (const char *rel)
{
    return g_build_filename (test_data ("../.."), rel, NULL);
}

/* A sweep read from text as if it were the file sweeps/t.yaml, so that
 * "../traces/..." names the bundled traces. */
static struct flurm_sweep *load_text (const char *text, flurm_error_t *err)
{
    char *base = repo ("sweeps");
    struct flurm_sweep *s = flurm_sweep_load_buffer (text, strlen (text), "t.yaml", base, err);
    g_free (base);
    return s;
}

static struct flurm_sweep *load_ok (const char *text)
{
    flurm_error_t err;
    struct flurm_sweep *s = load_text (text, &err);
    if (!s)
        fail_msg ("%s", err.text);
    return s;
}

static void expect_error (const char *text, const char *message)
{
    flurm_error_t err;
    struct flurm_sweep *s = load_text (text, &err);
    if (s)
        fail_msg ("loaded, expected: %s", message);
    if (!strstr (err.text, message))
        fail_msg ("got '%s', expected '%s'", err.text, message);
}

#define MIXED "name: t\ntrace: ../traces/aris-npb/mixed.yaml\n"
#define KTH "name: t\ntrace: ../traces/swf/KTH-SP2-1996-2.1-cln.first2000.swf\n"

/* ---- expansion --------------------------------------------------------- */

/* The bundled 24-run sweep: the first axis varies slowest, names list
 * every axis in the file's order. */
static void test_bundled_expansion (void **state)
{
    char *path = repo ("sweeps/aris-mixed.yaml");
    flurm_error_t err;
    struct flurm_sweep *s = flurm_sweep_load_file (path, &err);
    if (!s)
        fail_msg ("%s", err.text);
    assert_int_equal (s->nruns, 24);
    assert_int_equal (s->naxes, 3);
    assert_string_equal (s->name, "aris-mixed-policies");
    assert_string_equal (s->trace_text, "../traces/aris-npb/mixed.yaml");
    const char *expect[][2] = {
        {"0", "queue-policy=fcfs,pairing=fifo,load-factor=1"},
        {"1", "queue-policy=fcfs,pairing=fifo,load-factor=1.25"},
        {"2", "queue-policy=fcfs,pairing=avoid-bad,load-factor=1"},
        {"8", "queue-policy=easy,pairing=fifo,load-factor=1"},
        {"23", "queue-policy=conservative,pairing=best-pair,load-factor=1.25"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (expect); i++) {
        char *name = flurm_sweep_run_name (s, (size_t)atoi (expect[i][0]));
        assert_string_equal (name, expect[i][1]);
        g_free (name);
    }
    /* every name once */
    GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (size_t r = 0; r < s->nruns; r++)
        assert_true (g_hash_table_add (seen, flurm_sweep_run_name (s, r)));
    g_hash_table_destroy (seen);
    flurm_sweep_destroy (s);
    g_free (path);
}

static void test_run_args (void **state)
{
    struct flurm_sweep *s = load_ok (MIXED "axes:\n  pairing: [fifo, best-pair]\n"
                                     "  seed: [3]\noptions: [--check, --max-jobs=10]\n");
    assert_int_equal (s->nruns, 2);
    char *dir = flurm_sweep_run_dir (s, 1, "out");
    assert_string_equal (dir, "out/pairing=best-pair,seed=3");
    char **args = flurm_sweep_run_args (s, 1, "T.yaml", dir);
    const char *expect[] = {"T.yaml",  "-o",      dir,       "--pairing", "best-pair",
                            "--seed",  "3",       "--check", "--max-jobs=10", "--quiet"};
    assert_int_equal (g_strv_length (args), G_N_ELEMENTS (expect));
    for (size_t i = 0; i < G_N_ELEMENTS (expect); i++)
        assert_string_equal (args[i], expect[i]);
    g_strfreev (args);
    g_free (dir);
    flurm_sweep_destroy (s);
}

/* Values are kept as run parses them back, so that one configuration has
 * one name whatever way it was written. */
static void test_values_as_run_reads_them (void **state)
{
    struct flurm_sweep *s = load_ok (MIXED "axes:\n  load-factor: [1.0, 0.50, 2e0, 3]\n"
                                     "  nodes: [+64]\n  match-policy: [lonodex]\n");
    const char *lf[] = {"1", "0.5", "2", "3"};
    for (size_t i = 0; i < G_N_ELEMENTS (lf); i++)
        assert_string_equal (s->axes[0].values[i], lf[i]);
    assert_string_equal (s->axes[1].values[0], "64");
    char *name = flurm_sweep_run_name (s, 1);
    assert_string_equal (name, "load-factor=0.5,nodes=64,match-policy=lonodex");
    g_free (name);
    flurm_sweep_destroy (s);
}

/* ---- bad files: one per class ---------------------------------------- */

static void test_unknown_axis (void **state)
{
    expect_error (MIXED "axes:\n  queue-policy: [easy]\n  policy: [easy]\n",
                  "t.yaml:5:3: unknown axis 'policy' (expected one of queue-policy, ");
}

static void test_empty_axis (void **state)
{
    expect_error (MIXED "axes:\n  seed: []\n", "t.yaml:4:9: axis 'seed' is empty");
    expect_error (MIXED "axes: {}\n", "t.yaml:3:7: axes must name at least one axis");
}

static void test_bad_name_value (void **state)
{
    expect_error (MIXED "axes:\n  queue-policy: [easy, lifo]\n",
                  "t.yaml:4:24: unknown queue policy 'lifo'");
    expect_error (MIXED "axes:\n  pairing: [worst-pair]\n",
                  "t.yaml:4:13: unknown pairing rule 'worst-pair'");
    expect_error (MIXED "axes:\n  match-policy: [\"policy=low node_centric=true\"]\n",
                  "t.yaml:4:18: unknown match policy 'policy=low node_centric=true' (a sweep "
                  "takes the registered ones: first, ");
    expect_error (MIXED "axes:\n  interference: [strong]\n",
                  "t.yaml:4:18: unknown interference model \"strong\"");
}

static void test_bad_number (void **state)
{
    expect_error (MIXED "axes:\n  load-factor: [1, 0]\n",
                  "t.yaml:4:20: load-factor must be from 0.001 to 1000 (got 0)");
    expect_error (MIXED "axes:\n  nodes: [0]\n", "t.yaml:4:11: nodes must be >= 1 (got 0)");
    expect_error (MIXED "axes:\n  seed: [-1]\n", "t.yaml:4:10: seed must be >= 0");
    expect_error (MIXED "axes:\n  queue-depth: [deep]\n",
                  "t.yaml:4:17: queue-depth must be an integer");
}

static void test_missing_trace (void **state)
{
    expect_error ("name: t\ntrace: ../traces/nope.yaml\naxes:\n  seed: [1]\n",
                  "t.yaml:2:8: trace ");
    expect_error ("name: t\ntrace: ../traces/nope.yaml\naxes:\n  seed: [1]\n",
                  "nope.yaml: No such file or directory");
    expect_error ("name: t\naxes:\n  seed: [1]\n", "t.yaml:1:1: sweep has no trace:");
}

/* Two values that make one configuration would make two runs of one
 * name, one folder. */
static void test_duplicate_run (void **state)
{
    expect_error (MIXED "axes:\n  load-factor: [1, 1.25, 1.0]\n",
                  "t.yaml:4:26: duplicate run: load-factor=1 is already at line 4, column 17");
}

static void test_options_the_sweep_sets (void **state)
{
    expect_error (MIXED "axes:\n  seed: [1]\noptions: [--check, --seed=2]\n",
                  "t.yaml:5:20: option '--seed=2' is set by the sweep itself");
    expect_error (MIXED "axes:\n  seed: [1]\noptions: [-o]\n",
                  "t.yaml:5:11: option '-o' is set by the sweep itself");
}

static void test_file_shape (void **state)
{
    expect_error (MIXED "axes:\n  seed: [1]\nruns: 3\n", "t.yaml:5:1: unknown key 'runs'");
    expect_error (MIXED "axes:\n  seed: 1\n", "t.yaml:4:9: seed must be a list, not 1");
    expect_error ("name: a/b\ntrace: ../traces/aris-quickstart.yaml\naxes:\n  seed: [1]\n",
                  "t.yaml:1:7: name 'a/b' ");
    /* 11 values on each of 5 axes: 161051 runs */
    GString *big = g_string_new (MIXED "axes:\n");
    const char *axes[] = {"seed", "nodes", "queue-depth", "reservation-depth", "load-factor"};
    for (size_t a = 0; a < G_N_ELEMENTS (axes); a++) {
        g_string_append_printf (big, "  %s: [", axes[a]);
        for (int v = 1; v <= 11; v++)
            g_string_append_printf (big, "%s%d", v > 1 ? ", " : "", v);
        g_string_append (big, "]\n");
    }
    expect_error (big->str, "t.yaml:8:3: the axes make more than 100000 runs");
    g_string_free (big, TRUE);
}

/* ---- folders and the merge --------------------------------------------- */

/* DIR/NAME/summary.json: a copy of a golden run's. */
static void put_summary (const char *dir, const char *name, const char *golden)
{
    char *run_dir = g_build_filename (dir, name, NULL);
    char *from = g_build_filename (test_data (GOLDEN), golden, "summary.json", NULL);
    char *to = g_build_filename (run_dir, "summary.json", NULL);
    assert_int_equal (g_mkdir_with_parents (run_dir, 0755), 0);
    size_t len;
    char *text = test_slurp (from, &len);
    assert_true (g_file_set_contents (to, text, (gssize)len, NULL));
    g_free (text);
    g_free (to);
    g_free (from);
    g_free (run_dir);
}

static double golden_figure (const char *golden, const char *key, const char *sub)
{
    char *path = g_build_filename (test_data (GOLDEN), golden, "summary.json", NULL);
    json_error_t jerr;
    json_t *o = json_load_file (path, 0, &jerr);
    if (!o)
        fail_msg ("%s: %s", path, jerr.text);
    json_t *v = json_object_get (o, key);
    double x = json_number_value (sub ? json_object_get (v, sub) : v);
    json_decref (o);
    g_free (path);
    return x;
}

#define KTH_POLICIES KTH "axes:\n  queue-policy: [fcfs, easy, conservative]\n"

/* The three KTH golden runs as a sweep's folder: the merge gives back
 * their figures, in run order, and the CSV its exact bytes. */
static void test_merge_golden_runs (void **state)
{
    struct flurm_sweep *s = load_ok (KTH_POLICIES);
    char *dir = g_strdup (test_tmpdir ());
    const char *policies[] = {"fcfs", "easy", "conservative"};
    for (size_t i = 0; i < 3; i++) {
        char *name = g_strdup_printf ("queue-policy=%s", policies[i]);
        char *golden = g_strdup_printf ("kth-sp2-first2000-%s", policies[i]);
        put_summary (dir, name, golden);
        g_free (golden);
        g_free (name);
    }
    struct flurm_sweep_table t;
    flurm_error_t err;
    if (flurm_sweep_merge (s, dir, &t, &err) < 0)
        fail_msg ("%s", err.text);
    assert_int_equal (t.ndone, 3);
    assert_false (t.has_slowdown);
    for (size_t i = 0; i < 3; i++) {
        char *golden = g_strdup_printf ("kth-sp2-first2000-%s", policies[i]);
        assert_true (t.rows[i].done);
        assert_int_equal (t.rows[i].completed, 1977);
        assert_true (t.rows[i].makespan == golden_figure (golden, "makespan", NULL));
        assert_true (t.rows[i].wait_mean == golden_figure (golden, "wait", "mean"));
        assert_true (t.rows[i].bsld_mean
                     == golden_figure (golden, "bounded_slowdown", "mean"));
        assert_true (isnan (t.rows[i].slowdown));
        g_free (golden);
    }
    char *csv = g_build_filename (dir, "sweep.csv", NULL);
    if (flurm_sweep_write_csv (s, &t, csv, &err) < 0)
        fail_msg ("%s", err.text);
    char *text = test_slurp (csv, NULL);
    assert_string_equal (
        text,
        "run,queue-policy,status,jobs_completed,makespan,utilisation,wait_mean,wait_median,"
        "wait_p95,bsld_mean,node_hours\n"
        "queue-policy=fcfs,fcfs,done,1977,2114131.000,0.603717,37790.429,29364.500,"
        "119603.000,855.024728,35453.806\n"
        "queue-policy=easy,easy,done,1977,2069601.000,0.616707,5886.808,0.000,38478.000,"
        "88.599076,35453.806\n"
        "queue-policy=conservative,conservative,done,1977,2069601.000,0.616707,4857.804,"
        "0.000,31701.000,56.388024,35453.806\n");
    g_free (text);
    flurm_sweep_table_clear (&t);

    /* a run that left no summary is a row 'missing', not an error */
    char *gone = g_build_filename (dir, "queue-policy=easy", "summary.json", NULL);
    assert_int_equal (g_unlink (gone), 0);
    if (flurm_sweep_merge (s, dir, &t, &err) < 0)
        fail_msg ("%s", err.text);
    assert_int_equal (t.ndone, 2);
    assert_false (t.rows[1].done);
    if (flurm_sweep_write_csv (s, &t, csv, &err) < 0)
        fail_msg ("%s", err.text);
    text = test_slurp (csv, NULL);
    assert_non_null (strstr (text, "\nqueue-policy=easy,easy,missing,,,,,,,,\n"));
    g_free (text);
    flurm_sweep_table_clear (&t);

    /* one that is not a summary is an error naming it */
    assert_true (g_file_set_contents (gone, "{\"makespan\": 3", -1, NULL));
    assert_int_equal (flurm_sweep_merge (s, dir, &t, &err), -1);
    assert_non_null (strstr (err.text, "queue-policy=easy/summary.json:1:"));
    assert_true (g_file_set_contents (gone, "{\"jobs\": {\"completed\": 3}}", -1, NULL));
    assert_int_equal (flurm_sweep_merge (s, dir, &t, &err), -1);
    assert_non_null (strstr (err.text, "queue-policy=easy/summary.json: makespan is missing"));
    assert_null (t.rows);
    g_free (gone);
    g_free (csv);
    g_free (dir);
    flurm_sweep_destroy (s);
}

/* Co-scheduled runs carry the interference model's mean slowdown. */
static void test_merge_interference (void **state)
{
    struct flurm_sweep *s = load_ok (MIXED "axes:\n  pairing: [fifo, avoid-bad]\n");
    char *dir = g_strdup (test_tmpdir ());
    put_summary (dir, "pairing=fifo", "aris-mixed-easy-fifo");
    put_summary (dir, "pairing=avoid-bad", "aris-mixed-easy-avoid-bad");
    struct flurm_sweep_table t;
    flurm_error_t err;
    if (flurm_sweep_merge (s, dir, &t, &err) < 0)
        fail_msg ("%s", err.text);
    assert_true (t.has_slowdown);
    assert_true (t.rows[0].slowdown
                 == golden_figure ("aris-mixed-easy-fifo", "interference", "mean_slowdown"));
    assert_true (t.rows[1].slowdown == golden_figure ("aris-mixed-easy-avoid-bad",
                                                      "interference", "mean_slowdown"));
    assert_true (t.rows[0].completed == 300 && t.rows[1].completed == 300);
    flurm_sweep_table_clear (&t);
    g_free (dir);
    flurm_sweep_destroy (s);
}

/* Done means a summary.json that parses: a half-written or foreign one
 * makes the run be done again. */
static void test_run_done (void **state)
{
    char *dir = g_strdup (test_tmpdir ());
    char *run = g_build_filename (dir, "r", NULL);
    assert_false (flurm_sweep_run_done (run));
    put_summary (dir, "r", "aris-quickstart");
    assert_true (flurm_sweep_run_done (run));
    char *sum = g_build_filename (run, "summary.json", NULL);
    assert_true (g_file_set_contents (sum, "{\"name\": ", -1, NULL));
    assert_false (flurm_sweep_run_done (run));
    assert_true (g_file_set_contents (sum, "[1, 2]", -1, NULL));
    assert_false (flurm_sweep_run_done (run));
    g_free (sum);
    g_free (run);
    g_free (dir);
}

/* A folder keeps the sweep it was made for: sweep.json with another
 * trace or other options refuses the folder. */
static void test_check_dir (void **state)
{
    struct flurm_sweep *s = load_ok (KTH_POLICIES "options: [--check]\n");
    struct flurm_sweep *other = load_ok (KTH_POLICIES);
    char *dir = g_strdup (test_tmpdir ());
    flurm_error_t err;
    assert_int_equal (flurm_sweep_check_dir (s, dir, &err), 0); /* no sweep.json yet */
    char *path = g_build_filename (dir, "sweep.json", NULL);
    json_t *o = flurm_sweep_json (s, dir);
    assert_int_equal (json_integer_value (json_object_get (o, "nruns")), 3);
    assert_string_equal (json_string_value (json_object_get (
                             json_array_get (json_object_get (o, "runs"), 2), "run")),
                         "queue-policy=conservative");
    assert_int_equal (json_dump_file (o, path, 0), 0);
    json_decref (o);
    assert_int_equal (flurm_sweep_check_dir (s, dir, &err), 0);
    assert_int_equal (flurm_sweep_check_dir (other, dir, &err), -1);
    assert_non_null (strstr (err.text, "sweep.json: this folder holds a sweep of another trace "
                                       "or with other options"));
    g_free (path);
    g_free (dir);
    flurm_sweep_destroy (other);
    flurm_sweep_destroy (s);
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_bundled_expansion),
        cmocka_unit_test (test_run_args),
        cmocka_unit_test (test_values_as_run_reads_them),
        cmocka_unit_test (test_unknown_axis),
        cmocka_unit_test (test_empty_axis),
        cmocka_unit_test (test_bad_name_value),
        cmocka_unit_test (test_bad_number),
        cmocka_unit_test (test_missing_trace),
        cmocka_unit_test (test_duplicate_run),
        cmocka_unit_test (test_options_the_sweep_sets),
        cmocka_unit_test (test_file_shape),
        cmocka_unit_test (test_merge_golden_runs),
        cmocka_unit_test (test_merge_interference),
        cmocka_unit_test (test_run_done),
        cmocka_unit_test (test_check_dir),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
