/* sim/rv1.c — Flux R version 1: see rv1.h. */
#include "sim/rv1.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/hostlist.h"
#include "sim/infile.h"
#include "sim/jgf.h"
#include "sim/jsonutil.h"
#include "sim/names.h"

/* No Flux instance comes near this many brokers; the limit keeps a typo
 * such as "0-2000000000" from allocating gigabytes. */
#define RV1_MAX_RANKS (1u << 20)

/* ---- the struct ------------------------------------------------------- */

struct flurm_rv1 *flurm_rv1_create (void)
{
    return g_new0 (struct flurm_rv1, 1);
}

void flurm_rv1_destroy (struct flurm_rv1 *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nranks; i++) {
        g_free (r->ranks[i].host);
        flurm_idset_destroy (r->ranks[i].cores);
        flurm_idset_destroy (r->ranks[i].gpus);
    }
    g_free (r->ranks);
    for (size_t i = 0; i < r->nproperties; i++) {
        g_free (r->properties[i].name);
        flurm_idset_destroy (r->properties[i].ranks);
    }
    g_free (r->properties);
    json_decref (r->scheduling);
    g_free (r);
}

/* Arrays grow to the next power of two when their length reaches one, so
 * no capacity field is needed and appends stay amortised O(1). */
static void *grow (void *array, size_t n, size_t elsize)
{
    if (n == 0)
        return g_malloc (4 * elsize);
    if (n >= 4 && (n & (n - 1)) == 0)
        return g_realloc (array, 2 * n * elsize);
    return array;
}

/* Index of `rank` in r->ranks, or -(insertion point) - 1. */
static long rank_find (const struct flurm_rv1 *r, uint32_t rank)
{
    if (r->nranks > 0 && r->ranks[r->nranks - 1].rank < rank)
        return -(long)r->nranks - 1; /* the common case: appending */
    size_t lo = 0, hi = r->nranks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->ranks[mid].rank < rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->nranks && r->ranks[lo].rank == rank)
        return (long)lo;
    return -(long)lo - 1;
}

struct flurm_rv1_rank *flurm_rv1_rank_get (struct flurm_rv1 *r, uint32_t rank, const char *host,
                                           flurm_error_t *err)
{
    if (rank > FLURM_IDSET_MAX_ID) {
        flurm_error_set (err, "rank %u is larger than the maximum %u", rank, FLURM_IDSET_MAX_ID);
        return NULL;
    }
    const char *problem = host ? flurm_name_host_problem (host) : NULL;
    if (problem) {
        flurm_error_set (err, "rank %u: host name %s %s", rank, FLURM_QUOTED (host), problem);
        return NULL;
    }
    long i = rank_find (r, rank);
    if (i >= 0) {
        struct flurm_rv1_rank *e = &r->ranks[i];
        if (host) {
            if (!e->host)
                e->host = g_strdup (host);
            else if (strcmp (e->host, host) != 0) {
                flurm_error_set (err, "rank %u is host %s, not %s", rank, e->host, host);
                return NULL;
            }
        }
        return e;
    }
    size_t pos = (size_t)(-i - 1);
    r->ranks = grow (r->ranks, r->nranks, sizeof (r->ranks[0]));
    memmove (&r->ranks[pos + 1], &r->ranks[pos], (r->nranks - pos) * sizeof (r->ranks[0]));
    r->nranks++;
    struct flurm_rv1_rank *e = &r->ranks[pos];
    e->rank = rank;
    e->host = host ? g_strdup (host) : NULL;
    e->cores = flurm_idset_create ();
    e->gpus = flurm_idset_create ();
    return e;
}

