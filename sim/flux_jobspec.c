/* sim/flux_jobspec.c — the jobspec Flurm submits to Flux (see flux_jobspec.h).
 *
 * The jobspec is written by flurm_jobspec_to_json and then edited as JSON:
 * inserting a socket level or replacing attributes is a small change to a
 * tree, and the result is read back through flurm_jobspec_from_json, so
 * there is no second writer and no second set of jobspec rules here.  What
 * this file adds is only what Flux needs beyond those rules:
 *  - flux-core's V1 validator takes integer counts only and the job shell
 *    runs one task entry, so count ranges and extra tasks are refused
 *    rather than submitted to fail later;
 *  - on a socket graph every shared node directly above a slot gets a
 *    socket level (issue 498).  An exclusive node needs none: Fluxion
 *    takes it whole and carves the slots inside it;
 *  - the tasks are counted as flux-core counts them: where a socket (or
 *    any level but node) is above a slot, per_slot becomes the total it
 *    means, or the job shell would start too few;
 *  - the options own duration, queue, job.name and exec.test: whatever
 *    the jobspec said about them is replaced (or removed when the option
 *    is unset), so that one trace job always gives the same submission.
 * A placement is turned into a Flurm jobspec (resources + a hostlist
 * constraint) and goes through the same path, so both entry points
 * produce their attributes in one place.
 */
#include "sim/flux_jobspec.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/hostlist.h"
#include "sim/jsonutil.h"
#include "sim/workload.h"

/* ---- options ----------------------------------------------------------- */

static bool valid_seconds (double s, double low)
{
    return s >= low && s <= FLURM_WORKLOAD_MAX_TIME; /* false for NaN */
}

/* The hostlist option in the canonical form Flux prints, or NULL. */
static char *canonical_hostlist (const char *text, flurm_error_t *err)
{
    flurm_error_t why;
    struct flurm_hostlist *hl = flurm_hostlist_decode (text, &why);
    if (!hl) {
        flurm_error_set (err, "hostlist option: %s", why.text);
        return NULL;
    }
    char *out = flurm_hostlist_count (hl) > 0 ? flurm_hostlist_encode (hl) : NULL;
    flurm_hostlist_destroy (hl);
    if (!out)
        flurm_error_set (err, "hostlist option is empty: a job restricted to no host never runs");
    return out;
}

static int check_options (const struct flurm_flux_submit *opt, flurm_error_t *err)
{
    if (!opt)
        return flurm_error_set (err, "no submit options");
    if (!(opt->duration > 0) || !valid_seconds (opt->duration, 0))
        return flurm_error_set (err,
                                "duration must be a number of seconds > 0 and <= %g (got %g); "
                                "Flux reads 0 as unlimited",
                                FLURM_WORKLOAD_MAX_TIME, opt->duration);
    if (opt->test_exec && !valid_seconds (opt->run_duration, FLURM_FLUX_MIN_RUN_DURATION))
        return flurm_error_set (err,
                                "run duration must be a number of seconds >= %g and <= %g "
                                "(got %g)",
                                FLURM_FLUX_MIN_RUN_DURATION, FLURM_WORKLOAD_MAX_TIME,
                                opt->run_duration);
    bool has_command = opt->command && opt->command[0];
    if (!opt->test_exec && !has_command)
        return flurm_error_set (err, "no command to run: give one, or use the test executor");
    if (has_command && opt->command[0][0] == '\0')
        return flurm_error_set (err, "the command starts with an empty program name");
    if (opt->name && opt->name[0] == '\0')
        return flurm_error_set (err, "the job name is empty (leave it unset for none)");
    if (opt->queue && opt->queue[0] == '\0')
        return flurm_error_set (err, "the queue name is empty (leave it unset for none)");
    return 0;
}

/* ---- resources --------------------------------------------------------- */

static bool is_type (const json_t *res, const char *type)
{
    const char *t = json_string_value (json_object_get (res, "type"));
    return t && strcmp (t, type) == 0;
}

/* flux-core's V1 validator: "resource count must be an integer". */
static int check_counts (const json_t *list, flurm_error_t *err)
{
    size_t i;
    const json_t *res;
    json_array_foreach (list, i, res)
    {
        const json_t *count = json_object_get (res, "count");
        if (!json_is_integer (count))
            return flurm_error_set (err,
                                    "the %s count is a range (min %" JSON_INTEGER_FORMAT
                                    "); Flux's version 1 jobspec takes whole numbers only",
                                    json_string_value (json_object_get (res, "type")),
                                    json_integer_value (json_object_get (count, "min")));
        const json_t *with = json_object_get (res, "with");
        if (with && check_counts (with, err) < 0)
            return -1;
    }
    return 0;
}

