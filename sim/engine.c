/* sim/engine.c — discrete-event replay of a workload.
 *
 * Data structures and their invariants:
 *  - `heap` is a binary min-heap of events ordered by (t, kind, seq); seq
 *    grows with every push, so the order is total and deterministic.  An
 *    end event (finish / kill) carries the job's `gen` when it was pushed;
 *    changing a job's rate bumps gen, which turns the old event stale (it
 *    is dropped when popped) and pushes a new one.
 *  - `jobs` holds every job instance in id order (id = index + 1); they
 *    are referred to by index, never by pointer, since the array grows.
 *  - each queue's `pending` lists its pending jobs in arrival order (the
 *    order of submit events, hence of submit times), or, under a policy
 *    with its own order, sorted by it at the start of each pass with the
 *    jobs holding a reservation in front (order_queue); `running` lists the
 *    running jobs sorted by (expected end, id), the order in which a
 *    reservation search releases them.
 *  - a reservation is (job, [start, end), held vertices); `resv` is dense,
 *    x[j].resv is j's slot in it or -1.  Reservations of all queues are
 *    respected by all queues.
 *  - outside a call to place(), every running job is applied in the
 *    matcher and nothing else is: reservations live only here.
 * Matcher job ids are job ids; PSEUDO_JOBID is the temporary "blocker"
 * through which reservations are made to hold their vertices while a
 * placement is tried.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "sim/colocation.h"
#include "sim/engine.h"
#include "sim/hostlist.h"

#define PSEUDO_JOBID (UINT64_MAX - 1)   /* holds reserved vertices while matching */
#define PAIRING_JOBID (UINT64_MAX - 2)  /* holds sockets a pairing rule keeps a job off */
#define TIME_EPSILON 1e-6
#define PROGRESS_EVERY 65536

enum event_kind { EV_FINISH = 0, EV_KILL = 1, EV_SUBMIT = 2 };

struct event {
    double t;
    uint32_t kind;
    uint32_t aux;     /* end events: the job's gen; submit: repetition */
    uint64_t seq;
    size_t ref;       /* end events: job index; submit: workload index */
};

struct jobx {
    GArray *partners;     /* uint64_t ids of co-runners met, in meeting order */
    bool colocated;       /* sharing a socket since job.rate_since */
    bool fallback;        /* rate from the analytic fallback since then */
    uint32_t refreshed;   /* e->refresh_stamp when last listed for a refresh */
    uint64_t busy_at;     /* e->release_epoch + 1 when it last failed to fit now */
    uint32_t gen;
    ptrdiff_t resv;
    uint64_t plan_epoch;  /* e->epoch when j's reservation was computed */
};

struct resv {
    size_t job;
    double start, end;
    flurm_vid *held;
    size_t nheld;
};

struct queue {
    char *name;
    const struct flurm_queue_policy *policy;
    bool share;           /* co-scheduled: placements go through the pairing rule */
    uint32_t depth, rdepth;
    uint32_t nresv;
    size_t *pending;
    size_t npending, cap;
};

struct flurm_engine {
    struct flurm_matcher *m;
    struct flurm_graph *g;
    const struct flurm_workload *w;
    bool check;
    flurm_progress_fn progress;
    void *progress_arg;
    const volatile sig_atomic_t *stop;
    bool external_ends, observe_only;
    flurm_job_hook_fn on_submit;
    flurm_start_hook_fn on_start;
    void *hook_arg;
    gsl_rng *rng;
    double now;

    struct event *heap;
    size_t nheap, capheap;
    uint64_t seq;

    struct flurm_job *jobs;
    struct jobx *x;
    const struct flurm_interference *model;
    const struct flurm_app_profiles *profiles;
    struct flurm_colocation *coloc;   /* NULL without a model */
    int32_t *wjob_app;                /* per workload job: profile index or -1 */
    GArray *corunner_scratch;         /* struct flurm_corunner */
    GArray *corunner_prev;            /* the same, for the socket before */
    GArray *refresh_list;             /* scratch: distinct jobs to refresh */
    uint32_t refresh_stamp;
    const struct flurm_pairing_rule *pairing;
    double pairing_threshold;
    uint32_t max_per_socket;
    flurm_vid *pair_block;            /* scratch: vertices held by PAIRING_JOBID */
    size_t cap_pair_block;
    GArray *pair_refused;             /* scratch: sockets refused this attempt */
    uint32_t *node_jobs;              /* with a model: per vertex, jobs on the node */
    double *node_busy_since;
    size_t njobs, capjobs;

    struct queue *queues;
    size_t nqueues;

    size_t *running;
    size_t nrunning, caprunning;
    /* Bumped whenever resources may become free earlier than planned (a
     * job ends before its walltime, a reserved job starts or leaves): a
     * reservation computed in the same epoch cannot improve. */
    uint64_t epoch;

    struct resv *resv;
    size_t nresv, capresv;
    /* Bumped whenever something may fit now that did not before: a job
     * ends, a reservation goes, or (with a judging pairing rule, whose
     * verdicts follow the rates) a job starts.  Until then a job that did
     * not fit now still does not: the state only filled up. */
    uint64_t release_epoch;

    int core_t;               /* tracked index of "core", -1 if none */
    flurm_atom core_atom;
    uint32_t *core_index;     /* per vertex: global core number or UINT32_MAX */
    uint64_t total_cores;
    uint32_t *stamp;          /* per vertex, for de-duplicating blockers */
    uint32_t stamp_now;
    uint64_t *owner;          /* per vertex: holding job id (check mode) */
    GHashTable *satisfiable;  /* jobspec -> 1 + satisfiable */

    /* scratch for place() */
    double *times;
    flurm_vid *blocker;
    size_t capblocker;
    /* The blocker list is a function of which reservations overlap and of
     * what is taken: it is kept while neither changes (`version` counts
     * changes of the matcher state and of the reservations), since a pass
     * tries many candidates against the same reservations. */
    uint64_t version;
    uint64_t blocker_version;
    size_t *overlap, nblocker, nblocker_cores, noverlap, capoverlap;
    size_t *cached_overlap, ncached_overlap;
    bool blocker_cached;

    uint64_t nsubmits_total;  /* for the progress fraction */
    uint64_t nended;
    struct flurm_engine_stats stats;
};

const char *flurm_job_state_str (enum flurm_job_state s)
{
    static const char *names[] = {"pending",    "running", "completed",
                                  "timeout",    "rejected", "unfinished",
                                  "failed",     "cancelled"};
    return (unsigned)s < G_N_ELEMENTS (names) ? names[s] : "?";
}

/* ---- event heap -------------------------------------------------------- */

static bool event_before (const struct event *a, const struct event *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->seq < b->seq;
}

static void heap_push (struct flurm_engine *e, double t, uint32_t kind, size_t ref,
                       uint32_t aux)
{
    if (e->nheap == e->capheap) {
        e->capheap = e->capheap ? 2 * e->capheap : 1024;
        e->heap = g_renew (struct event, e->heap, e->capheap);
    }
    struct event ev = {.t = t, .kind = kind, .aux = aux, .seq = e->seq++, .ref = ref};
    size_t i = e->nheap++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!event_before (&ev, &e->heap[parent]))
            break;
        e->heap[i] = e->heap[parent];
        i = parent;
    }
    e->heap[i] = ev;
}

static struct event heap_pop (struct flurm_engine *e)
{
    struct event top = e->heap[0];
    struct event last = e->heap[--e->nheap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= e->nheap)
            break;
        if (c + 1 < e->nheap && event_before (&e->heap[c + 1], &e->heap[c]))
            c++;
        if (!event_before (&e->heap[c], &last))
            break;
        e->heap[i] = e->heap[c];
        i = c;
    }
    if (e->nheap > 0)
        e->heap[i] = last;
    return top;
}

/* ---- set-up -------------------------------------------------------------- */

void flurm_engine_config_init (struct flurm_engine_config *cfg)
{
    memset (cfg, 0, sizeof (*cfg));
    cfg->queue_policy = "fcfs";
#ifndef NDEBUG
    cfg->check_invariants = true;
#endif
}

