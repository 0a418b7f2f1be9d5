/* sim/doc.c — YAML/JSON documents as position-carrying trees (see doc.h).
 *
 * The tree is built from libyaml's event stream, not its document API: the
 * event API lets us refuse aliases, over-deep nesting, duplicate keys and
 * non-scalar keys at the point where they occur, with that point's
 * position, before anything proportional to them is allocated.
 *
 * Invariants of a finished tree:
 *  - every node is owned by exactly one parent (no sharing: aliases are
 *    refused), the root by the struct flurm_doc;
 *  - a mapping holds 2*n items, keys at even indices, and every key is a
 *    scalar whose text differs from every other key of that mapping;
 *  - nesting depth (collections) <= FLURM_DOC_MAX_DEPTH;
 *  - scalar text never contains a NUL byte, so it is a C string;
 *  - line/col are 1-based, or both 0 for a tree built from jansson.
 * Everything is allocated with glib and freed by flurm_doc_destroy.
 */
#include "sim/doc.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <yaml.h>

/* A mapping's duplicate-key check switches from a linear scan to a hash
 * table at this many keys: real mappings are small, but a hostile one with
 * a million keys must not cost n^2 comparisons. */
#define DUPCHECK_HASH_MIN 8

/* ---- nodes ------------------------------------------------------------- */

static struct flurm_doc_node *node_new (enum flurm_doc_kind kind, int line, int col)
{
    struct flurm_doc_node *n = g_new0 (struct flurm_doc_node, 1);
    n->kind = kind;
    n->line = line;
    n->col = col;
    return n;
}

static void node_free (struct flurm_doc_node *n)
{
    if (!n)
        return;
    size_t nitems = n->kind == FLURM_DOC_MAPPING ? 2 * n->n : n->n;
    for (size_t i = 0; i < nitems; i++)
        node_free (n->items[i]);
    g_free (n->items);
    g_free (n->text);
    g_free (n);
}

static struct flurm_doc *doc_new (const char *source, struct flurm_doc_node *root)
{
    struct flurm_doc *doc = g_new0 (struct flurm_doc, 1);
    doc->source = g_strdup (source);
    doc->root = root;
    return doc;
}

void flurm_doc_destroy (struct flurm_doc *doc)
{
    if (!doc)
        return;
    node_free (doc->root);
    g_free (doc->source);
    g_free (doc);
}

/* ---- building: collections under construction ---------------------------- */

/* One open collection.  Children accumulate in `items` and move into the
 * node when the collection closes, so an error half-way frees them through
 * the frame, never twice. */
struct frame {
    struct flurm_doc_node *node;
    GPtrArray *items;
    GHashTable *keys; /* key text -> key node, once a mapping is large */
};

struct builder {
    const char *source;
    flurm_error_t *err;
    struct frame stack[FLURM_DOC_MAX_DEPTH];
    int depth;
    struct flurm_doc_node *root;
};

static void builder_clear (struct builder *b)
{
    for (int i = 0; i < b->depth; i++) {
        struct frame *f = &b->stack[i];
        for (guint j = 0; j < f->items->len; j++)
            node_free (g_ptr_array_index (f->items, j));
        g_ptr_array_free (f->items, TRUE);
        if (f->keys)
            g_hash_table_destroy (f->keys);
        node_free (f->node);
    }
    b->depth = 0;
    node_free (b->root);
    b->root = NULL;
}

