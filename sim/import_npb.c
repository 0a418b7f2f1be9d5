/* sim/import_npb.c — NPB output logs; see import_npb.h for the layout.
 *
 * What a run prints (NPB 3.4 MPI; 3.x differs only in version text):
 *
 *      NAS Parallel Benchmarks 3.4 -- CG Benchmark        header (Fortran
 *      Size:    1500000  (class D)                        benchmarks; the
 *      ...                                                 C one, IS, too)
 *      CG Benchmark Completed.                            report, written
 *      Class           =                        D         by print_results
 *      Time in seconds =                   187.61         (common/
 *      Total processes =                       64         print_results.f90,
 *      Verification    =               SUCCESSFUL         IS: c_print_
 *      ...                                                 results.c, no '.')
 *     DATE of cg.D.x in seconds: 189                      the loop script
 *
 * A run's output is read as a small state machine, one line at a time: a
 * header or a report line after a finished report begins the next run, a
 * DATE line ends the current one, and whatever the file holds when it
 * ends is the last run.  Only the report's own "Key = value" lines are
 * read as values (the keys are padded to one column by the format; the
 * iteration output before the report is free text and ignored).
 *
 * Why a run is kept when it is incomplete: the loop scripts run for a fixed
 * time and the allocation ends in the middle of the last run, so nearly
 * every file ends with a cut run; dropping it would hide how long the
 * loop ran, and a failed verification is a result the user must see.
 * Malformed values are errors instead: they mean the file is not what NPB
 * and the script print, and a guess would put a wrong number in the table.
 *
 * The buffer is ours (flurm_read_file), so lines are cut in place.
 */
#include "sim/import_npb.h"
#include "sim/infile.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define NPB_MAX_SECONDS 1e11
#define NPB_MAX_COUNT 2147483648.0 /* 2^31 */
#define NPB_NAME_MAX 24

/* An app as the names spell it: "cg.D.x.64", "cg.D.64", "cg.D.x", "cg";
 * fields the name lacks are unknown (bench "", cls 0, procs -1). */
struct npb_config {
    char bench[NPB_NAME_MAX]; /* lower case */
    char cls;
    int64_t procs;
};

/* What the names of a file and its folder say about every run in it. */
struct npb_file {
    const char *path;       /* for messages and sources */
    const char *rel;        /* for ids */
    struct npb_config own;  /* the app the file runs */
    char *partner;          /* "ep.E.256" or NULL */
    bool has_dates;         /* the loop script wrote it */
};

/* One run while its output is read. */
struct npb_block {
    bool open;              /* some output of it (or its DATE line) seen */
    bool header;            /* its "NAS Parallel Benchmarks" line seen */
    int first_line, last_line;
    char bench[NPB_NAME_MAX]; /* from the header, then the report */
    char cls;
    int64_t procs;
    double time;            /* < 0 until printed */
    int verified;           /* -1 not printed, 0 UNSUCCESSFUL, 1 SUCCESSFUL, 2 NOT PERFORMED */
    int report_line;        /* 0 until " XX Benchmark Completed" */
    int class_line, time_line, procs_line, verif_line; /* for duplicate keys */
    bool has_date;
    int64_t date;
    int date_line;
};

/* What is wrong in a kept run, counted for the run's notes. */
struct npb_counts {
    size_t unverified, not_performed, truncated, no_output, skew, mismatch, empty, unnamed;
};

/* Per-file time line of the loop: runs start back to back. */
struct npb_clock {
    double t;
    bool known;
};

static const char *const verification_names[] = {"UNSUCCESSFUL", "SUCCESSFUL", "NOT PERFORMED"};

static bool is_name_char (char c)
{
    return isalnum ((unsigned char)c) || c == '-';
}

