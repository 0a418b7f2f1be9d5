/* sim/import_batsim.c — a Batsim workload as a run of jobs not yet run.
 *
 * Format (Batsim's input workload, oar-team/batsim docs/input-workload.rst;
 * the 2016 files of the JSSPP'16 experiments use the same keys):
 *
 *     {"nb_res": 32,
 *      "jobs": [{"id": 0, "subtime": 0.0, "walltime": 149, "res": 1,
 *                "profile": "delay_ft.B.1"}, ...],
 *      "profiles": {"delay_ft.B.1": {"type": "delay", "delay": 88.51, "np": 1,
 *                                    "command": "..."}, ...}}
 *
 * `id` is an integer in the 2016 files and a string in later Batsim
 * versions: both are read, kept as text, and must be unique.  The delay
 * profile type is "delay" in Batsim 1.x and "DelayProfile" in 5.x.
 *
 * Why the whole file is refused on a bad job instead of keeping the job
 * marked, as importers of runs do: this is an input to replay, and a job
 * with no size, submission time or profile cannot be replayed; Batsim
 * itself stops on it.  What can be kept is kept: a job asking more
 * resources than nb_res stays, marked, as Batsim submits it too (the
 * scheduler rejects it).
 *
 * Invariant: jobs come out in file order, one per entry of "jobs"; the
 * notes list the non-delay profile types in name order, so the same file
 * gives the same table.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/import_batsim.h"
#include "sim/infile.h"
#include "sim/jsonutil.h"
#include "sim/workload.h"

/* The JSSPP'16 workload is 150 KB; a million-job workload is about 100 MB. */
#define BATSIM_MAX_BYTES ((size_t)256 << 20)
#define BATSIM_MAX_RES   ((json_int_t)1 << 31)

static bool is_delay_type (const char *type)
{
    return !strcmp (type, "delay") || !strcmp (type, "DelayProfile");
}

/* A time (subtime, delay, walltime): a number in 0 .. MAX_TIME. */
static int check_time (const char *path, const char *where, const char *key, const json_t *v,
                       double *out, flurm_error_t *err)
{
    return flurm_json_seconds (v, FLURM_WORKLOAD_MAX_TIME, path, where, key, out, err);
}

/* A count of resources in 1 .. 2^31. */
static int check_res (const char *path, const char *where, const json_t *v, int64_t *out,
                      flurm_error_t *err)
{
    if (!json_is_integer (v))
        return flurm_error_at (err, path, 0, 0, "%s: must be an integer number of resources",
                               where);
    json_int_t n = json_integer_value (v);
    if (n < 1 || n > BATSIM_MAX_RES)
        return flurm_error_at (err, path, 0, 0,
                               "%s: %" JSON_INTEGER_FORMAT " resources is not in 1 .. 2^31", where,
                               n);
    *out = (int64_t)n;
    return 0;
}

