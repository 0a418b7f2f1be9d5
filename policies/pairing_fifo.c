/* policies/pairing_fifo.c — first fit: whatever fits, where the matcher
 * puts it.  The baseline every other rule is compared with. */
#include "policies/pairing.h"

const struct flurm_pairing_rule flurm_pairing_fifo = {
    .name = "fifo",
    .summary = "the first waiting job that fits, placed by the match policy",
    .judge = NULL, /* every placement is accepted */
};
