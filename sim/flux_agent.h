/* sim/flux_agent.h — one long-lived `flux python` process that submits
 * jobs and reads their records, for replays faster than a process per
 * request allows.
 *
 * Each `flux job submit`, `flux job eventlog` or `flux job info` costs a
 * process start, about 50 ms of CPU: a few dozen jobs a second on a small
 * machine, a fraction of what Flux ingests (results/bench/live.txt).  The
 * agent is a short program run by Flux's own interpreter and bindings
 * (present wherever the flux command's Python tools are).  It reads
 * requests, one per line, and answers each as Flux replies, without
 * waiting between them:
 *
 *   S TAG JOBSPEC   submit JOBSPEC waitable  -> {"tag":T,"id":"ƒ..."} or
 *                                                {"tag":T,"error":"..."}
 *   F TAG ID        the job's whole eventlog (followed until the job is
 *                   inactive) and its R      -> {"tag":T,"eventlog":"...",
 *                                                "R":"..." or null}
 *
 * Ids print as `flux job wait` prints them (the same encoding, in the same
 * environment), so either can name a job.
 *
 * If the process cannot start or dies, every request it had not answered
 * is handed back through `lost`, so the caller can do it another way, and
 * the agent is finished (flurm_flux_agent_alive false).
 */
#ifndef FLURM_SIM_FLUX_AGENT_H
#define FLURM_SIM_FLUX_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/flux_cli.h"

enum flurm_flux_request { FLURM_FLUX_SUBMIT, FLURM_FLUX_FETCH };

struct flurm_flux_agent_answer {
    enum flurm_flux_request kind;
    uint64_t tag;
    const char *id;        /* submit: the job's id, NULL on failure */
    const char *error;     /* submit: Flux's refusal; fetch: why it failed */
    const char *eventlog;  /* fetch: JSON lines, NULL on failure */
    const char *R;         /* fetch: R's JSON, NULL when the job has none */
};

typedef void (*flurm_flux_answer_fn) (void *arg, const struct flurm_flux_agent_answer *a);
/* A request the process took but never answered: `text` is the jobspec
 * (submit) or the job id (fetch). */
typedef void (*flurm_flux_lost_fn) (void *arg, enum flurm_flux_request kind, uint64_t tag,
                                    const char *text);

struct flurm_flux_agent;

/* NULL (with err) when the process cannot be started at all. */
struct flurm_flux_agent *flurm_flux_agent_start (struct flurm_flux *f,
                                                 flurm_flux_answer_fn answer,
                                                 flurm_flux_lost_fn lost, void *arg,
                                                 flurm_error_t *err);
/* Ask; `text` is a one-line jobspec (submit) or a job id (fetch).  -1 when
 * the agent is finished: do it another way. */
int flurm_flux_agent_ask (struct flurm_flux_agent *a, enum flurm_flux_request kind,
                          uint64_t tag, const char *text);
bool flurm_flux_agent_alive (const struct flurm_flux_agent *a);
/* It said it is ready (Python started, Flux connected). */
bool flurm_flux_agent_ready (const struct flurm_flux_agent *a);
/* Requests asked and not answered yet. */
size_t flurm_flux_agent_pending (const struct flurm_flux_agent *a);
/* Stop the process; unanswered requests are neither answered nor lost. */
void flurm_flux_agent_destroy (struct flurm_flux_agent *a);

#endif