static int setup_queues (struct flurm_engine *e, const struct flurm_engine_config *cfg,
                         flurm_error_t *err)
{
    static const struct flurm_queue_config default_queue = {.name = "default"};
    const struct flurm_queue_config *qc = cfg->nqueues ? cfg->queues : &default_queue;
    size_t n = cfg->nqueues ? cfg->nqueues : 1;
    e->queues = g_new0 (struct queue, n);
    e->nqueues = n;
    for (size_t i = 0; i < n; i++) {
        struct queue *q = &e->queues[i];
        q->name = g_strdup (qc[i].name ? qc[i].name : "default");
        const char *pname = qc[i].policy ? qc[i].policy
                            : cfg->queue_policy ? cfg->queue_policy : "fcfs";
        q->share = qc[i].share;
        if (q->share && e->pairing->queue_policy)
            pname = e->pairing->queue_policy;
        q->policy = flurm_queue_policy_lookup (pname, err);
        if (!q->policy)
            return flurm_error_prefix (err, "queue '%s'", q->name);
        uint32_t depth = qc[i].queue_depth ? qc[i].queue_depth : cfg->queue_depth;
        if (!depth)
            depth = FLURM_QUEUE_DEPTH_DEFAULT;
        if (depth > FLURM_QUEUE_DEPTH_MAX)
            depth = FLURM_QUEUE_DEPTH_MAX;
        uint32_t param = qc[i].reservation_depth ? qc[i].reservation_depth
                                                 : cfg->reservation_depth;
        q->depth = depth;
        q->rdepth = q->policy->reservation_depth (depth, param);
        if (q->rdepth > depth)
            q->rdepth = depth;
    }
    return 0;
}

static int find_queue (const struct flurm_engine *e, const char *name, unsigned *out)
{
    if (!name) {
        *out = 0;
        return 0;
    }
    for (size_t i = 0; i < e->nqueues; i++) {
        if (!strcmp (e->queues[i].name, name)) {
            *out = (unsigned)i;
            return 0;
        }
    }
    return -1;
}

static void setup_cores (struct flurm_engine *e)
{
    size_t nv = flurm_graph_size (e->g);
    e->core_atom = flurm_graph_atom (e->g, "core");
    e->core_t = e->core_atom == FLURM_ATOM_NONE
                    ? -1 : flurm_graph_tracked_index (e->g, e->core_atom);
    e->core_index = g_new (uint32_t, nv);
    uint32_t next = 0;
    for (size_t v = 0; v < nv; v++) {
        const struct flurm_vertex *vx = flurm_graph_vertex (e->g, (flurm_vid)v);
        e->core_index[v] = vx->type == e->core_atom ? next++ : UINT32_MAX;
    }
    e->total_cores = next;
    e->stamp = g_new0 (uint32_t, nv);
    if (e->check)
        e->owner = g_new0 (uint64_t, nv);
}

struct flurm_engine *flurm_engine_create (struct flurm_matcher *m,
                                          const struct flurm_workload *w,
                                          const struct flurm_engine_config *cfg,
                                          flurm_error_t *err)
{
    struct flurm_engine_config defaults;
    if (!cfg) {
        flurm_engine_config_init (&defaults);
        cfg = &defaults;
    }
    struct flurm_engine *e = g_new0 (struct flurm_engine, 1);
    e->m = m;
    e->g = flurm_matcher_graph (m);
    e->w = w;
    e->check = cfg->check_invariants;
    e->progress = cfg->progress;
    e->progress_arg = cfg->progress_arg;
    e->stop = cfg->stop;
    e->external_ends = cfg->external_ends || cfg->observe_only;
    e->observe_only = cfg->observe_only;
    e->on_submit = cfg->on_submit;
    e->on_start = cfg->on_start;
    e->hook_arg = cfg->hook_arg;
    if (!(e->pairing = flurm_pairing_lookup (cfg->pairing ? cfg->pairing : "fifo", err)))
        goto fail;
    e->pairing_threshold = cfg->pairing_threshold > 0 ? cfg->pairing_threshold
                                                      : FLURM_PAIRING_THRESHOLD_DEFAULT;
    e->max_per_socket = cfg->max_per_socket ? cfg->max_per_socket
                                            : FLURM_PAIRING_MAX_PER_SOCKET_DEFAULT;
    if (setup_queues (e, cfg, err) < 0)
        goto fail;
    for (size_t i = 0; i < w->njobs; i++) {
        unsigned q;
        if (find_queue (e, w->jobs[i].queue, &q) < 0) {
            flurm_error_set (err, "job '%s': unknown queue '%s'", w->jobs[i].name,
                             w->jobs[i].queue);
            goto fail;
        }
    }
    e->rng = gsl_rng_alloc (gsl_rng_mt19937);
    gsl_rng_set (e->rng, (unsigned long)cfg->seed);
    setup_cores (e);
    e->satisfiable = g_hash_table_new (g_direct_hash, g_direct_equal);
    e->wjob_app = g_new (int32_t, w->njobs ? w->njobs : 1);
    for (size_t i = 0; i < w->njobs; i++)
        e->wjob_app[i] = cfg->profiles && w->jobs[i].app
                             ? flurm_app_profiles_find (cfg->profiles, w->jobs[i].app) : -1;
    e->profiles = cfg->profiles;
    if (cfg->interference && !cfg->observe_only) {
        e->model = cfg->interference;
        e->coloc = flurm_colocation_create (e->g);
        e->corunner_scratch = g_array_new (FALSE, FALSE, sizeof (struct flurm_corunner));
        e->corunner_prev = g_array_new (FALSE, FALSE, sizeof (struct flurm_corunner));
        e->pair_refused = g_array_new (FALSE, FALSE, sizeof (uint32_t));
        e->refresh_list = g_array_new (FALSE, FALSE, sizeof (size_t));
        e->node_jobs = g_new0 (uint32_t, flurm_graph_size (e->g));
        e->node_busy_since = g_new0 (double, flurm_graph_size (e->g));
    }
    for (size_t i = 0; i < w->njobs; i++)
        heap_push (e, w->jobs[i].submit, EV_SUBMIT, i, 0);
    e->nsubmits_total = w->njobs;
    return e;
fail:
    flurm_engine_destroy (e);
    return NULL;
}

void flurm_engine_destroy (struct flurm_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nrunning; i++)
        (void)flurm_matcher_free (e->m, e->jobs[e->running[i]].id, NULL);
    for (size_t i = 0; i < e->njobs; i++) {
        g_free (e->jobs[i].cores);
        g_free (e->jobs[i].nodes);
        g_free (e->jobs[i].corunners);
        if (e->x[i].partners)
            g_array_unref (e->x[i].partners);
    }
    flurm_colocation_destroy (e->coloc);
    g_free (e->node_jobs);
    g_free (e->node_busy_since);
    g_free (e->pair_block);
    if (e->pair_refused)
        g_array_unref (e->pair_refused);
    if (e->refresh_list)
        g_array_unref (e->refresh_list);
    if (e->corunner_scratch)
        g_array_unref (e->corunner_scratch);
    if (e->corunner_prev)
        g_array_unref (e->corunner_prev);
    g_free (e->wjob_app);
    for (size_t i = 0; i < e->nresv; i++)
        g_free (e->resv[i].held);
    for (size_t i = 0; i < e->nqueues; i++) {
        g_free (e->queues[i].name);
        g_free (e->queues[i].pending);
    }
    if (e->rng)
        gsl_rng_free (e->rng);
    if (e->satisfiable)
        g_hash_table_destroy (e->satisfiable);
    g_free (e->queues);
    g_free (e->heap);
    g_free (e->jobs);
    g_free (e->x);
    g_free (e->running);
    g_free (e->resv);
    g_free (e->core_index);
    g_free (e->stamp);
    g_free (e->owner);
    g_free (e->times);
    g_free (e->blocker);
    g_free (e->overlap);
    g_free (e->cached_overlap);
    g_free (e);
}

/* ---- small containers ------------------------------------------------- */

static void queue_append (struct queue *q, size_t j)
{
    if (q->npending == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->pending = g_renew (size_t, q->pending, q->cap);
    }
    q->pending[q->npending++] = j;
}

static void queue_remove_at (struct queue *q, size_t i)
{
    memmove (&q->pending[i], &q->pending[i + 1], (q->npending - i - 1) * sizeof (size_t));
    q->npending--;
}

