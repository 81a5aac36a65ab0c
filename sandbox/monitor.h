/* The monitor: the process the caller started, once the sandbox is cloned. */
#pragma once

#include <sys/types.h>

struct launch;

/* Close the sandbox's ends of the channels, report the sandbox on
 * --info-fd/--json-status-fd, drop privileges, relay --pty, and return the
 * command's exit code (or 128+signal) to exit with. */
int monitor_main (struct launch *l, pid_t child_pid);

/* What monitor_main returns when it left the sandbox running
 * (plan.monitor_leaves): no exit code is known. */
#define MONITOR_LEFT (-1)
