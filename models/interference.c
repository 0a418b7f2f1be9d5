/* models/interference.c — job rates from socket sharing (see interference.h).
 *
 * Invariants:
 *  - a rate is always finite and > 0 for valid parameters: time(X) =
 *    (1 - m) + m * max(1, X) is >= 1 whenever m is in [0, 1] and X >= 0,
 *    so neither side of rate = time(Dc) / time(D) can be zero; the fit
 *    reader is what guarantees m in [0, 1] and finite d >= 0;
 *  - the empirical model answers from the table only in the two situations
 *    the ARIS runs measured (alone on a full socket, or 5 + 5 next to one
 *    profiled partner); everything else goes to the analytic formula and
 *    says so through *fallback, so a run can count its guesses;
 *  - a fit loaded for a profile file has exactly one entry per app of that
 *    file, in the file's order: a fit written for other profiles (an app
 *    added or renamed since) is refused rather than half used.
 */
#include "models/interference.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/doc.h"

struct flurm_interference {
    enum flurm_interference_kind kind;
    const struct flurm_app_profiles *profiles;
    const struct flurm_analytic_fit *fit;
};

static const char *const kind_names[] = {
    [FLURM_INTERFERENCE_NONE] = "none",
    [FLURM_INTERFERENCE_EMPIRICAL] = "empirical",
    [FLURM_INTERFERENCE_ANALYTIC] = "analytic",
};

#define NKINDS (sizeof (kind_names) / sizeof (kind_names[0]))

int flurm_interference_kind_parse (const char *name, enum flurm_interference_kind *out,
                                   flurm_error_t *err)
{
    for (size_t k = 0; name && k < NKINDS; k++) {
        if (strcmp (name, kind_names[k]) == 0) {
            *out = (enum flurm_interference_kind)k;
            return 0;
        }
    }
    return flurm_error_set (err, "unknown interference model %s (expected none, empirical "
                            "or analytic)", name ? FLURM_QUOTED (name) : "(null)");
}

const char *flurm_interference_kind_name (enum flurm_interference_kind k)
{
    return (size_t)k < NKINDS ? kind_names[k] : "unknown";
}

/* ---- the fit file ------------------------------------------------------ */

/* A process asking for the bandwidth of a million sockets is a typo, and
 * the cap keeps procs x d far from overflow (rates stay finite, > 0). */
#define MAX_DEMAND 1e6

/* The figures calibrate reports next to the parameters: read only to
 * check that they are sane, since nothing is computed from them. */
static const char *const summary_keys[] = {"observations", "rmse", "mape", "loo_pairs",
                                           "loo_median", "loo_p90", NULL};
static const char *const app_keys[] = {"memory_share", "demand", "observations", "mape",
                                       "loo_median", "loo_p90", NULL};

/* A finite number in [lo, hi] (hi may be INFINITY). */
static int get_number (const struct flurm_doc *doc, const struct flurm_doc_node *n,
                       const char *what, double lo, double hi, double *out, flurm_error_t *err)
{
    if (flurm_doc_double (doc, n, what, out, err) < 0)
        return -1;
    if (isfinite (*out) && *out >= lo && *out <= hi)
        return 0;
    if (isinf (hi))
        return flurm_doc_error (doc, n, err, "%s must be a finite number >= %g, not %s", what,
                                lo, n->text);
    return flurm_doc_error (doc, n, err, "%s must be a number in [%g, %g], not %s", what, lo,
                            hi, n->text);
}

