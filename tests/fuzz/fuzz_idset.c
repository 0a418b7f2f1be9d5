/* tests/fuzz/fuzz_idset.c — RFC 22 id sets (sim/idset.h).
 *
 * The header promises a canonical encoding: a set that decodes must
 * encode to text that decodes to the same set and encodes to the same
 * text again.  Iteration is checked against the count on the first ids.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/idset.h"
#include "tests/fuzz/harness.h"

/* first/next walk the set in order and agree with test. */
static void walk (const struct flurm_idset *s)
{
    uint64_t seen = 0;
    uint32_t prev = FLURM_IDSET_NONE;
    for (uint32_t id = flurm_idset_first (s); id != FLURM_IDSET_NONE && seen < 1000;
         id = flurm_idset_next (s, id)) {
        if (!flurm_idset_test (s, id) || (prev != FLURM_IDSET_NONE && id <= prev))
            fuzz_fail ("idset iteration is out of order or yields an absent id", NULL);
        prev = id;
        seen++;
    }
    if (seen < 1000 && seen != flurm_idset_count (s))
        fuzz_fail ("idset iteration and count disagree", NULL);
    if (!flurm_idset_empty (s) && flurm_idset_last (s) < flurm_idset_first (s))
        fuzz_fail ("idset last is below first", NULL);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = fuzz_input_string (data, size);
    flurm_error_t err;
    struct flurm_idset *s = flurm_idset_decode (text, &err);
    free (text);
    if (!s)
        return 0;
    walk (s);
    char *enc = flurm_idset_encode (s);
    struct flurm_idset *back = flurm_idset_decode (enc, &err);
    if (!back)
        fuzz_fail ("the encoding of a decoded idset is refused", err.text);
    if (!flurm_idset_equal (s, back))
        fuzz_fail ("an idset changes through its encoding", enc);
    char *again = flurm_idset_encode (back);
    if (strcmp (enc, again) != 0)
        fuzz_fail ("an idset encoding is not canonical", enc);
    g_free (again);
    g_free (enc);
    flurm_idset_destroy (back);
    flurm_idset_destroy (s);
    return 0;
}
