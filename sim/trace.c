/* sim/trace.c — read trace.yaml into a graph, an engine configuration and
 * a workload.
 *
 * The document is read whole with positions (sim/doc.h) and then walked
 * once, section by section; every value is checked where it is read, so
 * each error names the line and column of the value at fault.  Strings
 * handed out in the configuration (queue names, policies) are kept in
 * t->strings and freed with the trace.
 */
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "policies/shape.h"
#include "sim/constraint.h"
#include "sim/doc.h"
#include "sim/graphfile.h"
#include "sim/infile.h"
#include "sim/topo.h"
#include "sim/trace.h"

#define MAX_COUNT 1000000

struct queue_extra {
    enum flurm_shape shape;
    bool share;        /* its jobs may share sockets with each other */
    json_t *requires;  /* {"properties": [...]} or NULL */
};

struct reader {
    const struct flurm_doc *doc;
    const char *base_dir;
    struct flurm_trace *t;
    struct queue_extra *qx;
    bool any_share;    /* some queue shares: the others get whole nodes */
    GHashTable *shaped; /* "queue shape ntasks nnodes cpt" -> its jobspec, so
                           that jobs of one shape share one (the engine and
                           the matcher cache by jobspec) */
    const struct flurm_doc_node *apps;
    struct flurm_shape_geometry geo;
    uint64_t walltime_defaulted;
    uint32_t nodes;    /* > 0: the node count asked for instead of the trace's */
    flurm_error_t *err;
};

/* Re-report the error in rd->err at node n ("TRACE:LINE:COL: inner"). */
static int at_node (const struct reader *rd, const struct flurm_doc_node *n)
{
    char inner[FLURM_ERROR_MAX];
    memcpy (inner, rd->err->text, sizeof (inner));
    return flurm_doc_error (rd->doc, n, rd->err, "%s", inner);
}

static const char *keep (struct flurm_trace *t, const char *s)
{
    t->strings = g_renew (char *, t->strings, t->nstrings + 1);
    t->strings[t->nstrings] = g_strdup (s);
    return t->strings[t->nstrings++];
}

static char *resolve (const struct reader *rd, const char *path)
{
    return g_path_is_absolute (path) ? g_strdup (path)
                                     : g_build_filename (rd->base_dir, path, NULL);
}

static const char *get_string (const struct reader *rd, const struct flurm_doc_node *map,
                               const char *key)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, key);
    return n ? flurm_doc_string (rd->doc, n, key, rd->err) : NULL;
}

/* Optional integer field; *out untouched when absent. */
static int get_int (const struct reader *rd, const struct flurm_doc_node *map, const char *key,
                    int64_t min, int64_t max, int64_t *out)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, key);
    return n ? flurm_doc_int64 (rd->doc, n, key, min, max, out, rd->err) : 0;
}

static int get_double (const struct reader *rd, const struct flurm_doc_node *map,
                       const char *key, double *out)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, key);
    return n ? flurm_doc_double (rd->doc, n, key, out, rd->err) : 0;
}

/* ---- cluster ----------------------------------------------------------- */

static int read_properties (const struct reader *rd, const struct flurm_doc_node *n,
                            GPtrArray *keepalive, struct flurm_topo_props **props,
                            size_t *nprops)
{
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "properties", rd->err) < 0)
        return -1;
    *props = g_new0 (struct flurm_topo_props, n->n ? n->n : 1);
    *nprops = n->n;
    for (size_t i = 0; i < n->n; i++) {
        const struct flurm_doc_node *v = flurm_doc_value (n, i);
        if (flurm_doc_expect (rd->doc, v, FLURM_DOC_SEQUENCE, "properties", rd->err) < 0)
            return -1;
        const char **names = g_new0 (const char *, v->n + 1);
        g_ptr_array_add (keepalive, names);
        for (size_t k = 0; k < v->n; k++) {
            if (!(names[k] = flurm_doc_string (rd->doc, v->items[k], "property", rd->err)))
                return -1;
        }
        (*props)[i].hosts = flurm_doc_key (n, i);
        (*props)[i].names = names;
        (*props)[i].nnames = v->n;
    }
    return 0;
}

