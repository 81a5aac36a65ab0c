/* --proc: a fresh procfs (or the --proc-fallback), and its mask lists
 * (--proc-policy). */
#pragma once

#include <stddef.h>

#include "plan.h"
#include "setup.h"

/* Paths under the proc mount, relative to it, for a policy: to hide, and
 * to make read-only.  NULL-terminated static lists. */
const char *const *proc_masked_paths (enum proc_policy policy);
const char *const *proc_readonly_paths (enum proc_policy policy);

/* Mount the procfs of op and re-mask it. */
void setup_proc (struct setup_ctx *ctx, const struct op *op);
