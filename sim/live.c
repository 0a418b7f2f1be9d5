/* sim/live.c — the engine against the wall clock, with Flux doing the
 * running.
 *
 * The loop: bring the engine up to the trace time the wall clock says
 * (submissions due; in decide-flurm mode also the starts it decides),
 * then sleep in glib's main context until the next due event or until a
 * `flux` command reports.  Engine hooks only queue work (a submission);
 * they never call back into the engine, which is not re-entrant.
 * Everything that changes a job's state in the engine happens from the
 * main context, between engine calls.
 *
 * How a job's end is learnt: jobs are submitted waitable, and one
 * `flux job wait --all -v` prints a line per job as it becomes inactive
 * (it exits when no waitable job is left, and is restarted when one is).
 * For each such job, its eventlog and R are fetched and parsed
 * (sim/flux_eventlog.h); that record is the job's truth.
 *
 * Invariants:
 *  - l->jobs[i] describes engine job i + 1 (grown by the submit hook);
 *  - a job is in `by_id` from the moment Flux gave it an id;
 *  - l->unreported counts jobs with an id whose end was not yet seen:
 *    the waiter runs whenever it is > 0;
 *  - the run ends when the engine has nothing due or active and no flux
 *    command is in flight.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "policies/shape.h"
#include "sim/csvout.h"
#include "sim/flux_cli.h"
#include "sim/flux_jobspec.h"
#include "sim/flux_agent.h"
#include "sim/graph.h"
#include "sim/hostlist.h"
#include "sim/idset.h"
#include "sim/live.h"
#include "sim/outfile.h"

/* How long the loop sleeps at most: an interruption is seen this soon. */
#define POLL_MS 200
/* Consecutive waiter restarts that report nothing before Flux is asked
 * whether it is still there. */
#define WAITER_IDLE_RESTARTS 3
#define WAITER_BACKOFF_MS 500

struct deferred_end {
    uint64_t id;
    enum flurm_job_state state;
};

struct fetch {
    struct flurm_live *l;
    size_t j;
    int left;           /* fetches outstanding: eventlog and R */
    char *eventlog;
    char *eventlog_error;
    char *R;
    char *R_error;
};

struct flurm_live {
    struct flurm_live_options opt;
    struct flurm_matcher *m;
    const struct flurm_graph *g;
    const struct flurm_workload *w;
    struct flurm_engine *e;
    struct flurm_flux *flux;
    uint32_t sockets_per_node;
    char *flux_version;

    struct flurm_live_job *jobs;
    double *asked;              /* per job: wall s from t0 of its submission */
    size_t njobs, capjobs;
    struct flurm_flux_agent *agent; /* NULL or finished: a process per request */
    bool agent_lost_said;
    GHashTable *by_id;          /* flux id -> GSIZE_TO_POINTER (index + 1) */
    /* Ids the waiter reported before their submission's output was read:
     * a job of a millisecond can end before `flux job submit` exits. */
    GHashTable *ended_early;
    GArray *deferred;           /* struct deferred_end, from inside hooks */
    GHashTable *core_vertex;    /* "host:core" -> vertex + 1, for grants */

    struct flurm_flux_stream *waiter;
    guint waiter_timer;         /* a delayed restart of the waiter, 0: none */
    unsigned waiter_idle;       /* restarts in a row without a report */
    size_t waiter_reports;
    size_t unreported;

    double t0_wall;             /* epoch s of trace time 0 */
    gint64 t0_mono;             /* monotonic us of the same moment */
    double first_submit, last_id; /* wall s from t0, < 0 none */
    double last_record;
    size_t submitted, submit_errors, finished;
    size_t plan_counts[4];
    bool cancelling;
    char *aborted;
    flurm_error_t engine_err;
    bool engine_failed;
};

/* ---- names ------------------------------------------------------------ */

int flurm_live_decide_parse (const char *name, enum flurm_live_decide *out, flurm_error_t *err)
{
    if (!strcmp (name, "flux"))
        *out = FLURM_LIVE_DECIDE_FLUX;
    else if (!strcmp (name, "flurm"))
        *out = FLURM_LIVE_DECIDE_FLURM;
    else
        return flurm_error_set (err, "unknown decider '%s' (flux or flurm)", name);
    return 0;
}

const char *flurm_live_decide_name (enum flurm_live_decide d)
{
    return d == FLURM_LIVE_DECIDE_FLURM ? "flurm" : "flux";
}

const char *flurm_live_plan_name (enum flurm_live_plan p)
{
    static const char *names[] = {"", "same", "cores-differ", "hosts-differ"};
    return (unsigned)p < G_N_ELEMENTS (names) ? names[p] : "?";
}

