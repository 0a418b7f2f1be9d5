/* sim/jsonutil.c — see jsonutil.h. */
#include "sim/jsonutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

json_t *flurm_json_number (double d)
{
    if (d == floor (d) && fabs (d) < FLURM_JSON_EXACT_INT)
        return json_integer ((json_int_t)d); /* -0.0 becomes 0 too */
    return json_real (d);
}

int flurm_json_real_digits (double d)
{
    if (!isfinite (d))
        return 17;
    char buf[32];
    for (int digits = 1; digits < 17; digits++) {
        snprintf (buf, sizeof (buf), "%.*g", digits, d);
        if (strtod (buf, NULL) == d)
            return digits;
    }
    return 17;
}

/* Jansson dumps every real of a document with one precision: the largest
 * any of them needs. */
static int digits_needed (const json_t *j)
{
    int most = 1;
    if (json_is_real (j))
        return flurm_json_real_digits (json_real_value (j));
    if (json_is_array (j)) {
        size_t i;
        const json_t *v;
        json_array_foreach ((json_t *)j, i, v)
        {
            int d = digits_needed (v);
            most = d > most ? d : most;
        }
    } else if (json_is_object (j)) {
        const char *k;
        const json_t *v;
        json_object_foreach ((json_t *)j, k, v)
        {
            int d = digits_needed (v);
            most = d > most ? d : most;
        }
    }
    return most;
}

size_t flurm_json_real_precision (const json_t *j)
{
    return JSON_REAL_PRECISION (digits_needed (j));
}

json_t *flurm_json_parse (const char *data, size_t len, size_t flags, const char *source,
                          const char *prefix, flurm_error_t *err)
{
    json_error_t jerr;
    json_t *o = json_loadb (data, len, flags, &jerr);
    if (!o)
        flurm_error_at (err, source, jerr.line > 0 ? jerr.line : 1,
                        jerr.column > 0 ? jerr.column : 1, "%s%s%s", prefix ? prefix : "",
                        prefix ? ": " : "", jerr.text);
    return o;
}

int flurm_json_seconds (const json_t *v, double max, const char *path, const char *where,
                        const char *key, double *out, flurm_error_t *err)
{
    if (!json_is_number (v))
        return flurm_error_at (err, path, 0, 0, "%s.%s: must be a number of seconds", where, key);
    double t = json_number_value (v);
    if (!isfinite (t) || t < 0)
        return flurm_error_at (err, path, 0, 0, "%s.%s: %g is not a time (must be >= 0)", where,
                               key, t);
    if (t > max)
        return flurm_error_at (err, path, 0, 0, "%s.%s: %g s is absurd (more than %g)", where, key,
                               t, max);
    *out = t;
    return 0;
}
