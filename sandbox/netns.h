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

/* Wait for the helper's namespace and join it; reap the helper too if
 * reap (else a reaper of ours must).  0 or -errno; *step says which step
 * failed. */
int netns_helper_join (struct netns_helper *h, bool reap, const char **step);