/* Parse "bench[.C[.x][.procs]]" from text[0 .. len). */
static bool parse_config (const char *text, size_t len, struct npb_config *c)
{
    memset (c, 0, sizeof (*c));
    c->procs = -1;
    char buf[64];
    if (len == 0 || len >= sizeof (buf))
        return false;
    memcpy (buf, text, len);
    buf[len] = '\0';
    char **tok = g_strsplit (buf, ".", 0);
    guint n = g_strv_length (tok);
    bool ok = n >= 1 && n <= 4 && tok[0][0] && strlen (tok[0]) < NPB_NAME_MAX;
    for (const char *p = tok[0]; ok && *p; p++)
        ok = is_name_char (*p) && !isupper ((unsigned char)*p);
    if (ok)
        g_strlcpy (c->bench, tok[0], sizeof (c->bench));
    guint i = 1;
    if (ok && i < n) {
        ok = strlen (tok[i]) == 1 && isupper ((unsigned char)tok[i][0]);
        c->cls = tok[i++][0];
    }
    if (ok && i < n && strcmp (tok[i], "x") == 0) /* the binary's suffix */
        i++;
    if (ok && i < n) {
        char *end;
        errno = 0;
        long long v = strtoll (tok[i], &end, 10);
        ok = isdigit ((unsigned char)tok[i][0]) && !*end && errno == 0 && v > 0
             && v < (long long)NPB_MAX_COUNT && c->cls;
        c->procs = v;
        i++;
    }
    ok = ok && i == n;
    g_strfreev (tok);
    if (!ok) {
        memset (c, 0, sizeof (*c));
        c->procs = -1;
    }
    return ok;
}

static bool config_full (const struct npb_config *c)
{
    return c->bench[0] && c->cls && c->procs > 0;
}

/* Does the file-name part `a` ("cg.D.x", "cg") name the folder app x? */
static bool config_names (const struct npb_config *a, const struct npb_config *x)
{
    return strcmp (a->bench, x->bench) == 0 && (!a->cls || a->cls == x->cls)
           && (a->procs < 0 || a->procs == x->procs);
}

static char *config_app (const struct npb_config *c)
{
    if (!c->bench[0])
        return NULL;
    if (!c->cls)
        return g_strdup (c->bench);
    if (c->procs < 0)
        return g_strdup_printf ("%s.%c", c->bench, c->cls);
    return g_strdup_printf ("%s.%c.%" PRId64, c->bench, c->cls, c->procs);
}

static bool parse_index (const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol (text, &end, 10);
    if (!isdigit ((unsigned char)text[0]) || *end || errno || v >= (long)NPB_MAX_COUNT)
        return false;
    *out = v;
    return true;
}

/* Fill f->own and f->partner from the names (see import_npb.h).  Returns
 * false when the file sits in a pair folder that its name does not fit
 * (the runs are then kept without a partner). */
static bool read_names (struct npb_file *f)
{
    char *base = g_path_get_basename (f->path);
    char *dir = g_path_get_dirname (f->path);
    char *folder = g_path_get_basename (dir);
    if (g_str_has_suffix (base, ".out"))
        base[strlen (base) - 4] = '\0';
    char **half = g_strsplit (folder, "_", 0);
    char **part = g_strsplit (base, "_", 0);
    struct npb_config x, y, a, b;
    bool pair = g_strv_length (half) == 2 && parse_config (half[0], strlen (half[0]), &x)
                && config_full (&x) && parse_config (half[1], strlen (half[1]), &y)
                && config_full (&y);
    bool alone = g_strv_length (half) == 1 && parse_config (folder, strlen (folder), &x)
                 && config_full (&x);
    long copy = -1;
    bool named = g_strv_length (part) == 3 && parse_config (part[0], strlen (part[0]), &a)
                 && parse_config (part[1], strlen (part[1]), &b) && parse_index (part[2], &copy);
    bool fits = true;
    memset (&f->own, 0, sizeof (f->own));
    f->own.procs = -1;
    if (pair) {
        const struct npb_config *own = NULL, *other = NULL;
        bool ax = named && config_names (&a, &x), ay = named && config_names (&a, &y);
        if (ax && ay && x.procs != y.procs) {
            /* Same binary at two sizes: copies 0 .. k-1 are the smaller
             * one, copy k the larger (flux_NAS_co.sh). */
            const struct npb_config *small = x.procs < y.procs ? &x : &y;
            const struct npb_config *large = small == &x ? &y : &x;
            bool is_small = copy < large->procs / small->procs;
            own = is_small ? small : large;
            other = is_small ? large : small;
        } else if (ax) {
            own = &x;
            other = &y;
        } else if (ay) {
            own = &y;
            other = &x;
        }
        if (own && config_names (&b, other)) {
            f->own = *own;
            f->partner = config_app (other);
        } else {
            fits = false;
            if (named)
                f->own = a;
        }
    } else if (alone) {
        f->own = x;
    } else if (named) {
        f->own = a;
    } else {
        parse_config (base, strlen (base), &f->own); /* stays unknown when not a name */
    }
    g_strfreev (half);
    g_strfreev (part);
    g_free (base);
    g_free (dir);
    g_free (folder);
    return fits;
}

