/* sim/colocation.h — which running jobs share which sockets.
 *
 * Interference happens where jobs meet: on a socket, whose memory
 * bandwidth they split.  This index maps each socket to the jobs holding
 * cores on it (and how many), and each job to its sockets, so that when a
 * job starts or ends the engine finds in a few steps whose rate may change.
 *
 * A "socket" is the nearest socket vertex above a core; a core with no
 * socket above it counts its node (or its parent) as its socket.  Jobs are
 * the caller's indices.  Entries are kept in insertion order, which is
 * deterministic because the engine's event order is.
 */
#ifndef FLURM_SIM_COLOCATION_H
#define FLURM_SIM_COLOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "sim/graph.h"

struct flurm_colocation;

struct flurm_coloc_entry {
    size_t job;        /* on a socket: the job; for a job: unused */
    uint32_t socket;   /* for a job: the socket; on a socket: unused */
    uint32_t procs;    /* cores the job holds on that socket */
};

/* NULL if the graph has no cores. */
struct flurm_colocation *flurm_colocation_create (const struct flurm_graph *g);
void flurm_colocation_destroy (struct flurm_colocation *c);

/* Record job `job` holding vertices `held` (cores count; other vertex
 * types are ignored).  A job is added once, until removed. */
void flurm_colocation_add (struct flurm_colocation *c, size_t job, const flurm_vid *held,
                           size_t nheld);
void flurm_colocation_remove (struct flurm_colocation *c, size_t job);

/* The sockets of `job` (entry.socket, entry.procs), NULL/0 if unknown. */
const struct flurm_coloc_entry *flurm_colocation_sockets_of (const struct flurm_colocation *c,
                                                             size_t job, size_t *n);
/* The jobs on `socket` (entry.job, entry.procs), the job itself included. */
const struct flurm_coloc_entry *flurm_colocation_jobs_on (const struct flurm_colocation *c,
                                                          uint32_t socket, size_t *n);
uint32_t flurm_colocation_nsockets (const struct flurm_colocation *c);
uint32_t flurm_colocation_socket_cores (const struct flurm_colocation *c, uint32_t socket);
/* The core vertices of `socket`, in vertex order. */
const flurm_vid *flurm_colocation_socket_core_list (const struct flurm_colocation *c,
                                                    uint32_t socket, size_t *n);
/* The socket's vertex (for names in messages). */
flurm_vid flurm_colocation_socket_vertex (const struct flurm_colocation *c, uint32_t socket);

#endif