/* Put a socket level between the shared node `node` and its slot child at
 * index j: node -> slot[k] becomes node -> socket[S] -> slot[k/S]. */
static int add_socket_level (json_t *node, size_t j, uint32_t sockets, flurm_error_t *err)
{
    json_t *with = json_object_get (node, "with");
    json_t *slot = json_array_get (with, j);
    json_int_t nodes = json_integer_value (json_object_get (node, "count"));
    json_int_t k = json_integer_value (json_object_get (slot, "count"));
    if (k % sockets != 0)
        return flurm_error_set (
            err,
            "node[%" JSON_INTEGER_FORMAT "] -> slot[%" JSON_INTEGER_FORMAT "]: Fluxion never "
            "matches slots right under a shared node on a graph with sockets (flux-sched issue "
            "498), and %" JSON_INTEGER_FORMAT " slots do not split evenly over %" PRIu32
            " sockets; ask for a multiple of %" PRIu32 " slots per node, for whole nodes "
            "(node-exclusive), or for slots without a node level",
            nodes, k, k, sockets, sockets);
    json_t *moved = json_deep_copy (slot);
    json_object_set_new (moved, "count", json_integer (k / sockets));
    json_t *socket = json_pack ("{s:s s:I s:[o]}", "type", "socket", "count", (json_int_t)sockets,
                                "with", moved);
    json_array_set_new (with, j, socket);
    return 0;
}

static int rewrite_for_sockets (json_t *list, uint32_t sockets, flurm_error_t *err)
{
    size_t i;
    json_t *res;
    json_array_foreach (list, i, res)
    {
        json_t *with = json_object_get (res, "with");
        if (!with)
            continue;
        if (is_type (res, "node") && !json_is_true (json_object_get (res, "exclusive"))) {
            for (size_t j = 0; j < json_array_size (with); j++) {
                if (is_type (json_array_get (with, j), "slot") &&
                    add_socket_level (res, j, sockets, err) < 0)
                    return -1;
            }
        }
        if (rewrite_for_sockets (with, sockets, err) < 0)
            return -1;
    }
    return 0;
}

/* Does a level other than node stand above some slot?  flux-core (the job
 * shell, job-list) counts a per_slot job's tasks as node counts x slot
 * count and skips every other level: node[1] -> socket[2] -> slot[5] with
 * per_slot 1 runs 5 tasks, not 10. */
static bool slots_under_other_levels (const json_t *list, bool other_above)
{
    size_t i;
    const json_t *res;
    json_array_foreach (list, i, res)
    {
        if (is_type (res, "slot")) {
            if (other_above)
                return true;
            continue;
        }
        const json_t *with = json_object_get (res, "with");
        if (with && slots_under_other_levels (with, other_above || !is_type (res, "node")))
            return true;
    }
    return false;
}

/* Write per_slot as the total it means when flux-core would count fewer
 * slots than the jobspec holds. */
static int count_tasks_in_total (json_t *o, uint64_t nslots, flurm_error_t *err)
{
    json_t *count = json_object_get (json_array_get (json_object_get (o, "tasks"), 0), "count");
    json_t *per_slot = json_object_get (count, "per_slot");
    if (!per_slot || !slots_under_other_levels (json_object_get (o, "resources"), false))
        return 0;
    uint64_t total = nslots * (uint64_t)json_integer_value (per_slot);
    if (total / nslots != (uint64_t)json_integer_value (per_slot) ||
        total > FLURM_JOBSPEC_MAX_COUNT)
        return flurm_error_set (err,
                                "%" PRIu64 " slots x %" JSON_INTEGER_FORMAT " tasks each "
                                "are more tasks than a jobspec can count",
                                nslots, json_integer_value (per_slot));
    json_object_del (count, "per_slot");
    json_object_set_new (count, "total", json_integer ((json_int_t)total));
    return 0;
}

/* ---- attributes -------------------------------------------------------- */

/* Remove object[key] and then object itself from parent when it is left
 * empty, so that no {"job": {}} remains of a dropped name. */
static void del_nested (json_t *parent, const char *object, const char *key)
{
    json_t *o = json_object_get (parent, object);
    json_object_del (o, key);
    if (json_is_object (o) && json_object_size (o) == 0)
        json_object_del (parent, object);
}

/* The object parent[key], created when absent or not an object. */
static json_t *object_at (json_t *parent, const char *key)
{
    json_t *o = json_object_get (parent, key);
    if (!json_is_object (o)) {
        o = json_object ();
        json_object_set_new (parent, key, o);
    }
    return o;
}

