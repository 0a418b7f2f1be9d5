/* sim/match.h — the matcher: places jobspecs on a resource graph as Fluxion
 * does, and remembers what each job holds.
 *
 * A matcher owns the allocation state of one graph: it changes free counts
 * only through flurm_graph_take()/release(), and nobody else should.  It is
 * created with a match policy, by Fluxion name ("first", "lonode", ...,
 * see policies/match_policy.h) or as a Fluxion custom policy string
 * ("policy=low node_centric=true node_exclusive=true stop_on_1_matches=true").
 *
 * Semantics (docs/matcher.md has the details): Fluxion's depth-first-and-up
 * traversal.  A jobspec's top-level levels may be absent from the graph
 * path (socket[2] matches under cluster -> node); `slot` makes everything
 * below it exclusive to the job; `exclusive: true` holds a vertex and its
 * whole subtree; each level takes the best `count` candidates by the
 * policy's score, with Fluxion's tie order.  Two jobs may share any vertex
 * that neither holds exclusively: what a job holds is the cores/gpus under
 * its slots, plus every vertex held exclusively.
 *
 * The main deliberate difference: once matching has started Fluxion cannot
 * skip a graph level (flux-sched issue 498: `node -> slot -> core` fails
 * on a graph with sockets); Flurm can, and flags such allocations
 * (skipped_level).  With `fluxion_strict` set, Flurm reproduces Fluxion's
 * refusal (an error on an idle graph, busy otherwise), for conformance
 * checks; docs/matcher.md lists the other, smaller differences.
 *
 * The state is exact: freeing a job (or unapplying it) restores the free
 * counts of every vertex to what they were.  Job ids are chosen by the
 * caller; the matcher only requires them to be unique among live jobs.
 */
#ifndef FLURM_SIM_MATCH_H
#define FLURM_SIM_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"
#include "sim/jobspec.h"
#include "sim/rv1.h"

struct flurm_matcher;

struct flurm_match_options {
    /* Reproduce Fluxion where Flurm deliberately differs: its refusal to
     * skip graph levels (issue 498) and its count of nodes up (down nodes
     * counted negatively).  For conformance checks. */
    bool fluxion_strict;
    /* Walk every candidate as Fluxion does instead of skipping nodes that
     * cannot win.  Same results, much slower: for checking the fast paths
     * and for counting what Fluxion's walk would visit. */
    bool exhaustive;
};

enum flurm_match_result {
    FLURM_MATCH_ALLOCATED = 0, /* placed now; the job holds the resources */
    FLURM_MATCH_BUSY,          /* fits the empty graph, not the free part now */
    FLURM_MATCH_UNSATISFIABLE, /* can never fit this graph */
    FLURM_MATCH_ERROR,         /* bad request (or Fluxion's issue-498 error) */
};

/* "allocated", "busy", "unsatisfiable", "error" */
const char *flurm_match_result_str (enum flurm_match_result r);

/* What one job holds.  Vertex lists are sorted by vertex id. */
struct flurm_alloc {
    uint64_t jobid;
    flurm_vid *held;   /* vertices held exclusively: slot leaves (cores,
                          gpus), vertices marked exclusive, whole subtrees
                          of exclusive nodes */
    size_t nheld;
    flurm_vid *nodes;  /* node vertices the job uses (shared or not) */
    size_t nnodes;
    uint32_t ncores;   /* held vertices of type core / gpu */
    uint32_t ngpus;
    bool applied;      /* currently counted in the graph's free counts */
    bool skipped_level; /* placed by skipping a graph level below a matched
                           resource: Fluxion (issue 498) would refuse it */
};

/* Counters since creation (or the last reset), for statistics. */
struct flurm_match_stats {
    uint64_t allocate_calls;
    uint64_t allocated;
    uint64_t busy;
    uint64_t unsatisfiable;
    uint64_t errors;
    uint64_t satisfiable_calls;
    uint64_t freed;
    uint64_t visits;          /* graph vertices examined by traversals */
    uint64_t traversals;      /* full or partial walks of the graph */
    uint64_t fast_selections; /* top-level choices made without walking
                                 every candidate */
    uint64_t exact_fallbacks; /* fast choices redone in full because of a
                                 tie that Fluxion's sort order decides */
};

/* Flags for flurm_matcher_allocate() and flurm_matcher_find(). */
enum {
    /* On failure, tell busy from unsatisfiable by a second match on the
     * idle graph (Fluxion's allocate_with_satisfiability).  Without it a
     * failure is reported as busy. */
    FLURM_MATCH_CHECK_SATISFIABLE = 1 << 0,
    /* flurm_matcher_allocate() only: find the placement but do not take it
     * (Fluxion's without_allocating); the record returned in *out is then
     * unapplied, registered nowhere and owned by the caller, who releases
     * it with flurm_alloc_destroy().  flurm_matcher_find() is the same with
     * a non-const result. */
    FLURM_MATCH_DRY_RUN = 1 << 1,
};

