/* sim/jobspec.c — Flux jobspec version 1: read, check, write (see jobspec.h).
 *
 * There is one reader, and it reads the document tree of sim/doc.h: YAML
 * and JSON files arrive there with positions, jansson values (from Flux)
 * through flurm_doc_from_json with JSON paths instead, so every message
 * points at the offending value either way.  A jobspec built in code is
 * checked by writing it out and reading it back through the same reader:
 * there is no second set of rules to drift apart from the first.
 *
 * Invariants of a struct flurm_jobspec that the reader returns:
 *  - resources and every `with` list are non-empty arrays, nested at most
 *    FLURM_JOBSPEC_MAX_DEPTH deep; every root-to-leaf path holds exactly one
 *    slot; slots have labels; labels are unique;
 *  - counts satisfy 1 <= min <= max <= FLURM_JOBSPEC_MAX_COUNT (or max ==
 *    UINT32_MAX, unbounded), op in + * ^, operand >= 1 (>= 2 for * and ^);
 *  - each task has a non-empty command and names a slot label;
 *  - duration is finite and >= 0; `system` holds all of attributes.system
 *    as given, duration/queue/constraints included.
 * The writer treats the struct fields as the truth and `system` as the
 * place the other system keys come from, keeping the given JSON of
 * duration/queue/constraints where it says the same thing, so that a
 * jobspec from Flux comes back as the same JSON value (2.0 stays 2.0).
 */
#include "sim/jobspec.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/jsonutil.h"

static const char *const resource_types[] = {"node",   "socket", "core", "gpu",
                                             "memory", "slot",   NULL};

#define ONE_SLOT_RULE                                                                              \
    "every path from the top of resources to a leaf passes through exactly one slot"

struct reader {
    const struct flurm_doc *doc;
    flurm_error_t *err;
    GHashTable *labels;      /* label text -> doc node where it was written */
    GHashTable *slot_labels; /* label text -> the slot's doc node */
};

