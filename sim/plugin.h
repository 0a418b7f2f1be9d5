/* sim/plugin.h — custom policies as plugins: the whole interface between
 * Flurm and a shared object a user compiles (docs/plugins.md).
 *
 * A plugin defines one symbol, `flurm_plugin_entry`, by writing
 * FLURM_PLUGIN_ENTRY (init) once.  `flurm-sim --plugin FILE.so` loads it
 * (flurm_plugin_load), checks the ABI number the entry carries, and calls
 * init with a struct flurm_plugin through which the plugin registers queue
 * policies, pairing rules and match policies: the very structs the
 * built-ins are made of (policies/queue_policy.h, policies/pairing.h,
 * policies/match_policy.h).  From then on they are selected by name like
 * the built-ins (--queue-policy, --pairing, --match-policy, a trace's
 * `queue-policy:`...).
 *
 * Why registration goes through function pointers in struct flurm_plugin
 * rather than calls into the program: a plugin that only fills structs
 * then needs no symbol from flurm-sim, so it loads into any program linked
 * with the library (the unit tests, a sanitized build) with no link-time
 * ceremony.  (A match policy that reads the graph calls sim/graph.h, which
 * flurm-sim exports for that.)
 *
 * Why an ABI number: the structs are the contract, and a plugin built
 * against other headers would read their fields at other offsets, which no
 * loader can detect.  FLURM_PLUGIN_ABI grows whenever a struct of this
 * header or of the three policy headers changes in a way that moves or
 * retypes a field; `abi` is the first member of the entry in every version,
 * so a mismatch is told before anything else is read.
 *
 * What the loader guarantees: loading is all or nothing (what init
 * registered is kept only if init returns 0 and every registration was
 * accepted); the shared object is never unloaded, so the registered structs
 * and the strings they point to may be static data of the plugin; loading
 * a file that is loaded already does nothing.  Every failure is one line
 * naming the file: missing or unreadable, not a shared object, cannot be
 * loaded (a missing symbol...), no entry point, ABI mismatch, refused name
 * (invalid, or taken by a built-in, another plugin or the plugin itself),
 * init failed, nothing registered.
 *
 * Loading and the registries are not thread-safe: load every plugin before
 * any simulation starts.
 */
#ifndef FLURM_SIM_PLUGIN_H
#define FLURM_SIM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "policies/match_policy.h"
#include "policies/pairing.h"
#include "policies/queue_policy.h"
#include "sim/error.h"

#define FLURM_PLUGIN_ABI 1u

/* Names a plugin may register: a letter, then letters, digits, '-' or
 * '_' (they appear on command lines, in YAML and in CSV/JSON outputs). */
#define FLURM_PLUGIN_NAME_MAX 64

/* What init receives, valid while init runs.  Each add_* returns 0, or -1
 * when it refuses the registration: the loader then reports why and the
 * whole plugin fails, whatever init returns.  The struct passed must live
 * as long as the program (static data of the plugin is fine: it is never
 * unloaded). */
struct flurm_plugin {
    uint32_t abi;     /* the loader's FLURM_PLUGIN_ABI */
    const char *path; /* the file being loaded, as given */
    int (*add_queue_policy) (struct flurm_plugin *p, const struct flurm_queue_policy *q);
    int (*add_pairing_rule) (struct flurm_plugin *p, const struct flurm_pairing_rule *r);
    int (*add_match_policy) (struct flurm_plugin *p, const struct flurm_match_policy_info *m);
    void *loader;     /* the loader's own state: do not touch */
};

/* init registers what the plugin defines and returns 0; on a failure of
 * its own it returns -1 with err filled (one line; the loader puts the
 * file name in front). */
typedef int (*flurm_plugin_init_fn) (struct flurm_plugin *p, flurm_error_t *err);

struct flurm_plugin_entry {
    uint32_t abi;     /* first in every ABI version: FLURM_PLUGIN_ABI when built */
    flurm_plugin_init_fn init;
};

/* In one file of a plugin, at file scope: FLURM_PLUGIN_ENTRY (my_init);
 * visible even when the plugin is built with -fvisibility=hidden. */
#define FLURM_PLUGIN_ENTRY(init_fn)                                                    \
    extern const struct flurm_plugin_entry flurm_plugin_entry;                         \
    __attribute__ ((visibility ("default"))) const struct flurm_plugin_entry          \
        flurm_plugin_entry = {FLURM_PLUGIN_ABI, (init_fn)}

/* ---- for the program ---------------------------------------------------- */

/* Load the plugin at `path` and register what it defines.  0 on success,
 * or when that file is loaded already; -1 with err "PATH: what is wrong",
 * nothing registered. */
int flurm_plugin_load (const char *path, flurm_error_t *err);

/* The files loaded, as given to flurm_plugin_load, in load order (so that
 * a run can record what produced it); *n receives their number. */
const char *const *flurm_plugin_paths (size_t *n);

#endif
