/* --proc DEST: a fresh procfs for the sandbox's pid namespace, re-masked
 * the way container runtimes mask a container's /proc. */
#include "proc.h"

#include <fcntl.h>
#include <sys/mount.h>

#include "mountapi.h"
#include "setup.h"
#include "util.h"

/* The union of the OCI runtimes' default maskedPaths under /proc (runc,
 * containerd, CRI-O, moby): each leaks host state or lets a writer change
 * hardware or kernel state. */
static const char *const oci_masked[] = {
  "acpi", "asound", "interrupts", "kcore", "keys", "latency_stats",
  "timer_list", "timer_stats", "sched_debug", "scsi", NULL,
};

/* readonlyPaths, the same in every runtime. */
static const char *const oci_readonly[] = {
  "bus", "fs", "irq", "sys", "sysrq-trigger", NULL,
};

/* bubblewrap's smaller set: read-only, nothing hidden. */
static const char *const bwrap_readonly[] = {
  "sys", "sysrq-trigger", "irq", "bus", NULL,
};

static const char *const nothing[] = { NULL };

const char *const *
proc_masked_paths (enum proc_policy policy)
{
  return policy == PROC_POLICY_OCI ? oci_masked : nothing;
}

const char *const *
proc_readonly_paths (enum proc_policy policy)
{
  switch (policy)
    {
    case PROC_POLICY_OCI: return oci_readonly;
    case PROC_POLICY_BWRAP: return bwrap_readonly;
    case PROC_POLICY_NONE:
    default: return nothing;
    }
}

static int
mount_fresh_proc (int *out_fd)
{
  return mnt_new_fs ("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, out_fd);
}

void
setup_proc (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int mnt = -1, target = -1;
  const char *const *list;
  int r;

  if (ctx->new_pidns)
    r = mount_fresh_proc (&mnt);
  else
    {
      /* Without a pid namespace of our own, a procfs would show the
       * caller's processes anyway: bind the caller's /proc (as bwrap). */
      r = mnt_clone_tree (AT_FDCWD, OLDROOT "/proc", false, &mnt);
      if (r == 0)
        r = mnt_set_attr (mnt, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, true);
    }
  if (r == 0)
    r = setup_mount_point (ctx, op->dest, true, -1, &target);
  if (r == 0)
    r = mnt_attach (mnt, target);
  if (r < 0)
    die_errno (-r, "Can't mount proc on %s", op->dest);

  for (list = proc_masked_paths (ctx->plan->proc_policy); *list; list++)
    {
      _cleanup_free_ char *path = xasprintf ("%s/%s", op->dest, *list);
      setup_mask (ctx, path, false);
    }
  for (list = proc_readonly_paths (ctx->plan->proc_policy); *list; list++)
    {
      _cleanup_free_ char *path = xasprintf ("%s/%s", op->dest, *list);
      setup_make_readonly (ctx, path, false);
    }
}
