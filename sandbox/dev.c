/* --dev DEST: a minimal /dev on a tmpfs, with the host's harmless device
 * nodes, the usual symlinks and a devpts instance of the sandbox's own. */
#include "dev.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mountapi.h"
#include "mountpoints.h"
#include "rootpath.h"
#include "util.h"

static char *
dev_path (const struct op *op, const char *name)
{
  return xasprintf ("%s/%s", op->dest, name);
}

/* Bind a host device node (or the caller's tty) onto DEST/name. */
static void
bind_device (struct setup_ctx *ctx, const struct op *op, const char *host, const char *name)
{
  _cleanup_free_ char *dest = dev_path (op, name);
  _cleanup_close_ int tree = -1, target = -1;
  int r = mnt_clone_tree (AT_FDCWD, host, true, &tree);

  if (r == 0)
    r = mnt_set_attr (tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, true);
  if (r == 0)
    r = setup_mount_point (ctx, dest, false, -1, &target);
  if (r == 0)
    r = mnt_attach (tree, target);
  if (r < 0)
    die_errno (-r, "Can't create file %s", dest);
}

static void
make_link (struct setup_ctx *ctx, const struct op *op, const char *target, const char *name)
{
  _cleanup_free_ char *dest = dev_path (op, name);
  _cleanup_close_ int dir_fd = -1;
  _cleanup_free_ char *name_buf = NULL;
  const char *leaf;
  int r = rootpath_open_parent (ctx->root_fd, dest, &dir_fd, &name_buf, &leaf);

  if (r < 0 || symlinkat (target, dir_fd, leaf) < 0)
    die_errno (r < 0 ? -r : errno, "Can't create symlink %s", dest);
}

static void
make_dir (struct setup_ctx *ctx, const struct op *op, const char *name, int *out_fd)
{
  _cleanup_free_ char *dest = dev_path (op, name);
  int r = setup_mount_point (ctx, dest, true, -1, out_fd);

  if (r < 0)
    die_errno (-r, "Can't create %s", dest);
}

void
setup_dev (struct setup_ctx *ctx, const struct op *op)
{
  static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  static const char *const stdio[] = { "stdin", "stdout", "stderr" };
  static const char *const devpts_opts[] = { "newinstance", NULL, "ptmxmode", "0666", "mode", "620", NULL };
  static const char *const tmpfs_opts[] = { "mode", "0755", NULL };
  _cleanup_close_ int dev = -1, shm = -1, pts = -1, devpts = -1;
  int r;

  r = mnt_new_fs ("tmpfs", tmpfs_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &dev);
  if (r == 0)
    {
      _cleanup_close_ int target = -1;

      r = setup_mount_point (ctx, op->dest, true, -1, &target);
      if (r == 0)
        r = mnt_attach (dev, target);
    }
  if (r < 0)
    setup_die (op, -r, "mount tmpfs");

  for (size_t i = 0; i < N_ELEMENTS (nodes); i++)
    {
      _cleanup_free_ char *host = xasprintf (OLDROOT "/dev/%s", nodes[i]);
      bind_device (ctx, op, host, nodes[i]);
    }
  for (size_t i = 0; i < N_ELEMENTS (stdio); i++)
    {
      char target[32];

      snprintf (target, sizeof target, "/proc/self/fd/%zu", i);
      make_link (ctx, op, target, stdio[i]);
    }
  make_link (ctx, op, "/proc/self/fd", "fd");
  make_link (ctx, op, "/proc/kcore", "core");
  make_dir (ctx, op, "shm", &shm);

  /* A devpts of our own: the sandbox's ptys are invisible outside it and
   * the caller's are invisible inside. */
  make_dir (ctx, op, "pts", &pts);
  r = mnt_new_fs ("devpts", devpts_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &devpts);
  if (r == 0)
    r = mnt_attach (devpts, pts);
  if (r < 0)
    die_errno (-r, "Can't mount devpts on %s/pts", op->dest);
  make_link (ctx, op, "pts/ptmx", "ptmx");

  /* bwrap shows the caller's terminal as /dev/console when stdout is one. */
  if (ctx->host_tty != NULL)
    {
      _cleanup_free_ char *host = setup_host_path (ctx->host_tty);
      bind_device (ctx, op, host, "console");
    }
}
