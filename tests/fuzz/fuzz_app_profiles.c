/* tests/fuzz/fuzz_app_profiles.c — application profile files
 * (models/app_profiles.h), read from a path as the loader only takes
 * one; lookups of every loaded app and pair check the index it builds.
 */
#include "models/app_profiles.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_app_profiles *p =
        flurm_app_profiles_load (fuzz_input_file (data, size, "profiles.yaml"), &err);
    if (!p)
        return 0;
    for (size_t a = 0; a < p->napps; a++) {
        if (flurm_app_profiles_find (p, p->apps[a].name) != (int32_t)a)
            fuzz_fail ("an app is not found under its own name", p->apps[a].name);
        for (size_t b = 0; b < p->napps; b++)
            (void)flurm_app_profiles_pair (p, (uint32_t)a, (uint32_t)b);
    }
    flurm_app_profiles_destroy (p);
    return 0;
}