/* Position of the first running job that sorts after (end, id). */
static size_t running_bound (const struct flurm_engine *e, double end, uint64_t id)
{
    size_t lo = 0, hi = e->nrunning;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct flurm_job *r = &e->jobs[e->running[mid]];
        double rend = r->start + r->walltime;
        if (rend < end || (rend == end && r->id < id))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void running_add (struct flurm_engine *e, size_t j)
{
    if (e->nrunning == e->caprunning) {
        e->caprunning = e->caprunning ? 2 * e->caprunning : 64;
        e->running = g_renew (size_t, e->running, e->caprunning);
    }
    const struct flurm_job *job = &e->jobs[j];
    size_t pos = running_bound (e, job->start + job->walltime, job->id);
    memmove (&e->running[pos + 1], &e->running[pos], (e->nrunning - pos) * sizeof (size_t));
    e->running[pos] = j;
    e->nrunning++;
}

static void running_remove (struct flurm_engine *e, size_t j)
{
    const struct flurm_job *job = &e->jobs[j];
    size_t pos = running_bound (e, job->start + job->walltime, job->id);
    memmove (&e->running[pos], &e->running[pos + 1], (e->nrunning - pos - 1) * sizeof (size_t));
    e->nrunning--;
}

static void resv_remove (struct flurm_engine *e, size_t j)
{
    ptrdiff_t r = e->x[j].resv;
    if (r < 0)
        return;
    e->release_epoch++;
    g_free (e->resv[r].held);
    e->resv[r] = e->resv[--e->nresv];
    if ((size_t)r < e->nresv)
        e->x[e->resv[r].job].resv = r;
    e->x[j].resv = -1;
    e->queues[e->jobs[j].queue].nresv--;
    e->version++;
}

/* j's reservation at `start`, holding `held` (taken over: freed with the
 * reservation). */
static void resv_add (struct flurm_engine *e, size_t j, double start, flurm_vid *held,
                      size_t nheld)
{
    if (e->nresv == e->capresv) {
        e->capresv = e->capresv ? 2 * e->capresv : 16;
        e->resv = g_renew (struct resv, e->resv, e->capresv);
    }
    struct resv *r = &e->resv[e->nresv];
    r->job = j;
    r->start = start;
    r->end = start + e->jobs[j].walltime;
    r->held = held;
    r->nheld = nheld;
    e->version++;
    e->x[j].resv = (ptrdiff_t)e->nresv++;
    e->x[j].plan_epoch = e->epoch;
    e->queues[e->jobs[j].queue].nresv++;
    if (e->jobs[j].first_reservation < 0 || start < e->jobs[j].first_reservation)
        e->jobs[j].first_reservation = start;
    e->stats.reservations++;
}

/* ---- job life ------------------------------------------------------------ */

static double expected_end (const struct flurm_engine *e, size_t j)
{
    return e->jobs[j].start + e->jobs[j].walltime;
}

static void push_end_event (struct flurm_engine *e, size_t j)
{
    struct flurm_job *job = &e->jobs[j];
    e->x[j].gen++;
    if (e->external_ends)
        return; /* the caller reports the end */
    /* rounding may leave a hair of negative work: never end in the past */
    double finish = e->now + fmax (job->work - job->work_done, 0) / job->rate;
    double kill = job->start + job->walltime;
    if (finish <= kill)
        heap_push (e, finish, EV_FINISH, j, e->x[j].gen);
    else
        heap_push (e, kill, EV_KILL, j, e->x[j].gen);
}

/* "0-3 8 10-11" from the held cores (evalys' interval-set text). */
static char *format_cores (const struct flurm_engine *e, const struct flurm_alloc *a)
{
    GString *s = g_string_new (NULL);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t i = 0; i <= a->nheld; i++) {
        uint32_t c = i < a->nheld ? e->core_index[a->held[i]] : UINT32_MAX;
        if (i < a->nheld && c == UINT32_MAX)
            continue;
        if (lo != UINT32_MAX && c == hi + 1) {
            hi = c;
            continue;
        }
        if (lo != UINT32_MAX) {
            if (s->len)
                g_string_append_c (s, ' ');
            if (lo == hi)
                g_string_append_printf (s, "%u", lo);
            else
                g_string_append_printf (s, "%u-%u", lo, hi);
        }
        lo = hi = c;
    }
    return g_string_free (s, FALSE);
}

static char *format_nodes (const struct flurm_engine *e, const struct flurm_alloc *a)
{
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    char buf[FLURM_NAME_MAX];
    for (size_t i = 0; i < a->nnodes; i++) {
        if (flurm_hostlist_append_host (hl, flurm_graph_name (e->g, a->nodes[i], buf), NULL) == 0)
            continue;
        /* A JGF may name a node what no hostlist can hold (a space, a
         * comma): list the names plainly rather than lose one. */
        flurm_hostlist_destroy (hl);
        GString *plain = g_string_new (NULL);
        for (size_t k = 0; k < a->nnodes; k++)
            g_string_append_printf (plain, "%s%s", k ? " " : "",
                                    flurm_graph_name (e->g, a->nodes[k], buf));
        return g_string_free (plain, FALSE);
    }
    char *s = flurm_hostlist_encode (hl);
    flurm_hostlist_destroy (hl);
    return s;
}

/* ---- interference -------------------------------------------------------- */

/* Bring j's work and its co-location and fallback clocks up to now. */
static void advance (struct flurm_engine *e, size_t j)
{
    struct flurm_job *job = &e->jobs[j];
    double dt = e->now - job->rate_since;
    job->work_done += job->rate * dt;
    if (e->x[j].colocated)
        job->colocated_time += dt;
    if (e->x[j].fallback)
        job->fallback_time += dt;
    job->rate_since = e->now;
}

static void note_partner (struct flurm_engine *e, size_t j, uint64_t id)
{
    GArray *p = e->x[j].partners;
    if (!p)
        p = e->x[j].partners = g_array_new (FALSE, FALSE, sizeof (uint64_t));
    /* a wide job meets its latest partner on socket after socket */
    if (p->len && g_array_index (p, uint64_t, p->len - 1) == id)
        return;
    for (guint i = 0; i < p->len; i++) {
        if (g_array_index (p, uint64_t, i) == id)
            return;
    }
    g_array_append_val (p, id);
}

/* Job j's rate as the model sees its sockets now: the slowest of them.
 * With `note`, the jobs met are remembered as j's co-runners. */
static double compute_rate (struct flurm_engine *e, size_t j, bool note, bool *fallback,
                            bool *colocated, flurm_error_t *err)
{
    struct flurm_job *job = &e->jobs[j];
    size_t ns;
    const struct flurm_coloc_entry *socks = flurm_colocation_sockets_of (e->coloc, j, &ns);
    double rate = INFINITY;
    *fallback = *colocated = false;
    /* A wide job sees the same company on most of its sockets (its partner
     * on every one): the model is asked again only when what a socket
     * holds differs from the socket before (kept in `prev`). */
    GArray *cur = e->corunner_scratch, *prev = e->corunner_prev;
    g_array_set_size (prev, 0);
    double prev_r = -1;
    bool prev_fb = false;
    uint32_t prev_procs = 0, prev_cores = 0;
    for (size_t k = 0; k < ns; k++) {
        size_t non;
        const struct flurm_coloc_entry *on = flurm_colocation_jobs_on (e->coloc, socks[k].socket,
                                                                        &non);
        g_array_set_size (cur, 0);
        for (size_t i = 0; i < non; i++) {
            if (on[i].job == j)
                continue;
            struct flurm_corunner c = {e->jobs[on[i].job].app, on[i].procs};
            g_array_append_val (cur, c);
            if (note)
                note_partner (e, j, e->jobs[on[i].job].id);
        }
        *colocated |= cur->len > 0;
        if (job->app < 0)
            continue;
        struct flurm_socket_share share = {
            .procs = socks[k].procs,
            .cores = flurm_colocation_socket_cores (e->coloc, socks[k].socket),
            .others = (const struct flurm_corunner *)(void *)cur->data,
            .nothers = cur->len,
        };
        bool fb = prev_fb;
        double r = prev_r;
        if (!(prev_r > 0 && share.procs == prev_procs && share.cores == prev_cores
              && cur->len == prev->len
              && (cur->len == 0
                  || memcmp (cur->data, prev->data,
                             cur->len * sizeof (struct flurm_corunner)) == 0))) {
            r = flurm_interference_rate (e->model, (uint32_t)job->app, &share, &fb, err);
            if (!(r > 0))
                return -1;
        }
        prev_r = r;
        prev_fb = fb;
        prev_procs = share.procs;
        prev_cores = share.cores;
        GArray *swap = cur;
        cur = prev;
        prev = swap;
        /* a fallback counts only when it decides the rate */
        if (r < rate)
            *fallback = fb;
        else if (r == rate)
            *fallback &= fb;
        if (r < rate)
            rate = r;
    }
    return isfinite (rate) ? rate : 1.0;
}

