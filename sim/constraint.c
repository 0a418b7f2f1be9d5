/* sim/constraint.c — RFC 31 constraints and RFC 35 --requires strings.
 *
 * A constraint is a tree of struct flurm_constraint.  Leaves test one node
 * vertex (properties, hostlist, ranks); inner vertices combine their
 * children (and, or, not = not-and).  Invariants:
 *  - every leaf keeps the strings it was written with (`values`), so that
 *    flurm_constraint_to_json gives back what was read;
 *  - a hostlist leaf holds all its strings decoded and concatenated into
 *    one list, a ranks leaf the union of its idsets, so matching never
 *    parses;
 *  - property names are valid (names.h; '^' only as the leading negation);
 *  - OP_AND with `merged` stands for an object with several operator keys,
 *    which RFC 31 consumers (flux-core, Fluxion) read as their conjunction.
 *
 * Every constraint is read through the document tree (sim/doc.h), so JSON
 * objects and YAML mappings share one parser and errors carry a position
 * or a JSON path.  A --requires string is first translated to the RFC 31
 * object flux-core's command line builds from it, then read the same way.
 */
#include "sim/constraint.h"

#include <string.h>

#include <glib.h>

#include "sim/hostlist.h"
#include "sim/idset.h"
#include "sim/names.h"

/* A --requires expression nested deeper than this ("not not not ... a",
 * "((((a))))") is refused before the recursive parser could exhaust the
 * stack; the document tree would refuse the resulting object anyway. */
#define REQUIRES_MAX_DEPTH (FLURM_DOC_MAX_DEPTH / 2)

enum op { OP_ALL, OP_PROPERTIES, OP_HOSTLIST, OP_RANKS, OP_AND, OP_OR, OP_NOT };

static const char *const op_names[] = {
    [OP_ALL] = "",
    [OP_PROPERTIES] = "properties",
    [OP_HOSTLIST] = "hostlist",
    [OP_RANKS] = "ranks",
    [OP_AND] = "and",
    [OP_OR] = "or",
    [OP_NOT] = "not",
};

struct flurm_constraint {
    enum op op;
    bool merged;
    size_t n; /* values (leaves) or kids (others) */
    char **values;
    struct flurm_constraint **kids;
    struct flurm_hostlist *hosts;
    struct flurm_idset *ranks;
};

void flurm_constraint_destroy (struct flurm_constraint *c)
{
    if (!c)
        return;
    if (c->values) {
        for (size_t i = 0; i < c->n; i++)
            g_free (c->values[i]);
        g_free (c->values);
    }
    if (c->kids) {
        for (size_t i = 0; i < c->n; i++)
            flurm_constraint_destroy (c->kids[i]);
        g_free (c->kids);
    }
    flurm_hostlist_destroy (c->hosts);
    flurm_idset_destroy (c->ranks);
    g_free (c);
}

/* ---- reading RFC 31 objects -------------------------------------------- */

static int check_property (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                           const char *name, flurm_error_t *err)
{
    /* a leading '^' is the negation, not part of the name */
    const char *bare = name[0] == '^' ? name + 1 : name;
    const char *problem = flurm_name_property_problem (bare);
    if (problem) {
        return flurm_doc_error (doc, n, err, "property %s %s%s", FLURM_QUOTED (name), problem,
                                bare[0] ? " (only a leading '^' is allowed, meaning \"not\")" : "");
    }
    return 0;
}

/* Decode one hostlist or idset string into the leaf's set. */
static int add_operand (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                        struct flurm_constraint *c, const char *text, flurm_error_t *err)
{
    flurm_error_t why;
    if (c->op == OP_PROPERTIES)
        return check_property (doc, n, text, err);
    if (c->op == OP_HOSTLIST) {
        struct flurm_hostlist *hl = flurm_hostlist_decode (text, &why);
        if (!hl || flurm_hostlist_append_list (c->hosts, hl, &why) < 0) {
            flurm_hostlist_destroy (hl);
            return flurm_doc_error (doc, n, err, "%s", why.text);
        }
        flurm_hostlist_destroy (hl);
        return 0;
    }
    struct flurm_idset *ids = flurm_idset_decode (text, &why);
    if (!ids || flurm_idset_add_set (c->ranks, ids, &why) < 0) {
        flurm_idset_destroy (ids);
        return flurm_doc_error (doc, n, err, "ranks: %s", why.text);
    }
    flurm_idset_destroy (ids);
    return 0;
}

