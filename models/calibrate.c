/* models/calibrate.c — least-squares fit of the analytic interference
 * model to measured pair speedups (see calibrate.h).
 *
 * Unknowns: per app, x = logit(m) and y = log(d), so that any vector the
 * trust-region solver tries maps to m in (0, 1) and d > 0 without
 * constraints.  Residuals: one per observation, predicted rate - measured
 * speedup, plus one per unknown, RIDGE * (x - x0): a weak pull towards the
 * start.
 *
 * Why the ridge.  Every observation fills its socket (5 + 5 of C = 10
 * cores), and on a full socket the formula depends only on m (C d - 1)
 * per app and on the ratios of the m: scaling every m by 1/a and every
 * d - 1/C by a (for any a >= the largest m that keeps every d >= 0)
 * changes no prediction for a full socket, only those for a socket left
 * partly idle (a job spread alone).  So no pair measurement can choose a,
 * and apps with few pairs or a bound in sight (m -> 0) add flat directions
 * of their own.  The ridge makes the minimum unique (among equally good
 * fits, the one nearest the start), keeps the solver from chasing an
 * unknown to infinity, and gives at least as many residuals as unknowns
 * (GSL needs n >= p) even when leave-one-out holds out an app's only pair.
 * It is weak enough to leave the data's fit alone: exact synthetic data
 * are reproduced, their parameters recovered up to that family.
 *
 * Determinism: a fixed start, a fixed order of observations (profile order
 * of A, then of its partners), the analytic Jacobian (no step-size
 * heuristics), tolerances tight enough that the written figures do not
 * depend on where the solver stopped, and parameters rounded to
 * FLURM_CALIBRATE_DECIMALS before any error is computed, so the figures
 * reported are those of the parameters written and read back.
 */
#include "models/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "sim/outfile.h"

#define STR_(x) #x
#define STR(x) STR_ (x)
/* The fit file's fixed notations (g_ascii_formatd takes no '*'): the
 * parameters with FLURM_CALIBRATE_DECIMALS, the error figures with 4. */
#define PARAM_FORMAT "%." STR (FLURM_CALIBRATE_DECIMALS) "f"
#define FIGURE_FORMAT "%.4f"

/* The start: half of the runtime memory-bound, and a demand that puts a
 * compact socket (10 x 0.15 = 1.5) above capacity.  Starting at or under
 * capacity would leave every residual flat in d (max(1, D) = 1), and the
 * solver would never move. */
#define START_M 0.5
#define START_D 0.15
#define START_X log (START_M / (1 - START_M))
#define START_Y log (START_D)
#define RIDGE 1e-3
#define MAX_ITER 500
/* Leave-one-out refits run on up to this many threads (and processors). */
#define LOO_THREADS 64
#define XTOL 1e-10
#define GTOL 1e-10
/* Stop when the cost falls by less than FTOL (relative) FLAT_STEPS times
 * in a row.  Looser tolerances are faster but move the leave-one-out
 * figures of the ARIS file (1e-9 changes the fourth decimal of 14 apps'
 * figures; 1e-10, 1e-11 and 1e-12 agree). */
#define FTOL 1e-12
#define FLAT_STEPS 3
/* exp(y) stays finite and demand x cores stays far from overflow. */
#define Y_LIMIT 50.0

struct obs {
    uint32_t a, b;     /* A next to B */
    double speedup;    /* measured */
};

struct problem {
    const struct obs *obs;
    size_t nobs, napps;
    double x0, y0;     /* the start, for the ridge */
};

static double logistic (double x)
{
    return 1.0 / (1.0 + exp (-x));
}

static void params_at (const gsl_vector *v, size_t app, struct flurm_analytic_params *out)
{
    out->memory_share = logistic (gsl_vector_get (v, 2 * app));
    out->demand = exp (fmin (fmax (gsl_vector_get (v, 2 * app + 1), -Y_LIMIT), Y_LIMIT));
}

