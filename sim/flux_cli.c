/* sim/flux_cli.c — `flux` commands as queued, overlapping subprocesses.
 *
 * Invariants:
 *  - at most f->max_running commands run; the rest wait in f->waiting in
 *    the order they were queued (so submissions reach Flux in trace order
 *    as long as max_running is 1, and nearly so otherwise: Flux orders
 *    jobs by the time its ingest accepted them, which the replay records);
 *  - a request is owned by the queue until its `done` has been called,
 *    then freed; `done` is always called exactly once, also for a command
 *    that could not be started;
 *  - a stream has exactly one read or wait in flight, or is inside the
 *    callback of one: that callback is where a stopped stream is freed,
 *    so glib never calls back into freed memory.
 */
#include <string.h>

#include <gio/gio.h>

#include "sim/flux_cli.h"

struct request {
    char **argv;
    GBytes *input;
    flurm_flux_done_fn done;
    void *arg;
    struct flurm_flux *f;
};

struct flurm_flux {
    char *program;
    unsigned max_running;
    unsigned running;
    GQueue waiting;
};

struct flurm_flux_stream {
    GSubprocess *proc;
    GDataInputStream *lines;
    GCancellable *cancel;
    flurm_flux_line_fn line;
    flurm_flux_end_fn end;
    void *arg;
    bool stopped;
    bool in_callback;  /* inside `line`: a stop there is finished on return */
    bool *freed;       /* set when freed, for a stop waiting on it */
    GString *last; /* the last line, for the error of a failed command */
};

struct flurm_flux *flurm_flux_create (const char *program, unsigned max_running)
{
    struct flurm_flux *f = g_new0 (struct flurm_flux, 1);
    f->program = g_strdup (program ? program : "flux");
    f->max_running = max_running ? max_running : FLURM_FLUX_MAX_RUNNING_DEFAULT;
    g_queue_init (&f->waiting);
    return f;
}

static void request_free (struct request *r)
{
    g_strfreev (r->argv);
    if (r->input)
        g_bytes_unref (r->input);
    g_free (r);
}

void flurm_flux_destroy (struct flurm_flux *f)
{
    if (!f)
        return;
    /* Requests still waiting are dropped unrun: the caller is tearing down. */
    struct request *r;
    while ((r = g_queue_pop_head (&f->waiting)))
        request_free (r);
    g_free (f->program);
    g_free (f);
}

static char **make_argv (const struct flurm_flux *f, const char *const *args)
{
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = g_new0 (char *, n + 2);
    argv[0] = g_strdup (f->program);
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = g_strdup (args[i]);
    return argv;
}

/* "flux job submit" — the words that name what failed. */
static char *command_name (char *const *argv)
{
    GString *s = g_string_new ("flux");
    for (size_t i = 1; argv[i] && i <= 3 && argv[i][0] != '-' && !strchr (argv[i], '/'); i++)
        g_string_append_printf (s, " %s", argv[i]);
    return g_string_free (s, FALSE);
}

/* The first non-empty line of a command's error output, or "exit N". */
static char *first_line (const char *text, int status)
{
    while (text && (*text == '\n' || *text == ' '))
        text++;
    if (!text || !*text)
        return g_strdup_printf ("exit status %d", status);
    const char *nl = strchr (text, '\n');
    return g_strndup (text, nl ? (size_t)(nl - text) : strlen (text));
}

static int exit_status (GSubprocess *p)
{
    if (g_subprocess_get_if_exited (p))
        return g_subprocess_get_exit_status (p);
    if (g_subprocess_get_if_signaled (p))
        return 128 + g_subprocess_get_term_sig (p);
    return -1;
}

static const char *bytes_text (GBytes *b, char **owned)
{
    gsize n = 0;
    const char *d = b ? g_bytes_get_data (b, &n) : NULL;
    *owned = g_strndup (d ? d : "", n);
    return *owned;
}

