/* The procfs mask lists (--proc-policy). */
#pragma once

#include <stddef.h>

#include "plan.h"

/* Paths under the proc mount, relative to it, for a policy: to hide, and
 * to make read-only.  NULL-terminated static lists. */
const char *const *proc_masked_paths (enum proc_policy policy);
const char *const *proc_readonly_paths (enum proc_policy policy);