/* The measured situation, through the model's own formula. */
static double predict (const struct flurm_analytic_params *a, const struct flurm_analytic_params *b)
{
    const struct flurm_corunner partner = {.app = 0, .procs = FLURM_CALIBRATE_CORES / 2};
    const struct flurm_socket_share s = {
        .procs = FLURM_CALIBRATE_CORES / 2,
        .cores = FLURM_CALIBRATE_CORES,
        .others = &partner,
        .nothers = 1,
    };
    const struct flurm_analytic_params *others[1] = {b};
    return flurm_analytic_rate (a, &s, others);
}

static int residuals (const gsl_vector *v, void *arg, gsl_vector *f)
{
    const struct problem *pb = arg;
    for (size_t i = 0; i < pb->nobs; i++) {
        struct flurm_analytic_params a, b;
        params_at (v, pb->obs[i].a, &a);
        params_at (v, pb->obs[i].b, &b);
        gsl_vector_set (f, i, predict (&a, &b) - pb->obs[i].speedup);
    }
    for (size_t k = 0; k < 2 * pb->napps; k++) {
        double start = k % 2 ? pb->y0 : pb->x0;
        gsl_vector_set (f, pb->nobs + k, RIDGE * (gsl_vector_get (v, k) - start));
    }
    return GSL_SUCCESS;
}

/* d(rate)/d(unknowns) of one observation.  With time(X) = 1 - m + m
 * max(1, X), Dc = C da and D = C/2 (da + db): rate = time(Dc) / time(D),
 * and max(1, X) has slope 1 above capacity, 0 under (the kink at X = 1
 * takes the side under, as a rate there does not move). */
static int jacobian (const gsl_vector *v, void *arg, gsl_matrix *J)
{
    const struct problem *pb = arg;
    const double c = FLURM_CALIBRATE_CORES, h = FLURM_CALIBRATE_CORES / 2;
    gsl_matrix_set_zero (J);
    for (size_t i = 0; i < pb->nobs; i++) {
        uint32_t ia = pb->obs[i].a, ib = pb->obs[i].b;
        struct flurm_analytic_params a, b;
        params_at (v, ia, &a);
        params_at (v, ib, &b);
        double m = a.memory_share, dc = c * a.demand, d = h * (a.demand + b.demand);
        double tc = 1 - m + m * fmax (1, dc), t = 1 - m + m * fmax (1, d);
        double over_c = dc > 1 ? 1 : 0, over = d > 1 ? 1 : 0;
        double dr_dm = ((fmax (1, dc) - 1) * t - tc * (fmax (1, d) - 1)) / (t * t);
        double dr_dda = (m * c * over_c * t - tc * m * h * over) / (t * t);
        double dr_ddb = -tc * m * h * over / (t * t);
        /* chain rule: dm/dx = m (1 - m), dd/dy = d */
        *gsl_matrix_ptr (J, i, 2 * ia) += dr_dm * m * (1 - m);
        *gsl_matrix_ptr (J, i, 2 * ia + 1) += dr_dda * a.demand;
        *gsl_matrix_ptr (J, i, 2 * ib + 1) += dr_ddb * b.demand;
    }
    for (size_t k = 0; k < 2 * pb->napps; k++)
        gsl_matrix_set (J, pb->nobs + k, k, RIDGE);
    return GSL_SUCCESS;
}

/* Round to the decimals the fit file keeps, the way it prints them. */
static double rounded (double x)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_ascii_strtod (g_ascii_formatd (buf, sizeof (buf), PARAM_FORMAT, x), NULL);
}

/* The unknowns as parameters, rounded as the fit file will hold them. */
static void unknowns_to_params (const gsl_vector *x, size_t napps,
                                struct flurm_analytic_params *out)
{
    for (size_t a = 0; a < napps; a++) {
        params_at (x, a, &out[a]);
        out[a].memory_share = rounded (out[a].memory_share);
        out[a].demand = rounded (out[a].demand);
    }
}

