/* sim/jsonutil.h — how Flurm reads JSON text and writes numbers in JSON.
 *
 * Reading: every reader that hands text to jansson reports a syntax error
 * the same way, "SOURCE:LINE:COL: [PREFIX: ]what jansson says".
 *
 * Writing: one rule for every JSON output (jobspecs, R, graphs): a number that is a
 * whole value is written as an integer (R's times, a duration of 3600),
 * -0 as 0, and any other real in the fewest digits that read back as the
 * same double ("0.1", not "0.10000000000000001"), so that output is short,
 * exact and byte-identical from run to run.
 */
#ifndef FLURM_SIM_JSONUTIL_H
#define FLURM_SIM_JSONUTIL_H

#include <stddef.h>

#include <jansson.h>

#include "sim/error.h"

/* Parse len bytes of JSON text; NULL with err set on a syntax error.
 * `flags` are jansson's decoding flags; `prefix` (may be NULL) goes before
 * jansson's message, e.g. "not JSON". */
json_t *flurm_json_parse (const char *data, size_t len, size_t flags, const char *source,
                          const char *prefix, flurm_error_t *err);

/* A JSON value that must be a number of seconds in [0, max]: else -1 and
 * err "PATH: WHERE.KEY: what is wrong" (importers name the job in WHERE;
 * jansson keeps no line numbers for values). */
int flurm_json_seconds (const json_t *v, double max, const char *path, const char *where,
                        const char *key, double *out, flurm_error_t *err);

/* 2^53: the doubles beyond it are not all integers a reader keeps exactly */
#define FLURM_JSON_EXACT_INT 9007199254740992.0

/* d as a JSON integer when it is whole and within +-2^53, else a real. */
json_t *flurm_json_number (double d);

/* The fewest significant digits (1 .. 17) with which "%.*g" gives back
 * exactly d. */
int flurm_json_real_digits (double d);

/* The JSON_REAL_PRECISION flag for dumping j: the fewest digits that give
 * back every real in it exactly.  Or it into the flags of json_dump*. */
size_t flurm_json_real_precision (const json_t *j);

#endif
