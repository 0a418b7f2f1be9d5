/* sim/hostlist.h — ordered lists of host names in RFC 29 form.
 *
 * "cn[01-03,8],login1" is the list cn01 cn02 cn03 cn08 login1.  Order is
 * kept and duplicates are allowed (R's nodelist maps hosts to ranks by
 * position).  The list is stored as runs {prefix, suffix, width, lo, hi}, so
 * "n[0-999999]" costs one run; hosts are produced on demand by nth/iteration.
 *
 * Decoding follows RFC 29: comma-separated expressions prefix[idlist]suffix
 * (each part optional), id lists of ids and a-b ranges in any order, ""
 * for the empty list.  Padding is per bracket item, as flux-core does it:
 * the digits written for an item's first id set its width ("[00-2]" -> 00
 * 01 02, "[01-02,3]" -> 01 02 3; RFC 29 would pad 3 to 03, but flux-core's
 * own encoder writes "cn01,cn1" as "cn[01,1]", which only reads back right
 * per item).  Errors: unbalanced, nested or repeated brackets, empty items
 * (",a", "a,,b", "a,", "[]", "[1,,2]"), reversed ranges, non-digits in the
 * brackets, spaces or other characters outside printable ASCII, ids above
 * FLURM_IDSET_MAX_ID, names longer than FLURM_HOSTNAME_MAX, lists longer
 * than FLURM_HOSTLIST_MAX_HOSTS (refused before anything is expanded).
 * Error messages quote the text and give the position, counted from 1.
 *
 * Encoding produces the canonical compressed form flux-core prints for R
 * nodelists (which it builds from plain host names): each host is split
 * into prefix + trailing digits, consecutive hosts with the same prefix are
 * merged into one bracket expression in list order, never sorted
 * ("node[0-3,8]", "node[1,3,2]"), a lone numbered host is written plainly
 * ("node7"), padding is kept ("cn[01-02]").  So the text depends only on
 * the hosts; hosts with a suffix come out one by one as flux-core writes
 * them ("foo[0-1]-eth2" -> "foo0-eth2,foo1-eth2").  See hostlist.c.
 */
#ifndef FLURM_SIM_HOSTLIST_H
#define FLURM_SIM_HOSTLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

/* No cluster has this many hosts; larger lists are refused before anything
 * is expanded. */
#define FLURM_HOSTLIST_MAX_HOSTS (1u << 24)
#define FLURM_HOSTNAME_MAX 255

struct flurm_hostlist;

struct flurm_hostlist *flurm_hostlist_create (void);
void flurm_hostlist_destroy (struct flurm_hostlist *hl);

struct flurm_hostlist *flurm_hostlist_decode (const char *text,
                                              flurm_error_t *err);
/* Canonical text; caller frees with g_free(). */
char *flurm_hostlist_encode (const struct flurm_hostlist *hl);

/* Append one host name (or a whole hostlist expression) at the end. */
int flurm_hostlist_append (struct flurm_hostlist *hl, const char *text,
                           flurm_error_t *err);
/* Append one literal host name, never read as an expression: "n[1-2]" is
 * refused, not expanded.  The name must be one a nodelist can hold
 * (names.h: flurm_name_host_problem); the error says why not. */
int flurm_hostlist_append_host (struct flurm_hostlist *hl, const char *name,
                                flurm_error_t *err);
int flurm_hostlist_append_list (struct flurm_hostlist *dst,
                                const struct flurm_hostlist *src,
                                flurm_error_t *err);

size_t flurm_hostlist_count (const struct flurm_hostlist *hl);

/* Write the n-th host (0-based) into buf; returns its length, or -1 when n
 * is out of range.  Like snprintf, a too small buf gets a cut name and the
 * full length is returned.  O(runs), nothing is expanded. */
int flurm_hostlist_nth (const struct flurm_hostlist *hl, size_t n, char *buf,
                        size_t bufsize);

/* Call visit (host, index, arg) for every host in list order, in O(1)
 * per host (walking with flurm_hostlist_nth is O(runs) per host).  A
 * non-zero return from visit stops the walk and is returned; else 0.  The
 * host string is only valid during the call. */
typedef int (*flurm_hostlist_visit_f) (const char *host, size_t index, void *arg);
int flurm_hostlist_foreach (const struct flurm_hostlist *hl, flurm_hostlist_visit_f visit,
                            void *arg);

/* Position of the first occurrence of `host`, or -1. */
long flurm_hostlist_find (const struct flurm_hostlist *hl, const char *host);

#endif