/* Fit the unknowns to `obs`, starting from x (2 napps values: the fixed
 * start or a previous solution) and leaving the solution in x.  The ridge
 * always pulls towards the fixed start, so the objective does not depend
 * on where the solver starts. */
static void fit (const struct obs *obs, size_t nobs, size_t napps, gsl_vector *x,
                 size_t *iterations, bool *converged)
{
    struct problem pb = {
        .obs = obs, .nobs = nobs, .napps = napps,
        .x0 = START_X, .y0 = START_Y,
    };
    size_t p = 2 * napps;
    gsl_multifit_nlinear_fdf fdf = {
        .f = residuals, .df = jacobian, .fvv = NULL,
        .n = nobs + p, .p = p, .params = &pb,
    };
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters ();
    params.trs = gsl_multifit_nlinear_trs_lm;
    /* Cholesky of J^T J + mu D is safe: the ridge rows give J full rank. */
    params.solver = gsl_multifit_nlinear_solver_cholesky;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc (gsl_multifit_nlinear_trust, &params, fdf.n, p);
    gsl_multifit_nlinear_init (x, &fdf, w);
    /* GSL's tests look at the step and the gradient; along the flat
     * directions (see the top of this file) both stay above any useful
     * tolerance for hundreds of iterations while the predictions no longer
     * change.  This loop also stops once the cost has stopped decreasing
     * (relative FTOL, FLAT_STEPS times in a row), or when no step lowers
     * it any more (GSL_ENOPROG: a minimum on a kink of max(1, D)); both
     * count as converged.  Stopping at MAX_ITER does not, but the best
     * point found is used all the same. */
    double cost = INFINITY;
    int flat = 0, info, status = GSL_CONTINUE;
    size_t iter;
    for (iter = 0; iter < MAX_ITER && status == GSL_CONTINUE; iter++) {
        int step = gsl_multifit_nlinear_iterate (w);
        if (step != GSL_SUCCESS) {
            status = step == GSL_ENOPROG ? GSL_SUCCESS : step;
            break;
        }
        status = gsl_multifit_nlinear_test (XTOL, GTOL, 0, &info, w);
        double now = gsl_blas_dnrm2 (gsl_multifit_nlinear_residual (w));
        flat = cost - now <= FTOL * now ? flat + 1 : 0;
        cost = now;
        if (flat == FLAT_STEPS)
            status = GSL_SUCCESS;
    }
    gsl_vector_memcpy (x, gsl_multifit_nlinear_position (w));
    if (iterations)
        *iterations = iter;
    if (converged)
        *converged = status == GSL_SUCCESS;
    gsl_multifit_nlinear_free (w);
}

static gsl_vector *fixed_start (size_t napps)
{
    gsl_vector *x = gsl_vector_alloc (2 * napps);
    for (size_t a = 0; a < napps; a++) {
        gsl_vector_set (x, 2 * a, START_X);
        gsl_vector_set (x, 2 * a + 1, START_Y);
    }
    return x;
}

static double rel_error (const struct flurm_analytic_params *params, const struct obs *o)
{
    return fabs (predict (&params[o->a], &params[o->b]) - o->speedup) / o->speedup;
}

/* Median and 90th percentile of n values (sorted in place); NaN if none. */
static void quantiles (double *v, size_t n, double *median, double *p90)
{
    if (n == 0) {
        *median = *p90 = NAN;
        return;
    }
    gsl_sort (v, 1, n);
    *median = gsl_stats_quantile_from_sorted_data (v, 1, n, 0.5);
    *p90 = gsl_stats_quantile_from_sorted_data (v, 1, n, 0.9);
}

