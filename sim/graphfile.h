/* sim/graphfile.h — load a resource graph from any supported file.
 *
 * The format is told from the content, not the file name: a JSON object
 * with a "graph" key is JGF; one with "version" or "execution" is an R
 * (whose "scheduling" JGF, when present, is used).  Anything else is an
 * error naming both accepted formats.
 */
#ifndef FLURM_SIM_GRAPHFILE_H
#define FLURM_SIM_GRAPHFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"

enum flurm_graph_format {
    FLURM_GRAPH_FORMAT_JGF,
    FLURM_GRAPH_FORMAT_RV1,
};

/* cores_per_socket: used to infer sockets when an R has no socket level
 * (0 = do not infer).  `format`, when not NULL, receives what was read. */
struct flurm_graph *flurm_graph_load_file (const char *path,
                                           uint32_t cores_per_socket,
                                           enum flurm_graph_format *format,
                                           flurm_error_t *err);

/* Write g to path (atomically; "-" = stdout) as JGF or as R (R with the JGF
 * embedded under "scheduling" when embed_jgf is true). */
int flurm_graph_write_file (const struct flurm_graph *g, const char *path,
                            enum flurm_graph_format format, bool embed_jgf,
                            flurm_error_t *err);

#endif
