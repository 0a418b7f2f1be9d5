/* tests/unit/test_conformance.c — replay the sequences Fluxion's own
 * resource-query recorded (tests/data/fluxion-conformance, and Flurm's own
 * recordings in tests/data/conformance-flurm) and check every step.
 *
 * The files are read as they are: each sequence names a graph, a policy
 * and steps; an allocate step gives the outcome (allocated, busy,
 * unsatisfiable, error), the job id resource-query printed and the R it
 * granted, compared as a set of (rank, type, id).
 *
 * Two runs per sequence:
 *  - strict (--fluxion-strict): every step must match exactly;
 *  - default: Flurm places the requests Fluxion refuses because they skip
 *    a graph level (issue 498).  Such a step must be one Fluxion answered
 *    with error or busy, and Flurm must allocate it (flagged
 *    skipped_level); the allocation is then freed so that the rest of the
 *    sequence runs on Fluxion's state and must match exactly.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/idset.h"
#include "sim/jgf.h"
#include "sim/jobspec.h"
#include "sim/match.h"
#include "sim/rv1.h"
#include "testutil.h"

struct sequence {
    char *dir;  /* the data folder of the sequence */
    char *file; /* sequences/NAME.json */
};

static int cmp_str_ptr (const void *a, const void *b)
{
    return strcmp (*(char *const *)a, *(char *const *)b);
}

/* R as one string: the sorted (rank, type, id) triples. */
static char *rset_sorted (const struct flurm_rv1 *r)
{
    GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
    for (size_t i = 0; i < r->nranks; i++) {
        const struct flurm_rv1_rank *rk = &r->ranks[i];
        const struct flurm_idset *sets[2] = {rk->cores, rk->gpus};
        const char *names[2] = {"core", "gpu"};
        for (int t = 0; t < 2; t++)
            for (uint32_t id = flurm_idset_first (sets[t]); id != FLURM_IDSET_NONE;
                 id = flurm_idset_next (sets[t], id))
                g_ptr_array_add (items, g_strdup_printf ("%010u %s %010u", rk->rank, names[t], id));
    }
    qsort (items->pdata, items->len, sizeof (char *), cmp_str_ptr);
    GString *s = g_string_new ("");
    for (size_t i = 0; i < items->len; i++) {
        g_string_append (s, items->pdata[i]);
        g_string_append_c (s, ';');
    }
    g_ptr_array_free (items, TRUE);
    return g_string_free (s, FALSE);
}

static char *rset_of_json (const json_t *R)
{
    flurm_error_t err;
    struct flurm_rv1 *r = flurm_rv1_parse (R, "expected R", &err);
    if (!r)
        fail_msg ("expected R does not parse: %s", err.text);
    char *s = rset_sorted (r);
    flurm_rv1_destroy (r);
    return s;
}

static char *rset_of_alloc (const struct flurm_matcher *m, const struct flurm_alloc *a)
{
    flurm_error_t err;
    struct flurm_rv1 *r = flurm_alloc_to_rv1 (m, a, 0, 0, &err);
    if (!r)
        fail_msg ("allocation has no R: %s", err.text);
    char *s = rset_sorted (r);
    flurm_rv1_destroy (r);
    return s;
}

struct replay {
    int steps, passed, differences_498;
};

/* Replay one sequence; returns the number of failed steps (with a message
 * printed for each). */
