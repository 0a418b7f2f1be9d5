/* sim/import_flux.c — `flux jobs --json` into a job table; see import_flux.h.
 *
 * The format is the job-list service's view of each job, written by
 * flux-core's Python JobInfo.to_dict(): a key is present only once its
 * value is known, so an absent key means "unknown", never zero, and a
 * job's outcome is read from "result" (the RFC 21 result of an inactive
 * job), not from "success" or "status", which are derived from it.
 *
 * Invariants: the table has one job per JOB object, in file order (newest
 * first, as flux prints it), whatever is wrong with the job; errors are
 * only for text that is not this format (wrong shapes, types or values),
 * and then nothing is returned.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/import_flux.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"

/* Beyond year 5138: a time this large is corrupt, not late. */
#define MAX_SECONDS 1e11

/* The classes of marked records, counted into the run's notes. */
enum mark { MARK_NEVER_STARTED, MARK_UNFINISHED, MARK_SKEW, MARK_UNKNOWN, NMARKS };

static const char *const mark_notes[NMARKS] = {
    [MARK_NEVER_STARTED] = "never started (no t_run): kept, marked never-started",
    [MARK_UNFINISHED] = "still pending or running when listed: kept, marked unfinished",
    [MARK_SKEW] = "end before they start (clock skew): kept, runtime unknown",
    [MARK_UNKNOWN] = "have no result this reader knows: kept, marked unknown",
};

/* Where a job's keys are named in messages: "jobs[3]." or "" when the
 * file is one job object. */
struct at {
    const char *path;
    char prefix[32];
};

