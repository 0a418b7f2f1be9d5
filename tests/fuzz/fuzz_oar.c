/* tests/fuzz/fuzz_oar.c — OAR gantt dumps
 * (sim/import_oar.h), read from a file named gantt.json.
 */
#include "sim/import_oar.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "gantt.json", flurm_import_oar);
}
