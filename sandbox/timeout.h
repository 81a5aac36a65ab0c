/* --timeout SECONDS[:GRACE]: a wall-clock bound for the whole sandbox,
 * kept by the monitor.  At SECONDS the sandbox gets SIGTERM (which pid 1
 * forwards to the command), GRACE seconds later SIGKILL (which ends a pid
 * namespace whole); nestbox then exits with TIMEOUT_EXIT_CODE. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"

/* As timeout(1). */
#define TIMEOUT_EXIT_CODE 124
#define TIMEOUT_DEFAULT_GRACE 5

/* Parse the option's argument into the plan; exit 1 with one line on bad
 * input. */
void timeout_parse (const char *arg, struct plan *plan);

/* The monitor, once the sandbox's pid is known: start the clock. */
void timeout_arm (const struct plan *plan, pid_t sandbox);

/* Whether the clock ran out (the sandbox was told to end). */
bool timeout_fired (void);