static struct flurm_rv1_property *property_get (struct flurm_rv1 *r, const char *name)
{
    size_t lo = 0, hi = r->nproperties;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp (r->properties[mid].name, name);
        if (c == 0)
            return &r->properties[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    r->properties = grow (r->properties, r->nproperties, sizeof (r->properties[0]));
    memmove (&r->properties[lo + 1], &r->properties[lo],
             (r->nproperties - lo) * sizeof (r->properties[0]));
    r->nproperties++;
    r->properties[lo].name = g_strdup (name);
    r->properties[lo].ranks = flurm_idset_create ();
    return &r->properties[lo];
}

int flurm_rv1_add_property (struct flurm_rv1 *r, const char *name, uint32_t rank,
                            flurm_error_t *err)
{
    const char *problem = flurm_name_property_problem (name);
    if (problem) {
        return flurm_error_set (err, "property name %s %s", FLURM_QUOTED (name), problem);
    }
    struct flurm_rv1_property *p = property_get (r, name);
    return flurm_idset_add (p->ranks, rank, err);
}

/* ---- parsing ---------------------------------------------------------- */

static int bad (flurm_error_t *err, const char *source, const char *where, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

/* "SOURCE: WHERE: message" */
static int bad (flurm_error_t *err, const char *source, const char *where, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_error_at (err, source, 0, 0, "%s: %s", where, msg);
}

static const char *json_kind (const json_t *j)
{
    switch (json_typeof (j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* Decode an idset at `where`, prefixing the idset's own message. */
static struct flurm_idset *parse_idset (const json_t *j, const char *source, const char *where,
                                        flurm_error_t *err)
{
    if (!json_is_string (j)) {
        bad (err, source, where, "must be an idset string, not %s", json_kind (j));
        return NULL;
    }
    flurm_error_t e = {{0}};
    struct flurm_idset *set = flurm_idset_decode (json_string_value (j), &e);
    if (!set)
        bad (err, source, where, "%s", e.text);
    return set;
}

static int parse_time (const json_t *exec, const char *key, double *out, const char *source,
                       flurm_error_t *err)
{
    const json_t *j = json_object_get (exec, key);
    char where[64];
    snprintf (where, sizeof (where), "execution.%s", key);
    *out = 0;
    if (!j || json_is_null (j))
        return 0;
    if (!json_is_number (j))
        return bad (err, source, where, "must be a number, not %s", json_kind (j));
    double v = json_number_value (j);
    if (!(v >= 0) || !isfinite (v))
        return bad (err, source, where, "must be >= 0 (got %g)", v);
    *out = v;
    return 0;
}

/* One rank of R_lite, before sorting: which entry named it (for errors)
 * and that entry's sets (owned by the entry list). */
struct pending_rank {
    uint32_t rank;
    uint32_t entry;
};

static int cmp_pending (const void *a, const void *b)
{
    const struct pending_rank *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Parse entry i of R_lite: its rank set onto `pending`, its cores and gpus
 * (NULL when none) onto `sets` as the pair 2i, 2i+1. */
static int parse_rlite_entry (const json_t *entry, size_t i, GArray *pending, GPtrArray *sets,
                              const char *source, flurm_error_t *err)
{
    char where[96];
    snprintf (where, sizeof (where), "execution.R_lite[%zu]", i);
    if (!json_is_object (entry))
        return bad (err, source, where, "must be an object, not %s", json_kind (entry));
    const json_t *jrank = json_object_get (entry, "rank");
    const json_t *children = json_object_get (entry, "children");
    if (!jrank)
        return bad (err, source, where, "missing key rank");
    if (!children)
        return bad (err, source, where, "missing key children");
    snprintf (where, sizeof (where), "execution.R_lite[%zu].children", i);
    if (!json_is_object (children))
        return bad (err, source, where, "must be an object, not %s", json_kind (children));
    const char *key;
    const json_t *val;
    json_object_foreach ((json_t *)children, key, val)
    {
        if (strcmp (key, "core") != 0 && strcmp (key, "gpu") != 0) {
            return bad (err, source, where,
                        "unsupported resource type %s (R children may be core and gpu)",
                        FLURM_QUOTED (key));
        }
    }
    if (!json_object_get (children, "core"))
        return bad (err, source, where, "missing key core");

    snprintf (where, sizeof (where), "execution.R_lite[%zu].children.core", i);
    struct flurm_idset *cores =
        parse_idset (json_object_get (children, "core"), source, where, err);
    if (!cores)
        return -1;
    g_ptr_array_add (sets, cores);
    struct flurm_idset *gpus = NULL;
    const json_t *jgpu = json_object_get (children, "gpu");
    if (jgpu) {
        snprintf (where, sizeof (where), "execution.R_lite[%zu].children.gpu", i);
        if (!(gpus = parse_idset (jgpu, source, where, err))) {
            g_ptr_array_add (sets, NULL);
            return -1;
        }
    }
    g_ptr_array_add (sets, gpus);
    snprintf (where, sizeof (where), "execution.R_lite[%zu].rank", i);
    struct flurm_idset *ranks = parse_idset (jrank, source, where, err);
    int rc = 0;
    if (!ranks)
        rc = -1;
    else if (flurm_idset_empty (ranks))
        rc = bad (err, source, where, "must name at least one rank");
    else if (pending->len + flurm_idset_count (ranks) > RV1_MAX_RANKS)
        rc = bad (err, source, where, "more than %u ranks in R", RV1_MAX_RANKS);
    for (uint32_t rk = rc == 0 ? flurm_idset_first (ranks) : FLURM_IDSET_NONE;
         rk != FLURM_IDSET_NONE; rk = flurm_idset_next (ranks, rk)) {
        struct pending_rank pr = {rk, (uint32_t)i};
        g_array_append_val (pending, pr);
    }
    flurm_idset_destroy (ranks);
    return rc;
}

/* The entries may list ranks in any order: they are collected, sorted
 * once and checked for repeats, never inserted one by one into the
 * sorted array (quadratic for ranks given in decreasing order). */
static int parse_rlite (struct flurm_rv1 *r, const json_t *rlite, const char *source,
                        flurm_error_t *err)
{
    if (!rlite)
        return bad (err, source, "execution", "missing key R_lite");
    if (!json_is_array (rlite))
        return bad (err, source, "execution.R_lite", "must be a list, not %s", json_kind (rlite));
    if (json_array_size (rlite) == 0)
        return bad (err, source, "execution.R_lite", "must not be empty");
    GArray *pending = g_array_new (FALSE, FALSE, sizeof (struct pending_rank));
    GPtrArray *sets = g_ptr_array_new_with_free_func ((GDestroyNotify)flurm_idset_destroy);
    int rc = 0;
    size_t i;
    const json_t *entry;
    json_array_foreach (rlite, i, entry)
    {
        if ((rc = parse_rlite_entry (entry, i, pending, sets, source, err)) < 0)
            goto out;
    }
    qsort (pending->data, pending->len, sizeof (struct pending_rank), cmp_pending);
    const struct pending_rank *pr = (const struct pending_rank *)(void *)pending->data;
    for (size_t k = 1; k < pending->len; k++) {
        if (pr[k].rank == pr[k - 1].rank) {
            char where[96];
            snprintf (where, sizeof (where), "execution.R_lite[%u].rank", pr[k].entry);
            rc = bad (err, source, where, "rank %u is listed twice in R_lite", pr[k].rank);
            goto out;
        }
    }
    /* r->ranks follows grow()'s capacity rule: 4, then powers of two. */
    size_t cap = 4;
    while (cap < pending->len)
        cap *= 2;
    r->ranks = g_new0 (struct flurm_rv1_rank, cap);
    for (size_t k = 0; k < pending->len; k++) {
        const struct flurm_idset *gpus = g_ptr_array_index (sets, 2 * pr[k].entry + 1);
        struct flurm_rv1_rank *e = &r->ranks[k];
        e->rank = pr[k].rank;
        e->cores = flurm_idset_copy (g_ptr_array_index (sets, 2 * pr[k].entry));
        e->gpus = gpus ? flurm_idset_copy (gpus) : flurm_idset_create ();
    }
    r->nranks = pending->len;
out:
    g_array_free (pending, TRUE);
    g_ptr_array_free (sets, TRUE);
    return rc;
}

/* The index-th host names the index-th rank (checked: as many hosts as
 * ranks). */
static int name_rank (const char *host, size_t index, void *arg)
{
    struct flurm_rv1 *r = arg;
    r->ranks[index].host = g_strdup (host);
    return 0;
}

static int parse_nodelist (struct flurm_rv1 *r, const json_t *nodelist, const char *source,
                           flurm_error_t *err)
{
    if (!nodelist || json_is_null (nodelist))
        return 0;
    if (!json_is_array (nodelist))
        return bad (err, source, "execution.nodelist", "must be a list of hostlists, not %s",
                    json_kind (nodelist));
    struct flurm_hostlist *all = flurm_hostlist_create ();
    size_t i;
    const json_t *item;
    json_array_foreach (nodelist, i, item)
    {
        char where[64];
        snprintf (where, sizeof (where), "execution.nodelist[%zu]", i);
        if (!json_is_string (item)) {
            flurm_hostlist_destroy (all);
            return bad (err, source, where, "must be a hostlist string, not %s", json_kind (item));
        }
        flurm_error_t e = {{0}};
        struct flurm_hostlist *hl = flurm_hostlist_decode (json_string_value (item), &e);
        if (!hl || flurm_hostlist_append_list (all, hl, &e) < 0) {
            flurm_hostlist_destroy (hl);
            flurm_hostlist_destroy (all);
            return bad (err, source, where, "%s", e.text);
        }
        flurm_hostlist_destroy (hl);
        if (flurm_hostlist_count (all) > r->nranks)
            break; /* already too many: no need to expand further */
    }
    size_t n = flurm_hostlist_count (all);
    if (n != r->nranks) {
        flurm_hostlist_destroy (all);
        if (n > r->nranks)
            return bad (err, source, "execution.nodelist",
                        "more hosts than the %zu ranks of R_lite (hosts map "
                        "1:1 onto the sorted ranks)",
                        r->nranks);
        return bad (err, source, "execution.nodelist",
                    "%zu hosts for the %zu ranks of R_lite (hosts map 1:1 "
                    "onto the sorted ranks)",
                    n, r->nranks);
    }
    flurm_hostlist_foreach (all, name_rank, r);
    flurm_hostlist_destroy (all);
    return 0;
}

static int parse_properties (struct flurm_rv1 *r, const json_t *props, const char *source,
                             flurm_error_t *err)
{
    if (!props || json_is_null (props))
        return 0;
    if (!json_is_object (props))
        return bad (err, source, "execution.properties", "must be an object, not %s",
                    json_kind (props));
    const char *name;
    const json_t *val;
    json_object_foreach ((json_t *)props, name, val)
    {
        const char *problem = flurm_name_property_problem (name);
        if (problem) {
            return bad (err, source, "execution.properties", "property name %s %s",
                        FLURM_QUOTED (name), problem);
        }
        char where[FLURM_ERROR_MAX / 2];
        snprintf (where, sizeof (where), "execution.properties.%s", name);
        struct flurm_idset *ranks = parse_idset (val, source, where, err);
        if (!ranks)
            return -1;
        for (uint32_t rk = flurm_idset_first (ranks); rk != FLURM_IDSET_NONE;
             rk = flurm_idset_next (ranks, rk)) {
            if (rank_find (r, rk) < 0) {
                flurm_idset_destroy (ranks);
                return bad (err, source, where, "rank %u is not in R_lite", rk);
            }
        }
        struct flurm_rv1_property *p = property_get (r, name);
        int rc = flurm_idset_add_set (p->ranks, ranks, NULL);
        flurm_idset_destroy (ranks);
        if (rc < 0)
            return bad (err, source, where, "cannot store the ranks");
    }
    return 0;
}

struct flurm_rv1 *flurm_rv1_parse (const json_t *R, const char *source, flurm_error_t *err)
{
    if (!source)
        source = "R";
    if (!json_is_object (R)) {
        flurm_error_at (err, source, 0, 0, "R must be a JSON object, not %s",
                        R ? json_kind (R) : "nothing");
        return NULL;
    }
    const json_t *version = json_object_get (R, "version");
    if (!version) {
        flurm_error_at (err, source, 0, 0, "missing key version");
        return NULL;
    }
    if (!json_is_integer (version) || json_integer_value (version) != 1) {
        char *text = json_dumps (version, JSON_ENCODE_ANY | JSON_COMPACT);
        bad (err, source, "version", "must be 1 (got %s)", text ? text : "?");
        free (text);
        return NULL;
    }
    const json_t *exec = json_object_get (R, "execution");
    if (!exec) {
        flurm_error_at (err, source, 0, 0, "missing key execution");
        return NULL;
    }
    if (!json_is_object (exec)) {
        bad (err, source, "execution", "must be an object, not %s", json_kind (exec));
        return NULL;
    }
    struct flurm_rv1 *r = flurm_rv1_create ();
    if (parse_rlite (r, json_object_get (exec, "R_lite"), source, err) < 0 ||
        parse_nodelist (r, json_object_get (exec, "nodelist"), source, err) < 0 ||
        parse_properties (r, json_object_get (exec, "properties"), source, err) < 0 ||
        parse_time (exec, "starttime", &r->starttime, source, err) < 0 ||
        parse_time (exec, "expiration", &r->expiration, source, err) < 0)
        goto error;
    if (r->starttime > 0 && r->expiration > 0 && r->expiration < r->starttime) {
        bad (err, source, "execution.expiration", "%.*g is before starttime %.*g",
             flurm_json_real_digits (r->expiration), r->expiration,
             flurm_json_real_digits (r->starttime), r->starttime);
        goto error;
    }
    const json_t *nslots = json_object_get (exec, "nslots");
    if (nslots && !(json_is_integer (nslots) && json_integer_value (nslots) > 0)) {
        bad (err, source, "execution.nslots", "must be an integer > 0");
        goto error;
    }
    const json_t *sched = json_object_get (R, "scheduling");
    if (sched && !json_is_null (sched)) {
        if (!json_is_object (sched)) {
            bad (err, source, "scheduling", "must be an object, not %s", json_kind (sched));
            goto error;
        }
        r->scheduling = json_incref ((json_t *)sched);
    }
    return r;
error:
    flurm_rv1_destroy (r);
    return NULL;
}

struct flurm_rv1 *flurm_rv1_load_file (const char *path, flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (path, FLURM_RV1_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    json_t *R = flurm_json_parse (data, len, 0, path, "not JSON", err);
    g_free (data);
    if (!R)
        return NULL;
    struct flurm_rv1 *r = flurm_rv1_parse (R, path, err);
    json_decref (R);
    return r;
}

/* ---- writing ---------------------------------------------------------- */

/* Ranks with identical children, in order of their first rank. */
struct group {
    const struct flurm_rv1_rank *first;
    struct flurm_idset *ranks;
    struct flurm_hostlist *hosts;
};

static GArray *group_ranks (const struct flurm_rv1 *r, bool with_hosts)
{
    GArray *groups = g_array_new (FALSE, FALSE, sizeof (struct group));
    GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < r->nranks; i++) {
        const struct flurm_rv1_rank *e = &r->ranks[i];
        char *c = flurm_idset_encode (e->cores);
        char *gp = flurm_idset_encode (e->gpus);
        char *key = g_strdup_printf ("%s|%s", c, gp);
        g_free (c);
        g_free (gp);
        gpointer found;
        size_t gi;
        if (g_hash_table_lookup_extended (index, key, NULL, &found)) {
            gi = GPOINTER_TO_SIZE (found);
            g_free (key);
        } else {
            struct group gr = {e, flurm_idset_create (),
                               with_hosts ? flurm_hostlist_create () : NULL};
            g_array_append_val (groups, gr);
            gi = groups->len - 1;
            g_hash_table_insert (index, key, GSIZE_TO_POINTER (gi));
        }
        struct group *gr = &g_array_index (groups, struct group, gi);
        flurm_idset_add (gr->ranks, e->rank, NULL);
        /* a name no nodelist can hold leaves the group's count short, and
         * the summary then shows ranks only */
        if (gr->hosts && e->host)
            (void)flurm_hostlist_append_host (gr->hosts, e->host, NULL);
    }
    g_hash_table_destroy (index);
    return groups;
}

static void groups_free (GArray *groups)
{
    for (guint i = 0; i < groups->len; i++) {
        struct group *gr = &g_array_index (groups, struct group, i);
        flurm_idset_destroy (gr->ranks);
        flurm_hostlist_destroy (gr->hosts);
    }
    g_array_free (groups, TRUE);
}

static json_t *json_idset (const struct flurm_idset *set)
{
    char *s = flurm_idset_encode (set);
    json_t *j = json_string (s);
    g_free (s);
    return j;
}

/* Integral values as JSON integers (as Fluxion writes them), others real. */
json_t *flurm_rv1_to_json (const struct flurm_rv1 *r)
{
    json_t *R = json_object ();
    json_t *exec = json_object ();
    json_t *rlite = json_array ();
    json_object_set_new (R, "version", json_integer (1));
    json_object_set_new (R, "execution", exec);
    json_object_set_new (exec, "R_lite", rlite);

    GArray *groups = group_ranks (r, false);
    for (guint i = 0; i < groups->len; i++) {
        struct group *gr = &g_array_index (groups, struct group, i);
        json_t *children = json_object ();
        json_object_set_new (children, "core", json_idset (gr->first->cores));
        if (!flurm_idset_empty (gr->first->gpus))
            json_object_set_new (children, "gpu", json_idset (gr->first->gpus));
        json_t *entry = json_object ();
        json_object_set_new (entry, "rank", json_idset (gr->ranks));
        json_object_set_new (entry, "children", children);
        json_array_append_new (rlite, entry);
    }
    groups_free (groups);

    bool all_hosts = r->nranks > 0;
    /* rank_get and the readers refuse names a nodelist cannot hold; an R
     * whose hosts were set by hand gets no nodelist rather than a wrong one */
    for (size_t i = 0; i < r->nranks && all_hosts; i++)
        all_hosts = r->ranks[i].host != NULL && !flurm_name_host_problem (r->ranks[i].host);
    if (all_hosts) {
        struct flurm_hostlist *hl = flurm_hostlist_create ();
        for (size_t i = 0; i < r->nranks; i++)
            (void)flurm_hostlist_append_host (hl, r->ranks[i].host, NULL);
        char *s = flurm_hostlist_encode (hl);
        json_t *nodelist = json_array ();
        json_array_append_new (nodelist, json_string (s));
        json_object_set_new (exec, "nodelist", nodelist);
        g_free (s);
        flurm_hostlist_destroy (hl);
    }
    if (r->nproperties > 0) {
        json_t *props = json_object ();
        for (size_t i = 0; i < r->nproperties; i++)
            json_object_set_new (props, r->properties[i].name, json_idset (r->properties[i].ranks));
        json_object_set_new (exec, "properties", props);
    }
    json_object_set_new (exec, "starttime", flurm_json_number (r->starttime));
    json_object_set_new (exec, "expiration", flurm_json_number (r->expiration));
    if (r->scheduling)
        json_object_set (R, "scheduling", r->scheduling);
    return R;
}

char *flurm_rv1_summary (const struct flurm_rv1 *r)
{
    if (r->nranks == 0)
        return g_strdup ("(empty)");
    GString *s = g_string_new (NULL);
    GArray *groups = group_ranks (r, true);
    for (guint i = 0; i < groups->len; i++) {
        struct group *gr = &g_array_index (groups, struct group, i);
        if (i > 0)
            g_string_append (s, "; ");
        if (gr->hosts && flurm_hostlist_count (gr->hosts) == flurm_idset_count (gr->ranks)) {
            char *h = flurm_hostlist_encode (gr->hosts);
            g_string_append (s, h);
            g_free (h);
        } else {
            char *rk = flurm_idset_encode (gr->ranks);
            g_string_append_printf (s, "rank[%s]", rk);
            g_free (rk);
        }
        char *c = flurm_idset_encode (gr->first->cores);
        g_string_append_printf (s, ": core[%s]", c);
        g_free (c);
        if (!flurm_idset_empty (gr->first->gpus)) {
            char *gp = flurm_idset_encode (gr->first->gpus);
            g_string_append_printf (s, " gpu[%s]", gp);
            g_free (gp);
        }
    }
    groups_free (groups);
    return g_string_free (s, FALSE);
}

/* ---- R -> graph ------------------------------------------------------- */

struct builder_ctx {
    struct flurm_graph_builder *b;
    int64_t next_uniq;
    flurm_error_t *err;
};

static int64_t add_vertex (struct builder_ctx *c, int64_t parent, const char *type,
                           const char *basename, const char *name, int64_t id, int32_t rank,
                           size_t nprops, const char *const *keys, const char *const *values)
{
    struct flurm_vertex_spec spec = {
        .type = type,
        .basename = basename,
        .name = name,
        .id = id,
        .uniq_id = c->next_uniq++,
        .rank = rank,
        .size = 1,
        .unit = NULL,
        .exclusive = false,
        .status = FLURM_STATUS_UP,
        .nprops = nprops,
        .prop_keys = keys,
        .prop_values = values,
    };
    int64_t v = flurm_graph_builder_add_vertex (c->b, &spec, c->err);
    if (v < 0)
        return -1;
    if (parent >= 0 && flurm_graph_builder_add_edge (c->b, parent, v, c->err) < 0)
        return -1;
    return v;
}

static int add_leaves (struct builder_ctx *c, int64_t parent, const char *type, const uint32_t *ids,
                       size_t n, int32_t rank)
{
    for (size_t i = 0; i < n; i++) {
        if (add_vertex (c, parent, type, type, NULL, ids[i], rank, 0, NULL, NULL) < 0)
            return -1;
    }
    return 0;
}

static uint32_t *idset_array (const struct flurm_idset *set, size_t *n)
{
    *n = (size_t)flurm_idset_count (set);
    uint32_t *a = g_new (uint32_t, *n ? *n : 1);
    size_t k = 0;
    for (uint32_t id = flurm_idset_first (set); id != FLURM_IDSET_NONE;
         id = flurm_idset_next (set, id))
        a[k++] = id;
    return a;
}

static int add_rank (struct builder_ctx *c, int64_t cluster, const struct flurm_rv1_rank *e,
                     GPtrArray *props, uint32_t cps, const char *source)
{
    char *basename;
    int64_t id;
    char *name;
    if (e->host) {
        flurm_name_split_host (e->host, &basename, &id);
        name = g_strdup (e->host);
    } else {
        basename = g_strdup ("node");
        id = e->rank;
        name = g_strdup_printf ("node%u", e->rank);
    }
    size_t nprops = props ? props->len : 0;
    const char **values = g_new0 (const char *, nprops + 1);
    for (size_t i = 0; i < nprops; i++)
        values[i] = "";
    int32_t rank = (int32_t)e->rank;
    int64_t node = add_vertex (c, cluster, "node", basename, name, id, rank, nprops,
                               props ? (const char *const *)props->pdata : NULL, values);
    g_free (values);
    g_free (basename);
    if (node < 0) {
        g_free (name);
        return -1;
    }
    size_t ncores, ngpus;
    uint32_t *cores = idset_array (e->cores, &ncores);
    uint32_t *gpus = idset_array (e->gpus, &ngpus);
    int rc = -1;
    if (cps == 0) {
        if (add_leaves (c, node, "core", cores, ncores, rank) < 0 ||
            add_leaves (c, node, "gpu", gpus, ngpus, rank) < 0)
            goto out;
        rc = 0;
        goto out;
    }
    if (ncores % cps != 0) {
        flurm_error_at (c->err, source, 0, 0,
                        "rank %u (%s): %zu cores is not a multiple of "
                        "%u cores per socket",
                        e->rank, name, ncores, cps);
        goto out;
    }
    /* Socket k holds the cores whose id / cps == k; gpus are spread evenly
     * over the sockets present, in id order. */
    size_t nsock = 0;
    uint32_t *sock_ids = g_new (uint32_t, ncores ? ncores : 1);
    size_t *sock_start = g_new (size_t, ncores + 1);
    for (size_t i = 0; i < ncores; i++) {
        uint32_t s = cores[i] / cps;
        if (nsock == 0 || sock_ids[nsock - 1] != s) {
            sock_ids[nsock] = s;
            sock_start[nsock] = i;
            nsock++;
        }
    }
    sock_start[nsock] = ncores;
    if (nsock == 0 && ngpus > 0) {
        flurm_error_at (c->err, source, 0, 0,
                        "rank %u (%s): gpus but no cores to infer sockets "
                        "from",
                        e->rank, name);
        g_free (sock_ids);
        g_free (sock_start);
        goto out;
    }
    size_t gpu_pos = 0;
    for (size_t s = 0; s < nsock; s++) {
        int64_t sock =
            add_vertex (c, node, "socket", "socket", NULL, sock_ids[s], rank, 0, NULL, NULL);
        if (sock < 0 || add_leaves (c, sock, "core", cores + sock_start[s],
                                    sock_start[s + 1] - sock_start[s], rank) < 0) {
            g_free (sock_ids);
            g_free (sock_start);
            goto out;
        }
        size_t gpu_end = ngpus * (s + 1) / nsock;
        if (add_leaves (c, sock, "gpu", gpus + gpu_pos, gpu_end - gpu_pos, rank) < 0) {
            g_free (sock_ids);
            g_free (sock_start);
            goto out;
        }
        gpu_pos = gpu_end;
    }
    g_free (sock_ids);
    g_free (sock_start);
    rc = 0;
out:
    g_free (cores);
    g_free (gpus);
    g_free (name);
    return rc;
}

struct flurm_graph *flurm_rv1_to_graph (const struct flurm_rv1 *r, uint32_t cores_per_socket,
                                        const char *source, flurm_error_t *err)
{
    if (!source)
        source = "R";
    if (r->scheduling) {
        char *src = g_strdup_printf ("%s: scheduling", source);
        struct flurm_graph *g = flurm_jgf_load_json (r->scheduling, src, err);
        g_free (src);
        return g;
    }
    if (r->nranks == 0) {
        flurm_error_at (err, source, 0, 0, "R has no ranks");
        return NULL;
    }
    /* Vertex count, to size the builder and refuse absurd inputs. */
    uint64_t nv = 1;
    for (size_t i = 0; i < r->nranks; i++) {
        uint64_t nc = flurm_idset_count (r->ranks[i].cores);
        uint64_t ng = flurm_idset_count (r->ranks[i].gpus);
        if (nc + ng > FLURM_GRAPH_MAX_PER_NODE) {
            flurm_error_at (err, source, 0, 0,
                            "rank %u (%s): %llu cores and gpus, more than the limit of %u "
                            "per node",
                            r->ranks[i].rank, r->ranks[i].host ? r->ranks[i].host : "no host name",
                            (unsigned long long)(nc + ng), FLURM_GRAPH_MAX_PER_NODE);
            return NULL;
        }
        nv += 1 + nc + ng + (cores_per_socket ? nc / cores_per_socket + 1 : 0);
        if (nv > FLURM_GRAPH_MAX_VERTICES) {
            flurm_error_at (err, source, 0, 0, "R describes more than %u vertices",
                            FLURM_GRAPH_MAX_VERTICES);
            return NULL;
        }
    }
    /* Node properties: names per rank, in name order. */
    GPtrArray **props = g_new0 (GPtrArray *, r->nranks);
    for (size_t p = 0; p < r->nproperties; p++) {
        const struct flurm_rv1_property *pr = &r->properties[p];
        for (uint32_t rk = flurm_idset_first (pr->ranks); rk != FLURM_IDSET_NONE;
             rk = flurm_idset_next (pr->ranks, rk)) {
            long i = rank_find (r, rk);
            if (i < 0)
                continue; /* parse refuses this; a hand-built R may not */
            if (!props[i])
                props[i] = g_ptr_array_new ();
            g_ptr_array_add (props[i], pr->name);
        }
    }
    struct builder_ctx c = {flurm_graph_builder_new ((size_t)nv), 0, err};
    struct flurm_graph *g = NULL;
    int64_t cluster = add_vertex (&c, -1, "cluster", "cluster", "cluster0", 0, -1, 0, NULL, NULL);
    if (cluster < 0)
        goto out;
    for (size_t i = 0; i < r->nranks; i++) {
        if (add_rank (&c, cluster, &r->ranks[i], props[i], cores_per_socket, source) < 0)
            goto out;
    }
    g = flurm_graph_builder_finish (c.b, err);
    c.b = NULL;
    if (!g)
        flurm_error_prefix (err, "%s", source);
out:
    flurm_graph_builder_destroy (c.b);
    for (size_t i = 0; i < r->nranks; i++) {
        if (props[i])
            g_ptr_array_free (props[i], TRUE);
    }
    g_free (props);
    return g;
}

/* ---- graph -> R ------------------------------------------------------- */

static int cmp_rank_entry (const void *a, const void *b)
{
    const struct flurm_rv1_rank *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp (x->host, y->host); /* deterministic order for the error */
}

/* The node's cores and gpus, found below it (not below nested nodes). */
static int collect_leaves (const struct flurm_graph *g, flurm_vid nv, struct flurm_rv1_rank *e,
                           GArray *stack, flurm_error_t *err)
{
    flurm_atom core = flurm_graph_atom (g, "core");
    flurm_atom gpu = flurm_graph_atom (g, "gpu");
    flurm_atom node_t = flurm_graph_atom (g, "node");
    const struct flurm_vertex *n = flurm_graph_vertex (g, nv);
    g_array_set_size (stack, 0);
    for (uint32_t k = 0; k < n->nchildren; k++) {
        flurm_vid ch = n->first_child + n->nchildren - 1 - k;
        g_array_append_val (stack, ch);
    }
    while (stack->len > 0) {
        flurm_vid v = g_array_index (stack, flurm_vid, stack->len - 1);
        g_array_set_size (stack, stack->len - 1);
        const struct flurm_vertex *x = flurm_graph_vertex (g, v);
        if (x->type == node_t)
            continue; /* a node inside a node is its own R entry */
        if (x->type == core || x->type == gpu) {
            const char *what = x->type == core ? "core" : "gpu";
            struct flurm_idset *set = x->type == core ? e->cores : e->gpus;
            if (x->id < 0 || x->id > FLURM_IDSET_MAX_ID)
                return flurm_error_set (err, "node %s: %s id %lld cannot be written in R", e->host,
                                        what, (long long)x->id);
            if (flurm_idset_test (set, (uint32_t)x->id))
                return flurm_error_set (err,
                                        "node %s has two %ss with id %lld: R needs node-local "
                                        "ids that are unique",
                                        e->host, what, (long long)x->id);
            if (flurm_idset_add (set, (uint32_t)x->id, err) < 0)
                return flurm_error_prefix (err, "node %s", e->host);
        }
        for (uint32_t k = 0; k < x->nchildren; k++) {
            flurm_vid ch = x->first_child + x->nchildren - 1 - k;
            g_array_append_val (stack, ch);
        }
    }
    return 0;
}

/* Nodes may come in any rank order: their entries are appended, then
 * sorted once (inserting each into the sorted array would be quadratic). */
struct flurm_rv1 *flurm_rv1_from_graph (const struct flurm_graph *g, bool with_jgf,
                                        flurm_error_t *err)
{
    size_t nnodes = flurm_graph_nnodes (g);
    if (nnodes == 0) {
        flurm_error_set (err, "the graph has no node vertices: it cannot be "
                              "written as R");
        return NULL;
    }
    struct flurm_rv1 *r = flurm_rv1_create ();
    size_t cap = 4; /* grow()'s capacity rule: 4, then powers of two */
    while (cap < nnodes)
        cap *= 2;
    r->ranks = g_new0 (struct flurm_rv1_rank, cap);
    GArray *stack = g_array_new (FALSE, FALSE, sizeof (flurm_vid));
    for (size_t i = 0; i < nnodes; i++) {
        flurm_vid nv = flurm_graph_node_at (g, i);
        const struct flurm_vertex *n = flurm_graph_vertex (g, nv);
        char buf[FLURM_NAME_MAX];
        const char *host = flurm_graph_name (g, nv, buf);
        const char *problem = flurm_name_host_problem (host);
        if (problem) {
            flurm_error_set (err, "node name %s %s: R cannot list it in its nodelist",
                             FLURM_QUOTED (host), problem);
            goto error;
        }
        if (n->rank < 0 || (uint32_t)n->rank > FLURM_IDSET_MAX_ID) {
            flurm_error_set (err,
                             "node %s has no rank R can hold (%d): R needs a broker rank "
                             "0 .. %u for every node",
                             host, n->rank, FLURM_IDSET_MAX_ID);
            goto error;
        }
        struct flurm_rv1_rank *e = &r->ranks[r->nranks++];
        e->rank = (uint32_t)n->rank;
        e->host = g_strdup (host);
        e->cores = flurm_idset_create ();
        e->gpus = flurm_idset_create ();
        for (size_t p = 0; p < flurm_graph_nproperties (g, nv); p++) {
            const char *key, *value;
            flurm_graph_property_at (g, nv, p, &key, &value);
            if (flurm_rv1_add_property (r, key, e->rank, err) < 0) {
                flurm_error_prefix (err, "node %s", host);
                goto error;
            }
        }
        if (collect_leaves (g, nv, e, stack, err) < 0)
            goto error;
    }
    qsort (r->ranks, r->nranks, sizeof (r->ranks[0]), cmp_rank_entry);
    for (size_t k = 1; k < r->nranks; k++) {
        if (r->ranks[k].rank == r->ranks[k - 1].rank) {
            flurm_error_set (err, "nodes %s and %s both have rank %u: R needs one rank per node",
                             r->ranks[k - 1].host, r->ranks[k].host, r->ranks[k].rank);
            goto error;
        }
    }
    g_array_free (stack, TRUE);
    if (with_jgf)
        r->scheduling = flurm_jgf_to_json (g);
    return r;
error:
    g_array_free (stack, TRUE);
    flurm_rv1_destroy (r);
    return NULL;
}
