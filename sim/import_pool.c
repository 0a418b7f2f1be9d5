/* sim/import_pool.c — ELiSE measured pools; see import_pool.h for the format.
 *
 * The pool is small (one file, ~10,000 runs), so it is parsed whole and
 * every load is decoded and checked before its jobs are added: a pool is
 * a table of measurements that models are fitted to, and a value that is
 * not a run time (a negative or zero time, a missing list) would bias the
 * fit without a trace.  So, unlike a log of runs, nothing in it is kept
 * "marked": any bad value is an error naming the file, the load and the
 * path to the value.  Both JSON levels refuse duplicate keys, which would
 * otherwise silently hide one of the two lists.
 */
#include "sim/import_pool.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#define POOL_MAX_SECONDS 1e11
#define POOL_MAX_COUNT 2147483648.0 /* 2^31 */

/* Where a value sits, for messages: "FILE: loads[3] (cg.D.64): ". */
struct pool_where {
    const char *path;
    size_t index;
    const char *name; /* NULL until the load's name is read */
};

static int pool_error (const struct pool_where *w, flurm_error_t *err, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static int pool_error (const struct pool_where *w, flurm_error_t *err, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    if (w->name)
        return flurm_error_at (err, w->path, 0, 0, "loads[%zu] (%s): %s", w->index,
                               FLURM_ESCAPED (w->name), msg);
    return flurm_error_at (err, w->path, 0, 0, "loads[%zu]: %s", w->index, msg);
}

static const char *json_kind (const json_t *j)
{
    switch (json_typeof (j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* A list of run times: numbers, > 0 and not absurd.  `what` names it. */
static int check_times (const struct pool_where *w, const json_t *list, const char *what,
                        flurm_error_t *err)
{
    if (!json_is_array (list))
        return pool_error (w, err, "%s is %s, not a list of run times", what, json_kind (list));
    size_t i;
    const json_t *v;
    json_array_foreach ((json_t *)list, i, v) {
        if (!json_is_number (v))
            return pool_error (w, err, "%s[%zu] is %s, not a run time", what, i, json_kind (v));
        double t = json_number_value (v);
        if (!isfinite (t) || t <= 0)
            return pool_error (w, err, "%s[%zu] is %g: a run time must be positive", what, i, t);
        if (t > POOL_MAX_SECONDS)
            return pool_error (w, err, "%s[%zu] is %g: more than %g s", what, i, t,
                               POOL_MAX_SECONDS);
    }
    return 0;
}

/* Check a decoded load whole, before any of its jobs is added. */
static int check_load (const struct pool_where *w, const json_t *load, flurm_error_t *err)
{
    const json_t *n = json_object_get (load, "num_of_processes");
    if (!n)
        return pool_error (w, err, "num_of_processes is missing");
    if (!json_is_integer (n) || json_integer_value (n) < 1
        || (double)json_integer_value (n) > POOL_MAX_COUNT)
        return pool_error (w, err, "num_of_processes is not a whole number in 1 .. 2^31");
    const json_t *compact = json_object_get (load, "compact_timelogs");
    if (!compact)
        return pool_error (w, err, "compact_timelogs is missing");
    if (check_times (w, compact, "compact_timelogs", err) < 0)
        return -1;
    const json_t *co = json_object_get (load, "coscheduled_timelogs");
    if (!co)
        return pool_error (w, err, "coscheduled_timelogs is missing");
    if (!json_is_object (co))
        return pool_error (w, err, "coscheduled_timelogs is %s, not an object", json_kind (co));
    const char *partner;
    const json_t *copies;
    json_object_foreach ((json_t *)co, partner, copies) {
        char what[192];
        if (!*partner)
            return pool_error (w, err, "coscheduled_timelogs has a partner with no name");
        if (!json_is_array (copies))
            return pool_error (w, err, "coscheduled_timelogs.%s is %s, not a list of copies",
                               FLURM_ESCAPED (partner), json_kind (copies));
        size_t c;
        const json_t *runs;
        json_array_foreach ((json_t *)copies, c, runs) {
            snprintf (what, sizeof (what), "coscheduled_timelogs.%s[%zu]",
                      FLURM_ESCAPED (partner), c);
            if (check_times (w, runs, what, err) < 0)
                return -1;
        }
    }
    return 0;
}

static void add_job (struct flurm_run *run, char *id, const char *app, const char *partner,
                     double runtime, int64_t ntasks, const char *source)
{
    struct flurm_run_job job = {
        .id = id,
        .app = (char *)app,
        .submit = -1,
        .start = -1,
        .end = -1,
        .runtime = runtime,
        .ncores = -1, /* the pool keeps the process count, not the cores held */
        .nnodes = -1,
        .ntasks = ntasks,
        .state = "completed",
        .partner = (char *)partner,
        .source = (char *)source,
    };
    flurm_run_add (run, &job);
    g_free (id);
}

/* Jobs of a checked load: compact runs, then each partner's copies. */
static void add_load (struct flurm_run *run, const char *path, const char *app,
                      const json_t *load, size_t *no_compact, size_t *no_runs)
{
    int64_t ntasks = json_integer_value (json_object_get (load, "num_of_processes"));
    const json_t *compact = json_object_get (load, "compact_timelogs");
    size_t i, c;
    const json_t *v, *runs;
    json_array_foreach ((json_t *)compact, i, v)
        add_job (run, g_strdup_printf ("%s/compact/%zu", app, i), app, NULL,
                 json_number_value (v), ntasks, path);
    *no_compact += json_array_size (compact) == 0;
    const char *partner;
    const json_t *copies;
    /* jansson (>= 2.8) iterates an object in the order of the file */
    json_object_foreach ((json_t *)json_object_get (load, "coscheduled_timelogs"), partner,
                         copies) {
        size_t n = 0;
        json_array_foreach ((json_t *)copies, c, runs) {
            json_array_foreach ((json_t *)runs, i, v) {
                add_job (run, g_strdup_printf ("%s/%s/%zu/%zu", app, partner, c, i), app,
                         partner, json_number_value (v), ntasks, path);
                n++;
            }
        }
        *no_runs += n == 0;
    }
}

/* Decode, check and add loads[index]; `seen` maps names to indexes. */
static int import_load (struct flurm_run *run, const char *path, size_t index, const json_t *s,
                        GHashTable *seen, size_t *no_compact, size_t *no_runs,
                        flurm_error_t *err)
{
    struct pool_where w = {path, index, NULL};
    if (!json_is_string (s))
        return pool_error (&w, err, "is %s, not a JSON-encoded string", json_kind (s));
    char *source = g_strdup_printf ("%s: loads[%zu]", path, index);
    json_t *load = flurm_json_parse (json_string_value (s), json_string_length (s),
                                     JSON_REJECT_DUPLICATES, source, "the load is not JSON", err);
    g_free (source);
    if (!load)
        return -1;
    int rc = 0;
    const json_t *name = json_object_get (load, "load_name");
    if (!json_is_object (load))
        rc = pool_error (&w, err, "the load is %s, not an object", json_kind (load));
    else if (!name)
        rc = pool_error (&w, err, "load_name is missing");
    else if (!json_is_string (name) || !*json_string_value (name))
        rc = pool_error (&w, err, "load_name is not a name");
    if (rc == 0) {
        w.name = json_string_value (name);
        gpointer other;
        if (g_hash_table_lookup_extended (seen, w.name, NULL, &other))
            rc = pool_error (&w, err, "the same load_name as loads[%zu]", GPOINTER_TO_SIZE (other));
        else
            rc = check_load (&w, load, err);
    }
    if (rc == 0) {
        g_hash_table_insert (seen, g_strdup (w.name), GSIZE_TO_POINTER (index));
        add_load (run, path, w.name, load, no_compact, no_runs);
    }
    json_decref (load);
    return rc;
}

struct flurm_run *flurm_import_pool (const char *path, flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (path, FLURM_POOL_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    json_t *top = flurm_json_parse (data, len, JSON_REJECT_DUPLICATES, path, "not JSON", err);
    g_free (data);
    if (!top)
        return NULL;
    const json_t *loads = json_object_get (top, "loads");
    if (!json_is_object (top) || !loads || !json_is_array (loads)) {
        if (!json_is_object (top))
            flurm_error_at (err, path, 0, 0, "the pool is %s, not an object with a \"loads\" "
                            "list", json_kind (top));
        else
            flurm_error_at (err, path, 0, 0, "loads is %s, not a list of loads",
                            loads ? json_kind (loads) : "missing");
        json_decref (top);
        return NULL;
    }
    char *name = g_path_get_basename (path);
    if (g_str_has_suffix (name, ".json"))
        name[strlen (name) - 5] = '\0';
    struct flurm_run *run = flurm_run_create (name, "pool", "relative");
    g_free (name);
    GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    size_t no_compact = 0, no_runs = 0;
    size_t i;
    const json_t *s;
    int rc = 0;
    json_array_foreach ((json_t *)loads, i, s) {
        if ((rc = import_load (run, path, i, s, seen, &no_compact, &no_runs, err)) < 0)
            break;
    }
    g_hash_table_destroy (seen);
    json_decref (top);
    if (rc < 0) {
        flurm_run_destroy (run);
        return NULL;
    }
    if (no_compact)
        flurm_run_note (run, "%zu loads have no compact run: no job alone for them", no_compact);
    if (no_runs)
        flurm_run_note (run, "%zu partner entries hold no run: no co-run job for them", no_runs);
    return run;
}