static void say (struct flurm_live *l, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
static void say (struct flurm_live *l, const char *fmt, ...)
{
    if (!l->opt.log)
        return;
    va_list ap;
    va_start (ap, fmt);
    char *line = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    l->opt.log (l->opt.log_arg, line);
    g_free (line);
}

/* ---- clocks ----------------------------------------------------------- */

/* Wall seconds since t0, from the monotonic clock (NTP steps do not move
 * the replay). */
static double wall_since_t0 (const struct flurm_live *l)
{
    return (double)(g_get_monotonic_time () - l->t0_mono) / 1e6;
}

static double trace_now (const struct flurm_live *l)
{
    double w = wall_since_t0 (l);
    return l->opt.time_scale > 0 ? w / l->opt.time_scale : w;
}

/* An epoch time from Flux as trace time, never after the engine's clock
 * (it was learnt later than it happened) nor before 0. */
static double trace_time_of (const struct flurm_live *l, double epoch)
{
    if (epoch < 0)
        return -1;
    double w = epoch - l->t0_wall;
    double t = l->opt.time_scale > 0 ? w / l->opt.time_scale : w;
    double now = flurm_engine_now (l->e);
    return t < 0 ? 0 : t > now ? now : t;
}

/* ---- jobs ------------------------------------------------------------- */

static struct flurm_live_job *job_slot (struct flurm_live *l, uint64_t id)
{
    while (l->njobs < id) {
        if (l->njobs == l->capjobs) {
            l->capjobs = l->capjobs ? 2 * l->capjobs : 256;
            l->jobs = g_renew (struct flurm_live_job, l->jobs, l->capjobs);
            l->asked = g_renew (double, l->asked, l->capjobs);
        }
        struct flurm_live_job *lj = &l->jobs[l->njobs++];
        memset (lj, 0, sizeof (*lj));
        lj->submit_latency = -1;
        flurm_flux_job_record_clear (&lj->rec);
    }
    return &l->jobs[id - 1];
}

static void defer_end (struct flurm_live *l, uint64_t id, enum flurm_job_state state)
{
    struct deferred_end d = {id, state};
    g_array_append_val (l->deferred, d);
}

static void end_now (struct flurm_live *l, uint64_t id, enum flurm_job_state state, double start,
                     double end)
{
    if (l->engine_failed)
        return;
    if (flurm_engine_end_job (l->e, id, state, start, end, &l->engine_err) < 0)
        l->engine_failed = true;
    l->finished++;
    l->last_record = wall_since_t0 (l);
}

static void lose_instance (struct flurm_live *l, const char *why)
{
    if (l->aborted)
        return;
    l->aborted = g_strdup_printf ("the Flux instance went away: %s", why);
    say (l, "%s", l->aborted);
}

/* Messages that mean Flux itself cannot be reached, not that it refused
 * one job. */
static bool instance_error (const char *text)
{
    static const char *const signs[] = {"Connection refused", "flux_open",
                                        "No such file or directory", "Broken pipe",
                                        "Connection reset", "Unable to connect"};
    for (size_t i = 0; i < G_N_ELEMENTS (signs); i++) {
        if (text && strstr (text, signs[i]))
            return true;
    }
    return false;
}

static char *first_line (const char *text)
{
    while (text && (*text == ' ' || *text == '\n'))
        text++;
    if (!text || !*text)
        return g_strdup ("(no message)");
    const char *nl = strchr (text, '\n');
    return g_strndup (text, nl ? (size_t)(nl - text) : strlen (text));
}

/* ---- ends: eventlog + R ------------------------------------------------ */

/* "host:core" -> the core's vertex, built on first use. */
static flurm_vid core_vertex (struct flurm_live *l, const char *host, uint32_t core)
{
    if (!l->core_vertex) {
        l->core_vertex = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        flurm_atom core_t = flurm_graph_atom (l->g, "core");
        for (size_t v = 0; v < flurm_graph_size (l->g); v++) {
            const struct flurm_vertex *x = flurm_graph_vertex (l->g, (flurm_vid)v);
            if (x->type != core_t)
                continue;
            flurm_vid n = x->parent;
            while (n != FLURM_VID_NONE && flurm_graph_vertex (l->g, n)->rank < 0)
                n = flurm_graph_vertex (l->g, n)->parent;
            /* the node is the highest ancestor with a rank */
            while (n != FLURM_VID_NONE) {
                flurm_vid p = flurm_graph_vertex (l->g, n)->parent;
                if (p == FLURM_VID_NONE || flurm_graph_vertex (l->g, p)->rank < 0)
                    break;
                n = p;
            }
            if (n == FLURM_VID_NONE)
                continue;
            char buf[FLURM_NAME_MAX];
            g_hash_table_insert (l->core_vertex,
                                 g_strdup_printf ("%s:%jd", flurm_graph_name (l->g, n, buf),
                                                  (intmax_t)x->id),
                                 GSIZE_TO_POINTER ((size_t)v + 1));
        }
    }
    char *key = g_strdup_printf ("%s:%u", host, core);
    gpointer p = g_hash_table_lookup (l->core_vertex, key);
    g_free (key);
    return p ? (flurm_vid)(GPOINTER_TO_SIZE (p) - 1) : FLURM_VID_NONE;
}

/* Split "h1:ids h2:ids" into host -> idset text. */
static GHashTable *per_host (const char *text)
{
    GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    char **words = g_strsplit (text ? text : "", " ", -1);
    for (char **w = words; *w; w++) {
        char *colon = strrchr (*w, ':');
        if (!**w || !colon)
            continue;
        g_hash_table_insert (t, g_strndup (*w, (size_t)(colon - *w)), g_strdup (colon + 1));
    }
    g_strfreev (words);
    return t;
}

static enum flurm_live_plan compare_plan (const char *planned, const char *granted)
{
    if (!planned || !granted)
        return FLURM_LIVE_PLAN_NONE;
    GHashTable *p = per_host (planned), *g = per_host (granted);
    enum flurm_live_plan r = FLURM_LIVE_PLAN_SAME;
    if (g_hash_table_size (p) != g_hash_table_size (g))
        r = FLURM_LIVE_PLAN_HOSTS_DIFFER;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, p);
    while (r != FLURM_LIVE_PLAN_HOSTS_DIFFER && g_hash_table_iter_next (&it, &k, &v)) {
        const char *other = g_hash_table_lookup (g, k);
        if (!other)
            r = FLURM_LIVE_PLAN_HOSTS_DIFFER;
        else if (strcmp (other, v))
            r = FLURM_LIVE_PLAN_CORES_DIFFER;
    }
    g_hash_table_destroy (p);
    g_hash_table_destroy (g);
    return r;
}

/* The granted cores as jobs.csv numbers them ("0-4 10-14 20-24"). */
static char *grant_core_numbers (struct flurm_live *l, const char *granted)
{
    struct flurm_idset *set = flurm_idset_create ();
    GHashTable *hosts = per_host (granted);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, hosts);
    while (g_hash_table_iter_next (&it, &k, &v)) {
        struct flurm_idset *ids = flurm_idset_decode (v, NULL);
        for (uint32_t c = ids ? flurm_idset_first (ids) : UINT32_MAX; c != UINT32_MAX;
             c = flurm_idset_next (ids, c)) {
            flurm_vid vx = core_vertex (l, k, c);
            uint32_t n = vx == FLURM_VID_NONE ? UINT32_MAX
                                              : flurm_engine_core_number (l->e, vx);
            if (n != UINT32_MAX)
                (void)flurm_idset_add (set, n, NULL);
        }
        flurm_idset_destroy (ids);
    }
    g_hash_table_destroy (hosts);
    char *s = flurm_idset_encode (set);
    flurm_idset_destroy (set);
    /* jobs.csv writes intervals separated by spaces, as evalys reads them */
    for (char *c = s; *c; c++) {
        if (*c == ',')
            *c = ' ';
    }
    return s;
}

