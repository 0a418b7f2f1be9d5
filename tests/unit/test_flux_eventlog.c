/* tests/unit/test_flux_eventlog.c — a Flux job's eventlog and R: every job
 * recorded in flux-outputs/ must come out as Flux itself reported it in
 * `flux jobs --json` (times, result, return code, exception); then the
 * rules behind that derivation, the grant of each recorded R, and one test
 * per class of bad input. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/flux_eventlog.h"
#include "sim/rv1.h"

static const char *const jobs[] = {
    "01-completed-spread10", "02-slot20-core1",       "03-testexec-1s", "04-failed-exit1",
    "05-cancelled-running",  "06-unsatisfiable-n100", "07-timeout-2s",
};

static char *slurp_recorded (const char *job, const char *ext, size_t *len)
{
    char rel[128];
    snprintf (rel, sizeof (rel), "flux-outputs/%s.%s", job, ext);
    return test_slurp (test_data (rel), len);
}

static void parse_ok (const char *text, size_t len, struct flurm_flux_job_record *r)
{
    flurm_error_t err = {{0}};
    if (flurm_flux_eventlog_parse (text, len, "test", r, &err) < 0)
        fail_msg ("%s", err.text);
}

static void parse_recorded (const char *job, struct flurm_flux_job_record *r)
{
    size_t len;
    char *text = slurp_recorded (job, "eventlog.jsonl", &len);
    parse_ok (text, len, r);
    g_free (text);
}

static void parse_str (const char *text, struct flurm_flux_job_record *r)
{
    parse_ok (text, strlen (text), r);
}

/* A time key of `flux jobs --json`: absent means the event never came. */
static double jobs_time (const json_t *j, const char *key)
{
    const json_t *v = json_object_get (j, key);
    return v ? json_number_value (v) : -1;
}

/* The recorded jobs against what Flux derived from the same events. */
static void test_recorded_like_flux_jobs (void **state)
{
    for (size_t k = 0; k < G_N_ELEMENTS (jobs); k++) {
        struct flurm_flux_job_record r;
        parse_recorded (jobs[k], &r);
        char rel[128];
        snprintf (rel, sizeof (rel), "flux-outputs/%s.jobs.json", jobs[k]);
        json_error_t jerr;
        json_t *j = json_load_file (test_data (rel), 0, &jerr);
        if (!j)
            fail_msg ("%s: %s", rel, jerr.text);

        assert_true (r.inactive);
        /* exact: the same doubles, not close ones */
        assert_true (r.submit == jobs_time (j, "t_submit"));
        assert_true (r.alloc == jobs_time (j, "t_run"));
        assert_true (r.clean == jobs_time (j, "t_inactive"));

        char *want = g_ascii_strdown (json_string_value (json_object_get (j, "result")), -1);
        if (!strcmp (want, "canceled"))
            assert_string_equal (flurm_flux_result_str (r.result), "cancelled");
        else
            assert_string_equal (flurm_flux_result_str (r.result), want);
        g_free (want);

        assert_int_equal (r.exit_code, json_integer_value (json_object_get (j, "returncode")));
        const json_t *ws = json_object_get (j, "waitstatus");
        assert_int_equal (r.wait_status, ws ? json_integer_value (ws) : -1);

        const json_t *ex = json_object_get (j, "exception");
        if (json_is_true (json_object_get (ex, "occurred"))) {
            assert_int_equal (json_integer_value (json_object_get (ex, "severity")), 0);
            assert_non_null (r.exception_type);
            assert_string_equal (r.exception_type,
                                 json_string_value (json_object_get (ex, "type")));
            assert_non_null (r.exception_note);
            assert_string_equal (r.exception_note,
                                 json_string_value (json_object_get (ex, "note")));
        } else {
            assert_null (r.exception_type);
            assert_null (r.exception_note);
        }
        json_decref (j);
        flurm_flux_job_record_clear (&r);
    }
}

/* Every time is the first event of its name, as written in the log. */
static void test_times_are_the_events (void **state)
{
    struct flurm_flux_job_record r;
    parse_recorded ("01-completed-spread10", &r);
    assert_true (r.submit == 1795695431.2411211);
    assert_true (r.alloc == 1795695431.2739933);
    assert_true (r.start == 1795695431.2827036);
    assert_true (r.finish == 1795695431.3257928);
    assert_true (r.release == 1795695431.3293355);
    assert_true (r.clean == 1795695431.3294032);
    assert_int_equal (r.wait_status, 0);
    assert_int_equal (r.exit_code, 0);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_COMPLETED);
    flurm_flux_job_record_clear (&r);
}

