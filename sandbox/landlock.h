/* --landlock: a Landlock domain for the command, derived from the plan.
 * File access is limited to what the command line grants (read below
 * read-only binds, everything below what nestbox mounts writable), even
 * through fds inherited from the caller; abstract unix sockets and signals
 * are scoped to the sandbox. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/* The lowest ABI that has everything --landlock promises: the scopes of
 * abstract unix sockets and signals came with ABI 6 (Linux 6.12). */
#define LANDLOCK_FULL_ABI 6

/* The kernel's Landlock ABI, 0 when there is none.  On 0, *why (may be
 * NULL) says why in words: not built in, not enabled at boot, or the
 * system call refused by an outer seccomp filter. */
int landlock_abi (const char **why);

/* What an ABI covers, in words (for warnings and doctor). */
const char *landlock_coverage (int abi);

/* The launcher, before anything is created: exit 1 on options --landlock
 * cannot honour or on a kernel without what it needs; a warning for
 * --landlock-try.  Returns the ABI to use, 0 for none. */
int landlock_decide (const struct plan *plan);

/* The sandbox, after the new root is in place and before the ids change:
 * the ruleset for the command (an fd, close-on-exec).  root_is_own: "/" is
 * nestbox's own tmpfs, not a bind of the caller's. */
int landlock_build_ruleset (const struct plan *plan, int abi, bool root_is_own);

/* The command's process, last before exec: enter the domain.  Returns 0
 * or -errno. */
int landlock_enforce (int ruleset_fd);