int flurm_flux_run (struct flurm_flux *f, const char *const *args, const char *input,
                    char **out, flurm_error_t *err)
{
    char **argv = make_argv (f, args);
    char *name = command_name (argv);
    GError *gerr = NULL;
    GBytes *in = g_bytes_new (input ? input : "", input ? strlen (input) : 0);
    GBytes *sout = NULL, *serr = NULL;
    int rc = -1;
    GSubprocess *p = g_subprocess_newv ((const char *const *)argv,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE
                                            | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                            | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        &gerr);
    if (!p || !g_subprocess_communicate (p, in, NULL, &sout, &serr, &gerr)) {
        flurm_error_set (err, "%s: %s", name, gerr->message);
        goto out;
    }
    char *o, *e;
    bytes_text (sout, &o);
    bytes_text (serr, &e);
    int status = exit_status (p);
    if (status != 0) {
        char *why = first_line (e, status);
        flurm_error_set (err, "%s: %s", name, why);
        g_free (why);
        g_free (o);
    } else {
        *out = o;
        rc = 0;
    }
    g_free (e);
out:
    if (gerr)
        g_error_free (gerr);
    if (p)
        g_object_unref (p);
    if (in)
        g_bytes_unref (in);
    if (sout)
        g_bytes_unref (sout);
    if (serr)
        g_bytes_unref (serr);
    g_free (name);
    g_strfreev (argv);
    return rc;
}

static void start_waiting (struct flurm_flux *f);

static void finish_request (struct request *r, int status, const char *out, const char *errtext)
{
    struct flurm_flux *f = r->f;
    f->running--;
    r->done (r->arg, status, out, errtext);
    request_free (r);
    start_waiting (f);
}

static void communicated (GObject *source, GAsyncResult *res, gpointer data)
{
    struct request *r = data;
    GSubprocess *p = G_SUBPROCESS (source);
    GBytes *sout = NULL, *serr = NULL;
    GError *gerr = NULL;
    if (!g_subprocess_communicate_finish (p, res, &sout, &serr, &gerr)) {
        finish_request (r, -1, "", gerr->message);
        g_error_free (gerr);
    } else {
        char *o, *e;
        bytes_text (sout, &o);
        bytes_text (serr, &e);
        finish_request (r, exit_status (p), o, e);
        g_free (o);
        g_free (e);
    }
    if (sout)
        g_bytes_unref (sout);
    if (serr)
        g_bytes_unref (serr);
    g_object_unref (p);
}

static void start_waiting (struct flurm_flux *f)
{
    while (f->running < f->max_running && !g_queue_is_empty (&f->waiting)) {
        struct request *r = g_queue_pop_head (&f->waiting);
        GError *gerr = NULL;
        f->running++;
        GSubprocess *p = g_subprocess_newv ((const char *const *)r->argv,
                                            G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                            &gerr);
        if (!p) {
            finish_request (r, -1, "", gerr->message);
            g_error_free (gerr);
            return; /* finish_request started the next ones */
        }
        g_subprocess_communicate_async (p, r->input, NULL, communicated, r);
    }
}

void flurm_flux_queue (struct flurm_flux *f, const char *const *args, const char *input,
                       flurm_flux_done_fn done, void *arg)
{
    struct request *r = g_new0 (struct request, 1);
    r->argv = make_argv (f, args);
    /* an empty stdin rather than none: communicate wants a buffer to send */
    r->input = g_bytes_new (input ? input : "", input ? strlen (input) : 0);
    r->done = done;
    r->arg = arg;
    r->f = f;
    g_queue_push_tail (&f->waiting, r);
    start_waiting (f);
}

size_t flurm_flux_busy (const struct flurm_flux *f)
{
    return f->running + g_queue_get_length ((GQueue *)&f->waiting);
}

/* ---- streams --------------------------------------------------------- */

