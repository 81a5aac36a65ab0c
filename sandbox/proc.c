/* --proc DEST: a fresh procfs for the sandbox's pid namespace, re-masked
 * the way container runtimes mask a container's /proc. */
#include "proc.h"

#include <fcntl.h>
#include <sys/mount.h>

#include "diagnose.h"
#include "mountapi.h"
#include "mountpoints.h"
#include "util.h"

/* The lists live in proc-masks.def, which tests/proc-masks compares with
 * the container runtimes' current defaults. */
static const char *const oci_masked[] = {
#define MASK(entry) entry,
#include "proc-masks.def"
  NULL,
};

static const char *const oci_readonly[] = {
#define READONLY(entry) entry,
#include "proc-masks.def"
  NULL,
};

static const char *const bwrap_readonly[] = {
#define BWRAP_READONLY(entry) entry,
#include "proc-masks.def"
  NULL,
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
mount_fresh_proc (const struct setup_ctx *ctx, bool subset, int *out_fd)
{
  static const char *const subset_opts[] = { "subset", "pid", NULL };

  return mnt_new_fs ("proc", subset ? subset_opts : NULL,
                     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | ctx->proc_attrs, out_fd);
}

/* The caller's /proc, recursively and read-only: its masks stay (they are
 * locked), but it shows the caller's pid namespace. */
static int
bind_visible_proc (int *out_fd)
{
  int r = mnt_clone_tree (AT_FDCWD, OLDROOT "/proc", false, out_fd);

  if (r == 0)
    r = mnt_set_attr (*out_fd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, true);
  return r;
}

/* A fresh procfs, or what --proc-fallback allows when the visible /proc is
 * masked.  The launcher already refused the case with no fallback. */
static int
mount_sandbox_proc (const struct setup_ctx *ctx, int *out_fd)
{
  enum proc_fallback fallback = ctx->plan->proc_fallback;
  int r = -EPERM;

  if (!ctx->proc_masked)
    {
      r = mount_fresh_proc (ctx, false, out_fd);
      if (r != -EPERM || fallback == PROC_FALLBACK_NONE)
        return r;
    }
  if (fallback == PROC_FALLBACK_SUBSET || fallback == PROC_FALLBACK_AUTO)
    {
      /* Linux 7.2 lets a process-only procfs through despite the masks. */
      r = mount_fresh_proc (ctx, true, out_fd);
      if (r == 0)
        {
          warn_msg ("the visible /proc is masked: mounted a procfs with subset=pid (process directories only)");
          return 0;
        }
    }
  if (fallback == PROC_FALLBACK_BIND || fallback == PROC_FALLBACK_AUTO)
    {
      r = bind_visible_proc (out_fd);
      if (r == 0)
        warn_msg ("the visible /proc is masked: bound it read-only instead; the process ids in it are the caller's, not the sandbox's");
    }
  return r;
}

void
setup_proc (struct setup_ctx *ctx, const struct op *op)
{
  _cleanup_close_ int mnt = -1, target = -1;
  const char *const *list;
  int r;

  if (ctx->new_pidns)
    r = mount_sandbox_proc (ctx, &mnt);
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
    diagnose_proc_failure (-r, op->dest, ctx->plan->proc_fallback == PROC_FALLBACK_SUBSET);

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
