/* tests/fuzz/fuzz_flux_jobs.c — `flux jobs --json` listings
 * (sim/import_flux.h), read from a file named jobs.json.
 */
#include "sim/import_flux.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "jobs.json", flurm_import_flux_jobs);
}
