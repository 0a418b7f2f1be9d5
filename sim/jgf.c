/* sim/jgf.c — see jgf.h for the contract.
 *
 * Reading has two front ends and one interpretation:
 *  - flurm_jgf_load_json() walks an already-parsed jansson tree;
 *  - flurm_jgf_load_buffer() / _file() never build the whole tree: a small
 *    scanner walks the top-level object and the "graph" object, and parses
 *    the "nodes" and "edges" arrays one element at a time.  A 60 MB JGF is
 *    so read with the memory of one element on top of the graph being built.
 * Elements are held in a small DOM of our own ("jv", in an arena that is
 * reset after each element): building jansson objects for 230,000 vertices
 * costs more than everything else together.  The tree front end converts
 * each jansson element to a jv, so both hand the same thing to
 * read_vertex() / read_edge(), and finish with reader_finish(), which
 * checks the tree (one root, no cycle, paths that agree with the edges)
 * with messages that point into the JSON.
 *
 * Deliberate differences from Fluxion's reader (>= v0.39):
 *  - vertices without a containment path (e.g. only "power") and edges of
 *    other subsystems are skipped: Flurm models the containment tree only;
 *  - a second root, a cycle, a second parent, a negative or zero size, a
 *    status other than 0/1 are errors (Fluxion accepts some of them);
 *  - a vertex's containment path must be its parent's path plus its name;
 *    when the JGF gives no metadata.name, the last component may differ
 *    (Fluxion's own test graphs do that; the vertex keeps Fluxion's name
 *    basename+id, and Flurm's path for it is built from that name).
 *
 * Measured (2 cores, RelWithDebInfo): a 72 MB JGF of 10,000 nodes x 2
 * sockets x 10 cores (230,001 vertices) loads in 0.42 s of CPU with a peak
 * RSS of 122 MB (the mapped file included); json_load_file() alone, the
 * whole tree, takes 2.7 s and 785 MB.  The graph takes 101 bytes/vertex.
 *
 * Writing (flurm_jgf_write, flurm_jgf_to_json): every metadata field, plus
 * "status": 1 for down vertices and "properties" when there are any;
 * vertices depth-first, edges in the same order (so children keep their
 * order on reload); outer id = uniq_id; edges carry both
 * {"subsystem": "containment"} and the old {"name": {"containment":
 * "contains"}}.  The file is one vertex or edge per line.
 */
#include "sim/jgf.h"
#include "sim/idset.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"
#include "sim/names.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define NONE UINT32_MAX

/* ---- jv: one JSON element ---------------------------------------------- */

enum jv_kind {
    JV_NULL,
    JV_FALSE,
    JV_TRUE,
    JV_INT,
    JV_REAL,
    JV_STRING,
    JV_ARRAY,
    JV_OBJECT,
};

struct jv {
    uint32_t kind;
    uint32_t n; /* string length, array items, object members */
    union {
        int64_t i;
        double d;
        const char *s;          /* NUL-terminated */
        const struct jv *items; /* arrays: n; objects: key, value, ... */
    } u;
};

struct arena_chunk {
    struct arena_chunk *next;
    size_t cap, used;
    char data[]; /* 8-aligned: the header is 24 bytes */
};

struct arena {
    struct arena_chunk *head;
};

