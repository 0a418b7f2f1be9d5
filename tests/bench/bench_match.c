/* tests/bench/bench_match.c — time the matcher (scripts/bench_match.sh
 * drives it).
 *
 *   bench_match fill   -n NODES -s SOCKETS -c CORES -P POLICY -j JOBSPEC [-r ROUNDS]
 *       allocate JOBSPEC until the graph is full, then free every job;
 *       ROUNDS times.  Prints per-allocate median, p99 and mean (µs).
 *   bench_match steady -n NODES -s SOCKETS -c CORES -P POLICY -j JOBSPEC [-r OPS]
 *       fill, then OPS times free a random job and allocate one (a mostly
 *       busy machine).  Prints the same figures for the allocations.
 *   bench_match graph -n NODES -s SOCKETS -c CORES [-H PREFIX] > GRAPH.json
 *       write the generated graph as JGF (for resource-query).
 *   bench_match replay -L GRAPH -P POLICY [--strict] < SCRIPT
 *       run a resource-query script (match allocate_with_satisfiability
 *       FILE / cancel ID / quit) and print, per allocation, "JOBID RESULT
 *       R-SET" (R as sorted rank:type:id) and its time in µs on stderr,
 *       to compare allocations and times with Fluxion's resource-query.
 *
 * Graphs for fill/steady come from the topology generator (nodes named
 * nodeN); every figure is a wall-clock time of flurm_matcher_allocate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "sim/graphfile.h"
#include "sim/idset.h"
#include "sim/jgf.h"
#include "sim/jobspec.h"
#include "sim/match.h"
#include "sim/rv1.h"
#include "sim/topo.h"

static double now_us (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double (const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report (const char *what, GArray *t, const struct flurm_matcher *m)
{
    if (t->len == 0) {
        printf ("%s: no allocation\n", what);
        return;
    }
    double *v = (double *)t->data;
    qsort (v, t->len, sizeof (double), cmp_double);
    double sum = 0;
    for (guint i = 0; i < t->len; i++)
        sum += v[i];
    struct flurm_match_stats st;
    flurm_matcher_stats (m, &st);
    printf ("%s: allocs %u median %.1f p99 %.1f mean %.1f max %.1f us; visits/alloc %.0f; "
            "fast %llu fallbacks %llu\n",
            what, t->len, v[t->len / 2], v[(size_t)((t->len - 1) * 0.99)], sum / t->len,
            v[t->len - 1], (double)st.visits / (double)(st.allocate_calls ? st.allocate_calls : 1),
            (unsigned long long)st.fast_selections, (unsigned long long)st.exact_fallbacks);
}

static void die (const char *what, const flurm_error_t *err)
{
    fprintf (stderr, "bench_match: %s: %s\n", what, err ? err->text : "");
    exit (1);
}

struct opts {
    const char *mode, *policy, *jobspec, *graph, *prefix;
    unsigned nodes, sockets, cores, rounds;
    bool strict;
};

static void parse (int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.policy = "first", .nodes = 426, .sockets = 2, .cores = 10, .rounds = 1};
    if (argc < 2) {
        fprintf (stderr, "usage: bench_match fill|steady|replay [options] (see the source)\n");
        exit (2);
    }
    o->mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp (a, "--strict")) {
            o->strict = true;
            continue;
        }
        if (!v) {
            fprintf (stderr, "bench_match: %s needs a value\n", a);
            exit (2);
        }
        i++;
        if (!strcmp (a, "-n"))
            o->nodes = (unsigned)atoi (v);
        else if (!strcmp (a, "-s"))
            o->sockets = (unsigned)atoi (v);
        else if (!strcmp (a, "-c"))
            o->cores = (unsigned)atoi (v);
        else if (!strcmp (a, "-r"))
            o->rounds = (unsigned)atoi (v);
        else if (!strcmp (a, "-P"))
            o->policy = v;
        else if (!strcmp (a, "-j"))
            o->jobspec = v;
        else if (!strcmp (a, "-L"))
            o->graph = v;
        else if (!strcmp (a, "-H"))
            o->prefix = v;
        else {
            fprintf (stderr, "bench_match: unknown option %s\n", a);
            exit (2);
        }
    }
}

/* ---- fill / steady ------------------------------------------------------- */

