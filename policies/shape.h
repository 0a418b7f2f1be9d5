/* policies/shape.h — allocation shapes: "n tasks" as a jobspec, the way
 * the ARIS command-line plugins turn a task count into a request.
 *
 *   compact         slot[n] -> core[c]: the policy fills a node before the
 *                   next (with lonode, first, pack ...);
 *                   with N nodes: node[N] -> slot[n/N] -> core[c]
 *   spread          half-socket: socket[ceil(n/h)] -> slot[min(h,n)] ->
 *                   core[c], h = the tasks that fit in half a socket's
 *                   cores (5 on ARIS: 10-core sockets, c = 1); with N
 *                   nodes: node[N] -> socket[ceil(t/h)] -> slot[min(h,t)]
 *                   with t = n/N tasks per node.  A count that does not
 *                   fill half-sockets evenly (64 on ARIS) takes whole
 *                   half-nodes as the ARIS scripts do: node[ceil(n/2h)]
 *                   -> socket[2] -> slot[h], n tasks in total, the last
 *                   slots idle
 *   node-exclusive  whole nodes, as Slurm gives them: node[N] exclusive ->
 *                   slot[n/N] -> core[c], N = ceil(n / cores per node)
 *                   unless given; when n does not split evenly over those
 *                   N, slot[ceil(n/N)] with n tasks in total
 *   a literal jobspec, read from a file and checked against the task
 *                   count the trace gives (flurm_shape_literal)
 *
 * c is the cores per task (default 1).  Every task gets one slot
 * (per_slot: 1), so the counts must divide evenly: 12 tasks do not make
 * uniform half-sockets of 5, 30 tasks do not split over 4 nodes.  Errors
 * say which rule is broken and with which numbers ("spread: 12 tasks do
 * not fill half-sockets of 5 evenly"), as the plugins do.
 */
#ifndef FLURM_POLICIES_SHAPE_H
#define FLURM_POLICIES_SHAPE_H

#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"
#include "sim/jobspec.h"

enum flurm_shape {
    FLURM_SHAPE_COMPACT,
    FLURM_SHAPE_SPREAD,
    FLURM_SHAPE_NODE_EXCLUSIVE,
};

/* Largest task or node count a shape accepts. */
#define FLURM_SHAPE_MAX_TASKS 1000000u

/* What the shapes need to know about the machine; all nodes must agree. */
struct flurm_shape_geometry {
    uint32_t sockets_per_node; /* 0 when nodes hold their cores directly */
    uint32_t cores_per_socket; /* 0 without sockets */
    uint32_t cores_per_node;
};

struct flurm_shape_request {
    enum flurm_shape shape;
    uint64_t ntasks;          /* n >= 1 */
    uint64_t nnodes;          /* N, 0 = not given */
    uint64_t cores_per_task;  /* c, 0 = 1 */
    double duration;          /* seconds, >= 0 (0 = unlimited) */
    const char *const *command; /* NULL-terminated; NULL = {"app"} */
};

/* "compact", "spread", "node-exclusive" (also "node", "exclusive"). */
int flurm_shape_from_name (const char *name, enum flurm_shape *out, flurm_error_t *err);
const char *flurm_shape_name (enum flurm_shape shape);

/* Read the node layout from a graph; nodes that differ are an error
 * naming two of them. */
int flurm_shape_geometry (const struct flurm_graph *g, struct flurm_shape_geometry *geo,
                          flurm_error_t *err);

/* A jobspec file used as it is.  With ntasks > 0 it must run exactly that
 * many tasks (per_slot x slots, or its total), and a total may not exceed
 * its slots; errors name the file. */
struct flurm_jobspec *flurm_shape_literal (const char *path, uint64_t ntasks,
                                           flurm_error_t *err);

/* The jobspec for the request (checked by flurm_jobspec_validate), or NULL
 * with err set. */
struct flurm_jobspec *flurm_shape_jobspec (const struct flurm_shape_request *req,
                                           const struct flurm_shape_geometry *geo,
                                           flurm_error_t *err);

#endif
