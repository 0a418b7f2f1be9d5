/* sim/flux_eventlog.c — a Flux job's eventlog and R, summarised; see
 * flux_eventlog.h.
 *
 * The result follows flux-core 0.88's job-list service (the source of
 * `flux jobs`, src/modules/job-list/job_state.c), rule for rule, so that
 * live mode never disagrees with what Flux itself reports:
 *   - of all exceptions it keeps the most severe one (lowest severity), the
 *     first at that severity;
 *   - at "finish" the job is a success when the status is 0 and no fatal
 *     exception came before it;
 *   - once inactive: a success is COMPLETED; otherwise the kept exception
 *     decides, type "cancel" CANCELED, "timeout" TIMEOUT, anything else
 *     (or no exception at all: a non-zero exit) FAILED.
 * So a job Fluxion refuses as unsatisfiable (exception "alloc", never
 * allocated) is FAILED, and a job whose time limit expires is TIMEOUT even
 * though its shells exit with status 142.  The kept exception may be a
 * non-fatal one when no fatal one came: Flux lets it name the result of a
 * job that failed on its own, and so do we, although the record reports
 * only fatal exceptions.
 *
 * The exit code follows `flux run` (src/cmd/job/attach.c and
 * flux_job_waitstatus_to_exitcode): 1 until a finish event says otherwise,
 * the shells' exit code or 128 + signal from the finish status, and 1 if
 * that is 0 but a fatal exception was raised.
 *
 * Invariants: *out is written only when the whole text is good, so a
 * caller never sees half a record; event times are kept as the doubles
 * jansson read, never rounded, so they compare equal to `flux jobs`.
 */
#include "sim/flux_eventlog.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <jansson.h>

#include "sim/hostlist.h"
#include "sim/idset.h"
#include "sim/jsonutil.h"
#include "sim/rv1.h"
#include "sim/workload.h"

/* RFC 21: severity 0 is fatal, 7 the least severe. */
#define SEVERITY_MAX 7

/* A wait(2) status fits in 16 bits. */
#define WAIT_STATUS_MAX 0xffff

const char *flurm_flux_result_str (enum flurm_flux_result r)
{
    switch (r) {
    case FLURM_FLUX_RESULT_PENDING:
        return "pending";
    case FLURM_FLUX_RESULT_COMPLETED:
        return "completed";
    case FLURM_FLUX_RESULT_FAILED:
        return "failed";
    case FLURM_FLUX_RESULT_CANCELED:
        return "cancelled";
    case FLURM_FLUX_RESULT_TIMEOUT:
        return "timeout";
    }
    return "unknown";
}

void flurm_flux_job_record_clear (struct flurm_flux_job_record *r)
{
    g_free (r->exception_type);
    g_free (r->exception_note);
    *r = (struct flurm_flux_job_record){
        .submit = -1,
        .alloc = -1,
        .start = -1,
        .finish = -1,
        .release = -1,
        .clean = -1,
        .wait_status = -1,
        .exit_code = -1,
        .result = FLURM_FLUX_RESULT_PENDING,
    };
}

/* ---- eventlog ---------------------------------------------------------- */

/* What is known while the events are read, beyond the record itself: the
 * parts of job-list's state the result and exit code are derived from. */
struct reader {
    const char *source;
    int line;                 /* of the event being read, from 1 */
    char at[FLURM_ERROR_MAX]; /* "SOURCE:LINE", for flurm_json_seconds */
    struct flurm_flux_job_record rec;
    int nevents;
    double last;                        /* time of the event before */
    int kept_severity;                  /* of the kept exception; -1 none yet */
    enum flurm_flux_result kept_result; /* what it makes of a failed job */
    bool fatal;                         /* a severity 0 exception was seen */
    bool success;                       /* finish with status 0, no fatal before */
};