static int key_check (struct builder *b, struct frame *f, struct flurm_doc_node *key)
{
    if (key->kind != FLURM_DOC_SCALAR)
        return flurm_error_at (b->err, b->source, key->line, key->col,
                               "mapping keys must be scalars, not %s",
                               key->kind == FLURM_DOC_MAPPING ? "mappings" : "lists");
    const struct flurm_doc_node *prev = NULL;
    if (f->keys) {
        prev = g_hash_table_lookup (f->keys, key->text);
    } else {
        for (guint i = 0; i < f->items->len && !prev; i += 2) {
            const struct flurm_doc_node *k = g_ptr_array_index (f->items, i);
            if (strcmp (k->text, key->text) == 0)
                prev = k;
        }
    }
    if (prev) {
        if (prev->line > 0)
            return flurm_error_at (b->err, b->source, key->line, key->col,
                                   "duplicate key '%s' (first at line %d, column %d)",
                                   FLURM_ESCAPED (key->text), prev->line, prev->col);
        return flurm_error_at (b->err, b->source, key->line, key->col, "duplicate key '%s'",
                               FLURM_ESCAPED (key->text));
    }
    guint nkeys = f->items->len / 2 + 1;
    if (!f->keys && nkeys >= DUPCHECK_HASH_MIN) {
        f->keys = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; i < f->items->len; i += 2) {
            struct flurm_doc_node *k = g_ptr_array_index (f->items, i);
            g_hash_table_insert (f->keys, k->text, k);
        }
    }
    if (f->keys)
        g_hash_table_insert (f->keys, key->text, key);
    return 0;
}

/* Attach a finished node to the open collection, or make it the root.
 * Takes ownership of n in every case. */
static int builder_add (struct builder *b, struct flurm_doc_node *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == FLURM_DOC_MAPPING && f->items->len % 2 == 0 && key_check (b, f, n) < 0) {
        node_free (n);
        return -1;
    }
    g_ptr_array_add (f->items, n);
    return 0;
}

static int builder_open (struct builder *b, struct flurm_doc_node *n)
{
    if (b->depth >= FLURM_DOC_MAX_DEPTH) {
        flurm_error_at (b->err, b->source, n->line, n->col, "nesting deeper than %d levels",
                        FLURM_DOC_MAX_DEPTH);
        node_free (n);
        return -1;
    }
    struct frame *f = &b->stack[b->depth++];
    f->node = n;
    f->items = g_ptr_array_new ();
    f->keys = NULL;
    return 0;
}

static int builder_close (struct builder *b)
{
    struct frame *f = &b->stack[--b->depth];
    struct flurm_doc_node *n = f->node;
    guint len = f->items->len;
    n->n = n->kind == FLURM_DOC_MAPPING ? len / 2 : len;
    n->items = (struct flurm_doc_node **)g_ptr_array_free (f->items, FALSE);
    if (f->keys)
        g_hash_table_destroy (f->keys);
    return builder_add (b, n);
}

/* ---- building: from libyaml -------------------------------------------- */

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* Tags are accepted only where they change nothing or force a string;
 * anything else (!!binary, !!set, application tags) would need a meaning
 * we do not give it. */
static int check_tag (struct builder *b, const yaml_char_t *tag, const char *allowed,
                      const yaml_mark_t *mark, bool *force_string)
{
    if (!tag)
        return 0;
    const char *t = (const char *)tag;
    if (strcmp (t, "!") == 0 || strcmp (t, YAML_TAG_PREFIX "str") == 0) {
        if (force_string) {
            *force_string = true;
            return 0;
        }
    } else if (strncmp (t, YAML_TAG_PREFIX, strlen (YAML_TAG_PREFIX)) == 0 &&
               strcmp (t + strlen (YAML_TAG_PREFIX), allowed) == 0) {
        return 0;
    }
    return flurm_error_at (b->err, b->source, (int)mark->line + 1, (int)mark->column + 1,
                           "unsupported tag '%s'", FLURM_ESCAPED (t));
}

static int check_anchor (struct builder *b, const yaml_char_t *anchor, const yaml_mark_t *mark)
{
    if (!anchor)
        return 0;
    return flurm_error_at (b->err, b->source, (int)mark->line + 1, (int)mark->column + 1,
                           "anchors (&%s) and aliases are not supported", (const char *)anchor);
}

