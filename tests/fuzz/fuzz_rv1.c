/* tests/fuzz/fuzz_rv1.c — Flux R version 1 (sim/rv1.h): the JSON read
 * the way flurm_rv1_load_file reads it, parsed, written back, and built
 * into a graph.
 *
 * R is the exchange form with Flux, so an R that parses must parse again
 * from Flurm's own output and give the same output.  The graph is built
 * only for R of modest size: the library allows 2^24 vertices by design
 * (a real cluster), which is memory a fuzzer should not spend on every
 * input; size limits are tested by the unit tests.
 */
#include <glib.h>
#include <jansson.h>

#include "sim/graph.h"
#include "sim/jsonutil.h"
#include "sim/rv1.h"
#include "tests/fuzz/harness.h"

#define FUZZ_MAX_VERTICES (1u << 16)

static uint64_t vertices (const struct flurm_rv1 *r)
{
    uint64_t n = 1;
    for (size_t i = 0; i < r->nranks; i++)
        n += 1 + flurm_idset_count (r->ranks[i].cores) + flurm_idset_count (r->ranks[i].gpus);
    return n;
}

static void build_graph (const struct flurm_rv1 *r, uint32_t cores_per_socket)
{
    flurm_error_t err;
    flurm_graph_destroy (flurm_rv1_to_graph (r, cores_per_socket, "fuzz.json", &err));
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    json_t *R = flurm_json_parse ((const char *)data, size, 0, "fuzz.json", "not JSON", &err);
    if (!R)
        return 0;
    struct flurm_rv1 *r = flurm_rv1_parse (R, "fuzz.json", &err);
    json_decref (R);
    if (!r)
        return 0;
    g_free (flurm_rv1_summary (r));
    json_t *out = flurm_rv1_to_json (r);
    struct flurm_rv1 *back = flurm_rv1_parse (out, "written.json", &err);
    if (!back)
        fuzz_fail ("the R written for a parsed R is refused", err.text);
    json_t *again = flurm_rv1_to_json (back);
    if (!json_equal (out, again))
        fuzz_fail ("an R changes when written and parsed again", NULL);
    json_decref (again);
    json_decref (out);
    flurm_rv1_destroy (back);
    if (vertices (r) <= FUZZ_MAX_VERTICES) {
        build_graph (r, 0);
        build_graph (r, 10);
    }
    flurm_rv1_destroy (r);
    return 0;
}