static int fail (struct reader *rd, const struct flurm_doc_node *n, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static int fail (struct reader *rd, const struct flurm_doc_node *n, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_doc_error (rd->doc, n, rd->err, "%s", msg);
}

/* " (at line 3, column 5)" for messages that point back to an earlier
 * node, or "" when the tree has no positions (JSON values). */
static const char *where_text (const struct flurm_doc_node *n, char *buf, size_t size)
{
    if (n->line > 0)
        snprintf (buf, size, " (at line %d, column %d)", n->line, n->col);
    else
        buf[0] = '\0';
    return buf;
}

static const struct flurm_doc_node *require (struct reader *rd, const struct flurm_doc_node *map,
                                             const char *key, const char *what)
{
    const struct flurm_doc_node *v = flurm_doc_get (map, key);
    if (!v)
        fail (rd, map, "%s is missing required key '%s'", what, key);
    return v;
}

static int read_u32 (struct reader *rd, const struct flurm_doc_node *n, const char *what,
                     uint32_t *out)
{
    int64_t v;
    if (flurm_doc_int64 (rd->doc, n, what, 1, FLURM_JOBSPEC_MAX_COUNT, &v, rd->err) < 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A string-valued key: any scalar but null (YAML's `label:` with nothing
 * after it is null, not ""). */
static const char *read_string (struct reader *rd, const struct flurm_doc_node *n, const char *what)
{
    json_t *typed = n && n->kind == FLURM_DOC_SCALAR ? flurm_doc_to_json (n) : NULL;
    bool is_null = typed && json_is_null (typed);
    json_decref (typed);
    if (is_null) {
        fail (rd, n, "%s must be a string, not null", what);
        return NULL;
    }
    return flurm_doc_string (rd->doc, n, what, rd->err);
}

/* ---- count ------------------------------------------------------------- */

static int read_count (struct reader *rd, const struct flurm_doc_node *n, struct flurm_count *c)
{
    static const char *const keys[] = {"min", "max", "operator", "operand", NULL};
    *c = (struct flurm_count){.op = '+', .operand = 1};
    if (n->kind == FLURM_DOC_SCALAR) {
        if (read_u32 (rd, n, "count", &c->min) < 0)
            return -1;
        c->max = c->min;
        return 0;
    }
    if (n->kind != FLURM_DOC_MAPPING)
        return fail (rd, n, "count must be an integer or a mapping {min, max, operator, operand}");
    if (flurm_doc_check_keys (rd->doc, n, keys, "count", rd->err) < 0)
        return -1;
    const struct flurm_doc_node *min = require (rd, n, "min", "count");
    if (!min || read_u32 (rd, min, "count.min", &c->min) < 0)
        return -1;
    c->max = UINT32_MAX;
    const struct flurm_doc_node *max = flurm_doc_get (n, "max");
    if (max) {
        if (read_u32 (rd, max, "count.max", &c->max) < 0)
            return -1;
        if (c->max < c->min)
            return fail (rd, max, "count.max must be >= count.min (got max %u, min %u)", c->max,
                         c->min);
    }
    const struct flurm_doc_node *op = flurm_doc_get (n, "operator");
    if (op) {
        const char *text = read_string (rd, op, "count.operator");
        if (!text)
            return -1;
        if (strlen (text) != 1 || !strchr ("+*^", text[0]))
            return fail (rd, op, "count.operator must be one of +, *, ^ (got %s)",
                         FLURM_QUOTED (text));
        c->op = text[0];
    }
    const struct flurm_doc_node *operand = flurm_doc_get (n, "operand");
    if (operand && read_u32 (rd, operand, "count.operand", &c->operand) < 0)
        return -1;
    if (c->op != '+' && c->operand < 2)
        return fail (rd, operand ? operand : n, "count.operator '%c' needs an operand >= 2", c->op);
    if (c->op == '^' && c->min < 2)
        return fail (rd, min, "count.operator '^' needs count.min >= 2");
    return 0;
}

/* ---- resources --------------------------------------------------------- */

static int read_resources (struct reader *rd, const struct flurm_doc_node *list, const char *what,
                           int depth, const struct flurm_doc_node *slot_above,
                           struct flurm_jobspec_resource **out, size_t *nout);

static int read_label (struct reader *rd, const struct flurm_doc_node *vertex, bool is_slot,
                       struct flurm_jobspec_resource *res)
{
    const struct flurm_doc_node *label = flurm_doc_get (vertex, "label");
    if (!label) {
        if (is_slot)
            return fail (rd, vertex, "slot has no label (tasks name their slot by its label)");
        return 0;
    }
    const char *text = read_string (rd, label, "label");
    if (!text)
        return -1;
    const struct flurm_doc_node *first = g_hash_table_lookup (rd->labels, text);
    if (first) {
        char at[64];
        return fail (rd, label, "duplicate label '%s'%s", FLURM_ESCAPED (text),
                     where_text (first, at, sizeof (at)));
    }
    g_hash_table_insert (rd->labels, (gpointer)text, (gpointer)label);
    if (is_slot)
        g_hash_table_insert (rd->slot_labels, (gpointer)text, (gpointer)vertex);
    res->label = g_strdup (text);
    return 0;
}

static int read_resource (struct reader *rd, const struct flurm_doc_node *n, int depth,
                          const struct flurm_doc_node *slot_above,
                          struct flurm_jobspec_resource *res)
{
    static const char *const keys[] = {"type",      "count", "with", "label",
                                       "exclusive", "unit",  "id",   NULL};
    if (flurm_doc_check_keys (rd->doc, n, keys, "resource", rd->err) < 0)
        return -1;
    res->line = n->line;
    res->col = n->col;
    const struct flurm_doc_node *type = require (rd, n, "type", "resource");
    const char *type_text = type ? read_string (rd, type, "type") : NULL;
    if (!type_text)
        return -1;
    bool known = false;
    for (const char *const *t = resource_types; *t && !known; t++)
        known = strcmp (*t, type_text) == 0;
    if (!known)
        return fail (rd, type,
                     "unknown resource type '%s' (expected one of node, socket, core, "
                     "gpu, memory, slot)",
                     FLURM_ESCAPED (type_text));
    res->type = g_strdup (type_text);
    bool is_slot = strcmp (type_text, "slot") == 0;
    if (is_slot && slot_above) {
        char at[64];
        return fail (rd, n, "slot inside another slot%s: " ONE_SLOT_RULE,
                     where_text (slot_above, at, sizeof (at)));
    }

    const struct flurm_doc_node *count = require (rd, n, "count", "resource");
    if (!count || read_count (rd, count, &res->count) < 0)
        return -1;
    if (read_label (rd, n, is_slot, res) < 0)
        return -1;

    bool in_slot = is_slot || slot_above;
    res->exclusive = in_slot;
    const struct flurm_doc_node *exclusive = flurm_doc_get (n, "exclusive");
    if (exclusive) {
        if (flurm_doc_bool (rd->doc, exclusive, "exclusive", &res->exclusive, rd->err) < 0)
            return -1;
        if (in_slot && !res->exclusive)
            return fail (rd, exclusive,
                         "exclusive: false inside a slot (everything in a slot is "
                         "allocated exclusively)");
        res->exclusive_given = true;
    }
    const struct flurm_doc_node *unit = flurm_doc_get (n, "unit");
    if (unit) {
        const char *text = read_string (rd, unit, "unit");
        if (!text)
            return -1;
        res->unit = g_strdup (text);
    }
    /* `id` is part of RFC 14; no scheduler we follow acts on it, but it is
     * kept so that the jobspec written back says what was read. */
    const struct flurm_doc_node *id = flurm_doc_get (n, "id");
    if (id) {
        const char *text = read_string (rd, id, "id");
        if (!text)
            return -1;
        res->id = g_strdup (text);
    }

    const struct flurm_doc_node *with = flurm_doc_get (n, "with");
    if (with)
        return read_resources (rd, with, "with", depth + 1, is_slot ? n : slot_above, &res->with,
                               &res->nwith);
    if (!in_slot)
        return fail (rd, n, "no slot on the path to this %s: " ONE_SLOT_RULE, type_text);
    if (is_slot)
        return fail (rd, n, "slot has no 'with' list (a slot holds the resources of one task)");
    return 0;
}

static int read_resources (struct reader *rd, const struct flurm_doc_node *list, const char *what,
                           int depth, const struct flurm_doc_node *slot_above,
                           struct flurm_jobspec_resource **out, size_t *nout)
{
    if (flurm_doc_expect (rd->doc, list, FLURM_DOC_SEQUENCE, what, rd->err) < 0)
        return -1;
    if (list->n == 0)
        return fail (rd, list, "%s must not be empty", what);
    if (depth > FLURM_JOBSPEC_MAX_DEPTH)
        return fail (rd, list, "resources nested deeper than %d levels", FLURM_JOBSPEC_MAX_DEPTH);
    *out = g_new0 (struct flurm_jobspec_resource, list->n);
    for (; *nout < list->n; (*nout)++) {
        const struct flurm_doc_node *item = list->items[*nout];
        if (flurm_doc_expect (rd->doc, item, FLURM_DOC_MAPPING, "a resource", rd->err) < 0 ||
            read_resource (rd, item, depth, slot_above, &(*out)[*nout]) < 0) {
            (*nout)++; /* the half-read vertex is freed with the others */
            return -1;
        }
    }
    return 0;
}

/* ---- tasks ------------------------------------------------------------- */

static int read_task_count (struct reader *rd, const struct flurm_doc_node *n,
                            struct flurm_jobspec_task *task)
{
    static const char *const keys[] = {"per_slot", "total", NULL};
    if (n->kind == FLURM_DOC_MAPPING && flurm_doc_get (n, "per_resource"))
        return fail (rd, n, "task count per_resource is not part of jobspec version 1");
    if (flurm_doc_check_keys (rd->doc, n, keys, "task count", rd->err) < 0)
        return -1;
    if (n->n != 1)
        return fail (rd, n, "task count must have exactly one of per_slot and total");
    bool per_slot = strcmp (flurm_doc_key (n, 0), "per_slot") == 0;
    task->count_kind = per_slot ? FLURM_TASK_PER_SLOT : FLURM_TASK_TOTAL;
    return read_u32 (rd, flurm_doc_value (n, 0), per_slot ? "count.per_slot" : "count.total",
                     &task->count);
}

static gint compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (a, b);
}

static int read_task (struct reader *rd, const struct flurm_doc_node *n,
                      struct flurm_jobspec_task *task)
{
    static const char *const keys[] = {"command",    "slot",         "count",
                                       "attributes", "distribution", NULL};
    if (flurm_doc_check_keys (rd->doc, n, keys, "task", rd->err) < 0)
        return -1;
    const struct flurm_doc_node *command = require (rd, n, "command", "task");
    if (!command)
        return -1;
    if (command->kind != FLURM_DOC_SEQUENCE || command->n == 0)
        return fail (rd, command, "command must be a non-empty list of strings");
    task->command = g_new0 (char *, command->n + 1);
    for (size_t i = 0; i < command->n; i++) {
        /* RFC 14: an array of strings; YAML's [sleep, 10] holds a number */
        json_t *typed = command->items[i]->kind == FLURM_DOC_SCALAR
                            ? flurm_doc_to_json (command->items[i])
                            : NULL;
        bool is_string = json_is_string (typed);
        json_decref (typed);
        if (!is_string && command->items[i]->kind == FLURM_DOC_SCALAR)
            return fail (rd, command->items[i], "command items must be strings (item %zu is %s)", i,
                         FLURM_ESCAPED (command->items[i]->text));
        const char *arg = read_string (rd, command->items[i], "each command argument");
        if (!arg)
            return -1;
        task->command[i] = g_strdup (arg);
    }
    if (task->command[0][0] == '\0')
        return fail (rd, command->items[0], "command starts with an empty program name");

    const struct flurm_doc_node *slot = require (rd, n, "slot", "task");
    const char *slot_text = slot ? read_string (rd, slot, "slot") : NULL;
    if (!slot_text)
        return -1;
    if (!g_hash_table_contains (rd->slot_labels, slot_text)) {
        GString *known = g_string_new (NULL);
        GList *labels = g_list_sort (g_hash_table_get_keys (rd->slot_labels), compare_strings);
        for (GList *l = labels; l; l = l->next)
            g_string_append_printf (known, "%s%s", l == labels ? "" : ", ", (char *)l->data);
        g_list_free (labels);
        fail (rd, slot, "task slot '%s' names no slot (slot labels: %s)", FLURM_ESCAPED (slot_text),
              FLURM_ESCAPED (known->str));
        g_string_free (known, TRUE);
        return -1;
    }
    task->slot = g_strdup (slot_text);

    const struct flurm_doc_node *count = require (rd, n, "count", "task");
    if (!count || read_task_count (rd, count, task) < 0)
        return -1;

    const struct flurm_doc_node *dist = flurm_doc_get (n, "distribution");
    if (dist) {
        const char *text = read_string (rd, dist, "distribution");
        if (!text)
            return -1;
        task->distribution = g_strdup (text);
    }
    const struct flurm_doc_node *attrs = flurm_doc_get (n, "attributes");
    if (attrs) {
        if (flurm_doc_expect (rd->doc, attrs, FLURM_DOC_MAPPING, "task attributes", rd->err) < 0 ||
            !(task->attributes = flurm_doc_to_json_checked (rd->doc, attrs, rd->err)))
            return -1;
    }
    return 0;
}

/* ---- attributes -------------------------------------------------------- */

static int read_dependencies (struct reader *rd, const struct flurm_doc_node *n)
{
    static const char *const keys[] = {"scheme", "value", NULL};
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_SEQUENCE, "dependencies", rd->err) < 0)
        return -1;
    for (size_t i = 0; i < n->n; i++) {
        const struct flurm_doc_node *dep = n->items[i];
        if (flurm_doc_expect (rd->doc, dep, FLURM_DOC_MAPPING, "a dependency", rd->err) < 0)
            return -1;
        for (const char *const *k = keys; *k; k++) {
            const struct flurm_doc_node *v = require (rd, dep, *k, "dependency");
            if (!v || !read_string (rd, v, *k))
                return -1;
        }
    }
    return 0;
}

