/* sim/outfile.h — output files that appear whole or not at all.
 *
 * Every file Flurm writes goes through here.  Data is written to a hidden
 * temporary file in the destination's folder ("DIR/.NAME.XXXXXX"), flushed
 * and fsync'ed, then rename(2)d over the destination: rename within one file
 * system is atomic, so a reader (or a crash, a full disk, a Ctrl-C) sees
 * either the complete previous file or the complete new one, never a half.
 *
 * The path "-" means standard output; it is written directly, and so is an
 * existing destination that is not a regular file (a fifo, /dev/null, a
 * terminal): it is never replaced by a regular file.  A symbolic link is
 * kept: the file it leads to is the one replaced (a dangling link is
 * replaced itself).  A replaced file keeps its permissions; a new one gets
 * 0666 minus the umask, like any file the user creates.  After the rename
 * the folder is fsync'ed too, so the new name survives a crash.  A path
 * ending in '/' or naming a folder is an error.
 *
 *     struct flurm_outfile *out = flurm_outfile_open (path, err);
 *     fprintf (flurm_outfile_stream (out), ...);
 *     if (flurm_outfile_commit (out, err) < 0)   // also frees `out`
 *         ...;
 *
 * A failure anywhere before commit is cleaned up by flurm_outfile_abort(),
 * which removes the temporary file.
 */
#ifndef FLURM_SIM_OUTFILE_H
#define FLURM_SIM_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "sim/error.h"

struct flurm_outfile;

struct flurm_outfile *flurm_outfile_open (const char *path, flurm_error_t *err);
FILE *flurm_outfile_stream (struct flurm_outfile *out);

/* Flush, sync and rename into place.  Frees `out` whether or not it
 * succeeds; on failure the temporary file is removed and the destination is
 * untouched. */
int flurm_outfile_commit (struct flurm_outfile *out, flurm_error_t *err);

/* Give up: remove the temporary file and free `out`.  NULL is allowed. */
void flurm_outfile_abort (struct flurm_outfile *out);

/* Convenience: write `len` bytes as the whole content of `path`. */
int flurm_write_file (const char *path, const char *data, size_t len,
                      flurm_error_t *err);

#endif