/* A cluster model file (models/aris.yaml; docs/model-format.md): the node
 * geometry and size, each a default the trace's cluster: may override.
 * Its figures other than the geometry (memory, bandwidth, provenance) are
 * for readers and models, checked only for being known keys. */
static int read_cluster_model (struct reader *rd, const struct flurm_doc_node *at,
                               const char *rel, struct flurm_topo_spec *spec)
{
    static const char *const keys[] = {"name", "nodes", "prefix", "sockets", "cores-per-socket",
                                       "memory-per-node-gb", "memory-bandwidth-per-socket-gbs",
                                       "network", "provenance", NULL};
    char *path = resolve (rd, rel);
    struct flurm_doc *doc = flurm_doc_load_file (path, rd->err);
    g_free (path);
    if (!doc)
        return at_node (rd, at);
    struct reader sub = *rd;
    sub.doc = doc;
    int64_t nodes = spec->nnodes, sockets = spec->sockets, cores = spec->cores_per_socket;
    const struct flurm_doc_node *root = doc->root;
    int rc = -1;
    if (!root)
        flurm_error_set (rd->err, "%s: empty cluster model", doc->source);
    else if (flurm_doc_expect (doc, root, FLURM_DOC_MAPPING, "cluster model", rd->err) == 0
             && flurm_doc_check_keys (doc, root, keys, "cluster model", rd->err) == 0
             && get_int (&sub, root, "nodes", 1, FLURM_TOPO_MAX_NODES, &nodes) == 0
             && get_int (&sub, root, "sockets", 1, 1024, &sockets) == 0
             && get_int (&sub, root, "cores-per-socket", 1, 65536, &cores) == 0) {
        const char *prefix = get_string (&sub, root, "prefix");
        if (prefix || !flurm_doc_get (root, "prefix")) {
            if (prefix)
                spec->prefix = keep (rd->t, prefix);
            spec->nnodes = (uint32_t)nodes;
            spec->sockets = (uint32_t)sockets;
            spec->cores_per_socket = (uint32_t)cores;
            rc = 0;
        }
    }
    flurm_doc_destroy (doc);
    return rc;
}

static int read_cluster (struct reader *rd, const struct flurm_doc_node *n)
{
    static const char *const keys[] = {"graph", "model", "nodes", "hosts", "prefix", "sockets",
                                       "cores-per-socket", "gpus-per-socket",
                                       "cluster-name", "properties", NULL};
    struct flurm_trace *t = rd->t;
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "cluster", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, n, keys, "cluster", rd->err) < 0)
        return -1;
    const struct flurm_doc_node *file = flurm_doc_get (n, "graph");
    if (file && rd->nodes)
        return flurm_doc_error (rd->doc, file, rd->err, "cannot resize to %u nodes a cluster "
                                "given as graph: FILE (only one given as nodes: N)", rd->nodes);
    if (file) {
        const char *rel = flurm_doc_string (rd->doc, file, "graph", rd->err);
        if (!rel)
            return -1;
        char *path = resolve (rd, rel);
        t->graph = flurm_graph_load_file (path, 0, NULL, rd->err);
        t->cluster_json = json_pack ("{s:s}", "graph", path);
        g_free (path);
        if (!t->graph)
            return at_node (rd, file);
    }
    else {
        struct flurm_topo_spec spec = {.sockets = 2, .cores_per_socket = 10};
        const struct flurm_doc_node *model = flurm_doc_get (n, "model");
        if (model) {
            const char *rel = flurm_doc_string (rd->doc, model, "model", rd->err);
            if (!rel || read_cluster_model (rd, model, rel, &spec) < 0)
                return -1;
        }
        int64_t nodes = spec.nnodes, sockets = spec.sockets, cores = spec.cores_per_socket;
        int64_t gpus = 0;
        if (get_int (rd, n, "nodes", 1, FLURM_TOPO_MAX_NODES, &nodes) < 0
            || get_int (rd, n, "sockets", 1, 1024, &sockets) < 0
            || get_int (rd, n, "cores-per-socket", 1, 65536, &cores) < 0
            || get_int (rd, n, "gpus-per-socket", 0, 65536, &gpus) < 0)
            return -1;
        spec.hosts = get_string (rd, n, "hosts");
        if (spec.hosts && rd->nodes)
            return flurm_doc_error (rd->doc, flurm_doc_get (n, "hosts"), rd->err,
                                    "cannot resize to %u nodes a cluster given as hosts: "
                                    "HOSTLIST (only one given as nodes: N)", rd->nodes);
        if (rd->nodes)
            nodes = rd->nodes;
        if (!spec.hosts && nodes == 0)
            return flurm_doc_error (rd->doc, n, rd->err,
                                    "cluster needs graph: FILE, nodes: N or hosts: HOSTLIST");
        spec.nnodes = (uint32_t)nodes;
        const char *prefix = get_string (rd, n, "prefix");
        if (prefix)
            spec.prefix = prefix;
        spec.cluster_name = get_string (rd, n, "cluster-name");
        spec.sockets = (uint32_t)sockets;
        spec.cores_per_socket = (uint32_t)cores;
        spec.gpus_per_socket = (uint32_t)gpus;
        GPtrArray *keepalive = g_ptr_array_new_with_free_func (g_free);
        struct flurm_topo_props *props = NULL;
        const struct flurm_doc_node *pn = flurm_doc_get (n, "properties");
        int rc = 0;
        if (pn && read_properties (rd, pn, keepalive, &props, &spec.nprops) < 0)
            rc = -1;
        spec.props = props;
        if (rc == 0 && !(t->graph = flurm_topo_generate (&spec, rd->err)))
            rc = at_node (rd, n);
        g_free (props);
        g_ptr_array_unref (keepalive);
        if (rc < 0)
            return -1;
        t->cluster_json = flurm_doc_to_json (n);
        if (rd->nodes)
            json_object_set_new (t->cluster_json, "nodes", json_integer (rd->nodes));
    }
    if (flurm_shape_geometry (t->graph, &rd->geo, rd->err) < 0)
        rd->geo = (struct flurm_shape_geometry){0}; /* only literal jobspecs then */
    return 0;
}