static enum flurm_job_state state_of (const struct flurm_flux_job_record *r)
{
    switch (r->result) {
    case FLURM_FLUX_RESULT_COMPLETED: return FLURM_JOB_COMPLETED;
    case FLURM_FLUX_RESULT_TIMEOUT: return FLURM_JOB_TIMEOUT;
    case FLURM_FLUX_RESULT_CANCELED: return FLURM_JOB_CANCELLED;
    case FLURM_FLUX_RESULT_FAILED:
        /* refused by the scheduler: never started */
        if (r->alloc < 0 && r->exception_type && !strcmp (r->exception_type, "alloc"))
            return FLURM_JOB_REJECTED;
        return FLURM_JOB_FAILED;
    default: return FLURM_JOB_FAILED;
    }
}

static void record_end (struct flurm_live *l, struct fetch *fx)
{
    struct flurm_live_job *lj = &l->jobs[fx->j];
    uint64_t id = fx->j + 1;
    flurm_error_t err;
    char *src = g_strdup_printf ("eventlog of %s", lj->flux_id);
    if (!fx->eventlog
        || flurm_flux_eventlog_parse (fx->eventlog, strlen (fx->eventlog), src, &lj->rec, &err)
               < 0) {
        g_free (lj->error);
        lj->error = fx->eventlog ? g_strdup (err.text)
                                 : g_strdup_printf ("its eventlog could not be read: %s",
                                                    fx->eventlog_error);
        flurm_flux_job_record_clear (&lj->rec);
    }
    g_free (src);
    if (fx->R && lj->rec.alloc >= 0) { /* a job never allocated has an empty R */
        char *rsrc = g_strdup_printf ("R of %s", lj->flux_id);
        if (flurm_flux_grant_parse (fx->R, strlen (fx->R), rsrc, &lj->grant, &err) < 0
            && !lj->error)
            lj->error = g_strdup (err.text);
        g_free (rsrc);
    }
    if (lj->rec.exception_type && !lj->error)
        lj->error = g_strdup_printf ("exception %s%s%s", lj->rec.exception_type,
                                     lj->rec.exception_note ? ": " : "",
                                     lj->rec.exception_note ? lj->rec.exception_note : "");
    enum flurm_job_state state = lj->rec.inactive ? state_of (&lj->rec) : FLURM_JOB_FAILED;
    double start = trace_time_of (l, lj->rec.alloc);
    double end = trace_time_of (l, lj->rec.finish >= 0 ? lj->rec.finish : lj->rec.clean);
    const struct flurm_job *ejobs;
    size_t n;
    ejobs = flurm_engine_jobs (l->e, &n);
    bool observing = l->opt.decide == FLURM_LIVE_DECIDE_FLUX;
    if (observing && lj->rec.alloc >= 0 && ejobs[fx->j].state == FLURM_JOB_PENDING) {
        char *cores = grant_core_numbers (l, lj->grant.cores);
        if (flurm_engine_record_start (l->e, id, start, (uint32_t)lj->grant.ncores,
                                       lj->grant.nnodes, lj->grant.nodes, cores,
                                       &l->engine_err) < 0)
            l->engine_failed = true;
        g_free (cores);
    }
    if (!observing) {
        lj->plan = compare_plan (lj->planned, lj->grant.cores);
        l->plan_counts[lj->plan]++;
    }
    if (observing && lj->rec.alloc < 0 && state != FLURM_JOB_REJECTED)
        state = state == FLURM_JOB_COMPLETED ? FLURM_JOB_FAILED : state;
    end_now (l, id, state, start, end);
    say (l, "job %ju %s (%s) %s%s%s", (uintmax_t)id, lj->flux_id,
         l->w->jobs[ejobs[fx->j].wjob].name, flurm_job_state_str (state),
         lj->error ? ": " : "", lj->error ? lj->error : "");
}

static void fetch_done (struct fetch *fx)
{
    if (--fx->left > 0)
        return;
    record_end (fx->l, fx);
    g_free (fx->eventlog);
    g_free (fx->eventlog_error);
    g_free (fx->R);
    g_free (fx->R_error);
    g_free (fx);
}

static void eventlog_fetched (void *arg, int status, const char *out, const char *errtext)
{
    struct fetch *fx = arg;
    if (status == 0)
        fx->eventlog = g_strdup (out);
    else
        fx->eventlog_error = first_line (errtext);
    if (status != 0 && instance_error (errtext))
        lose_instance (fx->l, fx->eventlog_error);
    fetch_done (fx);
}

static void R_fetched (void *arg, int status, const char *out, const char *errtext)
{
    struct fetch *fx = arg;
    if (status == 0)
        fx->R = g_strdup (out);
    else
        fx->R_error = first_line (errtext); /* a job that never ran has no R */
    fetch_done (fx);
}

/* Fetch job j's eventlog and R with two flux commands. */
static void fetch_by_command (struct flurm_live *l, size_t j)
{
    struct fetch *fx = g_new0 (struct fetch, 1);
    fx->l = l;
    fx->j = j;
    fx->left = 2;
    const char *id = l->jobs[j].flux_id;
    /* -F: the waiter hears of the end before the eventlog's last events
     * reach the KVS; following reads on until "clean" is there. */
    const char *ev[] = {"job", "eventlog", "-F", "-f", "json", id, NULL};
    const char *R[] = {"job", "info", id, "R", NULL};
    flurm_flux_queue (l->flux, ev, NULL, eventlog_fetched, fx);
    flurm_flux_queue (l->flux, R, NULL, R_fetched, fx);
}

