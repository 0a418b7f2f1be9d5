/* sim/import_sacct.c — `sacct --parsable2` into a job table; see
 * import_sacct.h for the format and the mapping.
 *
 * The format is a header of column names and one row per job or step,
 * fields split on '|' (sacct does not escape a '|' inside a job name: such
 * a row has one field too many and is refused, never guessed at).  The
 * whole file is read and split in place (each '|' and line end becomes a
 * NUL), so a field is a pointer into the buffer and its column in the line
 * is known for messages.
 *
 * Invariants: one table job per job row (a step only adds to its job,
 * except a step whose job row is missing, which stands in for it), in file
 * order; by_id maps a job's id to its last row's index, so steps go to
 * the job row printed just before them.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "sim/import_sacct.h"
#include "sim/infile.h"

/* Beyond year 5138: a time this large is corrupt, not late. */
#define MAX_SECONDS 1e11

enum col {
    COL_JOBID,
    COL_JOBNAME,
    COL_PARTITION,
    COL_SUBMIT,
    COL_START,
    COL_END,
    COL_ELAPSED,
    COL_NNODES,
    COL_NCPUS,
    COL_NTASKS,
    COL_STATE,
    COL_NODELIST,
    NCOLS
};

/* Column headings as sacct prints them for --format=NAME */
static const struct {
    const char *name;
    bool required;
} columns[NCOLS] = {
    [COL_JOBID] = {"JobID", true},          [COL_JOBNAME] = {"JobName", false},
    [COL_PARTITION] = {"Partition", false}, [COL_SUBMIT] = {"Submit", true},
    [COL_START] = {"Start", true},          [COL_END] = {"End", true},
    [COL_ELAPSED] = {"Elapsed", false},     [COL_NNODES] = {"NNodes", false},
    [COL_NCPUS] = {"NCPUS", false},         [COL_NTASKS] = {"NTasks", false},
    [COL_STATE] = {"State", true},          [COL_NODELIST] = {"NodeList", false},
};

/* The classes of marked records, counted into the run's notes. */
enum mark {
    MARK_NEVER_STARTED,
    MARK_UNFINISHED,
    MARK_SKEW,
    MARK_UNKNOWN,
    MARK_WIDENED,
    MARK_NO_JOB_ROW,
    MARK_REPEATED,
    NMARKS
};

static const char *const mark_notes[NMARKS] = {
    [MARK_NEVER_STARTED] = "ended without starting (Start Unknown): kept, marked never-started",
    [MARK_UNFINISHED] = "still pending or running when listed: kept, marked unfinished",
    [MARK_SKEW] = "end before they start (clock skew): kept, runtime unknown",
    [MARK_UNKNOWN] = "have a state this reader does not know: kept, marked unknown",
    /* in parentheses: clang takes two adjacent literals here for a missing comma */
    [MARK_WIDENED] = ("ended NODE_FAIL, BOOT_FAIL, OUT_OF_MEMORY, DEADLINE, PREEMPTED or "
                      "REVOKED: kept under the nearest state, the sacct state in the note"),
    [MARK_NO_JOB_ROW] = "are listed by their steps only: kept, built from the first step",
    [MARK_REPEATED] = "are listed again under the same JobID (requeued): each row kept",
};

/* sacct's job states (slurm.h job_state_string) and the table's state;
 * `widened` states have no exact counterpart in the table. */
static const struct {
    const char *sacct, *state;
    bool widened;
} states[] = {
    {"COMPLETED", "completed", false},     {"FAILED", "failed", false},
    {"CANCELLED", "cancelled", false},     {"TIMEOUT", "timeout", false},
    {"NODE_FAIL", "failed", true},         {"BOOT_FAIL", "failed", true},
    {"OUT_OF_MEMORY", "failed", true},     {"DEADLINE", "timeout", true},
    {"PREEMPTED", "cancelled", true},      {"REVOKED", "cancelled", true},
    {"PENDING", "unfinished", false},      {"RUNNING", "unfinished", false},
    {"SUSPENDED", "unfinished", false},    {"REQUEUED", "unfinished", false},
    {"REQUEUE_HOLD", "unfinished", false}, {"REQUEUE_FED", "unfinished", false},
    {"SPECIAL_EXIT", "unfinished", false}, {"RESIZING", "unfinished", false},
    {"COMPLETING", "unfinished", false},   {"CONFIGURING", "unfinished", false},
    {"SIGNALING", "unfinished", false},    {"STAGE_OUT", "unfinished", false},
    {"STOPPED", "unfinished", false},
};