static struct flurm_constraint *parse_object (const struct flurm_doc *doc,
                                              const struct flurm_doc_node *n, flurm_error_t *err);

/* One "operator: [operands]" pair. */
static struct flurm_constraint *parse_operator (const struct flurm_doc *doc,
                                                const struct flurm_doc_node *key,
                                                const struct flurm_doc_node *args,
                                                flurm_error_t *err)
{
    enum op op = OP_ALL;
    for (enum op o = OP_PROPERTIES; o <= OP_NOT; o++) {
        if (strcmp (key->text, op_names[o]) == 0)
            op = o;
    }
    if (op == OP_ALL) {
        flurm_doc_error (doc, key, err,
                         "unknown constraint operator '%s' (expected properties, hostlist, "
                         "ranks, and, or, not)",
                         FLURM_ESCAPED (key->text));
        return NULL;
    }
    char what[64];
    snprintf (what, sizeof (what), "operand of '%s'", FLURM_ESCAPED (key->text));
    if (flurm_doc_expect (doc, args, FLURM_DOC_SEQUENCE, what, err) < 0)
        return NULL;
    struct flurm_constraint *c = g_new0 (struct flurm_constraint, 1);
    c->op = op;
    if (op == OP_AND || op == OP_OR || op == OP_NOT) {
        c->kids = g_new0 (struct flurm_constraint *, args->n);
        for (; c->n < args->n; c->n++) {
            if (!(c->kids[c->n] = parse_object (doc, args->items[c->n], err)))
                goto error;
        }
        return c;
    }
    if (op == OP_HOSTLIST)
        c->hosts = flurm_hostlist_create ();
    else if (op == OP_RANKS)
        c->ranks = flurm_idset_create ();
    c->values = g_new0 (char *, args->n);
    for (; c->n < args->n; c->n++) {
        const struct flurm_doc_node *item = args->items[c->n];
        snprintf (what, sizeof (what), "each %s entry", key->text);
        const char *text = flurm_doc_string (doc, item, what, err);
        if (!text || add_operand (doc, item, c, text, err) < 0)
            goto error;
        c->values[c->n] = g_strdup (text);
    }
    return c;
error:
    flurm_constraint_destroy (c);
    return NULL;
}

static struct flurm_constraint *parse_object (const struct flurm_doc *doc,
                                              const struct flurm_doc_node *n, flurm_error_t *err)
{
    if (flurm_doc_expect (doc, n, FLURM_DOC_MAPPING, "a constraint", err) < 0)
        return NULL;
    if (n->n == 1)
        return parse_operator (doc, n->items[0], n->items[1], err);
    struct flurm_constraint *c = g_new0 (struct flurm_constraint, 1);
    c->op = n->n == 0 ? OP_ALL : OP_AND;
    c->merged = true;
    c->kids = g_new0 (struct flurm_constraint *, n->n);
    for (; c->n < n->n; c->n++) {
        if (!(c->kids[c->n] =
                  parse_operator (doc, n->items[2 * c->n], n->items[2 * c->n + 1], err))) {
            flurm_constraint_destroy (c);
            return NULL;
        }
    }
    return c;
}

struct flurm_constraint *flurm_constraint_from_doc (const struct flurm_doc *doc,
                                                    const struct flurm_doc_node *n,
                                                    flurm_error_t *err)
{
    return parse_object (doc, n, err);
}

struct flurm_constraint *flurm_constraint_from_json (const json_t *o, const char *where,
                                                     flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_from_json (o, where, err);
    if (!doc)
        return NULL;
    struct flurm_constraint *c = parse_object (doc, doc->root, err);
    flurm_doc_destroy (doc);
    return c;
}

/* ---- writing ----------------------------------------------------------- */

json_t *flurm_constraint_to_json (const struct flurm_constraint *c)
{
    json_t *o = json_object ();
    if (!c || c->op == OP_ALL)
        return o;
    if (c->merged) {
        for (size_t i = 0; i < c->n; i++) {
            json_t *kid = flurm_constraint_to_json (c->kids[i]);
            json_object_update (o, kid);
            json_decref (kid);
        }
        return o;
    }
    json_t *args = json_array ();
    for (size_t i = 0; i < c->n; i++) {
        if (c->kids)
            json_array_append_new (args, flurm_constraint_to_json (c->kids[i]));
        else
            json_array_append_new (args, json_string (c->values[i]));
    }
    json_object_set_new (o, op_names[c->op], args);
    return o;
}

