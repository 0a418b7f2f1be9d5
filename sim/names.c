/* sim/names.c — see names.h.  Pure functions of their arguments. */
#include "sim/names.h"

#include <string.h>

#include <glib.h>

#include "sim/graph.h"
#include "sim/hostlist.h"
#include "sim/idset.h"

bool flurm_name_host_char (char c)
{
    return c > 0x20 && c < 0x7f && c != '[' && c != ']' && c != ',';
}

const char *flurm_name_host_problem (const char *name)
{
    if (!name[0])
        return "is empty";
    size_t len = 0;
    for (; name[len]; len++) {
        if (!flurm_name_host_char (name[len]))
            return "contains a space, a control character or one of [ ] , (a host name in a "
                   "hostlist may not)";
    }
    if (len > FLURM_HOSTNAME_MAX)
        return "is too long (at most 255 bytes)";
    return NULL;
}

const char *flurm_name_vertex_problem (const char *name)
{
    size_t len = strlen (name);
    if (len == 0)
        return "is empty";
    if (len >= FLURM_NAME_MAX)
        return "is too long (at most 255 bytes)";
    if (memchr (name, '/', len))
        return "contains '/', the path separator";
    return NULL;
}

const char *flurm_name_property_problem (const char *name)
{
    /* one phrase per forbidden character, so that the message can show it
     * without a buffer */
    static const char forbidden[] = "!&'\"^`|()";
    static const char *const phrase[] = {
        "contains '!', which property names may not hold",
        "contains '&', which property names may not hold",
        "contains ''', which property names may not hold",
        "contains '\"', which property names may not hold",
        "contains '^', which property names may not hold",
        "contains '`', which property names may not hold",
        "contains '|', which property names may not hold",
        "contains '(', which property names may not hold",
        "contains ')', which property names may not hold",
    };
    G_STATIC_ASSERT (G_N_ELEMENTS (phrase) == sizeof (forbidden) - 1);
    if (!name[0])
        return "is empty";
    for (const char *p = name; *p; p++) {
        if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
            return "contains a space or a control character, which property names may not hold";
        const char *bad = strchr (forbidden, *p);
        if (bad)
            return phrase[bad - forbidden];
    }
    return NULL;
}

bool flurm_name_split_id (const char *name, size_t len, size_t *baselen, uint32_t *id, int *ndigits)
{
    size_t k = len;
    while (k > 0 && g_ascii_isdigit (name[k - 1]))
        k--;
    if (k == len)
        return false;
    uint64_t v = 0;
    for (size_t i = k; i < len; i++) {
        v = v * 10 + (uint64_t)(name[i] - '0');
        if (v > FLURM_IDSET_MAX_ID)
            return false; /* checked per digit: no overflow */
    }
    *baselen = k;
    *id = (uint32_t)v;
    *ndigits = (int)(len - k);
    return true;
}

void flurm_name_split_host (const char *host, char **basename, int64_t *id)
{
    size_t len = strlen (host), baselen;
    uint32_t value;
    int ndigits;
    if (!flurm_name_split_id (host, len, &baselen, &value, &ndigits)) {
        *basename = g_strdup (host);
        *id = -1;
        return;
    }
    *basename = baselen > 0 ? g_strndup (host, baselen) : g_strdup (host);
    *id = value;
}