static void set_system (json_t *system, const struct flurm_flux_submit *opt, const char *hostlist)
{
    json_object_set_new (system, "duration", flurm_json_number (opt->duration));
    if (opt->queue)
        json_object_set_new (system, "queue", json_string (opt->queue));
    else
        json_object_del (system, "queue");
    if (opt->name)
        json_object_set_new (object_at (system, "job"), "name", json_string (opt->name));
    else
        del_nested (system, "job", "name");
    del_nested (system, "exec", "test");
    if (opt->test_exec) {
        char text[64];
        snprintf (text, sizeof (text), "%.3fs", opt->run_duration);
        json_object_set_new (object_at (system, "exec"), "test",
                             json_pack ("{s:s}", "run_duration", text));
    }
    /* they name job ids of the instance the jobspec came from */
    json_object_del (system, "dependencies");
    if (hostlist) {
        json_t *hosts = json_pack ("{s:[s]}", "hostlist", hostlist);
        json_t *own = json_object_get (system, "constraints");
        json_t *c = own ? json_pack ("{s:[O o]}", "and", own, hosts) : hosts;
        json_object_set_new (system, "constraints", c);
    }
}

static void set_command (json_t *task, const struct flurm_flux_submit *opt)
{
    json_t *argv = json_array ();
    if (opt->command && opt->command[0]) {
        for (const char *const *arg = opt->command; *arg; arg++)
            json_array_append_new (argv, json_string (*arg));
    } else {
        json_array_append_new (argv, json_string ("true"));
    }
    json_object_set_new (task, "command", argv);
}

/* ---- the jobspec ------------------------------------------------------- */

json_t *flurm_flux_jobspec (const struct flurm_jobspec *js, uint32_t sockets_per_node,
                            const struct flurm_flux_submit *opt, flurm_error_t *err)
{
    if (!js) {
        flurm_error_set (err, "no jobspec");
        return NULL;
    }
    if (check_options (opt, err) < 0)
        return NULL;
    if (js->ntasks != 1) {
        flurm_error_set (err, "Flux runs one task entry per jobspec; this one has %zu", js->ntasks);
        return NULL;
    }
    char *hostlist = NULL;
    if (opt->hostlist && !(hostlist = canonical_hostlist (opt->hostlist, err)))
        return NULL;
    json_t *o = flurm_jobspec_to_json (js);
    json_t *resources = json_object_get (o, "resources");
    if (check_counts (resources, err) < 0 ||
        (sockets_per_node > 0 && rewrite_for_sockets (resources, sockets_per_node, err) < 0) ||
        count_tasks_in_total (o, flurm_jobspec_nslots (js), err) < 0)
        goto error;
    set_command (json_array_get (json_object_get (o, "tasks"), 0), opt);
    set_system (json_object_get (json_object_get (o, "attributes"), "system"), opt, hostlist);

    struct flurm_jobspec *back = flurm_jobspec_from_json (o, "Flux jobspec", err);
    if (!back)
        goto error;
    flurm_jobspec_destroy (back);
    g_free (hostlist);
    return o;
error:
    g_free (hostlist);
    json_decref (o);
    return NULL;
}

/* ---- placements -------------------------------------------------------- */

/* What the nodes of a placement have in common. */
struct usage {
    uint64_t total;   /* cores over all nodes */
    uint64_t most;    /* cores of the fullest node */
    bool uniform;     /* every node: `sockets` sockets of `per_socket` cores */
    uint32_t sockets; /* sockets used per node (uniform only) */
    uint32_t per_socket;
};

/* Add node i to hl and s; errors name the host. */
static int add_node (const struct flurm_flux_placement *p, size_t i, struct flurm_hostlist *hl,
                     struct usage *s, flurm_error_t *err)
{
    const struct flurm_flux_placement_node *n = &p->nodes[i];
    flurm_error_t why;
    if (!n->host)
        return flurm_error_set (err, "placement node %zu has no host", i);
    if (flurm_hostlist_find (hl, n->host) >= 0)
        return flurm_error_set (err, "host %s appears twice in the placement",
                                FLURM_QUOTED (n->host));
    if (flurm_hostlist_append_host (hl, n->host, &why) < 0)
        return flurm_error_set (err, "placement node %zu: %s", i, why.text);
    uint32_t slots = p->sockets_per_node > 0 ? p->sockets_per_node : 1;
    uint32_t used = 0, per = 0;
    uint64_t cores = 0;
    bool even = true;
    for (uint32_t j = 0; j < FLURM_FLUX_MAX_SOCKETS; j++) {
        if (n->cores[j] == 0)
            continue;
        if (j >= slots)
            return flurm_error_set (err, "host %s: cores on socket %" PRIu32 ", but %s", n->host, j,
                                    p->sockets_per_node ? "nodes have no such socket"
                                                        : "nodes hold cores directly (use "
                                                          "cores[0] only)");
        even = even && (per == 0 || n->cores[j] == per);
        per = n->cores[j];
        used++;
        cores += n->cores[j];
    }
    if (cores == 0)
        return flurm_error_set (err, "host %s uses no cores", n->host);
    if (cores % p->cores_per_task != 0)
        return flurm_error_set (err,
                                "host %s: %" PRIu64 " cores are not whole tasks of %" PRIu32
                                " cores (a task never spans nodes)",
                                n->host, cores, p->cores_per_task);
    if (i == 0) {
        s->sockets = used;
        s->per_socket = per;
    }
    s->uniform = s->uniform && even && used == s->sockets && per == s->per_socket;
    s->total += cores;
    s->most = cores > s->most ? cores : s->most;
    return 0;
}