/* Every measured pair, in profile order. */
static struct obs *collect (const struct flurm_app_profiles *p, size_t *nobs, flurm_error_t *err)
{
    size_t n = 0;
    for (size_t a = 0; a < p->napps; a++)
        n += p->apps[a].npairs;
    if (n == 0) {
        flurm_error_set (err, "%s: no measured pair to fit", p->source);
        return NULL;
    }
    struct obs *obs = g_new (struct obs, n);
    n = 0;
    for (size_t a = 0; a < p->napps; a++) {
        for (size_t j = 0; j < p->apps[a].npairs; j++) {
            const struct flurm_app_pair *pair = &p->apps[a].pairs[j];
            if (pair->partner >= p->napps || !isfinite (pair->speedup) || pair->speedup <= 0) {
                flurm_error_set (err, "%s: %s: bad pair (partner %u, speedup %g)", p->source,
                                 p->apps[a].name, pair->partner, pair->speedup);
                g_free (obs);
                return NULL;
            }
            obs[n++] = (struct obs){.a = (uint32_t)a, .b = pair->partner,
                                    .speedup = pair->speedup};
        }
    }
    *nobs = n;
    return obs;
}

static bool same_pair (const struct obs *x, const struct obs *y)
{
    return (x->a == y->a && x->b == y->b) || (x->a == y->b && x->b == y->a);
}

/* Leave-one-pair-out: the refits are independent, so worker threads take
 * the unordered pairs in turn; each writes only the entries of `loo` of
 * its pair, so the result does not depend on the threads' timing. */
struct loo_job {
    const struct obs *obs;
    size_t nobs, napps;
    const gsl_vector *x;     /* the full fit's solution: every refit's start */
    const size_t *first;     /* an observation of each unordered pair */
    size_t npairs;
    gint next;               /* the next pair to take (atomic) */
    double *loo;             /* per observation: its held-out relative error */
};

static gpointer loo_worker (gpointer arg)
{
    struct loo_job *job = arg;
    struct obs *kept = g_new (struct obs, job->nobs);
    struct flurm_analytic_params *params = g_new (struct flurm_analytic_params, job->napps);
    gsl_vector *refit = gsl_vector_alloc (job->x->size);
    size_t k;
    while ((k = (size_t)g_atomic_int_add (&job->next, 1)) < job->npairs) {
        const struct obs *held = &job->obs[job->first[k]];
        size_t nkept = 0;
        for (size_t j = 0; j < job->nobs; j++) {
            if (!same_pair (held, &job->obs[j]))
                kept[nkept++] = job->obs[j];
        }
        gsl_vector_memcpy (refit, job->x);
        fit (kept, nkept, job->napps, refit, NULL, NULL);
        unknowns_to_params (refit, job->napps, params);
        for (size_t j = job->first[k]; j < job->nobs; j++) {
            if (same_pair (held, &job->obs[j]))
                job->loo[j] = rel_error (params, &job->obs[j]);
        }
    }
    gsl_vector_free (refit);
    g_free (params);
    g_free (kept);
    return NULL;
}

/* Leave each unordered pair out in turn; loo[i] receives the relative
 * error of observation i predicted by the fit that did not see it.  Each
 * refit starts from the full fit's solution `x`: a cold start would take
 * longer and could stop in another local minimum than the full fit did,
 * which would measure the start rather than the held-out pair.  The
 * objective itself (ridge included) is the one a cold refit minimises.
 * Returns the number of pairs. */
static size_t leave_one_out (const struct obs *obs, size_t nobs, size_t napps,
                             const gsl_vector *x, double *loo)
{
    size_t *first = g_new (size_t, nobs);
    size_t npairs = 0;
    for (size_t i = 0; i < nobs; i++) {
        bool seen = false;
        for (size_t k = 0; k < npairs && !seen; k++)
            seen = same_pair (&obs[first[k]], &obs[i]);
        if (!seen)
            first[npairs++] = i;
    }
    struct loo_job job = {
        .obs = obs, .nobs = nobs, .napps = napps, .x = x,
        .first = first, .npairs = npairs, .next = 0, .loo = loo,
    };
    size_t nthreads = MIN ((size_t)g_get_num_processors (), MIN (npairs, LOO_THREADS));
    GThread **threads = g_new (GThread *, nthreads);
    for (size_t t = 0; t < nthreads; t++)
        threads[t] = g_thread_new ("calibrate-loo", loo_worker, &job);
    for (size_t t = 0; t < nthreads; t++)
        g_thread_join (threads[t]);
    g_free (threads);
    g_free (first);
    return npairs;
}

