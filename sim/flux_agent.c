/* sim/flux_agent.c — see flux_agent.h.
 *
 * Invariants: `pending` maps each (kind, tag) asked and not answered to
 * its text; when the process ends, each of them goes to `lost` exactly
 * once and the agent is finished, so a request is either answered or
 * handed back, never both.  (A process that dies after Flux accepted a
 * job but before its id was printed would see that job submitted twice
 * by the fallback: the price of never waiting on a reply.)
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "sim/flux_agent.h"

/* The program `flux python` runs: requests from standard input, answers
 * as JSON lines on standard output, "ready" first so that a failure to
 * start is told apart from a slow start.  Nothing here blocks: every Flux
 * call is asynchronous, answered from the reactor. */
static const char agent[] =
    "import json, os, sys\n"
    "import flux, flux.job, flux.constants\n"
    "from flux.job.kvslookup import JobInfoLookupRPC\n"
    "h = flux.Flux()\n"
    "st = {'buf': b'', 'pending': 0, 'eof': False}\n"
    "def answer(obj):\n"
    "    sys.stdout.write(json.dumps(obj) + '\\n')\n"
    "    sys.stdout.flush()\n"
    "    st['pending'] -= 1\n"
    "    if st['eof'] and st['pending'] == 0:\n"
    "        h.reactor_stop()\n"
    "def submitted(fut, tag):\n"
    "    try:\n"
    "        answer({'kind': 'S', 'tag': tag, 'id': str(fut.get_id())})\n"
    "    except OSError as e:\n"
    "        answer({'kind': 'S', 'tag': tag, 'error': e.strerror or str(e)})\n"
    "def fetch(tag, jobid):\n"
    "    events = []\n"
    "    def got_R(rpc):\n"
    "        try:\n"
    "            R = rpc.get()['R']\n"
    "        except OSError:\n"
    "            R = None\n"
    "        answer({'kind': 'F', 'tag': tag, 'eventlog': ''.join(events), 'R': R})\n"
    "    def on_event(fut):\n"
    "        try:\n"
    "            ev = fut.get_event()\n"
    "        except OSError as e:\n"
    "            answer({'kind': 'F', 'tag': tag, 'error': e.strerror or str(e)})\n"
    "            return\n"
    "        if ev is None:\n"
    "            JobInfoLookupRPC(h, 'job-info.lookup',\n"
    "                             {'id': jobid, 'keys': ['R'], 'flags': 0}).then(got_R)\n"
    "            return\n"
    "        events.append(json.dumps({'timestamp': ev.timestamp, 'name': ev.name,\n"
    "                                  'context': ev.context}) + '\\n')\n"
    "    flux.job.event_watch_async(h, jobid).then(on_event)\n"
    "def readable(handle, watcher, fd, revents, args):\n"
    "    data = os.read(0, 65536)\n"
    "    if not data:\n"
    "        st['eof'] = True\n"
    "        watcher.stop()\n"
    "        if st['pending'] == 0:\n"
    "            h.reactor_stop()\n"
    "        return\n"
    "    st['buf'] += data\n"
    "    *lines, st['buf'] = st['buf'].split(b'\\n')\n"
    "    for line in lines:\n"
    "        kind, tag, text = line.decode().split(' ', 2)\n"
    "        st['pending'] += 1\n"
    "        try:\n"
    "            if kind == 'S':\n"
    "                flux.job.submit_async(h, text, waitable=True).then(submitted, int(tag))\n"
    "            else:\n"
    "                fetch(int(tag), int(flux.job.JobID(text)))\n"
    "        except Exception as e:\n"
    "            answer({'kind': kind, 'tag': int(tag), 'error': str(e)})\n"
    "w = h.fd_watcher_create(0, readable, events=flux.constants.FLUX_POLLIN)\n"
    "w.start()\n"
    "sys.stdout.write('ready\\n')\n"
    "sys.stdout.flush()\n"
    "h.reactor_run()\n";

struct flurm_flux_agent {
    struct flurm_flux_stream *stream;
    flurm_flux_answer_fn answer;
    flurm_flux_lost_fn lost;
    void *arg;
    GHashTable *pending;  /* key (tag << 1 | kind) -> text */
    bool ready;
    bool finished;
};

static uint64_t key_of (enum flurm_flux_request kind, uint64_t tag)
{
    return tag << 1 | (uint64_t)kind;
}

static int cmp_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The process is gone: every unanswered request goes back, in tag order,
 * so that the fallback submits jobs in the order they were asked. */