static int bad (flurm_error_t *err, const struct at *at, const char *key, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

static int bad (flurm_error_t *err, const struct at *at, const char *key, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_error_set (err, "%s: %s%s: %s", at->path, at->prefix, key, msg);
}

static const char *json_kind (const json_t *j)
{
    switch (json_typeof (j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* An epoch time, or -1 when the key is absent (not known yet). */
static int get_time (json_t *job, const char *key, const struct at *at, double *out,
                     flurm_error_t *err)
{
    json_t *v = json_object_get (job, key);
    *out = -1;
    if (!v || json_is_null (v))
        return 0;
    if (!json_is_number (v))
        return bad (err, at, key, "must be a number of seconds, not %s", json_kind (v));
    double t = json_number_value (v);
    if (!isfinite (t) || t < 0 || t > MAX_SECONDS)
        return bad (err, at, key, "%g is not a time (0 .. 1e11 s since the epoch)", t);
    *out = t;
    return 0;
}

/* A count of cores, nodes or tasks, or -1 when absent. */
static int get_count (json_t *job, const char *key, const struct at *at, int64_t *out,
                      flurm_error_t *err)
{
    json_t *v = json_object_get (job, key);
    *out = -1;
    if (!v || json_is_null (v))
        return 0;
    if (!json_is_integer (v))
        return bad (err, at, key, "must be an integer, not %s", json_kind (v));
    json_int_t n = json_integer_value (v);
    if (n < 0 || n > INT32_MAX)
        return bad (err, at, key, "%" JSON_INTEGER_FORMAT " is not a count (0 .. %d)", n,
                    INT32_MAX);
    *out = n;
    return 0;
}

/* A string (borrowed from the JSON), or NULL when absent. */
static int get_string (json_t *job, const char *key, const struct at *at, const char **out,
                       flurm_error_t *err)
{
    json_t *v = json_object_get (job, key);
    *out = NULL;
    if (!v || json_is_null (v))
        return 0;
    if (!json_is_string (v))
        return bad (err, at, key, "must be a string, not %s", json_kind (v));
    *out = json_string_value (v);
    return 0;
}

/* "id" as flux-core writes it (an integer), or a string id some tools
 * write instead (F58 or decimal), or else the F58 "jobid". */
static char *get_id (json_t *job, const struct at *at, flurm_error_t *err)
{
    json_t *id = json_object_get (job, "id");
    if (json_is_integer (id)) {
        if (json_integer_value (id) < 0) {
            bad (err, at, "id", "%" JSON_INTEGER_FORMAT " is negative", json_integer_value (id));
            return NULL;
        }
        return g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (id));
    }
    if (id && !json_is_string (id)) {
        bad (err, at, "id", "must be an integer or a string, not %s", json_kind (id));
        return NULL;
    }
    const char *key = id ? "id" : "jobid";
    const char *s = NULL;
    if (get_string (job, key, at, &s, err) < 0)
        return NULL;
    if (!s || !*s) {
        bad (err, at, key, s ? "is empty" : "missing: a job needs an id (or jobid)");
        return NULL;
    }
    return g_strdup (s);
}

/* The table's state for the job-list state and result; sets *mark to the
 * class of a marked record (NMARKS: none) and adds to `note` why. */
static const char *job_state (const char *state, const char *result, bool ran, json_t *exception,
                              GString *note, enum mark *mark)
{
    static const struct {
        const char *result, *state;
    } results[] = {
        {"COMPLETED", "completed"},
        {"FAILED", "failed"},
        {"CANCELED", "cancelled"},
        {"TIMEOUT", "timeout"},
    };
    *mark = NMARKS;
    if (!result && state && strcmp (state, "INACTIVE") != 0) {
        *mark = MARK_UNFINISHED;
        g_string_append_printf (note, "still %s when listed", FLURM_ESCAPED (state));
        return "unfinished";
    }
    if (!ran) {
        /* why it never ran is in the exception ("alloc": unsatisfiable);
         * input quoted escaped, so that a note stays one line */
        const char *type = json_string_value (json_object_get (exception, "type"));
        const char *text = json_string_value (json_object_get (exception, "note"));
        *mark = MARK_NEVER_STARTED;
        g_string_append_printf (note, "never started: %s",
                                result ? FLURM_ESCAPED (result) : "no result");
        if (type)
            g_string_append_printf (note, " (exception %s%s%s)", FLURM_ESCAPED (type),
                                    text && *text ? ": " : "", FLURM_ESCAPED (text ? text : ""));
        return "never-started";
    }
    for (size_t i = 0; result && i < G_N_ELEMENTS (results); i++) {
        if (!strcmp (result, results[i].result))
            return results[i].state;
    }
    *mark = MARK_UNKNOWN;
    if (result)
        g_string_append_printf (note, "unknown result %s", FLURM_QUOTED (result));
    else
        g_string_append (note, "inactive without a result");
    return "unknown";
}

static int import_job (json_t *job, const struct at *at, struct flurm_run *r, size_t counts[NMARKS],
                       flurm_error_t *err)
{
    if (!json_is_object (job))
        return flurm_error_set (err, "%s: %.*s: must be a job object, not %s", at->path,
                                (int)strlen (at->prefix) - 1, at->prefix, json_kind (job));
    struct flurm_run_job j = {.source = (char *)at->path};
    const char *name, *queue, *nodes, *state, *result;
    double cleanup, inactive;
    if (get_time (job, "t_submit", at, &j.submit, err) < 0 ||
        get_time (job, "t_run", at, &j.start, err) < 0 ||
        get_time (job, "t_cleanup", at, &cleanup, err) < 0 ||
        get_time (job, "t_inactive", at, &inactive, err) < 0 ||
        get_count (job, "ncores", at, &j.ncores, err) < 0 ||
        get_count (job, "nnodes", at, &j.nnodes, err) < 0 ||
        get_count (job, "ntasks", at, &j.ntasks, err) < 0 ||
        get_string (job, "name", at, &name, err) < 0 ||
        get_string (job, "queue", at, &queue, err) < 0 ||
        get_string (job, "nodelist", at, &nodes, err) < 0 ||
        get_string (job, "state", at, &state, err) < 0 ||
        get_string (job, "result", at, &result, err) < 0)
        return -1;
    /* Flux records the submission before anything else, so t_run without
     * t_submit is not a listing Flux printed; and a jobs.csv row that
     * started without a submission time does not read back (jobscsv.c). */
    if (j.start >= 0 && j.submit < 0)
        return bad (err, at, "t_submit", "missing, but the job has a t_run");
    char *id = get_id (job, at, err);
    if (!id)
        return -1;
    /* t_cleanup is when the job's resources start to be released: the end
     * of its run as the scheduler sees it; t_inactive comes after the
     * epilog. */
    j.end = cleanup >= 0 ? cleanup : inactive;
    j.runtime = j.start >= 0 && j.end >= 0 ? j.end - j.start : -1;

    GString *note = g_string_new (NULL);
    enum mark mark;
    const char *st =
        job_state (state, result, j.start >= 0, json_object_get (job, "exception"), note, &mark);
    if (mark != NMARKS)
        counts[mark]++;
    if (j.start >= 0 && j.end >= 0 && j.end < j.start) {
        counts[MARK_SKEW]++;
        g_string_append_printf (note, "%sclock skew: ends %.3f s before it starts",
                                note->len ? "; " : "", j.start - j.end);
        j.runtime = -1;
    }
    j.id = id;
    j.name = (char *)name;
    j.queue = (char *)queue;
    j.nodes = (char *)nodes;
    j.state = (char *)st;
    j.note = note->len ? note->str : NULL;
    flurm_run_add (r, &j);
    g_string_free (note, TRUE);
    g_free (id);
    return 0;
}

struct flurm_run *flurm_import_flux_jobs (const char *path, flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (path, FLURM_IMPORT_FLUX_MAX_BYTES, &len, err);
    if (!text)
        return NULL;
    const char *source = strcmp (path, "-") ? path : "<stdin>";
    json_t *doc = flurm_json_parse (text, len, JSON_REJECT_DUPLICATES, source, "not JSON", err);
    g_free (text);
    if (!doc)
        return NULL;

    /* {"jobs": [...]} from `flux jobs --json`, or one job from
     * `flux jobs --json ID` */
    json_t *jobs = json_object_get (doc, "jobs");
    bool single = json_is_object (doc) && !jobs &&
                  (json_object_get (doc, "id") || json_object_get (doc, "jobid"));
    if (!single && !json_is_array (jobs)) {
        flurm_error_set (err,
                         "%s: not `flux jobs --json` output: expected {\"jobs\": [...]} "
                         "or one job object with an id, got %s%s",
                         source, json_is_object (doc) && jobs ? "\"jobs\" as " : "",
                         json_kind (jobs ? jobs : doc));
        json_decref (doc);
        return NULL;
    }

    char *name = flurm_run_name_from_path (path);
    struct flurm_run *r = flurm_run_create (name, "flux-jobs", "epoch");
    g_free (name);
    size_t counts[NMARKS] = {0};
    struct at at = {.path = source};
    size_t n = single ? 1 : json_array_size (jobs);
    for (size_t i = 0; i < n; i++) {
        if (!single)
            snprintf (at.prefix, sizeof (at.prefix), "jobs[%zu].", i);
        if (import_job (single ? doc : json_array_get (jobs, i), &at, r, counts, err) < 0) {
            flurm_run_destroy (r);
            json_decref (doc);
            return NULL;
        }
    }
    for (int m = 0; m < NMARKS; m++) {
        if (counts[m])
            flurm_run_note (r, "%zu of %zu jobs %s", counts[m], r->njobs, mark_notes[m]);
    }
    json_decref (doc);
    return r;
}
