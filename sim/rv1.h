/* sim/rv1.h — Flux resource set R version 1 (RFC 20).
 *
 *   {"version": 1,
 *    "execution": {"R_lite": [{"rank": "0-3", "children": {"core": "0-19"}}],
 *                  "nodelist": ["aris[0-3]"],
 *                  "properties": {"cosched": "2-3"},
 *                  "starttime": 0, "expiration": 0},
 *    "scheduling": {"graph": ...}}          (optional, Fluxion's JGF)
 *
 * struct flurm_rv1 is R in memory: one entry per rank, sorted by rank,
 * each with its host name and core/gpu idsets.  It is the exchange form
 * between a graph (whole-machine R, for Flux's config), an allocation (the
 * R of one job) and R files written by Flux.
 *
 * Parsing checks: version 1; R_lite a non-empty list of {rank, children}
 * with idsets; a rank listed twice is an error; nodelist hosts (expanded
 * and concatenated) map 1:1 onto the sorted ranks, so fewer or more hosts
 * than ranks is an error; properties map names to rank idsets naming only
 * ranks present; starttime/expiration numbers >= 0.
 *
 * Writing groups ranks with identical children into one R_lite entry
 * ("rank": "0-3"), compresses the nodelist (one hostlist string) and the
 * property idsets, and writes keys in a fixed order, so output is
 * deterministic.
 */
#ifndef FLURM_SIM_RV1_H
#define FLURM_SIM_RV1_H

#include <stdint.h>

#include <jansson.h>

#include "sim/error.h"
#include "sim/graph.h"
#include "sim/idset.h"
#include "sim/jgf.h"

struct flurm_rv1_rank {
    uint32_t rank;
    char *host;                 /* NULL when R has no nodelist; else a name
                                 * a nodelist can hold (names.h) */
    struct flurm_idset *cores;
    struct flurm_idset *gpus;   /* empty when none */
};

struct flurm_rv1_property {
    char *name;
    struct flurm_idset *ranks;
};

struct flurm_rv1 {
    struct flurm_rv1_rank *ranks; /* sorted by rank, no duplicates */
    size_t nranks;
    struct flurm_rv1_property *properties; /* sorted by name */
    size_t nproperties;
    double starttime;  /* 0 = unset */
    double expiration; /* 0 = unset */
    json_t *scheduling; /* Fluxion JGF or NULL (owned reference) */
};

/* An R may embed a whole JGF under "scheduling", so it gets the same
 * size limit as a JGF file. */
#define FLURM_RV1_MAX_BYTES FLURM_JGF_MAX_BYTES

struct flurm_rv1 *flurm_rv1_create (void);
void flurm_rv1_destroy (struct flurm_rv1 *r);

struct flurm_rv1 *flurm_rv1_parse (const json_t *R, const char *source,
                                   flurm_error_t *err);
struct flurm_rv1 *flurm_rv1_load_file (const char *path, flurm_error_t *err);

/* Add cores/gpus on a rank (creating the rank entry, kept sorted).  A host
 * name a nodelist cannot hold is an error (names.h). */
struct flurm_rv1_rank *flurm_rv1_rank_get (struct flurm_rv1 *r, uint32_t rank,
                                           const char *host,
                                           flurm_error_t *err);
int flurm_rv1_add_property (struct flurm_rv1 *r, const char *name,
                            uint32_t rank, flurm_error_t *err);

json_t *flurm_rv1_to_json (const struct flurm_rv1 *r);
/* Compact single-line form for logs: "aris[0-1]: core[0-4,10-14]". */
char *flurm_rv1_summary (const struct flurm_rv1 *r);

/* Build a graph from R.  If R carries a Fluxion JGF in "scheduling" that
 * graph is used (as Fluxion does).  Otherwise, as Fluxion's rv1exec reader
 * builds it: cluster0 -> one node per rank (name = host, basename = host
 * without trailing digits, id = the host's numeric suffix or -1 when it
 * has none, rank = rank, properties from R; without a nodelist nodes are
 * named node<rank> with id = rank) -> cores and gpus.  With
 * cores_per_socket > 0 and no JGF, sockets are inferred: socket k holds
 * cores k*cps .. k*cps+cps-1 (gpus are split evenly over the sockets).  A
 * core count that is not a multiple of cores_per_socket is an error, and
 * so are sizes refused before anything is built: more than
 * FLURM_GRAPH_MAX_PER_NODE cores and gpus on a rank, more than
 * FLURM_GRAPH_MAX_VERTICES vertices in all. */
struct flurm_graph *flurm_rv1_to_graph (const struct flurm_rv1 *r,
                                        uint32_t cores_per_socket,
                                        const char *source,
                                        flurm_error_t *err);

/* The whole graph as R: every node, its cores and gpus, its properties
 * (value ignored: R properties are names).  With_jgf embeds the graph as
 * "scheduling" so Fluxion sees sockets.  Errors name the node: one without
 * a rank 0 .. FLURM_IDSET_MAX_ID, two nodes with one rank, a name a
 * nodelist cannot hold, a core or gpu id R cannot write. */
struct flurm_rv1 *flurm_rv1_from_graph (const struct flurm_graph *g,
                                        bool with_jgf, flurm_error_t *err);

#endif
