/* sim/error.c — see error.h. */
#include "sim/error.h"

#include <stdio.h>
#include <string.h>

/* dst = a followed by b, truncated to fit; the texts are whole lines, so
 * losing the tail of a very long one is acceptable, overflowing is not. */
static void join (char *dst, size_t size, const char *a, const char *b)
{
    size_t la = strnlen (a, size - 1);
    memmove (dst, a, la);
    size_t lb = strnlen (b, size - 1 - la);
    memmove (dst + la, b, lb);
    dst[la + lb] = '\0';
}

int flurm_error_vset (flurm_error_t *err, const char *fmt, va_list ap)
{
    if (err)
        vsnprintf (err->text, sizeof (err->text), fmt, ap);
    return -1;
}

int flurm_error_set (flurm_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    flurm_error_vset (err, fmt, ap);
    va_end (ap);
    return -1;
}

int flurm_error_at (flurm_error_t *err, const char *source, int line, int col,
                    const char *fmt, ...)
{
    if (!err)
        return -1;
    char where[256];
    if (line > 0 && col > 0)
        snprintf (where, sizeof (where), "%s:%d:%d: ", source, line, col);
    else if (line > 0)
        snprintf (where, sizeof (where), "%s:%d: ", source, line);
    else
        snprintf (where, sizeof (where), "%s: ", source);
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    join (err->text, sizeof (err->text), where, msg);
    return -1;
}

int flurm_error_prefix (flurm_error_t *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[256];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (prefix, sizeof (prefix) - 2, fmt, ap);
    va_end (ap);
    strcat (prefix, ": ");
    char old[FLURM_ERROR_MAX];
    memcpy (old, err->text, sizeof (old));
    old[sizeof (old) - 1] = '\0';
    join (err->text, sizeof (err->text), prefix, old);
    return -1;
}