static void fetch_record (struct flurm_live *l, size_t j)
{
    if (flurm_flux_agent_ask (l->agent, FLURM_FLUX_FETCH, j, l->jobs[j].flux_id) < 0)
        fetch_by_command (l, j);
}

/* ---- the waiter: one line per job that became inactive ----------------- */

static void start_waiter (struct flurm_live *l);

static void report_end (struct flurm_live *l, size_t j)
{
    if (l->unreported > 0)
        l->unreported--;
    fetch_record (l, j);
}

static void waiter_line (void *arg, const char *line)
{
    struct flurm_live *l = arg;
    const char *colon = strstr (line, ": ");
    if (!colon)
        return;
    char *id = g_strndup (line, (size_t)(colon - line));
    gpointer p = g_hash_table_lookup (l->by_id, id);
    l->waiter_reports++;
    if (!p) { /* ours whose id is still on its way, or someone else's */
        g_hash_table_add (l->ended_early, id);
        return;
    }
    g_free (id);
    report_end (l, GPOINTER_TO_SIZE (p) - 1);
}

static void waiter_end (void *arg, int status, const char *errtext)
{
    struct flurm_live *l = arg;
    l->waiter = NULL;
    if (l->waiter_reports == 0)
        l->waiter_idle++;
    else
        l->waiter_idle = 0;
    l->waiter_reports = 0;
    if (instance_error (errtext)) {
        lose_instance (l, errtext);
        return;
    }
    (void)status; /* 1 only says that some job failed */
    start_waiter (l);
}

static gboolean restart_waiter (gpointer data)
{
    struct flurm_live *l = data;
    l->waiter_timer = 0;
    start_waiter (l);
    return G_SOURCE_REMOVE;
}

static void start_waiter (struct flurm_live *l)
{
    if (l->waiter || l->waiter_timer || l->unreported == 0 || l->aborted)
        return;
    if (l->waiter_idle >= WAITER_IDLE_RESTARTS) {
        /* It keeps finding nothing to wait for (jobs on their way to being
         * waitable, or someone else reaping ours): is Flux still there?
         * Then try again in a while rather than spin. */
        const char *args[] = {"getattr", "size", NULL};
        char *out = NULL;
        flurm_error_t err;
        if (flurm_flux_run (l->flux, args, NULL, &out, &err) < 0) {
            lose_instance (l, err.text);
            return;
        }
        g_free (out);
        l->waiter_idle = 0;
        l->waiter_timer = g_timeout_add (WAITER_BACKOFF_MS, restart_waiter, l);
        return;
    }
    const char *args[] = {"job", "wait", "--all", "-v", NULL};
    flurm_error_t err;
    l->waiter = flurm_flux_stream_start (l->flux, args, false, waiter_line, waiter_end, l,
                                         &err);
    if (!l->waiter)
        lose_instance (l, err.text);
}

/* ---- submission --------------------------------------------------------- */

static void ignore_result (void *arg, int status, const char *out, const char *errtext)
{
    (void)arg, (void)status, (void)out, (void)errtext;
}

struct submission {
    struct flurm_live *l;
    size_t j;
    double asked;   /* wall s from t0 */
};

/* Flux answered job j's submission, asked at `asked` (wall s from t0):
 * its id, or (id NULL) its refusal. */
static void got_answer (struct flurm_live *l, size_t j, double asked, const char *id,
                        const char *errtext)
{
    struct flurm_live_job *lj = &l->jobs[j];
    double now = wall_since_t0 (l);
    if (id) {
        lj->flux_id = g_strstrip (g_strdup (id));
        lj->submit_latency = now - asked;
        g_hash_table_insert (l->by_id, g_strdup (lj->flux_id), GSIZE_TO_POINTER (j + 1));
        l->submitted++;
        l->last_id = now;
        l->unreported++;
        if (g_hash_table_remove (l->ended_early, lj->flux_id)) {
            report_end (l, j);
        } else if (l->cancelling) { /* it was on its way when the others were cancelled */
            const char *args[] = {"cancel", lj->flux_id, NULL};
            flurm_flux_queue (l->flux, args, NULL, ignore_result, NULL);
        }
        start_waiter (l);
    } else {
        lj->error = first_line (errtext);
        l->submit_errors++;
        if (instance_error (errtext))
            lose_instance (l, lj->error);
        say (l, "job %zu: Flux refused it: %s", j + 1, lj->error);
        end_now (l, j + 1, FLURM_JOB_REJECTED, -1, -1);
    }
}

static void submitted (void *arg, int status, const char *out, const char *errtext)
{
    struct submission *s = arg;
    got_answer (s->l, s->j, s->asked, status == 0 ? out : NULL, errtext);
    g_free (s);
}

/* One `flux job submit` process for the job: the way when the agent is
 * not there. */
static void submit_by_command (struct flurm_live *l, size_t j, const char *text)
{
    struct submission *s = g_new0 (struct submission, 1);
    s->l = l;
    s->j = j;
    s->asked = l->asked[j];
    const char *args[] = {"job", "submit", "--flags=waitable", NULL};
    flurm_flux_queue (l->flux, args, text, submitted, s);
}

static void agent_answered (void *arg, const struct flurm_flux_agent_answer *a)
{
    struct flurm_live *l = arg;
    if (a->kind == FLURM_FLUX_SUBMIT) {
        got_answer (l, a->tag, l->asked[a->tag], a->id, a->error);
        return;
    }
    struct fetch fx = {.l = l, .j = a->tag};
    fx.eventlog = g_strdup (a->eventlog);
    fx.eventlog_error = g_strdup (a->error);
    fx.R = g_strdup (a->R);
    record_end (l, &fx);
    g_free (fx.eventlog);
    g_free (fx.eventlog_error);
    g_free (fx.R);
}

