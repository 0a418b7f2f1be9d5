/* sim/metrics.h — what a run produced: per-job rows and aggregate figures.
 *
 * Definitions (Feitelson's, as the issue and the compared simulators use):
 *   wait        start - submit
 *   turnaround  end - submit
 *   bounded slowdown  max (1, turnaround / max (end - start, tau)), tau = 10 s
 *   makespan    last end - first submit (over jobs that ran)
 *   utilisation core-seconds held / (cores x makespan)
 *   throughput  jobs that ran per hour of makespan
 * Aggregates cover jobs that ran: completed or timed out, and in live runs
 * also failed or cancelled ones that had started.  Percentiles
 * are nearest-rank; the median of an even count is the mean of the middle
 * two.
 *
 * Every file goes through sim/outfile.h (complete or absent) and numbers
 * are printed with fixed precision, so equal runs give equal bytes.
 */
#ifndef FLURM_SIM_METRICS_H
#define FLURM_SIM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/engine.h"
#include "sim/error.h"
#include "sim/workload.h"

#define FLURM_BSLD_TAU 10.0

struct flurm_stat {
    double mean, median, p95, max;
};

struct flurm_metrics {
    uint64_t njobs, ncompleted, ntimeout, nrejected, nunfinished, nbackfilled;
    uint64_t nfailed, ncancelled; /* live runs only */
    uint64_t total_cores;
    double first_submit, last_end, makespan;
    double utilisation, throughput_per_hour, core_hours, node_hours;
    struct flurm_stat wait, turnaround, bsld;
};

/* Co-scheduling figures, for runs with an interference model.  A job's
 * interference slowdown is its run time over its isolated compact
 * runtime (its work); "exclusive" node-hours are what the same jobs would
 * hold compact on whole nodes at their isolated runtimes. */
struct flurm_interference_metrics {
    uint64_t modelled;          /* completed jobs with an app profile */
    double mean_slowdown;       /* over those */
    double colocated_job_seconds, fallback_job_seconds;
    double busy_node_hours;     /* node-hours with a job on the node */
    double exclusive_node_hours;
    double jobs_per_node_hour;  /* completed jobs / busy node-hours */
};
void flurm_metrics_interference (const struct flurm_engine *e, uint32_t cores_per_node,
                                 struct flurm_interference_metrics *out);

/* Aggregate `n` jobs on a machine of total_cores cores. */
void flurm_metrics_compute (const struct flurm_job *jobs, size_t n, uint64_t total_cores,
                            struct flurm_metrics *out);

/* jobs.csv: Batsim/evalys columns, then Flurm's (name, app, queue, alloc,
 * nodes, cores, state, isolated_time, slowdown_interference,
 * corunners); times with 3 decimals, rejected jobs with empty times.
 * isolated_time and slowdown_interference are empty for jobs without an
 * app profile, slowdown_interference also for jobs that did not complete. */
int flurm_metrics_write_jobs_csv (const char *path, const struct flurm_engine *e,
                                  const struct flurm_workload *w, flurm_error_t *err);

/* summary.json: the figures above, the job counts, skipped jobs by reason
 * and the workload's notes.  `name` is the trace's name. */
json_t *flurm_metrics_summary_json (const char *name, const struct flurm_metrics *mt,
                                    const struct flurm_workload *w,
                                    const struct flurm_engine *e);
/* The "interference" block of summary.json. */
json_t *flurm_metrics_interference_json (const struct flurm_engine *e,
                                         const struct flurm_interference_metrics *im);

/* Write a JSON value (indented, keys in insertion order, reals rounded to
 * 1e-6) atomically. */
int flurm_write_json (const char *path, const json_t *o, flurm_error_t *err);

#endif
