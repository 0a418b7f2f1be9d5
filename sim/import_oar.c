/* sim/import_oar.c — the jobs of an OAR gantt dump, optionally named by
 * the Batsim workload they replay.
 *
 * Format: `oarstat -J --gantt "FROM,TO"` of OAR 2.5 (the command the
 * Batsim JSSPP'16 experiments ran after each replay on Grid'5000):
 *
 *     {"jobs": {"712": {"submission_time": 1463561474, "start_time": ...,
 *                       "stop_time": ..., "limit_stop_time": ..., "walltime": 399,
 *                       "state": "Terminated", "queue_name": "default",
 *                       "resources": [13, 12], "command": "...", ...}, ...},
 *      "resources": [{"resource_id": "13", "network_address": "graphene-21...",
 *                     "host": ..., "cpu": 1, "core": 4, ...}, ...],
 *      "dead_resources": {}}
 *
 * Jobs are an object keyed by the OAR id, so their order in the text means
 * nothing: they come out sorted by id, which makes the table the same for
 * the same content.  A job's "resources" are resource ids (numbers); the
 * resources table gives each id's node (network_address) as a string of
 * digits.  OAR's unit of allocation is the resource, so ncores counts
 * them; nodes are the distinct network addresses behind them.
 *
 * Why times of 0 are unknown rather than the epoch: OAR's jobs table
 * stores 0 in start_time / stop_time until the job reaches that point.
 *
 * Why the walltime rule is stop_time >= limit_stop_time: OAR stops a job
 * at its limit (limit_stop_time = start_time + walltime) and may record it
 * as Terminated all the same; the Batsim authors' own gantt reader
 * (batsim-experiments, oar_gantt_reader.py) counts timeouts this way.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/hostlist.h"
#include "sim/import_batsim.h"
#include "sim/import_oar.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"
#include "sim/names.h"
#include "sim/workload.h"

/* The Graphene gantt of 800 jobs is 600 KB. */
#define OAR_MAX_BYTES     ((size_t)256 << 20)
#define MAPPING_MAX_BYTES ((size_t)64 << 20)

/* Append "; TEXT" (or TEXT) to a g_malloc'ed note that may be NULL: one
 * record can have several things wrong with it. */
static void note_add (char **note, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
static void note_add (char **note, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    char *text = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    char *joined = *note ? g_strdup_printf ("%s; %s", *note, text) : g_strdup (text);
    g_free (text);
    g_free (*note);
    *note = joined;
}

/* An OAR id (job or resource) written as decimal digits. */
static bool id_of_text (const char *s, uint64_t *out)
{
    return s[0] >= '0' && s[0] <= '9' &&
           g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, out, NULL);
}

/* The same as a JSON integer or a string of digits (the dump writes
 * resource ids both ways). */
static bool id_of_json (const json_t *v, uint64_t *out)
{
    if (json_is_integer (v) && json_integer_value (v) >= 0) {
        *out = (uint64_t)json_integer_value (v);
        return true;
    }
    return json_is_string (v) && id_of_text (json_string_value (v), out);
}

static json_t *read_json (const char *path, flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (path, OAR_MAX_BYTES, &len, err);
    if (!text)
        return NULL;
    json_t *root = flurm_json_parse (text, len, JSON_REJECT_DUPLICATES, path, "not JSON", err);
    g_free (text);
    return root;
}

