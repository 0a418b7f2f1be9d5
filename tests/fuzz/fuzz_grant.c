/* tests/fuzz/fuzz_grant.c — the R granted to a Flux job, summarised
 * (sim/flux_eventlog.h flurm_flux_grant_parse), as live mode reads it
 * from `flux job info ID R`.  On error the grant is left empty with
 * nothing to free, so it is not cleared then: a leak would show it.
 */
#include "sim/flux_eventlog.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_flux_grant g;
    if (flurm_flux_grant_parse ((const char *)data, size, "fuzz.R", &g, &err) < 0)
        return 0;
    flurm_flux_grant_clear (&g);
    return 0;
}
