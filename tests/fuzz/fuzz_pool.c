/* tests/fuzz/fuzz_pool.c — ELiSE pools of measured runtimes
 * (sim/import_pool.h), read from a file named pool.json.
 */
#include "sim/import_pool.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "pool.json", flurm_import_pool);
}