/* Ask the model for running job j's rate again; a changed rate moves j's
 * end event. */
static int refresh_rate (struct flurm_engine *e, size_t j, flurm_error_t *err)
{
    struct flurm_job *job = &e->jobs[j];
    bool fallback, colocated;
    double rate = compute_rate (e, j, true, &fallback, &colocated, err);
    if (rate < 0)
        return flurm_error_prefix (err, "job %ju ('%s')", (uintmax_t)job->id,
                                   e->w->jobs[job->wjob].name);
    advance (e, j);
    e->x[j].colocated = colocated;
    e->x[j].fallback = fallback;
    if (rate < job->min_rate)
        job->min_rate = rate;
    if (rate != job->rate) {
        job->rate = rate;
        push_end_event (e, j);
    }
    return 0;
}

/* Refresh every running job that shares a socket with j (and j itself
 * when it is still recorded). */
static int refresh_neighbours (struct flurm_engine *e, size_t j, const uint32_t *sockets,
                               size_t ns, flurm_error_t *err)
{
    /* A wide job meets its partner on every one of its sockets: refresh
     * each job once, not once per shared socket (that was quadratic in
     * the sockets of a 26-node job). */
    if (++e->refresh_stamp == 0)
        e->refresh_stamp = 1;
    g_array_set_size (e->refresh_list, 0);
    for (size_t k = 0; k < ns; k++) {
        size_t non;
        const struct flurm_coloc_entry *on = flurm_colocation_jobs_on (e->coloc, sockets[k], &non);
        for (size_t i = 0; i < non; i++) {
            if (e->x[on[i].job].refreshed == e->refresh_stamp)
                continue;
            e->x[on[i].job].refreshed = e->refresh_stamp;
            g_array_append_val (e->refresh_list, on[i].job);
        }
    }
    for (guint i = 0; i < e->refresh_list->len; i++) {
        if (refresh_rate (e, g_array_index (e->refresh_list, size_t, i), err) < 0)
            return -1;
    }
    return 0;
}

static uint32_t *sockets_of (struct flurm_engine *e, size_t j, size_t *n)
{
    const struct flurm_coloc_entry *socks = flurm_colocation_sockets_of (e->coloc, j, n);
    uint32_t *out = g_new (uint32_t, *n ? *n : 1);
    for (size_t k = 0; k < *n; k++)
        out[k] = socks[k].socket;
    return out;
}

static int interference_start (struct flurm_engine *e, size_t j, const struct flurm_alloc *a,
                               flurm_error_t *err)
{
    if (!e->coloc)
        return 0;
    flurm_colocation_add (e->coloc, j, a->held, a->nheld);
    for (size_t i = 0; i < a->nnodes; i++) {
        if (e->node_jobs[a->nodes[i]]++ == 0)
            e->node_busy_since[a->nodes[i]] = e->now;
    }
    size_t ns;
    uint32_t *socks = sockets_of (e, j, &ns);
    int rc = refresh_neighbours (e, j, socks, ns, err);
    g_free (socks);
    return rc;
}

static char *format_partners (const GArray *p)
{
    if (!p || p->len == 0)
        return NULL;
    GString *s = g_string_new (NULL);
    for (guint i = 0; i < p->len; i++)
        g_string_append_printf (s, "%s%ju", i ? " " : "", (uintmax_t)g_array_index (p, uint64_t, i));
    return g_string_free (s, FALSE);
}

/* Before the matcher forgets j: its nodes may become idle. */
static void interference_release_nodes (struct flurm_engine *e, const struct flurm_alloc *a)
{
    if (!e->coloc || !a)
        return;
    for (size_t i = 0; i < a->nnodes; i++) {
        if (--e->node_jobs[a->nodes[i]] == 0)
            e->stats.busy_node_seconds += e->now - e->node_busy_since[a->nodes[i]];
    }
}

static int interference_end (struct flurm_engine *e, size_t j, flurm_error_t *err)
{
    if (!e->coloc)
        return 0;
    size_t ns;
    uint32_t *socks = sockets_of (e, j, &ns);
    flurm_colocation_remove (e->coloc, j);
    int rc = refresh_neighbours (e, j, socks, ns, err);
    g_free (socks);
    e->jobs[j].corunners = format_partners (e->x[j].partners);
    return rc;
}

static int start_job (struct flurm_engine *e, size_t j, bool backfilled, flurm_error_t *err)
{
    struct flurm_job *job = &e->jobs[j];
    const struct flurm_alloc *a = flurm_matcher_lookup (e->m, job->id);
    e->version++;
    job->state = FLURM_JOB_RUNNING;
    job->start = e->now;
    job->rate = 1.0;
    job->rate_since = e->now;
    job->ncores = a->ncores;
    job->nnodes = (uint32_t)a->nnodes;
    job->cores = format_cores (e, a);
    job->nodes = format_nodes (e, a);
    job->backfilled = backfilled;
    if (backfilled)
        e->stats.backfilled++;
    e->stats.events++;
    if (e->x[j].resv >= 0 || job->first_reservation >= 0)
        e->epoch++; /* its reserved resources may differ from what it took */
    resv_remove (e, j);
    if (e->coloc && e->pairing->judge)
        e->release_epoch++;
    running_add (e, j);
    push_end_event (e, j);
    if (interference_start (e, j, a, err) < 0)
        return -1;
    if (e->on_start && e->on_start (e->hook_arg, job, a, err) < 0)
        return -1;
    if (!e->check)
        return 0;
    if (job->start < job->submit)
        return flurm_error_set (err, "invariant: job %ju starts at %.6f before its "
                                "submission at %.6f", (uintmax_t)job->id, job->start,
                                job->submit);
    if (job->first_reservation >= 0 && job->start > job->first_reservation + TIME_EPSILON)
        return flurm_error_set (err, "invariant: job %ju starts at %.6f, later than its "
                                "reservation at %.6f", (uintmax_t)job->id, job->start,
                                job->first_reservation);
    for (size_t i = 0; i < a->nheld; i++) {
        if (e->owner[a->held[i]])
            return flurm_error_set (err, "invariant: vertex %u given to job %ju while "
                                    "job %ju holds it", a->held[i], (uintmax_t)job->id,
                                    (uintmax_t)e->owner[a->held[i]]);
        e->owner[a->held[i]] = job->id;
    }
    return 0;
}

static int end_job (struct flurm_engine *e, size_t j, enum flurm_job_state state,
                    flurm_error_t *err)
{
    struct flurm_job *job = &e->jobs[j];
    advance (e, j);
    if (state == FLURM_JOB_COMPLETED)
        job->work_done = job->work;
    job->state = state;
    job->end = e->now;
    if (e->check && !e->observe_only) {
        const struct flurm_alloc *a = flurm_matcher_lookup (e->m, job->id);
        for (size_t i = 0; a && i < a->nheld; i++)
            e->owner[a->held[i]] = 0;
    }
    if (!e->observe_only) {
        interference_release_nodes (e, flurm_matcher_lookup (e->m, job->id));
        if (flurm_matcher_free (e->m, job->id, err) < 0)
            return -1;
    }
    e->release_epoch++;
    e->version++;
    running_remove (e, j);
    if (interference_end (e, j, err) < 0)
        return -1;
    if (job->end < job->start + job->walltime)
        e->epoch++;
    e->nended++;
    const struct flurm_wjob *wj = &e->w->jobs[job->wjob];
    if (wj->repeat_until >= 0 && e->now < wj->repeat_until) {
        heap_push (e, e->now, EV_SUBMIT, job->wjob, job->repetition + 1);
        e->nsubmits_total++;
    }
    return 0;
}

static int jobspec_satisfiable (struct flurm_engine *e, const struct flurm_jobspec *js,
                                flurm_error_t *err)
{
    gpointer v = g_hash_table_lookup (e->satisfiable, js);
    if (v)
        return GPOINTER_TO_INT (v) - 1;
    int ok = flurm_matcher_satisfiable (e->m, js, err);
    if (ok < 0)
        return -1;
    g_hash_table_insert (e->satisfiable, (gpointer)js, GINT_TO_POINTER (ok + 1));
    return ok;
}

