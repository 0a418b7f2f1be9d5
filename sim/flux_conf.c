/* sim/flux_conf.c — see flux_conf.h for the contract.
 *
 * Order of work, and why:
 *  1. check everything (nodes and ranks, policies, depths, queues,
 *     exclude, the folder's path) before touching the disk, so that a bad
 *     argument leaves nothing behind;
 *  2. R.json and jgf.json through graphfile.h (the one writer of both
 *     formats), then flux.toml: the TOML names the other two, so it must
 *     not exist before they do;
 *  3. on a failure in step 2, a folder this call created is removed again
 *     with what was written in it.
 * The TOML is built in memory, keys in a fixed order, so the same input
 * gives the same bytes.
 *
 * Fluxion reads its per-queue settings from space-separated "NAME:VALUE"
 * words and its params from comma-separated "key=value" lists
 * (qmanager_opts.cpp), which is why queue names are restricted to bare
 * TOML key characters: a name with ' ', ':' or ',' would be split there.
 */
#include "sim/flux_conf.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "policies/match_policy.h"
#include "policies/queue_policy.h"
#include "sim/graphfile.h"
#include "sim/hostlist.h"
#include "sim/names.h"
#include "sim/outfile.h"

/* The named match policies of Fluxion 0.54 (the table of
 * resource/policies/dfu_match_policy_factory.cpp).  Flurm's matcher knows
 * one more, "pack", which a real Fluxion would refuse. */
static const char *const fluxion_match_policies[] = {
    "first",  "firstnodex", "high",    "low",      "hinode",
    "lonode", "hinodex",    "lonodex", "locality", "variation",
};

/* ---- checks ---------------------------------------------------------- */

/* Flux numbers its brokers 0..N-1 and R must name exactly those ranks;
 * the graph keeps nodes in rank order, so node i must have rank i. */
static int check_nodes (const struct flurm_graph *g, flurm_error_t *err)
{
    size_t n = flurm_graph_nnodes (g);
    if (n == 0)
        return flurm_error_set (err, "the cluster has no nodes: a Flux instance needs at least "
                                     "one");
    for (size_t i = 0; i < n; i++) {
        flurm_vid v = flurm_graph_node_at (g, i);
        int32_t rank = flurm_graph_vertex (g, v)->rank;
        if (rank == (int32_t)i)
            continue;
        char buf[FLURM_NAME_MAX];
        const char *name = flurm_graph_name (g, v, buf);
        if (rank < 0)
            return flurm_error_set (err,
                                    "node %s has no broker rank: the %zu nodes of a Flux "
                                    "instance have ranks 0..%zu, one each",
                                    FLURM_QUOTED (name), n, n - 1);
        return flurm_error_set (err,
                                "node %s has rank %d: the %zu nodes of a Flux instance "
                                "have ranks 0..%zu, one each",
                                FLURM_QUOTED (name), (int)rank, n, n - 1);
    }
    return 0;
}

static void append_fluxion_policies (GString *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS (fluxion_match_policies); i++)
        g_string_append_printf (s, "%s%s", i ? ", " : "", fluxion_match_policies[i]);
}

static int check_match_policy (const char *spec, const struct flurm_graph *g, flurm_error_t *err)
{
    if (!spec)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS (fluxion_match_policies); i++)
        if (!strcmp (spec, fluxion_match_policies[i]))
            return 0;
    /* A custom string: Flurm's matcher parses the same grammar, a little
     * more strictly than Fluxion (which crashes or fails at load time on
     * what Flurm refuses here). */
    if (strchr (spec, '=')) {
        struct flurm_match_policy p;
        if (flurm_match_policy_init (&p, spec, g, err) < 0)
            return -1;
        flurm_match_policy_fini (&p);
        return 0;
    }
    size_t n;
    const struct flurm_match_policy_info *flurm = flurm_match_policy_list (&n);
    bool flurm_only = false;
    for (size_t i = 0; i < n; i++)
        flurm_only |= !strcmp (spec, flurm[i].name);
    GString *known = g_string_new (NULL);
    append_fluxion_policies (known);
    if (flurm_only)
        flurm_error_set (err,
                         "match policy '%s' is Flurm's own: Fluxion 0.54 does not have it "
                         "(it has %s)",
                         FLURM_ESCAPED (spec), known->str);
    else
        flurm_error_set (err,
                         "unknown match policy '%s' (Fluxion 0.54 has %s, or a custom "
                         "string such as 'policy=low node_centric=true')",
                         FLURM_ESCAPED (spec), known->str);
    g_string_free (known, TRUE);
    return -1;
}

