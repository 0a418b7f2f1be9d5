/* sim/numparse.c — see numparse.h. */
#include "sim/numparse.h"

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "sim/idset.h"

int flurm_parse_error (flurm_error_t *err, const char *kind, const char *text, size_t pos,
                       const char *fmt, ...)
{
    if (!err)
        return -1;
    char what[256];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (what, sizeof (what), fmt, ap);
    va_end (ap);
    return flurm_error_set (err, "%s %s: %s at position %zu", kind, FLURM_QUOTED (text), what,
                            pos + 1);
}

const char *flurm_parse_show_char (char c, char buf[8])
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f)
        snprintf (buf, 8, "'%c'", c);
    else
        snprintf (buf, 8, "'\\x%02x'", u);
    return buf;
}

int flurm_parse_id (const char *kind, const char *text, size_t *pos, bool padded, uint32_t *id,
                    int *ndigits, flurm_error_t *err)
{
    size_t start = *pos, p = *pos;
    uint64_t v = 0;
    bool big = false;
    while (g_ascii_isdigit (text[p])) {
        if (!big) {
            v = v * 10 + (uint64_t)(text[p] - '0');
            big = v > FLURM_IDSET_MAX_ID; /* stops accumulating: no overflow */
        }
        p++;
    }
    size_t n = p - start;
    if (!padded && n > 1 && text[start] == '0')
        return flurm_parse_error (err, kind, text, start, "id \"%.*s\" has a leading zero",
                                  (int)(n > 24 ? 24 : n), text + start);
    if (big)
        return flurm_parse_error (err, kind, text, start, "id %.*s%s is larger than %u",
                                  (int)(n > 24 ? 24 : n), text + start, n > 24 ? "..." : "",
                                  FLURM_IDSET_MAX_ID);
    *id = (uint32_t)v;
    if (ndigits)
        *ndigits = (int)n;
    *pos = p;
    return 0;
}
