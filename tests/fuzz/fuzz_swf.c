/* tests/fuzz/fuzz_swf.c — Standard Workload Format logs (sim/swf.h), and
 * the machine and workload built from them (sim/swf_workload.h), which
 * is what `flurm-sim run LOG.swf` does before simulating.
 *
 * The machine's graph is not built: a header may describe 2^24 cores by
 * design, memory a fuzzer should not spend on every input.
 */
#include "sim/swf.h"
#include "sim/swf_workload.h"
#include "sim/workload.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_swf *swf = flurm_swf_load_buffer ((const char *)data, size, "fuzz.swf", &err);
    if (!swf)
        return 0;
    struct flurm_swf_machine mach;
    if (flurm_swf_machine (swf, 0, &mach, &err) == 0)
        flurm_workload_destroy (flurm_swf_workload (swf, &mach, 0, &err));
    /* An override the header does not have: the other branch of sizing. */
    if (flurm_swf_machine (swf, 64, &mach, &err) == 0)
        flurm_workload_destroy (flurm_swf_workload (swf, &mach, 0, &err));
    flurm_swf_destroy (swf);
    return 0;
}