static int submit_job (struct flurm_engine *e, size_t wi, unsigned repetition,
                       flurm_error_t *err)
{
    const struct flurm_wjob *wj = &e->w->jobs[wi];
    if (e->njobs == e->capjobs) {
        e->capjobs = e->capjobs ? 2 * e->capjobs : 1024;
        e->jobs = g_renew (struct flurm_job, e->jobs, e->capjobs);
        e->x = g_renew (struct jobx, e->x, e->capjobs);
    }
    size_t j = e->njobs++;
    struct flurm_job *job = &e->jobs[j];
    memset (job, 0, sizeof (*job));
    job->id = j + 1;
    job->wjob = wi;
    job->repetition = repetition;
    job->submit = e->now;
    job->start = job->end = -1;
    job->walltime = wj->walltime;
    job->work = wj->runtime;
    job->rate = 1.0;
    job->min_rate = 1.0;
    job->app = e->wjob_app[wi];
    job->first_reservation = -1;
    unsigned q = 0;
    (void)find_queue (e, wj->queue, &q);
    job->queue = q;
    e->x[j] = (struct jobx){.gen = 0, .resv = -1, .plan_epoch = 0, .partners = NULL,
                            .refreshed = 0, .busy_at = 0};
    e->stats.events++;
    int ok = e->observe_only ? 1 : jobspec_satisfiable (e, wj->js, err);
    if (ok < 0)
        return flurm_error_prefix (err, "job '%s'", wj->name);
    if (!ok) {
        job->state = FLURM_JOB_REJECTED;
        e->nended++;
        return 0;
    }
    job->state = FLURM_JOB_PENDING;
    queue_append (&e->queues[q], j);
    return e->on_submit ? e->on_submit (e->hook_arg, job, err) : 0;
}

/* ---- placement -------------------------------------------------------- */

static uint64_t free_cores (const struct flurm_engine *e)
{
    return e->core_t < 0 ? 0 : flurm_graph_free (e->g, 0, e->core_t);
}

