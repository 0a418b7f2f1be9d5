/* tests/fuzz/fuzz_trace.c — trace.yaml (sim/trace.h): cluster, scheduler
 * and workload sections, and the jobspecs and queues they build.
 *
 * Relative paths in a trace are taken from its folder.  Here that folder
 * is tests/data/interference, fixed and read-only: the outcome does not
 * depend on where the fuzzer runs, and `apps: profiles.yaml` finds a
 * small profile file (with its fit), so the interference and pairing
 * settings that need one are reached too.
 */
#include "sim/trace.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    flurm_trace_destroy (flurm_trace_load_buffer ((const char *)data, size, "fuzz.yaml",
                                                  FLURM_FUZZ_DATA "/interference", &err));
    return 0;
}
