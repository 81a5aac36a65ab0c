/* process.terminal with --console-socket: the container's terminal is a
 * pseudo-terminal of its own devpts (the core's --pty, pty_setup.c) whose
 * master the monitor sends to the caller over this unix socket
 * (SCM_RIGHTS), as runc sends it; its slave is the container's stdio and
 * controlling terminal. */
#pragma once

/* Connect to the caller's socket before anything is made; fails with one
 * line.  Returns its fd (close-on-exec). */
int runc_console_connect (const char *path);