/* resource id -> network address (strings of the parsed JSON). */
static GHashTable *read_resources (const char *path, json_t *list, flurm_error_t *err)
{
    if (!json_is_array (list)) {
        flurm_error_at (err, path, 0, 0, "resources: must be an array");
        return NULL;
    }
    GHashTable *hosts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    size_t i;
    json_t *res;
    json_array_foreach (list, i, res)
    {
        uint64_t id;
        if (!json_is_object (res) || !id_of_json (json_object_get (res, "resource_id"), &id)) {
            flurm_error_at (err, path, 0, 0,
                            "resources[%zu]: a resource is an object with a "
                            "numeric resource_id",
                            i);
            goto fail;
        }
        json_t *addr = json_object_get (res, "network_address");
        if (!json_is_string (addr))
            addr = json_object_get (res, "host");
        if (!json_is_string (addr)) {
            flurm_error_at (err, path, 0, 0, "resources[%zu]: no network_address nor host", i);
            goto fail;
        }
        const char *problem = flurm_name_host_problem (json_string_value (addr));
        if (problem) {
            flurm_error_at (err, path, 0, 0, "resources[%zu].network_address: host name %s %s", i,
                            FLURM_QUOTED (json_string_value (addr)), problem);
            goto fail;
        }
        if (g_hash_table_contains (hosts, &id)) {
            flurm_error_at (err, path, 0, 0,
                            "resources[%zu]: resource_id %" PRIu64 " is listed twice", i, id);
            goto fail;
        }
        gint64 *key = g_new (gint64, 1);
        *key = (gint64)id;
        g_hash_table_insert (hosts, key, (gpointer)json_string_value (addr));
    }
    return hosts;
fail:
    g_hash_table_destroy (hosts);
    return NULL;
}

struct oar_ctx {
    const char *path;
    GHashTable *hosts; /* NULL when the dump has no resources list */
    size_t failed, timeout, never, unfinished, unknown, stop_early, start_early, unlisted;
};

/* A time field: epoch seconds, 0 = not reached (-1 here). */
static int get_time (const char *path, const char *where, json_t *job, const char *key,
                     bool required, double *out, flurm_error_t *err)
{
    json_t *v = json_object_get (job, key);
    *out = -1;
    if (!v) {
        if (required)
            return flurm_error_at (err, path, 0, 0, "%s: missing key %s", where, key);
        return 0;
    }
    double t;
    if (flurm_json_seconds (v, FLURM_WORKLOAD_MAX_TIME, path, where, key, &t, err) < 0)
        return -1;
    if (t > 0)
        *out = t;
    return 0;
}

/* Every state of OAR 2.5's jobs table. */
static const struct {
    const char *oar;
    const char *state;
} oar_states[] = {
    {"Terminated", "completed"},
    {"Error", "failed"},
    {"toError", "failed"},
    {"Waiting", "never-started"},
    {"Hold", "never-started"},
    {"toLaunch", "never-started"},
    {"toAckReservation", "never-started"},
    {"Launching", "unfinished"},
    {"Running", "unfinished"},
    {"Finishing", "unfinished"},
    {"Suspended", "unfinished"},
    {"Resuming", "unfinished"},
};

static const char *classify (struct oar_ctx *c, const char *oar, double start, double stop,
                             double limit, char **note)
{
    const char *state = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS (oar_states); i++) {
        if (!strcmp (oar, oar_states[i].oar))
            state = oar_states[i].state;
    }
    if (!state) {
        c->unknown++;
        note_add (note, "OAR state %s is not one OAR defines", FLURM_QUOTED (oar));
        return oar;
    }
    bool ended = !strcmp (oar, "Terminated") || !strcmp (oar, "Error");
    if (ended && start < 0) {
        c->never++;
        note_add (note, "ended (OAR state %s) without a start time", oar);
        return "never-started";
    }
    if (ended && stop >= 0 && limit >= 0 && stop >= limit) {
        c->timeout++;
        note_add (note, "stopped at or after its limit_stop_time: walltime reached");
        return "timeout";
    }
    if (!strcmp (state, "failed")) {
        c->failed++;
        note_add (note, "OAR state %s", oar);
    } else if (!strcmp (state, "never-started")) {
        c->never++;
        note_add (note, "OAR state %s: never started", oar);
    } else if (!strcmp (state, "unfinished")) {
        c->unfinished++;
        note_add (note, "OAR state %s: not finished when the gantt was taken", oar);
    }
    return state;
}

