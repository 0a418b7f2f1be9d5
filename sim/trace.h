/* sim/trace.h — trace.yaml: a cluster, a scheduler and a workload.
 *
 * The schema is documented in docs/trace-format.md.  In short:
 *
 *   name: aris-quickstart
 *   seed: 1
 *   cluster: {nodes: 16, sockets: 2, cores-per-socket: 10,
 *             prefix: aris, properties: {"aris[0-7]": [normal]}}
 *            # or {graph: FILE} (JGF or R)
 *   scheduler:
 *     queue-policy: easy          # default for queues
 *     match-policy: first
 *     queue-depth: 32
 *     reservation-depth: 64
 *     queues:                     # optional; order = scheduling order
 *       normal:  {requires: [normal], alloc: compact, queue-policy: easy}
 *       cosched: {requires: [cosched], alloc: spread}
 *   apps:                         # optional: runtime per app name
 *     cg.D: {runtime: 120}
 *   jobs:
 *     - {name: cg, app: cg.D, ntasks: 40, alloc: spread, queue: cosched,
 *        submit: 0, walltime: 300, count: 2, repeat-until: 600}
 *     - {name: raw, runtime: 30, jobspec: jobs/raw.yaml, submit: 5}
 *
 * Every error is "FILE:LINE:COL: what is wrong"; unknown keys are errors;
 * relative paths are taken from the trace file's folder.
 */
#ifndef FLURM_SIM_TRACE_H
#define FLURM_SIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/graph.h"
#include "sim/workload.h"

struct flurm_trace {
    char *name;
    struct flurm_graph *graph;
    struct flurm_workload *workload;  /* the caller may take it (set NULL) */
    char *match_policy;               /* NULL = not given */
    struct flurm_engine_config engine; /* queues point into `queues` */
    struct flurm_queue_config *queues;
    size_t nqueues;
    json_t *cluster_json;              /* the cluster as resolved */
    struct flurm_app_profiles *profiles; /* apps: PROFILE.yaml, else NULL */
    struct flurm_analytic_fit *fit;    /* the profile's fit file, if named */
    enum flurm_interference_kind interference;
    bool interference_given;           /* written in the trace */
    /* private */
    char **strings;
    size_t nstrings;
};

struct flurm_trace *flurm_trace_load_file (const char *path, flurm_error_t *err);
/* The same with the cluster resized to `nodes` (0: as written), as if the
 * trace said nodes: N, so that one trace serves a node-count study
 * (`flurm-sim run --nodes`).  Only a generated cluster can be resized: one
 * given as graph: FILE or hosts: HOSTLIST is an error at that key. */
struct flurm_trace *flurm_trace_load_file_nodes (const char *path, uint32_t nodes,
                                                 flurm_error_t *err);
struct flurm_trace *flurm_trace_load_buffer (const char *data, size_t len,
                                             const char *source, const char *base_dir,
                                             flurm_error_t *err);
void flurm_trace_destroy (struct flurm_trace *t);

#endif
