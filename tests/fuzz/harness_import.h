/* tests/fuzz/harness_import.h — what the targets of the real-run importers
 * share (sim/import_*.h: each takes a path and returns a job table).
 *
 * An importer's table is written as jobs.csv by `flurm-sim import` and
 * read back by every command that takes a run (compare, validate, plot),
 * and run.h promises that every reader of simulated runs reads a real
 * one.  So a run that imports must also survive that trip: written with
 * flurm_run_write_csv, opened with flurm_run_load, the same jobs with the
 * same ids in the same order.
 */
#ifndef FLURM_FUZZ_HARNESS_IMPORT_H
#define FLURM_FUZZ_HARNESS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/run.h"

typedef struct flurm_run *(*fuzz_importer_f) (const char *path, flurm_error_t *err);

/* Write the input to `name` (see fuzz_input_file), import it, and check
 * the trip through jobs.csv; returns 0 for LLVMFuzzerTestOneInput. */
int fuzz_import (const uint8_t *data, size_t size, const char *name, fuzz_importer_f import);

#endif
