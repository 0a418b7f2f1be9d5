/* tests/unit/testutil.h — what every unit test needs besides cmocka. */
#ifndef FLURM_TESTUTIL_H
#define FLURM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "sim/graph.h"

/* Path of a file under tests/data (the repository's own fixtures).  The
 * returned string is static storage, overwritten by the next call. */
const char *test_data (const char *relpath);

/* Path of a file under the team's shared data folder (../shared/data), or
 * NULL when that folder is not there; a test that needs it calls
 * skip() with a message saying so. */
const char *shared_data (const char *relpath);

/* shared_data(), or when the folder is not there: say what the test needs
 * and mark it skipped (cmocka's skip(); this call does not return). */
const char *shared_data_or_skip (const char *relpath);

/* A graph of tests/data/fluxion-conformance/graphs (e.g. "aris4.json"),
 * loaded or the test failed. */
struct flurm_graph *test_conformance_graph (const char *name);

/* Read a whole file into a NUL-terminated g_malloc'ed buffer. */
char *test_slurp (const char *path, size_t *len);
/* A graph written as JGF text (malloc'ed; free()), to compare two graphs
 * byte for byte; the test fails if it cannot be written. */
char *test_jgf_text (const struct flurm_graph *g);

/* A fresh empty temporary folder; it and everything in it are removed when
 * the test program exits.  The name is static storage, overwritten by the
 * next call. */
const char *test_tmpdir (void);

/* Every R recorded from a real Flux or Fluxion in tests/data: each
 * flux-outputs/NAME.R.json and resource-R.json, then the R of each allocated
 * step of fluxion-conformance/sequences/NAME.json.  `check` sees each with
 * the file it came from; *nflux and *nfluxion receive how many came from
 * each source, so a test can assert it saw them all. */
void test_foreach_recorded_R (void (*check) (json_t *R, const char *where), int *nflux,
                              int *nfluxion);

/* Create an engine on m and w with cfg (invariant checks on), run it to
 * the end (the test fails on any error) and return its jobs.  The caller
 * destroys *e. */
struct flurm_matcher;
struct flurm_workload;
struct flurm_engine;
struct flurm_engine_config;
struct flurm_job;
const struct flurm_job *test_engine_run (struct flurm_matcher *m, const struct flurm_workload *w,
                                         struct flurm_engine_config *cfg,
                                         struct flurm_engine **e, size_t *n);

/* models/npb-aris.yaml of this repository, loaded (the test fails if it
 * does not load).  Free with flurm_app_profiles_destroy(). */
struct flurm_app_profiles;
struct flurm_app_profiles *test_aris_profiles (void);

/* Two imports of one input are the same table: every field of every job
 * (compared through their jobs.csv bytes) and every note. */
struct flurm_run;
void test_assert_same_run (const struct flurm_run *a, const struct flurm_run *b);

#endif