/* ncores, nnodes and nodes of a job from its resource ids. */
static int place_job (struct oar_ctx *c, const char *where, json_t *res, struct flurm_run_job *job,
                      char **note, flurm_error_t *err)
{
    size_t n = json_array_size (res);
    job->ncores = n > 0 ? (int64_t)n : -1;
    if (n == 0 || !c->hosts)
        return 0;
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
    bool unlisted = false;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint64_t id;
        if (!id_of_json (json_array_get (res, i), &id)) {
            rc = flurm_error_at (err, c->path, 0, 0,
                                 "%s.resources[%zu]: a resource id is a "
                                 "number",
                                 where, i);
            break;
        }
        gint64 key = (gint64)id;
        const char *host = g_hash_table_lookup (c->hosts, &key);
        if (!host) {
            if (!unlisted)
                note_add (note, "resource %" PRIu64 " is not in the resources list", id);
            unlisted = true;
        } else if (!g_hash_table_contains (seen, host)) {
            g_hash_table_add (seen, (gpointer)host);
            rc = flurm_hostlist_append_host (hl, host, err);
        }
    }
    if (rc == 0 && unlisted)
        c->unlisted++;
    else if (rc == 0) {
        job->nnodes = (int64_t)flurm_hostlist_count (hl);
        job->nodes = flurm_hostlist_encode (hl);
    }
    g_hash_table_destroy (seen);
    flurm_hostlist_destroy (hl);
    return rc;
}

static int add_job (struct oar_ctx *c, struct flurm_run *r, uint64_t oarid, const char *key,
                    json_t *j, flurm_error_t *err)
{
    char where[FLURM_QUOTE_SIZE + 16];
    snprintf (where, sizeof (where), "jobs[%s]", FLURM_QUOTED (key));
    if (!json_is_object (j))
        return flurm_error_at (err, c->path, 0, 0, "%s: a job must be a JSON object", where);
    double submit, start, stop, limit;
    if (get_time (c->path, where, j, "submission_time", true, &submit, err) < 0 ||
        get_time (c->path, where, j, "start_time", true, &start, err) < 0 ||
        get_time (c->path, where, j, "stop_time", true, &stop, err) < 0 ||
        get_time (c->path, where, j, "limit_stop_time", false, &limit, err) < 0)
        return -1;
    /* OAR sets submission_time first, when the job enters a queue, so a
     * start without it is not a gantt OAR printed; and a jobs.csv row that
     * started without a submission time does not read back (jobscsv.c). */
    if (start >= 0 && submit < 0)
        return flurm_error_at (err, c->path, 0, 0,
                               "%s.submission_time: 0 (not submitted), but the job has a "
                               "start_time", where);
    json_t *state = json_object_get (j, "state");
    json_t *res = json_object_get (j, "resources");
    if (!json_is_string (state))
        return flurm_error_at (err, c->path, 0, 0, "%s: %s", where,
                               state ? "state must be a string" : "missing key state");
    if (!json_is_array (res))
        return flurm_error_at (err, c->path, 0, 0, "%s: %s", where,
                               res ? "resources must be an array" : "missing key resources");
    json_t *name = json_object_get (j, "name");
    json_t *queue = json_object_get (j, "queue_name");

    char id[32], source[FLURM_QUOTE_SIZE + 32];
    snprintf (id, sizeof (id), "%" PRIu64, oarid);
    snprintf (source, sizeof (source), "%s: %s", c->path, where);
    char *note = NULL;
    struct flurm_run_job job = {
        .id = id,
        .name = json_is_string (name) ? (char *)json_string_value (name) : NULL,
        .queue = json_is_string (queue) ? (char *)json_string_value (queue) : NULL,
        .submit = submit,
        .start = start,
        .end = stop,
        .runtime = -1,
        .ncores = -1,
        .nnodes = -1,
        .ntasks = -1,
        .source = source,
    };
    job.state = (char *)classify (c, json_string_value (state), start, stop, limit, &note);
    if (start >= 0 && stop >= 0 && stop < start) {
        c->stop_early++;
        note_add (&note, "stop_time is %g s before start_time (clock skew?): runtime unknown",
                  start - stop);
    } else if (start >= 0 && stop >= 0)
        job.runtime = stop - start;
    if (submit >= 0 && start >= 0 && start < submit) {
        c->start_early++;
        note_add (&note, "start_time is %g s before submission_time (clock skew?)", submit - start);
    }
    int rc = place_job (c, where, res, &job, &note, err);
    if (rc == 0) {
        job.note = note;
        flurm_run_add (r, &job);
    }
    g_free (job.nodes);
    g_free (note);
    return rc;
}