/* ---- scheduler ------------------------------------------------------------ */

static int read_policy (struct reader *rd, const struct flurm_doc_node *map, const char **out)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, "queue-policy");
    if (!n)
        return 0;
    const char *name = flurm_doc_string (rd->doc, n, "queue-policy", rd->err);
    if (!name)
        return -1;
    if (!flurm_queue_policy_lookup (name, rd->err))
        return at_node (rd, n);
    *out = keep (rd->t, name);
    return 0;
}

static int read_depths (struct reader *rd, const struct flurm_doc_node *map, uint32_t *qdepth,
                        uint32_t *rdepth)
{
    int64_t q = *qdepth, r = *rdepth;
    if (get_int (rd, map, "queue-depth", 1, FLURM_QUEUE_DEPTH_MAX, &q) < 0
        || get_int (rd, map, "reservation-depth", 1, FLURM_RESERVATION_DEPTH_MAX, &r) < 0)
        return -1;
    *qdepth = (uint32_t)q;
    *rdepth = (uint32_t)r;
    return 0;
}

static int read_queue (struct reader *rd, size_t i, const char *name,
                       const struct flurm_doc_node *n)
{
    static const char *const keys[] = {"requires", "alloc", "queue-policy", "queue-depth",
                                       "reservation-depth", "share", NULL};
    struct flurm_queue_config *q = &rd->t->queues[i];
    struct queue_extra *x = &rd->qx[i];
    q->name = keep (rd->t, name);
    x->shape = FLURM_SHAPE_COMPACT;
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "queue", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, n, keys, "queue", rd->err) < 0
        || read_policy (rd, n, &q->policy) < 0
        || read_depths (rd, n, &q->queue_depth, &q->reservation_depth) < 0)
        return -1;
    const struct flurm_doc_node *alloc = flurm_doc_get (n, "alloc");
    if (alloc) {
        const char *s = flurm_doc_string (rd->doc, alloc, "alloc", rd->err);
        if (!s || flurm_shape_from_name (s, &x->shape, rd->err) < 0)
            return at_node (rd, alloc);
    }
    const struct flurm_doc_node *share = flurm_doc_get (n, "share");
    if (share && flurm_doc_bool (rd->doc, share, "share", &x->share, rd->err) < 0)
        return -1;
    q->share = x->share;
    rd->any_share |= x->share;
    const struct flurm_doc_node *req = flurm_doc_get (n, "requires");
    if (req) {
        if (flurm_doc_expect (rd->doc, req, FLURM_DOC_SEQUENCE, "requires", rd->err) < 0)
            return -1;
        json_t *props = json_array ();
        for (size_t k = 0; k < req->n; k++) {
            const char *p = flurm_doc_string (rd->doc, req->items[k], "requires", rd->err);
            if (!p) {
                json_decref (props);
                return -1;
            }
            json_array_append_new (props, json_string (p));
        }
        x->requires = json_pack ("{s:o}", "properties", props);
        struct flurm_constraint *c = flurm_constraint_from_json (x->requires, "requires",
                                                                 rd->err);
        if (!c)
            return at_node (rd, req);
        flurm_constraint_destroy (c);
    }
    return 0;
}