static void hand_back (struct flurm_flux_agent *a)
{
    a->finished = true;
    size_t n = g_hash_table_size (a->pending), k = 0;
    uint64_t *keys = g_new (uint64_t, n ? n : 1);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, a->pending);
    while (g_hash_table_iter_next (&it, &key, NULL))
        keys[k++] = *(const uint64_t *)key;
    qsort (keys, n, sizeof (uint64_t), cmp_u64);
    for (size_t i = 0; i < n; i++) {
        char *text = g_strdup (g_hash_table_lookup (a->pending, &keys[i]));
        g_hash_table_remove (a->pending, &keys[i]);
        a->lost (a->arg, (enum flurm_flux_request)(keys[i] & 1), keys[i] >> 1, text);
        g_free (text);
    }
    g_free (keys);
}

static void on_line (void *arg, const char *line)
{
    struct flurm_flux_agent *a = arg;
    if (!a->ready) {
        a->ready = !strcmp (line, "ready");
        return; /* anything before "ready" is the interpreter complaining */
    }
    json_t *o = json_loads (line, 0, NULL);
    json_int_t tag = -1;
    const char *kind_s = NULL, *id = NULL, *error = NULL, *eventlog = NULL, *R = NULL;
    if (!o
        || json_unpack (o, "{s:s, s:I, s?s, s?s, s?s, s?s}", "kind", &kind_s, "tag", &tag,
                        "id", &id, "error", &error, "eventlog", &eventlog, "R", &R) < 0
        || tag < 0) {
        json_decref (o);
        return; /* not an answer: a stray message */
    }
    enum flurm_flux_request kind = !strcmp (kind_s, "F") ? FLURM_FLUX_FETCH : FLURM_FLUX_SUBMIT;
    uint64_t k = key_of (kind, (uint64_t)tag);
    if (g_hash_table_remove (a->pending, &k)) {
        struct flurm_flux_agent_answer ans = {kind, (uint64_t)tag, id, error, eventlog, R};
        a->answer (a->arg, &ans);
    }
    json_decref (o);
}

static void on_end (void *arg, int status, const char *errtext)
{
    struct flurm_flux_agent *a = arg;
    (void)status, (void)errtext;
    a->stream = NULL; /* it frees itself after this call */
    hand_back (a);
}

struct flurm_flux_agent *flurm_flux_agent_start (struct flurm_flux *f,
                                                 flurm_flux_answer_fn answer,
                                                 flurm_flux_lost_fn lost, void *arg,
                                                 flurm_error_t *err)
{
    struct flurm_flux_agent *a = g_new0 (struct flurm_flux_agent, 1);
    a->answer = answer;
    a->lost = lost;
    a->arg = arg;
    a->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    const char *args[] = {"python", "-c", agent, NULL};
    a->stream = flurm_flux_stream_start (f, args, true, on_line, on_end, a, err);
    if (!a->stream) {
        g_hash_table_destroy (a->pending);
        g_free (a);
        return NULL;
    }
    return a;
}

int flurm_flux_agent_ask (struct flurm_flux_agent *a, enum flurm_flux_request kind,
                          uint64_t tag, const char *text)
{
    if (!a || a->finished || !a->stream)
        return -1;
    char *line = g_strdup_printf ("%c %" G_GUINT64_FORMAT " %s\n",
                                  kind == FLURM_FLUX_SUBMIT ? 'S' : 'F', tag, text);
    uint64_t *key = g_new (uint64_t, 1);
    *key = key_of (kind, tag);
    g_hash_table_insert (a->pending, key, g_strdup (text));
    int rc = flurm_flux_stream_write (a->stream, line, NULL);
    g_free (line);
    if (rc < 0) { /* it died: this request and the others go back */
        flurm_flux_stream_stop (a->stream);
        a->stream = NULL;
        hand_back (a);
    }
    return 0;
}

bool flurm_flux_agent_ready (const struct flurm_flux_agent *a)
{
    return a && a->ready && !a->finished;
}

bool flurm_flux_agent_alive (const struct flurm_flux_agent *a)
{
    return a && !a->finished;
}

size_t flurm_flux_agent_pending (const struct flurm_flux_agent *a)
{
    return a ? g_hash_table_size (a->pending) : 0;
}

void flurm_flux_agent_destroy (struct flurm_flux_agent *a)
{
    if (!a)
        return;
    flurm_flux_stream_stop (a->stream);
    g_hash_table_destroy (a->pending);
    g_free (a);
}
