/* sim/hostlist.c — see hostlist.h.
 *
 * Storage.  A list is an array of runs in list order.  A numbered run is
 * the hosts prefix + printf("%0*u", width, i) + suffix for i = lo .. hi; an
 * unnumbered run is one host whose whole name is in `prefix`.  Appending a
 * run that continues the last one (same prefix and suffix, last.hi + 1 ==
 * lo, compatible padding) extends it, so "n1,n2,n3" is one run.
 *
 * Widths.  As in flux-core, the width of a bracket item is the number of
 * digits written for its first id ("[08-10]" -> width 2: 08 09 10; "[8-10]"
 * -> width 1: 8 9 10) and the width of a plain name is the length of its
 * trailing digits ("cn01" -> 2).  Two runs may be joined when every host
 * keeps its exact spelling under the first run's width: equal widths, or
 * both widths <= the number of digits of the second run's first id.
 *
 * Canonical text.  flux-core builds R nodelists by appending plain host
 * names (rlist_nodelist), so the text flux prints is a function of the
 * names alone: every name is split into prefix + trailing decimal digits
 * (prefix "foo0-eth" and 2 for "foo0-eth2"); names without trailing digits
 * stand alone.  The encoder re-derives that split for every host of every
 * run, merges consecutive hosts exactly like flux-core's
 * hostlist_append_range (same prefix, previous hi + 1 == next lo, compatible
 * width) and then prints like flux-core's hostlist_ranged_string: one
 * bracket per maximal group of consecutive numbered runs with the same
 * prefix, no bracket for a lone host.  Consequences, all matching
 * flux-core's output for plain names:
 *   "foo[0-4]-eth2" -> "foo0-eth2,foo1-eth2,foo2-eth2,foo3-eth2,foo4-eth2"
 *   "[00-03]p"      -> "00p,01p,02p,03p"
 *   "f00[7-8]"      -> "f[007-008]"      (the digits of "f007" are "007")
 *   "node1,node3,node2" -> "node[1,3,2]" (list order, never sorted)
 *   "cn01,cn1"      -> "cn[01,1]"        (same prefix, different padding)
 * Decoding either form gives back the same hosts.  Only runs with a suffix
 * (or whose prefix ends in digits and are too large to renumber) are
 * expanded host by host when encoding; plain "n[0-999999]" stays one run
 * throughout.
 */
#include "sim/hostlist.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/idset.h" /* FLURM_IDSET_MAX_ID: the largest id in brackets */
#include "sim/names.h"
#include "sim/numparse.h"

struct run {
    char *prefix; /* whole name when !numbered */
    char *suffix; /* "" when none; NULL when !numbered */
    uint32_t lo, hi;
    int width;
    bool numbered;
};

struct flurm_hostlist {
    struct run *runs;
    size_t n, cap;
    size_t count; /* hosts */
};

static const uint64_t pow10_tab[] = {
    1ull,       10ull,       100ull,       1000ull,       10000ull,       100000ull,
    1000000ull, 10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
};

