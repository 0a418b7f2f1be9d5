/* sim/infile.c — see infile.h. */
#include "sim/infile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

static int too_large (const char *path, size_t max_bytes, flurm_error_t *err)
{
    if (max_bytes >= (1u << 20))
        return flurm_error_set (err, "%s: input is larger than %zu MiB", path, max_bytes >> 20);
    return flurm_error_set (err, "%s: input is larger than %zu bytes", path, max_bytes);
}

char *flurm_read_file (const char *path, size_t max_bytes, size_t *len, flurm_error_t *err)
{
    bool is_stdin = strcmp (path, "-") == 0;
    if (is_stdin)
        path = "<stdin>"; /* how messages name it */
    FILE *f = is_stdin ? stdin : fopen (path, "rb");
    if (!f) {
        flurm_error_set (err, "%s: cannot open: %s", path, strerror (errno));
        return NULL;
    }
    /* A regular file is checked by size before a byte is read, and then
     * read with one allocation; pipes grow a buffer and stop just past the
     * limit, so an endless stream cannot exhaust memory. */
    struct stat st;
    size_t cap = 1 << 16;
    if (fstat (fileno (f), &st) == 0) {
        if (S_ISDIR (st.st_mode)) {
            if (!is_stdin)
                fclose (f);
            flurm_error_set (err, "%s: is a folder, not a file", path);
            return NULL;
        }
        if (S_ISREG (st.st_mode)) {
            if ((uint64_t)st.st_size > max_bytes) {
                if (!is_stdin)
                    fclose (f);
                too_large (path, max_bytes, err);
                return NULL;
            }
            cap = (size_t)st.st_size + 1;
        }
    }
    char *buf = g_malloc (cap);
    size_t n = 0;
    bool big = false;
    for (;;) {
        if (n + 1 >= cap) {
            /* Full: look for more with a small read before growing, so
             * that a file of the size fstat gave is read into exactly one
             * allocation of that size. */
            char probe[4096];
            size_t got = fread (probe, 1, sizeof (probe), f);
            if (got == 0)
                break;
            if (n + got > max_bytes) {
                big = true;
                break;
            }
            cap = cap * 2 < max_bytes + 1 ? cap * 2 : max_bytes + 1; /* >= n + got + 1 */
            buf = g_realloc (buf, cap);
            memcpy (buf + n, probe, got);
            n += got;
            continue;
        }
        size_t got = fread (buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int read_errno = ferror (f) ? errno : 0;
    if (!is_stdin)
        fclose (f);
    if (read_errno || big) {
        g_free (buf);
        if (read_errno)
            flurm_error_set (err, "%s: cannot read: %s", path, strerror (read_errno));
        else
            too_large (path, max_bytes, err);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}
