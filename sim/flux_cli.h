/* sim/flux_cli.h — running `flux` commands without blocking: the one way
 * Flurm talks to a live Flux instance.
 *
 * Flurm drives Flux through its command line rather than libflux-core
 * (docs/live.md says why: no build-time dependency, one binary for every
 * Flux version on the machine, and tests that can stand a fake `flux` in
 * its place).  The price is a process per request, so requests are queued
 * and at most `max_running` run at once, overlapping each other's start-up
 * and Flux's answers; their results come back through callbacks dispatched
 * by glib's default main context, which the caller iterates.
 *
 * Every command runs with the caller's environment, so FLUX_URI (set
 * inside an instance) chooses the instance.
 */
#ifndef FLURM_SIM_FLUX_CLI_H
#define FLURM_SIM_FLUX_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

#define FLURM_FLUX_MAX_RUNNING_DEFAULT 8

struct flurm_flux;

/* `program` is the flux command (NULL: "flux" from PATH); max_running 0
 * means the default. */
struct flurm_flux *flurm_flux_create (const char *program, unsigned max_running);
void flurm_flux_destroy (struct flurm_flux *f);

/* Run `flux ARGS...` (NULL-terminated) to its end, with `input` (or
 * nothing) on its standard input.  On success *out is its standard output
 * (caller g_free's).  -1 when it cannot be started or exits non-zero; the
 * error is "flux ARG0: " and the first line of its standard error. */
int flurm_flux_run (struct flurm_flux *f, const char *const *args, const char *input,
                    char **out, flurm_error_t *err);

/* A queued command's end: `status` is its exit status (-1: it could not
 * be started, `errtext` says why); `out` and `errtext` are its whole
 * standard output and error, valid during the call only. */
typedef void (*flurm_flux_done_fn) (void *arg, int status, const char *out,
                                    const char *errtext);

/* Queue `flux ARGS...` with `input` on its standard input; `done` is
 * called from the main context when it has ended.  Never fails here:
 * a command that cannot be started reports status -1 to `done`. */
void flurm_flux_queue (struct flurm_flux *f, const char *const *args, const char *input,
                       flurm_flux_done_fn done, void *arg);

/* Commands queued or running. */
size_t flurm_flux_busy (const struct flurm_flux *f);

/* A long-running command whose output is read line by line (`flux job
 * wait --all -v`).  `line` gets each line without its newline; `end` gets
 * the exit status once the output has been read to its end. */
typedef void (*flurm_flux_line_fn) (void *arg, const char *line);
typedef void (*flurm_flux_end_fn) (void *arg, int status, const char *errtext);

struct flurm_flux_stream;
/* With `input`, its standard input is a pipe fed by
 * flurm_flux_stream_write; otherwise it reads nothing. */
struct flurm_flux_stream *flurm_flux_stream_start (struct flurm_flux *f,
                                                   const char *const *args, bool input,
                                                   flurm_flux_line_fn line,
                                                   flurm_flux_end_fn end, void *arg,
                                                   flurm_error_t *err);
/* Write text to its standard input (blocking while the pipe is full).
 * -1 when it has no input or it is gone. */
int flurm_flux_stream_write (struct flurm_flux_stream *s, const char *text,
                             flurm_error_t *err);
/* Stop it: killed if still running, and gone when this returns (or, when
 * called from its own `line` callback, once that returns); `end` is not
 * called afterwards. */
void flurm_flux_stream_stop (struct flurm_flux_stream *s);

#endif
