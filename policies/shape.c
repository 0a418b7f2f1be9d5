/* policies/shape.c — allocation shapes (see shape.h).
 *
 * A shape is built as the JSON a user would write and read back through
 * sim/jobspec.c, so a shape can never produce a jobspec the rest of Flurm
 * would refuse.  All arithmetic is on 64-bit values checked against
 * FLURM_SHAPE_MAX_TASKS before anything is built.
 */
#include "policies/shape.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <jansson.h>

int flurm_shape_from_name (const char *name, enum flurm_shape *out, flurm_error_t *err)
{
    if (!strcmp (name, "compact"))
        *out = FLURM_SHAPE_COMPACT;
    else if (!strcmp (name, "spread"))
        *out = FLURM_SHAPE_SPREAD;
    else if (!strcmp (name, "node-exclusive") || !strcmp (name, "node")
             || !strcmp (name, "exclusive"))
        *out = FLURM_SHAPE_NODE_EXCLUSIVE;
    else
        return flurm_error_set (err, "unknown allocation shape '%s' (expected compact, spread "
                                "or node-exclusive)", name);
    return 0;
}

const char *flurm_shape_name (enum flurm_shape shape)
{
    switch (shape) {
    case FLURM_SHAPE_COMPACT:
        return "compact";
    case FLURM_SHAPE_SPREAD:
        return "spread";
    case FLURM_SHAPE_NODE_EXCLUSIVE:
        break;
    }
    return "node-exclusive";
}

/* ---- geometry ---------------------------------------------------------- */

struct layout {
    uint32_t sockets, cores_per_socket, cores;
    bool uneven_sockets;
};

static struct layout node_layout (const struct flurm_graph *g, flurm_vid node, flurm_atom socket,
                                  flurm_atom core)
{
    struct layout l = {0};
    const struct flurm_vertex *x = flurm_graph_vertex (g, node);
    for (uint32_t i = 0; i < x->nchildren; i++) {
        const struct flurm_vertex *c = flurm_graph_vertex (g, x->first_child + i);
        if (c->type == core)
            l.cores++;
        if (c->type != socket)
            continue;
        uint32_t n = 0;
        for (uint32_t j = 0; j < c->nchildren; j++)
            if (flurm_graph_vertex (g, c->first_child + j)->type == core)
                n++;
        if (l.sockets > 0 && n != l.cores_per_socket)
            l.uneven_sockets = true;
        l.sockets++;
        l.cores_per_socket = n;
        l.cores += n;
    }
    return l;
}

int flurm_shape_geometry (const struct flurm_graph *g, struct flurm_shape_geometry *geo,
                          flurm_error_t *err)
{
    memset (geo, 0, sizeof (*geo));
    size_t n = flurm_graph_nnodes (g);
    if (n == 0)
        return flurm_error_set (err, "the graph has no nodes");
    flurm_atom socket = flurm_graph_atom (g, "socket"), core = flurm_graph_atom (g, "core");
    char a[FLURM_NAME_MAX], b[FLURM_NAME_MAX];
    flurm_vid first = flurm_graph_node_at (g, 0);
    struct layout l0 = node_layout (g, first, socket, core);
    for (size_t i = 0; i < n; i++) {
        flurm_vid node = flurm_graph_node_at (g, i);
        struct layout l = node_layout (g, node, socket, core);
        if (l.uneven_sockets)
            return flurm_error_set (err, "node %s has sockets with different core counts",
                                    flurm_graph_name (g, node, a));
        if (l.sockets != l0.sockets || l.cores_per_socket != l0.cores_per_socket
            || l.cores != l0.cores)
            return flurm_error_set (err, "nodes differ: %s has %" PRIu32 " sockets and %" PRIu32
                                    " cores, %s has %" PRIu32 " sockets and %" PRIu32 " cores",
                                    flurm_graph_name (g, first, a), l0.sockets, l0.cores,
                                    flurm_graph_name (g, node, b), l.sockets, l.cores);
    }
    if (l0.cores == 0)
        return flurm_error_set (err, "node %s has no cores", flurm_graph_name (g, first, a));
    geo->sockets_per_node = l0.sockets;
    geo->cores_per_socket = l0.cores_per_socket;
    geo->cores_per_node = l0.cores;
    return 0;
}

/* ---- building ---------------------------------------------------------- */

