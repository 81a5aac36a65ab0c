/* --pty: the command runs on a pseudo-terminal of the sandbox's own, which
 * the monitor relays to the caller's terminal (or stdin/stdout streams). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"

/* Before clone, with --pty: fds 0-2 of the caller that are closed get
 * /dev/null (the relay owns them), then sock becomes the socketpair the
 * master is passed over.  Returns 0 or -errno. */
int pty_launch_prepare (int sock[2]);

/* Sandbox side, called twice: before the root changes (root_ready false)
 * and after (true).  At the stage where the terminal's devpts is reachable
 * (the caller's without --dev, the sandbox's own with it) it opens a
 * master and its slave into fds (both -1 before), gives them the caller's
 * modes and window size, sends the master to the monitor over *sock and
 * closes *sock.  Dies with a diagnosis on failure. */
void pty_sandbox_setup (const struct plan *plan, bool root_ready, int *sock, int fds[2]);

/* Before the last fork: fds 0, 1 and 2 become the slave, so that nothing
 * in the sandbox (pid 1 included) holds the caller's terminal.  Closes both
 * fds (set to -1).  Returns 0 or -errno. */
int pty_slave_as_stdio (int fds[2]);

/* The command's side, after the last fork: a new session whose
 * controlling terminal is the slave on fd 0.  Returns 0 or -errno. */
int pty_take_controlling_terminal (void);

/* The monitor: receive the master on sock (closed here), relay until the
 * command's exit code is known (from status_fd, the reaper's pipe, or by
 * waiting for child when status_fd is -1), with the caller's terminal in raw
 * mode.  *exit_code is -1 when it is still unknown (the sandbox ended before
 * it had a terminal, or the reaper went away).  The caller's terminal modes
 * are restored before this returns.  Returns 0 or -errno. */
int pty_monitor (int sock, int status_fd, pid_t child, int *exit_code);