static int read_scheduler (struct reader *rd, const struct flurm_doc_node *n)
{
    static const char *const keys[] = {"queue-policy", "match-policy", "queue-depth",
                                       "reservation-depth", "queues", "pairing",
                                       "pairing-threshold", "max-per-socket", NULL};
    struct flurm_trace *t = rd->t;
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "scheduler", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, n, keys, "scheduler", rd->err) < 0
        || read_policy (rd, n, &t->engine.queue_policy) < 0
        || read_depths (rd, n, &t->engine.queue_depth, &t->engine.reservation_depth) < 0)
        return -1;
    const struct flurm_doc_node *pn = flurm_doc_get (n, "pairing");
    if (pn) {
        const char *name = flurm_doc_string (rd->doc, pn, "pairing", rd->err);
        if (!name || !flurm_pairing_lookup (name, rd->err))
            return at_node (rd, pn);
        t->engine.pairing = keep (t, name);
    }
    const struct flurm_doc_node *th = flurm_doc_get (n, "pairing-threshold");
    if (th) {
        double *v = &t->engine.pairing_threshold;
        if (get_double (rd, n, "pairing-threshold", v) < 0)
            return -1;
        if (!(*v > 0 && *v <= 10))
            return flurm_doc_error (rd->doc, th, rd->err,
                                    "pairing-threshold must be a rate in (0, 10] (got %s)",
                                    th->text);
    }
    int64_t per_socket = 0;
    if (get_int (rd, n, "max-per-socket", 1, 1024, &per_socket) < 0)
        return -1;
    t->engine.max_per_socket = (uint32_t)per_socket;
    const char *mp = get_string (rd, n, "match-policy");
    if (mp)
        t->match_policy = g_strdup (mp);
    else if (flurm_doc_get (n, "match-policy"))
        return -1;
    const struct flurm_doc_node *qs = flurm_doc_get (n, "queues");
    if (!qs)
        return 0;
    if (flurm_doc_expect (rd->doc, qs, FLURM_DOC_MAPPING, "queues", rd->err) < 0)
        return -1;
    if (qs->n == 0)
        return flurm_doc_error (rd->doc, qs, rd->err, "queues must name at least one queue");
    t->nqueues = qs->n;
    t->queues = g_new0 (struct flurm_queue_config, t->nqueues);
    rd->qx = g_new0 (struct queue_extra, t->nqueues);
    for (size_t i = 0; i < t->nqueues; i++) {
        if (read_queue (rd, i, flurm_doc_key (qs, i), flurm_doc_value (qs, i)) < 0)
            return -1;
    }
    return 0;
}

/* ---- jobs --------------------------------------------------------------- */

static int find_queue (const struct reader *rd, const char *name)
{
    for (size_t i = 0; i < rd->t->nqueues; i++) {
        if (!strcmp (rd->t->queues[i].name, name))
            return (int)i;
    }
    return -1;
}

/* The job's jobspec: a file, an inline mapping, or ntasks + a shape. */
/* Shape-built jobspecs are shared by the jobs of one shape: then *shared
 * is set (and NULL returned); a new one comes with *shape_key, under which
 * the caller registers it once it is final. */
