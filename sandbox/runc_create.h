/* nestbox-runc's create, start and run: the launcher stopped before the
 * command's exec.  create forks a monitor that clones the sandbox through
 * the core (launch_run); the sandbox sets everything up, says so on
 * plan.setup_done_fd, and waits on the container's exec.fifo until start
 * writes to it.  The monitor leaves the container's process to the
 * caller (plan.monitor_leaves), as runc's is left; a foreground run keeps
 * it, for the exit code. */
#pragma once

#include <stdbool.h>

struct runc_create_options
{
  const char *bundle;         /* --bundle; NULL: the current directory */
  const char *pid_file;       /* --pid-file */
  const char *console_socket; /* --console-socket: where the terminal's master goes */
  unsigned preserve_fds;      /* --preserve-fds: fds 3.. passed on besides stdio */
  bool detach;                /* run --detach */
};

/* Each returns the exit code of nestbox-runc (run: the container's). */
int runc_create (const char *root, const char *id, const struct runc_create_options *o);
int runc_start (const char *root, const char *id);
int runc_run (const char *root, const char *id, const struct runc_create_options *o);