static int on_scalar (struct builder *b, const yaml_event_t *ev)
{
    const yaml_mark_t *mark = &ev->start_mark;
    bool quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (check_anchor (b, ev->data.scalar.anchor, mark) < 0 ||
        check_tag (b, ev->data.scalar.tag, "", mark, &quoted) < 0)
        return -1;
    const char *value = (const char *)ev->data.scalar.value;
    size_t length = ev->data.scalar.length;
    if (memchr (value, '\0', length))
        return flurm_error_at (b->err, b->source, (int)mark->line + 1, (int)mark->column + 1,
                               "strings must not contain a NUL character");
    struct flurm_doc_node *n =
        node_new (FLURM_DOC_SCALAR, (int)mark->line + 1, (int)mark->column + 1);
    n->text = g_strndup (value, length);
    n->quoted = quoted;
    return builder_add (b, n);
}

static int on_collection_start (struct builder *b, const yaml_event_t *ev)
{
    const yaml_mark_t *mark = &ev->start_mark;
    bool mapping = ev->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *anchor =
        mapping ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    const yaml_char_t *tag = mapping ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    if (check_anchor (b, anchor, mark) < 0 ||
        check_tag (b, tag, mapping ? "map" : "seq", mark, NULL) < 0)
        return -1;
    return builder_open (b, node_new (mapping ? FLURM_DOC_MAPPING : FLURM_DOC_SEQUENCE,
                                      (int)mark->line + 1, (int)mark->column + 1));
}

/* Line and column of byte `offset`, for reader errors (bad UTF-8), which
 * libyaml reports as an offset only. */
static void offset_position (const char *data, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int syntax_error (struct builder *b, const yaml_parser_t *p, const char *data)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        offset_position (data, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            return flurm_error_at (b->err, b->source, line, col, "%s (byte 0x%02x)", problem,
                                   (unsigned)p->problem_value & 0xffu);
        return flurm_error_at (b->err, b->source, line, col, "%s", problem);
    }
    int line = (int)p->problem_mark.line + 1;
    int col = (int)p->problem_mark.column + 1;
    if (p->context)
        return flurm_error_at (b->err, b->source, line, col, "%s %s started at line %d, column %d",
                               problem, p->context, (int)p->context_mark.line + 1,
                               (int)p->context_mark.column + 1);
    return flurm_error_at (b->err, b->source, line, col, "%s", problem);
}

enum parse_result { PARSE_OK, PARSE_SYNTAX_ERROR, PARSE_ERROR };

static enum parse_result parse_yaml (struct builder *b, const char *data, size_t len)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    if (!yaml_parser_initialize (&parser)) {
        flurm_error_set (b->err, "%s: out of memory", b->source);
        return PARSE_ERROR;
    }
    yaml_parser_set_input_string (&parser, (const unsigned char *)data, len);
    enum parse_result result = PARSE_OK;
    int ndocuments = 0;
    bool done = false;
    while (!done) {
        if (!yaml_parser_parse (&parser, &ev)) {
            syntax_error (b, &parser, data);
            result = PARSE_SYNTAX_ERROR;
            break;
        }
        int rc = 0;
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++ndocuments > 1)
                rc = flurm_error_at (b->err, b->source, (int)ev.start_mark.line + 1,
                                     (int)ev.start_mark.column + 1,
                                     "a second document: only one document per file is read");
            break;
        case YAML_ALIAS_EVENT:
            rc = flurm_error_at (b->err, b->source, (int)ev.start_mark.line + 1,
                                 (int)ev.start_mark.column + 1, "aliases (*%s) are not supported",
                                 (const char *)ev.data.alias.anchor);
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar (b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            rc = on_collection_start (b, &ev);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = builder_close (b);
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default: /* stream start, document end */
            break;
        }
        yaml_event_delete (&ev);
        if (rc < 0) {
            result = PARSE_ERROR;
            break;
        }
    }
    yaml_parser_delete (&parser);
    if (result == PARSE_OK && !b->root) {
        flurm_error_at (b->err, b->source, 0, 0, "empty document");
        result = PARSE_ERROR;
    }
    return result;
}