static int cmp_double (const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Make every reservation other than j's that overlaps [t, t + w) hold its
 * vertices, through one pseudo job.  When the cores left free would be
 * fewer than `need`, nothing is adopted and *room is false: the caller
 * need not match. */
static int block_reservations (struct flurm_engine *e, size_t j, double t, double w,
                               uint64_t need, bool *adopted, bool *room, flurm_error_t *err)
{
    *adopted = false;
    *room = true;
    e->noverlap = 0;
    for (size_t r = 0; r < e->nresv; r++) {
        const struct resv *rv = &e->resv[r];
        if (rv->job == j || !(rv->start < t + w && rv->end > t))
            continue;
        if (e->noverlap == e->capoverlap) {
            e->capoverlap = e->capoverlap ? 2 * e->capoverlap : 16;
            e->overlap = g_renew (size_t, e->overlap, e->capoverlap);
            e->cached_overlap = g_renew (size_t, e->cached_overlap, e->capoverlap);
        }
        e->overlap[e->noverlap++] = r;
    }
    bool hit = e->blocker_cached && e->blocker_version == e->version
               && e->ncached_overlap == e->noverlap
               && (e->noverlap == 0
                   || !memcmp (e->overlap, e->cached_overlap, e->noverlap * sizeof (size_t)));
    if (!hit) {
        size_t n = 0, cores = 0;
        if (++e->stamp_now == 0) {
            memset (e->stamp, 0, flurm_graph_size (e->g) * sizeof (uint32_t));
            e->stamp_now = 1;
        }
        for (size_t k = 0; k < e->noverlap; k++) {
            const struct resv *rv = &e->resv[e->overlap[k]];
            for (size_t i = 0; i < rv->nheld; i++) {
                flurm_vid v = rv->held[i];
                if (e->stamp[v] == e->stamp_now || flurm_graph_is_taken (e->g, v))
                    continue;
                e->stamp[v] = e->stamp_now;
                if (n == e->capblocker) {
                    e->capblocker = e->capblocker ? 2 * e->capblocker : 256;
                    e->blocker = g_renew (flurm_vid, e->blocker, e->capblocker);
                }
                e->blocker[n++] = v;
                cores += e->core_index[v] != UINT32_MAX;
            }
        }
        e->nblocker = n;
        e->nblocker_cores = cores;
        e->blocker_cached = true;
        e->blocker_version = e->version;
        e->ncached_overlap = e->noverlap;
        if (e->noverlap)
            memcpy (e->cached_overlap, e->overlap, e->noverlap * sizeof (size_t));
    }
    if (e->core_t >= 0 && free_cores (e) < need + e->nblocker_cores) {
        *room = false;
        return 0;
    }
    if (e->nblocker == 0)
        return 0;
    if (flurm_matcher_adopt (e->m, PSEUDO_JOBID, e->blocker, e->nblocker, err) < 0)
        return -1;
    *adopted = true;
    return 0;
}

static int unblock (struct flurm_engine *e, bool *adopted, flurm_error_t *err)
{
    if (!*adopted)
        return 0;
    *adopted = false;
    return flurm_matcher_free (e->m, PSEUDO_JOBID, err);
}

/* ---- co-scheduling -------------------------------------------------------- */

static bool socket_refused (const struct flurm_engine *e, uint32_t socket)
{
    for (guint i = 0; i < e->pair_refused->len; i++) {
        if (g_array_index (e->pair_refused, uint32_t, i) == socket)
            return true;
    }
    return false;
}

/* Hold, through PAIRING_JOBID, the free cores of every socket a sharing
 * job may not use now: sockets already holding max_per_socket jobs,
 * sockets the rule refused in this attempt, and, with `fill`, sockets
 * nobody uses yet (to try the half-used ones first).  Cores are held
 * rather than sockets because the matcher prunes by free cores. */
static int block_for_pairing (struct flurm_engine *e, bool fill, bool *adopted,
                              flurm_error_t *err)
{
    *adopted = false;
    size_t n = 0;
    uint32_t nsockets = flurm_colocation_nsockets (e->coloc);
    for (uint32_t sk = 0; sk < nsockets; sk++) {
        size_t njobs, ncores;
        (void)flurm_colocation_jobs_on (e->coloc, sk, &njobs);
        if (!(njobs >= e->max_per_socket || (fill && njobs == 0) || socket_refused (e, sk)))
            continue;
        flurm_vid sv = flurm_colocation_socket_vertex (e->coloc, sk);
        if (e->core_t >= 0 && flurm_graph_free (e->g, sv, e->core_t) == 0)
            continue; /* nothing free to hold */
        const flurm_vid *cores = flurm_colocation_socket_core_list (e->coloc, sk, &ncores);
        for (size_t i = 0; i < ncores; i++) {
            if (flurm_graph_is_taken (e->g, cores[i]))
                continue;
            if (n == e->cap_pair_block) {
                e->cap_pair_block = e->cap_pair_block ? 2 * e->cap_pair_block : 256;
                e->pair_block = g_renew (flurm_vid, e->pair_block, e->cap_pair_block);
            }
            e->pair_block[n++] = cores[i];
        }
    }
    if (n == 0)
        return 0;
    if (flurm_matcher_adopt (e->m, PAIRING_JOBID, e->pair_block, n, err) < 0)
        return -1;
    *adopted = true;
    return 0;
}

static int unblock_pairing (struct flurm_engine *e, bool *adopted, flurm_error_t *err)
{
    if (!*adopted)
        return 0;
    *adopted = false;
    return flurm_matcher_free (e->m, PAIRING_JOBID, err);
}

/* The rule's score for job j started now on `held` (< 0: refused, and
 * the sockets it would share are added to e->pair_refused).  The model's
 * rates are predicted by recording j in the co-location index for the
 * time of the question. *failed is set on a model error. */
static double judge_placement (struct flurm_engine *e, size_t j, const struct flurm_alloc *a,
                               bool *failed, flurm_error_t *err)
{
    *failed = false;
    if (!e->pairing->judge)
        return 0; /* accepts everything: no prediction needed */
    flurm_colocation_add (e->coloc, j, a->held, a->nheld);
    GArray *joined = g_array_new (FALSE, FALSE, sizeof (size_t));
    GArray *shared = g_array_new (FALSE, FALSE, sizeof (uint32_t));
    size_t ns;
    const struct flurm_coloc_entry *socks = flurm_colocation_sockets_of (e->coloc, j, &ns);
    for (size_t k = 0; k < ns; k++) {
        size_t non;
        const struct flurm_coloc_entry *on = flurm_colocation_jobs_on (e->coloc, socks[k].socket,
                                                                        &non);
        if (non > 1)
            g_array_append_val (shared, socks[k].socket);
        for (size_t i = 0; i < non; i++) {
            bool seen = on[i].job == j;
            for (guint x = 0; !seen && x < joined->len; x++)
                seen = g_array_index (joined, size_t, x) == on[i].job;
            if (!seen)
                g_array_append_val (joined, on[i].job);
        }
    }
    double *before = g_new (double, joined->len + 1);
    double *after = g_new (double, joined->len + 1);
    bool fallback, colocated;
    double own = compute_rate (e, j, false, &fallback, &colocated, err);
    for (guint x = 0; own >= 0 && x < joined->len; x++) {
        size_t k = g_array_index (joined, size_t, x);
        before[x] = e->jobs[k].rate;
        after[x] = compute_rate (e, k, false, &fallback, &colocated, err);
        if (after[x] < 0)
            own = -1;
    }
    double score = -1;
    if (own < 0) {
        *failed = true;
    }
    else {
        struct flurm_pairing_view view = {own, joined->len, before, after, e->pairing_threshold};
        score = e->pairing->judge ? e->pairing->judge (&view) : 0;
        if (score < 0)
            g_array_append_vals (e->pair_refused, shared->data, shared->len);
    }
    flurm_colocation_remove (e->coloc, j);
    g_free (before);
    g_free (after);
    g_array_unref (joined);
    g_array_unref (shared);
    return score;
}

/* Whether js fits now (a dry run whose record is dropped). */
static enum flurm_match_result find_fits (struct flurm_engine *e,
                                                      const struct flurm_jobspec *js,
                                                      flurm_error_t *err)
{
    struct flurm_alloc *found = NULL;
    enum flurm_match_result mr = flurm_matcher_find (e->m, js, 0, &found, err);
    flurm_alloc_destroy (found);
    return mr;
}

/* Place sharing job j now as the pairing rule wants: a placement (found
 * by a dry run) the rule accepts, on half-used sockets first when the rule
 * says so, moving away from refused sockets.  *score receives the rule's
 * score.  With `commit` the placement is then taken: the same match under
 * the same blockers, so the matcher's own state (Fluxion's visiting order)
 * advances exactly as for any other start.  ALLOCATED, BUSY or ERROR. */
static enum flurm_match_result match_paired (struct flurm_engine *e, size_t j, bool commit,
                                             double *score, flurm_error_t *err)
{
    const struct flurm_job *job = &e->jobs[j];
    const struct flurm_wjob *wj = &e->w->jobs[job->wjob];
    g_array_set_size (e->pair_refused, 0);
    bool fill = e->pairing->fill_shared_first;
    /* A reservation is planned without the pairing rule's say, and nothing
     * wakes the scheduler at its time when the resources free up earlier:
     * a job that was ever given one starts as soon as it fits, so that no
     * rule makes it start later than promised. */
    if (job->first_reservation >= 0) {
        *score = 0;
        return commit ? flurm_matcher_allocate (e->m, wj->js, job->id, 0, NULL, err)
                      : find_fits (e, wj->js, err);
    }
    for (;;) {
        bool adopted, failed = false;
        if (block_for_pairing (e, fill, &adopted, err) < 0)
            return FLURM_MATCH_ERROR;
        struct flurm_alloc *found = NULL;
        guint refused_before = e->pair_refused->len;
        /* a rule without a judge takes the first placement: no dry run */
        bool direct = commit && !e->pairing->judge;
        enum flurm_match_result mr =
            direct ? flurm_matcher_allocate (e->m, wj->js, job->id, 0, NULL, err)
                   : flurm_matcher_find (e->m, wj->js, 0, &found, err);
        double sc = direct && mr == FLURM_MATCH_ALLOCATED ? 0 : -1;
        if (!direct && mr == FLURM_MATCH_ALLOCATED) {
            sc = judge_placement (e, j, found, &failed, err);
            if (!failed && sc >= 0 && commit)
                mr = flurm_matcher_allocate (e->m, wj->js, job->id, 0, NULL, err);
        }
        flurm_alloc_destroy (found);
        if (unblock_pairing (e, &adopted, failed ? NULL : err) < 0 || failed
            || mr == FLURM_MATCH_ERROR)
            return FLURM_MATCH_ERROR;
        if (mr == FLURM_MATCH_ALLOCATED && sc >= 0) {
            *score = sc;
            return FLURM_MATCH_ALLOCATED;
        }
        if (mr == FLURM_MATCH_ALLOCATED) {
            e->stats.pairing_refusals++;
            if (e->pair_refused->len > refused_before)
                continue; /* try again away from the refused sockets */
            return FLURM_MATCH_BUSY; /* refused even alone: it waits */
        }
        if (fill) {
            fill = false; /* no half-used socket fits: idle ones then */
            continue;
        }
        return FLURM_MATCH_BUSY;
    }
}

enum place_result { PLACE_ERROR = -1, PLACE_STARTED, PLACE_RESERVED, PLACE_BLOCKED };

/* Try job j at time t in the state prepared by the caller.  At t == now
 * the match is real (the job starts); later it is a dry run whose result
 * becomes j's reservation. */
static enum place_result try_at (struct flurm_engine *e, size_t j, double t,
                                 flurm_error_t *err)
{
    const struct flurm_job *job = &e->jobs[j];
    const struct flurm_wjob *wj = &e->w->jobs[job->wjob];
    bool now = t <= e->now;
    /* Counting free cores costs nothing; building the blockers and
     * matching do, so a job that cannot fit by count is turned away first,
     * and again once the reservations hold their cores.  A job that did
     * not fit now and for which nothing was released since is turned away
     * too (the head job is re-planned after every early end elsewhere). */
    if ((now && e->x[j].busy_at == e->release_epoch + 1)
        || (e->core_t >= 0 && wj->ncores > free_cores (e))) {
        e->stats.quick_rejects++;
        return PLACE_BLOCKED;
    }
    bool adopted, room;
    if (block_reservations (e, j, t, job->walltime, wj->ncores, &adopted, &room, err) < 0)
        return PLACE_ERROR;
    enum place_result res = PLACE_BLOCKED;
    if (!room) {
        e->stats.quick_rejects++;
    }
    else {
        /* Now: take the resources.  Later: only find where it would go
         * (Fluxion's without_allocating); that becomes the reservation. */
        struct flurm_alloc *found = NULL;
        double score;
        e->stats.match_calls++;
        enum flurm_match_result mr =
            now && e->coloc && e->queues[job->queue].share
                ? match_paired (e, j, true, &score, err)
            : now ? flurm_matcher_allocate (e->m, wj->js, job->id, 0, NULL, err)
                  : flurm_matcher_find (e->m, wj->js, 0, &found, err);
        if (mr == FLURM_MATCH_ERROR) {
            (void)unblock (e, &adopted, NULL);
            flurm_error_prefix (err, "job %ju ('%s')", (uintmax_t)job->id, wj->name);
            return PLACE_ERROR;
        }
        if (mr == FLURM_MATCH_ALLOCATED && now) {
            res = PLACE_STARTED;
        }
        else if (mr == FLURM_MATCH_ALLOCATED) {
            /* steal the vertex list from the dry-run record */
            resv_add (e, j, t, found->held, found->nheld);
            found->held = NULL;
            found->nheld = 0;
            flurm_alloc_destroy (found);
            res = PLACE_RESERVED;
        }
    }
    if (now && res == PLACE_BLOCKED)
        e->x[j].busy_at = e->release_epoch + 1;
    if (unblock (e, &adopted, err) < 0)
        return PLACE_ERROR;
    return res;
}

/* Earliest start of job j: now if it fits, else the first candidate time
 * (expected ends of running jobs, ends of reservations) at which it can be
 * matched.  Running jobs leave the matcher in order of expected end as
 * time advances, but only once their cores, counted, could make room: most
 * candidate times are refused by arithmetic alone.  Then they come back. */
static enum place_result plan (struct flurm_engine *e, size_t j, flurm_error_t *err)
{
    /* The old reservation is still valid (running jobs end no later than
     * expected, other reservations only moved earlier), so it stays a
     * candidate: the new one is never later. */
    double old = -1;
    flurm_vid *old_held = NULL;
    size_t old_nheld = 0;
    if (e->x[j].resv >= 0) {
        struct resv *r = &e->resv[e->x[j].resv];
        old = r->start;
        old_held = r->held;
        old_nheld = r->nheld;
        r->held = NULL;
    }
    uint64_t need = e->w->jobs[e->jobs[j].wjob].ncores;
    /* dropping its own reservation frees nothing for j itself */
    bool was_busy = e->x[j].busy_at == e->release_epoch + 1;
    resv_remove (e, j);
    if (was_busy)
        e->x[j].busy_at = e->release_epoch + 1;
    enum place_result res = try_at (e, j, e->now, err);
    if (res != PLACE_BLOCKED) {
        g_free (old_held);
        return res;
    }

    size_t nrun = e->nrunning, nother = 0;
    e->times = g_renew (double, e->times, e->nresv + 1);
    for (size_t r = 0; r < e->nresv; r++)
        e->times[nother++] = e->resv[r].end;
    if (old > e->now)
        e->times[nother++] = old;
    qsort (e->times, nother, sizeof (double), cmp_double);

    size_t unapplied = 0, released = 0, ri = 0, oi = 0;
    uint64_t released_cores = 0;
    double last = e->now;
    res = PLACE_BLOCKED;
    while (res == PLACE_BLOCKED && (ri < nrun || oi < nother)) {
        /* Next candidate: the earlier of the next running end and the
         * next reservation end. */
        double tr = ri < nrun ? expected_end (e, e->running[ri]) : INFINITY;
        double t = oi < nother && e->times[oi] < tr ? e->times[oi++] : (ri++, tr);
        if (t <= last)
            continue;
        last = t;
        if (t == old) {
            /* Nothing earlier fits, and the old placement is still free
             * then: running jobs end no later than expected, later jobs
             * started around it, other reservations were planned with it
             * held.  Keeping it costs nothing; a fresh match would only
             * pick other, equally good vertices. */
            resv_add (e, j, old, old_held, old_nheld);
            old_held = NULL;
            res = PLACE_RESERVED;
            break;
        }
        while (released < nrun && expected_end (e, e->running[released]) <= t)
            released_cores += e->jobs[e->running[released++]].ncores;
        if (e->core_t >= 0 && free_cores (e) + released_cores < need) {
            e->stats.quick_rejects++;
            continue;
        }
        for (; unapplied < released; unapplied++) {
            size_t r = e->running[unapplied];
            if (flurm_matcher_unapply (e->m, e->jobs[r].id, err) < 0) {
                g_free (old_held);
                return PLACE_ERROR;
            }
            e->version++;
            released_cores -= e->jobs[r].ncores;
        }
        res = try_at (e, j, t, err);
    }
    g_free (old_held);
    if (res == PLACE_RESERVED && old >= 0 && e->resv[e->x[j].resv].start < old)
        e->epoch++; /* moved earlier: what it held later is free again */
    for (size_t i = 0; i < unapplied; i++) {
        if (flurm_matcher_apply (e->m, e->jobs[e->running[i]].id, err) < 0)
            return PLACE_ERROR;
        e->version++;
    }
    if (res == PLACE_BLOCKED)
        flurm_error_set (err, "job %ju ('%s') cannot be matched even on the idle graph",
                         (uintmax_t)e->jobs[j].id, e->w->jobs[e->jobs[j].wjob].name);
    return res == PLACE_BLOCKED ? PLACE_ERROR : res;
}

/* ---- the scheduling pass ---------------------------------------------- */

/* best-pair: while some of the first queue-depth jobs fit now, start the
 * one whose start the rule scores highest (the earliest among equals). */
static int start_best_pairs (struct flurm_engine *e, struct queue *q, flurm_error_t *err)
{
    for (;;) {
        size_t best = SIZE_MAX;
        double best_score = -1;
        for (size_t i = 0; i < q->npending && i < q->depth; i++) {
            size_t j = q->pending[i];
            const struct flurm_wjob *wj = &e->w->jobs[e->jobs[j].wjob];
            if (e->core_t >= 0 && wj->ncores > free_cores (e))
                continue;
            bool adopted, room;
            if (block_reservations (e, j, e->now, e->jobs[j].walltime, wj->ncores, &adopted,
                                    &room, err) < 0)
                return -1;
            double score = -1;
            enum flurm_match_result mr = room ? match_paired (e, j, false, &score, err)
                                              : FLURM_MATCH_BUSY;
            if (unblock (e, &adopted, mr == FLURM_MATCH_ERROR ? NULL : err) < 0
                || mr == FLURM_MATCH_ERROR)
                return -1;
            if (mr == FLURM_MATCH_ALLOCATED && score > best_score) {
                best = i;
                best_score = score;
            }
        }
        if (best == SIZE_MAX)
            return 0;
        size_t j = q->pending[best];
        enum place_result res = try_at (e, j, e->now, err);
        if (res == PLACE_ERROR)
            return -1;
        if (res != PLACE_STARTED)
            return flurm_error_set (err, "best-pair: job %ju fitted a dry run but did not "
                                    "start", (uintmax_t)e->jobs[j].id);
        queue_remove_at (q, best);
        if (start_job (e, j, best > 0, err) < 0)
            return -1;
    }
}

/* Whether pending job a goes before pending job b in q: jobs holding a
 * reservation first (a later job the order puts ahead must not push one
 * past the queue depth, where it would miss its reserved start), then the
 * policy's order, then arrival (job index). */
static bool goes_before (const struct flurm_engine *e, const struct queue *q, size_t a,
                         size_t b)
{
    bool ra = e->x[a].resv >= 0, rb = e->x[b].resv >= 0;
    if (ra != rb)
        return ra;
    if (!ra) {
        const struct flurm_job *ja = &e->jobs[a], *jb = &e->jobs[b];
        struct flurm_queue_job qa = {ja->id, ja->submit, ja->walltime,
                                     e->w->jobs[ja->wjob].ncores};
        struct flurm_queue_job qb = {jb->id, jb->submit, jb->walltime,
                                     e->w->jobs[jb->wjob].ncores};
        int c = q->policy->order (&qa, &qb);
        if (c != 0)
            return c < 0;
    }
    return a < b;
}

/* Sort q by its policy's order (nothing to do without one).  Insertion
 * with a binary search: the queue is sorted from the last pass but for
 * the jobs that arrived or got a reservation since, so few move. */
static void order_queue (const struct flurm_engine *e, struct queue *q)
{
    if (!q->policy->order)
        return;
    for (size_t i = 1; i < q->npending; i++) {
        size_t j = q->pending[i];
        if (!goes_before (e, q, j, q->pending[i - 1]))
            continue;
        size_t lo = 0, hi = i - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (goes_before (e, q, j, q->pending[mid]))
                hi = mid;
            else
                lo = mid + 1;
        }
        memmove (&q->pending[lo + 1], &q->pending[lo], (i - lo) * sizeof (size_t));
        q->pending[lo] = j;
    }
}