static void block_start (struct npb_block *b, int lineno)
{
    memset (b, 0, sizeof (*b));
    b->open = true;
    b->first_line = b->last_line = lineno;
    b->procs = -1;
    b->time = -1;
    b->verified = -1;
}

static void set_bench (struct npb_block *b, const char *name)
{
    g_strlcpy (b->bench, name, sizeof (b->bench));
    for (char *p = b->bench; *p; p++)
        *p = (char)tolower ((unsigned char)*p);
}

/* The app of a run: what its output says, the names for what it lacks
 * (only when the names are the same benchmark). */
static struct npb_config block_config (const struct npb_block *b, const struct npb_file *f)
{
    struct npb_config c = f->own;
    if (!b->bench[0])
        return c;
    bool same = strcmp (b->bench, f->own.bench) == 0 && (!b->cls || b->cls == f->own.cls);
    g_strlcpy (c.bench, b->bench, sizeof (c.bench));
    c.cls = b->cls ? b->cls : (same ? f->own.cls : 0);
    c.procs = b->procs > 0 ? b->procs : (same ? f->own.procs : -1);
    return c;
}

static void note_add (GString *note, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void note_add (GString *note, const char *fmt, ...)
{
    va_list ap;
    if (note->len)
        g_string_append (note, "; ");
    va_start (ap, fmt);
    g_string_append_vprintf (note, fmt, ap);
    va_end (ap);
}

/* Turn the run read so far into a job and start afresh. */
static void emit (struct flurm_run *run, const struct npb_file *f, struct npb_block *b,
                  struct npb_clock *clock, int *k, struct npb_counts *cnt)
{
    struct npb_config c = block_config (b, f);
    bool output = b->report_line || b->time >= 0 || b->header;
    GString *note = g_string_new (NULL);
    const char *state = "completed";
    if (!output) {
        state = "failed";
        note_add (note, "no NPB output before its DATE line (line %d): the benchmark printed "
                  "nothing", b->date_line);
        cnt->no_output++;
    } else if (b->time < 0 || b->verified < 0) {
        state = "truncated";
        note_add (note, "output ends at line %d, before its %s line", b->last_line,
                  b->time < 0 ? "Time in seconds" : "Verification");
        cnt->truncated++;
    } else if (b->verified == 0) {
        state = "verification-failed";
        note_add (note, "Verification = UNSUCCESSFUL (line %d)", b->verif_line);
        cnt->unverified++;
    } else if (b->verified == 2) {
        note_add (note, "Verification = NOT PERFORMED (line %d)", b->verif_line);
        cnt->not_performed++;
    }
    if (output && f->own.bench[0]
        && (strcmp (f->own.bench, c.bench) || (f->own.cls && c.cls && f->own.cls != c.cls)
            || (f->own.procs > 0 && c.procs > 0 && f->own.procs != c.procs))) {
        char *named = config_app (&f->own), *printed = config_app (&c);
        note_add (note, "the file names say %s, the output %s", named, printed);
        g_free (named);
        g_free (printed);
        cnt->mismatch++;
    }
    if (b->has_date && b->date < 0) {
        note_add (note, "DATE line %d says %" PRId64 " s: the clock went back", b->date_line,
                  b->date);
        cnt->skew++;
    }
    double start = -1, end = -1;
    if (f->has_dates && clock->known) {
        start = clock->t;
        if (b->has_date && b->date >= 0) {
            end = start + (double)b->date;
            clock->t = end;
        } else {
            clock->known = false; /* the next run's start is not known */
        }
    }
    char *id = g_strdup_printf ("%s#%d", f->rel, *k);
    char *app = config_app (&c);
    char *source = g_strdup_printf ("%s:%d", f->path, b->first_line);
    struct flurm_run_job job = {
        .id = id,
        .app = app,
        .submit = start,
        .start = start,
        .end = end,
        .runtime = b->time,
        .ncores = -1,
        .nnodes = -1,
        .ntasks = c.procs > 0 ? c.procs : -1,
        .state = (char *)state,
        .partner = f->partner,
        .note = note->len ? note->str : NULL,
        .source = source,
    };
    flurm_run_add (run, &job);
    g_free (id);
    g_free (app);
    g_free (source);
    g_string_free (note, TRUE);
    (*k)++;
    memset (b, 0, sizeof (*b));
}

/* A value of a report or DATE line; errors name FILE:LINE:COL. */
struct npb_where {
    const char *path;
    int line, col;
};

/* Only digits, sign, point and exponent: strtod alone would also take
 * "nan", "inf" and hex. */
static bool plain_number (const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!isdigit ((unsigned char)*s) && !strchr ("+-.eE", *s))
            return false;
    }
    return true;
}

