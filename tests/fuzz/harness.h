/* tests/fuzz/harness.h — what every fuzz target shares: the libFuzzer
 * entry point it defines, and the input in the forms readers take.
 *
 * A target is one file, tests/fuzz/fuzz_<reader>.c, defining
 * LLVMFuzzerTestOneInput: it feeds the bytes to one reader and frees what
 * came back.  An error from the reader is a correct answer; a crash, a
 * leak, undefined behaviour or a broken round trip is a bug.  The same
 * file links either with libFuzzer (-fsanitize=fuzzer, clang only) or
 * with replay_main.c, which feeds it saved inputs so that the normal test
 * suite replays every seed and every crasher ever found.
 *
 * The bytes handed to a target are exactly `size` long and not
 * NUL-terminated (libFuzzer's and replay_main's buffers are allocated at
 * that size), so a reader that runs past its length is caught by
 * AddressSanitizer; readers of C strings get a terminated copy.
 */
#ifndef FLURM_FUZZ_HARNESS_H
#define FLURM_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: returns 0 (the input is always kept). */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* For readers that take a path: the bytes written to `name` (a file name,
 * optionally under folders, "pair_a/a_b_0.out") inside a private temporary
 * folder made at the first call and removed at exit.  Importers take
 * meaning from names, so each target keeps one name.  The path stays
 * valid until exit; an I/O failure aborts (the harness failed, not the
 * reader). */
const char *fuzz_input_file (const uint8_t *data, size_t size, const char *name);

/* A path named `name` in the same private folder, for what a target
 * writes itself (an importer's run written back as jobs.csv); it is
 * removed at exit.  The string stays valid until exit. */
const char *fuzz_scratch_path (const char *name);

/* For readers of C strings: a malloc'ed NUL-terminated copy, free() it.
 * An embedded NUL ends the string early, as it would for any caller. */
char *fuzz_input_string (const uint8_t *data, size_t size);

/* A broken invariant (a writer's output its reader refuses, an encoding
 * that decodes to something else): print `what` and abort, so libFuzzer
 * saves the input as a crash. */
void fuzz_fail (const char *what, const char *detail) __attribute__ ((noreturn));

#endif