static int check_profiles (const char *path, json_t *profiles, flurm_error_t *err)
{
    const char *name;
    json_t *p;
    json_object_foreach (profiles, name, p)
    {
        char where[FLURM_QUOTE_SIZE + 16];
        snprintf (where, sizeof (where), "profiles[%s]", FLURM_QUOTED (name));
        if (!json_is_object (p))
            return flurm_error_at (err, path, 0, 0, "%s: a profile must be a JSON object", where);
        json_t *type = json_object_get (p, "type");
        if (!json_is_string (type))
            return flurm_error_at (err, path, 0, 0, "%s: missing key type (a string)", where);
        if (is_delay_type (json_string_value (type))) {
            json_t *delay = json_object_get (p, "delay");
            double d;
            if (!delay)
                return flurm_error_at (err, path, 0, 0, "%s: a delay profile needs a delay", where);
            if (check_time (path, where, "delay", delay, &d, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* "delay_ft.C.16" of type "delay" -> "ft.C.16": the JSSPP'16 generator
 * named each profile TYPE_APP; a name without that prefix is the app. */
static const char *app_of (const char *profile, const char *type)
{
    size_t n = strlen (type);
    if (!strncmp (profile, type, n) && profile[n] == '_' && profile[n + 1])
        return profile + n + 1;
    return profile;
}

struct batsim_ctx {
    const char *path;
    json_t *profiles;
    int64_t nb_res;
    GHashTable *ids;         /* id text -> itself (owned), for uniqueness */
    GHashTable *other_types; /* non-delay profile type -> job count */
    size_t too_large;
};

static int add_job (struct batsim_ctx *c, struct flurm_run *r, size_t i, json_t *j,
                    flurm_error_t *err)
{
    char where[FLURM_QUOTE_SIZE + 64];
    snprintf (where, sizeof (where), "jobs[%zu]", i);
    if (!json_is_object (j))
        return flurm_error_at (err, c->path, 0, 0, "%s: a job must be a JSON object", where);

    json_t *id = json_object_get (j, "id");
    char idtext[64];
    const char *idstr = idtext;
    if (json_is_integer (id) && json_integer_value (id) >= 0)
        snprintf (idtext, sizeof (idtext), "%" JSON_INTEGER_FORMAT, json_integer_value (id));
    else if (json_is_string (id) && json_string_length (id) > 0 &&
             strlen (json_string_value (id)) == json_string_length (id))
        idstr = json_string_value (id);
    else
        return flurm_error_at (err, c->path, 0, 0, "%s: %s", where,
                               id ? "id must be a non-empty string or an integer >= 0"
                                  : "missing key id");
    snprintf (where, sizeof (where), "jobs[%zu] (id %s)", i, FLURM_ESCAPED (idstr));
    if (g_hash_table_contains (c->ids, idstr))
        return flurm_error_at (err, c->path, 0, 0, "%s: a job before has the same id", where);
    g_hash_table_add (c->ids, g_strdup (idstr));

    static const char *const required[] = {"subtime", "res", "profile"};
    for (size_t k = 0; k < G_N_ELEMENTS (required); k++) {
        if (!json_object_get (j, required[k]))
            return flurm_error_at (err, c->path, 0, 0, "%s: missing key %s", where, required[k]);
    }
    double subtime, walltime;
    int64_t res;
    if (check_time (c->path, where, "subtime", json_object_get (j, "subtime"), &subtime, err) < 0)
        return -1;
    char reswhere[sizeof (where) + 8];
    snprintf (reswhere, sizeof (reswhere), "%s.res", where);
    if (check_res (c->path, reswhere, json_object_get (j, "res"), &res, err) < 0)
        return -1;
    /* -1 is how generators write "no walltime" */
    json_t *wt = json_object_get (j, "walltime");
    if (wt && !(json_is_number (wt) && json_number_value (wt) == -1) &&
        check_time (c->path, where, "walltime", wt, &walltime, err) < 0)
        return -1;
    json_t *pname = json_object_get (j, "profile");
    if (!json_is_string (pname))
        return flurm_error_at (err, c->path, 0, 0, "%s.profile: must be a profile name", where);
    const char *profile = json_string_value (pname);
    json_t *p = json_object_get (c->profiles, profile);
    if (!p)
        return flurm_error_at (err, c->path, 0, 0, "%s.profile: no profile is named %s", where,
                               FLURM_QUOTED (profile));

    /* checked by check_profiles */
    const char *type = json_string_value (json_object_get (p, "type"));
    json_t *np = json_object_get (p, "np");
    char source[FLURM_QUOTE_SIZE + 32];
    snprintf (source, sizeof (source), "%s: jobs[%zu]", c->path, i);
    struct flurm_run_job job = {
        .id = (char *)idstr,
        .app = (char *)app_of (profile, type),
        .submit = subtime,
        .start = -1,
        .end = -1,
        .runtime = -1,
        .ncores = res,
        .nnodes = res,
        .ntasks = json_is_integer (np) && json_integer_value (np) >= 1 &&
                          json_integer_value (np) <= BATSIM_MAX_RES
                      ? (int64_t)json_integer_value (np)
                      : -1,
        .state = "unfinished",
        .source = source,
    };
    if (is_delay_type (type)) {
        job.runtime = json_number_value (json_object_get (p, "delay"));
    } else {
        gpointer n = g_hash_table_lookup (c->other_types, type);
        g_hash_table_insert (c->other_types, (gpointer)type,
                             GSIZE_TO_POINTER (GPOINTER_TO_SIZE (n) + 1));
    }
    if (res > c->nb_res) {
        job.note = "asks for more resources than the workload's nb_res";
        c->too_large++;
    }
    flurm_run_add (r, &job);
    return 0;
}

static void note_types (struct batsim_ctx *c, struct flurm_run *r)
{
    GList *types = g_list_sort (g_hash_table_get_keys (c->other_types), (GCompareFunc)strcmp);
    for (GList *t = types; t; t = t->next) {
        size_t n = GPOINTER_TO_SIZE (g_hash_table_lookup (c->other_types, t->data));
        flurm_run_note (r,
                        "%zu jobs use profiles of type %s, not delays: runtime unknown "
                        "(the platform simulation gives it)",
                        n, (const char *)t->data);
    }
    g_list_free (types);
}

static struct flurm_run *import (const char *path, json_t *root, int64_t *nb_res,
                                 flurm_error_t *err)
{
    if (!json_is_object (root)) {
        flurm_error_at (err, path, 0, 0, "a Batsim workload must be a JSON object");
        return NULL;
    }
    json_t *jobs = json_object_get (root, "jobs");
    json_t *profiles = json_object_get (root, "profiles");
    json_t *nbres = json_object_get (root, "nb_res");
    if (!json_is_array (jobs)) {
        flurm_error_at (err, path, 0, 0, "%s",
                        jobs ? "jobs: must be an array" : "missing key jobs");
        return NULL;
    }
    if (!json_is_object (profiles)) {
        flurm_error_at (err, path, 0, 0, "%s",
                        profiles ? "profiles: must be an object" : "missing key profiles");
        return NULL;
    }
    struct batsim_ctx c = {.path = path, .profiles = profiles};
    if (!nbres) {
        flurm_error_at (err, path, 0, 0, "missing key nb_res");
        return NULL;
    }
    if (check_res (path, "nb_res", nbres, &c.nb_res, err) < 0 ||
        check_profiles (path, profiles, err) < 0)
        return NULL;

    char *name = flurm_run_name_from_path (path);
    struct flurm_run *r = flurm_run_create (name, "batsim", "relative");
    g_free (name);
    c.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    c.other_types = g_hash_table_new (g_str_hash, g_str_equal);
    size_t i;
    json_t *j;
    int rc = 0;
    json_array_foreach (jobs, i, j)
    {
        if ((rc = add_job (&c, r, i, j, err)) < 0)
            break;
    }
    if (rc == 0) {
        note_types (&c, r);
        if (c.too_large)
            flurm_run_note (r,
                            "%zu jobs ask for more than the %" PRId64 " resources of nb_res: "
                            "kept, marked",
                            c.too_large, c.nb_res);
        if (nb_res)
            *nb_res = c.nb_res;
    }
    g_hash_table_destroy (c.ids);
    g_hash_table_destroy (c.other_types);
    if (rc < 0) {
        flurm_run_destroy (r);
        return NULL;
    }
    return r;
}

struct flurm_run *flurm_import_batsim_workload_res (const char *path, int64_t *nb_res,
                                                    flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (path, BATSIM_MAX_BYTES, &len, err);
    if (!text)
        return NULL;
    json_t *root = flurm_json_parse (text, len, JSON_REJECT_DUPLICATES, path, "not JSON", err);
    g_free (text);
    if (!root)
        return NULL;
    struct flurm_run *r = import (path, root, nb_res, err);
    json_decref (root);
    return r;
}

struct flurm_run *flurm_import_batsim_workload (const char *path, flurm_error_t *err)
{
    return flurm_import_batsim_workload_res (path, NULL, err);
}
