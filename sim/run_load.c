/* sim/run_load.c — open any run: a Flurm run folder or jobs.csv, or a
 * real run in one of the imported formats, told by its content.
 *
 * Detection looks at what the file is, not at its name: a folder holding
 * jobs.csv is a Flurm run, a folder of *.out files NPB logs; JSON is told
 * by its keys (ELiSE pools have `loads`, OAR gantts a `jobs` object,
 * Batsim workloads `jobs` and `profiles`, Flux jobs `t_submit`/`id`); text
 * by its first line (`job_id,` for jobs.csv, `JobID|` for sacct) or by an
 * NPB report in it.  A kind given by the caller skips detection.
 */
#include <string.h>

#include <glib.h>

#include "sim/import_batsim.h"
#include "sim/import_flux.h"
#include "sim/import_npb.h"
#include "sim/import_oar.h"
#include "sim/import_pool.h"
#include "sim/import_sacct.h"
#include "sim/infile.h"
#include "sim/jobscsv.h"
#include "sim/jsonutil.h"
#include "sim/run_load.h"

#define SNIFF_BYTES (64u << 20)

/* A Flurm jobs.csv (or any tool's with the Batsim/evalys columns). */
static struct flurm_run *load_jobs_csv (const char *path, const char *name, flurm_error_t *err)
{
    struct flurm_csv_jobs *c = flurm_csv_jobs_load (path, err);
    if (!c)
        return NULL;
    struct flurm_run *r = flurm_run_create (name, "flurm", "simulated");
    for (size_t i = 0; i < c->njobs; i++) {
        const struct flurm_csv_job *j = &c->jobs[i];
        char source[64];
        snprintf (source, sizeof (source), "jobs.csv:%d", j->line);
        struct flurm_run_job job = {
            .id = j->id,
            .name = *j->name ? j->name : NULL,
            .app = *j->app ? j->app : NULL,
            .queue = *j->queue ? j->queue : NULL,
            .submit = j->submit,
            .start = j->start,
            .end = j->end,
            .runtime = j->ran ? j->end - j->start : -1,
            .ncores = j->requested,
            .nnodes = -1,
            .ntasks = -1,
            .state = *j->state ? j->state : (j->ran ? "completed" : "unfinished"),
            .source = source,
        };
        flurm_run_add (r, &job);
    }
    flurm_csv_jobs_destroy (c);
    return r;
}

static const char *kind_of_json (json_t *o)
{
    if (!json_is_object (o))
        return NULL;
    json_t *jobs = json_object_get (o, "jobs");
    if (json_object_get (o, "loads"))
        return "pool";
    if (json_is_object (jobs))
        return "oar";
    if (json_is_array (jobs) && json_object_get (o, "profiles"))
        return "batsim";
    if (json_is_array (jobs) || json_object_get (o, "t_submit") || json_object_get (o, "t_depend"))
        return "flux-jobs";
    return NULL;
}

static const char *detect (const char *path, flurm_error_t *err)
{
    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
        char *csv = g_build_filename (path, "jobs.csv", NULL);
        bool flurm = g_file_test (csv, G_FILE_TEST_EXISTS);
        g_free (csv);
        return flurm ? "flurm" : "npb-log";
    }
    size_t len;
    char *text = flurm_read_file (path, SNIFF_BYTES, &len, err);
    if (!text)
        return NULL;
    const char *kind = NULL;
    const char *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '{') {
        json_t *o = flurm_json_parse (text, len, 0, path, NULL, err);
        if (!o) {
            g_free (text);
            return NULL;
        }
        kind = kind_of_json (o);
        json_decref (o);
    }
    else if (g_str_has_prefix (p, "job_id,")) {
        kind = "flurm";
    }
    else if (strstr (p, "JobID") && strchr (p, '|') && strchr (p, '|') < strchr (p, '\n')) {
        kind = "sacct";
    }
    else if (strstr (p, "Benchmark Completed") || strstr (p, "in seconds:")) {
        kind = "npb-log";
    }
    g_free (text);
    if (!kind)
        flurm_error_set (err, "%s: not a run Flurm can read (a run folder or jobs.csv, NPB "
                         "output, flux jobs --json, sacct --parsable2, an ELiSE pool, an OAR "
                         "gantt or a Batsim workload); say which with --kind", path);
    return kind;
}

const char *const *flurm_run_kinds (void)
{
    static const char *const kinds[] = {"flurm", "npb-log", "flux-jobs", "sacct", "pool", "oar",
                                        "batsim", NULL};
    return kinds;
}

struct flurm_run *flurm_run_load (const char *path, const char *kind, flurm_error_t *err)
{
    if (!kind && !(kind = detect (path, err)))
        return NULL;
    char *name = flurm_run_name_from_path (path);
    struct flurm_run *r = NULL;
    if (!strcmp (kind, "flurm")) {
        char *csv = g_file_test (path, G_FILE_TEST_IS_DIR)
                        ? g_build_filename (path, "jobs.csv", NULL) : g_strdup (path);
        r = load_jobs_csv (csv, name, err);
        g_free (csv);
    }
    else if (!strcmp (kind, "npb-log"))
        r = flurm_import_npb (path, err);
    else if (!strcmp (kind, "flux-jobs"))
        r = flurm_import_flux_jobs (path, err);
    else if (!strcmp (kind, "sacct"))
        r = flurm_import_sacct (path, err);
    else if (!strcmp (kind, "pool"))
        r = flurm_import_pool (path, err);
    else if (!strcmp (kind, "oar"))
        r = flurm_import_oar (path, err);
    else if (!strcmp (kind, "batsim"))
        r = flurm_import_batsim_workload (path, err);
    else
        flurm_error_set (err, "unknown run kind '%s' (expected flurm, npb-log, flux-jobs, sacct, "
                         "pool, oar or batsim)", kind);
    g_free (name);
    return r;
}