/* Check the report figures of `map` (all keys but the parameters). */
static int check_figures (const struct flurm_doc *doc, const struct flurm_doc_node *map,
                          flurm_error_t *err)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *key = flurm_doc_key (map, i);
        const struct flurm_doc_node *v = flurm_doc_value (map, i);
        if (!strcmp (key, "memory_share") || !strcmp (key, "demand"))
            continue;
        if (!strcmp (key, "observations") || !strcmp (key, "loo_pairs")) {
            int64_t count;
            if (flurm_doc_int64 (doc, v, key, 0, INT64_MAX, &count, err) < 0)
                return -1;
        }
        else {
            double x;
            if (get_number (doc, v, key, 0, INFINITY, &x, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int read_app (const struct flurm_doc *doc, const struct flurm_doc_node *key,
                     const struct flurm_doc_node *map, struct flurm_analytic_params *out,
                     flurm_error_t *err)
{
    if (flurm_doc_check_keys (doc, map, app_keys, key->text, err) < 0
        || check_figures (doc, map, err) < 0)
        return -1;
    const struct flurm_doc_node *m = flurm_doc_get (map, "memory_share");
    const struct flurm_doc_node *d = flurm_doc_get (map, "demand");
    if (!m || !d)
        return flurm_doc_error (doc, key, err, "%s: %s missing", key->text,
                                !m ? "memory_share" : "demand");
    if (get_number (doc, m, "memory_share", 0, 1, &out->memory_share, err) < 0
        || get_number (doc, d, "demand", 0, MAX_DEMAND, &out->demand, err) < 0)
        return -1;
    return 0;
}

/* The key node of `key` in `map`, for messages about the whole entry. */
static const struct flurm_doc_node *key_of (const struct flurm_doc_node *map, const char *key)
{
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp (map->items[2 * i]->text, key) == 0)
            return map->items[2 * i];
    }
    return map;
}

static int read_fit (const struct flurm_doc *doc, const struct flurm_app_profiles *profiles,
                     struct flurm_analytic_fit *fit, flurm_error_t *err)
{
    static const char *const keys[] = {"profiles", "model", "method", "fit", "apps", NULL};
    const struct flurm_doc_node *root = doc->root;
    if (flurm_doc_check_keys (doc, root, keys, "fit file", err) < 0)
        return -1;
    const struct flurm_doc_node *model = flurm_doc_get (root, "model");
    const struct flurm_doc_node *apps = flurm_doc_get (root, "apps");
    const struct flurm_doc_node *summary = flurm_doc_get (root, "fit");
    if (!model || !apps)
        return flurm_doc_error (doc, root, err, "fit file lacks '%s'",
                                !model ? "model" : "apps");
    const char *kind = flurm_doc_string (doc, model, "model", err);
    if (!kind)
        return -1;
    if (strcmp (kind, "analytic") != 0)
        return flurm_doc_error (doc, model, err, "model must be analytic, not %s",
                                FLURM_QUOTED (kind));
    if ((flurm_doc_get (root, "profiles")
         && !flurm_doc_string (doc, flurm_doc_get (root, "profiles"), "profiles", err))
        || (flurm_doc_get (root, "method")
            && !flurm_doc_string (doc, flurm_doc_get (root, "method"), "method", err)))
        return -1;
    if (summary && (flurm_doc_check_keys (doc, summary, summary_keys, "fit", err) < 0
                    || check_figures (doc, summary, err) < 0))
        return -1;
    if (flurm_doc_expect (doc, apps, FLURM_DOC_MAPPING, "apps", err) < 0)
        return -1;
    bool *seen = g_new0 (bool, profiles->napps);
    int rc = 0;
    for (size_t i = 0; i < apps->n && rc == 0; i++) {
        const struct flurm_doc_node *key = apps->items[2 * i];
        int32_t a = flurm_app_profiles_find (profiles, key->text);
        if (a < 0)
            rc = flurm_doc_error (doc, key, err, "%s is not an app of %s (a fit for other "
                                  "profiles?)", FLURM_QUOTED (key->text), profiles->source);
        else {
            seen[a] = true; /* names are unique keys: doc refuses duplicates */
            rc = read_app (doc, key, flurm_doc_value (apps, i), &fit->apps[a], err);
        }
    }
    for (size_t a = 0; a < profiles->napps && rc == 0; a++) {
        if (!seen[a])
            rc = flurm_doc_error (doc, key_of (root, "apps"), err,
                                  "apps: no parameters for %s of %s",
                                  FLURM_QUOTED (profiles->apps[a].name), profiles->source);
    }
    g_free (seen);
    return rc;
}

struct flurm_analytic_fit *flurm_analytic_fit_load (const char *path,
                                                    const struct flurm_app_profiles *profiles,
                                                    flurm_error_t *err)
{
    if (!profiles) {
        flurm_error_set (err, "%s: a fit file needs the profiles it was fitted to", path);
        return NULL;
    }
    struct flurm_doc *doc = flurm_doc_load_file (path, err);
    if (!doc)
        return NULL;
    struct flurm_analytic_fit *fit = g_new0 (struct flurm_analytic_fit, 1);
    fit->source = g_strdup (path);
    fit->napps = profiles->napps;
    fit->apps = g_new0 (struct flurm_analytic_params, profiles->napps);
    if (read_fit (doc, profiles, fit, err) < 0) {
        flurm_analytic_fit_destroy (fit);
        fit = NULL;
    }
    flurm_doc_destroy (doc);
    return fit;
}

void flurm_analytic_fit_destroy (struct flurm_analytic_fit *fit)
{
    if (!fit)
        return;
    g_free (fit->source);
    g_free (fit->apps);
    g_free (fit);
}

/* ---- the model --------------------------------------------------------- */

struct flurm_interference *flurm_interference_create (enum flurm_interference_kind kind,
                                                      const struct flurm_app_profiles *profiles,
                                                      const struct flurm_analytic_fit *fit,
                                                      flurm_error_t *err)
{
    if ((size_t)kind >= NKINDS) {
        flurm_error_set (err, "unknown interference model %d", (int)kind);
        return NULL;
    }
    if (kind != FLURM_INTERFERENCE_NONE && !profiles) {
        flurm_error_set (err, "the %s interference model needs application profiles",
                         kind_names[kind]);
        return NULL;
    }
    if (kind == FLURM_INTERFERENCE_ANALYTIC && !fit) {
        flurm_error_set (err, "the analytic interference model needs a fit of %s (write one "
                         "with flurm-sim calibrate)", profiles->source);
        return NULL;
    }
    if (kind != FLURM_INTERFERENCE_NONE && fit && fit->napps != profiles->napps) {
        flurm_error_set (err, "%s has parameters for %zu apps, %s has %zu", fit->source,
                         fit->napps, profiles->source, profiles->napps);
        return NULL;
    }
    struct flurm_interference *m = g_new0 (struct flurm_interference, 1);
    m->kind = kind;
    m->profiles = kind == FLURM_INTERFERENCE_NONE ? NULL : profiles;
    m->fit = kind == FLURM_INTERFERENCE_NONE ? NULL : fit;
    return m;
}

void flurm_interference_destroy (struct flurm_interference *m)
{
    g_free (m);
}

enum flurm_interference_kind flurm_interference_kind (const struct flurm_interference *m)
{
    return m->kind;
}

/* Time of the job relative to its memory-free part at socket demand x. */
static double stretch (const struct flurm_analytic_params *p, double x)
{
    return (1.0 - p->memory_share) + p->memory_share * fmax (1.0, x);
}

double flurm_analytic_rate (const struct flurm_analytic_params *own,
                            const struct flurm_socket_share *s,
                            const struct flurm_analytic_params *const *others)
{
    double demand = s->procs * own->demand;
    for (size_t i = 0; i < s->nothers; i++) {
        if (others && others[i])
            demand += s->others[i].procs * others[i]->demand;
    }
    return stretch (own, s->cores * own->demand) / stretch (own, demand);
}

/* The one case the pair table holds: the job and one profiled partner,
 * each on half of the socket. */
static const struct flurm_app_pair *measured_pair (const struct flurm_interference *m,
                                                   uint32_t app,
                                                   const struct flurm_socket_share *s)
{
    if (s->nothers != 1 || s->others[0].app < 0 || (uint64_t)s->procs * 2 != s->cores
        || (uint64_t)s->others[0].procs * 2 != s->cores)
        return NULL;
    return flurm_app_profiles_pair (m->profiles, app, (uint32_t)s->others[0].app);
}

/* Partners' parameters, NULL for the unprofiled: a small array on the
 * stack covers every real socket (a handful of co-runners at most). */
#define STACK_PARTNERS 16

static double analytic (const struct flurm_interference *m, uint32_t app,
                        const struct flurm_socket_share *s, flurm_error_t *err)
{
    const struct flurm_analytic_params *stack[STACK_PARTNERS];
    const struct flurm_analytic_params **others =
        s->nothers <= STACK_PARTNERS ? stack : g_new (const struct flurm_analytic_params *,
                                                      s->nothers);
    double rate = 0;
    size_t i;
    for (i = 0; i < s->nothers; i++) {
        int32_t b = s->others[i].app;
        if (b >= 0 && (size_t)b >= m->fit->napps)
            break;
        others[i] = b < 0 ? NULL : &m->fit->apps[b];
    }
    if (i < s->nothers)
        flurm_error_set (err, "co-runner app %d is not an app of %s", (int)s->others[i].app,
                         m->profiles->source);
    else
        rate = flurm_analytic_rate (&m->fit->apps[app], s, others);
    if (others != stack)
        g_free (others);
    return rate;
}

double flurm_interference_rate (const struct flurm_interference *m, uint32_t app,
                                const struct flurm_socket_share *s, bool *fallback,
                                flurm_error_t *err)
{
    if (fallback)
        *fallback = false;
    if (m->kind == FLURM_INTERFERENCE_NONE)
        return 1.0;
    if (app >= m->profiles->napps) {
        flurm_error_set (err, "app %u is not an app of %s", app, m->profiles->source);
        return -1;
    }
    if (m->kind == FLURM_INTERFERENCE_EMPIRICAL) {
        if (s->procs == s->cores && s->nothers == 0)
            return 1.0;
        const struct flurm_app_pair *pair = measured_pair (m, app, s);
        if (pair)
            return pair->speedup;
        if (!m->fit) {
            flurm_error_set (err, "%s: %s on %u of %u cores with %zu co-runner(s) was not "
                             "measured, and there is no analytic fit to fall back on",
                             m->profiles->source, m->profiles->apps[app].name, s->procs,
                             s->cores, s->nothers);
            return -1;
        }
        if (fallback)
            *fallback = true;
    }
    double rate = analytic (m, app, s, err);
    return rate > 0 ? rate : -1;
}
