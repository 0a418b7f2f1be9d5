/* tests/fuzz/fuzz_jobscsv.c — a jobs.csv read back (sim/jobscsv.h): a
 * run folder's table, or any tool's with the Batsim/evalys columns, as
 * compare, validate and the plots read it.
 */
#include "sim/jobscsv.h"
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    flurm_csv_jobs_destroy (flurm_csv_jobs_load (fuzz_input_file (data, size, "jobs.csv"), &err));
    return 0;
}
