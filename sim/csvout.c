/* sim/csvout.c — CSV fields written one way.
 *
 * Simulated times are nearly always whole seconds, and printf's float
 * formatting was a third of a small-job replay: whole values in
 * [0, 2^53) are written by hand with the bytes "%.3f" gives. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/csvout.h"

void flurm_csv_text (FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk (s, ",\"\n\r")) {
        fputs (s, f);
        return;
    }
    fputc ('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc ('"', f);
        fputc (*p, f);
    }
    fputc ('"', f);
}

void flurm_csv_number (FILE *f, double x)
{
    if (isnan (x))
        return;
    if (x >= 0 && x < 9007199254740992.0 && x == floor (x) && !signbit (x)) {
        char buf[32];
        char *p = buf + sizeof (buf) - 5;
        memcpy (p, ".000", 5);
        uint64_t v = (uint64_t)x;
        do {
            *--p = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        fputs (p, f);
        return;
    }
    fprintf (f, "%.3f", x);
}
