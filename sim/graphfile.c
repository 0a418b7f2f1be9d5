/* sim/graphfile.c — load or write a resource graph as JGF or R: see
 * graphfile.h. */
#include "sim/graphfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/infile.h"
#include "sim/jgf.h"
#include "sim/outfile.h"
#include "sim/jsonutil.h"
#include "sim/rv1.h"

/* The first key of the top-level object, when the text starts with one:
 * enough to tell a JGF ({"graph": ...}) from an R without parsing a file
 * that may be a hundred megabytes. */
static bool first_key_is (const char *data, size_t len, const char *key)
{
    const char *p = data, *end = data + len;
    while (p < end && g_ascii_isspace (*p))
        p++;
    if (p == end || *p++ != '{')
        return false;
    while (p < end && g_ascii_isspace (*p))
        p++;
    size_t n = strlen (key);
    return (size_t)(end - p) > n + 1 && p[0] == '"' && strncmp (p + 1, key, n) == 0 && p[n + 1] == '"';
}

struct flurm_graph *flurm_graph_load_file (const char *path, uint32_t cores_per_socket,
                                           enum flurm_graph_format *format, flurm_error_t *err)
{
    size_t len = 0;
    char *data = flurm_read_file (path, FLURM_JGF_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    struct flurm_graph *g = NULL;
    if (first_key_is (data, len, "graph")) {
        /* The JGF reader streams element by element: a large graph never
         * exists as a jansson tree. */
        if (format)
            *format = FLURM_GRAPH_FORMAT_JGF;
        g = flurm_jgf_load_buffer (data, len, path, err);
        g_free (data);
        return g;
    }
    json_t *root =
        flurm_json_parse (data, len, 0, path, "not JSON (expected a JGF graph or an R)", err);
    g_free (data);
    if (!root)
        return NULL;
    if (json_is_object (root) && json_object_get (root, "graph")) {
        if (format)
            *format = FLURM_GRAPH_FORMAT_JGF;
        g = flurm_jgf_load_json (root, path, err);
    } else if (json_is_object (root) &&
               (json_object_get (root, "version") || json_object_get (root, "execution"))) {
        /* An R, or an attempt at one: its parser says what is missing. */
        if (format)
            *format = FLURM_GRAPH_FORMAT_RV1;
        struct flurm_rv1 *r = flurm_rv1_parse (root, path, err);
        if (r) {
            g = flurm_rv1_to_graph (r, cores_per_socket, path, err);
            flurm_rv1_destroy (r);
        }
    } else {
        flurm_error_at (err, path, 0, 0,
                        "neither a JGF graph (an object with a \"graph\" key) "
                        "nor an R (an object with \"version\" and "
                        "\"execution\")");
    }
    json_decref (root);
    return g;
}

int flurm_graph_write_file (const struct flurm_graph *g, const char *path,
                            enum flurm_graph_format format, bool embed_jgf, flurm_error_t *err)
{
    json_t *R = NULL;
    if (format == FLURM_GRAPH_FORMAT_RV1) {
        /* Convert before opening: a graph that R cannot express must not
         * leave anything behind. */
        struct flurm_rv1 *r = flurm_rv1_from_graph (g, embed_jgf, err);
        if (!r)
            return -1;
        R = flurm_rv1_to_json (r);
        flurm_rv1_destroy (r);
    }
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out) {
        json_decref (R);
        return -1;
    }
    FILE *f = flurm_outfile_stream (out);
    int rc;
    if (format == FLURM_GRAPH_FORMAT_RV1) {
        /* Keys are inserted in a fixed order by flurm_rv1_to_json, and
         * jansson keeps insertion order: the output is deterministic. */
        rc = json_dumpf (R, f,
                         JSON_INDENT (2) | JSON_PRESERVE_ORDER | flurm_json_real_precision (R));
        if (rc == 0 && fputc ('\n', f) == EOF)
            rc = -1;
        if (rc < 0)
            flurm_error_set (err, "%s: cannot write: %s", path, strerror (errno));
        json_decref (R);
    } else {
        rc = flurm_jgf_write (g, f, err);
    }
    if (rc < 0) {
        flurm_outfile_abort (out);
        return -1;
    }
    return flurm_outfile_commit (out, err);
}
