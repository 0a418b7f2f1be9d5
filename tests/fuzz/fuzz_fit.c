/* tests/fuzz/fuzz_fit.c — fit files of the analytic interference model
 * (models/interference.h), checked against a fixed set of profiles
 * (tests/data/interference/profiles.yaml: three apps) as a fit always is.
 *
 * A fit that loads has passed every check of its parameters, so the
 * model built from it must give every app a rate that is finite and
 * above zero, alone and next to each app: the engine divides work by
 * that rate.  Those rates are asked here with the parameters the fuzzer
 * chose.
 */
#include <math.h>
#include <stdio.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "tests/fuzz/harness.h"

static const struct flurm_app_profiles *profiles (void)
{
    static struct flurm_app_profiles *p;
    if (!p) {
        flurm_error_t err;
        p = flurm_app_profiles_load (FLURM_FUZZ_DATA "/interference/profiles.yaml", &err);
        if (!p)
            fuzz_fail ("the fixed profiles do not load", err.text);
    }
    return p;
}

static void check_rate (const struct flurm_interference *m, uint32_t app,
                        const struct flurm_socket_share *s)
{
    flurm_error_t err;
    double rate = flurm_interference_rate (m, app, s, NULL, &err);
    if (!(isfinite (rate) && rate > 0)) {
        char what[64];
        snprintf (what, sizeof (what), "rate %g for app %u", rate, app);
        fuzz_fail ("a loaded fit gives a rate that is not finite and positive", what);
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const struct flurm_app_profiles *p = profiles ();
    flurm_error_t err;
    struct flurm_analytic_fit *fit =
        flurm_analytic_fit_load (fuzz_input_file (data, size, "fit.yaml"), p, &err);
    if (!fit)
        return 0;
    struct flurm_interference *m =
        flurm_interference_create (FLURM_INTERFERENCE_ANALYTIC, p, fit, &err);
    if (!m)
        fuzz_fail ("a loaded fit does not make a model", err.text);
    for (uint32_t a = 0; a < p->napps; a++) {
        struct flurm_socket_share alone = {.procs = 10, .cores = 10};
        struct flurm_socket_share half = {.procs = 5, .cores = 10};
        check_rate (m, a, &alone);
        check_rate (m, a, &half);
        for (uint32_t b = 0; b < p->napps; b++) {
            struct flurm_corunner other = {.app = (int32_t)b, .procs = 5};
            struct flurm_socket_share shared = {.procs = 5, .cores = 10, .others = &other,
                                                .nothers = 1};
            check_rate (m, a, &shared);
        }
    }
    flurm_interference_destroy (m);
    flurm_analytic_fit_destroy (fit);
    return 0;
}