/* ---- building: from jansson -------------------------------------------- */

/* Text of a JSON real that reads back as the same double, in the fewest
 * digits, and is typed as a float, not an integer ("2.0", never "2"). */
static char *real_text (double d)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
    snprintf (fmt, sizeof (fmt), "%%.%dg", flurm_json_real_digits (d));
    g_ascii_formatd (buf, sizeof (buf), fmt, d); /* '.' whatever the locale */
    if (!strpbrk (buf, ".eE"))
        g_strlcat (buf, ".0", sizeof (buf));
    return g_strdup (buf);
}

static struct flurm_doc_node *from_json (struct builder *b, const json_t *o, int depth)
{
    struct flurm_doc_node *n;
    switch (json_typeof (o)) {
    case JSON_OBJECT:
    case JSON_ARRAY: {
        if (depth >= FLURM_DOC_MAX_DEPTH) {
            flurm_error_at (b->err, b->source, 0, 0, "nesting deeper than %d levels",
                            FLURM_DOC_MAX_DEPTH);
            return NULL;
        }
        bool object = json_is_object (o);
        size_t count = object ? json_object_size (o) : json_array_size (o);
        n = node_new (object ? FLURM_DOC_MAPPING : FLURM_DOC_SEQUENCE, 0, 0);
        n->items = g_new0 (struct flurm_doc_node *, object ? 2 * count : count);
        if (object) {
            const char *key;
            json_t *value;
            json_object_foreach ((json_t *)o, key, value)
            {
                struct flurm_doc_node *k = node_new (FLURM_DOC_SCALAR, 0, 0);
                k->text = g_strdup (key);
                k->quoted = true;
                n->items[2 * n->n] = k;
                if (!(n->items[2 * n->n + 1] = from_json (b, value, depth + 1))) {
                    n->n++; /* so that node_free frees the key */
                    node_free (n);
                    return NULL;
                }
                n->n++;
            }
        } else {
            for (size_t i = 0; i < count; i++) {
                if (!(n->items[i] = from_json (b, json_array_get (o, i), depth + 1))) {
                    node_free (n);
                    return NULL;
                }
                n->n++;
            }
        }
        return n;
    }
    case JSON_STRING:
        if (strlen (json_string_value (o)) != json_string_length (o)) {
            flurm_error_at (b->err, b->source, 0, 0, "strings must not contain a NUL character");
            return NULL;
        }
        n = node_new (FLURM_DOC_SCALAR, 0, 0);
        n->text = g_strdup (json_string_value (o));
        n->quoted = true;
        return n;
    case JSON_INTEGER:
        n = node_new (FLURM_DOC_SCALAR, 0, 0);
        n->text = g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (o));
        return n;
    case JSON_REAL:
        n = node_new (FLURM_DOC_SCALAR, 0, 0);
        n->text = real_text (json_real_value (o));
        return n;
    case JSON_TRUE:
    case JSON_FALSE:
    case JSON_NULL:
    default:
        n = node_new (FLURM_DOC_SCALAR, 0, 0);
        n->text = g_strdup (json_is_true (o) ? "true" : json_is_false (o) ? "false" : "null");
        return n;
    }
}

struct flurm_doc *flurm_doc_from_json (const json_t *o, const char *source, flurm_error_t *err)
{
    struct builder b = {.source = source, .err = err};
    if (!o) {
        flurm_error_at (err, source, 0, 0, "no JSON value");
        return NULL;
    }
    struct flurm_doc_node *root = from_json (&b, o, 0);
    return root ? doc_new (source, root) : NULL;
}

/* ---- loading ----------------------------------------------------------- */

