/* tests/unit/test_plugin.c — loading plugins (sim/plugin.h) and the
 * run-time side of the three policy registries.
 *
 * The example plugin (policies/examples/queue_sjf.c, built by CMake) is
 * found through FLURM_PLUGIN_SJF.  Loads and registrations are for the
 * life of the program, so the tests share them: each registers names of
 * its own, and every test that needs the example loads it (loading a file
 * twice is a no-op by contract).  The plugins built from source, one per
 * bad-plugin class, are tested in tests/cli/test_plugin.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "policies/match_policy.h"
#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "sim/plugin.h"
#include "testutil.h"

static const char *sjf_path (void)
{
    const char *path = getenv ("FLURM_PLUGIN_SJF");
    if (!path)
        fail_msg ("FLURM_PLUGIN_SJF must point at the example plugin queue_sjf.so");
    return path;
}

static const struct flurm_queue_policy *load_sjf (void)
{
    flurm_error_t err;
    if (flurm_plugin_load (sjf_path (), &err) < 0)
        fail_msg ("%s", err.text);
    const struct flurm_queue_policy *p = flurm_queue_policy_lookup ("sjf", &err);
    assert_non_null (p);
    return p;
}

static unsigned nqueue_policies (void)
{
    unsigned n;
    flurm_queue_policies (&n);
    return n;
}

static size_t nplugins (void)
{
    size_t n;
    flurm_plugin_paths (&n);
    return n;
}

/* The example registers "sjf" behind the built-ins: one reservation,
 * backfilling, shortest walltime first, ties left to arrival order. */
static void test_example_registers_sjf (void **state)
{
    const struct flurm_queue_policy *p = load_sjf ();
    assert_string_equal (p->name, "sjf");
    assert_false (p->blocking);
    assert_int_equal (p->reservation_depth (32, 0), 1);
    assert_non_null (p->order);
    struct flurm_queue_job shorter = {.id = 2, .submit = 10, .walltime = 60, .ncores = 8};
    struct flurm_queue_job longer = {.id = 1, .submit = 0, .walltime = 3600, .ncores = 1};
    struct flurm_queue_job same = {.id = 3, .submit = 20, .walltime = 60, .ncores = 1};
    assert_true (p->order (&shorter, &longer) < 0);
    assert_true (p->order (&longer, &shorter) > 0);
    assert_int_equal (p->order (&shorter, &same), 0);

    unsigned n;
    const struct flurm_queue_policy *const *list = flurm_queue_policies (&n);
    assert_int_equal (n, 5);
    assert_ptr_equal (list[4], p);
    size_t np;
    const char *const *paths = flurm_plugin_paths (&np);
    assert_int_equal (np, 1);
    assert_string_equal (paths[0], sjf_path ());
    /* an unknown name now lists it with the built-ins */
    flurm_error_t err;
    assert_null (flurm_queue_policy_lookup ("ljf", &err));
    assert_string_equal (err.text, "unknown queue policy 'ljf' (expected fcfs, easy, hybrid, "
                                   "conservative or sjf)");
}

static void test_loading_again_does_nothing (void **state)
{
    load_sjf ();
    unsigned n = nqueue_policies ();
    flurm_error_t err;
    assert_int_equal (flurm_plugin_load (sjf_path (), &err), 0);
    assert_int_equal (nqueue_policies (), n);
    assert_int_equal (nplugins (), 1);
}

/* A failed load says why in one line naming the file, and changes
 * nothing. */
static void expect_load_error (const char *path, const char *want)
{
    unsigned n = nqueue_policies ();
    size_t np = nplugins ();
    flurm_error_t err;
    assert_int_equal (flurm_plugin_load (path, &err), -1);
    if (!strstr (err.text, want) || strncmp (err.text, path, strlen (path)) != 0)
        fail_msg ("got '%s', expected '%s: ...%s...'", err.text, path, want);
    assert_null (strchr (err.text, '\n'));
    assert_int_equal (nqueue_policies (), n);
    assert_int_equal (nplugins (), np);
}

static void test_missing_file (void **state)
{
    char *path = g_build_filename (test_tmpdir (), "none.so", NULL);
    expect_load_error (path, ": cannot open: No such file or directory");
    g_free (path);
}

static void test_folder (void **state)
{
    expect_load_error (test_tmpdir (), ": is a folder, not a file");
}

static void test_not_a_shared_object (void **state)
{
    expect_load_error (test_data ("PROVENANCE.md"), ": not a shared object (no ELF header");
}

/* ELF, but not loadable: the flurm-sim program itself. */
static void test_not_loadable (void **state)
{
    const char *sim = getenv ("FLURM_SIM");
    if (!sim)
        fail_msg ("FLURM_SIM must point at flurm-sim");
    expect_load_error (sim, ": cannot load: ");
}

/* The same plugin under another file name is another plugin: its "sjf"
 * clashes with the one loaded, which the message names. */
static void test_clash_with_another_plugin (void **state)
{
    load_sjf ();
    char *copy = g_build_filename (test_tmpdir (), "copy.so", NULL);
    char *bytes;
    size_t len;
    assert_true (g_file_get_contents (sjf_path (), &bytes, &len, NULL));
    assert_true (g_file_set_contents (copy, bytes, (gssize)len, NULL));
    char *want = g_strdup_printf (": queue policy 'sjf' is defined by plugin %s already",
                                  sjf_path ());
    expect_load_error (copy, want);
    g_free (want);
    g_free (bytes);
    g_free (copy);
}

static uint32_t no_reservation (uint32_t queue_depth, uint32_t param)
{
    return 0;
}