/* Fluxion's own four: a plugin's queue policy (policies/queue_policy.h
 * lets plugins add names) exists in Flurm only, and Fluxion would quietly
 * fall back to fcfs on it. */
static int check_queue_policy (const char *policy, flurm_error_t *err)
{
    static const char *const fluxion[] = {"fcfs", "easy", "hybrid", "conservative"};
    if (!policy)
        return 0;
    for (size_t i = 0; i < sizeof (fluxion) / sizeof (fluxion[0]); i++) {
        if (!strcmp (policy, fluxion[i]))
            return 0;
    }
    if (flurm_queue_policy_lookup (policy, NULL))
        return flurm_error_set (err, "queue policy '%s' is Flurm's (a plugin's), not "
                                "Fluxion's: Fluxion has fcfs, easy, hybrid and conservative",
                                policy);
    return flurm_queue_policy_lookup (policy, err) ? 0 : -1;
}

static int check_depths (uint32_t queue_depth, uint32_t reservation_depth, flurm_error_t *err)
{
    if (queue_depth > FLURM_QUEUE_DEPTH_MAX)
        return flurm_error_set (err, "queue depth %u is more than Fluxion's limit %u", queue_depth,
                                FLURM_QUEUE_DEPTH_MAX);
    if (reservation_depth > FLURM_RESERVATION_DEPTH_MAX)
        return flurm_error_set (err, "reservation depth %u is more than Fluxion's limit %u",
                                reservation_depth, FLURM_RESERVATION_DEPTH_MAX);
    return 0;
}

