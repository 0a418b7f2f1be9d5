/* policies/queue_policy.c — the registry of queue policies.
 *
 * One line per built-in policy; the table order is the order `--help`
 * lists them.  Registered policies (plugins) follow them in the same
 * fixed-size table: nothing is allocated, so the registry needs no
 * clean-up, and a lookup is one loop whatever the origin.
 */
#include <string.h>

#include <glib.h>

#include "policies/queue_policy.h"

extern const struct flurm_queue_policy flurm_queue_policy_fcfs;
extern const struct flurm_queue_policy flurm_queue_policy_easy;
extern const struct flurm_queue_policy flurm_queue_policy_hybrid;
extern const struct flurm_queue_policy flurm_queue_policy_conservative;

#define BUILTINS \
    &flurm_queue_policy_fcfs, \
    &flurm_queue_policy_easy, \
    &flurm_queue_policy_hybrid, \
    &flurm_queue_policy_conservative,

static const struct flurm_queue_policy *registry[FLURM_QUEUE_POLICIES_MAX] = {BUILTINS};

/* counted by the compiler, so a new built-in is one line in BUILTINS */
#define NBUILTIN (sizeof ((const struct flurm_queue_policy *[]){BUILTINS}) / sizeof (registry[0]))

static unsigned npolicies = NBUILTIN;

const struct flurm_queue_policy *const *flurm_queue_policies (unsigned *n)
{
    *n = npolicies;
    return registry;
}

const struct flurm_queue_policy *flurm_queue_policy_lookup (const char *name,
                                                            flurm_error_t *err)
{
    for (unsigned i = 0; i < npolicies; i++) {
        if (name && !strcmp (name, registry[i]->name))
            return registry[i];
    }
    GString *known = g_string_new (NULL);
    for (unsigned i = 0; i < npolicies; i++)
        g_string_append_printf (known, "%s%s", i == 0 ? "" : i + 1 < npolicies ? ", " : " or ",
                                registry[i]->name);
    flurm_error_set (err, "unknown queue policy '%s' (expected %s)", name ? name : "",
                     known->str);
    g_string_free (known, TRUE);
    return NULL;
}

int flurm_queue_policy_register (const struct flurm_queue_policy *p, flurm_error_t *err)
{
    if (!p || !p->name || !*p->name || !p->reservation_depth)
        return flurm_error_set (err, "a queue policy needs a name and a reservation_depth");
    for (unsigned i = 0; i < npolicies; i++) {
        if (!strcmp (p->name, registry[i]->name))
            return flurm_error_set (err, "queue policy '%s' exists already (%s)", p->name,
                                    i < NBUILTIN ? "built-in" : "registered before");
    }
    if (npolicies == FLURM_QUEUE_POLICIES_MAX)
        return flurm_error_set (err, "queue policy '%s': no room, %u policies are known "
                                "already", p->name, npolicies);
    registry[npolicies++] = p;
    return 0;
}
