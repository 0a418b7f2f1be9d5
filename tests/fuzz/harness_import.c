/* tests/fuzz/harness_import.c — see harness_import.h. */
#include "tests/fuzz/harness_import.h"

#include <string.h>

#include "sim/run_load.h"
#include "tests/fuzz/harness.h"

static void same_jobs (const struct flurm_run *a, const struct flurm_run *b)
{
    if (a->njobs != b->njobs)
        fuzz_fail ("an imported run has another number of jobs once written as jobs.csv",
                   NULL);
    for (size_t i = 0; i < a->njobs; i++)
        if (strcmp (a->jobs[i].id, b->jobs[i].id) != 0)
            fuzz_fail ("an imported job's id changes through jobs.csv", a->jobs[i].id);
}

int fuzz_import (const uint8_t *data, size_t size, const char *name, fuzz_importer_f import)
{
    flurm_error_t err;
    struct flurm_run *run = import (fuzz_input_file (data, size, name), &err);
    if (!run)
        return 0;
    const char *csv = fuzz_scratch_path ("jobs.csv");
    if (flurm_run_write_csv (run, csv, &err) < 0)
        fuzz_fail ("an imported run cannot be written as jobs.csv", err.text);
    struct flurm_run *back = flurm_run_load (csv, "flurm", &err);
    if (!back)
        fuzz_fail ("the jobs.csv written for an imported run is refused", err.text);
    same_jobs (run, back);
    flurm_run_destroy (back);
    flurm_run_destroy (run);
    return 0;
}