static bool queue_name_ok (const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

static bool some_node_has (const struct flurm_graph *g, const char *property)
{
    for (size_t i = 0; i < flurm_graph_nnodes (g); i++)
        if (flurm_graph_property (g, flurm_graph_node_at (g, i), property))
            return true;
    return false;
}

static int check_queue (const struct flurm_flux_conf *c, size_t i, flurm_error_t *err)
{
    const struct flurm_flux_queue *q = &c->queues[i];
    if (!queue_name_ok (q->name))
        return flurm_error_set (err,
                                "queue name '%s': expected letters, digits, '_' and '-' "
                                "only",
                                FLURM_ESCAPED (q->name ? q->name : ""));
    for (size_t k = 0; k < i; k++)
        if (!strcmp (c->queues[k].name, q->name))
            return flurm_error_set (err, "queue '%s' is given twice", q->name);
    if (check_queue_policy (q->policy, err) < 0 ||
        check_depths (q->queue_depth, q->reservation_depth, err) < 0)
        return flurm_error_prefix (err, "queue '%s'", q->name);
    for (size_t k = 0; k < q->nproperties; k++) {
        const char *p = q->properties[k];
        const char *problem = p ? flurm_name_property_problem (p) : "is missing";
        if (problem)
            return flurm_error_set (err, "queue '%s': required property %s %s", q->name,
                                    FLURM_QUOTED (p ? p : ""), problem);
        if (!some_node_has (c->graph, p))
            return flurm_error_set (err,
                                    "queue '%s' requires property %s, which no node "
                                    "has",
                                    q->name, FLURM_QUOTED (p));
    }
    return 0;
}

struct exclude_walk {
    const struct flurm_graph *g;
    bool *excluded;  /* per rank */
    const char *bad; /* a copy of the first unknown host */
    char badbuf[FLURM_HOSTNAME_MAX + 1];
};

static int mark_excluded (const char *host, size_t index, void *arg)
{
    struct exclude_walk *w = arg;
    flurm_vid v = flurm_graph_node_by_name (w->g, host);
    if (v == FLURM_VID_NONE) {
        g_strlcpy (w->badbuf, host, sizeof (w->badbuf));
        w->bad = w->badbuf;
        return -1;
    }
    w->excluded[flurm_graph_vertex (w->g, v)->rank] = true;
    return 0;
}

/* The exclude list as Flux should read it: the hosts in rank order, each
 * once, in canonical hostlist form (g_free'd by the caller).  NULL with
 * err set when the list is not a hostlist, names a host the cluster does
 * not have, or withholds every node.  Needs check_nodes() first. */
static char *resolve_exclude (const struct flurm_graph *g, const char *text, flurm_error_t *err)
{
    struct flurm_hostlist *hl = flurm_hostlist_decode (text, err);
    if (!hl) {
        flurm_error_prefix (err, "exclude");
        return NULL;
    }
    size_t n = flurm_graph_nnodes (g);
    struct exclude_walk w = {.g = g, .excluded = g_new0 (bool, n)};
    char *result = NULL;
    if (flurm_hostlist_count (hl) == 0) {
        flurm_error_set (err, "exclude: the host list is empty");
        goto out;
    }
    if (flurm_hostlist_foreach (hl, mark_excluded, &w) != 0) {
        flurm_error_set (err, "exclude: host %s is not in the cluster", FLURM_QUOTED (w.bad));
        goto out;
    }
    struct flurm_hostlist *kept = flurm_hostlist_create ();
    size_t nexcluded = 0;
    for (size_t r = 0; r < n; r++) {
        if (!w.excluded[r])
            continue;
        char buf[FLURM_NAME_MAX];
        nexcluded++;
        /* A node name R accepted is a valid host: this cannot fail. */
        flurm_hostlist_append_host (kept, flurm_graph_name (g, flurm_graph_node_at (g, r), buf),
                                    NULL);
    }
    if (nexcluded == n)
        flurm_error_set (err, "exclude withholds every node of the cluster: none would be left to "
                              "run jobs");
    else
        result = flurm_hostlist_encode (kept);
    flurm_hostlist_destroy (kept);
out:
    g_free (w.excluded);
    flurm_hostlist_destroy (hl);
    return result;
}

/* ---- the TOML ---------------------------------------------------------- */

/* A TOML basic string: '"', '\' and control characters escaped; the text
 * is UTF-8 already (checked by the caller where it comes from outside). */
static void toml_string (GString *s, const char *text)
{
    g_string_append_c (s, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append (s, "\\\"");
            break;
        case '\\':
            g_string_append (s, "\\\\");
            break;
        case '\b':
            g_string_append (s, "\\b");
            break;
        case '\t':
            g_string_append (s, "\\t");
            break;
        case '\n':
            g_string_append (s, "\\n");
            break;
        case '\f':
            g_string_append (s, "\\f");
            break;
        case '\r':
            g_string_append (s, "\\r");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                g_string_append_printf (s, "\\u%04X", *p);
            else
                g_string_append_c (s, (char)*p);
        }
    }
    g_string_append_c (s, '"');
}

static void toml_key_string (GString *s, const char *key, const char *value)
{
    g_string_append_printf (s, "%s = ", key);
    toml_string (s, value);
    g_string_append_c (s, '\n');
}

/* Fluxion's hybrid policy takes reservation-depth only when it is below
 * max-reservation-depth (default 100000, equal to Flurm's limit), else it
 * keeps 64; raising the cap by one makes the limit itself mean what Flurm
 * simulates.  The cap changes nothing else (conservative is clamped by
 * its queue depth first). */
static uint32_t reservation_cap (uint32_t depth)
{
    return depth >= FLURM_RESERVATION_DEPTH_MAX ? depth + 1 : 0;
}

/* "NAME:VALUE NAME:VALUE" for the queues where value() writes something. */
static void per_queue_line (GString *s, const char *key, const struct flurm_flux_conf *c,
                            bool (*value) (GString *s, const struct flurm_flux_queue *q))
{
    GString *line = g_string_new (NULL);
    for (size_t i = 0; i < c->nqueues; i++) {
        gsize mark = line->len;
        g_string_append_printf (line, "%s%s:", line->len ? " " : "", c->queues[i].name);
        if (!value (line, &c->queues[i]))
            g_string_truncate (line, mark);
    }
    if (line->len)
        toml_key_string (s, key, line->str);
    g_string_free (line, TRUE);
}