static struct flurm_jobspec *job_jobspec (struct reader *rd, const struct flurm_doc_node *n,
                                          int queue, const char **alloc,
                                          const struct flurm_jobspec **shared, char **shape_key)
{
    *shared = NULL;
    *shape_key = NULL;
    const struct flurm_doc_node *jsn = flurm_doc_get (n, "jobspec");
    struct flurm_jobspec *js = NULL;
    if (jsn && jsn->kind == FLURM_DOC_SCALAR) {
        char *path = resolve (rd, jsn->text);
        js = flurm_jobspec_load_file (path, rd->err);
        g_free (path);
        *alloc = "jobspec";
        return js;
    }
    if (jsn) {
        json_t *o = flurm_doc_to_json_checked (rd->doc, jsn, rd->err);
        if (!o)
            return NULL;
        js = flurm_jobspec_from_json (o, rd->doc->source, rd->err);
        json_decref (o);
        if (!js)
            at_node (rd, jsn);
        *alloc = "jobspec";
        return js;
    }
    int64_t ntasks = 0, nnodes = 0, cpt = 1;
    const struct flurm_doc_node *nt = flurm_doc_get (n, "ntasks");
    if (!nt) {
        flurm_doc_error (rd->doc, n, rd->err, "job needs ntasks (with alloc) or a jobspec");
        return NULL;
    }
    if (get_int (rd, n, "ntasks", 1, FLURM_SHAPE_MAX_TASKS, &ntasks) < 0
        || get_int (rd, n, "nnodes", 1, FLURM_SHAPE_MAX_TASKS, &nnodes) < 0
        || get_int (rd, n, "cores-per-task", 1, 65536, &cpt) < 0)
        return NULL;
    enum flurm_shape shape = queue >= 0 && rd->qx ? rd->qx[queue].shape : FLURM_SHAPE_COMPACT;
    /* Only jobs of sharing queues may meet on a node: once one queue
     * shares, compact jobs elsewhere get whole nodes, as on ARIS. */
    bool exclusive_nodes = rd->any_share && !(queue >= 0 && rd->qx && rd->qx[queue].share);
    const struct flurm_doc_node *an = flurm_doc_get (n, "alloc");
    if (an) {
        const char *s = flurm_doc_string (rd->doc, an, "alloc", rd->err);
        if (!s || flurm_shape_from_name (s, &shape, rd->err) < 0) {
            at_node (rd, an);
            return NULL;
        }
    }
    if (exclusive_nodes && shape == FLURM_SHAPE_COMPACT)
        shape = FLURM_SHAPE_NODE_EXCLUSIVE;
    *alloc = flurm_shape_name (shape);
    char *key = g_strdup_printf ("%d %d %jd %jd %jd", queue, (int)shape, (intmax_t)ntasks,
                                 (intmax_t)nnodes, (intmax_t)cpt);
    *shared = g_hash_table_lookup (rd->shaped, key);
    if (*shared) {
        g_free (key);
        return NULL;
    }
    struct flurm_shape_request req = {.shape = shape, .ntasks = (uint64_t)ntasks,
                                      .nnodes = (uint64_t)nnodes,
                                      .cores_per_task = (uint64_t)cpt};
    js = flurm_shape_jobspec (&req, &rd->geo, rd->err);
    if (!js) {
        g_free (key);
        at_node (rd, an ? an : nt);
        return NULL;
    }
    *shape_key = key;
    return js;
}

static int job_runtime (struct reader *rd, const struct flurm_doc_node *n, double *runtime,
                        const char **app)
{
    const struct flurm_doc_node *rt = flurm_doc_get (n, "runtime");
    const struct flurm_doc_node *an = flurm_doc_get (n, "app");
    *app = NULL;
    if (an && !(*app = flurm_doc_string (rd->doc, an, "app", rd->err)))
        return -1;
    if (rt)
        return flurm_doc_double (rd->doc, rt, "runtime", runtime, rd->err);
    if (!an)
        return flurm_doc_error (rd->doc, n, rd->err, "job needs a runtime or an app");
    if (rd->t->profiles) {
        int32_t i = flurm_app_profiles_find (rd->t->profiles, *app);
        if (i < 0)
            return flurm_doc_error (rd->doc, an, rd->err, "unknown app '%s' (not in %s)", *app,
                                    rd->t->profiles->source);
        *runtime = rd->t->profiles->apps[i].runtime;
        return 0;
    }
    const struct flurm_doc_node *profile = flurm_doc_get (rd->apps, *app);
    const struct flurm_doc_node *prt = profile ? flurm_doc_get (profile, "runtime") : NULL;
    if (!prt)
        return flurm_doc_error (rd->doc, an, rd->err,
                                "unknown app '%s' (not under apps: with a runtime)", *app);
    return flurm_doc_double (rd->doc, prt, "runtime", runtime, rd->err);
}

