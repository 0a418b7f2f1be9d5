/* sim/idset.c — see idset.h.
 *
 * The set is a sorted array of closed ranges.  Every operation keeps the
 * invariant ranges[i].hi + 1 < ranges[i+1].lo (disjoint, not touching), so
 * the representation of a given set is unique and equal sets have equal
 * arrays.  Lookups are binary searches over the ranges.
 */
#include "sim/idset.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/numparse.h"

struct idrange {
    uint32_t lo, hi;
};

struct flurm_idset {
    struct idrange *r;
    size_t n;   /* ranges in use */
    size_t cap; /* ranges allocated */
};

struct flurm_idset *flurm_idset_create (void)
{
    return g_new0 (struct flurm_idset, 1);
}

void flurm_idset_destroy (struct flurm_idset *set)
{
    if (set) {
        g_free (set->r);
        g_free (set);
    }
}

struct flurm_idset *flurm_idset_copy (const struct flurm_idset *set)
{
    if (!set)
        return NULL;
    struct flurm_idset *c = flurm_idset_create ();
    if (set->n > 0) {
        c->r = g_new (struct idrange, set->n);
        memcpy (c->r, set->r, set->n * sizeof (*c->r));
        c->n = c->cap = set->n;
    }
    return c;
}

static void reserve (struct flurm_idset *set, size_t want)
{
    if (want <= set->cap)
        return;
    size_t cap = set->cap ? set->cap : 4;
    while (cap < want)
        cap *= 2;
    set->r = g_renew (struct idrange, set->r, cap);
    set->cap = cap;
}

/* Index of the first range whose hi >= id (set->n if none). */
static size_t lower_bound (const struct flurm_idset *set, uint32_t id)
{
    size_t a = 0, b = set->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (set->r[m].hi < id)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

/* Insert [lo, hi] (lo <= hi <= FLURM_IDSET_MAX_ID), merging with every range
 * it overlaps or touches. */
static void insert_range (struct flurm_idset *set, uint32_t lo, uint32_t hi)
{
    /* First range that overlaps or touches on the left: hi + 1 >= lo.
     * lo - 1 cannot wrap when lo == 0 because then every range qualifies. */
    size_t i = lo == 0 ? 0 : lower_bound (set, lo - 1);
    /* One past the last range with r.lo <= hi + 1 (hi + 1 cannot overflow,
     * hi <= FLURM_IDSET_MAX_ID < UINT32_MAX). */
    size_t a = i, b = set->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (set->r[m].lo <= hi + 1)
            a = m + 1;
        else
            b = m;
    }
    size_t j = a;
    if (i == j) { /* nothing to merge with: plain insertion at i */
        reserve (set, set->n + 1);
        memmove (&set->r[i + 1], &set->r[i], (set->n - i) * sizeof (*set->r));
        set->r[i].lo = lo;
        set->r[i].hi = hi;
        set->n++;
        return;
    }
    /* ranges i .. j-1 merge into one */
    uint32_t nlo = set->r[i].lo < lo ? set->r[i].lo : lo;
    uint32_t nhi = set->r[j - 1].hi > hi ? set->r[j - 1].hi : hi;
    set->r[i].lo = nlo;
    set->r[i].hi = nhi;
    memmove (&set->r[i + 1], &set->r[j], (set->n - j) * sizeof (*set->r));
    set->n -= (j - i - 1);
}

int flurm_idset_add_range (struct flurm_idset *set, uint32_t lo, uint32_t hi, flurm_error_t *err)
{
    if (!set)
        return flurm_error_set (err, "idset: no set");
    if (lo > hi)
        return flurm_error_set (err, "idset: range %" PRIu32 "-%" PRIu32 " is reversed", lo, hi);
    if (hi > FLURM_IDSET_MAX_ID)
        return flurm_error_set (err, "idset: id %" PRIu32 " is larger than %u", hi,
                                FLURM_IDSET_MAX_ID);
    insert_range (set, lo, hi);
    return 0;
}

