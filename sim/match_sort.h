/* sim/match_sort.h — the sort Fluxion's scoring runs on, reproduced exactly.
 *
 * Fluxion ranks candidate resources with std::sort, which is not stable:
 * when two candidates score the same (core 0 of every node under `low`,
 * every core under `variation`), which one wins depends on the exact
 * sequence of comparisons and swaps that GNU libstdc++'s introsort makes.
 * To give the same allocations as Fluxion, Flurm sorts with the same
 * algorithm: introsort (median-of-three pivot moved to the front,
 * unguarded Hoare partition, recursion on the right part, a depth limit of
 * 2*floor(log2 n) after which the part is heap-sorted) down to parts of at
 * most 16 elements, then one insertion sort over the whole array.
 *
 * Only the keys are compared (ascending for "less", descending for
 * "greater"); the payload travels with its key.
 */
#ifndef FLURM_SIM_MATCH_SORT_H
#define FLURM_SIM_MATCH_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flurm_sort_item {
    int64_t key;
    uint32_t idx; /* payload: whatever the caller sorts */
    uint32_t aux; /* payload */
};

/* The whole array, exactly as std::sort (first, last, comp) leaves it,
 * with comp (a, b) = a.key < b.key (greater false) or a.key > b.key. */
void flurm_stdsort (struct flurm_sort_item *a, size_t n, bool greater);

/* Only positions [0, k) are guaranteed to hold what std::sort would put
 * there (in that order); the rest is left in some order.  Parts of the
 * array that std::sort would only rearrange beyond position k are not
 * sorted, so choosing the best k of n costs O(n) on average instead of
 * O(n log n). */
void flurm_stdsort_prefix (struct flurm_sort_item *a, size_t n, size_t k,
                           bool greater);

/* Sort vertex ids ascending (no order among equals to preserve): the
 * matcher sorts small lists of ids often, and libc's qsort allocates. */
void flurm_sort_u32 (uint32_t *v, size_t n);

#endif