/* Whether the text is written in JSON rather than YAML's flow style: it
 * opens with '{' or '[' and, outside double-quoted strings, holds only JSON
 * tokens (punctuation, numbers, true, false, null).  A bare word ({version:
 * 1}), a single quote or a '#' comment is YAML, whose own parser then gives
 * the error; broken JSON gets jansson's, each naming the spot in the
 * language the author wrote. */
static bool written_in_json (const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    if (i >= len || (data[i] != '{' && data[i] != '['))
        return false;
    while (i < len) {
        char c = data[i];
        if (c == '"') {
            for (i++; i < len && data[i] != '"'; i++)
                if (data[i] == '\\')
                    i++;
            i++;
        } else if (g_ascii_isalpha (c)) {
            size_t start = i;
            while (i < len && g_ascii_isalnum (data[i]))
                i++;
            size_t n = i - start;
            bool literal = (n == 4 && (memcmp (data + start, "true", 4) == 0 ||
                                       memcmp (data + start, "null", 4) == 0)) ||
                           (n == 5 && memcmp (data + start, "false", 5) == 0);
            /* an exponent, as in 1e5 or 2E-3, follows a digit */
            bool exponent = start > 0 && g_ascii_isdigit (data[start - 1]) &&
                            (data[start] == 'e' || data[start] == 'E') &&
                            (n == 1 || g_ascii_isdigit (data[start + 1]));
            if (!literal && !exponent)
                return false;
        } else if (c == '\'' || c == '#') {
            return false;
        } else
            i++;
    }
    return true;
}

struct flurm_doc *flurm_doc_load_buffer (const char *data, size_t len, const char *source,
                                         flurm_error_t *err)
{
    if (len > FLURM_DOC_MAX_BYTES) {
        flurm_error_at (err, source, 0, 0, "input is larger than %u MiB",
                        FLURM_DOC_MAX_BYTES >> 20);
        return NULL;
    }
    if (!data)
        data = ""; /* an empty buffer may come without storage; libyaml needs some */
    struct builder b = {.source = source, .err = err};
    enum parse_result rc = parse_yaml (&b, data, len);
    if (rc == PARSE_OK) {
        struct flurm_doc *doc = doc_new (source, b.root);
        b.root = NULL;
        return doc;
    }
    builder_clear (&b);
    if (rc != PARSE_SYNTAX_ERROR || !written_in_json (data, len))
        return NULL;
    /* libyaml refuses a few valid JSON texts (e.g. keys longer than the
     * 1024 characters YAML allows an implicit key); for text written in
     * JSON, jansson has the last word and its message is the one that
     * fits. */
    json_t *o = flurm_json_parse (data, len, JSON_REJECT_DUPLICATES, source, NULL, err);
    if (!o)
        return NULL;
    struct flurm_doc *doc = flurm_doc_from_json (o, source, err);
    json_decref (o);
    return doc;
}

struct flurm_doc *flurm_doc_load_file (const char *path, flurm_error_t *err)
{
    size_t len = 0;
    char *data = flurm_read_file (path, FLURM_DOC_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    const char *source = strcmp (path, "-") == 0 ? "<stdin>" : path; /* as infile.h */
    struct flurm_doc *doc = flurm_doc_load_buffer (data, len, source, err);
    g_free (data);
    return doc;
}

/* ---- lookup ------------------------------------------------------------ */

const struct flurm_doc_node *flurm_doc_get (const struct flurm_doc_node *map, const char *key)
{
    if (!map || map->kind != FLURM_DOC_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp (map->items[2 * i]->text, key) == 0)
            return map->items[2 * i + 1];
    }
    return NULL;
}

const char *flurm_doc_key (const struct flurm_doc_node *map, size_t i)
{
    if (!map || map->kind != FLURM_DOC_MAPPING || i >= map->n)
        return NULL;
    return map->items[2 * i]->text;
}

const struct flurm_doc_node *flurm_doc_value (const struct flurm_doc_node *map, size_t i)
{
    if (!map || map->kind != FLURM_DOC_MAPPING || i >= map->n)
        return NULL;
    return map->items[2 * i + 1];
}