static int replay (const struct sequence *seq, bool strict, struct replay *out)
{
    char path[4096];
    snprintf (path, sizeof (path), "%s/%s", seq->dir, seq->file);
    json_error_t jerr;
    json_t *doc = json_load_file (path, 0, &jerr);
    if (!doc)
        fail_msg ("%s:%d: %s", path, jerr.line, jerr.text);
    const char *name = json_string_value (json_object_get (doc, "name"));
    const char *graph = json_string_value (json_object_get (doc, "graph"));
    const char *policy = json_string_value (json_object_get (doc, "policy"));
    json_t *steps = json_object_get (doc, "steps");
    assert_non_null (graph);
    assert_non_null (policy);
    assert_true (json_is_array (steps));

    flurm_error_t err;
    snprintf (path, sizeof (path), "%s/graphs/%s", seq->dir, graph);
    struct flurm_graph *g = flurm_jgf_load_file (path, &err);
    if (!g)
        fail_msg ("%s", err.text);
    struct flurm_match_options opts = {.fluxion_strict = strict};
    struct flurm_matcher *m = flurm_matcher_create (g, policy, &opts, &err);
    if (!m)
        fail_msg ("%s: %s", name, err.text);

    int failed = 0;
    uint64_t next_id = 1;
    size_t i;
    json_t *st;
    memset (out, 0, sizeof (*out));
    json_array_foreach (steps, i, st) {
        const char *op = json_string_value (json_object_get (st, "op"));
        json_int_t want_id = json_integer_value (json_object_get (st, "jobid"));
        out->steps++;
        if (!strcmp (op, "cancel")) {
            bool want_ok = json_object_get (st, "error") == NULL;
            bool ok = flurm_matcher_free (m, (uint64_t)want_id, &err) == 0;
            if (ok == want_ok)
                out->passed++;
            else {
                print_error ("%s step %zu: cancel %lld: %s\n", name, i + 1, (long long)want_id,
                             ok ? "succeeded" : err.text);
                failed++;
            }
            continue;
        }
        const char *file = json_string_value (json_object_get (st, "jobspec"));
        const char *want = json_string_value (json_object_get (st, "result"));
        snprintf (path, sizeof (path), "%s/jobspecs/%s", seq->dir, file);
        struct flurm_jobspec *js = flurm_jobspec_load_file (path, &err);
        if (!js)
            fail_msg ("%s", err.text);
        const struct flurm_alloc *a = NULL;
        enum flurm_match_result r = flurm_matcher_allocate (m, js, next_id,
                                                            FLURM_MATCH_CHECK_SATISFIABLE, &a,
                                                            &err);
        flurm_jobspec_destroy (js);
        if (!strict && r == FLURM_MATCH_ALLOCATED && a->skipped_level) {
            /* the issue-498 difference: Fluxion refused, Flurm places it */
            bool refused = !strcmp (want, "error") || !strcmp (want, "busy");
            uint64_t id = next_id;
            assert_int_equal (flurm_matcher_free (m, id, &err), 0);
            if (!refused) {
                print_error ("%s step %zu: Flurm skipped a level where Fluxion gave %s\n", name,
                             i + 1, want);
                failed++;
                continue;
            }
            if (strcmp (want, "error") != 0)
                next_id++;
            out->passed++;
            out->differences_498++;
            continue;
        }
        char *got_set = r == FLURM_MATCH_ALLOCATED ? rset_of_alloc (m, a) : NULL;
        json_t *R = json_object_get (st, "R");
        char *want_set = R && !json_is_null (R) ? rset_of_json (R) : NULL;
        bool same = !strcmp (flurm_match_result_str (r), want) && (json_int_t)next_id == want_id
                    && ((!got_set && !want_set)
                        || (got_set && want_set && !strcmp (got_set, want_set)));
        if (same)
            out->passed++;
        else {
            bool is_error = r == FLURM_MATCH_ERROR;
            print_error ("%s step %zu (%s): got %s job %llu {%s}, Fluxion gave %s job %lld "
                         "{%s}%s%s\n",
                         name, i + 1, file, flurm_match_result_str (r),
                         (unsigned long long)next_id, got_set ? got_set : "", want,
                         (long long)want_id, want_set ? want_set : "", is_error ? ": " : "",
                         is_error ? err.text : "");
            failed++;
        }
        if (r != FLURM_MATCH_ERROR)
            next_id++;
        g_free (got_set);
        g_free (want_set);
    }
    flurm_matcher_destroy (m);
    flurm_graph_destroy (g);
    json_decref (doc);
    return failed;
}

static void test_sequence_strict (void **state)
{
    const struct sequence *seq = *state;
    struct replay r;
    int failed = replay (seq, true, &r);
    print_message ("%-44s strict:  %d/%d steps\n", seq->file, r.passed, r.steps);
    assert_int_equal (failed, 0);
}

static void test_sequence_default (void **state)
{
    const struct sequence *seq = *state;
    struct replay r;
    int failed = replay (seq, false, &r);
    print_message ("%-44s default: %d/%d steps (%d placed where Fluxion refused, issue 498)\n",
                   seq->file, r.passed, r.steps, r.differences_498);
    assert_int_equal (failed, 0);
}

static int cmp_seq (const void *a, const void *b)
{
    const struct sequence *x = a, *y = b;
    int c = strcmp (x->dir, y->dir);
    return c ? c : strcmp (x->file, y->file);
}

/* The sequences of one data folder, appended to `seqs`. */
static void list_sequences (const char *folder, GArray *seqs)
{
    char dir[4096];
    snprintf (dir, sizeof (dir), "%s", test_data (folder));
    char sub[4200];
    snprintf (sub, sizeof (sub), "%s/sequences", dir);
    DIR *d = opendir (sub);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir (d))) {
        size_t len = strlen (e->d_name);
        if (len < 6 || strcmp (e->d_name + len - 5, ".json") != 0)
            continue;
        struct sequence s = {g_strdup (dir), g_strdup_printf ("sequences/%s", e->d_name)};
        g_array_append_val (seqs, s);
    }
    closedir (d);
}

int main (void)
{
    GArray *seqs = g_array_new (FALSE, FALSE, sizeof (struct sequence));
    list_sequences ("fluxion-conformance", seqs);
    size_t fluxion = seqs->len;
    list_sequences ("conformance-flurm", seqs);
    if (fluxion == 0) {
        fprintf (stderr, "no sequences under %s\n", test_data ("fluxion-conformance"));
        return 1;
    }
    qsort (seqs->data, seqs->len, sizeof (struct sequence), cmp_seq);
    struct CMUnitTest *tests = g_new0 (struct CMUnitTest, 2 * seqs->len);
    for (size_t i = 0; i < seqs->len; i++) {
        struct sequence *s = &g_array_index (seqs, struct sequence, i);
        tests[2 * i] = (struct CMUnitTest){.name = g_strdup_printf ("strict %s", s->file),
                                           .test_func = test_sequence_strict,
                                           .initial_state = s};
        tests[2 * i + 1] = (struct CMUnitTest){.name = g_strdup_printf ("default %s", s->file),
                                               .test_func = test_sequence_default,
                                               .initial_state = s};
    }
    int rc = _cmocka_run_group_tests ("conformance", tests, 2 * seqs->len, NULL, NULL);
    for (size_t i = 0; i < 2 * seqs->len; i++)
        g_free ((char *)tests[i].name);
    for (size_t i = 0; i < seqs->len; i++) {
        struct sequence *s = &g_array_index (seqs, struct sequence, i);
        g_free (s->dir);
        g_free (s->file);
    }
    g_free (tests);
    g_array_free (seqs, TRUE);
    return rc;
}
