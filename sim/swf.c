/* sim/swf.c — SWF reader; see swf.h for the format and the error rules.
 *
 * The whole (decompressed) file is read into memory and parsed in place:
 * a 450,000-job log is ~40 MB, parsed in one pass without a per-line
 * allocation.  The buffer need not end in a NUL, so every number is
 * copied into a small bounded buffer before strtod/strtoll see it.  Jobs
 * go into one growing array.
 */
#include "sim/swf.h"
#include "sim/infile.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#define SWF_FIELDS 18

static const char *const field_names[SWF_FIELDS] = {
    "job number",      "submit time",        "wait time",         "run time",
    "allocated processors", "average CPU time", "used memory",   "requested processors",
    "requested time",  "requested memory",   "status",            "user id",
    "group id",        "executable number",  "queue number",      "partition number",
    "preceding job number", "think time",
};

/* Fields that hold counts (must be integral) and fields where any integer
 * is allowed (codes and ids that real logs use freely). */
static bool field_is_count (int i)
{
    return i == 0 || i == 4 || i == 7 || (i >= 10 && i <= 16);
}

static bool field_any_sign (int i)
{
    return i == 10; /* status: Sandia-Ross logs -2 and -4 */
}

/* Inflate a gzip buffer: one member or several concatenated (as gzip
 * itself writes "cat a.gz b.gz" and reads it back whole); anything after
 * the last member that is not another member is an error.  Refuses to
 * grow beyond FLURM_SWF_MAX_BYTES so a corrupt or hostile stream cannot
 * exhaust memory. */
static char *gunzip (const char *data, size_t len, size_t *outlen, const char *source,
                     flurm_error_t *err)
{
    GConverter *conv = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
    GByteArray *out = g_byte_array_new ();
    guint8 buf[1 << 16];
    const char *in = data;
    size_t left = len;
    GError *gerr = NULL;
    for (;;) {
        gsize nread = 0, nwritten = 0;
        GConverterResult r = g_converter_convert (conv, in, left, buf, sizeof (buf),
                                                  G_CONVERTER_INPUT_AT_END, &nread, &nwritten,
                                                  &gerr);
        if (r == G_CONVERTER_ERROR) {
            flurm_error_set (err, "%s: cannot decompress: %s", source, gerr->message);
            g_error_free (gerr);
            g_byte_array_free (out, TRUE);
            g_object_unref (conv);
            return NULL;
        }
        in += nread;
        left -= nread;
        g_byte_array_append (out, buf, nwritten);
        if (out->len > FLURM_SWF_MAX_BYTES) {
            flurm_error_set (err, "%s: decompresses to more than %llu bytes", source,
                             (unsigned long long)FLURM_SWF_MAX_BYTES);
            g_byte_array_free (out, TRUE);
            g_object_unref (conv);
            return NULL;
        }
        if (r == G_CONVERTER_FINISHED) {
            if (left == 0)
                break;
            if (left < 2 || (unsigned char)in[0] != 0x1f || (unsigned char)in[1] != 0x8b) {
                flurm_error_set (err,
                                 "%s: %zu bytes of trailing garbage after the gzip data "
                                 "(at byte %zu)",
                                 source, left, len - left);
                g_byte_array_free (out, TRUE);
                g_object_unref (conv);
                return NULL;
            }
            g_converter_reset (conv); /* the next member */
        }
    }
    g_object_unref (conv);
    *outlen = out->len;
    g_byte_array_append (out, (const guint8 *)"", 1); /* NUL for the parser */
    return (char *)g_byte_array_free (out, FALSE);
}

/* "; MaxNodes: 338 (batch ...)" -> 338 for the keys we use.  The value is
 * decimal digits (no sign, no 0x: SWF headers are written for people);
 * a value without leading digits is ignored like any other comment, one
 * too large for what it counts is an error. */
