/* sim/flux_conf.h — a Flux config folder that makes a real instance the
 * machine and scheduler a Flurm cluster describes.
 *
 * `flux start -c DIR` reads every *.toml file in DIR; this unit writes three
 * files there:
 *
 *   DIR/R.json     R version 1 (rv1.h): ranks 0..N-1 in node order, the
 *                  nodelist and the node properties, no "scheduling" key;
 *   DIR/jgf.json   the cluster's JGF (jgf.h), which flux-core adds to R as
 *                  "scheduling", so Fluxion sees sockets (its default
 *                  reader builds node -> core only);
 *   DIR/flux.toml  [resource] noverify, path, scheduling (absolute paths)
 *                  and exclude; [sched-fluxion-resource] match-format
 *                  "rv1" and match-policy; [sched-fluxion-qmanager]
 *                  queue-policy, the per-queue policies and the depths;
 *                  [queues.NAME] with `requires`, and the first queue as
 *                  the default queue of jobs that name none.
 *
 * The keys are the ones Fluxion 0.54 reads (flux-sched qmanager_opts.cpp):
 * a queue's own policy goes in queue-policy-per-queue = "NAME:POLICY ...",
 * its depths in queue-params-per-queue / policy-params-per-queue, the
 * instance-wide depths in the queue-params / policy-params subtables.
 * Fluxion falls back to fcfs without a word on a queue policy it does not
 * know, and its module fails to load on an unknown match policy; here
 * every name is checked first and an unknown one is an error.  Flux
 * starts named queues stopped: the instance's user runs `flux queue start
 * --all` before submitting.
 *
 * noverify is always set: the cluster is the trace's model, which is
 * seldom the hardware the instance runs on (a test instance on a laptop,
 * or 20-core ARIS nodes described by a trace written for them).
 *
 * Everything is checked before anything is written, and each file is
 * written atomically (outfile.h), flux.toml last: a failure leaves no
 * flux.toml (and no folder, when this call created it), so `flux start
 * -c DIR` never reads half a configuration.  Other *.toml files already in
 * DIR are left alone — and read by flux start too.  Same input, same
 * bytes.
 */
#ifndef FLURM_SIM_FLUX_CONF_H
#define FLURM_SIM_FLUX_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"

#define FLURM_FLUX_CONF_R    "R.json"
#define FLURM_FLUX_CONF_JGF  "jgf.json"
#define FLURM_FLUX_CONF_TOML "flux.toml"

struct flurm_flux_queue {
    /* Letters, digits, '_' and '-': a bare TOML key, and one word in
     * Fluxion's space-separated "NAME:POLICY" lists. */
    const char *name;
    const char *policy;            /* NULL = the instance's queue_policy */
    uint32_t queue_depth;          /* 0 = the instance's */
    uint32_t reservation_depth;    /* 0 = the instance's */
    const char *const *properties; /* the node properties it requires */
    size_t nproperties;
};

struct flurm_flux_conf {
    /* Nodes in rank order with ranks 0..N-1, their sockets, cores and
     * properties. */
    const struct flurm_graph *graph;
    /* A Fluxion 0.54 match policy name or custom string ("policy=low
     * node_centric=true"); NULL = Fluxion's default, first. */
    const char *match_policy;
    const char *queue_policy;   /* fcfs | easy | hybrid | conservative; NULL = fcfs */
    uint32_t queue_depth;       /* 1 .. 1000000; 0 = Fluxion's default (32) */
    uint32_t reservation_depth; /* 1 .. 100000; 0 = Fluxion's default (64) */
    /* Named queues; the first is the default queue.  None: Flux's one
     * anonymous queue. */
    const struct flurm_flux_queue *queues;
    size_t nqueues;
    /* Hostlist withheld from scheduling (a control node); NULL = none. */
    const char *exclude;
};

/* Check `c` and write the three files into `dir` (created, with its
 * parents, when missing).  Errors, one line each: a graph without nodes
 * or whose node ranks are not 0..N-1; a match or queue policy Fluxion does
 * not have (the message lists the ones it has; Flurm's own "pack" is named
 * as such); a depth out of range; a queue name that is empty, repeated or
 * has other characters; a required property no node has; an exclude list
 * that is not a hostlist, names a host not in the cluster or leaves no
 * node; a folder that cannot be created or written; a path that is not
 * UTF-8 (TOML is) or holds one of * ? [ ] \ (flux start -c finds the
 * TOML files with a glob pattern made from the path). */
int flurm_flux_conf_write (const struct flurm_flux_conf *c, const char *dir, flurm_error_t *err);

#endif
