/* tests/fuzz/fuzz_hostlist.c — RFC 29 host lists (sim/hostlist.h).
 *
 * A list that decodes must encode to text that decodes to the same hosts
 * in the same order (R's nodelist maps hosts to ranks by position); the
 * hosts are compared at the ends of the list and a few in between, since
 * one bracket may stand for millions of them.
 *
 * Hosts with a suffix are encoded one by one, as flux-core writes them
 * ("foo[0-1]-eth2" -> "foo0-eth2,foo1-eth2"), so encoding is linear in
 * hosts by design and 17 bytes can name 2^24 of them: longer lists are
 * decoded, counted and looked into, not encoded.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/hostlist.h"
#include "tests/fuzz/harness.h"

#define FUZZ_MAX_HOSTS (1u << 16)

static void same_host (const struct flurm_hostlist *a, const struct flurm_hostlist *b, size_t n)
{
    char ha[FLURM_HOSTNAME_MAX + 1], hb[FLURM_HOSTNAME_MAX + 1];
    if (flurm_hostlist_nth (a, n, ha, sizeof (ha)) < 0
        || flurm_hostlist_nth (b, n, hb, sizeof (hb)) < 0)
        fuzz_fail ("a host within the count cannot be read", NULL);
    if (strcmp (ha, hb) != 0)
        fuzz_fail ("a host list changes through its encoding", ha);
    long at = flurm_hostlist_find (a, ha);
    if (at < 0 || (size_t)at > n)
        fuzz_fail ("a host of the list is not found at or before its place", ha);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = fuzz_input_string (data, size);
    flurm_error_t err;
    struct flurm_hostlist *hl = flurm_hostlist_decode (text, &err);
    free (text);
    if (!hl)
        return 0;
    size_t count = flurm_hostlist_count (hl);
    if (count > FUZZ_MAX_HOSTS) {
        same_host (hl, hl, count - 1);
        flurm_hostlist_destroy (hl);
        return 0;
    }
    char *enc = flurm_hostlist_encode (hl);
    struct flurm_hostlist *back = flurm_hostlist_decode (enc, &err);
    if (!back)
        fuzz_fail ("the encoding of a decoded host list is refused", err.text);
    if (flurm_hostlist_count (back) != count)
        fuzz_fail ("a host list changes length through its encoding", enc);
    for (size_t i = 0; i < count && i < 8; i++)
        same_host (hl, back, i);
    if (count > 0) {
        same_host (hl, back, count / 2);
        same_host (hl, back, count - 1);
    }
    char *again = flurm_hostlist_encode (back);
    if (strcmp (enc, again) != 0)
        fuzz_fail ("a host list encoding is not canonical", enc);
    g_free (again);
    g_free (enc);
    flurm_hostlist_destroy (back);
    flurm_hostlist_destroy (hl);
    return 0;
}
