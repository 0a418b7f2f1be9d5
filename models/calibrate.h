/* models/calibrate.h — fit the analytic interference model to the
 * measured co-run speedups of a profile file (`flurm-sim calibrate`).
 *
 * Every measured pair "A next to B" of the profiles is one observation:
 * A on 5 cores and B on the other 5 of each 10-core ARIS socket, A at the
 * measured speedup over its compact runtime.  The fit chooses, per app, the
 * memory share m in [0, 1] and the demand d >= 0 of models/interference.h
 * that minimise the squared differences between flurm_analytic_rate and
 * the measured speedups (GSL nonlinear least squares, trust region; the
 * bounds hold by construction: m = logistic(x), d = exp(y)).  The fit is
 * deterministic: fixed start, no randomness, and the parameters are
 * rounded to the decimals the fit file keeps before any error is computed,
 * so the errors reported are those of the parameters a simulation reads.
 * Pairs on full sockets fix m (10 d - 1) per app and the ratios of the m,
 * not m and d alone: of the equally good fits, a weak ridge returns the
 * one nearest the start (models/calibrate.c, docs/interference.md).
 *
 * How good the model is comes out two ways: the error of the fit on the
 * pairs it saw (RMSE, MAPE, per app), and the leave-one-pair-out error:
 * for each unordered measured pair {A, B}, refit without A|B and B|A and
 * predict both, which is what the model does for a pair nobody measured.
 */
#ifndef FLURM_MODELS_CALIBRATE_H
#define FLURM_MODELS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/app_profiles.h"
#include "models/interference.h"
#include "sim/error.h"

/* The measured pairs ran on sockets of this many cores, half each. */
#define FLURM_CALIBRATE_CORES 10

/* Decimals of m and d in the fit file (and of the fitted values). */
#define FLURM_CALIBRATE_DECIMALS 4

/* Relative errors are |predicted - measured| / measured. */
struct flurm_calibrate_app {
    char *name;                 /* as in the profiles */
    struct flurm_analytic_params params;
    size_t observations;        /* measured pairs with this app as A */
    double mape;                /* mean relative error over them (NaN if none) */
    double loo_median, loo_p90; /* of its held-out pairs (NaN without LOO or pairs) */
};

struct flurm_calibration {
    char *profiles;             /* source of the profiles fitted */
    size_t observations;        /* measured pairs fitted */
    double rmse, mape;          /* speedup units; fraction */
    size_t iterations;          /* of the full fit */
    bool converged;             /* it met its tolerances (else: iteration limit) */
    bool loo;                   /* the fields below were computed */
    size_t loo_pairs;           /* unordered pairs held out in turn */
    double loo_median, loo_p90; /* over every held-out ordered pair */
    struct flurm_calibrate_app *apps; /* indexed like the profiles */
    size_t napps;
};

/* Fit `p`; with `loo`, also the leave-one-pair-out error (one refit per
 * unordered pair: hundreds of fits for the ARIS file).  Fails when the
 * profiles hold no measured pair. */
struct flurm_calibration *flurm_calibrate (const struct flurm_app_profiles *p, bool loo,
                                           flurm_error_t *err);
void flurm_calibration_destroy (struct flurm_calibration *c);

/* The fitted parameters as a fit, as flurm_analytic_fit_load would
 * return them from the written file.  Free with flurm_analytic_fit_destroy. */
struct flurm_analytic_fit *flurm_calibration_fit (const struct flurm_calibration *c);

/* Write the fit file (atomically, sim/outfile.h; "-" is stdout).  The text
 * depends only on the calibration and the profiles' source as given, so the
 * same input gives the same bytes. */
int flurm_calibration_write (const struct flurm_calibration *c, const char *path,
                             flurm_error_t *err);

#endif
