/* policies/pairing_avoid_bad.c — never pair jobs that would hurt each
 * other: a start is refused when the job or any job it joins would run
 * below the threshold (0.9 by default: more than 11% slower than compact
 * alone).  Running alone is always allowed, so a refused job waits for
 * sockets of its own rather than forever. */
#include "policies/pairing.h"

static double refuse_slow (const struct flurm_pairing_view *v)
{
    if (v->njoined == 0)
        return 0;
    if (v->own_rate < v->threshold)
        return -1;
    for (size_t i = 0; i < v->njoined; i++) {
        if (v->after[i] < v->threshold)
            return -1;
    }
    return 0;
}

const struct flurm_pairing_rule flurm_pairing_avoid_bad = {
    .name = "avoid-bad",
    .summary = "first fit, refusing pairs predicted below the threshold rate",
    .judge = refuse_slow,
};