static void agent_lost (void *arg, enum flurm_flux_request kind, uint64_t tag, const char *text)
{
    struct flurm_live *l = arg;
    if (!l->agent_lost_said) {
        l->agent_lost_said = true;
        say (l, "the flux python agent is not there: a flux command per request");
    }
    if (kind == FLURM_FLUX_SUBMIT)
        submit_by_command (l, tag, text);
    else
        fetch_by_command (l, tag);
}

static void submit_json (struct flurm_live *l, size_t j, json_t *jobspec)
{
    char *text = json_dumps (jobspec, JSON_COMPACT);
    l->asked[j] = wall_since_t0 (l);
    if (l->first_submit < 0)
        l->first_submit = l->asked[j];
    if (flurm_flux_agent_ask (l->agent, FLURM_FLUX_SUBMIT, j, text) < 0)
        submit_by_command (l, j, text);
    free (text);
}

/* The submit attributes every job gets. */
static void submit_options (const struct flurm_live *l, const struct flurm_job *job,
                            struct flurm_flux_submit *o)
{
    const struct flurm_wjob *wj = &l->w->jobs[job->wjob];
    double scale = l->opt.time_scale;
    memset (o, 0, sizeof (*o));
    o->name = wj->name;
    o->queue = wj->queue;
    /* Flux kills at the duration; the test executor ends at run_duration.
     * A second of slack keeps a job whose runtime equals its walltime from
     * being killed by the submission's own latency. */
    o->duration = scale > 0 ? job->walltime * scale + 1.0 : 0;
    if (o->duration <= 0)
        o->duration = 3600; /* time scale 0: jobs last a millisecond */
    o->test_exec = !l->opt.exec;
    o->run_duration = fmax (job->work * scale, FLURM_FLUX_MIN_RUN_DURATION);
    o->command = (const char *const *)wj->command;
}

static int refuse (struct flurm_live *l, const struct flurm_job *job, const char *why)
{
    struct flurm_live_job *lj = job_slot (l, job->id);
    lj->error = g_strdup (why);
    say (l, "job %ju (%s): %s", (uintmax_t)job->id, l->w->jobs[job->wjob].name, why);
    defer_end (l, job->id, FLURM_JOB_REJECTED);
    return 0;
}

static int on_submit (void *arg, const struct flurm_job *job, flurm_error_t *err)
{
    struct flurm_live *l = arg;
    (void)job_slot (l, job->id);
    if (l->opt.decide != FLURM_LIVE_DECIDE_FLUX)
        return 0;
    if (l->aborted || l->cancelling)
        return refuse (l, job, "not submitted: the replay was stopping");
    struct flurm_flux_submit o;
    submit_options (l, job, &o);
    if (l->opt.exec && !o.command)
        return refuse (l, job, "no command in the trace (run without --exec, or add one)");
    flurm_error_t why;
    json_t *js = flurm_flux_jobspec (l->w->jobs[job->wjob].js, l->sockets_per_node, &o, &why);
    if (!js)
        return refuse (l, job, why.text);
    submit_json (l, job->id - 1, js);
    json_decref (js);
    (void)err;
    return 0;
}

/* The node a core vertex belongs to, and the index of its socket. */
static flurm_vid node_of (const struct flurm_graph *g, flurm_vid v, uint32_t *socket)
{
    flurm_atom socket_t = flurm_graph_atom (g, "socket");
    flurm_atom node_t = flurm_graph_atom (g, "node");
    *socket = 0;
    for (flurm_vid p = flurm_graph_vertex (g, v)->parent; p != FLURM_VID_NONE;
         p = flurm_graph_vertex (g, p)->parent) {
        const struct flurm_vertex *x = flurm_graph_vertex (g, p);
        if (x->type == socket_t && x->parent != FLURM_VID_NONE)
            *socket = p - flurm_graph_vertex (g, x->parent)->first_child;
        if (x->type == node_t)
            return p;
    }
    return FLURM_VID_NONE;
}

static int on_start (void *arg, const struct flurm_job *job, const struct flurm_alloc *a,
                     flurm_error_t *err)
{
    struct flurm_live *l = arg;
    struct flurm_live_job *lj = job_slot (l, job->id);
    if (l->aborted || l->cancelling)
        return refuse (l, job, "not submitted: the replay was stopping");
    const struct flurm_wjob *wj = &l->w->jobs[job->wjob];
    flurm_atom core_t = flurm_graph_atom (l->g, "core");
    flurm_atom node_t = flurm_graph_atom (l->g, "node");
    /* nodes in vertex order (the alloc's), cores per socket on each */
    GArray *nodes = g_array_new (FALSE, TRUE, sizeof (struct flurm_flux_placement_node));
    GArray *vids = g_array_new (FALSE, FALSE, sizeof (flurm_vid));
    GPtrArray *cores = g_ptr_array_new_with_free_func ((GDestroyNotify)flurm_idset_destroy);
    bool exclusive = false;
    char buf[FLURM_NAME_MAX];
    for (size_t i = 0; i < a->nheld; i++) {
        const struct flurm_vertex *x = flurm_graph_vertex (l->g, a->held[i]);
        if (x->type == node_t)
            exclusive = true;
        if (x->type != core_t)
            continue;
        uint32_t socket;
        flurm_vid n = node_of (l->g, a->held[i], &socket);
        size_t k = 0;
        while (k < vids->len && g_array_index (vids, flurm_vid, k) != n)
            k++;
        if (k == vids->len) {
            g_array_append_val (vids, n);
            struct flurm_flux_placement_node pn = {0};
            g_array_append_val (nodes, pn);
            g_ptr_array_add (cores, flurm_idset_create ());
        }
        struct flurm_flux_placement_node *pn =
            &g_array_index (nodes, struct flurm_flux_placement_node, k);
        if (socket < FLURM_FLUX_MAX_SOCKETS)
            pn->cores[socket]++;
        (void)flurm_idset_add (g_ptr_array_index (cores, k), (uint32_t)x->id, NULL);
    }
    GString *planned = g_string_new (NULL);
    char **hosts = g_new0 (char *, vids->len + 1);
    for (size_t k = 0; k < vids->len; k++) {
        hosts[k] = g_strdup (flurm_graph_name (l->g, g_array_index (vids, flurm_vid, k), buf));
        g_array_index (nodes, struct flurm_flux_placement_node, k).host = hosts[k];
        char *ids = flurm_idset_encode (g_ptr_array_index (cores, k));
        g_string_append_printf (planned, "%s%s:%s", k ? " " : "", hosts[k], ids);
        g_free (ids);
    }
    lj->planned = g_string_free (planned, FALSE);
    uint64_t nslots = flurm_jobspec_nslots (wj->js);
    uint32_t cpt = nslots ? (uint32_t)(wj->ncores / nslots) : 1;
    const struct flurm_jobspec_task *t = wj->js->ntasks ? &wj->js->tasks[0] : NULL;
    uint64_t ntasks = t && t->count_kind == FLURM_TASK_TOTAL ? t->count
                      : t ? (uint64_t)t->count * nslots : nslots;
    struct flurm_flux_placement p = {
        .nodes = (const struct flurm_flux_placement_node *)nodes->data,
        .nnodes = nodes->len,
        .sockets_per_node = l->sockets_per_node,
        .cores_per_task = cpt ? cpt : 1,
        .ntasks = ntasks,
        .exclusive = exclusive,
    };
    struct flurm_flux_submit o;
    submit_options (l, job, &o);
    int rc = 0;
    if (l->opt.exec && !o.command) {
        rc = refuse (l, job, "no command in the trace (run without --exec, or add one)");
    } else {
        flurm_error_t why;
        json_t *js = flurm_flux_placement_jobspec (&p, &o, &why);
        if (!js) {
            rc = refuse (l, job, why.text);
        } else {
            submit_json (l, job->id - 1, js);
            json_decref (js);
        }
    }
    g_strfreev (hosts);
    g_array_free (nodes, TRUE);
    g_array_free (vids, TRUE);
    g_ptr_array_free (cores, TRUE);
    (void)err;
    return rc;
}

