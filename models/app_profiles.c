/* models/app_profiles.c — read and check a profile file (see
 * models/app_profiles.h and docs/model-format.md).
 *
 * The document is read whole into the position-keeping tree (sim/doc.h)
 * and walked twice: first the app names, so that a pair may name an app
 * defined further down the file, then each app with its pairs.  Each value
 * is checked where it is read, so every error names the line and column of
 * the value at fault, and nothing half-read is ever returned.
 *
 * Invariants of a loaded set, which the interference models rely on:
 *   - names are unique and app i is the i-th entry of `apps:`;
 *   - every runtime (compact median, min, max, pair median) is finite and
 *     in (0, FLURM_APP_MAX_SECONDS], and min <= median <= max;
 *   - every run count is >= 1, every procs >= 1 and agrees with the name;
 *   - a pair's speedup agrees with compact median / pair median within
 *     SPEEDUP_TOLERANCE relative (the file rounds it to 4 decimals; a
 *     larger gap means the medians were edited and the speedup was not);
 *   - each app's pairs are sorted by partner index and a partner appears
 *     once (a YAML mapping has unique keys), so a lookup is a binary
 *     search.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "models/app_profiles.h"
#include "sim/doc.h"

#define SPEEDUP_TOLERANCE 1e-3
#define MAX_PROCS (1 << 24)    /* more MPI ranks than any machine has cores */
#define MAX_RUNS 1000000
#define MAX_SPEEDUP 1e3        /* a co-run 1000 times faster is a typo */

struct reader {
    const struct flurm_doc *doc;
    struct flurm_app_profiles *p;
    GHashTable *index;          /* name -> app index + 1 (names owned by p) */
    flurm_error_t *err;
};

/* "cg.D.64: compact.median": the field named in a message, the app's name
 * escaped so that a message stays one line. */
static const char *field (char *buf, size_t size, const char *app, const char *name)
{
    char esc[FLURM_QUOTE_SIZE];
    snprintf (buf, size, "%s: %s", flurm_error_escape (esc, sizeof (esc), app), name);
    return buf;
}

/* The value of `key` in `map`, or NULL with "APP: NAME is missing" at the
 * mapping (the line of the entry that lacks it). */
static const struct flurm_doc_node *need (const struct reader *rd,
                                          const struct flurm_doc_node *map, const char *key,
                                          const char *what)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, key);
    if (!n)
        flurm_doc_error (rd->doc, map, rd->err, "%s is missing", what);
    return n;
}

/* A number in (0, max]: NaN, infinities, zero and negatives all fail the
 * one comparison chain. */
static int read_positive (const struct reader *rd, const struct flurm_doc_node *map,
                          const char *key, const char *app, const char *name, double max,
                          const char *unit, double *out)
{
    char what[256];
    field (what, sizeof (what), app, name);
    const struct flurm_doc_node *n = need (rd, map, key, what);
    if (!n || flurm_doc_double (rd->doc, n, what, out, rd->err) < 0)
        return -1;
    if (!(isfinite (*out) && *out > 0 && *out <= max))
        return flurm_doc_error (rd->doc, n, rd->err, "%s must be in (0, %g]%s (got %s)", what,
                                max, unit, n->text);
    return 0;
}

static int read_seconds (const struct reader *rd, const struct flurm_doc_node *map,
                         const char *key, const char *app, const char *name, double *out)
{
    return read_positive (rd, map, key, app, name, FLURM_APP_MAX_SECONDS, " s", out);
}