struct reader {
    const char *source;
    int lineno;
    const char *line; /* the current line, for columns in messages */
    int col[NCOLS];   /* field index of each column, -1 when absent */
    size_t nfields;   /* fields in the header, so in every row */
    char **field;     /* the current row's fields */
    struct flurm_run *run;
    GHashTable *by_id;        /* job id -> 1 + index of its last job row */
    GArray *tasks_from_steps; /* per job: its row had no NTasks, take its steps' */
    size_t counts[NMARKS];
    flurm_error_t *err;
};

/* One row of the file, every field checked whether it is used or not. */
struct row {
    const char *id, *name, *partition, *state, *nodes;
    size_t keylen; /* the job's id: id[0 .. keylen) */
    bool step;
    double submit, start, end, elapsed;
    int64_t nnodes, ncpus, ntasks;
};

/* "FILE:LINE:COL: COLUMN \"TEXT\": what is wrong", COL that of field f. */
static int bad_field (struct reader *rd, enum col c, const char *f, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

static int bad_field (struct reader *rd, enum col c, const char *f, const char *fmt, ...)
{
    char msg[FLURM_ERROR_MAX];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (msg, sizeof (msg), fmt, ap);
    va_end (ap);
    return flurm_error_at (rd->err, rd->source, rd->lineno, (int)(f - rd->line) + 1, "%s %s: %s",
                           columns[c].name, FLURM_QUOTED (f), msg);
}

/* n digits at s, as a number */
static bool digits (const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil): exact, no time zone, no libc state. */
static int64_t days_from_civil (int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool unknown_value (const char *f)
{
    return !*f || !strcmp (f, "Unknown") || !strcmp (f, "None");
}

/* "2025-03-01T12:00:00" (sacct's default time format, no zone) as if UTC;
 * -1 for a time sacct does not know. */
static int parse_time (struct reader *rd, enum col c, double *t)
{
    const char *f = rd->field[rd->col[c]];
    *t = -1;
    if (unknown_value (f))
        return 0;
    int y, mo, d, h, mi, s;
    if (strlen (f) != 19 || f[4] != '-' || f[7] != '-' || f[10] != 'T' || f[13] != ':' ||
        f[16] != ':' || !digits (f, 4, &y) || !digits (f + 5, 2, &mo) || !digits (f + 8, 2, &d) ||
        !digits (f + 11, 2, &h) || !digits (f + 14, 2, &mi) || !digits (f + 17, 2, &s))
        return bad_field (rd, c, f, "not a time YYYY-MM-DDTHH:MM:SS, Unknown or None");
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || s > 59)
        return bad_field (rd, c, f, "no such date or time of day");
    double secs = (double)days_from_civil (y, mo, d) * 86400.0 + h * 3600 + mi * 60 + s;
    if (secs < 0 || secs > MAX_SECONDS)
        return bad_field (rd, c, f, "before 1970 or after 1e11 s from the epoch");
    *t = secs;
    return 0;
}

/* "[D-]HH:MM:SS[.frac]" (sacct's elapsed time); -1 when empty or
 * "INVALID", which sacct prints for a negative interval. */
static int parse_elapsed (struct reader *rd, double *out)
{
    *out = -1;
    if (rd->col[COL_ELAPSED] < 0)
        return 0;
    const char *f = rd->field[rd->col[COL_ELAPSED]];
    if (!*f || !strcmp (f, "INVALID"))
        return 0;
    const char *p = f;
    double days = 0;
    const char *dash = strchr (f, '-');
    if (dash) {
        for (; p < dash; p++) {
            if (*p < '0' || *p > '9' || days > MAX_SECONDS / 86400)
                return bad_field (rd, COL_ELAPSED, f, "not an elapsed time [D-]HH:MM:SS");
            days = days * 10 + (*p - '0');
        }
        if (p == f)
            return bad_field (rd, COL_ELAPSED, f, "not an elapsed time [D-]HH:MM:SS");
        p++;
    }
    int h, m, s;
    if (strlen (p) < 8 || p[2] != ':' || p[5] != ':' || !digits (p, 2, &h) ||
        !digits (p + 3, 2, &m) || !digits (p + 6, 2, &s))
        return bad_field (rd, COL_ELAPSED, f, "not an elapsed time [D-]HH:MM:SS");
    double frac = 0, scale = 0.1;
    const char *q = p + 8;
    if (*q == '.' && q[1]) {
        for (q++; *q >= '0' && *q <= '9' && scale > 1e-9; q++, scale /= 10)
            frac += (*q - '0') * scale;
    }
    if (*q)
        return bad_field (rd, COL_ELAPSED, f, "not an elapsed time [D-]HH:MM:SS");
    if (h > 23 || m > 59 || s > 59)
        return bad_field (rd, COL_ELAPSED, f, "hours above 23, or minutes or seconds above 59");
    *out = days * 86400 + h * 3600 + m * 60 + s + frac;
    if (*out > MAX_SECONDS)
        return bad_field (rd, COL_ELAPSED, f, "longer than 1e11 s");
    return 0;
}

/* A count of nodes, CPUs or tasks; -1 when the column or its value is
 * missing (a job row's NTasks is empty: tasks belong to steps). */
static int parse_count (struct reader *rd, enum col c, int64_t *out)
{
    *out = -1;
    if (rd->col[c] < 0 || !*rd->field[rd->col[c]])
        return 0;
    const char *f = rd->field[rd->col[c]];
    int64_t n = 0;
    for (const char *p = f; *p; p++) {
        if (*p < '0' || *p > '9' || n > INT32_MAX)
            return bad_field (rd, c, f, "not a count from 0 to %d", INT32_MAX);
        n = n * 10 + (*p - '0');
    }
    if (n > INT32_MAX)
        return bad_field (rd, c, f, "not a count from 0 to %d", INT32_MAX);
    *out = n;
    return 0;
}

/* The text of an optional column, NULL when absent or empty. */
static const char *optional (struct reader *rd, enum col c)
{
    if (rd->col[c] < 0 || !*rd->field[rd->col[c]])
        return NULL;
    return rd->field[rd->col[c]];
}

/* JobID: a job "1234", an array task "1234_5" or "1234_[6-9%2]", a
 * heterogeneous component "1234+0", each maybe followed by ".STEP". */
static int parse_id (struct reader *rd, struct row *row)
{
    const char *f = rd->field[rd->col[COL_JOBID]];
    row->id = f;
    row->keylen = strcspn (f, ".");
    row->step = f[row->keylen] == '.';
    if (!(f[0] >= '0' && f[0] <= '9') || strspn (f, "0123456789_+[]-,%") != row->keylen ||
        (row->step && !f[row->keylen + 1]))
        return bad_field (rd, COL_JOBID, f, "not a Slurm job or step id");
    for (const char *p = f + row->keylen; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return bad_field (rd, COL_JOBID, f, "not a Slurm job or step id");
    }
    return 0;
}

static int parse_row (struct reader *rd, struct row *row)
{
    *row = (struct row){0};
    if (parse_id (rd, row) < 0 || parse_time (rd, COL_SUBMIT, &row->submit) < 0 ||
        parse_time (rd, COL_START, &row->start) < 0 || parse_time (rd, COL_END, &row->end) < 0 ||
        parse_elapsed (rd, &row->elapsed) < 0 || parse_count (rd, COL_NNODES, &row->nnodes) < 0 ||
        parse_count (rd, COL_NCPUS, &row->ncpus) < 0 ||
        parse_count (rd, COL_NTASKS, &row->ntasks) < 0)
        return -1;
    /* Slurm sets a job's submit time before anything else, so a Start
     * without it is not a row sacct printed; and a jobs.csv row that
     * started without a submission time does not read back (jobscsv.c). */
    if (row->start >= 0 && row->submit < 0)
        return bad_field (rd, COL_SUBMIT, rd->field[rd->col[COL_SUBMIT]],
                          "unknown, but the job has a Start");
    row->state = rd->field[rd->col[COL_STATE]];
    row->name = optional (rd, COL_JOBNAME);
    row->partition = optional (rd, COL_PARTITION);
    row->nodes = optional (rd, COL_NODELIST);
    if (row->nodes && !strcmp (row->nodes, "None assigned"))
        row->nodes = NULL; /* what sacct prints for a job that got no nodes */
    return 0;
}

static void mark (struct reader *rd, GString *note, enum mark m, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

/* Count the record in class m and say why in its note. */
static void mark (struct reader *rd, GString *note, enum mark m, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    if (note->len)
        g_string_append (note, "; ");
    g_string_append_vprintf (note, fmt, ap);
    va_end (ap);
    rd->counts[m]++;
}

/* The table's state for sacct's State ("CANCELLED by 1234": its first word). */
static const char *job_state (struct reader *rd, const struct row *row, GString *note)
{
    size_t n = strcspn (row->state, " ");
    for (size_t i = 0; i < G_N_ELEMENTS (states); i++) {
        if (strlen (states[i].sacct) != n || strncmp (row->state, states[i].sacct, n) != 0)
            continue;
        const char *st = states[i].state;
        if (!strcmp (st, "unfinished")) {
            mark (rd, note, MARK_UNFINISHED, "still %s when listed", FLURM_ESCAPED (row->state));
            return st;
        }
        if (row->start < 0) {
            mark (rd, note, MARK_NEVER_STARTED, "never started: %s", FLURM_ESCAPED (row->state));
            return "never-started";
        }
        if (states[i].widened)
            mark (rd, note, MARK_WIDENED, "sacct state %s", FLURM_ESCAPED (row->state));
        return st;
    }
    mark (rd, note, MARK_UNKNOWN, "unknown state %s", FLURM_QUOTED (row->state));
    return "unknown";
}

/* A table job from a job row (or from the first step of a job whose row
 * is missing: then its id is the job's, and the note says so). */
static void add_job (struct reader *rd, const struct row *row)
{
    GString *note = g_string_new (NULL);
    char *id = g_strndup (row->id, row->keylen);
    if (row->step)
        mark (rd, note, MARK_NO_JOB_ROW, "no job row: built from step %s", FLURM_ESCAPED (row->id));
    else if (g_hash_table_contains (rd->by_id, id))
        mark (rd, note, MARK_REPEATED, "JobID listed again (requeued)");
    struct flurm_run_job j = {
        .id = id,
        .name = (char *)row->name,
        .queue = (char *)row->partition,
        .submit = row->submit,
        .start = row->start,
        .end = row->end,
        .runtime = -1,
        .ncores = row->ncpus,
        .nnodes = row->nnodes,
        .ntasks = row->ntasks,
        .nodes = (char *)row->nodes,
    };
    j.state = (char *)job_state (rd, row, note);
    if (row->start >= 0 && row->end >= 0) {
        if (row->end < row->start)
            mark (rd, note, MARK_SKEW, "clock skew: ends %.0f s before it starts",
                  row->start - row->end);
        else
            j.runtime = row->elapsed >= 0 ? row->elapsed : row->end - row->start;
    }
    j.note = note->len ? note->str : NULL;
    j.source = g_strdup_printf ("%s:%d", rd->source, rd->lineno);
    flurm_run_add (rd->run, &j);
    g_free (j.source);
    g_string_free (note, TRUE);
    guint8 from_steps = row->step || row->ntasks < 0;
    g_array_append_val (rd->tasks_from_steps, from_steps);
    g_hash_table_insert (rd->by_id, id, GSIZE_TO_POINTER (rd->run->njobs)); /* owns id */
}

/* A step adds its tasks to its job: an MPI job's tasks are its srun step's. */
static void add_step (struct reader *rd, const struct row *row)
{
    char *id = g_strndup (row->id, row->keylen);
    size_t k = GPOINTER_TO_SIZE (g_hash_table_lookup (rd->by_id, id));
    g_free (id);
    if (!k) {
        add_job (rd, row);
        return;
    }
    struct flurm_run_job *j = &rd->run->jobs[k - 1];
    if (g_array_index (rd->tasks_from_steps, guint8, k - 1) && row->ntasks > j->ntasks)
        j->ntasks = row->ntasks;
}

/* Split line in place on '|'; returns the number of fields, storing at
 * most max of them. */
static size_t split (char *line, char **field, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            field[n] = p;
        n++;
        p = strchr (p, '|');
        if (!p)
            return n;
        *p = '\0';
    }
}

static int read_header (struct reader *rd, char *line)
{
    size_t n = 1;
    for (const char *p = line; (p = strchr (p, '|')); p++)
        n++;
    rd->field = g_new (char *, n);
    rd->nfields = split (line, rd->field, n);
    for (int c = 0; c < NCOLS; c++)
        rd->col[c] = -1;
    for (size_t i = 0; i < rd->nfields; i++) {
        for (int c = 0; c < NCOLS; c++) {
            if (g_ascii_strcasecmp (rd->field[i], columns[c].name) != 0)
                continue;
            if (rd->col[c] >= 0)
                return flurm_error_at (rd->err, rd->source, rd->lineno,
                                       (int)(rd->field[i] - line) + 1,
                                       "column %s appears twice in the header", columns[c].name);
            rd->col[c] = (int)i;
        }
    }
    if (rd->col[COL_JOBID] < 0)
        return flurm_error_at (rd->err, rd->source, rd->lineno, 0,
                               "no sacct header: the first line names no JobID column (run "
                               "sacct --parsable2 without --noheader)");
    for (int c = 0; c < NCOLS; c++) {
        if (columns[c].required && rd->col[c] < 0)
            return flurm_error_at (rd->err, rd->source, rd->lineno, 0,
                                   "the header has no %s column (needed: JobID, Submit, Start, "
                                   "End, State)",
                                   columns[c].name);
    }
    return 0;
}

static int read_lines (struct reader *rd, char *text, size_t len)
{
    bool header = true;
    char *end = text + len;
    for (char *p = text; p < end; rd->lineno++) {
        char *nl = memchr (p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        char *line = p;
        p = nl ? nl + 1 : end;
        if (memchr (line, '\0', (size_t)(eol - line)))
            return flurm_error_at (rd->err, rd->source, rd->lineno, 0,
                                   "a NUL byte: not sacct text output");
        if (eol > line && eol[-1] == '\r')
            eol--;
        *eol = '\0';
        rd->line = line;
        if (!*line)
            continue; /* the end of the output */
        if (header) {
            if (read_header (rd, line) < 0)
                return -1;
            header = false;
            continue;
        }
        size_t n = split (line, rd->field, rd->nfields);
        if (n != rd->nfields)
            return flurm_error_at (rd->err, rd->source, rd->lineno, 0,
                                   "%zu fields, the header has %zu (a '|' in a job name?)", n,
                                   rd->nfields);
        struct row row;
        if (parse_row (rd, &row) < 0)
            return -1;
        if (row.step)
            add_step (rd, &row);
        else
            add_job (rd, &row);
    }
    if (header)
        return flurm_error_at (rd->err, rd->source, 0, 0,
                               "empty: no sacct header (run sacct --parsable2 without "
                               "--noheader)");
    return 0;
}

struct flurm_run *flurm_import_sacct (const char *path, flurm_error_t *err)
{
    size_t len;
    char *text = flurm_read_file (path, FLURM_IMPORT_SACCT_MAX_BYTES, &len, err);
    if (!text)
        return NULL;
    char *name = flurm_run_name_from_path (path);
    struct reader rd = {
        .source = strcmp (path, "-") ? path : "<stdin>",
        .lineno = 1,
        .run = flurm_run_create (name, "sacct", "epoch"),
        .by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
        .tasks_from_steps = g_array_new (FALSE, FALSE, sizeof (guint8)),
        .err = err,
    };
    g_free (name);
    int rc = read_lines (&rd, text, len);
    g_free (text);
    g_free (rd.field);
    g_hash_table_destroy (rd.by_id);
    g_array_free (rd.tasks_from_steps, TRUE);
    if (rc < 0) {
        flurm_run_destroy (rd.run);
        return NULL;
    }
    flurm_run_note (rd.run, "times are the cluster's local time read as UTC (sacct prints no "
                            "time zone)");
    for (int m = 0; m < NMARKS; m++) {
        if (rd.counts[m])
            flurm_run_note (rd.run, "%zu of %zu jobs %s", rd.counts[m], rd.run->njobs,
                            mark_notes[m]);
    }
    return rd.run;
}