static int read_system (struct reader *rd, const struct flurm_doc_node *n, struct flurm_jobspec *js)
{
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "attributes.system", rd->err) < 0)
        return -1;
    const struct flurm_doc_node *duration = require (rd, n, "duration", "attributes.system");
    if (!duration || flurm_doc_double (rd->doc, duration, "duration", &js->duration, rd->err) < 0)
        return -1;
    if (!isfinite (js->duration))
        return fail (rd, duration, "duration must be finite (0 means unlimited)");
    if (js->duration < 0)
        return fail (rd, duration, "duration must be >= 0 (got %s)", duration->text);
    if (js->duration == 0)
        js->duration = 0; /* -0.0 is 0 */

    const struct flurm_doc_node *queue = flurm_doc_get (n, "queue");
    if (queue) {
        const char *text = read_string (rd, queue, "queue");
        if (!text)
            return -1;
        js->queue = g_strdup (text);
    }
    const struct flurm_doc_node *constraints = flurm_doc_get (n, "constraints");
    if (constraints &&
        !(js->constraints = flurm_constraint_from_doc (rd->doc, constraints, rd->err)))
        return -1;
    const struct flurm_doc_node *deps = flurm_doc_get (n, "dependencies");
    if (deps && read_dependencies (rd, deps) < 0)
        return -1;
    js->system = flurm_doc_to_json_checked (rd->doc, n, rd->err);
    return js->system ? 0 : -1;
}