static int read_count (const struct reader *rd, const struct flurm_doc_node *map,
                       const char *key, const char *app, const char *name, int64_t max,
                       uint32_t *out)
{
    char what[256];
    int64_t v;
    field (what, sizeof (what), app, name);
    const struct flurm_doc_node *n = need (rd, map, key, what);
    if (!n || flurm_doc_int64 (rd->doc, n, what, 1, max, &v, rd->err) < 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A name of the form x.Y.N states its process count N. */
static int check_procs (const struct reader *rd, const struct flurm_doc_node *procs_node,
                        const char *name, uint32_t procs)
{
    const char *last = strrchr (name, '.');
    const char *first = strchr (name, '.');
    if (!last || first == last || first == name || last == first + 1
        || strchr (first + 1, '.') != last || last[1] == '\0'
        || strspn (last + 1, "0123456789") != strlen (last + 1))
        return 0;
    errno = 0;
    unsigned long long n = strtoull (last + 1, NULL, 10);
    if (errno == 0 && n == procs)
        return 0;
    char esc[FLURM_QUOTE_SIZE];
    return flurm_doc_error (rd->doc, procs_node, rd->err,
                            "%s: procs %u disagrees with the name, which says %s",
                            flurm_error_escape (esc, sizeof (esc), name), procs, last + 1);
}

static int read_compact (const struct reader *rd, const struct flurm_doc_node *app_node,
                         struct flurm_app_profile *a)
{
    static const char *const keys[] = {"median", "min", "max", "runs", NULL};
    char what[256];
    const struct flurm_doc_node *n =
        need (rd, app_node, "compact", field (what, sizeof (what), a->name, "compact"));
    if (!n || flurm_doc_check_keys (rd->doc, n, keys, "compact", rd->err) < 0
        || read_seconds (rd, n, "median", a->name, "compact.median", &a->runtime) < 0
        || read_seconds (rd, n, "min", a->name, "compact.min", &a->runtime_min) < 0
        || read_seconds (rd, n, "max", a->name, "compact.max", &a->runtime_max) < 0
        || read_count (rd, n, "runs", a->name, "compact.runs", MAX_RUNS, &a->runs) < 0)
        return -1;
    if (!(a->runtime_min <= a->runtime && a->runtime <= a->runtime_max))
        return flurm_doc_error (rd->doc, n, rd->err,
                                "%s needs min <= median <= max (got min %g, median %g, "
                                "max %g)",
                                field (what, sizeof (what), a->name, "compact"),
                                a->runtime_min, a->runtime, a->runtime_max);
    return 0;
}

static int read_pair (const struct reader *rd, const struct flurm_app_profile *a,
                      const struct flurm_doc_node *key, const struct flurm_doc_node *v,
                      struct flurm_app_pair *pair)
{
    static const char *const keys[] = {"median", "min", "max", "runs", "speedup", NULL};
    char esc[FLURM_QUOTE_SIZE];
    gpointer found = g_hash_table_lookup (rd->index, key->text);
    if (!found)
        return flurm_doc_error (rd->doc, key, rd->err,
                                "%s: unknown partner '%s' (no app of that name in this file)",
                                flurm_error_escape (esc, sizeof (esc), a->name),
                                FLURM_ESCAPED (key->text));
    pair->partner = (uint32_t)(GPOINTER_TO_SIZE (found) - 1);
    /* "cg.D.64 next to ep.E.256" names the pair in messages. */
    char *who = g_strdup_printf ("%s next to %s", a->name, key->text);
    int rc = -1;
    if (flurm_doc_check_keys (rd->doc, v, keys, "pair", rd->err) < 0
        || read_seconds (rd, v, "median", who, "median", &pair->median) < 0
        || read_seconds (rd, v, "min", who, "min", &pair->min) < 0
        || read_seconds (rd, v, "max", who, "max", &pair->max) < 0
        || read_count (rd, v, "runs", who, "runs", MAX_RUNS, &pair->runs) < 0
        || read_positive (rd, v, "speedup", who, "speedup", MAX_SPEEDUP, "", &pair->speedup)
               < 0)
        goto out;
    if (!(pair->min <= pair->median && pair->median <= pair->max)) {
        flurm_doc_error (rd->doc, v, rd->err, "%s needs min <= median <= max (got min %g, "
                         "median %g, max %g)", who, pair->min, pair->median, pair->max);
        goto out;
    }
    double expect = a->runtime / pair->median;
    if (!(fabs (pair->speedup - expect) <= SPEEDUP_TOLERANCE * expect)) {
        char what[256];
        const struct flurm_doc_node *sn = flurm_doc_get (v, "speedup");
        flurm_doc_error (rd->doc, sn, rd->err,
                         "%s %s disagrees with compact median / median = %g / %g = %.4f",
                         field (what, sizeof (what), who, "speedup"), sn->text, a->runtime,
                         pair->median, expect);
        goto out;
    }
    rc = 0;
out:
    g_free (who);
    return rc;
}

static int cmp_partner (const void *x, const void *y)
{
    const struct flurm_app_pair *a = x, *b = y;
    return (a->partner > b->partner) - (a->partner < b->partner);
}

static int read_pairs (const struct reader *rd, const struct flurm_doc_node *app_node,
                       struct flurm_app_profile *a)
{
    const struct flurm_doc_node *n = flurm_doc_get (app_node, "pairs");
    if (!n)
        return 0;  /* no measured partner */
    if (flurm_doc_expect (rd->doc, n, FLURM_DOC_MAPPING, "pairs", rd->err) < 0)
        return -1;
    a->pairs = g_new0 (struct flurm_app_pair, n->n ? n->n : 1);
    for (size_t i = 0; i < n->n; i++) {
        if (read_pair (rd, a, n->items[2 * i], flurm_doc_value (n, i), &a->pairs[i]) < 0)
            return -1;
        a->npairs++;
    }
    qsort (a->pairs, a->npairs, sizeof (a->pairs[0]), cmp_partner);
    return 0;
}

static int read_app (const struct reader *rd, const struct flurm_doc_node *app_node,
                     struct flurm_app_profile *a)
{
    static const char *const keys[] = {"procs", "compact", "pairs", NULL};
    if (flurm_doc_check_keys (rd->doc, app_node, keys, "app", rd->err) < 0
        || read_count (rd, app_node, "procs", a->name, "procs", MAX_PROCS, &a->procs) < 0
        || check_procs (rd, flurm_doc_get (app_node, "procs"), a->name, a->procs) < 0
        || read_compact (rd, app_node, a) < 0 || read_pairs (rd, app_node, a) < 0)
        return -1;
    return 0;
}

/* Pass one: every name gets its index, so pass two can resolve partners
 * named before or after the app that names them. */
static int read_names (struct reader *rd, const struct flurm_doc_node *apps)
{
    struct flurm_app_profiles *p = rd->p;
    p->apps = g_new0 (struct flurm_app_profile, apps->n);
    for (size_t i = 0; i < apps->n; i++) {
        const struct flurm_doc_node *key = apps->items[2 * i];
        if (key->text[0] == '\0')
            return flurm_doc_error (rd->doc, key, rd->err, "an app name must not be empty");
        /* The tree already refuses duplicate keys; this keeps the
         * "names are unique" promise whatever reader built the tree. */
        if (g_hash_table_contains (rd->index, key->text))
            return flurm_doc_error (rd->doc, key, rd->err, "duplicate app '%s'",
                                    FLURM_ESCAPED (key->text));
        p->apps[i].name = g_strdup (key->text);
        p->napps++;
        g_hash_table_insert (rd->index, p->apps[i].name, GSIZE_TO_POINTER (i + 1));
    }
    return 0;
}

static char *optional_string (const struct reader *rd, const struct flurm_doc_node *map,
                              const char *key, int *rc)
{
    const struct flurm_doc_node *n = flurm_doc_get (map, key);
    const char *s = n ? flurm_doc_string (rd->doc, n, key, rd->err) : NULL;
    if (n && !s)
        *rc = -1;
    return g_strdup (s);
}

static int read_provenance (const struct reader *rd, const struct flurm_doc_node *root)
{
    static const char *const keys[] = {"data", "repository", "commit", "measured", NULL};
    struct flurm_app_provenance *pv = &rd->p->provenance;
    const struct flurm_doc_node *n = need (rd, root, "source", "source (the provenance)");
    int rc = 0;
    if (!n || flurm_doc_check_keys (rd->doc, n, keys, "source", rd->err) < 0
        || !need (rd, n, "measured", "source.measured (who measured, on what)"))
        return -1;
    pv->measured = optional_string (rd, n, "measured", &rc);
    if (rc == 0)
        pv->data = optional_string (rd, n, "data", &rc);
    if (rc == 0)
        pv->repository = optional_string (rd, n, "repository", &rc);
    if (rc == 0)
        pv->commit = optional_string (rd, n, "commit", &rc);
    return rc;
}

static int read_file (struct reader *rd, const struct flurm_doc_node *root, const char *dir)
{
    static const char *const keys[] = {"machine", "source", "fit", "apps", NULL};
    struct flurm_app_profiles *p = rd->p;
    int rc = 0;
    if (!root)
        return flurm_error_set (rd->err, "%s: empty profile file", rd->doc->source);
    if (flurm_doc_expect (rd->doc, root, FLURM_DOC_MAPPING, "profile file", rd->err) < 0
        || flurm_doc_check_keys (rd->doc, root, keys, "profile file", rd->err) < 0
        || !need (rd, root, "machine", "machine"))
        return -1;
    p->machine = optional_string (rd, root, "machine", &rc);
    char *fit = rc == 0 ? optional_string (rd, root, "fit", &rc) : NULL;
    if (fit)
        p->fit_path = g_path_is_absolute (fit) ? g_strdup (fit)
                                               : g_build_filename (dir, fit, NULL);
    g_free (fit);
    if (rc < 0 || read_provenance (rd, root) < 0)
        return -1;
    const struct flurm_doc_node *apps = need (rd, root, "apps", "apps");
    if (!apps || flurm_doc_expect (rd->doc, apps, FLURM_DOC_MAPPING, "apps", rd->err) < 0)
        return -1;
    if (apps->n == 0)
        return flurm_doc_error (rd->doc, apps, rd->err, "apps is empty: nothing to model");
    if (read_names (rd, apps) < 0)
        return -1;
    for (size_t i = 0; i < apps->n; i++) {
        if (read_app (rd, flurm_doc_value (apps, i), &p->apps[i]) < 0)
            return -1;
    }
    return 0;
}

struct flurm_app_profiles *flurm_app_profiles_load (const char *path, flurm_error_t *err)
{
    struct flurm_doc *doc = flurm_doc_load_file (path, err);
    if (!doc)
        return NULL;
    struct flurm_app_profiles *p = g_new0 (struct flurm_app_profiles, 1);
    p->source = g_strdup (doc->source);
    struct reader rd = {.doc = doc, .p = p, .index = g_hash_table_new (g_str_hash, g_str_equal),
                        .err = err};
    char *dir = g_path_get_dirname (path);
    int rc = read_file (&rd, doc->root, dir);
    g_free (dir);
    g_hash_table_destroy (rd.index);
    flurm_doc_destroy (doc);
    if (rc < 0) {
        flurm_app_profiles_destroy (p);
        return NULL;
    }
    return p;
}

void flurm_app_profiles_destroy (struct flurm_app_profiles *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->napps; i++) {
        g_free (p->apps[i].name);
        g_free (p->apps[i].pairs);
    }
    g_free (p->apps);
    g_free (p->source);
    g_free (p->machine);
    g_free (p->fit_path);
    g_free (p->provenance.data);
    g_free (p->provenance.repository);
    g_free (p->provenance.commit);
    g_free (p->provenance.measured);
    g_free (p);
}

/* A linear scan: profile files hold tens of apps, and names are looked up
 * when a trace is read, not while it is simulated. */
int32_t flurm_app_profiles_find (const struct flurm_app_profiles *p, const char *name)
{
    for (size_t i = 0; p && name && i < p->napps; i++) {
        if (strcmp (p->apps[i].name, name) == 0)
            return (int32_t)i;
    }
    return -1;
}

/* Binary search: asked each time a co-runner starts or ends. */
const struct flurm_app_pair *flurm_app_profiles_pair (const struct flurm_app_profiles *p,
                                                      uint32_t a, uint32_t b)
{
    if (!p || a >= p->napps || p->apps[a].npairs == 0)
        return NULL;
    const struct flurm_app_pair key = {.partner = b};
    return bsearch (&key, p->apps[a].pairs, p->apps[a].npairs, sizeof (key), cmp_partner);
}
