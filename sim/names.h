/* sim/names.h — the rules for the names Flurm reads: hosts, vertices,
 * properties, and how a host name splits into basename + id.
 *
 * Each rule lives here once, so that a name one reader accepts is never
 * refused (or silently rewritten) by another: topo, R, JGF, hostlists and
 * constraints all ask these functions.  The "problem" functions return
 * NULL for a valid name, else a phrase that completes "NAME ..." in an
 * error ("contains '/', the path separator"); they never allocate.
 */
#ifndef FLURM_SIM_NAMES_H
#define FLURM_SIM_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 29: a host name in a hostlist is printable non-space ASCII other
 * than '[', ']' and ','. */
bool flurm_name_host_char (char c);

/* A literal host name that can be written in a nodelist: non-empty, at
 * most FLURM_HOSTNAME_MAX bytes, only flurm_name_host_char characters. */
const char *flurm_name_host_problem (const char *name);

/* A vertex name or basename (graph.h): non-empty, shorter than
 * FLURM_NAME_MAX, no '/' (names are used as path components). */
const char *flurm_name_vertex_problem (const char *name);

/* A property name (RFC 20 via RFC 31): non-empty, no space or control
 * character, none of ! & ' " ^ ` | ( ).  In a constraint a leading '^'
 * means "not": strip it before asking. */
const char *flurm_name_property_problem (const char *name);

/* Trailing-digit split of name[0 .. len), as flux-core's hostlist and
 * Fluxion's resource readers do it: true when the name ends in digits
 * worth at most FLURM_IDSET_MAX_ID, with *baselen the length before them
 * (0 for a name of digits only), *id their value and *ndigits their count
 * (the padding).  False, with nothing set, for a name without trailing
 * digits or with a number too large to be an id (it is then part of the
 * name). */
bool flurm_name_split_id (const char *name, size_t len, size_t *baselen, uint32_t *id,
                          int *ndigits);

/* Fluxion's node basename and id for a host name: the name without its
 * trailing digits and their value; the whole name and id -1 when it has no
 * usable trailing digits; the whole name and the value when it is all
 * digits (a basename must not be empty).  *basename is g_malloc'ed. */
void flurm_name_split_host (const char *host, char **basename, int64_t *id);

#endif