static int parse_seconds (const struct npb_where *w, const char *what, const char *text,
                          double *out, flurm_error_t *err)
{
    char *end;
    errno = 0;
    double v = plain_number (text) ? strtod (text, &end) : NAN;
    if (isnan (v) || *end || errno == ERANGE || !isfinite (v))
        return flurm_error_at (err, w->path, w->line, w->col, "%s is %s: not a number of seconds",
                               what, FLURM_QUOTED (text));
    if (v < 0)
        return flurm_error_at (err, w->path, w->line, w->col, "%s is %s: negative", what, text);
    if (v > NPB_MAX_SECONDS)
        return flurm_error_at (err, w->path, w->line, w->col, "%s is %s: more than %g s", what,
                               text, NPB_MAX_SECONDS);
    *out = v;
    return 0;
}

/* A whole number, sign allowed (the caller judges negative values). */
static int parse_whole (const struct npb_where *w, const char *what, const char *text,
                        double max, int64_t *out, flurm_error_t *err)
{
    const char *d = text[0] == '-' ? text + 1 : text;
    bool digits = *d != '\0';
    for (const char *p = d; *p; p++)
        digits = digits && isdigit ((unsigned char)*p);
    if (!digits)
        return flurm_error_at (err, w->path, w->line, w->col, "%s is %s: not a whole number",
                               what, FLURM_QUOTED (text));
    errno = 0;
    long long v = strtoll (text, NULL, 10);
    if (errno == ERANGE || fabs ((double)v) > max)
        return flurm_error_at (err, w->path, w->line, w->col, "%s is %s: more than %.0f", what,
                               text, max);
    *out = v;
    return 0;
}

/* "NAS Parallel Benchmarks 3.4 -- CG Benchmark": the name before the last
 * word (the MZ versions print "... - BT-MZ Benchmark"). */
static bool header_name (const char *t, char name[NPB_NAME_MAX])
{
    if (!strstr (t, "NAS Parallel Benchmarks") || !g_str_has_suffix (t, " Benchmark"))
        return false;
    const char *end = t + strlen (t) - strlen (" Benchmark");
    const char *p = end;
    while (p > t && is_name_char (p[-1]))
        p--;
    if (p == end || (size_t)(end - p) >= NPB_NAME_MAX || (p > t && p[-1] != ' '))
        return false;
    memcpy (name, p, (size_t)(end - p));
    name[end - p] = '\0';
    return true;
}

/* "CG Benchmark Completed." (Fortran) or "IS Benchmark Completed" (C).
 * CG's own " Benchmark completed " line has no name and a small c. */
static bool report_name (const char *t, char name[NPB_NAME_MAX])
{
    const char *tail = strstr (t, " Benchmark Completed");
    if (!tail || tail == t || (strcmp (tail, " Benchmark Completed") != 0
                               && strcmp (tail, " Benchmark Completed.") != 0))
        return false;
    if ((size_t)(tail - t) >= NPB_NAME_MAX)
        return false;
    for (const char *p = t; p < tail; p++) {
        if (!is_name_char (*p))
            return false;
    }
    memcpy (name, t, (size_t)(tail - t));
    name[tail - t] = '\0';
    return true;
}