static int read_attributes (struct reader *rd, const struct flurm_doc_node *n,
                            struct flurm_jobspec *js)
{
    static const char *const keys[] = {"system", "user", NULL};
    if (flurm_doc_check_keys (rd->doc, n, keys, "attributes", rd->err) < 0)
        return -1;
    const struct flurm_doc_node *system = require (rd, n, "system", "attributes");
    if (!system || read_system (rd, system, js) < 0)
        return -1;
    const struct flurm_doc_node *user = flurm_doc_get (n, "user");
    if (user) {
        if (flurm_doc_expect (rd->doc, user, FLURM_DOC_MAPPING, "attributes.user", rd->err) < 0 ||
            !(js->user = flurm_doc_to_json_checked (rd->doc, user, rd->err)))
            return -1;
    }
    return 0;
}

/* ---- the document ------------------------------------------------------ */

static struct flurm_jobspec *read_jobspec (const struct flurm_doc *doc, flurm_error_t *err)
{
    static const char *const keys[] = {"version", "resources", "tasks", "attributes", NULL};
    struct reader rd = {
        .doc = doc,
        .err = err,
        .labels = g_hash_table_new (g_str_hash, g_str_equal),
        .slot_labels = g_hash_table_new (g_str_hash, g_str_equal),
    };
    struct flurm_jobspec *js = g_new0 (struct flurm_jobspec, 1);
    const struct flurm_doc_node *root = doc->root;
    const struct flurm_doc_node *version, *resources, *tasks, *attributes;
    int64_t v;
    if (flurm_doc_check_keys (doc, root, keys, "jobspec", err) < 0 ||
        !(version = require (&rd, root, "version", "jobspec")) ||
        !(resources = require (&rd, root, "resources", "jobspec")) ||
        !(tasks = require (&rd, root, "tasks", "jobspec")) ||
        !(attributes = require (&rd, root, "attributes", "jobspec")) ||
        flurm_doc_int64 (doc, version, "version", INT64_MIN, INT64_MAX, &v, err) < 0)
        goto error;
    if (v != 1) {
        fail (&rd, version, "unsupported version %lld (only version 1 is supported)", (long long)v);
        goto error;
    }
    js->version = 1;
    if (read_resources (&rd, resources, "resources", 1, NULL, &js->resources, &js->nresources) <
            0 ||
        flurm_doc_expect (doc, tasks, FLURM_DOC_SEQUENCE, "tasks", err) < 0)
        goto error;
    if (tasks->n == 0) {
        fail (&rd, tasks, "tasks must not be empty");
        goto error;
    }
    js->tasks = g_new0 (struct flurm_jobspec_task, tasks->n);
    for (; js->ntasks < tasks->n; js->ntasks++) {
        const struct flurm_doc_node *task = tasks->items[js->ntasks];
        if (flurm_doc_expect (doc, task, FLURM_DOC_MAPPING, "a task", err) < 0 ||
            read_task (&rd, task, &js->tasks[js->ntasks]) < 0) {
            js->ntasks++;
            goto error;
        }
    }
    if (read_attributes (&rd, attributes, js) < 0)
        goto error;
    g_hash_table_destroy (rd.labels);
    g_hash_table_destroy (rd.slot_labels);
    return js;
error:
    g_hash_table_destroy (rd.labels);
    g_hash_table_destroy (rd.slot_labels);
    flurm_jobspec_destroy (js);
    return NULL;
}

