/* sim/jobspec.h — Flux jobspec version 1 (RFC 14 / RFC 25), as Flurm reads,
 * validates, builds and writes it.
 *
 * Accepted like Fluxion accepts it (flux-formats.md section 1): version 1;
 * a resources tree whose vertices have type node, socket, core, gpu, memory
 * or slot, with count, optional with / label / exclusive / unit / id; the
 * socket level that flux-core's strict V1 grammar forbids is allowed
 * because Fluxion matches it and the ARIS spread shape needs it.
 *
 * Validation (flurm_jobspec_validate, also run by the parsers):
 *  - exactly the keys version, resources, tasks, attributes at top level;
 *  - every path from the top of `resources` to a leaf passes through
 *    exactly one slot (none or two is an error); a slot has a label,
 *    labels are unique; nothing under a slot says exclusive: false;
 *  - counts: integer 1 .. FLURM_JOBSPEC_MAX_COUNT, or {min, max, operator,
 *    operand} with max >= min, operator + * ^, operand rules of RFC 14;
 *  - tasks: non-empty command (list of strings), slot naming a label,
 *    count with exactly one of per_slot / total, value >= 1;
 *  - attributes: only system and user; system.duration a number >= 0
 *    (required); system.queue a string; system.constraints a valid RFC 31
 *    object; other system keys are kept as they are.
 * Messages: "FILE:LINE:COL: what is wrong".
 */
#ifndef FLURM_SIM_JOBSPEC_H
#define FLURM_SIM_JOBSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/constraint.h"
#include "sim/error.h"

#define FLURM_JOBSPEC_MAX_COUNT 2147483647u /* 2^31 - 1 */
#define FLURM_JOBSPEC_MAX_DEPTH 16          /* resource nesting */

struct flurm_count {
    uint32_t min;
    uint32_t max;     /* == min for a fixed count; UINT32_MAX = unbounded */
    char op;          /* '+', '*' or '^' */
    uint32_t operand; /* 1 for '+' by default */
};

struct flurm_jobspec_resource {
    char *type;
    struct flurm_count count;
    char *label;      /* slots only */
    bool exclusive;   /* as written, or implied (true inside a slot) */
    bool exclusive_given; /* the jobspec said exclusive: explicitly */
    char *unit;       /* NULL if absent */
    struct flurm_jobspec_resource *with;
    size_t nwith;
    int line, col;    /* where the vertex was written (0 if built) */
    char *id;         /* RFC 14 `id`, kept for the round trip; NULL if absent */
};

enum flurm_task_count {
    FLURM_TASK_PER_SLOT,
    FLURM_TASK_TOTAL,
};

struct flurm_jobspec_task {
    char **command;   /* NULL-terminated argv */
    char *slot;
    enum flurm_task_count count_kind;
    uint32_t count;
    json_t *attributes; /* per-task attributes or NULL */
    char *distribution; /* or NULL */
};

struct flurm_jobspec {
    int version;
    struct flurm_jobspec_resource *resources;
    size_t nresources;
    struct flurm_jobspec_task *tasks;
    size_t ntasks;
    double duration;  /* seconds, 0 = unlimited */
    char *queue;      /* NULL = default queue */
    struct flurm_constraint *constraints; /* NULL = none */
    json_t *system;   /* all of attributes.system, as given */
    json_t *user;     /* attributes.user or NULL */
};

struct flurm_jobspec *flurm_jobspec_load_file (const char *path,
                                               flurm_error_t *err);
struct flurm_jobspec *flurm_jobspec_load_buffer (const char *data, size_t len,
                                                 const char *source,
                                                 flurm_error_t *err);
/* A jobspec that is already JSON (e.g. from Flux). */
struct flurm_jobspec *flurm_jobspec_from_json (const json_t *o,
                                               const char *source,
                                               flurm_error_t *err);

/* Check a jobspec built in code (allocation shapes) by the same rules. */
int flurm_jobspec_validate (const struct flurm_jobspec *js,
                            flurm_error_t *err);

/* Canonical JSON: keys in the order version, resources, tasks, attributes;
 * inside a resource type, count, [exclusive], [label], [unit], [id],
 * [with]. */
json_t *flurm_jobspec_to_json (const struct flurm_jobspec *js);

void flurm_jobspec_destroy (struct flurm_jobspec *js);

/* Slots the jobspec asks for in total (product of counts down to and
 * including the slot, using each count's minimum). */
uint64_t flurm_jobspec_nslots (const struct flurm_jobspec *js);

#endif
