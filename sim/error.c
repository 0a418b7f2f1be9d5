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

/* The last line of defence for "one line per error": input quoted without
 * flurm_error_quote() cannot break the message over several lines. */
static void one_line (char *text)
{
    for (unsigned char *p = (unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
    }
}

int flurm_error_vset (flurm_error_t *err, const char *fmt, va_list ap)
{
    if (err) {
        vsnprintf (err->text, sizeof (err->text), fmt, ap);
        one_line (err->text);
    }
    return -1;
}

/* text escaped into buf[0 .. size), between `open` and `close` (each ""
 * or "\""); a cut is marked with "..." before `close`. */
static const char *escape_into (char *buf, size_t size, const char *text, const char *open,
                                const char *close)
{
    size_t tail = strlen ("...") + strlen (close) + 1; /* kept free for the end */
    size_t n = strlen (open);
    memcpy (buf, open, n);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        char esc[8];
        switch (*p) {
        case '\n': strcpy (esc, "\\n"); break;
        case '\t': strcpy (esc, "\\t"); break;
        case '\r': strcpy (esc, "\\r"); break;
        case '\\': strcpy (esc, "\\\\"); break;
        default:
            if (*p == '"' && close[0])
                strcpy (esc, "\\\"");
            else if (*p < 0x20 || *p == 0x7f)
                snprintf (esc, sizeof (esc), "\\x%02x", *p);
            else {
                esc[0] = (char)*p;
                esc[1] = '\0';
            }
        }
        size_t len = strlen (esc);
        if (n + len + tail > size) {
            snprintf (buf + n, size - n, "...%s", close);
            return buf;
        }
        memcpy (buf + n, esc, len);
        n += len;
    }
    snprintf (buf + n, size - n, "%s", close);
    return buf;
}

const char *flurm_error_quote (char *buf, size_t size, const char *text)
{
    return escape_into (buf, size, text, "\"", "\"");
}

const char *flurm_error_escape (char *buf, size_t size, const char *text)
{
    return escape_into (buf, size, text, "", "");
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
    one_line (err->text);
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
    one_line (err->text);
    return -1;
}