static int schedule_queue (struct flurm_engine *e, struct queue *q, flurm_error_t *err)
{
    order_queue (e, q);
    if (q->share && e->coloc && e->pairing->choose_best && start_best_pairs (e, q, err) < 0)
        return -1;
    uint32_t considered = 0;
    size_t i = 0;
    while (i < q->npending && considered < q->depth) {
        size_t j = q->pending[i];
        considered++;
        enum place_result res;
        ptrdiff_t r = e->x[j].resv;
        if (r >= 0 && e->x[j].plan_epoch == e->epoch && e->resv[r].start > e->now)
            res = PLACE_RESERVED; /* nothing freed since it was planned */
        else if (r >= 0 || q->nresv < q->rdepth)
            res = plan (e, j, err);
        else
            res = try_at (e, j, e->now, err);
        if (res == PLACE_ERROR)
            return -1;
        if (res == PLACE_STARTED) {
            queue_remove_at (q, i);
            if (start_job (e, j, i > 0, err) < 0)
                return -1;
            continue;
        }
        if (res == PLACE_BLOCKED && q->policy->blocking)
            break;
        i++;
    }
    return 0;
}

static int schedule_pass (struct flurm_engine *e, flurm_error_t *err)
{
    if (e->observe_only)
        return 0;
    e->stats.passes++;
    for (size_t i = 0; i < e->nqueues; i++) {
        if (schedule_queue (e, &e->queues[i], err) < 0)
            return -1;
    }
    return 0;
}

/* ---- main loop ------------------------------------------------------- */

static int handle_event (struct flurm_engine *e, const struct event *ev, flurm_error_t *err)
{
    switch (ev->kind) {
    case EV_SUBMIT:
        return submit_job (e, ev->ref, ev->aux, err);
    case EV_FINISH:
    case EV_KILL:
        if (ev->aux != e->x[ev->ref].gen || e->jobs[ev->ref].state != FLURM_JOB_RUNNING)
            return 0; /* moved by a rate change */
        e->stats.events++;
        return end_job (e, ev->ref,
                        ev->kind == EV_FINISH ? FLURM_JOB_COMPLETED : FLURM_JOB_TIMEOUT,
                        err);
    }
    return 0;
}

