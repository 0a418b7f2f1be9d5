/* tests/fuzz/fuzz_npb.c — NAS Parallel Benchmarks output logs
 * (sim/import_npb.h).  The file is named as the ARIS pair folders name
 * theirs, so the partner read from the names is set on the runs read
 * from the text, as on real logs.
 */
#include "sim/import_npb.h"
#include "tests/fuzz/harness.h"
#include "tests/fuzz/harness_import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    return fuzz_import (data, size, "cg.D.x.64_mg.E.x.128/cg.D.x_mg.E.x_0.out", flurm_import_npb);
}