int flurm_idset_add (struct flurm_idset *set, uint32_t id, flurm_error_t *err)
{
    return flurm_idset_add_range (set, id, id, err);
}

void flurm_idset_remove (struct flurm_idset *set, uint32_t id)
{
    if (!set)
        return;
    size_t i = lower_bound (set, id);
    if (i == set->n || set->r[i].lo > id)
        return; /* not a member */
    struct idrange *r = &set->r[i];
    if (r->lo == id && r->hi == id) {
        memmove (r, r + 1, (set->n - i - 1) * sizeof (*r));
        set->n--;
    } else if (r->lo == id)
        r->lo++;
    else if (r->hi == id)
        r->hi--;
    else { /* split */
        reserve (set, set->n + 1);
        r = &set->r[i];
        memmove (r + 2, r + 1, (set->n - i - 1) * sizeof (*r));
        r[1].lo = id + 1;
        r[1].hi = r->hi;
        r->hi = id - 1;
        set->n++;
    }
}

bool flurm_idset_test (const struct flurm_idset *set, uint32_t id)
{
    if (!set)
        return false;
    size_t i = lower_bound (set, id);
    return i < set->n && set->r[i].lo <= id;
}

uint64_t flurm_idset_count (const struct flurm_idset *set)
{
    uint64_t n = 0;
    if (set) {
        for (size_t i = 0; i < set->n; i++)
            n += (uint64_t)set->r[i].hi - set->r[i].lo + 1;
    }
    return n;
}

bool flurm_idset_empty (const struct flurm_idset *set)
{
    return !set || set->n == 0;
}

bool flurm_idset_equal (const struct flurm_idset *a, const struct flurm_idset *b)
{
    size_t na = a ? a->n : 0;
    size_t nb = b ? b->n : 0;
    if (na != nb)
        return false;
    return na == 0 || memcmp (a->r, b->r, na * sizeof (*a->r)) == 0;
}

uint32_t flurm_idset_first (const struct flurm_idset *set)
{
    return set && set->n > 0 ? set->r[0].lo : FLURM_IDSET_NONE;
}

uint32_t flurm_idset_next (const struct flurm_idset *set, uint32_t prev)
{
    if (!set || prev >= FLURM_IDSET_MAX_ID)
        return FLURM_IDSET_NONE;
    uint32_t id = prev + 1;
    size_t i = lower_bound (set, id);
    if (i == set->n)
        return FLURM_IDSET_NONE;
    return set->r[i].lo > id ? set->r[i].lo : id;
}

uint32_t flurm_idset_last (const struct flurm_idset *set)
{
    return set && set->n > 0 ? set->r[set->n - 1].hi : FLURM_IDSET_NONE;
}

int flurm_idset_add_set (struct flurm_idset *dst, const struct flurm_idset *src, flurm_error_t *err)
{
    if (!dst)
        return flurm_error_set (err, "idset: no set");
    if (!src || src->n == 0)
        return 0;
    if (dst == src)
        return 0;
    /* Linear merge of the two sorted range arrays. */
    size_t total = dst->n + src->n;
    struct idrange *out = g_new (struct idrange, total);
    size_t n = 0, i = 0, j = 0;
    while (i < dst->n || j < src->n) {
        struct idrange next;
        if (j == src->n || (i < dst->n && dst->r[i].lo <= src->r[j].lo))
            next = dst->r[i++];
        else
            next = src->r[j++];
        if (n > 0 && next.lo <= out[n - 1].hi + 1) {
            if (next.hi > out[n - 1].hi)
                out[n - 1].hi = next.hi;
        } else
            out[n++] = next;
    }
    g_free (dst->r);
    dst->r = out;
    dst->n = n;
    dst->cap = total;
    return 0;
}

/* ---- text ------------------------------------------------------------- */

