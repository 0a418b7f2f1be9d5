/* tests/unit/testutil.h — what every unit test needs besides cmocka. */
#ifndef FLURM_TESTUTIL_H
#define FLURM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Path of a file under tests/data (the repository's own fixtures).  The
 * returned string is static storage, overwritten by the next call. */
const char *test_data (const char *relpath);

/* Path of a file under the team's shared data folder (../shared/data), or
 * NULL when that folder is not there; a test that needs it calls
 * skip() with a message saying so. */
const char *shared_data (const char *relpath);

/* Read a whole file into a NUL-terminated g_malloc'ed buffer. */
char *test_slurp (const char *path, size_t *len);

/* A fresh empty temporary folder; it and everything in it are removed when
 * the test program exits.  The name is static storage, overwritten by the
 * next call. */
const char *test_tmpdir (void);

#endif
