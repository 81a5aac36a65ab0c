/* The container's processes as /proc shows them to nestbox-runc: whether
 * the recorded process is still the container's (pids are reused), and
 * every process of a container for `kill --all` and `delete`. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* The start time of a live process (false when it is gone or a zombie:
 * a zombie's command has ended). */
bool runc_process_start (pid_t pid, unsigned long long *start);
/* pid is alive and still the process that started at start (0: any). */
bool runc_process_is (pid_t pid, unsigned long long start);

/* Send sig to every process of the container whose first process is pid:
 * all of its pid namespace when it has one of its own, else pid and its
 * descendants.  Returns how many were signalled. */
int runc_signal_all (pid_t pid, int sig);