static int parse_header (const char *line, const char *end, int lineno, const char *source,
                         struct flurm_swf *swf, flurm_error_t *err)
{
    static const struct {
        const char *key;
        size_t offset;
        int64_t max;
    } keys[] = {
        {"MaxNodes", offsetof (struct flurm_swf, max_nodes), INT32_MAX},
        {"MaxProcs", offsetof (struct flurm_swf, max_procs), INT32_MAX},
        {"UnixStartTime", offsetof (struct flurm_swf, unix_start_time), INT64_MAX},
    };
    const char *p = line + 1; /* past ';' */
    while (p < end && isspace ((unsigned char)*p))
        p++;
    for (size_t k = 0; k < G_N_ELEMENTS (keys); k++) {
        size_t n = strlen (keys[k].key);
        if ((size_t)(end - p) <= n || strncmp (p, keys[k].key, n) != 0 || p[n] != ':')
            continue;
        const char *v = p + n + 1;
        while (v < end && isspace ((unsigned char)*v))
            v++;
        if (v >= end || !isdigit ((unsigned char)*v))
            return 0;
        int64_t value = 0;
        const char *d = v;
        for (; d < end && isdigit ((unsigned char)*d); d++) {
            int digit = *d - '0';
            if (value > (keys[k].max - digit) / 10) {
                while (d < end && isdigit ((unsigned char)*d))
                    d++;
                return flurm_error_at (err, source, lineno, 0,
                                       "%s value %.*s%s is too large (at most %" PRId64 ")",
                                       keys[k].key, (int)(d - v > 24 ? 24 : d - v), v,
                                       d - v > 24 ? "..." : "", keys[k].max);
            }
            value = value * 10 + digit;
        }
        /* "338 (batch ...)" has text after a blank; "0x10" or "12k" is not
         * a decimal number */
        if (d < end && !isspace ((unsigned char)*d)) {
            const char *w = d;
            while (w < end && !isspace ((unsigned char)*w))
                w++;
            return flurm_error_at (err, source, lineno, 0,
                                   "%s value '%.*s%s' is not a decimal number", keys[k].key,
                                   (int)(w - v > 24 ? 24 : w - v), v, w - v > 24 ? "..." : "");
        }
        *(int64_t *)((char *)swf + keys[k].offset) = value;
    }
    return 0;
}

/* A job field: decimal, optionally signed, with a fraction or exponent
 * (no hex, inf or nan, which strtod would take). */
static bool decimal_token (const char *tok, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!strchr ("0123456789+-.eE", tok[i]))
            return false;
    }
    return true;
}

/* Nearly every field of a real log is a plain integer: those (at most 15
 * digits, so exact in a double) are converted here, the rest by strtod.
 * Reading a log was as slow as replaying it before. */
static bool small_integer_token (const char *tok, size_t len, double *out)
{
    size_t i = tok[0] == '-';
    if (len <= i || len - i > 15)
        return false;
    int64_t v = 0;
    for (; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return false;
        v = v * 10 + (tok[i] - '0');
    }
    *out = tok[0] == '-' ? -(double)v : (double)v;
    return true;
}

