/* Can a fresh procfs be mounted in a new user namespace?  Predicted from
 * the mount table, before anything is created. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "mountinfo.h"

#define PROCVIEW_MAX_BLOCKERS 4

struct proc_view
{
  bool any_proc;                         /* some procfs is mounted at all */
  bool fresh_allowed;                    /* some procfs shows its whole tree */
  bool readonly;                         /* the fresh one must then be read-only ... */
  unsigned atime;                        /* ... and carry these atime flags */
  char *proc_mount;                      /* the procfs that allows it, or the first one seen */
  char *blockers[PROCVIEW_MAX_BLOCKERS]; /* mounts that hide parts of it */
  size_t n_blockers;                     /* how many there are in all */
};

/* The kernel (mount_too_revealing) allows a fresh procfs in a user
 * namespace only if the mount namespace already shows some procfs mounted
 * from its root with no locked mount on top of anything in it, except on
 * its permanently empty directories.  Every mount we can see becomes
 * locked in a namespace we create, so any such child mount blocks.  A
 * read-only one forces read-only; atime flags must match. */
void procview_predict (const struct mount_table *table, struct proc_view *view);
void procview_free (struct proc_view *view);
