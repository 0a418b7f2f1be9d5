/* policies/match_variation.c — Fluxion's `variation` match policy
 * (var_aware).
 *
 * A matched vertex scores 1 + its `perf_class` property: an integer
 * 0..9999 read like C++ std::stoi (leading blanks, a sign, digits, the rest
 * ignored); absent, unreadable or out of range it is 9999, the worst class.
 * Lower classes are preferred at the top and at every level, except among
 * the members of a slot, where Fluxion sorts the other way (the scores of
 * cores are all equal there, so only the tie order matters).
 */
#include "policies/match_policy.h"

#include <ctype.h>
#include <limits.h>

#define WORST_CLASS 9999

static int64_t perf_class (const char *s)
{
    if (!s)
        return WORST_CLASS;
    while (isspace ((unsigned char)*s))
        s++;
    bool negative = false;
    if (*s == '+' || *s == '-')
        negative = *s++ == '-';
    if (!isdigit ((unsigned char)*s))
        return WORST_CLASS;
    int64_t value = 0;
    for (; isdigit ((unsigned char)*s); s++) {
        value = value * 10 + (*s - '0');
        if (value > (int64_t)INT_MAX + 1)
            return WORST_CLASS; /* std::stoi throws out_of_range */
    }
    if (negative)
        value = -value;
    if (value < INT_MIN || value > INT_MAX || value < 0 || value > WORST_CLASS)
        return WORST_CLASS;
    return value;
}

static int64_t variation_score (const struct flurm_match_policy *p,
                                const struct flurm_graph *g, flurm_vid v,
                                int64_t above)
{
    (void)p;
    (void)above;
    return 1 + perf_class (flurm_graph_property (g, v, "perf_class"));
}

int flurm_policy_variation_init (struct flurm_match_policy *p,
                                 const struct flurm_graph *g,
                                 flurm_error_t *err)
{
    (void)err;
    p->vertex_order = FLURM_ORDER_LOW;
    p->slot_order = FLURM_ORDER_HIGH;
    p->root_order = FLURM_ORDER_LOW;
    p->score = variation_score;
    p->node_type = flurm_graph_atom (g, "node");
    return 0;
}
