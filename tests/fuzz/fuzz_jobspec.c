/* tests/fuzz/fuzz_jobspec.c — Flux jobspecs, YAML or JSON (sim/jobspec.h).
 *
 * Beyond not crashing: a jobspec that loads must survive its own
 * canonical JSON.  The live mode submits that JSON to Flux and reads
 * jobspecs back from Flux with flurm_jobspec_from_json, so what the
 * writer emits has to pass the validator and come out the same.
 */
#include <jansson.h>

#include "sim/jobspec.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_jobspec *js =
        flurm_jobspec_load_buffer ((const char *)data, size, "fuzz.yaml", &err);
    if (!js)
        return 0;
    (void)flurm_jobspec_nslots (js);
    json_t *out = flurm_jobspec_to_json (js);
    struct flurm_jobspec *back = flurm_jobspec_from_json (out, "fuzz.json", &err);
    if (!back)
        fuzz_fail ("the canonical JSON of a valid jobspec is refused", err.text);
    json_t *again = flurm_jobspec_to_json (back);
    if (!json_equal (out, again))
        fuzz_fail ("a jobspec changes when its canonical JSON is read back", NULL);
    json_decref (again);
    json_decref (out);
    flurm_jobspec_destroy (back);
    flurm_jobspec_destroy (js);
    return 0;
}
