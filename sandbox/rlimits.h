/* --rlimit NAME=SOFT[:HARD]: resource limits for the command alone (not
 * for nestbox's monitor or pid 1), with the names prlimit(1) uses. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

/* Parse one --rlimit argument into *step; exit 1 with one line on bad
 * input. */
void rlimit_parse (const char *arg, struct rlimit_step *step);

/* The launcher, before anything is created: exit 1 on a limit the command
 * could not be given (a soft limit above the hard one, a hard limit raised
 * without CAP_SYS_RESOURCE). */
void rlimits_check (const struct plan *plan);

/* The command's process, before exec.  Returns 0 or -errno, with *failed
 * naming the limit. */
int rlimits_apply (const struct plan *plan, const char **failed);

/* When the command's exit code says a limit ended it (128 + SIGXCPU for
 * CPU, 128 + SIGXFSZ for FSIZE) and --rlimit set that limit: writes
 * "CPU=SOFT" to buf and returns true. */
bool rlimit_that_ended (const struct plan *plan, int exit_code, char *buf, size_t size);

/* The option spelling of a resource ("CPU"), for messages. */
const char *rlimit_name (int resource);
