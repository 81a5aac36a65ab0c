/* pid 1 of the sandbox's pid namespace: the reaper beside the command. */
#pragma once

#include <sys/types.h>

#include "launch.h"

/* Reap, forward signals and report the command's exit code; never returns. */
_Noreturn void pid1_main (struct launch *l, pid_t command_pid);
/* pid 1's --lock-file locks, taken before the command starts; dies on error. */
void pid1_take_locks (struct launch *l);