/* One " Key = value" line of the report (others are ignored). */
static int report_field (const struct npb_file *f, struct npb_block *b, char *line, int lineno,
                         flurm_error_t *err)
{
    char *eq = strchr (line, '=');
    if (line[0] != ' ' || !eq)
        return 0;
    char *value = eq + 1;
    while (*value == ' ')
        value++;
    *eq = '\0';
    char *key = g_strstrip (line);
    struct npb_where w = {f->path, lineno, (int)(value - line) + 1};
    int *seen = NULL;
    if (!strcmp (key, "Class"))
        seen = &b->class_line;
    else if (!strcmp (key, "Time in seconds"))
        seen = &b->time_line;
    else if (!strcmp (key, "Total processes"))
        seen = &b->procs_line;
    else if (!strcmp (key, "Verification"))
        seen = &b->verif_line;
    if (!seen)
        return 0;
    if (*seen)
        return flurm_error_at (err, f->path, lineno, 2, "a second %s line in the report of line %d "
                               "(the first is line %d)", key, b->report_line, *seen);
    *seen = lineno;
    if (seen == &b->class_line) {
        if (strlen (value) != 1 || !isupper ((unsigned char)value[0]))
            return flurm_error_at (err, f->path, lineno, w.col, "Class is %s: not a class letter",
                                   FLURM_QUOTED (value));
        b->cls = value[0];
    } else if (seen == &b->time_line) {
        return parse_seconds (&w, "Time in seconds", value, &b->time, err);
    } else if (seen == &b->procs_line) {
        int64_t n;
        if (parse_whole (&w, "Total processes", value, NPB_MAX_COUNT, &n, err) < 0)
            return -1;
        if (n < 1)
            return flurm_error_at (err, f->path, lineno, w.col, "Total processes is %s: not a "
                                   "count of processes", value);
        b->procs = n;
    } else {
        for (int i = 0; i < (int)G_N_ELEMENTS (verification_names); i++) {
            if (!strcmp (value, verification_names[i]))
                b->verified = i;
        }
        if (b->verified < 0)
            return flurm_error_at (err, f->path, lineno, w.col, "Verification is %s: not "
                                   "SUCCESSFUL, UNSUCCESSFUL or NOT PERFORMED",
                                   FLURM_QUOTED (value));
    }
    return 0;
}

/* "DATE of cg.D.x in seconds: 189": ends the run above it. */
static int date_line (struct flurm_run *run, const struct npb_file *f, struct npb_block *b,
                      struct npb_clock *clock, int *k, struct npb_counts *cnt, const char *line,
                      int lineno, flurm_error_t *err)
{
    const char *name = line + strlen ("DATE of ");
    const char *mid = strstr (name, " in seconds:");
    if (!mid || mid == name)
        return flurm_error_at (err, f->path, lineno, 1, "%s is not \"DATE of APP in seconds: N\"",
                               FLURM_QUOTED (line));
    const char *value = mid + strlen (" in seconds:");
    while (*value == ' ')
        value++;
    struct npb_where w = {f->path, lineno, (int)(value - line) + 1};
    int64_t secs;
    if (parse_whole (&w, "the DATE line's time", value, NPB_MAX_SECONDS, &secs, err) < 0)
        return -1;
    struct npb_config dc;
    bool dc_ok = parse_config (name, (size_t)(mid - name), &dc);
    if (dc_ok && b->open && b->bench[0] && strcmp (dc.bench, b->bench) != 0)
        return flurm_error_at (err, f->path, lineno, 9, "the DATE line names %.*s but the run "
                               "above it (line %d) is %s", (int)(mid - name), name,
                               b->first_line, b->bench);
    if (!b->open) {
        block_start (b, lineno);
        if (dc_ok) {
            g_strlcpy (b->bench, dc.bench, sizeof (b->bench));
            b->cls = dc.cls;
        }
    }
    b->has_date = true;
    b->date = secs;
    b->date_line = b->last_line = lineno;
    emit (run, f, b, clock, k, cnt);
    return 0;
}

