/* nestbox-runc's exec: a further process in a running container.  It
 * joins every namespace of the container's process (through a pidfd),
 * becomes the user config.json names (or --user), and runs under the same
 * rules as the container's command: the capabilities config.json gives,
 * no_new_privs, its rlimits, its seccomp profile and nestbox's terminal
 * filter, its SELinux label.  Not yet: --process files, a terminal
 * (--tty), and containers with Landlock (run.oci.nestbox.landlock). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct runc_exec_options
{
  char **args; /* the command, NULL-terminated */
  char **env;  /* --env NAME=VALUE, n_env of them, added to config.json's */
  size_t n_env;
  const char *cwd;      /* --cwd */
  const char *user;     /* --user UID[:GID] */
  const char *pid_file; /* --pid-file */
  bool detach;          /* --detach */
};

/* Returns the exit code of nestbox-runc: the process's, unless detach. */
int runc_exec (const char *root, const char *id, const struct runc_exec_options *o);
