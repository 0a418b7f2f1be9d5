/* models/interference.h — how fast a job runs next to the jobs that share
 * its sockets.
 *
 * A job's work is its isolated compact runtime (models/app_profiles.h);
 * its rate is work done per second, 1 when it runs compact and alone.  The
 * engine asks for the rate of a job on each socket it uses and runs the job
 * at the slowest one (a multi-node MPI job goes at the pace of its slowest
 * rank); when a co-runner starts or ends, the rates are asked again.
 *
 * Model kinds (chosen in the trace):
 *
 *   none       rate 1 always: the baseline without interference.
 *   empirical  the measured pair table: A on half a socket next to B on
 *              the other half runs at A's measured speedup next to B; A
 *              filling its socket alone runs at 1.  Any other situation
 *              (A spread alone, an unmeasured pair, three jobs, unequal
 *              halves) is answered by the analytic model and flagged as a
 *              fallback, so a run can report how much of it was guessed.
 *   analytic   per app: the share m of its compact runtime bound by memory
 *              bandwidth and its demand d per process (fraction of one
 *              socket's bandwidth).  Socket demand D = sum of procs x d
 *              over the jobs on the socket; demand above capacity (D > 1)
 *              stretches the memory-bound share:
 *                  time(D) = (1 - m) + m * max(1, D)      (x compact time
 *                                                          over time(Dc))
 *              where Dc is the demand of the job alone filling the socket
 *              (its compact reference), so
 *                  rate = time(Dc) / time(D).
 *              Half a socket alone has D = Dc / 2: a memory-bound job runs
 *              faster spread than compact, as measured on ARIS.
 *
 * Apps without a profile (jobs with an explicit runtime) are not modelled
 * (rate 1) and, as partners, are taken to use no memory bandwidth: an
 * estimate, stated in the run's notes by the engine.
 */
#ifndef FLURM_MODELS_INTERFERENCE_H
#define FLURM_MODELS_INTERFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/app_profiles.h"
#include "sim/error.h"

enum flurm_interference_kind {
    FLURM_INTERFERENCE_NONE,
    FLURM_INTERFERENCE_EMPIRICAL,
    FLURM_INTERFERENCE_ANALYTIC,
};

/* "none", "empirical", "analytic" */
int flurm_interference_kind_parse (const char *name, enum flurm_interference_kind *out,
                                   flurm_error_t *err);
const char *flurm_interference_kind_name (enum flurm_interference_kind k);

/* Analytic parameters of one app. */
struct flurm_analytic_params {
    double memory_share;   /* m in [0, 1] */
    double demand;         /* d >= 0, per process, in socket capacities */
};

/* A fit file (written by `flurm-sim calibrate`): parameters for the apps
 * of one profile file, indexed like it. */
struct flurm_analytic_fit {
    char *source;
    struct flurm_analytic_params *apps; /* profiles->napps entries */
    size_t napps;
};

/* Read a fit file; every app of `profiles` must have parameters (names
 * are matched; extra names are an error, so a stale fit is noticed). */
struct flurm_analytic_fit *flurm_analytic_fit_load (const char *path,
                                                    const struct flurm_app_profiles *profiles,
                                                    flurm_error_t *err);
void flurm_analytic_fit_destroy (struct flurm_analytic_fit *fit);

/* Another job on the same socket. */
struct flurm_corunner {
    int32_t app;           /* profile index, -1: no profile */
    uint32_t procs;        /* its cores on this socket */
};

/* What one socket holds, seen from the job asked about. */
struct flurm_socket_share {
    uint32_t procs;        /* the job's own cores on the socket (>= 1) */
    uint32_t cores;        /* cores of the socket */
    const struct flurm_corunner *others;
    size_t nothers;
};

struct flurm_interference;

/* `profiles` and `fit` must outlive the model.  none needs neither;
 * empirical needs profiles, and fit for its fallback (without one, a
 * situation the table lacks is an error at rate time, see below);
 * analytic needs both. */
struct flurm_interference *flurm_interference_create (enum flurm_interference_kind kind,
                                                      const struct flurm_app_profiles *profiles,
                                                      const struct flurm_analytic_fit *fit,
                                                      flurm_error_t *err);
void flurm_interference_destroy (struct flurm_interference *m);
enum flurm_interference_kind flurm_interference_kind (const struct flurm_interference *m);

/* The rate (> 0) of app `app` on one socket.  *fallback (may be NULL) is
 * set when the empirical model answered with the analytic one.  Returns
 * a value <= 0 with err filled only when the empirical model has no fit to
 * fall back on, or (a caller's mistake) when `app` or a co-runner's app
 * is not an index of the profiles. */
double flurm_interference_rate (const struct flurm_interference *m, uint32_t app,
                                const struct flurm_socket_share *s, bool *fallback,
                                flurm_error_t *err);

/* The analytic formula alone (for calibration and tests): others[i] are
 * the parameters of s->others[i], NULL for a co-runner without profile
 * (no bandwidth used); `others` itself may be NULL when no co-runner has
 * a profile. */
double flurm_analytic_rate (const struct flurm_analytic_params *own,
                            const struct flurm_socket_share *s,
                            const struct flurm_analytic_params *const *others);

#endif