static json_t *vertex (const char *type, uint64_t count, json_t *with)
{
    json_t *o = json_pack ("{s:s, s:I}", "type", type, "count", (json_int_t)count);
    if (with)
        json_object_set_new (o, "with", json_pack ("[o]", with));
    return o;
}

static json_t *slot (uint64_t count, uint64_t cores)
{
    json_t *o = vertex ("slot", count, vertex ("core", cores, NULL));
    json_object_set_new (o, "label", json_string ("task"));
    return o;
}

/* The jobspec around `resource`: one task per slot, or, with total > 0,
 * that many tasks over the slots (spread rounds up to whole half-nodes and
 * leaves the last slots idle). */
static struct flurm_jobspec *finish (json_t *resource, const struct flurm_shape_request *req,
                                     uint64_t total, flurm_error_t *err)
{
    json_t *cmd = json_array ();
    if (req->command && req->command[0])
        for (const char *const *c = req->command; *c; c++)
            json_array_append_new (cmd, json_string (*c));
    else
        json_array_append_new (cmd, json_string ("app"));
    json_t *duration = req->duration == floor (req->duration)
                           ? json_integer ((json_int_t)req->duration)
                           : json_real (req->duration);
    json_t *js = json_pack ("{s:i, s:[o], s:[{s:o, s:s, s:{s:I}}], s:{s:{s:o}}}", "version", 1,
                            "resources", resource, "tasks", "command", cmd, "slot", "task",
                            "count", total ? "total" : "per_slot",
                            (json_int_t)(total ? total : 1), "attributes", "system", "duration",
                            duration);
    struct flurm_jobspec *out = flurm_jobspec_from_json (js, "shape", err);
    json_decref (js);
    return out;
}

static int split_even (const char *shape, uint64_t ntasks, uint64_t nnodes, uint64_t *per_node,
                       flurm_error_t *err)
{
    if (ntasks % nnodes != 0)
        return flurm_error_set (err, "%s: %" PRIu64 " tasks do not split evenly over %" PRIu64
                                " nodes", shape, ntasks, nnodes);
    *per_node = ntasks / nnodes;
    return 0;
}

/* Half-socket slots of spread: (t tasks) -> socket[ceil(t/h)] -> slot[min(h,t)]. */
static json_t *half_sockets (uint64_t t, uint64_t h, uint64_t cores)
{
    uint64_t per = t < h ? t : h;
    return vertex ("socket", (t + h - 1) / h, slot (per, cores));
}