static void *arena_alloc (struct arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct arena_chunk *c = a->head;
    if (!c || c->used + n > c->cap) {
        size_t cap = c ? c->cap * 2 : 64 * 1024;
        while (cap < n)
            cap *= 2;
        c = g_malloc (sizeof (*c) + cap);
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

/* Forget everything allocated; keep one chunk as big as all were. */
static void arena_reset (struct arena *a)
{
    struct arena_chunk *c = a->head;
    if (!c)
        return;
    if (c->next) {
        size_t total = 0;
        while (c) {
            struct arena_chunk *next = c->next;
            total += c->cap;
            g_free (c);
            c = next;
        }
        c = g_malloc (sizeof (*c) + total);
        c->cap = total;
        c->next = NULL;
        a->head = c;
    }
    c->used = 0;
}

static void arena_free (struct arena *a)
{
    while (a->head) {
        struct arena_chunk *next = a->head->next;
        g_free (a->head);
        a->head = next;
    }
}

/* The member `key` of an object (the last one if given twice, as jansson
 * does), or NULL. */
static const struct jv *jv_get (const struct jv *o, const char *key)
{
    for (uint32_t k = o->n; k-- > 0;)
        if (strcmp (o->u.items[2 * k].u.s, key) == 0)
            return &o->u.items[2 * k + 1];
    return NULL;
}

struct key_pos {
    const char *key;
    uint32_t pos;
};

static int cmp_key_pos (const void *a, const void *b)
{
    const struct key_pos *x = a, *y = b;
    int c = strcmp (x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* For each item of object `o`: true when a later item has the same key
 * (JSON's "the last wins").  One sort instead of a jv_get per key, which is
 * quadratic in the size of a crafted object.  g_free the result. */
static bool *last_of_each_key (const struct jv *o)
{
    bool *shadowed = g_new0 (bool, o->n ? o->n : 1);
    struct key_pos *kp = g_new (struct key_pos, o->n ? o->n : 1);
    for (uint32_t k = 0; k < o->n; k++)
        kp[k] = (struct key_pos){o->u.items[2 * k].u.s, k};
    qsort (kp, o->n, sizeof (kp[0]), cmp_key_pos);
    for (uint32_t k = 0; k + 1 < o->n; k++) {
        if (strcmp (kp[k].key, kp[k + 1].key) == 0)
            shadowed[kp[k].pos] = true;
    }
    g_free (kp);
    return shadowed;
}

/* A jansson value as a jv (strings point into the jansson tree). */
static void jv_from_json (struct arena *a, const json_t *j, struct jv *out)
{
    memset (out, 0, sizeof (*out));
    switch (json_typeof (j)) {
    case JSON_OBJECT: {
        size_t n = json_object_size (j), k = 0;
        struct jv *items = arena_alloc (a, 2 * n * sizeof (*items) + 1);
        const char *key;
        json_t *val;
        json_object_foreach ((json_t *)j, key, val)
        {
            items[2 * k].kind = JV_STRING;
            items[2 * k].n = (uint32_t)strlen (key);
            items[2 * k].u.s = key;
            jv_from_json (a, val, &items[2 * k + 1]);
            k++;
        }
        out->kind = JV_OBJECT;
        out->n = (uint32_t)k;
        out->u.items = items;
        break;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size (j);
        struct jv *items = arena_alloc (a, n * sizeof (*items) + 1);
        for (size_t k = 0; k < n; k++)
            jv_from_json (a, json_array_get (j, k), &items[k]);
        out->kind = JV_ARRAY;
        out->n = (uint32_t)n;
        out->u.items = items;
        break;
    }
    case JSON_STRING:
        out->kind = JV_STRING;
        out->n = (uint32_t)json_string_length (j);
        out->u.s = json_string_value (j);
        break;
    case JSON_INTEGER:
        out->kind = JV_INT;
        out->u.i = json_integer_value (j);
        break;
    case JSON_REAL:
        out->kind = JV_REAL;
        out->u.d = json_real_value (j);
        break;
    case JSON_TRUE:
        out->kind = JV_TRUE;
        break;
    case JSON_FALSE:
        out->kind = JV_FALSE;
        break;
    default:
        out->kind = JV_NULL;
        break;
    }
}

/* ---- jv parser ---------------------------------------------------------- */

#define JP_MAX_DEPTH 256

struct jparser {
    const char *buf;
    size_t len;
    size_t pos;
    struct arena arena;
    struct jv *stack; /* values of the containers being parsed */
    size_t sp, scap;
    size_t err_off;
    char err[160];
};

static int jp_fail (struct jparser *p, size_t off, const char *msg)
{
    p->err_off = off;
    snprintf (p->err, sizeof (p->err), "%s", msg);
    return -1;
}

static void jp_grow (struct jparser *p)
{
    p->scap = p->scap ? p->scap * 2 : 256;
    p->stack = g_realloc_n (p->stack, p->scap, sizeof (*p->stack));
}

static inline void jp_push (struct jparser *p, const struct jv *v)
{
    if (G_UNLIKELY (p->sp == p->scap))
        jp_grow (p);
    p->stack[p->sp++] = *v;
}

static void jp_ws (struct jparser *p)
{
    const char *b = p->buf;
    size_t i = p->pos, n = p->len;
    while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r'))
        i++;
    p->pos = i;
}

/* Length of the valid UTF-8 sequence at s, or -1. */
static int utf8_len (const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    int n;
    uint32_t cp;
    if (c < 0xC2)
        return -1;
    else if (c < 0xE0)
        n = 2, cp = c & 0x1F;
    else if (c < 0xF0)
        n = 3, cp = c & 0x0F;
    else if (c < 0xF5)
        n = 4, cp = c & 0x07;
    else
        return -1;
    if ((size_t)n > avail)
        return -1;
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
        return -1;
    if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))
        return -1;
    return n;
}

static int hex4 (const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8 (char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* At '"': a string, copied (unescaped, NUL-terminated) to the arena. */
static int jp_string (struct jparser *p, struct jv *out)
{
    const unsigned char *b = (const unsigned char *)p->buf;
    size_t open = p->pos, start = p->pos + 1, i = start, n = p->len;
    bool esc = false;
    for (;;) {
        /* fast scan to '"', '\\', a control or a multi-byte character */
        while (i < n && b[i] >= 0x20 && b[i] < 0x80 && b[i] != '"' && b[i] != '\\')
            i++;
        if (i >= n)
            return jp_fail (p, open, "unterminated string");
        unsigned char c = b[i];
        if (c == '"')
            break;
        if (c == '\\') {
            esc = true;
            i += 2;
        } else if (c < 0x20) {
            return jp_fail (p, i, "control character in a string");
        } else if (c >= 0x80) {
            int k = utf8_len (b + i, n - i);
            if (k < 0)
                return jp_fail (p, i, "invalid UTF-8 in a string");
            i += (size_t)k;
        } else {
            i++;
        }
    }
    size_t raw = i - start;
    if (raw > UINT32_MAX - 1)
        return jp_fail (p, open, "string too long");
    char *d = arena_alloc (&p->arena, raw + 1);
    size_t dl = 0;
    if (!esc) {
        memcpy (d, b + start, raw);
        dl = raw;
    } else {
        for (size_t k = start; k < i;) {
            if (b[k] != '\\') {
                d[dl++] = (char)b[k++];
                continue;
            }
            char e = (char)b[k + 1];
            size_t at = k;
            k += 2;
            switch (e) {
            case '"':
                d[dl++] = '"';
                break;
            case '\\':
                d[dl++] = '\\';
                break;
            case '/':
                d[dl++] = '/';
                break;
            case 'b':
                d[dl++] = '\b';
                break;
            case 'f':
                d[dl++] = '\f';
                break;
            case 'n':
                d[dl++] = '\n';
                break;
            case 'r':
                d[dl++] = '\r';
                break;
            case 't':
                d[dl++] = '\t';
                break;
            case 'u': {
                uint32_t cp, lo;
                if (k + 4 > i || hex4 (p->buf + k, &cp) < 0)
                    return jp_fail (p, at, "invalid \\u escape");
                k += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (k + 6 > i || b[k] != '\\' || b[k + 1] != 'u' ||
                        hex4 (p->buf + k + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return jp_fail (p, at, "invalid Unicode surrogate pair");
                    k += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return jp_fail (p, at, "invalid Unicode surrogate pair");
                } else if (cp == 0) {
                    return jp_fail (p, at, "\\u0000 is not allowed in a string");
                }
                dl += put_utf8 (d + dl, cp);
                break;
            }
            default:
                return jp_fail (p, at, "invalid escape in a string");
            }
        }
    }
    d[dl] = '\0';
    out->kind = JV_STRING;
    out->n = (uint32_t)dl;
    out->u.s = d;
    p->pos = i + 1;
    return 0;
}

static bool is_digit (char c)
{
    return c >= '0' && c <= '9';
}

static int jp_number (struct jparser *p, struct jv *out)
{
    const char *b = p->buf;
    size_t start = p->pos, i = start, n = p->len;
    bool neg = false, real = false;
    if (b[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= n || !is_digit (b[i]))
        return jp_fail (p, start, "invalid number");
    if (b[i] == '0')
        i++;
    else
        while (i < n && is_digit (b[i]))
            i++;
    if (i < n && b[i] == '.') {
        real = true;
        i++;
        if (i >= n || !is_digit (b[i]))
            return jp_fail (p, start, "invalid number");
        while (i < n && is_digit (b[i]))
            i++;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
        real = true;
        i++;
        if (i < n && (b[i] == '+' || b[i] == '-'))
            i++;
        if (i >= n || !is_digit (b[i]))
            return jp_fail (p, start, "invalid number");
        while (i < n && is_digit (b[i]))
            i++;
    }
    if (!real) {
        uint64_t acc = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
        for (size_t k = start + neg; k < i; k++) {
            uint64_t dgt = (uint64_t)(b[k] - '0');
            if (acc > (limit - dgt) / 10)
                return jp_fail (p, start,
                                neg ? "integer below -2^63 (too big negative "
                                      "integer)"
                                    : "integer above 2^63-1 (too big integer)");
            acc = acc * 10 + dgt;
        }
        out->kind = JV_INT;
        out->u.i = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    } else {
        char *tmp = g_strndup (b + start, i - start);
        errno = 0;
        double d = strtod (tmp, NULL);
        g_free (tmp);
        if (errno == ERANGE && isinf (d))
            return jp_fail (p, start, "real number overflow");
        out->kind = JV_REAL;
        out->u.d = d;
    }
    p->pos = i;
    return 0;
}

/* Parse a value at the current position (after whitespace) into *out. */
static int jp_value (struct jparser *p, struct jv *out, int depth)
{
    jp_ws (p);
    if (p->pos >= p->len)
        return jp_fail (p, p->pos, "unexpected end of file");
    memset (out, 0, sizeof (*out));
    char c = p->buf[p->pos];
    switch (c) {
    case '{':
    case '[': {
        bool obj = c == '{';
        char close = obj ? '}' : ']';
        if (depth >= JP_MAX_DEPTH)
            return jp_fail (p, p->pos, "nested too deeply");
        p->pos++;
        size_t base = p->sp;
        jp_ws (p);
        if (p->pos < p->len && p->buf[p->pos] == close) {
            p->pos++;
        } else {
            for (;;) {
                struct jv v;
                if (obj) {
                    jp_ws (p);
                    if (p->pos >= p->len || p->buf[p->pos] != '"')
                        return jp_fail (p, p->pos, "expected a string (an object key)");
                    if (jp_string (p, &v) < 0)
                        return -1;
                    jp_push (p, &v);
                    jp_ws (p);
                    if (p->pos >= p->len || p->buf[p->pos] != ':')
                        return jp_fail (p, p->pos, "expected ':' after a key");
                    p->pos++;
                }
                if (jp_value (p, &v, depth + 1) < 0)
                    return -1;
                jp_push (p, &v);
                jp_ws (p);
                if (p->pos < p->len && p->buf[p->pos] == ',') {
                    p->pos++;
                    continue;
                }
                if (p->pos < p->len && p->buf[p->pos] == close) {
                    p->pos++;
                    break;
                }
                return jp_fail (p, p->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
        size_t cnt = p->sp - base;
        struct jv *items = arena_alloc (&p->arena, cnt * sizeof (*items) + 1);
        if (cnt > 0)
            memcpy (items, p->stack + base, cnt * sizeof (*items));
        p->sp = base;
        out->kind = obj ? JV_OBJECT : JV_ARRAY;
        out->n = (uint32_t)(obj ? cnt / 2 : cnt);
        out->u.items = items;
        return 0;
    }
    case '"':
        return jp_string (p, out);
    case 't':
    case 'f':
    case 'n': {
        const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        size_t wl = strlen (word);
        if (p->len - p->pos < wl || memcmp (p->buf + p->pos, word, wl) != 0)
            return jp_fail (p, p->pos, "invalid token");
        p->pos += wl;
        out->kind = c == 't' ? JV_TRUE : c == 'f' ? JV_FALSE : JV_NULL;
        return 0;
    }
    default:
        if (c == '-' || is_digit (c))
            return jp_number (p, out);
        return jp_fail (p, p->pos, "invalid token");
    }
}

/* ---- idmap: int64 -> uint32, a direct array for the usual dense ids ---- */

struct idmap {
    uint32_t *dense; /* dense[id] = value + 1, 0 = absent; 0 <= id < dcap */
    size_t dcap;
    size_t n;
    GHashTable *sparse; /* everything else: id (as pointer) -> value + 1 */
};

G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (int64_t));

static void idmap_free (struct idmap *m)
{
    g_free (m->dense);
    if (m->sparse)
        g_hash_table_destroy (m->sparse);
    memset (m, 0, sizeof (*m));
}

static uint32_t idmap_get (const struct idmap *m, int64_t id)
{
    if (id >= 0 && (uint64_t)id < m->dcap && m->dense[id])
        return m->dense[id] - 1;
    if (m->sparse) {
        gpointer p = g_hash_table_lookup (m->sparse, (gpointer)(intptr_t)id);
        if (p)
            return (uint32_t)(GPOINTER_TO_SIZE (p) - 1);
    }
    return NONE;
}

static void idmap_put (struct idmap *m, int64_t id, uint32_t value)
{
    /* dense while the array stays within 8 slots per id stored */
    uint64_t limit = 8 * (uint64_t)m->n + 4096;
    if (id >= 0 && (uint64_t)id < limit) {
        if ((uint64_t)id >= m->dcap) {
            size_t cap = m->dcap ? m->dcap : 4096;
            while (cap <= (uint64_t)id)
                cap *= 2;
            m->dense = g_realloc_n (m->dense, cap, sizeof (uint32_t));
            memset (m->dense + m->dcap, 0, (cap - m->dcap) * sizeof (uint32_t));
            m->dcap = cap;
        }
        m->dense[id] = value + 1;
    } else {
        if (!m->sparse)
            m->sparse = g_hash_table_new (g_direct_hash, g_direct_equal);
        g_hash_table_insert (m->sparse, (gpointer)(intptr_t)id,
                             GSIZE_TO_POINTER ((size_t)value + 1));
    }
    m->n++;
}

/* A canonical decimal (no sign, no leading zero) that fits: the usual JGF
 * outer id, looked up in an idmap instead of a string table. */
static bool canonical_id (const char *s, int64_t *out)
{
    size_t len = strlen (s);
    if (len == 0 || len > 18 || (s[0] == '0' && len > 1))
        return false;
    int64_t v = 0;
    for (size_t k = 0; k < len; k++) {
        if (s[k] < '0' || s[k] > '9')
            return false;
        v = v * 10 + (s[k] - '0');
    }
    *out = v;
    return true;
}

/* ---- the reader: JGF elements -> graph builder ------------------------- */

struct reader {
    const char *source;
    flurm_error_t *err;
    struct flurm_graph_builder *b;
    /* per JSON vertex (index in graph.nodes) */
    size_t nj, jcap;
    uint32_t *j_builder; /* builder index; NONE: not in containment */
    const char **j_id;   /* outer id (in `strings`) */
    /* per builder vertex */
    size_t nb, bcap;
    uint32_t *b_json;    /* index in graph.nodes */
    uint32_t *b_parent;  /* builder index of the parent, or NONE */
    uint32_t *b_edge;    /* index in graph.edges of the parent edge */
    const char **b_path; /* containment path (in `strings`) */
    uint8_t *b_named;    /* metadata.name was given */
    GStringChunk *strings;
    struct idmap by_num_id; /* numeric outer id -> json index */
    GHashTable *by_id;      /* other outer ids -> json index + 1 */
    struct idmap by_uniq;   /* uniq_id -> json index */
};

static void reader_init (struct reader *r, const char *source, flurm_error_t *err, size_t hint)
{
    memset (r, 0, sizeof (*r));
    r->source = source ? source : "JGF";
    r->err = err;
    r->b = flurm_graph_builder_new (hint);
    r->strings = g_string_chunk_new (1 << 16);
    r->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* json index of the vertex with this outer id, or NONE */
static uint32_t lookup_id (const struct reader *r, const char *id)
{
    int64_t num;
    if (canonical_id (id, &num))
        return idmap_get (&r->by_num_id, num);
    gpointer p = g_hash_table_lookup (r->by_id, id);
    return p ? (uint32_t)(GPOINTER_TO_SIZE (p) - 1) : NONE;
}

static void reader_free (struct reader *r)
{
    flurm_graph_builder_destroy (r->b);
    g_free (r->j_builder);
    g_free (r->j_id);
    g_free (r->b_json);
    g_free (r->b_parent);
    g_free (r->b_edge);
    g_free (r->b_path);
    g_free (r->b_named);
    if (r->strings)
        g_string_chunk_free (r->strings);
    if (r->by_id)
        g_hash_table_destroy (r->by_id);
    idmap_free (&r->by_uniq);
    idmap_free (&r->by_num_id);
    memset (r, 0, sizeof (*r));
}

/* "SOURCE: msg" */
static int rerr (struct reader *r, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
static int rerr (struct reader *r, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_error_at (r->err, r->source, 0, 0, "%s", msg);
}

/* A short description of a value for messages: "\"x\"", "-3", "an
 * object", ... */
static const char *describe (const struct jv *v, char *buf, size_t size)
{
    switch (v->kind) {
    case JV_OBJECT:
        return "an object";
    case JV_ARRAY:
        return "an array";
    case JV_NULL:
        return "null";
    case JV_TRUE:
        return "true";
    case JV_FALSE:
        return "false";
    case JV_INT:
        snprintf (buf, size, "%" PRId64, v->u.i);
        return buf;
    case JV_REAL:
        snprintf (buf, size, "%.*g", flurm_json_real_digits (v->u.d), v->u.d);
        return buf;
    default:
        return flurm_error_quote (buf, size < 48 ? size : 48, v->u.s);
    }
}

static int type_error (struct reader *r, const char *loc, const char *key, const char *want,
                       const struct jv *got)
{
    char d[80];
    return rerr (r, "%s%s%s: expected %s, got %s", loc, key ? "." : "", key ? key : "", want,
                 describe (got, d, sizeof (d)));
}

/* Look several members up in one pass: out[f] = member names[f] or NULL
 * (the last one when a key is given twice, as jansson does). */
static void jv_pick (const struct jv *o, const char *const *names, size_t n, const struct jv **out)
{
    for (size_t f = 0; f < n; f++)
        out[f] = NULL;
    for (uint32_t k = 0; k < o->n; k++) {
        const char *key = o->u.items[2 * k].u.s;
        for (size_t f = 0; f < n; f++)
            if (key[0] == names[f][0] && strcmp (key, names[f]) == 0) {
                out[f] = &o->u.items[2 * k + 1];
                break;
            }
    }
}

/* Optional string member v (NULL or null: absent). */
static int get_str (struct reader *r, const struct jv *v, const char *loc, const char *key,
                    const char **out)
{
    *out = NULL;
    if (!v || v->kind == JV_NULL)
        return 0;
    if (v->kind != JV_STRING)
        return type_error (r, loc, key, "a string", v);
    *out = v->u.s;
    return 0;
}

static int get_int (struct reader *r, const struct jv *v, const char *loc, const char *key,
                    int64_t *out, bool *present)
{
    *present = false;
    if (!v || v->kind == JV_NULL)
        return 0;
    if (v->kind != JV_INT)
        return type_error (r, loc, key, "an integer", v);
    *out = v->u.i;
    *present = true;
    return 0;
}

/* Parse a whole string as a decimal int64; false on junk or overflow. */
static bool parse_int64 (const char *s, int64_t *out)
{
    if (!s[0] || (s[0] != '-' && !is_digit (s[0])))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll (s, &end, 10);
    if (errno || *end || end == s)
        return false;
    *out = v;
    return true;
}

/* "graph.nodes[12]" without printf (this runs for every element). */
static void make_loc (char *buf, const char *array, size_t i)
{
    size_t al = strlen (array);
    memcpy (buf, array, al);
    buf[al++] = '[';
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    while (n > 0)
        buf[al++] = tmp[--n];
    buf[al++] = ']';
    buf[al] = '\0';
}

/* Room for one more JSON vertex / builder vertex in the parallel arrays. */
static void grow_j (struct reader *r)
{
    if (r->nj < r->jcap)
        return;
    r->jcap = r->jcap ? r->jcap * 2 : 1024;
    r->j_builder = g_realloc_n (r->j_builder, r->jcap, sizeof (*r->j_builder));
    r->j_id = g_realloc_n (r->j_id, r->jcap, sizeof (*r->j_id));
}

static void grow_b (struct reader *r)
{
    if (r->nb < r->bcap)
        return;
    r->bcap = r->bcap ? r->bcap * 2 : 1024;
    r->b_json = g_realloc_n (r->b_json, r->bcap, sizeof (*r->b_json));
    r->b_parent = g_realloc_n (r->b_parent, r->bcap, sizeof (*r->b_parent));
    r->b_edge = g_realloc_n (r->b_edge, r->bcap, sizeof (*r->b_edge));
    r->b_path = g_realloc_n (r->b_path, r->bcap, sizeof (*r->b_path));
    r->b_named = g_realloc_n (r->b_named, r->bcap, sizeof (*r->b_named));
}

static int read_vertex (struct reader *r, const struct jv *el, size_t i)
{
    char loc[64], mloc[80];
    make_loc (loc, "graph.nodes", i);
    if (i >= NONE - 1)
        return rerr (r, "%s: too many vertices", loc);
    if (el->kind != JV_OBJECT)
        return type_error (r, loc, NULL, "an object", el);

    const struct jv *idv = jv_get (el, "id");
    if (!idv)
        return rerr (r, "%s: missing \"id\"", loc);
    if (idv->kind != JV_STRING)
        return type_error (r, loc, "id", "a string", idv);
    const char *outer = idv->u.s;
    uint32_t prev = lookup_id (r, outer);
    if (prev != NONE)
        return rerr (r, "%s.id: %s is also the id of graph.nodes[%u]", loc, FLURM_QUOTED (outer),
                     prev);

    const struct jv *md = jv_get (el, "metadata");
    if (!md)
        return rerr (r, "%s: missing \"metadata\"", loc);
    if (md->kind != JV_OBJECT)
        return type_error (r, loc, "metadata", "an object", md);
    strcpy (mloc, loc);
    strcat (mloc, ".metadata");

    enum {
        F_TYPE,
        F_BASENAME,
        F_NAME,
        F_ID,
        F_UNIQ,
        F_RANK,
        F_EXCL,
        F_UNIT,
        F_SIZE,
        F_STATUS,
        F_PATHS,
        F_PROPS,
        F_N
    };
    static const char *const fields[F_N] = {"type",    "basename", "name",      "id",
                                            "uniq_id", "rank",     "exclusive", "unit",
                                            "size",    "status",   "paths",     "properties"};
    const struct jv *f[F_N];
    jv_pick (md, fields, F_N, f);

    struct flurm_vertex_spec spec = {.rank = -1, .size = 1};
    const struct jv *tv = f[F_TYPE];
    if (!tv)
        return rerr (r, "%s: missing \"type\"", mloc);
    if (tv->kind != JV_STRING)
        return type_error (r, mloc, "type", "a string", tv);
    spec.type = tv->u.s;
    if (!spec.type[0])
        return rerr (r, "%s.type: empty", mloc);

    const struct jv *paths = f[F_PATHS];
    if (!paths)
        return rerr (r, "%s: missing \"paths\"", mloc);
    if (paths->kind != JV_OBJECT)
        return type_error (r, mloc, "paths", "an object", paths);
    const char *cpath = NULL;
    for (uint32_t k = 0; k < paths->n; k++) {
        const struct jv *pv = &paths->u.items[2 * k + 1];
        const char *pkey = paths->u.items[2 * k].u.s;
        if (pv->kind != JV_STRING) {
            char ploc[128];
            snprintf (ploc, sizeof (ploc), "%s.paths", mloc);
            return type_error (r, ploc, pkey, "a string", pv);
        }
        if (strcmp (pkey, "containment") == 0)
            cpath = pv->u.s;
    }

    /* Register the id (vertices of other subsystems too: edges of any
     * subsystem must name known vertices). */
    grow_j (r);
    const char *idcopy = g_string_chunk_insert (r->strings, outer);
    r->j_id[r->nj] = idcopy;
    r->j_builder[r->nj] = NONE;
    int64_t num;
    if (canonical_id (outer, &num))
        idmap_put (&r->by_num_id, num, (uint32_t)i);
    else
        g_hash_table_insert (r->by_id, (gpointer)idcopy, GSIZE_TO_POINTER (i + 1));
    r->nj++;
    if (!cpath)
        return 0; /* not in the containment tree: not modelled */
    if (cpath[0] != '/')
        return rerr (r, "%s.paths.containment: %s does not start with '/'", mloc,
                     FLURM_QUOTED (cpath));

    if (get_str (r, f[F_BASENAME], mloc, "basename", &spec.basename) < 0 ||
        get_str (r, f[F_NAME], mloc, "name", &spec.name) < 0 ||
        get_str (r, f[F_UNIT], mloc, "unit", &spec.unit) < 0)
        return -1;
    int64_t id = 0, uniq = 0, rank = -1, size = 1, status = 0;
    bool has_id, has_uniq, has_rank, has_size, has_status;
    if (get_int (r, f[F_ID], mloc, "id", &id, &has_id) < 0 ||
        get_int (r, f[F_UNIQ], mloc, "uniq_id", &uniq, &has_uniq) < 0 ||
        get_int (r, f[F_RANK], mloc, "rank", &rank, &has_rank) < 0 ||
        get_int (r, f[F_SIZE], mloc, "size", &size, &has_size) < 0 ||
        get_int (r, f[F_STATUS], mloc, "status", &status, &has_status) < 0)
        return -1;
    const struct jv *ex = f[F_EXCL];
    if (ex && ex->kind != JV_NULL && ex->kind != JV_TRUE && ex->kind != JV_FALSE)
        return type_error (r, mloc, "exclusive", "true or false", ex);
    spec.exclusive = ex && ex->kind == JV_TRUE;
    /* the ranks R can hold (an idset), so that any graph read can be
     * written as R */
    if (has_rank && (rank < -1 || rank > (int64_t)FLURM_IDSET_MAX_ID))
        return rerr (r, "%s.rank: %" PRId64 " is not a broker rank (-1 .. %u)", mloc, rank,
                     FLURM_IDSET_MAX_ID);
    spec.rank = (int32_t)rank;
    if (has_size && size < 1)
        return rerr (r, "%s.size: %" PRId64 " is not a valid size (must be >= 1)", mloc, size);
    spec.size = size;
    if (has_status && status != 0 && status != 1)
        return rerr (r, "%s.status: %" PRId64 " is neither 0 (up) nor 1 (down)", mloc, status);
    spec.status = status ? FLURM_STATUS_DOWN : FLURM_STATUS_UP;

    /* Fluxion's defaults: uniq_id from the outer id, id from uniq_id or
     * (nodes) from the numeric suffix of the name. */
    if (!has_uniq && !parse_int64 (outer, &uniq))
        return rerr (r,
                     "%s: no metadata.uniq_id, and the outer id %s is not "
                     "a number that fits 64 bits to take it from",
                     loc, FLURM_QUOTED (outer));
    if (!has_id) {
        id = uniq;
        /* names.h's split, as R and topo do it; a number too large to
         * be an id is part of the name, and the id stays uniq_id */
        size_t baselen;
        uint32_t suffix;
        int ndigits;
        if (strcmp (spec.type, "node") == 0 && spec.name &&
            flurm_name_split_id (spec.name, strlen (spec.name), &baselen, &suffix, &ndigits))
            id = suffix;
    }
    spec.id = id;
    spec.uniq_id = uniq;
    prev = idmap_get (&r->by_uniq, uniq);
    if (prev != NONE)
        return rerr (r,
                     "%s%s: %" PRId64 " is also the uniq_id of graph.nodes[%u] "
                     "(%s)",
                     has_uniq ? mloc : loc, has_uniq ? ".uniq_id" : ".id", uniq, prev,
                     r->b_path[r->j_builder[prev]]);

    /* properties: an object of strings (or null) */
    const char *kstack[16], *vstack[16];
    const char **keys = kstack, **vals = vstack;
    const struct jv *props = f[F_PROPS];
    if (props && props->kind != JV_NULL) {
        if (props->kind != JV_OBJECT)
            return type_error (r, mloc, "properties", "an object", props);
        if (props->n > G_N_ELEMENTS (kstack)) {
            keys = g_new (const char *, props->n);
            vals = g_new (const char *, props->n);
        }
        bool *shadowed = last_of_each_key (props);
        for (uint32_t k = 0; k < props->n; k++) {
            const char *key = props->u.items[2 * k].u.s;
            const struct jv *pv = &props->u.items[2 * k + 1];
            if (shadowed[k])
                continue;
            if (pv->kind != JV_STRING) {
                char ploc[128];
                snprintf (ploc, sizeof (ploc), "%s.properties", mloc);
                type_error (r, ploc, key, "a string", pv);
                g_free (shadowed);
                goto fail_props;
            }
            keys[spec.nprops] = key;
            vals[spec.nprops] = pv->u.s;
            spec.nprops++;
        }
        g_free (shadowed);
        spec.prop_keys = keys;
        spec.prop_values = vals;
    }

    flurm_error_t e;
    int64_t bi = flurm_graph_builder_add_vertex (r->b, &spec, &e);
    if (bi < 0) {
        rerr (r, "%s: %s", loc, e.text);
        goto fail_props;
    }
    if (keys != kstack) {
        g_free (keys);
        g_free (vals);
    }
    grow_b (r);
    r->b_json[r->nb] = (uint32_t)i;
    r->b_parent[r->nb] = NONE;
    r->b_edge[r->nb] = NONE;
    r->b_path[r->nb] = g_string_chunk_insert (r->strings, cpath);
    r->b_named[r->nb] = spec.name != NULL;
    r->j_builder[r->nj - 1] = (uint32_t)r->nb;
    r->nb++;
    idmap_put (&r->by_uniq, uniq, (uint32_t)i);
    return 0;
fail_props:
    if (keys != kstack) {
        g_free (keys);
        g_free (vals);
    }
    return -1;
}

/* The json index of the vertex whose outer id is `id`. */
static int find_vertex (struct reader *r, const char *loc, const char *key, const char *id,
                        size_t *out)
{
    uint32_t j = lookup_id (r, id);
    if (j == NONE)
        return rerr (r, "%s.%s: %s is not the id of any vertex", loc, key, FLURM_QUOTED (id));
    *out = j;
    return 0;
}

static int read_edge (struct reader *r, const struct jv *el, size_t i)
{
    char loc[64];
    make_loc (loc, "graph.edges", i);
    if (el->kind != JV_OBJECT)
        return type_error (r, loc, NULL, "an object", el);
    const struct jv *sv = jv_get (el, "source");
    const struct jv *tv = jv_get (el, "target");
    if (!sv)
        return rerr (r, "%s: missing \"source\"", loc);
    if (sv->kind != JV_STRING)
        return type_error (r, loc, "source", "a string", sv);
    if (!tv)
        return rerr (r, "%s: missing \"target\"", loc);
    if (tv->kind != JV_STRING)
        return type_error (r, loc, "target", "a string", tv);
    const char *src = sv->u.s, *tgt = tv->u.s;

    /* The subsystem: metadata.subsystem (>= v0.38), else the keys of the
     * old metadata.name map, else containment. */
    bool containment = true;
    const struct jv *md = jv_get (el, "metadata");
    if (md && md->kind != JV_NULL) {
        if (md->kind != JV_OBJECT)
            return type_error (r, loc, "metadata", "an object", md);
        const struct jv *sub = jv_get (md, "subsystem");
        const struct jv *name = jv_get (md, "name");
        if (sub && sub->kind != JV_NULL) {
            if (sub->kind != JV_STRING) {
                char mloc[80];
                snprintf (mloc, sizeof (mloc), "%s.metadata", loc);
                return type_error (r, mloc, "subsystem", "a string", sub);
            }
            containment = strcmp (sub->u.s, "containment") == 0;
        } else if (name && name->kind == JV_OBJECT && name->n > 0) {
            containment = jv_get (name, "containment") != NULL;
        }
    }

    size_t js = 0, jt = 0;
    if (find_vertex (r, loc, "source", src, &js) < 0 ||
        find_vertex (r, loc, "target", tgt, &jt) < 0)
        return -1;
    if (!containment)
        return 0; /* another subsystem: not modelled */
    /* said first: the parent checks below would call it a second parent */
    if (js == jt)
        return rerr (r, "%s: vertex %s (graph.nodes[%zu]) cannot contain itself", loc,
                     FLURM_QUOTED (src), js);
    uint32_t bs = r->j_builder[js], bt = r->j_builder[jt];
    if (bs == NONE)
        return rerr (r,
                     "%s.source: vertex %s (graph.nodes[%zu]) has no "
                     "containment path, so it cannot be in a containment edge",
                     loc, FLURM_QUOTED (src), js);
    if (bt == NONE)
        return rerr (r,
                     "%s.target: vertex %s (graph.nodes[%zu]) has no "
                     "containment path, so it cannot be in a containment edge",
                     loc, FLURM_QUOTED (tgt), jt);
    if (r->b_parent[bt] != NONE) {
        uint32_t p = r->b_parent[bt];
        return rerr (r,
                     "%s.target: vertex \"%s\" (%s) already has a containment "
                     "parent, \"%s\" (%s), from graph.edges[%u]; a second "
                     "parent \"%s\" (%s) is not allowed",
                     loc, tgt, r->b_path[bt], r->j_id[r->b_json[p]], r->b_path[p], r->b_edge[bt],
                     src, r->b_path[bs]);
    }
    flurm_error_t e;
    if (flurm_graph_builder_add_edge (r->b, bs, bt, &e) < 0)
        return rerr (r, "%s: %s", loc, e.text);
    r->b_parent[bt] = bs;
    r->b_edge[bt] = (uint32_t)i;
    return 0;
}

static size_t count_slashes (const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* Report the containment cycle that builder vertex `u` is on. */
static int cycle_error (struct reader *r, uint32_t u)
{
    char msg[FLURM_ERROR_MAX];
    size_t pos = 0;
    /* list parent -> child: collect child -> parent first */
    enum { MAXSHOW = 6 };
    uint32_t cyc[MAXSHOW];
    size_t len = 0;
    uint32_t w = u;
    bool more = false;
    do {
        if (len == MAXSHOW) {
            more = true;
            break;
        }
        cyc[len++] = w;
        w = r->b_parent[w];
    } while (w != u);
    msg[0] = '\0';
    for (size_t k = len; k-- > 0 && pos < sizeof (msg);)
        pos += (size_t)snprintf (msg + pos, sizeof (msg) - pos, "\"%s\" (%s) -> ",
                                 r->j_id[r->b_json[cyc[k]]], r->b_path[cyc[k]]);
    if (pos < sizeof (msg))
        snprintf (msg + pos, sizeof (msg) - pos, more ? "..." : "\"%s\"",
                  r->j_id[r->b_json[cyc[len - 1]]]);
    return rerr (r, "graph.edges[%u]: containment cycle: %s", r->b_edge[u], msg);
}

static struct flurm_graph *reader_finish (struct reader *r)
{
    struct flurm_graph *g = NULL;
    uint8_t *state = NULL;
    uint32_t *b_of_vid = NULL;

    if (r->nj == 0) {
        rerr (r, "graph.nodes: no vertices");
        goto out;
    }
    if (r->nb == 0) {
        rerr (r, "graph.nodes: no vertex has a containment path "
                 "(metadata.paths.containment)");
        goto out;
    }
    /* one root, with a root path */
    uint32_t root = NONE;
    for (uint32_t k = 0; k < r->nb; k++) {
        if (r->b_parent[k] != NONE)
            continue;
        const char *p = r->b_path[k];
        uint32_t j = r->b_json[k];
        if (count_slashes (p) != 1) {
            rerr (r,
                  "graph.nodes[%u]: vertex \"%s\" (%s) has no containment "
                  "parent: no containment edge targets it",
                  j, r->j_id[j], p);
            goto out;
        }
        if (root != NONE) {
            uint32_t j0 = r->b_json[root];
            rerr (r,
                  "graph.nodes[%u]: vertex \"%s\" (%s) is a second root; "
                  "graph.nodes[%u] (%s) is already the root, and Flurm models "
                  "a single containment tree",
                  j, r->j_id[j], p, j0, r->b_path[root]);
            goto out;
        }
        root = k;
    }
    /* no cycle: following parents from anywhere reaches the root */
    state = g_new0 (uint8_t, r->nb); /* 0 new, 1 on the current walk, 2 ok */
    for (uint32_t k = 0; k < r->nb; k++) {
        uint32_t u = k;
        while (u != NONE && state[u] == 0) {
            state[u] = 1;
            u = r->b_parent[u];
        }
        if (u != NONE && state[u] == 1) {
            cycle_error (r, u);
            goto out;
        }
        for (u = k; u != NONE && state[u] == 1; u = r->b_parent[u])
            state[u] = 2;
    }
    g_free (state);
    state = NULL;

    flurm_error_t e;
    struct flurm_graph_builder *b = r->b;
    r->b = NULL;
    g = flurm_graph_builder_finish (b, &e);
    if (!g) {
        rerr (r, "graph: %s", e.text);
        goto out;
    }

    /* every containment path must be the path of the vertex in the tree */
    b_of_vid = g_new (uint32_t, r->nb);
    for (uint32_t k = 0; k < r->nb; k++)
        b_of_vid[flurm_graph_from_builder_index (g, k)] = k;
    char nb[FLURM_NAME_MAX];
    for (uint32_t j = 0; j < r->nj; j++) {
        uint32_t k = r->j_builder[j];
        if (k == NONE)
            continue;
        flurm_vid v = flurm_graph_from_builder_index (g, k);
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        const char *name = flurm_graph_name (g, v, nb);
        const char *path = r->b_path[k];
        const char *ppath = x->parent == FLURM_VID_NONE ? "" : r->b_path[b_of_vid[x->parent]];
        size_t pl = strlen (ppath);
        /* The last component must be the name, unless the JGF gave no
         * name: then Fluxion names the vertex basename+id whatever its path
         * says (its own test graphs have "/mini/chassis0/ssd0" for the
         * vertex it names ssd2), and so does Flurm. */
        if (strncmp (path, ppath, pl) == 0 && path[pl] == '/' &&
            (strcmp (path + pl + 1, name) == 0 ||
             (!r->b_named[k] && path[pl + 1] && !strchr (path + pl + 1, '/'))))
            continue;
        if (x->parent == FLURM_VID_NONE)
            rerr (r,
                  "graph.nodes[%u].metadata.paths.containment: \"%s\" "
                  "disagrees with the tree: the root is named \"%s\", so its "
                  "path is \"/%s\"",
                  j, path, name, name);
        else
            rerr (r,
                  "graph.nodes[%u].metadata.paths.containment: \"%s\" "
                  "disagrees with the tree: the vertex is \"%s\" below \"%s\" "
                  "(%s, graph.edges[%u]), so its path is \"%s/%s\"",
                  j, path, name, r->j_id[r->b_json[b_of_vid[x->parent]]], ppath, r->b_edge[k],
                  ppath, name);
        flurm_graph_destroy (g);
        g = NULL;
        goto out;
    }
out:
    g_free (state);
    g_free (b_of_vid);
    return g;
}

static int missing_graph (struct reader *r, bool looks_like_r)
{
    if (looks_like_r)
        return rerr (r, "graph: missing: this is an R object (version/execution/"
                        "scheduling), not a JGF; its JGF, if any, is under "
                        "\"scheduling\": load it as an R");
    return rerr (r, "graph: missing (a JGF is {\"graph\": {\"nodes\": [...], "
                    "\"edges\": [...]}})");
}

/* ---- front end 1: a parsed tree ---------------------------------------- */

static int json_type_error (struct reader *r, const char *loc, const char *want, const json_t *got)
{
    struct arena a = {0};
    struct jv v;
    jv_from_json (&a, got, &v);
    int rc = type_error (r, loc, NULL, want, &v);
    arena_free (&a);
    return rc;
}

struct flurm_graph *flurm_jgf_load_json (const json_t *jgf, const char *source, flurm_error_t *err)
{
    struct reader r;
    struct arena a = {0};
    struct flurm_graph *g = NULL;
    json_t *graph, *nodes, *edges;
    reader_init (&r, source, err, 0);
    if (!json_is_object (jgf)) {
        json_type_error (&r, "top level", "an object", jgf);
        goto out;
    }
    graph = json_object_get (jgf, "graph");
    if (!graph) {
        missing_graph (&r,
                       json_object_get (jgf, "execution") || json_object_get (jgf, "scheduling"));
        goto out;
    }
    if (!json_is_object (graph)) {
        json_type_error (&r, "graph", "an object", graph);
        goto out;
    }
    nodes = json_object_get (graph, "nodes");
    edges = json_object_get (graph, "edges");
    if (!nodes) {
        rerr (&r, "graph.nodes: missing");
        goto out;
    }
    if (!json_is_array (nodes)) {
        json_type_error (&r, "graph.nodes", "an array", nodes);
        goto out;
    }
    if (!edges) {
        rerr (&r, "graph.edges: missing");
        goto out;
    }
    if (!json_is_array (edges)) {
        json_type_error (&r, "graph.edges", "an array", edges);
        goto out;
    }
    for (size_t i = 0; i < json_array_size (nodes); i++) {
        struct jv el;
        jv_from_json (&a, json_array_get (nodes, i), &el);
        int rc = read_vertex (&r, &el, i);
        arena_reset (&a);
        if (rc < 0)
            goto out;
    }
    for (size_t i = 0; i < json_array_size (edges); i++) {
        struct jv el;
        jv_from_json (&a, json_array_get (edges, i), &el);
        int rc = read_edge (&r, &el, i);
        arena_reset (&a);
        if (rc < 0)
            goto out;
    }
    g = reader_finish (&r);
out:
    arena_free (&a);
    reader_free (&r);
    return g;
}

/* ---- front end 2: a buffer, element by element ------------------------- */

struct scan {
    struct jparser p;
    struct reader *r;
};

static void line_col (const struct scan *s, size_t off, int *line, int *col)
{
    int l = 1;
    size_t bol = 0;
    for (size_t k = 0; k < off && k < s->p.len; k++)
        if (s->p.buf[k] == '\n') {
            l++;
            bol = k + 1;
        }
    *line = l;
    *col = (int)(off - bol) + 1;
}

static int syntax_error (struct scan *s, size_t off, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
static int syntax_error (struct scan *s, size_t off, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    int line, col;
    line_col (s, off, &line, &col);
    return flurm_error_at (s->r->err, s->r->source, line, col, "%s", msg);
}

/* Parse one value at the current position (into the arena). */
static int scan_value (struct scan *s, struct jv *out)
{
    if (jp_value (&s->p, out, 0) < 0)
        return syntax_error (s, s->p.err_off, "%s", s->p.err);
    return 0;
}

static int peek (struct scan *s)
{
    jp_ws (&s->p);
    return s->p.pos < s->p.len ? (unsigned char)s->p.buf[s->p.pos] : -1;
}

/* An object key and its ':'; returns the key (valid until the arena is
 * reset) or NULL. */
static const char *scan_key (struct scan *s)
{
    struct jv k;
    if (peek (s) != '"') {
        syntax_error (s, s->p.pos, "expected a string (an object key)");
        return NULL;
    }
    if (jp_string (&s->p, &k) < 0) {
        syntax_error (s, s->p.err_off, "%s", s->p.err);
        return NULL;
    }
    if (peek (s) != ':') {
        syntax_error (s, s->p.pos, "expected ':' after a key");
        return NULL;
    }
    s->p.pos++;
    return k.u.s;
}

/* After a member: ',' (returns 1, more follow) or the closing c (0). */
static int member_end (struct scan *s, char close)
{
    int c = peek (s);
    if (c == ',') {
        s->p.pos++;
        return 1;
    }
    if (c == close) {
        s->p.pos++;
        return 0;
    }
    return syntax_error (s, s->p.pos, "expected ',' or '%c'", close);
}

/* Skip an array without building it (only brackets, their kinds and
 * nesting, and strings are checked; its elements are parsed properly
 * later). */
static int skip_raw (struct scan *s)
{
    const char *b = s->p.buf;
    size_t start = s->p.pos, i = start, n = s->p.len;
    char open[JP_MAX_DEPTH]; /* the closer each open bracket expects */
    int depth = 0;
    while (i < n) {
        size_t at = i;
        char c = b[i++];
        if (c == '"') {
            while (i < n && b[i] != '"')
                i += b[i] == '\\' ? 2 : 1;
            if (i >= n)
                break;
            i++;
        } else if (c == '[' || c == '{') {
            if (depth == JP_MAX_DEPTH)
                return syntax_error (s, at, "nested deeper than %d levels", JP_MAX_DEPTH);
            open[depth++] = c == '[' ? ']' : '}';
        } else if (c == ']' || c == '}') {
            if (open[--depth] != c)
                return syntax_error (s, at, "'%c' where '%c' closes the open bracket", c,
                                     open[depth]);
            if (depth == 0) {
                s->p.pos = i;
                return 0;
            }
        }
    }
    return syntax_error (s, start, "unterminated array");
}

/* A value that is not what it should be: describe it. */
static int wrong_type (struct scan *s, const char *loc, const char *want)
{
    struct jv v;
    if (scan_value (s, &v) < 0)
        return -1;
    return type_error (s->r, loc, NULL, want, &v);
}

static int skip_value (struct scan *s)
{
    struct jv v;
    int rc = scan_value (s, &v);
    arena_reset (&s->p.arena);
    return rc;
}

static int scan_elements (struct scan *s, bool vertices)
{
    const char *loc = vertices ? "graph.nodes" : "graph.edges";
    if (peek (s) != '[')
        return wrong_type (s, loc, "an array");
    s->p.pos++;
    if (peek (s) == ']') {
        s->p.pos++;
        return 0;
    }
    for (size_t i = 0;; i++) {
        struct jv el;
        if (scan_value (s, &el) < 0)
            return -1;
        int rc = vertices ? read_vertex (s->r, &el, i) : read_edge (s->r, &el, i);
        arena_reset (&s->p.arena);
        if (rc < 0)
            return -1;
        rc = member_end (s, ']');
        if (rc <= 0)
            return rc;
    }
}

static int scan_graph (struct scan *s)
{
    if (peek (s) != '{')
        return wrong_type (s, "graph", "an object");
    s->p.pos++;
    bool seen_nodes = false, seen_edges = false;
    size_t edges_at = SIZE_MAX; /* edges given before nodes */
    if (peek (s) == '}')
        s->p.pos++;
    else
        for (;;) {
            peek (s);
            size_t at = s->p.pos;
            const char *key = scan_key (s);
            if (!key)
                return -1;
            int rc = 0;
            if (strcmp (key, "nodes") == 0) {
                arena_reset (&s->p.arena);
                if (seen_nodes)
                    rc = syntax_error (s, at, "graph.nodes given twice");
                else
                    rc = scan_elements (s, true);
                seen_nodes = true;
            } else if (strcmp (key, "edges") == 0) {
                arena_reset (&s->p.arena);
                if (seen_edges)
                    rc = syntax_error (s, at, "graph.edges given twice");
                else if (seen_nodes)
                    rc = scan_elements (s, false);
                else if (peek (s) != '[')
                    rc = wrong_type (s, "graph.edges", "an array");
                else {
                    edges_at = s->p.pos;
                    rc = skip_raw (s);
                }
                seen_edges = true;
            } else {
                rc = skip_value (s);
            }
            if (rc < 0)
                return -1;
            rc = member_end (s, '}');
            if (rc < 0)
                return -1;
            if (rc == 0)
                break;
        }
    if (!seen_nodes)
        return rerr (s->r, "graph.nodes: missing");
    if (!seen_edges)
        return rerr (s->r, "graph.edges: missing");
    if (edges_at != SIZE_MAX) {
        size_t resume = s->p.pos;
        s->p.pos = edges_at;
        if (scan_elements (s, false) < 0)
            return -1;
        s->p.pos = resume;
    }
    return 0;
}

struct flurm_graph *flurm_jgf_load_buffer (const char *data, size_t len, const char *source,
                                           flurm_error_t *err)
{
    struct reader r;
    struct flurm_graph *g = NULL;
    /* compact JGF takes ~300 bytes per vertex and its edge */
    size_t hint = len / 400;
    if (hint > (1u << 22))
        hint = 1u << 22;
    reader_init (&r, source, err, hint);
    struct scan s = {.p = {.buf = data ? data : "", .len = data ? len : 0}, .r = &r};
    bool seen_graph = false, looks_like_r = false;

    if (peek (&s) != '{') {
        if (peek (&s) < 0)
            syntax_error (&s, s.p.pos, "empty input: expected a JGF object");
        else
            wrong_type (&s, "top level", "an object");
        goto out;
    }
    s.p.pos++;
    if (peek (&s) == '}')
        s.p.pos++;
    else
        for (;;) {
            peek (&s);
            size_t at = s.p.pos;
            const char *key = scan_key (&s);
            if (!key)
                goto out;
            int rc;
            if (strcmp (key, "graph") == 0) {
                arena_reset (&s.p.arena);
                if (seen_graph)
                    rc = syntax_error (&s, at, "\"graph\" given twice");
                else
                    rc = scan_graph (&s);
                seen_graph = true;
            } else {
                if (strcmp (key, "execution") == 0 || strcmp (key, "scheduling") == 0)
                    looks_like_r = true;
                rc = skip_value (&s);
            }
            if (rc < 0)
                goto out;
            rc = member_end (&s, '}');
            if (rc < 0)
                goto out;
            if (rc == 0)
                break;
        }
    if (peek (&s) >= 0) {
        syntax_error (&s, s.p.pos, "end of file expected after the JSON object");
        goto out;
    }
    if (!seen_graph) {
        missing_graph (&r, looks_like_r);
        goto out;
    }
    g = reader_finish (&r);
out:
    arena_free (&s.p.arena);
    g_free (s.p.stack);
    reader_free (&r);
    return g;
}

struct flurm_graph *flurm_jgf_load_file (const char *path, flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (path, FLURM_JGF_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    struct flurm_graph *g = flurm_jgf_load_buffer (data, len, path, err);
    g_free (data);
    return g;
}

/* ---- writing ------------------------------------------------------------ */

/* Vertices in depth-first order (children in their order); returns n. */
static flurm_vid *dfs_order (const struct flurm_graph *g)
{
    size_t n = flurm_graph_size (g);
    flurm_vid *out = g_new (flurm_vid, n);
    flurm_vid *stack = g_new (flurm_vid, n);
    size_t sp = 0, k = 0;
    stack[sp++] = 0;
    while (sp > 0) {
        flurm_vid u = stack[--sp];
        out[k++] = u;
        const struct flurm_vertex *x = flurm_graph_vertex (g, u);
        for (uint32_t c = x->nchildren; c-- > 0;)
            stack[sp++] = x->first_child + c;
    }
    g_free (stack);
    return out;
}

static json_t *vertex_json (const struct flurm_graph *g, flurm_vid v, const char *path)
{
    const struct flurm_vertex *x = flurm_graph_vertex (g, v);
    char nb[FLURM_NAME_MAX], idb[32];
    snprintf (idb, sizeof (idb), "%" PRId64, x->uniq_id);
    json_t *md = json_object ();
    json_object_set_new (md, "type", json_string (flurm_graph_atom_str (g, x->type)));
    json_object_set_new (md, "basename", json_string (flurm_graph_atom_str (g, x->basename)));
    json_object_set_new (md, "name", json_string (flurm_graph_name (g, v, nb)));
    json_object_set_new (md, "id", json_integer (x->id));
    json_object_set_new (md, "uniq_id", json_integer (x->uniq_id));
    json_object_set_new (md, "rank", json_integer (x->rank));
    json_object_set_new (md, "exclusive", json_boolean (x->exclusive));
    json_object_set_new (md, "unit", json_string (flurm_graph_atom_str (g, x->unit)));
    json_object_set_new (md, "size", json_integer (x->size));
    if (x->status != FLURM_STATUS_UP)
        json_object_set_new (md, "status", json_integer (x->status));
    size_t np = flurm_graph_nproperties (g, v);
    if (np > 0) {
        json_t *props = json_object ();
        for (size_t i = 0; i < np; i++) {
            const char *k, *val;
            flurm_graph_property_at (g, v, i, &k, &val);
            json_object_set_new (props, k, json_string (val));
        }
        json_object_set_new (md, "properties", props);
    }
    json_object_set_new (md, "paths", json_pack ("{s:s}", "containment", path));
    return json_pack ("{s:s s:o}", "id", idb, "metadata", md);
}

static json_t *edge_json (const struct flurm_graph *g, flurm_vid child)
{
    const struct flurm_vertex *x = flurm_graph_vertex (g, child);
    const struct flurm_vertex *p = flurm_graph_vertex (g, x->parent);
    char sb[32], tb[32];
    snprintf (sb, sizeof (sb), "%" PRId64, p->uniq_id);
    snprintf (tb, sizeof (tb), "%" PRId64, x->uniq_id);
    return json_pack ("{s:s s:s s:{s:s s:{s:s}}}", "source", sb, "target", tb, "metadata",
                      "subsystem", "containment", "name", "containment", "contains");
}

/* The path of v in a buffer that grows as needed. */
static const char *path_of (const struct flurm_graph *g, flurm_vid v, char **buf, size_t *size)
{
    while (flurm_graph_path (g, v, *buf, *size) < 0) {
        *size *= 2;
        *buf = g_realloc (*buf, *size);
    }
    return *buf;
}

json_t *flurm_jgf_to_json (const struct flurm_graph *g)
{
    size_t n = flurm_graph_size (g);
    flurm_vid *order = dfs_order (g);
    size_t psize = 1024;
    char *pbuf = g_malloc (psize);
    json_t *nodes = json_array ();
    json_t *edges = json_array ();
    for (size_t i = 0; i < n; i++)
        json_array_append_new (nodes,
                               vertex_json (g, order[i], path_of (g, order[i], &pbuf, &psize)));
    for (size_t i = 1; i < n; i++)
        json_array_append_new (edges, edge_json (g, order[i]));
    g_free (pbuf);
    g_free (order);
    return json_pack ("{s:{s:o s:o}}", "graph", "nodes", nodes, "edges", edges);
}

static int put_element (json_t *el, FILE *out, bool comma)
{
    char *s = json_dumps (el, 0); /* no indent: one line */
    json_decref (el);
    if (!s)
        return -1;
    int rc = fputs (s, out) < 0 || fputs (comma ? ",\n" : "\n", out) < 0 ? -1 : 0;
    free (s);
    return rc;
}

int flurm_jgf_write (const struct flurm_graph *g, FILE *out, flurm_error_t *err)
{
    size_t n = flurm_graph_size (g);
    flurm_vid *order = dfs_order (g);
    size_t psize = 1024;
    char *pbuf = g_malloc (psize);
    int rc = 0;
    if (fputs ("{\"graph\": {\n\"nodes\": [\n", out) < 0)
        rc = -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_element (vertex_json (g, order[i], path_of (g, order[i], &pbuf, &psize)), out,
                          i + 1 < n);
    if (rc == 0 && fputs ("],\n\"edges\": [\n", out) < 0)
        rc = -1;
    for (size_t i = 1; i < n && rc == 0; i++)
        rc = put_element (edge_json (g, order[i]), out, i + 1 < n);
    if (rc == 0 && fputs ("]}}\n", out) < 0)
        rc = -1;
    g_free (pbuf);
    g_free (order);
    if (rc < 0 || ferror (out))
        return flurm_error_set (err, "writing JGF: %s", strerror (errno));
    return 0;
}
