/* Capabilities: what the sandboxed command keeps (libcap). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/* The caps the command should end with, as a bit set over cap numbers:
 * uid 0 callers start from their current effective set (as bwrap does, so
 * that rpm-ostree-style callers keep root's powers), everyone else from
 * none; then --cap-add/--cap-drop apply in command-line order. */
uint64_t caps_requested (const struct plan *plan, bool caller_is_root, uint64_t caller_effective);

/* Effective set of this process, as a bit set. */
int caps_get_effective (uint64_t *out);
int caps_get_permitted (uint64_t *out);
bool caps_have (int cap);

/* Drop from the bounding set every cap not in keep; 0 or -errno. */
int caps_limit_bounding (uint64_t keep);
/* Set permitted/effective/inheritable to keep (when change_sets) and raise
 * the ambient set so that the caps survive exec for a non-zero uid;
 * 0 or -errno. */
int caps_apply_final (uint64_t keep, bool change_sets);
/* No capability at all (the reaper, the monitor). */
int caps_drop_all (void);

int caps_last_cap (void);