static void test_outcomes (void **state)
{
    struct flurm_flux_job_record r;

    parse_recorded ("04-failed-exit1", &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    assert_int_equal (r.wait_status, 256);
    assert_int_equal (r.exit_code, 1);
    assert_null (r.exception_type);
    flurm_flux_job_record_clear (&r);

    parse_recorded ("05-cancelled-running", &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_CANCELED);
    assert_string_equal (r.exception_type, "cancel");
    assert_string_equal (r.exception_note, "");
    assert_int_equal (r.exit_code, 143);
    assert_true (r.start > 0 && r.finish > r.start);
    flurm_flux_job_record_clear (&r);

    /* refused by Fluxion: never allocated, never started, never finished */
    parse_recorded ("06-unsatisfiable-n100", &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    assert_string_equal (flurm_flux_result_str (r.result), "failed");
    assert_string_equal (r.exception_type, "alloc");
    assert_string_equal (r.exception_note, "alloc denied due to type=\"unsatisfiable\"");
    assert_true (r.alloc < 0 && r.start < 0 && r.finish < 0 && r.release < 0);
    assert_true (r.submit > 0 && r.clean > r.submit);
    assert_int_equal (r.wait_status, -1);
    assert_int_equal (r.exit_code, 1);
    flurm_flux_job_record_clear (&r);

    parse_recorded ("07-timeout-2s", &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_TIMEOUT);
    assert_string_equal (r.exception_type, "timeout");
    assert_string_equal (r.exception_note, "resource allocation expired");
    assert_int_equal (r.exit_code, 142);
    flurm_flux_job_record_clear (&r);

    /* clearing twice is harmless */
    flurm_flux_job_record_clear (&r);
    assert_null (r.exception_type);
    assert_true (r.submit < 0);
}

static void test_result_strings (void **state)
{
    assert_string_equal (flurm_flux_result_str (FLURM_FLUX_RESULT_PENDING), "pending");
    assert_string_equal (flurm_flux_result_str (FLURM_FLUX_RESULT_COMPLETED), "completed");
    assert_string_equal (flurm_flux_result_str (FLURM_FLUX_RESULT_FAILED), "failed");
    assert_string_equal (flurm_flux_result_str (FLURM_FLUX_RESULT_CANCELED), "cancelled");
    assert_string_equal (flurm_flux_result_str (FLURM_FLUX_RESULT_TIMEOUT), "timeout");
}

/* The first n lines of a recorded log: the job as a live watcher sees it
 * while it is still active. */
static char *first_lines (const char *job, int n, size_t *len)
{
    char *text = slurp_recorded (job, "eventlog.jsonl", len);
    char *p = text;
    for (int i = 0; i < n && p; i++) {
        p = strchr (p, '\n');
        if (p)
            p++;
    }
    assert_non_null (p);
    *p = '\0';
    *len = (size_t)(p - text);
    return text;
}

static void test_active_job_is_pending (void **state)
{
    struct flurm_flux_job_record r;
    size_t len;

    /* 05 up to "start": running */
    char *text = first_lines ("05-cancelled-running", 6, &len);
    parse_ok (text, len, &r);
    g_free (text);
    assert_false (r.inactive);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_PENDING);
    assert_true (r.alloc == 1795695433.0453849);
    assert_true (r.start == 1795695433.0566199);
    assert_true (r.finish < 0 && r.clean < 0);
    assert_int_equal (r.exit_code, -1);
    assert_int_equal (r.wait_status, -1);
    flurm_flux_job_record_clear (&r);

    /* up to "finish": cancelled, status known, result not final yet */
    text = first_lines ("05-cancelled-running", 8, &len);
    parse_ok (text, len, &r);
    g_free (text);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_PENDING);
    assert_string_equal (r.exception_type, "cancel");
    assert_int_equal (r.wait_status, 36608);
    assert_int_equal (r.exit_code, -1);
    flurm_flux_job_record_clear (&r);
}

/* Events this reader does not know (Flux keeps adding them), blank lines
 * and CRLF line ends do not change the record. */
