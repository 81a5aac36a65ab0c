/* --pty, the sandbox's side of the terminal: the channel made before
 * clone, the pseudo-terminal opened in the sandbox and passed out to the
 * monitor, and the slave as the command's stdio and controlling terminal. */
#pragma once

#include <stdbool.h>

#include "plan.h"

/* Before clone, with --pty: fds 0-2 of the caller that are closed get
 * /dev/null (the relay owns them, and no channel may take their numbers).
 * The master comes back over the pty_sock channel (channels.h).  Returns 0
 * or -errno. */
int pty_launch_prepare (void);

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