static int parse_job (const char *line, const char *end, int lineno, const char *source,
                      struct flurm_swf_job *job, flurm_error_t *err)
{
    double v[SWF_FIELDS];
    const char *p = line;
    int n = 0;
    for (;;) {
        while (p < end && isspace ((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        const char *tok = p;
        while (p < end && !isspace ((unsigned char)*p))
            p++;
        if (n == SWF_FIELDS) {
            n++;
            break;
        }
        /* strtod needs a NUL: copy the token (no number is this long) */
        char num[64];
        size_t tlen = (size_t)(p - tok);
        double x = 0;
        bool ok = small_integer_token (tok, tlen, &x);
        if (!ok && tlen < sizeof (num) && decimal_token (tok, tlen)) {
            memcpy (num, tok, tlen);
            num[tlen] = '\0';
            char *stop;
            errno = 0;
            x = strtod (num, &stop);
            ok = stop == num + tlen && errno != ERANGE && isfinite (x);
        }
        if (!ok)
            return flurm_error_at (err, source, lineno, (int)(tok - line) + 1,
                                   "field %d (%s) '%.*s%s' is not a number", n + 1,
                                   field_names[n], (int)(tlen > 40 ? 40 : tlen), tok,
                                   tlen > 40 ? "..." : "");
        if (x < 0 && x != FLURM_SWF_UNKNOWN && !field_any_sign (n))
            return flurm_error_at (err, source, lineno, (int)(tok - line) + 1,
                                   "field %d (%s) is %g: negative and not -1 (unknown)", n + 1,
                                   field_names[n], x);
        if (field_is_count (n) && (x != floor (x) || fabs (x) > 9.0e15))
            return flurm_error_at (err, source, lineno, (int)(tok - line) + 1,
                                   "field %d (%s) is %g: not an integer", n + 1, field_names[n],
                                   x);
        v[n++] = x;
    }
    if (n != SWF_FIELDS)
        return flurm_error_at (err, source, lineno, 0, "expected %d fields, found %s%d",
                               SWF_FIELDS, n > SWF_FIELDS ? "more than " : "",
                               n > SWF_FIELDS ? SWF_FIELDS : n);
    *job = (struct flurm_swf_job){
        .id = (int64_t)v[0],
        .submit = v[1],
        .wait = v[2],
        .runtime = v[3],
        .alloc_procs = (int64_t)v[4],
        .avg_cpu = v[5],
        .used_mem = v[6],
        .req_procs = (int64_t)v[7],
        .req_time = v[8],
        .req_mem = v[9],
        .status = (int64_t)v[10],
        .user = (int64_t)v[11],
        .group = (int64_t)v[12],
        .executable = (int64_t)v[13],
        .queue = (int64_t)v[14],
        .partition = (int64_t)v[15],
        .preceding = (int64_t)v[16],
        .think = v[17],
        .line = lineno,
    };
    return 0;
}

struct flurm_swf *flurm_swf_load_buffer (const char *data, size_t len, const char *source,
                                         flurm_error_t *err)
{
    char *inflated = NULL;
    if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
        size_t n;
        if (!(inflated = gunzip (data, len, &n, source, err)))
            return NULL;
        data = inflated;
        len = n;
    }
    struct flurm_swf *swf = g_new0 (struct flurm_swf, 1);
    swf->max_nodes = swf->max_procs = swf->unix_start_time = -1;
    GArray *jobs = g_array_new (FALSE, FALSE, sizeof (struct flurm_swf_job));
    const char *p = data, *end = data + len;
    int lineno = 0;
    while (p < end) {
        const char *eol = memchr (p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        lineno++;
        if (memchr (p, '\0', (size_t)(eol - p))) {
            flurm_error_at (err, source, lineno, 0, "NUL byte: not a text file");
            goto fail;
        }
        const char *q = p;
        while (q < eol && isspace ((unsigned char)*q))
            q++;
        if (q < eol && *q == ';') {
            if (parse_header (q, eol, lineno, source, swf, err) < 0)
                goto fail;
        } else if (q < eol) {
            struct flurm_swf_job job;
            if (parse_job (p, eol, lineno, source, &job, err) < 0)
                goto fail;
            g_array_append_val (jobs, job);
        }
        p = eol + 1;
    }
    swf->nlines = (size_t)lineno;
    swf->njobs = jobs->len;
    swf->jobs = (struct flurm_swf_job *)g_array_free (jobs, FALSE);
    g_free (inflated);
    return swf;
fail:
    g_array_free (jobs, TRUE);
    g_free (swf);
    g_free (inflated);
    return NULL;
}

struct flurm_swf *flurm_swf_load_file (const char *path, flurm_error_t *err)
{
    size_t len = 0;
    char *data = flurm_read_file (path, FLURM_SWF_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    struct flurm_swf *swf = flurm_swf_load_buffer (data, len, path, err);
    g_free (data);
    return swf;
}

void flurm_swf_destroy (struct flurm_swf *swf)
{
    if (!swf)
        return;
    g_free (swf->jobs);
    g_free (swf);
}
