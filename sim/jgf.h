/* sim/jgf.h — JSON Graph Format, as Fluxion reads and writes it.
 *
 *   {"graph": {"nodes": [{"id": "0", "metadata": {...}}, ...],
 *              "edges": [{"source": "0", "target": "1", ...}, ...]}}
 *
 * Reading follows Fluxion's JGF reader (>= v0.39): metadata.type and
 * metadata.paths.containment are required; uniq_id defaults to the numeric
 * outer id, id to uniq_id (for nodes: the numeric suffix of the name),
 * basename to type, name to basename+id, rank to -1, size to 1; properties
 * is an object of strings; status 0 up / 1 down.  Only containment edges are
 * read (an edge whose metadata names only another subsystem is skipped).
 * Each vertex's containment path must agree with its place in the tree.
 *
 * Errors name the file and the JSON location, e.g.
 *   "g.json: graph.edges[12].target: "99" is not the id of any vertex"
 * (syntax errors: "g.json:LINE:COL: ...").
 *
 * Writing emits every metadata field (type, basename, name, id, uniq_id,
 * rank, exclusive, unit, size, paths, and properties when present) so that
 * both old (<= v0.38) and current Fluxion readers accept it, vertices in
 * depth-first order with outer id = uniq_id, and edges with both the old
 * and the new edge metadata.  One vertex or edge per line.
 */
#ifndef FLURM_SIM_JGF_H
#define FLURM_SIM_JGF_H

#include <stdio.h>

#include <jansson.h>

#include "sim/error.h"
#include "sim/graph.h"

/* Files larger than this are refused before reading (a 50,000-node cluster
 * of 64-core nodes is about 1.3 GB of JGF). */
#define FLURM_JGF_MAX_BYTES (4ull << 30)

struct flurm_graph *flurm_jgf_load_file (const char *path, flurm_error_t *err);
struct flurm_graph *flurm_jgf_load_buffer (const char *data, size_t len,
                                           const char *source,
                                           flurm_error_t *err);
/* An already-parsed JGF object, e.g. the "scheduling" key of an R. */
struct flurm_graph *flurm_jgf_load_json (const json_t *jgf, const char *source,
                                         flurm_error_t *err);

int flurm_jgf_write (const struct flurm_graph *g, FILE *out,
                     flurm_error_t *err);
/* The same content as a jansson object (for embedding in R). */
json_t *flurm_jgf_to_json (const struct flurm_graph *g);

#endif
