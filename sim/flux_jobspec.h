/* sim/flux_jobspec.h — the jobspec Flurm submits to a live Flux instance.
 *
 * The simulator places jobs with Flurm jobspecs (shapes, literal files).
 * Live mode replays them on a real Flux 0.88 + Fluxion 0.54, which must
 * (1) accept the jobspec at ingest (flux-core's V1 validator: one task,
 * whole-number counts), (2) be able to match it on a resource graph with
 * sockets, and (3) give the job the same resources.  Fluxion never matches
 * a shared node directly above a slot on a graph with sockets (flux-sched
 * issue 498), so that one form is rewritten:
 *
 *     node[N] -> slot[k] -> core[c]                  (node not exclusive)
 *  => node[N] -> socket[S] -> slot[k/S] -> core[c]   (S sockets per node)
 *
 * which asks for the same N*k slots of c cores, k/S on each socket.  When S
 * does not divide k there is no equivalent request and the error says what
 * to use instead.  Everything else (top-level slots, socket levels,
 * exclusive nodes) goes through unchanged.
 *
 * Tasks: flux-core counts a per_slot job's tasks as node counts x slot
 * count, skipping any other level (checked on Flux 0.88: node[1] ->
 * socket[2] -> slot[5] with per_slot 1 runs 5 tasks).  So whenever a level
 * other than node stands above a slot, per_slot n is written as total
 * (slots x n), the number of tasks the jobspec means; otherwise the task
 * count is kept as it is.
 *
 * The attributes Flurm controls come from struct flurm_flux_submit and
 * replace what the jobspec said about them; other attributes.system keys
 * (cwd, shell options ...) and attributes.user are kept, except
 * `dependencies`, which name jobs of another instance.
 *
 * Results are JSON objects the caller dumps and json_decref()s; they have
 * been read back through flurm_jobspec_from_json, so they follow every
 * rule of sim/jobspec.h.  Same input, same JSON.
 */
#ifndef FLURM_SIM_FLUX_JOBSPEC_H
#define FLURM_SIM_FLUX_JOBSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/error.h"
#include "sim/jobspec.h"

/* Most sockets a placement node may describe (8-socket servers exist). */
#define FLURM_FLUX_MAX_SOCKETS 16

/* Run durations below a millisecond cannot be written in the "%.3fs" form
 * flux-core's test executor reads. */
#define FLURM_FLUX_MIN_RUN_DURATION 0.001

struct flurm_flux_submit {
    const char *name;           /* attributes.system.job.name; NULL = none */
    const char *queue;          /* attributes.system.queue; NULL = none */
    double duration;            /* attributes.system.duration: wall seconds, > 0 */
    bool test_exec;             /* run no processes: flux-core's test executor ends
                                   the job after run_duration */
    double run_duration;        /* wall seconds, >= FLURM_FLUX_MIN_RUN_DURATION when
                                   test_exec; written "%.3fs" (Flux wants a string) */
    const char *const *command; /* argv, NULL-terminated.  Required without test_exec;
                                   with it kept when given, else {"true"} (Flux wants
                                   a command even when nothing runs) */
    const char *hostlist;       /* NULL, or an RFC 29 hostlist the job must stay in:
                                   {"hostlist": [...]} ANDed with the jobspec's own
                                   constraints */
};

/* The Flux V1 jobspec for `js` with the attributes of `opt`.
 * sockets_per_node: sockets under each node of the instance's scheduling
 * graph, 0 when its nodes hold cores directly (then nothing is
 * rewritten).  Errors: bad options (duration not > 0 or not finite, run
 * duration too short, empty command without test_exec, empty name or
 * queue, bad hostlist); a jobspec Flux would refuse (not exactly one
 * task, a count range); a shared node above a slot whose count the
 * sockets do not divide. */
json_t *flurm_flux_jobspec (const struct flurm_jobspec *js, uint32_t sockets_per_node,
                            const struct flurm_flux_submit *opt, flurm_error_t *err);

/* A placement Flurm chose (live --decide flurm): a node's host and the
 * cores taken on each of its sockets (cores[0] alone when nodes hold
 * cores directly). */
struct flurm_flux_placement_node {
    const char *host;
    uint32_t cores[FLURM_FLUX_MAX_SOCKETS];
};

struct flurm_flux_placement {
    const struct flurm_flux_placement_node *nodes; /* distinct hosts, each using cores */
    size_t nnodes;
    uint32_t sockets_per_node; /* 0 = nodes hold cores directly */
    uint32_t cores_per_task;   /* c >= 1 */
    uint64_t ntasks;           /* tasks to run, 1 .. slots */
    bool exclusive;            /* the nodes are the job's whole */
};

/* The jobspec that asks Fluxion for this placement as closely as a
 * jobspec can: constraint hostlist = the placement's hosts (in its
 * order); when every node uses the same number s of sockets with the same
 * k cores on each (k a multiple of c), node[N] -> socket[s] -> slot[k/c]
 * -> core[c] (node[N] -> slot[k/c] -> core[c] without sockets), the node
 * exclusive when `exclusive`; otherwise slot[total/c] -> core[c] and
 * Fluxion picks the cores inside the hosts, or, for an exclusive
 * placement, node[N] exclusive -> slot[most cores on a node / c] ->
 * core[c].  Which sockets and cores of a host Fluxion takes is its own
 * choice; a jobspec cannot name them.  Tasks: total = ntasks.
 * Errors: bad options as above, no nodes, a repeated or
 * invalid host, a node using no cores or a socket beyond
 * sockets_per_node, cores that are not whole tasks of c, more tasks than
 * slots. */
json_t *flurm_flux_placement_jobspec (const struct flurm_flux_placement *p,
                                      const struct flurm_flux_submit *opt, flurm_error_t *err);

#endif