struct flurm_calibration *flurm_calibrate (const struct flurm_app_profiles *p, bool loo,
                                           flurm_error_t *err)
{
    size_t nobs;
    struct obs *obs = collect (p, &nobs, err);
    if (!obs)
        return NULL;
    struct flurm_calibration *c = g_new0 (struct flurm_calibration, 1);
    c->profiles = g_strdup (p->source);
    c->napps = p->napps;
    c->observations = nobs;
    c->apps = g_new0 (struct flurm_calibrate_app, p->napps);
    struct flurm_analytic_params *params = g_new (struct flurm_analytic_params, p->napps);
    gsl_vector *x = fixed_start (p->napps);
    fit (obs, nobs, p->napps, x, &c->iterations, &c->converged);
    unknowns_to_params (x, p->napps, params);

    double *errs = g_new (double, nobs), *loo_errs = loo ? g_new (double, nobs) : NULL;
    double sq = 0;
    for (size_t i = 0; i < nobs; i++) {
        double r = predict (&params[obs[i].a], &params[obs[i].b]) - obs[i].speedup;
        sq += r * r;
        errs[i] = fabs (r) / obs[i].speedup;
    }
    c->rmse = sqrt (sq / nobs);
    c->mape = gsl_stats_mean (errs, 1, nobs);
    if (loo) {
        c->loo = true;
        c->loo_pairs = leave_one_out (obs, nobs, p->napps, x, loo_errs);
    }
    /* Per app: gather its observations (A = app) out of the profile order. */
    double *mine = g_new (double, nobs), *mine_loo = g_new (double, nobs);
    for (size_t a = 0; a < p->napps; a++) {
        struct flurm_calibrate_app *ca = &c->apps[a];
        ca->name = g_strdup (p->apps[a].name);
        ca->params = params[a];
        size_t n = 0;
        for (size_t i = 0; i < nobs; i++) {
            if (obs[i].a == a) {
                mine[n] = errs[i];
                mine_loo[n++] = loo ? loo_errs[i] : NAN;
            }
        }
        ca->observations = n;
        ca->mape = n ? gsl_stats_mean (mine, 1, n) : NAN;
        quantiles (mine_loo, loo ? n : 0, &ca->loo_median, &ca->loo_p90);
    }
    quantiles (loo_errs, loo ? nobs : 0, &c->loo_median, &c->loo_p90);
    g_free (mine_loo);
    g_free (mine);
    g_free (loo_errs);
    g_free (errs);
    gsl_vector_free (x);
    g_free (params);
    g_free (obs);
    return c;
}

void flurm_calibration_destroy (struct flurm_calibration *c)
{
    if (!c)
        return;
    for (size_t a = 0; a < c->napps; a++)
        g_free (c->apps[a].name);
    g_free (c->apps);
    g_free (c->profiles);
    g_free (c);
}

struct flurm_analytic_fit *flurm_calibration_fit (const struct flurm_calibration *c)
{
    struct flurm_analytic_fit *fit = g_new0 (struct flurm_analytic_fit, 1);
    fit->source = g_strdup_printf ("calibration of %s", c->profiles);
    fit->napps = c->napps;
    fit->apps = g_new (struct flurm_analytic_params, c->napps);
    for (size_t a = 0; a < c->napps; a++)
        fit->apps[a] = c->apps[a].params;
    return fit;
}

/* ---- the fit file ------------------------------------------------------ */

/* A YAML scalar for `s`: plain when it is a simple name (letters, digits,
 * '.', '_', '-', starting with a letter, and not one of YAML's words for
 * null and booleans), else a JSON string, which YAML reads as a
 * double-quoted scalar: any name survives the round trip. */
