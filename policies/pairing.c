/* policies/pairing.c — the registry of pairing rules, in the order the
 * documentation lists them, then the rules registered at run time
 * (plugins) in registration order.  A fixed-size table: nothing to free,
 * one lookup loop whatever the origin. */
#include <string.h>

#include <glib.h>

#include "policies/pairing.h"
#include "policies/queue_policy.h"

extern const struct flurm_pairing_rule flurm_pairing_fifo;
extern const struct flurm_pairing_rule flurm_pairing_best_pair;
extern const struct flurm_pairing_rule flurm_pairing_avoid_bad;
extern const struct flurm_pairing_rule flurm_pairing_easy_cosched;

#define BUILTINS \
    &flurm_pairing_fifo, \
    &flurm_pairing_best_pair, \
    &flurm_pairing_avoid_bad, \
    &flurm_pairing_easy_cosched,

static const struct flurm_pairing_rule *registry[FLURM_PAIRING_RULES_MAX] = {BUILTINS};

/* counted by the compiler, so a new built-in is one line in BUILTINS */
#define NBUILTIN (sizeof ((const struct flurm_pairing_rule *[]){BUILTINS}) / sizeof (registry[0]))

static unsigned nrules = NBUILTIN;

const struct flurm_pairing_rule *const *flurm_pairing_rules (unsigned *n)
{
    *n = nrules;
    return registry;
}

const struct flurm_pairing_rule *flurm_pairing_lookup (const char *name, flurm_error_t *err)
{
    for (unsigned i = 0; i < nrules; i++) {
        if (name && !strcmp (name, registry[i]->name))
            return registry[i];
    }
    GString *known = g_string_new (NULL);
    for (unsigned i = 0; i < nrules; i++)
        g_string_append_printf (known, "%s%s", i == 0 ? "" : i + 1 < nrules ? ", " : " or ",
                                registry[i]->name);
    flurm_error_set (err, "unknown pairing rule '%s' (expected %s)", name ? name : "",
                     known->str);
    g_string_free (known, TRUE);
    return NULL;
}

int flurm_pairing_register (const struct flurm_pairing_rule *r, flurm_error_t *err)
{
    if (!r || !r->name || !*r->name)
        return flurm_error_set (err, "a pairing rule needs a name");
    for (unsigned i = 0; i < nrules; i++) {
        if (!strcmp (r->name, registry[i]->name))
            return flurm_error_set (err, "pairing rule '%s' exists already (%s)", r->name,
                                    i < NBUILTIN ? "built-in" : "registered before");
    }
    /* checked now: the engine looks the forced policy up only when a
     * sharing queue is set up, far from whoever wrote the rule */
    if (r->queue_policy && !flurm_queue_policy_lookup (r->queue_policy, err))
        return flurm_error_prefix (err, "pairing rule '%s'", r->name);
    if (nrules == FLURM_PAIRING_RULES_MAX)
        return flurm_error_set (err, "pairing rule '%s': no room, %u rules are known already",
                                r->name, nrules);
    registry[nrules++] = r;
    return 0;
}