static json_t *vertex (const char *type, uint64_t count, json_t *with)
{
    json_t *o = json_pack ("{s:s s:I}", "type", type, "count", (json_int_t)count);
    if (with)
        json_object_set_new (o, "with", json_pack ("[o]", with));
    return o;
}

/* The resources of the placement and the slots they hold, or NULL. */
static json_t *placement_resources (const struct flurm_flux_placement *p, const struct usage *s,
                                    uint64_t *nslots, flurm_error_t *err)
{
    uint32_t c = p->cores_per_task;
    bool per_node = s->uniform && s->per_socket % c == 0;
    uint64_t slot_count = per_node ? s->per_socket / c : p->exclusive ? s->most / c : s->total / c;
    if (slot_count > FLURM_JOBSPEC_MAX_COUNT) {
        flurm_error_set (err, "%" PRIu64 " slots are more than a jobspec can ask for", slot_count);
        return NULL;
    }
    json_t *slot = vertex ("slot", slot_count, vertex ("core", c, NULL));
    json_object_set_new (slot, "label", json_string ("task"));
    if (!per_node && !p->exclusive) {
        *nslots = slot_count;
        return slot;
    }
    json_t *below = slot;
    *nslots = p->nnodes * slot_count;
    if (per_node && p->sockets_per_node > 0) {
        below = vertex ("socket", s->sockets, slot);
        *nslots *= s->sockets;
    }
    json_t *node = vertex ("node", p->nnodes, below);
    if (p->exclusive)
        json_object_set_new (node, "exclusive", json_true ());
    return node;
}

json_t *flurm_flux_placement_jobspec (const struct flurm_flux_placement *p,
                                      const struct flurm_flux_submit *opt, flurm_error_t *err)
{
    if (check_options (opt, err) < 0)
        return NULL;
    if (!p || !p->nodes || p->nnodes == 0) {
        flurm_error_set (err, "the placement has no nodes");
        return NULL;
    }
    if (p->sockets_per_node > FLURM_FLUX_MAX_SOCKETS || p->cores_per_task == 0) {
        flurm_error_set (err,
                         "the placement needs 0 .. %d sockets per node and >= 1 core per task "
                         "(got %" PRIu32 " and %" PRIu32 ")",
                         FLURM_FLUX_MAX_SOCKETS, p->sockets_per_node, p->cores_per_task);
        return NULL;
    }
    if (p->nnodes > FLURM_HOSTLIST_MAX_HOSTS) {
        flurm_error_set (err, "the placement has %zu nodes, more than any cluster", p->nnodes);
        return NULL;
    }
    struct flurm_hostlist *hl = flurm_hostlist_create ();
    struct usage s = {.uniform = true};
    json_t *resources = NULL;
    uint64_t nslots = 0;
    for (size_t i = 0; i < p->nnodes; i++) {
        if (add_node (p, i, hl, &s, err) < 0)
            goto error;
    }
    if (!(resources = placement_resources (p, &s, &nslots, err)))
        goto error;
    if (p->ntasks == 0 || p->ntasks > nslots) {
        flurm_error_set (err, "the placement runs %" PRIu64 " tasks; it holds 1 .. %" PRIu64,
                         p->ntasks, nslots);
        goto error;
    }
    char *hosts = flurm_hostlist_encode (hl);
    json_t *o = json_pack ("{s:i s:[o] s:[{s:[s] s:s s:{s:I}}] s:{s:{s:i s:{s:[s]}}}}", "version",
                           1, "resources", resources, "tasks", "command", "true", "slot", "task",
                           "count", "total", (json_int_t)p->ntasks, "attributes", "system",
                           "duration", 0, "constraints", "hostlist", hosts);
    g_free (hosts);
    flurm_hostlist_destroy (hl);
    struct flurm_jobspec *js = flurm_jobspec_from_json (o, "placement", err);
    json_decref (o);
    json_t *out = js ? flurm_flux_jobspec (js, p->sockets_per_node, opt, err) : NULL;
    flurm_jobspec_destroy (js);
    return out;
error:
    json_decref (resources);
    flurm_hostlist_destroy (hl);
    return NULL;
}