/* The registries themselves refuse a taken name, saying whose it is. */
static void test_registries_refuse_taken_names (void **state)
{
    load_sjf ();
    flurm_error_t err;
    static const struct flurm_queue_policy easy = {.name = "easy",
                                                   .reservation_depth = no_reservation};
    static const struct flurm_queue_policy sjf = {.name = "sjf",
                                                  .reservation_depth = no_reservation};
    assert_int_equal (flurm_queue_policy_register (&easy, &err), -1);
    assert_string_equal (err.text, "queue policy 'easy' exists already (built-in)");
    assert_int_equal (flurm_queue_policy_register (&sjf, &err), -1);
    assert_string_equal (err.text, "queue policy 'sjf' exists already (registered before)");
    static const struct flurm_pairing_rule fifo = {.name = "fifo"};
    assert_int_equal (flurm_pairing_register (&fifo, &err), -1);
    assert_string_equal (err.text, "pairing rule 'fifo' exists already (built-in)");
    static const struct flurm_match_policy_info low = {"low", "again", flurm_policy_lonode_init};
    assert_int_equal (flurm_match_policy_register (&low, &err), -1);
    assert_string_equal (err.text, "match policy 'low' exists already (built-in)");
}

/* Names that would read as a Fluxion custom policy string are refused. */
static void test_match_policy_names_that_read_as_custom_strings (void **state)
{
    flurm_error_t err;
    static const struct flurm_match_policy_info custom = {"custom", "",
                                                          flurm_policy_lonode_init};
    static const struct flurm_match_policy_info keyval = {"policy=low", "",
                                                          flurm_policy_lonode_init};
    assert_int_equal (flurm_match_policy_register (&custom, &err), -1);
    assert_non_null (strstr (err.text, "would read as a custom policy string"));
    assert_int_equal (flurm_match_policy_register (&keyval, &err), -1);
    assert_non_null (strstr (err.text, "'policy=low' would read as a custom policy string"));
}

/* A registered match policy is found by name by the matcher. */
static void test_registered_match_policy_is_used (void **state)
{
    static const struct flurm_match_policy_info info = {"test-lonode", "lonode again",
                                                        flurm_policy_lonode_init};
    flurm_error_t err;
    assert_int_equal (flurm_match_policy_register (&info, &err), 0);
    size_t n;
    const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
    assert_string_equal (list[n - 1].name, "test-lonode");

    struct flurm_graph *g = test_conformance_graph ("aris4.json");
    struct flurm_match_policy mine, lonode;
    assert_int_equal (flurm_match_policy_init (&mine, "test-lonode", g, &err), 0);
    assert_int_equal (flurm_match_policy_init (&lonode, "lonode", g, &err), 0);
    assert_string_equal (mine.name, "test-lonode");
    assert_int_equal (mine.flags, lonode.flags);
    assert_ptr_equal (mine.score, lonode.score);
    assert_ptr_equal (mine.factor, lonode.factor);
    flurm_match_policy_fini (&mine);
    flurm_match_policy_fini (&lonode);
    flurm_graph_destroy (g);
}

/* A pairing rule is checked for the queue policy it forces. */
static void test_registered_pairing_rule (void **state)
{
    static const struct flurm_pairing_rule typo = {.name = "test-typo", .queue_policy = "esay"};
    static const struct flurm_pairing_rule rule = {.name = "test-rule", .queue_policy = "easy"};
    flurm_error_t err;
    assert_int_equal (flurm_pairing_register (&typo, &err), -1);
    assert_non_null (strstr (err.text, "pairing rule 'test-typo': unknown queue policy 'esay'"));
    assert_null (flurm_pairing_lookup ("test-typo", NULL));
    assert_int_equal (flurm_pairing_register (&rule, &err), 0);
    assert_ptr_equal (flurm_pairing_lookup ("test-rule", &err), &rule);
    assert_null (flurm_pairing_lookup ("bogus", &err));
    assert_non_null (strstr (err.text, "easy-cosched or test-rule)"));
}

/* The table is fixed-size: past FLURM_QUEUE_POLICIES_MAX, a clear no. */
static void test_queue_registry_full (void **state)
{
    static char names[FLURM_QUEUE_POLICIES_MAX][16];
    static struct flurm_queue_policy extra[FLURM_QUEUE_POLICIES_MAX];
    flurm_error_t err;
    unsigned i = 0;
    while (nqueue_policies () < FLURM_QUEUE_POLICIES_MAX) {
        snprintf (names[i], sizeof (names[i]), "filler%u", i);
        extra[i] = (struct flurm_queue_policy){.name = names[i],
                                               .reservation_depth = no_reservation};
        assert_int_equal (flurm_queue_policy_register (&extra[i], &err), 0);
        i++;
    }
    static const struct flurm_queue_policy one_more = {.name = "one-more",
                                                       .reservation_depth = no_reservation};
    assert_int_equal (flurm_queue_policy_register (&one_more, &err), -1);
    assert_non_null (strstr (err.text, "queue policy 'one-more': no room, 64 policies"));
    assert_non_null (flurm_queue_policy_lookup ("fcfs", &err));
}

int main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_example_registers_sjf),
        cmocka_unit_test (test_loading_again_does_nothing),
        cmocka_unit_test (test_missing_file),
        cmocka_unit_test (test_folder),
        cmocka_unit_test (test_not_a_shared_object),
        cmocka_unit_test (test_not_loadable),
        cmocka_unit_test (test_clash_with_another_plugin),
        cmocka_unit_test (test_registries_refuse_taken_names),
        cmocka_unit_test (test_match_policy_names_that_read_as_custom_strings),
        cmocka_unit_test (test_registered_match_policy_is_used),
        cmocka_unit_test (test_registered_pairing_rule),
        /* last: it fills the queue registry */
        cmocka_unit_test (test_queue_registry_full),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
