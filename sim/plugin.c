/* sim/plugin.c — loading plugins with glib's GModule.
 *
 * State, kept for the life of the program (plugins are never unloaded,
 * since the registries point into them):
 *  - `files`: one struct file per plugin loaded, in load order; `paths`
 *    the same paths as a plain array for flurm_plugin_paths;
 *  - `owners`: which file registered which (kind, name), so that a clash
 *    between two plugins names the other file, not just "taken".
 * During one init, what the plugin registers is only staged (struct
 * loading); it reaches the registries after init succeeded and every
 * registration was accepted, which makes a load all or nothing without
 * any way to unregister.  Each registration is checked when it is made,
 * against the registries and the staged ones, so that the commit cannot
 * fail.
 *
 * The file is checked by hand before dlopen (exists, regular, ELF magic)
 * because dlopen's own messages are vague ("invalid ELF header") and it
 * searches the library path for a name without a '/': the loader opens
 * the file's absolute path, so `--plugin x.so` means ./x.so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmodule.h>

#include "sim/plugin.h"

enum kind { QUEUE_POLICY, PAIRING_RULE, MATCH_POLICY, NKINDS };

static const char *const kind_names[NKINDS] = {"queue policy", "pairing rule",
                                               "match policy"};

struct file {
    char *path;
    GModule *module;
};

struct owner {
    enum kind kind;
    const char *name; /* the plugin's string */
    const char *path; /* files[i].path */
};

struct staged {
    enum kind kind;
    const void *what; /* the plugin's struct */
    const char *name;
};

/* Behind flurm_plugin.loader during one init. */
struct loading {
    GArray *staged;      /* struct staged */
    bool refused;        /* an add_* call failed: why is in `why` */
    flurm_error_t why;
};

static GPtrArray *files;  /* struct file * */
static GPtrArray *paths;  /* char *, the same as files[i]->path */
static GArray *owners;    /* struct owner */

/* ---- registration, staged ----------------------------------------------- */

/* Number of entries of kind k known to the registries now. */
static size_t known_count (enum kind k)
{
    unsigned nu;
    size_t nz;
    switch (k) {
    case QUEUE_POLICY:
        flurm_queue_policies (&nu);
        return nu;
    case PAIRING_RULE:
        flurm_pairing_rules (&nu);
        return nu;
    default:
        flurm_match_policy_list (&nz);
        return nz;
    }
}

static size_t registry_max (enum kind k)
{
    return k == QUEUE_POLICY ? FLURM_QUEUE_POLICIES_MAX
           : k == PAIRING_RULE ? FLURM_PAIRING_RULES_MAX : FLURM_MATCH_POLICIES_MAX;
}

static bool known_name (enum kind k, const char *name)
{
    switch (k) {
    case QUEUE_POLICY:
        return flurm_queue_policy_lookup (name, NULL) != NULL;
    case PAIRING_RULE:
        return flurm_pairing_lookup (name, NULL) != NULL;
    default: {
        size_t n;
        const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
        for (size_t i = 0; i < n; i++)
            if (!strcmp (list[i].name, name))
                return true;
        return false;
    }
    }
}