/* ---- errors ------------------------------------------------------------ */

/* Append the JSON path from `from` down to `target` ("a.b[2].c"); false if
 * target is not below from.  Only used for trees without positions, on the
 * error path, so a walk of the tree is cheap enough. */
static bool find_path (const struct flurm_doc_node *from, const struct flurm_doc_node *target,
                       GString *path)
{
    if (from == target)
        return true;
    gsize mark = path->len;
    for (size_t i = 0; i < from->n; i++) {
        if (from->kind == FLURM_DOC_SEQUENCE) {
            g_string_append_printf (path, "[%zu]", i);
            if (find_path (from->items[i], target, path))
                return true;
        } else if (from->kind == FLURM_DOC_MAPPING) {
            if (mark > 0)
                g_string_append_c (path, '.');
            g_string_append (path, from->items[2 * i]->text);
            if (from->items[2 * i] == target || find_path (from->items[2 * i + 1], target, path))
                return true;
        }
        g_string_truncate (path, mark);
    }
    return false;
}

static int doc_verror (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                       flurm_error_t *err, const char *fmt, va_list ap)
    __attribute__ ((format (printf, 4, 0)));

static int doc_verror (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                       flurm_error_t *err, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    char msg[FLURM_ERROR_MAX];
    vsnprintf (msg, sizeof (msg), fmt, ap);
    const char *source = doc && doc->source ? doc->source : "input";
    if (n && n->line > 0)
        return flurm_error_at (err, source, n->line, n->col, "%s", msg);
    GString *path = g_string_new (NULL);
    if (n && doc && doc->root && find_path (doc->root, n, path) && path->len > 0)
        flurm_error_at (err, source, 0, 0, "%s: %s", path->str, msg);
    else
        flurm_error_at (err, source, 0, 0, "%s", msg);
    g_string_free (path, TRUE);
    return -1;
}

int flurm_doc_error (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                     flurm_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    doc_verror (doc, n, err, fmt, ap);
    va_end (ap);
    return -1;
}

/* ---- scalar typing ----------------------------------------------------- */

enum scalar_type { SCALAR_NULL, SCALAR_BOOL, SCALAR_INT, SCALAR_FLOAT, SCALAR_STRING };

struct scalar_value {
    enum scalar_type type;
    bool boolean;
    bool overflow; /* SCALAR_INT that does not fit int64 (sign in `integer`) */
    int64_t integer;
    double real;
};

static bool one_of (const char *s, const char *const *words)
{
    for (; *words; words++) {
        if (strcmp (s, *words) == 0)
            return true;
    }
    return false;
}

static bool is_decimal_int (const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (s[0] == '0')
        return s[1] == '\0';
    if (*s < '1' || *s > '9')
        return false;
    while (g_ascii_isdigit (*s))
        s++;
    return *s == '\0';
}

static bool is_float (const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    size_t int_digits = strspn (s, "0123456789");
    s += int_digits;
    bool dot = *s == '.';
    size_t frac_digits = 0;
    if (dot) {
        frac_digits = strspn (s + 1, "0123456789");
        s += 1 + frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return false;
    bool exponent = *s == 'e' || *s == 'E';
    if (exponent) {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        size_t exp_digits = strspn (s, "0123456789");
        if (exp_digits == 0)
            return false;
        s += exp_digits;
    }
    return *s == '\0' && (dot || exponent);
}

static void classify (const struct flurm_doc_node *n, struct scalar_value *v)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes",
                                        "YES",  "on",   "On",   "ON",  NULL};
    static const char *const falses[] = {"false", "False", "FALSE", "no",  "No",
                                         "NO",    "off",   "Off",   "OFF", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *s = n->text;
    memset (v, 0, sizeof (*v));
    v->type = SCALAR_STRING;
    if (n->quoted)
        return;
    if (one_of (s, nulls)) {
        v->type = SCALAR_NULL;
    } else if (one_of (s, trues) || one_of (s, falses)) {
        v->type = SCALAR_BOOL;
        v->boolean = one_of (s, trues);
    } else if (is_decimal_int (s)) {
        v->type = SCALAR_INT;
        errno = 0;
        long long x = strtoll (s, NULL, 10);
        v->overflow = errno == ERANGE;
        v->integer = x;
    } else if (is_float (s)) {
        v->type = SCALAR_FLOAT;
        v->real = g_ascii_strtod (s, NULL);
    } else {
        const char *t = (*s == '-' || *s == '+') ? s + 1 : s;
        if (one_of (t, infs)) {
            v->type = SCALAR_FLOAT;
            v->real = *s == '-' ? -INFINITY : INFINITY;
        } else if (s == t && one_of (s, nans)) {
            v->type = SCALAR_FLOAT;
            v->real = NAN;
        }
    }
}

