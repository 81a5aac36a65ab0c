/* What every filesystem operation shares (ops.c, dev.c, proc.c): the
 * mount point of a destination, resolved inside the new root; masks and
 * read-only views of paths there; and the error line of a failed
 * operation. */
#include "mountpoints.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mountapi.h"
#include "rootpath.h"
#include "util.h"

static const char *
op_name (const struct op *op)
{
  switch (op->type)
    {
    case OP_BIND: return "bind mount";
    case OP_BIND_FD: return "bind mount fd";
    case OP_REMOUNT_RO: return "remount read-only";
    case OP_PROC: return "mount proc";
    case OP_DEV: return "set up dev";
    case OP_TMPFS: return "mount tmpfs";
    case OP_MQUEUE: return "mount mqueue";
    case OP_DIR: return "mkdir";
    case OP_FILE: return "create file";
    case OP_BIND_DATA: return "bind data";
    case OP_SYMLINK: return "make symlink";
    case OP_CHMOD: return "chmod";
    case OP_OVERLAY: return "mount overlay";
    case OP_MASK: return "mask";
    default: return "set up";
    }
}

void
setup_die (const struct op *op, int err, const char *what)
{
  die_errno (err, "Can't %s on %s", what ? what : op_name (op), op->dest);
}

char *
setup_host_path (const char *path)
{
  return xasprintf (OLDROOT "%s", path);
}

/* Create (if needed) and open the mount point for dest: a directory, or an
 * empty file (mode 0444, as bwrap's mount points). */
int
setup_mount_point (struct setup_ctx *ctx, const char *dest, bool dir, int perms, int *out_fd)
{
  _cleanup_close_ int dir_fd = -1;
  _cleanup_free_ char *name_buf = NULL;
  const char *name;
  int r = rootpath_create_parent (ctx->root_fd, dest, perms, &dir_fd, &name_buf, &name);

  if (r < 0)
    return r;
  if (strcmp (name, ".") != 0 && strcmp (name, "..") != 0)
    {
      if (dir)
        r = mkdirat (dir_fd, name, 0755);
      else
        {
          /* O_EXCL never follows a symlink: an existing one is resolved
           * below, inside the new root. */
          int fd = openat (dir_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOCTTY | O_CLOEXEC, 0444);

          r = fd;
          if (fd >= 0)
            close (fd);
        }
      if (r < 0 && errno != EEXIST)
        return -errno;
    }
  return rootpath_open (ctx->root_fd, dest, O_PATH, out_fd);
}

/* A directory is hidden under an empty read-only tmpfs, anything else under
 * a read-only /dev/null: what the container runtimes do for maskedPaths. */
void
setup_mask (struct setup_ctx *ctx, const char *path, bool must_exist)
{
  _cleanup_close_ int target = -1, mnt = -1;
  struct stat st;
  int r = rootpath_open (ctx->root_fd, path, O_PATH | O_NOFOLLOW, &target);

  if (r == -ENOENT && !must_exist)
    return;
  if (r < 0 || fstat (target, &st) < 0)
    die_errno (r < 0 ? -r : errno, "Can't mask %s", path);
  if (S_ISDIR (st.st_mode))
    {
      static const char *const opts[] = { "mode", "0555", "nr_blocks", "1", "nr_inodes", "1", NULL };
      r = mnt_new_fs ("tmpfs", opts, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &mnt);
    }
  else
    {
      r = mnt_clone_tree (AT_FDCWD, OLDROOT "/dev/null", true, &mnt);
      if (r == 0)
        r = mnt_set_attr (mnt, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, true);
    }
  if (r == 0)
    r = mnt_attach (mnt, target);
  if (r < 0)
    die_errno (-r, "Can't mask %s", path);
}

/* Bind a path read-only onto itself (readonlyPaths). */
void
setup_make_readonly (struct setup_ctx *ctx, const char *path, bool must_exist)
{
  _cleanup_close_ int target = -1, tree = -1;
  int r = rootpath_open (ctx->root_fd, path, O_PATH | O_NOFOLLOW, &target);

  if (r == -ENOENT && !must_exist)
    return;
  if (r == 0)
    r = mnt_clone_tree (target, "", false, &tree);
  if (r == 0)
    r = mnt_set_attr (tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, true);
  if (r == 0)
    r = mnt_attach (tree, target);
  if (r < 0)
    die_errno (-r, "Can't make %s read-only", path);
}