static void test_unknown_events_and_blank_lines (void **state)
{
    struct flurm_flux_job_record a, b;
    parse_recorded ("04-failed-exit1", &a);
    size_t len;
    char *text = slurp_recorded ("04-failed-exit1", "eventlog.jsonl", &len);
    char **lines = g_strsplit (text, "\n", -1);
    GString *s = g_string_new (NULL);
    for (size_t i = 0; lines[i]; i++) {
        if (!*lines[i])
            continue;
        g_string_append_printf (s, "%s\r\n\n", lines[i]);
        if (i == 5) /* after start, at the same time */
            g_string_append (s, "{\"timestamp\":1795695432.8325758,\"name\":\"memo\","
                                "\"context\":{\"x\":1}}\n"
                                "{\"timestamp\":1795695432.84,\"name\":\"prolog-finish\"}\n");
    }
    parse_ok (s->str, s->len, &b);
    assert_int_equal (a.result, b.result);
    assert_int_equal (a.exit_code, b.exit_code);
    assert_true (a.start == b.start && a.finish == b.finish && a.clean == b.clean);
    g_string_free (s, TRUE);
    g_strfreev (lines);
    g_free (text);
    flurm_flux_job_record_clear (&a);
    flurm_flux_job_record_clear (&b);
}

#define SUBMIT "{\"timestamp\":10,\"name\":\"submit\",\"context\":{\"userid\":0}}\n"
#define ALLOC  "{\"timestamp\":11,\"name\":\"alloc\"}\n{\"timestamp\":12,\"name\":\"start\"}\n"
#define CLEAN  "{\"timestamp\":30,\"name\":\"clean\"}\n"
#define EXC(t, type, sev)                                                                          \
    "{\"timestamp\":" #t ",\"name\":\"exception\",\"context\":{\"type\":\"" type                   \
    "\",\"severity\":" #sev ",\"note\":\"n\"}}\n"
#define FINISH(t, status)                                                                          \
    "{\"timestamp\":" #t ",\"name\":\"finish\",\"context\":{\"status\":" #status "}}\n"

/* flux-core's rules (job-list's result, flux run's exit code) on the cases
 * the recordings do not cover. */
static void test_flux_rules (void **state)
{
    struct flurm_flux_job_record r;

    /* the shell itself killed by SIGKILL: 128 + 9 */
    parse_str (SUBMIT ALLOC FINISH (20, 9) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    assert_int_equal (r.exit_code, 137);
    flurm_flux_job_record_clear (&r);

    /* a task killed by SIGKILL: the shell exits 137 */
    parse_str (SUBMIT ALLOC FINISH (20, 35072) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    assert_int_equal (r.exit_code, 137);
    flurm_flux_job_record_clear (&r);

    /* a fatal exception before a clean exit: no success, exit code 1 */
    parse_str (SUBMIT ALLOC EXC (15, "exec", 0) FINISH (20, 0) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    assert_string_equal (r.exception_type, "exec");
    assert_int_equal (r.exit_code, 1);
    flurm_flux_job_record_clear (&r);

    /* a non-fatal exception is not reported and does not spoil a success */
    parse_str (SUBMIT ALLOC EXC (15, "cancel", 1) FINISH (20, 0) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_COMPLETED);
    assert_null (r.exception_type);
    assert_int_equal (r.exit_code, 0);
    flurm_flux_job_record_clear (&r);

    /* ... but, as in job-list, it names the result of a job that failed */
    parse_str (SUBMIT ALLOC EXC (15, "timeout", 2) FINISH (20, 256) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_TIMEOUT);
    assert_null (r.exception_type);
    assert_int_equal (r.exit_code, 1);
    flurm_flux_job_record_clear (&r);

    /* the first fatal exception is the one reported; the most severe one
     * decides the result */
    parse_str (SUBMIT ALLOC EXC (13, "timeout", 3) EXC (14, "cancel", 0) EXC (15, "exec", 0)
                   FINISH (20, 36608) CLEAN,
               &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_CANCELED);
    assert_string_equal (r.exception_type, "cancel");
    assert_string_equal (r.exception_note, "n");
    assert_int_equal (r.exit_code, 143);
    flurm_flux_job_record_clear (&r);

    /* cancelled while pending */
    parse_str (SUBMIT EXC (15, "cancel", 0) CLEAN, &r);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_CANCELED);
    assert_int_equal (r.exit_code, 1);
    assert_true (r.alloc < 0);
    flurm_flux_job_record_clear (&r);

    /* an exception without a note; the first event of a name counts;
     * equal times are in order */
    parse_str (SUBMIT "{\"timestamp\":10,\"name\":\"exception\",\"context\":{\"type\":\"x\","
                      "\"severity\":0}}\n" FINISH (20, 0) FINISH (21, 256) CLEAN,
               &r);
    assert_string_equal (r.exception_type, "x");
    assert_null (r.exception_note);
    assert_true (r.finish == 20);
    assert_int_equal (r.wait_status, 0);
    assert_int_equal (r.result, FLURM_FLUX_RESULT_FAILED);
    flurm_flux_job_record_clear (&r);
}

/* ---- bad eventlogs: one test per class --------------------------------- */

/* Parsing fails, *out is empty, and the message starts with "bad:LINE"
 * and says `what`. */
static void expect_bad (const char *text, size_t len, const char *where, const char *what)
{
    flurm_error_t err = {{0}};
    struct flurm_flux_job_record r;
    assert_int_equal (flurm_flux_eventlog_parse (text, len, "bad", &r, &err), -1);
    assert_null (r.exception_type);
    assert_true (r.submit < 0);
    if (strncmp (err.text, where, strlen (where)) != 0 || !strstr (err.text, what))
        fail_msg ("expected \"%s ... %s\", got \"%s\"", where, what, err.text);
}

static void bad_str (const char *text, const char *where, const char *what)
{
    expect_bad (text, strlen (text), where, what);
}

static void test_bad_json (void **state)
{
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"alloc\"\n", "bad:2:", "not JSON");
    bad_str (SUBMIT "alloc 11\n", "bad:2:", "not JSON");
    /* NaN and infinities are not JSON */
    bad_str (SUBMIT "{\"timestamp\":NaN,\"name\":\"alloc\"}\n", "bad:2:", "not JSON");
    bad_str (SUBMIT "{\"timestamp\":1e999,\"name\":\"alloc\"}\n", "bad:2:", "not JSON");
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"alloc\",\"name\":\"start\"}\n",
             "bad:2:", "duplicate");
    /* a NUL byte inside a line */
    static const char nul[] = SUBMIT "{\"timestamp\":11,\0\"name\":\"alloc\"}\n";
    expect_bad (nul, sizeof (nul) - 1, "bad:2:", "not JSON");
}

