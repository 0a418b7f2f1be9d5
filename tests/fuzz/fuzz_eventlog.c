/* tests/fuzz/fuzz_eventlog.c — a Flux job's eventlog (sim/flux_eventlog.h),
 * as live mode reads it from `flux job eventlog -f json`.
 *
 * The header promises that a record is left empty on error, with nothing
 * to free, so the record is not cleared then: a leak would show it.
 */
#include "sim/flux_eventlog.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_flux_job_record rec;
    if (flurm_flux_eventlog_parse ((const char *)data, size, "fuzz.eventlog", &rec, &err) < 0)
        return 0;
    (void)flurm_flux_result_str (rec.result);
    /* Final only once inactive (a clean event), pending before. */
    if (rec.inactive != (rec.result != FLURM_FLUX_RESULT_PENDING)
        || rec.inactive != (rec.exit_code >= 0))
        fuzz_fail ("an eventlog's result or exit code disagrees with its clean event", NULL);
    flurm_flux_job_record_clear (&rec);
    return 0;
}