struct flurm_jobspec *flurm_shape_jobspec (const struct flurm_shape_request *req,
                                           const struct flurm_shape_geometry *geo,
                                           flurm_error_t *err)
{
    const char *name = flurm_shape_name (req->shape);
    uint64_t n = req->ntasks, nodes = req->nnodes;
    uint64_t c = req->cores_per_task ? req->cores_per_task : 1;
    if (n == 0 || n > FLURM_SHAPE_MAX_TASKS) {
        flurm_error_set (err, "%s: the task count must be 1 .. %u, not %" PRIu64, name,
                         FLURM_SHAPE_MAX_TASKS, n);
        return NULL;
    }
    if (nodes > FLURM_SHAPE_MAX_TASKS || c > FLURM_SHAPE_MAX_TASKS) {
        flurm_error_set (err, "%s: %" PRIu64 " %s is too many", name, nodes > c ? nodes : c,
                         nodes > c ? "nodes" : "cores per task");
        return NULL;
    }
    if (nodes > n) {
        flurm_error_set (err, "%s: %" PRIu64 " nodes for %" PRIu64 " tasks leave a node without "
                         "a task", name, nodes, n);
        return NULL;
    }
    if (!(req->duration >= 0) || isinf (req->duration)) {
        flurm_error_set (err, "%s: the duration must be a number of seconds >= 0", name);
        return NULL;
    }
    if (c > geo->cores_per_node) {
        flurm_error_set (err, "%s: a task of %" PRIu64 " cores does not fit a node of %" PRIu32
                         " cores", name, c, geo->cores_per_node);
        return NULL;
    }
    uint64_t t = n;
    json_t *top = NULL;
    switch (req->shape) {
    case FLURM_SHAPE_COMPACT:
        if (!nodes) {
            top = slot (n, c);
            break;
        }
        if (split_even (name, n, nodes, &t, err) < 0)
            return NULL;
        if (t * c > geo->cores_per_node) {
            flurm_error_set (err, "compact: %" PRIu64 " tasks of %" PRIu64 " cores per node are "
                             "more than the %" PRIu32 " cores of a node", t, c,
                             geo->cores_per_node);
            return NULL;
        }
        top = vertex ("node", nodes, slot (t, c));
        break;
    case FLURM_SHAPE_SPREAD: {
        if (geo->sockets_per_node == 0) {
            flurm_error_set (err, "spread: the graph has no sockets");
            return NULL;
        }
        uint64_t h = (geo->cores_per_socket / 2) / c;
        if (h == 0) {
            flurm_error_set (err, "spread: a task of %" PRIu64 " cores does not fit half of a "
                             "%" PRIu32 "-core socket", c, geo->cores_per_socket);
            return NULL;
        }
        if (nodes && split_even (name, n, nodes, &t, err) < 0)
            return NULL;
        if (nodes && (t + h - 1) / h > geo->sockets_per_node) {
            flurm_error_set (err, "spread: %" PRIu64 " tasks per node are more than the %" PRIu64
                             " half-socket slots of a node", t, h * geo->sockets_per_node);
            return NULL;
        }
        if (t > h && t % h != 0) {
            if (nodes) {
                flurm_error_set (err, "spread: %" PRIu64 " tasks per node do not fill "
                                 "half-sockets of %" PRIu64 " tasks evenly", t, h);
                return NULL;
            }
            /* As the ARIS scripts run 64 ranks spread: ceil(n / half-node)
             * nodes, every half-socket of them held, the last slots idle. */
            uint64_t half_node = h * geo->sockets_per_node;
            uint64_t need = (n + half_node - 1) / half_node;
            top = vertex ("node", need,
                          vertex ("socket", geo->sockets_per_node, slot (h, c)));
            return finish (top, req, n, err);
        }
        json_t *sockets = half_sockets (t, h, c);
        top = nodes ? vertex ("node", nodes, sockets) : sockets;
        break;
    }
    case FLURM_SHAPE_NODE_EXCLUSIVE: {
        uint64_t per_node = geo->cores_per_node / c;
        uint64_t total = 0;
        if (!nodes) {
            nodes = (n + per_node - 1) / per_node;
            /* 256 ranks on 13 whole nodes of 20 cores: the nodes are the
             * job's anyway, so the last slots stay idle (n tasks in total) */
            if (n % nodes != 0) {
                t = (n + nodes - 1) / nodes;
                total = n;
            }
        }
        if (!total && split_even (name, n, nodes, &t, err) < 0)
            return NULL;
        if (t > per_node) {
            flurm_error_set (err, "node-exclusive: %" PRIu64 " tasks per node are more than the "
                             "%" PRIu64 " slots of a node", t, per_node);
            return NULL;
        }
        top = vertex ("node", nodes, slot (t, c));
        json_object_set_new (top, "exclusive", json_true ());
        if (total)
            return finish (top, req, total, err);
        break;
    }
    }
    return finish (top, req, 0, err);
}

struct flurm_jobspec *flurm_shape_literal (const char *path, uint64_t ntasks,
                                           flurm_error_t *err)
{
    struct flurm_jobspec *js = flurm_jobspec_load_file (path, err);
    if (!js)
        return NULL;
    uint64_t slots = flurm_jobspec_nslots (js);
    const struct flurm_jobspec_task *t = js->ntasks ? &js->tasks[0] : NULL;
    uint64_t tasks = !t ? 0 : t->count_kind == FLURM_TASK_TOTAL ? t->count : t->count * slots;
    if (t && t->count_kind == FLURM_TASK_TOTAL && t->count > slots) {
        flurm_error_set (err, "%s: %" PRIu32 " tasks are more than the %" PRIu64 " slots the "
                         "jobspec asks for", path, t->count, slots);
        flurm_jobspec_destroy (js);
        return NULL;
    }
    if (ntasks > 0 && tasks != ntasks) {
        flurm_error_set (err, "%s: the jobspec runs %" PRIu64 " tasks, not %" PRIu64, path, tasks,
                         ntasks);
        flurm_jobspec_destroy (js);
        return NULL;
    }
    return js;
}