/* ---- matching ---------------------------------------------------------- */

static bool has_properties (const struct flurm_constraint *c, const struct flurm_graph *g,
                            flurm_vid node)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *p = c->values[i];
        bool negate = p[0] == '^';
        bool present = flurm_graph_property (g, node, negate ? p + 1 : p) != NULL;
        if (present == negate)
            return false;
    }
    return true;
}

bool flurm_constraint_match (const struct flurm_constraint *c, const struct flurm_graph *g,
                             flurm_vid node)
{
    if (!c)
        return true;
    switch (c->op) {
    case OP_ALL:
        return true;
    case OP_PROPERTIES:
        return has_properties (c, g, node);
    case OP_HOSTLIST: {
        char name[FLURM_NAME_MAX];
        return flurm_hostlist_find (c->hosts, flurm_graph_name (g, node, name)) >= 0;
    }
    case OP_RANKS: {
        int32_t rank = flurm_graph_vertex (g, node)->rank;
        return rank >= 0 && flurm_idset_test (c->ranks, (uint32_t)rank);
    }
    case OP_OR: /* RFC 31: an empty "or" matches everything, like an empty "and" */
        for (size_t i = 0; i < c->n; i++) {
            if (flurm_constraint_match (c->kids[i], g, node))
                return true;
        }
        return c->n == 0;
    case OP_AND:
    case OP_NOT:
        for (size_t i = 0; i < c->n; i++) {
            if (!flurm_constraint_match (c->kids[i], g, node))
                return c->op == OP_NOT;
        }
        return c->op == OP_AND;
    }
    return false;
}

/* ---- RFC 35 --requires strings ----------------------------------------- */

/* The expression is translated into the RFC 31 object flux-core's command
 * line builds: terms "op:operand" ("properties" when there is no op,
 * host/hosts -> hostlist, rank -> ranks, properties split at commas),
 * juxtaposition or & / && / and for AND, | / || / or for OR, "not EXPR" and
 * "-TERM" for negation, with precedence not > and > or.  Like flux-core,
 * adjacent property terms joined by AND merge into one list and chains of
 * and/or flatten into one list. */

enum token { TOK_END, TOK_LPAREN, TOK_RPAREN, TOK_AND, TOK_OR, TOK_NOT, TOK_NEGATE, TOK_TERM };

struct lexer {
    const char *expr;
    size_t pos;     /* next character to read */
    enum token tok; /* current token */
    size_t start;   /* where it starts */
    char *term;     /* its text, for TOK_TERM */
    int depth;
    flurm_error_t *err;
};