/* How a node is named in "must be X, not Y" messages. */
static const char *describe (const struct flurm_doc_node *n, char *buf, size_t size)
{
    if (!n)
        return "missing";
    if (n->kind == FLURM_DOC_MAPPING)
        return "a mapping";
    if (n->kind == FLURM_DOC_SEQUENCE)
        return "a list";
    struct scalar_value v;
    classify (n, &v);
    if (v.type == SCALAR_NULL)
        return "null";
    const char *ellipsis = strlen (n->text) > 40 ? "..." : "";
    if (v.type == SCALAR_STRING)
        snprintf (buf, size, "the string \"%.40s%s\"", n->text, ellipsis);
    else
        snprintf (buf, size, "%.40s%s", n->text, ellipsis);
    return buf;
}

int flurm_doc_int64 (const struct flurm_doc *doc, const struct flurm_doc_node *n, const char *what,
                     int64_t min, int64_t max, int64_t *out, flurm_error_t *err)
{
    char buf[64];
    struct scalar_value v = {.type = SCALAR_STRING};
    if (n && n->kind == FLURM_DOC_SCALAR)
        classify (n, &v);
    if (v.type != SCALAR_INT)
        return flurm_doc_error (doc, n, err, "%s must be an integer, not %s", what,
                                describe (n, buf, sizeof (buf)));
    if (v.integer < min || (v.overflow && v.integer < 0))
        return flurm_doc_error (doc, n, err, "%s must be >= %" PRId64 " (got %s)", what, min,
                                describe (n, buf, sizeof (buf)));
    if (v.integer > max || (v.overflow && v.integer > 0))
        return flurm_doc_error (doc, n, err, "%s must be <= %" PRId64 " (got %s)", what, max,
                                describe (n, buf, sizeof (buf)));
    *out = v.integer;
    return 0;
}

int flurm_doc_double (const struct flurm_doc *doc, const struct flurm_doc_node *n, const char *what,
                      double *out, flurm_error_t *err)
{
    char buf[64];
    struct scalar_value v = {.type = SCALAR_STRING};
    if (n && n->kind == FLURM_DOC_SCALAR)
        classify (n, &v);
    if (v.type == SCALAR_INT)
        *out = v.overflow ? (v.integer < 0 ? -INFINITY : INFINITY) : (double)v.integer;
    else if (v.type == SCALAR_FLOAT)
        *out = v.real;
    else
        return flurm_doc_error (doc, n, err, "%s must be a number, not %s", what,
                                describe (n, buf, sizeof (buf)));
    return 0;
}

int flurm_doc_bool (const struct flurm_doc *doc, const struct flurm_doc_node *n, const char *what,
                    bool *out, flurm_error_t *err)
{
    char buf[64];
    struct scalar_value v = {.type = SCALAR_STRING};
    if (n && n->kind == FLURM_DOC_SCALAR)
        classify (n, &v);
    if (v.type != SCALAR_BOOL)
        return flurm_doc_error (doc, n, err, "%s must be true or false, not %s", what,
                                describe (n, buf, sizeof (buf)));
    *out = v.boolean;
    return 0;
}

