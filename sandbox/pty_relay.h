/* --pty, the monitor's side of the terminal. */
#pragma once

#include <sys/types.h>

/* The monitor: receive the master on sock (closed here), relay until the
 * command's exit code is known (from status_fd, the reaper's pipe, or by
 * waiting for child when status_fd is -1), with the caller's terminal in raw
 * mode.  *exit_code is -1 when it is still unknown (the sandbox ended before
 * it had a terminal, or the reaper went away).  The caller's terminal modes
 * are restored before this returns.  Returns 0 or -errno. */
int pty_monitor (int sock, int status_fd, pid_t child, int *exit_code);
