/* sim/swf_workload.c — SWF log -> machine + workload, with the conventions
 * of other simulators written once.
 *
 * Invariant: every job of the log within max_jobs ends up either in the
 * workload or in exactly one skip count.
 */
#include <string.h>

#include <glib.h>

#include "policies/shape.h"
#include "sim/swf_workload.h"
#include "sim/topo.h"

int flurm_swf_machine (const struct flurm_swf *swf, int64_t cores_override,
                       struct flurm_swf_machine *out, flurm_error_t *err)
{
    int64_t procs = cores_override > 0 ? cores_override
                    : swf->max_procs > 0 ? swf->max_procs : swf->max_nodes;
    int64_t nodes = swf->max_nodes;
    if (procs <= 0)
        return flurm_error_set (err, "the log gives neither MaxProcs nor MaxNodes: "
                                "say how many cores the machine has");
    if (procs > FLURM_SWF_MAX_CORES)
        return flurm_error_set (err, "machine of %jd cores is larger than the %u allowed",
                                (intmax_t)procs, FLURM_SWF_MAX_CORES);
    if (nodes > 0 && procs % nodes == 0) {
        out->nodes = (uint32_t)nodes;
        out->cores_per_node = (uint32_t)(procs / nodes);
    }
    else {
        out->nodes = (uint32_t)procs;
        out->cores_per_node = 1;
    }
    return 0;
}

struct flurm_graph *flurm_swf_machine_graph (const struct flurm_swf_machine *mach,
                                             flurm_error_t *err)
{
    struct flurm_topo_spec spec = {
        .nnodes = mach->nodes,
        .prefix = "node",
        .sockets = 1,
        .cores_per_socket = mach->cores_per_node,
        .cluster_name = "cluster0",
    };
    return flurm_topo_generate (&spec, err);
}

/* Jobspecs by processor count, built once per size. */
static const struct flurm_jobspec *jobspec_for (struct flurm_workload *w, GHashTable *cache,
                                                uint64_t procs, flurm_error_t *err)
{
    const struct flurm_jobspec *js = g_hash_table_lookup (cache, &procs);
    if (js)
        return js;
    struct flurm_shape_request req = {.shape = FLURM_SHAPE_COMPACT, .ntasks = procs};
    struct flurm_shape_geometry geo = {.cores_per_node = 1};
    struct flurm_jobspec *made = flurm_shape_jobspec (&req, &geo, err);
    if (!made)
        return NULL;
    js = flurm_workload_own_jobspec (w, made);
    uint64_t *key = g_new (uint64_t, 1);
    *key = procs;
    g_hash_table_insert (cache, key, (gpointer)js);
    return js;
}

struct flurm_workload *flurm_swf_workload (const struct flurm_swf *swf,
                                           const struct flurm_swf_machine *mach,
                                           size_t max_jobs, flurm_error_t *err)
{
    struct flurm_workload *w = flurm_workload_create ();
    GHashTable *cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    uint64_t machine = (uint64_t)mach->nodes * mach->cores_per_node;
    uint64_t walltime_from_runtime = 0;
    size_t n = max_jobs && max_jobs < swf->njobs ? max_jobs : swf->njobs;
    for (size_t i = 0; i < n; i++) {
        const struct flurm_swf_job *sj = &swf->jobs[i];
        int64_t procs = sj->req_procs > 0 ? sj->req_procs : sj->alloc_procs;
        double walltime = sj->req_time > 0 ? sj->req_time : sj->runtime;
        const char *skip = NULL;
        if (sj->submit < 0)
            skip = "no submit time";
        else if (sj->runtime < 0)
            skip = "no run time";
        else if (procs <= 0)
            skip = "no processors";
        else if ((uint64_t)procs > machine)
            skip = "more processors than the machine";
        else if (!(walltime > 0))
            skip = "no run time or requested time above zero";
        if (skip) {
            flurm_workload_skip (w, skip);
            continue;
        }
        if (!(sj->req_time > 0))
            walltime_from_runtime++;
        const struct flurm_jobspec *js = jobspec_for (w, cache, (uint64_t)procs, err);
        if (!js)
            goto fail;
        char name[32];
        snprintf (name, sizeof (name), "%jd", (intmax_t)sj->id);
        struct flurm_wjob job = {
            .name = name,
            .alloc = (char *)"cores",
            .submit = sj->submit,
            .runtime = sj->runtime,
            .walltime = walltime,
            .repeat_until = -1,
            .ntasks = (uint64_t)procs,
            .ncores = (uint64_t)procs,
            .ext_id = sj->id,
            .js = js,
        };
        if (flurm_workload_add (w, &job, err) < 0) {
            flurm_error_prefix (err, "line %d", sj->line);
            goto fail;
        }
    }
    if (walltime_from_runtime)
        flurm_workload_note (w, "walltime = run time for %ju jobs without a requested time",
                             (uintmax_t)walltime_from_runtime);
    g_hash_table_destroy (cache);
    return w;
fail:
    g_hash_table_destroy (cache);
    flurm_workload_destroy (w);
    return NULL;
}
