/* sim/outfile.c — see outfile.h for the contract. */
#include "sim/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

struct flurm_outfile {
    FILE *stream;
    char *path;     /* destination */
    char *tmppath;  /* NULL when writing to stdout */
};

struct flurm_outfile *flurm_outfile_open (const char *path, flurm_error_t *err)
{
    struct flurm_outfile *out = g_new0 (struct flurm_outfile, 1);
    out->path = g_strdup (path);
    if (strcmp (path, "-") == 0) {
        out->stream = stdout;
        return out;
    }
    /* The temporary file must live in the destination's folder: rename(2)
     * is only atomic within one file system. */
    char *dir = g_path_get_dirname (path);
    char *base = g_path_get_basename (path);
    out->tmppath = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
    g_free (dir);
    g_free (base);
    int fd = mkstemp (out->tmppath);
    if (fd < 0) {
        flurm_error_set (err, "%s: cannot create: %s", path, strerror (errno));
        g_free (out->tmppath);
        out->tmppath = NULL;
        g_free (out->path);
        g_free (out);
        return NULL;
    }
    /* mkstemp makes 0600; an output file should have the usual umask'ed
     * permissions like any file the user creates. */
    mode_t mask = umask (0);
    umask (mask);
    if (fchmod (fd, 0666 & ~mask) < 0) { /* harmless if it fails */
    }
    out->stream = fdopen (fd, "w");
    if (!out->stream) {
        flurm_error_set (err, "%s: %s", path, strerror (errno));
        close (fd);
        flurm_outfile_abort (out);
        return NULL;
    }
    return out;
}

FILE *flurm_outfile_stream (struct flurm_outfile *out)
{
    return out->stream;
}

static void outfile_free (struct flurm_outfile *out)
{
    g_free (out->path);
    g_free (out->tmppath);
    g_free (out);
}

void flurm_outfile_abort (struct flurm_outfile *out)
{
    if (!out)
        return;
    if (out->tmppath) {
        if (out->stream)
            fclose (out->stream);
        unlink (out->tmppath);
    }
    outfile_free (out);
}

int flurm_outfile_commit (struct flurm_outfile *out, flurm_error_t *err)
{
    if (!out->tmppath) { /* stdout */
        int rc = fflush (out->stream) == 0 && !ferror (out->stream) ? 0 : -1;
        if (rc < 0)
            flurm_error_set (err, "standard output: %s", strerror (errno));
        outfile_free (out);
        return rc;
    }
    /* ferror() catches a write that failed earlier (e.g. ENOSPC inside
     * fprintf), which fclose alone would not report. */
    int failed = ferror (out->stream) || fflush (out->stream) != 0
                 || fsync (fileno (out->stream)) != 0;
    int saved = errno;
    if (fclose (out->stream) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    out->stream = NULL;
    if (!failed && rename (out->tmppath, out->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        flurm_error_set (err, "%s: cannot write: %s", out->path,
                         strerror (saved ? saved : EIO));
        unlink (out->tmppath);
        outfile_free (out);
        return -1;
    }
    outfile_free (out);
    return 0;
}

int flurm_write_file (const char *path, const char *data, size_t len,
                      flurm_error_t *err)
{
    struct flurm_outfile *out = flurm_outfile_open (path, err);
    if (!out)
        return -1;
    if (len > 0 && fwrite (data, 1, len, out->stream) != len) {
        flurm_error_set (err, "%s: cannot write: %s", path, strerror (errno));
        flurm_outfile_abort (out);
        return -1;
    }
    return flurm_outfile_commit (out, err);
}