char *flurm_idset_encode (const struct flurm_idset *set)
{
    GString *s = g_string_new (NULL);
    if (set) {
        for (size_t i = 0; i < set->n; i++) {
            if (i > 0)
                g_string_append_c (s, ',');
            if (set->r[i].lo == set->r[i].hi)
                g_string_append_printf (s, "%" PRIu32, set->r[i].lo);
            else
                g_string_append_printf (s, "%" PRIu32 "-%" PRIu32, set->r[i].lo, set->r[i].hi);
        }
    }
    return g_string_free (s, FALSE);
}

static int cmp_lo (const void *a, const void *b)
{
    const struct idrange *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort the ranges and merge those that overlap or touch. */
static void normalize (struct flurm_idset *set)
{
    if (set->n < 2)
        return;
    qsort (set->r, set->n, sizeof (*set->r), cmp_lo);
    size_t n = 1;
    for (size_t i = 1; i < set->n; i++) {
        if (set->r[i].lo <= set->r[n - 1].hi + 1) {
            if (set->r[i].hi > set->r[n - 1].hi)
                set->r[n - 1].hi = set->r[i].hi;
        } else
            set->r[n++] = set->r[i];
    }
    set->n = n;
}

struct flurm_idset *flurm_idset_decode (const char *text, flurm_error_t *err)
{
    if (!text) {
        flurm_error_set (err, "idset: no text");
        return NULL;
    }
    struct flurm_idset *set = flurm_idset_create ();
    size_t len = strlen (text);
    size_t p = 0, end = len;
    char cb[8];

    if (len > 0 && text[0] == '[') {
        if (text[len - 1] != ']') {
            flurm_parse_error (err, "idset", text, 0, "'[' has no matching ']'");
            goto fail;
        }
        p = 1;
        end = len - 1;
    }
    if (p == end) /* "" or "[]" */
        return set;

    /* Items are collected as they come.  Ascending, non-touching input (the
     * usual case) is already in normal form; anything else is sorted and
     * merged once at the end, so "n,...,2,1,0" costs O(k log k), not the
     * O(k^2) of inserting each item into the sorted array. */
    bool sorted = true;
    for (;;) {
        size_t item = p;
        uint32_t lo = 0, hi = 0;
        if (p == end || text[p] == ',') {
            flurm_parse_error (err, "idset", text, item, "empty item");
            goto fail;
        }
        if (!g_ascii_isdigit (text[p])) {
            flurm_parse_error (err, "idset", text, p, "unexpected character %s",
                               flurm_parse_show_char (text[p], cb));
            goto fail;
        }
        if (flurm_parse_id ("idset", text, &p, false, &lo, NULL, err) < 0)
            goto fail;
        hi = lo;
        if (p < end && text[p] == '-') {
            p++;
            if (p == end || !g_ascii_isdigit (text[p])) {
                if (p == end || text[p] == ',')
                    flurm_parse_error (err, "idset", text, p, "missing id after '-'");
                else
                    flurm_parse_error (err, "idset", text, p, "unexpected character %s",
                                       flurm_parse_show_char (text[p], cb));
                goto fail;
            }
            if (flurm_parse_id ("idset", text, &p, false, &hi, NULL, err) < 0)
                goto fail;
            if (hi < lo) {
                flurm_parse_error (err, "idset", text, item,
                                   "range %" PRIu32 "-%" PRIu32 " is reversed", lo, hi);
                goto fail;
            }
        }
        if (set->n > 0 && lo <= set->r[set->n - 1].hi + 1)
            sorted = false;
        reserve (set, set->n + 1);
        set->r[set->n].lo = lo;
        set->r[set->n].hi = hi;
        set->n++;
        if (p == end)
            break;
        if (text[p] != ',') {
            flurm_parse_error (err, "idset", text, p, "unexpected character %s",
                               flurm_parse_show_char (text[p], cb));
            goto fail;
        }
        p++;
    }
    if (!sorted)
        normalize (set);
    return set;
fail:
    flurm_idset_destroy (set);
    return NULL;
}
