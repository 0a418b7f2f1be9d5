/* sim/graph.h — the resource graph: a containment tree in flat arrays.
 *
 * A graph is what the matcher allocates from: cluster -> node -> socket ->
 * core (and gpu, memory, or any other type a JGF names).  It is built once
 * (by the JGF or R readers, or the topology generator) through a builder,
 * then frozen: the shape never changes, only the free counts do.
 *
 * Layout and invariants (the matcher relies on them):
 *  - Vertices live in one array `v[0 .. nvertices)`; index 0 is the root.
 *  - Vertices are in breadth-first order, so the children of a vertex are
 *    contiguous: v[i]'s children are v[first_child .. first_child+nchildren),
 *    in the order their edges were given to the builder.  Hence
 *    parent < child for every edge, and a vertex's ancestors have smaller
 *    indices.
 *  - Strings (types, basenames, units, property keys and values) are
 *    interned once as "atoms" (uint32 handles); comparing types is comparing
 *    integers.  A vertex stores an explicit name only when it differs from
 *    basename+id, which is almost never.
 *  - For up to FLURM_GRAPH_MAX_TRACKED "tracked" types (node, socket, core,
 *    gpu, memory first, then others by frequency), every vertex knows how
 *    many vertices of that type its subtree holds (`total`, itself included)
 *    and how many of them are currently free (`free`).  These are the
 *    matcher's pruning filters: a subtree whose free core count is below
 *    what a request needs is never walked.  Invariant:
 *    free[v][t] == sum of free[c][t] over children c, + 1 if v itself is of
 *    type t and free; and 0 <= free <= total.
 *
 * Size: about 64 bytes per vertex plus 8 bytes per tracked type, well under
 * the 200 bytes/vertex budget (see flurm_graph_memory()).
 *
 * The struct is visible so the matcher's inner loops can read it without
 * calls; everything outside graph.c treats it as read-only and changes free
 * counts only through flurm_graph_take() / flurm_graph_release().
 */
#ifndef FLURM_SIM_GRAPH_H
#define FLURM_SIM_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

typedef uint32_t flurm_vid;
#define FLURM_VID_NONE UINT32_MAX
typedef uint32_t flurm_atom;
#define FLURM_ATOM_NONE UINT32_MAX

#define FLURM_GRAPH_MAX_TRACKED 8
/* 2^24 vertices is 40,000 nodes of 400 cores, over 1 GiB of graph: far
 * beyond any machine simulated, and low enough that a few bytes of input
 * (a JGF or R naming huge id ranges) cannot make the readers allocate
 * tens of gigabytes before they notice. */
#define FLURM_GRAPH_MAX_VERTICES (1u << 24)
/* Cores and gpus one node may hold in a generated graph (topo, R): a
 * typo such as core "0-250000000" is refused before anything is built. */
#define FLURM_GRAPH_MAX_PER_NODE 65536u
#define FLURM_NAME_MAX 256
#define FLURM_NAME_DEFAULT UINT32_MAX /* vertex name is basename + id */

enum flurm_status { FLURM_STATUS_UP = 0, FLURM_STATUS_DOWN = 1 };

struct flurm_vertex {
    flurm_vid parent;      /* FLURM_VID_NONE for the root */
    flurm_vid first_child; /* children: [first_child, first_child+nchildren) */
    uint32_t nchildren;
    uint32_t name;         /* offset into the name arena, or FLURM_NAME_DEFAULT */
    uint32_t props;        /* index into the property sets; 0 = no properties */
    flurm_atom basename;
    flurm_atom type;
    flurm_atom unit;       /* atom of "" when the JGF gives none */
    int32_t rank;          /* broker rank; -1 above nodes */
    uint8_t exclusive;     /* JGF "exclusive" flag */
    uint8_t status;        /* enum flurm_status */
    int64_t id;            /* per-type logical id (node-local for cores) */
    int64_t uniq_id;       /* graph-unique id (Fluxion's tie-breaker) */
    int64_t size;          /* pool size, 1 for ordinary vertices */
};

struct flurm_graph; /* opaque beyond the accessors below */

/* ---- building ---------------------------------------------------------- */

struct flurm_vertex_spec {
    const char *type;     /* required */
    const char *basename; /* NULL: same as type */
    const char *name;     /* NULL: basename followed by id */
    int64_t id;
    int64_t uniq_id;
    int32_t rank;         /* -1 when not set */
    int64_t size;         /* 0 is taken as 1 */
    const char *unit;     /* NULL: "" */
    bool exclusive;
    enum flurm_status status;
    size_t nprops;
    const char *const *prop_keys;
    const char *const *prop_values;
};

struct flurm_graph_builder;

/* vertex_hint only sizes the first allocation, and is clamped (to 2^20):
 * a reader may take it from input it has not validated yet, so an absurd
 * hint allocates nothing absurd; the builder grows as vertices come, up to
 * FLURM_GRAPH_MAX_VERTICES. */