static int ndigits (uint32_t v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static int fmt_len (uint32_t v, int width)
{
    int d = ndigits (v);
    return width > d ? width : d;
}

/* May hosts numbered from `lo` with width `w2` be written with width `w1`
 * (the width of the run they continue) without changing their spelling? */
static bool width_compat (int w1, int w2, uint32_t lo)
{
    if (w1 == w2)
        return true;
    int d = ndigits (lo);
    return w1 <= d && w2 <= d;
}

static size_t run_count (const struct run *r)
{
    return r->numbered ? (size_t)(r->hi - r->lo) + 1 : 1;
}

struct flurm_hostlist *flurm_hostlist_create (void)
{
    return g_new0 (struct flurm_hostlist, 1);
}

void flurm_hostlist_destroy (struct flurm_hostlist *hl)
{
    if (!hl)
        return;
    for (size_t i = 0; i < hl->n; i++) {
        g_free (hl->runs[i].prefix);
        g_free (hl->runs[i].suffix);
    }
    g_free (hl->runs);
    g_free (hl);
}

size_t flurm_hostlist_count (const struct flurm_hostlist *hl)
{
    return hl ? hl->count : 0;
}

/* Append run `r` (its strings are taken over), joining it to the last run
 * when it continues it. */
static void push_run (struct flurm_hostlist *hl, struct run r)
{
    hl->count += run_count (&r);
    if (hl->n > 0 && r.numbered) {
        struct run *t = &hl->runs[hl->n - 1];
        if (t->numbered && t->hi + 1 == r.lo && strcmp (t->prefix, r.prefix) == 0 &&
            strcmp (t->suffix, r.suffix) == 0 && width_compat (t->width, r.width, r.lo)) {
            t->hi = r.hi;
            g_free (r.prefix);
            g_free (r.suffix);
            return;
        }
    }
    if (hl->n == hl->cap) {
        hl->cap = hl->cap ? hl->cap * 2 : 8;
        hl->runs = g_renew (struct run, hl->runs, hl->cap);
    }
    hl->runs[hl->n++] = r;
}

static struct run plain_run (const char *name, size_t len)
{
    struct run r = {0};
    size_t plen;
    /* flux-core's hostname_create split: a number too large for an id
     * stays part of the name. */
    if (flurm_name_split_id (name, len, &plen, &r.lo, &r.width)) {
        r.numbered = true;
        r.hi = r.lo;
        r.prefix = g_strndup (name, plen);
        r.suffix = g_strdup ("");
    } else
        r.prefix = g_strndup (name, len);
    return r;
}

/* ---- decoding ----------------------------------------------------------- */

/* Decode the bracket expression text[start, end) with '[' at lb and ']' at
 * rb into `hl`. */
static int decode_bracketed (struct flurm_hostlist *hl, const char *text, size_t start, size_t lb,
                             size_t rb, size_t end, flurm_error_t *err)
{
    size_t plen = lb - start;
    size_t slen = end - rb - 1;
    size_t p = lb + 1;
    char cb[8];

    if (p == rb)
        return flurm_parse_error (err, "hostlist", text, lb, "empty id list");
    for (;;) {
        size_t item = p;
        uint32_t lo = 0, hi = 0;
        int width = 0, hwidth = 0;
        if (text[p] == ',' || p == rb)
            return flurm_parse_error (err, "hostlist", text, p, "empty item in id list");
        if (!g_ascii_isdigit (text[p]))
            return flurm_parse_error (err, "hostlist", text, p, "unexpected character %s",
                                      flurm_parse_show_char (text[p], cb));
        if (flurm_parse_id ("hostlist", text, &p, true, &lo, &width, err) < 0)
            return -1;
        hi = lo;
        if (text[p] == '-') {
            p++;
            if (!g_ascii_isdigit (text[p])) {
                if (p == rb || text[p] == ',')
                    return flurm_parse_error (err, "hostlist", text, p, "missing id after '-'");
                return flurm_parse_error (err, "hostlist", text, p, "unexpected character %s",
                                          flurm_parse_show_char (text[p], cb));
            }
            /* the padding of hi plays no part, as in flux-core */
            if (flurm_parse_id ("hostlist", text, &p, true, &hi, &hwidth, err) < 0)
                return -1;
            if (hi < lo)
                return flurm_parse_error (err, "hostlist", text, item, "range %.*s is reversed",
                                          (int)(p - item), text + item);
        }
        if (p != rb && text[p] != ',')
            return flurm_parse_error (err, "hostlist", text, p, "unexpected character %s",
                                      flurm_parse_show_char (text[p], cb));
        uint64_t n = (uint64_t)(hi - lo) + 1;
        if (hl->count + n > FLURM_HOSTLIST_MAX_HOSTS)
            return flurm_parse_error (err, "hostlist", text, item, "more than %u hosts",
                                      (unsigned)FLURM_HOSTLIST_MAX_HOSTS);
        if (plen + (size_t)fmt_len (hi, width) + slen > FLURM_HOSTNAME_MAX)
            return flurm_parse_error (err, "hostlist", text, start,
                                      "host name longer than %d characters", FLURM_HOSTNAME_MAX);
        struct run r = {
            .prefix = g_strndup (text + start, plen),
            .suffix = g_strndup (text + rb + 1, slen),
            .lo = lo,
            .hi = hi,
            .width = width,
            .numbered = true,
        };
        push_run (hl, r);
        if (p == rb)
            return 0;
        p++; /* ',' */
    }
}

/* Decode `text` onto the end of `hl` (which is left partly filled on
 * error; callers decode into a fresh list). */
static int decode_into (struct flurm_hostlist *hl, const char *text, flurm_error_t *err)
{
    const size_t NONE = (size_t)-1;
    size_t len = strlen (text);
    size_t p = 0;
    char cb[8];

    if (len == 0)
        return 0;
    for (;;) {
        size_t start = p, lb = NONE, rb = NONE;
        while (p < len) {
            char c = text[p];
            bool open = lb != NONE && rb == NONE;
            if (c == ',' && !open)
                break;
            if (c == '[') {
                if (open)
                    return flurm_parse_error (err, "hostlist", text, p, "nested '['");
                if (lb != NONE)
                    return flurm_parse_error (err, "hostlist", text, p,
                                              "second '[' in one host expression");
                lb = p;
            } else if (c == ']') {
                if (!open)
                    return flurm_parse_error (err, "hostlist", text, p, "unexpected ']'");
                rb = p;
            } else if (open ? !(g_ascii_isdigit (c) || c == '-' || c == ',')
                            : !flurm_name_host_char (c))
                return flurm_parse_error (err, "hostlist", text, p, "unexpected character %s",
                                          flurm_parse_show_char (c, cb));
            p++;
        }
        if (lb != NONE && rb == NONE)
            return flurm_parse_error (err, "hostlist", text, lb, "'[' has no matching ']'");
        if (p == start)
            return flurm_parse_error (err, "hostlist", text, start, "empty item");
        if (lb == NONE) {
            if (p - start > FLURM_HOSTNAME_MAX)
                return flurm_parse_error (err, "hostlist", text, start,
                                          "host name longer than %d characters",
                                          FLURM_HOSTNAME_MAX);
            if (hl->count + 1 > FLURM_HOSTLIST_MAX_HOSTS)
                return flurm_parse_error (err, "hostlist", text, start, "more than %u hosts",
                                          (unsigned)FLURM_HOSTLIST_MAX_HOSTS);
            push_run (hl, plain_run (text + start, p - start));
        } else if (decode_bracketed (hl, text, start, lb, rb, p, err) < 0)
            return -1;
        if (p == len)
            return 0;
        p++; /* ',' */
        if (p == len)
            return flurm_parse_error (err, "hostlist", text, p, "empty item");
    }
}

struct flurm_hostlist *flurm_hostlist_decode (const char *text, flurm_error_t *err)
{
    if (!text) {
        flurm_error_set (err, "hostlist: no text");
        return NULL;
    }
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    if (decode_into (hl, text, err) < 0) {
        flurm_hostlist_destroy (hl);
        return NULL;
    }
    return hl;
}

int flurm_hostlist_append_list (struct flurm_hostlist *dst, const struct flurm_hostlist *src,
                                flurm_error_t *err)
{
    if (!dst)
        return flurm_error_set (err, "hostlist: no list");
    if (!src)
        return 0;
    if (dst->count + src->count > FLURM_HOSTLIST_MAX_HOSTS)
        return flurm_error_set (err, "hostlist: more than %u hosts",
                                (unsigned)FLURM_HOSTLIST_MAX_HOSTS);
    size_t n = src->n; /* dst may be src */
    for (size_t i = 0; i < n; i++) {
        struct run r = src->runs[i];
        r.prefix = g_strdup (r.prefix);
        r.suffix = g_strdup (r.suffix);
        push_run (dst, r);
    }
    return 0;
}

int flurm_hostlist_append (struct flurm_hostlist *hl, const char *text, flurm_error_t *err)
{
    if (!hl)
        return flurm_error_set (err, "hostlist: no list");
    struct flurm_hostlist *tmp = flurm_hostlist_decode (text, err);
    if (!tmp)
        return -1;
    int rc = flurm_hostlist_append_list (hl, tmp, err);
    flurm_hostlist_destroy (tmp);
    return rc;
}

int flurm_hostlist_append_host (struct flurm_hostlist *hl, const char *name, flurm_error_t *err)
{
    if (!hl)
        return flurm_error_set (err, "hostlist: no list");
    const char *problem = flurm_name_host_problem (name);
    if (problem) {
        return flurm_error_set (err, "host name %s %s", FLURM_QUOTED (name), problem);
    }
    if (hl->count + 1 > FLURM_HOSTLIST_MAX_HOSTS)
        return flurm_error_set (err, "hostlist: more than %u hosts",
                                (unsigned)FLURM_HOSTLIST_MAX_HOSTS);
    push_run (hl, plain_run (name, strlen (name)));
    return 0;
}

/* ---- access ------------------------------------------------------------- */

/* Like snprintf: the result is cut to fit bufsize, the return value is the
 * full length. */
int flurm_hostlist_nth (const struct flurm_hostlist *hl, size_t n, char *buf, size_t bufsize)
{
    if (!hl || n >= hl->count)
        return -1;
    for (size_t i = 0; i < hl->n; i++) {
        const struct run *r = &hl->runs[i];
        size_t c = run_count (r);
        if (n < c) {
            if (!r->numbered)
                return snprintf (buf, bufsize, "%s", r->prefix);
            return snprintf (buf, bufsize, "%s%0*" PRIu32 "%s", r->prefix, r->width,
                             r->lo + (uint32_t)n, r->suffix);
        }
        n -= c;
    }
    return -1; /* not reached: count is the sum of the runs */
}

int flurm_hostlist_foreach (const struct flurm_hostlist *hl, flurm_hostlist_visit_f visit,
                            void *arg)
{
    char buf[FLURM_HOSTNAME_MAX + 32];
    size_t index = 0;
    for (size_t i = 0; hl && i < hl->n; i++) {
        const struct run *r = &hl->runs[i];
        if (!r->numbered) {
            int rc = visit (r->prefix, index++, arg);
            if (rc != 0)
                return rc;
            continue;
        }
        for (uint32_t id = r->lo;; id++) {
            snprintf (buf, sizeof (buf), "%s%0*" PRIu32 "%s", r->prefix, r->width, id, r->suffix);
            int rc = visit (buf, index++, arg);
            if (rc != 0)
                return rc;
            if (id == r->hi)
                break;
        }
    }
    return 0;
}

long flurm_hostlist_find (const struct flurm_hostlist *hl, const char *host)
{
    if (!hl || !host)
        return -1;
    size_t hlen = strlen (host);
    size_t idx = 0;
    for (size_t i = 0; i < hl->n; i++) {
        const struct run *r = &hl->runs[i];
        if (!r->numbered) {
            if (strcmp (r->prefix, host) == 0)
                return (long)idx;
            idx++;
            continue;
        }
        size_t plen = strlen (r->prefix), slen = strlen (r->suffix);
        if (hlen > plen + slen && memcmp (host, r->prefix, plen) == 0 &&
            memcmp (host + hlen - slen, r->suffix, slen) == 0) {
            const char *d = host + plen;
            size_t dlen = hlen - plen - slen;
            uint64_t v = 0;
            size_t k;
            for (k = 0; k < dlen && g_ascii_isdigit (d[k]); k++) {
                v = v * 10 + (uint64_t)(d[k] - '0');
                if (v > FLURM_IDSET_MAX_ID)
                    break;
            }
            /* d must be exactly printf("%0*u", width, v) */
            if (k == dlen && v >= r->lo && v <= r->hi &&
                dlen == (size_t)fmt_len ((uint32_t)v, r->width))
                return (long)(idx + (size_t)(v - r->lo));
        }
        idx += run_count (r);
    }
    return -1;
}

/* ---- encoding ----------------------------------------------------------- */

/* A run in canonical (plain-name) form: the prefix never ends in a digit
 * and there is no suffix. */
struct seg {
    const char *pfx; /* not NUL-terminated; whole name when !numbered */
    size_t plen;
    uint32_t lo, hi;
    int width;
    bool numbered;
};

static void seg_push (GArray *segs, struct seg s)
{
    if (segs->len > 0 && s.numbered) {
        struct seg *t = &g_array_index (segs, struct seg, segs->len - 1);
        if (t->numbered && t->hi + 1 == s.lo && t->plen == s.plen &&
            memcmp (t->pfx, s.pfx, s.plen) == 0 && width_compat (t->width, s.width, s.lo)) {
            t->hi = s.hi;
            return;
        }
    }
    g_array_append_val (segs, s);
}

/* One host name, split the plain way; the name is copied into `names`. */
static void seg_push_name (GArray *segs, GStringChunk *names, const char *name, size_t len)
{
    struct seg s = {0};
    s.pfx = g_string_chunk_insert_len (names, name, (gssize)len);
    if (flurm_name_split_id (name, len, &s.plen, &s.lo, &s.width)) {
        s.numbered = true;
        s.hi = s.lo;
    } else
        s.plen = len;
    seg_push (segs, s);
}

static void seg_push_hosts (GArray *segs, GStringChunk *names, const struct run *r, uint32_t lo,
                            uint32_t hi)
{
    char buf[FLURM_HOSTNAME_MAX + 32];
    for (uint32_t i = lo;; i++) {
        int n =
            snprintf (buf, sizeof (buf), "%s%0*" PRIu32 "%s", r->prefix, r->width, i, r->suffix);
        seg_push_name (segs, names, buf, (size_t)n);
        if (i == hi)
            break;
    }
}

static void run_to_segs (GArray *segs, GStringChunk *names, const struct run *r)
{
    if (!r->numbered) {
        struct seg s = {.pfx = r->prefix, .plen = strlen (r->prefix)};
        seg_push (segs, s);
        return;
    }
    if (r->suffix[0] != '\0') {
        seg_push_hosts (segs, names, r, r->lo, r->hi);
        return;
    }
    size_t plen = strlen (r->prefix);
    size_t k = plen; /* prefix = prefix[0,k) + digits D = prefix[k,plen) */
    while (k > 0 && g_ascii_isdigit (r->prefix[k - 1]))
        k--;
    if (k == plen) {
        struct seg s = {.pfx = r->prefix,
                        .plen = plen,
                        .lo = r->lo,
                        .hi = r->hi,
                        .width = r->width,
                        .numbered = true};
        seg_push (segs, s);
        return;
    }
    /* The prefix ends in digits D: host i is spelled p + D + %0*u(i), whose
     * plain split is p and the number D * 10^L + i with L digits for i.
     * Cut lo..hi where L changes (at most 10 pieces). */
    size_t dl = plen - k;
    uint64_t dval = 0;
    bool dbig = false;
    for (size_t i = k; i < plen; i++) {
        dval = dval * 10 + (uint64_t)(r->prefix[i] - '0');
        if (dval > FLURM_IDSET_MAX_ID) {
            dbig = true;
            break;
        }
    }
    uint32_t a = r->lo;
    for (;;) {
        int L = fmt_len (a, r->width);
        uint64_t b = r->hi;
        if (L < 10 && pow10_tab[L] - 1 < b)
            b = pow10_tab[L] - 1;
        bool fits = false;
        uint64_t va = 0, vb = 0;
        if (!dbig && (dval == 0 || L < 10)) {
            uint64_t base = dval == 0 ? 0 : dval * pow10_tab[L];
            va = base + a;
            vb = base + b;
            fits = vb <= FLURM_IDSET_MAX_ID;
        }
        if (fits) {
            struct seg s = {.pfx = r->prefix,
                            .plen = k,
                            .lo = (uint32_t)va,
                            .hi = (uint32_t)vb,
                            .width = (int)dl + L,
                            .numbered = true};
            seg_push (segs, s);
        } else
            seg_push_hosts (segs, names, r, a, (uint32_t)b);
        if (b >= r->hi)
            break;
        a = (uint32_t)b + 1;
    }
}

char *flurm_hostlist_encode (const struct flurm_hostlist *hl)
{
    GString *out = g_string_new (NULL);
    if (!hl || hl->n == 0)
        return g_string_free (out, FALSE);

    GArray *segs = g_array_new (FALSE, FALSE, sizeof (struct seg));
    GStringChunk *names = g_string_chunk_new (4096);
    for (size_t i = 0; i < hl->n; i++)
        run_to_segs (segs, names, &hl->runs[i]);

    const struct seg *s = (const struct seg *)(void *)segs->data;
    size_t n = segs->len;
    size_t i = 0;
    while (i < n) {
        if (i > 0)
            g_string_append_c (out, ',');
        if (!s[i].numbered) {
            g_string_append_len (out, s[i].pfx, (gssize)s[i].plen);
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j].numbered && s[j].plen == s[i].plen &&
               memcmp (s[j].pfx, s[i].pfx, s[i].plen) == 0)
            j++;
        bool bracket = j - i > 1 || s[i].lo != s[i].hi;
        g_string_append_len (out, s[i].pfx, (gssize)s[i].plen);
        if (bracket)
            g_string_append_c (out, '[');
        for (size_t k = i; k < j; k++) {
            if (k > i)
                g_string_append_c (out, ',');
            g_string_append_printf (out, "%0*" PRIu32, s[k].width, s[k].lo);
            if (s[k].hi != s[k].lo)
                g_string_append_printf (out, "-%0*" PRIu32, s[k].width, s[k].hi);
        }
        if (bracket)
            g_string_append_c (out, ']');
        i = j;
    }
    g_array_free (segs, TRUE);
    g_string_chunk_free (names);
    return g_string_free (out, FALSE);
}
