/* tests/fuzz/fuzz_batsim.c — Batsim workloads
 * (sim/import_batsim.h), read from a file named workload.json.
 */
#include "sim/import_batsim.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "workload.json", flurm_import_batsim_workload);
}
