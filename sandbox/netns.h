/* The network namespace, made by a helper while the root is built. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct netns_helper
{
  pid_t pid;
  int sock;
};

/* Fork the helper; proc_fd is an fd of the caller's /proc.  0 or -errno. */
int netns_helper_start (struct netns_helper *h, int proc_fd);

/* Wait for the helper's namespace and join it.  0 or -errno; *step says
 * which step failed. */
int netns_helper_join (struct netns_helper *h, const char **step);

/* Wait for the helper (pid, or nothing if pid <= 0) to be gone.  It lives
 * in the sandbox's pid namespace: the command must never see it, not even
 * as a zombie in /proc, and must never inherit it as a child. */
void netns_helper_reap (pid_t pid);