const char *flurm_doc_string (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                              const char *what, flurm_error_t *err)
{
    char buf[64];
    if (!n || n->kind != FLURM_DOC_SCALAR) {
        flurm_doc_error (doc, n, err, "%s must be a string, not %s", what,
                         describe (n, buf, sizeof (buf)));
        return NULL;
    }
    return n->text;
}

int flurm_doc_expect (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                      enum flurm_doc_kind kind, const char *what, flurm_error_t *err)
{
    static const char *const names[] = {
        [FLURM_DOC_SCALAR] = "a scalar",
        [FLURM_DOC_MAPPING] = "a mapping",
        [FLURM_DOC_SEQUENCE] = "a list",
    };
    char buf[64];
    if (n && n->kind == kind)
        return 0;
    return flurm_doc_error (doc, n, err, "%s must be %s, not %s", what, names[kind],
                            describe (n, buf, sizeof (buf)));
}

int flurm_doc_check_keys (const struct flurm_doc *doc, const struct flurm_doc_node *map,
                          const char *const *allowed, const char *what, flurm_error_t *err)
{
    if (flurm_doc_expect (doc, map, FLURM_DOC_MAPPING, what, err) < 0)
        return -1;
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->items[2 * i]->text;
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp (*a, key) == 0;
        if (known)
            continue;
        GString *list = g_string_new (NULL);
        for (const char *const *a = allowed; *a; a++)
            g_string_append_printf (list, "%s%s", a == allowed ? "" : ", ", *a);
        flurm_doc_error (doc, map->items[2 * i], err, "unknown key '%s' in %s (expected one of %s)",
                         FLURM_ESCAPED (key), what, list->str);
        g_string_free (list, TRUE);
        return -1;
    }
    return 0;
}

/* ---- conversion to JSON ------------------------------------------------ */

static json_t *to_json (const struct flurm_doc_node *n, const struct flurm_doc_node **bad)
{
    if (!n)
        return NULL;
    if (n->kind == FLURM_DOC_SCALAR) {
        struct scalar_value v;
        classify (n, &v);
        switch (v.type) {
        case SCALAR_NULL:
            return json_null ();
        case SCALAR_BOOL:
            return json_boolean (v.boolean);
        case SCALAR_INT:
            if (!v.overflow)
                return json_integer (v.integer);
            break;
        case SCALAR_FLOAT:
            if (isfinite (v.real))
                return json_real (v.real);
            break;
        case SCALAR_STRING: {
            json_t *s = json_string (n->text);
            if (s)
                return s;
            break;
        }
        }
        *bad = n;
        return NULL;
    }
    bool mapping = n->kind == FLURM_DOC_MAPPING;
    json_t *o = mapping ? json_object () : json_array ();
    for (size_t i = 0; i < n->n; i++) {
        json_t *item = to_json (mapping ? n->items[2 * i + 1] : n->items[i], bad);
        if (!item) {
            json_decref (o);
            return NULL;
        }
        if (mapping)
            json_object_set_new (o, n->items[2 * i]->text, item);
        else
            json_array_append_new (o, item);
    }
    return o;
}

json_t *flurm_doc_to_json (const struct flurm_doc_node *n)
{
    const struct flurm_doc_node *bad = NULL;
    return to_json (n, &bad);
}

json_t *flurm_doc_to_json_checked (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                                   flurm_error_t *err)
{
    const struct flurm_doc_node *bad = NULL;
    json_t *o = to_json (n, &bad);
    if (!o && bad)
        flurm_doc_error (doc, bad, err,
                         "%s has no JSON form (integers must fit 64 bits, "
                         "floats must be finite)",
                         bad->text);
    else if (!o)
        flurm_doc_error (doc, n, err, "no value");
    return o;
}
