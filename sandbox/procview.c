/* Predicting whether a fresh procfs can be mounted (see procview.h). */
#include "procview.h"

#include <string.h>

#include "util.h"

/* Directories the kernel keeps empty forever: a mount there hides nothing. */
static const char *const permanently_empty[] = { "sys/fs/binfmt_misc", "fs/nfsd", "openprom", "xen" };

static bool
is_permanently_empty (const char *proc_mp, const char *child_mp)
{
  size_t len = strlen (proc_mp);
  const char *rel;

  if (strcmp (proc_mp, "/") == 0)
    len = 0;
  if (strncmp (child_mp, proc_mp, len) != 0 || child_mp[len] != '/')
    return false;
  rel = child_mp + len + 1;
  for (size_t i = 0; i < N_ELEMENTS (permanently_empty); i++)
    if (strcmp (rel, permanently_empty[i]) == 0)
      return true;
  return false;
}

static void
note_blocker (struct proc_view *view, const char *mount_point)
{
  if (view->n_blockers < PROCVIEW_MAX_BLOCKERS)
    view->blockers[view->n_blockers] = xstrdup (mount_point);
  view->n_blockers++;
}

void
procview_predict (const struct mount_table *table, struct proc_view *view)
{
  memset (view, 0, sizeof *view);
  for (size_t i = 0; i < table->n; i++)
    {
      const struct mount_entry *proc = &table->entries[i];
      size_t blocking = 0;

      if (strcmp (proc->fstype, "proc") != 0 || strcmp (proc->root, "/") != 0)
        continue;
      view->any_proc = true;
      for (size_t k = 0; k < table->n; k++)
        {
          const struct mount_entry *child = &table->entries[k];

          if (child->parent_id != proc->id || child == proc
              || is_permanently_empty (proc->mount_point, child->mount_point))
            continue;
          blocking++;
          if (!view->fresh_allowed && view->proc_mount == NULL)
            note_blocker (view, child->mount_point);
        }
      /* Prefer a read-write one: then the fresh procfs may be writable. */
      if (blocking == 0 && (!view->fresh_allowed || (view->readonly && !proc->readonly)))
        {
          view->fresh_allowed = true;
          view->readonly = proc->readonly;
          view->atime = proc->atime;
          free (view->proc_mount);
          view->proc_mount = xstrdup (proc->mount_point);
        }
      else if (view->proc_mount == NULL && !view->fresh_allowed)
        view->proc_mount = xstrdup (proc->mount_point);
    }
}

void
procview_free (struct proc_view *view)
{
  for (size_t i = 0; i < view->n_blockers && i < PROCVIEW_MAX_BLOCKERS; i++)
    free (view->blockers[i]);
  free (view->proc_mount);
  memset (view, 0, sizeof *view);
}