static bool queue_policy_value (GString *s, const struct flurm_flux_queue *q)
{
    if (q->policy)
        g_string_append (s, q->policy);
    return q->policy != NULL;
}

static bool queue_params_value (GString *s, const struct flurm_flux_queue *q)
{
    if (q->queue_depth)
        g_string_append_printf (s, "queue-depth=%u", q->queue_depth);
    return q->queue_depth != 0;
}

static bool policy_params_value (GString *s, const struct flurm_flux_queue *q)
{
    if (!q->reservation_depth)
        return false;
    g_string_append_printf (s, "reservation-depth=%u", q->reservation_depth);
    if (reservation_cap (q->reservation_depth))
        g_string_append_printf (s, ",max-reservation-depth=%u",
                                reservation_cap (q->reservation_depth));
    return true;
}

static char *cluster_hosts (const struct flurm_graph *g)
{
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    for (size_t i = 0; i < flurm_graph_nnodes (g); i++) {
        char buf[FLURM_NAME_MAX];
        /* check_nodes() and R's writer accepted every name: no failure. */
        flurm_hostlist_append_host (hl, flurm_graph_name (g, flurm_graph_node_at (g, i), buf),
                                    NULL);
    }
    char *text = flurm_hostlist_encode (hl);
    flurm_hostlist_destroy (hl);
    return text;
}

static GString *build_toml (const struct flurm_flux_conf *c, const char *rpath, const char *jgfpath,
                            const char *exclude)
{
    GString *s = g_string_new (NULL);
    char *hosts = cluster_hosts (c->graph);
    g_string_append_printf (s,
                            "# Flux configuration for the Flurm cluster %s (%zu nodes),\n"
                            "# written by flurm-sim.  Start an instance on it with\n"
                            "#     flux start -c FOLDER-OF-THIS-FILE\n\n",
                            hosts, flurm_graph_nnodes (c->graph));
    g_free (hosts);

    g_string_append (s, "[resource]\n"
                        "# The cluster is a model, not necessarily this hardware.\n"
                        "noverify = true\n");
    toml_key_string (s, "path", rpath);
    g_string_append (s, "# Fluxion's graph, with the sockets R cannot describe.\n");
    toml_key_string (s, "scheduling", jgfpath);
    if (exclude)
        toml_key_string (s, "exclude", exclude);

    g_string_append (s, "\n[sched-fluxion-resource]\n");
    toml_key_string (s, "match-format", "rv1");
    if (c->match_policy)
        toml_key_string (s, "match-policy", c->match_policy);

    g_string_append (s, "\n[sched-fluxion-qmanager]\n");
    toml_key_string (s, "queue-policy", c->queue_policy ? c->queue_policy : "fcfs");
    per_queue_line (s, "queue-policy-per-queue", c, queue_policy_value);
    per_queue_line (s, "queue-params-per-queue", c, queue_params_value);
    per_queue_line (s, "policy-params-per-queue", c, policy_params_value);
    if (c->queue_depth)
        g_string_append_printf (s,
                                "\n[sched-fluxion-qmanager.queue-params]\n"
                                "queue-depth = %u\n",
                                c->queue_depth);
    if (c->reservation_depth) {
        g_string_append_printf (s,
                                "\n[sched-fluxion-qmanager.policy-params]\n"
                                "reservation-depth = %u\n",
                                c->reservation_depth);
        if (reservation_cap (c->reservation_depth))
            g_string_append_printf (s, "max-reservation-depth = %u\n",
                                    reservation_cap (c->reservation_depth));
    }

    for (size_t i = 0; i < c->nqueues; i++) {
        const struct flurm_flux_queue *q = &c->queues[i];
        g_string_append_printf (s, "\n[queues.%s]\n", q->name);
        if (q->nproperties) {
            g_string_append (s, "requires = [");
            for (size_t k = 0; k < q->nproperties; k++) {
                g_string_append (s, k ? ", " : "");
                toml_string (s, q->properties[k]);
            }
            g_string_append (s, "]\n");
        }
    }
    if (c->nqueues) {
        /* With named queues Flux rejects a job that names none, unless a
         * default is configured; a trace's jobs default to its first. */
        g_string_append (s, "\n[policy.jobspec.defaults.system]\n");
        toml_key_string (s, "queue", c->queues[0].name);
    }
    return s;
}

