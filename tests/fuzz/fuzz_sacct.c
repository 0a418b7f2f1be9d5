/* tests/fuzz/fuzz_sacct.c — `sacct --parsable2` tables
 * (sim/import_sacct.h), read from a file named sacct.txt.
 */
#include "sim/import_sacct.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "sacct.txt", flurm_import_sacct);
}
