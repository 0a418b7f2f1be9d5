/* tests/fuzz/fuzz_constraint.c — RFC 31 constraints (JSON) and RFC 35
 * --requires strings (sim/constraint.h).  The same bytes are tried as
 * both: the fuzzer finds its way into either.
 *
 * A constraint that parses is written as JSON (what a jobspec carries to
 * Flux) and read back; the copy must write the same JSON and select the
 * same nodes of a small cluster with names, ranks and properties, so
 * that every kind of term is evaluated.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <jansson.h>

#include "sim/constraint.h"
#include "sim/graph.h"
#include "sim/jsonutil.h"
#include "sim/topo.h"
#include "tests/fuzz/harness.h"

static const struct flurm_graph *cluster (void)
{
    static struct flurm_graph *g;
    if (!g) {
        static const char *const normal[] = {"normal"};
        static const char *const cosched[] = {"cosched", "bigmem"};
        const struct flurm_topo_props props[] = {
            {.hosts = "aris[0-1]", .names = normal, .nnames = 1},
            {.hosts = "aris[2-3]", .names = cosched, .nnames = 2},
        };
        const struct flurm_topo_spec spec = {.hosts = "aris[0-3],login", .sockets = 1,
                                             .cores_per_socket = 1, .props = props,
                                             .nprops = 2};
        flurm_error_t err;
        g = flurm_topo_generate (&spec, &err);
        if (!g)
            fuzz_fail ("the fixed cluster cannot be generated", err.text);
    }
    return g;
}

static void check (struct flurm_constraint *c)
{
    if (!c)
        return;
    const struct flurm_graph *g = cluster ();
    flurm_error_t err;
    json_t *out = flurm_constraint_to_json (c);
    struct flurm_constraint *back = flurm_constraint_from_json (out, "written", &err);
    if (!back)
        fuzz_fail ("the JSON written for a constraint is refused", err.text);
    json_t *again = flurm_constraint_to_json (back);
    if (!json_equal (out, again))
        fuzz_fail ("a constraint changes when written and read back", NULL);
    for (size_t i = 0; i < flurm_graph_nnodes (g); i++) {
        flurm_vid node = flurm_graph_node_at (g, i);
        if (flurm_constraint_match (c, g, node) != flurm_constraint_match (back, g, node))
            fuzz_fail ("a constraint read back selects other nodes", NULL);
    }
    json_decref (again);
    json_decref (out);
    flurm_constraint_destroy (back);
    flurm_constraint_destroy (c);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flurm_error_t err;
    json_t *o = flurm_json_parse ((const char *)data, size, JSON_DECODE_ANY, "fuzz.json", NULL,
                                  &err);
    if (o) {
        check (flurm_constraint_from_json (o, "constraint", &err));
        json_decref (o);
    }
    char *text = fuzz_input_string (data, size);
    check (flurm_constraint_from_requires (text, &err));
    free (text);
    return 0;
}