static int parse_line (struct flurm_run *run, const struct npb_file *f, struct npb_block *b,
                       struct npb_clock *clock, int *k, struct npb_counts *cnt, char *line,
                       int lineno, flurm_error_t *err)
{
    if (g_str_has_prefix (line, "DATE of "))
        return date_line (run, f, b, clock, k, cnt, line, lineno, err);
    const char *t = line;
    while (*t == ' ' || *t == '\t')
        t++;
    char name[NPB_NAME_MAX];
    if (header_name (t, name)) {
        if (b->open)
            emit (run, f, b, clock, k, cnt);
        block_start (b, lineno);
        b->header = true;
        set_bench (b, name);
        return 0;
    }
    if (report_name (t, name)) {
        char lower[NPB_NAME_MAX];
        g_strlcpy (lower, name, sizeof (lower));
        for (char *p = lower; *p; p++)
            *p = (char)tolower ((unsigned char)*p);
        /* A second report, or another benchmark's, is the next run. */
        if (b->open && (b->report_line || (b->bench[0] && strcmp (lower, b->bench) != 0)))
            emit (run, f, b, clock, k, cnt);
        if (!b->open)
            block_start (b, lineno);
        b->report_line = b->last_line = lineno;
        set_bench (b, name);
        return 0;
    }
    if (!b->open)
        return 0; /* launcher or MPI messages between runs */
    b->last_line = lineno;
    if (b->report_line)
        return report_field (f, b, line, lineno, err);
    /* Before the report: the header's "Size: ...  (class D)" */
    const char *c = strstr (t, "(class ");
    if (c && isupper ((unsigned char)c[7]) && c[8] == ')' && !b->cls)
        b->cls = c[7];
    return 0;
}

/* Read one file's runs into `run`. */
static int import_file (struct flurm_run *run, struct npb_file *f, struct npb_counts *cnt,
                        flurm_error_t *err)
{
    size_t len;
    char *data = flurm_read_file (f->path, FLURM_NPB_MAX_BYTES, &len, err);
    if (!data)
        return -1;
    const char *nul = memchr (data, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = data; p < nul; p++)
            line += *p == '\n';
        g_free (data);
        return flurm_error_at (err, f->path, line, 0, "a NUL byte: not text, not an NPB log");
    }
    if (len == 0) {
        cnt->empty++;
        g_free (data);
        return 0;
    }
    if (!read_names (f))
        cnt->unnamed++;
    f->has_dates = g_str_has_prefix (data, "DATE of ") || strstr (data, "\nDATE of ");
    struct npb_block b = {0};
    struct npb_clock clock = {0, true};
    int k = 0, lineno = 0, rc = 0;
    for (char *p = data; rc == 0 && p < data + len;) {
        char *nl = strchr (p, '\n');
        char *next = nl ? nl + 1 : data + len;
        if (nl)
            *nl = '\0';
        g_strchomp (p); /* "\r" of a log copied through Windows, trailing blanks */
        rc = parse_line (run, f, &b, &clock, &k, cnt, p, ++lineno, err);
        p = next;
    }
    if (rc == 0 && b.open)
        emit (run, f, &b, &clock, &k, cnt);
    if (rc == 0 && k == 0)
        rc = flurm_error_at (err, f->path, 0, 0, "no NPB header, report or DATE line: not an "
                             "NPB output log");
    g_free (data);
    return rc;
}

static gint cmp_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The *.out files under root/sub, sub-folders `depth` levels down, in name
 * order (so that the same folder gives the same table). */