static void test_bad_not_object (void **state)
{
    bad_str (SUBMIT "[11, \"alloc\"]\n", "bad:2:", "must be a JSON object");
    bad_str ("\n\n\"submit\"\n", "bad:3:", "must be a JSON object");
}

static void test_bad_name (void **state)
{
    bad_str (SUBMIT "{\"timestamp\":11}\n", "bad:2:", "has no name");
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"\"}\n", "bad:2:", "non-empty string");
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":7}\n", "bad:2:", "non-empty string");
}

static void test_bad_timestamp (void **state)
{
    bad_str (SUBMIT "{\"name\":\"alloc\"}\n", "bad:2:", "\"alloc\" has no timestamp");
    bad_str (SUBMIT "{\"timestamp\":\"11\",\"name\":\"alloc\"}\n",
             "bad:2:", "timestamp: must be a number");
    bad_str ("{\"timestamp\":-1,\"name\":\"submit\"}\n", "bad:1:", "not a time");
    bad_str (SUBMIT "{\"timestamp\":1e12,\"name\":\"alloc\"}\n", "bad:2:", "absurd");
}

static void test_bad_context (void **state)
{
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"alloc\",\"context\":[]}\n",
             "bad:2:", "context must be an object");
}

static void test_bad_order (void **state)
{
    /* the recorded 01 with its alloc and start swapped */
    size_t len;
    char *text = slurp_recorded ("01-completed-spread10", "eventlog.jsonl", &len);
    char **l = g_strsplit (text, "\n", -1);
    char *tmp = l[4];
    l[4] = l[5];
    l[5] = tmp;
    char *swapped = g_strjoinv ("\n", l);
    bad_str (swapped, "bad:6:",
             "\"alloc\" at 1795695431.2739933 is earlier than the event "
             "before it (1795695431.2827036)");
    g_free (swapped);
    g_strfreev (l);
    g_free (text);
}

static void test_bad_first_event (void **state)
{
    bad_str (ALLOC CLEAN, "bad:1:", "the first event is \"alloc\", not \"submit\"");
}