static struct flurm_jobspec *read_doc (struct flurm_doc *doc, flurm_error_t *err)
{
    if (!doc)
        return NULL;
    struct flurm_jobspec *js = read_jobspec (doc, err);
    flurm_doc_destroy (doc);
    return js;
}

struct flurm_jobspec *flurm_jobspec_load_file (const char *path, flurm_error_t *err)
{
    return read_doc (flurm_doc_load_file (path, err), err);
}

struct flurm_jobspec *flurm_jobspec_load_buffer (const char *data, size_t len, const char *source,
                                                 flurm_error_t *err)
{
    return read_doc (flurm_doc_load_buffer (data, len, source, err), err);
}

struct flurm_jobspec *flurm_jobspec_from_json (const json_t *o, const char *source,
                                               flurm_error_t *err)
{
    return read_doc (flurm_doc_from_json (o, source ? source : "jobspec", err), err);
}

int flurm_jobspec_validate (const struct flurm_jobspec *js, flurm_error_t *err)
{
    if (!js)
        return flurm_error_set (err, "jobspec: no jobspec");
    json_t *o = flurm_jobspec_to_json (js);
    struct flurm_jobspec *copy = flurm_jobspec_from_json (o, "jobspec", err);
    json_decref (o);
    flurm_jobspec_destroy (copy);
    return copy ? 0 : -1;
}