static int lex_error (struct lexer *lx, size_t at, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* `requires "EXPR"`, the expression cut short when long, so that the
 * message after it still fits in an error. */
static char *requires_where (const char *expr)
{
    char quoted[64];
    return g_strdup_printf ("requires %s", flurm_error_quote (quoted, sizeof (quoted), expr));
}

static int lex_error (struct lexer *lx, size_t at, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    char *where = requires_where (lx->expr);
    flurm_error_set (lx->err, "%s: %s at character %zu", where, msg, at + 1);
    g_free (where);
    return -1;
}

static bool is_word_char (char ch)
{
    return g_ascii_isalnum (ch) || ch == '_';
}

/* Keyword `word` at the current position, not followed by a word
 * character ("or" but not "order"). */
static bool at_keyword (const struct lexer *lx, const char *word)
{
    size_t len = strlen (word);
    return strncmp (lx->expr + lx->pos, word, len) == 0 && !is_word_char (lx->expr[lx->pos + len]);
}

static int lex_quoted (struct lexer *lx, GString *out)
{
    char quote = lx->expr[lx->pos];
    const char *close = strchr (lx->expr + lx->pos + 1, quote);
    if (!close)
        return lex_error (lx, lx->pos, "unclosed quote %c", quote);
    g_string_append_len (out, lx->expr + lx->pos + 1, close - (lx->expr + lx->pos + 1));
    lx->pos = (size_t)(close - lx->expr) + 1;
    return 0;
}

/* What separates terms.  One set serves both for skipping blanks and for
 * ending a term, so that a term can never be empty by stopping on a
 * character the skip did not eat. */
#define REQUIRES_BLANKS " \t\r\n\f\v"

static int lex_next (struct lexer *lx)
{
    const char *s = lx->expr;
    g_free (lx->term);
    lx->term = NULL;
    lx->pos += strspn (s + lx->pos, REQUIRES_BLANKS);
    lx->start = lx->pos;
    char ch = s[lx->pos];
    static const struct {
        const char *text;
        enum token tok;
        bool keyword;
    } fixed[] = {
        {"&&", TOK_AND, false},   {"&", TOK_AND, false},    {"||", TOK_OR, false},
        {"|", TOK_OR, false},     {"(", TOK_LPAREN, false}, {")", TOK_RPAREN, false},
        {"-", TOK_NEGATE, false}, {"and", TOK_AND, true},   {"or", TOK_OR, true},
        {"not", TOK_NOT, true},
    };
    if (ch == '\0') {
        lx->tok = TOK_END;
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS (fixed); i++) {
        size_t len = strlen (fixed[i].text);
        if (fixed[i].keyword ? at_keyword (lx, fixed[i].text)
                             : strncmp (s + lx->pos, fixed[i].text, len) == 0) {
            lx->tok = fixed[i].tok;
            lx->pos += len;
            return 0;
        }
    }
    /* A term: a run of ordinary characters, or a quoted string; "op:" may be
     * followed directly by a quoted operand (hosts:"a b"). */
    GString *text = g_string_new (NULL);
    if (ch == '"' || ch == '\'') {
        if (lex_quoted (lx, text) < 0)
            goto error;
    } else {
        size_t len = strcspn (s + lx->pos, "()|&\"'" REQUIRES_BLANKS);
        if (len == 0) {
            g_string_free (text, TRUE);
            return lex_error (lx, lx->pos, "unexpected character (code %d)", (unsigned char)ch);
        }
        g_string_append_len (text, s + lx->pos, len);
        lx->pos += len;
        if (text->str[text->len - 1] == ':' && (s[lx->pos] == '"' || s[lx->pos] == '\'') &&
            lex_quoted (lx, text) < 0)
            goto error;
    }
    lx->tok = TOK_TERM;
    lx->term = g_string_free (text, FALSE);
    return 0;
error:
    g_string_free (text, TRUE);
    return -1;
}

static bool single_key (const json_t *o, const char *key)
{
    return json_object_size (o) == 1 && json_object_get (o, key);
}

/* Take the references of a and b, return a new one. */
static json_t *join_and (json_t *a, json_t *b)
{
    if (single_key (a, "and")) {
        json_array_append_new (json_object_get (a, "and"), b);
        return a;
    }
    if (single_key (a, "properties") && single_key (b, "properties")) {
        json_array_extend (json_object_get (a, "properties"), json_object_get (b, "properties"));
        json_decref (b);
        return a;
    }
    return json_pack ("{s:[oo]}", "and", a, b);
}

static json_t *join_or (json_t *a, json_t *b)
{
    if (single_key (a, "or")) {
        json_array_append_new (json_object_get (a, "or"), b);
        return a;
    }
    return json_pack ("{s:[oo]}", "or", a, b);
}

static json_t *term_json (struct lexer *lx)
{
    const char *text = lx->term;
    const char *colon = strchr (text, ':');
    char *op = colon ? g_strndup (text, (gsize)(colon - text)) : g_strdup ("properties");
    const char *operand = colon ? colon + 1 : text;
    json_t *o = NULL;
    if (colon && *op == '\0') {
        lex_error (lx, lx->start, "missing operator before ':' in %s", FLURM_QUOTED (text));
        goto out;
    }
    if (*operand == '\0') {
        lex_error (lx, lx->start, "missing operand after %s", FLURM_QUOTED (text));
        goto out;
    }
    static const char *const aliases[][2] = {
        {"properties", "properties"}, {"host", "hostlist"}, {"hosts", "hostlist"},
        {"hostlist", "hostlist"},     {"rank", "ranks"},    {"ranks", "ranks"},
    };
    const char *name = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS (aliases) && !name; i++) {
        if (strcmp (op, aliases[i][0]) == 0)
            name = aliases[i][1];
    }
    if (!name) {
        lex_error (lx, lx->start,
                   "unknown operator %s (expected properties, host, hosts, hostlist, "
                   "rank, ranks)",
                   FLURM_QUOTED (op));
        goto out;
    }
    json_t *args = json_array ();
    if (strcmp (name, "properties") == 0) {
        char **parts = g_strsplit (operand, ",", -1);
        for (char **p = parts; *p; p++)
            json_array_append_new (args, json_string (*p));
        g_strfreev (parts);
    } else {
        json_array_append_new (args, json_string (operand));
    }
    o = json_pack ("{s:o}", name, args);
out:
    g_free (op);
    return o;
}

