/* sim/idset.h — sets of non-negative integers in RFC 22 form ("0-3,7").
 *
 * Used for broker ranks and node-local core/gpu ids.  A set is stored as a
 * sorted array of disjoint, non-adjacent closed ranges [lo, hi], so its size
 * follows the number of runs, not the largest id: "0-2147483646" costs one
 * range.  Invariant after every operation: ranges[i].hi + 1 < ranges[i+1].lo.
 *
 * Ids are limited to 0 .. FLURM_IDSET_MAX_ID; anything larger is an input
 * error (no real rank or core count comes near it).
 *
 * Decoding accepts what RFC 22 allows: decimal ids without leading zeros,
 * comma-separated ids or "a-b" ranges, optionally the whole string in
 * brackets, and "" (or "[]") for the empty set.  RFC 22 asks for ascending
 * ids; like flux-core's idset_decode we accept any order, repeats and
 * overlaps ("5,3", "1,1", "0-5,3-7"), because R written by other tools need
 * not be sorted.  Rejected: empty items ("1,,2", "1,"), reversed ranges
 * ("3-1"; flux-core would swap them), leading zeros ("01"), signs, spaces
 * and other characters, ids above FLURM_IDSET_MAX_ID, unbalanced brackets.
 * Encoding always produces the canonical form: ranges of two or more
 * consecutive ids as "a-b", no brackets ("0-3,7", "4,5" -> "4-5").
 */
#ifndef FLURM_SIM_IDSET_H
#define FLURM_SIM_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#define FLURM_IDSET_MAX_ID 2147483646u /* 2^31 - 2 */
#define FLURM_IDSET_NONE UINT32_MAX    /* "no id" from first/next */

struct flurm_idset;

struct flurm_idset *flurm_idset_create (void);
void flurm_idset_destroy (struct flurm_idset *set);
struct flurm_idset *flurm_idset_copy (const struct flurm_idset *set);

/* Parse `text`.  On error the message quotes the text and says what is
 * wrong at which character, counted from 1 ("idset "0-3,x": unexpected
 * character 'x' at position 5"); the caller adds the file and line. */
struct flurm_idset *flurm_idset_decode (const char *text, flurm_error_t *err);

/* Canonical text; caller frees with g_free(). */
char *flurm_idset_encode (const struct flurm_idset *set);

int flurm_idset_add (struct flurm_idset *set, uint32_t id, flurm_error_t *err);
int flurm_idset_add_range (struct flurm_idset *set, uint32_t lo, uint32_t hi,
                           flurm_error_t *err);
void flurm_idset_remove (struct flurm_idset *set, uint32_t id);
bool flurm_idset_test (const struct flurm_idset *set, uint32_t id);

/* Number of ids (not ranges). */
uint64_t flurm_idset_count (const struct flurm_idset *set);
bool flurm_idset_empty (const struct flurm_idset *set);
bool flurm_idset_equal (const struct flurm_idset *a,
                        const struct flurm_idset *b);

/* Iteration in ascending order; FLURM_IDSET_NONE at the end.
 *   for (uint32_t id = flurm_idset_first (s); id != FLURM_IDSET_NONE;
 *        id = flurm_idset_next (s, id)) ...  */
uint32_t flurm_idset_first (const struct flurm_idset *set);
uint32_t flurm_idset_next (const struct flurm_idset *set, uint32_t prev);
uint32_t flurm_idset_last (const struct flurm_idset *set);

/* Union into `dst`. */
int flurm_idset_add_set (struct flurm_idset *dst,
                         const struct flurm_idset *src, flurm_error_t *err);

#endif
