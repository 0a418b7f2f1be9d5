/* sim/outfile.c — see outfile.h for the contract.
 *
 * Three kinds of destination:
 *  - "-": standard output, written directly;
 *  - an existing file that is not a regular file (a fifo, /dev/null, a
 *    terminal): written directly too, since replacing it with a regular
 *    file would destroy what the user pointed us at, and "atomic" means
 *    nothing for a stream;
 *  - a regular file, existing or not: a temporary in the same folder as
 *    the real file (symbolic links resolved first, so the link survives
 *    and its target is replaced), renamed over it at commit.
 * Invariant: tmppath != NULL exactly in the third case, and then `dir` is
 * the folder that holds both the temporary and the destination.
 */
#include "sim/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

struct flurm_outfile {
    FILE *stream;
    char *path;    /* destination as given (for messages) */
    char *target;  /* what rename replaces: path with symbolic links resolved */
    char *dir;     /* folder of target */
    char *tmppath; /* NULL when writing directly */
};

static void outfile_free (struct flurm_outfile *out)
{
    g_free (out->path);
    g_free (out->target);
    g_free (out->dir);
    g_free (out->tmppath);
    g_free (out);
}

static struct flurm_outfile *open_error (struct flurm_outfile *out, flurm_error_t *err,
                                         const char *what, int errnum)
{
    flurm_error_set (err, "%s: %s%s%s", out->path, what, errnum ? ": " : "",
                     errnum ? strerror (errnum) : "");
    outfile_free (out);
    return NULL;
}

/* The file rename will replace: `path` itself, or the file its symbolic
 * links lead to.  A path that does not exist yet keeps its name, in its
 * folder with links resolved. */
static char *resolve_target (const char *path)
{
    char *real = realpath (path, NULL);
    if (real) {
        char *copy = g_strdup (real);
        free (real);
        return copy;
    }
    char *dir = g_path_get_dirname (path);
    char *base = g_path_get_basename (path);
    char *rdir = realpath (dir, NULL);
    char *target = rdir ? g_build_filename (rdir, base, NULL) : g_strdup (path);
    free (rdir);
    g_free (dir);
    g_free (base);
    return target;
}

/* A fresh ".NAME.XXXXXX" next to the target, created with mode 0666 so the
 * umask applies the way it does to any file the user creates. */
static int create_temporary (struct flurm_outfile *out)
{
    char *base = g_path_get_basename (out->target);
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        g_free (out->tmppath);
        out->tmppath = g_strdup_printf ("%s/.%s.%06x", out->dir, base,
                                        (unsigned)g_random_int_range (0, 0x1000000));
        fd = open (out->tmppath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    g_free (base);
    if (fd < 0) {
        int saved = errno;
        g_free (out->tmppath);
        out->tmppath = NULL;
        errno = saved;
    }
    return fd;
}

struct flurm_outfile *flurm_outfile_open (const char *path, flurm_error_t *err)
{
    struct flurm_outfile *out = g_new0 (struct flurm_outfile, 1);
    out->path = g_strdup (path);
    if (strcmp (path, "-") == 0) {
        out->stream = stdout;
        return out;
    }
    size_t len = strlen (path);
    if (len == 0)
        return open_error (out, err, "an empty output file name", 0);
    if (path[len - 1] == '/')
        return open_error (out, err, "names a folder, not a file", 0);
    struct stat st;
    bool exists = stat (path, &st) == 0;
    if (exists && S_ISDIR (st.st_mode))
        return open_error (out, err, "is a folder, not a file", 0);
    if (exists && !S_ISREG (st.st_mode)) {
        int fd = open (path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return open_error (out, err, "cannot open", errno);
        if (!(out->stream = fdopen (fd, "w"))) {
            int saved = errno;
            close (fd);
            return open_error (out, err, "cannot open", saved);
        }
        return out;
    }
    /* The temporary must live in the target's folder: rename(2) is only
     * atomic within one file system. */
    out->target = resolve_target (path);
    out->dir = g_path_get_dirname (out->target);
    int fd = create_temporary (out);
    if (fd < 0)
        return open_error (out, err, "cannot create", errno);
    /* Replacing a file keeps its permissions (an executable script stays
     * executable, a private file private). */
    if (exists && fchmod (fd, st.st_mode & 07777) < 0) {
        int saved = errno;
        close (fd);
        unlink (out->tmppath);
        return open_error (out, err, "cannot keep the permissions", saved);
    }
    out->stream = fdopen (fd, "w");
    if (!out->stream) {
        int saved = errno;
        close (fd);
        unlink (out->tmppath);
        return open_error (out, err, "cannot open", saved);
    }
    return out;
}

FILE *flurm_outfile_stream (struct flurm_outfile *out)
{
    return out->stream;
}

void flurm_outfile_abort (struct flurm_outfile *out)
{
    if (!out)
        return;
    if (out->stream && out->stream != stdout)
        fclose (out->stream);
    if (out->tmppath)
        unlink (out->tmppath);
    outfile_free (out);
}

/* The rename is durable only once the folder's entry is on disk. */
static int sync_folder (const char *dir)
{
    int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync (fd);
    int saved = errno;
    close (fd);
    errno = saved;
    return rc;
}

int flurm_outfile_commit (struct flurm_outfile *out, flurm_error_t *err)
{
    if (out->stream == stdout) {
        int rc = fflush (out->stream) == 0 && !ferror (out->stream) ? 0 : -1;
        if (rc < 0)
            flurm_error_set (err, "standard output: %s", strerror (errno));
        outfile_free (out);
        return rc;
    }
    /* ferror() catches a write that failed earlier (e.g. ENOSPC inside
     * fprintf), which fclose alone would not report.  A fifo or device
     * cannot be fsync'ed, and needs not be. */
    int failed = ferror (out->stream) || fflush (out->stream) != 0 ||
                 (out->tmppath && fsync (fileno (out->stream)) != 0);
    int saved = errno;
    if (fclose (out->stream) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    out->stream = NULL;
    if (!failed && out->tmppath && rename (out->tmppath, out->target) != 0) {
        failed = 1;
        saved = errno;
    }
    if (!failed && out->tmppath) {
        g_free (out->tmppath); /* renamed: nothing left to remove */
        out->tmppath = NULL;
        /* only a real I/O error counts: some file systems cannot sync a
         * folder at all (EINVAL), which loses nothing */
        if (sync_folder (out->dir) != 0 && errno == EIO) {
            failed = 1;
            saved = errno;
        }
    }
    if (failed) {
        flurm_error_set (err, "%s: cannot write: %s", out->path, strerror (saved ? saved : EIO));
        if (out->tmppath)
            unlink (out->tmppath);
        outfile_free (out);
        return -1;
    }
    outfile_free (out);
    return 0;
}

int flurm_write_file (const char *path, const char *data, size_t len, flurm_error_t *err)
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
