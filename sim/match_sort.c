/* sim/match_sort.c — see match_sort.h.
 *
 * The functions mirror the structure of GNU libstdc++'s std::sort, which
 * is what makes tie order reproducible: every comparison and every move is
 * made in the same order as there.  Invariants used by the prefix variant:
 * after a partition of [first, last) at `cut`, no element of [cut, last)
 * compares below an element of [first, cut), and the final insertion sort
 * (strict comparisons) never moves an element across such a boundary; so a
 * part lying entirely at or beyond position k never influences [0, k).
 */
#include "sim/match_sort.h"

#define THRESHOLD 16

typedef struct flurm_sort_item item;

static inline bool before (const item *a, const item *b, bool greater)
{
    return greater ? a->key > b->key : a->key < b->key;
}

static inline void swap_items (item *a, item *b)
{
    item t = *a;
    *a = *b;
    *b = t;
}

/* ---- heap sort (the depth-limit fallback) ------------------------------ */

static void push_heap (item *first, size_t hole, size_t top, item value,
                       bool greater)
{
    size_t parent = (hole - 1) / 2;
    while (hole > top && before (&first[parent], &value, greater)) {
        first[hole] = first[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    first[hole] = value;
}

static void adjust_heap (item *first, size_t hole, size_t len, item value,
                         bool greater)
{
    const size_t top = hole;
    size_t child = hole;
    while (len > 0 && child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (before (&first[child], &first[child - 1], greater))
            child--;
        first[hole] = first[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        first[hole] = first[child - 1];
        hole = child - 1;
    }
    push_heap (first, hole, top, value, greater);
}

static void heap_sort (item *first, size_t len, bool greater)
{
    if (len < 2)
        return;
    for (size_t parent = (len - 2) / 2;; parent--) {
        adjust_heap (first, parent, len, first[parent], greater);
        if (parent == 0)
            break;
    }
    while (len > 1) {
        len--;
        item value = first[len];
        first[len] = first[0];
        adjust_heap (first, 0, len, value, greater);
    }
}

/* ---- introsort --------------------------------------------------------- */

static void move_median_to_first (item *result, item *a, item *b, item *c,
                                  bool greater)
{
    if (before (a, b, greater)) {
        if (before (b, c, greater))
            swap_items (result, b);
        else if (before (a, c, greater))
            swap_items (result, c);
        else
            swap_items (result, a);
    }
    else if (before (a, c, greater))
        swap_items (result, a);
    else if (before (b, c, greater))
        swap_items (result, c);
    else
        swap_items (result, b);
}

static item *partition_pivot (item *first, item *last, bool greater)
{
    item *mid = first + (last - first) / 2;
    move_median_to_first (first, first + 1, mid, last - 1, greater);
    item *lo = first + 1;
    item *hi = last;
    for (;;) {
        while (before (lo, first, greater))
            lo++;
        hi--;
        while (before (first, hi, greater))
            hi--;
        if (!(lo < hi))
            return lo;
        swap_items (lo, hi);
        lo++;
    }
}

/* Sort [first, last) down to blocks of at most THRESHOLD elements.  With
 * `limit` set, a right part starting at or beyond it is left alone and
 * *skipped becomes the lowest such start. */
static void introsort_loop (item *first, item *last, unsigned depth,
                            const item *limit, item **skipped, bool greater)
{
    while (last - first > THRESHOLD) {
        if (depth == 0) {
            heap_sort (first, (size_t)(last - first), greater);
            return;
        }
        depth--;
        item *cut = partition_pivot (first, last, greater);
        if (!limit || cut < limit)
            introsort_loop (cut, last, depth, limit, skipped, greater);
        else if (cut < *skipped)
            *skipped = cut;
        last = cut;
    }
}

/* Stable insertion sort: what libstdc++'s final insertion sort amounts to
 * once the blocks are in order (guarded and unguarded inserts stop at the
 * same element). */
static void insertion_sort (item *first, item *last, bool greater)
{
    if (first == last)
        return;
    for (item *i = first + 1; i < last; i++) {
        item value = *i;
        item *hole = i;
        while (hole > first && before (&value, hole - 1, greater)) {
            *hole = *(hole - 1);
            hole--;
        }
        *hole = value;
    }
}

static unsigned floor_log2 (size_t n)
{
    unsigned k = 0;
    while (n > 1) {
        n >>= 1;
        k++;
    }
    return k;
}

void flurm_stdsort (struct flurm_sort_item *a, size_t n, bool greater)
{
    if (n < 2)
        return;
    item *end = a + n;
    introsort_loop (a, end, 2 * floor_log2 (n), NULL, &end, greater);
    insertion_sort (a, end, greater);
}

void flurm_stdsort_prefix (struct flurm_sort_item *a, size_t n, size_t k,
                           bool greater)
{
    if (n < 2 || k == 0)
        return;
    /* Everything before the first skipped part was partitioned down to
     * blocks exactly as std::sort does; the final insertion sort over that
     * region puts [0, k) in its final order, and the skipped parts only
     * hold elements that stay behind it. */
    item *end = a + n;
    introsort_loop (a, a + n, 2 * floor_log2 (n), a + k, &end, greater);
    insertion_sort (a, end, greater);
}

/* ---- plain ids ----------------------------------------------------------- */

static void swap_u32 (uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

/* Runs the traversals hand over are often already in order, or in reverse
 * order (`first` visits the highest ids first): one linear pass settles
 * those before any partitioning. */
static bool settle_monotone (uint32_t *v, size_t n)
{
    size_t up = 1, down = 1;
    for (size_t i = 1; i < n && (up == i || down == i); i++) {
        up += v[i - 1] <= v[i];
        down += v[i - 1] > v[i];
    }
    if (up >= n)
        return true;
    if (down < n)
        return false;
    for (size_t i = 0, j = n - 1; i < j; i++, j--)
        swap_u32 (&v[i], &v[j]);
    return true;
}

void flurm_sort_u32 (uint32_t *v, size_t n)
{
    if (n > THRESHOLD && settle_monotone (v, n))
        return;
    while (n > THRESHOLD) {
        /* median of three to the front, Hoare partition around it */
        size_t mid = n / 2;
        if (v[mid] < v[0])
            swap_u32 (&v[mid], &v[0]);
        if (v[n - 1] < v[0])
            swap_u32 (&v[n - 1], &v[0]);
        if (v[n - 1] < v[mid])
            swap_u32 (&v[n - 1], &v[mid]);
        uint32_t pivot = v[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_u32 (&v[i], &v[j]);
            i++;
            j--;
        }
        /* recurse on the smaller part, loop on the larger */
        size_t left = j + 1;
        if (left < n - left) {
            flurm_sort_u32 (v, left);
            v += left;
            n -= left;
        }
        else {
            flurm_sort_u32 (v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}
