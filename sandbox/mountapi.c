/* Thin helpers over the new mount API (see mountapi.h). */
#include "mountapi.h"

#include <fcntl.h>
#include <sys/mount.h>

#include "util.h"

int
mnt_clone_tree (int dirfd, const char *path, bool follow_symlinks, int *out_fd)
{
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE;
  int fd;

  if (!follow_symlinks)
    flags |= AT_SYMLINK_NOFOLLOW;
  if (*path == '\0')
    flags |= AT_EMPTY_PATH;
  fd = RETRY_EINTR (open_tree (dirfd, path, flags));
  if (fd < 0)
    return -errno;
  *out_fd = fd;
  return 0;
}

int
mnt_set_attr (int mnt_fd, uint64_t attr_set, bool recursive)
{
  struct mount_attr attr = { .attr_set = attr_set };

  if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0)
    return -errno;
  return 0;
}

int
mnt_set_attr_at (int dest_fd, uint64_t attr_set, bool recursive)
{
  return mnt_set_attr (dest_fd, attr_set, recursive);
}

int
mnt_attach (int mnt_fd, int dest_fd)
{
  if (move_mount (mnt_fd, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return -errno;
  return 0;
}

int
mnt_new_fs (const char *fstype, const char *const *options, uint64_t attrs, int *out_fd)
{
  _cleanup_close_ int fs = fsopen (fstype, FSOPEN_CLOEXEC);
  int mnt;

  if (fs < 0)
    return -errno;
  for (size_t i = 0; options && options[i]; i += 2)
    {
      int r = options[i + 1]
                  ? fsconfig (fs, FSCONFIG_SET_STRING, options[i], options[i + 1], 0)
                  : fsconfig (fs, FSCONFIG_SET_FLAG, options[i], NULL, 0);

      if (r < 0)
        return -errno;
    }
  if (fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return -errno;
  mnt = fsmount (fs, FSMOUNT_CLOEXEC, (unsigned) attrs);
  if (mnt < 0)
    return -errno;
  *out_fd = mnt;
  return 0;
}