static void stream_free (struct flurm_flux_stream *s)
{
    if (s->freed)
        *s->freed = true;
    g_object_unref (s->lines);
    g_object_unref (s->proc);
    g_object_unref (s->cancel);
    g_string_free (s->last, TRUE);
    g_free (s);
}

static void stream_waited (GObject *source, GAsyncResult *res, gpointer data)
{
    struct flurm_flux_stream *s = data;
    bool ok = g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
    if (!s->stopped && s->end) {
        int status = ok ? exit_status (s->proc) : -1;
        s->end (s->arg, status, s->last->str);
    }
    stream_free (s);
}

static void stream_read (GObject *source, GAsyncResult *res, gpointer data)
{
    struct flurm_flux_stream *s = data;
    gsize len = 0;
    char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res,
                                                            &len, NULL);
    if (s->stopped) {
        g_free (line);
        stream_free (s);
        return;
    }
    if (!line) { /* end of output (or an unreadable line): wait for the exit */
        g_subprocess_wait_async (s->proc, s->cancel, stream_waited, s);
        return;
    }
    g_string_assign (s->last, line);
    s->in_callback = true;
    s->line (s->arg, line);
    s->in_callback = false;
    g_free (line);
    if (s->stopped) { /* stopped from inside the callback */
        stream_free (s);
        return;
    }
    g_data_input_stream_read_line_async (s->lines, G_PRIORITY_DEFAULT, s->cancel, stream_read,
                                         s);
}

struct flurm_flux_stream *flurm_flux_stream_start (struct flurm_flux *f,
                                                   const char *const *args, bool input,
                                                   flurm_flux_line_fn line,
                                                   flurm_flux_end_fn end, void *arg,
                                                   flurm_error_t *err)
{
    char **argv = make_argv (f, args);
    GError *gerr = NULL;
    /* Errors are merged into the lines: a dying command's last words are
     * then its error text, and no second pipe can fill up and block it. */
    GSubprocess *p = g_subprocess_newv ((const char *const *)argv,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                            | G_SUBPROCESS_FLAGS_STDERR_MERGE
                                            | (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                     : G_SUBPROCESS_FLAGS_NONE),
                                        &gerr);
    if (!p) {
        char *name = command_name (argv);
        flurm_error_set (err, "%s: %s", name, gerr->message);
        g_free (name);
        g_error_free (gerr);
        g_strfreev (argv);
        return NULL;
    }
    g_strfreev (argv);
    struct flurm_flux_stream *s = g_new0 (struct flurm_flux_stream, 1);
    s->proc = p;
    s->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
    s->cancel = g_cancellable_new ();
    s->line = line;
    s->end = end;
    s->arg = arg;
    s->last = g_string_new (NULL);
    g_data_input_stream_read_line_async (s->lines, G_PRIORITY_DEFAULT, s->cancel, stream_read,
                                         s);
    return s;
}

int flurm_flux_stream_write (struct flurm_flux_stream *s, const char *text,
                             flurm_error_t *err)
{
    GOutputStream *in = s && !s->stopped ? g_subprocess_get_stdin_pipe (s->proc) : NULL;
    GError *gerr = NULL;
    if (!in)
        return flurm_error_set (err, "the command takes no input (or has stopped)");
    if (!g_output_stream_write_all (in, text, strlen (text), NULL, NULL, &gerr)) {
        flurm_error_set (err, "writing to the command: %s", gerr->message);
        g_error_free (gerr);
        return -1;
    }
    return 0;
}

void flurm_flux_stream_stop (struct flurm_flux_stream *s)
{
    if (!s || s->stopped)
        return;
    s->stopped = true;
    g_subprocess_force_exit (s->proc);
    g_cancellable_cancel (s->cancel);
    if (s->in_callback)
        return;
    /* The read or wait in flight returns cancelled and frees s: wait for
     * it, so that nothing of the stream outlives this call. */
    bool *freed = g_new0 (bool, 1);
    s->freed = freed;
    while (!*freed)
        g_main_context_iteration (NULL, TRUE);
    g_free (freed);
}
