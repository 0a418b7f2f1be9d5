/* sim/constraint.h — RFC 31 job constraints and RFC 35 --requires strings.
 *
 * A constraint selects the nodes a job may use:
 *   {"properties": ["cosched"]}              node has property cosched
 *   {"properties": ["^normal"]}              node lacks property normal
 *   {"hostlist": ["aris[0-3]"]}              node's name is in the list
 *   {"ranks": ["0-3"]}                       node's rank is in the idset
 *   {"and": [C...]}, {"or": [C...]}, {"not": [C]}
 * {} and {"and": []} / {"or": []} match every node, {"not": []} none (as
 * RFC 31 says).  Like Fluxion, constraints are evaluated on node vertices
 * only.
 *
 * --requires strings (RFC 35) are also accepted: terms "op:operand"
 * (properties by default; host/hosts/hostlist; rank/ranks) joined by
 * space, "&" or "and" (AND) and "|" or "or" (OR), negated by a leading "-"
 * or "not", grouped with parentheses; "a,b" is properties [a, b].
 * Example: "cosched & -hosts:aris0".
 */
#ifndef FLURM_SIM_CONSTRAINT_H
#define FLURM_SIM_CONSTRAINT_H

#include <stdbool.h>

#include <jansson.h>

#include "sim/doc.h"
#include "sim/error.h"
#include "sim/graph.h"

struct flurm_constraint;

/* From a jobspec document node (errors carry the node's position). */
struct flurm_constraint *flurm_constraint_from_doc (
    const struct flurm_doc *doc, const struct flurm_doc_node *n,
    flurm_error_t *err);
/* From JSON, e.g. a jobspec read from Flux; `where` prefixes messages. */
struct flurm_constraint *flurm_constraint_from_json (const json_t *o,
                                                     const char *where,
                                                     flurm_error_t *err);
/* From an RFC 35 --requires string. */
struct flurm_constraint *flurm_constraint_from_requires (const char *expr,
                                                         flurm_error_t *err);

void flurm_constraint_destroy (struct flurm_constraint *c);
json_t *flurm_constraint_to_json (const struct flurm_constraint *c);

/* Does node vertex `node` of graph g satisfy c?  NULL c matches all. */
bool flurm_constraint_match (const struct flurm_constraint *c,
                             const struct flurm_graph *g, flurm_vid node);

#endif