/* `command`: what a live run executes, as an argv list; a single string
 * is one word (no shell splitting: a path with spaces stays whole). */
static int job_command (struct reader *rd, const struct flurm_doc_node *n, char ***out)
{
    const struct flurm_doc_node *c = flurm_doc_get (n, "command");
    *out = NULL;
    if (!c)
        return 0;
    if (c->kind == FLURM_DOC_SCALAR) {
        const char *s = flurm_doc_string (rd->doc, c, "command", rd->err);
        if (!s)
            return -1;
        if (!*s)
            return flurm_doc_error (rd->doc, c, rd->err, "command is empty");
        *out = g_new0 (char *, 2);
        (*out)[0] = g_strdup (s);
        return 0;
    }
    if (flurm_doc_expect (rd->doc, c, FLURM_DOC_SEQUENCE, "command", rd->err) < 0)
        return -1;
    if (c->n == 0)
        return flurm_doc_error (rd->doc, c, rd->err, "command is empty");
    char **argv = g_new0 (char *, c->n + 1);
    for (size_t i = 0; i < c->n; i++) {
        const char *s = flurm_doc_string (rd->doc, c->items[i], "command", rd->err);
        if (!s) {
            g_strfreev (argv);
            return -1;
        }
        argv[i] = g_strdup (s);
    }
    *out = argv;
    return 0;
}

static int read_job (struct reader *rd, const struct flurm_doc_node *n)
{
    static const char *const keys[] = {"name", "submit", "app", "runtime", "walltime",
                                       "ntasks", "nnodes", "cores-per-task", "alloc",
                                       "jobspec", "queue", "count", "repeat-until", "command",
                                       NULL};
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "job", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, n, keys, "job", rd->err) < 0)
        return -1;
    struct flurm_wjob job = {.repeat_until = -1, .ext_id = -1};
    const char *name = get_string (rd, n, "name");
    if (!name && flurm_doc_get (n, "name"))
        return -1;
    const char *queue = get_string (rd, n, "queue");
    int qi = -1;
    if (queue) {
        qi = find_queue (rd, queue);
        if (qi < 0)
            return flurm_doc_error (rd->doc, flurm_doc_get (n, "queue"), rd->err,
                                    "unknown queue '%s'", queue);
    }
    else if (flurm_doc_get (n, "queue")) {
        return -1;
    }
    int64_t count = 1;
    const char *app;
    double walltime = -1;
    if (get_double (rd, n, "submit", &job.submit) < 0 || job_runtime (rd, n, &job.runtime, &app) < 0
        || get_double (rd, n, "walltime", &walltime) < 0
        || get_double (rd, n, "repeat-until", &job.repeat_until) < 0
        || get_int (rd, n, "count", 1, MAX_COUNT, &count) < 0)
        return -1;
    /* -1 is the workload's "no repeat"; a time written in the trace must
     * be a real one, not fall silently into that meaning. */
    const struct flurm_doc_node *until = flurm_doc_get (n, "repeat-until");
    if (until && !(job.repeat_until >= 0))
        return flurm_doc_error (rd->doc, until, rd->err, "repeat-until must be >= 0 (got %s)",
                                until->text ? until->text : "?");
    if (!flurm_doc_get (n, "walltime")) {
        walltime = job.runtime;
        rd->walltime_defaulted++;
    }
    job.walltime = walltime;
    if (job_command (rd, n, &job.command) < 0)
        return -1;
    const char *alloc = NULL;
    const struct flurm_jobspec *shared;
    char *shape_key;
    struct flurm_jobspec *js = job_jobspec (rd, n, qi, &alloc, &shared, &shape_key);
    if (!js && !shared) {
        g_strfreev (job.command);
        return -1;
    }
    if (js && qi >= 0 && rd->qx[qi].requires && !js->constraints) {
        js->constraints = flurm_constraint_from_json (rd->qx[qi].requires, "requires", rd->err);
        if (!js->constraints) {
            flurm_jobspec_destroy (js);
            g_free (shape_key);
            g_strfreev (job.command);
            return -1;
        }
    }
    job.js = shared ? shared : flurm_workload_own_jobspec (rd->t->workload, js);
    if (shape_key)
        g_hash_table_insert (rd->shaped, shape_key, (gpointer)job.js);
    job.ncores = flurm_jobspec_ncores (job.js);
    job.ntasks = flurm_jobspec_nslots (job.js);
    job.app = (char *)app;
    job.alloc = (char *)alloc;
    job.queue = (char *)queue;
    char fallback[32];
    snprintf (fallback, sizeof (fallback), "job%zu", rd->t->workload->njobs + 1);
    const char *base = name ? name : app ? app : fallback;
    for (int64_t i = 0; i < count; i++) {
        char *full = count > 1 ? g_strdup_printf ("%s.%jd", base, (intmax_t)(i + 1))
                               : g_strdup (base);
        job.name = full;
        int rc = flurm_workload_add (rd->t->workload, &job, rd->err);
        g_free (full);
        if (rc < 0) {
            g_strfreev (job.command);
            return at_node (rd, n);
        }
    }
    g_strfreev (job.command);
    return 0;
}