/* ---- writing ----------------------------------------------------------- */

static json_t *string_or_null (const char *s)
{
    return s ? json_string (s) : json_null ();
}

static json_t *count_json (const struct flurm_count *c)
{
    if (c->min == c->max && c->op == '+' && c->operand == 1)
        return json_integer (c->min);
    json_t *o = json_pack ("{s:I}", "min", (json_int_t)c->min);
    if (c->max != UINT32_MAX)
        json_object_set_new (o, "max", json_integer (c->max));
    char op[2] = {c->op, '\0'};
    json_object_set_new (o, "operator", json_string (op));
    json_object_set_new (o, "operand", json_integer (c->operand));
    return o;
}

static json_t *resources_json (const struct flurm_jobspec_resource *res, size_t n, bool in_slot)
{
    json_t *list = json_array ();
    for (size_t i = 0; i < n && res; i++) {
        const struct flurm_jobspec_resource *r = &res[i];
        bool r_in_slot = in_slot || (r->type && strcmp (r->type, "slot") == 0);
        json_t *o = json_object ();
        json_object_set_new (o, "type", string_or_null (r->type));
        json_object_set_new (o, "count", count_json (&r->count));
        /* Written when the jobspec said it, or when it differs from what
         * would be implied, so that a built jobspec loses nothing. */
        if (r->exclusive_given || r->exclusive != r_in_slot)
            json_object_set_new (o, "exclusive", json_boolean (r->exclusive));
        if (r->label)
            json_object_set_new (o, "label", json_string (r->label));
        if (r->unit)
            json_object_set_new (o, "unit", json_string (r->unit));
        if (r->id)
            json_object_set_new (o, "id", json_string (r->id));
        if (r->nwith > 0)
            json_object_set_new (o, "with", resources_json (r->with, r->nwith, r_in_slot));
        json_array_append_new (list, o);
    }
    return list;
}

static json_t *tasks_json (const struct flurm_jobspec *js)
{
    json_t *list = json_array ();
    for (size_t i = 0; i < js->ntasks && js->tasks; i++) {
        const struct flurm_jobspec_task *t = &js->tasks[i];
        json_t *command = json_array ();
        for (char **arg = t->command; arg && *arg; arg++)
            json_array_append_new (command, json_string (*arg));
        json_t *o = json_pack (
            "{s:o s:o s:{s:I}}", "command", command, "slot", string_or_null (t->slot), "count",
            t->count_kind == FLURM_TASK_PER_SLOT ? "per_slot" : "total", (json_int_t)t->count);
        if (t->distribution)
            json_object_set_new (o, "distribution", json_string (t->distribution));
        if (t->attributes)
            json_object_set_new (o, "attributes", json_deep_copy (t->attributes));
        json_array_append_new (list, o);
    }
    return list;
}

