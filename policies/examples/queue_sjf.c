/* policies/examples/queue_sjf.c — an example plugin: shortest job first,
 * with EASY backfilling (docs/plugins.md walks through it).
 *
 *     flurm-sim run LOG.swf --plugin queue_sjf.so --queue-policy sjf
 *
 * The pending jobs are walked shortest requested walltime first (equal
 * walltimes in arrival order).  As under easy, the first job of that walk
 * that does not fit gets a reservation, and the jobs after it start now
 * only where they do not delay it.  The reservation is kept until the job
 * starts, even when shorter jobs arrive (the engine keeps reserved jobs in
 * front), so a reserved job is never overtaken; a long job that is never
 * the first to be blocked can still wait long: that is the price of
 * shortest-first, and why max wait should be read along with the mean.
 *
 * The walltime is what a user asks for, which is all a real scheduler
 * knows before a job runs; the order never sees the actual run time.
 */
#include "sim/plugin.h"

static uint32_t one_reservation (uint32_t queue_depth, uint32_t param)
{
    return 1;
}

static int shortest_walltime_first (const struct flurm_queue_job *a,
                                    const struct flurm_queue_job *b)
{
    return (a->walltime > b->walltime) - (a->walltime < b->walltime);
}

static const struct flurm_queue_policy sjf = {
    .name = "sjf",
    .summary = "shortest requested walltime first, backfilling around one reservation",
    .blocking = false,
    .reservation_depth = one_reservation,
    .order = shortest_walltime_first,
};

static int sjf_init (struct flurm_plugin *p, flurm_error_t *err)
{
    return p->add_queue_policy (p, &sjf);
}

FLURM_PLUGIN_ENTRY (sjf_init);
