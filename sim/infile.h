/* sim/infile.h — read a whole input file, with a size limit.
 *
 * Every reader of Flurm takes its input through here so that all of them
 * refuse oversized inputs the same way (before reading them, when the size
 * is known) and word their errors the same way:
 *     "PATH: cannot open: No such file or directory"
 *     "PATH: input is larger than 256 MiB"
 * "-" reads standard input, named "<stdin>" in messages.
 */
#ifndef FLURM_SIM_INFILE_H
#define FLURM_SIM_INFILE_H

#include <stddef.h>

#include "sim/error.h"

/* Returns a g_malloc'ed buffer of *len bytes plus a terminating NUL (so text
 * parsers may rely on it), or NULL with err set. */
char *flurm_read_file (const char *path, size_t max_bytes, size_t *len, flurm_error_t *err);

#endif