/* Does the constraint object `given` say what `c` says? */
static bool same_constraint (const json_t *given, const struct flurm_constraint *c)
{
    struct flurm_constraint *parsed = flurm_constraint_from_json (given, "constraints", NULL);
    if (!parsed)
        return false;
    json_t *a = flurm_constraint_to_json (parsed);
    json_t *b = flurm_constraint_to_json (c);
    bool same = json_equal (a, b);
    json_decref (a);
    json_decref (b);
    flurm_constraint_destroy (parsed);
    return same;
}

static json_t *system_json (const struct flurm_jobspec *js)
{
    json_t *system =
        js->system && json_is_object (js->system) ? json_deep_copy (js->system) : json_object ();
    /* kept as given when it says the same (Flux writes 2.0), but -0.0 is 0 */
    json_t *duration = json_object_get (system, "duration");
    if (!json_is_number (duration) || json_number_value (duration) != js->duration ||
        signbit (json_number_value (duration)))
        json_object_set_new (system, "duration", flurm_json_number (js->duration));
    json_t *queue = json_object_get (system, "queue");
    if (!js->queue)
        json_object_del (system, "queue");
    else if (!json_is_string (queue) || strcmp (json_string_value (queue), js->queue) != 0)
        json_object_set_new (system, "queue", json_string (js->queue));
    json_t *constraints = json_object_get (system, "constraints");
    if (!js->constraints)
        json_object_del (system, "constraints");
    else if (!constraints || !same_constraint (constraints, js->constraints))
        json_object_set_new (system, "constraints", flurm_constraint_to_json (js->constraints));
    return system;
}

json_t *flurm_jobspec_to_json (const struct flurm_jobspec *js)
{
    json_t *attributes = json_pack ("{s:o}", "system", system_json (js));
    if (js->user)
        json_object_set_new (attributes, "user", json_deep_copy (js->user));
    return json_pack ("{s:i s:o s:o s:o}", "version", js->version, "resources",
                      resources_json (js->resources, js->nresources, false), "tasks",
                      tasks_json (js), "attributes", attributes);
}

/* ---- the rest ---------------------------------------------------------- */

static void resources_free (struct flurm_jobspec_resource *res, size_t n)
{
    for (size_t i = 0; i < n && res; i++) {
        g_free (res[i].type);
        g_free (res[i].label);
        g_free (res[i].unit);
        g_free (res[i].id);
        resources_free (res[i].with, res[i].nwith);
    }
    g_free (res);
}

void flurm_jobspec_destroy (struct flurm_jobspec *js)
{
    if (!js)
        return;
    resources_free (js->resources, js->nresources);
    for (size_t i = 0; i < js->ntasks && js->tasks; i++) {
        g_strfreev (js->tasks[i].command);
        g_free (js->tasks[i].slot);
        g_free (js->tasks[i].distribution);
        json_decref (js->tasks[i].attributes);
    }
    g_free (js->tasks);
    g_free (js->queue);
    flurm_constraint_destroy (js->constraints);
    json_decref (js->system);
    json_decref (js->user);
    g_free (js);
}

static uint64_t mul_saturate (uint64_t a, uint64_t b)
{
    if (a != 0 && b > UINT64_MAX / a)
        return UINT64_MAX;
    return a * b;
}

static uint64_t add_saturate (uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t count_slots (const struct flurm_jobspec_resource *res, size_t n, uint64_t above)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n && res; i++) {
        uint64_t here = mul_saturate (above, res[i].count.min);
        if (res[i].type && strcmp (res[i].type, "slot") == 0)
            total = add_saturate (total, here);
        else
            total = add_saturate (total, count_slots (res[i].with, res[i].nwith, here));
    }
    return total;
}

uint64_t flurm_jobspec_nslots (const struct flurm_jobspec *js)
{
    return js ? count_slots (js->resources, js->nresources, 1) : 0;
}
