/* policies/match_policy.h — how a match policy ranks resources.
 *
 * The matcher (sim/match.h) walks the graph as Fluxion does; at every
 * place where it must choose among candidates it asks the policy for each
 * candidate's score and sorts the candidates by it (with Fluxion's own
 * sort, ties included).  A policy is therefore a small table:
 *
 *  - score (v, above): the score of a matched vertex v; `above` is the sum
 *    of the factors of v's ancestors (see factor);
 *  - factor (v): what v adds to the score of everything below it (Fluxion's
 *    node_centric: a node's id scaled so that all of a node ranks together);
 *  - three orders: among the children a matched vertex chooses from
 *    (vertex_order), among the members of a slot (slot_order), and among
 *    the top-level candidates (root_order);
 *  - flags: stop at the first complete match, visiting children with the
 *    most free resources first (Fluxion's stop_on_1_matches, what `first`
 *    does), and node_exclusive (every node touched is held whole);
 *  - optionally prepare (request): called before each match, for policies
 *    whose ranking depends on the request (pack).
 *
 * Adding a policy is one file policies/match_NAME.c defining
 * `int flurm_policy_NAME_init (struct flurm_match_policy *p,
 *  const struct flurm_graph *g, flurm_error_t *err)` plus one line in the
 * table of policies/match_policy.c.  A plugin (sim/plugin.h) adds one at
 * run time with flurm_match_policy_register.
 */
#ifndef FLURM_POLICIES_MATCH_POLICY_H
#define FLURM_POLICIES_MATCH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"

enum flurm_match_order {
    FLURM_ORDER_LOW,   /* lower score first */
    FLURM_ORDER_HIGH,  /* higher score first */
    /* Fluxion's locality: scores are merged into runs of consecutive
     * integers; candidates in a higher run come first, candidates in the
     * same run tie. */
    FLURM_ORDER_HIGH_RUN,
};

#define FLURM_POLICY_STOP_ON_1 (1u << 0)
#define FLURM_POLICY_NODE_EXCLUSIVE (1u << 1)
#define FLURM_POLICY_NODE_CENTRIC (1u << 2)

/* What a request asks for, for policies that rank by it. */
struct flurm_match_want {
    uint64_t nnodes;         /* nodes named by the jobspec (0 = none) */
    uint64_t nslots;         /* slots in total */
    uint64_t cores_per_slot; /* cores in one slot */
    uint64_t gpus_per_slot;
};

struct flurm_match_policy;

typedef int64_t (*flurm_policy_score_fn) (const struct flurm_match_policy *p,
                                          const struct flurm_graph *g,
                                          flurm_vid v, int64_t above);
typedef int64_t (*flurm_policy_factor_fn) (const struct flurm_match_policy *p,
                                           const struct flurm_graph *g,
                                           flurm_vid v);
typedef int (*flurm_policy_prepare_fn) (struct flurm_match_policy *p,
                                        const struct flurm_graph *g,
                                        const struct flurm_match_want *want,
                                        flurm_error_t *err);

struct flurm_match_policy {
    const char *name; /* the registry name, or "custom" */
    unsigned flags;   /* FLURM_POLICY_* */
    enum flurm_match_order vertex_order;
    enum flurm_match_order slot_order;
    enum flurm_match_order root_order;
    flurm_policy_score_fn score;
    flurm_policy_factor_fn factor;   /* NULL: no vertex adds a factor */
    flurm_policy_prepare_fn prepare; /* NULL: ranking ignores the request */
    void (*destroy) (struct flurm_match_policy *p); /* NULL: no data */
    void *data;
    flurm_atom node_type; /* the graph's "node" atom, for convenience */
};

typedef int (*flurm_policy_init_fn) (struct flurm_match_policy *p,
                                     const struct flurm_graph *g,
                                     flurm_error_t *err);

struct flurm_match_policy_info {
    const char *name;
    const char *summary;
    flurm_policy_init_fn init;
};

/* Built-in and registered policies together. */
#define FLURM_MATCH_POLICIES_MAX 64u

/* The registered policies, in the order `flurm-sim match --help` lists
 * them: built-ins first, then those registered at run time. */
const struct flurm_match_policy_info *flurm_match_policy_list (size_t *n);

/* Make *info known by its name from now on (the struct is copied, the
 * strings are not: they must live as long as the program).  -1 when it has
 * no name or no init, when the name is taken, is "custom" or holds '=' or
 * a space (which belong to custom strings), or when the registry is full.
 * Not thread-safe: register before any matcher is created. */
int flurm_match_policy_register (const struct flurm_match_policy_info *info,
                                 flurm_error_t *err);

/* Set up *p from a registered name or a Fluxion custom policy string
 * ("policy=low|high node_centric=true|false node_exclusive=true|false
 * stop_on_1_matches=true|false").  Unknown names and malformed strings are
 * errors naming the offending word. */
int flurm_match_policy_init (struct flurm_match_policy *p, const char *spec,
                             const struct flurm_graph *g, flurm_error_t *err);
void flurm_match_policy_fini (struct flurm_match_policy *p);

/* Fluxion's id-based family (policy=low|high with the three options), used
 * by first, low, high, lonode, hinode and their node-exclusive variants. */
int flurm_policy_multilevel_init (struct flurm_match_policy *p,
                                  const struct flurm_graph *g, bool high,
                                  bool node_centric, bool node_exclusive,
                                  bool stop_on_1);

/* One init function per policy file. */
int flurm_policy_first_init (struct flurm_match_policy *p,
                             const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_firstnodex_init (struct flurm_match_policy *p,
                                  const struct flurm_graph *g,
                                  flurm_error_t *err);
int flurm_policy_low_init (struct flurm_match_policy *p,
                           const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_high_init (struct flurm_match_policy *p,
                            const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_lonode_init (struct flurm_match_policy *p,
                              const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_hinode_init (struct flurm_match_policy *p,
                              const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_lonodex_init (struct flurm_match_policy *p,
                               const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_hinodex_init (struct flurm_match_policy *p,
                               const struct flurm_graph *g, flurm_error_t *err);
int flurm_policy_locality_init (struct flurm_match_policy *p,
                                const struct flurm_graph *g,
                                flurm_error_t *err);
int flurm_policy_variation_init (struct flurm_match_policy *p,
                                 const struct flurm_graph *g,
                                 flurm_error_t *err);
int flurm_policy_pack_init (struct flurm_match_policy *p,
                            const struct flurm_graph *g, flurm_error_t *err);

#endif
