/* sim/flux_eventlog.h — what happened to one job on a real Flux instance,
 * read from its eventlog and from the R it was granted.
 *
 * Live mode records each job from Flux's own account of it:
 *   - the eventlog, as `flux job eventlog -f json ID` prints it (RFC 18
 *     and 21): one JSON object per line,
 *         {"timestamp":1795695431.27,"name":"alloc","context":{...}}
 *     starting with "submit" and, once the job is inactive, ending with
 *     "clean";
 *   - the R of the job, as `flux job info ID R` prints it (RFC 20).
 *
 * Times are the epoch seconds of the first event of each name, exactly as
 * written (no rounding), so they equal what `flux jobs` reports: t_submit
 * is "submit", t_run is "alloc" (the job enters RUN when it gets its
 * resources, before its shells "start"), t_inactive is "clean".
 *
 * The result is derived the way flux-core's job-list service derives the
 * RFC 21 result shown by `flux jobs` (see flux_eventlog.c), and the exit
 * code the way `flux run` computes its own exit status.  Both are final
 * only once the job is inactive; before, the result is PENDING and the
 * exit code -1.
 */
#ifndef FLURM_SIM_FLUX_EVENTLOG_H
#define FLURM_SIM_FLUX_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

enum flurm_flux_result {
    FLURM_FLUX_RESULT_PENDING = 0, /* no clean event yet: still active */
    FLURM_FLUX_RESULT_COMPLETED,
    FLURM_FLUX_RESULT_FAILED, /* also a job the scheduler refused: exception "alloc" */
    FLURM_FLUX_RESULT_CANCELED,
    FLURM_FLUX_RESULT_TIMEOUT,
};

struct flurm_flux_job_record {
    /* Epoch seconds of the first event of that name; < 0 when absent. */
    double submit, alloc, start, finish, release, clean;
    int wait_status; /* "finish" context.status (a wait(2) status); -1 no finish */
    /* Once inactive, the exit status `flux run` gives: the job shells' exit
     * code from wait_status, 128 + N when a shell was killed by signal N, and
     * 1 when a fatal exception left it 0 or the job never ran (refused,
     * cancelled while pending).  -1 while the job is active.  `flux jobs`
     * {returncode} agrees except for those last two cases without a finish
     * event (it shows -128 for a cancel) and for a signalled shell (-N). */
    int exit_code;
    char *exception_type; /* the first fatal (severity 0) exception; NULL none */
    char *exception_note; /* its note; NULL when none or when it has no note */
    enum flurm_flux_result result;
    bool inactive; /* a clean event was seen */
};

/* "pending", "completed", "failed", "cancelled", "timeout" (the spelling of
 * the job tables' states, sim/import_flux.h). */
const char *flurm_flux_result_str (enum flurm_flux_result r);

/* Read a whole eventlog (len bytes of text; blank lines are skipped).
 * Unknown event names are accepted, since Flux keeps adding events; the
 * events read have their context checked: "finish" needs an integer
 * status that is the wait status of an ended process, "exception" a
 * non-empty string type, an integer severity 0..7 and, when present, a
 * string note.  Errors, "SOURCE:LINE[:COL]: what": a line that is not a
 * JSON object, a missing or empty name, a timestamp missing, not a number,
 * negative or absurd (above 1e11 s), a context that is not an object, an
 * event earlier than the one before it, a first event other than
 * "submit", any event after "clean", and text without events.  *out is
 * overwritten, not freed (clear a record before reusing it); on error it
 * is left empty, with nothing to free. */
int flurm_flux_eventlog_parse (const char *text, size_t len, const char *source,
                               struct flurm_flux_job_record *out, flurm_error_t *err);

/* Free what the record holds and reset it to "nothing seen" (times -1). */
void flurm_flux_job_record_clear (struct flurm_flux_job_record *r);

/* What an R granted, summarised for jobs.csv and for checking a plan. */
struct flurm_flux_grant {
    char *nodes;     /* the hosts in R's order, as a hostlist: "aris[0-1]" */
    uint32_t nnodes; /* ranks in R */
    uint64_t ncores; /* cores over all ranks */
    /* Each host's cores, in R's order (by rank), separated by one space:
     * "aris0:0-4,10-14 aris1:0-4".  A host named by two ranks (a test
     * instance without --test-hosts) appears twice. */
    char *cores;
};

/* Read R text through sim/rv1.h (so every check there applies) and
 * summarise it.  An R without a nodelist is an error: the grant names
 * hosts.  Errors name SOURCE: not JSON (with line and column), larger
 * than FLURM_RV1_MAX_BYTES, not a valid R.  *out is overwritten, not
 * freed; on error it is left empty. */
int flurm_flux_grant_parse (const char *R_text, size_t len, const char *source,
                            struct flurm_flux_grant *out, flurm_error_t *err);

/* Free what the grant holds and zero it. */
void flurm_flux_grant_clear (struct flurm_flux_grant *g);

#endif