/* ---- life cycle ----------------------------------------------------------- */

struct flurm_live *flurm_live_create (struct flurm_matcher *m, const struct flurm_workload *w,
                                      const struct flurm_engine_config *cfg,
                                      const struct flurm_live_options *opt, flurm_error_t *err)
{
    if (!(opt->time_scale >= 0) || !isfinite (opt->time_scale)) {
        flurm_error_set (err, "time scale must be a number >= 0");
        return NULL;
    }
    struct flurm_live *l = g_new0 (struct flurm_live, 1);
    l->opt = *opt;
    l->m = m;
    l->g = flurm_matcher_graph (m);
    l->w = w;
    struct flurm_shape_geometry geo;
    l->sockets_per_node = flurm_shape_geometry (l->g, &geo, NULL) == 0 ? geo.sockets_per_node
                                                                        : 0;
    struct flurm_engine_config c = *cfg;
    c.observe_only = opt->decide == FLURM_LIVE_DECIDE_FLUX;
    c.external_ends = true;
    c.on_submit = on_submit;
    c.on_start = on_start;
    c.hook_arg = l;
    c.progress = NULL;
    l->e = flurm_engine_create (m, w, &c, err);
    if (!l->e) {
        g_free (l);
        return NULL;
    }
    l->flux = flurm_flux_create (opt->flux_program, opt->max_running);
    l->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    l->ended_early = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    l->deferred = g_array_new (FALSE, FALSE, sizeof (struct deferred_end));
    l->first_submit = l->last_id = -1;
    return l;
}

void flurm_live_destroy (struct flurm_live *l)
{
    if (!l)
        return;
    flurm_flux_stream_stop (l->waiter);
    flurm_flux_agent_destroy (l->agent);
    if (l->waiter_timer)
        g_source_remove (l->waiter_timer);
    /* let queued commands finish: their callbacks point at l */
    while (l->flux && flurm_flux_busy (l->flux) > 0)
        g_main_context_iteration (NULL, TRUE);
    for (size_t i = 0; i < l->njobs; i++) {
        g_free (l->jobs[i].flux_id);
        flurm_flux_job_record_clear (&l->jobs[i].rec);
        flurm_flux_grant_clear (&l->jobs[i].grant);
        g_free (l->jobs[i].planned);
        g_free (l->jobs[i].error);
    }
    g_free (l->jobs);
    g_free (l->asked);
    g_hash_table_destroy (l->by_id);
    g_hash_table_destroy (l->ended_early);
    if (l->core_vertex)
        g_hash_table_destroy (l->core_vertex);
    g_array_free (l->deferred, TRUE);
    flurm_flux_destroy (l->flux);
    flurm_engine_destroy (l->e);
    g_free (l->flux_version);
    g_free (l->aborted);
    g_free (l);
}

int flurm_live_connect (struct flurm_live *l, flurm_error_t *err)
{
    const char *version[] = {"version", NULL};
    char *out = NULL;
    if (flurm_flux_run (l->flux, version, NULL, &out, err) < 0)
        return flurm_error_prefix (err, "cannot run Flux");
    char *nl = strchr (out, '\n');
    /* "commands:    0.88.0" -> the version, the first line */
    l->flux_version = g_strstrip (g_strndup (out, nl ? (size_t)(nl - out) : strlen (out)));
    g_free (out);
    const char *size[] = {"getattr", "size", NULL};
    if (flurm_flux_run (l->flux, size, NULL, &out, err) < 0)
        return flurm_error_prefix (err, "no Flux instance to talk to (run inside one, set "
                                   "FLUX_URI, or use --start N)");
    g_free (out);
    const char *modules[] = {"module", "list", NULL};
    if (flurm_flux_run (l->flux, modules, NULL, &out, err) < 0)
        return flurm_error_prefix (err, "cannot list Flux's modules");
    bool fluxion = strstr (out, "sched-fluxion-qmanager") != NULL;
    g_free (out);
    if (!fluxion)
        return flurm_error_set (err, "this Flux instance does not run Fluxion "
                                "(sched-fluxion-qmanager is not loaded): Flurm's jobspecs need "
                                "its socket-level matching; load flux-sched");
    if (l->opt.start_queues) {
        const char *start[] = {"queue", "start", "--all", NULL};
        if (flurm_flux_run (l->flux, start, NULL, &out, err) < 0)
            return -1;
        g_free (out);
    }
    const char *status[] = {"queue", "status", NULL};
    if (flurm_flux_run (l->flux, status, NULL, &out, err) < 0)
        return -1;
    /* "normal: Scheduling is stopped" (one line per queue, or one line
     * without a name for the anonymous queue) */
    char **lines = g_strsplit (out, "\n", -1);
    g_free (out);
    int rc = 0;
    for (char **line = lines; *line && rc == 0; line++) {
        if (strstr (*line, "Scheduling is stopped") || strstr (*line, "submission is disabled"))
            rc = flurm_error_set (err, "Flux says \"%s\": its jobs would wait forever "
                                  "(flux queue start / flux queue enable)", g_strstrip (*line));
    }
    g_strfreev (lines);
    return rc;
}

