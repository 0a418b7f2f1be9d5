/* policies/pairing_best_pair.c — the start that gains the most throughput.
 *
 * Throughput here is work per second summed over running jobs (a rate of 1
 * is a job going at its compact-alone pace).  Starting a job adds its own
 * rate and changes the rates of the jobs it joins; the sum of the two is
 * the gain.  A memory-bound job next to a compute-bound one gains more
 * than two memory-bound jobs together, which is the pairing the ARIS
 * measurements favour. */
#include "policies/pairing.h"

static double throughput_gain (const struct flurm_pairing_view *v)
{
    double gain = v->own_rate;
    for (size_t i = 0; i < v->njoined; i++)
        gain += v->after[i] - v->before[i];
    /* a gain can be negative only in pathological models; such a start
     * is still better than none, so it is not refused */
    return gain > 0 ? gain : 0;
}

const struct flurm_pairing_rule flurm_pairing_best_pair = {
    .name = "best-pair",
    .summary = "among fitting jobs, the start with the highest predicted throughput gain",
    .judge = throughput_gain,
    .choose_best = true,
};
