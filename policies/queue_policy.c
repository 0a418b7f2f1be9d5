/* policies/queue_policy.c — the registry of queue policies.
 *
 * One line per policy; the table order is the order `--help` lists them.
 */
#include <string.h>

#include "policies/queue_policy.h"

extern const struct flurm_queue_policy flurm_queue_policy_fcfs;
extern const struct flurm_queue_policy flurm_queue_policy_easy;
extern const struct flurm_queue_policy flurm_queue_policy_hybrid;
extern const struct flurm_queue_policy flurm_queue_policy_conservative;

static const struct flurm_queue_policy *const registry[] = {
    &flurm_queue_policy_fcfs,
    &flurm_queue_policy_easy,
    &flurm_queue_policy_hybrid,
    &flurm_queue_policy_conservative,
};

#define NPOLICIES (sizeof (registry) / sizeof (registry[0]))

const struct flurm_queue_policy *const *flurm_queue_policies (unsigned *n)
{
    *n = NPOLICIES;
    return registry;
}

const struct flurm_queue_policy *flurm_queue_policy_lookup (const char *name,
                                                            flurm_error_t *err)
{
    for (unsigned i = 0; i < NPOLICIES; i++) {
        if (name && !strcmp (name, registry[i]->name))
            return registry[i];
    }
    flurm_error_set (err, "unknown queue policy '%s' (expected fcfs, easy, hybrid or "
                     "conservative)", name ? name : "");
    return NULL;
}
