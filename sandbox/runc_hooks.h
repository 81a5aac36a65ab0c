/* config.json's hooks, run by nestbox-runc with the container's state on
 * their stdin as the runtime-spec says.  createRuntime and prestart run
 * once the container waits for `start` (runc runs them a little earlier,
 * before pivot_root: a hook that works through /proc/PID/ns or
 * /proc/PID/root sees the same); poststart after `start` released it;
 * poststop once it is gone.  createContainer and startContainer run inside
 * the container's namespaces before its command, which nestbox-runc cannot
 * do yet: config.json with them is refused. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "oci_config.h"
#include "runc_state.h"

/* Refuse hooks nestbox-runc cannot run (one line, exit 1). */
void runc_hooks_check (const struct oci_config *cfg);
/* Run the hooks of kind in order; -1 when one failed or timed out, with
 * the reason in why (size bytes) for the caller's one line; 0 otherwise. */
int runc_hooks_run (const struct oci_config *cfg, enum oci_hook_kind kind, const struct runc_container *c, enum runc_status status,
                    char *why, size_t size);
/* For start and delete: config.json read again when the container has
 * poststart or poststop hooks.  false: nothing to run. */
bool runc_hooks_reload (const struct runc_container *c, struct oci_config *cfg);
