/* Building the new root: the state shared by the filesystem operations
 * (ops.c, mountpoints.c, dev.c, proc.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

/* During setup the process root is a private staging tmpfs holding:
 *   /newroot  the sandbox's future root (a mount of its own)
 *   /oldroot  the caller's root, where host paths are found */
#define OLDROOT "/oldroot"
#define NEWROOT "/newroot"

struct setup_ctx
{
  struct plan *plan;
  int root_fd;          /* O_PATH of the new root's topmost mount */
  int proc_fd;          /* O_PATH of the caller's /proc, for /proc/self/fd/N */
  bool own_userns;      /* we created the user namespace */
  bool new_pidns;       /* a pid namespace of our own (or joined): fresh procfs */
  const char *host_tty; /* the caller's terminal on stdout, for --dev's console */
  bool proc_masked;     /* predicted: a full fresh procfs will be refused */
  uint64_t proc_attrs;  /* MOUNT_ATTR_RDONLY and atime bits a fresh procfs must carry */
  unsigned serial;      /* unique names for hidden files in the staging root */
};