static void test_bad_after_clean (void **state)
{
    /* two recorded logs pasted together */
    size_t len1, len2;
    char *a = slurp_recorded ("01-completed-spread10", "eventlog.jsonl", &len1);
    char *b = slurp_recorded ("02-slot20-core1", "eventlog.jsonl", &len2);
    char *both = g_strconcat (a, b, NULL);
    bad_str (both, "bad:11:", "event \"submit\" after \"clean\"");
    g_free (both);
    g_free (a);
    g_free (b);
}

static void test_bad_finish (void **state)
{
    bad_str (SUBMIT ALLOC "{\"timestamp\":20,\"name\":\"finish\"}\n",
             "bad:4:", "context.status must be an integer");
    bad_str (SUBMIT ALLOC FINISH (20, 1.5), "bad:4:", "context.status must be an integer");
    bad_str (SUBMIT ALLOC FINISH (20, -1), "bad:4:", "-1 is not the wait status");
    bad_str (SUBMIT ALLOC FINISH (20, 65536), "bad:4:", "65536 is not the wait status");
    /* WIFSTOPPED: a stopped process has not ended */
    bad_str (SUBMIT ALLOC FINISH (20, 4991), "bad:4:", "4991 is not the wait status");
}

static void test_bad_exception (void **state)
{
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"exception\"}\n",
             "bad:2:", "context.type must be a non-empty string");
    bad_str (SUBMIT EXC (11, "", 0), "bad:2:", "context.type must be a non-empty string");
    bad_str (SUBMIT EXC (11, "cancel", 8), "bad:2:", "context.severity must be an integer 0..7");
    bad_str (SUBMIT EXC (11, "cancel", -1), "bad:2:", "context.severity must be an integer");
    bad_str (SUBMIT "{\"timestamp\":11,\"name\":\"exception\",\"context\":{\"type\":\"cancel\","
                    "\"severity\":0,\"note\":5}}\n",
             "bad:2:", "context.note must be a string");
}

static void test_bad_empty (void **state)
{
    bad_str ("", "bad: ", "no events");
    bad_str ("\n \n\t\r\n", "bad: ", "no events");
    expect_bad (NULL, 0, "bad: ", "no events");
}

/* A failure after a fatal exception was read frees it (the sanitizer's
 * leak check is the assertion). */
static void test_bad_after_exception (void **state)
{
    bad_str (SUBMIT EXC (11, "cancel", 0) "{\"timestamp\":5,\"name\":\"clean\"}\n",
             "bad:3:", "earlier");
}

/* ---- grants ------------------------------------------------------------- */

static void grant_recorded (const char *file, struct flurm_flux_grant *g)
{
    size_t len;
    char *text = test_slurp (test_data (file), &len);
    flurm_error_t err = {{0}};
    if (flurm_flux_grant_parse (text, len, file, g, &err) < 0)
        fail_msg ("%s", err.text);
    g_free (text);
}

static void test_grant_01 (void **state)
{
    struct flurm_flux_grant g;
    grant_recorded ("flux-outputs/01-completed-spread10.R.json", &g);
    assert_string_equal (g.nodes, "aris0");
    assert_int_equal (g.nnodes, 1);
    assert_int_equal (g.ncores, 10);
    assert_string_equal (g.cores, "aris0:0-4,10-14");
    flurm_flux_grant_clear (&g);
    flurm_flux_grant_clear (&g);
    assert_null (g.nodes);
}

/* Every recorded job's R against `flux jobs`' own nodelist, nnodes and
 * ncores. */
static void test_grant_recorded_like_flux_jobs (void **state)
{
    int seen = 0;
    for (size_t k = 0; k < G_N_ELEMENTS (jobs); k++) {
        char rel[128];
        snprintf (rel, sizeof (rel), "flux-outputs/%s.R.json", jobs[k]);
        if (!g_file_test (test_data (rel), G_FILE_TEST_EXISTS))
            continue; /* 06 was never allocated */
        struct flurm_flux_grant g;
        grant_recorded (rel, &g);
        snprintf (rel, sizeof (rel), "flux-outputs/%s.jobs.json", jobs[k]);
        json_t *j = json_load_file (test_data (rel), 0, NULL);
        assert_non_null (j);
        assert_string_equal (g.nodes, json_string_value (json_object_get (j, "nodelist")));
        assert_int_equal (g.nnodes, json_integer_value (json_object_get (j, "nnodes")));
        assert_int_equal (g.ncores, json_integer_value (json_object_get (j, "ncores")));
        json_decref (j);
        flurm_flux_grant_clear (&g);
        seen++;
    }
    assert_int_equal (seen, 6);

    struct flurm_flux_grant g;
    grant_recorded ("flux-outputs/02-slot20-core1.R.json", &g);
    assert_string_equal (g.cores, "aris0:0-19");
    flurm_flux_grant_clear (&g);
}

