/* policies/pairing.c — the registry of pairing rules, in the order the
 * documentation lists them. */
#include <string.h>

#include "policies/pairing.h"

extern const struct flurm_pairing_rule flurm_pairing_fifo;
extern const struct flurm_pairing_rule flurm_pairing_best_pair;
extern const struct flurm_pairing_rule flurm_pairing_avoid_bad;
extern const struct flurm_pairing_rule flurm_pairing_easy_cosched;

static const struct flurm_pairing_rule *const registry[] = {
    &flurm_pairing_fifo,
    &flurm_pairing_best_pair,
    &flurm_pairing_avoid_bad,
    &flurm_pairing_easy_cosched,
};

#define NRULES (sizeof (registry) / sizeof (registry[0]))

const struct flurm_pairing_rule *const *flurm_pairing_rules (unsigned *n)
{
    *n = NRULES;
    return registry;
}

const struct flurm_pairing_rule *flurm_pairing_lookup (const char *name, flurm_error_t *err)
{
    for (unsigned i = 0; i < NRULES; i++) {
        if (name && !strcmp (name, registry[i]->name))
            return registry[i];
    }
    flurm_error_set (err, "unknown pairing rule '%s' (expected fifo, best-pair, avoid-bad or "
                     "easy-cosched)", name ? name : "");
    return NULL;
}