static int timed_alloc (struct flurm_matcher *m, const struct flurm_jobspec *js, uint64_t id,
                        GArray *times)
{
    flurm_error_t err;
    double t0 = now_us ();
    enum flurm_match_result r = flurm_matcher_allocate (m, js, id, 0, NULL, &err);
    double dt = now_us () - t0;
    if (r == FLURM_MATCH_ERROR)
        die ("allocate", &err);
    if (r == FLURM_MATCH_ALLOCATED)
        g_array_append_val (times, dt);
    return r == FLURM_MATCH_ALLOCATED ? 0 : -1;
}

static void run_synthetic (const struct opts *o)
{
    flurm_error_t err;
    struct flurm_topo_spec spec = {.nnodes = o->nodes, .sockets = o->sockets,
                                   .cores_per_socket = o->cores, .prefix = o->prefix};
    struct flurm_graph *g = flurm_topo_generate (&spec, &err);
    if (!g)
        die ("graph", &err);
    if (!strcmp (o->mode, "graph")) {
        if (flurm_jgf_write (g, stdout, &err) < 0)
            die ("writing JGF", &err);
        flurm_graph_destroy (g);
        return;
    }
    struct flurm_matcher *m = flurm_matcher_create (g, o->policy, NULL, &err);
    if (!m)
        die ("matcher", &err);
    struct flurm_jobspec *js = o->jobspec ? flurm_jobspec_load_file (o->jobspec, &err) : NULL;
    if (!js)
        die ("jobspec", &err);
    GArray *times = g_array_new (FALSE, FALSE, sizeof (double));
    GArray *live = g_array_new (FALSE, FALSE, sizeof (uint64_t));
    uint64_t id = 1;
    bool steady = !strcmp (o->mode, "steady");
    unsigned rounds = steady ? 1 : o->rounds;
    for (unsigned round = 0; round < rounds; round++) {
        while (timed_alloc (m, js, id, times) == 0)
            g_array_append_val (live, id), id++;
        id++;
        if (steady)
            break;
        for (guint i = 0; i < live->len; i++)
            flurm_matcher_free (m, g_array_index (live, uint64_t, i), NULL);
        g_array_set_size (live, 0);
    }
    char what[256];
    if (steady) {
        /* a busy machine: free one job at random, place a new one */
        GRand *rnd = g_rand_new_with_seed (1);
        g_array_set_size (times, 0);
        flurm_matcher_reset_stats (m);
        for (unsigned op = 0; op < o->rounds && live->len; op++) {
            guint i = (guint)g_rand_int_range (rnd, 0, (gint32)live->len);
            flurm_matcher_free (m, g_array_index (live, uint64_t, i), NULL);
            g_array_index (live, uint64_t, i) = g_array_index (live, uint64_t, live->len - 1);
            g_array_set_size (live, live->len - 1);
            if (timed_alloc (m, js, id, times) == 0)
                g_array_append_val (live, id);
            id++;
        }
        g_rand_free (rnd);
    }
    size_t nv = flurm_graph_size (g);
    snprintf (what, sizeof (what), "%s %s %ux%ux%u %s", o->mode, o->policy, o->nodes, o->sockets,
              o->cores, o->jobspec);
    report (what, times, m);
    printf ("memory: graph %.1f B/vertex, matcher %.1f B/vertex (%zu vertices)\n",
            (double)flurm_graph_memory (g) / (double)nv,
            (double)flurm_matcher_memory (m) / (double)nv, nv);
    g_array_free (times, TRUE);
    g_array_free (live, TRUE);
    flurm_jobspec_destroy (js);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

/* ---- replay -------------------------------------------------------------- */

static int cmp_str (const void *a, const void *b)
{
    return strcmp (*(char *const *)a, *(char *const *)b);
}

static void print_rset (const struct flurm_matcher *m, const struct flurm_alloc *a)
{
    struct flurm_rv1 *r = flurm_alloc_to_rv1 (m, a, 0, 0, NULL);
    GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
    for (size_t i = 0; r && i < r->nranks; i++) {
        const struct flurm_idset *sets[2] = {r->ranks[i].cores, r->ranks[i].gpus};
        const char *names[2] = {"core", "gpu"};
        for (int t = 0; t < 2; t++)
            for (uint32_t id = flurm_idset_first (sets[t]); id != FLURM_IDSET_NONE;
                 id = flurm_idset_next (sets[t], id))
                g_ptr_array_add (items,
                                 g_strdup_printf ("%u:%s:%u", r->ranks[i].rank, names[t], id));
    }
    qsort (items->pdata, items->len, sizeof (char *), cmp_str);
    for (guint i = 0; i < items->len; i++)
        printf ("%s%s", i ? "," : "", (char *)items->pdata[i]);
    g_ptr_array_free (items, TRUE);
    flurm_rv1_destroy (r);
}

static void run_replay (const struct opts *o)
{
    flurm_error_t err;
    struct flurm_graph *g = flurm_graph_load_file (o->graph, 0, NULL, &err);
    if (!g)
        die ("graph", &err);
    struct flurm_match_options mo = {.fluxion_strict = o->strict};
    struct flurm_matcher *m = flurm_matcher_create (g, o->policy, &mo, &err);
    if (!m)
        die ("matcher", &err);
    GHashTable *specs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify)flurm_jobspec_destroy);
    char line[4096];
    uint64_t jobid = 1;
    while (fgets (line, sizeof (line), stdin)) {
        char a[64] = "", b[64] = "", c[3900] = "";
        int n = sscanf (line, "%63s %63s %3899s", a, b, c);
        if (n >= 1 && !strcmp (a, "quit"))
            break;
        if (n == 2 && !strcmp (a, "cancel")) {
            flurm_matcher_free (m, strtoull (b, NULL, 10), NULL);
            continue;
        }
        if (n != 3 || strcmp (a, "match") != 0)
            continue;
        struct flurm_jobspec *js = g_hash_table_lookup (specs, c);
        if (!js) {
            js = flurm_jobspec_load_file (c, &err);
            if (!js)
                die (c, &err);
            g_hash_table_insert (specs, g_strdup (c), js);
        }
        const struct flurm_alloc *al = NULL;
        unsigned flags = !strcmp (b, "allocate") ? 0 : FLURM_MATCH_CHECK_SATISFIABLE;
        double t0 = now_us ();
        enum flurm_match_result r = flurm_matcher_allocate (m, js, jobid, flags, &al, &err);
        double dt = now_us () - t0;
        printf ("%llu %s ", (unsigned long long)jobid, flurm_match_result_str (r));
        if (al)
            print_rset (m, al);
        printf ("\n");
        fprintf (stderr, "%.3f\n", dt);
        if (r != FLURM_MATCH_ERROR)
            jobid++;
    }
    g_hash_table_destroy (specs);
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
}

int main (int argc, char **argv)
{
    struct opts o;
    parse (argc, argv, &o);
    if (!strcmp (o.mode, "replay")) {
        if (!o.graph) {
            fprintf (stderr, "bench_match: replay needs -L GRAPH\n");
            return 2;
        }
        run_replay (&o);
    }
    else if (!strcmp (o.mode, "fill") || !strcmp (o.mode, "steady") || !strcmp (o.mode, "graph"))
        run_synthetic (&o);
    else {
        fprintf (stderr, "bench_match: unknown mode %s\n", o.mode);
        return 2;
    }
    return 0;
}