static int collect (const char *root, const char *sub, int depth, GPtrArray *out,
                    flurm_error_t *err)
{
    char *dirpath = sub ? g_build_filename (root, sub, NULL) : g_strdup (root);
    GError *gerr = NULL;
    GDir *d = g_dir_open (dirpath, 0, &gerr);
    if (!d) {
        flurm_error_set (err, "%s: cannot open: %s", dirpath, gerr->message);
        g_error_free (gerr);
        g_free (dirpath);
        return -1;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    const char *n;
    while ((n = g_dir_read_name (d)))
        g_ptr_array_add (names, g_strdup (n));
    g_dir_close (d);
    g_ptr_array_sort (names, cmp_names);
    int rc = 0;
    for (guint i = 0; rc == 0 && i < names->len; i++) {
        const char *name = names->pdata[i];
        char *rel = sub ? g_build_filename (sub, name, NULL) : g_strdup (name);
        char *full = g_build_filename (root, rel, NULL);
        if (name[0] == '.') {
            g_free (rel); /* hidden: not a log the scripts write */
        } else if (g_file_test (full, G_FILE_TEST_IS_DIR)) {
            if (depth > 0)
                rc = collect (root, rel, depth - 1, out, err);
            g_free (rel);
        } else if (g_str_has_suffix (name, ".out") && g_file_test (full, G_FILE_TEST_IS_REGULAR)) {
            if (out->len >= FLURM_NPB_MAX_FILES)
                rc = flurm_error_set (err, "%s: more than %d .out files", root,
                                      FLURM_NPB_MAX_FILES);
            g_ptr_array_add (out, rel);
        } else {
            g_free (rel);
        }
        g_free (full);
    }
    g_ptr_array_free (names, TRUE);
    g_free (dirpath);
    return rc;
}

static void add_notes (struct flurm_run *r, const struct npb_counts *c)
{
    if (c->unverified)
        flurm_run_note (r, "%zu of %zu runs failed their verification (Verification = "
                        "UNSUCCESSFUL): kept, marked verification-failed", c->unverified, r->njobs);
    if (c->not_performed)
        flurm_run_note (r, "%zu of %zu runs were not verified (Verification = NOT PERFORMED): "
                        "kept as completed, noted", c->not_performed, r->njobs);
    if (c->truncated)
        flurm_run_note (r, "%zu of %zu runs are cut before their Time in seconds or "
                        "Verification line (a loop stopped mid-run): kept, marked truncated",
                        c->truncated, r->njobs);
    if (c->no_output)
        flurm_run_note (r, "%zu of %zu runs printed no NPB output before their DATE line: "
                        "kept, marked failed", c->no_output, r->njobs);
    if (c->skew)
        flurm_run_note (r, "%zu DATE lines are negative (the clock went back): runs kept, "
                        "their end and the later starts of their file unknown", c->skew);
    if (c->mismatch)
        flurm_run_note (r, "%zu of %zu runs are another app than their file and folder names "
                        "say: kept as their output says, noted", c->mismatch, r->njobs);
    if (c->empty)
        flurm_run_note (r, "%zu files are empty (a loop that never ran): no runs from them",
                        c->empty);
    if (c->unnamed)
        flurm_run_note (r, "%zu files are not named <a>_<b>_<i>.out after an app of their pair "
                        "folder: their runs kept without a partner", c->unnamed);
}

struct flurm_run *flurm_import_npb (const char *path, flurm_error_t *err)
{
    bool is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
    GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
    if (is_dir) {
        if (collect (path, NULL, 1, files, err) < 0) {
            g_ptr_array_free (files, TRUE);
            return NULL;
        }
        if (files->len == 0) {
            flurm_error_set (err, "%s: no .out file in this folder or its sub-folders (NPB logs "
                             "are read from FILE.out)", path);
            g_ptr_array_free (files, TRUE);
            return NULL;
        }
    } else {
        g_ptr_array_add (files, g_path_get_basename (path));
    }
    char *name = g_path_get_basename (path);
    if (!is_dir && g_str_has_suffix (name, ".out"))
        name[strlen (name) - 4] = '\0';
    struct flurm_run *run = flurm_run_create (name, "npb-log", "relative");
    g_free (name);
    struct npb_counts cnt = {0};
    int rc = 0;
    for (guint i = 0; rc == 0 && i < files->len; i++) {
        char *full = is_dir ? g_build_filename (path, files->pdata[i], NULL) : g_strdup (path);
        struct npb_file f = {.path = full, .rel = files->pdata[i]};
        rc = import_file (run, &f, &cnt, err);
        g_free (f.partner);
        g_free (full);
    }
    g_ptr_array_free (files, TRUE);
    if (rc < 0) {
        flurm_run_destroy (run);
        return NULL;
    }
    add_notes (run, &cnt);
    return run;
}