static json_t *parse_or (struct lexer *lx);

static json_t *parse_unary (struct lexer *lx)
{
    if (++lx->depth > REQUIRES_MAX_DEPTH) {
        lex_error (lx, lx->start, "expression nested deeper than %d levels", REQUIRES_MAX_DEPTH);
        return NULL;
    }
    json_t *o = NULL;
    size_t start = lx->start;
    switch (lx->tok) {
    case TOK_NOT:
    case TOK_NEGATE: {
        bool negate = lx->tok == TOK_NEGATE;
        if (lex_next (lx) < 0)
            break;
        if (negate && lx->tok != TOK_TERM) {
            lex_error (lx, start,
                       "'-' negates a single term (write \"not (...)\" to negate "
                       "an expression)");
            break;
        }
        json_t *operand = parse_unary (lx);
        if (operand)
            o = json_pack ("{s:[o]}", "not", operand);
        break;
    }
    case TOK_LPAREN:
        if (lex_next (lx) < 0 || !(o = parse_or (lx)))
            break;
        if (lx->tok != TOK_RPAREN) {
            lex_error (lx, start, "unbalanced parentheses: '(' is never closed");
            json_decref (o);
            o = NULL;
        } else if (lex_next (lx) < 0) {
            json_decref (o);
            o = NULL;
        }
        break;
    case TOK_TERM:
        if ((o = term_json (lx)) && lex_next (lx) < 0) {
            json_decref (o);
            o = NULL;
        }
        break;
    case TOK_RPAREN:
        lex_error (lx, start, "unbalanced parentheses: ')' without '('");
        break;
    case TOK_END:
        lex_error (lx, start, "expression ends where a term was expected");
        break;
    case TOK_AND:
    case TOK_OR:
        lex_error (lx, start, "'%.*s' needs a term on each side", (int)(lx->pos - start),
                   lx->expr + start);
        break;
    }
    lx->depth--;
    return o;
}

static json_t *parse_and (struct lexer *lx)
{
    json_t *o = parse_unary (lx);
    while (o && lx->tok != TOK_END && lx->tok != TOK_OR && lx->tok != TOK_RPAREN) {
        json_t *right = NULL;
        if ((lx->tok == TOK_AND && lex_next (lx) < 0) || !(right = parse_unary (lx))) {
            json_decref (o);
            return NULL;
        }
        o = join_and (o, right);
    }
    return o;
}

static json_t *parse_or (struct lexer *lx)
{
    json_t *o = parse_and (lx);
    while (o && lx->tok == TOK_OR) {
        json_t *right = NULL;
        if (lex_next (lx) < 0 || !(right = parse_and (lx))) {
            json_decref (o);
            return NULL;
        }
        o = join_or (o, right);
    }
    return o;
}

struct flurm_constraint *flurm_constraint_from_requires (const char *expr, flurm_error_t *err)
{
    flurm_error_t local;
    struct lexer lx = {.expr = expr, .err = err ? err : &local};
    json_t *o = NULL;
    if (lex_next (&lx) == 0) {
        if (lx.tok == TOK_END) {
            char *where = requires_where (expr);
            flurm_error_set (lx.err, "%s: empty expression", where);
            g_free (where);
        } else if ((o = parse_or (&lx)) && lx.tok != TOK_END) {
            lex_error (&lx, lx.start, "unbalanced parentheses: ')' without '('");
            json_decref (o);
            o = NULL;
        }
    }
    g_free (lx.term);
    if (!o)
        return NULL;
    char *where = requires_where (expr);
    struct flurm_constraint *c = flurm_constraint_from_json (o, where, err);
    g_free (where);
    json_decref (o);
    return c;
}
