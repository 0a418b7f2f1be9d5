/* sim/numparse.h — what the idset and hostlist decoders share: reading a
 * decimal id, and reporting an error at a position of the decoded text.
 *
 * Both decoders quote their input the same way and refuse the same ids,
 * so the rules live here once.  Internal to the library (the CLI has no
 * use for it).
 */
#ifndef FLURM_SIM_NUMPARSE_H
#define FLURM_SIM_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

/* "KIND \"TEXT\": WHAT at position N" with N = pos + 1 and TEXT quoted by
 * flurm_error_quote (escaped, cut when long).  Returns -1. */
int flurm_parse_error (flurm_error_t *err, const char *kind, const char *text, size_t pos,
                       const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));

/* 'c' for a printable character, '\x0a' for any other; buf >= 8 bytes. */
const char *flurm_parse_show_char (char c, char buf[8]);

/* Read the decimal id at text[*pos], which is a digit, and advance *pos
 * past it.  Values above FLURM_IDSET_MAX_ID are refused without overflow;
 * leading zeros are refused unless `padded` (hostlists: they set the
 * width, returned in *ndigits when not NULL).  Errors go through
 * flurm_parse_error with `kind`. */
int flurm_parse_id (const char *kind, const char *text, size_t *pos, bool padded, uint32_t *id,
                    int *ndigits, flurm_error_t *err);

#endif
