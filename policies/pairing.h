/* policies/pairing.h — co-scheduling pairing rules: which waiting job goes
 * next to which running one.
 *
 * They apply to jobs of queues marked `share: true` when they start now;
 * the engine (sim/engine.c) finds a placement, asks the interference model
 * for the rates the jobs involved would get, and lets the rule judge:
 *
 *   fifo          the first job in queue order that fits, wherever the
 *                 matcher puts it (no judgement): the baseline
 *   best-pair     among the waiting jobs that fit now, the one whose start
 *                 gains the most throughput: its own predicted rate plus
 *                 the change it causes to the rates of the jobs it joins;
 *                 repeated while jobs fit
 *   avoid-bad     fifo, but a placement where the job or one it joins
 *                 would run below `threshold` (rate, 1 = compact alone) is
 *                 refused; the job is tried again away from those sockets,
 *                 and waits if nothing else fits
 *   easy-cosched  EASY backfilling that fills half-used sockets first: a
 *                 job is placed next to running jobs when it can be, on
 *                 idle sockets only otherwise, never delaying the head
 *                 job's reservation (the queue runs easy)
 *
 * A rule is data plus one judging function, in one file each
 * (policies/pairing_NAME.c), registered in policies/pairing.c, or added at
 * run time by a plugin (sim/plugin.h) through flurm_pairing_register.  At
 * most `max_per_socket` jobs (default 2) share a socket under any rule.  A job
 * that was given a reservation (the head job under easy, every job under
 * conservative) starts as soon as it fits, without the rule: reservations
 * are planned without it, and a rule must never make a job start later
 * than its reservation.  The rules thus steer backfilling and fcfs.
 */
#ifndef FLURM_POLICIES_PAIRING_H
#define FLURM_POLICIES_PAIRING_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

#define FLURM_PAIRING_THRESHOLD_DEFAULT 0.9
#define FLURM_PAIRING_MAX_PER_SOCKET_DEFAULT 2u

/* What a candidate start would do, as the model predicts it. */
struct flurm_pairing_view {
    double own_rate;        /* the candidate's rate there */
    size_t njoined;         /* running jobs sharing a socket with it */
    const double *before;   /* their rates now */
    const double *after;    /* their rates with the candidate started */
    double threshold;       /* the configured threshold */
};

struct flurm_pairing_rule {
    const char *name;
    const char *summary;
    /* A score for the start (higher is better), or < 0 to refuse it;
     * NULL accepts every start with score 0. */
    double (*judge) (const struct flurm_pairing_view *v);
    bool choose_best;       /* start the best-scoring fitting job, not the first */
    bool fill_shared_first; /* try sockets that already hold a job first */
    const char *queue_policy; /* forced on sharing queues, NULL: the queue's own */
};

/* Built-in and registered rules together. */
#define FLURM_PAIRING_RULES_MAX 64u

/* The rule called `name`, or NULL with err listing the known ones. */
const struct flurm_pairing_rule *flurm_pairing_lookup (const char *name, flurm_error_t *err);
/* Built-ins first, then registered rules in registration order. */
const struct flurm_pairing_rule *const *flurm_pairing_rules (unsigned *n);

/* Make r known by its name from now on.  r is not copied: it must live as
 * long as the program.  -1 when r has no name, when its queue_policy is
 * not a known one, when its name is taken or when the registry is full.
 * Not thread-safe: register before any engine runs. */
int flurm_pairing_register (const struct flurm_pairing_rule *r, flurm_error_t *err);

#endif