static int read_jobs (struct reader *rd, const struct flurm_doc_node *n)
{
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_SEQUENCE, "jobs", rd->err) < 0)
        return -1;
    if (n->n == 0)
        return flurm_doc_error (rd->doc, n, rd->err, "jobs is empty: nothing to simulate");
    for (size_t i = 0; i < n->n; i++) {
        if (read_job (rd, n->items[i]) < 0)
            return -1;
    }
    if (rd->walltime_defaulted)
        flurm_workload_note (rd->t->workload, "walltime = runtime for %ju jobs without one",
                             (uintmax_t)rd->walltime_defaulted);
    return 0;
}

/* ---- apps and interference ------------------------------------------- */

/* apps: either a mapping of app -> {runtime} (explicit figures), or the
 * path of a profile file (models/app_profiles.h), whose apps carry
 * measured runtimes and pair data for the interference models. */
static int read_apps (struct reader *rd, const struct flurm_doc_node *n)
{
    if (n->kind != FLURM_DOC_SCALAR)
        return flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "apps", rd->err);
    const char *rel = flurm_doc_string (rd->doc, n, "apps", rd->err);
    if (!rel)
        return -1;
    char *path = resolve (rd, rel);
    rd->t->profiles = flurm_app_profiles_load (path, rd->err);
    g_free (path);
    if (!rd->t->profiles)
        return at_node (rd, n);
    rd->apps = NULL;
    return 0;
}

/* interference: none | empirical | analytic.  With a profile file the
 * default is empirical (the measurements are what the file is for);
 * without one, none, and asking for another model is an error. */
static int read_interference (struct reader *rd, const struct flurm_doc_node *n)
{
    struct flurm_trace *t = rd->t;
    t->interference = t->profiles ? FLURM_INTERFERENCE_EMPIRICAL : FLURM_INTERFERENCE_NONE;
    t->interference_given = n != NULL;
    if (n) {
        const char *name = flurm_doc_string (rd->doc, n, "interference", rd->err);
        if (!name || flurm_interference_kind_parse (name, &t->interference, rd->err) < 0)
            return at_node (rd, n);
        if (t->interference != FLURM_INTERFERENCE_NONE && !t->profiles)
            return flurm_doc_error (rd->doc, n, rd->err, "interference: %s needs apps: "
                                    "PROFILE.yaml (measured app profiles)", name);
    }
    if (t->interference != FLURM_INTERFERENCE_NONE && t->profiles->fit_path) {
        t->fit = flurm_analytic_fit_load (t->profiles->fit_path, t->profiles, rd->err);
        if (!t->fit)
            return n ? at_node (rd, n) : -1;
    }
    if (t->interference == FLURM_INTERFERENCE_ANALYTIC && !t->fit)
        return flurm_doc_error (rd->doc, n, rd->err, "interference: analytic needs a fit "
                                "file named by %s (fit:)", t->profiles->source);
    return 0;
}