double flurm_engine_next_time (const struct flurm_engine *e)
{
    return e->nheap > 0 ? e->heap[0].t : INFINITY;
}

double flurm_engine_now (const struct flurm_engine *e)
{
    return e->now;
}

/* Handle the batch of events at the earliest time, then schedule. */
static int step (struct flurm_engine *e, flurm_error_t *err)
{
    e->now = e->heap[0].t;
    while (e->nheap > 0 && e->heap[0].t == e->now) {
        struct event ev = heap_pop (e);
        if (handle_event (e, &ev, err) < 0)
            return -1;
    }
    return schedule_pass (e, err);
}

int flurm_engine_advance (struct flurm_engine *e, double t, flurm_error_t *err)
{
    if (!(t >= e->now))
        return flurm_error_set (err, "engine: time %.6f is before the clock %.6f", t, e->now);
    while (e->nheap > 0 && e->heap[0].t <= t) {
        if (step (e, err) < 0)
            return -1;
    }
    e->now = t;
    return 0;
}

void flurm_engine_close (struct flurm_engine *e)
{
    for (size_t j = 0; j < e->njobs; j++) {
        if (e->jobs[j].state == FLURM_JOB_PENDING || e->jobs[j].state == FLURM_JOB_RUNNING)
            e->jobs[j].state = FLURM_JOB_UNFINISHED;
    }
}

size_t flurm_engine_active (const struct flurm_engine *e)
{
    return e->njobs - e->nended;
}

int flurm_engine_run (struct flurm_engine *e, flurm_error_t *err)
{
    uint64_t next_progress = PROGRESS_EVERY;
    while (e->nheap > 0) {
        if (step (e, err) < 0)
            return -1;
        if (e->stop && *e->stop)
            return flurm_error_set (err, "interrupted at simulated time %.3f s, with %ju of "
                                    "%ju jobs ended", e->now, (uintmax_t)e->nended,
                                    (uintmax_t)e->nsubmits_total);
        if (e->progress && e->stats.events >= next_progress) {
            next_progress = e->stats.events + PROGRESS_EVERY;
            e->progress (e->progress_arg, (double)e->nended / (double)e->nsubmits_total);
        }
    }
    flurm_engine_close (e);
    if (e->progress)
        e->progress (e->progress_arg, 1.0);
    return 0;
}

static struct flurm_job *live_job (struct flurm_engine *e, uint64_t id, flurm_error_t *err)
{
    if (id == 0 || id > e->njobs) {
        flurm_error_set (err, "engine: no job %ju", (uintmax_t)id);
        return NULL;
    }
    return &e->jobs[id - 1];
}

static void drop_pending (struct flurm_engine *e, size_t j)
{
    struct queue *q = &e->queues[e->jobs[j].queue];
    for (size_t i = 0; i < q->npending; i++) {
        if (q->pending[i] == j) {
            queue_remove_at (q, i);
            break;
        }
    }
    resv_remove (e, j);
}

int flurm_engine_record_start (struct flurm_engine *e, uint64_t id, double start,
                               uint32_t ncores, uint32_t nnodes, const char *nodes,
                               const char *cores, flurm_error_t *err)
{
    struct flurm_job *job = live_job (e, id, err);
    if (!job)
        return -1;
    if (!e->observe_only)
        return flurm_error_set (err, "engine: job %ju: starts are recorded only when "
                                "observing", (uintmax_t)id);
    if (job->state != FLURM_JOB_PENDING)
        return flurm_error_set (err, "engine: job %ju is %s, not pending", (uintmax_t)id,
                                flurm_job_state_str (job->state));
    size_t j = id - 1;
    drop_pending (e, j);
    job->state = FLURM_JOB_RUNNING;
    job->start = start >= 0 && start <= e->now ? start : e->now;
    job->rate_since = e->now;
    job->ncores = ncores;
    job->nnodes = nnodes;
    job->nodes = g_strdup (nodes);
    job->cores = g_strdup (cores);
    running_add (e, j);
    e->stats.events++;
    return 0;
}

int flurm_engine_end_job (struct flurm_engine *e, uint64_t id, enum flurm_job_state state,
                          double start, double end, flurm_error_t *err)
{
    struct flurm_job *job = live_job (e, id, err);
    if (!job)
        return -1;
    size_t j = id - 1;
    bool running = job->state == FLURM_JOB_RUNNING;
    bool ok_state = running ? (state == FLURM_JOB_COMPLETED || state == FLURM_JOB_TIMEOUT
                               || state == FLURM_JOB_FAILED || state == FLURM_JOB_CANCELLED
                               || state == FLURM_JOB_REJECTED)
                            : (state == FLURM_JOB_REJECTED || state == FLURM_JOB_FAILED
                               || state == FLURM_JOB_CANCELLED);
    if (job->state != FLURM_JOB_PENDING && !running)
        return flurm_error_set (err, "engine: job %ju has already ended (%s)", (uintmax_t)id,
                                flurm_job_state_str (job->state));
    if (!ok_state)
        return flurm_error_set (err, "engine: job %ju (%s) cannot end %s", (uintmax_t)id,
                                flurm_job_state_str (job->state), flurm_job_state_str (state));
    e->stats.events++;
    if (running) {
        if (end_job (e, j, state, err) < 0)
            return -1;
    } else {
        drop_pending (e, j);
        job->state = state;
        e->nended++;
    }
    /* The real times come last: the running list is ordered by start. */
    if (start >= 0 && running)
        job->start = start;
    if (end >= 0 && running)
        job->end = end;
    if (state == FLURM_JOB_REJECTED) /* Flux refused what Flurm started */
        job->start = job->end = -1;
    /* Resubmissions due now come first; a pass follows either way, since
     * resources were just released. */
    bool due = e->nheap > 0 && e->heap[0].t <= e->now;
    if (due)
        return flurm_engine_advance (e, e->now, err);
    return schedule_pass (e, err);
}

int flurm_engine_set_rate (struct flurm_engine *e, uint64_t jobid, double rate,
                           flurm_error_t *err)
{
    if (jobid == 0 || jobid > e->njobs || e->jobs[jobid - 1].state != FLURM_JOB_RUNNING)
        return flurm_error_set (err, "job %ju is not running", (uintmax_t)jobid);
    if (!(rate > 0) || !isfinite (rate))
        return flurm_error_set (err, "rate must be > 0 (got %g)", rate);
    struct flurm_job *job = &e->jobs[jobid - 1];
    advance (e, jobid - 1);
    job->rate = rate;
    push_end_event (e, jobid - 1);
    return 0;
}

/* ---- accessors ------------------------------------------------------- */

const struct flurm_job *flurm_engine_jobs (const struct flurm_engine *e, size_t *n)
{
    *n = e->njobs;
    return e->jobs;
}

const struct flurm_interference *flurm_engine_interference (const struct flurm_engine *e)
{
    return e->model;
}

const struct flurm_app_profiles *flurm_engine_profiles (const struct flurm_engine *e)
{
    return e->profiles;
}

void flurm_engine_stats (const struct flurm_engine *e, struct flurm_engine_stats *out)
{
    *out = e->stats;
}

uint64_t flurm_engine_total_cores (const struct flurm_engine *e)
{
    return e->total_cores;
}

size_t flurm_engine_nqueues (const struct flurm_engine *e)
{
    return e->nqueues;
}

const char *flurm_engine_queue_name (const struct flurm_engine *e, size_t i)
{
    return e->queues[i].name;
}

const char *flurm_engine_queue_policy (const struct flurm_engine *e, size_t i)
{
    return e->queues[i].policy->name;
}

uint32_t flurm_engine_queue_depth (const struct flurm_engine *e, size_t i)
{
    return e->queues[i].depth;
}

uint32_t flurm_engine_reservation_depth (const struct flurm_engine *e, size_t i)
{
    return e->queues[i].rdepth;
}

uint32_t flurm_engine_core_number (const struct flurm_engine *e, flurm_vid v)
{
    return v < flurm_graph_size (e->g) ? e->core_index[v] : UINT32_MAX;
}

gsl_rng *flurm_engine_rng (struct flurm_engine *e)
{
    return e->rng;
}
