/* sim/match_internal.h — what the matcher's files share (not a public
 * contract: sim/match.h is).
 *
 *   match.c        lifecycle, requests, job records, apply/free, R output
 *   match_dfu.c    the traversal: Fluxion's depth-first-and-up selection,
 *                  and the shortcuts that give the same result faster
 *   match_order.c  the visiting order of `first`-like policies
 *   match_units.c  the root's nodes: free-core indexes, per-node caches
 *   match_sort.c   libstdc++'s std::sort, for Fluxion's tie order
 */
#ifndef FLURM_SIM_MATCH_INTERNAL_H
#define FLURM_SIM_MATCH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "policies/match_policy.h"
#include "sim/constraint.h"
#include "sim/match.h"
#include "sim/match_sort.h"

#define MATCH_NIL UINT32_MAX
#define MATCH_MAX_TYPES 64   /* distinct vertex types a graph may have */
#define MATCH_MAX_PRUNE 8    /* pruning types: core, node, other leaf types */
#define MATCH_UNIT_CACHES 4  /* request shapes whose per-node candidates are kept */

/* Fluxion's pruning filter (ALL:core,ALL:node, plus every other leaf type
 * anchored at the cluster): slot 0 counts cores, slot 1 nodes, slots 2..
 * the other leaf types. */
enum { PRUNE_CORE = 0, PRUNE_NODE = 1 };

/* One resource vertex of a jobspec, compiled against a graph. */
struct mreq {
    flurm_atom type;      /* FLURM_ATOM_NONE: the graph has no such type */
    bool slot;
    struct flurm_count count;
    int8_t excl;          /* as written: -1 not given, 0 false, 1 true */
    uint32_t eff_max;     /* count chosen when unlimited candidates exist */
    uint32_t with;        /* children: reqs[with .. with + nwith) */
    uint32_t nwith;
    uint32_t ud[MATCH_MAX_PRUNE]; /* pruning-type counts strictly below */
    bool has_ud;          /* some ud[] is non-zero */
};

struct mrequest {
    struct mreq *r;       /* top-level resources first: r[0 .. ntop) */
    uint32_t nr;
    uint32_t ntop;
    uint32_t dfv[MATCH_MAX_PRUNE]; /* totals over the whole request */
    const struct flurm_constraint *constraint;
    uint64_t xtypes;      /* type indexes requested exclusive: true */
    struct flurm_match_want want;
};

/* The visiting order of a parent's children for `first`: by the weight
 * of the edge (free resources below the child after the last allocation
 * that touched it, initially "infinite"), then by uniq_id, both
 * descending. */
struct match_order;
struct match_units;
struct match_work;
struct family;

struct flurm_matcher {
    struct flurm_graph *g;
    const struct flurm_vertex *V;
    size_t nv;
    char *policy_spec;
    struct flurm_match_policy pol;
    bool strict;
    bool exhaustive;

    /* type bookkeeping */
    uint8_t *tix;                 /* per vertex: type index */
    flurm_atom types[MATCH_MAX_TYPES];
    size_t ntypes;
    uint64_t *child_types;        /* per vertex: mask of its children's types */
    flurm_atom node_type, core_type, gpu_type, cluster_type;
    int node_tix;                 /* type index of node, or -1 */
    int prune_tracked[MATCH_MAX_PRUNE]; /* tracked index per pruning slot */
    flurm_atom prune_type[MATCH_MAX_PRUNE];
    int nprune;
    int64_t nodes_up;             /* as Fluxion counts them: up minus down */
    int64_t max_id;               /* largest logical id of any vertex */
    bool unit_sizes;              /* every vertex has size 1 */

    /* allocation state beyond the graph's free counts */
    uint32_t *held_below;         /* held vertices in the subtree (self too) */
    uint32_t *weight;             /* `first` edge weight into the vertex */

    /* per-traversal marks (valid when mark_seq[v] == seq) */
    uint32_t seq;
    uint32_t *mark_seq;
    uint32_t *mark_needs;
    uint32_t *mark_owner;         /* the vertex whose choice marked it */
    uint8_t *mark_excl;
    uint32_t *reach_seq;          /* materialization stamps */
    uint32_t *expand_seq;

    struct match_order *order;
    struct match_units *units;    /* nodes under the root, indexed */
    struct match_work *work;      /* match_dfu.c's reusable scratch space */

    GHashTable *jobs;             /* jobid -> struct flurm_alloc */
    struct flurm_match_stats stats;
};

/* Outcome of one selection (match_select). */
struct match_selection {
    bool ok;
    bool partial;     /* the walk skipped vertices that could not
                         contribute (busy_seen may then be incomplete) */
    bool busy_seen;   /* a vertex was refused on the way (Fluxion's errno) */
    bool hard_error;  /* a request error found during the walk */
    flurm_error_t error;
    uint32_t root_needs;
    bool root_excl;
};

/* A list of held vertices being built. */
struct match_held {
    flurm_vid *v;
    size_t n, cap;
    bool skipped_level; /* some were reached only past an unmarked level */
};

