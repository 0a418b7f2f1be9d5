/* sim/swf_workload.h — an SWF log as a machine and a workload.
 *
 * Conventions (those of CQSim, AccaSim and RLScheduler's simulator, so
 * that results can be compared with theirs):
 *  - cores: requested processors (field 8), or allocated ones (field 5)
 *    when the request is -1;
 *  - walltime: requested time (field 9), or the run time when the request
 *    is -1 (counted in a note for the summary);
 *  - runtime: run time (field 4); a job that runs past its walltime is
 *    killed at it by the engine;
 *  - skipped, counted by reason: no submit time, no run time, no
 *    processors, more processors than the machine, neither a run time nor
 *    a requested time above zero.
 * Each job asks for `slot[p] -> core[1]` with no node level, so it may
 * span nodes; jobs of equal size share one jobspec.
 *
 * Machine: MaxNodes nodes of MaxProcs / MaxNodes cores each (one socket
 * per node) when MaxNodes divides MaxProcs, otherwise MaxProcs single-core
 * nodes; a log without MaxProcs gets MaxNodes single-core nodes (Lublin's
 * model logs give only MaxNodes, in processors).
 */
#ifndef FLURM_SIM_SWF_WORKLOAD_H
#define FLURM_SIM_SWF_WORKLOAD_H

#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"
#include "sim/swf.h"
#include "sim/workload.h"

/* Largest machine built from a header (cores). */
#define FLURM_SWF_MAX_CORES (1u << 24)

struct flurm_swf_machine {
    uint32_t nodes;
    uint32_t cores_per_node;
};

/* The machine the header describes; cores_override > 0 replaces MaxProcs
 * (as a number of single-core nodes unless it is a multiple of MaxNodes).
 * Error when neither header field nor the override gives a size. */
int flurm_swf_machine (const struct flurm_swf *swf, int64_t cores_override,
                       struct flurm_swf_machine *out, flurm_error_t *err);

/* Build that machine as a graph: cluster0 -> node0.. -> socket0 -> cores. */
struct flurm_graph *flurm_swf_machine_graph (const struct flurm_swf_machine *mach,
                                             flurm_error_t *err);

/* The jobs of the log as a workload (submit times as logged), at most
 * max_jobs of them (0 = all, counted before skipping); jobs are named by
 * their SWF number. */
struct flurm_workload *flurm_swf_workload (const struct flurm_swf *swf,
                                           const struct flurm_swf_machine *mach,
                                           size_t max_jobs, flurm_error_t *err);

#endif
