/* The bubblewrap-compatible command line, parsed into a plan. */
#pragma once

#include "plan.h"

/* At most this many arguments in all, counting those read through --args. */
#define CLI_MAX_ARGS 9000

/* Parse argv (without argv[0]) into plan.  On bad input prints one line and
 * exits 1; --help and --version print and exit 0.  Reads only the fds that
 * --args names; makes no other syscall. */
void cli_parse (struct plan *plan, int argc, char **argv, const char *invoked_as);

/* Cross-option rules that need nothing but the plan (requires/excludes). */
void cli_validate (const struct plan *plan);

/* Every option name the parser accepts, NULL-terminated (for tests and docs). */
const char *const *cli_option_names (void);

/* The version line printed by --version. */
#define NESTBOX_VERSION_LINE "nestbox " NESTBOX_VERSION
