/* sim/schedcheck.c — schedule validation by a sweep over start/end events.
 *
 * Invariant of the sweep: holders[c] is how many jobs hold core c at the
 * current time (more than one is a conflict, reported when it arises),
 * owner[c] the index + 1 of the first of them still holding it (0 when
 * none, or when the first has ended while a conflicting job still holds
 * it), and `used` the cores in use; at equal times ends are processed
 * before starts.  A job that holds its cores for no time (finish <= start)
 * takes part in no event: its end would otherwise come before its own
 * start and leave its cores held forever.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/schedcheck.h"

struct sweep_event {
    double t;
    int start; /* 0 end, 1 start: ends first */
    size_t job;
};

static int cmp_event (const void *pa, const void *pb)
{
    const struct sweep_event *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->start != b->start)
        return a->start - b->start;
    return a->job < b->job ? -1 : a->job > b->job;
}

/* "0-3 8" or "0-3,8" -> array of core numbers. */
static gint cmp_core (gconstpointer a, gconstpointer b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int parse_cores (const char *s, GArray *out, uint32_t *max, flurm_error_t *err,
                        const struct flurm_csv_job *j)
{
    const char *p = s;
    while (*p) {
        if (*p == ' ' || *p == ',') {
            p++;
            continue;
        }
        char *end;
        unsigned long lo = strtoul (p, &end, 10), hi = lo;
        if (end == p)
            goto bad;
        p = end;
        if (*p == '-') {
            hi = strtoul (p + 1, &end, 10);
            if (end == p + 1 || hi < lo)
                goto bad;
            p = end;
        }
        if (hi >= FLURM_SCHEDCHECK_MAX_CORE)
            return flurm_error_set (err, "line %d: core %lu is beyond the limit of %u", j->line,
                                    hi, FLURM_SCHEDCHECK_MAX_CORE);
        for (unsigned long c = lo; c <= hi; c++) {
            uint32_t v = (uint32_t)c;
            g_array_append_val (out, v);
        }
        if (hi > *max)
            *max = (uint32_t)hi;
    }
    /* "0-3,3" names core 3 once: a job cannot conflict with itself. */
    g_array_sort (out, cmp_core);
    guint n = 0;
    for (guint i = 0; i < out->len; i++)
        if (n == 0 || g_array_index (out, uint32_t, i) != g_array_index (out, uint32_t, n - 1))
            g_array_index (out, uint32_t, n++) = g_array_index (out, uint32_t, i);
    g_array_set_size (out, n);
    return 0;
bad:
    return flurm_error_set (err, "line %d: allocated_resources '%s' is not a list of core "
                            "numbers and ranges", j->line, s);
}

static void problem (struct flurm_schedcheck_report *r, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

static void problem (struct flurm_schedcheck_report *r, const char *fmt, ...)
{
    if (r->nproblems < FLURM_SCHEDCHECK_MAX_PROBLEMS) {
        va_list ap;
        va_start (ap, fmt);
        r->problems[r->nproblems] = g_strdup_vprintf (fmt, ap);
        va_end (ap);
    }
    r->nproblems++;
}

void flurm_schedcheck_report_clear (struct flurm_schedcheck_report *r)
{
    for (size_t i = 0; i < r->nproblems && i < FLURM_SCHEDCHECK_MAX_PROBLEMS; i++)
        g_free (r->problems[i]);
    memset (r, 0, sizeof (*r));
}

int flurm_schedcheck (const struct flurm_csv_jobs *c, uint64_t capacity,
                      struct flurm_schedcheck_report *r, flurm_error_t *err)
{
    memset (r, 0, sizeof (*r));
    r->njobs = c->njobs;
    GArray **cores = g_new0 (GArray *, c->njobs ? c->njobs : 1);
    struct sweep_event *ev = g_new (struct sweep_event, 2 * c->njobs + 1);
    size_t nev = 0;
    uint32_t max = 0;
    bool have_ids = false;
    int rc = -1;
    for (size_t i = 0; i < c->njobs; i++) {
        const struct flurm_csv_job *j = &c->jobs[i];
        if (!j->ran)
            continue;
        r->nran++;
        if (j->start < j->submit)
            problem (r, "line %d: job %s starts at %.3f before its submission at %.3f", j->line,
                     j->id, j->start, j->submit);
        if (j->end < j->start)
            problem (r, "line %d: job %s ends at %.3f before it starts at %.3f", j->line, j->id,
                     j->end, j->start);
        cores[i] = g_array_new (FALSE, FALSE, sizeof (uint32_t));
        if (parse_cores (j->resources, cores[i], &max, err, j) < 0)
            goto out;
        have_ids |= cores[i]->len > 0;
        if (j->end <= j->start)
            continue;
        ev[nev++] = (struct sweep_event){j->start, 1, i};
        ev[nev++] = (struct sweep_event){j->end, 0, i};
    }
    r->capacity = capacity ? capacity : have_ids ? (uint64_t)max + 1 : 0;
    qsort (ev, nev, sizeof (*ev), cmp_event);
    size_t *owner = g_new0 (size_t, have_ids ? (size_t)max + 1 : 1);
    uint32_t *holders = g_new0 (uint32_t, have_ids ? (size_t)max + 1 : 1);
    uint64_t used = 0;
    for (size_t k = 0; k < nev; k++) {
        const struct flurm_csv_job *j = &c->jobs[ev[k].job];
        GArray *set = cores[ev[k].job];
        uint64_t n = set->len ? set->len : (j->requested > 0 ? (uint64_t)j->requested : 0);
        for (guint x = 0; x < set->len; x++) {
            uint32_t core = g_array_index (set, uint32_t, x);
            if (!ev[k].start) {
                holders[core]--;
                if (owner[core] == ev[k].job + 1)
                    owner[core] = 0;
                continue;
            }
            if (owner[core])
                problem (r, "line %d: job %s takes core %u at %.3f while job %s (line %d) "
                         "holds it", j->line, j->id, core, j->start,
                         c->jobs[owner[core] - 1].id, c->jobs[owner[core] - 1].line);
            else if (holders[core] > 0)
                problem (r, "line %d: job %s takes core %u at %.3f while another job holds it",
                         j->line, j->id, core, j->start);
            if (holders[core]++ == 0)
                owner[core] = ev[k].job + 1;
        }
        if (!ev[k].start) {
            used -= n;
            continue;
        }
        used += n;
        if (used > r->peak_cores)
            r->peak_cores = used;
        if (r->capacity && used > r->capacity)
            problem (r, "line %d: job %s brings the cores in use to %ju at %.3f, above the "
                     "capacity of %ju", j->line, j->id, (uintmax_t)used, j->start,
                     (uintmax_t)r->capacity);
    }
    g_free (owner);
    g_free (holders);
    rc = 0;
out:
    for (size_t i = 0; i < c->njobs; i++) {
        if (cores[i])
            g_array_free (cores[i], TRUE);
    }
    g_free (cores);
    g_free (ev);
    if (rc < 0)
        flurm_schedcheck_report_clear (r);
    return rc;
}