/* ---- writing ----------------------------------------------------------- */

static int check_all (const struct flurm_flux_conf *c, flurm_error_t *err)
{
    if (!c || !c->graph)
        return flurm_error_set (err, "no cluster graph given for the Flux configuration");
    if (c->nqueues && !c->queues)
        return flurm_error_set (err, "%zu queues announced but none given", c->nqueues);
    if (check_nodes (c->graph, err) < 0 ||
        check_match_policy (c->match_policy, c->graph, err) < 0 ||
        check_queue_policy (c->queue_policy, err) < 0 ||
        check_depths (c->queue_depth, c->reservation_depth, err) < 0)
        return -1;
    for (size_t i = 0; i < c->nqueues; i++)
        if (check_queue (c, i, err) < 0)
            return -1;
    return 0;
}

/* Make sure `dir` is a folder; *created tells whether this call made it. */
static int prepare_dir (const char *dir, const char *abs, bool *created, flurm_error_t *err)
{
    struct stat st;
    *created = false;
    if (stat (abs, &st) == 0) {
        if (!S_ISDIR (st.st_mode))
            return flurm_error_set (err, "%s: exists and is not a folder", dir);
        return 0;
    }
    if (errno != ENOENT)
        return flurm_error_set (err, "%s: %s", dir, strerror (errno));
    if (g_mkdir_with_parents (abs, 0755) < 0)
        return flurm_error_set (err, "%s: cannot create the folder: %s", dir, strerror (errno));
    *created = true;
    return 0;
}

int flurm_flux_conf_write (const struct flurm_flux_conf *c, const char *dir, flurm_error_t *err)
{
    if (check_all (c, err) < 0)
        return -1;
    if (!dir || !*dir)
        return flurm_error_set (err, "no folder given for the Flux configuration");
    char *exclude = NULL;
    if (c->exclude && !(exclude = resolve_exclude (c->graph, c->exclude, err)))
        return -1;
    int rc = -1;
    bool created = false;
    char *abs = g_canonicalize_filename (dir, NULL);
    char *rpath = g_build_filename (abs, FLURM_FLUX_CONF_R, NULL);
    char *jgfpath = g_build_filename (abs, FLURM_FLUX_CONF_JGF, NULL);
    char *tomlpath = g_build_filename (abs, FLURM_FLUX_CONF_TOML, NULL);
    GString *toml = NULL;
    if (!g_utf8_validate (abs, -1, NULL)) {
        flurm_error_set (err, "%s: the folder's path is not UTF-8, which a TOML file needs", dir);
        goto out;
    }
    /* flux-core finds the TOML files by globbing "*.toml" appended to the
     * folder's path: a pattern character there makes the glob fail ('\\')
     * or silently find nothing ('['), and the instance starts without
     * this configuration. */
    const char *pattern = strpbrk (abs, "*?[]\\");
    if (pattern) {
        flurm_error_set (err,
                         "%s: flux start -c finds a folder's TOML files with a glob pattern, "
                         "which the '%c' in this path would break: choose another folder",
                         dir, *pattern);
        goto out;
    }
    if (prepare_dir (dir, abs, &created, err) < 0)
        goto out;
    toml = build_toml (c, rpath, jgfpath, exclude);
    if (flurm_graph_write_file (c->graph, rpath, FLURM_GRAPH_FORMAT_RV1, false, err) < 0 ||
        flurm_graph_write_file (c->graph, jgfpath, FLURM_GRAPH_FORMAT_JGF, false, err) < 0 ||
        flurm_write_file (tomlpath, toml->str, toml->len, err) < 0) {
        if (created) {
            unlink (rpath);
            unlink (jgfpath);
            rmdir (abs);
        }
        goto out;
    }
    rc = 0;
out:
    if (toml)
        g_string_free (toml, TRUE);
    g_free (exclude);
    g_free (abs);
    g_free (rpath);
    g_free (jgfpath);
    g_free (tomlpath);
    return rc;
}
