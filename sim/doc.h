/* sim/doc.h — a YAML or JSON document as a tree that remembers positions.
 *
 * Every hand-written input of Flurm (jobspecs, traces, models) is read into
 * this tree first, so that a semantic error ("count must be >= 1") can name
 * the file, line and column of the offending value, exactly like a syntax
 * error.  JSON is read by the same code (JSON is YAML's flow style); should
 * libyaml refuse a file that is valid JSON, jansson reads it instead and the
 * positions are lost (line 0).  A syntax error is reported by the parser of
 * the language the text is written in: jansson's for text made only of
 * JSON tokens, libyaml's for anything else (YAML flow style with bare keys
 * included).
 *
 * Scalars keep their text and whether they were quoted, so that "1" (a
 * string) and 1 (a number) differ as they do in YAML and JSON.  Anchors and
 * aliases are refused (a bomb of nested aliases would otherwise expand
 * without limit), as are documents nested deeper than FLURM_DOC_MAX_DEPTH.
 */
#ifndef FLURM_SIM_DOC_H
#define FLURM_SIM_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/error.h"

#define FLURM_DOC_MAX_DEPTH 64
#define FLURM_DOC_MAX_BYTES (256u << 20) /* refuse inputs above 256 MiB */

enum flurm_doc_kind {
    FLURM_DOC_SCALAR,
    FLURM_DOC_MAPPING,
    FLURM_DOC_SEQUENCE,
};

struct flurm_doc_node {
    enum flurm_doc_kind kind;
    int line, col;         /* 1-based; 0 when unknown */
    char *text;            /* scalar text (NUL-terminated), else NULL */
    bool quoted;           /* scalar was quoted: always a string */
    size_t n;              /* items in a sequence / pairs in a mapping */
    struct flurm_doc_node **items; /* sequence items, or keys and values
                                      interleaved: k0 v0 k1 v1 ... */
};

struct flurm_doc {
    char *source;          /* file name used in messages */
    struct flurm_doc_node *root;
};

/* "-" reads standard input, named "<stdin>" in messages. */
struct flurm_doc *flurm_doc_load_file (const char *path, flurm_error_t *err);
struct flurm_doc *flurm_doc_load_buffer (const char *data, size_t len,
                                         const char *source,
                                         flurm_error_t *err);
void flurm_doc_destroy (struct flurm_doc *doc);

/* Mapping lookup; NULL if absent or `map` is not a mapping. */
const struct flurm_doc_node *flurm_doc_get (const struct flurm_doc_node *map,
                                            const char *key);
const char *flurm_doc_key (const struct flurm_doc_node *map, size_t i);
const struct flurm_doc_node *flurm_doc_value (const struct flurm_doc_node *map,
                                              size_t i);

/* Typed reads.  Each fails with "SOURCE:LINE:COL: WHAT must be ..." when
 * the node has the wrong kind or the value is out of range. `what` names
 * the field for the message ("count", "duration"). */
int flurm_doc_int64 (const struct flurm_doc *doc,
                     const struct flurm_doc_node *n, const char *what,
                     int64_t min, int64_t max, int64_t *out,
                     flurm_error_t *err);
int flurm_doc_double (const struct flurm_doc *doc,
                      const struct flurm_doc_node *n, const char *what,
                      double *out, flurm_error_t *err);
int flurm_doc_bool (const struct flurm_doc *doc,
                    const struct flurm_doc_node *n, const char *what,
                    bool *out, flurm_error_t *err);
/* Any scalar as a string (numbers too); NULL with err on a collection. */
const char *flurm_doc_string (const struct flurm_doc *doc,
                              const struct flurm_doc_node *n, const char *what,
                              flurm_error_t *err);
int flurm_doc_expect (const struct flurm_doc *doc,
                      const struct flurm_doc_node *n, enum flurm_doc_kind kind,
                      const char *what, flurm_error_t *err);

/* Fail on the first key of `map` not in the NULL-terminated `allowed`
 * list: "SOURCE:LINE:COL: unknown key 'foo' in WHAT (expected one of ...)". */
int flurm_doc_check_keys (const struct flurm_doc *doc,
                          const struct flurm_doc_node *map,
                          const char *const *allowed, const char *what,
                          flurm_error_t *err);

/* Report an error at node n ("SOURCE:LINE:COL: ..."). */
int flurm_doc_error (const struct flurm_doc *doc,
                     const struct flurm_doc_node *n, flurm_error_t *err,
                     const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

/* Convert to JSON with YAML 1.1 core-schema typing of plain scalars
 * (null/~, true/false, integers, floats); quoted scalars are strings.
 *
 * Typing follows PyYAML's safe_load (what Flux itself uses), with two
 * deliberate narrowings:
 *   null     ~ null Null NULL and the empty plain scalar
 *   boolean  true/false, yes/no, on/off in lower, Capitalised or UPPER case
 *   integer  decimal only: [-+]?(0|[1-9][0-9]*); "010", "0x1f", "1_000" and
 *            "1:30" stay strings rather than silently meaning 8, 31, 1000, 90
 *   float    [-+]?(.N|N[.N*])([eE][-+]?N)? with a '.' or an exponent (JSON
 *            numbers included), and [-+]?.inf / .nan in any of YAML's cases
 *   string   anything else
 * NULL when some scalar has no JSON form (an integer beyond int64, .inf or
 * .nan): use flurm_doc_to_json_checked to learn which one. */
json_t *flurm_doc_to_json (const struct flurm_doc_node *n);

/* flurm_doc_to_json that reports the scalar it cannot convert:
 * "SOURCE:LINE:COL: 1e999 has no JSON form". */
json_t *flurm_doc_to_json_checked (const struct flurm_doc *doc,
                                   const struct flurm_doc_node *n,
                                   flurm_error_t *err);

/* A tree from JSON that is already parsed (e.g. a jobspec from Flux), so
 * that one parser serves both YAML files and JSON values.  Positions are
 * unknown (line 0); flurm_doc_error then names the node by its JSON path
 * instead: "SOURCE: resources[0].with[0].count: ...".  Strings become
 * quoted scalars, numbers and literals plain ones, so flurm_doc_to_json
 * gives back an equal value. */
struct flurm_doc *flurm_doc_from_json (const json_t *o, const char *source,
                                       flurm_error_t *err);

#endif