/* ---- top level ----------------------------------------------------------- */

static int read_trace (struct reader *rd, const struct flurm_doc_node *root)
{
    static const char *const keys[] = {"name", "seed", "cluster", "scheduler", "apps",
                                       "interference", "jobs", NULL};
    struct flurm_trace *t = rd->t;
    if (!root)
        return flurm_error_set (rd->err, "%s: empty trace", rd->doc->source);
    if (flurm_doc_expect (rd->doc, root, FLURM_DOC_MAPPING, "trace", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, root, keys, "trace", rd->err) < 0)
        return -1;
    const char *name = get_string (rd, root, "name");
    if (!name && flurm_doc_get (root, "name"))
        return -1;
    t->name = g_strdup (name ? name : "trace");
    int64_t seed = 0;
    if (get_int (rd, root, "seed", 0, INT64_MAX, &seed) < 0)
        return -1;
    t->engine.seed = (uint64_t)seed;
    const struct flurm_doc_node *cluster = flurm_doc_get (root, "cluster");
    const struct flurm_doc_node *jobs = flurm_doc_get (root, "jobs");
    if (!cluster)
        return flurm_doc_error (rd->doc, root, rd->err, "trace has no cluster:");
    if (!jobs)
        return flurm_doc_error (rd->doc, root, rd->err, "trace has no jobs:");
    rd->apps = flurm_doc_get (root, "apps");
    if (rd->apps && read_apps (rd, rd->apps) < 0)
        return -1;
    if (read_interference (rd, flurm_doc_get (root, "interference")) < 0)
        return -1;
    const struct flurm_doc_node *sched = flurm_doc_get (root, "scheduler");
    if (read_cluster (rd, cluster) < 0 || (sched && read_scheduler (rd, sched) < 0))
        return -1;
    t->engine.queues = t->queues;
    t->engine.nqueues = t->nqueues;
    return read_jobs (rd, jobs);
}

static struct flurm_trace *load_doc (struct flurm_doc *doc, const char *base_dir,
                                     uint32_t nodes, flurm_error_t *err)
{
    struct flurm_trace *t = g_new0 (struct flurm_trace, 1);
    flurm_engine_config_init (&t->engine);
    t->engine.queue_policy = NULL;
    t->workload = flurm_workload_create ();
    struct reader rd = {.doc = doc, .base_dir = base_dir, .t = t, .nodes = nodes, .err = err};
    rd.shaped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    int rc = read_trace (&rd, doc->root);
    g_hash_table_destroy (rd.shaped);
    for (size_t i = 0; rd.qx && i < t->nqueues; i++)
        json_decref (rd.qx[i].requires);
    g_free (rd.qx);
    flurm_doc_destroy (doc);
    if (rc < 0) {
        flurm_trace_destroy (t);
        return NULL;
    }
    if (!t->engine.queue_policy)
        t->engine.queue_policy = "fcfs";
    return t;
}

struct flurm_trace *flurm_trace_load_buffer (const char *data, size_t len, const char *source,
                                             const char *base_dir, flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_load_buffer (data, len, source, err);
    return doc ? load_doc (doc, base_dir ? base_dir : ".", 0, err) : NULL;
}

struct flurm_trace *flurm_trace_load_file_nodes (const char *path, uint32_t nodes,
                                                 flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_load_file (path, err);
    if (!doc)
        return NULL;
    char *dir = g_path_get_dirname (path);
    struct flurm_trace *t = load_doc (doc, dir, nodes, err);
    g_free (dir);
    return t;
}

struct flurm_trace *flurm_trace_load_file (const char *path, flurm_error_t *err)
{
    return flurm_trace_load_file_nodes (path, 0, err);
}

void flurm_trace_destroy (struct flurm_trace *t)
{
    if (!t)
        return;
    g_free (t->name);
    flurm_graph_destroy (t->graph);
    flurm_workload_destroy (t->workload);
    g_free (t->match_policy);
    g_free (t->queues);
    flurm_analytic_fit_destroy (t->fit);
    flurm_app_profiles_destroy (t->profiles);
    json_decref (t->cluster_json);
    for (size_t i = 0; i < t->nstrings; i++)
        g_free (t->strings[i]);
    g_free (t->strings);
    g_free (t);
}