struct flurm_graph_builder *flurm_graph_builder_new (size_t vertex_hint);
void flurm_graph_builder_destroy (struct flurm_graph_builder *b);

/* Returns the builder index of the new vertex (0, 1, 2, ... in call order),
 * or -1 with err set. */
int64_t flurm_graph_builder_add_vertex (struct flurm_graph_builder *b,
                                        const struct flurm_vertex_spec *spec,
                                        flurm_error_t *err);

/* A containment edge parent -> child (builder indices).  A second parent for
 * the same child is an error. */
int flurm_graph_builder_add_edge (struct flurm_graph_builder *b,
                                  int64_t parent, int64_t child,
                                  flurm_error_t *err);

/* Check and freeze: exactly one root, every vertex reachable from it (an
 * unreachable vertex means a cycle or a second root, and the message names
 * one such vertex), no duplicate uniq_id.  Consumes the builder in every
 * case.  Error texts name vertices by their path or name, never by index. */
struct flurm_graph *flurm_graph_builder_finish (struct flurm_graph_builder *b,
                                                flurm_error_t *err);

void flurm_graph_destroy (struct flurm_graph *g);

/* ---- reading ----------------------------------------------------------- */

size_t flurm_graph_size (const struct flurm_graph *g); /* vertices */
const struct flurm_vertex *flurm_graph_vertex (const struct flurm_graph *g,
                                               flurm_vid v);
/* The builder index a vertex had, to map reader-side ids to final ids. */
flurm_vid flurm_graph_from_builder_index (const struct flurm_graph *g,
                                          int64_t index);

/* Atoms: FLURM_ATOM_NONE when the string was never interned in this graph
 * (so a request for an unknown type is recognised in O(1)). */
flurm_atom flurm_graph_atom (const struct flurm_graph *g, const char *s);
const char *flurm_graph_atom_str (const struct flurm_graph *g, flurm_atom a);

/* The vertex's name ("core12", "aris3").  Use the return value: a default
 * name is formatted into buf, a stored one is returned from the graph's own
 * storage (valid while the graph lives) without copying. */
const char *flurm_graph_name (const struct flurm_graph *g, flurm_vid v,
                              char buf[FLURM_NAME_MAX]);
/* "/cluster0/aris3/socket1/core12"; returns the length or -1 if it does not
 * fit. */
int flurm_graph_path (const struct flurm_graph *g, flurm_vid v, char *buf,
                      size_t size);

size_t flurm_graph_nproperties (const struct flurm_graph *g, flurm_vid v);
void flurm_graph_property_at (const struct flurm_graph *g, flurm_vid v,
                              size_t i, const char **key, const char **value);
/* Value of property `key` on v, or NULL when v lacks it. */
const char *flurm_graph_property (const struct flurm_graph *g, flurm_vid v,
                                  const char *key);

/* ---- lookup ------------------------------------------------------------ */

flurm_vid flurm_graph_find_path (const struct flurm_graph *g, const char *path);
/* The node vertex with this broker rank / host name. */
flurm_vid flurm_graph_node_by_rank (const struct flurm_graph *g, int32_t rank);
flurm_vid flurm_graph_node_by_name (const struct flurm_graph *g,
                                    const char *host);
/* Number of vertices of a type in the whole graph (0 for unknown types). */
size_t flurm_graph_count_type (const struct flurm_graph *g, flurm_atom type);
/* Node vertices in rank order, and their number. */
size_t flurm_graph_nnodes (const struct flurm_graph *g);
flurm_vid flurm_graph_node_at (const struct flurm_graph *g, size_t i);

/* ---- pruning counts ---------------------------------------------------- */

size_t flurm_graph_ntracked (const struct flurm_graph *g);
flurm_atom flurm_graph_tracked_type (const struct flurm_graph *g, size_t t);
/* Index of a tracked type, or -1 when the type is not tracked. */
int flurm_graph_tracked_index (const struct flurm_graph *g, flurm_atom type);
uint32_t flurm_graph_total (const struct flurm_graph *g, flurm_vid v, int t);
uint32_t flurm_graph_free (const struct flurm_graph *g, flurm_vid v, int t);

/* Mark v itself allocated / free again: adjusts the free count of v's type
 * on v and every ancestor.  Taking a taken vertex (or releasing a free one)
 * is a caller bug and aborts in debug builds. */
void flurm_graph_take (struct flurm_graph *g, flurm_vid v);
void flurm_graph_release (struct flurm_graph *g, flurm_vid v);
bool flurm_graph_is_taken (const struct flurm_graph *g, flurm_vid v);

/* Bytes of memory the graph uses (arrays, arenas, tables). */
size_t flurm_graph_memory (const struct flurm_graph *g);

#endif
