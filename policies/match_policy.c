/* policies/match_policy.c — the registry of match policies, and Fluxion's
 * custom policy strings.
 *
 * The table below is the only list of policies (the built-ins, then those
 * registered at run time, in room kept for them): a name resolves to its
 * init function; anything else must be a custom string of key=value words
 * separated by single spaces, as Fluxion's policy factory accepts them
 * (keys policy, node_centric, node_exclusive, stop_on_1_matches).  Where
 * Fluxion silently lets a repeated key through (the last `policy=` is not
 * the one used), Flurm refuses it.
 */
#include "policies/match_policy.h"

#include <string.h>

/* The built-ins, one line each, in the order `--help` lists them. */
#define BUILTINS \
    {"first", "first match found, nodes with most free cores first (Fluxion's default)", \
     flurm_policy_first_init}, \
    {"firstnodex", "first, every node used is held whole", flurm_policy_firstnodex_init}, \
    {"low", "lowest ids first at every level", flurm_policy_low_init}, \
    {"high", "highest ids first at every level", flurm_policy_high_init}, \
    {"lonode", "lowest node id first, then lowest ids inside", flurm_policy_lonode_init}, \
    {"hinode", "highest node id first, then highest ids inside", flurm_policy_hinode_init}, \
    {"lonodex", "lonode, every node used is held whole", flurm_policy_lonodex_init}, \
    {"hinodex", "hinode, every node used is held whole", flurm_policy_hinodex_init}, \
    {"locality", "highest run of consecutive ids first", flurm_policy_locality_init}, \
    {"variation", "lowest perf_class node property first", flurm_policy_variation_init}, \
    {"pack", "fewest nodes, then fewest sockets (Flurm's own)", flurm_policy_pack_init},

static struct flurm_match_policy_info policies[FLURM_MATCH_POLICIES_MAX] = {BUILTINS};

/* counted by the compiler, so a new built-in is one line in BUILTINS */
#define NBUILTIN (sizeof ((struct flurm_match_policy_info[]){BUILTINS}) / sizeof (policies[0]))

static size_t npolicies = NBUILTIN;

const struct flurm_match_policy_info *flurm_match_policy_list (size_t *n)
{
    *n = npolicies;
    return policies;
}

int flurm_match_policy_register (const struct flurm_match_policy_info *info,
                                 flurm_error_t *err)
{
    if (!info || !info->name || !*info->name || !info->init)
        return flurm_error_set (err, "a match policy needs a name and an init function");
    if (!strcmp (info->name, "custom") || strpbrk (info->name, "= "))
        return flurm_error_set (err, "match policy name '%s' would read as a custom policy "
                                "string", info->name);
    for (size_t i = 0; i < npolicies; i++) {
        if (!strcmp (info->name, policies[i].name))
            return flurm_error_set (err, "match policy '%s' exists already (%s)", info->name,
                                    i < NBUILTIN ? "built-in" : "registered before");
    }
    if (npolicies == FLURM_MATCH_POLICIES_MAX)
        return flurm_error_set (err, "match policy '%s': no room, %zu policies are known "
                                "already", info->name, npolicies);
    policies[npolicies++] = *info;
    return 0;
}

/* Parse "true"/"false" for key `key`. */
static int parse_bool (const char *key, const char *value, bool *out,
                       flurm_error_t *err)
{
    if (!strcmp (value, "true"))
        *out = true;
    else if (!strcmp (value, "false"))
        *out = false;
    else
        return flurm_error_set (err, "match policy option %s must be true or false, not '%s'",
                                key, value);
    return 0;
}

static int parse_custom (struct flurm_match_policy *p, const char *spec,
                         const struct flurm_graph *g, flurm_error_t *err)
{
    enum { POLICY, NODE_CENTRIC, NODE_EXCLUSIVE, STOP_ON_1, NKEYS };
    static const char *const keys[NKEYS] = {"policy", "node_centric", "node_exclusive",
                                            "stop_on_1_matches"};
    bool seen[NKEYS] = {false};
    bool value[NKEYS] = {false};
    bool high = false;
    const char *s = spec;

    for (;;) {
        const char *end = strchr (s, ' ');
        size_t len = end ? (size_t)(end - s) : strlen (s);
        char word[128];
        if (len == 0 || len >= sizeof (word))
            return flurm_error_set (err, "unknown match policy '%s' (a name such as first, "
                                    "or key=value words separated by single spaces)", spec);
        memcpy (word, s, len);
        word[len] = '\0';
        char *eq = strchr (word, '=');
        if (!eq) {
            char names[256] = "";
            size_t n;
            const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
            for (size_t i = 0; i < n; i++) {
                strncat (names, i ? ", " : "", sizeof (names) - strlen (names) - 1);
                strncat (names, list[i].name, sizeof (names) - strlen (names) - 1);
            }
            return flurm_error_set (err, "unknown match policy '%s' (known: %s; or a Fluxion "
                                    "custom string such as 'policy=low node_centric=true')",
                                    spec, names);
        }
        *eq = '\0';
        const char *v = eq + 1;
        int k;
        for (k = 0; k < NKEYS && strcmp (word, keys[k]) != 0; k++)
            ;
        if (k == NKEYS)
            return flurm_error_set (err, "invalid match policy option '%s' in '%s' (expected "
                                    "policy, node_centric, node_exclusive or stop_on_1_matches)",
                                    word, spec);
        if (seen[k])
            return flurm_error_set (err, "match policy option %s given twice in '%s'", word,
                                    spec);
        seen[k] = true;
        if (k == POLICY) {
            if (!strcmp (v, "high"))
                high = true;
            else if (strcmp (v, "low") != 0)
                return flurm_error_set (err, "match policy option policy accepts only low or "
                                        "high, not '%s'", v);
        }
        else if (parse_bool (word, v, &value[k], err) < 0)
            return -1;
        if (!end)
            break;
        s = end + 1;
    }
    if (!seen[POLICY])
        return flurm_error_set (err, "custom match policy '%s' needs policy=low or policy=high",
                                spec);
    flurm_policy_multilevel_init (p, g, high, value[NODE_CENTRIC], value[NODE_EXCLUSIVE],
                                  value[STOP_ON_1]);
    p->name = "custom";
    return 0;
}

int flurm_match_policy_init (struct flurm_match_policy *p, const char *spec,
                             const struct flurm_graph *g, flurm_error_t *err)
{
    memset (p, 0, sizeof (*p));
    if (!spec || !*spec)
        return flurm_error_set (err, "empty match policy name");
    size_t n;
    const struct flurm_match_policy_info *list = flurm_match_policy_list (&n);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp (spec, list[i].name)) {
            if (list[i].init (p, g, err) < 0)
                return -1;
            p->name = list[i].name;
            return 0;
        }
    }
    return parse_custom (p, spec, g, err);
}

void flurm_match_policy_fini (struct flurm_match_policy *p)
{
    if (p && p->destroy)
        p->destroy (p);
    if (p)
        memset (p, 0, sizeof (*p));
}