/* Several hosts: the whole instance's R. */
static void test_grant_hosts (void **state)
{
    struct flurm_flux_grant g;
    grant_recorded ("flux-outputs/resource-R.json", &g);
    assert_string_equal (g.nodes, "aris[0-3]");
    assert_int_equal (g.nnodes, 4);
    assert_int_equal (g.ncores, 80);
    assert_string_equal (g.cores, "aris0:0-19 aris1:0-19 aris2:0-19 aris3:0-19");
    flurm_flux_grant_clear (&g);

    /* R's order is rank order, whatever the host names */
    const char *R = "{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"1\",\"children\":"
                    "{\"core\":\"0-4\"}},{\"rank\":\"0\",\"children\":{\"core\":\"10-14,3\"}}],"
                    "\"nodelist\":[\"aris7,aris2\"]}}";
    flurm_error_t err = {{0}};
    assert_int_equal (flurm_flux_grant_parse (R, strlen (R), "R", &g, &err), 0);
    assert_string_equal (g.nodes, "aris[7,2]");
    assert_string_equal (g.cores, "aris7:3,10-14 aris2:0-4");
    assert_int_equal (g.ncores, 11);
    flurm_flux_grant_clear (&g);
}

static void bad_grant (const char *text, size_t len, const char *where, const char *what)
{
    flurm_error_t err = {{0}};
    struct flurm_flux_grant g;
    assert_int_equal (flurm_flux_grant_parse (text, len, "r.json", &g, &err), -1);
    assert_null (g.nodes);
    assert_null (g.cores);
    if (strncmp (err.text, where, strlen (where)) != 0 || !strstr (err.text, what))
        fail_msg ("expected \"%s ... %s\", got \"%s\"", where, what, err.text);
}

static void test_bad_grant (void **state)
{
    /* job 06 has no R: `flux job info` printed nothing on stdout */
    bad_grant ("", 0, "r.json:1:", "not JSON");
    const char *cut = "{\"version\":1,\n\"execution\":}";
    bad_grant (cut, strlen (cut), "r.json:2:", "not JSON");
    const char *v2 = "{\"version\":2,\"execution\":{}}";
    bad_grant (v2, strlen (v2), "r.json: ", "must be 1");
    const char *nohosts = "{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0-1\","
                          "\"children\":{\"core\":\"0\"}}]}}";
    bad_grant (nohosts, strlen (nohosts), "r.json: ", "R names no hosts");
    const char *badset = "{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0\","
                         "\"children\":{\"core\":\"3-1\"}}],\"nodelist\":[\"aris0\"]}}";
    bad_grant (badset, strlen (badset), "r.json: ", "3-1");
    /* refused on its size alone, before a byte is read */
    bad_grant ("{}", (size_t)FLURM_RV1_MAX_BYTES + 1, "r.json: ", "too large");
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_recorded_like_flux_jobs),
        cmocka_unit_test (test_times_are_the_events),
        cmocka_unit_test (test_outcomes),
        cmocka_unit_test (test_result_strings),
        cmocka_unit_test (test_active_job_is_pending),
        cmocka_unit_test (test_unknown_events_and_blank_lines),
        cmocka_unit_test (test_flux_rules),
        cmocka_unit_test (test_bad_json),
        cmocka_unit_test (test_bad_not_object),
        cmocka_unit_test (test_bad_name),
        cmocka_unit_test (test_bad_timestamp),
        cmocka_unit_test (test_bad_context),
        cmocka_unit_test (test_bad_order),
        cmocka_unit_test (test_bad_first_event),
        cmocka_unit_test (test_bad_after_clean),
        cmocka_unit_test (test_bad_finish),
        cmocka_unit_test (test_bad_exception),
        cmocka_unit_test (test_bad_empty),
        cmocka_unit_test (test_bad_after_exception),
        cmocka_unit_test (test_grant_01),
        cmocka_unit_test (test_grant_recorded_like_flux_jobs),
        cmocka_unit_test (test_grant_hosts),
        cmocka_unit_test (test_bad_grant),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