static const char *name_problem (const char *name)
{
    if (!name || !*name)
        return "is empty";
    if (strlen (name) > FLURM_PLUGIN_NAME_MAX)
        return "is longer than " G_STRINGIFY (FLURM_PLUGIN_NAME_MAX) " bytes";
    if (!g_ascii_isalpha (name[0]))
        return "does not start with a letter";
    for (const char *c = name; *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
            return "holds a character other than a letter, a digit, '-' or '_'";
    return NULL;
}

static int refuse (struct loading *l, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* Record why a registration was refused (the first reason counts). */
static int refuse (struct loading *l, const char *fmt, ...)
{
    if (!l->refused) {
        va_list ap;
        va_start (ap, fmt);
        flurm_error_vset (&l->why, fmt, ap);
        va_end (ap);
        l->refused = true;
    }
    return -1;
}

/* Stage (k, name, what) if nothing known or staged has that name and the
 * registry has room for everything staged. */
static int stage (struct flurm_plugin *p, enum kind k, const char *name, const void *what)
{
    struct loading *l = p->loader;
    const char *kn = kind_names[k];
    const char *problem = name_problem (name);
    if (problem)
        return refuse (l, "%s name '%s' %s", kn, name ? FLURM_ESCAPED (name) : "", problem);
    size_t nstaged = 0;
    for (guint i = 0; i < l->staged->len; i++) {
        const struct staged *s = &g_array_index (l->staged, struct staged, i);
        if (s->kind != k)
            continue;
        if (!strcmp (s->name, name))
            return refuse (l, "registers %s '%s' twice", kn, name);
        nstaged++;
    }
    for (guint i = 0; owners && i < owners->len; i++) {
        const struct owner *o = &g_array_index (owners, struct owner, i);
        if (o->kind == k && !strcmp (o->name, name))
            return refuse (l, "%s '%s' is defined by plugin %s already", kn, name, o->path);
    }
    if (known_name (k, name))
        return refuse (l, "%s '%s' clashes with a built-in one", kn, name);
    if (known_count (k) + nstaged >= registry_max (k))
        return refuse (l, "%s '%s': no room left, %zu are known already", kn, name,
                       known_count (k) + nstaged);
    struct staged s = {k, what, name};
    g_array_append_val (l->staged, s);
    return 0;
}

static int add_queue_policy (struct flurm_plugin *p, const struct flurm_queue_policy *q)
{
    if (!q || !q->reservation_depth)
        return refuse (p->loader, "a queue policy needs a reservation_depth function");
    return stage (p, QUEUE_POLICY, q->name, q);
}

/* A queue policy this plugin registered before (it reaches the registry
 * first at the commit, as it was staged first). */
static bool staged_queue_policy (const struct loading *l, const char *name)
{
    for (guint i = 0; i < l->staged->len; i++) {
        const struct staged *s = &g_array_index (l->staged, struct staged, i);
        if (s->kind == QUEUE_POLICY && !strcmp (s->name, name))
            return true;
    }
    return false;
}

static int add_pairing_rule (struct flurm_plugin *p, const struct flurm_pairing_rule *r)
{
    struct loading *l = p->loader;
    if (!r)
        return refuse (l, "a pairing rule cannot be NULL");
    if (stage (p, PAIRING_RULE, r->name, r) < 0)
        return -1;
    /* the engine looks the forced policy up only when a sharing queue is
     * set up, far from the plugin: a typo is caught here instead */
    flurm_error_t err;
    if (r->queue_policy && !staged_queue_policy (l, r->queue_policy)
        && !flurm_queue_policy_lookup (r->queue_policy, &err)) {
        g_array_set_size (l->staged, l->staged->len - 1);
        return refuse (l, "pairing rule '%s': %s", r->name, err.text);
    }
    return 0;
}

static int add_match_policy (struct flurm_plugin *p, const struct flurm_match_policy_info *m)
{
    if (!m || !m->init)
        return refuse (p->loader, "a match policy needs an init function");
    return stage (p, MATCH_POLICY, m->name, m);
}

/* Hand the staged registrations to the registries (checked when staged). */
static int commit (struct loading *l, const char *path, flurm_error_t *err)
{
    if (!owners)
        owners = g_array_new (FALSE, FALSE, sizeof (struct owner));
    for (guint i = 0; i < l->staged->len; i++) {
        const struct staged *s = &g_array_index (l->staged, struct staged, i);
        int rc = s->kind == QUEUE_POLICY ? flurm_queue_policy_register (s->what, err)
                 : s->kind == PAIRING_RULE ? flurm_pairing_register (s->what, err)
                                           : flurm_match_policy_register (s->what, err);
        if (rc < 0)
            return -1;
        struct owner o = {s->kind, s->name, path};
        g_array_append_val (owners, o);
    }
    return 0;
}

/* ---- the file ------------------------------------------------------------ */

/* Exists, is a regular file, and starts like an ELF object.  Opened
 * without blocking, so that a fifo is refused rather than waited on. */
static int check_file (const char *path, flurm_error_t *err)
{
    int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return flurm_error_set (err, "%s: cannot open: %s", path, strerror (errno));
    struct stat st;
    unsigned char magic[4] = {0};
    ssize_t got = -1;
    int rc = 0;
    if (fstat (fd, &st) < 0)
        rc = flurm_error_set (err, "%s: cannot read: %s", path, strerror (errno));
    else if (S_ISDIR (st.st_mode))
        rc = flurm_error_set (err, "%s: is a folder, not a file", path);
    else if (!S_ISREG (st.st_mode))
        rc = flurm_error_set (err, "%s: not a shared object (not a regular file)", path);
    else if ((got = read (fd, magic, sizeof (magic))) < 0)
        rc = flurm_error_set (err, "%s: cannot read: %s", path, strerror (errno));
    else if (got != (ssize_t)sizeof (magic) || memcmp (magic, "\177ELF", 4) != 0)
        rc = flurm_error_set (err, "%s: not a shared object (no ELF header; build it with "
                              "cc -shared -fPIC)", path);
    close (fd);
    return rc;
}

/* dlopen's message without the file name it usually starts with. */
static const char *strip_path (const char *msg, const char *abs)
{
    size_t n = strlen (abs);
    if (!strncmp (msg, abs, n) && msg[n] == ':')
        for (msg += n + 1; *msg == ' '; msg++)
            ;
    return msg;
}

static struct file *find_loaded (GModule *module)
{
    for (guint i = 0; files && i < files->len; i++) {
        struct file *f = g_ptr_array_index (files, i);
        if (f->module == module)
            return f;
    }
    return NULL;
}

/* Run the plugin's init and keep what it registered, or nothing. */
static int run_init (GModule *module, const char *path, const struct flurm_plugin_entry *entry,
                     flurm_error_t *err)
{
    struct loading l = {.staged = g_array_new (FALSE, FALSE, sizeof (struct staged))};
    struct flurm_plugin p = {
        .abi = FLURM_PLUGIN_ABI,
        .path = path,
        .add_queue_policy = add_queue_policy,
        .add_pairing_rule = add_pairing_rule,
        .add_match_policy = add_match_policy,
        .loader = &l,
    };
    flurm_error_t why = {{0}};
    int rc = entry->init (&p, &why);
    if (l.refused)
        rc = flurm_error_set (err, "%s: %s", path, l.why.text);
    else if (rc != 0)
        rc = flurm_error_set (err, "%s: its init failed%s%s", path, why.text[0] ? ": " : "",
                              why.text);
    else if (l.staged->len == 0)
        rc = flurm_error_set (err, "%s: registers no policy", path);
    else {
        struct file *f = g_new (struct file, 1);
        f->path = g_strdup (path);
        f->module = module;
        if (!files) {
            files = g_ptr_array_new ();
            paths = g_ptr_array_new ();
        }
        g_ptr_array_add (files, f);
        g_ptr_array_add (paths, f->path);
        if (commit (&l, f->path, err) < 0)
            rc = flurm_error_prefix (err, "%s", path);
        /* the registries point into it now: it must never go */
        g_module_make_resident (module);
    }
    g_array_free (l.staged, TRUE);
    return rc;
}

int flurm_plugin_load (const char *path, flurm_error_t *err)
{
    if (!path || !*path)
        return flurm_error_set (err, "empty plugin file name");
    if (check_file (path, err) < 0)
        return -1;
    char *abs = realpath (path, NULL);
    if (!abs)
        return flurm_error_set (err, "%s: cannot open: %s", path, strerror (errno));
    /* every symbol bound now, so that a missing one is a load error and not
     * a crash later; local, so that two plugins may use the same names */
    GError *gerr = NULL;
    GModule *module = g_module_open_full (abs, G_MODULE_BIND_LOCAL, &gerr);
    if (!module) {
        flurm_error_set (err, "%s: cannot load: %s", path, strip_path (gerr->message, abs));
        g_error_free (gerr);
        free (abs);
        return -1;
    }
    free (abs);
    if (find_loaded (module)) {
        g_module_close (module); /* only the reference just taken */
        return 0;
    }
    gpointer sym = NULL;
    int rc = 0;
    if (!g_module_symbol (module, "flurm_plugin_entry", &sym) || !sym)
        rc = flurm_error_set (err, "%s: no entry point: it does not define flurm_plugin_entry "
                              "(see FLURM_PLUGIN_ENTRY in sim/plugin.h)", path);
    else if (((const struct flurm_plugin_entry *)sym)->abi != FLURM_PLUGIN_ABI)
        rc = flurm_error_set (err, "%s: built for plugin ABI %u, this flurm-sim has ABI %u "
                              "(rebuild it against this version's headers)", path,
                              ((const struct flurm_plugin_entry *)sym)->abi, FLURM_PLUGIN_ABI);
    else if (!((const struct flurm_plugin_entry *)sym)->init)
        rc = flurm_error_set (err, "%s: flurm_plugin_entry has no init function", path);
    else
        rc = run_init (module, path, sym, err);
    if (rc < 0 && !find_loaded (module))
        g_module_close (module);
    return rc;
}

const char *const *flurm_plugin_paths (size_t *n)
{
    *n = paths ? paths->len : 0;
    return paths ? (const char *const *)paths->pdata : NULL;
}