const char *flurm_live_aborted (const struct flurm_live *l)
{
    return l->aborted;
}

const struct flurm_engine *flurm_live_engine (const struct flurm_live *l)
{
    return l->e;
}

const struct flurm_live_job *flurm_live_jobs (const struct flurm_live *l, size_t *n)
{
    *n = l->njobs;
    return l->jobs;
}

const char *flurm_live_flux_version (const struct flurm_live *l)
{
    return l->flux_version;
}

void flurm_live_stats (const struct flurm_live *l, struct flurm_live_stats *out)
{
    memset (out, 0, sizeof (*out));
    out->submitted = l->submitted;
    out->submit_errors = l->submit_errors;
    out->finished = l->finished;
    out->plan_same = l->plan_counts[FLURM_LIVE_PLAN_SAME];
    out->plan_cores_differ = l->plan_counts[FLURM_LIVE_PLAN_CORES_DIFFER];
    out->plan_hosts_differ = l->plan_counts[FLURM_LIVE_PLAN_HOSTS_DIFFER];
    out->wall_seconds = l->last_record;
    out->submit_seconds = l->first_submit >= 0 && l->last_id >= 0
                              ? l->last_id - l->first_submit : 0;
    out->t0 = l->t0_wall;
}

/* Cancel every job of ours that Flux still has (SIGINT): they end, are
 * reported by the waiter and recorded cancelled. */
static void cancel_all (struct flurm_live *l)
{
    l->cancelling = true;
    GPtrArray *args = g_ptr_array_new ();
    g_ptr_array_add (args, "cancel");
    for (size_t j = 0; j < l->njobs; j++) {
        if (l->jobs[j].flux_id && !l->jobs[j].rec.inactive)
            g_ptr_array_add (args, l->jobs[j].flux_id);
    }
    g_ptr_array_add (args, NULL);
    if (args->len > 2) {
        char *out = NULL;
        flurm_error_t err;
        if (flurm_flux_run (l->flux, (const char *const *)args->pdata, NULL, &out, &err) < 0)
            say (l, "cancelling: %s", err.text);
        g_free (out);
    }
    g_ptr_array_free (args, TRUE);
    say (l, "interrupted at trace time %.3f s: no more submissions; %zu jobs cancelled",
         flurm_engine_now (l->e), l->unreported);
}

