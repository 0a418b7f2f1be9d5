/* tests/fuzz/fuzz_jgf.c — JSON Graph Format as Fluxion writes it
 * (sim/jgf.h), and the graph it builds.
 *
 * A graph that loads must come back the same through Flurm's own JGF
 * writer (what `flurm-sim graph` and the Flux config writer emit), and
 * may be turned into R (errors allowed: not every graph has ranks).
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "sim/graph.h"
#include "sim/jgf.h"
#include "sim/rv1.h"
#include "tests/fuzz/harness.h"

/* The graph written as JGF text and read back, or abort. */
static struct flurm_graph *write_and_read (const struct flurm_graph *g)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream (&text, &len);
    flurm_error_t err;
    if (!mem)
        fuzz_fail ("open_memstream failed", NULL);
    if (flurm_jgf_write (g, mem, &err) < 0)
        fuzz_fail ("a loaded graph cannot be written", err.text);
    fclose (mem);
    struct flurm_graph *back = flurm_jgf_load_buffer (text, len, "written.json", &err);
    if (!back)
        fuzz_fail ("the JGF written for a loaded graph is refused", err.text);
    free (text);
    return back;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    struct flurm_graph *g = flurm_jgf_load_buffer ((const char *)data, size, "fuzz.json", &err);
    if (!g)
        return 0;
    struct flurm_graph *back = write_and_read (g);
    json_t *a = flurm_jgf_to_json (g);
    json_t *b = flurm_jgf_to_json (back);
    if (!json_equal (a, b))
        fuzz_fail ("a graph changes when written as JGF and read back", NULL);
    json_decref (a);
    json_decref (b);
    struct flurm_rv1 *r = flurm_rv1_from_graph (g, false, &err);
    if (r)
        json_decref (flurm_rv1_to_json (r));
    flurm_rv1_destroy (r);
    flurm_graph_destroy (back);
    flurm_graph_destroy (g);
    return 0;
}