/* match_dfu.c */
/* A fresh stamp for the per-vertex *_seq arrays. */
uint32_t match_next_seq (struct flurm_matcher *m);
/* Select resources for rq (on the idle graph when `sat`).  Unless
 * `exhaustive`, nodes that cannot contribute are skipped, and node-centric
 * policies stop at the first nodes that provably hold the best choice. */
int match_select (struct flurm_matcher *m, const struct mrequest *rq, bool sat,
                  bool exhaustive, struct match_selection *out);
/* Turn the marks of the last successful selection into the set of held
 * vertices (following only marked edges, as Fluxion's update does, when
 * the matcher is strict). */
int match_materialize (struct flurm_matcher *m, const struct mrequest *rq,
                       const struct match_selection *sel, struct match_held *held);
void match_work_destroy (struct match_work *w);
size_t match_work_memory (const struct match_work *w);

/* match_order.c */
struct match_order *match_order_create (const struct flurm_matcher *m);
void match_order_destroy (struct match_order *o);
size_t match_order_memory (const struct match_order *o);
/* Children of u in visiting order: begin, then next until
 * FLURM_VID_NONE.  The order may not change while an iteration runs. */
/* Families up to this size are insertion-sorted on demand; larger ones
 * keep a bucketed index (an insertion sort of 64 nodes cost more than the
 * rest of a one-core match). */
#define MATCH_SMALL_FAMILY 16
struct match_order_iter {
    struct family *family;        /* big families */
    uint32_t bucket, word;
    uint64_t word_bits;
    bool skip_full;               /* leave out children without free cores */
    bool reverse;                 /* children listed last to first */
    flurm_vid reverse_first;
    flurm_vid small[MATCH_SMALL_FAMILY]; /* small families, sorted */
    uint32_t nsmall, pos;
};
/* With skip_full, children of a big family that have no free core are
 * left out (a request that needs cores prunes them anyway). */
void match_order_begin (struct match_order *o, const struct flurm_matcher *m, flurm_vid u,
                        bool skip_full, struct match_order_iter *it);
/* The free cores below v changed (v's parent may index its children). */
void match_order_update (struct match_order *o, const struct flurm_matcher *m, flurm_vid v);
flurm_vid match_order_next (struct match_order_iter *it);
/* The weight of the edge into v changed (after an allocation). */
void match_order_set_weight (struct match_order *o, struct flurm_matcher *m,
                             flurm_vid v, uint32_t weight);

/* match_units.c: the root's children when they are all nodes, in graph
 * order and in the policy's node order, each with an index of free cores
 * so that full nodes are skipped in O(log n). */
struct match_units {
    uint32_t n;              /* nodes (children of the root) */
    flurm_vid first;         /* the root's first child */
    flurm_vid *by_rank;      /* nodes in the policy's preferred order */
    uint32_t *rank;          /* child offset -> position in by_rank */
    uint32_t *tree_graph;    /* max free cores, segment tree, graph order */
    uint32_t *tree_rank;     /* the same over by_rank (kept only when ranked) */
    uint32_t leaves;         /* leaves in each tree (a power of two) */
    bool ranked;             /* by_rank is meaningful (node-centric policy) */
    uint32_t *version;       /* per node: bumped when its held vertices change */
    struct unit_cache *caches[MATCH_UNIT_CACHES];
    uint64_t clock;          /* for least-recently-used replacement */
};

/* What a node hands up to the root for one request: the scores of its
 * top-level candidates, in Fluxion's order.  Valid while the node's
 * version is the one recorded. */
struct unit_cache {
    uint64_t sig;            /* the request it was computed for */
    uint64_t used;           /* clock of the last use */
    uint32_t *version;       /* per node; 0 = nothing cached */
    uint32_t *off, *len;     /* per node: its scores in pool */
    int64_t *pool;
    size_t npool, cap_pool, live;
    /* For slot candidates, their members too (per candidate: a count,
     * then that many vertices), so a winner needs no second walk. */
    uint32_t *eoff, *elen;   /* per node: its words in epool */
    uint32_t *epool;
    size_t nepool, cap_epool, elive;
};
struct match_units *match_units_create (const struct flurm_matcher *m);
void match_units_destroy (struct match_units *u);
size_t match_units_memory (const struct match_units *u);
/* The free cores of node `v` changed. */
void match_units_update (struct flurm_matcher *m, flurm_vid v);
/* First position >= pos (graph order / preferred order) whose node has at
 * least `need` free cores, or UINT32_MAX. */
uint32_t match_units_next_graph (const struct match_units *u, uint32_t pos, uint32_t need);
uint32_t match_units_next_rank (const struct match_units *u, uint32_t pos, uint32_t need);
/* The cache for request signature `sig` (created, or recycled from the
 * least recently used one). */
struct unit_cache *match_units_cache (struct match_units *u, uint64_t sig);
/* Store a node's scores (replacing what it had). */
void match_units_cache_put (struct unit_cache *c, const struct match_units *u, uint32_t unit,
                            const int64_t *scores, uint32_t n, const uint32_t *members,
                            uint32_t nwords);

/* match.c helpers used by match_dfu.c */
uint32_t match_calc_count (const struct flurm_count *c, uint32_t qc);

#endif