static void note_counts (const struct oar_ctx *c, struct flurm_run *r)
{
    const struct {
        size_t n;
        const char *what;
    } counts[] = {
        {c->failed, "ended in OAR state Error: kept, marked failed"},
        {c->timeout, "stopped at their limit_stop_time (walltime reached): kept, marked timeout"},
        {c->never, "never started: kept, marked never-started"},
        {c->unfinished, "had not finished when the gantt was taken: kept, marked unfinished"},
        {c->unknown, "are in a state OAR does not define: kept with that state, marked"},
        {c->stop_early, "stop before they start (clock skew?): kept, runtime unknown"},
        {c->start_early, "start before their submission (clock skew?): kept, marked"},
        {c->unlisted, "hold resources missing from the resources list: kept, nodes unknown"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS (counts); i++) {
        if (counts[i].n)
            flurm_run_note (r, "%zu jobs %s", counts[i].n, counts[i].what);
    }
    if (!c->hosts)
        flurm_run_note (r, "the gantt has no resources list: nodes unknown");
}

struct oar_entry {
    uint64_t id;
    const char *key;
    json_t *job;
};

static int cmp_entry (const void *a, const void *b)
{
    const struct oar_entry *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static struct flurm_run *import (const char *path, json_t *root, flurm_error_t *err)
{
    if (!json_is_object (root)) {
        flurm_error_at (err, path, 0, 0, "an OAR gantt must be a JSON object");
        return NULL;
    }
    json_t *jobs = json_object_get (root, "jobs");
    if (!json_is_object (jobs)) {
        flurm_error_at (err, path, 0, 0, "%s",
                        jobs ? "jobs: must be an object keyed by OAR job id" : "missing key jobs");
        return NULL;
    }
    struct oar_ctx c = {.path = path};
    json_t *resources = json_object_get (root, "resources");
    if (resources && !(c.hosts = read_resources (path, resources, err)))
        return NULL;

    size_t n = json_object_size (jobs), i = 0;
    struct oar_entry *entries = g_new (struct oar_entry, n ? n : 1);
    const char *key;
    json_t *j;
    struct flurm_run *r = NULL;
    json_object_foreach (jobs, key, j)
    {
        if (!id_of_text (key, &entries[i].id)) {
            flurm_error_at (err, path, 0, 0, "jobs[%s]: an OAR job id is a number",
                            FLURM_QUOTED (key));
            goto out;
        }
        entries[i].key = key;
        entries[i++].job = j;
    }
    qsort (entries, n, sizeof (*entries), cmp_entry);
    for (i = 1; i < n; i++) {
        if (entries[i].id == entries[i - 1].id) {
            flurm_error_at (err, path, 0, 0, "jobs[%s]: the same job as jobs[%s]",
                            FLURM_QUOTED (entries[i].key), FLURM_QUOTED (entries[i - 1].key));
            goto out;
        }
    }
    char *name = flurm_run_name_from_path (path);
    r = flurm_run_create (name, "oar", "epoch");
    g_free (name);
    for (i = 0; i < n; i++) {
        if (add_job (&c, r, entries[i].id, entries[i].key, entries[i].job, err) < 0) {
            flurm_run_destroy (r);
            r = NULL;
            goto out;
        }
    }
    note_counts (&c, r);
out:
    g_free (entries);
    if (c.hosts)
        g_hash_table_destroy (c.hosts);
    return r;
}

struct flurm_run *flurm_import_oar (const char *path, flurm_error_t *err)
{
    json_t *root = read_json (path, err);
    if (!root)
        return NULL;
    struct flurm_run *r = import (path, root, err);
    json_decref (root);
    return r;
}

/* ---- naming the jobs by the Batsim workload ---- */

/* id -> index + 1 of the run's jobs */
static GHashTable *index_ids (const struct flurm_run *r)
{
    GHashTable *h = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t i = 0; i < r->njobs; i++)
        g_hash_table_insert (h, r->jobs[i].id, GSIZE_TO_POINTER (i + 1));
    return h;
}

struct mapping {
    const char *path, *oar_path, *workload_path;
    size_t *oar_to_batsim; /* per OAR job: Batsim job index + 1, 0 = not mapped */
    size_t *oar_line;      /* the mapping line of each, for "mapped twice" */
    size_t *batsim_line;   /* per Batsim job: its mapping line, 0 = not mapped */
};

static int map_line (struct mapping *m, size_t ln, char **f, GHashTable *oar_ids, GHashTable *w_ids,
                     flurm_error_t *err)
{
    uint64_t oarid;
    char canon[32];
    if (!id_of_text (f[1], &oarid))
        return flurm_error_at (err, m->path, (int)ln, 0, "oar_id %s is not an OAR job id",
                               FLURM_QUOTED (f[1]));
    snprintf (canon, sizeof (canon), "%" PRIu64, oarid);
    size_t oi = GPOINTER_TO_SIZE (g_hash_table_lookup (oar_ids, canon));
    size_t wi = GPOINTER_TO_SIZE (g_hash_table_lookup (w_ids, f[0]));
    if (!oi)
        return flurm_error_at (err, m->path, (int)ln, 0, "OAR job %s is not in %s", canon,
                               m->oar_path);
    if (!wi)
        return flurm_error_at (err, m->path, (int)ln, 0, "Batsim job %s is not in %s",
                               FLURM_QUOTED (f[0]), m->workload_path);
    if (m->oar_line[oi - 1])
        return flurm_error_at (err, m->path, (int)ln, 0, "OAR job %s is mapped twice (line %zu)",
                               canon, m->oar_line[oi - 1]);
    if (m->batsim_line[wi - 1])
        return flurm_error_at (err, m->path, (int)ln, 0, "Batsim job %s is mapped twice (line %zu)",
                               FLURM_QUOTED (f[0]), m->batsim_line[wi - 1]);
    m->oar_to_batsim[oi - 1] = wi;
    m->oar_line[oi - 1] = ln;
    m->batsim_line[wi - 1] = ln;
    return 0;
}

/* The fields of one CSV line, trimmed; NULL-terminated, g_strfreev. */
static char **split_fields (const char *line, size_t len, size_t *n)
{
    char *copy = g_strndup (line, len);
    char **f = g_strsplit (copy, ",", -1);
    g_free (copy);
    for (*n = 0; f[*n]; (*n)++)
        g_strstrip (f[*n]);
    return f;
}

static int read_mapping (struct mapping *m, const struct flurm_run *oar, const struct flurm_run *w,
                         flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (m->path, MAPPING_MAX_BYTES, &len, err);
    if (!text)
        return -1;
    GHashTable *oar_ids = index_ids (oar), *w_ids = index_ids (w);
    int col_b = -1, col_o = -1, rc = 0;
    size_t ncols = 0, ln = 0;
    for (const char *p = text; p < text + len && rc == 0; ln++) {
        const char *nl = memchr (p, '\n', (size_t)(text + len - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        if (memchr (p, '\0', ll)) {
            rc = flurm_error_at (err, m->path, (int)ln + 1, 0, "a NUL byte: not a CSV file");
            break;
        }
        size_t nf;
        char **f = split_fields (p, ll, &nf);
        p += ll + 1;
        if (ln == 0) {
            for (size_t k = 0; k < nf; k++) {
                if (!strcmp (f[k], "batsim_id"))
                    col_b = (int)k;
                else if (!strcmp (f[k], "oar_id"))
                    col_o = (int)k;
            }
            ncols = nf;
            if (col_b < 0 || col_o < 0)
                rc = flurm_error_at (err, m->path, 1, 0,
                                     "the header must name the columns "
                                     "batsim_id and oar_id");
        } else if (nf == 1 && !f[0][0]) {
            /* an empty line (the last one, usually) */
        } else if (nf != ncols)
            rc = flurm_error_at (err, m->path, (int)ln + 1, 0, "%zu fields, the header has %zu", nf,
                                 ncols);
        else {
            char *pair[2] = {f[col_b], f[col_o]};
            rc = map_line (m, ln + 1, pair, oar_ids, w_ids, err);
        }
        g_strfreev (f);
    }
    if (rc == 0 && ln == 0)
        rc = flurm_error_at (err, m->path, 0, 0, "empty: no header line");
    g_hash_table_destroy (oar_ids);
    g_hash_table_destroy (w_ids);
    g_free (text);
    return rc;
}

static void apply_mapping (const struct mapping *m, struct flurm_run *r, const struct flurm_run *w)
{
    size_t unmapped = 0, resized = 0, unsubmitted = 0, nr = r->njobs;
    for (size_t i = 0; i < nr; i++) {
        struct flurm_run_job *j = &r->jobs[i];
        if (!m->oar_to_batsim[i]) {
            char *id = g_strdup_printf ("oar:%s", j->id);
            g_free (j->id);
            j->id = id;
            note_add (&j->note, "not in the mapping: no Batsim id");
            unmapped++;
            continue;
        }
        const struct flurm_run_job *b = &w->jobs[m->oar_to_batsim[i] - 1];
        g_free (j->id);
        j->id = g_strdup (b->id);
        g_free (j->app);
        j->app = g_strdup (b->app);
        j->ntasks = b->ntasks;
        if (j->ncores >= 0 && j->ncores != b->ncores) {
            note_add (&j->note, "holds %" PRId64 " resources, the workload asked for %" PRId64,
                      j->ncores, b->ncores);
            resized++;
        }
    }
    for (size_t k = 0; k < w->njobs; k++) {
        if (m->batsim_line[k])
            continue;
        const struct flurm_run_job *b = &w->jobs[k];
        struct flurm_run_job job = {
            .id = b->id,
            .app = b->app,
            .submit = -1,
            .start = -1,
            .end = -1,
            .runtime = -1,
            .ncores = b->ncores,
            .nnodes = b->nnodes,
            .ntasks = b->ntasks,
            .state = "rejected",
            .note = "not in the mapping: never submitted to OAR",
            .source = b->source,
        };
        flurm_run_add (r, &job);
        unsubmitted++;
    }
    if (unmapped)
        flurm_run_note (r, "%zu OAR jobs are not in the mapping: kept as oar:ID, marked", unmapped);
    if (resized)
        flurm_run_note (r,
                        "%zu jobs hold another number of resources than the workload asked: "
                        "kept, marked",
                        resized);
    if (unsubmitted)
        flurm_run_note (r,
                        "%zu Batsim jobs are not in the mapping (never submitted to OAR): "
                        "added as rejected",
                        unsubmitted);
}

struct flurm_run *flurm_import_oar_mapped (const char *oar_path, const char *mapping_csv,
                                           const char *workload_json, flurm_error_t *err)
{
    struct flurm_run *r = flurm_import_oar (oar_path, err);
    if (!r)
        return NULL;
    struct flurm_run *w = flurm_import_batsim_workload (workload_json, err);
    if (!w) {
        flurm_run_destroy (r);
        return NULL;
    }
    struct mapping m = {
        .path = mapping_csv,
        .oar_path = oar_path,
        .workload_path = workload_json,
        .oar_to_batsim = g_new0 (size_t, r->njobs + 1),
        .oar_line = g_new0 (size_t, r->njobs + 1),
        .batsim_line = g_new0 (size_t, w->njobs + 1),
    };
    if (read_mapping (&m, r, w, err) == 0)
        apply_mapping (&m, r, w);
    else {
        flurm_run_destroy (r);
        r = NULL;
    }
    g_free (m.oar_to_batsim);
    g_free (m.oar_line);
    g_free (m.batsim_line);
    flurm_run_destroy (w);
    return r;
}