static gboolean wake (gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

static bool done (const struct flurm_live *l)
{
    if (flurm_flux_busy (l->flux) > 0 || l->deferred->len > 0
        || flurm_flux_agent_pending (l->agent) > 0)
        return false;
    if (l->aborted)
        return true;
    if (l->cancelling) /* a second signal: stop waiting for the cancelled */
        return l->unreported == 0 || *l->opt.interrupted > 1;
    return !isfinite (flurm_engine_next_time (l->e)) && flurm_engine_active (l->e) == 0;
}

int flurm_live_run (struct flurm_live *l, flurm_error_t *err)
{
    flurm_error_t why;
    l->agent = l->opt.no_agent ? NULL
                               : flurm_flux_agent_start (l->flux, agent_answered, agent_lost, l,
                                                         &why);
    if (!l->agent && !l->opt.no_agent)
        say (l, "no flux python agent (%s): a flux command per request", why.text);
    /* Python takes a moment to start: not on the replay's clock.  A
     * agent that never gets ready is left to fail into the fallback. */
    gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (flurm_flux_agent_alive (l->agent) && !flurm_flux_agent_ready (l->agent)
           && g_get_monotonic_time () < give_up) {
        if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (1000);
    }
    l->t0_wall = (double)g_get_real_time () / 1e6;
    l->t0_mono = g_get_monotonic_time ();
    while (!l->engine_failed) {
        if (l->opt.interrupted && *l->opt.interrupted && !l->cancelling)
            cancel_all (l);
        if (!l->cancelling && !l->aborted) {
            double now = trace_now (l);
            if (now < flurm_engine_now (l->e))
                now = flurm_engine_now (l->e);
            if (flurm_engine_advance (l->e, now, &l->engine_err) < 0) {
                l->engine_failed = true;
                break;
            }
        }
        for (guint i = 0; i < l->deferred->len && !l->engine_failed; i++) {
            struct deferred_end d = g_array_index (l->deferred, struct deferred_end, i);
            end_now (l, d.id, d.state, -1, -1);
        }
        g_array_set_size (l->deferred, 0);
        if (done (l))
            break;
        double next = flurm_engine_next_time (l->e);
        double wait_ms = POLL_MS;
        if (isfinite (next) && !l->cancelling && !l->aborted) {
            double due = (l->opt.time_scale > 0 ? next * l->opt.time_scale : next)
                         - wall_since_t0 (l);
            wait_ms = fmin (POLL_MS, fmax (0, due * 1000));
        }
        if (wait_ms > 0 || flurm_flux_busy (l->flux) > 0) {
            bool woke = false;
            guint timer = g_timeout_add ((guint)wait_ms, wake, &woke);
            g_main_context_iteration (NULL, TRUE);
            if (!woke)
                g_source_remove (timer);
        }
    }
    if (l->engine_failed) {
        *err = l->engine_err;
        return -1;
    }
    flurm_flux_stream_stop (l->waiter);
    l->waiter = NULL;
    if (l->waiter_timer) {
        g_source_remove (l->waiter_timer);
        l->waiter_timer = 0;
    }
    flurm_engine_close (l->e);
    return 0;
}

/* ---- outputs ------------------------------------------------------------- */

static void csv_time (FILE *f, const struct flurm_live *l, double epoch)
{
    if (epoch < 0)
        return;
    double w = epoch - l->t0_wall;
    fprintf (f, "%.3f", l->opt.time_scale > 0 ? w / l->opt.time_scale : w);
}

static int write_live_csv (struct flurm_live *l, const char *path, flurm_error_t *err)
{
    struct flurm_outfile *of = flurm_outfile_open (path, err);
    if (!of)
        return -1;
    FILE *f = flurm_outfile_stream (of);
    fputs ("job_id,name,flux_id,state,result,exit_code,exception,submit_latency,"
           "t_submit,t_alloc,t_start,t_finish,t_clean,granted_nodes,granted_cores,"
           "planned_cores,plan,error\n", f);
    size_t n;
    const struct flurm_job *jobs = flurm_engine_jobs (l->e, &n);
    for (size_t i = 0; i < n && i < l->njobs; i++) {
        const struct flurm_live_job *lj = &l->jobs[i];
        fprintf (f, "%ju,", (uintmax_t)jobs[i].id);
        flurm_csv_text (f, l->w->jobs[jobs[i].wjob].name);
        fputc (',', f);
        flurm_csv_text (f, lj->flux_id ? lj->flux_id : "");
        fprintf (f, ",%s,%s,", flurm_job_state_str (jobs[i].state),
                 lj->rec.inactive ? flurm_flux_result_str (lj->rec.result) : "");
        if (lj->rec.exit_code >= 0)
            fprintf (f, "%d", lj->rec.exit_code);
        fputc (',', f);
        flurm_csv_text (f, lj->rec.exception_type ? lj->rec.exception_type : "");
        fputc (',', f);
        if (lj->submit_latency >= 0)
            fprintf (f, "%.3f", lj->submit_latency);
        const double times[] = {lj->rec.submit, lj->rec.alloc, lj->rec.start, lj->rec.finish,
                                lj->rec.clean};
        for (size_t k = 0; k < G_N_ELEMENTS (times); k++) {
            fputc (',', f);
            csv_time (f, l, times[k]);
        }
        fputc (',', f);
        flurm_csv_text (f, lj->grant.nodes ? lj->grant.nodes : "");
        fputc (',', f);
        flurm_csv_text (f, lj->grant.cores ? lj->grant.cores : "");
        fputc (',', f);
        flurm_csv_text (f, lj->planned ? lj->planned : "");
        fprintf (f, ",%s,", flurm_live_plan_name (lj->plan));
        flurm_csv_text (f, lj->error ? lj->error : "");
        fputc ('\n', f);
    }
    return flurm_outfile_commit (of, err);
}

int flurm_live_write (struct flurm_live *l, const char *dir, flurm_error_t *err)
{
    char *csv = g_build_filename (dir, "live-jobs.csv", NULL);
    int rc = write_live_csv (l, csv, err);
    g_free (csv);
    if (rc < 0 || l->aborted || l->submitted == 0)
        return rc;
    /* flux jobs --json of our jobs only: an instance may hold others' */
    GPtrArray *args = g_ptr_array_new ();
    const char *head[] = {"jobs", "--json", "-c", "0"};
    for (size_t i = 0; i < G_N_ELEMENTS (head); i++)
        g_ptr_array_add (args, (gpointer)head[i]);
    for (size_t j = 0; j < l->njobs; j++) {
        if (l->jobs[j].flux_id)
            g_ptr_array_add (args, l->jobs[j].flux_id);
    }
    g_ptr_array_add (args, NULL);
    char *out = NULL;
    flurm_error_t why;
    if (flurm_flux_run (l->flux, (const char *const *)args->pdata, NULL, &out, &why) < 0) {
        say (l, "flux-jobs.json not written: %s", why.text);
    } else {
        char *path = g_build_filename (dir, "flux-jobs.json", NULL);
        rc = flurm_write_file (path, out, strlen (out), err);
        g_free (path);
    }
    g_free (out);
    g_ptr_array_free (args, TRUE);
    return rc;
}

json_t *flurm_live_summary_json (const struct flurm_live *l)
{
    struct flurm_live_stats st;
    flurm_live_stats (l, &st);
    json_t *o = json_pack ("{s:s, s:f, s:s, s:s?, s:I, s:I, s:f, s:f, s:f}",
                           "decide", flurm_live_decide_name (l->opt.decide),
                           "time_scale", l->opt.time_scale,
                           "execution", l->opt.exec ? "commands" : "test",
                           "flux_version", l->flux_version,
                           "submitted", (json_int_t)st.submitted,
                           "submit_errors", (json_int_t)st.submit_errors,
                           "submit_seconds", st.submit_seconds,
                           "submit_rate", st.submit_seconds > 0
                                              ? (double)st.submitted / st.submit_seconds : 0.0,
                           "wall_seconds", st.wall_seconds);
    if (l->opt.decide == FLURM_LIVE_DECIDE_FLURM)
        json_object_set_new (o, "plan", json_pack ("{s:I, s:I, s:I}", "same",
                                                   (json_int_t)st.plan_same, "cores_differ",
                                                   (json_int_t)st.plan_cores_differ,
                                                   "hosts_differ",
                                                   (json_int_t)st.plan_hosts_differ));
    if (l->aborted)
        json_object_set_new (o, "aborted", json_string (l->aborted));
    return o;
}