/* The graph must outlive the matcher and must be idle (nothing taken).
 * policy NULL means "first".  opts NULL means defaults. */
struct flurm_matcher *flurm_matcher_create (struct flurm_graph *g,
                                            const char *policy,
                                            const struct flurm_match_options *opts,
                                            flurm_error_t *err);
/* Releases every applied job (the graph is idle again) and frees the
 * matcher. */
void flurm_matcher_destroy (struct flurm_matcher *m);

struct flurm_graph *flurm_matcher_graph (const struct flurm_matcher *m);
/* The policy as given ("first", or the custom string). */
const char *flurm_matcher_policy (const struct flurm_matcher *m);

/* Place `js` now for job `jobid`.  ALLOCATED: the job is registered and
 * *out (if not NULL) points at its record, owned by the matcher and valid
 * until the job is freed (see FLURM_MATCH_DRY_RUN for the exception).
 * Other results leave the state unchanged and *out NULL; ERROR fills err.
 * A job id that is already live is an ERROR (not with a dry run). */
enum flurm_match_result flurm_matcher_allocate (struct flurm_matcher *m,
                                                const struct flurm_jobspec *js,
                                                uint64_t jobid, unsigned flags,
                                                const struct flurm_alloc **out,
                                                flurm_error_t *err);

/* Where `js` would go now, without taking it (Fluxion's
 * without_allocating): ALLOCATED gives *out, unapplied and registered
 * nowhere, owned by the caller (flurm_alloc_destroy(); its jobid is 0).
 * The state is left as it was; flurm_matcher_adopt() can take it later.
 * FLURM_MATCH_DRY_RUN in flags changes nothing here. */
enum flurm_match_result flurm_matcher_find (struct flurm_matcher *m,
                                            const struct flurm_jobspec *js, unsigned flags,
                                            struct flurm_alloc **out, flurm_error_t *err);

/* Could `js` ever be placed, i.e. on the idle graph with every vertex up?
 * 1 yes, 0 no, -1 error (err filled). */
int flurm_matcher_satisfiable (struct flurm_matcher *m,
                               const struct flurm_jobspec *js,
                               flurm_error_t *err);

/* Release everything job `jobid` holds and forget the job. */
int flurm_matcher_free (struct flurm_matcher *m, uint64_t jobid,
                        flurm_error_t *err);

/* The live job's record, or NULL. */
const struct flurm_alloc *flurm_matcher_lookup (const struct flurm_matcher *m,
                                                uint64_t jobid);
size_t flurm_matcher_njobs (const struct flurm_matcher *m);

/* Take a job's resources out of the free counts or put them back, without
 * forgetting the job: how the engine looks at a future state (jobs that
 * will have ended unapplied) before restoring the present.  Applying an
 * applied job (or unapplying an unapplied one) is an error, as is applying
 * a job whose vertices someone else holds now. */
int flurm_matcher_unapply (struct flurm_matcher *m, uint64_t jobid,
                           flurm_error_t *err);
int flurm_matcher_apply (struct flurm_matcher *m, uint64_t jobid,
                         flurm_error_t *err);

/* Register an allocation found elsewhere (e.g. an R read from Flux, or a
 * dry run) under `jobid` and apply it.  The vertices must be free. */
int flurm_matcher_adopt (struct flurm_matcher *m, uint64_t jobid,
                         const flurm_vid *held, size_t nheld,
                         flurm_error_t *err);

/* The allocation as R: one rank entry per node with the held cores and
 * gpus, host names, and the given start/expiration (0 = unset). */
struct flurm_rv1 *flurm_alloc_to_rv1 (const struct flurm_matcher *m,
                                      const struct flurm_alloc *a,
                                      double starttime, double expiration,
                                      flurm_error_t *err);
/* One line for logs: "aris[0-1]: core[0-4,10-14]" (NULL on no memory);
 * caller frees with g_free(). */
char *flurm_alloc_summary (const struct flurm_matcher *m,
                           const struct flurm_alloc *a);
void flurm_alloc_destroy (struct flurm_alloc *a);

void flurm_matcher_stats (const struct flurm_matcher *m,
                          struct flurm_match_stats *out);
/* Bytes the matcher itself uses (per-vertex state, indexes, job records;
 * the graph's own memory is flurm_graph_memory()). */
size_t flurm_matcher_memory (const struct flurm_matcher *m);
void flurm_matcher_reset_stats (struct flurm_matcher *m);

#endif
