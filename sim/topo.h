/* sim/topo.h — generate a regular cluster graph (flurm-sim topo).
 *
 * The equivalent of the ARIS jgf_gen.py: hosts (a hostlist, or a count and
 * a prefix) each with `sockets` sockets of `cores_per_socket` cores (and
 * optionally `gpus_per_socket` gpus), plus per-host properties.  The
 * result has exactly the conventions of the graphs the ARIS generator and
 * Fluxion use (see tests/data/fluxion-conformance/graphs/aris4.json):
 *  - vertices numbered depth-first: uniq_id 0 is the cluster, then each
 *    node followed by its first socket, that socket's cores (and gpus),
 *    the next socket, ...;
 *  - node: basename = host without trailing digits, id = numeric suffix
 *    (-1 when the host has none, as Fluxion's readers and flurm_rv1_to_graph
 *    do: names.h flurm_name_split_host), rank = position in the host list;
 *  - sockets, cores and gpus have node-local ids: core ids run 0 .. S*C-1
 *    across the node (socket0 has 0..C-1), every vertex below a node has
 *    the node's rank; above nodes rank is -1;
 *  - a socket's children are its cores, then its gpus (gpu ids node-local
 *    too: socket0 holds gpu0 .. gpu(G-1)), as in gpu2.json;
 *  - the cluster vertex: name `cluster_name`, basename = that name without
 *    trailing digits, id = the digits (0 when none);
 *  - properties go on node vertices only, each with the value "" (as in
 *    props4.json); a host named in several props entries gets the union, in
 *    the order first given.
 * Errors: a zero count, an empty or invalid host list, a host listed twice,
 * a host name that is not both a vertex name and a nodelist host (names.h;
 * the --prefix too), a props host not in the host list, an invalid
 * property name, or a size beyond the limits below (or beyond
 * FLURM_GRAPH_MAX_VERTICES in all).  The generated graphs are checked vertex
 * by vertex against aris4.json, props4.json and gpu2.json in
 * tests/unit/test_topo.c.
 */
#ifndef FLURM_SIM_TOPO_H
#define FLURM_SIM_TOPO_H

#include <stdint.h>

#include "sim/error.h"
#include "sim/graph.h"
#include "sim/hostlist.h"

struct flurm_topo_props {
    const char *hosts;      /* hostlist expression the properties apply to */
    const char *const *names; /* property names; value "" as in ARIS JGFs */
    size_t nnames;
};

struct flurm_topo_spec {
    const char *hosts;      /* hostlist; NULL to use nnodes + prefix */
    uint32_t nnodes;
    const char *prefix;     /* default "node" */
    uint32_t sockets;       /* per node, >= 1 */
    uint32_t cores_per_socket; /* >= 1 */
    uint32_t gpus_per_socket;  /* 0 = none */
    const char *cluster_name;  /* default "cluster0" */
    const struct flurm_topo_props *props;
    size_t nprops;
};

/* Limits that keep a typo from allocating gigabytes. */
#define FLURM_TOPO_MAX_NODES 1000000u
#define FLURM_TOPO_MAX_PER_NODE FLURM_GRAPH_MAX_PER_NODE /* sockets * (cores + gpus) */

struct flurm_graph *flurm_topo_generate (const struct flurm_topo_spec *spec,
                                         flurm_error_t *err);

#endif