static int bad (struct reader *rd, flurm_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* "SOURCE:LINE: message" */
static int bad (struct reader *rd, flurm_error_t *err, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_error_at (err, rd->source, rd->line, 0, "%s", msg);
}

/* The record's slot for the time of an event, NULL for events without
 * one. */
static double *time_slot (struct flurm_flux_job_record *r, const char *name)
{
    const struct {
        const char *name;
        double *slot;
    } slots[] = {
        {"submit", &r->submit}, {"alloc", &r->alloc},     {"start", &r->start},
        {"finish", &r->finish}, {"release", &r->release}, {"clean", &r->clean},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (slots); i++)
        if (!strcmp (name, slots[i].name))
            return slots[i].slot;
    return NULL;
}

static int read_finish (struct reader *rd, const json_t *context, flurm_error_t *err)
{
    const json_t *v = context ? json_object_get (context, "status") : NULL;
    if (!json_is_integer (v))
        return bad (rd, err, "finish: context.status must be an integer (a wait status)");
    json_int_t status = json_integer_value (v);
    if (status < 0 || status > WAIT_STATUS_MAX ||
        !(WIFEXITED ((int)status) || WIFSIGNALED ((int)status)))
        return bad (rd, err,
                    "finish: context.status %lld is not the wait status of an ended process",
                    (long long)status);
    if (rd->rec.wait_status < 0) {
        rd->rec.wait_status = (int)status;
        rd->success = status == 0 && !rd->fatal;
    }
    return 0;
}

static int read_exception (struct reader *rd, const json_t *context, flurm_error_t *err)
{
    const json_t *type = context ? json_object_get (context, "type") : NULL;
    const json_t *severity = context ? json_object_get (context, "severity") : NULL;
    const json_t *note = context ? json_object_get (context, "note") : NULL;
    if (!json_is_string (type) || json_string_length (type) == 0)
        return bad (rd, err, "exception: context.type must be a non-empty string");
    if (!json_is_integer (severity) || json_integer_value (severity) < 0 ||
        json_integer_value (severity) > SEVERITY_MAX)
        return bad (rd, err, "exception: context.severity must be an integer 0..%d", SEVERITY_MAX);
    if (note && !json_is_string (note))
        return bad (rd, err, "exception: context.note must be a string");
    int sev = (int)json_integer_value (severity);
    const char *t = json_string_value (type);
    if (rd->kept_severity < 0 || sev < rd->kept_severity) {
        rd->kept_severity = sev;
        rd->kept_result = !strcmp (t, "cancel")    ? FLURM_FLUX_RESULT_CANCELED
                          : !strcmp (t, "timeout") ? FLURM_FLUX_RESULT_TIMEOUT
                                                   : FLURM_FLUX_RESULT_FAILED;
    }
    if (sev == 0 && !rd->fatal) {
        rd->fatal = true;
        rd->rec.exception_type = g_strdup (t);
        rd->rec.exception_note = note ? g_strdup (json_string_value (note)) : NULL;
    }
    return 0;
}

static int read_event (struct reader *rd, const json_t *ev, flurm_error_t *err)
{
    if (!json_is_object (ev))
        return bad (rd, err, "an event must be a JSON object");
    const json_t *name = json_object_get (ev, "name");
    if (!name)
        return bad (rd, err, "the event has no name");
    if (!json_is_string (name) || json_string_length (name) == 0)
        return bad (rd, err, "the event name must be a non-empty string");
    const char *n = json_string_value (name);
    const json_t *ts = json_object_get (ev, "timestamp");
    if (!ts)
        return bad (rd, err, "event %s has no timestamp", FLURM_QUOTED (n));
    double t;
    if (flurm_json_seconds (ts, FLURM_WORKLOAD_MAX_TIME, rd->at, "event", "timestamp", &t, err) < 0)
        return -1;
    const json_t *context = json_object_get (ev, "context");
    if (context && !json_is_object (context))
        return bad (rd, err, "event %s: context must be an object", FLURM_QUOTED (n));
    /* RFC 21: an eventlog opens with submit and closes with clean.  A log
     * that does not is cut, or two logs pasted together. */
    if (rd->nevents == 0 && strcmp (n, "submit") != 0)
        return bad (rd, err, "the first event is %s, not \"submit\"", FLURM_QUOTED (n));
    if (rd->rec.inactive)
        return bad (rd, err, "event %s after \"clean\" (the last event of a job)",
                    FLURM_QUOTED (n));
    if (rd->nevents > 0 && t < rd->last)
        return bad (rd, err, "event %s at %.*g is earlier than the event before it (%.*g)",
                    FLURM_QUOTED (n), flurm_json_real_digits (t), t,
                    flurm_json_real_digits (rd->last), rd->last);
    rd->nevents++;
    rd->last = t;
    double *slot = time_slot (&rd->rec, n);
    if (slot && *slot < 0)
        *slot = t;
    if (!strcmp (n, "finish"))
        return read_finish (rd, context, err);
    if (!strcmp (n, "exception"))
        return read_exception (rd, context, err);
    if (!strcmp (n, "clean"))
        rd->rec.inactive = true;
    return 0;
}

static bool blank (const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static int read_line (struct reader *rd, const char *s, size_t len, flurm_error_t *err)
{
    snprintf (rd->at, sizeof (rd->at), "%s:%d", rd->source, rd->line);
    json_error_t jerr;
    /* Not flurm_json_parse: jansson numbers lines from the start of what
     * it is given, which here is one line of a larger text. */
    json_t *ev = json_loadb (s, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!ev)
        return flurm_error_at (err, rd->source, rd->line, jerr.column > 0 ? jerr.column : 1,
                               "not JSON: %s", jerr.text);
    int rc = read_event (rd, ev, err);
    json_decref (ev);
    return rc;
}

/* The result and exit code, once every event is in. */
static void conclude (struct reader *rd)
{
    struct flurm_flux_job_record *r = &rd->rec;
    if (!r->inactive)
        return; /* PENDING, exit code -1, as cleared */
    if (rd->success)
        r->result = FLURM_FLUX_RESULT_COMPLETED;
    else if (rd->kept_severity >= 0)
        r->result = rd->kept_result;
    else
        r->result = FLURM_FLUX_RESULT_FAILED;
    int code = 1; /* `flux run` starts from failure */
    if (r->wait_status >= 0)
        code = WIFSIGNALED (r->wait_status) ? 128 + WTERMSIG (r->wait_status)
                                            : WEXITSTATUS (r->wait_status);
    if (code == 0 && rd->fatal)
        code = 1;
    r->exit_code = code;
}

int flurm_flux_eventlog_parse (const char *text, size_t len, const char *source,
                               struct flurm_flux_job_record *out, flurm_error_t *err)
{
    struct reader rd = {.source = source ? source : "eventlog", .kept_severity = -1};
    flurm_flux_job_record_clear (&rd.rec);
    *out = rd.rec;
    const char *end = text ? text + len : text;
    for (const char *s = text, *next; s < end; s = next) {
        const char *nl = memchr (s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        next = nl ? nl + 1 : end;
        if (rd.line == INT_MAX) {
            flurm_flux_job_record_clear (&rd.rec);
            return flurm_error_at (err, rd.source, 0, 0, "more than %d lines", INT_MAX);
        }
        rd.line++;
        if (!blank (s, (size_t)(eol - s)) && read_line (&rd, s, (size_t)(eol - s), err) < 0) {
            flurm_flux_job_record_clear (&rd.rec);
            return -1;
        }
    }
    if (rd.nevents == 0)
        return flurm_error_at (err, rd.source, 0, 0, "no events (an eventlog opens with submit)");
    conclude (&rd);
    *out = rd.rec;
    return 0;
}

/* ---- R ------------------------------------------------------------------ */

void flurm_flux_grant_clear (struct flurm_flux_grant *g)
{
    g_free (g->nodes);
    g_free (g->cores);
    *g = (struct flurm_flux_grant){0};
}

static int summarise (const struct flurm_rv1 *r, const char *source, struct flurm_flux_grant *g,
                      flurm_error_t *err)
{
    struct flurm_hostlist *hosts = flurm_hostlist_create ();
    GString *cores = g_string_new (NULL);
    int rc = 0;
    for (size_t i = 0; i < r->nranks; i++) {
        const struct flurm_rv1_rank *e = &r->ranks[i];
        if (!e->host) {
            rc = flurm_error_at (err, source, 0, 0,
                                 "R names no hosts (no execution.nodelist): rank %u", e->rank);
            break;
        }
        if (flurm_hostlist_append_host (hosts, e->host, err) < 0) {
            rc = flurm_error_prefix (err, "%s", source);
            break;
        }
        char *ids = flurm_idset_encode (e->cores);
        g_string_append_printf (cores, "%s%s:%s", i > 0 ? " " : "", e->host, ids);
        g_free (ids);
        g->ncores += flurm_idset_count (e->cores);
    }
    if (rc == 0) {
        g->nodes = flurm_hostlist_encode (hosts);
        g->nnodes = (uint32_t)r->nranks;
        g->cores = g_string_free (cores, FALSE);
    } else {
        g_string_free (cores, TRUE);
    }
    flurm_hostlist_destroy (hosts);
    return rc;
}

int flurm_flux_grant_parse (const char *R_text, size_t len, const char *source,
                            struct flurm_flux_grant *out, flurm_error_t *err)
{
    if (!source)
        source = "R";
    *out = (struct flurm_flux_grant){0};
    if (len > FLURM_RV1_MAX_BYTES)
        return flurm_error_at (err, source, 0, 0, "R of %zu bytes is too large (limit %llu)", len,
                               (unsigned long long)FLURM_RV1_MAX_BYTES);
    json_t *R = flurm_json_parse (R_text, len, 0, source, "not JSON", err);
    if (!R)
        return -1;
    struct flurm_rv1 *r = flurm_rv1_parse (R, source, err);
    json_decref (R);
    if (!r)
        return -1;
    struct flurm_flux_grant g = {0};
    int rc = summarise (r, source, &g, err);
    flurm_rv1_destroy (r);
    if (rc < 0) {
        flurm_flux_grant_clear (&g);
        return -1;
    }
    *out = g;
    return 0;
}