static void put_scalar (FILE *f, const char *s)
{
    static const char *const words[] = {"null", "Null", "NULL", "true", "True", "TRUE",
                                        "false", "False", "FALSE", "yes", "Yes", "YES", "no",
                                        "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
                                        NULL};
    bool plain = g_ascii_isalpha (s[0]);
    for (const char *q = s; *q && plain; q++)
        plain = g_ascii_isalnum (*q) || *q == '.' || *q == '_' || *q == '-';
    for (const char *const *w = words; *w && plain; w++)
        plain = strcmp (s, *w) != 0;
    if (plain) {
        fputs (s, f);
        return;
    }
    json_t *js = json_string (s);
    char *text = js ? json_dumps (js, JSON_ENCODE_ANY) : NULL;
    fputs (text ? text : "\"\"", f);
    free (text);
    json_decref (js);
}

static void put_figure (FILE *f, const char *key, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (!isnan (v))
        fprintf (f, ", %s: %s", key, g_ascii_formatd (buf, sizeof (buf), FIGURE_FORMAT, v));
}

int flurm_calibration_write (const struct flurm_calibration *c, const char *path,
                             flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    FILE *f = flurm_outfile_stream (out);
    char *base = g_path_get_basename (c->profiles);
    fprintf (f,
             "# Written by `flurm-sim calibrate %s`: the analytic\n"
             "# interference parameters (models/interference.h) fitted to the measured\n"
             "# co-run speedups of the profile file; regenerate, do not edit.  Per app:\n"
             "# memory_share m and demand d, then the fit's errors: rmse in speedup\n"
             "# units; mape and loo_* as fractions |predicted - measured| / measured,\n"
             "# loo_* predicting each pair from a fit without it.  The pairs pin down\n"
             "# m (10 d - 1) and the ratios of the m, not m and d alone: see\n"
             "# docs/interference.md.\n"
             "profiles: ", FLURM_ESCAPED (c->profiles));
    put_scalar (f, base);
    fprintf (f,
             "\nmodel: analytic\n"
             "method: \"GSL multifit_nlinear (trust region, Levenberg-Marquardt, analytic "
             "Jacobian), %zu observations: the measured co-run speedups of each app next to "
             "each measured partner, both on %d of %d cores per socket; m = logistic(x), "
             "d = exp(y), start m = %.2f, d = %.2f, ridge %g on x and y towards the start\"\n",
             c->observations, FLURM_CALIBRATE_CORES / 2, FLURM_CALIBRATE_CORES, START_M,
             START_D, RIDGE);
    fprintf (f, "fit: {observations: %zu", c->observations);
    put_figure (f, "rmse", c->rmse);
    put_figure (f, "mape", c->mape);
    if (c->loo)
        fprintf (f, ", loo_pairs: %zu", c->loo_pairs);
    put_figure (f, "loo_median", c->loo_median);
    put_figure (f, "loo_p90", c->loo_p90);
    fputs ("}\napps:\n", f);
    for (size_t a = 0; a < c->napps; a++) {
        const struct flurm_calibrate_app *ca = &c->apps[a];
        char m[G_ASCII_DTOSTR_BUF_SIZE], d[G_ASCII_DTOSTR_BUF_SIZE];
        fputs ("  ", f);
        put_scalar (f, ca->name);
        fprintf (f, ": {memory_share: %s, demand: %s, observations: %zu",
                 g_ascii_formatd (m, sizeof (m), PARAM_FORMAT, ca->params.memory_share),
                 g_ascii_formatd (d, sizeof (d), PARAM_FORMAT, ca->params.demand),
                 ca->observations);
        put_figure (f, "mape", ca->mape);
        put_figure (f, "loo_median", ca->loo_median);
        put_figure (f, "loo_p90", ca->loo_p90);
        fputs ("}\n", f);
    }
    g_free (base);
    return flurm_outfile_commit (out, err);
}
